/*
 * err.h - the last-error message of the calling thread.
 *
 * Modules never print. A function that fails because *the grader* could not
 * do its job (out of memory, a bad challenge file, a syscall that failed)
 * returns -1 and leaves a one-line explanation here; only the command layer
 * (main.c) prints it. What a *submission* did wrong is not an error: it is
 * data, carried in result structs (see engine.h, grade.h).
 *
 * The message lives in thread-local storage, so parallel grading threads do
 * not overwrite each other's messages. Nothing to free.
 */
#ifndef GRADER_ERR_H
#define GRADER_ERR_H

#include <stdarg.h>

/* Set the message (printf-style); always returns -1 so callers can write
 * `return err_set(...)` or `rc = err_set(...); goto done;`. */
int err_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int err_setv(const char *fmt, va_list ap);

/* Same, with ": strerror(errno)" appended. */
int err_set_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prefix the current message: "context: <old message>". Returns -1. */
int err_wrap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The current message ("" when none). Valid until the next err_* call on
 * this thread. */
const char *err_last(void);

void err_clear(void);

#endif
