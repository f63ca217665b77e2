/* strlist.c - a growable list of owned strings (strlist.h). */
#include "strlist.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "vec.h"

int strlist_pushn(struct strlist *l, const char *s, size_t len)
{
	char *dup;

	if (VEC_RESERVE(l->v, l->cap, l->n + 1) < 0)
		return -1;
	dup = strndup(s, len);
	if (!dup)
		return err_set("out of memory");
	l->v[l->n++] = dup;
	return 0;
}

int strlist_push(struct strlist *l, const char *s)
{
	return strlist_pushn(l, s, strlen(s));
}

bool strlist_has(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

static int strlist_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strlist_sort(struct strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), strlist_cmp);
}

void strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
