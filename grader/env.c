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
#include "sandbox.h"
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
#define ENV_LAST_USED ".grader-last-used"
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

/* ---- what cannot install here --------------------------------------- */

/* PEP 503 comparison of a distribution name (case, and -_. all alike). */
static bool env_name_eq(const char *name, size_t n, const char *want)
{
	size_t i;

	if (strlen(want) != n)
		return false;
	for (i = 0; i < n; i++) {
		char a = (char)tolower((unsigned char)name[i]), b = want[i];

		if (a == '_' || a == '.')
			a = '-';
		if (a != b)
			return false;
	}
	return true;
}

static size_t env_name_len(const char *s)
{
	size_t n = 0;

	if (!isalnum((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '-' || s[n] == '_' || s[n] == '.')
		n++;
	return n;
}

/*
 * Does a PEP 508 marker (the text after ';') select Windows only? Only a
 * conjunction is judged: `sys_platform == "win32" and python_version < "3.12"`
 * is Windows-only, `sys_platform == "win32" or ...` might not be, and is kept
 * (pip evaluates markers itself; this filter only spares it the packages that
 * would fail to build before it gets that far).
 */
static bool env_marker_windows_only(const char *marker)
{
	static const char *const clauses[] = {
		"sys_platform==\"win32\"", "sys_platform=='win32'", "platform_system==\"windows\"",
		"platform_system=='windows'", "os_name==\"nt\"", "os_name=='nt'",
	};
	char compact[512];
	size_t n = 0, i;
	const char *p;

	for (p = marker; *p && n + 1 < sizeof(compact); p++)
		if (!isspace((unsigned char)*p))
			compact[n++] = (char)tolower((unsigned char)*p);
	compact[n] = '\0';
	/* " or " vanished with the spaces; look for it in the original. */
	for (p = marker; (p = strcasestr(p, "or")) != NULL; p += 2)
		if ((p == marker || isspace((unsigned char)p[-1]) || p[-1] == ')') &&
		    (isspace((unsigned char)p[2]) || p[2] == '('))
			return false;
	for (i = 0; i < sizeof(clauses) / sizeof(clauses[0]); i++)
		if (strstr(compact, clauses[i]))
			return true;
	return false;
}

/*
 * Append one requirement line to `out`, adjusted for a Linux grader:
 * - pywin32, pypiwin32, pywinpty and anything whose marker selects Windows
 *   only are dropped: they cannot install on Linux, and a project that runs
 *   there never imports them.
 * - psycopg2 becomes psycopg2-binary with the same version and marker: the
 *   source package needs pg_config and a compiler, the binary wheel is the
 *   same module. Nothing else is dropped: a package the project imports
 *   (whitenoise in MIDDLEWARE, gunicorn in a wsgi helper) must be there.
 * Option lines (-e, --find-links, ...) pass through untouched.
 */
static int env_add_requirement(struct gbuf *out, const char *line)
{
	static const char *const windows_only[] = { "pywin32", "pypiwin32", "pywinpty" };
	const char *semi, *rest;
	size_t n, i;

	if (line[0] == '-')
		goto keep;
	n = env_name_len(line);
	if (!n)
		goto keep;
	for (i = 0; i < sizeof(windows_only) / sizeof(windows_only[0]); i++)
		if (env_name_eq(line, n, windows_only[i]))
			return 0;
	semi = strchr(line, ';');
	if (semi && env_marker_windows_only(semi + 1))
		return 0;
	if (env_name_eq(line, n, "psycopg2")) {
		rest = line + n;
		while (isspace((unsigned char)*rest))
			rest++;
		if (*rest != '@') { /* a direct URL names its own artefact */
			if (gbuf_adds(out, "psycopg2-binary") < 0 || gbuf_adds(out, line + n) < 0 ||
			    gbuf_addch(out, '\n') < 0)
				return -1;
			return 0;
		}
	}
keep:
	if (gbuf_adds(out, line) < 0 || gbuf_addch(out, '\n') < 0)
		return -1;
	return 0;
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
		if (env_add_requirement(r->out, s) < 0)
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

/* ---- a small TOML reader -------------------------------------------- */

/*
 * Pipfile and pyproject.toml are TOML, and no TOML library is among our
 * dependencies, so this is a strict reader for the subset those files use:
 * comments, [tables] and [[arrays of tables]] with bare or quoted dotted
 * names, `key = value` with dotted keys, basic/literal/multi-line strings
 * (escapes decoded), arrays, inline tables. Numbers, booleans and dates are
 * kept as their bare token (we never need their value, but tool sections
 * such as [tool.black] line-length = 88 must not make the file unreadable).
 * Anything else is malformed and reported as "FILE:LINE: what". The result
 * is a flat list of (table, key, value); nesting is bounded.
 */
enum { TOML_STR, TOML_ARR, TOML_TAB, TOML_BARE };
#define TOML_DEPTH 16

struct toml_val {
	int kind;
	char *s;                 /* STR: decoded text; BARE: the token */
	char **keys;             /* TAB: the key of items[i] */
	struct toml_val *items;  /* ARR, TAB */
	size_t n;
	int line;
};

struct toml_entry {
	char *table;             /* "tool.poetry.dependencies"; "" at the top */
	char *key;
	struct toml_val v;
};

struct toml_doc {
	struct toml_entry *e;
	size_t n, cap;
};

struct toml {
	const char *p;
	int line;
	const char *name;        /* for messages */
	struct gbuf *diag;
};

static void toml_val_free(struct toml_val *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		toml_val_free(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->s);
	memset(v, 0, sizeof(*v));
}

static void toml_doc_free(struct toml_doc *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->e[i].table);
		free(d->e[i].key);
		toml_val_free(&d->e[i].v);
	}
	free(d->e);
	memset(d, 0, sizeof(*d));
}

static int toml_fail(struct toml *t, const char *what)
{
	if (gbuf_addf(t->diag, "%s:%d: %s", t->name, t->line, what) < 0)
		return -1;
	return 1;
}

static void toml_skip_ws(struct toml *t)
{
	while (*t->p == ' ' || *t->p == '\t')
		t->p++;
}

/* Whitespace, newlines and comments (inside arrays). */
static void toml_skip_all(struct toml *t)
{
	for (;;) {
		toml_skip_ws(t);
		if (*t->p == '#') {
			while (*t->p && *t->p != '\n')
				t->p++;
		} else if (*t->p == '\r' && t->p[1] == '\n') {
			t->p++;
		} else if (*t->p == '\n') {
			t->line++;
			t->p++;
		} else {
			return;
		}
	}
}

static int toml_add_utf8(struct gbuf *b, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	}
	return gbuf_add(b, u, n);
}

/* A string at t->p (which is at its opening quote); *out malloc'd. */
static int toml_string(struct toml *t, char **out)
{
	struct gbuf b = GBUF_INIT(ENV_REQ_MAX);
	char q = *t->p;
	bool multi = t->p[1] == q && t->p[2] == q;
	int rc = -1;

	*out = NULL;
	t->p += multi ? 3 : 1;
	if (multi && *t->p == '\n') /* a newline right after """ is trimmed */
		t->p++, t->line++;
	else if (multi && t->p[0] == '\r' && t->p[1] == '\n')
		t->p += 2, t->line++;
	for (;;) {
		char c = *t->p;

		if (!c || (!multi && (c == '\n' || c == '\r'))) {
			rc = toml_fail(t, "unterminated string");
			goto done;
		}
		if (c == q && (!multi || (t->p[1] == q && t->p[2] == q))) {
			t->p += multi ? 3 : 1;
			/* """a"""" : up to two quotes may end the content */
			while (multi && *t->p == q && b.len < ENV_REQ_MAX && gbuf_addch(&b, q) == 0)
				t->p++;
			break;
		}
		if (c == '\n')
			t->line++;
		if (c == '\\' && q == '"') {
			char e = t->p[1];
			unsigned long cp = 0;
			int digits = 0, i;

			t->p += 2;
			switch (e) {
			case 'b': c = '\b'; break;
			case 't': c = '\t'; break;
			case 'n': c = '\n'; break;
			case 'f': c = '\f'; break;
			case 'r': c = '\r'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case 'u': digits = 4; break;
			case 'U': digits = 8; break;
			default:
				if (multi && (e == '\n' || e == ' ' || e == '\t' || e == '\r')) {
					/* line-ending backslash: eat whitespace */
					t->p--;
					while (*t->p == ' ' || *t->p == '\t' || *t->p == '\n' || *t->p == '\r') {
						if (*t->p == '\n')
							t->line++;
						t->p++;
					}
					continue;
				}
				rc = toml_fail(t, "invalid escape in a string");
				goto done;
			}
			if (digits) {
				for (i = 0; i < digits; i++) {
					if (!isxdigit((unsigned char)t->p[i])) {
						rc = toml_fail(t, "invalid \\u escape in a string");
						goto done;
					}
					cp = cp * 16 + (unsigned long)(isdigit((unsigned char)t->p[i])
						? t->p[i] - '0' : tolower((unsigned char)t->p[i]) - 'a' + 10);
				}
				t->p += digits;
				if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0) {
					rc = toml_fail(t, "invalid code point in a string");
					goto done;
				}
				if (toml_add_utf8(&b, cp) < 0)
					goto done;
				continue;
			}
			if (gbuf_addch(&b, c) < 0)
				goto done;
			continue;
		}
		if (gbuf_addch(&b, c) < 0)
			goto done;
		t->p++;
	}
	if (b.truncated) {
		rc = toml_fail(t, "string too long");
		goto done;
	}
	if (gbuf_addch(&b, '\0') < 0)
		goto done;
	*out = gbuf_detach(&b, NULL);
	rc = *out ? 0 : err_set("out of memory");
done:
	gbuf_release(&b);
	return rc;
}

static bool toml_bare_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* One key part: bare or quoted. */
static int toml_key_part(struct toml *t, char **out)
{
	const char *s = t->p;

	*out = NULL;
	if (*t->p == '"' || *t->p == '\'') {
		if (t->p[1] == *t->p && t->p[2] == *t->p)
			return toml_fail(t, "a multi-line string cannot be a key");
		return toml_string(t, out);
	}
	while (toml_bare_char(*t->p))
		t->p++;
	if (t->p == s)
		return toml_fail(t, "expected a key");
	*out = strndup(s, (size_t)(t->p - s));
	return *out ? 0 : err_set("out of memory");
}

/* A dotted key: all parts but the last joined with '.' into *prefix
 * (NULL when there is one part), the last into *last. */
static int toml_key(struct toml *t, char **prefix, char **last)
{
	struct gbuf pre = GBUF_INIT(4096);
	char *part = NULL;
	int rc;

	*prefix = NULL;
	*last = NULL;
	for (;;) {
		toml_skip_ws(t);
		rc = toml_key_part(t, &part);
		if (rc)
			goto done;
		toml_skip_ws(t);
		if (*t->p != '.')
			break;
		t->p++;
		rc = -1;
		if ((pre.len && gbuf_addch(&pre, '.') < 0) || gbuf_adds(&pre, part) < 0)
			goto done;
		free(part);
		part = NULL;
	}
	rc = -1;
	if (pre.len) {
		*prefix = gbuf_detach(&pre, NULL);
		if (!*prefix) {
			err_set("out of memory");
			goto done;
		}
	}
	*last = part;
	part = NULL;
	rc = 0;
done:
	free(part);
	gbuf_release(&pre);
	return rc;
}

static int toml_value(struct toml *t, struct toml_val *v, int depth);

static int toml_push(struct toml_val *v, char *key, struct toml_val *item)
{
	struct toml_val *ni;
	char **nk;

	ni = realloc(v->items, (v->n + 1) * sizeof(*ni));
	if (!ni)
		return err_set("out of memory");
	v->items = ni;
	if (v->kind == TOML_TAB) {
		nk = realloc(v->keys, (v->n + 1) * sizeof(*nk));
		if (!nk)
			return err_set("out of memory");
		v->keys = nk;
		v->keys[v->n] = key;
	}
	v->items[v->n++] = *item;
	memset(item, 0, sizeof(*item));
	return 0;
}

/* [ v, v, ] or { k = v, k = v } */
static int toml_compound(struct toml *t, struct toml_val *v, int depth)
{
	struct toml_val item = { 0 };
	char close = *t->p == '[' ? ']' : '}';
	char *prefix = NULL, *key = NULL;
	int rc = -1;

	v->kind = close == ']' ? TOML_ARR : TOML_TAB;
	t->p++;
	for (;;) {
		toml_skip_all(t);
		if (*t->p == close) {
			t->p++;
			break;
		}
		if (close == '}') {
			rc = toml_key(t, &prefix, &key);
			if (rc)
				goto done;
			rc = -1;
			if (prefix) {
				char *joined = NULL;

				if (asprintf(&joined, "%s.%s", prefix, key) < 0) {
					err_set("out of memory");
					goto done;
				}
				free(key);
				key = joined;
			}
			toml_skip_ws(t);
			if (*t->p != '=') {
				rc = toml_fail(t, "expected '=' in an inline table");
				goto done;
			}
			t->p++;
			toml_skip_ws(t);
		}
		rc = toml_value(t, &item, depth + 1);
		if (rc)
			goto done;
		rc = -1;
		if (toml_push(v, key, &item) < 0)
			goto done;
		key = NULL;
		free(prefix);
		prefix = NULL;
		toml_skip_all(t);
		if (*t->p == ',') {
			t->p++;
			continue;
		}
		if (*t->p == close) {
			t->p++;
			break;
		}
		rc = toml_fail(t, close == ']' ? "expected ',' or ']' in an array"
					       : "expected ',' or '}' in an inline table");
		goto done;
	}
	rc = 0;
done:
	toml_val_free(&item);
	free(prefix);
	free(key);
	return rc;
}

static int toml_value(struct toml *t, struct toml_val *v, int depth)
{
	const char *s = t->p;

	memset(v, 0, sizeof(*v));
	v->line = t->line;
	if (depth > TOML_DEPTH)
		return toml_fail(t, "values nest too deep");
	if (*t->p == '"' || *t->p == '\'') {
		v->kind = TOML_STR;
		return toml_string(t, &v->s);
	}
	if (*t->p == '[' || *t->p == '{')
		return toml_compound(t, v, depth);
	while (toml_bare_char(*t->p) || *t->p == '.' || *t->p == '+' || *t->p == ':')
		t->p++;
	if (t->p == s)
		return toml_fail(t, "expected a value");
	v->kind = TOML_BARE;
	v->s = strndup(s, (size_t)(t->p - s));
	return v->s ? 0 : err_set("out of memory");
}

/* Parse `text` (NUL-terminated, decoded) into *doc. 0, 1 malformed, -1. */
static int toml_parse(const char *text, const char *name, struct toml_doc *doc, struct gbuf *diag)
{
	struct toml t = { text, 1, name, diag };
	struct toml_entry *ne;
	struct toml_val v = { 0 };
	char *table = strdup(""), *prefix = NULL, *key = NULL;
	int rc = -1;

	memset(doc, 0, sizeof(*doc));
	if (!table) {
		err_set("out of memory");
		goto done;
	}
	for (;;) {
		toml_skip_ws(&t);
		if (*t.p == '#')
			while (*t.p && *t.p != '\n')
				t.p++;
		if (*t.p == '\r' && t.p[1] == '\n')
			t.p++;
		if (*t.p == '\n') {
			t.p++;
			t.line++;
			continue;
		}
		if (!*t.p)
			break;
		if (*t.p == '[') {
			bool arr = t.p[1] == '[';

			t.p += arr ? 2 : 1;
			rc = toml_key(&t, &prefix, &key);
			if (rc)
				goto done;
			rc = -1;
			free(table);
			table = NULL;
			if (asprintf(&table, "%s%s%s", prefix ? prefix : "", prefix ? "." : "", key) < 0) {
				table = NULL;
				err_set("out of memory");
				goto done;
			}
			free(prefix);
			free(key);
			prefix = key = NULL;
			if (*t.p != ']' || (arr && t.p[1] != ']')) {
				rc = toml_fail(&t, "expected ']' after a table name");
				goto done;
			}
			t.p += arr ? 2 : 1;
		} else {
			rc = toml_key(&t, &prefix, &key);
			if (rc)
				goto done;
			rc = -1;
			if (*t.p != '=') {
				rc = toml_fail(&t, "expected '=' after a key");
				goto done;
			}
			t.p++;
			toml_skip_ws(&t);
			rc = toml_value(&t, &v, 0);
			if (rc)
				goto done;
			rc = -1;
			if (doc->n == doc->cap) {
				size_t ncap = doc->cap ? doc->cap * 2 : 32;

				ne = realloc(doc->e, ncap * sizeof(*ne));
				if (!ne) {
					err_set("out of memory");
					goto done;
				}
				doc->e = ne;
				doc->cap = ncap;
			}
			ne = &doc->e[doc->n];
			if (asprintf(&ne->table, "%s%s%s", table, *table && prefix ? "." : "",
				     prefix ? prefix : "") < 0) {
				err_set("out of memory");
				goto done;
			}
			ne->key = key;
			ne->v = v;
			memset(&v, 0, sizeof(v));
			key = NULL;
			doc->n++;
			free(prefix);
			prefix = NULL;
		}
		toml_skip_ws(&t);
		if (*t.p == '#')
			while (*t.p && *t.p != '\n')
				t.p++;
		if (*t.p == '\r' && t.p[1] == '\n')
			t.p++;
		if (*t.p && *t.p != '\n') {
			rc = toml_fail(&t, "expected the end of the line");
			goto done;
		}
	}
	rc = 0;
done:
	if (rc != 0)
		toml_doc_free(doc);
	toml_val_free(&v);
	free(table);
	free(prefix);
	free(key);
	return rc;
}

/* The value of table.key, or NULL (the first when repeated). */
static const struct toml_val *toml_get(const struct toml_doc *d, const char *table, const char *key)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->e[i].table, table) == 0 && strcmp(d->e[i].key, key) == 0)
			return &d->e[i].v;
	return NULL;
}

static const char *toml_tab_str(const struct toml_val *v, const char *key)
{
	size_t i;

	for (i = 0; v->kind == TOML_TAB && i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			return v->items[i].kind == TOML_STR ? v->items[i].s : NULL;
	return NULL;
}

static const struct toml_val *toml_tab_get(const struct toml_val *v, const char *key)
{
	size_t i;

	for (i = 0; v->kind == TOML_TAB && i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			return &v->items[i];
	return NULL;
}

/* ---- Pipfile and pyproject.toml ------------------------------------- */

/* Text from a TOML file that becomes part of a requirement line: one line,
 * printable, no option-looking start. A Pipfile key "--index-url http://x"
 * or a version "1.0\n-r /etc/passwd" must not turn into pip options. */
static bool env_safe_fragment(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (!s || s[0] == '-')
		return false;
	for (; *u; u++)
		if (*u < 0x20 || *u == 0x7F)
			return false;
	return true;
}

static bool env_valid_name(const char *s)
{
	return s && *s && env_name_len(s) == strlen(s);
}

/* Numeric release components of a version ("1.2.3rc1" -> 1,2,3), at most
 * 6; the count, or 0 when it does not start with a number. */
static int env_version_parts(const char *v, long parts[6], const char **rest)
{
	int k = 0;

	while (k < 6 && isdigit((unsigned char)*v)) {
		long x = 0;
		int digits = 0;

		while (isdigit((unsigned char)*v)) {
			if (++digits > 9)
				return 0;
			x = x * 10 + (*v++ - '0');
		}
		parts[k++] = x;
		if (*v != '.' || !isdigit((unsigned char)v[1]))
			break;
		v++;
	}
	if (rest)
		*rest = v;
	return k;
}

/*
 * A Poetry constraint as a PEP 440 specifier set, into `out`:
 * ^1.2.3 -> >=1.2.3,<2.0.0 (the first non-zero part is bumped), ~1.2 ->
 * >=1.2,<1.3 (the minor, or the major when alone), "*" -> nothing, a bare
 * version -> ==version, operators as they are; ',' joins. 0, 1 when it
 * cannot be expressed for pip ("||", garbage; *what says so), -1.
 */
static int env_poetry_spec(const char *c, struct gbuf *out)
{
	char *copy = strdup(c), *tok, *save = NULL, *s, *e;
	long parts[6];
	const char *rest;
	bool first = true;
	int k, i, bump;
	int rc = -1;

	if (!copy)
		return err_set("out of memory");
	if (strstr(c, "||")) {
		rc = 1;
		goto done;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (s = tok; isspace((unsigned char)*s); s++)
			;
		for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); e--)
			;
		*e = '\0';
		if (!*s || strcmp(s, "*") == 0)
			continue;
		if (!first && gbuf_addch(out, ',') < 0)
			goto done;
		first = false;
		if (s[0] == '^' || (s[0] == '~' && s[1] != '=')) {
			bool caret = s[0] == '^';
			const char *v = s + 1;

			while (isspace((unsigned char)*v))
				v++;
			k = env_version_parts(v, parts, &rest);
			if (!k || !env_safe_fragment(v) || strpbrk(v, " ,;<>=!")) {
				rc = 1;
				goto done;
			}
			if (caret) {
				for (bump = 0; bump < k - 1 && parts[bump] == 0; bump++)
					;
			} else {
				bump = k == 1 ? 0 : 1;
			}
			if (gbuf_addf(out, ">=%s,<", v) < 0)
				goto done;
			for (i = 0; i < k; i++)
				if (gbuf_addf(out, "%s%ld", i ? "." : "",
					      i < bump ? parts[i] : i == bump ? parts[i] + 1 : 0) < 0)
					goto done;
			continue;
		}
		if (isdigit((unsigned char)s[0])) {
			if (!env_safe_fragment(s) || strpbrk(s, " ;<>=!~^")) {
				rc = 1;
				goto done;
			}
			if (gbuf_addf(out, "==%s", s) < 0)
				goto done;
			continue;
		}
		if (strchr("<>=!~", s[0])) {
			/* Operators pass through, spaces squeezed out. */
			for (e = s; *e; e++) {
				if (isspace((unsigned char)*e))
					continue;
				if (!isalnum((unsigned char)*e) && !strchr("<>=!~.*+-_", *e)) {
					rc = 1;
					goto done;
				}
				if (gbuf_addch(out, *e) < 0)
					goto done;
			}
			continue;
		}
		rc = 1;
		goto done;
	}
	rc = 0;
done:
	free(copy);
	return rc;
}

struct env_dep {
	const char *name;
	const char *spec;        /* PEP 440, already translated */
	const struct toml_val *extras;
	const char *marker;
	const char *git, *ref;
};

/* Append "name[extras] spec ; marker" (through env_add_requirement).
 * 0, 1 (a part is unsafe: diag), -1. */
static int env_dep_line(const struct env_dep *d, const char *file, int line, struct gbuf *out,
			struct gbuf *diag)
{
	struct gbuf l = GBUF_INIT(ENV_REQ_MAX);
	size_t i;
	int rc = -1;

	if (!env_valid_name(d->name) || (d->spec && !env_safe_fragment(d->spec)) ||
	    (d->marker && !env_safe_fragment(d->marker)) || (d->git && !env_safe_fragment(d->git)) ||
	    (d->git && strpbrk(d->git, " \t@#")) || (d->ref && (!env_safe_fragment(d->ref) ||
							       strpbrk(d->ref, " \t#")))) {
		if (gbuf_addf(diag, "%s:%d: the dependency '", file, line) < 0 ||
		    gbuf_add_excerpt(diag, d->name, strlen(d->name), 100) < 0 ||
		    gbuf_adds(diag, "' is not a package name and version this grader can install") < 0)
			goto done;
		rc = 1;
		goto done;
	}
	if (gbuf_adds(&l, d->name) < 0)
		goto done;
	if (d->extras && d->extras->kind == TOML_ARR && d->extras->n) {
		for (i = 0; i < d->extras->n; i++) {
			const struct toml_val *x = &d->extras->items[i];

			if (x->kind != TOML_STR || !env_valid_name(x->s)) {
				if (gbuf_addf(diag, "%s:%d: extras must be a list of names", file, line) < 0)
					goto done;
				rc = 1;
				goto done;
			}
			if (gbuf_adds(&l, i ? "," : "[") < 0 || gbuf_adds(&l, x->s) < 0)
				goto done;
		}
		if (gbuf_addch(&l, ']') < 0)
			goto done;
	}
	if (d->git) {
		if (gbuf_addf(&l, " @ git+%s%s%s", strncmp(d->git, "git+", 4) ? d->git : d->git + 4,
			      d->ref ? "@" : "", d->ref ? d->ref : "") < 0)
			goto done;
	} else if (d->spec && *d->spec && gbuf_adds(&l, d->spec) < 0) {
		goto done;
	}
	if (d->marker && *d->marker && gbuf_addf(&l, " ; %s", d->marker) < 0)
		goto done;
	if (l.truncated) {
		if (gbuf_addf(diag, "%s:%d: dependency too long", file, line) < 0)
			goto done;
		rc = 1;
		goto done;
	}
	rc = env_add_requirement(out, l.data);
done:
	gbuf_release(&l);
	return rc;
}

static int env_unsupported(struct gbuf *diag, const char *file, int line, const char *name,
			   const char *what)
{
	if (gbuf_addf(diag, "%s:%d: '", file, line) < 0 ||
	    gbuf_add_excerpt(diag, name, strlen(name), 100) < 0 || gbuf_addf(diag, "': %s", what) < 0)
		return -1;
	return 1;
}

/* A local path dependency: "." (the project itself, which is not
 * installed but run from its folder) is skipped; others cannot work. */
static int env_path_dep(const struct toml_val *v, const char *file, const char *name,
			struct gbuf *diag)
{
	const char *path = toml_tab_str(v, "path");

	if (path && (strcmp(path, ".") == 0 || strcmp(path, "./") == 0))
		return 0;
	return env_unsupported(diag, file, v->line, name,
			       "local path and URL dependencies are not supported; "
			       "list the package by name and version");
}

/*
 * Pipfile [packages] (never [dev-packages]): name = "*" | "==1.2" |
 * {version, extras, markers, git/ref, sys_platform/os_name/... as marker
 * fragments}. [requires] python_version / python_full_version -> *python.
 */
static int env_pipfile(const struct toml_doc *d, const char *file, struct gbuf *out, char **python,
		       struct gbuf *diag)
{
	static const char *const marker_keys[] = {
		"sys_platform", "platform_system", "os_name", "platform_machine", "python_version",
	};
	struct gbuf spec = GBUF_INIT(4096), marker = GBUF_INIT(4096);
	const struct toml_val *pv;
	size_t i, j;
	int rc = -1, r;

	if (python) {
		*python = NULL;
		pv = toml_get(d, "requires", "python_full_version");
		if (!pv || pv->kind != TOML_STR)
			pv = toml_get(d, "requires", "python_version");
		if (pv && pv->kind == TOML_STR && !(*python = strdup(pv->s))) {
			err_set("out of memory");
			goto done;
		}
	}
	for (i = 0; out && i < d->n; i++) {
		const struct toml_entry *e = &d->e[i];
		const struct toml_val *v = &e->v;
		struct env_dep dep = { e->key, NULL, NULL, NULL, NULL, NULL };
		const char *ver = NULL;

		if (strcmp(e->table, "packages") != 0)
			continue;
		gbuf_reset(&spec);
		gbuf_reset(&marker);
		if (v->kind == TOML_STR) {
			ver = v->s;
		} else if (v->kind == TOML_TAB) {
			if (toml_tab_get(v, "path") || toml_tab_get(v, "file")) {
				r = env_path_dep(v, file, e->key, diag);
				if (r) {
					rc = r;
					goto done;
				}
				continue;
			}
			ver = toml_tab_str(v, "version");
			dep.extras = toml_tab_get(v, "extras");
			dep.git = toml_tab_str(v, "git");
			dep.ref = toml_tab_str(v, "ref");
			if (toml_tab_str(v, "markers") && gbuf_adds(&marker, toml_tab_str(v, "markers")) < 0)
				goto done;
			for (j = 0; j < sizeof(marker_keys) / sizeof(marker_keys[0]); j++) {
				const char *m = toml_tab_str(v, marker_keys[j]);

				if (m && ((marker.len && gbuf_adds(&marker, " and ") < 0) ||
					  gbuf_addf(&marker, "%s %s", marker_keys[j], m) < 0))
					goto done;
			}
		} else {
			rc = env_unsupported(diag, file, v->line, e->key, "expected a version string or a table");
			goto done;
		}
		if (ver && strcmp(ver, "*") != 0 && *ver) {
			if (gbuf_addf(&spec, "%s%s", isdigit((unsigned char)ver[0]) ? "==" : "", ver) < 0)
				goto done;
			dep.spec = spec.data;
		}
		dep.marker = marker.len ? marker.data : NULL;
		r = env_dep_line(&dep, file, v->line, out, diag);
		if (r) {
			rc = r;
			goto done;
		}
	}
	rc = 0;
done:
	if (rc != 0 && python) {
		free(*python);
		*python = NULL;
	}
	gbuf_release(&spec);
	gbuf_release(&marker);
	return rc;
}

/*
 * pyproject.toml: PEP 621 [project] dependencies (strings, used as they
 * are), else Poetry's [tool.poetry.dependencies] (constraints translated,
 * `python` taken out, optional ones skipped as Poetry does). *declared says
 * whether either was there. Python: [project] requires-python, else
 * Poetry's python (translated).
 */
static int env_pyproject(const struct toml_doc *d, const char *file, struct gbuf *out,
			 bool *declared, char **python, struct gbuf *diag)
{
	struct gbuf spec = GBUF_INIT(4096), pyspec = GBUF_INIT(4096);
	const struct toml_val *deps = toml_get(d, "project", "dependencies");
	const struct toml_val *pv;
	size_t i;
	int rc = -1, r;

	if (declared)
		*declared = false;
	if (python) {
		*python = NULL;
		pv = toml_get(d, "project", "requires-python");
		if (pv && pv->kind == TOML_STR) {
			*python = strdup(pv->s);
		} else {
			pv = toml_get(d, "tool.poetry.dependencies", "python");
			if (pv && pv->kind == TOML_STR) {
				r = env_poetry_spec(pv->s, &pyspec);
				if (r < 0)
					goto done;
				/* Untranslatable: keep the text, the chooser says it
				 * did not understand it. */
				*python = strdup(r == 0 ? gbuf_str(&pyspec) : pv->s);
			}
		}
		if (pv && pv->kind == TOML_STR && !*python) {
			err_set("out of memory");
			goto done;
		}
	}
	if (!out) {
		rc = 0;
		goto done;
	}
	if (deps) {
		if (deps->kind != TOML_ARR) {
			rc = env_unsupported(diag, file, deps->line, "dependencies", "expected a list of strings");
			goto done;
		}
		for (i = 0; i < deps->n; i++) {
			const struct toml_val *x = &deps->items[i];

			if (x->kind != TOML_STR || !env_safe_fragment(x->s) || !env_name_len(x->s)) {
				rc = env_unsupported(diag, file, x->line, x->s ? x->s : "?",
						     "not a requirement this grader can install");
				goto done;
			}
			if (env_add_requirement(out, x->s) < 0)
				goto done;
		}
		if (declared)
			*declared = true;
		rc = 0;
		goto done;
	}
	for (i = 0; i < d->n; i++) {
		const struct toml_entry *e = &d->e[i];
		const struct toml_val *v = &e->v;
		struct env_dep dep = { e->key, NULL, NULL, NULL, NULL, NULL };
		const char *ver = NULL, *platform = NULL;
		const struct toml_val *opt;

		if (strcmp(e->table, "tool.poetry.dependencies") != 0)
			continue;
		if (declared)
			*declared = true;
		if (strcmp(e->key, "python") == 0)
			continue;
		gbuf_reset(&spec);
		if (v->kind == TOML_STR) {
			ver = v->s;
		} else if (v->kind == TOML_TAB) {
			opt = toml_tab_get(v, "optional");
			if (opt && opt->kind == TOML_BARE && strcmp(opt->s, "true") == 0)
				continue;
			if (toml_tab_get(v, "path") || toml_tab_get(v, "url")) {
				r = env_path_dep(v, file, e->key, diag);
				if (r) {
					rc = r;
					goto done;
				}
				continue;
			}
			platform = toml_tab_str(v, "platform");
			if (platform && (strcmp(platform, "win32") == 0 || strcmp(platform, "windows") == 0))
				continue;
			ver = toml_tab_str(v, "version");
			dep.extras = toml_tab_get(v, "extras");
			dep.marker = toml_tab_str(v, "markers");
			dep.git = toml_tab_str(v, "git");
			dep.ref = toml_tab_str(v, "rev");
			if (!dep.ref)
				dep.ref = toml_tab_str(v, "tag");
			if (!dep.ref)
				dep.ref = toml_tab_str(v, "branch");
		} else {
			rc = env_unsupported(diag, file, v->line, e->key,
					     "multiple constraints for one package are not supported; "
					     "give one version");
			goto done;
		}
		if (ver) {
			r = env_poetry_spec(ver, &spec);
			if (r < 0)
				goto done;
			if (r == 1) {
				rc = env_unsupported(diag, file, v->line, ver,
						     "this version constraint cannot be translated for pip");
				goto done;
			}
			dep.spec = spec.len ? spec.data : NULL;
		}
		r = env_dep_line(&dep, file, v->line, out, diag);
		if (r) {
			rc = r;
			goto done;
		}
	}
	rc = 0;
done:
	if (rc != 0 && python) {
		free(*python);
		*python = NULL;
	}
	gbuf_release(&spec);
	gbuf_release(&pyspec);
	return rc;
}

/* Read and decode rel (below rootfd, no symlinks, at most ENV_REQ_MAX) into
 * `text`, NUL-terminated. 0, 1 (unreadable: diag names it), -1. */
static int env_slurp(int rootfd, const char *rel, struct gbuf *text, struct gbuf *diag)
{
	struct gbuf raw = GBUF_INIT(ENV_REQ_MAX);
	struct stat st;
	char chunk[8192];
	ssize_t n;
	int fd = -1;
	int rc = -1;

	fd = env_open_beneath(rootfd, rel, O_RDONLY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (gbuf_adds(diag, "cannot read the file ") < 0 ||
		    gbuf_add_excerpt(diag, rel, strlen(rel), 200) < 0 ||
		    gbuf_adds(diag, fd < 0 && (errno == ELOOP || errno == ENOTDIR)
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
		if (gbuf_adds(diag, "the file ") < 0 ||
		    gbuf_add_excerpt(diag, rel, strlen(rel), 200) < 0 ||
		    gbuf_addf(diag, " is larger than %zu KiB", ENV_REQ_MAX >> 10) < 0)
			goto done;
		rc = 1;
		goto done;
	}
	rc = env_decode(&raw, rel, text, diag);
	if (rc != 0)
		goto done;
	rc = -1;
	if (gbuf_addch(text, '\0') < 0) /* data non-NULL even when empty */
		goto done;
	text->len--;
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	gbuf_release(&raw);
	return rc;
}

/* Read, decode and normalise rel (below r->rootfd, no symlinks). */
static int env_read_req_file(struct env_reqs *r, const char *rel, int depth)
{
	struct gbuf text = GBUF_INIT(ENV_REQ_MAX * 2);
	int rc;

	rc = env_slurp(r->rootfd, rel, &text, r->diag);
	if (rc == 0)
		rc = env_normalise(r, rel, text.data, depth);
	gbuf_release(&text);
	return rc;
}

/* Is there anything at rel (a file, or a symlink the reader will refuse)? */
static bool env_present(int rootfd, const char *rel)
{
	struct stat st;
	int fd = env_open_beneath(rootfd, rel, O_RDONLY | O_NONBLOCK);

	if (fd >= 0) {
		close(fd);
		return true;
	}
	return errno != ENOENT && fstatat(rootfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

enum { SRC_TXT, SRC_PIPFILE, SRC_PYPROJECT };

/* Parse a TOML file of the checkout. 0, 1 (unreadable or malformed), -1. */
static int env_read_toml(int rootfd, const char *rel, struct toml_doc *doc, struct gbuf *diag)
{
	struct gbuf text = GBUF_INIT(ENV_REQ_MAX * 2);
	int rc;

	memset(doc, 0, sizeof(*doc));
	rc = env_slurp(rootfd, rel, &text, diag);
	if (rc == 0)
		rc = toml_parse(text.data, rel, doc, diag);
	gbuf_release(&text);
	return rc;
}

/* "3.10.4", "3.10", "python-3.10.12", "3.10-dev" -> "==3.10.*"; NULL when
 * it names no CPython version (pypy3.9, system). */
static char *env_minor_spec(const char *v)
{
	long parts[6];
	char *out = NULL;
	int k;

	while (isspace((unsigned char)*v))
		v++;
	if (strncasecmp(v, "python-", 7) == 0)
		v += 7;
	else if (strncasecmp(v, "python", 6) == 0)
		v += 6;
	k = env_version_parts(v, parts, NULL);
	if (k == 0 || parts[0] != 3)
		return NULL;
	if (k == 1 ? asprintf(&out, "==3.*") < 0 : asprintf(&out, "==3.%ld.*", parts[1]) < 0)
		out = NULL;
	return out;
}

/* The first line of text that is not blank or a comment, stripped, or "". */
static const char *env_first_line(char *text)
{
	char *p = text, *nl, *s, *e;

	while (p && *p) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		for (s = p; isspace((unsigned char)*s); s++)
			;
		for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); e--)
			;
		*e = '\0';
		if (*s && *s != '#')
			return s;
		p = nl ? nl + 1 : NULL;
	}
	return "";
}

struct env_project {
	struct gbuf *reqs;          /* normalised requirements */
	char *source_path;          /* the file they came from (absolute) */
	char *source_display;       /* relative to the checkout, or "(default runtime)" */
	char *python_spec;          /* PEP 440 set the interpreter must satisfy, or NULL */
	char *python_from;          /* the file that said so */
	struct gbuf notes;          /* files about Python that were ignored, and why */
};

static void env_project_release(struct env_project *pj)
{
	free(pj->source_path);
	free(pj->source_display);
	free(pj->python_spec);
	free(pj->python_from);
	gbuf_release(&pj->notes);
	pj->source_path = pj->source_display = pj->python_spec = pj->python_from = NULL;
}

/*
 * Which Python the project asks for, first found of: .python-version,
 * runtime.txt, Pipfile [requires], pyproject.toml (each beside manage.py,
 * then at the root). Nothing here fails the submission: an unreadable or
 * meaningless file is noted and the default interpreter used.
 */
static int env_scan_python(int rootfd, const char *const where[2], struct env_project *pj)
{
	static const char *const files[] = { ".python-version", "runtime.txt", "Pipfile", "pyproject.toml" };
	struct gbuf text = GBUF_INIT(ENV_REQ_MAX * 2), ignored = GBUF_INIT(4096);
	struct toml_doc doc = { NULL, 0, 0 };
	char *rel = NULL, *spec = NULL;
	size_t f;
	int w, r;
	int rc = -1;

	for (f = 0; f < sizeof(files) / sizeof(files[0]) && !pj->python_spec; f++) {
		for (w = 0; w < 2 && !pj->python_spec; w++) {
			if (w == 1 && strcmp(where[0], where[1]) == 0)
				break;
			free(rel);
			if (asprintf(&rel, "%s%s%s", where[w], *where[w] ? "/" : "", files[f]) < 0) {
				rel = NULL;
				err_set("out of memory");
				goto done;
			}
			if (!env_present(rootfd, rel))
				continue;
			gbuf_reset(&text);
			gbuf_reset(&ignored);
			toml_doc_free(&doc);
			free(spec);
			spec = NULL;
			if (f < 2) {
				r = env_slurp(rootfd, rel, &text, &ignored);
				if (r == 0) {
					spec = env_minor_spec(env_first_line(text.data));
					if (!spec && gbuf_addf(&ignored, "%s does not name a CPython 3 version",
							       rel) < 0)
						goto done;
				}
			} else {
				r = env_read_toml(rootfd, rel, &doc, &ignored);
				if (r == 0)
					r = f == 2 ? env_pipfile(&doc, rel, NULL, &spec, &ignored)
						   : env_pyproject(&doc, rel, NULL, NULL, &spec, &ignored);
				if (r == 0 && spec && f == 2) {
					char *minor = env_minor_spec(spec);

					if (!minor && gbuf_addf(&ignored, "%s: python_version '%.40s' is not "
								"a CPython 3 version", rel, spec) < 0)
						goto done;
					free(spec);
					spec = minor;
				}
			}
			if (r < 0)
				goto done;
			if (ignored.len && ((pj->notes.len && gbuf_adds(&pj->notes, "; ") < 0) ||
					    gbuf_add(&pj->notes, ignored.data, ignored.len) < 0))
				goto done;
			if (spec) {
				pj->python_spec = spec;
				spec = NULL;
				pj->python_from = strdup(rel);
				if (!pj->python_from) {
					err_set("out of memory");
					goto done;
				}
			}
		}
	}
	rc = 0;
done:
	toml_doc_free(&doc);
	gbuf_release(&text);
	gbuf_release(&ignored);
	free(rel);
	free(spec);
	return rc;
}

/*
 * The requirements, first found of: requirements.txt, requirement.txt,
 * requirements/base.txt (pip format), Pipfile, pyproject.toml, each beside
 * manage.py then at the root; a Pipfile or pyproject.toml that declares no
 * dependency does not count. Else the grader's default runtime.
 * 0, 1 (diagnosis), -1.
 */
static int env_read_project(const char *checkout, const char *project_dir, const char *datadir,
			    bool want_python, struct env_project *pj, struct gbuf *diagnosis)
{
	static const struct { const char *name; int kind; } srcs[] = {
		{ "requirements.txt", SRC_TXT }, { "requirement.txt", SRC_TXT },
		{ "requirements/base.txt", SRC_TXT }, { "Pipfile", SRC_PIPFILE },
		{ "pyproject.toml", SRC_PYPROJECT },
	};
	struct env_reqs r = { -1, NULL, pj->reqs, diagnosis };
	struct toml_doc doc = { NULL, 0, 0 };
	char *rel = NULL, *runtime = NULL;
	const char *where[2];
	size_t clen = strlen(checkout), s;
	bool found = false;
	int w, sub;
	int rc = -1;

	while (clen > 1 && checkout[clen - 1] == '/')
		clen--;
	if (strncmp(project_dir, checkout, clen) != 0 ||
	    (project_dir[clen] != '\0' && project_dir[clen] != '/')) {
		err_set("project folder %s is not inside the checkout %s", project_dir, checkout);
		goto done;
	}
	where[0] = project_dir + clen;
	while (*where[0] == '/')
		where[0]++;
	where[1] = "";
	r.rootfd = open(checkout, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r.rootfd < 0) {
		err_set_errno("cannot open the checkout %s", checkout);
		goto done;
	}
	r.rootname = checkout;
	if (want_python && env_scan_python(r.rootfd, where, pj) < 0)
		goto done;
	for (s = 0; s < sizeof(srcs) / sizeof(srcs[0]) && !found; s++) {
		for (w = 0; w < 2 && !found; w++) {
			if (w == 1 && strcmp(where[0], where[1]) == 0)
				break;
			free(rel);
			if (asprintf(&rel, "%s%s%s", where[w], *where[w] ? "/" : "", srcs[s].name) < 0) {
				rel = NULL;
				err_set("out of memory");
				goto done;
			}
			/* A symlink here is not "absent": the reader reports it,
			 * so the student knows why it was ignored. */
			if (!env_present(r.rootfd, rel))
				continue;
			gbuf_reset(pj->reqs);
			if (srcs[s].kind == SRC_TXT) {
				sub = env_read_req_file(&r, rel, 0);
				found = true;
			} else {
				bool declared = true;

				toml_doc_free(&doc);
				sub = env_read_toml(r.rootfd, rel, &doc, diagnosis);
				if (sub == 0)
					sub = srcs[s].kind == SRC_PIPFILE
						      ? env_pipfile(&doc, rel, pj->reqs, NULL, diagnosis)
						      : env_pyproject(&doc, rel, pj->reqs, &declared, NULL,
								      diagnosis);
				found = sub != 0 || (declared && pj->reqs->len);
				if (sub == 0 && pj->reqs->truncated) {
					if (gbuf_adds(diagnosis, "the requirements are too long") < 0)
						goto done;
					sub = 1;
				}
			}
			if (sub != 0) {
				rc = sub;
				goto done;
			}
		}
	}
	if (found) {
		if (asprintf(&pj->source_path, "%s/%s", checkout, rel) < 0) {
			pj->source_path = NULL;
			err_set("out of memory");
			goto done;
		}
		pj->source_display = strdup(rel);
		if (!pj->source_display) {
			err_set("out of memory");
			goto done;
		}
		rc = 0;
		goto done;
	}
	/* Nothing declared: the grader's own default runtime. */
	gbuf_reset(pj->reqs);
	close(r.rootfd);
	r.rootfd = -1;
	if (asprintf(&runtime, "%s/runtime", datadir) < 0) {
		runtime = NULL;
		err_set("out of memory");
		goto done;
	}
	r.rootfd = open(runtime, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r.rootfd < 0) {
		err_set_errno("cannot open the default runtime folder %s", runtime);
		goto done;
	}
	r.rootname = runtime;
	if (asprintf(&pj->source_path, "%s/" ENV_REQ_FILE, runtime) < 0) {
		pj->source_path = NULL;
		err_set("out of memory");
		goto done;
	}
	pj->source_display = strdup("(default runtime)");
	if (!pj->source_display) {
		err_set("out of memory");
		goto done;
	}
	rc = env_read_req_file(&r, ENV_REQ_FILE, 0);
	if (rc == 1) /* our own file is broken: that is the grader's fault */
		rc = err_set("default runtime %s: %s", pj->source_path, gbuf_str(diagnosis));
done:
	if (r.rootfd >= 0)
		close(r.rootfd);
	if (rc != 0) {
		free(pj->source_path);
		free(pj->source_display);
		pj->source_path = pj->source_display = NULL;
	}
	toml_doc_free(&doc);
	free(rel);
	free(runtime);
	return rc;
}

int env_read_requirements(const char *checkout, const char *project_dir, const char *datadir,
			  struct gbuf *normalised, char **source_path, struct gbuf *diagnosis)
{
	struct env_project pj = { normalised, NULL, NULL, NULL, NULL, GBUF_INIT(4096) };
	int rc;

	*source_path = NULL;
	rc = env_read_project(checkout, project_dir, datadir, false, &pj, diagnosis);
	if (rc == 0) {
		*source_path = pj.source_path;
		pj.source_path = NULL;
	}
	env_project_release(&pj);
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
 * asking it once. The cache is what keeps the warm path process-free. An
 * interpreter that does not run (a pyenv shim for a version not selected)
 * is cached as such too ("!"), so candidates cost one start ever, not one
 * per run. *version NULL = it does not run (*why says what it printed).
 */
static int env_probe(const char *envs, const char *python, long timeout_ms, char **version,
		     struct gbuf *why)
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
		rc = why ? gbuf_addf(why, "cannot stat %s", python) : 0;
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
			rc = 0;
			if (nl - p == 1 && *p == '!') {
				if (why)
					rc = gbuf_addf(why, "%s does not run", python);
				goto done;
			}
			*version = strndup(p, (size_t)(nl - p));
			if (!*version)
				rc = err_set("out of memory");
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

		if (proc_run(argv, NULL, NULL, timeout_ms, &out, &pr) < 0)
			goto done;
	}
	p = out.data ? strstr(out.data, marker) : NULL;
	if (pr.timed_out || pr.signaled || pr.exit_code != 0 || !p) {
		if (why && (gbuf_addf(why, "%s does not run: ", python) < 0 ||
			    gbuf_add_excerpt(why, gbuf_str(&out), out.len, 300) < 0))
			goto done;
		/* A timeout may be load, not brokenness: not cached. */
		if (!pr.timed_out && env_mkdirs(dir) == 0 && gbuf_addf(&rec, "%s!\n", ident) == 0)
			env_write_file(file, rec.data, rec.len);
		err_clear();
		rc = 0;
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

/* The base interpreter's version; it not running is the grader's problem. */
static int env_python_version(const char *envs, const char *python, char **version)
{
	struct gbuf why = GBUF_INIT(1024);
	int rc = env_probe(envs, python, 60000, version, &why);

	if (rc == 0 && !*version)
		rc = err_set("%s", gbuf_str(&why));
	gbuf_release(&why);
	return rc;
}

/* ---- choosing an interpreter ---------------------------------------- */

/*
 * Does version a.b.c satisfy the PEP 440 specifier set `spec` (">=3.10",
 * ">=3.8,<3.12", "==3.10.*", "~=3.10")? 1 yes, 0 no, -1 not understood.
 * Release numbers only: an interpreter is never a pre-release here.
 */
static int env_spec_allows(const char *spec, const long have[3])
{
	char *copy = strdup(spec), *tok, *save = NULL, *s;
	long want[6], a, b;
	const char *rest;
	int k, i, cmp, ok = 1, prefix_k;
	bool star, eq;
	char op[4];

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok && ok == 1; tok = strtok_r(NULL, ",", &save)) {
		size_t n = 0;

		for (s = tok; isspace((unsigned char)*s); s++)
			;
		while (n < 3 && strchr("<>=!~", s[n]))
			n++;
		memcpy(op, s, n);
		op[n] = '\0';
		s += n;
		while (isspace((unsigned char)*s))
			s++;
		k = env_version_parts(s, want, &rest);
		star = strncmp(rest, ".*", 2) == 0;
		if (star)
			rest += 2;
		while (isspace((unsigned char)*rest))
			rest++;
		if (!k || *rest || (star && strcmp(op, "==") && strcmp(op, "!="))) {
			ok = -1;
			break;
		}
		if (!n)
			strcpy(op, "=="); /* a bare version */
		cmp = 0;
		for (i = 0; i < 3 && !cmp; i++) {
			a = have[i];
			b = i < k ? want[i] : 0;
			cmp = a < b ? -1 : a > b;
		}
		prefix_k = k < 3 ? k : 3;
		eq = true;
		for (i = 0; i < prefix_k; i++)
			if (have[i] != want[i])
				eq = false;
		if (strcmp(op, "==") == 0 || strcmp(op, "===") == 0)
			ok = star ? eq : cmp == 0;
		else if (strcmp(op, "!=") == 0)
			ok = star ? !eq : cmp != 0;
		else if (strcmp(op, ">=") == 0)
			ok = cmp >= 0;
		else if (strcmp(op, "<=") == 0)
			ok = cmp <= 0;
		else if (strcmp(op, ">") == 0)
			ok = cmp > 0;
		else if (strcmp(op, "<") == 0)
			ok = cmp < 0;
		else if (strcmp(op, "~=") == 0 && k >= 2) {
			ok = cmp >= 0;
			for (i = 0; i < k - 1 && i < 3 && ok; i++)
				if (have[i] != want[i])
					ok = 0;
		} else
			ok = -1;
	}
	free(copy);
	return ok;
}

/* "3.11.7 (main, ...)" -> {3, 11, 7}; false when it does not parse. */
static bool env_version_triple(const char *v, long out[3])
{
	long parts[6] = { 0 };
	int k = env_version_parts(v, parts, NULL);

	out[0] = parts[0], out[1] = k > 1 ? parts[1] : 0, out[2] = k > 2 ? parts[2] : 0;
	return k >= 2;
}

/* The short form of a sys.version ("3.11.7"), malloc'd. */
static char *env_short_version(const char *v)
{
	size_t n = strcspn(v, " ");

	return strndup(v, n);
}

/* The default base: $GRADER_PYTHON, else /usr/bin/python3, else PATH. */
static int env_default_python(char **out)
{
	const char *want = getenv("GRADER_PYTHON");

	if (!want || !*want)
		want = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
	*out = env_which(want);
	if (!*out)
		return err_set("no Python interpreter found (%s); set GRADER_PYTHON", want);
	return 0;
}

struct env_choice {
	char *base;        /* interpreter path */
	char *version;     /* its sys.version */
	char *reason;      /* one line for the report */
};

static void env_choice_release(struct env_choice *c)
{
	free(c->base);
	free(c->version);
	free(c->reason);
	c->base = c->version = c->reason = NULL;
}

/* Consider one candidate interpreter: keep it in *best when it runs,
 * satisfies spec and is newer than what *best holds. */
static int env_consider(const char *envs, const char *path, const char *spec, struct env_choice *best,
			long best_v[3])
{
	char *version = NULL;
	long v[3];
	int rc = -1;

	if (best->base && strcmp(best->base, path) == 0)
		return 0;
	if (env_probe(envs, path, 10000, &version, NULL) < 0)
		goto done;
	rc = 0;
	if (!version || !env_version_triple(version, v) || env_spec_allows(spec, v) != 1)
		goto done;
	if (best->base && (v[0] < best_v[0] || (v[0] == best_v[0] && (v[1] < best_v[1] ||
				(v[1] == best_v[1] && v[2] <= best_v[2])))))
		goto done;
	free(best->base);
	free(best->version);
	best->base = strdup(path);
	best->version = version;
	version = NULL;
	memcpy(best_v, v, sizeof(v));
	if (!best->base)
		rc = err_set("out of memory");
done:
	free(version);
	return rc;
}

/*
 * The base interpreter: opts.python when given; else the default one when
 * the project asks for nothing or the default satisfies it; else the newest
 * satisfying interpreter among python3.X on PATH and in /usr/bin and those
 * listed in $GRADER_PYTHONS; else the default anyway (a project that says
 * 3.8 usually runs on 3.11; if it does not, boot says why). Never fails the
 * submission.
 */
static int env_choose_python(const struct env_opts *o, const char *envs, const struct env_project *pj,
			     struct env_choice *c)
{
	struct env_choice best = { NULL, NULL, NULL };
	const char *extra = getenv("GRADER_PYTHONS");
	char *copy = NULL, *tok, *save = NULL, *path = NULL, *shortv = NULL;
	long v[3] = { 0 }, best_v[3] = { 0 };
	int x, allows = -1;
	bool picked = false;
	int rc = -1;

	if (o->python) {
		c->base = env_which(o->python);
		if (!c->base) {
			err_set("no Python interpreter %s", o->python);
			goto done;
		}
		if (env_python_version(envs, c->base, &c->version) < 0)
			goto done;
		if (asprintf(&c->reason, "given with --python") < 0) {
			c->reason = NULL;
			err_set("out of memory");
			goto done;
		}
		rc = 0;
		goto done;
	}
	if (env_default_python(&c->base) < 0 || env_python_version(envs, c->base, &c->version) < 0)
		goto done;
	if (pj->python_spec) {
		allows = env_version_triple(c->version, v) ? env_spec_allows(pj->python_spec, v) : -1;
		if (allows == -1) {
			/* Not understood: say so, use the default. */
		} else if (allows == 0) {
			for (x = 6; x <= 20; x++) {
				char name[32];

				snprintf(name, sizeof(name), "python3.%d", x);
				free(path);
				path = env_which(name);
				if (path && env_consider(envs, path, pj->python_spec, &best, best_v) < 0)
					goto done;
				snprintf(name, sizeof(name), "/usr/bin/python3.%d", x);
				if (access(name, X_OK) == 0 &&
				    env_consider(envs, name, pj->python_spec, &best, best_v) < 0)
					goto done;
			}
			copy = extra ? strdup(extra) : NULL;
			for (tok = copy ? strtok_r(copy, ":", &save) : NULL; tok;
			     tok = strtok_r(NULL, ":", &save))
				if (tok[0] == '/' && access(tok, X_OK) == 0 &&
				    env_consider(envs, tok, pj->python_spec, &best, best_v) < 0)
					goto done;
		}
	}
	if (best.base) {
		free(c->base);
		free(c->version);
		c->base = best.base;
		c->version = best.version;
		best.base = best.version = NULL;
		picked = true;
	}
	shortv = env_short_version(c->version);
	if (!shortv) {
		err_set("out of memory");
		goto done;
	}
	if (!pj->python_spec)
		x = asprintf(&c->reason, "the default interpreter (the project names no Python version)");
	else if (allows == -1)
		x = asprintf(&c->reason, "%s asks for Python '%s', which the grader does not understand; "
				      "using the default %s", pj->python_from, pj->python_spec, shortv);
	else if (allows == 1)
		x = asprintf(&c->reason, "%s asks for Python '%s'; the default %s satisfies it",
			     pj->python_from, pj->python_spec, shortv);
	else if (picked)
		x = asprintf(&c->reason, "%s asks for Python '%s'; using %s", pj->python_from,
			     pj->python_spec, shortv);
	else
		x = asprintf(&c->reason, "%s asks for Python '%s'; no installed interpreter satisfies it, "
				      "using the default %s", pj->python_from, pj->python_spec, shortv);
	if (x < 0) {
		c->reason = NULL;
		err_set("out of memory");
		goto done;
	}
	rc = 0;
done:
	if (rc < 0)
		env_choice_release(c);
	env_choice_release(&best);
	free(copy);
	free(path);
	free(shortv);
	return rc;
}

/* ---- building ------------------------------------------------------- */

/* One remover for the whole grader: openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS), never following a symlink out of the tree. */
static int env_remove_tree(const char *path)
{
	return sandbox_remove_tree(path);
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
	/* $GRADER_UV names uv explicitly (scripts/setup installs one into
	 * .tools/uv); else uv on PATH; else pip. */
	const char *uv_env = getenv("GRADER_UV");
	char *uv = uv_env && *uv_env && access(uv_env, X_OK) == 0 ? strdup(uv_env) : env_which("uv");
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

void env_info_release(struct env_info *info)
{
	free(info->python);
	free(info->base_python);
	free(info->base_version);
	free(info->python_reason);
	free(info->requirements_source);
	free(info->key);
	memset(info, 0, sizeof(*info));
}

/* Mark an env used now: the mtime of its last-used file, which is what
 * `env prune` ages by. One utimensat on the warm path; best effort (a
 * read-only shared cache still works, it just cannot be pruned by age). */
static void env_touch_used(const char *env_dir)
{
	char *path = NULL;
	int fd;

	if (asprintf(&path, "%s/" ENV_LAST_USED, env_dir) < 0)
		return;
	if (utimensat(AT_FDCWD, path, NULL, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT) {
		fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
	}
	free(path);
}

/*
 * The whole of env_plan / env_ensure_info: read the project, choose the
 * interpreter, compute the key; then, when `build`, make the env unless it
 * is there. The warm path (env there) starts no process: requirements and
 * Python-version files are read, interpreter versions come from the probe
 * cache, and the env is found by stat.
 */
static int env_run(const struct env_opts *o, bool build, struct env_info *info, bool *ok,
		   struct gbuf *diagnosis)
{
	struct gbuf reqs = GBUF_INIT(ENV_REQ_MAX * 4);
	struct gbuf keysrc = GBUF_INIT(ENV_REQ_MAX * 4 + 8192);
	struct env_project pj = { &reqs, NULL, NULL, NULL, NULL, GBUF_INIT(4096) };
	struct env_choice ch = { NULL, NULL, NULL };
	struct stat st;
	long timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 600000;
	long deadline = env_now_ms() + timeout_ms;
	char *envs = NULL, *final = NULL, *marker = NULL, *tmp = NULL, *tmp_marker = NULL;
	char hex[65];
	unsigned char rnd[4] = { 0 };
	bool tmp_made = false;
	int r;
	int rc = -1;

	memset(info, 0, sizeof(*info));
	*ok = false;
	r = env_read_project(o->checkout, o->project_dir, o->datadir, true, &pj, diagnosis);
	if (r < 0)
		goto done;
	info->requirements_source = pj.source_display ? strdup(pj.source_display) : NULL;
	if (r == 1) {
		rc = 0;
		goto done;
	}
	if (!info->requirements_source) {
		err_set("out of memory");
		goto done;
	}
	if (asprintf(&envs, "%s/envs", o->cache_dir) < 0) {
		envs = NULL;
		err_set("out of memory");
		goto done;
	}
	if (env_choose_python(o, envs, &pj, &ch) < 0)
		goto done;
	if (pj.notes.len) {
		char *longer = NULL;

		if (asprintf(&longer, "%s (ignored: %s)", ch.reason, pj.notes.data) < 0) {
			err_set("out of memory");
			goto done;
		}
		free(ch.reason);
		ch.reason = longer;
	}
	/* The key is what the env is: the exact requirement lines and the
	 * exact interpreter. Where the lines came from (Pipfile or
	 * requirements.txt) does not change what gets installed, so it is
	 * recorded in the env (marker, `env list`) but not hashed: two
	 * projects declaring the same packages differently share one env. */
	if (gbuf_add(&keysrc, reqs.data ? reqs.data : "", reqs.len) < 0 ||
	    gbuf_addf(&keysrc, "\n%s", ch.version) < 0 ||
	    env_sha256_hex(keysrc.data, keysrc.len, hex) < 0)
		goto done;
	hex[16] = '\0';
	info->key = strdup(hex);
	info->base_python = strdup(ch.base);
	info->base_version = env_short_version(ch.version);
	info->python_reason = ch.reason;
	ch.reason = NULL;
	if (!info->key || !info->base_python || !info->base_version ||
	    asprintf(&final, "%s/%s", envs, hex) < 0 || asprintf(&marker, "%s/" ENV_MARKER, final) < 0 ||
	    asprintf(&info->python, "%s/bin/python", final) < 0) {
		err_set("out of memory");
		goto done;
	}

	/* Warm path: stat calls and one utimensat. */
	if (lstat(marker, &st) == 0 && S_ISREG(st.st_mode) && access(info->python, X_OK) == 0) {
		info->reused = true;
		*ok = true;
		if (build)
			env_touch_used(final);
		rc = 0;
		goto done;
	}
	if (!build) {
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
	r = env_build(tmp, ch.base, &reqs, deadline, timeout_ms, diagnosis);
	if (r < 0)
		goto done;
	if (r == 1) {
		rc = 0;
		goto done;
	}
	gbuf_reset(&keysrc);
	if (gbuf_addf(&keysrc, "key %s\npython %s\nversion %s\nrequirements %s\nsource %s\n", hex,
		      ch.base, ch.version, pj.source_path, pj.source_display) < 0 ||
	    env_write_file(tmp_marker, keysrc.data, keysrc.len) < 0)
		goto done;
	env_touch_used(tmp);
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
			info->reused = true;
		}
	} else {
		tmp_made = false;
	}
	*ok = true;
	rc = 0;
done:
	if (tmp_made)
		env_remove_tree(tmp);
	if (build && (rc < 0 || !*ok)) {
		free(info->python);
		info->python = NULL;
	}
	if (rc < 0) {
		env_info_release(info);
		*ok = false;
	}
	env_project_release(&pj);
	env_choice_release(&ch);
	gbuf_release(&reqs);
	gbuf_release(&keysrc);
	free(envs);
	free(final);
	free(marker);
	free(tmp);
	free(tmp_marker);
	return rc;
}

int env_plan(const struct env_opts *o, struct env_info *info, bool *ok, struct gbuf *diagnosis)
{
	return env_run(o, false, info, ok, diagnosis);
}

int env_ensure_info(const struct env_opts *o, struct env_info *info, bool *ok, struct gbuf *diagnosis)
{
	return env_run(o, true, info, ok, diagnosis);
}

int env_ensure(const struct env_opts *o, char **python_out, bool *reused, bool *ok,
	       struct gbuf *diagnosis)
{
	struct env_info info;
	int rc;

	*python_out = NULL;
	*reused = false;
	rc = env_run(o, true, &info, ok, diagnosis);
	if (rc == 0 && *ok) {
		*python_out = info.python;
		*reused = info.reused;
		info.python = NULL;
	}
	if (rc == 0)
		env_info_release(&info);
	return rc;
}

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
static int env_cache_names(const char *cache_dir, char **envs_out, struct env_names *names)
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
		if (de->d_name[0] != '.' && env_names_push(names, de->d_name) < 0)
			goto done;
	if (names->n > 1)
		qsort(names->v, names->n, sizeof(*names->v), env_cmp_names);
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
	struct env_names names = { NULL, 0, 0 };
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
	env_names_free(&names);
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
	struct env_names names = { NULL, 0, 0 };
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
	env_names_free(&names);
	free(envs);
	free(dir);
	free(doomed);
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
