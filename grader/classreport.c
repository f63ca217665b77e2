/*
 * classreport.c - the class report's pages (see classreport.h).
 *
 * Pages are built in a gbuf and written whole with a rename, so a reader
 * never sees half a page. One escaping function, html_text(), is the only
 * way submission text reaches a page.
 */
#include "classreport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "buf.h"
#include "err.h"
#include "vec.h"
#include "result.h"

/* The index page's script: sorts the students table by a column, from a
 * header click or from the URL's #sort=COLUMN:asc|desc. Its sha256 goes into
 * the page's Content-Security-Policy; nothing else may run. */
static const char CR_SCRIPT[] =
	"(function(){\n"
	"var t=document.getElementById('students');\n"
	"if(!t)return;\n"
	"var heads=t.tHead.rows[0].cells;\n"
	"function key(r,i){var c=r.cells[i];var v=c.getAttribute('data-v');return v===null?c.textContent:v;}\n"
	"function sortBy(i,dir){\n"
	" var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows);\n"
	" rows.sort(function(x,y){var a=key(x,i),c=key(y,i),na=parseFloat(a),nc=parseFloat(c);\n"
	"  var d=(!isNaN(na)&&!isNaN(nc))?na-nc:a.localeCompare(c);\n"
	"  if(d===0)d=key(x,0).localeCompare(key(y,0));return dir*d;});\n"
	" rows.forEach(function(r){b.appendChild(r);});\n"
	" for(var j=0;j<heads.length;j++)heads[j].removeAttribute('aria-sort');\n"
	" heads[i].setAttribute('aria-sort',dir>0?'ascending':'descending');\n"
	" t.setAttribute('data-sorted',heads[i].getAttribute('data-col')+':'+(dir>0?'asc':'desc'));\n"
	"}\n"
	"Array.prototype.forEach.call(heads,function(h,i){\n"
	" var b=h.querySelector('button');if(!b)return;\n"
	" b.addEventListener('click',function(){sortBy(i,h.getAttribute('aria-sort')==='ascending'?-1:1);});\n"
	"});\n"
	"var m=/#sort=([a-z_]+):(asc|desc)/.exec(location.hash);\n"
	"if(m)for(var k=0;k<heads.length;k++)if(heads[k].getAttribute('data-col')===m[1])sortBy(k,m[2]==='asc'?1:-1);\n"
	"})();\n";

static const char CR_STYLE[] =
	"body{font-family:'DejaVu Sans',sans-serif;margin:2em auto;max-width:70em;color:#222;padding:0 1em}"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}"
	"table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3em .5em;"
	"text-align:left;vertical-align:top}td.n,th.n{text-align:right}"
	"th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;cursor:pointer}"
	"th[aria-sort=ascending] button::after{content:' \\25B2'}th[aria-sort=descending] button::after{content:' \\25BC'}"
	".bar{background:#eee;width:10em;height:.8em;display:inline-block}.bar span{background:#3a7;display:block;height:100%}"
	".worst{background:#fff3f0}.pass{color:#276}.fail,.error{color:#b21}.skip{color:#777}"
	".msg{white-space:pre-wrap;font-family:'DejaVu Sans Mono',monospace;font-size:.9em;margin:.2em 0 .6em}"
	"code{font-family:'DejaVu Sans Mono',monospace}";

/* ---- escaping ------------------------------------------------------------ */

/* HTML text or attribute value (buf.h's one escaper). */
static int html_text(struct gbuf *b, const char *s)
{
	return gbuf_add_html(b, s);
}

/* ---- writing ------------------------------------------------------------- */

/* Write the page atomically: a temporary file, then rename. */
static int cr_write(const char *dir, const char *name, const struct gbuf *page)
{
	char *path = NULL, *tmp = NULL;
	int fd = -1, rc = -1;

	if (asprintf(&path, "%s/%s", dir, name) < 0 || asprintf(&tmp, "%s.tmp", path) < 0) {
		err_set("out of memory");
		goto done;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 || write(fd, gbuf_str(page), page->len) != (ssize_t)page->len || fsync(fd) < 0) {
		err_set_errno("cannot write %s", tmp);
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		err_set_errno("cannot write %s", tmp);
		goto done;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		err_set_errno("cannot write %s", path);
		goto done;
	}
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	if (rc < 0 && tmp)
		unlink(tmp);
	free(path);
	free(tmp);
	return rc;
}

/* 'sha256-BASE64' of the script, for the Content-Security-Policy. */
static int cr_script_hash(char out[64])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_Digest(CR_SCRIPT, strlen(CR_SCRIPT), md, &n, EVP_sha256(), NULL) || n != 32)
		return err_set("sha256 failed");
	memcpy(out, "sha256-", 7);
	EVP_EncodeBlock((unsigned char *)out + 7, md, (int)n);
	return 0;
}

static int cr_head(struct gbuf *b, const char *title, const char *script_hash)
{
	if (gbuf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		      "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; script-src ") < 0)
		return -1;
	if (script_hash ? gbuf_addf(b, "'%s'", script_hash) < 0 : gbuf_adds(b, "'none'") < 0)
		return -1;
	if (gbuf_adds(b, "\">\n<title>") < 0 || html_text(b, title) < 0 ||
	    gbuf_addf(b, "</title>\n<style>%s</style>\n</head><body>\n", CR_STYLE) < 0)
		return -1;
	return 0;
}

/* ---- the data ------------------------------------------------------------ */

struct cr_check {
	const char *id, *title;   /* borrowed from the first run that has it */
	int max_points;
	bool advisory;
	unsigned pass, total;
	/* failure messages and how often each was seen */
	const char **msgs;
	unsigned *counts;
	size_t nmsgs, cap_msgs, cap_counts;
};

struct cr_class {
	struct store_run_info *rows;
	size_t n;
	struct grade_result *runs;   /* runs[i] is rows[i]'s run */
	struct cr_check *checks;
	size_t nchecks, cap_checks;
	unsigned hist[11];
	unsigned graded;
	const char *title;
};

static int cr_count_msg(struct cr_check *k, const char *msg)
{
	size_t i;

	for (i = 0; i < k->nmsgs; i++)
		if (!strcmp(k->msgs[i], msg)) {
			k->counts[i]++;
			return 0;
		}
	if (VEC_RESERVE(k->msgs, k->cap_msgs, k->nmsgs + 1) < 0 ||
	    VEC_RESERVE(k->counts, k->cap_counts, k->nmsgs + 1) < 0)
		return -1;
	k->msgs[k->nmsgs] = msg;
	k->counts[k->nmsgs++] = 1;
	return 0;
}

static int cr_load(struct store *st, const char *challenge, struct cr_class *c)
{
	size_t i, j, k;

	if (store_gradebook(st, challenge, &c->rows, &c->n) < 0)
		return -1;
	c->runs = calloc(c->n ? c->n : 1, sizeof(*c->runs));
	if (!c->runs)
		return err_set("out of memory");
	for (i = 0; i < c->n; i++) {
		struct grade_result *r = &c->runs[i];

		if (store_load_run(st, c->rows[i].run_id, r) != 0)
			return err_wrap("run %lld", (long long)c->rows[i].run_id);
		if (!c->title && r->challenge_title)
			c->title = r->challenge_title;
		if (r->status != RUN_GRADED)
			continue;
		c->graded++;
		k = r->max_score > 0 ? (size_t)(result_final_score(r) * 10 / r->max_score) : 0;
		c->hist[k > 10 ? 10 : k]++;
		for (j = 0; j < r->nchecks; j++) {
			const struct check_result *cr = &r->checks[j];
			struct cr_check *kc = NULL;

			for (k = 0; k < c->nchecks; k++)
				if (!strcmp(c->checks[k].id, cr->id))
					kc = &c->checks[k];
			if (!kc) {
				if (VEC_RESERVE(c->checks, c->cap_checks, c->nchecks + 1) < 0)
					return -1;
				kc = &c->checks[c->nchecks++];
				memset(kc, 0, sizeof(*kc));
				kc->id = cr->id;
				kc->title = cr->title;
				kc->max_points = cr->max_points;
				kc->advisory = cr->advisory;
			}
			kc->total++;
			if (cr->status == CHECK_PASS)
				kc->pass++;
			else if ((cr->status == CHECK_FAIL || cr->status == CHECK_ERROR) && cr->message &&
				 cr_count_msg(kc, cr->message) < 0)
				return -1;
		}
	}
	return 0;
}

static void cr_free(struct cr_class *c)
{
	size_t i;

	for (i = 0; i < c->nchecks; i++) {
		free(c->checks[i].msgs);
		free(c->checks[i].counts);
	}
	free(c->checks);
	for (i = 0; c->runs && i < c->n; i++)
		grade_result_release(&c->runs[i]);
	free(c->runs);
	store_run_infos_free(c->rows, c->n);
}

/* ---- index.html ---------------------------------------------------------- */

static int cr_histogram(struct gbuf *b, const struct cr_class *c)
{
	const int W = 44, H = 160, top = 20, left = 30;
	unsigned max = 1, i;

	for (i = 0; i < 11; i++)
		if (c->hist[i] > max)
			max = c->hist[i];
	if (gbuf_addf(b, "<svg id=\"histogram\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		      "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"11\">"
		      "<title>Final scores of %u graded students, in tenths of the maximum</title>"
		      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>",
		      left + 11 * W + 10, top + H + 40, left + 11 * W + 10, top + H + 40, c->graded,
		      left, top + H, left + 11 * W, top + H) < 0)
		return -1;
	for (i = 0; i < 11; i++) {
		int h = (int)(c->hist[i] * (unsigned)H / max), x = left + (int)i * W;

		if (gbuf_addf(b, "<rect class=\"bin\" data-count=\"%u\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			      "fill=\"#3a7\"><title>%u student%s</title></rect>"
			      "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%u</text>"
			      "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s%u</text>",
			      c->hist[i], x + 4, top + H - h, W - 8, h, c->hist[i], c->hist[i] == 1 ? "" : "s",
			      x + W / 2, top + H - h - 4, c->hist[i],
			      x + W / 2, top + H + 16, i < 10 ? "" : "", i * 10) < 0)
			return -1;
	}
	return gbuf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">final score, percent of the maximum "
			 "(bins of 10; the last is 100)</text></svg>\n", left + 11 * W / 2, top + H + 34);
}

static int cr_checks_table(struct gbuf *b, const struct cr_class *c)
{
	size_t *order = NULL, i, j;
	int rc = -1;

	order = calloc(c->nchecks ? c->nchecks : 1, sizeof(*order));
	if (!order)
		return err_set("out of memory");
	for (i = 0; i < c->nchecks; i++)
		order[i] = i;
	/* Worst pass rate first (stable: suite order among equals). */
	for (i = 1; i < c->nchecks; i++)
		for (j = i; j > 0; j--) {
			const struct cr_check *a = &c->checks[order[j - 1]], *k = &c->checks[order[j]];

			if ((unsigned long)k->pass * a->total >= (unsigned long)a->pass * k->total)
				break;
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	if (gbuf_adds(b, "<table id=\"checks\"><thead><tr><th>check</th><th class=\"n\">points</th>"
		      "<th class=\"n\">pass rate</th><th></th><th>most common failure</th></tr></thead><tbody>\n") < 0)
		goto done;
	for (i = 0; i < c->nchecks; i++) {
		const struct cr_check *k = &c->checks[order[i]];
		unsigned pct = k->total ? k->pass * 100 / k->total : 0;
		size_t best = 0, m;

		for (m = 1; m < k->nmsgs; m++)
			if (k->counts[m] > k->counts[best])
				best = m;
		if (gbuf_addf(b, "<tr class=\"check%s\" data-check=\"", i == 0 && k->pass < k->total ? " worst" : "") < 0 ||
		    html_text(b, k->id) < 0 || gbuf_addf(b, "\" data-pass-rate=\"%u\"><td><code>", pct) < 0 ||
		    html_text(b, k->id) < 0 || gbuf_adds(b, "</code><br>") < 0 || html_text(b, k->title) < 0 ||
		    gbuf_adds(b, "</td><td class=\"n\">") < 0 ||
		    (k->advisory ? gbuf_adds(b, "advisory") : gbuf_addf(b, "%d", k->max_points)) < 0 ||
		    gbuf_addf(b, "</td><td class=\"n\">%u%% (%u of %u)</td>"
			      "<td><span class=\"bar\"><span style=\"width:%u%%\"></span></span></td><td>",
			      pct, k->pass, k->total, pct) < 0)
			goto done;
		if (k->nmsgs) {
			if (gbuf_addf(b, "<div class=\"msg\">") < 0 || html_text(b, k->msgs[best]) < 0 ||
			    gbuf_addf(b, "</div>%u of %u failure%s", k->counts[best], k->total - k->pass,
				      k->total - k->pass == 1 ? "" : "s") < 0)
				goto done;
		}
		if (gbuf_adds(b, "</td></tr>\n") < 0)
			goto done;
	}
	rc = gbuf_adds(b, "</tbody></table>\n");
done:
	free(order);
	return rc;
}

static int cr_th(struct gbuf *b, const char *col, const char *label, bool num)
{
	return gbuf_addf(b, "<th data-col=\"%s\"%s><button type=\"button\">%s</button></th>", col,
			 num ? " class=\"n\"" : "", label);
}

static int cr_students_table(struct gbuf *b, const struct cr_class *c)
{
	size_t i;

	if (gbuf_adds(b, "<table id=\"students\"><thead><tr>") < 0 || cr_th(b, "student", "student", false) < 0 ||
	    cr_th(b, "final", "final", true) < 0 || cr_th(b, "score", "score", true) < 0 ||
	    cr_th(b, "penalty", "late penalty", true) < 0 || cr_th(b, "status", "status", false) < 0 ||
	    cr_th(b, "commit", "commit", false) < 0 || cr_th(b, "graded_at", "graded at", false) < 0 ||
	    gbuf_adds(b, "</tr></thead><tbody>\n") < 0)
		return -1;
	for (i = 0; i < c->n; i++) {
		const struct store_run_info *r = &c->rows[i];

		if (gbuf_adds(b, "<tr class=\"student\"><td data-v=\"") < 0 || html_text(b, r->student) < 0 ||
		    gbuf_addf(b, "\"><a href=\"students/run-%lld.html\">", (long long)r->run_id) < 0 ||
		    html_text(b, r->student) < 0 ||
		    gbuf_addf(b, "</a></td><td class=\"n\" data-v=\"%d\">%d/%d</td><td class=\"n\" data-v=\"%d\">%d</td>"
			      "<td class=\"n\" data-v=\"%d\">%d</td><td class=\"%s\">", r->final_score, r->final_score,
			      r->max_score, r->score, r->score, r->late_penalty, r->late_penalty,
			      strcmp(r->status, "graded") ? "fail" : "pass") < 0 ||
		    html_text(b, r->status) < 0 ||
		    gbuf_addf(b, "</td><td><code>%.12s</code></td><td>", r->commit[0] ? r->commit : "-") < 0 ||
		    html_text(b, r->started_at) < 0 || gbuf_adds(b, "</td></tr>\n") < 0)
			return -1;
	}
	return gbuf_adds(b, "</tbody></table>\n");
}

static int cr_index(const struct cr_class *c, const char *challenge, const char *dir)
{
	struct gbuf b = GBUF_INIT(0);
	char hash[64] = "";
	unsigned long sum = 0;
	size_t i;
	int rc = -1;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->rows[i].status, "graded"))
			sum += (unsigned long)c->rows[i].final_score;
	if (cr_script_hash(hash) < 0 || cr_head(&b, c->title ? c->title : challenge, hash) < 0 ||
	    gbuf_adds(&b, "<h1>") < 0 || html_text(&b, c->title ? c->title : challenge) < 0 ||
	    gbuf_adds(&b, " (<code>") < 0 || html_text(&b, challenge) < 0 ||
	    gbuf_addf(&b, "</code>)</h1>\n<p id=\"summary\">%zu students, %u graded, %zu could not be graded; "
		      "mean final score of the graded: %.1f</p>\n<h2>Scores</h2>\n", c->n, c->graded,
		      c->n - c->graded, c->graded ? (double)sum / c->graded : 0.0) < 0 ||
	    cr_histogram(&b, c) < 0 ||
	    gbuf_adds(&b, "<h2>Checks, the one the class fails most first</h2>\n<p>Pass rates count the graded "
		      "runs.</p>\n") < 0 ||
	    cr_checks_table(&b, c) < 0 ||
	    gbuf_adds(&b, "<h2>Students</h2>\n<p>Click a column to sort.</p>\n") < 0 ||
	    cr_students_table(&b, c) < 0 ||
	    gbuf_addf(&b, "<script>%s</script>\n</body></html>\n", CR_SCRIPT) < 0) {
		if (!*err_last())
			err_set("out of memory");
		goto done;
	}
	rc = cr_write(dir, "index.html", &b);
done:
	gbuf_release(&b);
	return rc;
}

/* ---- one page a student -------------------------------------------------- */

static int cr_student(const struct store_run_info *row, const struct grade_result *r, const char *dir)
{
	struct gbuf b = GBUF_INIT(0);
	char name[64], when[32];
	size_t i;
	int rc = -1;
	struct tm tm;

	when[0] = '\0';
	if (r->started_at && gmtime_r(&r->started_at, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (cr_head(&b, row->student ? row->student : "student", NULL) < 0 ||
	    gbuf_adds(&b, "<p><a href=\"../index.html\">&larr; the class</a></p>\n<h1>") < 0 ||
	    html_text(&b, row->student) < 0 || gbuf_adds(&b, "</h1>\n<dl><dt>challenge</dt><dd>") < 0 ||
	    html_text(&b, r->challenge_title) < 0 || gbuf_adds(&b, " (<code>") < 0 ||
	    html_text(&b, r->challenge_id) < 0 || gbuf_adds(&b, "</code>)</dd><dt>submission</dt><dd><code>") < 0 ||
	    html_text(&b, r->source) < 0 || gbuf_adds(&b, "</code>, ref <code>") < 0 || html_text(&b, r->ref) < 0 ||
	    gbuf_addf(&b, "</code>, commit <code>%s</code></dd>", r->commit[0] ? r->commit : "(none)") < 0 ||
	    gbuf_addf(&b, "<dt>run</dt><dd>%lld, graded at %s</dd>", (long long)r->run_id, when) < 0)
		goto oom;
	if (r->selection && (gbuf_adds(&b, "<dt>commit graded</dt><dd>") < 0 || html_text(&b, r->selection) < 0 ||
			     gbuf_adds(&b, "</dd>") < 0))
		goto oom;
	if (gbuf_adds(&b, "<dt>status</dt><dd id=\"status\">") < 0 || html_text(&b, run_status_name(r->status)) < 0 ||
	    gbuf_addf(&b, "</dd><dt>score</dt><dd id=\"score\">%d/%d", r->score, r->max_score) < 0 ||
	    (r->late_penalty && gbuf_addf(&b, ", late penalty -%d, final %d/%d", r->late_penalty,
					  result_final_score(r), r->max_score) < 0) ||
	    gbuf_adds(&b, "</dd></dl>\n") < 0)
		goto oom;
	if (r->status != RUN_GRADED &&
	    (gbuf_adds(&b, "<h2>Why it could not be graded</h2>\n<div class=\"msg\" id=\"diagnosis\">") < 0 ||
	     html_text(&b, r->diagnosis ? r->diagnosis : run_status_name(r->status)) < 0 ||
	     gbuf_adds(&b, "</div>\n") < 0))
		goto oom;
	if (r->nchecks && gbuf_adds(&b, "<h2>Checks</h2>\n<table id=\"report\"><thead><tr><th>status</th>"
				    "<th class=\"n\">points</th><th>check</th></tr></thead><tbody>\n") < 0)
		goto oom;
	for (i = 0; i < r->nchecks; i++) {
		const struct check_result *c = &r->checks[i];
		const char *st = check_status_name(c->status);

		if (gbuf_addf(&b, "<tr class=\"check\"><td class=\"%s\">%s</td><td class=\"n\">", st, st) < 0 ||
		    (c->advisory ? gbuf_adds(&b, "advisory") : gbuf_addf(&b, "%d/%d", c->points, c->max_points)) < 0 ||
		    gbuf_adds(&b, "</td><td><code>") < 0 || html_text(&b, c->id) < 0 ||
		    gbuf_adds(&b, "</code> ") < 0 || html_text(&b, c->title) < 0)
			goto oom;
		if (c->status != CHECK_PASS && c->message &&
		    (gbuf_adds(&b, "<div class=\"msg\">") < 0 || html_text(&b, c->message) < 0 ||
		     gbuf_adds(&b, "</div>") < 0))
			goto oom;
		if (gbuf_adds(&b, "</td></tr>\n") < 0)
			goto oom;
	}
	if ((r->nchecks && gbuf_adds(&b, "</tbody></table>\n") < 0) || gbuf_adds(&b, "</body></html>\n") < 0)
		goto oom;
	snprintf(name, sizeof(name), "students/run-%lld.html", (long long)row->run_id);
	rc = cr_write(dir, name, &b);
	goto done;
oom:
	err_set("out of memory");
done:
	gbuf_release(&b);
	return rc;
}

int classreport_write(struct store *st, const char *challenge, const char *dir,
		      struct classreport_stats *stats)
{
	struct cr_class c;
	char *sub = NULL;
	size_t i;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	memset(stats, 0, sizeof(*stats));
	if (asprintf(&sub, "%s/students", dir) < 0) {
		sub = NULL;
		err_set("out of memory");
		goto done;
	}
	if ((mkdir(dir, 0755) < 0 && errno != EEXIST) || (mkdir(sub, 0755) < 0 && errno != EEXIST)) {
		err_set_errno("cannot create %s", sub);
		goto done;
	}
	if (cr_load(st, challenge, &c) < 0)
		goto done;
	if (!c.n) {
		err_set("no student has a recorded run of challenge '%s' (grade a class with `grader batch`)",
			challenge);
		goto done;
	}
	for (i = 0; i < c.n; i++)
		if (cr_student(&c.rows[i], &c.runs[i], dir) < 0)
			goto done;
	if (cr_index(&c, challenge, dir) < 0)
		goto done;
	stats->students = c.n;
	stats->graded = c.graded;
	stats->pages = c.n + 1;
	rc = 0;
done:
	cr_free(&c);
	free(sub);
	return rc;
}
