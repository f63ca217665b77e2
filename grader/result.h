/*
 * result.h - what a grading run produced: the one record that the engine
 * fills, the store saves and the report prints.
 *
 * Two kinds of failure are kept apart here, in types:
 *  - the *submission* failed (could not be fetched, set up, booted, timed
 *    out; a check failed): `status` != RUN_GRADED or a check's status, with a
 *    `diagnosis`/`message` written for the student. Exit code 0 or 3.
 *  - the *grader* broke: RUN_INTERNAL_ERROR, diagnosis = err_last(). Exit 1.
 *
 * Ownership: every pointer is owned by the struct and freed by
 * grade_result_release(); set strings with result_set() helpers or strdup.
 */
#ifndef GRADER_RESULT_H
#define GRADER_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "env_pin.h"   /* struct env_pin: environment.relaxed */

/* = boot.h's BOOT_NPHASES (checked where the two meet, in grade.c). */
#define RESULT_BOOT_PHASES 6

#define GRADER_VERSION "0.1.0"

enum run_status {
	RUN_GRADED = 0,
	RUN_FETCH_FAILED,
	RUN_SETUP_FAILED,
	RUN_BOOT_FAILED,
	RUN_TIMED_OUT,
	RUN_INTERNAL_ERROR,
};

enum check_status {
	CHECK_PASS = 0,
	CHECK_FAIL,
	CHECK_ERROR,   /* the app crashed, timed out or sent no HTTP answer */
	CHECK_SKIP,    /* a check it depends on did not pass; message names it */
};

/*
 * Who may read a check's message (Gradescope's visibility semantics,
 * docs/formats.md): hidden and after_due_date checks are graded, scored and
 * stored like any other, but student-facing renderings withhold their
 * messages until the instructor releases them (format.h).
 */
enum check_visibility {
	VIS_VISIBLE = 0,
	VIS_HIDDEN,
	VIS_AFTER_DUE_DATE,
};

/*
 * Where a check's time went (issue 13), in microseconds. The first three
 * are libcurl's split of each HTTP exchange (http.h's struct http_timing),
 * summed; `http` is http.c's and libcurl's set-up around them; `grader` is
 * the rest of the check's wall time: templates, building requests, parsing
 * pages, evaluating assertions. connect + app + recv + http + grader = the
 * check's wall time. Not stored (a run loaded from the store has none).
 */
struct check_timing {
	long requests;        /* HTTP exchanges, each redirect hop counted */
	long connects;        /* new connections opened for them */
	long long connect_us; /* a socket (the sandbox's PID 1 makes it) and connect() */
	long long app_us;     /* request sent until the answer's first byte: the app working */
	long long recv_us;    /* the answer's first byte to its last */
	long long http_us;
	long long grader_us;
};

struct check_result {
	char *id;
	char *title;
	char *category;
	int points;        /* earned */
	int max_points;
	bool advisory;
	enum check_status status;
	char *message;     /* NULL on pass; <= ~300 bytes of valid UTF-8 otherwise */
	long duration_ms;
	long queries;      /* SQL queries counted during the check, -1 unknown */
	enum check_visibility visibility;
	struct check_timing timing;
	/* A failed check's create that answered another number than it sent
	 * ("POST /api/products/ answered stock 0 for the 5 sent"), and its
	 * key ("POST /api/products/ stock"), for causes_find; NULL when none.
	 * Not stored: the cause it makes is. */
	char *unkept;
	char *unkept_key;
};

/* One root cause shared by several failed checks, said once (causes.h). */
struct cause {
	char *text;        /* one line: "POST /api/products/ answered 400 {...}" */
	char **checks;     /* ids of the checks it explains */
	size_t nchecks;
	char **routes;     /* suggested grader.yaml lines, "/tickets/: /support/" */
	size_t nroutes;
};

/* One grader.yaml mapping: the challenge's path -> the app's. */
struct route_pair {
	char *from;
	char *to;
};

/* How the system checks' sentence begins: the JSON report's `warnings`
 * holds it beside the source's warning, and a report read back (grader
 * convert) tells them apart by it. */
#define RESULT_SYSTEM_CHECKS_LEAD "Django's system checks find "

struct grade_result {
	char *challenge_id;
	char *challenge_title;
	char suite_sha256[65];
	char *challenge_dir;
	char *source;
	char *ref;         /* as asked; "HEAD" by default */
	char commit[41];   /* "" until fetched */
	enum run_status status;
	int score;
	int max_score;
	struct check_result *checks;
	size_t nchecks;
	char *diagnosis;   /* NULL when graded; what the student can act on otherwise */
	char *sandbox_mode;    /* NULL: ran without a sandbox */
	char *sandbox_profile;
	char *environment;     /* one line: interpreter, why, requirements source, reused */
	struct route_pair *routes;  /* the submission's grader.yaml mapping, in order */
	size_t nroutes;
	bool routes_loaded;    /* a grader.yaml was read (the JSON's routes is not null) */
	int64_t run_id;        /* the run's id in the store; 0 when not recorded */
	char *warning;         /* about the source (uncommitted changes), or NULL */
	/* Django's system checks found errors, which `manage.py migrate` and
	 * `runserver` stop on and the grader's boot does not run (asked only
	 * when a 5xx cost points or migrations are pending, engine.c): one
	 * sentence starting with RESULT_SYSTEM_CHECKS_LEAD, or NULL. */
	char *system_checks;
	bool server_error;     /* a check's step was answered 5xx (engine.c), not stored */
	/* The environment phase, for the JSON report's `environment` (NULL
	 * python: the phase was not reached). */
	char *env_python;              /* "3.11.2" */
	char *env_python_reason;
	char *env_requirements_source; /* "requirements.txt", "(default runtime)" */
	char *env_django;              /* Django's version the app booted with ("5.2.19"),
					* NULL when it did not boot; stored since schema v6 */
	char *env_declare_in;          /* with the default runtime, the file that
					* declared packages only in groups (h383): where
					* the inferred belong; NULL otherwise. Not stored:
					* a report read back says requirements.txt */
	char **env_inferred;           /* distributions added by inference */
	size_t nenv_inferred;
	struct env_pin *env_relaxed;   /* pins changed so that they install (contracts §2) */
	size_t nenv_relaxed;
	char **env_left_out;           /* "LINE\tWHY": requirement lines not installed
					* (env_info.left_out); the JSON's environment.left_out,
					* not stored */
	size_t nenv_left_out;
	char *auth_scheme;     /* how the actors were signed in: "session", "token",
				* "jwt", "basic", "session+token", "session+jwt";
				* NULL when the app did not boot */
	bool auth_basic_only;  /* "session+basic" where no change was taken on the
				* session alone (engine.c); the text report's words,
				* not stored, not in the JSON */
	struct cause *causes;  /* shared root causes (causes.h); stored since schema v4 */
	size_t ncauses;
	char **app_paths;      /* the paths the booted app serves (boot_info.url_paths), for
				* the report's route suggestions; not stored */
	size_t napp_paths;
	long t_fetch_ms, t_env_ms, t_boot_ms, t_checks_ms, t_total_ms;
	/* Boot's own phases (boot.h's boot_phase_name order; -1 not seen), for
	 * the JSON's boot_phases_ms; not stored: boot_phases_known is false in
	 * a run loaded back from the store (the key is then null). */
	long t_boot_phase_ms[RESULT_BOOT_PHASES];
	bool boot_phases_known;
	/* The checks' time split (struct check_timing), summed over every check,
	 * for the JSON's checks_timing_ms; each check's own is in its
	 * check_result. Not stored: false in a run loaded from the store. */
	struct check_timing t_checks_split;
	bool checks_split_known;
	time_t started_at;

	/* A class's context (grader batch, contracts §7); NULL / 0 outside one. */
	char *student;         /* roster id of the student graded */
	char *selection;       /* which commit was graded and why (deadline, lateness) */
	time_t due_at;         /* the student's deadline (extension included); 0 none */
	time_t commit_time;    /* committer time of the graded commit; 0 unknown */
	int late_penalty;      /* points taken off `score` for lateness (score stays raw) */

	/* Set by the store: when recorded, and when loaded back. */
	char uuid[33];         /* the run's identity across databases (merge); "" new */
	char *grader_version;  /* NULL: this binary's GRADER_VERSION */
	char *workspace;       /* where the run's workspace was kept (--keep-workspace); NULL: removed */
	/* NULL, or why the run's workspace could not be removed: the grader's
	 * problem, not the submission's (the grade stands); the command layer
	 * prints it on stderr. Not stored, not in the report. */
	char *teardown_error;
};

/* score - late_penalty, never below 0. */
int result_final_score(const struct grade_result *r);

void grade_result_release(struct grade_result *r);

/* The run's warnings in the order every report says them: about the source
 * (uncommitted changes), then Django's system checks. Fills w with
 * pointers r owns (never freed by the caller) and returns how many; the
 * JSON report, Markdown, Gradescope and JUnit all read them through this,
 * so a new kind of warning is added here once. */
#define RESULT_WARNINGS_MAX 2
size_t result_warnings(const struct grade_result *r, const char *w[RESULT_WARNINGS_MAX]);
/* Whether env_requirements_source names a file the requirements came
 * from ("(inferred)" and the like do not). */
bool result_has_requirements(const char *source);
/* Where a package the code imports undeclared belongs: the file the
 * requirements were read from (env_requirements_source), else the file
 * that declared packages only in groups (env_declare_in), else
 * "requirements.txt". Points into `r` or a constant. */
const char *result_requirements_file(const struct grade_result *r);
const char *run_status_name(enum run_status s);
const char *check_status_name(enum check_status s);
/* Names back to values (a stored run): 0, or -1 for an unknown name. */
int run_status_parse(const char *name, enum run_status *out);
int check_status_parse(const char *name, enum check_status *out);
const char *check_visibility_name(enum check_visibility v);
/* "visible", "hidden", "after_due_date" -> *v; -1 (no err set) otherwise. */
int check_visibility_parse(const char *name, enum check_visibility *v);
/* Replace *slot with a copy of the formatted string (NULL on OOM). */
void result_setf(char **slot, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Paths relative to the repository in the diagnosis and messages: "DIR/"
 * (the app's private copy, or the checkout) is removed, and a path into an
 * installed package is shown from "site-packages/" on. Tracebacks then
 * name "shop/views.py", as on the student's machine. DIR may be NULL. */
void result_relativize(struct grade_result *r, const char *dir);

/* Exit code of `grader grade` for a finished result (exitcode.h). */
int result_exit_code(const struct grade_result *r);

#endif
