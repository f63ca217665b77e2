/*
 * proc.c - child processes: proc_run (run to completion) and the keeper.
 *
 * Waiting is event-driven everywhere: a child's exit is observed through a
 * pidfd (poll()able, and immune to pid reuse), output through its pipe, and
 * the keeper's own events (SIGTERM, SIGCHLD) through a signalfd. Nothing
 * sleeps in a loop.
 *
 * The keeper runs between fork() and _exit() without exec'ing, in a process
 * forked from a possibly multi-threaded grader, so it sticks to system calls:
 * no stdio, no malloc (its log ring is allocated by the parent before the
 * fork), no opendir (it lists /proc with getdents64).
 */
#include "proc.h"
#include "intr.h"
#include "err.h"
#include "monotime.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long proc_stop lets the keeper kill and reap before it kills the
 * keeper itself (then PR_SET_PDEATHSIG takes the target down with it). */
#define PROC_STOP_GRACE_MS 10000
/* After a proc_run child exits, how long we keep draining output that an
 * escaped grandchild might still be holding the pipe open for. */
#define PROC_DRAIN_MS 1000

static void proc_decode_status(int status, struct proc_result *res)
{
	res->timed_out = false;
	if (WIFSIGNALED(status)) {
		res->signaled = true;
		res->term_signal = WTERMSIG(status);
		res->exit_code = -1;
	} else {
		res->signaled = false;
		res->term_signal = 0;
		res->exit_code = WEXITSTATUS(status);
	}
}

/* Write all of buf to fd; best effort (used only in children). */
static void proc_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* In a forked child: report why exec failed on stderr (which is the captured
 * output, so the student sees it) and exit 127 like a shell would. */
static void proc_child_fail(const char *what, const char *arg)
{
	const char *msg = strerror(errno);

	proc_write_all(2, "grader: ", 8);
	proc_write_all(2, what, strlen(what));
	if (arg) {
		proc_write_all(2, " ", 1);
		proc_write_all(2, arg, strlen(arg));
	}
	proc_write_all(2, ": ", 2);
	proc_write_all(2, msg, strlen(msg));
	proc_write_all(2, "\n", 1);
	_exit(127);
}

/*
 * In a forked child, just before exec: stdin from /dev/null, stdout+stderr to
 * out_fd, pass_fds at 3, 4, ..., every other descriptor closed (the grader's
 * database, sockets and pipes must not leak into a submission), default
 * signal dispositions and an empty mask (both survive exec).
 */
static void proc_child_setup(int out_fd, const int *pass_fds, size_t npass, const char *cwd)
{
	int moved[64];
	sigset_t none;
	size_t i;
	int nul;
	int sig;

	if (npass > 64) {
		errno = EINVAL;
		proc_child_fail("too many descriptors to pass", NULL);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	/* Move everything we keep above the range we are about to fill, so
	 * dup2 into 0..3+npass cannot clobber a source still needed. */
	out_fd = fcntl(out_fd, F_DUPFD_CLOEXEC, 100);
	for (i = 0; i < npass; i++)
		moved[i] = fcntl(pass_fds[i], F_DUPFD_CLOEXEC, 100);
	nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (out_fd < 0 || nul < 0 || dup2(nul, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)
		_exit(127);
	for (i = 0; i < npass; i++)
		if (moved[i] < 0 || dup2(moved[i], 3 + (int)i) < 0)
			proc_child_fail("cannot pass a descriptor", NULL);
	/* dup2 clears FD_CLOEXEC on the targets; everything else goes. */
	syscall(SYS_close_range, 3 + (unsigned)npass, ~0U, 0);
	if (cwd && chdir(cwd) < 0)
		proc_child_fail("cannot enter", cwd);
}

static void proc_child_exec(const char *const *argv, const char *const *envp)
{
	if (envp)
		execvpe(argv[0], (char *const *)argv, (char *const *)envp);
	else
		execvp(argv[0], (char *const *)argv);
	proc_child_fail("cannot execute", argv[0]);
}

/* ---- proc_run ------------------------------------------------------------ */

/* Read what is available on fd into out (or discard it). 1 = EOF. */
static int proc_drain(int fd, struct gbuf *out)
{
	char chunk[65536];
	ssize_t n;

	n = read(fd, chunk, sizeof(chunk));
	if (n < 0)
		return (errno == EINTR || errno == EAGAIN) ? 0 : 1;
	if (n == 0)
		return 1;
	/* Past the ceiling gbuf_add drops and flags; we keep reading so the
	 * child never blocks on a full pipe. */
	if (out && gbuf_add(out, chunk, (size_t)n) < 0)
		return -1;
	return 0;
}

int proc_run(const char *const *argv, const char *const *envp, const char *cwd,
	     long timeout_ms, struct gbuf *output, struct proc_result *res)
{
	int pipefd[2] = { -1, -1 };
	int pidfd = -1, watch = -1;
	pid_t pid = -1;
	bool reaped = false, out_open = true, exited = false;
	long deadline, drain_until = 0;
	siginfo_t si;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (!argv || !argv[0]) {
		err_set("proc_run: empty command");
		goto done;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		err_set_errno("cannot create a pipe");
		goto done;
	}
	deadline = monotime_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	pid = fork();
	if (pid < 0) {
		err_set_errno("cannot fork");
		goto done;
	}
	if (pid == 0) {
		/* Own session and process group: the whole group can be killed
		 * on timeout without touching the grader. */
		setsid();
		proc_child_setup(pipefd[1], NULL, 0, cwd);
		proc_child_exec(argv, envp);
	}
	/* SIGINT/SIGTERM to the grader kill the command's whole group. */
	watch = intr_watch(pid, SIGKILL, true);
	close(pipefd[1]);
	pipefd[1] = -1;
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	pidfd = pidfd_open(pid, 0);
	if (pidfd < 0) {
		err_set_errno("pidfd_open");
		kill(-pid, SIGKILL);
		goto done;
	}

	while (out_open || !exited) {
		struct pollfd pf[2];
		nfds_t n = 0;
		int wait_ms;
		long now = monotime_now_ms();
		long until = exited ? drain_until : deadline;

		if (now >= until) {
			if (exited)
				break; /* an escaped grandchild holds the pipe: stop listening */
			res->timed_out = true;
			kill(-pid, SIGKILL);
			break;
		}
		wait_ms = (int)(until - now);
		if (out_open) {
			pf[n].fd = pipefd[0];
			pf[n].events = POLLIN;
			n++;
		}
		if (!exited) {
			pf[n].fd = pidfd;
			pf[n].events = POLLIN;
			n++;
		}
		if (poll(pf, n, wait_ms) < 0) {
			if (errno == EINTR)
				continue;
			err_set_errno("poll");
			kill(-pid, SIGKILL);
			goto done;
		}
		if (out_open && pf[0].revents) {
			int d = proc_drain(pipefd[0], output);

			if (d < 0) {
				kill(-pid, SIGKILL);
				goto done;
			}
			if (d == 1)
				out_open = false;
		}
		if (!exited && pf[n - 1].revents) {
			exited = true;
			/* The command is done; anything it left behind in its
			 * process group goes too, so a short command cannot
			 * leave background processes running. */
			kill(-pid, SIGKILL);
			drain_until = monotime_now_ms() + PROC_DRAIN_MS;
		}
	}
	memset(&si, 0, sizeof(si));
	intr_unwatch(watch);
	watch = -1;
	while (waitid(P_PID, (id_t)pid, &si, WEXITED) < 0 && errno == EINTR)
		;
	reaped = true;
	if (!res->timed_out) {
		if (si.si_code == CLD_EXITED) {
			res->exit_code = si.si_status;
		} else {
			res->signaled = true;
			res->term_signal = si.si_status;
			res->exit_code = -1;
		}
	}
	rc = 0;
done:
	intr_unwatch(watch);
	if (pid > 0 && !reaped) {
		kill(-pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (pidfd >= 0)
		close(pidfd);
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return rc;
}

/* ---- the keeper ------------------------------------------------------------ */

struct proc {
	pid_t keeper;
	int pidfd;                /* of the keeper */
	int intr;                 /* intr_watch() slot: SIGTERM to the keeper */
	bool reaped;
	struct proc_result res;   /* valid when reaped */
};

/* The keeper's capped log: bytes [0, head_max) go straight to the file; after
 * that the last tail_max bytes live in a ring and are rewritten after a
 * "[... N bytes dropped ...]" marker whenever the pipe is momentarily empty,
 * so the file always shows the start and the most recent output. */
struct klog {
	int fd;
	size_t head_max, tail_max;
	size_t head_len;          /* bytes written to the head */
	unsigned long long total; /* bytes received after the head filled */
	char *ring;               /* tail_max bytes, allocated before fork */
	size_t ring_pos;          /* next write position */
	bool dirty;
};

static void klog_pwrite(int fd, const char *buf, size_t len, off_t off)
{
	while (len) {
		ssize_t n = pwrite(fd, buf, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
		off += n;
	}
}

/* Format an unsigned number without stdio (keeper context). */
static size_t klog_utoa(unsigned long long v, char *out)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

static void klog_flush(struct klog *l)
{
	char marker[80];
	size_t m = 0, kept, start;
	off_t off;

	if (!l->dirty)
		return;
	l->dirty = false;
	if (l->total <= l->tail_max) {
		/* Not yet past the cap: the ring is just the continuation. */
		klog_pwrite(l->fd, l->ring, (size_t)l->total, (off_t)l->head_len);
		(void)!ftruncate(l->fd, (off_t)(l->head_len + l->total));
		return;
	}
	memcpy(marker + m, "\n[... ", 6);
	m += 6;
	m += klog_utoa(l->total - l->tail_max, marker + m);
	memcpy(marker + m, " bytes dropped ...]\n", 20);
	m += 20;
	off = (off_t)l->head_len;
	klog_pwrite(l->fd, marker, m, off);
	off += (off_t)m;
	kept = l->tail_max;
	start = l->ring_pos; /* oldest byte */
	klog_pwrite(l->fd, l->ring + start, kept - start, off);
	off += (off_t)(kept - start);
	klog_pwrite(l->fd, l->ring, start, off);
	off += (off_t)start;
	(void)!ftruncate(l->fd, off);
}

static void klog_add(struct klog *l, const char *buf, size_t len)
{
	if (l->head_len < l->head_max) {
		size_t take = l->head_max - l->head_len;

		if (take > len)
			take = len;
		klog_pwrite(l->fd, buf, take, (off_t)l->head_len);
		l->head_len += take;
		buf += take;
		len -= take;
	}
	if (!len || !l->tail_max)
		return;
	if (len > l->tail_max) {
		l->total += len - l->tail_max;
		buf += len - l->tail_max;
		len = l->tail_max;
	}
	while (len) {
		size_t room = l->tail_max - l->ring_pos;
		size_t take = len < room ? len : room;

		memcpy(l->ring + l->ring_pos, buf, take);
		l->ring_pos = (l->ring_pos + take) % l->tail_max;
		l->total += take;
		buf += take;
		len -= take;
	}
	l->dirty = true;
}

/* 0 = read something, 1 = EOF or error, 2 = nothing available now. */
static int keeper_read(int fd, struct klog *l)
{
	char chunk[65536];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0)
		return (errno == EINTR || errno == EAGAIN) ? 2 : 1;
	if (n == 0)
		return 1;
	klog_add(l, chunk, (size_t)n);
	return 0;
}

/*
 * SIGKILL every direct child of the keeper, found by scanning /proc/<pid>/stat
 * for our pid as the parent (this kernel may lack /proc/.../children).
 * Only direct children are signalled, and a direct child cannot have its pid
 * reused until *we* reap it, so this can never hit an unrelated process.
 * Grandchildren are reparented to us (we are a subreaper) when their parent
 * dies and are caught by the next round. Returns how many were signalled.
 */
static int keeper_kill_children(pid_t self)
{
	char dents[8192];
	int dfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int count = 0;
	long n;

	if (dfd < 0)
		return 0;
	while ((n = syscall(SYS_getdents64, dfd, dents, sizeof(dents))) > 0) {
		long off = 0;

		while (off < n) {
			struct dirent64 *d = (struct dirent64 *)(dents + off);
			char path[64], stat[512];
			const char *name = d->d_name, *rp;
			pid_t pid = 0, ppid = 0;
			ssize_t r;
			int fd;

			off += d->d_reclen;
			if (*name < '1' || *name > '9')
				continue;
			for (; *name >= '0' && *name <= '9'; name++)
				pid = pid * 10 + (*name - '0');
			if (*name || pid == self)
				continue;
			memcpy(path, "/proc/", 6);
			memcpy(path + 6, d->d_name, strlen(d->d_name));
			memcpy(path + 6 + strlen(d->d_name), "/stat", 6);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			r = read(fd, stat, sizeof(stat) - 1);
			close(fd);
			if (r <= 0)
				continue;
			stat[r] = '\0';
			/* "pid (comm) S ppid ...": comm may hold ')' and spaces. */
			rp = strrchr(stat, ')');
			if (!rp || rp[1] != ' ' || !rp[2] || rp[3] != ' ')
				continue;
			for (rp += 4; *rp >= '0' && *rp <= '9'; rp++)
				ppid = ppid * 10 + (*rp - '0');
			if (ppid == self && kill(pid, SIGKILL) == 0)
				count++;
		}
	}
	close(dfd);
	return count;
}

static void keeper_main(const struct proc_spawn_opts *o, pid_t grader, int logfd, char *ring,
			size_t head_max, size_t tail_max, const sigset_t *mask)
{
	struct klog l = { logfd, head_max, tail_max, 0, 0, ring, 0, false };
	int out[2] = { -1, -1 };
	int sfd;
	pid_t target, self = getpid();
	int status = 0, code = 1;
	bool target_done = false, stopping = false, out_open = true;

	/* If the grader dies, so does the keeper (and then its kill-all cannot
	 * run, but the target's own PDEATHSIG below still fires). The
	 * getppid() check closes the race where the grader died before prctl. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != grader)
		_exit(1);
	/* Orphans anywhere below us are reparented to us, not to init: a
	 * double-forked setsid() daemon stays ours to kill. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* Our own process group, so a terminal's ^C aimed at the grader does not
	 * kill the keeper before it has killed what it keeps. */
	setpgid(0, 0);
	sfd = signalfd(-1, mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0 || pipe2(out, O_CLOEXEC) < 0)
		_exit(1);
	target = fork();
	if (target < 0)
		_exit(1);
	if (target == 0) {
		setsid();
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != self)
			_exit(1);
		proc_child_setup(out[1], o->pass_fds, o->npass_fds, o->cwd);
		proc_child_exec(o->argv, o->envp);
	}
	close(out[1]);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	/* Drop every descriptor inherited from the grader except our own: the
	 * passed fds (e.g. the control pipe's write end) must be held by the
	 * target only, or the grader would never see EOF when it dies. */
	{
		int keep[3] = { logfd, sfd, out[0] };
		int i, j, lo = 3;

		for (i = 0; i < 3; i++)
			for (j = i + 1; j < 3; j++)
				if (keep[j] < keep[i]) {
					int t = keep[i];

					keep[i] = keep[j];
					keep[j] = t;
				}
		for (i = 0; i < 3; i++) {
			if (keep[i] > lo)
				syscall(SYS_close_range, (unsigned)lo, (unsigned)keep[i] - 1, 0);
			lo = keep[i] + 1;
		}
		syscall(SYS_close_range, (unsigned)lo, ~0U, 0);
	}

	while (!stopping) {
		struct pollfd pf[2] = { { sfd, POLLIN, 0 }, { out[0], POLLIN, 0 } };
		int r = poll(pf, out_open ? 2 : 1, -1);

		if (r < 0 && errno != EINTR)
			break;
		if (out_open && pf[1].revents) {
			int i;

			/* Drain what is there (bounded, so signals are not
			 * starved), then bring the file up to date once. */
			for (i = 0; i < 64 && out_open; i++) {
				int e = keeper_read(out[0], &l);

				if (e == 1)
					out_open = false;
				else if (e == 2)
					break;
			}
			klog_flush(&l);
		}
		if (pf[0].revents) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo != SIGCHLD)
					stopping = true;
			}
			for (;;) {
				int st;
				pid_t w = waitpid(-1, &st, WNOHANG);

				if (w <= 0)
					break;
				if (w == target) {
					status = st;
					target_done = true;
					stopping = true;
				}
			}
		}
	}

	/* Kill everything below us until there is nothing left to reap. */
	for (;;) {
		int st;
		pid_t w;

		keeper_kill_children(self);
		w = waitpid(-1, &st, 0);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break; /* ECHILD: nobody left */
		if (w == target && !target_done) {
			status = st;
			target_done = true;
		}
	}
	/* All writers are dead: collect what is still in the pipe. */
	while (out_open && keeper_read(out[0], &l) == 0)
		;
	klog_flush(&l);
	if (target_done)
		code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	_exit(code);
}

int proc_spawn(const struct proc_spawn_opts *o, struct proc **out)
{
	struct proc *p = NULL;
	int logfd = -1;
	char *ring = NULL;
	size_t limit, head_max, tail_max;
	sigset_t mask, old;
	bool masked = false;
	pid_t grader = getpid();
	int rc = -1;

	*out = NULL;
	if (!o->argv || !o->argv[0] || !o->log_path) {
		err_set("proc_spawn: argv and log_path are required");
		goto done;
	}
	if (o->npass_fds > 64) {
		err_set("proc_spawn: too many descriptors to pass");
		goto done;
	}
	limit = o->log_limit ? o->log_limit : (size_t)1 << 20;
	head_max = limit / 2;
	tail_max = limit - head_max;
	p = calloc(1, sizeof(*p));
	ring = malloc(tail_max ? tail_max : 1);
	if (!p || !ring) {
		err_set("out of memory");
		goto done;
	}
	p->pidfd = -1;
	logfd = open(o->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (logfd < 0) {
		err_set_errno("cannot create %s", o->log_path);
		goto done;
	}
	/* Block the keeper's signals before fork, so a proc_stop() that comes
	 * right away is queued for its signalfd instead of killing it before
	 * it could kill its descendants. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	if (pthread_sigmask(SIG_BLOCK, &mask, &old) != 0) {
		err_set("cannot block signals");
		goto done;
	}
	masked = true;
	p->keeper = fork();
	if (p->keeper < 0) {
		err_set_errno("cannot fork");
		goto done;
	}
	if (p->keeper == 0)
		keeper_main(o, grader, logfd, ring, head_max, tail_max, &mask);
	p->intr = intr_watch(p->keeper, SIGTERM, false);
	p->pidfd = pidfd_open(p->keeper, 0);
	if (p->pidfd < 0) {
		intr_unwatch(p->intr);
		err_set_errno("pidfd_open");
		kill(p->keeper, SIGKILL);
		waitpid(p->keeper, NULL, 0);
		goto done;
	}
	*out = p;
	p = NULL;
	rc = 0;
done:
	if (masked)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (logfd >= 0)
		close(logfd);
	free(ring);
	free(p);
	return rc;
}

/* The keeper exits with the target's code, or 128+signal if it was killed. */
static void proc_keeper_status(int status, struct proc_result *res)
{
	proc_decode_status(status, res);
	if (!res->signaled && res->exit_code > 128 && res->exit_code < 128 + NSIG) {
		res->signaled = true;
		res->term_signal = res->exit_code - 128;
	}
}

bool proc_exited(struct proc *p, struct proc_result *res)
{
	int st;

	if (!p)
		return true;
	if (!p->reaped && waitpid(p->keeper, &st, WNOHANG) == p->keeper) {
		p->reaped = true;
		proc_keeper_status(st, &p->res);
	}
	if (p->reaped && res)
		*res = p->res;
	return p->reaped;
}

pid_t proc_pid(const struct proc *p)
{
	return p ? p->keeper : -1;
}

void proc_stop(struct proc *p)
{
	struct pollfd pf;
	int st;

	if (!p)
		return;
	intr_unwatch(p->intr);
	if (!p->reaped) {
		kill(p->keeper, SIGTERM);
		pf.fd = p->pidfd;
		pf.events = POLLIN;
		pf.revents = 0;
		while (poll(&pf, 1, PROC_STOP_GRACE_MS) < 0 && errno == EINTR)
			;
		if (!pf.revents)
			kill(p->keeper, SIGKILL);
		while (waitpid(p->keeper, &st, 0) < 0 && errno == EINTR)
			;
		p->reaped = true;
	}
	if (p->pidfd >= 0)
		close(p->pidfd);
	free(p);
}
