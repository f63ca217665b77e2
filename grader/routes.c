/*
 * routes.c - grader.yaml route mapping; see routes.h.
 */
#include "routes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "err.h"

#define ROUTES_FILE "grader.yaml"
#define ROUTES_MAX 100
#define ROUTES_FILE_MAX (64 << 10)

struct route {
	char *contract;
	char *app;
};

struct routes {
	struct route *v;
	size_t n;
};

void routes_free(struct routes *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].contract);
		free(r->v[i].app);
	}
	free(r->v);
	free(r);
}

size_t routes_count(const struct routes *r)
{
	return r ? r->n : 0;
}

void routes_get(const struct routes *r, size_t i, const char **contract, const char **app)
{
	*contract = r->v[i].contract;
	*app = r->v[i].app;
}

/* Read `dir`/grader.yaml without following a symlink: a checkout may hold
 * links pointing anywhere on the host. 0 read, 1 absent, -1 error. */
static int read_routes_file(const char *dir, struct gbuf *text, struct gbuf *diagnosis)
{
	char *path = NULL;
	int fd = -1, rc = -1;
	struct stat st;
	ssize_t n;
	char buf[4096];

	if (asprintf(&path, "%s/" ROUTES_FILE, dir) < 0)
		return err_set("out of memory");
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT) {
			rc = 1;
		} else if (errno == ELOOP) {
			gbuf_addf(diagnosis, "%s is a symbolic link; the grader reads only a real file", ROUTES_FILE);
			rc = 2;
		} else {
			err_set_errno("cannot open %s", path);
		}
		goto done;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > ROUTES_FILE_MAX) {
		gbuf_addf(diagnosis, "%s must be a regular file of at most %d KiB", ROUTES_FILE, ROUTES_FILE_MAX >> 10);
		rc = 2;
		goto done;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (gbuf_add(text, buf, (size_t)n) < 0)
			goto done;
	if (n < 0) {
		err_set_errno("cannot read %s", path);
		goto done;
	}
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

static bool path_ok(const char *s)
{
	if (s[0] != '/')
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

static yaml_node_t *mapping_get(yaml_document_t *doc, yaml_node_t *map, const char *key,
				yaml_node_t **key_node)
{
	yaml_node_pair_t *p;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);

		if (k && k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key)) {
			if (key_node)
				*key_node = k;
			return yaml_document_get_node(doc, p->value);
		}
	}
	return NULL;
}

#define BAD(node, ...)                                                              \
	do {                                                                        \
		gbuf_addf(diagnosis, ROUTES_FILE ":%zu:%zu: ", (node)->start_mark.line + 1, \
			  (node)->start_mark.column + 1);                           \
		gbuf_addf(diagnosis, __VA_ARGS__);                                  \
		rc = 1;                                                             \
		goto done;                                                          \
	} while (0)

static int parse_routes(const struct gbuf *text, struct routes **out, struct gbuf *diagnosis)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	bool have_parser = false, have_doc = false;
	struct routes *r = NULL;
	yaml_node_t *root, *map;
	yaml_node_pair_t *p;
	int rc = -1;

	if (!yaml_parser_initialize(&parser))
		return err_set("out of memory");
	have_parser = true;
	yaml_parser_set_input_string(&parser, (const unsigned char *)gbuf_str(text), text->len);
	if (!yaml_parser_load(&parser, &doc)) {
		gbuf_addf(diagnosis, ROUTES_FILE ":%zu:%zu: %s", parser.problem_mark.line + 1,
			  parser.problem_mark.column + 1, parser.problem ? parser.problem : "not valid YAML");
		rc = 1;
		goto done;
	}
	have_doc = true;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		rc = 0;   /* an empty file maps nothing */
		goto done;
	}
	if (root->type != YAML_MAPPING_NODE)
		BAD(root, "expected a mapping with a 'routes' key");
	map = mapping_get(&doc, root, "routes", NULL);
	if (!map) {
		rc = 0;
		goto done;
	}
	if (map->type != YAML_MAPPING_NODE)
		BAD(map, "expected 'routes' to map contract paths to your paths, e.g. /tickets/: /support/");
	r = calloc(1, sizeof(*r));
	if (!r || !(r->v = calloc(ROUTES_MAX, sizeof(*r->v)))) {
		err_set("out of memory");
		goto done;
	}
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&doc, p->value);

		if (r->n == ROUTES_MAX)
			BAD(k, "more than %d routes", ROUTES_MAX);
		if (k->type != YAML_SCALAR_NODE || !path_ok((const char *)k->data.scalar.value))
			BAD(k, "expected a path of the challenge starting with '/'");
		if (v->type != YAML_SCALAR_NODE || !path_ok((const char *)v->data.scalar.value))
			BAD(v, "expected your app's path starting with '/', with no spaces");
		r->v[r->n].contract = strdup((const char *)k->data.scalar.value);
		r->v[r->n].app = strdup((const char *)v->data.scalar.value);
		r->n++;
		if (!r->v[r->n - 1].contract || !r->v[r->n - 1].app) {
			err_set("out of memory");
			goto done;
		}
	}
	*out = r;
	r = NULL;
	rc = 0;
done:
	routes_free(r);
	if (have_doc)
		yaml_document_delete(&doc);
	if (have_parser)
		yaml_parser_delete(&parser);
	return rc;
}

int routes_load(const char *checkout, const char *project_dir, struct routes **out, struct gbuf *diagnosis)
{
	struct gbuf text = GBUF_INIT(ROUTES_FILE_MAX + 1);
	int rc;

	*out = NULL;
	/* Beside manage.py first: that is where the student's project lives. */
	rc = read_routes_file(project_dir, &text, diagnosis);
	if (rc == 1 && strcmp(project_dir, checkout) != 0)
		rc = read_routes_file(checkout, &text, diagnosis);
	if (rc == 1)
		rc = 0;        /* no grader.yaml: nothing to map */
	else if (rc == 2)
		rc = 1;
	else if (rc == 0)
		rc = parse_routes(&text, out, diagnosis);
	gbuf_release(&text);
	return rc;
}

/* The longest prefix among `from` sides that `path` starts with. */
static int map_path(const struct routes *r, const char *path, bool to_app, struct gbuf *out)
{
	const struct route *best = NULL;
	size_t i, best_len = 0;

	for (i = 0; r && i < r->n; i++) {
		const char *from = to_app ? r->v[i].contract : r->v[i].app;
		size_t n = strlen(from);

		if (n > best_len && strncmp(path, from, n) == 0) {
			best = &r->v[i];
			best_len = n;
		}
	}
	if (!best)
		return gbuf_adds(out, path);
	if (gbuf_adds(out, to_app ? best->app : best->contract) < 0)
		return -1;
	return gbuf_adds(out, path + best_len);
}

int routes_to_app(const struct routes *r, const char *path, struct gbuf *out)
{
	return map_path(r, path, true, out);
}

int routes_to_contract(const struct routes *r, const char *path, struct gbuf *out)
{
	return map_path(r, path, false, out);
}
