/*
 * boot.h - start a submission's Django app and stop it again.
 *
 * The grader ships a Python boot module (grader/boot/grader_boot.py, started
 * through grader/boot/run_boot.py so its bytecode is not recompiled) that is
 * run with the submission's interpreter, in the project folder. It applies
 * the settings overlay (contracts §2), runs `migrate`, creates the users,
 * mints force-login sessions and CSRF secrets, starts a threaded WSGI server
 * on a free loopback port and reports each phase and finally "ready" as JSON
 * lines on a control pipe (docs/boot-protocol.md). No log scraping, no
 * polling sleeps: the C side waits on the pipe with poll() and a deadline.
 *
 * Process hygiene: the app runs under a keeper process (proc.h) that is a
 * child subreaper in its own session, or in a sandbox whose PID 1 is ours
 * (sandbox.h), both behind launch.h, so everything the app starts, daemons
 * included, is killed when app_stop() runs or the grader dies.
 *
 * The failure convention of err.h: app_start returns -1 when the grader
 * broke (err_last()), else an enum boot_outcome: BOOT_READY (0), or how the
 * submission failed to boot, with `diagnosis` holding what the student can
 * act on (the traceback's tail, the failing migration).
 *
 * Ownership: app_start() -> app_stop() (which also frees). The boot_info
 * returned by app_info() belongs to the app.
 */
#ifndef GRADER_BOOT_H
#define GRADER_BOOT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "challenge.h"
#include "sandbox.h"

struct app;

struct boot_opts {
	const char *python;         /* interpreter of the submission's environment */
	const char *boot_script;    /* absolute path of run_boot.py (or grader_boot.py) */
	const char *project_dir;    /* folder holding manage.py (inside app_dir when set) */
	const char *app_dir;        /* the app's private writable copy of the checkout
				     * (tree.h), writable in the sandbox; NULL: none */
	/* Run-private folder for the db and media (exists, empty). Sandboxed,
	 * the app gets a capped tmpfs at this path instead (sandbox_opts.
	 * state_path). The app's output goes to "<state_dir>.log", a sibling
	 * the sandbox cannot reach. */
	const char *state_dir;
	const struct user *users;
	size_t nusers;
	long timeout_ms;            /* whole boot: import + migrate + users + listen;
				     * 0: GRADER_BOOT_TIMEOUT_MS (timeouts.h) */
	size_t output_limit;        /* app stdout+stderr kept, default 1 MiB */
	const char *const *extra_env;  /* "NAME=value" added to the app's environment */
	size_t nextra_env;
	/*
	 * Isolation. SANDBOX_NONE runs the app under the keeper (proc.h), with
	 * the grader's environment; any other mode runs it in a sandbox
	 * (sandbox.h) with a minimal environment, `ro_paths` (the environment,
	 * the boot module, the checkout) read-only and only state_dir and
	 * app_dir writable.
	 */
	enum sandbox_mode sandbox_mode;
	const struct sandbox_profile *sandbox_profile;   /* NULL: built-in defaults */
	unsigned sandbox_slot;       /* distinct per concurrent run (root mode uid) */
	/* Cgroups joined ahead (sandbox_reserve); the caller's, freed by it
	 * after app_stop(). NULL: none. */
	struct sandbox_reservation *sandbox_reservation;
	const char *const *ro_paths;
	size_t nro_paths;
	long sandbox_wall_ms;        /* the sandbox's whole life (boot + checks); 0 none */
};

/*
 * Boot phases, in order, as the boot module announces them on the control
 * pipe: "start" (spawn, sandbox set-up, interpreter start, until the first
 * event), "import" (Django and the settings), "setup" (django.setup()),
 * "migrate", "users" (users, sessions, migration check), "serve" (WSGI app,
 * URLconf, sign-in, listen; until "ready"). Measured on the grader's
 * monotonic clock when each event arrives, so the app cannot forge them
 * beyond delaying its own messages.
 */
enum { BOOT_NPHASES = 6 };
const char *boot_phase_name(int i);   /* static string; NULL out of range */

struct boot_session {
	char *username;
	char *session_value;        /* value of the session cookie */
	char *csrf_value;           /* value for the CSRF cookie and header */
	char *authorization;        /* "Token …", "Bearer …", "Basic …" or NULL (sessions only) */
	char *login;                /* what the user signs in with (USERNAME_FIELD's value), or NULL */
};

/* The template languages an app's pages may be written in, from its
 * TEMPLATES: which CSRF tag a form without one is told to take. django-jinja
 * counts as Django's, as it takes {% csrf_token %} (h647). */
enum boot_templates {
	BOOT_TEMPLATES_DJANGO,  /* {% csrf_token %} */
	BOOT_TEMPLATES_JINJA2,  /* Django's Jinja2 backend alone: {{ csrf_input }} */
	BOOT_TEMPLATES_BOTH,    /* Jinja2 beside Django's templates: either, by the page */
};

struct boot_info {
	int port;
	char *session_cookie;       /* settings.SESSION_COOKIE_NAME */
	char *csrf_cookie;          /* settings.CSRF_COOKIE_NAME */
	char *csrf_header;          /* HTTP header name, e.g. "X-CSRFToken" */
	char *query_token;          /* secret for the X-Grader-Queries header */
	struct boot_session *sessions;
	size_t nsessions;
	long migrate_ms;
	int migrations_current;     /* 1 yes, 0 no, -1 unknown */
	char *migrations_detail;    /* what makemigrations --check found, or NULL */
	char *migrations_pending;   /* apps makemigrations would write for ("shop blog"), "" none */
	char *migrations_storage;   /* file fields whose storage's own location the migration
				     * holds ("recipe.image photo.file"), "" none */
	char *django_version;
	bool media_url_unset;       /* MEDIA_URL left empty ("" or "/"): uploads have no prefix */
	bool login_required_mw;     /* MIDDLEWARE holds a LoginRequiredMiddleware: a visitor is sent
				     * to sign in by every view not exempted */
	char *uploads_elsewhere;    /* the default storage's folder when outside MEDIA_ROOT
				     * ("uploads"), else NULL: MEDIA_URL serves none of it */
	char *media_url;            /* settings.MEDIA_URL ("/media/"), or NULL */
	struct boot_session anonymous; /* CSRF_USE_SESSIONS: a session of no user holding a
					* CSRF secret (session_value, csrf_value), else all NULL */
	bool staff_unset;           /* a user to be is_staff could not be: the model's
				     * is_staff is a property without a setter (h399) */
	bool staff_reset;           /* a user the grader made is_staff was stored without it:
				     * the app's own save() or post_save took it back (h907) */
	char *users_granted;        /* the users the app gave a group or permission of
				     * their own ("staff"), names a space between, or NULL */
	char *users_granted_nothing; /* those of them whose groups and permissions grant
				      * no permission at all (h713), the same way, or NULL */
	char *debug_repr;           /* settings.DEBUG as Python writes it ("True", "'False'"),
	                               at most 64 bytes, for debug-off's message */
	char *debug_where;          /* " in shop.settings[, which reads the committed .env]",
				       or NULL: where that DEBUG was read */
	char *required_message;     /* Django's "This field is required." in the app's
	                               LANGUAGE_CODE, or NULL: a missing upload is told
	                               apart in any language (engine.c) */
	char *model_required;       /* a model field's "This field cannot be blank." and
				     * "... cannot be null." in that language, one a line,
				     * or NULL (engine.c: fill_named, h541) */
	char *drf_types;            /* DRF's refusals of a wrong type in that language,
				     * "VALUE\tWORDS" a line (VALUE the JSON asked for),
				     * or NULL: English, or no DRF (engine.c, h585) */
	char *form_types;           /* Django forms' refusals of a wrong type in that
				     * language, "VALUE\tWORDS" a line (VALUE the text
				     * asked for), or NULL: English (engine.c, h605) */
	char *storages_swapped;     /* the remote storages graded as local files
				     * ("storages.backends.s3.S3Storage", ", " between,
				     * at most 200 bytes), or NULL: none */
	char *drf_unknown;          /* REST_FRAMEWORK's keys DRF does not know (a misspelt
				     * EXCEPTION_HANDLER, h1071; ", " between, at most
				     * 120 bytes), or NULL: none */
	char *sign_in_failed;       /* "token: ImportError: ..." where a sign-in the API
				     * takes could not be made (the app's data, at most
				     * 200 bytes, quoted beside a 401), or NULL */
	char *auth_scheme;          /* "session", "token", "jwt", "basic", or "session+token" /
				     * "session+jwt" (both sent; contracts §2) */
	char *auth_header;          /* the header the API reads its token from where it is
	                               not Authorization (SimpleJWT's AUTH_HEADER_NAME,
	                               "X-Access-Token", h644), else NULL */
	bool https;                 /* served as if over TLS (SECURE_SSL_REDIRECT): http.h app_https */
	enum boot_templates templates; /* the languages its pages are written in: the CSRF tag
				     * its forms take */
	char **url_paths;           /* the paths the app serves ("/api/v1/items/{pk}/"), at most
	                               300, for route suggestions; may be empty */
	size_t nurl_paths;
	long phase_ms[BOOT_NPHASES];  /* ms spent in each boot phase (boot_phase_name); -1 not seen */
};

enum boot_outcome {
	BOOT_READY = 0,
	BOOT_FAILED = 1,    /* import error, migration failure, crash: diagnosis says which */
	BOOT_TIMED_OUT = 2,
};

/* -1, or an enum boot_outcome; *out is the running app on BOOT_READY. */
int app_start(const struct boot_opts *o, struct app **out, struct gbuf *diagnosis);
const struct boot_info *app_info(const struct app *a);
/* Has the app process exited? (non-blocking). */
bool app_exited(struct app *a);
/* Last lines of the app's output (at most max bytes, none written before
 * byte offset `since`), appended to out. */
int app_output_tail(struct app *a, struct gbuf *out, size_t max, long long since);
/* 0 once app_output_tail would return all the app wrote before this call;
 * 1 when that cannot be promised (unsandboxed: read again after a pause);
 * -1 + err (launch_sync_log). */
int app_output_sync(struct app *a);
/* How many bytes of output the app has written so far (0 when unknown): a
 * mark for app_output_tail's `since`. */
long long app_output_size(struct app *a);
/* Sandboxed apps are reached through sockets their PID 1 creates inside:
 * plug app_open_socket (ctx = the app) into http_client_opts.open_socket. */
bool app_sandboxed(const struct app *a);
int app_open_socket(void *app);
/* The limit the app hit ("memory", "processes", "cpu", "wall time",
 * "output", "disk"), or NULL; asks a running sandbox (sandbox_verdict). */
const char *app_verdict(struct app *a);
/* Kill the app and every process it started; wait for them; free. NULL ok. */
void app_stop(struct app *a);

#endif
