/*
 * report.c - a grade_result as JSON (contracts §1) and as a terminal table.
 *
 * Messages and diagnoses quote the submission (its answers, its traceback),
 * so they are untrusted text even after the engine cut them to size. Two
 * things follow:
 *  - JSON: cJSON escapes quotes and control characters but copies other
 *    bytes as they are, so invalid UTF-8 would make the whole report invalid
 *    JSON. Every string is re-encoded first, invalid sequences becoming
 *    U+FFFD.
 *  - Text: a report is printed to a terminal, often an instructor's. Control
 *    characters (ESC starts cursor and title sequences; C1 0x80-0x9F is a
 *    CSI on some terminals) and the Unicode bidi overrides (which make text
 *    read differently from what it is, "Trojan Source") are replaced by
 *    spaces, so a submission cannot rewrite what the reader sees. No colours.
 *
 * Widths are counted in code points, an approximation: wide CJK characters
 * and combining marks make a line a little longer or shorter than 100
 * columns, never unsafe.
 */
#include "report.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boot.h"
#include "err.h"

#define REPORT_WIDTH 100
#define REPORT_ROW_INDENT 16          /* "  PASS   10/10  " */
#define REPORT_FIELD_MAX 200          /* bytes of a header field shown */
#define REPORT_MSG_MAX 4096           /* bytes of one check message shown */
#define REPORT_SYSTEM_CHECKS_MAX 1200 /* bytes of the system checks' sentence shown */
#define REPORT_DIAG_MAX 16384         /* bytes of a diagnosis shown */
#define REPORT_JSON_STR_MAX ((size_t)1 << 20)

enum clean_mode {
	CLEAN_JSON,   /* only repair the encoding; cJSON escapes the rest */
	CLEAN_LINE,   /* terminal-safe, on one line */
	CLEAN_BLOCK,  /* terminal-safe, keeping newlines */
};

/* Code points a terminal must not receive from a submission. */
static bool report_cp_unsafe(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

/*
 * Append s to b re-encoded for `mode`, at most `max` bytes (cut on a
 * character boundary, "…" added when cut).
 */
static int report_clean(struct gbuf *b, const char *s, enum clean_mode mode, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s);
	size_t i = 0, out = 0;

	while (i < len) {
		uint32_t cp = 0;
		size_t n = utf8_decode(u + i, len - i, &cp);
		const char *piece = s + i;
		size_t plen = n;

		if (n == 0) {
			piece = "\xEF\xBF\xBD"; /* U+FFFD */
			plen = 3;
			n = 1;
		} else if (mode != CLEAN_JSON && report_cp_unsafe(cp)) {
			piece = (cp == '\n' && mode == CLEAN_BLOCK) ? "\n" : " ";
			plen = 1;
			/* CR LF is one line break, not a space and a break. */
			if (cp == '\r' && mode == CLEAN_BLOCK && i + 1 < len && s[i + 1] == '\n')
				plen = 0;
		}
		if (out + plen > max)
			break;
		if (plen && gbuf_add(b, piece, plen) < 0)
			return -1;
		out += plen;
		i += n;
	}
	if (i < len)
		return gbuf_adds(b, "\xE2\x80\xA6"); /* … */
	return 0;
}

/* ---- JSON ---------------------------------------------------------------- */

/* Add key: v (re-encoded), or null when v is NULL and nullable, else "". */
static int report_json_str(cJSON *obj, const char *key, const char *v, bool nullable)
{
	struct gbuf b = GBUF_INIT(REPORT_JSON_STR_MAX + 8);
	int rc = -1;

	if (!v && nullable) {
		if (!cJSON_AddNullToObject(obj, key))
			goto done;
		rc = 0;
		goto done;
	}
	if (report_clean(&b, v ? v : "", CLEAN_JSON, REPORT_JSON_STR_MAX) < 0)
		goto done;
	if (!cJSON_AddStringToObject(obj, key, gbuf_str(&b)))
		goto done;
	rc = 0;
done:
	gbuf_release(&b);
	return rc;
}

/* Integers only: cJSON prints an integral double without a fraction. */
static int report_json_int(cJSON *obj, const char *key, long v)
{
	return cJSON_AddNumberToObject(obj, key, (double)v) ? 0 : -1;
}

static const char *report_fallback_diagnosis(const struct grade_result *r)
{
	/* Graded: null, or the sandbox limit the app hit during the checks
	 * (the completed checks keep their results; grade.c). */
	if (r->status == RUN_GRADED)
		return r->diagnosis;
	return r->diagnosis ? r->diagnosis : "no diagnosis was recorded for this run";
}

static int report_json_check(cJSON *arr, const struct check_result *c)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		return -1;
	}
	if (report_json_str(o, "id", c->id, false) < 0 ||
	    report_json_str(o, "title", c->title, false) < 0 ||
	    report_json_str(o, "category", c->category, false) < 0 ||
	    report_json_int(o, "points", c->points) < 0 ||
	    report_json_int(o, "max_points", c->max_points) < 0 ||
	    report_json_str(o, "status", check_status_name(c->status), false) < 0 ||
	    report_json_str(o, "message", c->status == CHECK_PASS ? NULL : c->message, true) < 0 ||
	    report_json_int(o, "duration_ms", c->duration_ms) < 0 ||
	    report_json_str(o, "visibility", check_visibility_name(c->visibility), false) < 0)
		return -1;
	return 0;
}

/* A line left out, "LINE\tWHY" (result.h): the line (malloc'd, the
 * caller frees; NULL on OOM) and *why pointing into `entry` ("" none). */
static char *left_out_split(const char *entry, const char **why)
{
	const char *tab = strchr(entry, '\t');

	*why = tab ? tab + 1 : "";
	return strndup(entry, tab ? (size_t)(tab - entry) : strlen(entry));
}

/* `environment`: null until the environment phase chose an interpreter. */
static int report_json_environment(cJSON *root, const struct grade_result *r)
{
	cJSON *o, *arr;
	size_t i;

	if (!r->env_python)
		return cJSON_AddNullToObject(root, "environment") ? 0 : -1;
	if (!(o = cJSON_AddObjectToObject(root, "environment")) ||
	    report_json_str(o, "python", r->env_python, false) < 0 ||
	    report_json_str(o, "python_reason", r->env_python_reason, true) < 0 ||
	    report_json_str(o, "requirements_source", r->env_requirements_source, true) < 0 ||
	    !(arr = cJSON_AddArrayToObject(o, "inferred")))
		return -1;
	for (i = 0; i < r->nenv_inferred; i++) {
		cJSON *s = cJSON_CreateString(r->env_inferred[i]);

		if (!s || !cJSON_AddItemToArray(arr, s))
			return -1;
	}
	if (!(arr = cJSON_AddArrayToObject(o, "relaxed")))
		return -1;
	for (i = 0; i < r->nenv_relaxed; i++) {
		cJSON *p = cJSON_CreateObject();

		if (!p || !cJSON_AddItemToArray(arr, p) ||
		    report_json_str(p, "from", r->env_relaxed[i].from, false) < 0 ||
		    report_json_str(p, "to", r->env_relaxed[i].to, false) < 0 ||
		    report_json_str(p, "why", r->env_relaxed[i].why, false) < 0)
			return -1;
	}
	/* Added in session 30 (keys are only added): the lines not installed,
	 * each {"line", "why"}; "LINE\tWHY" in the result. */
	if (!(arr = cJSON_AddArrayToObject(o, "left_out")))
		return -1;
	for (i = 0; i < r->nenv_left_out; i++) {
		const char *why;
		char *line = left_out_split(r->env_left_out[i], &why);
		cJSON *p = cJSON_CreateObject();
		int bad = !line || !p || !cJSON_AddItemToArray(arr, p) ||
			  report_json_str(p, "line", line, false) < 0 || report_json_str(p, "why", why, false) < 0;

		free(line);
		if (bad)
			return -1;
	}
	/* Added in session 36: the Django the app booted with, null when it
	 * did not boot (h523: which of a range's releases was installed). */
	return report_json_str(o, "django", r->env_django, true);
}

/* "causes": one root cause shared by several checks, said once (causes.h):
 * [{"cause": "...", "checks": [ids], "routes": ["/tickets/: /support/"]}]. */
static int report_json_causes(cJSON *root, const struct grade_result *r)
{
	cJSON *arr = cJSON_AddArrayToObject(root, "causes"), *o, *ids, *routes;
	size_t i, j;

	if (!arr)
		return -1;
	for (i = 0; i < r->ncauses; i++) {
		const struct cause *c = &r->causes[i];

		if (!(o = cJSON_CreateObject()) || !cJSON_AddItemToArray(arr, o) ||
		    report_json_str(o, "cause", c->text, false) < 0 ||
		    !(ids = cJSON_AddArrayToObject(o, "checks")) || !(routes = cJSON_AddArrayToObject(o, "routes")))
			return -1;
		for (j = 0; j < c->nchecks; j++)
			if (!cJSON_AddItemToArray(ids, cJSON_CreateString(c->checks[j])))
				return -1;
		for (j = 0; j < c->nroutes; j++)
			if (!cJSON_AddItemToArray(routes, cJSON_CreateString(c->routes[j])))
				return -1;
	}
	return 0;
}

/* time_t -> ISO 8601 UTC in buf (32 bytes). */
static void report_iso_time(time_t t, char *buf)
{
	struct tm tm;

	buf[0] = '\0';
	if (gmtime_r(&t, &tm))
		strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* `class`: the run's class context (grader batch), null outside one. */
static int report_json_class(cJSON *root, const struct grade_result *r)
{
	char due[32], ct[32];
	cJSON *o;

	if (!r->student && !r->due_at)
		return cJSON_AddNullToObject(root, "class") ? 0 : -1;
	report_iso_time(r->due_at, due);
	report_iso_time(r->commit_time, ct);
	if (!(o = cJSON_AddObjectToObject(root, "class")) ||
	    report_json_str(o, "student", r->student, true) < 0 ||
	    report_json_str(o, "due", r->due_at ? due : NULL, true) < 0 ||
	    report_json_str(o, "commit_time", r->commit_time ? ct : NULL, true) < 0 ||
	    report_json_str(o, "selection", r->selection, true) < 0 ||
	    report_json_int(o, "late_penalty", r->late_penalty) < 0 ||
	    report_json_int(o, "final_score", r->status == RUN_GRADED ? result_final_score(r) : 0) < 0)
		return -1;
	return 0;
}

/* "boot_phases_ms": where boot's time went, {"start": ms, "import": ms, ...}
 * in boot_phase_name order, a phase never reached is null; the whole key is
 * null when the app did not boot or the run was loaded from the store. */
static int report_json_boot_phases(cJSON *root, const struct grade_result *r)
{
	cJSON *o;
	int i;

	if (!r->boot_phases_known)
		return cJSON_AddNullToObject(root, "boot_phases_ms") ? 0 : -1;
	if (!(o = cJSON_AddObjectToObject(root, "boot_phases_ms")))
		return -1;
	for (i = 0; i < RESULT_BOOT_PHASES; i++)
		if (r->t_boot_phase_ms[i] < 0 ? !cJSON_AddNullToObject(o, boot_phase_name(i))
					      : report_json_int(o, boot_phase_name(i), r->t_boot_phase_ms[i]) < 0)
			return -1;
	return 0;
}

/* One check_timing as {"requests": n, "connects": n, "connect": ms, "app": ms,
 * "receive": ms, "http": ms, "grader": ms}, the times to 0.1 ms. */
static int report_json_timing(cJSON *o, const struct check_timing *t)
{
	const long long us[] = { t->connect_us, t->app_us, t->recv_us, t->http_us, t->grader_us };
	const char *const names[] = { "connect", "app", "receive", "http", "grader" };
	size_t i;

	if (report_json_int(o, "requests", t->requests) < 0 || report_json_int(o, "connects", t->connects) < 0)
		return -1;
	for (i = 0; i < sizeof(us) / sizeof(us[0]); i++)
		if (!cJSON_AddNumberToObject(o, names[i], (double)((us[i] + 50) / 100) / 10.0))
			return -1;
	return 0;
}

/* "checks_timing_ms": where timings_ms.checks went (struct check_timing),
 * summed over the checks, then each check's in "by_check" (the checks'
 * order); null when the checks did not run or the run came from the store. */
static int report_json_checks_timing(cJSON *root, const struct grade_result *r)
{
	cJSON *o, *arr, *c;
	size_t i;

	if (!r->checks_split_known)
		return cJSON_AddNullToObject(root, "checks_timing_ms") ? 0 : -1;
	if (!(o = cJSON_AddObjectToObject(root, "checks_timing_ms")) ||
	    report_json_timing(o, &r->t_checks_split) < 0 || !(arr = cJSON_AddArrayToObject(o, "by_check")))
		return -1;
	for (i = 0; i < r->nchecks; i++) {
		if (!(c = cJSON_CreateObject()) || !cJSON_AddItemToArray(arr, c) ||
		    report_json_str(c, "id", r->checks[i].id, false) < 0 ||
		    report_json_timing(c, &r->checks[i].timing) < 0)
			return -1;
	}
	return 0;
}

/* One sentence appended to the "warnings" array: 0 or -1. */
static int report_json_warning(cJSON *arr, const char *sentence)
{
	cJSON *o, *w;

	/* Cleaned like every other string: through a scratch object. */
	o = cJSON_CreateObject();
	if (!o || report_json_str(o, "w", sentence, false) < 0) {
		cJSON_Delete(o);
		return -1;
	}
	w = cJSON_DetachItemFromObject(o, "w");
	cJSON_Delete(o);
	return w && cJSON_AddItemToArray(arr, w) ? 0 : -1;
}

/* "warnings": result_warnings' sentences; [] when none. */
static int report_json_warnings(cJSON *root, const struct grade_result *r)
{
	cJSON *arr = cJSON_AddArrayToObject(root, "warnings");
	const char *w[RESULT_WARNINGS_MAX];
	size_t i, n = result_warnings(r, w);

	if (!arr)
		return -1;
	for (i = 0; i < n; i++)
		if (report_json_warning(arr, w[i]) < 0)
			return -1;
	return 0;
}

cJSON *report_json(const struct grade_result *r)
{
	cJSON *root = NULL, *o = NULL, *arr = NULL;
	cJSON *ret = NULL;
	size_t i;

	root = cJSON_CreateObject();
	if (!root)
		goto done;

	if (!(o = cJSON_AddObjectToObject(root, "grader")) ||
	    report_json_str(o, "version", GRADER_VERSION, false) < 0)
		goto done;
	if (!(o = cJSON_AddObjectToObject(root, "challenge")) ||
	    report_json_str(o, "id", r->challenge_id, false) < 0 ||
	    report_json_str(o, "title", r->challenge_title, false) < 0 ||
	    report_json_str(o, "suite_sha256", r->suite_sha256, false) < 0)
		goto done;
	/* commit: 40 hex digits, or null when nothing was fetched. */
	if (!(o = cJSON_AddObjectToObject(root, "submission")) ||
	    report_json_str(o, "source", r->source, false) < 0 ||
	    report_json_str(o, "ref", r->ref, false) < 0 ||
	    report_json_str(o, "commit", r->commit[0] ? r->commit : NULL, true) < 0)
		goto done;
	if (report_json_str(root, "status", run_status_name(r->status), false) < 0 ||
	    report_json_int(root, "score", r->score) < 0 ||
	    report_json_int(root, "max_score", r->max_score) < 0)
		goto done;
	if (!(arr = cJSON_AddArrayToObject(root, "checks")))
		goto done;
	for (i = 0; i < r->nchecks; i++)
		if (report_json_check(arr, &r->checks[i]) < 0)
			goto done;
	if (report_json_str(root, "diagnosis", report_fallback_diagnosis(r), true) < 0)
		goto done;
	if (!r->sandbox_mode) {
		if (!cJSON_AddNullToObject(root, "sandbox"))
			goto done;
	} else if (!(o = cJSON_AddObjectToObject(root, "sandbox")) ||
		   report_json_str(o, "mode", r->sandbox_mode, false) < 0 ||
		   report_json_str(o, "profile", r->sandbox_profile, true) < 0) {
		goto done;
	}
	if (!(o = cJSON_AddObjectToObject(root, "timings_ms")) ||
	    report_json_int(o, "fetch", r->t_fetch_ms) < 0 ||
	    report_json_int(o, "environment", r->t_env_ms) < 0 ||
	    report_json_int(o, "boot", r->t_boot_ms) < 0 ||
	    report_json_int(o, "checks", r->t_checks_ms) < 0 ||
	    report_json_int(o, "total", r->t_total_ms) < 0)
		goto done;
	/* Added in the second release (contracts §1): keys are only added. */
	if (r->run_id > 0 ? report_json_int(root, "run_id", (long)r->run_id) < 0
			  : !cJSON_AddNullToObject(root, "run_id"))
		goto done;
	if (report_json_environment(root, r) < 0)
		goto done;
	if (!r->routes_loaded) {
		if (!cJSON_AddNullToObject(root, "routes"))
			goto done;
	} else {
		if (!(o = cJSON_AddObjectToObject(root, "routes")))
			goto done;
		for (i = 0; i < r->nroutes; i++)
			if (report_json_str(o, r->routes[i].from, r->routes[i].to, false) < 0)
				goto done;
	}
	if (report_json_str(root, "auth", r->auth_scheme, true) < 0)
		goto done;
	/* Added in issue 9, after every earlier key (keys are only added). */
	if (report_json_causes(root, r) < 0)
		goto done;
	if (report_json_class(root, r) < 0)
		goto done;
	if (report_json_warnings(root, r) < 0)
		goto done;
	/* Added in issue 13 (keys are only added). */
	if (report_json_boot_phases(root, r) < 0 || report_json_checks_timing(root, r) < 0)
		goto done;
	ret = root;
	root = NULL;
done:
	if (!ret)
		err_set("out of memory building the JSON report");
	cJSON_Delete(root);
	return ret;
}

/* ---- text ---------------------------------------------------------------- */

static int report_indent(struct gbuf *out, size_t n)
{
	while (n--)
		if (gbuf_addch(out, ' ') < 0)
			return -1;
	return 0;
}

/*
 * Append clean text (valid UTF-8, no control characters but '\n'), each
 * line wrapped to REPORT_WIDTH columns. The first line continues whatever
 * is on the output line already (`first_col` columns used); every other
 * line starts with `indent` spaces. Breaks at the last space that fits,
 * else mid-word (long URLs, tokens): interior spacing such as a
 * traceback's indentation is kept.
 */
static int report_wrap(struct gbuf *out, const char *text, size_t first_col, size_t indent)
{
	const char *line = text;
	size_t col = first_col;
	int rc = -1;

	for (;;) {
		const char *nl = strchr(line, '\n');
		size_t llen = nl ? (size_t)(nl - line) : strlen(line);
		size_t pos = 0;

		do {
			size_t avail = REPORT_WIDTH > col + 1 ? REPORT_WIDTH - col : 1;
			size_t i = pos, cps = 0, brk = 0, seg;
			bool fits = true;

			/* Find how much of line[pos..llen) fits in avail columns. */
			while (i < llen) {
				size_t n = 1;

				while (i + n < llen && ((unsigned char)line[i + n] & 0xC0) == 0x80)
					n++;
				if (cps == avail) {
					fits = false;
					break;
				}
				if (line[i] == ' ' && i > pos)
					brk = i;
				i += n;
				cps++;
			}
			/* A space exactly at the limit is a perfect break too. */
			if (!fits && line[i] == ' ')
				brk = i;
			seg = fits ? llen - pos : (brk ? brk - pos : i - pos);
			if (gbuf_add(out, line + pos, seg) < 0)
				goto done;
			pos += seg;
			if (!fits) {
				while (pos < llen && line[pos] == ' ')
					pos++;
				if (gbuf_addch(out, '\n') < 0 || report_indent(out, indent) < 0)
					goto done;
				col = indent;
			}
		} while (pos < llen);
		if (gbuf_addch(out, '\n') < 0)
			goto done;
		if (!nl)
			break;
		line = nl + 1;
		if (report_indent(out, indent) < 0)
			goto done;
		col = indent;
	}
	rc = 0;
done:
	return rc;
}

/* Clean `s` (for a terminal, at most `max` bytes) and wrap it. */
static int report_add_text(struct gbuf *out, const char *s, enum clean_mode mode,
			   size_t max, size_t first_col, size_t indent)
{
	struct gbuf clean = GBUF_INIT(max + 16);
	int rc = -1;

	if (report_clean(&clean, s ? s : "", mode, max) < 0)
		goto done;
	/* Trailing blank lines would print as indented empty lines. */
	while (clean.len && (clean.data[clean.len - 1] == '\n' || clean.data[clean.len - 1] == ' '))
		clean.data[--clean.len] = '\0';
	rc = report_wrap(out, gbuf_str(&clean), first_col, indent);
done:
	gbuf_release(&clean);
	return rc;
}

/* Append a one-line field cleaned for the terminal, without wrapping. */
static int report_add_field(struct gbuf *out, const char *s)
{
	return report_clean(out, s ? s : "", CLEAN_LINE, REPORT_FIELD_MAX);
}

static const char *report_check_word(const struct check_result *c)
{
	if (c->advisory && (c->status == CHECK_FAIL || c->status == CHECK_ERROR))
		return "WARN";
	switch (c->status) {
	case CHECK_PASS: return "PASS";
	case CHECK_FAIL: return "FAIL";
	case CHECK_ERROR: return "ERROR";
	case CHECK_SKIP: return "SKIP";
	}
	return "ERROR";
}

/* SGR colour of a status word: green pass, red fail/error, yellow warn,
 * faint skip. */
static const char *report_check_colour(const char *word)
{
	switch (word[0]) {
	case 'P': return "\033[32m";
	case 'F': return "\033[31m";
	case 'E': return "\033[1;31m";
	case 'W': return "\033[33m";
	default: return "\033[2m";
	}
}

static int report_text_check(struct gbuf *out, const struct check_result *c, bool colour)
{
	struct gbuf row = GBUF_INIT(2 * REPORT_FIELD_MAX + 64);
	const char *word = report_check_word(c);
	char pts[32];
	int rc = -1;

	/* Advisory checks are never scored: no points to show. */
	if (c->advisory)
		snprintf(pts, sizeof(pts), "-");
	else
		snprintf(pts, sizeof(pts), "%d/%d", c->points, c->max_points);
	/* The padding goes outside the colour, so columns stay aligned. */
	if (gbuf_addf(out, "  %s%s%s%*s %7s ", colour ? report_check_colour(word) : "", word,
		      colour ? "\033[0m" : "", 5 - (int)strlen(word), "", pts) < 0)
		goto done;
	if (report_add_field(&row, c->id) < 0 ||
	    (c->title && *c->title &&
	     (gbuf_adds(&row, "  ") < 0 || report_add_field(&row, c->title) < 0)))
		goto done;
	if (report_wrap(out, gbuf_str(&row), REPORT_ROW_INDENT, REPORT_ROW_INDENT) < 0)
		goto done;
	if (c->status != CHECK_PASS && c->message && *c->message) {
		if (report_indent(out, REPORT_ROW_INDENT) < 0 ||
		    report_add_text(out, c->message, CLEAN_BLOCK, REPORT_MSG_MAX,
				    REPORT_ROW_INDENT, REPORT_ROW_INDENT) < 0)
			goto done;
	}
	rc = 0;
done:
	gbuf_release(&row);
	return rc;
}

/* One root cause shared by several checks, said once, with the checks it
 * explains and the grader.yaml lines that would map a moved path. */
static int report_text_causes(struct gbuf *out, const struct grade_result *r)
{
	size_t i, j;

	if (!r->ncauses)
		return 0;
	if (gbuf_adds(out, "Common causes:\n") < 0)
		return -1;
	for (i = 0; i < r->ncauses; i++) {
		const struct cause *c = &r->causes[i];

		if (gbuf_adds(out, "  - ") < 0 || report_add_text(out, c->text, CLEAN_LINE, REPORT_MSG_MAX, 4, 4) < 0 ||
		    gbuf_adds(out, "    in: ") < 0)
			return -1;
		for (j = 0; j < c->nchecks; j++)
			if ((j && gbuf_adds(out, ", ") < 0) || report_add_field(out, c->checks[j]) < 0)
				return -1;
		if (gbuf_addch(out, '\n') < 0)
			return -1;
		if (c->nroutes) {
			if (gbuf_adds(out, "    if your app serves these elsewhere, grader.yaml beside manage.py:\n"
				      "      routes:\n") < 0)
				return -1;
			for (j = 0; j < c->nroutes; j++)
				if (gbuf_adds(out, "        ") < 0 || report_add_field(out, c->routes[j]) < 0 ||
				    gbuf_addch(out, '\n') < 0)
					return -1;
		}
	}
	return gbuf_addch(out, '\n');
}

/* Django's system checks' errors (engine.c), wrapped like a cause: after
 * the checks they may explain. 0 or -1. */
static int report_text_system_checks(struct gbuf *out, const struct grade_result *r)
{
	if (!r->system_checks)
		return 0;
	if (gbuf_adds(out, "Warning: ") < 0 ||
	    report_add_text(out, r->system_checks, CLEAN_LINE, REPORT_SYSTEM_CHECKS_MAX, 9, 9) < 0)
		return -1;
	return gbuf_addch(out, '\n');
}

/* A graded run's summary: the score, a late penalty, the advisory
 * warnings, and a note when the app hit a sandbox limit during the checks. */
static int report_add_score(struct gbuf *out, const struct grade_result *r, const struct report_text_opts *o,
			    size_t warnings)
{
	if (gbuf_addf(out, "%sScore: %d/%d%s\n", o->colour ? "\033[1m" : "", r->score, r->max_score,
		      o->colour ? "\033[0m" : "") < 0)
		return -1;
	if (r->late_penalty && gbuf_addf(out, "Late penalty: -%d, final score %d/%d\n",
					  r->late_penalty, result_final_score(r), r->max_score) < 0)
		return -1;
	if (warnings && gbuf_addf(out, "Warnings: %zu advisory check%s did not pass"
				  " (not scored)\n", warnings, warnings == 1 ? "" : "s") < 0)
		return -1;
	if (!r->diagnosis)
		return 0;
	if (gbuf_adds(out, "Note:\n  ") < 0)
		return -1;
	return report_add_text(out, r->diagnosis, CLEAN_BLOCK, REPORT_DIAG_MAX, 2, 2);
}

int report_text(const struct grade_result *r, struct gbuf *out)
{
	static const struct report_text_opts plain = {false, false};

	return report_text_with(r, &plain, out);
}

/* The header: what was graded, against what, for whom. 0 or -1. */
static int report_text_header(struct gbuf *out, const struct grade_result *r)
{
	if (report_add_field(out, r->challenge_title) < 0 ||
	    gbuf_adds(out, " (") < 0 || report_add_field(out, r->challenge_id) < 0 ||
	    gbuf_adds(out, ")\n") < 0)
		return -1;
	/* Whole, on its line: it may say what to write (h708: "such as
	 * project: services/..." was cut at a title's 200 bytes). */
	if (r->warning && (gbuf_adds(out, "Warning: ") < 0 ||
			   report_clean(out, r->warning, CLEAN_LINE, REPORT_MSG_MAX) < 0 || gbuf_addch(out, '\n') < 0))
		return -1;
	if (gbuf_adds(out, "Submission: ") < 0 || report_add_field(out, r->source) < 0 ||
	    gbuf_adds(out, "  ref ") < 0 || report_add_field(out, r->ref ? r->ref : "HEAD") < 0 ||
	    gbuf_addf(out, "  commit %.12s\n", r->commit[0] ? r->commit : "(none)") < 0)
		return -1;
	if (r->student && (gbuf_adds(out, "Student: ") < 0 || report_add_field(out, r->student) < 0 ||
			   gbuf_addch(out, '\n') < 0))
		return -1;
	if (r->selection && (gbuf_adds(out, "Commit graded: ") < 0 ||
			     report_add_text(out, r->selection, CLEAN_LINE, REPORT_MSG_MAX, 15, 2) < 0))
		return -1;
	return gbuf_addch(out, '\n');
}

/* One line per check (only those not passed, if asked); *warnings counts
 * the advisory checks that failed. 0 or -1. */
static int report_text_checks(struct gbuf *out, const struct grade_result *r, const struct report_text_opts *o,
			      size_t *warnings)
{
	size_t i;

	*warnings = 0;
	for (i = 0; i < r->nchecks; i++) {
		if ((!o->only_not_passed || r->checks[i].status != CHECK_PASS) &&
		    report_text_check(out, &r->checks[i], o->colour) < 0)
			return -1;
		/* A skipped advisory check (its own setup failed) is not a
		 * warning about the app. */
		if (r->checks[i].advisory && (r->checks[i].status == CHECK_FAIL || r->checks[i].status == CHECK_ERROR))
			(*warnings)++;
	}
	if (r->nchecks && gbuf_addch(out, '\n') < 0)
		return -1;
	return 0;
}

/* The score, or why there is none. 0 or -1. */
static int report_text_verdict(struct gbuf *out, const struct grade_result *r, const struct report_text_opts *o,
			       size_t warnings)
{
	if (r->status == RUN_GRADED)
		return report_add_score(out, r, o, warnings);
	if (gbuf_addf(out, "%sNot graded: %s%s\nDiagnosis:\n  ", o->colour ? "\033[1;31m" : "",
		      run_status_name(r->status), o->colour ? "\033[0m" : "") < 0 ||
	    report_add_text(out, report_fallback_diagnosis(r), CLEAN_BLOCK, REPORT_DIAG_MAX, 2, 2) < 0)
		return -1;
	return 0;
}

/* Timings and the sandbox the app ran in. 0 or -1. */
static int report_text_run(struct gbuf *out, const struct grade_result *r)
{
	if (gbuf_addf(out, "Timings: fetch %ld ms, environment %ld ms, boot %ld ms,"
		      " checks %ld ms, total %ld ms\n", r->t_fetch_ms, r->t_env_ms,
		      r->t_boot_ms, r->t_checks_ms, r->t_total_ms) < 0)
		return -1;
	if (gbuf_adds(out, "Sandbox: ") < 0)
		return -1;
	if (!r->sandbox_mode)
		return gbuf_adds(out, "none\n");
	if (report_add_field(out, r->sandbox_mode) < 0 ||
	    (r->sandbox_profile && (gbuf_adds(out, " (profile ") < 0 ||
				    report_add_field(out, r->sandbox_profile) < 0 ||
				    gbuf_adds(out, ")") < 0)) ||
	    gbuf_addch(out, '\n') < 0)
		return -1;
	return 0;
}

/* Why the report's sign-in scheme was chosen (contracts section 2), as the
 * rest of its line. */
/* "session+basic" of an app whose views took no change on the session
 * cookie alone: every one needed the name and password (h1174, h1185,
 * h1191: Basic-only views said as taking the session). */
#define BASIC_ONLY_WHY                                                                             \
	" (the user's name and password, sent again after each 401 asking for them: no view took a " \
	"change on the session cookie alone)\n"

static const char *report_auth_why(const char *scheme)
{
	if (!strcmp(scheme, "session"))
		return " (a session cookie, as after logging in)\n";
	if (!strcmp(scheme, "none"))
		return " (the app refused every sign-in the grader made, each request answered 401, or DRF's 403 "
		       "\"Authentication credentials were not provided.\": its "
		       "session cookie, a DRF, SimpleJWT or ninja-jwt token in Authorization where it takes one, and "
		       "Basic where a 401 asked for it; SPEC.md says how the grader signs in)\n";
	if (!strcmp(scheme, "session+basic"))
		return " (the session cookie; the user's name and password too, only when a view"
		       " refuses it with 401 asking for no other scheme)\n";
	if (!strncmp(scheme, "session+", 8))
		return " (the session cookie; a token in Authorization too, only when a view"
		       " refuses the session with 401 or 403)\n";
	/* Chosen when at least one DRF view lists no SessionAuthentication
	 * (a library's too: knox's LogoutView takes its token alone, h151):
	 * said as what is sent, without a count of such views ("some view"
	 * read as "not all", h187, h191, h194; "not every view" as "some
	 * do", h169; "for views without sessions" as a contradiction, h202;
	 * "the session cookie as well" as a claim that the app takes one,
	 * h203, h205, h222, h229, h230); "the session cookie too, for pages
	 * taking one" as a cookie a token-only API was said to take (h492,
	 * h493): said as what such a view does with it. */
	if (!strcmp(scheme, "basic"))
		return " (its header on every request, plus a session cookie Basic-only views ignore)\n";
	return " (its header on every request, plus a session cookie token-only views ignore)\n";
}

/* The environment line's end: the Django the app booted with, when it did
 * (h523: a range's pins read as "environment reused" alone). */
static int report_text_django(struct gbuf *out, const struct grade_result *r)
{
	if (r->env_django && (gbuf_adds(out, "; Django ") < 0 || report_add_field(out, r->env_django) < 0))
		return -1;
	return gbuf_addch(out, '\n');
}

/* The environment: interpreter, inferred and relaxed requirements, how the
 * grader signed in, the routes grader.yaml mapped. 0 or -1. */
static int report_text_environment(struct gbuf *out, const struct grade_result *r)
{
	size_t i;

	/* The grader's own words, with file names of the project in them:
	 * longer than a field, so that a note on the interpreter (h383) or
	 * the requirements is not cut before "environment reused". */
	if (r->environment && (gbuf_adds(out, "Environment: ") < 0 ||
				report_clean(out, r->environment, CLEAN_LINE, 2 * REPORT_FIELD_MAX) < 0 ||
				report_text_django(out, r) < 0))
		return -1;
	/* A report read back from JSON (convert) has the line's parts, not
	 * the line: the same line, without whether the environment was
	 * built or reused, which the JSON does not keep (h299, h300). */
	if (!r->environment && r->env_python &&
	    (gbuf_adds(out, "Environment: Python ") < 0 || report_add_field(out, r->env_python) < 0 ||
	     gbuf_adds(out, ", ") < 0 ||
	     report_clean(out, r->env_python_reason ? r->env_python_reason : "default", CLEAN_LINE,
			  2 * REPORT_FIELD_MAX) < 0 ||
	     gbuf_adds(out, "; requirements: ") < 0 ||
	     report_add_field(out, r->env_requirements_source ? r->env_requirements_source
							  : "(default runtime)") < 0 ||
	     report_text_django(out, r) < 0))
		return -1;
	/* Not "Installed" where the install failed (h457: a conflict of the
	 * project's own pins; these were to be installed beside them). */
	for (i = 0; i < r->nenv_inferred; i++)
		if ((i == 0 && (gbuf_adds(out, r->status == RUN_SETUP_FAILED ? "Inferred from your code (add to "
									     : "Installed, inferred from your code (add to ") < 0 ||
				report_add_field(out, result_requirements_file(r)) < 0 ||
				gbuf_adds(out, "): ") < 0)) ||
		    (i > 0 && gbuf_adds(out, ", ") < 0) || report_add_field(out, r->env_inferred[i]) < 0 ||
		    (i + 1 == r->nenv_inferred && gbuf_addch(out, '\n') < 0))
			return -1;
	for (i = 0; i < r->nenv_relaxed; i++)
		if (gbuf_adds(out, "Relaxed pin: ") < 0 || report_add_field(out, r->env_relaxed[i].from) < 0 ||
		    gbuf_adds(out, " -> ") < 0 || report_add_field(out, r->env_relaxed[i].to) < 0 ||
		    gbuf_adds(out, " (") < 0 || report_add_field(out, r->env_relaxed[i].why) < 0 ||
		    gbuf_adds(out, ")\n") < 0)
			return -1;
	for (i = 0; i < r->nenv_left_out; i++) {
		const char *why;
		char *line = left_out_split(r->env_left_out[i], &why);
		int bad = !line || gbuf_adds(out, "Not installed: ") < 0 || report_add_field(out, line) < 0 ||
			  (*why && (gbuf_adds(out, " (") < 0 || report_add_field(out, why) < 0 ||
				    gbuf_addch(out, ')') < 0)) ||
			  gbuf_addch(out, '\n') < 0;

		free(line);
		if (bad)
			return -1;
	}
	if (r->auth_scheme && (gbuf_adds(out, "Signed in with: ") < 0 ||
			       report_add_field(out, r->auth_scheme) < 0 ||
			       gbuf_adds(out, r->auth_basic_only && !strcmp(r->auth_scheme, "session+basic")
						      ? BASIC_ONLY_WHY
						      : report_auth_why(r->auth_scheme)) < 0))
		return -1;
	if (r->nroutes && gbuf_adds(out, "Routes mapped by grader.yaml (challenge path -> yours):\n") < 0)
		return -1;
	for (i = 0; i < r->nroutes; i++)
		if (gbuf_adds(out, "  ") < 0 || report_add_field(out, r->routes[i].from) < 0 ||
		    gbuf_adds(out, " -> ") < 0 || report_add_field(out, r->routes[i].to) < 0 ||
		    gbuf_addch(out, '\n') < 0)
			return -1;
	return 0;
}

int report_text_with(const struct grade_result *r, const struct report_text_opts *o, struct gbuf *out)
{
	size_t warnings = 0;

	if (report_text_header(out, r) < 0 || report_text_checks(out, r, o, &warnings) < 0 ||
	    report_text_causes(out, r) < 0 ||
	    report_text_system_checks(out, r) < 0 || report_text_verdict(out, r, o, warnings) < 0 ||
	    report_text_run(out, r) < 0 || report_text_environment(out, r) < 0)
		return -1;
	return 0;
}
