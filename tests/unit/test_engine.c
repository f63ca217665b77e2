/*
 * The engine against servers that misbehave: a 50 MB body, a body that
 * never ends, bytes that trickle, invalid UTF-8, a redirect loop, a 500,
 * a reply that is not HTTP, bytes that are no HTML at all. Each must give
 * its check `error` or `fail` with a clear message, never a crash or a
 * hang, and the run must go on to the next check.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "challenge.h"
#include "engine.h"
#include "err.h"
#include "http.h"
#include "http_testserver.h"
#include "monotime.h"
#include "result.h"
#include "t.h"

#define FIXTURES GRADER_DATADIR "/tests/unit/fixtures/engine"

static long long suite_deadline_ms;      /* engine_opts.deadline_ms of the next run_suite */
static struct grade_result hostile;      /* one run shared by the hostile tests */
static long long hostile_ms;
static int hostile_rc = -1;

static int run_suite_jobs(const char *dir, int port, long jobs, struct grade_result *res, long long *ms)
{
	struct challenge *c = NULL;
	struct http_client *http = NULL;
	struct http_client_opts ho = {.host = "127.0.0.1", .port = port};
	struct engine_opts eo;
	long long t0 = monotime_now_ms();
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (challenge_load(dir, &c) < 0) {
		printf("# challenge_load: %s\n", err_last());
		goto done;
	}
	if (http_client_new(&ho, &http) < 0)
		goto done;
	memset(&eo, 0, sizeof(eo));
	eo.challenge = c;
	eo.http = http;
	eo.request_timeout_ms = c->request_timeout_ms;
	eo.nonce = "abcd1234";
	eo.jobs = jobs;
	eo.deadline_ms = suite_deadline_ms;
	eo.requirements = "pyproject.toml";   /* where the project declares them */
	rc = engine_run(&eo, res);
done:
	*ms = monotime_now_ms() - t0;
	http_client_free(http);
	challenge_free(c);
	return rc;
}

/* Four lanes (checks that cannot affect each other at once). */
static int run_suite(const char *dir, int port, struct grade_result *res, long long *ms)
{
	return run_suite_jobs(dir, port, 4, res, ms);
}

static const struct check_result *result_of(const struct grade_result *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nchecks; i++)
		if (!strcmp(r->checks[i].id, id))
			return &r->checks[i];
	return NULL;
}

/* A message a student can read: short, valid UTF-8, no control bytes. */
static bool readable(const char *m)
{
	const unsigned char *p = (const unsigned char *)m;

	if (!m || !*m || strlen(m) > 420)
		return false;
	for (; *p; p++)
		if (*p < 0x20)
			return false;
	return true;
}

#define EXPECT_CHECK(id, st, needle)                                          \
	do {                                                                  \
		const struct check_result *cr = result_of(&hostile, id);      \
		EXPECT_INT(hostile_rc, 0);                                    \
		EXPECT(cr != NULL);                                           \
		EXPECT_STR(check_status_name(cr->status), st);                \
		if (cr->status != CHECK_PASS) {                               \
			EXPECT(readable(cr->message));                        \
			EXPECT(strstr(cr->message, needle) != NULL);          \
		}                                                             \
	} while (0)

TEST(normal_answer_passes)
{
	EXPECT_CHECK("fine", "pass", "");
}

TEST(huge_body_fails_with_the_limit)
{
	EXPECT_CHECK("huge", "fail", "larger than 8 MiB");
}

TEST(endless_body_is_an_error)
{
	EXPECT_CHECK("never-ends", "error", "GET /never as anonymous");
}

TEST(trickle_is_an_error)
{
	EXPECT_CHECK("trickle", "error", "GET /trickle");
}

TEST(invalid_utf8_fails_readably)
{
	EXPECT_CHECK("bad-utf8", "fail", "a phrase that is not there");
}

/* A redirect loop is the app's answer, not a crash or a silence
 * (contracts §1): a failure that names the loop (h420). */
TEST(redirect_loop_fails_and_says_so)
{
	EXPECT_CHECK("redirect-loop", "fail", "a redirect loop: /loop redirects to itself");
}

TEST(server_error_fails_and_says_so)
{
	/* With the status's advice after it (h465: "login_required" was
	 * left out after a 500); not a page's advice on reaching it, where
	 * 200 is asked (h903: tests/e2e's "a page's 500 is said with its
	 * exception"). */
	EXPECT_CHECK("server-error", "fail",
		     "answered 500, a server error; expected 302 \xE2\x80\x94 visitors must be sent to sign in (login_required)");
}

TEST(skip_names_the_dependency)
{
	EXPECT_CHECK("after-never", "skip", "'never-ends'");
}

TEST(captures_cross_checks)
{
	EXPECT_CHECK("capture-and-reuse", "pass", "");
	EXPECT_CHECK("uses-capture", "pass", "");
}

TEST(score_counts_only_passes)
{
	EXPECT_INT(hostile_rc, 0);
	EXPECT_INT(hostile.max_score, 10);
	EXPECT_INT(hostile.score, 3);
}

TEST(bad_servers_cost_bounded_time)
{
	/* Three exchanges are cut off at the 1.5 s request limit; nothing may
	 * wait for the server's goodwill. A generous bound, not a benchmark. */
	EXPECT_INT(hostile_rc, 0);
	EXPECT(hostile_ms < 20000);
}

/* Read the request, then send ctx verbatim and close. */
static void reply_handler(int fd, void *ctx)
{
	struct ts_req r;

	if (ts_read_request(fd, &r) == 0) {
		ts_write_str(fd, (const char *)ctx);
		ts_req_free(&r);
	}
}

static void banner_case(ts_handler h, const char *banner, const char *want_status, const char *needle)
{
	struct ts_server srv;
	struct grade_result r;
	long long ms;
	const struct check_result *cr;
	bool ok;
	int rc;

	EXPECT_INT(ts_start(h, (void *)banner, &srv), 0);
	rc = run_suite(FIXTURES "/garbage", srv.port, &r, &ms);
	ts_stop(&srv);
	EXPECT_INT(rc, 0);
	cr = result_of(&r, "parse-it");
	ok = cr && !strcmp(check_status_name(cr->status), want_status) && readable(cr->message) &&
	     strstr(cr->message, needle) != NULL;
	if (!ok && cr)
		printf("# %s: %s\n", check_status_name(cr->status), cr->message ? cr->message : "");
	grade_result_release(&r);
	EXPECT(ok);
}

TEST(non_http_reply_is_an_error)
{
	banner_case(ts_handler_banner, "SSH-2.0-OpenSSH_9.2\r\n", "error", "not HTTP");
}

TEST(unparseable_html_fails)
{
	banner_case(reply_handler, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 23\r\nConnection: close\r\n\r\n"
		    "\x01\x02<<<>\xff\xfe<!--\x7f<]]>&&&\x80\x81\x82", "fail", "xpath //title");
}

TEST(closed_port_is_an_error)
{
	struct grade_result r;
	long long ms;
	const struct check_result *cr;

	EXPECT_INT(run_suite(FIXTURES "/garbage", ts_closed_port(), &r, &ms), 0);
	cr = result_of(&r, "parse-it");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "error");
	EXPECT(readable(cr->message));
	grade_result_release(&r);
}

/* ---- issue 9: any_of, refusals, advisory setup --------------------------- */

static struct grade_result behaviour;
static int behaviour_rc = -1;

static const struct check_result *behaviour_of(const char *id)
{
	return behaviour_rc == 0 ? result_of(&behaviour, id) : NULL;
}

TEST(any_of_tries_every_candidate)
{
	const struct check_result *cr = behaviour_of("any-of-passes");

	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "pass");
	cr = behaviour_of("any-of-fails");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	/* Says which were tried, and what the closest answered. */
	EXPECT(strstr(cr->message, "none of the 2 tried passed (/status?code=404 answered 404, /status?code=403 answered 403); "
			      "nearest: ") != NULL);
	EXPECT(strstr(cr->message, "answered 40") != NULL);
	/* The nearest one first among them (h226). */
	cr = behaviour_of("any-of-nearest-first");
	EXPECT(cr && strstr(cr->message, "none of the 3 tried passed (/status?code=200 answered 200, /status?code=404 "
				     "answered 404, /status?code=403 answered 403); nearest: GET /status?code=200") != NULL);
	/* Every address answering alike, the value wrong at each: where it
	 * was read, with no statuses (h193, h199, h201, h202). */
	cr = behaviour_of("any-of-alike-status-fails");
	EXPECT(cr != NULL);
	EXPECT(cr && strstr(cr->message, "read at 2 addresses (/status?code=200, /status?code=200&again=1), none "
				     "as expected; nearest: GET /status?code=200 as anonymous answered 200") != NULL);
	/* One candidate: its own message, which names its request, and
	 * the advice at its end, not "tried 1". */
	cr = behaviour_of("any-of-one-fails");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT(strstr(cr->message, "tried") == NULL);
	EXPECT(strstr(cr->message, "GET /status?code=403 as anonymous answered 403") != NULL);
	EXPECT(strstr(cr->message, "the one candidate's advice") != NULL);
	/* Every candidate failing alike: that failure once, its advice whole. */
	cr = behaviour_of("any-of-alike-fails");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT_STR(cr->message, "GET /status?code=403 as anonymous answered 403; expected 200 \xE2\x80\x94 "
		   "the advice of candidates failing alike");
	/* A captured list among the candidates: its items, each once. */
	cr = behaviour_of("any-of-flattens-lists");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "pass");
	cr = behaviour_of("any-of-flattened-fails");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT(strstr(cr->message, "none of the 5 tried passed (/status?code=404 answered 404, data:image/gif") != NULL);
	/* The address naming the file the answer must equal is the nearest,
	 * though another got further (h451: a thumbnail's 200 hid the
	 * upload's 404). */
	cr = behaviour_of("any-of-names-the-file");
	EXPECT(cr && strstr(cr->message, "none of the 2 tried passed (/status?code=404&name=tiny.txt answered 404, "
				     "/status?code=200 answered 200); nearest: GET /status?code=404&name=tiny.txt") != NULL);
	/* ...as its file's own name before a folder's (h572). */
	cr = behaviour_of("any-of-names-the-file-as-its-file");
	EXPECT(cr && strstr(cr->message, "nearest: GET /status?code=404&name=tiny.txt") != NULL);
	/* ...and as its whole name before a rendition's (h920). */
	cr = behaviour_of("any-of-names-the-file-as-its-whole-name");
	EXPECT(cr && strstr(cr->message, "nearest: GET /status?code=404&r=/tiny.txt") != NULL);
	/* A long path cut in its middle keeps its short query whole (h576). */
	cr = behaviour_of("long-path-keeps-its-query");
	EXPECT(cr && strstr(cr->message, "\xE2\x80\xA6?category__exact=dessert as anonymous answered 200") != NULL);
	/* Text looked for on one page: the candidates, without that page's
	 * status beside each. */
	cr = behaviour_of("any-of-on-one-page-fails");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT(strstr(cr->message, "none of the 2 tried passed (no-such-word-one, no-such-word-two); nearest: "
			      "GET /gallery/ as anonymous answered 200") != NULL);
}

/* The statuses a 500 breaks, not those it meets ("at least 200 and
 * anything but 400 and less than 400", h497); all of them when it breaks
 * none (the step fails on the 5xx alone). */
TEST(a_server_error_says_the_statuses_it_breaks)
{
	const struct check_result *cr = behaviour_of("server-error-two-statuses");

	EXPECT(cr != NULL);
	EXPECT(cr && strstr(cr->message, "answered 500, a server error") != NULL);
	EXPECT(cr && strstr(cr->message, "; expected status is less than 400") != NULL);
	EXPECT(cr && strstr(cr->message, "at least 200") == NULL && strstr(cr->message, "anything but") == NULL);
	/* A list of statuses ending in every redirect: "a redirect (3xx)"
	 * for those (h1122: five numbers beside another step's words). */
	cr = behaviour_of("server-error-page-or-redirect");
	EXPECT(cr && strstr(cr->message, "; expected 200, 201 or a redirect (3xx)") != NULL);
	cr = behaviour_of("server-error-breaks-none");
	EXPECT(cr && strstr(cr->message, "answered 500, a server error") != NULL);
	EXPECT(cr && strstr(cr->message, "; expected status is at least 200") != NULL);
}

TEST(refused_is_a_login_redirect_401_403_404)
{
	const struct check_result *cr = behaviour_of("refused-login-redirect");

	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "pass");
	cr = behaviour_of("redirect-elsewhere-is-not-refused");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT_STR(cr->message, "GET /redirect?code=302&to=/tickets/ as anonymous answered 302 to /tickets/; "
		   "expected a refusal (302 to the login page, 401, 403 or 404; a redirect elsewhere is not one) "
		   "\xE2\x80\x94 another customer's ticket must be refused");
}

TEST(advisory_setup_failure_is_skip)
{
	const struct check_result *cr = behaviour_of("setup-fails");

	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "skip");
	EXPECT(!strncmp(cr->message, "not measured: its setup failed (make 20 rows): GET /status?code=400", 67));
	/* A failure of what the check measures is still a warning. */
	cr = behaviour_of("measured-fails");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	/* The page it measures refused (the status its other assertions
	 * need): not measured either, as SPEC.md says. */
	cr = behaviour_of("measured-page-refused");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "skip");
	EXPECT(!strncmp(cr->message, "not measured: the page it measures gave it nothing to measure (staff opens "
			"the dashboard): GET /status?code=403 as anonymous answered 403", 136));
	cr = behaviour_of("measured-list-empty");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "skip");
	EXPECT(strstr(cr->message, "not measured: the page it measures gave it nothing to measure (alice lists her "
		      "orders): POST /json as anonymous answered 200; jsonpath $ | count was 0") == cr->message);
}

TEST(app_addresses_resolve_as_a_browser_would)
{
	const struct check_result *cr = behaviour_of("app-addresses-resolved");

	/* A data: URI, another site's logo and a missing relative logo come
	 * before the photo: each is a candidate that fails, the photo passes;
	 * a relative Location and a relative form action resolve too. */
	EXPECT(cr != NULL);
	if (cr->status != CHECK_PASS)
		EXPECT_STR(check_status_name(cr->status), "pass");
	/* A relative src resolves against its page: a 404 there, the app's. */
	cr = behaviour_of("relative-address-missing");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT(strstr(cr->message, "GET /gallery/logo.png as anonymous answered 404") != NULL);
	cr = behaviour_of("data-uri-is-not-a-page");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT(strstr(cr->message, "the address data:image/gif;base64,") != NULL);
	/* Said as a placeholder, with what to do (h343: a lazy loader's). */
	EXPECT(strstr(cr->message, "is an inline placeholder, not a file on the app (pages are read without "
			      "running their scripts") != NULL);
	cr = behaviour_of("form-leaving-the-app");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT(strstr(cr->message, "the form's action https://pay.example.invalid/ is not a page on the app") != NULL);
}

TEST(csrf_on_makes_a_token_when_the_jar_has_none)
{
	const struct check_result *cr = behaviour_of("csrf-made-up");

	EXPECT(cr != NULL);
	if (cr && cr->status != CHECK_PASS)
		printf("# %s\n", cr->message);
	EXPECT(cr && cr->status == CHECK_PASS);
}

TEST(a_required_select_without_choices_is_named)
{
	const struct check_result *cr = behaviour_of("select-without-choices");

	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	/* The note keeps its room: the errors before it are cut short. */
	EXPECT_STR(cr->message, "POST /choiceless as anonymous answered 200 with the form's errors {\"category\": "
		   "[\"This fiel\xE2\x80\xA6 (category had no choice: a new database is empty; add its choices "
		   "in a migration); expected 302");
	cr = behaviour_of("select-named-without-choices");
	EXPECT(cr != NULL);
	EXPECT(cr && strstr(cr->message, " (category had no choice: a new database is empty; add its choices "
				     "in a migration); expected 302") != NULL);
}

TEST(a_form_without_its_csrf_token_is_named_as_the_cause)
{
	const struct check_result *cr = behaviour_of("form-without-csrf-token");

	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	/* Its action sent it away from its page: said too. */
	EXPECT_STR(cr->message, "POST /status?code=403 as anonymous answered 403 (the action of the form at "
		   "/gallery/) (the form has no csrfmiddlewaretoken field: put {% csrf_token %} inside the "
		   "<form>); expected 302");
	cr = behaviour_of("form-with-csrf-token-refused");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT_STR(cr->message, "POST /status?code=403 as anonymous answered 403 (the action of the form at "
		   "/gallery/); expected 302");
}

TEST(a_file_the_form_never_saw_names_request_files)
{
	const struct check_result *cr = behaviour_of("upload-not-received");

	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT_STR(cr->message, "POST /gallery/upload as anonymous answered 200 with the form's errors "
		   "{\"image\": [\"This field is required.\"]} (the form got no file for 'image': build it "
		   "with request.FILES); expected 302");
	/* Under a flash and before long advice: the field's error first,
	 * the flash after it, and what is cut is the errors, never the
	 * hint that follows them (h454: "(the form got no…; expected"). */
	cr = behaviour_of("upload-not-received-under-a-flash");
	EXPECT(cr != NULL);
	EXPECT_STR(cr->message, "POST /gallery/upload?flash as anonymous answered 200 with the form's errors "
		   "{\"image\": [\"This field is required.\"], \"__all__\": [\"Please correct the errors be\xE2\x80\xA6 "
		   "(the form got no file for 'image': build it with request.FILES); "
		   "expected 302 \xE2\x80\x94 save a valid recipe and redirect to its page (302, as this check asks), "
		   "then show it there with its photo, title and category");
	/* A field that is no file input at all: not request.FILES's fault. */
	cr = behaviour_of("upload-to-a-text-field");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT_STR(cr->message, "POST /gallery/upload?text as anonymous answered 200 with the form's errors "
		   "{\"image\": [\"This field is required.\"]} (a file was sent for 'image', which the form "
		   "has no file input for: make it a FileField or ImageField); expected 302");
	cr = behaviour_of("upload-refused");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	/* Refused for what it is: what was sent said (h255). */
	EXPECT_STR(cr->message, "POST /gallery/upload?invalid as anonymous answered 200 with the form's errors "
		   "{\"image\": [\"Upload a valid image.\"]} (sent: tiny.txt, 10 bytes); expected 302");
	/* The form again without a word is said so; a page that only has a
	 * form of another kind (a logout button) is not the form again
	 * (h157). */
	cr = behaviour_of("upload-form-again-quiet");
	EXPECT(cr != NULL);
	EXPECT_STR(cr->message, "POST /gallery/upload?quiet as anonymous answered 200 with the form again, no "
		   "error at its fields (does the template show them?); expected 302");
	cr = behaviour_of("upload-answered-with-its-page");
	EXPECT(cr != NULL);
	EXPECT_STR(cr->message, "POST /gallery/upload?saved as anonymous answered 200; expected 302");
	/* A 400 of the view's own words, no form: its words (h154), not
	 * its navbar's links first (h329). */
	cr = behaviour_of("upload-refused-in-words");
	EXPECT(cr != NULL);
	EXPECT_STR(cr->message, "POST /gallery/upload?reason as anonymous answered 400 saying \"Choose a status and "
		   "give a reason\"; expected 302");
	/* Every redirect a step follows, said as one. */
	cr = behaviour_of("upload-refused-any-redirect");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT_STR(cr->message, "POST /gallery/upload?invalid as anonymous answered 200 with the form's errors "
		   "{\"image\": [\"Upload a valid image.\"]} (sent: tiny.txt, 10 bytes); expected a redirect (3xx)");
}

/* A JSON body refused with nothing but the answer to say why: the body
 * as it was sent, each name and each value's type (h1201). */
TEST(a_refused_json_body_is_quoted_as_sent)
{
	const struct check_result *cr = behaviour_of("json-body-refused");

	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT_STR(cr->message, "POST /json-refused as anonymous answered 400 "
		   "{\"detail\": \"product must be a product id.\"} (sent: {\"product\":4,\"quantity\":2}); "
		   "expected 201");
}

/* ...and its refusal replaces the later step's own advice (h174, h181,
 * h182: "list the dessert" when the dessert was never saved). */
TEST(a_post_answered_with_form_errors_is_said_before_a_later_failure)
{
	const struct check_result *cr = behaviour_of("passed-post-with-form-errors");

	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT_STR(cr->message, "read it back: after POST /gallery/upload?invalid as anonymous answered 200 with "
		   "the form's errors {\"image\": [\"Upload a valid image.\"]}, GET /status?code=404 as anonymous "
		   "answered 404; expected 200 \xE2\x80\x94 the form refused what the check sent, as its errors say: "
		   "nothing was saved");
	/* A select that took the value for no valid choice: the field, the
	 * value and the fix (h550: a ModelChoiceField of a Status table's
	 * ids). */
	cr = behaviour_of("passed-post-with-invalid-choice");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT_STR(cr->message, "read it back: after POST /status-form as anonymous answered 200 with the form's "
		   "errors {\"status\": [\"Select a valid choice. That choice is not one of the available "
		   "choices.\"]}, GET /status?code=404 as anonymous answered 404; expected 200 \xE2\x80\x94 "
		   "status=pending was no valid choice: "
		   "take the value SPEC.md sends (choices of names, to_field_name)");
	cr = behaviour_of("refused-on-purpose-then-fails");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT_STR(cr->message, "read it back: GET /status?code=404 as anonymous answered 404; expected 200");
}

TEST(xpath_that_matches_nothing_does_not_exist)
{
	const struct check_result *cr = behaviour_of("xpath-finding-nothing-does-not-exist");

	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT(strstr(cr->message, "xpath //video/@src was []; expected to exist \xE2\x80\x94 the page must show a video") != NULL);
}

TEST(long_evidence_keeps_the_advice)
{
	const struct check_result *cr = behaviour_of("long-evidence-keeps-the-advice");

	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT(readable(cr->message));
	/* The answer quoted, cut... */
	EXPECT(strstr(cr->message, "an object without \"results\" {\"products\": {\"2\": \"Desk") != NULL);
	EXPECT(strstr(cr->message, "number 7") == NULL);
	/* ...and what was expected and the advice whole, at the end. */
	EXPECT(strstr(cr->message, "\"Desk lamp with a lon\xE2\x80\xA6, not a JSON array") != NULL);
	EXPECT(strstr(cr->message, "; expected 1 item \xE2\x80\x94 the list must include the product "
			       "staff created, as a JSON array or DRF's page of results") != NULL);
	EXPECT(strstr(cr->message, "\xE2\x80\xA6\xE2\x80\xA6") == NULL);
}

TEST(long_filters_keep_the_value)
{
	const struct check_result *cr = behaviour_of("long-filters-keep-the-value");

	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT(readable(cr->message));
	/* The filters elided but the last (what the value is), the value
	 * found and the advice whole. */
	EXPECT(strstr(cr->message, "findall") == NULL);
	EXPECT(strstr(cr->message, "jsonpath $.text | \xE2\x80\xA6 | join \" \" was \"open pending since never resolved") != NULL);
	EXPECT(strstr(cr->message, "\xE2\x80\x94 her page's statuses must stay as they were before her POST; "
			       "only staff may change them") != NULL);
}

/* {{env.requirements}}: the file the project declares its requirements in,
 * for the advice of requirements-declared. */
TEST(env_requirements_names_the_project_file)
{
	const struct check_result *cr = behaviour_of("env-requirements-named");

	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "fail");
	EXPECT(strstr(cr->message, "add them to pyproject.toml, pinned") != NULL);
}

/* envsaid's one message, run with where the project declares its
 * requirements (`file`, NULL none) and one package undeclared: a static
 * buffer, "" when the run failed. */
static const char *env_said(const char *file)
{
	static char out[1024];
	static const char *inferred[] = { "django-jazzmin" };
	struct challenge *c = NULL;
	struct http_client *http = NULL;
	struct http_client_opts ho = {.host = "127.0.0.1", .port = 9};
	struct engine_opts eo;
	struct grade_result res;

	out[0] = '\0';
	memset(&res, 0, sizeof(res));
	if (challenge_load(FIXTURES "/envsaid", &c) < 0 || http_client_new(&ho, &http) < 0)
		goto done;
	memset(&eo, 0, sizeof(eo));
	eo.challenge = c;
	eo.http = http;
	eo.request_timeout_ms = c->request_timeout_ms;
	eo.nonce = "abcd1234";
	eo.jobs = 1;
	eo.requirements = file;
	eo.requirements_none = !file;
	eo.inferred = inferred;
	eo.ninferred = 1;
	if (engine_run(&eo, &res) == 0 && res.nchecks == 1 && res.checks[0].message)
		snprintf(out, sizeof(out), "%s", res.checks[0].message);
	grade_result_release(&res);
done:
	http_client_free(http);
	challenge_free(c);
	return out;
}

/* A project with no requirements file is told to add one, not that a
 * requirements.txt "(the project has none)" does not declare them
 * (h1223); Poetry's and Pipenv's files take the versions as they write
 * them, not pinned (h1227). */
TEST(env_requirements_said_for_no_file_and_for_ranges)
{
	EXPECT_STR(env_said(NULL), "your code needs django-jazzmin, which the project does not declare: it has no "
		   "requirements file \xE2\x80\x94 a deployment from requirements.txt alone would fail, so add one "
		   "declaring each, pinned");
	EXPECT_STR(env_said("pyproject.toml"), "your code needs django-jazzmin, which pyproject.toml does not declare "
		   "\xE2\x80\x94 a deployment from pyproject.toml alone would fail, so add each there, with the versions "
		   "you use");
	EXPECT_STR(env_said("requirements.txt"), "your code needs django-jazzmin, which requirements.txt does not "
		   "declare \xE2\x80\x94 a deployment from requirements.txt alone would fail, so add each there, pinned");
}

/* Write `text` to DIR/NAME, the file's path into path. 0 or -1. */
static int put_file(const char *dir, const char *name, const char *text, char *path, size_t n)
{
	FILE *f;

	snprintf(path, n, "%s/%s", dir, name);
	if (!(f = fopen(path, "w")))
		return -1;
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -1;
}

/* A loaded challenge run once, one check at a time, against a test server
 * of its own (with grader.yaml's routes, or NULL): engine_run's result, or
 * -2 when the server or the client could not be made. */
/* The nonce run_loaded gives the engine; NULL: a random one, as a grade's. */
static const char *run_nonce = "abcd1234";

static int run_loaded(struct challenge *c, const struct routes *routes, struct grade_result *res)
{
	struct http_client *http = NULL;
	struct http_client_opts ho = {.host = "127.0.0.1"};
	struct engine_opts eo;
	struct ts_server srv;
	int rc = -2;

	if (ts_start(ts_handler_router, NULL, &srv) != 0)
		return -2;
	ho.port = srv.port;
	if (http_client_new(&ho, &http) == 0) {
		memset(&eo, 0, sizeof(eo));
		eo.challenge = c;
		eo.http = http;
		eo.routes = routes;
		eo.request_timeout_ms = 5000;
		eo.nonce = run_nonce;
		eo.jobs = 1;
		rc = engine_run(&eo, res);
	}
	ts_stop(&srv);
	http_client_free(http);
	return rc;
}

/* A run's own nonce starts with a digit, which Django's |title leaves as
 * it is (h636): the titles a check makes read the same in every run. */
static const char nonce_yaml[] =
	"id: nonce\ntitle: Nonce\nrequest_timeout_ms: 5000\n"
	"checks:\n"
	"  - id: digit-first\n    points: 1\n    steps:\n      - expect:\n"
	"          - value: \"{{run.nonce}}\"\n            matches: '^[0-9][0-9a-f]{7}$'\n";

TEST(a_runs_nonce_starts_with_a_digit)
{
	char tmpl[] = "/tmp/test_engine.XXXXXX", yaml[256];
	char *dir = mkdtemp(tmpl);
	struct challenge *c = NULL;
	struct grade_result res;
	int i, passed = 0;

	EXPECT(dir != NULL);
	EXPECT(put_file(dir, "challenge.yaml", nonce_yaml, yaml, sizeof(yaml)) == 0);
	EXPECT(challenge_load(dir, &c) == 0);
	run_nonce = NULL;
	for (i = 0; i < 30; i++) {
		memset(&res, 0, sizeof(res));
		if (run_loaded(c, NULL, &res) == 0 && res.nchecks == 1 && res.checks[0].status == CHECK_PASS)
			passed++;
		grade_result_release(&res);
	}
	run_nonce = "abcd1234";
	challenge_free(c);
	unlink(yaml);
	rmdir(dir);
	EXPECT_INT(passed, 30);
}

/* ---- the grader breaking mid-run ------------------------------------------ */

/* A run the grader gives up on halfway (here: a fixture file gone between
 * loading the challenge and sending it, which the grader cannot read)
 * must not list what it never judged as passed: the check it broke in and
 * the checks it never reached are `skip`, saying so; the check before
 * keeps its real result. */
static const char broken_yaml[] =
	"id: broken\ntitle: Broken\nrequest_timeout_ms: 5000\n"
	"checks:\n"
	"  - id: before\n    points: 1\n    steps:\n      - url: /status?code=200\n        expect:\n          - status: 200\n"
	"  - id: breaks\n    points: 1\n    steps:\n      - url: /echo\n        method: POST\n"
	"        multipart: {f: {file: fixtures/gone.txt}}\n        expect:\n          - status: 200\n"
	"  - id: after\n    points: 1\n    steps:\n      - url: /status?code=200\n        expect:\n          - status: 200\n";

TEST(checks_not_judged_are_never_passed)
{
	char tmpl[] = "/tmp/test_engine.XXXXXX", path[256], yaml[256];
	char *dir = mkdtemp(tmpl);
	struct challenge *c = NULL;
	struct grade_result res;
	const struct check_result *cr;
	int rc = 0;

	memset(&res, 0, sizeof(res));
	EXPECT(dir != NULL);
	EXPECT(put_file(dir, "challenge.yaml", broken_yaml, yaml, sizeof(yaml)) == 0);
	snprintf(path, sizeof(path), "%s/fixtures", dir);
	EXPECT(mkdir(path, 0755) == 0);
	EXPECT(put_file(dir, "fixtures/gone.txt", "x", path, sizeof(path)) == 0);
	EXPECT(challenge_load(dir, &c) == 0);
	EXPECT(unlink(path) == 0);
	rc = run_loaded(c, NULL, &res);
	challenge_free(c);
	snprintf(path, sizeof(path), "%s/fixtures", dir);
	rmdir(path);
	unlink(yaml);
	rmdir(dir);
	EXPECT_INT(rc, -1);
	EXPECT(strstr(err_last(), "gone.txt") != NULL);
	cr = result_of(&res, "before");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "pass");
	cr = result_of(&res, "breaks");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "skip");
	EXPECT_INT(cr->points, 0);
	EXPECT_STR(cr->message, "not judged: the grader failed during this check (the diagnosis says how)");
	cr = result_of(&res, "after");
	EXPECT(cr != NULL);
	EXPECT_STR(check_status_name(cr->status), "skip");
	EXPECT_STR(cr->message, "not run: the grader stopped before this check (the diagnosis says why)");
	grade_result_release(&res);
}

/* An any_of step's candidates are named in its message as the app was
 * asked for them: through grader.yaml's routes, as the nearest one's
 * request is (h117: "/api/: /api/v1/"). */
static const char mapped_yaml[] =
	"id: mapped\ntitle: Mapped\nrequest_timeout_ms: 5000\n"
	"checks:\n"
	"  - id: moved\n    points: 1\n    steps:\n"
	"      - any_of: {p: [\"/old/status?code=404\", \"/old/status?code=403\"]}\n"
	"        url: \"{{p}}\"\n        expect:\n          - status: 200\n";

TEST(any_of_names_candidates_as_the_app_was_asked)
{
	char tmpl[] = "/tmp/test_engine.XXXXXX", path[256], yaml[256];
	char *dir = mkdtemp(tmpl);
	struct challenge *c = NULL;
	struct routes *routes = NULL;
	struct grade_result res;
	struct gbuf diag = GBUF_INIT(4096);
	const struct check_result *cr;
	int rc = -1;

	memset(&res, 0, sizeof(res));
	EXPECT(dir != NULL);
	EXPECT(put_file(dir, "challenge.yaml", mapped_yaml, yaml, sizeof(yaml)) == 0);
	EXPECT(put_file(dir, "grader.yaml", "routes:\n  /old/: /\n", path, sizeof(path)) == 0);
	EXPECT(challenge_load(dir, &c) == 0);
	EXPECT_INT(routes_load(dir, dir, &routes, &diag), 0);
	if (c && routes)
		rc = run_loaded(c, routes, &res);
	challenge_free(c);
	routes_free(routes);
	gbuf_release(&diag);
	unlink(path);
	unlink(yaml);
	rmdir(dir);
	EXPECT_INT(rc, 0);
	cr = result_of(&res, "moved");
	EXPECT(cr != NULL);
	if (cr) {
		EXPECT_STR(check_status_name(cr->status), "fail");
		EXPECT(strstr(cr->message, "none of the 2 tried passed (/status?code=404 answered 404, /status?code=403 answered "
				      "403); nearest: ") != NULL);
	}
	grade_result_release(&res);
}

/* ---- a repeated submit fetches its form once ----------------------------- */

/* The form pages: /form, and one per cookie an answer to its POST sets. */
enum form_kind {
	FORM_PLAIN,        /* /form: no cookie */
	FORM_OTHER,        /* /form-other: "seen", as django.contrib.messages' cookie */
	FORM_SESSION,      /* /form-session: a new session key every time */
	FORM_SESSION_SAME, /* /form-session-same: the same session key every time */
	FORM_CSRF,         /* /form-csrf: a rotated CSRF token every time */
	FORM_KINDS
};
static const char *const form_paths[FORM_KINDS] = {
	"/form", "/form-other", "/form-session", "/form-session-same", "/form-csrf",
};

/* What the form server saw, in memory its connection processes share. */
struct form_counts {
	int pages[FORM_KINDS]; /* GET of each form page (any query) */
	int posts;             /* POSTs carrying the page's hidden token and a title */
	int bad_posts;         /* POSTs without them */
	int sent;              /* answers that set a cookie: a new value each */
};

/* GET /form...: a page with a form (a hidden token, a title) posted to
 * /post?k=KIND; that POST answers 302 and sets KIND's cookie. */
static void form_handler(int fd, void *ctx)
{
	struct form_counts *n = ctx;
	struct ts_req r;
	char page[512], head[256];
	int k, kind = -1;

	if (ts_read_request(fd, &r) < 0)
		return;
	for (k = 0; k < FORM_KINDS; k++)
		if (ts_path_is(r.path, form_paths[k]))
			kind = k;
	if (!strcmp(r.method, "GET") && kind >= 0) {
		__atomic_add_fetch(&n->pages[kind], 1, __ATOMIC_SEQ_CST);
		snprintf(page, sizeof(page),
			 "<html><body><form method=\"post\" action=\"/post?k=%d\">"
			 "<input type=\"hidden\" name=\"token\" value=\"t123\">"
			 "<input name=\"title\" required></form></body></html>", kind);
		ts_respond(fd, 200, "Content-Type: text/html\r\n", page, strlen(page));
	} else if (!strcmp(r.method, "POST")) {
		bool good = r.body && strstr(r.body, "token=t123") && strstr(r.body, "title=");
		const char *q = strstr(r.path, "?k=");
		int sent = __atomic_add_fetch(&n->sent, 1, __ATOMIC_SEQ_CST);

		kind = q ? atoi(q + 3) : FORM_PLAIN;
		__atomic_add_fetch(good ? &n->posts : &n->bad_posts, 1, __ATOMIC_SEQ_CST);
		if (kind == FORM_OTHER)
			snprintf(head, sizeof(head), "Location: /done\r\nSet-Cookie: seen=%d; Path=/\r\n", sent);
		else if (kind == FORM_SESSION)
			snprintf(head, sizeof(head), "Location: /done\r\nSet-Cookie: sessionid=s%d; Path=/\r\n", sent);
		else if (kind == FORM_SESSION_SAME)
			snprintf(head, sizeof(head), "Location: /done\r\nSet-Cookie: sessionid=same; Path=/\r\n");
		else if (kind == FORM_CSRF)
			snprintf(head, sizeof(head), "Location: /done\r\nSet-Cookie: csrftoken=c%d; Path=/\r\n", sent);
		else
			snprintf(head, sizeof(head), "Location: /done\r\n");
		ts_respond(fd, good ? 302 : 400, head, "", 0);
	} else {
		ts_respond(fd, 404, NULL, "", 0);
	}
	ts_req_free(&r);
}

/* The checks of fixtures/engine/repeat, one after another, against a
 * fresh form server; *n what it saw. */
static int run_repeat(struct form_counts *n, struct grade_result *r)
{
	struct form_counts *shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct ts_server srv;
	long long ms;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (shared == MAP_FAILED)
		return -1;
	memset(shared, 0, sizeof(*shared));
	if (ts_start(form_handler, shared, &srv) == 0) {
		rc = run_suite_jobs(FIXTURES "/repeat", srv.port, 1, r, &ms);
		ts_stop(&srv);
	}
	*n = *shared;
	munmap(shared, sizeof(*shared));
	return rc;
}

/* Repeated submits of one form send the page's hidden token every time and
 * fetch the page once, unless its path changes ({{i}}) or the answer
 * changed the session or CSRF cookie (a fresh page would then show another
 * token): another cookie (a message kept for the next page) or the session
 * saved again under its key keeps the form. The next step (a step of its
 * own) fetches it afresh. */
TEST(repeated_submit_fetches_its_form_once)
{
	struct form_counts n;
	struct grade_result r;
	size_t i;

	EXPECT_INT(run_repeat(&n, &r), 0);
	for (i = 0; i < r.nchecks; i++) {
		if (r.checks[i].status != CHECK_PASS)
			printf("# %s: %s\n", r.checks[i].id, r.checks[i].message ? r.checks[i].message : "");
		EXPECT_STR(check_status_name(r.checks[i].status), "pass");
	}
	EXPECT_INT((int)r.nchecks, 7);
	/* form-once 1, form-per-page 3, form-again-next-step 1 */
	EXPECT_INT(n.pages[FORM_PLAIN], 5);
	/* 3 submits each: kept; fetched again after each; fetched again after
	 * the first only (no session, then "same" for good); each */
	EXPECT_INT(n.pages[FORM_OTHER], 1);
	EXPECT_INT(n.pages[FORM_SESSION], 3);
	EXPECT_INT(n.pages[FORM_SESSION_SAME], 2);
	EXPECT_INT(n.pages[FORM_CSRF], 3);
	EXPECT_INT(n.posts, 4 + 3 + 1 + 3 * 4);
	EXPECT_INT(n.bad_posts, 0);
	grade_result_release(&r);
}

/* ---- a list in pages, with all_pages ---------------------------------- */

/* What the pages server was asked, in memory its connection processes share. */
struct page_counts {
	int items_pages;     /* GETs of /items */
	int elsewhere;       /* GETs of /elsewhere (the next leaves the app: page 1 only) */
	int loop;            /* GETs of /loop (the next is the page itself: once) */
	int endless;         /* GETs of /endless (an HTML page always links the next) */
	int nonstop;         /* GETs of /nonstop (a next past the last page, on empty pages) */
};

/* /items?page=N: items 1-5, 2 a page, next as an absolute URL on the Host
 * asked (as DRF writes it); /linked: the same, next inside "links"; /broken: page 2 answers 500; /loop: next is
 * the page itself; /elsewhere: next on another host; /array: a plain list. */
static void pages_handler(int fd, void *ctx)
{
	struct page_counts *n = ctx;
	struct ts_req r;
	char body[1024], host[128] = "127.0.0.1", next[300];
	const char *h, *q;
	int page = 1, first, i;

	if (ts_read_request(fd, &r) < 0)
		return;
	h = strstr(r.raw, "\r\nHost: ");
	if (h)
		snprintf(host, sizeof(host), "%.*s", (int)strcspn(h + 8, "\r\n"), h + 8);
	q = strstr(r.path, "page=");
	if (q)
		page = atoi(q + 5);
	if (ts_path_is(r.path, "/html") || ts_path_is(r.path, "/tables") || ts_path_is(r.path, "/endless") ||
	    ts_path_is(r.path, "/unlinked")) {
		/* HTML pages of items 1-5, 2 a page, linking the next page the way
		 * templates do: a relative ?page=N (/tables: django-tables2's
		 * prefixed ?tickets-page=N), beside a link back to page 1 and one
		 * to another path's page 2, which are not the next page;
		 * /unlinked: the same pages, none linking the next. */
		const char *param = ts_path_is(r.path, "/tables") ? "tickets-page" : "page";
		bool endless = ts_path_is(r.path, "/endless"), unlinked = ts_path_is(r.path, "/unlinked");

		q = strstr(r.path, "page=");
		page = q ? atoi(q + 5) : 1;
		if (endless)
			__atomic_add_fetch(&n->endless, 1, __ATOMIC_SEQ_CST);
		i = snprintf(body, sizeof(body), "<!DOCTYPE html><html><head><title>P%d</title></head>"
			     "<body class=\"page\"><ul>", page);
		for (first = (page - 1) * 2 + 1; (first <= 5 || endless) && first < page * 2 + 1; first++)
			i += snprintf(body + i, sizeof(body) - (size_t)i, "<li>item %d</li>", first);
		i += snprintf(body + i, sizeof(body) - (size_t)i,
			      "</ul><a href=\"?%s=1\">First</a> <a href=\"/other?page=%d\">Other</a>",
			      param, page + 1);
		if ((page < 3 || endless) && !unlinked)
			i += snprintf(body + i, sizeof(body) - (size_t)i, " <a href=\"?%s=%d\">Next</a>",
				      param, page + 1);
		snprintf(body + i, sizeof(body) - (size_t)i, "</body></html>");
		ts_respond(fd, 200, "Content-Type: text/html; charset=utf-8\r\n", body, strlen(body));
		ts_req_free(&r);
		return;
	}
	if (ts_path_is(r.path, "/defaulted")) {
		/* A list whose default filter holds items 1-2 without a query,
		 * all five with any (h637): nothing is on a page two. */
		snprintf(body, sizeof(body), "<!DOCTYPE html><html><body><ul><li>item 1</li><li>item 2</li>%s</ul>"
			 "</body></html>", strchr(r.path, '?') ? "<li>item 3</li><li>item 4</li><li>item 5</li>" : "");
		ts_respond(fd, 200, "Content-Type: text/html; charset=utf-8\r\n", body, strlen(body));
		ts_req_free(&r);
		return;
	}
	if (ts_path_is(r.path, "/array")) {
		snprintf(body, sizeof(body), "[{\"id\": 1}, {\"id\": 2}, {\"id\": 3}]");
	} else if (ts_path_is(r.path, "/broken") && page == 2) {
		ts_respond(fd, 500, "Content-Type: text/plain\r\n", "boom", 4);
		ts_req_free(&r);
		return;
	} else {
		if (ts_path_is(r.path, "/items") || ts_path_is(r.path, "/linked"))
			__atomic_add_fetch(&n->items_pages, 1, __ATOMIC_SEQ_CST);
		if (ts_path_is(r.path, "/elsewhere"))
			__atomic_add_fetch(&n->elsewhere, 1, __ATOMIC_SEQ_CST);
		if (ts_path_is(r.path, "/loop"))
			__atomic_add_fetch(&n->loop, 1, __ATOMIC_SEQ_CST);
		if (ts_path_is(r.path, "/nonstop"))
			__atomic_add_fetch(&n->nonstop, 1, __ATOMIC_SEQ_CST);
		if (ts_path_is(r.path, "/loop"))
			snprintf(next, sizeof(next), "\"http://%s/loop?page=1\"", host);
		else if (ts_path_is(r.path, "/elsewhere"))
			snprintf(next, sizeof(next), "\"http://example.invalid/elsewhere?page=2\"");
		else if (page < 3 || ts_path_is(r.path, "/nonstop"))
			snprintf(next, sizeof(next), "\"http://%s%.*s?page=%d\"", host,
				 (int)strcspn(r.path, "?"), r.path, page + 1);
		else
			snprintf(next, sizeof(next), "null");
		first = (page - 1) * 2 + 1;
		if (ts_path_is(r.path, "/linked"))
			i = snprintf(body, sizeof(body), "{\"links\": {\"next\": %s, \"previous\": null}, \"results\": [",
				     next);
		else
			i = snprintf(body, sizeof(body), "{\"count\": 5, \"next\": %s, \"previous\": null, \"results\": [",
				     next);
		for (; first <= 5 && first < page * 2 + 1; first++)
			i += snprintf(body + i, sizeof(body) - (size_t)i, "%s{\"id\": %d}",
				      first == (page - 1) * 2 + 1 ? "" : ", ", first);
		snprintf(body + i, sizeof(body) - (size_t)i, "]}");
	}
	ts_respond(fd, 200, "Content-Type: application/json\r\n", body, strlen(body));
	ts_req_free(&r);
}

/* Every page of a paginated list is judged as one list with all_pages
 * (and only the first without it); a page that fails fails the step and
 * says which; a next that is the page itself or leaves the app ends the
 * list; a plain JSON array is judged as it is. An HTML list in pages is
 * read whole through the links to its next page, and no further than 20
 * pages more. */
TEST(all_pages_judges_the_whole_list)
{
	struct page_counts *n = mmap(NULL, sizeof(*n), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct grade_result r;
	struct ts_server srv;
	const struct check_result *cr;
	long long ms;
	size_t i;

	EXPECT(n != MAP_FAILED);
	if (n == MAP_FAILED)
		return;
	memset(n, 0, sizeof(*n));
	memset(&r, 0, sizeof(r));
	EXPECT_INT(ts_start(pages_handler, n, &srv), 0);
	EXPECT_INT(run_suite_jobs(FIXTURES "/pages", srv.port, 1, &r, &ms), 0);
	ts_stop(&srv);
	for (i = 0; i < r.nchecks; i++) {
		bool fails;

		cr = &r.checks[i];
		fails = !strcmp(cr->id, "a-page-fails") || !strncmp(cr->id, "html-unlinked", 13);

		if (!fails && cr->status != CHECK_PASS)
			printf("# %s: %s\n", cr->id, cr->message ? cr->message : "");
		EXPECT_STR(check_status_name(cr->status), fails ? "fail" : "pass");
	}
	EXPECT_INT((int)r.nchecks, 16);
	/* A list whose pages are not linked: what its ?page=2 holds is said
	 * found there (h460, h462), and what a later page up to ?page=5 holds
	 * (h528); what none holds is not. */
	cr = result_of(&r, "html-unlinked");
	EXPECT(cr && cr->message && strstr(cr->message, "GET /unlinked as anonymous answered 200 (found at "
					   "/unlinked?page=2, to which the page has no link: link the next page "
					   "with <a href>); "));
	cr = result_of(&r, "html-unlinked-elsewhere");
	EXPECT(cr && cr->message && strstr(cr->message, "(found at /unlinked?page=3, to which the page has no link"));
	cr = result_of(&r, "html-unlinked-nowhere");
	EXPECT(cr && cr->message && !strstr(cr->message, "found at"));
	/* ...and what ?page=1 holds as well is no page two's: any query
	 * shows it (h637: a default filter the bare list applied). */
	cr = result_of(&r, "html-unlinked-defaulted");
	EXPECT(cr && cr->message && strstr(cr->message, "(found at /defaulted?page=1, not on the bare list, "
					   "which any query bypasses: a default filter or order applied only without "
					   "one?)"));
	cr = result_of(&r, "a-page-fails");
	EXPECT(cr && cr->message && strstr(cr->message, "GET /broken?page=2 (page 2 of the list") &&
	       strstr(cr->message, "answered 500"));
	/* every-page 3, links-next-every-page 3, first-page-only 1 */
	EXPECT_INT(n->items_pages, 7);
	EXPECT_INT(n->loop, 1);
	EXPECT_INT(n->elsewhere, 1);
	/* An HTML list that never ends: its first page and 20 more. */
	EXPECT_INT(n->endless, 21);
	/* A next on every page, past the last (h1150): the first empty page
	 * ends the list, not PAGES_MAX of them. */
	EXPECT_INT(n->nonstop, 4);
	grade_result_release(&r);
	munmap(n, sizeof(*n));
}

static struct grade_result seq_hostile, seq_behaviour;
static int seq_rc = -1;
static struct grade_result late;
static int late_rc = -2;

/* A run whose deadline has passed: ENGINE_TIMED_OUT (err.h's >0), and every
 * check an error that says why, none passed, nothing scored. */
TEST(past_deadline_is_timed_out)
{
	size_t i;

	EXPECT_INT(late_rc, ENGINE_TIMED_OUT);
	EXPECT(late.nchecks > 0);
	for (i = 0; i < late.nchecks; i++) {
		EXPECT_INT(late.checks[i].status, CHECK_ERROR);
		EXPECT_STR(late.checks[i].message, "not run: the run's time limit was reached");
	}
	EXPECT_INT(late.score, 0);
}

/* Two results alike check by check: ids in order, status, points, message. */
static bool same_results(const struct grade_result *a, const struct grade_result *b)
{
	size_t i;
	bool same = a->nchecks == b->nchecks && a->score == b->score && a->nchecks > 0;

	for (i = 0; same && i < a->nchecks; i++) {
		same = !strcmp(a->checks[i].id, b->checks[i].id) && a->checks[i].status == b->checks[i].status &&
		       a->checks[i].points == b->checks[i].points &&
		       !strcmp(a->checks[i].message ? a->checks[i].message : "",
			       b->checks[i].message ? b->checks[i].message : "");
		if (!same)
			printf("# %s: %s '%s' against %s '%s'\n", a->checks[i].id, check_status_name(a->checks[i].status),
			       a->checks[i].message ? a->checks[i].message : "", check_status_name(b->checks[i].status),
			       b->checks[i].message ? b->checks[i].message : "");
	}
	return same;
}

/* The hostile servers' suite has read-only checks that run at once in four
 * lanes; one lane gives the very same results. */
TEST(lanes_give_the_sequential_results)
{
	EXPECT_INT(seq_rc, 0);
	EXPECT(same_results(&hostile, &seq_hostile));
	EXPECT(same_results(&behaviour, &seq_behaviour));
}

int main(void)
{
	struct ts_server srv;

	if (ts_start(ts_handler_router, NULL, &srv) == 0) {
		long long ms;

		hostile_rc = run_suite(FIXTURES "/hostile", srv.port, &hostile, &hostile_ms);
		behaviour_rc = run_suite(FIXTURES "/behaviour", srv.port, &behaviour, &ms);
		seq_rc = run_suite_jobs(FIXTURES "/hostile", srv.port, 1, &seq_hostile, &ms) < 0 ||
			 run_suite_jobs(FIXTURES "/behaviour", srv.port, 1, &seq_behaviour, &ms) < 0 ? -1 : 0;
		suite_deadline_ms = 1;   /* long past: the monotonic clock counts from boot */
		late_rc = run_suite(FIXTURES "/behaviour", srv.port, &late, &ms);
		suite_deadline_ms = 0;
		ts_stop(&srv);
	}
	RUN(normal_answer_passes);
	RUN(huge_body_fails_with_the_limit);
	RUN(endless_body_is_an_error);
	RUN(trickle_is_an_error);
	RUN(invalid_utf8_fails_readably);
	RUN(redirect_loop_fails_and_says_so);
	RUN(server_error_fails_and_says_so);
	RUN(skip_names_the_dependency);
	RUN(captures_cross_checks);
	RUN(score_counts_only_passes);
	RUN(bad_servers_cost_bounded_time);
	RUN(non_http_reply_is_an_error);
	RUN(unparseable_html_fails);
	RUN(closed_port_is_an_error);
	RUN(any_of_tries_every_candidate);
	RUN(a_server_error_says_the_statuses_it_breaks);
	RUN(refused_is_a_login_redirect_401_403_404);
	RUN(advisory_setup_failure_is_skip);
	RUN(app_addresses_resolve_as_a_browser_would);
	RUN(xpath_that_matches_nothing_does_not_exist);
	RUN(long_evidence_keeps_the_advice);
	RUN(long_filters_keep_the_value);
	RUN(env_requirements_names_the_project_file);
	RUN(env_requirements_said_for_no_file_and_for_ranges);
	RUN(a_form_without_its_csrf_token_is_named_as_the_cause);
	RUN(a_required_select_without_choices_is_named);
	RUN(csrf_on_makes_a_token_when_the_jar_has_none);
	RUN(a_file_the_form_never_saw_names_request_files);
	RUN(a_refused_json_body_is_quoted_as_sent);
	RUN(a_post_answered_with_form_errors_is_said_before_a_later_failure);
	RUN(a_runs_nonce_starts_with_a_digit);
	RUN(checks_not_judged_are_never_passed);
	RUN(any_of_names_candidates_as_the_app_was_asked);
	RUN(lanes_give_the_sequential_results);
	RUN(past_deadline_is_timed_out);
	RUN(repeated_submit_fetches_its_form_once);
	RUN(all_pages_judges_the_whole_list);
	grade_result_release(&seq_hostile);
	grade_result_release(&seq_behaviour);
	grade_result_release(&hostile);
	grade_result_release(&behaviour);
	grade_result_release(&late);
	T_EXIT();
}
