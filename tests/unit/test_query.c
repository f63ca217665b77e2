/* test_query.c - queries, filters, predicates, messages, templates. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checklang.h"
#include "err.h"
#include "query.h"
#include "routes.h"
#include "t.h"

/* ---- fixtures ------------------------------------------------------------ */

static void resp_init(struct http_response *rs, long status, const char *head, const char *body,
		      size_t body_len)
{
	struct http_response z = HTTP_RESPONSE_INIT;

	*rs = z;
	rs->status = status;
	gbuf_adds(&rs->head, head ? head : "");
	if (body)
		gbuf_add(&rs->body, body, body_len);
	rs->effective_path = strdup("/tickets/?page=2");
	rs->duration_ms = 12;
}

static void resp_free(struct http_response *rs)
{
	gbuf_release(&rs->head);
	gbuf_release(&rs->body);
	free(rs->effective_path);
	free(rs->fault_msg);
}

/* One exchange + variables + an assertion under test. */
struct fx {
	struct http_response rs;
	cJSON *vars;
	struct eval_ctx ctx;
	struct assertion a;
	struct filter f[4];
	struct gbuf msg;
	bool ok;
	int rc;
};

static char fixture_dir[64];

static void fx_open(struct fx *x, long status, const char *head, const char *body)
{
	memset(x, 0, sizeof(*x));
	resp_init(&x->rs, status, head, body, body ? strlen(body) : 0);
	x->vars = cJSON_Parse("{\"n\": 3, \"title\": \"Printer 1a2b\", \"run\": {\"nonce\": \"1a2b\"},"
			      " \"price\": \"9.99\", \"ids\": [4, 5], \"yes\": true}");
	eval_ctx_init(&x->ctx, &x->rs, NULL, x->vars, fixture_dir);
	gbuf_init(&x->msg, 4096);
	x->a.pred = P_EXISTS;
}

static void fx_close(struct fx *x)
{
	size_t i;

	eval_ctx_release(&x->ctx);
	resp_free(&x->rs);
	cJSON_Delete(x->vars);
	cJSON_Delete(x->a.value);
	cJSON_Delete(x->a.qvalue);
	for (i = 0; i < 4; i++)
		cJSON_Delete(x->f[i].value);
	gbuf_release(&x->msg);
}

/* Set the predicate (value parsed from JSON text, NULL for none) and check. */
static int fx_check(struct fx *x, enum pred_kind p, const char *value_json, bool negate)
{
	cJSON_Delete(x->a.value);
	x->a.value = value_json ? cJSON_Parse(value_json) : NULL;
	x->a.pred = p;
	x->a.negate = negate;
	gbuf_reset(&x->msg);
	x->rc = assertion_check(&x->a, &x->ctx, &x->msg);
	x->ok = x->rc == 0;
	if (x->rc > 0)
		x->rc = 0; /* the fixture's rc: grader error or not */
	return x->rc;
}

/* 1 pass, 0 fail, -1 error. */
static int fx_pass(struct fx *x, enum pred_kind p, const char *value_json, bool negate)
{
	if (fx_check(x, p, value_json, negate) < 0)
		return -1;
	return x->ok ? 1 : 0;
}

/* The query+filters value printed, "<missing>", or "<1: why>" / "<error>". */
static char *fx_value(struct fx *x)
{
	cJSON *v = NULL;
	struct gbuf why = GBUF_INIT(0);
	char *s;
	int rc = query_eval(&x->a, &x->ctx, &v, &why);

	if (rc < 0) {
		s = strdup("<error>");
	} else if (rc == 1) {
		gbuf_adds(&why, ">");
		s = malloc(why.len + 4);
		sprintf(s, "<1:%s", gbuf_str(&why));
	} else {
		s = v ? cJSON_PrintUnformatted(v) : strdup("<missing>");
	}
	cJSON_Delete(v);
	gbuf_release(&why);
	return s;
}

#define EXPECT_VALUE(x, want)                                                  \
	do {                                                                   \
		char *t_s = fx_value(x);                                       \
		int t_eq = strcmp(t_s, want) == 0;                             \
		if (!t_eq)                                                     \
			printf("# value %s\n", t_s);                           \
		free(t_s);                                                     \
		EXPECT(t_eq);                                                  \
	} while (0)

#define EXPECT_MSG(x, want)                                                    \
	do {                                                                   \
		if (strcmp(gbuf_str(&(x)->msg), want) != 0)                    \
			printf("# msg %s\n", gbuf_str(&(x)->msg));             \
		EXPECT_STR(gbuf_str(&(x)->msg), want);                         \
	} while (0)

static const char *JSON_BODY =
	"{\"count\": 2, \"results\": [{\"id\": 1, \"name\": \"Lamp\", \"stock\": 5, \"price\": \"4.50\"},"
	" {\"id\": 2, \"name\": \"Desk\", \"stock\": 0, \"price\": \"9.99\"}], \"next\": null}";

static const char *HTML_BODY =
	"<html><head><title>T</title><script>var hidden=1;</script></head><body>"
	"<h1>Tickets</h1><ul><li class=t><a href=\"/tickets/7/\">Printer 1a2b</a> <b>Open</b></li>"
	"<li class=t><a href=\"/tickets/8/\">Coffee</a> <b>Pending</b></li></ul>"
	"<img src=\"/media/x.png\"></body></html>";

/* ---- value_equals / value_excerpt ----------------------------------------- */

static bool eq(const char *a, const char *b)
{
	cJSON *x = cJSON_Parse(a), *y = cJSON_Parse(b);
	bool r = value_equals(x, y);

	cJSON_Delete(x);
	cJSON_Delete(y);
	return r;
}

TEST(value_equals_rules)
{
	EXPECT(eq("3", "3.0"));
	EXPECT(eq("3", "\"3\""));
	EXPECT(eq("\"3\"", "3"));
	EXPECT(eq("9.99", "\"9.99\""));
	EXPECT(eq("4.5", "\"4.50\""));
	EXPECT(eq("-2", "\"-2e0\""));
	EXPECT(!eq("3", "\"3 \""));
	EXPECT(!eq("16", "\"0x10\""));
	EXPECT(!eq("3", "\"three\""));
	EXPECT(!eq("\"3\"", "\"3.0\""));   /* two strings compare as text */
	EXPECT(eq("\"a\"", "\"a\""));
	EXPECT(!eq("\"a\"", "\"A\""));
	EXPECT(eq("true", "true"));
	EXPECT(!eq("true", "false"));
	EXPECT(!eq("true", "1"));
	EXPECT(!eq("true", "\"true\""));
	EXPECT(eq("null", "null"));
	EXPECT(!eq("null", "0"));
	EXPECT(!eq("null", "\"\""));
	EXPECT(eq("[1, \"2\", [3]]", "[1, 2, [\"3\"]]"));
	EXPECT(!eq("[1, 2]", "[2, 1]"));
	EXPECT(!eq("[1, 2]", "[1, 2, 3]"));
	EXPECT(eq("{\"a\": 1, \"b\": [true]}", "{\"b\": [true], \"a\": \"1\"}"));
	EXPECT(!eq("{\"a\": 1}", "{\"a\": 1, \"b\": 2}"));
	EXPECT(!eq("{\"a\": 1, \"b\": 2}", "{\"a\": 1, \"c\": 2}"));
	EXPECT(!eq("{}", "[]"));
	EXPECT(value_equals(NULL, NULL));
	{
		cJSON *one = cJSON_CreateNumber(1);

		EXPECT(!value_equals(one, NULL));
		cJSON_Delete(one);
	}
}

static char *excerpt(const char *json, size_t max)
{
	cJSON *v = json ? cJSON_Parse(json) : NULL;
	struct gbuf b = GBUF_INIT(0);

	value_excerpt(v, &b, max);
	cJSON_Delete(v);
	return gbuf_detach(&b, NULL);
}

#define EXPECT_EXCERPT(json, max, want)                                        \
	do {                                                                   \
		char *t_s = excerpt(json, max);                                \
		int t_eq = strcmp(t_s, want) == 0;                             \
		if (!t_eq)                                                     \
			printf("# excerpt %s\n", t_s);                         \
		free(t_s);                                                     \
		EXPECT(t_eq);                                                  \
	} while (0)

TEST(value_excerpts)
{
	EXPECT_EXCERPT(NULL, 80, "missing");
	EXPECT_EXCERPT("3", 80, "3");
	EXPECT_EXCERPT("9.99", 80, "9.99");
	EXPECT_EXCERPT("1e300", 80, "1e+300");
	EXPECT_EXCERPT("\"Open\"", 80, "\"Open\"");
	EXPECT_EXCERPT("[401, 403]", 80, "[401, 403]");
	EXPECT_EXCERPT("{\"a\": [true, null], \"b\": \"x\"}", 80, "{\"a\": [true, null], \"b\": \"x\"}");
	EXPECT_EXCERPT("\"abcdefghij\"", 7, "\"abcde\xE2\x80\xA6\"");
	EXPECT_EXCERPT("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", 10, "[1, 2, 3, \xE2\x80\xA6");
	/* One line, UTF-8 safe, even for hostile strings. */
	EXPECT_EXCERPT("\"a\\nb\\u0001c\"", 80, "\"a b c\"");
	EXPECT_EXCERPT("\"\xC3\xA9\xC3\xA9\xC3\xA9\"", 5, "\"\xC3\xA9\xE2\x80\xA6\"");
	/* Inside an answer's JSON, strings and keys read as the JSON sent:
	 * quotes, backslashes and control characters escaped (h85). */
	EXPECT_EXCERPT("{\"detail\": \"Invalid version in \\\"Accept\\\" header.\"}", 80,
		       "{\"detail\": \"Invalid version in \\\"Accept\\\" header.\"}");
	EXPECT_EXCERPT("{\"a\\\"b\": [\"c:\\\\d\", \"e\\nf\\u0001\"]}", 80,
		       "{\"a\\\"b\": [\"c:\\\\d\", \"e\\nf\\u0001\"]}");
}

/* ---- templates -------------------------------------------------------------- */

static char *render_str(const char *tmpl, int *rc)
{
	cJSON *vars = cJSON_Parse("{\"n\": 3, \"f\": 2.5, \"s\": \"x y\", \"run\": {\"nonce\": \"ab12\"},"
				  " \"users\": {\"alice\": {\"username\": \"alice\"}}, \"b\": false,"
				  " \"z\": null, \"list\": [1, {\"k\": \"v\"}], \"big\": 12345678901}");
	struct gbuf out = GBUF_INIT(0), why = GBUF_INIT(0);
	char *r;

	*rc = template_render_str(tmpl, vars, &out, &why);
	if (*rc == 1)
		r = gbuf_detach(&why, NULL);
	else
		r = gbuf_detach(&out, NULL);
	gbuf_release(&out);
	gbuf_release(&why);
	cJSON_Delete(vars);
	return r;
}

#define EXPECT_RENDER(tmpl, want_rc, want)                                     \
	do {                                                                   \
		int t_rc;                                                      \
		char *t_s = render_str(tmpl, &t_rc);                           \
		int t_eq = t_rc == (want_rc) && strcmp(t_s, want) == 0;        \
		if (!t_eq)                                                     \
			printf("# render %d %s\n", t_rc, t_s);                 \
		free(t_s);                                                     \
		EXPECT(t_eq);                                                  \
	} while (0)

TEST(template_strings)
{
	EXPECT_RENDER("/api/products/{{n}}/", 0, "/api/products/3/");
	EXPECT_RENDER("{{ n }}-{{f}}-{{  s  }}", 0, "3-2.5-x y");
	EXPECT_RENDER("Probe {{run.nonce}}", 0, "Probe ab12");
	EXPECT_RENDER("{{users.alice.username}}", 0, "alice");
	EXPECT_RENDER("{{b}} {{z}} {{big}}", 0, "false null 12345678901");
	EXPECT_RENDER("{{list.1.k}} {{list}}", 0, "v [1,{\"k\":\"v\"}]");
	EXPECT_RENDER("no placeholders", 0, "no placeholders");
	EXPECT_RENDER("", 0, "");
	EXPECT_RENDER("{{ }} and {{a b}} and {{ unclosed", 0, "{{ }} and {{a b}} and {{ unclosed");
	EXPECT_RENDER("x {{missing}} y", 1, "unknown variable 'missing'");
	EXPECT_RENDER("{{run.nope}}", 1, "unknown variable 'run.nope'");
	EXPECT_RENDER("{{n.x}}", 1, "unknown variable 'n.x'");
	EXPECT_RENDER("{{run.}}", 0, "{{run.}}");
}

static char *render_json(const char *tmpl_json, int *rc)
{
	cJSON *vars = cJSON_Parse("{\"n\": 3, \"price\": \"9.99\", \"obj\": {\"a\": [1]}, \"run\": {\"nonce\": \"ab\"}}");
	cJSON *t = cJSON_Parse(tmpl_json), *out = (cJSON *)1;
	struct gbuf why = GBUF_INIT(0);
	char *r;

	*rc = template_render(t, vars, &out, &why);
	if (*rc == 1)
		r = gbuf_detach(&why, NULL);
	else
		r = out ? cJSON_PrintUnformatted(out) : strdup("<null>");
	if (*rc != 0 && out != NULL)
		r[0] = '!';   /* out must be NULL on failure */
	cJSON_Delete(out);
	cJSON_Delete(t);
	cJSON_Delete(vars);
	gbuf_release(&why);
	return r;
}

#define EXPECT_RENDER_JSON(tmpl, want_rc, want)                                \
	do {                                                                   \
		int t_rc;                                                      \
		char *t_s = render_json(tmpl, &t_rc);                          \
		int t_eq = t_rc == (want_rc) && strcmp(t_s, want) == 0;        \
		if (!t_eq)                                                     \
			printf("# render %d %s\n", t_rc, t_s);                 \
		free(t_s);                                                     \
		EXPECT(t_eq);                                                  \
	} while (0)

TEST(template_typed)
{
	/* Exactly one placeholder keeps the type. */
	EXPECT_RENDER_JSON("\"{{n}}\"", 0, "3");
	EXPECT_RENDER_JSON("\"{{ n }}\"", 0, "3");
	EXPECT_RENDER_JSON("\"{{obj}}\"", 0, "{\"a\":[1]}");
	EXPECT_RENDER_JSON("\"{{price}}\"", 0, "\"9.99\"");
	/* Anything more is a string. */
	EXPECT_RENDER_JSON("\"#{{n}}\"", 0, "\"#3\"");
	EXPECT_RENDER_JSON("\"{{n}}{{n}}\"", 0, "\"33\"");
	EXPECT_RENDER_JSON("{\"product\": \"{{n}}\", \"quantity\": 2, \"name\": \"P {{run.nonce}}\","
			   " \"tags\": [\"{{n}}\", true, null]}", 0,
			   "{\"product\":3,\"quantity\":2,\"name\":\"P ab\",\"tags\":[3,true,null]}");
	EXPECT_RENDER_JSON("[1, {\"x\": \"{{nope}}\"}]", 1, "unknown variable 'nope'");
	EXPECT_RENDER_JSON("\"{{nope}}\"", 1, "unknown variable 'nope'");
	{
		cJSON *out = (cJSON *)1;

		EXPECT_INT(template_render(NULL, NULL, &out, NULL), 0);
		EXPECT(out == NULL);
	}
}

/* ---- queries ------------------------------------------------------------------ */

TEST(query_status_duration_url)
{
	struct fx x;

	fx_open(&x, 201, "", "");
	x.a.query = Q_STATUS;
	EXPECT_VALUE(&x, "201");
	x.a.query = Q_DURATION;
	EXPECT_VALUE(&x, "12");
	x.a.query = Q_URL;
	EXPECT_VALUE(&x, "\"/tickets/?page=2\"");
	free(x.rs.effective_path);
	x.rs.effective_path = NULL;
	EXPECT_VALUE(&x, "<missing>");
	fx_close(&x);
}

TEST(query_headers_and_location)
{
	struct fx x;

	fx_open(&x, 302,
		"HTTP/1.1 301 Moved\r\nLocation: /first/\r\n\r\n"
		"HTTP/1.1 302 Found\r\nContent-Type: text/html; charset=utf-8\r\n"
		"location:   http://127.0.0.1:8123/accounts/login/?next=/tickets/#frag  \r\n"
		"X-Dup: one\r\nX-Dup: two\r\n\r\n", "");
	x.a.query = Q_HEADER;
	x.a.arg = "content-type";
	EXPECT_VALUE(&x, "\"text/html; charset=utf-8\"");
	x.a.arg = "X-DUP";
	EXPECT_VALUE(&x, "\"one\"");
	x.a.arg = "X-Missing";
	EXPECT_VALUE(&x, "<missing>");
	x.a.arg = "Content";   /* a prefix is not the header */
	EXPECT_VALUE(&x, "<missing>");
	x.a.query = Q_LOCATION;
	x.a.arg = NULL;
	EXPECT_VALUE(&x, "\"/accounts/login/?next=/tickets/\"");
	fx_close(&x);

	fx_open(&x, 302, "HTTP/1.1 302 Found\r\nLocation: http://localhost:9/x?y=1\r\n\r\n", "");
	x.a.query = Q_LOCATION;
	EXPECT_VALUE(&x, "\"/x?y=1\"");
	fx_close(&x);
	fx_open(&x, 302, "HTTP/1.1 302 Found\r\nLocation: http://[::1]:9?q\r\n\r\n", "");
	x.a.query = Q_LOCATION;
	EXPECT_VALUE(&x, "\"/?q\"");
	fx_close(&x);
	fx_open(&x, 302, "HTTP/1.1 302 Found\r\nLocation: https://evil.example/login/\r\n\r\n", "");
	x.a.query = Q_LOCATION;
	EXPECT_VALUE(&x, "\"https://evil.example/login/\"");
	fx_close(&x);
	/* A relative Location is resolved against the URL that answered, as
	 * clients do (RFC 9110): a path on the app, which a later step can
	 * request. */
	fx_open(&x, 302, "HTTP/1.1 302 Found\r\nLocation: ../tickets/5/\r\n\r\n", "");
	free(x.rs.effective_path);
	x.rs.effective_path = strdup("/orders/new/?from=cart");
	x.a.query = Q_LOCATION;
	EXPECT_VALUE(&x, "\"/orders/tickets/5/\"");
	fx_close(&x);
	fx_open(&x, 302, "HTTP/1.1 302 Found\r\nLocation: 5/\r\n\r\n", "");
	free(x.rs.effective_path);
	x.rs.effective_path = strdup("/tickets/new/");
	x.a.query = Q_LOCATION;
	EXPECT_VALUE(&x, "\"/tickets/new/5/\"");
	fx_close(&x);
	fx_open(&x, 302, "HTTP/1.1 302 Found\r\nLocation: mailto:help@example.invalid\r\n\r\n", "");
	free(x.rs.effective_path);
	x.rs.effective_path = strdup("/tickets/new/");
	x.a.query = Q_LOCATION;
	EXPECT_VALUE(&x, "\"mailto:help@example.invalid\"");
	fx_close(&x);
	fx_open(&x, 200, "HTTP/1.1 200 OK\r\n\r\n", "");
	x.a.query = Q_LOCATION;
	EXPECT_VALUE(&x, "<missing>");
	fx_close(&x);
}

TEST(query_body_sha256)
{
	struct fx x;

	fx_open(&x, 200, "", NULL);
	gbuf_add(&x.rs.body, "ok \xff\0z", 6);
	x.a.query = Q_BODY;
	EXPECT_VALUE(&x, "\"ok \xEF\xBF\xBD\xEF\xBF\xBDz\"");
	fx_close(&x);

	fx_open(&x, 200, "", "abc");
	x.a.query = Q_SHA256;
	EXPECT_VALUE(&x, "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"");
	fx_close(&x);
	fx_open(&x, 204, "", NULL);
	x.a.query = Q_SHA256;
	EXPECT_VALUE(&x, "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"");
	x.a.query = Q_BODY;
	EXPECT_VALUE(&x, "\"\"");
	fx_close(&x);
}

TEST(query_jsonpath)
{
	struct fx x;

	fx_open(&x, 200, "", JSON_BODY);
	x.a.query = Q_JSONPATH;
	x.a.arg = "$.results[1].price";
	EXPECT_VALUE(&x, "\"9.99\"");
	x.a.arg = "$.results[*].id";
	EXPECT_VALUE(&x, "[1,2]");
	x.a.arg = "$.nope";
	EXPECT_VALUE(&x, "<missing>");
	x.a.arg = "$.next";
	EXPECT_VALUE(&x, "null");
	fx_close(&x);

	fx_open(&x, 403, "", "<!DOCTYPE html><html>Forbidden</html>");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$.id";
	EXPECT_VALUE(&x, "<1:the body is not JSON (it starts with \"<!DOCTYPE html><html>Forbidden</html>\")>");
	fx_close(&x);
	/* An HTML page served as a success where JSON was asked for: another
	 * view answers the path first (h444: a single-page app's catch-all),
	 * or DRF's browsable API renders first. */
	fx_open(&x, 200, "", "<!doctype html>\n<html lang=\"en\"><head><title>Shop</title></head><div id=\"root\"></div></html>");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$.id";
	EXPECT_VALUE(&x, "<1:the body is an HTML page, not JSON: a view before the API's answers it (an SPA's catch-all?)>");
	fx_close(&x);
	fx_open(&x, 200, "", "<!DOCTYPE html>\n<html><head><title>Product List \xe2\x80\x93 Django REST framework</title></head></html>");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$.id";
	EXPECT_VALUE(&x, "<1:the body is DRF's browsable API page, not JSON: put JSONRenderer first in DEFAULT_RENDERER_CLASSES>");
	fx_close(&x);
	/* XML where JSON was asked for (h914: DRF's XMLRenderer answering
	 * every client): said, where its first bytes sent the student to
	 * the serializer. */
	fx_open(&x, 201, "", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<root><id>3</id></root>");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$.id";
	EXPECT_VALUE(&x, "<1:the body is XML, not JSON, though the request asked for JSON (Accept: application/json): "
			 "offer JSONRenderer in DEFAULT_RENDERER_CLASSES, which DRF picks by the Accept header>");
	fx_close(&x);
	fx_open(&x, 200, "", "{\"a\": 1} trailing");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$.a";
	EXPECT_VALUE(&x, "<1:the body is not JSON (it starts with \"{\"a\": 1} trailing\")>");
	fx_close(&x);
	fx_open(&x, 200, "", " [1, 2] \n");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$[-1]";
	EXPECT_VALUE(&x, "2");
	fx_close(&x);
	fx_open(&x, 204, "", NULL);
	x.a.query = Q_JSONPATH;
	x.a.arg = "$";
	EXPECT_VALUE(&x, "<1:the body is empty, not JSON>");
	fx_close(&x);
}

TEST(body_parsed_once_per_response)
{
	struct fx x;

	fx_open(&x, 200, "", "{\"v\": 1}");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$.v";
	EXPECT_VALUE(&x, "1");
	/* The cache answers; the bytes are not parsed again. */
	x.rs.body.data[6] = '2';
	EXPECT_VALUE(&x, "1");
	eval_ctx_release(&x.ctx);
	eval_ctx_init(&x.ctx, &x.rs, NULL, x.vars, fixture_dir);
	EXPECT_VALUE(&x, "2");
	fx_close(&x);

	fx_open(&x, 200, "", "<p>one</p>");
	x.a.query = Q_TEXT;
	EXPECT_VALUE(&x, "\"one\"");
	memcpy(x.rs.body.data + 3, "two", 3);
	x.a.query = Q_CSS;
	x.a.arg = "p";
	EXPECT_VALUE(&x, "[\"one\"]");
	fx_close(&x);
}

TEST(query_html)
{
	struct fx x;

	fx_open(&x, 200, "", HTML_BODY);
	x.a.query = Q_TEXT;
	EXPECT_VALUE(&x, "\"Tickets Printer 1a2b Open Coffee Pending\"");
	/* The titles are links: the prose is what is left. */
	x.a.query = Q_PROSE;
	EXPECT_VALUE(&x, "\"Tickets Open Pending\"");
	x.a.query = Q_CSS;
	x.a.arg = "li.t > a";
	EXPECT_VALUE(&x, "[\"Printer 1a2b\",\"Coffee\"]");
	x.a.attr = "href";
	EXPECT_VALUE(&x, "[\"/tickets/7/\",\"/tickets/8/\"]");
	x.a.attr = NULL;
	x.a.query = Q_XPATH;
	x.a.arg = "count(//li)";
	EXPECT_VALUE(&x, "2");
	x.a.arg = "//img/@src";
	EXPECT_VALUE(&x, "[\"/media/x.png\"]");
	x.a.arg = "//li[";
	EXPECT_VALUE(&x, "<error>");
	fx_close(&x);
}

/* A prose value read otherwise in all the page's text (a status only in
 * a link) is said beside it, the same filters on both (h225). */
TEST(prose_failure_says_the_links)
{
	struct fx x;

	fx_open(&x, 200, "", "<p>Ticket: <a href=\"/t/?s=open\">Open</a></p>");
	x.a.query = Q_PROSE;
	x.a.filters = x.f;
	x.a.nfilters = 2;
	x.f[0].kind = F_FINDALL;
	x.f[0].arg = "(?i)\\b(open|pending|resolved)\\b";
	x.f[1].kind = F_JOIN;
	x.a.what = "the status its page states";
	EXPECT_INT(fx_pass(&x, P_MATCHES, "\"(?i)open\"", false), 0);
	EXPECT_MSG(&x, "the status its page states: none (with its links, buttons and form controls: \"Open\"); "
		   "expected matches /(?i)open/");
	fx_close(&x);
}

TEST(query_regex)
{
	struct fx x;

	fx_open(&x, 200, "", "<a href=\"/tickets/42/\">t</a>");
	x.a.query = Q_REGEX;
	x.a.arg = "/tickets/([0-9]+)/";
	EXPECT_VALUE(&x, "\"42\"");
	x.a.arg = "href=\"[^\"]+\"";
	EXPECT_VALUE(&x, "\"href=\\\"/tickets/42/\\\"\"");
	x.a.arg = "/orders/([0-9]+)/";
	EXPECT_VALUE(&x, "<missing>");
	x.a.arg = "(unclosed";
	EXPECT_VALUE(&x, "<error>");
	fx_close(&x);
}

TEST(query_value_and_queries)
{
	struct fx x;

	fx_open(&x, 200, "", "");
	x.a.query = Q_VALUE;
	x.a.qvalue = cJSON_CreateString("{{n}}");
	EXPECT_VALUE(&x, "3");
	cJSON_Delete(x.a.qvalue);
	x.a.qvalue = cJSON_CreateString("{{nope}}");
	EXPECT_VALUE(&x, "<1:unknown variable 'nope'>");
	x.a.query = Q_QUERIES;
	EXPECT_VALUE(&x, "<missing>");
	x.ctx.queries = 7;
	EXPECT_VALUE(&x, "7");
	fx_close(&x);

	/* Q_VALUE needs no response at all. */
	{
		struct eval_ctx ctx;
		struct assertion a;
		cJSON *vars = cJSON_Parse("{\"n\": 3}");
		cJSON *v = NULL;
		struct gbuf why = GBUF_INIT(0);

		memset(&a, 0, sizeof(a));
		eval_ctx_init(&ctx, NULL, NULL, vars, NULL);
		a.query = Q_VALUE;
		a.qvalue = cJSON_CreateString("{{n}}");
		EXPECT_INT(query_eval(&a, &ctx, &v, &why), 0);
		EXPECT(cJSON_IsNumber(v) && v->valuedouble == 3);
		cJSON_Delete(v);
		v = NULL;
		a.query = Q_STATUS;
		EXPECT_INT(query_eval(&a, &ctx, &v, &why), 1);
		cJSON_Delete(a.qvalue);
		cJSON_Delete(vars);
		eval_ctx_release(&ctx);
		gbuf_release(&why);
	}
}

/* ---- filters -------------------------------------------------------------------- */

static void set_filters(struct fx *x, size_t n)
{
	x->a.filters = x->f;
	x->a.nfilters = n;
}

/* The value of `$ | unwrap results | count` on a body. */
#define EXPECT_UNWRAP_COUNT(body, want)                                        \
	do {                                                                   \
		struct fx u_x;                                                 \
		fx_open(&u_x, 200, "", body);                                  \
		u_x.a.query = Q_JSONPATH;                                      \
		u_x.a.arg = "$";                                               \
		u_x.f[0].kind = F_UNWRAP;                                      \
		u_x.f[0].arg = "results";                                      \
		u_x.f[1].kind = F_COUNT;                                       \
		set_filters(&u_x, 2);                                          \
		EXPECT_VALUE(&u_x, want);                                      \
		fx_close(&u_x);                                                \
	} while (0)

/* The value of `$ | total` on a body. */
#define EXPECT_TOTAL(body, want)                                               \
	do {                                                                   \
		struct fx t_x;                                                 \
		fx_open(&t_x, 200, "", body);                                  \
		t_x.a.query = Q_JSONPATH;                                      \
		t_x.a.arg = "$";                                               \
		t_x.f[0].kind = F_TOTAL;                                       \
		set_filters(&t_x, 1);                                          \
		EXPECT_VALUE(&t_x, want);                                      \
		fx_close(&t_x);                                                \
	} while (0)

TEST(filters_count_unwrap_field)
{
	struct fx x;

	fx_open(&x, 200, "", JSON_BODY);
	x.a.query = Q_JSONPATH;
	x.a.arg = "$";
	x.f[0].kind = F_UNWRAP;
	x.f[0].arg = "results";
	x.f[1].kind = F_COUNT;
	set_filters(&x, 2);
	EXPECT_VALUE(&x, "2");
	x.f[1].kind = F_FIELD;
	x.f[1].arg = "name";
	EXPECT_VALUE(&x, "[\"Lamp\",\"Desk\"]");
	x.f[0].kind = F_COUNT;   /* an object counts its members */
	set_filters(&x, 1);
	EXPECT_VALUE(&x, "3");
	x.f[0].kind = F_FIELD;
	x.f[0].arg = "count";
	EXPECT_VALUE(&x, "2");
	x.f[0].arg = "nope";
	EXPECT_VALUE(&x, "<missing>");
	x.a.arg = "$.count";
	x.f[0].kind = F_FIELD;
	EXPECT_VALUE(&x, "<1:filter field needs an object or a list but got a number 2>");
	x.f[0].kind = F_COUNT;
	EXPECT_VALUE(&x, "<1:filter count needs a list, an object or a string but got a number 2>");
	x.a.arg = "$.results[0].name";
	EXPECT_VALUE(&x, "4");
	fx_close(&x);

	/* unwrap leaves a plain list alone (non-paginated DRF). */
	EXPECT_UNWRAP_COUNT("[{\"id\": 1}]", "1");
	/* An object without the key is neither a list nor a page of one:
	 * counting its keys would read {"data": [...]} as 1 row whatever it
	 * holds, so unwrap says so, as the answer's shape (h250: "filter
	 * unwrap needs" read as jargon). */
	EXPECT_UNWRAP_COUNT("{\"detail\": \"ok\", \"count\": 2}",
			    "<1:the answer is an object without \"results\" {\"detail\": \"ok\", "
			    "\"count\": 2}, not a JSON array nor a page of one under \"results\">");
	/* A list under a key of the app's own (h421: {"data": [...], "meta":
	 * ...}): that key named, and the fix. */
	EXPECT_UNWRAP_COUNT("{\"meta\": {\"count\": 2}, \"data\": [{\"id\": 1}, {\"id\": 2}]}",
			    "<1:the answer's list is under \"data\", not \"results\": put it under \"results\" "
			    "(as DRF's paginators do) or answer a JSON array (JsonResponse(rows, safe=False))>");
	/* A whole page inside a member of its own (h710: JSend's data). */
	EXPECT_UNWRAP_COUNT("{\"status\": \"success\", \"data\": {\"count\": 1, \"results\": [{\"id\": 1}]}}",
			    "<1:the answer's page is inside \"data\": answer the page itself, its \"results\" at the "
			    "top (as DRF's paginators do), or a JSON array>");

	/* Django Ninja's page, {"items": [...], "count": N}: its items
	 * (h578), and so beside a next page's link (h674); "items" with
	 * neither is a key of the app's own. */
	EXPECT_UNWRAP_COUNT("{\"items\": [{\"id\": 1}, {\"id\": 2}], \"count\": 2}", "2");
	EXPECT_UNWRAP_COUNT("{\"items\": [{\"id\": 1}, {\"id\": 2}], \"next\": \"/api/products/?page=2\"}", "2");
	EXPECT_UNWRAP_COUNT("{\"items\": [{\"id\": 1}], \"next\": null}", "1");
	/* django-tastypie's list, {"meta": {..., "total_count": N}, "objects":
	 * [...]} (h887); "objects" without that meta is no page. */
	EXPECT_UNWRAP_COUNT("{\"meta\": {\"limit\": 20, \"next\": null, \"offset\": 0, \"previous\": null, "
			    "\"total_count\": 2}, \"objects\": [{\"id\": 1}, {\"id\": 2}]}",
			    "2");
	EXPECT_UNWRAP_COUNT("{\"objects\": [{\"id\": 1}]}",
			    "<1:the answer's list is under \"objects\", not \"results\": put it under \"results\" "
			    "(as DRF's paginators do) or answer a JSON array (JsonResponse(rows, safe=False))>");
	EXPECT_UNWRAP_COUNT("{\"items\": [{\"id\": 1}]}",
			    "<1:the answer's list is under \"items\", not \"results\": put it under \"results\" "
			    "(as DRF's paginators do) or answer a JSON array (JsonResponse(rows, safe=False))>");

	/* items: a page becomes its results, a list stays, one object
	 * becomes a list of itself; anything else is not a list of items. */
	fx_open(&x, 200, "", JSON_BODY);
	x.a.query = Q_JSONPATH;
	x.a.arg = "$";
	x.f[0].kind = F_ITEMS;
	x.f[1].kind = F_FIELD;
	x.f[1].arg = "name";
	set_filters(&x, 2);
	EXPECT_VALUE(&x, "[\"Lamp\",\"Desk\"]");
	x.a.arg = "$.results";
	EXPECT_VALUE(&x, "[\"Lamp\",\"Desk\"]");
	x.a.arg = "$.results[1]";
	EXPECT_VALUE(&x, "[\"Desk\"]");
	x.a.arg = "$.count";
	EXPECT_VALUE(&x, "<1:filter items needs a list or an object but got a number 2>");
	fx_close(&x);

	/* total: unwrap results | count, but a page holding fewer rows than
	 * its own count and linking no next (a paginator without "next",
	 * h955) is its count; a next left unread keeps the rows held. */
	EXPECT_TOTAL("{\"count\": 4, \"results\": [{\"id\": 5}]}", "4");
	EXPECT_TOTAL("{\"count\": 4, \"next\": null, \"results\": [{\"id\": 5}]}", "4");
	EXPECT_TOTAL("{\"count\": 4, \"next\": \"http://x/?page=2\", \"results\": [{\"id\": 5}]}", "1");
	EXPECT_TOTAL(JSON_BODY, "2");
	EXPECT_TOTAL("[{\"id\": 1}, {\"id\": 2}]", "2");
	EXPECT_TOTAL("{\"data\": [{\"id\": 1}], \"count\": 9}",
		     "<1:the answer's list is under \"data\", not \"results\": put it under \"results\" "
		     "(as DRF's paginators do) or answer a JSON array (JsonResponse(rows, safe=False))>");

	/* count of a string is in characters, not bytes. */
	fx_open(&x, 200, "", "\"caf\xC3\xA9\"");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$";
	x.f[0].kind = F_COUNT;
	set_filters(&x, 1);
	EXPECT_VALUE(&x, "4");
	fx_close(&x);
}

/* items | where {"id": 3} | first | field stock of the answer `body`,
 * as EXPECT_VALUE writes it (a static buffer). */
static const char *stock_where_id3(const char *body)
{
	static char out[256];
	struct fx x;
	struct gbuf why = GBUF_INIT(1024);
	cJSON *v = NULL;
	char *text = NULL;
	int rc;

	fx_open(&x, 200, "", body);
	x.a.query = Q_JSONPATH;
	x.a.arg = "$";
	x.f[0].kind = F_ITEMS;
	x.f[1].kind = F_WHERE;
	x.f[1].value = cJSON_Parse("{\"id\": 3}");
	x.f[2].kind = F_FIRST;
	x.f[3].kind = F_FIELD;
	x.f[3].arg = "stock";
	set_filters(&x, 4);
	rc = query_eval(&x.a, &x.ctx, &v, &why);
	text = v ? cJSON_PrintUnformatted(v) : NULL;
	snprintf(out, sizeof(out), "%s", rc ? "<error>" : text ? text : "<missing>");
	free(text);
	cJSON_Delete(v);
	gbuf_release(&why);
	fx_close(&x);
	return out;
}

TEST(filters_where_nth_first_last)
{
	struct fx x;

	fx_open(&x, 200, "", JSON_BODY);
	x.a.query = Q_JSONPATH;
	x.a.arg = "$.results";
	x.f[0].kind = F_WHERE;
	x.f[0].value = cJSON_Parse("{\"stock\": \"{{n}}\"}");
	set_filters(&x, 1);
	EXPECT_VALUE(&x, "[]");
	cJSON_Delete(x.f[0].value);
	x.f[0].value = cJSON_Parse("{\"price\": \"{{price}}\", \"stock\": \"0\"}");
	x.f[1].kind = F_FIELD;
	x.f[1].arg = "id";
	set_filters(&x, 2);
	EXPECT_VALUE(&x, "[2]");
	/* A failure shows the `where` with the values it was evaluated with,
	 * never a {{placeholder}}. */
	EXPECT_INT(fx_pass(&x, P_EQUALS, "[]", false), 0);
	EXPECT_MSG(&x, "jsonpath $.results | where {\"price\": \"9.99\", \"stock\": \"0\"} | field id was [2] "
		   "in the answer [{\"id\": 1, \"name\": \"Lamp\", \"stock\": 5, \"price\": \"4.50\"}, {\"id\": 2, \"na"
		   "\xE2\x80\xA6; expected []");
	/* No item has the where's member at all (h1132: items under "pk",
	 * not "id"): what the first one has instead, after the answer. */
	cJSON_Delete(x.f[0].value);
	x.f[0].value = cJSON_Parse("{\"pk\": 1}");
	set_filters(&x, 1);
	EXPECT_INT(fx_pass(&x, P_COUNT, "1", false), 0);
	EXPECT(strstr(gbuf_str(&x.msg), "\xE2\x80\xA6 (its items have no field pk; the first has id, name, stock, "
		      "price); expected 1 item") != NULL);
	/* ...not where some item has it. */
	cJSON_Delete(x.f[0].value);
	x.f[0].value = cJSON_Parse("{\"id\": 9}");
	EXPECT_INT(fx_pass(&x, P_COUNT, "1", false), 0);
	EXPECT(strstr(gbuf_str(&x.msg), "no field") == NULL);
	cJSON_Delete(x.f[0].value);
	x.f[0].value = cJSON_Parse("{\"price\": \"{{price}}\", \"stock\": \"0\"}");
	set_filters(&x, 2);
	/* A member of the one item the where picked: that item quoted, not
	 * the answer's start, which may end before it (h1053). */
	x.f[1].kind = F_FIRST;
	x.f[2].kind = F_FIELD;
	x.f[2].arg = "price";
	set_filters(&x, 3);
	EXPECT_INT(fx_pass(&x, P_EQUALS, "\"1.00\"", false), 0);
	EXPECT_MSG(&x, "jsonpath $.results | where {\"price\": \"9.99\", \"stock\": \"0\"} | first | field price was "
		   "\"9.99\" in the item {\"id\": 2, \"name\": \"Desk\", \"stock\": 0, \"price\": \"9.99\"}; expected "
		   "\"1.00\"");
	x.f[1].kind = F_FIELD;
	x.f[1].arg = "id";
	cJSON_Delete(x.f[0].value);
	x.f[0].value = cJSON_Parse("{\"id\": \"{{unknown}}\"}");
	EXPECT_VALUE(&x, "<1:unknown variable 'unknown'>");
	x.f[0].kind = F_NTH;
	x.f[0].num = -1;
	set_filters(&x, 2);
	EXPECT_VALUE(&x, "2");
	x.f[0].num = 5;
	EXPECT_VALUE(&x, "<missing>");
	x.f[0].kind = F_FIRST;
	EXPECT_VALUE(&x, "1");
	x.f[0].kind = F_LAST;
	EXPECT_VALUE(&x, "2");
	x.a.arg = "$.next";
	EXPECT_VALUE(&x, "<1:filter last needs a list but got null null>");
	/* where on DRF's paginated object (no unwrap) says what it got. */
	x.f[0].kind = F_WHERE;
	x.a.arg = "$";
	set_filters(&x, 1);
	EXPECT_VALUE(&x, "<1:filter where needs a list but got an object {\"count\": 2, \"results\": [{\"id\": 1, \"name\xE2\x80\xA6>");
	fx_close(&x);

	/* items of a detail page answering its object with no id at all:
	 * that object is the one asked for (h1217: staff's serializer of
	 * name, price and stock alone); another id is not, nor a list's row
	 * without an id. */
	EXPECT_STR(stock_where_id3("{\"name\": \"Kettle\", \"stock\": 5}"), "5");
	EXPECT_STR(stock_where_id3("{\"id\": 4, \"name\": \"Kettle\", \"stock\": 5}"), "<missing>");
	EXPECT_STR(stock_where_id3("[{\"name\": \"Kettle\", \"stock\": 5}]"), "<missing>");

	fx_open(&x, 200, "", "[]");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$";
	x.f[0].kind = F_FIRST;
	set_filters(&x, 1);
	EXPECT_VALUE(&x, "<missing>");
	/* Missing, and said why: a `where` before it found nothing. */
	EXPECT_INT(fx_pass(&x, P_EQUALS, "0", false), 0);
	EXPECT_MSG(&x, "jsonpath $ | first was missing (the list is empty); expected 0");
	fx_close(&x);

	/* A `where` that found nothing says so, for the `first` after it:
	 * the item is missing from the list, not a field from the item. */
	fx_open(&x, 200, "", "[{\"id\": 1, \"stock\": 2}, {\"id\": 3, \"stock\": 0}]");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$";
	x.f[0].kind = F_WHERE;
	x.f[0].value = cJSON_Parse("{\"id\": 5}");
	x.f[1].kind = F_FIRST;
	x.f[2].kind = F_FIELD;
	x.f[2].arg = "stock";
	set_filters(&x, 3);
	EXPECT_INT(fx_pass(&x, P_EQUALS, "0", false), 0);
	EXPECT_MSG(&x, "jsonpath $ | where {\"id\": 5} | first | field stock was missing (none of its 2 items has "
		   "{\"id\": 5}); expected 0");
	cJSON_Delete(x.f[0].value);
	x.f[0].value = NULL;
	fx_close(&x);

	fx_open(&x, 200, "", "[1, 2]");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$";
	x.f[0].kind = F_NTH;
	x.f[0].num = 5;
	set_filters(&x, 1);
	EXPECT_INT(fx_pass(&x, P_EQUALS, "0", false), 0);
	EXPECT_MSG(&x, "jsonpath $ | nth 5 was missing (the list has only 2 items); expected 0");
	fx_close(&x);
}

TEST(filters_text)
{
	struct fx x;

	fx_open(&x, 200, "", "{\"s\": \"  Hello World  \", \"n\": \"42\", \"d\": \"4.7\", \"bad\": \"4x\","
			      " \"num\": 3.5, \"list\": [\" A \", \"b\"], \"ids\": [1, 22], \"t\": true}");
	x.a.query = Q_JSONPATH;
	set_filters(&x, 1);
	x.a.arg = "$.s";
	x.f[0].kind = F_TRIM;
	EXPECT_VALUE(&x, "\"Hello World\"");
	x.f[0].kind = F_LOWER;
	EXPECT_VALUE(&x, "\"  hello world  \"");
	x.a.arg = "$.list";
	EXPECT_VALUE(&x, "[\" a \",\"b\"]");
	x.f[0].kind = F_TRIM;
	EXPECT_VALUE(&x, "[\"A\",\"b\"]");
	x.f[0].kind = F_JOIN;
	x.f[0].arg = NULL;
	EXPECT_VALUE(&x, "\" A  b\"");
	x.a.arg = "$.ids";
	x.f[0].arg = ",";
	EXPECT_VALUE(&x, "\"1,22\"");
	x.f[0].kind = F_TOINT;
	x.a.arg = "$.n";
	EXPECT_VALUE(&x, "42");
	x.a.arg = "$.d";
	EXPECT_VALUE(&x, "4");
	x.a.arg = "$.num";
	EXPECT_VALUE(&x, "3");
	x.a.arg = "$.bad";
	EXPECT_VALUE(&x, "<1:filter toInt needs a number but got a string \"4x\">");
	x.f[0].kind = F_TOSTRING;
	x.a.arg = "$.num";
	EXPECT_VALUE(&x, "\"3.5\"");
	x.a.arg = "$.t";
	EXPECT_VALUE(&x, "\"true\"");
	x.a.arg = "$.list";
	EXPECT_VALUE(&x, "<1:filter toString needs a single value but got a list [\" A \", \"b\"]>");
	x.f[0].kind = F_REGEX;
	x.f[0].arg = "([a-z])";
	EXPECT_VALUE(&x, "[\"b\"]");
	x.a.arg = "$.s";
	x.f[0].arg = "W(or)ld";
	EXPECT_VALUE(&x, "\"or\"");
	x.f[0].arg = "xyz";
	EXPECT_VALUE(&x, "<missing>");
	x.a.arg = "$.num";
	EXPECT_VALUE(&x, "<1:filter regex needs a string or a list of strings but got a number 3.5>");
	/* findall: every match, in order; of a list, of each string, as one list. */
	x.f[0].kind = F_FINDALL;
	x.f[0].arg = "(?i)\\b(hello|world)\\b";
	x.a.arg = "$.s";
	EXPECT_VALUE(&x, "[\"Hello\",\"World\"]");
	x.f[0].arg = "[a-z]";
	x.a.arg = "$.list";
	EXPECT_VALUE(&x, "[\"b\"]");
	x.f[0].arg = "x*";
	x.a.arg = "$.n";
	EXPECT_VALUE(&x, "[\"\",\"\",\"\"]");
	x.f[0].arg = "xyz";
	x.a.arg = "$.s";
	EXPECT_VALUE(&x, "[]");
	x.a.arg = "$.num";
	EXPECT_VALUE(&x, "<1:filter findall needs a string or a list of strings but got a number 3.5>");
	fx_close(&x);
}

/* ---- predicates -------------------------------------------------------------------- */

TEST(predicates_on_strings)
{
	struct fx x;

	fx_open(&x, 200, "", "{\"s\": \"Printer 1a2b is Open\", \"e\": \"\", \"list\": [\"Open\", \"Pending\"]}");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$.s";
	EXPECT_INT(fx_pass(&x, P_CONTAINS, "\"Open\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_CONTAINS, "\"{{title}}\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_CONTAINS, "\"Closed\"", false), 0);
	EXPECT_INT(fx_pass(&x, P_CONTAINS, "\"Closed\"", true), 1);
	EXPECT_INT(fx_pass(&x, P_CONTAINS, "\"Open\"", true), 0);
	EXPECT_INT(fx_pass(&x, P_STARTS_WITH, "\"Printer\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_STARTS_WITH, "\"Open\"", false), 0);
	EXPECT_INT(fx_pass(&x, P_STARTS_WITH, "\"Open\"", true), 1);
	EXPECT_INT(fx_pass(&x, P_ENDS_WITH, "\"Open\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_ENDS_WITH, "\"Printer 1a2b is Open and more\"", false), 0);
	EXPECT_INT(fx_pass(&x, P_MATCHES, "\"(?i)\\\\bopen\\\\b\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_MATCHES, "\"^Open\"", false), 0);
	EXPECT_INT(fx_pass(&x, P_MATCHES, "\"^Open\"", true), 1);
	EXPECT_INT(fx_pass(&x, P_MATCHES, "\"(bad\"", false), -1);
	EXPECT_INT(fx_pass(&x, P_IS_STRING, NULL, false), 1);
	EXPECT_INT(fx_pass(&x, P_IS_EMPTY, NULL, false), 0);
	EXPECT_INT(fx_pass(&x, P_IS_EMPTY, NULL, true), 1);
	EXPECT_INT(fx_pass(&x, P_EQUALS, "\"Printer {{run.nonce}} is Open\"", false), 1);
	x.a.arg = "$.e";
	EXPECT_INT(fx_pass(&x, P_IS_EMPTY, NULL, false), 1);
	/* `isEmpty: false` written as an operand means the negation. */
	EXPECT_INT(fx_pass(&x, P_IS_EMPTY, "false", false), 0);
	/* A list of strings contains a substring when one item does. */
	x.a.arg = "$.list";
	EXPECT_INT(fx_pass(&x, P_CONTAINS, "\"Pend\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_CONTAINS, "\"Resolved\"", true), 1);
	EXPECT_INT(fx_pass(&x, P_MATCHES, "\"^Pen\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_INCLUDES, "\"Open\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_INCLUDES, "\"Ope\"", false), 0);
	EXPECT_INT(fx_pass(&x, P_INCLUDES, "\"Ope\"", true), 1);
	EXPECT_INT(fx_pass(&x, P_STARTS_WITH, "\"Open\"", false), 0);
	fx_close(&x);
}

TEST(predicates_on_numbers_and_types)
{
	struct fx x;

	fx_open(&x, 200, "", "{\"stock\": 3, \"price\": \"9.99\", \"f\": 2.5, \"ids\": [4, 5], \"o\": {\"a\": 1},"
			      " \"t\": true, \"z\": null, \"e\": [], \"eo\": {}}");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$.stock";
	EXPECT_INT(fx_pass(&x, P_EQUALS, "3", false), 1);
	EXPECT_INT(fx_pass(&x, P_EQUALS, "\"3\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_EQUALS, "\"{{n}}\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_EQUALS, "2", false), 0);
	EXPECT_INT(fx_pass(&x, P_EQUALS, "2", true), 1);
	EXPECT_INT(fx_pass(&x, P_ONE_OF, "[1, 2, 3]", false), 1);
	EXPECT_INT(fx_pass(&x, P_ONE_OF, "[1, 2]", false), 0);
	EXPECT_INT(fx_pass(&x, P_ONE_OF, "[1, 2]", true), 1);
	EXPECT_INT(fx_pass(&x, P_LESS, "4", false), 1);
	EXPECT_INT(fx_pass(&x, P_LESS, "3", false), 0);
	EXPECT_INT(fx_pass(&x, P_LESS_EQ, "3", false), 1);
	EXPECT_INT(fx_pass(&x, P_GREATER, "3", false), 0);
	EXPECT_INT(fx_pass(&x, P_GREATER, "3", true), 1);
	EXPECT_INT(fx_pass(&x, P_GREATER_EQ, "\"3\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_GREATER_EQ, "\"x\"", false), 0);
	EXPECT_INT(fx_pass(&x, P_IS_INTEGER, NULL, false), 1);
	EXPECT_INT(fx_pass(&x, P_IS_NUMBER, NULL, false), 1);
	EXPECT_INT(fx_pass(&x, P_IS_STRING, NULL, false), 0);
	EXPECT_INT(fx_pass(&x, P_CONTAINS, "3", false), 0);   /* not a string */
	x.a.arg = "$.price";
	EXPECT_INT(fx_pass(&x, P_EQUALS, "9.99", false), 1);
	EXPECT_INT(fx_pass(&x, P_LESS, "10", false), 1);
	EXPECT_INT(fx_pass(&x, P_IS_NUMBER, NULL, false), 0);
	EXPECT_INT(fx_pass(&x, P_IS_STRING, NULL, false), 1);
	x.a.arg = "$.f";
	EXPECT_INT(fx_pass(&x, P_IS_INTEGER, NULL, false), 0);
	EXPECT_INT(fx_pass(&x, P_IS_INTEGER, NULL, true), 1);
	EXPECT_INT(fx_pass(&x, P_IS_NUMBER, NULL, false), 1);
	x.a.arg = "$.ids";
	EXPECT_INT(fx_pass(&x, P_IS_LIST, NULL, false), 1);
	EXPECT_INT(fx_pass(&x, P_IS_OBJECT, NULL, false), 0);
	EXPECT_INT(fx_pass(&x, P_COUNT, "2", false), 1);
	EXPECT_INT(fx_pass(&x, P_COUNT, "3", false), 0);
	EXPECT_INT(fx_pass(&x, P_COUNT, "3", true), 1);
	EXPECT_INT(fx_pass(&x, P_INCLUDES, "5", false), 1);
	EXPECT_INT(fx_pass(&x, P_INCLUDES, "\"5\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_INCLUDES, "6", false), 0);
	EXPECT_INT(fx_pass(&x, P_EQUALS, "[4, \"5\"]", false), 1);
	EXPECT_INT(fx_pass(&x, P_EQUALS, "\"{{ids}}\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_IS_EMPTY, NULL, false), 0);
	x.a.arg = "$.o";
	EXPECT_INT(fx_pass(&x, P_IS_OBJECT, NULL, false), 1);
	EXPECT_INT(fx_pass(&x, P_COUNT, "1", false), 1);
	EXPECT_INT(fx_pass(&x, P_EQUALS, "{\"a\": \"1\"}", false), 1);
	x.a.arg = "$.e";
	EXPECT_INT(fx_pass(&x, P_IS_EMPTY, NULL, false), 1);
	x.a.arg = "$.eo";
	EXPECT_INT(fx_pass(&x, P_IS_EMPTY, NULL, false), 1);
	x.a.arg = "$.t";
	EXPECT_INT(fx_pass(&x, P_EQUALS, "true", false), 1);
	EXPECT_INT(fx_pass(&x, P_EQUALS, "\"{{yes}}\"", false), 1);
	x.a.arg = "$.z";
	EXPECT_INT(fx_pass(&x, P_EQUALS, "null", false), 1);
	EXPECT_INT(fx_pass(&x, P_EXISTS, NULL, false), 1);   /* null is a value */
	fx_close(&x);
}

TEST(predicates_on_missing_values)
{
	static const enum pred_kind all[] = {
		P_EQUALS, P_ONE_OF, P_CONTAINS, P_INCLUDES, P_STARTS_WITH, P_ENDS_WITH, P_MATCHES,
		P_IS_INTEGER, P_IS_NUMBER, P_IS_STRING, P_IS_LIST, P_IS_OBJECT, P_IS_EMPTY,
		P_LESS, P_LESS_EQ, P_GREATER, P_GREATER_EQ, P_COUNT,
	};
	struct fx x;
	size_t i;

	fx_open(&x, 200, "", "{\"a\": 1}");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$.missing";
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const char *op = all[i] == P_ONE_OF ? "[1]" : all[i] == P_MATCHES ? "\"x\"" : "1";

		EXPECT_INT(fx_pass(&x, all[i], op, false), 0);
		EXPECT(strstr(gbuf_str(&x.msg), "jsonpath $.missing was missing; expected ") == gbuf_str(&x.msg));
		EXPECT_INT(fx_pass(&x, all[i], op, true), 1);
	}
	EXPECT_INT(fx_pass(&x, P_EXISTS, NULL, false), 0);
	EXPECT_MSG(&x, "jsonpath $.missing was missing; expected to exist");
	EXPECT_INT(fx_pass(&x, P_EXISTS, NULL, true), 1);
	EXPECT_INT(fx_pass(&x, P_EXISTS, "false", false), 1);   /* exists: false */
	EXPECT_INT(fx_pass(&x, P_EXISTS, "true", false), 0);
	x.a.arg = "$.a";
	EXPECT_INT(fx_pass(&x, P_EXISTS, "false", false), 0);
	EXPECT_MSG(&x, "jsonpath $.a was 1; expected not to exist");
	fx_close(&x);
}

TEST(unanswerable_queries)
{
	struct fx x;

	fx_open(&x, 403, "", "<h1>Forbidden</h1>");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$.id";
	/* exists: the HTML page has no $.id. */
	EXPECT_INT(fx_pass(&x, P_EXISTS, NULL, true), 1);
	EXPECT_INT(fx_pass(&x, P_EXISTS, NULL, false), 0);
	EXPECT_MSG(&x, "jsonpath $.id was missing (the body is not JSON (it starts with \"<h1>Forbidden</h1>\")); expected to exist");
	/* Anything else: the answer has the wrong shape, whatever the negation. */
	EXPECT_INT(fx_pass(&x, P_INCLUDES, "5", true), 0);
	EXPECT_MSG(&x, "jsonpath $.id: the body is not JSON (it starts with \"<h1>Forbidden</h1>\"); expected a list not including 5");
	x.a.query = Q_VALUE;
	x.a.qvalue = cJSON_CreateString("{{ghost}}");
	EXPECT_INT(fx_pass(&x, P_EQUALS, "1", true), 0);
	EXPECT_MSG(&x, "ghost: unknown variable 'ghost'; expected anything but 1");
	x.a.query = Q_STATUS;
	EXPECT_INT(fx_pass(&x, P_EQUALS, "\"{{ghost}}\"", false), 0);
	EXPECT_MSG(&x, "status: unknown variable 'ghost'");
	fx_close(&x);
}

static void write_fixture(const char *name, const char *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fixture_dir, name);
	f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

TEST(equals_file)
{
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff";
	struct fx x;

	write_fixture("cat.png", png, sizeof(png) - 1);
	fx_open(&x, 200, "", NULL);
	gbuf_add(&x.rs.body, png, sizeof(png) - 1);
	x.a.query = Q_BODY;
	EXPECT_INT(fx_pass(&x, P_EQUALS_FILE, "\"cat.png\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_EQUALS_FILE, "\"./cat.png\"", false), 1);
	EXPECT_INT(fx_pass(&x, P_EQUALS_FILE, "\"cat.png\"", true), 0);
	/* One byte off (after a NUL, where a C string compare would stop). */
	x.rs.body.data[sizeof(png) - 2] = 'x';
	EXPECT_INT(fx_pass(&x, P_EQUALS_FILE, "\"cat.png\"", false), 0);
	if (strncmp(gbuf_str(&x.msg), "body was 17 bytes (sha256 ", 26) != 0)
		printf("# msg %s\n", gbuf_str(&x.msg));
	EXPECT(strncmp(gbuf_str(&x.msg), "body was 17 bytes (sha256 ", 26) == 0);
	/* Its size beside the body's, the file by its name alone (not the
	 * challenge's folders). */
	EXPECT(strstr(gbuf_str(&x.msg), "; expected the 17 bytes of cat.png") != NULL);
	EXPECT_INT(fx_pass(&x, P_EQUALS_FILE, "\"./cat.png\"", false), 0);
	EXPECT(strstr(gbuf_str(&x.msg), "; expected the 17 bytes of cat.png") != NULL);
	/* Truncated bodies never match. */
	x.rs.body.data[sizeof(png) - 2] = '\xff';
	x.rs.body.truncated = true;
	EXPECT_INT(fx_pass(&x, P_EQUALS_FILE, "\"cat.png\"", false), 0);
	x.rs.body.truncated = false;
	/* Paths must stay inside the challenge folder. */
	EXPECT_INT(fx_pass(&x, P_EQUALS_FILE, "\"/etc/passwd\"", false), -1);
	EXPECT_INT(fx_pass(&x, P_EQUALS_FILE, "\"../cat.png\"", false), -1);
	EXPECT_INT(fx_pass(&x, P_EQUALS_FILE, "\"a/../../cat.png\"", false), -1);
	EXPECT_INT(fx_pass(&x, P_EQUALS_FILE, "\"missing.png\"", false), -1);
	fx_close(&x);

	/* On a text query, the string is compared with the file. */
	write_fixture("hello.txt", "hello", 5);
	fx_open(&x, 200, "", "{\"s\": \"hello\"}");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$.s";
	EXPECT_INT(fx_pass(&x, P_EQUALS_FILE, "\"hello.txt\"", false), 1);
	fx_close(&x);
}

/* ---- messages --------------------------------------------------------------------- */

TEST(messages)
{
	struct fx x;
	char big[600];

	fx_open(&x, 201, "HTTP/1.1 201 Created\r\n\r\n", "{\"stock\": 2, \"quantity\": 3}");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$.stock";
	EXPECT_INT(fx_pass(&x, P_EQUALS, "3", false), 0);
	EXPECT_MSG(&x, "jsonpath $.stock was 2; expected 3");
	x.a.arg = "$.quantity";
	EXPECT_INT(fx_pass(&x, P_EQUALS, "\"{{n}}\"", true), 0);
	EXPECT_MSG(&x, "jsonpath $.quantity was 3; expected anything but 3");
	x.a.query = Q_STATUS;
	EXPECT_INT(fx_pass(&x, P_ONE_OF, "[401, 403]", false), 0);
	EXPECT_MSG(&x, "status was 201; expected one of [401, 403]");
	x.a.message = "only staff may create products";
	EXPECT_INT(fx_pass(&x, P_EQUALS, "403", false), 0);
	EXPECT_MSG(&x, "status was 201; expected 403 \xE2\x80\x94 only staff may create products");
	/* `describe` says the failure in words instead of the query's
	 * workings; a pass says nothing. */
	x.a.describe = "the answer was not a refusal";
	EXPECT_INT(fx_pass(&x, P_EQUALS, "403", false), 0);
	EXPECT_MSG(&x, "the answer was not a refusal \xE2\x80\x94 only staff may create products");
	EXPECT_INT(fx_pass(&x, P_EQUALS, "201", false), 1);
	x.a.describe = "the answer to {{title}} was not a refusal";
	EXPECT_INT(fx_pass(&x, P_EQUALS, "403", false), 0);
	EXPECT_MSG(&x, "the answer to Printer 1a2b was not a refusal \xE2\x80\x94 only staff may create products");
	x.a.describe = NULL;
	x.a.message = NULL;
	x.a.query = Q_HEADER;
	x.a.arg = "Location";
	EXPECT_INT(fx_pass(&x, P_EXISTS, NULL, false), 0);
	EXPECT_MSG(&x, "header Location was missing; expected to exist");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$";
	x.f[0].kind = F_COUNT;
	set_filters(&x, 1);
	EXPECT_INT(fx_pass(&x, P_LESS, "1", false), 0);
	EXPECT_MSG(&x, "jsonpath $ | count was 2 in the answer {\"stock\": 2, \"quantity\": 3}; expected less than 1");
	/* `what` names the value in the student's words instead of the
	 * JSONPath and its filters (h143, h144, h145); the evidence stays. */
	x.a.what = "the number of orders in {{title}}'s list";
	EXPECT_INT(fx_pass(&x, P_LESS, "1", false), 0);
	EXPECT_MSG(&x, "the number of orders in Printer 1a2b's list was 2 in the answer {\"stock\": 2, \"quantity\": 3}; "
		   "expected less than 1");
	set_filters(&x, 0);
	/* `expected` says what was expected in words, instead of the
	 * predicate (a pattern's regex, cut in a long message). */
	x.a.what = NULL;
	x.a.arg = "$.stock";
	x.a.expected = "a stock of {{n}}";
	EXPECT_INT(fx_pass(&x, P_EQUALS, "3", false), 0);
	EXPECT_MSG(&x, "jsonpath $.stock was 2; expected a stock of 3");
	x.a.expected = NULL;
	/* Missing, said by the member a student adds to the answer, beside
	 * the members the object has (h176: a price camelCased or renamed). */
	x.a.what = "the product's price";
	x.a.arg = "$.price";
	EXPECT_INT(fx_pass(&x, P_EQUALS, "3", false), 0);
	EXPECT_MSG(&x, "the product's price was missing (no field price; it has stock, quantity); expected 3");
	x.a.what = NULL;
	fx_close(&x);
	/* An answer that is no object at all is quoted: another view
	 * answered the path (h314: a nested route's list). */
	fx_open(&x, 200, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n", "[]");
	x.a.query = Q_JSONPATH;
	x.a.what = "the product's name";
	x.a.arg = "$.name";
	EXPECT_INT(fx_pass(&x, P_EQUALS, "3", false), 0);
	EXPECT_MSG(&x, "the product's name was missing (no field name; the answer is a list: []); expected 3");
	x.a.what = NULL;
	fx_close(&x);
	/* A field inside a member of the object itself (its own id at the
	 * top): said so, with its fix, not as a wrapped answer (h709: a
	 * product's stock under "inventory"); an envelope still is one; a
	 * list of rows is not one, even with the field in them. */
	{
		static const char *const cases[][2] = {
			{ "{\"id\": 4, \"name\": \"Vase\", \"inventory\": {\"stock\": 3}}",
			  "the product's stock was missing (no field stock; it has id, name, inventory; inventory holds "
			  "it, inside the object); expected 3 \xE2\x80\x94 give it at the object's top level, beside its "
			  "id (a nested object is not read)" },
			/* In the first of the object's own lines (an order's
			 * items, h722), said where it is. */
			{ "{\"id\": 4, \"lines\": [{\"stock\": 3}]}",
			  "the product's stock was missing (no field stock; it has id, lines; lines[0] holds it, inside "
			  "the object); expected 3 \xE2\x80\x94 give it at the object's top level, beside its id (a "
			  "nested object is not read)" },
			{ "{\"status\": \"success\", \"data\": {\"id\": 4, \"stock\": 3}}",
			  "the product's stock was missing (no field stock; it has status, data; data holds it: a "
			  "wrapped answer); expected 3 \xE2\x80\x94 answer with the object itself, not inside another" },
			{ "{\"count\": 1, \"results\": [{\"id\": 4, \"stock\": 3}]}",
			  "the product's stock was missing (no field stock; it has count, results); expected 3 "
			  "\xE2\x80\x94 add stock to the fields" },
		};
		size_t k;

		for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
			fx_open(&x, 200, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n", cases[k][0]);
			x.a.query = Q_JSONPATH;
			x.a.what = "the product's stock";
			x.a.arg = "$.stock";
			x.a.message = "add stock to the fields";
			EXPECT_INT(fx_pass(&x, P_EQUALS, "3", false), 0);
			EXPECT_MSG(&x, cases[k][1]);
			x.a.what = NULL;
			x.a.message = NULL;
			fx_close(&x);
		}
	}

	/* A body that is no JSON at all: its reason is the fix, and the
	 * check's advice about a member is left out (h639: "add id to the
	 * fields" after DRF's browsable page rendered first). */
	fx_open(&x, 201, "", "<!DOCTYPE html>\n<html><head><title>Product List \xe2\x80\x93 Django REST framework</title></head></html>");
	x.a.query = Q_JSONPATH;
	x.a.what = "the created product's id";
	x.a.arg = "$.id";
	x.a.message = "add id to the fields the create answers with";
	EXPECT_INT(fx_pass(&x, P_EXISTS, NULL, false), 0);
	EXPECT_MSG(&x, "the created product's id was missing (the body is DRF's browsable API page, not JSON: put "
		   "JSONRenderer first in DEFAULT_RENDERER_CLASSES); expected to exist");
	x.a.what = NULL;
	x.a.message = NULL;
	fx_close(&x);

	/* Negated contains shows the text around the offending words. */
	memset(big, 'x', sizeof(big));
	memcpy(big, "<p>", 3);
	memcpy(big + 300, " Printer 1a2b Open ", 19);
	memcpy(big + sizeof(big) - 5, "</p>", 5);
	fx_open(&x, 200, "", big);
	x.a.query = Q_TEXT;
	EXPECT_INT(fx_pass(&x, P_CONTAINS, "\"{{title}}\"", true), 0);
	EXPECT(strncmp(gbuf_str(&x.msg), "page text was \"\xE2\x80\xA6xxx", 20) == 0);
	EXPECT(strstr(gbuf_str(&x.msg), "Printer 1a2b Open") != NULL);
	EXPECT(strstr(gbuf_str(&x.msg), "; expected not containing \"Printer 1a2b\"") != NULL);
	EXPECT(x.msg.len < 220);
	/* So does a negated regex (the ticket page naming a status it must
	 * not: the excerpt shows where, not the page's start). */
	EXPECT_INT(fx_pass(&x, P_MATCHES, "\"(?i)\\\\bopen\\\\b\"", true), 0);
	EXPECT(strncmp(gbuf_str(&x.msg), "page text was \"\xE2\x80\xA6xxx", 20) == 0);
	EXPECT(strstr(gbuf_str(&x.msg), "Printer 1a2b Open") != NULL);
	/* Positive contains on long text: a short excerpt. */
	EXPECT_INT(fx_pass(&x, P_CONTAINS, "\"Resolved\"", false), 0);
	EXPECT(strstr(gbuf_str(&x.msg), "\xE2\x80\xA6\"; expected contains \"Resolved\"") != NULL);
	EXPECT(x.msg.len < 200);
	fx_close(&x);

	/* A page with a <main>: the excerpt of a failed "shows X" starts at
	 * the content, not at the site's links and messages before it. */
	fx_open(&x, 200, "", "<html><body><nav>My tickets | New ticket | signed in as alice</nav>"
			     "<p>Ticket #2 was created.</p><main><h1>Ticket #2</h1><p>Status: Pending</p>"
			     "</main></body></html>");
	x.a.query = Q_TEXT;
	EXPECT_INT(fx_pass(&x, P_CONTAINS, "\"Printer\"", false), 0);
	EXPECT_MSG(&x, "page text was \"\xE2\x80\xA6Ticket #2 Status: Pending\"; expected contains \"Printer\"");
	fx_close(&x);

	/* Hostile bytes stay out of the one-line message. */
	fx_open(&x, 200, "", NULL);
	gbuf_add(&x.rs.body, "line1\nline2\r\n\xff\x01", 15);
	x.a.query = Q_BODY;
	EXPECT_INT(fx_pass(&x, P_EQUALS, "\"ok\"", false), 0);
	EXPECT_MSG(&x, "body was \"line1 line2 \xEF\xBF\xBD \"; expected \"ok\"");
	fx_close(&x);
}

static char *describe(const struct assertion *a)
{
	struct gbuf out = GBUF_INIT(0);
	cJSON *vars = cJSON_Parse("{\"n\": 3}");

	if (assertion_describe(a, vars, &out) < 0)
		gbuf_adds(&out, "<error>");
	cJSON_Delete(vars);
	return gbuf_detach(&out, NULL);
}

#define EXPECT_DESCRIBE(a, want)                                               \
	do {                                                                   \
		char *t_s = describe(a);                                       \
		int t_eq = strcmp(t_s, want) == 0;                             \
		if (!t_eq)                                                     \
			printf("# describe %s\n", t_s);                        \
		free(t_s);                                                     \
		EXPECT(t_eq);                                                  \
	} while (0)

TEST(descriptions)
{
	struct assertion a;
	struct filter f[2];

	memset(&a, 0, sizeof(a));
	memset(f, 0, sizeof(f));
	a.query = Q_STATUS;
	a.pred = P_ONE_OF;
	a.value = cJSON_Parse("[401, 403]");
	EXPECT_DESCRIBE(&a, "status is one of [401, 403]");
	cJSON_Delete(a.value);
	a.query = Q_JSONPATH;
	a.arg = "$.stock";
	a.pred = P_EQUALS;
	a.value = cJSON_Parse("\"{{n}}\"");
	EXPECT_DESCRIBE(&a, "jsonpath $.stock equals 3");
	a.negate = true;
	EXPECT_DESCRIBE(&a, "jsonpath $.stock does not equal 3");
	cJSON_Delete(a.value);
	a.value = cJSON_Parse("\"{{unknown}}\"");
	a.negate = false;
	/* No template syntax reaches a message: the unknown part is elided. */
	EXPECT_DESCRIBE(&a, "jsonpath $.stock equals \"\xE2\x80\xA6\"");
	cJSON_Delete(a.value);
	a.value = NULL;
	a.pred = P_EXISTS;
	EXPECT_DESCRIBE(&a, "jsonpath $.stock exists");
	a.query = Q_CSS;
	a.arg = "img";
	a.attr = "src";
	a.pred = P_MATCHES;
	a.value = cJSON_Parse("\"^/media/\"");
	EXPECT_DESCRIBE(&a, "css img (attribute src) matches /^/media//");
	cJSON_Delete(a.value);
	a.attr = NULL;
	a.query = Q_TEXT;
	a.pred = P_CONTAINS;
	a.negate = true;
	a.value = cJSON_Parse("\"Pending\"");
	EXPECT_DESCRIBE(&a, "page text does not contain \"Pending\"");
	cJSON_Delete(a.value);
	a.value = NULL;
	a.negate = false;
	a.query = Q_JSONPATH;
	a.arg = "$";
	f[0].kind = F_UNWRAP;
	f[0].arg = "results";
	f[1].kind = F_NTH;
	f[1].num = -1;
	a.filters = f;
	a.nfilters = 2;
	a.pred = P_IS_EMPTY;
	EXPECT_DESCRIBE(&a, "jsonpath $ | unwrap results | nth -1 is empty");
	a.value = cJSON_CreateFalse();
	EXPECT_DESCRIBE(&a, "jsonpath $ | unwrap results | nth -1 is not empty");
	cJSON_Delete(a.value);
}

/*
 * Every row of checklang_queries, as a message names it and as it answers
 * when there is no response (queries not counted): adding a query to the
 * table without a line here fails, and so does a describer or a
 * needs-a-response flag that changes what a student reads.
 */
#define NO_RESPONSE(d) d " exists", d " was missing (there is no response to look at); expected to exist"
static const struct {
	const char *key, *arg, *attr, *qvalue;
	const char *desc;       /* assertion_describe, predicate exists */
	const char *absent;     /* assertion_check's message without a response; "" holds */
} query_rows[] = {
	{"status", NULL, NULL, NULL, NO_RESPONSE("status")},
	{"header", "X-Total", NULL, NULL, NO_RESPONSE("header X-Total")},
	{"location", NULL, NULL, NULL, NO_RESPONSE("redirect location")},
	{"url", NULL, NULL, NULL, NO_RESPONSE("final URL")},
	{"body", NULL, NULL, NULL, NO_RESPONSE("body")},
	{"text", NULL, NULL, NULL, NO_RESPONSE("page text")},
	{"prose", NULL, NULL, NULL, NO_RESPONSE("page text outside links, buttons and form controls")},
	{"jsonpath", "$.results[*].id", NULL, NULL, NO_RESPONSE("jsonpath $.results[*].id")},
	{"xpath", "//h1", NULL, NULL, NO_RESPONSE("xpath //h1")},
	{"css", "img.photo", "src", NULL, NO_RESPONSE("css img.photo (attribute src)")},
	{"regex", "id=(\\d+)", NULL, NULL, NO_RESPONSE("regex /id=(\\d+)/")},
	{"sha256", NULL, NULL, NULL, NO_RESPONSE("sha256 of the body")},
	{"duration", NULL, NULL, NULL, NO_RESPONSE("duration in ms")},
	{"value", NULL, NULL, "\"order {{n}}\"", "order n exists", ""},
	{"queries", NULL, NULL, NULL, "SQL query count exists",
	 "SQL query count was missing (the app's SQL queries were not counted for this request); expected to exist"},
	{"queries_repeated", NULL, NULL, NULL, "times its most repeated SQL query ran exists",
	 "times its most repeated SQL query ran was missing (the app's SQL queries were not counted for this "
	 "request); expected to exist"},
	{"form_errors", NULL, NULL, NULL, NO_RESPONSE("the form's errors")},
	{"refused", NULL, NULL, NULL, NO_RESPONSE("refusal (302 to the login page, 401, 403 or 404)")},
	{"login_redirect", NULL, NULL, NULL, NO_RESPONSE("redirect to the login page")},
};

/* The boot's and environment's facts a challenge tests read as words, not
 * as the grader's variable names. */
TEST(value_facts_in_words)
{
	struct assertion a;

	memset(&a, 0, sizeof(a));
	a.query = Q_VALUE;
	a.pred = P_EXISTS;
	a.qvalue = cJSON_CreateString("{{boot.migrations_pending}}");
	EXPECT_DESCRIBE(&a, "the list of apps makemigrations would write migrations for exists");
	cJSON_Delete(a.qvalue);
	a.qvalue = cJSON_CreateString("{{env.inferred}}");
	EXPECT_DESCRIBE(&a, "the list of packages installed because your code imports them exists");
	cJSON_Delete(a.qvalue);
	/* Anything else: the variables' names. */
	a.qvalue = cJSON_CreateString("{{boot.migrations_pending}} and more");
	EXPECT_DESCRIBE(&a, "boot.migrations_pending and more exists");
	cJSON_Delete(a.qvalue);
}

/* What a capture reads, as a message names it when it finds nothing: its
 * `what` when it has one (h183), else the query and its filters. */
TEST(capture_described_by_its_what)
{
	struct gbuf out = GBUF_INIT(0);
	struct assertion a;

	memset(&a, 0, sizeof(a));
	a.query = Q_JSONPATH;
	a.arg = "$.id";
	EXPECT_INT(query_describe(&a, NULL, &out), 0);
	EXPECT_STR(gbuf_str(&out), "jsonpath $.id");
	gbuf_reset(&out);
	a.what = "bob's order list";
	EXPECT_INT(query_describe(&a, NULL, &out), 0);
	EXPECT_STR(gbuf_str(&out), "bob's order list");
	gbuf_release(&out);
}

/* queries_repeated: the most repeated statement's runs (h252: a page of
 * five rows, a query per row, within the budget of ten), 1 when none
 * repeats, 0 when none ran. */
TEST(queries_repeated_counts_the_most_repeated_statement)
{
	struct gbuf msg = GBUF_INIT(0);
	struct eval_ctx ctx;
	struct assertion a;
	cJSON *v = NULL;

	memset(&a, 0, sizeof(a));
	a.query = Q_QUERIES_REPEATED;
	a.pred = P_EXISTS;
	eval_ctx_init(&ctx, NULL, NULL, NULL, NULL);
	ctx.queries = 9;
	ctx.repeats[0].count = 5;
	snprintf(ctx.repeats[0].table, sizeof(ctx.repeats[0].table), "shop_product");
	EXPECT_INT(query_eval(&a, &ctx, &v, &msg), 0);
	EXPECT(cJSON_IsNumber(v) && v->valuedouble == 5);
	cJSON_Delete(v);
	ctx.repeats[0].count = 0;
	EXPECT_INT(query_eval(&a, &ctx, &v, &msg), 0);
	EXPECT(cJSON_IsNumber(v) && v->valuedouble == 1);
	cJSON_Delete(v);
	ctx.queries = 0;
	EXPECT_INT(query_eval(&a, &ctx, &v, &msg), 0);
	EXPECT(cJSON_IsNumber(v) && v->valuedouble == 0);
	cJSON_Delete(v);
	eval_ctx_release(&ctx);
	gbuf_release(&msg);
}

TEST(every_query_described_and_answering)
{
	cJSON *vars = cJSON_Parse("{\"n\": 3}");
	struct gbuf msg = GBUF_INIT(0);
	struct eval_ctx ctx;
	struct assertion a;
	size_t i, j;
	int rc;

	for (i = 0; i < CHECKLANG_NQUERIES; i++) {
		const struct checklang_query *q = &checklang_queries[i];

		for (j = 0; j < sizeof(query_rows) / sizeof(query_rows[0]); j++)
			if (!strcmp(query_rows[j].key, q->key))
				break;
		if (j == sizeof(query_rows) / sizeof(query_rows[0]))
			printf("# query '%s' has no line in test_query.c's query_rows\n", q->key);
		EXPECT(j < sizeof(query_rows) / sizeof(query_rows[0]));
		memset(&a, 0, sizeof(a));
		a.query = q->kind;
		a.pred = P_EXISTS;
		a.arg = (char *)query_rows[j].arg;
		a.attr = (char *)query_rows[j].attr;
		a.qvalue = query_rows[j].qvalue ? cJSON_Parse(query_rows[j].qvalue) : NULL;
		EXPECT_DESCRIBE(&a, query_rows[j].desc);
		eval_ctx_init(&ctx, NULL, NULL, vars, NULL);
		gbuf_reset(&msg);
		rc = assertion_check(&a, &ctx, &msg);
		eval_ctx_release(&ctx);
		cJSON_Delete(a.qvalue);
		if (strcmp(gbuf_str(&msg), query_rows[j].absent) != 0)
			printf("# %s: msg %s\n", q->key, gbuf_str(&msg));
		EXPECT_INT(rc, *query_rows[j].absent ? 1 : 0);
		EXPECT_STR(gbuf_str(&msg), query_rows[j].absent);
	}
	gbuf_release(&msg);
	cJSON_Delete(vars);
}

/* Every row of checklang_filters as a message names it, after a query. */
static const struct {
	const char *key, *arg;
	long num;
	const char *value;      /* JSON: where's members */
	const char *desc;       /* assertion_describe, predicate exists */
} filter_rows[] = {
	{"count", NULL, 0, NULL, "body | count exists"},
	{"unwrap", "results", 0, NULL, "body | unwrap results exists"},
	{"where", NULL, 0, "{\"id\": 4, \"name\": \"Lamp\"}", "body | where {\"id\": 4, \"name\": \"Lamp\"} exists"},
	{"field", "name", 0, NULL, "body | field name exists"},
	{"nth", NULL, -2, NULL, "body | nth -2 exists"},
	{"first", NULL, 0, NULL, "body | first exists"},
	{"last", NULL, 0, NULL, "body | last exists"},
	{"toInt", NULL, 0, NULL, "body | toInt exists"},
	{"toString", NULL, 0, NULL, "body | toString exists"},
	{"regex", "id=(\\d+)", 0, NULL, "body | regex /id=(\\d+)/ exists"},
	{"findall", "id=(\\d+)", 0, NULL, "body | findall /id=(\\d+)/ exists"},
	{"lower", NULL, 0, NULL, "body | lower exists"},
	{"trim", NULL, 0, NULL, "body | trim exists"},
	{"join", ", ", 0, NULL, "body | join \", \" exists"},
	{"items", NULL, 0, NULL, "body | items exists"},
	{"total", NULL, 0, NULL, "body | total exists"},
};

TEST(every_filter_described)
{
	struct assertion a;
	struct filter f;
	size_t i, j;

	for (i = 0; i < CHECKLANG_NFILTERS; i++) {
		const struct checklang_filter *d = &checklang_filters[i];

		for (j = 0; j < sizeof(filter_rows) / sizeof(filter_rows[0]); j++)
			if (!strcmp(filter_rows[j].key, d->key))
				break;
		if (j == sizeof(filter_rows) / sizeof(filter_rows[0]))
			printf("# filter '%s' has no line in test_query.c's filter_rows\n", d->key);
		EXPECT(j < sizeof(filter_rows) / sizeof(filter_rows[0]));
		memset(&a, 0, sizeof(a));
		memset(&f, 0, sizeof(f));
		f.kind = d->kind;
		f.arg = (char *)filter_rows[j].arg;
		f.num = filter_rows[j].num;
		f.value = filter_rows[j].value ? cJSON_Parse(filter_rows[j].value) : NULL;
		a.query = Q_BODY;
		a.pred = P_EXISTS;
		a.filters = &f;
		a.nfilters = 1;
		{
			char *t_s = describe(&a);
			int t_eq = strcmp(t_s, filter_rows[j].desc) == 0;

			if (!t_eq)
				printf("# describe %s\n", t_s);
			free(t_s);
			cJSON_Delete(f.value);
			EXPECT(t_eq);
		}
	}
}

/*
 * Every row of checklang_preds as messages phrase it: after the query in a
 * description, positive and negated, and after "expected" in a failure's
 * message, positive and negated. A predicate added to the table without
 * its line here fails.
 */
static const struct {
	const char *key, *operand;      /* operand as JSON */
	const char *desc[2], *expect[2];
} pred_rows[] = {
	{"equals", "3", {"equals 3", "does not equal 3"}, {"3", "anything but 3"}},
	{"oneOf", "[1, 2]", {"is one of [1, 2]", "is not one of [1, 2]"}, {"one of [1, 2]", "none of [1, 2]"}},
	{"contains", "\"ab\"", {"contains \"ab\"", "does not contain \"ab\""},
	 {"contains \"ab\"", "not containing \"ab\""}},
	{"includes", "3", {"includes 3", "does not include 3"}, {"a list including 3", "a list not including 3"}},
	{"startsWith", "\"ab\"", {"starts with \"ab\"", "does not start with \"ab\""},
	 {"starts with \"ab\"", "not starting with \"ab\""}},
	{"endsWith", "\"ab\"", {"ends with \"ab\"", "does not end with \"ab\""},
	 {"ends with \"ab\"", "not ending with \"ab\""}},
	{"matches", "\"^a\"", {"matches /^a/", "does not match /^a/"}, {"matches /^a/", "not matching /^a/"}},
	{"isInteger", "true", {"is an integer", "is not an integer"}, {"an integer", "not an integer"}},
	{"isNumber", "true", {"is a number", "is not a number"}, {"a number", "not a number"}},
	{"isString", "true", {"is a string", "is not a string"}, {"a string", "not a string"}},
	{"isList", "true", {"is a list", "is not a list"}, {"a list", "not a list"}},
	{"isObject", "true", {"is an object", "is not an object"}, {"an object", "not an object"}},
	{"isEmpty", "true", {"is empty", "is not empty"}, {"empty", "not empty"}},
	{"lessThan", "3", {"is less than 3", "is not less than 3"}, {"less than 3", "not less than 3"}},
	{"lessOrEqual", "3", {"is at most 3", "is not at most 3"}, {"at most 3", "not at most 3"}},
	{"greaterThan", "3", {"is greater than 3", "is not greater than 3"},
	 {"greater than 3", "not greater than 3"}},
	{"greaterOrEqual", "3", {"is at least 3", "is not at least 3"}, {"at least 3", "not at least 3"}},
	{"count", "2", {"has 2 items", "does not have 2 items"}, {"2 items", "not 2 items"}},
	{"count", "1", {"has 1 item", "does not have 1 item"}, {"1 item", "not 1 item"}},
	{"exists", "true", {"exists", "does not exist"}, {"to exist", "not to exist"}},
	{"equalsFile", "\"x.txt\"", {"equals the file x.txt", "does not equal the file x.txt"},
	 {"the bytes of x.txt", "not the bytes of x.txt"}},
};

/* What follows "; expected " in the failure of `a` on a body that is not
 * JSON (status for exists: false, which a missing value satisfies). */
static char *expected_phrase(struct fx *x)
{
	const char *e;

	gbuf_reset(&x->msg);
	if (assertion_check(&x->a, &x->ctx, &x->msg) == 0) {
		x->a.query = Q_STATUS;
		gbuf_reset(&x->msg);
		assertion_check(&x->a, &x->ctx, &x->msg);
		x->a.query = Q_JSONPATH;
	}
	e = strstr(gbuf_str(&x->msg), "; expected ");
	return strdup(e ? e + strlen("; expected ") : gbuf_str(&x->msg));
}

TEST(every_predicate_phrased)
{
	struct fx x;
	char want[256], *got = NULL;
	size_t i, j, n = sizeof(pred_rows) / sizeof(pred_rows[0]);
	int neg, bad = 0;

	fx_open(&x, 200, "Content-Type: text/html\r\n", "<p>not JSON</p>");
	x.a.query = Q_JSONPATH;
	x.a.arg = "$";
	for (i = 0; i < CHECKLANG_NPREDS && !bad; i++) {
		const struct checklang_pred *d = &checklang_preds[i];

		for (j = 0; j < n && strcmp(pred_rows[j].key, d->key); j++)
			;
		if (j == n) {
			printf("# predicate '%s' has no line in test_query.c's pred_rows\n", d->key);
			bad = 1;
			break;
		}
		cJSON_Delete(x.a.value);
		x.a.value = cJSON_Parse(pred_rows[j].operand);
		x.a.pred = d->kind;
		for (neg = 0; neg < 2 && !bad; neg++) {
			x.a.negate = neg;
			got = describe(&x.a);
			snprintf(want, sizeof(want), "jsonpath $ %s", pred_rows[j].desc[neg]);
			if (strcmp(got, want) != 0)
				bad = printf("# %s: describe %s\n", d->key, got) > 0;
			free(got);
			got = expected_phrase(&x);
			if (strcmp(got, pred_rows[j].expect[neg]) != 0)
				bad = printf("# %s: expected %s\n", d->key, got) > 0;
			free(got);
		}
	}
	fx_close(&x);
	EXPECT_INT(bad, 0);
}

/* A Location grader.yaml mapped back is judged in the contract's terms, and
 * a failure also quotes it as the app sent it: the one a student finds in
 * their code. Unmapped, nothing is added. */
TEST(location_mapped_back_quoted_as_sent)
{
	struct fx x;
	struct routes *r = NULL;
	struct gbuf d = GBUF_INIT(1024);
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/grader.yaml", fixture_dir);
	f = fopen(path, "w");
	EXPECT(f != NULL);
	if (!f)
		return;
	fputs("routes:\n  /recipes/: /recipe/\n", f);
	fclose(f);
	EXPECT_INT(routes_load(fixture_dir, fixture_dir, &r, &d), 0);
	unlink(path);
	fx_open(&x, 302, "HTTP/1.1 302 Found\r\nLocation: /recipe/shakshuka/\r\n\r\n", "");
	x.ctx.routes = r;
	x.a.query = Q_LOCATION;
	EXPECT_VALUE(&x, "\"/recipes/shakshuka/\"");
	EXPECT_INT(fx_pass(&x, P_EQUALS, "\"/recipes/5/\"", false), 0);
	EXPECT_MSG(&x, "redirect location was \"/recipes/shakshuka/\" (the app sent /recipe/shakshuka/, mapped back"
		   " by grader.yaml); expected \"/recipes/5/\"");
	fx_close(&x);
	fx_open(&x, 302, "HTTP/1.1 302 Found\r\nLocation: /elsewhere/\r\n\r\n", "");
	x.ctx.routes = r;
	x.a.query = Q_LOCATION;
	EXPECT_INT(fx_pass(&x, P_EQUALS, "\"/recipes/5/\"", false), 0);
	EXPECT_MSG(&x, "redirect location was \"/elsewhere/\"; expected \"/recipes/5/\"");
	fx_close(&x);
	routes_free(r);
	gbuf_release(&d);
}

int main(void)
{
	char tmpl[] = "/tmp/test_query.XXXXXX";

	if (!mkdtemp(tmpl))
		return 1;
	snprintf(fixture_dir, sizeof(fixture_dir), "%s", tmpl);
	RUN(value_equals_rules);
	RUN(value_excerpts);
	RUN(template_strings);
	RUN(template_typed);
	RUN(query_status_duration_url);
	RUN(query_headers_and_location);
	RUN(location_mapped_back_quoted_as_sent);
	RUN(query_body_sha256);
	RUN(query_jsonpath);
	RUN(body_parsed_once_per_response);
	RUN(query_html);
	RUN(prose_failure_says_the_links);
	RUN(query_regex);
	RUN(query_value_and_queries);
	RUN(filters_count_unwrap_field);
	RUN(filters_where_nth_first_last);
	RUN(filters_text);
	RUN(predicates_on_strings);
	RUN(predicates_on_numbers_and_types);
	RUN(predicates_on_missing_values);
	RUN(unanswerable_queries);
	RUN(equals_file);
	RUN(messages);
	RUN(descriptions);
	RUN(value_facts_in_words);
	RUN(capture_described_by_its_what);
	RUN(every_query_described_and_answering);
	RUN(queries_repeated_counts_the_most_repeated_statement);
	RUN(every_filter_described);
	RUN(every_predicate_phrased);
	{
		char p[256];

		snprintf(p, sizeof(p), "%s/cat.png", fixture_dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/hello.txt", fixture_dir);
		unlink(p);
		rmdir(fixture_dir);
	}
	T_EXIT();
}
