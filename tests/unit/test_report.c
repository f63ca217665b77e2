/*
 * test_report.c - the JSON report is exactly contracts §1 (keys, order,
 * types, nulls); the text report has the rows and the total and stays safe
 * for a terminal whatever the submission wrote.
 */
#include <stdlib.h>
#include <string.h>

#include "causes.h"
#include "report.h"
#include "t.h"

static void t_set_check(struct check_result *c, const char *id, const char *title,
			enum check_status st, int pts, int max, bool advisory, const char *msg)
{
	c->id = strdup(id);
	c->title = strdup(title);
	c->category = strdup("orders");
	c->status = st;
	c->points = pts;
	c->max_points = max;
	c->advisory = advisory;
	c->message = msg ? strdup(msg) : NULL;
	c->duration_ms = 14;
	c->queries = -1;
}

static void t_graded(struct grade_result *r)
{
	memset(r, 0, sizeof(*r));
	r->challenge_id = strdup("ecommerce-api");
	r->challenge_title = strdup("E-Commerce REST API");
	memset(r->suite_sha256, 'c', 64);
	r->source = strdup("/srv/class/alice.git");
	r->ref = strdup("HEAD");
	snprintf(r->commit, sizeof(r->commit), "%s", "0123456789abcdef0123456789abcdef01234567");
	r->status = RUN_GRADED;
	r->score = 10;
	r->max_score = 30;
	r->nchecks = 3;
	r->checks = calloc(3, sizeof(*r->checks));
	/* A pass that still carries a message: the report must show null. */
	t_set_check(&r->checks[0], "products-list", "Products are listed", CHECK_PASS, 10, 10,
		    false, "stale note");
	t_set_check(&r->checks[1], "order-out-of-stock", "Out of stock is refused", CHECK_FAIL,
		    0, 20, false,
		    "POST /api/orders/ for a product with stock 0 answered 201; expected 400");
	t_set_check(&r->checks[2], "query-budget", "N+1 queries", CHECK_FAIL, 0, 0, true,
		    "GET /api/products/ ran 41 queries; expected at most 10");
	r->sandbox_mode = strdup("userns");
	r->sandbox_profile = strdup("default");
	r->t_fetch_ms = 40;
	r->t_env_ms = 5;
	r->t_boot_ms = 900;
	r->t_checks_ms = 300;
	r->t_total_ms = 1250;
	{
		/* "users" never announced: null, the others as measured. */
		static const long phases[RESULT_BOOT_PHASES] = { 150, 180, 200, 250, -1, 110 };

		memcpy(r->t_boot_phase_ms, phases, sizeof(phases));
		r->boot_phases_known = true;
	}
	{
		/* The checks' split (issue 13): a run total, each check's own. */
		static const struct check_timing sum = { 5, 4, 1250, 200049, 350, 1000, 2051 };
		static const struct check_timing first = { 3, 3, 600, 9500, 50, 150, 250 };

		r->t_checks_split = sum;
		r->checks[0].timing = first;
		r->checks_split_known = true;
	}
	r->run_id = 7;
	r->env_python = strdup("3.11.2");
	r->env_python_reason = strdup("default");
	r->env_requirements_source = strdup("requirements.txt");
	r->nenv_inferred = 1;
	r->env_inferred = calloc(1, sizeof(*r->env_inferred));
	r->env_inferred[0] = strdup("python-decouple");
	r->nenv_relaxed = 1;
	r->env_relaxed = calloc(1, sizeof(*r->env_relaxed));
	r->env_relaxed[0].from = strdup("psycopg2-binary==2.9.3");
	r->env_relaxed[0].to = strdup("psycopg2-binary==2.9.10");
	r->env_relaxed[0].why = strdup("no wheel of 2.9.3 for Python 3.11");
	r->nenv_left_out = 1;
	r->env_left_out = calloc(1, sizeof(*r->env_left_out));
	r->env_left_out[0] = strdup("pywin32==306\tWindows only");
	r->env_django = strdup("5.2.19");
	r->routes_loaded = true;
	r->nroutes = 1;
	r->routes = calloc(1, sizeof(*r->routes));
	r->routes[0].from = strdup("/api/");
	r->routes[0].to = strdup("/api/v1/");
	r->auth_scheme = strdup("token");
}

static void t_boot_failed(struct grade_result *r)
{
	memset(r, 0, sizeof(*r));
	r->challenge_id = strdup("ticket-system");
	r->challenge_title = strdup("Support Ticket System");
	memset(r->suite_sha256, 'd', 64);
	r->source = strdup("https://example.invalid/bob.git");
	r->ref = strdup("main");
	r->status = RUN_BOOT_FAILED;
	r->max_score = 100;
	r->diagnosis = strdup("Traceback (most recent call last):\n"
			      "  File \"manage.py\", line 22, in <module>\n"
			      "ModuleNotFoundError: No module named 'crispy_forms'\n");
	r->t_fetch_ms = 12;
	r->t_total_ms = 500;
}

/* The keys of obj, in order, must be exactly `want` (NULL-terminated). */
static int t_keys(const cJSON *obj, const char *const *want)
{
	const cJSON *c;
	size_t i = 0;

	for (c = obj ? obj->child : NULL; c; c = c->next, i++) {
		if (!want[i] || strcmp(c->string, want[i]) != 0)
			return 0;
	}
	return want[i] == NULL;
}

/* Valid UTF-8 and no control bytes but '\n' (what a terminal may get). */
static int t_terminal_safe(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n, k;
		unsigned cp;

		if (u[i] < 0x80) {
			if ((u[i] < 0x20 && u[i] != '\n') || u[i] == 0x7F)
				return 0;
			i++;
			continue;
		}
		if ((u[i] & 0xE0) == 0xC0) { n = 2; cp = u[i] & 0x1F; }
		else if ((u[i] & 0xF0) == 0xE0) { n = 3; cp = u[i] & 0x0F; }
		else if ((u[i] & 0xF8) == 0xF0) { n = 4; cp = u[i] & 0x07; }
		else return 0;
		if (i + n > len)
			return 0;
		for (k = 1; k < n; k++) {
			if ((u[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (u[i + k] & 0x3F);
		}
		if (cp <= 0x9F || (cp >= 0x202A && cp <= 0x202E))
			return 0;
		i += n;
	}
	return 1;
}

/* Longest line, in code points. */
static size_t t_max_line(const char *s)
{
	size_t best = 0, cur = 0;

	for (; *s; s++) {
		if (*s == '\n') {
			cur = 0;
			continue;
		}
		if (((unsigned char)*s & 0xC0) != 0x80 && ++cur > best)
			best = cur;
	}
	return best;
}

TEST(json_matches_contract_keys_and_order)
{
	static const char *const top[] = {"grader", "challenge", "submission", "status", "score",
		"max_score", "checks", "diagnosis", "sandbox", "timings_ms", "run_id", "environment",
		"routes", "auth", "causes", "class", "warnings", "boot_phases_ms", "checks_timing_ms", NULL};
	static const char *const env[] = {"python", "python_reason", "requirements_source",
		"inferred", "relaxed", "left_out", "django", NULL};
	static const char *const grader[] = {"version", NULL};
	static const char *const chal[] = {"id", "title", "suite_sha256", NULL};
	static const char *const sub[] = {"source", "ref", "commit", NULL};
	static const char *const check[] = {"id", "title", "category", "points", "max_points",
		"status", "message", "duration_ms", "visibility", NULL};
	static const char *const sandbox[] = {"mode", "profile", NULL};
	static const char *const timings[] = {"fetch", "environment", "boot", "checks", "total", NULL};
	struct grade_result r;
	cJSON *j, *c;
	char *flat = NULL;
	int ok;

	t_graded(&r);
	j = report_json(&r);
	grade_result_release(&r);
	EXPECT(j != NULL);
	ok = t_keys(j, top) && t_keys(cJSON_GetObjectItem(j, "grader"), grader) &&
	     t_keys(cJSON_GetObjectItem(j, "challenge"), chal) &&
	     t_keys(cJSON_GetObjectItem(j, "submission"), sub) &&
	     t_keys(cJSON_GetObjectItem(j, "sandbox"), sandbox) &&
	     t_keys(cJSON_GetObjectItem(j, "timings_ms"), timings) &&
	     t_keys(cJSON_GetObjectItem(j, "environment"), env);
	c = cJSON_GetObjectItem(j, "checks");
	ok = ok && cJSON_IsArray(c) && cJSON_GetArraySize(c) == 3;
	for (c = ok ? c->child : NULL; c; c = c->next)
		ok = ok && t_keys(c, check);
	flat = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (!ok || !flat) {
		free(flat);
		EXPECT(ok && flat);
	}
	/* Values and types, checked on the printed text so integers must print
	 * as integers and nulls as null. */
	ok = strstr(flat, "{\"grader\":{\"version\":\"" GRADER_VERSION "\"},"
			  "\"challenge\":{\"id\":\"ecommerce-api\",\"title\":\"E-Commerce REST API\","
			  "\"suite_sha256\":\"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\"},"
			  "\"submission\":{\"source\":\"/srv/class/alice.git\",\"ref\":\"HEAD\","
			  "\"commit\":\"0123456789abcdef0123456789abcdef01234567\"},"
			  "\"status\":\"graded\",\"score\":10,\"max_score\":30,\"checks\":["
			  "{\"id\":\"products-list\",\"title\":\"Products are listed\","
			  "\"category\":\"orders\",\"points\":10,\"max_points\":10,\"status\":\"pass\","
			  "\"message\":null,\"duration_ms\":14,\"visibility\":\"visible\"},"
			  "{\"id\":\"order-out-of-stock\",\"title\":\"Out of stock is refused\","
			  "\"category\":\"orders\",\"points\":0,\"max_points\":20,\"status\":\"fail\","
			  "\"message\":\"POST /api/orders/ for a product with stock 0 answered 201; "
			  "expected 400\",\"duration_ms\":14,\"visibility\":\"visible\"},") == flat &&
	     strstr(flat, "],\"diagnosis\":null,\"sandbox\":{\"mode\":\"userns\",\"profile\":\"default\"},"
			  "\"timings_ms\":{\"fetch\":40,\"environment\":5,\"boot\":900,\"checks\":300,"
			  "\"total\":1250},\"run_id\":7,\"environment\":{\"python\":\"3.11.2\","
			  "\"python_reason\":\"default\",\"requirements_source\":\"requirements.txt\","
			  "\"inferred\":[\"python-decouple\"],\"relaxed\":[{\"from\":\"psycopg2-binary==2.9.3\","
			  "\"to\":\"psycopg2-binary==2.9.10\",\"why\":\"no wheel of 2.9.3 for Python 3.11\"}],"
			  "\"left_out\":[{\"line\":\"pywin32==306\",\"why\":\"Windows only\"}],"
			  "\"django\":\"5.2.19\"},"
			  "\"routes\":{\"/api/\":\"/api/v1/\"},\"auth\":\"token\",\"causes\":[],\"class\":null,\"warnings\":[],"
			  "\"boot_phases_ms\":{\"start\":150,\"import\":180,\"setup\":200,"
			  "\"migrate\":250,\"users\":null,\"serve\":110},"
			  "\"checks_timing_ms\":{\"requests\":5,\"connects\":4,\"connect\":1.3,\"app\":200,"
			  "\"receive\":0.4,\"http\":1,\"grader\":2.1,\"by_check\":["
			  "{\"id\":\"products-list\",\"requests\":3,\"connects\":3,\"connect\":0.6,\"app\":9.5,"
			  "\"receive\":0.1,\"http\":0.2,\"grader\":0.3},"
			  "{\"id\":\"order-out-of-stock\",\"requests\":0,\"connects\":0,\"connect\":0,\"app\":0,"
			  "\"receive\":0,\"http\":0,\"grader\":0},"
			  "{\"id\":\"query-budget\",\"requests\":0,\"connects\":0,\"connect\":0,\"app\":0,"
			  "\"receive\":0,\"http\":0,\"grader\":0}]}}") != NULL;
	if (!ok)
		printf("# %s\n", flat);
	free(flat);
	EXPECT(ok);
}

TEST(json_not_graded_nulls)
{
	struct grade_result r;
	cJSON *j;
	const cJSON *sub, *v;
	int ok;

	t_boot_failed(&r);
	j = report_json(&r);
	grade_result_release(&r);
	EXPECT(j != NULL);
	sub = cJSON_GetObjectItem(j, "submission");
	ok = cJSON_IsNull(cJSON_GetObjectItem(sub, "commit")) &&
	     cJSON_IsNull(cJSON_GetObjectItem(j, "sandbox")) &&
	     cJSON_IsNull(cJSON_GetObjectItem(j, "boot_phases_ms")) &&
	     cJSON_IsNull(cJSON_GetObjectItem(j, "checks_timing_ms")) &&
	     cJSON_IsArray(cJSON_GetObjectItem(j, "checks")) &&
	     cJSON_GetArraySize(cJSON_GetObjectItem(j, "checks")) == 0 &&
	     cJSON_IsString(v = cJSON_GetObjectItem(j, "diagnosis")) &&
	     strstr(v->valuestring, "No module named 'crispy_forms'") != NULL &&
	     cJSON_IsString(v = cJSON_GetObjectItem(j, "status")) &&
	     strcmp(v->valuestring, "boot-failed") == 0 &&
	     cJSON_IsNumber(v = cJSON_GetObjectItem(j, "score")) && v->valuedouble == 0 &&
	     cJSON_IsNumber(v = cJSON_GetObjectItem(j, "max_score")) && v->valuedouble == 100 &&
	     cJSON_IsNull(cJSON_GetObjectItem(j, "run_id")) &&
	     cJSON_IsNull(cJSON_GetObjectItem(j, "environment")) &&
	     cJSON_IsNull(cJSON_GetObjectItem(j, "routes")) &&
	     cJSON_IsNull(cJSON_GetObjectItem(j, "auth"));
	cJSON_Delete(j);
	EXPECT(ok);
}

TEST(json_not_graded_without_diagnosis_still_has_one)
{
	struct grade_result r;
	cJSON *j;
	int ok;

	t_boot_failed(&r);
	free(r.diagnosis);
	r.diagnosis = NULL;
	r.status = RUN_TIMED_OUT;
	j = report_json(&r);
	grade_result_release(&r);
	EXPECT(j != NULL);
	ok = cJSON_IsString(cJSON_GetObjectItem(j, "diagnosis"));
	cJSON_Delete(j);
	EXPECT(ok);
}

TEST(json_invalid_utf8_repaired)
{
	struct grade_result r;
	cJSON *j, *back = NULL;
	char *flat = NULL;
	const cJSON *msg;
	int ok;

	t_graded(&r);
	free(r.checks[1].message);
	r.checks[1].message = strdup("got \xff\xfe and \xc0\xaf (overlong) and \xed\xa0\x80 "
				     "(surrogate) and \x1b[31m and \"quotes\"");
	j = report_json(&r);
	grade_result_release(&r);
	EXPECT(j != NULL);
	flat = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	EXPECT(flat != NULL);
	ok = t_terminal_safe(flat, strlen(flat)); /* printed JSON escapes controls */
	back = cJSON_Parse(flat);
	free(flat);
	EXPECT(ok);
	EXPECT(back != NULL);
	msg = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(back, "checks"), 1),
				  "message");
	ok = cJSON_IsString(msg) &&
	     strcmp(msg->valuestring, "got \xEF\xBF\xBD\xEF\xBF\xBD and \xEF\xBF\xBD\xEF\xBF\xBD "
				      "(overlong) and \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD (surrogate)"
				      " and \x1b[31m and \"quotes\"") == 0;
	cJSON_Delete(back);
	EXPECT(ok);
}

/* Colour: each status word wrapped in its SGR colour, the columns aligned
 * as without; only_not_passed drops the passing rows, keeps the rest. */
TEST(text_colour_and_only_not_passed)
{
	struct report_text_opts col = {.colour = true}, brief = {.only_not_passed = true};
	struct grade_result r;
	struct gbuf a = GBUF_INIT(0), b = GBUF_INIT(0);
	int rc1, rc2;

	t_graded(&r);
	rc1 = report_text_with(&r, &col, &a);
	rc2 = report_text_with(&r, &brief, &b);
	grade_result_release(&r);
	EXPECT_INT(rc1, 0);
	EXPECT_INT(rc2, 0);
	EXPECT(strstr(gbuf_str(&a), "  \033[32mPASS\033[0m    10/10 products-list  Products are listed\n") != NULL);
	EXPECT(strstr(gbuf_str(&a), "  \033[31mFAIL\033[0m     0/20 order-out-of-stock") != NULL);
	EXPECT(strstr(gbuf_str(&a), "  \033[33mWARN\033[0m        - query-budget") != NULL);
	EXPECT(strstr(gbuf_str(&a), "\033[1mScore: 10/30\033[0m\n") != NULL);
	EXPECT(strstr(gbuf_str(&b), "\033[") == NULL);
	EXPECT(strstr(gbuf_str(&b), "products-list") == NULL);
	EXPECT(strstr(gbuf_str(&b), "  FAIL     0/20 order-out-of-stock") != NULL);
	EXPECT(strstr(gbuf_str(&b), "  WARN        - query-budget") != NULL);
	EXPECT(strstr(gbuf_str(&b), "\nScore: 10/30\n") != NULL);
	gbuf_release(&a);
	gbuf_release(&b);
}

TEST(text_has_rows_and_total)
{
	struct grade_result r;
	struct gbuf out = GBUF_INIT(0);
	const char *s;
	int rc;

	t_graded(&r);
	rc = report_text(&r, &out);
	grade_result_release(&r);
	s = gbuf_str(&out);
	if (rc != 0 || !strstr(s, "E-Commerce REST API (ecommerce-api)\n") ||
	    !strstr(s, "Submission: /srv/class/alice.git  ref HEAD  commit 0123456789ab\n") ||
	    !strstr(s, "  PASS    10/10 products-list  Products are listed\n") ||
	    !strstr(s, "  FAIL     0/20 order-out-of-stock  Out of stock is refused\n"
		       "                POST /api/orders/ for a product with stock 0 answered 201;"
		       " expected 400\n") ||
	    !strstr(s, "  WARN        - query-budget  N+1 queries\n") ||
	    strstr(s, "stale note") ||
	    !strstr(s, "\nScore: 10/30\n") ||
	    !strstr(s, "Warnings: 1 advisory check did not pass") ||
	    !strstr(s, "Timings: fetch 40 ms, environment 5 ms, boot 900 ms, checks 300 ms,"
		       " total 1250 ms\n") ||
	    !strstr(s, "Sandbox: userns (profile default)\n") ||
	    !strstr(s, "Installed, inferred from your code (add to requirements.txt): python-decouple\n") ||
	    !strstr(s, "Relaxed pin: psycopg2-binary==2.9.3 -> psycopg2-binary==2.9.10 (no wheel of 2.9.3 for Python 3.11)\n") ||
	    !strstr(s, "Signed in with: token (its header on every request, plus a session cookie token-only views ignore)\n") ||
	    !strstr(s, "  /api/ -> /api/v1/\n"))
		printf("# rc=%d\n%s", rc, s);
	EXPECT_INT(rc, 0);
	EXPECT(strstr(s, "  FAIL     0/20 order-out-of-stock  Out of stock is refused\n"
			 "                POST /api/orders/") != NULL);
	EXPECT(strstr(s, "  PASS    10/10 products-list  Products are listed\n") != NULL);
	EXPECT(strstr(s, "  WARN        - query-budget  N+1 queries\n") != NULL);
	EXPECT(strstr(s, "stale note") == NULL);
	EXPECT(strstr(s, "\nScore: 10/30\n") != NULL);
	EXPECT(strstr(s, "Warnings: 1 advisory check did not pass") != NULL);
	EXPECT(strstr(s, "Installed, inferred from your code (add to requirements.txt): python-decouple\n") != NULL);
	EXPECT(strstr(s, "Relaxed pin: psycopg2-binary==2.9.3 -> psycopg2-binary==2.9.10"
			 " (no wheel of 2.9.3 for Python 3.11)\n") != NULL);
	EXPECT(strstr(s, "Not installed: pywin32==306 (Windows only)\n") != NULL);
	EXPECT(strstr(s, "Signed in with: token (its header on every request, plus a session cookie token-only views ignore)\n") != NULL);
	EXPECT(strstr(s, "  /api/ -> /api/v1/\n") != NULL);
	EXPECT(strstr(s, "total 1250 ms\n") != NULL);
	EXPECT(strstr(s, "Sandbox: userns (profile default)\n") != NULL);
	EXPECT(strstr(s, "commit 0123456789ab\n") != NULL);
	EXPECT(t_terminal_safe(out.data, out.len));
	gbuf_release(&out);
}

/* An undeclared import belongs where the project declares its
 * requirements: pyproject.toml's, not a requirements.txt it does not have
 * (which would then be read instead of it). */
TEST(text_names_where_requirements_belong)
{
	struct grade_result r;
	struct gbuf out = GBUF_INIT(0);

	t_graded(&r);
	free(r.env_requirements_source);
	r.env_requirements_source = strdup("pyproject.toml");
	EXPECT_INT(report_text(&r, &out), 0);
	EXPECT(strstr(gbuf_str(&out), "Installed, inferred from your code (add to pyproject.toml): python-decouple\n") != NULL);
	/* Where the install failed, nothing was installed (h457). */
	gbuf_reset(&out);
	r.status = RUN_SETUP_FAILED;
	EXPECT_INT(report_text(&r, &out), 0);
	EXPECT(strstr(gbuf_str(&out), "\nInferred from your code (add to pyproject.toml): python-decouple\n") != NULL);
	EXPECT(strstr(gbuf_str(&out), "Installed") == NULL);
	r.status = RUN_GRADED;
	gbuf_reset(&out);
	free(r.env_requirements_source);
	r.env_requirements_source = strdup("(default runtime)");
	EXPECT_INT(report_text(&r, &out), 0);
	EXPECT(strstr(gbuf_str(&out), "(add to requirements.txt): python-decouple\n") != NULL);
	grade_result_release(&r);
	gbuf_release(&out);
}

/* The source's warning is shown whole, on its line, where a title's
 * room cut what it said to write (h708). */
TEST(text_warning_shown_whole)
{
	struct grade_result r;
	struct gbuf out = GBUF_INIT(0);

	t_graded(&r);
	r.warning = strdup("this repository holds 2 Django projects (legacy/manage.py, services/web/manage.py): "
			   "the first, legacy, is graded; name the one to grade in a grader.yaml at the repository's "
			   "root, such as project: services/web");
	EXPECT_INT(report_text(&r, &out), 0);
	EXPECT(strstr(gbuf_str(&out), "\nWarning: this repository holds 2 Django projects (legacy/manage.py, "
				      "services/web/manage.py): the first, legacy, is graded; name the one to grade "
				      "in a grader.yaml at the repository's root, such as project: services/web\n"));
	grade_result_release(&r);
	gbuf_release(&out);
}

/* The report says how the users were signed in whatever the scheme
 * (SPEC.md promises it), and why. */
TEST(text_says_how_users_signed_in)
{
	static const char *const want[][2] = {
		{"session", "Signed in with: session (a session cookie, as after logging in)\n"},
		{"session+token", "Signed in with: session+token (the session cookie; a token in"
				  " Authorization too, only when a view refuses the session with 401 or 403)\n"},
		{"session+basic", "Signed in with: session+basic (the session cookie; the user's name and"
				  " password too, only when a view refuses it with 401 asking for no other scheme)\n"},
		{"jwt", "Signed in with: jwt (its header on every request, plus a session cookie token-only views ignore)\n"},
		{"basic", "Signed in with: basic (its header on every request, plus a session cookie Basic-only views ignore)\n"},
	};
	struct grade_result r;
	struct gbuf out = GBUF_INIT(0);
	size_t i;

	t_graded(&r);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		free(r.auth_scheme);
		r.auth_scheme = strdup(want[i][0]);
		gbuf_reset(&out);
		EXPECT_INT(report_text(&r, &out), 0);
		EXPECT(strstr(gbuf_str(&out), want[i][1]) != NULL);
		/* Once. */
		EXPECT(strstr(strstr(gbuf_str(&out), "Signed in with:") + 1, "Signed in with:") == NULL);
	}
	/* Basic after a 401 where no view took a change on the session
	 * alone (h1174, h1185, h1191). */
	free(r.auth_scheme);
	r.auth_scheme = strdup("session+basic");
	r.auth_basic_only = true;
	gbuf_reset(&out);
	EXPECT_INT(report_text(&r, &out), 0);
	EXPECT(strstr(gbuf_str(&out), "Signed in with: session+basic (the user's name and password, sent again after "
				      "each 401 asking for them: no view took a change on the session cookie alone)\n") != NULL);
	grade_result_release(&r);
	gbuf_release(&out);
}

TEST(text_not_graded_shows_diagnosis)
{
	struct grade_result r;
	struct gbuf out = GBUF_INIT(0);
	const char *s;
	int rc;

	t_boot_failed(&r);
	rc = report_text(&r, &out);
	grade_result_release(&r);
	s = gbuf_str(&out);
	EXPECT_INT(rc, 0);
	EXPECT(strstr(s, "commit (none)") != NULL);
	EXPECT(strstr(s, "Score:") == NULL);
	EXPECT(strstr(s, "Not graded: boot-failed\nDiagnosis:\n"
			 "  Traceback (most recent call last):\n"
			 "    File \"manage.py\", line 22, in <module>\n"
			 "  ModuleNotFoundError: No module named 'crispy_forms'\nTimings:") != NULL);
	EXPECT(strstr(s, "Sandbox: none\n") != NULL);
	gbuf_release(&out);
}

TEST(text_hostile_message_is_safe)
{
	struct grade_result r;
	struct gbuf out = GBUF_INIT(0);
	char *longword = NULL, *prose = NULL;
	size_t i;
	int rc;

	longword = malloc(20001);
	prose = malloc(20001);
	EXPECT(longword && prose);
	for (i = 0; i < 20000; i++) {
		longword[i] = 'x';
		prose[i] = i % 7 == 6 ? ' ' : 'y';
	}
	longword[20000] = prose[20000] = '\0';
	/* Multi-byte characters across the wrap points. */
	memcpy(longword + 95, "\xc3\xa9\xc3\xa9\xc3\xa9", 6);

	t_graded(&r);
	free(r.checks[1].message);
	r.checks[1].message = longword;
	free(r.checks[2].message);
	r.checks[2].message = prose;
	free(r.checks[0].title);
	r.checks[0].title = strdup("evil \x1b]0;pwned\x07 title \x9b\xe2\x80\xae reversed \xff");
	free(r.source);
	r.source = strdup("/tmp/\x1b[2Jclear");
	rc = report_text(&r, &out);
	grade_result_release(&r);
	EXPECT_INT(rc, 0);
	EXPECT(!out.truncated);
	EXPECT(t_terminal_safe(out.data, out.len));
	EXPECT(strchr(out.data, '\x1b') == NULL);
	EXPECT(t_max_line(out.data) <= 100);
	/* Bounded: two 20 KB messages are cut to a few KB each, marked "…". */
	EXPECT(out.len < 12000);
	EXPECT(strstr(out.data, "\xE2\x80\xA6") != NULL);
	EXPECT(strstr(out.data, "\xc3\xa9") != NULL);
	EXPECT(strstr(out.data, "\xEF\xBF\xBD") != NULL);
	gbuf_release(&out);
}

TEST(text_respects_output_ceiling)
{
	struct grade_result r;
	struct gbuf out = GBUF_INIT(64);
	int rc;

	t_graded(&r);
	rc = report_text(&r, &out);
	grade_result_release(&r);
	EXPECT_INT(rc, 0);
	EXPECT(out.truncated);
	EXPECT(out.len <= 64);
	gbuf_release(&out);
}

TEST(json_class_context)
{
	struct grade_result r;
	cJSON *j;
	char *flat = NULL;
	int ok;

	t_graded(&r);
	r.student = strdup("alice");
	r.due_at = 1740873600;      /* 2025-03-02T00:00:00Z */
	r.commit_time = 1741003200; /* 2025-03-03T12:00:00Z */
	r.late_penalty = 4;
	r.selection = strdup("abc of ..., 2 days late");
	j = report_json(&r);
	grade_result_release(&r);
	EXPECT(j != NULL);
	flat = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	ok = flat && strstr(flat, ",\"class\":{\"student\":\"alice\",\"due\":\"2025-03-02T00:00:00Z\","
			    "\"commit_time\":\"2025-03-03T12:00:00Z\",\"selection\":\"abc of ..., 2 days late\","
			    "\"late_penalty\":4,\"final_score\":6},\"warnings\":[],") != NULL;
	if (!ok)
		printf("# %s\n", flat ? flat : "(null)");
	free(flat);
	EXPECT(ok);
}

/* Causes (causes.h): the grader's reading of an answer is said with the
 * cause whole, its parentheses balanced (h388: "(... a related object
 * (make it optional, or give it a default)" lost its last one); a create
 * that did not keep a number it was sent comes before the answers the
 * checks after it got (h387). */
TEST(causes_keep_the_hint_whole_and_an_unkept_number_first)
{
	static const char hinted[] =
		"POST /api/products/ as staff answered 400 {\"category\": [\"This field is required.\"]} (the grader "
		"cannot make up the required category, a related object (make it optional, or give it a default)); "
		"expected 201";
	struct grade_result r;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.status = RUN_GRADED;
	r.nchecks = 4;
	r.checks = calloc(4, sizeof(*r.checks));
	t_set_check(&r.checks[0], "products-list", "t", CHECK_FAIL, 0, 10, false, hinted);
	t_set_check(&r.checks[1], "product-detail", "t", CHECK_FAIL, 0, 10, false, hinted);
	t_set_check(&r.checks[2], "order-create", "t", CHECK_FAIL, 0, 15, false,
		    "POST /api/orders/ as alice answered 400 {\"quantity\": [\"Only 0 left.\"]}; expected 201");
	t_set_check(&r.checks[3], "orders-private", "t", CHECK_FAIL, 0, 10, false,
		    "GET /api/products/7/ as alice answered 200; the product's stock was 0; expected 5");
	for (i = 2; i < 4; i++) {
		r.checks[i].unkept = strdup("POST /api/products/ answered stock 0 for the 5 sent");
		r.checks[i].unkept_key = strdup("POST /api/products/ stock");
	}
	EXPECT_INT(causes_find(&r, NULL), 0);
	EXPECT_INT((int)r.ncauses, 2);
	if (r.ncauses == 2) {
		EXPECT_STR(r.causes[0].text,
			   "POST /api/products/ answered 400 {\"category\": [\"This field is required.\"]} (the grader "
			   "cannot make up the required category, a related object (make it optional, or give it a "
			   "default))");
		EXPECT(strstr(r.causes[1].text, "POST /api/products/ answered stock 0 for the 5 sent: the create "
						"must keep the value it is sent") == r.causes[1].text);
		EXPECT_INT((int)r.causes[1].nchecks, 2);
	}
	grade_result_release(&r);
}

/* One answer said plainly by some checks and in a check's own words by
 * others ("400; its 400 refuses every order alike (...) (the answer:
 * {...})"): one cause, with the plain ones' note (h1171: a required
 * shipping_address said as two causes). */
TEST(causes_one_answer_said_plainly_and_in_a_checks_words)
{
	static const char plain[] =
		"alice orders 2: POST /api/orders/ as alice answered 400 {\"shipping_address\": [\"This field is "
		"required.\"]} (the check sends product, quantity alone, as SPEC.md says: make shipping_address "
		"optional or give it a default); expected 201";
	static const char described[] =
		"bob orders 1: POST /api/orders/ as bob answered 400; its 400 refuses every order alike (a field it "
		"does not send required, or the product's id itself) (the answer: {\"shipping_address\": [\"This "
		"field is required.\"]}) \xE2\x80\x94 an order sends {product: id, quantity: n} alone";
	struct grade_result r;

	memset(&r, 0, sizeof(r));
	r.status = RUN_GRADED;
	r.nchecks = 4;
	r.checks = calloc(4, sizeof(*r.checks));
	t_set_check(&r.checks[0], "order-create", "t", CHECK_FAIL, 0, 15, false, plain);
	t_set_check(&r.checks[1], "order-out-of-stock", "t", CHECK_FAIL, 0, 15, false, described);
	t_set_check(&r.checks[2], "order-quantity-validation", "t", CHECK_FAIL, 0, 15, false, described);
	t_set_check(&r.checks[3], "orders-private", "t", CHECK_FAIL, 0, 10, false, plain);
	EXPECT_INT(causes_find(&r, NULL), 0);
	EXPECT_INT((int)r.ncauses, 1);
	if (r.ncauses == 1) {
		EXPECT_STR(r.causes[0].text,
			   "POST /api/orders/ answered 400 {\"shipping_address\": [\"This field is required.\"]} (the "
			   "check sends product, quantity alone, as SPEC.md says: make shipping_address optional or "
			   "give it a default)");
		EXPECT_INT((int)r.causes[0].nchecks, 4);
	}
	grade_result_release(&r);
}

/* A common cause's hint for what the app logged: Django's ValidationError
 * in a DRF view (h395), a database constraint (h388), the stock's own
 * (h949), an async view's
 * unawaited coroutine, a coroutine used as its result (h514) and a
 * synchronous ORM call (h403), a row only the
 * author's database held (h408), a tag whose library is not loaded, i18n's
 * or another's (h446), request.body read in a DRF view (h463), PostgreSQL's
 * full-text search (h468), Django's csrf tag in a Jinja2 template (h724), a
 * hyperlinked field's view name outside its namespace (h722), a tuple of one
 * without its comma (h730), the admin's login named where the project has
 * no admin (h826), pydantic's refusal uncaught (h916), a Jinja2 call read
 * by Django's engine (h921). */
TEST(causes_hint_django_validation_errors_and_constraints)
{
	static const char *const logged[] = {
		"POST /api/orders/ as alice answered 500, a server error (the app logged: "
		"django.core.exceptions.ValidationError: {'quantity': ['Not enough stock.']}, at shop/models.py:40); "
		"expected 201",
		"POST /api/orders/ as alice answered 500, a server error (the app logged: "
		"django.db.utils.IntegrityError: CHECK constraint failed: stock_gte_0); expected 400",
		"POST /api/orders/ as alice answered 500, a server error (the app logged: "
		"django.db.utils.IntegrityError: CHECK constraint failed: quantity_gt_0); expected 400",
		"GET /api/orders/ as bob answered 500, a server error (the app logged: ValueError: The view "
		"store.views.order_list didn't return an HttpResponse object. It returned an unawaited coroutine ins\xe2\x80\xa6); "
		"expected 200",
		"POST /api/orders/ as alice answered 500, a server error (the app logged: "
		"django.core.exceptions.SynchronousOnlyOperation: You cannot call this from an async context - use a "
		"thread or sync_to_async., at store/views.py:31); expected 201",
		"GET /api/products/1/ as alice answered 500, a server error (the app logged: AttributeError: "
		"'coroutine' object has no attribute 'to_dict', at store/views.py:20); expected 200",
		"POST /api/orders/ as alice answered 500, a server error (the app logged: "
		"shop.models.TaxRate.DoesNotExist: TaxRate matching query does not exist., at shop/views.py:12); "
		"expected 201",
		"GET /tickets/1/ as alice answered 500, a server error (the app logged: TemplateSyntaxError: Invalid "
		"block tag on line 5: 'translate', expected 'endblock'. Did you forget to register or load t\xe2\x80\xa6, "
		"at tickets/views.py:38); expected 200",
		"GET /tickets/1/ as alice answered 500, a server error (the app logged: TemplateSyntaxError: Invalid "
		"block tag on line 9: 'endfor', expected 'endblock'. Did you forget to register or load this tag?); "
		"expected 200",
		"POST /api/products/ as staff answered 500, a server error (the app logged: RawPostDataException: You "
		"cannot access body after reading from request's data stream, at store/views.py:25); expected 201",
		"GET /api/products/ as anonymous answered 500, a server error (the app logged: "
		"django.db.utils.OperationalError: no such function: to_tsvector); expected 200",
		"GET /accounts/login/ as anonymous answered 500, a server error (the app logged: TemplateSyntaxError: "
		"(\"Encountered unknown tag 'csrf_token'. Jinja was looking for the following tags: 'endblock'. The "
		"i\xe2\x80\xa6); expected 200",
		"GET /api/products/ as anonymous answered 500, a server error (the app logged: ImproperlyConfigured: "
		"Could not resolve URL for hyperlinked relationship using view name \"product-detail\". You may "
		"have \xe2\x80\xa6); expected 200",
		"GET /admin/recipes/recipe/ as admin answered 500, a server error (the app logged: FieldDoesNotExist: "
		"Recipe has no field named 'c'); expected 200",
		"POST /tickets/13/status/ as alice answered 500, a server error (the app logged: "
		"django.urls.exceptions.NoReverseMatch: 'admin' is not a registered namespace)",
		"POST /api/orders/ as alice answered 500, a server error (the app logged: "
		"pydantic_core._pydantic_core.ValidationError: 1 validation error for OrderIn, at store/views.py:49); "
		"expected 400",
		"GET /accounts/login/?next=/recipes/new/ as anonymous answered 500, a server error (the app logged: "
		"django.template.exceptions.TemplateSyntaxError: Could not parse the remainder: '('login')' from "
		"'url('login')'); expected 200",
	};
	static const char *const hint[] = {
		"(Django's, a 500 under DRF: raise serializers.ValidationError)",
		"(the stock's constraint: refuse an order above the stock with a 400 before the update; keep "
		"it stock >= 0, as SPEC.md allows stock 0)",
		"(a database constraint refused a row: answer its IntegrityError with a 400, or, if SPEC.md allows "
		"the value, change the constraint)",
		"(a coroutine never awaited: await the async call, or drop a sync decorator, "
		"@transaction.atomic, from the async view)",
		"(the ORM called synchronously in an async view: await aget(), acreate(), auser(); "
		"select_related; sync_to_async a transaction)",
		"(a coroutine used as its result: await the async call, in an async def view)",
		"(every run's database starts empty: rows the app needs come from a data migration, not a "
		"committed db.sqlite3)",
		"(an i18n tag: {% load i18n %} at the top of that template; its base's load does not count)",
		"(a tag unknown there: load its library at the top of that template, or fix a misspelt or misplaced "
		"tag)",
		"(the body was read as a stream before request.body: in a DRF view read request.data)",
		"(PostgreSQL's search, and every run's database is SQLite: search with icontains)",
		"(Django's tag in a Jinja2 template: write {{ csrf_input }} there)",
		"(no URL is named as the hyperlinked field's view_name: with an app_name, "
		"prefix it, 'store:product-detail')",
		"(a name of one letter: a tuple of one written without its comma, (\"category\") where "
		"(\"category\",) is meant)",
		"(staff_member_required sends to the admin's login: include admin.site.urls, or test is_staff)",
		"(pydantic's refusal, uncaught: answer it with a 400, raising serializers.ValidationError)",
		"(a call with brackets, not Django's template syntax: Jinja2's, read by Django's engine? list Jinja2 "
		"first in TEMPLATES)",
	};
	size_t k;

	for (k = 0; k < sizeof(logged) / sizeof(logged[0]); k++) {
		struct grade_result r;

		memset(&r, 0, sizeof(r));
		r.status = RUN_GRADED;
		r.nchecks = 2;
		r.checks = calloc(2, sizeof(*r.checks));
		t_set_check(&r.checks[0], "order-create", "t", CHECK_FAIL, 0, 15, false, logged[k]);
		t_set_check(&r.checks[1], "orders-private", "t", CHECK_FAIL, 0, 10, false, logged[k]);
		EXPECT_INT(causes_find(&r, NULL), 0);
		EXPECT_INT((int)r.ncauses, 1);
		if (r.ncauses == 1 && !strstr(r.causes[0].text, hint[k]))
			printf("# %s\n", r.causes[0].text);
		EXPECT(r.ncauses == 1 && strstr(r.causes[0].text, hint[k]) != NULL);
		grade_result_release(&r);
	}
}

/* A foreign key failing: rows a default or a data migration names; but
 * beside models changed without their migration (migrations-current
 * failed, h436: a model moved to another app), the migration. */
/* One exception, quoted to different lengths by checks whose messages
 * had different room, is one cause (h464: two, "…GeneratedField…" and
 * "…Gen…"). */
TEST(causes_one_exception_cut_at_different_lengths)
{
	static const char *const msgs[] = {
		"an anonymous visitor lists the products: GET /api/products/ as anonymous answered 500, a server error "
		"(the app logged: AssertionError: AutoFilterSet resolved field 'in_stock' with 'exact' lookup to an "
		"unrecognized field type GeneratedField\xE2\x80\xA6); expected 200",
		"the product's stock afterwards: read at 2 addresses (/api/products/4/, /api/products/), none as "
		"expected; nearest: GET /api/products/4/ as staff answered 500, a server error (the app logged: "
		"AssertionError: AutoFilterSet resolved field 'in_stock' with 'exact' lookup to an unrecognized field "
		"type Gen\xE2\x80\xA6",
		"the product's stock before: read at 2 addresses (/api/products/7/, /api/products/), none as "
		"expected; nearest: GET /api/products/7/ as staff answered 500, a server error (the app logged: "
		"AssertionError: AutoFilterSet resolved field 'in_stock' with 'exact' lookup to an unrecognized field "
		"type Generat\xE2\x80\xA6",
	};
	struct grade_result r;
	size_t k;

	memset(&r, 0, sizeof(r));
	r.status = RUN_GRADED;
	r.nchecks = 3;
	r.checks = calloc(3, sizeof(*r.checks));
	for (k = 0; k < 3; k++) {
		char id[16];

		snprintf(id, sizeof(id), "c%zu", k);
		t_set_check(&r.checks[k], id, "t", CHECK_FAIL, 0, 10, false, msgs[k]);
	}
	EXPECT_INT(causes_find(&r, NULL), 0);
	EXPECT_INT((int)r.ncauses, 1);
	if (r.ncauses == 1) {
		EXPECT_INT((int)r.causes[0].nchecks, 3);
		EXPECT(strstr(r.causes[0].text, "unrecognized field type GeneratedField\xE2\x80\xA6") != NULL);
	}
	grade_result_release(&r);
}

TEST(causes_foreign_key_beside_a_missing_migration)
{
	static const char logged[] = "POST /api/orders/ as alice answered 500, a server error (the app logged: "
				     "django.db.utils.IntegrityError: FOREIGN KEY constraint failed); expected 201";
	int stale;

	for (stale = 0; stale < 2; stale++) {
		struct grade_result r;

		memset(&r, 0, sizeof(r));
		r.status = RUN_GRADED;
		r.nchecks = 3;
		r.checks = calloc(3, sizeof(*r.checks));
		t_set_check(&r.checks[0], "order-create", "t", CHECK_FAIL, 0, 15, false, logged);
		t_set_check(&r.checks[1], "orders-private", "t", CHECK_FAIL, 0, 10, false, logged);
		t_set_check(&r.checks[2], "migrations-current", "t", stale ? CHECK_FAIL : CHECK_PASS, 0, 0, true,
			    stale ? "makemigrations --check found changes: orders.Order" : NULL);
		EXPECT_INT(causes_find(&r, NULL), 0);
		EXPECT(r.ncauses >= 1);
		if (r.ncauses >= 1)
			EXPECT(strstr(r.causes[0].text, stale ? "(a model changed without its migration? run makemigrations"
							      : "(a foreign key names no row: a field's default") != NULL);
		grade_result_release(&r);
	}
}

int main(void)
{
	RUN(causes_keep_the_hint_whole_and_an_unkept_number_first);
	RUN(causes_one_answer_said_plainly_and_in_a_checks_words);
	RUN(causes_hint_django_validation_errors_and_constraints);
	RUN(causes_one_exception_cut_at_different_lengths);
	RUN(causes_foreign_key_beside_a_missing_migration);
	RUN(json_matches_contract_keys_and_order);
	RUN(json_class_context);
	RUN(json_not_graded_nulls);
	RUN(json_not_graded_without_diagnosis_still_has_one);
	RUN(json_invalid_utf8_repaired);
	RUN(text_has_rows_and_total);
	RUN(text_names_where_requirements_belong);
	RUN(text_warning_shown_whole);
	RUN(text_says_how_users_signed_in);
	RUN(text_colour_and_only_not_passed);
	RUN(text_not_graded_shows_diagnosis);
	RUN(text_hostile_message_is_safe);
	RUN(text_respects_output_ceiling);
	T_EXIT();
}
