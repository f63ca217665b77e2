/*
 * query.h - evaluate the check language's queries, filters and predicates
 * against one HTTP exchange, and render "{{name}}" templates.
 *
 * This is where Hurl's model lives: query -> filters -> predicate. It knows
 * nothing of actors or steps (that is engine.c); it sees one response and
 * the run's variables.
 *
 * Outcomes are three-way, like everywhere in the grader:
 *   return -1   the grader broke (OOM, a pattern that slipped past the loader)
 *   *ok=false   the submission's answer does not satisfy the assertion;
 *               `msg` says, in one line, what was found and what was expected
 *               ("jsonpath $.quantity was 3; expected 2")
 *   *ok=true    satisfied
 */
#ifndef GRADER_QUERY_H
#define GRADER_QUERY_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "challenge.h"
#include "http.h"

struct eval_cache;   /* per-response parse cache (JSON, HTML); opaque */

/* A statement one response ran more than once, as the boot signed it
 * (grader_boot.py's _repeated_query): the N+1 a query budget names. */
#define QUERY_REPEATS 2
struct query_repeat {
	long count;                         /* times it ran; 0 ends the list */
	char table[64];                     /* the table it reads or writes first */
};

struct eval_ctx {
	const struct http_response *resp;   /* NULL for Q_VALUE-only evaluation */
	const struct http_client *client;   /* for Location/URL reduction; may be NULL */
	const cJSON *vars;                  /* object: variable name -> value */
	const char *challenge_dir;          /* fixtures are relative to it */
	long queries;                       /* SQL queries of this request, -1 unknown */
	struct query_repeat repeats[QUERY_REPEATS];  /* the most repeated statements, most first */
	const struct routes *routes;        /* grader.yaml: Location/URL mapped back; may be NULL */
	struct eval_cache *cache;           /* owned; eval_ctx_release() frees */
	/* The prefix the answered form's controls carry (Django's
	 * Form(prefix=): recipe-image), NULL none: form_errors names its
	 * fields without it, as the checks name them. Not owned. */
	const char *form_prefix;
	/* A file input the grader filled with its own file where the step's
	 * file went under a name the form lacks: form_errors says the
	 * input's errors as that name's (engine.c's file_filled_note). NULL
	 * none. Not owned. */
	const char *file_errors_from, *file_errors_to;
	/* The list answered was read to a next that answered its rows
	 * again (engine.c pages_collect): its count, not its rows, is the
	 * list's (the total filter), though its next stays as written. */
	bool list_ended;
	/* The running query's items filter made a list of the one object
	 * answered (a detail page): a where whose keys that object has none
	 * of keeps it (query_filter_where). Reset by query_eval. */
	bool one_object;
};

void eval_ctx_init(struct eval_ctx *ctx, const struct http_response *resp,
		   const struct http_client *client, const cJSON *vars, const char *challenge_dir);
void eval_ctx_release(struct eval_ctx *ctx);

/*
 * Run the query and filters of `a` (predicate ignored). *out is a new cJSON
 * value (caller frees) or NULL when the query found nothing. Returns 0, 1
 * when the response cannot answer the query (body not JSON, HTML unparseable,
 * a filter does not apply: reason in `why`), -1 on grader error.
 */
int query_eval(const struct assertion *a, struct eval_ctx *ctx, cJSON **out, struct gbuf *why);

/* A page's rows: DRF's "results", else Django Ninja's "items" beside its
 * "count" ({"items": [...], "count": 3}). A pointer into `page` (the
 * caller owns page), or NULL: none. The `unwrap: results` filter and the
 * engine's following of a list's pages read pages alike. */
cJSON *query_page_rows(cJSON *page);

/* XPath `expr` over the answered page, as the `xpath` query reads it: a
 * list of strings, or a string/number/boolean for an expression of that
 * type. A new cJSON value (caller frees), or NULL when the page cannot
 * answer (not HTML) or the expression found nothing. */
cJSON *query_xpath(struct eval_ctx *ctx, const char *expr);

/* Query + filters + predicate (+ negation). 0 holds; 1 does not, and `msg`
 * gets a one-line explanation (excerpts of actual values are short and
 * UTF-8 safe); -1 grader error (err.h's convention). */
int assertion_check(const struct assertion *a, struct eval_ctx *ctx, struct gbuf *msg);

/* What a capture reads: its `what` in words when it has one ("the product
 * list (a JSON array, or an object with "results")"), else the query and
 * its filters alone, without a predicate, e.g. "jsonpath $.id". Appended
 * to `out`. */
int query_describe(const struct assertion *a, const cJSON *vars, struct gbuf *out);

/* Where a JSON member the query reads ("$.id", or a `field` filter) is
 * missing from an answer that holds it one level down, in an envelope
 * ({"data": {"id": 3}}, h815): appends "no field id; it has data; data
 * holds it: a wrapped answer" to `msg` and returns 1; else 0, nothing
 * appended. */
int query_wrapped_said(const struct assertion *a, struct eval_ctx *ctx, struct gbuf *msg);

/* A one-line description of the assertion, e.g. "status in [401, 403]",
 * "jsonpath $.stock equals 3" — used in messages. */
int assertion_describe(const struct assertion *a, const cJSON *vars, struct gbuf *out);

/*
 * Templates. In strings, "{{name}}" is replaced by the variable's value
 * (numbers without trailing zeros, strings as-is); "{{a.b}}" reads member b
 * of object variable a. A string that is exactly one "{{name}}" renders to
 * the variable's value with its JSON type kept (so `equals: "{{n}}"` can
 * compare numbers). An unknown variable is an error the engine reports as
 * the check's failure: -1 is *not* returned for it; instead 1 and `why`.
 */
int template_render(const cJSON *tmpl, const cJSON *vars, cJSON **out, struct gbuf *why);
int template_render_str(const char *tmpl, const cJSON *vars, struct gbuf *out, struct gbuf *why);

/* Whether a redirect target (a path with its query) is a login page: its
 * path names a login, or its query has Django's `next=`. */
bool is_login_path(const char *path);
/* Whether a request's path (its query apart) names a sign-in page: the
 * words of is_login_path, without the next= of a redirect's query. */
bool is_sign_in_path(const char *path);

/* For messages: render `tmpl`, each unknown placeholder replaced by "…"
 * and each value cut to 60 bytes, so no template syntax reaches a student.
 * -1 only on OOM. */
int template_elide_str(const char *tmpl, const cJSON *vars, struct gbuf *out);

/* Deep equality with the grader's loose numeric rule: 3 == 3.0 == "3". */
bool value_equals(const cJSON *a, const cJSON *b);
/* Short UTF-8-safe rendering of a value for messages (at most max bytes). */
int value_excerpt(const cJSON *v, struct gbuf *out, size_t max);

#endif
