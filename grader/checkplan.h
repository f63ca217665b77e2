/*
 * checkplan.h - which of a challenge's checks may run at the same time.
 *
 * The engine may run checks concurrently against the app's threaded server
 * (engine.h), but a concurrent run must give exactly the results of the
 * sequential one. Two checks *conflict* when running them side by side, or
 * in another order, could change what either one sees; conflicting checks
 * never overlap and run in the challenge's order. The plan is read from the
 * challenge file alone, conservatively. Checks i and j conflict when:
 *
 *  - either says `concurrency: 1`, or the challenge does (everything
 *    conflicts: the sequential run);
 *  - one depends_on the other;
 *  - one reads a variable ({{name}}) the other captures;
 *  - one *observes shared state* and the other *writes*: a check observes
 *    when it counts SQL queries (they grow with other checks' rows), or
 *    reads the content of a page whose path is fixed (no {{...}} in it: a
 *    list, a dashboard, a form whose options come from the database, where
 *    another check's rows appear or push its own off a page), or submits a
 *    form from such a page; it writes when it sends an unsafe method
 *    (POST, PUT, PATCH, DELETE...) or submits a form. A page of its own
 *    object ("/api/products/{{chair}}/", "/x-{{run.nonce}}/") is not
 *    shared; neither is the status of a fixed page;
 *  - both write: the app's database (SQLite) takes one writer at a time, and
 *    two transactions that read then write fail with "database is locked"
 *    where one after the other pass;
 *  - both act as the same actor and either may change that actor's session
 *    (a form submit as it, or an unsafe request as it to a path about
 *    signing in or out, passwords, sessions or tokens): Django rotates the
 *    session key on login, and the actor's cookie jar is one for the run.
 *
 * Ownership: checkplan_build() -> checkplan_free().
 */
#ifndef GRADER_CHECKPLAN_H
#define GRADER_CHECKPLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "challenge.h"
#include "strlist.h"

struct checkplan;

/* 0, or -1 (out of memory). */
int checkplan_build(const struct challenge *c, struct checkplan **out);
void checkplan_free(struct checkplan *p);

/* The variable roots one step reads ({{name}}, {{name.x}}: "name"; not the
 * run's own, nor its any_of variable), added to `reads` (the caller's,
 * which the caller frees). 0, or -1 (out of memory). The engine passes a
 * step unjudged that reads a value a 5xx left unset (engine.c). */
int checkplan_step_reads(const struct step *s, struct strlist *reads);

/* Whether checks i and j (indexes in the challenge) must not overlap. */
bool checkplan_conflict(const struct checkplan *p, size_t i, size_t j);

/* Why check i is in the plan as it is, for tests and --verbose output: a
 * short description ("observes, writes, reads chair"); static until the
 * plan is freed. */
const char *checkplan_describe(const struct checkplan *p, size_t i);

#endif
