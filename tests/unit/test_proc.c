/* test_proc.c - proc_run and the keeper, against real processes. */
#include "proc.h"
#include "err.h"
#include "t.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/test_proc.XXXXXX";

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait (poll, bounded) until one line arrives on fd; 0 on success. */
static int wait_line(int fd, long ms)
{
	struct pollfd pf = { fd, POLLIN, 0 };
	char c;

	if (poll(&pf, 1, (int)ms) != 1)
		return -1;
	return read(fd, &c, 1) == 1 ? 0 : -1;
}

static pid_t read_pid(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = 0;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return (pid_t)v;
}

static bool pid_gone(pid_t pid)
{
	return kill(pid, 0) < 0 && errno == ESRCH;
}

TEST(run_captures_output_and_exit_code)
{
	const char *argv[] = { "sh", "-c", "echo hello; echo oops >&2; exit 3", NULL };
	struct gbuf out = GBUF_INIT(4096);
	struct proc_result r;

	EXPECT_INT(proc_run(argv, NULL, NULL, 5000, &out, &r), 0);
	EXPECT(!r.timed_out && !r.signaled);
	EXPECT_INT(r.exit_code, 3);
	EXPECT(strstr(gbuf_str(&out), "hello\n") != NULL);
	EXPECT(strstr(gbuf_str(&out), "oops\n") != NULL);
	gbuf_release(&out);
}

TEST(run_env_and_cwd)
{
	const char *argv[] = { "sh", "-c", "echo \"$FOO\"; pwd; read x || echo stdin-empty", NULL };
	const char *envp[] = { "FOO=bar-value", "PATH=/usr/bin:/bin", NULL };
	struct gbuf out = GBUF_INIT(4096);
	struct proc_result r;

	EXPECT_INT(proc_run(argv, envp, "/", 5000, &out, &r), 0);
	EXPECT_INT(r.exit_code, 0);
	EXPECT_STR(gbuf_str(&out), "bar-value\n/\nstdin-empty\n");
	gbuf_release(&out);
}

TEST(run_missing_program_is_127)
{
	const char *argv[] = { "/nonexistent/grader-test-prog", NULL };
	struct gbuf out = GBUF_INIT(4096);
	struct proc_result r;

	EXPECT_INT(proc_run(argv, NULL, NULL, 5000, &out, &r), 0);
	EXPECT_INT(r.exit_code, 127);
	EXPECT(strstr(gbuf_str(&out), "cannot execute") != NULL);
	gbuf_release(&out);
}

TEST(run_signal_reported)
{
	const char *argv[] = { "sh", "-c", "kill -9 $$", NULL };
	struct proc_result r;

	EXPECT_INT(proc_run(argv, NULL, NULL, 5000, NULL, &r), 0);
	EXPECT(r.signaled);
	EXPECT_INT(r.term_signal, SIGKILL);
}

TEST(run_timeout_kills_group)
{
	/* The background sleep is in the same process group and must die too. */
	char file[256];
	char script[512];
	const char *argv[] = { "sh", "-c", script, NULL };
	struct proc_result r;
	long t0 = now_ms();
	pid_t bg;

	snprintf(file, sizeof(file), "%s/bg.pid", tmpdir);
	snprintf(script, sizeof(script), "sleep 100 & echo $! > %s; sleep 100", file);
	EXPECT_INT(proc_run(argv, NULL, NULL, 500, NULL, &r), 0);
	EXPECT(r.timed_out);
	EXPECT(now_ms() - t0 < 3000);
	bg = read_pid(file);
	EXPECT(bg > 0);
	/* It was killed; init reaps it shortly, but kill(0) on a zombie still
	 * succeeds, so check its state instead of existence. */
	{
		char path[64], st[256] = "";
		FILE *f;
		long t1 = now_ms();
		bool dead = false;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)bg);
		while (!dead && now_ms() - t1 < 3000) {
			f = fopen(path, "r");
			if (!f) {
				dead = true;
				break;
			}
			if (!fgets(st, sizeof(st), f))
				st[0] = '\0';
			fclose(f);
			if (strstr(st, ") Z ") || strstr(st, ") X "))
				dead = true;
		}
		EXPECT(dead);
	}
}

TEST(run_output_is_capped)
{
	const char *argv[] = { "sh", "-c", "head -c 100000000 /dev/zero; echo done >&2", NULL };
	struct gbuf out = GBUF_INIT(1 << 20);
	struct proc_result r;

	EXPECT_INT(proc_run(argv, NULL, NULL, 30000, &out, &r), 0);
	EXPECT(!r.timed_out);
	EXPECT_INT(r.exit_code, 0);
	EXPECT(out.truncated);
	EXPECT_INT(out.len, 1 << 20);
	gbuf_release(&out);
}

/* A target that double-forks a setsid daemon, reports it on fd 3, and waits. */
TEST(keeper_stop_kills_setsid_daemon)
{
	char file[256], log[256], script[512];
	const char *argv[] = { "sh", "-c", script, NULL };
	int pfd[2];
	struct proc_spawn_opts o = { 0 };
	struct proc *p = NULL;
	pid_t daemon;

	snprintf(file, sizeof(file), "%s/daemon1.pid", tmpdir);
	snprintf(log, sizeof(log), "%s/keeper1.log", tmpdir);
	snprintf(script, sizeof(script),
		 "(setsid sh -c \"sleep 300 & echo \\$! > %s; echo up >&3\" &) ; sleep 300", file);
	EXPECT(pipe2(pfd, O_CLOEXEC) == 0);
	o.argv = argv;
	o.pass_fds = &pfd[1];
	o.npass_fds = 1;
	o.log_path = log;
	o.log_limit = 4096;
	EXPECT_INT(proc_spawn(&o, &p), 0);
	close(pfd[1]);
	EXPECT_INT(wait_line(pfd[0], 10000), 0);
	daemon = read_pid(file);
	EXPECT(daemon > 0);
	EXPECT_INT(kill(daemon, 0), 0);
	proc_stop(p);
	EXPECT(pid_gone(daemon));
	close(pfd[0]);
}

TEST(keeper_target_exit_kills_daemon)
{
	char file[256], log[256], script[512];
	const char *argv[] = { "sh", "-c", script, NULL };
	struct proc_spawn_opts o = { 0 };
	struct proc *p = NULL;
	struct proc_result r;
	siginfo_t si;
	pid_t daemon;

	snprintf(file, sizeof(file), "%s/daemon2.pid", tmpdir);
	snprintf(log, sizeof(log), "%s/keeper2.log", tmpdir);
	snprintf(script, sizeof(script),
		 "setsid sh -c \"sleep 300 & echo \\$! > %s\"; echo target-out; exit 5", file);
	o.argv = argv;
	o.log_path = log;
	o.log_limit = 4096;
	EXPECT_INT(proc_spawn(&o, &p), 0);
	/* Block until the keeper has exited, without reaping it. */
	memset(&si, 0, sizeof(si));
	EXPECT_INT(waitid(P_PID, (id_t)proc_pid(p), &si, WEXITED | WNOWAIT), 0);
	EXPECT(proc_exited(p, &r));
	EXPECT(!r.signaled);
	EXPECT_INT(r.exit_code, 5);
	daemon = read_pid(file);
	EXPECT(daemon > 0);
	EXPECT(pid_gone(daemon));
	{
		struct gbuf lb = GBUF_INIT(4096);

		EXPECT_INT(gbuf_read_file(&lb, log), 0);
		EXPECT_STR(gbuf_str(&lb), "target-out\n");
		gbuf_release(&lb);
	}
	proc_stop(p);
}

TEST(keeper_reports_signal_as_signaled)
{
	char log[256];
	const char *argv[] = { "sh", "-c", "kill -9 $$", NULL };
	struct proc_spawn_opts o = { 0 };
	struct proc *p = NULL;
	struct proc_result r;
	siginfo_t si;

	snprintf(log, sizeof(log), "%s/keeper3.log", tmpdir);
	o.argv = argv;
	o.log_path = log;
	EXPECT_INT(proc_spawn(&o, &p), 0);
	EXPECT_INT(waitid(P_PID, (id_t)proc_pid(p), &si, WEXITED | WNOWAIT), 0);
	EXPECT(proc_exited(p, &r));
	EXPECT(r.signaled);
	EXPECT_INT(r.term_signal, SIGKILL);
	proc_stop(p);
}

TEST(keeper_log_keeps_head_and_tail)
{
	char log[256];
	const char *argv[] = { "sh", "-c",
			       "echo START; head -c 3000000 /dev/zero | tr '\\0' x; echo; echo END",
			       NULL };
	struct proc_spawn_opts o = { 0 };
	struct proc *p = NULL;
	struct gbuf lb = GBUF_INIT(1 << 20);
	siginfo_t si;
	struct proc_result r;

	snprintf(log, sizeof(log), "%s/keeper4.log", tmpdir);
	o.argv = argv;
	o.log_path = log;
	o.log_limit = 65536;
	EXPECT_INT(proc_spawn(&o, &p), 0);
	EXPECT_INT(waitid(P_PID, (id_t)proc_pid(p), &si, WEXITED | WNOWAIT), 0);
	EXPECT(proc_exited(p, &r));
	EXPECT_INT(r.exit_code, 0);
	proc_stop(p);
	EXPECT_INT(gbuf_read_file(&lb, log), 0);
	EXPECT(lb.len > 65536 && lb.len < 65536 + 100);
	EXPECT(strncmp(lb.data, "START\nxxx", 9) == 0);
	EXPECT(strstr(lb.data, "\n[... ") != NULL);
	EXPECT(strstr(lb.data, " bytes dropped ...]\n") != NULL);
	EXPECT(strcmp(lb.data + lb.len - 5, "\nEND\n") == 0);
	/* 6 + 3000000 + 1 + 4 bytes were printed; 65536 kept. */
	EXPECT(strstr(lb.data, "[... 2934475 bytes dropped ...]") != NULL);
	gbuf_release(&lb);
}

/* The keeper must not hold the passed descriptor itself: once the target
 * closes it, the grader's read end sees EOF although the target lives on. */
TEST(keeper_does_not_hold_passed_fds)
{
	char log[256];
	const char *argv[] = { "sh", "-c", "exec 3>&-; sleep 300", NULL };
	int pfd[2];
	struct proc_spawn_opts o = { 0 };
	struct proc *p = NULL;
	struct pollfd pf;
	char c;

	snprintf(log, sizeof(log), "%s/keeper5.log", tmpdir);
	EXPECT(pipe2(pfd, O_CLOEXEC) == 0);
	o.argv = argv;
	o.pass_fds = &pfd[1];
	o.npass_fds = 1;
	o.log_path = log;
	EXPECT_INT(proc_spawn(&o, &p), 0);
	close(pfd[1]);
	pf.fd = pfd[0];
	pf.events = POLLIN;
	pf.revents = 0;
	EXPECT_INT(poll(&pf, 1, 10000), 1);
	EXPECT_INT(read(pfd[0], &c, 1), 0);
	EXPECT(!proc_exited(p, NULL));
	proc_stop(p);
	close(pfd[0]);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		printf("not ok setup - mkdtemp\n");
		return 1;
	}
	RUN(run_captures_output_and_exit_code);
	RUN(run_env_and_cwd);
	RUN(run_missing_program_is_127);
	RUN(run_signal_reported);
	RUN(run_timeout_kills_group);
	RUN(run_output_is_capped);
	RUN(keeper_stop_kills_setsid_daemon);
	RUN(keeper_target_exit_kills_daemon);
	RUN(keeper_reports_signal_as_signaled);
	RUN(keeper_log_keeps_head_and_tail);
	RUN(keeper_does_not_hold_passed_fds);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", tmpdir);
	}
	T_EXIT();
}
