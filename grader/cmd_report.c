/*
 * cmd_report.c - `grader report --challenge NAME --html DIR`: the class
 * report as a static web site (classreport.h).
 */
#include <stdio.h>
#include <string.h>

#include "classreport.h"
#include "cli.h"
#include "cmd.h"
#include "err.h"

int cmd_report(int argc, char **argv)
{
	struct cli_parse p;
	struct store *st = NULL;
	struct classreport_stats stats;
	const char *challenge = NULL, *db = NULL, *html = NULL;
	int opt, status;

	cli_parse_begin(&p, argc, argv);
	while ((opt = cli_next(&p)) > 0) {
		switch (opt) {
		case OPT_CHALLENGE: challenge = p.arg; break;
		case OPT_DB: db = p.arg; break;
		case OPT_HTML: html = p.arg; break;
		default: return cli_usage_error("report", "option '--%s' is not handled", p.name);
		}
	}
	if (opt < 0)
		return p.status;
	if (p.ind < argc)
		return cli_usage_error("report", "takes no operand, found '%s'", argv[p.ind]);
	if (!challenge)
		return cli_usage_error("report", "no --challenge given; expected --challenge NAME");
	if (!html)
		return cli_usage_error("report", "no --html given; expected --html DIR (the folder to write)");
	if ((status = cmd_open_store(db, &st)) != 0)
		return status;
	if (classreport_write(st, challenge, html, &stats) < 0) {
		fprintf(stderr, "grader: report: %s\n", err_last());
		status = strstr(err_last(), "no student has a recorded run") ? EXIT_USAGE : EXIT_INTERNAL;
	} else {
		cli_note("wrote %s/index.html and %zu student page%s (%zu graded)", html, stats.students,
			 stats.students == 1 ? "" : "s", stats.graded);
	}
	store_close(st);
	return status;
}
