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
int env_pipfile(const struct toml_doc *d, const char *file, struct gbuf *out, char **python,
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
int env_pyproject(const struct toml_doc *d, const char *file, struct gbuf *out,
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
