/*
 * strlist.h - a growable list of strings, the one the grader uses wherever
 * it collects names (distributions, challenge names, configured paths).
 *
 * Ownership: the list owns its strings (strlist_push copies) and the array;
 * strlist_free() frees both and leaves an empty list, ready for reuse. A
 * zeroed struct (STRLIST_INIT) is an empty list. v[n] is not NULL-terminated.
 */
#ifndef GRADER_STRLIST_H
#define GRADER_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

struct strlist {
	char **v;
	size_t n, cap;
};

#define STRLIST_INIT { NULL, 0, 0 }

/* Append a copy of s. 0, or -1 + err (the list is unchanged). */
int strlist_push(struct strlist *l, const char *s);
/* Append a copy of the first len bytes of s (a name inside a longer text). */
int strlist_pushn(struct strlist *l, const char *s, size_t len);
/* Is s (compared with strcmp) in the list? */
bool strlist_has(const struct strlist *l, const char *s);
/* Sort with strcmp (byte order). */
void strlist_sort(struct strlist *l);
void strlist_free(struct strlist *l);

#endif
