/*
 * spec.c - SPEC.md's rubric table against the check suite (see spec.h).
 *
 * The Markdown is read line by line, only as far as the rubric needs: the
 * "## Rubric" heading, the pipe table under it, and the section's end (the
 * next "## " heading). Cells are trimmed of spaces and backquotes.
 */
#include "spec.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"

#define SPEC_MAX ((size_t)1 << 20)
#define CELLS_MAX 16

struct spec_ctx {
	const struct challenge *c;
	struct challenge_errors *errs;
	char shown[PATH_MAX];
};

static void spec_err(struct spec_ctx *x, size_t line, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void spec_err(struct spec_ctx *x, size_t line, size_t col, const char *fmt, ...)
{
	char msg[900], *full = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	x->errs->total++;
	if (x->errs->n >= CHALLENGE_ERRORS_MAX)
		return;
	if (asprintf(&full, "%sSPEC.md:%zu:%zu: %s", x->shown, line, col, msg) < 0)
		return;
	x->errs->msg[x->errs->n++] = full;
}

/* Split "| a | `b` | c |" into trimmed cells; returns how many. */
static size_t split_row(char *line, char **cells, size_t max)
{
	size_t n = 0;
	char *p = line, *end;

	if (*p != '|')
		return 0;
	p++;
	while (*p && n < max) {
		end = strchr(p, '|');
		if (!end)
			break;
		*end = '\0';
		while (*p == ' ' || *p == '`')
			p++;
		{
			char *t = end;

			while (t > p && (t[-1] == ' ' || t[-1] == '`'))
				*--t = '\0';
		}
		cells[n++] = p;
		p = end + 1;
	}
	return n;
}

/* "... (100 points)" or "Total: 100 points" -> 100; -1 when absent. */
static long stated_total(const char *line)
{
	const char *p = strstr(line, "(");
	char *end = NULL;
	long v;

	if (!strncmp(line, "Total: ", 7))
		p = line + 6;
	if (!p)
		return -1;
	v = strtol(p + 1, &end, 10);
	if (end == p + 1 || strncmp(end, " points", 7))
		return -1;
	return v;
}

int spec_check_rubric(const struct challenge *c, struct challenge_errors *errs)
{
	struct gbuf text = GBUF_INIT(SPEC_MAX);
	struct spec_ctx x = {c, errs, ""};
	char *path = NULL, *line, *next;
	char *cells[CELLS_MAX];
	bool in_rubric = false, *listed = NULL;
	size_t lineno = 0, i, id_col = (size_t)-1, pts_col = (size_t)-1, total_line = 0;
	long total = -1, sum = 0;
	int rc = -1;

	challenge_shown_folder(c->dir, x.shown, sizeof(x.shown));
	listed = calloc(c->nchecks + 1, sizeof(*listed));
	if (!listed || asprintf(&path, "%s/SPEC.md", c->dir) < 0) {
		path = NULL;
		err_set("out of memory");
		goto done;
	}
	if (gbuf_read_file(&text, path) < 0) {
		rc = 0;   /* no SPEC.md: nothing to compare */
		goto done;
	}
	for (line = text.data; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (!strncmp(line, "## ", 3)) {
			if (in_rubric)
				break;
			in_rubric = !strncmp(line, "## Rubric", 9);
			if (in_rubric && (total = stated_total(line)) >= 0)
				total_line = lineno;
			continue;
		}
		if (!in_rubric)
			continue;
		if (total < 0 && (total = stated_total(line)) >= 0)
			total_line = lineno;
		{
			size_t n = split_row(line, cells, CELLS_MAX);
			const struct check *ck;
			char *end = NULL;
			long pts;

			if (n == 0)
				continue;
			if (id_col == (size_t)-1) {   /* the header row */
				for (i = 0; i < n; i++) {
					if (!strcmp(cells[i], "id"))
						id_col = i;
					else if (!strcmp(cells[i], "points"))
						pts_col = i;
				}
				if (id_col == (size_t)-1 || pts_col == (size_t)-1)
					break;   /* not a rubric table */
				continue;
			}
			if (id_col >= n || pts_col >= n || cells[id_col][0] == '-')
				continue;   /* the |---| row */
			ck = challenge_check(c, cells[id_col]);
			pts = strtol(cells[pts_col], &end, 10);
			if (!ck || ck->advisory) {
				spec_err(&x, lineno, 3, "the rubric lists '%s', which is not a scored check of %s; "
					 "expected the ids of challenge.yaml's checks", cells[id_col], c->id);
				continue;
			}
			listed[ck - c->checks] = true;
			if (end == cells[pts_col] || *end || pts != ck->points)
				spec_err(&x, lineno, 3, "the rubric gives '%s' %s points; the check has %d", ck->id,
					 cells[pts_col], ck->points);
		}
	}
	if (id_col == (size_t)-1 || pts_col == (size_t)-1) {
		rc = 0;   /* no rubric table: nothing to compare */
		goto done;
	}
	for (i = 0; i < c->nchecks; i++) {
		if (c->checks[i].advisory)
			continue;
		sum += c->checks[i].points;
		if (!listed[i])
			spec_err(&x, lineno, 1, "the rubric does not list the scored check '%s' (%d points)",
				 c->checks[i].id, c->checks[i].points);
	}
	if (total >= 0 && total != sum)
		spec_err(&x, total_line, 1, "the rubric says %ld points in all; the checks add up to %ld", total, sum);
	rc = 0;
done:
	free(listed);
	free(path);
	gbuf_release(&text);
	return rc;
}
