/*
 * launch.h - one interface over the two ways the grader runs a long-lived
 * target (the submission's app): under the keeper (proc.h, SANDBOX_NONE,
 * only with an explicit unsafe option) or in a sandbox (sandbox.h, every
 * other mode). boot.c starts, watches and stops the app through it and never
 * asks which of the two it got.
 *
 * Why a table of operations rather than an if on the mode in each caller:
 * the two back-ends differ in how they spawn, report an exit, reach the
 * app's port and name a limit, and each of those differences used to be a
 * branch of its own in boot.c. Here the mode is looked at once, in
 * launch_spawn(), which picks the back-end's operations; every later call
 * goes through them.
 *
 *   operation        keeper (proc.h)          sandbox (sandbox.h)
 *   spawn            proc_spawn               chown state_path, sandbox_spawn
 *   base env         the grader's environ     PATH, HOME, LANG, TMPDIR only
 *   exited           proc_exited              sandbox_exited (wait status)
 *   open_socket      -1: the app is on the    sandbox_open_socket: a socket
 *                    host's loopback          in the box's network namespace
 *   verdict          none (NULL)              sandbox_verdict
 *   sync_log         1: cannot promise        sandbox_sync_log
 *   stop             proc_stop                sandbox_stop, verdict kept
 *
 * Ownership: launch_spawn() -> launch_free() (which stops first; NULL ok).
 * launch_stop() kills, waits and releases the back-end's process but keeps
 * the handle, so the verdict can be read after it. The options' strings and
 * arrays are only read during launch_spawn(); the profile must outlive the
 * launch (sandbox.h). Strings returned here are static or owned by the
 * launch. A launch is used by one thread at a time.
 */
#ifndef GRADER_LAUNCH_H
#define GRADER_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "proc.h"
#include "sandbox.h"

struct launch_opts {
	enum sandbox_mode mode;       /* SANDBOX_NONE: the keeper; else that sandbox */
	/* Both back-ends. */
	const char *const *argv;
	const char *const *envp;      /* start from launch_base_env(mode) */
	const char *cwd;
	const int *pass_fds;          /* dup2'd to 3, 4, ... in the target */
	size_t npass_fds;
	const char *log_path;         /* outside every path the target may write */
	size_t log_limit;
	/* The sandbox only (the keeper runs on the host as the grader). */
	const struct sandbox_profile *profile;   /* NULL: built-in defaults */
	unsigned slot;
	struct sandbox_reservation *reservation;  /* sandbox_opts.reservation; NULL none */
	const char *const *ro_paths;
	size_t nro_paths;
	const char *const *cow_paths;
	size_t ncow_paths;
	/* A capped tmpfs inside; the host folder of that name is given to the
	 * sandbox's uid first (sandbox_host_uid), as sandbox.h asks. */
	const char *state_path;
	long wall_timeout_ms;         /* 0: none */
};

struct launch;

/* -1 + err when the grader could not start the target; what the target does
 * afterwards is data (launch_exited, launch_verdict). */
int launch_spawn(const struct launch_opts *o, struct launch **out);

/*
 * The environment a target of this mode starts from, NULL-terminated and
 * static (not to be freed). The keeper: the grader's own. A sandbox: a
 * minimal one, since the grader's may hold tokens, proxies or paths that
 * are not there inside. The caller adds its own variables and drops the
 * names it owns.
 */
const char *const *launch_base_env(enum sandbox_mode mode);

/* The process the grader watches (the keeper, or the sandbox's PID 1). */
pid_t launch_pid(const struct launch *l);
/* Non-blocking: has the target exited? Fills *res (NULL ok) when it has.
 * True once stopped. */
bool launch_exited(struct launch *l, struct proc_result *res);
/* Is the target isolated (reached through launch_open_socket)? */
bool launch_isolated(const struct launch *l);
/* For http_client_opts.open_socket (ctx = the launch): a socket in the
 * target's network namespace, or -1 + err for the keeper (whose app is on
 * the host's loopback: connect normally). */
int launch_open_socket(void *launch);
/* The limit the target hit ("memory", "processes", "cpu", "wall time",
 * "output", "disk") or NULL; still answered after launch_stop(). */
const char *launch_verdict(struct launch *l);
/* 0 once the log holds everything the target wrote before the call
 * (sandbox_sync_log); 1 when the back-end cannot promise that (the keeper,
 * a stopped launch): read again after a pause; -1 + err. */
int launch_sync_log(struct launch *l);
/* Kill the target and everything it started, wait; the verdict is kept. */
void launch_stop(struct launch *l);
/* launch_stop(), then free. NULL ok. */
void launch_free(struct launch *l);

#endif
