/*
 * boot.c - start the submission's Django app under the keeper or in a
 * sandbox (launch.h) and wait, on the control pipe, for it to report
 * "ready" (docs/boot-protocol.md). app_start runs the phases of "one boot,
 * phase by phase" below, in order.
 *
 * Everything the app writes on the pipe is untrusted: lines are collected in
 * a capped gbuf, parsed with cJSON, and only the fields we expect are taken,
 * type-checked. A submission that writes garbage, dies, or hangs is a boot
 * failure (data for the report), never a grader error.
 */
#include "boot.h"
#include "timeouts.h"
#include "err.h"
#include "launch.h"
#include "monotime.h"
#include "vec.h"

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
#include <unistd.h>

#define BOOT_DEFAULT_OUTPUT ((size_t)1 << 20)
#define BOOT_CONTROL_LIMIT ((size_t)4 << 20)  /* one "ready" line with all sessions */
#define BOOT_TAIL_BYTES 3000                  /* app output quoted in a diagnosis */
#define BOOT_TRACEBACK_BYTES 4000
#define BOOT_EXIT_WAIT_MS 2000                /* after EOF, for the exit status */

struct app {
	struct launch *launch;      /* the keeper or the sandbox (launch.h) */
	char *log_path;
	size_t log_limit;           /* the log's cap (proc.c's klog: half head, half tail) */
	struct boot_info info;
};

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
	/* Room for the entry and the NULL that ends an environment. */
	if (VEC_RESERVE(e->v, e->cap, e->n + 2) < 0) {
		free(copy);
		return -1;
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

/* The last `max` bytes of the log file, none before byte `since`, starting
 * at a line boundary when the cut falls mid-line and a newline follows. */
static int boot_log_tail(const char *path, struct gbuf *out, size_t max, long long since)
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
	/* Nothing before `since` (a byte offset): a later line the caller
	 * waits for must not be mistaken for an earlier one. */
	if (since < 0 || since > (long long)st.st_size)
		since = since < 0 ? 0 : (long long)st.st_size;
	want = (size_t)(st.st_size - since) < max ? (size_t)(st.st_size - since) : max;
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
	if (off > (off_t)since) {
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

	if (boot_log_tail(log_path, &tail, BOOT_TAIL_BYTES, 0) < 0)
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
		return "creating the users or signing them in (as force_login does) failed";
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

/* The "ready" message's required fields are there and of their types. */
static bool boot_ready_valid(const cJSON *m)
{
	const cJSON *port = cJSON_GetObjectItemCaseSensitive(m, "port");
	const cJSON *sessions = cJSON_GetObjectItemCaseSensitive(m, "sessions");

	return cJSON_IsNumber(port) && port->valuedouble >= 1 && port->valuedouble <= 65535 &&
	       json_str(m, "session_cookie") && json_str(m, "csrf_cookie") &&
	       json_str(m, "csrf_header") && (!sessions || cJSON_IsObject(sessions));
}

/* Only the schemes we know: the value reaches the report. */
static const char *boot_auth_scheme(const char *sc)
{
	static const char *const known[] = {"token", "jwt", "basic", "session+token", "session+jwt"};
	size_t i;

	for (i = 0; sc && i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(sc, known[i]))
			return known[i];
	return "session";
}

/* The port, cookie and header names, Django's version, the auth scheme and
 * what migrate found: 1, or -1 out of memory. */
static int boot_take_fields(const cJSON *m, struct boot_info *info, const char *token)
{
	const cJSON *mc = cJSON_GetObjectItemCaseSensitive(m, "migrations_current");
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(m, "migrate_ms");
	const cJSON *an = cJSON_GetObjectItemCaseSensitive(m, "anonymous_csrf");
	const char *pending = json_str(m, "migrations_pending");

	info->port = cJSON_GetObjectItemCaseSensitive(m, "port")->valueint;
	info->session_cookie = boot_strdup_max(json_str(m, "session_cookie"), 256);
	info->csrf_cookie = boot_strdup_max(json_str(m, "csrf_cookie"), 256);
	info->csrf_header = boot_strdup_max(json_str(m, "csrf_header"), 256);
	info->query_token = strdup(token);
	info->django_version = boot_strdup_max(json_str(m, "django_version"), 64);
	info->debug_repr = boot_strdup_max(json_str(m, "debug"), 64);
	info->debug_where = boot_strdup_max(json_str(m, "debug_where"), 160);
	info->media_url_unset = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "media_url_unset"));
	info->login_required_mw = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "login_required_middleware"));
	info->staff_unset = json_str(m, "flags_unset") && strstr(json_str(m, "flags_unset"), "is_staff");
	info->staff_reset = json_str(m, "flags_reset") && strstr(json_str(m, "flags_reset"), "is_staff");
	if (json_str(m, "users_granted") && *json_str(m, "users_granted"))
		info->users_granted = boot_strdup_max(json_str(m, "users_granted"), 256);
	if (json_str(m, "users_granted_nothing") && *json_str(m, "users_granted_nothing"))
		info->users_granted_nothing = boot_strdup_max(json_str(m, "users_granted_nothing"), 256);
	/* Cookie values the app's process chose: one token each, bounded. */
	if (cJSON_IsObject(an) && json_str(an, "session") && json_str(an, "csrf") &&
	    !strpbrk(json_str(an, "session"), "\r\n\t ;,") && !strpbrk(json_str(an, "csrf"), "\r\n\t ;,")) {
		info->anonymous.session_value = boot_strdup_max(json_str(an, "session"), 1024);
		info->anonymous.csrf_value = boot_strdup_max(json_str(an, "csrf"), 256);
	}
	if (json_str(m, "uploads_elsewhere"))
		info->uploads_elsewhere = boot_strdup_max(json_str(m, "uploads_elsewhere"), 120);
	if (json_str(m, "media_url"))
		info->media_url = boot_strdup_max(json_str(m, "media_url"), 100);
	/* Only compared with a form's error text, never shown: bounded. */
	info->required_message = boot_strdup_max(json_str(m, "required_message"), 200);
	info->model_required = boot_strdup_max(json_str(m, "model_required_messages"), 320);
	info->drf_types = boot_strdup_max(json_str(m, "drf_type_messages"), 1200);
	info->form_types = boot_strdup_max(json_str(m, "form_type_messages"), 1600);
	if (json_str(m, "storages_swapped") && *json_str(m, "storages_swapped"))
		info->storages_swapped = boot_strdup_max(json_str(m, "storages_swapped"), 200);
	if (json_str(m, "drf_unknown_settings") && *json_str(m, "drf_unknown_settings"))
		info->drf_unknown = boot_strdup_max(json_str(m, "drf_unknown_settings"), 120);
	if (json_str(m, "sign_in_failed") && *json_str(m, "sign_in_failed"))
		info->sign_in_failed = boot_strdup_max(json_str(m, "sign_in_failed"), 200);
	info->auth_scheme = strdup(boot_auth_scheme(json_str(m, "auth_scheme")));
	if (!info->auth_scheme)
		return -1;
	/* A header name, checked again where it is used (http.c). */
	if (json_str(m, "auth_header") && *json_str(m, "auth_header") &&
	    !(info->auth_header = boot_strdup_max(json_str(m, "auth_header"), 63)))
		return -1;
	{
		const char *sc = json_str(m, "scheme");
		const char *tl = json_str(m, "templates");

		info->https = sc && !strcmp(sc, "https");
		info->templates = tl && !strcmp(tl, "jinja2") ? BOOT_TEMPLATES_JINJA2
				  : tl && !strcmp(tl, "both")	? BOOT_TEMPLATES_BOTH
								: BOOT_TEMPLATES_DJANGO;
	}
	info->migrations_detail = boot_strdup_max(json_str(m, "migrations_detail"), 4000);
	info->migrations_pending = strdup(pending ? pending : "");
	info->migrations_storage = boot_strdup_max(json_str(m, "migrations_storage"), 300);
	if (!info->migrations_pending)
		return -1;
	if (strlen(info->migrations_pending) > 300)
		strcpy(info->migrations_pending + 296, " ...");
	info->migrations_current = cJSON_IsTrue(mc) ? 1 : cJSON_IsFalse(mc) ? 0 : -1;
	info->migrate_ms = cJSON_IsNumber(ms) ? (long)ms->valuedouble : 0;
	if (!info->session_cookie || !info->csrf_cookie || !info->csrf_header || !info->query_token)
		return -1;
	return 1;
}

/* The app's own paths: untrusted text, bounded in count and size. 1, or -1
 * out of memory. */
static int boot_take_url_paths(const cJSON *m, struct boot_info *info)
{
	const cJSON *up = cJSON_GetObjectItemCaseSensitive(m, "url_paths"), *it;
	size_t k = 0;

	if (!cJSON_IsArray(up) || cJSON_GetArraySize(up) == 0)
		return 1;
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
	return 1;
}

/* One user's session: 1, 0 when malformed, -1 out of memory. */
static int boot_take_session(const cJSON *s, struct boot_session *bs)
{
	const char *sv = json_str(s, "session"), *cv = json_str(s, "csrf");
	const char *av = json_str(s, "authorization"), *lv = json_str(s, "login");

	if (!s->string || !sv || !cv)
		return 0;
	bs->username = boot_strdup_max(s->string, 256);
	/* "" where the project stores no session (no sessions app): no
	 * cookie, the API's credential alone (grader_boot.sessions_usable). */
	bs->session_value = sv[0] ? boot_strdup_max(sv, 1024) : NULL;
	bs->csrf_value = boot_strdup_max(cv, 256);
	if (!bs->username || (sv[0] && !bs->session_value) || !bs->csrf_value)
		return -1;
	/* A form field's value: one line, bounded; absent from older boot
	 * modules, then the spec's username is used (engine.c). */
	if (lv) {
		if (strlen(lv) > 256 || strpbrk(lv, "\r\n"))
			return 0;
		if (!(bs->login = strdup(lv)))
			return -1;
	}
	if (!av)
		return 1;
	/* A header value: one line, bounded (a JWT is ~300 bytes). */
	if (strlen(av) > 4096 || strpbrk(av, "\r\n"))
		return 0;
	bs->authorization = strdup(av);
	return bs->authorization ? 1 : -1;
}

/* The sessions object, one member per user: 1, 0 when malformed, -1 out of
 * memory. */
static int boot_take_sessions(const cJSON *sessions, struct boot_info *info)
{
	const cJSON *s;
	size_t n = 0;
	int r = 1;

	cJSON_ArrayForEach(s, sessions)
		n++;
	if (n) {
		info->sessions = calloc(n, sizeof(*info->sessions));
		if (!info->sessions)
			return -1;
	}
	cJSON_ArrayForEach(s, sessions) {
		r = boot_take_session(s, &info->sessions[info->nsessions++]);
		if (r <= 0)
			break;
	}
	return r;
}

/* Fill info from a "ready" message: 1 when it is well-formed, 0 when not,
 * -1 out of memory. */
static int boot_take_ready(const cJSON *m, struct boot_info *info, const char *token)
{
	int r = boot_ready_valid(m) ? boot_take_fields(m, info, token) : 0;

	if (r > 0)
		r = boot_take_url_paths(m, info);
	if (r > 0)
		r = boot_take_sessions(cJSON_GetObjectItemCaseSensitive(m, "sessions"), info);
	return r;
}

static void boot_info_free(struct boot_info *info)
{
	size_t i;

	free(info->debug_where);
	free(info->anonymous.session_value);
	free(info->anonymous.csrf_value);
	for (i = 0; i < info->nsessions; i++) {
		free(info->sessions[i].username);
		free(info->sessions[i].session_value);
		free(info->sessions[i].csrf_value);
		free(info->sessions[i].authorization);
		free(info->sessions[i].login);
	}
	free(info->sessions);
	free(info->session_cookie);
	free(info->csrf_cookie);
	free(info->csrf_header);
	free(info->query_token);
	free(info->migrations_detail);
	free(info->migrations_pending);
	free(info->migrations_storage);
	free(info->django_version);
	free(info->debug_repr);
	free(info->uploads_elsewhere);
	free(info->users_granted);
	free(info->users_granted_nothing);
	free(info->media_url);
	free(info->required_message);
	free(info->model_required);
	free(info->drf_types);
	free(info->form_types);
	free(info->storages_swapped);
	free(info->drf_unknown);
	free(info->sign_in_failed);
	free(info->auth_scheme);
	free(info->auth_header);
	for (i = 0; i < info->nurl_paths; i++)
		free(info->url_paths[i]);
	free(info->url_paths);
	memset(info, 0, sizeof(*info));
}

/* Where a boot stands: waiting for events, or how the wait ended. */
enum boot_state { BS_WAITING, BS_READY, BS_ERROR, BS_BAD_MESSAGE, BS_EOF, BS_TIMED_OUT };

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
		marks[BOOT_NPHASES] = monotime_now_ms();
		return;
	}
	for (i = 0; i < BOOT_NPHASES; i++)
		if (!strcmp(phase, boot_phase_names[i]) && marks[i] < 0)
			marks[i] = monotime_now_ms();
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
 * The last BOOT_TRACEBACK_BYTES of a traceback, starting at a frame's
 * "File" line (else at a line's start): a cut in the middle of a line
 * began the quote with a stray "^^^^" and hid which file it was (h477).
 */
static const char *traceback_tail(const char *tb)
{
	size_t tl = strlen(tb);
	const char *from = tb, *frame, *line;

	if (tl > BOOT_TRACEBACK_BYTES) {
		from = tb + tl - BOOT_TRACEBACK_BYTES;
		frame = strstr(from, "\n  File \"");
		line = strchr(from, '\n');
		if (frame)
			from = frame + 1;
		else if (line)
			from = line + 1;
	}
	return from;
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
		if (tb && *tb && (gbuf_addch(diag, '\n') < 0 || gbuf_adds(diag, traceback_tail(tb)) < 0))
			goto fail;
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

/* After EOF on the control pipe: give the app a moment to finish exiting (it
 * usually already has) so the diagnosis can name its exit status. */
static void boot_wait_exit(struct app *a, long max_ms)
{
	int pfd = pidfd_open(launch_pid(a->launch), 0);
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

/* ---- one boot, phase by phase ------------------------------------------- */

/*
 * What app_start's phases share: each phase fills in what the next one
 * uses, and boot_release() frees whatever the boot got to, on every path.
 * The phases, in order: boot_init, boot_make_secrets, boot_make_env,
 * boot_open_control, boot_spawn, boot_wait_ready; then boot_hand_over
 * (ready) or boot_fail (the diagnosis).
 */
struct boot {
	const struct boot_opts *o;
	struct app *a;              /* the caller's once ready; else stopped here */
	long timeout;               /* ms: o->timeout_ms or GRADER_BOOT_TIMEOUT_MS */
	char secret[51];            /* SECRET_KEY, in the app's environment */
	char token[33];             /* the X-Grader-Queries secret */
	int secfd;                  /* the secrets memfd, fd 4 in the app */
	struct envlist env;
	int ctl[2];                 /* control pipe: the app writes ctl[1] as fd 3 */
	long long deadline;         /* monotime: the end of the wait */
	struct gbuf lines;          /* control bytes not handled yet (a partial line) */
	struct gbuf diag;
	char phase[32];             /* the last phase the app announced */
	long marks[BOOT_NPHASES + 1];
	enum boot_state state;
};

/* Set every field so that boot_release() can run, then make the app's
 * handle and name its log. */
static int boot_init(struct boot *b, const struct boot_opts *o)
{
	const struct gbuf lines = GBUF_INIT(BOOT_CONTROL_LIMIT), diag = GBUF_INIT(16384);
	int rc = -1;

	memset(b, 0, sizeof(*b));
	b->o = o;
	b->timeout = o->timeout_ms > 0 ? o->timeout_ms : GRADER_BOOT_TIMEOUT_MS;
	b->secfd = b->ctl[0] = b->ctl[1] = -1;
	b->lines = lines;
	b->diag = diag;
	snprintf(b->phase, sizeof(b->phase), "start");
	boot_marks_reset(b->marks);
	b->state = BS_WAITING;
	b->a = calloc(1, sizeof(*b->a));
	if (!b->a) {
		err_set("out of memory");
		goto done;
	}
	/* Beside the state folder, not in it: the sandbox cannot reach it, so
	 * the app cannot swap it for a FIFO or a link before we read it. */
	if (asprintf(&b->a->log_path, "%s.log", o->state_dir) < 0) {
		b->a->log_path = NULL;
		err_set("out of memory");
		goto done;
	}
	b->a->log_limit = o->output_limit ? o->output_limit : BOOT_DEFAULT_OUTPUT;
	rc = 0;
done:
	return rc;
}

/* The app's SECRET_KEY, the query token, and the memfd that carries the
 * users and the token (boot_secrets_fd). */
static int boot_make_secrets(struct boot *b)
{
	static const char keychars[] = "abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)";
	char *json = NULL;
	int rc = -1;

	if (boot_random_string(b->secret, 50, keychars) < 0 ||
	    boot_random_string(b->token, 32, "0123456789abcdef") < 0)
		goto done;
	json = boot_secrets_json(b->o->users, b->o->nusers, b->token);
	if (!json) {
		err_set("out of memory");
		goto done;
	}
	b->secfd = boot_secrets_fd(json);
	if (b->secfd < 0)
		goto done;
	rc = 0;
done:
	if (json) {
		explicit_bzero(json, strlen(json));
		free(json);
	}
	return rc;
}

/* The app's environment: the launcher's base (launch_base_env) without the
 * names the grader owns, the boot module's variables, then the caller's. */
static int boot_make_env(struct boot *b)
{
	const struct boot_opts *o = b->o;
	const char *const *base = launch_base_env(o->sandbox_mode);
	char dump_after[32];
	const char *const vars[][2] = {
		{ "GRADER_CONTROL_FD", "3" }, { "GRADER_STATE_DIR", o->state_dir },
		{ "GRADER_SECRETS_FD", "4" }, { "SECRET_KEY", b->secret },
		{ "DJANGO_SECRET_KEY", b->secret }, { "GRADER_BOOT_DUMP_AT_MS", dump_after },
		{ "PYTHONUNBUFFERED", "1" }, { "PYTHONDONTWRITEBYTECODE", "1" },
	};
	size_t i;
	int rc = -1;

	/* The boot module dumps its stacks this long before we give up, so a
	 * timeout's diagnosis shows where the app hung. */
	snprintf(dump_after, sizeof(dump_after), "%lld",
		 monotime_now_ms() + b->timeout - (b->timeout / 4 < 1000 ? b->timeout / 4 : 1000));
	for (i = 0; base[i]; i++)
		if (!env_dropped(base[i]) && env_put(&b->env, base[i]) < 0)
			goto done;
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (env_putf(&b->env, vars[i][0], vars[i][1]) < 0)
			goto done;
	for (i = 0; i < o->nextra_env; i++)
		if (env_put(&b->env, o->extra_env[i]) < 0)
			goto done;
	rc = 0;
done:
	return rc;
}

/* Both ends close-on-exec: the write end reaches the app only as fd 3 (dup2
 * clears the flag there), the read end never leaves the grader. */
static int boot_open_control(struct boot *b)
{
	if (pipe2(b->ctl, O_CLOEXEC) < 0)
		return err_set_errno("cannot create the control pipe");
	return 0;
}

/* Start the boot module under the launcher the mode names (launch.h): the
 * keeper, or a sandbox with the environment, the boot module and the
 * checkout read-only, the app's copy copy-on-write and the state a tmpfs. */
static int boot_spawn(struct boot *b)
{
	const struct boot_opts *o = b->o;
	const char *argv[] = { o->python, "-u", o->boot_script, NULL };
	const int pass[2] = { b->ctl[1], b->secfd };   /* fd 3 and fd 4 in the app */
	const char *cow[] = { o->app_dir };
	struct launch_opts lo = {
		.mode = o->sandbox_mode, .argv = argv, .envp = (const char *const *)b->env.v,
		.cwd = o->project_dir, .pass_fds = pass, .npass_fds = 2,
		.log_path = b->a->log_path,
		.log_limit = b->a->log_limit,
		.profile = o->sandbox_profile, .slot = o->sandbox_slot,
		.reservation = o->sandbox_reservation,
		.ro_paths = o->ro_paths, .nro_paths = o->nro_paths,
		.cow_paths = cow, .ncow_paths = o->app_dir ? 1 : 0,
		.state_path = o->state_dir, .wall_timeout_ms = o->sandbox_wall_ms,
	};
	int rc = -1;

	b->marks[0] = monotime_now_ms();   /* "start": the spawn itself counts */
	if (launch_spawn(&lo, &b->a->launch) < 0)
		goto done;
	/* Only the app holds the write end now: EOF means it is gone. */
	close(b->ctl[1]);
	b->ctl[1] = -1;
	close(b->secfd);
	b->secfd = -1;
	fcntl(b->ctl[0], F_SETFL, O_NONBLOCK);
	rc = 0;
done:
	return rc;
}

/* Handle each complete control line in b->lines, while the boot waits;
 * keep a partial one for later. 0, or -1 when the grader broke. */
static int boot_take_lines(struct boot *b)
{
	struct gbuf *l = &b->lines;
	char *nl;
	int rc = -1;

	while (b->state == BS_WAITING && l->len && (nl = memchr(l->data, '\n', l->len)) != NULL) {
		size_t ll = (size_t)(nl - l->data);
		int st = boot_handle_line(l->data, ll, b->phase, sizeof(b->phase), &b->a->info,
					  b->token, &b->diag);

		if (st < 0)
			goto done;
		b->state = st;
		boot_mark_phase(b->marks, b->phase, st == BS_READY);
		memmove(l->data, nl + 1, l->len - ll - 1);
		l->len -= ll + 1;
		l->data[l->len] = '\0';
	}
	rc = 0;
done:
	return rc;
}

/* Wait, until the deadline, for the control pipe to be readable: 1 when it
 * is, 0 when not yet (state BS_TIMED_OUT once the deadline has passed), -1
 * when the grader broke. */
static int boot_poll_control(struct boot *b)
{
	struct pollfd pf = { b->ctl[0], POLLIN, 0 };
	int left = monotime_left_ms(b->deadline);
	int rc = 0;

	if (left <= 0)
		b->state = BS_TIMED_OUT;
	else if (poll(&pf, 1, left) < 0)
		rc = errno == EINTR ? 0 : err_set_errno("poll");
	else
		rc = pf.revents != 0;
	return rc;
}

/* Read what the app wrote on the control pipe and handle it: EOF (state
 * BS_EOF), 4 MiB without a newline (BS_BAD_MESSAGE), or lines. 0, or -1
 * when the grader broke. */
static int boot_read_control(struct boot *b)
{
	char chunk[65536];
	ssize_t n = read(b->ctl[0], chunk, sizeof(chunk));
	int rc = 0;

	if (n < 0)
		rc = errno == EINTR || errno == EAGAIN ? 0 : err_set_errno("cannot read the control pipe");
	else if (n == 0)
		b->state = BS_EOF;
	else if (gbuf_add(&b->lines, chunk, (size_t)n) < 0)
		rc = -1;
	else if (b->lines.truncated)
		b->state = BS_BAD_MESSAGE;
	else
		rc = boot_take_lines(b);
	return rc;
}

/* The control pipe, phase event by phase event, until "ready", an error
 * event, a bad message, EOF or the deadline (b->state says which). 0, or -1
 * when the grader broke. */
static int boot_wait_ready(struct boot *b)
{
	int rc = 0;

	b->deadline = monotime_deadline(b->timeout);
	while (rc >= 0 && b->state == BS_WAITING) {
		rc = boot_poll_control(b);
		if (rc > 0)
			rc = boot_read_control(b);
	}
	return rc < 0 ? -1 : 0;
}

/* Ready: the phases' durations, and the app becomes the caller's. */
static int boot_hand_over(struct boot *b, struct app **out)
{
	boot_phase_durations(b->marks, b->a->info.phase_ms);
	*out = b->a;
	b->a = NULL;
	return BOOT_READY;
}

/* Why the app stopped before it was ready: its exit status when it has one. */
static void boot_explain_exit(struct boot *b)
{
	struct proc_result r;

	boot_wait_exit(b->a, BOOT_EXIT_WAIT_MS);
	gbuf_addf(&b->diag, "the app stopped before it was ready (last phase: %s", b->phase);
	if (!launch_exited(b->a->launch, &r))
		gbuf_adds(&b->diag, ", it closed the control pipe");
	else if (r.signaled)
		gbuf_addf(&b->diag, ", killed by signal %d", r.term_signal);
	else
		gbuf_addf(&b->diag, ", exit status %d", r.exit_code);
	gbuf_adds(&b->diag, ")");
}

/* The diagnosis's first line for each way of not getting ready (an error
 * event wrote its own, boot_handle_line). The capped buffer keeps what
 * fits: these appends cannot fail otherwise. */
static void boot_explain(struct boot *b)
{
	long t = b->timeout;

	if (b->state == BS_TIMED_OUT && t % 1000)
		gbuf_addf(&b->diag, "the app did not finish booting within %.1f s (last phase: %s)",
			  (double)t / 1000.0, b->phase);
	else if (b->state == BS_TIMED_OUT)
		gbuf_addf(&b->diag, "the app did not finish booting within %ld s (last phase: %s)",
			  t / 1000, b->phase);
	else if (b->state == BS_BAD_MESSAGE)
		gbuf_addf(&b->diag, "the app wrote something that is not a boot message on the "
			  "grader's control pipe (fd 3) during phase %s", b->phase);
	else if (b->state == BS_EOF)
		boot_explain_exit(b);
}

/* Not ready: explain, kill everything, then quote the output (the keeper
 * has flushed its log once it is stopped). -1, or the enum boot_outcome. */
static int boot_fail(struct boot *b, struct gbuf *diagnosis)
{
	enum boot_outcome outcome = b->state == BS_TIMED_OUT ? BOOT_TIMED_OUT : BOOT_FAILED;
	const char *v;
	int rc = -1;

	boot_explain(b);
	/* An "error" message is the app's last word: let it exit so the
	 * sandbox's verdict (which limit it hit) is final before the stop. */
	if (b->state == BS_ERROR)
		boot_wait_exit(b->a, BOOT_EXIT_WAIT_MS);
	launch_stop(b->a->launch);
	v = launch_verdict(b->a->launch);
	if (v)
		gbuf_addf(&b->diag, "\nThe app hit the sandbox's %s limit.", v);
	/* Out of CPU or wall time is a time limit, whoever enforced it
	 * (contracts: status 3 "it timed out"), as during the checks. */
	if (v && (!strcmp(v, "cpu") || !strcmp(v, "wall time")))
		outcome = BOOT_TIMED_OUT;
	if (b->state != BS_ERROR && boot_add_output(b->a->log_path, &b->diag) < 0)
		goto done;
	if (gbuf_add(diagnosis, gbuf_str(&b->diag), b->diag.len) < 0)
		goto done;
	rc = outcome;
done:
	return rc;
}

static void boot_release(struct boot *b)
{
	if (b->ctl[0] >= 0)
		close(b->ctl[0]);
	if (b->ctl[1] >= 0)
		close(b->ctl[1]);
	app_stop(b->a);
	env_free(&b->env);
	if (b->secfd >= 0)
		close(b->secfd);
	gbuf_release(&b->lines);
	gbuf_release(&b->diag);
	explicit_bzero(b->secret, sizeof(b->secret));
	explicit_bzero(b->token, sizeof(b->token));
}

int app_start(const struct boot_opts *o, struct app **out, struct gbuf *diagnosis)
{
	struct boot b;
	int rc = -1;

	*out = NULL;
	if (boot_init(&b, o) < 0 || boot_make_secrets(&b) < 0 || boot_make_env(&b) < 0 ||
	    boot_open_control(&b) < 0 || boot_spawn(&b) < 0 || boot_wait_ready(&b) < 0)
		goto done;
	rc = b.state == BS_READY ? boot_hand_over(&b, out) : boot_fail(&b, diagnosis);
done:
	boot_release(&b);
	return rc;
}

const struct boot_info *app_info(const struct app *a)
{
	return a ? &a->info : NULL;
}

bool app_exited(struct app *a)
{
	return a ? launch_exited(a->launch, NULL) : true;
}

bool app_sandboxed(const struct app *a)
{
	return a && launch_isolated(a->launch);
}

int app_open_socket(void *app)
{
	struct app *a = app;

	return a ? launch_open_socket(a->launch) : -1;
}

const char *app_verdict(struct app *a)
{
	return a ? launch_verdict(a->launch) : NULL;
}

static void log_sizes(const struct app *a, long long *phys, long long *logical, long long *tail);

int app_output_tail(struct app *a, struct gbuf *out, size_t max, long long since)
{
	long long phys, logical, tail;

	if (!a)
		return 0;
	/* `since` is a logical size (app_output_size): the bytes after it
	 * are the file's last ones, within its kept tail. */
	log_sizes(a, &phys, &logical, &tail);
	if (since > 0 && tail > 0)
		since = logical - since >= phys - tail ? tail : phys - (logical - since);
	return boot_log_tail(a->log_path, out, max, since);
}

int app_output_sync(struct app *a)
{
	return a ? launch_sync_log(a->launch) : 1;
}

/*
 * The log's sizes: *phys the file's, *logical the bytes the app wrote,
 * those a capped log dropped counted (proc.c's klog and the sandbox's PID
 * 1 keep the first half of its limit and the last half, "\n[... N bytes
 * dropped ...]\n" or "... of output omitted ..." between them), *tail
 * where the kept tail starts (0: the log is whole). A mark
 * taken as a logical size before a request still finds that request's
 * output once the log is past its cap, where the file's size stops
 * growing (h699: an app printing megabytes of e-mail, its 500's
 * exception never quoted).
 */
static void log_sizes(const struct app *a, long long *phys, long long *logical, long long *tail)
{
	struct stat st;
	char m[64];
	long long n = 0;
	size_t head = a->log_limit / 2;
	ssize_t got;
	int fd, used = 0;

	*phys = *logical = *tail = 0;
	/* Every step takes a mark: a stat alone until the log passes its
	 * head, the only time the note is there to read. */
	if (!a->log_path || stat(a->log_path, &st) != 0)
		return;
	*phys = *logical = (long long)st.st_size;
	if ((long long)st.st_size <= (long long)head ||
	    (fd = open(a->log_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)) < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		*phys = *logical = (long long)st.st_size;
		got = pread(fd, m, sizeof(m) - 1, (off_t)head);
		if (got > 0) {
			m[got] = '\0';
			/* proc.c's words, and the sandbox's PID 1's. */
			if ((sscanf(m, "\n[... %lld bytes dropped ...]\n%n", &n, &used) == 1 ||
			     sscanf(m, "\n[... %lld bytes of output omitted ...]\n%n", &n, &used) == 1) &&
			    used > 0 && n > 0) {
				*logical = (long long)st.st_size - used + n;
				*tail = (long long)head + used;
			}
		}
	}
	close(fd);
}

long long app_output_size(struct app *a)
{
	long long phys, logical, tail;

	if (!a)
		return 0;
	log_sizes(a, &phys, &logical, &tail);
	return logical;
}

void app_stop(struct app *a)
{
	if (!a)
		return;
	launch_free(a->launch);
	boot_info_free(&a->info);
	free(a->log_path);
	free(a);
}
