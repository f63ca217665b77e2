/*
 * batch.c - grade a class (see batch.h for the design).
 *
 * Why worker processes and not threads: grade_run() is written for one
 * submission per process (it forks sandboxes, sets signal dispositions,
 * keeps per-process state in libgit2 and the environment cache), and a
 * process boundary means a worker that crashes, leaks or is killed takes
 * nothing of the others with it. The parent only schedules, reads one line
 * a worker writes when it is done, and keeps no submission data: it stays
 * small however large the class.
 *
 * Exactly once: a worker records its run and the batch id in one SQLite
 * transaction. The parent never records runs. A student is "done" in a
 * batch once a run of that batch names them; a resumed batch asks the store
 * for that before starting a worker.
 */
#include "batch.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "buf.h"
#include "engine.h"
#include "err.h"
#include "fetch.h"
#include "monotime.h"
#include "sandbox.h"
#include "source.h"
#include "store.h"
#include "vec.h"

#define ROSTER_MAX_BYTES ((size_t)16 << 20)
#define BATCH_WHY_MAX 200

/* ---- roster -------------------------------------------------------------- */

/* One CSV record (RFC 4180) from *p: fields malloc'd into *fields. Returns
 * the number of fields, 0 at the end, -1 + err. `line` counts lines. */
static int csv_record(const char **p, char ***fields, size_t *nf, unsigned *line)
{
	struct gbuf f = GBUF_INIT(1 << 20);
	const char *s = *p;
	char **v = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;

	*fields = NULL;
	*nf = 0;
	if (!*s)
		return 0;
	for (;;) {
		bool quoted = false;

		gbuf_reset(&f);
		if (gbuf_adds(&f, "") < 0)
			goto oom;
		if (*s == '"') {
			unsigned opened = *line;

			quoted = true;
			s++;
			for (;;) {
				if (!*s) {
					err_set("line %u: a quoted field is not closed", opened);
					goto done;
				}
				if (*s == '"' && s[1] == '"') {
					if (gbuf_addch(&f, '"') < 0)
						goto oom;
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					if (*s == '\n')
						(*line)++;
					if (gbuf_addch(&f, *s++) < 0)
						goto oom;
				}
			}
		}
		while (*s && *s != ',' && *s != '\n' && *s != '\r') {
			if (quoted && !isspace((unsigned char)*s)) {
				err_set("line %u: text after a closing quote", *line);
				goto done;
			}
			if (gbuf_addch(&f, *s++) < 0)
				goto oom;
		}
		if (VEC_RESERVE(v, cap, n + 1) < 0)
			goto done;
		v[n] = strdup(gbuf_str(&f));
		if (!v[n])
			goto oom;
		/* Unquoted fields lose surrounding blanks (hand-edited rosters). */
		if (!quoted) {
			char *a = v[n], *e = a + strlen(a);

			while (e > a && isspace((unsigned char)e[-1]))
				*--e = '\0';
			while (isspace((unsigned char)*a))
				memmove(a, a + 1, strlen(a));
		}
		n++;
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s == '\r')
			s++;
		if (*s == '\n') {
			s++;
			(*line)++;
		}
		break;
	}
	*fields = v;
	*nf = n;
	v = NULL;
	*p = s;
	rc = (int)n;
	goto done;
oom:
	err_set("out of memory");
done:
	while (v && n)
		free(v[--n]);
	free(v);
	gbuf_release(&f);
	return rc;
}

static void fields_free(char **v, size_t n)
{
	while (v && n)
		free(v[--n]);
	free(v);
}

static int col_index(char **hdr, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(hdr[i], name))
			return (int)i;
	return -1;
}

/* Replace each {column} of tmpl with the row's value of that column. */
static char *template_fill(const char *tmpl, char **hdr, size_t nh, char **row, size_t nr)
{
	struct gbuf b = GBUF_INIT(4096);
	const char *p = tmpl;
	char *out = NULL;

	while (*p) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;

		if (close) {
			char name[64];
			size_t len = (size_t)(close - p - 1);
			int i;

			snprintf(name, sizeof(name), "%.*s", (int)(len < 63 ? len : 63), p + 1);
			i = col_index(hdr, nh, name);
			if (i < 0) {
				err_set("--repo-template names {%s}, which is not a roster column", name);
				goto done;
			}
			if ((size_t)i >= nr || !*row[i]) {
				out = strdup("");   /* the caller treats "" as no repository */
				goto done;
			}
			if (gbuf_adds(&b, row[i]) < 0)
				goto oom;
			p = close + 1;
			continue;
		}
		if (gbuf_addch(&b, *p++) < 0)
			goto oom;
	}
	out = gbuf_detach(&b, NULL);
	if (out)
		goto done;
oom:
	err_set("out of memory");
done:
	gbuf_release(&b);
	return out;
}

int roster_load(const char *path, const char *repo_template, struct roster *out)
{
	struct gbuf text = GBUF_INIT(ROSTER_MAX_BYTES);
	char **hdr = NULL, **row = NULL;
	size_t nh = 0, nr = 0, i;
	const char *p;
	unsigned line = 1, rec_line;
	int c_student, c_repo, c_ref, c_ext, c_ident, c_user;
	bool classroom;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (gbuf_read_file(&text, path) < 0) {
		err_wrap("roster %s", path);
		goto done;
	}
	if (text.truncated) {
		err_set("roster %s: larger than %zu MiB", path, ROSTER_MAX_BYTES >> 20);
		goto done;
	}
	if (memchr(text.data ? text.data : "", '\0', text.len)) {
		err_set("roster %s: not a text file (it holds NUL bytes)", path);
		goto done;
	}
	p = gbuf_str(&text);
	if (!strncmp(p, "\xEF\xBB\xBF", 3))
		p += 3;   /* Excel's UTF-8 byte order mark */
	if (csv_record(&p, &hdr, &nh, &line) <= 0) {
		err_wrap("roster %s", path);
		if (!nh)
			err_set("roster %s is empty; expected a header line (student,repo or "
				"identifier,github_username,github_id,name)", path);
		goto done;
	}
	c_student = col_index(hdr, nh, "student");
	c_repo = col_index(hdr, nh, "repo");
	c_ref = col_index(hdr, nh, "ref");
	c_ext = col_index(hdr, nh, "extension_until");
	c_ident = col_index(hdr, nh, "identifier");
	c_user = col_index(hdr, nh, "github_username");
	classroom = c_student < 0 && c_user >= 0;
	if (!classroom && (c_student < 0 || c_repo < 0)) {
		err_set("roster %s: the header must have the columns student and repo (optional: ref, "
			"extension_until), or be GitHub Classroom's identifier,github_username,github_id,name",
			path);
		goto done;
	}
	if (classroom && !repo_template) {
		err_set("roster %s is a GitHub Classroom roster: give --repo-template "
			"'https://github.com/ORG/PREFIX-{github_username}'", path);
		goto done;
	}
	for (;;) {
		struct roster_entry *e;
		const char *id;
		int n;

		rec_line = line;
		fields_free(row, nr);
		row = NULL;
		n = csv_record(&p, &row, &nr, &line);
		if (n < 0) {
			err_wrap("roster %s", path);
			goto done;
		}
		if (n == 0)
			break;
		if (nr == 1 && !*row[0])
			continue;   /* a blank line */
		if (classroom)
			id = c_ident >= 0 && (size_t)c_ident < nr && *row[c_ident] ? row[c_ident]
			     : (size_t)c_user < nr ? row[c_user] : "";
		else
			id = (size_t)c_student < nr ? row[c_student] : "";
		if (!*id) {
			err_set("roster %s, line %u: no student id", path, rec_line);
			goto done;
		}
		for (i = 0; i < out->n; i++)
			if (!strcmp(out->v[i].student, id)) {
				err_set("roster %s, line %u: student '%s' is listed twice", path, rec_line, id);
				goto done;
			}
		if (VEC_RESERVE(out->v, out->cap, out->n + 1) < 0)
			goto done;
		e = &out->v[out->n++];
		memset(e, 0, sizeof(*e));
		if (!(e->student = strdup(id))) {
			err_set("out of memory");
			goto done;
		}
		if (repo_template)
			e->repo = template_fill(repo_template, hdr, nh, row, nr);
		else
			e->repo = strdup((size_t)c_repo < nr ? row[c_repo] : "");
		if (!e->repo) {
			err_wrap("roster %s, line %u", path, rec_line);
			goto done;
		}
		if (!*e->repo) {
			free(e->repo);
			e->repo = NULL;
		}
		if (c_ref >= 0 && (size_t)c_ref < nr && *row[c_ref] && !(e->ref = strdup(row[c_ref]))) {
			err_set("out of memory");
			goto done;
		}
		if (c_ext >= 0 && (size_t)c_ext < nr && *row[c_ext] &&
		    batch_parse_time(row[c_ext], &e->extension_until) < 0) {
			err_wrap("roster %s, line %u, extension_until", path, rec_line);
			goto done;
		}
	}
	if (!out->n) {
		err_set("roster %s lists no student", path);
		goto done;
	}
	rc = 0;
done:
	fields_free(hdr, nh);
	fields_free(row, nr);
	gbuf_release(&text);
	if (rc < 0)
		roster_free(out);
	return rc;
}

void roster_free(struct roster *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].student);
		free(r->v[i].repo);
		free(r->v[i].ref);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
	r->cap = 0;
}

/* ---- deadlines ----------------------------------------------------------- */

int batch_parse_time(const char *s, time_t *t)
{
	struct tm tm;
	const char *end;
	long off = 0;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (!end)
		goto bad;
	if (!*end) {
		tm.tm_hour = 23;
		tm.tm_min = 59;
		tm.tm_sec = 59;
		*t = timegm(&tm);
		return 0;
	}
	if (*end != 'T' && *end != ' ')
		goto bad;
	end = strptime(end + 1, "%H:%M", &tm);
	if (!end)
		goto bad;
	if (*end == ':') {
		end = strptime(end + 1, "%S", &tm);
		if (!end)
			goto bad;
	}
	if (*end == 'Z' || *end == 'z') {
		end++;
	} else if (*end == '+' || *end == '-') {
		int sign = *end == '-' ? -1 : 1;
		unsigned hh, mm;
		int used = 0;

		if (sscanf(end + 1, "%2u:%2u%n", &hh, &mm, &used) != 2 || hh > 23 || mm > 59)
			goto bad;
		off = sign * (long)(hh * 3600 + mm * 60);
		end += 1 + used;
	}
	if (*end)
		goto bad;
	*t = timegm(&tm) - off;
	return 0;
bad:
	return err_set("'%s' is not an ISO 8601 time (e.g. 2025-03-01T23:59:00Z or 2025-03-01)", s);
}

void batch_format_time(time_t t, char buf[32])
{
	struct tm tm;

	buf[0] = '\0';
	if (gmtime_r(&t, &tm))
		strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int late_policy_parse(const char *s, struct late_policy *p)
{
	char *copy = strdup(s), *part, *save = NULL;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	if (!copy)
		return err_set("out of memory");
	for (part = strtok_r(copy, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(part, ':'), *end = NULL;
		long v;

		if (!colon) {
			err_set("--late-policy: '%s' is not key:value (per-day:N, cap:N or cutoff:TIME)", part);
			goto done;
		}
		*colon = '\0';
		if (!strcmp(part, "cutoff")) {
			if (batch_parse_time(colon + 1, &p->cutoff) < 0) {
				err_wrap("--late-policy cutoff");
				goto done;
			}
			continue;
		}
		v = strtol(colon + 1, &end, 10);
		if (!end || *end || end == colon + 1 || v < 0 || v > 100) {
			err_set("--late-policy %s: '%s' is not a percentage (0 to 100)", part, colon + 1);
			goto done;
		}
		if (!strcmp(part, "per-day")) {
			p->per_day = (int)v;
		} else if (!strcmp(part, "cap")) {
			p->cap = (int)v;
		} else {
			err_set("--late-policy: unknown key '%s' (per-day, cap or cutoff)", part);
			goto done;
		}
	}
	if (p->cap && !p->per_day) {
		err_set("--late-policy: cap needs per-day");
		goto done;
	}
	if (p->per_day && !p->cap)
		p->cap = 100;
	if (!p->per_day && !p->cutoff) {
		err_set("--late-policy '%s' sets nothing (per-day:N[,cap:N] and/or cutoff:TIME)", s);
		goto done;
	}
	rc = 0;
done:
	free(copy);
	return rc;
}

int batch_pick_commit(const char *repo_dir, time_t limit, char commit[41], time_t *commit_time,
		      unsigned *later, bool *found)
{
	git_repository *repo = NULL;
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_oid oid, head;
	int rc = -1;

	*found = false;
	*later = 0;
	commit[0] = '\0';
	if (fetch_global_init() < 0)
		goto done;
	if (git_repository_open(&repo, repo_dir) < 0 ||
	    git_reference_name_to_id(&head, repo, "HEAD") < 0 ||
	    git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TIME) < 0 || git_revwalk_push(walk, &head) < 0) {
		const git_error *e = git_error_last();

		err_set("cannot read the history of %s: %s", repo_dir, e && e->message ? e->message : "?");
		goto done;
	}
	while (git_revwalk_next(&oid, walk) == 0) {
		time_t t;

		git_commit_free(c);
		c = NULL;
		if (git_commit_lookup(&c, repo, &oid) < 0)
			continue;
		t = (time_t)git_commit_time(c);
		if (!limit || t <= limit) {
			git_oid_tostr(commit, 41, &oid);
			*commit_time = t;
			*found = true;
			break;
		}
		(*later)++;
	}
	rc = 0;
done:
	git_commit_free(c);
	git_revwalk_free(walk);
	git_repository_free(repo);
	return rc;
}

int batch_penalty(const struct late_policy *p, time_t due, time_t commit_time, int score,
		  int max_score, int *days_late)
{
	long late = (long)(commit_time - due);
	long pct, pts;

	*days_late = 0;
	if (!due || late <= 0)
		return 0;
	*days_late = (int)((late + 86399) / 86400);
	if (!p->per_day)
		return 0;
	pct = (long)p->per_day * *days_late;
	if (pct > p->cap)
		pct = p->cap;
	pts = (max_score * pct + 50) / 100;
	return (int)(pts > score ? score : pts);
}

unsigned batch_shard_of(const char *student, unsigned n)
{
	uint32_t h = 2166136261u;
	const unsigned char *s = (const unsigned char *)student;

	while (*s) {
		h ^= *s++;
		h *= 16777619u;
	}
	return n > 1 ? h % n : 0;
}

/* ---- the worker ---------------------------------------------------------- */

/* The header fields grade_run would have set, for a run that never reached it. */
static void worker_header(struct grade_result *r, const struct grade_opts *go, const struct roster_entry *e)
{
	const struct challenge *c = go->challenge;

	r->started_at = time(NULL);
	result_setf(&r->challenge_id, "%s", c->id);
	result_setf(&r->challenge_title, "%s", c->title);
	memcpy(r->suite_sha256, c->suite_sha256, sizeof(r->suite_sha256));
	r->max_score = grade_max_score(c);
	r->source = source_redact(e->repo ? e->repo : "(none)");
	result_setf(&r->ref, "%s", e->ref ? e->ref : "HEAD");
}

/* First line of s, at most BATCH_WHY_MAX bytes, tabs and breaks as spaces. */
static void why_line(struct gbuf *b, const char *s)
{
	size_t n = s ? strcspn(s, "\n") : 0;

	gbuf_add_excerpt(b, s ? s : "", n, BATCH_WHY_MAX);
}

/*
 * The selection sentence and the commit limit for one student. limit 0:
 * the ref's newest commit is graded whatever its time.
 */
static time_t worker_limit(const struct batch_opts *o, time_t due)
{
	if (!due)
		return 0;
	if (o->policy.cutoff)
		return o->policy.cutoff > due ? o->policy.cutoff : due;
	if (o->policy.per_day)
		return 0;
	return due;
}

/*
 * Grade one roster entry and record it; write one line to `fd` for the
 * parent: "R\trun_id\tstatus\tscore\tmax\tpenalty\twhy" (recorded),
 * "S\trun_id\tstatus\tscore\tmax\tpenalty\twhy" (already graded),
 * "E\twhy" (the grader broke before recording).
 */
static int worker_run(const struct batch_opts *o, int64_t batch_id, const struct roster_entry *e, int fd)
{
	struct grade_opts go = *o->go;
	struct grade_result res;
	struct gbuf diag = GBUF_INIT(64 << 10), line = GBUF_INIT(4096), sel = GBUF_INIT(4096);
	struct gbuf notes = GBUF_INIT(4096);
	struct store *st = NULL;
	char *ws = NULL, *pre = NULL, *scratch = NULL, *gitdir = NULL;
	char commit[41] = "", fetched[41] = "", ct[32], dt[32], lt[32];
	const char *tmp = getenv("TMPDIR");
	time_t due = e->extension_until ? e->extension_until : o->deadline, limit, commit_time = 0;
	long long t0 = monotime_now_ms();
	bool found = false, skipped = false;
	unsigned later = 0;
	int64_t run_id = 0;
	int days = 0, frc = 0, rc = -1;

	memset(&res, 0, sizeof(res));
	limit = worker_limit(o, due);
	if (asprintf(&ws, "%s/pre-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0 || !mkdtemp(ws) ||
	    asprintf(&pre, "%s/repo", ws) < 0) {
		err_set_errno("cannot make a workspace");
		goto done;
	}
	worker_header(&res, o->go, e);
	result_setf(&res.student, "%s", e->student);
	res.due_at = due;
	if (!e->repo) {
		res.status = RUN_FETCH_FAILED;
		result_setf(&res.diagnosis, "the roster gives no repository for this student (with a "
			    "GitHub Classroom roster: no GitHub account is linked to the entry)");
		goto record;
	}
	/* Fetch once, with the grade's caps and credentials; the git directory
	 * in memory, as grade.c does (fetch_opts.gitdir): the history is read
	 * there, and only the commit's files reach the disk. */
	{
		struct fetch_opts fo = {
			.source = e->repo, .ref = e->ref, .dest = pre, .timeout_ms = go.fetch_timeout_ms,
			.limits = go.fetch_limits, .credentials_file = go.credentials_file,
		};
		if (!go.keep && fetch_gitdir_make(&go.fetch_limits, &scratch, &gitdir) < 0)
			goto done;
		fo.gitdir = gitdir;
		frc = fetch_clone_opts(&fo, fetched, &diag, &notes);
		if (frc < 0)
			goto done;
	}
	res.t_fetch_ms = monotime_now_ms() - t0;
	if (frc > 0) {
		res.status = frc == FETCH_TIMED_OUT ? RUN_TIMED_OUT : RUN_FETCH_FAILED;
		result_setf(&res.diagnosis, "%s", diag.len ? gbuf_str(&diag) : "the repository could not be fetched");
		goto record;
	}
	if (batch_pick_commit(gitdir ? gitdir : pre, limit, commit, &commit_time, &later, &found) < 0)
		goto done;
	batch_format_time(commit_time, ct);
	batch_format_time(due, dt);
	batch_format_time(limit, lt);
	if (!found) {
		res.status = RUN_FETCH_FAILED;
		result_setf(&res.diagnosis, "no commit on %s at or before %s%s: nothing was submitted in time",
			    e->ref ? e->ref : "HEAD", lt, e->extension_until ? " (the student's extension)" : "");
		goto record;
	}
	memcpy(res.commit, commit, sizeof(res.commit));
	res.commit_time = commit_time;
	if (due) {
		gbuf_addf(&sel, "%.12s of %s", commit, ct);
		if (later)
			gbuf_addf(&sel, ", the newest on %s at or before %s (%u later commit%s not graded)",
				  e->ref ? e->ref : "HEAD", lt, later, later == 1 ? "" : "s");
		else
			gbuf_addf(&sel, ", the newest on %s", e->ref ? e->ref : "HEAD");
		gbuf_addf(&sel, "; due %s%s", dt, e->extension_until ? " (the student's extension)" : "");
		if (o->policy.cutoff)
			gbuf_addf(&sel, ", no credit after %s", lt);
	}
	if (!o->regrade &&
	    store_open(o->db_path, &st) == 0 &&
	    store_find_graded(st, e->student, res.challenge_id, res.suite_sha256, e->repo, commit, due,
			      &run_id) == 0 && run_id) {
		struct grade_result old;

		if (store_load_run(st, run_id, &old) == 0) {
			gbuf_addf(&line, "S\t%lld\t%s\t%d\t%d\t%d\talready graded (run %lld)\n", (long long)run_id,
				  run_status_name(old.status), old.score, old.max_score, old.late_penalty,
				  (long long)run_id);
			grade_result_release(&old);
			skipped = true;
			rc = 0;
			goto done;
		}
	}
	err_clear();
	/* The repository: the pre-fetch's git directory when it is apart. */
	go.source = gitdir ? gitdir : pre;
	go.ref = commit;
	/* The commit to grade is the one checked out: the grade takes this
	 * checkout as it is. An older one (a deadline passed over later
	 * commits) is cloned from it, confined and capped like any clone. */
	if (!strcmp(commit, fetched)) {
		go.prefetched = pre;
		go.prefetched_commit = fetched;
		go.prefetched_notes = notes.len ? gbuf_str(&notes) : NULL;
	}
	{
		long fetch_ms = res.t_fetch_ms;

		grade_result_release(&res);
		memset(&res, 0, sizeof(res));
		grade_run(&go, &res);
		res.t_fetch_ms += fetch_ms;
		res.t_total_ms += fetch_ms;
	}
	free(res.source);
	res.source = source_redact(e->repo);
	result_setf(&res.ref, "%s", e->ref ? e->ref : "HEAD");
	result_setf(&res.student, "%s", e->student);
	res.due_at = due;
	res.commit_time = commit_time;
	if (res.status == RUN_GRADED && due) {
		res.late_penalty = batch_penalty(&o->policy, due, commit_time, res.score, res.max_score, &days);
		if (days)
			gbuf_addf(&sel, "; %d day%s late%s", days, days == 1 ? "" : "s", res.late_penalty ? "" :
				  " (no per-day penalty)");
		if (res.late_penalty)
			gbuf_addf(&sel, ": %d%% a day, at most %d%%: -%d points", o->policy.per_day,
				  o->policy.cap, res.late_penalty);
	}
	if (sel.len)
		result_setf(&res.selection, "%s", gbuf_str(&sel));
record:
	if (!st && store_open(o->db_path, &st) < 0)
		goto done;
	if (store_record_batch_run(st, batch_id, &res, &run_id) < 0)
		goto done;
	gbuf_addf(&line, "R\t%lld\t%s\t%d\t%d\t%d\t", (long long)run_id, run_status_name(res.status),
		  res.score, res.max_score, res.late_penalty);
	if (res.status != RUN_GRADED)
		why_line(&line, res.diagnosis);
	gbuf_addch(&line, '\n');
	rc = 0;
done:
	if (rc < 0) {
		gbuf_reset(&line);
		gbuf_adds(&line, "E\t");
		why_line(&line, err_last());
		gbuf_addch(&line, '\n');
	}
	(void)skipped;
	if (write(fd, gbuf_str(&line), line.len) < 0)
		rc = -1;
	if (ws)
		sandbox_remove_tree(ws);
	if (scratch)
		sandbox_remove_tree(scratch);
	store_close(st);
	grade_result_release(&res);
	free(ws);
	free(pre);
	free(scratch);
	free(gitdir);
	gbuf_release(&diag);
	gbuf_release(&notes);
	gbuf_release(&line);
	gbuf_release(&sel);
	return rc;
}

/* ---- the parent ---------------------------------------------------------- */

/*
 * How the parent waits: SIGCHLD, SIGINT and SIGTERM are blocked while it
 * runs, and ppoll() lets them in atomically, so a worker that ends wakes
 * it at once (its slot refilled without a polling delay) and a stop that
 * arrives just before the wait is not slept through. The workers get the
 * signal mask and SIGCHLD disposition the batch started with.
 */
struct batch_signals {
	sigset_t old_mask, wait_mask;
	struct sigaction old_chld;
	bool set;
};

static void batch_on_child(int sig)
{
	(void)sig;   /* only to interrupt ppoll() */
}

static int batch_signals_block(struct batch_signals *bs)
{
	struct sigaction sa;
	sigset_t block;

	memset(bs, 0, sizeof(*bs));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = batch_on_child;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NOCLDSTOP;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (sigaction(SIGCHLD, &sa, &bs->old_chld) < 0)
		return err_set_errno("cannot handle SIGCHLD");
	if (sigprocmask(SIG_BLOCK, &block, &bs->old_mask) < 0) {
		sigaction(SIGCHLD, &bs->old_chld, NULL);
		return err_set_errno("cannot block SIGCHLD");
	}
	bs->wait_mask = bs->old_mask;
	sigdelset(&bs->wait_mask, SIGCHLD);
	sigdelset(&bs->wait_mask, SIGINT);
	sigdelset(&bs->wait_mask, SIGTERM);
	bs->set = true;
	return 0;
}

/* Back to how the batch started (in the parent at the end, in a worker at
 * its start). */
static void batch_signals_restore(const struct batch_signals *bs)
{
	if (!bs->set)
		return;
	sigprocmask(SIG_SETMASK, &bs->old_mask, NULL);
	sigaction(SIGCHLD, &bs->old_chld, NULL);
}

/* Sleep until a signal (a worker ended, a stop) or `s` seconds pass. */
static void batch_wait(const struct batch_signals *bs, double s)
{
	struct timespec ts;

	if (s < 0)
		s = 0;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	ppoll(NULL, 0, &ts, &bs->wait_mask);
}

struct worker {
	pid_t pid;
	int fd;              /* read end of its result pipe */
	size_t entry;        /* index in the roster */
	char *dir;           /* its TMPDIR */
};

static void batch_emit(const struct batch_opts *o, struct batch_event *ev)
{
	if (o->on_event)
		o->on_event(o->ctx, ev);
}

static int worker_start(const struct batch_opts *o, const struct batch_signals *bs, int64_t batch_id,
			size_t entry, unsigned slot, struct worker *w)
{
	pid_t parent = getpid(), pid;
	int pfd[2];

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	if (asprintf(&w->dir, "%s/w%u-%zu", o->workdir, slot, entry) < 0) {
		w->dir = NULL;
		return err_set("out of memory");
	}
	if (mkdir(w->dir, 0700) < 0 && errno != EEXIST)
		return err_set_errno("cannot create %s", w->dir);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return err_set_errno("cannot make a pipe");
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return err_set_errno("cannot fork a worker");
	}
	if (pid == 0) {
		/* The worker: its own process group (so a stop ends everything it
		 * started), dies with the batch (kill -9 of the parent included). */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		batch_signals_restore(bs);
		close(pfd[0]);
		setenv("TMPDIR", w->dir, 1);
		_exit(worker_run(o, batch_id, &o->roster->v[entry], pfd[1]) < 0 ? 1 : 0);
	}
	setpgid(pid, pid);
	close(pfd[1]);
	w->pid = pid;
	w->fd = pfd[0];
	w->entry = entry;
	return 0;
}

/* Read the worker's line (it has exited, so it is all there). */
static void worker_read(struct worker *w, struct gbuf *out)
{
	char buf[1024];
	ssize_t n;

	while ((n = read(w->fd, buf, sizeof(buf))) > 0)
		gbuf_add(out, buf, (size_t)n);
}

static void worker_cleanup(struct worker *w)
{
	if (w->fd >= 0)
		close(w->fd);
	if (w->dir) {
		sandbox_remove_tree(w->dir);
		free(w->dir);
	}
	memset(w, 0, sizeof(*w));
	w->fd = -1;
}

/* Split "K\tf1\tf2..." in place into at most n fields. */
static size_t split_tabs(char *s, char **f, size_t n)
{
	size_t k = 0;

	s[strcspn(s, "\n")] = '\0';
	while (k < n) {
		f[k++] = s;
		s = strchr(s, '\t');
		if (!s)
			break;
		*s++ = '\0';
	}
	return k;
}

/* The summary rows: what the store now keeps for each student of the shard. */
static int batch_collect(const struct batch_opts *o, const size_t *idx, size_t n, struct batch_summary *sum)
{
	struct store *st = NULL;
	size_t i;
	int rc = -1;

	sum->v = calloc(n ? n : 1, sizeof(*sum->v));
	if (!sum->v) {
		err_set("out of memory");
		goto done;
	}
	if (store_open(o->db_path, &st) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		struct batch_outcome *b = &sum->v[sum->n++];
		const char *who = o->roster->v[idx[i]].student;
		struct grade_result r;
		int64_t id = 0;

		b->student = strdup(who);
		if (!b->student) {
			err_set("out of memory");
			goto done;
		}
		if (store_latest_run(st, who, o->go->challenge->id, &id) < 0)
			goto done;
		if (!id || store_load_run(st, id, &r) != 0)
			continue;
		snprintf(b->status, sizeof(b->status), "%s", run_status_name(r.status));
		b->score = r.score;
		b->max_score = r.max_score;
		b->late_penalty = r.late_penalty;
		b->final_score = r.status == RUN_GRADED ? result_final_score(&r) : 0;
		if (r.status != RUN_GRADED) {
			struct gbuf w = GBUF_INIT(1024);

			why_line(&w, r.diagnosis);
			b->why = gbuf_detach(&w, NULL);
			gbuf_release(&w);
		}
		grade_result_release(&r);
	}
	rc = 0;
done:
	store_close(st);
	return rc;
}

int batch_run(const struct batch_opts *o, struct batch_summary *sum)
{
	struct store *st = NULL;
	struct worker *w = NULL;
	struct batch_event ev;
	struct gbuf msg = GBUF_INIT(8192);
	struct batch_signals bs = {0};
	size_t *todo = NULL, *mine = NULL, ntodo = 0, nmine = 0, next = 0, i;
	unsigned running = 0, k;
	bool broken = false;
	double t0 = monotime_now_s(), last_tick = 0;
	int rc = -1;

	memset(sum, 0, sizeof(*sum));
	memset(&ev, 0, sizeof(ev));
	todo = calloc(o->roster->n, sizeof(*todo));
	mine = calloc(o->roster->n, sizeof(*mine));
	w = calloc(o->jobs, sizeof(*w));
	if (!todo || !mine || !w) {
		err_set("out of memory");
		goto done;
	}
	for (k = 0; k < o->jobs; k++)
		w[k].fd = -1;
	if (mkdir(o->workdir, 0700) < 0 && errno != EEXIST) {
		err_set_errno("cannot create %s", o->workdir);
		goto done;
	}
	if (store_open(o->db_path, &st) < 0 ||
	    store_batch_begin(st, o->key, o->go->challenge->id, &sum->batch_id, &sum->resumed) < 0)
		goto done;
	/* Who is left: this shard's students without a run in this batch. */
	for (i = 0; i < o->roster->n; i++) {
		const struct roster_entry *e = &o->roster->v[i];
		int64_t run = 0;

		if (o->nshards > 1 && batch_shard_of(e->student, o->nshards) != o->shard)
			continue;
		mine[nmine++] = i;
		if (store_batch_student_run(st, sum->batch_id, e->student, &run) < 0)
			goto done;
		if (run) {
			sum->skipped++;
			ev.kind = BATCH_EV_SKIPPED;
			ev.student = e->student;
			ev.run_id = run;
			ev.why = "recorded by this batch before it was stopped";
			ev.status = "";
			ev.skipped = sum->skipped;
			batch_emit(o, &ev);
			continue;
		}
		todo[ntodo++] = i;
	}
	sum->in_shard = (unsigned)nmine;
	/* The workers open the database themselves: no SQLite handle crosses a fork. */
	store_close(st);
	st = NULL;
	/* libgit2 (and the CA bundle its TLS loads) once, here: every worker
	 * and its fetch process inherit it instead of loading it again. */
	if (fetch_global_init() < 0 || batch_signals_block(&bs) < 0)
		goto done;
	ev.total = (unsigned)nmine;
	ev.done = ev.skipped = sum->skipped;

	while (next < ntodo || running) {
		int status;
		pid_t pid;

		if (o->stop && *o->stop) {
			sum->interrupted = true;
			break;
		}
		for (k = 0; k < o->jobs && next < ntodo; k++) {
			if (w[k].pid)
				continue;
			if (worker_start(o, &bs, sum->batch_id, todo[next], k, &w[k]) < 0) {
				worker_cleanup(&w[k]);
				broken = true;
				goto stop;
			}
			running++;
			ev.kind = BATCH_EV_STARTED;
			ev.student = o->roster->v[todo[next]].student;
			ev.running = running;
			ev.elapsed_s = monotime_now_s() - t0;
			batch_emit(o, &ev);
			next++;
		}
		pid = waitpid(-1, &status, WNOHANG);
		if (pid <= 0) {
			if (monotime_now_s() - last_tick >= 1.0) {
				last_tick = monotime_now_s();
				ev.kind = BATCH_EV_TICK;
				ev.running = running;
				ev.elapsed_s = last_tick - t0;
				batch_emit(o, &ev);
			}
			batch_wait(&bs, last_tick + 1.0 - monotime_now_s());
			continue;
		}
		for (k = 0; k < o->jobs && w[k].pid != pid; k++)
			;
		if (k == o->jobs)
			continue;   /* not a worker (cannot happen: we fork nothing else) */
		{
			char *f[7] = {0};
			size_t nf;

			gbuf_reset(&msg);
			worker_read(&w[k], &msg);
			nf = split_tabs(msg.data ? msg.data : (char *)"", f, 7);
			ev.student = o->roster->v[w[k].entry].student;
			ev.why = NULL;
			ev.status = "";
			ev.run_id = 0;
			if (nf == 7 && (f[0][0] == 'R' || f[0][0] == 'S')) {
				ev.kind = f[0][0] == 'R' ? BATCH_EV_FINISHED : BATCH_EV_SKIPPED;
				ev.run_id = strtoll(f[1], NULL, 10);
				ev.status = f[2];
				ev.score = atoi(f[3]);
				ev.max_score = atoi(f[4]);
				ev.late_penalty = atoi(f[5]);
				ev.final_score = ev.score - ev.late_penalty > 0 ? ev.score - ev.late_penalty : 0;
				ev.why = *f[6] ? f[6] : NULL;
				if (ev.kind == BATCH_EV_SKIPPED)
					sum->skipped++, ev.skipped++;
				else if (!strcmp(f[2], "graded"))
					sum->graded_now++, ev.graded++;
				else
					ev.ungraded++;
			} else {
				ev.kind = BATCH_EV_BROKE;
				ev.why = nf == 2 && f[0][0] == 'E' ? f[1]
					 : WIFSIGNALED(status) ? "the worker was killed by a signal"
					 : "the worker ended without a result";
				sum->broke++;
			}
			ev.done++;
			running--;
			ev.running = running;
			ev.elapsed_s = monotime_now_s() - t0;
			batch_emit(o, &ev);
			worker_cleanup(&w[k]);
		}
	}
stop:
	/* A stop (or a worker that could not start): end the running workers
	 * and everything they started, and remove their workspaces. */
	for (k = 0; k < o->jobs; k++) {
		if (!w[k].pid)
			continue;
		kill(-w[k].pid, SIGKILL);
		kill(w[k].pid, SIGKILL);
		waitpid(w[k].pid, NULL, 0);
		worker_cleanup(&w[k]);
		sum->interrupted = true;
	}
	if (broken)
		goto done;
	if (next < ntodo)
		sum->interrupted = true;
	/* A batch is finished when every student has a run of it: a worker
	 * that broke leaves it open, so the next invocation retries just them. */
	if (!sum->interrupted && !sum->broke) {
		if (store_open(o->db_path, &st) < 0 || store_batch_finish(st, sum->batch_id) < 0)
			goto done;
		store_close(st);
		st = NULL;
	}
	if (batch_collect(o, mine, nmine, sum) < 0)
		goto done;
	rmdir(o->workdir);
	sum->elapsed_s = monotime_now_s() - t0;
	rc = 0;
done:
	batch_signals_restore(&bs);
	store_close(st);
	free(todo);
	free(mine);
	free(w);
	gbuf_release(&msg);
	return rc;
}

void batch_summary_release(struct batch_summary *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].student);
		free(s->v[i].why);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}
