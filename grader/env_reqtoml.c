/*
 * env_reqtoml.c - Pipfile and pyproject.toml as requirement lines: PEP 621
 * dependencies as they are, Pipfile [packages] and Poetry
 * [tool.poetry.dependencies] through one loop (env_toml_deps) with a
 * dialect each, Poetry constraints translated to PEP 440.
 */
#include "env_internal.h"
#include "err.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

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
int env_version_parts(const char *v, long parts[6], const char **rest)
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
	rc = env_add_requirement(out, l.data, NULL);
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
 * What differs between Pipfile [packages] and Poetry's
 * [tool.poetry.dependencies], which env_toml_deps reads with one loop. In
 * both, a dependency is `name = "version"` or `name = { version, extras,
 * markers, git, ... }`.
 */
struct env_toml_dialect {
	const char *table;              /* the table listing the dependencies */
	const char *skip_key;           /* a key there that is no package (Poetry's python) */
	const char *local_keys[2];      /* keys that make it a local path / URL dependency */
	const char *ref_keys[3];        /* the git revision: the first of these present */
	const char *const *marker_keys; /* keys that are marker fragments (Pipfile's
					 * sys_platform = "== 'linux'"); none: `markers` as is */
	size_t n_marker_keys;
	bool poetry;                    /* Poetry constraints (translated); optional and
					 * Windows-platform dependencies skipped */
	const char *not_a_dep;          /* why a value neither string nor table is refused */
};

static const char *const env_pipfile_marker_keys[] = {
	"sys_platform", "platform_system", "os_name", "platform_machine", "python_version",
};

static const struct env_toml_dialect env_pipfile_dialect = {
	"packages", NULL, { "path", "file" }, { "ref", NULL, NULL }, env_pipfile_marker_keys,
	sizeof(env_pipfile_marker_keys) / sizeof(env_pipfile_marker_keys[0]), false,
	"expected a version string or a table",
};

static const struct env_toml_dialect env_poetry_dialect = {
	"tool.poetry.dependencies", "python", { "path", "url" }, { "rev", "tag", "branch" }, NULL, 0,
	true, "multiple constraints for one package are not supported; give one version",
};

/* The version of one dependency as a PEP 440 set into `spec` (reset by the
 * caller); dep->spec points at it, or stays NULL when any version will do.
 * 0, 1 (untranslatable: diag), -1. */
static int env_toml_version(const struct env_toml_dialect *dl, const char *ver, const char *file,
			    int line, struct gbuf *spec, struct env_dep *dep, struct gbuf *diag)
{
	int r;

	if (!ver)
		return 0;
	if (dl->poetry) {
		r = env_poetry_spec(ver, spec);
		if (r < 0)
			return -1;
		if (r == 1)
			return env_unsupported(diag, file, line, ver,
					       "this version constraint cannot be translated for pip");
		dep->spec = spec->len ? spec->data : NULL;
		return 0;
	}
	if (strcmp(ver, "*") != 0 && *ver) {
		if (gbuf_addf(spec, "%s%s", isdigit((unsigned char)ver[0]) ? "==" : "", ver) < 0)
			return -1;
		dep->spec = spec->data;
	}
	return 0;
}

/* The marker of a table dependency: `markers`, and for Pipfile its marker
 * keys joined with " and ", into `marker` (reset by the caller). */
static int env_toml_marker(const struct env_toml_dialect *dl, const struct toml_val *v,
			   struct gbuf *marker, struct env_dep *dep)
{
	const char *m = toml_tab_str(v, "markers");
	size_t j;

	if (!dl->n_marker_keys) {
		dep->marker = m;
		return 0;
	}
	if (m && gbuf_adds(marker, m) < 0)
		return -1;
	for (j = 0; j < dl->n_marker_keys; j++) {
		m = toml_tab_str(v, dl->marker_keys[j]);
		if (m && ((marker->len && gbuf_adds(marker, " and ") < 0) ||
			  gbuf_addf(marker, "%s %s", dl->marker_keys[j], m) < 0))
			return -1;
	}
	dep->marker = marker->len ? marker->data : NULL;
	return 0;
}

/* One dependency entry as a requirement line into `out`; `spec` and
 * `marker` are scratch buffers. 0 (added or skipped), 1 (diag), -1. */
static int env_toml_dep(const struct env_toml_dialect *dl, const struct toml_entry *e, const char *file,
			struct gbuf *out, struct gbuf *spec, struct gbuf *marker, struct gbuf *diag)
{
	const struct toml_val *v = &e->v, *opt;
	struct env_dep dep = { e->key, NULL, NULL, NULL, NULL, NULL };
	const char *ver = NULL, *platform;
	size_t j;
	int r;

	gbuf_reset(spec);
	gbuf_reset(marker);
	if (v->kind == TOML_STR) {
		ver = v->s;
	} else if (v->kind == TOML_TAB) {
		opt = toml_tab_get(v, "optional");
		if (dl->poetry && opt && opt->kind == TOML_BARE && strcmp(opt->s, "true") == 0)
			return 0;
		if (toml_tab_get(v, dl->local_keys[0]) || toml_tab_get(v, dl->local_keys[1]))
			return env_path_dep(v, file, e->key, diag);
		platform = toml_tab_str(v, "platform");
		if (dl->poetry && platform &&
		    (strcmp(platform, "win32") == 0 || strcmp(platform, "windows") == 0))
			return 0;
		ver = toml_tab_str(v, "version");
		dep.extras = toml_tab_get(v, "extras");
		dep.git = toml_tab_str(v, "git");
		for (j = 0; j < 3 && dl->ref_keys[j] && !dep.ref; j++)
			dep.ref = toml_tab_str(v, dl->ref_keys[j]);
		if (env_toml_marker(dl, v, marker, &dep) < 0)
			return -1;
	} else {
		return env_unsupported(diag, file, v->line, e->key, dl->not_a_dep);
	}
	r = env_toml_version(dl, ver, file, v->line, spec, &dep, diag);
	if (r)
		return r;
	return env_dep_line(&dep, file, v->line, out, diag);
}

/* Every dependency of the dialect's table into `out`, in file order.
 * *declared (may be NULL) is set when the table has any entry. 0, 1, -1. */
static int env_toml_deps(const struct toml_doc *d, const struct env_toml_dialect *dl,
			 const char *file, struct gbuf *out, bool *declared, struct gbuf *diag)
{
	struct gbuf spec = GBUF_INIT(4096), marker = GBUF_INIT(4096);
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < d->n; i++) {
		const struct toml_entry *e = &d->e[i];

		if (strcmp(e->table, dl->table) != 0)
			continue;
		if (declared)
			*declared = true;
		if (dl->skip_key && strcmp(e->key, dl->skip_key) == 0)
			continue;
		rc = env_toml_dep(dl, e, file, out, &spec, &marker, diag);
	}
	gbuf_release(&spec);
	gbuf_release(&marker);
	return rc;
}

/*
 * Pipfile [packages] (never [dev-packages]): name = "*" | "==1.2" |
 * {version, extras, markers, git/ref, sys_platform/os_name/... as marker
 * fragments}. [requires] python_version / python_full_version -> *python.
 */
int env_pipfile(const struct toml_doc *d, const char *file, struct gbuf *out, char **python,
		struct gbuf *diag)
{
	const struct toml_val *pv;
	int rc = -1;

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
	rc = out ? env_toml_deps(d, &env_pipfile_dialect, file, out, NULL, diag) : 0;
done:
	if (rc != 0 && python) {
		free(*python);
		*python = NULL;
	}
	return rc;
}

/* PEP 621 [project] dependencies: strings, used as they are. */
static int env_pep621_deps(const struct toml_val *deps, const char *file, struct gbuf *out,
			   struct gbuf *diag)
{
	size_t i;

	if (deps->kind != TOML_ARR)
		return env_unsupported(diag, file, deps->line, "dependencies", "expected a list of strings");
	for (i = 0; i < deps->n; i++) {
		const struct toml_val *x = &deps->items[i];

		if (x->kind != TOML_STR || !env_safe_fragment(x->s) || !env_name_len(x->s))
			return env_unsupported(diag, file, x->line, x->s ? x->s : "?",
					       "not a requirement this grader can install");
		if (env_add_requirement(out, x->s, NULL) < 0)
			return -1;
	}
	return 0;
}

/*
 * pyproject.toml: PEP 621 [project] dependencies (strings, used as they
 * are), else Poetry's [tool.poetry.dependencies] (constraints translated,
 * `python` taken out, optional ones skipped as Poetry does). *declared says
 * whether either was there. Python: [project] requires-python, else
 * Poetry's python (translated).
 */
int env_pyproject(const struct toml_doc *d, const char *file, struct gbuf *out,
		  bool *declared, char **python, struct gbuf *diag)
{
	struct gbuf pyspec = GBUF_INIT(4096);
	const struct toml_val *deps = toml_get(d, "project", "dependencies");
	const struct toml_val *pv;
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
		rc = env_pep621_deps(deps, file, out, diag);
		if (rc == 0 && declared)
			*declared = true;
		goto done;
	}
	rc = env_toml_deps(d, &env_poetry_dialect, file, out, declared, diag);
done:
	if (rc != 0 && python) {
		free(*python);
		*python = NULL;
	}
	gbuf_release(&pyspec);
	return rc;
}

/* One "NAME\tSECTION\tMAIN\n" line of env_toml_grouped, for a name at the
 * start of `req` (a key, or a PEP 508 string): SECTION is "[table]", then
 * the group's key if any. 0, or -1 + err. */
static int env_grouped_line(struct gbuf *out, const char *req, const char *table, const char *key,
			    const char *main)
{
	size_t n = env_name_len(req);

	if (!n)
		return 0;
	if (gbuf_add(out, req, n) < 0 ||
	    gbuf_addf(out, "\t[%s]%s%s\t%s\n", table, key ? " " : "", key ? key : "", main) < 0)
		return err_set("out of memory");
	return 0;
}

/* The PEP 508 strings of a group's list (an include-group table is no name). */
static int env_grouped_list(struct gbuf *out, const struct toml_val *v, const char *table,
			    const char *key, const char *main)
{
	size_t i;

	for (i = 0; v->kind == TOML_ARR && i < v->n; i++)
		if (v->items[i].kind == TOML_STR &&
		    env_grouped_line(out, v->items[i].s, table, key, main) < 0)
			return -1;
	return 0;
}

/* Whether a pyproject.toml is Poetry's: a [tool.poetry...] table and no
 * PEP 621 dependencies (a uv project with only [dependency-groups] and
 * no `dependencies` key is not, h383). */
static bool env_toml_is_poetry(const struct toml_doc *d)
{
	size_t i;

	if (toml_get(d, "project", "dependencies"))
		return false;
	for (i = 0; i < d->n; i++)
		if (!strncmp(d->e[i].table, "tool.poetry", 11) &&
		    (d->e[i].table[11] == '\0' || d->e[i].table[11] == '.'))
			return true;
	return false;
}

int env_toml_grouped(const struct toml_doc *d, bool pipfile, struct gbuf *out)
{
	const char *main = pipfile ? "[packages]"
			   : env_toml_is_poetry(d) ? "[tool.poetry.dependencies]"
						   : "[project] dependencies";
	const struct toml_val *inl;
	size_t i, j, n;
	int rc = 0;

	for (i = 0; rc == 0 && i < d->n; i++) {
		const struct toml_entry *e = &d->e[i];

		if (pipfile) {
			if (!strcmp(e->table, "dev-packages"))
				rc = env_grouped_line(out, e->key, e->table, NULL, main);
			continue;
		}
		n = strlen(e->table);
		/* Poetry's groups and its older dev-dependencies: name = constraint. */
		if ((!strncmp(e->table, "tool.poetry.group.", 18) && n > 31 &&
		     !strcmp(e->table + n - 13, ".dependencies")) ||
		    !strcmp(e->table, "tool.poetry.dev-dependencies")) {
			rc = env_grouped_line(out, e->key, e->table, NULL, main);
		} else if (!strcmp(e->table, "dependency-groups")) {
			/* PEP 735, uv's `uv add --dev`: group = [strings]. */
			rc = env_grouped_list(out, &e->v, "dependency-groups", e->key, main);
		} else if (!strcmp(e->table, "project.optional-dependencies")) {
			rc = env_grouped_list(out, &e->v, e->table, e->key, main);
		} else if (!strcmp(e->table, "project") && !strcmp(e->key, "optional-dependencies") &&
			   e->v.kind == TOML_TAB) {
			inl = &e->v;
			for (j = 0; rc == 0 && j < inl->n; j++)
				rc = env_grouped_list(out, &inl->items[j], "project.optional-dependencies",
						      inl->keys[j], main);
		}
	}
	if (rc == 0 && out->truncated)
		rc = err_set("the requirements' groups are too long");
	return rc;
}
