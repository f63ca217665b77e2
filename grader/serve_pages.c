/*
 * serve_pages.c - HTML, JSON and badge documents of the grading service.
 *
 * Pages are plain server-rendered HTML with one small inline stylesheet:
 * the service's Content-Security-Policy allows no script, so nothing here
 * may rely on one. Colours: text #1a1a1a on #ffffff, links #0b5394, pass
 * #1e6b1e and fail #a61b1b on white all exceed WCAG AA's 4.5:1.
 */
#include "serve_pages.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "format.h"

static const char pages_style[] =
	"body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
	"color:#1a1a1a;background:#fff;line-height:1.5}"
	"a{color:#0b5394}table{border-collapse:collapse;width:100%}"
	"th,td{border-bottom:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}"
	".pass{color:#1e6b1e;font-weight:bold}.fail,.error{color:#a61b1b;font-weight:bold}"
	".skip{color:#5a5a5a}.err{border:2px solid #a61b1b;padding:.5rem 1rem}"
	"label{display:block;margin-top:1rem;font-weight:bold}"
	"input,select{font-size:1rem;padding:.3rem;width:100%;max-width:36rem}"
	"button{margin-top:1rem;font-size:1rem;padding:.4rem 1.2rem}"
	"pre{white-space:pre-wrap;background:#f4f4f4;padding:.5rem}";

int pages_escape(struct gbuf *b, const char *s)
{
	return gbuf_add_html(b, s);
}

static void pages_open(struct gbuf *b, const char *title, int refresh)
{
	gbuf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
	if (refresh > 0)
		gbuf_addf(b, "<meta http-equiv=\"refresh\" content=\"%d\">", refresh);
	gbuf_adds(b, "<title>");
	pages_escape(b, title);
	gbuf_addf(b, " - grader</title><style>%s</style></head><body>\n<main>\n", pages_style);
}

static void pages_close(struct gbuf *b)
{
	gbuf_adds(b, "</main>\n</body></html>\n");
}

void pages_not_found(struct gbuf *b)
{
	pages_open(b, "Not found", 0);
	gbuf_adds(b, "<h1>Not found</h1><p>There is no such page. <a href=\"/\">Submit a repository</a>.</p>");
	pages_close(b);
}

void pages_submit_form(struct gbuf *b, const struct serve_config *c,
		       const struct challenge *const *ch, size_t nch, const char *csrf,
		       const char *error, const char *repo)
{
	size_t i;

	pages_open(b, "Submit a repository", 0);
	gbuf_adds(b, "<h1>Submit a repository for grading</h1>\n");
	if (error) {
		gbuf_adds(b, "<p class=\"err\" role=\"alert\" id=\"form-error\">");
		pages_escape(b, error);
		gbuf_adds(b, "</p>\n");
	}
	gbuf_adds(b, "<form method=\"post\" action=\"/submit\">\n<input type=\"hidden\" name=\"csrf\" value=\"");
	pages_escape(b, csrf);
	gbuf_adds(b, "\">\n<label for=\"repository\">Repository URL</label>\n"
		     "<input id=\"repository\" name=\"repository\" type=\"url\" required"
		     " placeholder=\"https://github.com/OWNER/REPO\" value=\"");
	pages_escape(b, repo ? repo : "");
	gbuf_adds(b, "\">\n<label for=\"challenge\">Challenge</label>\n"
		     "<select id=\"challenge\" name=\"challenge\" required>\n");
	for (i = 0; i < nch; i++) {
		gbuf_adds(b, "<option value=\"");
		pages_escape(b, c->challenges.v[i]);
		gbuf_adds(b, "\">");
		pages_escape(b, ch[i]->title);
		gbuf_adds(b, "</option>\n");
	}
	gbuf_addf(b, "</select>\n<label for=\"student\">Student identifier%s</label>\n"
		     "<input id=\"student\" name=\"student\" type=\"text\" maxlength=\"64\"%s>\n"
		     "<button type=\"submit\">Grade it</button>\n</form>\n",
		  c->require_student ? "" : " (optional)", c->require_student ? " required" : "");
	pages_close(b);
}

static const char *pages_state_words(const struct job *j)
{
	switch (j->state) {
	case JOB_QUEUED: return "Waiting in the queue";
	case JOB_RUNNING: return "Being graded";
	case JOB_DONE: return "Graded";
	default: return "The grader could not grade it";
	}
}

void pages_job_status(struct gbuf *b, const struct job *j, int position)
{
	char title[64];
	bool waiting = j->state == JOB_QUEUED || j->state == JOB_RUNNING;

	snprintf(title, sizeof(title), "Job %lld", (long long)j->id);
	pages_open(b, title, waiting ? 2 : 0);
	gbuf_addf(b, "<h1>Job %lld</h1>\n<dl>\n<dt>Repository</dt><dd>", (long long)j->id);
	pages_escape(b, j->repo);
	gbuf_adds(b, "</dd>\n<dt>Challenge</dt><dd>");
	pages_escape(b, j->challenge);
	gbuf_adds(b, "</dd>\n<dt>Ref</dt><dd>");
	pages_escape(b, j->ref);
	gbuf_adds(b, "</dd>\n<dt>State</dt><dd id=\"state\" role=\"status\">");
	pages_escape(b, pages_state_words(j));
	if (j->state == JOB_QUEUED && position > 0)
		gbuf_addf(b, ", position %d", position);
	gbuf_adds(b, "</dd>\n");
	if (j->state == JOB_DONE) {
		gbuf_adds(b, "<dt>Result</dt><dd id=\"result\">");
		pages_escape(b, j->status ? j->status : "");
		gbuf_addf(b, ": %d / %d</dd>\n", j->score, j->max_score);
	}
	if (j->state == JOB_FAILED) {
		gbuf_adds(b, "<dt>Why</dt><dd>");
		pages_escape(b, j->error ? j->error : "unknown");
		gbuf_adds(b, "</dd>\n");
	}
	gbuf_adds(b, "</dl>\n");
	if (j->report)
		gbuf_addf(b, "<p><a id=\"report-link\" href=\"/jobs/%lld/report\">The full report</a></p>\n",
			  (long long)j->id);
	else if (waiting)
		gbuf_adds(b, "<p>This page refreshes itself every two seconds.</p>\n");
	pages_close(b);
}

static void pages_json_str(struct gbuf *b, const char *key, const char *v, bool comma)
{
	size_t i;

	gbuf_addf(b, "\"%s\":", key);
	if (!v) {
		gbuf_adds(b, "null");
	} else {
		gbuf_addch(b, '"');
		for (i = 0; v[i]; i++) {
			unsigned char ch = (unsigned char)v[i];

			if (ch == '"' || ch == '\\')
				gbuf_addf(b, "\\%c", ch);
			else if (ch < 0x20)
				gbuf_addf(b, "\\u%04x", ch);
			else
				gbuf_addch(b, (char)ch);
		}
		gbuf_addch(b, '"');
	}
	if (comma)
		gbuf_addch(b, ',');
}

void pages_job_json(struct gbuf *b, const struct job *j, int position)
{
	gbuf_addf(b, "{\"id\":%lld,", (long long)j->id);
	pages_json_str(b, "state", job_state_name(j->state), true);
	gbuf_addf(b, "\"position\":%d,", position);
	pages_json_str(b, "repository", j->repo, true);
	pages_json_str(b, "ref", j->ref, true);
	pages_json_str(b, "challenge", j->challenge, true);
	pages_json_str(b, "commit", j->commit, true);
	pages_json_str(b, "status", j->status, true);
	if (j->state == JOB_DONE)
		gbuf_addf(b, "\"score\":%d,\"max_score\":%d,", j->score, j->max_score);
	if (j->run_id > 0)
		gbuf_addf(b, "\"run_id\":%lld,", (long long)j->run_id);
	pages_json_str(b, "error", j->error, false);
	gbuf_adds(b, "}\n");
}

static void pages_check_row(struct gbuf *b, const struct check_result *c, bool withheld)
{
	const char *st = check_status_name(c->status);

	gbuf_adds(b, "<tr><td>");
	pages_escape(b, c->id);
	gbuf_adds(b, "</td><td>");
	pages_escape(b, c->title ? c->title : "");
	gbuf_addf(b, "</td><td class=\"%s\">%s</td><td>%d / %d</td><td class=\"msg\">", st, st, c->points,
		  c->max_points);
	pages_escape(b, withheld ? FORMAT_WITHHELD : (c->message ? c->message : ""));
	gbuf_adds(b, "</td></tr>\n");
}

int pages_report(struct gbuf *b, const struct job *j)
{
	struct grade_result r;
	struct format_opts o = FORMAT_OPTS_INIT;
	char title[64];
	size_t i;
	int rc = -1;

	if (format_read_report(j->report, strlen(j->report), "the stored report", &r) < 0)
		goto done;
	snprintf(title, sizeof(title), "Report of job %lld", (long long)j->id);
	pages_open(b, title, 0);
	gbuf_adds(b, "<h1>");
	pages_escape(b, r.challenge_title ? r.challenge_title : r.challenge_id);
	gbuf_adds(b, "</h1>\n<p id=\"score\">");
	pages_escape(b, run_status_name(r.status));
	gbuf_addf(b, ": <strong>%d / %d</strong></p>\n<dl><dt>Repository</dt><dd>", r.score, r.max_score);
	pages_escape(b, r.source);
	gbuf_adds(b, "</dd><dt>Commit</dt><dd><code>");
	pages_escape(b, r.commit);
	gbuf_adds(b, "</code></dd><dt>Suite</dt><dd><code>");
	pages_escape(b, r.suite_sha256);
	gbuf_adds(b, "</code></dd></dl>\n");
	if (r.diagnosis) {
		gbuf_adds(b, "<h2>Why it could not be graded</h2>\n<pre id=\"diagnosis\">");
		pages_escape(b, r.diagnosis);
		gbuf_adds(b, "</pre>\n");
	}
	gbuf_adds(b, "<h2>Checks</h2>\n<table id=\"checks\"><thead><tr><th scope=\"col\">Check</th>"
		     "<th scope=\"col\">Title</th><th scope=\"col\">Status</th><th scope=\"col\">Points</th>"
		     "<th scope=\"col\">Message</th></tr></thead><tbody>\n");
	for (i = 0; i < r.nchecks; i++)
		pages_check_row(b, &r.checks[i], format_withholds(&r.checks[i], FORMAT_MARKDOWN, &o));
	gbuf_addf(b, "</tbody></table>\n<p><a href=\"/jobs/%lld\">Back to the job</a></p>\n", (long long)j->id);
	pages_close(b);
	rc = 0;
done:
	grade_result_release(&r);
	return rc;
}

int pages_badge(struct gbuf *b, const struct job *j, const char *challenge, int svg)
{
	struct grade_result r;
	struct format_opts o = FORMAT_OPTS_INIT;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	if (j && j->report) {
		if (format_read_report(j->report, strlen(j->report), "the stored report", &r) < 0)
			goto done;
	} else {
		/* Nothing graded yet: a badge that says so, never a score. */
		r.status = RUN_INTERNAL_ERROR;
		result_setf(&r.challenge_id, "%s", challenge);
		result_setf(&r.challenge_title, "%s", challenge);
		result_setf(&r.diagnosis, "not graded yet");
		if (!r.challenge_id || !r.challenge_title || !r.diagnosis) {
			err_set("out of memory");
			goto done;
		}
		o.label = challenge;
	}
	rc = format_render(&r, svg ? FORMAT_BADGE : FORMAT_SHIELDS, &o, b);
done:
	grade_result_release(&r);
	return rc;
}

struct queue_ctx {
	struct gbuf *b;
	struct jobq *q;
	const char *csrf;
	int shown;
};

static int pages_queue_row(const struct job *j, void *arg)
{
	struct queue_ctx *x = arg;
	int pos = 0;

	if (j->state == JOB_QUEUED)
		jobq_position(x->q, j->id, &pos);
	gbuf_addf(x->b, "<tr><td><a href=\"/jobs/%lld\">%lld</a></td><td>", (long long)j->id, (long long)j->id);
	if (pos)
		gbuf_addf(x->b, "%d", pos);
	gbuf_adds(x->b, "</td><td>");
	pages_escape(x->b, job_state_name(j->state));
	gbuf_adds(x->b, "</td><td>");
	pages_escape(x->b, j->slug);
	gbuf_adds(x->b, "</td><td>");
	pages_escape(x->b, j->student ? j->student : "");
	gbuf_adds(x->b, "</td><td>");
	pages_escape(x->b, j->challenge);
	gbuf_adds(x->b, "</td><td>");
	if (j->state == JOB_DONE)
		gbuf_addf(x->b, "%d / %d", j->score, j->max_score);
	gbuf_addf(x->b, "</td><td><form method=\"post\" action=\"/instructor/regrade\">"
			"<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
			"<input type=\"hidden\" name=\"job\" value=\"%lld\">"
			"<button type=\"submit\" aria-label=\"Regrade job %lld\">Regrade</button></form></td></tr>\n",
		  x->csrf, (long long)j->id, (long long)j->id);
	x->shown++;
	return 0;
}

static const char pages_queue_head[] =
	"<table><thead><tr><th scope=\"col\">Job</th><th scope=\"col\">Position</th>"
	"<th scope=\"col\">State</th><th scope=\"col\">Repository</th><th scope=\"col\">Student</th>"
	"<th scope=\"col\">Challenge</th><th scope=\"col\">Score</th><th scope=\"col\">Action</th></tr>"
	"</thead><tbody>\n";

int pages_instructor_queue(struct gbuf *b, const struct serve_config *c, struct jobq *q, const char *csrf)
{
	struct queue_ctx x = {b, q, csrf, 0};
	int counts[4];
	size_t i;

	if (jobq_counts(q, counts) < 0)
		return -1;
	pages_open(b, "Queue", 5);
	gbuf_addf(b, "<h1>Grading queue</h1>\n<p id=\"counts\">%d queued, %d running, %d graded, %d failed</p>\n"
		     "<p>Class reports:", counts[0], counts[1], counts[2], counts[3]);
	for (i = 0; i < c->challenges.n; i++) {
		gbuf_adds(b, " <a href=\"/instructor/report/");
		pages_escape(b, c->challenges.v[i]);
		gbuf_adds(b, "/\">");
		pages_escape(b, c->challenges.v[i]);
		gbuf_adds(b, "</a>");
	}
	gbuf_addf(b, "</p>\n<h2>Waiting and running</h2>\n%s", pages_queue_head);
	if (jobq_each(q, true, 500, pages_queue_row, &x) < 0)
		return -1;
	gbuf_addf(b, "</tbody></table>\n<h2>Recent jobs</h2>\n%s", pages_queue_head);
	if (jobq_each(q, false, 100, pages_queue_row, &x) < 0)
		return -1;
	gbuf_adds(b, "</tbody></table>\n");
	pages_close(b);
	return 0;
}
