/*
 * env_toml.c - a small strict TOML reader for Pipfile and pyproject.toml
 * (the subset and the result are described in env_internal.h).
 */
#include "env_internal.h"
#include "err.h"
#include "vec.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small TOML reader -------------------------------------------- */


struct toml {
	const char *p;
	int line;
	const char *name;        /* for messages */
	struct gbuf *diag;
};

static void toml_val_free(struct toml_val *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		toml_val_free(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->s);
	memset(v, 0, sizeof(*v));
}

void toml_doc_free(struct toml_doc *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->e[i].table);
		free(d->e[i].key);
		toml_val_free(&d->e[i].v);
	}
	free(d->e);
	memset(d, 0, sizeof(*d));
}

static int toml_fail(struct toml *t, const char *what)
{
	if (gbuf_addf(t->diag, "%s:%d: %s", t->name, t->line, what) < 0)
		return -1;
	return 1;
}

static void toml_skip_ws(struct toml *t)
{
	while (*t->p == ' ' || *t->p == '\t')
		t->p++;
}

/* Whitespace, newlines and comments (inside arrays). */
static void toml_skip_all(struct toml *t)
{
	for (;;) {
		toml_skip_ws(t);
		if (*t->p == '#') {
			while (*t->p && *t->p != '\n')
				t->p++;
		} else if (*t->p == '\r' && t->p[1] == '\n') {
			t->p++;
		} else if (*t->p == '\n') {
			t->line++;
			t->p++;
		} else {
			return;
		}
	}
}

static int toml_add_utf8(struct gbuf *b, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	}
	return gbuf_add(b, u, n);
}

/* A string at t->p (which is at its opening quote); *out malloc'd. */
static int toml_string(struct toml *t, char **out)
{
	struct gbuf b = GBUF_INIT(ENV_REQ_MAX);
	char q = *t->p;
	bool multi = t->p[1] == q && t->p[2] == q;
	int rc = -1;

	*out = NULL;
	t->p += multi ? 3 : 1;
	if (multi && *t->p == '\n') /* a newline right after """ is trimmed */
		t->p++, t->line++;
	else if (multi && t->p[0] == '\r' && t->p[1] == '\n')
		t->p += 2, t->line++;
	for (;;) {
		char c = *t->p;

		if (!c || (!multi && (c == '\n' || c == '\r'))) {
			rc = toml_fail(t, "unterminated string");
			goto done;
		}
		if (c == q && (!multi || (t->p[1] == q && t->p[2] == q))) {
			t->p += multi ? 3 : 1;
			/* """a"""" : up to two quotes may end the content */
			while (multi && *t->p == q && b.len < ENV_REQ_MAX && gbuf_addch(&b, q) == 0)
				t->p++;
			break;
		}
		if (c == '\n')
			t->line++;
		if (c == '\\' && q == '"') {
			char e = t->p[1];
			unsigned long cp = 0;
			int digits = 0, i;

			t->p += 2;
			switch (e) {
			case 'b': c = '\b'; break;
			case 't': c = '\t'; break;
			case 'n': c = '\n'; break;
			case 'f': c = '\f'; break;
			case 'r': c = '\r'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case 'u': digits = 4; break;
			case 'U': digits = 8; break;
			default:
				if (multi && (e == '\n' || e == ' ' || e == '\t' || e == '\r')) {
					/* line-ending backslash: eat whitespace */
					t->p--;
					while (*t->p == ' ' || *t->p == '\t' || *t->p == '\n' || *t->p == '\r') {
						if (*t->p == '\n')
							t->line++;
						t->p++;
					}
					continue;
				}
				rc = toml_fail(t, "invalid escape in a string");
				goto done;
			}
			if (digits) {
				for (i = 0; i < digits; i++) {
					if (!isxdigit((unsigned char)t->p[i])) {
						rc = toml_fail(t, "invalid \\u escape in a string");
						goto done;
					}
					cp = cp * 16 + (unsigned long)(isdigit((unsigned char)t->p[i])
						? t->p[i] - '0' : tolower((unsigned char)t->p[i]) - 'a' + 10);
				}
				t->p += digits;
				if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0) {
					rc = toml_fail(t, "invalid code point in a string");
					goto done;
				}
				if (toml_add_utf8(&b, cp) < 0)
					goto done;
				continue;
			}
			if (gbuf_addch(&b, c) < 0)
				goto done;
			continue;
		}
		if (gbuf_addch(&b, c) < 0)
			goto done;
		t->p++;
	}
	if (b.truncated) {
		rc = toml_fail(t, "string too long");
		goto done;
	}
	if (gbuf_addch(&b, '\0') < 0)
		goto done;
	*out = gbuf_detach(&b, NULL);
	rc = *out ? 0 : err_set("out of memory");
done:
	gbuf_release(&b);
	return rc;
}

static bool toml_bare_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* One key part: bare or quoted. */
static int toml_key_part(struct toml *t, char **out)
{
	const char *s = t->p;

	*out = NULL;
	if (*t->p == '"' || *t->p == '\'') {
		if (t->p[1] == *t->p && t->p[2] == *t->p)
			return toml_fail(t, "a multi-line string cannot be a key");
		return toml_string(t, out);
	}
	while (toml_bare_char(*t->p))
		t->p++;
	if (t->p == s)
		return toml_fail(t, "expected a key");
	*out = strndup(s, (size_t)(t->p - s));
	return *out ? 0 : err_set("out of memory");
}

/* A dotted key: all parts but the last joined with '.' into *prefix
 * (NULL when there is one part), the last into *last. */
static int toml_key(struct toml *t, char **prefix, char **last)
{
	struct gbuf pre = GBUF_INIT(4096);
	char *part = NULL;
	int rc;

	*prefix = NULL;
	*last = NULL;
	for (;;) {
		toml_skip_ws(t);
		rc = toml_key_part(t, &part);
		if (rc)
			goto done;
		toml_skip_ws(t);
		if (*t->p != '.')
			break;
		t->p++;
		rc = -1;
		if ((pre.len && gbuf_addch(&pre, '.') < 0) || gbuf_adds(&pre, part) < 0)
			goto done;
		free(part);
		part = NULL;
	}
	rc = -1;
	if (pre.len) {
		*prefix = gbuf_detach(&pre, NULL);
		if (!*prefix) {
			err_set("out of memory");
			goto done;
		}
	}
	*last = part;
	part = NULL;
	rc = 0;
done:
	free(part);
	gbuf_release(&pre);
	return rc;
}

static int toml_value(struct toml *t, struct toml_val *v, int depth);

static int toml_push(struct toml_val *v, char *key, struct toml_val *item)
{
	if (VEC_RESERVE(v->items, v->cap_items, v->n + 1) < 0)
		return -1;
	if (v->kind == TOML_TAB) {
		if (VEC_RESERVE(v->keys, v->cap_keys, v->n + 1) < 0)
			return -1;
		v->keys[v->n] = key;
	}
	v->items[v->n++] = *item;
	memset(item, 0, sizeof(*item));
	return 0;
}

/* [ v, v, ] or { k = v, k = v } */
static int toml_compound(struct toml *t, struct toml_val *v, int depth)
{
	struct toml_val item = { 0 };
	char close = *t->p == '[' ? ']' : '}';
	char *prefix = NULL, *key = NULL;
	int rc = -1;

	v->kind = close == ']' ? TOML_ARR : TOML_TAB;
	t->p++;
	for (;;) {
		toml_skip_all(t);
		if (*t->p == close) {
			t->p++;
			break;
		}
		if (close == '}') {
			rc = toml_key(t, &prefix, &key);
			if (rc)
				goto done;
			rc = -1;
			if (prefix) {
				char *joined = NULL;

				if (asprintf(&joined, "%s.%s", prefix, key) < 0) {
					err_set("out of memory");
					goto done;
				}
				free(key);
				key = joined;
			}
			toml_skip_ws(t);
			if (*t->p != '=') {
				rc = toml_fail(t, "expected '=' in an inline table");
				goto done;
			}
			t->p++;
			toml_skip_ws(t);
		}
		rc = toml_value(t, &item, depth + 1);
		if (rc)
			goto done;
		rc = -1;
		if (toml_push(v, key, &item) < 0)
			goto done;
		key = NULL;
		free(prefix);
		prefix = NULL;
		toml_skip_all(t);
		if (*t->p == ',') {
			t->p++;
			continue;
		}
		if (*t->p == close) {
			t->p++;
			break;
		}
		rc = toml_fail(t, close == ']' ? "expected ',' or ']' in an array"
					       : "expected ',' or '}' in an inline table");
		goto done;
	}
	rc = 0;
done:
	toml_val_free(&item);
	free(prefix);
	free(key);
	return rc;
}

static int toml_value(struct toml *t, struct toml_val *v, int depth)
{
	const char *s = t->p;

	memset(v, 0, sizeof(*v));
	v->line = t->line;
	if (depth > TOML_DEPTH)
		return toml_fail(t, "values nest too deep");
	if (*t->p == '"' || *t->p == '\'') {
		v->kind = TOML_STR;
		return toml_string(t, &v->s);
	}
	if (*t->p == '[' || *t->p == '{')
		return toml_compound(t, v, depth);
	while (toml_bare_char(*t->p) || *t->p == '.' || *t->p == '+' || *t->p == ':')
		t->p++;
	if (t->p == s)
		return toml_fail(t, "expected a value");
	v->kind = TOML_BARE;
	v->s = strndup(s, (size_t)(t->p - s));
	return v->s ? 0 : err_set("out of memory");
}

/* Parse `text` (NUL-terminated, decoded) into *doc. 0, 1 malformed, -1. */
int toml_parse(const char *text, const char *name, struct toml_doc *doc, struct gbuf *diag)
{
	struct toml t = { text, 1, name, diag };
	struct toml_entry *ne;
	struct toml_val v = { 0 };
	char *table = strdup(""), *prefix = NULL, *key = NULL;
	int rc = -1;

	memset(doc, 0, sizeof(*doc));
	if (!table) {
		err_set("out of memory");
		goto done;
	}
	for (;;) {
		toml_skip_ws(&t);
		if (*t.p == '#')
			while (*t.p && *t.p != '\n')
				t.p++;
		if (*t.p == '\r' && t.p[1] == '\n')
			t.p++;
		if (*t.p == '\n') {
			t.p++;
			t.line++;
			continue;
		}
		if (!*t.p)
			break;
		if (*t.p == '[') {
			bool arr = t.p[1] == '[';

			t.p += arr ? 2 : 1;
			rc = toml_key(&t, &prefix, &key);
			if (rc)
				goto done;
			rc = -1;
			free(table);
			table = NULL;
			if (asprintf(&table, "%s%s%s", prefix ? prefix : "", prefix ? "." : "", key) < 0) {
				table = NULL;
				err_set("out of memory");
				goto done;
			}
			free(prefix);
			free(key);
			prefix = key = NULL;
			if (*t.p != ']' || (arr && t.p[1] != ']')) {
				rc = toml_fail(&t, "expected ']' after a table name");
				goto done;
			}
			t.p += arr ? 2 : 1;
		} else {
			rc = toml_key(&t, &prefix, &key);
			if (rc)
				goto done;
			rc = -1;
			if (*t.p != '=') {
				rc = toml_fail(&t, "expected '=' after a key");
				goto done;
			}
			t.p++;
			toml_skip_ws(&t);
			rc = toml_value(&t, &v, 0);
			if (rc)
				goto done;
			rc = -1;
			if (VEC_RESERVE(doc->e, doc->cap, doc->n + 1) < 0)
				goto done;
			ne = &doc->e[doc->n];
			if (asprintf(&ne->table, "%s%s%s", table, *table && prefix ? "." : "",
				     prefix ? prefix : "") < 0) {
				err_set("out of memory");
				goto done;
			}
			ne->key = key;
			ne->v = v;
			memset(&v, 0, sizeof(v));
			key = NULL;
			doc->n++;
			free(prefix);
			prefix = NULL;
		}
		toml_skip_ws(&t);
		if (*t.p == '#')
			while (*t.p && *t.p != '\n')
				t.p++;
		if (*t.p == '\r' && t.p[1] == '\n')
			t.p++;
		if (*t.p && *t.p != '\n') {
			rc = toml_fail(&t, "expected the end of the line");
			goto done;
		}
	}
	rc = 0;
done:
	if (rc != 0)
		toml_doc_free(doc);
	toml_val_free(&v);
	free(table);
	free(prefix);
	free(key);
	return rc;
}

/* The value of table.key, or NULL (the first when repeated). */
const struct toml_val *toml_get(const struct toml_doc *d, const char *table, const char *key)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->e[i].table, table) == 0 && strcmp(d->e[i].key, key) == 0)
			return &d->e[i].v;
	return NULL;
}

const char *toml_tab_str(const struct toml_val *v, const char *key)
{
	size_t i;

	for (i = 0; v->kind == TOML_TAB && i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			return v->items[i].kind == TOML_STR ? v->items[i].s : NULL;
	return NULL;
}

const struct toml_val *toml_tab_get(const struct toml_val *v, const char *key)
{
	size_t i;

	for (i = 0; v->kind == TOML_TAB && i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			return &v->items[i];
	return NULL;
}
