/*
 * env.h - find the Django project in a checkout and give it a Python
 * environment.
 *
 * Environments are virtualenvs under the cache folder, keyed by a hash of
 * the normalised requirements text and the interpreter's version, so a class
 * that shares requirements installs once. Each env has a last-used time
 * (touched on every reuse) by which env_prune ages it. Creating one is the only phase
 * with network access (issue 4 keeps the app itself offline).
 * The default runtime (no requirements declared) is runtime/requirements.txt
 * shipped with the grader: pinned Django LTS, DRF, Pillow.
 *
 * The failure convention of err.h: -1 the grader broke; 0 done; 1 the
 * submission's environment could not be made, and `diagnosis` holds why
 * (the installer's own error lines, the unusable requirements).
 */
#ifndef GRADER_ENV_H
#define GRADER_ENV_H

#include <stdbool.h>

#include "buf.h"
#include "env_pin.h"     /* struct env_pin: a pin relaxed so that it installs */
#include "sandbox.h"

/* Folder holding manage.py: `want` (relative to the checkout, as the
 * root's grader.yaml names it) when not NULL; else the shallowest of the
 * checkout's root and up to three levels down (preferring, at one depth,
 * one whose settings module is there, then the first by name), skipping
 * virtualenvs, node_modules, site-packages and dot-folders; `others` (may
 * be NULL) gets every other such folder, relative, so a repository of
 * several projects is told which was graded. 0 found (*project_dir
 * malloc'd, the caller frees; `others` the caller's), 1 none or `want`
 * holds no manage.py (diagnosis says so), -1 error. */
struct strlist;
int env_find_project(const char *checkout, const char *want, char **project_dir, struct strlist *others,
		     struct gbuf *diagnosis);

struct env_opts {
	const char *cache_dir;       /* e.g. ~/.cache/grader; envs go in <cache>/envs */
	const char *datadir;         /* grader's data folder (runtime/requirements.txt) */
	const char *python;          /* base interpreter (--python): wins over what the
				      * project asks for; NULL = choose (see env_plan) */
	const char *python_reason;   /* the report's reason when `python` was chosen by the
				      * grader, not given (NULL: "given with --python") */
	const char *checkout;        /* the submission checkout (for requirements) */
	const char *project_dir;     /* folder holding manage.py */
	long timeout_ms;             /* install time limit; 0: GRADER_ENV_TIMEOUT_MS (timeouts.h) */
	/*
	 * Where installing runs (docs/environments.md). Every process the
	 * install starts (venv, pip/uv, sdist builds, PEP 517 backends) runs
	 * in a sandbox of this mode with the host's network and the
	 * "install" profile; SANDBOX_NONE: env probes for one itself
	 * (sandbox_probe), and fails (-1) when none works unless
	 * `unsafe_no_sandbox`, which installs on the host as the grader.
	 */
	enum sandbox_mode sandbox_mode;
	unsigned sandbox_slot;       /* the sandbox's uid when root: 60000 + slot */
	bool unsafe_no_sandbox;
	/*
	 * Requirements that their text does not pin (URL, VCS, local-path or
	 * option lines) get an environment private to the submission:
	 * <private_dir>/env, never shared nor cached, removed with that
	 * folder (the run's workspace). NULL: such requirements fail the
	 * setup (nowhere to put a private environment).
	 */
	const char *private_dir;
};

/*
 * The folder to run the boot module from for the env at env_root: the
 * env's own compiled copy (<env>/.grader-boot, written when the env was
 * built for an interpreter the grader's `boot` folder holds no bytecode
 * for) when its files are the same as boot's, else `boot`. Malloc'd, the
 * caller frees; NULL out of memory (err set).
 */
char *env_boot_dir(const char *env_root, const char *boot);

/* On 0, *python_out is the malloc'd path of the env's interpreter and
 * *reused tells whether the env was already there. */
int env_ensure(const struct env_opts *o, char **python_out, bool *reused, struct gbuf *diagnosis);

/*
 * What env_plan / env_ensure_info decided, for the report. Every string is
 * malloc'd and owned by the struct: env_info_release() frees them (and is
 * safe on a released or zeroed struct). The functions overwrite *info
 * without freeing it first.
 */
struct env_info {
	char *python;              /* the env's interpreter: <cache>/envs/<key>/bin/python
				    * (env_ensure_info: NULL unless it returned 0) */
	char *base_python;         /* the interpreter the env is made from */
	char *base_version;        /* its version, "3.11.7" */
	char *python_reason;       /* one line: why that interpreter */
	char *python_spec;         /* the PEP 440 set the project asks for (">=3.10",
				    * "==3.10.*") and the file that says so, or NULL */
	char *python_from;
	char *requirements_source; /* relative to the checkout ("Pipfile",
				    * "mysite/requirements.txt") or "(default runtime)";
				    * set even when the requirements are unusable */
	char *key;                 /* 16 hex digits */
	bool reused;               /* the env was there already (plan: is there) */
	bool private_env;          /* built for this submission only (opts.private_dir) */
	char **inferred;           /* distributions added because the project imports them
				    * undeclared (grader/boot/module-distributions.tsv) */
	size_t ninferred;
	char **inferred_grouped;   /* "DIST\tSECTION\tMAIN" for each of those the requirements
				    * file names only in a group it does not install, such
				    * as "djangorestframework\t[dependency-groups] dev\t
				    * [project] dependencies" (env_toml_grouped) */
	size_t ninferred_grouped;
	char *grouped_from;        /* with the default runtime: the Pipfile or
				    * pyproject.toml that declared packages only in
				    * groups, where inferred_grouped's are, or NULL */
	struct env_pin *relaxed;   /* pins relaxed because the install failed without a
				    * wheel for them (docs/environments.md) */
	size_t nrelaxed;
	char **left_out;           /* "LINE\tWHY": requirement lines not installed (a
				    * Windows-only package, mysqlclient, pkg-resources:
				    * env_add_requirement), for the report */
	size_t nleft_out;
};

void env_info_release(struct env_info *info);
/* Does Python `version` ("3.12" or "3.12.1") satisfy the PEP 440 set
 * `spec`? 1 yes, 0 no, -1 not understood. */
int env_python_allows(const char *spec, const char *version);

/*
 * env_ensure, telling what it chose. Requirements come from, first found
 * (env_requirement_sources[] in env_sources.c):
 * requirements.txt, requirement.txt, requirements/base.txt, Pipfile
 * ([packages]), pyproject.toml (PEP 621 [project] dependencies, else
 * [tool.poetry.dependencies]), each beside manage.py then at the root; else
 * the default runtime. The interpreter: opts.python; else one satisfying
 * .python-version / runtime.txt / Pipfile [requires] / requires-python (or
 * Poetry's python), searched among python3.X on PATH and in /usr/bin and
 * $GRADER_PYTHONS (colon-separated paths); else the default ($GRADER_PYTHON,
 * /usr/bin/python3, python3), with python_reason saying so.
 * See docs/environments.md. Same return convention as env_ensure.
 */
int env_ensure_info(const struct env_opts *o, struct env_info *info, struct gbuf *diagnosis);

/*
 * Everything env_ensure_info decides, without building: reads the project,
 * chooses the interpreter (starting it only if its version is not cached
 * yet), computes the key, and sets info->reused when the env exists. Starts
 * no installer and writes nothing but the interpreter-version cache. This
 * is the whole cost of a warm env_ensure (less one utimensat), which is
 * what benchmarks time. 1: the requirements are unusable (diagnosis).
 */
int env_plan(const struct env_opts *o, struct env_info *info, struct gbuf *diagnosis);

/*
 * Cache management (`grader env list|prune`). Both append human-readable
 * lines to `out` (the caller prints): env_list one per complete env,
 *   "<key>  <size> MB  last used YYYY-MM-DD HH:MM  python X.Y.Z  <source>"
 * env_prune one per folder removed. env_prune removes envs not used for
 * more than max_age_days (0: every env) and build folders (*.tmp-*) older
 * than an hour; it never follows a symlink. Run it when no grading is in
 * flight: a grader already running an env's interpreter loses its files.
 * A missing cache is empty. 0 or -1.
 */
int env_list(const char *cache_dir, struct gbuf *out);
int env_prune(const char *cache_dir, long max_age_days, struct gbuf *out);

/*
 * The requirements the env is built from (the sources and their order are
 * env_ensure_info's), else <datadir>/runtime/requirements.txt. Lines that
 * cannot install on Linux are dropped and psycopg2 becomes psycopg2-binary
 * (docs/environments.md). Decoded (UTF-8 with or without BOM, UTF-16 LE/BE with BOM) and normalised
 * into `normalised`: comments and blank lines dropped, lines stripped, order
 * kept, `-r FILE` includes inlined (relative to the including file, inside
 * the checkout, at most 5 deep). Files inside the checkout are opened
 * without following symlinks. *source_path (malloc'd) names the file used.
 * 0 ok, 1 the submission's requirements are unusable (`diagnosis` says why:
 * an include outside the repository, a symlink, a constraints file, ...),
 * -1 error.
 */
int env_read_requirements(const char *checkout, const char *project_dir, const char *datadir,
			  struct gbuf *normalised, char **source_path, struct gbuf *diagnosis);

/*
 * The newest installed interpreter satisfying the PEP 440 set `spec`
 * (">=3.12"): python3.X on PATH and in /usr/bin, $GRADER_PYTHONS, and the
 * one `uv python find` names when the grader installs with uv (never a
 * download). Versions are probed once and cached under <cache_dir>/envs.
 * 0 found (*path, *version "3.12.1" malloc'd), 1 none, -1.
 */
int env_find_python(const char *cache_dir, const char *spec, char **path, char **version);

/* The cache folder (paths.h's paths_cache_dir). malloc'd. */
char *env_default_cache_dir(void);

#endif
