/*
 * env.c - find the Django project in a checkout and give it a virtualenv.
 *
 * Trust boundaries: everything under the checkout is the student's. We read
 * it only through dirfds with O_NOFOLLOW on every path component, so a
 * committed symlink (requirements.txt -> /etc/shadow, a folder -> /) can
 * neither make us read grader files nor make discovery wander outside the
 * repository. The cache folder and the data folder are the grader's own.
 *
 * Environments are shared across runs: <cache>/envs/<key>, key = the first
 * 16 hex digits of sha256(normalised requirements + "\n" + sys.version).
 * One is built under a private temporary name and renamed into place only
 * once its `.grader-complete` marker is written, so a reader either sees a
 * complete env or none; two graders building the same key both succeed and
 * the loser of the rename race deletes its copy. The warm path (env already
 * there) starts no process: the interpreter's sys.version is cached, keyed
 * by the interpreter file's identity (device, inode, mtime, size).
 */
#include "env.h"
#include "err.h"
#include "proc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <iconv.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#define ENV_MARKER ".grader-complete"
#define ENV_REQ_FILE "requirements.txt"
/* Ceilings on what we read from the submission. */
#define ENV_REQ_MAX ((size_t)256 << 10)      /* one requirements file */
#define ENV_MANAGE_MAX ((size_t)64 << 10)    /* manage.py, for its settings module */
#define ENV_DIR_MAX 4096                     /* entries looked at per folder */
#define ENV_INCLUDE_DEPTH 5
/* What the installer may print before we stop keeping it, and how much of
 * its error lines reach the student. */
#define ENV_OUT_MAX ((size_t)1 << 20)
#define ENV_DIAG_MAX 2048
#define ENV_TAIL_LINES 15

static long env_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Open `rel` (components separated by '/', no "..") below `rootfd` without
 * following a symlink anywhere: every component is opened with O_NOFOLLOW,
 * so a symlinked folder or file fails with ELOOP/ENOTDIR. Returns the fd or
 * -1 with errno set (not an err_set: callers decide what a miss means).
 */
static int env_open_beneath(int rootfd, const char *rel, int flags)
{
	char part[NAME_MAX + 1];
	const char *p = rel, *slash;
	int cur = rootfd, next = -1;
	size_t n;
	int saved;

	for (;;) {
		while (*p == '/')
			p++;
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		while (slash && slash[1] == '/')
			slash++;
		if (n == 0 || (n == 1 && p[0] == '.')) {
			if (!slash || !slash[1]) {
				/* "" or "." or "a/": the folder reached so far. */
				next = openat(cur, ".", flags | O_CLOEXEC);
				break;
			}
			p = slash + 1;
			continue;
		}
		if (n > NAME_MAX || (n == 2 && p[0] == '.' && p[1] == '.')) {
			errno = n > NAME_MAX ? ENAMETOOLONG : EXDEV;
			next = -1;
			break;
		}
		memcpy(part, p, n);
		part[n] = '\0';
		if (!slash || !slash[1]) {
			next = openat(cur, part, flags | O_NOFOLLOW | O_CLOEXEC);
			break;
		}
		next = openat(cur, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (cur != rootfd) {
			saved = errno;
			close(cur);
			errno = saved;
		}
		if (next < 0)
			return -1;
		cur = next;
		next = -1;
		p = slash + 1;
	}
	if (cur != rootfd) {
		saved = errno;
		close(cur);
		errno = saved;
	}
	return next;
}

/* Is rel (below rootfd, no symlinks) a regular file? */
static bool env_is_regular(int rootfd, const char *rel)
{
	struct stat st;
	int fd = env_open_beneath(rootfd, rel, O_RDONLY | O_NONBLOCK);
	bool yes = false;

	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		yes = true;
	if (fd >= 0)
		close(fd);
	return yes;
}

/* ---- project discovery ---------------------------------------------- */

struct env_names {
	char **v;
	size_t n, cap;
};

static void env_names_free(struct env_names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static int env_names_push(struct env_names *l, const char *s)
{
	char **nv;
	char *dup = NULL;

	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;

		nv = realloc(l->v, ncap * sizeof(*nv));
		if (!nv)
			return err_set("out of memory");
		l->v = nv;
		l->cap = ncap;
	}
	dup = strdup(s);
	if (!dup)
		return err_set("out of memory");
	l->v[l->n++] = dup;
	return 0;
}

static int env_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Folders discovery never enters: dot-folders, caches, dependencies, and
 * anything that looks like a committed virtualenv (which holds other
 * projects' files, sometimes a manage.py-shaped template).
 */
static bool env_skip_dir(int dirfd, const char *name)
{
	static const char *const names[] = {
		"venv", "env", "virtualenv", "node_modules", "site-packages", "__pycache__",
	};
	size_t i;

	if (name[0] == '.')
		return true;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return env_is_regular(dirfd, "pyvenv.cfg") || env_is_regular(dirfd, "bin/activate") ||
	       env_is_regular(dirfd, "Scripts/activate");
}

/* Subfolders of `rel` (below rootfd) worth searching, as sorted paths
 * relative to the root. Symlinks are not folders here. */
static int env_list_subdirs(int rootfd, const char *rel, struct env_names *out)
{
	struct env_names names = { NULL, 0, 0 };
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
		if (env_names_push(&names, de->d_name) < 0)
			goto done;
	}
	if (names.n > 1)
		qsort(names.v, names.n, sizeof(*names.v), env_cmp_names);
	for (i = 0; i < names.n; i++) {
		bool skip;

		sub = openat(dirfd(d), names.v[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		skip = env_skip_dir(sub, names.v[i]);
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
		if (env_names_push(out, path) < 0)
			goto done;
	}
	rc = 0;
done:
	if (d)
		closedir(d);
	if (fd >= 0)
		close(fd);
	free(path);
	env_names_free(&names);
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

int env_find_project(const char *checkout, char **project_dir, struct gbuf *diagnosis)
{
	struct env_names level = { NULL, 0, 0 }, next = { NULL, 0, 0 }, found = { NULL, 0, 0 };
	const char *pick = NULL;
	int rootfd = -1;
	size_t i;
	int depth;
	int rc = -1;

	*project_dir = NULL;
	rootfd = open(checkout, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		err_set_errno("cannot open the checkout %s", checkout);
		goto done;
	}
	if (env_names_push(&level, "") < 0)
		goto done;
	/* Breadth first: the shallowest manage.py wins; within a depth,
	 * sorted order, preferring one whose settings module is there. */
	for (depth = 0; depth <= 2 && !found.n; depth++) {
		for (i = 0; i < level.n; i++) {
			char *manage = NULL;
			bool hit;

			if (asprintf(&manage, "%s%smanage.py", level.v[i], *level.v[i] ? "/" : "") < 0) {
				err_set("out of memory");
				goto done;
			}
			hit = env_is_regular(rootfd, manage);
			free(manage);
			if (hit && env_names_push(&found, level.v[i]) < 0)
				goto done;
		}
		if (found.n || depth == 2)
			break;
		for (i = 0; i < level.n; i++)
			if (env_list_subdirs(rootfd, level.v[i], &next) < 0)
				goto done;
		env_names_free(&level);
		level = next;
		next.v = NULL;
		next.n = next.cap = 0;
	}
	if (!found.n) {
		if (gbuf_adds(diagnosis, "no manage.py found in the repository root or up to two "
					 "folders down") < 0)
			goto done;
		rc = 1;
		goto done;
	}
	pick = found.v[0];
	for (i = 0; found.n > 1 && i < found.n; i++) {
		if (env_has_settings(rootfd, found.v[i])) {
			pick = found.v[i];
			break;
		}
	}
	if (asprintf(project_dir, "%s%s%s", checkout, *pick ? "/" : "", pick) < 0) {
		*project_dir = NULL;
		err_set("out of memory");
		goto done;
	}
	rc = 0;
done:
	if (rootfd >= 0)
		close(rootfd);
	env_names_free(&level);
	env_names_free(&next);
	env_names_free(&found);
	return rc;
}

/* ---- requirements --------------------------------------------------- */

/*
 * Decode a requirements file to UTF-8: a UTF-8 BOM is dropped, UTF-16 with
 * a BOM (what Windows editors and `pip freeze > requirements.txt` in
 * PowerShell produce) is converted with iconv. Returns 0, 1 (not text:
 * diagnosis), -1.
 */
static int env_decode(const struct gbuf *raw, const char *name, struct gbuf *out,
		      struct gbuf *diagnosis)
{
	const unsigned char *u = (const unsigned char *)raw->data;
	const char *from = NULL;
	iconv_t cd = (iconv_t)-1;
	char *in, *obuf = NULL, *op;
	size_t inleft, oleft, cap;
	int rc = -1;

	if (raw->len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		if (gbuf_add(out, raw->data + 3, raw->len - 3) < 0)
			goto done;
	} else if (raw->len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		from = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
		cd = iconv_open("UTF-8", from);
		if (cd == (iconv_t)-1) {
			err_set_errno("iconv_open(%s)", from);
			goto done;
		}
		in = raw->data + 2;
		inleft = raw->len - 2;
		cap = inleft * 2 + 16; /* each UTF-16 unit is at most 3 UTF-8 bytes per 2 */
		obuf = malloc(cap);
		if (!obuf) {
			err_set("out of memory");
			goto done;
		}
		op = obuf;
		oleft = cap;
		if (iconv(cd, &in, &inleft, &op, &oleft) == (size_t)-1) {
			if (gbuf_addf(diagnosis, "%s is not valid UTF-16", name) < 0)
				goto done;
			rc = 1;
			goto done;
		}
		if (gbuf_add(out, obuf, (size_t)(op - obuf)) < 0)
			goto done;
	} else if (raw->len && gbuf_add(out, raw->data, raw->len) < 0) {
		goto done;
	}
	if (out->len && memchr(out->data, '\0', out->len)) {
		if (gbuf_addf(diagnosis, "%s is not a text file", name) < 0)
			goto done;
		rc = 1;
		goto done;
	}
	rc = 0;
done:
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	free(obuf);
	return rc;
}

/* Join dir (relative, may be "") and an include path lexically; NULL when
 * it is absolute or climbs out of the root. */
static char *env_join_inside(const char *dir, const char *inc)
{
	struct gbuf b = GBUF_INIT(4096);
	char *work = NULL, *tok, *save = NULL, *out = NULL;
	char **parts = NULL;
	size_t n = 0, i;

	if (inc[0] == '/' || asprintf(&work, "%s/%s", dir, inc) < 0) {
		work = NULL;
		goto done;
	}
	parts = calloc(strlen(work) + 1, sizeof(*parts));
	if (!parts)
		goto done;
	for (tok = strtok_r(work, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			if (n == 0)
				goto done;
			n--;
			continue;
		}
		parts[n++] = tok;
	}
	if (n == 0)
		goto done;
	for (i = 0; i < n; i++)
		if ((i && gbuf_addch(&b, '/') < 0) || gbuf_adds(&b, parts[i]) < 0)
			goto done;
	out = gbuf_detach(&b, NULL);
done:
	gbuf_release(&b);
	free(parts);
	free(work);
	return out;
}

/* Value of a "-r X" / "-rX" / "--requirement X" / "--requirement=X" line
 * (same for -c / --constraint), or NULL when the line is not that option. */
static const char *env_option_value(const char *line, const char *shortopt, const char *longopt)
{
	size_t ls = strlen(shortopt), ll = strlen(longopt);
	const char *v;

	if (strncmp(line, longopt, ll) == 0 && (line[ll] == '=' || isspace((unsigned char)line[ll])))
		v = line + ll + 1;
	else if (strncmp(line, shortopt, ls) == 0 && line[ls] && line[ls] != '-')
		v = line + ls;
	else
		return NULL;
	while (*v == '=' || isspace((unsigned char)*v))
		v++;
	return v;
}

struct env_reqs {
	int rootfd;            /* the tree includes must stay in */
	const char *rootname;  /* for messages */
	struct gbuf *out;
	struct gbuf *diag;
};

static int env_read_req_file(struct env_reqs *r, const char *rel, int depth);

/* Normalise one decoded file's text into r->out. */
static int env_normalise(struct env_reqs *r, const char *rel, char *text, int depth)
{
	struct gbuf line = GBUF_INIT(ENV_REQ_MAX);
	char *p = text, *nl, *s, *e, *dir = NULL, *inc = NULL, *slash;
	const char *v;
	size_t i;
	int sub;
	int rc = -1;

	dir = strdup(rel);
	if (!dir) {
		err_set("out of memory");
		goto done;
	}
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		dir[0] = '\0';
	while (p && *p) {
		/* One logical line: physical lines ending in '\' continue. */
		gbuf_reset(&line);
		for (;;) {
			size_t n;

			nl = strchr(p, '\n');
			n = nl ? (size_t)(nl - p) : strlen(p);
			if (n && p[n - 1] == '\r')
				n--;
			if (n && p[n - 1] == '\\') {
				if (gbuf_add(&line, p, n - 1) < 0)
					goto done;
				p = nl ? nl + 1 : NULL;
				if (p && *p)
					continue;
				break;
			}
			if (gbuf_add(&line, p, n) < 0)
				goto done;
			p = nl ? nl + 1 : NULL;
			break;
		}
		if (!line.data)
			continue;
		/* pip's comment rule: '#' at the start or after whitespace
		 * (so URL fragments like #egg=name survive). */
		for (i = 0; i < line.len; i++)
			if (line.data[i] == '#' && (i == 0 || isspace((unsigned char)line.data[i - 1]))) {
				line.data[i] = '\0';
				line.len = i;
				break;
			}
		s = line.data;
		while (*s && isspace((unsigned char)*s))
			s++;
		e = s + strlen(s);
		while (e > s && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (!*s)
			continue;
		if (env_option_value(s, "-c", "--constraint")) {
			if (gbuf_adds(r->diag, "constraints files (-c) are not supported in requirements; "
					       "pin the versions in requirements.txt itself") < 0)
				goto done;
			rc = 1;
			goto done;
		}
		v = env_option_value(s, "-r", "--requirement");
		if (v) {
			free(inc);
			inc = *v ? env_join_inside(dir, v) : NULL;
			if (!inc) {
				if (gbuf_adds(r->diag, "requirements include '") < 0 ||
				    gbuf_add_excerpt(r->diag, v, strlen(v), 200) < 0 ||
				    gbuf_adds(r->diag, "' is outside the repository") < 0)
					goto done;
				rc = 1;
				goto done;
			}
			if (depth >= ENV_INCLUDE_DEPTH) {
				if (gbuf_addf(r->diag, "requirements includes (-r) nest deeper than %d",
					      ENV_INCLUDE_DEPTH) < 0)
					goto done;
				rc = 1;
				goto done;
			}
			sub = env_read_req_file(r, inc, depth + 1);
			if (sub != 0) {
				rc = sub;
				goto done;
			}
			continue;
		}
		if (gbuf_adds(r->out, s) < 0 || gbuf_addch(r->out, '\n') < 0)
			goto done;
	}
	if (r->out->truncated) {
		if (gbuf_adds(r->diag, "the requirements are too long") < 0)
			goto done;
		rc = 1;
		goto done;
	}
	rc = 0;
done:
	gbuf_release(&line);
	free(dir);
	free(inc);
	return rc;
}

/* Read, decode and normalise rel (below r->rootfd, no symlinks). */
static int env_read_req_file(struct env_reqs *r, const char *rel, int depth)
{
	struct gbuf raw = GBUF_INIT(ENV_REQ_MAX);
	struct gbuf text = GBUF_INIT(ENV_REQ_MAX * 2);
	struct stat st;
	char chunk[8192];
	ssize_t n;
	int fd = -1;
	int rc = -1;

	fd = env_open_beneath(r->rootfd, rel, O_RDONLY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (gbuf_adds(r->diag, "cannot read the requirements file ") < 0 ||
		    gbuf_add_excerpt(r->diag, rel, strlen(rel), 200) < 0 ||
		    gbuf_adds(r->diag, fd < 0 && (errno == ELOOP || errno == ENOTDIR)
					       ? " (a symbolic link: commit the file itself)"
					       : fd < 0 && errno == ENOENT ? " (no such file)"
									   : " (not a regular file)") < 0)
			goto done;
		rc = 1;
		goto done;
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set_errno("cannot read %s", rel);
			goto done;
		}
		if (n == 0 || raw.truncated)
			break;
		if (gbuf_add(&raw, chunk, (size_t)n) < 0)
			goto done;
	}
	if (raw.truncated) {
		if (gbuf_adds(r->diag, "the requirements file ") < 0 ||
		    gbuf_add_excerpt(r->diag, rel, strlen(rel), 200) < 0 ||
		    gbuf_addf(r->diag, " is larger than %zu KiB", ENV_REQ_MAX >> 10) < 0)
			goto done;
		rc = 1;
		goto done;
	}
	rc = env_decode(&raw, rel, &text, r->diag);
	if (rc != 0)
		goto done;
	rc = -1;
	if (gbuf_addch(&text, '\0') < 0) /* make data non-NULL even when empty */
		goto done;
	rc = env_normalise(r, rel, text.data, depth);
done:
	if (fd >= 0)
		close(fd);
	gbuf_release(&raw);
	gbuf_release(&text);
	return rc;
}

int env_read_requirements(const char *checkout, const char *project_dir, const char *datadir,
			  struct gbuf *normalised, char **source_path, struct gbuf *diagnosis)
{
	struct env_reqs r = { -1, NULL, normalised, diagnosis };
	char *rel = NULL, *runtime = NULL;
	const char *chosen = NULL;
	size_t clen = strlen(checkout);
	int rc = -1;

	*source_path = NULL;
	while (clen > 1 && checkout[clen - 1] == '/')
		clen--;
	if (strncmp(project_dir, checkout, clen) != 0 ||
	    (project_dir[clen] != '\0' && project_dir[clen] != '/')) {
		err_set("project folder %s is not inside the checkout %s", project_dir, checkout);
		goto done;
	}
	r.rootfd = open(checkout, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r.rootfd < 0) {
		err_set_errno("cannot open the checkout %s", checkout);
		goto done;
	}
	/* Beside manage.py first, then the root. A symlink there is not
	 * "absent": it is reported, so the student knows why it was ignored. */
	if (asprintf(&rel, "%s/" ENV_REQ_FILE, project_dir + clen) < 0) {
		rel = NULL;
		err_set("out of memory");
		goto done;
	}
	{
		struct stat st;
		const char *cands[2] = { rel, ENV_REQ_FILE };
		int i;

		for (i = 0; i < 2 && !chosen; i++) {
			int fd = env_open_beneath(r.rootfd, cands[i], O_RDONLY | O_NONBLOCK);

			if (fd >= 0) {
				close(fd);
				chosen = cands[i];
			} else if (errno != ENOENT && fstatat(r.rootfd, cands[i] + (cands[i][0] == '/'),
							      &st, AT_SYMLINK_NOFOLLOW) == 0) {
				chosen = cands[i]; /* exists but unreadable: let the reader explain */
			}
		}
	}
	if (chosen) {
		while (*chosen == '/')
			chosen++;
		r.rootname = checkout;
		if (asprintf(source_path, "%s/%s", checkout, chosen) < 0) {
			*source_path = NULL;
			err_set("out of memory");
			goto done;
		}
		rc = env_read_req_file(&r, chosen, 0);
		goto done;
	}
	/* Nothing declared: the grader's own default runtime. */
	close(r.rootfd);
	if (asprintf(&runtime, "%s/runtime", datadir) < 0) {
		runtime = NULL;
		r.rootfd = -1;
		err_set("out of memory");
		goto done;
	}
	r.rootfd = open(runtime, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r.rootfd < 0) {
		err_set_errno("cannot open the default runtime folder %s", runtime);
		goto done;
	}
	r.rootname = runtime;
	if (asprintf(source_path, "%s/" ENV_REQ_FILE, runtime) < 0) {
		*source_path = NULL;
		err_set("out of memory");
		goto done;
	}
	rc = env_read_req_file(&r, ENV_REQ_FILE, 0);
	if (rc == 1) /* our own file is broken: that is the grader's fault */
		rc = err_set("default runtime %s: %s", *source_path, gbuf_str(diagnosis));
done:
	if (r.rootfd >= 0)
		close(r.rootfd);
	if (rc != 0) {
		free(*source_path);
		*source_path = NULL;
	}
	free(rel);
	free(runtime);
	return rc;
}

/* ---- interpreters --------------------------------------------------- */

/* argv[0]-style lookup of an executable in $PATH; malloc'd or NULL. */
static char *env_which(const char *name)
{
	const char *path = getenv("PATH");
	char *copy = NULL, *tok, *save = NULL, *cand = NULL, *found = NULL;

	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? strdup(name) : NULL;
	if (!path || !*path)
		return NULL;
	copy = strdup(path);
	if (!copy)
		return NULL;
	for (tok = strtok_r(copy, ":", &save); tok && !found; tok = strtok_r(NULL, ":", &save)) {
		struct stat st;

		if (!*tok)
			continue;
		if (asprintf(&cand, "%s/%s", tok, name) < 0) {
			cand = NULL;
			break;
		}
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0) {
			found = cand;
			cand = NULL;
		}
		free(cand);
		cand = NULL;
	}
	free(copy);
	return found;
}

/* opts.python, else $GRADER_PYTHON, else /usr/bin/python3, else PATH. */
static int env_base_python(const struct env_opts *o, char **out)
{
	const char *want = o->python;
	const char *envp = getenv("GRADER_PYTHON");

	if (!want && envp && *envp)
		want = envp;
	if (!want && access("/usr/bin/python3", X_OK) == 0)
		want = "/usr/bin/python3";
	*out = env_which(want ? want : "python3");
	if (!*out)
		return err_set("no Python interpreter found (%s); set GRADER_PYTHON",
			       want ? want : "python3 not in PATH");
	return 0;
}

static int env_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
		return err_set("sha256 failed");
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

/* mkdir -p for the grader's own cache folders. */
static int env_mkdirs(const char *path)
{
	char *p = strdup(path), *s;
	int rc = -1;

	if (!p)
		return err_set("out of memory");
	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0755) < 0 && errno != EEXIST) {
				err_set_errno("cannot create %s", p);
				goto done;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	rc = 0;
done:
	free(p);
	return rc;
}

/* Write path atomically (unique tmp + rename): readers never see half a
 * file, and concurrent writers (threads or graders) never share a tmp. */
static int env_write_file(const char *path, const char *data, size_t len)
{
	char *tmp = NULL;
	FILE *f = NULL;
	int fd = -1;
	int rc = -1;

	if (asprintf(&tmp, "%s.tmp-XXXXXX", path) < 0) {
		tmp = NULL;
		err_set("out of memory");
		goto done;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err_set_errno("cannot create %s", tmp);
		free(tmp);
		tmp = NULL;
		goto done;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err_set_errno("cannot write %s", tmp);
		goto done;
	}
	fd = -1;
	if (fchmod(fileno(f), 0644) < 0 || (len && fwrite(data, 1, len, f) != len)) {
		err_set_errno("cannot write %s", tmp);
		goto done;
	}
	if (fclose(f) != 0) {
		f = NULL;
		err_set_errno("cannot write %s", tmp);
		goto done;
	}
	f = NULL;
	if (rename(tmp, path) < 0) {
		err_set_errno("cannot rename %s", tmp);
		goto done;
	}
	rc = 0;
done:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (rc < 0 && tmp)
		unlink(tmp);
	free(tmp);
	return rc;
}

/*
 * sys.version of `python`, from <envs>/.python-versions/<hash of path> when
 * the interpreter file is unchanged (same dev, inode, mtime, size), else by
 * asking it once. The cache is what keeps the warm path process-free.
 */
static int env_python_version(const char *envs, const char *python, char **version)
{
	static const char marker[] = "GRADER-VERSION:";
	struct gbuf cached = GBUF_INIT(4096);
	struct gbuf out = GBUF_INIT(64 << 10);
	struct gbuf rec = GBUF_INIT(8192);
	struct proc_result pr;
	struct stat st;
	char hex[65], ident[160];
	char *dir = NULL, *file = NULL;
	const char *p, *nl;
	int rc = -1;

	*version = NULL;
	if (stat(python, &st) < 0) {
		err_set_errno("cannot stat %s", python);
		goto done;
	}
	snprintf(ident, sizeof(ident), "%llu %llu %lld.%09ld %lld\n", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		 (long long)st.st_size);
	if (env_sha256_hex(python, strlen(python), hex) < 0)
		goto done;
	hex[16] = '\0';
	if (asprintf(&dir, "%s/.python-versions", envs) < 0) {
		dir = NULL;
		err_set("out of memory");
		goto done;
	}
	if (asprintf(&file, "%s/%s", dir, hex) < 0) {
		file = NULL;
		err_set("out of memory");
		goto done;
	}
	if (access(file, R_OK) == 0 && gbuf_read_file(&cached, file) == 0 && cached.data &&
	    strncmp(cached.data, ident, strlen(ident)) == 0) {
		p = cached.data + strlen(ident);
		nl = strchr(p, '\n');
		if (nl && nl > p) {
			*version = strndup(p, (size_t)(nl - p));
			if (!*version) {
				err_set("out of memory");
				goto done;
			}
			rc = 0;
			goto done;
		}
	}
	err_clear();
	{
		/* -I: no user site, no PYTHON* variables, no cwd on sys.path.
		 * The marker separates the answer from any warnings. */
		const char *const argv[] = {
			python, "-I", "-c",
			"import sys;print('GRADER-VERSION:'+sys.version.replace('\\n',' '))", NULL,
		};

		if (proc_run(argv, NULL, NULL, 60000, &out, &pr) < 0)
			goto done;
	}
	p = out.data ? strstr(out.data, marker) : NULL;
	if (pr.timed_out || pr.signaled || pr.exit_code != 0 || !p) {
		err_set("%s does not run: %s", python, gbuf_str(&out));
		goto done;
	}
	p += strlen(marker);
	nl = strchr(p, '\n');
	*version = strndup(p, nl ? (size_t)(nl - p) : strlen(p));
	if (!*version) {
		err_set("out of memory");
		goto done;
	}
	/* Best effort: a cache we cannot write only costs the next run a
	 * process start. */
	if (env_mkdirs(dir) == 0 && gbuf_addf(&rec, "%s%s\n", ident, *version) == 0)
		env_write_file(file, rec.data, rec.len);
	err_clear();
	rc = 0;
done:
	if (rc < 0) {
		free(*version);
		*version = NULL;
	}
	gbuf_release(&cached);
	gbuf_release(&out);
	gbuf_release(&rec);
	free(dir);
	free(file);
	return rc;
}

/* ---- building ------------------------------------------------------- */

static int env_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* rm -rf that never follows a symlink (FTW_PHYS) nor crosses a mount. */
static int env_remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : err_set_errno("cannot remove %s", path);
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 ? err_set_errno("cannot remove %s", path) : 0;
	if (nftw(path, env_rm_one, 32, FTW_PHYS | FTW_DEPTH | FTW_MOUNT) != 0)
		return err_set_errno("cannot remove %s", path);
	return 0;
}

/*
 * The installer's own words for the student: lines mentioning ERROR (pip)
 * or starting with "error" (uv); when there are none, the last lines.
 * Capped at ENV_DIAG_MAX bytes; each line excerpted (control characters
 * and invalid UTF-8 neutralised).
 */
static int env_add_installer_errors(struct gbuf *diag, const struct gbuf *out)
{
	const char *s = gbuf_str(out), *end = s + out->len, *p, *nl;
	const char *starts[ENV_TAIL_LINES];
	size_t lens[ENV_TAIL_LINES];
	size_t nerr = 0, ntail = 0, start_len = diag->len, i, k;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (p = s; p < end; p = nl + 1) {
			const char *t;
			size_t n;

			nl = memchr(p, '\n', (size_t)(end - p));
			if (!nl)
				nl = end;
			n = (size_t)(nl - p);
			for (t = p; t < nl && isspace((unsigned char)*t); t++)
				;
			if (t == nl)
				continue;
			if (pass == 0) {
				bool is_err = memmem(p, n, "ERROR", 5) != NULL ||
					      ((size_t)(nl - t) >= 5 && strncasecmp(t, "error", 5) == 0);

				if (!is_err)
					continue;
				if (diag->len - start_len + n > ENV_DIAG_MAX)
					return 0;
				if (gbuf_add_excerpt(diag, p, n, ENV_DIAG_MAX) < 0 || gbuf_addch(diag, '\n') < 0)
					return -1;
				nerr++;
			} else {
				starts[ntail % ENV_TAIL_LINES] = p;
				lens[ntail % ENV_TAIL_LINES] = n;
				ntail++;
			}
		}
		if (nerr)
			break;
	}
	if (!nerr) {
		k = ntail > ENV_TAIL_LINES ? ntail - ENV_TAIL_LINES : 0;
		for (i = k; i < ntail; i++) {
			size_t n = lens[i % ENV_TAIL_LINES];

			if (diag->len - start_len + n > ENV_DIAG_MAX)
				break;
			if (gbuf_add_excerpt(diag, starts[i % ENV_TAIL_LINES], n, ENV_DIAG_MAX) < 0 ||
			    gbuf_addch(diag, '\n') < 0)
				return -1;
		}
		if (!ntail && gbuf_adds(diag, "(the installer printed nothing)\n") < 0)
			return -1;
	}
	/* Drop the final newline: callers add their own framing. */
	if (diag->len > start_len && diag->data[diag->len - 1] == '\n')
		diag->data[--diag->len] = '\0';
	return 0;
}

static long env_left_ms(long deadline)
{
	long left = deadline - env_now_ms();

	return left > 1 ? left : 1;
}

/*
 * Build the env in `tmp`: venv, then (when anything is required) install.
 * 0 built, 1 the install failed (diagnosis), -1 the grader broke (no venv).
 */
static int env_build(const char *tmp, const char *base, const struct gbuf *reqs, long deadline,
		     long timeout_ms, struct gbuf *diagnosis)
{
	struct gbuf out = GBUF_INIT(ENV_OUT_MAX);
	struct proc_result pr;
	char *uv = env_which("uv");
	char *py = NULL, *reqfile = NULL;
	int rc = -1;

	if (asprintf(&py, "%s/bin/python", tmp) < 0 || asprintf(&reqfile, "%s/" ENV_REQ_FILE, tmp) < 0) {
		err_set("out of memory");
		goto done;
	}
	{
		/* Nothing to install: no pip in the env either, which keeps
		 * an empty requirement set fast. */
		const char *const pyv[] = {
			base, "-m", "venv", reqs->len ? tmp : "--without-pip", reqs->len ? NULL : tmp, NULL,
		};
		const char *const uvv[] = { uv, "venv", "-q", "--python", base, tmp, NULL };

		if (proc_run(uv ? uvv : pyv, NULL, NULL, env_left_ms(deadline), &out, &pr) < 0)
			goto done;
	}
	if (pr.timed_out || pr.signaled || pr.exit_code != 0 || access(py, X_OK) != 0) {
		err_set("creating a virtualenv with %s failed: %.400s", base, gbuf_str(&out));
		goto done;
	}
	/* The normalised requirements live in the env: what it was built
	 * from, and the only file the installer reads. */
	if (env_write_file(reqfile, reqs->len ? reqs->data : "", reqs->len) < 0)
		goto done;
	if (reqs->len) {
		const char *const pipv[] = {
			py, "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
			"-q", "-r", reqfile, NULL,
		};
		const char *const uvv[] = { uv, "pip", "install", "-q", "--python", py, "-r", reqfile, NULL };

		gbuf_reset(&out);
		/* cwd = the env: relative paths in requirements resolve to
		 * nothing of the grader's. */
		if (proc_run(uv ? uvv : pipv, NULL, tmp, env_left_ms(deadline), &out, &pr) < 0)
			goto done;
		if (pr.timed_out) {
			if (gbuf_addf(diagnosis, "installing the requirements took longer than %ld s",
				      timeout_ms / 1000) < 0)
				goto done;
			rc = 1;
			goto done;
		}
		if (pr.signaled || pr.exit_code != 0) {
			if (gbuf_adds(diagnosis, "installing the requirements failed:\n") < 0 ||
			    env_add_installer_errors(diagnosis, &out) < 0)
				goto done;
			rc = 1;
			goto done;
		}
	}
	rc = 0;
done:
	gbuf_release(&out);
	free(uv);
	free(py);
	free(reqfile);
	return rc;
}

int env_ensure(const struct env_opts *o, char **python_out, bool *reused, bool *ok,
	       struct gbuf *diagnosis)
{
	struct gbuf reqs = GBUF_INIT(ENV_REQ_MAX * 4);
	struct gbuf keysrc = GBUF_INIT(ENV_REQ_MAX * 4 + 8192);
	struct stat st;
	long timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 600000;
	long deadline = env_now_ms() + timeout_ms;
	char *source = NULL, *base = NULL, *version = NULL;
	char *envs = NULL, *final = NULL, *marker = NULL, *tmp = NULL, *tmp_marker = NULL;
	char hex[65];
	unsigned char rnd[4] = { 0 };
	bool tmp_made = false;
	int r;
	int rc = -1;

	*python_out = NULL;
	*reused = false;
	*ok = false;
	r = env_read_requirements(o->checkout, o->project_dir, o->datadir, &reqs, &source, diagnosis);
	if (r < 0)
		goto done;
	if (r == 1) {
		rc = 0;
		goto done;
	}
	if (env_base_python(o, &base) < 0)
		goto done;
	if (asprintf(&envs, "%s/envs", o->cache_dir) < 0) {
		envs = NULL;
		err_set("out of memory");
		goto done;
	}
	if (env_python_version(envs, base, &version) < 0)
		goto done;
	if (gbuf_add(&keysrc, reqs.data ? reqs.data : "", reqs.len) < 0 ||
	    gbuf_addf(&keysrc, "\n%s", version) < 0 ||
	    env_sha256_hex(keysrc.data, keysrc.len, hex) < 0)
		goto done;
	hex[16] = '\0';
	if (asprintf(&final, "%s/%s", envs, hex) < 0 || asprintf(&marker, "%s/" ENV_MARKER, final) < 0 ||
	    asprintf(python_out, "%s/bin/python", final) < 0) {
		err_set("out of memory");
		goto done;
	}

	/* Warm path: stat calls only. */
	if (lstat(marker, &st) == 0 && S_ISREG(st.st_mode) && access(*python_out, X_OK) == 0) {
		*reused = true;
		*ok = true;
		rc = 0;
		goto done;
	}

	if (env_mkdirs(envs) < 0)
		goto done;
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		err_set_errno("getrandom");
		goto done;
	}
	if (asprintf(&tmp, "%s.tmp-%d-%02x%02x%02x%02x", final, (int)getpid(), rnd[0], rnd[1], rnd[2],
		     rnd[3]) < 0 ||
	    asprintf(&tmp_marker, "%s/" ENV_MARKER, tmp) < 0) {
		err_set("out of memory");
		goto done;
	}
	tmp_made = true; /* from here on, anything at tmp is ours to delete */
	r = env_build(tmp, base, &reqs, deadline, timeout_ms, diagnosis);
	if (r < 0)
		goto done;
	if (r == 1) {
		rc = 0;
		goto done;
	}
	gbuf_reset(&keysrc);
	if (gbuf_addf(&keysrc, "key %s\npython %s\nversion %s\nrequirements %s\n", hex, base, version,
		      source) < 0 ||
	    env_write_file(tmp_marker, keysrc.data, keysrc.len) < 0)
		goto done;
	if (rename(tmp, final) < 0) {
		if (errno != EEXIST && errno != ENOTEMPTY) {
			err_set_errno("cannot rename %s to %s", tmp, final);
			goto done;
		}
		/* Someone else finished first. Theirs is complete if it has
		 * the marker (it was written before their rename); otherwise
		 * it is debris of an older grader and ours replaces it. */
		if (!(lstat(marker, &st) == 0 && S_ISREG(st.st_mode))) {
			if (env_remove_tree(final) < 0)
				goto done;
			if (rename(tmp, final) < 0) {
				err_set_errno("cannot rename %s to %s", tmp, final);
				goto done;
			}
			tmp_made = false;
		} else {
			*reused = true;
		}
	} else {
		tmp_made = false;
	}
	*ok = true;
	rc = 0;
done:
	if (tmp_made)
		env_remove_tree(tmp);
	if (rc < 0 || !*ok) {
		free(*python_out);
		*python_out = NULL;
	}
	gbuf_release(&reqs);
	gbuf_release(&keysrc);
	free(source);
	free(base);
	free(version);
	free(envs);
	free(final);
	free(marker);
	free(tmp);
	free(tmp_marker);
	return rc;
}

char *env_default_cache_dir(void)
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
