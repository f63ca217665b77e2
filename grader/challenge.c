/*
 * challenge.c - load a challenge folder (YAML) into the checked model of
 * challenge.h.
 *
 * Parsing uses libyaml's document API: the whole file becomes a node graph
 * in which every node keeps its start mark, so any error can point at
 * FILE:LINE:COLUMN. The model is then built by walking that graph against a
 * fixed schema (key tables below); anything the schema does not know is an
 * error at load time, so the engine never meets an unknown key or a pattern
 * that does not compile.
 *
 * Challenge files are written by instructors, but a challenge may come from
 * a path outside the repository, so the loader is defensive anyway:
 *   - files are read through a gbuf with a size ceiling;
 *   - YAML aliases can make the node graph cyclic (libyaml registers an
 *     anchor before loading its children) or exponentially large ("billion
 *     laughs"): converting values to cJSON is bounded in depth and in total
 *     nodes;
 *   - fixture, include and patch paths must be relative, free of "..", and
 *     resolve (symlinks included) inside the challenge folder.
 *
 * Values (bodies, predicate operands, headers) follow YAML 1.2's core
 * schema: plain scalars that look like null/bool/int/float become those JSON
 * types, anything quoted stays a string. So `equals: "3"` and `equals: 3`
 * differ in the model (the engine still compares them loosely).
 *
 * Memory: every allocation is hung on the tree (arrays are calloc'd at their
 * final size and counted before they are filled) the moment it is made, so
 * a half-built tree is always safe for challenge_free(). That is why the
 * parse_* helpers may return early: they hold nothing of their own.
 * Functions that do hold something (documents, buffers) use `goto done`.
 */
#include "challenge.h"
#include "checklang.h"
#include "result.h"
#include "timeouts.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xpath.h>
#include <libxml/xmlerror.h>
#include <openssl/evp.h>
#include <yaml.h>

#include "buf.h"
#include "err.h"
#include "strlist.h"
#include "vec.h"
#include "yamlx.h"
#include "html.h"
#include "jsonpath.h"
#include "rx.h"

#define FILE_LIMIT ((size_t)4 << 20)   /* one YAML file */
#define JSON_DEPTH_MAX 64              /* nesting of a value; also stops alias cycles */
#define JSON_NODES_MAX 200000          /* cJSON nodes per challenge: alias bombs */
#define MSG_MAX 900                    /* err.c keeps 1024 bytes */
/* What a step's timeout_ms and the challenge's request_timeout_ms must be. */
#define TIMEOUT_MS_WHAT "a timeout in milliseconds (1-" GRADER_TIMEOUT_STR(GRADER_REQUEST_TIMEOUT_MAX_MS) ")"

/*
 * The tree the caller gets is `c`; the loader also owns the names of the
 * files it read, which every srcpos.file points into. challenge_free()
 * recovers the wrapper from the public pointer (it is the first member).
 */
struct owner {
	struct challenge c;
	struct strlist files;   /* the relative paths checks' files point into */
};

struct ld {
	struct owner *o;
	struct challenge *c;
	size_t cap_checks;         /* c->checks' capacity (vec.h) */
	const char *file;          /* current file, relative; owned by o */
	yaml_document_t *doc;
	size_t budget;             /* cJSON nodes still allowed */
	EVP_MD_CTX *md;
	char *root_real;           /* realpath of the folder, for containment */
	/* Errors: parsing goes on after one (see ld_part), so an author sees
	 * them all at once. The first is err_last() when the load fails. */
	size_t nerr;               /* found so far */
	struct challenge_errors *errs;  /* the kept ones, or NULL */
	char first[MSG_MAX + PATH_MAX];
	char shown[PATH_MAX];      /* the folder as messages name it: relative
	                              to the current folder, "" or ending in '/' */
};

/* ---- key tables ------------------------------------------------------- */

static const char *const CHALLENGE_KEYS[] = {
	"id", "title", "sandbox", "request_timeout_ms", "users", "include",
	"checks", "mutants", "max_score", "concurrency", "sign_in", NULL};
static const char *const CHECKFILE_KEYS[] = {"checks", NULL};
static const char *const USER_KEYS[] = {
	"username", "password", "email", "is_staff", "is_superuser", NULL};
static const char *const CHECK_KEYS[] = {
	"id", "title", "category", "points", "advisory", "visibility", "depends_on", "steps",
	"concurrency", NULL};
static const char *const STEP_KEYS[] = {
	"name", "as", "method", "url", "headers", "json", "form", "multipart",
	"body", "content_type", "submit", "csrf", "follow", "all_pages", "fill_required", "timeout_ms",
	"repeat", "any_of", "setup", "guard", "after_failure", "on_server_error", "on_absent", "capture",
	"expect", NULL};
static const char *const AFTER_FAILURE_KEYS[] = {"held", "failed", "advice", NULL};
static const char *const SUBMIT_KEYS[] = {
	"page", "form", "action", "fields", "files", "multipart", "exact_choices", NULL};
static const char *const FILEPART_KEYS[] = {
	"file", "filename", "content_type", NULL};
static const char *const MUTANT_KEYS[] = {"id", "patch", "kills", "why", NULL};

static const char *const ASSERT_EXTRA_KEYS[] = {"attr", "filters", "not", "message", "describe", "what", "expected", NULL};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- errors ------------------------------------------------------------ */

static int ld_err(struct ld *l, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int ld_err_at(struct ld *l, size_t line, size_t column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Record an error "FILE:LINE:COLUMN: message" (line 0: "FILE: message"),
 * FILE relative to the current folder so that editors and CI problem
 * matchers find it. Returns -1.
 */
static int ld_err_at(struct ld *l, size_t line, size_t column, const char *fmt, ...)
{
	char msg[MSG_MAX], full[sizeof(l->first)];
	va_list ap;
	int k;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (line)
		k = snprintf(full, sizeof(full), "%s%s:%zu:%zu: %s", l->shown, l->file, line, column, msg);
	else
		k = snprintf(full, sizeof(full), "%s%s: %s", l->shown, l->file, msg);
	if (k < 0 || (size_t)k >= sizeof(full))
		memcpy(full + sizeof(full) - 4, "...", 4);   /* cut, visibly */
	if (l->nerr == 0)
		memcpy(l->first, full, sizeof(full));
	if (l->errs && l->errs->n < CHALLENGE_ERRORS_MAX) {
		l->errs->msg[l->errs->n] = strdup(full);
		if (l->errs->msg[l->errs->n])
			l->errs->n++;
	}
	l->nerr++;
	return err_set("%s", full);
}

/* At a node; libyaml marks are 0-based. */
static int ld_err(struct ld *l, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!n)
		return ld_err_at(l, 0, 0, "%s", msg);
	return ld_err_at(l, yamlx_line(n), yamlx_column(n), "%s", msg);
}

/*
 * The end of one independent part (a check, a step, an assertion, a user, a
 * mutant, an included file): a parse error in it has been recorded, and the
 * next part is parsed anyway. Only a failure that is not the file's (out of
 * memory) stops the load: -1 then. `before` is l->nerr before the part.
 */
static int ld_part(const struct ld *l, size_t before, int rc)
{
	return rc < 0 && l->nerr == before ? -1 : 0;
}

/* Levenshtein distance, for "did you mean" on keys (short words only). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[65];

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) ==
					      tolower((unsigned char)b[j - 1]) ? 0 : 1;
			size_t best = diag + cost;

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* Closest of `cands` to `word`, if close enough to be a plausible typo. */
static const char *closest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = SIZE_MAX, i, lim = strlen(word) <= 4 ? 1 : 2;

	for (i = 0; i < n; i++) {
		size_t d = edit_distance(word, cands[i]);

		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	return bestd <= lim ? best : NULL;
}

/* "a, b, c" into buf, cut politely if it does not fit. */
static void join_list(char *buf, size_t sz, const char *const *items, size_t n)
{
	size_t used = 0, i;

	buf[0] = '\0';
	for (i = 0; i < n && used < sz; i++) {
		int k = snprintf(buf + used, sz - used, "%s%s", i ? ", " : "", items[i]);

		if (k < 0 || (size_t)k >= sz - used) {
			if (sz > 4)
				strcpy(buf + sz - 4, "...");
			break;
		}
		used += (size_t)k;
	}
}

static size_t count_keys(const char *const *keys)
{
	size_t n = 0;

	while (keys[n])
		n++;
	return n;
}

/* ---- node helpers ------------------------------------------------------ */

static yaml_node_t *node_at(struct ld *l, int index)
{
	return yaml_document_get_node(l->doc, index);
}

static const char *scalar_text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static bool is_plain(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* Core schema null: ~, null, Null, NULL or nothing at all. */
static bool is_null(const yaml_node_t *n)
{
	const char *s;

	if (!is_plain(n))
		return false;
	s = scalar_text(n);
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

/* 1 true, 0 false, -1 not a core-schema boolean. */
static int bool_value(const yaml_node_t *n)
{
	const char *s;

	if (!is_plain(n))
		return -1;
	s = scalar_text(n);
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return 1;
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return 0;
	return -1;
}

/* Core schema int: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+ */
static bool int_value(const yaml_node_t *n, long long *out)
{
	const char *s, *p;
	char *end;
	int base = 10;

	if (!is_plain(n))
		return false;
	s = scalar_text(n);
	p = s;
	if (p[0] == '0' && (p[1] == 'o' || p[1] == 'x')) {
		base = p[1] == 'o' ? 8 : 16;
		p += 2;
		if (!*p || !(base == 8 ? strspn(p, "01234567") : strspn(p, "0123456789abcdefABCDEF")) ||
		    p[base == 8 ? strspn(p, "01234567") : strspn(p, "0123456789abcdefABCDEF")])
			return false;
	} else {
		if (*p == '-' || *p == '+')
			p++;
		if (!*p || p[strspn(p, "0123456789")])
			return false;
		p = s;
	}
	errno = 0;
	*out = strtoll(p, &end, base);
	return errno == 0 && *end == '\0';
}

/* Core schema float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
 * (.inf and .nan have no JSON form and stay strings). */
static bool float_value(const yaml_node_t *n, double *out)
{
	const char *s, *p;
	size_t k;
	char *end;

	if (!is_plain(n))
		return false;
	s = scalar_text(n);
	p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (*p == '.') {
		p++;
		k = strspn(p, "0123456789");
		if (!k)
			return false;
		p += k;
	} else {
		k = strspn(p, "0123456789");
		if (!k)
			return false;
		p += k;
		if (*p == '.')
			p += 1 + strspn(p + 1, "0123456789");
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		k = strspn(p, "0123456789");
		if (!k)
			return false;
		p += k;
	}
	if (*p)
		return false;
	*out = strtod(s, &end);
	return *end == '\0';
}

/* A short description of a node for "found ..." in messages. */
static void node_desc(const yaml_node_t *n, char *buf, size_t sz)
{
	struct gbuf g = GBUF_INIT(256);

	switch (n->type) {
	case YAML_MAPPING_NODE:
		snprintf(buf, sz, "a mapping");
		break;
	case YAML_SEQUENCE_NODE:
		snprintf(buf, sz, "a list");
		break;
	case YAML_SCALAR_NODE:
		if (is_null(n)) {
			snprintf(buf, sz, "nothing (null)");
			break;
		}
		if (gbuf_add_excerpt(&g, scalar_text(n), n->data.scalar.length, 60) < 0) {
			snprintf(buf, sz, "a scalar");
			break;
		}
		snprintf(buf, sz, "'%s'", gbuf_str(&g));
		break;
	default:
		snprintf(buf, sz, "nothing");
		break;
	}
	gbuf_release(&g);
}

static int err_type(struct ld *l, const yaml_node_t *n, const char *expected)
{
	char d[128];

	node_desc(n, d, sizeof(d));
	return ld_err(l, n, "found %s; expected %s", d, expected);
}

/*
 * Check that `map` is a mapping whose keys are distinct scalars from `keys`.
 * After this, map_get() can look keys up without further checks.
 */
static int map_check(struct ld *l, yaml_node_t *map, const char *what, const char *const *keys)
{
	yaml_node_pair_t *p, *q;
	char list[MSG_MAX / 2], exp[64];
	size_t i, nkeys = count_keys(keys), before = l->nerr;
	const char *hint;

	if (map->type != YAML_MAPPING_NODE) {
		snprintf(exp, sizeof(exp), "a mapping (%s)", what);
		return err_type(l, map, exp);
	}
	/* Every bad key of the mapping is reported, then the mapping fails. */
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(l, p->key);
		const char *ks;

		if (k->type != YAML_SCALAR_NODE) {
			err_type(l, k, "a key (a plain word)");
			continue;
		}
		ks = scalar_text(k);
		for (i = 0; i < nkeys; i++)
			if (!strcmp(keys[i], ks))
				break;
		if (i == nkeys) {
			char d[128];

			node_desc(k, d, sizeof(d));
			join_list(list, sizeof(list), keys, nkeys);
			hint = closest(ks, keys, nkeys);
			if (hint)
				ld_err(l, k, "unknown key %s in %s; did you mean '%s'? expected one of: %s",
				       d, what, hint, list);
			else
				ld_err(l, k, "unknown key %s in %s; expected one of: %s", d, what, list);
			continue;
		}
		for (q = map->data.mapping.pairs.start; q < p; q++) {
			yaml_node_t *k2 = node_at(l, q->key);

			if (k2->type == YAML_SCALAR_NODE && !strcmp(scalar_text(k2), ks)) {
				ld_err(l, k, "duplicate key '%s' in %s (first at line %zu); expected each key once",
				       ks, what, yamlx_line(k2));
				break;
			}
		}
	}
	return l->nerr == before ? 0 : -1;
}

static yaml_node_t *map_get(struct ld *l, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(l, p->key);

		if (k->type == YAML_SCALAR_NODE && !strcmp(scalar_text(k), key))
			return node_at(l, p->value);
	}
	return NULL;
}

static size_t seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static yaml_node_t *seq_item(struct ld *l, yaml_node_t *n, size_t i)
{
	return node_at(l, n->data.sequence.items.start[i]);
}

static int need_seq(struct ld *l, yaml_node_t *n, const char *expected)
{
	return n->type == YAML_SEQUENCE_NODE ? 0 : err_type(l, n, expected);
}

/* A string field: any non-null scalar, taken verbatim. */
static int get_str(struct ld *l, yaml_node_t *n, const char *expected, char **out)
{
	if (n->type != YAML_SCALAR_NODE || is_null(n))
		return err_type(l, n, expected);
	if (memchr(scalar_text(n), '\0', n->data.scalar.length))
		return ld_err(l, n, "found a string with a NUL character; expected text");
	*out = strdup(scalar_text(n));
	return *out ? 0 : err_set("out of memory");
}

static int get_bool(struct ld *l, yaml_node_t *n, bool *out)
{
	int b = bool_value(n);

	if (b < 0)
		return err_type(l, n, "true or false");
	*out = b;
	return 0;
}

static int get_long(struct ld *l, yaml_node_t *n, long lo, long hi, const char *expected, long *out)
{
	long long v;

	if (!int_value(n, &v) || v < lo || v > hi)
		return err_type(l, n, expected);
	*out = (long)v;
	return 0;
}

static bool has_template(const char *s)
{
	return strstr(s, "{{") != NULL;
}

/* ---- values: YAML -> cJSON -------------------------------------------- */

static cJSON *scalar_to_json(const yaml_node_t *n)
{
	long long iv;
	double dv;
	int b;

	if (is_plain(n)) {
		if (is_null(n))
			return cJSON_CreateNull();
		b = bool_value(n);
		if (b >= 0)
			return cJSON_CreateBool(b);
		if (int_value(n, &iv))
			return cJSON_CreateNumber((double)iv);
		if (float_value(n, &dv))
			return cJSON_CreateNumber(dv);
	}
	return cJSON_CreateString(scalar_text(n));
}

static int to_json(struct ld *l, yaml_node_t *n, int depth, cJSON **out)
{
	cJSON *v = NULL, *child = NULL;
	yaml_node_pair_t *p;
	yaml_node_item_t *it;
	int rc = -1;

	*out = NULL;
	if (depth > JSON_DEPTH_MAX) {
		ld_err(l, n, "found a value nested more than %d deep (or an alias that refers to itself); expected a plain value",
		       JSON_DEPTH_MAX);
		goto done;
	}
	if (l->budget == 0) {
		ld_err(l, n, "found more than %d values in the challenge (aliases expanding?); expected fewer",
		       JSON_NODES_MAX);
		goto done;
	}
	l->budget--;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		if (memchr(scalar_text(n), '\0', n->data.scalar.length)) {
			ld_err(l, n, "found a string with a NUL character; expected text");
			goto done;
		}
		v = scalar_to_json(n);
		break;
	case YAML_SEQUENCE_NODE:
		v = cJSON_CreateArray();
		for (it = n->data.sequence.items.start; v && it < n->data.sequence.items.top; it++) {
			if (to_json(l, node_at(l, *it), depth + 1, &child) < 0)
				goto done;
			if (!cJSON_AddItemToArray(v, child)) {
				cJSON_Delete(child);
				err_set("out of memory");
				goto done;
			}
			child = NULL;
		}
		break;
	case YAML_MAPPING_NODE:
		v = cJSON_CreateObject();
		for (p = n->data.mapping.pairs.start; v && p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = node_at(l, p->key);

			if (k->type != YAML_SCALAR_NODE) {
				err_type(l, k, "a key (a plain word)");
				goto done;
			}
			if (cJSON_GetObjectItemCaseSensitive(v, scalar_text(k))) {
				ld_err(l, k, "duplicate key '%s'; expected each key once", scalar_text(k));
				goto done;
			}
			if (to_json(l, node_at(l, p->value), depth + 1, &child) < 0)
				goto done;
			if (!cJSON_AddItemToObject(v, scalar_text(k), child)) {
				cJSON_Delete(child);
				err_set("out of memory");
				goto done;
			}
			child = NULL;
		}
		break;
	default:
		ld_err(l, n, "found an empty node; expected a value");
		goto done;
	}
	if (!v) {
		err_set("out of memory");
		goto done;
	}
	*out = v;
	v = NULL;
	rc = 0;
done:
	cJSON_Delete(v);
	return rc;
}

/* ---- validation of patterns and paths ---------------------------------- */

static int check_regex(struct ld *l, yaml_node_t *n, const char *pattern)
{
	struct rx *r = NULL;

	if (rx_compile(pattern, &r) < 0) {
		char why[512];

		snprintf(why, sizeof(why), "%s", err_last());
		return ld_err(l, n, "%s in '%s'; expected a PCRE2 pattern", why, pattern);
	}
	rx_free(r);
	return 0;
}

static int check_jsonpath(struct ld *l, yaml_node_t *n, const char *path)
{
	if (jsonpath_validate(path) < 0) {
		char why[512];

		snprintf(why, sizeof(why), "%s", err_last());
		return ld_err(l, n, "%s in '%s'; expected $ followed by .name, ['name'], [N] or [*]",
			      why, path);
	}
	return 0;
}

static int check_css(struct ld *l, yaml_node_t *n, const char *sel)
{
	struct gbuf x = GBUF_INIT(64 << 10);
	int rc = 0;

	if (html_css_to_xpath(sel, &x) < 0) {
		char why[512];

		snprintf(why, sizeof(why), "%s", err_last());
		rc = ld_err(l, n, "%s in '%s'; expected a selector of the supported subset (see html.h)",
			    why, sel);
	}
	gbuf_release(&x);
	return rc;
}

/* libxml2 reports XPath syntax errors through the context's structured
 * handler (instead of printing them); keep the first one. libxml2 2.9 leaves
 * `message` NULL there, so the reason comes from the code and the offset
 * from int1. */
struct xpath_err {
	bool seen;
	int code;
	int offset;
	char msg[128];
};

static void xpath_error(void *user, xmlErrorPtr e)
{
	struct xpath_err *x = user;

	if (x->seen || !e)
		return;
	x->seen = true;
	x->code = e->code;
	x->offset = e->int1;
	if (e->message)
		snprintf(x->msg, sizeof(x->msg), "%s", e->message);
}

static const char *xpath_reason(const struct xpath_err *x)
{
	if (x->msg[0])
		return x->msg;
	switch (x->code) {
	case XML_XPATH_NUMBER_ERROR: return "bad number";
	case XML_XPATH_UNFINISHED_LITERAL_ERROR: return "unfinished string";
	case XML_XPATH_START_LITERAL_ERROR: return "expected a string";
	case XML_XPATH_VARIABLE_REF_ERROR: return "bad variable reference";
	case XML_XPATH_INVALID_PREDICATE_ERROR: return "bad predicate";
	case XML_XPATH_UNCLOSED_ERROR: return "missing closing bracket";
	case XML_XPATH_UNKNOWN_FUNC_ERROR: return "unknown function";
	case XML_XPATH_INVALID_ARITY: return "wrong number of arguments";
	default: return "invalid expression";
	}
}

static int check_xpath(struct ld *l, yaml_node_t *n, const char *expr)
{
	struct xpath_err x;
	xmlXPathContextPtr ctx = NULL;
	xmlXPathCompExprPtr comp = NULL;
	size_t k;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	ctx = xmlXPathNewContext(NULL);
	if (!ctx) {
		err_set("out of memory");
		goto done;
	}
	ctx->error = xpath_error;
	ctx->userData = &x;
	comp = xmlXPathCtxtCompile(ctx, (const xmlChar *)expr);
	if (!comp) {
		k = strlen(x.msg);
		while (k && (x.msg[k - 1] == '\n' || x.msg[k - 1] == ' '))
			x.msg[--k] = '\0';
		ld_err(l, n, "bad XPath at offset %d: %s in '%s'; expected an XPath 1.0 expression", x.offset,
		       xpath_reason(&x), expr);
		goto done;
	}
	rc = 0;
done:
	if (comp)
		xmlXPathFreeCompExpr(comp);
	if (ctx)
		xmlXPathFreeContext(ctx);
	return rc;
}

/*
 * A path inside the challenge folder: relative, no "..", and after symlinks
 * still inside the folder, so a challenge cannot make the grader read (and
 * send to a submission, or hash) files from elsewhere.
 */
static int check_inside(struct ld *l, yaml_node_t *n, const char *rel, const char *what)
{
	char *full = NULL, *real = NULL;
	const char *p = rel;
	struct stat st;
	size_t rl = strlen(l->root_real);
	int rc = -1;

	if (!*rel || rel[0] == '/') {
		ld_err(l, n, "found %s path '%s'; expected a path relative to the challenge folder",
		       *rel ? "absolute" : "empty", rel);
		goto done;
	}
	while (*p) {
		size_t k = strcspn(p, "/");

		if (k == 2 && p[0] == '.' && p[1] == '.') {
			ld_err(l, n, "found '..' in %s path '%s'; expected a path inside the challenge folder",
			       what, rel);
			goto done;
		}
		p += k;
		if (*p)
			p++;
	}
	if (asprintf(&full, "%s/%s", l->c->dir, rel) < 0) {
		full = NULL;
		err_set("out of memory");
		goto done;
	}
	real = realpath(full, NULL);
	if (!real || stat(real, &st) < 0 || !S_ISREG(st.st_mode)) {
		ld_err(l, n, "%s '%s' does not exist in the challenge folder; expected an existing file",
		       what, rel);
		goto done;
	}
	if (strncmp(real, l->root_real, rl) != 0 || real[rl] != '/') {
		ld_err(l, n, "%s '%s' leads outside the challenge folder (symlink); expected a file inside it",
		       what, rel);
		goto done;
	}
	rc = 0;
done:
	free(full);
	free(real);
	return rc;
}

/* ---- queries, filters, predicates -------------------------------------- */

static void pos_of(struct ld *l, const yaml_node_t *n, struct srcpos *pos)
{
	pos->file = l->file;
	pos->line = (int)yamlx_line(n);
	pos->column = (int)yamlx_column(n);
}

static int parse_filter(struct ld *l, yaml_node_t *n, struct filter *f)
{
	char names[MSG_MAX / 2];
	const char *keys[NELEM(checklang_filters)];
	const struct checklang_filter *d;
	yaml_node_t *kn = n, *arg = NULL;
	const char *word, *hint;
	size_t i;
	int rc = -1;

	for (i = 0; i < NELEM(checklang_filters); i++)
		keys[i] = checklang_filters[i].key;
	join_list(names, sizeof(names), keys, NELEM(checklang_filters));
	pos_of(l, n, &f->pos);
	if (n->type == YAML_MAPPING_NODE) {
		if (n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1) {
			ld_err(l, n, "found a filter mapping with %d keys; expected one key, e.g. {unwrap: results}",
			       (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start));
			goto done;
		}
		kn = node_at(l, n->data.mapping.pairs.start[0].key);
		arg = node_at(l, n->data.mapping.pairs.start[0].value);
		if (kn->type != YAML_SCALAR_NODE) {
			err_type(l, kn, "a filter name");
			goto done;
		}
	} else if (n->type != YAML_SCALAR_NODE || is_null(n)) {
		err_type(l, n, "a filter: a word like count, or a one-key mapping like {unwrap: results}");
		goto done;
	}
	word = scalar_text(kn);
	d = checklang_filter_find(word);
	if (!d) {
		hint = closest(word, keys, NELEM(checklang_filters));
		ld_err(l, kn, "unknown filter '%s'%s%s%sexpected one of: %s", word,
		       hint ? "; did you mean '" : "; ", hint ? hint : "", hint ? "'? " : "", names);
		goto done;
	}
	f->kind = d->kind;
	if (d->arg == FA_NONE) {
		if (arg) {
			ld_err(l, kn, "filter '%s' takes no argument; expected the bare word '%s'", word, word);
			goto done;
		}
		rc = 0;
		goto done;
	}
	if (!arg) {
		if (d->arg == FA_OPT_STR) {
			f->arg = strdup(" ");
			rc = f->arg ? 0 : err_set("out of memory");
			goto done;
		}
		ld_err(l, kn, "filter '%s' needs an argument; expected {%s: ...}", word, word);
		goto done;
	}
	switch (d->arg) {
	case FA_STR:
	case FA_OPT_STR:
		rc = get_str(l, arg, "a string argument", &f->arg);
		break;
	case FA_REGEX:
		rc = get_str(l, arg, "a regex", &f->arg);
		if (rc == 0)
			rc = check_regex(l, arg, f->arg);
		break;
	case FA_INT:
		rc = get_long(l, arg, LONG_MIN, LONG_MAX, "an integer (negative counts from the end)", &f->num);
		break;
	case FA_WHERE:
		if (arg->type != YAML_MAPPING_NODE || arg->data.mapping.pairs.top == arg->data.mapping.pairs.start) {
			err_type(l, arg, "a mapping of member -> value, e.g. {where: {user: 3}}");
			goto done;
		}
		rc = to_json(l, arg, 0, &f->value);
		break;
	default:
		rc = 0;
		break;
	}
done:
	return rc;
}

/*
 * One assertion (capture = false) or the query part of a capture. Keys are
 * classified first (query / predicate / extra), so every mistake is caught
 * at the key it concerns.
 */
/* The keys of one assertion or capture, sorted out by what they are. */
struct assertion_keys {
	yaml_node_t *qk, *qv;     /* the query's key and argument */
	yaml_node_t *pk, *pv;     /* the predicate's, or NULL */
	yaml_node_t *attr, *filters, *notn, *msg, *describe, *what, *expected, *optional;
	const struct checklang_query *qd;
	const struct checklang_pred *pd;
};

/* Every key an assertion (or a capture: no predicates, only the first two
 * extra keys, `what`, which names what it reads in a message when it finds
 * nothing, and `optional`) may have, NULL-terminated, into all. */
static void assertion_allowed(const char **all, bool capture)
{
	size_t nall = 0, i;

	for (i = 0; i < NELEM(checklang_queries); i++)
		all[nall++] = checklang_queries[i].key;
	if (!capture)
		for (i = 0; i < NELEM(checklang_preds); i++)
			all[nall++] = checklang_preds[i].key;
	for (i = 0; ASSERT_EXTRA_KEYS[i]; i++)
		if (!capture || i < 2)
			all[nall++] = ASSERT_EXTRA_KEYS[i];
	if (capture) {
		all[nall++] = "what";
		all[nall++] = "optional";
		all[nall++] = "from_list";
	}
	all[nall] = NULL;
}

/* Where an assertion's (or a capture's) key other than its query and
 * predicate goes in k, or NULL for a key that is neither (map_check has
 * refused those already). */
static yaml_node_t **extra_key_slot(struct assertion_keys *k, const char *key)
{
	static const struct {
		const char *key;
		size_t at;
	} slots[] = {
		{"attr", offsetof(struct assertion_keys, attr)},
		{"filters", offsetof(struct assertion_keys, filters)},
		{"not", offsetof(struct assertion_keys, notn)},
		{"message", offsetof(struct assertion_keys, msg)},
		{"describe", offsetof(struct assertion_keys, describe)},
		{"what", offsetof(struct assertion_keys, what)},
		{"expected", offsetof(struct assertion_keys, expected)},
		{"optional", offsetof(struct assertion_keys, optional)},
	};
	size_t i;

	for (i = 0; i < NELEM(slots); i++)
		if (!strcmp(key, slots[i].key))
			return (yaml_node_t **)((char *)k + slots[i].at);
	return NULL;
}

/* Sort the keys of mapping n out: one query (required), at most one
 * predicate, and the extras. 0, or -1 with the error recorded. */
static int assertion_sort_keys(struct ld *l, yaml_node_t *n, bool capture, struct assertion_keys *k)
{
	const char *what = capture ? "capture" : "assertion";
	const char *qkeys[NELEM(checklang_queries)];
	char names[MSG_MAX / 2];
	yaml_node_pair_t *p;
	yaml_node_t **slot;
	size_t i;

	memset(k, 0, sizeof(*k));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *key = node_at(l, p->key), *v = node_at(l, p->value);
		const char *ks = scalar_text(key);
		const struct checklang_query *q = checklang_query_find(ks);
		const struct checklang_pred *pr = capture ? NULL : checklang_pred_find(ks);

		if (q && k->qk)
			return ld_err(l, key, "second query '%s' in %s (already '%s'); expected one query per %s",
				      ks, what, scalar_text(k->qk), what);
		if (pr && k->pk)
			return ld_err(l, key, "second predicate '%s' in assertion (already '%s'); expected one "
				      "predicate per assertion", ks, scalar_text(k->pk));
		if (q) {
			k->qk = key;
			k->qv = v;
			k->qd = q;
		} else if (pr) {
			k->pk = key;
			k->pv = v;
			k->pd = pr;
		} else if ((slot = extra_key_slot(k, ks))) {
			*slot = v;
		}
	}
	if (k->qk)
		return 0;
	for (i = 0; i < NELEM(checklang_queries); i++)
		qkeys[i] = checklang_queries[i].key;
	join_list(names, sizeof(names), qkeys, NELEM(checklang_queries));
	return ld_err(l, n, "found %s without a query; expected one of: %s", capture ? "a capture" : "an assertion",
		      names);
}

/* `status: 201` and `status: [401, 403]`: a status query with its
 * predicate in one. 0 or -1. */
static int parse_status_shorthand(struct ld *l, yaml_node_t *qv, struct assertion *a)
{
	long long code;
	size_t i;

	if (int_value(qv, &code)) {
		if (code < 100 || code > 599)
			return err_type(l, qv, "an HTTP status code (100-599)");
		a->pred = P_EQUALS;
	} else if (qv->type == YAML_SEQUENCE_NODE && seq_len(qv) > 0) {
		for (i = 0; i < seq_len(qv); i++) {
			yaml_node_t *it = seq_item(l, qv, i);

			if (!int_value(it, &code) || code < 100 || code > 599)
				return err_type(l, it, "an HTTP status code (100-599)");
		}
		a->pred = P_ONE_OF;
	} else {
		return err_type(l, qv, "a status code like 201, a list like [401, 403], or true with a predicate");
	}
	return to_json(l, qv, 0, &a->value);
}

/* The query and its argument (checklang.h says which kind it takes), and
 * `attr`. 0 or -1. */
static int parse_query(struct ld *l, const struct assertion_keys *k, struct assertion *a, bool capture)
{
	const struct checklang_query *qd = k->qd;
	yaml_node_t *qv = k->qv;
	int rc = 0;

	a->query = qd->kind;
	switch (qd->arg) {
	case QA_NONE:
		if (!is_null(qv) && bool_value(qv) != 1) {
			char exp[128];

			snprintf(exp, sizeof(exp), "true or ~ ('%s' takes no argument; put the expected value in a predicate)",
				 qd->key);
			rc = err_type(l, qv, exp);
		}
		break;
	case QA_STATUS:
		if (is_null(qv) || bool_value(qv) == 1)
			break;
		if (k->pk || capture)
			rc = err_type(l, qv, capture ? "true or ~ (a capture takes no predicate)" :
				      "true or ~ (status is a plain query when a predicate is given)");
		else
			rc = parse_status_shorthand(l, qv, a);
		break;
	case QA_STR:
		if (get_str(l, qv, "a header name", &a->arg) < 0)
			return -1;
		if (!*a->arg || a->arg[strspn(a->arg, "!#$%&'*+-.^_`|~0123456789"
					   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")])
			rc = err_type(l, qv, "a header name (letters, digits, '-')");
		break;
	case QA_JSONPATH:
		rc = get_str(l, qv, "a JSONPath like $.id", &a->arg) < 0 || check_jsonpath(l, qv, a->arg) < 0 ? -1 : 0;
		break;
	case QA_XPATH:
		rc = get_str(l, qv, "an XPath expression", &a->arg) < 0 || check_xpath(l, qv, a->arg) < 0 ? -1 : 0;
		break;
	case QA_CSS:
		rc = get_str(l, qv, "a CSS selector", &a->arg) < 0 || check_css(l, qv, a->arg) < 0 ? -1 : 0;
		break;
	case QA_REGEX:
		rc = get_str(l, qv, "a regex", &a->arg) < 0 || check_regex(l, qv, a->arg) < 0 ? -1 : 0;
		break;
	case QA_ANY:
		rc = to_json(l, qv, 0, &a->qvalue);
		break;
	}
	if (rc < 0 || !k->attr)
		return rc < 0 ? -1 : 0;
	if (a->query != Q_CSS)
		return ld_err(l, k->attr, "found 'attr' with query '%s'; expected it only with 'css'", qd->key);
	return get_str(l, k->attr, "an attribute name", &a->attr);
}

/* `filters: [...]`, in order. 0 or -1. */
static int parse_filters(struct ld *l, yaml_node_t *filters, struct assertion *a)
{
	size_t i;

	if (need_seq(l, filters, "a list of filters, e.g. [{unwrap: results}, count]") < 0)
		return -1;
	a->filters = calloc(seq_len(filters) ? seq_len(filters) : 1, sizeof(*a->filters));
	if (!a->filters)
		return err_set("out of memory");
	a->nfilters = seq_len(filters);
	for (i = 0; i < a->nfilters; i++)
		if (parse_filter(l, seq_item(l, filters, i), &a->filters[i]) < 0)
			return -1;
	return 0;
}

/* A predicate's value as a JSON string, once checked to be a scalar
 * (what: the expected kind, for the error). 0 or -1. */
static int pred_string(struct ld *l, yaml_node_t *pv, const char *what, struct assertion *a)
{
	if (pv->type != YAML_SCALAR_NODE || is_null(pv))
		return err_type(l, pv, what);
	a->value = cJSON_CreateString(scalar_text(pv));
	return a->value ? 0 : err_set("out of memory");
}

/* A number (PA_NUMBER) or a count (PA_COUNT), or a template. 0 or -1. */
static int pred_number(struct ld *l, yaml_node_t *pv, bool count, struct assertion *a)
{
	long long iv;
	double dv;
	bool ok = pv->type == YAML_SCALAR_NODE && has_template(scalar_text(pv));

	if (count)
		ok = ok || (int_value(pv, &iv) && iv >= 0);
	else
		ok = ok || int_value(pv, &iv) || float_value(pv, &dv);
	if (!ok)
		return err_type(l, pv, count ? "a count (an integer >= 0, or \"{{variable}}\")" :
				"a number (or \"{{variable}}\")");
	return to_json(l, pv, 0, &a->value);
}

/* The predicate and its value (checklang.h says which kind it takes).
 * 0 or -1. */
static int parse_pred(struct ld *l, const struct assertion_keys *k, struct assertion *a)
{
	yaml_node_t *pv = k->pv;
	bool b = false;

	a->pred = k->pd->kind;
	switch (k->pd->arg) {
	case PA_ANY:
		return to_json(l, pv, 0, &a->value);
	case PA_LIST:
		if (pv->type != YAML_SEQUENCE_NODE && !(pv->type == YAML_SCALAR_NODE && has_template(scalar_text(pv))))
			return err_type(l, pv, "a list of values, e.g. [401, 403]");
		return to_json(l, pv, 0, &a->value);
	case PA_SCALAR:
		if (pv->type != YAML_SCALAR_NODE || is_null(pv))
			return err_type(l, pv, "a string");
		return to_json(l, pv, 0, &a->value);
	case PA_REGEX:
		/* A templated pattern is only known at run time. */
		if (pv->type == YAML_SCALAR_NODE && !is_null(pv) && !has_template(scalar_text(pv)) &&
		    check_regex(l, pv, scalar_text(pv)) < 0)
			return -1;
		return pred_string(l, pv, "a regex", a);
	case PA_BOOL:
		if (get_bool(l, pv, &b) < 0)
			return -1;
		if (!b)
			a->negate = true;
		return 0;
	case PA_NUMBER:
	case PA_COUNT:
		return pred_number(l, pv, k->pd->arg == PA_COUNT, a);
	case PA_FILE:
		if (a->query != Q_BODY)
			return ld_err(l, k->pk, "found equalsFile with query '%s'; expected it with 'body'", k->qd->key);
		if (pv->type != YAML_SCALAR_NODE || is_null(pv))
			return err_type(l, pv, "a fixture path");
		if (check_inside(l, pv, scalar_text(pv), "fixture") < 0)
			return -1;
		return pred_string(l, pv, "a fixture path", a);
	}
	return 0;
}

/*
 * One assertion (or capture: a query, filters, no predicate), in phases:
 * sort its keys out, then the query, the filters, the predicate, `not`
 * and `message`. 0, or -1 with the error recorded.
 */
static int parse_assertion(struct ld *l, yaml_node_t *n, struct assertion *a, bool capture)
{
	const char *all[NELEM(checklang_queries) + NELEM(checklang_preds) + 8];
	struct assertion_keys k;
	bool b = false;

	assertion_allowed(all, capture);
	pos_of(l, n, &a->pos);
	a->pred = P_EXISTS;
	if (map_check(l, n, capture ? "capture" : "assertion", all) < 0 || assertion_sort_keys(l, n, capture, &k) < 0 ||
	    parse_query(l, &k, a, capture) < 0 || (k.filters && parse_filters(l, k.filters, a) < 0) ||
	    (k.pd && parse_pred(l, &k, a) < 0))
		return -1;
	if (k.notn) {
		if (get_bool(l, k.notn, &b) < 0)
			return -1;
		if (b)
			a->negate = !a->negate;
	}
	if ((k.msg && get_str(l, k.msg, "a message (text)", &a->message) < 0) ||
	    (k.describe && get_str(l, k.describe, "a description of the failure (text)", &a->describe) < 0) ||
	    (k.what && get_str(l, k.what, "the value's name in messages (text)", &a->what) < 0) ||
	    (k.expected && get_str(l, k.expected, "what was expected, in words (text)", &a->expected) < 0) ||
	    (k.optional && get_bool(l, k.optional, &a->optional) < 0))
		return -1;
	return 0;
}

/* ---- steps --------------------------------------------------------------- */

static bool valid_ident_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool valid_ident(const char *s)
{
	if (!valid_ident_start(*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* A capture's `from_list: PATH`: where its answer lacks the member, the
 * engine reads it from the row the step made in that list, so the member
 * is named alone ($.NAME, no filters: a row's member, not the answer's
 * shape). 0, or -1 with the error recorded. */
static int parse_capture_from_list(struct ld *l, yaml_node_t *n, struct capture *cap)
{
	yaml_node_t *v = map_get(l, n, "from_list");
	const char *arg = cap->q.arg;
	size_t i;
	bool plain = cap->q.query == Q_JSONPATH && !cap->q.nfilters && arg && !strncmp(arg, "$.", 2) &&
		     valid_ident_start(arg[2]);

	if (!v)
		return 0;
	for (i = 2; plain && arg[i]; i++)
		plain = isalnum((unsigned char)arg[i]) || arg[i] == '_';
	if (!plain)
		return ld_err(l, v, "found from_list on a capture of %s; expected a capture of one member, "
			      "{jsonpath: $.NAME} with no filters (the member read from the row the step made)",
			      arg ? arg : "no JSONPath");
	return get_str(l, v, "a path of the app's list (text), e.g. /api/products/", &cap->from_list);
}

static int parse_captures(struct ld *l, yaml_node_t *n, struct step *s)
{
	yaml_node_pair_t *p;
	size_t i = 0, e;
	int rc = -1;

	if (n->type != YAML_MAPPING_NODE) {
		err_type(l, n, "a mapping of name -> query, e.g. {order_id: {jsonpath: $.id}}");
		goto done;
	}
	s->captures = calloc((size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start) + 1,
			     sizeof(*s->captures));
	if (!s->captures) {
		err_set("out of memory");
		goto done;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++, i++) {
		yaml_node_t *k = node_at(l, p->key);
		struct capture *cap = &s->captures[i];
		size_t j;

		s->ncaptures = i + 1;
		if (k->type != YAML_SCALAR_NODE || !valid_ident(scalar_text(k))) {
			err_type(l, k, "a variable name ([A-Za-z_][A-Za-z0-9_]*)");
			goto done;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(s->captures[j].name, scalar_text(k))) {
				ld_err(l, k, "duplicate capture '%s'; expected each name once", scalar_text(k));
				goto done;
			}
		cap->name = strdup(scalar_text(k));
		if (!cap->name) {
			err_set("out of memory");
			goto done;
		}
		e = l->nerr;
		if (ld_part(l, e, parse_assertion(l, node_at(l, p->value), &cap->q, true)) < 0 ||
		    parse_capture_from_list(l, node_at(l, p->value), cap) < 0)
			goto done;
	}
	rc = 0;
done:
	return rc;
}

/* {file: PATH, filename?, content_type?} */
static int check_file_part(struct ld *l, yaml_node_t *n)
{
	yaml_node_t *f, *x;

	if (map_check(l, n, "file part", FILEPART_KEYS) < 0)
		return -1;
	f = map_get(l, n, "file");
	if (!f)
		return ld_err(l, n, "found a file part without 'file'; expected {file: PATH, filename?, content_type?}");
	if (f->type != YAML_SCALAR_NODE || is_null(f))
		return err_type(l, f, "a fixture path");
	if (check_inside(l, f, scalar_text(f), "fixture") < 0)
		return -1;
	x = map_get(l, n, "filename");
	if (x && (x->type != YAML_SCALAR_NODE || is_null(x)))
		return err_type(l, x, "a file name");
	x = map_get(l, n, "content_type");
	if (x && (x->type != YAML_SCALAR_NODE || is_null(x)))
		return err_type(l, x, "a content type like image/png");
	return 0;
}

/* form fields: name -> scalar; multipart also allows file parts. */
static int parse_fields(struct ld *l, yaml_node_t *n, bool files_ok, bool only_files,
			const char *what, cJSON **out)
{
	yaml_node_pair_t *p;

	if (n->type != YAML_MAPPING_NODE)
		return err_type(l, n, what);
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *v = node_at(l, p->value);

		if (node_at(l, p->key)->type != YAML_SCALAR_NODE)
			return err_type(l, node_at(l, p->key), "a field name");
		if (only_files || (files_ok && v->type == YAML_MAPPING_NODE)) {
			if (check_file_part(l, v) < 0)
				return -1;
		} else if (v->type != YAML_SCALAR_NODE) {
			return err_type(l, v, files_ok ? "a field value or {file: PATH}" : "a field value (text)");
		}
	}
	return to_json(l, n, 0, out);
}

static int parse_submit(struct ld *l, yaml_node_t *n, struct step *s)
{
	yaml_node_t *v;
	struct submit *sub;

	if (map_check(l, n, "submit", SUBMIT_KEYS) < 0)
		return -1;
	sub = s->submit = calloc(1, sizeof(*s->submit));
	if (!sub)
		return err_set("out of memory");
	v = map_get(l, n, "page");
	if (!v)
		return ld_err(l, n, "found submit without 'page'; expected page: /path/of/the/form/");
	if (get_str(l, v, "a path on the app", &sub->page) < 0)
		return -1;
	v = map_get(l, n, "form");
	if (v && (get_str(l, v, "a CSS selector", &sub->selector) < 0 || check_css(l, v, sub->selector) < 0))
		return -1;
	if (v && map_get(l, n, "action"))
		return ld_err(l, v, "found both 'form' and 'action' in submit; expected one of them");
	v = map_get(l, n, "action");
	if (v && get_str(l, v, "a form action path", &sub->action) < 0)
		return -1;
	if (!sub->selector && !sub->action && !(sub->selector = strdup("form")))
		return err_set("out of memory");
	v = map_get(l, n, "fields");
	if (v && parse_fields(l, v, false, false, "a mapping of field -> value", &sub->fields) < 0)
		return -1;
	v = map_get(l, n, "files");
	if (v && parse_fields(l, v, true, true, "a mapping of field -> {file: PATH}", &sub->files) < 0)
		return -1;
	if ((v = map_get(l, n, "multipart")) && get_bool(l, v, &sub->multipart) < 0)
		return -1;
	if ((v = map_get(l, n, "exact_choices")) && get_bool(l, v, &sub->exact_choices) < 0)
		return -1;
	return 0;
}

static int check_actor(struct ld *l, yaml_node_t *n, const char *actor)
{
	const char *names[64] = {NULL};
	char list[MSG_MAX / 2];
	const char *hint;
	size_t i, k = 0;

	if (!strncmp(actor, "anonymous", 9) || challenge_user(l->c, actor))
		return 0;
	for (i = 0; i < l->c->nusers && k < NELEM(names); i++)
		if (l->c->users[i].username)
			names[k++] = l->c->users[i].username;
	join_list(list, sizeof(list), names, k);
	hint = closest(actor, names, k);
	return ld_err(l, n, "unknown actor '%s'%s%s%sexpected a user (%s) or a name starting with 'anonymous'",
		      actor, hint ? "; did you mean '" : "; ", hint ? hint : "", hint ? "'? " : "",
		      k ? list : "none declared");
}

/* A step's name and actor. */
static int step_head(struct ld *l, yaml_node_t *n, struct step *s)
{
	yaml_node_t *v;

	if ((v = map_get(l, n, "name")) && get_str(l, v, "a step name", &s->name) < 0)
		return -1;
	v = map_get(l, n, "as");
	if (v) {
		if (get_str(l, v, "an actor name", &s->actor) < 0 || check_actor(l, v, s->actor) < 0)
			return -1;
	} else if (!(s->actor = strdup("anonymous"))) {
		return err_set("out of memory");
	}
	return 0;
}

/* What it sends: the body key (returned in *bodykp), submit, or url and method. */
static int step_request(struct ld *l, yaml_node_t *n, struct step *s, yaml_node_t **bodykp)
{
	static const char *const bodies[] = {"json", "form", "multipart", "body"};
	yaml_node_t *v, *bodyk = NULL;
	size_t i;

	*bodykp = NULL;
	for (i = 0; i < NELEM(bodies); i++) {
		v = map_get(l, n, bodies[i]);
		if (!v)
			continue;
		if (bodyk)
			return ld_err(l, v, "found both '%s' and '%s'; expected one request body", scalar_text(bodyk),
				      bodies[i]);
		/* remember the key by name for the message */
		{
			yaml_node_pair_t *p;

			for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
				if (node_at(l, p->value) == v)
					bodyk = node_at(l, p->key);
		}
	}
	*bodykp = bodyk;   /* the body is parsed even if the url is wrong */
	v = map_get(l, n, "submit");
	if (v) {
		static const char *const excl[] = {"url", "method", "json", "form", "multipart", "body",
						   "content_type"};

		for (i = 0; i < NELEM(excl); i++)
			if (map_get(l, n, excl[i]))
				return ld_err(l, map_get(l, n, excl[i]),
					      "found '%s' together with 'submit'; expected the form to decide it",
					      excl[i]);
		if (parse_submit(l, v, s) < 0)
			return -1;
	} else {
		v = map_get(l, n, "url");
		if (!v) {
			/* An assert-only step: it sends nothing and tests variables
			 * (captures, boot facts), so it may not have request keys. */
			static const char *const req[] = {"method", "json", "form", "multipart", "body",
							  "content_type", "headers", "follow", "all_pages", "timeout_ms"};

			for (i = 0; i < NELEM(req); i++)
				if (map_get(l, n, req[i]))
					return ld_err(l, map_get(l, n, req[i]),
						      "found '%s' in a step without 'url' or 'submit'; expected url: /path/",
						      req[i]);
			*bodykp = bodyk;
			return 0;
		}
		if (get_str(l, v, "a path on the app, e.g. /api/products/", &s->url) < 0)
			return -1;
		if (s->url[0] != '/' && strncmp(s->url, "{{", 2) != 0)
			return err_type(l, v, "a path starting with '/' (requests go to the app under test only)");
		v = map_get(l, n, "method");
		if (v) {
			char *m;

			if (get_str(l, v, "an HTTP method", &s->method) < 0)
				return -1;
			for (m = s->method; *m; m++)
				*m = (char)toupper((unsigned char)*m);
			if (!*s->method || s->method[strspn(s->method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")])
				return err_type(l, v, "an HTTP method like GET, POST, PUT, PATCH, DELETE");
		} else if (!(s->method = strdup("GET"))) {
			return err_set("out of memory");
		}
	}
	*bodykp = bodyk;
	return 0;
}

static int step_headers(struct ld *l, yaml_node_t *n, struct step *s)
{
	yaml_node_t *v;

	v = map_get(l, n, "headers");
	if (v) {
		yaml_node_pair_t *p, *q;

		if (v->type != YAML_MAPPING_NODE)
			return err_type(l, v, "a mapping of header name -> value");
		for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
			yaml_node_t *k = node_at(l, p->key), *hv = node_at(l, p->value);
			const char *ks = k->type == YAML_SCALAR_NODE ? scalar_text(k) : "";

			if (!*ks || ks[strspn(ks, "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz"
					      "ABCDEFGHIJKLMNOPQRSTUVWXYZ")])
				return err_type(l, k, "a header name (letters, digits, '-')");
			if (hv->type != YAML_SCALAR_NODE || is_null(hv))
				return err_type(l, hv, "a header value (text)");
			if (strpbrk(scalar_text(hv), "\r\n"))
				return ld_err(l, hv, "found a line break in header '%s'; expected one line", ks);
			for (q = v->data.mapping.pairs.start; q < p; q++)
				if (!strcasecmp(scalar_text(node_at(l, q->key)), ks))
					return ld_err(l, k, "duplicate header '%s'; expected each header once", ks);
		}
		/* Headers are text: keep what was written, not its YAML type. */
		s->headers = cJSON_CreateObject();
		if (!s->headers)
			return err_set("out of memory");
		for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
			cJSON *hs = cJSON_CreateString(scalar_text(node_at(l, p->value)));

			if (!hs || !cJSON_AddItemToObject(s->headers, scalar_text(node_at(l, p->key)), hs)) {
				cJSON_Delete(hs);
				return err_set("out of memory");
			}
		}
	}
	return 0;
}

static int step_body(struct ld *l, yaml_node_t *n, struct step *s, yaml_node_t *bodyk)
{
	yaml_node_t *v;

	if (bodyk) {
		const char *bk = scalar_text(bodyk);

		v = map_get(l, n, bk);
		if (!strcmp(bk, "json")) {
			s->body = BODY_JSON;
			if (to_json(l, v, 0, &s->body_value) < 0)
				return -1;
		} else if (!strcmp(bk, "form")) {
			s->body = BODY_FORM;
			if (parse_fields(l, v, false, false, "a mapping of field -> value", &s->body_value) < 0)
				return -1;
		} else if (!strcmp(bk, "multipart")) {
			s->body = BODY_MULTIPART;
			if (parse_fields(l, v, true, false, "a mapping of field -> value or {file: PATH}",
					 &s->body_value) < 0)
				return -1;
		} else {
			s->body = BODY_RAW;
			if (v->type != YAML_SCALAR_NODE || is_null(v))
				return err_type(l, v, "the raw body (text)");
			s->body_value = cJSON_CreateString(scalar_text(v));
			if (!s->body_value)
				return err_set("out of memory");
		}
	}
	return 0;
}

/*
 * on_server_error: fail (the default) or pass. `pass` is for a step that
 * only reads back the state an earlier step of its check left, to confirm
 * it (recipe-rejects-non-image's list: "no recipe of that title
 * appears"), or for a control, a request the app must not refuse as it
 * refused another (the stock checks' order within the stock, h709): a 5xx
 * or no answer there shows no refusal, and the check that needs it
 * (order-create) charges it, so it is not charged here too (one bug costs
 * only the checks it really breaks, h294, h335, h336, h349, h360, h691).
 * Not on a step that submits a form. One that captures leaves its values
 * unset on a 5xx, and a later step of the check reading one passes
 * unjudged too (engine.c step_unjudged; h1022: bob's order list before his
 * refused order, its count compared after it, was charged the list's 500,
 * orders-private's); not where it also tries candidates (any_of), whose
 * errors are judged together (engine.c run_step).
 */
static int step_on_server_error(struct ld *l, yaml_node_t *n, yaml_node_t *v, struct step *s)
{
	const char *t = v->type == YAML_SCALAR_NODE ? scalar_text(v) : "";

	if (strcmp(t, "pass") && strcmp(t, "fail"))
		return err_type(l, v, "pass or fail");
	s->server_error_passes = !strcmp(t, "pass");
	/* A read of candidates too: it passes only when every candidate
	 * answered an error (engine.c run_step), not at the first. */
	if (s->server_error_passes &&
	    (map_get(l, n, "submit") || (map_get(l, n, "capture") && map_get(l, n, "any_of"))))
		return ld_err(l, v, "found 'on_server_error: pass' in a step that submits, or captures from "
			      "candidates (any_of); expected it only on a read that confirms an earlier step, or a "
			      "control");
	return 0;
}

/*
 * on_absent: pass. For a read of candidates (any_of) that confirms the
 * state an earlier step left on an object the check made, where every
 * candidate shows no such object: its page answers 404 and the list
 * lacks it. The app hides it (a shop's sold-out product, stock__gt=0 on
 * the whole queryset, h754), which the check about the list charges;
 * what the earlier step left cannot be read, so nothing is judged here.
 * Only on a GET that tries candidates and captures nothing.
 */
static int step_on_absent(struct ld *l, yaml_node_t *n, yaml_node_t *v, struct step *s)
{
	const char *t = v->type == YAML_SCALAR_NODE ? scalar_text(v) : "";

	if (strcmp(t, "pass"))
		return err_type(l, v, "pass");
	if (!map_get(l, n, "any_of") || map_get(l, n, "submit") || map_get(l, n, "capture") ||
	    (s->method && strcasecmp(s->method, "GET")))
		return ld_err(l, v, "found 'on_absent: pass' in a step that sends, submits, captures or tries no "
			      "candidates; expected it only on a GET of candidates that confirms an earlier step");
	s->absent_passes = true;
	return 0;
}

/* after_failure: true, or {held: NOTE, failed: NOTE, advice: BOOL}: a read
 * run only after the step before it failed, whose notes say what the
 * failure left beside its message (in place of its advice, with advice:
 * true); a check's outcome never depends on it (engine.c
 * explain_failure), so a reference never runs it and it costs a correct
 * app nothing. */
static int step_after_failure(struct ld *l, yaml_node_t *v, struct step *s)
{
	yaml_node_t *t;
	int rc = 0;

	if (v->type == YAML_SCALAR_NODE) {
		rc = get_bool(l, v, &s->after_failure);
		if (!rc && !s->after_failure)
			rc = err_type(l, v, "true, or the notes to say ({held: ..., failed: ...})");
	} else if (map_check(l, v, "after_failure", AFTER_FAILURE_KEYS) < 0) {
		rc = -1;
	} else {
		s->after_failure = true;
		if ((t = map_get(l, v, "held")) && get_str(l, t, "a note said when the step holds", &s->note_held) < 0)
			rc = -1;
		else if ((t = map_get(l, v, "failed")) &&
			 get_str(l, t, "a note said when the step fails", &s->note_failed) < 0)
			rc = -1;
		else if ((t = map_get(l, v, "advice")) && get_bool(l, t, &s->note_replaces) < 0)
			rc = -1;
	}
	return rc;
}

/* content_type, csrf, follow, all_pages, on_server_error, on_absent,
 * timeout_ms, repeat, any_of, setup, guard, after_failure. */
static int step_options(struct ld *l, yaml_node_t *n, struct step *s)
{
	yaml_node_t *v;

	v = map_get(l, n, "content_type");
	if (v) {
		if (s->body != BODY_RAW)
			return ld_err(l, v, "found 'content_type' without 'body'; expected it only with a raw body");
		if (get_str(l, v, "a content type like text/plain", &s->content_type) < 0)
			return -1;
	}
	v = map_get(l, n, "csrf");
	if (v) {
		int b = bool_value(v);
		const char *t = v->type == YAML_SCALAR_NODE ? scalar_text(v) : "";

		if (!strcmp(t, "auto"))
			s->csrf = CSRF_AUTO;
		else if (!strcmp(t, "on") || b == 1)
			s->csrf = CSRF_ON;
		else if (!strcmp(t, "off") || b == 0)
			s->csrf = CSRF_OFF;
		else
			return err_type(l, v, "auto, on or off");
	}
	if ((v = map_get(l, n, "follow")) && get_bool(l, v, &s->follow) < 0)
		return -1;
	s->no_follow = v && !s->follow;
	if ((v = map_get(l, n, "all_pages")) && get_bool(l, v, &s->all_pages) < 0)
		return -1;
	if (s->all_pages && (map_get(l, n, "submit") ||
			     ((v = map_get(l, n, "method")) && v->type == YAML_SCALAR_NODE &&
			      strcasecmp(scalar_text(v), "GET"))))
		return ld_err(l, map_get(l, n, "all_pages"), "found 'all_pages' in a step that does not read (submit, "
			      "or a method other than GET); expected it on a GET of a list");
	if ((v = map_get(l, n, "on_server_error")) && step_on_server_error(l, n, v, s) < 0)
		return -1;
	if ((v = map_get(l, n, "on_absent")) && step_on_absent(l, n, v, s) < 0)
		return -1;
	if ((v = map_get(l, n, "fill_required")) && get_bool(l, v, &s->fill_required) < 0)
		return -1;
	if (s->fill_required && !map_get(l, n, "json"))
		return ld_err(l, map_get(l, n, "fill_required"), "found 'fill_required' in a step without a 'json' "
			      "body; expected it on a step that creates something from JSON");
	if ((v = map_get(l, n, "timeout_ms")) &&
	    get_long(l, v, 1, GRADER_REQUEST_TIMEOUT_MAX_MS, TIMEOUT_MS_WHAT, &s->timeout_ms) < 0)
		return -1;
	s->repeat = 1;
	if ((v = map_get(l, n, "repeat")) &&
	    get_long(l, v, 1, 1000, "a number of repetitions (1-1000)", &s->repeat) < 0)
		return -1;
	if ((v = map_get(l, n, "any_of"))) {
		yaml_node_pair_t *p;
		yaml_node_t *k;

		if (v->type != YAML_MAPPING_NODE || v->data.mapping.pairs.top - v->data.mapping.pairs.start != 1)
			return err_type(l, v, "one variable and its candidates, e.g. any_of: {src: \"{{image_srcs}}\"}");
		p = v->data.mapping.pairs.start;
		k = node_at(l, p->key);
		if (get_str(l, k, "a variable name", &s->any_var) < 0)
			return -1;
		if (!valid_ident(s->any_var))
			return err_type(l, k, "a variable name ([A-Za-z_][A-Za-z0-9_]*)");
		/* The keys, not s->url: a url with an error of its own is still a url. */
		if (!map_get(l, n, "url") && !map_get(l, n, "submit"))
			return ld_err(l, v, "found 'any_of' in a step that sends no request; expected a url or submit");
		if (to_json(l, node_at(l, p->value), 0, &s->any_values) < 0)
			return -1;
	}
	if ((v = map_get(l, n, "setup")) && get_bool(l, v, &s->setup) < 0)
		return -1;
	if ((v = map_get(l, n, "guard")) && get_bool(l, v, &s->guard) < 0)
		return -1;
	if (s->guard && s->setup)
		return ld_err(l, v, "found 'guard' with 'setup' in one step; expected one of them");
	if ((v = map_get(l, n, "after_failure")) && step_after_failure(l, v, s) < 0)
		return -1;
	if (s->after_failure && (s->guard || s->setup || s->repeat > 1))
		return ld_err(l, v, "found 'after_failure' with '%s' in one step; expected it alone: the step "
			      "only says what a failure before it left", s->guard ? "guard" : s->setup ? "setup" : "repeat");
	return 0;
}

/* capture and expect: each capture and assertion on its own (ld_part). */
static int step_checks(struct ld *l, yaml_node_t *n, struct step *s)
{
	yaml_node_t *v;
	size_t i, e = l->nerr;

	if ((v = map_get(l, n, "capture")) && ld_part(l, e, parse_captures(l, v, s)) < 0)
		return -1;
	v = map_get(l, n, "expect");
	if (!v)
		return 0;
	if (need_seq(l, v, "a list of assertions") < 0)
		return -1;
	s->asserts = calloc(seq_len(v) + 1, sizeof(*s->asserts));
	if (!s->asserts)
		return err_set("out of memory");
	s->nasserts = seq_len(v);
	for (i = 0; i < s->nasserts; i++) {
		e = l->nerr;
		if (ld_part(l, e, parse_assertion(l, seq_item(l, v, i), &s->asserts[i], false)) < 0)
			return -1;
	}
	return 0;
}

/*
 * Each part of a step is parsed even when an earlier part had an error, so
 * that all of a step's errors are listed; the checks across parts run only
 * on a step without errors.
 */
static int parse_step(struct ld *l, yaml_node_t *n, struct step *s)
{
	yaml_node_t *v, *bodyk = NULL;
	size_t i, before = l->nerr, e;

	pos_of(l, n, &s->pos);
	if (ld_part(l, before, map_check(l, n, "step", STEP_KEYS)) < 0 || n->type != YAML_MAPPING_NODE)
		return -1;
	e = l->nerr;
	if (ld_part(l, e, step_head(l, n, s)) < 0)
		return -1;
	e = l->nerr;
	if (ld_part(l, e, step_request(l, n, s, &bodyk)) < 0)
		return -1;
	e = l->nerr;
	if (ld_part(l, e, step_headers(l, n, s)) < 0)
		return -1;
	e = l->nerr;
	if (bodyk && ld_part(l, e, step_body(l, n, s, bodyk)) < 0)
		return -1;
	e = l->nerr;
	if (ld_part(l, e, step_options(l, n, s)) < 0)
		return -1;
	e = l->nerr;
	if (ld_part(l, e, step_checks(l, n, s)) < 0)
		return -1;
	if (l->nerr != before)
		return -1;
	v = map_get(l, n, "expect");
	if (!s->url && !s->submit) {
		for (i = 0; i < s->nasserts; i++)
			if (s->asserts[i].query != Q_VALUE)
				return ld_err(l, seq_item(l, v, i), "found a query on a response in a step that sends "
					      "no request; expected only 'value' queries, or a url");
		for (i = 0; i < s->ncaptures; i++)
			if (s->captures[i].q.query != Q_VALUE)
				return ld_err(l, n, "found a capture of a response in a step that sends no "
					      "request; expected only 'value' captures, or a url");
		if (!s->nasserts && !s->ncaptures)
			return ld_err(l, n, "found a step without 'url' or 'submit'; expected url: /path/");
	}
	return 0;
}

/* ---- checks ------------------------------------------------------------ */

static bool valid_id(const char *s)
{
	if (!*s || !(islower((unsigned char)*s) || isdigit((unsigned char)*s)))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-' && *s != '_')
			return false;
	return true;
}

/* depends_on must name a check already loaded (earlier in load order). */
static int check_dep(struct ld *l, yaml_node_t *n, const char *dep, size_t nearlier)
{
	const char *names[128] = {NULL};
	char list[MSG_MAX / 2];
	const char *hint;
	size_t i, k = 0;

	for (i = 0; i < nearlier; i++)
		if (l->c->checks[i].id && !strcmp(l->c->checks[i].id, dep))
			return 0;
	for (i = nearlier > NELEM(names) ? nearlier - NELEM(names) : 0; i < nearlier; i++)
		if (l->c->checks[i].id)   /* NULL: a check that did not parse */
			names[k++] = l->c->checks[i].id;
	join_list(list, sizeof(list), names, k);
	hint = closest(dep, names, k);
	return ld_err(l, n, "depends_on '%s' is not an earlier check%s%s%sexpected one of: %s", dep,
		      hint ? "; did you mean '" : "; ", hint ? hint : "", hint ? "'? " : "",
		      k ? list : "(no earlier checks)");
}

static int parse_check(struct ld *l, yaml_node_t *n, size_t index)
{
	struct check *ck = &l->c->checks[index];
	yaml_node_t *v;
	size_t i;

	pos_of(l, n, &ck->pos);
	if (map_check(l, n, "check", CHECK_KEYS) < 0)
		return -1;
	v = map_get(l, n, "id");
	if (!v)
		return ld_err(l, n, "found a check without 'id'; expected id: a-rubric-id");
	if (get_str(l, v, "a check id", &ck->id) < 0)
		return -1;
	if (!valid_id(ck->id))
		return err_type(l, v, "an id of lower-case letters, digits and '-' (e.g. order-create)");
	for (i = 0; i < index; i++)
		if (l->c->checks[i].id && !strcmp(l->c->checks[i].id, ck->id))
			return ld_err(l, v, "duplicate check id '%s' (first at %s%s:%d:%d); expected unique ids",
				      ck->id, l->shown, l->c->checks[i].pos.file, l->c->checks[i].pos.line,
				      l->c->checks[i].pos.column);
	v = map_get(l, n, "title");
	if (v ? get_str(l, v, "a title", &ck->title) < 0 : !(ck->title = strdup(ck->id)))
		return v ? -1 : err_set("out of memory");
	v = map_get(l, n, "category");
	if (v ? get_str(l, v, "a category", &ck->category) < 0 : !(ck->category = strdup("")))
		return v ? -1 : err_set("out of memory");
	if ((v = map_get(l, n, "advisory")) && get_bool(l, v, &ck->advisory) < 0)
		return -1;
	/* `concurrency: 1`: the check runs alone, never beside another (engine.h). */
	if ((v = map_get(l, n, "concurrency"))) {
		long one = 0;

		if (get_long(l, v, 1, 1, "1 (the check runs alone)", &one) < 0)
			return -1;
		ck->alone = true;
	}
	/* Who reads the check's message (Gradescope's meanings, docs/formats.md). */
	if ((v = map_get(l, n, "visibility"))) {
		char *vis = NULL;
		int bad;

		if (get_str(l, v, "visible, hidden or after_due_date", &vis) < 0)
			return -1;
		bad = check_visibility_parse(vis, &ck->visibility) < 0;
		if (bad)
			ld_err(l, v, "found visibility '%s'; expected visible, hidden or after_due_date", vis);
		free(vis);
		if (bad)
			return -1;
	}
	v = map_get(l, n, "points");
	if (v) {
		long pts = 0;

		if (get_long(l, v, 0, 100000, "points (an integer >= 0)", &pts) < 0)
			return -1;
		if (ck->advisory && pts)
			return ld_err(l, v, "found %ld points on an advisory check; expected 0 (advisory checks are never scored)",
				      pts);
		ck->points = (int)pts;
	}
	v = map_get(l, n, "depends_on");
	if (v) {
		size_t nd = v->type == YAML_SEQUENCE_NODE ? seq_len(v) : 1;

		if (v->type != YAML_SEQUENCE_NODE && v->type != YAML_SCALAR_NODE)
			return err_type(l, v, "a list of earlier check ids");
		ck->depends_on = calloc(nd + 1, sizeof(*ck->depends_on));
		if (!ck->depends_on)
			return err_set("out of memory");
		ck->ndepends = nd;
		for (i = 0; i < nd; i++) {
			yaml_node_t *d = v->type == YAML_SEQUENCE_NODE ? seq_item(l, v, i) : v;

			size_t e = l->nerr;

			if (ld_part(l, e, get_str(l, d, "a check id", &ck->depends_on[i]) < 0 ||
				    check_dep(l, d, ck->depends_on[i], index) < 0 ? -1 : 0) < 0)
				return -1;
		}
	}
	v = map_get(l, n, "steps");
	if (!v)
		return ld_err(l, n, "found check '%s' without 'steps'; expected a list of steps", ck->id);
	if (need_seq(l, v, "a list of steps") < 0)
		return -1;
	if (seq_len(v) == 0)
		return ld_err(l, v, "found check '%s' with no steps; expected at least one", ck->id);
	ck->steps = calloc(seq_len(v), sizeof(*ck->steps));
	if (!ck->steps)
		return err_set("out of memory");
	ck->nsteps = seq_len(v);
	for (i = 0; i < ck->nsteps; i++) {
		size_t e = l->nerr;

		if (ld_part(l, e, parse_step(l, seq_item(l, v, i), &ck->steps[i])) < 0)
			return -1;
		/* A scored check whose setup fails has failed: its points are lost
		 * either way, and `skip` is kept for depends_on. */
		if (ck->steps[i].setup && !ck->advisory &&
		    ld_part(l, l->nerr, ld_err(l, map_get(l, seq_item(l, v, i), "setup"),
				      "found 'setup' in check '%s', which is scored; expected it only in advisory checks",
				      ck->id)) < 0)
			return -1;
		/* Said after a failure: there must be a step before it. */
		if (ck->steps[i].after_failure && i == 0 &&
		    ld_part(l, l->nerr, ld_err(l, map_get(l, seq_item(l, v, i), "after_failure"),
				      "found 'after_failure' on the first step of check '%s'; expected it after "
				      "a step that can fail", ck->id)) < 0)
			return -1;
		/* Likewise a guard: a scored check passing on what it never
		 * measured would give its points away. */
		if (ck->steps[i].guard && !ck->advisory &&
		    ld_part(l, l->nerr, ld_err(l, map_get(l, seq_item(l, v, i), "guard"),
				      "found 'guard' in check '%s', which is scored; expected it only in advisory checks",
				      ck->id)) < 0)
			return -1;
	}
	return 0;
}

static int parse_checks(struct ld *l, yaml_node_t *n)
{
	size_t add, base = l->c->nchecks, i;

	if (need_seq(l, n, "a list of checks") < 0)
		return -1;
	add = seq_len(n);
	if (!add)
		return 0;
	if (VEC_RESERVE(l->c->checks, l->cap_checks, base + add) < 0)
		return -1;
	memset(l->c->checks + base, 0, add * sizeof(*l->c->checks));
	for (i = 0; i < add; i++) {
		size_t e = l->nerr;

		l->c->nchecks = base + i + 1;
		if (ld_part(l, e, parse_check(l, seq_item(l, n, i), base + i)) < 0)
			return -1;
	}
	return 0;
}

/* ---- users and mutants --------------------------------------------------- */

static int parse_user(struct ld *l, yaml_node_t *un, size_t i)
{
	struct user *u = &l->c->users[i];
	yaml_node_t *v;
	size_t j;

	if (map_check(l, un, "user", USER_KEYS) < 0)
		return -1;
	v = map_get(l, un, "username");
	if (!v)
		return ld_err(l, un, "found a user without 'username'; expected username: NAME");
	if (get_str(l, v, "a username", &u->username) < 0)
		return -1;
	/* Django's default username validator: letters, digits, @.+-_ */
	if (!*u->username || u->username[strspn(u->username, "abcdefghijklmnopqrstuvwxyz"
						     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@.+-_")] ||
	    strlen(u->username) > 150)
		return err_type(l, v, "a username of letters, digits and @.+-_");
	/* An actor named anonymous* is a client without a session. */
	if (!strncmp(u->username, "anonymous", 9))
		return err_type(l, v, "a username not starting with 'anonymous' (reserved for anonymous actors)");
	for (j = 0; j < i; j++)
		if (l->c->users[j].username && !strcmp(l->c->users[j].username, u->username))
			return ld_err(l, v, "duplicate user '%s'; expected unique usernames", u->username);
	v = map_get(l, un, "password");
	if (v ? get_str(l, v, "a password", &u->password) < 0
	      : asprintf(&u->password, "%s-grader-pw", u->username) < 0) {
		if (!v)
			u->password = NULL;
		return v ? -1 : err_set("out of memory");
	}
	v = map_get(l, un, "email");
	if (v ? get_str(l, v, "an email address", &u->email) < 0
	      : asprintf(&u->email, "%s@example.invalid", u->username) < 0) {
		if (!v)
			u->email = NULL;
		return v ? -1 : err_set("out of memory");
	}
	if ((v = map_get(l, un, "is_staff")) && get_bool(l, v, &u->is_staff) < 0)
		return -1;
	if ((v = map_get(l, un, "is_superuser")) && get_bool(l, v, &u->is_superuser) < 0)
		return -1;
	return 0;
}

static int parse_users(struct ld *l, yaml_node_t *n)
{
	size_t i;

	if (need_seq(l, n, "a list of users") < 0)
		return -1;
	l->c->users = calloc(seq_len(n) + 1, sizeof(*l->c->users));
	if (!l->c->users)
		return err_set("out of memory");
	for (i = 0; i < seq_len(n); i++) {
		size_t e = l->nerr;

		l->c->nusers = i + 1;
		if (ld_part(l, e, parse_user(l, seq_item(l, n, i), i)) < 0)
			return -1;
	}
	return 0;
}

static int parse_mutant(struct ld *l, yaml_node_t *mn, size_t i)
{
	struct mutant *m = &l->c->mutants[i];
	yaml_node_t *v;
	size_t j;

	if (map_check(l, mn, "mutant", MUTANT_KEYS) < 0)
		return -1;
	v = map_get(l, mn, "id");
	if (!v)
		return ld_err(l, mn, "found a mutant without 'id'; expected id: a-mutant-id");
	if (get_str(l, v, "a mutant id", &m->id) < 0)
		return -1;
	if (!valid_id(m->id))
		return err_type(l, v, "an id of lower-case letters, digits and '-'");
	for (j = 0; j < i; j++)
		if (l->c->mutants[j].id && !strcmp(l->c->mutants[j].id, m->id))
			return ld_err(l, v, "duplicate mutant id '%s'; expected unique ids", m->id);
	v = map_get(l, mn, "patch");
	if (!v)
		return ld_err(l, mn, "found mutant '%s' without 'patch'; expected patch: mutants/NAME.patch",
			      m->id);
	if (get_str(l, v, "a patch path", &m->patch) < 0 || check_inside(l, v, m->patch, "patch") < 0)
		return -1;
	v = map_get(l, mn, "kills");
	if (v) {
		size_t nk = v->type == YAML_SEQUENCE_NODE ? seq_len(v) : 1;

		if (v->type != YAML_SEQUENCE_NODE && v->type != YAML_SCALAR_NODE)
			return err_type(l, v, "a list of check ids");
		m->kills = calloc(nk + 1, sizeof(*m->kills));
		if (!m->kills)
			return err_set("out of memory");
		m->nkills = nk;
		for (j = 0; j < nk; j++) {
			yaml_node_t *k = v->type == YAML_SEQUENCE_NODE ? seq_item(l, v, j) : v;
			size_t e = l->nerr;

			if (get_str(l, k, "a check id", &m->kills[j]) < 0) {
				if (ld_part(l, e, -1) < 0)
					return -1;
			} else if (!challenge_check(l->c, m->kills[j])) {
				ld_err(l, k, "mutant '%s' kills '%s', which is not a check; expected a check id of this "
				       "challenge", m->id, m->kills[j]);
			}
		}
	}
	if ((v = map_get(l, mn, "why")) && get_str(l, v, "an explanation", &m->why) < 0)
		return -1;
	return 0;
}

static int parse_mutants(struct ld *l, yaml_node_t *n)
{
	size_t i;

	if (need_seq(l, n, "a list of mutants") < 0)
		return -1;
	l->c->mutants = calloc(seq_len(n) + 1, sizeof(*l->c->mutants));
	if (!l->c->mutants)
		return err_set("out of memory");
	for (i = 0; i < seq_len(n); i++) {
		size_t e = l->nerr;

		l->c->nmutants = i + 1;
		if (ld_part(l, e, parse_mutant(l, seq_item(l, n, i), i)) < 0)
			return -1;
	}
	return 0;
}

/* ---- files ---------------------------------------------------------------- */

static int owner_add_file(struct owner *o, const char *rel, const char **out)
{
	if (strlist_push(&o->files, rel) < 0)
		return -1;
	*out = o->files.v[o->files.n - 1];
	return 0;
}

/*
 * Read `rel`, feed it to the suite hash, and parse it into `doc`.
 * *loaded tells the caller whether doc must be deleted.
 */
static int load_file(struct ld *l, const char *rel, yaml_document_t *doc, bool *loaded)
{
	struct gbuf data = GBUF_INIT(FILE_LIMIT);
	struct yamlx_problem pb;
	char *path = NULL;
	int r, rc = -1;

	*loaded = false;
	if (owner_add_file(l->o, rel, &l->file) < 0)
		goto done;
	if (asprintf(&path, "%s/%s", l->c->dir, rel) < 0) {
		path = NULL;
		err_set("out of memory");
		goto done;
	}
	if (gbuf_read_file(&data, path) < 0) {
		ld_err_at(l, 0, 0, "%s", err_last());
		goto done;
	}
	if (data.truncated) {
		ld_err_at(l, 0, 0, "file larger than %zu bytes; expected a smaller check file", FILE_LIMIT);
		goto done;
	}
	/* Hash: path, NUL, bytes, NUL (so no two file sets hash alike). */
	if (!EVP_DigestUpdate(l->md, rel, strlen(rel) + 1) ||
	    !EVP_DigestUpdate(l->md, data.data ? data.data : "", data.len) ||
	    !EVP_DigestUpdate(l->md, "", 1)) {
		err_set("sha256 failed");
		goto done;
	}
	r = yamlx_load(data.data, data.len, doc, &pb);
	if (r == 1 && pb.context)
		ld_err_at(l, pb.line, pb.column, "YAML syntax error: %s (%s at line %zu); expected valid YAML",
			  pb.problem ? pb.problem : "?", pb.context, pb.context_line);
	else if (r == 1)
		ld_err_at(l, pb.line, pb.column, "YAML syntax error: %s; expected valid YAML",
			  pb.problem ? pb.problem : "?");
	if (r != 0)
		goto done;
	*loaded = true;
	if (!yaml_document_get_root_node(doc)) {
		ld_err_at(l, 1, 1, "found an empty file; expected a mapping");
		goto done;
	}
	rc = 0;
done:
	free(path);
	gbuf_release(&data);
	return rc;
}

static int load_include(struct ld *l, yaml_node_t *n, const char *const *seen, size_t nseen)
{
	yaml_document_t doc;
	yaml_document_t *saved_doc = l->doc;
	const char *saved_file = l->file;
	bool loaded = false;
	yaml_node_t *root, *v;
	char *rel = NULL;
	size_t i;
	int rc = -1;

	if (get_str(l, n, "a check file path", &rel) < 0 || check_inside(l, n, rel, "include") < 0)
		goto done;
	for (i = 0; i < nseen; i++)
		if (!strcmp(seen[i], rel)) {
			ld_err(l, n, "found '%s' included twice; expected each file once", rel);
			goto done;
		}
	if (load_file(l, rel, &doc, &loaded) < 0)
		goto done;
	l->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (map_check(l, root, "check file", CHECKFILE_KEYS) < 0)
		goto done;
	v = map_get(l, root, "checks");
	if (!v) {
		ld_err(l, root, "found a check file without 'checks'; expected checks: [...]");
		goto done;
	}
	if (parse_checks(l, v) < 0)
		goto done;
	rc = 0;
done:
	if (loaded)
		yaml_document_delete(&doc);
	l->doc = saved_doc;
	l->file = saved_file;
	free(rel);
	return rc;
}

/* id, title, sandbox, request_timeout_ms, max_score. */
static int parse_challenge_head(struct ld *l, yaml_node_t *root)
{
	struct challenge *c = l->c;
	yaml_node_t *v;
	long total;

	v = map_get(l, root, "id");
	if (!v)
		return ld_err(l, root, "found no 'id'; expected id: the-challenge-id");
	if (get_str(l, v, "a challenge id", &c->id) < 0)
		return -1;
	if (!*c->id || c->id[strspn(c->id, "abcdefghijklmnopqrstuvwxyz0123456789-")])
		return err_type(l, v, "an id of lower-case letters, digits and '-'");
	v = map_get(l, root, "title");
	if (!v)
		return ld_err(l, root, "found no 'title'; expected title: A Human Title");
	if (get_str(l, v, "a title", &c->title) < 0)
		return -1;
	v = map_get(l, root, "sandbox");
	if (v) {
		/* Becomes a file name (sandboxes/NAME.yaml): no path tricks. */
		if (get_str(l, v, "a sandbox profile name", &c->sandbox_profile) < 0)
			return -1;
		if (!*c->sandbox_profile ||
		    c->sandbox_profile[strspn(c->sandbox_profile, "abcdefghijklmnopqrstuvwxyz0123456789-_")])
			return err_type(l, v, "a profile name of lower-case letters, digits, '-' and '_'");
	} else if (!(c->sandbox_profile = strdup("default"))) {
		return err_set("out of memory");
	}
	v = map_get(l, root, "request_timeout_ms");
	if (v && get_long(l, v, 1, GRADER_REQUEST_TIMEOUT_MAX_MS, TIMEOUT_MS_WHAT,
			  &c->request_timeout_ms) < 0)
		return -1;
	/* How many checks may run at once (engine.h); 1: one after another. */
	v = map_get(l, root, "concurrency");
	if (v && get_long(l, v, 1, 64, "the number of checks that may run at once (1-64)", &c->concurrency) < 0)
		return -1;
	/* `sign_in: session`: the users arrive with their session cookie
	 * alone, as the challenge's pages are a browser's (contracts §4, §5),
	 * never with a token or Basic an API of the project takes (h534: a
	 * status page of DRF's taking tokens alone passed on staff's token). */
	v = map_get(l, root, "sign_in");
	if (v) {
		char *how = NULL;

		if (get_str(l, v, "how the users sign in: session or any", &how) < 0)
			return -1;
		c->sign_in_session = !strcmp(how, "session");
		if (!c->sign_in_session && strcmp(how, "any")) {
			free(how);
			return err_type(l, v, "session (a session cookie alone) or any (the API's own scheme too)");
		}
		free(how);
	}
	v = map_get(l, root, "max_score");
	if (v) {
		if (get_long(l, v, 1, 1000000, "the total of the checks' points (an integer > 0)", &total) < 0)
			return -1;
		c->max_score = (int)total;
	}
	return 0;
}

/* The declared max_score must be what the checks' points add up to. */
static int check_total(struct ld *l, yaml_node_t *root)
{
	long sum = 0;
	size_t i;

	if (!l->c->max_score)
		return 0;
	for (i = 0; i < l->c->nchecks; i++)
		sum += l->c->checks[i].points;
	if (sum == l->c->max_score)
		return 0;
	return ld_err(l, map_get(l, root, "max_score"), "found max_score %d, but the checks' points add up to %ld; "
		      "expected the two to agree", l->c->max_score, sum);
}

/*
 * Each part is parsed even when an earlier one had errors (ld_part), so
 * that every error of every file is reported at once.
 */
static int parse_challenge(struct ld *l, yaml_node_t *root)
{
	const char **seen = NULL;
	yaml_node_t *v;
	size_t i, e;
	int rc = -1;

	e = l->nerr;
	if (ld_part(l, e, map_check(l, root, "challenge.yaml", CHALLENGE_KEYS)) < 0 || root->type != YAML_MAPPING_NODE)
		goto done;
	e = l->nerr;
	if (ld_part(l, e, parse_challenge_head(l, root)) < 0)
		goto done;
	e = l->nerr;
	if ((v = map_get(l, root, "users")) && ld_part(l, e, parse_users(l, v)) < 0)
		goto done;
	/* Inline checks come first, then included files in order. */
	e = l->nerr;
	if ((v = map_get(l, root, "checks")) && ld_part(l, e, parse_checks(l, v)) < 0)
		goto done;
	v = map_get(l, root, "include");
	if (v) {
		e = l->nerr;
		if (need_seq(l, v, "a list of check files") < 0) {
			if (ld_part(l, e, -1) < 0)
				goto done;
		} else {
			seen = calloc(seq_len(v) + 1, sizeof(*seen));
			if (!seen) {
				err_set("out of memory");
				goto done;
			}
			for (i = 0; i < seq_len(v); i++) {
				size_t nfiles = l->o->files.n;

				e = l->nerr;
				if (ld_part(l, e, load_include(l, seq_item(l, v, i), seen, i)) < 0)
					goto done;
				/* "" (no path matches it) when the file was not read */
				seen[i] = l->o->files.n > nfiles ? l->o->files.v[l->o->files.n - 1] : "";
			}
		}
	}
	e = l->nerr;
	if ((v = map_get(l, root, "mutants")) && ld_part(l, e, parse_mutants(l, v)) < 0)
		goto done;
	e = l->nerr;
	if (ld_part(l, e, check_total(l, root)) < 0)
		goto done;
	rc = l->nerr ? -1 : 0;
done:
	free(seen);
	return rc;
}

void challenge_shown_folder(const char *dir, char *out, size_t sz)
{
	char cwd[PATH_MAX];
	size_t n;

	if (getcwd(cwd, sizeof(cwd)) && (n = strlen(cwd)) > 0) {
		if (!strcmp(cwd, "/"))
			n = 0;
		if (!strncmp(dir, cwd, n) && (dir[n] == '/' || !dir[n])) {
			const char *rest = dir + n + (dir[n] == '/');

			snprintf(out, sz, "%s%s", rest, *rest ? "/" : "");
			return;
		}
	}
	snprintf(out, sz, "%s/", dir);
}

/* ---- public ---------------------------------------------------------------- */

int challenge_load(const char *dir, struct challenge **out)
{
	return challenge_load_all(dir, out, NULL);
}

void challenge_errors_release(struct challenge_errors *e)
{
	size_t i;

	for (i = 0; e && i < e->n; i++)
		free(e->msg[i]);
	if (e)
		memset(e, 0, sizeof(*e));
}

int challenge_load_all(const char *dir, struct challenge **out, struct challenge_errors *errs)
{
	struct ld l;
	struct owner *o = NULL;
	yaml_document_t doc;
	bool loaded = false;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	int rc = -1;

	memset(&l, 0, sizeof(l));
	*out = NULL;
	o = calloc(1, sizeof(*o));
	if (!o) {
		err_set("out of memory");
		goto done;
	}
	l.o = o;
	l.c = &o->c;
	l.file = "challenge.yaml";
	l.budget = JSON_NODES_MAX;
	o->c.request_timeout_ms = GRADER_REQUEST_TIMEOUT_MS;
	o->c.dir = realpath(dir, NULL);
	if (!o->c.dir) {
		err_set_errno("challenge folder %s", dir);
		goto done;
	}
	l.root_real = o->c.dir;
	l.errs = errs;
	challenge_shown_folder(o->c.dir, l.shown, sizeof(l.shown));
	l.md = EVP_MD_CTX_new();
	if (!l.md) {
		err_set("out of memory");
		goto done;
	}
	if (!EVP_DigestInit_ex(l.md, EVP_sha256(), NULL)) {
		err_set("sha256 unavailable");
		goto done;
	}
	if (load_file(&l, "challenge.yaml", &doc, &loaded) < 0 || !yaml_document_get_root_node(&doc))
		goto done;
	l.doc = &doc;
	if (parse_challenge(&l, yaml_document_get_root_node(&doc)) < 0)
		goto done;
	if (!EVP_DigestFinal_ex(l.md, md, &mdlen)) {
		err_set("sha256 failed");
		goto done;
	}
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(o->c.suite_sha256 + 2 * i, 3, "%02x", md[i]);
	*out = &o->c;
	o = NULL;
	rc = 0;
done:
	if (loaded)
		yaml_document_delete(&doc);
	EVP_MD_CTX_free(l.md);
	if (o)
		challenge_free(&o->c);
	if (errs)
		errs->total = l.nerr;
	if (rc < 0 && l.nerr)
		err_set("%s", l.first);   /* the first error, not whatever came last */
	return rc;
}

static void assertion_release(struct assertion *a)
{
	size_t i;

	free(a->arg);
	free(a->attr);
	cJSON_Delete(a->qvalue);
	for (i = 0; i < a->nfilters; i++) {
		free(a->filters[i].arg);
		cJSON_Delete(a->filters[i].value);
	}
	free(a->filters);
	cJSON_Delete(a->value);
	free(a->message);
	free(a->describe);
	free(a->what);
	free(a->expected);
}

static void step_release(struct step *s)
{
	size_t i;

	free(s->name);
	free(s->actor);
	free(s->method);
	free(s->url);
	cJSON_Delete(s->headers);
	cJSON_Delete(s->body_value);
	free(s->content_type);
	free(s->any_var);
	cJSON_Delete(s->any_values);
	free(s->note_held);
	free(s->note_failed);
	if (s->submit) {
		free(s->submit->page);
		free(s->submit->selector);
		free(s->submit->action);
		cJSON_Delete(s->submit->fields);
		cJSON_Delete(s->submit->files);
		free(s->submit);
	}
	for (i = 0; i < s->ncaptures; i++) {
		free(s->captures[i].name);
		free(s->captures[i].from_list);
		assertion_release(&s->captures[i].q);
	}
	free(s->captures);
	for (i = 0; i < s->nasserts; i++)
		assertion_release(&s->asserts[i]);
	free(s->asserts);
}

void challenge_free(struct challenge *c)
{
	struct owner *o = (struct owner *)c;   /* c is the first member */
	size_t i, j;

	if (!c)
		return;
	for (i = 0; i < c->nchecks; i++) {
		struct check *ck = &c->checks[i];

		free(ck->id);
		free(ck->title);
		free(ck->category);
		for (j = 0; j < ck->ndepends; j++)
			free(ck->depends_on[j]);
		free(ck->depends_on);
		for (j = 0; j < ck->nsteps; j++)
			step_release(&ck->steps[j]);
		free(ck->steps);
	}
	free(c->checks);
	for (i = 0; i < c->nusers; i++) {
		free(c->users[i].username);
		free(c->users[i].password);
		free(c->users[i].email);
	}
	free(c->users);
	for (i = 0; i < c->nmutants; i++) {
		free(c->mutants[i].id);
		free(c->mutants[i].patch);
		for (j = 0; j < c->mutants[i].nkills; j++)
			free(c->mutants[i].kills[j]);
		free(c->mutants[i].kills);
		free(c->mutants[i].why);
	}
	free(c->mutants);
	free(c->dir);
	free(c->id);
	free(c->title);
	free(c->sandbox_profile);
	strlist_free(&o->files);
	free(o);
}

static bool has_challenge_yaml(const char *dir)
{
	char *p = NULL;
	struct stat st;
	bool ok;

	if (asprintf(&p, "%s/challenge.yaml", dir) < 0)
		return false;
	ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	return ok;
}

static int only_dirs(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

int challenge_list(const char *datadir, const char *sep, struct gbuf *out)
{
	struct dirent **ents = NULL;
	char *cdir = NULL, *sub;
	int n = -1, i, rc = -1;

	if (asprintf(&cdir, "%s/challenges", datadir) < 0) {
		cdir = NULL;
		err_set("out of memory");
		goto done;
	}
	n = scandir(cdir, &ents, only_dirs, alphasort);
	if (n < 0) {
		err_set_errno("cannot list %s", cdir);
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (asprintf(&sub, "%s/%s", cdir, ents[i]->d_name) < 0)
			continue;
		if (has_challenge_yaml(sub))
			gbuf_addf(out, "%s%s", out->len ? sep : "", ents[i]->d_name);
		free(sub);
	}
	rc = 0;
done:
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	free(cdir);
	return rc;
}

char *challenge_resolve(const char *datadir, const char *name)
{
	struct gbuf avail = GBUF_INIT(4096);
	char *under = NULL, *res = NULL;

	if (!name || !*name) {
		err_set("no challenge given; expected --challenge NAME");
		goto done;
	}
	/* A bare name is a folder under challenges/ (no '/' so no traversal). */
	if (!strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..")) {
		if (asprintf(&under, "%s/challenges/%s", datadir, name) < 0) {
			under = NULL;
			err_set("out of memory");
			goto done;
		}
		if (has_challenge_yaml(under)) {
			res = realpath(under, NULL);
			if (!res)
				err_set_errno("challenge %s", under);
			goto done;
		}
	}
	if (has_challenge_yaml(name)) {
		res = realpath(name, NULL);
		if (!res)
			err_set_errno("challenge %s", name);
		goto done;
	}
	challenge_list(datadir, ", ", &avail);
	if (under)
		err_set("no challenge '%s': looked in %s and %s (no challenge.yaml); available: %s", name,
			under, name, avail.len ? gbuf_str(&avail) : "none");
	else
		err_set("no challenge '%s': looked in %s (no challenge.yaml); available: %s", name, name,
			avail.len ? gbuf_str(&avail) : "none");
done:
	free(under);
	gbuf_release(&avail);
	return res;
}

const struct user *challenge_user(const struct challenge *c, const char *name)
{
	size_t i;

	for (i = 0; c && name && i < c->nusers; i++)
		if (c->users[i].username && !strcmp(c->users[i].username, name))
			return &c->users[i];
	return NULL;
}

const struct check *challenge_check(const struct challenge *c, const char *id)
{
	size_t i;

	for (i = 0; c && id && i < c->nchecks; i++)
		if (c->checks[i].id && !strcmp(c->checks[i].id, id))
			return &c->checks[i];
	return NULL;
}
