/*
 * prove.h - prove a challenge's check suite right before it grades a class.
 *
 * The reference solution must pass every check; each declared mutant (a
 * patch to the solution) must fail exactly the checks it declares in
 * `kills` and pass all the others; and every scored check must be killed
 * by at least one mutant. Each variant is turned into a git repository and
 * graded like any submission.
 *
 * Ownership: prove_run() fills a prove_report the caller releases with
 * prove_report_release().
 */
#ifndef GRADER_PROVE_H
#define GRADER_PROVE_H

#include <stdbool.h>

#include "buf.h"
#include "grade.h"

struct prove_variant {
	char *id;                 /* "reference" or the mutant's id */
	struct grade_result result;
	bool as_declared;         /* reference: all pass; mutant: fails exactly its kills */
	char *problem;            /* NULL when as_declared */
};

struct prove_report {
	struct prove_variant *variants;
	size_t nvariants;
	char **unkilled;          /* scored checks no mutant kills */
	size_t nunkilled;
	bool proven;
};

/* `base` supplies datadir, cache, python and timeouts; source/ref are set
 * per variant. Returns -1 only if the grader broke. */
int prove_run(const struct grade_opts *base, struct prove_report *rep);
void prove_report_release(struct prove_report *rep);
int prove_report_text(const struct prove_report *rep, struct gbuf *out);

/* Turn `src_dir` (+ an optional patch) into a one-commit git repository at
 * `dest`. Used by prove and by the demo. */
int prove_make_repo(const char *src_dir, const char *patch, const char *dest, struct gbuf *why);

#endif
