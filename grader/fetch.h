/*
 * fetch.h - get a submission's source with libgit2.
 *
 * SOURCE is a local path, a file:// URL or an https:// URL. The clone goes
 * into `dest` (must not exist) and `ref` (branch, tag, commit id or NULL for
 * the remote HEAD) is checked out, detached. Submodules are not fetched;
 * Git LFS files stay pointers; symlinks are checked out as symlinks and
 * never followed by the grader. No credential of a URL ever appears in a
 * diagnosis.
 *
 * The err.h convention: -1 the grader broke; 0 fetched (commit holds the
 * commit id); >0 an enum fetch_outcome, the submission could not be
 * fetched, and `diagnosis` says why in words for the student ("no such
 * repository", "ref 'v2' not found: ...").
 */
#ifndef GRADER_FETCH_H
#define GRADER_FETCH_H

#include <stdbool.h>

#include "buf.h"

enum fetch_outcome {
	FETCH_DONE = 0,
	FETCH_FAILED = 1,     /* refused, missing, unreachable, over a cap: diagnosis says which */
	FETCH_TIMED_OUT = 2,  /* the wall clock of fetch_clone_timed/_opts ran out */
};

/* libgit2's global state (its CA bundle parsed once): idempotent, never
 * undone; the other fetch_* and worktree_* call it. A clone child of a local
 * source inherits it; an https clone child makes its own (fresh TLS random
 * state, not a sibling's). */
int fetch_global_init(void);

/* -1, 0 or FETCH_FAILED. */
int fetch_clone(const char *source, const char *ref, const char *dest,
		char commit[41], struct gbuf *diagnosis);

/*
 * The same, with a wall-clock limit: the clone runs in a child process that
 * is killed at the deadline (libgit2 1.5 has no connect or transfer
 * timeout, and a server that accepts and then stalls would hang the
 * grader). A timeout is the submission's failure: FETCH_TIMED_OUT, and the
 * diagnosis says so. timeout_ms 0 means GRADER_FETCH_TIMEOUT_MS (timeouts.h). -1, 0 or an enum fetch_outcome.
 */
int fetch_clone_timed(const char *source, const char *ref, const char *dest, long timeout_ms,
		      char commit[41], struct gbuf *diagnosis);

/*
 * Caps on a checkout (0 = the default). The commit's tree is measured
 * before anything is written to the work tree: more bytes (blob sizes),
 * files (blobs, symlinks, submodule entries) or folder depth than allowed
 * is the submission's failure, with a diagnosis naming the cap and its
 * option. The download itself is capped at twice max_bytes (history
 * counts too).
 */
#define FETCH_DEFAULT_MAX_BYTES ((unsigned long long)200 << 20)
#define FETCH_DEFAULT_MAX_FILES 20000L
#define FETCH_DEFAULT_MAX_DEPTH 64
struct fetch_limits {
	unsigned long long max_bytes;   /* --max-checkout-bytes; default 200 MiB */
	long max_files;                 /* --max-checkout-files; default 20000 */
	int max_depth;                  /* --max-checkout-depth; default 64 */
};

struct fetch_opts {
	const char *source, *ref, *dest;
	long timeout_ms;                /* 0: GRADER_FETCH_TIMEOUT_MS */
	struct fetch_limits limits;
	/*
	 * Private repositories, without a token in argv or the URL: a file of
	 * "HOST TOKEN" or "HOST USERNAME TOKEN" lines (# comments; readable by
	 * its owner only, else refused), or the environment: GRADER_GIT_TOKEN
	 * (GRADER_GIT_USERNAME, default "x-access-token") for the host
	 * GRADER_GIT_HOST (default github.com). A credential is only ever
	 * offered to its own host over https, through libgit2's credential
	 * callback. A token in the URL (https://user:TOKEN@host/...) works too;
	 * it is taken out of the URL before libgit2 sees it, and no output,
	 * log or stored record shows it (source_redact).
	 */
	const char *credentials_file;   /* NULL: none */
	/*
	 * Where the clone's git directory goes instead of dest/.git: a path
	 * that must not exist, whose parent the caller made (and removes
	 * afterwards: the clone leaves the repository there). The work tree
	 * then holds the commit's files and no .git at all. NULL: dest/.git.
	 * grade.c puts it on a tmpfs: a git directory is ~15 folders, and on
	 * a disk that discards freed blocks each folder costs milliseconds to
	 * make and to remove (docs/performance.md).
	 */
	const char *gitdir;
};

/*
 * The free room a tmpfs needs before fetch_gitdir_make() uses it (limits'
 * 0 fields: the defaults): four clones' largest downloads (twice max_bytes
 * each), so that a few graders cloning at once cannot fill it and turn a
 * full tmpfs into a submission's "could not clone" (1.6 GiB at the default
 * cap; a smaller tmpfs is not used).
 */
unsigned long long fetch_gitdir_room(const struct fetch_limits *limits);

/*
 * A place for fetch_opts.gitdir in memory: *scratch, a new private folder
 * on a tmpfs with fetch_gitdir_room() free (sandbox_make_mem_scratch), and
 * *gitdir, a path inside it that does not exist yet; both NULL when there
 * is no such tmpfs. 0, or -1 + err. The caller removes *scratch
 * (sandbox_remove_tree) when the clone is done and frees both.
 */
int fetch_gitdir_make(const struct fetch_limits *limits, char **scratch, char **gitdir);

/* Is `file` a usable credentials file (regular, owner-only, readable,
 * at most 64 KiB)? 0, or -1 + err saying what is wrong. */
int fetch_credentials_check(const char *file);

/*
 * fetch_clone_timed with caps and credentials. The clone runs in a child
 * process of its own: killed at the wall clock; address space (2 GiB) and
 * file size (the download cap) limited; for a local source, in a network
 * namespace of its own when one can be made. Submodules are not fetched (a
 * submodule's folder stays empty) and Git LFS files stay pointer files:
 * `notes` (may be NULL) gets one sentence naming them, for a diagnosis.
 * On a failure nothing is left at dest but what the caller removes with
 * the workspace. A bad credentials file is the grader's error (-1).
 * -1, 0 or an enum fetch_outcome, like fetch_clone_timed.
 */
int fetch_clone_opts(const struct fetch_opts *o, char commit[41], struct gbuf *diagnosis,
		     struct gbuf *notes);

#endif
