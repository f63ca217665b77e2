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
 *
 * The one way to say "the submission failed", for every module: a function
 * that can fail either way returns an int,
 *   -1  the grader broke: the message is here (internal-error, exit 1);
 *    0  done;
 *   >0  the submission failed (its input cannot be used, it did not fetch,
 *       install, boot or answer as asked): a `diagnosis`/`why` buffer the
 *       caller passed says why in words for the student. The value is 1
 *       unless the module's header names several kinds (boot.h:
 *       BOOT_FAILED, BOOT_TIMED_OUT).
 * So callers read `if (rc < 0) ... else if (rc > 0) ...`, with no `bool *ok`
 * or outcome out-parameters. Results that are data (a check's pass or fail
 * in a grade_result) are the enums of result.h.
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
