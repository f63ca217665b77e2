/*
 * cmd_check.c - `grader check CHALLENGE`: lint a challenge folder for its
 * author without grading anything.
 *
 * The loader already validates everything a file can get wrong (keys, types,
 * patterns, actors, depends_on, fixtures and patches present, every mutant's
 * `kills` naming a check, the declared max_score equal to the points' sum);
 * check asks it for every error at once instead of the first, prints them
 * as FILE:LINE:COLUMN: message (FILE relative to the current folder, so an
 * editor or a CI problem matcher jumps to them), and sums the folder up when
 * it is clean. It also holds SPEC.md's rubric table to the checks (spec.h):
 * the same ids with the same points, and the stated total. Exit status 0
 * clean, 2 with errors.
 */
#include <stdio.h>
#include <stdlib.h>

#include "challenge.h"
#include "cli.h"
#include "err.h"
#include "spec.h"

int cmd_check(int argc, char **argv)
{
	struct challenge_errors errs = {{NULL}, 0, 0};
	struct challenge *c = NULL;
	struct cli_parse p;
	char *dir = NULL;
	size_t i, advisory = 0;
	long points = 0;
	int opt, status = EXIT_USAGE;

	cli_parse_begin(&p, argc, argv);
	while ((opt = cli_next(&p)) > 0)
		;
	if (opt < 0)
		return p.status;
	if (p.ind >= argc)
		return cli_usage_error("check", "no CHALLENGE given; expected a challenge name or folder");
	if (p.ind + 1 < argc)
		return cli_usage_error("check", "found '%s' after CHALLENGE '%s'; expected one CHALLENGE",
				       argv[p.ind + 1], argv[p.ind]);
	dir = challenge_resolve(cli_datadir(), argv[p.ind]);
	if (!dir) {
		fprintf(stderr, "grader check: %s\n", err_last());
		goto done;
	}
	if (challenge_load_all(dir, &c, &errs) < 0 || spec_check_rubric(c, &errs) < 0 || errs.total) {
		if (!errs.n)   /* not about a file: the folder itself */
			fprintf(stderr, "grader check: %s\n", err_last());
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msg[i]);
		if (errs.total > errs.n)
			fprintf(stderr, "grader check: %zu more errors not shown\n", errs.total - errs.n);
		if (errs.total)
			fprintf(stderr, "grader check: %zu error%s\n", errs.total, errs.total == 1 ? "" : "s");
		goto done;
	}
	for (i = 0; i < c->nchecks; i++) {
		points += c->checks[i].points;
		advisory += c->checks[i].advisory;
	}
	if (cli_verbosity() >= 0)
		printf("%s: ok: %zu checks (%zu advisory), %ld points%s, %zu mutants, suite %.12s\n", c->id,
		       c->nchecks, advisory, points, c->max_score ? " as declared" : "", c->nmutants,
		       c->suite_sha256);
	status = 0;
done:
	challenge_errors_release(&errs);
	challenge_free(c);
	free(dir);
	return status;
}
