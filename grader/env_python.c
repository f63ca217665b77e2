/*
 * env_python.c - interpreters: their versions (probed once, cached by file
 * identity) and choosing the one a project asks for.
 */
#include "env_internal.h"
#include "proc.h"
#include "err.h"

#include <ctype.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- interpreters --------------------------------------------------- */

/* Whether `path` is one of pyenv's shims: a script that execs
 * $PYENV_ROOT/libexec/pyenv, which runs the version the caller's folder
 * or PYENV_VERSION selects. */
static bool env_is_pyenv_shim(const char *path)
{
	char head[4096];
	FILE *f = fopen(path, "rbe");
	size_t n = f ? fread(head, 1, sizeof(head) - 1, f) : 0;

	if (f)
		fclose(f);
	head[n] = '\0';
	return n > 2 && head[0] == '#' && head[1] == '!' && strstr(head, "libexec/pyenv") != NULL;
}

/*
 * sys.version of `python`, from <envs>/.python-versions/<hash of path> when
 * the interpreter file is unchanged (same dev, inode, mtime, size), else by
 * asking it once. The cache is what keeps the warm path process-free. An
 * interpreter that does not run is cached as such too ("!"), so candidates
 * cost one start ever, not one per run; a pyenv shim is never asked.
 * *version NULL = it does not run (*why says what it printed).
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
	/* Never a pyenv shim: it runs the version the caller's folder
	 * selects, so it passed the probe from a project with
	 * .python-version and then failed inside the sandbox, where pyenv
	 * is not (h259: "creating a virtualenv ... failed", exit 1, and
	 * cached, so every later 3.12 grade failed too). pyenv's own
	 * versions are found directly (env_search_pyenv). */
	if (env_is_pyenv_shim(python)) {
		rc = why ? gbuf_addf(why, "%s is a pyenv shim, not an interpreter", python) : 0;
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
int env_spec_allows(const char *spec, const long have[3])
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
		/* s[n] first: strchr() finds the terminating NUL in any set, so
		 * "=" alone would otherwise read past the end of the string. */
		while (n < 3 && s[n] && strchr("<>=!~", s[n]))
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
char *env_short_version(const char *v)
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


void env_choice_release(struct env_choice *c)
{
	free(c->base);
	free(c->version);
	free(c->reason);
	c->base = c->version = c->reason = NULL;
}

/* -1, 0 or 1 as version a is below, equal to or above b. */
static int env_version_cmp(const long a[3], const long b[3])
{
	int i;

	for (i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
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
	if (best->base && env_version_cmp(v, best_v) <= 0)
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

/* uv's own answer for `spec` (its managed Pythons and the ones it finds):
 * `uv python find SPEC`, when the grader installs with uv ($GRADER_UV or uv
 * on PATH). Never downloads. *path NULL when it names none. 0 or -1. */
static int env_uv_find(const char *spec, char **path)
{
	const char *uv_env = getenv("GRADER_UV");
	char *uv = uv_env && *uv_env && access(uv_env, X_OK) == 0 ? strdup(uv_env) : env_which("uv");
	const char *argv[] = { uv, "python", "find", "--no-python-downloads", spec, NULL };
	struct gbuf out = GBUF_INIT(4096);
	struct proc_result pr;
	size_t n;
	int rc = 0;

	*path = NULL;
	if (!uv)
		goto done;
	if (proc_run(argv, NULL, "/", 20000, &out, &pr) < 0) {
		rc = -1;
		goto done;
	}
	if (pr.signaled || pr.timed_out || pr.exit_code != 0 || !out.len || out.data[0] != '/')
		goto done;
	n = strcspn(out.data, "\n");
	if (!(*path = strndup(out.data, n)))
		rc = err_set("out of memory");
done:
	gbuf_release(&out);
	free(uv);
	return rc;
}

/*
 * pyenv's installed versions ($PYENV_ROOT, else ~/.pyenv: versions/X/bin/
 * python3), whose python3.X on PATH is a shim that fails unless that
 * version is selected (h114: a machine with 3.12 under pyenv graded 3.12
 * code with 3.11). 0, or -1.
 */
static int env_search_pyenv(const char *envs, const char *spec, struct env_choice *best, long best_v[3])
{
	const char *root = getenv("PYENV_ROOT"), *home = getenv("HOME");
	char *pattern = NULL;
	glob_t g;
	size_t i;
	int n = 0, rc = 0;

	memset(&g, 0, sizeof(g));
	if (root && *root)
		n = asprintf(&pattern, "%s/versions/*/bin/python3", root);
	else if (home && *home)
		n = asprintf(&pattern, "%s/.pyenv/versions/*/bin/python3", home);
	if (n < 0) {
		pattern = NULL;
		rc = err_set("out of memory");
		goto done;
	}
	if (!pattern || glob(pattern, 0, NULL, &g) != 0)
		goto done;
	for (i = 0; i < g.gl_pathc && rc == 0; i++)
		if (access(g.gl_pathv[i], X_OK) == 0)
			rc = env_consider(envs, g.gl_pathv[i], spec, best, best_v);
done:
	globfree(&g);
	free(pattern);
	return rc;
}

/*
 * The newest interpreter satisfying `spec` among python3.X on PATH and in
 * /usr/bin, pyenv's installed versions, those in $GRADER_PYTHONS
 * (colon-separated) and, when `use_uv`,
 * the one `uv python find` names, into *best (and its version in best_v).
 * 0 (best->base NULL: none), -1.
 */
static int env_search(const char *envs, const char *spec, bool use_uv, struct env_choice *best,
		      long best_v[3])
{
	const char *extra = getenv("GRADER_PYTHONS");
	char *copy = NULL, *tok, *save = NULL, *path = NULL;
	int x, rc = -1;

	for (x = 6; x <= 20; x++) {
		char name[32];

		snprintf(name, sizeof(name), "python3.%d", x);
		free(path);
		path = env_which(name);
		if (path && env_consider(envs, path, spec, best, best_v) < 0)
			goto done;
		snprintf(name, sizeof(name), "/usr/bin/python3.%d", x);
		if (access(name, X_OK) == 0 && env_consider(envs, name, spec, best, best_v) < 0)
			goto done;
	}
	if (env_search_pyenv(envs, spec, best, best_v) < 0)
		goto done;
	copy = extra ? strdup(extra) : NULL;
	for (tok = copy ? strtok_r(copy, ":", &save) : NULL; tok; tok = strtok_r(NULL, ":", &save))
		if (tok[0] == '/' && access(tok, X_OK) == 0 &&
		    env_consider(envs, tok, spec, best, best_v) < 0)
			goto done;
	free(path);
	path = NULL;
	if (use_uv && (env_uv_find(spec, &path) < 0 ||
		       (path && env_consider(envs, path, spec, best, best_v) < 0)))
		goto done;
	rc = 0;
done:
	free(copy);
	free(path);
	return rc;
}

int env_find_python(const char *cache_dir, const char *spec, char **path, char **version)
{
	struct env_choice best = { NULL, NULL, NULL };
	long best_v[3] = { 0 };
	char *envs = NULL;
	int rc = -1;

	*path = *version = NULL;
	if (asprintf(&envs, "%s/envs", cache_dir) < 0) {
		envs = NULL;
		err_set("out of memory");
		goto done;
	}
	if (env_mkdirs(envs) < 0 || env_search(envs, spec, true, &best, best_v) < 0)
		goto done;
	rc = 1;
	if (best.base) {
		*path = best.base;
		*version = env_short_version(best.version);
		best.base = NULL;
		if (!*version) {
			free(*path);
			*path = NULL;
			rc = err_set("out of memory");
			goto done;
		}
		rc = 0;
	}
done:
	env_choice_release(&best);
	free(envs);
	return rc;
}

/*
 * A Python the requirements' Django pin asks for when no file names one:
 * Django 6 needs 3.12 or newer, and on an older default its pin was
 * relaxed to 5.2, which lacks what 6 brought ({% partialdef %},
 * django.tasks: h133, h136) and whose migrations differ (the default
 * BigAutoField). Into pj->python_spec and pj->python_from; nothing when
 * there is no such pin. 0, -1 (out of memory).
 */
int env_pin_python(struct env_project *pj)
{
	const char *line = gbuf_str(pj->reqs), *next, *p;
	int major = 0;
	size_t len;
	int rc = 0;

	for (; line && *line && !pj->python_spec; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		p = line + strspn(line, " \t");
		if (strncasecmp(p, "django", 6))
			continue;
		p += 6 + strspn(p + 6, " \t");
		/* Django==6.1.3, or a floor of 6 (>=6.0, ~=6.1): never below. */
		if ((strncmp(p, "==", 2) && strncmp(p, ">=", 2) && strncmp(p, "~=", 2)) ||
		    sscanf(p + 2, " %d", &major) != 1 || major < 6)
			continue;
		len = strcspn(p, "\r\n;#,");
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		pj->python_spec = strdup(">=3.12");
		if (!pj->python_spec || asprintf(&pj->python_from, "Django%.*s in %s", (int)len, p,
						 pj->source_display ? pj->source_display : "the requirements") < 0) {
			pj->python_from = NULL;
			rc = err_set("out of memory");
		}
	}
	return rc;
}

/* The lowest minor of Python 3 above v's that `spec` allows when it allows
 * none of v's minor or older (3.14 beside a default 3.11: a project
 * written for a newer Python), else 0. */
static long env_spec_newer_minor(const char *spec, const long v[3])
{
	long t[3] = { 3, 0, 0 };

	for (t[1] = 0; t[1] <= v[1]; t[1]++)
		if (env_spec_allows(spec, t) != 0)
			return 0;
	for (t[1] = v[1] + 1; t[1] <= 40; t[1]++)
		if (env_spec_allows(spec, t) == 1)
			return t[1];
	return 0;
}

/* For a project asking for Python 3.M, none installed: the newest
 * installed below it (the nearest: a newer minor removes what an older
 * one deprecated), else the newest of all, when newer than v. 0 or -1. */
static int env_search_nearest(const char *envs, long m, const long v[3], struct env_choice *best,
			      long best_v[3])
{
	char below[32];

	snprintf(below, sizeof(below), "<3.%ld", m);
	if (env_search(envs, below, false, best, best_v) < 0)
		return -1;
	if (best->base && env_version_cmp(best_v, v) <= 0)
		env_choice_release(best);
	if (!best->base && env_search(envs, ">=3.0", false, best, best_v) < 0)
		return -1;
	if (best->base && env_version_cmp(best_v, v) <= 0)
		env_choice_release(best);
	return 0;
}

/*
 * The base interpreter: opts.python when given; else the default one when
 * the project asks for nothing or the default satisfies it; else the newest
 * satisfying interpreter among python3.X on PATH and in /usr/bin and those
 * listed in $GRADER_PYTHONS; else, for a version file none satisfies, the
 * newest its project's other spec allows (requires-python), or the nearest
 * installed when it asks for a newer Python than the default; else the
 * default anyway (a project that says 3.8 usually runs on 3.11; if it
 * does not, boot says why). Never fails the submission.
 */
int env_choose_python(const struct env_opts *o, const char *envs, const struct env_project *pj,
		      struct env_choice *c)
{
	struct env_choice best = { NULL, NULL, NULL };
	char *shortv = NULL;
	const char *also = NULL;  /* the file whose spec the fallback satisfies */
	long v[3] = { 0 }, best_v[3] = { 0 }, m;
	int x, allows = -1;
	bool picked = false, nearest = false;
	int rc = -1;

	if (o->python) {
		c->base = env_which(o->python);
		if (!c->base) {
			err_set("no Python interpreter %s", o->python);
			goto done;
		}
		if (env_python_version(envs, c->base, &c->version) < 0)
			goto done;
		if (asprintf(&c->reason, "%s", o->python_reason ? o->python_reason : "given with --python") < 0) {
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
		} else if (allows == 0 && env_search(envs, pj->python_spec, false, &best, best_v) < 0) {
			goto done;
		}
		/* None installed satisfies it (h464: the .python-version 3.14
		 * `uv init` writes, not installed here): the newest that the
		 * project's other spec allows (requires-python >=3.12), else,
		 * when it asks for a newer Python than the default, the nearest
		 * installed; code written for 3.14 runs on 3.13 far more often
		 * than on 3.11 (Django 6 does not install on 3.11 at all). */
		if (allows == 0 && !best.base && pj->python_also) {
			if (env_search(envs, pj->python_also, false, &best, best_v) < 0)
				goto done;
			also = best.base ? pj->python_also_from : NULL;
		}
		if (allows == 0 && !best.base && (m = env_spec_newer_minor(pj->python_spec, v))) {
			if (env_search_nearest(envs, m, v, &best, best_v) < 0)
				goto done;
			nearest = best.base != NULL;
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
		x = asprintf(&c->reason, "the default interpreter (the project names no usable Python version)");
	else if (allows == -1)
		x = asprintf(&c->reason, "%s asks for Python '%s', which the grader does not understand; "
				      "using the default %s", pj->python_from, pj->python_spec, shortv);
	else if (allows == 1)
		x = asprintf(&c->reason, "%s asks for Python '%s'; the default %s satisfies it",
			     pj->python_from, pj->python_spec, shortv);
	else if (picked && nearest)
		x = asprintf(&c->reason, "%s asks for Python '%s', which is not installed here; using the nearest "
				      "installed, %s (name an installed version to choose)", pj->python_from,
			     pj->python_spec, shortv);
	else if (picked && also)
		x = asprintf(&c->reason, "%s asks for Python '%s', which is not installed here; using %s, which %s "
				      "allows ('%s')", pj->python_from, pj->python_spec, shortv, also,
			     pj->python_also);
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
	free(shortv);
	return rc;
}

int env_python_conflict(const struct env_project *pj, const struct env_choice *c, char **note)
{
	char *shortv = NULL;
	long v[3] = { 0 };
	size_t n;
	bool uv;
	int rc = 0;

	*note = NULL;
	if (!pj->python_also || !c->version || !env_version_triple(c->version, v) ||
	    env_spec_allows(pj->python_also, v) != 0)
		goto done;
	shortv = env_short_version(c->version);
	n = strlen(pj->python_also_from);
	/* uv reads requires-python, not runtime.txt or a Pipfile (h393). */
	uv = n >= 14 && !strcmp(pj->python_also_from + n - 14, "pyproject.toml");
	if (!shortv || asprintf(note, "but %s asks for '%s', which %s does not satisfy%s", pj->python_also_from,
				pj->python_also, shortv, uv ? " (uv refuses such a project)" : "") < 0) {
		*note = NULL;
		rc = err_set("out of memory");
	}
done:
	free(shortv);
	return rc;
}

int env_python_allows(const char *spec, const char *version)
{
	long v[3] = { 0 };

	return env_version_triple(version, v) ? env_spec_allows(spec, v) : -1;
}
