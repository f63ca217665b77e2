/*
 * env_internal.h - what the env family (env.c, env_*.c) shares; included by
 * those files only. Everything public is in env.h. The same conventions
 * hold here: 0 / 1 (the submission's input is unusable: a diagnosis line
 * says why) / -1 (the grader broke: err.h), and the caller frees what a
 * function returns malloc'd.
 */
#ifndef GRADER_ENV_INTERNAL_H
#define GRADER_ENV_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "env.h"
#include "buf.h"
#include "strlist.h"


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

/*
 * Append to `reqs` (normalised requirement lines) a line for each
 * distribution the project imports without declaring it, per
 * <datadir>/grader/boot/module-distributions.tsv (env_infer.c), and push its
 * name to `inferred`. 0, or -1 + err.
 */
int env_infer_requirements(const char *checkout, const char *project_dir, const char *datadir,
			   struct gbuf *reqs, struct strlist *inferred);

struct env_reqs {
	int rootfd;            /* the tree includes must stay in */
	const char *rootname;  /* for messages */
	struct gbuf *out;
	struct gbuf *diag;
	struct gbuf *grouped;  /* env_toml_grouped's lines; NULL: not wanted */
	struct strlist *left_out; /* "LINE\tWHY" of each line env_add_requirement
				   * left out; NULL: not wanted */
	struct strlist *constraints; /* the lines of the constraints files (-c) read
				      * so far, while env_read_req_file reads a
				      * top-level file; NULL otherwise */
};

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
	size_t n, cap_items, cap_keys;
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

struct env_project {
	struct gbuf *reqs;          /* normalised requirements */
	char *source_path;          /* the file they came from (absolute) */
	char *source_display;       /* relative to the checkout, or "(default runtime)" */
	char *python_spec;          /* PEP 440 set the interpreter must satisfy, or NULL */
	char *python_from;          /* the file that said so */
	struct gbuf notes;          /* files about Python that were ignored, and why */
	struct strlist inferred;  /* distributions appended by env_read_project_inferred */
	struct gbuf grouped;      /* the source's env_toml_grouped lines */
	struct strlist inferred_grouped; /* "DIST\tSECTION\tMAIN" of each inferred
					  * distribution `grouped` names */
	char *grouped_from;       /* a Pipfile or pyproject.toml that declared
				   * packages only in groups, so the default runtime
				   * is used: `grouped` holds its groups (h383), or NULL */
	char *python_also;          /* when python_from is a version file (.python-version,
				     * runtime.txt): the set the next file that names one
				     * allows (requires-python), else NULL */
	char *python_also_from;     /* that file */
	struct strlist left_out;  /* "LINE\tWHY": requirement lines not installed (a
				   * Windows-only package, mysqlclient, pkg-resources) */
};

/* An empty project whose normalised requirements go to `reqs` (a struct
 * gbuf *): every field set, so adding one is one place to change. */
#define ENV_PROJECT_INIT(reqs)                                                                    \
	{ (reqs), NULL, NULL, NULL, NULL, GBUF_INIT(4096), { NULL, 0, 0 }, GBUF_INIT(ENV_REQ_MAX), \
	  { NULL, 0, 0 }, NULL, NULL, NULL, { NULL, 0, 0 } }

struct env_choice {
	char *base;        /* interpreter path */
	char *version;     /* its sys.version */
	char *reason;      /* one line for the report */
};

/* env.c */
int env_open_beneath(int rootfd, const char *rel, int flags);
bool env_is_regular(int rootfd, const char *rel);
char *env_which(const char *name);
int env_sha256_hex(const void *data, size_t len, char hex[65]);
int env_mkdirs(const char *path);
int env_write_file(const char *path, const char *data, size_t len);
int env_remove_tree(const char *path);
bool env_uv_compiles(const char *version);

/* env_reqtxt.c */
size_t env_name_len(const char *s);
/* Append `line` as it installs on Linux (env_reqtxt.c says how); a line
 * left out sets *why (a static sentence) when why is not NULL, else it is
 * NULL. 0, or -1 + err. */
int env_add_requirement(struct gbuf *out, const char *line, const char **why);
int env_slurp(int rootfd, const char *rel, struct gbuf *text, struct gbuf *diag);
int env_read_req_file(struct env_reqs *r, const char *rel, int depth);
bool env_present(int rootfd, const char *rel);

/* env_toml.c */
void toml_doc_free(struct toml_doc *d);
int toml_parse(const char *text, const char *name, struct toml_doc *doc, struct gbuf *diag);
const struct toml_val *toml_get(const struct toml_doc *d, const char *table, const char *key);
const char *toml_tab_str(const struct toml_val *v, const char *key);
const struct toml_val *toml_tab_get(const struct toml_val *v, const char *key);

/* env_reqtoml.c */
int env_version_parts(const char *v, long parts[6], const char **rest);
int env_pipfile(const struct toml_doc *d, const char *file, struct gbuf *out, char **python,
		struct gbuf *diag);
int env_pyproject(const struct toml_doc *d, const char *file, struct gbuf *out,
		  bool *declared, char **python, struct gbuf *diag);
/*
 * The names a Pipfile or pyproject.toml declares only in a section the
 * grader, like a deployment, does not install: Pipfile's [dev-packages];
 * Poetry's groups and dev-dependencies, PEP 735 [dependency-groups] (uv's
 * dev dependencies), PEP 621 optional dependencies (extras). One line each
 * appended to `out`: "NAME\tSECTION\tMAIN\n", SECTION as a student finds it
 * ("[dependency-groups] dev"), MAIN where installed packages go
 * ("[tool.poetry.dependencies]"). Only said, never installed: the
 * requirements-declared check names where a package is (h371). 0, or -1.
 */
int env_toml_grouped(const struct toml_doc *d, bool pipfile, struct gbuf *out);

/* env_sources.c */
/*
 * A requirements source: the file name, relative to the project folder
 * (then the root), and its reader, which appends normalised requirement
 * lines to r->out and sets *declared when the file declares requirements
 * (a file that declares none does not count: the search goes on). 0, 1 (the
 * file is unusable: r->diag says why), -1 + err. Adding a source is a row of
 * env_requirement_sources[] (the order is the search's) and its reader.
 */
struct env_requirement_source {
	const char *name;
	int (*read)(struct env_reqs *r, const char *rel, bool *declared);
};
extern const struct env_requirement_source env_requirement_sources[];
extern const size_t env_nrequirement_sources;
/*
 * A file that may name the Python version: its reader sets *spec (a PEP 440
 * specifier set, malloc'd) or leaves it NULL, appending to `ignored` why
 * the file said nothing usable. 0, or -1 + err.
 */
struct env_python_source {
	const char *name;
	int (*read)(int rootfd, const char *rel, char **spec, struct gbuf *ignored);
};
extern const struct env_python_source env_python_sources[];
extern const size_t env_npython_sources;
/* The first rows of env_python_sources[] that are version files, a
 * version a line (.python-version, runtime.txt); the others are the
 * project's own files (Pipfile, pyproject.toml). */
#define ENV_PYTHON_LINE_SOURCES 2
void env_project_release(struct env_project *pj);
int env_read_project(const char *checkout, const char *project_dir, const char *datadir,
		     bool want_python, struct env_project *pj, struct gbuf *diagnosis);
/* env_infer.c: env_read_project, then (when it read requirements)
 * env_infer_requirements into pj->reqs and pj->inferred. Same returns. */
int env_read_project_inferred(const char *checkout, const char *project_dir, const char *datadir,
			      bool want_python, struct env_project *pj, struct gbuf *diagnosis);

/* env_relax.c */
/* A distribution's name s[0..len) PEP 503-normalised into out (outsz
 * bytes, cut to fit): lower case, runs of -_. as one '-'. */
void env_dist_normalise(const char *s, size_t len, char *out, size_t outsz);

/*
 * Relax the pins of `reqs` (normalised lines) that have no wheel for Python
 * `version` ("3.11.2") on this machine, reading the index the installer
 * reads (uv: its variables, else pip's). `out` gets the lines, relaxed or
 * not; (*pins, *npins) what was relaxed (env_pins_free). No network and no
 * change when the file is hashed, names its own index, or the installer is
 * offline. 0, or -1 (out of memory).
 */
int env_relax_pins(const struct gbuf *reqs, const char *version, bool uv, struct gbuf *out,
		   struct env_pin **pins, size_t *npins);
/* Is this wheel file name installable on CPython major.minor, this
 * machine's `arch` and glibc 2.`glibc_minor`? `version` (vsz) gets its
 * version. 1 or 0. */
int env_wheel_compatible(const char *filename, int major, int minor, const char *arch,
			 int glibc_minor, char *version, size_t vsz);
/* The index URL to read (with a trailing '/'), malloc'd; NULL: offline or
 * not an http(s) index. */
char *env_index_url(bool uv);
/*
 * The relaxation an earlier build recorded for the requirements of key
 * `orig_key` (<envs>/.relaxed/<orig_key>): *reqs replaced by the relaxed
 * lines, the pins in (*pins, *n). 0 found, 1 none (or unreadable: built
 * afresh), -1.
 */
int env_relax_record_read(const char *envs, const char *orig_key, struct gbuf *reqs,
			  struct env_pin **pins, size_t *n);
/* Record it, once the relaxed env is built. 0 or -1. */
int env_relax_record_write(const char *envs, const char *orig_key, const struct gbuf *reqs,
			   const struct env_pin *pins, size_t n);

/* env.c */
/*
 * The installer's own words for the student, appended to diag: for a
 * package pip could not build from its source, which package, the step
 * that failed and the build's last words, with what to do; otherwise lines
 * mentioning ERROR (pip) or starting with "error" (uv), but not pip's note
 * of the versions it ignored; when there are none, the last lines. Capped
 * at ENV_DIAG_MAX bytes; each line excerpted (control characters and
 * invalid UTF-8 neutralised). Then, when `reqs` is a list conda made
 * (files of the machine that froze it, or NAME=VERSION=BUILD lines), a
 * sentence saying so and how to write one pip reads. 0 or -1.
 */
int env_add_installer_errors(struct gbuf *diag, const struct gbuf *out, const struct gbuf *reqs);

/* env_python.c */
char *env_short_version(const char *v);
/* Does version have[0].have[1].have[2] satisfy the PEP 440 specifier set
 * `spec`? 1 yes, 0 no, -1 not understood. (Shared for tests/fuzz.) */
int env_spec_allows(const char *spec, const long have[3]);
void env_choice_release(struct env_choice *c);
/* The Python a Django pin of 6 or newer needs (>=3.12) as pj's python_spec,
 * when no file named one; python_from says which pin. 0, -1. */
int env_pin_python(struct env_project *pj);
int env_choose_python(const struct env_opts *o, const char *envs, const struct env_project *pj,
		      struct env_choice *c);
/* When the interpreter chosen is one pj->python_also excludes (a
 * .python-version of 3.11 beside requires-python '>=3.12', which uv
 * refuses to run, h383): a clause saying so in *note (malloc'd), else
 * NULL. 0, or -1 + err. */
int env_python_conflict(const struct env_project *pj, const struct env_choice *c, char **note);

#endif
