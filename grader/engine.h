/*
 * engine.h - run a challenge's checks against a booted app.
 *
 * The engine owns the run's variables (captures, run.nonce, users.*), turns
 * each step into an HTTP request for its actor, evaluates assertions through
 * query.h and scores checks all-or-nothing. A check's outcome:
 *   pass   every assertion of every step held;
 *   fail   an assertion did not hold (or the app answered 5xx): the message
 *          says what was sent, what came back and what was expected;
 *   error  a transport fault (timeout, reset, not HTTP) or the app died;
 *   skip   a check in depends_on did not pass; the message names it.
 * It never prints. -1 only when the grader broke.
 *
 * Checks that cannot affect each other (checkplan.h) run at the same time,
 * in up to `jobs` lanes (threads), each with its own curl handles; an
 * actor's cookie jar is one for the run (http.h's lanes). The results are
 * in the challenge's order and the same as a run with jobs = 1.
 */
#ifndef GRADER_ENGINE_H
#define GRADER_ENGINE_H

#include <stdbool.h>

#include "boot.h"
#include "challenge.h"
#include "http.h"
#include "result.h"
#include "routes.h"

struct engine_opts {
	const struct challenge *challenge;
	struct http_client *http;
	const struct boot_info *boot;   /* sessions, cookie names, query token */
	struct app *app;                /* to tell a crash from a slow answer; may be NULL */
	long request_timeout_ms;        /* 0: the challenge's */
	long long deadline_ms;          /* monotonic ms after which remaining checks are not run; 0 none */
	const char *nonce;              /* run.nonce; NULL: random */
	const struct routes *routes;    /* the submission's grader.yaml; NULL: none */
	/* Distributions installed because the code imports them undeclared:
	 * {{env.inferred}}, comma-separated ("" none), for requirements-declared. */
	const char *const *inferred;
	size_t ninferred;
	/* Of those, "DIST\tSECTION\tMAIN" for each the requirements file names
	 * only in a group it does not install (env.h): {{env.undeclared}} and
	 * {{env.declare_how}} say where it is and where it belongs. */
	const char *const *grouped;
	size_t ngrouped;
	/* {{env.requirements}}: the file the requirements were read from
	 * ("pyproject.toml"), where those belong; NULL: "requirements.txt". */
	const char *requirements;
	/* The project has no requirements file: {{env.requirements}} says so
	 * once, after the file's name; {{env.requirements_file}} is the name
	 * alone, for the advice that names it again (h489: the note twice). */
	bool requirements_none;
	/* Checks run at once (--jobs-checks): 0 ENGINE_JOBS_DEFAULT, 1 one
	 * after another. Only checks that cannot affect each other overlap
	 * (checkplan.h); the challenge's `concurrency:` caps it. */
	long jobs;
	/* The root client's socket hook (the sandbox's), for the lanes'
	 * clients: called one thread at a time. NULL: plain connect(). */
	int (*open_socket)(void *ctx);
	void *open_socket_ctx;
};

/* One after another unless asked: on the shipped suites the lanes gain
 * nothing measurable (docs/performance.md), and a run in one lane is the
 * simplest to reason about. */
#define ENGINE_JOBS_DEFAULT 1

/* What engine_run returns beside -1 and 0 (err.h). */
enum engine_outcome {
	ENGINE_DONE = 0,
	ENGINE_TIMED_OUT = 1,   /* the run's deadline cut the checks short */
};

/*
 * Fills res->checks, res->score, res->max_score. The err.h convention: -1
 * the grader broke; 0 every check ran; ENGINE_TIMED_OUT the deadline cut
 * the run short (the checks that completed keep their results, the others
 * are errors that say so).
 */
int engine_run(const struct engine_opts *o, struct grade_result *res);

/*
 * After engine_run, when a check answered 5xx cost points or the boot found
 * migrations pending: the errors Django's system checks find in the running
 * app, which `manage.py migrate` and `runserver` stop on, as one sentence
 * in res->system_checks (res owns it; NULL when none). Best effort: when
 * no answer comes it stays NULL, and nothing else of the run changes.
 */
void engine_system_checks(const struct engine_opts *o, struct grade_result *res);

#endif
