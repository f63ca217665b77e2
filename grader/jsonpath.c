/*
 * jsonpath.c - the JSONPath subset of jsonpath.h.
 *
 * Design: the path is parsed and evaluated in one pass over a "frontier",
 * the list of nodes the path reaches so far. Every segment maps each node to
 * zero or more of its own children, so the frontier only ever holds distinct
 * nodes of one depth of the document: its size is bounded by the document,
 * whatever the path (no exponential blow-up, no recursion on the path).
 * Validation is the same walk over a NULL document, so the syntax accepted
 * at load time and at run time cannot drift apart.
 *
 * The path comes from the challenge author (trusted, but may be mistyped);
 * the document comes from the submission (untrusted, parsed by cJSON with
 * its nesting limit). Results are deep copies, so the caller's tree and the
 * response's parse cache stay independent.
 */
#include "jsonpath.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "vec.h"

struct frontier {
	const cJSON **items;
	size_t len;
	size_t cap;
};

static int frontier_push(struct frontier *f, const cJSON *node)
{
	if (VEC_RESERVE(f->items, f->cap, f->len + 1) < 0)
		return -1;
	f->items[f->len++] = node;
	return 0;
}

static void frontier_swap(struct frontier *a, struct frontier *b)
{
	struct frontier t = *a;

	*a = *b;
	*b = t;
}

enum seg_kind { SEG_MEMBER, SEG_INDEX, SEG_WILD };

/* Apply one segment to every node of `cur`, appending results to `next`. */
static int seg_apply(enum seg_kind kind, const char *name, long index,
		     const struct frontier *cur, struct frontier *next)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < cur->len && rc == 0; i++) {
		const cJSON *n = cur->items[i];
		const cJSON *c;

		if (kind == SEG_MEMBER) {
			if (!cJSON_IsObject(n))
				continue;
			/* First member of that name, case-sensitive, like JSON.parse's
			 * lookup would find (cJSON keeps duplicates in order). */
			cJSON_ArrayForEach(c, n) {
				if (c->string && strcmp(c->string, name) == 0) {
					rc = frontier_push(next, c);
					break;
				}
			}
		} else if (kind == SEG_INDEX) {
			long size, at;

			if (!cJSON_IsArray(n))
				continue;
			size = cJSON_GetArraySize(n);
			at = index < 0 ? size + index : index;
			if (at < 0 || at >= size)
				continue;
			c = cJSON_GetArrayItem(n, (int)at);
			if (c)
				rc = frontier_push(next, c);
		} else {
			if (!cJSON_IsArray(n) && !cJSON_IsObject(n))
				continue;
			cJSON_ArrayForEach(c, n) {
				rc = frontier_push(next, c);
				if (rc)
					break;
			}
		}
	}
	return rc;
}

static bool name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/*
 * Walk `path` over `root` (NULL: syntax check only). On success *cur holds
 * the final frontier and *wild whether a wildcard was crossed.
 */
static int jsonpath_walk(const cJSON *root, const char *path, struct frontier *cur, bool *wild)
{
	struct frontier next = { NULL, 0, 0 };
	struct gbuf name = GBUF_INIT(1 << 16);
	size_t i = 0;
	int rc = -1;

	*wild = false;
	if (!path || path[0] != '$') {
		err_set("bad JSONPath at offset 0: it must start with '$'");
		goto done;
	}
	i = 1;
	if (root && frontier_push(cur, root) < 0)
		goto done;
	while (path[i]) {
		enum seg_kind kind = SEG_MEMBER;
		long index = 0;
		size_t at = i;

		gbuf_reset(&name);
		if (path[i] == '.') {
			i++;
			if (path[i] == '*') {
				kind = SEG_WILD;
				i++;
			} else if (name_start(path[i])) {
				size_t s = i;

				while (name_char(path[i]))
					i++;
				if (gbuf_add(&name, path + s, i - s) < 0)
					goto done;
			} else {
				err_set("bad JSONPath at offset %zu: expected a member name or '*' after '.'", i);
				goto done;
			}
		} else if (path[i] == '[') {
			i++;
			if (path[i] == '*' && path[i + 1] == ']') {
				kind = SEG_WILD;
				i += 2;
			} else if (path[i] == '\'' || path[i] == '"') {
				char q = path[i++];

				/* Quoted names take any characters; backslash escapes the
				 * quote and itself. */
				while (path[i] && path[i] != q) {
					if (path[i] == '\\' && (path[i + 1] == q || path[i + 1] == '\\'))
						i++;
					if (gbuf_addch(&name, path[i]) < 0)
						goto done;
					i++;
				}
				if (path[i] != q) {
					err_set("bad JSONPath at offset %zu: unterminated quoted name", at);
					goto done;
				}
				i++;
				if (path[i] != ']') {
					err_set("bad JSONPath at offset %zu: expected ']' after the quoted name", i);
					goto done;
				}
				i++;
				if (!name.data && gbuf_adds(&name, "") < 0)
					goto done;
			} else if (path[i] == '-' || isdigit((unsigned char)path[i])) {
				char *end = NULL;

				errno = 0;
				index = strtol(path + i, &end, 10);
				if (end == path + i || (path[i] == '-' && end == path + i + 1) ||
				    errno == ERANGE || index > INT_MAX || index < -(long)INT_MAX) {
					err_set("bad JSONPath at offset %zu: bad array index", i);
					goto done;
				}
				i = (size_t)(end - path);
				if (path[i] != ']') {
					err_set("bad JSONPath at offset %zu: expected ']' after the index", i);
					goto done;
				}
				i++;
				kind = SEG_INDEX;
			} else {
				err_set("bad JSONPath at offset %zu: expected an index, '*' or a quoted name after '['", i);
				goto done;
			}
		} else {
			err_set("bad JSONPath at offset %zu: expected '.' or '['", i);
			goto done;
		}
		if (kind == SEG_WILD)
			*wild = true;
		if (!root)
			continue;
		next.len = 0;
		if (seg_apply(kind, gbuf_str(&name), index, cur, &next) < 0)
			goto done;
		frontier_swap(cur, &next);
	}
	rc = 0;
done:
	free(next.items);
	gbuf_release(&name);
	return rc;
}

int jsonpath_validate(const char *path)
{
	struct frontier cur = { NULL, 0, 0 };
	bool wild;
	int rc;

	rc = jsonpath_walk(NULL, path, &cur, &wild);
	free(cur.items);
	return rc;
}

int jsonpath_eval(const cJSON *root, const char *path, cJSON **out)
{
	struct frontier cur = { NULL, 0, 0 };
	cJSON *res = NULL;
	cJSON *copy;
	bool wild;
	size_t i;
	int rc = -1;

	*out = NULL;
	if (!root) {
		/* Nothing to walk, but a bad path is still reported. */
		rc = jsonpath_validate(path);
		goto done;
	}
	if (jsonpath_walk(root, path, &cur, &wild) < 0)
		goto done;
	if (wild) {
		res = cJSON_CreateArray();
		if (!res) {
			err_set("out of memory");
			goto done;
		}
		for (i = 0; i < cur.len; i++) {
			copy = cJSON_Duplicate(cur.items[i], 1);
			if (!copy || !cJSON_AddItemToArray(res, copy)) {
				cJSON_Delete(copy);
				err_set("out of memory");
				goto done;
			}
		}
	} else if (cur.len > 0) {
		res = cJSON_Duplicate(cur.items[0], 1);
		if (!res) {
			err_set("out of memory");
			goto done;
		}
	}
	*out = res;
	res = NULL;
	rc = 0;
done:
	cJSON_Delete(res);
	free(cur.items);
	return rc;
}
