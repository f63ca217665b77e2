/*
 * intr.h - SIGINT and SIGTERM end a run cleanly.
 *
 * The command layer calls intr_install() once. When either signal arrives,
 * the handler records it and kills, at once, every process the grader has
 * registered here (a sandbox's PID 1, whose death ends its namespace; a
 * keeper, asked with SIGTERM so it kills what it keeps; the process group
 * of a short command; the fetch child). Whatever the grader was waiting on
 * then ends by itself (EOF, a refused connection, a reaped child), the run
 * unwinds through its normal teardown (workspace removed), and the command
 * layer sees intr_signal() != 0: it prints an "interrupted" line, stores
 * and reports nothing, and exits with 128 + the signal (130 for SIGINT, 143
 * for SIGTERM; contracts §1, README).
 *
 * Why kill from the handler: kill() and pidfd_send_signal() are
 * async-signal-safe, and a grader blocked in a poll() with a long timeout,
 * or on a request to a hung app, would otherwise wait out its timeouts.
 * Entries are pidfds, so a process reaped meanwhile is never confused with
 * a new one that got its pid. Register right after the fork, unregister
 * before reaping. Thread-safe (a fixed table of atomics); nothing to free.
 */
#ifndef GRADER_INTR_H
#define GRADER_INTR_H

#include <stdbool.h>
#include <sys/types.h>

/* Handlers for SIGINT and SIGTERM (no SA_RESTART). -1 + err on failure. */
int intr_install(void);

/* 0, or the first of SIGINT/SIGTERM that arrived. */
int intr_signal(void);

/*
 * Kill `pid` (our child) with `sig` when a signal arrives; `group`: kill
 * its process group (-pid) with SIGKILL as well. Returns a slot for
 * intr_unwatch(), or -1 when the table is full or the pidfd cannot be
 * made (not fatal: that process is then only ended by its own teardown).
 */
int intr_watch(pid_t pid, int sig, bool group);
void intr_unwatch(int slot);

/* In a child that does not exec at once: back to the default dispositions,
 * so a signal there cannot run the handler on the parent's table. */
void intr_child_reset(void);

#endif
