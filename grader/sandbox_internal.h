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

#endif
