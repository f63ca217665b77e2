/*
 * rx.h - PCRE2 regular expressions with match limits.
 *
 * Patterns come from challenge authors, subjects from submissions: every
 * match runs with a match limit and a depth limit so a pathological subject
 * cannot hang the grader (a limit hit is reported as "no match" with
 * `*limited` set, never as a crash). UTF mode, invalid UTF-8 in the subject
 * tolerated (PCRE2_MATCH_INVALID_UTF).
 * Ownership: rx_compile() -> rx_free().
 */
#ifndef GRADER_RX_H
#define GRADER_RX_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct rx;

/* -1 + err "bad regex at offset N: reason" when it does not compile. */
int rx_compile(const char *pattern, struct rx **out);
void rx_free(struct rx *r);
/* 1 matched (group 1 if the pattern has groups, else the whole match is
 * appended to `match` when non-NULL), 0 no match, -1 grader error. */
int rx_match(const struct rx *r, const char *subject, size_t len, struct gbuf *match, bool *limited);
/* Every match, left to right and not overlapping (an empty match moves on
 * by one character), at most `max`: `each` gets each one (group 1 if the
 * pattern has groups, else the whole match; "" for an unset group) and
 * returns 0 to go on, -1 to stop with an error. The number of matches
 * passed on, or -1 (a grader error, or `each`'s). A limit hit on the
 * subject ends the search with what was found so far, `*limited` set. */
int rx_match_each(const struct rx *r, const char *subject, size_t len, size_t max,
		  int (*each)(void *arg, const char *m, size_t n), void *arg, bool *limited);

#endif
