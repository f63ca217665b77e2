/*
 * test_sandbox.c - the sandbox against real processes: /bin/sh and
 * /usr/bin/python3 one-liners run inside it, and the host checks what they
 * could and could not reach. Run as root, the program also re-executes itself
 * as the unprivileged user `grader-test` (created if absent) to run the core
 * tests the way a non-root grader would ("unpriv_*" lines).
 */
#include "sandbox.h"
#include "err.h"
#include "http.h"
#include "t.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[64];
static struct sandbox_profile *prof;     /* tests/…/sandboxes/test.yaml: 512 MiB, 2 s CPU */
static struct sandbox_profile *prof_mem; /* test-mem.yaml: 512 MiB, 10 s CPU (memory hits first) */
static struct sandbox_profile *prof_oom; /* test-oom.yaml: 64 MiB, 3 s CPU */
static enum sandbox_mode mode;
static const char *const ENVP[] = {"PATH=/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8", NULL};
static char state_dir[128];            /* sandbox_opts.state_path of every run */
static struct sandbox_reservation *run_rsv; /* sandbox_opts.reservation of every run (NULL: none) */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void path_in(char *out, size_t n, const char *rel)
{
	snprintf(out, n, "%s/%s", tmpdir, rel);
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* Run argv in a sandbox with tmpdir/ro read-only and tmpdir/rw writable, to
 * completion; the log (stdout+stderr) lands in *out. */
struct run {
	int status;
	const char *verdict;
	long ms;
};

/* argv in a sandbox with profile p, the test folders bound; its output in
 * *out, its status and verdict in *r. 0 or -1. */
static int run_argv_in(const struct sandbox_profile *p, const char *const *argv, long wall_ms, struct gbuf *out,
		       struct run *r)
{
	char ro[128], rw[128], log[128];
	const char *ros[1], *rws[1];
	struct sandbox_opts o;
	struct sandbox *s = NULL;
	long t0 = now_ms();
	int rc = -1;

	path_in(ro, sizeof(ro), "ro");
	path_in(rw, sizeof(rw), "rw");
	path_in(log, sizeof(log), "log.txt");
	ros[0] = ro;
	rws[0] = rw;
	memset(&o, 0, sizeof(o));
	o.mode = mode;
	o.profile = p;
	o.argv = argv;
	o.envp = ENVP;
	o.cwd = rw;
	o.ro_paths = ros;
	o.nro = 1;
	o.rw_paths = rws;
	o.nrw = 1;
	o.log_path = log;
	o.log_limit = 1 << 20;
	o.wall_timeout_ms = wall_ms;
	o.slot = 7;
	o.state_path = state_dir;
	o.reservation = run_rsv;
	if (sandbox_spawn(&o, &s) < 0) {
		printf("# spawn: %s\n", err_last());
		goto done;
	}
	if (sandbox_wait(s, &r->status) < 0)
		goto done;
	r->verdict = sandbox_verdict(s);
	sandbox_stop(s);
	s = NULL;
	r->ms = now_ms() - t0;
	gbuf_reset(out);
	if (gbuf_read_file(out, log) < 0)
		goto done;
	rc = 0;
done:
	sandbox_stop(s);
	return rc;
}

static int run_argv(const char *const *argv, long wall_ms, struct gbuf *out, struct run *r)
{
	return run_argv_in(prof, argv, wall_ms, out, r);
}

static int run_sh(const char *script, long wall_ms, struct gbuf *out, struct run *r)
{
	const char *argv[] = {"/bin/sh", "-c", script, NULL};

	return run_argv(argv, wall_ms, out, r);
}

/* Python code in a sandbox with profile p. */
static int run_py_in(const struct sandbox_profile *p, const char *code, long wall_ms, struct gbuf *out,
		     struct run *r)
{
	const char *argv[] = {"/usr/bin/python3", "-c", code, NULL};

	return run_argv_in(p, argv, wall_ms, out, r);
}

static int run_py(const char *code, long wall_ms, struct gbuf *out, struct run *r)
{
	return run_py_in(prof, code, wall_ms, out, r);
}

/* ---- profiles ---------------------------------------------------------- */

TEST(profile_default_and_strict_load)
{
	struct sandbox_profile *p = NULL;
	const struct sandbox_limits *l;

	EXPECT(sandbox_profile_load(GRADER_DATADIR, "default", &p) == 0);
	l = sandbox_profile_limits(p);
	EXPECT_STR(sandbox_profile_name(p), "default");
	EXPECT(l->memory == (uint64_t)1 << 30);
	EXPECT_INT(l->processes, 128);
	EXPECT(l->tmp_size == (uint64_t)128 << 20);
	sandbox_profile_free(p);
	p = NULL;
	EXPECT(sandbox_profile_load(GRADER_DATADIR, "strict", &p) == 0);
	EXPECT(sandbox_profile_limits(p)->memory == (uint64_t)512 << 20);
	EXPECT_INT(sandbox_profile_ndeny(p), 6);
	EXPECT_STR(sandbox_profile_deny(p, 0), "mknod");
	sandbox_profile_free(p);
}

TEST(profile_errors_have_positions)
{
	struct sandbox_profile *p = NULL;
	char path[128];

	path_in(path, sizeof(path), "sandboxes/bad.yaml");
	EXPECT(write_text(path, "limits:\n  memory: 12XB\n") == 0);
	EXPECT(sandbox_profile_load(tmpdir, "bad", &p) == -1);
	EXPECT(p == NULL);
	EXPECT(strstr(err_last(), "sandboxes/bad.yaml:2:11: unknown size unit 'XB'") != NULL);
	EXPECT(write_text(path, "limits:\n  memroy: 1\n") == 0);
	EXPECT(sandbox_profile_load(tmpdir, "bad", &p) == -1);
	EXPECT(strstr(err_last(), "bad.yaml:2:3: unknown limit 'memroy'") != NULL);
	EXPECT(write_text(path, "mounts: [relative/path]\n") == 0);
	EXPECT(sandbox_profile_load(tmpdir, "bad", &p) == -1);
	EXPECT(strstr(err_last(), "bad.yaml:1:10: expected an absolute path") != NULL);
	EXPECT(sandbox_profile_load(tmpdir, "../bad", &p) == -1);
	EXPECT(strstr(err_last(), "bad sandbox profile name") != NULL);
}

TEST(profile_unknown_syscall_refused_at_spawn)
{
	struct sandbox_profile *p = NULL;
	struct sandbox_opts o;
	struct sandbox *s = NULL;
	const char *argv[] = {"/bin/true", NULL};
	char path[128];

	path_in(path, sizeof(path), "sandboxes/nosys.yaml");
	EXPECT(write_text(path, "seccomp:\n  deny: [not_a_syscall]\n") == 0);
	EXPECT(sandbox_profile_load(tmpdir, "nosys", &p) == 0);
	memset(&o, 0, sizeof(o));
	o.mode = mode;
	o.profile = p;
	o.argv = argv;
	EXPECT(sandbox_spawn(&o, &s) == -1);
	sandbox_profile_free(p);
	EXPECT(strstr(err_last(), "unknown syscall 'not_a_syscall'") != NULL);
}

TEST(missing_path_fails_setup_cleanly)
{
	struct sandbox_opts o;
	struct sandbox *s = NULL;
	const char *argv[] = {"/bin/true", NULL};
	const char *rw[] = {"/nonexistent/sandbox-test"};

	memset(&o, 0, sizeof(o));
	o.mode = mode;
	o.profile = prof;
	o.argv = argv;
	o.rw_paths = rw;
	o.nrw = 1;
	EXPECT(sandbox_spawn(&o, &s) == -1);
	EXPECT(s == NULL);
	/* What it said instead, when not this (seen once, the machine
	 * loaded, session 33). */
	if (!strstr(err_last(), "sandbox setup failed at /nonexistent/sandbox-test"))
		printf("# spawn said: %s\n", err_last());
	EXPECT(strstr(err_last(), "sandbox setup failed at /nonexistent/sandbox-test") != NULL);
	rw[0] = "relative/path";
	EXPECT(sandbox_spawn(&o, &s) == -1);
	EXPECT(strstr(err_last(), "expected an absolute path") != NULL);
}

/* ---- probe and modes ----------------------------------------------------- */

TEST(probe_finds_userns)
{
	enum sandbox_mode m;
	struct gbuf why = GBUF_INIT(0);

	EXPECT(sandbox_probe(&m, &why) == 0);
	gbuf_release(&why);
	/* This machine has working user namespaces (for root and others). */
	EXPECT_STR(sandbox_mode_name(m), "userns");
	EXPECT(sandbox_probe(&m, NULL) == 0);   /* cached */
	EXPECT_INT(m, SANDBOX_USERNS);
}

TEST(mode_none_refused)
{
	struct sandbox_opts o;
	struct sandbox *s = NULL;
	const char *argv[] = {"/bin/true", NULL};
	enum sandbox_mode m;

	memset(&o, 0, sizeof(o));
	o.mode = SANDBOX_NONE;
	o.argv = argv;
	EXPECT(sandbox_spawn(&o, &s) == -1);
	EXPECT(s == NULL);
	EXPECT(sandbox_mode_parse("root", &m) == 0 && m == SANDBOX_ROOT);
	EXPECT(sandbox_mode_parse("chroot", &m) == -1);
}

/* ---- isolation ----------------------------------------------------------------- */

TEST(inside_uid_is_not_root)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	EXPECT(run_sh("id -u; id -g; hostname", 5000, &out, &r) == 0);
	EXPECT(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	if (mode == SANDBOX_USERNS)
		EXPECT_STR(gbuf_str(&out), "1000\n1000\nsandbox\n");
	else
		EXPECT_STR(gbuf_str(&out), "60007\n60007\nsandbox\n");
	EXPECT(r.verdict == NULL);
	gbuf_release(&out);
}

TEST(filesystem_is_confined)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;
	char script[2048], rwfile[160];
	struct stat st;

	snprintf(script, sizeof(script),
		 "cat /etc/shadow >/dev/null 2>&1 && echo shadow-readable;"
		 "ls /home >/dev/null 2>&1 && echo home-visible;"
		 "ls /run /sys /root >/dev/null 2>&1 && echo run-visible;"
		 "test -e %s/secret && echo secret-visible;"
		 "cat %s/ro/data;"
		 "{ echo x > %s/ro/new; } 2>/dev/null && echo ro-writable;"
		 "{ echo x > /usr/sbin-new; } 2>/dev/null && echo usr-writable;"
		 "{ echo x > /newfile; } 2>/dev/null && echo root-writable;"
		 "echo hello > %s/rw/made && echo rw-ok;"
		 "echo t > /tmp/t && echo tmp-ok;"
		 "dd if=/dev/zero of=/tmp/fill bs=1M count=40 2>/dev/null; "
		 "s=$(wc -c < /tmp/fill); test $s -le 8388608 && echo tmp-capped;"
		 "/usr/bin/python3 -c 'import django' 2>/dev/null; echo done",
		 tmpdir, tmpdir, tmpdir, tmpdir);
	EXPECT(run_sh(script, 10000, &out, &r) == 0);
	EXPECT_STR(gbuf_str(&out), "ro-data\nrw-ok\ntmp-ok\ntmp-capped\ndone\n");
	snprintf(rwfile, sizeof(rwfile), "%s/rw/made", tmpdir);
	EXPECT(stat(rwfile, &st) == 0);
	/* userns: inside 1000 is the grader's uid outside; root: the slot's. */
	EXPECT_INT(st.st_uid, sandbox_host_uid(mode, 7));
	gbuf_release(&out);
}

/* /var/tmp, as on any Linux machine (h561: Django's file cache there was
 * a read-only file system): /tmp's tmpfs again, world-writable with the
 * sticky bit, nosuid and nodev like /tmp. */
TEST(var_tmp_is_the_tmp_tmpfs)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	EXPECT(run_sh("echo v > /var/tmp/v && cat /tmp/v;"
		      "stat -c %a /var/tmp;"
		      "mkdir /var/tmp/django_cache && echo made;"
		      "grep ' /var/tmp ' /proc/self/mounts | grep -o 'nosuid\\|nodev' | tr '\\n' ' '",
		      5000, &out, &r) == 0);
	EXPECT_STR(gbuf_str(&out), "v\n1777\nmade\nnosuid nodev ");
	gbuf_release(&out);
}

/* /dev/shm, writable (h597: multiprocessing's Queue, django-q2's sync
 * mode, answered "Read-only file system"): /tmp's tmpfs again, so it is
 * bounded by /tmp's size; POSIX semaphores work there. /dev stays
 * read-only. */
TEST(dev_shm_is_the_tmp_tmpfs)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	EXPECT(run_py("import multiprocessing, os\n"
		      "q = multiprocessing.Queue(); q.put(1); print(q.get())\n"
		      "open('/dev/shm/v', 'w').write('v'); print(open('/tmp/v').read())\n"
		      "try:\n    open('/dev/x', 'w')\nexcept OSError as e:\n    print(e.errno == 30)\n"
		      "print(' '.join(o for o in [l.split()[3] for l in open('/proc/self/mounts')"
		      " if l.split()[1] == '/dev/shm'][0].split(',') if o in ('nosuid', 'nodev')))\n",
		      5000, &out, &r) == 0);
	EXPECT_STR(gbuf_str(&out), "1\nv\nTrue\nnosuid nodev\n");
	gbuf_release(&out);
}

TEST(proc_shows_only_the_sandbox)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	EXPECT(run_py("import os\n"
		      "ps = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())\n"
		      "print(ps, os.getpid(), open('/proc/1/cmdline').read() != '')\n",
		      5000, &out, &r) == 0);
	/* PID 1 (ours) and python as 2: nothing of the host. */
	EXPECT_STR(gbuf_str(&out), "[1, 2] 2 True\n");
	gbuf_release(&out);
}

TEST(network_is_its_own)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;
	struct sockaddr_in sa;
	struct sockaddr_un su;
	socklen_t sl = sizeof(sa);
	int tcp = -1, udp = -1, ux = -1, c;
	char code[2048], name[64], buf[16];

	tcp = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	ux = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	EXPECT(tcp >= 0 && udp >= 0 && ux >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	EXPECT(bind(tcp, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(tcp, 8) == 0);
	EXPECT(getsockname(tcp, (struct sockaddr *)&sa, &sl) == 0);
	EXPECT(bind(udp, (struct sockaddr *)&sa, sizeof(sa)) == 0);   /* same port number, UDP */
	memset(&su, 0, sizeof(su));
	su.sun_family = AF_UNIX;
	snprintf(name, sizeof(name), "test_sandbox_%d", (int)getpid());
	memcpy(su.sun_path + 1, name, strlen(name));
	EXPECT(bind(ux, (struct sockaddr *)&su, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name))) == 0);
	EXPECT(listen(ux, 8) == 0);
	snprintf(code, sizeof(code),
		 "import socket\n"
		 "p = %d\n"
		 "try:\n"
		 "    socket.create_connection(('127.0.0.1', p), timeout=2); print('tcp-connected')\n"
		 "except OSError as e: print('tcp-refused')\n"
		 "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		 "u.sendto(b'ping', ('127.0.0.1', p))\n"
		 "s = socket.socket(socket.AF_UNIX)\n"
		 "try:\n"
		 "    s.connect('\\0%s'); print('unix-connected')\n"
		 "except OSError: print('unix-refused')\n"
		 "try:\n"
		 "    socket.create_connection(('10.255.255.1', 80), timeout=1); print('route')\n"
		 "except OSError: print('no-route')\n",
		 ntohs(sa.sin_port), name);
	EXPECT(run_py(code, 10000, &out, &r) == 0);
	EXPECT_STR(gbuf_str(&out), "tcp-refused\nunix-refused\nno-route\n");
	c = accept(tcp, NULL, NULL);
	EXPECT(c < 0 && errno == EAGAIN);
	EXPECT(recv(udp, buf, sizeof(buf), 0) < 0 && errno == EAGAIN);
	c = accept(ux, NULL, NULL);
	EXPECT(c < 0 && errno == EAGAIN);
	close(tcp);
	close(udp);
	close(ux);
	gbuf_release(&out);
}

/* Read from fd until EOF or limit, bounded in time. */
static void read_reply(int fd, struct gbuf *b, long ms)
{
	long end = now_ms() + ms;
	char buf[4096];

	while (now_ms() < end) {
		struct pollfd pf = {fd, POLLIN, 0};
		ssize_t n;

		if (poll(&pf, 1, 200) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		gbuf_add(b, buf, (size_t)n);
	}
}

TEST(connect_reaches_app_inside)
{
	struct sandbox_opts o;
	struct sandbox *s = NULL;
	struct gbuf reply = GBUF_INIT(1 << 20), reply2 = GBUF_INIT(1 << 20);
	int fd2 = -1;
	const char *argv[] = {"/usr/bin/python3", "-m", "http.server", "8000", "--bind", "127.0.0.1",
			      "--directory", "/tmp", NULL};
	long end;
	int fd = -1, st;
	bool exited;

	memset(&o, 0, sizeof(o));
	o.mode = mode;
	o.profile = prof;
	o.argv = argv;
	o.envp = ENVP;
	o.wall_timeout_ms = 20000;
	EXPECT(sandbox_spawn(&o, &s) == 0);
	/* Nothing listens on 8001 inside. */
	EXPECT(sandbox_connect(s, 8001) == -1);
	end = now_ms() + 8000;
	while (fd < 0 && now_ms() < end) {
		fd = sandbox_connect(s, 8000);
		if (fd < 0)
			usleep(50 * 1000);
	}
	if (fd < 0)
		printf("# %s\n", err_last());
	exited = sandbox_exited(s, &st);
	if (fd >= 0) {
		static const char rq[] = "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";

		if (write(fd, rq, sizeof(rq) - 1) == (ssize_t)sizeof(rq) - 1)
			read_reply(fd, &reply, 5000);
		close(fd);
	}
	/* The libcurl route: an unconnected socket of the sandbox's netns,
	 * connected by us to 127.0.0.1:8000 (the host has nothing there). */
	fd2 = sandbox_open_socket(s);
	if (fd2 >= 0) {
		static const char rq[] = "GET /nope HTTP/1.0\r\n\r\n";
		struct sockaddr_in sa;

		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_port = htons(8000);
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (connect(fd2, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
		    write(fd2, rq, sizeof(rq) - 1) == (ssize_t)sizeof(rq) - 1)
			read_reply(fd2, &reply2, 5000);
		close(fd2);
	}
	sandbox_stop(s);
	EXPECT(!exited);
	EXPECT(fd >= 0);
	EXPECT(strncmp(gbuf_str(&reply), "HTTP/1.0 200", 12) == 0);
	EXPECT(strstr(gbuf_str(&reply), "Directory listing") != NULL);
	EXPECT(fd2 >= 0);
	EXPECT(strncmp(gbuf_str(&reply2), "HTTP/1.0 404", 12) == 0);
	gbuf_release(&reply);
	gbuf_release(&reply2);
}

/* The way the grader will use it: libcurl through http.c's open_socket hook. */
TEST(libcurl_reaches_app_through_hook)
{
	struct sandbox_opts o;
	struct sandbox *s = NULL;
	struct http_client *c = NULL;
	struct http_actor *a = NULL;
	struct http_request rq;
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct http_client_opts co;
	const char *argv[] = {"/usr/bin/python3", "-m", "http.server", "8000", "--bind", "127.0.0.1",
			      "--directory", "/tmp", NULL};
	long end;
	int fd = -1, sent = -2;
	long status = 0;

	memset(&o, 0, sizeof(o));
	o.mode = mode;
	o.profile = prof;
	o.argv = argv;
	o.envp = ENVP;
	o.wall_timeout_ms = 20000;
	EXPECT(sandbox_spawn(&o, &s) == 0);
	end = now_ms() + 8000;
	while (fd < 0 && now_ms() < end) {
		fd = sandbox_connect(s, 8000);
		if (fd < 0)
			usleep(50 * 1000);
	}
	if (fd >= 0)
		close(fd);
	memset(&co, 0, sizeof(co));
	co.host = "127.0.0.1";
	co.port = 8000;
	co.open_socket = sandbox_open_socket;
	co.open_socket_ctx = s;
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.path = "/";
	rq.timeout_ms = 5000;
	if (fd >= 0 && http_client_new(&co, &c) == 0 && http_actor_get(c, "anon", &a) == 0) {
		sent = http_send(a, &rq, &rs);
		status = rs.status;
		if (sent < 0 || rs.fault)
			printf("# http: %s %s\n", sent < 0 ? err_last() : "", rs.fault_msg ? rs.fault_msg : "");
	}
	http_response_release(&rs);
	http_client_free(c);
	sandbox_stop(s);
	EXPECT(fd >= 0);
	EXPECT_INT(sent, 0);
	EXPECT_INT(status, 200);
}

/* Several submissions side by side: threads spawning at once, each with
 * its own app on the same port 8000 inside. */
static void *parallel_worker(void *arg)
{
	long *ok = arg;
	int i;

	for (i = 0; i < 4; i++) {
		struct sandbox_opts o;
		struct sandbox *s = NULL;
		const char *argv[] = {"/bin/sh", "-c", "echo $$ > /tmp/pid; exec sleep 5", NULL};
		int st;

		memset(&o, 0, sizeof(o));
		o.mode = mode;
		o.profile = prof;
		o.argv = argv;
		o.wall_timeout_ms = 10000;
		if (sandbox_spawn(&o, &s) < 0)
			continue;
		if (!sandbox_exited(s, &st))
			(*ok)++;
		sandbox_stop(s);
	}
	return NULL;
}

TEST(parallel_spawns_from_threads)
{
	pthread_t th[4];
	long ok[4] = {0, 0, 0, 0};
	int i;

	for (i = 0; i < 4; i++)
		EXPECT(pthread_create(&th[i], NULL, parallel_worker, &ok[i]) == 0);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	EXPECT_INT(ok[0] + ok[1] + ok[2] + ok[3], 16);
}

/* ---- limits and verdicts ---------------------------------------------------------- */

TEST(fork_bomb_is_bounded)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;
	long ok = -1, failed = -1;

	EXPECT(run_py("import os, time, signal\n"
		      "kids, failed = [], 0\n"
		      "for i in range(2000):\n"
		      "    try:\n"
		      "        p = os.fork()\n"
		      "    except OSError:\n"
		      "        failed += 1; continue\n"
		      "    if p == 0:\n"
		      "        time.sleep(30); os._exit(0)\n"
		      "    kids.append(p)\n"
		      "time.sleep(0.3)\n"
		      "for p in kids: os.kill(p, signal.SIGKILL)\n"
		      "for p in kids: os.waitpid(p, 0)\n"
		      "print(len(kids), failed)\n",
		      30000, &out, &r) == 0);
	EXPECT(sscanf(gbuf_str(&out), "%ld %ld", &ok, &failed) == 2);
	EXPECT(ok > 0 && ok < 64);
	EXPECT(failed > 1900);
	EXPECT_STR(r.verdict, "processes");
	gbuf_release(&out);
}

TEST(memory_hog_is_bounded)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	EXPECT(run_py("b = bytearray(4 << 30)\nprint('allocated')\n", 20000, &out, &r) == 0);
	EXPECT(strstr(gbuf_str(&out), "allocated") == NULL);
	EXPECT(strstr(gbuf_str(&out), "MemoryError") != NULL);
	EXPECT(!(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0));
	EXPECT_STR(r.verdict, "memory");
	gbuf_release(&out);
}

TEST(cpu_loop_hits_cpu_limit)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	EXPECT(run_py("while True: pass\n", 60000, &out, &r) == 0);
	EXPECT(WIFSIGNALED(r.status));
	EXPECT_STR(r.verdict, "cpu");
	EXPECT(r.ms >= 1900 && r.ms < 59000);
	gbuf_release(&out);
}

/* A target that ignores SIGXCPU runs to the hard limit, a second later,
 * and is SIGKILLed there: still the CPU limit, though on a loaded machine
 * its rusage then reads up to 0.4 s less (pid1_verdict). The wall clock
 * is far off (60 s), so that a loaded machine's slow loop meets the CPU
 * limit first. */
TEST(ignored_sigxcpu_hits_hard_cpu_limit)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	EXPECT(run_py("import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\nwhile True: pass\n", 60000,
		      &out, &r) == 0);
	EXPECT(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGKILL);
	EXPECT_STR(r.verdict, "cpu");
	EXPECT(r.ms >= 2900 && r.ms < 59000);
	gbuf_release(&out);
}

TEST(sleeper_hits_wall_time)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	EXPECT(run_sh("echo started; sleep 30", 500, &out, &r) == 0);
	EXPECT_STR(gbuf_str(&out), "started\n");
	EXPECT(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGKILL);
	EXPECT_STR(r.verdict, "wall time");
	EXPECT(r.ms < 3000);
	gbuf_release(&out);
}

TEST(big_file_hits_output_limit)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	EXPECT(run_sh("exec head -c 3000000 /dev/zero > /tmp/big", 10000, &out, &r) == 0);
	EXPECT(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGXFSZ);
	EXPECT_STR(r.verdict, "output");
	gbuf_release(&out);
}

TEST(log_keeps_head_and_tail)
{
	struct sandbox_opts o;
	struct sandbox *s = NULL;
	struct gbuf log = GBUF_INIT(0);
	const char *argv[] = {"/usr/bin/python3", "-c",
			      "import sys\nsys.stdout.write('HEAD' + 'x' * 100000 + 'TAIL')\n", NULL};
	char path[128];
	int st = -1;

	path_in(path, sizeof(path), "cap.log");
	memset(&o, 0, sizeof(o));
	o.mode = mode;
	o.profile = prof;
	o.argv = argv;
	o.log_path = path;
	o.log_limit = 2000;
	o.wall_timeout_ms = 10000;
	EXPECT(sandbox_spawn(&o, &s) == 0);
	EXPECT(sandbox_wait(s, &st) == 0);
	sandbox_stop(s);
	EXPECT(gbuf_read_file(&log, path) == 0);
	EXPECT(strncmp(gbuf_str(&log), "HEADxxx", 7) == 0);
	EXPECT(log.len < 2100);
	EXPECT(strstr(gbuf_str(&log), "bytes of output omitted") != NULL);
	EXPECT(log.len > 4 && memcmp(log.data + log.len - 4, "TAIL", 4) == 0);
	EXPECT(st == 0);
	gbuf_release(&log);
}

/* ---- teardown and hostile targets --------------------------------------------------- */

/* Host pid of a process whose argv[0] is `marker`, or -1. */
static pid_t find_marker(const char *marker)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t found = -1;

	if (!d)
		return -1;
	while ((de = readdir(d)) && found < 0) {
		char path[300], buf[256];
		FILE *f;
		size_t n;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		if (!strcmp(buf, marker))
			found = (pid_t)atol(de->d_name);
	}
	closedir(d);
	return found;
}

TEST(daemon_dies_with_sandbox)
{
	struct sandbox_opts o;
	struct sandbox *s = NULL;
	char marker[64], code[1024], path[64];
	const char *argv[] = {"/usr/bin/python3", "-c", code, NULL};
	pid_t dpid = -1;
	long end;

	snprintf(marker, sizeof(marker), "sbdaemon-%d", (int)getpid());
	snprintf(code, sizeof(code),
		 "import os, time\n"
		 "if os.fork() == 0:\n"
		 "    os.setsid()\n"
		 "    if os.fork() == 0:\n"
		 "        os.execv('/bin/sleep', ['%s', '1000'])\n"
		 "    os._exit(0)\n"
		 "time.sleep(60)\n", marker);
	memset(&o, 0, sizeof(o));
	o.mode = mode;
	o.profile = prof;
	o.argv = argv;
	o.wall_timeout_ms = 30000;
	EXPECT(sandbox_spawn(&o, &s) == 0);
	end = now_ms() + 5000;
	while (dpid < 0 && now_ms() < end) {
		dpid = find_marker(marker);
		if (dpid < 0)
			usleep(20 * 1000);
	}
	sandbox_stop(s);
	EXPECT(dpid > 0);
	snprintf(path, sizeof(path), "/proc/%d", (int)dpid);
	EXPECT(access(path, F_OK) != 0 || find_marker(marker) < 0);
	EXPECT(find_marker(marker) < 0);
}

TEST(killing_parent_or_init_from_inside_is_harmless)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	/* The target's parent is our PID 1: init of its namespace, immune to
	 * signals from inside; kill(-1) reaches only the namespace (and spares
	 * init and the caller). The grader, outside, is untouchable. */
	EXPECT(run_py("import os, signal\n"
		      "for p in (os.getppid(), 1, -1):\n"
		      "    try:\n"
		      "        os.kill(p, signal.SIGKILL)\n"
		      "    except OSError:\n"   /* EPERM when PID 1 runs as another uid */
		      "        pass\n"
		      "print('alive', os.getppid())\n",
		      5000, &out, &r) == 0);
	EXPECT_STR(gbuf_str(&out), "alive 1\n");
	EXPECT(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	EXPECT(r.verdict == NULL);
	gbuf_release(&out);
}

TEST(dangerous_syscalls_denied)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	EXPECT(run_py("import ctypes, os\n"
		      "libc = ctypes.CDLL(None, use_errno=True)\n"
		      "def e(rc): return ctypes.get_errno() if rc == -1 else 0\n"
		      "print(e(libc.ptrace(16, 1, 0, 0)),\n"          /* PTRACE_ATTACH pid 1 */
		      "      e(libc.ptrace(0, 0, 0, 0)),\n"           /* PTRACE_TRACEME */
		      "      e(libc.unshare(0x10000000)),\n"          /* CLONE_NEWUSER */
		      "      e(libc.unshare(0x40000000)),\n"          /* CLONE_NEWNET */
		      "      e(libc.mount(b'none', b'/tmp', b'tmpfs', 0, None)),\n"
		      "      e(libc.syscall(56, 0x10000000 | 17, 0, 0, 0, 0)),\n"  /* clone(NEWUSER) */
		      "      e(libc.syscall(435, 0, 0)))\n",                      /* clone3 */
		      5000, &out, &r) == 0);
	EXPECT_STR(gbuf_str(&out), "1 1 1 1 1 1 38\n");
	gbuf_release(&out);
}

TEST(fork_still_works_under_filter)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	EXPECT(run_sh("(echo child) ; /bin/echo exec-ok | cat", 5000, &out, &r) == 0);
	EXPECT_STR(gbuf_str(&out), "child\nexec-ok\n");
	gbuf_release(&out);
}

TEST(proc_of_pid1_is_private)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	/* PID 1 is non-dumpable: the target cannot reach its descriptors (the
	 * control socket) or memory through /proc. */
	EXPECT(run_sh("ls /proc/1/fd >/dev/null 2>&1 && echo fd-visible;"
		      "cat /proc/1/environ >/dev/null 2>&1 && echo environ-visible;"
		      "ls /proc/self/fd >/dev/null && echo own-ok", 5000, &out, &r) == 0);
	EXPECT_STR(gbuf_str(&out), "own-ok\n");
	gbuf_release(&out);
}

/* ---- remove_tree ------------------------------------------------------------------ */

TEST(remove_tree_never_follows_symlinks)
{
	char top[128], outside[128], p[256], q[256];
	struct stat st;

	path_in(top, sizeof(top), "rmtree");
	path_in(outside, sizeof(outside), "outside");
	EXPECT(mkdir(outside, 0755) == 0);
	snprintf(p, sizeof(p), "%s/keep.txt", outside);
	EXPECT(write_text(p, "keep") == 0);
	EXPECT(mkdir(top, 0755) == 0);
	snprintf(p, sizeof(p), "%s/a", top);
	EXPECT(mkdir(p, 0755) == 0);
	snprintf(p, sizeof(p), "%s/a/b", top);
	EXPECT(mkdir(p, 0755) == 0);
	snprintf(p, sizeof(p), "%s/a/b/f", top);
	EXPECT(write_text(p, "x") == 0);
	snprintf(p, sizeof(p), "%s/a/link-dir", top);
	EXPECT(symlink(outside, p) == 0);
	snprintf(p, sizeof(p), "%s/a/b/link-file", top);
	snprintf(q, sizeof(q), "%s/keep.txt", outside);
	EXPECT(symlink(q, p) == 0);
	snprintf(p, sizeof(p), "%s/a/up", top);
	EXPECT(symlink("../../outside", p) == 0);
	snprintf(p, sizeof(p), "%s/a/b", top);
	EXPECT(chmod(p, 0500) == 0);    /* read-only dir, as a submission may leave */
	EXPECT(sandbox_remove_tree(top) == 0);
	EXPECT(lstat(top, &st) == -1 && errno == ENOENT);
	EXPECT(stat(q, &st) == 0 && st.st_size == 4);
	EXPECT(sandbox_remove_tree(top) == 0);   /* already gone: fine */
	/* A symlink given as the top is unlinked, not followed. */
	EXPECT(symlink(outside, top) == 0);
	EXPECT(sandbox_remove_tree(top) == 0);
	EXPECT(lstat(top, &st) == -1 && stat(q, &st) == 0);
}

/* ---- the install sandbox's options (issue 8) -------------------------------------------- */

/*
 * outbound_net gives an install a network of its own with a way out (pasta:
 * an interface and a default route) but not the host's loopback, except a
 * port named in loopback_ports (an operator's index), and a
 * bind can show a host folder at another path (a staging folder at the
 * env's final path): a listener on the host's loopback is refused and sees
 * nothing, resolv.conf is there, and what the target writes at the inside
 * path lands in the host folder, while the inside path does not exist on
 * the host. (That the registries are reachable is what the suite's
 * environment builds from PyPI show: tests talk to loopback only.)
 */
TEST(outbound_net_and_bind_elsewhere)
{
	char stage[128], final[128], made[160], log[128], code[1024];
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	struct gbuf out = GBUF_INIT(0);
	struct sandbox_bind b;
	struct sandbox_opts o;
	struct sandbox *s = NULL;
	struct stat st;
	int tcp, idx, c = -1, wst = -1, idx_port;

	path_in(stage, sizeof(stage), "stage");
	path_in(final, sizeof(final), "published/final");
	path_in(log, sizeof(log), "share-log.txt");
	EXPECT(mkdir(stage, 0755) == 0);
	if (geteuid() == 0)
		EXPECT(chown(stage, sandbox_host_uid(mode, 7), sandbox_host_uid(mode, 7)) == 0);
	tcp = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	EXPECT(bind(tcp, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(tcp, 8) == 0);
	/* A second listener stands for an operator's package index on the
	 * host's loopback, named to the sandbox (loopback_ports): reachable. */
	idx = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_port = 0;
	EXPECT(bind(idx, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(idx, 8) == 0);
	EXPECT(getsockname(idx, (struct sockaddr *)&sa, &sl) == 0);
	idx_port = ntohs(sa.sin_port);
	EXPECT(getsockname(tcp, (struct sockaddr *)&sa, &sl) == 0);
	snprintf(code, sizeof(code),
		 "import os, socket\n"
		 "try:\n"
		 "    socket.create_connection(('127.0.0.1', %d), timeout=2); print('tcp-connected')\n"
		 "except OSError as e: print('tcp-refused', type(e).__name__)\n"
		 "socket.create_connection(('127.0.0.1', %d), timeout=5).sendall(b'index'); print('index-connected')\n"
		 "routes = [l.split()[:2] for l in open('/proc/net/route').read().splitlines()[1:]]\n"
		 "print('default-route', any(d == '00000000' and i != 'lo' for i, d in routes))\n"
		 "print('resolv', os.path.exists('/etc/resolv.conf'))\n"
		 "open('%s/made.txt', 'w').write('x')\n"
		 "print('stage-hidden', not os.path.exists('%s'))\n",
		 ntohs(sa.sin_port), idx_port, final, stage);
	b.src = stage;
	b.dst = final;
	b.rw = true;
	memset(&o, 0, sizeof(o));
	o.mode = mode;
	o.profile = prof;
	o.argv = (const char *const[]){"/usr/bin/python3", "-c", code, NULL};
	o.envp = ENVP;
	o.binds = &b;
	o.nbinds = 1;
	o.log_path = log;
	o.wall_timeout_ms = 20000;
	o.slot = 7;
	o.outbound_net = true;
	o.loopback_ports = &idx_port;
	o.nloopback_ports = 1;
	if (sandbox_spawn(&o, &s) < 0)
		printf("# spawn: %s\n", err_last());
	EXPECT(s != NULL);
	if (s)
		EXPECT(sandbox_wait(s, &wst) == 0);
	sandbox_stop(s);
	/* pasta was killed at the stop, its exit perhaps still under way;
	 * once the deferred reaps are done no child of ours is left. */
	sandbox_reap_deferred();
	EXPECT(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
	EXPECT(gbuf_read_file(&out, log) == 0);
	if (wst != 0)
		printf("# status %#x, output: %.800s\n", wst, gbuf_str(&out));
	EXPECT(wst == 0);
	EXPECT_STR(gbuf_str(&out), access("/etc/resolv.conf", F_OK) == 0
		   ? "tcp-refused ConnectionRefusedError\nindex-connected\ndefault-route True\nresolv True\nstage-hidden True\n"
		   : "tcp-refused ConnectionRefusedError\nindex-connected\ndefault-route True\nresolv False\nstage-hidden True\n");
	c = accept(tcp, NULL, NULL);   /* non-blocking: nothing ever arrived */
	EXPECT(c < 0 && errno == EAGAIN);
	c = accept(idx, NULL, NULL);   /* the index got its connection */
	EXPECT(c >= 0);
	if (c >= 0)
		close(c);
	c = -1;
	close(idx);
	snprintf(made, sizeof(made), "%s/made.txt", stage);
	EXPECT(stat(made, &st) == 0);
	EXPECT(lstat(final, &st) < 0 && errno == ENOENT);
	if (c >= 0)
		close(c);
	close(tcp);
	gbuf_release(&out);
}

/*
 * sandbox_seal_tree publishes what a build wrote: no write bit anywhere,
 * no setuid, FIFOs gone, owned by the grader; symlinks are not followed
 * (their targets keep their modes).
 */
TEST(seal_tree_publishes_read_only)
{
	char top[128], outside[128], p[256];
	struct stat st;

	path_in(top, sizeof(top), "seal");
	path_in(outside, sizeof(outside), "seal-outside.txt");
	EXPECT(write_text(outside, "keep") == 0 && chmod(outside, 0666) == 0);
	EXPECT(mkdir(top, 0777) == 0);
	snprintf(p, sizeof(p), "%s/lib", top);
	EXPECT(mkdir(p, 0777) == 0);
	snprintf(p, sizeof(p), "%s/lib/mod.py", top);
	EXPECT(write_text(p, "x = 1\n") == 0 && chmod(p, 0666) == 0);
	snprintf(p, sizeof(p), "%s/lib/tool", top);
	EXPECT(write_text(p, "#!/bin/sh\n") == 0 && chmod(p, 04777) == 0);
	snprintf(p, sizeof(p), "%s/lib/fifo", top);
	EXPECT(mkfifo(p, 0666) == 0);
	snprintf(p, sizeof(p), "%s/lib/out", top);
	EXPECT(symlink(outside, p) == 0);
	if (geteuid() == 0)   /* as a build's files are: the sandbox's uid */
		EXPECT(lchown(top, 60007, 60007) == 0);
	EXPECT(sandbox_seal_tree(top) == 0);
	EXPECT(stat(top, &st) == 0 && (st.st_mode & 07777) == 0555 && st.st_uid == geteuid());
	snprintf(p, sizeof(p), "%s/lib", top);
	EXPECT(stat(p, &st) == 0 && (st.st_mode & 07777) == 0555);
	snprintf(p, sizeof(p), "%s/lib/mod.py", top);
	EXPECT(stat(p, &st) == 0 && (st.st_mode & 07777) == 0444);
	snprintf(p, sizeof(p), "%s/lib/tool", top);
	EXPECT(stat(p, &st) == 0 && (st.st_mode & 07777) == 0555);
	snprintf(p, sizeof(p), "%s/lib/fifo", top);
	EXPECT(lstat(p, &st) < 0 && errno == ENOENT);
	snprintf(p, sizeof(p), "%s/lib/out", top);
	EXPECT(lstat(p, &st) == 0 && S_ISLNK(st.st_mode));
	EXPECT(stat(outside, &st) == 0 && (st.st_mode & 07777) == 0666);
	EXPECT(sandbox_remove_tree(top) == 0);
}

/* Descriptors open in this process. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

/* 3000 folders deep (far past PATH_MAX as one path), with files, a few
 * siblings and read-only folders on the way: all removed, with no
 * descriptor left open. */
TEST(remove_tree_has_no_depth_limit)
{
	char top[128];
	struct stat st;
	int fd, nfd, i, fds_before = count_fds();

	path_in(top, sizeof(top), "deep");
	EXPECT(mkdir(top, 0755) == 0);
	fd = open(top, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	EXPECT(fd >= 0);
	for (i = 0; fd >= 0 && i < 3000; i++) {
		int ffd = openat(fd, "f", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		if (ffd >= 0)
			close(ffd);
		if (i % 97 == 0) {
			EXPECT(mkdirat(fd, "sib1", 0755) == 0 && mkdirat(fd, "sib2", 0755) == 0);
			EXPECT(symlinkat("/etc", fd, "link") == 0);
		}
		EXPECT(mkdirat(fd, "d", 0755) == 0);
		nfd = openat(fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (i % 501 == 0)
			EXPECT(fchmod(fd, 0500) == 0);
		close(fd);
		fd = nfd;
	}
	if (fd >= 0)
		close(fd);
	EXPECT(sandbox_remove_tree(top) == 0);
	EXPECT(lstat(top, &st) == -1 && errno == ENOENT);
	EXPECT(stat("/etc/passwd", &st) == 0);
	EXPECT_INT(count_fds(), fds_before);
}

/* ---- memory, disk, sockets, what PID 1 shows (issue 8) ------------------------------------- */

/* A memory cgroup can be made here: root, cgroup v1 memory hierarchy. */
static bool have_memcg(void)
{
	return geteuid() == 0 && access("/sys/fs/cgroup/memory/cgroup.procs", W_OK) == 0;
}

/* Largest "held N" the script printed (MiB). */
static long held_mib(const char *out)
{
	const char *p = out;
	long best = -1;

	while ((p = strstr(p, "held "))) {
		long v = atol(p + 5);

		if (v > best)
			best = v;
		p += 5;
	}
	return best;
}

/* 200 memfds filled to the file-size limit, then 2 GiB of SysV segments
 * (the IPC namespace's shmall stops them at 512 MiB), then 400 MiB more in a
 * child (each process is under RLIMIT_AS), against 512 MiB in all: the
 * memory cgroup OOM-kills (root), or memfd_create and shmget are refused
 * (unprivileged: no cgroup). Either way at most the limit is ever held.
 * 10 s of CPU: reclaim near the limit spends CPU, and on a loaded machine
 * 2 s ran out first (verdict cpu, a true one, but not the limit tested). */
TEST(memfd_and_shm_are_bounded)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;
	static const char code[] =
		"import ctypes, errno, os\n"
		"held = 0\n"
		"def note(n):\n"
		"    global held\n"
		"    held += n\n"
		"    print('held', held >> 20, flush=True)\n"
		"chunk = b'x' * (1 << 20)\n"
		"try:\n"
		"    fds = []\n"
		"    for i in range(200):\n"
		"        fds.append(os.memfd_create('hog%d' % i))\n"
		"        while True:\n"
		"            try: n = os.write(fds[-1], chunk)\n"
		"            except OSError as e:\n"
		"                if e.errno != errno.EFBIG: raise\n"
		"                break\n"
		"            note(n)\n"
		"except OSError as e:\n"
		"    print('memfd:', type(e).__name__, flush=True)\n"
		"libc = ctypes.CDLL(None, use_errno=True)\n"
		"libc.shmat.restype = ctypes.c_void_p\n"
		"libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]\n"
		"libc.shmdt.argtypes = [ctypes.c_void_p]\n"
		"for i in range(64):\n"
		"    sid = libc.shmget(0, 32 << 20, 0o1600)\n"
		"    if sid < 0:\n"
		"        print('shm:', os.strerror(ctypes.get_errno()), flush=True); break\n"
		"    a = libc.shmat(sid, None, 0)\n"
		"    ctypes.memset(a, 1, 32 << 20); libc.shmdt(a); note(32 << 20)\n"
		"pid = os.fork()\n"
		"if pid == 0:\n"
		"    try:\n"
		"        hog = bytearray(400 << 20); note(len(hog))\n"
		"    finally: os._exit(0)\n"
		"os.waitpid(pid, 0)\n"
		"print('survived', flush=True)\n";

	EXPECT(run_py_in(prof_mem, code, 30000, &out, &r) == 0);
	printf("# memfd/shm: status 0x%x, held at most %ld MiB, verdict %s\n", r.status, held_mib(gbuf_str(&out)),
	       r.verdict ? r.verdict : "none");
	if (held_mib(gbuf_str(&out)) > 512 || !strstr(gbuf_str(&out), "shm: "))
		printf("# output: %.2000s\n", strstr(gbuf_str(&out), "memfd:") ? strstr(gbuf_str(&out), "memfd:") : gbuf_str(&out) + (out.len > 300 ? out.len - 300 : 0));
	EXPECT(held_mib(gbuf_str(&out)) <= 512);
	if (have_memcg()) {
		EXPECT(strstr(gbuf_str(&out), "survived") == NULL);
		EXPECT_STR(r.verdict, "memory");
	} else {
		EXPECT(strstr(gbuf_str(&out), "memfd: PermissionError") != NULL);
		EXPECT(strstr(gbuf_str(&out), "shm: Operation not permitted") != NULL);
	}
	if (strstr(gbuf_str(&out), "survived") || (r.verdict && strcmp(r.verdict, "memory")))
		printf("# output: %.600s\n", gbuf_str(&out));
	gbuf_release(&out);
}

/* An OOM kill late in the CPU budget (2.3 of 3 s spent, as memory reclaim
 * can spend it on a loaded machine) is the memory limit, not the CPU one:
 * a SIGKILL names the CPU limit only near the hard limit. 64 MiB, so that
 * reaching it costs little of the time left before SIGXCPU (2.55 s was
 * too close: on a loaded machine the limit's clock runs ahead of the
 * process's own, and SIGXCPU came first). */
TEST(oom_kill_late_in_cpu_budget_is_memory)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;
	static const char code[] =
		"import os, time\n"
		"while time.process_time() < 2.3: pass\n"
		"print('burnt', time.process_time(), flush=True)\n"
		"chunk = b'x' * (1 << 20)\n"
		"fds = []\n"
		"for i in range(200):\n"
		"    fds.append(os.memfd_create('hog%d' % i))\n"
		"    os.write(fds[-1], chunk)\n"
		"print('survived', flush=True)\n";

	EXPECT(run_py_in(prof_oom, code, 30000, &out, &r) == 0);
	printf("# late OOM: status 0x%x, verdict %s, output %.200s\n", r.status, r.verdict ? r.verdict : "none",
	       gbuf_str(&out));
	EXPECT(strstr(gbuf_str(&out), "burnt") != NULL);
	EXPECT(strstr(gbuf_str(&out), "survived") == NULL);
	EXPECT(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGKILL);
	EXPECT_STR(r.verdict, "memory");
	gbuf_release(&out);
}

/* The state folder is a tmpfs of the run: 6 MiB and 300 inodes in the test
 * profile. Filling either is the disk verdict; the host folder stays empty. */
TEST(state_tmpfs_is_capped)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;
	char code[1024];
	DIR *d;
	struct dirent *de;
	int entries = 0;

	snprintf(code, sizeof(code),
		 "import os\n"
		 "n = 0\n"
		 "try:\n"
		 "    for i in range(40):\n"
		 "        with open('%s/f%%d' %% i, 'wb') as f: f.write(b'x' * (1 << 19)); n += 1\n"
		 "except OSError as e: print('bytes', n, e.strerror)\n"
		 "for i in range(40): os.path.exists('%s/f%%d' %% i) and os.unlink('%s/f%%d' %% i)\n",
		 state_dir, state_dir, state_dir);
	EXPECT(run_py(code, 10000, &out, &r) == 0);
	EXPECT(strstr(gbuf_str(&out), "No space left on device") != NULL);
	EXPECT(atoi(strstr(gbuf_str(&out), "bytes ") ? strstr(gbuf_str(&out), "bytes ") + 6 : "99") < 13);
	EXPECT_STR(r.verdict, "disk");
	snprintf(code, sizeof(code),
		 "import os\n"
		 "n = 0\n"
		 "try:\n"
		 "    for i in range(20000): open('%s/e%%d' %% i, 'w').close(); n += 1\n"
		 "except OSError as e: print('files', n, e.strerror)\n", state_dir);
	EXPECT(run_py(code, 10000, &out, &r) == 0);
	EXPECT(strstr(gbuf_str(&out), "No space left on device") != NULL);
	EXPECT(atoi(strstr(gbuf_str(&out), "files ") ? strstr(gbuf_str(&out), "files ") + 6 : "99999") < 300);
	EXPECT_STR(r.verdict, "disk");
	d = opendir(state_dir);
	EXPECT(d != NULL);
	while (d && (de = readdir(d)))
		entries += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	if (d)
		closedir(d);
	EXPECT_INT(entries, 0);
	gbuf_release(&out);
}

/* A cow path (the app's copy of its checkout): the target reads the host
 * files, edits, deletes and adds some, and fills it: ENOSPC past the state
 * caps (6 MiB here), the disk verdict, and the host folder unchanged. */
TEST(cow_path_writes_stay_in_the_run)
{
	struct sandbox_opts o;
	struct sandbox *s = NULL;
	struct gbuf out = GBUF_INIT(0);
	char cow[128], log[128], keep[160], code[1024];
	const char *cows[1], *argv[] = {"/usr/bin/python3", "-c", code, NULL};
	const char *v = NULL;
	struct stat st;
	int status = -1, entries = 0;
	DIR *d;
	struct dirent *de;

	path_in(cow, sizeof(cow), "cow");
	path_in(log, sizeof(log), "cow.log");
	snprintf(keep, sizeof(keep), "%s/keep.txt", cow);
	cows[0] = cow;
	snprintf(code, sizeof(code),
		 "import os\n"
		 "os.chdir('%s')\n"
		 "print('read', open('keep.txt').read().strip())\n"
		 "open('keep.txt', 'a').write('more\\n')\n"
		 "os.unlink('gone.txt')\n"
		 "os.makedirs('sub/dir')\n"
		 "n = 0\n"
		 "try:\n"
		 "    for i in range(40):\n"
		 "        with open('sub/dir/f%%d' %% i, 'wb') as f: f.write(b'x' * (1 << 19)); n += 1\n"
		 "except OSError as e: print('bytes', n, e.strerror)\n"
		 "print('inside', sorted(os.listdir('.')), open('keep.txt').read().split())\n", cow);
	memset(&o, 0, sizeof(o));
	o.mode = mode;
	o.profile = prof;
	o.argv = argv;
	o.envp = ENVP;
	o.cow_paths = cows;
	o.ncow = 1;
	o.log_path = log;
	o.wall_timeout_ms = 20000;
	o.slot = 7;
	EXPECT(stat(keep, &st) == 0);
	EXPECT(sandbox_spawn(&o, &s) == 0);
	EXPECT(s && sandbox_wait(s, &status) == 0);
	v = s ? sandbox_verdict(s) : NULL;
	sandbox_stop(s);
	EXPECT(status == 0);
	EXPECT_STR(v, "disk");
	EXPECT(gbuf_read_file(&out, log) == 0);
	EXPECT(strstr(gbuf_str(&out), "read original") != NULL);
	EXPECT(strstr(gbuf_str(&out), "No space left on device") != NULL);
	EXPECT(atoi(strstr(gbuf_str(&out), "bytes ") ? strstr(gbuf_str(&out), "bytes ") + 6 : "99") < 13);
	EXPECT(strstr(gbuf_str(&out), "inside ['keep.txt', 'sub'] ['original', 'more']") != NULL);
	/* The host folder: as it was. */
	gbuf_reset(&out);
	EXPECT(gbuf_read_file(&out, keep) == 0);
	EXPECT_STR(gbuf_str(&out), "original\n");
	d = opendir(cow);
	while (d && (de = readdir(d)))
		entries += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	if (d)
		closedir(d);
	EXPECT_INT(entries, 2);
	if (strstr(gbuf_str(&out), "more") || v == NULL) {
		gbuf_reset(&out);
		(void)gbuf_read_file(&out, log);
		printf("# output: %.600s\n", gbuf_str(&out));
	}
	gbuf_release(&out);
}

/* While the target still runs, sandbox_verdict() asks PID 1: a view that
 * filled the disk during the checks is named before the app is stopped. */
TEST(verdict_is_live_while_running)
{
	struct sandbox_opts o;
	struct sandbox *s = NULL;
	char code[512];
	const char *argv[] = {"/usr/bin/python3", "-c", code, NULL};
	const char *v = NULL;
	long until;

	snprintf(code, sizeof(code),
		 "import time\n"
		 "try:\n"
		 "    for i in range(64):\n"
		 "        with open('%s/big%%d' %% i, 'wb') as f: f.write(b'x' * (1 << 19))\n"
		 "except OSError: pass\n"
		 "time.sleep(60)\n", state_dir);
	memset(&o, 0, sizeof(o));
	o.mode = mode;
	o.profile = prof;
	o.argv = argv;
	o.envp = ENVP;
	o.state_path = state_dir;
	o.wall_timeout_ms = 30000;
	o.slot = 7;
	EXPECT(sandbox_spawn(&o, &s) == 0);
	until = now_ms() + 10000;
	while (s && now_ms() < until && !sandbox_exited(s, NULL)) {
		v = sandbox_verdict(s);
		if (v)
			break;
		usleep(50000);
	}
	EXPECT(s && !sandbox_exited(s, NULL));
	EXPECT_STR(v, "disk");
	sandbox_stop(s);
}

/* Continues PID 1 (stopped by the test) a moment after the test has
 * asked it a question, so the question is queued before PID 1 runs. */
static void *continue_later(void *arg)
{
	usleep(50 * 1000);
	kill(*(pid_t *)arg, SIGCONT);
	return NULL;
}

/* Waits up to 5 s for "mark N" in the log file, without asking PID 1. */
static bool log_has_mark(struct gbuf *log, const char *path, int n)
{
	char mark[32];
	long end = now_ms() + 5000;
	bool found = false;

	snprintf(mark, sizeof(mark), "mark %d\n", n);
	while (!found && now_ms() < end) {
		gbuf_reset(log);
		found = gbuf_read_file(log, path) >= 0 && strstr(gbuf_str(log), mark);
		if (!found)
			usleep(10 * 1000);
	}
	return found;
}

/* sandbox_sync_log: what the target wrote before it answered is in the log
 * as soon as the answer is read (the grader quotes a 500's traceback from
 * it). The race is made certain rather than likely: each round PID 1 is
 * stopped while the target fills its pipe (widened to 1 MiB, the most an
 * unprivileged process may have) with a megabyte ending in a mark, and the
 * question reaches PID 1 before it runs again, so its loop sees the
 * question and the full pipe at once. PID 1 copies a pipe 64 KiB per turn:
 * without the drain before its answer the mark is not in the log yet
 * (test_messages lost a cause that way, on a loaded machine). Seven
 * rounds: the log's head keeps the first half of log_limit in the file. */
TEST(log_synced_before_an_answer_is_read)
{
	struct sandbox_opts o;
	struct sandbox *s = NULL;
	struct gbuf log = GBUF_INIT(16 << 20);
	char logpath[128], mark[32];
	const char *argv[] = {"/usr/bin/python3", "-c",
			      "import fcntl, socket, sys\n"
			      "fcntl.fcntl(1, 1031, 1 << 20)\n"   /* F_SETPIPE_SZ */
			      "s = socket.socket()\n"
			      "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
			      "s.bind(('127.0.0.1', 8000)); s.listen(1)\n"
			      "c, _ = s.accept()\n"
			      "fill = b'x' * ((1 << 20) - 4096) + b'\\n'\n"
			      "for i in range(7):\n"
			      "    if c.recv(1) != b'g': break\n"
			      "    sys.stdout.buffer.write(fill + b'mark %d\\n' % i); sys.stdout.flush()\n"
			      "    c.sendall(b'x')\n",
			      NULL};
	long end;
	int fd = -1, i, missed = 0, synced = 0;
	pid_t pid1;
	pthread_t th;
	char byte;
	cpu_set_t one, all;
	struct sched_param rt = {.sched_priority = 1}, other = {.sched_priority = 0};

	path_in(logpath, sizeof(logpath), "sync-log.txt");
	/* One CPU for the test, PID 1 and the target (inherited), and the
	 * test's thread real-time once they are spawned: when PID 1 answers,
	 * the test runs at once and reads the log before PID 1 can copy
	 * anything more into it. */
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &one);
	EXPECT(sched_getaffinity(0, sizeof(all), &all) == 0);
	EXPECT(sched_setaffinity(0, sizeof(one), &one) == 0);
	memset(&o, 0, sizeof(o));
	o.mode = mode;
	o.profile = prof;
	o.argv = argv;
	o.envp = ENVP;
	o.log_path = logpath;
	o.log_limit = 16 << 20;
	o.wall_timeout_ms = 20000;
	EXPECT(sandbox_spawn(&o, &s) == 0);
	end = now_ms() + 8000;
	while (s && fd < 0 && now_ms() < end) {
		fd = sandbox_connect(s, 8000);
		if (fd < 0)
			usleep(20 * 1000);
	}
	EXPECT(fd >= 0);
	EXPECT(pthread_setschedparam(pthread_self(), SCHED_FIFO, &rt) == 0);
	pid1 = s ? sandbox_pid(s) : 0;
	for (i = 0; fd >= 0 && pid1 > 0 && i < 7; i++) {
		struct pollfd pf = {fd, POLLIN, 0};

		/* The last round's megabyte all copied first (PID 1 runs while
		 * this thread sleeps): the pipe then has room for this one. */
		if (i > 0 && !log_has_mark(&log, logpath, i - 1))
			break;
		if (kill(pid1, SIGSTOP) < 0)
			break;
		if (write(fd, "g", 1) != 1 || poll(&pf, 1, 5000) != 1 || read(fd, &byte, 1) != 1) {
			kill(pid1, SIGCONT);
			break;
		}
		if (pthread_create(&th, NULL, continue_later, &pid1) != 0) {
			kill(pid1, SIGCONT);
			break;
		}
		synced += sandbox_sync_log(s) == 0;
		pthread_join(th, NULL);
		snprintf(mark, sizeof(mark), "mark %d\n", i);
		gbuf_reset(&log);
		if (gbuf_read_file(&log, logpath) < 0 || !strstr(gbuf_str(&log), mark))
			missed++;
	}
	pthread_setschedparam(pthread_self(), SCHED_OTHER, &other);
	sched_setaffinity(0, sizeof(all), &all);
	if (fd >= 0)
		close(fd);
	sandbox_stop(s);
	printf("# %d rounds, %d synced, %d marks missing\n", i, synced, missed);
	EXPECT(i == 7);
	EXPECT(synced == 7);
	EXPECT(missed == 0);
	gbuf_release(&log);
}

/* Only Unix, IPv4 and IPv6 sockets: AF_VSOCK reaches the host through any
 * network namespace; the rest is kernel surface no app needs. */
TEST(socket_families_are_allowlisted)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	EXPECT(run_py("import socket, errno, ctypes\n"
		      "for name, fam, kind in (('vsock', 40, socket.SOCK_STREAM), ('packet', 17, socket.SOCK_RAW),\n"
		      "                        ('netlink', 16, socket.SOCK_RAW), ('alg', 38, socket.SOCK_SEQPACKET),\n"
		      "                        ('unix', 1, socket.SOCK_STREAM), ('inet', 2, socket.SOCK_STREAM),\n"
		      "                        ('inet6', 10, socket.SOCK_STREAM)):\n"
		      "    try:\n"
		      "        socket.socket(fam, kind).close(); print(name, 'ok')\n"
		      "    except OSError as e: print(name, errno.errorcode[e.errno])\n"
		      "try:\n"
		      "    socket.socketpair(40, socket.SOCK_STREAM); print('pair-vsock ok')\n"
		      "except OSError as e: print('pair-vsock', errno.errorcode[e.errno])\n"
		      "libc = ctypes.CDLL(None, use_errno=True)\n"
		      "libc.syscall.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_long, ctypes.c_long]\n"
		      "fd = libc.syscall(41, (1 << 32) | 40, 1, 0)\n"
		      "print('high-bits', fd, errno.errorcode.get(ctypes.get_errno()))\n",
		      10000, &out, &r) == 0);
	EXPECT_STR(gbuf_str(&out), "vsock EAFNOSUPPORT\npacket EAFNOSUPPORT\nnetlink EAFNOSUPPORT\n"
		   "alg EAFNOSUPPORT\nunix ok\ninet ok\ninet6 ok\npair-vsock EAFNOSUPPORT\n"
		   "high-bits -1 EAFNOSUPPORT\n");
	gbuf_release(&out);
}

/* /proc/1/cmdline inside is our neutral name, not the grader's command
 * line (which names host paths, the database, the submission's source). */
TEST(pid1_cmdline_is_neutral)
{
	struct gbuf out = GBUF_INIT(0);
	struct run r;

	EXPECT(run_py("import os\n"
		      "print(repr(open('/proc/1/cmdline', 'rb').read().rstrip(b'\\0')))\n"
		      "print(open('/proc/1/comm').read().strip())\n"
		      "m = open('/proc/self/mountinfo').read()\n"
		      "print('build/san' in m and 'grader-binary-in-mountinfo' or 'mountinfo-ok')\n",
		      10000, &out, &r) == 0);
	EXPECT_STR(gbuf_str(&out), "b'sandbox-init'\nsandbox-init\nmountinfo-ok\n");
	gbuf_release(&out);
}

/* Our memory cgroup's path, as /proc/self/cgroup names it ("" if none). */
static void own_memory_cgroup(char *own, size_t n)
{
	char line[600];
	FILE *f = fopen("/proc/self/cgroup", "r");

	own[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, ":memory:"))
			snprintf(own, n, "%s", strstr(line, ":memory:") + 8);
	if (f)
		fclose(f);
	own[strcspn(own, "\n")] = '\0';
}

/* A grader killed with SIGKILL leaves its empty cgroups behind; the next
 * spawn removes those of dead graders beneath its own cgroup. */
TEST(stale_cgroups_are_swept)
{
	char own[512], stale[1024];
	const char *argv[] = {"/bin/true", NULL};
	struct sandbox_opts o;
	struct sandbox *s = NULL;
	struct stat st;
	pid_t dead = fork();
	int wst;

	if (dead == 0)
		_exit(0);
	EXPECT(dead > 0 && waitpid(dead, NULL, 0) == dead);
	own_memory_cgroup(own, sizeof(own));
	EXPECT(own[0] == '/');
	snprintf(stale, sizeof(stale), "/sys/fs/cgroup/memory%s/grader-sandbox-%d-7", strcmp(own, "/") ? own : "",
		 (int)dead);
	EXPECT(mkdir(stale, 0755) == 0);
	memset(&o, 0, sizeof(o));
	o.mode = mode;
	o.profile = prof;
	o.argv = argv;
	EXPECT(sandbox_spawn(&o, &s) == 0);
	EXPECT(s && sandbox_wait(s, &wst) == 0);
	sandbox_stop(s);
	EXPECT(stat(stale, &st) < 0 && errno == ENOENT);
	rmdir(stale);
}

/* ---- cost ----------------------------------------------------------------------------- */

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* Median of 20: sandboxed /bin/true vs plain fork+exec. The budget
 * is 100 ms added per submission; a spawn is far below that. */
TEST(bench_spawn_overhead)
{
	long sb[20], plain[20];
	const char *argv[] = {"/bin/true", NULL};
	struct sandbox_opts o;
	int i, st;

	memset(&o, 0, sizeof(o));
	o.mode = mode;
	o.profile = prof;
	o.argv = argv;
	for (i = 0; i < 20; i++) {
		struct timespec a, b;
		struct sandbox *s = NULL;
		pid_t pid;

		clock_gettime(CLOCK_MONOTONIC, &a);
		EXPECT(sandbox_spawn(&o, &s) == 0);
		EXPECT(sandbox_wait(s, &st) == 0 && st == 0);
		sandbox_stop(s);
		clock_gettime(CLOCK_MONOTONIC, &b);
		sb[i] = (b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000;
		clock_gettime(CLOCK_MONOTONIC, &a);
		pid = fork();
		if (pid == 0) {
			execv("/bin/true", (char *const *)argv);
			_exit(127);
		}
		EXPECT(pid > 0 && waitpid(pid, &st, 0) == pid && st == 0);
		clock_gettime(CLOCK_MONOTONIC, &b);
		plain[i] = (b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000;
	}
	qsort(sb, 20, sizeof(long), cmp_long);
	qsort(plain, 20, sizeof(long), cmp_long);
	printf("# bench: sandboxed /bin/true median %ld us, plain fork+exec %ld us, overhead %ld us (%s)\n",
	       (sb[9] + sb[10]) / 2, (plain[9] + plain[10]) / 2,
	       (sb[9] + sb[10]) / 2 - (plain[9] + plain[10]) / 2, sandbox_mode_name(mode));
	/* Relative to the plain fork+exec measured in the same run (on a box
	 * where several builds compete, an absolute bound fails for reasons
	 * that are not the sandbox's); the issue's own figure (<= 100 ms per
	 * graded submission, sandboxed vs --unsafe-no-sandbox) is `make bench`. */
	EXPECT((sb[9] + sb[10]) / 2 < 4 * ((plain[9] + plain[10]) / 2) + 100000);
}

/* ---- setup and the unprivileged run ---------------------------------------------- */

/* sandboxes/NAME.yaml in tmpdir, the unit tests' small limits with this
 * memory (MiB) and CPU (s), loaded into *p (freed by teardown). */
static int profile_make(const char *name, int mem_mib, int cpu_s, struct sandbox_profile **p)
{
	char path[160], rel[64], text[320];

	snprintf(rel, sizeof(rel), "sandboxes/%s.yaml", name);
	path_in(path, sizeof(path), rel);
	snprintf(text, sizeof(text),
		 "description: small limits for the unit tests\n"
		 "limits:\n  memory: %dMiB\n  processes: 64\n  cpu_seconds: %d\n"
		 "  file_size: 1MiB\n  open_files: 256\n  tmp_size: 8MiB\n"
		 "  state_size: 6MiB\n  state_files: 300\n",
		 mem_mib, cpu_s);
	if (write_text(path, text) < 0)
		return -1;
	return sandbox_profile_load(tmpdir, name, p);
}

static int setup(void)
{
	char p[160];

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_sandbox.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	path_in(p, sizeof(p), "sandboxes");
	if (mkdir(p, 0755) < 0)
		return -1;
	if (profile_make("test", 512, 2, &prof) < 0 || profile_make("test-mem", 512, 10, &prof_mem) < 0 ||
	    profile_make("test-oom", 64, 3, &prof_oom) < 0)
		return -1;
	path_in(state_dir, sizeof(state_dir), "state");
	if (mkdir(state_dir, 0700) < 0)
		return -1;
	path_in(p, sizeof(p), "ro");
	if (mkdir(p, 0755) < 0)
		return -1;
	path_in(p, sizeof(p), "ro/data");
	if (write_text(p, "ro-data\n") < 0)
		return -1;
	path_in(p, sizeof(p), "rw");
	if (mkdir(p, 0755) < 0)
		return -1;
	/* A root grader's targets run as host uid 60000+slot: let it write. */
	if (geteuid() == 0 &&
	    chown(p, sandbox_host_uid(SANDBOX_USERNS, 7), sandbox_host_uid(SANDBOX_USERNS, 7)) < 0)
		return -1;
	/* A cow path: owned like the app's copy of its checkout. */
	path_in(p, sizeof(p), "cow");
	if (mkdir(p, 0755) < 0 || (geteuid() == 0 && chown(p, sandbox_host_uid(SANDBOX_USERNS, 7),
							     sandbox_host_uid(SANDBOX_USERNS, 7)) < 0))
		return -1;
	path_in(p, sizeof(p), "cow/keep.txt");
	if (write_text(p, "original\n") < 0 || (geteuid() == 0 && chown(p, sandbox_host_uid(SANDBOX_USERNS, 7),
									sandbox_host_uid(SANDBOX_USERNS, 7)) < 0))
		return -1;
	path_in(p, sizeof(p), "cow/gone.txt");
	if (write_text(p, "gone\n") < 0)
		return -1;
	path_in(p, sizeof(p), "secret");
	if (write_text(p, "secret\n") < 0)
		return -1;
	return sandbox_probe(&mode, NULL);
}

static void teardown(void)
{
	sandbox_profile_free(prof);
	sandbox_profile_free(prof_mem);
	sandbox_profile_free(prof_oom);
	if (sandbox_remove_tree(tmpdir) < 0)
		printf("# cleanup: %s\n", err_last());
}

/* The core tests once more, as `grader-test`: a real unprivileged uid. */
static int run_unprivileged(void)
{
	struct passwd *pw = getpwnam("grader-test");
	pid_t pid;
	int st = 0;

	if (!pw) {
		if (system("useradd --system --no-create-home --shell /usr/sbin/nologin grader-test") != 0)
			return -1;
		pw = getpwnam("grader-test");
		if (!pw)
			return -1;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *const args[] = {(char *)"test_sandbox", (char *)"--unpriv", NULL};

		if (setgroups(0, NULL) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
		    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
			_exit(2);
		execv("/proc/self/exe", args);
		_exit(3);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(unpriv_really_unprivileged)
{
	EXPECT(getuid() != 0 && geteuid() != 0);
}

/*
 * The in-memory scratch folder (sandbox_make_mem_scratch): a new private
 * folder on /dev/shm's tmpfs (this machine has one), 0700, or 0710 with
 * the given group when we are root; none (1) when the tmpfs lacks room.
 */
TEST(mem_scratch_is_private_and_needs_room)
{
	char *p = NULL;
	struct stat st;

	char stale[64], live[64];
	pid_t dead = fork();

	/* A folder left by a grader that is gone (a dead pid's name) is
	 * swept; one of a live process (ours) stays. */
	if (dead == 0)
		_exit(0);
	EXPECT(dead > 0 && waitpid(dead, NULL, 0) == dead);
	snprintf(stale, sizeof(stale), "/dev/shm/grader-%ld-tstale", (long)dead);
	snprintf(live, sizeof(live), "/dev/shm/grader-%ld-tlive", (long)getpid());
	EXPECT(mkdir(stale, 0700) == 0 && mkdir(live, 0700) == 0);
	EXPECT_INT(sandbox_make_mem_scratch(1 << 20, 60123, &p), 0);
	EXPECT(lstat(stale, &st) < 0 && errno == ENOENT);
	EXPECT(lstat(live, &st) == 0);
	rmdir(live);
	EXPECT(p && !strncmp(p, "/dev/shm/grader-", 16));
	EXPECT(p && lstat(p, &st) == 0 && S_ISDIR(st.st_mode));
	if (geteuid() == 0)
		EXPECT(p && (st.st_mode & 07777) == 0710 && st.st_uid == 0 && st.st_gid == 60123);
	else
		EXPECT(p && (st.st_mode & 07777) == 0700 && st.st_uid == geteuid());
	if (p)
		EXPECT_INT(sandbox_remove_tree(p), 0);
	free(p);
	p = (char *)"unchanged";
	EXPECT_INT(sandbox_make_mem_scratch(1ULL << 62, 60123, &p), 1);
	EXPECT(p == NULL);
}

/* Does the line of `text` holding `key` also hold `want`? */
static bool line_has(const char *text, const char *key, const char *want)
{
	const char *k = strstr(text, key), *w;

	if (!k)
		return false;
	while (k > text && k[-1] != '\n')
		k--;
	w = strstr(k, want);
	return w && !memchr(k, '\n', (size_t)(w - k));
}

/*
 * The target is born inside the run's cgroups: the grader moves PID 1 into
 * them while PID 1 builds the root, and PID 1 forks the target only after
 * that (MSG_JOINED). A target that reads its cgroups first thing sees the
 * run's memory and pids cgroups.
 */
TEST(target_starts_in_the_run_cgroups)
{
	const char *argv[] = {"/bin/cat", "/proc/self/cgroup", NULL};
	struct gbuf out = GBUF_INIT(0);
	struct run r;
	bool ran, mem, pids;

	memset(&r, 0, sizeof(r));
	ran = run_argv(argv, 5000, &out, &r) == 0 && WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0;
	mem = line_has(gbuf_str(&out), ":memory:", "/grader-sandbox-");
	pids = line_has(gbuf_str(&out), ":pids:", "/grader-sandbox-");
	if (!mem || !pids)
		printf("# /proc/self/cgroup: %s\n", gbuf_str(&out));
	gbuf_release(&out);
	EXPECT(ran);
	EXPECT(mem);
	EXPECT(pids);
}

/* Our memory cgroups of this process (grader-sandbox-PID-N), one name a
 * line, in the order the directory lists them. */
static void our_memory_cgroups(struct gbuf *out)
{
	char own[512], base[700], prefix[64];
	DIR *d;
	struct dirent *de;

	gbuf_reset(out);
	own_memory_cgroup(own, sizeof(own));
	snprintf(base, sizeof(base), "/sys/fs/cgroup/memory%s", strcmp(own, "/") ? own : "");
	snprintf(prefix, sizeof(prefix), "grader-sandbox-%d-", (int)getpid());
	d = opendir(base);
	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			gbuf_addf(out, "%s\n", de->d_name);
	if (d)
		closedir(d);
}

/* Our memory cgroups once a reservation's thread made its own: polled for
 * up to 2 s (it makes them in the background). */
static void reserved_memory_cgroups(struct gbuf *out)
{
	int i;

	for (i = 0; i < 400; i++) {
		our_memory_cgroups(out);
		if (*gbuf_str(out))
			break;
		usleep(5000);
	}
}

/* Threads of this process now in one of our sandboxes' cgroups. */
static int our_threads_in_sandbox_cgroups(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	struct gbuf cg = GBUF_INIT(0);
	char path[300];
	int n = 0;

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/cgroup", de->d_name);
		gbuf_reset(&cg);
		if (gbuf_read_file(&cg, path) == 0 && strstr(gbuf_str(&cg), "/grader-sandbox-"))
			n++;
	}
	if (d)
		closedir(d);
	gbuf_release(&cg);
	return n;
}

static int count_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* The threads once a joined one is gone from /proc/self/task: the kernel
 * wakes pthread_join at the thread's mm_release, before its exit is
 * through, and the task may be listed a moment longer (seen once under
 * load: 2 where 1 was due). Up to 200 ms for the count to come to `want`. */
static int threads_settled(int want)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int n = count_threads(), i;

	for (i = 0; i < 20 && n != want; i++) {
		nanosleep(&ts, NULL);
		n = count_threads();
	}
	return n;
}

/*
 * sandbox_reserve(): the cgroups made and joined ahead by a thread of ours,
 * which clones PID 1 into them. The target is in the reservation's memory
 * cgroup (the one its thread made before the spawn, no other); the thread is out of
 * it by the time the run ends; stopping the sandbox removes the cgroups,
 * and freeing the reservation ends its thread.
 */
TEST(reserved_cgroups_hold_the_target)
{
	const char *argv[] = {"/bin/cat", "/proc/self/cgroup", NULL};
	struct gbuf before = GBUF_INIT(0), made = GBUF_INIT(0), out = GBUF_INIT(0);
	struct run r;
	int threads = count_threads();
	char name[128] = "";
	bool ran;

	our_memory_cgroups(&before);
	run_rsv = sandbox_reserve(mode, prof);
	EXPECT(run_rsv != NULL);
	reserved_memory_cgroups(&made);
	EXPECT(strlen(gbuf_str(&before)) == 0 && strchr(gbuf_str(&made), '\n') == strrchr(gbuf_str(&made), '\n'));
	snprintf(name, sizeof(name), "/%.*s", (int)strcspn(gbuf_str(&made), "\n"), gbuf_str(&made));
	EXPECT_INT(count_threads(), threads + 1);
	memset(&r, 0, sizeof(r));
	ran = run_argv(argv, 5000, &out, &r) == 0 && WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0;
	EXPECT(ran);
	EXPECT(strlen(name) > 1 && line_has(gbuf_str(&out), ":memory:", name));
	EXPECT(line_has(gbuf_str(&out), ":pids:", "/grader-sandbox-"));
	if (!line_has(gbuf_str(&out), ":memory:", name))
		printf("# reserved %s; /proc/self/cgroup: %s\n", name, gbuf_str(&out));
	EXPECT_INT(our_threads_in_sandbox_cgroups(), 0);
	our_memory_cgroups(&made);
	EXPECT_STR(gbuf_str(&made), "");
	sandbox_reservation_free(run_rsv);
	run_rsv = NULL;
	EXPECT_INT(threads_settled(threads), threads);
	gbuf_release(&before);
	gbuf_release(&made);
	gbuf_release(&out);
}

/*
 * A reservation made for other limits is left alone: the spawn makes its
 * own cgroups, and freeing the reservation removes the one it made.
 * The memory limit holds where the reservation is used: 64 MiB of memfds
 * in a 64 MiB profile end in the OOM killer, verdict "memory".
 */
TEST(reservation_of_other_limits_is_left_alone)
{
	const char *argv[] = {"/bin/cat", "/proc/self/cgroup", NULL};
	struct gbuf made = GBUF_INIT(0), out = GBUF_INIT(0);
	struct run r;
	char name[128] = "";
	static const char hog[] =
		"import os\n"
		"fds = [os.memfd_create('hog%d' % i) for i in range(100)]\n"
		"for f in fds: os.write(f, b'x' * (1 << 20))\n"
		"print('survived', flush=True)\n";

	run_rsv = sandbox_reserve(mode, prof_oom);
	EXPECT(run_rsv != NULL);
	reserved_memory_cgroups(&made);
	snprintf(name, sizeof(name), "/%.*s", (int)strcspn(gbuf_str(&made), "\n"), gbuf_str(&made));
	memset(&r, 0, sizeof(r));
	EXPECT(run_argv(argv, 5000, &out, &r) == 0);
	EXPECT(line_has(gbuf_str(&out), ":memory:", "/grader-sandbox-"));
	EXPECT(strlen(name) > 1 && !line_has(gbuf_str(&out), ":memory:", name));
	our_memory_cgroups(&made);
	EXPECT(strlen(name) > 1 && strstr(gbuf_str(&made), name + 1) != NULL);
	EXPECT(run_py_in(prof_oom, hog, 30000, &out, &r) == 0);
	EXPECT(strstr(gbuf_str(&out), "survived") == NULL);
	EXPECT_STR(r.verdict, "memory");
	sandbox_reservation_free(run_rsv);
	run_rsv = NULL;
	our_memory_cgroups(&made);
	EXPECT_STR(gbuf_str(&made), "");
	gbuf_release(&made);
	gbuf_release(&out);
}

/*
 * A fork while a reservation's thread starts or makes its cgroups: the
 * child allocates (as the fetch's child does, in libgit2) and exits. Under
 * ASan a child forked while that thread held the allocator's lock waited
 * for ever (test_prove's fetch, 7 of about 140 grades); sandbox.c's
 * pthread_atfork guard makes the fork wait for those steps. 50 rounds, a
 * child given 10 s.
 */
TEST(fork_beside_a_reservation_does_not_hang)
{
	int round, hung = 0, failed = 0;
	/* A large address space, as a grader's: the fork copies its page
	 * tables for milliseconds, holding the mm's lock that an allocation's
	 * mmap in the thread then waits for, its allocator lock held. */
	size_t big = (size_t)256 << 20;
	char *ballast = malloc(big);

	if (ballast)
		memset(ballast, 1, big);
	for (round = 0; round < 50; round++) {
		struct sandbox_reservation *rv = sandbox_reserve(mode, prof);
		long until;
		int st = 0;
		pid_t c, w = 0;

		/* Across the thread's first milliseconds: 0 to 3 ms in. */
		usleep((useconds_t)(round % 20) * 150);
		c = fork();
		until = now_ms() + 10000;

		if (c == 0) {
			void *p[400];
			int i;

			for (i = 0; i < 400; i++)
				p[i] = malloc((size_t)(16 + (i % 40) * 24));
			for (i = 0; i < 400; i++)
				free(p[i]);
			_exit(0);
		}
		while (c > 0 && (w = waitpid(c, &st, WNOHANG)) == 0 && now_ms() < until)
			usleep(1000);
		if (c > 0 && w == 0) {
			hung++;
			kill(c, SIGKILL);
			waitpid(c, &st, 0);
		} else if (c < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			failed++;
		}
		sandbox_reservation_free(rv);
	}
	free(ballast);
	EXPECT_INT(hung, 0);
	EXPECT_INT(failed, 0);
}

static void *wait_on_pipe(void *arg)
{
	char c;

	while (read(*(int *)arg, &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/*
 * The probe from a process with another thread (sandbox.h: it may be
 * called from any thread; a batch's or a server's workers may be running).
 * The probe's child is a raw clone() of that process; were it to change
 * its ids through glibc, it would wait for ever for the other thread to
 * follow. Run before anything else probes (the result is then cached); a
 * hang ends the program at the alarm, which counts as a failure.
 */
static void probe_with_another_thread_running(void)
{
	enum sandbox_mode m = SANDBOX_NONE;
	pthread_t th;
	int p[2] = {-1, -1};
	bool started;

	EXPECT(pipe2(p, O_CLOEXEC) == 0);
	started = p[0] >= 0 && pthread_create(&th, NULL, wait_on_pipe, &p[0]) == 0;
	EXPECT(started);
	alarm(60);
	EXPECT_INT(sandbox_probe(&m, NULL), 0);
	alarm(0);
	EXPECT_STR(sandbox_mode_name(m), "userns");
	if (p[1] >= 0)
		close(p[1]);   /* the thread's read returns 0 */
	if (started)
		pthread_join(th, NULL);
	if (p[0] >= 0)
		close(p[0]);
}

int main(int argc, char **argv)
{
	bool unpriv = argc > 1 && !strcmp(argv[1], "--unpriv");

	t_run(unpriv ? "unpriv_probe_with_another_thread_running" : "probe_with_another_thread_running",
	      probe_with_another_thread_running);

	if (setup() < 0) {
		printf("not ok setup - %s\n", err_last());
		return 1;
	}
	if (unpriv) {
		/* Same tests, "unpriv_" names so the counts stay distinct. */
		t_run("unpriv_really_unprivileged", unpriv_really_unprivileged);
		t_run("unpriv_probe_finds_userns", probe_finds_userns);
		t_run("unpriv_inside_uid_is_not_root", inside_uid_is_not_root);
		t_run("unpriv_filesystem_is_confined", filesystem_is_confined);
		t_run("unpriv_proc_shows_only_the_sandbox", proc_shows_only_the_sandbox);
		t_run("unpriv_network_is_its_own", network_is_its_own);
		t_run("unpriv_connect_reaches_app_inside", connect_reaches_app_inside);
		t_run("unpriv_libcurl_reaches_app_through_hook", libcurl_reaches_app_through_hook);
		t_run("unpriv_fork_bomb_is_bounded", fork_bomb_is_bounded);
		t_run("unpriv_memory_hog_is_bounded", memory_hog_is_bounded);
		t_run("unpriv_daemon_dies_with_sandbox", daemon_dies_with_sandbox);
		t_run("unpriv_dangerous_syscalls_denied", dangerous_syscalls_denied);
		t_run("unpriv_proc_of_pid1_is_private", proc_of_pid1_is_private);
		t_run("unpriv_cpu_loop_hits_cpu_limit", cpu_loop_hits_cpu_limit);
		t_run("unpriv_remove_tree_never_follows_symlinks", remove_tree_never_follows_symlinks);
		t_run("unpriv_outbound_net_and_bind_elsewhere", outbound_net_and_bind_elsewhere);
		t_run("unpriv_seal_tree_publishes_read_only", seal_tree_publishes_read_only);
		t_run("unpriv_memfd_and_shm_are_bounded", memfd_and_shm_are_bounded);
		t_run("unpriv_state_tmpfs_is_capped", state_tmpfs_is_capped);
		t_run("unpriv_cow_path_writes_stay_in_the_run", cow_path_writes_stay_in_the_run);
		t_run("unpriv_socket_families_are_allowlisted", socket_families_are_allowlisted);
		t_run("unpriv_pid1_cmdline_is_neutral", pid1_cmdline_is_neutral);
		teardown();
		T_EXIT();
	}
	RUN(profile_default_and_strict_load);
	RUN(profile_errors_have_positions);
	RUN(profile_unknown_syscall_refused_at_spawn);
	RUN(probe_finds_userns);
	RUN(mode_none_refused);
	RUN(missing_path_fails_setup_cleanly);
	RUN(inside_uid_is_not_root);
	RUN(filesystem_is_confined);
	RUN(var_tmp_is_the_tmp_tmpfs);
	RUN(dev_shm_is_the_tmp_tmpfs);
	RUN(proc_shows_only_the_sandbox);
	RUN(network_is_its_own);
	RUN(connect_reaches_app_inside);
	RUN(libcurl_reaches_app_through_hook);
	RUN(parallel_spawns_from_threads);
	RUN(fork_bomb_is_bounded);
	RUN(memory_hog_is_bounded);
	RUN(cpu_loop_hits_cpu_limit);
	RUN(ignored_sigxcpu_hits_hard_cpu_limit);
	RUN(sleeper_hits_wall_time);
	RUN(big_file_hits_output_limit);
	RUN(log_keeps_head_and_tail);
	RUN(daemon_dies_with_sandbox);
	RUN(killing_parent_or_init_from_inside_is_harmless);
	RUN(dangerous_syscalls_denied);
	RUN(fork_still_works_under_filter);
	RUN(proc_of_pid1_is_private);
	RUN(outbound_net_and_bind_elsewhere);
	RUN(seal_tree_publishes_read_only);
	RUN(remove_tree_never_follows_symlinks);
	RUN(remove_tree_has_no_depth_limit);
	RUN(mem_scratch_is_private_and_needs_room);
	RUN(memfd_and_shm_are_bounded);
	if (have_memcg())
		RUN(oom_kill_late_in_cpu_budget_is_memory);
	RUN(state_tmpfs_is_capped);
	RUN(cow_path_writes_stay_in_the_run);
	RUN(verdict_is_live_while_running);
	RUN(log_synced_before_an_answer_is_read);
	RUN(socket_families_are_allowlisted);
	RUN(pid1_cmdline_is_neutral);
	if (have_memcg())
		RUN(stale_cgroups_are_swept);
	if (have_memcg())
		RUN(target_starts_in_the_run_cgroups);
	if (have_memcg())
		RUN(reserved_cgroups_hold_the_target);
	if (have_memcg())
		RUN(reservation_of_other_limits_is_left_alone);
	if (have_memcg())
		RUN(fork_beside_a_reservation_does_not_hang);
	RUN(bench_spawn_overhead);
	if (geteuid() == 0) {
		/* The same core tests on the root back-end (no user namespace,
		 * target as uid 60007). */
		mode = SANDBOX_ROOT;
		t_run("rootmode_inside_uid_is_not_root", inside_uid_is_not_root);
		t_run("rootmode_filesystem_is_confined", filesystem_is_confined);
		t_run("rootmode_var_tmp_is_the_tmp_tmpfs", var_tmp_is_the_tmp_tmpfs);
		t_run("rootmode_proc_shows_only_the_sandbox", proc_shows_only_the_sandbox);
		t_run("rootmode_network_is_its_own", network_is_its_own);
		t_run("rootmode_connect_reaches_app_inside", connect_reaches_app_inside);
		t_run("rootmode_log_synced_before_an_answer_is_read", log_synced_before_an_answer_is_read);
		t_run("rootmode_fork_bomb_is_bounded", fork_bomb_is_bounded);
		t_run("rootmode_memory_hog_is_bounded", memory_hog_is_bounded);
		t_run("rootmode_daemon_dies_with_sandbox", daemon_dies_with_sandbox);
		t_run("rootmode_dangerous_syscalls_denied", dangerous_syscalls_denied);
		t_run("rootmode_proc_of_pid1_is_private", proc_of_pid1_is_private);
		t_run("rootmode_memfd_and_shm_are_bounded", memfd_and_shm_are_bounded);
		t_run("rootmode_state_tmpfs_is_capped", state_tmpfs_is_capped);
		t_run("rootmode_bench_spawn_overhead", bench_spawn_overhead);
		mode = SANDBOX_USERNS;
	}
	teardown();
	if (geteuid() == 0) {
		int rc = run_unprivileged();

		if (rc < 0) {
			printf("not ok unpriv_run - could not run the tests as grader-test\n");
			t_failures++;
		} else if (rc != 0) {
			t_failures++;
		}
	}
	T_EXIT();
}
