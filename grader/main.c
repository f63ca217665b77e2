/*
 * main.c - the command layer: a table of commands, option parsing, and the
 * only place that prints or chooses an exit status.
 *
 * Exit statuses: exitcode.h.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "challenge.h"
#include "cli.h"
#include "cmd.h"
#include "cmd_formats.h"
#include "env.h"
#include "err.h"
#include "exitcode.h"
#include "fetch.h"
#include "format.h"
#include "grade.h"
#include "intr.h"
#include "prove.h"
#include "report.h"
#include "result.h"
#include "sandbox.h"
#include "source.h"
#include "store.h"
#include "timeouts.h"

static int cmd_grade(int argc, char **argv);
static int cmd_prove(int argc, char **argv);
static int cmd_env(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);
static int cmd_complete(int argc, char **argv);
int cmd_serve(int argc, char **argv); /* cmd_serve.c */

/*
 * What names the formats of format.c's table (format_table[]): --format's
 * help and completion, and convert's paragraph. Filled in by main() before
 * the tables are used, so a new format needs no edit here.
 */
static char format_help[512], format_words[256], convert_help[768];

/*
 * Every option, once: its spelling, its argument, its help (shown by
 * `grader help CMD`, CMD --help and the man page) and what completes its
 * argument. A command lists the ids of the options it takes.
 */
static const struct cli_option options[] = {
	{OPT_CHALLENGE, "challenge", 'c', "NAME", false, false,
	 "the challenge: a folder name under challenges/, or the path of a challenge folder", "@challenges"},
	{OPT_REF, "ref", 0, "REF", false, false,
	 "the branch, tag or commit to grade (default: the repository's HEAD)", "@none"},
	{OPT_FORMAT, "format", 0, "FORMAT", false, false, format_help, format_words},
	{OPT_SHOW_HIDDEN, "show-hidden", 0, NULL, false, false,
	 "the instructor's view: show the messages of hidden and after_due_date checks", NULL},
	{OPT_DUE, "due", 0, "TIME", false, false,
	 "the due date (ISO 8601): after it, after_due_date checks' messages are shown", "@none"},
	{OPT_REPORT, "report", 0, "FILE", false, false, "the JSON report to read (as grade --format json wrote it)", NULL},
	{OPT_RUN_ID, "run", 0, "ID", false, false, "the recorded run to draw (its id, as grader history lists it)",
	 "@none"},
	{OPT_LABEL, "label", 0, "TEXT", false, false, "the badge's left-hand text (default: the challenge's title)",
	 "@none"},
	{OPT_OUT, "out", 'o', "FILE", false, false,
	 "write to FILE instead of standard output (checked before any work starts)", NULL},
	{OPT_DB, "db", 0, "FILE", false, false,
	 "the results database, an SQLite file (default: $GRADER_DB, else results.sqlite3 in the cache "
	 "folder); grade records the run in it, and its folder must exist", NULL},
	{OPT_NO_DB, "no-db", 0, NULL, false, false, "record nothing", NULL},
	{OPT_PYTHON, "python", 0, "PATH", false, false,
	 "the base interpreter for the submission's environment (default: chosen from the project)", NULL},
	{OPT_FETCH_TO, "fetch-timeout", 0, "S", false, false, "seconds the clone may take (default " GRADER_TIMEOUT_STR(GRADER_FETCH_TIMEOUT_S) ")", "@none"},
	{OPT_MAX_BYTES, "max-checkout-bytes", 0, "SIZE", false, false,
	 "the most the checkout may hold: bytes, or with KiB, MiB, GiB (default 200MiB; the download may "
	 "be twice that)", "@none"},
	{OPT_MAX_FILES, "max-checkout-files", 0, "N", false, false,
	 "the most files the checkout may hold (default 20000)", "@none"},
	{OPT_MAX_DEPTH, "max-checkout-depth", 0, "N", false, false,
	 "the deepest folder nesting the checkout may have (default 64)", "@none"},
	{OPT_CREDENTIALS, "credentials", 0, "FILE", false, false,
	 "tokens for private https repositories: lines \"HOST TOKEN\" or \"HOST USERNAME TOKEN\", the file "
	 "readable by its owner only (or GRADER_GIT_TOKEN for GRADER_GIT_HOST, default github.com)", NULL},
	{OPT_ENV_TO, "env-timeout", 0, "S", false, false,
	 "seconds making the environment may take (default " GRADER_TIMEOUT_STR(GRADER_ENV_TIMEOUT_S) ")", "@none"},
	{OPT_BOOT_TO, "boot-timeout", 0, "S", false, false, "seconds the app may take to boot (default " GRADER_TIMEOUT_STR(GRADER_BOOT_TIMEOUT_S) ")", "@none"},
	{OPT_REQ_TO, "request-timeout", 0, "S", false, false,
	 "seconds each request may take (default: the challenge's)", "@none"},
	{OPT_RUN_TO, "run-timeout", 0, "S", false, false, "seconds all the checks may take (default " GRADER_TIMEOUT_STR(GRADER_RUN_TIMEOUT_S) ")", "@none"},
	{OPT_JOBS_CHECKS, "jobs-checks", 0, "N", false, false,
	 "run up to N checks at once, those that cannot affect each other (default 1: one after another)",
	 "@none"},
	{OPT_PROFILE, "sandbox-profile", 0, "NAME", false, false,
	 "the sandbox profile under sandboxes/ (default: the challenge's)", "default strict"},
	{OPT_UNSAFE, "unsafe-no-sandbox", 0, NULL, false, false,
	 "run the submission without a sandbox when none works here (it is untrusted code)", NULL},
	{OPT_WORKTREE, "worktree", 0, NULL, false, false,
	 "grade a local repository's working tree as it is, uncommitted changes included (not the last commit)",
	 NULL},
	{OPT_KEEP, "keep-workspace", 0, NULL, false, false,
	 "keep the workspace (checkout, app state, logs) and print where it is", NULL},
	{OPT_NONCE, "nonce", 0, "TEXT", false, true, "fixed nonce for test data (tests only)", "@none"},
	{OPT_DAYS, "days", 0, "N", false, false,
	 "with prune: remove the environments unused for N days (default 30)", "@none"},
	{OPT_CHECKS, "checks", 0, NULL, false, false, "add one column a check: the points it earned", NULL},
	{OPT_JOBS, "jobs", 'j', "N", false, false, "grade N submissions at once (default: the machine's cores)",
	 "@none"},
	{OPT_DEADLINE, "deadline", 0, "TIME", false, false,
	 "grade the newest commit at or before TIME (ISO 8601), or the student's extension_until", "@none"},
	{OPT_LATE_POLICY, "late-policy", 0, "POLICY", false, false,
	 "per-day:P[,cap:C]: grade late commits, P percent off a started day, at most C; cutoff:TIME: "
	 "no commit after TIME is graded", "@none"},
	{OPT_REPO_TEMPLATE, "repo-template", 0, "URL", false, false,
	 "each student's repository from roster columns, e.g. https://github.com/ORG/hw1-{github_username}",
	 "@none"},
	{OPT_REGRADE, "regrade", 0, NULL, false, false,
	 "grade every student again, even when their commit was already graded by this suite", NULL},
	{OPT_SHARD, "shard", 0, "I/N", false, false,
	 "grade shard I of N of the roster into its own database (default from JOB_COMPLETION_INDEX with "
	 "GRADER_SHARDS, or SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT)", "@none"},
	{OPT_INTO, "into", 0, "FILE", false, false, "the database the others are merged into", NULL},
	{OPT_HTML, "html", 0, "DIR", false, false, "write the class report as a static site into DIR", "@dirs"},
	{OPT_HELP, "help", 'h', NULL, false, false, "show this help and exit", NULL},
	{OPT_QUIET, "quiet", 'q', NULL, false, false,
	 "print no notes or progress; the text report lists only the checks that did not pass", NULL},
	{OPT_VERBOSE, "verbose", 'v', NULL, false, false, "print each phase's progress on standard error", NULL},
	{OPT_LISTEN, "listen", 0, "ADDR:PORT", false, false,
	 "where the service listens (default 127.0.0.1:8080: loopback only)", "@none"},
	{OPT_STUDENT, "student", 0, "ID", false, false,
	 "record the run as this student's (a roster id), so that history, export and report show it", "@none"},
	{OPT_CONFIG, "config", 0, "FILE", false, false, "the service's YAML configuration (docs/service.md)", NULL},
	{OPT_COLOR, "color", 0, "WHEN", true, false,
	 "colour the text report: auto (on a terminal, unless NO_COLOR is set), always or never",
	 "auto always never"},
};

static const int GRADE_OPTS[] = {OPT_CHALLENGE, OPT_REF, OPT_FORMAT, OPT_OUT, OPT_DB, OPT_NO_DB, OPT_PYTHON,
				 OPT_FETCH_TO, OPT_ENV_TO, OPT_BOOT_TO, OPT_REQ_TO, OPT_RUN_TO, OPT_JOBS_CHECKS,
				 OPT_PROFILE, OPT_UNSAFE, OPT_KEEP, OPT_NONCE, OPT_MAX_BYTES, OPT_MAX_FILES, OPT_MAX_DEPTH,
				 OPT_CREDENTIALS, OPT_SHOW_HIDDEN, OPT_DUE, OPT_WORKTREE, OPT_STUDENT, 0};
static const int CONVERT_OPTS[] = {OPT_FORMAT, OPT_OUT, OPT_SHOW_HIDDEN, OPT_DUE, OPT_LABEL, 0};
static const int BADGE_OPTS[] = {OPT_REPORT, OPT_RUN_ID, OPT_CHALLENGE, OPT_DB, OPT_OUT, OPT_LABEL, 0};
static const int PROVE_OPTS[] = {OPT_PYTHON, OPT_ENV_TO, OPT_BOOT_TO, OPT_REQ_TO, OPT_RUN_TO, OPT_JOBS_CHECKS,
				 OPT_PROFILE, OPT_UNSAFE, OPT_KEEP, OPT_NONCE, 0};
static const int ENV_OPTS[] = {OPT_DAYS, OPT_UNSAFE, 0};
static const int SHOW_OPTS[] = {OPT_DB, OPT_FORMAT, OPT_OUT, OPT_SHOW_HIDDEN, 0};
static const int HISTORY_OPTS[] = {OPT_DB, 0};
static const int EXPORT_OPTS[] = {OPT_CHALLENGE, OPT_FORMAT, OPT_CHECKS, OPT_DB, OPT_OUT, 0};
static const int MERGE_OPTS[] = {OPT_INTO, 0};
static const int REPORT_OPTS[] = {OPT_CHALLENGE, OPT_HTML, OPT_DB, 0};
static const int BATCH_OPTS[] = {OPT_CHALLENGE, OPT_DB, OPT_JOBS, OPT_DEADLINE, OPT_LATE_POLICY,
				 OPT_REPO_TEMPLATE, OPT_REGRADE, OPT_SHARD, OPT_PYTHON, OPT_FETCH_TO,
				 OPT_ENV_TO, OPT_BOOT_TO, OPT_REQ_TO, OPT_RUN_TO, OPT_PROFILE, OPT_UNSAFE,
				 OPT_CREDENTIALS, 0};
static const int NO_OPTS[] = {0};
static const int SERVE_OPTS[] = {OPT_LISTEN, OPT_JOBS, OPT_DB, OPT_CONFIG, 0};

/* A shared option that means something of its own to one command. */
static const struct cli_option_note option_notes[] = {
	{"export", OPT_FORMAT, "the gradebook's format: csv", "csv"},
	{"export", OPT_OUT, "write the gradebook to FILE instead of standard output", NULL},
};

/* The commands. A row with no summary is hidden (not in help or completion). */
static const struct cli_command commands[] = {
	{"grade", cmd_grade, "SOURCE --challenge NAME", "grade one submission against a challenge",
	 "Clone SOURCE (a local path, a file:// URL or an https:// URL), check out REF, boot the app in a "
	 "sandbox, run the challenge's checks against it, print the report and record the run. Exit status: "
	 "0 graded (whatever the score), 2 bad usage or a bad challenge file, 3 the submission could not be "
	 "graded (the report says why), 1 the grader itself broke.",
	 GRADE_OPTS, "@dirs"},
	{"prove", cmd_prove, "CHALLENGE", "prove a challenge's checks with its reference solution and mutants",
	 "Grade the challenge's reference solution, which must score full marks, and each mutant, which must "
	 "fail exactly the checks it kills. Exit status 0 when proven, 4 when not.",
	 PROVE_OPTS, "@challenges"},
	{"env", cmd_env, "default | list | prune", "manage the cached Python environments",
	 "default: make the default runtime and print its interpreter (installing runs in the install "
	 "sandbox; --unsafe-no-sandbox installs on the host); list: show the cached environments; "
	 "prune: remove those unused for --days N days (default 30).",
	 ENV_OPTS, "default list prune"},
	{"check", cmd_check, "CHALLENGE", "lint a challenge folder without grading anything",
	 "Load CHALLENGE (a name under challenges/ or a folder) and list every error of every file at once as "
	 "FILE:LINE:COLUMN: message, FILE relative to the current folder: unknown keys, wrong types, bad "
	 "patterns, unknown actors, depends_on and kills naming no check, missing fixtures and patches, "
	 "points that do not add up to the declared max_score, and a SPEC.md rubric table whose ids, points "
	 "or total differ from the checks'. Exit status 0 when clean, 2 with errors.",
	 NO_OPTS, "@challenges"},
	{"batch", cmd_batch, "ROSTER --challenge NAME", "grade a class: a roster in, one run per student",
	 "Grade every student of ROSTER (a CSV: student,repo[,ref][,extension_until], or GitHub Classroom's "
	 "roster with --repo-template) in parallel, each submission in its own sandbox, and record one run "
	 "per student. Killed or stopped (Ctrl-C), the same command resumes: what was recorded stays and "
	 "nobody is graded twice. Exit status: 0 every student recorded (whatever their grade), 1 the "
	 "grader broke on some, 2 bad usage or roster, 130 stopped.",
	 BATCH_OPTS, NULL},
	{"show", cmd_show, "RUN", "print a recorded run's report again",
	 "Load run RUN (its id, as `grader history` and the JSON report's run_id give it) from the results "
	 "database and print its report in --format, as `grader grade` printed it.",
	 SHOW_OPTS, "@none"},
	{"history", cmd_history, "STUDENT", "list a student's recorded runs",
	 "Every run recorded for STUDENT (a roster id of `grader batch`), oldest first: run id, time, "
	 "challenge, status, raw score, late penalty, commit and source.",
	 HISTORY_OPTS, "@none"},
	{"export", cmd_export, "--challenge NAME --format csv", "write a challenge's gradebook as CSV",
	 "One row a student (contracts §7): student,score,max_score,late_penalty,final_score,status,commit,"
	 "graded_at, from the run the gradebook keeps (the newest; a run that could not be graded never "
	 "hides an earlier graded run of the same commit); --checks adds a column a check.",
	 EXPORT_OPTS, "@none"},
	{"report", cmd_report, "--challenge NAME --html DIR", "write a class report as a static web site",
	 "Write DIR/index.html (the score histogram, the pass rate of every check with its most common "
	 "failure, a sortable table of students) and one page a student with the full report of the run "
	 "the gradebook shows. Everything from submissions is escaped; the pages load nothing from the "
	 "network.",
	 REPORT_OPTS, NULL},
	{"merge", cmd_merge, "A.db [B.db ...] --into CLASS.db", "merge results databases (shards) into one",
	 "Copy every run of each database that CLASS.db lacks, with its student, submission, suite and "
	 "batch. Runs are told apart by their uuid: merging the same file twice changes nothing.",
	 MERGE_OPTS, NULL},
	{"convert", cmd_convert, "REPORT.json [--format FORMAT]", "render a saved JSON report in another format",
	 convert_help, CONVERT_OPTS, NULL},
	{"badge", cmd_badge, "--report FILE | --run ID | SOURCE --challenge NAME", "draw an SVG badge of a graded run",
	 "Write an SVG badge: the challenge's title, the score in a colour scale, and the commit and suite_sha256 "
	 "in its <title> and <desc>. The run is a JSON report (--report), a recorded run (--run), or the run "
	 "the gradebook shows for SOURCE (a repository, however written, or a student id) and --challenge. "
	 "A badge file certifies nothing by itself: see docs/formats.md.",
	 BADGE_OPTS, "@none"},
	{"serve", cmd_serve, NULL, "run the grading service: a submission page, push webhooks, live badges",
	 "Serve HTTP on loopback (by default): students submit a repository on a form or by a push webhook, "
	 "jobs wait in the SQLite store and --jobs workers grade them in the sandbox; badges and the shields "
	 "endpoint show each repository's latest graded run; instructors see the queue and the class. "
	 "Started as root it drops to the configuration's `user`. SIGINT or SIGTERM stop it; running jobs are "
	 "graded again at the next start. See docs/service.md.",
	 SERVE_OPTS, "@none"},
	{"export-gradescope", cmd_export_gradescope, "CHALLENGE OUT.zip", "write a Gradescope autograder bundle",
	 "Write OUT.zip for Gradescope: setup.sh (installs the dependencies and builds the grader), run_autograder "
	 "(grades /autograder/submission into /autograder/results/results.json, hidden checks' visibility passed "
	 "to Gradescope), the grader's source and the challenge without its reference solution. The challenge is "
	 "loaded first: a bad one is refused here. docs/formats.md.",
	 NO_OPTS, "@challenges"},
	{"version", cmd_version, NULL, "print the grader's version (-v: and its data folder)", NULL, NO_OPTS,
	 "@none"},
	{"help", cmd_help, "[COMMAND]", "show the help of grader or of a command", NULL, NO_OPTS, "@commands"},
	{"__complete", cmd_complete, "CWORD WORDS...", NULL, NULL, NULL, "@none"},
};

static const char *datadir(void)
{
	return cli_datadir();
}

/* Seconds on the command line -> milliseconds; -1 when not a positive number. */
static long parse_seconds(const char *s)
{
	char *end = NULL;
	double v = strtod(s, &end);

	if (!end || *end || v <= 0 || v > 86400)
		return -1;
	return (long)(v * 1000);
}

/*
 * Resolve and load a challenge; on errors print every one of them, one a
 * line as FILE:LINE:COLUMN: message (what editors and CI problem matchers
 * read), and return EXIT_USAGE.
 */
static int load_challenge(const char *name, struct challenge **c)
{
	struct challenge_errors errs;
	char *dir = challenge_resolve(datadir(), name);
	size_t i;

	memset(&errs, 0, sizeof(errs));
	if (!dir) {
		fprintf(stderr, "grader: %s\n", err_last());
		return EXIT_USAGE;
	}
	if (challenge_load_all(dir, c, &errs) < 0) {
		if (!errs.n)
			fprintf(stderr, "grader: bad challenge: %s\n", err_last());
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msg[i]);
		if (errs.total)
			fprintf(stderr, "grader: bad challenge %s: %zu error%s%s\n", name, errs.total,
				errs.total == 1 ? "" : "s", errs.total > errs.n ? " (the first ones shown)" : "");
		challenge_errors_release(&errs);
		free(dir);
		return EXIT_USAGE;
	}
	free(dir);
	return 0;
}

/* -v: each phase as it starts, on standard error. */
static void show_progress(void *ctx, const char *what)
{
	fprintf(stderr, "grader: %s\n", what);
}


/* Options shared by grade and prove. 0 ok, else an exit status. */
static int parse_common(const struct cli_parse *p, int opt, struct cmd_common *cm)
{
	const char *arg = p->arg;
	struct grade_opts *go = &cm->go;
	long *slot = NULL;
	long v;

	switch (opt) {
	case OPT_PROFILE: cm->profile = arg; return 0;
	case OPT_UNSAFE: cm->unsafe = true; return 0;
	case OPT_PYTHON:
		/* A path is checked now (a bare name is looked up on PATH later). */
		if (strchr(arg, '/') && access(arg, X_OK) < 0)
			return cli_usage_error(p->argv[0], "--python %s: %s", arg,
					       errno == ENOENT ? "no such file" : strerror(errno));
		go->python = arg;
		return 0;
	case OPT_KEEP: go->keep = true; return 0;
	case OPT_WORKTREE: go->worktree = true; return 0;
	case OPT_NONCE: go->nonce = arg; return 0;
	case OPT_CREDENTIALS: go->credentials_file = arg; return 0;
	case OPT_MAX_BYTES: case OPT_MAX_FILES: case OPT_MAX_DEPTH: {
		char *end = NULL;
		unsigned long long n = strtoull(arg, &end, 10), mul = 1;

		if (opt == OPT_MAX_BYTES && end && (!strcmp(end, "KiB") || !strcmp(end, "MiB") || !strcmp(end, "GiB")))
			mul = 1ULL << (end[0] == 'K' ? 10 : end[0] == 'M' ? 20 : 30), end += 3;
		if (!end || *end || !isdigit((unsigned char)*arg) || !n || n > (1ULL << 40) / mul)
			return cli_usage_error(p->argv[0], "--%s takes a positive whole number%s, not '%s'",
					       p->name, opt == OPT_MAX_BYTES ? " (bytes, or KiB, MiB, GiB)" : "", arg);
		if (opt == OPT_MAX_BYTES)
			go->fetch_limits.max_bytes = n * mul;
		else if (opt == OPT_MAX_FILES)
			go->fetch_limits.max_files = n > 100000000 ? 100000000 : (long)n;
		else
			go->fetch_limits.max_depth = n > 100000 ? 100000 : (int)n;
		return 0;
	}
	case OPT_JOBS_CHECKS: {
		char *end = NULL;
		long n = strtol(arg, &end, 10);

		if (!end || *end || !isdigit((unsigned char)*arg) || n < 1 || n > 64)
			return cli_usage_error(p->argv[0], "--%s takes a number from 1 to 64, not '%s'", p->name, arg);
		go->jobs_checks = n;
		return 0;
	}
	case OPT_BOOT_TO: slot = &go->boot_timeout_ms; break;
	case OPT_REQ_TO: slot = &go->request_timeout_ms; break;
	case OPT_RUN_TO: slot = &go->run_timeout_ms; break;
	case OPT_ENV_TO: slot = &go->env_timeout_ms; break;
	case OPT_FETCH_TO: slot = &go->fetch_timeout_ms; break;
	default: return cli_usage_error(p->argv[0], "option '--%s' is not handled", p->name);
	}
	v = parse_seconds(arg);
	if (v < 0)
		return cli_usage_error(p->argv[0], "--%s takes a number of seconds (0 < S <= 86400), not '%s'",
				       p->name, arg);
	*slot = v;
	return 0;
}

/*
 * Choose how submissions are isolated: the sandbox back-end the functional
 * probe finds, with the profile named on the command line or by the
 * challenge. Without a working back-end, refuse unless --unsafe-no-sandbox
 * was given (the report then says sandbox: null). 0 or an exit status.
 */
static int setup_sandbox(struct cmd_common *cm, const struct challenge *c, struct sandbox_profile **prof)
{
	struct gbuf why = GBUF_INIT(4096);
	enum sandbox_mode mode = SANDBOX_NONE;
	int status = EXIT_INTERNAL;

	*prof = NULL;
	cm->go.sandbox_mode = SANDBOX_NONE;
	if (cm->unsafe) {
		status = 0;
		goto done;
	}
	if (sandbox_probe(&mode, &why) < 0) {
		fprintf(stderr, "grader: cannot probe for a sandbox: %s\n", err_last());
		goto done;
	}
	if (mode == SANDBOX_NONE) {
		fprintf(stderr, "grader: no sandbox works on this machine, and submissions are untrusted code.\n%s\n"
			"Run with --unsafe-no-sandbox to grade without one anyway.\n", gbuf_str(&why));
		goto done;
	}
	if (sandbox_profile_load(datadir(), cm->profile ? cm->profile : c->sandbox_profile, prof) < 0) {
		fprintf(stderr, "grader: bad sandbox profile: %s\n", err_last());
		status = EXIT_USAGE;
		goto done;
	}
	cm->go.sandbox_mode = mode;
	cm->go.sandbox_profile = *prof;
	status = 0;
done:
	gbuf_release(&why);
	return status;
}

const char *cmd_datadir(void)
{
	return datadir();
}

int cmd_open_store(const char *db, struct store **st)
{
	char *path = db ? NULL : store_default_path();

	if ((!db && !path) || store_open(db ? db : path, st) < 0) {
		fprintf(stderr, "grader: cannot open the results database: %s\n", err_last());
		free(path);
		return EXIT_INTERNAL;
	}
	free(path);
	return 0;
}

/*
 * Where a report goes, opened: stdout; a temporary file beside a regular
 * (or new) out_path, renamed into place once complete (*tmp malloc'd); or,
 * for anything else (a device such as /dev/stdout, a FIFO, a symlink),
 * out_path itself, written in place: renaming over those would replace
 * them. 0, or -1 + err.
 */
static int report_open(const char *out_path, FILE **f, char **tmp)
{
	struct stat st;
	bool exists;
	int fd;

	*f = stdout;
	*tmp = NULL;
	if (!out_path)
		return 0;
	/* st is read only when lstat filled it: a new report must not take
	 * its mode from whatever the stack held (grader serve's reports came
	 * out unreadable to the service now and then). */
	exists = lstat(out_path, &st) == 0;
	if (exists && !S_ISREG(st.st_mode)) {
		*f = fopen(out_path, "w");
		return *f ? 0 : err_set_errno("cannot write the report to %s", out_path);
	}
	if (asprintf(tmp, "%s.tmp-%ld", out_path, (long)getpid()) < 0) {
		*tmp = NULL;
		return err_set("out of memory");
	}
	fd = open(*tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	/* A report rewritten keeps its file's permissions. */
	if (fd >= 0 && exists && fchmod(fd, st.st_mode & 07777) < 0) {
		close(fd);
		fd = -1;
	}
	if (fd < 0 || !(*f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		*f = stdout;
		return err_set_errno("cannot write the report to %s", out_path);
	}
	return 0;
}

/*
 * The one report writer (cmd.h). A report that did not reach its reader is
 * a failed run, not a graded one: a full disk or a closed pipe must not
 * exit 0, so every write, the flush, the close and the rename are checked.
 */
int cmd_write_report(const struct grade_result *r, enum report_format f, const struct format_opts *fo,
		     const char *out_path)
{
	struct gbuf text = GBUF_INIT(0);
	struct format_opts o = *fo;
	const char *shown = out_path ? out_path : "standard output";
	FILE *f_out = stdout;
	char *tmp = NULL;
	int rc = -1;

	/* Colour only for a person at a terminal (never into --out). */
	cli_style_report(&o, out_path);
	if (format_render(r, f, &o, &text) < 0 || report_open(out_path, &f_out, &tmp) < 0)
		goto done;
	if (fwrite(gbuf_str(&text), 1, text.len, f_out) != text.len || fflush(f_out) != 0 ||
	    ferror(f_out)) {
		err_set_errno("cannot write the report to %s", shown);
		goto done;
	}
	if (f_out != stdout) {
		int closed = fclose(f_out);

		f_out = stdout;
		if (closed != 0) {
			err_set_errno("cannot write the report to %s", shown);
			goto done;
		}
	}
	if (tmp && rename(tmp, out_path) < 0) {
		err_set_errno("cannot write the report to %s: cannot rename %s into place", shown, tmp);
		goto done;
	}
	free(tmp);
	tmp = NULL;
	rc = 0;
done:
	if (f_out != stdout)
		fclose(f_out);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	gbuf_release(&text);
	return rc;
}

static int cmd_grade(int argc, char **argv)
{
	struct cmd_common cm;
	struct grade_opts *gop = &cm.go;
	struct grade_result res;
	struct challenge *c = NULL;
	struct sandbox_profile *prof = NULL;
	struct store *st = NULL;
	const char *challenge = NULL, *db = NULL, *out = NULL, *student = NULL;
	char *db_default = NULL;
	struct cli_parse p;
	struct format_opts fo = FORMAT_OPTS_INIT;
	enum report_format fmt = FORMAT_TEXT;
	bool no_db = false;
	int opt, status = EXIT_USAGE;

	memset(&cm, 0, sizeof(cm));
	memset(&res, 0, sizeof(res));
	cli_parse_begin(&p, argc, argv);
	while ((opt = cli_next(&p)) > 0) {
		int rc = 0;

		switch (opt) {
		case OPT_CHALLENGE: challenge = p.arg; break;
		case OPT_REF: gop->ref = p.arg; break;
		case OPT_DB: db = p.arg; break;
		case OPT_OUT: out = p.arg; break;
		case OPT_NO_DB: no_db = true; break;
		case OPT_STUDENT: student = p.arg; break;
		case OPT_FORMAT:
			if (format_parse(p.arg, &fmt) < 0)
				return cli_usage_error("grade", "--format: %s", err_last());
			break;
		case OPT_SHOW_HIDDEN: fo.show_hidden = true; break;
		case OPT_DUE:
			if (format_parse_time(p.arg, &fo.due) < 0)
				return cli_usage_error("grade", "--due: %s", err_last());
			break;
		default: rc = parse_common(&p, opt, &cm);
		}
		if (rc)
			return rc;
	}
	if (opt < 0)
		return p.status;
	if (p.ind >= argc)
		return cli_usage_error("grade", "no SOURCE given; expected the path or URL of a git repository");
	if (p.ind + 1 < argc) {
		/* Either operand may be a URL with a token in it: never echoed. */
		char *a = source_redact(argv[p.ind]), *b = source_redact(argv[p.ind + 1]);
		int ust = cli_usage_error("grade", "found '%s' after SOURCE '%s'; expected one SOURCE",
					 b ? b : "?", a ? a : "?");

		free(a);
		free(b);
		return ust;
	}
	if (!challenge)
		return cli_usage_error("grade", "no --challenge given; expected --challenge NAME");
	/* Files it will write: refused now rather than after a long run. */
	if (out && (status = cli_check_writable("grade", "--out", out)) != 0)
		return status;
	if (db && !no_db && (status = cli_check_writable("grade", "--db", db)) != 0)
		return status;
	/* A token file others can read is refused before anything runs. */
	if (gop->credentials_file && fetch_credentials_check(gop->credentials_file) < 0)
		return cli_usage_error("grade", "--credentials: %s", err_last());
	if (cli_verbosity() > 0) {
		gop->progress = show_progress;
		gop->progress_ctx = NULL;
	}
	if ((status = load_challenge(challenge, &c)) != 0)
		return status;
	if ((status = setup_sandbox(&cm, c, &prof)) != 0)
		goto done;
	if (!no_db) {
		if (!db)
			db = db_default = store_default_path();
		if (!db || store_open(db, &st) < 0) {
			fprintf(stderr, "grader: cannot open the results database: %s\n", err_last());
			status = EXIT_INTERNAL;
			goto done;
		}
	}
	gop->source = argv[p.ind];
	gop->challenge = c;
	gop->datadir = datadir();
	grade_run(gop, &res);
	if (res.teardown_error)
		fprintf(stderr, "grader: warning: %s\n", res.teardown_error);
	if (intr_signal()) {
		/* Interrupted: the run was torn down (processes killed, workspace
		 * removed); nothing is stored or reported. main() says so. */
		goto done;
	}
	if (student)
		result_setf(&res.student, "%s", student);
	if (st && store_record_run(st, &res, &res.run_id) < 0) {
		fprintf(stderr, "grader: could not record the run in %s: %s\n", db, err_last());
		if (res.status == RUN_GRADED) {
			res.status = RUN_INTERNAL_ERROR;
			result_setf(&res.diagnosis, "the grade could not be recorded: %s", err_last());
		}
	}
	if (res.workspace)
		cli_note("kept the workspace at %s (checkout/: the submission, state/: the app's files)",
			 res.workspace);
	if (cmd_write_report(&res, fmt, &fo, out) < 0) {
		fprintf(stderr, "grader: %s\n", err_last());
		status = EXIT_INTERNAL;
		goto done;
	}
	status = result_exit_code(&res);
done:
	grade_result_release(&res);
	store_close(st);
	sandbox_profile_free(prof);
	challenge_free(c);
	free(db_default);
	return status;
}

static int cmd_prove(int argc, char **argv)
{
	struct cmd_common cm;
	struct prove_report rep;
	struct challenge *c = NULL;
	struct sandbox_profile *prof = NULL;
	struct gbuf text = GBUF_INIT(0);
	struct cli_parse p;
	int opt, status;

	memset(&cm, 0, sizeof(cm));
	memset(&rep, 0, sizeof(rep));
	cli_parse_begin(&p, argc, argv);
	while ((opt = cli_next(&p)) > 0) {
		int rc = parse_common(&p, opt, &cm);

		if (rc)
			return rc;
	}
	if (opt < 0)
		return p.status;
	if (p.ind >= argc)
		return cli_usage_error("prove", "no CHALLENGE given; expected a challenge name or folder");
	if (p.ind + 1 < argc)
		return cli_usage_error("prove", "found '%s' after CHALLENGE '%s'; expected one CHALLENGE",
				       argv[p.ind + 1], argv[p.ind]);
	if ((status = load_challenge(argv[p.ind], &c)) != 0)
		return status;
	if ((status = setup_sandbox(&cm, c, &prof)) != 0)
		goto done;
	cm.go.challenge = c;
	cm.go.datadir = datadir();
	if (cli_verbosity() > 0)
		cm.go.progress = show_progress;
	if (prove_run(&cm.go, &rep) < 0) {
		fprintf(stderr, "grader: prove failed: %s\n", err_last());
		status = EXIT_INTERNAL;
		goto done;
	}
	printf("prove %s (%zu mutants)\n", c->id, c->nmutants);
	prove_report_text(&rep, &text);
	fputs(gbuf_str(&text), stdout);
	status = rep.proven ? 0 : EXIT_NOT_PROVEN;
done:
	prove_report_release(&rep);
	gbuf_release(&text);
	sandbox_profile_free(prof);
	challenge_free(c);
	return status;
}

/* `grader env list` and `grader env prune [--days N]`; days < 0: list. */
static int cmd_env_cache(long days)
{
	struct gbuf out = GBUF_INIT(0);
	char *cache = env_default_cache_dir();
	int status = EXIT_INTERNAL, rc;

	if (!cache) {
		fprintf(stderr, "grader: %s\n", err_last());
		goto done;
	}
	rc = days < 0 ? env_list(cache, &out) : env_prune(cache, days, &out);
	if (rc < 0) {
		fprintf(stderr, "grader: %s\n", err_last());
		goto done;
	}
	fputs(gbuf_str(&out), stdout);
	status = 0;
done:
	free(cache);
	gbuf_release(&out);
	return status;
}

/* `grader env default`: build (or reuse) the default runtime, print its python. */
static int cmd_env(int argc, char **argv)
{
	char tmpl[] = "/tmp/grader-env-XXXXXX";
	struct gbuf diag = GBUF_INIT(64 << 10);
	char *cache = NULL, *python = NULL, *dir = NULL;
	bool reused = false;
	int status = EXIT_INTERNAL, rc = -1;

	struct cli_parse p;
	const char *what, *days_arg = NULL;
	long days = 30;
	bool unsafe = false;
	int opt;

	cli_parse_begin(&p, argc, argv);
	while ((opt = cli_next(&p)) > 0) {
		if (opt == OPT_DAYS)
			days_arg = p.arg;
		if (opt == OPT_UNSAFE)
			unsafe = true;
	}
	if (opt < 0)
		return p.status;
	if (p.ind >= argc)
		return cli_usage_error("env", "no subcommand given; expected default, list or prune");
	what = argv[p.ind];
	if (strcmp(what, "default") && strcmp(what, "list") && strcmp(what, "prune"))
		return cli_usage_error("env", "unknown subcommand '%s'; expected default, list or prune", what);
	if (p.ind + 1 < argc)
		return cli_usage_error("env", "found '%s' after '%s'; expected nothing more", argv[p.ind + 1], what);
	if (days_arg && strcmp(what, "prune"))
		return cli_usage_error("env", "--days is for env prune, not env %s", what);
	if (unsafe && strcmp(what, "default"))
		return cli_usage_error("env", "--unsafe-no-sandbox is for env default, not env %s", what);
	if (days_arg) {
		char *end = NULL;

		days = strtol(days_arg, &end, 10);
		if (!end || *end || !*days_arg || days < 0)
			return cli_usage_error("env", "--days takes a whole number of days, not '%s'", days_arg);
	}
	if (strcmp(what, "default"))
		return cmd_env_cache(!strcmp(what, "list") ? -1 : days);
	dir = mkdtemp(tmpl);
	cache = env_default_cache_dir();
	if (!dir || !cache) {
		fprintf(stderr, "grader: %s\n", dir ? err_last() : "cannot create a temporary folder");
		goto done;
	}
	{
		/* An empty project folder declares nothing: the default runtime. */
		struct env_opts eo = {.cache_dir = cache, .datadir = datadir(), .checkout = dir,
				      .project_dir = dir, .timeout_ms = GRADER_RUNTIME_ENV_TIMEOUT_MS,
				      /* The install sandbox unless told otherwise. */
				      .unsafe_no_sandbox = unsafe};
		rc = env_ensure(&eo, &python, &reused, &diag);
		if (rc < 0) {
			fprintf(stderr, "grader: %s\n", err_last());
			goto done;
		}
	}
	if (rc > 0) {
		fprintf(stderr, "grader: could not make the default runtime:\n%s\n", gbuf_str(&diag));
		status = EXIT_UNGRADED;
		goto done;
	}
	printf("%s\n", python);
	status = 0;
done:
	if (dir)
		rmdir(dir);
	free(cache);
	free(python);
	gbuf_release(&diag);
	return status;
}

static int cmd_version(int argc, char **argv)
{
	struct cli_parse p;
	int opt;

	cli_parse_begin(&p, argc, argv);
	while ((opt = cli_next(&p)) > 0)
		;
	if (opt < 0)
		return p.status;
	if (p.ind < argc)
		return cli_usage_error("version", "takes no operands, found '%s'", argv[p.ind]);
	printf("grader %s\n", GRADER_VERSION);
	if (cli_verbosity() > 0)
		printf("data: %s\n", datadir());
	return 0;
}

/* `grader help [COMMAND]`; `grader help --man` prints the man page's
 * COMMANDS section (the build makes grader.1 with it). */
static int cmd_help(int argc, char **argv)
{
	const struct cli_command *c;

	if (argc == 2 && !strcmp(argv[1], "--man")) {
		cli_man_commands(stdout);
		return 0;
	}
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		argv[1] = "help";
	if (argc > 2)
		return cli_usage_error("help", "takes at most one COMMAND, found '%s'", argv[2]);
	if (argc < 2) {
		cli_help(stdout, NULL);
		return 0;
	}
	c = cli_command_find(argv[1]);
	if (!c || !c->summary)
		return cli_usage_error("help", "no command '%s'; see 'grader help' for the list", argv[1]);
	cli_help(stdout, c);
	return 0;
}

/* `grader __complete CWORD grader WORDS...`, for completions/grader.bash. */
static int cmd_complete(int argc, char **argv)
{
	char *end = NULL;
	long cword;

	if (argc < 3)
		return EXIT_USAGE;
	cword = strtol(argv[1], &end, 10);
	if (!end || *end || cword < 0 || cword > argc - 2)
		return EXIT_USAGE;
	cli_complete(stdout, (int)cword, argc - 2, argv + 2, datadir());
	return 0;
}

/* Fill format_help, format_words and convert_help from format_table[]. 0 or -1 + err. */
static int format_texts_make(void)
{
	char prose[256], plain[256];
	int rc = -1;

	if (format_names_join(prose, sizeof(prose), ", ", " or ", true) < 0 ||
	    format_names_join(plain, sizeof(plain), ", ", " or ", false) < 0 ||
	    format_names_join(format_words, sizeof(format_words), " ", NULL, false) < 0)
		goto done;
	if ((size_t)snprintf(format_help, sizeof(format_help), "the report's format: %s (docs/formats.md)",
			     prose) >= sizeof(format_help) ||
	    (size_t)snprintf(convert_help, sizeof(convert_help),
			     "Read a JSON report (as grade --format json wrote it) and write it as FORMAT: %s. "
			     "Hidden checks' messages are withheld unless --show-hidden (docs/formats.md). Exit "
			     "status 2 when the report cannot be read (the key is named).",
			     plain) >= sizeof(convert_help)) {
		err_set("the formats' help does not fit its buffer");
		goto done;
	}
	rc = 0;
done:
	return rc;
}

int main(int argc, char **argv)
{
	const struct cli_command *c;
	int i, status;

	if (format_texts_make() < 0) {
		fprintf(stderr, "grader: %s\n", err_last());
		return EXIT_INTERNAL;
	}
	cli_init(commands, sizeof(commands) / sizeof(commands[0]), options, sizeof(options) / sizeof(options[0]),
		 option_notes, sizeof(option_notes) / sizeof(option_notes[0]));
	i = cli_global_options(argc, argv, &status);
	if (i < 0)
		return status;
	if (i >= argc) {
		cli_help(stderr, NULL);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version"))
		argv[i] = "version";
	c = cli_command_find(argv[i]);
	if (!c)
		return cli_usage_error(NULL, "'%s' is not a grader command", argv[i]);
	/* SIGINT/SIGTERM kill what the run started and let it unwind (intr.h). */
	if (intr_install() < 0) {
		fprintf(stderr, "grader: %s\n", err_last());
		return EXIT_INTERNAL;
	}
	status = c->fn(argc - i, argv + i);
	if (intr_signal()) {
		fprintf(stderr, "grader: interrupted by %s: the run's processes were stopped and its "
			"workspace removed; nothing was recorded\n",
			intr_signal() == SIGINT ? "SIGINT" : "SIGTERM");
		status = EXIT_SIGNAL_BASE + intr_signal();
	}
	return status;
}

/* ---- lent to the other command files (cmd.h) ---------------------------- */

int cmd_load_challenge(const char *name, struct challenge **c)
{
	return load_challenge(name, c);
}

int cmd_parse_common(const struct cli_parse *p, int opt, struct cmd_common *cm)
{
	return parse_common(p, opt, cm);
}

int cmd_setup_sandbox(struct cmd_common *cm, const struct challenge *c, struct sandbox_profile **prof)
{
	return setup_sandbox(cm, c, prof);
}
