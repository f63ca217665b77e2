/*
 * main.c - the command layer: a table of commands, option parsing, and the
 * only place that prints or chooses an exit status.
 *
 * Exit statuses: exitcode.h.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "challenge.h"
#include "env.h"
#include "err.h"
#include "exitcode.h"
#include "fetch.h"
#include "grade.h"
#include "prove.h"
#include "report.h"
#include "result.h"
#include "sandbox.h"
#include "store.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
};

static int cmd_grade(int argc, char **argv);
static int cmd_prove(int argc, char **argv);
static int cmd_env(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{"grade", cmd_grade,
	 "grade SOURCE --challenge NAME [--ref REF] [--db FILE] [--format text|json] [--out FILE]\n"
	 "        [--python PATH] [--boot-timeout S] [--request-timeout S] [--run-timeout S]\n"
	 "        [--fetch-timeout S] [--env-timeout S] [--sandbox-profile NAME] [--unsafe-no-sandbox]\n"
	 "        [--no-db] [--keep-workspace]"},
	{"prove", cmd_prove, "prove CHALLENGE [--python PATH] [--boot-timeout S] [--sandbox-profile NAME]\n"
	 "        [--unsafe-no-sandbox]"},
	{"env", cmd_env, "env default | list | prune [--days N]\n"
	 "        (make the default runtime and print its interpreter; list cached\n"
	 "        environments; remove those unused for N days, default 30)"},
	{"version", cmd_version, "version"},
	{"help", cmd_help, "help"},
};

static const char *datadir(void)
{
	const char *d = getenv("GRADER_DATADIR");

	return d && *d ? d : GRADER_DATADIR;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  grader %s\n", commands[i].usage);
}

static int die_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "grader: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	usage(stderr);
	return EXIT_USAGE;
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

static int load_challenge(const char *name, struct challenge **c)
{
	char *dir = challenge_resolve(datadir(), name);

	if (!dir) {
		fprintf(stderr, "grader: %s\n", err_last());
		return EXIT_USAGE;
	}
	if (challenge_load(dir, c) < 0) {
		fprintf(stderr, "grader: bad challenge: %s\n", err_last());
		free(dir);
		return EXIT_USAGE;
	}
	free(dir);
	return 0;
}

enum { OPT_REF = 256, OPT_DB, OPT_FORMAT, OPT_OUT, OPT_PYTHON, OPT_BOOT_TO, OPT_REQ_TO, OPT_RUN_TO,
       OPT_ENV_TO, OPT_NO_DB, OPT_KEEP, OPT_CHALLENGE, OPT_NONCE, OPT_PROFILE, OPT_UNSAFE, OPT_FETCH_TO };

static const struct option grade_options[] = {
	{"challenge", required_argument, NULL, OPT_CHALLENGE},
	{"ref", required_argument, NULL, OPT_REF},
	{"db", required_argument, NULL, OPT_DB},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"out", required_argument, NULL, OPT_OUT},
	{"python", required_argument, NULL, OPT_PYTHON},
	{"boot-timeout", required_argument, NULL, OPT_BOOT_TO},
	{"request-timeout", required_argument, NULL, OPT_REQ_TO},
	{"run-timeout", required_argument, NULL, OPT_RUN_TO},
	{"env-timeout", required_argument, NULL, OPT_ENV_TO},
	{"fetch-timeout", required_argument, NULL, OPT_FETCH_TO},
	{"no-db", no_argument, NULL, OPT_NO_DB},
	{"keep-workspace", no_argument, NULL, OPT_KEEP},
	{"nonce", required_argument, NULL, OPT_NONCE},
	{"sandbox-profile", required_argument, NULL, OPT_PROFILE},
	{"unsafe-no-sandbox", no_argument, NULL, OPT_UNSAFE},
	{NULL, 0, NULL, 0},
};

/* What grade and prove parse alike. */
struct common {
	struct grade_opts go;
	const char *profile;     /* --sandbox-profile */
	bool unsafe;             /* --unsafe-no-sandbox */
};

/* Options shared by grade and prove. 0 ok, else an exit status. */
static int parse_common(int opt, const char *arg, struct common *cm)
{
	struct grade_opts *go = &cm->go;
	long *slot = NULL;
	long v;

	switch (opt) {
	case OPT_PROFILE: cm->profile = arg; return 0;
	case OPT_UNSAFE: cm->unsafe = true; return 0;
	case OPT_PYTHON: go->python = arg; return 0;
	case OPT_KEEP: go->keep = true; return 0;
	case OPT_NONCE: go->nonce = arg; return 0;
	case OPT_BOOT_TO: slot = &go->boot_timeout_ms; break;
	case OPT_REQ_TO: slot = &go->request_timeout_ms; break;
	case OPT_RUN_TO: slot = &go->run_timeout_ms; break;
	case OPT_ENV_TO: slot = &go->env_timeout_ms; break;
	case OPT_FETCH_TO: slot = &go->fetch_timeout_ms; break;
	default: return die_usage("unknown option%s", "");
	}
	v = parse_seconds(arg);
	if (v < 0)
		return die_usage("'%s' is not a number of seconds", arg);
	*slot = v;
	return 0;
}

/*
 * Choose how submissions are isolated: the sandbox back-end the functional
 * probe finds, with the profile named on the command line or by the
 * challenge. Without a working back-end, refuse unless --unsafe-no-sandbox
 * was given (the report then says sandbox: null). 0 or an exit status.
 */
static int setup_sandbox(struct common *cm, const struct challenge *c, struct sandbox_profile **prof)
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

static int write_report(const struct grade_result *r, bool json, const char *out_path)
{
	struct gbuf text = GBUF_INIT(0);
	char *s = NULL;
	FILE *f = stdout;
	int rc = -1;

	if (json) {
		cJSON *j = report_json(r);

		if (!j)
			goto done;
		s = cJSON_Print(j);
		cJSON_Delete(j);
		if (!s) {
			err_set("out of memory");
			goto done;
		}
	} else if (report_text(r, &text) < 0) {
		goto done;
	}
	if (out_path && !(f = fopen(out_path, "w"))) {
		err_set_errno("cannot write %s", out_path);
		f = stdout;
		goto done;
	}
	/* A report that did not reach its reader is a failed run, not a
	 * graded one: a full disk or a closed pipe must not exit 0. */
	if (fprintf(f, "%s%s", json ? s : gbuf_str(&text), json ? "\n" : "") < 0 || fflush(f) != 0 ||
	    ferror(f)) {
		err_set_errno("cannot write the report to %s", out_path ? out_path : "standard output");
		goto done;
	}
	if (f != stdout) {
		int closed = fclose(f);

		f = stdout;
		if (closed != 0) {
			err_set_errno("cannot write the report to %s", out_path);
			goto done;
		}
	}
	rc = 0;
done:
	if (f != stdout)
		fclose(f);
	free(s);
	gbuf_release(&text);
	return rc;
}

static int cmd_grade(int argc, char **argv)
{
	struct common cm;
	struct grade_opts *gop = &cm.go;
	struct grade_result res;
	struct challenge *c = NULL;
	struct sandbox_profile *prof = NULL;
	struct store *st = NULL;
	const char *challenge = NULL, *db = NULL, *out = NULL;
	char *db_default = NULL;
	bool json = false, no_db = false;
	int opt, status = EXIT_USAGE;

	memset(&cm, 0, sizeof(cm));
	memset(&res, 0, sizeof(res));
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", grade_options, NULL)) != -1) {
		int rc = 0;

		switch (opt) {
		case OPT_CHALLENGE: challenge = optarg; break;
		case OPT_REF: gop->ref = optarg; break;
		case OPT_DB: db = optarg; break;
		case OPT_OUT: out = optarg; break;
		case OPT_NO_DB: no_db = true; break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "json"))
				json = true;
			else if (strcmp(optarg, "text"))
				return die_usage("--format takes text or json, not '%s'", optarg);
			break;
		case '?': return die_usage("bad option%s", "");
		default: rc = parse_common(opt, optarg, &cm);
		}
		if (rc)
			return rc;
	}
	if (optind + 1 != argc)
		return die_usage("grade takes exactly one SOURCE%s", "");
	if (!challenge)
		return die_usage("grade needs --challenge NAME%s", "");
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
	gop->source = argv[optind];
	gop->challenge = c;
	gop->datadir = datadir();
	grade_run(gop, &res);
	if (st && store_record_run(st, &res, &res.run_id) < 0) {
		fprintf(stderr, "grader: could not record the run in %s: %s\n", db, err_last());
		if (res.status == RUN_GRADED) {
			res.status = RUN_INTERNAL_ERROR;
			result_setf(&res.diagnosis, "the grade could not be recorded: %s", err_last());
		}
	}
	if (write_report(&res, json, out) < 0) {
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
	struct common cm;
	struct prove_report rep;
	struct challenge *c = NULL;
	struct sandbox_profile *prof = NULL;
	struct gbuf text = GBUF_INIT(0);
	int opt, status;

	memset(&cm, 0, sizeof(cm));
	memset(&rep, 0, sizeof(rep));
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", grade_options, NULL)) != -1) {
		int rc;

		if (opt == '?')
			return die_usage("bad option%s", "");
		rc = parse_common(opt, optarg, &cm);
		if (rc)
			return rc;
	}
	if (optind + 1 != argc)
		return die_usage("prove takes exactly one CHALLENGE%s", "");
	if ((status = load_challenge(argv[optind], &c)) != 0)
		return status;
	if ((status = setup_sandbox(&cm, c, &prof)) != 0)
		goto done;
	cm.go.challenge = c;
	cm.go.datadir = datadir();
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

/* `grader env list` and `grader env prune [--days N]`. */
static int cmd_env_cache(int argc, char **argv)
{
	struct gbuf out = GBUF_INIT(0);
	char *cache = env_default_cache_dir();
	long days = 30;
	int status = EXIT_INTERNAL, rc;

	if (!cache) {
		fprintf(stderr, "grader: %s\n", err_last());
		goto done;
	}
	if (!strcmp(argv[1], "list")) {
		if (argc != 2) {
			status = die_usage("env list takes no options%s", "");
			goto done;
		}
		rc = env_list(cache, &out);
	} else {
		if (argc == 4 && !strcmp(argv[2], "--days")) {
			char *end = NULL;

			days = strtol(argv[3], &end, 10);
			if (!end || *end || days < 0) {
				status = die_usage("--days takes a whole number of days, not '%s'", argv[3]);
				goto done;
			}
		} else if (argc != 2) {
			status = die_usage("env prune takes only --days N%s", "");
			goto done;
		}
		rc = env_prune(cache, days, &out);
	}
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
	bool reused = false, ok = false;
	int status = EXIT_INTERNAL;

	if (argc >= 2 && (!strcmp(argv[1], "list") || !strcmp(argv[1], "prune")))
		return cmd_env_cache(argc, argv);
	if (argc != 2 || strcmp(argv[1], "default"))
		return die_usage("env takes: default, list or prune%s", "");
	dir = mkdtemp(tmpl);
	cache = env_default_cache_dir();
	if (!dir || !cache) {
		fprintf(stderr, "grader: %s\n", dir ? err_last() : "cannot create a temporary folder");
		goto done;
	}
	{
		/* An empty project folder declares nothing: the default runtime. */
		struct env_opts eo = {.cache_dir = cache, .datadir = datadir(), .checkout = dir,
				      .project_dir = dir, .timeout_ms = 900000};
		if (env_ensure(&eo, &python, &reused, &ok, &diag) < 0) {
			fprintf(stderr, "grader: %s\n", err_last());
			goto done;
		}
	}
	if (!ok) {
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
	printf("grader %s\n", GRADER_VERSION);
	return 0;
}

static int cmd_help(int argc, char **argv)
{
	usage(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc - 1, argv + 1);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return die_usage("unknown command '%s'", argv[1]);
}
