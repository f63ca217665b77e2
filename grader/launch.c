/*
 * launch.c - the keeper and the sandbox behind one table of operations
 * (launch.h). Each back-end is a handful of adapters onto proc.h or
 * sandbox.h; nothing here is Linux-specific beyond what those expose.
 */
#include "launch.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct launch_ops {
	int (*spawn)(const struct launch_opts *o, void **impl);
	pid_t (*pid)(const void *impl);
	bool (*exited)(void *impl, struct proc_result *res);
	int (*open_socket)(void *impl);
	const char *(*verdict)(void *impl);
	/* 0: the log holds what the target wrote so far; 1: this back-end
	 * cannot promise it; -1 + err. */
	int (*sync_log)(void *impl);
	/* Kill, wait, free the back-end; copy its final verdict into `verdict`
	 * (size bytes) when it has one. */
	void (*stop)(void *impl, char *verdict, size_t size);
};

struct launch {
	const struct launch_ops *ops;
	void *impl;                /* struct proc or struct sandbox; NULL once stopped */
	bool isolated;
	char verdict[32];          /* the verdict, kept after the stop */
};

/* ---- the keeper (proc.h) ------------------------------------------------ */

static int keeper_spawn(const struct launch_opts *o, void **impl)
{
	struct proc_spawn_opts so = {
		.argv = o->argv, .envp = o->envp, .cwd = o->cwd,
		.pass_fds = o->pass_fds, .npass_fds = o->npass_fds,
		.log_path = o->log_path, .log_limit = o->log_limit,
	};
	struct proc *p = NULL;
	int rc = proc_spawn(&so, &p);

	*impl = p;
	return rc;
}

static pid_t keeper_pid(const void *impl)
{
	return proc_pid(impl);
}

static bool keeper_exited(void *impl, struct proc_result *res)
{
	return proc_exited(impl, res);
}

static int keeper_open_socket(void *impl)
{
	return err_set("the app runs on the host's loopback: connect to its port");
}

static const char *keeper_verdict(void *impl)
{
	return NULL;   /* the keeper enforces no limit but the output cap */
}

static int keeper_sync_log(void *impl)
{
	return 1;   /* the keeper drains its pipe on its own schedule */
}

static void keeper_stop(void *impl, char *verdict, size_t size)
{
	proc_stop(impl);
}

static const struct launch_ops keeper_ops = {
	keeper_spawn, keeper_pid, keeper_exited, keeper_open_socket, keeper_verdict, keeper_sync_log,
	keeper_stop,
};

/* ---- the sandbox (sandbox.h) -------------------------------------------- */

/* Give the state folder (empty but for what the grader made) to `uid`, so
 * the sandboxed app can write its database and media there. Only when the
 * grader is root: otherwise the uid is the grader's own already. */
static int sandboxed_chown_dir(const char *dir, uid_t uid)
{
	if (!dir || geteuid() != 0 || uid == geteuid())
		return 0;
	if (chown(dir, uid, (gid_t)uid) < 0)
		return err_set_errno("cannot give %s to the sandbox's uid %u", dir, (unsigned)uid);
	return 0;
}

static int sandboxed_spawn(const struct launch_opts *o, void **impl)
{
	/* The state folder is a capped tmpfs of the sandbox's own (the disk
	 * limit), not the host folder of that name; the app's copy of its
	 * checkout is copy-on-write onto another (what the app writes into
	 * its own folder never reaches the host's disk either). */
	struct sandbox_opts sbo = {
		.mode = o->mode, .profile = o->profile,
		.argv = o->argv, .envp = o->envp, .cwd = o->cwd,
		.ro_paths = o->ro_paths, .nro = o->nro_paths,
		.cow_paths = o->cow_paths, .ncow = o->ncow_paths,
		.state_path = o->state_path,
		.pass_fds = o->pass_fds, .npass_fds = o->npass_fds,
		.log_path = o->log_path, .log_limit = o->log_limit,
		.wall_timeout_ms = o->wall_timeout_ms, .slot = o->slot,
		.reservation = o->reservation,
	};
	struct sandbox *s = NULL;
	int rc = -1;

	/* The app writes its database and media as the sandbox's own uid,
	 * never as the grader's. */
	if (sandboxed_chown_dir(o->state_path, sandbox_host_uid(o->mode, o->slot)) < 0)
		goto done;
	rc = sandbox_spawn(&sbo, &s);
done:
	*impl = s;
	return rc;
}

static pid_t sandboxed_pid(const void *impl)
{
	return sandbox_pid(impl);
}

static bool sandboxed_exited(void *impl, struct proc_result *res)
{
	int ws = 0;

	if (!sandbox_exited(impl, &ws))
		return false;
	if (res) {
		memset(res, 0, sizeof(*res));
		res->signaled = WIFSIGNALED(ws);
		res->term_signal = WIFSIGNALED(ws) ? WTERMSIG(ws) : 0;
		res->exit_code = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	}
	return true;
}

static int sandboxed_open_socket(void *impl)
{
	return sandbox_open_socket(impl);
}

static const char *sandboxed_verdict(void *impl)
{
	return sandbox_verdict(impl);
}

static int sandboxed_sync_log(void *impl)
{
	return sandbox_sync_log(impl);
}

static void sandboxed_stop(void *impl, char *verdict, size_t size)
{
	const char *v;

	/* Collect PID 1's exit report if it is in: the verdict is only known
	 * from it, and sandbox_stop() frees the sandbox. */
	(void)sandbox_exited(impl, NULL);
	v = sandbox_verdict(impl);
	if (v && !verdict[0])
		snprintf(verdict, size, "%s", v);
	sandbox_stop(impl);
}

static const struct launch_ops sandboxed_ops = {
	sandboxed_spawn, sandboxed_pid, sandboxed_exited, sandboxed_open_socket,
	sandboxed_verdict, sandboxed_sync_log, sandboxed_stop,
};

/* ---- the interface ------------------------------------------------------ */

const char *const *launch_base_env(enum sandbox_mode mode)
{
	static const char *const minimal[] = {
		"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8", "TMPDIR=/tmp", NULL,
	};
	static const char *const empty[] = { NULL };

	if (mode != SANDBOX_NONE)
		return minimal;
	return environ ? (const char *const *)environ : empty;
}

int launch_spawn(const struct launch_opts *o, struct launch **out)
{
	struct launch *l = calloc(1, sizeof(*l));
	int rc = -1;

	*out = NULL;
	if (!l) {
		err_set("out of memory");
		goto done;
	}
	/* The one place the mode picks the back-end. */
	l->isolated = o->mode != SANDBOX_NONE;
	l->ops = l->isolated ? &sandboxed_ops : &keeper_ops;
	if (l->ops->spawn(o, &l->impl) < 0)
		goto done;
	*out = l;
	l = NULL;
	rc = 0;
done:
	launch_free(l);
	return rc;
}

pid_t launch_pid(const struct launch *l)
{
	return l && l->impl ? l->ops->pid(l->impl) : -1;
}

bool launch_exited(struct launch *l, struct proc_result *res)
{
	return l && l->impl ? l->ops->exited(l->impl, res) : true;
}

bool launch_isolated(const struct launch *l)
{
	return l && l->isolated;
}

int launch_open_socket(void *launch)
{
	struct launch *l = launch;

	if (!l || !l->impl)
		return err_set("the app is not running");
	return l->ops->open_socket(l->impl);
}

int launch_sync_log(struct launch *l)
{
	if (!l || !l->impl)
		return 1;
	return l->ops->sync_log(l->impl);
}

const char *launch_verdict(struct launch *l)
{
	if (!l)
		return NULL;
	if (l->impl)
		return l->ops->verdict(l->impl);
	return l->verdict[0] ? l->verdict : NULL;
}

void launch_stop(struct launch *l)
{
	if (!l || !l->impl)
		return;
	l->ops->stop(l->impl, l->verdict, sizeof(l->verdict));
	l->impl = NULL;
}

void launch_free(struct launch *l)
{
	launch_stop(l);
	free(l);
}
