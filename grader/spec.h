/*
 * spec.h - check a challenge's SPEC.md against its check suite.
 *
 * Contracts: "the student-facing spec of each challenge (its SPEC.md) and
 * its check suite must say exactly this". The part a program can hold to it
 * is the rubric: the table under the "## Rubric" heading (columns `id` and
 * `points`, a row per scored check) and the heading's "(N points)" or a
 * "Total: N points" line. `grader check` reports where the two disagree.
 *
 * Ownership: messages are appended to the caller's challenge_errors (the
 * same bound as the loader's); the caller releases them.
 */
#ifndef GRADER_SPEC_H
#define GRADER_SPEC_H

#include "challenge.h"

/*
 * Compare <c->dir>/SPEC.md's rubric with c's scored (non-advisory) checks:
 * every scored check has a row with its points, every row names a scored
 * check, and a stated total equals the points' sum. Each disagreement is
 * one "SPEC.md:LINE:COLUMN: message" (FILE shown as the loader shows it) in
 * `errs`. A challenge without SPEC.md, or a SPEC.md without a rubric table,
 * has nothing to disagree with: 0. -1 + err when the file cannot be read.
 */
int spec_check_rubric(const struct challenge *c, struct challenge_errors *errs);

#endif
