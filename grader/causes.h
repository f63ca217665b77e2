/*
 * causes.h - one root cause, said once (issue 9).
 *
 * When several checks fail for the same reason (every product the suite
 * creates is refused with the same DRF error, the app raises the same
 * exception, every path under /tickets/ answers 404), the report says the
 * reason once with the checks it explains, before the per-check lines. For
 * a run of 404s under one of the challenge's paths, it suggests the
 * grader.yaml `routes:` lines that would map them to where the app serves
 * the same views (from the paths the boot module listed).
 *
 * Causes are read back from the checks' messages (the engine writes every
 * request as "METHOD PATH as ACTOR answered STATUS ..."). The route
 * suggestions also need the paths the live app served, so the store keeps
 * the causes found (table run_causes, schema v4) rather than finding them
 * again: `grader show` prints the ones `grade` printed.
 *
 * Ownership: causes_find() fills r->causes; grade_result_release() frees
 * them.
 */
#ifndef GRADER_CAUSES_H
#define GRADER_CAUSES_H

#include "challenge.h"
#include "result.h"

/* Find the causes shared by at least two failed checks of `r`; `c` (may be
 * NULL) gives the challenge's own paths for route suggestions. 0, or -1 on
 * OOM. */
int causes_find(struct grade_result *r, const struct challenge *c);

#endif
