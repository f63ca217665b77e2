/*
 * paths.c - the grader's own folders (paths.h).
 */
#include "paths.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *paths_cache_dir(void)
{
	const char *v = getenv("GRADER_CACHE_DIR");
	const char *home;
	struct passwd *pw;
	char *out = NULL;

	if (v && *v)
		return strdup(v);
	v = getenv("XDG_CACHE_HOME");
	/* XDG says a relative value is to be ignored. */
	if (v && v[0] == '/') {
		if (asprintf(&out, "%s/grader", v) < 0)
			out = NULL;
		return out;
	}
	home = getenv("HOME");
	if (!home || home[0] != '/') {
		pw = getpwuid(getuid());
		home = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : "/tmp";
	}
	if (asprintf(&out, "%s/.cache/grader", home) < 0)
		out = NULL;
	return out;
}
