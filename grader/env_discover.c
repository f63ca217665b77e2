/*
 * env_discover.c - find the folder holding manage.py (env_find_project).
 * Everything under the checkout is the student's: read only through
 * env_open_beneath (no symlink followed), bounded per folder.
 */
#include "env_internal.h"
#include "err.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- project discovery ---------------------------------------------- */

/*
 * Folders discovery never enters: dot-folders, caches, dependencies, and
 * anything that looks like a committed virtualenv (which holds other
 * projects' files, sometimes a manage.py-shaped template).
 */
static bool env_is_venv(int dirfd)
{
	return env_is_regular(dirfd, "pyvenv.cfg") || env_is_regular(dirfd, "bin/activate") ||
	       env_is_regular(dirfd, "Scripts/activate");
}

/*
 * `in_venvs` (the second pass, when nothing was found outside them): a
 * virtualenv folder is entered, since students keep their project inside
 * it (recipeEnv/recipeProject/manage.py), but never a virtualenv's own
 * parts (its interpreter, its installed packages). Never `site-packages`,
 * nor Django's `*-tpl` templates.
 */
static bool env_skip_dir(int dirfd, const char *name, bool in_venvs)
{
	static const char *const names[] = {
		"venv", "env", "virtualenv", "node_modules", "site-packages", "__pycache__",
	};
	static const char *const venv_parts[] = {
		"Lib", "lib", "lib64", "bin", "Scripts", "Include", "include", "share",
		"site-packages", "node_modules", "__pycache__",
	};
	size_t i, n = strlen(name);

	if (name[0] == '.' || (n > 4 && strcmp(name + n - 4, "-tpl") == 0))
		return true;
	if (in_venvs) {
		for (i = 0; i < sizeof(venv_parts) / sizeof(venv_parts[0]); i++)
			if (strcmp(name, venv_parts[i]) == 0)
				return true;
		return false;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return env_is_venv(dirfd);
}

/* Subfolders of `rel` (below rootfd) worth searching, as sorted paths
 * relative to the root. Symlinks are not folders here. */
static int env_list_subdirs(int rootfd, const char *rel, bool in_venvs, struct strlist *out)
{
	struct strlist names = { NULL, 0, 0 };
	struct dirent *de;
	struct stat st;
	DIR *d = NULL;
	char *path = NULL;
	size_t seen = 0, i;
	int fd = -1, sub = -1;
	int rc = -1;

	fd = env_open_beneath(rootfd, rel, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		rc = 0; /* vanished or not a folder: nothing below it */
		goto done;
	}
	d = fdopendir(fd);
	if (!d) {
		err_set_errno("cannot list %s", rel);
		goto done;
	}
	fd = -1;
	while ((de = readdir(d)) != NULL && seen++ < ENV_DIR_MAX) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		if (strlist_push(&names, de->d_name) < 0)
			goto done;
	}
	strlist_sort(&names);
	for (i = 0; i < names.n; i++) {
		bool skip;

		sub = openat(dirfd(d), names.v[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		skip = env_skip_dir(sub, names.v[i], in_venvs);
		close(sub);
		sub = -1;
		if (skip)
			continue;
		free(path);
		if (asprintf(&path, "%s%s%s", rel, *rel ? "/" : "", names.v[i]) < 0) {
			path = NULL;
			err_set("out of memory");
			goto done;
		}
		if (strlist_push(out, path) < 0)
			goto done;
	}
	rc = 0;
done:
	if (d)
		closedir(d);
	if (fd >= 0)
		close(fd);
	free(path);
	strlist_free(&names);
	return rc;
}

/*
 * The settings module manage.py names ("mysite.settings"), as a path
 * ("mysite/settings"), or NULL. Read with a ceiling, parsed loosely: the
 * first quoted dotted name after DJANGO_SETTINGS_MODULE.
 */
static char *env_settings_path(int rootfd, const char *manage_rel)
{
	struct gbuf b = GBUF_INIT(ENV_MANAGE_MAX);
	char chunk[8192];
	const char *p, *end;
	char *out = NULL, *q;
	char quote;
	ssize_t n;
	int fd;

	fd = env_open_beneath(rootfd, manage_rel, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		goto done;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 && !b.truncated)
		if (gbuf_add(&b, chunk, (size_t)n) < 0)
			goto done;
	p = b.data ? strstr(b.data, "DJANGO_SETTINGS_MODULE") : NULL;
	if (!p)
		goto done;
	p += strlen("DJANGO_SETTINGS_MODULE");
	if (*p == '\'' || *p == '"')
		p++; /* the key's own closing quote */
	for (end = p; *end && end - p < 200 && *end != '\'' && *end != '"'; end++)
		;
	if (*end != '\'' && *end != '"')
		goto done;
	quote = *end;
	p = end + 1;
	end = strchr(p, quote);
	if (!end || end == p || end - p > 200)
		goto done;
	out = strndup(p, (size_t)(end - p));
	if (!out)
		goto done;
	for (q = out; *q; q++) {
		if (*q == '.') {
			*q = '/';
		} else if (!isalnum((unsigned char)*q) && *q != '_') {
			free(out);
			out = NULL;
			goto done;
		}
	}
done:
	if (fd >= 0)
		close(fd);
	gbuf_release(&b);
	return out;
}

/* Does candidate folder `rel` hold the settings module its manage.py names? */
static bool env_has_settings(int rootfd, const char *rel)
{
	char *manage = NULL, *mod = NULL, *a = NULL, *b = NULL;
	bool yes = false;

	if (asprintf(&manage, "%s%smanage.py", rel, *rel ? "/" : "") < 0) {
		manage = NULL;
		goto done;
	}
	mod = env_settings_path(rootfd, manage);
	if (!mod)
		goto done;
	if (asprintf(&a, "%s%s%s.py", rel, *rel ? "/" : "", mod) < 0) {
		a = NULL;
		goto done;
	}
	if (asprintf(&b, "%s%s%s/__init__.py", rel, *rel ? "/" : "", mod) < 0) {
		b = NULL;
		goto done;
	}
	yes = env_is_regular(rootfd, a) || env_is_regular(rootfd, b);
done:
	free(manage);
	free(mod);
	free(a);
	free(b);
	return yes;
}

/* Does `rel` (below rootfd) hold manage.py? 1 yes, 0 no, -1 + err. */
static int env_holds_manage(int rootfd, const char *rel)
{
	char *manage = NULL;
	int yes;

	if (asprintf(&manage, "%s%smanage.py", rel, *rel ? "/" : "") < 0)
		return err_set("out of memory");
	yes = env_is_regular(rootfd, manage);
	free(manage);
	return yes;
}

/* Breadth first from the root, `depth_max` folders down: the shallowest
 * folders holding manage.py, into *found, and with `all` every one, the
 * shallowest first (each depth in sorted order). ENV_FIND_DEPTH is how
 * deep a project may be (contracts §2); ENV_NAME_DEPTH how deep one is
 * looked for only to be named in the diagnosis. */
#define ENV_FIND_DEPTH 3
#define ENV_NAME_DEPTH 6
static int env_find_manage(int rootfd, bool in_venvs, int depth_max, bool all, struct strlist *found)
{
	struct strlist level = { NULL, 0, 0 }, next = { NULL, 0, 0 };
	size_t i;
	int depth;
	int rc = -1;

	if (strlist_push(&level, "") < 0)
		goto done;
	for (depth = 0; depth <= depth_max && (all || !found->n); depth++) {
		for (i = 0; i < level.n; i++) {
			int hit = env_holds_manage(rootfd, level.v[i]);

			if (hit < 0 || (hit && strlist_push(found, level.v[i]) < 0))
				goto done;
		}
		if ((found->n && !all) || depth == depth_max)
			break;
		for (i = 0; i < level.n; i++)
			if (env_list_subdirs(rootfd, level.v[i], in_venvs, &next) < 0)
				goto done;
		strlist_free(&level);
		level = next;
		next.v = NULL;
		next.n = next.cap = 0;
	}
	rc = 0;
done:
	strlist_free(&level);
	strlist_free(&next);
	return rc;
}

/* The project among `found` (every manage.py folder, shallowest first):
 * the shallowest, in sorted order, preferring one whose settings module
 * is there. */
static const char *env_pick(int rootfd, const struct strlist *found)
{
	size_t i, depth = strlen(found->v[0]) ? 1 : 0, d;
	const char *p;

	for (p = found->v[0]; *p; p++)
		depth += *p == '/';
	for (i = 0; i < found->n; i++) {
		for (d = *found->v[i] ? 1 : 0, p = found->v[i]; *p; p++)
			d += *p == '/';
		if (d != depth)
			break;
		if (env_has_settings(rootfd, found->v[i]))
			return found->v[i];
	}
	return found->v[0];
}

int env_find_project(const char *checkout, const char *want, char **project_dir, struct strlist *others,
		     struct gbuf *diagnosis)
{
	struct strlist found = { NULL, 0, 0 };
	const char *pick = NULL;
	int rootfd = -1;
	size_t i;
	int rc = -1;

	*project_dir = NULL;
	rootfd = open(checkout, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		err_set_errno("cannot open the checkout %s", checkout);
		goto done;
	}
	/* Named by the root's grader.yaml (routes_project): that folder, at
	 * any depth the name allows, and nothing else said. */
	if (want) {
		int hit = env_holds_manage(rootfd, want);

		if (hit < 0)
			goto done;
		if (!hit) {
			rc = gbuf_addf(diagnosis, "grader.yaml names the project folder %s, which holds no manage.py "
						  "in this commit", want) < 0 ? -1 : 1;
			goto done;
		}
		pick = want;
		goto chosen;
	}
	/* Outside virtualenvs first (a committed venv may hold a decoy
	 * manage.py); only when there is none, inside them. Every one within
	 * reach is found, so that the others can be named (h375: a course
	 * portfolio's polls tutorial was graded in place of its capstone,
	 * without a word). */
	if (env_find_manage(rootfd, false, ENV_FIND_DEPTH, true, &found) < 0 ||
	    (!found.n && env_find_manage(rootfd, true, ENV_FIND_DEPTH, true, &found) < 0))
		goto done;
	if (!found.n) {
		/* One deeper is named, with the way out (h371: a monorepo's
		 * backend/services/shop/src/manage.py, four down). */
		if (gbuf_adds(diagnosis, "no manage.py found in the repository root or up to three "
					 "folders down") < 0 ||
		    env_find_manage(rootfd, false, ENV_NAME_DEPTH, false, &found) < 0 ||
		    (found.n && gbuf_addf(diagnosis, " (there is one deeper, %s/manage.py: move the project "
					  "up, at most three folders below the root)", found.v[0]) < 0))
			goto done;
		rc = 1;
		goto done;
	}
	pick = env_pick(rootfd, &found);
	for (i = 0; others && i < found.n; i++)
		if (found.v[i] != pick && strlist_push(others, found.v[i]) < 0)
			goto done;
chosen:
	if (asprintf(project_dir, "%s%s%s", checkout, *pick ? "/" : "", pick) < 0) {
		*project_dir = NULL;
		err_set("out of memory");
		goto done;
	}
	rc = 0;
done:
	if (rootfd >= 0)
		close(rootfd);
	strlist_free(&found);
	return rc;
}
