/*
 * format.h - every rendering of a grade_result, chosen in one place.
 *
 * The one entry point for `grade`, `show`, `batch`, `export`, `convert` and
 * `badge`:
 *
 *     enum report_format f;
 *     struct format_opts o = FORMAT_OPTS_INIT;     // student view, now
 *     if (format_parse(optarg, &f) < 0) usage error: err_last() names the choices
 *     struct gbuf out = GBUF_INIT(0);
 *     if (format_render(&result, f, &o, &out) < 0) ... err_last()
 *     fwrite(out.data, 1, out.len, stdout); gbuf_release(&out);
 *
 * Formats: one row each of format_table[] (format.c), in --format's order;
 * docs/formats.md says who reads each and how the tests validate it:
 *   text        the terminal table (report.c)
 *   json        the report of contracts §1 (report.c), plus each check's
 *               "visibility"
 *   junit       JUnit XML as Jenkins, GitLab and GitHub test reporters read it
 *   gradescope  Gradescope's results.json, visibility passed through
 *   classroom   the GitHub Classroom grading-reporter payload (version 1), as
 *               the base64 line the reporter reads from <ID>_RESULTS
 *   markdown    a job summary / PR comment
 *   shields     a shields.io endpoint object
 *   badge       an SVG badge stamped with commit and suite_sha256
 *
 * Adding a format is a value before FORMAT_COUNT below, a row of
 * format_table[] and its writer function in format.c, and a row of the
 * table in docs/formats.md. --format's parsing, its error message, the help
 * of grade, show and convert and the shell completion are made from the
 * table; tests/unit/test_format.c (format_table_rows_are_complete,
 * formats_match_the_documentation) and tests/e2e/test_cli.sh fail when a row
 * is incomplete, undocumented, or missing from help or completion.
 *
 * Visibility: every format but gradescope is student-facing. Unless
 * `show_hidden` is set (the instructor's view), the message of a hidden
 * check, and of an after_due_date check before `due`, is replaced by
 * FORMAT_WITHHELD; its id, points and status still show, so totals add up.
 * Gradescope output carries every message with its visibility, because
 * Gradescope itself enforces it.
 *
 * Everything from the submission (messages, diagnosis, source) is untrusted:
 * each format escapes it for its own reader (XML, Markdown, JSON, SVG) and
 * drops what that reader cannot carry (invalid UTF-8, control characters).
 *
 * Ownership: format_render() appends to the caller's gbuf. format_read_report()
 * fills a grade_result the caller releases with grade_result_release(), also
 * on failure.
 */
#ifndef GRADER_FORMAT_H
#define GRADER_FORMAT_H

#include <stdbool.h>
#include <time.h>

#include "buf.h"
#include "result.h"

enum report_format {
	FORMAT_TEXT = 0,
	FORMAT_JSON,
	FORMAT_JUNIT,
	FORMAT_GRADESCOPE,
	FORMAT_CLASSROOM,
	FORMAT_MARKDOWN,
	FORMAT_SHIELDS,
	FORMAT_BADGE,
	FORMAT_COUNT    /* not a format: the number of rows of format_table[] */
};

/* Every name format_parse() accepts, "|"-separated, for usage lines
 * (format_names(): a static string made once from format_table[]). */
#define FORMAT_NAMES format_names()

/* What a withheld message reads. */
#define FORMAT_WITHHELD "(hidden until the instructor releases this check's result)"

struct format_opts {
	bool show_hidden;   /* instructor view: every message, whatever its visibility */
	time_t due;         /* after_due_date messages show once now >= due; 0: not before release */
	time_t now;         /* 0: the current time */
	const char *label;  /* shields/badge left-hand text; NULL: the challenge's title */
	bool colour;        /* text: ANSI colours (the command layer decides: a terminal, no NO_COLOR) */
	bool only_not_passed; /* text: list only the checks that did not pass (-q) */
};

#define FORMAT_OPTS_INIT { false, 0, 0, NULL, false, false }

/*
 * One format. `write` gets the *view* of the result (format_render has
 * already replaced withheld messages, unless `full_result`) and appends to
 * out: 0, or -1 + err (out of memory).
 */
struct format_def {
	const char *name;    /* --format's word */
	int (*write)(const struct grade_result *view, const struct format_opts *o, struct gbuf *out);
	bool full_result;    /* its reader enforces visibility itself (Gradescope): every message goes in */
};

/* Indexed by enum report_format, FORMAT_COUNT rows; the first is the default. */
extern const struct format_def format_table[FORMAT_COUNT];

/* format_table[]'s names, "|"-separated ("text|json|..."); static, never freed. */
const char *format_names(void);

/*
 * The names joined for a sentence into buf (n bytes): `sep` between them,
 * `last` before the last one, " (default)" after the default's when
 * `mark_default`: ", " / " or " gives "text (default), json, ... or badge".
 * 0, or -1 + err when it does not fit.
 */
int format_names_join(char *buf, size_t n, const char *sep, const char *last, bool mark_default);

/* "junit" -> FORMAT_JUNIT. -1 + err naming the accepted names. */
int format_parse(const char *name, enum report_format *f);
const char *format_name(enum report_format f);

/* Render r in format f, appended to out. -1 + err (out of memory only). */
int format_render(const struct grade_result *r, enum report_format f,
		  const struct format_opts *o, struct gbuf *out);

/* Would format f (with o) withhold check c's message? */
bool format_withholds(const struct check_result *c, enum report_format f,
		      const struct format_opts *o);

/*
 * Read a JSON report (as `--format json` wrote it, any release) back into
 * *r (zeroed first). `what` names the input in errors ("report.json").
 * -1 + err naming the key that is missing or of the wrong type.
 */
int format_read_report(const char *json, size_t len, const char *what, struct grade_result *r);
/* The same, from a file (at most 64 MiB). */
int format_read_report_file(const char *path, struct grade_result *r);

/* ISO 8601 ("2026-05-01T23:59:00Z", "2026-05-01T23:59:00+02:00", "2026-05-01")
 * -> *t. -1 + err naming the text. */
int format_parse_time(const char *s, time_t *t);

#endif
