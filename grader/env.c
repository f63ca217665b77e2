/*
 * env.c - find the Django project in a checkout and give it a virtualenv:
 * the shared helpers of the env family, building an env and the entry
 * points (env_plan, env_ensure_info, env_ensure).
 *
 * The family (all behind env.h; env_internal.h is theirs alone):
 *   env.c           helpers, the installer, plan/ensure
 *   env_discover.c  which folder holds manage.py
 *   env_sources.c   which requirements source and which Python the project
 *                   names (the order of sources is its table)
 *   env_reqtxt.c    the requirements.txt reader and the Linux filter
 *   env_toml.c      a small TOML reader
 *   env_reqtoml.c   Pipfile and pyproject.toml (PEP 621, Poetry) as
 *                   requirement lines, Poetry constraints translated
 *   env_python.c    interpreter versions and choosing one
 *   env_cache.c     `grader env list|prune`, the cache folder
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
#include "env_internal.h"
#include "sandbox.h"
#include "proc.h"
#include "err.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

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
int env_open_beneath(int rootfd, const char *rel, int flags)
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
bool env_is_regular(int rootfd, const char *rel)
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


void env_names_free(struct env_names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

int env_names_push(struct env_names *l, const char *s)
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

int env_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* argv[0]-style lookup of an executable in $PATH; malloc'd or NULL. */
char *env_which(const char *name)
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

int env_sha256_hex(const void *data, size_t len, char hex[65])
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
int env_mkdirs(const char *path)
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
int env_write_file(const char *path, const char *data, size_t len)
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

/* ---- building ------------------------------------------------------- */

/* One remover for the whole grader: openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS), never following a symlink out of the tree. */
int env_remove_tree(const char *path)
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
