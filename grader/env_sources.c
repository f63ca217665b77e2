/*
 * env_sources.c - which requirements source a project uses and which Python
 * version it names: two tables, env_requirement_sources[] and
 * env_python_sources[] (file name, reader), searched in their order, each
 * name beside manage.py, then in each folder above it up to the root.
 * env_read_project and
 * env_scan_python only walk them; a new source is a row and a reader here
 * (docs/hacking.md), and tests/unit/test_env.c holds both tables to
 * docs/environments.md.
 */
#include "env_internal.h"
#include "err.h"

#include <ctype.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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

/* "3.10.4", "3.10", "python-3.10.12", "3.10-dev" -> "==3.10.*" in *out:
 * 0, 1 when it names no CPython version (pypy3.9, system), -1 + err when
 * memory ran out (which must not read as "not a CPython version": the
 * submission's Python requirement would be dropped without a word). */
static int env_minor_spec(const char *v, char **out)
{
	long parts[6];
	int k;

	*out = NULL;
	while (isspace((unsigned char)*v))
		v++;
	if (strncasecmp(v, "python-", 7) == 0)
		v += 7;
	else if (strncasecmp(v, "python", 6) == 0)
		v += 6;
	k = env_version_parts(v, parts, NULL);
	if (k == 0 || parts[0] != 3)
		return 1;
	if (k == 1 ? asprintf(out, "==3.*") < 0 : asprintf(out, "==3.%ld.*", parts[1]) < 0) {
		*out = NULL;
		return err_set("out of memory");
	}
	return 0;
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


/* ---- the Python version: one reader a file ------------------------------ */

/* .python-version, runtime.txt: the first line names the version. */
static int env_python_from_line(int rootfd, const char *rel, char **spec, struct gbuf *ignored)
{
	struct gbuf text = GBUF_INIT(ENV_REQ_MAX * 2);
	int r;

	r = env_slurp(rootfd, rel, &text, ignored);
	if (r == 0) {
		const char *line = env_first_line(text.data);

		r = env_minor_spec(line, spec);
		/* What it names, quoted: "anaconda3-2023.09" says why (h377). */
		if (r > 0 && (gbuf_addf(ignored, "%s names ", rel) < 0 ||
			      gbuf_add_excerpt(ignored, line, strcspn(line, "\r\n"), 40) < 0 ||
			      gbuf_adds(ignored, ", not a CPython 3 version") < 0))
			r = -1;
	}
	gbuf_release(&text);
	return r < 0 ? -1 : 0;
}

/* Pipfile [requires] python_version, as "==3.X.*". */
static int env_python_from_pipfile(int rootfd, const char *rel, char **spec, struct gbuf *ignored)
{
	struct toml_doc doc = { NULL, 0, 0 };
	char *minor = NULL;
	int r;

	r = env_read_toml(rootfd, rel, &doc, ignored);
	if (r == 0)
		r = env_pipfile(&doc, rel, NULL, spec, ignored);
	if (r == 0 && *spec) {
		r = env_minor_spec(*spec, &minor);
		if (r > 0 && gbuf_addf(ignored, "%s: python_version '%.40s' is not a CPython 3 version", rel,
				       *spec) < 0)
			r = -1;
		free(*spec);
		*spec = minor;
	}
	toml_doc_free(&doc);
	return r < 0 ? -1 : 0;
}

/* pyproject.toml: requires-python, else Poetry's python dependency. */
static int env_python_from_pyproject(int rootfd, const char *rel, char **spec, struct gbuf *ignored)
{
	struct toml_doc doc = { NULL, 0, 0 };
	int r;

	r = env_read_toml(rootfd, rel, &doc, ignored);
	if (r == 0)
		r = env_pyproject(&doc, rel, NULL, NULL, spec, ignored);
	toml_doc_free(&doc);
	return r < 0 ? -1 : 0;
}

/* The files that name a Python version, first found wins (the table in
 * docs/environments.md, "Which interpreter"). A reader sets *spec (a PEP 440
 * set, malloc'd) or leaves it NULL, appends to `ignored` why a file said
 * nothing usable, and returns 0, or -1 + err. */
const struct env_python_source env_python_sources[] = {
	{ ".python-version", env_python_from_line },
	{ "runtime.txt", env_python_from_line },
	{ "Pipfile", env_python_from_pipfile },
	{ "pyproject.toml", env_python_from_pyproject },
};
const size_t env_npython_sources = sizeof(env_python_sources) / sizeof(env_python_sources[0]);

/* ---- the requirements: one reader a file --------------------------------- */

/* The requirement files beside a pip-format source that it does not
 * install, as env_toml_grouped's lines for them: a dev or local set
 * (requirements-dev.txt, requirements/local.txt), a deployment's
 * (requirements/production.txt). A package the code needs that only one
 * of those names is said to be there (h388, h389: "does not declare"
 * while requirements/local.txt did). Names the source itself installs
 * through -r are declared already and never inferred, so every name here
 * may go in. Best effort: an unreadable file is no group. */
#define ENV_SIBLINGS_MAX 16
static bool env_sibling_name(const char *name, bool in_requirements_dir)
{
	size_t n = strlen(name);

	if (n < 5 || strcasecmp(name + n - 4, ".txt") != 0 || name[0] == '.')
		return false;
	return in_requirements_dir || strcasestr(name, "requirement") || strncasecmp(name, "reqs", 4) == 0;
}

static int env_sibling_groups(struct env_reqs *r, const char *dir, bool in_requirements_dir,
			      const char *source, int *budget)
{
	struct gbuf text = GBUF_INIT(ENV_REQ_MAX), scratch = GBUF_INIT(1024);
	struct strlist names = { NULL, 0, 0 };
	struct dirent *de;
	char *rel = NULL, *line, *next;
	DIR *d = NULL;
	size_t i, n, seen = 0;
	int fd, rc = -1;

	fd = env_open_beneath(r->rootfd, *dir ? dir : ".", O_RDONLY | O_DIRECTORY);
	if (fd >= 0 && !(d = fdopendir(fd)))
		close(fd);
	/* The checkout is untrusted: a folder of a million names is read
	 * so far (ENV_DIR_MAX entries) and no further. */
	while (d && names.n < 4 * ENV_SIBLINGS_MAX && seen++ < ENV_DIR_MAX && (de = readdir(d)))
		if (env_sibling_name(de->d_name, in_requirements_dir) && strlist_push(&names, de->d_name) < 0)
			goto done;
	strlist_sort(&names);
	for (i = 0; i < names.n && *budget > 0; i++) {
		free(rel);
		if (asprintf(&rel, "%s%s%s", dir, *dir ? "/" : "", names.v[i]) < 0) {
			rel = NULL;
			err_set("out of memory");
			goto done;
		}
		if (!strcmp(rel, source))
			continue;
		--*budget;
		gbuf_reset(&text);
		gbuf_reset(&scratch);
		if (env_slurp(r->rootfd, rel, &text, &scratch) != 0)
			continue;
		for (line = text.data; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			while (isspace((unsigned char)*line))
				line++;
			if ((n = env_name_len(line)) == 0)
				continue;
			if (gbuf_add(r->grouped, line, n) < 0 || gbuf_addf(r->grouped, "\t%s\t%s\n", rel, source) < 0) {
				err_set("out of memory");
				goto done;
			}
		}
	}
	rc = 0;
done:
	if (d)
		closedir(d);
	gbuf_release(&text);
	gbuf_release(&scratch);
	strlist_free(&names);
	free(rel);
	return rc;
}

/* pip's format (requirements.txt and its -r includes): always counts. */
static int env_reqs_from_txt(struct env_reqs *r, const char *rel, bool *declared)
{
	const char *slash = strrchr(rel, '/');
	char *dir = NULL, *sub = NULL;
	int budget = ENV_SIBLINGS_MAX;
	int rc;

	*declared = true;
	rc = env_read_req_file(r, rel, 0);
	if (rc != 0 || !r->grouped)
		return rc;
	dir = strndup(rel, slash ? (size_t)(slash - rel) : 0);
	if (!dir)
		return err_set("out of memory");
	/* Its own folder (requirements/ when it is base.txt there), and a
	 * requirements/ folder beside a requirements.txt. */
	slash = strrchr(dir, '/');
	rc = env_sibling_groups(r, dir, !strcmp(slash ? slash + 1 : dir, "requirements"), rel, &budget);
	if (rc == 0 && strcmp(slash ? slash + 1 : dir, "requirements") != 0) {
		if (asprintf(&sub, "%s%srequirements", dir, *dir ? "/" : "") < 0) {
			sub = NULL;
			rc = err_set("out of memory");
		} else {
			rc = env_sibling_groups(r, sub, true, rel, &budget);
		}
	}
	free(dir);
	free(sub);
	return rc;
}

/* The TOML sources: count only when they declare a dependency. */
static int env_reqs_from_toml(struct env_reqs *r, const char *rel, bool pipfile, bool *declared)
{
	struct toml_doc doc = { NULL, 0, 0 };
	bool any = true;
	int sub;

	sub = env_read_toml(r->rootfd, rel, &doc, r->diag);
	if (sub == 0)
		sub = pipfile ? env_pipfile(&doc, rel, r->out, NULL, r->diag)
			      : env_pyproject(&doc, rel, r->out, &any, NULL, r->diag);
	if (sub == 0 && r->grouped && env_toml_grouped(&doc, pipfile, r->grouped) < 0)
		sub = -1;
	*declared = any && r->out->len;
	if (sub == 0 && r->out->truncated)
		sub = gbuf_adds(r->diag, "the requirements are too long") < 0 ? -1 : 1;
	toml_doc_free(&doc);
	return sub;
}

/* The version Pipfile.lock's "default" pins `name` (name_len bytes) to,
 * "==3.2.25", or NULL. */
static const char *lock_version(const cJSON *def, const char *name, size_t name_len)
{
	const cJSON *e, *v;
	char want[128], got[128];

	env_dist_normalise(name, name_len, want, sizeof(want));
	cJSON_ArrayForEach(e, def) {
		v = cJSON_GetObjectItemCaseSensitive(e, "version");
		if (e->string)
			env_dist_normalise(e->string, strlen(e->string), got, sizeof(got));
		if (e->string && !strcmp(want, got) && cJSON_IsString(v) &&
		    !strncmp(v->valuestring, "==", 2) && strlen(v->valuestring) < 64 &&
		    strspn(v->valuestring + 2, "0123456789.abcrpostdev+") == strlen(v->valuestring) - 2)
			return v->valuestring;
	}
	return NULL;
}

/*
 * Each requirement line of r->out that `pin` gives a release for (`spec`,
 * spec_len bytes: what follows the name and its extras, up to a marker,
 * blanks trimmed; "" for none): that spec made "==RELEASE", the rest of
 * the line kept as it was. The locks beside a Pipfile or a pyproject.toml
 * read alike (env_pins_from_lock, env_pins_from_toml_lock). 0, or -1
 * (memory).
 */
typedef const char *(*env_pin_fn)(const void *lock, const char *name, size_t name_len, const char *spec,
				  size_t spec_len, char *buf, size_t cap);

static int env_pin_lines(struct env_reqs *r, env_pin_fn pin_of, const void *lock)
{
	struct gbuf out = GBUF_INIT(ENV_REQ_MAX);
	const char *p, *nl, *pin;
	char ver[64];
	int rc = 0;

	for (p = gbuf_str(r->out); *p && rc == 0; p = *nl ? nl + 1 : nl) {
		size_t name = strcspn(p, "<>=!~;[ @\t\n"), head = name, spec, end;

		nl = p + strcspn(p, "\n");
		if (p[head] == '[')
			head += strcspn(p + head, "]\n") + (p[head + strcspn(p + head, "]\n")] == ']');
		spec = head + strspn(p + head, " \t");
		end = spec + strcspn(p + spec, ";\n");
		while (end > spec && strchr(" \t", p[end - 1]))
			end--;
		pin = name && *p != '-' ? pin_of(lock, p, name, p + spec, end - spec, ver, sizeof(ver)) : NULL;
		/* A spec replaced; none: the pin after the name, the blank
		 * before a marker kept. */
		end = pin && end > spec ? end : head;
		if (gbuf_add(&out, p, head) < 0 || (pin && gbuf_addf(&out, "==%s", pin) < 0) ||
		    gbuf_add(&out, p + end, (size_t)(nl - p) - end) < 0 || (*nl && gbuf_addch(&out, '\n') < 0))
			rc = -1;
	}
	if (rc == 0 && !out.truncated) {
		gbuf_reset(r->out);
		rc = gbuf_add(r->out, out.data ? out.data : "", out.len) < 0 ? -1 : 0;
	}
	gbuf_release(&out);
	return rc;
}

/* Pipfile.lock's release for a Pipfile line that names no version. */
static const char *pipfile_lock_pin(const void *def, const char *name, size_t name_len, const char *spec,
				    size_t spec_len, char *buf, size_t cap)
{
	const char *v = spec_len ? NULL : lock_version(def, name, name_len);

	if (!v || strlen(v + 2) >= cap)
		return NULL;
	snprintf(buf, cap, "%s", v + 2);
	return buf;
}

/*
 * The Pipfile.lock beside a Pipfile, what `pipenv install --deploy` (and a
 * Dockerfile built on it) installs: each of the Pipfile's lines that names
 * no version gets the lock's ("django" -> "django==3.2.25"; h728: django =
 * "*" as `pipenv install django` writes it, Django 3.2 in the lock, graded
 * on the default runtime's Django and boot-failed on an import 4.0
 * removed). A line with a version of its own keeps it; a lock that cannot
 * be read changes nothing. 0, or -1 (memory).
 */
static int env_pins_from_lock(struct env_reqs *r, const char *rel)
{
	struct gbuf text = GBUF_INIT(ENV_REQ_MAX), quiet = GBUF_INIT(512);
	char *lock = NULL;
	cJSON *doc = NULL;
	const cJSON *def;
	int rc = -1;

	if (asprintf(&lock, "%s.lock", rel) < 0) {
		lock = NULL;
		err_set("out of memory");
		goto done;
	}
	rc = env_slurp(r->rootfd, lock, &text, &quiet);
	if (rc != 0) {
		rc = rc < 0 ? -1 : 0;
		goto done;
	}
	doc = cJSON_ParseWithLength(text.data ? text.data : "", text.len);
	def = cJSON_GetObjectItemCaseSensitive(doc, "default");
	if (cJSON_IsObject(def))   /* else rc 0: not a lock we can read */
		rc = env_pin_lines(r, pipfile_lock_pin, def);
done:
	cJSON_Delete(doc);
	free(lock);
	gbuf_release(&text);
	gbuf_release(&quiet);
	return rc;
}

/* Pipfile: [packages], at the versions its Pipfile.lock pins. */
static int env_reqs_from_pipfile(struct env_reqs *r, const char *rel, bool *declared)
{
	int rc = env_reqs_from_toml(r, rel, true, declared);

	return rc == 0 ? env_pins_from_lock(r, rel) : rc;
}

/* The version a uv.lock or poetry.lock pins `name` (name_len bytes) to:
 * its [[package]] tables' name, then version; into buf (cap bytes), or
 * NULL: none, or not a plain release ("5.0.14"). */
static const char *toml_lock_version(const struct toml_doc *d, const char *name, size_t name_len, char *buf,
				     size_t cap)
{
	char want[128], got[128];
	const char *out = NULL;
	bool match = false;
	size_t i;

	env_dist_normalise(name, name_len, want, sizeof(want));
	for (i = 0; i < d->n && !out; i++) {
		const struct toml_entry *e = &d->e[i];

		if (strcmp(e->table, "package") || e->v.kind != TOML_STR)
			continue;
		if (!strcmp(e->key, "name")) {
			env_dist_normalise(e->v.s, strlen(e->v.s), got, sizeof(got));
			match = !strcmp(want, got);
		} else if (match && !strcmp(e->key, "version") && strlen(e->v.s) < cap && *e->v.s &&
			   strspn(e->v.s, "0123456789.") == strlen(e->v.s)) {
			snprintf(buf, cap, "%s", e->v.s);
			out = buf;
		}
	}
	return out;
}

/* Whether dotted release a is at least b ("5.0.14" >= "5.0"): numbers
 * compared part by part, a missing part 0. */
static bool release_at_least(const char *a, const char *b)
{
	long x, y;
	char *ea, *eb;

	while (*a || *b) {
		x = *a ? strtol(a, &ea, 10) : 0;
		y = *b ? strtol(b, &eb, 10) : 0;
		if (x != y)
			return x > y;
		a = *a ? ea + (*ea == '.') : a;
		b = *b ? eb + (*eb == '.') : b;
	}
	return true;
}

/* Whether a line's version spec (len bytes) is ">=X" alone, X a plain
 * release that `release` meets. */
static bool lower_bound_met(const char *spec, size_t len, const char *release)
{
	char lo[64];

	if (len < 3 || len - 2 >= sizeof(lo) || strncmp(spec, ">=", 2) ||
	    strspn(spec + 2, "0123456789.") < len - 2)
		return false;
	snprintf(lo, sizeof(lo), "%.*s", (int)(len - 2), spec + 2);
	return release_at_least(release, lo);
}

/* A uv.lock's or poetry.lock's release (`lock`, its toml_doc) for a line
 * that names no version, or only a lower bound the release meets. */
static const char *toml_lock_pin(const void *lock, const char *name, size_t name_len, const char *spec,
				 size_t spec_len, char *buf, size_t cap)
{
	const char *pin = toml_lock_version(lock, name, name_len, buf, cap);

	return pin && (!spec_len || lower_bound_met(spec, spec_len, pin)) ? pin : NULL;
}

/*
 * The lock beside a pyproject.toml, what `uv sync --locked` or `poetry
 * install` installs (h809: "django>=5.0.14" as `uv add` writes it, Django
 * 5.0.14 in uv.lock, graded on Django 6.0 and boot-failed on its
 * CheckConstraint(check=)): a line naming no version, or only a lower
 * bound the locked release meets, is pinned to the lock's. Any other
 * line keeps its own; a lock that cannot be read changes nothing.
 * 0, or -1 (memory).
 */
static int env_pins_from_toml_lock(struct env_reqs *r, const char *rel)
{
	static const char *const locks[] = { "uv.lock", "poetry.lock" };
	struct toml_doc doc = { NULL, 0, 0 };
	struct gbuf quiet = GBUF_INIT(512);
	const char *slash = strrchr(rel, '/');
	char *lock = NULL;
	int rc = 1;
	size_t i;

	for (i = 0; i < 2 && rc == 1; i++) {
		free(lock);
		if (asprintf(&lock, "%.*s%s%s", slash ? (int)(slash - rel) : 0, rel, slash ? "/" : "", locks[i]) < 0) {
			lock = NULL;
			rc = err_set("out of memory");
			goto done;
		}
		toml_doc_free(&doc);
		rc = env_read_toml(r->rootfd, lock, &doc, &quiet);
	}
	rc = rc == 0 ? env_pin_lines(r, toml_lock_pin, &doc) : rc < 0 ? -1 : 0;
done:
	toml_doc_free(&doc);
	free(lock);
	gbuf_release(&quiet);
	return rc;
}

/* pyproject.toml: PEP 621 [project] dependencies, else Poetry's, at the
 * versions its uv.lock or poetry.lock pins. */
static int env_reqs_from_pyproject(struct env_reqs *r, const char *rel, bool *declared)
{
	int rc = env_reqs_from_toml(r, rel, false, declared);

	return rc == 0 ? env_pins_from_toml_lock(r, rel) : rc;
}

/* Where requirements come from, first found wins (the numbered list of
 * docs/environments.md, "Where the requirements come from"). */
const struct env_requirement_source env_requirement_sources[] = {
	{ "requirements.txt", env_reqs_from_txt },
	{ "requirement.txt", env_reqs_from_txt },
	/* Saved on Windows, whose file names ignore case (h469): the
	 * project's pins, not the default runtime's said as "the project
	 * has none"; the report names the file read. */
	{ "Requirements.txt", env_reqs_from_txt },
	{ "requirements/base.txt", env_reqs_from_txt },
	{ "Pipfile", env_reqs_from_pipfile },
	{ "pyproject.toml", env_reqs_from_pyproject },
	/* A split layout without base.txt: the deployment's set (h258:
	 * only requirements/prod.txt, graded on the default runtime and told
	 * to declare what prod.txt declares). After every other source, so
	 * no project that had one changes. */
	{ "requirements/production.txt", env_reqs_from_txt },
	{ "requirements/prod.txt", env_reqs_from_txt },
	/* The same set beside manage.py, as a Dockerfile installs it (h394:
	 * only requirements-prod.txt, graded on the default runtime with
	 * its three packages said undeclared). */
	{ "requirements-prod.txt", env_reqs_from_txt },
	{ "requirements-production.txt", env_reqs_from_txt },
	{ "requirements_prod.txt", env_reqs_from_txt },
};
const size_t env_nrequirement_sources =
	sizeof(env_requirement_sources) / sizeof(env_requirement_sources[0]);


void env_project_release(struct env_project *pj)
{
	free(pj->source_path);
	free(pj->source_display);
	free(pj->python_spec);
	free(pj->python_from);
	free(pj->python_also);
	free(pj->python_also_from);
	pj->python_also = pj->python_also_from = NULL;
	gbuf_release(&pj->notes);
	strlist_free(&pj->inferred);
	gbuf_release(&pj->grouped);
	strlist_free(&pj->inferred_grouped);
	strlist_free(&pj->left_out);
	free(pj->grouped_from);
	pj->source_path = pj->source_display = pj->python_spec = pj->python_from = pj->grouped_from = NULL;
}

/*
 * The folders a requirements or Python file is looked for in, relative to
 * the checkout: manage.py's, then each above it up to the root ("" last).
 * A project in backend/src/ keeps its pyproject.toml in backend/ (Poetry's
 * src layout in a monorepo, h371), which beside-or-root missed: its
 * packages and Python were replaced by the default runtime without a
 * word. manage.py is at most three folders down (env_find_project), so
 * ENV_FOLDERS_MAX suffices; each string is malloc'd: env_folders_free.
 */
#define ENV_FOLDERS_MAX 8
static int env_folders_up(const char *project_rel, char *where[ENV_FOLDERS_MAX], size_t *n)
{
	size_t len = strlen(project_rel);

	*n = 0;
	for (;;) {
		if (*n == ENV_FOLDERS_MAX - 1 && len)
			len = 0;   /* deeper than ever found: the root still last */
		if (!(where[*n] = strndup(project_rel, len)))
			return err_set("out of memory");
		(*n)++;
		if (!len)
			return 0;
		while (len && project_rel[len - 1] != '/')
			len--;
		while (len && project_rel[len - 1] == '/')
			len--;
	}
}

static void env_folders_free(char *where[ENV_FOLDERS_MAX], size_t n)
{
	while (n)
		free(where[--n]);
}

/*
 * Which Python the project asks for: the first file of env_python_sources[]
 * that names one (each beside manage.py, then in each folder above it up
 * to the root: env_folders_up). Nothing here
 * fails the submission: an unreadable or meaningless file is noted and the
 * default interpreter used.
 */
static int env_scan_python(int rootfd, char *const *where, size_t nwhere, struct env_project *pj)
{
	struct gbuf ignored = GBUF_INIT(4096);
	char *rel = NULL, *spec = NULL;
	size_t f, w, first = env_npython_sources;
	int rc = -1;

	for (f = 0; f < env_npython_sources && !pj->python_also; f++) {
		for (w = 0; w < nwhere && !pj->python_also; w++) {
			free(rel);
			if (asprintf(&rel, "%s%s%s", where[w], *where[w] ? "/" : "", env_python_sources[f].name) < 0) {
				rel = NULL;
				err_set("out of memory");
				goto done;
			}
			if (!env_present(rootfd, rel))
				continue;
			/* Once a version file has answered, only the project
			 * files after it are read: what they allow is
			 * compared with it (env_python_conflict), and what
			 * they say of themselves is no note. */
			if (pj->python_spec && f == first)
				continue;
			gbuf_reset(&ignored);
			free(spec);
			spec = NULL;
			if (env_python_sources[f].read(rootfd, rel, &spec, &ignored) < 0)
				goto done;
			if (!pj->python_spec && ignored.len &&
			    ((pj->notes.len && gbuf_adds(&pj->notes, "; ") < 0) ||
			     gbuf_add(&pj->notes, ignored.data, ignored.len) < 0))
				goto done;
			if (!spec)
				continue;
			if (!pj->python_spec) {
				pj->python_spec = spec;
				pj->python_from = strdup(rel);
				first = f;
			} else {
				pj->python_also = spec;
				pj->python_also_from = strdup(rel);
			}
			spec = NULL;
			if (!pj->python_from || (pj->python_also && !pj->python_also_from)) {
				err_set("out of memory");
				goto done;
			}
			/* A project file names the version itself: nothing
			 * after it is asked. */
			if (first >= ENV_PYTHON_LINE_SOURCES)
				goto scanned;
		}
	}
scanned:
	rc = 0;
done:
	gbuf_release(&ignored);
	free(rel);
	free(spec);
	return rc;
}

/*
 * The requirements: the first file of env_requirement_sources[] that
 * declares any (each beside manage.py, then in each folder above it up to
 * the root: env_folders_up); a Pipfile or
 * pyproject.toml that declares no dependency does not count. Else the
 * grader's default runtime; then the groups of the first file that had
 * only groups are kept (pj->grouped_from), so that a package the code
 * needs is said to be in a group of that file, not missing from a
 * requirements.txt the project does not have (h383). 0, 1 (diagnosis), -1.
 */
int env_read_project(const char *checkout, const char *project_dir, const char *datadir,
		     bool want_python, struct env_project *pj, struct gbuf *diagnosis)
{
	struct env_reqs r = { -1, NULL, pj->reqs, diagnosis, &pj->grouped, &pj->left_out, NULL };
	struct gbuf groups = GBUF_INIT(ENV_REQ_MAX);
	char *rel = NULL, *runtime = NULL, *groups_from = NULL, *where[ENV_FOLDERS_MAX];
	const char *project_rel;
	size_t clen = strlen(checkout), s, w, nwhere = 0;
	bool found = false, declared;
	int sub;
	int rc = -1;

	while (clen > 1 && checkout[clen - 1] == '/')
		clen--;
	if (strncmp(project_dir, checkout, clen) != 0 ||
	    (project_dir[clen] != '\0' && project_dir[clen] != '/')) {
		err_set("project folder %s is not inside the checkout %s", project_dir, checkout);
		goto done;
	}
	project_rel = project_dir + clen;
	while (*project_rel == '/')
		project_rel++;
	if (env_folders_up(project_rel, where, &nwhere) < 0)
		goto done;
	r.rootfd = open(checkout, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r.rootfd < 0) {
		err_set_errno("cannot open the checkout %s", checkout);
		goto done;
	}
	r.rootname = checkout;
	if (want_python && env_scan_python(r.rootfd, where, nwhere, pj) < 0)
		goto done;
	for (s = 0; s < env_nrequirement_sources && !found; s++) {
		for (w = 0; w < nwhere && !found; w++) {
			free(rel);
			if (asprintf(&rel, "%s%s%s", where[w], *where[w] ? "/" : "",
				     env_requirement_sources[s].name) < 0) {
				rel = NULL;
				err_set("out of memory");
				goto done;
			}
			/* A symlink here is not "absent": the reader reports it,
			 * so the student knows why it was ignored. */
			if (!env_present(r.rootfd, rel))
				continue;
			gbuf_reset(pj->reqs);
			gbuf_reset(&pj->grouped);
			declared = false;
			sub = env_requirement_sources[s].read(&r, rel, &declared);
			found = sub != 0 || declared;
			if (sub != 0) {
				/* Unusable, but this is the file: the report names
				 * it (env_info.requirements_source). */
				if (sub > 0 && !pj->source_display && !(pj->source_display = strdup(rel))) {
					err_set("out of memory");
					goto done;
				}
				rc = sub;
				goto done;
			}
			if (!found && pj->grouped.len && !groups_from) {
				groups_from = strdup(rel);
				if (!groups_from || gbuf_add(&groups, pj->grouped.data, pj->grouped.len) < 0) {
					err_set("out of memory");
					goto done;
				}
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
	gbuf_reset(&pj->grouped);
	if (groups_from) {
		if (gbuf_add(&pj->grouped, groups.data, groups.len) < 0) {
			err_set("out of memory");
			goto done;
		}
		pj->grouped_from = groups_from;
		groups_from = NULL;
	}
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
		free(pj->grouped_from);
		pj->source_path = pj->grouped_from = NULL;
	}
	/* An unusable file keeps its name, for the report. */
	if (rc < 0) {
		free(pj->source_display);
		pj->source_display = NULL;
	}
	gbuf_release(&groups);
	free(groups_from);
	free(rel);
	free(runtime);
	env_folders_free(where, nwhere);
	return rc;
}

int env_read_requirements(const char *checkout, const char *project_dir, const char *datadir,
			  struct gbuf *normalised, char **source_path, struct gbuf *diagnosis)
{
	struct env_project pj = ENV_PROJECT_INIT(normalised);
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
