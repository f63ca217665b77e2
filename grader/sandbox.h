/*
 * sandbox.h - running untrusted submission code (migrate, the app server)
 * in a box that cannot see the host, the network, other submissions or the
 * grader's data, is bounded in memory, processes, CPU, output and time, and
 * leaves nothing behind.  docs/sandbox.md is the long form.
 *
 * Back-ends (enum sandbox_mode), chosen once per grader process by
 * sandbox_probe():
 *   userns  new user (uid 1000 inside, never 0; the grader's uid outside, or
 *           60000 + slot when the grader is root), mount, PID, net, IPC and
 *           UTS namespaces;
 *   root    the grader is root but user namespaces do not work: the same
 *           namespaces without the user one, and the target drops to a
 *           per-slot uid/gid (60000 + slot) after setup;
 *   none    no isolation possible; sandbox_spawn() refuses it, and the
 *           caller decides whether an explicit "unsafe" flag lets it run the
 *           submission with proc_spawn() instead (the probe says why).
 *
 * Shape of a running sandbox: the grader forks our own PID 1 (not the
 * student's code) into the new namespaces. PID 1 builds an empty tmpfs root
 * holding only what Python needs, read-only, plus the caller's ro/rw paths
 * (at the same paths as outside), a size-capped /tmp, a fresh /proc and a
 * minimal /dev; brings up the namespace's own loopback; then forks the target
 * with rlimits, no_new_privs and a seccomp denylist. PID 1 stays behind to
 * reap zombies, drain the target's output into a capped log, enforce the wall
 * clock, create sockets to the app for the grader (sandbox_connect) and
 * record which limit was hit. When the target exits, PID 1 reports and exits,
 * and the kernel kills every process left in the PID namespace: daemons
 * cannot outlive the run. PID 1 has PR_SET_PDEATHSIG(SIGKILL), so the same
 * happens if the grader dies.
 *
 * The app (boot.c) reaches this or the keeper (proc.h) through launch.h,
 * one table of operations over both. The options are a superset of
 * proc_spawn_opts (argv, envp, cwd, pass_fds, log_path, log_limit) plus
 * mode/profile/ro_paths/rw_paths/wall_timeout_ms; proc_exited ->
 * sandbox_exited, proc_stop -> sandbox_stop; the HTTP client gets
 * .open_socket = sandbox_open_socket, .open_socket_ctx = the sandbox,
 * .host = "127.0.0.1", .port = the app's port inside (every sandbox may use
 * the same port).
 *
 * Ownership: sandbox_profile_load() -> sandbox_profile_free();
 * sandbox_spawn() -> sandbox_stop() (kills, waits, frees; NULL ok). A profile
 * must outlive the sandboxes spawned with it. A struct sandbox is used by one
 * thread at a time; distinct sandboxes may run in parallel threads.
 */
#ifndef GRADER_SANDBOX_H
#define GRADER_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"

enum sandbox_mode { SANDBOX_NONE, SANDBOX_USERNS, SANDBOX_ROOT };

/* "none", "userns", "root" (what the JSON report's sandbox.mode says). */
const char *sandbox_mode_name(enum sandbox_mode m);
/* Parse one of those names; -1 + err when unknown. */
int sandbox_mode_parse(const char *name, enum sandbox_mode *out);

/* ---- profiles ---------------------------------------------------------- */

struct sandbox_profile;

/* The numbers a profile sets; 0 means "no limit of this kind". */
struct sandbox_limits {
	uint64_t memory;       /* bytes: the memory cgroup (whole sandbox: processes, tmpfs,
	                        * shared memory) when one can be made; RLIMIT_AS per process */
	uint64_t processes;    /* RLIMIT_NPROC (per sandbox: its uid is its own), pids cgroup */
	uint64_t cpu_seconds;  /* RLIMIT_CPU of the target (and each child) */
	uint64_t file_size;    /* bytes: RLIMIT_FSIZE, largest file the target may write */
	uint64_t open_files;   /* RLIMIT_NOFILE */
	uint64_t tmp_size;     /* bytes: size of the tmpfs at /tmp */
	uint64_t state_size;   /* bytes: size of the state tmpfs (sandbox_opts.state_path) */
	uint64_t state_files;  /* inodes of the state tmpfs and of /tmp (nr_inodes) */
};

/*
 * Load <datadir>/sandboxes/NAME.yaml. NAME is a bare name ([a-z0-9_-]+),
 * never a path. Errors (-1 + err) read "FILE:LINE:COLUMN: message" like the
 * challenge loader's. *out is owned by the caller.
 */
int sandbox_profile_load(const char *datadir, const char *name, struct sandbox_profile **out);
void sandbox_profile_free(struct sandbox_profile *p);
const char *sandbox_profile_name(const struct sandbox_profile *p);
const struct sandbox_limits *sandbox_profile_limits(const struct sandbox_profile *p);
/* Extra host paths the profile bind-mounts read-only (absolute). */
size_t sandbox_profile_nmounts(const struct sandbox_profile *p);
const char *sandbox_profile_mount(const struct sandbox_profile *p, size_t i);
/* Extra syscalls the profile denies (EPERM), by name. */
size_t sandbox_profile_ndeny(const struct sandbox_profile *p);
const char *sandbox_profile_deny(const struct sandbox_profile *p, size_t i);

/* ---- probe ------------------------------------------------------------- */

/*
 * Which back-end works here. Functional, not a feature test: a child really
 * unshares user+mount+PID+net, writes its uid/gid maps, mounts a tmpfs and
 * brings lo up (on Ubuntu 24.04 unshare() succeeds and everything after it
 * fails, so only a full probe counts). Cached per process (the first call
 * pays ~a few ms; later calls are free). Root without working user
 * namespaces -> SANDBOX_ROOT; neither -> SANDBOX_NONE, and `why` (may be
 * NULL) gets a sentence on how to enable user namespaces. -1 only when the
 * probe itself could not run. Thread-safe, from any thread of a
 * multi-threaded process.
 */
int sandbox_probe(enum sandbox_mode *mode, struct gbuf *why);

/* ---- running ----------------------------------------------------------- */

/*
 * A bind mount whose path inside differs from its host path. Why: an
 * environment is built in a private staging folder and published by a
 * rename, but a virtualenv embeds its own absolute path (pyvenv.cfg,
 * script shebangs), so the installer must see the staging folder at the
 * final path.
 */
struct sandbox_bind {
	const char *src;   /* host path (absolute) */
	const char *dst;   /* path inside (absolute) */
	bool rw;
};

struct sandbox_opts {
	enum sandbox_mode mode;                 /* SANDBOX_USERNS or SANDBOX_ROOT */
	const struct sandbox_profile *profile;  /* NULL = built-in defaults (docs/sandbox.md) */
	const char *const *argv;    /* argv[0] absolute, or looked up in /usr/local/bin:/usr/bin:/bin */
	const char *const *envp;    /* NULL = empty environment (never the grader's) */
	const char *cwd;            /* same path inside as outside; NULL = "/" */
	const char *const *ro_paths; size_t nro;  /* bind-mounted read-only at the same path */
	const char *const *rw_paths; size_t nrw;  /* bind-mounted read-write at the same path */
	const struct sandbox_bind *binds; size_t nbinds; /* src -> dst, mounted with the above */
	/* Copy-on-write at the same path: the host folder is the lower layer
	 * of an overlay and is never written; what the target writes there
	 * lands on a tmpfs of the run with the state folder's caps
	 * (state_size bytes, state_files inodes; a full one is the disk
	 * verdict), counted by the memory cgroup and gone with the sandbox.
	 * The app's project folder. Where the kernel refuses an overlay
	 * (before 5.11 in a user namespace), a plain read-write bind. */
	const char *const *cow_paths; size_t ncow;
	const int *pass_fds; size_t npass_fds;    /* dup2'd to 3, 4, ... in the target */
	/* A fresh tmpfs of the profile's state_size / state_files, owned by the
	 * target, mounted at this path inside (made there if missing). Nothing
	 * written to it reaches the host's disk: its pages are memory, counted
	 * by the memory cgroup, and it vanishes with the sandbox. NULL = none. */
	const char *state_path;
	/* Target stdout+stderr (NULL = discarded). Opened by the grader before
	 * the clone: keep it outside every rw path, so the submission cannot
	 * swap it for a FIFO or a symlink the grader then opens. */
	const char *log_path;
	size_t log_limit;           /* bytes kept: first half + last half; 0 = 1 MiB */
	long wall_timeout_ms;       /* 0 = none */
	unsigned slot;              /* root mode: target runs as uid/gid 60000 + slot */
	/*
	 * Outbound network: for installing requirements only, which needs the
	 * registries. The box keeps a network namespace of its own, and pasta
	 * (package passt) gives it the host's outbound TCP/UDP through
	 * ordinary host sockets, but never the host's loopback: services
	 * bound to the host's 127.0.0.1/::1 (a database, the grading service)
	 * stay unreachable. The box also gets the host's resolv.conf (at
	 * /etc/resolv.conf), /etc/ssl and /etc/ca-certificates read-only, and
	 * "hosts: files dns". Without pasta, sandbox_spawn() fails (-1 + err
	 * naming the package): never the host's own network namespace.
	 */
	bool outbound_net;
	/* With outbound_net: ports of the host's loopback the box may reach
	 * all the same (at 127.0.0.1:PORT / [::1]:PORT inside), for a package
	 * index or proxy the OPERATOR runs there and names in the installer's
	 * variables (grader/env.c). Every other loopback port stays refused. */
	const int *loopback_ports; size_t nloopback_ports;
	/* sandbox_reserve()'s cgroups, joined ahead; used when its limits are
	 * this profile's and nothing used it yet; NULL = join after the clone. */
	struct sandbox_reservation *reservation;
};

/*
 * The uid (= gid) the target has on the host: an unprivileged grader's own
 * (mapped to 1000 inside); 60000 + slot whenever the grader is root (in both
 * modes: the target never runs as host root). When they differ from the
 * grader's, the rw paths must be writable by it: the caller chowns what the
 * app may write (the state dir) before sandbox_spawn().
 */
uid_t sandbox_host_uid(enum sandbox_mode mode, unsigned slot);

struct sandbox;

/* -1 + err when the grader could not build the box (a mount, a bad path);
 * what the target does afterwards is data (sandbox_exited/verdict). */
int sandbox_spawn(const struct sandbox_opts *o, struct sandbox **out);

/*
 * A head start on a sandbox's cgroups. Moving a process into a cgroup v1
 * waits for an RCU grace period (6-24 ms measured here), and PID 1 may not
 * start the target before it is counted: that wait was on every spawn's
 * path. sandbox_reserve() starts a thread of the grader that makes the
 * cgroups of a sandbox of `profile` (a memory cgroup's mkdir takes
 * milliseconds too) and moves itself into them (v1 places threads) while
 * the caller goes on with its fetch; a later sandbox_spawn() whose
 * opts.reservation is this one and whose limits are the same has that
 * thread clone PID 1, born in them, and never waits for a move. The thread
 * leaves the cgroups right after the clone (a thread of the grader is
 * never a candidate of the cgroup's OOM killer, which picks processes).
 * NULL when there is nothing to gain (no cgroup v1 hierarchy, mode none)
 * or on any error; where the thread could make no cgroup or could not
 * move in, the spawn makes and joins them after the clone, as without one.
 * Ownership: sandbox_reserve() -> sandbox_reservation_free() (NULL ok), and
 * only after the sandbox spawned with it was stopped: PID 1's parent is
 * the reservation's thread, and its death signal follows that thread. One
 * spawn uses it at most; one thread at a time uses it.
 */
struct sandbox_reservation;
struct sandbox_reservation *sandbox_reserve(enum sandbox_mode mode, const struct sandbox_profile *profile);
void sandbox_reservation_free(struct sandbox_reservation *r);

/* PID 1's pid as seen from the grader (for logs and tests). */
pid_t sandbox_pid(const struct sandbox *s);

/*
 * A stream socket connected to 127.0.0.1:port INSIDE the sandbox's network
 * namespace, created by PID 1 and passed back with SCM_RIGHTS: the grader
 * never accepts a descriptor from student code, only from our PID 1. The
 * connect is done by PID 1 (blocking, loopback), so the fd comes back
 * connected or not at all: -1 + err on refusal or when the sandbox is gone.
 */
int sandbox_connect(struct sandbox *s, int port);
/*
 * An UNCONNECTED TCP socket created by PID 1 inside the sandbox's network
 * namespace. A socket keeps the namespace it was made in, so when the grader
 * connect()s it to 127.0.0.1:port it reaches the app's loopback, not the
 * host's. This is what libcurl 7.88 (Debian 12) needs: it cannot take an
 * already-connected socket from CURLOPT_OPENSOCKETFUNCTION (curl #10626).
 */
int sandbox_socket(struct sandbox *s);
/* Adapter for http_client_opts.open_socket (ctx = the struct sandbox *):
 * sandbox_socket(); libcurl then connects it to the client's host:port, so
 * http_client_opts.port is the app's port inside. */
int sandbox_open_socket(void *ctx);

/* Non-blocking: has the target exited? *wstatus (may be NULL) as waitpid()'s. */
bool sandbox_exited(struct sandbox *s, int *wstatus);
/* Block until the target exited (PID 1 enforces the wall clock). */
int sandbox_wait(struct sandbox *s, int *wstatus);
/*
 * The target's output reaches the log through PID 1, which reads the pipe
 * in its own loop; a reader of the log right after the app answered could
 * miss what the app wrote just before answering (a traceback). Asks PID 1,
 * which reads the pipe dry before it replies: on 0, the log holds all the
 * target wrote before this call. -1 + err when PID 1 could not be asked.
 */
int sandbox_sync_log(struct sandbox *s);

/*
 * Which limit the submission hit, if any: "memory", "processes", "cpu",
 * "wall time", "output", "disk", or NULL. Final once sandbox_exited() is
 * true; while the target runs, asks PID 1 (a full state tmpfs or /tmp, a
 * refused write, a process count at the limit) and reads the cgroups' OOM
 * and refused-fork counters, so a limit hit during the checks is named too.
 */
const char *sandbox_verdict(struct sandbox *s);


/*
 * The target's seccomp denylist (built-in profile; memfd_create and SysV
 * shm denied as well), for a helper of the grader that parses untrusted
 * data outside any sandbox: the clone child (grader/fetch.c). Prepare it
 * in the parent (thread-safe, compiled once, never freed: nothing to
 * free); after fork(), sandbox_filter_install() sets no_new_privs and
 * installs it in the calling process (two prctl calls, nothing else).
 * 0 or -1 + err (errno for install).
 */
struct sandbox_filter;
int sandbox_filter_prepare(const struct sandbox_filter **out);
int sandbox_filter_install(const struct sandbox_filter *f);

/* Kill PID 1 (so every process of the submission dies), wait, free. An
 * install's pasta (outbound_net) is killed too, but its exit may still be
 * under way: sandbox_reap_deferred() waits for every such exit (thread-safe;
 * each is waited for once). Call it before returning to code that reaps
 * children with waitpid(-1). A grader that exits first leaves nothing
 * running: the killed processes are reaped by init. */
void sandbox_stop(struct sandbox *s);
void sandbox_reap_deferred(void);

/*
 * Delete a directory tree that untrusted code could write to, never following
 * a symlink: every directory is opened with openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS) relative to its parent, and symlinks are unlinked, not
 * followed. Iterative, with no depth limit and a bounded number of open
 * descriptors (a tree thousands of folders deep is removed too). `path`
 * itself is trusted (the grader made it); a missing path is not an error;
 * -1 + err names the entry that could not be removed.
 */
int sandbox_remove_tree(const char *path);

/*
 * A private scratch folder in memory, for files the grader writes and
 * removes within one run (grade.c: the clone's git directory): a new
 * folder /dev/shm/grader-PID-XXXXXX when /dev/shm is a tmpfs the grader may
 * write with at least `need` bytes free; mode 0700, or 0710 owned by
 * root:`group` when the grader is root (a clone that drops root reaches it
 * through its group, like the workspace). Folders of that name left by
 * graders that no longer exist (killed before removing theirs) and owned
 * by our uid are removed first. 0 and *out (malloc'd; the caller removes
 * the folder and frees the string); 1 and *out NULL when there is no such
 * tmpfs; -1 + err.
 */
int sandbox_make_mem_scratch(unsigned long long need, gid_t group, char **out);

/*
 * Publish a tree that untrusted code wrote (a freshly built environment):
 * walked like sandbox_remove_tree (openat2, no symlink followed), every
 * entry becomes owned by the grader's uid/gid (when the grader is root) and
 * loses every write bit and setuid/setgid/sticky bit; FIFOs, sockets and
 * device nodes are deleted. Afterwards only the grader (root) could write
 * there, and nothing of the grader does. 0 or -1 + err.
 */
int sandbox_seal_tree(const char *path);

#endif
