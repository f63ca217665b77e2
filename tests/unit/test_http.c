/*
 * test_http.c - the HTTP client against real loopback servers, well-behaved
 * and hostile (http_testserver.h). Hostile tests use short timeouts and
 * assert both the fault and that the call came back in bounded time.
 */
#include "http.h"
#include "err.h"
#include "t.h"
#include "http_testserver.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct ts_server srv = { -1, -1 };
static struct http_client *cli;

static long t_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The raw request the /echo route saw (it is the response body). */
static int body_has(const struct http_response *rs, const char *needle)
{
	return rs->body.data && memmem(rs->body.data, rs->body.len, needle, strlen(needle)) != NULL;
}

static int send_simple(const char *actor, const char *method, const char *path, bool follow, long timeout_ms,
		       struct http_response *rs)
{
	struct http_actor *a = NULL;
	struct http_request rq = { 0 };

	if (http_actor_get(cli, actor, &a) < 0)
		return -1;
	rq.method = method;
	rq.path = path;
	rq.follow = follow;
	rq.timeout_ms = timeout_ms;
	return http_send(a, &rq, rs);
}

/* A multipart POST of `parts` as the uploader. */
static int send_parts(const char *path, const struct http_part *parts, size_t nparts, struct http_response *rs)
{
	struct http_actor *a = NULL;
	struct http_request rq = { 0 };

	if (http_actor_get(cli, "uploader", &a) < 0)
		return -1;
	rq.method = "POST";
	rq.path = path;
	rq.parts = parts;
	rq.nparts = nparts;
	return http_send(a, &rq, rs);
}

TEST(get_and_post_json)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct http_actor *a = NULL;
	struct http_request rq = { 0 };
	const char *hdrs[] = { "Content-Type: application/json", "Accept: application/json" };
	const char *json = "{\"name\": \"Probe\", \"stock\": 5}";
	char *ct = NULL;

	EXPECT_INT(send_simple("anonymous", "GET", "/json?x=1", false, 5000, &rs), 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_NONE);
	EXPECT_INT(rs.status, 200);
	EXPECT_STR(rs.effective_path, "/json?x=1");
	EXPECT_INT(rs.body.len, 0);
	ct = http_response_header(&rs, "content-type");
	EXPECT_STR(ct, "application/json");
	free(ct);

	EXPECT_INT(http_actor_get(cli, "anonymous", &a), 0);
	rq.method = "POST";
	rq.path = "/json";
	rq.headers = hdrs;
	rq.nheaders = 2;
	rq.body = json;
	rq.body_len = strlen(json);
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT_INT(rs.body.len, strlen(json));
	EXPECT(memcmp(rs.body.data, json, rs.body.len) == 0);

	/* The raw request: our headers, no Expect, no Accept-Encoding. */
	rq.path = "/echo";
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT(body_has(&rs, "POST /echo HTTP/1.1\r\n"));
	EXPECT(body_has(&rs, "\r\nContent-Type: application/json\r\n"));
	EXPECT(body_has(&rs, "\r\nContent-Length: 29\r\n"));
	EXPECT(!body_has(&rs, "Expect:"));
	EXPECT(!body_has(&rs, "Accept-Encoding"));
	EXPECT(body_has(&rs, json));
	http_response_release(&rs);
}

TEST(other_methods)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct http_actor *a = NULL;
	struct http_request rq = { 0 };
	const char *body = "{\"stock\": 1}";

	EXPECT_INT(send_simple("anonymous", "DELETE", "/echo/7", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT(body_has(&rs, "DELETE /echo/7 HTTP/1.1\r\n"));

	EXPECT_INT(http_actor_get(cli, "anonymous", &a), 0);
	rq.method = "PATCH";
	rq.path = "/echo";
	rq.body = body;
	rq.body_len = strlen(body);
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT(body_has(&rs, "PATCH /echo HTTP/1.1\r\n"));
	EXPECT(body_has(&rs, "\r\n\r\n{\"stock\": 1}"));

	/* HEAD: no body expected, must not wait for the announced one. */
	EXPECT_INT(send_simple("anonymous", "HEAD", "/badutf8", false, 3000, &rs), 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_NONE);
	EXPECT_INT(rs.status, 200);
	EXPECT_INT(rs.body.len, 0);

	/* A GET after all that is a plain GET again (options reset). */
	EXPECT_INT(send_simple("anonymous", "GET", "/echo", false, 5000, &rs), 0);
	EXPECT(body_has(&rs, "GET /echo HTTP/1.1\r\n"));
	EXPECT(!body_has(&rs, "Content-Length"));

	EXPECT_INT(send_simple("anonymous", "GET", "/status?code=404", false, 5000, &rs), 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_NONE);
	EXPECT_INT(rs.status, 404);
	http_response_release(&rs);
}

TEST(cookies_per_actor)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct http_actor *alice = NULL, *bob = NULL;
	char *v = NULL;

	EXPECT_INT(send_simple("anon-alice", "GET", "/set-cookie?sid=alice1", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT_INT(send_simple("anon-alice", "GET", "/echo", false, 5000, &rs), 0);
	EXPECT(body_has(&rs, "\r\nCookie: sid=alice1\r\n"));
	EXPECT_INT(send_simple("anon-bob", "GET", "/echo", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT(!body_has(&rs, "Cookie:"));

	EXPECT_INT(http_actor_get(cli, "anon-alice", &alice), 0);
	EXPECT_INT(http_actor_get(cli, "anon-bob", &bob), 0);
	EXPECT(alice != bob);
	EXPECT_STR(http_actor_name(alice), "anon-alice");
	v = http_actor_cookie(alice, "sid");
	EXPECT_STR(v, "alice1");
	free(v);
	EXPECT(http_actor_cookie(bob, "sid") == NULL);
	EXPECT(http_actor_cookie(alice, "si") == NULL);
	http_response_release(&rs);
}

TEST(set_cookie_then_sent)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct http_actor *c = NULL;
	char *v = NULL;

	EXPECT_INT(http_actor_get(cli, "carol", &c), 0);
	EXPECT_INT(http_actor_set_cookie(c, "sessionid", "abc123"), 0);
	EXPECT_INT(http_actor_set_cookie(c, "csrftoken", "tok"), 0);
	v = http_actor_cookie(c, "sessionid");
	EXPECT_STR(v, "abc123");
	free(v);
	v = http_actor_cookie(c, "csrftoken");
	EXPECT_STR(v, "tok");
	free(v);
	EXPECT_INT(send_simple("carol", "GET", "/echo", false, 5000, &rs), 0);
	EXPECT(body_has(&rs, "sessionid=abc123"));
	EXPECT(body_has(&rs, "csrftoken=tok"));
	/* Overwrite keeps one cookie. */
	EXPECT_INT(http_actor_set_cookie(c, "sessionid", "def"), 0);
	v = http_actor_cookie(c, "sessionid");
	EXPECT_STR(v, "def");
	free(v);
	/* Names a hardened app gives its cookies: kept and sent (a prefixed
	 * cookie the cookie engine took for insecure was dropped). */
	EXPECT_INT(http_actor_set_cookie(c, "__Secure-sessionid", "sec1"), 0);
	EXPECT_INT(http_actor_set_cookie(c, "__Host-csrftoken", "host1"), 0);
	v = http_actor_cookie(c, "__Secure-sessionid");
	EXPECT_STR(v, "sec1");
	free(v);
	http_response_release(&rs);
	EXPECT_INT(send_simple("carol", "GET", "/echo", false, 5000, &rs), 0);
	EXPECT(body_has(&rs, "__Secure-sessionid=sec1"));
	EXPECT(body_has(&rs, "__Host-csrftoken=host1"));
	/* A value that would inject a second cookie is refused. */
	EXPECT_INT(http_actor_set_cookie(c, "sessionid", "x\tFALSE"), -1);
	EXPECT_INT(http_actor_set_cookie(c, "a;b", "x"), -1);
	err_clear();
	http_response_release(&rs);
}

TEST(multipart_byte_exact)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	char png[2048];
	struct http_part parts[2] = {
		{ .name = "title", .data = "Soup", .len = 4 },
		{ .name = "image", .data = png, .len = sizeof(png), .filename = "cat.png",
		  .content_type = "image/png" },
	};
	size_t i;

	for (i = 0; i < sizeof(png); i++)
		png[i] = (char)(i * 7 + (i >> 8));
	memcpy(png, "\x89PNG\r\n\x1a\n\0\0", 10);
	EXPECT_INT(send_parts("/echo", parts, 2, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT(body_has(&rs, "POST /echo HTTP/1.1\r\n"));
	EXPECT(body_has(&rs, "Content-Type: multipart/form-data; boundary="));
	EXPECT(body_has(&rs, "name=\"title\"\r\n\r\nSoup\r\n"));
	EXPECT(body_has(&rs, "name=\"image\"; filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n"));
	EXPECT(memmem(rs.body.data, rs.body.len, png, sizeof(png)) != NULL);
	EXPECT(!body_has(&rs, "Expect:"));
	http_response_release(&rs);
}

TEST(huge_body_capped)
{
	struct http_client_opts o = { .host = "127.0.0.1", .port = srv.port, .body_limit = (size_t)1 << 20 };
	struct http_client *small = NULL;
	struct http_actor *a = NULL;
	struct http_request rq = { 0 };
	struct http_response rs = HTTP_RESPONSE_INIT;
	long t0 = t_now_ms();
	size_t i;

	EXPECT_INT(http_client_new(&o, &small), 0);
	EXPECT_INT(http_actor_get(small, "x", &a), 0);
	rq.method = "GET";
	rq.path = "/big?n=52428800";
	rq.timeout_ms = 5000;
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_NONE);
	EXPECT(rs.fault_msg == NULL);
	EXPECT_INT(rs.status, 200);
	EXPECT(rs.body.truncated);
	EXPECT_INT(rs.body.len, (size_t)1 << 20);
	for (i = 0; i < rs.body.len; i += 4099)
		EXPECT(rs.body.data[i] == 'x');
	EXPECT(t_now_ms() - t0 < 3000);
	/* Exactly at the limit is not truncated. */
	rq.path = "/big?n=1048576";
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT(!rs.body.truncated);
	EXPECT_INT(rs.body.len, (size_t)1 << 20);
	http_response_release(&rs);
	http_client_free(small);
}

TEST(never_ending_answer_times_out)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	long t0 = t_now_ms(), dt;

	EXPECT_INT(send_simple("anonymous", "GET", "/never", false, 1500, &rs), 0);
	dt = t_now_ms() - t0;
	EXPECT_INT(rs.fault, HTTP_FAULT_TIMEOUT);
	EXPECT_INT(rs.status, 0);
	EXPECT(rs.fault_msg != NULL);
	EXPECT(dt >= 900 && dt < 2500);
	http_response_release(&rs);
}

TEST(trickle_cut_off)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	long t0 = t_now_ms(), dt;

	EXPECT_INT(send_simple("anonymous", "GET", "/trickle", false, 1500, &rs), 0);
	dt = t_now_ms() - t0;
	EXPECT_INT(rs.fault, HTTP_FAULT_TIMEOUT);
	EXPECT(rs.fault_msg != NULL);
	EXPECT(dt < 2500);
	http_response_release(&rs);
}

/* A GET of /echo by `a` bringing its own header line `own`, into *rs. */
static int send_with_own(struct http_actor *a, const char *own, struct http_response *rs)
{
	struct http_request rq = { 0 };
	const char *headers[] = { own };

	rq.method = "GET";
	rq.path = "/echo";
	rq.headers = headers;
	rq.nheaders = 1;
	return http_send(a, &rq, rs);
}

/* An actor signed in with a DRF token sends it on every request, unless a
 * request sets its own Authorization; other actors send none. */
TEST(actor_authorization_header)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct http_actor *a = NULL;

	EXPECT_INT(http_actor_get(cli, "tokenuser", &a), 0);
	EXPECT_INT(http_actor_set_authorization(a, "Token 0123abcd"), 0);
	EXPECT_INT(http_actor_set_authorization(a, "Token x\r\nX-Evil: 1"), -1);
	EXPECT_INT(send_simple("tokenuser", "GET", "/echo", false, 5000, &rs), 0);
	EXPECT(strstr(gbuf_str(&rs.body), "\r\nAuthorization: Token 0123abcd\r\n") != NULL);
	EXPECT(strstr(gbuf_str(&rs.body), "X-Evil") == NULL);
	http_response_release(&rs);
	EXPECT_INT(send_with_own(a, "Authorization: Basic b3duOm93bg==", &rs), 0);
	EXPECT(strstr(gbuf_str(&rs.body), "Authorization: Basic b3duOm93bg==") != NULL);
	EXPECT(strstr(gbuf_str(&rs.body), "Token 0123abcd") == NULL);
	http_response_release(&rs);
	EXPECT_INT(send_simple("anonymous", "GET", "/echo", false, 5000, &rs), 0);
	EXPECT(strstr(gbuf_str(&rs.body), "Authorization") == NULL);
	http_response_release(&rs);
}

/* An API that reads its token from a header of its own (SimpleJWT's
 * AUTH_HEADER_NAME, h644) gets it there, not in Authorization; a request
 * bringing its own Authorization sends neither; a name that is no header
 * token is refused, the header kept. */
TEST(actor_authorization_own_header)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct http_actor *a = NULL;

	EXPECT_INT(http_actor_get(cli, "headeruser", &a), 0);
	EXPECT_INT(http_actor_set_authorization_header(a, "X-Access-Token"), 0);
	EXPECT_INT(http_actor_set_authorization_header(a, "X-Evil: 1\r\nX"), -1);
	EXPECT_INT(http_actor_set_authorization_header(a, ""), -1);
	EXPECT_INT(http_actor_set_authorization(a, "Bearer abc.def.ghi"), 0);
	EXPECT_INT(send_simple("headeruser", "GET", "/echo", false, 5000, &rs), 0);
	EXPECT(strstr(gbuf_str(&rs.body), "\r\nX-Access-Token: Bearer abc.def.ghi\r\n") != NULL);
	EXPECT(strstr(gbuf_str(&rs.body), "Authorization") == NULL);
	http_response_release(&rs);
	EXPECT_INT(send_with_own(a, "Authorization: Bearer someone-elses", &rs), 0);
	EXPECT(strstr(gbuf_str(&rs.body), "Authorization: Bearer someone-elses") != NULL);
	EXPECT(strstr(gbuf_str(&rs.body), "abc.def.ghi") == NULL);
	http_response_release(&rs);
}

/* A request to `path` bringing its own Authorization (`own`) is answered
 * 401 and never sent again with the actor's credentials. */
static void sent_once_with_own(struct http_actor *a, const char *path, const char *own)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct http_request rq = { 0 };
	const char *headers[] = { own };

	rq.method = "GET";
	rq.path = path;
	rq.headers = headers;
	rq.nheaders = 1;
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 401);
	EXPECT_INT(rs.timing.hops, 1);
	http_response_release(&rs);
}

/* A token kept for a refusal goes out only after a 401 or 403 to the same
 * request without it, once (contracts §2's session+token): a view that
 * takes the session is answered on the session alone. */
TEST(actor_authorization_on_refusal)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct http_actor *a = NULL;

	EXPECT_INT(http_actor_get(cli, "bothuser", &a), 0);
	EXPECT_INT(http_actor_set_authorization_on_refusal(a, "Token x\r\nX-Evil: 1"), -1);
	EXPECT_INT(http_actor_set_authorization_on_refusal(a, "Token 4567cdef"), 0);
	/* Answered without it: sent once, no Authorization. */
	EXPECT_INT(send_simple("bothuser", "GET", "/echo", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT(strstr(gbuf_str(&rs.body), "Authorization") == NULL);
	EXPECT_INT(rs.timing.hops, 1);
	http_response_release(&rs);
	/* Refused without it: sent again with it, that answer kept. */
	EXPECT_INT(send_simple("bothuser", "GET", "/needs-auth", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT(strstr(gbuf_str(&rs.body), "\r\nAuthorization: Token 4567cdef\r\n") != NULL);
	EXPECT_INT(rs.timing.hops, 2);
	http_response_release(&rs);
	/* Refused with it too: once more only, the refusal is the answer. */
	EXPECT_INT(send_simple("bothuser", "GET", "/status?code=403", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 403);
	EXPECT_INT(rs.timing.hops, 2);
	http_response_release(&rs);
	/* A token refused with 401 under "Token" goes once more as "Bearer"
	 * (h578: Ninja's HttpBearer), and that form is kept. */
	EXPECT_INT(send_simple("bothuser", "GET", "/bearer-only", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT(strstr(gbuf_str(&rs.body), "\r\nAuthorization: Bearer 4567cdef\r\n") != NULL);
	EXPECT_INT(rs.timing.hops, 3);
	http_response_release(&rs);
	EXPECT_INT(send_simple("bothuser", "GET", "/bearer-only", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT_INT(rs.timing.hops, 2);
	http_response_release(&rs);
	/* A request bringing its own Authorization is never sent again. */
	sent_once_with_own(a, "/status?code=401", "Authorization: Basic b3duOm93bg==");
	/* Removed: a refusal stays the answer. */
	EXPECT_INT(http_actor_set_authorization_on_refusal(a, NULL), 0);
	EXPECT_INT(send_simple("bothuser", "GET", "/needs-auth", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 401);
	EXPECT_INT(rs.timing.hops, 1);
	http_response_release(&rs);
}

/* A 401 whose WWW-Authenticate asks for Basic (among other schemes too)
 * is sent once more with the
 * user's name and password (h250: views parsing Basic themselves beside
 * DRF views that take the session), and so is one asking for no scheme;
 * after a refusal's token, which it refused too; never to a 401 asking
 * for another scheme, nor to a request bringing its own Authorization. */
TEST(actor_basic_on_challenge)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct http_actor *a = NULL;

	EXPECT_INT(http_actor_get(cli, "basicuser", &a), 0);
	EXPECT_INT(http_actor_set_basic_on_challenge(a, "alice@example.com", "pw:1"), 0);
	EXPECT_INT(send_simple("basicuser", "GET", "/needs-basic", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	/* base64("alice@example.com:pw:1") */
	EXPECT(strstr(gbuf_str(&rs.body), "\r\nAuthorization: Basic YWxpY2VAZXhhbXBsZS5jb206cHc6MQ==\r\n") != NULL);
	EXPECT_INT(rs.timing.hops, 2);
	EXPECT(rs.basic_answered);
	http_response_release(&rs);
	/* A 401 that asks for no scheme gets them too (Django Ninja's
	 * HttpBasicAuth, h266); one asking for another scheme does not. */
	EXPECT_INT(send_simple("basicuser", "GET", "/needs-auth", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT_INT(rs.timing.hops, 2);
	EXPECT(rs.basic_answered);
	http_response_release(&rs);
	EXPECT_INT(send_simple("basicuser", "GET", "/needs-bearer", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 401);
	EXPECT_INT(rs.timing.hops, 1);
	EXPECT(!rs.basic_answered);
	http_response_release(&rs);
	/* Basic among other challenges, after Bearer's params, is asked
	 * for (RFC 7235 §4.1; h1126); "Basic" in a quoted string or as a
	 * param's value is not. */
	EXPECT_INT(send_simple("basicuser", "GET", "/needs-bearer-or-basic", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT_INT(rs.timing.hops, 2);
	EXPECT(rs.basic_answered);
	http_response_release(&rs);
	EXPECT_INT(send_simple("basicuser", "GET", "/needs-bearer-quoted", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 401);
	EXPECT_INT(rs.timing.hops, 1);
	http_response_release(&rs);
	/* After the refusal's token, refused again with the challenge. */
	EXPECT_INT(http_actor_set_authorization_on_refusal(a, "Token 4567cdef"), 0);
	EXPECT_INT(send_simple("basicuser", "GET", "/needs-basic", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT_INT(rs.timing.hops, 3);
	http_response_release(&rs);
	sent_once_with_own(a, "/needs-basic", "Authorization: Token own");
	EXPECT_INT(http_actor_set_basic_on_challenge(a, NULL, NULL), 0);
	EXPECT_INT(http_actor_set_authorization_on_refusal(a, NULL), 0);
	EXPECT_INT(send_simple("basicuser", "GET", "/needs-basic", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 401);
	http_response_release(&rs);
}

/* --request-timeout N means N seconds: an answer after 1.3 s of silence is
 * in time for a 2 s limit (the trickle guard once cut it at 1 s). */
TEST(slow_answer_within_timeout)
{
	struct http_response rs = HTTP_RESPONSE_INIT;

	EXPECT_INT(send_simple("anonymous", "GET", "/slow?ms=1300", false, 2000, &rs), 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_NONE);
	EXPECT_INT(rs.status, 200);
	http_response_release(&rs);
	EXPECT_INT(send_simple("anonymous", "GET", "/silent", false, 2000, &rs), 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_TIMEOUT);
	EXPECT(rs.fault_msg && strstr(rs.fault_msg, "within 2 s") != NULL);
	http_response_release(&rs);
}

/* The split of an exchange's time (issue 13): 300 ms of silence before the
 * answer is the app's (wait_us), a redirect followed is a second hop on a
 * second connection, and the parts never exceed the whole. */
TEST(timing_split)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	const struct http_timing *t = &rs.timing;
	char path[256];

	EXPECT_INT(send_simple("anonymous", "GET", "/slow?ms=300", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT_INT(t->hops, 1);
	EXPECT_INT(t->connects, 1);
	EXPECT(t->wait_us >= 290000 && t->wait_us < 5000000);
	EXPECT(t->connect_us >= 0 && t->recv_us >= 0 && t->connect_us < t->wait_us);
	EXPECT(t->total_us >= t->connect_us + t->wait_us + t->recv_us);
	snprintf(path, sizeof(path), "/redirect?code=302&to=http://127.0.0.1:%d/slow?ms=100", srv.port);
	EXPECT_INT(send_simple("anonymous", "GET", path, true, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT_INT(t->hops, 2);
	EXPECT_INT(t->connects, 2);
	EXPECT(t->wait_us >= 95000 && t->wait_us < 290000);
	EXPECT(t->total_us >= t->connect_us + t->wait_us + t->recv_us);
	http_response_release(&rs);
	EXPECT_INT(t->hops, 0);
}

/* An upload's wait is the app's too: libcurl sends a multipart body from a
 * read callback and marks STARTTRANSFER when that upload starts, so the
 * first byte is timed by our own header callback. 300 ms of the app's
 * silence after a form with a file is wait_us, not recv_us. */
TEST(timing_split_upload)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	const struct http_timing *t = &rs.timing;
	char blob[4096];
	struct http_part part = { .name = "image", .data = blob, .len = sizeof(blob),
				  .filename = "dish.png", .content_type = "image/png" };

	memset(blob, 'b', sizeof(blob));
	EXPECT_INT(send_parts("/slow?ms=300", &part, 1, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT_INT(t->hops, 1);
	EXPECT(t->wait_us >= 290000 && t->wait_us < 5000000);
	EXPECT(t->recv_us >= 0 && t->recv_us < 100000);
	EXPECT(t->total_us >= t->connect_us + t->wait_us + t->recv_us);
	http_response_release(&rs);
}

/* A lane (engine.h's concurrent checks) has handles of its own but each
 * actor's jar is the run's: a cookie set through the root is sent by the
 * lane, one the app sets through the lane is the root's, other actors'
 * jars stay apart. */
TEST(lane_shares_jars)
{
	struct http_client *lane = NULL;
	struct http_actor *root_a = NULL, *lane_a = NULL, *lane_b = NULL;
	struct http_request rq = { 0 };
	struct http_response rs = HTTP_RESPONSE_INIT;
	char *v = NULL;

	EXPECT_INT(http_client_lane(cli, NULL, NULL, &lane), 0);
	EXPECT_INT(http_actor_get(cli, "lane-alice", &root_a), 0);
	EXPECT_INT(http_actor_set_cookie(root_a, "sessionid", "s3cr3t"), 0);
	EXPECT_INT(http_actor_get(lane, "lane-alice", &lane_a), 0);
	EXPECT(lane_a != root_a);
	rq.method = "GET";
	rq.path = "/echo";
	rq.timeout_ms = 5000;
	EXPECT_INT(http_send(lane_a, &rq, &rs), 0);
	EXPECT(body_has(&rs, "sessionid=s3cr3t"));
	EXPECT_INT(http_actor_get(lane, "lane-bob", &lane_b), 0);
	EXPECT_INT(http_send(lane_b, &rq, &rs), 0);
	EXPECT(!body_has(&rs, "sessionid"));
	EXPECT_INT(http_actor_set_cookie(lane_a, "csrftoken", "t0k"), 0);
	v = http_actor_cookie(root_a, "csrftoken");
	EXPECT_STR(v, "t0k");
	free(v);
	http_response_release(&rs);
	http_client_free(lane);
}

TEST(silent_after_request_times_out)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	long t0 = t_now_ms(), dt;

	EXPECT_INT(send_simple("anonymous", "GET", "/silent", false, 1500, &rs), 0);
	dt = t_now_ms() - t0;
	EXPECT_INT(rs.fault, HTTP_FAULT_TIMEOUT);
	EXPECT(strstr(rs.fault_msg, "no answer within") != NULL);
	EXPECT(dt < 2500);
	http_response_release(&rs);
}

TEST(silent_server_times_out)
{
	struct ts_server s = { -1, -1 };
	struct http_client_opts o = { .host = "127.0.0.1" };
	struct http_client *c = NULL;
	struct http_actor *a = NULL;
	struct http_request rq = { .method = "GET", .path = "/", .timeout_ms = 1200 };
	struct http_response rs = HTTP_RESPONSE_INIT;
	long t0, dt;

	EXPECT_INT(ts_start(ts_handler_silent, NULL, &s), 0);
	o.port = s.port;
	if (http_client_new(&o, &c) < 0 || http_actor_get(c, "a", &a) < 0) {
		ts_stop(&s);
		EXPECT(!"client setup");
	}
	t0 = t_now_ms();
	http_send(a, &rq, &rs);
	dt = t_now_ms() - t0;
	http_client_free(c);
	ts_stop(&s);
	EXPECT_INT(rs.fault, HTTP_FAULT_TIMEOUT);
	EXPECT_INT(rs.status, 0);
	EXPECT(dt >= 900 && dt < 2500);
	http_response_release(&rs);
}

/* One answer kept alive, then silence on the same connection. */
static void ts_handler_answer_then_silent(int fd, void *ctx)
{
	struct ts_req r;

	(void)ctx;
	if (ts_read_request(fd, &r) == 0 &&
	    ts_write_str(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") == 0)
		(void)ts_read_request(fd, &r);
	ts_req_free(&r);
	ts_hang();
}

/* A request on a kept-alive connection that gets no answer is "no answer
 * within", not "could not connect": libcurl reports no connect time for
 * a connection it reused (h396: a 10 s wait said as a 3 s connect). */
TEST(silent_on_a_reused_connection_is_no_answer)
{
	struct ts_server s = { -1, -1 };
	struct http_client_opts o = { .host = "127.0.0.1" };
	struct http_client *c = NULL;
	struct http_actor *a = NULL;
	struct http_request rq = { .method = "GET", .path = "/", .timeout_ms = 1200 };
	struct http_response rs = HTTP_RESPONSE_INIT;

	EXPECT_INT(ts_start(ts_handler_answer_then_silent, NULL, &s), 0);
	o.port = s.port;
	if (http_client_new(&o, &c) < 0 || http_actor_get(c, "a", &a) < 0) {
		ts_stop(&s);
		EXPECT(!"client setup");
	}
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 200);
	http_response_release(&rs);
	http_send(a, &rq, &rs);
	http_client_free(c);
	ts_stop(&s);
	EXPECT_INT(rs.fault, HTTP_FAULT_TIMEOUT);
	EXPECT_INT((int)rs.timing.connects, 0);
	EXPECT(rs.fault_msg && strstr(rs.fault_msg, "no answer within") != NULL);
	http_response_release(&rs);
}

TEST(invalid_utf8_raw)
{
	struct http_response rs = HTTP_RESPONSE_INIT;

	EXPECT_INT(send_simple("anonymous", "GET", "/badutf8", false, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT_INT(rs.body.len, TS_BADUTF8_LEN);
	EXPECT(memcmp(rs.body.data, TS_BADUTF8, TS_BADUTF8_LEN) == 0);
	http_response_release(&rs);
}

TEST(redirect_loop_is_fault)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	char *loc = NULL;

	EXPECT_INT(send_simple("anonymous", "GET", "/loop", true, 5000, &rs), 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_REDIRECTS);
	EXPECT_INT(rs.status, 0);
	EXPECT_STR(rs.fault_msg, "a redirect loop: /loop redirects to itself (followed 10 times)");
	/* Two pages sending to each other; a chain that never comes back. */
	EXPECT_INT(send_simple("anonymous", "GET", "/ping", true, 5000, &rs), 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_REDIRECTS);
	EXPECT_STR(rs.fault_msg, "a redirect loop: /ping -> /pong -> /ping (followed 10 redirects)");
	EXPECT_INT(send_simple("anonymous", "GET", "/hop/0", true, 5000, &rs), 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_REDIRECTS);
	EXPECT_STR(rs.fault_msg, "more than 10 redirects (the last one to /hop/11)");
	/* Not following: the 302 itself. */
	EXPECT_INT(send_simple("anonymous", "GET", "/loop", false, 5000, &rs), 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_NONE);
	EXPECT_INT(rs.status, 302);
	loc = http_response_header(&rs, "LOCATION");
	EXPECT_STR(loc, "/loop");
	free(loc);
	http_response_release(&rs);
}

/* follow_beneath (a step asking for a page): a GET's redirect to a page
 * beneath the one asked for is followed (a canonical address, h600), one
 * anywhere else is the answer, and so is a POST's. */
TEST(redirect_beneath_followed_alone)
{
	struct http_actor *a = NULL;
	struct http_request rq = { 0 };
	struct http_response rs = HTTP_RESPONSE_INIT;

	EXPECT_INT(http_actor_get(cli, "anonymous", &a), 0);
	rq.method = "GET";
	rq.path = "/canon/";
	rq.follow_beneath = true;
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT_STR(rs.effective_path, "/canon/7-slug/");
	EXPECT(body_has(&rs, "canonical"));
	/* "/hop/" -> "/hop/1" is beneath it; "/hop/1" -> "/hop/2" is not. */
	rq.path = "/hop/";
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 302);
	EXPECT_STR(rs.effective_path, "/hop/1");
	/* A sign-in page beneath it is a refusal, not the page. */
	rq.path = "/guard/";
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 302);
	/* Elsewhere (a path not ending in '/' has nothing beneath it). */
	rq.path = "/redirect?code=301&to=/redirect/x/";
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 301);
	/* A POST's redirect is its answer. */
	rq.method = "POST";
	rq.path = "/canon/";
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 301);
	/* Without it, the GET's 301 itself. */
	rq.method = "GET";
	rq.follow_beneath = false;
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 301);
	http_response_release(&rs);
}

TEST(redirect_off_host_not_followed)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	char *loc = NULL, path[256];

	EXPECT_INT(send_simple("anonymous", "GET", "/redirect?code=302&to=http://example.invalid/x", true, 5000, &rs), 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_NONE);
	EXPECT_INT(rs.status, 302);
	EXPECT_STR(rs.effective_path, "/redirect?code=302&to=http://example.invalid/x");
	loc = http_response_header(&rs, "Location");
	EXPECT_STR(loc, "http://example.invalid/x");
	free(loc);
	/* Scheme-relative off-host, and another port on loopback: not followed. */
	EXPECT_INT(send_simple("anonymous", "GET", "/redirect?code=301&to=//example.invalid/y", true, 5000, &rs), 0);
	EXPECT_INT(rs.status, 301);
	EXPECT_INT(send_simple("anonymous", "GET", "/redirect?code=302&to=http://127.0.0.1:9/z", true, 5000, &rs), 0);
	EXPECT_INT(rs.status, 302);
	/* Same port, another host. */
	snprintf(path, sizeof(path), "/redirect?code=302&to=http://example.invalid:%d/echo", srv.port);
	EXPECT_INT(send_simple("anonymous", "GET", path, true, 5000, &rs), 0);
	EXPECT_INT(rs.status, 302);
	http_response_release(&rs);
}

TEST(redirect_to_localhost_same_port_followed)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	char path[256], host[64];

	snprintf(path, sizeof(path), "/redirect?code=302&to=http://localhost:%d/echo?a=1", srv.port);
	snprintf(host, sizeof(host), "\r\nHost: 127.0.0.1:%d\r\n", srv.port);
	EXPECT_INT(send_simple("anonymous", "GET", path, true, 5000, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT_STR(rs.effective_path, "/echo?a=1");
	EXPECT(body_has(&rs, "GET /echo?a=1 HTTP/1.1\r\n"));
	EXPECT(body_has(&rs, host));
	http_response_release(&rs);
}

/* A client of an app served as https (app_https): an unsafe request says
 * the https Origin of the app, and its Referer, as a browser's same-origin
 * request does (h887: tastypie's session check reads the Referer of a
 * secure request), a safe one and a plain client's say none,
 * and the app's own https redirects are followed (another port's not). */
TEST(app_served_as_https)
{
	struct http_client_opts o = { .host = "127.0.0.1", .port = srv.port, .app_https = true };
	struct http_client *https = NULL;
	struct http_actor *a = NULL;
	struct http_request rq = { 0 };
	struct http_response rs = HTTP_RESPONSE_INIT;
	char origin[128], referer[128], path[256];

	snprintf(origin, sizeof(origin), "\r\nOrigin: https://127.0.0.1:%d\r\n", srv.port);
	snprintf(referer, sizeof(referer), "\r\nReferer: https://127.0.0.1:%d/\r\n", srv.port);
	EXPECT(http_client_new(&o, &https) == 0);
	EXPECT(http_actor_get(https, "alice", &a) == 0);
	rq.method = "POST";
	rq.path = "/echo";
	rq.timeout_ms = 5000;
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT(body_has(&rs, origin));
	EXPECT(body_has(&rs, referer));
	rq.method = "GET";
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT(!body_has(&rs, "Origin:"));
	EXPECT(!body_has(&rs, "Referer:"));
	snprintf(path, sizeof(path), "/redirect?code=302&to=https://127.0.0.1:%d/echo?s=1", srv.port);
	rq.path = path;
	rq.follow = true;
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT_STR(rs.effective_path, "/echo?s=1");
	rq.path = "/redirect?code=302&to=https://127.0.0.1:9/echo";
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 302);
	http_client_free(https);
	/* The plain client: no Origin, and an https Location is off the app. */
	EXPECT_INT(send_simple("anonymous", "POST", "/echo", false, 5000, &rs), 0);
	EXPECT(!body_has(&rs, "Origin:"));
	EXPECT_INT(send_simple("anonymous", "GET", path, true, 5000, &rs), 0);
	EXPECT_INT(rs.status, 302);
	http_response_release(&rs);
}

/* What a request without an Accept of its own asks for: a challenge of
 * pages a browser's, an API's JSON first and any type after it (h705: an
 * API listing XML's renderer first answered XML to curl's any type), a
 * plain client curl's own; a request's own Accept is kept. */
TEST(accept_by_kind_of_client)
{
	static const struct { enum http_accept accept; const char *want; } cases[] = {
		{ HTTP_ACCEPT_BROWSER, "\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n" },
		{ HTTP_ACCEPT_JSON, "\r\nAccept: application/json, */*;q=0.5\r\n" },
		{ HTTP_ACCEPT_ANY, "\r\nAccept: */*\r\n" },
	};
	const char *own[] = { "Accept: text/csv" };
	struct http_response rs = HTTP_RESPONSE_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_client_opts o = { .host = "127.0.0.1", .port = srv.port, .accept = cases[i].accept };
		struct http_client *c = NULL;
		struct http_actor *a = NULL;
		struct http_request rq = { .method = "GET", .path = "/echo", .timeout_ms = 5000 };

		EXPECT(http_client_new(&o, &c) == 0);
		EXPECT(http_actor_get(c, "alice", &a) == 0);
		EXPECT_INT(http_send(a, &rq, &rs), 0);
		EXPECT(body_has(&rs, cases[i].want));
		rq.headers = own;
		rq.nheaders = 1;
		EXPECT_INT(http_send(a, &rq, &rs), 0);
		EXPECT(body_has(&rs, "\r\nAccept: text/csv\r\n"));
		EXPECT(!body_has(&rs, "application/json, */*"));
		http_client_free(c);
	}
	http_response_release(&rs);
}

TEST(post_303_becomes_get)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct http_actor *a = NULL;
	struct http_request rq = { 0 };
	const char *hdrs[] = { "Content-Type: application/x-www-form-urlencoded" };
	char *ct = NULL;

	EXPECT_INT(http_actor_get(cli, "poster", &a), 0);
	rq.method = "POST";
	rq.path = "/redirect?code=303&to=/echo";
	rq.headers = hdrs;
	rq.nheaders = 1;
	rq.body = "title=Hello";
	rq.body_len = 11;
	rq.follow = true;
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT_STR(rs.effective_path, "/echo");
	EXPECT(body_has(&rs, "GET /echo HTTP/1.1\r\n"));
	EXPECT(!body_has(&rs, "Content-Length"));
	EXPECT(!body_has(&rs, "x-www-form-urlencoded"));
	EXPECT(!body_has(&rs, "title=Hello"));
	/* head is the final response's, not the 303's */
	EXPECT(http_response_header(&rs, "Location") == NULL);
	ct = http_response_header(&rs, "Content-Type");
	EXPECT_STR(ct, "application/octet-stream");
	free(ct);

	/* 307 repeats method and body. */
	rq.path = "/redirect?code=307&to=/echo";
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 200);
	EXPECT(body_has(&rs, "POST /echo HTTP/1.1\r\n"));
	EXPECT(body_has(&rs, "\r\n\r\ntitle=Hello"));

	/* Without follow: the 303 and its Location. */
	rq.path = "/redirect?code=303&to=/echo";
	rq.follow = false;
	EXPECT_INT(http_send(a, &rq, &rs), 0);
	EXPECT_INT(rs.status, 303);
	http_response_release(&rs);
}

TEST(not_http_is_protocol_fault)
{
	struct ts_server s = { -1, -1 };
	struct http_client_opts o = { .host = "127.0.0.1" };
	struct http_client *c = NULL;
	struct http_actor *a = NULL;
	struct http_request rq = { .method = "GET", .path = "/", .timeout_ms = 3000 };
	struct http_response rs = HTTP_RESPONSE_INIT;
	int rc = -1;

	EXPECT_INT(ts_start(ts_handler_banner, "SSH-2.0-OpenSSH_9.2\r\n", &s), 0);
	o.port = s.port;
	if (http_client_new(&o, &c) == 0 && http_actor_get(c, "a", &a) == 0)
		rc = http_send(a, &rq, &rs);
	http_client_free(c);
	ts_stop(&s);
	EXPECT_INT(rc, 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_PROTOCOL);
	EXPECT_STR(rs.fault_msg, "the app's reply was not HTTP");
	http_response_release(&rs);
}

TEST(huge_headers_is_protocol_fault)
{
	struct http_response rs = HTTP_RESPONSE_INIT;

	EXPECT_INT(send_simple("anonymous", "GET", "/huge-headers", false, 3000, &rs), 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_PROTOCOL);
	EXPECT(rs.head.len <= (size_t)64 << 10);
	http_response_release(&rs);
}

TEST(closed_without_answer_is_connect_fault)
{
	struct http_response rs = HTTP_RESPONSE_INIT;

	EXPECT_INT(send_simple("anonymous", "GET", "/close", false, 3000, &rs), 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_CONNECT);
	EXPECT_STR(rs.fault_msg, "the app closed the connection without an answer");
	http_response_release(&rs);
}

TEST(refused_is_connect_fault)
{
	struct http_client_opts o = { .host = "127.0.0.1" };
	struct http_client *c = NULL;
	struct http_actor *a = NULL;
	struct http_request rq = { .method = "GET", .path = "/", .timeout_ms = 3000 };
	struct http_response rs = HTTP_RESPONSE_INIT;
	int rc = -1;

	o.port = ts_closed_port();
	EXPECT(o.port > 0);
	if (http_client_new(&o, &c) == 0 && http_actor_get(c, "a", &a) == 0)
		rc = http_send(a, &rq, &rs);
	http_client_free(c);
	EXPECT_INT(rc, 0);
	EXPECT_INT(rs.fault, HTTP_FAULT_CONNECT);
	EXPECT_INT(rs.status, 0);
	EXPECT(strstr(rs.fault_msg, "could not connect") != NULL);
	http_response_release(&rs);
}

struct hook_ctx {
	int port;        /* connect here (connected mode) */
	int connected;   /* 1: return a connected socket; 0: a bound, unconnected one */
	int fail;
	int calls;
	int local_port;  /* local port of the last socket handed out */
};

static int hook_socket(void *ctx)
{
	struct hook_ctx *h = ctx;
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd;

	h->calls++;
	if (h->fail)
		return -1;
	if (h->connected)
		fd = ts_connect(h->port);
	else {
		/* Bound to a known local port so the server can prove this
		 * very socket carried the request. */
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0 && getsockname(fd, (struct sockaddr *)&sa, &sl) == 0)
		h->local_port = ntohs(sa.sin_port);
	return fd;
}

TEST(open_socket_hook_unconnected)
{
	struct hook_ctx h = { 0 };
	struct http_client_opts o = { .host = "127.0.0.1", .port = srv.port, .open_socket = hook_socket,
				      .open_socket_ctx = &h };
	struct http_client *c = NULL;
	struct http_actor *a = NULL;
	struct http_request rq = { .method = "GET", .path = "/peer", .timeout_ms = 3000 };
	struct http_response rs = HTTP_RESPONSE_INIT;
	struct http_response rs2 = HTTP_RESPONSE_INIT;
	char want[16] = "";
	int rc = -1, rc2 = -1;

	if (http_client_new(&o, &c) == 0 && http_actor_get(c, "a", &a) == 0) {
		rc = http_send(a, &rq, &rs);
		snprintf(want, sizeof(want), "%d", h.local_port);
		h.fail = 1;
		rc2 = http_send(a, &rq, &rs2);
	}
	http_client_free(c);
	EXPECT_INT(rc, 0);
	EXPECT_INT(rs.status, 200);
	EXPECT(h.local_port > 0);
	EXPECT_STR(gbuf_str(&rs.body), want);
	EXPECT_INT(rc2, 0);
	EXPECT_INT(rs2.fault, HTTP_FAULT_CONNECT);
	EXPECT_INT(h.calls, 2);
	http_response_release(&rs);
	http_response_release(&rs2);
}

TEST(open_socket_hook_connected)
{
	struct hook_ctx h = { .port = srv.port, .connected = 1 };
	/* The configured port is dead: only the hook can reach the server. */
	struct http_client_opts o = { .host = "127.0.0.1", .open_socket = hook_socket, .open_socket_ctx = &h };
	struct http_client *c = NULL;
	struct http_actor *a = NULL;
	struct http_request rq = { .method = "GET", .path = "/echo?via=hook", .timeout_ms = 3000 };
	struct http_response rs = HTTP_RESPONSE_INIT;
	char host[64];
	int rc = -1;
	bool curl8 = curl_version_info(CURLVERSION_NOW)->version_num >= 0x080000;

	o.port = ts_closed_port();
	snprintf(host, sizeof(host), "\r\nHost: 127.0.0.1:%d\r\n", o.port);
	if (http_client_new(&o, &c) == 0 && http_actor_get(c, "a", &a) == 0)
		rc = http_send(a, &rq, &rs);
	http_client_free(c);
	EXPECT_INT(h.calls, 1);
	if (curl8) {
		EXPECT_INT(rc, 0);
		EXPECT_INT(rs.status, 200);
		EXPECT(body_has(&rs, "GET /echo?via=hook HTTP/1.1\r\n"));
		EXPECT(body_has(&rs, host));
	} else {
		/* libcurl 7.88 cannot skip connect(): a grader error that says
		 * so, not a fault blamed on the app. */
		EXPECT_INT(rc, -1);
		EXPECT(strstr(err_last(), "#10626") != NULL);
		err_clear();
	}
	http_response_release(&rs);
}

TEST(url_to_path)
{
	char u[128], *p = NULL;

	snprintf(u, sizeof(u), "http://127.0.0.1:%d/tickets/3/?a=1#frag", srv.port);
	p = http_url_to_path(cli, u);
	EXPECT_STR(p, "/tickets/3/?a=1");
	free(p);
	snprintf(u, sizeof(u), "http://localhost:%d", srv.port);
	p = http_url_to_path(cli, u);
	EXPECT_STR(p, "/");
	free(p);
	p = http_url_to_path(cli, "/accounts/login/?next=/tickets/");
	EXPECT_STR(p, "/accounts/login/?next=/tickets/");
	free(p);
	p = http_url_to_path(cli, "http://example.invalid/x");
	EXPECT_STR(p, "http://example.invalid/x");
	free(p);
	p = http_url_to_path(cli, "http://127.0.0.1:9/x");
	EXPECT_STR(p, "http://127.0.0.1:9/x");
	free(p);
	snprintf(u, sizeof(u), "http://example.invalid:%d/x", srv.port);
	p = http_url_to_path(cli, u);
	EXPECT_STR(p, u);
	free(p);
	p = http_url_to_path(cli, "//example.invalid/x");
	EXPECT_STR(p, "//example.invalid/x");
	free(p);
	snprintf(u, sizeof(u), "https://127.0.0.1:%d/x", srv.port);
	p = http_url_to_path(cli, u);
	EXPECT_STR(p, u);
	free(p);
	p = http_url_to_path(cli, "media/cat.png");
	EXPECT_STR(p, "media/cat.png");
	free(p);
}

/* An address from a page as a browser reads it (h688): a src with a
 * newline before its closing quote, spaces in a file's name. The spaces
 * reach the server percent-encoded, where libcurl refused the URL and
 * the whole grade stopped as the grader's own failure. */
TEST(page_addresses_as_a_browser_reads_them)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	char *p = NULL, *c = http_ref_clean("  /media/logo cucina.png\n      ");

	EXPECT_STR(c, "/media/logo cucina.png");
	free(c);
	EXPECT_INT(http_resolve(cli, "/recipes/", "\tphotos/a b.png\n ", &p), 0);
	EXPECT_STR(p, "/recipes/photos/a%20b.png");
	free(p);
	EXPECT_INT(send_simple("spaces", "GET", "/echo/logo cucina\".png", false, 2000, &rs), 0);
	EXPECT_INT((int)rs.fault, (int)HTTP_FAULT_NONE);
	EXPECT(body_has(&rs, "GET /echo/logo%20cucina%22.png "));
	http_response_release(&rs);
}

TEST(response_header_parse)
{
	struct http_response rs = HTTP_RESPONSE_INIT;
	char *v = NULL;

	gbuf_adds(&rs.head, "HTTP/1.1 302 Found\r\nContent-Type:   text/html; charset=utf-8  \r\n"
			   "X-Empty:\r\nLocation: /a\r\nlocation: /b\r\n\r\n");
	v = http_response_header(&rs, "content-type");
	EXPECT_STR(v, "text/html; charset=utf-8");
	free(v);
	v = http_response_header(&rs, "Location");
	EXPECT_STR(v, "/a");
	free(v);
	v = http_response_header(&rs, "X-Empty");
	EXPECT_STR(v, "");
	free(v);
	EXPECT(http_response_header(&rs, "Content") == NULL);
	EXPECT(http_response_header(&rs, "Set-Cookie") == NULL);
	http_response_release(&rs);
	EXPECT(http_response_header(&rs, "Location") == NULL);
}

TEST(bad_arguments)
{
	struct http_client_opts o = { .host = "127.0.0.1", .port = 0 };
	struct http_client *c = NULL;
	struct http_response rs = HTTP_RESPONSE_INIT;

	EXPECT_INT(http_client_new(&o, &c), -1);
	EXPECT(c == NULL);
	EXPECT(strstr(err_last(), "port") != NULL);
	EXPECT_INT(send_simple("anonymous", "GET", "relative", false, 1000, &rs), -1);
	err_clear();
	http_response_release(&rs);
}

int main(void)
{
	struct http_client_opts o = { .host = "127.0.0.1" };
	long t0 = t_now_ms();

	if (ts_start(ts_handler_router, NULL, &srv) < 0) {
		printf("not ok start_server - cannot listen on 127.0.0.1\n");
		return 1;
	}
	o.port = srv.port;
	if (http_client_new(&o, &cli) < 0) {
		printf("not ok client_new - %s\n", err_last());
		ts_stop(&srv);
		return 1;
	}
	RUN(get_and_post_json);
	RUN(other_methods);
	RUN(cookies_per_actor);
	RUN(set_cookie_then_sent);
	RUN(multipart_byte_exact);
	RUN(timing_split_upload);
	RUN(huge_body_capped);
	RUN(never_ending_answer_times_out);
	RUN(trickle_cut_off);
	RUN(slow_answer_within_timeout);
	RUN(actor_authorization_header);
	RUN(actor_authorization_own_header);
	RUN(actor_authorization_on_refusal);
	RUN(actor_basic_on_challenge);
	RUN(timing_split);
	RUN(lane_shares_jars);
	RUN(silent_after_request_times_out);
	RUN(silent_server_times_out);
	RUN(silent_on_a_reused_connection_is_no_answer);
	RUN(invalid_utf8_raw);
	RUN(redirect_loop_is_fault);
	RUN(redirect_beneath_followed_alone);
	RUN(redirect_off_host_not_followed);
	RUN(redirect_to_localhost_same_port_followed);
	RUN(app_served_as_https);
	RUN(accept_by_kind_of_client);
	RUN(post_303_becomes_get);
	RUN(not_http_is_protocol_fault);
	RUN(huge_headers_is_protocol_fault);
	RUN(closed_without_answer_is_connect_fault);
	RUN(refused_is_connect_fault);
	RUN(open_socket_hook_unconnected);
	RUN(open_socket_hook_connected);
	RUN(url_to_path);
	RUN(page_addresses_as_a_browser_reads_them);
	RUN(response_header_parse);
	RUN(bad_arguments);
	http_client_free(cli);
	ts_stop(&srv);
	t_current = "total_time_bounded";
	if (t_now_ms() - t0 > 30000) {
		printf("not ok total_time_bounded - took %ld ms\n", t_now_ms() - t0);
		t_failures++;
	} else {
		printf("ok total_time_bounded\n");
	}
	T_EXIT();
}
