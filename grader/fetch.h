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

#endif
