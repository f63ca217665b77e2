/*
 * report.h - render a grade_result for people (text) and machines (JSON of
 * contracts §1, exactly: same keys, same order, same types).
 */
#ifndef GRADER_REPORT_H
#define GRADER_REPORT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "result.h"

/* New cJSON object (caller frees with cJSON_Delete), NULL + err on OOM. */
cJSON *report_json(const struct grade_result *r);
/* A table: check, points, status, message; then the total or the diagnosis. */
int report_text(const struct grade_result *r, struct gbuf *out);

/* The same, styled for where it goes (the command layer decides). */
struct report_text_opts {
	bool colour;            /* ANSI colours on the status words (a terminal, no NO_COLOR) */
	bool only_not_passed;   /* list only the checks that did not pass (-q) */
};
int report_text_with(const struct grade_result *r, const struct report_text_opts *o, struct gbuf *out);

#endif
