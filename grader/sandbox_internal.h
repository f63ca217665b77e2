/*
 * sandbox_internal.h - what sandbox.c (the portable half) and
 * sandbox_linux.c share; included by those two files only. The public
 * interface is sandbox.h.
 */
#ifndef GRADER_SANDBOX_INTERNAL_H
#define GRADER_SANDBOX_INTERNAL_H

#include "buf.h"
#include "sandbox.h"

/* The functional probe of the Linux back-ends: which mode works here
 * (SANDBOX_NONE with `why` when none does). 0 or -1 + err. */
int sandbox_linux_probe(enum sandbox_mode *mode, struct gbuf *why);

/*
 * Open the child directory `name` of dirfd (O_DIRECTORY, O_CLOEXEC) without
 * following any symlink, even one swapped in after the caller looked:
 * openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS. The descriptor is the
 * caller's; -1 + errno (ELOOP or ENOTDIR for a symlink or a file). Used by
 * the tree walks of sandbox.c (sandbox_remove_tree, sandbox_seal_tree).
 */
int sandbox_linux_open_beneath(int dirfd, const char *name);

#endif
