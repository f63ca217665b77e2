/*
 * cmd_formats.c - `grader convert`, `grader badge` and
 * `grader export-gradescope` (cmd_formats.h).
 *
 * Both read a grade that already exists (a JSON report file; a stored run
 * through the store's read API) and render it with format.h: they never
 * grade, so what they state is exactly what the grader measured and wrote.
 */
#include "cmd_formats.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "challenge.h"
#include "cli.h"
#include "cmd.h"
#include "err.h"
#include "exitcode.h"
#include "format.h"
#include "proc.h"
#include "result.h"
#include "store.h"

/* scripts/export-gradescope copies trees and zips them: a generous bound
 * for a stuck disk, not a limit of a run (timeouts.h). */
#define EXPORT_SCRIPT_TIMEOUT_MS 600000L

struct cf_args {
	const char *out, *report, *label, *format, *run, *db, *challenge;
	struct format_opts fo;
	int first;      /* index of the first operand */
};

/*
 * The options of convert and badge (main.c's tables say which takes which).
 * 0 to go on, -1 when --help was printed (exit 0), else an exit status.
 */
static int cf_parse(const char *cmd, int argc, char **argv, struct cf_args *a)
{
	struct cli_parse p;
	int opt;

	memset(a, 0, sizeof(*a));
	cli_parse_begin(&p, argc, argv);
	while ((opt = cli_next(&p)) > 0) {
		switch (opt) {
		case OPT_FORMAT: a->format = p.arg; break;
		case OPT_OUT: a->out = p.arg; break;
		case OPT_REPORT: a->report = p.arg; break;
		case OPT_RUN_ID: a->run = p.arg; break;
		case OPT_CHALLENGE: a->challenge = p.arg; break;
		case OPT_DB: a->db = p.arg; break;
		case OPT_LABEL: a->label = p.arg; break;
		case OPT_SHOW_HIDDEN: a->fo.show_hidden = true; break;
		case OPT_DUE:
			if (format_parse_time(p.arg, &a->fo.due) < 0)
				return cli_usage_error(cmd, "--due: %s", err_last());
			break;
		default:
			return cli_usage_error(cmd, "option '--%s' is not handled", p.name);
		}
	}
	if (opt < 0)
		return p.status == 0 ? -1 : p.status;
	a->fo.label = a->label;
	a->first = p.ind;
	return 0;
}

/* Render r as f and write it where asked. Exit status. */
static int cf_render(const char *cmd, const struct grade_result *r, enum report_format f,
		     const struct cf_args *a)
{
	if (cmd_write_report(r, f, &a->fo, a->out) < 0) {
		fprintf(stderr, "grader %s: %s\n", cmd, err_last());
		return EXIT_INTERNAL;
	}
	return 0;
}

/* grader convert REPORT.json --format F [--out FILE] [--show-hidden] [--due T] [--label L] */
int cmd_convert(int argc, char **argv)
{
	struct grade_result r;
	struct cf_args a;
	enum report_format f = FORMAT_TEXT;
	int status;

	memset(&r, 0, sizeof(r));
	if ((status = cf_parse("convert", argc, argv, &a)) != 0)
		return status < 0 ? 0 : status;
	if (a.first + 1 != argc)
		return cli_usage_error("convert", "expected exactly one REPORT.json, found %d operands",
				       argc - a.first);
	/* Text when no --format is given, as the option's help says (h299). */
	if (a.format && format_parse(a.format, &f) < 0)
		return cli_usage_error("convert", "--format: %s", err_last());
	if (format_read_report_file(argv[a.first], &r) < 0) {
		grade_result_release(&r);
		return cli_usage_error("convert", "%s", err_last());
	}
	status = cf_render("convert", &r, f, &a);
	grade_result_release(&r);
	return status;
}

/* Load the recorded run `id` into *r. Exit status. */
static int cf_load_id(struct store *st, long long id, struct grade_result *r)
{
	int rc = store_load_run(st, id, r);

	if (rc < 0) {
		fprintf(stderr, "grader badge: %s\n", err_last());
		return EXIT_INTERNAL;
	}
	if (rc == 1) {
		fprintf(stderr, "grader badge: no run %lld in the results database\n", id);
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * The run a badge shows: --run ID, or the run the gradebook picks for
 * SOURCE (a repository, however written, or a student id) and --challenge
 * (store_latest_run: a run that could not be graded never hides an earlier
 * graded one of the same commit). Exit status.
 */
static int cf_load_run(const struct cf_args *a, const char *source, struct grade_result *r)
{
	struct store *st = NULL;
	struct challenge *c = NULL;
	char *end = NULL;
	long long id = a->run ? strtoll(a->run, &end, 10) : 0;
	int64_t latest = 0;
	int status;

	if (a->run && (!end || *end || id <= 0))
		return cli_usage_error("badge", "--run: '%s' is not a run id (a positive number, as grader "
				       "history lists)", a->run);
	if (source && (status = cmd_load_challenge(a->challenge, &c)) != 0)
		return status;
	if ((status = cmd_open_store(a->db, &st)) != 0)
		goto done;
	if (source && store_latest_run(st, source, c->id, &latest) < 0) {
		fprintf(stderr, "grader badge: %s\n", err_last());
		status = EXIT_INTERNAL;
	} else if (source && latest == 0) {
		fprintf(stderr, "grader badge: no recorded run of %s for %s in the results database\n", source,
			c->id);
		status = EXIT_USAGE;
	} else {
		status = cf_load_id(st, source ? (long long)latest : id, r);
	}
done:
	store_close(st);
	challenge_free(c);
	return status;
}

/* grader badge --report FILE | --run ID | SOURCE --challenge NAME [--db FILE] [--out FILE] [--label L] */
int cmd_badge(int argc, char **argv)
{
	struct grade_result r;
	struct cf_args a;
	const char *source;
	int status;

	memset(&r, 0, sizeof(r));
	if ((status = cf_parse("badge", argc, argv, &a)) != 0)
		return status < 0 ? 0 : status;
	source = a.first < argc ? argv[a.first] : NULL;
	if (!!a.report + !!a.run + !!source != 1)
		return cli_usage_error("badge", "expected one of --report FILE (a JSON report), --run ID "
				       "(a recorded run) or SOURCE --challenge NAME (its last recorded run)");
	if (source && a.first + 1 != argc)
		return cli_usage_error("badge", "unexpected operand '%s' after SOURCE", argv[a.first + 1]);
	if (source && !a.challenge)
		return cli_usage_error("badge", "SOURCE needs --challenge NAME");
	if (a.run || source)
		status = cf_load_run(&a, source, &r);
	else if (format_read_report_file(a.report, &r) < 0)
		status = cli_usage_error("badge", "%s", err_last());
	if (status == 0)
		status = cf_render("badge", &r, FORMAT_BADGE, &a);
	grade_result_release(&r);
	return status;
}

/*
 * grader export-gradescope CHALLENGE OUT.zip: check the challenge loads (a
 * bad one is refused here, not on Gradescope), then build the bundle with
 * scripts/export-gradescope from the grader's source tree (the data folder).
 */
int cmd_export_gradescope(int argc, char **argv)
{
	struct cf_args a;
	struct challenge *c = NULL;
	struct gbuf log = GBUF_INIT(64 << 10);
	struct proc_result res;
	char *dir = NULL, *script = NULL;
	int status;

	if ((status = cf_parse("export-gradescope", argc, argv, &a)) != 0)
		return status < 0 ? 0 : status;
	if (a.first + 2 != argc)
		return cli_usage_error("export-gradescope", "expected CHALLENGE and OUT.zip, found %d operands",
				       argc - a.first);
	status = EXIT_USAGE;
	if (!(dir = challenge_resolve(cmd_datadir(), argv[a.first]))) {
		fprintf(stderr, "grader export-gradescope: %s\n", err_last());
		goto done;
	}
	if (challenge_load(dir, &c) < 0) {
		fprintf(stderr, "grader export-gradescope: bad challenge: %s\n", err_last());
		goto done;
	}
	status = EXIT_INTERNAL;
	if (asprintf(&script, "%s/scripts/export-gradescope", cmd_datadir()) < 0) {
		script = NULL;
		fprintf(stderr, "grader export-gradescope: out of memory\n");
		goto done;
	}
	{
		const char *av[] = {"bash", script, dir, argv[a.first + 1], cmd_datadir(), NULL};

		if (proc_run(av, NULL, NULL, EXPORT_SCRIPT_TIMEOUT_MS, &log, &res) < 0) {
			fprintf(stderr, "grader export-gradescope: %s\n", err_last());
			goto done;
		}
	}
	fputs(gbuf_str(&log), stderr);
	if (res.signaled || res.timed_out || res.exit_code != 0) {
		status = !res.signaled && !res.timed_out && res.exit_code == 2 ? EXIT_USAGE : EXIT_INTERNAL;
		fprintf(stderr, "grader export-gradescope: the bundle could not be made\n");
		goto done;
	}
	printf("wrote %s: setup.sh, run_autograder, the grader's source and challenge %s (suite_sha256 %s)\n",
	       argv[a.first + 1], c->id, c->suite_sha256);
	status = 0;
done:
	gbuf_release(&log);
	challenge_free(c);
	free(dir);
	free(script);
	return status;
}
