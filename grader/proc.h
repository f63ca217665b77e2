/*
 * proc.h - child processes the grader starts: short commands run to
 * completion (venv creation, pip) and the long-lived app under a keeper.
 *
 * Every child runs in its own session and process group, has a wall-clock
 * limit, and its stdout+stderr are captured through a gbuf-sized ceiling, so
 * a child that prints gigabytes costs a bounded amount of memory. When the
 * limit expires the whole process group is killed.
 *
 * The keeper (proc_spawn) is the pre-sandbox form of "our own PID 1": a small
 * process forked by the grader that sets PR_SET_CHILD_SUBREAPER and
 * PR_SET_PDEATHSIG(SIGKILL), starts the target in a new session, drains its
 * output into a capped log file, and on SIGTERM (or when the target exits)
 * SIGKILLs every descendant — daemons that double-forked or called setsid()
 * are reparented to the keeper, so they cannot escape — reaps them all and
 * exits with the target's status.
 *
 * Ownership: proc_spawn() -> proc_stop() (which waits and frees).
 */
#ifndef GRADER_PROC_H
#define GRADER_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

struct proc_result {
	int exit_code;      /* valid when !signaled && !timed_out */
	int term_signal;    /* valid when signaled */
	bool signaled;
	bool timed_out;
};

/*
 * Run argv (argv[0] looked up in PATH when it has no '/') to completion.
 * envp NULL = inherit. stdin is /dev/null; stdout and stderr are appended to
 * `output` (NULL = discarded) up to its limit. Returns -1 only if the
 * grader could not start or watch the child; what the child did is in *res.
 */
int proc_run(const char *const *argv, const char *const *envp, const char *cwd,
	     long timeout_ms, struct gbuf *output, struct proc_result *res);

struct proc;

struct proc_spawn_opts {
	const char *const *argv;
	const char *const *envp;      /* NULL = inherit */
	const char *cwd;
	const int *pass_fds;          /* fds the target keeps, dup2'd to 3, 4, ... in order */
	size_t npass_fds;
	const char *log_path;         /* stdout+stderr of the target and its children */
	size_t log_limit;             /* bytes kept: the first half and the last half */
};

int proc_spawn(const struct proc_spawn_opts *o, struct proc **out);
/* Non-blocking: has the target exited? Fills *res when it has. */
bool proc_exited(struct proc *p, struct proc_result *res);
pid_t proc_pid(const struct proc *p);   /* the keeper's pid */
/* Kill the target and all its descendants, wait for the keeper, free. NULL ok. */
void proc_stop(struct proc *p);

#endif
