/*
 * env.c - find the Django project in a checkout and give it a virtualenv:
 * the shared helpers of the env family, building an env and the entry
 * points (env_plan, env_ensure_info, env_ensure).
 *
 * The family (all behind env.h; env_internal.h is theirs alone):
 *   env.c           helpers, the installer, plan/ensure
 *   env_discover.c  which folder holds manage.py
 *   env_sources.c   which requirements source and which Python the project
 *                   names: env_requirement_sources[] and env_python_sources[],
 *                   a row (file name, reader) per source, in search order
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
 * One is built under a private temporary name (seen by the install sandbox
 * at the final path), sealed read-only, and renamed into place only once
 * its `.grader-complete` marker is written, so a reader either sees a
 * complete env or none; two graders building the same key both succeed and
 * the loser of the rename race deletes its copy. The warm path (env already
 * there) starts no process: the interpreter's sys.version is cached, keyed
 * by the interpreter file's identity (device, inode, mtime, size).
 */
#include "env_internal.h"
#include "monotime.h"
#include "timeouts.h"
#include "sandbox.h"
#include "proc.h"
#include "err.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

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

/* Requirement line `line` (1-based) of reqs into dst, trimmed; false when
 * there is none. */
static bool env_req_line(const struct gbuf *reqs, unsigned long line, struct gbuf *dst)
{
	const char *p = reqs && reqs->data ? reqs->data : "", *nl;
	unsigned long i;

	for (i = 1; *p && i < line; i++) {
		nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
	if (!*p || !line)
		return false;
	nl = strchr(p, '\n');
	if (!nl)
		nl = p + strlen(p);
	while (nl > p && isspace((unsigned char)nl[-1]))
		nl--;
	return nl > p && gbuf_add_excerpt(dst, p, (size_t)(nl - p), 80) == 0;
}

/* One installer line into diag, each "-r FILE (line N)" of it replaced by
 * that line of reqs: FILE is the grader's own copy of the requirements
 * (an env's path in the cache, or .grader-requirements.txt), whose line
 * numbers are not the student's file's, so "Cannot install -r
 * /root/.cache/grader/envs/78f9.../requirements.txt (line 2) and
 * Django==3.2.25" named nothing a student could find (session 21). */
static int env_add_installer_line(struct gbuf *diag, const char *p, size_t n, const struct gbuf *reqs)
{
	struct gbuf line = GBUF_INIT(ENV_DIAG_MAX);
	const char *end = p + n, *r;
	int rc = -1;

	while ((r = memmem(p, (size_t)(end - p), "-r ", 3)) != NULL) {
		const char *q = r + 3;
		char *after = NULL;
		unsigned long ln = 0;
		bool ref;

		while (q < end && *q != ' ')
			q++;
		ref = end - q > 8 && !strncmp(q, " (line ", 7) && isdigit((unsigned char)q[7]);
		if (ref)
			ln = strtoul(q + 7, &after, 10);
		ref = ref && after < end && *after == ')';
		if (gbuf_add(&line, p, (size_t)((ref ? r : q) - p)) < 0)
			goto done;
		if (ref && !env_req_line(reqs, ln, &line) && gbuf_addf(&line, "requirement line %lu", ln) < 0)
			goto done;
		p = ref ? after + 1 : q;
	}
	/* pip's "(from line 1 of .grader-requirements.txt)": the grader's own
	 * copy, whose lines are not the student's (h377); the line is quoted
	 * before it. */
	r = memmem(p, (size_t)(end - p), " (from line ", 12);
	if (r && memmem(r, (size_t)(end - r), " of .grader-requirements.txt)", 29)) {
		const char *q = (const char *)memmem(r, (size_t)(end - r), ".grader-requirements.txt)", 25) + 25;

		if (gbuf_add(&line, p, (size_t)(r - p)) < 0)
			goto done;
		p = q;
	}
	if (gbuf_add(&line, p, (size_t)(end - p)) < 0 ||
	    gbuf_add_excerpt(diag, gbuf_str(&line), line.len, ENV_DIAG_MAX) < 0 || gbuf_addch(diag, '\n') < 0)
		goto done;
	rc = 0;
done:
	gbuf_release(&line);
	return rc;
}

/* Is this requirement line conda's export ("NAME=VERSION=BUILD", such as
 * "_libgcc_mutex=0.1=conda_forge"), which pip cannot read? */
static bool env_conda_export_line(const char *p, size_t n)
{
	size_t i = 0, eq = 0;

	while (i < n && (isalnum((unsigned char)p[i]) || p[i] == '_' || p[i] == '-' || p[i] == '.'))
		i++;
	if (!i)
		return false;
	for (; i < n; i++) {
		if (isspace((unsigned char)p[i]))
			return false;
		if (p[i] == '=') {
			if (i + 1 >= n || p[i + 1] == '=' || p[i - 1] == '=')
				return false;
			eq++;
		}
	}
	return eq == 2;
}

/*
 * A list made by conda rather than pip (h377): lines naming files on the
 * machine that made it ("asgiref @ file:///home/conda/feedstock_root/..."),
 * as `pip freeze` writes in a conda environment, or conda's own
 * NAME=VERSION=BUILD export. The installer's error names one line; this
 * says what the whole list is and how to write one pip reads. 0, or -1.
 */
static int env_add_conda_hint(struct gbuf *diag, const struct gbuf *reqs)
{
	const char *p, *nl, *file_ex = NULL, *export_ex = NULL;
	size_t nfile = 0, nexport = 0, file_len = 0, export_len = 0, n;

	for (p = gbuf_str(reqs); *p; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		n = (size_t)(nl - p);
		if (memmem(p, n, " @ file:///", 11) && !nfile++) {
			file_ex = p;
			file_len = n;
		} else if (env_conda_export_line(p, n) && !nexport++) {
			export_ex = p;
			export_len = n;
		}
	}
	if (nexport)
		return gbuf_addf(diag, "\nThe requirements are conda's export (%zu NAME=VERSION=BUILD line%s, such as "
				       "%.*s), which pip cannot read: write them with `pip list --format=freeze`, "
				       "or list what the project imports, pinned", nexport, nexport == 1 ? "" : "s",
				 (int)(export_len < 80 ? export_len : 80), export_ex) < 0 ? -1 : 0;
	if (nfile)
		return gbuf_addf(diag, "\n%zu requirement%s a file on the machine that made the list, such as "
				       "%.*s%s (`pip freeze` writes them in a conda environment): write the list "
				       "with `pip list --format=freeze`, or list what the project imports, pinned",
				 nfile, nfile == 1 ? " names" : "s name", (int)(file_len < 80 ? file_len : 80), file_ex,
				 file_len > 80 ? "..." : "") < 0 ? -1 : 0;
	return 0;
}

/* The line of [s, end) that holds `needle` and ends before `before`, the
 * last one (last) or the first (!last), trimmed of leading blanks; its
 * length in *n. NULL when none. */
static const char *env_out_line(const char *s, const char *before, const char *needle, bool last, size_t *n)
{
	const char *p, *nl, *found = NULL, *t;

	for (p = s; p < before; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(before - p));
		if (!nl)
			nl = before;
		for (t = p; t < nl && (*t == ' ' || *t == '\t'); t++)
			;
		if (memmem(t, (size_t)(nl - t), needle, strlen(needle))) {
			found = t;
			*n = (size_t)(nl - t);
			if (!last)
				break;
		}
	}
	return found;
}

/*
 * A package pip had to build from its source and could not (h400:
 * mysqlclient without MySQL's headers): its error lines are two
 * "error: subprocess-exited-with-error", which name neither the package
 * nor the cause. Said instead: the package (pip's "Collecting X" line
 * before the failure), the step that failed (its "× ... did not run
 * successfully." line) and the build's last two lines of output (the
 * exception: "Exception: Can not find valid pkg-config name."), with what
 * to do. 1 said, 0 not such a failure, -1 out of memory.
 */
static int env_add_build_failure(struct gbuf *diag, const char *s, const char *end)
{
	const char *fail = memmem(s, (size_t)(end - s), "subprocess-exited-with-error", 28);
	const char *pkg, *step, *out_end, *tail[2] = { NULL, NULL }, *p, *nl, *t;
	size_t pkg_n = 0, step_n = 0, tail_n[2] = { 0, 0 }, i;

	if (!fail)
		return 0;
	pkg = env_out_line(s, fail, "Collecting ", true, &pkg_n);
	step = env_out_line(fail, end, "did not run successfully", false, &step_n);
	out_end = memmem(fail, (size_t)(end - fail), "[end of output]", 15);
	if (!pkg)
		return 0;
	for (p = fail; out_end && p < out_end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(out_end - p));
		if (!nl)
			nl = out_end;
		for (t = p; t < nl && isspace((unsigned char)*t); t++)
			;
		if (t < nl && !memmem(t, (size_t)(nl - t), "lines of output]", 16)) {
			tail[0] = tail[1];
			tail_n[0] = tail_n[1];
			tail[1] = t;
			tail_n[1] = (size_t)(nl - t);
		}
	}
	pkg += 11;
	pkg_n -= 11;
	if ((t = memmem(pkg, pkg_n, " (from ", 7)))
		pkg_n = (size_t)(t - pkg);
	if (gbuf_adds(diag, "pip could not build ") < 0 || gbuf_add_excerpt(diag, pkg, pkg_n, 120) < 0 ||
	    gbuf_adds(diag, " from its source") < 0)
		return -1;
	if (step) {
		/* "× Getting requirements to build wheel did not run
		 * successfully.": the step, without pip's mark. */
		if (step_n > 3 && !strncmp(step, "\xc3\x97 ", 3)) {
			step += 3;
			step_n -= 3;
		}
		if (gbuf_adds(diag, " (") < 0 || gbuf_add_excerpt(diag, step, step_n, 120) < 0 ||
		    gbuf_addch(diag, ')') < 0)
			return -1;
	}
	for (i = 0; i < 2; i++)
		if (tail[i] && (gbuf_adds(diag, i == 0 || !tail[0] ? "; its build said: " : " ") < 0 ||
				gbuf_add_excerpt(diag, tail[i], tail_n[i], 200) < 0))
			return -1;
	return gbuf_adds(diag, "\nA package with no wheel for this machine is built from its source, which may "
			       "need a C library or headers the grader does not have: pin a release of it that "
			       "has a wheel, or take it out if the project does not import it") < 0 ? -1 : 1;
}

#define ENV_LONG_LINE_KEEP 480

/* A line longer than the diagnosis holds, as its first 320 and last 150
 * bytes around " ... ": where pip names the requirement and where it
 * closes the list of versions it found. */
static int env_add_long_line(struct gbuf *diag, const char *p, size_t n, const struct gbuf *reqs)
{
	struct gbuf cut = GBUF_INIT(ENV_LONG_LINE_KEEP + 16);
	const char *tail = p + n - 150;
	size_t head = 320;
	int rc;

	/* Whole UTF-8 characters at both cuts. */
	while (head > 0 && ((unsigned char)p[head] & 0xC0) == 0x80)
		head--;
	while (tail < p + n && ((unsigned char)*tail & 0xC0) == 0x80)
		tail++;
	rc = gbuf_add(&cut, p, head) < 0 || gbuf_adds(&cut, " ... ") < 0 ||
	     gbuf_add(&cut, tail, (size_t)(p + n - tail)) < 0
		? -1 : env_add_installer_line(diag, cut.data, cut.len, reqs);
	gbuf_release(&cut);
	return rc;
}

int env_add_installer_errors(struct gbuf *diag, const struct gbuf *out, const struct gbuf *reqs)
{
	const char *s = gbuf_str(out), *end = s + out->len, *p, *nl;
	const char *starts[ENV_TAIL_LINES];
	size_t lens[ENV_TAIL_LINES];
	size_t nerr = 0, ntail = 0, start_len = diag->len, i, k;
	/* Inside uv's "No solution found when resolving dependencies": its
	 * cause goes on over indented lines ("depends on one of:", the
	 * ranges, "and you require redis==6.2.0, ..."), each kept; only its
	 * first was (h457: the conflict itself was cut). */
	bool resolving = false;
	int pass;

	if ((pass = env_add_build_failure(diag, s, end)) != 0)
		return pass < 0 ? -1 : reqs ? env_add_conda_hint(diag, reqs) : 0;
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
				/* pip's "ERROR: Ignored the following versions that
				 * require a different python version: ..." is about
				 * versions it skipped, never the failure: left out, so
				 * "No matching distribution found for X" comes first. */
				/* And what pip says a conflict is caused by
				 * ("django 4.2.16 depends on asgiref>=3.6.0",
				 * h413): the line that says which pin to move. */
				bool is_err = (memmem(p, n, "ERROR", 5) != NULL ||
					       ((size_t)(nl - t) >= 5 && strncasecmp(t, "error", 5) == 0) ||
					       memmem(p, n, " depends on ", 12) != NULL ||
					       !strncmp(t, "The user requested ", 19) ||
					       (resolving && t > p)) &&
					      !memmem(p, n, "Ignored the following", 21);

				/* And under any of uv's "error:" lines, its cause
				 * chain ("Failed to download `six==1.16.0`", then
				 * "  cause: Hash mismatch", the hashes expected and
				 * computed, h703: the download's line alone read as
				 * the network's failure). */
				/* And under pip's "ERROR:" lines, their indented
				 * ones: what pip's hash-checking mode refused
				 * ("These do not:", then "    sqlparse>=0.3.1 from
				 * ...", h901: the package was lost) or which hashes
				 * a download did not match. */
				resolving = (resolving && t > p) ||
					    memmem(p, n, "No solution found when resolving", 32) != NULL ||
					    (t == p && (!strncmp(t, "error: ", 7) || !strncmp(t, "ERROR: ", 7)));

				if (!is_err)
					continue;
				if (diag->len - start_len + n > ENV_DIAG_MAX) {
					/* pip's "Could not find a version that satisfies
					 * the requirement django<7,>=6.0 (from versions:
					 * 1.1.3, ...)" runs to 3 KB: alone it left the
					 * diagnosis empty (h436). Its ends say what. */
					if (n <= ENV_LONG_LINE_KEEP || diag->len - start_len + ENV_LONG_LINE_KEEP + 8 > ENV_DIAG_MAX)
						return 0;
					if (env_add_long_line(diag, p, n, reqs) < 0)
						return -1;
					nerr++;
					continue;
				}
				if (env_add_installer_line(diag, p, n, reqs) < 0)
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
	return reqs ? env_add_conda_hint(diag, reqs) : 0;
}

/* Whether uv can compile an install's bytecode for the interpreter of
 * this sys.version: not for Python 3.6, where uv's compiler needs 3.7's
 * py_compile.PycInvalidationMode and the whole install failed on it
 * (h715: "Failed to bytecode-compile installed packages", setup-failed);
 * such an env's boots compile instead. Unknown versions compile. */
bool env_uv_compiles(const char *version)
{
	int maj = 0, min = 0;

	return !version || sscanf(version, "%d.%d", &maj, &min) != 2 || maj > 3 || (maj == 3 && min >= 7);
}

static long env_left_ms(long deadline)
{
	long left = deadline - monotime_now_ms();

	return left > 1 ? left : 1;
}

/*
 * Does the text of these (normalised) requirements pin what is installed?
 * Only lines NAME[extras] SPEC [; MARKER] [--hash=...] do: the index serves
 * every submission the same files for the same text, so such an env can be
 * shared by key. A URL, a VCS link, a local path or archive, a direct
 * reference (name @ ...) or an option line (-e, --find-links, --index-url,
 * ...) names contents that two submissions with the same text may not
 * share (their own folder, a URL whose contents change): the env is then
 * private to the submission (docs/environments.md).
 */
static bool env_reqs_pinned(const struct gbuf *reqs)
{
	static const char *const archives[] = { ".whl", ".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz",
						".tbz", ".egg" };
	const char *p = reqs->data ? reqs->data : "", *nl;

	for (; *p; p = *nl ? nl + 1 : nl) {
		const char *q, *end;
		size_t n, i;

		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		end = nl;
		n = env_name_len(p);
		if (!n)
			return false;
		for (i = 0; i < sizeof(archives) / sizeof(archives[0]); i++) {
			size_t k = strlen(archives[i]);

			if (n > k && !strncasecmp(p + n - k, archives[i], k))
				return false;
		}
		for (q = p + n; q < end; q++) {
			if (*q == '@' || *q == '/' || *q == '\\')
				return false;
			/* Options: only a trailing --hash=... is harmless. */
			if (*q == '-' && q > p && isspace((unsigned char)q[-1]) &&
			    strncmp(q, "--hash", 6) != 0)
				return false;
		}
	}
	return true;
}

/* Who runs an install, and where (see env_build). */
struct env_site {
	const char *stage;     /* host folder the env is written to */
	const char *final;     /* the path the env has once published (== stage: private) */
	const char *work;      /* scratch: HOME, TMPDIR, the installer's private cache */
	const char *log;       /* installer output; in a folder the sandbox cannot see */
	const char *checkout;  /* private envs: copied into work/src for local paths; else NULL */
	const char *req_dir;   /* the requirements file's folder, relative to the checkout */
	enum sandbox_mode mode;        /* SANDBOX_NONE: on the host (--unsafe-no-sandbox) */
	const struct sandbox_profile *profile;
	unsigned slot;
	const char *boot_src;  /* the grader's boot folder, compiled into the env (env_build_boot); NULL: not */
};

/* Environment variables passed from the grader to the installer: only
 * what reaching the registries needs (docs/environments.md). A build's code
 * can read them: never put a secret in these. */
static const char *const env_pass_vars[] = {
	"http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
	"PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_NO_INDEX", "PIP_FIND_LINKS",
	"UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX", "UV_OFFLINE",
	"PIP_DEFAULT_TIMEOUT", "UV_HTTP_TIMEOUT",
	/* The CA bundle a TLS-inspecting proxy needs (under /etc/ssl,
	 * /etc/ca-certificates or /etc/pki, which the box shows). */
	"SSL_CERT_FILE", "SSL_CERT_DIR", "PIP_CERT", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
	"UV_NATIVE_TLS",
};

/*
 * The host-loopback ports the operator's installer variables name (an index
 * or proxy on 127.0.0.1/localhost/[::1], e.g. devpi, or a test's fixture):
 * the install's own network reaches those and no other port of the host's
 * loopback (sandbox_opts.loopback_ports). A URL without a port counts as
 * 80/443 by scheme. Up to cap ports; returns how many.
 */
static size_t env_loopback_ports(int *ports, size_t cap)
{
	static const char *const VARS[] = {
		"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "PIP_INDEX_URL",
		"PIP_EXTRA_INDEX_URL", "UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX",
	};
	size_t i, k, n = 0;

	for (i = 0; i < sizeof(VARS) / sizeof(VARS[0]); i++) {
		const char *val = getenv(VARS[i]), *p = val;

		/* Every "scheme://[user@]host[:port]" in the value (UV_INDEX
		 * holds several, "name=url"). */
		while (p && (p = strstr(p, "://")) != NULL) {
			const char *h = p + 3, *end = h + strcspn(h, "/ \t?#"), *at, *c;
			bool https = p - val >= 5 && !strncasecmp(p - 5, "https", 5);
			int port;

			p = end;
			at = memchr(h, '@', (size_t)(end - h));
			if (at)
				h = at + 1;
			if (!strncmp(h, "127.", 4) || !strncasecmp(h, "localhost", 9) || !strncmp(h, "[::1]", 5)) {
				c = h[0] == '[' ? memchr(h, ']', (size_t)(end - h)) : h;
				c = c ? memchr(c, ':', (size_t)(end - c)) : NULL;
				port = c ? atoi(c + 1) : (https ? 443 : 80);
				for (k = 0; k < n && ports[k] != port; k++)
					;
				if (port > 0 && port < 65536 && k == n && n < cap)
					ports[n++] = port;
			}
		}
	}
	return n;
}

/* One "NAME=value" into strs[*n] (malloc'd); -1 when full or out of memory. */
static int env_put(char **strs, size_t cap, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int env_put(char **strs, size_t cap, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*n + 1 >= cap)
		return err_set("too many variables for the installer");
	va_start(ap, fmt);
	r = vasprintf(&strs[*n], fmt, ap);
	va_end(ap);
	if (r < 0) {
		strs[*n] = NULL;
		return err_set("out of memory");
	}
	(*n)++;
	return 0;
}

/* The installer's environment: nothing of the grader's but env_pass_vars.
 * strs gets the strings (the caller frees them), NULL-ended. */
static int env_install_envp(const struct env_site *st, char **strs, size_t cap, size_t *n)
{
	const char *w = st->work;
	size_t i;

	*n = 0;
	/* A per-build cache (PIP_CACHE_DIR, UV_CACHE_DIR in the work
	 * folder): a shared one that builds can write into would let one
	 * submission's setup.py plant a wheel that another install picks up
	 * (docs/environments.md). */
	if (env_put(strs, cap, n, "PATH=%s/bin:/usr/local/bin:/usr/bin:/bin", st->final) < 0 ||
	    env_put(strs, cap, n, "HOME=%s/home", w) < 0 || env_put(strs, cap, n, "TMPDIR=%s/tmp", w) < 0 ||
	    env_put(strs, cap, n, "XDG_CACHE_HOME=%s/cache", w) < 0 ||
	    env_put(strs, cap, n, "PIP_CACHE_DIR=%s/cache/pip", w) < 0 ||
	    env_put(strs, cap, n, "UV_CACHE_DIR=%s/cache/uv", w) < 0 ||
	    env_put(strs, cap, n, "UV_LINK_MODE=copy") < 0 || env_put(strs, cap, n, "UV_NO_CONFIG=1") < 0 ||
	    env_put(strs, cap, n, "UV_PYTHON_DOWNLOADS=never") < 0 ||
	    env_put(strs, cap, n, "PIP_CONFIG_FILE=/dev/null") < 0 ||
	    env_put(strs, cap, n, "PIP_DISABLE_PIP_VERSION_CHECK=1") < 0 ||
	    env_put(strs, cap, n, "PIP_NO_INPUT=1") < 0 || env_put(strs, cap, n, "LANG=C.UTF-8") < 0)
		return -1;
	for (i = 0; i < sizeof(env_pass_vars) / sizeof(env_pass_vars[0]); i++) {
		const char *v = getenv(env_pass_vars[i]);

		if (v && env_put(strs, cap, n, "%s=%s", env_pass_vars[i], v) < 0)
			return -1;
	}
	strs[*n] = NULL;
	return 0;
}

/*
 * The host path that must be visible in the sandbox for an interpreter or
 * tool outside /usr: for PREFIX/bin/NAME (a pyenv or /opt Python), PREFIX;
 * for anything else (uv, a wrapper script) the file itself, never its
 * folder (which may be /tmp). NULL when it is under /usr. *real gets the
 * resolved path (malloc'd) or NULL.
 */
static char *env_host_prefix(const char *exe, char **real_out)
{
	char *real = realpath(exe, NULL), *out = NULL, *slash;

	*real_out = NULL;
	if (!real || !strncmp(real, "/usr/", 5)) {
		free(real);
		return NULL;
	}
	slash = strrchr(real, '/');
	if (slash && slash - real >= 4 && !strncmp(slash - 4, "/bin", 4) && slash - 4 > real) {
		out = strndup(real, (size_t)(slash - 4 - real));
	} else {
		out = strdup(real);
	}
	*real_out = real;
	return out;
}

/*
 * Run one install step to completion: in the sandbox (st->mode), with the
 * host's network when `net` (only the install needs it: each network costs
 * a pasta start, ~50 ms, and a step that reaches nothing cannot leak), the
 * stage at the env's final path read-write, the work folder read-write,
 * the checkout read-only (private envs only) and the interpreter/uv
 * read-only; or, with --unsafe-no-sandbox, on the host. stdout+stderr end
 * up in `out` (bounded).
 */
static int env_step(const struct env_site *st, const char *const *argv, const char *cwd,
		    const char *const *tools, size_t ntools, bool net, long timeout_ms,
		    struct gbuf *out, struct proc_result *pr)
{
	char *strs[48] = { NULL };
	const char *ro[16];
	char *links = NULL, *tok, *save = NULL;
	const char *rw[2] = { st->work, st->stage };
	struct sandbox_bind bind = { st->stage, st->final, true };
	struct sandbox *sb = NULL;
	size_t nstr = 0, nro = 0, i;
	int wst = 0, fd = -1, lports[8];
	int rc = -1;

	memset(pr, 0, sizeof(*pr));
	if (env_install_envp(st, strs, sizeof(strs) / sizeof(strs[0]), &nstr) < 0)
		goto done;
	if (st->mode == SANDBOX_NONE) {
		rc = proc_run(argv, (const char *const *)strs, cwd, timeout_ms, out, pr);
		goto done;
	}
	for (i = 0; i < ntools && nro < 7; i++)
		if (tools[i])
			ro[nro++] = tools[i];
	if (st->checkout)
		ro[nro++] = st->checkout;
	/* An operator's local wheelhouse (PIP_FIND_LINKS folders): shown
	 * read-only; only the operator writes it. */
	links = getenv("PIP_FIND_LINKS") ? strdup(getenv("PIP_FIND_LINKS")) : NULL;
	for (tok = links ? strtok_r(links, " ", &save) : NULL; tok && nro < 16;
	     tok = strtok_r(NULL, " ", &save)) {
		struct stat ls;

		if (tok[0] == '/' && stat(tok, &ls) == 0 && S_ISDIR(ls.st_mode))
			ro[nro++] = tok;
	}
	{
		struct sandbox_opts so = {
			.mode = st->mode, .profile = st->profile, .argv = argv,
			.envp = (const char *const *)strs, .cwd = cwd,
			.ro_paths = ro, .nro = nro,
			.rw_paths = &st->work, .nrw = 1,
			.log_path = st->log, .log_limit = ENV_OUT_MAX,
			.wall_timeout_ms = timeout_ms, .slot = st->slot, .outbound_net = net,
			.loopback_ports = lports, .nloopback_ports = net ? env_loopback_ports(lports, 8) : 0,
		};
		/* A private env is built where it stays: no second path. */
		if (strcmp(st->stage, st->final) != 0) {
			so.binds = &bind;
			so.nbinds = 1;
		} else {
			so.rw_paths = rw;
			so.nrw = 2;
		}
		if (sandbox_spawn(&so, &sb) < 0 || sandbox_wait(sb, &wst) < 0)
			goto done;
		pr->timed_out = sandbox_verdict(sb) && !strcmp(sandbox_verdict(sb), "wall time");
	}
	sandbox_stop(sb);
	sb = NULL;
	pr->signaled = WIFSIGNALED(wst);
	pr->term_signal = pr->signaled ? WTERMSIG(wst) : 0;
	pr->exit_code = WIFEXITED(wst) ? WEXITSTATUS(wst) : -1;
	/* The log was written by our PID 1, in a folder of ours. */
	fd = open(st->log, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0) {
		char chunk[8192];
		ssize_t n;

		while ((n = read(fd, chunk, sizeof(chunk))) > 0)
			if (gbuf_add(out, chunk, (size_t)n) < 0)
				goto done;
	}
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	sandbox_stop(sb);
	if (st->log)
		unlink(st->log);
	for (i = 0; i < nstr; i++)
		free(strs[i]);
	free(links);
	return rc;
}

/* Make a folder the sandbox's uid can write (root grader: chown to it). */
static int env_mkdir_for(const struct env_site *st, const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return err_set_errno("cannot create %s", path);
	if (st->mode != SANDBOX_NONE && geteuid() == 0) {
		uid_t u = sandbox_host_uid(st->mode, st->slot);

		if (lchown(path, u, u) < 0)
			return err_set_errno("cannot hand %s to the install sandbox", path);
	}
	return 0;
}

/* Is there bytecode of the boot module for Python `version` ("3.12.1") in
 * the folder `boot` (what `make` wrote, for the system python3)? */
static bool env_boot_has_pyc(const char *boot, const char *version)
{
	unsigned major = 0, minor = 0;
	char path[4096];

	if (!version || sscanf(version, "%u.%u", &major, &minor) != 2)
		return false;
	snprintf(path, sizeof(path), "%s/__pycache__/grader_boot.cpython-%u%u.pyc", boot, major, minor);
	return access(path, R_OK) == 0;
}

/* The boot module's files an env's copy holds (env_boot_dir): what
 * run_boot.py imports and what grader_boot.py reads beside itself. */
static const char *const env_boot_files[] = { "run_boot.py", "grader_boot.py", "module-distributions.tsv" };

/*
 * The boot module compiled by the env's own interpreter, into
 * <env>/.grader-boot (docs/performance.md, "The boot module's bytecode for
 * every interpreter"). `make` writes its bytecode for the system python3
 * only; an env of another version (a project's .python-version, 3.12) would
 * compile its ~2,700 lines at every boot, 20-40 ms. The copy is compiled in
 * the install sandbox, without the network, by the venv's interpreter with
 * -I -S (no site: no .pth of the env runs), and sealed with the env: it is
 * exactly as trusted as the env's own packages, whose code already runs in
 * the app's sandbox before the boot module. Best effort: on any failure
 * (Python 3.6's py_compile has no checked-hash mode) the copy is removed
 * and each boot compiles, as before. Never fails the build.
 */
static void env_build_boot(const struct env_site *st, const char *py, const char *const *tools,
			   size_t ntools, long deadline)
{
	struct gbuf data = GBUF_INIT(1 << 20), out = GBUF_INIT(1 << 14);
	struct proc_result pr;
	char *dir = NULL, *from = NULL, *to = NULL, *src = NULL;
	size_t i;
	bool ok = false;

	if (asprintf(&dir, "%s/.grader-boot", st->stage) < 0) {
		dir = NULL;
		goto done;
	}
	if (env_mkdir_for(st, dir) < 0)
		goto done;
	for (i = 0; i < sizeof(env_boot_files) / sizeof(env_boot_files[0]); i++) {
		free(from);
		free(to);
		to = NULL;
		if (asprintf(&from, "%s/%s", st->boot_src, env_boot_files[i]) < 0) {
			from = NULL;
			goto done;
		}
		if (asprintf(&to, "%s/%s", dir, env_boot_files[i]) < 0) {
			to = NULL;
			goto done;
		}
		gbuf_reset(&data);
		if (gbuf_read_file(&data, from) < 0 || env_write_file(to, data.data ? data.data : "", data.len) < 0)
			goto done;
	}
	if (asprintf(&src, "%s/.grader-boot/grader_boot.py", st->final) < 0) {
		src = NULL;
		goto done;
	}
	{
		/* checked-hash, as `make` writes it: Python checks the source's
		 * hash at each import, so the pyc is only ever this source's. */
		const char *const argv[] = {
			py, "-I", "-S", "-c",
			"import py_compile as p, sys\n"
			"p.compile(sys.argv[1], doraise=True, "
			"invalidation_mode=p.PycInvalidationMode.CHECKED_HASH)",
			src, NULL,
		};

		if (env_step(st, argv, st->work, tools, ntools, false, env_left_ms(deadline), &out, &pr) < 0)
			goto done;
	}
	ok = !pr.timed_out && !pr.signaled && pr.exit_code == 0;
done:
	if (!ok && dir)
		env_remove_tree(dir);
	err_clear();
	gbuf_release(&data);
	gbuf_release(&out);
	free(dir);
	free(from);
	free(to);
	free(src);
}

/* Are the files at a and b the same bytes? (Bounded: the boot module's
 * files are a few hundred kilobytes at most.) */
static bool env_same_file(const char *a, const char *b)
{
	struct gbuf x = GBUF_INIT(1 << 20), y = GBUF_INIT(1 << 20);
	bool same = gbuf_read_file(&x, a) == 0 && gbuf_read_file(&y, b) == 0 && x.len == y.len &&
		    (x.len == 0 || memcmp(x.data, y.data, x.len) == 0);

	gbuf_release(&x);
	gbuf_release(&y);
	err_clear();
	return same;
}

char *env_boot_dir(const char *env_root, const char *boot)
{
	char *dir = NULL, *mine = NULL, *theirs = NULL, *pyc = NULL;
	char *use = NULL;
	DIR *d = NULL;
	struct dirent *e;
	bool ok = env_root != NULL;
	size_t i;

	if (ok && asprintf(&dir, "%s/.grader-boot", env_root) < 0) {
		dir = NULL;
		ok = false;
	}
	/* The env's copy is used only when it is this grader's: an env built
	 * by an older grader holds an older boot module. */
	for (i = 0; ok && i < sizeof(env_boot_files) / sizeof(env_boot_files[0]); i++) {
		free(mine);
		free(theirs);
		mine = theirs = NULL;
		if (asprintf(&mine, "%s/%s", boot, env_boot_files[i]) < 0 ||
		    asprintf(&theirs, "%s/%s", dir, env_boot_files[i]) < 0) {
			mine = theirs = NULL;
			ok = false;
			break;
		}
		ok = env_same_file(mine, theirs);
	}
	if (ok && asprintf(&pyc, "%s/__pycache__", dir) < 0) {
		pyc = NULL;
		ok = false;
	}
	d = ok ? opendir(pyc) : NULL;
	ok = false;
	while (d && (e = readdir(d)) != NULL)
		if (!strncmp(e->d_name, "grader_boot.", 12) && strstr(e->d_name, ".pyc"))
			ok = true;
	if (d)
		closedir(d);
	use = strdup(ok ? dir : boot);
	if (!use)
		err_set("out of memory");
	free(dir);
	free(mine);
	free(theirs);
	free(pyc);
	return use;
}

/*
 * Build the env: venv, then (when anything is required) install. The
 * stage is seen at the env's final path, so what the venv embeds (its
 * prefix in pyvenv.cfg and the scripts' shebangs) stays right after the
 * rename. A private env's requirements may name local paths: the checkout
 * is copied (inside the sandbox, into the work folder: builds write into
 * their source tree) and the installer runs in the requirements file's
 * folder of that copy, as `pip install -r` does on the student's machine.
 * 0 built, 1 the install failed (diagnosis), -1 the grader broke (no venv).
 */
static int env_build(const struct env_site *st, const char *base, const char *version, const struct gbuf *reqs,
		     long deadline, long timeout_ms, struct gbuf *diagnosis)
{
	struct gbuf out = GBUF_INIT(ENV_OUT_MAX);
	struct proc_result pr;
	/* $GRADER_UV names uv explicitly (scripts/setup installs one into
	 * .tools/uv); else uv on PATH; else pip. */
	const char *uv_env = getenv("GRADER_UV");
	char *uv0 = uv_env && *uv_env && access(uv_env, X_OK) == 0 ? strdup(uv_env) : env_which("uv");
	char *uv = uv0 ? realpath(uv0, NULL) : NULL;
	char *py = NULL, *reqfile = NULL, *stage_req = NULL, *sub = NULL, *src = NULL, *cwd = NULL;
	char *stage_py = NULL;
	char *base_real = NULL, *base_prefix = env_host_prefix(base, &base_real);
	const char *tools[3] = { uv && strncmp(uv, "/usr/", 5) ? uv : NULL, base_prefix, NULL };
	int rc = -1;

	/* Outside /usr, the interpreter is named by its real path: that is
	 * what the sandbox shows. */
	if (base_real)
		base = base_real;

	if (asprintf(&py, "%s/bin/python", st->final) < 0 ||
	    asprintf(&reqfile, "%s/" ENV_REQ_FILE, st->final) < 0 ||
	    asprintf(&stage_req, "%s/" ENV_REQ_FILE, st->stage) < 0 ||
	    asprintf(&stage_py, "%s/bin/python", st->stage) < 0) {
		err_set("out of memory");
		goto done;
	}
	if (env_mkdir_for(st, st->stage) < 0 || env_mkdir_for(st, st->work) < 0)
		goto done;
	{
		static const char *const subs[] = { "home", "tmp", "cache" };
		size_t i;

		for (i = 0; i < 3; i++) {
			free(sub);
			if (asprintf(&sub, "%s/%s", st->work, subs[i]) < 0) {
				sub = NULL;
				err_set("out of memory");
				goto done;
			}
			if (env_mkdir_for(st, sub) < 0)
				goto done;
		}
	}
	{
		/* Nothing to install: no pip in the env either, which keeps
		 * an empty requirement set fast. */
		const char *const pyv[] = {
			base, "-m", "venv", reqs->len ? st->final : "--without-pip",
			reqs->len ? NULL : st->final, NULL,
		};
		const char *const uvv[] = { uv, "venv", "-q", "--python", base, st->final, NULL };

		/* The venv reaches nothing: the interpreter is local and
		 * venv's pip comes from ensurepip's bundled wheel. */
		if (env_step(st, uv ? uvv : pyv, st->work, tools, 3, false, env_left_ms(deadline), &out,
			     &pr) < 0)
			goto done;
	}
	if (pr.timed_out || pr.signaled || pr.exit_code != 0 || access(stage_py, X_OK) != 0) {
		/* The venv is our code on our interpreter: the grader broke.
		 * (A private env's venv is made the same way.) */
		err_set("creating a virtualenv with %s failed: %.400s", base, gbuf_str(&out));
		goto done;
	}
	/* The normalised requirements live in the env: what it was built
	 * from, and the only file the installer reads. */
	if (env_write_file(stage_req, reqs->len ? reqs->data : "", reqs->len) < 0)
		goto done;
	if (reqs->len) {
		/* A private env's requirements are read from a copy beside the
		 * student's file: relative paths in them (./pkg, --find-links
		 * ./wheels) mean there what they mean on the student's machine,
		 * for pip (relative to the cwd) and uv (to the file's folder). */
		const char *rf = st->checkout ? ".grader-requirements.txt" : reqfile;
		const char *const pipv[] = {
			py, "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
			"-q", "-r", rf, NULL,
		};
		/* --compile-bytecode: pip writes the .pyc files, uv does not, and
		 * the app's sandbox mounts the env read-only, so without them
		 * every boot compiles Django again (docs/cluster.md: 4-7 s
		 * instead of 1.5 s). */
		const char *const uvv[] = {
			uv, "pip", "install", "-q", "--python", py, "-r", rf,
			env_uv_compiles(version) ? "--compile-bytecode" : NULL, NULL,
		};
		const char *const *inst = uv ? uvv : pipv;
		const char *argv[24];
		size_t k = 0, i;

		if (st->checkout) {
			/* sh -c 'cp ... && cd ... && exec installer': inside the
			 * sandbox, so a hostile tree is copied by a process that
			 * can reach nothing else. Symbolic links stay links. The
			 * copy lives in the (private) env itself, sealed with it:
			 * an editable install (-e ./pkg) points into it and must
			 * still be there when the app runs. */
			if (asprintf(&src, "%s/.grader-src", st->final) < 0 ||
			    asprintf(&cwd, "%s%s%s", src, *st->req_dir ? "/" : "", st->req_dir) < 0) {
				err_set("out of memory");
				goto done;
			}
			argv[k++] = "/bin/sh";
			argv[k++] = "-c";
			argv[k++] = "set -e; cp -R -P --preserve=mode,timestamps -- \"$1\" \"$2\"; "
				    "cd -- \"$3\"; cp -- \"$4\" .grader-requirements.txt; shift 4; "
				    "exec \"$@\"";
			argv[k++] = "sh";
			argv[k++] = st->checkout;
			argv[k++] = src;
			argv[k++] = cwd;
			argv[k++] = reqfile;
		}
		for (i = 0; inst[i] && k + 1 < sizeof(argv) / sizeof(argv[0]); i++)
			argv[k++] = inst[i];
		argv[k] = NULL;
		gbuf_reset(&out);
		if (env_step(st, argv, st->work, tools, 3, true, env_left_ms(deadline), &out, &pr) < 0)
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
			    env_add_installer_errors(diagnosis, &out, reqs) < 0)
				goto done;
			rc = 1;
			goto done;
		}
	}
	if (st->boot_src)
		env_build_boot(st, py, tools, 3, deadline);
	rc = 0;
done:
	/* The scratch folder (the checkout's copy, the installer's cache)
	 * goes with the build, whatever happened. */
	if (st->work && env_remove_tree(st->work) < 0 && rc >= 0) {
		rc = -1;
	}
	gbuf_release(&out);
	free(uv0);
	free(uv);
	free(py);
	free(reqfile);
	free(stage_req);
	free(stage_py);
	free(sub);
	free(src);
	free(cwd);
	free(base_prefix);
	free(base_real);
	return rc;
}

/* Where installing runs: a sandbox (the caller's mode, else the probe's),
 * with the "install" profile, unless told --unsafe-no-sandbox. 0 or -1. */
static int env_site_sandbox(const struct env_opts *o, struct env_site *site, struct sandbox_profile **prof)
{
	struct gbuf why = GBUF_INIT(1024);
	int rc = -1;

	site->mode = o->sandbox_mode;
	site->slot = o->sandbox_slot;
	if (site->mode == SANDBOX_NONE && !o->unsafe_no_sandbox) {
		if (sandbox_probe(&site->mode, &why) < 0)
			goto done;
		if (site->mode == SANDBOX_NONE) {
			err_set("no sandbox works here, and installing requirements runs their build code "
				"(%s); --unsafe-no-sandbox installs on the host", gbuf_str(&why));
			goto done;
		}
	}
	if (site->mode != SANDBOX_NONE && sandbox_profile_load(o->datadir, "install", prof) < 0)
		goto done;
	site->profile = *prof;
	rc = 0;
done:
	gbuf_release(&why);
	return rc;
}

/* The folder of the requirements file, relative to the checkout ("" for
 * its root or a file elsewhere); malloc'd, NULL when out of memory. */
static char *env_req_dir(const char *checkout, const char *source_path)
{
	const char *slash = source_path ? strrchr(source_path, '/') : NULL;
	size_t cl = strlen(checkout);

	if (slash && !strncmp(source_path, checkout, cl) && source_path[cl] == '/' && slash > source_path + cl)
		return strndup(source_path + cl + 1, (size_t)(slash - source_path - cl - 1));
	return strdup("");
}

/*
 * Publish a built stage: names only the grader writes are removed first
 * (the build could have planted a symlink or FIFO there), the requirements
 * it was built from, the marker and the last-used file are written, and
 * the whole tree is sealed read-only and handed to the grader's uid
 * (sandbox_seal_tree). 0, 1 the tree cannot be sealed (the build left
 * something it should not: a diagnosis), -1.
 */
static int env_publish(const char *stage, const struct gbuf *reqs, const struct gbuf *marker,
		       struct gbuf *diagnosis)
{
	static const char *const ours[] = { ENV_MARKER, ENV_LAST_USED, ENV_REQ_FILE };
	char *path = NULL;
	size_t i;
	int fd;
	int rc = -1;

	for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		free(path);
		if (asprintf(&path, "%s/%s", stage, ours[i]) < 0) {
			path = NULL;
			err_set("out of memory");
			goto done;
		}
		if (env_remove_tree(path) < 0)
			goto done;
	}
	free(path);
	path = NULL;
	if (asprintf(&path, "%s/" ENV_REQ_FILE, stage) < 0) {
		path = NULL;
		err_set("out of memory");
		goto done;
	}
	if (env_write_file(path, reqs->len ? reqs->data : "", reqs->len) < 0)
		goto done;
	free(path);
	if (asprintf(&path, "%s/" ENV_LAST_USED, stage) < 0) {
		path = NULL;
		err_set("out of memory");
		goto done;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		err_set_errno("cannot create %s", path);
		goto done;
	}
	close(fd);
	free(path);
	if (asprintf(&path, "%s/" ENV_MARKER, stage) < 0) {
		path = NULL;
		err_set("out of memory");
		goto done;
	}
	if (env_write_file(path, marker->data, marker->len) < 0)
		goto done;
	if (sandbox_seal_tree(stage) < 0) {
		if (gbuf_addf(diagnosis, "the environment could not be sealed read-only: %s", err_last()) < 0)
			goto done;
		err_clear();
		rc = 1;
		goto done;
	}
	rc = 0;
done:
	free(path);
	return rc;
}

void env_info_release(struct env_info *info)
{
	free(info->python);
	free(info->base_python);
	free(info->base_version);
	free(info->python_reason);
	free(info->python_spec);
	free(info->python_from);
	free(info->requirements_source);
	free(info->key);
	for (size_t i = 0; i < info->ninferred; i++)
		free(info->inferred[i]);
	free(info->inferred);
	for (size_t i = 0; i < info->ninferred_grouped; i++)
		free(info->inferred_grouped[i]);
	free(info->inferred_grouped);
	free(info->grouped_from);
	env_pins_free(info->relaxed, info->nrelaxed);
	for (size_t i = 0; i < info->nleft_out; i++)
		free(info->left_out[i]);
	free(info->left_out);
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

/* Does env_build install with uv ($GRADER_UV, else uv on PATH) rather than
 * pip? The pin relaxer reads the index that installer reads. */
static bool env_installer_is_uv(void)
{
	const char *uv_env = getenv("GRADER_UV");
	char *uv;
	bool yes;

	if (uv_env && *uv_env && access(uv_env, X_OK) == 0)
		return true;
	uv = env_which("uv");
	yes = uv != NULL;
	free(uv);
	return yes;
}

/* ch->reason with "SEP WHAT" after it. 0, or -1 + err. */
static int env_reason_add(struct env_choice *ch, const char *sep, const char *what, const char *close)
{
	char *longer = NULL;

	if (asprintf(&longer, "%s%s%s%s", ch->reason, sep, what, close) < 0)
		return err_set("out of memory");
	free(ch->reason);
	ch->reason = longer;
	return 0;
}

/* The interpreter's reason, with what else the project says of Python:
 * a file after the one followed that rules the version out
 * (env_python_conflict, h383), and the files ignored (pj->notes). 0, or
 * -1 + err. */
static int env_reason_notes(const struct env_project *pj, struct env_choice *ch)
{
	char *note = NULL;
	int rc = -1;

	if (env_python_conflict(pj, ch, &note) < 0 || (note && env_reason_add(ch, "; ", note, "") < 0) ||
	    (pj->notes.len && env_reason_add(ch, " (ignored: ", pj->notes.data, ")") < 0))
		goto done;
	rc = 0;
done:
	free(note);
	return rc;
}

/* The env's key: the first 16 hex digits of sha256(lines "\n" sys.version). */
static int env_key(const struct gbuf *reqs, const char *version, char hex[65])
{
	struct gbuf keysrc = GBUF_INIT(ENV_REQ_MAX * 4 + 8192);
	int rc = -1;

	if (gbuf_add(&keysrc, reqs->data ? reqs->data : "", reqs->len) < 0 ||
	    gbuf_addf(&keysrc, "\n%s", version) < 0 ||
	    env_sha256_hex(keysrc.data ? keysrc.data : "", keysrc.len, hex) < 0)
		goto done;
	hex[16] = '\0';
	rc = 0;
done:
	gbuf_release(&keysrc);
	return rc;
}

/* Where an env of key `hex` lives (private: in o->private_dir), its marker
 * and its interpreter; all malloc'd, replacing what was there. */
static int env_paths(const struct env_opts *o, const char *envs, const char *hex, bool private_env,
		     char **final, char **marker, char **python)
{
	free(*final);
	free(*marker);
	free(*python);
	*final = *marker = *python = NULL;
	if ((private_env ? asprintf(final, "%s/env", o->private_dir) : asprintf(final, "%s/%s", envs, hex)) < 0 ||
	    asprintf(marker, "%s/" ENV_MARKER, *final) < 0 || asprintf(python, "%s/bin/python", *final) < 0) {
		err_set("out of memory");
		return -1;
	}
	return 0;
}

/* The complete env at `final`: its marker is a file and its python runs. */
static bool env_complete(const char *marker, const char *python)
{
	struct stat st;

	return lstat(marker, &st) == 0 && S_ISREG(st.st_mode) && access(python, X_OK) == 0;
}

/*
 * Build the env at `final` from `reqs` (the caller set up site's sandbox):
 * in a staging folder published by one rename, or in place for a private
 * env. 0 there (*reused: someone else finished it first), 1 the install
 * failed (diagnosis; nothing left behind), -1.
 */
static int env_make(const struct env_opts *o, struct env_site *site, const struct env_project *pj,
		    const struct env_choice *ch, const char *envs, const char *final, const char *marker,
		    const char *hex, bool private_env, const struct gbuf *reqs, long deadline,
		    long timeout_ms, bool *reused, struct gbuf *diagnosis)
{
	struct gbuf mk = GBUF_INIT(16384);
	char *tmp = NULL, *work = NULL, *log = NULL, *req_dir = NULL, *boot = NULL;
	unsigned char rnd[4] = { 0 };
	struct stat st;
	bool tmp_made = false;
	int r, rc = -1;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		err_set_errno("getrandom");
		goto done;
	}
	if (private_env) {
		/* Built where it stays: <workspace>/env. */
		if (asprintf(&tmp, "%s", final) < 0 || asprintf(&work, "%s.work", final) < 0 ||
		    asprintf(&log, "%s.log", final) < 0) {
			err_set("out of memory");
			goto done;
		}
		req_dir = env_req_dir(o->checkout, pj->source_path);
		if (!req_dir) {
			err_set("out of memory");
			goto done;
		}
		site->checkout = o->checkout;
		site->req_dir = req_dir;
	} else {
		if (env_mkdirs(envs) < 0)
			goto done;
		/* A staging folder no one else uses; the build sees it at
		 * the final path (see env_build). */
		if (asprintf(&tmp, "%s.tmp-%d-%02x%02x%02x%02x", final, (int)getpid(), rnd[0], rnd[1],
			     rnd[2], rnd[3]) < 0 ||
		    asprintf(&work, "%s.work", tmp) < 0 || asprintf(&log, "%s.log", tmp) < 0) {
			err_set("out of memory");
			goto done;
		}
	}
	site->stage = tmp;
	/* On the host (--unsafe-no-sandbox) nothing can show the stage at
	 * the final path: the env is made where it is built, as it always
	 * was (its scripts' shebangs then name the staging path; bin/python
	 * is a link to the base interpreter and works from anywhere). */
	site->final = site->mode == SANDBOX_NONE ? tmp : final;
	site->work = work;
	site->log = log;
	/* A private env serves one boot: compiling for it would cost more
	 * than the one compile it saves. */
	if (!private_env && o->datadir && asprintf(&boot, "%s/grader/boot", o->datadir) >= 0 &&
	    !env_boot_has_pyc(boot, ch->version))
		site->boot_src = boot;
	tmp_made = true; /* from here on, anything at tmp is ours to delete */
	r = env_build(site, ch->base, ch->version, reqs, deadline, timeout_ms, diagnosis);
	if (r != 0) {
		rc = r;
		goto done;
	}
	if (gbuf_addf(&mk, "key %s\npython %s\nversion %s\nrequirements %s\nsource %s\n%s", hex,
		      ch->base, ch->version, pj->source_path, pj->source_display,
		      private_env ? "private yes\n" : "") < 0)
		goto done;
	r = env_publish(tmp, reqs, &mk, diagnosis);
	if (r != 0) {
		rc = r;
		goto done;
	}
	if (private_env) {
		tmp_made = false;
	} else if (rename(tmp, final) < 0) {
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
	rc = 0;
done:
	if (tmp_made)
		env_remove_tree(tmp);
	/* The install's pasta was killed at its sandbox's stop; its exit ran
	 * beside the sealing (sandbox.h). */
	sandbox_reap_deferred();
	site->checkout = NULL;
	site->req_dir = NULL;
	site->boot_src = NULL;
	gbuf_release(&mk);
	free(boot);
	free(tmp);
	free(work);
	free(log);
	free(req_dir);
	return rc;
}

/*
 * The requirements failed to install: relax the pins that have no wheel
 * for this Python (env_relax.c). 0 with info->relaxed set and *reqs
 * replaced by the relaxed lines, 1 nothing to relax, -1.
 */
static int env_relax(struct gbuf *reqs, const char *base_version, struct env_info *info)
{
	struct gbuf out = GBUF_INIT(ENV_REQ_MAX * 4);
	struct env_pin *pins = NULL;
	size_t n = 0;
	int rc = -1;

	if (env_relax_pins(reqs, base_version, env_installer_is_uv(), &out, &pins, &n) < 0)
		goto done;
	if (!n) {
		rc = 1;
		goto done;
	}
	gbuf_reset(reqs);
	if (gbuf_add(reqs, out.data ? out.data : "", out.len) < 0)
		goto done;
	info->relaxed = pins;
	info->nrelaxed = n;
	pins = NULL;
	n = 0;
	rc = 0;
done:
	env_pins_free(pins, n);
	gbuf_release(&out);
	return rc;
}

/*
 * The whole of env_plan / env_ensure_info: read the project, choose the
 * interpreter, compute the key; then, when `build`, make the env unless it
 * is there. The warm path (env there) starts no process: requirements and
 * Python-version files are read, interpreter versions come from the probe
 * cache, the env is found by stat (and a relaxation recorded by an earlier
 * build, when there is one, is one small file read). Only when an install
 * fails are its pins relaxed (env_relax.c) and the env built again, keyed
 * by the relaxed lines; the relaxation is recorded under the original
 * key (env_relax_record_*) so that the next run finds the env warm.
 */
static int env_run(const struct env_opts *o, bool build, struct env_info *info, struct gbuf *diagnosis)
{
	struct gbuf reqs = GBUF_INIT(ENV_REQ_MAX * 4);
	struct env_project pj = ENV_PROJECT_INIT(&reqs);
	struct env_choice ch = { NULL, NULL, NULL };
	long timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : GRADER_ENV_TIMEOUT_MS;
	long deadline = monotime_now_ms() + timeout_ms;
	char *envs = NULL, *final = NULL, *marker = NULL;
	struct sandbox_profile *prof = NULL;
	struct env_site site;
	char hex[65], orig[65];
	size_t diag_len;
	bool private_env, ok = false;
	int r;
	int rc = -1;

	memset(info, 0, sizeof(*info));
	r = env_read_project_inferred(o->checkout, o->project_dir, o->datadir, true, &pj, diagnosis);
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
	/* What the code imports and no requirement declares was added (and
	 * is said so): the env is keyed on the lines it is really built from. */
	info->inferred = pj.inferred.v;
	info->ninferred = pj.inferred.n;
	pj.inferred.v = NULL;
	pj.inferred.n = pj.inferred.cap = 0;
	info->grouped_from = pj.grouped_from;
	pj.grouped_from = NULL;
	info->inferred_grouped = pj.inferred_grouped.v;
	info->ninferred_grouped = pj.inferred_grouped.n;
	pj.inferred_grouped.v = NULL;
	pj.inferred_grouped.n = pj.inferred_grouped.cap = 0;
	info->left_out = pj.left_out.v;
	info->nleft_out = pj.left_out.n;
	pj.left_out.v = NULL;
	pj.left_out.n = pj.left_out.cap = 0;
	if (asprintf(&envs, "%s/envs", o->cache_dir) < 0) {
		envs = NULL;
		err_set("out of memory");
		goto done;
	}
	if ((!pj.python_spec && env_pin_python(&pj) < 0) || env_choose_python(o, envs, &pj, &ch) < 0)
		goto done;
	if (env_reason_notes(&pj, &ch) < 0)
		goto done;
	/* The key is what the env is: the exact requirement lines and the
	 * exact interpreter. Where the lines came from (Pipfile or
	 * requirements.txt) does not change what gets installed, so it is
	 * recorded in the env (marker, `env list`) but not hashed: two
	 * projects declaring the same packages differently share one env. */
	if (env_key(&reqs, ch.version, hex) < 0)
		goto done;
	memcpy(orig, hex, sizeof(orig));
	info->base_python = strdup(ch.base);
	info->base_version = env_short_version(ch.version);
	info->python_reason = ch.reason;
	ch.reason = NULL;
	if (pj.python_spec && (!(info->python_spec = strdup(pj.python_spec)) ||
			       !(info->python_from = strdup(pj.python_from ? pj.python_from : "the project")))) {
		err_set("out of memory");
		goto done;
	}
	/* Requirements their text does not pin get an env of their own,
	 * in the run's folder, never shared and never cached. */
	private_env = !env_reqs_pinned(&reqs);
	info->private_env = private_env;
	if (private_env && !o->private_dir) {
		if (gbuf_adds(diagnosis, "these requirements have URL, VCS, local-path or option lines, "
					 "which need an environment of the submission's own, and there is "
					 "no folder for one here") < 0)
			goto done;
		rc = 0;
		goto done;
	}
	if (!info->base_python || !info->base_version) {
		err_set("out of memory");
		goto done;
	}
	/* These requirements were relaxed by an earlier build: the env is the
	 * relaxed one (unless the plain one is there, from before). */
	if (env_paths(o, envs, hex, private_env, &final, &marker, &info->python) < 0)
		goto done;
	if (!private_env && !env_complete(marker, info->python)) {
		r = env_relax_record_read(envs, orig, &reqs, &info->relaxed, &info->nrelaxed);
		if (r < 0)
			goto done;
		if (r == 0 && (env_key(&reqs, ch.version, hex) < 0 ||
			       env_paths(o, envs, hex, private_env, &final, &marker, &info->python) < 0))
			goto done;
	}
	if (!(info->key = strdup(hex))) {
		err_set("out of memory");
		goto done;
	}

	/* Warm path: stat calls and one utimensat. */
	if (!private_env && env_complete(marker, info->python)) {
		info->reused = true;
		ok = true;
		if (build)
			env_touch_used(final);
		rc = 0;
		goto done;
	}
	if (!build) {
		ok = true;
		rc = 0;
		goto done;
	}

	memset(&site, 0, sizeof(site));
	if (env_site_sandbox(o, &site, &prof) < 0)
		goto done;
	diag_len = diagnosis->len;
	r = env_make(o, &site, &pj, &ch, envs, final, marker, hex, private_env, &reqs, deadline,
		     timeout_ms, &info->reused, diagnosis);
	if (r == 1 && !info->nrelaxed) {
		/* The install failed: pins with no wheel for this Python are
		 * relaxed, and the relaxed lines built (their own key). */
		r = env_relax(&reqs, info->base_version, info);
		if (r < 0)
			goto done;
		if (r == 0) {
			diagnosis->len = diag_len;
			if (diagnosis->data)
				diagnosis->data[diag_len] = '\0';
			free(info->key);
			if (env_key(&reqs, ch.version, hex) < 0 || !(info->key = strdup(hex)) ||
			    env_paths(o, envs, hex, private_env, &final, &marker, &info->python) < 0) {
				err_set("out of memory");
				goto done;
			}
			if (!private_env && env_complete(marker, info->python)) {
				info->reused = true;
				env_touch_used(final);
				r = 0;
			} else {
				r = env_make(o, &site, &pj, &ch, envs, final, marker, hex, private_env, &reqs,
					     deadline, timeout_ms, &info->reused, diagnosis);
			}
			if (r == 0 && !private_env &&
			    env_relax_record_write(envs, orig, &reqs, info->relaxed, info->nrelaxed) < 0)
				goto done;
			if (r == 1) {
				if (gbuf_adds(diagnosis, "\n(after relaxing pins with no wheel for this Python:") < 0)
					goto done;
				for (size_t i = 0; i < info->nrelaxed; i++)
					if (gbuf_addf(diagnosis, " %s -> %s", info->relaxed[i].from,
						      info->relaxed[i].to) < 0)
						goto done;
				if (gbuf_adds(diagnosis, ")") < 0)
					goto done;
			}
		} else {
			r = 1;
		}
	}
	if (r < 0)
		goto done;
	if (r == 1) {
		rc = 0;
		goto done;
	}
	ok = true;
	rc = 0;
done:
	if (build && (rc < 0 || !ok)) {
		free(info->python);
		info->python = NULL;
	}
	if (rc < 0) {
		env_info_release(info);
		ok = false;
	}
	env_project_release(&pj);
	env_choice_release(&ch);
	gbuf_release(&reqs);
	free(envs);
	free(final);
	free(marker);
	sandbox_profile_free(prof);
	return rc < 0 ? rc : ok ? 0 : 1;
}

int env_plan(const struct env_opts *o, struct env_info *info, struct gbuf *diagnosis)
{
	return env_run(o, false, info, diagnosis);
}

int env_ensure_info(const struct env_opts *o, struct env_info *info, struct gbuf *diagnosis)
{
	return env_run(o, true, info, diagnosis);
}

int env_ensure(const struct env_opts *o, char **python_out, bool *reused, struct gbuf *diagnosis)
{
	struct env_info info;
	int rc;

	*python_out = NULL;
	*reused = false;
	rc = env_run(o, true, &info, diagnosis);
	if (rc == 0) {
		*python_out = info.python;
		*reused = info.reused;
		info.python = NULL;
	}
	if (rc >= 0)
		env_info_release(&info);
	return rc;
}
