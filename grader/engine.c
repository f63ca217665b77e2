/*
 * engine.c - run checks: steps become requests, responses meet assertions.
 *
 * State across checks is deliberate: one app is booted per run and checks
 * run in file order, so a check's captures are visible to later checks
 * (which must declare depends_on to rely on them). Each actor keeps its own
 * cookie jar for the whole run.
 *
 * Messages are for students: every failure names what was sent ("POST
 * /api/orders/ as bob"), what came back (status, offending value) and what
 * was expected, cut to MSG_MAX bytes of valid UTF-8.
 */
#include "engine.h"

#include <ctype.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "buf.h"
#include "checkplan.h"
#include "err.h"
#include "html.h"
#include "intr.h"
#include "monotime.h"
#include "query.h"
#include "strlist.h"
#include "vec.h"

/* 400 bytes: room for the request, what came back and the advice after it,
 * where 300 cut the middle of one in ten helpers' messages (h623, h624,
 * h625: "or a view without …", "another up…"); short enough for a
 * gradebook's cell and a terminal's few lines. */
#define MSG_MAX 400
#define APP_LINE_MAX 120 /* bytes of the app's logged line in a message */
/* Django's page for a request its CSRF check refused (views/csrf.py),
 * the same with DEBUG off. */
#define CSRF_FAILED "CSRF verification failed"
/* A 5xx's logged exception raised inside DRF's handle_exception. */
/* DRF's default words for a request not signed in and one refused a
 * permission (NotAuthenticated, PermissionDenied): read by the refusal
 * notes below, one spelling for all of them. */
#define DRF_NOT_AUTHENTICATED "Authentication credentials were not provided."
#define DRF_PERMISSION_DENIED "You do not have permission to perform this action."
#define IN_HANDLER_NOTE " (raised in the API's exception handler while it answered another error)"
/* An exception class of the app's own that reached the server (own_exception);
 * a handler of the project's own left out of REST_FRAMEWORK maps none (h1295). */
#define OWN_EXCEPTION_NOTE " (an exception of the app's own, caught nowhere: an APIException subclass with " \
	"its status_code, an EXCEPTION_HANDLER mapping it, or a try around the call)"
/* A served upload's note that the check's form had no field for it. */
#define ABSENT_NOTE " (the check's form had no field "
#define MEDIA_UNSET_NOTE " (MEDIA_URL is not set"
#define UPLOADS_ELSEWHERE_NOTE " (uploads are stored in "
#define UNPREFIXED_NOTE " (the upload is at "
#define ON_DISK_NOTE " (this src is the file's path on disk"
/* A read answered with a lifetime: the cached notes' openings, which an
 * advisory skip reads as "a kept copy" (cached_page_len). */
#define CACHED_NOTE " (the answer came with Cache-Control: "
#define BARE_CACHED_NOTE " (the bare list looks cached"
#define UNPREFIXED_HEADER "X-Grader-Media-Unprefixed"
/* An object its create answered, on none of the addresses read for it. */
#define ABSENT_EVERYWHERE_NOTE "what its create answered is on neither its page nor the list: does the view's " \
	"queryset, or the model's default manager, hide it?"
#define DASH " \xE2\x80\x94 "   /* before a message's advice */
#define QUERIES_HEADER "X-Grader-Queries"

/*
 * What a step did, returned the err.h way (-1: the grader broke): it
 * passed, the app's answer failed it (the check fails), or the app could
 * not be reached or crashed (the check is an error, not a fail).
 */
enum step_outcome { STEP_PASSED = 0, STEP_FAILED = 1, STEP_APP_FAULT = 2 };

/* What the lanes of a run share (engine_run). */
struct shared {
	/* The app's control channel (the sandbox's PID 1: sockets, exit
	 * status, log) is one socket: one thread at a time. */
	pthread_mutex_t app_lock;
	bool app_dead;        /* under app_lock */
	bool basic_answered;  /* a 401 asking for Basic got it (atomic): "session+basic" */
	bool signin_refused;  /* a signed-in user's request was answered 401 (atomic) */
	bool signin_taken;    /* one changing state was taken, < 400 (atomic): with none, "none" */
	/* ... taken as first sent, no credential added after a refusal
	 * (atomic): with none and Basic answered, Basic did all of it. */
	bool session_taken;
	bool server_error;    /* a step was answered 5xx (atomic): engine_system_checks */
	/* Sessions minted again after a check ended one (sessions_renew),
	 * one entry per boot session: how many times, and the newest
	 * cookie values (malloc'd). Under sess_lock. */
	pthread_mutex_t sess_lock;
	struct renewed {
		long gen;
		char *session;
		char *csrf;
	} *renewed;
};

/* One lane of a run: the checks it runs one after another, with the run's
 * variables as it sees them. A sequential run has one lane. */
/* The times a made-up value refused is sent again as the refusal asks
 * (fill_refine_rounds): a length, then a format. */
#define FILL_REFINE_ROUNDS 3
/* The pages a check's 2xx reads are kept for (read_ok_note): a check
 * reads a few dozen at most. */
#define READ_OK_MAX 64

struct run {
	const struct engine_opts *o;
	const struct challenge *c;
	struct http_client *http;  /* this lane's (o->http in a sequential run) */
	struct shared *sh;
	cJSON *vars;
	struct gbuf filled;   /* the last submit's fields the grader filled in itself */
	/* A submit sent again with these of the grader's own fills (names,
	 * values): the values the form's refusals of their type ask for
	 * (form_refill, h605). Empty otherwise. */
	struct strlist refill_names, refill_values;
	/* And in every text box the grader filled with its own text, the
	 * value a refusal of a type shown apart from its field asks for
	 * ("Preparation time: Enter a valid duration." in a list above the
	 * form, h700). "" otherwise. */
	char refill_text[64];
	/* The pages the running check read with a 2xx, "ACTOR PATH" (at most
	 * READ_OK_MAX): a 404 of one of them later in the check is no
	 * permission of that user's (sign_in_hint). */
	struct strlist read_ok;
	/* The values the running check's reads left unset where they
	 * answered a 5xx they were not charged (on_server_error: pass), and
	 * those of the steps reading them, which pass unjudged (h1022). */
	struct strlist unjudged;
	/* And with its formsets' first rows filled in, as many as the
	 * refusal asks ("Please submit at least 1 form.") where no
	 * MIN_NUM_FORMS said it (form_refill, h654). 0 otherwise. */
	long rows_min;
	struct strlist chosen; /* the running check's submits' required selects the grader
			       * gave their first option ("owner"): a later 403 or 404
			       * may be that choice's (h147) */
	struct gbuf choiceless; /* the last submit's required selects with no option to pick */
	struct gbuf absent;   /* the last submit's fields its form has no control for,
			       * then the form's own names */
	/* The last submit's form's prefix ("recipe": Django's Form(prefix=),
	 * its controls recipe-title, recipe-image, h573): the step's fields
	 * were sent under it and its errors are read without it. "" none. */
	char form_prefix[64];
	/* A submit's file input of another name than the step's file, which
	 * the grader filled ([0], "photo"), and the step's file's own name,
	 * which the form lacks ([1], "image"): form_errors says that input's
	 * errors as the file's (file_errors_as). "" none. */
	char file_filled[2][64];
	/* A value the check named that no option of its select offers, and
	 * the option chosen instead (select_pick), said in the check's
	 * content failures; "" none. */
	char unoffered[256];
	/* The file input a submit sending the form as declared (no
	 * `multipart: true`) sent the check's file under, the form having
	 * no control of the file's own name: its one named file input, as a
	 * person attaches the photo to the form's one file box whatever its
	 * name (h865: <input name="photo"> typed by hand for a ModelForm's
	 * image was sent the photo under image, which no browser does, and
	 * kept every point while no person could share a recipe). "" none. */
	char file_as[64];
	/* The last format a refusal's words spelt out that a fill was made
	 * from (text_as_asked): the same again means its X's were not
	 * letters. */
	char tmpl_tried[64];
	int fills;            /* values made up by json_fill_required, numbering them */
	struct gbuf unfillable; /* its required fields it could not make up: "sku (a list)" */
	long options_bare;    /* json_fill_required's OPTIONS answer when it described no field and
			       * none was filled (405: an API of plain views), else 0 */
	bool fill_guessed;    /* it filled fields OPTIONS did not describe: names from the errors,
			       * values blind to their choices and formats (h131) */
	char fill_undescribed[48]; /* the first field it filled that an OPTIONS describing others
				    * left out (another serializer's, h1271), or "" */
	/* What a create's path needed, once filled and answered 2xx: "POST
	 * /api/products/" -> {"fields": {"sku": OPTIONS' description or
	 * null}, "guessed": bool, "values": {"category": "books"}: those the
	 * app's refusal named, fill_refine}. Later creates there are sent filled at
	 * once: one request instead of a 400, an OPTIONS and the same again
	 * (h281: 65 requests where the reference sends 47). */
	cJSON *fill_memo;
	/* The values a blind fill took from the app's refusal of its own
	 * (fill_refine: "category" -> "books"), for the memo: a choice is
	 * sent as such, never made up again. NULL none. */
	cJSON *fill_refined;
	/* The running check's last request sending data that passed while
	 * answering 2xx with a form's errors ("POST /tickets/7/status/ as
	 * staff answered 200 with the form's errors {...}"): a step allowed
	 * 2xx, and the form said no. A later step failing on what that
	 * request should have saved says so first (run_check). */
	struct gbuf refused_form;
	bool refused_as_get;  /* refused_form is a form sent as a GET (no method="post") */
	/* That form's field and the value sent that it called no valid
	 * choice ("status=pending": Django's "Select a valid choice."), ""
	 * none: the advice names them (h550). */
	char refused_choice[96];
	/* The running check's first create that answered 2xx with another
	 * number than it sent for a field (a read-only stock, h376, h382,
	 * h387): the cause of the failures after it (unkept_note). */
	char unkept[320];
	char unkept_key[120];
	/* The running step's list ended on a page whose next one is behind
	 * htmx's hx-get (a "Load more" button, h391): only a script reaches
	 * it, and the grader runs none. */
	bool more_by_script;
	/* ... or on its only page, which links no next one (page_two_note). */
	bool one_page;
	/* ... or how many more pages its links led to (html_pages_collect). */
	int pages_followed;
	/* ... or at a next page whose body is the one before's, byte for
	 * byte (h1170: links to ?page=2 where the view reads ?p=): its
	 * address, else "". */
	char page_repeated[160];
	/* ... or a next page at another address than the app's, not followed
	 * (h679: "http://localhost:8000/api/orders/?cursor=..." from a
	 * SITE_URL setting), as the answer gave it; "" none. */
	char page_left[160];
	/* An API's page that counts more rows than its results hold and gives
	 * no next link to the rest (h520: a paginator's answer rewritten
	 * without "next"): its count and what it held, else 0. */
	long long page_count, page_held;
	/* ... or that counts more than its pages, each read by the one
	 * before's next, hold: how many were read, else 0. */
	int page_read;
	/* ...and ended at a next answering the rows read already: its
	 * count is the list's (query.c's total, eval_ctx list_ended). */
	bool page_looped;
	/* The running check's failure found what it missed on a page of the
	 * list no link reaches (page_two_note), or its list's next page was
	 * the page before again (page_repeated): its note says the fix, and
	 * what after_failure reads would say beside it (a filter hiding the
	 * row) is not so (explain_failure). */
	bool found_on_page;
	/* ...on a page beyond those its links reach, their page parameter
	 * not the view's (page_two_note): the note is the fix, and the
	 * check's advice on what the list must hold blames its rows. */
	bool page_links_misnamed;
	long long log_mark;   /* the app's output when the running step began (app_last_line) */
	/* Per boot session: the renewal (shared.renewed's gen) this lane's
	 * jar holds, and the session cookie it held when the running check
	 * began (malloc'd, NULL: none). */
	long *sess_seen;
	char **sess_start;
	/* ...and whether the running check signed that user in through the
	 * app's own sign-in form, as another client (sign_in_note). */
	bool *sess_signed_in;
	long last_status;     /* the running step's last answer's status (0: none) */
	struct check_timing *timing; /* the running check's: every exchange is added */
	bool throttled;       /* the running check's requests met a 429 */
	bool locked_out;      /* ...one of them a sign-in's (a lockout after a wrong password) */
	bool locked_first;    /* ...the run's first sign-in, before any wrong password */
	unsigned sign_ins;    /* the sign-in forms the run has posted */
	bool unanswered;      /* the running step failed on the status its other assertions need */
	/* The page the running step's actor showed when the step began
	 * (http_actor_page, copied): an address the app gave, relative or
	 * absolute, is resolved against it, as a browser resolves a link on
	 * the page it shows. Every candidate of an any_of step uses the same
	 * one. NULL: "/". */
	char *base;
	/* A repeated submit step's form, kept from the repetition that fetched
	 * it for the next ones (form_memo_*): the step, the page's path, the
	 * form (owned, html_form_free), and the actor's session and CSRF
	 * cookies when it was fetched (NULL: none). step NULL: nothing kept. */
	struct {
		const struct step *step;
		char *page;
		struct html_form *form;
		char *session;
		char *csrf;
	} memo;
};

/* Forget the kept form (run->memo). */
static void form_memo_clear(struct run *run)
{
	html_form_free(run->memo.form);
	free(run->memo.page);
	free(run->memo.session);
	free(run->memo.csrf);
	memset(&run->memo, 0, sizeof(run->memo));
}

static const char *session_cookie_name(const struct run *run)
{
	return run->o->boot && run->o->boot->session_cookie ? run->o->boot->session_cookie : "sessionid";
}

static const char *csrf_cookie_name(const struct run *run)
{
	return run->o->boot && run->o->boot->csrf_cookie ? run->o->boot->csrf_cookie : "csrftoken";
}

static bool same_value(const char *x, const char *y)
{
	return x && y ? strcmp(x, y) == 0 : x == y;
}

/*
 * Whether the kept form is still the one a fresh page would show actor a:
 * its session and CSRF cookies are the ones it had when the page was
 * fetched. A new session (a login, a cycled key) or a rotated CSRF token
 * changes the form's hidden token, and a session's data may fill its
 * fields. Any other cookie (the one django.contrib.messages keeps "Ticket
 * created" in until a page shows it, a language), or the session saved
 * again under the same key (messages kept in the session), leaves the page
 * a person has open as it is: fetching it again would only make the app
 * render it for nothing at every repetition.
 */
static bool form_memo_fresh(struct run *run, struct http_actor *a)
{
	char *session = http_actor_cookie(a, session_cookie_name(run));
	char *csrf = http_actor_cookie(a, csrf_cookie_name(run));
	bool fresh = same_value(session, run->memo.session) && same_value(csrf, run->memo.csrf);

	free(session);
	free(csrf);
	return fresh;
}

static bool app_dead(struct run *run)
{
	bool dead;

	pthread_mutex_lock(&run->sh->app_lock);
	dead = run->sh->app_dead;
	pthread_mutex_unlock(&run->sh->app_lock);
	return dead;
}

/* Whether the app has exited; remembered for the checks after. */
static bool app_gone(struct run *run)
{
	bool dead;

	pthread_mutex_lock(&run->sh->app_lock);
	if (!run->sh->app_dead && run->o->app && app_exited(run->o->app))
		run->sh->app_dead = true;
	dead = run->sh->app_dead;
	pthread_mutex_unlock(&run->sh->app_lock);
	return dead;
}

/* Owned storage behind one http_request. */
struct req {
	char *method;
	struct gbuf path;
	char **headers;
	size_t nheaders, cap_headers;
	struct gbuf body;
	struct strlist pairs;  /* an urlencoded body's field names (urlencode_pair) */
	/* The form's boxes left unticked that a person ticks when the answer
	 * says the field is required (html.h's tick): names, and the value
	 * of each, in the same order (form_tick_boxes). */
	struct strlist tick_names, tick_values;
	struct strlist tick_groups;  /* of tick_names, those of two boxes or more */
	struct http_part *parts;
	size_t nparts, cap_parts;
	char **owned;       /* strings and blobs the parts point into */
	size_t nowned, cap_owned;
	/* A submitted form that sends by an unsafe method and has no
	 * csrfmiddlewaretoken ({% csrf_token %} left out): Django's 403 then
	 * says only "forbidden", so the message names the cause. */
	bool form_without_csrf;
	/* The submitted form's file inputs' names (req-owned copies), so a
	 * missing upload is told apart: a view without request.FILES, or a
	 * field that is no file field at all. */
	const char *file_inputs[8];
	size_t nfile_inputs;
	/* The page of a submitted form whose action sends it elsewhere (its
	 * own path otherwise: ""), for a message: a student reads "POST
	 * /recipes/" as the grader's choice, not their form's action. */
	char form_page[160];
	/* A submitted form sent as a GET (it declares no method="post"):
	 * saves nothing, whatever the answer (h301). */
	bool form_no_method;
	bool form_htmx;         /* that form has hx-post (or put, patch): htmx's */
	bool form_password;     /* that form has a password input: a sign-in's */
	/* A required file input of a form without enctype="multipart/form-data",
	 * which a browser sends no file for (h506): its name, "" none. */
	char file_unsent[64];
	/* The answer set a session cookie other than the one sent: a sign-in
	 * (or a cycled key), not SESSION_SAVE_EVERY_REQUEST sending the same
	 * key again (h405). */
	bool session_renewed;
};

/* Whether the answer is Django Ninja's AuthenticationError as Ninja
 * writes it, {"detail": "Unauthorized"}, whitespace aside. */
static bool ninja_unauthorized(const struct http_response *rs)
{
	cJSON *j = rs->status == 401 && rs->body.len && rs->body.len < 64
			   ? cJSON_ParseWithLength(rs->body.data, rs->body.len) : NULL;
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "detail");
	bool said = cJSON_IsString(d) && !strcmp(d->valuestring, "Unauthorized") && cJSON_GetArraySize(j) == 1;

	cJSON_Delete(j);
	return said;
}

/* A 401 whose JSON "detail" (or "error", "message") names a role, not a
 * sign-in: "Only staff can add products." (h963: a view answering
 * Response(status=401) to a signed-in customer, told the session and
 * Basic were refused). Read from the answer alone, as ninja_unauthorized,
 * so checks run at once say what they say one after another. Words about
 * the sign-in itself (credentials, a token, logging in) are not a role's. */
static bool role_refused_401(const struct http_response *rs)
{
	static const char *const roles[] = {"staff", "admin", "permission", "not allowed", "forbidden"};
	static const char *const sign_in[] = {"credential", "token", "authenticat", "log in", "logged in",
					      "login", "sign in", "signed in", "password"};
	static const char *const keys[] = {"detail", "error", "message"};
	cJSON *j = rs->status == 401 && rs->body.len && rs->body.len < 512
			   ? cJSON_ParseWithLength(rs->body.data, rs->body.len) : NULL;
	const cJSON *d = NULL;
	bool role = false;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && !cJSON_IsString(d); i++)
		d = cJSON_GetObjectItemCaseSensitive(j, keys[i]);
	for (i = 0; cJSON_IsString(d) && i < sizeof(roles) / sizeof(roles[0]); i++)
		role = role || strcasestr(d->valuestring, roles[i]);
	for (i = 0; role && i < sizeof(sign_in) / sizeof(sign_in[0]); i++)
		role = !strcasestr(d->valuestring, sign_in[i]);
	cJSON_Delete(j);
	return role;
}

/* An error answered with another status than its body's own: DRF's
 * refusal of a sign-in or a permission (NotAuthenticated's,
 * PermissionDenied's default words) not 401 or 403, or a missing object
 * (get_object_or_404's "No Product matches the given query.") not 404: a
 * status an exception handler or the view rewrote (h1013). */
static bool drf_refusal_rewritten(const struct http_response *rs)
{
	static const struct {
		const char *said;
		long lo, hi;
	} own[] = {
		{DRF_PERMISSION_DENIED, 401, 403},
		{DRF_NOT_AUTHENTICATED, 401, 403},
		{" matches the given query.", 404, 404},
	};
	size_t i;
	bool found = false;

	for (i = 0; rs->status >= 400 && rs->body.data && i < sizeof(own) / sizeof(own[0]); i++)
		found = found || ((rs->status < own[i].lo || rs->status > own[i].hi) &&
				  memmem(rs->body.data, rs->body.len, own[i].said, strlen(own[i].said)));
	return found;
}

/* DRF's "not signed in" said with 403: NotAuthenticated's own words,
 * which DRF answers with 403 instead of 401 when the first authentication
 * class names no scheme (a home-made BaseAuthentication without
 * authenticate_header, h484). A 403 for a user it knows says something
 * else ("You do not have permission ..."). */
static bool not_authenticated_403(const struct http_response *rs)
{
	/* Or a plain view's own words for it (h1095: {"error": "you must be
	 * signed in to add products"} to staff, whose session the app never
	 * read, told of staff's flags). Up to the body's first NUL. */
	static const char *const own[] = { "must be signed in", "must be logged in", "not signed in", "not logged in",
					   "not authenticated", "authentication required", "login required" };
	static const char said[] = DRF_NOT_AUTHENTICATED;
	size_t i;
	bool found;

	if (rs->status != 403 || !rs->body.len)
		return false;
	found = memmem(rs->body.data, rs->body.len, said, sizeof(said) - 1) != NULL;
	for (i = 0; !found && i < sizeof(own) / sizeof(own[0]); i++)
		found = strcasestr(gbuf_str(&rs->body), own[i]) != NULL;
	return found;
}

/* Add an exchange's split to the running check's (http_us holds the
 * exchanges' whole time until run_check() splits it). */
static void timing_note(struct run *run, const struct http_response *rs)
{
	struct check_timing *t = run->timing;

	if (rs->basic_answered)
		__atomic_store_n(&run->sh->basic_answered, true, __ATOMIC_RELAXED);
	/* Signed in, as far as the app shows it: a change it took from a
	 * user (a public page answers anyone). */
	if (rs->signed_in && rs->fault == HTTP_FAULT_NONE && (rs->status == 401 || not_authenticated_403(rs)))
		__atomic_store_n(&run->sh->signin_refused, true, __ATOMIC_RELAXED);
	if (rs->signed_in && rs->unsafe && rs->fault == HTTP_FAULT_NONE && rs->status < 400)
		__atomic_store_n(&run->sh->signin_taken, true, __ATOMIC_RELAXED);
	if (rs->signed_in && rs->unsafe && rs->fault == HTTP_FAULT_NONE && rs->status < 400 && !rs->resent)
		__atomic_store_n(&run->sh->session_taken, true, __ATOMIC_RELAXED);
	if (!t)
		return;
	t->requests += rs->timing.hops;
	t->connects += rs->timing.connects;
	t->connect_us += rs->timing.connect_us;
	t->app_us += rs->timing.wait_us;
	t->recv_us += rs->timing.recv_us;
	t->http_us += rs->timing.total_us;
}

static void req_init(struct req *r)
{
	memset(r, 0, sizeof(*r));
	gbuf_init(&r->path, 64 << 10);
	gbuf_init(&r->body, 64 << 20);
}

static void req_release(struct req *r)
{
	size_t i;

	free(r->method);
	gbuf_release(&r->path);
	for (i = 0; i < r->nheaders; i++)
		free(r->headers[i]);
	free(r->headers);
	gbuf_release(&r->body);
	strlist_free(&r->pairs);
	strlist_free(&r->tick_names);
	strlist_free(&r->tick_groups);
	strlist_free(&r->tick_values);
	free(r->parts);
	for (i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	free(r->owned);
	memset(r, 0, sizeof(*r));
}

/* Keep `p` alive as long as the request; returns p (NULL on OOM). */
static char *req_own(struct req *r, char *p)
{
	if (!p)
		return NULL;
	if (VEC_RESERVE(r->owned, r->cap_owned, r->nowned + 1) < 0) {
		free(p);
		return NULL;
	}
	r->owned[r->nowned++] = p;
	return p;
}

static int req_add_header(struct req *r, const char *name, const char *value)
{
	char *line = NULL;

	if (asprintf(&line, "%s: %s", name, value) < 0)
		return err_set("out of memory");
	if (VEC_RESERVE(r->headers, r->cap_headers, r->nheaders + 1) < 0) {
		free(line);
		return -1;
	}
	r->headers[r->nheaders++] = line;
	return 0;
}

static bool req_has_header(const struct req *r, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < r->nheaders; i++)
		if (!strncasecmp(r->headers[i], name, n) && r->headers[i][n] == ':')
			return true;
	return false;
}

static int req_add_part(struct req *r, const char *name, const char *data, size_t len,
			const char *filename, const char *ctype)
{
	if (VEC_RESERVE(r->parts, r->cap_parts, r->nparts + 1) < 0)
		return -1;
	r->parts[r->nparts].name = name;
	r->parts[r->nparts].data = data;
	r->parts[r->nparts].len = len;
	r->parts[r->nparts].filename = filename;
	r->parts[r->nparts].content_type = ctype;
	r->nparts++;
	return 0;
}

static void req_view(const struct req *r, const struct step *s, long timeout_ms,
		     struct http_request *out)
{
	memset(out, 0, sizeof(*out));
	out->method = r->method;
	out->path = gbuf_str(&r->path);
	out->headers = (const char *const *)r->headers;
	out->nheaders = r->nheaders;
	if (r->nparts == 0 && r->body.data) {
		out->body = r->body.data;
		out->body_len = r->body.len;
	}
	out->parts = r->parts;
	out->nparts = r->nparts;
	out->follow = s->follow;
	out->timeout_ms = s->timeout_ms ? s->timeout_ms : timeout_ms;
}

/* ---- values and templates ---------------------------------------------- */

/* A rendered value as form text: strings as they are, numbers and booleans
 * in JSON spelling, null as "". */
static char *value_to_text(const cJSON *v)
{
	if (!v || cJSON_IsNull(v))
		return strdup("");
	if (cJSON_IsString(v))
		return strdup(v->valuestring);
	if (cJSON_IsBool(v))
		return strdup(cJSON_IsTrue(v) ? "true" : "false");
	return cJSON_PrintUnformatted(v);
}

/* Render a template string; 1 (with why) when a variable is unknown. */
static int render_str(struct run *run, const char *tmpl, struct gbuf *out, struct gbuf *why)
{
	return template_render_str(tmpl, run->vars, out, why);
}

/* A path the suite wrote, rendered and mapped into the app's own terms
 * (grader.yaml). Paths that come from the app itself (form actions) are
 * already the app's and never go through here.
 *
 * A rendered value that is not a path ("/...") is an address the app gave,
 * captured from a page: an <img src> or a link, relative ("logo.png",
 * "../5/") or absolute (build_absolute_uri, a MEDIA_URL with a host). It is
 * resolved against the page the step's actor is on (run->base), as a
 * browser would; an absolute one counts as the app's on any loopback host
 * and port (a MEDIA_URL naming the student's own runserver port). One that
 * is not a page on the app (a CDN's logo, a data: URI) fails the step, or
 * this candidate of an any_of step, with 1 and why: it is the app's
 * address, not the grader's fault. */
static int render_path(struct run *run, const char *tmpl, struct gbuf *out, struct gbuf *why)
{
	struct gbuf p = GBUF_INIT(64 << 10);
	char *path = NULL, *clean = NULL;
	const char *use;
	int rc;

	rc = render_str(run, tmpl, &p, why);
	if (rc != 0)
		goto done;
	/* An address from the app's page, as a browser reads it (h688: a src
	 * with a newline before its closing quote). */
	if (!(clean = http_ref_clean(gbuf_str(&p)))) {
		rc = -1;
		goto done;
	}
	use = clean;
	if (use[0] != '/' || use[1] == '/') {
		if (http_resolve(NULL, run->base, use, &path) < 0) {
			rc = -1;
			goto done;
		}
		if (!path) {
			gbuf_adds(why, "the address ");
			gbuf_add_excerpt(why, use, strlen(use), strncmp(use, "data:", 5) ? 80 : 24);
			/* A placeholder in src, the image's own address in a
			 * data-src that a script swaps in (h343: lazy loading). */
			if (!strncmp(use, "data:", 5))
				gbuf_adds(why, " is an inline placeholder, not a file on the app (pages are read "
					  "without running their scripts: put the image's own address in src, "
					  "and loading=\"lazy\" for lazy loading)");
			else
				gbuf_adds(why, " is not a page on the app (another site, or not an http address)");
			rc = 1;
			goto done;
		}
		use = path;
	}
	rc = routes_to_app(run->o->routes, use, out);
done:
	free(path);
	free(clean);
	gbuf_release(&p);
	return rc;
}

/* Render a templated value to text. 0 ok (*text malloc'd), 1 why, -1 error. */
static int render_text(struct run *run, const cJSON *tmpl, char **text, struct gbuf *why)
{
	cJSON *v = NULL;
	int rc;

	*text = NULL;
	rc = template_render(tmpl, run->vars, &v, why);
	if (rc != 0)
		goto done;
	*text = value_to_text(v);
	if (!*text)
		rc = err_set("out of memory");
done:
	cJSON_Delete(v);
	return rc;
}

static int fixture_load(struct run *run, const char *rel, struct gbuf *data)
{
	char *path = NULL;
	int rc;

	if (asprintf(&path, "%s/%s", run->c->dir, rel) < 0)
		return err_set("out of memory");
	gbuf_init(data, 64 << 20);
	rc = gbuf_read_file(data, path);
	free(path);
	return rc;
}

/* A file part described as {file, filename?, content_type?}. */
static int req_add_file_part(struct run *run, struct req *r, const char *name, const cJSON *spec)
{
	const cJSON *file = cJSON_GetObjectItemCaseSensitive(spec, "file");
	const cJSON *fname = cJSON_GetObjectItemCaseSensitive(spec, "filename");
	const cJSON *ctype = cJSON_GetObjectItemCaseSensitive(spec, "content_type");
	struct gbuf data = GBUF_INIT(0);
	const char *base;
	char *blob, *fn;
	size_t len;

	if (!cJSON_IsString(file))
		return err_set("file part '%s' has no file", name);
	if (fixture_load(run, file->valuestring, &data) < 0)
		return -1;
	blob = req_own(r, gbuf_detach(&data, &len));
	if (!blob)
		return err_set("out of memory");
	base = strrchr(file->valuestring, '/');
	base = base ? base + 1 : file->valuestring;
	fn = req_own(r, strdup(cJSON_IsString(fname) ? fname->valuestring : base));
	if (!fn)
		return err_set("out of memory");
	return req_add_part(r, name, blob, len, fn,
			    cJSON_IsString(ctype) ? ctype->valuestring : NULL);
}

/* One pair of an urlencoded body, its name kept (r->pairs). 0 or -1. */
static int urlencode_pair(struct req *r, const char *k, const char *v)
{
	struct gbuf *body = &r->body;
	char *ek = curl_easy_escape(NULL, k, 0);
	char *ev = curl_easy_escape(NULL, v, 0);
	int rc;

	if (!ek || !ev) {
		curl_free(ek);
		curl_free(ev);
		return err_set("out of memory");
	}
	rc = gbuf_addf(body, "%s%s=%s", body->len ? "&" : "", ek, ev);
	curl_free(ek);
	curl_free(ev);
	return rc < 0 ? rc : strlist_push(&r->pairs, k);
}

/* What the app logged about a 5xx, for a message (the exception line of its
 * last traceback); defined with the messages below. */
static void app_last_line(const struct run *run, struct gbuf *out);
static void advice_replaced(const struct gbuf *msg, const char *advice, struct gbuf *out);

/* ---- building requests --------------------------------------------------- */


/*
 * For `csrf: on`, an actor whose jar holds no CSRF cookie: a token made up
 * as a client of the API would make its own (32 of Django's
 * CSRF_ALLOWED_CHARS), put in the jar as the cookie, and sent as the
 * header too. An anonymous POST then meets the view rather than
 * CsrfViewMiddleware's 403, so a view with no sign-in check of its own is
 * seen (h104: a 403 from CSRF alone passed "anonymous is refused"). 0, or
 * -1 with the error set; *token is malloc'd.
 */
static int csrf_token_make(struct http_actor *a, const char *cookie, char **token)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[32];
	char made[sizeof(rnd) + 1];
	size_t i;
	int rc = -1;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		err_set_errno("getrandom");
		goto done;
	}
	for (i = 0; i < sizeof(rnd); i++)
		made[i] = chars[rnd[i] % (sizeof(chars) - 1)];
	made[sizeof(rnd)] = '\0';
	if (http_actor_set_cookie(a, cookie, made) < 0)
		goto done;
	if (!(*token = strdup(made))) {
		err_set("out of memory");
		goto done;
	}
	rc = 0;
done:
	return rc;
}

/* Add the CSRF header the way Django's docs tell JavaScript clients to. */
static int req_add_csrf(struct run *run, struct http_actor *a, const struct step *s, struct req *r)
{
	const char *cookie = csrf_cookie_name(run);
	const char *header = run->o->boot && run->o->boot->csrf_header ? run->o->boot->csrf_header : "X-CSRFToken";
	char *token = NULL;
	int rc = 0;

	if (s->csrf == CSRF_OFF)
		return 0;
	if (s->csrf == CSRF_AUTO && !http_method_is_unsafe(r->method))
		return 0;
	token = http_actor_cookie(a, cookie);
	/* CSRF_USE_SESSIONS: the secret is the session's, so a visitor's
	 * token is the one the boot put in a session of no user (h403: a
	 * token of the grader's making was refused by CSRF, and a view with
	 * no sign-in check passed as if it refused). */
	if (!token && s->csrf == CSRF_ON && (!s->actor || !strcmp(s->actor, "anonymous")) && run->o->boot &&
	    run->o->boot->anonymous.session_value && run->o->boot->anonymous.csrf_value) {
		if (http_actor_set_cookie(a, session_cookie_name(run), run->o->boot->anonymous.session_value) < 0 ||
		    http_actor_set_cookie(a, cookie, run->o->boot->anonymous.csrf_value) < 0)
			return -1;
		if (!(token = strdup(run->o->boot->anonymous.csrf_value)))
			return err_set("out of memory");
	}
	if (!token && s->csrf == CSRF_ON && csrf_token_make(a, cookie, &token) < 0)
		return -1;
	if (token && !req_has_header(r, header))
		rc = req_add_header(r, header, token);
	free(token);
	return rc;
}

/* A plain (non-form) step. 0 built, 1 a template failed (why), -1 error. */
static int req_build_plain(struct run *run, struct http_actor *a, const struct step *s,
			   struct req *r, struct gbuf *why)
{
	const cJSON *it;
	char *text = NULL;
	int rc;

	r->method = strdup(s->method ? s->method : "GET");
	if (!r->method)
		return err_set("out of memory");
	rc = render_path(run, s->url, &r->path, why);
	if (rc)
		return rc;
	cJSON_ArrayForEach(it, s->headers) {
		rc = render_text(run, it, &text, why);
		if (rc)
			return rc;
		rc = req_add_header(r, it->string, text);
		free(text);
		if (rc)
			return rc;
	}
	switch (s->body) {
	case BODY_NONE:
		break;
	case BODY_JSON: {
		cJSON *v = NULL;
		char *json;

		rc = template_render(s->body_value, run->vars, &v, why);
		if (rc)
			return rc;
		json = cJSON_PrintUnformatted(v);
		cJSON_Delete(v);
		if (!json)
			return err_set("out of memory");
		rc = gbuf_adds(&r->body, json);
		free(json);
		if (rc)
			return rc;
		if (!req_has_header(r, "Content-Type") &&
		    req_add_header(r, "Content-Type", "application/json") < 0)
			return -1;
		break;
	}
	case BODY_FORM:
		cJSON_ArrayForEach(it, s->body_value) {
			rc = render_text(run, it, &text, why);
			if (rc)
				return rc;
			rc = urlencode_pair(r, it->string, text);
			free(text);
			if (rc)
				return rc;
		}
		if (!r->body.data && gbuf_adds(&r->body, "") < 0)
			return -1;
		if (!req_has_header(r, "Content-Type") &&
		    req_add_header(r, "Content-Type", "application/x-www-form-urlencoded") < 0)
			return -1;
		break;
	case BODY_MULTIPART:
		cJSON_ArrayForEach(it, s->body_value) {
			if (cJSON_IsObject(it)) {
				if (req_add_file_part(run, r, it->string, it) < 0)
					return -1;
				continue;
			}
			rc = render_text(run, it, &text, why);
			if (rc)
				return rc;
			if (!req_own(r, text))
				return err_set("out of memory");
			if (req_add_part(r, it->string, text, strlen(text), NULL, NULL) < 0)
				return -1;
		}
		break;
	case BODY_RAW:
		rc = render_text(run, s->body_value, &text, why);
		if (rc)
			return rc;
		rc = gbuf_adds(&r->body, text);
		free(text);
		if (rc)
			return rc;
		if (!req_has_header(r, "Content-Type") &&
		    req_add_header(r, "Content-Type", s->content_type ? s->content_type : "text/plain") < 0)
			return -1;
		break;
	}
	return req_add_csrf(run, a, s, r);
}

/* Where a form's action points, as a path on the app: resolved against the
 * page the form is on, as a browser would (http_resolve; an absolute action
 * on any loopback host and port is the app's, as for render_path). 1 and
 * why when it leaves the app: the form cannot be sent there. */
static int form_target(const char *page, const char *action, struct gbuf *out, struct gbuf *why)
{
	char *p = NULL;
	const char *hash;
	int rc;

	if (!action || !*action) {
		/* An empty action submits to the page itself, query included. */
		hash = strchr(page, '#');
		return gbuf_add(out, page, hash ? (size_t)(hash - page) : strlen(page));
	}
	if (http_resolve(NULL, page, action, &p) < 0)
		return -1;
	if (!p) {
		gbuf_adds(why, "the form's action ");
		gbuf_add_excerpt(why, action, strlen(action), 80);
		gbuf_adds(why, " is not a page on the app, so the grader cannot send it");
		return 1;
	}
	rc = gbuf_adds(out, p);
	free(p);
	return rc;
}

static const cJSON *json_member(const cJSON *obj, const char *name)
{
	return obj ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
}

/* Whether another control of the same name (a radio group's checked member)
 * is sent as it stands, so field i needs no fill. */
static bool field_sent_elsewhere(const struct html_form *form, size_t i)
{
	size_t j;

	for (j = 0; j < form->nfields; j++)
		if (j != i && form->fields[j].value && *form->fields[j].value &&
		    !strcmp(form->fields[j].name, form->fields[i].name))
			return true;
	return false;
}

/* The step's fields (names, NULL-terminated) the page has as controls in
 * no <form>, ", "-separated into out: a form whose tag the template left
 * out (h309: crispy's FormHelper with form_tag = False). */
static void fields_outside_forms(struct html_doc *d, const char *const *names, struct gbuf *out)
{
	struct gbuf x = GBUF_INIT(512);
	cJSON *v = NULL;
	size_t i;

	for (i = 0; names[i]; i++) {
		if (strchr(names[i], '\''))
			continue;
		gbuf_reset(&x);
		gbuf_addf(&x, "count(//*[(self::input or self::textarea or self::select) and @name='%s']"
			  "[not(ancestor::form)])", names[i]);
		if (html_xpath(d, gbuf_str(&x), &v) == 0 && cJSON_IsNumber(v) && v->valuedouble > 0)
			gbuf_addf(out, "%s%s", out->len ? ", " : "", names[i]);
		cJSON_Delete(v);
		v = NULL;
	}
	gbuf_release(&x);
	err_clear();
}

/* An empty form posted to the page itself (urlencoded): what a forged
 * request sends when the page has none to copy. 0, or -1 + err. */
static int form_forged(struct html_form **out)
{
	struct html_form *f = calloc(1, sizeof(*f));

	if (!f || !(f->action = strdup("")) || !(f->method = strdup("POST")) ||
	    !(f->enctype = strdup("application/x-www-form-urlencoded"))) {
		html_form_free(f);
		return err_set("out of memory");
	}
	*out = f;
	return 0;
}

/*
 * A submit step's page (`page`, its path), fetched and parsed (*doc), and
 * the form to fill (*form): the one with the fields the step fills in,
 * among those its selector or action names. 0, STEP_FAILED or
 * STEP_APP_FAULT (why says which), -1 error.
 */
static int submit_load_form(struct run *run, struct http_actor *a, const struct step *s, const struct gbuf *page,
			    struct html_doc **doc, struct html_form **form, struct gbuf *why)
{
	const struct submit *sub = s->submit;
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct http_request rq;
	struct gbuf parse_why = GBUF_INIT(1024), loose = GBUF_INIT(512);
	const char *names[64];
	const cJSON *it;
	size_t k = 0;
	int rc;

	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.path = gbuf_str(page);
	rq.timeout_ms = s->timeout_ms ? s->timeout_ms : run->o->request_timeout_ms;
	rc = http_send(a, &rq, &rs);
	timing_note(run, &rs);
	if (rc < 0)
		goto done;
	if (rs.fault != HTTP_FAULT_NONE) {
		gbuf_addf(why, "GET %s as %s: %s", gbuf_str(page), http_actor_name(a),
			  rs.fault_msg ? rs.fault_msg : "no answer");
		rc = STEP_APP_FAULT;
		goto done;
	}
	/* A forged post needs no page of the app's: CsrfViewMiddleware
	 * refuses it before the view whose form page fails runs (h931: a
	 * create page answering 500 cost csrf-enforced beside
	 * ticket-create, which charges the page). */
	if (rs.status >= 500 && s->csrf == CSRF_OFF) {
		rc = form_forged(form);
		goto done;
	}
	if (rs.status != 200) {
		char *loc = http_response_location(run->http, &rs);

		gbuf_addf(why, "GET %s as %s answered %ld%s%s", gbuf_str(page), http_actor_name(a), rs.status,
			  loc ? " to " : "", loc ? loc : "");
		/* A form page that fails: what the app logged (a template it
		 * cannot find) is the student's clue, as for any other 5xx. */
		if (rs.status >= 500)
			app_last_line(run, why);
		gbuf_adds(why, "; expected 200 with a form");
		free(loc);
		rc = STEP_FAILED;
		goto done;
	}
	rc = html_parse(rs.body.data ? rs.body.data : "", rs.body.len, doc, &parse_why);
	if (rc == 1)
		gbuf_addf(why, "GET %s as %s: the page is not HTML (%s)", gbuf_str(page),
			  http_actor_name(a), gbuf_str(&parse_why));
	if (rc)
		goto done;
	/* Prefer the form that has the fields the step fills in. */
	cJSON_ArrayForEach(it, sub->fields)
		if (k < 63)
			names[k++] = it->string;
	cJSON_ArrayForEach(it, sub->files)
		if (k < 63)
			names[k++] = it->string;
	names[k] = NULL;
	rc = html_form_find_for(*doc, sub->action ? NULL : (sub->selector ? sub->selector : "form"),
				sub->action, names, form);
	/* csrf: off stands for another site's forged post: its own form,
	 * sent to the page, with or without one there (h309: the form's
	 * markup is what the step filling it in charges). */
	if (rc == 1 && s->csrf == CSRF_OFF) {
		rc = form_forged(form);
		goto done;
	}
	if (rc == 1 && !sub->action && (!sub->selector || !strcmp(sub->selector, "form")))
		fields_outside_forms(*doc, names, &loose);
	/* In words for the default "form" (h298: "no form matching 'form'",
	 * and a form its scripts build is one the grader never sees). */
	if (rc == 1 && loose.len)
		gbuf_addf(why, "GET %s as %s answered 200: the page has %s in no <form>, which a browser cannot "
			  "send (with crispy's FormHelper, form_tag = False leaves the <form> tag to the template)",
			  gbuf_str(page), http_actor_name(a), gbuf_str(&loose));
	else if (rc == 1 && !sub->action && (!sub->selector || !strcmp(sub->selector, "form")))
		gbuf_addf(why, "GET %s as %s answered 200: the page as served has no form to fill (a form built by "
			  "scripts is not there: pages are read without running them)", gbuf_str(page),
			  http_actor_name(a));
	else if (rc == 1)
		gbuf_addf(why, "GET %s as %s: the page has no form matching %s%s%s",
			  gbuf_str(page), http_actor_name(a),
			  sub->action ? "action " : "'", sub->action ? sub->action : (sub->selector ? sub->selector : "form"),
			  sub->action ? "" : "'");
done:
	http_response_release(&rs);
	gbuf_release(&parse_why);
	gbuf_release(&loose);
	return rc;
}

/* One field of the request being built: a part of a multipart body, or a
 * pair of an urlencoded one. The part keeps copies (the form is freed
 * before the request is sent). 0 or -1. */
static int submit_add_field(struct req *r, bool multipart, const char *name, const char *value)
{
	char *n, *v;

	if (!multipart)
		return urlencode_pair(r, name, value);
	n = req_own(r, strdup(name));
	v = req_own(r, strdup(value));
	return n && v ? req_add_part(r, n, v, strlen(v), NULL, NULL) : err_set("out of memory");
}

/* Is this control one a browser sends as it stands? */
static bool submit_sends_control(const struct html_field *f)
{
	return !f->type || f->submitter || (strcmp(f->type, "file") && strcmp(f->type, "submit") && strcmp(f->type, "button") &&
			    strcmp(f->type, "image") && strcmp(f->type, "reset"));
}

/* Whether the form has a control named `name`. */
static bool form_has_field(const struct html_form *form, const char *name)
{
	size_t i;

	for (i = 0; i < form->nfields; i++)
		if (form->fields[i].name && !strcmp(form->fields[i].name, name))
			return true;
	return false;
}

/* Below, beside form_has_own. */
static bool form_has_prefixed(const struct html_form *form, const char *prefix, size_t plen, const char *name);

/*
 * Whether the form's file input for `name` is a MultiWidget's first
 * subwidget, `name`_0, under `prefix` (`prefix`-`name`_0) where it is not
 * NULL, the form having no control of that name itself:
 * django-versatileimagefield's image with a focal point (ppoi_field) is
 * image_0, the file, beside image_1, the point (h766: the check's photo
 * went nowhere and 30 points were lost for a form a person fills), and
 * recipe-image_0 in a form given the prefix "recipe" (h920: the photo
 * sent as recipe-image, the filler PNG as recipe-image_0).
 */
static bool form_has_subwidget_under(const struct html_form *form, const char *prefix, const char *name)
{
	size_t i, n = strlen(name), plen = prefix ? strlen(prefix) : 0;
	bool found = false;

	if (prefix ? form_has_prefixed(form, prefix, plen, name) : form_has_field(form, name))
		return false;
	for (i = 0; i < form->nfields && !found; i++) {
		const struct html_field *f = &form->fields[i];
		const char *rest = f->name;

		if (rest && prefix)
			rest = !strncmp(rest, prefix, plen) && rest[plen] == '-' ? rest + plen + 1 : NULL;
		found = rest && f->type && !strcmp(f->type, "file") && !strncmp(rest, name, n) &&
			!strcmp(rest + n, "_0");
	}
	return found;
}

/* ...under no prefix. */
static bool form_has_subwidget(const struct html_form *form, const char *name)
{
	return form_has_subwidget_under(form, NULL, name);
}

/* Whether the form has a control for `name`: its own, or its subwidget. */
static bool form_has_own(const struct html_form *form, const char *name)
{
	return form_has_field(form, name) || form_has_subwidget(form, name);
}

/* Whether the form has a control named `prefix`-`name`, or with `prefix`
 * NULL, something-`name` under any prefix. */
static bool form_has_prefixed(const struct html_form *form, const char *prefix, size_t plen, const char *name)
{
	size_t i, n = strlen(name), flen;
	bool found = false;

	for (i = 0; i < form->nfields && !found; i++) {
		const char *f = form->fields[i].name;

		flen = f ? strlen(f) : 0;
		if (prefix)
			found = f && !strncmp(f, prefix, plen) && f[plen] == '-' && !strcmp(f + plen + 1, name);
		else
			found = flen > n + 1 && f[flen - n - 1] == '-' && !strcmp(f + flen - n, name);
	}
	return found;
}

/* Whether every step field (and file) the form has no control for, it has
 * as `prefix`-name, or under no prefix at all: a field the form lacks
 * whatever its name (h779: ingredients and instructions kept in formsets
 * beside a recipe form prefixed "recipe", whose prefix then fitted none). */
static bool form_prefix_fits(const struct submit *sub, const struct html_form *form, const char *prefix, size_t plen)
{
	const cJSON *lists[2] = {sub->fields, sub->files}, *it;
	size_t i;

	for (i = 0; i < 2; i++)
		cJSON_ArrayForEach(it, lists[i])
			if (!form_has_own(form, it->string) && !form_has_prefixed(form, prefix, plen, it->string) &&
			    form_has_prefixed(form, NULL, 0, it->string))
				return false;
	return true;
}

/* The prefix under which the form has step field `lack` (a control named
 * PREFIX-lack) and which fits the others (form_prefix_fits), into
 * run->form_prefix; left "" when none does. */
static void form_prefix_of(struct run *run, const struct submit *sub, const struct html_form *form, const char *lack)
{
	size_t i, flen, nlen = strlen(lack);

	for (i = 0; i < form->nfields && !run->form_prefix[0]; i++) {
		const char *f = form->fields[i].name;

		flen = f ? strlen(f) : 0;
		if (flen < nlen + 2 || flen - nlen - 1 >= sizeof(run->form_prefix) || f[flen - nlen - 1] != '-' ||
		    strcmp(f + flen - nlen, lack) || !form_prefix_fits(sub, form, f, flen - nlen - 1))
			continue;
		memcpy(run->form_prefix, f, flen - nlen - 1);
		run->form_prefix[flen - nlen - 1] = '\0';
	}
}

/*
 * The prefix of a form whose controls are named as Django names a form
 * given a prefix (Form(prefix="recipe"), a CreateView's `prefix`: the
 * title is recipe-title), into run->form_prefix: the one prefix under
 * which the form has the step fields it lacks by its own name (those it
 * has under no name apart), as a person fills the Title box whatever its
 * name; "" when none fits or nothing is lacking. A form beside a formset
 * on one page is given a prefix to keep the two apart (h573: 20 points
 * for a correct app, its fields sent where it had none and its own filled
 * as "Sample text"). Each lacking field is tried in turn: the first may
 * be one the form has under no name (h779).
 */
static void form_prefix_find(struct run *run, const struct submit *sub, const struct html_form *form)
{
	const cJSON *lists[2] = {sub->fields, sub->files}, *it;
	size_t i;

	run->form_prefix[0] = '\0';
	for (i = 0; i < 2 && !run->form_prefix[0]; i++)
		cJSON_ArrayForEach(it, lists[i])
			if (!run->form_prefix[0] && !form_has_own(form, it->string))
				form_prefix_of(run, sub, form, it->string);
}

/* Whether the form has a control for step name `name`: its own, its
 * subwidget, or under the form's prefix (form_prefix_find). */
static bool form_has_step_name(const struct run *run, const struct html_form *form, const char *name)
{
	return form_has_own(form, name) ||
	       (run->form_prefix[0] && (form_has_prefixed(form, run->form_prefix, strlen(run->form_prefix), name) ||
					form_has_subwidget_under(form, run->form_prefix, name)));
}

/*
 * The file input a submit sent as declared (!sub->multipart) sends the
 * step's first file under, when the form has no control of its name (by
 * its own name, a subwidget or under the form's prefix), into
 * run->file_as: the form's one named file input that is none of the
 * step's names; "" when the form has a control of the file's name, or
 * none or several such inputs (a browser then sends the file under no
 * name the form lacks: submit_step_fields leaves it out); that input's
 * errors are read as the file's (run->file_filled) either way. The submits
 * with `multipart: true` keep sending it under its own name, as they keep
 * sending multipart whatever the form declares: a slip in the form's
 * markup costs the check that sends the form as declared alone (SPEC.md).
 */
static void form_file_stand_in(struct run *run, const struct submit *sub, const struct html_form *form)
{
	const cJSON *own = sub->files ? sub->files->child : NULL;
	const char *pick = NULL;
	size_t i, n = 0;

	run->file_as[0] = '\0';
	if (!own || form_has_step_name(run, form, own->string))
		return;
	for (i = 0; i < form->nfields; i++) {
		const struct html_field *f = &form->fields[i];

		if (f->name && *f->name && f->type && !strcmp(f->type, "file") &&
		    !json_member(sub->fields, f->name) && !json_member(sub->files, f->name) &&
		    (!pick || strcmp(pick, f->name))) {
			pick = f->name;
			n++;
		}
	}
	if (n != 1 || strlen(pick) >= sizeof(run->file_as) || strlen(own->string) >= sizeof(run->file_filled[1]))
		return;
	if (!sub->multipart)
		snprintf(run->file_as, sizeof(run->file_as), "%s", pick);
	/* Its errors are the form field's the step names (h998: "This field
	 * is required." beside photo is image's, which got no file); so
	 * where the step sends its file under its own name (multipart), the
	 * form's one file input's errors are that file's (h1178: a
	 * hand-written <input type=file name=photo> for the form's image,
	 * its "Upload a valid image." read as photo's). */
	snprintf(run->file_filled[0], sizeof(run->file_filled[0]), "%s", pick);
	snprintf(run->file_filled[1], sizeof(run->file_filled[1]), "%s", own->string);
}

/* The control a step field is sent as: its own name, its file input's
 * subwidget (form_has_subwidget), else under the form's prefix
 * (form_prefix_find). Malloc'd, or NULL out of memory. */
static char *submit_control_name(const struct run *run, const struct html_form *form, const char *name)
{
	char *out = NULL;

	if (form && form_has_subwidget(form, name)) {
		if (asprintf(&out, "%s_0", name) < 0)
			out = NULL;
		return out;
	}
	if (!run->form_prefix[0] || (form && form_has_field(form, name)))
		return strdup(name);
	if (asprintf(&out, "%s-%s%s", run->form_prefix, name,
		     form && form_has_subwidget_under(form, run->form_prefix, name) ? "_0" : "") < 0)
		out = NULL;
	return out;
}

/* Whether a control of the form is one of the step's fields or files,
 * by its own name, as a file input's subwidget, or under the form's
 * prefix. */
static bool submit_names_control(const struct run *run, const struct submit *sub, const struct html_form *form,
				 const char *name)
{
	size_t plen = strlen(run->form_prefix), n = strlen(name);
	const cJSON *file;

	if (json_member(sub->fields, name) || json_member(sub->files, name) ||
	    (run->file_as[0] && !strcmp(name, run->file_as)))
		return true;
	cJSON_ArrayForEach(file, sub->files)
		if (n > 2 && strlen(file->string) == n - 2 && !strncmp(name, file->string, n - 2) &&
		    !strcmp(name + n - 2, "_0") && form_has_subwidget(form, file->string))
			return true;
	if (!plen || strncmp(name, run->form_prefix, plen) || name[plen] != '-')
		return false;
	name += plen + 1;
	n -= plen + 1;
	cJSON_ArrayForEach(file, sub->files)
		if (n > 2 && strlen(file->string) == n - 2 && !strncmp(name, file->string, n - 2) &&
		    !strcmp(name + n - 2, "_0") && form_has_subwidget_under(form, run->form_prefix, file->string))
			return true;
	return json_member(sub->fields, name) || json_member(sub->files, name);
}

/* The prefix of the form a submit step sent (form_prefix_find), which its
 * answer's form errors are read without; NULL for another step, or none. */
static const char *step_form_prefix(const struct run *run, const struct step *s)
{
	return s->submit && run->form_prefix[0] ? run->form_prefix : NULL;
}

/* Whether the form holds a formset of rows for step field `name`: its
 * management form's PREFIX-TOTAL_FORMS, the prefix beginning with the
 * name's stem ("ingredients", "ingredient_set", "ingredient" for
 * ingredients). SPEC.md lets ingredients be rows of their own (h779), so
 * the field is there, in rows the grader fills, not lacking (h1273: "add
 * ingredients to the form" put in place of every failing check's advice). */
static bool form_has_rows_for(const struct html_form *form, const char *name)
{
	static const char suffix[] = "-TOTAL_FORMS";
	size_t stem = strlen(name), i, l;
	bool found = false;

	if (stem > 3 && name[stem - 1] == 's')
		stem--;
	for (i = 0; i < form->nfields && !found; i++) {
		const char *f = form->fields[i].name;

		l = f ? strlen(f) : 0;
		found = l > stem + sizeof(suffix) - 1 && !strncmp(f, name, stem) &&
			!strcmp(f + l - (sizeof(suffix) - 1), suffix);
	}
	return found;
}

/*
 * The step's fields the form has no control for, then the form's own
 * names, into run->absent ("username; it has login, password"): a
 * form that names its username input `login` (django-allauth) refuses
 * alice though the grader sent her username, and the message must say
 * where it went. Bounded: the form is the app's.
 */
static void submit_note_absent(struct run *run, const struct submit *sub, const struct html_form *form)
{
	const cJSON *lists[2] = {sub->fields, sub->files}, *it;
	size_t i, n = 0;
	bool file_absent = false;

	gbuf_reset(&run->absent);
	for (i = 0; i < 2 && !run->form_prefix[0]; i++)
		cJSON_ArrayForEach(it, lists[i])
			if (!form_has_own(form, it->string) && !form_has_rows_for(form, it->string) &&
			    run->absent.len < 200) {
				gbuf_addf(&run->absent, "%s%s", run->absent.len ? ", " : "", it->string);
				file_absent |= i == 1;
			}
	if (!run->absent.len)
		return;
	/* A file the form has no input for: its file inputs, which a
	 * message cut to its room must not lose behind the text fields
	 * (h335: "it has title, in…" of a form whose input is photo). */
	for (i = 0; file_absent && i < form->nfields && !n; i++)
		n = form->fields[i].type && !strcmp(form->fields[i].type, "file");
	file_absent = n > 0;
	n = 0;
	gbuf_adds(&run->absent, file_absent ? "; its file input:" : "; it has");
	for (i = 0; i < form->nfields && run->absent.len < 400; i++) {
		const struct html_field *f = &form->fields[i];

		if (!f->name || !*f->name || !strcmp(f->name, "csrfmiddlewaretoken") ||
		    (f->type && (!strcmp(f->type, "submit") || !strcmp(f->type, "button") ||
				 !strcmp(f->type, "hidden"))) ||
		    (file_absent && (!f->type || strcmp(f->type, "file"))))
			continue;
		gbuf_addf(&run->absent, "%s ", n++ ? "," : "");
		gbuf_add_excerpt(&run->absent, f->name, strlen(f->name), 40);
	}
	if (!n)
		gbuf_adds(&run->absent, " none");
	/* django-allauth's sign-in form (h440): its username input is
	 * `login`; the fix is the view at the path, not the password. */
	if (!strncmp(gbuf_str(&run->absent), "username;", 9) && form_has_field(form, "login"))
		gbuf_adds(&run->absent, "; SPEC.md asks for LoginView's username, which allauth's form calls login");
}

/* Whether a select offers an option with a value (not only "---------"). */
static bool select_has_choice(const struct html_field *f)
{
	size_t k;

	for (k = 0; k < f->noptions; k++)
		if (f->options[k].value && *f->options[k].value)
			return true;
	return false;
}

/* What a person attaches to a required file input the check does not
 * name, when the check sends no file of its own (h180: a ticket's
 * required attachment cost six checks): the smallest valid image, a 1x1
 * PNG, so an ImageField takes it as well as a FileField. */
static const char fill_png[] =
	"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
	"\x00\x90\x77\x53\xde\x00\x00\x00\x0cIDAT\x78\x9c\x63\xf8\xff\xff\x3f\x00\x05\xfe\x02\xfe"
	"\x0d\xef\x46\xb8\x00\x00\x00\x00IEND\xae\x42\x60\x82";

/* The same for an input whose accept names other kinds and not PNG (h598:
 * a ticket's attachment of PDFs alone, with an extension validator,
 * refused grader.png and every ticket): the smallest valid file of the
 * kind, by the name a validator of extensions takes. A 1x1 JPEG (Pillow
 * verifies it), a one-page PDF, a line of text, a CSV of one row. */
static const char fill_jpg[] =
	"\xff\xd8\xff\xe0\x00\x10\x4a\x46\x49\x46\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
	"\xff\xdb\x00\x43\x00\x10\x0b\x0c\x0e\x0c\x0a\x10\x0e\x0d\x0e\x12\x11\x10\x13\x18"
	"\x28\x1a\x18\x16\x16\x18\x31\x23\x25\x1d\x28\x3a\x33\x3d\x3c\x39\x33\x38\x37\x40"
	"\x48\x5c\x4e\x40\x44\x57\x45\x37\x38\x50\x6d\x51\x57\x5f\x62\x67\x68\x67\x3e\x4d"
	"\x71\x79\x70\x64\x78\x5c\x65\x67\x63\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01"
	"\x11\x00\xff\xc4\x00\x14\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x07\xff\xc4\x00\x14\x10\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00\x40\x7f\xff\xd9";
static const char fill_pdf[] =
	"%PDF-1.4\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n2 0 obj\n<</Type/Pages/Kids[3 0 R]/Count 1>>\n"
	"endobj\n3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 3 3]>>\nendobj\nxref\n0 4\n"
	"0000000000 65535 f \n0000000009 00000 n \n0000000054 00000 n \n0000000105 00000 n \n"
	"trailer\n<</Size 4/Root 1 0 R>>\nstartxref\n166\n%%EOF\n";

struct fill_file {
	const char *data;
	size_t len;
	const char *name, *type;
};

/* The file for a required file input whose `accept` (lower-case, or NULL)
 * is as given: the PNG unless accept leaves PNG out and names a kind
 * above. */
static struct fill_file fill_file_for(const char *accept)
{
	static const struct {
		const char *const words[4];
		struct fill_file file;
	} kinds[] = {
		{ { "pdf", NULL }, { fill_pdf, sizeof(fill_pdf) - 1, "grader.pdf", "application/pdf" } },
		{ { ".jpg", ".jpeg", "image/jpeg", NULL }, { fill_jpg, sizeof(fill_jpg) - 1, "grader.jpg", "image/jpeg" } },
		{ { ".txt", "text/plain", "text/*", NULL }, { "grader\n", 7, "grader.txt", "text/plain" } },
		{ { ".csv", "text/csv", NULL }, { "name,value\ngrader,1\n", 20, "grader.csv", "text/csv" } },
	};
	struct fill_file out = { fill_png, sizeof(fill_png) - 1, "grader.png", "image/png" };
	bool found = !accept || strstr(accept, "png") || strstr(accept, "image/*");
	size_t i, w;

	for (i = 0; !found && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		for (w = 0; !found && kinds[i].words[w]; w++)
			if ((found = strstr(accept, kinds[i].words[w]) != NULL))
				out = kinds[i].file;
	return out;
}

/* The step's first file when the form has its input (by its name, or
 * under the form's prefix): a required file input beside it is an extra
 * one, a gallery's row, given the same file; NULL otherwise, where the
 * step's file has no input and the required one may be the step's own
 * misnamed (photo for image: sent the 1x1 PNG, so that what the check's
 * file should have done is seen undone, and said). */
static const cJSON *submit_own_file(const struct run *run, const struct submit *sub, const struct html_form *form)
{
	const cJSON *own = sub->files ? sub->files->child : NULL;

	if (own && !form_has_step_name(run, form, own->string))
		own = NULL;
	return own;
}

/* The value to send in the form's control i: the one form_refill asks
 * for in place of the grader's own fill, else `value` as it is. */
static const char *refill_or(const struct run *run, const struct html_form *form, size_t i, bool named,
			     const char *value)
{
	const struct html_field *f = &form->fields[i];
	const char *out = value;
	size_t k;

	for (k = 0; !named && k < run->refill_names.n && out == value; k++)
		if (!strcmp(run->refill_names.v[k], f->name) && !field_sent_elsewhere(form, i))
			out = run->refill_values.v[k];
	if (!named && out == value && run->refill_text[0] && f->fill && (!value || !*value) && f->type &&
	    !strcmp(f->type, "text") && !field_sent_elsewhere(form, i))
		out = run->refill_text;
	return out;
}

/* An unticked box of `f`'s name kept to tick if the answer asks for it
 * (form_tick_boxes), once, with whether it stands for a group. 0 or -1. */
static int tick_keep(struct req *r, const struct html_field *f)
{
	if (strlist_has(&r->tick_names, f->name))
		return 0;
	if (strlist_push(&r->tick_names, f->name) < 0 || strlist_push(&r->tick_values, f->tick) < 0 ||
	    (f->tick_group && strlist_push(&r->tick_groups, f->name) < 0))
		return -1;
	return 0;
}

/*
 * A required file input the grader filled (`name`, "photo") where the
 * step's file goes under a name the form has no control for ("image",
 * sent multipart as SPEC.md declares it): a Django form reading that file
 * as image refuses a text file beside the one file input the page has,
 * and the error read there is the step's file's, not the grader's own
 * valid PNG's (h998: a hand-written <input type=file name=photo> for the
 * form's image, recipe-rejects-non-image charged beside recipe-create-upload).
 */
static void file_filled_note(struct run *run, const struct submit *sub, const struct html_form *form,
			     const char *name)
{
	const cJSON *own = sub->files ? sub->files->child : NULL;

	if (own && own->string && !form_has_step_name(run, form, own->string) &&
	    strlen(name) < sizeof(run->file_filled[0]) && strlen(own->string) < sizeof(run->file_filled[1])) {
		snprintf(run->file_filled[0], sizeof(run->file_filled[0]), "%s", name);
		snprintf(run->file_filled[1], sizeof(run->file_filled[1]), "%s", own->string);
	}
}

/* Whether a select offers one of the challenge's users (an owner the
 * form lets the user pick, h147), by an option's words: the grader's
 * choice of its first is said where the row is then refused; a lookup
 * such as a category is not (h1038). */
static bool select_lists_users(const struct run *run, const struct html_field *f)
{
	size_t i, k;

	for (i = 0; i < f->noptions; i++)
		for (k = 0; k < run->c->nusers; k++)
			if (f->options[i].label && strcasestr(f->options[i].label, run->c->users[k].username))
				return true;
	return false;
}

/* A select the grader filled, kept in run->chosen where it lists users:
 * 0, or -1 (out of memory). */
static int chosen_add(struct run *run, const struct html_field *f)
{
	if (strcmp(f->type, "select") || !select_lists_users(run, f) || run->chosen.n >= 8 ||
	    strlist_has(&run->chosen, f->name))
		return 0;
	return strlist_push(&run->chosen, f->name) < 0 ? -1 : 0;
}

/*
 * The form's own fields, unless the step overrides them or drops the token.
 * A required field the step does not name, left empty, gets what a person
 * would enter (html.h's fill; a required file input, fill_png when the form
 * sends files), so that a refusal is about what the check tests and not
 * about a field it never mentions (run->filled lists them).
 */
static int submit_form_fields(struct run *run, const struct step *s, const struct html_form *form,
			      struct req *r, bool multipart)
{
	const struct submit *sub = s->submit;
	size_t i;

	gbuf_reset(&run->filled);
	gbuf_reset(&run->choiceless);
	run->file_filled[0][0] = run->file_filled[1][0] = '\0';
	form_prefix_find(run, sub, form);
	form_file_stand_in(run, sub, form);
	submit_note_absent(run, sub, form);
	for (i = 0; i < form->nfields; i++) {
		const struct html_field *f = &form->fields[i];
		bool named = f->name && submit_names_control(run, sub, form, f->name);
		const char *value;

		if (!f->name || !*f->name)
			continue;
		value = f->value;
		if (!named && f->tick && !field_sent_elsewhere(form, i) && tick_keep(r, f) < 0)
			return -1;
		if (!named && multipart && f->required && f->type && !strcmp(f->type, "file") &&
		    !field_sent_elsewhere(form, i)) {
			/* The name outlives the form, as submit_add_field's. The
			 * check's own file when it sends one (a person attaches
			 * the same photo again: a gallery's required row with a
			 * size rule of its own refused the 1x1 PNG, h580), else
			 * fill_png. */
			const char *nm = req_own(r, strdup(f->name));
			const cJSON *own = submit_own_file(run, sub, form);
			struct fill_file ff = fill_file_for(f->accept);

			/* Not where the row's accept leaves PNG out for another
			 * kind (h638: a gallery of JPEGs alone refused the
			 * check's PNG): the file of that kind, as h598's. */
			if (ff.data != fill_png)
				own = NULL;

			if (!nm || (!own && req_add_part(r, nm, ff.data, ff.len, ff.name, ff.type) < 0))
				return err_set("out of memory");
			if (own && req_add_file_part(run, r, nm, own) < 0)
				return -1;
			file_filled_note(run, sub, form, f->name);
			if (run->filled.len < 200)
				gbuf_addf(&run->filled, "%s%s", run->filled.len ? ", " : "", f->name);
			continue;
		}
		if (!named && !multipart && f->required && f->type && !strcmp(f->type, "file") &&
		    !r->file_unsent[0] && strlen(f->name) < sizeof(r->file_unsent))
			snprintf(r->file_unsent, sizeof(r->file_unsent), "%s", f->name);
		value = refill_or(run, form, i, named, f->value);
		/* Said with the value it was sent again with, which the
		 * refusal that follows may be about (h700: a bound of the
		 * app's own refused the duration asked for). */
		if (value != f->value && run->filled.len < 200)
			gbuf_addf(&run->filled, "%s%s (sent again as %.40s)", run->filled.len ? ", " : "", f->name,
				  value);
		if (!named && f->fill && (!value || !*value) && !field_sent_elsewhere(form, i)) {
			value = f->fill;
			if (run->filled.len < 200)
				gbuf_addf(&run->filled, "%s%s", run->filled.len ? ", " : "", f->name);
			if (chosen_add(run, f) < 0)
				return -1;
		} else if (((!named && f->required && !f->fill && (!value || !*value)) || (named && !select_has_choice(f))) &&
			   !strcmp(f->type, "select") && run->choiceless.len < 200) {
			/* Left empty, or named by the check: either way its
			 * only option is the empty one (h155: a category the
			 * check names, refused as "not one of the available
			 * choices" when no data migration made the rows). */
			gbuf_addf(&run->choiceless, "%s%s", run->choiceless.len ? ", " : "", f->name);
		}
		if (!value || !submit_sends_control(f) || named)
			continue;
		if (s->csrf == CSRF_OFF && !strcmp(f->name, "csrfmiddlewaretoken"))
			continue;
		if (submit_add_field(r, multipart, f->name, value) < 0)
			return -1;
	}
	return 0;
}

/* Whether an option's value or label reads `word` first, whatever its
 * case: the word alone, or followed by an "s" (its plural) or by
 * anything but a letter ("Dessert 🍰", "dessert-menu"). */
static bool option_reads_word(const char *opt, const char *word)
{
	size_t n = strlen(word);
	const unsigned char *after = (const unsigned char *)opt + n;

	if (!n || strncasecmp(opt, word, n))
		return false;
	if ((*after == 's' || *after == 'S') && !isalpha(after[1]))
		after++;
	return !isalpha(*after);
}

/*
 * What a person picks in a <select> told to choose `text`: text itself when
 * it is one of the options' values, else the value of the one option whose
 * value or visible label reads text whatever its case (a check's
 * "vegetarian" in an app whose choices are ("Vegetarian", "Vegetarian") or
 * ("veg", "Vegetarian")), else text, for the app to refuse as it would.
 * A check that is about the stored value reads it elsewhere (the admin's
 * ?category__exact=dessert), so a value spelt another way costs that check,
 * not every one that fills the form in. Malloc'd, or NULL (out of memory).
 */
static char *select_pick(struct run *run, const struct submit *sub, const struct html_form *form, const char *name,
			 const char *text)
{
	const struct html_field *f = NULL;
	const char *pick = NULL;
	size_t i;
	int n = 0;

	for (i = 0; form && i < form->nfields && !f; i++)
		if (form->fields[i].name && !strcmp(form->fields[i].name, name) && form->fields[i].noptions)
			f = &form->fields[i];
	for (i = 0; f && i < f->noptions && n >= 0; i++)
		if (!strcmp(f->options[i].value, text))
			n = -1;   /* an option's own value: sent as it is */
	/* A submit about the stored values (exact_choices) reads values
	 * alone: an option labelled Vegetarian whose value is "veggie" is no
	 * value vegetarian (h1100: SPEC.md's stored values, passed). */
	for (i = 0; f && i < f->noptions && n >= 0; i++) {
		if (!strcasecmp(f->options[i].value, text) ||
		    (!sub->exact_choices && !strcasecmp(f->options[i].label, text))) {
			if (!pick || strcmp(pick, f->options[i].value))
				n++;
			pick = f->options[i].value;
		}
	}
	/* Else the one option that reads text as its first word, or its
	 * plural ("desserts", "Dessert 🍰", h813: every check filling the form
	 * lost its recipe to "Select a valid choice"). */
	if (n == 0 && !pick) {
		for (i = 0; f && i < f->noptions; i++) {
			if (!option_reads_word(f->options[i].value, text) &&
			    (sub->exact_choices || !option_reads_word(f->options[i].label, text)))
				continue;
			if (!pick || strcmp(pick, f->options[i].value))
				n++;
			pick = f->options[i].value;
		}
	}
	/* Else, where no option reads it at all, the one a person leaves
	 * chosen, or the first real one (h1007: choices vegetarian, vegan,
	 * main and sweet, no dessert: every check sharing a dessert lost its
	 * recipe to "Select a valid choice", where the stored values are
	 * admin-category-filter's to judge, as a value spelt another way
	 * is). Said once in the check's messages (run->unoffered). Not a
	 * select of the empty option alone (a table no migration filled,
	 * h155), whose refusal its own note says, nor in a submit about the
	 * stored values themselves (exact_choices: admin-category-filter's
	 * vegetarian recipe, refused where no option offers it). */
	if (n == 0 && !pick && f) {
		const char *valued = NULL;

		pick = f->value && *f->value ? f->value : NULL;
		for (i = 0; !pick && i < f->noptions; i++)
			if (*f->options[i].value)
				pick = f->options[i].value;
		/* A label reading the value, another value under it: a
		 * ForeignKey's ids (h1283: "Vegetarian" valued 1). */
		for (i = 0; sub->exact_choices && i < f->noptions && !valued; i++)
			if (!strcasecmp(f->options[i].label, text) && *f->options[i].value)
				valued = f->options[i].value;
		/* In a submit about the stored values, the latest submit's, as
		 * the refusal read after it is (after_refused_form). */
		if (pick && valued)
			snprintf(run->unoffered, sizeof(run->unoffered), " (its %.40s option %.40s is valued %.20s)", name,
				 text, valued);
		else if (pick && sub->exact_choices)
			snprintf(run->unoffered, sizeof(run->unoffered), " (the form offers no %.40s %.40s)", text, name);
		else if (pick && !run->unoffered[0])
			snprintf(run->unoffered, sizeof(run->unoffered), " (the form offers no %.40s %.40s: the grader "
				 "chose %.40s)", text, name, pick);
		n = pick && !sub->exact_choices ? 1 : 0;
	}
	/* A submit about the stored values taking an option spelt another
	 * way ("Dessert" for dessert, h1021): the value stored is what the
	 * check's read then misses, so it is said, short, as the filter's
	 * own link may be quoted after it. */
	if (n == 1 && sub->exact_choices && strcmp(pick, text) && !run->unoffered[0])
		snprintf(run->unoffered, sizeof(run->unoffered), " (the form sent \"%.40s\")", pick);
	return strdup(n == 1 ? pick : text);
}

/*
 * A value the check names for a text control with a minlength it is short
 * of, lengthened as a person whose browser refuses the short one would
 * ("The lift is stuck." for a description of 20 characters at least,
 * h636): its words kept first, " More details." after them, up to the
 * control's maxlength. `text` is taken; a new string, or NULL on OOM.
 */
static char *text_to_minlength(const struct html_form *form, const char *name, char *text)
{
	struct gbuf b = GBUF_INIT(0);
	size_t i;
	long min = 0, max = 0;
	char *out = text;

	for (i = 0; i < form->nfields; i++)
		if (form->fields[i].name && !strcmp(form->fields[i].name, name) && form->fields[i].type &&
		    (!strcmp(form->fields[i].type, "text") || !strcmp(form->fields[i].type, "textarea"))) {
			min = form->fields[i].minlength;
			max = form->fields[i].maxlength;
			break;
		}
	if (min <= 0 || min > 10000 || (long)strlen(text) >= min)
		goto done;
	if (gbuf_adds(&b, text) < 0)
		goto oom;
	while ((long)b.len < min)
		if (gbuf_adds(&b, " More details.") < 0)
			goto oom;
	if (max >= min && (long)b.len > max)
		b.len = (size_t)max;
	out = strndup(b.data, b.len);
	free(text);
	if (!out)
		err_set("out of memory");
	goto done;
oom:
	free(text);
	out = NULL;
done:
	gbuf_release(&b);
	return out;
}

/* The step's own fields (templated; a select's by select_pick) and files.
 * 0, 1 a template failed (why), -1 error. */
static int submit_step_fields(struct run *run, const struct submit *sub, const struct html_form *form,
			      struct req *r, bool multipart, struct gbuf *why)
{
	const cJSON *it;
	char *text;
	int rc;

	cJSON_ArrayForEach(it, sub->fields) {
		/* The control's name (the form's prefix before it), which
		 * the request keeps, as the part's value. */
		const char *name = req_own(r, submit_control_name(run, form, it->string));

		if (!name)
			return err_set("out of memory");
		text = NULL;
		rc = render_text(run, it, &text, why);
		if (rc) {
			free(text);
			return rc;
		}
		{
			char *picked = select_pick(run, sub, form, name, text);

			free(text);
			if (!picked || !(picked = text_to_minlength(form, name, picked)))
				return err_set("out of memory");
			text = picked;
		}
		if (multipart) {
			/* The part points into text, which the request keeps
			 * (req_own frees it when it cannot). */
			if (!req_own(r, text))
				return err_set("out of memory");
			rc = req_add_part(r, name, text, strlen(text), NULL, NULL);
		} else {
			rc = urlencode_pair(r, name, text);
			free(text);
		}
		if (rc < 0)
			return -1;
	}
	cJSON_ArrayForEach(it, sub->files) {
		bool first = it == sub->files->child;
		const char *name;

		/* Sent as declared, under the form's file input of another
		 * name (form_file_stand_in), or not at all where the form has
		 * no control for it: a browser sends a file only under a name
		 * the form has (h865, h313's nameless input). */
		if (!sub->multipart && !form_has_step_name(run, form, it->string) && !(first && run->file_as[0]))
			continue;
		name = req_own(r, first && run->file_as[0] ? strdup(run->file_as)
							   : submit_control_name(run, form, it->string));
		if (!name)
			return err_set("out of memory");
		if (multipart) {
			rc = req_add_file_part(run, r, name, it);
		} else {
			/* A browser sends only the file's name when the form
			 * forgot enctype="multipart/form-data". */
			const cJSON *f = json_member(it, "filename");
			const cJSON *p = json_member(it, "file");
			const char *file = cJSON_IsString(f) ? f->valuestring :
					   cJSON_IsString(p) ? p->valuestring : "";
			const char *base = strrchr(file, '/');

			rc = urlencode_pair(r, name, base ? base + 1 : file);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* A GET form puts its fields in the query string; a POST one sends them
 * urlencoded unless multipart. 0 or -1. */
static int submit_place_fields(struct req *r, bool multipart)
{
	if (!strcasecmp(r->method, "GET")) {
		if (r->body.len &&
		    (gbuf_addch(&r->path, strchr(gbuf_str(&r->path), '?') ? '&' : '?') < 0 ||
		     gbuf_add(&r->path, r->body.data, r->body.len) < 0))
			return -1;
		gbuf_reset(&r->body);
		return 0;
	}
	if (multipart)
		return 0;
	if (!r->body.data && gbuf_adds(&r->body, "") < 0)
		return -1;
	return req_add_header(r, "Content-Type", "application/x-www-form-urlencoded");
}

/* What the messages may need to know of the form r sends (struct req):
 * whether it lacks its CSRF token, and its file inputs. */
static int req_note_form(struct req *r, const struct step *s, const struct html_form *form)
{
	bool check_csrf = s->csrf != CSRF_OFF && http_method_is_unsafe(r->method);
	size_t i;

	r->form_without_csrf = check_csrf;
	for (i = 0; i < form->nfields; i++) {
		const struct html_field *f = &form->fields[i];

		if (!f->name)
			continue;
		if (check_csrf && !strcmp(f->name, "csrfmiddlewaretoken"))
			r->form_without_csrf = false;
		r->form_password |= f->type && !strcmp(f->type, "password");
		if (f->type && !strcmp(f->type, "file") && r->nfile_inputs < 8) {
			if (!(r->file_inputs[r->nfile_inputs] = req_own(r, strdup(f->name))))
				return err_set("out of memory");
			r->nfile_inputs++;
		}
	}
	return 0;
}

/*
 * A submit step: fetch the page, pick the form, fill it in, build the
 * request the browser would send. 0 built, STEP_FAILED the page or form is
 * not as expected (why), STEP_APP_FAULT fetching the page failed at the
 * transport level (why), -1 error.
 *
 * A repeated step (`repeat: N`, the 11 rows of a query budget) sends the
 * form its first repetition fetched again, as a person filling in the same
 * form N times with the page left open would: the page is fetched once,
 * not N times (for recipe-platform's 11 uploads, 10 form pages the app
 * renders for nothing). It is fetched again as soon as the page's path
 * renders differently ({{i}} in it) or the actor's session or CSRF cookie
 * changed (form_memo_fresh): the kept form is then no longer the one a
 * fresh page would show. Not with `follow` nor `any_of`, whose pages may
 * differ from one sending to the next.
 */
static int req_build_submit(struct run *run, struct http_actor *a, const struct step *s,
			    struct req *r, struct gbuf *why)
{
	const struct submit *sub = s->submit;
	struct gbuf page = GBUF_INIT(64 << 10);
	struct html_doc *doc = NULL;
	struct html_form *form = NULL;
	bool multipart;
	int rc;

	rc = render_path(run, sub->page, &page, why);
	if (rc)
		goto done;
	if (run->memo.step == s && !strcmp(run->memo.page, gbuf_str(&page)) && form_memo_fresh(run, a)) {
		form = run->memo.form;
	} else {
		form_memo_clear(run);
		rc = submit_load_form(run, a, s, &page, &doc, &form, why);
		if (rc)
			goto done;
		if (s->repeat > 1 && !s->any_var && !s->follow) {
			run->memo.page = strdup(gbuf_str(&page));
			if (!run->memo.page) {
				rc = err_set("out of memory");
				goto done;
			}
			run->memo.step = s;
			run->memo.form = form;
			run->memo.session = http_actor_cookie(a, session_cookie_name(run));
			run->memo.csrf = http_actor_cookie(a, csrf_cookie_name(run));
		}
	}
	/* Kept in a repeated step's form: its later sendings fill them too. */
	if (run->rows_min > 0 && html_form_rows_require(form, run->rows_min) < 0) {
		rc = -1;
		goto done;
	}
	/* csrf: off stands for another site's forged request: its own form,
	 * posted, whatever method the app's form declares (h301: a form of
	 * hx-post alone, sent as a GET, cost csrf-enforced besides
	 * ticket-create, which charges the form's markup). */
	r->method = strdup(s->csrf == CSRF_OFF ? "POST" : form->method && *form->method ? form->method : "GET");
	r->form_no_method = r->method && !strcmp(r->method, "GET");
	r->form_htmx = form->htmx;
	if (!r->method) {
		rc = err_set("out of memory");
		goto done;
	}
	if (req_note_form(r, s, form) < 0) {
		rc = -1;
		goto done;
	}
	rc = form_target(gbuf_str(&page), form->action, &r->path, why);
	if (rc)
		goto done;
	if (strcmp(gbuf_str(&r->path), gbuf_str(&page)) && page.len < sizeof(r->form_page))
		snprintf(r->form_page, sizeof(r->form_page), "%s", gbuf_str(&page));
	multipart = sub->multipart || (form->enctype && strcmp(form->enctype, "multipart/form-data") == 0);
	rc = submit_form_fields(run, s, form, r, multipart);
	if (rc == 0)
		rc = submit_step_fields(run, sub, form, r, multipart, why);
	if (rc == 0)
		rc = submit_place_fields(r, multipart);
done:
	if (form != run->memo.form)   /* the kept form is run->memo's */
		html_form_free(form);
	html_free(doc);
	gbuf_release(&page);
	return rc;
}

/* ---- running steps and checks -------------------------------------------- */

/* A path as a message shows it: a form sent as a GET puts its
 * csrfmiddlewaretoken in the query, 64 characters of noise that pushed
 * the fields and the hint after them out of the excerpt (h301); the pair
 * is left out. */
static void path_without_token(const char *path, struct gbuf *out)
{
	static const char name[] = "csrfmiddlewaretoken=";
	const char *q = strchr(path, '?'), *p, *amp;

	if (!q) {
		gbuf_adds(out, path);
		return;
	}
	gbuf_add(out, path, (size_t)(q - path));
	for (p = q + 1; *p; p = *amp ? amp + 1 : amp) {
		amp = p + strcspn(p, "&");
		if (!strncmp(p, name, sizeof(name) - 1))
			continue;
		gbuf_addch(out, out->len > (size_t)(q - path) ? '&' : '?');
		gbuf_add(out, p, (size_t)(amp - p));
	}
}

/* "GET /tickets/ as anonymous", and where its redirects led when the step
 * followed them ("(followed to /login/?next=/tickets/)"): what answered is
 * that page, not the one asked for. */
static void describe_request(const struct req *r, const struct http_actor *a,
			     const struct http_response *rs, struct gbuf *out)
{
	const char *end = rs->effective_path;
	struct gbuf shown = GBUF_INIT(4096);

	gbuf_addf(out, "%s ", r->method ? r->method : "GET");
	path_without_token(gbuf_str(&r->path), &shown);
	gbuf_add_excerpt(out, gbuf_str(&shown), shown.len, 120);
	gbuf_release(&shown);
	/* "anonymous-login" is the suite's name for a visitor's own cookie
	 * jar: a student reads "anonymous", as SPEC.md names visitors. */
	gbuf_addf(out, " as %s", strncmp(http_actor_name(a), "anonymous", 9) ? http_actor_name(a) : "anonymous");
	/* A redirect loop's fault names its pages itself (http.c), and the
	 * last hop's nested ?next= would crowd out what to do (h420). */
	if (end && strcmp(end, gbuf_str(&r->path)) && rs->fault != HTTP_FAULT_REDIRECTS) {
		gbuf_adds(out, " (followed to ");
		gbuf_add_excerpt(out, end, strlen(end), 120);
		gbuf_addch(out, ')');
	}
}

/* The SQL queries the boot module signed into the response, "N TOKEN"
 * then " R TABLE" for each of up to two statements that ran R > 1 times
 * (grader_boot.py's _repeated_query): N, or -1 when unsigned. Each R and
 * TABLE goes to reps (count 0 ends them); TABLE comes from the app's SQL,
 * so only a plain name of up to 63 bytes is kept, and a pair that is not
 * one ends the list. */
static long response_queries(struct run *run, const struct http_response *rs,
			     struct query_repeat reps[static QUERY_REPEATS])
{
	char *v = http_response_header(rs, QUERIES_HEADER);
	const char *token = run->o->boot ? run->o->boot->query_token : NULL;
	long n = -1, r;
	char *end = NULL, *p;
	size_t tl, k, i;

	memset(reps, 0, QUERY_REPEATS * sizeof(*reps));
	if (!v || !token)
		goto done;
	n = strtol(v, &end, 10);
	while (end && *end == ' ')
		end++;
	tl = strlen(token);
	if (!end || end == v || strncmp(end, token, tl) != 0 || (end[tl] && end[tl] != ' ')) {
		n = -1;
		goto done;
	}
	p = end + tl;
	for (i = 0; i < QUERY_REPEATS && *p == ' '; i++) {
		r = strtol(p + 1, &p, 10);
		if (r <= 1 || *p != ' ')
			break;
		for (p++, k = 0; k < 63 && (isalnum((unsigned char)p[k]) || p[k] == '_'); k++)
			reps[i].table[k] = p[k];
		if (!k || (p[k] && p[k] != ' ')) {
			reps[i].table[0] = '\0';
			break;
		}
		reps[i].table[k] = '\0';
		reps[i].count = r;
		p += k;
	}
done:
	free(v);
	return n;
}

/* wsgiref's access-log line: 127.0.0.1 - - [date] "GET / HTTP/1.1" 200 12 */
static bool is_access_log(const char *start, const char *end)
{
	size_t n = (size_t)(end - start);

	return n > 16 && memchr(start, '[', n) && memchr(start, '"', n) &&
	       (!strncmp(start, "127.0.0.1 - ", 12) || !strncmp(start, "localhost - ", 12));
}

/* "django.db.utils.OperationalError: no such table", "KeyError: 'x'",
 * "ValueError", "django.core.exceptions.SynchronousOnlyOperation: ...":
 * the line a traceback ends with. A name of its own (no Error, Exception,
 * DoesNotExist or Exit in it) counts only before a colon and only when it
 * reads as a class: dotted (a module's, its last part capitalised) or
 * CamelCase ("PermissionDenied: "), so "Note: " or "WARNING: " does not. */
static bool is_exception_line(const char *start, const char *end)
{
	const char *p = start, *last = start;
	size_t n, upper = 0, lower = 0;

	if (p == end || !(isalpha((unsigned char)*p) || *p == '_'))
		return false;
	while (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '.')) {
		if (*p == '.')
			last = p + 1;
		p++;
	}
	if (p < end && *p != ':')
		return false;
	n = (size_t)(p - start);
	/* A warning's own line ("RuntimeWarning: Enable tracemalloc to get
	 * the object allocation traceback", after an un-awaited coroutine's,
	 * h435) is not what failed. */
	if (n >= 7 && !memcmp(p - 7, "Warning", 7))
		return false;
	if (memmem(start, n, "Error", 5) || memmem(start, n, "Exception", 9) ||
	    memmem(start, n, "DoesNotExist", 12) || memmem(start, n, "Exit", 4))
		return true;
	if (p == end || last == p || !isupper((unsigned char)*last))
		return false;
	for (; last < p; last++) {
		upper += isupper((unsigned char)*last) != 0;
		lower += islower((unsigned char)*last) != 0;
	}
	return lower && (memchr(start, '.', n) || upper >= 2);
}

/*
 * Where in the project the exception was raised: the deepest frame of its
 * traceback (the lines above `exc`, up to "Traceback") whose file is not a
 * library's (site-packages, the standard library) nor the grader's boot
 * module nor Python's machinery ("<frozen importlib._bootstrap>"), said
 * as its last two path components and line: ", at
 * store/serializers.py:30" (h393: "KeyError: 'product'" with no word of
 * where). The boot module is in every traceback of a query (its
 * statement counter wraps each execute), so a missing column was said to
 * be "at boot/grader_boot.py:1924", the grader's line, where the app's was
 * the serializer's create (h401, h402). Nothing when every frame is a
 * library's or the grader's, or none is in the tail read.
 */
static void project_frame(const char *text, const char *exc, struct gbuf *out, char *folder, size_t cap)
{
	const char *end = exc, *start, *q, *close, *num, *base;
	int slashes;

	while (end > text) {
		start = end - 1;
		while (start > text && start[-1] != '\n')
			start--;
		if (!strncmp(start, "Traceback (most recent call last)", 33))
			return;
		/* Not "<frozen importlib._bootstrap>" (h423), nor any other
		 * file of no path: Python's own machinery. */
		if (!strncmp(start, "  File \"", 8) && start[8] != '<' &&
		    (close = memchr(start + 8, '"', (size_t)(end - start - 8))) &&
		    !memmem(start, (size_t)(close - start), "/site-packages/", 15) &&
		    !memmem(start, (size_t)(close - start), "/lib/python3", 12) &&
		    !memmem(start, (size_t)(close - start), "/grader_boot.py", 15) && close[1] == ',' &&
		    !strncmp(close + 2, " line ", 6) && isdigit((unsigned char)close[8])) {
			for (base = close, slashes = 0; base > start + 8 && slashes < 2; base--)
				if (base[-1] == '/' && ++slashes == 2)
					break;
			for (num = close + 8, q = num; q < end && isdigit((unsigned char)*q); q++)
				;
			gbuf_adds(out, ", at ");
			gbuf_add_excerpt(out, base, (size_t)(close - base), 60);
			gbuf_addf(out, ":%.*s", (int)(q - num), num);
			/* The frame's folder ("store" of store/services.py), for
			 * own_exception; "" for a file at the project's top. */
			q = memchr(base, '/', (size_t)(close - base));
			snprintf(folder, cap, "%.*s", q && base < close ? (int)(q - base) : 0, base);
			return;
		}
		end = start;
	}
}

/*
 * Whether the exception line [exc, end) names a class of the app's own: a
 * dotted path ("store.exceptions.OrderError: ...") with `folder`, the
 * folder of the project frame it was raised in, as one of its modules.
 * Such an exception reached the server uncaught, a 500 where the app meant
 * a refusal (h976: an OrderError of a services layer, no handler mapping
 * it), and its words say nothing of that. Django's and the libraries'
 * classes are not in the project's folders; a builtin has no dot.
 */
static bool own_exception(const char *exc, const char *end, const char *folder)
{
	const char *colon = memchr(exc, ':', (size_t)(end - exc)), *p = exc, *dot;
	size_t n = strlen(folder);

	/* A model's own DoesNotExist and MultipleObjectsReturned are
	 * Django's, dotted under the model ("store.models.Product.DoesNotExist"),
	 * and so is a relation's RelatedObjectDoesNotExist, dotted under its
	 * field (h1298: "recipes.models.Recipe.author.RelatedObjectDoesNotExist",
	 * an author read before the view set it, told to catch it). */
	if (!n || !colon || memchr(exc, ' ', (size_t)(colon - exc)) ||
	    memmem(exc, (size_t)(colon - exc), ".DoesNotExist", 13) ||
	    memmem(exc, (size_t)(colon - exc), ".RelatedObjectDoesNotExist", 26) ||
	    memmem(exc, (size_t)(colon - exc), ".MultipleObjectsReturned", 24))
		return false;
	while ((dot = memchr(p, '.', (size_t)(colon - p)))) {
		if ((size_t)(dot - p) == n && !memcmp(p, folder, n))
			return true;
		p = dot + 1;
	}
	return false;
}

/*
 * Whether the traceback whose exception line is at exc (in text) passed
 * through DRF's APIView.handle_exception: the exception was raised by the
 * API's EXCEPTION_HANDLER while it answered another (h890: a handler
 * reading response.data["detail"] of a 400's field errors, KeyError, was
 * told the step's own advice, "a quantity must be at least 1", which the
 * serializer already did). Bounded by the traceback's own lines.
 */
static bool traceback_in_handler(const char *text, const char *exc)
{
	static const char frame[] = "/rest_framework/views.py\", line ";
	const char *end = exc, *start, *nl, *later = NULL;
	size_t later_len = 0;
	bool in = false, done = false;

	while (end > text && !done) {
		start = end - 1;
		while (start > text && start[-1] != '\n')
			start--;
		nl = memchr(start, '\n', (size_t)(end - start));
		if (!nl)
			nl = end;
		done = !strncmp(start, "Traceback (most recent call last)", 33);
		if (!done && !strncmp(start, "  File \"", 8)) {
			/* The frame handle_exception called: the handler's, not
			 * raise_uncaught_exception's (every view's own error
			 * in DRF passes handle_exception on its way out). */
			done = memmem(start, (size_t)(nl - start), frame, sizeof(frame) - 1) &&
			       memmem(start, (size_t)(nl - start), ", in handle_exception", 21);
			in = done && later && !memmem(later, later_len, ", in raise_uncaught_exception", 29);
			later = start;
			later_len = (size_t)(nl - start);
		}
		end = start;
	}
	return in;
}

/*
 * The line [s, s+n) into out with each default object repr,
 * "<django.contrib.auth.models.AnonymousUser object at 0x7f47f71a9810>",
 * said as "<AnonymousUser object>": the module path and the address say
 * nothing to the student, and took the room of the exception's own words
 * ("... must be a \"User\" instance", cut at "must be a …", h476).
 */
static void compact_reprs(const char *s, size_t n, struct gbuf *out)
{
	const char *p = s, *end = s + n, *name, *q, *last;

	gbuf_reset(out);
	while (p < end) {
		if (*p != '<') {
			gbuf_addch(out, *p++);
			continue;
		}
		name = last = p + 1;
		for (q = name; q < end && (isalnum((unsigned char)*q) || *q == '_' || *q == '.'); q++)
			if (*q == '.')
				last = q + 1;
		if (q > last && (size_t)(end - q) > 13 && !memcmp(q, " object at 0x", 13)) {
			const char *h = q + 13;

			while (h < end && isxdigit((unsigned char)*h))
				h++;
			if (h < end && *h == '>' && h > q + 13) {
				gbuf_addf(out, "<%.*s object>", (int)(q - last), last);
				p = h + 1;
				continue;
			}
		}
		gbuf_addch(out, *p++);
	}
}

/*
 * What the app logged about a 5xx, for the message: the exception line of
 * the last traceback (not the access log, not the ^^^^ markers a traceback
 * is still being written with), written since the running step began: the
 * app writes its traceback before it answers, but the log is drained by
 * another process. A sandbox's PID 1 is asked to read its pipe dry first
 * (app_output_sync), after which one read sees it all; a load that kept
 * PID 1 from its turn for 300 ms used to lose the line, and with it the
 * cause two checks share. Unsandboxed, short waits (up to 300 ms, on a 5xx
 * only) give it time to land. An older traceback (the check before's) must
 * not be taken for it meanwhile.
 * Without an exception line, the last line that is not an access-log line.
 */
/*
 * A log line that is a JSON object (python-json-logger, structlog) holding
 * a traceback under one of the usual keys: the traceback's text into `exc`
 * (h414: the exception line was inside a 10 KB JSON line, which the
 * line-by-line reading never saw). True when found.
 */
static bool json_log_traceback(const char *start, const char *end, struct gbuf *exc)
{
	static const char *const keys[] = { "exc_info", "exception", "traceback", "stack_trace", "exc_text",
					    "stack" };
	cJSON *o;
	const cJSON *v;
	size_t i;
	bool got = false;

	/* Parsed only when it may hold one: a JSON log has a line per
	 * request, and this runs on each of the last 200. */
	if (*start != '{' || end[-1] != '}' || !memmem(start, (size_t)(end - start), "Traceback", 9))
		return false;
	o = cJSON_ParseWithLength(start, (size_t)(end - start));
	for (i = 0; cJSON_IsObject(o) && i < sizeof(keys) / sizeof(keys[0]) && !got; i++) {
		v = cJSON_GetObjectItemCaseSensitive(o, keys[i]);
		if (cJSON_IsString(v) && strstr(v->valuestring, "Traceback")) {
			gbuf_reset(exc);
			got = gbuf_adds(exc, v->valuestring) == 0;
		}
	}
	cJSON_Delete(o);
	return got;
}

/* The last line of `text` that names an exception, or NULL; its end in
 * *line_end. */
static const char *last_exception_line(const char *text, size_t len, const char **line_end)
{
	const char *end = text + len, *start;

	while (end > text) {
		while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
			end--;
		for (start = end; start > text && start[-1] != '\n'; start--)
			;
		if (end > start && is_exception_line(start, end)) {
			*line_end = end;
			return start;
		}
		end = start;
	}
	return NULL;
}

/* Python's warning "store/views.py:16: RuntimeWarning: coroutine
 * 'ProductViewSet.create.<locals>.payload' was never awaited" (async code
 * under WSGI, h435) said as what it means, the coroutine's own name and
 * where, which a cut at APP_LINE_MAX lost: true when [s, end) is one. */
static bool never_awaited(const char *s, const char *end, struct gbuf *out)
{
	static const char warn[] = ": RuntimeWarning: coroutine '", tail[] = "' was never awaited";
	const char *w = memmem(s, (size_t)(end - s), warn, sizeof(warn) - 1), *name, *q, *dot;

	if (!w || (size_t)(end - s) < sizeof(tail) - 1 || memcmp(end - (sizeof(tail) - 1), tail, sizeof(tail) - 1))
		return false;
	name = w + sizeof(warn) - 1;
	q = end - (sizeof(tail) - 1);
	/* 'A.method.<locals>.inner': the part a student wrote, its last. */
	dot = q;
	while (dot > name && dot[-1] != '.')
		dot--;
	gbuf_adds(out, " (the app logged: coroutine ");
	gbuf_add_excerpt(out, dot, (size_t)(q - dot), 60);
	gbuf_adds(out, "() was never awaited, at ");
	gbuf_add_excerpt(out, s, (size_t)(w - s), 60);
	gbuf_adds(out, ": an async function called without await)");
	return true;
}

/*
 * pydantic's ValidationError of an attribute it could not read (Django
 * Ninja building an answer, h1216: an order's product_name read through a
 * foreign key not loaded, in an async view), whose logged line says only
 * "1 validation error for NinjaResponseSchema": the field and the error
 * on the lines after it, and for SynchronousOnlyOperation the fix. Reads
 * at most the next 4 lines of the log, up to `end`.
 */
static void attribute_error_said(const char *line_end, const char *end, struct gbuf *out)
{
	static const char mark[] = "Error extracting attribute: ";
	const char *p = line_end, *nl, *field = NULL, *field_end = NULL, *at = NULL, *stop;
	int i;

	for (i = 0; i < 4 && p < end && !at; i++, p = nl < end ? nl + 1 : end) {
		if (*p == '\n')
			p++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		at = memmem(p, (size_t)(nl - p), mark, sizeof(mark) - 1);
		if (!at) {
			field = p;
			field_end = nl;
			continue;
		}
		at += sizeof(mark) - 1;
		/* Its words up to pydantic's [type=...], or Django's advice
		 * after " - " ("use a thread or sync_to_async"), which the
		 * note below replaces. */
		stop = memmem(at, (size_t)(nl - at), " - ", 3);
		if (!stop)
			stop = memmem(at, (size_t)(nl - at), " [type=", 7);
		gbuf_adds(out, " (reading ");
		if (field && field_end > field)
			gbuf_add_excerpt(out, field, (size_t)(field_end - field), 60);
		gbuf_adds(out, ": ");
		gbuf_add_excerpt(out, at, (size_t)((stop ? stop : nl) - at), 80);
		gbuf_adds(out, ")");
		if (!strncmp(at, "SynchronousOnlyOperation", 24))
			gbuf_adds(out, " (an object not loaded, read in an async view: select_related it)");
	}
}

static void app_last_line(const struct run *run, struct gbuf *out)
{
	struct gbuf tail = GBUF_INIT(65536), jexc = GBUF_INIT(65536), line = GBUF_INIT(65536);
	const char *s, *end, *start, *found = NULL, *found_end = NULL, *fallback = NULL, *fallback_end = NULL;
	char folder[64] = "";
	const char *text = NULL, *text_end = NULL;
	int attempt, attempts = 10, lines, rc;

	if (!run->o->app)
		return;
	pthread_mutex_lock(&run->sh->app_lock);
	if (app_output_sync(run->o->app) == 0)
		attempts = 1;
	pthread_mutex_unlock(&run->sh->app_lock);
	err_clear();
	for (attempt = 0; attempt < attempts && !found; attempt++) {
		if (attempt) {
			struct timespec ts = { 0, 30 * 1000 * 1000 };

			nanosleep(&ts, NULL);
		}
		gbuf_reset(&tail);
		fallback = NULL;
		pthread_mutex_lock(&run->sh->app_lock);
		/* 64 KiB: a JSON log writes a traceback on one line, chained
		 * ones past 10 KB (h414). */
		rc = app_output_tail(run->o->app, &tail, 65536, run->log_mark);
		pthread_mutex_unlock(&run->sh->app_lock);
		if (rc < 0 || !tail.len)
			continue;
		s = tail.data;
		end = s + tail.len;
		for (lines = 0; lines < 200 && !found; lines++) {
			while (end > s && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
				end--;
			if (end == s)
				break;
			start = end;
			while (start > s && start[-1] != '\n')
				start--;
			if (is_exception_line(start, end)) {
				found = start;
				found_end = end;
				text = tail.data;
				text_end = tail.data + tail.len;
			} else if (json_log_traceback(start, end, &jexc) &&
				   (found = last_exception_line(jexc.data, jexc.len, &found_end))) {
				text = jexc.data;
				text_end = jexc.data + jexc.len;
			} else if (!fallback && !is_access_log(start, end) &&
				   start + strspn(start, " ^~") < end && strncmp(start, "Traceback", 9) &&
				   /* Not a warning's second and third lines (the
				    * source line, "Enable tracemalloc ..."), h435:
				    * its first names the coroutine never awaited. */
				   !isspace((unsigned char)*start) &&
				   strncmp(start, "RuntimeWarning: Enable tracemalloc", 34)) {
				fallback = start;
				fallback_end = end;
			}
			end = start;
		}
	}
	if (!found) {
		found = fallback;
		found_end = fallback_end;
	}
	/* A long line loses its exception's module path before its words:
	 * "SynchronousOnlyOperation: ... use a thread or sync_to_async." whole
	 * says the fix; "django.core.exceptions.SynchronousOnlyOperation: ..."
	 * cut at 120 bytes lost it (h360). The class's own name stays. */
	if (found && found != fallback && (size_t)(found_end - found) > APP_LINE_MAX) {
		const char *colon = memchr(found, ':', (size_t)(found_end - found)), *dot = NULL;

		for (start = found; colon && start < colon; start++)
			if (*start == '.')
				dot = start;
		if (dot)
			found = dot + 1;
	}
	if (found && found == fallback && never_awaited(found, found_end, out)) {
		;
	} else if (found) {
		compact_reprs(found, (size_t)(found_end - found), &line);
		gbuf_adds(out, " (the app logged: ");
		gbuf_add_excerpt(out, line.data, line.len, APP_LINE_MAX);
		if (found != fallback && text)
			project_frame(text, found, out, folder, sizeof(folder));
		gbuf_adds(out, ")");
		/* pydantic's words: "ValidationError: 2 validation errors for X". */
		if (found != fallback && text && memmem(found, (size_t)(found_end - found), "ValidationError: ", 17) &&
		    memmem(found, (size_t)(found_end - found), " validation error", 17))
			attribute_error_said(found_end, text_end, out);
		if (own_exception(found, found_end, folder))
			gbuf_adds(out, OWN_EXCEPTION_NOTE);
		/* A relation read before it was set ("Recipe has no author.",
		 * h1298: form.save() before the view set the author, which the
		 * model's upload path reads), or a related row never made
		 * ("User has no profile.", h1302: a profile made by the signup
		 * view alone, not for create_user's users). */
		else if (found != fallback &&
			 memmem(found, (size_t)(found_end - found), "RelatedObjectDoesNotExist: ", 27))
			gbuf_adds(out, " (a related object that does not exist: set it before save(), with "
				  "save(commit=False), or make it with its owner, a post_save signal or get_or_create)");
		/* An exception handler that would answer it, named under a key
		 * DRF does not know, is never called (h1071). */
		if (own_exception(found, found_end, folder) && run->o->boot && run->o->boot->drf_unknown)
			gbuf_addf(out, " (REST_FRAMEWORK's %s: no DRF setting, misspelt?)", run->o->boot->drf_unknown);
		/* A column the model has and the database lacks: said in the
		 * check's own line as the report's cause says it (h973, h1040,
		 * h1054, h1057: in migrations-current alone). */
		if (memmem(line.data, line.len, "no such column: ", 16) ||
		    memmem(line.data, line.len, " has no column named ", 21))
			gbuf_adds(out, " (a model changed without its migration? run makemigrations and commit it)");
		/* Said after the logged line's own brackets, which causes.c reads
		 * as the exception and where (Django's own ValidationError under
		 * DRF is a known cause there, with its fix, h902). */
		if (found != fallback && text && traceback_in_handler(text, found))
			gbuf_adds(out, IN_HANDLER_NOTE);
	}
	gbuf_release(&tail);
	gbuf_release(&jexc);
	gbuf_release(&line);
}

/* Whether a list of statuses, from item `it` on, is every redirect a step
 * follows (301, 302, 303, 307, 308): said as "a redirect", not as five
 * numbers. */
static bool status_list_is_redirects(const cJSON *it)
{
	static const int redirects[] = {301, 302, 303, 307, 308};
	size_t n = 0;

	for (; it; it = it->next)
		if (n >= 5 || !cJSON_IsNumber(it) || it->valueint != redirects[n++])
			return false;
	return n == 5;
}

/* A status assertion's operand as the run renders it (the caller deletes
 * it), or NULL for a negated one or one that does not render. */
static cJSON *status_operand(const struct assertion *a, const cJSON *vars)
{
	cJSON *v = NULL;
	struct gbuf why = GBUF_INIT(256);

	if (a->negate || template_render(a->value, vars, &v, &why) != 0) {
		cJSON_Delete(v);
		v = NULL;
	}
	gbuf_release(&why);
	return v;
}

/* Whether a status assertion asks for `code` and nothing else. */
static bool status_expects_only(const struct assertion *a, const cJSON *vars, int code)
{
	cJSON *v = a->pred == P_EQUALS ? status_operand(a, vars) : NULL;
	bool only = cJSON_IsNumber(v) && v->valueint == code;

	cJSON_Delete(v);
	return only;
}

/* Whether a status assertion asks for a refusal alone: 401, 403 or 404,
 * or a list of them. */
static bool status_expects_refusal(const struct assertion *a, const cJSON *vars)
{
	cJSON *v = status_operand(a, vars);
	const cJSON *it;
	bool only = cJSON_IsNumber(v) && v->valueint >= 401 && v->valueint <= 404;

	if (cJSON_IsArray(v) && v->child) {
		only = true;
		cJSON_ArrayForEach(it, v)
			only &= cJSON_IsNumber(it) && it->valueint >= 401 && it->valueint <= 404;
	}
	cJSON_Delete(v);
	return only;
}

/* Whether a step asks for a page (200 and nothing else), or reads one
 * asking no status and no redirect's Location (staff's page read for its
 * status form, h627): its GET then follows a redirect to a page beneath
 * the one asked for, the same page at its canonical address
 * ("/tickets/7/" -> "/tickets/7/tck-0007/", h600), where the answer that
 * counts is the page's. So does a step judging a refusal (`refused`,
 * `login_redirect`) that reads no Location: the page at its longer
 * address is the one that refuses (h770: /tickets/4/ to
 * /tickets/4/tck-0004/, then the login page, was judged on the first
 * hop; /tickets/ to its own /tickets/?status=all likewise). A login page
 * is never such a hop (http.c path_beneath: Django's admin's, beneath
 * /admin/, stays the answer). One written `follow: false` (a page whose
 * row asks it to answer 200 itself) never follows. */
static bool step_asks_page(const struct run *run, const struct step *s)
{
	size_t i;
	bool status = false, refusal = false, location = false;
	enum query_kind q;

	for (i = 0; !s->no_follow && i < s->nasserts; i++) {
		q = s->asserts[i].query;
		refusal |= q == Q_REFUSED || q == Q_LOGIN_REDIRECT;
		location |= q == Q_LOCATION;
		if (q != Q_STATUS && q != Q_LOCATION)
			continue;
		if (q == Q_STATUS && status_expects_only(&s->asserts[i], run->vars, 200))
			return true;
		status = true;
	}
	for (i = 0; i < s->ncaptures; i++)
		location |= s->captures[i].q.query == Q_LOCATION || s->captures[i].q.query == Q_HEADER;
	return !s->no_follow && !location && (refusal || !status);
}

/* "400", "401 or 403", "a redirect (3xx)", "anything but 200": what a
 * status assertion wants. */
static void status_expectation(const struct assertion *a, const cJSON *vars, struct gbuf *out)
{
	const cJSON *it;
	cJSON *v = NULL;
	struct gbuf why = GBUF_INIT(256);
	bool first = true;

	/* The assertion's own words for it, as other queries' (h989:
	 * "anything but 401 or 403" where a page's 200 is meant). */
	if (a->expected) {
		(void)template_elide_str(a->expected, vars, out);
		goto done;
	}
	if (template_render(a->value, vars, &v, &why) != 0 || !v) {
		assertion_describe(a, vars, out);
		goto done;
	}
	if (a->negate)
		gbuf_adds(out, "anything but ");
	if (a->pred == P_ONE_OF && cJSON_IsArray(v) && status_list_is_redirects(v->child)) {
		gbuf_adds(out, "a redirect (3xx)");
	} else if (a->pred == P_ONE_OF && cJSON_IsArray(v)) {
		/* "200, 201 or a redirect (3xx)", where a setup's post takes
		 * any of them (h1097, h1122: "200, 201, 301, 302, 303, 307 or
		 * 308" beside another step's "a redirect (3xx)"). */
		cJSON_ArrayForEach(it, v) {
			bool redirects = !first && status_list_is_redirects(it);

			if (!first)
				gbuf_adds(out, it->next && !redirects ? ", " : " or ");
			if (redirects) {
				gbuf_adds(out, "a redirect (3xx)");
				break;
			}
			value_excerpt(it, out, 16);
			first = false;
		}
	} else if (a->pred == P_EQUALS) {
		value_excerpt(v, out, 16);
	} else {
		assertion_describe(a, vars, out);
	}
done:
	cJSON_Delete(v);
	gbuf_release(&why);
}

/* What a step answered 5xx expected: every status assertion the answer
 * breaks, joined ("status is less than 400"; h166: "expected status is
 * at least 200", which a 500 is, read as the grader's error; h497: "at
 * least 200 and anything but 400 and less than 400" for the one a 500
 * breaks), or all of them when it breaks none. No advice: the app's
 * logged exception is what a message cut to its room must keep. */
static void server_error_expected(const struct run *run, const struct step *s,
				  const struct http_response *rs, struct gbuf *msg)
{
	const struct assertion *advice = NULL;
	struct eval_ctx ctx;
	struct gbuf why = GBUF_INIT(1024);
	bool any = false, broken[64] = {false}, none = true;
	size_t i;

	eval_ctx_init(&ctx, rs, run->http, run->vars, run->c->dir);
	for (i = 0; i < s->nasserts && i < sizeof(broken) / sizeof(broken[0]); i++) {
		gbuf_reset(&why);
		broken[i] = s->asserts[i].query == Q_STATUS && assertion_check(&s->asserts[i], &ctx, &why) > 0;
		none = none && !broken[i];
	}
	eval_ctx_release(&ctx);
	gbuf_release(&why);
	for (i = 0; i < s->nasserts; i++) {
		if (s->asserts[i].query != Q_STATUS ||
		    (!none && (i >= sizeof(broken) / sizeof(broken[0]) || !broken[i])))
			continue;
		gbuf_adds(msg, any ? " and " : "; expected ");
		status_expectation(&s->asserts[i], run->vars, msg);
		any = true;
		/* Not a page's own advice on reaching it (h903: "look it
		 * up by that id" after a TypeError of the view's): the
		 * logged exception is the cause. A post's 200 is its
		 * refusal shown again, and its advice says what to refuse
		 * instead of failing (h1064: "a form's ImageField refuses a
		 * non-image" after PIL's UnidentifiedImageError). */
		if (!advice && s->asserts[i].message &&
		    (!status_expects_only(&s->asserts[i], run->vars, 200) || s->submit ||
		     (s->method && strcmp(s->method, "GET"))))
			advice = &s->asserts[i];
	}
	/* A step that asks no status (a read before the change): what any
	 * answer is expected to be, as every failure says (h1054, h1057). */
	if (!any)
		gbuf_adds(msg, "; expected an answer, not a server error");
	/* And what the status is for: a 500 where a login redirect was due
	 * is fixed by login_required, which the traceback does not say
	 * (h465). Only where it fits beside the step's name, said before
	 * it (its placeholders given 10 bytes more): the exception and
	 * where it was raised come first, and a cut would take them (a
	 * form's PIL.UnidentifiedImageError lost its text and its line to
	 * the advice). */
	/* Raised in the API's exception handler (traceback_in_handler): the
	 * handler is the fix, whatever the step's advice would say. */
	if (strstr(gbuf_str(msg), IN_HANDLER_NOTE)) {
		gbuf_adds(msg, DASH "fix the exception handler (settings' REST_FRAMEWORK EXCEPTION_HANDLER): it "
				    "raised while answering the app's own refusal");
		advice = NULL;
	}
	if (advice) {
		struct gbuf a = GBUF_INIT(1024);
		size_t name = s->name ? strlen(s->name) + 2 + 10 : 0;

		template_elide_str(advice->message, run->vars, &a);
		if (msg->len + sizeof(DASH) - 1 + a.len + name <= MSG_MAX) {
			gbuf_adds(msg, DASH);
			gbuf_add(msg, a.data, a.len);
		}
		gbuf_release(&a);
	}
}

static int capture_store(struct run *run, const char *name, cJSON *v);

/* A step that sends nothing: its assertions test variables (captures and
 * the boot facts, e.g. {{boot.migrations_current}}). */
static int run_assert_step(struct run *run, const struct step *s, struct gbuf *msg)
{
	struct eval_ctx ctx;
	struct gbuf why = GBUF_INIT(4096);
	size_t i;
	bool ok;
	int rc = 0, out = STEP_PASSED;

	eval_ctx_init(&ctx, NULL, run->http, run->vars, run->c->dir);
	for (i = 0; i < s->nasserts && out == STEP_PASSED; i++) {
		gbuf_reset(&why);
		rc = assertion_check(&s->asserts[i], &ctx, &why);
		if (rc < 0)
			break;
		ok = rc == 0;
		rc = 0;
		if (!ok) {
			out = STEP_FAILED;
			gbuf_add(msg, why.data, why.len);
		}
	}
	for (i = 0; rc == 0 && out == STEP_PASSED && i < s->ncaptures; i++) {
		cJSON *v = NULL;

		gbuf_reset(&why);
		rc = query_eval(&s->captures[i].q, &ctx, &v, &why);
		if (rc == 0 && v) {
			rc = capture_store(run, s->captures[i].name, v);
		} else if (rc >= 0) {
			cJSON_Delete(v);
			out = STEP_FAILED;
			gbuf_addf(msg, "no value for '%s'", s->captures[i].name);
			rc = 0;
		}
	}
	eval_ctx_release(&ctx);
	gbuf_release(&why);
	return rc < 0 ? -1 : out;
}

/* Whether an API's errors for one field (a list of strings, or one) say it
 * is required: Django's own words in the app's language (the boot says
 * them), else the English default's. Not DRF's type errors, "A valid
 * integer is required." (h286: a price sent, and refused for its type, was
 * told to be read from request.data), unless the field was `unsent`: then
 * "required" in any words is, "A valid SKU is required, e.g. SKU-1234."
 * (h775), no value having been refused. */
static bool error_says_required_of(const struct run *run, const cJSON *errs, bool unsent)
{
	const char *req_msg = run->o->boot ? run->o->boot->required_message : NULL;
	const cJSON *e;
	bool found = false;

	if (cJSON_IsString(errs))
		return (req_msg && *req_msg && !strcmp(errs->valuestring, req_msg)) ||
		       (strcasestr(errs->valuestring, "required") && (unsent || !strcasestr(errs->valuestring, "valid")));
	cJSON_ArrayForEach(e, errs)
		found = found || error_says_required_of(run, e, unsent);
	return found;
}

static bool error_says_required(const struct run *run, const cJSON *errs)
{
	return error_says_required_of(run, errs, false);
}

static bool is_messages(const cJSON *v);
static const cJSON *loc_errors(const cJSON *errs);
static const char *loc_field(const struct run *run, const cJSON *item);

/* The name of a field of the JSON sent that `name` is under another
 * spelling ("product" for "product_id" or "productId"), or NULL. */
static const char *sent_under_other_name(const cJSON *sent, const char *name)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, sent) {
		size_t n = it->string ? strlen(it->string) : 0;

		if (n && !strncmp(name, it->string, n) && (!strcmp(name + n, "_id") || !strcmp(name + n, "Id")))
			return it->string;
	}
	return NULL;
}

/* Whether a required field's name says it is the user sending the request
 * (an order's owner), which the client never sends. */
static bool names_the_requester(const char *name)
{
	/* And in the languages learners name their models in (h418:
	 * "usuario"). */
	static const char *const owners[] = { "user", "owner", "customer", "buyer", "client", "purchaser",
					      "created_by", "placed_by", "ordered_by", "usuario", "cliente",
					      "comprador", "propietario", "utilisateur", "acheteur", "proprietaire",
					      "benutzer", "kunde", "utente", "acquirente" };
	size_t i;

	for (i = 0; i < sizeof(owners) / sizeof(owners[0]); i++)
		if (!strcmp(name, owners[i]))
			return true;
	return false;
}

/* Whether a field's messages (a list of strings, or one) hold `words`. */
static bool messages_say(const cJSON *errs, const char *words)
{
	const cJSON *e;

	if (cJSON_IsString(errs))
		return strstr(errs->valuestring, words) != NULL;
	cJSON_ArrayForEach(e, errs)
		if (cJSON_IsString(e) && strstr(e->valuestring, words))
			return true;
	return false;
}

/* Whether every name of the list `names` ("a, b") is in the list `in`,
 * whose entries may carry a value after the name (`sku "ab12"`). */
static bool list_within(const char *names, const char *in)
{
	const char *p = names, *q;
	bool all = *p != '\0';

	while (all && *p) {
		size_t n = strcspn(p, ",");

		all = false;
		for (q = in; q && *q; q += strspn(q, ", ")) {
			size_t m = strcspn(q, ",");

			if (m >= n && !strncmp(p, q, n) && (m == n || q[n] == ' '))
				all = true;
			q += m;
		}
		p += n;
		p += strspn(p, ", ");
	}
	return all;
}

static bool is_envelope_key(const char *name);

/* Whether a member of a 400's body is DRF's shape of one field's error, a
 * list of the required message alone ({"status": ["This field is
 * required."]}): a field, whatever its name, where an envelope's message
 * names the field in its words. An order's own required `status` was read
 * as an envelope's and the fix went unsaid (h492). */
static bool field_said_required(const struct run *run, const cJSON *errs)
{
	const char *req_msg = run->o->boot ? run->o->boot->required_message : NULL;
	const cJSON *e;
	bool all = cJSON_IsArray(errs) && cJSON_GetArraySize(errs) > 0;

	cJSON_ArrayForEach(e, errs)
		all = all && cJSON_IsString(e) &&
		      ((req_msg && *req_msg && !strcmp(e->valuestring, req_msg)) ||
		       !strcmp(e->valuestring, "This field is required."));
	return all;
}

/* The fields of `sent` an envelope's message (a string, or a list of them)
 * calls required by name ("product is required."), added to `to`. */
static void envelope_names_sent(const struct run *run, const cJSON *env, const cJSON *sent, struct gbuf *to)
{
	const cJSON *f, *e;

	if (!error_says_required(run, env))
		return;
	cJSON_ArrayForEach(f, sent) {
		size_t n = f->string ? strlen(f->string) : 0;
		bool named = false;

		for (e = cJSON_IsString(env) ? env : env->child; e && !named; e = cJSON_IsString(env) ? NULL : e->next) {
			const char *p = cJSON_IsString(e) ? e->valuestring : NULL;

			/* As a word: "product" in "product is required",
			 * not in "production". */
			for (; n && p && (p = strstr(p, f->string)) != NULL; p += n)
				if ((p == e->valuestring || !isalnum((unsigned char)p[-1])) &&
				    !isalnum((unsigned char)p[n]) && p[n] != '_')
					named = true;
		}
		if (named && to->len < 120)
			gbuf_addf(to, "%s%s", to->len ? ", " : "", f->string);
	}
}

/* Whether `v` is a list of Django's own error objects ({"message": ...,
 * "code": ...}, form.errors.get_json_data() and as_json()), nothing else
 * in them: not an envelope's list ({"field": ..., "message": ...}). */
static bool is_django_error_list(const cJSON *v)
{
	const cJSON *e, *k;
	bool all = cJSON_IsArray(v) && v->child;

	cJSON_ArrayForEach(e, v) {
		all = all && cJSON_IsObject(e) && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "message"));
		cJSON_ArrayForEach(k, e)
			all = all && k->string &&
			      (!strcmp(k->string, "message") || !strcmp(k->string, "code") || !strcmp(k->string, "params"));
	}
	return all;
}

/* The object a JSON string holds (form.errors.as_json() answered inside
 * JSON: {"errors": "{\"sku\": [...]}"}, h851), parsed for the caller to
 * free; NULL for any other value. The string is the answer's own, as
 * bounded as its body. */
static cJSON *json_object_in_string(const cJSON *v)
{
	const char *p = cJSON_IsString(v) ? v->valuestring : NULL;
	cJSON *o = NULL;

	while (p && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	if (p && *p == '{')
		o = cJSON_Parse(p);
	if (o && !cJSON_IsObject(o)) {
		cJSON_Delete(o);
		o = NULL;
	}
	return o;
}

/* A 400's errors as Django's forms write them in JSON ({"sku":
 * [{"message": "This field is required.", "code": "required"}]}) made
 * DRF's shape in place ({"sku": ["This field is required."]}), at the top
 * and one level inside an envelope ({"errors": {...}}), so each reader of
 * a field's messages reads them alike (h556: a plain Django API answering
 * get_json_data() had its required SKU unread, and scored 15). A member
 * that is a string of JSON (as_json() inside JsonResponse) is read as the
 * object it holds, first (h851, 15 too). */
static void errors_flatten(cJSON *errs, int depth)
{
	cJSON *it, *next, *list, *e, *inner;

	for (it = cJSON_IsObject(errs) ? errs->child : NULL; it; it = next) {
		next = it->next;
		/* Replaced under its own key (the pointer form keeps none). */
		if ((inner = json_object_in_string(it)) && it->string &&
		    cJSON_ReplaceItemInObjectCaseSensitive(errs, it->string, inner))
			it = inner;
		else
			cJSON_Delete(inner);
		if (cJSON_IsObject(it) && depth == 0)
			errors_flatten(it, 1);
		if (!is_django_error_list(it) || !(list = cJSON_CreateArray()))
			continue;
		cJSON_ArrayForEach(e, it)
			cJSON_AddItemToArray(list, cJSON_CreateString(
							   cJSON_GetObjectItemCaseSensitive(e, "message")->valuestring));
		cJSON_ReplaceItemInObjectCaseSensitive(errs, it->string, list);
	}
}

/* An answer's body as a 400's errors, Django's own shape made DRF's
 * (errors_flatten), a body that is a string of JSON read as the object it
 * holds; NULL when it is no JSON. Freed by the caller. */
static cJSON *answer_errors(const struct http_response *rs)
{
	cJSON *errs = cJSON_ParseWithLength(rs->body.data ? rs->body.data : "", rs->body.len);
	cJSON *inner = json_object_in_string(errs);

	if (inner) {
		cJSON_Delete(errs);
		errs = inner;
	}
	errors_flatten(errs, 0);
	return errs;
}

/* An object of field errors under an envelope's key in obj, at most
 * `depth` levels further down; NULL if none. */
static const cJSON *fields_under_envelope(const cJSON *obj, int depth)
{
	const cJSON *it, *f, *deeper;

	cJSON_ArrayForEach(it, obj) {
		bool under = it->string && cJSON_IsObject(it) && it->child &&
			     (is_envelope_key(it->string) || !strcmp(it->string, "fields") ||
			      !strcmp(it->string, "extra"));
		bool all = under;

		for (f = all ? it->child : NULL; f; f = f->next)
			all = all && is_messages(f);
		if (all)
			return it;
		if (under && depth > 0 && (deeper = fields_under_envelope(it, depth - 1)) != NULL)
			return deeper;
	}
	return NULL;
}

/* The object an answer's field errors are members of: the answer, or an
 * envelope's object of them ({"errors": {"product": [...]}}, a plain view
 * answering form.errors.get_json_data() under a key, h721: "the grader
 * sent product as JSON" was never said of it), two levels down at most
 * (h1067: an exception handler's {"error": {"status": 400, "detail": ...,
 * "fields": {"user": [...]}}}; HackSoft's {"extra": {"fields": ...}}). */
static const cJSON *errors_fields(const cJSON *ans)
{
	const cJSON *f = fields_under_envelope(ans, 2);

	return f ? f : ans;
}

/*
 * An id the check sent that a field refused for its type: 'h' where it
 * is a hyperlinked field's, which takes a URL (h426: DRF tutorial part 5's
 * HyperlinkedModelSerializer), 'n' where a nested serializer's, which takes
 * an object (h1022: {"product": {"non_field_errors": ["Invalid data.
 * Expected a dictionary, but got int."]}}, the product nested on read and
 * written so too), 's' where a SlugRelatedField's; else 0. DRF's words
 * say the type or the lookup, not what to change.
 */
static char id_refused_as(const cJSON *sent, const cJSON *it)
{
	const cJSON *was = it->string ? cJSON_GetObjectItemCaseSensitive(sent, it->string) : NULL;
	const cJSON *nfe = cJSON_GetObjectItemCaseSensitive(it, "non_field_errors");

	if (was && is_messages(it) && messages_say(it, "Expected URL string"))
		return 'h';
	if (cJSON_IsNumber(was) && is_messages(nfe) && messages_say(nfe, "Expected a dictionary"))
		return 'n';
	/* ...or a SlugRelatedField's, which looks it up by another field
	 * (h1052: "Object with name=4 does not exist."). */
	if (cJSON_IsNumber(was) && is_messages(it) && messages_say(it, "Object with ") &&
	    messages_say(it, "does not exist") && !messages_say(it, "Object with id=") &&
	    !messages_say(it, "Object with pk="))
		return 's';
	return 0;
}

/* The fields a list of pydantic-shaped errors calls required (Django
 * Ninja's 422, h1078: {"detail": [{"type": "missing", "loc": ["body",
 * "payload", "product_id"], ...}]}), added to got where the JSON sent has
 * them, else to own; how many went to own. */
static int loc_fields_named(const struct run *run, const cJSON *ans, const cJSON *sent, struct gbuf *got,
			    struct gbuf *own)
{
	const cJSON *it;
	struct gbuf *to;
	const char *f;
	int nown = 0;

	cJSON_ArrayForEach(it, loc_errors(ans)) {
		f = loc_field(run, it);
		if (!f || !*f || strchr(f, '.') || strchr(f, ','))
			continue;
		to = cJSON_GetObjectItemCaseSensitive(sent, f) ? got : own;
		if (list_within(f, gbuf_str(to)))
			continue;
		gbuf_addf(to, "%s%s", to->len ? ", " : "", f);
		nown += to == own;
	}
	return nown;
}

/* The values an answer's field errors refused, said with what was sent
 * ("the grader sent price \"19.99\""); DRF's "Invalid pk" of an id the
 * app itself answered with what to look at: the field's queryset misses
 * the row (h1120: a default manager of undeleted products hid every new
 * one). */
static void refused_values_said(const struct http_response *rs, const char *refused, struct gbuf *msg)
{
	if (rs->body.data && memmem(rs->body.data, rs->body.len, "object does not exist", 21))
		gbuf_addf(msg, " (the grader sent %s, an id the app answered: does the field's queryset, or the "
			  "model's default manager, hide that row?)", refused);
	else
		gbuf_addf(msg, " (the grader sent %s)", refused);
}

static bool ninja_refusal(const struct http_response *rs);

/* A JSON body's fields the answer calls required (DRF's {"product": ["This
 * field is required."]}): those the grader sent, a view reading
 * request.POST, which holds only form data, never sees (h253); those it
 * did not send, the app's own, which a step that fills none must find
 * optional (h272: an order's required shipping_address). Said with the
 * fields, since the answer alone reads as the grader's omission. True
 * where it said the fields sent went unread (request.POST) or were read
 * under other names: what the grader filled, and what OPTIONS described,
 * are then no cause and go unsaid. */
static bool json_unread_hint(const struct run *run, const struct step *s, const struct req *r,
			     const struct http_response *rs, struct gbuf *msg)
{
	bool told = false;
	struct gbuf got = GBUF_INIT(256), own = GBUF_INIT(256), sent_names = GBUF_INIT(256);
	struct gbuf refused = GBUF_INIT(256);
	cJSON *sent, *ans;
	const cJSON *it;
	const char *renamed, *idref = NULL;
	char idkind = 0;
	int nown = 0;

	if (s->submit || s->body != BODY_JSON || (rs->status != 400 && rs->status != 422))
		return false;
	sent = cJSON_ParseWithLength(r->body.data ? r->body.data : "", r->body.len);
	ans = cJSON_IsObject(sent) ? answer_errors(rs) : NULL;
	if (!cJSON_IsObject(ans)) {
		cJSON_Delete(ans);
		ans = NULL;
	}
	cJSON_ArrayForEach(it, errors_fields(ans)) {
		struct gbuf *to;

		/* An envelope's words, never a field (h448: {"error":
		 * "product is required."} of a view reading request.POST):
		 * the fields sent it names as required, unseen. */
		if (it->string && is_envelope_key(it->string) && !field_said_required(run, it)) {
			envelope_names_sent(run, it, sent, &got);
			continue;
		}
		if (!idref && (idkind = id_refused_as(sent, it)) != 0) {
			idref = it->string;
			continue;
		}
		if (it->string && is_messages(it) && !error_says_required(run, it) && refused.len < 80 &&
		    cJSON_GetObjectItemCaseSensitive(sent, it->string) &&
		    !(s->fill_required && list_within(it->string, gbuf_str(&run->filled)))) {
			/* A value the app refused, said with what was sent
			 * (h436: "A valid integer is required." of a price
			 * kept in cents, where the grader sent "19.99"); one
			 * the grader filled in is said with what it filled. */
			gbuf_addf(&refused, "%s%s ", refused.len ? ", " : "", it->string);
			value_excerpt(cJSON_GetObjectItemCaseSensitive(sent, it->string), &refused, 24);
			continue;
		}
		if (!it->string || !is_messages(it) || !error_says_required(run, it))
			continue;
		to = cJSON_GetObjectItemCaseSensitive(sent, it->string) ? &got : &own;
		gbuf_addf(to, "%s%s", to->len ? ", " : "", it->string);
		nown += to == &own;
	}
	nown += loc_fields_named(run, ans, sent, &got, &own);
	if (ans)
		cJSON_ArrayForEach(it, sent)
			gbuf_addf(&sent_names, "%s%s", sent_names.len ? ", " : "", it->string ? it->string : "");
	if (idref && !got.len && !own.len)
		gbuf_addf(msg, " (the check sends %s as an id, as SPEC.md says: %s)", idref,
			  idkind == 'h'	  ? "a hyperlinked field takes a URL; make it a PrimaryKeyRelatedField"
			  : idkind == 's' ? "a SlugRelatedField looks it up by another field; make it a "
					    "PrimaryKeyRelatedField"
					  : "a nested serializer takes an object; write it with a PrimaryKeyRelatedField, "
					    "and nest it on read alone");
	else if (got.len && s->fill_required && list_within(gbuf_str(&got), gbuf_str(&run->filled)))
		/* Only fields the grader filled in as OPTIONS names them are
		 * "required", the check's own were read: the view reads JSON,
		 * but not under the names its OPTIONS and errors give (h434:
		 * a camelCase renderer beside a snake_case parser). */
		told = gbuf_addf(msg, " (the grader filled in %s as OPTIONS names it: the API reads another name "
				 "than its OPTIONS and errors say, e.g. a camelCase renderer, snake_case parser)",
				 gbuf_str(&got)) == 0;
	else if (got.len && !strchr(gbuf_str(&got), ',') &&
		 cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(sent, gbuf_str(&got))))
		/* Or a Ninja ModelSchema's ForeignKey, which it reads as
		 * NAME_id (h884: fields_optional dropped "product"): an id
		 * sent, not a name (h1018: "reads a ForeignKey as name_id"). */
		told = gbuf_addf(msg, " (the grader sent %s as JSON: request.POST holds only form data; read "
				 "request.data, or json.loads(request.body) outside DRF; Django Ninja's ModelSchema "
				 "reads a ForeignKey as %s_id: declare %s on it)",
				 gbuf_str(&got), gbuf_str(&got), gbuf_str(&got)) == 0;
	else if (got.len)
		/* The body unread: what OPTIONS described, or what was filled
		 * beside it, is no cause (h1108: "(OPTIONS answered 405 ...)"
		 * cut the fix short). */
		told = gbuf_addf(msg, " (the grader sent %s as JSON: request.POST holds only form data; read "
				 "request.data, or json.loads(request.body) outside DRF)", gbuf_str(&got)) == 0;
	else if (own.len && !s->fill_required && (renamed = sent_under_other_name(sent, gbuf_str(&own))))
		/* product_id for product (h285): a default would lose the
		 * product sent; the field's name is the fix. */
		gbuf_addf(msg, " (the check sends %s, as SPEC.md names it: the field is %s, not %s)",
			  renamed, renamed, gbuf_str(&own));
	else if (own.len && !s->fill_required && names_the_requester(gbuf_str(&own)))
		/* An owner field left writable (h275): a default is no fix. */
		/* Short: after a 400's body, a longer one cut the
		 * expectation from the message (h475). */
		/* Django Ninja's schema has no read-only field (h1301). */
		gbuf_addf(msg, ninja_refusal(rs) ? " (the check sends %s alone, as SPEC.md says: the %s is whoever "
						   "sends it; leave it out of the schema, %s=request.user in the view)"
						 : " (the check sends %s alone, as SPEC.md says: the %s is whoever sends it; "
						   "make it read-only, set by serializer.save(%s=request.user))",
			  gbuf_str(&sent_names), gbuf_str(&own), gbuf_str(&own));
	else if (own.len && !s->fill_required && nown > 1 && nown == cJSON_GetArraySize(sent))
		/* As many fields asked for as sent, none of them these: the
		 * contract's fields under names of the app's own (h418:
		 * producto, cantidad), where a default is no fix; or fields
		 * of the app's own beside them (h749: an order's unit_price
		 * and total left writable), where it is. Both said. */
		gbuf_addf(msg, " (the check sends %s, as SPEC.md names them; the API asks for %s: name them as "
			  "SPEC.md does if they are these, else make them read-only or give them a default)",
			  gbuf_str(&sent_names), gbuf_str(&own));
	else if (own.len && !s->fill_required)
		gbuf_addf(msg, " (the check sends %s alone, as SPEC.md says: make %s optional or give it a default)",
			  gbuf_str(&sent_names), gbuf_str(&own));
	else if (refused.len && !got.len && !own.len && !idref)
		refused_values_said(rs, gbuf_str(&refused), msg);
	gbuf_release(&refused);
	gbuf_release(&got);
	gbuf_release(&own);
	gbuf_release(&sent_names);
	cJSON_Delete(ans);
	cJSON_Delete(sent);
	return told;
}

/* The value the form sent for `name` (its first), a multipart form's text
 * part or an urlencoded body's pair, decoded, into out (NUL-terminated,
 * cut to `size`); false when it sent none. */
static bool sent_value(const struct req *r, const char *name, char *out, size_t size)
{
	const char *p = r->body.data ? r->body.data : "", *end = p + r->body.len;
	size_t n = strlen(name), i;
	bool found = false;

	for (i = 0; i < r->nparts && !found; i++) {
		found = !r->parts[i].filename && r->parts[i].name && !strcmp(r->parts[i].name, name);
		if (found)
			snprintf(out, size, "%.*s", (int)(r->parts[i].len < size ? r->parts[i].len : size - 1),
				 r->parts[i].data ? r->parts[i].data : "");
	}
	while (!found && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p)), *stop = amp ? amp : end;

		if ((size_t)(stop - p) > n && !memcmp(p, name, n) && p[n] == '=') {
			char *dec = curl_easy_unescape(NULL, p + n + 1, (int)(stop - p - n - 1), NULL);

			found = dec != NULL;
			if (dec)
				snprintf(out, size, "%s", dec);
			curl_free(dec);
		}
		p = stop + 1;
	}
	return found;
}

/* Whether the form sent `name` with nothing in it. */
static bool sent_empty(const struct req *r, const char *name)
{
	const char *p = r->body.data, *end = p ? p + r->body.len : NULL, *amp;
	size_t n = strlen(name), i;

	for (i = 0; i < r->nparts; i++)
		if (!r->parts[i].filename && r->parts[i].name && !strcmp(r->parts[i].name, name))
			return r->parts[i].len == 0;
	while (p && p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (!amp)
			amp = end;
		if ((size_t)(amp - p) == n + 1 && !strncmp(p, name, n) && p[n] == '=')
			return true;
		p = amp + 1;
	}
	return false;
}

/* A field the form refused as missing that went empty because the page
 * does not mark it `required` (h430: a hand-written form's location, which
 * SPEC.md's person leaves empty): the fix is in the page or the model, not
 * in saving and redirecting. */
static bool unmarked_hint(const struct req *r, const cJSON *errors, struct gbuf *hint)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, errors)
		if (e->string && strcmp(e->string, "__all__") && sent_empty(r, e->string)) {
			gbuf_addf(hint, " (%.40s went empty, not marked required: mark it, or make it optional)",
				  e->string);
			return true;
		}
	return false;
}

/* A file the grader sent that the re-shown form calls missing ("This field
 * is required." on its field), said in msg: with a file input of that name
 * the view built its form without request.FILES, the commonest upload
 * mistake, which the errors alone do not name; without one the field is
 * no file field (an image kept as text). Or a required file input of a
 * form that is not multipart, which no browser sends a file for. */
static void upload_hint(const struct run *run, const struct req *r, const cJSON *errors, struct gbuf *msg)
{
	size_t i, k;

	/* A required file input left empty, as a browser leaves it in a form
	 * that is not multipart (h506: "This field is required." alone). */
	if (r->file_unsent[0] && error_says_required(run, cJSON_GetObjectItemCaseSensitive(errors, r->file_unsent))) {
		gbuf_addf(msg, " (the form has no enctype=\"multipart/form-data\", so no file comes for '%s')",
			  r->file_unsent);
		return;
	}

	for (i = 0; i < r->nparts; i++) {
		const struct http_part *p = &r->parts[i];
		const cJSON *errs = p->name ? cJSON_GetObjectItemCaseSensitive(errors, p->name) : NULL;
		const unsigned char *d = (const unsigned char *)p->data;
		bool input = false;

		/* Blank to the model after the form took it (h1051: a
		 * clean_image returning nothing, the ModelForm's model check
		 * then refusing the empty field). */
		if (p->filename && errs && messages_say(errs, "cannot be blank")) {
			gbuf_addf(msg, " (the form got the file for '%s' and lost it: does its clean_%s() return "
				  "the file?)", p->name, p->name);
			return;
		}
		/* Refused for what it is (a size or dimension rule of the
		 * app's): the file the grader sent, as SPEC.md's rules must
		 * let it through (h255: "Photos must be smaller than 5 MB."
		 * for a 9 KB photo, the limit's arithmetic wrong). */
		if (p->filename && errs && !error_says_required(run, errs)) {
			gbuf_addf(msg, " (sent: %s, ", p->filename);
			if (p->len >= 24 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8))
				gbuf_addf(msg, "%lux%lu PNG, ",
					  (unsigned long)d[16] << 24 | (unsigned long)d[17] << 16 | d[18] << 8 | d[19],
					  (unsigned long)d[20] << 24 | (unsigned long)d[21] << 16 | d[22] << 8 | d[23]);
			gbuf_addf(msg, "%zu bytes)", p->len);
			return;
		}
		if (!p->filename || !p->name || !error_says_required(run, errs))
			continue;
		for (k = 0; k < r->nfile_inputs; k++)
			if (!strcmp(r->file_inputs[k], r->parts[i].name))
				input = true;
		if (input)
			gbuf_addf(msg, " (the form got no file for '%s': build it with request.FILES)",
				  r->parts[i].name);
		else
			gbuf_addf(msg, " (a file was sent for '%s', which the form has no file input for: "
				  "make it a FileField or ImageField)", r->parts[i].name);
		return;
	}
}

/* One field name the request sent, against the page's controls' names
 * (an XPath's strings): *named when it is a field (not the CSRF token),
 * *found when a control bears it. */
static void name_sent(const cJSON *names, const char *name, bool *named, bool *found)
{
	const cJSON *it;

	if (!name || !strcmp(name, "csrfmiddlewaretoken"))
		return;
	*named = true;
	cJSON_ArrayForEach(it, names)
		if (cJSON_IsString(it) && !strcmp(it->valuestring, name))
			*found = true;
}

/* Whether the page answered is the form the request sent, again. */
static bool page_has_form(struct eval_ctx *ctx, const struct req *r)
{
	cJSON *v = query_xpath(ctx, "//form//*[@name][not(@type='hidden')]/@name");
	bool found = false, named = false;
	size_t i;

	/* The form sent, again: one of its controls named as a field the
	 * request sent (a multipart part, an urlencoded pair). Not a page
	 * that only has a form of another kind, such as the base template's
	 * logout button above a new recipe's page answered 200 (h157). */
	for (i = 0; i < r->nparts; i++)
		name_sent(v, r->parts[i].name, &named, &found);
	for (i = 0; i < r->pairs.n; i++)
		name_sent(v, r->pairs.v[i], &named, &found);
	if (!named)
		found = cJSON_IsArray(v) && v->child;
	cJSON_Delete(v);
	return found;
}

/* Whether the request sent a formset's management form (a field
 * "PREFIX-TOTAL_FORMS"). */
static bool req_sends_total_forms(const struct req *r)
{
	size_t i;
	bool sent = false;

	for (i = 0; !sent && i < r->nparts; i++)
		sent = r->parts[i].name && strstr(r->parts[i].name, "-TOTAL_FORMS");
	for (i = 0; !sent && i < r->pairs.n; i++)
		sent = strstr(r->pairs.v[i], "-TOTAL_FORMS") != NULL;
	return sent;
}

/* Whether a re-shown form's errors say its formset's management form was
 * not posted (in another <form>, or under another prefix, h321), or say
 * what Django 5.2 says in its stead, "Please submit at least 1 form.",
 * where the request sent none (h996: its min_num read as the count). */
static bool formset_unmanaged(const struct req *r, const cJSON *errors)
{
	const cJSON *e;
	bool said = false;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(errors, "__all__"))
		said = said || (cJSON_IsString(e) && (strstr(e->valuestring, "(Hidden field TOTAL_FORMS)") ||
						      strstr(e->valuestring, "ManagementForm data is missing") ||
						      (strstr(e->valuestring, "Please submit at least") &&
						       !req_sends_total_forms(r))));
	return said;
}

/* The prefix of a formset field name ("ingredients-TOTAL_FORMS" ->
 * "ingredients"), into out (empty when the name has none). */
static void formset_prefix(const char *name, size_t len, char *out, size_t cap)
{
	static const char suffix[] = "-TOTAL_FORMS";
	size_t n = sizeof(suffix) - 1;

	out[0] = '\0';
	if (len > n && len - n < cap && !memcmp(name + len - n, suffix, n))
		snprintf(out, cap, "%.*s", (int)(len - n), name);
}

/*
 * What to fix when a formset's management form did not arrive (h495: the
 * cause alone was said): the prefix the view binds on POST, from Django's
 * "Missing fields: ingredients-TOTAL_FORMS, ..." (since 3.2), against the
 * one of the management form the page's <form> sent, if any. Both known
 * and different: the two prefixes; none sent: where the tag belongs.
 */
static void formset_hint(const struct req *r, const cJSON *errors, struct gbuf *hint)
{
	const cJSON *e;
	const char *at;
	char wants[64] = "", sent[64] = "";
	size_t i;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(errors, "__all__"))
		if (cJSON_IsString(e) && (at = strstr(e->valuestring, "Missing fields: ")))
			formset_prefix(at + 16, strcspn(at + 16, ", ."), wants, sizeof(wants));
	for (i = 0; !sent[0] && i < r->nparts; i++)
		if (r->parts[i].name)
			formset_prefix(r->parts[i].name, strlen(r->parts[i].name), sent, sizeof(sent));
	for (i = 0; !sent[0] && i < r->pairs.n; i++)
		formset_prefix(r->pairs.v[i], strlen(r->pairs.v[i]), sent, sizeof(sent));
	if (sent[0] && wants[0] && strcmp(sent, wants))
		gbuf_addf(hint, " (its management form came prefixed '%.40s'; the view binds '%.40s')", sent, wants);
	else if (sent[0])
		gbuf_adds(hint, " (its management form came under another prefix than the view binds: "
				"give both one prefix)");
	else
		gbuf_adds(hint, " (its management form did not come: put {{ formset.management_form }} "
				"inside the <form>)");
}

/*
 * What the app said about a request it turned down, bounded: a JSON body
 * (DRF's validation errors: {"description": ["This field is required."]}),
 * or the errors of a re-shown HTML form. Nothing when there is neither.
 */
static void response_evidence(const struct run *run, struct eval_ctx *ctx, const struct http_response *rs,
			      const struct req *r,
			      struct gbuf *msg)
{
	struct assertion q;
	struct gbuf why = GBUF_INIT(1024);
	cJSON *v = NULL;
	char *ct = http_response_header(rs, "Content-Type");
	bool posted = http_method_is_unsafe(r->method ? r->method : "GET");

	memset(&q, 0, sizeof(q));
	if (ct && strstr(ct, "json") && rs->body.len) {
		q.query = Q_JSONPATH;
		q.arg = "$";
		if (query_eval(&q, ctx, &v, &why) == 0 && v) {
			gbuf_addch(msg, ' ');
			value_excerpt(v, msg, 160);
		}
	} else if (posted && ct && strstr(ct, "html") && rs->body.len && rs->status < 500) {
		/* Only an answer to a form sent is a re-shown form. */
		q.query = Q_FORM_ERRORS;
		if (query_eval(&q, ctx, &v, &why) == 0 && v && v->child) {
			struct gbuf hint = GBUF_INIT(512);

			/* With an upload hint after them (or status_failure's
			 * note on a select with no choice), fewer of the errors:
			 * the hint says what to fix, and must not be what a
			 * message too long for its room loses. */
			size_t room = 80;

			if (formset_unmanaged(r, v)) {
				/* Django's words name a hidden field the student
				 * never wrote (h321), and cut to fit they said
				 * nothing (h495): the hint instead of them. */
				gbuf_adds(msg, " with a formset's error");
				formset_hint(r, v, &hint);
			} else {
				upload_hint(run, r, v, &hint);
				/* A select without choices is said by its own note
				 * (run->choiceless), which the empty value is. */
				if (!hint.len && !run->choiceless.len && unmarked_hint(r, v, &hint))
					room = 32;
				/* Not after a long note that the form has no field the
				 * check names: its errors follow from that, and cut to
				 * the room left they read "with the form's err…"
				 * (h593: allauth's login for username); after a short
				 * one they are quoted whole (a form naming its field email). */
				if (hint.len || msg->len < MSG_MAX / 2 ||
				    !strstr(gbuf_str(msg), " (the form has no field ")) {
					gbuf_adds(msg, " with the form's errors ");
					value_excerpt(v, msg, hint.len ? room : run->choiceless.len ? 24 : 160);
				}
			}
			gbuf_add(msg, hint.data, hint.len);
			gbuf_release(&hint);
		} else if (rs->status == 200 && r->session_renewed) {
			/* A sign-in that worked and answered a page: its new
			 * session says so, not a form without errors (h312). */
			gbuf_adds(msg, " having signed in (its answer sets a new session cookie)");
		} else if (v && rs->status == 200 && page_has_form(ctx, r)) {
			/* The form again and not a word about why: the errors
			 * may well be there, in a template that never shows them;
			 * or shown with no mark (h725: {{ form.image.errors.as_text }}
			 * in a plain <small>), Django's words for an image found. */
			cJSON *said = query_xpath(ctx, "(//form//text()[contains(., 'Upload a valid image')])[1]");
			const cJSON *line = cJSON_IsArray(said) ? said->child : NULL;

			if (cJSON_IsString(line)) {
				gbuf_adds(msg, " with the form again, which says \"");
				gbuf_add_excerpt(msg, line->valuestring, strlen(line->valuestring), 32);
				gbuf_adds(msg, "\" unmarked (SPEC.md: in an errorlist, invalid-feedback, form__error or "
					       "role=\"alert\" element)");
			} else if (is_sign_in_path(gbuf_str(&r->path))) {
				/* A login form never given the post (h746:
				 * AuthenticationForm(request.POST), its first
				 * argument the request): no error to show. */
				gbuf_adds(msg, " with the form again, no error at its fields (does the template show them? "
					       "or the form never got the post: AuthenticationForm(request, "
					       "data=request.POST))");
			} else {
				gbuf_adds(msg, " with the form again, no error at its fields (does the template show them?)");
			}
			cJSON_Delete(said);
		} else if (rs->status == 400 || rs->status == 422) {
			/* A refusal of the view's own words, not a form's errors
			 * ("Choose a status and give a reason", h154): what the
			 * page states, without its links and buttons, so that a
			 * navbar is not what the quote begins with (h329); its
			 * whole text when it states nothing else. */
			cJSON_Delete(v);
			v = NULL;
			q.query = Q_PROSE;
			if (query_eval(&q, ctx, &v, &why) != 0 || !cJSON_IsString(v) || !*v->valuestring) {
				cJSON_Delete(v);
				v = NULL;
				q.query = Q_TEXT;
				(void)query_eval(&q, ctx, &v, &why);
			}
			if (cJSON_IsString(v) && *v->valuestring) {
				gbuf_adds(msg, " saying ");
				value_excerpt(v, msg, 100);
				/* Django's own page for a SuspiciousOperation (an
				 * upload_to path outside MEDIA_ROOT, h379): the cause
				 * is in the app's log, where the boot writes Django's
				 * security log lines (grader_boot.py). */
				if (rs->status == 400 && !strcmp(v->valuestring, "Bad Request (400)"))
					app_last_line(run, msg);
			}
		}
	} else if (!posted && rs->status == 400) {
		/* A page read answered 400: Django's answer to a
		 * SuspiciousOperation while making it (a thumbnail outside
		 * MEDIA_ROOT, h861), whose cause only the log says. */
		app_last_line(run, msg);
	}
	cJSON_Delete(v);
	free(ct);
	gbuf_release(&why);
}

/* Whether `path` (as the app was asked, query left out) matches a URL
 * pattern the app reported at boot: 1 a plain one (text and
 * {placeholders}) matches, 0 none does and that is sure (every pattern
 * plain, the list not cut at its limit, the path not under the admin,
 * left out of the list), -1 not known. A placeholder is one segment, but
 * one that ends its pattern matches the rest, slashes too (a path
 * converter or a `.*` group, as media/{path}). A 404 at an unrouted path
 * is a route the app lacks, not its view's "no such object" (h154: a
 * status form posting to another path); one at a routed path is the
 * view's (h219, h244). */
static int path_route(const struct boot_info *bi, const char *path)
{
	char want[256];
	size_t i, n = strcspn(path, "?#");
	int rc = 0, m;

	if (!bi || !bi->nurl_paths || bi->nurl_paths >= 300 || n >= sizeof(want) || !strncmp(path, "/admin/", 7))
		return -1;
	memcpy(want, path, n);
	want[n] = '\0';
	for (i = 0; i < bi->nurl_paths && rc != 1; i++) {
		m = routes_served_match(bi->url_paths[i], want);
		rc = m == 1 ? 1 : m < 0 ? -1 : rc;
	}
	return rc;
}

/* Whether a path's last segment names a file (a dot in it, before any
 * query): an upload or a static file, which no URL pattern serves. */
static bool path_names_file(const char *path)
{
	size_t n = strcspn(path, "?#");
	const char *seg = path;
	size_t i;

	for (i = 0; i < n; i++)
		if (path[i] == '/')
			seg = path + i + 1;
	return memchr(seg, '.', (size_t)(path + n - seg)) != NULL;
}

static bool path_unrouted(const struct boot_info *bi, const char *path)
{
	return path_route(bi, path) == 0;
}

/*
 * Where the path (its first n bytes) and the served address `found` part
 * before the segments they end with alike: "/api/" and "/api/v1/" of
 * "/api/products/" and "/api/v1/products/", lengths *pl and *fl. True only
 * when every address the app serves under the first also starts with the
 * second: the whole prefix moved (a versioned API), so one prefix mapping
 * serves every path of the challenge beneath it, where a path's own
 * mapping fixed that one path alone (h477: the per-check hint said
 * "/api/products/$: /api/v1/products/" beside the causes' "/api/: /api/v1/").
 */
static bool same_end_prefixes(const struct boot_info *bi, const char *path, size_t n, const char *found, size_t *pl,
			      size_t *fl)
{
	size_t fn = strlen(found), a = n, b = fn, i;

	while (a > 0 && b > 0 && path[a - 1] == found[b - 1]) {
		a--;
		b--;
	}
	while (a < n && b < fn && (a == 0 || path[a - 1] != '/')) {
		a++;
		b++;
	}
	if (a < 2 || b < 2 || a >= n || path[a - 1] != '/' || found[b - 1] != '/' || (a == b && !strncmp(path, found, a)))
		return false;
	for (i = 0; i < bi->nurl_paths && i < 300; i++)
		if (!strncmp(bi->url_paths[i], path, a) && strncmp(bi->url_paths[i], found, b))
			return false;
	*pl = a;
	*fl = b;
	return true;
}

/*
 * The one path the app serves that ends as the unrouted `path` does, under
 * another prefix (h410: the login page at /login/, the challenge's at
 * /accounts/login/): said with the grader.yaml line that maps it, inside
 * the parenthesis the caller opened. Plain paths only, neither with an
 * id.
 */
static void same_end_hint(const struct boot_info *bi, const char *path, struct gbuf *msg)
{
	const char *last, *found = NULL, *u, *digit = strpbrk(path, "0123456789{");
	size_t n = strcspn(path, "?#"), i, ln, ul, pl, fl;

	if (!bi || n < 3 || path[n - 1] != '/' || path[n - 2] == '/' || (digit && digit < path + n))
		return;
	/* The last segment with its '/': "login/" of "/accounts/login/". */
	for (last = path + n - 1; last > path && last[-1] != '/'; last--)
		;
	ln = (size_t)(path + n - last);
	for (i = 0; i < bi->nurl_paths && i < 300; i++) {
		u = bi->url_paths[i];
		ul = strlen(u);
		if (strpbrk(u, "{*?[]()|+\\^$") || ul <= ln || strncmp(u + ul - ln, last, ln) || u[ul - ln - 1] != '/' ||
		    (ul == n && !strncmp(u, path, n)))
			continue;
		if (found)
			return;   /* two candidates: not a guess to print */
		found = u;
	}
	if (!found)
		return;
	if (same_end_prefixes(bi, path, n, found, &pl, &fl))
		gbuf_addf(msg, "; it serves %s: map it in grader.yaml, %.*s: %.*s", found, (int)pl, path, (int)fl, found);
	else
		gbuf_addf(msg, "; it serves %s: map it in grader.yaml, %.*s$: %s", found, (int)n, path, found);
}

/* Does the app serve `bare` with DRF's format suffix beside it
 * ("/api/products.{format}", url_paths' form)? A DefaultRouter adds one
 * to every route it makes, so a router made with trailing_slash=False,
 * which has no pattern of the student's own to end with '/' (h1262). */
static bool format_sibling(const struct boot_info *bi, const char *bare)
{
	size_t bl = strlen(bare), i;
	bool found = false;

	for (i = 0; i < bi->nurl_paths && i < 300 && !found; i++)
		found = !strncmp(bi->url_paths[i], bare, bl) && bi->url_paths[i][bl] == '.' &&
			strstr(bi->url_paths[i] + bl, "{format}") != NULL;
	return found;
}

/* A path ending in '/' that the app routes without it (h669: Django
 * Ninja's routes have no trailing slash unless written with one, and one
 * of them was): said, true; false otherwise. */
static bool slashless_hint(const struct boot_info *bi, const char *path, struct gbuf *msg)
{
	char bare[256], with[256];
	const char *found = NULL;
	size_t n = strcspn(path, "?#"), i, ul;

	if (!bi || n < 3 || n >= sizeof(bare) || path[n - 1] != '/')
		return false;
	snprintf(bare, sizeof(bare), "%.*s", (int)(n - 1), path);
	snprintf(with, sizeof(with), "%.*s", (int)n, path);
	/* A pattern without the slash that the bare path matches, and none
	 * with one matching the path as asked. */
	for (i = 0; i < bi->nurl_paths && i < 300; i++) {
		ul = strlen(bi->url_paths[i]);
		if (ul && bi->url_paths[i][ul - 1] == '/' && routes_served_match(bi->url_paths[i], with) == 1)
			return false;
		if (!found && ul && bi->url_paths[i][ul - 1] != '/' && routes_served_match(bi->url_paths[i], bare) == 1)
			found = bi->url_paths[i];
	}
	if (!found)
		return false;
	gbuf_addf(msg, " (the app serves %s without the trailing slash: end its pattern with '/'%s, as SPEC.md's "
		  "paths end)", found, format_sibling(bi, found) ? ", or drop a router's trailing_slash=False" : "");
	return true;
}

/* A number as the JSON value v holds it: a number, or a string that is
 * one whole ("3.00"). */
static bool json_number(const cJSON *v, double *out)
{
	char *end = NULL;

	if (cJSON_IsNumber(v)) {
		*out = v->valuedouble;
		return true;
	}
	if (!cJSON_IsString(v) || !*v->valuestring)
		return false;
	*out = strtod(v->valuestring, &end);
	return end && !*end && end != v->valuestring;
}

/*
 * A create (a JSON object sent by an unsafe method, answered 2xx with an
 * object) whose answer gives one of the numbers it sent another value:
 * stock 5 sent, stock 0 answered (a read-only field, one the serializer
 * ignores, a model default). Every check after it that counts on that
 * number fails its own way (a 400 "only 0 left", a detail's stock, an
 * order's change), and none said why (h376, h382, h387); the first such
 * field of the running check is kept for causes_find. Numbers only: an
 * app may rightly normalise a name it was sent.
 */
static void unkept_note(struct run *run, const struct step *s, const struct req *r,
			const struct http_response *rs)
{
	cJSON *sent = NULL, *got = NULL, *m, *a;
	double x, y;

	if (run->unkept[0] || s->body != BODY_JSON || !r->method || !http_method_is_unsafe(r->method) ||
	    rs->status < 200 || rs->status >= 300 || rs->body.truncated || !r->body.len || !rs->body.len)
		return;
	sent = cJSON_ParseWithLength(r->body.data, r->body.len);
	got = cJSON_IsObject(sent) ? cJSON_ParseWithLength(rs->body.data, rs->body.len) : NULL;
	if (!cJSON_IsObject(got))
		goto done;
	cJSON_ArrayForEach(m, sent) {
		a = cJSON_GetObjectItemCaseSensitive(got, m->string);
		if (!a || !json_number(m, &x) || !json_number(a, &y) || x == y)
			continue;
		snprintf(run->unkept_key, sizeof(run->unkept_key), "%s %.60s %.40s", r->method,
			 gbuf_str(&r->path), m->string);
		/* Numbers as JSON wrote them (h642: 2147483647, an app's
		 * "unlimited", read 2.14748e+09), and the fields the grader
		 * made up beside them: a choice it took ("digital") can be
		 * what the app answered by. */
		snprintf(run->unkept, sizeof(run->unkept), "%s %.60s answered %.40s %.15g for the %.15g sent%s%.100s%s",
			 r->method, gbuf_str(&r->path), m->string, y, x, run->filled.len ? " (the grader filled " : "",
			 gbuf_str(&run->filled), run->filled.len ? ")" : "");
		break;
	}
done:
	cJSON_Delete(sent);
	cJSON_Delete(got);
}

/* A form without method="post": a browser sends it as a GET, and so does
 * one whose hx-post only htmx's script reads, which the grader does not
 * run, as a browser without JavaScript would not (h391: "a browser sends
 * it as a GET" read false beside hx-post). */
#define NO_METHOD " (the form declares no method=\"post\": a browser sends it as a GET)"
#define NO_METHOD_HTMX \
	" (the form has hx-post but no method=\"post\": the grader runs no scripts, so it is sent as a GET)"

/* A form sent with GET: it declares no method="post" (one only htmx's
 * hx-post sends, h268), so a browser puts it in the address and saves
 * nothing; said wherever its step failed, a status, a field's error or
 * the page's content (h504: the template blamed for errors a GET never
 * makes). */
static void no_method_note(const struct req *r, struct gbuf *msg)
{
	if (r->form_no_method)
		gbuf_adds(msg, r->form_htmx ? NO_METHOD_HTMX : NO_METHOD);
}

/* Whether `name` is one of the space-separated `names` (NULL: none). */
static bool name_listed(const char *names, const char *name)
{
	size_t n = strlen(name);
	const char *p = names;

	while (p && n && (p = strstr(p, name)))
		if ((p == names || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
		else
			p += n;
	return false;
}

/* A sign-in the API takes that the boot could not make (boot.h's
 * sign_in_failed, h540), after `lead`: the grader's limit or the app's
 * setup, never the app refusing it. */
static void sign_in_failed_note(const struct run *run, const char *lead, struct gbuf *msg)
{
	gbuf_addf(msg, "%sthe grader could not make the sign-in the API takes, %s, so it came with the "
		  "session alone)", lead, run->o->boot->sign_in_failed);
}

/* What a 404 of DRF's versioning says, in words of what to change: its
 * class's refusal, each its own words (rest_framework/versioning.py), the
 * namespace's before the path's it begins with; NULL for none. */
static const char *version_refused(const struct http_response *rs)
{
	static const char *const said[][2] = {
		{ "Invalid version in URL path. Does not match any version namespace.",
		  " (DRF's NamespaceVersioning refused the URL namespace as a version: name the namespace one of "
		  "ALLOWED_VERSIONS)" },
		{ "Invalid version in URL path.",
		  " (DRF's URLPathVersioning refused this path's version: map the paths in grader.yaml to one of "
		  "ALLOWED_VERSIONS, letter case too)" },
		{ "Invalid version in query parameter.",
		  " (DRF's QueryParameterVersioning refused the version: the grader's requests name none, so give "
		  "the API a DEFAULT_VERSION that ALLOWED_VERSIONS holds)" },
		{ "Invalid version in hostname.",
		  " (DRF's HostNameVersioning refused the version: the grader's requests go to 127.0.0.1, so give "
		  "the API a DEFAULT_VERSION that ALLOWED_VERSIONS holds)" },
	};
	size_t i;

	for (i = 0; rs->body.data && i < sizeof(said) / sizeof(said[0]); i++)
		if (memmem(rs->body.data, rs->body.len, said[i][0], strlen(said[i][0])))
			return said[i][1];
	return NULL;
}

/* Whether `actor` read `path` with a 2xx earlier in the running check
 * (read_ok_note). */
static bool read_earlier(const struct run *run, const char *actor, const char *path)
{
	char key[600];

	snprintf(key, sizeof(key), "%s %s", actor, path);
	return strlist_has(&run->read_ok, key);
}

/* Whether a request asks for a file, not a row's page: a path under the
 * app's MEDIA_URL, or whose last segment has an extension (a photo's
 * address: a row's select the grader chose is no cause of its 404, h885). */
static bool path_is_file(const struct run *run, const struct req *r)
{
	const char *path = gbuf_str(&r->path), *media = run->o->boot ? run->o->boot->media_url : NULL;
	size_t end = strcspn(path, "?#");
	const char *last = path + end;

	while (last > path && last[-1] != '/')
		last--;
	return (media && *media == '/' && media[1] && !strncmp(path, media, strlen(media))) ||
	       memchr(last, '.', (size_t)(path + end - last)) != NULL;
}

/* A redirect to the sign-in page, said: a visitor's JSON sent there, a
 * page's answer where an API's is 401 or 403 (h791: LoginRequiredMixin on
 * an API view); a signed-in user sent to sign in again (h516: an
 * AdminSite whose has_permission refused the superuser, said as an admin
 * mounted elsewhere): Django's answer to a user a test refuses, not to
 * one it did not see. Not on the sign-in page itself (redirect_said).
 * True when what it said is the fix, a login-required middleware's. */
static bool login_redirect_note(const struct run *run, const struct step *s, const struct http_response *rs,
				const struct req *r, struct gbuf *msg)
{
	bool anonymous = !s->actor || !strcmp(s->actor, "anonymous");
	/* A login-required middleware (h1264): the redirect is its, before
	 * the view or an API's permissions are asked, for a visitor's page
	 * as for her JSON, which the words below would send to the view's
	 * own permissions. */
	bool middleware = anonymous && run->o->boot && run->o->boot->login_required_mw, told = false;
	char *loc = NULL;

	if (rs->status < 300 || rs->status >= 400 || (anonymous && s->body != BODY_JSON && !middleware) ||
	    is_login_path(gbuf_str(&r->path)))
		goto done;
	loc = http_response_location(run->http, rs);
	if (!loc || !is_login_path(loc))
		goto done;
	told = middleware;
	if (middleware)
		gbuf_adds(msg, " (LoginRequiredMiddleware's: exempt the view, @login_not_required)");
	else if (anonymous)
		/* Or Django 5.1's LoginRequiredMiddleware, which redirects
		 * before DRF's permissions are asked (h833). */
		gbuf_adds(msg, " (an API answers a visitor 401 or 403, not its sign-in page: raise_exception = "
			  "True on LoginRequiredMixin, a 401 of its own in place of @login_required, DRF's "
			  "IsAuthenticated; under LoginRequiredMiddleware, @login_not_required)");
	else
		gbuf_addf(msg, " (%s is signed in: a test refused it, as user_passes_test or has_permission)",
			  s->actor);
done:
	free(loc);
	return told;
}

/*
 * A user the challenge makes staff that is not: the model's is_staff a
 * property without a setter (a role's, h399), so the grader could not make
 * it staff, or a flag the app's own save stored False (h907: a receiver
 * setting is_staff from a role on every save). Said for the refused actor
 * when so, rather than a permission check of the app's; true when said.
 */
static bool staff_flag_missing(const struct run *run, const struct step *s, struct gbuf *msg)
{
	const struct boot_info *b = run->o->boot;
	const char *why = !b ? NULL
			  : b->staff_unset
			  ? " (%s is not staff: the user model's is_staff is a property without a setter, so the "
			    "grader could not make it staff; give it a setter that sets the role, or a field)"
			  : b->staff_reset
			  ? " (%s is not staff: the grader set its is_staff, and the app's own save stored it "
			    "False, a save() or signal receiver setting it from another field such as a role: "
			    "leave a flag set on a user as it was set)"
			  : NULL;
	size_t i;

	for (i = 0; why && i < run->c->nusers; i++)
		if (!strcmp(run->c->users[i].username, s->actor) && run->c->users[i].is_staff)
			gbuf_addf(msg, why, s->actor);
	return why != NULL;
}

/* A signed-in user's 401 that neither refused a role nor asked for Basic:
 * one asking for another scheme says so (h1018: "Bearer" from an API that
 * took Basic alone, told "the API takes no other sign-in ... Basic", which
 * the grader never sent it). */
static void other_scheme_401_said(const struct http_response *rs, struct gbuf *msg)
{
	char *v = http_response_header(rs, "WWW-Authenticate");
	/* The scheme's word, the app's own text: bounded. */
	size_t n = v ? strcspn(v, " ,;") : 0;

	if (n > 30)
		n = 30;
	gbuf_adds(msg, " (401 is \"not signed in\": was the session refused, or is 403 meant? ");
	if (n)
		gbuf_addf(msg, "Its WWW-Authenticate asks for %.*s, and the grader found no token sign-in to send (DRF "
			  "or knox tokens, SimpleJWT or ninja-jwt); a name and password go as Basic where a 401 asks "
			  "for Basic or names no scheme)", (int)n, v);
	else
		gbuf_adds(msg, "The API takes no other sign-in the grader makes: DRF or knox tokens, SimpleJWT or "
			  "ninja-jwt, Basic)");
	free(v);
}

/*
 * A signed-in user answered 401 while the grader signs users in with the
 * session alone: a view asking for credentials in a header (DRF's 401
 * names the first class's scheme; a session-only view says 403) that
 * none of the sign-ins the boot can make is for (an API key or OAuth2
 * class of the app's own, boot-protocol.md), so every signed-in request
 * fails alike. Said before the answer, which only says "not provided".
 * And a staff user refused: what the grader's staff has and lacks.
 */
static void sign_in_hint(const struct run *run, const struct step *s, const struct http_response *rs,
			 const struct req *r, struct gbuf *msg)
{
	const char *scheme = run->o->boot ? run->o->boot->auth_scheme : NULL, *said;
	/* Refused a page of the app's: 403, or 404 at a routed path. */
	bool refused = s->actor && (rs->status == 403 ||
				    (rs->status == 404 && path_route(run->o->boot, gbuf_str(&r->path)) == 1));
	size_t i;

	/* Both sent, the session and a token (session+jwt), and still "not
	 * signed in": a permission answering 401 to a user it refuses, as
	 * Django Ninja's django_auth_is_staff does (h804). */
	if (rs->status == 401 && s->actor && strcmp(s->actor, "anonymous") != 0 && scheme &&
	    !strncmp(scheme, "session+", 8))
		gbuf_addf(msg, " (401 is \"not signed in\", yet %s came with the session and a %s: answer 403 to a "
			  "signed-in user the view refuses)", s->actor, scheme + 8);
	if (rs->status == 401 && s->actor && strcmp(s->actor, "anonymous") != 0 &&
	    (!scheme || !strcmp(scheme, "session"))) {
		/* Or the view answered 401 on purpose to a user it refuses
		 * (h183: "Only staff can create products."): both said. A
		 * 401 asking for Basic, or for no scheme, was sent again with
		 * it (http_send): then the name and password were refused too
		 * (h250, h266). */
		/* Django Ninja's refusal, {"detail": "Unauthorized"}, to a
		 * session the API's scheme takes: its django_auth_is_staff
		 * answering a signed-in customer (h928: told the session and
		 * Basic were refused; h983: Ninja 1.3 has no such class, an auth of
		 * its own returned None). Read from the answer alone, so checks
		 * run at once say what they say one after another. */
		if (role_refused_401(rs))
			gbuf_addf(msg, " (401 is \"not signed in\", yet the answer refuses %s for a role, not the "
				  "sign-in: answer 403 to a signed-in user the view refuses)", s->actor);
		else if (ninja_unauthorized(rs))
			gbuf_addf(msg, " (401 is \"not signed in\", yet %s came with the session: a Django Ninja auth "
				  "refusing a signed-in user, django_auth_is_staff or one returning None, answers 401; "
				  "answer 403 in the view)", s->actor);
		else if (run->c->sign_in_session)
			gbuf_addf(msg, " (401 is \"not signed in\": %s's session, the one sign-in SPEC.md's users "
				  "bring, was refused; or is 403 meant?)", s->actor);
		else if (http_response_asks_for_basic(rs))
			/* 403 first (h963, h977, h989: a view answering 401
			 * by hand to a customer whose session every other check
			 * took; a refused session costs every check, a cause of
			 * its own). */
			gbuf_addf(msg, " (401 is \"not signed in\": is 403 meant, for a signed-in user the view "
				  "refuses? Else the session was refused, and so were %s's name and password with "
				  "Basic; the API takes no other sign-in the grader makes: DRF or knox tokens, "
				  "SimpleJWT or ninja-jwt)", s->actor);
		else if (run->o->boot && run->o->boot->sign_in_failed)
			sign_in_failed_note(run, " (401 is \"not signed in\": ", msg);
		else
			other_scheme_401_said(rs, msg);
	}
	/* Not signed in, though DRF says it with 403 (h484): the sign-in,
	 * not what the user may do, which the staff hint below said. */
	if (not_authenticated_403(rs) && s->actor && strcmp(s->actor, "anonymous") != 0) {
		if (!run->c->sign_in_session && run->o->boot && run->o->boot->sign_in_failed)
			sign_in_failed_note(run, " (not signed in: ", msg);
		else
			gbuf_adds(msg, run->c->sign_in_session
					       ? " (not signed in: the view took no session, the one sign-in SPEC.md's "
						 "users bring: add SessionAuthentication)"
					       /* Basic is sent after a 401 asking for
						* it or for none (h1079: a 403 with no
						* challenge read as Basic refused). */
					       : " (not signed in: the API took none of the sign-ins the grader makes: the "
						 "session, DRF or knox tokens, SimpleJWT or ninja-jwt; Basic only after a 401 "
						 "asking for Basic, or for no scheme)");
		return;
	}
	/* DRF's versioning refusing the version (h438: a grader.yaml line
	 * to /api/V1/ where ALLOWED_VERSIONS holds "v1"; h663: the query's
	 * or a namespace's, told to give staff permissions): neither the
	 * user nor the data, whoever asks. */
	if (rs->status == 404 && (said = version_refused(rs))) {
		gbuf_adds(msg, said);
		return;
	}
	/* A staff user refused: the grader's staff has is_staff and nothing
	 * else, so a permission or group check refuses it (h154), or lifts
	 * an owner filter only for a permission, and a routed page is then
	 * 404 to staff (h219); or the page filters by owner and never asks
	 * about staff at all, which "a check of those" missed (h384). */
	if (refused && staff_flag_missing(run, s, msg))
		return;
	/* The app gave it a group or permission of its own (a receiver
	 * putting staff in "Support agents", h628): refused all the same,
	 * the check names the permission otherwise than the app grants it. */
	if (refused && run->o->boot && name_listed(run->o->boot->users_granted, s->actor)) {
		/* Its group grants nothing (h713: filled by a data migration
		 * before Django made the permissions, after migrate): that,
		 * not the permission's name. */
		if (name_listed(run->o->boot->users_granted_nothing, s->actor))
			gbuf_addf(msg, " (%s is in the group the app gave it, and the group grants no permission: "
				  "a data migration that added permissions before Django made them, after migrate, "
				  "added none; add them in a post_migrate receiver, or check is_staff)", s->actor);
		else
			/* Not that it holds the permission asked for (h1220:
			 * a group given view_ticket alone, the view asking for
			 * change_ticket). */
			gbuf_addf(msg, " (%s holds the groups or permissions the app gave it, and was refused all "
				  "the same: do they grant the one the check asks for, named by its app label and "
				  "codename, with no object? or does it ask for more, such as is_superuser?)", s->actor);
		return;
	}
	/* A page the same user read with a 2xx earlier in the check, read
	 * again (h679: a product whose id save() made afresh, after the
	 * order saved it): not what the user may see, but what changed
	 * since. Not a write to a list it read (a refusal of its own). */
	if (rs->status == 404 && s->actor && (!r->method || !strcmp(r->method, "GET")) &&
	    read_earlier(run, s->actor, gbuf_str(&r->path))) {
		gbuf_addf(msg, " (%s read this address with a 2xx earlier in the check: what changed since? its "
			  "id made afresh in save(), the row deleted, or a queryset that no longer holds it)",
			  s->actor);
		return;
	}
	/* Not a 403 of Django's CSRF check, which is said as its own
	 * (csrf_failure_said; h897: a middleware making a form's POST a
	 * PATCH before CsrfViewMiddleware was told of staff's flags). */
	if (refused &&
	    !(rs->status == 403 && rs->body.data && memmem(rs->body.data, rs->body.len, CSRF_FAILED, sizeof(CSRF_FAILED) - 1)))
		for (i = 0; i < run->c->nusers; i++) {
			if (strcmp(run->c->users[i].username, s->actor) || run->c->users[i].is_superuser)
				continue;
			/* (h1252: an owner-only test refused staff too; h1291: a
			 * permission granted on post_migrate, before the grader
			 * made its users.) */
			if (run->c->users[i].is_staff)
				gbuf_addf(msg, rs->status == 404
						       ? " (%s has is_staff alone: not is_superuser, no permission, group or "
							 "role; a page that shows the owner's own alone, or others' only for "
							 "those, is 404 to it)"
						       : " (%s has is_staff alone: not is_superuser, no permission, group or "
							 "role, made after migrate, so no post_migrate grant reaches it; a check "
							 "of those refuses it, as does a test_func that returns nothing, or a "
							 "test that lets the owner alone in)",
					  s->actor);
			/* A customer refused by DRF's own permission words where
			 * the step expects her request taken (h1096: orders behind
			 * IsAdminUser, "expected 201" said alone). */
			else if (rs->status == 403 && rs->body.data &&
				 memmem(rs->body.data, rs->body.len, "permission to perform this action", 33))
				/* ...or that reads no credential at all (h1205:
				 * authentication_classes = [] beside
				 * IsAuthenticated, told to use IsAuthenticated). */
				gbuf_addf(msg, " (%s is signed in and not staff: what any signed-in user may do takes "
					  "IsAuthenticated, not IsAdminUser or a test of is_staff, and authentication "
					  "classes that read the session)", s->actor);
		}
}

/* A 2xx sending htmx to another page (HX-Redirect, HX-Location): only
 * htmx follows it; a form posted by a browser stays where it is (h301). */
static void htmx_redirect_hint(const struct http_response *rs, struct gbuf *msg)
{
	static const char *const names[] = { "HX-Redirect", "HX-Location" };
	char *hx = NULL;
	size_t i;

	if (rs->status < 200 || rs->status >= 300)
		return;
	/* Not where it leads: the checks' own ids would make one cause many. */
	for (i = 0; i < 2 && !hx; i++)
		if ((hx = http_response_header(rs, names[i])))
			gbuf_addf(msg, " (its redirect is an %s header, which only htmx follows: a form a browser "
				  "posts needs a 302)", names[i]);
	free(hx);
}

/* Whether `loc` is `path` (its first `pl` bytes) under a language prefix,
 * "/en/admin/" for "/admin/": said with the setting and the grader.yaml
 * line for its first segment. */
static bool lang_moved(const char *loc, const char *path, size_t pl, struct gbuf *msg)
{
	size_t ll = strcspn(loc, "?#"), seg = path[0] == '/' ? 1 + strcspn(path + 1, "/") : 0;
	char prefix[16];

	if (!pl || ll <= pl || ll - pl >= sizeof(prefix) || strncmp(loc + ll - pl, path, pl) || !seg)
		return false;
	memcpy(prefix, loc, ll - pl);
	prefix[ll - pl] = '\0';
	if (!routes_is_lang_prefix(prefix))
		return false;
	gbuf_addf(msg, " (the same path under the language prefix %s/: i18n_patterns; prefix_default_language=False "
		  "serves the default language without it, or grader.yaml: \"%.*s/: %s%.*s/\")",
		  prefix, (int)seg, path, prefix, (int)seg, path);
	return true;
}

/* Where a 3xx that failed its step redirected, and what is odd about it. */
static void redirect_said(struct run *run, const struct http_response *rs, const struct req *r,
			  struct gbuf *msg)
{
	char *loc = rs->status >= 300 && rs->status < 400 ? http_response_location(run->http, rs) : NULL;
	size_t pl = strcspn(gbuf_str(&r->path), "?#");
	const char *tls_path;
	bool away;

	if (!loc)
		return;
	away = !strncmp(loc, "http://", 7) || !strncmp(loc, "https://", 8);
	tls_path = !strncmp(loc, "https://", 8) ? strchr(loc + 8, '/') : NULL;
	gbuf_adds(msg, " to ");
	/* Off the app: its query (a ?next= with the grader's own address)
	 * would crowd out the hint. */
	gbuf_add_excerpt(msg, loc, away ? strcspn(loc, "?#") : strlen(loc), 80);
	/* The sign-in page sending to itself with a next=: a login-required
	 * middleware that does not exempt it (h297); not a refused sign-in
	 * sent back to the form (h1032: ?error=1). */
	if (!strncmp(loc, gbuf_str(&r->path), pl) && strchr("?#", loc[pl]) && loc[pl] &&
	    is_login_path(gbuf_str(&r->path)) && strstr(loc + pl, "next="))
		gbuf_adds(msg, " (the login page itself asks to sign in: exempt it from a login-required "
			  "middleware, @login_not_required)");
	/* The same path over https: the app's own redirect of plain HTTP
	 * (h662: a middleware of its own), where the boot served it as
	 * behind a TLS proxy only for the settings that say it is one. */
	else if (tls_path && !strcmp(tls_path, gbuf_str(&r->path)))
		gbuf_adds(msg, " (the same address over https: the app sends plain HTTP there itself; the grader "
			  "serves an app as behind a TLS proxy where SECURE_SSL_REDIRECT or SECURE_PROXY_SSL_HEADER "
			  "says it is behind one)");
	/* A redirect off the app (h317: LOGIN_URL naming the deployment's
	 * host), which no check follows. */
	else if (away)
		gbuf_adds(msg, " (another site: not followed)");
	/* The same path under a language prefix (i18n_patterns), said where
	 * one check alone met it and no cause says it (h789: the admin's
	 * /en/admin/ was told "/admin/: /backstage/"); else the same path
	 * with its slash (h425: grader.yaml mapping to /api/v1/products,
	 * which APPEND_SLASH sends to /api/v1/products/): the line's target
	 * is what to change. */
	else if (!lang_moved(loc, gbuf_str(&r->path), pl, msg) && routes_count(run->o->routes) && pl &&
		 gbuf_str(&r->path)[pl - 1] != '/' &&
		 !strncmp(loc, gbuf_str(&r->path), pl) && loc[pl] == '/' && (!loc[pl + 1] || loc[pl + 1] == '?'))
		gbuf_adds(msg, " (the app serves it with a trailing slash, APPEND_SLASH: end grader.yaml's "
			  "line for it with '/')");
	free(loc);
}

/* A read after a form the check filled had no field for one of its
 * values: an upload compared with the file sent (h335: its photo, not
 * image, got the grader's PNG, and the page served that one), or a row
 * looked for by a value the form dropped (h460: a form without category
 * saved the model's default, and the dessert filter listed nothing). */
static void absent_field_note(const struct run *run, const struct step *s, const struct assertion *as,
			      struct gbuf *msg)
{
	/* What the page shows; not its headers, nor the queries it ran,
	 * which no form field decides (h460: query-budget). */
	static const enum query_kind content[] = { Q_BODY, Q_TEXT,  Q_PROSE,   Q_JSONPATH,
						   Q_XPATH, Q_CSS,   Q_REGEX,   Q_SHA256 };
	size_t i;

	for (i = 0; !s->submit && run->absent.len && i < sizeof(content) / sizeof(content[0]); i++)
		if (as->query == content[i]) {
			gbuf_addf(msg, ABSENT_NOTE "%s)", gbuf_str(&run->absent));
			break;
		}
}

/* The boot module's word, signed with the run's token, that the app's 404
 * was for a file MEDIA_URL serves (grader_boot.py make_wrapper): the path
 * holds the upload's name without MEDIA_URL before it (h451). The file's
 * path under MEDIA_ROOT, the boot's (percent-encoded; the caller frees
 * it), or NULL. */
static char *media_unprefixed(const struct run *run, const struct http_response *rs)
{
	const struct boot_info *b = run->o->boot;
	char *v, *rel = NULL;
	size_t n;

	if (!b || !b->query_token || !b->media_url || b->media_url[0] != '/')
		return NULL;
	v = http_response_header(rs, UNPREFIXED_HEADER);
	n = strlen(b->query_token);
	if (v && !strncmp(v, b->query_token, n) && v[n] == ' ' && v[n + 1])
		rel = strdup(v + n + 1);
	free(v);
	return rel;
}

/* The length of a page's folder: its path up to its last slash before
 * any query ("/recipes/4/" of "/recipes/4/?x=1"). */
static size_t page_folder_len(const char *base)
{
	size_t folder = strcspn(base, "?#");

	while (folder > 1 && base[folder - 1] != '/')
		folder--;
	return folder;
}

/* Whether the file the boot found for a 404's path (rel, under MEDIA_ROOT)
 * is the path itself, or the path written relative to the step's page, its
 * folder before it ("/recipes/4/" + "recipes/x.png", h946): not any end of
 * any path (a storage's own base_url, "/nowhere/" + "recipes/x.png", whose
 * fix is not the field's .url, which gives just that). */
static bool unprefixed_is_src(const struct run *run, const char *path, const char *rel)
{
	size_t folder;

	if (!strcmp(path + 1, rel))
		return true;
	if (!run->base || run->base[0] != '/')
		return false;
	folder = page_folder_len(run->base);
	return !strncmp(path, run->base, folder) && !strcmp(path + folder, rel);
}

/* Where rel, a file's path under MEDIA_ROOT, ends path after a '/': the
 * length of path's prefix before it, or 0. */
static size_t rel_prefix_len(const char *path, const char *rel)
{
	size_t p = strlen(path), n = strlen(rel);

	return p > n + 1 && !strcmp(path + p - n, rel) && path[p - n - 1] == '/' ? p - n : 0;
}

/* Where path is MEDIA_URL + the end of rel, a file's path under MEDIA_ROOT
 * that the boot found in a folder of it (grader_boot.py _media_in_folder):
 * the length of that folder and its slash, or 0. rel_prefix_len the other
 * way round: what is under MEDIA_URL ends rel after a '/'. */
static size_t media_folder_len(const char *media_url, const char *path, const char *rel)
{
	size_t m = strlen(media_url);

	return strncmp(path, media_url, m) || !path[m] ? 0 : rel_prefix_len(rel, path + m);
}

/* Whether path's first pre bytes are the step's page's folder and then
 * MEDIA_URL without its leading slash: a src of "media/" + the file's
 * name, resolved against the page ("/recipes/4/media/...", h1166). */
static bool media_url_relative(const struct run *run, const char *media_url, const char *path, size_t pre)
{
	size_t folder, m = strlen(media_url);

	if (!run->base || run->base[0] != '/' || m < 2 || media_url[0] != '/')
		return false;
	folder = page_folder_len(run->base);
	return folder + m - 1 == pre && !strncmp(path, run->base, folder) && !strncmp(path + folder, media_url + 1, m - 1);
}

/*
 * A file's 404 where MEDIA_URL was left unset: the upload's address has no
 * prefix the grader (or a web server) serves from MEDIA_ROOT, whatever the
 * template writes (h306: "the <img> src must be recipe.image.url" for a
 * template writing just that). Or, under MEDIA_URL, the default storage
 * keeps uploads elsewhere: its own location, which MEDIA_URL does not
 * serve (h392: "recipe.image.url" advised to a template using it).
 */
static void media_404_hint(const struct run *run, const struct http_response *rs, const struct req *r,
			   struct gbuf *msg)
{
	const struct boot_info *b = run->o->boot;
	const char *path = gbuf_str(&r->path);
	char *rel = NULL;
	size_t pre = 0;

	if (rs->status != 404 || !b || strcmp(r->method ? r->method : "GET", "GET") || !path_names_file(path))
		return;
	if (b->media_url_unset)
		gbuf_adds(msg, MEDIA_UNSET_NOTE ", so uploads get addresses no prefix serves: set "
			  "MEDIA_URL = \"/media/\")");
	else if (b->uploads_elsewhere && b->media_url && *b->media_url == '/' &&
		 !strncmp(path, b->media_url, strlen(b->media_url)))
		gbuf_addf(msg, UPLOADS_ELSEWHERE_NOTE "%s, outside MEDIA_ROOT)", b->uploads_elsewhere);
	else if ((rel = media_unprefixed(run, rs)) && unprefixed_is_src(run, path, rel)) {
		/* The file's path under MEDIA_ROOT, which the boot found as the
		 * whole path or its end: a src without a leading slash resolves
		 * against its page's folders (h946). */
		gbuf_addf(msg, UNPREFIXED_NOTE "%s", b->media_url);
		gbuf_add_excerpt(msg, rel, strlen(rel), 80);
		gbuf_adds(msg, ": this src lacks MEDIA_URL; write the field's .url)");
	} else if (rel && (pre = rel_prefix_len(path, rel)) > 13 && !strncmp(path + pre - 13, "/state/media/", 13)) {
		/* The file's path on disk, under the MEDIA_ROOT the grader gave
		 * (the boot's state folder's media/, grader_boot.py; h1105:
		 * {{ recipe.image.path }}, told of its storage's base_url): the
		 * field's .path where its .url belongs. */
		gbuf_adds(msg, ON_DISK_NOTE ", under MEDIA_ROOT: write the field's .url, not its .path)");
	} else if (pre && media_url_relative(run, b->media_url, path, pre)) {
		/* MEDIA_URL written without its leading slash ("media/" +
		 * the file's name, h1166: a template filter building the
		 * src), which resolves against the page's folder. */
		gbuf_addf(msg, UNPREFIXED_NOTE "%s", b->media_url);
		gbuf_add_excerpt(msg, rel, strlen(rel), 80);
		gbuf_adds(msg, ": this src is relative, MEDIA_URL without its leading slash; write the field's .url)");
	} else if (pre) {
		/* The path's end, under another prefix: the field's storage
		 * names its files at an address of its own (h986: base_url
		 * "/uploads/" for files under MEDIA_ROOT), which nothing serves;
		 * the template's .url gives just that. Or the template built
		 * the src itself under another prefix (h1166: STATIC_URL and
		 * the file's name): the field's .url is the fix there. */
		gbuf_addf(msg, UNPREFIXED_NOTE "%s", b->media_url);
		gbuf_add_excerpt(msg, rel, strlen(rel), 80);
		gbuf_adds(msg, ", under MEDIA_URL: nothing serves ");
		gbuf_add_excerpt(msg, path, pre, 60);
		gbuf_adds(msg, "; the storage's base_url, or its url method, must give the address its files are served at, "
			  "and the src be the field's .url)");
	} else if (rel && (pre = media_folder_len(b->media_url, path, rel))) {
		/* Under MEDIA_URL, one folder short: a FileSystemStorage whose
		 * location is a folder of MEDIA_ROOT, its base_url left at
		 * MEDIA_URL (h1112: "recipe.image.url" told to a template
		 * writing just that); or a src built from the file's name
		 * where the base_url adds the folder (h1181: told of the
		 * base_url alone). */
		gbuf_adds(msg, " (MEDIA_ROOT has it in ");
		gbuf_add_excerpt(msg, rel, pre, 40);
		gbuf_adds(msg, ": its storage's base_url, and the src, must add that folder)");
	}
	free(rel);
}

/* Whether text holds phrase, whatever its case, as words of its own: not
 * within a longer word or number (h1074: the title "Private 4484045d",
 * the run's nonce, read as a 404). */
static bool names_phrase(const char *text, const char *phrase)
{
	size_t n = strlen(phrase);
	const char *p;

	for (p = strcasestr(text, phrase); p; p = strcasestr(p + 1, phrase))
		if ((p == text || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[n]))
			return true;
	return false;
}

/*
 * A refusal answered 2xx by a page that says it is one: a handler403
 * rendered without status=403, or a view rendering "You don't have
 * permission" as 200 (h402: three checks failed "must be refused, not
 * shown" where the page refused; only its status was wrong). Its <title>
 * or first <h1>, when either names a refusal, is quoted with the fix.
 */
static void refusal_page_note(const struct assertion *as, struct eval_ctx *ctx, const struct http_response *rs,
			      struct gbuf *msg)
{
	/* And a 404 page's (h840: "404 — Not found" answered 200, told
	 * only "must be refused, not shown"), whose fix names 404. */
	static const char *const words[] = { "404",	     "not found",     "403",	       "forbidden",
					     "access denied", "permission denied", "not allowed",  "no permission",
					     "not authorized", "not authorised", "unauthorized", "unauthorised",
					     "don't have permission", "do not have permission" };
	static const char *const where[] = { "normalize-space((//h1)[1])", "normalize-space((//title)[1])" };
	char *ct = NULL;
	cJSON *got = NULL;
	size_t i, k;

	if (as->query != Q_REFUSED || rs->status < 200 || rs->status >= 300 || !rs->body.len)
		goto done;
	ct = http_response_header(rs, "Content-Type");
	if (!ct || !strstr(ct, "html"))
		goto done;
	/* Through the step's context: the page parsed once, as the
	 * assertions and response_evidence read it. */
	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		cJSON_Delete(got);
		got = query_xpath(ctx, where[i]);
		if (!cJSON_IsString(got) || !got->valuestring[0])
			continue;
		for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
			if (names_phrase(got->valuestring, words[k])) {
				gbuf_adds(msg, " (its page says \"");
				gbuf_add_excerpt(msg, got->valuestring, strlen(got->valuestring), 60);
				gbuf_addf(msg, "\": a refusal answered %ld; send it with its status, as "
					       "render(request, \"%s.html\", status=%s) does)",
					  rs->status, k < 2 ? "404" : "403", k < 2 ? "404" : "403");
				goto done;
			}
	}
done:
	cJSON_Delete(got);
	free(ct);
}

/* Whether `path` is an action beneath an object's id ("/tickets/18/status/",
 * the id a segment with a digit, the action a word of letters, '-' or
 * '_'): the action into out. */
static bool object_action(const char *path, char *out, size_t n)
{
	const char *end = path + strcspn(path, "?#"), *last, *prev;
	size_t len;
	bool found = false;

	if (end > path && end[-1] == '/')
		end--;
	for (last = end; last > path && last[-1] != '/'; last--)
		;
	for (prev = last > path ? last - 1 : path; prev > path && prev[-1] != '/'; prev--)
		;
	len = (size_t)(end - last);
	/* prev..last-1 is the id's segment: a digit in it. */
	if (len && len < n && prev > path && strspn(last, "abcdefghijklmnopqrstuvwxyz-_") >= len &&
	    strcspn(prev, "0123456789") < (size_t)(last - 1 - prev)) {
		memcpy(out, last, len);
		out[len] = '\0';
		found = true;
	}
	return found;
}

/*
 * A 405: the view answering the address does not serve the method, and
 * its Allow header says what it does serve. DRF's 405 carries a JSON
 * "detail", a plain Django view's an empty body: an API's address
 * answered by a plain view is a pattern listed ahead of the one meant
 * (h478: a front end's catch-all placed before the API's routes, every
 * create "answered 405" with nothing said of why), DRF's a read-only view.
 */
static void method_refused_hint(const struct http_response *rs, const struct req *r, struct gbuf *msg)
{
	char *allow = http_response_header(rs, "Allow");
	const char *m = r->method ? r->method : "GET";
	char lower[16], action[32];
	size_t i;

	if (!allow || !*allow || strlen(m) >= sizeof(lower))
		goto done;
	for (i = 0; m[i]; i++)
		lower[i] = (char)tolower((unsigned char)m[i]);
	lower[i] = '\0';
	/* Read-only where it lacks a POST, create-only where it lacks the
	 * GET (h809: CreateAPIView for the orders' list said "read-only"). */
	if (rs->body.len && memmem(rs->body.data, rs->body.len, "\"detail\"", 8))
		gbuf_addf(msg, " (the API's view here allows only %s: a %s view where %s is needed)", allow,
			  strcmp(m, "GET") ? "read-only" : strstr(allow, "POST") ? "create-only" : "GET-less", m);
	else if (object_action(gbuf_str(&r->path), action, sizeof(action)))
		/* An action beneath an object's id (h1239: <pk>/<slug>/ listed
		 * before <pk>/status/ took staff's post, its DetailView 405). */
		gbuf_addf(msg, " (the view answering it allows only %s: a view without %s(), or a pattern "
			  "listed before the one meant, such as <pk>/<slug>/ before <pk>/%s/)", allow, lower, action);
	else
		/* The likelier fix first: a message cut to its room keeps it
		 * (h624: "...or a view without …"). */
		gbuf_addf(msg, " (the view answering it allows only %s: a view without %s(), or a pattern "
			  "listed before the one meant, such as a front end's catch-all)", allow, lower);
done:
	free(allow);
}

/* A failed answer's body as a JSON object (at most 64 KiB, starting with
 * '{'), for its notes to read; NULL otherwise. Caller frees. */
static cJSON *answer_object(const struct http_response *rs)
{
	if (!rs->body.len || rs->body.len > 65536 || rs->body.data[0] != '{')
		return NULL;
	return cJSON_ParseWithLength(rs->body.data, rs->body.len);
}

/* The status an answer's JSON names at its top ("status": 403, or
 * "403"), a problem's (RFC 7807) or an error envelope's; 0 when none. */
static long body_status_said(const struct http_response *rs)
{
	cJSON *j = answer_object(rs), *st;
	long v = 0;

	st = j ? cJSON_GetObjectItemCaseSensitive(j, "status") : NULL;
	if (cJSON_IsNumber(st) && st->valuedouble >= 100 && st->valuedouble < 600)
		v = (long)st->valuedouble;
	else if (cJSON_IsString(st) && strlen(st->valuestring) == 3 && strspn(st->valuestring, "0123456789") == 3)
		v = strtol(st->valuestring, NULL, 10);
	cJSON_Delete(j);
	return v;
}

/* Whether a JSON answer is an object holding errors ("errors" or "error",
 * not empty): a refusal's body, whatever its status. */
static bool body_holds_errors(const struct http_response *rs)
{
	cJSON *j = answer_object(rs);
	const cJSON *e;
	bool said = false;

	e = cJSON_GetObjectItemCaseSensitive(j, "errors");
	if (!e)
		e = cJSON_GetObjectItemCaseSensitive(j, "error");
	said = e && !cJSON_IsNull(e) && !cJSON_IsFalse(e) && (!cJSON_IsString(e) || *e->valuestring) &&
	       (!(cJSON_IsObject(e) || cJSON_IsArray(e)) || e->child);
	/* Or DRF's own word for one, "detail", in an answer that made no
	 * row (h1295: a service's error mapped by a handler without its
	 * status, {"detail": "Only 0 ... in stock", "code": ...}). */
	e = cJSON_GetObjectItemCaseSensitive(j, "detail");
	said = said || (cJSON_IsString(e) && *e->valuestring && !cJSON_HasObjectItem(j, "id"));
	cJSON_Delete(j);
	return said;
}

/* Whether an answer's body names the stock (in any letter case): a refusal
 * that says why in the stock's words, or a sold-out product's (h1042:
 * "This product is sold out."). */
static bool body_names_stock(const struct http_response *rs)
{
	static const char *const words[] = { "stock", "sold out", "sold-out", "soldout" };
	size_t i, k, n;

	for (i = 0; rs->body.data && i < rs->body.len; i++)
		for (k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
			n = strlen(words[k]);
			if (i + n <= rs->body.len && !strncasecmp(rs->body.data + i, words[k], n))
				return true;
		}
	return false;
}

/* Whether an answer's body is a JSON object (its first character). */
static bool body_is_object(const struct http_response *rs)
{
	size_t i = 0;

	while (rs->body.data && i < rs->body.len && isspace((unsigned char)rs->body.data[i]))
		i++;
	return rs->body.data && i < rs->body.len && rs->body.data[i] == '{';
}

/* Whether an answer's body holds DRF's words of a refusal: its codes, kept
 * by an exception handler that wraps them, or its default details. */
static bool body_refusal_said(const struct http_response *rs)
{
	static const char *const words[] = { "\"not_found\"", "\"permission_denied\"", "\"not_authenticated\"",
					     "\"authentication_failed\"", "\"Not found.\"", " matches the given query.\"",
					     DRF_PERMISSION_DENIED,
					     DRF_NOT_AUTHENTICATED };
	size_t i;

	for (i = 0; rs->body.data && i < sizeof(words) / sizeof(words[0]); i++)
		if (memmem(rs->body.data, rs->body.len, words[i], strlen(words[i])))
			return true;
	return false;
}

/* A status of the right kind but another number, said with its fix:
 * refused, but with 422 or 409 where the row asks for 400 (h437, h439,
 * h602's Conflict: the advice after it, "... cannot be ordered", read as
 * if the app had taken the order); made, but answered 200 or 202 where
 * 201 is asked (h640: "answered 200 {...}; expected 201" alone). True
 * where it said a refusal right but for its number: the check's advice
 * on how to refuse is then not said after it. */
/*
 * Whether a refusal's body is Django Ninja's: pydantic's errors, "loc" and
 * "msg", whose "loc" starts with where Ninja read the value ("body",
 * "query", "path", "form"). Not pydantic's own errors() answered by a
 * view of the app's (h889: a 422 of its own decorator was told of
 * Ninja's exception handler). Bounded: the body is the app's.
 */
static bool ninja_refusal(const struct http_response *rs)
{
	static const char *const places[] = {"\"body\"", "\"query\"", "\"path\"", "\"form\""};
	const char *p = rs->body.data, *end = p ? p + rs->body.len : NULL, *at;
	bool found = false;
	size_t i;

	if (p && !memmem(p, rs->body.len, "\"msg\"", 5))
		p = end;
	while (!found && p < end && (at = memmem(p, (size_t)(end - p), "\"loc\"", 5))) {
		p = at + 5;
		while (p < end && (*p == ' ' || *p == ':' || *p == '[' || *p == '\n'))
			p++;
		for (i = 0; i < sizeof(places) / sizeof(*places) && !found; i++)
			found = (size_t)(end - p) >= strlen(places[i]) && !memcmp(p, places[i], strlen(places[i]));
	}
	return found;
}

static bool status_code_note(const struct run *run, const struct assertion *as, const struct http_response *rs,
			     struct gbuf *msg)
{
	/* Not where its words call a field missing (h732: pydantic's
	 * "Field required" of a product_id the order does not send): then
	 * the refusal is no stock's, and its words say why. */
	bool missing = rs->body.len && (memmem(rs->body.data, rs->body.len, "\"missing\"", 9) ||
					memmem(rs->body.data, rs->body.len, "Field required", 14) ||
					memmem(rs->body.data, rs->body.len, "field is required", 17));
	/* Django Ninja's own 422 of a schema's refusal, pydantic's list of
	 * "loc" and "msg": its fix, not a serializer's (h804: conint(gt=0)
	 * told min_value=1 alone). */
	bool ninja = rs->status == 422 && ninja_refusal(rs);
	bool refused = false;
	long said;

	if (as->query != Q_STATUS)
		return false;
	/* An error whose body names a status the answer does not carry (h822:
	 * an exception handler building a problem's JSON, "status": 403,
	 * without Response(..., status=...)): "answered 200 {... 403 ...};
	 * expected 403" read as the grader's mistake. */
	if (rs->status < 300 && (said = body_status_said(rs)) >= 400) {
		gbuf_addf(msg, " (its body says status %ld, but the answer's status is %ld: give the response "
			  "that status, Response(data, status=%ld))", said, rs->status, said);
	} else if (rs->status < 300 && status_expects_refusal(as, run->vars) && body_refusal_said(rs)) {
		/* A refusal's words answered 200 (h948: an exception handler
		 * wrapping DRF's errors in a Response of its own, without
		 * status=): the row's advice ("an unknown id answers 404")
		 * sent the student to a lookup that worked. */
		gbuf_addf(msg, " (refused in its body, but with status %ld: give the answer the refusal's "
			  "status, status=response.status_code on the Response an exception handler builds)",
			  rs->status);
		refused = true;
	} else if (rs->status < 300 && status_expects_only(as, run->vars, 400) && body_holds_errors(rs)) {
		/* Refused in its body, not its status (h853: a Ninja
		 * exception handler's JsonResponse without status=400): the
		 * row's advice on how to refuse is not the fix. */
		gbuf_addf(msg, " (refused in its body, but with status %ld: answer the errors with 400, "
			  "status=400 on the response the view or its exception handler returns)", rs->status);
		refused = true;
	} else if (rs->status == 403 && status_expects_only(as, run->vars, 400) && body_names_stock(rs)) {
		/* A stock's refusal raised as PermissionDenied (h957): the
		 * row's advice, "an order larger than the stock must be
		 * refused", repeated what the app did. */
		gbuf_adds(msg, " (refused, as it should be, but with 403: SPEC.md asks for 400, a validation error "
			  "(serializers.ValidationError), not PermissionDenied)");
		refused = true;
	} else if ((rs->status == 422 || rs->status == 409) && status_expects_only(as, run->vars, 400) && !missing) {
		gbuf_addf(msg, " (refused, as it should be, but with %ld: SPEC.md asks for 400%s)", rs->status,
			  ninja ? "; Django Ninja answers its schemas' refusals 422: an exception handler for "
				  "ninja.errors.ValidationError returning 400 changes that" : "");
		refused = true;
	} else if (rs->status == 404 && status_expects_only(as, run->vars, 400) && !missing && body_is_object(rs)) {
		/* The view's own 404 (a JSON body: an unrouted path's is
		 * Django's page) for an order of a product that exists (h1031:
		 * HttpError(404, "Product unavailable") for a sold-out one,
		 * read as if the order had gone through). */
		gbuf_adds(msg, " (refused, but with 404, which says the view found nothing: SPEC.md asks for 400, "
			  "a validation error)");
		refused = true;
	} else if ((rs->status == 200 || rs->status == 202) && status_expects_only(as, run->vars, 201)) {
		/* Django Ninja's way beside DRF's (h732), and a plain
		 * view's (h755: JsonResponse's default is 200). */
		gbuf_addf(msg, " (answer a create with 201 Created, not %ld: DRF's CreateModelMixin and generic "
			  "CreateAPIView do, or Response(data, status=201); Django Ninja, return 201, obj; a plain "
			  "view, JsonResponse(data, status=201))", rs->status);
	}
	return refused;
}


/* A 403 from Django's CSRF check where the form had its token: said as
 * the check's, and where its page says the CSRF cookie never came, why a
 * browser drops one (h664: CSRF_COOKIE_DOMAIN ".helpdesk.example.com",
 * told only "answered 403"). */
static void csrf_failure_said(const struct http_response *rs, struct gbuf *msg)
{
	static const char no_cookie[] = "requires a CSRF cookie";

	if (memmem(rs->body.data, rs->body.len, no_cookie, sizeof(no_cookie) - 1))
		gbuf_adds(msg, " (Django's CSRF check refused it: the CSRF cookie did not come back with it, as a "
			  "browser on http://127.0.0.1 drops one set for another site: check CSRF_COOKIE_DOMAIN "
			  "and CSRF_COOKIE_PATH)");
	else
		gbuf_adds(msg, " (Django's CSRF check refused it, though the form sent its token: the token and the "
			  "CSRF cookie disagree, or the Origin is not trusted, CSRF_TRUSTED_ORIGINS)");
}

/* The field a JSON:API error names: the last part of its source's
 * pointer ({"source": {"pointer": "/data/attributes/sku"}}, the
 * specification's own example; "/sku" where an API keeps no data
 * envelope), or its parameter's; NULL when none (h710: a required SKU
 * named so, OPTIONS off, never filled: 15). */
static const char *pointer_field(const cJSON *item)
{
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(item, "source");
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(src, "pointer");
	const char *last;

	if (!cJSON_IsString(p))
		p = cJSON_GetObjectItemCaseSensitive(src, "parameter");
	if (!cJSON_IsString(p))
		return NULL;
	last = strrchr(p->valuestring, '/');
	last = last ? last + 1 : p->valuestring;
	return *last ? last : NULL;
}

/* The field an item of a list of errors names: the last of pydantic's
 * "loc", else drf-standardized-errors' "attr", else a handler's own
 * "field", else RFC 9457's "name" (an invalid_params item, h680); NULL
 * when none is a string. */
static const char *error_item_field(const cJSON *e)
{
	static const char *const keys[] = { "attr", "field", "name" };
	const cJSON *loc = cJSON_GetObjectItemCaseSensitive(e, "loc");
	const cJSON *f = cJSON_IsArray(loc) ? cJSON_GetArrayItem(loc, cJSON_GetArraySize(loc) - 1) : NULL;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && !cJSON_IsString(f); i++)
		f = cJSON_GetObjectItemCaseSensitive(e, keys[i]);
	return cJSON_IsString(f) ? f->valuestring : pointer_field(e);
}

/* A field the grader filled that the errors `errs` name: a member of
 * their object or of one or two envelopes inside it ({"error":
 * {"details": {"sku": [...]}}}, as refusal_messages reads them), or the
 * field of an item of a list of errors (error_item_field); NULL when
 * none. */
static const char *filled_named(const struct run *run, const cJSON *errs, int depth)
{
	const cJSON *e;
	const char *found = NULL;

	cJSON_ArrayForEach(e, loc_errors(errs))
		if (!found && error_item_field(e) && list_within(error_item_field(e), gbuf_str(&run->filled)))
			found = error_item_field(e);
	if (!cJSON_IsObject(errs))
		return found;
	cJSON_ArrayForEach(e, errs)
		if (!found && e->string && *e->string && !strchr(e->string, ',') &&
		    list_within(e->string, gbuf_str(&run->filled)))
			found = e->string;
		else if (!found && depth < 2 && cJSON_IsObject(e))
			found = filled_named(run, e, depth + 1);
	return found;
}

/* A create refused once more for a value the grader made up: what the
 * student can do about the field, where seven checks said only what was
 * filled (h667, h673). Not after the choice's own advice. */
static void filled_refused_advice(const struct run *run, const struct http_response *rs, struct gbuf *msg)
{
	cJSON *errs;
	const char *own;

	if (!run->filled.len || (rs->status != 400 && rs->status != 422) ||
	    (rs->body.data && memmem(rs->body.data, rs->body.len, "is not a valid choice.", 22)))
		return;
	errs = cJSON_ParseWithLength(rs->body.data ? rs->body.data : "", rs->body.len);
	if ((own = filled_named(run, errs, 0)))
		/* Its choices as well as a format (h844: a polymorphic
		 * serializer's resourcetype, told only "e.g. SKU-AB12"). */
		gbuf_addf(msg, " (it refused the grader's %.60s: give it a default or make it optional, or say "
			  "in the error what it takes, \"one of: a, b\" or \"e.g. SKU-AB12\")", own);
	cJSON_Delete(errs);
}

static bool action_redirected_note(struct run *run, const struct step *s, const struct req *r,
				   const struct http_response *rs, struct gbuf *msg);
static void private_cached_note(const struct assertion *as, const struct req *r, const struct http_response *rs,
				struct gbuf *msg);
static void post_redirected_back(struct run *run, const struct assertion *as, const struct req *r,
				 const struct http_response *rs, struct gbuf *msg);

/* The page whose form's action a status was answered to, where it is not
 * the action's own: or that the action redirected back to it. */
static void form_action_said(struct run *run, const struct step *s, const struct req *r,
			     const struct http_response *rs, struct gbuf *msg)
{
	if (!action_redirected_note(run, s, r, rs, msg) && r->form_page[0])
		gbuf_addf(msg, " (the action of the form at %s)", r->form_page);
}

/*
 * The tag that puts the CSRF token in a form, in the app's template
 * language (boot's reading of TEMPLATES): {% csrf_token %} is a syntax
 * error in a Jinja2 template (h196) and {{ csrf_input }} renders nothing
 * in a Django one (h647); where both render pages, the grader cannot tell
 * which one rendered the form, so both are named. `short_form` is the
 * checks' wording ({{run.csrf_tag}}, cut at 60 bytes in a message).
 */
static const char *csrf_tag_said(const struct boot_info *b, bool short_form)
{
	if (!b || b->templates == BOOT_TEMPLATES_DJANGO)
		return "{% csrf_token %}";
	if (b->templates == BOOT_TEMPLATES_JINJA2)
		return short_form ? "{{ csrf_input }}" : "{{ csrf_input }} (Jinja2)";
	return short_form ? "{% csrf_token %} ({{ csrf_input }} in a Jinja2 template)"
			  : "{% csrf_token %} in a Django template, {{ csrf_input }} in a Jinja2 one";
}

/*
 * A 404 said as the app's routes explain it: a path it serves without its
 * trailing slash first (h983: Django Ninja's, every path of the API
 * unrouted as SPEC.md writes it), else no pattern matching it, with a
 * path of the same end it does serve. Not a GET of a file: the grader
 * serves MEDIA_URL itself, and whitenoise the static files, outside the
 * patterns; a page's GET is said too (h257: /api/products/ of a router
 * without trailing slashes). True where the missing slash was said.
 */
static bool unrouted_note(const struct run *run, const struct http_response *rs, const struct req *r,
			  struct gbuf *msg)
{
	const char *path = gbuf_str(&r->path);
	bool slashless = rs->status == 404 && slashless_hint(run->o->boot, path, msg);

	if (rs->status == 404 && !slashless && path_unrouted(run->o->boot, path) &&
	    (strcmp(r->method ? r->method : "GET", "GET") || !path_names_file(path))) {
		gbuf_adds(msg, " (no URL pattern of the app matches this path");
		same_end_hint(run->o->boot, path, msg);
		gbuf_addch(msg, ')');
	}
	return slashless;
}

/* A row refused to the user who made it through a form whose required
 * select of users the grader chose: a ModelForm of every field lets the
 * user pick the owner, and the first one is someone else (h147); said
 * where her page refuses her, and where her list lacks the row (h1092). */
static bool chosen_owner_note(const struct run *run, struct gbuf *msg)
{
	size_t i;

	if (run->chosen.n) {
		gbuf_adds(msg, " (earlier in this check, the form's required ");
		for (i = 0; i < run->chosen.n; i++)
			gbuf_addf(msg, "%s%s", i ? ", " : "", run->chosen.v[i]);
		gbuf_adds(msg, " got its first option from the grader: a field naming whose row it is takes "
			       "request.user in the view, not a choice in the form)");
	}
	return run->chosen.n > 0;
}

/*
 * A JSON body refused with nothing said about it but the answer (h1201:
 * 400 {"detail": "product must be a product id."}): the body as sent, so
 * the student sees each name and each value's type the view turned down
 * (contracts §1, "what was sent"). After " (sent: ", which causes.c reads
 * as the end of the answer, as an upload's file name is said: the same
 * answer to bodies naming other ids is one cause.
 */
static void json_sent_note(const struct step *s, const struct req *r, const struct http_response *rs,
			   struct gbuf *msg)
{
	if (!s->submit && s->body == BODY_JSON && (rs->status == 400 || rs->status == 422) && r->body.len &&
	    r->body.data[0] == '{') {
		gbuf_adds(msg, " (sent: ");
		gbuf_add_excerpt(msg, r->body.data, r->body.len, 100);
		gbuf_addch(msg, ')');
	}
}

/*
 * A step failed on its status (or refusal): where it redirected, a field
 * the step fills that its form lacks (first: it explains the errors quoted
 * after it), the page whose form's action the request went to, what the
 * app said about the request, the fields the grader filled, a form without
 * its CSRF token, then what was expected and why.
 */
static void status_failure(struct run *run, const struct step *s, const struct assertion *as,
			   struct eval_ctx *ctx, const struct http_response *rs, const struct req *r,
			   struct gbuf *msg)
{
	/* Notes that say the fix themselves, the check's advice then left
	 * out: a field the sent form lacks (h1279), a login-required
	 * middleware's redirect (h1264), an owner the grader chose (h1266). */
	bool told_unread, refused_otherwise, slashless, csrf_told, fix_told = false;
	size_t evidence_end;

	redirect_said(run, rs, r, msg);
	htmx_redirect_hint(rs, msg);
	slashless = unrouted_note(run, rs, r, msg);
	media_404_hint(run, rs, r, msg);
	/* A redirect too: a text file sent as `image` to a form whose file
	 * input is `photo` was saved with the grader's own PNG (h335). */
	if (run->absent.len && s->submit && rs->status < 400) {
		gbuf_addf(msg, " (the form has no field %s)", gbuf_str(&run->absent));
		fix_told = true;
	}
	no_method_note(r, msg);
	/* JSON refused as a media type (parser_classes of forms alone, h269). */
	if (rs->status == 415 && !s->submit && s->body == BODY_JSON)
		gbuf_adds(msg, " (the grader sends JSON, as an API client does: accept it, DRF's JSONParser)");
	/* The Accept header refused: DRF's AcceptHeaderVersioning with
	 * ALLOWED_VERSIONS and no DEFAULT_VERSION refuses every request that
	 * names no version, which is every client's but its own (h340). */
	if (rs->status == 406 && !s->submit)
		gbuf_adds(msg, " (the grader sends Accept: application/json, */*;q=0.5, as API clients do; with "
			  "AcceptHeaderVersioning, set DEFAULT_VERSION)");
	if (rs->status == 405)
		method_refused_hint(rs, r, msg);
	form_action_said(run, s, r, rs, msg);
	post_redirected_back(run, as, r, rs, msg);
	fix_told |= login_redirect_note(run, s, rs, r, msg);
	sign_in_hint(run, s, rs, r, msg);
	refusal_page_note(as, ctx, rs, msg);
	private_cached_note(as, r, rs, msg);
	response_evidence(run, ctx, rs, r, msg);
	evidence_end = msg->len;
	told_unread = json_unread_hint(run, s, r, rs, msg);
	/* Not beside a missing field: that is the cause, and a message cut to
	 * its room must keep it and the errors rather than what was filled in
	 * the field's stead. A form's re-shown page is its refusal (< 300),
	 * an API's is any answer. */
	if (s->submit && run->filled.len && !run->absent.len && rs->status < 300)
		gbuf_addf(msg, " (the grader also filled the form's required %s)", gbuf_str(&run->filled));
	/* A row refused to the user who made it through a form whose
	 * required select the grader chose: a ModelForm of every field lets
	 * the user pick the owner, and the first one is someone else (h147). */
	if (!s->submit && (rs->status == 403 || rs->status == 404) && !path_is_file(run, r))
		fix_told |= chosen_owner_note(run, msg);
	/* A required select with nothing to pick: its choices are rows, and
	 * every run's database starts empty (h106). */
	if (s->submit && run->choiceless.len && rs->status < 300)
		gbuf_addf(msg, " (%s had no choice: a new database is empty; add its choices in a migration)",
			  gbuf_str(&run->choiceless));
	if (!s->submit && s->fill_required && !told_unread && (run->filled.len || run->unfillable.len)) {
		/* DRF's refusal of a choice names none (h538: a plain APIView's
		 * serializer): where the values could come from, first, as the
		 * values after it are long and a message is cut to its room
		 * (h539). */
		bool choice = rs->status == 400 && rs->body.data &&
			      memmem(rs->body.data, rs->body.len, "is not a valid choice.", 22);

		/* Its choices unknown, as OPTIONS described the serializer of
		 * another action (h1271: get_serializer_class choosing by
		 * self.action, "metadata" there). */
		if (choice && run->fill_undescribed[0])
			gbuf_addf(msg, " (OPTIONS described another serializer, without %s: give action \"metadata\" "
				  "the create's in get_serializer_class; the grader ", run->fill_undescribed);
		else
			gbuf_adds(msg, run->fill_guessed && choice
					       ? " (DRF lists no valid choice: give the choice a default; the grader "
					       : " (the grader ");
		if (run->filled.len)
			/* Blind first: the values are long, and a cut message
			 * lost why a choice was refused (h322). */
			gbuf_addf(msg, "also filled%s the API's required %s%s",
				  run->fill_guessed ? ", blind as OPTIONS described no field," : "", gbuf_str(&run->filled),
				  run->unfillable.len ? "; it " : "");
		if (run->unfillable.len)
			gbuf_addf(msg, "cannot make up the required %s", gbuf_str(&run->unfillable));
		gbuf_adds(msg, ")");
		filled_refused_advice(run, rs, msg);
	}
	/* The API said something is required but its OPTIONS described no
	 * field: the student's fix is there, or a default (SPEC.md). Not
	 * where the answer is DRF's refusal of a sign-in or a permission,
	 * its status rewritten: that is said instead (h1013: an
	 * EXCEPTION_HANDLER answering every error 400, told of OPTIONS). */
	if (drf_refusal_rewritten(rs))
		gbuf_adds(msg, " (the body's refusal has a status of its own: does an EXCEPTION_HANDLER, or the "
			  "view, rewrite it?)");
	else if (!s->submit && s->fill_required && !told_unread && run->options_bare > 0)
		gbuf_addf(msg, " (OPTIONS answered %ld describing no fields, so the grader could fill in none of "
			  "the API's required ones)", run->options_bare);
	/* In a Jinja2 template {% csrf_token %} is a syntax error (h196), and
	 * {{ csrf_input }} renders nothing in a Django one (h647): where both
	 * languages render pages, the grader cannot tell which this was. */
	csrf_told = rs->status == 403 && (r->form_without_csrf ||
					  (rs->body.data &&
					   memmem(rs->body.data, rs->body.len, CSRF_FAILED, sizeof(CSRF_FAILED) - 1)));
	if (rs->status == 403 && r->form_without_csrf)
		gbuf_addf(msg, " (the form has no csrfmiddlewaretoken field: put %s inside the <form>)",
			  csrf_tag_said(run->o->boot, false));
	else if (csrf_told)
		csrf_failure_said(rs, msg);
	refused_otherwise = status_code_note(run, as, rs, msg);
	if (msg->len == evidence_end)
		json_sent_note(s, r, rs, msg);
	gbuf_adds(msg, "; expected ");
	if (as->query == Q_STATUS)
		status_expectation(as, run->vars, msg);
	/* A redirect to the list or home page hides the row, but refuses
	 * nothing: said, so "must be refused, not shown" after it does not
	 * read as if the page had been shown (h452). */
	else if (as->query == Q_REFUSED && rs->status >= 300 && rs->status < 400)
		gbuf_adds(msg, "a refusal (302 to the login page, 401, 403 or 404; a redirect elsewhere is not one)");
	else if (as->query == Q_REFUSED)
		gbuf_adds(msg, "a refusal (302 to the login page, 401, 403 or 404)");
	else
		gbuf_adds(msg, "a redirect to the login page");
	/* Not the check's advice on how to refuse after a refusal that was
	 * right but for its number (h815: a 422 told to add min_value=1,
	 * which it had), nor after a path served without its slash (h1016:
	 * "look it up by the field that id comes from" of a detail whose
	 * lookup was right), nor after a CSRF refusal (h1136: "a form's
	 * ImageField refuses a non-image" after the missing token's note):
	 * the note says the fix; nor after the notes of fix_told (h1264: "look
	 * it up by the field that id comes from" of a detail the middleware
	 * guarded; h1266: the owner's note cut for "redirect to
	 * /tickets/{id}/"). */
	if (as->message && !refused_otherwise && !slashless && !csrf_told && !fix_told) {
		gbuf_adds(msg, " \xE2\x80\x94 ");
		template_elide_str(as->message, run->vars, msg);
	}
}

/* What a capture's from_list showed of the step's row, when it gave no
 * member: unread (no list of rows), the row not listed, or listed without
 * the member too. */
enum { LISTED_UNREAD, LISTED_NOT, LISTED_WITHOUT };

/*
 * A capture found nothing: said as what the answer lacks, never by the
 * capture's name (the suite's own word), with the answer, when there is
 * one to quote, after "; the answer:" so that one request answered the
 * same way in several checks is one cause (causes.c). `why` holds the
 * query's own reason, and is used up.
 */
static void capture_missing(const struct run *run, struct eval_ctx *ctx, const struct http_response *rs,
			    const struct req *r, const char *desc, const struct capture *cap, int listed,
			    struct gbuf *why, struct gbuf *msg)
{
	const struct assertion *q = &cap->q;
	bool wrapped;

	gbuf_addf(msg, "%s answered %ld without ", desc, rs->status);
	query_describe(q, run->vars, msg);
	gbuf_adds(msg, ", which later steps need");
	/* Where the list was read for it too (h976: a hyperlinked serializer,
	 * `url` alone in the list as in the create's answer). */
	if (listed != LISTED_UNREAD) {
		gbuf_adds(msg, listed == LISTED_WITHOUT ? ", and its row in GET " : ", and GET ");
		gbuf_add_excerpt(msg, cap->from_list, strlen(cap->from_list), 100);
		gbuf_adds(msg, listed == LISTED_WITHOUT ? " has none either" : " does not list it");
	}
	/* Its member one level down, in an envelope (h815: every answer
	 * {"data": {...}}): said as the assertions say it, with its fix, not
	 * as an answer without the id it plainly shows. */
	wrapped = !why->len && query_wrapped_said(q, ctx, why) == 1;
	if (why->len) {
		gbuf_adds(msg, " (");
		gbuf_add(msg, why->data, why->len);
		gbuf_addch(msg, ')');
	}
	gbuf_reset(why);
	response_evidence(run, ctx, rs, r, why);
	if (why->len) {
		gbuf_adds(msg, "; the answer:");
		gbuf_add(msg, why->data, why->len);
	}
	if (wrapped)
		gbuf_adds(msg, " \xE2\x80\x94 answer with the object itself, not inside another");
}

/* A capture's value, as query_eval gives it; an `optional` one that
 * finds nothing is "" instead. */
static int capture_eval(const struct capture *c, struct eval_ctx *ctx, cJSON **v, struct gbuf *why)
{
	int rc = query_eval(&c->q, ctx, v, why);

	if (rc >= 0 && (rc == 1 || !*v) && c->q.optional) {
		cJSON_Delete(*v);
		*v = cJSON_CreateString("");
		rc = *v ? 0 : err_set("out of memory");
	}
	return rc;
}

#define PAGES_MAX 50

/*
 * A page's next as a path of the app: a URL or a path as
 * http_url_to_path makes it, a reference relative to the page that gave
 * it resolved against that page's path (RFC 3986 section 5.2: "?page=2",
 * "list/?page=2", "../?page=2": a pager written by hand, h338). NULL out of
 * memory.
 */
static char *page_next_path(struct run *run, const char *base, const char *ref)
{
	size_t n = strcspn(ref, ":/?#"), dir;
	struct gbuf p = GBUF_INIT(4096);
	char *out = NULL;
	bool as_url = ref[0] == '/' || (n > 0 && ref[n] == ':');

	if (as_url) {
		out = http_url_to_path(run->http, ref);
	} else if (ref[0] == '?' || ref[0] == '#' || !ref[0]) {
		gbuf_add(&p, base, strcspn(base, ref[0] == '#' ? "#" : "?#"));
		gbuf_adds(&p, ref);
	} else {
		for (dir = strcspn(base, "?#"); dir > 0 && base[dir - 1] != '/'; dir--)
			;
		gbuf_add(&p, base, dir);
		while (!strncmp(ref, "./", 2) || !strncmp(ref, "../", 3)) {
			if (ref[1] == '.' && p.len > 1) {
				/* Up one folder: drop the last segment. */
				p.len--;
				while (p.len > 1 && p.data[p.len - 1] != '/')
					p.len--;
			}
			ref += ref[1] == '.' ? 3 : 2;
		}
		gbuf_adds(&p, ref);
	}
	if (!as_url && !p.truncated)
		out = gbuf_detach(&p, NULL);
	gbuf_release(&p);
	return out;
}

/* GET `path` as the step's actor, with the step's headers and timeout (a
 * list's further page), timed with the step's exchanges. */
static int step_get(struct run *run, struct http_actor *a, const struct step *s, const struct req *r,
		    const char *path, bool follow, struct http_response *out)
{
	struct http_request rq;
	int rc;

	req_view(r, s, run->o->request_timeout_ms, &rq);
	rq.method = "GET";
	rq.path = path;
	rq.body = NULL;
	rq.body_len = 0;
	/* A link followed as a browser does: "/recipes?page=2" answered by
	 * APPEND_SLASH's 301 to "/recipes/?page=2" (h594); a page guessed
	 * (page_two_note) is not: the admin redirects an unknown "page" to
	 * its whole list, which held what the filter was to hide (h604). */
	rq.follow = follow;
	rc = http_send(a, &rq, out);
	timing_note(run, out);
	return rc;
}

/* Whether `v` is a link to a next page: a URL or a page's number. */
static bool page_next_is(const cJSON *v)
{
	return cJSON_IsString(v) || cJSON_IsNumber(v);
}

/* The member "next" of the object of `page` that holds its link to the
 * next page, and that object in *holder: the page itself (DRF's top-level
 * "next"), else an object member of it ("links", the custom pagination of
 * DRF's own documentation, h437; "meta", "pagination", h710), else one of
 * theirs ("meta": {"pagination": {...}}), the app's member order deciding
 * between two. A HAL link ("_links": {"next": {"href": URL}}) is made its
 * URL in place. NULL (and *holder the page) when there is none. Row arrays
 * are never looked into: a row's own "next" is not the page's. */
static cJSON *page_next_find(cJSON *page, cJSON **holder)
{
	cJSON *next = NULL, *a, *b, *href;

	*holder = page;
	if (!cJSON_IsObject(page))
		return NULL;
	next = cJSON_GetObjectItemCaseSensitive(page, "next");
	if (page_next_is(next))
		return next;
	for (a = page->child; a; a = a->next) {
		if (!cJSON_IsObject(a))
			continue;
		next = cJSON_GetObjectItemCaseSensitive(a, "next");
		href = cJSON_IsObject(next) ? cJSON_GetObjectItemCaseSensitive(next, "href") : NULL;
		if (cJSON_IsString(href)) {
			href = cJSON_CreateString(href->valuestring);
			if (!href || !cJSON_ReplaceItemInObjectCaseSensitive(a, "next", href)) {
				cJSON_Delete(href);
				continue;
			}
			next = href;
		}
		if (page_next_is(next)) {
			*holder = a;
			return next;
		}
	}
	for (a = page->child; a; a = a->next)
		for (b = cJSON_IsObject(a) ? a->child : NULL; b; b = b->next)
			if (cJSON_IsObject(b) && page_next_is(next = cJSON_GetObjectItemCaseSensitive(b, "next"))) {
				*holder = b;
				return next;
			}
	return NULL;
}

/* A page's link to the next (page_next_find), its holder in *holder when
 * holder is not NULL. A next that is a page's number ({"results": [...],
 * "next": 2}, a pager written by hand, h577) becomes "?page=2" in the page,
 * the query DRF's and Django's paginators read, as a person would try it.
 * NULL when there is none. */
static cJSON *page_next_link(cJSON *page, cJSON **holder_out)
{
	cJSON *holder, *link;
	cJSON *next = page_next_find(page, &holder);
	char query[32];

	if (holder_out)
		*holder_out = holder;
	if (cJSON_IsNumber(next) && next->valuedouble >= 1 && next->valuedouble < 1e6 &&
	    next->valuedouble == (double)(long)next->valuedouble) {
		snprintf(query, sizeof(query), "?page=%ld", (long)next->valuedouble);
		link = cJSON_CreateString(query);
		if (link && !cJSON_ReplaceItemInObjectCaseSensitive(holder, "next", link))
			cJSON_Delete(link);
		next = cJSON_GetObjectItemCaseSensitive(holder, "next");
	}
	return cJSON_IsString(next) ? next : NULL;
}

/* The answer's body made `v`, as JSON: a list of pages judged as one. 0, or
 * -1 (out of memory). */
static int body_set_json(struct http_response *rs, const cJSON *v)
{
	char *text = cJSON_PrintUnformatted(v);
	int rc = text ? 0 : err_set("out of memory");

	if (rc == 0) {
		gbuf_reset(&rs->body);
		rc = gbuf_add(&rs->body, text, strlen(text)) < 0 ? -1 : 0;
	}
	free(text);
	return rc;
}

/*
 * Django Ninja's paginators answer {"items": [...], "count": N} and link no
 * next page (SPEC.md takes "Django Ninja's with items and count, in pages
 * of any size"): the rest of the list is asked for the way both of them
 * take it, ?page=N (PageNumberPagination) and ?offset=K
 * (LimitOffsetPagination) in one query, each reading its own, until
 * `count` rows are held, a page adds none or repeats the first (a
 * paginator reading neither), or PAGES_MAX (h631: orders in pages of two
 * lost orders-private). The rows go into `rows`. 0, or -1 on error.
 */
static int ninja_pages_collect(struct run *run, struct http_actor *a, const struct step *s, const struct req *r,
			       cJSON *rows, long long count)
{
	const char *base = gbuf_str(&r->path);
	struct gbuf path = GBUF_INIT(2048);
	int n, rc = 0;

	if (strstr(base, "page=") || strstr(base, "offset=") || strchr(base, '#'))
		goto done;
	for (n = 2; rc == 0 && cJSON_GetArraySize(rows) < count && n <= PAGES_MAX; n++) {
		struct http_response page = HTTP_RESPONSE_INIT;
		cJSON *body = NULL, *more;

		gbuf_reset(&path);
		if (gbuf_addf(&path, "%s%cpage=%d&offset=%d", base, strchr(base, '?') ? '&' : '?', n,
			      cJSON_GetArraySize(rows)) < 0) {
			rc = -1;
			break;
		}
		rc = step_get(run, a, s, r, gbuf_str(&path), true, &page);
		if (rc == 0 && page.fault == HTTP_FAULT_NONE && page.status == 200 && !page.body.truncated)
			body = cJSON_ParseWithLength(page.body.data ? page.body.data : "", page.body.len);
		more = query_page_rows(body);
		http_response_release(&page);
		if (rc < 0 || !cJSON_IsArray(more) || !more->child ||
		    (rows->child && cJSON_Compare(more->child, rows->child, true))) {
			cJSON_Delete(body);
			break;
		}
		while (more->child)
			cJSON_AddItemToArray(rows, cJSON_DetachItemViaPointer(more, more->child));
		cJSON_Delete(body);
	}
done:
	gbuf_release(&path);
	return rc < 0 ? -1 : 0;
}

/*
 * The next page of a list in pages, `ref` as its previous page gave it:
 * its path into paths[*n] (made relative to the previous one, counted in
 * *n whatever happens, the caller frees them), fetched as the step's
 * actor into *page. *ended (nothing fetched, 0) where the list ends there
 * (a page read already, or off the app); else 0 fetched and answered 200,
 * STEP_FAILED said in msg (`via` says which link led there), -1 error.
 */
static int page_follow(struct run *run, struct http_actor *a, const struct step *s, const struct req *r,
		       char **paths, int *n, const char *ref, const char *via, struct http_response *page,
		       bool *ended, struct gbuf *msg)
{
	const char *path;
	bool seen;
	int i, rc;

	*ended = false;
	paths[*n] = page_next_path(run, *n ? paths[*n - 1] : gbuf_str(&r->path), ref);
	if (!paths[*n])
		return err_set("out of memory");
	seen = !strcmp(gbuf_str(&r->path), paths[*n]);
	for (i = 0; i < *n; i++)
		seen = seen || !strcmp(paths[i], paths[*n]);
	path = paths[(*n)++];
	*ended = path[0] != '/' || seen;
	if (path[0] != '/')
		snprintf(run->page_left, sizeof(run->page_left), "%s", ref);
	if (*ended)
		return 0;
	rc = step_get(run, a, s, r, path, true, page);
	if (rc == 0 && (page->fault != HTTP_FAULT_NONE || page->status != 200 || page->body.truncated)) {
		gbuf_adds(msg, "GET ");
		gbuf_add_excerpt(msg, path, strlen(path), 100);
		gbuf_addf(msg, " (page %d of the list, %s) ", *n + 1, via);
		if (page->fault != HTTP_FAULT_NONE)
			gbuf_adds(msg, page->fault_msg ? page->fault_msg : "got no answer");
		else
			gbuf_addf(msg, "answered %ld%s", page->status,
				  page->body.truncated ? " with more than the grader reads" : "");
		gbuf_adds(msg, "; expected 200 and the rest of the list");
		rc = STEP_FAILED;
	}
	return rc;
}

/* The target of the answer's Link header whose rel names "next" (RFC
 * 8288: <URL>; rel="next", links separated by commas, rel a list of
 * words), malloc'd; NULL when none. */
static char *link_next(const struct http_response *rs)
{
	char *v = http_response_header(rs, "Link"), *out = NULL;
	const char *p = v, *lt, *gt, *end, *rel;

	while (p && !out && (lt = strchr(p, '<')) && (gt = strchr(lt, '>'))) {
		end = strchr(gt, '<');
		end = end ? end : gt + strlen(gt);
		for (rel = strstr(gt, "rel="); rel && rel < end; rel = strstr(rel + 4, "rel=")) {
			const char *w = rel + 4 + (rel[4] == '"');
			size_t k;

			/* Each word of the relation, up to its quote or ';'. */
			while (*w && *w != '"' && *w != ';' && *w != ',' && !out) {
				k = strcspn(w, " \";,");
				if (k == 4 && !strncasecmp(w, "next", 4))
					out = strndup(lt + 1, (size_t)(gt - lt - 1));
				w += k + (w[k] == ' ');
			}
		}
		p = end;
	}
	free(v);
	return out;
}

/*
 * A list answered as a bare JSON array whose next page an RFC 8288 Link
 * header names (GitHub's style: <...?page=2>; rel="next", h674: the rest
 * never read, and a correct app lost products-list and orders-private):
 * each next page read as the body's next is, its rows appended, until no
 * Link names a next, PAGES_MAX, a page read already or one off the app.
 * `list` gets the rows. 0, STEP_FAILED (msg says why), or -1.
 */
static int link_pages_collect(struct run *run, struct http_actor *a, const struct step *s, const struct req *r,
			      cJSON *list, char *next, struct gbuf *msg)
{
	char *paths[PAGES_MAX] = {NULL};
	int n = 0, i, rc = 0;
	bool ended = false;

	while (next && n < PAGES_MAX && rc == 0 && !ended) {
		struct http_response page = HTTP_RESPONSE_INIT;
		cJSON *body = NULL;

		rc = page_follow(run, a, s, r, paths, &n, next, "its previous page's Link next", &page, &ended, msg);
		free(next);
		next = NULL;
		if (rc == 0 && !ended)
			body = cJSON_ParseWithLength(page.body.data ? page.body.data : "", page.body.len);
		if (rc == 0 && !ended && !cJSON_IsArray(body)) {
			gbuf_adds(msg, "GET ");
			gbuf_add_excerpt(msg, paths[n - 1], strlen(paths[n - 1]), 100);
			gbuf_addf(msg, " (page %d of the list) answered 200 without a JSON list", n + 1);
			rc = STEP_FAILED;
		} else if (rc == 0 && !ended) {
			while (body->child)
				cJSON_AddItemToArray(list, cJSON_DetachItemViaPointer(body, body->child));
			next = link_next(&page);
		}
		cJSON_Delete(body);
		http_response_release(&page);
	}
	free(next);
	for (i = 0; i < n; i++)
		free(paths[i]);
	return rc;
}

/* Whether every row of a page (one at least) is one read already. */
static bool page_rows_seen(const cJSON *rows, const cJSON *page)
{
	const cJSON *it, *old;
	bool all = page->child != NULL, found;

	cJSON_ArrayForEach(it, page) {
		found = false;
		cJSON_ArrayForEach(old, rows) {
			if (cJSON_Compare(it, old, true)) {
				found = true;
				break;
			}
		}
		if (!found) {
			all = false;
			break;
		}
	}
	return all;
}

/*
 * A step with `all_pages`: when the app answered a list in pages (Django
 * REST Framework's {"count", "next", "previous", "results"}, whatever its
 * pagination class), fetch every next page as the same actor and judge one
 * list: the first page's object with every page's results and no next. The
 * page size is the student's to choose, and a check about "the list" (does
 * it hold the new product?) is about all of it, not its first page. A next
 * that leaves the app, or one already fetched, or one answering only rows
 * read already, ends the list; so does PAGES_MAX. A bare array whose Link
 * header names a next page is read on by link_pages_collect. 0 (rs->body
 * holds the list), STEP_FAILED (msg says which page failed), -1 error.
 */
static int pages_collect(struct run *run, struct http_actor *a, const struct step *s, const struct req *r,
			 struct http_response *rs, struct gbuf *msg)
{
	cJSON *list = cJSON_ParseWithLength(rs->body.data ? rs->body.data : "", rs->body.len);
	/* Its rows as the unwrap filter reads them, Ninja's "items" too (h596). */
	cJSON *results = query_page_rows(list);
	/* holder: where the list's own next link is; judged with no next,
	 * as one list, in the place the app wrote it. */
	cJSON *holder;
	cJSON *next = page_next_link(list, &holder);
	char *paths[PAGES_MAX] = {NULL}, *linked;
	int n = 0, i, rc = 0;
	bool ended;

	if (cJSON_IsArray(list) && (linked = link_next(rs))) {
		rc = link_pages_collect(run, a, s, r, list, linked, msg);
		if (rc == 0)
			rc = body_set_json(rs, list);
		goto done;
	}
	if (!cJSON_IsObject(list) || !cJSON_IsArray(results) || !cJSON_IsString(next)) {
		const cJSON *count = cJSON_GetObjectItemCaseSensitive(list, "count");
		const cJSON *total = cJSON_GetObjectItemCaseSensitive(list, "total");
		bool short_page;

		/* Or "total": a paginator of Ninja's PaginationBase of the
		 * app's own ({"results": [...], "total": N}, h1175: orders in
		 * pages of two lost orders-private), never DRF's, whose
		 * answer without its next stays charged (h520). */
		if (!cJSON_IsNumber(count) && cJSON_IsNumber(total))
			count = total;
		short_page = cJSON_IsArray(results) && !cJSON_IsString(next) && cJSON_IsNumber(count) &&
			     count->valuedouble > cJSON_GetArraySize(results) && count->valuedouble < 1e12;
		/* Ninja's page: "items" beside "count", or rows beside
		 * "total", no "next" member. */
		if (short_page &&
		    (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(list, "items")) || count == total) &&
		    !cJSON_GetObjectItemCaseSensitive(list, "next")) {
			if (ninja_pages_collect(run, a, s, r, results, (long long)count->valuedouble) < 0) {
				rc = -1;
				goto done;
			}
			short_page = count->valuedouble > cJSON_GetArraySize(results);
			if (body_set_json(rs, list) < 0) {
				rc = -1;
				goto done;
			}
		}
		if (short_page) {
			run->page_count = (long long)count->valuedouble;
			run->page_held = cJSON_GetArraySize(results);
		}
		goto done;   /* not a page of a longer list: judged as it is */
	}
	while (cJSON_IsString(next) && n < PAGES_MAX && !run->page_looped) {
		struct http_response page = HTTP_RESPONSE_INIT;
		cJSON *body = NULL, *more;

		rc = page_follow(run, a, s, r, paths, &n, next->valuestring, "its previous page's next", &page, &ended,
				 msg);
		if (ended)
			break;
		if (rc == 0) {
			body = cJSON_ParseWithLength(page.body.data ? page.body.data : "", page.body.len);
			more = query_page_rows(body);
			if (!cJSON_IsArray(more)) {
				gbuf_adds(msg, "GET ");
				gbuf_add_excerpt(msg, paths[n - 1], strlen(paths[n - 1]), 100);
				gbuf_addf(msg, " (page %d of the list) answered 200 without a \"results\" list", n + 1);
				rc = STEP_FAILED;
			} else if (!more->child) {
				/* A page of no rows with a next still (h1150: a
				 * next never null, past the last page): the list
				 * ends there, as at a page read already, not after
				 * PAGES_MAX requests of empty pages in each check. */
				run->page_looped = true;
			} else if (page_rows_seen(results, more)) {
				/* A next answering rows read already (h1018: the
				 * view reads ?p=, its next writes ?page=2, page
				 * one again): the list ends there, its rows counted
				 * once, and its count judged as a page's without a
				 * next is (query.c's total); the next stays as the
				 * app wrote it, for a message quoting the list
				 * (h1048: quoted as null). */
				run->page_looped = true;
			} else {
				while (more->child)
					cJSON_AddItemToArray(results, cJSON_DetachItemViaPointer(more, more->child));
				next = page_next_link(body, NULL);
				/* next points into body, freed below: keep it in list. */
				next = next ? cJSON_CreateString(next->valuestring) : NULL;
				if (!cJSON_ReplaceItemInObjectCaseSensitive(holder, "next", next ? next : cJSON_CreateNull())) {
					cJSON_Delete(next);
					rc = err_set("out of memory");
				}
			}
		}
		cJSON_Delete(body);
		http_response_release(&page);
		if (rc)
			goto done;
	}
	/* A next not followed (off the app, a page read already) stays as
	 * the app wrote it: quoted as null, it read as no next at all. */
	if (!cJSON_IsString(next) && !cJSON_ReplaceItemInObjectCaseSensitive(holder, "next", cJSON_CreateNull()))
		rc = err_set("out of memory");
	else
		rc = body_set_json(rs, list);
	/* Read to its last next, and still short of its own count: a next
	 * that skips a page (h977: ?page=3 after the first), said as the
	 * pages read, not as the rows the check then misses. */
	if (rc == 0 && (!cJSON_IsString(next) || run->page_looped) && n > 0) {
		const cJSON *count = cJSON_GetObjectItemCaseSensitive(list, "count");

		if (cJSON_IsNumber(count) && count->valuedouble > cJSON_GetArraySize(results) &&
		    count->valuedouble < 1e12) {
			run->page_count = (long long)count->valuedouble;
			run->page_held = cJSON_GetArraySize(results);
			run->page_read = n + 1;
		}
	}
done:
	for (i = 0; i < n; i++)
		free(paths[i]);
	cJSON_Delete(list);
	return rc;
}

#define HTML_PAGES_MAX 20

/* Whether the paths a[0..alen) and b[0..blen) are one path, a trailing
 * slash apart or not: "/recipes?page=2" on the page of "/recipes/", which
 * APPEND_SLASH redirects to "/recipes/?page=2" (h594). */
static bool path_same(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen && a[alen - 1] == '/')
		alen--;
	if (blen && b[blen - 1] == '/')
		blen--;
	return alen == blen && !strncmp(a, b, alen);
}

/* A path ending in a page's segment, "page/2/", "page2/", "page-2" or
 * "p/2" (Django's docs route a ListView's pages so: "objects/page<int:
 * page>/", h594): the length of what comes before it and the number;
 * otherwise the whole path and page 1, or -1 where a path with such a
 * segment is required (`need`) and it has none. */
static long path_page(const char *path, size_t len, size_t *base, bool need)
{
	size_t end = len && path[len - 1] == '/' ? len - 1 : len, d = end, w;
	long v = 0;

	while (d > 0 && isdigit((unsigned char)path[d - 1]) && end - d < 6)
		d--;
	w = d;
	if (w > 0 && (path[w - 1] == '/' || path[w - 1] == '-' || path[w - 1] == '_'))
		w--;
	if (d < end && w >= 2 && path[w - 1] == 'p' && path[w - 2] == '/') {
		w -= 1;
		v = strtol(path + d, NULL, 10);
	} else if (d < end && w >= 5 && !strncmp(path + w - 4, "page", 4) && path[w - 5] == '/') {
		w -= 4;
		v = strtol(path + d, NULL, 10);
	} else {
		w = len;
		v = need ? -1 : 1;
	}
	*base = w;
	return v;
}

/* Whether a query parameter names a list's page: "page" in any spelling
 * (page, pageNumber, orders_page), "p", and the word in the languages
 * apps are written in (h694: Spanish "?pagina=2", never followed: pagina,
 * pag, pg, seite). */
static bool page_param(const char *name)
{
	static const char *const words[] = { "p", "pg", "pag", "seite", "pagina", NULL };
	size_t i;

	for (i = 0; words[i]; i++)
		if (!strcasecmp(name, words[i]))
			return true;
	return strcasestr(name, "page") || strcasestr(name, "pagin");
}

/* Whether `cand` (a path+query on the app) is the page after `cur` of the
 * same list: the same path (a trailing slash apart), and a query parameter
 * whose name holds "page" (Django's Paginator as templates link it,
 * ?page=2; django-tables2's ?page=2 or ?PREFIX-page=2), or is "p" (the
 * admin's changelist, ?p=2), one more than in cur, where it is 1 when
 * absent; or the same path but for its last segment, a page's number one
 * more than cur's (path_page). Read from the address alone, so the link's
 * words ("Next", "»", "Suivant", a page number) and classes do not
 * matter. */
static bool page_is_next(const char *cur, const char *cand)
{
	size_t plen = strcspn(cur, "?#"), clen = strcspn(cand, "?#"), nlen, cbase, nbase;
	const char *q = strchr(cand, '?'), *e, *eq, *cq;
	char name[64], *end;
	long v, was;

	if (!path_same(cur, plen, cand, clen)) {
		was = path_page(cur, plen, &cbase, false);
		v = path_page(cand, clen, &nbase, true);
		return v >= 2 && v == was + 1 && path_same(cur, cbase, cand, nbase);
	}
	if (!q)
		return false;
	for (; q; q = *e == '&' ? e : NULL) {
		e = q + 1 + strcspn(q + 1, "&#");
		eq = memchr(q + 1, '=', (size_t)(e - q - 1));
		nlen = eq ? (size_t)(eq - q - 1) : 0;
		if (!nlen || nlen >= sizeof(name))
			continue;
		memcpy(name, q + 1, nlen);
		name[nlen] = '\0';
		v = strtol(eq + 1, &end, 10);
		if (!page_param(name) || end != e || v < 2)
			continue;
		was = 1;
		for (cq = strchr(cur, '?'); cq && *cq; cq = strchr(cq + 1, '&'))
			if (!strncmp(cq + 1, name, nlen) && cq[1 + nlen] == '=') {
				was = strtol(cq + 2 + nlen, &end, 10);
				break;
			}
		if (v == was + 1)
			return true;
	}
	return false;
}

/* Links a page's next one is looked for among, and the reading that says
 * whether one is (page_is_next, page_is_later, page_follows). */
struct link_rule {
	const char *xpath;
	bool (*follows)(const char *cur, const char *cand);
};

/* The path of the first link on `page` (the HTML of `cur`) that one of
 * `rules`, tried in order on one parse of the page, says is (`next`) or is
 * not (!`next`) the list's next page, or NULL: none. 0, or -1 on error. */
static int page_link_find(struct run *run, const char *cur, const struct gbuf *page, const struct link_rule *rules,
			  size_t nrules, bool next, char **out)
{
	struct html_doc *doc = NULL;
	struct gbuf why = GBUF_INIT(1024);
	cJSON *hrefs = NULL, *h;
	char *path = NULL;
	size_t k;
	int rc = 0;

	*out = NULL;
	if (html_parse(page->data ? page->data : "", page->len, &doc, &why) != 0)
		goto done;
	for (k = 0; k < nrules && !*out && rc == 0; k++) {
		cJSON_Delete(hrefs);
		hrefs = NULL;
		if (html_xpath(doc, rules[k].xpath, &hrefs) < 0)
			break;
		cJSON_ArrayForEach(h, hrefs) {
			if (!cJSON_IsString(h) || !*h->valuestring || h->valuestring[0] == '#')
				continue;
			if (http_resolve(run->http, cur, h->valuestring, &path) < 0) {
				rc = -1;
				break;
			}
			if (path && rules[k].follows(cur, path) == next) {
				*out = path;
				break;
			}
			free(path);
			path = NULL;
		}
	}
done:
	err_clear();
	cJSON_Delete(hrefs);
	html_free(doc);
	gbuf_release(&why);
	return rc;
}

/* A link a page labels as its next one: rel="next", the word Next in its
 * text or its aria-label, or an arrow alone. */
#define NEXT_LINK_XPATH                                                                                           \
	"//a[@rel='next' or contains(translate(normalize-space(.), 'NEXT', 'next'), 'next') or "                 \
	"contains(translate(@aria-label, 'NEXT', 'next'), 'next') or normalize-space(.) = '\xc2\xbb' or "         \
	"normalize-space(.) = '\xe2\x80\xba' or normalize-space(.) = '\xe2\x86\x92']/@href | //link[@rel='next']/@href"

/* A query parameter of `url` whose name holds `word` ("cursor": cursor,
 * orders_cursor): its value's start and length, or NULL. */
static const char *query_param_holding(const char *url, const char *word, size_t *vlen)
{
	const char *q = strchr(url, '?'), *e, *eq;

	for (; q && *q != '#'; q = *e == '&' ? e : NULL) {
		e = q + 1 + strcspn(q + 1, "&#");
		eq = memchr(q + 1, '=', (size_t)(e - q - 1));
		if (eq && memmem(q + 1, (size_t)(eq - q - 1), word, strlen(word))) {
			*vlen = (size_t)(e - eq - 1);
			return eq + 1;
		}
	}
	return NULL;
}

/* Whether `cand`, a link the page labels next, is a later page of the
 * same list by a cursor, a keyset's bound or an offset, not a page's
 * number (h793: DRF's
 * CursorPagination, ?cursor=cD0y, and LimitOffsetPagination,
 * ?limit=3&offset=3, rendered by TemplateHTMLRenderer): the same path, and
 * a cursor other than cur's, or an offset above cur's (0 when absent).
 * Labelled links only: a cursor's previous page differs from cur's too. */
static bool page_is_later(const char *cur, const char *cand)
{
	size_t clen, nlen;
	const char *c, *n;
	char *end;
	long was, v;

	/* A cursor, or a keyset's bound (h860: ?before=8, the last row's
	 * id, newest first): a later page wherever it moves. */
	static const char *const keys[] = {"cursor", "before", "after", "since", "until", "max_id", "min_id"};
	size_t k;

	if (!path_same(cur, strcspn(cur, "?#"), cand, strcspn(cand, "?#")))
		return false;
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if ((n = query_param_holding(cand, keys[k], &nlen)) && nlen) {
			c = query_param_holding(cur, keys[k], &clen);
			return !c || clen != nlen || strncmp(c, n, nlen);
		}
	if (!(n = query_param_holding(cand, "offset", &nlen)))
		return false;
	v = strtol(n, &end, 10);
	if (end != n + nlen)
		return false;
	c = query_param_holding(cur, "offset", &clen);
	was = c ? strtol(c, NULL, 10) : 0;
	return v > was;
}

/* Whether `cand` is the list's next page after `cur` by either reading. */
static bool page_follows(const char *cur, const char *cand)
{
	return page_is_next(cur, cand) || page_is_later(cur, cand);
}

/* The path of the link on `page` (the HTML of `cur`) to the list's next
 * page, or NULL: none, or -1 on error. By its number, any link
 * (page_is_next); else by a cursor or an offset, a link labelled next
 * (page_is_later). */
static int html_next_page(struct run *run, const char *cur, const struct gbuf *page, char **out)
{
	static const struct link_rule rules[] = {
		{ "//a/@href | //link[@rel='next']/@href", page_is_next },
		{ NEXT_LINK_XPATH, page_is_later },
	};

	return page_link_find(run, cur, page, rules, 2, true, out);
}

/* Where the content of an HTML page's body begins and ends in `p` (len
 * bytes): after the <body> tag and before the last </body>, or the whole. */
static void html_body_span(const char *p, size_t len, size_t *from, size_t *to)
{
	const char *b = p, *x;

	*from = 0;
	*to = len;
	while ((b = strcasestr(b, "<body")) && b[5] && !strchr(" \t\r\n>", b[5]))
		b += 5;
	if (b && (x = strchr(b, '>')))
		*from = (size_t)(x + 1 - p);
	for (x = p + *from; (x = strcasestr(x, "</body")); x++)
		*to = (size_t)(x - p);
}

/* The next quoted value of the attribute `name` (its '=' included) in
 * [*p, end), at most `max` bytes long: its start and end (*v, *q), *p
 * moved past it. false: none left. */
static bool quoted_attr_next(const char **p, const char *end, const char *name, size_t max, const char **v,
			     const char **q)
{
	size_t n = strlen(name);
	bool found = false;

	while (!found && *p && (*p = memmem(*p, (size_t)(end - *p), name, n))) {
		*p += n;
		if (*p >= end || (**p != '"' && **p != '\''))
			continue;
		*v = *p + 1;
		*q = memchr(*v, **p, (size_t)(end - *v));
		if (*q && (size_t)(*q - *v) <= max) {
			found = true;
			*p = *q;
		}
	}
	return found;
}

/* Whether an HTML page asks for more of its list by script: an hx-get
 * (or data-hx-get) whose address names a page, a cursor or an offset. */
static bool more_by_hx_get(const struct gbuf *body)
{
	const char *p = gbuf_str(body), *end = p + body->len, *v, *q;
	bool more = false;

	while (!more && quoted_attr_next(&p, end, "hx-get=", 500, &v, &q))
		more = memmem(v, (size_t)(q - v), "page=", 5) || memmem(v, (size_t)(q - v), "cursor=", 7) ||
		       memmem(v, (size_t)(q - v), "offset=", 7);
	return more;
}

/* Whether an HTML page fills part of itself by script as it opens: an
 * element with an hx-get (or data-hx-get) whose hx-trigger is load,
 * revealed or intersect. What such a page lacks is what a browser without
 * scripts lacks too (h591: a list in "Loading your tickets" alone). */
static bool loads_by_hx_get(const struct gbuf *body)
{
	const char *p = gbuf_str(body), *end = p + body->len, *v, *q, *lt, *gt;
	bool found = false;

	while (!found && quoted_attr_next(&p, end, "hx-trigger=", 200, &v, &q)) {
		if (!memmem(v, (size_t)(q - v), "load", 4) && !memmem(v, (size_t)(q - v), "revealed", 8) &&
		    !memmem(v, (size_t)(q - v), "intersect", 9))
			continue;
		/* The same element: between the '<' before and the '>' after. */
		for (lt = v; lt > gbuf_str(body) && *lt != '<' && *lt != '>'; lt--)
			;
		gt = memchr(q, '>', (size_t)(end - q));
		found = *lt == '<' && gt && memmem(lt, (size_t)(gt - lt), "hx-get=", 7);
	}
	return found;
}

/*
 * A link the page labels as its next one (rel="next", or the words
 * Next/next) that leads elsewhere than a next page, as *out (the path,
 * the caller frees) or NULL: "?page={{ page_obj.number }}" where
 * next_page_number was meant links the page to itself (h482), which "the
 * page has no link" did not point to. 0, or -1 (memory).
 */
static int next_link_back(struct run *run, const char *cur, const struct gbuf *page, char **out)
{
	static const struct link_rule rule = {
		"//a[@rel='next' or contains(translate(normalize-space(.), 'NEXT', 'next'), 'next')]/@href", page_follows
	};

	return page_link_find(run, cur, page, &rule, 1, false, out);
}

/* Ten: dashboard-staff-only's newest ticket, on a dashboard of two a
 * page oldest first, is past the fifth with the tickets every check
 * raised before it (h758's six more). Asked only where a read failed. */
#define PAGE_NOTE_MAX 10

/* Whether the list at `cur` with ?page=N, asked as the step's actor, holds
 * what `as` looks for: 0 it does, 1 it answered 200 without it, 2 it did
 * not answer 200; -1 on error. Its address into `path`. */
static int page_n_holds(struct run *run, struct http_actor *a, const struct step *s, const struct req *r,
			const struct assertion *as, const char *cur, int n, struct gbuf *path)
{
	struct http_response page = HTTP_RESPONSE_INIT;
	struct gbuf why = GBUF_INIT(1024);
	struct eval_ctx ctx;
	int rc;

	gbuf_reset(path);
	rc = gbuf_addf(path, "%s%cpage=%d", cur, strchr(cur, '?') ? '&' : '?', n) < 0
		     ? -1 : step_get(run, a, s, r, gbuf_str(path), false, &page);
	if (rc == 0 && (page.fault != HTTP_FAULT_NONE || page.status != 200)) {
		rc = 2;
	} else if (rc == 0) {
		eval_ctx_init(&ctx, &page, run->http, run->vars, run->c->dir);
		ctx.routes = run->o->routes;
		rc = assertion_check(as, &ctx, &why);
		eval_ctx_release(&ctx);
	}
	http_response_release(&page);
	gbuf_release(&why);
	return rc < 0 ? -1 : rc;
}

/* An answer's Cache-Control when it gives the answer a lifetime
 * (max-age above 0: cache_page, a cache middleware), malloc'd; else
 * NULL. */
static char *cache_lifetime(const struct http_response *rs)
{
	char *cc = http_response_header(rs, "Cache-Control");
	const char *age = cc ? strstr(cc, "max-age=") : NULL;

	if (!age || atol(age + 8) <= 0) {
		free(cc);
		cc = NULL;
	}
	return cc;
}

/* The same, where the header also lets a cache keep the answer (no
 * no-cache, no no-store): a copy that may be served again. */
static char *cache_kept(const struct http_response *rs)
{
	char *cc = cache_lifetime(rs);

	if (cc && (strstr(cc, "no-cache") || strstr(cc, "no-store"))) {
		free(cc);
		cc = NULL;
	}
	return cc;
}

/*
 * A list read as its only page (no link to a next one) that lacks what a
 * step looks for: its ?page=2 (on to ?page=PAGE_NOTE_MAX while each is 200
 * and lacks it), asked here only, as the same actor, holding it is a list
 * in pages whose links were forgotten (h451, h460, h462: paginate_by, and
 * no page links in the template), said with where it was found; unless
 * its ?page=1 holds it as well, where any query turns off what the bare
 * list applies (h637: a filter whose default hid the row, and a
 * paginator's page 2 that is its only page). Any other answer adds
 * nothing. 0, or -1 on error.
 */
static int page_two_note(struct run *run, struct http_actor *a, const struct step *s, const struct req *r,
			 const struct http_response *rs, const struct assertion *as, struct gbuf *msg, bool *found)
{
	/* The page's own text and nodes, which its page two holds alike. */
	static const enum query_kind shown[] = { Q_BODY, Q_TEXT, Q_PROSE, Q_XPATH, Q_CSS };
	const char *cur = rs->effective_path ? rs->effective_path : gbuf_str(&r->path);
	struct gbuf path = GBUF_INIT(2048), first = GBUF_INIT(2048);
	bool content = false;
	char *back = NULL;
	size_t i;
	int rc = 0, one = 1, n;

	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		content |= as->query == shown[i];
	if (!content || as->negate || strstr(cur, "page=") || strchr(cur, '#'))
		goto done;
	/* Page two, and on to PAGE_NOTE_MAX: a list of every user's rows in
	 * pages of two held the one looked for on a later page (h528). */
	for (n = 2, rc = 1; rc == 1 && n <= PAGE_NOTE_MAX; n++)
		rc = page_n_holds(run, a, s, r, as, cur, n, &path);
	if (rc == 0)
		one = page_n_holds(run, a, s, r, as, cur, 1, &first);
	if (one < 0) {
		rc = -1;
	} else if (one == 0) {
		char *cc = cache_lifetime(rs);

		*found = true;
		/* A page a cache kept answers with its lifetime, and any query
		 * is another key of it (h651: cache_page on the list; h993: "as well"
		 * read as found on the bare list too), said first (h1020, h1026:
		 * the cause came last, after "found at", whose subject was
		 * missing). */
		if (cc) {
			gbuf_addf(msg, BARE_CACHED_NOTE ", Cache-Control: %.40s: ", cc);
			gbuf_add_excerpt(msg, gbuf_str(&first), first.len, 80);
			/* What to do said plainly (h1111, h1121: "a query the
			 * cache keeps apart, has it" read as a puzzle). */
			gbuf_adds(msg, ", which the cache keeps apart, shows it; do not cache the list, or clear the "
				  "cache when its rows change)");
		} else {
			gbuf_adds(msg, " (found at ");
			gbuf_add_excerpt(msg, gbuf_str(&first), first.len, 80);
			gbuf_adds(msg, ", not on the bare list, which any query bypasses: a default filter "
				  "or order applied only without one?)");
		}
		free(cc);
	} else if (rc == 0) {
		*found = true;
		gbuf_adds(msg, " (found at ");
		gbuf_add_excerpt(msg, gbuf_str(&path), path.len, 80);
		rc = run->pages_followed ? 0 : next_link_back(run, cur, &rs->body, &back);
		if (rc == 0 && run->pages_followed) {
			gbuf_addf(msg, ", not on the %d pages its links reach: do they name the view's query?)",
				  run->pages_followed + 1);
			run->page_links_misnamed = true;
		} else if (rc == 0 && back)
			gbuf_addf(msg, ", while the page read links its Next to %.80s: link the next page)", back);
		else if (rc == 0)
			gbuf_adds(msg, ", to which the page has no link: link the next page with <a href>)");
	}
	rc = rc < 0 ? -1 : 0;
done:
	free(back);
	gbuf_release(&path);
	gbuf_release(&first);
	return rc;
}

/* A read answered with a lifetime (cache_page, a cache middleware): what
 * it lacks may be a copy kept from before the change the check made
 * (h716: a product's page cached 60 s read its old stock, said only as
 * "stock was 5", and a missing save() looked for). */
static void cached_note(const struct req *r, const struct http_response *rs, struct gbuf *msg)
{
	char *type = http_response_header(rs, "Content-Type");
	/* A page or a list, whose rows change: not a file, a photo read at
	 * the address its upload was just given, which no cache can have
	 * kept from before (h899: an octet-stream type and a cut body were
	 * told first of a copy kept from before). */
	bool rows = !type || !strncasecmp(type, "text/", 5) || strcasestr(type, "json") || strcasestr(type, "xml");
	char *cc = !rows || (r->method && strcmp(r->method, "GET")) ? NULL : cache_kept(rs);

	free(type);
	if (cc)
		gbuf_addf(msg, CACHED_NOTE "%.40s: a copy kept from before the change? "
			  "clear the cache when its rows change)", cc);
	free(cc);
}

/* A page shown where a refusal is asked, with a lifetime (h841:
 * cache_page on the ticket's page served alice's copy to bob, told only
 * "must be refused, not shown" while the view filtered by owner): a cache
 * that keeps one user's page for every user. */
static void private_cached_note(const struct assertion *as, const struct req *r, const struct http_response *rs,
				struct gbuf *msg)
{
	char *cc = as->query == Q_REFUSED && rs->status >= 200 && rs->status < 300 &&
			   !(r->method && strcmp(r->method, "GET"))
		   ? cache_kept(rs)
		   : NULL;

	if (cc && !strstr(cc, "private"))
		gbuf_addf(msg, CACHED_NOTE "%.40s: another user's copy, kept by a cache "
			  "that is not per user? cache_page keeps one page for all: vary it on the cookie)", cc);
	free(cc);
}

/* A method printed where its value was meant ("<bound method
 * BaseForm.as_p of ...>", `p` just after "<bound method ", `len` bytes of
 * the page from there): said with the call to write, its name read from
 * the page (h724: {{ form.as_p }} was told to call get_status_display());
 * Django's display method prints as _get_FIELD_display. */
static void bound_method_said(const char *p, size_t len, struct gbuf *msg)
{
	const char *of = memmem(p, len < 200 ? len : 200, " of ", 4);
	const char *name = p, *q;
	bool named;

	for (q = p; of && q < of; q++)
		if (*q == '.')
			name = q + 1;
	/* Word characters alone (the page's text, quoted as code). */
	named = of && name < of && (size_t)(of - name) <= 60 && strncmp(name, "_get_FIELD_display", 18);
	for (q = name; named && q < of; q++)
		named = isalnum((unsigned char)*q) || *q == '_';
	gbuf_adds(msg, " (the page shows \"<bound method ...>\": a method written without its call; "
		       "in a Jinja2 template call it, ");
	if (named) {
		gbuf_add(msg, name, (size_t)(of - name));
		gbuf_adds(msg, "())");
	} else {
		gbuf_adds(msg, "get_status_display())");
	}
}

/* A form's post whose action is redirected back to the page the form is on,
 * before any view reads it: an action without its trailing slash
 * (CommonMiddleware's APPEND_SLASH), one hard-coded without the language
 * prefix i18n_patterns adds (h789: action="/recipes/new/" on
 * /en/recipes/new/). A browser follows with a GET, the fields dropped, so
 * nothing is saved, and "redirect to the recipe's page" misled. */
static bool action_redirected_note(struct run *run, const struct step *s, const struct req *r,
				   const struct http_response *rs, struct gbuf *msg)
{
	char *loc = NULL;
	bool said = false;

	/* Not where the action is the page itself: the redirect is then the
	 * view's, after it read the post (post_redirected_back). */
	if (!s->submit || !r->form_page[0] || rs->status < 300 || rs->status >= 400 ||
	    !strcmp(gbuf_str(&r->path), r->form_page))
		goto done;
	loc = http_response_location(run->http, rs);
	said = loc && !strncmp(loc, r->form_page, strlen(r->form_page)) && strchr("?#", loc[strlen(r->form_page)]);
	if (said)
		gbuf_addf(msg, " (its action, %s, redirects to the form's own page before any view reads the "
			  "post: the fields are lost; write it with {%% url %%}, or leave it out)", gbuf_str(&r->path));
done:
	free(loc);
	return said;
}

/* A post answered with a redirect back to the address it was sent to,
 * where 200 is asked (h849: a refused upload redirected to the form with
 * a flash, told how to refuse a non-image, which it had): the form shown
 * again after a redirect has lost the post and its errors. */
static void post_redirected_back(struct run *run, const struct assertion *as, const struct req *r,
				 const struct http_response *rs, struct gbuf *msg)
{
	char *loc = NULL;
	size_t n = strcspn(gbuf_str(&r->path), "?#");

	if (!r->method || !strcmp(r->method, "GET") || rs->status < 300 || rs->status >= 400 ||
	    as->query != Q_STATUS || !status_expects_only(as, run->vars, 200))
		goto done;
	loc = http_response_location(run->http, rs);
	if (loc && !strncmp(loc, gbuf_str(&r->path), n) && strchr("?#", loc[n]))
		gbuf_adds(msg, " (back to the page posted to: show the refused form again, with its errors, in "
			  "the answer to the post itself; after a redirect they are gone)");
done:
	free(loc);
}

/* Whether an assertion reading a list that was read short of its own
 * count (run->page_count) judged the rows held: a JSON read without the
 * `total` filter, which takes the list's count instead, so a count it
 * compared is the list's and its failure no paging's (a list leaking
 * every user's orders in pages without a next keeps its advice). */
static bool list_read_short(const struct assertion *as)
{
	size_t i;
	bool total = false;

	for (i = 0; i < as->nfilters; i++)
		total = total || as->filters[i].kind == F_TOTAL;
	return as->query == Q_JSONPATH && !total;
}

/*
 * Text looked for and not in the page's text, found in its markup inside
 * a tag: an attribute holds it (h1136: titles only in <img alt>, "page
 * text was "Recipes Log in Recipes""), which no one reads as the page's
 * text. Said with the tag and the attribute.
 */
static void in_attribute_note(const struct run *run, const struct http_response *rs, const struct assertion *as,
			      struct gbuf *msg)
{
	struct gbuf why = GBUF_INIT(256);
	cJSON *v = NULL;
	const char *b = rs->body.data, *hit = NULL, *p, *eq;
	size_t n;

	if (!b || as->negate || as->pred != P_CONTAINS || (as->query != Q_TEXT && as->query != Q_PROSE) ||
	    template_render(as->value, run->vars, &v, &why) != 0 || !cJSON_IsString(v) || !(n = strlen(v->valuestring)))
		goto done;
	hit = memmem(b, rs->body.len, v->valuestring, n);
	/* Inside a tag: a '<' nearer before it than any '>'. */
	for (p = hit; p && p > b && p[-1] != '<' && p[-1] != '>'; p--)
		;
	if (!hit || p == b || p[-1] != '<')
		goto done;
	for (eq = hit; eq > p && eq[-1] != '='; eq--)
		;
	if (eq > p + 1) {
		const char *name = eq - 1, *tag = p;

		while (name > p && (isalnum((unsigned char)name[-1]) || name[-1] == '-' || name[-1] == '_'))
			name--;
		gbuf_addf(msg, " (the page has it only in <%.*s %.*s=\"\xE2\x80\xA6\">, not as text: show it in the page)",
			  (int)strcspn(tag, " \t\r\n/>"), tag, (int)(eq - 1 - name), name);
	}
done:
	cJSON_Delete(v);
	gbuf_release(&why);
}

/* What a failed read of an answer's content is told before its reason:
 * a field the check's form lacked, a list's page nothing links, a page
 * only a script asks for. 0; 1 when what was missing is on the list's
 * page two, which makes an excerpt of this page moot; -1 on error. */
static int content_failure_notes(struct run *run, struct http_actor *a, const struct step *s, const struct req *r,
				 const struct http_response *rs, const struct assertion *as, struct gbuf *msg)
{
	bool found = false;

	absent_field_note(run, s, as, msg);
	/* A value the form offered no option for, sent as another (h1007):
	 * first, as it explains what the page lacks. */
	gbuf_adds(msg, run->unoffered);
	if (!s->submit && rs->status == 200 && (as->query == Q_TEXT || as->query == Q_PROSE) && !as->negate)
		chosen_owner_note(run, msg);
	no_method_note(r, msg);
	if (as->query == Q_LOCATION)
		(void)action_redirected_note(run, s, r, rs, msg);
	if ((run->one_page || run->pages_followed) && page_two_note(run, a, s, r, rs, as, msg, &found) < 0)
		return -1;
	run->found_on_page |= found;
	if (!found)
		cached_note(r, rs, msg);
	if (!found)
		in_attribute_note(run, rs, as, msg);
	if (!found && run->page_repeated[0] && !as->negate) {
		/* Said instead of what after_failure reads (a filter hiding
		 * the row, explain_failure): the list never got past it. */
		gbuf_adds(msg, " (its next page, ");
		gbuf_add_excerpt(msg, run->page_repeated, strlen(run->page_repeated), 80);
		gbuf_adds(msg, ", answered the page before again: does the view read its links' page "
			  "parameter (page_kwarg)?)");
		run->found_on_page = true;
	}
	if (run->more_by_script)
		gbuf_adds(msg, " (the list's next page is behind an hx-get, which the grader does "
			  "not run: link it with <a href>)");
	else if ((as->query == Q_TEXT || as->query == Q_PROSE) && loads_by_hx_get(&rs->body))
		gbuf_adds(msg, " (part of the page loads by an hx-get as it opens, which the grader, "
			  "as a browser without scripts, does not run: render it in the page, or a "
			  "<noscript> copy)");
	if (run->page_left[0] && as->query == Q_JSONPATH)
		gbuf_addf(msg, " (its next page, %s, is not at the app's address, and was not read: build the "
			  "links from the request, request.build_absolute_uri(), as DRF's paginators do, or "
			  "make them relative)", run->page_left);
	if (run->page_count && run->page_read && list_read_short(as))
		gbuf_addf(msg, " (the list counts %lld, but its %d pages, each read by the one before's \"next\", "
			  "hold %lld: each page's next must lead to the page after it)", run->page_count,
			  run->page_read, run->page_held);
	else if (run->page_count && list_read_short(as))
		gbuf_addf(msg, " (the list counts %lld but holds %lld, with no \"next\" link to the rest: give "
			  "each page its paginator's next)", run->page_count, run->page_held);
	/* A method printed where its value was meant: Jinja2 calls nothing
	 * by itself (h647: {{ ticket.get_status_display }}, the page said
	 * "<bound method Model._get_FIELD_display of ...>" and no status). */
	if (as->query != Q_JSONPATH && rs->body.len) {
		const char *b = memmem(rs->body.data, rs->body.len, "&lt;bound method ", 17);

		if (b)
			bound_method_said(b + 17, (size_t)(rs->body.data + rs->body.len - b - 17), msg);
	}
	return found ? 1 : 0;
}

/*
 * A redirect whose location fails its pattern only for want of a trailing
 * slash (h1076: "/recipes/3", which Django's APPEND_SLASH then sends on to
 * "/recipes/3/"): said after the location quoted, with the page meant,
 * where a student read "by its id, not to the list" of a redirect by its
 * id. Checked by the step's own pattern on the location with the slash.
 */
static int slashless_location_said(const struct assertion *as, struct eval_ctx *ctx, struct gbuf *why)
{
	struct assertion slashed;
	struct gbuf tmp = GBUF_INIT(4096), out = GBUF_INIT(0);
	cJSON *v = NULL, *with = NULL;
	const char *loc, *end, *at = strstr(gbuf_str(why), "; expected ");
	char *fixed = NULL;
	size_t n;
	int rc = 0;

	if (as->query != Q_LOCATION || as->pred != P_MATCHES || as->negate || as->nfilters || !at)
		goto done;
	if (query_eval(as, ctx, &v, &tmp) != 0 || !cJSON_IsString(v))
		goto done;
	loc = v->valuestring;
	n = strcspn(loc, "?#");
	if (!n || loc[n - 1] == '/' || loc[0] != '/' || strstr(loc, "{{"))
		goto done;
	if (asprintf(&fixed, "%.*s/%s", (int)n, loc, loc + n) < 0) {
		fixed = NULL;
		rc = err_set("out of memory");
		goto done;
	}
	slashed = *as;
	slashed.query = Q_VALUE;
	slashed.qvalue = with = cJSON_CreateString(fixed);
	slashed.message = slashed.describe = slashed.what = slashed.expected = NULL;
	if (!with) {
		rc = err_set("out of memory");
		goto done;
	}
	gbuf_reset(&tmp);
	if (assertion_check(&slashed, ctx, &tmp) != 0)
		goto done;
	end = gbuf_str(why);
	gbuf_add(&out, end, (size_t)(at - end));
	gbuf_adds(&out, " (no trailing slash: the page is ");
	gbuf_add_excerpt(&out, fixed, strlen(fixed), 80);
	gbuf_addch(&out, ')');
	gbuf_adds(&out, at);
	gbuf_reset(why);
	gbuf_add(why, out.data, out.len);
done:
	free(fixed);
	cJSON_Delete(v);
	cJSON_Delete(with);
	gbuf_release(&tmp);
	gbuf_release(&out);
	return rc;
}

/* A failed read of an answer's content, said: what content_failure_notes
 * tells, then the assertion's own reason `why` (a slashless location's
 * note added to it first). 0, or -1 on error. */
static int content_failure_said(struct run *run, struct http_actor *a, const struct step *s, const struct req *r,
				const struct http_response *rs, const struct assertion *as, struct eval_ctx *ctx,
				struct gbuf *why, struct gbuf *msg)
{
	const char *said, *expected;
	int rc = slashless_location_said(as, ctx, why);

	if (rc == 0)
		rc = content_failure_notes(run, a, s, r, rs, as, msg);
	if (rc < 0)
		return -1;
	said = gbuf_str(why);
	/* Found on page two: this page's excerpt says nothing more, and took
	 * the room of the expectation (h482). */
	if (rc == 1 && (expected = strstr(said, "; expected ")))
		said = expected + 2;
	gbuf_adds(msg, "; ");
	/* A list read short of its own count: the paging note says the fix,
	 * and the check's advice about what the list must hold would blame
	 * its rows (h955, h977: "the sold-out one too" of a list that hid
	 * nothing, its next page unlinked or skipped). */
	if (((run->page_count && list_read_short(as)) || run->page_links_misnamed) && (expected = strstr(said, DASH)))
		gbuf_add(msg, said, (size_t)(expected - said));
	else
		gbuf_adds(msg, said);
	return 0;
}

/* Django's masked CSRF token: CSRF_TOKEN_LENGTH, 64 letters and digits. */
#define CSRF_MASKED_LEN 64

/* b's bytes into out, each run of exactly CSRF_MASKED_LEN letters and
 * digits as one '~' (Django masks its token afresh in every page it
 * renders, a sign-out form's on every page). 0, or -1 out of memory. */
static int body_untokened(const struct gbuf *b, struct gbuf *out)
{
	size_t i = 0, k;

	while (i < b->len) {
		for (k = 0; i + k < b->len && isalnum((unsigned char)b->data[i + k]); k++)
			;
		if (k == CSRF_MASKED_LEN ? gbuf_addch(out, '~') < 0 : gbuf_add(out, b->data + i, k ? k : 1) < 0)
			return -1;
		i += k ? k : 1;
	}
	return 0;
}

/* Whether page is the page before again, whole (a body cut at the
 * grader's limit is never said so): the same, but for CSRF tokens and
 * one stretch the page before had and it lacks (a message of the
 * messages framework, shown once, h1170's tickets: "Status updated"). */
static bool page_again(const struct gbuf *before, const struct gbuf *page)
{
	struct gbuf a = GBUF_INIT(0), b = GBUF_INIT(0);
	size_t head = 0, tail = 0;
	bool again = false;

	if (!before->truncated && !page->truncated && page->len && body_untokened(before, &a) == 0 &&
	    body_untokened(page, &b) == 0 && b.len <= a.len) {
		while (head < b.len && a.data[head] == b.data[head])
			head++;
		while (tail < b.len - head && a.data[a.len - 1 - tail] == b.data[b.len - 1 - tail])
			tail++;
		again = head + tail == b.len;
	}
	gbuf_release(&a);
	gbuf_release(&b);
	return again;
}

/*
 * A step with `all_pages` whose answer is an HTML page of a longer list
 * (a dashboard or a ticket list in pages: Django's Paginator, ListView's
 * paginate_by, django-tables2): fetch each next page (html_next_page) as
 * the same actor and judge one page, the first with the others' body
 * content added before its end, so "shows bob's ticket" is about the whole
 * list, whatever its page size and order. A page already read, or
 * HTML_PAGES_MAX, ends it. 0, STEP_FAILED (msg says which page), -1 error.
 */
static int html_pages_collect(struct run *run, struct http_actor *a, const struct step *s,
			      const struct req *r, struct http_response *rs, struct gbuf *msg)
{
	char *ctype = http_response_header(rs, "Content-Type");
	char *paths[HTML_PAGES_MAX + 1] = {NULL};
	struct gbuf more = GBUF_INIT(rs->body.limit), joined = GBUF_INIT(rs->body.limit);
	struct gbuf prev = GBUF_INIT(rs->body.limit);
	struct http_response page = HTTP_RESPONSE_INIT;
	size_t from, to, bfrom, bto;
	int n = 0, i, rc = 0;
	bool seen;

	if (!ctype || !strcasestr(ctype, "html"))
		goto done;
	paths[0] = strdup(rs->effective_path ? rs->effective_path : gbuf_str(&r->path));
	if (!paths[0]) {
		rc = err_set("out of memory");
		goto done;
	}
	while (n < HTML_PAGES_MAX && rc == 0) {
		char *next = NULL;

		if (html_next_page(run, paths[n], n ? &page.body : &rs->body, &next) < 0) {
			rc = -1;
			break;
		}
		for (seen = false, i = 0; next && i <= n; i++)
			seen = seen || !strcmp(paths[i], next);
		if (!next || seen) {
			run->more_by_script = !next && more_by_hx_get(n ? &page.body : &rs->body);
			run->one_page = !next && !n && !run->more_by_script;
			/* Pages read by the links: where the row is still
			 * missing, page_two_note asks ?page=N too (h1005: links
			 * to ?p=2, which the view does not read, served the
			 * first page again). */
			run->pages_followed = n;
			free(next);
			break;
		}
		paths[++n] = next;
		http_response_release(&page);
		rc = step_get(run, a, s, r, next, true, &page);
		if (rc == 0 && (page.fault != HTTP_FAULT_NONE || page.status != 200)) {
			gbuf_adds(msg, "GET ");
			gbuf_add_excerpt(msg, next, strlen(next), 100);
			gbuf_addf(msg, " (page %d of the list, linked from page %d) ", n + 1, n);
			if (page.fault != HTTP_FAULT_NONE)
				gbuf_adds(msg, page.fault_msg ? page.fault_msg : "got no answer");
			else
				gbuf_addf(msg, "answered %ld", page.status);
			gbuf_adds(msg, "; expected 200 and the rest of the list");
			rc = STEP_FAILED;
		} else if (rc == 0) {
			html_body_span(gbuf_str(&page.body), page.body.len, &bfrom, &bto);
			/* The page before again: the view does not read the
			 * parameter its links name. Noted only: the pages are
			 * read as before (the next link, the same, ends them). */
			if (!run->page_repeated[0] && page_again(n > 1 ? &prev : &rs->body, &page.body))
				snprintf(run->page_repeated, sizeof(run->page_repeated), "%s", next);
			if (gbuf_add(&more, page.body.data + bfrom, bto - bfrom) < 0)
				rc = -1;
			gbuf_reset(&prev);
			if (rc == 0 && gbuf_add(&prev, page.body.data, page.body.len) < 0)
				rc = -1;
		}
	}
	if (rc == 0 && more.len) {
		html_body_span(gbuf_str(&rs->body), rs->body.len, &from, &to);
		if (gbuf_add(&joined, rs->body.data, to) < 0 || gbuf_add(&joined, more.data, more.len) < 0 ||
		    gbuf_add(&joined, rs->body.data + to, rs->body.len - to) < 0) {
			rc = -1;
		} else {
			joined.truncated = joined.truncated || more.truncated || rs->body.truncated;
			gbuf_release(&rs->body);
			rs->body = joined;
			joined = (struct gbuf)GBUF_INIT(0);
		}
	}
done:
	for (i = 0; i <= n && i <= HTML_PAGES_MAX; i++)
		free(paths[i]);
	http_response_release(&page);
	gbuf_release(&more);
	gbuf_release(&joined);
	gbuf_release(&prev);
	free(ctype);
	return rc;
}

/* The most fields of the API's own the grader fills in one create: a
 * bound on what an app's OPTIONS or refusal makes it send (h668: nine
 * required fields of a product's own, 8 filled, never sent). */
#define FILL_FIELDS_MAX 24

/* OPTIONS' item `key` of a field (max_length...), or its camelCase form
 * (maxLength), as djangorestframework-camel-case renders every key (h323:
 * an SKU's maxLength not read, "sample-NONCE-N" refused as too long). */
static const cJSON *meta_item(const cJSON *meta, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(meta, key);
	char camel[32];
	size_t i = 0;

	for (; !v && *key && i + 1 < sizeof(camel); key++) {
		if (*key == '_' && key[1])
			camel[i++] = (char)toupper((unsigned char)*++key);
		else
			camel[i++] = *key;
	}
	if (!v) {
		camel[i] = '\0';
		v = cJSON_GetObjectItemCaseSensitive(meta, camel);
	}
	return v;
}

/* A number OPTIONS gives a field (max_length, min_value...), or `dflt`. */
static double meta_number(const cJSON *meta, const char *key, double dflt)
{
	const cJSON *v = meta_item(meta, key);

	if (cJSON_IsNumber(v))
		return v->valuedouble;
	if (cJSON_IsString(v) && *v->valuestring)
		return strtod(v->valuestring, NULL);
	return dflt;
}

/* 1, or the nearest bound OPTIONS gives (min_value above 1, max_value
 * below it). */
static double fill_number(const cJSON *meta)
{
	double v = 1, lo = meta_number(meta, "min_value", -1e300), hi = meta_number(meta, "max_value", 1e300);

	if (v < lo)
		v = lo;
	if (v > hi)
		v = hi;
	return v;
}

/* The run's nonce ({{run.nonce}}, vars_init), or `absent`. Borrowed. */
static const char *run_nonce(const struct run *run, const char *absent)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(run->vars, "run"), "nonce");

	return cJSON_IsString(n) ? n->valuestring : absent;
}

/*
 * A made-up string within the lengths OPTIONS gives (h91: an SKU of at
 * most 12 characters refused "sample-NONCE-N"): NONCE and N run together
 * when that is too long, then its last max_length bytes (N's digits at the
 * end keep it unique: every run's database is new), padded with 'x' to
 * min_length.
 */
static void fill_fit_length(char *text, size_t size, const cJSON *meta, const char *nonce, int n)
{
	double maxl = meta_number(meta, "max_length", 0), minl = meta_number(meta, "min_length", 0);
	size_t len = strlen(text);

	if (maxl >= 1 && len > (size_t)maxl) {
		snprintf(text, size, "%s%d", nonce, n);
		len = strlen(text);
		if (len > (size_t)maxl) {
			memmove(text, text + len - (size_t)maxl, (size_t)maxl + 1);
			len = (size_t)maxl;
		}
	}
	while (minl > 0 && len < (size_t)minl && len + 1 < size)
		text[len++] = 'x';
	text[len] = '\0';
}

/*
 * A regular expression's simplest strings as a words_template template:
 * the pattern pydantic's refusal quotes ("String should match pattern
 * '^SKU-[0-9]{4}$'", Django Ninja's Field(pattern=...), h768: a correct
 * shop at 0, every product refused). Only a plain sequence is read:
 * literals (escaped or not), \d and a class allowing digits as '#', one
 * allowing capitals (or \w) as 'X', each once or {n} / {n,m} times (the
 * least, at least once; + and * as four, for room to be unique). Anything
 * else (groups, alternation, '.', a negated class, a literal X or #,
 * which a template reads as a letter or a digit) is no template: false.
 */
static bool regex_template(const char *re, size_t len, char *out, size_t cap)
{
	const char *p = re, *end = re + len, *close;
	size_t n = 0;
	long lo, hi;
	char c, *q;
	bool ok = true;

	if (p < end && *p == '^')
		p++;
	if (end > p && end[-1] == '$' && (end - 1 == p || end[-2] != '\\'))
		end--;
	while (ok && p < end) {
		c = 0;
		if (*p == '\\' && p + 1 < end) {
			c = p[1] == 'd' ? '#' : p[1] == 'w' ? 'X' : strchr("-./_:@", p[1]) ? p[1] : 0;
			p += 2;
		} else if (*p == '[' && (close = memchr(p, ']', (size_t)(end - p))) && p[1] != '^') {
			if (memmem(p, (size_t)(close - p), "0-9", 3) || memmem(p, (size_t)(close - p), "\\d", 2))
				c = '#';
			else if (memmem(p, (size_t)(close - p), "A-Z", 3))
				c = 'X';
			p = close + 1;
		} else if ((isalnum((unsigned char)*p) && *p != 'X') || strchr("-_/:@", *p)) {
			c = *p++;
		}
		lo = hi = 1;
		if (p < end && *p == '{') {
			lo = strtol(p + 1, &q, 10);
			if (*q == ',' && q[1] == '}') {
				hi = lo + 4;
				q++;
			} else {
				hi = *q == ',' ? strtol(q + 1, &q, 10) : lo;
			}
			ok = *q == '}' && lo >= 0 && hi >= lo && hi <= 32;
			p = ok ? q + 1 : end;
			lo = lo ? lo : 1;
		} else if (p < end && (*p == '+' || *p == '*')) {
			lo = 4;
			p++;
		} else if (p < end && *p == '?') {
			p++;
		}
		ok = ok && c && n + (size_t)lo < cap;
		while (ok && lo-- > 0)
			out[n++] = c;
	}
	if (n < cap)
		out[n] = '\0';
	/* A run, which fill_from_template fills (a lone '#' it keeps). */
	return ok && n >= 3 && (strstr(out, "##") || strstr(out, "XX"));
}

/* In `words`, the first token of the template's shape (its non-X bytes
 * as they are, an alphanumeric at each X, nothing alphanumeric around
 * it): each X where it has a digit made '#'. Nothing when there is none. */
static void template_digits_from_example(const char *words, char *tmpl)
{
	size_t n = strlen(tmpl), i;
	const char *q;

	for (q = words; *q; q++) {
		if (q > words && isalnum((unsigned char)q[-1]))
			continue;
		for (i = 0; i < n && q[i]; i++)
			if (tmpl[i] == 'X' ? !isalnum((unsigned char)q[i]) : q[i] != tmpl[i])
				break;
		if (i < n || isalnum((unsigned char)q[n]))
			continue;
		for (i = 0; i < n; i++)
			if (tmpl[i] == 'X' && isdigit((unsigned char)q[i]))
				tmpl[i] = '#';
		return;
	}
}

/* A format a field's refusal spells out (h632: "SKU must look like
 * SKU-XXXX (capitals and digits)."): a token with a run of X's or #'s, or
 * an example with a digit in it after "e.g.", "for example", "such as",
 * "like" or "format" ("e.g. SKU-AB12"), into out (cap bytes); false when
 * none. The app's words: bounded, letters, digits and -_/.: alone. */
static bool words_template(const cJSON *msgs, char *out, size_t cap)
{
	/* And after "like" or "format" (h634: "SKU must look like
	 * ABC-1234", "use the format ABC-1234"). */
	static const char *const leads[] = { "e.g. ", "e.g., ", "for example ", "for example: ", "such as ",
					     "like ", "format ", "format: ",
					     /* The languages apps are written in (h667). */
					     "p. ej. ", "p.ej. ", "por ejemplo ", "por ejemplo: ", "ej.: ", "ex.: ",
					     "par exemple ", "z. B. ", "z.B. ", "zum Beispiel ", "per esempio ",
					     "formato ", "formato: ",
					     /* After a colon (h673: "(Beispiel: KAF-0042)"). */
					     "example: ", "Beispiel: ", "ejemplo: ", "exemple : ", "exemple: ",
					     "exemplo: ", "esempio: ",
					     /* In the form, in brackets, in French (h745:
					      * "in the form ABC-1234", "(ABC-1234)", "doit
					      * ressembler à ABC-1234", 15 each). */
					     "form ", "pattern ", "pattern: ", "(", "ressembler à ", "ressembler a ",
					     "comme ", "forme ", "format : ", "como ", "wie " };
	/* An example in quotes, ASCII or typographic (h673: z. B. „KAF-0042“). */
	static const char *const quotes[] = { "\"", "'", "\xE2\x80\x9E", "\xE2\x80\x9C", "\xE2\x80\x98",
					      "\xC2\xAB", "\xC2\xBB" };
	static const char *const x_digits[] = { "X a digit", "X is a digit", "X = digit", "X is a number",
						"X being a digit", "X are digits",
						/* es, pt, fr, de, it (h667: "donde X es un dígito"). */
						"X es un dígito", "X es un número", "X son dígitos", "X é um dígito",
						"X um dígito", "X est un chiffre", "X un chiffre", "X ist eine Ziffer",
						"X eine Ziffer", "X è una cifra" };
	static const char *const quoted[] = { "pattern '", "regex '" };
	const cJSON *m = cJSON_IsArray(msgs) ? msgs->child : msgs;
	const char *p, *t, *at = NULL, *words = NULL, *close;
	size_t i, k, n = 0;
	bool pattern = false, digits = false;

	for (; !at && !pattern && cJSON_IsString(m); m = cJSON_IsArray(msgs) ? m->next : NULL) {
		words = m->valuestring;
		/* The pattern pydantic quotes (regex_template), or msgspec's
		 * "Expected `str` matching regex '^SKU-[0-9]{4}$'" (h829). */
		for (i = 0; !pattern && i < sizeof(quoted) / sizeof(quoted[0]); i++)
			if ((t = strstr(words, quoted[i])) && (t += strlen(quoted[i])) &&
			    (close = strrchr(t, '\'')) && close > t)
				pattern = regex_template(t, (size_t)(close - t), out, cap);
		if (pattern)
			break;
		/* A token with a run of X's or #'s: "SKU-XXXX". */
		for (p = m->valuestring; !at && *p; p = t + (n ? n : 1)) {
			t = p + strcspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789#");
			for (n = 0; t[n] && (isalnum((unsigned char)t[n]) || strchr("#-_/.:", t[n])); n++)
				;
			while (n && strchr("-_/.:", t[n - 1]))
				n--;
			if (!*t)
				break;
			if (n >= 3 && n < cap && (memmem(t, n, "XX", 2) || memmem(t, n, "##", 2)))
				at = t;
		}
		/* An example with a digit in it after its lead: "e.g. SKU-AB12". */
		for (i = 0; !at && i < sizeof(leads) / sizeof(leads[0]); i++) {
			if (!(t = strcasestr(m->valuestring, leads[i])))
				continue;
			t += strlen(leads[i]);
			for (k = 0; k < sizeof(quotes) / sizeof(quotes[0]); k++)
				if (!strncmp(t, quotes[k], strlen(quotes[k]))) {
					t += strlen(quotes[k]);
					break;
				}
			for (n = 0; t[n] && (isalnum((unsigned char)t[n]) || strchr("-_/.:", t[n])); n++)
				;
			while (n && strchr("-_/.:", t[n - 1]))
				n--;
			if (n >= 3 && n < cap && strcspn(t, "0123456789") < n)
				at = t;
		}
	}
	if (at)
		snprintf(out, cap, "%.*s", (int)n, at);
	/* An example of the X's shape in the same words, after them (h830:
	 * "SKU-XXXX (four digits), e.g. SKU-0042"): its digits say which X's
	 * are digits. */
	if (at && strchr(out, 'X'))
		template_digits_from_example(at + n, out);
	/* X's its words call digits (h645: "SKU must look like SKU-XXXX (X
	 * a digit)."), or digits said right after them with no letter (h908:
	 * "SKU-XXXX (four digits)"): #'s, made digits. */
	for (i = 0; at && i < sizeof(x_digits) / sizeof(x_digits[0]); i++)
		digits = digits || strstr(words, x_digits[i]);
	if (at && !digits) {
		char after[48];

		snprintf(after, sizeof(after), "%s", at + n);
		digits = strcasestr(after, "digit") && !strcasestr(after, "letter");
	}
	for (n = 0; digits && out[n]; n++)
		if (out[n] == 'X')
			out[n] = '#';
	return at != NULL || pattern;
}

/* A value in the format `tmpl` gives, unique to the run and the create:
 * its X's (or, in an example, the letters after its last separator)
 * become capitals and its #'s (the example's digits there) digits, from
 * the run's nonce and its fills' count, the rest kept. */
static cJSON *fill_from_template(struct run *run, const char *tmpl)
{
	const char *nz = run_nonce(run, "0");
	bool runs = strstr(tmpl, "XX") || strstr(tmpl, "##");
	size_t len = strlen(tmpl), from = 0, i;
	unsigned long long u = 1469598103ULL;
	char v[128];

	if (len >= sizeof(v))
		return NULL;
	for (i = 0; nz[i]; i++)
		u = (u ^ (unsigned char)nz[i]) * 1099511628211ULL;
	u = (u % 100000ULL) * 1000ULL + (unsigned long long)++run->fills;
	memcpy(v, tmpl, len + 1);
	if (!runs)
		for (i = 0; i < len; i++)
			if (!isalnum((unsigned char)v[i]))
				from = i + 1;
	for (i = len; i-- > from;) {
		bool letter = runs ? v[i] == 'X' : isalpha((unsigned char)v[i]) != 0,
		     digit = runs ? v[i] == '#' : isdigit((unsigned char)v[i]) != 0;

		if (letter) {
			v[i] = (char)((isupper((unsigned char)v[i]) || runs ? 'A' : 'a') + u % 26);
			u /= 26;
		} else if (digit) {
			v[i] = (char)('0' + u % 10);
			u /= 10;
		}
	}
	return cJSON_CreateString(v);
}

/* A plausible value for a required field the step did not send, from the
 * type DRF's OPTIONS gives it (actions.POST.NAME: "string", "integer",
 * "choice" with its choices, ...), "string" when unknown. Unique in the run
 * (an SKU is often unique). NULL for what cannot be made up: a related
 * object, a nested one, a file. */
static cJSON *fill_value(struct run *run, const cJSON *meta)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(meta, "type");
	const cJSON *choices = cJSON_GetObjectItemCaseSensitive(meta, "choices");
	const char *nz = run_nonce(run, "0");
	const char *type = cJSON_IsString(t) ? t->valuestring : "string";
	char text[160], *c;
	int n = ++run->fills;

	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(meta, "template")))
		return fill_from_template(run, cJSON_GetObjectItemCaseSensitive(meta, "template")->valuestring);
	/* A text whose help_text spells out its format as a refusal would
	 * ("Format ABC-1234, z. B. KAF-0042", h673): made in it. */
	if ((!strcmp(type, "string") || !strcmp(type, "regex")) && cJSON_IsString(meta_item(meta, "help_text")) &&
	    words_template(meta_item(meta, "help_text"), text, sizeof(text)))
		return fill_from_template(run, text);
	snprintf(text, sizeof(text), "sample-%s-%d", nz, n);
	if (!strcmp(type, "string") || !strcmp(type, "slug") || !strcmp(type, "regex")) {
		fill_fit_length(text, sizeof(text), meta, nz, n);
		/* In capitals where the refusal asked for them (h863: "SKU
		 * must be 3-32 upper-case letters, digits or dashes."). */
		for (c = text; cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(meta, "upper")) && *c; c++)
			*c = (char)toupper((unsigned char)*c);
		return cJSON_CreateString(text);
	}
	if (!strcmp(type, "email"))
		return cJSON_CreateString(strcat(text, "@example.com"));
	if (!strcmp(type, "url")) {
		char url[200];

		snprintf(url, sizeof(url), "https://example.com/%s", text);
		return cJSON_CreateString(url);
	}
	if (!strcmp(type, "integer"))
		return cJSON_CreateNumber((double)(long long)fill_number(meta));
	if (!strcmp(type, "float") || !strcmp(type, "decimal")) {
		/* As many places as OPTIONS says it takes (h668: a
		 * DecimalField of one place refused "1.00"). */
		const cJSON *dp = meta_item(meta, "decimal_places");
		int places = cJSON_IsNumber(dp) && dp->valuedouble >= 0 && dp->valuedouble < 2 ? (int)dp->valuedouble : 2;

		snprintf(text, sizeof(text), "%.*f", places, fill_number(meta));
		return cJSON_CreateString(text);
	}
	if (!strcmp(type, "boolean"))
		return cJSON_CreateTrue();
	if (!strcmp(type, "date"))
		return cJSON_CreateString("2026-01-01");
	if (!strcmp(type, "datetime"))
		return cJSON_CreateString("2026-01-01T12:00:00Z");
	if (!strcmp(type, "time"))
		return cJSON_CreateString("12:00:00");
	/* DRF's DurationField (h606: "cannot make up ... a duration"). */
	if (!strcmp(type, "duration"))
		return cJSON_CreateString("00:45:00");
	if ((!strcmp(type, "choice") || !strcmp(type, "multiple choice")) && cJSON_IsArray(choices) &&
	    choices->child) {
		cJSON *v = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(choices->child, "value"), 1), *l;

		if (!v || strcmp(type, "multiple choice"))
			return v;
		l = cJSON_CreateArray();
		if (!l || !cJSON_AddItemToArray(l, v)) {
			cJSON_Delete(v);
			cJSON_Delete(l);
			return NULL;
		}
		return l;
	}
	return NULL;
}

/* A field filled in, named in run->filled with the value sent: one the app
 * refuses shows why. */
static void filled_said(struct run *run, const char *name, const cJSON *v)
{
	if (run->filled.len < 200) {
		gbuf_addf(&run->filled, "%s%s ", run->filled.len ? ", " : "", name);
		value_excerpt(v, &run->filled, 40);
	}
}

/* Add a made-up value for the unsent field `name` to `sent`, from its
 * OPTIONS description `meta` (NULL: a string), and name it in run->filled.
 * 0, or -1 out of memory; a field whose value cannot be made up is left,
 * named with its type in run->unfillable. */
static int fill_one(struct run *run, cJSON *sent, const char *name, const cJSON *meta)
{
	cJSON *v = fill_value(run, meta);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(meta, "type");
	char said[160];

	if (!v) {
		const char *type = cJSON_IsString(t) && *t->valuestring ? t->valuestring : "value of its own";

		/* DRF's OPTIONS types a related field "field" (h191: "the
		 * required category, a field" read as no reason at all).
		 * Where OPTIONS calls it optional and the create still asked
		 * for it, a validator of the serializer's names it (DRF's
		 * unique-together one asks for every field it names, whatever
		 * the model's default, h634): "make it optional" would tell
		 * her to do what she did. */
		/* A JSONField's too (h878: "attributes, a related object"). */
		if (!strcmp(type, "field"))
			type = cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(meta, "required"))
				       ? "related object or JSON value OPTIONS calls optional (a validator asks for "
					 "it: give the serializer's field a default)"
				       : "related object or JSON value (make it optional, or give it a default)";
		/* Read-only in OPTIONS, required by the create: OPTIONS
		 * described another serializer, a get_serializer_class
		 * choosing by self.action, which is "metadata" there (h643:
		 * a required choice described without its choices). */
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(meta, "read_only"))) {
			snprintf(said, sizeof(said), "%.40s OPTIONS calls read-only (it described another serializer: "
				 "give action \"metadata\" the create's in get_serializer_class)", type);
			type = said;
		}
		if (run->unfillable.len < 200)
			gbuf_addf(&run->unfillable, "%s%s, %s %s", run->unfillable.len ? "; " : "", name,
				  strchr("aeiou", type[0]) ? "an" : "a", type);
		return 0;
	}
	if (!cJSON_AddItemToObject(sent, name, v)) {
		cJSON_Delete(v);
		return err_set("out of memory");
	}
	filled_said(run, name, v);
	return 0;
}

/* DRF's messages for one field: a string, or a list of strings (not an
 * envelope's list of objects, {"errors": [{"field": ...}]}). */
static bool is_messages(const cJSON *v)
{
	const cJSON *it;

	if (cJSON_IsString(v))
		return true;
	if (!cJSON_IsArray(v) || !v->child)
		return false;
	cJSON_ArrayForEach(it, v)
		if (!cJSON_IsString(it))
			return false;
	return true;
}

/* The list of pydantic-shaped errors in a 400 answer: the body itself,
 * or its "detail" (FastAPI, Django Ninja) or "errors" member, or an RFC
 * 9457 problem's "invalid_params" ({"name": "sku", "reason": "This field
 * is required."}, RFC 9457's own example, h680), under either spelling;
 * NULL when none is a list. */
static const cJSON *loc_errors(const cJSON *errs)
{
	static const char *const keys[] = { "detail", "errors", "invalid_params", "invalid-params" };
	const cJSON *v;
	size_t i;

	if (cJSON_IsArray(errs))
		return errs;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (cJSON_IsArray(v = cJSON_GetObjectItemCaseSensitive(errs, keys[i])))
			return v;
	return NULL;
}

/* The field a pydantic-shaped error says is required: the last member of
 * its "loc" when its "type" is "missing" or its "msg" says required
 * ({"type": "missing", "loc": ["body", "sku"], "msg": "Field required"}),
 * or drf-standardized-errors' "attr", else NULL. */
static const char *loc_field(const struct run *run, const cJSON *item)
{
	const cJSON *loc = cJSON_GetObjectItemCaseSensitive(item, "loc"), *type, *last;
	const cJSON *attr = cJSON_GetObjectItemCaseSensitive(item, "attr"), *code;
	const char *named;

	/* drf-standardized-errors' shape, a package's documented one:
	 * {"code": "required", "detail": "This field is required.", "attr":
	 * "sku"} (h259); a dotted attr is a nested field's. And the shape
	 * exception handlers write by hand, {"field": "sku", "message":
	 * "This field is required."} (h568: 15 for a correct app, OPTIONS
	 * off), and RFC 9457's {"name": "sku", "reason": ...} (h680), read
	 * alike when its words or code say required. */
	if (!cJSON_IsString(attr))
		attr = cJSON_GetObjectItemCaseSensitive(item, "field");
	if (!cJSON_IsString(attr) && !cJSON_GetObjectItemCaseSensitive(item, "loc"))
		attr = cJSON_GetObjectItemCaseSensitive(item, "name");
	/* And JSON:API's {"source": {"pointer": "/data/attributes/sku"}}
	 * (h710). */
	named = cJSON_IsString(attr) ? attr->valuestring : pointer_field(item);
	if (named && *named && !strchr(named, '.')) {
		code = cJSON_GetObjectItemCaseSensitive(item, "code");
		return (cJSON_IsString(code) && !strcmp(code->valuestring, "required")) ||
				       error_says_required(run, cJSON_GetObjectItemCaseSensitive(item, "detail")) ||
				       error_says_required(run, cJSON_GetObjectItemCaseSensitive(item, "message")) ||
				       error_says_required(run, cJSON_GetObjectItemCaseSensitive(item, "reason"))
			       ? named
			       : NULL;
	}
	if (!cJSON_IsArray(loc) || !(last = cJSON_GetArrayItem(loc, cJSON_GetArraySize(loc) - 1)) ||
	    !cJSON_IsString(last) || !*last->valuestring)
		return NULL;
	type = cJSON_GetObjectItemCaseSensitive(item, "type");
	if ((cJSON_IsString(type) && !strcmp(type->valuestring, "missing")) ||
	    error_says_required(run, cJSON_GetObjectItemCaseSensitive(item, "msg")))
		return last->valuestring;
	return NULL;
}

/* The request's body made `sent`, as JSON. 0, or -1 out of memory. */
static int req_set_json(struct req *r, const cJSON *sent)
{
	char *json = cJSON_PrintUnformatted(sent);
	int rc = 0;

	gbuf_reset(&r->body);
	if (!json || gbuf_adds(&r->body, json) < 0)
		rc = err_set("out of memory");
	free(json);
	return rc;
}

/* The fill memo's key for a request: "POST /api/products/". */
static void fill_memo_key(const struct req *r, char *key, size_t cap)
{
	snprintf(key, cap, "%s %s", r->method ? r->method : "GET", gbuf_str(&r->path));
}

/* Keep what the request needed: the members of `sent` after its first
 * `nsent` (those json_fill_required added), each with OPTIONS'
 * description (`post`) or null. 0, or -1 out of memory. */
static int fill_memo_keep(struct run *run, const struct req *r, const cJSON *sent, int nsent, const cJSON *post)
{
	char key[600];
	cJSON *entry, *fields;
	const cJSON *it;
	int i = 0;

	if (!run->fill_memo && !(run->fill_memo = cJSON_CreateObject()))
		return -1;
	fill_memo_key(r, key, sizeof(key));
	cJSON_DeleteItemFromObjectCaseSensitive(run->fill_memo, key);
	if (!(entry = cJSON_AddObjectToObject(run->fill_memo, key)) ||
	    !(fields = cJSON_AddObjectToObject(entry, "fields")) ||
	    !cJSON_AddBoolToObject(entry, "guessed", run->fill_guessed) ||
	    (run->fill_refined && !cJSON_AddItemToObject(entry, "values", cJSON_Duplicate(run->fill_refined, true))))
		return -1;
	cJSON_ArrayForEach(it, sent) {
		const cJSON *d = it->string ? cJSON_GetObjectItemCaseSensitive(post, it->string) : NULL;
		cJSON *copy;

		if (i++ < nsent || !it->string)
			continue;
		copy = d ? cJSON_Duplicate(d, true) : cJSON_CreateNull();
		if (!copy || !cJSON_AddItemToObject(fields, it->string, copy)) {
			cJSON_Delete(copy);
			return -1;
		}
	}
	return 0;
}

/* A number no earlier fill of the process sent: `base` (the value first
 * sent, within the field's bounds) plus 1, 2, ... */
static double unique_number(double base)
{
	static long made;

	return base + (double)__atomic_add_fetch(&made, 1, __ATOMIC_RELAXED);
}

/* A UUID no earlier fill of the process sent (version 4's layout), as a
 * new string value, or NULL out of memory. */
static cJSON *unique_uuid(void)
{
	static long made;
	char v[40];

	snprintf(v, sizeof(v), "00000000-0000-4000-8000-%012lx",
		 (unsigned long)__atomic_add_fetch(&made, 1, __ATOMIC_RELAXED));
	return cJSON_CreateString(v);
}

/* Whether s is a UUID as Django writes one (hex_verbose, 36 bytes) or as
 * its hex form (32). */
static bool looks_uuid(const char *s)
{
	size_t i, n = strlen(s);

	if (n != 36 && n != 32)
		return false;
	for (i = 0; i < n; i++)
		if (n == 36 && (i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-'
									   : !isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* An id of the form of v that no row has: a UUID written as v writes its
 * own (dashes or none) where v is one, else 987654321. A new value, NULL
 * out of memory. */
static cJSON *unknown_id_like(const cJSON *v)
{
	cJSON *u;
	const char *p;
	char hex[33];
	size_t o = 0;

	if (!cJSON_IsString(v) || !looks_uuid(v->valuestring))
		return cJSON_CreateNumber(987654321);
	u = unique_uuid();
	if (!u || strlen(v->valuestring) == 36)
		return u;
	/* Its hex form: the same UUID without its dashes. */
	for (p = u->valuestring; *p && o < 32; p++)
		if (*p != '-')
			hex[o++] = *p;
	hex[o] = '\0';
	cJSON_Delete(u);
	return cJSON_CreateString(hex);
}

/*
 * A capture's value into the run's variables (owned by them after), and
 * beside it, as unknown.NAME, an id of the same form that no row has: a
 * UUID where the value is one, else 987654321. An unknown product asked
 * for as 987654321 of a UUID-keyed API met Django's "is not a valid
 * UUID", a 500 no unknown id of its own form would meet (h816). 0, or -1
 * out of memory (v freed).
 */
static int capture_store(struct run *run, const char *name, cJSON *v)
{
	cJSON *unknown = cJSON_GetObjectItemCaseSensitive(run->vars, "unknown"), *u;

	cJSON_DeleteItemFromObjectCaseSensitive(run->vars, name);
	if (!cJSON_AddItemToObject(run->vars, name, v)) {
		cJSON_Delete(v);
		return err_set("out of memory");
	}
	if (!unknown)
		return 0;
	u = unknown_id_like(v);
	cJSON_DeleteItemFromObjectCaseSensitive(unknown, name);
	if (!u || !cJSON_AddItemToObject(unknown, name, u)) {
		cJSON_Delete(u);
		return err_set("out of memory");
	}
	return 0;
}

/* One field of a fill memo's entry into `sent`: the value the app's
 * refusal named (its "values", fill_refine's), else one made as fill_one
 * makes it from OPTIONS' description (null: blind). 0, or -1 out of
 * memory. */
static int fill_memo_one(struct run *run, cJSON *sent, const cJSON *it, const cJSON *values)
{
	const cJSON *kept = cJSON_GetObjectItemCaseSensitive(values, it->string);
	cJSON *v;

	if (!kept)
		return fill_one(run, sent, it->string, cJSON_IsNull(it) ? NULL : it);
	if (cJSON_IsObject(kept) && cJSON_HasObjectItem(kept, "unique_number"))
		v = cJSON_CreateNumber(unique_number(meta_number(kept, "unique_number", 1)));
	else if (cJSON_IsObject(kept) && cJSON_HasObjectItem(kept, "unique_uuid"))
		v = unique_uuid();
	else if (cJSON_IsObject(kept))
		v = fill_value(run, kept);   /* {"max_length": N}: made afresh */
	else
		v = cJSON_Duplicate(kept, true);
	if (!v || !cJSON_AddItemToObject(sent, it->string, v)) {
		cJSON_Delete(v);
		return err_set("out of memory");
	}
	filled_said(run, it->string, v);
	return 0;
}

/* A create sent where an earlier one needed fields filled: filled at
 * once, with fresh values, as json_fill_required would after a 400 (its
 * message's "(the grader also filled ...)" says so alike). 0, or -1. */
static int fill_memo_apply(struct run *run, struct req *r)
{
	char key[600];
	const cJSON *entry, *it;
	cJSON *sent = NULL;
	int rc = 0;

	fill_memo_key(r, key, sizeof(key));
	entry = cJSON_GetObjectItemCaseSensitive(run->fill_memo, key);
	if (!entry)
		goto done;
	sent = cJSON_ParseWithLength(r->body.data ? r->body.data : "", r->body.len);
	if (!cJSON_IsObject(sent))
		goto done;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(entry, "fields"))
		if (!cJSON_HasObjectItem(sent, it->string) &&
		    fill_memo_one(run, sent, it, cJSON_GetObjectItemCaseSensitive(entry, "values")) < 0) {
			rc = -1;
			goto done;
		}
	run->fill_guessed = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(entry, "guessed"));
	rc = req_set_json(r, sent);
done:
	cJSON_Delete(sent);
	return rc;
}

/* A fill_required step about to be sent: nothing filled yet, or what the
 * fill memo says its path needs. 0, or -1 out of memory. */
static int fill_start(struct run *run, const struct step *s, struct req *r)
{
	gbuf_reset(&run->filled);
	gbuf_reset(&run->unfillable);
	cJSON_Delete(run->fill_refined);
	run->fill_refined = NULL;
	run->options_bare = 0;
	run->fill_guessed = false;
	run->fill_undescribed[0] = '\0';
	return !s->submit && s->body == BODY_JSON ? fill_memo_apply(run, r) : 0;
}

/* An envelope's own words, never a field's name inside one. */
static const char *const ENVELOPE_KEYS[] = { "message", "msg", "detail", "details", "code", "error", "errors",
					     "title", "type", "status", "description", NULL };

static bool is_envelope_key(const char *name)
{
	size_t k;

	for (k = 0; name && ENVELOPE_KEYS[k]; k++)
		if (!strcmp(name, ENVELOPE_KEYS[k]))
			return true;
	return false;
}

static bool error_says_model_required(const struct run *run, const cJSON *errs);

/* An envelope's word that is a field's name as well, a product's
 * description, type, code, title or status (h658: {"description": "This
 * field is required."} from a plain view was read as an envelope's
 * message, and no product was made, 15 for a correct app): the field,
 * where the request did not send it and its words say it is required or
 * blank. Never in an RFC 9457 problem (`obj`, the object `e` is a member
 * of, has a number "status"): its "title" is the problem's
 * ("Authentication required.", h680: read as a field the API required). */
static bool envelope_word_is_field(const struct run *run, const cJSON *obj, const cJSON *e, const cJSON *sent)
{
	static const char *const fields[] = { "title", "type", "status", "description", "code" };
	bool named = false;
	size_t k;

	for (k = 0; e->string && k < sizeof(fields) / sizeof(fields[0]); k++)
		named = named || !strcmp(e->string, fields[k]);
	return named && !cJSON_HasObjectItem(sent, e->string) &&
	       !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(obj, "status")) &&
	       (error_says_required(run, e) || error_says_model_required(run, e));
}

/* Whether OPTIONS describes `name` as required and writable: a field the
 * 400 names, not sent, is then missing whatever words its message has
 * (h418: "Falta el código SKU del producto.", an app's own). */
static bool described_required(const cJSON *described, const char *name)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(described, name);

	return f && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "required")) &&
	       !cJSON_IsTrue(meta_item(f, "read_only"));
}

static const char *words_after_field(const char *text, char *name, size_t cap);

/* Whether a sentence (or a list of them) names first a field that was not
 * sent ("category: must be one of: ...", "sku is required."). */
static bool sentences_name_unsent(const cJSON *said, const cJSON *sent)
{
	const cJSON *one;
	char name[64];

	if (cJSON_IsString(said))
		return words_after_field(said->valuestring, name, sizeof(name)) && !cJSON_HasObjectItem(sent, name);
	cJSON_ArrayForEach(one, said)
		if (cJSON_IsString(one) && words_after_field(one->valuestring, name, sizeof(name)) &&
		    !cJSON_HasObjectItem(sent, name))
			return true;
	return false;
}

/* Whether a 400's errors name, in DRF's shape (at their top or inside one
 * or two envelopes, as deep as fill_envelope fills: {"message": ...,
 * "extra": {"fields": {"sku": [...]}}}, HackSoft's styleguide, h566), a
 * field that was not sent: in words of the app's own, maybe (h418), so
 * OPTIONS is asked which fields are required. */
static bool errors_name_unsent(const struct run *run, const cJSON *errs, const cJSON *sent, int depth)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, errs) {
		bool own = (is_envelope_key(e->string) && !envelope_word_is_field(run, errs, e, sent)) ||
			   !strcmp(e->string ? e->string : "", "non_field_errors");

		if (!e->string)
			continue;
		if (is_messages(e) && !own && !cJSON_HasObjectItem(sent, e->string))
			return true;
		/* An envelope's sentences that name a field first (h1101:
		 * {"errors": ["category: must be one of: ..."]}). */
		if (own && is_messages(e) && sentences_name_unsent(e, sent))
			return true;
		if (!is_messages(e) && cJSON_IsObject(e) && depth < 2 && errors_name_unsent(run, e, sent, depth + 1))
			return true;
	}
	return false;
}

/*
 * A model field's refusal of a value it never got: "This field cannot be
 * blank." or "... cannot be null." (English, or the app's language as the
 * boot said it), which full_clean() answers where a form says "required"
 * (h541: a plain Django API). Read so only for a field that was not sent.
 */
static bool error_says_model_required(const struct run *run, const cJSON *errs)
{
	const char *said = run->o->boot && run->o->boot->model_required ? run->o->boot->model_required : "";
	const cJSON *e;
	bool found = false;

	if (cJSON_IsString(errs)) {
		size_t len = strlen(errs->valuestring);
		const char *at = len ? strstr(said, errs->valuestring) : NULL;

		/* A whole line of the boot's list, or Django's English. */
		found = !strcmp(errs->valuestring, "This field cannot be blank.") ||
			!strcmp(errs->valuestring, "This field cannot be null.") ||
			(at && (at == said || at[-1] == '\n') && (at[len] == '\0' || at[len] == '\n'));
	} else {
		cJSON_ArrayForEach(e, errs)
			found = found || error_says_model_required(run, e);
	}
	return found;
}

/* Pydantic's words before the values a field takes ("Input should be
 * 'books' or 'toys'"), read in its own errors and in DRF's shape alike. */
static const char INPUT_SHOULD_BE[] = "Input should be ";

/* The first value a list in pydantic's words gives ("'books', 'toys' or
 * 'garden'", after "Input should be "): the quoted text, else a number
 * (Literal[1, 2]: "1 or 2", unquoted); NULL when it lists nothing to
 * take. A new value (caller frees). */
static cJSON *listed_value(const char *from)
{
	const char *q, *end;
	char *num_end, v[100];
	cJSON *out = NULL;
	double d;

	if ((q = strchr(from, '\'')) && (end = strchr(q + 1, '\'')) && end - q - 1 < (long)sizeof(v)) {
		snprintf(v, sizeof(v), "%.*s", (int)(end - q - 1), q + 1);
		out = cJSON_CreateString(v);
	} else {
		d = strtod(from, &num_end);
		if (num_end != from)
			out = cJSON_CreateNumber(d);
	}
	return out;
}

/* Marshmallow's OneOf before the values it takes ("Must be one of: books,
 * toys.", unquoted, h631), and an app's own words for it in the languages
 * apps are written in (h667: "Debe ser una de: libros, juguetes."). */
static const char *const MUST_BE_ONE_OF[] = {
	"Must be one of: ", "Debe ser una de: ", "Debe ser uno de: ", "Deve ser um de: ", "Deve ser uma de: ",
	"Doit être l'un de : ", "Doit être l'un de: ", "Muss einer von: ", "Deve essere uno di: ",
};

/* The first value of marshmallow's list ("books, toys." after "Must be one
 * of: "): up to its first ", " or its closing '.', a number when it is one
 * (an integer choice); NULL when empty. A new value (caller frees). */
static cJSON *oneof_value(const char *from)
{
	size_t n = strcspn(from, ",");
	char v[100], *num_end;
	double d;

	if (n == strlen(from) && n && from[n - 1] == '.')
		n--;
	if (!n || n >= sizeof(v))
		return NULL;
	snprintf(v, sizeof(v), "%.*s", (int)n, from);
	d = strtod(v, &num_end);
	return *num_end == '\0' && num_end != v ? cJSON_CreateNumber(d) : cJSON_CreateString(v);
}

/* The value a field's messages in DRF's shape ask for in pydantic's words,
 * "Input should be 'books' or 'toys'" (an app's service checking a choice
 * as pydantic words it, h566), or marshmallow's, "Must be one of: books,
 * toys." (h631), or NULL. A new value (caller frees). */
static cJSON *words_listed_value(const cJSON *msgs)
{
	const cJSON *m = cJSON_IsArray(msgs) ? msgs->child : msgs;
	const char *at;
	cJSON *out = NULL;

	size_t i;

	for (; !out && cJSON_IsString(m); m = cJSON_IsArray(msgs) ? m->next : NULL) {
		if (!strncmp(m->valuestring, INPUT_SHOULD_BE, sizeof(INPUT_SHOULD_BE) - 1))
			out = listed_value(m->valuestring + sizeof(INPUT_SHOULD_BE) - 1);
		/* Anywhere in the message, in any case: after the field's
		 * name too (h775: "category must be one of: books, toys."). */
		for (i = 0; !out && i < sizeof(MUST_BE_ONE_OF) / sizeof(MUST_BE_ONE_OF[0]); i++)
			if ((at = strcasestr(m->valuestring, MUST_BE_ONE_OF[i])))
				out = oneof_value(at + strlen(MUST_BE_ONE_OF[i]));
	}
	return out;
}

/* A field not sent that its messages ask, in pydantic's words, to be one
 * of the values they list: that value, in `sent` and in run->fill_refined
 * (the memo's value for later creates, as fill_refine keeps one). 0 (v
 * taken), or -1 out of memory. */
static int fill_listed(struct run *run, cJSON *sent, const char *name, cJSON *v)
{
	cJSON *copy = cJSON_Duplicate(v, true);
	int rc = 0;

	if (!copy || (!run->fill_refined && !(run->fill_refined = cJSON_CreateObject())) ||
	    !cJSON_AddItemToObject(run->fill_refined, name, copy)) {
		cJSON_Delete(copy);
		cJSON_Delete(v);
		rc = err_set("out of memory");
	} else if (!cJSON_AddItemToObject(sent, name, v)) {
		cJSON_Delete(v);
		rc = err_set("out of memory");
	} else {
		filled_said(run, name, v);
	}
	return rc;
}

static cJSON *text_as_asked(struct run *run, const cJSON *words, int max, int min, const cJSON *prev,
			    cJSON **keep);
static int fill_refined_keep(struct run *run, cJSON *sent, const char *name, cJSON *v, cJSON *keep);

/* One member of a 400's errors in DRF's shape, filled when it names a
 * required field not sent (and one OPTIONS knows, when it answers): its
 * message says so, or OPTIONS calls it required; or its message spells a
 * format (words_template), and a value of it is sent; or its message
 * lists, in pydantic's words, the values the field takes, and the first is sent
 * (SPEC.md's "Input should be 'books' or 'toys'" in any shape, h566: a
 * service's check of a choice never sent); *n counts the fields filled.
 * 0, or -1 out of memory. */
static int fill_named(struct run *run, cJSON *sent, const cJSON *e, const cJSON *post, const cJSON *described,
		      int *n)
{
	cJSON *listed = NULL, *made = NULL, *keep = NULL;
	/* One OPTIONS does not describe, where the 400 says in DRF's words
	 * that it is required: OPTIONS described another serializer (a
	 * get_serializer_class choosing by self.action, "metadata" there,
	 * whose read serializer lacks the create's sku: h1271, 15 for a
	 * correct app), filled as where OPTIONS is off. */
	bool undescribed = described && e->string && !cJSON_HasObjectItem(described, e->string);
	int rc = 0;

	if (!e->string || cJSON_HasObjectItem(sent, e->string) || !is_messages(e) ||
	    (undescribed && !error_says_required_of(run, e, true)))
		goto done;
	/* Or its message spells out the format of a value never sent
	 * ("SKU must look like SKU-XXXX", h810: a required field whose
	 * refusal never says "required"): one made from it, afresh for
	 * each create (a SKU is unique). */
	if (!(error_says_required_of(run, e, true) || error_says_model_required(run, e) ||
	      described_required(described, e->string)) &&
	    !(listed = words_listed_value(e)) && !(made = text_as_asked(run, e, 0, 0, NULL, &keep)))
		goto done;
	if (++*n > FILL_FIELDS_MAX)
		goto done;
	if (undescribed && !run->fill_undescribed[0] && strlen(e->string) < sizeof(run->fill_undescribed))
		snprintf(run->fill_undescribed, sizeof(run->fill_undescribed), "%s", e->string);
	if (listed) {
		rc = fill_listed(run, sent, e->string, listed);
		listed = NULL;
	} else if (made && !cJSON_AddNullToObject(sent, e->string)) {
		rc = err_set("out of memory");
	} else if (made) {
		/* Both taken, whatever it returns. */
		rc = fill_refined_keep(run, sent, e->string, made, keep);
		made = keep = NULL;
		if (rc == 0)
			filled_said(run, e->string, cJSON_GetObjectItemCaseSensitive(sent, e->string));
	} else {
		rc = fill_one(run, sent, e->string, cJSON_GetObjectItemCaseSensitive(post, e->string));
	}
done:
	cJSON_Delete(listed);
	cJSON_Delete(made);
	cJSON_Delete(keep);
	return rc;
}

/*
 * An envelope's text that names its field first, as Django's
 * ValidationError and Spring-like envelopes write it ("message": "sku:
 * This field is required.", h409): filled as fill_named fills {"sku":
 * [...]}. 0, or -1 out of memory.
 */
/* The characters of a field's name in a refusal's words. */
static const char FIELD_NAME_CHARS[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

/* A field's name that opens a sentence, its capital lowered where it is
 * only the sentence's ("Sku is required." names sku; "SKU" and "skuCode"
 * stay as written). */
static void sentence_name_lower(char *name)
{
	size_t i;

	for (i = 1; name[i] && !isupper((unsigned char)name[i]); i++)
		;
	if (!name[i])
		name[0] = (char)tolower((unsigned char)name[0]);
}

/* A sentence naming its field as required in words of its own (h1090:
 * "sku is required.", "The field 'sku' is required.", "Missing required
 * field(s): sku"): the field's name written into name (cap bytes), a
 * name at the sentence's start lower-cased where it is only capitalised
 * ("Sku is required."); false when the text is not so written. Bounded
 * by the text's own NUL: the app's. */
static bool field_named_required(const char *text, char *name, size_t cap)
{
	static const char *const lead[] = { "missing required fields: ", "missing required field(s): ",
					    "missing required field: ", "missing fields: ", "missing field: ",
					    "required fields missing: ", "required field missing: ",
					    "missing required parameter: " };
	static const char *const tail[] = { " is required", " field is required", " is a required field",
					    " is missing", " must be provided" };
	const char *p = text, *start;
	size_t len, i;
	bool listed = false, said = false;

	for (i = 0; !listed && i < sizeof(lead) / sizeof(lead[0]); i++)
		if (!strncasecmp(p, lead[i], strlen(lead[i]))) {
			p += strlen(lead[i]);
			listed = true;
		}
	if (!listed && !strncasecmp(p, "the ", 4))
		p += 4;
	if (!listed && !strncasecmp(p, "field ", 6))
		p += 6;
	if (*p == '\'' || *p == '"' || *p == '`')
		p++;
	start = p;
	len = strspn(start, FIELD_NAME_CHARS);
	/* Django's own "This field is required." names none. */
	if (!len || len >= cap || isdigit((unsigned char)*start) || (len == 4 && !strncasecmp(start, "this", 4)) ||
	    (len == 4 && !strncasecmp(start, "that", 4)))
		return false;
	p = start + len;
	if (*p == '\'' || *p == '"' || *p == '`')
		p++;
	for (i = 0; !listed && !said && i < sizeof(tail) / sizeof(tail[0]); i++)
		said = !strncasecmp(p, tail[i], strlen(tail[i]));
	if (!listed && !said)
		return false;
	memcpy(name, start, len);
	name[len] = '\0';
	if (start == text)
		sentence_name_lower(name);
	return true;
}

/* A sentence that starts with a field's name and says what its value
 * must be ("sku must look like ...", "category is not valid. Must be one
 * of: ..."): the name written into name (cap bytes, a capital lowered as
 * in field_named_required); false otherwise, or for a pronoun ("You must
 * be signed in"). */
static bool field_named_refusing(const char *text, char *name, size_t cap)
{
	static const char *const verbs[] = { " must ", " should ", " is not valid", " is invalid", " has an invalid",
					     " is not a valid" };
	/* And the words of a refusal naming no field: pydantic's "Input
	 * should be ...", Django's "Enter a valid ...", "Ensure this ...". */
	static const char *const pronouns[] = { "you", "it", "this", "that", "there", "we", "they", "i", "one",
						"input", "value", "field", "enter", "ensure", "please" };
	size_t len = strspn(text, FIELD_NAME_CHARS), i;
	bool said = false;

	if (!len || len >= cap || isdigit((unsigned char)text[0]))
		return false;
	for (i = 0; i < sizeof(pronouns) / sizeof(pronouns[0]); i++)
		if (strlen(pronouns[i]) == len && !strncasecmp(text, pronouns[i], len))
			return false;
	for (i = 0; !said && i < sizeof(verbs) / sizeof(verbs[0]); i++)
		said = !strncasecmp(text + len, verbs[i], strlen(verbs[i]));
	if (!said)
		return false;
	memcpy(name, text, len);
	name[len] = '\0';
	sentence_name_lower(name);
	return true;
}

/* A message "NAME: words" (a field named before its words, as an
 * envelope's message or a problem's detail writes it), or naming it in
 * msgspec's backquotes, or in a sentence (field_named_required,
 * field_named_refusing): the words, NAME written into name (cap bytes);
 * NULL when the text is not so written. */
static const char *words_after_field(const char *text, char *name, size_t cap)
{
	/* Or msgspec's, which names it in backquotes (h829): "Object missing
	 * required field `sku`", "Expected `str` matching regex '...' - at
	 * `$.sku`": the whole text is the field's words. */
	static const char *const named[] = { "missing required field `", " - at `$." };
	size_t len = strspn(text, FIELD_NAME_CHARS), i;
	const char *at;

	if (len && len < cap && !isdigit((unsigned char)text[0]) && !strncmp(text + len, ": ", 2)) {
		memcpy(name, text, len);
		name[len] = '\0';
		return text + len + 2;
	}
	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		if (!(at = strstr(text, named[i])))
			continue;
		at += strlen(named[i]);
		len = strspn(at, FIELD_NAME_CHARS);
		if (len && len < cap && at[len] == '`') {
			memcpy(name, at, len);
			name[len] = '\0';
			return text;
		}
	}
	/* Said as required in the words' own order: the words are the
	 * required message's, which fill_named reads as such. */
	if (field_named_required(text, name, cap))
		return "This field is required.";
	/* Or its format or its values, the field named first (h1095: "sku
	 * must look like SKU-XXXX (e.g. SKU-AB12)", "category is not valid.
	 * Must be one of: books, toys."): the whole sentence is its words. */
	if (field_named_refusing(text, name, cap))
		return text;
	return NULL;
}

static int fill_prefixed(struct run *run, cJSON *sent, const char *text, const cJSON *post, const cJSON *described,
			 int *n)
{
	char name[64];
	const char *words = words_after_field(text, name, sizeof(name));
	cJSON *one;
	int rc;

	if (!words)
		return 0;
	one = cJSON_CreateObject();
	if (!one || !cJSON_AddStringToObject(one, name, words)) {
		cJSON_Delete(one);
		return err_set("out of memory");
	}
	rc = fill_named(run, sent, one->child, post, described, n);
	cJSON_Delete(one);
	return rc;
}

/* An envelope that names its field apart from its words ({"message":
 * "...", "field": "category"}, also "attr" or "param"), filled as
 * fill_named fills {"category": ["..."]}: 1 when it was such an
 * envelope, 0 when not, -1 out of memory. */
static int fill_field_message(struct run *run, cJSON *sent, const cJSON *obj, const cJSON *post,
			      const cJSON *described, int *n)
{
	static const char *const names[] = { "field", "attr", "param" };
	static const char *const words[] = { "message", "detail", "error", "msg" };
	const cJSON *name = NULL, *said = NULL;
	cJSON *one, *list;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(names) / sizeof(names[0]) && !cJSON_IsString(name); i++)
		name = cJSON_GetObjectItemCaseSensitive(obj, names[i]);
	for (i = 0; i < sizeof(words) / sizeof(words[0]) && !cJSON_IsString(said); i++)
		said = cJSON_GetObjectItemCaseSensitive(obj, words[i]);
	if (!cJSON_IsString(name) || !*name->valuestring || !cJSON_IsString(said))
		return 0;
	one = cJSON_CreateObject();
	list = one ? cJSON_AddArrayToObject(one, name->valuestring) : NULL;
	if (!list || !cJSON_AddItemToArray(list, cJSON_CreateString(said->valuestring))) {
		cJSON_Delete(one);
		return err_set("out of memory");
	}
	rc = fill_named(run, sent, one->child, post, described, n);
	cJSON_Delete(one);
	return rc < 0 ? -1 : 1;
}

/*
 * The members of `obj`, a 400's errors (depth 0) or an envelope inside
 * them, filled as fill_named does: DRF's shape at the top, or up to two
 * envelopes down ({"errores": {"sku": [...]}}, h295; {"error": {"code":
 * ..., "message": ..., "details": {"sku": [...]}}}, h326). A text under
 * one of an envelope's own words ("message": "This field is required.")
 * names no field, at the top too (h409: "message" was filled as a field
 * of a Spring-like envelope), unless the text names one first ("sku: This
 * field is required."); a list under it is DRF's errors of a field so
 * named. 0, or -1 out of memory.
 */
static int fill_envelope(struct run *run, cJSON *sent, const cJSON *obj, const cJSON *post,
			 const cJSON *described, int *n, int depth)
{
	const cJSON *e, *f;
	int rc = 0;

	/* {"message": ..., "field": "category"}: the words are that field's
	 * (h1101: "Input should be 'books', 'toys' or 'games'" filled as a
	 * field "input"). */
	if ((rc = fill_field_message(run, sent, obj, post, described, n)) != 0)
		return rc < 0 ? -1 : 0;
	cJSON_ArrayForEach(e, obj) {
		bool own = is_envelope_key(e->string) && !envelope_word_is_field(run, obj, e, sent);

		if (e->string && !is_messages(e) && cJSON_IsObject(e))
			rc = depth < 2 ? fill_envelope(run, sent, e, post, described, n, depth + 1) : 0;
		else if (own && cJSON_IsString(e))
			rc = fill_prefixed(run, sent, e->valuestring, post, described, n);
		else if (own && is_messages(e))
			/* A list of sentences under an envelope's word (h1101:
			 * {"errors": ["category: must be one of: ..."]}). */
			cJSON_ArrayForEach(f, e) {
				if (rc == 0)
					rc = fill_prefixed(run, sent, f->valuestring, post, described, n);
			}
		else
			rc = fill_named(run, sent, e, post, described, n);
		if (rc < 0)
			break;
	}
	return rc;
}

/* The step's JSON sent once more with `sent` as its body, rs the new
 * answer. 0, or -1 error. */
static int fill_resend(struct run *run, struct http_actor *a, const struct step *s, struct req *r,
		       struct http_response *rs, const cJSON *sent)
{
	struct http_request rq;
	int rc;

	if (req_set_json(r, sent) < 0)
		return err_set("out of memory");
	req_view(r, s, run->o->request_timeout_ms, &rq);
	http_response_release(rs);
	rc = http_send(a, &rq, rs);
	timing_note(run, rs);
	return rc;
}

/* What a pydantic-shaped error asks a field's value to be instead (h491:
 * {"type": "literal_error", "ctx": {"expected": "'books', 'toys' or
 * 'garden'"}, "msg": "Input should be 'books', ..."}): the first value it
 * lists, 1 for a number, true for a boolean, a date, time, duration, URL
 * or e-mail address of its type; NULL when it asks for nothing to take. A
 * new value (caller frees). */
static cJSON *refined_value(const cJSON *item)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(item, "type");
	const cJSON *exp = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(item, "ctx"), "expected");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(item, "msg");
	const char *t = cJSON_IsString(type) ? type->valuestring : "", *from = "";
	cJSON *out = NULL;

	if (!strncmp(t, "int_", 4) || !strncmp(t, "float_", 6) || !strncmp(t, "decimal_", 8)) {
		out = cJSON_CreateNumber(1);
	} else if (!strncmp(t, "bool_", 5)) {
		out = cJSON_CreateTrue();
	} else if (!strncmp(t, "datetime_", 9)) {
		/* A date, time or URL pydantic refused by its type (h871:
		 * a required date filled "sample-...", never sent again),
		 * as DRF's and a form's refusals of them are read. */
		out = cJSON_CreateString("2026-01-01T12:00:00Z");
	} else if (!strncmp(t, "date_", 5)) {
		out = cJSON_CreateString("2026-01-01");
	} else if (!strncmp(t, "time_delta_", 11)) {
		out = cJSON_CreateString("00:45:00");
	} else if (!strncmp(t, "time_", 5)) {
		out = cJSON_CreateString("12:00:00");
	} else if (!strncmp(t, "url_", 4)) {
		out = cJSON_CreateString("https://example.com/");
	} else if (!strcmp(t, "value_error") && cJSON_IsString(msg) && strstr(msg->valuestring, "email address")) {
		/* email-validator's words in pydantic's EmailStr error. */
		out = cJSON_CreateString("grader@example.com");
	} else if (!strcmp(t, "literal_error") || !strcmp(t, "enum")) {
		if (cJSON_IsString(exp))
			from = exp->valuestring;
		else if (cJSON_IsString(msg))
			from = msg->valuestring + (strncmp(msg->valuestring, INPUT_SHOULD_BE, sizeof(INPUT_SHOULD_BE) - 1)
							   ? 0
							   : sizeof(INPUT_SHOULD_BE) - 1);
		out = listed_value(from);
	}
	return out;
}

/* The VALUE of the first line of `lines` ("VALUE\tWORDS" a line: the
 * boot's drf_types and form_types, words in the app's language) whose
 * WORDS start `text`, into buf (cap bytes); NULL: none. */
static const char *words_line_value(const char *lines, const char *text, char *buf, size_t cap)
{
	const char *p = lines, *tab, *eol, *out = NULL;

	for (; !out && p && *p; p = *eol ? eol + 1 : eol) {
		eol = p + strcspn(p, "\n");
		tab = memchr(p, '\t', (size_t)(eol - p));
		if (tab && (size_t)(tab - p) < cap && eol > tab + 1 && !strncmp(text, tab + 1, (size_t)(eol - tab - 1))) {
			snprintf(buf, cap, "%.*s", (int)(tab - p), p);
			out = buf;
		}
	}
	return out;
}

/* The value a line of the boot's drf_types ("VALUE\tWORDS", DRF's words
 * in the app's language) asks for when `text` starts with its words, or
 * NULL (h585: "Eine gültige Zahl ist erforderlich."). */
static cJSON *drf_localized_value(const struct run *run, const char *text)
{
	char value[64];

	return words_line_value(run->o->boot ? run->o->boot->drf_types : NULL, text, value, sizeof(value))
		       ? cJSON_Parse(value)
		       : NULL;
}

/* The value DRF's refusal of a blind fill's type asks for, in its own
 * words ({"price_new": ["A valid number is required."]}, h526: a function
 * view's serializer, which OPTIONS does not describe), or in the app's
 * language (drf_localized_value), or the first value its message lists in
 * pydantic's words (words_listed_value), or NULL. */
/* Whether DRF's refusal says the value is taken ("product with this
 * barcode already exists."). */
static bool drf_says_taken(const cJSON *msgs)
{
	const cJSON *m = cJSON_IsArray(msgs) ? msgs->child : msgs;
	size_t n = cJSON_IsString(m) ? strlen(m->valuestring) : 0;

	return n > 16 && !strcmp(m->valuestring + n - 16, " already exists.");
}

/*
 * The lengths one message states, *lo and *hi (0 where it states none):
 * DRF's words and those of Django's validators a model field's own
 * validators= raise, which DRF passes on and OPTIONS never describes
 * (h645: MaxLengthValidator(12) on a TextField; MinLengthValidator(20));
 * marshmallow's validate.Length and pydantic's (h1163: "Length must be
 * between 3 and 12.", a 17-character fill refused by every create); and a
 * range in the app's own words about characters or letters ("Use 4 to 16
 * upper-case letters, digits or dashes.", h1163).
 */
static void length_said(const char *m, int *lo, int *hi)
{
	static const char *const most[] = {
		"Ensure this field has no more than %d characters.", "Ensure this value has at most %d characters",
		"Longer than maximum length %d.", "String should have at most %d character", NULL,
	};
	static const char *const least[] = {
		"Ensure this field has at least %d characters.", "Ensure this value has at least %d characters",
		"Shorter than minimum length %d.", "String should have at least %d character", NULL,
	};
	const char *p;
	int i, a = 0, b = 0;

	*lo = *hi = 0;
	for (i = 0; most[i] && !*hi; i++)
		if (sscanf(m, most[i], hi) != 1)
			*hi = 0;
	for (i = 0; least[i] && !*lo; i++)
		if (sscanf(m, least[i], lo) != 1)
			*lo = 0;
	if (!*lo && !*hi && sscanf(m, "Length must be between %d and %d.", &a, &b) == 2) {
		*lo = a;
		*hi = b;
	} else if (!*lo && !*hi && sscanf(m, "Length must be %d.", &a) == 1) {
		*lo = *hi = a;
	}
	for (p = m; !*lo && !*hi && (strstr(m, "character") || strstr(m, "letter")) && *p; p++)
		if (isdigit((unsigned char)*p) && (p == m || !isalnum((unsigned char)p[-1])) &&
		    (sscanf(p, "%d to %d ", &a, &b) == 2 || sscanf(p, "%d and %d ", &a, &b) == 2) && a <= b) {
			*lo = a;
			*hi = b;
		}
}

/* The length a refusal states (length_said, in each of its messages: a
 * rule of the app's own may come first, h935: "Use upper-case letters,
 * digits or dashes." before "Ensure this field has no more than 12
 * characters."): the most with `most`, else the least; 0 when it states
 * none. */
static int refused_length(const cJSON *msgs, bool most)
{
	const cJSON *m = cJSON_IsArray(msgs) ? msgs->child : msgs;
	int n = 0, lo, hi;

	for (; m && !n; m = cJSON_IsArray(msgs) ? m->next : NULL) {
		if (!cJSON_IsString(m))
			continue;
		length_said(m->valuestring, &lo, &hi);
		n = most ? hi : lo;
		if (n < 1 || n > 100)
			n = 0;
	}
	return n;
}

/* The last way run->fill_refined holds for field `name` (a keep of
 * text_as_asked's: its max_length, min_length, upper), or NULL. */
static const cJSON *refined_last(const struct run *run, const char *name)
{
	const cJSON *e, *last = NULL;

	cJSON_ArrayForEach(e, run->fill_refined)
		if (e->string && !strcmp(e->string, name) && cJSON_IsObject(e))
			last = e;
	return last;
}

/*
 * What a refusal asks of a text, with what the field's earlier refusals
 * and value told: a refusal says one rule at a time (h935: a value made
 * in capitals for "upper-case letters" was 17 long, refused for 12, then
 * made of the right length in small letters, three rounds spent). Where
 * the words ask for capitals or a length, the other comes from the last
 * way the field was made (refined_last), else for a length the value
 * sent, which was refused for no length. *max, *min, *upper in and out.
 */
static void refusal_merge(const struct run *run, const cJSON *f, int *max, int *min, bool *upper)
{
	const cJSON *prev = f->string ? refined_last(run, f->string) : NULL;
	const cJSON *pmax = cJSON_GetObjectItemCaseSensitive(prev, "max_length");
	const cJSON *pmin = cJSON_GetObjectItemCaseSensitive(prev, "min_length");
	size_t len = cJSON_IsString(f) ? strlen(f->valuestring) : 0;

	if (!*max && !*min && !*upper)
		return;
	*upper = *upper || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(prev, "upper"));
	if (!*max && !*min && cJSON_IsNumber(pmax))
		*max = (int)pmax->valuedouble;
	else if (!*max && !*min && cJSON_IsNumber(pmin))
		*min = (int)pmin->valuedouble;
	else if (!*max && !*min && len >= 1 && len <= 100)
		*max = (int)len;
}

/* The UUID a refusal of one is sent (fill_refine makes it unique). */
#define FILL_UUID "00000000-0000-4000-8000-000000000001"

/* A date in the format a refusal names in DRF's way ("Date has wrong
 * format. Use one of these formats instead: DD.MM.YYYY.", a DateField's
 * input_formats; in any language, h673): its first such format, its
 * YYYY, MM and DD made 2000, 01, 01; NULL when it names none of D, M and
 * Y alone (a datetime's hh is left to the ISO value). */
static cJSON *date_as_formatted(const char *words)
{
	const char *y = strstr(words, "YYYY"), *from, *to;
	char out[32];
	size_t n = 0;

	if (!y)
		return NULL;
	for (from = y; from > words && strchr("DMY.-/ ", from[-1]); from--)
		;
	for (to = y; *to && strchr("DMY.-/ ", *to); to++)
		;
	/* A date and time ("YYYY-MM-DDThh:mm"): not a date's format. */
	if (isalpha((unsigned char)*to))
		return NULL;
	while (from < to && strchr(".-/ ", *from))
		from++;
	while (to > from && strchr(".-/ ", to[-1]))
		to--;
	while (from < to && n + 4 < sizeof(out)) {
		if (!strncmp(from, "YYYY", 4)) {
			memcpy(out + n, "2000", 4);
			n += 4;
			from += 4;
		} else if (!strncmp(from, "MM", 2) || !strncmp(from, "DD", 2)) {
			memcpy(out + n, "01", 2);
			n += 2;
			from += 2;
		} else if (strchr(".-/", *from)) {
			out[n++] = *from++;
		} else {
			return NULL;   /* a space, a lone letter: no date format */
		}
	}
	out[n] = '\0';
	return n >= 8 && from == to ? cJSON_CreateString(out) : NULL;
}

static cJSON *drf_refined_value(const struct run *run, const cJSON *msgs)
{
	/* DRF's words (the format errors end in the formats it takes, so
	 * their start is compared) and the value each asks for, as JSON. */
	static const char *const types[][2] = {
		{ "A valid integer is required.", "1" }, { "A valid number is required.", "1" },
		{ "Must be a valid boolean.", "true" },
		{ "Must be a valid UUID.", "\"" FILL_UUID "\"" },
		{ "Date has wrong format.", "\"2000-01-01\"" },
		{ "Datetime has wrong format.", "\"2000-01-01T00:00:00Z\"" },
		{ "Time has wrong format.", "\"12:00:00\"" },
		{ "Duration has wrong format.", "\"00:45:00\"" },
		/* Django's validators' words, which DRF's IPAddressField
		 * says (h668). */
		{ "Enter a valid IPv4 or IPv6 address.", "\"127.0.0.1\"" },
		{ "Enter a valid IPv4 address.", "\"127.0.0.1\"" }, { "Enter a valid IPv6 address.", "\"::1\"" },
	};
	const cJSON *m = cJSON_IsArray(msgs) ? msgs->child : msgs;
	cJSON *v;
	size_t i;

	/* A date in the format the refusal names first, where it names one
	 * (h673: "DD.MM.YYYY", sent "2000-01-01" at every create). */
	if (cJSON_IsString(m) && (v = date_as_formatted(m->valuestring)))
		return v;
	for (i = 0; cJSON_IsString(m) && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strncmp(m->valuestring, types[i][0], strlen(types[i][0])))
			return cJSON_Parse(types[i][1]);
	if (cJSON_IsString(m) && (v = drf_localized_value(run, m->valuestring)))
		return v;
	return words_listed_value(msgs);
}

/* `v` (taken) in place of the blind fill's `name` in `sent`, and kept in
 * run->fill_refined for the memo: `v` itself, or `keep` (taken, non-NULL)
 * where each create needs a value of its own ({"max_length": N}:
 * fill_memo_one makes a fresh one). 0, or -1 (out of memory). */
static int fill_refined_keep(struct run *run, cJSON *sent, const char *name, cJSON *v, cJSON *keep)
{
	if (!keep)
		keep = cJSON_Duplicate(v, true);
	if ((!run->fill_refined && !(run->fill_refined = cJSON_CreateObject())) || !keep ||
	    !cJSON_AddItemToObject(run->fill_refined, name, keep)) {
		cJSON_Delete(keep);
		cJSON_Delete(v);
		return err_set("out of memory");
	}
	if (!cJSON_ReplaceItemInObjectCaseSensitive(sent, name, v)) {
		cJSON_Delete(v);
		return err_set("out of memory");
	}
	return 0;
}

/* An error item's words: drf-standardized-errors' "detail", a handler's
 * "message", pydantic's "msg", an RFC 9457 invalid_params item's
 * "reason"; NULL when none is a string. */
static const cJSON *item_words(const cJSON *item)
{
	static const char *const keys[] = { "detail", "message", "msg", "reason" };
	const cJSON *w = NULL;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && !cJSON_IsString(w); i++)
		w = cJSON_GetObjectItemCaseSensitive(item, keys[i]);
	return cJSON_IsString(w) ? w : NULL;
}

/* Whether a refusal's words (a string, or a list of them) ask for
 * capitals: "upper-case", "uppercase", "upper case", "capital", and the
 * languages words_template reads (h869: "solo admite letras mayúsculas,
 * cifras y guiones"). */
static bool words_ask_capitals(const cJSON *words)
{
	static const char *const said[] = {"upper-case", "uppercase", "upper case", "capital", "may\xc3\xbascul",
					   "mai\xc3\xbascul", "majuscul", "gro\xc3\x9f" "buchstab", "grossbuchstab",
					   "maiuscol", "hoofdletter"};
	const cJSON *w, *list = cJSON_IsArray(words) ? words : NULL;
	size_t i;
	bool asks = false;

	if (cJSON_IsString(words))
		for (i = 0; i < sizeof(said) / sizeof(said[0]) && !asks; i++)
			asks = strcasestr(words->valuestring, said[i]) != NULL;
	cJSON_ArrayForEach(w, list)
		asks = asks || words_ask_capitals(w);
	return asks;
}

/* A made-up text as a refusal asks for it, made afresh for each create as
 * `*keep` says (taken by the caller): in the format its `words` spell out
 * ("SKU must look like SKU-XXXX", words_template), where no longer than
 * `max`; else within the length `max` (or, without one, `min`) it states,
 * in capitals where it asks for them (h863), and, where they spell out no
 * format, with what the field's value sent, `prev` (NULL: none), and its
 * earlier refusals told (refusal_merge).
 * NULL when it asks for neither. DRF's words and pydantic's (Django
 * Ninja's 422, h657) alike. */
static cJSON *text_as_asked(struct run *run, const cJSON *words, int max, int min, const cJSON *prev,
			    cJSON **keep)
{
	cJSON *v = NULL;
	char tmpl[64];
	bool upper = words_ask_capitals(words), spelt;

	*keep = cJSON_CreateObject();
	spelt = *keep && words_template(words, tmpl, sizeof(tmpl));
	if (!spelt && prev)
		refusal_merge(run, prev, &max, &min, &upper);
	if (spelt && (!max || strlen(tmpl) <= (size_t)max)) {
		/* The same words again after a fill of their X's as capitals:
		 * the X's were digits (h908: "SKU must look like SKU-XXXX" of
		 * a pattern of four digits refused SKU-BOGT, 85 points). */
		bool again = !strcmp(tmpl, run->tmpl_tried) && strchr(tmpl, 'X');
		size_t i;

		snprintf(run->tmpl_tried, sizeof(run->tmpl_tried), "%s", tmpl);
		for (i = 0; again && tmpl[i]; i++)
			if (tmpl[i] == 'X')
				tmpl[i] = '#';
		v = cJSON_AddStringToObject(*keep, "template", tmpl) ? fill_value(run, *keep) : NULL;
	} else if (*keep && (max || min || upper) && (!upper || cJSON_AddTrueToObject(*keep, "upper")) &&
		   (!(max || min) || cJSON_AddNumberToObject(*keep, max ? "max_length" : "min_length", max ? max : min))) {
		v = fill_value(run, *keep);
	}
	if (!v) {
		cJSON_Delete(*keep);
		*keep = NULL;
	}
	return v;
}

/* The length a pydantic-shaped error's ctx gives a text: its max_length
 * for string_too_long (`most`), its min_length for string_too_short; 0
 * otherwise. */
static int loc_length(const cJSON *item, bool most)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(item, "type");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(item, "ctx"),
							  most ? "max_length" : "min_length");

	return cJSON_IsString(type) && !strcmp(type->valuestring, most ? "string_too_long" : "string_too_short") &&
			       cJSON_IsNumber(n) && n->valuedouble >= 1 && n->valuedouble <= 100
		       ? (int)n->valuedouble
		       : 0;
}

/* Whether two names are one field's, the API's snake_case and its
 * camelCase renderer's (h661: OPTIONS said skuCode, drf-standardized-errors'
 * attr sku_code): equal but for case and underscores. */
static bool same_field(const char *a, const char *b)
{
	while (*a || *b) {
		if (*a == '_' || *b == '_') {
			a += *a == '_';
			b += *b == '_';
			continue;
		}
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		a++;
		b++;
	}
	return true;
}

/* A field's messages in a refusal: its member at the top (DRF's shape),
 * else in one or two envelopes, as fill_envelope reads the names (h661:
 * {"error": {"code": ..., "details": {"skuCode": [...]}}}, RFC 7807's
 * {"errors": {"skuCode": [...]}}); NULL when none names it. */
static const cJSON *refusal_messages(const cJSON *errs, const char *name, int depth)
{
	const cJSON *said = cJSON_GetObjectItemCaseSensitive(errs, name), *e;

	if (said && is_messages(said))
		return said;
	said = NULL;
	if (depth < 2 && cJSON_IsObject(errs))
		cJSON_ArrayForEach(e, errs)
			if (!said && e->string && cJSON_IsObject(e))
				said = refusal_messages(e, name, depth + 1);
	return said;
}

/* A field's words in an envelope's message "NAME: words" (an RFC 9457
 * problem's detail, "sku: SKU must look like SKU-XXXX", h680), the field
 * written as the API spells it (same_field), read as fill_prefixed reads
 * a required one (words_after_field): a new string, or NULL. */
static cJSON *prefixed_words(const cJSON *errs, const char *name)
{
	const cJSON *e, *obj = cJSON_IsObject(errs) ? errs : NULL;
	cJSON *words = NULL;
	const char *said;
	char field[64];

	cJSON_ArrayForEach(e, obj)
		if (!words && is_envelope_key(e->string) && cJSON_IsString(e) &&
		    (said = words_after_field(e->valuestring, field, sizeof(field))) && same_field(field, name))
			words = cJSON_CreateString(said);
	return words;
}

/*
 * A blind fill (OPTIONS described no field) refused for its made-up
 * value's format, in pydantic's shape (refined_value) or DRF's for a type
 * (drf_refined_value): as a person reading the error would, the value it
 * asks for in place of the grader's, sent once more; run->filled then says
 * the values sent. Only fields the grader filled (`sent`'s members after
 * the step's own `nsent`). 1 sent again (rs the new answer), 0 nothing
 * to refine (rs as it was), -1 error.
 */
static int fill_refine(struct run *run, struct http_actor *a, const struct step *s, struct req *r,
		       struct http_response *rs, cJSON *sent, int nsent)
{
	/* Django's own shape made DRF's (answer_errors: h686, a form's
	 * get_json_data() refusing the made-up SKU's format, never read). */
	cJSON *errs = answer_errors(rs), *f, *v, *nx, *keep;
	cJSON *own = NULL;
	const cJSON *e;
	const char *last;
	int rc = 0, i, changed = 0;

	cJSON_ArrayForEach(e, loc_errors(errs)) {
		/* Or a list of {"attr"|"field", "detail"|"message"}: DRF's
		 * words in drf-standardized-errors' shape or a handler's own
		 * (h612: "A valid integer is required." there, never refined). */
		last = error_item_field(e);
		for (i = 0, f = sent ? sent->child : NULL; f; f = f->next, i++)
			if (i >= nsent && last && f->string && same_field(f->string, last))
				break;
		keep = NULL;
		if (!f || (!(v = refined_value(e)) && !(v = drf_refined_value(run, item_words(e))) &&
			   !(v = text_as_asked(run, item_words(e), loc_length(e, true), loc_length(e, false), NULL,
					       &keep))))
			continue;
		if (fill_refined_keep(run, sent, f->string, v, keep) < 0) {
			rc = -1;
			goto done;
		}
		changed++;
	}
	/* The member replaced is freed: the next one is taken first. */
	for (i = 0, f = cJSON_IsObject(errs) && sent ? sent->child : NULL; f; f = nx, i++) {
		const cJSON *said = f->string ? refusal_messages(errs, f->string, 0) : NULL;
		int max, min;

		nx = f->next;
		keep = NULL;
		cJSON_Delete(own);
		own = NULL;
		if (i < nsent || !f->string)
			continue;
		/* Or said in a message's "NAME: words" (prefixed_words). */
		if (!said)
			said = own = prefixed_words(errs, f->string);
		/* A length DRF states where no OPTIONS gave it (h607: a
		 * 12-character SKU refused "sample-NONCE-1"): a text as
		 * short, unique, made afresh for each create; or as long
		 * (h645: a description of at least 20 characters). */
		max = refused_length(said, true);
		min = max ? 0 : refused_length(said, false);
		/* A format its refusal spells out (h632: "SKU must look like
		 * SKU-XXXX"), for a text, first, where a length is refused
		 * beside it (h633: a RegexField of max_length 8, "SKU-XXXX"
		 * long); else the length, made as a fill OPTIONS gave that
		 * length is (fill_value), afresh for each create after
		 * (fill_memo_one). */
		v = text_as_asked(run, cJSON_IsString(f) ? said : NULL, max, min, cJSON_IsString(f) ? f : NULL, &keep);
		if (!v && cJSON_IsNumber(f) && drf_says_taken(said)) {
			/* A unique number of the grader's taken by its earlier
			 * create (h606: a required unique barcode, 1 each time). */
			v = cJSON_CreateNumber(unique_number(f->valuedouble));
			keep = cJSON_CreateObject();
			if (keep)
				cJSON_AddNumberToObject(keep, "unique_number", f->valuedouble);
		} else if (!v && !(v = drf_refined_value(run, said))) {
			continue;
		}
		/* A UUID asked for: one for each create, as a unique
		 * reference takes (h668: the second product refused
		 * "already exists"). */
		if (!keep && cJSON_IsString(v) && !strcmp(v->valuestring, FILL_UUID)) {
			cJSON_Delete(v);
			v = unique_uuid();
			keep = cJSON_CreateObject();
			if (keep)
				cJSON_AddTrueToObject(keep, "unique_uuid");
		}
		if (fill_refined_keep(run, sent, f->string, v, keep) < 0) {
			rc = -1;
			goto done;
		}
		changed++;
	}
	if (!changed)
		goto done;
	gbuf_reset(&run->filled);
	for (i = 0, f = sent->child; f; f = f->next, i++)
		if (i >= nsent)
			filled_said(run, f->string, f);
	rc = fill_resend(run, a, s, r, rs, sent);
	rc = rc < 0 ? rc : 1;
done:
	cJSON_Delete(own);
	cJSON_Delete(errs);
	return rc;
}

/* fill_refine again while each answer refuses what it asked before for a
 * reason of its own: a form reports a field's length first and its
 * format only once the length passes (h686: an 8-character SKU, then
 * "SKU must look like SKU-1234", never read). At most FILL_REFINE_ROUNDS
 * sends. 0, or -1. */
static int fill_refine_rounds(struct run *run, struct http_actor *a, const struct step *s, struct req *r,
			      struct http_response *rs, cJSON *sent, int nsent)
{
	int rc = 1, round;

	for (round = 0; rc == 1 && round < FILL_REFINE_ROUNDS && rs->fault == HTTP_FAULT_NONE &&
			(rs->status == 400 || rs->status == 422);
	     round++)
		rc = fill_refine(run, a, s, r, rs, sent, nsent);
	/* Taken: a later refusal in the same words is no sign its X's were
	 * digits (text_as_asked). */
	if (rs->status >= 200 && rs->status < 300)
		run->tmpl_tried[0] = '\0';
	return rc < 0 ? -1 : 0;
}

/*
 * A step that creates something from JSON (`fill_required`) answered 400
 * saying something is required ("This field is required."): the app's own
 * required fields beyond the contract's, which SPEC.md allows ("a Product
 * with at least ..."). As a person filling a form would, the grader asks
 * the API what they are (DRF's OPTIONS: actions.POST, each field's
 * `required`), makes up plausible values and sends the request once more;
 * run->filled names them for the message. The fields filled are those the
 * errors name at their top ({"sku": [...]}, DRF's shape) or in that shape
 * inside one or two envelopes (fill_envelope), in pydantic's
 * list of {"loc": [..., "sku"]} (an API validating with pydantic, Django
 * Ninja's, FastAPI's; h223) or drf-standardized-errors' {"errors": [{"code":
 * "required", "attr": "sku"}]} (h259), and those OPTIONS calls required: an app's
 * own error envelope ({"errors": [{"field": "sku", ...}]}) names them in a
 * shape no reader could know. Without the
 * retry, one extra required field (an SKU) failed every check that creates
 * a product. 0 (rs holds the answer to judge), -1 error.
 */
/* Whether a create whose fields an earlier create's memo filled
 * (fill_memo_apply) was refused for their values, not for a field
 * missing: a unique number taken by that create (h606). */
static bool memo_fill_refused(struct run *run, const cJSON *errs, const cJSON *sent)
{
	return cJSON_IsObject(sent) && cJSON_IsObject(errs) && run->filled.len && !error_says_required(run, errs) &&
	       !errors_name_unsent(run, errs, sent, 0);
}

/* Such a create refined as a blind fill is (fill_refine), the fields from
 * the first the grader filled on. 0, or -1. */
static int memo_fill_refine(struct run *run, struct http_actor *a, const struct step *s, struct req *r,
			    struct http_response *rs, cJSON *sent)
{
	const cJSON *f;
	int nsent = 0;

	for (f = sent->child; f && !list_within(f->string ? f->string : "", gbuf_str(&run->filled)); f = f->next)
		nsent++;
	return fill_refine_rounds(run, a, s, r, rs, sent, nsent);
}

static int json_fill_required(struct run *run, struct http_actor *a, const struct step *s, struct req *r,
			      struct http_response *rs)
{
	struct http_request rq;
	struct http_response opt = HTTP_RESPONSE_INIT;
	/* 422 too: Django Ninja's and FastAPI's answer to a missing field (h266). */
	char *ct = rs->status == 400 || rs->status == 422 ? http_response_header(rs, "Content-Type") : NULL;
	/* A 500 too, filled only as OPTIONS describes it: a required field
	 * whose absence the app's own code trips on before any validation
	 * (h443: django-money's price_currency, a Decimal without it). */
	bool crashed = rs->status == 500 && rs->fault == HTTP_FAULT_NONE;
	cJSON *errs = NULL, *sent = NULL, *meta = NULL, *e;
	const cJSON *post, *named, *described;
	int rc = 0, n = 0, nsent = 0;

	if (!crashed && (!ct || !strstr(ct, "json")))
		goto done;
	errs = crashed ? NULL : answer_errors(rs);
	sent = cJSON_ParseWithLength(r->body.data ? r->body.data : "", r->body.len);
	if (!crashed && memo_fill_refused(run, errs, sent)) {
		rc = memo_fill_refine(run, a, s, r, rs, sent);
		goto done;
	}
	if (!cJSON_IsObject(sent) || (!crashed && !(error_says_required(run, errs) ||
						    (cJSON_IsObject(errs) && errors_name_unsent(run, errs, sent, 0)))))
		goto done;
	nsent = cJSON_GetArraySize(sent);
	req_view(r, s, run->o->request_timeout_ms, &rq);
	rq.method = "OPTIONS";
	rq.body = NULL;
	rq.body_len = 0;
	rc = http_send(a, &rq, &opt);
	timing_note(run, &opt);
	if (rc < 0)
		goto done;
	if (opt.status == 200)
		meta = cJSON_ParseWithLength(opt.body.data ? opt.body.data : "", opt.body.len);
	post = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(meta, "actions"), "POST");
	named = cJSON_IsObject(errs) ? errs : NULL;
	/* An OPTIONS whose POST lists no field describes none ({"actions":
	 * {"POST": {}}}: a PolymorphicSerializer declares none, h554): the
	 * 400's names are filled blind, as where OPTIONS is off. */
	described = cJSON_IsObject(post) && post->child ? post : NULL;
	if (crashed && !described)
		goto done;   /* nothing named, nothing described: never blind */
	/* DRF's shape: a field's messages (a list, or one), under a name
	 * OPTIONS knows when it answers; not an envelope's own key, but
	 * DRF's shape one level inside one ({"errores": {"sku": [...]}}, an
	 * exception handler's, h295: SPEC.md's "as its 400 answer names
	 * it"). */
	if (fill_envelope(run, sent, named, post, described, &n, 0) < 0)
		goto oom;
	cJSON_ArrayForEach(e, loc_errors(errs)) {
		const char *f = loc_field(run, e);

		if (f && !cJSON_HasObjectItem(sent, f) && (!described || cJSON_HasObjectItem(described, f)) &&
		    ++n <= FILL_FIELDS_MAX && fill_one(run, sent, f, cJSON_GetObjectItemCaseSensitive(post, f)) < 0)
			goto oom;
	}
	cJSON_ArrayForEach(e, described) {
		if (e->string && !cJSON_HasObjectItem(sent, e->string) && !cJSON_HasObjectItem(named, e->string) &&
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "required")) &&
		    !cJSON_IsTrue(meta_item(e, "read_only")) && ++n <= FILL_FIELDS_MAX &&
		    fill_one(run, sent, e->string, e) < 0)
			goto oom;
	}
	if (!described && !run->filled.len && !run->unfillable.len)
		run->options_bare = opt.status ? opt.status : -1;
	run->fill_guessed = !described && run->filled.len;
	if (!run->filled.len || n > FILL_FIELDS_MAX)
		goto done;
	rc = fill_resend(run, a, s, r, rs, sent);
	/* Refined where OPTIONS described the fields too: it calls a UUID
	 * a string, and cannot say a number must be unique (h606). */
	if (rc == 0)
		rc = fill_refine_rounds(run, a, s, r, rs, sent, nsent);
	if (rc == 0 && rs->fault == HTTP_FAULT_NONE && rs->status >= 200 && rs->status < 300 &&
	    !run->unfillable.len && fill_memo_keep(run, r, sent, nsent, post) < 0)
		goto oom;
	goto done;
oom:
	rc = err_set("out of memory");
done:
	free(ct);
	cJSON_Delete(errs);
	cJSON_Delete(sent);
	cJSON_Delete(meta);
	http_response_release(&opt);
	return rc < 0 ? -1 : 0;
}

/* The form's errors a 2xx HTML answer shows (html.c's form_errors), or
 * NULL: another answer, or none shown. A new value (caller frees). */
static cJSON *answer_form_errors(struct eval_ctx *ctx, const struct http_response *rs)
{
	struct assertion q;
	struct gbuf why = GBUF_INIT(1024);
	cJSON *v = NULL;
	char *ct = NULL;

	if (rs->status < 200 || rs->status >= 300 || !rs->body.len)
		goto done;
	ct = http_response_header(rs, "Content-Type");
	if (!ct || !strstr(ct, "html"))
		goto done;
	memset(&q, 0, sizeof(q));
	q.query = Q_FORM_ERRORS;
	if (query_eval(&q, ctx, &v, &why) != 0 || !cJSON_IsObject(v) || !v->child) {
		cJSON_Delete(v);
		v = NULL;
	}
done:
	free(ct);
	gbuf_release(&why);
	return v;
}

/* A re-shown form's field that called the value sent no valid choice
 * (Django's ChoiceField and ModelChoiceField: "Select a valid choice.";
 * a status form whose select sends the Status table's ids refusing
 * "pending", h550; a multipart form's too, h1283: a recipe's category a
 * ForeignKey of ids): "status=pending" in run->refused_choice. */
static void refused_choice_note(struct run *run, const struct req *r, const cJSON *errors)
{
	const cJSON *it;
	char val[64];

	run->refused_choice[0] = '\0';
	cJSON_ArrayForEach(it, errors)
		if (!run->refused_choice[0] && it->string && messages_say(it, "valid choice") &&
		    sent_value(r, it->string, val, sizeof(val)))
			snprintf(run->refused_choice, sizeof(run->refused_choice), "%s=%s", it->string, val);
}

/*
 * After a request passed its step: for one sending data,
 * run->refused_form holds what the form it re-showed complained about,
 * when it answered 2xx with a form's errors (a status form refusing
 * "pending" for a select of numbers: the step allows 200, the save never
 * happened), else nothing; for a form sent as a GET, that request.
 * Not for a step that asks for the errors itself (an upload refused on
 * purpose).
 */
static void refused_form_note(struct run *run, const struct step *s, struct eval_ctx *ctx, const struct req *r,
			      const struct http_response *rs, const char *desc)
{
	cJSON *v = NULL;
	size_t i;

	if (r->form_no_method) {
		/* A form sent as a GET passed on a 2xx, and saved nothing:
		 * later steps missing what it should have made say so first
		 * (after_refused_form). */
		gbuf_reset(&run->refused_form);
		gbuf_addf(&run->refused_form, "%s answered %ld%s", desc, rs->status,
			  r->form_htmx ? NO_METHOD_HTMX : NO_METHOD);
		run->refused_as_get = true;
		return;
	}
	if (!http_method_is_unsafe(r->method ? r->method : "GET"))
		return;
	for (i = 0; i < s->nasserts && s->asserts[i].query != Q_FORM_ERRORS; i++)
		;
	v = i == s->nasserts ? answer_form_errors(ctx, rs) : NULL;
	/* A post of no form answered without a form's errors keeps an
	 * earlier form's refusal (h1038: staff's status post for a ticket
	 * the form never made hid why the dashboard lacked them all). */
	if (!v && !s->submit)
		return;
	gbuf_reset(&run->refused_form);
	run->refused_as_get = false;
	run->refused_choice[0] = '\0';
	if (v && formset_unmanaged(r, v)) {
		/* Said as the step that asked would say it (h495). */
		gbuf_addf(&run->refused_form, "%s answered %ld with a formset's error", desc, rs->status);
		formset_hint(r, v, &run->refused_form);
	} else if (v) {
		gbuf_addf(&run->refused_form, "%s answered %ld with the form's errors ", desc, rs->status);
		value_excerpt(v, &run->refused_form, run->choiceless.len ? 60 : 120);
		refused_choice_note(run, r, v);
		/* Its cause where a required select had nothing to pick, as
		 * the step's own refusal says it (h1045: the list read after
		 * it quoted the errors alone). */
		if (s->submit && run->choiceless.len)
			gbuf_addf(&run->refused_form, " (%s had no choice: a new database is empty; add its choices in "
				  "a migration)", gbuf_str(&run->choiceless));
	}
	cJSON_Delete(v);
}

/*
 * A submitted form answered with the form again, its errors naming a box
 * group the grader left unticked (html.h's tick: Django's
 * CheckboxSelectMultiple marks none of its boxes `required`, so a required
 * group of tags looks optional, h189): sent once more with the first box of
 * each such group ticked, as a person does after reading the error, and
 * said among the fields the grader filled in. 0 (rs is the new answer when
 * it was sent again), -1 error.
 */
static int form_tick_boxes(struct run *run, struct http_actor *a, const struct step *s, struct req *r,
			   struct http_response *rs)
{
	struct http_request rq;
	struct eval_ctx ctx;
	cJSON *v;
	size_t i, added = 0;
	int rc = 0;

	bool summary;

	eval_ctx_init(&ctx, rs, run->http, run->vars, run->c->dir);
	v = r->tick_names.n ? answer_form_errors(&ctx, rs) : NULL;
	/* Errors in one list above the form, none at a field ("Please tick
	 * at least one browser", h603): every unticked group is ticked, as
	 * its own name would have been. Not a sign-in's: its form-wide error
	 * is the wrong password, and sending it again was one more failed
	 * attempt, which locked a counting app out (h618: "Remember me"). */
	summary = !r->form_password && v && v->child && !v->child->next && v->child->string &&
		  !strcmp(v->child->string, "__all__");
	for (i = 0; v && i < r->tick_names.n && rc == 0; i++) {
		const char *n = r->tick_names.v[i], *val = r->tick_values.v[i];

		/* A group, in that case: a lone box (a yes/no, "vegetarian",
		 * "save as draft") says something of its own, which no error
		 * above the form asked for (h700: ticked, it made the form
		 * ask for calories, or hid the recipe as a draft). */
		if (summary ? !strlist_has(&r->tick_groups, n) : !cJSON_GetObjectItemCaseSensitive(v, n))
			continue;
		rc = r->nparts ? submit_add_field(r, true, n, val) : urlencode_pair(r, n, val);
		if (rc == 0 && run->filled.len < 200)
			gbuf_addf(&run->filled, "%s%s", run->filled.len ? ", " : "", n);
		added++;
	}
	cJSON_Delete(v);
	eval_ctx_release(&ctx);
	if (rc == 0 && added) {
		req_view(r, s, run->o->request_timeout_ms, &rq);
		http_response_release(rs);
		rc = http_send(a, &rq, rs);
		timing_note(run, rs);
	}
	return rc < 0 ? -1 : 0;
}

/* The value a Django form's refusal of a value's type asks for (its
 * English words, or the app's language's from the boot), or NULL. */
static const char *form_type_value(const struct run *run, const char *text, char *buf, size_t cap)
{
	static const char *const types[][2] = {
		{ "Enter a valid time.", "12:00" }, { "Enter a whole number.", "1" }, { "Enter a number.", "1" },
		{ "Enter a valid duration.", "00:45:00" },
		{ "Enter a valid UUID.", "00000000-0000-4000-8000-000000000001" },
		{ "Enter a valid email address.", "grader@example.com" }, { "Enter a valid URL.", "https://example.com/" },
		{ "Enter a valid IPv4 or IPv6 address.", "127.0.0.1" }, { "Enter a valid IPv4 address.", "127.0.0.1" },
		{ "Enter a valid IPv6 address.", "::1" },
	};
	const char *out = NULL;
	size_t i;
	long n;

	/* A date is today's, as the form's own date boxes get (html.h). */
	if (!strcmp(text, "Enter a valid date."))
		out = html_fill_date("date", buf, cap);
	else if (!strcmp(text, "Enter a valid date/time."))
		out = html_fill_date("date/time", buf, cap);
	for (i = 0; !out && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(text, types[i][0]))
			out = types[i][1];
	/* A bound Django's validators state and the widget did not (h655: a
	 * MinValueValidator(5) rendered min="0", the grader's 1 refused):
	 * the bound itself. */
	if (!out && (sscanf(text, "Ensure this value is greater than or equal to %ld.", &n) == 1 ||
		     sscanf(text, "Ensure this value is less than or equal to %ld.", &n) == 1)) {
		snprintf(buf, cap, "%ld", n);
		out = buf;
	}
	return out ? out : words_line_value(run->o->boot ? run->o->boot->form_types : NULL, text, buf, cap);
}

/* form_type_value of a refusal, or of its words after a label
 * ("Preparation time: Enter a valid duration.", a list of a template's
 * own that names each field, h700). */
static const char *form_type_said(const struct run *run, const char *text, char *buf, size_t cap)
{
	const char *out = form_type_value(run, text, buf, cap), *colon = strrchr(text, ':');

	if (!out && colon && colon[1] == ' ')
		out = form_type_value(run, colon + 2, buf, cap);
	return out;
}

/* The rows a formset's refusal asks for in its form-wide errors: Django's
 * "Please submit at least 2 forms." (4.0 on; before, "Please submit 2 or
 * more forms."), else 0. */
static long rows_asked(const cJSON *all)
{
	const cJSON *m;
	long n = 0;

	cJSON_ArrayForEach(m, all)
		if (n <= 0 && cJSON_IsString(m) &&
		    sscanf(m->valuestring, "Please submit at least %ld form", &n) != 1 &&
		    sscanf(m->valuestring, "Please submit %ld or more form", &n) != 1)
			n = 0;
	return n > 0 && n <= 50 ? n : 0;
}

/*
 * The control a field's type refusal is for: the field's own, where the
 * grader filled it and has not refilled it yet; for a field of several
 * boxes (Django's MultiWidget: NAME_0, NAME_1, its errors shown once,
 * beside either box), the next box from NAME_0 on (*next after the
 * first) the grader filled and has not refilled, in order (h700: a SplitDateTimeField's two text boxes
 * both got the grader's text, and its refusal says "Enter a valid date."
 * then "Enter a valid time."). The name is written into buf; NULL: none.
 */
static const char *refill_target(const struct run *run, const char *key, long *next, char *buf, size_t cap)
{
	const char *filled = gbuf_str(&run->filled), *out = NULL;
	size_t n = strlen(key), d = n;
	long j;

	while (d > 0 && isdigit((unsigned char)key[d - 1]))
		d--;
	if (d == n || d < 2 || key[d - 1] != '_' || n - d > 2) {
		if (*next < 0 && list_within(key, filled) && !strlist_has(&run->refill_names, key) &&
		    (size_t)snprintf(buf, cap, "%s", key) < cap)
			out = buf;
		*next = 0;
		return out;
	}
	for (j = *next < 0 ? 0 : *next; !out && j < 10; j++)
		if ((size_t)snprintf(buf, cap, "%.*s%ld", (int)d, key, j) < cap && list_within(buf, filled) &&
		    !strlist_has(&run->refill_names, buf)) {
			out = buf;
			*next = j + 1;
		}
	return out;
}

/*
 * A form the grader filled in, refused where one of its own fills has the
 * wrong type for the field (a DateField's default widget is a text box,
 * which got "Sample text"; a localised DecimalField's too, h605): sent
 * once more, the page fetched again, with the value the refusal asks for
 * in each such field; and where a formset's refusal asks for rows its
 * management form gave no MIN_NUM_FORMS for, with that many rows filled in
 * (rows_asked). 0 (rs the last answer), -1 on error.
 */
static int form_refill(struct run *run, struct http_actor *a, const struct step *s, struct req *r,
		       struct http_response *rs)
{
	struct http_request rq;
	struct eval_ctx ctx;
	struct gbuf why = GBUF_INIT(1024);
	cJSON *v, *it;
	char buf[64], name[256];
	static const char rows[] = "Please submit ";
	const char *val;
	bool apart_many = false;
	int rc = 0;

	/* The page is read only when the grader filled a field, or it says
	 * a formset's words: a submit's answer is parsed once more at most. */
	if (rs->status >= 500 || rs->status < 200 ||
	    (!run->filled.len && !(rs->body.len && memmem(rs->body.data, rs->body.len, rows, sizeof(rows) - 1))))
		goto done;
	eval_ctx_init(&ctx, rs, run->http, run->vars, run->c->dir);
	v = answer_form_errors(&ctx, rs);
	run->rows_min = rows_asked(cJSON_GetObjectItemCaseSensitive(v, "__all__"));
	cJSON_ArrayForEach(it, v) {
		const cJSON *m;
		long next = -1;

		if (!it->string || !cJSON_IsArray(it))
			continue;
		cJSON_ArrayForEach(m, it) {
			const char *to;

			if (rc < 0 || !cJSON_IsString(m) || !(val = form_type_said(run, m->valuestring, buf, sizeof(buf))))
				continue;
			if ((to = refill_target(run, it->string, &next, name, sizeof(name))) != NULL) {
				if (strlist_push(&run->refill_names, to) < 0 || strlist_push(&run->refill_values, val) < 0)
					rc = err_set("out of memory");
			} else if (!list_within(it->string, gbuf_str(&run->filled))) {
				/* Asked apart from its field: kept while every
				 * such refusal asks the same. */
				apart_many |= run->refill_text[0] && strcmp(run->refill_text, val);
				snprintf(run->refill_text, sizeof(run->refill_text), "%s", val);
			}
		}
	}
	cJSON_Delete(v);
	eval_ctx_release(&ctx);
	/* One type asked apart from its field: every text box of the
	 * grader's own text gets it (a box the app takes any text in takes
	 * this one too). Two types apart: neither can be placed. */
	if (apart_many)
		run->refill_text[0] = '\0';
	if (rc == 0 && (run->refill_names.n || run->refill_text[0] || run->rows_min > 0)) {
		req_release(r);
		req_init(r);
		rc = req_build_submit(run, a, s, r, &why);
		if (rc == 0) {
			req_view(r, s, run->o->request_timeout_ms, &rq);
			http_response_release(rs);
			rc = http_send(a, &rq, rs);
			timing_note(run, rs);
		}
	}
done:
	strlist_free(&run->refill_names);
	strlist_free(&run->refill_values);
	run->refill_text[0] = '\0';
	run->rows_min = 0;
	gbuf_release(&why);
	return rc < 0 ? -1 : 0;
}

/* A request sent once more with what its answer asked for: an API's
 * required fields (json_fill_required), a form's fills of the wrong type
 * (form_refill) first, since it builds the request again, then its boxes
 * (form_tick_boxes), which add to it. 0 (rs the last answer), -1. */
static int answer_refilled(struct run *run, struct http_actor *a, const struct step *s, struct req *r,
			   struct http_response *rs)
{
	int rc = 0;

	if (rs->fault != HTTP_FAULT_NONE)
		rc = 0;
	else if (s->fill_required)
		rc = json_fill_required(run, a, s, r, rs);
	else if ((rc = s->submit ? form_refill(run, a, s, r, rs) : 0) == 0 && rs->fault == HTTP_FAULT_NONE)
		rc = form_tick_boxes(run, a, s, r, rs);
	return rc;
}

/* What a 5xx came from: the exception the app logged, else, nothing
 * logged, the app's own answer (a handler mapping an error to 500 on
 * purpose, h271), quoted so the student does not look for a traceback. */
static void server_error_said(struct run *run, const struct http_response *rs, struct gbuf *msg)
{
	size_t before = msg->len;
	char *ct;

	app_last_line(run, msg);
	ct = msg->len == before && rs->body.len ? http_response_header(rs, "Content-Type") : NULL;
	if (ct && (strstr(ct, "json") || strstr(ct, "text/plain"))) {
		gbuf_adds(msg, " ");
		gbuf_add_excerpt(msg, rs->body.data, rs->body.len, 100);
		gbuf_adds(msg, " (no exception logged: the app answered it itself)");
	}
	free(ct);
}

/*
 * A 5xx logged as request.POST["KEY"] missing (MultiValueDictKeyError)
 * for a form that did not send KEY: the names it sent said beside it
 * (h1117: 'new_status', where SPEC.md's form posts status; "expected
 * status ..." alone read as the ticket's). `said` is the message from
 * where server_error_said quoted the app's line. A JSON body holds no
 * form fields at all: said so.
 */
static void unsent_key_note(const struct step *s, const struct req *r, const char *said, struct gbuf *msg)
{
	static const char mv[] = "MultiValueDictKeyError: '";
	const char *k = strstr(said, mv), *q = NULL;
	struct gbuf names = GBUF_INIT(256);
	char key[48];
	size_t i;
	bool sent;

	if (k)
		q = strchr(k += sizeof(mv) - 1, '\'');
	if (!q || q == k || (size_t)(q - k) >= sizeof(key) || !r->method || strcmp(r->method, "POST"))
		goto done;
	snprintf(key, sizeof(key), "%.*s", (int)(q - k), k);
	sent = strlist_has(&r->pairs, key);
	/* Not the CSRF token, which no view reads. */
	for (i = 0; i < r->pairs.n; i++)
		if (strcmp(r->pairs.v[i], "csrfmiddlewaretoken"))
			gbuf_addf(&names, "%s%s", names.len ? ", " : "", r->pairs.v[i]);
	for (i = 0; i < r->nparts; i++)
		if (r->parts[i].name && strcmp(r->parts[i].name, "csrfmiddlewaretoken")) {
			gbuf_addf(&names, "%s%s", names.len ? ", " : "", r->parts[i].name);
			sent |= !strcmp(r->parts[i].name, key);
		}
	if (!sent && names.len && s->submit) {
		gbuf_addf(msg, " (its form sent %s, no %s: read the names the form sends, or .get() for an "
			  "optional one)", gbuf_str(&names), key);
	} else if (!sent && names.len) {
		/* Or an optional one read as required (h1193: a hidden
		 * "next" the grader's post has no reason to send). */
		gbuf_addf(msg, " (the grader sent %s, as SPEC.md names it, no %s: read that name, or .get() an "
			  "optional one)", gbuf_str(&names), key);
	} else if (!names.len && r->body.len && r->body.data[0] == '{') {
		gbuf_adds(msg, " (the grader sent JSON: request.POST holds only form data; read request.data, or "
			  "json.loads(request.body) outside DRF)");
	}
done:
	gbuf_release(&names);
}

/* Whether an assertion counts the request's SQL queries. */
static bool counts_queries(const struct assertion *a)
{
	return a->query == Q_QUERIES || a->query == Q_QUERIES_REPEATED;
}

/* A 429 met by the running check; a sign-in's is a lockout after a wrong
 * password (after_throttle). */
static void throttle_note(struct run *run, const struct req *r, const struct http_response *rs)
{
	bool sign_in = r->method && !strcmp(r->method, "POST") && is_sign_in_path(gbuf_str(&r->path));

	run->throttled |= rs->status == 429;
	if (sign_in && rs->status == 429 && !run->locked_out)
		run->locked_first = run->sign_ins == 0;
	run->locked_out |= sign_in && rs->status == 429;
	run->sign_ins += sign_in;
}

/* A sign-in through the app's own form (a POST to its sign-in page that
 * set a new session cookie and redirected), by a client other than the
 * signed-in user's, of a user signed in at boot: the user its body names
 * (the user's login as a field's whole value) is noted, so that the
 * session the grader holds for that user is minted again after the check
 * (session_renew_if_ended). */
static void sign_in_note(struct run *run, const struct step *s, const struct req *r,
			 const struct http_response *rs)
{
	const struct boot_info *b = run->o->boot;
	const char *body = gbuf_str(&r->body), *at;
	char *esc;
	size_t i, n;

	if (!b || !run->sess_signed_in || !r->session_renewed || !r->method || strcmp(r->method, "POST") ||
	    rs->fault != HTTP_FAULT_NONE || rs->status < 300 || rs->status >= 400 ||
	    !is_sign_in_path(gbuf_str(&r->path)))
		return;
	for (i = 0; i < b->nsessions; i++) {
		const char *login = b->sessions[i].login ? b->sessions[i].login : b->sessions[i].username;

		if (!login || !*login || (s->actor && !strcmp(s->actor, b->sessions[i].username)) ||
		    !(esc = curl_easy_escape(NULL, login, 0)))
			continue;
		n = strlen(esc);
		for (at = strstr(body, esc); at && !run->sess_signed_in[i]; at = strstr(at + 1, esc))
			run->sess_signed_in[i] = at > body && at[-1] == '=' && (at[n] == '&' || !at[n]);
		curl_free(esc);
	}
}

/* A page the running check read with a 2xx (GET), noted as "ACTOR PATH"
 * (run->read_ok). */
static void read_ok_note(struct run *run, const struct step *s, const struct req *r, const struct http_response *rs)
{
	char key[600];

	if (rs->fault != HTTP_FAULT_NONE || rs->status < 200 || rs->status >= 300 || !s->actor ||
	    (r->method && strcmp(r->method, "GET")) || run->read_ok.n >= READ_OK_MAX ||
	    read_earlier(run, s->actor, gbuf_str(&r->path)))
		return;
	snprintf(key, sizeof(key), "%s %s", s->actor, gbuf_str(&r->path));
	(void)strlist_push(&run->read_ok, key);
}

/* Whether an assertion after the i-th of step s counts SQL queries, the
 * i-th not being one itself (a count that fails is the measure). */
static bool measured_after(const struct step *s, size_t i)
{
	if (counts_queries(&s->asserts[i]))
		return false;
	while (++i < s->nasserts)
		if (counts_queries(&s->asserts[i]))
			return true;
	return false;
}

/* A request that got no answer: the app crashed, or the fault (a
 * timeout, a refused connection), and what the app logged meanwhile. The
 * step's outcome: STEP_APP_FAULT, or STEP_FAILED for redirects that never
 * end, which are the app's answer, not a crash or a silence (contracts §1:
 * error is for an app that crashed or timed out; h420); STEP_PASSED,
 * nothing said, for a step on_server_error: pass whose app still runs. */
static int fault_said(struct run *run, const struct step *s, const struct gbuf *desc, const struct req *r,
		      const struct http_response *rs, struct gbuf *msg)
{
	size_t i;

	/* No answer, where a 5xx would not be charged either (on_server_error:
	 * pass: a control's order that times out, a broker out of reach,
	 * h691): the check that needs the answer charges it. */
	if (s->server_error_passes && !s->any_var && rs->fault != HTTP_FAULT_REDIRECTS && !app_gone(run))
		return STEP_PASSED;
	if (app_gone(run)) {
		gbuf_addf(msg, "%s: the app crashed and is no longer running", gbuf_str(desc));
		app_last_line(run, msg);
		return STEP_APP_FAULT;
	}
	gbuf_addf(msg, "%s: %s", gbuf_str(desc), rs->fault_msg ? rs->fault_msg : "no answer");
	/* A sign-in page in a redirect loop: a login-required middleware that
	 * does not exempt it (h420), as redirect_said says of one hop. */
	if (rs->fault == HTTP_FAULT_REDIRECTS && rs->effective_path && is_sign_in_path(rs->effective_path))
		gbuf_adds(msg, " (the login page itself asks to sign in: exempt it from a login-required "
			  "middleware, @login_not_required)");
	/* What the app said while it kept the grader waiting (h396:
	 * "Connection to Redis lost: Retry (3/20)", a task queue's broker
	 * retried past the time limit). */
	if (rs->fault == HTTP_FAULT_TIMEOUT)
		app_last_line(run, msg);
	/* An upload that never got its answer: the file said, as a refused
	 * one is (h1129: a storage's free-name loop on exists(name), not the
	 * candidate, hung at the second upload of a name). */
	for (i = 0; rs->fault == HTTP_FAULT_TIMEOUT && i < r->nparts; i++)
		if (r->parts[i].filename && r->parts[i].name) {
			gbuf_addf(msg, " (it sent the file %.60s for '%.40s': does saving it end? a storage's loop "
				  "choosing a free name, or an image step, may not)", r->parts[i].filename,
				  r->parts[i].name);
			break;
		}
	return rs->fault == HTTP_FAULT_REDIRECTS ? STEP_FAILED : STEP_APP_FAULT;
}

/* The form refused, but with errors of the form as a whole alone
 * (__all__: a clean() that raised, or a banner of the template's own),
 * where one on `field` was expected (h486: the check's "the template must
 * show its errors" read as wrong beside the error the page showed). Said
 * as the advice, true when said. */
static bool form_wide_note(struct eval_ctx *ctx, const struct http_response *rs, const char *field,
			   struct gbuf *msg)
{
	cJSON *v = answer_form_errors(ctx, rs);
	const cJSON *all = cJSON_GetObjectItemCaseSensitive(v, "__all__"), *e, *items;
	bool said = v && all && cJSON_GetArraySize(v) == 1, named = false;

	/* An item naming the field ("Image: Upload a valid image.", a
	 * summary above the form built from each field's errors, h684): the
	 * field's own error, shown away from it, not a clean()'s. */
	items = said ? all : NULL;
	cJSON_ArrayForEach(e, items)
		named = named || (cJSON_IsString(e) && !strncasecmp(e->valuestring, field, strlen(field)) &&
				  e->valuestring[strlen(field)] == ':');
	/* The page alone cannot tell a clean() that raised the field's error
	 * for the whole form from a template showing a banner ("Please check
	 * the form.") in place of the field's error (h548): both fixes, the
	 * clean()'s first, as the more common (h835: {{ form.image.errors }}
	 * first read as the fix, and is empty for a form-wide error). */
	if (said && named)
		gbuf_addf(msg, DASH "its error is shown only in a list for the whole form: show it beside the "
			  "field, {{ form.%s.errors }}, or link that item to the field, <a href=\"#id_%s\">",
			  field, field);
	else if (said)
		gbuf_addf(msg, DASH "only a form-wide error: add_error(\"%s\", ...) in clean(), or show "
			  "{{ form.%s.errors }} where the page shows a note for the whole form", field, field);
	cJSON_Delete(v);
	return said;
}

/* "Refused because of the image" not seen: what the form did complain
 * about, and the check's advice, or, for the form's own error alone, where
 * it belongs (form_wide_note: the advice "the template must show its
 * errors" is not that form's fix). */
static void field_error_failure(struct run *run, struct eval_ctx *ctx, const struct http_response *rs,
				const struct req *r, const struct assertion *as, struct gbuf *msg)
{
	response_evidence(run, ctx, rs, r, msg);
	no_method_note(r, msg);
	gbuf_addf(msg, "; expected an error on its '%s' field", as->filters[0].arg);
	if (r->form_no_method)
		gbuf_adds(msg, DASH "put method=\"post\" on the <form>");
	else if (!form_wide_note(ctx, rs, as->filters[0].arg, msg) && as->message) {
		gbuf_adds(msg, DASH);
		template_elide_str(as->message, run->vars, msg);
	}
}

/* One attempt at a step: -1, or an enum step_outcome (msg says why it did
 * not pass). */
/* Whether `row` is the one a create sent `sent` made: each string it sent
 * bearing the run's nonce (a product's unique name) the row has, equal,
 * and one at least. */
static bool row_made_by(const cJSON *row, const cJSON *sent, const char *nonce)
{
	const cJSON *f, *has;
	int same = 0;
	bool all = cJSON_IsObject(row);

	cJSON_ArrayForEach(f, sent) {
		if (!cJSON_IsString(f) || !f->string || !strstr(f->valuestring, nonce))
			continue;
		has = cJSON_GetObjectItemCaseSensitive(row, f->string);
		all = all && cJSON_IsString(has) && !strcmp(has->valuestring, f->valuestring);
		same++;
	}
	return all && same > 0;
}

/* The member of the row the step made (each string it sent bearing the
 * run's nonce) in the list at `path`, read as actor `a` (every page):
 * *out (caller frees) or NULL, *listed as capture_from_list says it.
 * 0, or -1 error. */
static int list_row_member(struct run *run, struct http_actor *a, const struct step *s, const char *path,
			   const cJSON *sent, const char *nonce, const char *member, cJSON **out, int *listed)
{
	struct http_response lrs = HTTP_RESPONSE_INIT;
	struct gbuf why = GBUF_INIT(1024);
	cJSON *list = NULL, *rows, *row;
	struct req lr;
	int rc = 0;

	req_init(&lr);
	if ((rc = gbuf_adds(&lr.path, path)) < 0 || (rc = step_get(run, a, s, &lr, path, false, &lrs)) < 0)
		goto done;
	if (lrs.fault != HTTP_FAULT_NONE || lrs.status != 200 || (rc = pages_collect(run, a, s, &lr, &lrs, &why)))
		goto done;
	list = cJSON_ParseWithLength(lrs.body.data ? lrs.body.data : "", lrs.body.len);
	rows = cJSON_IsArray(list) ? list : query_page_rows(list);
	if (cJSON_IsArray(rows) && *listed == LISTED_UNREAD)
		*listed = LISTED_NOT;
	cJSON_ArrayForEach(row, rows) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, member);

		if (!row_made_by(row, sent, nonce))
			continue;
		*listed = LISTED_WITHOUT;
		if (v) {
			if (!(*out = cJSON_Duplicate(v, true)))
				rc = err_set("out of memory");
			break;
		}
	}
done:
	cJSON_Delete(list);
	http_response_release(&lrs);
	req_release(&lr);
	gbuf_release(&why);
	return rc < 0 ? -1 : 0;
}

/*
 * A capture its answer lacks, read from the row the step made in the list
 * its `from_list` names (every page, as the same actor): a create answered
 * 2xx with what it was sent but no id (Django Ninja's response={201:
 * ProductIn}, h853; a HyperlinkedModelSerializer's url alone, h850). The
 * check about the create's answer charges the missing id (products-list,
 * which has no from_list); the checks a create only sets up go on, as for
 * a create answered 200. Where the actor's own list has no such member,
 * as a visitor reads it too (h1217: staff's serializer of name, price and
 * stock alone, the public one with the id SPEC.md asks of the list that
 * "anyone" reads). *out the member (caller frees), or NULL when no row is
 * found; *listed what the list showed for the message when none is
 * (LISTED_*). 0, or -1 error.
 */
static int capture_from_list(struct run *run, struct http_actor *a, const struct step *s, const struct req *r,
			     const struct capture *cap, cJSON **out, int *listed)
{
	const char *nonce = run_nonce(run, NULL);
	const char *member = cap->q.arg + 2;   /* "$.id": the loader takes no other form */
	long long page_count = run->page_count, page_held = run->page_held;
	int page_read = run->page_read;
	struct http_actor *anon = NULL;
	struct gbuf path = GBUF_INIT(4096), why = GBUF_INIT(1024);
	cJSON *sent = NULL;
	int rc = 0;

	*out = NULL;
	*listed = LISTED_UNREAD;
	sent = cJSON_ParseWithLength(r->body.data ? r->body.data : "", r->body.len);
	if (!cJSON_IsObject(sent) || !nonce || !*nonce)
		goto done;
	if ((rc = render_path(run, cap->from_list, &path, &why)) != 0 ||
	    (rc = list_row_member(run, a, s, gbuf_str(&path), sent, nonce, member, out, listed)) < 0)
		goto done;
	if (!*out && strncmp(http_actor_name(a), "anonymous", 9) &&
	    (rc = http_actor_get(run->http, "anonymous", &anon)) == 0)
		rc = list_row_member(run, anon, s, gbuf_str(&path), sent, nonce, member, out, listed);
done:
	/* The list read here is none of the step's own (its paging notes). */
	run->page_count = page_count;
	run->page_held = page_held;
	run->page_read = page_read;
	cJSON_Delete(sent);
	gbuf_release(&path);
	gbuf_release(&why);
	return rc < 0 ? -1 : 0;
}

/* The step's captures from its answer `rs` (a member a 2xx answer lacks
 * from the list its from_list names, capture_from_list), each stored as
 * a variable. 0, STEP_FAILED (msg says which was missing), -1 error. */
static int step_captures_take(struct run *run, struct http_actor *a, const struct step *s, const struct req *r,
			      const struct http_response *rs, struct eval_ctx *ctx, const char *desc,
			      struct gbuf *msg)
{
	struct gbuf why = GBUF_INIT(4096);
	size_t i;
	int rc = 0;

	for (i = 0; i < s->ncaptures && rc == 0; i++) {
		cJSON *v = NULL;
		int listed = LISTED_UNREAD;

		gbuf_reset(&why);
		rc = capture_eval(&s->captures[i], ctx, &v, &why);
		if (rc == 0 && !v)
			rc = 1;
		if (rc == 1 && s->captures[i].from_list && rs->status >= 200 && rs->status < 300) {
			cJSON_Delete(v);
			v = NULL;
			rc = capture_from_list(run, a, s, r, &s->captures[i], &v, &listed);
			if (rc == 0 && !v)
				rc = 1;
		}
		if (rc == 1) {
			capture_missing(run, ctx, rs, r, desc, &s->captures[i], listed, &why, msg);
			rc = STEP_FAILED;
		}
		if (rc == 0)
			rc = capture_store(run, s->captures[i].name, v);
		else
			cJSON_Delete(v);
	}
	gbuf_release(&why);
	return rc;
}

/* The evaluation context of a step's answer `rs`: the run's variables,
 * the form's prefix, the file input the grader filled in the step's
 * file's stead (file_filled_note), the request's queries. */
static void step_ctx_init(const struct run *run, const struct step *s, const struct http_response *rs, long queries,
			  const struct query_repeat reps[QUERY_REPEATS], struct eval_ctx *ctx)
{
	eval_ctx_init(ctx, rs, run->http, run->vars, run->c->dir);
	ctx->form_prefix = step_form_prefix(run, s);
	if (s->submit && run->file_filled[0][0]) {
		ctx->file_errors_from = run->file_filled[0];
		ctx->file_errors_to = run->file_filled[1];
	}
	ctx->queries = queries;
	memcpy(ctx->repeats, reps, sizeof(ctx->repeats));
	ctx->routes = run->o->routes;
	ctx->list_ended = run->page_looped;
}

/* A step's captures left unset, unjudged: 0, or -1 (out of memory). */
static int captures_unjudged(struct run *run, const struct step *s)
{
	size_t i;

	for (i = 0; i < s->ncaptures; i++)
		if (!strlist_has(&run->unjudged, s->captures[i].name) &&
		    strlist_push(&run->unjudged, s->captures[i].name) < 0)
			return -1;
	return 0;
}

/*
 * Whether a step reads a value an earlier read of its check left unset
 * where that read answered a 5xx it was not charged (on_server_error:
 * pass: h1022, bob's order list before his refused order, whose count the
 * read after it compares): it passes unjudged, as that read did, its own
 * captures unset too; the check whose request it was charges the 5xx.
 * 1, 0, or -1 (out of memory).
 */
static int step_unjudged(struct run *run, const struct step *s)
{
	struct strlist reads = {0};
	size_t i;
	int rc = 0;

	if (!run->unjudged.n)
		return 0;
	if (checkplan_step_reads(s, &reads) < 0)
		rc = -1;
	for (i = 0; rc == 0 && i < reads.n; i++)
		if (strlist_has(&run->unjudged, reads.v[i]))
			rc = 1;
	if (rc == 1 && captures_unjudged(run, s) < 0)
		rc = -1;
	strlist_free(&reads);
	return rc;
}

static int run_step_once(struct run *run, const struct step *s, struct gbuf *msg, long *queries, int *progress,
			 long *answered)
{
	struct http_actor *a = NULL;
	struct req r;
	struct http_request rq;
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct gbuf why = GBUF_INIT(4096);
	struct gbuf desc = GBUF_INIT(1024);
	struct eval_ctx ctx;
	bool ctx_ready = false, ok;
	struct query_repeat reps[QUERY_REPEATS];
	char *sess_before = NULL;
	size_t i, said_at;
	int rc, out = STEP_PASSED;

	req_init(&r);
	if (!s->url && !s->submit)
		return run_assert_step(run, s, msg);
	pthread_mutex_lock(&run->sh->app_lock);
	run->log_mark = app_output_size(run->o->app);
	pthread_mutex_unlock(&run->sh->app_lock);
	rc = http_actor_get(run->http, s->actor ? s->actor : "anonymous", &a);
	if (rc < 0)
		goto done;
	if (s->submit)
		rc = req_build_submit(run, a, s, &r, &why);
	else
		rc = req_build_plain(run, a, s, &r, &why);
	if (rc < 0)
		goto done;
	if (rc > 0) {
		out = rc;
		gbuf_add(msg, why.data, why.len);
		rc = 0;
		goto done;
	}
	if (s->fill_required && fill_start(run, s, &r) < 0) {
		rc = -1;
		goto done;
	}
	req_view(&r, s, run->o->request_timeout_ms, &rq);
	rq.follow_beneath = step_asks_page(run, s);
	sess_before = http_actor_cookie(a, session_cookie_name(run));
	rc = http_send(a, &rq, &rs);
	timing_note(run, &rs);
	if (rc == 0)
		rc = answer_refilled(run, a, s, &r, &rs);
	if (rc < 0)
		goto done;
	if (rs.fault == HTTP_FAULT_NONE && http_response_sets_cookie(&rs, session_cookie_name(run))) {
		char *sess_after = http_actor_cookie(a, session_cookie_name(run));

		r.session_renewed = !same_value(sess_before, sess_after);
		free(sess_after);
	}
	throttle_note(run, &r, &rs);
	sign_in_note(run, s, &r, &rs);
	read_ok_note(run, s, &r, &rs);
	run->last_status = rs.fault == HTTP_FAULT_NONE ? rs.status : 0;
	if (answered && rs.fault == HTTP_FAULT_NONE)
		*answered = rs.status;
	describe_request(&r, a, &rs, &desc);
	if (rs.fault != HTTP_FAULT_NONE) {
		out = fault_said(run, s, &desc, &r, &rs, msg);
		goto done;
	}
	*queries = response_queries(run, &rs, reps);
	if (rs.body.truncated) {
		/* Judging a cut body would give confusing messages ("not JSON");
		 * no page these challenges ask for comes anywhere near the ceiling. */
		out = STEP_FAILED;
		gbuf_addf(msg, "%s answered %ld with a body larger than %zu MiB, more than the grader reads",
			  gbuf_str(&desc), rs.status, (rs.body.limit ? rs.body.limit : GBUF_DEFAULT_LIMIT) >> 20);
		goto done;
	}
	if (rs.status >= 500) {
		__atomic_store_n(&run->sh->server_error, true, __ATOMIC_RELAXED);
		/* A read confirming what an earlier step left (on_server_error:
		 * pass): a 5xx shows no state, and the check about that page
		 * charges it; nothing is judged here, nothing captured. A
		 * candidate's is judged with the others' (run_step). */
		if (s->server_error_passes && !s->any_var) {
			rc = captures_unjudged(run, s);
			goto done;
		}
		out = STEP_FAILED;
		/* A page measured for its queries that answers 5xx shows
		 * none of its rows: not measured, as a refused one (SPEC.md;
		 * h245); the scored checks charge the error. */
		for (i = 0; i < s->nasserts; i++)
			run->unanswered |= counts_queries(&s->asserts[i]);
		gbuf_addf(msg, "%s answered %ld, a server error", gbuf_str(&desc), rs.status);
		said_at = msg->len;
		server_error_said(run, &rs, msg);
		unsent_key_note(s, &r, gbuf_str(msg) + said_at, msg);
		server_error_expected(run, s, &rs, msg);
		goto done;
	}
	/* Django's 400 for a SuspiciousOperation while the page is made (a
	 * thumbnail written outside MEDIA_ROOT, h861) is the page's error, as
	 * a 5xx is: a read that only confirms is not charged it either. */
	if (rs.status == 400 && s->server_error_passes && !s->any_var && r.method && !strcmp(r.method, "GET")) {
		rc = 0;
		goto done;
	}
	run->more_by_script = run->one_page = false;
	run->pages_followed = 0;
	run->page_left[0] = run->page_repeated[0] = '\0';
	run->page_links_misnamed = false;
	run->page_count = run->page_held = 0;
	run->page_read = 0;
	run->page_looped = false;
	if (s->all_pages && rs.status == 200 && r.method && !strcmp(r.method, "GET")) {
		rc = pages_collect(run, a, s, &r, &rs, msg);
		if (rc == 0)
			rc = html_pages_collect(run, a, s, &r, &rs, msg);
		if (rc < 0)
			goto done;
		if (rc > 0) {
			out = rc;
			rc = 0;
			goto done;
		}
		if (rs.body.truncated) {
			out = STEP_FAILED;
			gbuf_addf(msg, "%s answered a list whose pages hold more than the grader reads",
				  gbuf_str(&desc));
			goto done;
		}
	}
	step_ctx_init(run, s, &rs, *queries, reps, &ctx);
	ctx_ready = true;
	for (i = 0; i < s->nasserts; i++) {
		gbuf_reset(&why);
		rc = assertion_check(&s->asserts[i], &ctx, &why);
		if (rc < 0)
			goto done;
		ok = rc == 0;
		rc = 0;
		if (!ok) {
			const struct assertion *as = &s->asserts[i];
			bool about_status = (as->query == Q_STATUS && !as->nfilters) ||
					    ((as->query == Q_REFUSED || as->query == Q_LOGIN_REDIRECT) &&
					     as->pred == P_EXISTS && !as->negate && !as->nfilters);

			out = STEP_FAILED;
			gbuf_addf(msg, "%s answered %ld", gbuf_str(&desc), rs.status);
			/* A status before the step's other assertions is what
			 * they need to be read at all (query-budget's 200 before
			 * its count of queries); alone, it is what is measured.
			 * So is anything before a count of queries (the page
			 * lists the rows it is measured with: a cached empty
			 * list runs no query per row, h102). */
			run->unanswered = i + 1 < s->nasserts && (about_status || measured_after(s, i));
			if (about_status) {
				status_failure(run, s, as, &ctx, &rs, &r, msg);
			} else if (as->query == Q_FORM_ERRORS && as->nfilters == 1 && as->filters[0].kind == F_FIELD &&
				   as->pred == P_EXISTS && !as->negate) {
				field_error_failure(run, &ctx, &rs, &r, as, msg);
			} else if (content_failure_said(run, a, s, &r, &rs, as, &ctx, &why, msg) < 0) {
				rc = -1;
				goto done;
			}
			if (progress)
				*progress = (int)i;
			goto done;
		}
	}
	if (progress)
		*progress = (int)s->nasserts;
	refused_form_note(run, s, &ctx, &r, &rs, gbuf_str(&desc));
	unkept_note(run, s, &r, &rs);
	rc = step_captures_take(run, a, s, &r, &rs, &ctx, gbuf_str(&desc), msg);
	if (rc > 0) {
		out = rc;
		rc = 0;
	}
done:
	if (ctx_ready)
		eval_ctx_release(&ctx);
	http_response_release(&rs);
	req_release(&r);
	gbuf_release(&why);
	gbuf_release(&desc);
	free(sess_before);
	return rc < 0 ? -1 : out;
}

#define ANY_OF_MAX 20

/* Whether a step's message gives the grader's reading of its answer: "...
 * answered 404 (the default storage keeps ...)". */
static bool answer_has_reading(const struct gbuf *msg, long status)
{
	char at[32];

	snprintf(at, sizeof(at), " answered %ld (", status);
	return strstr(gbuf_str(msg), at) != NULL;
}

/* run->base for step s: the page its actor shows now (before any of the
 * step's own requests). */
static int step_base_set(struct run *run, const struct step *s)
{
	struct http_actor *a = NULL;
	const char *page;

	free(run->base);
	run->base = NULL;
	if (!s->url)
		return 0;
	if (http_actor_get(run->http, s->actor ? s->actor : "anonymous", &a) < 0)
		return -1;
	page = http_actor_page(a);
	if (page && !(run->base = strdup(page)))
		return err_set("out of memory");
	return 0;
}

/* One candidate into the flat list, unless null, already there, or the
 * list holds enough to try (ANY_OF_MAX) and to say that more were left
 * (a page of the app's can hold thousands of links: each is compared
 * with those before it). */
static int any_add(cJSON *flat, const cJSON *v)
{
	const cJSON *seen;
	cJSON *copy;
	bool dup = cJSON_IsNull(v) || cJSON_GetArraySize(flat) > ANY_OF_MAX;

	cJSON_ArrayForEach(seen, flat)
		dup = dup || cJSON_Compare(seen, v, true);
	if (dup)
		return 0;
	copy = cJSON_Duplicate(v, true);
	if (!copy || !cJSON_AddItemToArray(flat, copy)) {
		cJSON_Delete(copy);
		return err_set("out of memory");
	}
	return 0;
}

/*
 * The candidates of an `any_of`, as one flat list: a single value is a
 * list of one, a list item that is itself a list (a captured `xpath`,
 * every link of a page) gives its items in its place, null is none, and
 * a candidate already in the list is not tried twice. So
 * ["{{created}}", "{{listed}}"] tries the address a form redirected to,
 * then each link captured from a list page. *list is replaced.
 */
static int any_names_file(const cJSON *it, const char *stem, size_t len);

/* How soon a candidate is tried: 0 one naming the step's file (stem,
 * any_names_file), 1 one under the app's MEDIA_URL (`media`, or NULL), 2
 * any other. */
static int any_rank(const cJSON *it, const char *stem, size_t len, const char *media)
{
	if (stem && any_names_file(it, stem, len))
		return 0;
	if (media && media[0] == '/' && media[1] && cJSON_IsString(it) &&
	    !strncmp(it->valuestring, media, strlen(media)))
		return 1;
	return 2;
}

/* The nearest candidate's entry [entry, end) of `tried` (its ", " before
 * it included) moved first, when it is not already. */
static void tried_nearest_first(struct gbuf *tried, size_t entry, size_t end)
{
	struct gbuf re = GBUF_INIT(512);
	const char *t = gbuf_str(tried);

	if (entry == 0 || end <= entry + 2)
		return;
	gbuf_add(&re, t + entry + 2, end - entry - 2);
	gbuf_adds(&re, ", ");
	gbuf_add(&re, t, entry);
	gbuf_add(&re, t + end, tried->len - end);
	gbuf_release(tried);
	*tried = re;
}

/*
 * Whether a candidate's failure says the object is not there: its page
 * answered 404, or a list read showed no item of its id (query.c's
 * `where`: "was missing (none of its 4 items has {"id": 6})", or an
 * empty list). For on_absent: pass.
 */
static bool candidate_absent(int out, const struct gbuf *one, long answered)
{
	const char *m = gbuf_str(one);

	return out == STEP_FAILED && (answered == 404 || strstr(m, " was missing (none of its ") ||
	       strstr(m, " was missing (the list is empty)"));
}

/* ... in the order of their rank (any_rank), each rank in the page's
 * order: a page with more images than are tried (ANY_OF_MAX) tries the
 * upload's first (h695: a photo after 21 category icons was never
 * fetched, and a correct app lost recipe-image-served). */
static int any_candidates(cJSON **list, const char *stem, size_t len, const char *media)
{
	cJSON *flat = cJSON_CreateArray();
	const cJSON *it, *sub;
	int rc = flat ? 0 : err_set("out of memory"), rank;

	if (rc == 0 && !cJSON_IsArray(*list))
		rc = any_add(flat, *list);
	for (rank = 0; rc == 0 && cJSON_IsArray(*list) && rank < 3; rank++)
		cJSON_ArrayForEach(it, *list) {
			if (!cJSON_IsArray(it))
				rc = rc < 0 || any_rank(it, stem, len, media) != rank ? rc : any_add(flat, it);
			else
				cJSON_ArrayForEach(sub, it)
					rc = rc < 0 || any_rank(sub, stem, len, media) != rank ? rc
											     : any_add(flat, sub);
		}
	if (rc == 0) {
		cJSON_Delete(*list);
		*list = flat;
		flat = NULL;
	}
	cJSON_Delete(flat);
	return rc;
}

/*
 * Each candidate that is an app's path grader.yaml moved, as the
 * challenge's path it stands for: a link captured from a page is the
 * app's (h1204: "/tickets/17" of a project without trailing slashes,
 * then "{{ticket}}status/" posted to /tickets/17status). Only where the
 * two map to each other both ways; any other stays as it is. 0, or -1.
 */
static int any_contract_paths(struct run *run, cJSON *list)
{
	struct gbuf back = GBUF_INIT(4096), fwd = GBUF_INIT(4096);
	cJSON *it;
	int rc = 0;

	cJSON_ArrayForEach(it, list) {
		const char *v = cJSON_IsString(it) ? it->valuestring : NULL;

		if (!v || v[0] != '/' || v[1] == '/' || !routes_count(run->o->routes))
			continue;
		gbuf_reset(&back);
		gbuf_reset(&fwd);
		if (routes_to_contract(run->o->routes, v, &back) < 0 ||
		    routes_to_app(run->o->routes, gbuf_str(&back), &fwd) < 0) {
			rc = -1;
			break;
		}
		if (strcmp(gbuf_str(&back), v) && !strcmp(gbuf_str(&fwd), v) &&
		    !cJSON_SetValuestring(it, gbuf_str(&back))) {
			rc = err_set("out of memory");
			break;
		}
	}
	gbuf_release(&back);
	gbuf_release(&fwd);
	return rc;
}

/* One candidate of an any_of step, for its message's list of those tried:
 * a path as the app is asked for it (grader.yaml's "/api/: /api/v1/" maps
 * /api/products/4/ to what the nearest one's request says, h117). */
static int any_tried_add(struct run *run, const cJSON *it, struct gbuf *tried)
{
	struct gbuf mapped = GBUF_INIT(4096);
	const char *v = cJSON_IsString(it) ? it->valuestring : NULL;
	int rc = 0;

	gbuf_adds(tried, tried->len ? ", " : "");
	if (v && v[0] == '/' && v[1] != '/' && routes_count(run->o->routes)) {
		rc = routes_to_app(run->o->routes, v, &mapped);
		if (rc == 0)
			gbuf_add_excerpt(tried, gbuf_str(&mapped), mapped.len, 60);
	} else if (v) {
		gbuf_add_excerpt(tried, v, strlen(v), 60);
	} else {
		value_excerpt(it, tried, 60);
	}
	gbuf_release(&mapped);
	return rc;
}

/* Whether a step's address holds its any_of variable ("{{VAR}}",
 * "{{VAR.member}}"): each candidate is then a request of its own. */
static bool any_in_url(const struct step *s)
{
	const char *p = s->url;
	size_t n = strlen(s->any_var);

	while (p && (p = strstr(p, "{{"))) {
		p += 2;
		while (*p == ' ')
			p++;
		if (!strncmp(p, s->any_var, n) && !(isalnum((unsigned char)p[n]) || p[n] == '_'))
			return true;
	}
	return false;
}

/*
 * The name (without its folder and extension) of the file a step's answer
 * must equal byte for byte, when it is long enough to say which address
 * serves it: an <img> src naming "pancakes" is the upload's, whatever a
 * thumbnail beside it answered (h451: a sorl thumbnail's 200 was said as
 * the nearest, with advice on re-encoding, while the upload's own address
 * answered 404). NULL when the step compares no file.
 */
static const char *any_file_stem(const struct step *s, size_t *len)
{
	const char *name, *dot;
	size_t i;

	for (i = 0; i < s->nasserts; i++) {
		if (s->asserts[i].pred != P_EQUALS_FILE || !cJSON_IsString(s->asserts[i].value))
			continue;
		name = strrchr(s->asserts[i].value->valuestring, '/');
		name = name ? name + 1 : s->asserts[i].value->valuestring;
		dot = strrchr(name, '.');
		*len = dot ? (size_t)(dot - name) : strlen(name);
		return *len >= 4 ? name : NULL;
	}
	return NULL;
}

/* Whether `p` (after the stem in a last segment) ends the name as Django's
 * storage names an upload: its extension at once, or after the "_" and
 * seven letters or digits it adds to a name already taken. */
static bool stem_ends_name(const char *p)
{
	size_t i;

	if (*p == '.')
		return true;
	if (*p++ != '_')
		return false;
	for (i = 0; i < 7 && isalnum((unsigned char)p[i]); i++)
		;
	return i == 7 && p[7] == '.';
}

/*
 * How a candidate (an address) names that file: 3 as its whole last
 * segment, the file's own name as Django's storage names it
 * (/media/recipes/pancakes.png, pancakes_x7Gq2Lm.png), 2 within its last
 * segment (a rendition beside it, pancakes-thumbnail-800x800.png, which
 * tied with it and was said as the nearest, h920), 1 elsewhere only (a
 * folder: django-imagekit's /media/CACHE/images/recipes/pancakes/760d.jpg,
 * its thumbnail, was said as the nearest where the upload's own address
 * was beside it, h572), 0 not at all.
 */
static int any_names_file(const cJSON *it, const char *stem, size_t len)
{
	const char *v = cJSON_IsString(it) ? it->valuestring : NULL;
	size_t end = v ? strlen(v) : 0;
	const char *at = v && stem ? memmem(v, end, stem, len) : NULL, *last;
	int level = at ? 1 : 0;

	for (last = at; last; last = memmem(last + 1, end - (size_t)(last + 1 - v), stem, len)) {
		if (memchr(last + len, '/', end - (size_t)(last + len - v)))
			continue;
		if (level < 2)
			level = 2;
		if (last > v && last[-1] == '/' && stem_ends_name(last + len))
			level = 3;
	}
	return level;
}

/* any_names_file, and 1 for a candidate named nowhere whose answer (its
 * message, `one`) says it is an upload's address without MEDIA_URL: that
 * says more than a rendition's bytes (h946: a thumbnail's 200 was the
 * nearest beside src="{{ recipe.image }}", the upload's 404). */
static int candidate_names_file(const cJSON *it, const char *stem, size_t len, const struct gbuf *one)
{
	int level = any_names_file(it, stem, len);

	return !level && strstr(gbuf_str(one), UNPREFIXED_NOTE) ? 1 : level;
}

/* Whether a candidate that failed leaves its step nothing to judge: it
 * shows no such object (on_absent: pass, candidate_absent), or answered
 * an error of its page (on_server_error: pass: a 5xx, or a GET's 400, as
 * run_step_once reads one alone). */
static bool candidate_unjudged(const struct step *s, int out, const struct gbuf *one, long answered)
{
	return (s->absent_passes && candidate_absent(out, one, answered)) ||
	       (s->server_error_passes && (answered >= 500 || answered == 400));
}

/* What a step's candidates came to (run_step), for its message's start. */
struct any_tally {
	int n, total;           /* tried, and listed */
	int top, ntop;          /* the furthest any got, and how many got that far */
	int best_progress;      /* the nearest one's */
	bool in_url;            /* the candidate is the address */
	bool statuses_differ;   /* they answered with different statuses */
};

/* The note that the check's upload never reached the form (h335), or that
 * MEDIA_URL is unset or the uploads outside MEDIA_ROOT (h451: "answered
 * 404 (MEDIA_U…"), moved from the nearest one's message to the start: the
 * addresses tried would crowd it out of the room. */
static void any_note_first(struct gbuf *best, struct gbuf *msg)
{
	static const char *const first_notes[] = { ABSENT_NOTE, MEDIA_UNSET_NOTE, UPLOADS_ELSEWHERE_NOTE,
						   UNPREFIXED_NOTE, ON_DISK_NOTE };
	const char *b = gbuf_str(best), *note = NULL, *close;
	size_t i;

	for (i = 0; !note && i < sizeof(first_notes) / sizeof(first_notes[0]); i++)
		note = strstr(b, first_notes[i]);
	close = note ? strchr(note, ')') : NULL;
	if (close) {
		struct gbuf rest = GBUF_INIT(8192);

		gbuf_add(msg, note + 1, (size_t)(close + 1 - (note + 1)));
		gbuf_adds(msg, ": ");
		gbuf_add(&rest, b, (size_t)(note - b));
		gbuf_adds(&rest, close + 1);
		gbuf_release(best);
		*best = rest;
	}
}

/*
 * The candidates said before the nearest one's message. The one that got
 * past what the others failed (the recipe's own page, where the list and
 * the form were not it): the others' addresses are no evidence (h1094,
 * h1105, h1123, h1124: "read at 3 addresses (/recipes/4/, /recipes/,
 * /recipes/new/)"); only where they answered alike, as a status of their
 * own is evidence (a product's page answering 404 beside the list).
 */
static void any_prefix_said(const struct any_tally *t, const struct gbuf *tried, const struct gbuf *plain,
			    struct gbuf *msg)
{
	const char *more = t->total > t->n || tried->len >= 160 ? ", \xE2\x80\xA6" : "";

	if (!t->statuses_differ && t->ntop == 1 && t->best_progress == t->top && t->top >= 1)
		gbuf_addf(msg, "the best of %d addresses tried: ", t->n);
	else if (t->in_url && !t->statuses_differ)
		gbuf_addf(msg, "read at %d addresses (%s%s), none as expected; nearest: ", t->n, gbuf_str(plain),
			  more);
	else
		gbuf_addf(msg, "none of the %d tried passed (%s%s); nearest: ", t->n,
			  gbuf_str(t->statuses_differ ? tried : plain), more);
}

/*
 * A step with `any_of: {VAR: LIST}`: tried with VAR bound to each item of
 * LIST (e.g. every <img> src of a page: a site logo before the recipe's
 * photo is normal) until one attempt passes. When none does, the message
 * says which candidates were tried and what the closest one got (only
 * that, when each failed the same way).
 */
static int run_step(struct run *run, const struct step *s, struct gbuf *msg, long *queries)
{
	struct gbuf why = GBUF_INIT(1024), best = GBUF_INIT(8192), one = GBUF_INIT(8192), tried = GBUF_INIT(512);
	struct gbuf first = GBUF_INIT(8192), plain = GBUF_INIT(512);
	cJSON *list = NULL;
	const cJSON *it;
	bool same = true;     /* every candidate's failure said the same */
	int best_outcome = STEP_FAILED, out = STEP_PASSED;
	/* Below any candidate's progress (-1: not even sent), so the first
	 * one's message is kept when none gets further. */
	int best_progress = -2, progress, n = 0, total;
	long answered, first_answered = -1, best_answered = 0;
	/* The nearest one's entry in `tried` (its ", " before it included). */
	size_t entry, best_entry = 0, best_entry_end = 0;
	bool listed, in_url, statuses_differ = false, unjudged = s->absent_passes || s->server_error_passes;
	int names, best_names = 0;
	/* The furthest any candidate got, and how many got that far: one
	 * alone, past its status, is the page meant, the others not it. */
	int top = -2, ntop = 0;
	/* Every candidate without the object, a list read among them. */
	bool all_absent = true, list_absent = false;
	size_t stem_len = 0;
	const char *stem = any_file_stem(s, &stem_len);
	int rc = 0;

	if (step_base_set(run, s) < 0)
		return -1;
	if (!s->any_var)
		return run_step_once(run, s, msg, queries, NULL, NULL);
	rc = template_render(s->any_values, run->vars, &list, &why);
	if (rc < 0)
		goto done;
	if (rc == 0 && list &&
	    (any_candidates(&list, stem, stem_len, run->o->boot ? run->o->boot->media_url : NULL) < 0 ||
	     any_contract_paths(run, list) < 0)) {
		rc = -1;
		goto done;
	}
	if (rc == 1 || !list || !list->child) {
		out = STEP_FAILED;
		gbuf_addf(msg, "no candidates for %s to try", s->any_var);
		if (why.len) {
			gbuf_adds(msg, ": ");
			gbuf_add(msg, why.data, why.len);
		}
		rc = 0;
		goto done;
	}
	total = cJSON_GetArraySize(list);
	in_url = any_in_url(s);
	cJSON_ArrayForEach(it, list) {
		cJSON *copy;

		if (n == ANY_OF_MAX)
			break;
		n++;
		copy = cJSON_Duplicate(it, 1);
		cJSON_DeleteItemFromObjectCaseSensitive(run->vars, s->any_var);
		if (!copy || !cJSON_AddItemToObject(run->vars, s->any_var, copy)) {
			cJSON_Delete(copy);
			rc = err_set("out of memory");
			goto done;
		}
		listed = tried.len < 160;
		entry = tried.len;
		if (listed && (any_tried_add(run, it, &tried) < 0 || any_tried_add(run, it, &plain) < 0)) {
			rc = -1;
			goto done;
		}
		gbuf_reset(&one);
		progress = -1;
		answered = 0;
		out = run_step_once(run, s, &one, queries, &progress, &answered);
		if (out < 0) {
			rc = -1;
			goto done;
		}
		if (out == STEP_PASSED)
			goto done;
		unjudged &= candidate_unjudged(s, out, &one, answered);
		all_absent &= candidate_absent(out, &one, answered);
		list_absent |= candidate_absent(out, &one, answered) && answered != 404;
		/* What each answered ("/api/products/5/ answered 404"; a
		 * bare ": 200" read as a pass, h168): the nearest one's
		 * message says only its own (h132). Only when the candidate
		 * is in the address: text looked for on one page has that
		 * page's status each time (h150). */
		if (listed && answered && in_url)
			gbuf_addf(&tried, " answered %ld", answered);
		statuses_differ |= first_answered >= 0 && answered != first_answered;
		if (first_answered < 0)
			first_answered = answered;
		if (n == 1)
			gbuf_add(&first, one.data, one.len);
		else if (one.len != first.len || memcmp(one.data, first.data, one.len))
			same = false;
		/* As near, and with the grader's reading of its answer where
		 * the nearest so far has none: the one that says why (h392: a
		 * logo's bare 404 hid the upload's, which said the storage
		 * keeps uploads elsewhere). But first the address naming the
		 * file the answer is compared with (any_file_stem). */
		ntop = progress > top ? 1 : ntop + (progress == top);
		top = progress > top ? progress : top;
		names = candidate_names_file(it, stem, stem_len, &one);
		if (names > best_names ||
		    (names == best_names &&
		     (progress > best_progress ||
		      (progress == best_progress && answered && answered == best_answered &&
		       answer_has_reading(&one, answered) && !answer_has_reading(&best, best_answered))))) {
			best_names = names;
			best_progress = progress;
			best_outcome = out;
			best_answered = answered;
			best_entry = entry;
			best_entry_end = tried.len;
			gbuf_reset(&best);
			gbuf_add(&best, one.data, one.len);
		}
	}
	out = best_outcome;
	/* Every candidate without the object (on_absent: pass): hidden by the
	 * app, which the list's check charges; or every one an error
	 * (on_server_error: pass), which the pages' own checks charge (h870:
	 * a product page and a list both 500 cost the stock checks'
	 * confirming reads too). Nothing to judge here either way. */
	if (unjudged) {
		out = STEP_PASSED;
		goto done;
	}
	/*
	 * One candidate, or every one failing alike (before the step used
	 * it: the same request refused): the message names the request, and
	 * the 300 bytes are better spent on the evidence and the advice at
	 * its end. The variable's name is the suite's own word, never said.
	 * Their statuses only when they differ: two 200s said beside "none
	 * passed" read as failed requests, and cost the room the nearest
	 * one's evidence needs (h168, h177, h185, h187); the nearest one
	 * first among them, since a long list is cut from its end (h226: a
	 * logo's and an avatar's 404s hid the upload's 200). Addresses that
	 * all answered alike read one value in several places (a product's
	 * detail and the list), and are said so (h193, h199, h201, h202).
	 * Nor when the nearest was throttled (429): the limit refused the
	 * reading, which said nothing of the addresses (h193).
	 */
	if (statuses_differ)
		tried_nearest_first(&tried, best_entry, best_entry_end);
	if (total > 1 && !same && best_answered != 429) {
		struct any_tally t = { n, total, top, ntop, best_progress, in_url, statuses_differ };

		any_note_first(&best, msg);
		any_prefix_said(&t, &tried, &plain, msg);
	}
	/* The object on none of the addresses, a list read without it: not
	 * its field missing, as the advice about the value says (h1089,
	 * h1120, h1125: "each product must have its stock" for a product a
	 * default manager of active rows hid). */
	if (all_absent && list_absent && total > 1) {
		struct gbuf re = GBUF_INIT(8192);

		advice_replaced(&best, ABSENT_EVERYWHERE_NOTE, &re);
		gbuf_release(&best);
		best = re;
	}
	gbuf_add(msg, best.data, best.len);
done:
	cJSON_Delete(list);
	gbuf_release(&why);
	gbuf_release(&best);
	gbuf_release(&one);
	gbuf_release(&first);
	gbuf_release(&tried);
	gbuf_release(&plain);
	return rc < 0 ? -1 : out;
}

static const struct check_result *find_result(const struct grade_result *res, const char *id)
{
	size_t i;

	for (i = 0; i < res->nchecks; i++)
		if (!strcmp(res->checks[i].id, id))
			return &res->checks[i];
	return NULL;
}

/* Just past the first " answered NNN" and the character after it (the
 * code is whole only when something follows) before `limit`, or `s`. */
static const char *answered_end(const char *s, const char *limit)
{
	static const size_t len = sizeof(" answered 200;") - 1;
	const char *a = strstr(s, " answered ");

	if (!a || a + len > limit)
		return s;
	return a + len;
}

/* Where the last " | FILTER" before `was` starts (at or after `bar`, the
 * first), or `was` when that one is the first: it is said anyway. */
static const char *last_filter(const char *bar, const char *was)
{
	const char *p, *last = bar;

	for (p = strstr(bar + 3, " | "); p && p < was; p = strstr(p + 3, " | "))
		last = p;
	return last == bar ? was : last;
}

/* Where a message's last " — " starts (its advice), or NULL. */
static const char *last_dash(const char *s)
{
	const char *p, *tail = NULL;

	for (p = strstr(s, DASH); p; p = strstr(p + 1, DASH))
		tail = p;
	return tail;
}

/* A long request path in a message over MSG_MAX (a content-addressed
 * upload's 64 hex digits): its middle goes first, down to PATH_KEEP_HEAD
 * + "…" + PATH_KEEP_TAIL bytes, so that the value the app answered is
 * kept whole; the cut below used to take it instead ("body was 934…" for
 * 9348 bytes, h369). The path is the first token after a method. 1 when
 * out holds the shortened message, 0 when there was nothing to shorten. */
#define PATH_KEEP_HEAD 24
#define PATH_KEEP_TAIL 16
static int message_path_shortened(const char *s, size_t len, struct gbuf *out)
{
	static const char *const methods[] = {"GET /", "POST /", "PUT /", "PATCH /", "DELETE /", "HEAD /",
					      "OPTIONS /"};
	const char *path = NULL, *p, *end, *head_end, *tail, *query;
	size_t i, excess = len - MSG_MAX, room, keep_tail;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		p = strstr(s, methods[i]);
		if (p && (!path || p < path) && (p == s || p[-1] == ' '))
			path = p + strlen(methods[i]) - 1;
	}
	if (!path)
		return 0;
	end = path + strcspn(path, " ");
	/* A short query is kept whole, the path before it cut instead: the
	 * query is what a student compares (h576: "?c…y__exact=dessert" hid
	 * the filter's parameter). */
	query = memchr(path, '?', (size_t)(end - path));
	keep_tail = query && end - query <= 64 && end - query > PATH_KEEP_TAIL ? (size_t)(end - query)
									       : PATH_KEEP_TAIL;
	if ((size_t)(end - path) <= PATH_KEEP_HEAD + keep_tail + 3)
		return 0;
	/* Bytes the path may give: all but its two ends and the "…". */
	room = (size_t)(end - path) - PATH_KEEP_HEAD - keep_tail;
	head_end = path + PATH_KEEP_HEAD;
	tail = excess + 3 < room ? head_end + excess + 3 : end - keep_tail;
	while (head_end > path && ((unsigned char)*head_end & 0xC0) == 0x80)
		head_end--;
	while (tail < end && ((unsigned char)*tail & 0xC0) == 0x80)
		tail++;
	if (gbuf_add(out, s, (size_t)(head_end - s)) < 0 || gbuf_adds(out, "\xE2\x80\xA6") < 0 ||
	    gbuf_add(out, tail, len - (size_t)(tail - s)) < 0)
		return -1;
	return 1;
}

/* Whether s holds a UUID at its start (8-4-4-4-12 hex digits). */
static bool is_uuid_at(const char *s, size_t len)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t i;

	if (len < sizeof(shape) - 1)
		return false;
	for (i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	return len == sizeof(shape) - 1 || !isxdigit((unsigned char)s[i]);
}

/*
 * A message too long with every UUID in it cut to its first 8 digits and
 * "…" (an app's UUID keys: /api/products/2f1c7c8e-…/ said three times
 * cut the value read back off the end, h569); 1 when any was, 0 none, -1
 * out of memory. 8 digits still tell one id from another.
 */
static int message_uuids_shortened(const char *s, size_t len, struct gbuf *out)
{
	size_t i, from = 0;
	int n = 0;

	for (i = 0; i + 36 <= len; i++) {
		if ((i && isxdigit((unsigned char)s[i - 1])) || !is_uuid_at(s + i, len - i))
			continue;
		if (gbuf_add(out, s + from, i + 8 - from) < 0 || gbuf_adds(out, "\xE2\x80\xA6") < 0)
			return -1;
		from = i + 36;
		i += 35;
		n++;
	}
	if (n && gbuf_add(out, s + from, len - from) < 0)
		return -1;
	return n > 0;
}

/*
 * Where the head of a message (s..tail) ends with a parenthesis closed at
 * its end, the " (" that opens it, or NULL: a hint on the evidence
 * ("(MEDIA_URL is not set ...)", "(the form got no file for 'image':
 * build it with request.FILES)") or the quote that is the evidence itself
 * ("(with its links, buttons and form controls: "...")"), the part a cut
 * from the end lost first (h451, h452, h454). At most three fifths of
 * MSG_MAX back (h866: a create's 201 advice, 230 bytes); quotes are not parsed (a ")" inside one only makes the group
 * shorter or unmatched: NULL).
 */
static const char *closing_paren(const char *s, const char *tail)
{
	const char *p = tail;
	int depth = 0;

	while (p > s && p[-1] == ' ')
		p--;
	if (p == s || p[-1] != ')')
		return NULL;
	for (p--; p > s && (size_t)(tail - p) <= MSG_MAX * 3 / 5; p--) {
		if (*p == ')')
			depth++;
		else if (*p == '(' && --depth == 0)
			return p > s && p[-1] == ' ' ? p - 1 : NULL;
	}
	return NULL;
}

/* Whether the text before a parenthesis ends a quote or an excerpt (a
 * form's errors {"image": [...]}, "…"): cut further, it stays one. */
static bool paren_follows_a_quote(const char *s, const char *paren)
{
	char c = paren > s ? paren[-1] : '\0';

	return c == '}' || c == ']' || c == '"' ||
	       (paren - s >= 3 && !memcmp(paren - 3, "\xE2\x80\xA6", 3));
}

/*
 * The message, cut to MSG_MAX bytes. A failure ends with what was
 * expected and the check's own " — why it matters", the part a student
 * acts on; when the evidence before them is long (a JSON answer quoted
 * whole), the evidence is cut and that end kept, if it fits in half the
 * room (else the advice alone, else the whole message is cut at its end).
 */
static void set_message(struct check_result *cr, const struct gbuf *full)
{
	static const char expected[] = "; expected ", more[] = "\xE2\x80\xA6";
	struct gbuf cut = GBUF_INIT(MSG_MAX + 8), slim = GBUF_INIT(0), short_path = GBUF_INIT(0);
	struct gbuf short_ids = GBUF_INIT(0);
	const struct gbuf *msg = full;
	const char *s = gbuf_str(full), *end = s + full->len, *tail = NULL, *p;
	const char *bar, *was;
	size_t tail_room = MSG_MAX / 2;

	if (full->len > MSG_MAX && message_uuids_shortened(s, full->len, &short_ids) == 1) {
		msg = &short_ids;
		s = gbuf_str(msg);
		end = s + msg->len;
	}
	if (msg->len > MSG_MAX && message_path_shortened(s, msg->len, &short_path) == 1) {
		msg = &short_path;
		s = gbuf_str(msg);
		end = s + msg->len;
	}
	bar = strstr(answered_end(s, end), " | ");
	was = bar ? strstr(bar, " was ") : NULL;

	/* Too long, and the value's query has filters ("page text | findall
	 * /.../ | lower | join"): the value found matters more to a student
	 * than how it was read, so the filters go first, but the last, which
	 * says what the value is ("jsonpath $ | … | count was 3"). */
	if (msg->len > MSG_MAX && was && (!(p = strstr(s, expected)) || was < p) &&
	    gbuf_add(&slim, s, (size_t)(bar - s)) == 0 && gbuf_adds(&slim, " | \xE2\x80\xA6") == 0 &&
	    gbuf_add(&slim, last_filter(bar, was), (size_t)(was - last_filter(bar, was))) == 0 &&
	    gbuf_add(&slim, was, (size_t)(end - was)) == 0) {
		msg = &slim;
		s = gbuf_str(msg);
		end = s + msg->len;
	}

	tail = last_dash(s);
	{
		const char *exp = NULL, *before = tail ? tail : end;

		/* With no advice, the end is "; expected ..." alone (h866: a
		 * hint in parentheses before it cut it to "; ex…"). */
		for (p = strstr(s, expected); p && p < before; p = strstr(p + 1, expected))
			exp = p;
		/* "; expected ..." too, unless keeping it would cut the
		 * evidence before its status code ("answered 20…"); in up to
		 * three fifths of the room where the advice is long (h866:
		 * "...}; expe… — a quantity must be at least 1 (...)" lost
		 * the status asked for). */
		if (exp && (size_t)(end - exp) <= MSG_MAX * 3 / 5 &&
		    (size_t)(answered_end(s, exp) - s) + (size_t)(end - exp) + 3 <= MSG_MAX) {
			tail = exp;
			tail_room = MSG_MAX * 3 / 5;
		}
	}
	if (msg->len > MSG_MAX && tail && (size_t)(end - tail) <= tail_room) {
		size_t keep = (size_t)(end - tail), plen = 0;
		struct gbuf head = GBUF_INIT(MSG_MAX + 8);
		const char *paren = closing_paren(s, tail), *upto = tail;

		/* The head's closing parenthesis is kept whole, and the text
		 * before it cut instead, when that still keeps the status it
		 * follows ("answered 200"), and what is cut is an excerpt or a
		 * quote already, or nothing, or the parenthesis is itself the
		 * quoted evidence: never the words that say what was wrong
		 * ("the product's stock was missing (no field stock; ...)"). */
		if (paren) {
			const char *need = answered_end(s, tail);

			if (need > paren)
				need = paren;
			if ((size_t)(need - s) + (size_t)(tail - paren) + keep + 6 <= MSG_MAX &&
			    (need == paren || paren_follows_a_quote(s, paren) ||
			     memmem(paren, (size_t)(tail - paren), ": \"", 3))) {
				plen = (size_t)(tail - paren);
				upto = paren;
			}
		}
		/* 3 bytes for the "…" that marks the cut evidence; one "…"
		 * when the evidence was already an excerpt ending in one. */
		gbuf_add_excerpt(&head, s, (size_t)(upto - s), MSG_MAX - keep - plen - 4);
		if (head.len >= 6 && !memcmp(head.data + head.len - 6, more, 3) &&
		    !memcmp(head.data + head.len - 3, more, 3))
			head.len -= 3;
		/* A quote or a parenthesis the cut left open is closed after
		 * its "…" (h1039, h1045: 'page text was "…Recipes No …;
		 * expected'; h1066: a note's "(an API answers a visitor …"). */
		gbuf_excerpt_at_word(&head);
		gbuf_close_excerpt(&head, s, (size_t)(upto - s));
		gbuf_add(&head, upto, plen);
		gbuf_add(&cut, head.data, head.len);
		gbuf_add_excerpt(&cut, tail, keep, keep);
		gbuf_release(&head);
	} else {
		gbuf_add_excerpt(&cut, s, msg->len, MSG_MAX);
	}
	free(cr->message);
	cr->message = gbuf_detach(&cut, NULL);
	gbuf_release(&slim);
	gbuf_release(&short_path);
	gbuf_release(&short_ids);
}

/* The message without its advice (after its last " — "), then `advice`
 * in its place: a step whose own advice is about what it looked for, which
 * something earlier in the check never let the app make. */
static void advice_replaced(const struct gbuf *msg, const char *advice, struct gbuf *out)
{
	const char *s = gbuf_str(msg), *tail = last_dash(s);

	gbuf_add(out, s, tail ? (size_t)(tail - s) : msg->len);
	gbuf_adds(out, DASH);
	gbuf_adds(out, advice);
}

/* run->unoffered where it is about `choice`'s value ("category=vegetarian":
 * " (its category option vegetarian is valued 1)"), else "": a check's
 * earlier submit may have set it for another value (its dessert). */
static const char *unoffered_of(const struct run *run, const char *choice)
{
	const char *v = strchr(choice, '=');
	char word[48] = "";

	if (v && run->unoffered[0])
		snprintf(word, sizeof(word), " %s ", v + 1);
	return word[0] && strstr(run->unoffered, word) ? run->unoffered : "";
}

/*
 * A step failing after the check's form was refused (a 2xx showing the
 * form's errors, run->refused_form): that refusal first, where a message
 * is cut from its end, then the step's evidence. Its own advice is about
 * what it looked for, which the refused form never made ("list the
 * dessert (categories stored lower case)" when the dessert's upload was
 * refused, h174, h181, h182), so the refusal is said instead.
 */
static void after_refused_form(struct run *run, const struct step *s, const struct gbuf *msg, struct gbuf *out)
{
	struct gbuf advice = GBUF_INIT(256), own = GBUF_INIT(0);
	const char *rf = gbuf_str(&run->refused_form), *with = strstr(rf, " with "), *m = gbuf_str(msg), *again;
	char said[400];

	/* The request and its status, said first, once: the step's own
	 * evidence said them again ("; POST /tickets/12/status/ as staff
	 * answered 200)"), and the cut that kept both lost the reading
	 * between them (h991: "it states no P…"). */
	snprintf(said, sizeof(said), "; %.*s", (int)(with ? (size_t)(with - rf) : strlen(rf)), rf);
	if (strlen(said) > 12 && (again = strstr(m, said)) &&
	    (again[strlen(said)] == ')' || again[strlen(said)] == ';') && gbuf_add(&own, m, (size_t)(again - m)) == 0 &&
	    gbuf_adds(&own, again + strlen(said)) == 0)
		msg = &own;

	/* A step sending nothing (values read from earlier answers, h954:
	 * was the vegetarian dish saved?) has no request of its own to say
	 * next: the refusal ends at a dash, as any answer's evidence does
	 * before advice, so causes.c reads it as the checks that failed on
	 * that request say it. */
	gbuf_addf(out, "after %s%s", gbuf_str(&run->refused_form), !s->url && !s->submit ? DASH : ", ");
	if (run->refused_as_get)
		gbuf_adds(&advice, "a GET saves nothing: put method=\"post\" on the <form>");
	else if (run->refused_choice[0])
		/* The fix, not only the refusal (h550: a ModelChoiceField of
		 * a Status table's ids was told "the form refused"). */
		gbuf_addf(&advice, "%s was no valid choice%s: take the value SPEC.md sends (choices of names, "
			  "to_field_name)", run->refused_choice, unoffered_of(run, run->refused_choice));
	else
		gbuf_adds(&advice, "the form refused what the check sent, as its errors say: nothing was saved");
	advice_replaced(msg, gbuf_str(&advice), out);
	gbuf_release(&advice);
	gbuf_release(&own);
}

/*
 * A step failing on what a field the check's form did not have would have
 * made (ABSENT_NOTE in its message): its own advice is about what it
 * looked for ("list the dessert (categories stored lower case)" where the
 * form had no category at all, h553; "serve the upload as it came" where
 * the upload went to a file input of another name, h626), so the missing
 * field is said instead.
 */
/* Whether a message's first read ("GET /media/recipes/pancakes.webp as")
 * is of a file named as the one it expected ("expected the 9443 bytes of
 * pancakes.png"): the step's own, stored by the form under its own name;
 * not the grader's (grader.png), nor one the app named afresh (a UUID),
 * which may be either. */
static bool served_step_file(const char *msg)
{
	const char *get = strstr(msg, "GET /"), *of = strstr(msg, " bytes of "), *end, *seg, *dot;
	size_t stem;

	if (!get || !of)
		return false;
	get += 4;
	end = get + strcspn(get, " ?#");
	for (seg = end; seg > get && seg[-1] != '/'; seg--)
		;
	of += 10;
	dot = of + strcspn(of, ". ;");
	stem = (size_t)(dot - of);
	return *dot == '.' && stem >= 3 && (size_t)(end - seg) > stem && !strncmp(seg, of, stem);
}

static bool after_absent_field(const struct run *run, const struct gbuf *msg, struct gbuf *out)
{
	const char *a = gbuf_str(&run->absent), *semi = strstr(a, "; it has"),
		   *file = strstr(a, "; its file input:");
	struct gbuf advice = GBUF_INIT(256);
	/* The note without its leading space: moved first, before the
	 * addresses tried (a served upload's message), it has none. */
	bool said = (semi || file) && strstr(gbuf_str(msg), ABSENT_NOTE + 1);

	/* Or the submit's own note, where it sent the photo as declared under
	 * the form's file input of another name (form_file_stand_in): its
	 * refusal is the name's, not the recipe's. */
	said |= file && run->file_as[0] && strstr(gbuf_str(msg), " (the form has no field ");
	/* Not where the file served is the step's own, by its name (h1225:
	 * pancakes.webp, a photo converted on save): the form read the step's
	 * file under its own name beside the grader's in the input of another
	 * (multipart), and the check's advice on what was served stands. */
	said = said && !(file && !run->file_as[0] && served_step_file(gbuf_str(msg)));

	if (said && file) {
		gbuf_adds(&advice, "name the form's file input ");
		gbuf_add(&advice, a, (size_t)(file - a));
		/* Sent as declared, the photo went where a browser sends
		 * it (form_file_stand_in); else to the grader's own file. */
		if (run->file_as[0])
			gbuf_addf(&advice, ", as SPEC.md names the form's fields (a browser sends the photo as %s, "
				  "which the form never reads)", run->file_as);
		else
			gbuf_adds(&advice,
				  ", as SPEC.md names the form's fields (the upload went to the grader's own file)");
	} else if (said) {
		gbuf_adds(&advice, "add ");
		gbuf_add(&advice, a, (size_t)(semi - a));
		gbuf_adds(&advice, " to the form, as SPEC.md lists its fields");
	}
	if (said)
		advice_replaced(msg, gbuf_str(&advice), out);
	gbuf_release(&advice);
	return said;
}

/*
 * A step failing after the app refused one of the check's requests as too
 * many (429): the step's evidence, then the throttle in place of its own
 * advice, which is about what it looked for, never made (h193: "none of
 * the 2 tried passed" on a product's stock read as a stock bug). The
 * report's causes say it once more for every check the limit met.
 */
static void after_throttle(const struct run *run, const struct gbuf *msg, struct gbuf *out)
{
	/* A sign-in's 429 is a lockout after the check's wrong password
	 * (h267: django-axes with AXES_FAILURE_LIMIT = 1), not volume; or
	 * at the run's first sign-in, before any (h664: the limit at 0). */
	advice_replaced(msg, run->locked_first ? "the app locked the sign-in out (429) at the first attempt, before "
						 "any wrong password: a lockout (django-axes' AXES_FAILURE_LIMIT) "
						 "must allow a few"
			     : run->locked_out ? "the app locked the sign-in out (429) after one wrong password: a "
						 "lockout (django-axes' AXES_FAILURE_LIMIT) must allow a few"
					       : "the app's rate limit refused it (429): a grading sends dozens of "
						 "requests in seconds",
			out);
}

/* ---- sessions a check ended ---------------------------------------------- */

/* At most this many renewals of one user's session in a run: an app that
 * deletes the cookie at every answer is graded as before after that. */
#define SESSION_RENEWALS_MAX 4

/* Put boot session i's newest renewal into this lane's jar. Under
 * sess_lock. */
static int session_install(struct run *run, size_t i)
{
	const struct boot_session *bs = &run->o->boot->sessions[i];
	const struct renewed *rn = &run->sh->renewed[i];
	struct http_actor *a;

	run->sess_seen[i] = rn->gen;
	if (!rn->session)
		return 0;   /* every renewal failed: the jar stays as it is */
	if (http_actor_get(run->http, bs->username, &a) < 0 ||
	    http_actor_set_cookie(a, session_cookie_name(run), rn->session) < 0 ||
	    (rn->csrf && http_actor_set_cookie(a, csrf_cookie_name(run), rn->csrf) < 0))
		return -1;
	return 0;
}

/*
 * Before a check: a session another lane renewed is this lane's too (the
 * one it holds was the same, now ended), and each signed-in user's
 * session cookie is noted, to see after the check whether it ended it.
 */
static int sessions_resume(struct run *run)
{
	const struct boot_info *b = run->o->boot;
	struct http_actor *a;
	size_t i;
	int rc = 0;

	for (i = 0; b && run->sess_seen && i < b->nsessions && rc == 0; i++) {
		if (!b->sessions[i].session_value)
			continue;
		pthread_mutex_lock(&run->sh->sess_lock);
		if (run->sess_seen[i] < run->sh->renewed[i].gen)
			rc = session_install(run, i);
		pthread_mutex_unlock(&run->sh->sess_lock);
		free(run->sess_start[i]);
		run->sess_start[i] = NULL;
		if (rc == 0 && (rc = http_actor_get(run->http, b->sessions[i].username, &a)) == 0)
			run->sess_start[i] = http_actor_cookie(a, session_cookie_name(run));
	}
	return rc;
}

/* A question to the boot's WSGI wrapper (grader_boot.py's make_wrapper),
 * answered without reaching the app: GET / with the one header that
 * carries the run's token, from an actor of its own (no cookie). 0 with
 * *status the answer's and *ans its JSON when it is a 200 (else NULL; the
 * caller deletes it); -1 when no answer came (the error set). timeout_ms
 * 0: the default (http.h). */
static int wrapper_ask(struct http_client *http, const char *actor, const char *header,
		       long timeout_ms, long *status, cJSON **ans)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct http_actor *a;
	struct http_request rq;
	const char *headers[1];
	int rc = -1;

	*ans = NULL;
	*status = 0;
	headers[0] = header;
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.path = "/";
	rq.headers = headers;
	rq.nheaders = 1;
	rq.timeout_ms = timeout_ms;
	if (http_actor_get(http, actor, &a) < 0 || http_send(a, &rq, &rs) < 0)
		goto done;
	*status = rs.status;
	if (rs.status == 200)
		*ans = cJSON_ParseWithLength(rs.body.data ? rs.body.data : "", rs.body.len);
	rc = 0;
done:
	http_response_release(&rs);
	return rc;
}

/* Ask the boot's wrapper for a fresh session of boot session i's user
 * (grader_boot.py's make_minter): 0 with *session and *csrf malloc'd. */
static int session_mint(struct run *run, size_t i, char **session, char **csrf)
{
	const struct boot_info *b = run->o->boot;
	char *header = NULL;
	cJSON *ans = NULL;
	const cJSON *sv, *cv;
	long status = 0;
	int rc = -1;

	*session = *csrf = NULL;
	if (!b->query_token || asprintf(&header, "X-Grader-Session: %s %s", b->query_token,
					 b->sessions[i].username) < 0) {
		header = NULL;
		err_set("out of memory");
		goto done;
	}
	if (wrapper_ask(run->http, "grader-session-mint", header, 0, &status, &ans) < 0)
		goto done;
	sv = cJSON_GetObjectItemCaseSensitive(ans, "session");
	cv = cJSON_GetObjectItemCaseSensitive(ans, "csrf");
	if (!cJSON_IsString(sv) || !sv->valuestring[0]) {
		err_set("a fresh session for %s: the app answered %ld", b->sessions[i].username, status);
		goto done;
	}
	*session = strdup(sv->valuestring);
	*csrf = cJSON_IsString(cv) ? strdup(cv->valuestring) : NULL;
	if (!*session || (cJSON_IsString(cv) && !*csrf)) {
		free(*session);
		free(*csrf);
		*session = *csrf = NULL;
		err_set("out of memory");
		goto done;
	}
	rc = 0;
done:
	cJSON_Delete(ans);
	free(header);
	return rc;
}

/* Each error quoted at most this long, and at most this many of them:
 * the sentence must fit a report line a student reads, whatever the app
 * sends. */
#define SYSTEM_CHECK_QUOTE 240
#define SYSTEM_CHECKS_QUOTED 3
#define SYSTEM_CHECKS_TIMEOUT_MS 5000

/*
 * Whether the system checks may explain what the run lost: a check was
 * answered 5xx and points were lost (the errors they find show as server
 * errors: an ordering on a missing field, an admin list_display of no
 * field), or makemigrations found changes (its advice, "run
 * makemigrations", is one the command refuses while they stand). Not for
 * every failed run: in a class of mutants, most lose points for their
 * logic, and each ask costs the app 15-35 ms (docs/performance.md).
 */
static bool run_may_be_refused(const struct engine_opts *o, const struct grade_result *res)
{
	return (res->server_error && res->score < res->max_score) ||
	       (o->boot && o->boot->migrations_current == 0);
}

/*
 * After the checks of a run they may explain (run_may_be_refused): ask the boot's wrapper to
 * run Django's system checks (grader_boot.py's system_checks_answer).
 * `manage.py migrate`, `makemigrations` and `runserver` run them first and
 * stop on an error (a Meta.ordering naming a missing field, an admin
 * list_display of no field); the grader's boot migrates through
 * call_command and serves WSGI (contracts §2), which do not, so such a
 * project is graded as far as it works, and the report says why the
 * student's own commands fail, or why "run makemigrations" cannot be
 * followed. Only after the checks (engine_system_checks), off the checks'
 * clock, and only then: they cost 15-35 ms of the app's time
 * (docs/performance.md). Best effort: no answer, no sentence. The
 * answer is the app's (untrusted): excerpts of bounded length, a bounded
 * count.
 */
static void system_checks_ask(const struct engine_opts *o, struct grade_result *res)
{
	const struct boot_info *b = o->boot;
	struct gbuf say = GBUF_INIT(4096);
	char *header = NULL;
	cJSON *ans = NULL;
	const cJSON *errors, *total, *e;
	long status = 0;
	int n = 0, shown = 0;

	if (!b || !b->query_token || asprintf(&header, "X-Grader-System-Checks: %s", b->query_token) < 0) {
		header = NULL;
		goto done;
	}
	/* An app whose own views hang still answers this in a thread of its
	 * own, but a failed run should not wait a full request timeout. */
	if (wrapper_ask(o->http, "grader-system-checks", header, SYSTEM_CHECKS_TIMEOUT_MS, &status, &ans) < 0)
		goto done;
	errors = cJSON_GetObjectItemCaseSensitive(ans, "errors");
	total = cJSON_GetObjectItemCaseSensitive(ans, "total");
	if (!cJSON_IsArray(errors) || !cJSON_IsNumber(total) || total->valuedouble < 1 ||
	    total->valuedouble > 1e6)
		goto done;
	n = (int)total->valuedouble;
	if (gbuf_addf(&say, RESULT_SYSTEM_CHECKS_LEAD "%d error%s, which `manage.py migrate`, "
		      "`makemigrations` and `runserver` stop on (the grader migrates and serves without "
		      "these checks, and graded the app as far as it works): ", n, n == 1 ? "" : "s") < 0)
		goto done;
	cJSON_ArrayForEach(e, errors) {
		if (!cJSON_IsString(e) || shown == SYSTEM_CHECKS_QUOTED)
			continue;
		if ((shown && gbuf_adds(&say, "; ") < 0) ||
		    gbuf_add_excerpt(&say, e->valuestring, strlen(e->valuestring), SYSTEM_CHECK_QUOTE) < 0)
			goto done;
		shown++;
	}
	if (!shown || (n > shown && gbuf_addf(&say, " (and %d more: run `manage.py check`)", n - shown) < 0))
		goto done;
	free(res->system_checks);
	res->system_checks = gbuf_detach(&say, NULL);
done:
	cJSON_Delete(ans);
	gbuf_release(&say);
	free(header);
}

/* Boot session i's user gets a fresh session (another lane's renewal,
 * else one minted now), noted as the one the check goes on with. Errors
 * are left set; the jar then stays as it is. */
static void session_renew(struct run *run, size_t i, struct http_actor *a)
{
	struct renewed *rn = &run->sh->renewed[i];
	char *session, *csrf;

	pthread_mutex_lock(&run->sh->sess_lock);
	if (run->sess_seen[i] < rn->gen) {
		(void)session_install(run, i);   /* another lane renewed it meanwhile */
	} else if (rn->gen < SESSION_RENEWALS_MAX) {
		rn->gen++;
		if (session_mint(run, i, &session, &csrf) == 0) {
			free(rn->session);
			free(rn->csrf);
			rn->session = session;
			rn->csrf = csrf;
		}
		(void)session_install(run, i);
	}
	pthread_mutex_unlock(&run->sh->sess_lock);
	free(run->sess_start[i]);
	run->sess_start[i] = http_actor_cookie(a, session_cookie_name(run));
}

/* Boot session i's user has no session cookie left, where the running
 * check began with one, or the check signed that user in through the
 * app's own form as another client (sign_in_note): an app keeping one
 * session per user ends the one the grader holds without a word to its
 * client, and every check after it was sent to the login page (h681: 15
 * and 80 lost by correct apps). A fresh session (session_renew). */
static void session_renew_if_ended(struct run *run, size_t i)
{
	const struct boot_info *b = run->o->boot;
	struct http_actor *a;
	char *now;
	bool ended = run->sess_signed_in[i];

	run->sess_signed_in[i] = false;
	if (!run->sess_start[i] || http_actor_get(run->http, b->sessions[i].username, &a) < 0)
		return;
	now = http_actor_cookie(a, session_cookie_name(run));
	/* Django deletes a cookie by sending it empty and expired, which
	 * Python writes `""` and libcurl may keep until its next request. */
	ended |= !now || !now[0] || !strcmp(now, "\"\"");
	free(now);
	if (ended)
		session_renew(run, i, a);
}

/*
 * After a check: a signed-in user whose session cookie the app deleted (a
 * view calling logout() where no check asked for it: a CSRF failure view,
 * a page turning non-staff away, h297) gets a fresh session, so the checks
 * after it judge what they ask rather than a redirect to the login page.
 * Minted by the boot's wrapper, not through the app's views; only a
 * deleted cookie counts (a login cycles the key, and a renewal would cost
 * a request for nothing). A renewal that fails leaves the jar as it is.
 */
static void sessions_renew(struct run *run)
{
	const struct boot_info *b = run->o->boot;
	size_t i;

	for (i = 0; b && run->sess_seen && i < b->nsessions; i++)
		session_renew_if_ended(run, i);
	err_clear();
}

/* How much of a page's message an advisory skip keeps: all of it, but
 * where a note says the page is a copy kept from before (its lifetime),
 * the step's advice on what the page should list, which sends the
 * student the wrong way (h1069, h1087: "does it list tickets? (its order
 * may put them later)" of a cached dashboard, the room taken from what
 * it lacks). */
static size_t cached_page_len(bool setup, const struct gbuf *msg)
{
	const char *s = gbuf_str(msg), *dash = last_dash(s);

	if (setup || !dash || !(strstr(s, CACHED_NOTE) || strstr(s, BARE_CACHED_NOTE)))
		return msg->len;
	return (size_t)(dash - s);
}

/*
 * After a step that passed on a refusal (4xx) of a signed-in user's
 * request: a session the refusal ended is renewed at once, inside the
 * check. Refusing is what the step asked, and signing the user out with
 * it is the app's own manner (h297: a CSRF failure view calling logout());
 * the check's next step (csrf-enforced reading alice's list) judges what
 * it asks, not the sign-out. A sign-out view answers 2xx or 3xx, and a
 * check that signs out on purpose keeps its signed-out jar.
 */
static void session_after_refusal(struct run *run, const struct step *s)
{
	const struct boot_info *b = run->o->boot;
	size_t i;

	if (!b || !run->sess_seen || run->last_status < 400 || !s->actor)
		return;
	for (i = 0; i < b->nsessions; i++)
		if (!strcmp(b->sessions[i].username, s->actor))
			session_renew_if_ended(run, i);
	err_clear();
}

/* The after_failure steps right after step `failed`, which failed: each
 * reads what the failure left and says it beside the message (a refused
 * change the page shows saved, or not: h1097), in its note for holding or
 * failing. Never judged: the check has already failed, and a step of
 * these that the app answers with an error or not at all ends them
 * silently. What they capture is theirs alone; the unkept field the
 * failure noted stays the failure's. */
static int explain_failure(struct run *run, const struct check *ck, size_t failed, struct gbuf *msg)
{
	struct gbuf scratch = GBUF_INIT(8192);
	char unkept[sizeof(run->unkept)], unkept_key[sizeof(run->unkept_key)];
	int outcome = STEP_PASSED, rc = 0;
	size_t j;

	memcpy(unkept, run->unkept, sizeof(unkept));
	memcpy(unkept_key, run->unkept_key, sizeof(unkept_key));
	/* Found on a page nothing links: said so already (h1159); so is a
	 * field the check's form lacked, whose note is the fix (h553: the
	 * changelist read unfiltered then told of categories stored). */
	if (run->found_on_page || run->absent.len)
		outcome = STEP_FAILED;
	for (j = failed + 1; j < ck->nsteps && ck->steps[j].after_failure && outcome == STEP_PASSED; j++) {
		const struct step *s = &ck->steps[j];
		const char *note;
		long queries = -1;

		gbuf_reset(&scratch);
		run->last_status = 0;
		outcome = run_step(run, s, &scratch, &queries);
		form_memo_clear(run);
		if (outcome < 0) {
			rc = -1;
			break;
		}
		note = outcome == STEP_PASSED ? s->note_held : outcome == STEP_FAILED ? s->note_failed : NULL;
		if (note && s->note_replaces) {
			struct gbuf said = GBUF_INIT(1024), out = GBUF_INIT(8192);

			template_elide_str(note, run->vars, &said);
			advice_replaced(msg, gbuf_str(&said), &out);
			gbuf_release(msg);
			*msg = out;
			gbuf_release(&said);
		} else if (note) {
			gbuf_adds(msg, "; ");
			template_elide_str(note, run->vars, msg);
		}
	}
	memcpy(run->unkept, unkept, sizeof(unkept));
	memcpy(run->unkept_key, unkept_key, sizeof(unkept_key));
	gbuf_release(&scratch);
	return rc;
}

static int run_check(struct run *run, const struct check *ck, struct grade_result *res,
		     struct check_result *cr)
{
	struct gbuf msg = GBUF_INIT(8192);
	int outcome = STEP_PASSED;
	long long t0 = monotime_now_ms(), t0_us = monotime_now_us(), wall_us;
	struct check_timing *t = &cr->timing;
	size_t i;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	run->timing = t;
	run->throttled = run->locked_out = run->locked_first = false;
	run->unanswered = run->found_on_page = false;
	strlist_free(&run->read_ok);
	gbuf_reset(&run->refused_form);
	gbuf_reset(&run->absent);
	run->refused_as_get = false;
	run->refused_choice[0] = '\0';
	run->unkept[0] = run->unkept_key[0] = '\0';
	strlist_free(&run->chosen);
	strlist_free(&run->unjudged);
	run->unoffered[0] = '\0';
	free(cr->message);
	cr->message = NULL;
	free(cr->unkept);
	free(cr->unkept_key);
	cr->unkept = cr->unkept_key = NULL;
	cr->status = CHECK_PASS;
	for (i = 0; i < ck->ndepends; i++) {
		const struct check_result *dep = find_result(res, ck->depends_on[i]);

		if (!dep || dep->status != CHECK_PASS) {
			cr->status = CHECK_SKIP;
			gbuf_addf(&msg, "not run: it depends on '%s', which did not pass", ck->depends_on[i]);
			goto done;
		}
	}
	if (app_dead(run)) {
		cr->status = CHECK_ERROR;
		gbuf_adds(&msg, "not run: the app crashed earlier and is no longer running");
		goto done;
	}
	for (i = 0; i < ck->nsteps; i++) {
		long queries = -1, k;
		int unjudged;

		/* Said only after a failure (explain_failure), never judged. */
		if (ck->steps[i].after_failure)
			continue;
		unjudged = step_unjudged(run, &ck->steps[i]);
		if (unjudged < 0) {
			rc = -1;
			goto done;
		}
		for (k = 1; !unjudged && k <= ck->steps[i].repeat && outcome == STEP_PASSED; k++) {
			/* {{i}} numbers the repetitions, so each can differ. */
			cJSON_DeleteItemFromObjectCaseSensitive(run->vars, "i");
			if (!cJSON_AddNumberToObject(run->vars, "i", (double)k)) {
				rc = err_set("out of memory");
				goto done;
			}
			run->last_status = 0;
			outcome = run_step(run, &ck->steps[i], &msg, &queries);
			if (outcome < 0) {
				rc = -1;
				goto done;
			}
			if (outcome == STEP_PASSED)
				session_after_refusal(run, &ck->steps[i]);
		}
		form_memo_clear(run);
		if (queries >= 0)
			cr->queries = queries;
		/* A guard that does not hold: nothing more to measure, and what
		 * came before it stands (the check passes). */
		if (outcome == STEP_FAILED && ck->steps[i].guard) {
			outcome = STEP_PASSED;
			break;
		}
		if (outcome != STEP_PASSED && ck->advisory && !app_dead(run) &&
		    (ck->steps[i].setup || run->throttled || run->unanswered)) {
			/* The check could not make what it measures, the page it
			 * measures gave it nothing to measure (a staff dashboard
			 * refused to staff, a first page showing none of its rows:
			 * said so, not as the page's fault, h1025, h1027, h1051),
			 * or the app refused its requests as
			 * too many (429) before it could: nothing to warn the
			 * student about (the scored checks judge the feature, and
			 * the throttle is said there). */
			struct gbuf pre = GBUF_INIT(8192);
			/* Its setup's form answered 2xx with errors: what it
			 * made is missing, not the page wrong (h227). */
			bool refused = !ck->steps[i].setup && !run->throttled && run->refused_form.len;

			cr->status = CHECK_SKIP;
			gbuf_adds(&pre, ck->steps[i].setup ? "not measured: its setup failed"
					: run->throttled ? "not measured: the app refused a request as too many (429)"
					: refused ? "not measured: its setup's form was refused"
					: "not measured: the page it measures gave it nothing to measure");
			if (ck->steps[i].name)
				gbuf_addf(&pre, " (%s)", ck->steps[i].name);
			gbuf_adds(&pre, ": ");
			if (refused)
				after_refused_form(run, &ck->steps[i], &msg, &pre);
			else
				gbuf_add(&pre, msg.data, cached_page_len(ck->steps[i].setup, &msg));
			gbuf_release(&msg);
			msg = pre;
			goto done;
		}
		if (outcome != STEP_PASSED) {
			cr->status = outcome == STEP_APP_FAULT ? CHECK_ERROR : CHECK_FAIL;
			if ((ck->steps[i].name && ck->nsteps > 1) || run->refused_form.len || run->throttled) {
				struct gbuf pre = GBUF_INIT(8192);

				if (ck->steps[i].name && ck->nsteps > 1) {
					template_elide_str(ck->steps[i].name, run->vars, &pre);
					gbuf_adds(&pre, ": ");
				}
				if (run->throttled && outcome == STEP_FAILED)
					after_throttle(run, &msg, &pre);
				else if (run->refused_form.len && outcome == STEP_FAILED)
					after_refused_form(run, &ck->steps[i], &msg, &pre);
				else if (outcome != STEP_FAILED || !after_absent_field(run, &msg, &pre))
					gbuf_add(&pre, msg.data, msg.len);
				gbuf_release(&msg);
				msg = pre;
			}
			if (outcome == STEP_FAILED && explain_failure(run, ck, i, &msg) < 0)
				rc = -1;
			goto done;
		}
	}
done:
	if ((cr->status == CHECK_FAIL || cr->status == CHECK_ERROR) && run->unkept[0]) {
		cr->unkept = strdup(run->unkept);
		cr->unkept_key = strdup(run->unkept_key);
	}
	cr->duration_ms = (long)(monotime_now_ms() - t0);
	/* http_us held the exchanges' whole time: split it (result.h). */
	wall_us = monotime_now_us() - t0_us;
	t->grader_us = wall_us > t->http_us ? wall_us - t->http_us : 0;
	t->http_us -= t->connect_us + t->app_us + t->recv_us;
	if (t->http_us < 0)
		t->http_us = 0;
	run->timing = NULL;
	if (rc < 0) {
		/* The grader broke, not the app: nothing was judged. */
		cr->status = CHECK_SKIP;
		gbuf_reset(&msg);
		gbuf_adds(&msg, "not judged: the grader failed during this check (the diagnosis says how)");
	}
	if (cr->status != CHECK_PASS)
		set_message(cr, &msg);
	cr->points = cr->status == CHECK_PASS && !ck->advisory ? ck->points : 0;
	gbuf_release(&msg);
	return rc;
}

/* What user u signs in with on a login form: the app's USERNAME_FIELD value
 * as the boot reported it (the email on an email-login model), else the
 * spec's username. */
static const char *user_login(const struct run *run, const struct user *u)
{
	const struct boot_info *b = run->o->boot;
	size_t k;

	for (k = 0; b && k < b->nsessions; k++)
		if (b->sessions[k].login && !strcmp(b->sessions[k].username, u->username))
			return b->sessions[k].login;
	return u->username;
}

/* The other requirements file ("requirements/local.txt") every inferred
 * package is listed in, of "DIST\tFILE\tMAIN" entries, with its length
 * (then a tab and MAIN); NULL when not all, not one file, or a single
 * package (said "only FILE does"). */
static const char *grouped_one_file(const struct engine_opts *o, size_t *len)
{
	const char *first = strchr(o->grouped[0], '\t'), *tab;
	size_t i;

	if (!first || first[1] == '[' || o->ngrouped != o->ninferred || o->ninferred < 2)
		return NULL;
	first++;
	*len = strcspn(first, "\t");
	if (first[*len] != '\t')
		return NULL;
	for (i = 1; i < o->ngrouped; i++) {
		tab = strchr(o->grouped[i], '\t');
		if (!tab || strncmp(tab + 1, first, *len + 1))
			return NULL;
	}
	return first;
}

/*
 * {{env.*}} (docs/checks.md): the packages inferred, the requirements file,
 * and where the file has them: nowhere ("does not declare"), or only in a
 * group it does not install, said with where they belong (h371: a Poetry
 * dev group's package read "does not declare"). 0, or -1 + err.
 */
static int vars_env(const struct engine_opts *o, cJSON *ev)
{
	struct gbuf inf = GBUF_INIT(4096), und = GBUF_INIT(4096), how = GBUF_INIT(4096);
	struct gbuf file_said = GBUF_INIT(4096);
	const char *tab, *tab2, *main = NULL, *file;
	bool one = o->ngrouped == 1 && o->ninferred == 1;
	size_t flen, i;
	int rc = -1;

	for (i = 0; i < o->ninferred; i++)
		gbuf_addf(&inf, "%s%s", i ? ", " : "", o->inferred[i]);
	if (!o->ngrouped && o->requirements_none) {
		/* Not "which requirements.txt (the project has none) does
		 * not declare" (h1223). */
		gbuf_adds(&und, "does not declare: it has no requirements file");
		gbuf_adds(&how, "add one declaring each, pinned");
	} else if (!o->ngrouped) {
		/* A range is how Poetry and Pipenv declare (h1227: "^6.9"). */
		gbuf_adds(&und, "does not declare");
		gbuf_adds(&how, o->requirements && (strstr(o->requirements, ".toml") || strstr(o->requirements, "Pipfile"))
					? "add each there, with the versions you use"
					: "add each there, pinned");
	} else if ((file = grouped_one_file(o, &flen))) {
		/* Every one in one other file (h457: cookiecutter's
		 * requirements/local.txt): that file once, not beside each
		 * package, where the cut took the file's name. */
		gbuf_addf(&und, "does not declare (only %.*s lists them)", (int)flen, file);
		gbuf_addf(&how, "declare each in %s, pinned", file + flen + 1);
	} else {
		/* Short: the message is cut at MSG_MAX bytes, and its advice
		 * ("a deployment from FILE alone would fail, so declare each
		 * in MAIN") comes after these words. */
		/* A group of the file ("[dependency-groups] dev"), or another
		 * requirements file beside it ("requirements-dev.txt", h389). */
		bool files = o->grouped[0][strcspn(o->grouped[0], "\t")] == '\t' &&
			     strchr(o->grouped[0], '\t')[1] != '[';

		if (files)
			gbuf_adds(&und, one ? "does not declare (only "
					    : o->ngrouped < o->ninferred ? "does not declare (some only other files list: "
									 : "does not declare (only other files list them: ");
		else
			gbuf_adds(&und, one ? "lists only in "
					    : o->ngrouped < o->ninferred ? "does not declare, or lists only in a group ("
									 : "lists only in groups (");
		for (i = 0; i < o->ngrouped; i++) {
			tab = strchr(o->grouped[i], '\t');
			tab2 = tab ? strchr(tab + 1, '\t') : NULL;
			if (!tab2)
				continue;
			if (!one)
				gbuf_addf(&und, "%s%.*s: ", i ? "; " : "", (int)(tab - o->grouped[i]), o->grouped[i]);
			gbuf_add(&und, tab + 1, (size_t)(tab2 - tab - 1));
			if (!main)
				main = tab2 + 1;
		}
		if (files)
			gbuf_adds(&und, one ? " does)" : ")");
		else if (!one)
			gbuf_addch(&und, ')');
		gbuf_addf(&how, "declare each in %s, pinned", main ? main : "its dependencies");
	}
	if (!o->ngrouped && o->requirements_none)
		gbuf_adds(&file_said, "the project");
	else
		gbuf_addf(&file_said, "%s%s", o->requirements ? o->requirements : "requirements.txt",
			  o->requirements_none ? " (the project has none)" : "");
	if (!ev || !cJSON_AddStringToObject(ev, "requirements", gbuf_str(&file_said)) ||
	    !cJSON_AddStringToObject(ev, "requirements_file", o->requirements ? o->requirements : "requirements.txt") ||
	    !cJSON_AddStringToObject(ev, "inferred", gbuf_str(&inf)) ||
	    !cJSON_AddStringToObject(ev, "undeclared", gbuf_str(&und)) ||
	    !cJSON_AddStringToObject(ev, "declare_how", gbuf_str(&how))) {
		err_set("out of memory");
		goto done;
	}
	rc = 0;
done:
	gbuf_release(&inf);
	gbuf_release(&und);
	gbuf_release(&how);
	gbuf_release(&file_said);
	return rc;
}
/*
 * An operation of makemigrations' list, "Alter field image on recipe",
 * on a field the boot found with a storage given its own location
 * ("recipe.image" among `storage`): Django writes that absolute path into
 * the migration, so the field reads as changed in any other checkout
 * while the model did not change (h486).
 */
static bool migrations_op_storage(const char *op, const char *storage)
{
	char field[64], model[64], key[130];
	const char *at;
	size_t klen;

	if (!storage || !*storage || sscanf(op, "Alter field %63s on %63s", field, model) != 2)
		return false;
	klen = (size_t)snprintf(key, sizeof(key), "%s.%s", model, field);
	for (at = strstr(storage, key); at; at = strstr(at + 1, key))
		if ((at == storage || at[-1] == ' ') && (at[klen] == ' ' || !at[klen]))
			return true;
	return false;
}

/*
 * {{boot.migrations_change}}: the first operation makemigrations --dry-run
 * would write, as "; its first change: Create constraint stock_gte_0 on
 * model product", or "" (h387: the warning named the app alone, and a
 * missing constraint's migration cost two stock checks without a word of
 * it). Django lists each under its file: "    - Add field ..." before
 * 5.1, "    + Create ...", "    ~ Alter ..." since. And
 * {{boot.migrations_storage_only}}: every change a storage's location
 * (migrations_op_storage), which makemigrations does not mend. 0, or -1
 * (memory).
 */
static int migrations_change(const struct boot_info *b, cJSON *bo)
{
	char change[160] = "";
	const char *p = b->migrations_detail, *nl, *t;
	int n, ops = 0, ids = 0, stored = 0, calls = 0;
	bool hist, hist_first = false, stored_first = false, skip;
	char line[104], called[120] = "", field[64];
	const char *q;

	while (p && *p) {
		nl = p + strcspn(p, "\n");
		for (t = p; t < nl && (*t == ' ' || *t == '\t'); t++)
			;
		if (t >= p + 2 && t + 2 < nl && strchr("-+~", *t) && t[1] == ' ') {
			ops++;
			/* A default computed at import (h724: default=uuid.uuid4(),
			 * which the boot says after the line): said as such, the
			 * model's doing, not DEFAULT_AUTO_FIELD's. */
			q = memmem(t, (size_t)(nl - t), " (default calls ", 16);
			if (q && !calls++ && sscanf(t + 2, "Alter field %63s", field) == 1)
				snprintf(called, sizeof(called), "; %s's default %.*s", field,
					 (int)(nl - q - 10 - (nl[-1] == ')')), q + 10);
			ids += !q && !strncmp(t + 2, "Alter field id on ", 18);
			n = (int)(nl - t - 2) > 100 ? 100 : (int)(nl - t - 2);
			/* django-simple-history's copy of a model (historicalproduct)
			 * changes with it and may be listed first: the model the
			 * student edited is the one to name (h475); so is a real
			 * change before a storage's location. */
			snprintf(line, sizeof(line), "%.*s", n, t + 2);
			hist = strcasestr(line, " historical") != NULL;
			skip = migrations_op_storage(line, b->migrations_storage);
			stored += skip;
			if (!change[0] || (hist_first && !hist) || (stored_first && !skip)) {
				snprintf(change, sizeof(change), "; its first change: %.*s%s", n, t + 2,
					 (int)(nl - t - 2) > 100 ? "..." : "");
				hist_first = hist;
				stored_first = skip;
			}
		}
		p = *nl ? nl + 1 : nl;
	}
	/* Every change a primary key's type: no model changed, the default
	 * did (h422: Django 6.0's DEFAULT_AUTO_FIELD is BigAutoField, a
	 * project begun on 5.2 without the setting). Short: a value in a
	 * message is cut at 60 bytes. */
	if (ops && ids == ops)
		snprintf(change, sizeof(change), "; only the ids' type changes: check DEFAULT_AUTO_FIELD");
	else if (ops && calls + ids == ops && calls)
		snprintf(change, sizeof(change), "%s", called);
	return cJSON_AddStringToObject(bo, "migrations_change", change) &&
	       cJSON_AddBoolToObject(bo, "migrations_storage_only", ops && stored == ops) ? 0 : -1;
}

/* run.nonce and users.NAME.{username,login,password,email}. */
static int vars_init(struct run *run, const char *nonce)
{
	cJSON *runv, *users;
	char hex[17];
	unsigned char rnd[4];
	size_t i;

	run->vars = cJSON_CreateObject();
	if (!run->vars)
		return err_set("out of memory");
	if (!nonce) {
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return err_set_errno("getrandom");
		snprintf(hex, sizeof(hex), "%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3]);
		/* A digit first: Django's |title (and CSS-free capitalising
		 * filters like it) leaves a letter after a digit alone, so the
		 * titles a check makes read the same in every run; a nonce
		 * starting with a letter was capitalised in one run in three,
		 * and a score changed from run to run (h636). */
		hex[0] = (char)('0' + rnd[0] % 10);
		nonce = hex;
	}
	runv = cJSON_AddObjectToObject(run->vars, "run");
	users = cJSON_AddObjectToObject(run->vars, "users");
	if (!runv || !users || !cJSON_AddObjectToObject(run->vars, "unknown") ||
	    !cJSON_AddStringToObject(runv, "nonce", nonce) ||
	    !cJSON_AddStringToObject(runv, "csrf_tag", csrf_tag_said(run->o->boot, true)))
		return err_set("out of memory");
	if (run->o->boot) {
		const struct boot_info *b = run->o->boot;
		cJSON *bo = cJSON_AddObjectToObject(run->vars, "boot");

		if (!bo)
			return err_set("out of memory");
		if (b->migrations_current >= 0)
			cJSON_AddBoolToObject(bo, "migrations_current", b->migrations_current == 1);
		else
			cJSON_AddNullToObject(bo, "migrations_current");
		cJSON_AddStringToObject(bo, "migrations_detail", b->migrations_detail ? b->migrations_detail : "");
		cJSON_AddStringToObject(bo, "migrations_pending", b->migrations_pending ? b->migrations_pending : "");
		if (migrations_change(b, bo) < 0)
			return err_set("out of memory");
		cJSON_AddStringToObject(bo, "django_version", b->django_version ? b->django_version : "");
		cJSON_AddStringToObject(bo, "debug", b->debug_repr ? b->debug_repr : "");
		cJSON_AddStringToObject(bo, "debug_where", b->debug_where ? b->debug_where : "");
		/* Django's "This field is required." in the app's language, for
		 * a check's pattern to quote (\Q...\E): never empty, which
		 * would match anything there (h601). */
		cJSON_AddStringToObject(bo, "required_message",
					b->required_message && *b->required_message && !strstr(b->required_message, "\\E")
						? b->required_message : "This field is required.");
	}
	if (vars_env(run->o, cJSON_AddObjectToObject(run->vars, "env")) < 0)
		return -1;
	for (i = 0; i < run->c->nusers; i++) {
		const struct user *u = &run->c->users[i];
		cJSON *uo = cJSON_AddObjectToObject(users, u->username);

		if (!uo || !cJSON_AddStringToObject(uo, "username", u->username) ||
		    !cJSON_AddStringToObject(uo, "login", user_login(run, u)) ||
		    !cJSON_AddStringToObject(uo, "password", u->password ? u->password : "") ||
		    !cJSON_AddStringToObject(uo, "email", u->email ? u->email : ""))
			return err_set("out of memory");
	}
	return 0;
}

/* Sign the users' actors in: the session and CSRF cookies minted at boot, and
 * the API's own credential where it takes no sessions, or after a refusal
 * where it takes both (contracts §2). */
static int actors_init(struct run *run)
{
	const struct boot_info *b = run->o->boot;
	struct http_actor *a;
	bool beside;
	size_t i, u;

	if (!b)
		return 0;
	/* "session+token": views that take the session get it alone; the
	 * token only follows a refusal (http_actor_set_authorization_on_refusal). */
	beside = b->auth_scheme && !strncmp(b->auth_scheme, "session+", 8);
	for (i = 0; i < b->nsessions; i++) {
		const struct boot_session *s = &b->sessions[i];

		if (http_actor_get(run->http, s->username, &a) < 0)
			return -1;
		if (s->session_value && http_actor_set_cookie(a, session_cookie_name(run), s->session_value) < 0)
			return -1;
		if (s->csrf_value && http_actor_set_cookie(a, csrf_cookie_name(run), s->csrf_value) < 0)
			return -1;
		/* A DRF API that takes no sessions: the token minted at boot
		 * (none for a challenge of a browser's pages, h534), in the
		 * header the API reads it from. */
		if (s->authorization && http_actor_set_authorization_header(a, b->auth_header) < 0)
			return -1;
		if (s->authorization && (beside ? http_actor_set_authorization_on_refusal(a, s->authorization)
						: http_actor_set_authorization(a, s->authorization)) < 0)
			return -1;
		/* A 401 asking for Basic gets the name and password (http.h);
		 * not in a challenge of a browser's pages (h534). */
		for (u = 0; u < run->c->nusers && strcmp(run->c->users[u].username, s->username); u++)
			;
		if (u < run->c->nusers && !run->c->sign_in_session &&
		    http_actor_set_basic_on_challenge(a, s->login ? s->login : s->username,
						      run->c->users[u].password) < 0)
			return -1;
	}
	return 0;
}

static void timing_sum(struct check_timing *sum, const struct check_timing *t)
{
	sum->requests += t->requests;
	sum->connects += t->connects;
	sum->connect_us += t->connect_us;
	sum->app_us += t->app_us;
	sum->recv_us += t->recv_us;
	sum->http_us += t->http_us;
	sum->grader_us += t->grader_us;
}

/* ---- running the checks: lanes and their schedule ------------------------ */

enum ck_state { CK_WAITING = 0, CK_RUNNING, CK_DONE };

/* The schedule the lanes share: which checks are waiting, running, done,
 * and the run's variables as the finished checks left them. */
struct sched {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	const struct engine_opts *o;
	const struct checkplan *plan;
	struct grade_result *res;
	enum ck_state *state;
	cJSON *vars;          /* base variables + what finished checks captured */
	bool failed;          /* a lane broke (err below): the others stop */
	char err[512];
	bool timed_out;
};

struct lane {
	struct run run;
	struct sched *sc;
	pthread_t thread;
	bool started;
};

/* The next check this lane may start, or -1 when none is left (*wait:
 * some are, but each waits for a conflicting check before it). Under
 * sc->lock. A check waits for every earlier check it conflicts with. */
static long sched_pick(struct sched *sc, bool *wait)
{
	const struct challenge *c = sc->o->challenge;
	size_t i, j;
	bool ready;

	*wait = false;
	for (i = 0; i < c->nchecks && !sc->failed; i++) {
		if (sc->state[i] != CK_WAITING)
			continue;
		ready = true;
		for (j = 0; j < i && ready; j++)
			if (sc->state[j] != CK_DONE && checkplan_conflict(sc->plan, j, i))
				ready = false;
		if (ready)
			return (long)i;
		*wait = true;
	}
	return -1;
}

/* What a check left in its lane's variables (captures, {{i}}, an any_of
 * variable) becomes the run's, for the checks after it. Under sc->lock. */
static int sched_merge(struct sched *sc, const cJSON *vars)
{
	const cJSON *it;
	cJSON *copy;

	cJSON_ArrayForEach(it, vars) {
		if (!strcmp(it->string, "run") || !strcmp(it->string, "users") || !strcmp(it->string, "boot") ||
		    !strcmp(it->string, "env"))
			continue;
		copy = cJSON_Duplicate(it, 1);
		cJSON_DeleteItemFromObjectCaseSensitive(sc->vars, it->string);
		if (!copy || !cJSON_AddItemToObject(sc->vars, it->string, copy)) {
			cJSON_Delete(copy);
			return err_set("out of memory");
		}
	}
	return 0;
}

/* Run check i in this lane (not under the lock). */
static int lane_run_check(struct lane *l, size_t i)
{
	struct sched *sc = l->sc;
	const struct check *ck = &sc->o->challenge->checks[i];
	struct check_result *cr = &sc->res->checks[i];
	int rc;

	pthread_mutex_lock(&sc->lock);
	cJSON_Delete(l->run.vars);
	l->run.vars = cJSON_Duplicate(sc->vars, 1);
	pthread_mutex_unlock(&sc->lock);
	if (!l->run.vars || sessions_resume(&l->run) < 0)
		return l->run.vars ? -1 : err_set("out of memory");
	rc = run_check(&l->run, ck, sc->res, cr);
	if (rc == 0)
		sessions_renew(&l->run);
	if (rc == 0) {
		pthread_mutex_lock(&sc->lock);
		rc = sched_merge(sc, l->run.vars);
		pthread_mutex_unlock(&sc->lock);
	}
	return rc;
}

static void *lane_main(void *arg)
{
	struct lane *l = arg;
	struct sched *sc = l->sc;
	struct check_result *cr;
	bool wait;
	long i;
	int rc;

	pthread_mutex_lock(&sc->lock);
	for (;;) {
		i = sched_pick(sc, &wait);
		if (i < 0 && wait) {
			pthread_cond_wait(&sc->cond, &sc->lock);
			continue;
		}
		if (i < 0)
			break;
		sc->state[i] = CK_RUNNING;
		cr = &sc->res->checks[i];
		rc = 0;
		if (intr_signal()) {
			/* SIGINT/SIGTERM: the app is already gone (intr.h). */
			cr->status = CHECK_ERROR;
			free(cr->message);
			cr->message = strdup("not run: the grader was interrupted");
		} else if (sc->o->deadline_ms && monotime_now_ms() > sc->o->deadline_ms) {
			sc->timed_out = true;
			cr->status = CHECK_ERROR;
			free(cr->message);
			cr->message = strdup("not run: the run's time limit was reached");
		} else {
			pthread_mutex_unlock(&sc->lock);
			rc = lane_run_check(l, (size_t)i);
			pthread_mutex_lock(&sc->lock);
		}
		if (rc < 0 && !sc->failed) {
			sc->failed = true;
			snprintf(sc->err, sizeof(sc->err), "%s", err_last());
		}
		sc->state[i] = CK_DONE;
		pthread_cond_broadcast(&sc->cond);
	}
	pthread_mutex_unlock(&sc->lock);
	return NULL;
}

/* A lane's socket hook: the app's control channel one thread at a time. */
static int lane_open_socket(void *ctx)
{
	struct run *run = ctx;
	int fd;

	pthread_mutex_lock(&run->sh->app_lock);
	fd = run->o->open_socket(run->o->open_socket_ctx);
	pthread_mutex_unlock(&run->sh->app_lock);
	return fd;
}

/* How many lanes: --jobs-checks (engine_opts.jobs), at most the
 * challenge's `concurrency:` and the number of checks. */
static size_t lanes_wanted(const struct engine_opts *o)
{
	long n = o->jobs > 0 ? o->jobs : ENGINE_JOBS_DEFAULT;

	if (o->challenge->concurrency > 0 && n > o->challenge->concurrency)
		n = o->challenge->concurrency;
	if ((size_t)n > o->challenge->nchecks)
		n = (long)o->challenge->nchecks;
	return n < 1 ? 1 : (size_t)n;
}

/* The result entries, in the challenge's order, before any check runs. */
static int results_init(const struct challenge *c, struct grade_result *res)
{
	size_t i;

	res->checks = calloc(c->nchecks ? c->nchecks : 1, sizeof(*res->checks));
	if (!res->checks)
		return err_set("out of memory");
	res->nchecks = 0;
	res->score = 0;
	res->max_score = 0;
	memset(&res->t_checks_split, 0, sizeof(res->t_checks_split));
	for (i = 0; i < c->nchecks; i++) {
		const struct check *ck = &c->checks[i];
		struct check_result *cr = &res->checks[res->nchecks++];

		cr->id = strdup(ck->id);
		cr->title = strdup(ck->title ? ck->title : ck->id);
		cr->category = strdup(ck->category ? ck->category : "");
		cr->max_points = ck->advisory ? 0 : ck->points;
		cr->advisory = ck->advisory;
		cr->visibility = ck->visibility;
		cr->queries = -1;
		/* Not run until a lane runs it: a run the grader gave up on
		 * (internal error) must not list the checks it never reached
		 * as passed. */
		cr->status = CHECK_SKIP;
		cr->message = strdup("not run: the grader stopped before this check (the diagnosis says why)");
		if (!cr->id || !cr->title || !cr->category || !cr->message)
			return err_set("out of memory");
		if (!ck->advisory)
			res->max_score += ck->points;
	}
	return 0;
}

int engine_run(const struct engine_opts *o, struct grade_result *res)
{
	const struct challenge *c = o->challenge;
	struct shared sh;
	struct sched sc;
	struct checkplan *plan = NULL;
	struct lane *lanes = NULL;
	struct run base;
	size_t i, j, nsess = 0, nlanes = lanes_wanted(o);
	int rc = -1;

	memset(&sh, 0, sizeof(sh));
	memset(&sc, 0, sizeof(sc));
	memset(&base, 0, sizeof(base));
	pthread_mutex_init(&sh.app_lock, NULL);
	pthread_mutex_init(&sh.sess_lock, NULL);
	pthread_mutex_init(&sc.lock, NULL);
	pthread_cond_init(&sc.cond, NULL);
	sc.o = o;
	sc.res = res;
	base.o = o;
	base.c = c;
	base.http = o->http;
	base.sh = &sh;
	if (results_init(c, res) < 0 || checkplan_build(c, &plan) < 0)
		goto done;
	sc.plan = plan;
	nsess = o->boot ? o->boot->nsessions : 0;
	if (!(sc.state = calloc(c->nchecks ? c->nchecks : 1, sizeof(*sc.state))) ||
	    !(lanes = calloc(nlanes, sizeof(*lanes))) ||
	    !(sh.renewed = calloc(nsess ? nsess : 1, sizeof(*sh.renewed)))) {
		err_set("out of memory");
		goto done;
	}
	/* The run's variables, and the users signed in (their cookies go to
	 * the jars every lane shares). */
	if (vars_init(&base, o->nonce) < 0 || actors_init(&base) < 0)
		goto done;
	sc.vars = base.vars;
	base.vars = NULL;
	html_init();
	for (i = 0; i < nlanes; i++) {
		struct run *r = &lanes[i].run;

		*r = base;
		if (!(r->sess_seen = calloc(nsess ? nsess : 1, sizeof(*r->sess_seen))) ||
		    !(r->sess_start = calloc(nsess ? nsess : 1, sizeof(*r->sess_start))) ||
		    !(r->sess_signed_in = calloc(nsess ? nsess : 1, sizeof(*r->sess_signed_in)))) {
			err_set("out of memory");
			goto done;
		}
		gbuf_init(&r->filled, 1024);
		gbuf_init(&r->choiceless, 512);
		gbuf_init(&r->absent, 1024);
		gbuf_init(&r->unfillable, 1024);
		gbuf_init(&r->refused_form, 1024);
		lanes[i].sc = &sc;
		if (nlanes > 1 &&
		    (http_client_lane(o->http, o->open_socket ? lane_open_socket : NULL, r, &r->http) < 0 ||
		     actors_init(r) < 0))
			goto done;
	}
	if (nlanes == 1) {
		lane_main(&lanes[0]);
	} else {
		for (i = 0; i < nlanes; i++) {
			if (pthread_create(&lanes[i].thread, NULL, lane_main, &lanes[i]) != 0) {
				pthread_mutex_lock(&sc.lock);
				sc.failed = true;
				snprintf(sc.err, sizeof(sc.err), "could not start a thread for the checks");
				pthread_cond_broadcast(&sc.cond);
				pthread_mutex_unlock(&sc.lock);
				break;
			}
			lanes[i].started = true;
		}
		for (i = 0; i < nlanes; i++)
			if (lanes[i].started)
				pthread_join(lanes[i].thread, NULL);
	}
	if (sc.failed) {
		err_set("%s", sc.err);
		goto done;
	}
	for (i = 0; i < res->nchecks; i++) {
		res->score += res->checks[i].points;
		timing_sum(&res->t_checks_split, &res->checks[i].timing);
	}
	res->checks_split_known = true;
	/* A view asked for Basic and got it (http.h): the report says so. */
	res->server_error = sh.server_error;
	if (sh.basic_answered && res->auth_scheme && !strcmp(res->auth_scheme, "session")) {
		result_setf(&res->auth_scheme, "session+basic");
		/* No change taken on the session alone: the text report says
		 * Basic did it all (h1174, h1185, h1191: "session+basic" of
		 * an app ignoring the session). */
		res->auth_basic_only = !sh.session_taken;
	}
	/* Every request of a signed-in user answered 401 (a JWT read from a
	 * cookie alone, a token scheme of the app's own; h367, h381): the
	 * users were never signed in, and the report says so, not what was
	 * sent as if it had worked. */
	if (sh.signin_refused && !sh.signin_taken && res->auth_scheme)
		result_setf(&res->auth_scheme, "none");
	rc = sc.timed_out ? ENGINE_TIMED_OUT : ENGINE_DONE;
done:
	for (i = 0; lanes && i < nlanes; i++) {
		free(lanes[i].run.base);
		for (j = 0; lanes[i].run.sess_start && j < nsess; j++)
			free(lanes[i].run.sess_start[j]);
		free(lanes[i].run.sess_start);
		free(lanes[i].run.sess_seen);
		free(lanes[i].run.sess_signed_in);
		cJSON_Delete(lanes[i].run.vars);
		gbuf_release(&lanes[i].run.filled);
		strlist_free(&lanes[i].run.refill_names);
		strlist_free(&lanes[i].run.refill_values);
		strlist_free(&lanes[i].run.chosen);
		strlist_free(&lanes[i].run.read_ok);
		strlist_free(&lanes[i].run.unjudged);
		gbuf_release(&lanes[i].run.choiceless);
		gbuf_release(&lanes[i].run.absent);
		gbuf_release(&lanes[i].run.unfillable);
		cJSON_Delete(lanes[i].run.fill_memo);
		cJSON_Delete(lanes[i].run.fill_refined);
		gbuf_release(&lanes[i].run.refused_form);
		form_memo_clear(&lanes[i].run);
		if (lanes[i].run.http != o->http)
			http_client_free(lanes[i].run.http);
	}
	free(lanes);
	free(sc.state);
	cJSON_Delete(sc.vars);
	cJSON_Delete(base.vars);
	checkplan_free(plan);
	pthread_cond_destroy(&sc.cond);
	pthread_mutex_destroy(&sc.lock);
	for (j = 0; sh.renewed && j < nsess; j++) {
		free(sh.renewed[j].session);
		free(sh.renewed[j].csrf);
	}
	free(sh.renewed);
	pthread_mutex_destroy(&sh.sess_lock);
	pthread_mutex_destroy(&sh.app_lock);
	return rc;
}

void engine_system_checks(const struct engine_opts *o, struct grade_result *res)
{
	if (o->http && run_may_be_refused(o, res))
		system_checks_ask(o, res);
}
