/*
 * t_cases.h - tests kept as data (curl's tests/data): every .case file of a folder,
 * in name order, read whole and handed to the program's own runner, which
 * returns nonzero when its case failed (after printing why as "# ..."). For
 * the loaders' error cases (tests/data/challenge-errors, profile-errors).
 */
#ifndef GRADER_T_CASES_H
#define GRADER_T_CASES_H

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"

#define T_CASES_MAX 512

static inline int t_cases_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The number of cases run, or -1 when FOLDER cannot be read; *failed is set
 * when a case could not be read or its runner said it failed. */
static inline long t_cases_run(const char *folder, int (*run)(const char *name, const char *text),
			       int *failed)
{
	char *names[T_CASES_MAX], path[PATH_MAX];
	size_t n = 0, i;
	DIR *d = opendir(folder);
	struct dirent *e;

	if (!d)
		return -1;
	while ((e = readdir(d)) && n < T_CASES_MAX) {
		size_t l = strlen(e->d_name);

		if (l > 5 && !strcmp(e->d_name + l - 5, ".case"))
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), t_cases_name_cmp);
	for (i = 0; i < n; i++) {
		struct gbuf b = GBUF_INIT(1 << 20);

		snprintf(path, sizeof(path), "%s/%s", folder, names[i]);
		if (gbuf_read_file(&b, path) < 0) {
			printf("# %s: %s\n", names[i], err_last());
			*failed = 1;
		} else {
			*failed |= run(names[i], gbuf_str(&b));
		}
		gbuf_release(&b);
		free(names[i]);
	}
	return (long)n;
}

#endif
