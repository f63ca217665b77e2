/*
 * classreport.h - a class's results as a static web site (grader report).
 *
 * classreport_write() reads the gradebook of a challenge from the store and
 * writes into `dir`:
 *   index.html          the score histogram (SVG drawn here), the pass rate
 *                       of every check, worst first, with its most common
 *                       failure message, and a table of students that a
 *                       little inline script sorts (click a header, or open
 *                       index.html#sort=COLUMN:asc|desc); without scripts
 *                       the table is in roster-id order and every link works
 *   students/run-N.html one page per student: the full report of the run
 *                       the gradebook shows, every message, the diagnosis
 *
 * Everything that comes from a submission or a roster (student ids,
 * sources, check messages, diagnoses) is untrusted: it is HTML-escaped,
 * invalid UTF-8 is replaced, and every page carries a Content-Security-Policy
 * that allows no script but the index page's own (by its sha256), no
 * network and no plugins, so even a missed escape could not run anything.
 *
 * No network at view time: no CDN, no font, no image but inline SVG.
 */
#ifndef GRADER_CLASSREPORT_H
#define GRADER_CLASSREPORT_H

#include <stddef.h>

#include "store.h"

struct classreport_stats {
	size_t students, graded, pages;
};

/* -1 + err (a file that cannot be written, the store). `dir` is created. */
int classreport_write(struct store *st, const char *challenge, const char *dir,
		      struct classreport_stats *stats);

#endif
