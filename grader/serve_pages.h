/*
 * serve_pages.h - the pages and documents `grader serve` answers with.
 *
 * Every function appends to the caller's gbuf (which it must release). All
 * text that comes from a request, a repository or a report goes through
 * pages_escape(); the pages work without JavaScript (the status page
 * refreshes itself with a meta refresh) and carry labels, headings and
 * colours of sufficient contrast for screen readers and low vision.
 */
#ifndef GRADER_SERVE_PAGES_H
#define GRADER_SERVE_PAGES_H

#include <stddef.h>

#include "buf.h"
#include "challenge.h"
#include "jobq.h"
#include "serve.h"

/* HTML-escape s: gbuf_add_html (buf.h). */
int pages_escape(struct gbuf *b, const char *s);

void pages_submit_form(struct gbuf *b, const struct serve_config *c,
		       const struct challenge *const *ch, size_t nch, const char *csrf,
		       const char *error, const char *repo);
void pages_job_status(struct gbuf *b, const struct job *j, int position);
void pages_job_json(struct gbuf *b, const struct job *j, int position);
/* -1 + err when the stored report cannot be read. */
int pages_report(struct gbuf *b, const struct job *j);
/* j NULL: no graded run yet ("not graded" badge). -1 + err. */
int pages_badge(struct gbuf *b, const struct job *j, const char *challenge, int svg);
/* 0, or -1 + err. */
int pages_instructor_queue(struct gbuf *b, const struct serve_config *c, struct jobq *q, const char *csrf);
void pages_not_found(struct gbuf *b);

#endif
