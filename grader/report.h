/*
 * report.h - render a grade_result for people (text) and machines (JSON of
 * contracts §1, exactly: same keys, same order, same types).
 */
#ifndef GRADER_REPORT_H
#define GRADER_REPORT_H

#include <cjson/cJSON.h>

#include "buf.h"
#include "result.h"

/* New cJSON object (caller frees with cJSON_Delete), NULL + err on OOM. */
cJSON *report_json(const struct grade_result *r);
/* A table: check, points, status, message; then the total or the diagnosis. */
int report_text(const struct grade_result *r, struct gbuf *out);

#endif
