/*
 * format.c - a grade_result in every format another tool reads (format.h).
 *
 * Design:
 *  - One dispatcher, format_render(); each format is one static function,
 *    named with its --format word by a row of format_table[] (at the end),
 *    that reads a *view* of the result in which withheld messages are
 *    already replaced (format_view_make), so no renderer can forget the
 *    visibility rule. Gradescope alone gets the full result.
 *  - Untrusted text (messages, diagnosis, source, even titles of an
 *    instructor's own challenge) goes through format_clean() first: valid
 *    UTF-8, no control characters, no bidi overrides, bounded. Then each
 *    format escapes for its reader: libxml2 escapes XML (JUnit, SVG), cJSON
 *    escapes JSON, Markdown puts messages in code spans (no markup, links,
 *    mentions or HTML can come out of a message) with `|` escaped for tables.
 *  - The badge and shields share one colour scale, so a 73/100 is the same
 *    colour everywhere.
 */
#include "format.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <openssl/evp.h>

#include "boot.h"
#include "err.h"
#include "report.h"

#define FORMAT_MSG_MAX 4096       /* bytes of a message carried by a format */
#define FORMAT_DIAG_MAX 16384     /* bytes of a diagnosis */
#define FORMAT_FIELD_MAX 300      /* bytes of a title, id, source */
#define FORMAT_LABEL_MAX 48       /* code points of a badge label */
#define FORMAT_REPORT_MAX ((size_t)64 << 20)

/* format_table[] (the formats, their names and writers) is at the end of
 * this file, after the writers it points to. */

int format_parse(const char *name, enum report_format *f)
{
	size_t i;
	int rc = -1;

	for (i = 0; i < FORMAT_COUNT; i++)
		if (name && !strcmp(name, format_table[i].name)) {
			*f = (enum report_format)i;
			rc = 0;
		}
	if (rc < 0)
		err_set("unknown format '%s'; expected one of %s", name ? name : "",
			FORMAT_NAMES);
	return rc;
}

const char *format_name(enum report_format f)
{
	return (size_t)f < FORMAT_COUNT ? format_table[f].name : format_table[FORMAT_TEXT].name;
}

int format_names_join(char *buf, size_t n, const char *sep, const char *last, bool mark_default)
{
	size_t i, len = 0;
	int w;

	if (n)
		buf[0] = '\0';
	for (i = 0; i < FORMAT_COUNT; i++) {
		w = snprintf(buf + len, n - len, "%s%s%s",
			     i == 0 ? "" : (i + 1 == FORMAT_COUNT && last ? last : sep),
			     format_table[i].name, i == 0 && mark_default ? " (default)" : "");
		if (w < 0 || (size_t)w >= n - len)
			return err_set("the format names do not fit in %zu bytes", n);
		len += (size_t)w;
	}
	return 0;
}

/* Made once, for every thread (format_parse runs in the service's too). */
static char format_names_buf[512];
static pthread_once_t format_names_once = PTHREAD_ONCE_INIT;

static void format_names_make(void)
{
	/* 512 bytes hold far more names than there are formats; the unit
	 * test checks every name is in the result. */
	if (format_names_join(format_names_buf, sizeof(format_names_buf), "|", NULL, false) < 0)
		format_names_buf[0] = '\0';
}

const char *format_names(void)
{
	pthread_once(&format_names_once, format_names_make);
	return format_names_buf;
}

/* ---- cleaning untrusted text -------------------------------------------- */

/* Code points no reader below may receive: C0/C1 controls (XML 1.0 forbids
 * most; terminals act on them), bidi overrides ("Trojan Source"), and the
 * noncharacters XML forbids. */
static bool format_cp_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C || cp == 0xFFFE || cp == 0xFFFF;
}

/*
 * Append s re-encoded: invalid UTF-8 as U+FFFD, unsafe code points as a
 * space (a newline kept when `lines`), at most `max` bytes cut on a
 * character boundary with "…" when cut.
 */
static int format_clean(struct gbuf *b, const char *s, bool lines, size_t max)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)u);
	size_t i = 0, out = 0;
	int rc = 0;

	while (i < len && rc == 0) {
		uint32_t cp = 0;
		size_t n = utf8_decode(u + i, len - i, &cp);
		const char *piece = (const char *)u + i;
		size_t plen = n;

		if (n == 0) {
			piece = "\xEF\xBF\xBD";
			plen = 3;
			n = 1;
		} else if (format_cp_unsafe(cp)) {
			piece = (cp == '\n' && lines) ? "\n" : " ";
			plen = 1;
			if (cp == '\r' && lines && i + 1 < len && u[i + 1] == '\n')
				plen = 0;
		}
		if (out + plen > max)
			break;
		if (plen)
			rc = gbuf_add(b, piece, plen);
		out += plen;
		i += n;
	}
	if (rc == 0 && i < len)
		rc = gbuf_adds(b, "\xE2\x80\xA6");
	return rc;
}

/* A cleaned, malloc'd copy (one line unless `lines`); NULL + err on OOM. */
static char *format_cleaned(const char *s, bool lines, size_t max)
{
	struct gbuf b = GBUF_INIT(max + 8);
	char *ret = NULL;

	if (format_clean(&b, s, lines, max) == 0)
		ret = gbuf_detach(&b, NULL);
	gbuf_release(&b);
	if (!ret)
		err_set("out of memory");
	return ret;
}

/* ---- visibility ------------------------------------------------------------ */

bool format_withholds(const struct check_result *c, enum report_format f,
		      const struct format_opts *o)
{
	time_t now;

	if (((size_t)f < FORMAT_COUNT && format_table[f].full_result) || (o && o->show_hidden) || c->visibility == VIS_VISIBLE)
		return false;
	if (c->visibility == VIS_HIDDEN)
		return true;
	/* after_due_date: released once the due time has passed. */
	now = o && o->now ? o->now : time(NULL);
	return !(o && o->due && now >= o->due);
}

/* A shallow copy of r whose checks array is private, withheld messages
 * replaced by FORMAT_WITHHELD (a static string): free only view->checks. */
static int format_view_make(const struct grade_result *r, enum report_format f,
			    const struct format_opts *o, struct grade_result *view)
{
	size_t i;

	*view = *r;
	view->checks = NULL;
	if (!r->nchecks)
		return 0;
	view->checks = calloc(r->nchecks, sizeof(*view->checks));
	if (!view->checks)
		return err_set("out of memory");
	for (i = 0; i < r->nchecks; i++) {
		view->checks[i] = r->checks[i];
		if (r->checks[i].status != CHECK_PASS && format_withholds(&r->checks[i], f, o))
			view->checks[i].message = (char *)FORMAT_WITHHELD;
	}
	return 0;
}

/* ---- shared facts -------------------------------------------------------- */

struct format_tally {
	size_t tests, failures, errors, skipped;
	bool all_pass;      /* every scored check passed */
};

static void format_count(const struct grade_result *r, struct format_tally *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	t->all_pass = true;
	for (i = 0; i < r->nchecks; i++) {
		const struct check_result *c = &r->checks[i];

		t->tests++;
		if (c->status != CHECK_PASS && !c->advisory)
			t->all_pass = false;
		if (c->advisory)
			continue;   /* a warning: reported, never a failure */
		if (c->status == CHECK_FAIL)
			t->failures++;
		else if (c->status == CHECK_ERROR)
			t->errors++;
		else if (c->status == CHECK_SKIP)
			t->skipped++;
	}
}

/* The shields.io named colour and its hex value for a score. */
struct format_colour {
	const char *name;
	const char *hex;
};

static struct format_colour format_colour_for(const struct grade_result *r)
{
	static const struct format_colour scale[] = {
		{"brightgreen", "#44cc11"}, {"green", "#97ca00"}, {"yellowgreen", "#a4a61d"},
		{"yellow", "#dfb317"}, {"orange", "#fe7d37"}, {"red", "#e05d44"},
		{"lightgrey", "#9f9f9f"},
	};
	double pct;

	if (r->status != RUN_GRADED || r->max_score <= 0)
		return scale[6];
	pct = 100.0 * r->score / r->max_score;
	if (pct >= 100.0)
		return scale[0];
	if (pct >= 80.0)
		return scale[1];
	if (pct >= 60.0)
		return scale[2];
	if (pct >= 40.0)
		return scale[3];
	if (pct >= 20.0)
		return scale[4];
	return scale[5];
}

/* "85/100", or the run status when it was not graded. */
static void format_score_text(const struct grade_result *r, char *s, size_t n)
{
	if (r->status == RUN_GRADED)
		snprintf(s, n, "%d/%d", r->score, r->max_score);
	else
		snprintf(s, n, "%s", run_status_name(r->status));
}

static const char *format_title(const struct grade_result *r)
{
	if (r->challenge_title && *r->challenge_title)
		return r->challenge_title;
	return r->challenge_id && *r->challenge_id ? r->challenge_id : "grader";
}

/* "id: title" (or the id alone). */
static int format_check_name(struct gbuf *b, const struct check_result *c)
{
	if (format_clean(b, c->id, false, FORMAT_FIELD_MAX) < 0)
		return -1;
	if (c->title && *c->title &&
	    (gbuf_adds(b, ": ") < 0 || format_clean(b, c->title, false, FORMAT_FIELD_MAX) < 0))
		return -1;
	return 0;
}

/* ---- text and JSON (report.c) ------------------------------------------------ */

/* The run's warnings (the source's, then the system checks'), each
 * "Warning: ..." after `sep` when b already holds text, for formats with
 * one free text of the whole run (Gradescope's output, JUnit's suite
 * system-out). Not cleaned here: each format cleans its text as it writes
 * it. 0 or -1. */
static int format_warning_lines(struct gbuf *b, const struct grade_result *r, const char *sep)
{
	const char *w[RESULT_WARNINGS_MAX];
	size_t i, n = result_warnings(r, w);

	for (i = 0; i < n; i++)
		if ((b->len && gbuf_adds(b, sep) < 0) || gbuf_adds(b, "Warning: ") < 0 || gbuf_adds(b, w[i]) < 0)
			return -1;
	return 0;
}

static int format_json_text(const struct grade_result *r, const struct format_opts *o, struct gbuf *out)
{
	cJSON *j = report_json(r);
	char *s = NULL;
	int rc = -1;

	if (!j)
		goto done;
	if (!(s = cJSON_Print(j))) {
		err_set("out of memory");
		goto done;
	}
	rc = (gbuf_adds(out, s) < 0 || gbuf_addch(out, '\n') < 0) ? -1 : 0;
done:
	free(s);
	cJSON_Delete(j);
	return rc;
}

/* ---- XML helpers (JUnit, SVG) ---------------------------------------------------- */

/* Attribute from untrusted text: cleaned, then escaped by libxml2. */
static int format_xml_prop(xmlNodePtr n, const char *name, const char *v, bool lines, size_t max)
{
	char *clean = format_cleaned(v, lines, max);
	int rc = -1;

	if (clean && xmlNewProp(n, BAD_CAST name, BAD_CAST clean))
		rc = 0;
	else if (clean)
		err_set("out of memory");
	free(clean);
	return rc;
}

static int format_xml_propf(xmlNodePtr n, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int format_xml_propf(xmlNodePtr n, const char *name, const char *fmt, ...)
{
	char v[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	return xmlNewProp(n, BAD_CAST name, BAD_CAST v) ? 0 : err_set("out of memory");
}

/* Child element with escaped text content (cleaned), or NULL + err. */
static xmlNodePtr format_xml_text_child(xmlNodePtr parent, const char *name, const char *text,
					bool lines, size_t max)
{
	char *clean = format_cleaned(text, lines, max);
	xmlNodePtr n = NULL;

	if (clean)
		n = xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST clean);
	if (clean && !n)
		err_set("out of memory");
	free(clean);
	return n;
}

/* Serialise doc as UTF-8 with an XML declaration, appended to out. */
static int format_xml_dump(xmlDocPtr doc, struct gbuf *out)
{
	xmlChar *mem = NULL;
	int size = 0;
	int rc = -1;

	xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
	if (!mem || size <= 0) {
		err_set("out of memory serialising XML");
		goto done;
	}
	rc = gbuf_add(out, mem, (size_t)size);
done:
	xmlFree(mem);
	return rc;
}

/* ---- JUnit XML ------------------------------------------------------------------ */

static int format_junit_property(xmlNodePtr props, const char *name, const char *value)
{
	xmlNodePtr p = xmlNewChild(props, NULL, BAD_CAST "property", NULL);

	if (!p)
		return err_set("out of memory");
	if (xmlNewProp(p, BAD_CAST "name", BAD_CAST name) == NULL)
		return err_set("out of memory");
	return format_xml_prop(p, "value", value ? value : "", false, FORMAT_FIELD_MAX);
}

static int format_junit_case(xmlNodePtr suite, const struct grade_result *r,
			     const struct check_result *c)
{
	struct gbuf cls = GBUF_INIT(2 * FORMAT_FIELD_MAX);
	xmlNodePtr tc = NULL, n = NULL;
	const char *msg = c->message && *c->message ? c->message : check_status_name(c->status);
	int rc = -1;

	if (!(tc = xmlNewChild(suite, NULL, BAD_CAST "testcase", NULL))) {
		err_set("out of memory");
		goto done;
	}
	/* classname groups checks by category in Jenkins' and GitLab's trees. */
	if (gbuf_adds(&cls, r->challenge_id ? r->challenge_id : "grader") < 0 ||
	    (c->category && *c->category &&
	     (gbuf_addch(&cls, '.') < 0 || gbuf_adds(&cls, c->category) < 0)))
		goto done;
	if (format_xml_prop(tc, "name", c->id, false, FORMAT_FIELD_MAX) < 0 ||
	    format_xml_prop(tc, "classname", gbuf_str(&cls), false, FORMAT_FIELD_MAX) < 0 ||
	    format_xml_propf(tc, "time", "%.3f", c->duration_ms / 1000.0) < 0)
		goto done;
	if (c->advisory) {
		/* Advisory: a warning, never a failure; said in system-out. */
		if (c->status != CHECK_PASS) {
			struct gbuf w = GBUF_INIT(FORMAT_MSG_MAX + 64);

			if (gbuf_adds(&w, "warning (advisory, not scored): ") < 0 ||
			    gbuf_adds(&w, msg) < 0 ||
			    !format_xml_text_child(tc, "system-out", gbuf_str(&w), true, FORMAT_MSG_MAX + 64)) {
				gbuf_release(&w);
				goto done;
			}
			gbuf_release(&w);
		}
		rc = 0;
		goto done;
	}
	switch (c->status) {
	case CHECK_PASS:
		break;
	case CHECK_FAIL:
	case CHECK_ERROR:
		n = format_xml_text_child(tc, c->status == CHECK_FAIL ? "failure" : "error", msg,
					  true, FORMAT_MSG_MAX);
		if (!n || format_xml_prop(n, "message", msg, false, FORMAT_MSG_MAX) < 0 ||
		    format_xml_prop(n, "type", check_status_name(c->status), false, 16) < 0)
			goto done;
		break;
	case CHECK_SKIP:
		if (!(n = xmlNewChild(tc, NULL, BAD_CAST "skipped", NULL))) {
			err_set("out of memory");
			goto done;
		}
		if (format_xml_prop(n, "message", msg, false, FORMAT_MSG_MAX) < 0)
			goto done;
		break;
	}
	if (c->title && *c->title && !format_xml_text_child(tc, "system-out", c->title, false,
							    FORMAT_FIELD_MAX))
		goto done;
	rc = 0;
done:
	gbuf_release(&cls);
	return rc;
}

static int format_junit(const struct grade_result *r, const struct format_opts *o, struct gbuf *out)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr suites = NULL, suite = NULL, props = NULL;
	struct format_tally t;
	char num[32];
	size_t i;
	int rc = -1;

	format_count(r, &t);
	/* A run that was not graded is one errored testcase carrying the
	 * diagnosis, so a CI job shows why instead of "0 tests". */
	if (r->status != RUN_GRADED) {
		t.tests++;
		t.errors++;
	}
	if (!doc || !(suites = xmlNewDocNode(doc, NULL, BAD_CAST "testsuites", NULL))) {
		err_set("out of memory");
		goto done;
	}
	xmlDocSetRootElement(doc, suites);
	if (format_xml_prop(suites, "name", format_title(r), false, FORMAT_FIELD_MAX) < 0 ||
	    format_xml_propf(suites, "tests", "%zu", t.tests) < 0 ||
	    format_xml_propf(suites, "failures", "%zu", t.failures) < 0 ||
	    format_xml_propf(suites, "errors", "%zu", t.errors) < 0 ||
	    format_xml_propf(suites, "time", "%.3f", r->t_total_ms / 1000.0) < 0)
		goto done;
	if (!(suite = xmlNewChild(suites, NULL, BAD_CAST "testsuite", NULL))) {
		err_set("out of memory");
		goto done;
	}
	if (format_xml_prop(suite, "name", r->challenge_id ? r->challenge_id : "grader", false,
			    FORMAT_FIELD_MAX) < 0 ||
	    format_xml_propf(suite, "tests", "%zu", t.tests) < 0 ||
	    format_xml_propf(suite, "failures", "%zu", t.failures) < 0 ||
	    format_xml_propf(suite, "errors", "%zu", t.errors) < 0 ||
	    format_xml_propf(suite, "skipped", "%zu", t.skipped) < 0 ||
	    format_xml_propf(suite, "time", "%.3f", r->t_total_ms / 1000.0) < 0)
		goto done;
	if (!(props = xmlNewChild(suite, NULL, BAD_CAST "properties", NULL))) {
		err_set("out of memory");
		goto done;
	}
	snprintf(num, sizeof(num), "%d", r->score);
	if (format_junit_property(props, "challenge", r->challenge_id) < 0 ||
	    format_junit_property(props, "challenge_title", r->challenge_title) < 0 ||
	    format_junit_property(props, "suite_sha256", r->suite_sha256) < 0 ||
	    format_junit_property(props, "commit", r->commit) < 0 ||
	    format_junit_property(props, "source", r->source) < 0 ||
	    format_junit_property(props, "status", run_status_name(r->status)) < 0 ||
	    format_junit_property(props, "score", num) < 0)
		goto done;
	snprintf(num, sizeof(num), "%d", r->max_score);
	if (format_junit_property(props, "max_score", num) < 0 ||
	    format_junit_property(props, "grader_version", GRADER_VERSION) < 0)
		goto done;
	for (i = 0; i < r->nchecks; i++)
		if (format_junit_case(suite, r, &r->checks[i]) < 0)
			goto done;
	if (r->status != RUN_GRADED) {
		xmlNodePtr tc = xmlNewChild(suite, NULL, BAD_CAST "testcase", NULL);
		xmlNodePtr e;
		const char *d = r->diagnosis ? r->diagnosis : "no diagnosis was recorded for this run";

		if (!tc || xmlNewProp(tc, BAD_CAST "name", BAD_CAST "grading") == NULL ||
		    format_xml_prop(tc, "classname", r->challenge_id ? r->challenge_id : "grader",
				    false, FORMAT_FIELD_MAX) < 0 ||
		    format_xml_propf(tc, "time", "%.3f", r->t_total_ms / 1000.0) < 0 ||
		    !(e = format_xml_text_child(tc, "error", d, true, FORMAT_DIAG_MAX)) ||
		    format_xml_prop(e, "message", d, false, FORMAT_MSG_MAX) < 0 ||
		    format_xml_prop(e, "type", run_status_name(r->status), false, 32) < 0) {
			err_set("out of memory");
			goto done;
		}
	}
	/* The run's warnings in the suite's system-out, after its testcases
	 * (schemas/junit.xsd): CI readers show it beside the suite. */
	{
		struct gbuf w = GBUF_INIT(2 * FORMAT_DIAG_MAX + 64);
		bool bad = format_warning_lines(&w, r, "\n") < 0 ||
			   (w.len && !format_xml_text_child(suite, "system-out", gbuf_str(&w), true,
							    2 * FORMAT_DIAG_MAX));

		gbuf_release(&w);
		if (bad)
			goto done;
	}
	rc = format_xml_dump(doc, out);
done:
	xmlFreeDoc(doc);
	return rc;
}

/* ---- JSON helpers ------------------------------------------------------------- */

static int format_json_str(cJSON *o, const char *key, const char *v, bool lines, size_t max)
{
	char *clean = format_cleaned(v, lines, max);
	int rc = -1;

	if (clean && cJSON_AddStringToObject(o, key, clean))
		rc = 0;
	else if (clean)
		err_set("out of memory");
	free(clean);
	return rc;
}

static int format_json_num(cJSON *o, const char *key, double v)
{
	return cJSON_AddNumberToObject(o, key, v) ? 0 : err_set("out of memory");
}

/* Print j (unformatted when !pretty) and a newline into out; frees j. */
static int format_json_emit(cJSON *j, bool pretty, struct gbuf *out)
{
	char *s = j ? (pretty ? cJSON_Print(j) : cJSON_PrintUnformatted(j)) : NULL;
	int rc = -1;

	if (!s)
		err_set("out of memory");
	else
		rc = (gbuf_adds(out, s) < 0 || gbuf_addch(out, '\n') < 0) ? -1 : 0;
	free(s);
	cJSON_Delete(j);
	return rc;
}

/* ---- Gradescope results.json ---------------------------------------------------- */

/* The run's summary line, for Gradescope's and Markdown's top-level output. */
static int format_summary(struct gbuf *b, const struct grade_result *r)
{
	char score[64];

	format_score_text(r, score, sizeof(score));
	if (format_clean(b, format_title(r), false, FORMAT_FIELD_MAX) < 0 ||
	    gbuf_addf(b, ": %s (%s). Challenge ", score, run_status_name(r->status)) < 0 ||
	    format_clean(b, r->challenge_id, false, FORMAT_FIELD_MAX) < 0 ||
	    gbuf_addf(b, ", suite sha256 %s; commit %s; grader %s.", r->suite_sha256,
		      r->commit[0] ? r->commit : "(none)", GRADER_VERSION) < 0)
		return -1;
	return 0;
}

static int format_gradescope(const struct grade_result *r, const struct format_opts *o, struct gbuf *out)
{
	cJSON *root = cJSON_CreateObject(), *tests, *extra, *t, *tags, *te;
	struct gbuf b = GBUF_INIT(2 * FORMAT_DIAG_MAX + 4096);
	size_t i;
	int rc = -1;

	if (!root)
		goto oom;
	/* The score is given at the top level: it is the grader's total, the
	 * same as the sum of the tests' scores when the run was graded. */
	if (format_json_num(root, "score", r->score) < 0 ||
	    format_json_num(root, "execution_time", r->t_total_ms / 1000.0) < 0)
		goto done;
	if (format_summary(&b, r) < 0)
		goto done;
	if (r->status != RUN_GRADED &&
	    (gbuf_adds(&b, "\n\nNot graded: ") < 0 ||
	     gbuf_adds(&b, r->diagnosis ? r->diagnosis : "no diagnosis was recorded") < 0))
		goto done;
	/* The top-level output is what every student sees: the warnings too
	 * (a system check error that explains a lost check, h341). */
	if (format_warning_lines(&b, r, "\n\n") < 0)
		goto done;
	if (format_json_str(root, "output", gbuf_str(&b), true, 2 * FORMAT_DIAG_MAX + 4096) < 0 ||
	    format_json_str(root, "output_format", "text", false, 16) < 0 ||
	    format_json_str(root, "test_output_format", "text", false, 16) < 0 ||
	    format_json_str(root, "stdout_visibility", "hidden", false, 16) < 0)
		goto done;
	if (!(extra = cJSON_AddObjectToObject(root, "extra_data")) ||
	    format_json_str(extra, "challenge", r->challenge_id, false, FORMAT_FIELD_MAX) < 0 ||
	    format_json_str(extra, "suite_sha256", r->suite_sha256, false, 64) < 0 ||
	    format_json_str(extra, "commit", r->commit, false, 40) < 0 ||
	    format_json_str(extra, "status", run_status_name(r->status), false, 32) < 0 ||
	    format_json_num(extra, "max_score", r->max_score) < 0 ||
	    format_json_str(extra, "grader_version", GRADER_VERSION, false, 32) < 0)
		goto done;
	if (!(tests = cJSON_AddArrayToObject(root, "tests")))
		goto oom;
	for (i = 0; i < r->nchecks; i++) {
		const struct check_result *c = &r->checks[i];
		char number[32];

		gbuf_reset(&b);
		if (!(t = cJSON_CreateObject()) || !cJSON_AddItemToArray(tests, t)) {
			cJSON_Delete(t);
			goto oom;
		}
		snprintf(number, sizeof(number), "%zu", i + 1);
		if (format_check_name(&b, c) < 0 ||
		    format_json_str(t, "name", gbuf_str(&b), false, 2 * FORMAT_FIELD_MAX + 8) < 0 ||
		    format_json_str(t, "number", number, false, 32) < 0 ||
		    format_json_num(t, "score", c->points) < 0 ||
		    format_json_num(t, "max_score", c->max_points) < 0 ||
		    format_json_str(t, "status", c->status == CHECK_PASS ? "passed" : "failed",
				    false, 16) < 0 ||
		    format_json_str(t, "output", c->status == CHECK_PASS ? "" : c->message, true,
				    FORMAT_MSG_MAX) < 0 ||
		    format_json_str(t, "visibility", check_visibility_name(c->visibility),
				    false, 32) < 0)
			goto done;
		if (!(tags = cJSON_AddArrayToObject(t, "tags")))
			goto oom;
		if (c->category && *c->category) {
			if (!(te = cJSON_CreateString(c->category)) || !cJSON_AddItemToArray(tags, te)) {
				cJSON_Delete(te);
				goto oom;
			}
		}
		if (!(extra = cJSON_AddObjectToObject(t, "extra_data")) ||
		    format_json_str(extra, "id", c->id, false, FORMAT_FIELD_MAX) < 0 ||
		    format_json_str(extra, "status", check_status_name(c->status), false, 16) < 0 ||
		    format_json_num(extra, "duration_ms", (double)c->duration_ms) < 0)
			goto done;
		if (cJSON_AddBoolToObject(extra, "advisory", c->advisory) == NULL)
			goto oom;
	}
	rc = format_json_emit(root, true, out);
	root = NULL;
	goto done;
oom:
	err_set("out of memory");
done:
	cJSON_Delete(root);
	gbuf_release(&b);
	return rc;
}

/* ---- GitHub Classroom ------------------------------------------------------------ */

static int format_base64(const char *in, size_t len, struct gbuf *out)
{
	size_t need = 4 * ((len + 2) / 3) + 1;
	unsigned char *enc = malloc(need);
	int rc = -1;

	if (!enc)
		return err_set("out of memory");
	if (EVP_EncodeBlock(enc, (const unsigned char *)in, (int)len) >= 0)
		rc = gbuf_adds(out, (const char *)enc);
	else
		err_set("base64 encoding failed");
	free(enc);
	return rc;
}

static const char *format_classroom_status(enum check_status s)
{
	return s == CHECK_PASS ? "pass" : s == CHECK_ERROR ? "error" : "fail";
}

static int format_classroom_test(cJSON *tests, const char *name, const char *status, int score,
				 const char *message, const char *code, long ms)
{
	cJSON *t = cJSON_CreateObject();

	if (!t || !cJSON_AddItemToArray(tests, t)) {
		cJSON_Delete(t);
		return err_set("out of memory");
	}
	if (format_json_str(t, "name", name, false, 2 * FORMAT_FIELD_MAX + 8) < 0 ||
	    format_json_str(t, "status", status, false, 16) < 0 ||
	    format_json_num(t, "score", score) < 0 ||
	    format_json_str(t, "message", message ? message : "", true, FORMAT_MSG_MAX) < 0 ||
	    format_json_str(t, "test_code", code, false, FORMAT_FIELD_MAX + 16) < 0 ||
	    format_json_str(t, "filename", "", false, 1) < 0 ||
	    format_json_num(t, "line_no", 0) < 0 ||
	    format_json_num(t, "duration", (double)ms) < 0)
		return -1;
	return 0;
}

/*
 * The payload of version 1 (the command and io graders'), base64-encoded on
 * one line: exactly what a grader step puts in its `result` output and the
 * reporter reads back from <ID>_RESULTS. Advisory checks are left out: the
 * reporter's console score counts passing tests, so a warning would lower it.
 */
static int format_classroom(const struct grade_result *r, const struct format_opts *o, struct gbuf *out)
{
	cJSON *root = cJSON_CreateObject(), *tests;
	struct gbuf name = GBUF_INIT(2 * FORMAT_FIELD_MAX + 64);
	struct format_tally t;
	char *s = NULL;
	size_t i;
	int rc = -1;

	format_count(r, &t);
	if (!root)
		goto oom;
	if (format_json_num(root, "version", 1) < 0 ||
	    format_json_str(root, "status", r->status != RUN_GRADED ? "error" :
			    t.all_pass ? "pass" : "fail", false, 16) < 0 ||
	    format_json_num(root, "max_score", r->max_score) < 0)
		goto done;
	if (!(tests = cJSON_AddArrayToObject(root, "tests")))
		goto oom;
	for (i = 0; i < r->nchecks; i++) {
		const struct check_result *c = &r->checks[i];

		if (c->advisory)
			continue;
		gbuf_reset(&name);
		if (format_check_name(&name, c) < 0 ||
		    format_classroom_test(tests, gbuf_str(&name), format_classroom_status(c->status),
					  c->points, c->status == CHECK_PASS ? "" : c->message,
					  c->id, c->duration_ms) < 0)
			goto done;
	}
	/* Not graded: one errored test carrying the diagnosis, so the reporter
	 * shows why (and does not divide by zero tests). */
	if (r->status != RUN_GRADED &&
	    format_classroom_test(tests, "grading", "error", 0,
				  r->diagnosis ? r->diagnosis : run_status_name(r->status),
				  run_status_name(r->status), r->t_total_ms) < 0)
		goto done;
	if (!(s = cJSON_PrintUnformatted(root)))
		goto oom;
	rc = (format_base64(s, strlen(s), out) < 0 || gbuf_addch(out, '\n') < 0) ? -1 : 0;
	goto done;
oom:
	err_set("out of memory");
done:
	free(s);
	cJSON_Delete(root);
	gbuf_release(&name);
	return rc;
}

/* ---- Markdown ------------------------------------------------------------------- */

/*
 * Untrusted text as a code span inside a table cell: nothing in a code
 * span is markup, a link, a mention or HTML. The fence is one backtick more
 * than the longest run inside; `|` is escaped because GFM splits table
 * cells before it parses spans; newlines become spaces.
 */
static int format_md_code(struct gbuf *out, const char *s, size_t max)
{
	char *clean = format_cleaned(s, false, max);
	size_t run = 0, longest = 0, i;
	int rc = -1;

	if (!clean)
		return -1;
	if (!*clean) {
		rc = 0;
		goto done;
	}
	for (i = 0; clean[i]; i++) {
		run = clean[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (i = 0; i <= longest; i++)
		if (gbuf_addch(out, '`') < 0)
			goto done;
	if (gbuf_addch(out, ' ') < 0)
		goto done;
	for (i = 0; clean[i]; i++)
		if ((clean[i] == '|' ? gbuf_adds(out, "\\|") : gbuf_addch(out, clean[i])) < 0)
			goto done;
	if (gbuf_addch(out, ' ') < 0)
		goto done;
	for (i = 0; i <= longest; i++)
		if (gbuf_addch(out, '`') < 0)
			goto done;
	rc = 0;
done:
	free(clean);
	return rc;
}

/* Plain text outside a code span (titles, never at the start of a line):
 * the ASCII punctuation that is Markdown syntax there (emphasis, code,
 * links, images, headings, tables, strikethrough, @mentions) is
 * backslash-escaped, < > & become entities. */
static int format_md_text(struct gbuf *out, const char *s, size_t max)
{
	char *clean = format_cleaned(s, false, max);
	size_t i;
	int rc = 0;

	if (!clean)
		return -1;
	for (i = 0; clean[i] && rc == 0; i++) {
		char ch = clean[i];

		if (ch == '<')
			rc = gbuf_adds(out, "&lt;");
		else if (ch == '>')
			rc = gbuf_adds(out, "&gt;");
		else if (ch == '&')
			rc = gbuf_adds(out, "&amp;");
		else if (strchr("\\`*_{}[]()#!|~@", ch))
			rc = (gbuf_addch(out, '\\') < 0 || gbuf_addch(out, ch) < 0) ? -1 : 0;
		else
			rc = gbuf_addch(out, ch);
	}
	free(clean);
	return rc;
}

static const char *format_md_status(const struct check_result *c)
{
	if (c->advisory && c->status != CHECK_PASS)
		return "\xe2\x9a\xa0\xef\xb8\x8f warn";   /* ⚠️ */
	switch (c->status) {
	case CHECK_PASS: return "\xe2\x9c\x85 pass";      /* ✅ */
	case CHECK_FAIL: return "\xe2\x9d\x8c fail";      /* ❌ */
	case CHECK_ERROR: return "\xf0\x9f\x92\xa5 error"; /* 💥 */
	case CHECK_SKIP: return "\xe2\x8f\xad\xef\xb8\x8f skip"; /* ⏭️ */
	}
	return "error";
}

/* The run's warnings as a list under their own heading, each escaped as
 * a message is (no markup comes out of it). None: nothing. 0 or -1. */
static int format_md_warnings(struct gbuf *out, const struct grade_result *r)
{
	const char *w[RESULT_WARNINGS_MAX];
	size_t i, n = result_warnings(r, w);

	if (!n)
		return 0;
	if (gbuf_adds(out, "#### Warnings\n\n") < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (gbuf_adds(out, "- ") < 0 || format_md_text(out, w[i], FORMAT_DIAG_MAX) < 0 ||
		    gbuf_addch(out, '\n') < 0)
			return -1;
	return gbuf_addch(out, '\n');
}

static int format_markdown(const struct grade_result *r, const struct format_opts *o, struct gbuf *out)
{
	char score[64];
	size_t i;
	int rc = -1;

	format_score_text(r, score, sizeof(score));
	if (gbuf_adds(out, "### ") < 0 || format_md_text(out, format_title(r), FORMAT_FIELD_MAX) < 0 ||
	    gbuf_addf(out, ": %s%s\n\n", r->status == RUN_GRADED ? "" : "not graded, ", score) < 0)
		goto done;
	if (r->nchecks) {
		if (gbuf_adds(out, "| Check | Status | Points | Message |\n|---|---|--:|---|\n") < 0)
			goto done;
		for (i = 0; i < r->nchecks; i++) {
			const struct check_result *c = &r->checks[i];

			if (gbuf_adds(out, "| ") < 0 || format_md_code(out, c->id, FORMAT_FIELD_MAX) < 0 ||
			    (c->title && *c->title &&
			     (gbuf_adds(out, " ") < 0 || format_md_text(out, c->title, FORMAT_FIELD_MAX) < 0)) ||
			    gbuf_addf(out, " | %s | ", format_md_status(c)) < 0)
				goto done;
			if ((c->advisory ? gbuf_adds(out, "advisory") :
			     gbuf_addf(out, "%d/%d", c->points, c->max_points)) < 0 ||
			    gbuf_adds(out, " | ") < 0)
				goto done;
			if (c->status != CHECK_PASS && c->message && *c->message &&
			    format_md_code(out, c->message, FORMAT_MSG_MAX) < 0)
				goto done;
			if (gbuf_adds(out, " |\n") < 0)
				goto done;
		}
		if (gbuf_addch(out, '\n') < 0)
			goto done;
	}
	if (format_md_warnings(out, r) < 0)
		goto done;
	if (r->status != RUN_GRADED) {
		/* A fenced block one backtick longer than any run in the text. */
		char *d = format_cleaned(r->diagnosis ? r->diagnosis : "no diagnosis was recorded",
					 true, FORMAT_DIAG_MAX);
		size_t run = 0, longest = 2, k;
		int bad = !d;

		for (k = 0; d && d[k]; k++) {
			run = d[k] == '`' ? run + 1 : 0;
			if (run > longest)
				longest = run;
		}
		if (!bad && gbuf_adds(out, "#### Diagnosis\n\n") < 0)
			bad = 1;
		for (k = 0; !bad && k <= longest; k++)
			bad = gbuf_addch(out, '`') < 0;
		if (!bad)
			bad = gbuf_addf(out, "text\n%s\n", d) < 0;
		for (k = 0; !bad && k <= longest; k++)
			bad = gbuf_addch(out, '`') < 0;
		if (!bad)
			bad = gbuf_adds(out, "\n\n") < 0;
		free(d);
		if (bad)
			goto done;
	}
	if (gbuf_adds(out, "<sub>") < 0 || format_md_code(out, r->challenge_id, FORMAT_FIELD_MAX) < 0 ||
	    gbuf_addf(out, " suite sha256 `%s`, commit `%s`, grader %s</sub>\n",
		      r->suite_sha256[0] ? r->suite_sha256 : "-", r->commit[0] ? r->commit : "-",
		      GRADER_VERSION) < 0)
		goto done;
	rc = 0;
done:
	return rc;
}

/* ---- shields.io endpoint ----------------------------------------------------------- */

static int format_shields(const struct grade_result *r, const struct format_opts *o,
			  struct gbuf *out)
{
	cJSON *root = cJSON_CreateObject();
	struct format_colour col = format_colour_for(r);
	char score[64];

	format_score_text(r, score, sizeof(score));
	if (!root || format_json_num(root, "schemaVersion", 1) < 0 ||
	    format_json_str(root, "label", o && o->label ? o->label : format_title(r), false,
			    FORMAT_FIELD_MAX) < 0 ||
	    format_json_str(root, "message", score, false, 64) < 0 ||
	    format_json_str(root, "color", col.name, false, 32) < 0 ||
	    (r->status != RUN_GRADED && !cJSON_AddBoolToObject(root, "isError", 1))) {
		cJSON_Delete(root);
		return err_set("out of memory");
	}
	return format_json_emit(root, false, out);
}

/* ---- SVG badge --------------------------------------------------------------------- */

/* Approximate advance in tenths of a pixel of Verdana/DejaVu Sans at 11px;
 * the SVG then fixes each text to that length (textLength), so a browser
 * with another font squeezes or spreads it rather than overflowing. */
static unsigned format_badge_width(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s), i = 0;
	unsigned w = 0;

	while (i < len) {
		uint32_t cp = 0;
		size_t n = utf8_decode(u + i, len - i, &cp);

		if (n == 0)
			n = 1;
		if (strchr("iljI.,:;'|!()[] ", (int)(cp < 128 ? cp : 'x')) && cp < 128)
			w += 38;
		else if (cp < 128 && strchr("mwMW@%", (int)cp))
			w += 105;
		else if (cp >= 'A' && cp <= 'Z')
			w += 78;
		else if (cp < 128)
			w += 68;
		else
			w += 80;
		i += n;
	}
	return (w + 9) / 10;
}

static xmlNodePtr format_svg_el(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n = xmlNewChild(parent, NULL, BAD_CAST name, NULL);

	if (!n)
		err_set("out of memory");
	return n;
}

/* The badge's label: the challenge title (or --label), cleaned and cut to
 * FORMAT_LABEL_MAX characters. 0 or -1. */
static int format_badge_label(const struct grade_result *r, const struct format_opts *o, struct gbuf *label)
{
	char *clean = format_cleaned(o && o->label ? o->label : format_title(r), false, FORMAT_FIELD_MAX);
	const unsigned char *u = (const unsigned char *)(clean ? clean : "");
	size_t len = strlen((const char *)u), i = 0, cps = 0;

	if (!clean)
		return -1;
	while (i < len && cps < FORMAT_LABEL_MAX) {
		size_t k = utf8_decode(u + i, len - i, NULL);

		i += k ? k : 1;
		cps++;
	}
	gbuf_add(label, clean, i);
	if (i < len)
		gbuf_adds(label, "\xE2\x80\xA6");
	free(clean);
	return 0;
}

/* What the badge states, for people (<title>, shown as a tooltip) and for
 * anyone checking it (<desc>): the commit and the suite's hash. 0 or -1. */
static int format_badge_words(const struct grade_result *r, const char *score, struct gbuf *title,
			      struct gbuf *desc)
{
	if (format_clean(title, format_title(r), false, FORMAT_FIELD_MAX) < 0 ||
	    gbuf_addf(title, ": %s (commit %.12s, suite sha256 %.12s)", score,
		      r->commit[0] ? r->commit : "none", r->suite_sha256) < 0)
		return -1;
	if (gbuf_addf(desc, "grader %s graded commit %s", GRADER_VERSION,
		      r->commit[0] ? r->commit : "(none)") < 0 ||
	    gbuf_adds(desc, " of ") < 0 || format_clean(desc, r->source, false, FORMAT_FIELD_MAX) < 0 ||
	    gbuf_adds(desc, " against challenge ") < 0 ||
	    format_clean(desc, r->challenge_id, false, FORMAT_FIELD_MAX) < 0 ||
	    gbuf_addf(desc, " (suite_sha256 %s): status %s, score %d/%d. This file certifies"
		      " nothing by itself: compare suite_sha256 with the published challenge and"
		      " the score with the recorded run.", r->suite_sha256,
		      run_status_name(r->status), r->score, r->max_score) < 0)
		return -1;
	return 0;
}

/* The shine gradient and the rounded clip of a badge `w` wide. 0 or -1. */
static int format_badge_defs(xmlNodePtr svg, unsigned w)
{
	xmlNodePtr n, grad, clip;

	if (!(grad = format_svg_el(svg, "linearGradient")) ||
	    format_xml_propf(grad, "id", "shine") < 0 || format_xml_propf(grad, "x2", "0") < 0 ||
	    format_xml_propf(grad, "y2", "100%%") < 0)
		return -1;
	if (!(n = format_svg_el(grad, "stop")) || format_xml_propf(n, "offset", "0") < 0 ||
	    format_xml_propf(n, "stop-color", "#bbbbbb") < 0 ||
	    format_xml_propf(n, "stop-opacity", ".1") < 0)
		return -1;
	if (!(n = format_svg_el(grad, "stop")) || format_xml_propf(n, "offset", "1") < 0 ||
	    format_xml_propf(n, "stop-opacity", ".1") < 0)
		return -1;
	if (!(clip = format_svg_el(svg, "clipPath")) || format_xml_propf(clip, "id", "round") < 0)
		return -1;
	if (!(n = format_svg_el(clip, "rect")) || format_xml_propf(n, "width", "%u", w) < 0 ||
	    format_xml_propf(n, "height", "20") < 0 || format_xml_propf(n, "rx", "3") < 0 ||
	    format_xml_propf(n, "fill", "#ffffff") < 0)
		return -1;
	return 0;
}

/* The two halves (grey label lw wide, coloured score mw wide) under the
 * shine, clipped round. 0 or -1. */
static int format_badge_shapes(xmlNodePtr svg, unsigned lw, unsigned mw, const char *hex)
{
	xmlNodePtr g, n;

	if (!(g = format_svg_el(svg, "g")) || format_xml_propf(g, "clip-path", "url(#round)") < 0)
		return -1;
	if (!(n = format_svg_el(g, "rect")) || format_xml_propf(n, "width", "%u", lw) < 0 ||
	    format_xml_propf(n, "height", "20") < 0 || format_xml_propf(n, "fill", "#555555") < 0)
		return -1;
	if (!(n = format_svg_el(g, "rect")) || format_xml_propf(n, "x", "%u", lw) < 0 ||
	    format_xml_propf(n, "width", "%u", mw) < 0 || format_xml_propf(n, "height", "20") < 0 ||
	    format_xml_propf(n, "fill", "%s", hex) < 0)
		return -1;
	if (!(n = format_svg_el(g, "rect")) || format_xml_propf(n, "width", "%u", lw + mw) < 0 ||
	    format_xml_propf(n, "height", "20") < 0 || format_xml_propf(n, "fill", "url(#shine)") < 0)
		return -1;
	return 0;
}

/* The label and the score, each centred in its half. 0 or -1. */
static int format_badge_texts(xmlNodePtr svg, const char *label, const char *score, unsigned lw, unsigned mw)
{
	xmlNodePtr g, n;

	if (!(g = format_svg_el(svg, "g")) || format_xml_propf(g, "fill", "#ffffff") < 0 ||
	    format_xml_propf(g, "text-anchor", "middle") < 0 ||
	    format_xml_propf(g, "font-family", "Verdana,Geneva,DejaVu Sans,sans-serif") < 0 ||
	    format_xml_propf(g, "font-size", "11") < 0)
		return -1;
	if (!(n = format_xml_text_child(g, "text", label, false, 4 * FORMAT_LABEL_MAX + 8)) ||
	    format_xml_propf(n, "x", "%.1f", lw / 2.0) < 0 || format_xml_propf(n, "y", "14") < 0 ||
	    format_xml_propf(n, "textLength", "%u", lw - 12) < 0 ||
	    format_xml_propf(n, "lengthAdjust", "spacingAndGlyphs") < 0)
		return -1;
	if (!(n = format_xml_text_child(g, "text", score, false, 64)) ||
	    format_xml_propf(n, "x", "%.1f", lw + mw / 2.0) < 0 || format_xml_propf(n, "y", "14") < 0 ||
	    format_xml_propf(n, "textLength", "%u", mw - 12) < 0 ||
	    format_xml_propf(n, "lengthAdjust", "spacingAndGlyphs") < 0)
		return -1;
	return 0;
}

static int format_badge(const struct grade_result *r, const struct format_opts *o,
			struct gbuf *out)
{
	struct format_colour col = format_colour_for(r);
	struct gbuf label = GBUF_INIT(4 * FORMAT_LABEL_MAX + 8);
	struct gbuf title = GBUF_INIT(4096), desc = GBUF_INIT(8192);
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr svg = NULL;
	xmlNsPtr ns;
	char score[64];
	unsigned lw, mw, w;
	int rc = -1;

	format_score_text(r, score, sizeof(score));
	if (format_badge_label(r, o, &label) < 0 || format_badge_words(r, score, &title, &desc) < 0)
		goto done;
	lw = format_badge_width(gbuf_str(&label)) + 12;
	mw = format_badge_width(score) + 12;
	w = lw + mw;
	if (!doc || !(svg = xmlNewDocNode(doc, NULL, BAD_CAST "svg", NULL))) {
		err_set("out of memory");
		goto done;
	}
	xmlDocSetRootElement(doc, svg);
	if (!(ns = xmlNewNs(svg, BAD_CAST "http://www.w3.org/2000/svg", NULL))) {
		err_set("out of memory");
		goto done;
	}
	xmlSetNs(svg, ns);
	if (format_xml_propf(svg, "width", "%u", w) < 0 ||
	    format_xml_propf(svg, "height", "20") < 0 ||
	    format_xml_propf(svg, "viewBox", "0 0 %u 20", w) < 0 ||
	    format_xml_propf(svg, "role", "img") < 0 ||
	    format_xml_prop(svg, "aria-label", gbuf_str(&title), false, 4096) < 0)
		goto done;
	if (!format_xml_text_child(svg, "title", gbuf_str(&title), false, 4096) ||
	    !format_xml_text_child(svg, "desc", gbuf_str(&desc), false, 8192))
		goto done;
	if (format_badge_defs(svg, w) < 0 || format_badge_shapes(svg, lw, mw, col.hex) < 0 ||
	    format_badge_texts(svg, gbuf_str(&label), score, lw, mw) < 0)
		goto done;
	rc = format_xml_dump(doc, out);
done:
	xmlFreeDoc(doc);
	gbuf_release(&label);
	gbuf_release(&title);
	gbuf_release(&desc);
	return rc;
}

/* ---- the table and the dispatcher ---------------------------------------------- */

/* The text report (report.c) with the options the command layer chose. */
static int format_text(const struct grade_result *r, const struct format_opts *o, struct gbuf *out)
{
	struct report_text_opts to = {.colour = o && o->colour, .only_not_passed = o && o->only_not_passed};

	return report_text_with(r, &to, out);
}

/*
 * Every format: its --format word, its writer, and whether its reader gets
 * every message (format.h). The order is --format's, in help, completion
 * and error messages; the first row is the default. A new format is a row
 * here (and its FORMAT_ value, and a row of docs/formats.md's table).
 */
const struct format_def format_table[FORMAT_COUNT] = {
	[FORMAT_TEXT] = {"text", format_text, false},
	[FORMAT_JSON] = {"json", format_json_text, false},
	[FORMAT_JUNIT] = {"junit", format_junit, false},
	[FORMAT_GRADESCOPE] = {"gradescope", format_gradescope, true},
	[FORMAT_CLASSROOM] = {"classroom", format_classroom, false},
	[FORMAT_MARKDOWN] = {"markdown", format_markdown, false},
	[FORMAT_SHIELDS] = {"shields", format_shields, false},
	[FORMAT_BADGE] = {"badge", format_badge, false},
};

int format_render(const struct grade_result *r, enum report_format f,
		  const struct format_opts *o, struct gbuf *out)
{
	struct grade_result view;
	int rc;

	if ((size_t)f >= FORMAT_COUNT || !format_table[f].write)
		return err_set("unknown format %d", (int)f);
	if (format_view_make(r, f, o, &view) < 0)
		return -1;
	rc = format_table[f].write(&view, o, out);
	if (rc == 0 && out->truncated)
		rc = err_set("the %s output exceeded its size limit", format_name(f));
	free(view.checks);
	return rc;
}

/* ---- reading a JSON report back ------------------------------------------------- */

/* Copy string member `key` of o into *slot; absent/null is allowed when
 * `optional`. */
static int format_rd_str(const cJSON *o, const char *key, bool optional, char **slot,
			 const char *what, const char *where)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!v || cJSON_IsNull(v)) {
		if (optional)
			return 0;
		return err_set("%s: %s%s has no '%s'", what, where, *where ? "" : "the report", key);
	}
	if (!cJSON_IsString(v))
		return err_set("%s: '%s%s%s' is not a string", what, where, *where ? "." : "", key);
	free(*slot);
	if (!(*slot = strdup(v->valuestring)))
		return err_set("out of memory");
	return 0;
}

static int format_rd_num(const cJSON *o, const char *key, bool optional, double *out,
			 const char *what, const char *where)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!v && optional)
		return 0;
	if (!v)
		return err_set("%s: %s%s has no '%s'", what, where, *where ? "" : "the report", key);
	if (!cJSON_IsNumber(v))
		return err_set("%s: '%s%s%s' is not a number", what, where, *where ? "." : "", key);
	*out = v->valuedouble;
	return 0;
}

static const cJSON *format_rd_obj(const cJSON *o, const char *key, const char *what)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsObject(v)) {
		err_set("%s: '%s' is missing or not an object", what, key);
		return NULL;
	}
	return v;
}

static int format_rd_check(const cJSON *j, struct check_result *c, size_t i, const char *what)
{
	char where[48], *status = NULL, *vis = NULL;
	double d;
	int rc = -1;
	size_t k;
	static const enum check_status all[] = {CHECK_PASS, CHECK_FAIL, CHECK_ERROR, CHECK_SKIP};

	snprintf(where, sizeof(where), "checks[%zu]", i);
	c->queries = -1;
	if (!cJSON_IsObject(j)) {
		err_set("%s: %s is not an object", what, where);
		goto done;
	}
	if (format_rd_str(j, "id", false, &c->id, what, where) < 0 ||
	    format_rd_str(j, "title", true, &c->title, what, where) < 0 ||
	    format_rd_str(j, "category", true, &c->category, what, where) < 0 ||
	    format_rd_str(j, "message", true, &c->message, what, where) < 0 ||
	    format_rd_str(j, "status", false, &status, what, where) < 0 ||
	    format_rd_str(j, "visibility", true, &vis, what, where) < 0)
		goto done;
	d = 0;
	if (format_rd_num(j, "points", false, &d, what, where) < 0)
		goto done;
	c->points = (int)d;
	d = 0;
	if (format_rd_num(j, "max_points", false, &d, what, where) < 0)
		goto done;
	c->max_points = (int)d;
	d = 0;
	if (format_rd_num(j, "duration_ms", true, &d, what, where) < 0)
		goto done;
	c->duration_ms = (long)d;
	/* Advisory checks are the unscored ones (contracts §6, docs/report.md). */
	c->advisory = c->max_points == 0;
	for (k = 0; k < sizeof(all) / sizeof(all[0]); k++)
		if (!strcmp(status, check_status_name(all[k])))
			break;
	if (k == sizeof(all) / sizeof(all[0])) {
		err_set("%s: %s.status is '%s'; expected pass, fail, error or skip", what, where, status);
		goto done;
	}
	c->status = all[k];
	if (vis && check_visibility_parse(vis, &c->visibility) < 0) {
		err_set("%s: %s.visibility is '%s'; expected visible, hidden or after_due_date",
			what, where, vis);
		goto done;
	}
	rc = 0;
done:
	free(status);
	free(vis);
	return rc;
}

static int format_rd_fixed(const cJSON *o, const char *key, char *dst, size_t n, bool hex,
			   const char *what, const char *where)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	size_t i;

	dst[0] = '\0';
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v) || strlen(v->valuestring) != n - 1)
		return err_set("%s: %s.%s is not %zu hex digits", what, where, key, n - 1);
	for (i = 0; hex && v->valuestring[i]; i++)
		if (!strchr("0123456789abcdef", v->valuestring[i]))
			return err_set("%s: %s.%s is not %zu hex digits", what, where, key, n - 1);
	memcpy(dst, v->valuestring, n);
	return 0;
}

/* The second release's keys (contracts §1): run_id, environment, routes, auth. */
/* "boot_phases_ms" (issue 13): optional, null or an object of numbers or
 * nulls named as boot_phase_name; a phase missing or null reads as -1. */
static int format_rd_boot_phases(const cJSON *root, const char *what, struct grade_result *r)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "boot_phases_ms");
	const cJSON *v;
	int i;

	if (!o || cJSON_IsNull(o))
		return 0;
	if (!cJSON_IsObject(o))
		return err_set("%s: 'boot_phases_ms' is neither an object nor null", what);
	for (i = 0; i < RESULT_BOOT_PHASES; i++) {
		v = cJSON_GetObjectItemCaseSensitive(o, boot_phase_name(i));
		r->t_boot_phase_ms[i] = -1;
		if (v && !cJSON_IsNull(v) && !cJSON_IsNumber(v))
			return err_set("%s: 'boot_phases_ms.%s' is not a number", what,
				       boot_phase_name(i));
		if (cJSON_IsNumber(v))
			r->t_boot_phase_ms[i] = (long)v->valuedouble;
	}
	r->boot_phases_known = true;
	return 0;
}

/* One struct check_timing from {"requests", "connects", "connect", "app",
 * "receive", "http", "grader"} (times in ms); a key missing reads as 0. */
static int format_rd_timing(const cJSON *o, const char *what, const char *where, struct check_timing *t)
{
	const char *const names[] = { "connect", "app", "receive", "http", "grader" };
	long long *const us[] = { &t->connect_us, &t->app_us, &t->recv_us, &t->http_us, &t->grader_us };
	double d = 0;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (format_rd_num(o, "requests", true, &d, what, where) < 0)
		return -1;
	t->requests = (long)d;
	d = 0;
	if (format_rd_num(o, "connects", true, &d, what, where) < 0)
		return -1;
	t->connects = (long)d;
	for (i = 0; i < sizeof(us) / sizeof(us[0]); i++) {
		d = 0;
		if (format_rd_num(o, names[i], true, &d, what, where) < 0)
			return -1;
		*us[i] = (long long)(d * 1000.0 + (d >= 0 ? 0.5 : -0.5));
	}
	return 0;
}

/* "checks_timing_ms" (issue 13): optional, null or the run's split with each
 * check's in "by_check" ({"id": ..., ...}, matched to the checks by id). */
static int format_rd_checks_timing(const cJSON *root, const char *what, struct grade_result *r)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "checks_timing_ms");
	const cJSON *arr, *it, *id;
	size_t i;

	if (!o || cJSON_IsNull(o))
		return 0;
	if (!cJSON_IsObject(o))
		return err_set("%s: 'checks_timing_ms' is neither an object nor null", what);
	if (format_rd_timing(o, what, "checks_timing_ms", &r->t_checks_split) < 0)
		return -1;
	arr = cJSON_GetObjectItemCaseSensitive(o, "by_check");
	if (arr && !cJSON_IsArray(arr))
		return err_set("%s: 'checks_timing_ms.by_check' is not an array", what);
	cJSON_ArrayForEach(it, arr) {
		id = cJSON_GetObjectItemCaseSensitive(it, "id");
		if (!cJSON_IsObject(it) || !cJSON_IsString(id))
			return err_set("%s: an item of 'checks_timing_ms.by_check' has no 'id'", what);
		for (i = 0; i < r->nchecks; i++)
			if (r->checks[i].id && !strcmp(r->checks[i].id, id->valuestring) &&
			    format_rd_timing(it, what, "checks_timing_ms.by_check", &r->checks[i].timing) < 0)
				return -1;
	}
	r->checks_split_known = true;
	return 0;
}

static int format_rd_release2(const cJSON *root, const char *what, struct grade_result *r)
{
	const cJSON *o, *it, *arr;
	size_t n, i;
	double d = 0;

	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "run_id")) &&
	    format_rd_num(root, "run_id", true, &d, what, "") == 0)
		r->run_id = (int64_t)d;
	if (format_rd_str(root, "auth", true, &r->auth_scheme, what, "") < 0)
		return -1;
	o = cJSON_GetObjectItemCaseSensitive(root, "routes");
	if (cJSON_IsObject(o)) {
		r->routes_loaded = true;
		n = (size_t)cJSON_GetArraySize(o);
		if (n && !(r->routes = calloc(n, sizeof(*r->routes))))
			return err_set("out of memory");
		cJSON_ArrayForEach(it, o) {
			if (!cJSON_IsString(it))
				return err_set("%s: routes.%s is not a string", what, it->string);
			r->routes[r->nroutes].from = strdup(it->string);
			r->routes[r->nroutes].to = strdup(it->valuestring);
			if (!r->routes[r->nroutes++].to || !r->routes[r->nroutes - 1].from)
				return err_set("out of memory");
		}
	}
	o = cJSON_GetObjectItemCaseSensitive(root, "environment");
	if (!cJSON_IsObject(o))
		return 0;
	if (format_rd_str(o, "python", false, &r->env_python, what, "environment") < 0 ||
	    format_rd_str(o, "python_reason", true, &r->env_python_reason, what, "environment") < 0 ||
	    format_rd_str(o, "requirements_source", true, &r->env_requirements_source, what,
			  "environment") < 0 ||
	    format_rd_str(o, "django", true, &r->env_django, what, "environment") < 0)
		return -1;
	arr = cJSON_GetObjectItemCaseSensitive(o, "inferred");
	n = cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;
	if (n && !(r->env_inferred = calloc(n, sizeof(*r->env_inferred))))
		return err_set("out of memory");
	for (i = 0; i < n; i++) {
		it = cJSON_GetArrayItem(arr, (int)i);
		if (!cJSON_IsString(it))
			return err_set("%s: environment.inferred[%zu] is not a string", what, i);
		if (!(r->env_inferred[r->nenv_inferred++] = strdup(it->valuestring)))
			return err_set("out of memory");
	}
	/* The pins' one JSON form (env_pin.h); a report without the list (an
	 * older one) has none. */
	arr = cJSON_GetObjectItemCaseSensitive(o, "relaxed");
	if (cJSON_IsArray(arr) && env_pins_from_json(arr, &r->env_relaxed, &r->nenv_relaxed) != 0)
		return err_wrap("%s: environment.relaxed", what);
	/* The lines not installed, {"line", "why"} each (session 30's; an
	 * older report has none). */
	arr = cJSON_GetObjectItemCaseSensitive(o, "left_out");
	n = cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;
	if (n && !(r->env_left_out = calloc(n, sizeof(*r->env_left_out))))
		return err_set("out of memory");
	for (i = 0; i < n; i++) {
		const cJSON *line, *why;

		it = cJSON_GetArrayItem(arr, (int)i);
		line = cJSON_GetObjectItemCaseSensitive(it, "line");
		why = cJSON_GetObjectItemCaseSensitive(it, "why");
		if (!cJSON_IsString(line) || !cJSON_IsString(why))
			return err_set("%s: environment.left_out[%zu] has no string 'line' and 'why'", what, i);
		if (asprintf(&r->env_left_out[r->nenv_left_out], "%s\t%s", line->valuestring,
			     why->valuestring) < 0)
			return err_set("out of memory");
		r->nenv_left_out++;
	}
	return 0;
}

/* A JSON array of strings into a malloc'd vector (each string copied).
 * Absent or null: none. 0, or -1 naming KEY[i] that is not a string. */
static int format_rd_strings(const cJSON *o, const char *key, char ***out, size_t *n,
			     const char *what, const char *where)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, key), *it;
	size_t cnt, i = 0;

	*out = NULL;
	*n = 0;
	if (!arr || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr))
		return err_set("%s: '%s.%s' is not an array", what, where, key);
	cnt = (size_t)cJSON_GetArraySize(arr);
	if (cnt && !(*out = calloc(cnt, sizeof(**out))))
		return err_set("out of memory");
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it))
			return err_set("%s: '%s.%s[%zu]' is not a string", what, where, key, i);
		if (!((*out)[i++] = strdup(it->valuestring)))
			return err_set("out of memory");
		*n = i;
	}
	return 0;
}

/* "causes" (causes.h), so that a report converted back (grader convert)
 * says its common causes and suggested grader.yaml lines as the grade
 * did. Optional: an older report has none. */
static int format_rd_causes(const cJSON *root, const char *what, struct grade_result *r)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "causes"), *it;
	size_t n;
	char where[32];

	if (!arr || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr))
		return err_set("%s: 'causes' is not an array", what);
	n = (size_t)cJSON_GetArraySize(arr);
	if (n && !(r->causes = calloc(n, sizeof(*r->causes))))
		return err_set("out of memory");
	cJSON_ArrayForEach(it, arr) {
		struct cause *c = &r->causes[r->ncauses];

		snprintf(where, sizeof(where), "causes[%zu]", r->ncauses);
		r->ncauses++;
		if (!cJSON_IsObject(it))
			return err_set("%s: '%s' is not an object", what, where);
		if (format_rd_str(it, "cause", false, &c->text, what, where) < 0 ||
		    format_rd_strings(it, "checks", &c->checks, &c->nchecks, what, where) < 0 ||
		    format_rd_strings(it, "routes", &c->routes, &c->nroutes, what, where) < 0)
			return -1;
	}
	return 0;
}

/* "warnings" (report.c writes the source's warning, then the system
 * checks' sentence), so that a report converted back says them as the
 * grade did. The system checks' sentence is known by its lead; any other
 * is the source's. More than one of either is not a report the grader
 * wrote: refused, naming it, rather than one silently dropped. Optional:
 * an older report has none. */
static int format_rd_warnings(const cJSON *root, const char *what, struct grade_result *r)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "warnings"), *it;
	size_t i = 0;
	char **slot;

	if (!arr || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr))
		return err_set("%s: 'warnings' is not an array", what);
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it))
			return err_set("%s: 'warnings[%zu]' is not a string", what, i);
		slot = !strncmp(it->valuestring, RESULT_SYSTEM_CHECKS_LEAD, strlen(RESULT_SYSTEM_CHECKS_LEAD))
			       ? &r->system_checks
			       : &r->warning;
		if (*slot)
			return err_set("%s: 'warnings[%zu]' is a second %s; a report holds one at most", what,
				       i, slot == &r->system_checks ? "system checks' sentence"
								   : "warning about the source");
		if (!(*slot = strdup(it->valuestring)))
			return err_set("out of memory");
		i++;
	}
	return 0;
}

int format_read_report(const char *json, size_t len, const char *what, struct grade_result *r)
{
	static const enum run_status all[] = {RUN_GRADED, RUN_FETCH_FAILED, RUN_SETUP_FAILED,
					      RUN_BOOT_FAILED, RUN_TIMED_OUT, RUN_INTERNAL_ERROR};
	cJSON *root = NULL;
	const cJSON *o, *arr, *it;
	char *status = NULL;
	double d;
	size_t i, n;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	root = cJSON_ParseWithLength(json, len);
	if (!cJSON_IsObject(root)) {
		err_set("%s: not a JSON report (a JSON object as `grader grade --format json` prints)",
			what);
		goto done;
	}
	if (!(o = format_rd_obj(root, "challenge", what)) ||
	    format_rd_str(o, "id", false, &r->challenge_id, what, "challenge") < 0 ||
	    format_rd_str(o, "title", true, &r->challenge_title, what, "challenge") < 0 ||
	    format_rd_fixed(o, "suite_sha256", r->suite_sha256, sizeof(r->suite_sha256), true,
			    what, "challenge") < 0)
		goto done;
	if (!(o = format_rd_obj(root, "submission", what)) ||
	    format_rd_str(o, "source", true, &r->source, what, "submission") < 0 ||
	    format_rd_str(o, "ref", true, &r->ref, what, "submission") < 0 ||
	    format_rd_fixed(o, "commit", r->commit, sizeof(r->commit), true, what, "submission") < 0)
		goto done;
	if (format_rd_str(root, "status", false, &status, what, "") < 0)
		goto done;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(status, run_status_name(all[i])))
			break;
	if (i == sizeof(all) / sizeof(all[0])) {
		err_set("%s: status is '%s'; expected graded, fetch-failed, setup-failed, boot-failed,"
			" timed-out or internal-error", what, status);
		goto done;
	}
	r->status = all[i];
	d = 0;
	if (format_rd_num(root, "score", false, &d, what, "") < 0)
		goto done;
	r->score = (int)d;
	d = 0;
	if (format_rd_num(root, "max_score", false, &d, what, "") < 0)
		goto done;
	r->max_score = (int)d;
	if (format_rd_str(root, "diagnosis", true, &r->diagnosis, what, "") < 0)
		goto done;
	arr = cJSON_GetObjectItemCaseSensitive(root, "checks");
	if (!cJSON_IsArray(arr)) {
		err_set("%s: 'checks' is missing or not an array", what);
		goto done;
	}
	n = (size_t)cJSON_GetArraySize(arr);
	if (n && !(r->checks = calloc(n, sizeof(*r->checks)))) {
		err_set("out of memory");
		goto done;
	}
	i = 0;
	cJSON_ArrayForEach(it, arr) {
		r->nchecks = i + 1;
		if (format_rd_check(it, &r->checks[i], i, what) < 0)
			goto done;
		i++;
	}
	o = cJSON_GetObjectItemCaseSensitive(root, "sandbox");
	if (cJSON_IsObject(o) &&
	    (format_rd_str(o, "mode", true, &r->sandbox_mode, what, "sandbox") < 0 ||
	     format_rd_str(o, "profile", true, &r->sandbox_profile, what, "sandbox") < 0))
		goto done;
	o = cJSON_GetObjectItemCaseSensitive(root, "timings_ms");
	if (cJSON_IsObject(o)) {
		d = 0;
		if (format_rd_num(o, "fetch", true, &d, what, "timings_ms") < 0)
			goto done;
		r->t_fetch_ms = (long)d;
		d = 0;
		if (format_rd_num(o, "environment", true, &d, what, "timings_ms") < 0)
			goto done;
		r->t_env_ms = (long)d;
		d = 0;
		if (format_rd_num(o, "boot", true, &d, what, "timings_ms") < 0)
			goto done;
		r->t_boot_ms = (long)d;
		d = 0;
		if (format_rd_num(o, "checks", true, &d, what, "timings_ms") < 0)
			goto done;
		r->t_checks_ms = (long)d;
		d = 0;
		if (format_rd_num(o, "total", true, &d, what, "timings_ms") < 0)
			goto done;
		r->t_total_ms = (long)d;
	}
	if (format_rd_release2(root, what, r) < 0 || format_rd_boot_phases(root, what, r) < 0 ||
	    format_rd_checks_timing(root, what, r) < 0 || format_rd_causes(root, what, r) < 0 ||
	    format_rd_warnings(root, what, r) < 0)
		goto done;
	rc = 0;
done:
	free(status);
	cJSON_Delete(root);
	return rc;
}

int format_read_report_file(const char *path, struct grade_result *r)
{
	struct gbuf b = GBUF_INIT(FORMAT_REPORT_MAX);
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (gbuf_read_file(&b, path) < 0)
		goto done;
	if (b.truncated) {
		err_set("%s: larger than %zu MiB; not a report", path, FORMAT_REPORT_MAX >> 20);
		goto done;
	}
	rc = format_read_report(b.data ? b.data : "", b.len, path, r);
done:
	gbuf_release(&b);
	return rc;
}

/* ---- time ------------------------------------------------------------------------ */

int format_parse_time(const char *s, time_t *t)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, used = 0;
	char sign = 0;
	const char *p;
	int rc = -1;

	memset(&tm, 0, sizeof(tm));
	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
		goto bad;
	p = s + used;
	if (*p == 'T' || *p == ' ') {
		int k = 0;

		if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &k) != 2 || k != 5)
			goto bad;
		p += 1 + k;
		if (*p == ':') {
			if (sscanf(p + 1, "%2d%n", &sec, &k) != 1 || k != 2)
				goto bad;
			p += 3;
		}
		if (*p == 'Z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			sign = *p;
			if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5)
				goto bad;
			p += 1 + k;
		}
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 ||
	    oh > 23 || om > 59)
		goto bad;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*t = timegm(&tm);
	if (sign)
		*t += (sign == '+' ? -1 : 1) * (time_t)(oh * 3600 + om * 60);
	rc = 0;
	goto done;
bad:
	err_set("'%s' is not an ISO 8601 time (e.g. 2026-05-01T23:59:00Z or 2026-05-01)",
		s ? s : "");
done:
	return rc;
}
