/*
 * env_reqtxt.c - the requirements.txt reader: decoding (BOM, UTF-16),
 * normalising, `-r` includes kept inside the checkout, and the filter for
 * what cannot install on Linux (env_add_requirement), which every source
 * goes through.
 */
#include "env_internal.h"
#include "err.h"
#include "strlist.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	const char *nulp;
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
	if (out->len && (nulp = memchr(out->data, '\0', out->len))) {
		/* Where, and whether it reads as UTF-16 (every other byte NUL):
		 * a line Windows PowerShell's >> appended to a file saved as
		 * UTF-8 (h417), which no reader of one encoding can take. */
		size_t at = (size_t)(nulp - out->data), line = 1, nul = 0, i, span;

		for (i = 0; i < at; i++)
			line += out->data[i] == '\n';
		span = out->len - at < 64 ? out->len - at : 64;
		for (i = 0; i < span; i++)
			nul += nulp[i] == '\0';
		if (gbuf_addf(diagnosis, nul * 5 >= span * 2
				  ? "%s is not a text file: from line %zu on it holds NUL bytes, as text saved "
				    "as UTF-16 does (a line Windows PowerShell's > or >> added to a file saved as "
				    "UTF-8?): save the whole file as UTF-8"
				  : "%s is not a text file (a NUL byte on line %zu)", name, line) < 0)
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

/* Join dir (relative, may be "") and an include path lexically into *out:
 * 0, 1 when it is absolute or climbs out of the root (the submission's
 * fault), -1 + err when memory ran out (the grader's, never blamed on the
 * include). */
static int env_join_inside(const char *dir, const char *inc, char **out)
{
	struct gbuf b = GBUF_INIT(4096);
	char *work = NULL, *tok, *save = NULL;
	char **parts = NULL;
	size_t n = 0, i;
	int rc = -1;

	*out = NULL;
	if (inc[0] == '/') {
		rc = 1;
		goto done;
	}
	if (asprintf(&work, "%s/%s", dir, inc) < 0) {
		work = NULL;
		err_set("out of memory");
		goto done;
	}
	parts = calloc(strlen(work) + 1, sizeof(*parts));
	if (!parts) {
		err_set("out of memory");
		goto done;
	}
	rc = 1;
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
	rc = -1;
	for (i = 0; i < n; i++)
		if ((i && gbuf_addch(&b, '/') < 0) || gbuf_adds(&b, parts[i]) < 0)
			goto done;
	*out = gbuf_detach(&b, NULL);
	if (!*out) {
		err_set("out of memory");
		goto done;
	}
	rc = 0;
done:
	gbuf_release(&b);
	free(parts);
	free(work);
	return rc;
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

size_t env_name_len(const char *s)
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
 *   same module.
 * - mysqlclient (and MySQL-python, its Python 2 ancestor) is dropped: PyPI
 *   has no Linux wheel of it, its build needs MySQL's C library and
 *   headers, and it serves only Django's MySQL backend, which the grader's
 *   own SQLite database replaces (h400: a MySQL learner's correct project
 *   scored 0, setup-failed, where the same with psycopg2-binary scored
 *   100).
 * - pkg-resources (pip freeze's line for Debian's setuptools) is dropped:
 *   no release of it exists.
 * Nothing else is dropped: a package the project imports (whitenoise in
 * MIDDLEWARE, gunicorn in a wsgi helper) must be there.
 * Option lines (-e, --find-links, ...) pass through untouched, and so does
 * a direct URL (NAME @ URL names its own artefact).
 */
int env_add_requirement(struct gbuf *out, const char *line, const char **why)
{
	static const char *const windows_only[] = { "pywin32", "pypiwin32", "pywinpty" };
	const char *semi, *rest;
	size_t n, i;

	if (why)
		*why = NULL;
	if (line[0] == '-')
		goto keep;
	n = env_name_len(line);
	if (!n)
		goto keep;
	for (i = 0; i < sizeof(windows_only) / sizeof(windows_only[0]); i++)
		if (env_name_eq(line, n, windows_only[i])) {
			if (why)
				*why = "Windows only: it cannot install on Linux, where nothing imports it";
			return 0;
		}
	/* A marker that selects Windows says so itself, as pip would skip it:
	 * nothing to tell. */
	semi = strchr(line, ';');
	if (semi && env_marker_windows_only(semi + 1))
		return 0;
	rest = line + n;
	while (isspace((unsigned char)*rest))
		rest++;
	if (*rest == '@')
		goto keep;
	if (env_name_eq(line, n, "mysqlclient") || env_name_eq(line, n, "mysql-python")) {
		if (why)
			*why = "only Django's MySQL backend uses it, and the grader gives the app its own "
			       "SQLite database (it cannot build without MySQL's headers)";
		return 0;
	}
	/* pkg-resources==0.0.0: what `pip freeze` lists on Debian and Ubuntu
	 * for the system's patched setuptools; no such release exists on
	 * PyPI, and the project never imports it by that name (h413: setup
	 * failed on it, 0). */
	if (env_name_eq(line, n, "pkg-resources")) {
		if (why)
			*why = "pip freeze's line for Debian's own setuptools: no such release exists";
		return 0;
	}
	if (env_name_eq(line, n, "psycopg2")) {
		if (gbuf_adds(out, "psycopg2-binary") < 0 || gbuf_adds(out, line + n) < 0 || gbuf_addch(out, '\n') < 0)
			return -1;
		return 0;
	}
keep:
	if (gbuf_adds(out, line) < 0 || gbuf_addch(out, '\n') < 0)
		return -1;
	return 0;
}


/*
 * Where a requirement line's parts end: its name and extras (the text
 * up to *spec), its version specifier (up to *end: ">=5,<6" of
 * "Django[argon2] >=5,<6 ; python_version < '3.13'"), then its marker or
 * options. false: no name (an option line), or a direct reference (NAME @
 * URL), which no constraint changes.
 */
static bool env_req_parts(const char *line, size_t *spec, size_t *end)
{
	size_t i = env_name_len(line);

	if (!i || strchr(line, '@'))
		return false;
	while (isspace((unsigned char)line[i]))
		i++;
	if (line[i] == '[') {
		const char *close = strchr(line + i, ']');

		if (!close)
			return false;
		i = (size_t)(close - line) + 1;
	}
	*spec = i;
	while (line[i] && line[i] != ';' && !(isspace((unsigned char)line[i]) && line[i + 1] == '-'))
		i++;
	while (i > *spec && isspace((unsigned char)line[i - 1]))
		i--;
	*end = i;
	return true;
}

/* Whether two requirement lines name one distribution (PEP 503: case,
 * and -_. alike). */
static bool env_names_same(const char *a, const char *b)
{
	size_t n = env_name_len(a), i;

	if (n != env_name_len(b))
		return false;
	for (i = 0; i < n; i++) {
		char x = (char)tolower((unsigned char)a[i]), y = (char)tolower((unsigned char)b[i]);

		if ((x == y) || (strchr("-_.", x) && strchr("-_.", y)))
			continue;
		return false;
	}
	return true;
}

/* The lines of a constraints file (normalised as requirements are) kept
 * as pins: a name with a specifier, no marker (two lines of one name for
 * two Pythons cannot both apply) and no hash. 0, -1 on OOM. */
static int env_constraints_keep(struct strlist *pins, const struct gbuf *lines)
{
	const char *p = gbuf_str(lines), *nl;
	size_t spec, end;
	int rc = 0;

	for (; rc == 0 && *p; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		if (nl == p || *p == '-' || memchr(p, ';', (size_t)(nl - p)) ||
		    memmem(p, (size_t)(nl - p), "--hash", 6))
			continue;
		rc = strlist_pushn(pins, p, (size_t)(nl - p));
		if (rc == 0 && (!env_req_parts(pins->v[pins->n - 1], &spec, &end) || spec == end))
			free(pins->v[--pins->n]);
	}
	return rc < 0 ? err_set("out of memory") : 0;
}

/*
 * The requirements `out` with each line a constraint names (by its
 * distribution name) given the constraint's specifier beside its own, as
 * pip and uv apply a constraints file: "Django>=5" and "Django==5.2.8"
 * become "Django>=5,==5.2.8". A constraint on what no line names pins a
 * package installed only as a dependency: kept as the resolver would keep
 * it only if installed, which the grader cannot tell, so it is left out.
 * 0, -1 on OOM.
 */
static int env_constrain(struct gbuf *out, const struct strlist *pins)
{
	struct gbuf res = GBUF_INIT(ENV_REQ_MAX);
	const char *p = gbuf_str(out), *nl;
	size_t spec, end, cspec, cend, k;
	int rc = 0;

	for (; rc == 0 && *p; p = *nl ? nl + 1 : nl) {
		char *line;
		const char *pin = NULL;

		nl = p + strcspn(p, "\n");
		line = strndup(p, (size_t)(nl - p));
		if (!line) {
			rc = -1;
			break;
		}
		if (env_req_parts(line, &spec, &end) && !strstr(line, "--hash"))
			for (k = 0; !pin && k < pins->n; k++)
				if (env_names_same(pins->v[k], line) && env_req_parts(pins->v[k], &cspec, &cend))
					pin = pins->v[k];
		if (!pin)
			rc = gbuf_addf(&res, "%s\n", line);
		else
			rc = gbuf_addf(&res, "%.*s%s%.*s%s\n", (int)end, line, spec == end ? "" : ",",
				       (int)(cend - cspec), pin + cspec, line + end);
		free(line);
	}
	if (rc == 0 && res.truncated)
		rc = -1;
	if (rc == 0) {
		gbuf_reset(out);
		rc = gbuf_add(out, res.data ? res.data : "", res.len);
	}
	gbuf_release(&res);
	return rc < 0 ? err_set("out of memory") : 0;
}

/* Normalise one decoded file's text into r->out. */
static int env_normalise(struct env_reqs *r, const char *rel, char *text, int depth)
{
	struct gbuf line = GBUF_INIT(ENV_REQ_MAX);
	char *p = text, *nl, *s, *e, *dir = NULL, *inc = NULL, *slash;
	const char *v, *why;
	size_t i;
	bool constraint;
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
		/* A constraints file (-c) is read as an include is, its
		 * lines kept apart: they pin what the requirements name
		 * (env_constrain), and install nothing (h703). */
		v = env_option_value(s, "-r", "--requirement");
		constraint = !v && (v = env_option_value(s, "-c", "--constraint")) != NULL;
		if (v) {
			struct gbuf *kept = r->out;
			struct gbuf pins = GBUF_INIT(ENV_REQ_MAX);

			free(inc);
			inc = NULL;
			sub = *v ? env_join_inside(dir, v, &inc) : 1;
			if (sub < 0)
				goto done;
			if (sub > 0) {
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
			if (constraint)
				r->out = &pins;
			sub = env_read_req_file(r, inc, depth + 1);
			r->out = kept;
			if (sub == 0 && constraint && env_constraints_keep(r->constraints, &pins) < 0)
				sub = -1;
			gbuf_release(&pins);
			/* Which file asked for it: a chain of -r lines is
			 * otherwise a search (h237). */
			if (sub == 1 && strstr(gbuf_str(r->diag), "cannot read the file ") &&
			    gbuf_addf(r->diag, ", which %s includes with %s", rel, constraint ? "-c" : "-r") < 0)
				goto done;
			if (sub != 0) {
				rc = sub;
				goto done;
			}
			continue;
		}
		if (env_add_requirement(r->out, s, &why) < 0)
			goto done;
		/* Said in the report (h408, h413: a line gone without a word). */
		if (why && r->left_out && !r->out->truncated) {
			struct gbuf said = GBUF_INIT(ENV_REQ_MAX);

			sub = gbuf_add_excerpt(&said, s, strlen(s), 200) < 0 || gbuf_addch(&said, '\t') < 0 ||
			      gbuf_adds(&said, why) < 0 || strlist_push(r->left_out, gbuf_str(&said)) < 0;
			gbuf_release(&said);
			if (sub)
				goto done;
		}
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

/* Read and decode rel (below rootfd, no symlinks, at most ENV_REQ_MAX) into
 * `text`, NUL-terminated. 0, 1 (unreadable: diag names it), -1. */
int env_slurp(int rootfd, const char *rel, struct gbuf *text, struct gbuf *diag)
{
	struct gbuf raw = GBUF_INIT(ENV_REQ_MAX);
	struct stat st;
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
	if (gbuf_read_fd(&raw, fd, rel) < 0)
		goto done;
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
int env_read_req_file(struct env_reqs *r, const char *rel, int depth)
{
	struct gbuf text = GBUF_INIT(ENV_REQ_MAX * 2);
	struct strlist pins = STRLIST_INIT;
	int rc;

	/* The top-level file gathers its constraints files' lines, and
	 * applies them once every include is read. */
	if (depth == 0)
		r->constraints = &pins;
	rc = env_slurp(r->rootfd, rel, &text, r->diag);
	if (rc == 0)
		rc = env_normalise(r, rel, text.data, depth);
	if (rc == 0 && depth == 0 && pins.n)
		rc = env_constrain(r->out, &pins);
	if (depth == 0)
		r->constraints = NULL;
	strlist_free(&pins);
	gbuf_release(&text);
	return rc;
}

/* Is there anything at rel (a file, or a symlink the reader will refuse)? */
bool env_present(int rootfd, const char *rel)
{
	struct stat st;
	int fd = env_open_beneath(rootfd, rel, O_RDONLY | O_NONBLOCK);

	if (fd >= 0) {
		close(fd);
		return true;
	}
	return errno != ENOENT && fstatat(rootfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0;
}
