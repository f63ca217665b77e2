/*
 * yamlx.h - what the grader's YAML loaders share on top of libyaml: loading
 * a text into a document, walking a mapping, and the one position format of
 * their errors, "NAME:LINE:COLUMN: message" with 1-based line and column,
 * as editors and CI problem matchers read it. Used by the challenge loader
 * (challenge.c), a submission's grader.yaml (routes.c), the service's
 * configuration (serve.c) and the sandbox profiles (sandbox_profile.c).
 *
 * Ownership: a document yamlx_load() filled is the caller's, freed with
 * yaml_document_delete(). Nodes and the strings they hold belong to their
 * document; yamlx_problem's strings are libyaml's static texts.
 */
#ifndef GRADER_YAMLX_H
#define GRADER_YAMLX_H

#include <stddef.h>

#include <yaml.h>

#include "buf.h"

/* Why a text is not YAML, and where (1-based). */
struct yamlx_problem {
	size_t line, column;
	const char *problem;     /* "did not find expected ',' or ']'", or NULL */
	const char *context;     /* "while parsing a flow sequence", or NULL */
	size_t context_line;     /* where that context started (1-based) */
};

/*
 * Parse `len` bytes of text (untrusted: libyaml bounds nothing, so callers
 * cap the text first) into *doc. 0, and *doc is the caller's; 1 when the
 * text is not YAML (*pb says why and where; nothing to free); -1 + err
 * (out of memory).
 */
int yamlx_load(const char *text, size_t len, yaml_document_t *doc, struct yamlx_problem *pb);

/* 1-based line and column of a node. */
size_t yamlx_line(const yaml_node_t *n);
size_t yamlx_column(const yaml_node_t *n);

/* Append "NAME:LINE:COLUMN: " for node n. 0 or -1. */
int yamlx_add_pos(struct gbuf *out, const char *name, const yaml_node_t *n);

/* A scalar node's text, or NULL for any other node (or NULL). */
const char *yamlx_scalar(const yaml_node_t *n);

/* The value of the scalar key `key` in mapping `map`, or NULL; *key_node
 * (when key_node is non-NULL) gets the key's node. */
yaml_node_t *yamlx_map_get(yaml_document_t *doc, const yaml_node_t *map, const char *key,
			   yaml_node_t **key_node);

/* Walk a mapping's pairs: k and v (yaml_node_t *) name each key and value. */
#define YAMLX_FOR_PAIRS(doc, map, p, k, v)                                           \
	for ((p) = (map)->data.mapping.pairs.start;                                      \
	     (p) < (map)->data.mapping.pairs.top &&                                      \
	     ((k) = yaml_document_get_node((doc), (p)->key),                             \
	      (v) = yaml_document_get_node((doc), (p)->value), 1);                       \
	     (p)++)

#endif
