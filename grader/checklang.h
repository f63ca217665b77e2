/*
 * checklang.h - the check language's vocabulary, defined once.
 *
 * Every query, filter and predicate a challenge's YAML may name is one row
 * of a table in checklang.c: its name, the argument it takes (which the
 * loader, challenge.c, checks), the function that evaluates it (in
 * query.c: query_get_*, query_filter_*, query_pred_*), for a query how
 * messages name it and what the check plan needs to know (QF_*), for a
 * predicate how messages phrase it, and one line of documentation.
 * docs/checks.md lists the same words; tests/unit/test_checklang.c fails
 * when a word is in one and not the other, tests/unit/test_query.c and
 * test_checkplan.c when a query, filter or predicate has no line in their
 * lists of every row (docs/checks.md, "To add a query"). To add one: an
 * enum value in challenge.h, a row in checklang.c, its evaluator in
 * query.c, its lines in docs/checks.md and in those tests.
 *
 * The tables are static data; nothing to free.
 */
#ifndef GRADER_CHECKLANG_H
#define GRADER_CHECKLANG_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "challenge.h"

/* What a `prose` query leaves out, in its label and in the messages that
 * say where else a value was found (query.c, prose_with_links). */
#define CHECKLANG_PROSE_OUTSIDE "outside links, buttons and form controls"

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

/*
 * A query's evaluator: what the assertion reads from the exchange. *out a
 * new value (the caller frees it), left NULL when the query finds nothing
 * (a missing value); only set when 0 is returned. err.h's convention: 0
 * done, 1 the response cannot answer (`why` says so: the body is not JSON,
 * not HTML), -1 the grader broke. Rows with QF_RESPONSE are only called
 * when there is a response (query.c says "there is no response" else).
 */
typedef int (*checklang_query_fn)(const struct assertion *a, struct eval_ctx *ctx, cJSON **out,
				  struct gbuf *why);
/* A query as messages name it ("css img (attribute src)"), appended to out. */
typedef int (*checklang_query_desc_fn)(const struct assertion *a, struct gbuf *out);

/* What a query depends on: its evaluator's precondition, and what the
 * check plan (checkplan.c) needs to know to run checks side by side. */
enum {
	QF_RESPONSE = 1 << 0,   /* needs a response (not value and queries: they read the run) */
	QF_CONTENT = 1 << 1,    /* reads what the answer says, not only how it answered:
				 * another check's rows can change it */
	QF_SHARED = 1 << 2,     /* counts what every check does (SQL queries): observes
				 * shared state whatever the page */
	QF_TIMED = 1 << 3,      /* about the machine's load: its check runs alone */
};

struct checklang_query {
	const char *key;
	enum query_kind kind;
	enum qarg arg;
	checklang_query_fn eval;
	unsigned flags;          /* QF_* */
	const char *label;       /* in messages; "%s" is the argument, cut short */
	checklang_query_desc_fn describe;   /* instead of label, when not NULL */
	const char *doc;
};

struct checklang_filter {
	const char *key;
	enum filter_kind kind;
	enum farg arg;
	checklang_filter_fn eval;
	const char *doc;
};

/*
 * One predicate applied to one value. v is the query's value (NULL when the
 * query found nothing: only rows with sees_absent are called then), op the
 * operand from the YAML; s and o are their strings when they are strings
 * (o also for a numeric operand, as text). info collects what the message
 * will quote (query.c owns its layout). Borrowed, all of it.
 */
struct pred_info;
struct pred_call {
	const struct assertion *a;
	struct eval_ctx *ctx;
	const cJSON *v;
	const cJSON *op;
	const char *s;
	const char *o;
	struct pred_info *info;
};

/* A predicate's evaluator: *res is whether it holds. 0 done, -1 the grader
 * broke (err.h; a bad regex or fixture path of the challenge's author). */
typedef int (*checklang_pred_fn)(const struct pred_call *c, bool *res);

struct checklang_pred {
	const char *key;
	enum pred_kind kind;
	enum parg arg;
	checklang_pred_fn eval;
	bool sees_absent;    /* called when the query found nothing (exists) */
	/* How messages phrase it, positive then negated; "%s" is the operand
	 * (a PA_REGEX one between slashes). expected follows "expected " in a
	 * failure ("anything but 3"), described follows the query in a
	 * description ("does not equal 3"). */
	const char *expected[2];
	const char *described[2];
	const char *doc;
};

#define CHECKLANG_NQUERIES 19
#define CHECKLANG_NFILTERS 16
#define CHECKLANG_NPREDS 20

extern const struct checklang_query checklang_queries[CHECKLANG_NQUERIES];
extern const struct checklang_filter checklang_filters[CHECKLANG_NFILTERS];
extern const struct checklang_pred checklang_preds[CHECKLANG_NPREDS];

/* By YAML name; NULL when there is none. */
const struct checklang_query *checklang_query_find(const char *key);
const struct checklang_filter *checklang_filter_find(const char *key);
const struct checklang_pred *checklang_pred_find(const char *key);
/* By kind; NULL for a kind without a row. */
const struct checklang_query *checklang_query_of(enum query_kind kind);
const struct checklang_filter *checklang_filter_of(enum filter_kind kind);
const struct checklang_pred *checklang_pred_of(enum pred_kind kind);

/* The query evaluators and describers (query.c). */
int query_get_status(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_header(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_location(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_url(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_body(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_text(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_jsonpath(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_xpath(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_css(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_regex(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_sha256(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_duration(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_value(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_queries(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_queries_repeated(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_form_errors(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_refused(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);
int query_get_login_redirect(const struct assertion *a, struct eval_ctx *ctx, cJSON **out,
			     struct gbuf *why);
int query_desc_css(const struct assertion *a, struct gbuf *out);
int query_desc_value(const struct assertion *a, struct gbuf *out);

/* The filter evaluators (query.c). */
int query_filter_count(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_unwrap(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_items(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_total(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_where(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_field(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_nth(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_toint(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_tostring(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_findall(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_regex(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_strmap(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);
int query_filter_join(const struct filter *f, struct eval_ctx *ctx, cJSON **pv, struct gbuf *why);

/* The predicate evaluators (query.c). */
int query_pred_equals(const struct pred_call *c, bool *res);
int query_pred_one_of(const struct pred_call *c, bool *res);
int query_pred_contains(const struct pred_call *c, bool *res);
int query_pred_includes(const struct pred_call *c, bool *res);
int query_pred_starts_with(const struct pred_call *c, bool *res);
int query_pred_ends_with(const struct pred_call *c, bool *res);
int query_pred_matches(const struct pred_call *c, bool *res);
int query_pred_is_integer(const struct pred_call *c, bool *res);
int query_pred_is_number(const struct pred_call *c, bool *res);
int query_pred_is_string(const struct pred_call *c, bool *res);
int query_pred_is_list(const struct pred_call *c, bool *res);
int query_pred_is_object(const struct pred_call *c, bool *res);
int query_pred_is_empty(const struct pred_call *c, bool *res);
int query_pred_order(const struct pred_call *c, bool *res);
int query_pred_count(const struct pred_call *c, bool *res);
int query_pred_exists(const struct pred_call *c, bool *res);
int query_pred_equals_file(const struct pred_call *c, bool *res);

#endif
