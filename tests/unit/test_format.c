/*
 * test_format.c - format.h's rules that need no external reader: format
 * names, format_table[] against docs/formats.md, the visibility rule, ISO times, the report reader's errors, and
 * bytes no XML or JSON reader can carry (invalid UTF-8, control characters)
 * never reaching the output. The formats themselves are fed to their real
 * readers in tests/e2e/test_formats.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <libxml/parser.h>

#include "buf.h"
#include "err.h"
#include "format.h"
#include "report.h"
#include "t.h"

static void t_result(struct grade_result *r, const char *msg, enum check_visibility vis)
{
	memset(r, 0, sizeof(*r));
	r->challenge_id = strdup("ecommerce-api");
	r->challenge_title = strdup("E-Commerce REST API");
	memset(r->suite_sha256, 'a', 64);
	r->source = strdup("/srv/alice");
	r->ref = strdup("HEAD");
	memset(r->commit, 'b', 40);
	r->status = RUN_GRADED;
	r->score = 0;
	r->max_score = 20;
	r->nchecks = 1;
	r->checks = calloc(1, sizeof(*r->checks));
	r->checks[0].id = strdup("order-out-of-stock");
	r->checks[0].title = strdup("Out of stock");
	r->checks[0].category = strdup("validation");
	r->checks[0].status = CHECK_FAIL;
	r->checks[0].max_points = 20;
	r->checks[0].message = strdup(msg);
	r->checks[0].visibility = vis;
}

TEST(parse_names_every_format)
{
	static const char *names[] = {"text", "json", "junit", "gradescope", "classroom",
				      "markdown", "shields", "badge"};
	enum report_format f;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		EXPECT(format_parse(names[i], &f) == 0);
		EXPECT_STR(format_name(f), names[i]);
	}
	EXPECT(format_parse("JUnit", &f) < 0);
	EXPECT(strstr(err_last(), "unknown format 'JUnit'"));
	EXPECT(strstr(err_last(), FORMAT_NAMES));
}

/* format_table[] keeps --format honest: every row has a name, a writer
 * that renders a result, and is what format_parse() accepts and the
 * usage lines list; names are unique. */
TEST(format_table_rows_are_complete)
{
	struct grade_result r;
	struct format_opts o = FORMAT_OPTS_INIT;
	enum report_format f;
	char small[8];
	size_t i, j;

	t_result(&r, "expected 400, got 201", VIS_VISIBLE);
	for (i = 0; i < FORMAT_COUNT; i++) {
		struct gbuf out = GBUF_INIT(1 << 20);
		const char *name = format_table[i].name;
		int rc;

		if (!name || !*name || !format_table[i].write)
			printf("# format_table[%zu] has no name or no writer\n", i);
		EXPECT(name && *name && format_table[i].write);
		EXPECT_INT(strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-"), strlen(name));
		for (j = 0; j < i; j++)
			EXPECT(strcmp(format_table[j].name, name) != 0);
		EXPECT(format_parse(name, &f) == 0);
		EXPECT_INT(f, i);
		EXPECT_STR(format_name(f), name);
		EXPECT(strstr(format_names(), name));
		rc = format_render(&r, f, &o, &out);
		if (rc < 0 || out.len == 0)
			printf("# format %s rendered nothing: %s\n", name, rc < 0 ? err_last() : "empty");
		EXPECT(rc == 0 && out.len > 0);
		gbuf_release(&out);
	}
	grade_result_release(&r);
	EXPECT(format_render(&r, FORMAT_COUNT, &o, NULL) < 0);
	EXPECT(strstr(err_last(), "unknown format"));
	EXPECT(format_names_join(small, sizeof(small), ", ", " or ", true) < 0);
}

/* The first backquoted word of each row of docs/formats.md's table of
 * formats (the one headed "| `--format` |"), "\n"-terminated, into out.
 * The row count, -1 when the file or the table is missing. */
static int doc_formats(struct gbuf *out)
{
	struct gbuf md = GBUF_INIT(1 << 20);
	const char *p, *line, *nl;
	int n = -1;

	if (gbuf_read_file(&md, GRADER_DATADIR "/docs/formats.md") < 0)
		goto done;
	p = strstr(gbuf_str(&md), "\n| `--format` |");
	if (!p)
		goto done;
	n = 0;
	for (line = p + 1; line && *line == '|'; line = (nl = strchr(line, '\n')) ? nl + 1 : NULL) {
		if (strncmp(line, "| `", 3) || !strncmp(line, "| `--format`", 12))
			continue;
		gbuf_add(out, line + 3, strcspn(line + 3, "`"));
		gbuf_addch(out, '\n');
		n++;
	}
done:
	gbuf_release(&md);
	return n;
}

/* docs/formats.md's table lists exactly format_table[]'s names, in order. */
TEST(formats_match_the_documentation)
{
	struct gbuf doc = GBUF_INIT(1 << 16), want = GBUF_INIT(1 << 16);
	size_t i;
	bool same;
	int n;

	n = doc_formats(&doc);
	for (i = 0; i < FORMAT_COUNT; i++) {
		gbuf_adds(&want, format_table[i].name);
		gbuf_addch(&want, '\n');
	}
	same = !strcmp(gbuf_str(&doc), gbuf_str(&want));
	if (!same)
		printf("# docs/formats.md lists:\n%s# format_table[] has:\n%s", gbuf_str(&doc), gbuf_str(&want));
	gbuf_release(&doc);
	gbuf_release(&want);
	EXPECT_INT(n, FORMAT_COUNT);
	EXPECT(same);
}

TEST(visibility_rule)
{
	struct check_result c;
	struct format_opts o = FORMAT_OPTS_INIT;

	memset(&c, 0, sizeof(c));
	c.visibility = VIS_VISIBLE;
	EXPECT(!format_withholds(&c, FORMAT_TEXT, &o));
	c.visibility = VIS_HIDDEN;
	EXPECT(format_withholds(&c, FORMAT_TEXT, &o));
	EXPECT(format_withholds(&c, FORMAT_BADGE, NULL));
	EXPECT(!format_withholds(&c, FORMAT_GRADESCOPE, &o));
	o.due = 1000;
	o.now = 2000;
	EXPECT(format_withholds(&c, FORMAT_MARKDOWN, &o));       /* hidden stays hidden */
	c.visibility = VIS_AFTER_DUE_DATE;
	EXPECT(!format_withholds(&c, FORMAT_MARKDOWN, &o));      /* past the due date */
	o.now = 999;
	EXPECT(format_withholds(&c, FORMAT_MARKDOWN, &o));       /* before it */
	o.due = 0;
	EXPECT(format_withholds(&c, FORMAT_MARKDOWN, &o));       /* no due date: not released */
	o.show_hidden = true;
	EXPECT(!format_withholds(&c, FORMAT_MARKDOWN, &o));
}

TEST(withheld_message_replaced_in_text_and_json)
{
	struct grade_result r;
	struct format_opts o = FORMAT_OPTS_INIT;
	struct gbuf out = GBUF_INIT(0);

	t_result(&r, "sent X, expected Y", VIS_HIDDEN);
	EXPECT(format_render(&r, FORMAT_TEXT, &o, &out) == 0);
	EXPECT(!strstr(gbuf_str(&out), "expected Y"));
	EXPECT(strstr(gbuf_str(&out), FORMAT_WITHHELD));
	gbuf_reset(&out);
	EXPECT(format_render(&r, FORMAT_JSON, &o, &out) == 0);
	EXPECT(!strstr(gbuf_str(&out), "expected Y"));
	EXPECT(strstr(gbuf_str(&out), "\"visibility\":\t\"hidden\""));
	/* The result itself keeps its message: only the rendering withholds it. */
	EXPECT_STR(r.checks[0].message, "sent X, expected Y");
	gbuf_release(&out);
	grade_result_release(&r);
}

/* Invalid UTF-8, C0/C1 controls and bidi overrides in a message: the XML
 * readers must still parse the JUnit and badge output, and JSON stays JSON. */
TEST(hostile_bytes_stay_out_of_xml_and_json)
{
	static const enum report_format fs[] = {FORMAT_JUNIT, FORMAT_BADGE};
	struct grade_result r;
	struct format_opts o = FORMAT_OPTS_INIT;
	struct gbuf out = GBUF_INIT(0);
	size_t i;

	t_result(&r, "bad \xff\xfe utf8 \x01\x1b[2J \xc2\x85 \xe2\x80\xae ]]> <x> & \"q\"", VIS_VISIBLE);
	free(r.challenge_title);
	r.challenge_title = strdup("Title \x07 with <b>tags</b> & \xed\xa0\x80");
	for (i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
		xmlDocPtr doc;

		gbuf_reset(&out);
		EXPECT(format_render(&r, fs[i], &o, &out) == 0);
		doc = xmlReadMemory(out.data, (int)out.len, "x.xml", "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
		EXPECT(doc != NULL);
		xmlFreeDoc(doc);
		EXPECT(!memchr(out.data, 0x1b, out.len));
		EXPECT(!strstr(gbuf_str(&out), "\xe2\x80\xae"));
	}
	gbuf_reset(&out);
	EXPECT(format_render(&r, FORMAT_GRADESCOPE, &o, &out) == 0);
	{
		cJSON *j = cJSON_Parse(gbuf_str(&out));

		EXPECT(j != NULL);
		cJSON_Delete(j);
	}
	gbuf_release(&out);
	grade_result_release(&r);
}

TEST(iso_times)
{
	time_t t;

	EXPECT(format_parse_time("2026-05-01", &t) == 0);
	EXPECT_INT(t, 1777593600);
	EXPECT(format_parse_time("2026-05-01T23:59:00Z", &t) == 0);
	EXPECT_INT(t, 1777593600 + 86340);
	EXPECT(format_parse_time("2026-05-01T23:59:00+02:00", &t) == 0);
	EXPECT_INT(t, 1777593600 + 86340 - 7200);
	EXPECT(format_parse_time("2026-05-01T10:00-01:30", &t) == 0);
	EXPECT_INT(t, 1777593600 + 36000 + 5400);
	EXPECT(format_parse_time("yesterday", &t) < 0);
	EXPECT(strstr(err_last(), "'yesterday' is not an ISO 8601 time"));
	EXPECT(format_parse_time("2026-13-01", &t) < 0);
	EXPECT(format_parse_time("2026-05-01T25:00Z", &t) < 0);
	EXPECT(format_parse_time("2026-05-01T10:00Zjunk", &t) < 0);
}

TEST(reader_names_what_is_wrong)
{
	struct grade_result r;
	const char *no_score = "{\"challenge\":{\"id\":\"x\"},\"submission\":{},\"status\":\"graded\","
			       "\"max_score\":1,\"checks\":[]}";
	const char *bad_commit = "{\"challenge\":{\"id\":\"x\"},\"submission\":{\"commit\":\"zz\"},"
				 "\"status\":\"graded\",\"score\":1,\"max_score\":1,\"checks\":[]}";
	const char *bad_check = "{\"challenge\":{\"id\":\"x\"},\"submission\":{},\"status\":\"graded\","
				"\"score\":1,\"max_score\":1,\"checks\":[{\"id\":\"a\",\"status\":\"pass\",\"points\":\"1\"}]}";
	const char *good = "{\"challenge\":{\"id\":\"x\",\"suite_sha256\":null},\"submission\":{\"commit\":null},"
			   "\"status\":\"timed-out\",\"score\":0,\"max_score\":5,\"diagnosis\":\"slow\","
			   "\"checks\":[{\"id\":\"a\",\"points\":0,\"max_points\":5,\"status\":\"error\","
			   "\"visibility\":\"after_due_date\"}]}";

	EXPECT(format_read_report(no_score, strlen(no_score), "r.json", &r) < 0);
	EXPECT(strstr(err_last(), "r.json: the report has no 'score'"));
	grade_result_release(&r);
	EXPECT(format_read_report(bad_commit, strlen(bad_commit), "r.json", &r) < 0);
	EXPECT(strstr(err_last(), "submission.commit is not 40 hex digits"));
	grade_result_release(&r);
	EXPECT(format_read_report(bad_check, strlen(bad_check), "r.json", &r) < 0);
	EXPECT(strstr(err_last(), "r.json: 'checks[0].points' is not a number"));
	grade_result_release(&r);
	EXPECT(format_read_report("[1]", 3, "r.json", &r) < 0);
	grade_result_release(&r);
	EXPECT(format_read_report(good, strlen(good), "r.json", &r) == 0);
	EXPECT_INT(r.status, RUN_TIMED_OUT);
	EXPECT_INT(r.nchecks, 1);
	EXPECT_INT(r.checks[0].visibility, VIS_AFTER_DUE_DATE);
	EXPECT_STR(r.diagnosis, "slow");
	EXPECT_STR(r.commit, "");
	grade_result_release(&r);
}

/* boot_phases_ms (issue 13) reads back when present, is optional (older
 * reports lack it, stored runs have null), and a wrong type is named. */
TEST(reader_takes_boot_phases_or_none)
{
	struct grade_result r;
	const char *with = "{\"challenge\":{\"id\":\"x\"},\"submission\":{},\"status\":\"graded\","
			   "\"score\":0,\"max_score\":0,\"checks\":[],\"boot_phases_ms\":{\"start\":150,"
			   "\"import\":180,\"setup\":200,\"migrate\":250,\"users\":null,\"serve\":110}}";
	const char *null = "{\"challenge\":{\"id\":\"x\"},\"submission\":{},\"status\":\"graded\","
			   "\"score\":0,\"max_score\":0,\"checks\":[],\"boot_phases_ms\":null}";
	const char *bad = "{\"challenge\":{\"id\":\"x\"},\"submission\":{},\"status\":\"graded\","
			  "\"score\":0,\"max_score\":0,\"checks\":[],\"boot_phases_ms\":{\"migrate\":\"1\"}}";

	EXPECT(format_read_report(with, strlen(with), "r.json", &r) == 0);
	EXPECT(r.boot_phases_known);
	EXPECT_INT(r.t_boot_phase_ms[0], 150);
	EXPECT_INT(r.t_boot_phase_ms[3], 250);
	EXPECT_INT(r.t_boot_phase_ms[4], -1);
	EXPECT_INT(r.t_boot_phase_ms[5], 110);
	grade_result_release(&r);
	EXPECT(format_read_report(null, strlen(null), "r.json", &r) == 0);
	EXPECT(!r.boot_phases_known);
	grade_result_release(&r);
	EXPECT(format_read_report(bad, strlen(bad), "r.json", &r) < 0);
	EXPECT(strstr(err_last(), "r.json: 'boot_phases_ms.migrate' is not a number"));
	grade_result_release(&r);
}

/* checks_timing_ms (issue 13) reads back: the run's split and each check's
 * (matched by id); optional; a wrong type is named. */
TEST(reader_takes_checks_timing_or_none)
{
	struct grade_result r;
	const char *with = "{\"challenge\":{\"id\":\"x\"},\"submission\":{},\"status\":\"graded\","
			   "\"score\":0,\"max_score\":0,\"checks\":[{\"id\":\"a\",\"title\":\"A\","
			   "\"category\":\"c\",\"points\":0,\"max_points\":0,\"status\":\"pass\","
			   "\"message\":null,\"duration_ms\":3}],\"checks_timing_ms\":{\"requests\":2,"
			   "\"connects\":1,\"connect\":0.5,\"app\":9.5,\"receive\":0.1,\"http\":0.2,"
			   "\"grader\":1.25,\"by_check\":[{\"id\":\"a\",\"requests\":2,\"app\":9.5}]}}";
	const char *bad = "{\"challenge\":{\"id\":\"x\"},\"submission\":{},\"status\":\"graded\","
			  "\"score\":0,\"max_score\":0,\"checks\":[],\"checks_timing_ms\":{\"app\":\"1\"}}";

	EXPECT(format_read_report(with, strlen(with), "r.json", &r) == 0);
	EXPECT(r.checks_split_known);
	EXPECT_INT(r.t_checks_split.requests, 2);
	EXPECT_INT(r.t_checks_split.connects, 1);
	EXPECT_INT(r.t_checks_split.app_us, 9500);
	EXPECT_INT(r.t_checks_split.grader_us, 1250);
	EXPECT_INT(r.nchecks, 1);
	EXPECT_INT(r.checks[0].timing.requests, 2);
	EXPECT_INT(r.checks[0].timing.app_us, 9500);
	EXPECT_INT(r.checks[0].timing.connect_us, 0);
	grade_result_release(&r);
	EXPECT(format_read_report(bad, strlen(bad), "r.json", &r) < 0);
	EXPECT(strstr(err_last(), "r.json: 'checks_timing_ms.app' is not a number"));
	grade_result_release(&r);
}

/* environment.left_out (session 30) reads back as "LINE\tWHY"; a report
 * without it (older) has none; an item without its strings is named. */
TEST(reader_takes_left_out_or_none)
{
	struct grade_result r;
	const char *with = "{\"challenge\":{\"id\":\"x\"},\"submission\":{},\"status\":\"graded\","
			   "\"score\":0,\"max_score\":0,\"checks\":[],\"environment\":{\"python\":\"3.11.2\","
			   "\"inferred\":[],\"relaxed\":[],\"left_out\":[{\"line\":\"pywin32==306\","
			   "\"why\":\"Windows only\"}]}}";
	const char *without = "{\"challenge\":{\"id\":\"x\"},\"submission\":{},\"status\":\"graded\","
			      "\"score\":0,\"max_score\":0,\"checks\":[],\"environment\":{\"python\":\"3.11.2\"}}";
	const char *bad = "{\"challenge\":{\"id\":\"x\"},\"submission\":{},\"status\":\"graded\","
			  "\"score\":0,\"max_score\":0,\"checks\":[],\"environment\":{\"python\":\"3.11.2\","
			  "\"left_out\":[{\"line\":\"pywin32==306\"}]}}";

	EXPECT(format_read_report(with, strlen(with), "r.json", &r) == 0);
	EXPECT_INT(r.nenv_left_out, 1);
	if (r.nenv_left_out == 1)
		EXPECT_STR(r.env_left_out[0], "pywin32==306\tWindows only");
	grade_result_release(&r);
	EXPECT(format_read_report(without, strlen(without), "r.json", &r) == 0);
	EXPECT_INT(r.nenv_left_out, 0);
	grade_result_release(&r);
	EXPECT(format_read_report(bad, strlen(bad), "r.json", &r) < 0);
	EXPECT(strstr(err_last(), "environment.left_out[0] has no string 'line' and 'why'"));
	grade_result_release(&r);
}

/* environment.django (session 36) reads back, and the text of a report
 * converted from JSON ends its environment line with it; older reports
 * have none, and say none. */
TEST(reader_takes_django_or_none)
{
	struct grade_result r;
	struct gbuf out = GBUF_INIT(0);
	const char *with = "{\"challenge\":{\"id\":\"x\"},\"submission\":{},\"status\":\"graded\","
			   "\"score\":0,\"max_score\":0,\"checks\":[],\"environment\":{\"python\":\"3.11.2\","
			   "\"requirements_source\":\"requirements.txt\",\"django\":\"4.2.16\"}}";
	const char *without = "{\"challenge\":{\"id\":\"x\"},\"submission\":{},\"status\":\"graded\","
			      "\"score\":0,\"max_score\":0,\"checks\":[],\"environment\":{\"python\":\"3.11.2\"}}";

	EXPECT(format_read_report(with, strlen(with), "r.json", &r) == 0);
	EXPECT(r.env_django && !strcmp(r.env_django, "4.2.16"));
	EXPECT_INT(report_text(&r, &out), 0);
	EXPECT(strstr(gbuf_str(&out), "requirements: requirements.txt; Django 4.2.16\n") != NULL);
	grade_result_release(&r);
	gbuf_reset(&out);
	EXPECT(format_read_report(without, strlen(without), "r.json", &r) == 0);
	EXPECT(r.env_django == NULL);
	EXPECT_INT(report_text(&r, &out), 0);
	EXPECT(strstr(gbuf_str(&out), "Django") == NULL);
	grade_result_release(&r);
	gbuf_release(&out);
}

/* causes read back, so that `grader convert REPORT.json --format text`
 * says the common causes and suggested grader.yaml lines the grade said;
 * optional; a wrong type is named. */
TEST(reader_takes_causes_or_none)
{
	struct grade_result r;
	struct gbuf text = GBUF_INIT(1 << 20);
	const char *with = "{\"challenge\":{\"id\":\"x\"},\"submission\":{},\"status\":\"graded\","
			   "\"score\":0,\"max_score\":0,\"checks\":[],\"causes\":[{\"cause\":"
			   "\"requests under /tickets/ answered 404 (e.g. GET /tickets/)\",\"checks\":[\"a\",\"b\"],"
			   "\"routes\":[\"/tickets/: /support/\"]}]}";
	const char *bad = "{\"challenge\":{\"id\":\"x\"},\"submission\":{},\"status\":\"graded\","
			  "\"score\":0,\"max_score\":0,\"checks\":[],\"causes\":[{\"cause\":\"c\","
			  "\"checks\":[],\"routes\":[5]}]}";
	struct format_opts fo;

	EXPECT(format_read_report(with, strlen(with), "r.json", &r) == 0);
	EXPECT_INT(r.ncauses, 1);
	EXPECT_STR(r.causes[0].text, "requests under /tickets/ answered 404 (e.g. GET /tickets/)");
	EXPECT_INT(r.causes[0].nchecks, 2);
	EXPECT_STR(r.causes[0].checks[1], "b");
	EXPECT_INT(r.causes[0].nroutes, 1);
	EXPECT_STR(r.causes[0].routes[0], "/tickets/: /support/");
	memset(&fo, 0, sizeof(fo));
	EXPECT(format_render(&r, FORMAT_TEXT, &fo, &text) == 0);
	EXPECT(strstr(gbuf_str(&text), "Common causes:") != NULL);
	EXPECT(strstr(gbuf_str(&text), "/tickets/: /support/") != NULL);
	gbuf_release(&text);
	grade_result_release(&r);
	EXPECT(format_read_report(bad, strlen(bad), "r.json", &r) < 0);
	EXPECT(strstr(err_last(), "r.json: 'causes[0].routes[0]' is not a string"));
	grade_result_release(&r);
}

int main(void)
{
	RUN(parse_names_every_format);
	RUN(format_table_rows_are_complete);
	RUN(formats_match_the_documentation);
	RUN(reader_takes_checks_timing_or_none);
	RUN(reader_takes_causes_or_none);
	RUN(reader_takes_left_out_or_none);
	RUN(reader_takes_django_or_none);
	RUN(visibility_rule);
	RUN(withheld_message_replaced_in_text_and_json);
	RUN(hostile_bytes_stay_out_of_xml_and_json);
	RUN(iso_times);
	RUN(reader_names_what_is_wrong);
	RUN(reader_takes_boot_phases_or_none);
	T_EXIT();
}
