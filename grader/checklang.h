/*
 * checklang.h - the check language's vocabulary, defined once.
 *
 * Every query, filter and predicate a challenge's YAML may name is one row
 * of a table in checklang.c: its name, the argument it takes (which the
 * loader, challenge.c, checks), for filters the function that evaluates
 * it (in query.c), and one line of documentation. docs/checks.md lists the
 * same words; tests/unit/test_checklang.c fails when a word is in one and
 * not the other. To add a filter: an enum value in challenge.h, a row
 * here, its evaluator in query.c, its line in docs/checks.md.
 *
 * The tables are static data; nothing to free.
 */
#ifndef GRADER_CHECKLANG_H
#define GRADER_CHECKLANG_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "challenge.h"

struct eval_ctx;

/* What follows a query's key in the YAML. */
enum qarg { QA_NONE, QA_STATUS, QA_STR, QA_JSONPATH, QA_XPATH, QA_CSS, QA_REGEX, QA_ANY };
/* Operand types of predicates. */
enum parg { PA_ANY, PA_LIST, PA_SCALAR, PA_REGEX, PA_BOOL, PA_NUMBER, PA_COUNT, PA_FILE };
/* Filter arguments: none, a string, an optional string (default " "), a
 * {member: value} mapping, an integer, a regex. */
enum farg { FA_NONE, FA_STR, FA_OPT_STR, FA_WHERE, FA_INT, FA_REGEX };

/*
 * A filter's evaluator: replaces *pv (owned, may become NULL = missing) by
 * the filtered value. err.h's convention: 0 done, 1 the filter does not
 * apply to this value (`why` says so), -1 the grader broke.
 */
typedef int (*checklang_filter_fn)(const struct filter *f, struct eval_ctx *ctx, cJSON **pv,
				   struct gbuf *why);

struct checklang_query {
	const char *key;
	enum query_kind kind;
	enum qarg arg;
	const char *doc;
};

struct checklang_filter {
	const char *key;
	enum filter_kind kind;
	enum farg arg;
	checklang_filter_fn eval;
	const char *doc;
};

struct checklang_pred {
	const char *key;
	enum pred_kind kind;
	enum parg arg;
	const char *doc;
};

#define CHECKLANG_NQUERIES 17
#define CHECKLANG_NFILTERS 13
#define CHECKLANG_NPREDS 20

extern const struct checklang_query checklang_queries[CHECKLANG_NQUERIES];
extern const struct checklang_filter checklang_filters[CHECKLANG_NFILTERS];
extern const struct checklang_pred checklang_preds[CHECKLANG_NPREDS];

/* By YAML name; NULL when there is none. */
const struct checklang_query *checklang_query_find(const char *key);
const struct checklang_filter *checklang_filter_find(const char *key);
const struct checklang_pred *checklang_pred_find(const char *key);
/* By kind; NULL for a kind without a row. */
const struct checklang_filter *checklang_filter_of(enum filter_kind kind);

/* The filter evaluators (query.c). */
int query_filter_count(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_unwrap(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_where(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_field(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_nth(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_toint(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_tostring(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_regex(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_strmap(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_join(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);

#endif
