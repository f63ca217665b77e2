/*
 * test_boot.c - boot the fixture projects under tests/fixtures/boot with the
 * interpreter named by GRADER_TEST_PYTHON (Django installed). Without that
 * variable every test fails: a boot test that silently skips proves nothing.
 */
#include "boot.h"
#include "err.h"
#include "t.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FIXTURES GRADER_DATADIR "/tests/fixtures/boot"
#define BOOT_SCRIPT GRADER_DATADIR "/grader/boot/run_boot.py"

static char tmpdir[] = "/tmp/test_boot.XXXXXX";
static int nstate;

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A fresh, empty state folder for one boot. */
static const char *new_state(char *buf, size_t size)
{
	snprintf(buf, size, "%s/state%d", tmpdir, ++nstate);
	return mkdir(buf, 0700) == 0 ? buf : NULL;
}

static struct user test_users[] = {
	{ "alice", NULL, NULL, false, false },
	{ "staff", NULL, NULL, true, false },
	{ "root", "r00t-pw", "root@example.invalid", true, true },
};

static void opts_for(struct boot_opts *o, const char *fixture, const char *state, char *proj,
		     size_t projsz)
{
	memset(o, 0, sizeof(*o));
	snprintf(proj, projsz, "%s/%s", FIXTURES, fixture);
	o->python = getenv("GRADER_TEST_PYTHON");
	o->boot_script = BOOT_SCRIPT;
	o->project_dir = proj;
	o->state_dir = state;
	o->users = test_users;
	o->nusers = 3;
	o->timeout_ms = 60000;
}

/* One HTTP/1.0 exchange over a plain socket; the whole answer into out.
 * 0 ok, -1 could not connect or no answer within 10 s. */
static int http_get(int port, const char *path, const char *extra_headers, struct gbuf *out)
{
	struct sockaddr_in sa;
	char req[2048];
	char chunk[4096];
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int rc = -1;
	int n;

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto done;
	n = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n", path,
		     extra_headers ? extra_headers : "");
	if (write(fd, req, (size_t)n) != n)
		goto done;
	for (;;) {
		struct pollfd pf = { fd, POLLIN, 0 };
		ssize_t r;

		if (poll(&pf, 1, 10000) != 1)
			goto done;
		r = read(fd, chunk, sizeof(chunk));
		if (r < 0)
			goto done;
		if (r == 0)
			break;
		gbuf_add(out, chunk, (size_t)r);
	}
	rc = 0;
done:
	close(fd);
	return rc;
}

static const struct boot_session *find_session(const struct boot_info *bi, const char *user)
{
	size_t i;

	for (i = 0; i < bi->nsessions; i++)
		if (!strcmp(bi->sessions[i].username, user))
			return &bi->sessions[i];
	return NULL;
}

/* Is any process running with its working directory in `dir`? */
static bool process_in(const char *dir)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	bool found = false;

	if (!d)
		return true;
	while (!found && (e = readdir(d)) != NULL) {
		char link[300], target[PATH_MAX];
		ssize_t n;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(link, sizeof(link), "/proc/%s/cwd", e->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (!strcmp(target, dir))
			found = true;
	}
	closedir(d);
	return found;
}

TEST(python_is_configured)
{
	const char *py = getenv("GRADER_TEST_PYTHON");

	EXPECT(py != NULL && *py);
	EXPECT(access(py, X_OK) == 0);
}

TEST(good_project_boots_and_serves)
{
	char state[256], proj[512], path[600], hdr[1200];
	struct boot_opts o;
	struct app *app = NULL;
	int bo;
	struct gbuf diag = GBUF_INIT(65536);
	struct gbuf r = GBUF_INIT(1 << 20);
	const struct boot_info *bi;
	const struct boot_session *s;
	const char *body;
	int port;
	FILE *f;

	EXPECT(getenv("GRADER_TEST_PYTHON") != NULL);
	EXPECT(new_state(state, sizeof(state)) != NULL);
	opts_for(&o, "good", state, proj, sizeof(proj));
	bo = app_start(&o, &app, &diag);
	EXPECT(bo >= 0);
	if (bo != BOOT_READY)
		printf("# diagnosis: %s\n", gbuf_str(&diag));
	EXPECT_INT(bo, BOOT_READY);
	EXPECT(app != NULL);
	bi = app_info(app);
	port = bi->port;
	EXPECT(port > 0);
	EXPECT_STR(bi->session_cookie, "sessionid");
	EXPECT_STR(bi->csrf_cookie, "csrftoken");
	EXPECT_STR(bi->csrf_header, "X-CSRFToken");
	EXPECT_INT(strlen(bi->query_token), 32);
	EXPECT_INT(bi->migrations_current, 1);
	EXPECT(bi->django_version && bi->django_version[0] >= '4');
	/* settings.DEBUG as Python writes it, for debug-off's message. */
	EXPECT(bi->debug_repr && !strcmp(bi->debug_repr, "False"));
	EXPECT_INT(bi->nsessions, 3);
	EXPECT((s = find_session(bi, "alice")) != NULL);
	EXPECT(strlen(s->session_value) >= 32);
	EXPECT_INT(strlen(s->csrf_value), 32);
	EXPECT(find_session(bi, "root") != NULL);
	EXPECT((s = find_session(bi, "staff")) != NULL);
	EXPECT(!app_exited(app));
	/* Every phase was announced and timed (issue 13), named in order. */
	for (port = 0; port < BOOT_NPHASES; port++)
		EXPECT(bi->phase_ms[port] >= 0);
	EXPECT_STR(boot_phase_name(0), "start");
	EXPECT_STR(boot_phase_name(3), "migrate");
	EXPECT(boot_phase_name(BOOT_NPHASES) == NULL);
	port = bi->port;

	/* The port answers. */
	EXPECT_INT(http_get(port, "/ping/", NULL, &r), 0);
	EXPECT(starts(gbuf_str(&r), "HTTP/1.0 200"));
	EXPECT(strstr(gbuf_str(&r), "\r\n\r\npong") != NULL);

	/* The session is a real login, with the spec's flags. */
	gbuf_reset(&r);
	snprintf(hdr, sizeof(hdr), "Cookie: %s=%s\r\n", bi->session_cookie, s->session_value);
	EXPECT_INT(http_get(port, "/whoami/", hdr, &r), 0);
	EXPECT(strstr(gbuf_str(&r), "{\"user\": \"staff\", \"staff\": true, \"superuser\": false}"));
	gbuf_reset(&r);
	s = find_session(bi, "root");
	snprintf(hdr, sizeof(hdr), "Cookie: %s=%s\r\n", bi->session_cookie, s->session_value);
	EXPECT_INT(http_get(port, "/whoami/", hdr, &r), 0);
	EXPECT(strstr(gbuf_str(&r), "{\"user\": \"root\", \"staff\": true, \"superuser\": true}"));
	gbuf_reset(&r);
	EXPECT_INT(http_get(port, "/whoami/", NULL, &r), 0);
	EXPECT(strstr(gbuf_str(&r), "{\"user\": \"\""));

	/* No Jinja2 backend among its TEMPLATES: the CSRF advice names
	 * {% csrf_token %}. */
	EXPECT(bi->templates == BOOT_TEMPLATES_DJANGO);

	/* Query count, signed with the token, then the statement run twice
	 * and its table; the app's forged header is gone. */
	gbuf_reset(&r);
	EXPECT_INT(http_get(port, "/two/", NULL, &r), 0);
	snprintf(hdr, sizeof(hdr), "X-Grader-Queries: 2 %s 2 notes_note\r\n", bi->query_token);
	EXPECT(strstr(gbuf_str(&r), hdr) != NULL);
	EXPECT(strstr(gbuf_str(&r), "forged") == NULL);
	/* A write repeated is named too, before a statement naming no table
	 * run more often (thumbnails made at a list's first view, h209). */
	gbuf_reset(&r);
	EXPECT_INT(http_get(port, "/writes/", NULL, &r), 0);
	snprintf(hdr, sizeof(hdr), "X-Grader-Queries: 7 %s 3 notes_note\r\n", bi->query_token);
	EXPECT(strstr(gbuf_str(&r), hdr) != NULL);
	/* Two tables each read once per row: both named (h214). */
	gbuf_reset(&r);
	EXPECT_INT(http_get(port, "/pair/", NULL, &r), 0);
	snprintf(hdr, sizeof(hdr), "X-Grader-Queries: 6 %s 3 notes_note 3 auth_user\r\n", bi->query_token);
	EXPECT(strstr(gbuf_str(&r), hdr) != NULL);

	/* Django's system checks, asked with the token, are answered by the
	 * wrapper (no error in this project), never by the app; a forged
	 * token reaches the app as an ordinary request. */
	gbuf_reset(&r);
	snprintf(hdr, sizeof(hdr), "X-Grader-System-Checks: %s\r\n", bi->query_token);
	EXPECT_INT(http_get(port, "/ping/", hdr, &r), 0);
	EXPECT(starts(gbuf_str(&r), "HTTP/1.0 200"));
	EXPECT(strstr(gbuf_str(&r), "\r\n\r\n{\"errors\": [], \"total\": 0}") != NULL);
	gbuf_reset(&r);
	EXPECT_INT(http_get(port, "/ping/", "X-Grader-System-Checks: forged\r\n", &r), 0);
	EXPECT(strstr(gbuf_str(&r), "\r\n\r\npong") != NULL);

	/* The query token and the users' passwords never reach the app's
	 * environment (not even the initial block in /proc/self/environ), and
	 * the descriptor they came on (fd 4) is closed before the project runs. */
	gbuf_reset(&r);
	EXPECT_INT(http_get(port, "/secrets/", NULL, &r), 0);
	EXPECT(starts(gbuf_str(&r), "HTTP/1.0 200"));
	/* (the body only: the response's X-Grader-Queries header is signed
	 * with the token.) */
	EXPECT((body = strstr(gbuf_str(&r), "\r\n\r\n")) != NULL);
	EXPECT(strstr(body, "\"environ\": \"") != NULL);
	EXPECT(strstr(body, "SECRET_KEY=") != NULL);  /* the block was really read */
	EXPECT(strstr(body, bi->query_token) == NULL);
	EXPECT(strstr(body, "r00t-pw") == NULL);
	EXPECT(strstr(body, "GRADER_USERS") == NULL);
	EXPECT(strstr(body, "\"grader_vars\": []") != NULL);
	EXPECT(strstr(body, "pipe:[") != NULL);  /* the descriptors were really listed */
	EXPECT(strstr(body, "grader-secrets") == NULL);

	/* The overlay: fresh sqlite in the state folder, hosts, hasher, storage. */
	gbuf_reset(&r);
	EXPECT_INT(http_get(port, "/overlay/", NULL, &r), 0);
	snprintf(hdr, sizeof(hdr), "\"db\": \"%s/db.sqlite3\"", state);
	EXPECT(strstr(gbuf_str(&r), hdr) != NULL);
	snprintf(hdr, sizeof(hdr), "\"media\": \"%s/media\"", state);
	EXPECT(strstr(gbuf_str(&r), hdr) != NULL);
	EXPECT(strstr(gbuf_str(&r), "\"hosts\": [\"127.0.0.1\", \"localhost\"]") != NULL);
	EXPECT(strstr(gbuf_str(&r), "MD5PasswordHasher") != NULL);
	EXPECT(strstr(gbuf_str(&r), "\"static\": \"django.contrib.staticfiles.storage.StaticFilesStorage\""));
	EXPECT(strstr(gbuf_str(&r), "\"debug\": false, \"secret\": true") != NULL);

	/* Media under MEDIA_URL is served from MEDIA_ROOT; symlinks are not. */
	snprintf(path, sizeof(path), "%s/media/hello.txt", state);
	EXPECT((f = fopen(path, "w")) != NULL);
	fputs("hello media\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/media/evil.txt", state);
	EXPECT(symlink("/etc/passwd", path) == 0);
	gbuf_reset(&r);
	EXPECT_INT(http_get(port, "/media/hello.txt", NULL, &r), 0);
	EXPECT(starts(gbuf_str(&r), "HTTP/1.0 200"));
	EXPECT(strstr(gbuf_str(&r), "Content-Type: text/plain\r\n") != NULL);
	EXPECT(strstr(gbuf_str(&r), "\r\n\r\nhello media\n") != NULL);
	gbuf_reset(&r);
	EXPECT_INT(http_get(port, "/media/evil.txt", NULL, &r), 0);
	EXPECT(starts(gbuf_str(&r), "HTTP/1.0 404"));
	EXPECT(strstr(gbuf_str(&r), "root:") == NULL);
	gbuf_reset(&r);
	EXPECT_INT(http_get(port, "/media/../../../../etc/passwd", NULL, &r), 0);
	EXPECT(strstr(gbuf_str(&r), "root:") == NULL);

	/* The request log is in the app's output. */
	gbuf_reset(&r);
	EXPECT_INT(app_output_tail(app, &r, 4096, 0), 0);
	EXPECT(strstr(gbuf_str(&r), "GET /ping/") != NULL);
	EXPECT(r.len <= 4096);
	/* And only what came after a mark: a message quoting the log must
	 * not take an earlier request's line for its own. */
	{
		long long mark = app_output_size(app);
		int i;

		EXPECT(mark > 0);
		gbuf_reset(&r);
		EXPECT_INT(http_get(port, "/ping/?after-mark", NULL, &r), 0);
		for (i = 0; i < 100; i++) {
			gbuf_reset(&r);
			EXPECT_INT(app_output_tail(app, &r, 4096, mark), 0);
			if (strstr(gbuf_str(&r), "after-mark"))
				break;
			usleep(20000);
		}
		EXPECT(strstr(gbuf_str(&r), "GET /ping/?after-mark") != NULL);
		EXPECT(strstr(gbuf_str(&r), "GET /ping/ ") == NULL);
	}

	app_stop(app);
	gbuf_reset(&r);
	EXPECT(http_get(port, "/ping/", NULL, &r) < 0);
	EXPECT(!process_in(proj));
	gbuf_release(&r);
	gbuf_release(&diag);
}

TEST(settings_import_error_fails)
{
	char state[256], proj[512];
	struct boot_opts o;
	struct app *app = NULL;
	int bo;
	struct gbuf diag = GBUF_INIT(65536);

	EXPECT(getenv("GRADER_TEST_PYTHON") != NULL);
	EXPECT(new_state(state, sizeof(state)) != NULL);
	opts_for(&o, "bad_import", state, proj, sizeof(proj));
	bo = app_start(&o, &app, &diag);
	EXPECT(bo >= 0);
	EXPECT_INT(bo, BOOT_FAILED);
	EXPECT(app == NULL);
	EXPECT(starts(gbuf_str(&diag), "importing the settings failed: ModuleNotFoundError: "
		       "No module named 'grader_fixture_missing_module'"));
	/* The traceback's tail follows, naming the settings file. */
	EXPECT(strstr(gbuf_str(&diag), "badimp/settings.py") != NULL);
	EXPECT(!process_in(proj));
	gbuf_release(&diag);
}

TEST(failing_migration_fails)
{
	char state[256], proj[512];
	struct boot_opts o;
	struct app *app = NULL;
	int bo;
	struct gbuf diag = GBUF_INIT(65536);

	EXPECT(getenv("GRADER_TEST_PYTHON") != NULL);
	EXPECT(new_state(state, sizeof(state)) != NULL);
	opts_for(&o, "bad_migrate", state, proj, sizeof(proj));
	bo = app_start(&o, &app, &diag);
	EXPECT(bo >= 0);
	EXPECT_INT(bo, BOOT_FAILED);
	EXPECT(app == NULL);
	EXPECT(starts(gbuf_str(&diag), "migrate failed: OperationalError: no such table: "
		       "fixture_missing_table (while applying broken.0001_initial)"));
	EXPECT(!process_in(proj));
	gbuf_release(&diag);
}

TEST(endless_import_times_out)
{
	char state[256], proj[512];
	struct boot_opts o;
	struct app *app = NULL;
	int bo;
	struct gbuf diag = GBUF_INIT(65536);
	long t0 = now_ms();

	EXPECT(getenv("GRADER_TEST_PYTHON") != NULL);
	EXPECT(new_state(state, sizeof(state)) != NULL);
	opts_for(&o, "loop_import", state, proj, sizeof(proj));
	/* Long enough that Django is surely importing the URLconf when the
	 * stack dump fires (1 s before the deadline), even on a loaded machine. */
	o.timeout_ms = 5000;
	bo = app_start(&o, &app, &diag);
	EXPECT(bo >= 0);
	EXPECT_INT(bo, BOOT_TIMED_OUT);
	EXPECT(app == NULL);
	EXPECT(now_ms() - t0 < 9000);
	EXPECT(starts(gbuf_str(&diag), "the app did not finish booting within 5 s "
		       "(last phase: serve)"));
	/* The stack dump taken just before the deadline shows where it hangs. */
	EXPECT(strstr(gbuf_str(&diag), "loopy/urls.py\", line 2 in <module>") != NULL);
	/* Nothing left: no process in the project, no child of ours. */
	EXPECT(!process_in(proj));
	EXPECT(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
	gbuf_release(&diag);
}

TEST(daemon_started_at_import_is_killed)
{
	char state[256], proj[512], pidfile[300], env1[400];
	const char *extra[1];
	struct boot_opts o;
	struct app *app = NULL;
	int bo;
	struct gbuf diag = GBUF_INIT(65536);
	FILE *f;
	long pid = 0;

	EXPECT(getenv("GRADER_TEST_PYTHON") != NULL);
	EXPECT(new_state(state, sizeof(state)) != NULL);
	opts_for(&o, "daemon", state, proj, sizeof(proj));
	snprintf(env1, sizeof(env1), "GRADER_STATE_DIR_FOR_FIXTURE=%s", state);
	extra[0] = env1;
	o.extra_env = extra;
	o.nextra_env = 1;
	bo = app_start(&o, &app, &diag);
	EXPECT(bo >= 0);
	if (bo != BOOT_READY)
		printf("# diagnosis: %s\n", gbuf_str(&diag));
	EXPECT_INT(bo, BOOT_READY);
	snprintf(pidfile, sizeof(pidfile), "%s/daemon.pid", state);
	EXPECT((f = fopen(pidfile, "r")) != NULL);
	EXPECT(fscanf(f, "%ld", &pid) == 1);
	fclose(f);
	EXPECT(pid > 1);
	EXPECT_INT(kill((pid_t)pid, 0), 0);
	app_stop(app);
	EXPECT(kill((pid_t)pid, 0) < 0 && errno == ESRCH);
	gbuf_release(&diag);
}

TEST(missing_interpreter_fails_with_reason)
{
	char state[256], proj[512];
	struct boot_opts o;
	struct app *app = NULL;
	int bo;
	struct gbuf diag = GBUF_INIT(65536);

	EXPECT(new_state(state, sizeof(state)) != NULL);
	opts_for(&o, "good", state, proj, sizeof(proj));
	o.python = "/nonexistent/bin/python3";
	bo = app_start(&o, &app, &diag);
	EXPECT(bo >= 0);
	EXPECT_INT(bo, BOOT_FAILED);
	EXPECT(strstr(gbuf_str(&diag), "the app stopped before it was ready (last phase: start, "
			"exit status 127)") != NULL);
	EXPECT(strstr(gbuf_str(&diag), "cannot execute /nonexistent/bin/python3") != NULL);
	gbuf_release(&diag);
}

/* A stand-in for the boot module: a Python script writing `lines` (JSON, one
 * a line) on the control pipe, then sleeping, so app_start's reading of the
 * messages is tested without Django. */
static const char *fake_boot(char *path, size_t size, const char *name, const char *lines)
{
	FILE *f;

	snprintf(path, size, "%s/%s.py", tmpdir, name);
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fprintf(f, "import os, time\nos.write(3, r'''%s'''.encode())\ntime.sleep(30)\n", lines);
	return fclose(f) == 0 ? path : NULL;
}

/* "ready" as the C side keeps it: unknown auth schemes read "session", url
 * paths are only strings starting with '/', pending migrations are cut at
 * 300 bytes, a session's authorization header is kept; unknown events are
 * ignored. */
TEST(ready_message_fields_are_bounded)
{
	char state[256], proj[512], script[300], lines[2048], pending[401];
	struct boot_opts o;
	struct app *app = NULL;
	const struct boot_info *in;
	struct gbuf diag = GBUF_INIT(65536);
	int bo;

	memset(pending, 'p', 400);
	pending[400] = '\0';
	snprintf(lines, sizeof(lines),
		 "{\"event\": \"phase\", \"phase\": \"import\"}\n"
		 "{\"event\": \"novel\"}\n"
		 "{\"event\": \"ready\", \"port\": 8123, \"session_cookie\": \"sid\", "
		 "\"csrf_cookie\": \"ct\", \"csrf_header\": \"X-CT\", \"auth_scheme\": \"weird\", "
		 "\"scheme\": \"https\", "
		 "\"migrations_current\": false, \"migrations_pending\": \"%s\", "
		 "\"url_paths\": [\"/a/\", \"x\", 5, \"/b/{pk}/\"], "
		 "\"sessions\": {\"alice\": {\"session\": \"s1\", \"csrf\": \"c1\", "
		 "\"authorization\": \"Token abc\", \"login\": \"alice@example.invalid\"}, "
		 "\"bob\": {\"session\": \"s2\", \"csrf\": \"c2\"}}}\n", pending);
	EXPECT(new_state(state, sizeof(state)) != NULL);
	opts_for(&o, "good", state, proj, sizeof(proj));
	o.boot_script = fake_boot(script, sizeof(script), "ready_fields", lines);
	EXPECT(o.boot_script != NULL);
	bo = app_start(&o, &app, &diag);
	EXPECT_INT(bo, BOOT_READY);
	in = app_info(app);
	EXPECT_INT(in->port, 8123);
	EXPECT_STR(in->session_cookie, "sid");
	EXPECT_STR(in->csrf_header, "X-CT");
	EXPECT_STR(in->auth_scheme, "session");
	EXPECT(in->https);
	EXPECT_INT(in->migrations_current, 0);
	EXPECT_INT(strlen(in->migrations_pending), 300);
	EXPECT(!strcmp(in->migrations_pending + 296, " ..."));
	EXPECT_INT(in->nurl_paths, 2);
	EXPECT_STR(in->url_paths[0], "/a/");
	EXPECT_STR(in->url_paths[1], "/b/{pk}/");
	EXPECT_INT(in->nsessions, 2);
	EXPECT_STR(in->sessions[0].username, "alice");
	EXPECT_STR(in->sessions[0].authorization, "Token abc");
	/* What alice signs in with (an email-login model's USERNAME_FIELD);
	 * none said for bob: the engine then uses the spec's username. */
	EXPECT_STR(in->sessions[0].login, "alice@example.invalid");
	EXPECT(in->sessions[1].login == NULL);
	EXPECT(in->phase_ms[0] >= 0 && in->phase_ms[1] >= 0 && in->phase_ms[2] == -1);
	app_stop(app);
	gbuf_release(&diag);
}

/* A "ready" the grader cannot use is a boot failure naming the control
 * pipe, never a grader error: a port out of range, a header with a newline. */
TEST(malformed_ready_is_a_boot_failure)
{
	static const char *const bad[] = {
		"{\"event\": \"ready\", \"port\": 70000, \"session_cookie\": \"s\", "
		"\"csrf_cookie\": \"c\", \"csrf_header\": \"X\"}\n",
		"{\"event\": \"ready\", \"port\": 8000, \"session_cookie\": \"s\", \"csrf_cookie\": \"c\", "
		"\"csrf_header\": \"X\", \"sessions\": {\"alice\": {\"session\": \"s\", \"csrf\": \"c\", "
		"\"authorization\": \"Token a\\r\\nX-Evil: 1\"}}}\n",
		"{\"event\": \"ready\", \"port\": 8000, \"session_cookie\": \"s\", \"csrf_cookie\": \"c\", "
		"\"csrf_header\": \"X\", \"sessions\": {\"alice\": {\"session\": \"s\", \"csrf\": \"c\", "
		"\"login\": \"alice\\nX-Evil: 1\"}}}\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char state[256], proj[512], script[300], name[32];
		struct boot_opts o;
		struct app *app = NULL;
		struct gbuf diag = GBUF_INIT(65536);
		int bo;
		bool named;

		snprintf(name, sizeof(name), "bad_ready%zu", i);
		EXPECT(new_state(state, sizeof(state)) != NULL);
		opts_for(&o, "good", state, proj, sizeof(proj));
		o.boot_script = fake_boot(script, sizeof(script), name, bad[i]);
		EXPECT(o.boot_script != NULL);
		bo = app_start(&o, &app, &diag);
		named = strstr(gbuf_str(&diag), "not a boot message on the grader's control pipe") != NULL;
		gbuf_release(&diag);
		EXPECT_INT(bo, BOOT_FAILED);
		EXPECT(app == NULL);
		EXPECT(named);
	}
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(tmpdir)) {
		printf("not ok setup - mkdtemp\n");
		return 1;
	}
	RUN(python_is_configured);
	RUN(good_project_boots_and_serves);
	RUN(settings_import_error_fails);
	RUN(failing_migration_fails);
	RUN(endless_import_times_out);
	RUN(daemon_started_at_import_is_killed);
	RUN(missing_interpreter_fails_with_reason);
	RUN(ready_message_fields_are_bounded);
	RUN(malformed_ready_is_a_boot_failure);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", tmpdir);
	}
	T_EXIT();
}
