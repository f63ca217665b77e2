/*
 * cmd_store.c - the instructor's questions to the results database:
 * `grader show RUN`, `grader history STUDENT`, `grader export` (the
 * gradebook CSV of contracts §7) and `grader merge` (shards into one file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "cmd.h"
#include "err.h"
#include "format.h"
#include "store.h"
#include "vec.h"

struct store_args {
	const char *db, *format, *out, *challenge, *into;
	int checks;
	bool show_hidden;  /* show: the instructor's view of hidden checks */
	int ind;       /* the first operand */
};

/* Parse the options (the command's row in main.c says which it takes);
 * operands are argv[a->ind..]. 0 or an exit status. */
static int store_parse(int argc, char **argv, struct store_args *a)
{
	struct cli_parse p;
	int opt;

	memset(a, 0, sizeof(*a));
	cli_parse_begin(&p, argc, argv);
	while ((opt = cli_next(&p)) > 0) {
		switch (opt) {
		case OPT_DB: a->db = p.arg; break;
		case OPT_FORMAT: a->format = p.arg; break;
		case OPT_OUT: a->out = p.arg; break;
		case OPT_CHALLENGE: a->challenge = p.arg; break;
		case OPT_CHECKS: a->checks = 1; break;
		case OPT_INTO: a->into = p.arg; break;
		case OPT_SHOW_HIDDEN: a->show_hidden = true; break;
		default: return cli_usage_error(argv[0], "option '--%s' is not handled", p.name);
		}
	}
	if (opt < 0)
		return p.status ? p.status : -1;
	a->ind = p.ind;
	return 0;
}

int cmd_show(int argc, char **argv)
{
	struct store_args a;
	struct store *st = NULL;
	struct grade_result r;
	struct format_opts fo = FORMAT_OPTS_INIT;
	enum report_format f;
	char *end = NULL;
	long long id;
	int rc, status;

	memset(&r, 0, sizeof(r));
	if ((status = store_parse(argc, argv, &a)) != 0)
		return status < 0 ? 0 : status;
	fo.show_hidden = a.show_hidden;
	if (a.ind + 1 != argc)
		return cli_usage_error("show", "expected one RUN id (as `grader history` lists them)");
	id = strtoll(argv[a.ind], &end, 10);
	if (!end || *end || id <= 0)
		return cli_usage_error("show", "'%s' is not a run id (a positive number, as `grader history` "
				       "lists)", argv[a.ind]);
	if (!a.format)
		a.format = "text";
	if (format_parse(a.format, &f) < 0)
		return cli_usage_error("show", "--format: %s", err_last());
	if ((status = cmd_open_store(a.db, &st)) != 0)
		return status;
	rc = store_load_run(st, id, &r);
	if (rc < 0) {
		fprintf(stderr, "grader: %s\n", err_last());
		status = EXIT_INTERNAL;
	} else if (rc == 1) {
		fprintf(stderr, "grader: no run %lld in the results database\n", id);
		status = EXIT_USAGE;
	} else if (cmd_write_report(&r, f, &fo, a.out) < 0) {
		fprintf(stderr, "grader: %s\n", err_last());
		status = EXIT_INTERNAL;
	}
	grade_result_release(&r);
	store_close(st);
	return status;
}

int cmd_history(int argc, char **argv)
{
	struct store_args a;
	struct store *st = NULL;
	struct store_run_info *v = NULL;
	size_t n = 0, i;
	int status;

	if ((status = store_parse(argc, argv, &a)) != 0)
		return status < 0 ? 0 : status;
	if (a.ind + 1 != argc)
		return cli_usage_error("history", "expected one STUDENT (a roster id)");
	if ((status = cmd_open_store(a.db, &st)) != 0)
		return status;
	if (store_student_runs(st, argv[a.ind], &v, &n) < 0) {
		fprintf(stderr, "grader: %s\n", err_last());
		status = EXIT_INTERNAL;
		goto done;
	}
	if (!n) {
		fprintf(stderr, "grader: no runs of student '%s' in the results database\n", argv[a.ind]);
		status = EXIT_USAGE;
		goto done;
	}
	printf("%-6s %-20s %-16s %-14s %9s %7s %-12s %s\n", "run", "graded at", "challenge",
	       "status", "score", "penalty", "commit", "source");
	for (i = 0; i < n; i++)
		printf("%-6lld %-20s %-16s %-14s %4d/%-4d %7d %-12.12s %s\n", (long long)v[i].run_id,
		       v[i].started_at, v[i].challenge_id, v[i].status, v[i].score, v[i].max_score,
		       v[i].late_penalty, v[i].commit[0] ? v[i].commit : "-", v[i].source);
done:
	store_run_infos_free(v, n);
	store_close(st);
	return status;
}

/*
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
 * break, quotes doubled. A field that a spreadsheet would read as a formula
 * (=, +, -, @ first) gets a leading apostrophe: a gradebook is opened in
 * Excel and LMS importers, and a roster id is text, never a formula.
 */
static int csv_field(struct gbuf *b, const char *s, int first)
{
	const char *p;
	int quote = strpbrk(s, ",\"\r\n") != NULL;

	if (!first && gbuf_addch(b, ',') < 0)
		return -1;
	if (quote && gbuf_addch(b, '"') < 0)
		return -1;
	if (strchr("=+-@", s[0]) && s[0] && gbuf_addch(b, '\'') < 0)
		return -1;
	for (p = s; *p; p++) {
		if (*p == '"' && gbuf_addch(b, '"') < 0)
			return -1;
		if (gbuf_addch(b, *p) < 0)
			return -1;
	}
	if (quote && gbuf_addch(b, '"') < 0)
		return -1;
	return 0;
}

/* The check ids of the loaded runs, in suite order, each once. */
static int export_columns(const struct grade_result *runs, size_t n, char ***cols, size_t *ncols)
{
	size_t i, j, k, cap = 0;

	*cols = NULL;
	*ncols = 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j < runs[i].nchecks; j++) {
			const char *id = runs[i].checks[j].id;

			for (k = 0; k < *ncols && strcmp((*cols)[k], id); k++)
				;
			if (k < *ncols)
				continue;
			if (VEC_RESERVE(*cols, cap, *ncols + 1) < 0)
				return -1;
			(*cols)[(*ncols)++] = (char *)id;
		}
	}
	return 0;
}

static int export_csv(struct store *st, const char *challenge, int checks, struct gbuf *out)
{
	struct store_run_info *v = NULL;
	struct grade_result *runs = NULL;
	char **cols = NULL;
	size_t n = 0, ncols = 0, i, j, k;
	char num[32];
	int rc = -1;

	if (store_gradebook(st, challenge, &v, &n) < 0)
		goto done;
	if (checks) {
		runs = calloc(n ? n : 1, sizeof(*runs));
		if (!runs) {
			err_set("out of memory");
			goto done;
		}
		for (i = 0; i < n; i++)
			if (store_load_run(st, v[i].run_id, &runs[i]) != 0) {
				err_wrap("run %lld", (long long)v[i].run_id);
				goto done;
			}
		if (export_columns(runs, n, &cols, &ncols) < 0)
			goto done;
	}
	if (gbuf_adds(out, "student,score,max_score,late_penalty,final_score,status,commit,graded_at") < 0)
		goto done;
	for (k = 0; k < ncols; k++)
		if (csv_field(out, cols[k], 0) < 0)
			goto done;
	if (gbuf_adds(out, "\r\n") < 0)
		goto done;
	for (i = 0; i < n; i++) {
		if (csv_field(out, v[i].student ? v[i].student : "", 1) < 0 ||
		    gbuf_addf(out, ",%d,%d,%d,%d", v[i].score, v[i].max_score, v[i].late_penalty,
			      v[i].final_score) < 0 ||
		    csv_field(out, v[i].status, 0) < 0 || csv_field(out, v[i].commit, 0) < 0 ||
		    csv_field(out, v[i].started_at, 0) < 0)
			goto done;
		for (k = 0; k < ncols; k++) {
			num[0] = '\0';
			for (j = 0; j < runs[i].nchecks; j++)
				if (!strcmp(runs[i].checks[j].id, cols[k]))
					snprintf(num, sizeof(num), "%d", runs[i].checks[j].points);
			if (csv_field(out, num, 0) < 0)
				goto done;
		}
		if (gbuf_adds(out, "\r\n") < 0)
			goto done;
	}
	rc = 0;
done:
	for (i = 0; runs && i < n; i++)
		grade_result_release(&runs[i]);
	free(runs);
	free(cols);
	store_run_infos_free(v, n);
	return rc;
}

int cmd_export(int argc, char **argv)
{
	struct store_args a;
	struct store *st = NULL;
	struct gbuf out = GBUF_INIT(0);
	FILE *f = stdout;
	int status;

	if ((status = store_parse(argc, argv, &a)) != 0)
		return status < 0 ? 0 : status;
	if (a.ind != argc)
		return cli_usage_error("export", "takes no operand, found '%s'", argv[a.ind]);
	if (!a.challenge)
		return cli_usage_error("export", "no --challenge given; expected --challenge NAME");
	if (!a.format || strcmp(a.format, "csv"))
		return cli_usage_error("export", "--format takes csv (the gradebook of contracts §7), not '%s'",
				       a.format ? a.format : "(none)");
	if ((status = cmd_open_store(a.db, &st)) != 0)
		return status;
	if (export_csv(st, a.challenge, a.checks, &out) < 0) {
		fprintf(stderr, "grader: export failed: %s\n", err_last());
		status = EXIT_INTERNAL;
		goto done;
	}
	if (a.out && !(f = fopen(a.out, "w"))) {
		fprintf(stderr, "grader: cannot write %s\n", a.out);
		f = stdout;
		status = EXIT_INTERNAL;
		goto done;
	}
	if (fwrite(gbuf_str(&out), 1, out.len, f) != out.len || fflush(f) != 0) {
		fprintf(stderr, "grader: cannot write the gradebook\n");
		status = EXIT_INTERNAL;
	}
done:
	if (f != stdout)
		fclose(f);
	gbuf_release(&out);
	store_close(st);
	return status;
}

int cmd_merge(int argc, char **argv)
{
	struct store_args a;
	struct store *st = NULL;
	size_t added, present;
	int i, status;

	if ((status = store_parse(argc, argv, &a)) != 0)
		return status < 0 ? 0 : status;
	if (!a.into)
		return cli_usage_error("merge", "no --into given; expected --into CLASS.db");
	if (a.ind >= argc)
		return cli_usage_error("merge", "no database to merge; expected A.db [B.db ...]");
	if ((status = cmd_open_store(a.into, &st)) != 0)
		return status;
	for (i = a.ind; i < argc; i++) {
		if (store_merge(st, argv[i], &added, &present) < 0) {
			fprintf(stderr, "grader: cannot merge %s: %s\n", argv[i], err_last());
			status = EXIT_INTERNAL;
			break;
		}
		printf("%s: %zu run%s added, %zu already there\n", argv[i], added,
		       added == 1 ? "" : "s", present);
	}
	store_close(st);
	return status;
}
