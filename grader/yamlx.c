/* yamlx.c - libyaml helpers the loaders share (yamlx.h). */
#include "yamlx.h"

#include <string.h>

#include "err.h"

int yamlx_load(const char *text, size_t len, yaml_document_t *doc, struct yamlx_problem *pb)
{
	yaml_parser_t parser;
	int rc = 0;

	memset(pb, 0, sizeof(*pb));
	if (!yaml_parser_initialize(&parser))
		return err_set("out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)(text ? text : ""), len);
	if (!yaml_parser_load(&parser, doc)) {
		/* libyaml names every syntax error; a failure without a problem
		 * is one of its allocations failing (not all of which it flags
		 * as YAML_MEMORY_ERROR): the grader's, not the file's. */
		if (parser.error == YAML_MEMORY_ERROR || !parser.problem) {
			rc = err_set("out of memory");
		} else {
			pb->line = parser.problem_mark.line + 1;
			pb->column = parser.problem_mark.column + 1;
			pb->problem = parser.problem;
			pb->context = parser.context;
			pb->context_line = parser.context_mark.line + 1;
			rc = 1;
		}
	}
	yaml_parser_delete(&parser);
	return rc;
}

size_t yamlx_line(const yaml_node_t *n)
{
	return n->start_mark.line + 1;
}

size_t yamlx_column(const yaml_node_t *n)
{
	return n->start_mark.column + 1;
}

int yamlx_add_pos(struct gbuf *out, const char *name, const yaml_node_t *n)
{
	return gbuf_addf(out, "%s:%zu:%zu: ", name, yamlx_line(n), yamlx_column(n));
}

const char *yamlx_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

yaml_node_t *yamlx_map_get(yaml_document_t *doc, const yaml_node_t *map, const char *key,
			   yaml_node_t **key_node)
{
	yaml_node_pair_t *p;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		const char *ks = yamlx_scalar(k);

		if (ks && !strcmp(ks, key)) {
			if (key_node)
				*key_node = k;
			return yaml_document_get_node(doc, p->value);
		}
	}
	return NULL;
}
