/*
 * paths.c - the grader's own folders (paths.h).
 */
#include "paths.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * PATH made absolute against the current folder, with "." and ".."
 * components and repeated slashes removed lexically (the folder need not
 * exist yet). The sandbox mounts the cache's environments by path and
 * refuses a relative one or one with "..": a GRADER_CACHE_DIR such as
 * "build/test-cache" made every boot an internal error. malloc'd, or NULL
 * (out of memory, or no current folder).
 */
static char *paths_absolute(const char *path)
{
	char cwd[4096], *joined = NULL, *out = NULL, *seg, *save = NULL;
	size_t len = 0;

	if (path[0] == '/')
		joined = strdup(path);
	else if (getcwd(cwd, sizeof(cwd)) && asprintf(&joined, "%s/%s", cwd, path) < 0)
		joined = NULL;
	if (!joined || !(out = malloc(strlen(joined) + 2)))
		goto done;
	out[0] = '\0';
	for (seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (!strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;  /* the slash before it */
			out[len] = '\0';
			continue;
		}
		out[len++] = '/';
		strcpy(out + len, seg);
		len += strlen(seg);
	}
	if (len == 0)
		strcpy(out, "/");
done:
	free(joined);
	return out;
}

char *paths_cache_dir(void)
{
	const char *v = getenv("GRADER_CACHE_DIR");
	const char *home;
	struct passwd *pw;
	char *out = NULL;

	if (v && *v)
		return paths_absolute(v);
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
