/*
 * grade.h - grade one submission: fetch, environment, boot, checks, teardown.
 *
 * grade_run() always fills `res`: a submission that cannot be fetched, set
 * up or booted gives the matching status and a diagnosis; if the grader
 * itself breaks, status is RUN_INTERNAL_ERROR with err_last() as diagnosis.
 * Every process started for the run is gone and the workspace removed
 * when it returns (unless `keep`).
 */
#ifndef GRADER_GRADE_H
#define GRADER_GRADE_H

#include <stdbool.h>

#include "challenge.h"
#include "fetch.h"
#include "result.h"
#include "sandbox.h"

struct grade_opts {
	const char *source;
	const char *ref;                 /* NULL: the repository's HEAD */
	const struct challenge *challenge;
	const char *datadir;             /* grader data (boot module, runtime) */
	const char *cache_dir;           /* NULL: env_default_cache_dir() */
	const char *python;              /* base interpreter; NULL: default */
	long fetch_timeout_ms;           /* 0: GRADER_FETCH_TIMEOUT_MS (timeouts.h) */
	struct fetch_limits fetch_limits; /* the checkout's caps; 0s: the defaults (fetch.h) */
	const char *credentials_file;    /* --credentials (fetch.h); NULL: none */
	long env_timeout_ms;             /* 0: GRADER_ENV_TIMEOUT_MS */
	long boot_timeout_ms;            /* 0: GRADER_BOOT_TIMEOUT_MS */
	long request_timeout_ms;         /* 0: the challenge's */
	long run_timeout_ms;             /* checks phase; 0: GRADER_RUN_TIMEOUT_MS */
	long jobs_checks;                /* checks at once (engine.h); 0: the default */
	const char *nonce;               /* NULL: random */
	bool worktree;                   /* a local SOURCE: its working tree as it is (worktree.h) */
	bool keep;                       /* keep the workspace (debugging); its path
	                                    is then res->workspace */
	/*
	 * A checkout fetch_clone_opts() has already made (HEAD detached at
	 * `prefetched_commit`), with the notes it gave: grade_run moves the
	 * folder into its workspace (same file system: a rename) and grades
	 * it, instead of cloning `source` again; it then owns and removes it.
	 * `source` and `ref` only name the run. grader batch fetches first to
	 * choose the commit a deadline allows, and this spares every
	 * submission a second clone. NULL: clone `source` (or --worktree).
	 */
	const char *prefetched;
	const char *prefetched_commit;
	const char *prefetched_notes;    /* NULL: none */
	enum sandbox_mode sandbox_mode;  /* SANDBOX_NONE: unsandboxed (recorded as such) */
	const struct sandbox_profile *sandbox_profile;
	/* Called as each phase starts with a one-line description, for the
	 * command layer's -v (modules never print); NULL: no one listens. */
	void (*progress)(void *ctx, const char *what);
	void *progress_ctx;
};

int grade_run(const struct grade_opts *o, struct grade_result *res);

/* The points a submission of `c` can earn (what grade_run reports as max_score). */
int grade_max_score(const struct challenge *c);

/* Remove a folder tree without ever following a symlink out of it
 * (openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, see sandbox.h). */
int grade_remove_tree(const char *path);

#endif
