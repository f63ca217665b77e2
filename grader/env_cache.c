/*
 * env_cache.c - the cache folder and `grader env list|prune`.
 */
#include "env_internal.h"
#include "err.h"
#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- cache management ----------------------------------------------- */

static _Thread_local unsigned long long env_du_bytes;

static int env_du_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)path;
	(void)flag;
	(void)ftw;
	env_du_bytes += (unsigned long long)sb->st_blocks * 512ULL;
	return 0;
}

/* Disk use of a tree, never following symlinks nor crossing mounts. */
static unsigned long long env_du(const char *path)
{
	env_du_bytes = 0;
	if (nftw(path, env_du_one, 32, FTW_PHYS | FTW_MOUNT) != 0)
		err_clear();
	return env_du_bytes;
}

static bool env_is_key(const char *name)
{
	return strlen(name) == 16 && strspn(name, "0123456789abcdef") == 16;
}

/* When the env was last used: its last-used file, else its marker (envs
 * made before last-used existed). 0 when neither. */
static time_t env_last_used(const char *dir)
{
	char *path = NULL;
	struct stat st;
	time_t t = 0;

	if (asprintf(&path, "%s/" ENV_LAST_USED, dir) >= 0 && lstat(path, &st) == 0 && S_ISREG(st.st_mode))
		t = st.st_mtime;
	free(path);
	path = NULL;
	if (!t && asprintf(&path, "%s/" ENV_MARKER, dir) >= 0 && lstat(path, &st) == 0 &&
	    S_ISREG(st.st_mode))
		t = st.st_mtime;
	free(path);
	return t;
}

/* Sorted names in <cache>/envs; *envs_out malloc'd. A missing folder is
 * an empty cache. */
static int env_cache_names(const char *cache_dir, char **envs_out, struct strlist *names)
{
	DIR *d = NULL;
	struct dirent *de;
	int rc = -1;

	if (asprintf(envs_out, "%s/envs", cache_dir) < 0) {
		*envs_out = NULL;
		return err_set("out of memory");
	}
	d = opendir(*envs_out);
	if (!d) {
		rc = errno == ENOENT ? 0 : err_set_errno("cannot list %s", *envs_out);
		goto done;
	}
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && strlist_push(names, de->d_name) < 0)
			goto done;
	strlist_sort(names);
	rc = 0;
done:
	if (d)
		closedir(d);
	return rc;
}

/* A "field value" line of an env's marker, or "?". */
static const char *env_marker_field(const struct gbuf *m, const char *field, char *buf, size_t n)
{
	const char *p = gbuf_str(m), *nl;
	size_t fl = strlen(field);

	for (; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (strncmp(p, field, fl) == 0 && p[fl] == ' ') {
			size_t len = nl ? (size_t)(nl - p - fl - 1) : strlen(p + fl + 1);

			snprintf(buf, n, "%.*s", (int)len, p + fl + 1);
			return buf;
		}
	}
	return "?";
}

int env_list(const char *cache_dir, struct gbuf *out)
{
	struct strlist names = { NULL, 0, 0 };
	struct gbuf m = GBUF_INIT(8192);
	char *envs = NULL, *dir = NULL, *marker = NULL;
	char when[32], ver[256], src[1024];
	struct stat st;
	struct tm tm;
	size_t i;
	int rc = -1;

	if (env_cache_names(cache_dir, &envs, &names) < 0)
		goto done;
	for (i = 0; i < names.n; i++) {
		time_t t;

		free(dir);
		free(marker);
		marker = NULL;
		if (asprintf(&dir, "%s/%s", envs, names.v[i]) < 0) {
			dir = NULL;
			err_set("out of memory");
			goto done;
		}
		/* Only complete envs, never through a symlink. */
		if (!env_is_key(names.v[i]) || lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (asprintf(&marker, "%s/" ENV_MARKER, dir) < 0) {
			marker = NULL;
			err_set("out of memory");
			goto done;
		}
		gbuf_reset(&m);
		if (lstat(marker, &st) < 0 || !S_ISREG(st.st_mode) || gbuf_read_file(&m, marker) < 0) {
			err_clear();
			continue;
		}
		t = env_last_used(dir);
		if (t && localtime_r(&t, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		else
			snprintf(when, sizeof(when), "?");
		env_marker_field(&m, "version", ver, sizeof(ver));
		ver[strcspn(ver, " ")] = '\0';
		if (!strcmp(env_marker_field(&m, "source", src, sizeof(src)), "?"))
			env_marker_field(&m, "requirements", src, sizeof(src));
		if (gbuf_addf(out, "%s  %8.1f MB  last used %s  python %s  %s\n", names.v[i],
			      (double)env_du(dir) / (1024.0 * 1024.0), when, ver, src) < 0)
			goto done;
	}
	rc = 0;
done:
	strlist_free(&names);
	gbuf_release(&m);
	free(envs);
	free(dir);
	free(marker);
	return rc;
}

/*
 * Remove envs unused for more than max_age_days (by their last-used time),
 * and build folders (*.tmp-*) older than an hour: an install is limited to
 * far less, so an hour-old one is debris of a grader that died. An env is
 * first renamed to a .tmp- name, atomically, so a grader starting meanwhile
 * sees it absent and builds anew instead of using half a tree. Symlinks are
 * never followed: a symlinked entry in envs/ is left alone, and a symlink
 * inside an env is removed as a link, its target untouched.
 */
int env_prune(const char *cache_dir, long max_age_days, struct gbuf *out)
{
	struct strlist names = { NULL, 0, 0 };
	char *envs = NULL, *dir = NULL, *doomed = NULL;
	unsigned char rnd[4] = { 0 };
	time_t now = time(NULL), t;
	struct stat st;
	double mb;
	size_t i;
	int rc = -1;

	if (max_age_days < 0) {
		err_set("the age must not be negative");
		goto done;
	}
	if (env_cache_names(cache_dir, &envs, &names) < 0)
		goto done;
	for (i = 0; i < names.n; i++) {
		free(dir);
		free(doomed);
		doomed = NULL;
		if (asprintf(&dir, "%s/%s", envs, names.v[i]) < 0) {
			dir = NULL;
			err_set("out of memory");
			goto done;
		}
		if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (strstr(names.v[i], ".tmp-")) {
			if (now - st.st_mtime < 3600)
				continue;
			mb = (double)env_du(dir) / (1024.0 * 1024.0);
			if (env_remove_tree(dir) < 0)
				goto done;
			if (gbuf_addf(out, "removed %s (an unfinished build, %.1f MB)\n", names.v[i], mb) < 0)
				goto done;
			continue;
		}
		if (!env_is_key(names.v[i]))
			continue;
		t = env_last_used(dir);
		if (!t)
			t = st.st_mtime;
		if (now - t <= max_age_days * 86400L)
			continue;
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
			err_set_errno("getrandom");
			goto done;
		}
		if (asprintf(&doomed, "%s.tmp-prune-%d-%02x%02x%02x%02x", dir, (int)getpid(), rnd[0],
			     rnd[1], rnd[2], rnd[3]) < 0) {
			doomed = NULL;
			err_set("out of memory");
			goto done;
		}
		if (rename(dir, doomed) < 0) {
			if (errno == ENOENT)
				continue; /* another prune got there first */
			err_set_errno("cannot rename %s", dir);
			goto done;
		}
		mb = (double)env_du(doomed) / (1024.0 * 1024.0);
		if (env_remove_tree(doomed) < 0)
			goto done;
		if (gbuf_addf(out, "removed %s (unused for %ld days, %.1f MB)\n", names.v[i],
			      (long)((now - t) / 86400), mb) < 0)
			goto done;
	}
	rc = 0;
done:
	strlist_free(&names);
	free(envs);
	free(dir);
	free(doomed);
	return rc;
}

char *env_default_cache_dir(void)
{
	return paths_cache_dir();
}
