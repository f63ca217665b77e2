/*
 * env.h - find the Django project in a checkout and give it a Python
 * environment.
 *
 * Environments are virtualenvs under the cache folder, keyed by a hash of
 * the resolved requirements text and the interpreter's version, so a class
 * that shares requirements installs once. Creating one is the only phase
 * with network access (issue 4 keeps the app itself offline).
 * The default runtime (no requirements declared) is runtime/requirements.txt
 * shipped with the grader: pinned Django LTS, DRF, Pillow.
 *
 * -1: the grader broke. Otherwise *ok says whether the submission's
 * environment could be made; `diagnosis` holds the installer's own error
 * lines when not.
 */
#ifndef GRADER_ENV_H
#define GRADER_ENV_H

#include <stdbool.h>

#include "buf.h"

/* Folder holding manage.py: the checkout's root or up to two levels down,
 * skipping virtualenvs, node_modules, site-packages and dot-folders.
 * 0 found (*project_dir malloc'd), 1 none (diagnosis says so), -1 error. */
int env_find_project(const char *checkout, char **project_dir, struct gbuf *diagnosis);

struct env_opts {
	const char *cache_dir;       /* e.g. ~/.cache/grader; envs go in <cache>/envs */
	const char *datadir;         /* grader's data folder (runtime/requirements.txt) */
	const char *python;          /* base interpreter; default $GRADER_PYTHON or python3 */
	const char *checkout;        /* the submission checkout (for requirements) */
	const char *project_dir;     /* folder holding manage.py */
	long timeout_ms;             /* install time limit; default 600000 */
};

/* On *ok, *python_out is the malloc'd path of the env's interpreter and
 * *reused tells whether the env was already there. */
int env_ensure(const struct env_opts *o, char **python_out, bool *reused, bool *ok,
	       struct gbuf *diagnosis);

/*
 * The requirements the env is built from: requirements.txt beside manage.py,
 * else at the checkout's root, else <datadir>/runtime/requirements.txt.
 * Decoded (UTF-8 with or without BOM, UTF-16 LE/BE with BOM) and normalised
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

/* The cache folder: $GRADER_CACHE_DIR, else $XDG_CACHE_HOME/grader, else
 * ~/.cache/grader. malloc'd. */
char *env_default_cache_dir(void);

#endif
