/*
 * boot.c - start the submission's Django app under a keeper and wait, on the
 * control pipe, for it to report "ready" (docs/boot-protocol.md).
 *
 * Everything the app writes on the pipe is untrusted: lines are collected in
 * a capped gbuf, parsed with cJSON, and only the fields we expect are taken,
 * type-checked. A submission that writes garbage, dies, or hangs is a boot
 * failure (data for the report), never a grader error.
 */
#include "boot.h"
#include "timeouts.h"
#include "err.h"
#include "proc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define BOOT_DEFAULT_TIMEOUT_MS GRADER_BOOT_TIMEOUT_MS
#define BOOT_DEFAULT_OUTPUT ((size_t)1 << 20)
#define BOOT_CONTROL_LIMIT ((size_t)4 << 20)  /* one "ready" line with all sessions */
#define BOOT_TAIL_BYTES 3000                  /* app output quoted in a diagnosis */
#define BOOT_TRACEBACK_BYTES 4000
#define BOOT_EXIT_WAIT_MS 2000                /* after EOF, for the exit status */

struct app {
	struct proc *proc;          /* no sandbox: the keeper */
	struct sandbox *sb;         /* sandboxed: its PID 1 */
	char sb_verdict[32];        /* the verdict, kept after the sandbox is gone */
	char *log_path;
	struct boot_info info;
};

static long boot_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* n random characters from alphabet (kernel CSPRNG), NUL-terminated. */
static int boot_random_string(char *out, size_t n, const char *alphabet)
{
	unsigned char raw[128];
	size_t alen = strlen(alphabet), i;
	ssize_t got;

	if (n > sizeof(raw))
		return err_set("boot: random string too long");
	got = getrandom(raw, n, 0);
	if (got < 0 || (size_t)got != n)
		return err_set_errno("getrandom");
	/* The modulo bias over 256 is irrelevant for secrets of this length. */
	for (i = 0; i < n; i++)
		out[i] = alphabet[raw[i] % alen];
	out[n] = '\0';
	return 0;
}

/* ---- the app's environment ----------------------------------------------- */

struct envlist {
	char **v;
	size_t n, cap;
};

static bool env_name_is(const char *entry, const char *name)
{
	size_t l = strlen(name);

	return strncmp(entry, name, l) == 0 && entry[l] == '=';
}

/* Names the grader owns or that would redirect the app's interpreter: a
 * value inherited from the grader's own environment must not reach it. */
static bool env_dropped(const char *entry)
{
	static const char *const names[] = {
		"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DJANGO_SECRET_KEY", "PYTHONPATH",
		"PYTHONHOME", "PYTHONSTARTUP", "PYTHONINSPECT", "PYTHONWARNINGS", NULL,
	};
	size_t i;

	if (strncmp(entry, "GRADER_", 7) == 0)
		return true;
	for (i = 0; names[i]; i++)
		if (env_name_is(entry, names[i]))
			return true;
	return false;
}

/* Add "NAME=value" (copied), replacing an earlier entry of the same name. */
static int env_put(struct envlist *e, const char *entry)
{
	const char *eq = strchr(entry, '=');
	size_t nl = eq ? (size_t)(eq - entry) : strlen(entry);
	char *copy = strdup(entry);
	size_t i;

	if (!copy)
		return err_set("out of memory");
	for (i = 0; i < e->n; i++) {
		if (strncmp(e->v[i], entry, nl) == 0 && e->v[i][nl] == '=') {
			free(e->v[i]);
			e->v[i] = copy;
			return 0;
		}
	}
	if (e->n + 2 > e->cap) {
		size_t ncap = e->cap ? e->cap * 2 : 64;
		char **nv = realloc(e->v, ncap * sizeof(*nv));

		if (!nv) {
			free(copy);
			return err_set("out of memory");
		}
		e->v = nv;
		e->cap = ncap;
	}
	e->v[e->n++] = copy;
	e->v[e->n] = NULL;
	return 0;
}

static int env_putf(struct envlist *e, const char *name, const char *value)
{
	struct gbuf b = GBUF_INIT(0);
	int rc = -1;

	if (gbuf_addf(&b, "%s=%s", name, value) < 0)
		goto done;
	rc = env_put(e, gbuf_str(&b));
done:
	gbuf_release(&b);
	return rc;
}

static void env_free(struct envlist *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
	e->v = NULL;
	e->n = e->cap = 0;
}

/* The secrets object: {"query_token": TOKEN, "users": [{"username",
 * "password","email","is_staff","is_superuser"}]}. */
static char *boot_secrets_json(const struct user *users, size_t n, const char *token)
{
	cJSON *obj = cJSON_CreateObject();
	cJSON *arr = NULL;
	char *out = NULL;
	char dflt[512];
	size_t i;

	if (!obj || !cJSON_AddStringToObject(obj, "query_token", token))
		goto done;
	arr = cJSON_AddArrayToObject(obj, "users");
	if (!arr)
		goto done;
	for (i = 0; i < n; i++) {
		cJSON *u = cJSON_CreateObject();

		if (!u || !cJSON_AddItemToArray(arr, u))
			goto done;
		if (!cJSON_AddStringToObject(u, "username", users[i].username))
			goto done;
		snprintf(dflt, sizeof(dflt), "%s-grader-pw", users[i].username);
		if (!cJSON_AddStringToObject(u, "password",
					     users[i].password ? users[i].password : dflt))
			goto done;
		snprintf(dflt, sizeof(dflt), "%s@example.invalid", users[i].username);
		if (!cJSON_AddStringToObject(u, "email", users[i].email ? users[i].email : dflt))
			goto done;
		if (!cJSON_AddBoolToObject(u, "is_staff", users[i].is_staff) ||
		    !cJSON_AddBoolToObject(u, "is_superuser", users[i].is_superuser))
			goto done;
	}
	out = cJSON_PrintUnformatted(obj);
done:
	cJSON_Delete(obj);
	return out;
}

/*
 * The secrets go to the app in an anonymous memory file (memfd) passed as
 * fd 4, not in its environment: the boot module reads and closes it before
 * any project code runs, while the initial environment block stays readable
 * at /proc/self/environ for the process's whole life. A memfd rather than a
 * pipe: it is filled before the spawn, so its size never blocks us.
 * Returns the descriptor (close-on-exec, offset 0) or -1.
 */
static int boot_secrets_fd(const char *json)
{
	size_t len = strlen(json), off = 0;
	int fd = memfd_create("grader-secrets", MFD_CLOEXEC);
	int rc = -1;

	if (fd < 0) {
		err_set_errno("memfd_create");
		goto done;
	}
	while (off < len) {
		ssize_t w = write(fd, json + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			err_set_errno("cannot write the secrets file");
			goto done;
		}
		off += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		err_set_errno("lseek");
		goto done;
	}
	rc = fd;
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	return rc;
}

/* ---- output tail --------------------------------------------------------- */

/* The last `max` bytes of the log file, starting at a line boundary when the
 * cut falls mid-line and a newline follows. */
static int boot_log_tail(const char *path, struct gbuf *out, size_t max)
{
	struct stat st;
	char *buf = NULL;
	size_t want, got = 0, skip = 0;
	off_t off;
	int fd = -1;
	int rc = -1;

	/* Never a FIFO (open would block), a device or a link: the log is
	 * ours, but defence in depth costs nothing here. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT) {
			rc = 0;
			goto done;
		}
		err_set_errno("cannot open %s", path);
		goto done;
	}
	if (fstat(fd, &st) < 0) {
		err_set_errno("cannot stat %s", path);
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = gbuf_addf(out, "(the app's log %s is not a regular file)", path);
		goto done;
	}
	want = (size_t)st.st_size < max ? (size_t)st.st_size : max;
	off = st.st_size - (off_t)want;
	buf = malloc(want + 1);
	if (!buf) {
		err_set("out of memory");
		goto done;
	}
	while (got < want) {
		ssize_t n = pread(fd, buf + got, want - got, off + (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set_errno("cannot read %s", path);
			goto done;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (off > 0) {
		char *nl = memchr(buf, '\n', got);

		if (nl && (size_t)(nl - buf) + 1 < got)
			skip = (size_t)(nl - buf) + 1;
	}
	rc = gbuf_add(out, buf + skip, got - skip);
done:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* "\n--- app output (last lines) ---\n..." for a diagnosis. */
static int boot_add_output(const char *log_path, struct gbuf *diag)
{
	struct gbuf tail = GBUF_INIT(BOOT_TAIL_BYTES + 16);
	int rc = -1;

	if (boot_log_tail(log_path, &tail, BOOT_TAIL_BYTES) < 0)
		goto done;
	if (tail.len) {
		if (gbuf_adds(diag, "\n--- app output (last lines) ---\n") < 0 ||
		    gbuf_add(diag, tail.data, tail.len) < 0)
			goto done;
	} else if (gbuf_adds(diag, "\n(the app printed nothing)") < 0) {
		goto done;
	}
	rc = 0;
done:
	gbuf_release(&tail);
	return rc;
}

/* ---- control messages ---------------------------------------------------- */

static const char *phase_failure(const char *phase)
{
	if (!strcmp(phase, "import"))
		return "importing the settings failed";
	if (!strcmp(phase, "setup"))
		return "django.setup() failed";
	if (!strcmp(phase, "migrate"))
		return "migrate failed";
	if (!strcmp(phase, "users"))
		return "creating the users failed";
	if (!strcmp(phase, "serve"))
		return "starting the server failed";
	return "boot failed";
}

static const char *json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* strdup of an untrusted short string, bounded. */
static char *boot_strdup_max(const char *s, size_t max)
{
	return s ? strndup(s, max) : NULL;
}

/* Fill info from a "ready" message; 1 when it is well-formed. */
static int boot_take_ready(const cJSON *m, struct boot_info *info, const char *token)
{
	const cJSON *port = cJSON_GetObjectItemCaseSensitive(m, "port");
	const cJSON *sessions = cJSON_GetObjectItemCaseSensitive(m, "sessions");
	const cJSON *mc = cJSON_GetObjectItemCaseSensitive(m, "migrations_current");
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(m, "migrate_ms");
	const cJSON *s;
	size_t n = 0;

	if (!cJSON_IsNumber(port) || port->valuedouble < 1 || port->valuedouble > 65535 ||
	    !json_str(m, "session_cookie") || !json_str(m, "csrf_cookie") ||
	    !json_str(m, "csrf_header") || (sessions && !cJSON_IsObject(sessions)))
		return 0;
	info->port = port->valueint;
	info->session_cookie = boot_strdup_max(json_str(m, "session_cookie"), 256);
	info->csrf_cookie = boot_strdup_max(json_str(m, "csrf_cookie"), 256);
	info->csrf_header = boot_strdup_max(json_str(m, "csrf_header"), 256);
	info->query_token = strdup(token);
	info->django_version = boot_strdup_max(json_str(m, "django_version"), 64);
	{
		/* Only the schemes we know: the value reaches the report. */
		const char *sc = json_str(m, "auth_scheme");

		info->auth_scheme = strdup(sc && (!strcmp(sc, "token") || !strcmp(sc, "jwt") ||
						  !strcmp(sc, "basic")) ? sc : "session");
		if (!info->auth_scheme)
			return -1;
	}
	info->migrations_detail = boot_strdup_max(json_str(m, "migrations_detail"), 4000);
	info->migrations_pending = strdup(json_str(m, "migrations_pending") ? json_str(m, "migrations_pending") : "");
	if (!info->migrations_pending)
		return -1;
	if (strlen(info->migrations_pending) > 300)
		strcpy(info->migrations_pending + 296, " ...");
	info->migrations_current = cJSON_IsTrue(mc) ? 1 : cJSON_IsFalse(mc) ? 0 : -1;
	info->migrate_ms = cJSON_IsNumber(ms) ? (long)ms->valuedouble : 0;
	if (!info->session_cookie || !info->csrf_cookie || !info->csrf_header || !info->query_token)
		return -1;
	{
		/* The app's own paths: untrusted text, bounded in count and size. */
		const cJSON *up = cJSON_GetObjectItemCaseSensitive(m, "url_paths"), *it;
		size_t k = 0;

		if (cJSON_IsArray(up) && cJSON_GetArraySize(up) > 0) {
			info->url_paths = calloc(300, sizeof(*info->url_paths));
			if (!info->url_paths)
				return -1;
			cJSON_ArrayForEach(it, up) {
				if (k == 300)
					break;
				if (!cJSON_IsString(it) || it->valuestring[0] != '/')
					continue;
				if (!(info->url_paths[k++] = boot_strdup_max(it->valuestring, 200)))
					return -1;
			}
			info->nurl_paths = k;
		}
	}
	cJSON_ArrayForEach(s, sessions)
		n++;
	if (n) {
		info->sessions = calloc(n, sizeof(*info->sessions));
		if (!info->sessions)
			return -1;
	}
	cJSON_ArrayForEach(s, sessions) {
		const char *sv = json_str(s, "session"), *cv = json_str(s, "csrf");
		struct boot_session *bs;

		if (!s->string || !sv || !cv)
			return 0;
		bs = &info->sessions[info->nsessions++];
		bs->username = boot_strdup_max(s->string, 256);
		bs->session_value = boot_strdup_max(sv, 1024);
		bs->csrf_value = boot_strdup_max(cv, 256);
		if (!bs->username || !bs->session_value || !bs->csrf_value)
			return -1;
		if (json_str(s, "authorization")) {
			const char *av = json_str(s, "authorization");

			/* A header value: one line, bounded (a JWT is ~300 bytes). */
			if (strlen(av) > 4096 || strpbrk(av, "\r\n"))
				return 0;
			bs->authorization = strdup(av);
			if (!bs->authorization)
				return -1;
		}
	}
	return 1;
}

static void boot_info_free(struct boot_info *info)
{
	size_t i;

	for (i = 0; i < info->nsessions; i++) {
		free(info->sessions[i].username);
		free(info->sessions[i].session_value);
		free(info->sessions[i].csrf_value);
		free(info->sessions[i].authorization);
	}
	free(info->sessions);
	free(info->session_cookie);
	free(info->csrf_cookie);
	free(info->csrf_header);
	free(info->query_token);
	free(info->migrations_detail);
	free(info->migrations_pending);
	free(info->django_version);
	free(info->auth_scheme);
	for (i = 0; i < info->nurl_paths; i++)
		free(info->url_paths[i]);
	free(info->url_paths);
	memset(info, 0, sizeof(*info));
}

enum boot_state { BS_WAITING, BS_READY, BS_ERROR, BS_BAD_MESSAGE };

static const char *const boot_phase_names[BOOT_NPHASES] = {
	"start", "import", "setup", "migrate", "users", "serve",
};

const char *boot_phase_name(int i)
{
	return i >= 0 && i < BOOT_NPHASES ? boot_phase_names[i] : NULL;
}

static void boot_marks_reset(long marks[BOOT_NPHASES + 1])
{
	int i;

	for (i = 0; i <= BOOT_NPHASES; i++)
		marks[i] = -1;
}

/* Note when `phase` (or, with `ready`, the end of boot) was first seen:
 * marks[i] is phase i's start, marks[BOOT_NPHASES] the "ready" event. */
static void boot_mark_phase(long marks[BOOT_NPHASES + 1], const char *phase, bool ready)
{
	int i;

	if (ready) {
		marks[BOOT_NPHASES] = boot_now_ms();
		return;
	}
	for (i = 0; i < BOOT_NPHASES; i++)
		if (!strcmp(phase, boot_phase_names[i]) && marks[i] < 0)
			marks[i] = boot_now_ms();
}

/* Each phase lasts from its mark to the next later phase's mark (a boot
 * module may skip one); -1 for a phase never seen. */
static void boot_phase_durations(const long marks[BOOT_NPHASES + 1], long out[BOOT_NPHASES])
{
	int i, j;

	for (i = 0; i < BOOT_NPHASES; i++) {
		out[i] = -1;
		for (j = i + 1; marks[i] >= 0 && j <= BOOT_NPHASES; j++)
			if (marks[j] >= 0) {
				out[i] = marks[j] - marks[i];
				break;
			}
	}
}

/*
 * Handle one control line. Returns -1 on grader error, else the new state;
 * `phase` is updated in place, `diag` receives an error event's diagnosis.
 */
static int boot_handle_line(const char *line, size_t len, char *phase, size_t phase_size,
			    struct boot_info *info, const char *token, struct gbuf *diag)
{
	cJSON *m = cJSON_ParseWithLength(line, len);
	const char *ev;
	int st = BS_BAD_MESSAGE;

	if (!m || !cJSON_IsObject(m))
		goto done;
	ev = json_str(m, "event");
	if (!ev)
		goto done;
	if (!strcmp(ev, "phase")) {
		const char *ph = json_str(m, "phase");

		if (!ph)
			goto done;
		snprintf(phase, phase_size, "%s", ph);
		st = BS_WAITING;
	} else if (!strcmp(ev, "error")) {
		const char *ph = json_str(m, "phase");
		const char *msg = json_str(m, "message");
		const char *tb = json_str(m, "traceback");

		if (ph)
			snprintf(phase, phase_size, "%s", ph);
		if (gbuf_addf(diag, "%s: ", phase_failure(phase)) < 0 ||
		    gbuf_add_excerpt(diag, msg ? msg : "(no message)", strlen(msg ? msg : "(no message)"),
				     600) < 0)
			goto fail;
		if (tb && *tb) {
			size_t tl = strlen(tb);
			const char *from = tl > BOOT_TRACEBACK_BYTES ? tb + tl - BOOT_TRACEBACK_BYTES : tb;

			if (gbuf_addch(diag, '\n') < 0 || gbuf_adds(diag, from) < 0)
				goto fail;
		}
		st = BS_ERROR;
	} else if (!strcmp(ev, "ready")) {
		int r = boot_take_ready(m, info, token);

		if (r < 0) {
			err_set("out of memory");
			goto fail;
		}
		st = r ? BS_READY : BS_BAD_MESSAGE;
	}
	/* Unknown events are ignored: newer boot modules may add some. */
	else {
		st = BS_WAITING;
	}
done:
	cJSON_Delete(m);
	return st;
fail:
	cJSON_Delete(m);
	return -1;
}

/* Give the state folder (empty but for what the grader made) to `uid`, so
 * the sandboxed app can write its database and media there. Only when the
 * grader is root: otherwise the uid is the grader's own already. */
static int boot_chown_dir(const char *dir, uid_t uid)
{
	if (geteuid() != 0 || uid == geteuid())
		return 0;
	if (chown(dir, uid, (gid_t)uid) < 0)
		return err_set_errno("cannot give %s to the sandbox's uid %u", dir, (unsigned)uid);
	return 0;
}

/* The app's process (keeper or sandbox PID 1), whichever it runs under. */
static pid_t app_pid(const struct app *a)
{
	return a->sb ? sandbox_pid(a->sb) : proc_pid(a->proc);
}

/* Has the app exited? Fills *r when it has (NULL ok). */
static bool app_proc_exited(struct app *a, struct proc_result *r)
{
	int ws = 0;

	if (!a->sb)
		return a->proc ? proc_exited(a->proc, r) : true;
	if (!sandbox_exited(a->sb, &ws))
		return false;
	if (r) {
		memset(r, 0, sizeof(*r));
		r->signaled = WIFSIGNALED(ws);
		r->term_signal = WIFSIGNALED(ws) ? WTERMSIG(ws) : 0;
		r->exit_code = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	}
	return true;
}

static void app_proc_stop(struct app *a)
{
	const char *v;

	/* Collect PID 1's exit report if it is in: the verdict is only known
	 * from it, and sandbox_stop() frees the sandbox. */
	if (a->sb)
		(void)sandbox_exited(a->sb, NULL);
	v = a->sb ? sandbox_verdict(a->sb) : NULL;

	/* Keep the verdict: it outlives the sandbox in the report. */
	if (v && !a->sb_verdict[0])
		snprintf(a->sb_verdict, sizeof(a->sb_verdict), "%s", v);
	proc_stop(a->proc);
	a->proc = NULL;
	sandbox_stop(a->sb);
	a->sb = NULL;
}

/* After EOF on the control pipe: give the app a moment to finish exiting (it
 * usually already has) so the diagnosis can name its exit status. */
static void boot_wait_exit(struct app *a, long max_ms)
{
	int pfd = pidfd_open(app_pid(a), 0);
	struct pollfd pf;

	if (pfd < 0)
		return;
	pf.fd = pfd;
	pf.events = POLLIN;
	pf.revents = 0;
	while (poll(&pf, 1, (int)max_ms) < 0 && errno == EINTR)
		;
	close(pfd);
}

int app_start(const struct boot_opts *o, struct app **out, struct gbuf *diagnosis)
{
	static const char keychars[] = "abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)";
	struct app *a = NULL;
	struct envlist env = { NULL, 0, 0 };
	struct gbuf lines = GBUF_INIT(BOOT_CONTROL_LIMIT);
	struct gbuf diag = GBUF_INIT(16384);
	char secret[51], token[33], phase[32] = "start";
	long marks[BOOT_NPHASES + 1];
	char *secrets = NULL;
	int secfd = -1;
	char dump_after[32];
	int ctl[2] = { -1, -1 };
	long timeout = o->timeout_ms > 0 ? o->timeout_ms : BOOT_DEFAULT_TIMEOUT_MS;
	long deadline;
	int state = BS_WAITING;
	enum boot_outcome outcome = BOOT_FAILED;
	bool eof = false, timed_out = false;
	size_t i;
	int rc = -1;

	*out = NULL;
	boot_marks_reset(marks);
	a = calloc(1, sizeof(*a));
	if (!a) {
		err_set("out of memory");
		goto done;
	}
	if (boot_random_string(secret, 50, keychars) < 0 ||
	    boot_random_string(token, 32, "0123456789abcdef") < 0)
		goto done;
	/* Beside the state folder, not in it: the sandbox cannot reach it, so
	 * the app cannot swap it for a FIFO or a link before we read it. */
	if (asprintf(&a->log_path, "%s.log", o->state_dir) < 0) {
		a->log_path = NULL;
		err_set("out of memory");
		goto done;
	}
	/* The boot module dumps its stacks this long before we give up, so a
	 * timeout's diagnosis shows where the app hung. */
	snprintf(dump_after, sizeof(dump_after), "%ld",
		 boot_now_ms() + timeout - (timeout / 4 < 1000 ? timeout / 4 : 1000));
	secrets = boot_secrets_json(o->users, o->nusers, token);
	if (!secrets) {
		err_set("out of memory");
		goto done;
	}
	secfd = boot_secrets_fd(secrets);
	if (secfd < 0)
		goto done;

	if (o->sandbox_mode == SANDBOX_NONE) {
		for (i = 0; environ && environ[i]; i++)
			if (!env_dropped(environ[i]) && env_put(&env, environ[i]) < 0)
				goto done;
	} else if (env_putf(&env, "PATH", "/usr/local/bin:/usr/bin:/bin") < 0 ||
		   env_putf(&env, "HOME", "/tmp") < 0 || env_putf(&env, "LANG", "C.UTF-8") < 0 ||
		   env_putf(&env, "TMPDIR", "/tmp") < 0) {
		/* A sandboxed app sees none of the grader's environment: it may
		 * hold tokens, proxies or paths that are not there inside. */
		goto done;
	}
	if (env_putf(&env, "GRADER_CONTROL_FD", "3") < 0 ||
	    env_putf(&env, "GRADER_STATE_DIR", o->state_dir) < 0 ||
	    env_putf(&env, "GRADER_SECRETS_FD", "4") < 0 ||
	    env_putf(&env, "SECRET_KEY", secret) < 0 ||
	    env_putf(&env, "DJANGO_SECRET_KEY", secret) < 0 ||
	    env_putf(&env, "GRADER_BOOT_DUMP_AT_MS", dump_after) < 0 ||
	    env_putf(&env, "PYTHONUNBUFFERED", "1") < 0 ||
	    env_putf(&env, "PYTHONDONTWRITEBYTECODE", "1") < 0)
		goto done;
	for (i = 0; i < o->nextra_env; i++)
		if (env_put(&env, o->extra_env[i]) < 0)
			goto done;

	/* Both ends close-on-exec: the write end reaches the app only as fd 3
	 * (dup2 clears the flag there), the read end never leaves the grader. */
	if (pipe2(ctl, O_CLOEXEC) < 0) {
		err_set_errno("cannot create the control pipe");
		goto done;
	}
	marks[0] = boot_now_ms();   /* "start": the spawn itself counts */
	{
		const char *argv[] = { o->python, "-u", o->boot_script, NULL };
		const int pass[2] = { ctl[1], secfd };  /* fd 3 and fd 4 in the app */
		struct proc_spawn_opts so = {
			.argv = argv,
			.envp = (const char *const *)env.v,
			.cwd = o->project_dir,
			.pass_fds = pass,
			.npass_fds = 2,
			.log_path = a->log_path,
			.log_limit = o->output_limit ? o->output_limit : BOOT_DEFAULT_OUTPUT,
		};

		if (o->sandbox_mode == SANDBOX_NONE) {
			if (proc_spawn(&so, &a->proc) < 0)
				goto done;
		} else {
			const char *cow[] = { o->app_dir };
			/* The state folder is a capped tmpfs of the sandbox's own
			 * (the disk limit), not the host folder of that name; the
			 * app's copy of its checkout is copy-on-write onto another
			 * (what the app writes into its own folder never reaches
			 * the host's disk either). */
			struct sandbox_opts sbo = {
				.mode = o->sandbox_mode, .profile = o->sandbox_profile,
				.argv = argv, .envp = (const char *const *)env.v, .cwd = o->project_dir,
				.ro_paths = o->ro_paths, .nro = o->nro_paths,
				.cow_paths = cow, .ncow = o->app_dir ? 1 : 0,
				.state_path = o->state_dir,
				.pass_fds = pass, .npass_fds = 2,
				.log_path = a->log_path, .log_limit = so.log_limit,
				.wall_timeout_ms = o->sandbox_wall_ms, .slot = o->sandbox_slot,
			};

			/* The app writes its database and media as the sandbox's
			 * own uid, never as the grader's. */
			if (boot_chown_dir(o->state_dir, sandbox_host_uid(o->sandbox_mode, o->sandbox_slot)) < 0 ||
			    sandbox_spawn(&sbo, &a->sb) < 0)
				goto done;
		}
	}
	/* Only the app holds the write end now: EOF means it is gone. */
	close(ctl[1]);
	ctl[1] = -1;
	close(secfd);
	secfd = -1;
	fcntl(ctl[0], F_SETFL, O_NONBLOCK);

	deadline = boot_now_ms() + timeout;
	while (state == BS_WAITING && !eof) {
		struct pollfd pf = { ctl[0], POLLIN, 0 };
		long left = deadline - boot_now_ms();
		char chunk[65536];
		ssize_t n;
		char *nl;

		if (left <= 0) {
			timed_out = true;
			break;
		}
		if (poll(&pf, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			err_set_errno("poll");
			goto done;
		}
		if (!pf.revents)
			continue;
		n = read(ctl[0], chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			err_set_errno("cannot read the control pipe");
			goto done;
		}
		if (n == 0) {
			eof = true;
			break;
		}
		if (gbuf_add(&lines, chunk, (size_t)n) < 0)
			goto done;
		if (lines.truncated) {
			state = BS_BAD_MESSAGE;
			break;
		}
		/* Handle each complete line; keep a partial one for later. */
		while (state == BS_WAITING && lines.len &&
		       (nl = memchr(lines.data, '\n', lines.len)) != NULL) {
			size_t ll = (size_t)(nl - lines.data);

			state = boot_handle_line(lines.data, ll, phase, sizeof(phase), &a->info,
						 token, &diag);
			if (state < 0)
				goto done;
			boot_mark_phase(marks, phase, state == BS_READY);
			memmove(lines.data, nl + 1, lines.len - ll - 1);
			lines.len -= ll + 1;
			lines.data[lines.len] = '\0';
		}
	}

	if (state == BS_READY) {
		boot_phase_durations(marks, a->info.phase_ms);
		outcome = BOOT_READY;
		*out = a;
		a = NULL;
		rc = 0;
		goto done;
	}
	/* Not ready: build the diagnosis, kill everything, then quote the
	 * output (the keeper has flushed its log once proc_stop returns). */
	if (timed_out) {
		outcome = BOOT_TIMED_OUT;
		if (timeout % 1000)
			gbuf_addf(&diag, "the app did not finish booting within %.1f s (last phase: %s)",
				  (double)timeout / 1000.0, phase);
		else
			gbuf_addf(&diag, "the app did not finish booting within %ld s (last phase: %s)",
				  timeout / 1000, phase);
	} else if (state == BS_BAD_MESSAGE) {
		gbuf_addf(&diag, "the app wrote something that is not a boot message on the "
			  "grader's control pipe (fd 3) during phase %s", phase);
	} else if (eof) {
		struct proc_result r;

		boot_wait_exit(a, BOOT_EXIT_WAIT_MS);
		gbuf_addf(&diag, "the app stopped before it was ready (last phase: %s", phase);
		if (app_proc_exited(a, &r)) {
			if (r.signaled)
				gbuf_addf(&diag, ", killed by signal %d", r.term_signal);
			else
				gbuf_addf(&diag, ", exit status %d", r.exit_code);
		} else {
			gbuf_adds(&diag, ", it closed the control pipe");
		}
		gbuf_adds(&diag, ")");
	}
	/* An "error" message is the app's last word: let it exit so the
	 * sandbox's verdict (which limit it hit) is final before the stop. */
	if (state == BS_ERROR)
		boot_wait_exit(a, BOOT_EXIT_WAIT_MS);
	app_proc_stop(a);
	if (a->sb_verdict[0])
		gbuf_addf(&diag, "\nThe app hit the sandbox's %s limit.", a->sb_verdict);
	/* Out of CPU or wall time is a time limit, whoever enforced it
	 * (contracts: status 3 "it timed out"), as during the checks. */
	if (!strcmp(a->sb_verdict, "cpu") || !strcmp(a->sb_verdict, "wall time"))
		outcome = BOOT_TIMED_OUT;
	if (state != BS_ERROR && boot_add_output(a->log_path, &diag) < 0)
		goto done;
	if (gbuf_add(diagnosis, gbuf_str(&diag), diag.len) < 0)
		goto done;
	rc = outcome;
done:
	if (ctl[0] >= 0)
		close(ctl[0]);
	if (ctl[1] >= 0)
		close(ctl[1]);
	app_stop(a);
	env_free(&env);
	if (secfd >= 0)
		close(secfd);
	if (secrets) {
		explicit_bzero(secrets, strlen(secrets));
		free(secrets);
	}
	gbuf_release(&lines);
	gbuf_release(&diag);
	explicit_bzero(secret, sizeof(secret));
	return rc;
}

const struct boot_info *app_info(const struct app *a)
{
	return a ? &a->info : NULL;
}

bool app_exited(struct app *a)
{
	return a ? app_proc_exited(a, NULL) : true;
}

bool app_sandboxed(const struct app *a)
{
	return a && a->sb;
}

int app_open_socket(void *app)
{
	struct app *a = app;

	return a && a->sb ? sandbox_open_socket(a->sb) : -1;
}

const char *app_verdict(struct app *a)
{
	if (!a)
		return NULL;
	if (a->sb)
		return sandbox_verdict(a->sb);
	return a->sb_verdict[0] ? a->sb_verdict : NULL;
}

int app_output_tail(struct app *a, struct gbuf *out, size_t max)
{
	if (!a)
		return 0;
	return boot_log_tail(a->log_path, out, max);
}

void app_stop(struct app *a)
{
	if (!a)
		return;
	app_proc_stop(a);
	boot_info_free(&a->info);
	free(a->log_path);
	free(a);
}
