/*
 * fetch.h - get a submission's source with libgit2.
 *
 * SOURCE is a local path, a file:// URL or an https:// URL. The clone goes
 * into `dest` (must not exist) and `ref` (branch, tag, commit id or NULL for
 * the remote HEAD) is checked out, detached. Submodules are not fetched;
 * symlinks are checked out as symlinks and never followed by the grader.
 *
 * -1: the grader broke. Otherwise *ok tells whether the submission could be
 * fetched; when not, `diagnosis` says why in words for the student
 * ("no such repository", "ref 'v2' not found: ...").
 */
#ifndef GRADER_FETCH_H
#define GRADER_FETCH_H

#include <stdbool.h>

#include "buf.h"

/* Call once per process before any other fetch_* (libgit2 init); idempotent. */
int fetch_global_init(void);

int fetch_clone(const char *source, const char *ref, const char *dest,
		char commit[41], bool *ok, struct gbuf *diagnosis);

/*
 * The same, with a wall-clock limit: the clone runs in a child process that
 * is killed at the deadline (libgit2 1.5 has no connect or transfer
 * timeout, and a server that accepts and then stalls would hang the
 * grader). A timeout is the submission's failure: *ok = false, *timed_out
 * = true and the diagnosis says so. timeout_ms 0 means 120 s.
 */
int fetch_clone_timed(const char *source, const char *ref, const char *dest, long timeout_ms,
		      char commit[41], bool *ok, bool *timed_out, struct gbuf *diagnosis);

#endif
