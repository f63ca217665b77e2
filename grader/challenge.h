/*
 * challenge.h - a challenge folder, loaded from YAML into a checked model.
 *
 * A challenge folder holds `challenge.yaml` (id, title, users, defaults, the
 * list of check files to include, mutants) and check files. docs/checks.md is
 * the instructor-facing description of the language; this header is the
 * model the loader builds from it and the engine runs.
 *
 * Design: scalar and structured *values* in the model (request bodies,
 * predicate operands, headers) are kept as cJSON trees, because the same
 * values are later compared with JSON responses and templated with captured
 * values ("{{name}}"), which are cJSON too. Structure (steps, assertions,
 * filters) is plain C structs, validated once at load time so the engine
 * never meets an unknown key.
 *
 * Ownership: challenge_load() returns a tree owned by the caller, freed as a
 * whole with challenge_free(). Nothing inside may be freed separately.
 * Every string in the model is NUL-terminated and owned by the tree.
 */
#ifndef GRADER_CHALLENGE_H
#define GRADER_CHALLENGE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "result.h"

#include "buf.h"

/* Where something was written, for load errors and engine messages. */
struct srcpos {
	const char *file;   /* path relative to the challenge folder */
	int line;           /* 1-based */
	int column;         /* 1-based */
};

/* ---- queries: what to look at in a response (Hurl's "query") ---------- */
enum query_kind {
	Q_STATUS,     /* number: the HTTP status */
	Q_HEADER,     /* string: first value of header `arg` (case-insensitive); absent -> missing */
	Q_LOCATION,   /* string: Location header reduced to path+query when it points at the app */
	Q_URL,        /* string: effective URL path+query after redirects were followed */
	Q_BODY,       /* string: the body as text (invalid UTF-8 replaced) */
	Q_TEXT,       /* string: visible text of the HTML document (no script/style), whitespace collapsed */
	Q_PROSE,      /* string: Q_TEXT without links, buttons and form controls (html_prose) */
	Q_JSONPATH,   /* any: jsonpath `arg` on the JSON body; wildcard paths give an array */
	Q_XPATH,      /* array of strings: XPath 1.0 `arg` on the HTML body (node string values; a
	                 number/string/boolean XPath result gives that scalar) */
	Q_CSS,        /* array of strings: CSS selector `arg` (subset, see html.h); with `attr`,
	                 the attribute's values instead of the text */
	Q_REGEX,      /* string: first match of PCRE2 `arg` on the body; group 1 if the pattern has one */
	Q_SHA256,     /* string: hex sha256 of the raw body */
	Q_DURATION,   /* number: milliseconds the exchange took */
	Q_VALUE,      /* any: the templated value `value` (e.g. "{{order_id}}"), to assert on captures */
	Q_QUERIES,    /* number: SQL queries the app ran for this request (advisory checks) */
	Q_QUERIES_REPEATED, /* number: times the statement this request ran most often ran
	                 (its parameters apart; 1 when none repeats, 0 when none ran) */
	Q_FORM_ERRORS,/* object: the errors a re-shown form displays, control name -> list of
	                 messages ("__all__" for form-wide ones); {} when none (html.h) */
	Q_REFUSED,    /* string, or missing: the answer refuses the request as contracts §2 says
	                 ("403", "302 to /accounts/login/?next=..."): 401, 403, 404, or a
	                 redirect to the login page; missing for anything else */
	Q_LOGIN_REDIRECT, /* string, or missing: the answer is a redirect to the login page
	                 (its Location, as a contract path) */
};

/* ---- filters: transform the query's value, in order (Hurl's "filters") - */
enum filter_kind {
	F_COUNT,      /* array/object -> number of items; string -> length in characters */
	F_UNWRAP,     /* object with key `arg` -> that member; anything else unchanged
	                 (`unwrap: results` turns DRF's paginated object into its list) */
	F_WHERE,      /* array -> items that are objects whose members equal all of `value` */
	F_FIELD,      /* object -> member `arg`; array -> array of each item's member `arg` */
	F_NTH,        /* array -> item `num` (negative from the end) */
	F_FIRST,
	F_LAST,
	F_TOINT,      /* string/number -> integer number (fails on non-numeric) */
	F_TOSTRING,   /* scalar -> string */
	F_REGEX,      /* string -> first match of `arg` (group 1 if any); array -> of each */
	F_FINDALL,    /* string -> array of every match of `arg` (group 1 if any); array -> of
	                 each string, in order */
	F_LOWER,
	F_TRIM,
	F_JOIN,       /* array of strings -> one string joined with `arg` (default " ") */
	F_ITEMS,      /* array -> itself; DRF's page -> its `results`; other object -> [it]
	                 (one reading of a list, a page of one, or one object's detail) */
	F_TOTAL,      /* unwrap results | count; a page's own "count" where it holds fewer
	                 rows and links no next (a list the grader could not read whole) */
};

struct filter {
	enum filter_kind kind;
	char *arg;        /* F_UNWRAP, F_FIELD, F_REGEX, F_FINDALL, F_JOIN */
	long num;         /* F_NTH */
	cJSON *value;     /* F_WHERE: object of member -> templated value */
	struct srcpos pos;
};

/* ---- predicates: what the (filtered) value must satisfy ----------------- */
enum pred_kind {
	P_EXISTS,         /* the query found something (default when none is given) */
	P_EQUALS,         /* deep JSON equality; a number equals a numeric string of the same value */
	P_ONE_OF,         /* equals one of the array `value` */
	P_CONTAINS,       /* string contains substring `value` */
	P_INCLUDES,       /* array has an item equal to `value` */
	P_STARTS_WITH,
	P_ENDS_WITH,
	P_MATCHES,        /* string matches PCRE2 pattern `value` */
	P_IS_INTEGER,
	P_IS_NUMBER,
	P_IS_STRING,
	P_IS_LIST,
	P_IS_OBJECT,
	P_IS_EMPTY,       /* "" or [] or {} */
	P_LESS,           /* numeric comparisons */
	P_LESS_EQ,
	P_GREATER,
	P_GREATER_EQ,
	P_COUNT,          /* array/object has exactly `value` items (sugar for filter count + equals) */
	P_EQUALS_FILE,    /* with Q_BODY: the raw body bytes equal fixture file `value`
	                     (path relative to the challenge folder) */
};

struct assertion {
	enum query_kind query;
	char *arg;            /* header name, jsonpath, xpath, css selector, regex */
	char *attr;           /* Q_CSS only: attribute to read instead of the text */
	cJSON *qvalue;        /* Q_VALUE only: templated value */
	struct filter *filters;
	size_t nfilters;
	enum pred_kind pred;
	cJSON *value;         /* predicate operand, templated at run time; NULL for unary */
	bool negate;          /* `not: true` */
	char *message;        /* optional: why this matters, shown to the student on failure */
	char *describe;       /* optional: the failure in words, said instead of "QUERY was
	                       * VALUE; expected PREDICATE" when those are the suite's own
	                       * workings (a value composed of captures) */
	bool optional;        /* a capture's `optional: true`: found nothing, it is "" and
	                       * the step goes on (a Location only a redirect has) */
	char *what;           /* optional: the value's name, said instead of the query in
	                       * "QUERY was VALUE" ("the product's stock" for a JSONPath
	                       * and its filters) */
	char *expected;       /* optional: what was expected, in words, said instead of the
	                       * predicate after "; expected " (a pattern's regex is the
	                       * suite's workings: "a page /tickets/{id}/") */
	struct srcpos pos;
};

/* A capture: same query + filters as an assertion, no predicate. */
struct capture {
	char *name;
	struct assertion q;   /* pred/value/negate unused */
	char *from_list;      /* optional templated path: the answer without q's member ($.NAME
	                         alone), it is read from the row the step made in that list
	                         (engine.c capture_from_list) */
};

/* ---- requests ------------------------------------------------------------ */
enum body_kind {
	BODY_NONE,
	BODY_JSON,        /* `json:` any value, templated, sent as application/json */
	BODY_FORM,        /* `form:` mapping, application/x-www-form-urlencoded */
	BODY_MULTIPART,   /* `multipart:` mapping; a file part is {file: PATH, filename?, content_type?} */
	BODY_RAW,         /* `body:` string with `content_type:` */
};

/*
 * Submit a form as a browser would (issue 3): GET `page` as the step's actor,
 * pick the form matched by `selector` (CSS subset) or whose action equals
 * `action`, keep its inputs' current values (hidden csrfmiddlewaretoken
 * included), override with `fields` and `files`, then send it to the form's
 * action with its method, multipart only if the form declares it.
 */
struct submit {
	char *page;           /* templated path */
	char *selector;       /* default "form" */
	char *action;         /* alternative to selector */
	cJSON *fields;        /* object: name -> templated value */
	cJSON *files;         /* object: name -> {file, filename?, content_type?} */
	bool multipart;       /* send multipart/form-data whatever the form declares: tests an
	                         upload without depending on the form's enctype */
	bool exact_choices;   /* a select's value no option offers is sent as it is, for the
	                         app to refuse, never another option (a check about the
	                         stored values themselves) */
};

enum csrf_mode { CSRF_AUTO = 0, CSRF_OFF, CSRF_ON };

struct step {
	char *name;           /* optional; defaults to "METHOD url" in messages */
	char *actor;          /* user name, or any other name = a fresh anonymous client; default "anonymous" */
	char *method;         /* default GET (or the form's method for submit) */
	char *url;            /* templated path, e.g. "/api/products/{{p1}}/"; NULL with no
	                         submit: an assert-only step (only `value` queries) */
	cJSON *headers;       /* object name -> templated string, or NULL */
	enum body_kind body;
	cJSON *body_value;    /* JSON value, form/multipart object, or raw string */
	char *content_type;   /* BODY_RAW */
	struct submit *submit;/* non-NULL: this step submits a form (url/method/body unused) */
	enum csrf_mode csrf;  /* AUTO: session actors send the token on unsafe methods */
	bool follow;          /* follow redirects (max 10) */
	bool no_follow;       /* `follow: false` written: not even a redirect to a page beneath
	                         the one asked for (engine.c step_asks_page) */
	bool all_pages;       /* a paginated JSON list ({"results", "next"}): fetch every page
	                         and judge the whole list (engine.c pages_collect) */
	bool fill_required;   /* a JSON creation answered 400 for fields it did not send ("This
	                         field is required."): sent again with plausible values for them,
	                         typed by the API's OPTIONS (engine.c json_fill_required) */
	long repeat;          /* run the step this many times (default 1); {{i}} counts from 1 */
	char *any_var;        /* `any_of: {VAR: LIST}`: the step is tried with VAR bound to each
	                         item of the templated LIST until one attempt passes */
	cJSON *any_values;    /* the templated LIST */
	bool setup;           /* advisory checks: a failure here means the check could not set
	                         up what it measures, so it is `skip`, not a warning */
	bool guard;           /* advisory checks: a failure here ends the check as it stands,
	                         passed: what follows measures only what it found (a status
	                         form the page may have, which SPEC.md does not ask for) */
	bool server_error_passes; /* on_server_error: pass: a read confirming an earlier step
	                         that answers 5xx passes unjudged (the page's own check
	                         charges it; challenge.c step_on_server_error) */
	bool after_failure;   /* `after_failure:` run only when the step before its block
	                         failed, to say what that failure left (a refused change
	                         saved or not): never judged (engine.c explain_failure) */
	char *note_held;      /* after_failure: said beside the failure when every
	                         assertion holds (templated; may be NULL) */
	char *note_failed;    /* after_failure: said when one does not (likewise) */
	bool note_replaces;   /* after_failure's `advice: true`: a note said takes the place
	                         of the failure's advice (after its last " — "), which it
	                         shows wrong (a lookup_field for a product a manager hides) */
	bool absent_passes;   /* on_absent: pass: a read of candidates that every one shows
	                         without the object (404, or a list without it) passes
	                         unjudged (challenge.c step_on_absent) */
	long timeout_ms;      /* 0 = challenge default */
	struct capture *captures;
	size_t ncaptures;
	struct assertion *asserts;
	size_t nasserts;
	struct srcpos pos;
};

/* ---- checks and the challenge ------------------------------------------- */
struct check {
	char *id;             /* rubric id, unique in the challenge */
	char *title;
	char *category;       /* free-form: "permissions", "validation", ... */
	int points;           /* 0 for advisory checks */
	bool advisory;        /* reported as a warning, never scored */
	enum check_visibility visibility; /* who reads its message (result.h, docs/formats.md) */
	char **depends_on;    /* ids of earlier checks; if one did not pass -> skip */
	size_t ndepends;
	struct step *steps;
	size_t nsteps;
	bool alone;           /* `concurrency: 1`: never runs beside another check */
	struct srcpos pos;
};

struct user {
	char *username;
	char *password;       /* default: "<username>-grader-pw" */
	char *email;          /* default: "<username>@example.invalid" */
	bool is_staff;
	bool is_superuser;
};

/* A mutant: a patch to the reference solution and the checks it must fail. */
struct mutant {
	char *id;
	char *patch;          /* path relative to the challenge folder */
	char **kills;         /* check ids it must fail (and it must pass all others) */
	size_t nkills;
	char *why;            /* optional: why a cascade is unavoidable */
};

struct challenge {
	char *dir;            /* absolute path of the challenge folder */
	char *id;
	char *title;
	char *sandbox_profile;/* default "default" */
	long request_timeout_ms; /* default GRADER_REQUEST_TIMEOUT_MS (timeouts.h) */
	long concurrency;     /* `concurrency:` checks that may run at once; 0: the grader's
	                         choice, 1: one after another (engine.h) */
	bool sign_in_session; /* `sign_in: session`: the users are signed in by their
	                         session cookie alone, never a token or Basic */
	struct user *users;
	size_t nusers;
	struct check *checks;
	size_t nchecks;
	struct mutant *mutants;
	size_t nmutants;
	int max_score;        /* declared total of the points (`max_score:`), checked
	                         against the checks' sum; 0: not declared */
	char suite_sha256[65];/* hex sha256 over challenge.yaml and every included
	                         file, in load order, each prefixed by its path */
};

/*
 * Load `dir`/challenge.yaml and the files it includes. On a malformed file
 * returns -1 with err_last() = "FILE:LINE:COLUMN: what was found; expected
 * what" (e.g. "checks/orders.yaml:12:7: unknown key 'expext' in step;
 * expected one of: name, as, method, ..."). Also rejects: duplicate check
 * ids, depends_on naming a missing or later check, unknown actors that look
 * like typos of a user (no: any non-user actor is anonymous — so instead a
 * step's `as` must be a user, "anonymous", or start with "anonymous"),
 * a fixture file that does not exist, a regex PCRE2 cannot compile.
 */
int challenge_load(const char *dir, struct challenge **out);

/*
 * The same, listing every error of every file (parsing goes on after an
 * error in a check, step, assertion, user, mutant or included file), in the
 * order met, at most CHALLENGE_ERRORS_MAX of them kept in `errs` (`total`
 * counts them all). FILE in "FILE:LINE:COLUMN: message" is relative to the
 * current folder when the challenge is inside it, else absolute. errs may
 * be NULL; else the caller releases it with challenge_errors_release().
 */
#define CHALLENGE_ERRORS_MAX 50
struct challenge_errors {
	char *msg[CHALLENGE_ERRORS_MAX];
	size_t n;        /* kept in msg */
	size_t total;    /* found */
};
int challenge_load_all(const char *dir, struct challenge **out, struct challenge_errors *errs);
void challenge_errors_release(struct challenge_errors *e);

/* How messages name the folder `dir` (absolute): relative to the current
 * folder when inside it ("" for the current folder itself, else ending in
 * '/'), else absolute with a '/' at the end. */
void challenge_shown_folder(const char *dir, char *out, size_t sz);
void challenge_free(struct challenge *c);

/* Resolve NAME: a folder under <datadir>/challenges, else a path. Returns a
 * malloc'd absolute path or NULL + err. */
char *challenge_resolve(const char *datadir, const char *name);

/* Append the names of the challenges under <datadir>/challenges (folders
 * with a challenge.yaml), sorted, separated by `sep`. 0, or -1 + err. */
int challenge_list(const char *datadir, const char *sep, struct gbuf *out);

const struct user *challenge_user(const struct challenge *c, const char *name);
const struct check *challenge_check(const struct challenge *c, const char *id);

#endif
