/*
 * http.h - HTTP client for the checks: one libcurl easy handle and one cookie
 * jar per actor, talking to the app under test.
 *
 * Untrusted peer: everything the app sends is bounded. Bodies go into a gbuf
 * with `body_limit` (the transfer is aborted at the ceiling and `truncated`
 * set), header blocks are capped, every exchange has a total timeout and a
 * low-speed limit (a trickling server is cut off), redirects are capped.
 * Transport trouble is the *submission's* fault and is reported in
 * http_response.fault, not as an error: http_send() returns -1 only when the
 * grader itself broke (OOM, curl could not be set up).
 *
 * Ownership: http_client_new() -> http_client_free(); actors belong to their
 * client and are freed with it. The cookie jars are one per actor name and
 * belong to the root client (shared with its lanes, http_client_lane()). http_response is caller-owned storage:
 * http_response_release() frees what http_send() put in it.
 */
#ifndef GRADER_HTTP_H
#define GRADER_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct http_client;
struct http_actor;

struct http_client_opts {
	const char *host;          /* "127.0.0.1" */
	int port;
	size_t body_limit;         /* default 8 MiB */
	long connect_timeout_ms;   /* default 3000 */
	/*
	 * Optional (sandbox, issue 4): a function returning a connected-or-not
	 * stream socket to the app, used through CURLOPT_OPENSOCKETFUNCTION so
	 * the grader never needs a route into the sandbox. Returns fd or -1.
	 */
	int (*open_socket)(void *ctx);
	void *open_socket_ctx;
	/*
	 * The app is served as if over TLS (the boot's "scheme": "https", for
	 * an app that redirects every plain-HTTP request: SECURE_SSL_REDIRECT):
	 * the grader stands for the TLS-terminating proxy. Its own https URLs
	 * on the app's host and port are the app's, and each unsafe request
	 * carries the Origin a browser on an https page of the app sends, which
	 * Django's CSRF check of a secure request wants.
	 */
	bool app_https;
	/*
	 * What a request without an Accept header of its own asks for. A
	 * challenge of pages asks as a browser asks (HTTP_ACCEPT_BROWSER), so
	 * an app that negotiates its answer (DRF's renderers, JSONRenderer
	 * listed before TemplateHTMLRenderer, h701) answers the page a browser
	 * gets, not JSON; an API's asks for JSON first, any type after it
	 * (HTTP_ACCEPT_JSON), as an API's client does, so an API that lists
	 * another renderer first (XML, the browsable API, h705) answers the
	 * JSON it also speaks, and one speaking none of it still answers;
	 * HTTP_ACCEPT_ANY (0) sends curl's any type.
	 */
	enum http_accept { HTTP_ACCEPT_ANY, HTTP_ACCEPT_BROWSER, HTTP_ACCEPT_JSON } accept;
};

int http_client_new(const struct http_client_opts *o, struct http_client **out);
void http_client_free(struct http_client *c);

/*
 * A lane of `root` (engine.h runs checks concurrently, one lane per
 * thread): a client of its own (its own curl handles, used by one thread
 * at a time) talking to the same app, whose actors share root's cookie
 * jars: actor "alice" has one jar for the whole run, whichever lane sends
 * her request, guarded by a lock. `open_socket` replaces root's hook (the
 * caller serialises it if the hook is not thread-safe). Free every lane
 * before root.
 */
int http_client_lane(struct http_client *root, int (*open_socket)(void *ctx), void *ctx,
		     struct http_client **out);

/* The actor called `name`, created on first use with an empty cookie jar. */
int http_actor_get(struct http_client *c, const char *name, struct http_actor **out);
const char *http_actor_name(const struct http_actor *a);

/* Put a cookie in the actor's jar for the app's host, path "/". */
int http_actor_set_cookie(struct http_actor *a, const char *name, const char *value);

/* Send "Authorization: VALUE" with every request of this actor that does not
 * set the header itself (a DRF token or JWT minted at boot, contracts §2);
 * NULL removes it. The value is copied; a line break in it is refused. */
int http_actor_set_authorization(struct http_actor *a, const char *value);

/* Keep "Authorization: VALUE" for a refusal: a request of this actor that
 * does not set the header itself, answered 401 or 403 without it, is sent
 * once more with it, and that second answer is the request's (http_send).
 * For a user signed in with a session whose API also takes tokens. The
 * value is copied; a line break in it is refused; NULL removes it. */
int http_actor_set_authorization_on_refusal(struct http_actor *a, const char *value);

/* The header the actor's token goes in, in place of Authorization (NULL:
 * Authorization again): an API that reads it elsewhere (SimpleJWT's
 * AUTH_HEADER_NAME, "X-Access-Token", h644). Set before the values above,
 * which take the name they are set with; Basic stays in Authorization. A
 * name of anything but letters, digits and '-' is refused. */
int http_actor_set_authorization_header(struct http_actor *a, const char *name);

/* Keep "Authorization: Basic base64(LOGIN:PASSWORD)" (RFC 7617) for a 401
 * whose WWW-Authenticate asks for Basic, or for no scheme: such a request of this actor that
 * does not set the header itself is sent once more with it, after any
 * refusal's credential above, unless that was the same value (http_send).
 * Encoded (base64 has no line break); a NULL login or password removes it. */
int http_actor_set_basic_on_challenge(struct http_actor *a, const char *login, const char *password);

/* Current value of a cookie in the actor's jar, malloc'd (caller frees), or
 * NULL when absent (not an error). */
char *http_actor_cookie(struct http_actor *a, const char *name);

struct http_part {
	const char *name;
	const char *data;
	size_t len;
	const char *filename;      /* non-NULL: a file part */
	const char *content_type;  /* NULL: curl's default */
};

struct http_request {
	const char *method;          /* "GET", "POST", ... */
	const char *path;            /* "/api/products/?x=1", relative to the app */
	const char *const *headers;  /* "Name: value" lines */
	size_t nheaders;
	const char *body;            /* raw body (with a Content-Type header) */
	size_t body_len;
	const struct http_part *parts;  /* nparts > 0: multipart/form-data */
	size_t nparts;
	bool follow;                 /* follow redirects, at most 10 */
	bool follow_beneath;         /* without follow: follow a GET's redirects to a page
	                                beneath the one asked for only ("/tickets/7/" ->
	                                "/tickets/7/tck-0007/": a canonical URL of the same
	                                page, h600), or to the same path given a query it was
	                                asked for without ("/tickets/?status=all", h693), at
	                                most 10 */
	long timeout_ms;             /* whole exchange; 0: GRADER_REQUEST_TIMEOUT_MS (timeouts.h) */
};

enum http_fault {
	HTTP_FAULT_NONE = 0,
	HTTP_FAULT_TIMEOUT,        /* no complete answer in time (or trickled too slowly) */
	HTTP_FAULT_CONNECT,        /* refused / reset / closed without an answer */
	HTTP_FAULT_PROTOCOL,       /* the reply was not HTTP */
	HTTP_FAULT_REDIRECTS,      /* more than 10 redirects */
};

/*
 * Where one http_send()'s time went (issue 13), summed over its redirect
 * hops, in microseconds. The split comes from libcurl's own clock
 * (CURLINFO_PRETRANSFER/STARTTRANSFER/TOTAL_TIME_T) for each transfer:
 *   connect_us  until the request could go out: a socket (from the sandbox
 *               hook, a round trip to its PID 1) and connect();
 *   wait_us     sending the request until the first byte of the answer:
 *               the app's work (Django, its queries, its templates);
 *   recv_us     the answer's first byte to its last.
 * total_us is the whole http_send() on the grader's monotonic clock, so
 * total_us minus the three is http.c's and libcurl's own set-up.
 */
struct http_timing {
	long hops;             /* requests sent: 1 + redirects followed */
	long connects;         /* new connections opened for them */
	long long connect_us;
	long long wait_us;
	long long recv_us;
	long long total_us;
};

struct http_response {
	long status;               /* 0 when fault != NONE */
	enum http_fault fault;
	char *fault_msg;           /* malloc'd human text when fault != NONE */
	struct gbuf head;          /* raw header block of the final response (capped 64 KiB) */
	struct gbuf body;          /* body (capped at body_limit; body.truncated) */
	char *effective_path;      /* path+query of the final URL */
	long duration_ms;
	struct http_timing timing;
	bool basic_answered;       /* sent again with Basic after a 401, and not refused (http_send) */
	bool signed_in;            /* sent by an actor holding a user's credential (a token, or
				    * Basic for a 401 asking for it), none of the request's own */
	bool unsafe;               /* a method that changes state (not GET, HEAD, OPTIONS) */
	bool resent;               /* sent again with a credential after a refusal (http_send) */
};

#define HTTP_RESPONSE_INIT { 0, HTTP_FAULT_NONE, NULL, GBUF_INIT(0), GBUF_INIT(0), NULL, 0, { 0, 0, 0, 0, 0, 0 }, false, false, false, false }

int http_send(struct http_actor *a, const struct http_request *rq, struct http_response *rs);
void http_response_release(struct http_response *rs);

/* First value of header `name` (case-insensitive) in rs->head, malloc'd and
 * trimmed, or NULL when absent. If rs->head holds several responses, the
 * last one's header is the answer. */
char *http_response_header(const struct http_response *rs, const char *name);
/* Whether the last response in rs->head sets cookie `name` to a value (not
 * the empty one that deletes it). */
bool http_response_sets_cookie(const struct http_response *rs, const char *name);

/* A 401 whose WWW-Authenticate asks for Basic credentials, or for no
 * scheme at all (what http_send answers with the user's name and
 * password). */
bool http_response_asks_for_basic(const struct http_response *rs);

/* The path+query of the page this actor fetched last (its final URL after
 * redirects), or NULL before its first answer. Owned by the actor: valid
 * until its next http_send. */
const char *http_actor_page(const struct http_actor *a);

/* `ref` (an href or src from a page) as a browser's URL parser reads it:
 * leading and trailing spaces and controls stripped, tabs and newlines
 * removed. malloc'd (the caller frees), or NULL out of memory. */
char *http_ref_clean(const char *ref);

/* Resolve `ref` (an href or src from a page, a Location) against `base`,
 * the path+query of the page it came from ("/" when NULL), as a browser
 * would (RFC 3986): 0 with *out the malloc'd path+query when the result is
 * a page on the app, 0 with *out NULL when it is not (another host, or
 * another scheme: data:, mailto:, javascript:), -1 out of memory. */
int http_resolve(const struct http_client *c, const char *base, const char *ref, char **out);

/* The Location of rs as a path on the app: resolved against the URL that
 * answered (a relative one too, RFC 9110 10.2.2), or as the app sent it
 * when it leaves the app. Malloc'd; NULL when rs has none, or out of
 * memory (then err is set: err_last() tells the two apart). */
char *http_response_location(const struct http_client *c, const struct http_response *rs);

/* Whether a browser treats method m as changing state (not GET, HEAD,
 * OPTIONS, TRACE): what carries a CSRF token, and an Origin. */
bool http_method_is_unsafe(const char *m);

/* Reduce an absolute or relative URL to path+query when it points at the app
 * (same host:port or relative); otherwise a malloc'd copy of it unchanged.
 * With c NULL, any loopback host and port counts as the app. */
char *http_url_to_path(const struct http_client *c, const char *url);

#endif
