/*
 * sandbox_linux.c - the Linux back-ends: namespaces, the mount tree,
 * rlimits, seccomp, optional cgroups, and our own PID 1.
 *
 * Process shape:
 *
 *   grader --clone(NEWUSER?|NEWNS|NEWPID|NEWNET|NEWIPC|NEWUTS)--> PID 1 (ours)
 *                                                                  |fork
 *                                                                  v
 *                                                            target (student)
 *
 * The grader talks to PID 1 over a SOCK_SEQPACKET socketpair ("ctl"):
 * fixed-size messages (struct sb_msg), plus SCM_RIGHTS for the sockets PID 1
 * makes for sandbox_connect(). Only PID 1 ever sends descriptors and it is
 * our code: the grader never accepts an fd from the submission.
 *
 * Why the raw clone syscall: it puts the child straight into the new PID
 * namespace as its PID 1, so the grader can waitpid() it and killing it kills
 * the namespace. The price: no fork handlers ran, so the child must not use
 * malloc, stdio or locks (the grader is multi-threaded). Everything PID 1
 * needs (the seccomp program, the log ring, paths) is prepared by the grader
 * before the clone, and PID 1 uses only system calls and stack buffers.
 */
#include "sandbox.h"
#include "sandbox_internal.h"
#include "err.h"
#include "intr.h"
#include "monotime.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <grp.h>
#include <termios.h>
#include <unistd.h>

#include <seccomp.h>

#define INSIDE_UID 1000
#define INSIDE_GID 1000
#define ROOT_UID_BASE 60000
#define SETUP_TIMEOUT_MS 10000
#define STOP_GRACE_MS 2000
#define MAX_BINDS 128
#define DEFAULT_LOG_LIMIT ((size_t)1 << 20)
#define SAMPLE_MS 50
#define SAMPLE_MIN_MS 5   /* least time between two task counts */

enum msg_type {
	MSG_READY = 1, MSG_FAILED, MSG_EXIT, MSG_CONNECT, MSG_FD, MSG_STOP, MSG_GO, MSG_SOCKET, MSG_STATUS,
	MSG_JOINED,
};

enum verdict { V_NONE, V_MEMORY, V_PROCESSES, V_CPU, V_WALL, V_OUTPUT, V_DISK };

/* RLIMIT_CPU's hard limit, this many seconds of CPU after the soft one
 * (cpu_seconds): the SIGKILL for a target that ignores SIGXCPU. */
#define CPU_HARD_AFTER_S 1
/* How far below the hard limit a SIGKILL's rusage may read and still be
 * the CPU limit's (pid1_verdict). */
#define CPU_CLOCK_SKEW_S 0.5

/* A tmpfs with less room than this (or no inode left) is full: the write
 * that failed wanted more than what remains. */
#define DISK_FULL_BYTES ((unsigned long long)64 << 10)

struct sb_msg {
	int type;
	int err;        /* errno for MSG_FAILED / MSG_FD */
	int status;     /* MSG_EXIT: wait status; MSG_CONNECT: port */
	int verdict;    /* MSG_EXIT: enum verdict */
	char text[200]; /* MSG_FAILED: which step */
};

/* One bind mount to make, prepared by the grader (pid 1 may not malloc). */
struct bind {
	const char *path;
	const char *dst;  /* path inside; NULL = the same as `path` */
	/* `path` with its symlinks resolved by the host (plan_resolve), or
	 * NULL where it has none; malloc'd, freed with the plan. */
	char *real;
	bool rw;
	bool dev;       /* a device node: keep it usable (no MS_NODEV) */
	bool sys;       /* a system path: may be absent; symlinks copied as links */
	bool tmpfs;     /* not a bind: a fresh tmpfs (plan.state_opts) made there */
	bool cow;       /* an overlay: the host folder below, writes on a capped tmpfs */
};

struct sandbox {
	pid_t pid1;
	int ctl;
	bool exited;
	bool reaped;
	int wstatus;
	enum verdict verdict;
	char cg_pids[1200];      /* our pids cgroup (v1), or our v2 cgroup; "" when none */
	char cg_mem[1200];       /* our memory cgroup (v1), or the same v2 cgroup; "" when none */
	bool cg_v2;              /* one v2 cgroup: cg_pids and cg_mem name the same folder */
	int intr;                /* intr_watch() slot of PID 1, -1 when none */
	pid_t pasta;             /* outbound_net: the pasta process, 0 when none */
	int pasta_intr;          /* its intr_watch() slot, -1 when none */
};

/* Everything PID 1 reads, prepared before the clone. */
struct plan {
	const struct sandbox_opts *o;
	const struct sandbox_limits *lim;
	enum sandbox_mode mode;
	uid_t outer_uid;
	gid_t outer_gid;
	bool privileged;    /* the grader is root: setgroups is allowed */
	struct bind binds[MAX_BINDS];
	size_t nbinds;
	size_t nsys;    /* binds[0..nsys) are system paths, made before /tmp */
	struct sock_fprog prog;
	char resolv[PATH_MAX]; /* outbound_net: the host's resolv.conf, symlinks resolved */
	int ctl;        /* PID 1's end */
	int log_fd;     /* -1 = discard */
	char *ring;     /* last half of the log */
	size_t ring_size;
	char exe[PATH_MAX];
	bool mem_cgroup;        /* a memory cgroup bounds the whole sandbox */
	char state_opts[160];   /* mount options of the state tmpfs */
	char tmp_opts[160];     /* ... and of /tmp */
	char cow_opts[160];     /* ... and of the upper layer of each cow path */
	/* The grader's argv and environment strings (from /proc/self/stat):
	 * PID 1 is a copy of the grader and blanks them, so /proc/1/cmdline
	 * inside names no host path and no option of the grader's. */
	unsigned long arg_start, arg_end, env_start, env_end;
};

/* ---- for the portable half (sandbox_internal.h) ------------------------- */

/* RESOLVE_NO_SYMLINKS covers the last component too; RESOLVE_BENEATH
 * forbids ".." and absolute escapes; no magic links (/proc/PID/fd). */
int sandbox_linux_open_beneath(int dirfd, const char *name)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
}

/* ---- small async-signal-safe helpers for PID 1 --------------------------- */

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static int pwrite_all(int fd, const void *p, size_t n, off_t off)
{
	const char *c = p;

	while (n) {
		ssize_t w = pwrite(fd, c, n, off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		off += w;
		n -= (size_t)w;
	}
	return 0;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = write_all(fd, s, strlen(s));
	close(fd);
	return rc;
}

static void send_failed(int ctl, const char *step)
{
	struct sb_msg m;

	memset(&m, 0, sizeof(m));
	m.type = MSG_FAILED;
	m.err = errno;
	snprintf(m.text, sizeof(m.text), "%s", step);
	(void)send(ctl, &m, sizeof(m), MSG_NOSIGNAL);
}

/* mkdir -p for a path under the new root, owner-only needs nothing more. */
static int mkdir_p(char *path, mode_t mode)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, mode) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = -1;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		goto done;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		goto done;
	rc = 0;
done:
	close(fd);
	return rc;
}

/*
 * Take uid/gid `u`/`g` (and, with `no_groups`, drop supplementary groups)
 * in a child of a raw clone(): the probe's child, PID 1's target. Raw
 * system calls, not glibc's setgroups/setresgid/setresuid: such a child's
 * copy of glibc still lists every thread of the grader at the clone (the
 * sandbox may be spawned or probed from any thread of a multi-threaded
 * grader), and glibc's wrappers would make each of those change its ids
 * too, waiting for ever on a thread that was being created at that moment
 * and will never start here. Only the calling thread exists. 0 or -1.
 */
static int set_ids_raw(uid_t u, gid_t g, bool no_groups)
{
	if ((no_groups && syscall(SYS_setgroups, 0, NULL) < 0) ||
	    syscall(SYS_setresgid, g, g, g) < 0 || syscall(SYS_setresuid, u, u, u) < 0)
		return -1;
	return 0;
}

static int write_id_maps(uid_t ouid, gid_t ogid)
{
	char line[64];

	/* setgroups must be denied before an unprivileged gid_map write; it
	 * also stops the target from dropping supplementary groups that might
	 * be used in deny ACLs on the host. */
	if (write_file("/proc/self/setgroups", "deny") < 0)
		return -1;
	snprintf(line, sizeof(line), "%d %u 1\n", INSIDE_UID, (unsigned)ouid);
	if (write_file("/proc/self/uid_map", line) < 0)
		return -1;
	snprintf(line, sizeof(line), "%d %u 1\n", INSIDE_GID, (unsigned)ogid);
	if (write_file("/proc/self/gid_map", line) < 0)
		return -1;
	/* Become uid 1000 inside; we keep the namespace's capabilities until
	 * the target's execve() as a non-zero uid drops them. */
	return set_ids_raw(INSIDE_UID, INSIDE_GID, false);
}

/* ---- the probe ----------------------------------------------------------- */

static int probe_child(bool userns, uid_t ouid, gid_t ogid)
{
	if (userns && write_id_maps(ouid, ogid) < 0)
		return 2;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return 3;
	if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k") < 0)
		return 4;
	if (lo_up() < 0)
		return 5;
	return 0;
}

static int probe_one(bool userns, int *code)
{
	unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
	uid_t ouid = geteuid();
	gid_t ogid = getegid();
	pid_t pid;
	int st = 0;

	if (userns)
		flags |= CLONE_NEWUSER;
	pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid == 0)
		_exit(probe_child(userns, ouid, ogid));
	if (pid < 0) {
		*code = 1;
		return 0;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	*code = WIFEXITED(st) ? WEXITSTATUS(st) : 100;
	return 0;
}

int sandbox_linux_probe(enum sandbox_mode *mode, struct gbuf *why)
{
	static const char *const steps[] = {
		"ok", "unshare/clone of the namespaces failed", "writing uid/gid maps failed",
		"making mounts private failed", "mounting a tmpfs failed", "bringing up lo failed",
	};
	int code = 0, rcode = 0;
	int rc = -1;

	if (probe_one(true, &code) < 0)
		goto done;
	if (code == 0) {
		*mode = SANDBOX_USERNS;
		rc = 0;
		goto done;
	}
	if (geteuid() == 0) {
		if (probe_one(false, &rcode) < 0)
			goto done;
		if (rcode == 0) {
			*mode = SANDBOX_ROOT;
			rc = 0;
			goto done;
		}
	}
	*mode = SANDBOX_NONE;
	if (gbuf_addf(why, "user namespaces do not work here (%s). Enable them with "
		      "`sysctl kernel.unprivileged_userns_clone=1` (Debian), "
		      "`sysctl kernel.apparmor_restrict_unprivileged_userns=0` (Ubuntu 23.10+) or an "
		      "AppArmor profile granting `userns` to the grader, or run the grader as root",
		      code < 6 && code >= 0 ? steps[code] : "the probe crashed") < 0)
		goto done;
	rc = 0;
done:
	return rc;
}

/* ---- seccomp --------------------------------------------------------------- */

/*
 * A denylist (the target is CPython running arbitrary Django code, and an
 * allowlist precise enough to be useful would break on the next Python or
 * glibc). It removes what reaches kernel attack surface or other processes:
 * debugging others, BPF, perf, userfaultfd, keyrings, io_uring, every mount
 * API, namespace creation and entry, terminal injection. clone3 answers
 * ENOSYS because its flags live in memory seccomp cannot read; libc then
 * falls back to clone, whose flags (arg 0) we can filter. Only the native
 * architecture is in the filter: any other (int 0x80, x32) kills the process.
 */
static int seccomp_build(const struct sandbox_profile *prof, bool mem_cgroup, struct sock_fprog *out)
{
	/* Socket families an app needs: Unix, IPv4, IPv6. Everything else
	 * (AF_VSOCK reaches the host's vsock ports through any network
	 * namespace; AF_PACKET, AF_ALG, AF_NETLINK's many kernel interfaces)
	 * answers EAFNOSUPPORT. AF_NETLINK is not needed: glibc's getaddrinfo
	 * falls back when its NETLINK_ROUTE socket is refused. */
	static const int FAMILIES[] = {AF_UNIX, AF_INET, AF_INET6};
	static const char *const DENY[] = {
		"ptrace", "process_vm_readv", "process_vm_writev", "bpf", "perf_event_open",
		"userfaultfd", "keyctl", "add_key", "request_key", "io_uring_setup",
		"io_uring_enter", "io_uring_register", "mount", "umount2", "pivot_root",
		"move_mount", "open_tree", "fsopen", "fsmount", "fsconfig", "fspick",
		"mount_setattr", "setns", "unshare", "chroot", "kexec_load", "kexec_file_load",
		"init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff",
		"acct", "quotactl", "syslog", "open_by_handle_at", "name_to_handle_at",
		"personality", "vhangup", "lookup_dcookie", "fanotify_init",
	};
	static const unsigned long NSFLAGS[] = {
		CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWIPC,
		CLONE_NEWUTS, CLONE_NEWCGROUP,
	};
	scmp_filter_ctx ctx = NULL;
	int memfd = -1;
	struct sock_filter *insns = NULL;
	size_t i;
	off_t len;
	int r, rc = -1;

	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		rc = err_set("seccomp_init failed");
		goto done;
	}
	/* Foreign architectures are not in the filter: they are killed. */
	if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)) < 0) {
		rc = err_set("seccomp: bad-arch action: %s", strerror(-r));
		goto done;
	}
	for (i = 0; i < sizeof(DENY) / sizeof(DENY[0]); i++) {
		int nr = seccomp_syscall_resolve_name(DENY[i]);

		if (nr == __NR_SCMP_ERROR)
			continue;   /* not on this architecture */
		if ((r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0)) < 0) {
			rc = err_set("seccomp: deny %s: %s", DENY[i], strerror(-r));
			goto done;
		}
	}
	for (i = 0; i < sandbox_profile_ndeny(prof); i++) {
		const char *name = sandbox_profile_deny(prof, i);
		int nr = seccomp_syscall_resolve_name(name);

		if (nr == __NR_SCMP_ERROR) {
			rc = err_set("sandbox profile %s: unknown syscall '%s'",
				     sandbox_profile_name(prof), name);
			goto done;
		}
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
		if (r < 0 && r != -EEXIST) {
			rc = err_set("seccomp: deny %s: %s", name, strerror(-r));
			goto done;
		}
	}
	for (i = 0; i < sizeof(NSFLAGS) / sizeof(NSFLAGS[0]); i++) {
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, NSFLAGS[i], NSFLAGS[i]));
		if (r < 0) {
			rc = err_set("seccomp: clone rule: %s", strerror(-r));
			goto done;
		}
	}
	for (i = 0; i < 2; i++) {
		int nr = i ? SCMP_SYS(socketpair) : SCMP_SYS(socket);
		scmp_datum_t fam;

		/* Exact 64-bit compares: any value but the allowed ones (high
		 * bits set included) is refused. */
		for (fam = 0; fam < 64; fam++) {
			size_t k;

			for (k = 0; k < sizeof(FAMILIES) / sizeof(FAMILIES[0]); k++)
				if (fam == (scmp_datum_t)FAMILIES[k])
					break;
			if (k < sizeof(FAMILIES) / sizeof(FAMILIES[0]))
				continue;
			if ((r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), nr, 1,
						  SCMP_A0(SCMP_CMP_EQ, fam))) < 0) {
				rc = err_set("seccomp: socket family rule: %s", strerror(-r));
				goto done;
			}
		}
		if ((r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), nr, 1,
					  SCMP_A0(SCMP_CMP_GE, 64))) < 0) {
			rc = err_set("seccomp: socket family rule: %s", strerror(-r));
			goto done;
		}
	}
	/* Without a memory cgroup, RLIMIT_AS is the only memory bound, and it
	 * does not count pages that are not mapped: a memfd or a SysV segment
	 * written and unmapped holds memory no limit sees. Refuse both. (The
	 * tmpfs mounts are size-capped; /dev/shm is read-only.) */
	if (!mem_cgroup) {
		static const char *const NOMEM[] = {"memfd_create", "shmget"};

		for (i = 0; i < 2; i++) {
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), seccomp_syscall_resolve_name(NOMEM[i]), 0);
			if (r < 0 && r != -EEXIST) {
				rc = err_set("seccomp: deny %s: %s", NOMEM[i], strerror(-r));
				goto done;
			}
		}
	}
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0)) < 0 ||
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
				  SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI))) < 0 ||
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
				  SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCLINUX))) < 0) {
		rc = err_set("seccomp: rule: %s", strerror(-r));
		goto done;
	}
	/* libseccomp 2.5 exports only to an fd: a memfd, read back. */
	memfd = memfd_create("seccomp", MFD_CLOEXEC);
	if (memfd < 0) {
		rc = err_set_errno("memfd_create");
		goto done;
	}
	if ((r = seccomp_export_bpf(ctx, memfd)) < 0) {
		rc = err_set("seccomp_export_bpf: %s", strerror(-r));
		goto done;
	}
	len = lseek(memfd, 0, SEEK_END);
	if (len <= 0 || len % (off_t)sizeof(struct sock_filter) || len > 65536 * 8) {
		rc = err_set("seccomp: odd program size %lld", (long long)len);
		goto done;
	}
	insns = malloc((size_t)len);
	if (!insns) {
		rc = err_set("out of memory");
		goto done;
	}
	if (pread(memfd, insns, (size_t)len, 0) != len) {
		rc = err_set_errno("reading the seccomp program");
		goto done;
	}
	out->len = (unsigned short)(len / (off_t)sizeof(struct sock_filter));
	out->filter = insns;
	insns = NULL;
	rc = 0;
done:
	free(insns);
	if (memfd >= 0)
		close(memfd);
	if (ctx)
		seccomp_release(ctx);
	return rc;
}

/*
 * The compiled program depends only on the profile's deny list and on
 * whether a memory cgroup was made, and compiling ~200 rules costs
 * milliseconds per spawn: keep each distinct program (a handful: one per
 * profile and cgroup case) for the life of the process. Keyed by content,
 * not by the profile pointer, which a freed and reloaded profile may reuse.
 * The programs are never freed; *out points into the cache.
 */
#define SECCOMP_CACHE 16

static int seccomp_cached(const struct sandbox_profile *prof, bool mem_cgroup, struct sock_fprog *out)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static struct { char *key; struct sock_fprog prog; } cache[SECCOMP_CACHE];
	struct gbuf key = GBUF_INIT(8192);
	size_t i;
	int rc = -1;

	if (gbuf_addf(&key, "%d", mem_cgroup) < 0)
		goto done;
	for (i = 0; i < sandbox_profile_ndeny(prof); i++)
		if (gbuf_addf(&key, "|%s", sandbox_profile_deny(prof, i)) < 0)
			goto done;
	pthread_mutex_lock(&lock);
	for (i = 0; i < SECCOMP_CACHE && cache[i].key; i++) {
		if (!key.truncated && !strcmp(cache[i].key, gbuf_str(&key))) {
			*out = cache[i].prog;
			rc = 0;
			break;
		}
	}
	if (rc < 0 && seccomp_build(prof, mem_cgroup, out) == 0) {
		rc = 0;
		if (i < SECCOMP_CACHE && !key.truncated && (cache[i].key = strdup(gbuf_str(&key))))
			cache[i].prog = *out;
		else
			rc = err_set("sandbox: too many distinct seccomp programs");
		if (rc < 0)
			free(out->filter);
	}
	pthread_mutex_unlock(&lock);
done:
	gbuf_release(&key);
	return rc;
}

/* A helper's filter (sandbox.h): the built-in denylist, no memory cgroup. */
struct sandbox_filter {
	struct sock_fprog prog;
};

int sandbox_filter_prepare(const struct sandbox_filter **out)
{
	static struct sandbox_filter f;
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static bool ready;
	int rc = 0;

	pthread_mutex_lock(&lock);
	if (!ready && seccomp_cached(NULL, false, &f.prog) < 0)
		rc = -1;
	else
		ready = true;
	pthread_mutex_unlock(&lock);
	*out = rc == 0 ? &f : NULL;
	return rc;
}

int sandbox_filter_install(const struct sandbox_filter *f)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &f->prog) < 0)
		return err_set_errno("installing the seccomp filter");
	return 0;
}

/* ---- the mount tree (PID 1) ------------------------------------------------ */

/* dst = "/newroot" + path (paths are checked absolute and < PATH_MAX). */
static void join(char *dst, size_t n, const char *prefix, const char *path)
{
	snprintf(dst, n, "%s%s", prefix, path);
}

/*
 * A cow path (sandbox_opts.cow_paths): an overlay at the path inside whose
 * lower layer is the host folder (never written: the kernel copies a file
 * up before the first write) and whose upper layer is a tmpfs of the run,
 * capped like the state folder and charged to the memory cgroup. So an app
 * writing into its own project folder fills that tmpfs (the disk verdict),
 * never the host's disk. The tmpfs is mounted in the scratch root, which is
 * detached after the pivot: the overlay keeps its own reference, and
 * nothing inside can reach the upper layer except through the overlay.
 *
 * The upper root takes the lower root's owner and mode (the overlay's root
 * shows the upper's), so the folder looks as it does on the host. Needs
 * overlayfs in the namespace (Linux >= 5.11 inside a user namespace): if
 * the mount is refused, the host folder is bound read-write instead, as
 * before cow paths existed (docs/sandbox.md, "The app's folder").
 */
static int cow_one(const struct plan *pl, const struct bind *b, size_t idx, const char *src, char *dst)
{
	char upper[64], work[64], top[48], opts[3 * PATH_MAX + 64];
	struct stat st;
	int k;

	if (stat(src, &st) < 0 || !S_ISDIR(st.st_mode))
		return -1;
	snprintf(top, sizeof(top), "/cow%zu", idx);
	snprintf(upper, sizeof(upper), "%s/upper", top);
	snprintf(work, sizeof(work), "%s/work", top);
	if (mkdir(top, 0700) < 0 || mount("tmpfs", top, "tmpfs", MS_NOSUID | MS_NODEV, pl->cow_opts) < 0 ||
	    mkdir(upper, 0755) < 0 || mkdir(work, 0700) < 0)
		return -1;
	(void)chown(upper, st.st_uid, st.st_gid);   /* unmapped owner: stays ours */
	if (chmod(upper, st.st_mode & 07777) < 0 || mkdir_p(dst, 0755) < 0)
		return -1;
	/* Commas and colons separate overlay options and layers: such a
	 * host path falls back to the plain bind below. */
	if (strpbrk(src, ",:\\") != NULL)
		return 1;
	k = snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s%s", src, upper, work,
		     pl->mode == SANDBOX_USERNS ? ",userxattr" : "");
	if (k < 0 || (size_t)k >= sizeof(opts))
		return 1;
	return mount("overlay", dst, "overlay", MS_NOSUID | MS_NODEV, opts) < 0 ? 1 : 0;
}

static int bind_one(const struct plan *pl, const struct bind *b)
{
	char src[PATH_MAX + 16], dst[PATH_MAX + 16], target[PATH_MAX];
	struct stat st, dt;
	struct mount_attr attr;
	int fd = -1;
	char *slash;
	ssize_t n;
	int rc = -1;

	join(src, sizeof(src), "/oldroot", b->real ? b->real : b->path);
	join(dst, sizeof(dst), "/newroot", b->dst ? b->dst : b->path);
	if (b->tmpfs) {
		/* The state folder: capped in bytes and inodes, its pages charged
		 * to the memory cgroup, gone with the mount namespace. */
		rc = mkdir_p(dst, 0755) < 0 ? -1 :
		     mount("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NODEV, pl->state_opts);
		goto done;
	}
	if (b->cow) {
		int r = cow_one(pl, b, (size_t)(b - pl->binds), src, dst);

		if (r <= 0) {
			rc = r;
			goto done;
		}
	}
	if (lstat(src, &st) < 0) {
		if (errno == ENOENT && b->sys)
			rc = 0;   /* optional system paths (/lib32 ...) */
		goto done;
	}
	if (S_ISLNK(st.st_mode) && b->sys) {
		/* /bin -> usr/bin on merged-/usr systems: copy the link itself. */
		n = readlink(src, target, sizeof(target) - 1);
		if (n < 0)
			goto done;
		target[n] = '\0';
		rc = lstat(dst, &dt) == 0 ? 0 : symlink(target, dst);
		goto done;
	}
	if (stat(src, &st) < 0)
		goto done;
	if (lstat(dst, &dt) < 0) {
		if (S_ISDIR(st.st_mode)) {
			if (mkdir_p(dst, 0755) < 0)
				goto done;
		} else {
			slash = strrchr(dst, '/');
			*slash = '\0';
			if (mkdir_p(dst, 0755) < 0)
				goto done;
			*slash = '/';
			fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
			if (fd < 0)
				goto done;
		}
	}
	if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
		goto done;
	memset(&attr, 0, sizeof(attr));
	attr.attr_set = MOUNT_ATTR_NOSUID | (b->rw ? 0 : MOUNT_ATTR_RDONLY) |
			(b->dev ? 0 : MOUNT_ATTR_NODEV);
	rc = mount_setattr(AT_FDCWD, dst, AT_RECURSIVE, &attr, sizeof(attr));
done:
	if (fd >= 0)
		close(fd);
	return rc;
}

static int make_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc;

	if (fd < 0)
		return -1;
	rc = write_all(fd, text, strlen(text));
	close(fd);
	return rc;
}

/*
 * Build the new root: a tmpfs holding mount points only, the system paths
 * and caller paths bound at their own names, then pivot into it and make it
 * read-only. Done bubblewrap's way: a scratch tmpfs over /tmp becomes the
 * root first, so the host tree stays reachable at /oldroot while we bind
 * from it (no host path is shadowed by our own mounts), and is detached at
 * the end.
 */
static int build_root(const struct plan *pl, const char **step)
{
	struct mount_attr attr;
	size_t i;
	static const char *const DEVS[] = {"null", "zero", "full", "random", "urandom"};
	int fd = -1;
	int rc = -1;

	*step = "making mounts private";
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		goto done;
	*step = "mounting the scratch tmpfs";
	if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755") < 0)
		goto done;
	if (mkdir("/tmp/newroot", 0755) < 0 || mkdir("/tmp/oldroot", 0755) < 0)
		goto done;
	*step = "pivot_root into the scratch tmpfs";
	if (syscall(SYS_pivot_root, "/tmp", "/tmp/oldroot") < 0 || chdir("/") < 0)
		goto done;
	*step = "mounting the root tmpfs";
	if (mount("tmpfs", "/newroot", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755") < 0)
		goto done;
	for (i = 0; i < pl->nsys; i++) {
		*step = pl->binds[i].path;
		if (bind_one(pl, &pl->binds[i]) < 0)
			goto done;
	}
	*step = "writing /etc";
	if (mkdir_p((char[]){"/newroot/etc"}, 0755) < 0 ||
	    make_file("/newroot/etc/passwd", "root:x:0:0::/:/bin/sh\nsandbox:x:1000:1000::/tmp:/bin/sh\n") < 0 ||
	    make_file("/newroot/etc/group", "root:x:0:\nsandbox:x:1000:\n") < 0 ||
	    make_file("/newroot/etc/hosts", "127.0.0.1 localhost sandbox\n::1 localhost\n") < 0 ||
	    make_file("/newroot/etc/nsswitch.conf", pl->o->outbound_net ?
		      "passwd: files\ngroup: files\nhosts: files dns\n" :
		      "passwd: files\ngroup: files\nhosts: files\n") < 0)
		goto done;
	*step = "mounting /tmp";
	if (mkdir("/newroot/tmp", 0755) < 0 && errno != EEXIST)
		goto done;
	if (mount("tmpfs", "/newroot/tmp", "tmpfs", MS_NOSUID | MS_NODEV, pl->tmp_opts) < 0)
		goto done;
	/* /var/tmp, which every Linux machine has and Django's file cache
	 * example uses (h561: /var/tmp/django_cache answered "Read-only file
	 * system"): the /tmp tmpfs again, so its size, its inodes and the
	 * disk verdict stay /tmp's. A bind takes no flags of its own: nosuid
	 * and nodev are set on it as on /tmp. */
	*step = "mounting /var/tmp";
	memset(&attr, 0, sizeof(attr));
	attr.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
	if (mkdir_p((char[]){"/newroot/var/tmp"}, 0755) < 0 ||
	    mount("/newroot/tmp", "/newroot/var/tmp", NULL, MS_BIND, NULL) < 0 ||
	    mount_setattr(AT_FDCWD, "/newroot/var/tmp", 0, &attr, sizeof(attr)) < 0)
		goto done;
	*step = "mounting /dev";
	if (mkdir("/newroot/dev", 0755) < 0 ||
	    mount("tmpfs", "/newroot/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755") < 0)
		goto done;
	for (i = 0; i < sizeof(DEVS) / sizeof(DEVS[0]); i++) {
		char src[64], dst[64];

		snprintf(src, sizeof(src), "/oldroot/dev/%s", DEVS[i]);
		snprintf(dst, sizeof(dst), "/newroot/dev/%s", DEVS[i]);
		fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			goto done;
		close(fd);
		fd = -1;
		if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
			goto done;
	}
	if (symlink("/proc/self/fd", "/newroot/dev/fd") < 0 ||
	    symlink("/proc/self/fd/0", "/newroot/dev/stdin") < 0 ||
	    symlink("/proc/self/fd/1", "/newroot/dev/stdout") < 0 ||
	    symlink("/proc/self/fd/2", "/newroot/dev/stderr") < 0 ||
	    mkdir("/newroot/dev/shm", 01777) < 0)
		goto done;
	/* /dev/shm, where POSIX semaphores and shared memory live
	 * (multiprocessing's Lock and Queue: django-q2's sync mode answered
	 * "Read-only file system", h597): /tmp's tmpfs again, as /var/tmp,
	 * so what is written there counts against /tmp's size and inodes, and
	 * is charged to the memory cgroup where there is one. Then /dev
	 * itself read-only; its binds (devices, shm) are mounts of their own. */
	*step = "mounting /dev/shm";
	memset(&attr, 0, sizeof(attr));
	attr.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
	if (mount("/newroot/tmp", "/newroot/dev/shm", NULL, MS_BIND, NULL) < 0 ||
	    mount_setattr(AT_FDCWD, "/newroot/dev/shm", 0, &attr, sizeof(attr)) < 0)
		goto done;
	*step = "mounting /dev";
	memset(&attr, 0, sizeof(attr));
	attr.attr_set = MOUNT_ATTR_RDONLY;
	if (mount_setattr(AT_FDCWD, "/newroot/dev", 0, &attr, sizeof(attr)) < 0)
		goto done;
	*step = "mounting /proc";
	if (mkdir("/newroot/proc", 0555) < 0 ||
	    mount("proc", "/newroot/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		goto done;
	/* Caller paths last, parents before children (sorted by the grader),
	 * so a checkout under /tmp is not shadowed by the /tmp tmpfs. */
	for (i = pl->nsys; i < pl->nbinds; i++) {
		*step = pl->binds[i].path;
		if (bind_one(pl, &pl->binds[i]) < 0)
			goto done;
	}
	*step = "pivot_root into the new root";
	if (chdir("/newroot") < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
	    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		goto done;
	*step = "making the root read-only";
	if (mount_setattr(AT_FDCWD, "/", 0, &attr, sizeof(attr)) < 0)
		goto done;
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	return rc;
}

/* ---- the target (forked by PID 1) ----------------------------------------- */

static void set_limit(int res, uint64_t v)
{
	struct rlimit rl;

	if (!v)
		return;
	rl.rlim_cur = rl.rlim_max = (rlim_t)v;
	(void)setrlimit(res, &rl);
}

static void run_target(const struct plan *pl, int out_w)
{
	const struct sandbox_opts *o = pl->o;
	static const char *const empty_env[] = {NULL};
	int nullfd, moved[64];
	sigset_t none;
	size_t i;
	char msg[PATH_MAX + 64];

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	setsid();
	/* Move passed fds out of the way first, so dup2 to 3.. cannot clobber
	 * one we still need. */
	for (i = 0; i < o->npass_fds && i < 64; i++)
		moved[i] = fcntl(o->pass_fds[i], F_DUPFD_CLOEXEC, 100);
	nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (nullfd < 0 || dup2(nullfd, 0) < 0 || dup2(out_w, 1) < 0 || dup2(out_w, 2) < 0)
		_exit(126);
	for (i = 0; i < o->npass_fds && i < 64; i++)
		if (moved[i] < 0 || dup2(moved[i], 3 + (int)i) < 0)
			_exit(126);
	syscall(SYS_close_range, 3 + (unsigned)o->npass_fds, ~0U, 0);
	if (chdir(o->cwd ? o->cwd : "/") < 0) {
		snprintf(msg, sizeof(msg), "sandbox: chdir %s: %s\n", o->cwd, strerrordesc_np(errno));
		(void)write_all(2, msg, strlen(msg));
		_exit(126);
	}
	set_limit(RLIMIT_AS, pl->lim->memory);
	set_limit(RLIMIT_NPROC, pl->lim->processes);
	/* Soft CPU limit sends SIGXCPU (a clear verdict); the hard one
	 * CPU_HARD_AFTER_S later SIGKILLs a target that ignores it. */
	if (pl->lim->cpu_seconds) {
		struct rlimit rl = {(rlim_t)pl->lim->cpu_seconds, (rlim_t)(pl->lim->cpu_seconds + CPU_HARD_AFTER_S)};

		(void)setrlimit(RLIMIT_CPU, &rl);
	}
	set_limit(RLIMIT_FSIZE, pl->lim->file_size);
	set_limit(RLIMIT_NOFILE, pl->lim->open_files);
	{
		struct rlimit rl = {0, 0};

		(void)setrlimit(RLIMIT_CORE, &rl);
	}
	/* Root mode: PID 1 is real root, the target drops to the slot's uid.
	 * Userns mode with a root grader: PID 1 is root of the namespace
	 * (host uid 0, so it can reach the grader's paths), the target drops
	 * to 1000 inside = 60000+slot outside. Unprivileged userns: PID 1 and
	 * the target are both 1000 inside = the grader's uid; PID 1's
	 * capabilities end at the target's execve() (uid != 0). */
	if (pl->mode == SANDBOX_ROOT || pl->privileged) {
		uid_t u = pl->mode == SANDBOX_ROOT ? (uid_t)(ROOT_UID_BASE + o->slot) : INSIDE_UID;

		if (set_ids_raw(u, (gid_t)u, true) < 0)
			_exit(126);
	}
	/* The memory cgroup's OOM killer must pick the submission, never PID
	 * 1 (whose report carries the verdict): raising one's own score needs
	 * no privilege, and lowering it back below 0 is refused. */
	(void)write_file("/proc/self/oom_score_adj", "1000");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &pl->prog) < 0)
		_exit(126);
	execve(pl->exe, (char *const *)o->argv, (char *const *)(o->envp ? o->envp : empty_env));
	snprintf(msg, sizeof(msg), "sandbox: exec %s: %s\n", pl->exe, strerrordesc_np(errno));
	(void)write_all(2, msg, strlen(msg));
	_exit(127);
}

/* ---- PID 1 ------------------------------------------------------------------ */

struct logstate {
	int fd;
	size_t head_left;     /* bytes still written straight to the file */
	size_t head_size;     /* ...of this many: where the kept tail goes (log_flush) */
	char *ring;
	size_t ring_size, ring_pos, ring_len;
	unsigned long long dropped;
	char carry[32];       /* tail of the previous chunk, for marker search (> longest marker) */
	size_t ncarry;
	bool memory_error;
	bool file_too_large;  /* EFBIG's message: RLIMIT_FSIZE refused a write */
	bool procs_refused;   /* fork/thread creation refused: RLIMIT_NPROC's EAGAIN */
	bool no_space;        /* ENOSPC's message: a tmpfs of the run was full */
};

static void log_scan(struct logstate *ls, const char *buf, size_t n)
{
	char win[32 + 4096];
	size_t take = n < 4096 ? n : 4096;
	size_t k;

	/* Markers that a memory-starved CPython or libc prints. Only the
	 * first 4 KiB of a chunk plus the carry are searched: cheap, and a
	 * MemoryError traceback comes in a small write. */
	memcpy(win, ls->carry, ls->ncarry);
	memcpy(win + ls->ncarry, buf, take);
	if (memmem(win, ls->ncarry + take, "MemoryError", 11) ||
	    memmem(win, ls->ncarry + take, "Cannot allocate memory", 22))
		ls->memory_error = true;
	/* CPython ignores SIGXFSZ, so a write past RLIMIT_FSIZE does not kill
	 * it: it fails with EFBIG ("OSError: [Errno 27] File too large"), and
	 * that message is the only sign of the output limit from outside. */
	if (memmem(win, ls->ncarry + take, "File too large", 14))
		ls->file_too_large = true;
	/* Every writable filesystem of the sandbox is a capped tmpfs of the
	 * run: ENOSPC means one of them is full (the disk verdict), even when
	 * the app deleted its files again before we looked. */
	if (memmem(win, ls->ncarry + take, "No space left on device", 23))
		ls->no_space = true;
	/* Without a pids cgroup the process count is only sampled, and a bomb
	 * that is refused and exits between two samples leaves no trace but
	 * these: CPython's message when pthread_create fails, and fork's EAGAIN.
	 * (A thread refused for want of address space says the same; when the
	 * app also printed MemoryError, the memory verdict wins below.) */
	if (memmem(win, ls->ncarry + take, "can't start new thread", 22) ||
	    memmem(win, ls->ncarry + take, "Resource temporarily unavailable", 32))
		ls->procs_refused = true;
	k = n < sizeof(ls->carry) ? n : sizeof(ls->carry);
	memcpy(ls->carry, buf + n - k, k);
	ls->ncarry = k;
}

static void log_add(struct logstate *ls, const char *buf, size_t n)
{
	log_scan(ls, buf, n);
	if (ls->head_left) {
		size_t k = n < ls->head_left ? n : ls->head_left;

		if (ls->fd >= 0)
			(void)write_all(ls->fd, buf, k);
		ls->head_left -= k;
		buf += k;
		n -= k;
	}
	while (n && ls->ring_size) {
		size_t k = ls->ring_size - ls->ring_pos;

		if (k > n)
			k = n;
		memcpy(ls->ring + ls->ring_pos, buf, k);
		ls->ring_pos = (ls->ring_pos + k) % ls->ring_size;
		if (ls->ring_len + k > ls->ring_size)
			ls->dropped += ls->ring_len + k - ls->ring_size;
		ls->ring_len = ls->ring_len + k > ls->ring_size ? ls->ring_size : ls->ring_len + k;
		buf += k;
		n -= k;
	}
}

/*
 * The kept tail written after the head: the note of what was dropped, then
 * the ring, oldest byte first, the file cut there. Written again, in place,
 * on each of the grader's syncs (MSG_STATUS) as well as at the end, so an
 * answer's traceback is in the file once the head is full (h699: an app
 * printing megabytes of e-mail, its 500's exception never quoted). The
 * ring is kept: a later sync writes it again with what came since.
 */
static void log_flush(struct logstate *ls)
{
	char note[96];
	size_t start, done = 0;
	off_t off = (off_t)(ls->head_size - ls->head_left);

	if (ls->fd < 0 || !ls->ring_len)
		return;
	if (ls->dropped) {
		snprintf(note, sizeof(note), "\n[... %llu bytes of output omitted ...]\n", ls->dropped);
		done = strlen(note);
		(void)pwrite_all(ls->fd, note, done, off);
	}
	start = (ls->ring_pos + ls->ring_size - ls->ring_len) % ls->ring_size;
	if (start + ls->ring_len <= ls->ring_size) {
		(void)pwrite_all(ls->fd, ls->ring + start, ls->ring_len, off + (off_t)done);
	} else {
		(void)pwrite_all(ls->fd, ls->ring + start, ls->ring_size - start, off + (off_t)done);
		(void)pwrite_all(ls->fd, ls->ring, ls->ring_len - (ls->ring_size - start),
				 off + (off_t)(done + ls->ring_size - start));
	}
	(void)ftruncate(ls->fd, off + (off_t)(done + ls->ring_len));
}

static void drain(int fd, struct logstate *ls, int max_rounds)
{
	char buf[16384];
	int i;

	for (i = 0; i < max_rounds; i++) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			return;
		log_add(ls, buf, (size_t)n);
	}
}

/* Numeric entries of the directory open at fd (without opendir: no malloc
 * here). */
static int count_numeric(int fd)
{
	char buf[8192];
	int count = 0;
	long n;

	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		long off = 0;

		while (off < n) {
			struct { unsigned long long ino; long long off; unsigned short reclen;
				 unsigned char type; char name[]; } *d = (void *)(buf + off);

			if (d->name[0] >= '1' && d->name[0] <= '9')
				count++;
			off += d->reclen;
		}
	}
	return count;
}

/*
 * Tasks (threads included) in this PID namespace: what RLIMIT_NPROC and the
 * pids cgroup count, so a thread bomb is seen as well as a fork bomb.
 * Counting processes only would miss both where the limit is reached with
 * threads (CPython's own watchdog thread is one).
 */
static int count_tasks(void)
{
	char buf[8192], path[64];
	int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int count = 0;
	long n;

	if (fd < 0)
		return -1;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		long off = 0;

		while (off < n) {
			struct { unsigned long long ino; long long off; unsigned short reclen;
				 unsigned char type; char name[]; } *d = (void *)(buf + off);

			if (d->name[0] >= '1' && d->name[0] <= '9') {
				int tfd;

				snprintf(path, sizeof(path), "%.20s/task", d->name);
				tfd = openat(fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
				if (tfd >= 0) {
					count += count_numeric(tfd);
					close(tfd);
				}
			}
			off += d->reclen;
		}
	}
	close(fd);
	return count;
}

/* How often PID 1 looks for pasta's route and listeners: pasta is ready
 * 6-9 ms after its start, and each look is one read of a small /proc file
 * (a 5 ms step kept every install waiting ~3 ms more on average). */
#define OUTBOUND_POLL_US 1000

/*
 * Wait until our network namespace has a default route (pasta has attached
 * and configured its interface), at most timeout_ms. /proc/self/net is the
 * reader's own namespace; the host's /proc is still mounted (before the
 * pivot). A stack buffer only: PID 1 may not malloc. 0, or -1 + errno.
 */
static int wait_default_route(long timeout_ms)
{
	long long until = monotime_deadline(timeout_ms);
	char buf[4096];

	for (;;) {
		int fd = open("/proc/self/net/route", O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		char *line;

		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = '\0';
			/* "Iface\tDestination\t..."; a default route's destination
			 * is 00000000. */
			for (line = strchr(buf, '\n'); line; line = strchr(line + 1, '\n')) {
				char *tab = strchr(line + 1, '\t');

				if (tab && !strncmp(tab + 1, "00000000\t", 9))
					return 0;
			}
		}
		if (!monotime_left_ms(until)) {
			errno = ETIMEDOUT;
			return -1;
		}
		usleep(OUTBOUND_POLL_US);
	}
}

/* Is something of our namespace listening on TCP port `port` (pasta's end
 * of a forwarded loopback port)? /proc/self/net/tcp and tcp6: "sl
 * local_address rem_address st ...", the port in hex after the colon,
 * state 0A = LISTEN. A fresh namespace's tables fit the stack buffer. */
static bool tcp_listening(int port)
{
	static const char *const FILES[] = {"/proc/self/net/tcp", "/proc/self/net/tcp6"};
	char buf[8192];
	size_t f;

	for (f = 0; f < 2; f++) {
		int fd = open(FILES[f], O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		char *line;

		if (fd >= 0)
			close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
			unsigned lport, st;

			if (sscanf(line + 1, " %*u: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x", &lport, &st) == 2 &&
			    lport == (unsigned)port && st == 0x0A)
				return true;
		}
	}
	return false;
}

/* PID 1, outbound_net: wait for pasta (its default route, and its listener
 * for each forwarded loopback port), at most timeout_ms. */
static int wait_outbound(const struct sandbox_opts *o, long timeout_ms)
{
	long long until = monotime_deadline(timeout_ms);
	size_t i;

	if (wait_default_route(timeout_ms) < 0)
		return -1;
	for (i = 0; i < o->nloopback_ports; i++) {
		while (!tcp_listening(o->loopback_ports[i])) {
			if (!monotime_left_ms(until)) {
				errno = ETIMEDOUT;
				return -1;
			}
			usleep(OUTBOUND_POLL_US);
		}
	}
	return 0;
}

/* Is the tmpfs at path full (bytes or inodes)? */
static bool tmpfs_full(const char *path)
{
	struct statfs sf;

	if (!path || statfs(path, &sf) < 0)
		return false;
	return (unsigned long long)sf.f_bavail * (unsigned long long)sf.f_bsize < DISK_FULL_BYTES ||
	       (sf.f_files && sf.f_ffree == 0);
}

/* Is the upper layer of a cow path full? statfs on an overlay reports its
 * upper layer's file system. */
static bool cow_full(const struct plan *pl)
{
	size_t i;

	for (i = pl->nsys; i < pl->nbinds; i++)
		if (pl->binds[i].cow && tmpfs_full(pl->binds[i].path))
			return true;
	return false;
}

/*
 * Which limit the target hit, as far as PID 1 can tell (the grader adds the
 * cgroups' exact counters). `final`: the target has exited with tstatus.
 * Order: the clock, a stop we were asked for, CPU, output size, address
 * space (MemoryError: RLIMIT_AS refused a mapping, not visible elsewhere),
 * a full tmpfs, the signal heuristic for memory (only without a memory
 * cgroup, whose OOM count is exact), processes.
 */
static enum verdict pid1_verdict(const struct plan *pl, const struct logstate *ls, bool final, int tstatus,
				 const struct rusage *ru, bool wall_hit, bool stopping, bool procs_hit)
{
	double cpu = (double)ru->ru_utime.tv_sec + (double)ru->ru_stime.tv_sec +
		     (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e6;
	int sig = final && WIFSIGNALED(tstatus) ? WTERMSIG(tstatus) : 0;

	if (wall_hit)
		return V_WALL;
	if (stopping)
		return V_NONE;
	/* RLIMIT_CPU sends SIGXCPU at the soft limit and SIGKILL at the hard
	 * one (for a target that ignores SIGXCPU). A SIGKILL well below the
	 * hard limit came from somewhere else (the OOM killer, late in a CPU
	 * budget spent reclaiming memory): not the CPU limit. "Well": the
	 * kernel's clock for the limit runs ahead of the rusage a wait
	 * returns on a loaded machine (measured: SIGKILL at a 3 s hard limit
	 * with 2.60-2.74 s in rusage, load 7-15 on 2 cores); a memory
	 * cgroup's OOM count still names memory (with_cgroups). */
	if (sig == SIGXCPU ||
	    (sig == SIGKILL && pl->lim->cpu_seconds &&
	     cpu + CPU_CLOCK_SKEW_S >= (double)(pl->lim->cpu_seconds + CPU_HARD_AFTER_S)))
		return V_CPU;
	if (sig == SIGXFSZ || (pl->lim->file_size && ls->file_too_large))
		return V_OUTPUT;
	if (pl->lim->memory && ls->memory_error)
		return V_MEMORY;
	if (ls->no_space || tmpfs_full(pl->o->state_path) || tmpfs_full("/tmp") || cow_full(pl))
		return V_DISK;
	if (final && pl->lim->memory && !pl->mem_cgroup &&
	    tstatus != 0 && (sig == SIGKILL || sig == SIGSEGV || sig == SIGABRT))
		return V_MEMORY;
	if (procs_hit || (pl->lim->processes && ls->procs_refused))
		return V_PROCESSES;
	return V_NONE;
}

/*
 * Lower the SysV shared-memory caps of our IPC namespace to the memory
 * limit. Works where PID 1 is root of the namespace's owner (root mode, a
 * root grader); an unprivileged grader's PID 1 is not, and its targets have
 * shmget refused by seccomp instead (no memory cgroup there).
 */
static void shm_caps(uint64_t memory)
{
	char num[32];

	if (!memory)
		return;
	snprintf(num, sizeof(num), "%llu", (unsigned long long)memory);
	(void)write_file("/proc/sys/kernel/shmmax", num);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)(memory / 4096));
	(void)write_file("/proc/sys/kernel/shmall", num);
}

/* Blank the grader's argv and environment strings in our copy of its
 * memory: /proc/1/cmdline inside then reads "sandbox-init". */
static void scrub_cmdline(const struct plan *pl)
{
	static const char NAME[] = "sandbox-init";

	if (pl->arg_end > pl->arg_start && pl->arg_end - pl->arg_start >= sizeof(NAME)) {
		memset((void *)pl->arg_start, 0, pl->arg_end - pl->arg_start);
		memcpy((void *)pl->arg_start, NAME, sizeof(NAME));
	}
	if (pl->env_end > pl->env_start)
		memset((void *)pl->env_start, 0, pl->env_end - pl->env_start);
	prctl(PR_SET_NAME, NAME, 0, 0, 0);
}

/* port 0: hand back an unconnected socket of this namespace (MSG_SOCKET). */
static void serve_connect(int ctl, int port)
{
	struct sb_msg m;
	struct sockaddr_in sa;
	struct msghdr mh;
	struct iovec iov;
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } cm;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&m, 0, sizeof(m));
	m.type = MSG_FD;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* Loopback connect completes or is refused at once (a full backlog is
	 * the exception; SO_SNDTIMEO bounds connect() too). */
	if (fd >= 0) {
		struct timeval tv = {2, 0};

		(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	if (fd < 0 || port < 0 || port > 65535 ||
	    (port > 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)) {
		m.err = errno ? errno : EINVAL;
		(void)send(ctl, &m, sizeof(m), MSG_NOSIGNAL);
		goto done;
	}
	{
		struct timeval tv = {0, 0};

		(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = &m;
	iov.iov_len = sizeof(m);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof(cm.buf);
	CMSG_FIRSTHDR(&mh)->cmsg_level = SOL_SOCKET;
	CMSG_FIRSTHDR(&mh)->cmsg_type = SCM_RIGHTS;
	CMSG_FIRSTHDR(&mh)->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(CMSG_FIRSTHDR(&mh)), &fd, sizeof(int));
	(void)sendmsg(ctl, &mh, MSG_NOSIGNAL);
done:
	if (fd >= 0)
		close(fd);
}

static int pid1_main(const struct plan *pl)
{
	const struct sandbox_opts *o = pl->o;
	struct logstate ls;
	struct sb_msg m;
	const char *step = "start";
	sigset_t chld;
	int sigfd = -1, pipefd[2] = {-1, -1};
	pid_t target;
	/* 0: no wall clock (monotime is safe here: clock_gettime only). */
	long long deadline = o->wall_timeout_ms > 0 ? monotime_deadline(o->wall_timeout_ms) : 0;
	bool target_done = false, wall_hit = false, procs_hit = false, stopping = false;
	long long last_sample = 0;
	int tstatus = 0;
	struct rusage ru;

	memset(&ru, 0, sizeof(ru));
	/* As init of its namespace, PID 1 ignores signals from outside it
	 * unless it has a handler: drop the grader's (intr.h). */
	intr_child_reset();
	/* Die with the grader: then the kernel kills the whole namespace. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Wait until the grader wrote our uid/gid maps. EOF = the grader
	 * died before we could set PDEATHSIG. */
	if (recv(pl->ctl, &m, sizeof(m), 0) != (ssize_t)sizeof(m) || m.type != MSG_GO)
		_exit(1);
	/* Non-dumpable: the target cannot ptrace us or reach our descriptors
	 * (the control socket) and memory through /proc. */
	prctl(PR_SET_DUMPABLE, 0);
	scrub_cmdline(pl);
	shm_caps(pl->lim->memory);
	step = "bringing up lo";
	if (lo_up() < 0)
		goto fail;
	step = "waiting for the install's network (pasta)";
	if (o->outbound_net && wait_outbound(o, SETUP_TIMEOUT_MS / 2) < 0)
		goto fail;
	(void)sethostname("sandbox", 7);
	if (build_root(pl, &step) < 0)
		goto fail;
	step = "pipe";
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		goto fail;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sigfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sigfd < 0)
		goto fail;
	/* The grader puts us in our cgroups (if any) while we build the root
	 * (a cgroup v1 move waits for an RCU grace period, milliseconds, which
	 * would otherwise come first): nothing of the submission exists
	 * before MSG_JOINED, so the target and all it starts are counted.
	 * EOF = the grader gave up (it kills us). */
	step = "waiting for the cgroups";
	if (recv(pl->ctl, &m, sizeof(m), 0) != (ssize_t)sizeof(m) || m.type != MSG_JOINED)
		_exit(1);
	step = "fork of the target";
	/* Raw clone, not fork(): glibc's fork takes the malloc locks, which
	 * another grader thread may have held when we were cloned. */
	target = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, NULL, NULL, NULL, NULL);
	if (target < 0)
		goto fail;
	if (target == 0) {
		close(pl->ctl);
		run_target(pl, pipefd[1]);
	}
	close(pipefd[1]);
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	memset(&ls, 0, sizeof(ls));
	ls.fd = pl->log_fd;
	ls.ring = pl->ring;
	ls.ring_size = pl->ring_size;
	ls.head_left = pl->ring_size;
	ls.head_size = pl->ring_size;
	memset(&m, 0, sizeof(m));
	m.type = MSG_READY;
	(void)send(pl->ctl, &m, sizeof(m), MSG_NOSIGNAL);

	while (!target_done) {
		struct pollfd pf[3] = {
			{pl->ctl, POLLIN, 0}, {sigfd, POLLIN, 0}, {pipefd[0], POLLIN, 0},
		};
		int timeout = -1;

		if (deadline && !wall_hit)
			timeout = monotime_left_ms(deadline);
		if (pl->lim->processes && (timeout < 0 || timeout > SAMPLE_MS))
			timeout = SAMPLE_MS;
		if (poll(pf, pipefd[0] >= 0 ? 3 : 2, timeout) < 0 && errno != EINTR)
			break;
		if (pf[0].revents & POLLIN) {
			ssize_t n = recv(pl->ctl, &m, sizeof(m), 0);

			if (n <= 0)
				_exit(0);     /* grader gone: the namespace dies with us */
			if (m.type == MSG_CONNECT)
				serve_connect(pl->ctl, m.status > 0 ? m.status : -1);
			else if (m.type == MSG_SOCKET)
				serve_connect(pl->ctl, 0);
			else if (m.type == MSG_STATUS) {
				/* What has been hit so far, while the target runs. The
				 * pipe is read dry first: whatever the target wrote
				 * before the grader asked is then in the log
				 * (sandbox_sync_log), so an answer's traceback is read
				 * without waiting on this loop's turn. */
				if (pipefd[0] >= 0)
					drain(pipefd[0], &ls, 64);
				log_flush(&ls);
				memset(&m, 0, sizeof(m));
				m.type = MSG_STATUS;
				m.verdict = pid1_verdict(pl, &ls, false, 0, &ru, wall_hit, stopping, procs_hit);
				(void)send(pl->ctl, &m, sizeof(m), MSG_NOSIGNAL);
			}
			else if (m.type == MSG_STOP && !stopping) {
				stopping = true;
				kill(-1, SIGKILL);   /* every process of this namespace but us */
			}
		} else if (pf[0].revents & (POLLHUP | POLLERR)) {
			_exit(0);
		}
		if (pf[2].revents & (POLLIN | POLLHUP)) {
			char buf[65536];   /* a full pipe at once: fewer reads and scans per byte */
			ssize_t n = read(pipefd[0], buf, sizeof(buf));

			if (n > 0) {
				log_add(&ls, buf, (size_t)n);
			} else if (n == 0) {
				close(pipefd[0]);
				pipefd[0] = -1;
			}
		}
		if (pf[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			pid_t p;
			int st;
			struct rusage r;

			while (read(sigfd, &si, sizeof(si)) > 0)
				;
			while ((p = wait4(-1, &st, WNOHANG, &r)) > 0) {
				if (p == target) {
					target_done = true;
					tstatus = st;
					ru = r;
				}
			}
		}
		/* Sampled on every wake-up (at most every SAMPLE_MIN_MS), not only
		 * on the SAMPLE_MS tick: a bomb that is refused and gives up at
		 * once is seen while it prints its error, before it exits. */
		if (pl->lim->processes && !procs_hit && monotime_now_ms() - last_sample >= SAMPLE_MIN_MS) {
			last_sample = monotime_now_ms();
			if ((uint64_t)count_tasks() >= pl->lim->processes)
				procs_hit = true;
		}
		if (deadline && !wall_hit && !monotime_left_ms(deadline)) {
			wall_hit = true;
			kill(-1, SIGKILL);
		}
	}
	/* The target is gone: keep what it printed, then end the rest. */
	if (pipefd[0] >= 0)
		drain(pipefd[0], &ls, 64);
	kill(-1, SIGKILL);
	log_flush(&ls);
	memset(&m, 0, sizeof(m));
	m.type = MSG_EXIT;
	m.status = tstatus;
	m.verdict = pid1_verdict(pl, &ls, true, tstatus, &ru, wall_hit, stopping, procs_hit);
	(void)send(pl->ctl, &m, sizeof(m), MSG_NOSIGNAL);
	return 0;
fail:
	send_failed(pl->ctl, step);
	return 1;
}

/* ---- the grader's side -------------------------------------------------------- */

static bool cgroup_pids_hit(const struct sandbox *s);
static long long cgroup_oom_count(const struct sandbox *s);

static bool plan_path_ok(const char *path)
{
	return path[0] == '/' && strlen(path) < PATH_MAX - 16 && !strstr(path, "/..");
}

static int plan_add(struct plan *pl, const char *path, bool rw, bool dev)
{
	if (pl->nbinds == MAX_BINDS)
		return err_set("too many sandbox mounts (at most %d)", MAX_BINDS);
	if (!plan_path_ok(path))
		return err_set("sandbox mount '%s': expected an absolute path without '..'", path);
	pl->binds[pl->nbinds].dst = NULL;
	pl->binds[pl->nbinds].path = path;
	pl->binds[pl->nbinds].rw = rw;
	pl->binds[pl->nbinds].dev = dev;
	pl->nbinds++;
	return 0;
}

/* A bind whose inside path differs (struct sandbox_bind). */
static int plan_add_bind(struct plan *pl, const char *src, const char *dst, bool rw)
{
	if (!plan_path_ok(dst) || !strcmp(dst, "/"))
		return err_set("sandbox mount '%s': expected an absolute path without '..'", dst);
	if (plan_add(pl, src, rw, false) < 0)
		return -1;
	pl->binds[pl->nbinds - 1].dst = dst;
	return 0;
}

static const char *bind_inside(const struct bind *b)
{
	return b->dst ? b->dst : b->path;
}

/* Shorter paths (inside) first: a parent is mounted before anything beneath it. */
static int bind_cmp(const void *a, const void *b)
{
	size_t la = strlen(bind_inside(a)), lb = strlen(bind_inside(b));

	return la < lb ? -1 : la > lb;
}

static int resolve_exe(const char *argv0, char *out, size_t n)
{
	static const char *const PATHS[] = {"/usr/local/bin", "/usr/bin", "/bin"};
	size_t i;

	if (strchr(argv0, '/')) {
		snprintf(out, n, "%s", argv0);
		return 0;
	}
	for (i = 0; i < 3; i++) {
		snprintf(out, n, "%s/%s", PATHS[i], argv0);
		if (access(out, X_OK) == 0)
			return 0;
	}
	return err_set("sandbox: command '%s' not found", argv0);
}

/* Receive one message, with an fd if one came. -1 + err on EOF/error. */
static int ctl_recv(struct sandbox *s, struct sb_msg *m, int *fd, int timeout_ms)
{
	struct pollfd pf = {s->ctl, POLLIN, 0};
	struct msghdr mh;
	struct iovec iov;
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } cm;
	struct cmsghdr *c;
	ssize_t n;
	/* A deadline, not a timeout: a signal (EINTR) does not restart the wait. */
	long long until = monotime_deadline(timeout_ms);
	int r;

	if (fd)
		*fd = -1;
	do
		r = poll(&pf, 1, timeout_ms < 0 ? -1 : monotime_left_ms(until));
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return err_set("sandbox: PID 1 did not answer in time");
	if (r < 0)
		return err_set_errno("poll");
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = m;
	iov.iov_len = sizeof(*m);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof(cm.buf);
	n = recvmsg(s->ctl, &mh, MSG_CMSG_CLOEXEC);
	if (n <= 0)
		return err_set("sandbox: PID 1 is gone");
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int got;

			memcpy(&got, CMSG_DATA(c), sizeof(int));
			if (fd && *fd < 0)
				*fd = got;
			else
				close(got);
		}
	}
	if ((size_t)n != sizeof(*m))
		return err_set("sandbox: short message from PID 1");
	return 0;
}

/*
 * PID 1's verdict, corrected by the cgroups' exact counters: an OOM kill in
 * our memory cgroup is the memory limit whatever else PID 1 saw (a process
 * killed for memory may look like a full disk or a refused fork); a fork the
 * pids cgroup refused is the process limit unless a more specific limit
 * (time, output, memory) was named.
 */
static enum verdict with_cgroups(const struct sandbox *s, enum verdict v)
{
	/* An OOM kill counted is memory, whatever PID 1 guessed from the
	 * signal: a SIGKILL near the CPU limit's too. */
	if ((v == V_NONE || v == V_DISK || v == V_PROCESSES || v == V_MEMORY || v == V_CPU) &&
	    cgroup_oom_count(s) > 0)
		return V_MEMORY;
	if ((v == V_NONE || (v == V_MEMORY && !s->cg_mem[0])) && cgroup_pids_hit(s))
		return V_PROCESSES;
	return v;
}

static void note_exit(struct sandbox *s, const struct sb_msg *m)
{
	s->exited = true;
	s->wstatus = m->status;
	s->verdict = with_cgroups(s, (enum verdict)m->verdict);
}

/*
 * Write PID 1's uid/gid maps (the grader does it: an unprivileged grader may
 * map only its own ids, after denying setgroups, and PID 1 becomes 1000
 * inside). A root grader maps 0 -> 0 for PID 1, which must reach the
 * grader's root-owned paths and create mounts (an unmapped uid cannot), and
 * 1000 -> 60000+slot for the target, which never runs as host root (uid 0
 * is exempt from RLIMIT_NPROC and owns root's files).
 */
static int write_child_maps(pid_t pid, uid_t ouid, gid_t ogid)
{
	const char *root_line = geteuid() == 0 ? "0 0 1\n" : "";
	char path[64], line[96];
	int rc = -1;

	if (geteuid() != 0) {
		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
		if (write_file(path, "deny") < 0)
			goto fail;
	}
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	snprintf(line, sizeof(line), "%s%d %u 1\n", root_line, INSIDE_UID, (unsigned)ouid);
	if (write_file(path, line) < 0)
		goto fail;
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	snprintf(line, sizeof(line), "%s%d %u 1\n", root_line, INSIDE_GID, (unsigned)ogid);
	if (write_file(path, line) < 0)
		goto fail;
	rc = 0;
	goto done;
fail:
	rc = err_set_errno("sandbox: writing %s", path);
done:
	return rc;
}

static int cgroup_own_path(const char *controller, char *out, size_t n)
{
	char buf[4096];
	int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
	ssize_t len;
	char *line, *save = NULL;
	int rc = -1;

	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		*c2 = '\0';
		if (!strcmp(c1 + 1, controller)) {
			snprintf(out, n, "%s", c2 + 1);
			rc = 0;
			break;
		}
	}
	return rc;
}

/*
 * Cgroups, only ever beneath the grader's own (from /proc/self/cgroup;
 * nothing else is created or changed), and only where they can be made:
 *   v1  a child of our cgroup in the "memory" hierarchy (memory.limit_in_bytes,
 *       memsw too when swap is accounted) and one in the "pids" hierarchy;
 *   v2  one child of our cgroup when its cgroup.subtree_control already
 *       delegates "memory" and/or "pids" (memory.max, memory.swap.max 0,
 *       pids.max).
 * Why: RLIMIT_AS bounds one process's mappings, not the memfd, SysV shared
 * memory and tmpfs pages a submission can hold, nor the sum over its
 * processes; and a root grader's targets may be exempt from RLIMIT_NPROC.
 * The counters (OOM kills, refused forks) give exact verdicts. Where no
 * cgroup can be made (an unprivileged grader without delegation) the
 * seccomp filter refuses memfd_create and shmget instead (seccomp_build).
 * Any failure here means "no cgroup of that kind", never a failed run.
 */
static int cg_write(const char *dir, const char *file, unsigned long long v)
{
	char path[PATH_MAX + 64], num[32];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	snprintf(num, sizeof(num), "%llu", v);
	return write_file(path, num);
}

static bool cg_has(const char *dir, const char *file)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return access(path, F_OK) == 0;
}

/* "KEY N" in dir/file -> N; 0 when absent or unreadable. */
static long long cg_count(const char *dir, const char *file, const char *key)
{
	char path[PATH_MAX + 64], buf[1024];
	size_t kl = strlen(key);
	const char *p;
	ssize_t n;
	int fd;

	if (!dir[0])
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, kl) && p[kl] == ' ')
			return atoll(p + kl + 1);
	return 0;
}

/*
 * Leftovers of graders that are gone: calls remove(dirfd, dir, name) for
 * each entry of `dir` named PREFIX<pid>-... whose pid no longer exists
 * (cgroups, in-memory scratch folders). A pid reused by a live process
 * only keeps its leftover a while longer.
 */
static void dead_pid_entries_sweep(const char *dir, const char *prefix,
				   void (*remove)(int dirfd, const char *dir, const char *name))
{
	char buf[8192];
	size_t plen = strlen(prefix);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long n;

	if (fd < 0)
		return;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		long off = 0;

		while (off < n) {
			struct { unsigned long long ino; long long off; unsigned short reclen;
				 unsigned char type; char name[]; } *d = (void *)(buf + off);
			char *end = NULL;
			long pid = 0;

			if (!strncmp(d->name, prefix, plen))
				pid = strtol(d->name + plen, &end, 10);
			if (pid > 0 && end && *end == '-' && kill((pid_t)pid, 0) < 0 && errno == ESRCH)
				remove(fd, dir, d->name);
			off += d->reclen;
		}
	}
	close(fd);
}

/*
 * Remove the empty cgroups a grader that was killed (SIGKILL: no teardown)
 * left in `base` (only ever our own cgroup): grader-sandbox-PID-N whose PID
 * is gone. rmdir refuses a cgroup that still has tasks, and a PID reused by
 * a live process only keeps its leftover a while longer.
 */
static void cg_remove_dead(int dirfd, const char *base, const char *name)
{
	(void)base;
	(void)unlinkat(dirfd, name, AT_REMOVEDIR);
}

static void cg_sweep(const char *base)
{
	dead_pid_entries_sweep(base, "grader-sandbox-", cg_remove_dead);
}

static void cg_name(char *out, size_t n, const char *base)
{
	cg_sweep(base);   /* a directory read: cheap beside a mkdir of a cgroup */
	static unsigned long counter;

	snprintf(out, n, "%s/grader-sandbox-%d-%lu", base, (int)getpid(),
		 __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
}

/* cgroup v1's hierarchies for our limits, as a systemd or Docker host of
 * v1 mounts them. */
static bool cgroup_v1_mounted(void)
{
	return access("/sys/fs/cgroup/memory/cgroup.procs", F_OK) == 0 ||
	       access("/sys/fs/cgroup/pids/cgroup.procs", F_OK) == 0;
}

/* The cgroup above `dir` into out (n bytes, at least dir's size); false
 * when dir has no parent. */
static bool cg_parent(const char *dir, char *out, size_t n)
{
	char *slash;

	snprintf(out, n, "%s", dir);
	slash = strrchr(out, '/');
	if (slash)
		*slash = '\0';
	return slash != NULL;
}

static void cgroup_make(struct sandbox *s, const struct sandbox_limits *lim)
{
	char own[1024], base[1100], ctl[256] = "";
	int fd;
	ssize_t n;

	s->cg_mem[0] = s->cg_pids[0] = '\0';
	s->cg_v2 = false;
	if (cgroup_v1_mounted()) {
		if (lim->memory && access("/sys/fs/cgroup/memory/cgroup.procs", F_OK) == 0 &&
		    cgroup_own_path("memory", own, sizeof(own)) == 0) {
			snprintf(base, sizeof(base), "/sys/fs/cgroup/memory%s", strcmp(own, "/") ? own : "");
			cg_name(s->cg_mem, sizeof(s->cg_mem), base);
			if (mkdir(s->cg_mem, 0755) < 0) {
				s->cg_mem[0] = '\0';
			} else if (cg_write(s->cg_mem, "memory.limit_in_bytes", lim->memory) < 0 ||
				   (cg_has(s->cg_mem, "memory.memsw.limit_in_bytes") &&
				    cg_write(s->cg_mem, "memory.memsw.limit_in_bytes", lim->memory) < 0)) {
				rmdir(s->cg_mem);
				s->cg_mem[0] = '\0';
			} else {
				(void)cg_write(s->cg_mem, "memory.swappiness", 0);
			}
		}
		if (lim->processes && access("/sys/fs/cgroup/pids/cgroup.procs", F_OK) == 0 &&
		    cgroup_own_path("pids", own, sizeof(own)) == 0) {
			snprintf(base, sizeof(base), "/sys/fs/cgroup/pids%s", strcmp(own, "/") ? own : "");
			cg_name(s->cg_pids, sizeof(s->cg_pids), base);
			if (mkdir(s->cg_pids, 0755) < 0) {
				s->cg_pids[0] = '\0';
			} else if (cg_write(s->cg_pids, "pids.max", lim->processes) < 0) {
				rmdir(s->cg_pids);
				s->cg_pids[0] = '\0';
			}
		}
		return;
	}
	if (cgroup_own_path("", own, sizeof(own)) < 0)
		return;
	/* v2: only where our cgroup already delegates the controllers. */
	snprintf(base, sizeof(base), "/sys/fs/cgroup%s", strcmp(own, "/") ? own : "");
	{
		char file[1200];

		snprintf(file, sizeof(file), "%s/cgroup.subtree_control", base);
		fd = open(file, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return;
	n = read(fd, ctl, sizeof(ctl) - 1);
	close(fd);
	if (n <= 0 || (!strstr(ctl, "memory") && !strstr(ctl, "pids")))
		return;
	cg_name(s->cg_mem, sizeof(s->cg_mem), base);
	if (mkdir(s->cg_mem, 0755) < 0) {
		s->cg_mem[0] = '\0';
		return;
	}
	s->cg_v2 = true;
	if (strstr(ctl, "pids") && lim->processes) {
		if (cg_write(s->cg_mem, "pids.max", lim->processes) == 0)
			snprintf(s->cg_pids, sizeof(s->cg_pids), "%s", s->cg_mem);
	}
	if (!strstr(ctl, "memory") || !lim->memory || cg_write(s->cg_mem, "memory.max", lim->memory) < 0 ||
	    (cg_has(s->cg_mem, "memory.swap.max") && cg_write(s->cg_mem, "memory.swap.max", 0) < 0)) {
		if (!s->cg_pids[0]) {
			rmdir(s->cg_mem);
			s->cg_v2 = false;
		}
		s->cg_mem[0] = '\0';
	}
}

/* Did the cgroup refuse a fork? ("max N" in pids.events, N > 0.) */
static bool cgroup_pids_hit(const struct sandbox *s)
{
	return cg_count(s->cg_pids, "pids.events", "max") > 0;
}

/* OOM kills in our memory cgroup (v1: memory.oom_control, v2: memory.events). */
static long long cgroup_oom_count(const struct sandbox *s)
{
	return cg_count(s->cg_mem, s->cg_v2 ? "memory.events" : "memory.oom_control", "oom_kill");
}

static int cgroup_join(const struct sandbox *s, pid_t pid)
{
	const char *dirs[2] = {s->cg_mem, s->cg_pids};
	int i;

	for (i = 0; i < 2; i++) {
		if (!dirs[i][0] || (i == 1 && s->cg_v2 && s->cg_mem[0]))
			continue;
		if (cg_write(dirs[i], "cgroup.procs", (unsigned long long)pid) < 0)
			return err_set_errno("sandbox: joining cgroup %s", dirs[i]);
	}
	return 0;
}

/*
 * Once the target exists (it inherited the cgroup), PID 1 goes back to the
 * grader's own memory cgroup (v1): only the submission's processes are then
 * candidates for the cgroup's OOM killer, and PID 1 (a copy of the grader,
 * with its larger resident set) always lives to report the verdict.
 */
static void cgroup_leave_mem(const struct sandbox *s)
{
	char parent[sizeof(s->cg_mem)];

	if (s->cg_mem[0] && !s->cg_v2 && cg_parent(s->cg_mem, parent, sizeof(parent)))
		(void)cg_write(parent, "cgroup.procs", (unsigned long long)s->pid1);
}

static void cgroup_remove(struct sandbox *s)
{
	char *dirs[2] = {s->cg_mem, s->cg_pids};
	int i, k;

	/* Empty once PID 1 is reaped (the namespace died with it); the
	 * kernel may need a moment to drop the last exiting tasks. */
	for (i = 0; i < 2; i++) {
		if (!dirs[i][0] || (i == 1 && s->cg_v2 && s->cg_mem[0]))
			continue;
		for (k = 0; k < 200 && rmdir(dirs[i]) < 0 && errno == EBUSY; k++)
			usleep(1000);
	}
	s->cg_mem[0] = s->cg_pids[0] = '\0';
}

/* ---- the cgroups joined ahead (sandbox_reserve) ------------------------ */

enum rsv_state { RSV_JOINING, RSV_JOINED, RSV_FAILED, RSV_EMPTY, RSV_CLONE, RSV_CLONED, RSV_QUIT };

/*
 * The thread's side of a reservation. Its state moves JOINING -> JOINED or
 * FAILED (the thread made the cgroups and moved itself in, or could not and
 * left again) or EMPTY (no cgroup could be made); then, when a spawn asks,
 * CLONE -> CLONED; QUIT from sandbox_reservation_free(). Under `lock`:
 * state and the clone's request and answer; cg is the thread's until the
 * state leaves JOINING.
 */
struct sandbox_reservation {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum rsv_state state;
	struct sandbox cg;        /* cg_mem, cg_pids only (cgroup_make, cgroup_remove) */
	bool taken;               /* a sandbox owns the cgroups now (it removes them) */
	const struct sandbox_limits *lim;  /* the limits they are made with (the profile's) */
	const struct plan *pl;    /* the clone asked for: PID 1's plan, */
	unsigned long flags;      /* namespaces, */
	int close_fd;             /* the grader's end of the control socket, */
	sigset_t mask;            /* and the spawning thread's signal mask */
	pid_t pid;                /* the answer: PID 1, or -1 with err */
	int err;
};

/*
 * A fork while a reservation's thread starts, makes its cgroups or ends
 * would give the child a copy of a lock that thread holds: those steps
 * allocate (opendir in cg_sweep; a thread's own start and end in a
 * sanitizer's runtime), and glibc's malloc is safe across fork where the
 * ASan of GCC 12 is not (the fetch's child hung in test_prove). So
 * pthread_atfork's prepare waits until no thread is in those steps and
 * holds rsv_fork_lock across the fork; the thread's other work (cgroup
 * writes, the clone, waiting) takes no lock a child could need.
 */
static pthread_mutex_t rsv_fork_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t rsv_fork_cond = PTHREAD_COND_INITIALIZER;
static int rsv_unsafe;   /* threads in those steps, under rsv_fork_lock */

static void rsv_fork_prepare(void)
{
	pthread_mutex_lock(&rsv_fork_lock);
	while (rsv_unsafe)
		pthread_cond_wait(&rsv_fork_cond, &rsv_fork_lock);
}

static void rsv_fork_done(void)
{
	pthread_mutex_unlock(&rsv_fork_lock);
}

static void rsv_fork_handlers(void)
{
	(void)pthread_atfork(rsv_fork_prepare, rsv_fork_done, rsv_fork_done);
}

static void rsv_unsafe_add(int d)
{
	pthread_mutex_lock(&rsv_fork_lock);
	rsv_unsafe += d;
	if (!rsv_unsafe)
		pthread_cond_broadcast(&rsv_fork_cond);
	pthread_mutex_unlock(&rsv_fork_lock);
}

/* Clone our PID 1 into new namespaces (`flags`); the child never returns. */
static pid_t pid1_clone(unsigned long flags, const struct plan *pl, int close_fd)
{
	pid_t pid = (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);

	if (pid == 0) {
		close(close_fd);
		_exit(pid1_main(pl));
	}
	return pid;
}

/* Move the calling thread into the reservation's cgroups (`in`), or back
 * to their parents. v1 only: there a cgroup's "tasks" takes thread ids. */
static int rsv_move(const struct sandbox_reservation *r, bool in)
{
	const char *dirs[2] = {r->cg.cg_mem, r->cg.cg_pids};
	pid_t tid = (pid_t)syscall(SYS_gettid);
	char parent[sizeof(r->cg.cg_mem)];
	int i, rc = 0;

	for (i = 0; i < 2; i++) {
		if (!dirs[i][0])
			continue;
		if (cg_write(in || !cg_parent(dirs[i], parent, sizeof(parent)) ? dirs[i] : parent, "tasks",
			     (unsigned long long)tid) < 0)
			rc = -1;
	}
	return rc;
}

static void *rsv_thread(void *arg)
{
	struct sandbox_reservation *r = arg;
	enum rsv_state joined = RSV_EMPTY;
	sigset_t all;

	/* The mkdir of a memory cgroup takes milliseconds too: here, off the
	 * grade's path, as the move. */
	cgroup_make(&r->cg, r->lim);
	if (r->cg.cg_v2)
		cgroup_remove(&r->cg);
	rsv_unsafe_add(-1);   /* started by sandbox_reserve() */
	if (r->cg.cg_mem[0] || r->cg.cg_pids[0])
		joined = rsv_move(r, true) == 0 ? RSV_JOINED : RSV_FAILED;
	/* Half in is no use: out again before the spawn hears of it. */
	if (joined == RSV_FAILED)
		(void)rsv_move(r, false);
	pthread_mutex_lock(&r->lock);
	if (r->state == RSV_JOINING)
		r->state = joined;
	pthread_cond_broadcast(&r->cond);
	while (r->state == RSV_JOINED)
		pthread_cond_wait(&r->cond, &r->lock);
	if (r->state == RSV_CLONE) {
		/* PID 1 gets the spawning thread's mask, as a clone of its own
		 * would; ours blocks everything again right after (signals to
		 * the grader are the main thread's to handle). */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &r->mask, NULL);
		r->pid = pid1_clone(r->flags, r->pl, r->close_fd);
		r->err = errno;
		pthread_sigmask(SIG_SETMASK, &all, NULL);
		r->state = RSV_CLONED;
		pthread_cond_broadcast(&r->cond);
		/* Out of the cgroups while PID 1 builds its root: they count the
		 * sandbox alone (a pids cgroup counts threads). */
		pthread_mutex_unlock(&r->lock);
		(void)rsv_move(r, false);
		pthread_mutex_lock(&r->lock);
	}
	/* Alive until freed: PID 1's PR_SET_PDEATHSIG fires when the thread
	 * that cloned it ends, and sandbox_reservation_free() comes after
	 * the sandbox was stopped. */
	while (r->state != RSV_QUIT)
		pthread_cond_wait(&r->cond, &r->lock);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

struct sandbox_reservation *sandbox_reserve(enum sandbox_mode mode, const struct sandbox_profile *profile)
{
	struct sandbox_reservation *r = NULL;
	pthread_attr_t attr;
	sigset_t all, old;
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	int rc = -1;

	/* v2 has no threads of a process in different cgroups (and its
	 * CLONE_INTO_CGROUP is another way, not built): nothing to reserve. */
	if ((mode != SANDBOX_USERNS && mode != SANDBOX_ROOT) || !cgroup_v1_mounted())
		goto done;
	r = calloc(1, sizeof(*r));
	if (!r)
		goto done;
	r->lim = sandbox_profile_limits(profile);
	r->state = RSV_JOINING;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	pthread_attr_init(&attr);
	/* PID 1 runs on a copy of this stack: the main thread's size. */
	pthread_attr_setstacksize(&attr, 8 << 20);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_once(&once, rsv_fork_handlers);
	rsv_unsafe_add(1);    /* until the thread made its cgroups */
	rc = pthread_create(&r->thread, &attr, rsv_thread, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		rsv_unsafe_add(-1);
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->cond);
	}
done:
	if (rc != 0) {
		free(r);
		r = NULL;
	}
	return r;
}

void sandbox_reservation_free(struct sandbox_reservation *r)
{
	if (!r)
		return;
	rsv_unsafe_add(1);    /* the thread's end */
	pthread_mutex_lock(&r->lock);
	r->state = RSV_QUIT;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	rsv_unsafe_add(-1);
	if (!r->taken)
		cgroup_remove(&r->cg);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
	free(r);
}

/*
 * The reservation's cgroups for a sandbox of limits `lim`, when it has
 * them and no spawn took them: s owns them from now on (cgroup_remove).
 * Returns r when its thread is in them (it clones PID 1: rsv_clone), NULL
 * when the caller must join PID 1 itself (the thread could not move in),
 * or when nothing was taken (other limits, or no cgroup could be made:
 * s has none yet, and the spawn tries cgroup_make).
 */
static struct sandbox_reservation *rsv_take(struct sandbox_reservation *r, const struct sandbox_limits *lim,
					    struct sandbox *s)
{
	struct sandbox_reservation *use = NULL;
	enum rsv_state st;

	if (!r || r->taken || r->lim->memory != lim->memory || r->lim->processes != lim->processes)
		goto done;
	pthread_mutex_lock(&r->lock);
	while (r->state == RSV_JOINING)
		pthread_cond_wait(&r->cond, &r->lock);
	st = r->state;
	pthread_mutex_unlock(&r->lock);
	if (st == RSV_JOINED || st == RSV_FAILED) {
		r->taken = true;
		snprintf(s->cg_mem, sizeof(s->cg_mem), "%s", r->cg.cg_mem);
		snprintf(s->cg_pids, sizeof(s->cg_pids), "%s", r->cg.cg_pids);
		s->cg_v2 = false;
		use = st == RSV_JOINED ? r : NULL;
	}
done:
	return use;
}

/* pid1_clone() done by the reservation's thread: PID 1 is born in the
 * cgroups the thread is in. PID 1, or -1 + errno. */
static pid_t rsv_clone(struct sandbox_reservation *r, unsigned long flags, const struct plan *pl, int close_fd)
{
	pid_t pid;

	pthread_mutex_lock(&r->lock);
	r->pl = pl;
	r->flags = flags;
	r->close_fd = close_fd;
	pthread_sigmask(SIG_SETMASK, NULL, &r->mask);
	r->state = RSV_CLONE;
	pthread_cond_broadcast(&r->cond);
	while (r->state == RSV_CLONE)
		pthread_cond_wait(&r->cond, &r->lock);
	pid = r->pid;
	errno = r->err;
	pthread_mutex_unlock(&r->lock);
	return pid;
}

/* Does this resolv.conf name a resolver on the loopback (systemd-resolved's
 * 127.0.0.53, a local dnsmasq)? Unreachable from the install's own network. */
static bool resolv_on_loopback(const char *path)
{
	char buf[8192];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	const char *p;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (p = buf; (p = strstr(p, "nameserver")) != NULL; p += 10) {
		const char *a = p + 10;

		while (*a == ' ' || *a == '\t')
			a++;
		if (!strncmp(a, "127.", 4) || !strncmp(a, "::1", 3))
			return true;
	}
	return false;
}

/* The resolv.conf an install sees (its real path, symlinks resolved): the
 * host's, unless that names a loopback resolver and systemd-resolved's list
 * of upstream servers exists. false when there is none. */
static bool resolv_pick(char *out, size_t n)
{
	static const char UPSTREAM[] = "/run/systemd/resolve/resolv.conf";

	if (n < PATH_MAX || !realpath("/etc/resolv.conf", out))
		return false;
	if (resolv_on_loopback(out) && access(UPSTREAM, R_OK) == 0)
		snprintf(out, n, "%s", UPSTREAM);
	return true;
}

/*
 * Outbound networking for an install (sandbox_opts.outbound_net): the box
 * has a network namespace of its own, like the app's, and pasta (Debian's
 * passt package) attaches to it from outside: a tap interface with the
 * host's address and routes, whose TCP/UDP/ICMP it carries through
 * ordinary sockets of the host. So the registries are reachable, but not
 * the host's loopback: --no-map-gw (the gateway address is not the host),
 * -T none -U none (no port of the namespace's loopback forwarded to the
 * host's, but those of an index or proxy the operator named:
 * sandbox_opts.loopback_ports), -t none -u none (nothing forwarded in). 127.0.0.1 inside is the
 * namespace's own loopback: a build cannot reach a database, the grading
 * service or anything else bound to the host's.
 *
 * pasta joins PID 1's namespaces through descriptors we open (passed as
 * /proc/self/fd/N), in the foreground as our child, with PDEATHSIG, and is
 * killed in sandbox_stop(). It runs as the grader's own uid (for root,
 * --runas 0, or it would drop to nobody and could not join a namespace of
 * ours) and confines itself once set up (passt's own namespaces and
 * seccomp filter). PID 1
 * waits for the default route pasta installs before anything runs.
 */
static int pasta_start(struct sandbox *s, const struct sandbox_opts *o)
{
	enum sandbox_mode mode = o->mode;
	char fwd[160];
	static const char *const WHERE[] = {"/usr/bin/pasta", "/usr/local/bin/pasta", "/usr/sbin/pasta"};
	const char *exe = NULL;
	char path[64], netarg[32], userarg[32];
	const char *argv[24];
	int netfd = -1, userfd = -1, devnull = -1, n = 0, rc = -1;
	size_t i;
	pid_t pid;

	for (i = 0; i < sizeof(WHERE) / sizeof(WHERE[0]) && !exe; i++)
		if (access(WHERE[i], X_OK) == 0)
			exe = WHERE[i];
	if (!exe) {
		err_set("the install sandbox's network needs pasta, which is not installed "
			"(Debian/Ubuntu package passt; scripts/setup installs it)");
		goto done;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)s->pid1);
	netfd = open(path, O_RDONLY | O_CLOEXEC);
	if (mode == SANDBOX_USERNS) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)s->pid1);
		userfd = open(path, O_RDONLY | O_CLOEXEC);
	}
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (netfd < 0 || (mode == SANDBOX_USERNS && userfd < 0) || devnull < 0) {
		err_set_errno("sandbox: opening %s for pasta", path);
		goto done;
	}
	snprintf(netarg, sizeof(netarg), "/proc/self/fd/%d", netfd);
	snprintf(userarg, sizeof(userarg), "/proc/self/fd/%d", userfd);
	argv[n++] = "pasta";
	argv[n++] = "--config-net";
	argv[n++] = "--no-map-gw";
	argv[n++] = "-t"; argv[n++] = "none";
	argv[n++] = "-u"; argv[n++] = "none";
	/* The operator's index or proxy on the host's loopback, by port. */
	fwd[0] = '\0';
	for (i = 0; i < o->nloopback_ports && i < 16; i++) {
		size_t k = strlen(fwd);

		if (o->loopback_ports[i] > 0 && o->loopback_ports[i] < 65536)
			snprintf(fwd + k, sizeof(fwd) - k, "%s%d", k ? "," : "", o->loopback_ports[i]);
	}
	if (!fwd[0])
		snprintf(fwd, sizeof(fwd), "none");
	argv[n++] = "-T"; argv[n++] = fwd;
	argv[n++] = "-U"; argv[n++] = "none";
	argv[n++] = "--foreground";
	argv[n++] = "--quiet";
	argv[n++] = "--no-netns-quit";
	/* Root: pasta would drop to nobody, which cannot join our namespaces.
	 * Anyone else: pasta keeps its uid (a --runas of the grader's host
	 * uid would fail inside the user namespace, where it is not mapped). */
	if (geteuid() == 0) {
		argv[n++] = "--runas";
		argv[n++] = "0";
	}
	if (userfd >= 0) {
		argv[n++] = "--userns";
		argv[n++] = userarg;
	}
	argv[n++] = "--netns";
	argv[n++] = netarg;
	argv[n] = NULL;
	/* Only async-signal-safe calls in the child: the grader may be
	 * multi-threaded. */
	pid = fork();
	if (pid < 0) {
		err_set_errno("sandbox: fork for pasta");
		goto done;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0 ||
		    fcntl(netfd, F_SETFD, 0) < 0 || (userfd >= 0 && fcntl(userfd, F_SETFD, 0) < 0))
			_exit(126);
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	s->pasta = pid;
	s->pasta_intr = intr_watch(pid, SIGKILL, false);
	rc = 0;
done:
	if (netfd >= 0)
		close(netfd);
	if (userfd >= 0)
		close(userfd);
	if (devnull >= 0)
		close(devnull);
	return rc;
}

/*
 * pasta takes 15-25 ms to die after SIGKILL (the kernel tears down its own
 * namespaces and its buffers), and a stop that waited for it made every
 * install wait that long before the grader could seal the environment. So
 * sandbox_stop() kills it and, unless it is already gone, leaves its pid
 * here; sandbox_reap_deferred() waits for them. Only pids we started and
 * killed are kept, each reaped once (popped under the lock, waited for
 * outside it). A full list is waited for at once.
 */
#define DEFERRED_MAX 32
static pthread_mutex_t deferred_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t deferred[DEFERRED_MAX];
static size_t ndeferred;

static void reap_blocking(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

void sandbox_reap_deferred(void)
{
	for (;;) {
		pid_t pid = 0;

		pthread_mutex_lock(&deferred_lock);
		if (ndeferred)
			pid = deferred[--ndeferred];
		pthread_mutex_unlock(&deferred_lock);
		if (!pid)
			break;
		reap_blocking(pid);
	}
}

/* A killed pid whose exit may still be under way: reaped now if it is
 * already gone, else kept for sandbox_reap_deferred(). false when the list
 * is full (the caller waits). */
static bool reap_later(pid_t pid)
{
	bool ok = true;

	/* Not 0: reaped just now (or not ours: ECHILD). */
	if (waitpid(pid, NULL, WNOHANG) == 0) {
		pthread_mutex_lock(&deferred_lock);
		if (ndeferred < DEFERRED_MAX)
			deferred[ndeferred++] = pid;
		else
			ok = false;
		pthread_mutex_unlock(&deferred_lock);
	}
	return ok;
}

/* Kill pasta; wait for its exit now (`wait`) or let sandbox_reap_deferred()
 * do it. */
static void pasta_stop(struct sandbox *s, bool wait)
{
	if (s->pasta <= 0)
		return;
	intr_unwatch(s->pasta_intr);
	s->pasta_intr = -1;
	kill(s->pasta, SIGKILL);
	if (wait || !reap_later(s->pasta))
		reap_blocking(s->pasta);
	s->pasta = 0;
}

/* Mount options of the state tmpfs and /tmp. tmpfs ids are the mounter's
 * view: inside the user namespace the target is INSIDE_UID; in root mode
 * it is its host uid. */
static void plan_tmpfs_opts(struct plan *pl)
{
	const struct sandbox_limits *lim = pl->lim;
	bool root = pl->mode == SANDBOX_ROOT;
	int k = snprintf(pl->state_opts, sizeof(pl->state_opts), "mode=0700,uid=%u,gid=%u",
			 root ? (unsigned)pl->outer_uid : INSIDE_UID, root ? (unsigned)pl->outer_gid : INSIDE_GID);

	if (lim->state_size)
		k += snprintf(pl->state_opts + k, sizeof(pl->state_opts) - (size_t)k, ",size=%llu",
			      (unsigned long long)lim->state_size);
	if (lim->state_files)
		snprintf(pl->state_opts + k, sizeof(pl->state_opts) - (size_t)k, ",nr_inodes=%llu",
			 (unsigned long long)lim->state_files);
	/* The upper layers of cow paths: the state folder's caps, root's
	 * mode is set from the lower folder's by PID 1. */
	k = snprintf(pl->cow_opts, sizeof(pl->cow_opts), "mode=0700");
	if (lim->state_size)
		k += snprintf(pl->cow_opts + k, sizeof(pl->cow_opts) - (size_t)k, ",size=%llu",
			      (unsigned long long)lim->state_size);
	if (lim->state_files)
		snprintf(pl->cow_opts + k, sizeof(pl->cow_opts) - (size_t)k, ",nr_inodes=%llu",
			 (unsigned long long)lim->state_files);
	k = snprintf(pl->tmp_opts, sizeof(pl->tmp_opts), "mode=1777,size=%llu",
		     (unsigned long long)(lim->tmp_size ? lim->tmp_size : (uint64_t)64 << 20));
	if (lim->state_files)
		snprintf(pl->tmp_opts + k, sizeof(pl->tmp_opts) - (size_t)k, ",nr_inodes=%llu",
			 (unsigned long long)lim->state_files);
}

/* The grader's argv/environment string areas (fields 48-51 of
 * /proc/self/stat), for PID 1 to blank. 0s when unreadable. */
static void own_arg_area(struct plan *pl)
{
	static unsigned long cache[4];
	static int cached;
	char buf[2048];
	const char *p;
	ssize_t n;
	int fd, field;

	if (!__atomic_load_n(&cached, __ATOMIC_ACQUIRE)) {
		fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
		n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = '\0';
			p = strrchr(buf, ')');
			/* After "(comm)" comes field 3; we want 48..51. */
			for (field = 2; p && field < 48; field++)
				p = strchr(p + 1, ' ');
			if (p && sscanf(p, " %lu %lu %lu %lu", &cache[0], &cache[1], &cache[2], &cache[3]) == 4)
				__atomic_store_n(&cached, 1, __ATOMIC_RELEASE);
		}
	}
	if (__atomic_load_n(&cached, __ATOMIC_ACQUIRE)) {
		pl->arg_start = cache[0];
		pl->arg_end = cache[1];
		pl->env_start = cache[2];
		pl->env_end = cache[3];
	}
}

/*
 * The caller's paths with their symlinks resolved here, in the host's mount
 * namespace. PID 1 binds from /oldroot after making the new root its own,
 * where an absolute link (a GRADER_CACHE_DIR, a ~/.cache or a TMPDIR that
 * is a link to another folder) resolves against the new root and names
 * nothing: every boot failed as "No such file or directory" on a folder
 * that exists (h595). The path inside stays the one the caller gave, which
 * is the one it names in argv and the environment. A path that does not
 * exist yet is left as given (bind_one reports it). 0, or -1 + err.
 */
static int plan_resolve(struct plan *pl)
{
	size_t i;
	char *real;
	int rc = -1;

	for (i = pl->nsys; i < pl->nbinds; i++) {
		if (pl->binds[i].tmpfs || !(real = realpath(pl->binds[i].path, NULL)))
			continue;
		if (!strcmp(real, pl->binds[i].path)) {
			free(real);
			continue;
		}
		pl->binds[i].real = real;
		if (!plan_path_ok(real)) {
			rc = err_set("sandbox mount '%s': its real path is too long", pl->binds[i].path);
			goto done;
		}
	}
	rc = 0;
done:
	return rc;
}

/* The plan's binds: the system's paths (and the install's network files),
 * the profile's mounts, then the caller's paths, sorted so a parent is
 * mounted before what lies below it. 0, or -1 + err. */
static int plan_binds(struct plan *pl, const struct sandbox_opts *o)
{
	static const char *const SYSTEM_RO[] = {
		"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
		"/etc/ld.so.cache", "/etc/localtime", "/etc/mime.types", "/etc/alternatives",
	};
	size_t i;
	int rc = -1;

	for (i = 0; i < sizeof(SYSTEM_RO) / sizeof(SYSTEM_RO[0]); i++) {
		if (plan_add(pl, SYSTEM_RO[i], false, false) < 0)
			goto done;
		pl->binds[i].sys = true;
	}
	if (o->outbound_net) {
		/* What name resolution and TLS need, read-only: optional, and
		 * resolv.conf by its real path (often a link into /run). */
		static const char *const NET_RO[] = {"/etc/ssl", "/etc/ca-certificates", "/etc/pki"};

		for (i = 0; i < sizeof(NET_RO) / sizeof(NET_RO[0]); i++) {
			if (plan_add(pl, NET_RO[i], false, false) < 0)
				goto done;
			pl->binds[pl->nbinds - 1].sys = true;
		}
		if (resolv_pick(pl->resolv, sizeof(pl->resolv))) {
			if (plan_add_bind(pl, pl->resolv, "/etc/resolv.conf", false) < 0)
				goto done;
			pl->binds[pl->nbinds - 1].sys = true;
		}
	}
	pl->nsys = pl->nbinds;
	for (i = 0; i < sandbox_profile_nmounts(o->profile); i++)
		if (plan_add(pl, sandbox_profile_mount(o->profile, i), false, false) < 0)
			goto done;
	for (i = 0; i < o->nro; i++)
		if (plan_add(pl, o->ro_paths[i], false, false) < 0)
			goto done;
	for (i = 0; i < o->nrw; i++)
		if (plan_add(pl, o->rw_paths[i], true, false) < 0)
			goto done;
	for (i = 0; i < o->ncow; i++) {
		if (plan_add(pl, o->cow_paths[i], true, false) < 0)
			goto done;
		pl->binds[pl->nbinds - 1].cow = true;
	}
	for (i = 0; i < o->nbinds; i++)
		if (plan_add_bind(pl, o->binds[i].src, o->binds[i].dst, o->binds[i].rw) < 0)
			goto done;
	if (o->state_path) {
		if (plan_add(pl, o->state_path, true, false) < 0)
			goto done;
		pl->binds[pl->nbinds - 1].tmpfs = true;
	}
	if (plan_resolve(pl) < 0)
		goto done;
	qsort(pl->binds + pl->nsys, pl->nbinds - pl->nsys, sizeof(pl->binds[0]), bind_cmp);
	rc = 0;
done:
	return rc;
}

int sandbox_spawn(const struct sandbox_opts *o, struct sandbox **out)
{
	struct plan *pl = NULL;
	struct sandbox *s = NULL;
	struct sandbox_reservation *rsv = NULL;
	int sv[2] = {-1, -1};
	struct sb_msg m;
	unsigned long flags;
	pid_t pid;
	int rc = -1;

	*out = NULL;
	if (o->mode != SANDBOX_USERNS && o->mode != SANDBOX_ROOT) {
		rc = err_set("sandbox: mode '%s' cannot isolate anything; run without a sandbox "
			     "only with an explicit unsafe option", sandbox_mode_name(o->mode));
		goto done;
	}
	if (!o->argv || !o->argv[0] || o->npass_fds > 64) {
		rc = err_set("sandbox: bad options (argv, or more than 64 fds)");
		goto done;
	}
	if (o->mode == SANDBOX_ROOT && geteuid() != 0) {
		rc = err_set("sandbox: mode 'root' needs the grader to run as root");
		goto done;
	}
	pl = calloc(1, sizeof(*pl));
	s = calloc(1, sizeof(*s));
	if (!pl || !s) {
		rc = err_set("out of memory");
		goto done;
	}
	s->ctl = -1;
	s->intr = -1;
	s->pasta_intr = -1;
	pl->log_fd = -1;
	pl->ctl = -1;
	pl->o = o;
	pl->mode = o->mode;
	pl->lim = sandbox_profile_limits(o->profile);
	/* Host ids of the target: ours when unprivileged (the only mapping we
	 * may write), a per-slot id when we are root. */
	pl->outer_uid = sandbox_host_uid(o->mode, o->slot);
	pl->outer_gid = geteuid() == 0 ? (gid_t)pl->outer_uid : getegid();
	pl->privileged = geteuid() == 0;
	if (resolve_exe(o->argv[0], pl->exe, sizeof(pl->exe)) < 0)
		goto done;
	if (plan_binds(pl, o) < 0)
		goto done;
	plan_tmpfs_opts(pl);
	own_arg_area(pl);
	rsv = rsv_take(o->reservation, pl->lim, s);
	if (!rsv && !s->cg_mem[0] && !s->cg_pids[0])
		cgroup_make(s, pl->lim);
	pl->mem_cgroup = s->cg_mem[0] != '\0';
	if (seccomp_cached(o->profile, pl->mem_cgroup, &pl->prog) < 0)
		goto done;
	pl->ring_size = (o->log_limit ? o->log_limit : DEFAULT_LOG_LIMIT) / 2;
	if (pl->ring_size) {
		pl->ring = malloc(pl->ring_size);
		if (!pl->ring) {
			rc = err_set("out of memory");
			goto done;
		}
	}
	if (o->log_path) {
		pl->log_fd = open(o->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (pl->log_fd < 0) {
			rc = err_set_errno("sandbox: opening log %s", o->log_path);
			goto done;
		}
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		rc = err_set_errno("socketpair");
		goto done;
	}
	pl->ctl = sv[1];
	flags = (unsigned long)(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |
				(o->mode == SANDBOX_USERNS ? CLONE_NEWUSER : 0)) | SIGCHLD;
	pid = rsv ? rsv_clone(rsv, flags, pl, sv[0]) : pid1_clone(flags, pl, sv[0]);
	if (pid < 0) {
		rc = err_set_errno("sandbox: clone");
		goto done;
	}
	s->pid1 = pid;
	/* SIGINT/SIGTERM to the grader kill PID 1, hence the namespace. */
	s->intr = intr_watch(pid, SIGKILL, false);
	s->ctl = sv[0];
	sv[0] = -1;
	close(sv[1]);
	sv[1] = -1;
	if (o->mode == SANDBOX_USERNS && write_child_maps(pid, pl->outer_uid, pl->outer_gid) < 0)
		goto done;
	if (o->outbound_net && pasta_start(s, o) < 0)
		goto done;
	memset(&m, 0, sizeof(m));
	m.type = MSG_GO;
	(void)send(s->ctl, &m, sizeof(m), MSG_NOSIGNAL);
	/* Our cgroups while PID 1 builds its root; it forks the target only
	 * after MSG_JOINED (pid1_main). Born in them when the reservation's
	 * thread cloned it (sandbox_reserve). */
	if (!rsv && cgroup_join(s, pid) < 0)
		goto done;
	m.type = MSG_JOINED;
	(void)send(s->ctl, &m, sizeof(m), MSG_NOSIGNAL);
	if (ctl_recv(s, &m, NULL, SETUP_TIMEOUT_MS) < 0)
		goto done;
	if (m.type == MSG_FAILED) {
		m.text[sizeof(m.text) - 1] = '\0';
		rc = err_set("sandbox setup failed at %s: %s", m.text, strerror(m.err));
		goto done;
	}
	if (m.type == MSG_EXIT)
		note_exit(s, &m);
	cgroup_leave_mem(s);
	*out = s;
	s = NULL;
	rc = 0;
done:
	if (s && s->pid1 > 0) {
		int st;

		intr_unwatch(s->intr);
		kill(s->pid1, SIGKILL);
		while (waitpid(s->pid1, &st, 0) < 0 && errno == EINTR)
			;
	}
	if (s && s->ctl >= 0)
		close(s->ctl);
	if (s) {
		pasta_stop(s, true);
		cgroup_remove(s);
	}
	free(s);
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	if (pl) {
		if (pl->log_fd >= 0)
			close(pl->log_fd);
		free(pl->ring);
		for (size_t i = 0; i < pl->nbinds; i++)
			free(pl->binds[i].real);
		/* pl->prog.filter belongs to the cache (seccomp_cached). */
		free(pl);
	}
	return rc;
}

uid_t sandbox_host_uid(enum sandbox_mode mode, unsigned slot)
{
	return mode == SANDBOX_ROOT || geteuid() == 0 ? (uid_t)(ROOT_UID_BASE + slot) : geteuid();
}

pid_t sandbox_pid(const struct sandbox *s)
{
	return s->pid1;
}

/* Ask PID 1 for a socket: connected to 127.0.0.1:port (port > 0), or not. */
static int request_socket(struct sandbox *s, int port)
{
	struct sb_msg m;
	int fd = -1;
	int rc = -1;

	if (s->exited) {
		rc = err_set("sandbox: the app has exited");
		goto done;
	}
	memset(&m, 0, sizeof(m));
	m.type = port > 0 ? MSG_CONNECT : MSG_SOCKET;
	m.status = port;
	if (send(s->ctl, &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m)) {
		rc = err_set("sandbox: PID 1 is gone");
		goto done;
	}
	/* An exit report may come first; keep it and read on. */
	for (;;) {
		if (ctl_recv(s, &m, &fd, 5000) < 0)
			goto done;
		if (m.type == MSG_EXIT) {
			note_exit(s, &m);
			if (fd >= 0)
				close(fd);
			fd = -1;
			rc = err_set("sandbox: the app exited");
			goto done;
		}
		if (m.type == MSG_FD)
			break;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	if (fd < 0 && port > 0) {
		rc = err_set("sandbox: connect to 127.0.0.1:%d inside: %s", port, strerror(m.err));
		goto done;
	}
	if (fd < 0) {
		rc = err_set("sandbox: socket inside: %s", strerror(m.err));
		goto done;
	}
	rc = fd;
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	return rc;
}

int sandbox_connect(struct sandbox *s, int port)
{
	if (port <= 0 || port > 65535)
		return err_set("sandbox: bad port %d", port);
	return request_socket(s, port);
}

int sandbox_socket(struct sandbox *s)
{
	return request_socket(s, 0);
}

int sandbox_open_socket(void *ctx)
{
	return sandbox_socket(ctx);
}

bool sandbox_exited(struct sandbox *s, int *wstatus)
{
	struct sb_msg m;

	while (!s->exited) {
		struct pollfd pf = {s->ctl, POLLIN, 0};
		int fd = -1;

		if (poll(&pf, 1, 0) != 1)
			break;
		if (ctl_recv(s, &m, &fd, 0) < 0) {
			/* PID 1 died without a report (killed from outside). */
			int st = 0;

			intr_unwatch(s->intr);
			s->intr = -1;
			if (waitpid(s->pid1, &st, 0) == s->pid1)
				s->reaped = true;
			s->exited = true;
			s->wstatus = st;
			/* An OOM kill of PID 1 itself still names the limit. */
			s->verdict = with_cgroups(s, V_NONE);
			break;
		}
		if (fd >= 0)
			close(fd);
		if (m.type == MSG_EXIT)
			note_exit(s, &m);
	}
	if (s->exited && wstatus)
		*wstatus = s->wstatus;
	return s->exited;
}

int sandbox_wait(struct sandbox *s, int *wstatus)
{
	while (!sandbox_exited(s, wstatus)) {
		struct pollfd pf = {s->ctl, POLLIN, 0};

		if (poll(&pf, 1, -1) < 0 && errno != EINTR)
			return err_set_errno("poll");
	}
	return 0;
}

/* While the target runs: ask PID 1 what it has seen, add the cgroups'.
 * 0 once PID 1 answered (its log then holds what the target wrote before
 * the question), -1 + err when it did not (exited, gone, too slow). */
static int status_ask(struct sandbox *s)
{
	struct sb_msg m;
	int fd = -1;
	int rc = -1;

	if (sandbox_exited(s, NULL)) {
		rc = err_set("sandbox: the app has exited");
		goto done;
	}
	memset(&m, 0, sizeof(m));
	m.type = MSG_STATUS;
	if (send(s->ctl, &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m)) {
		rc = err_set("sandbox: PID 1 is gone");
		goto done;
	}
	for (;;) {
		if (ctl_recv(s, &m, &fd, 2000) < 0)
			goto done;
		if (fd >= 0)
			close(fd);
		fd = -1;
		if (m.type == MSG_EXIT) {
			note_exit(s, &m);
			rc = err_set("sandbox: the app exited");
			goto done;
		}
		if (m.type == MSG_STATUS) {
			s->verdict = with_cgroups(s, (enum verdict)m.verdict);
			break;
		}
	}
	rc = 0;
done:
	return rc;
}

static void verdict_refresh(struct sandbox *s)
{
	(void)status_ask(s);
	err_clear();
}

int sandbox_sync_log(struct sandbox *s)
{
	return status_ask(s);
}

const char *sandbox_verdict(struct sandbox *s)
{
	if (!s->exited)
		verdict_refresh(s);
	switch (s->verdict) {
	case V_MEMORY: return "memory";
	case V_PROCESSES: return "processes";
	case V_CPU: return "cpu";
	case V_WALL: return "wall time";
	case V_OUTPUT: return "output";
	case V_DISK: return "disk";
	case V_NONE: break;
	}
	return NULL;
}

void sandbox_stop(struct sandbox *s)
{
	int st;
	long long until;

	if (!s)
		return;
	/* Ask PID 1 to kill the namespace and flush the log's tail; if it does
	 * not report in time, SIGKILL it (which kills the namespace anyway). */
	if (!s->exited) {
		struct sb_msg m;

		memset(&m, 0, sizeof(m));
		m.type = MSG_STOP;
		(void)send(s->ctl, &m, sizeof(m), MSG_NOSIGNAL);
		until = monotime_deadline(STOP_GRACE_MS);
		while (!sandbox_exited(s, NULL) && monotime_left_ms(until)) {
			struct pollfd pf = {s->ctl, POLLIN, 0};

			(void)poll(&pf, 1, monotime_left_ms(until));
		}
	}
	intr_unwatch(s->intr);
	if (!s->reaped) {
		kill(s->pid1, SIGKILL);
		while (waitpid(s->pid1, &st, 0) < 0 && errno == EINTR)
			;
	}
	close(s->ctl);
	pasta_stop(s, false);
	cgroup_remove(s);
	free(s);
}

/*
 * Scratch folders of graders that are gone: a grader killed before it could
 * remove its own (SIGKILL, a batch worker killed with its batch) would leave
 * it in memory until the next boot. Named grader-PID-XXXXXX, like the
 * cgroups (cg_sweep): one whose PID no longer exists and that belongs to us
 * is removed. A reused PID keeps its folder until that process is gone.
 */
static void mem_scratch_remove_dead(int dirfd, const char *root, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	/* Only our own folders: /dev/shm is shared with everyone. */
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
	    st.st_uid == geteuid() && snprintf(path, sizeof(path), "%s/%s", root, name) < (int)sizeof(path))
		(void)sandbox_remove_tree(path);
}

static void mem_scratch_sweep(const char *root)
{
	dead_pid_entries_sweep(root, "grader-", mem_scratch_remove_dead);
}

int sandbox_make_mem_scratch(unsigned long long need, gid_t group, char **out)
{
	static const char root[] = "/dev/shm";
	struct statfs sf;
	char *p = NULL;
	int rc = 1;

	*out = NULL;
	/* Only a real tmpfs with room: otherwise the caller keeps its files
	 * where it always did. */
	if (statfs(root, &sf) < 0 || sf.f_type != TMPFS_MAGIC || access(root, W_OK | X_OK) < 0)
		goto done;
	mem_scratch_sweep(root);
	if (statfs(root, &sf) < 0 || (unsigned long long)sf.f_bavail * (unsigned long long)sf.f_bsize < need)
		goto done;
	if (asprintf(&p, "%s/grader-%ld-XXXXXX", root, (long)getpid()) < 0) {
		p = NULL;
		rc = err_set("out of memory");
		goto done;
	}
	if (!mkdtemp(p)) {
		rc = err_set_errno("cannot create a scratch folder in %s", root);
		goto done;
	}
	if (geteuid() == 0 && (chown(p, 0, group) < 0 || chmod(p, 0710) < 0)) {
		rc = err_set_errno("cannot prepare the scratch folder %s", p);
		rmdir(p);
		goto done;
	}
	*out = p;
	p = NULL;
	rc = 0;
done:
	free(p);
	return rc;
}
