/*
 * test_launch.c - launch.h's one interface over its two back-ends: the same
 * calls on a target under the keeper (SANDBOX_NONE) and in the sandbox mode
 * this machine supports (sandbox_probe), and what each back-end answers.
 */
#include "launch.h"
#include "err.h"
#include "monotime.h"
#include "t.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];
static enum sandbox_mode sandboxed;   /* what sandbox_probe found */

/* Spawn `script` with /bin/sh under `mode`; the log goes to tmpdir/NAME.log. */
static int spawn_sh(enum sandbox_mode mode, const char *script, const char *name, long wall_ms,
		    struct launch **out)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	char log[128];
	struct launch_opts o = {
		.mode = mode, .argv = argv, .envp = launch_base_env(mode), .cwd = "/",
		.log_path = log, .log_limit = 1 << 16, .slot = 3, .wall_timeout_ms = wall_ms,
	};

	snprintf(log, sizeof(log), "%s/%s.log", tmpdir, name);
	return launch_spawn(&o, out);
}

/* Poll launch_exited until it says yes or 20 s pass. */
static bool wait_exited(struct launch *l, struct proc_result *r)
{
	long long deadline = monotime_deadline(20000);

	while (!launch_exited(l, r)) {
		if (monotime_left_ms(deadline) == 0)
			return false;
		usleep(20000);
	}
	return true;
}

static bool log_has(const char *name, const char *text)
{
	char path[128], buf[256] = "";
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s.log", tmpdir, name);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strstr(buf, text) != NULL;
}

/* The same calls, either back-end: exit status, output, isolation. */
static void exit_status_through_one_interface(enum sandbox_mode mode, const char *name)
{
	struct launch *l = NULL;
	struct proc_result r = { 0 };
	bool exited;

	bool pid_ok, isolated, no_verdict;

	EXPECT_INT(spawn_sh(mode, "echo launched; exit 3", name, 0, &l), 0);
	pid_ok = launch_pid(l) > 0;
	exited = wait_exited(l, &r);
	isolated = launch_isolated(l);
	no_verdict = launch_verdict(l) == NULL;
	launch_free(l);
	EXPECT(pid_ok);
	EXPECT(isolated == (mode != SANDBOX_NONE));
	EXPECT(no_verdict);
	EXPECT(exited);
	EXPECT(!r.signaled && !r.timed_out);
	EXPECT_INT(r.exit_code, 3);
	EXPECT(log_has(name, "launched"));
}

TEST(keeper_reports_exit_status)
{
	exit_status_through_one_interface(SANDBOX_NONE, "keeper-exit");
}

TEST(sandbox_reports_exit_status)
{
	exit_status_through_one_interface(sandboxed, "sandbox-exit");
}

/* The keeper's app is on the host's loopback: no socket from inside. The
 * sandbox's PID 1 hands one over. */
TEST(open_socket_only_from_the_sandbox)
{
	struct launch *k = NULL, *s = NULL;
	int rck = spawn_sh(SANDBOX_NONE, "sleep 30", "keeper-sock", 0, &k);
	int rcs = spawn_sh(sandboxed, "sleep 30", "sandbox-sock", 0, &s);
	int kfd = rck == 0 ? launch_open_socket(k) : -2;
	int sfd = rcs == 0 ? launch_open_socket(s) : -2;

	launch_free(k);
	launch_free(s);
	if (sfd >= 0)
		close(sfd);
	EXPECT(rck == 0 && rcs == 0);
	EXPECT_INT(kfd, -1);
	EXPECT(sfd >= 0);
}

/* A sandbox's verdict outlives its stop (the report reads it after); the
 * keeper names none. Stopped, a launch counts as exited. */
TEST(verdict_kept_after_stop)
{
	struct launch *k = NULL, *s = NULL;
	struct proc_result r;
	bool k_exited = false, s_exited = false, k_none = false;
	char verdict[32] = "";
	int rck = spawn_sh(SANDBOX_NONE, "sleep 30", "keeper-wall", 0, &k);
	int rcs = spawn_sh(sandboxed, "sleep 30", "sandbox-wall", 300, &s);

	if (rck == 0 && rcs == 0) {
		s_exited = wait_exited(s, &r);
		launch_stop(k);
		launch_stop(s);
		k_exited = launch_exited(k, NULL);
		k_none = launch_verdict(k) == NULL;
		snprintf(verdict, sizeof(verdict), "%s", launch_verdict(s) ? launch_verdict(s) : "(none)");
	}
	launch_free(k);
	launch_free(s);
	EXPECT(rck == 0 && rcs == 0);
	EXPECT(s_exited);
	EXPECT(k_exited);
	EXPECT(k_none);
	EXPECT_STR(verdict, "wall time");
}

/* The keeper's target starts from the grader's environment; a sandbox's
 * from four fixed variables, whatever the grader's holds. */
TEST(base_env_per_back_end)
{
	const char *const *host;
	const char *const *box = launch_base_env(sandboxed);
	bool host_has = false, box_has = false;
	size_t i, n = 0;

	EXPECT(setenv("GRADER_TEST_LAUNCH_TOKEN", "t0ken", 1) == 0);
	host = launch_base_env(SANDBOX_NONE);
	for (i = 0; host[i]; i++)
		host_has |= !strcmp(host[i], "GRADER_TEST_LAUNCH_TOKEN=t0ken");
	for (i = 0; box[i]; i++, n++)
		box_has |= !strncmp(box[i], "GRADER_TEST_LAUNCH_TOKEN=", 25);
	unsetenv("GRADER_TEST_LAUNCH_TOKEN");
	EXPECT(host_has);
	EXPECT(!box_has);
	EXPECT_INT(n, 4);
	EXPECT_STR(box[0], "PATH=/usr/local/bin:/usr/bin:/bin");
}

/* Root grader: the sandbox's state folder is given to the sandbox's uid
 * before the spawn (sandbox.h asks it of the caller); the keeper's stays
 * the grader's. Unprivileged, both stay the grader's own. */
TEST(state_folder_given_to_the_sandbox_uid)
{
	const char *argv[] = { "/bin/true", NULL };
	char state[128], log[128];
	struct launch_opts o = {
		.mode = sandboxed, .argv = argv, .envp = launch_base_env(sandboxed), .cwd = "/",
		.log_path = log, .slot = 5, .state_path = state,
	};
	struct launch *l = NULL;
	struct stat st;
	uid_t want = geteuid() == 0 ? sandbox_host_uid(sandboxed, 5) : geteuid();
	int rc;

	snprintf(state, sizeof(state), "%s/state", tmpdir);
	snprintf(log, sizeof(log), "%s/state.log", tmpdir);
	EXPECT(mkdir(state, 0700) == 0);
	rc = launch_spawn(&o, &l);
	launch_free(l);
	EXPECT_INT(rc, 0);
	EXPECT(stat(state, &st) == 0);
	EXPECT_INT(st.st_uid, want);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_launch.XXXXXX");
	if (!mkdtemp(tmpdir) || sandbox_probe(&sandboxed, NULL) < 0 || sandboxed == SANDBOX_NONE) {
		printf("not ok setup - no temporary folder, or no sandbox here to compare with the keeper\n");
		return 1;
	}
	RUN(keeper_reports_exit_status);
	RUN(sandbox_reports_exit_status);
	RUN(open_socket_only_from_the_sandbox);
	RUN(verdict_kept_after_stop);
	RUN(base_env_per_back_end);
	RUN(state_folder_given_to_the_sandbox_uid);
	if (sandbox_remove_tree(tmpdir) < 0)
		printf("# cleanup: %s\n", err_last());
	T_EXIT();
}
