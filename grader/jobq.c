/*
 * jobq.c - the service's job queue in SQLite (see jobq.h).
 *
 * Every state change is one statement, so it is atomic without an explicit
 * transaction, and WAL plus a busy timeout lets the workers' connections and
 * the HTTP threads' connection share the file with `grader grade` children
 * that record their runs in it at the same time.
 */
#include "jobq.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "err.h"

struct jobq {
	sqlite3 *db;
};

#define JOB_COLUMNS                                                                           \
	"id, repo, slug, ref, challenge, suite_sha256, student, origin, state, created_at, "       \
	"started_at, finished_at, run_id, commit_id, status, score, max_score, report, error"

static const char *const jobq_schema =
	"CREATE TABLE IF NOT EXISTS service_jobs ("
	" id INTEGER PRIMARY KEY,"
	" repo TEXT NOT NULL, slug TEXT NOT NULL, ref TEXT NOT NULL,"
	" challenge TEXT NOT NULL, suite_sha256 TEXT NOT NULL,"
	" student TEXT, origin TEXT NOT NULL,"
	" state INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),"
	" force INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER,"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" run_id INTEGER, commit_id TEXT, status TEXT, score INTEGER, max_score INTEGER,"
	" report TEXT, error TEXT);"
	"CREATE INDEX IF NOT EXISTS service_jobs_queue ON service_jobs(state, id);"
	"CREATE INDEX IF NOT EXISTS service_jobs_badge ON service_jobs(slug, challenge, status, finished_at);"
	"CREATE INDEX IF NOT EXISTS service_jobs_dedup ON service_jobs(repo, ref, suite_sha256);";

static int jobq_fail(struct jobq *q, const char *what)
{
	return err_set("job queue: %s: %s", what, sqlite3_errmsg(q->db));
}

static int64_t jobq_now(void)
{
	return (int64_t)time(NULL);
}

const char *job_state_name(enum job_state s)
{
	static const char *const names[] = {"queued", "running", "done", "failed"};

	return (unsigned)s < 4 ? names[s] : "unknown";
}

void job_release(struct job *j)
{
	if (!j)
		return;
	free(j->repo);
	free(j->slug);
	free(j->ref);
	free(j->challenge);
	free(j->suite_sha256);
	free(j->student);
	free(j->origin);
	free(j->commit);
	free(j->status);
	free(j->report);
	free(j->error);
	memset(j, 0, sizeof(*j));
}

int jobq_open(const char *db_path, bool recover, struct jobq **out)
{
	struct jobq *q = calloc(1, sizeof(*q));
	int rc = -1;

	*out = NULL;
	if (!q) {
		err_set("out of memory");
		goto done;
	}
	if (sqlite3_open_v2(db_path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				      SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		if (q->db)
			jobq_fail(q, db_path);
		else
			err_set("job queue: %s: out of memory", db_path);
		goto done;
	}
	sqlite3_busy_timeout(q->db, 10000);
	if (sqlite3_exec(q->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_exec(q->db, jobq_schema, NULL, NULL, NULL) != SQLITE_OK) {
		jobq_fail(q, db_path);
		goto done;
	}
	/* A job that was running when the service died was not recorded as
	 * finished (finishing is one statement): grade it again. */
	if (recover && sqlite3_exec(q->db, "UPDATE service_jobs SET state = 0 WHERE state = 1", NULL,
				    NULL, NULL) != SQLITE_OK) {
		jobq_fail(q, "re-queueing interrupted jobs");
		goto done;
	}
	*out = q;
	q = NULL;
	rc = 0;
done:
	jobq_close(q);
	return rc;
}

void jobq_close(struct jobq *q)
{
	if (!q)
		return;
	sqlite3_close_v2(q->db);
	free(q);
}

static int jobq_prepare(struct jobq *q, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(q->db, sql, -1, st, NULL) != SQLITE_OK)
		return jobq_fail(q, "cannot prepare a statement");
	return 0;
}

static void jobq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int jobq_col_dup(sqlite3_stmt *st, int i, char **out)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	*out = NULL;
	if (!v)
		return 0;
	*out = strdup((const char *)v);
	return *out ? 0 : err_set("out of memory");
}

/* A row of JOB_COLUMNS into *j. */
static int jobq_row(sqlite3_stmt *st, struct job *j)
{
	memset(j, 0, sizeof(*j));
	j->id = sqlite3_column_int64(st, 0);
	j->state = (enum job_state)sqlite3_column_int(st, 8);
	j->created_at = sqlite3_column_int64(st, 9);
	j->started_at = sqlite3_column_int64(st, 10);
	j->finished_at = sqlite3_column_int64(st, 11);
	j->run_id = sqlite3_column_int64(st, 12);
	j->score = sqlite3_column_int(st, 15);
	j->max_score = sqlite3_column_int(st, 16);
	if (jobq_col_dup(st, 1, &j->repo) < 0 || jobq_col_dup(st, 2, &j->slug) < 0 ||
	    jobq_col_dup(st, 3, &j->ref) < 0 || jobq_col_dup(st, 4, &j->challenge) < 0 ||
	    jobq_col_dup(st, 5, &j->suite_sha256) < 0 || jobq_col_dup(st, 6, &j->student) < 0 ||
	    jobq_col_dup(st, 7, &j->origin) < 0 || jobq_col_dup(st, 13, &j->commit) < 0 ||
	    jobq_col_dup(st, 14, &j->status) < 0 || jobq_col_dup(st, 17, &j->report) < 0 ||
	    jobq_col_dup(st, 18, &j->error) < 0) {
		job_release(j);
		return -1;
	}
	return 0;
}

/* Run a one-row query: 0 and *j, 1 no row, -1 error. Finalizes st. */
static int jobq_one(struct jobq *q, sqlite3_stmt *st, struct job *j)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		rc = jobq_row(st, j);
	else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = jobq_fail(q, "reading a job");
	sqlite3_finalize(st);
	return rc;
}

static bool jobq_is_commit(const char *ref)
{
	size_t i;

	for (i = 0; ref[i]; i++)
		if (!((ref[i] >= '0' && ref[i] <= '9') || (ref[i] >= 'a' && ref[i] <= 'f')))
			return false;
	return i == 40;
}

/* An equal job already there (see jobq.h): 0 and *id, 1 none. */
static int jobq_find_equal(struct jobq *q, const struct job *j, int64_t *id)
{
	sqlite3_stmt *st = NULL;
	int rc;
	/* A commit: any job of it that was not lost to an internal error. A
	 * symbolic ref moves, so only a job still waiting can stand for it. */
	const char *sql = jobq_is_commit(j->ref)
		? "SELECT id FROM service_jobs WHERE repo = ?1 AND ref = ?2 AND suite_sha256 = ?3"
		  " AND challenge = ?4 AND force = 0 AND state IN (0, 1, 2) ORDER BY id DESC LIMIT 1"
		: "SELECT id FROM service_jobs WHERE repo = ?1 AND ref = ?2 AND suite_sha256 = ?3"
		  " AND challenge = ?4 AND state = 0 ORDER BY id DESC LIMIT 1";

	if (jobq_prepare(q, sql, &st) < 0)
		return -1;
	jobq_bind_text(st, 1, j->repo);
	jobq_bind_text(st, 2, j->ref);
	jobq_bind_text(st, 3, j->suite_sha256);
	jobq_bind_text(st, 4, j->challenge);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? 1 : jobq_fail(q, "looking for an equal job");
	}
	sqlite3_finalize(st);
	return rc;
}

static int jobq_queued_count(struct jobq *q, int *n)
{
	int counts[4];

	if (jobq_counts(q, counts) < 0)
		return -1;
	*n = counts[JOB_QUEUED];
	return 0;
}

int jobq_push(struct jobq *q, const struct job *j, bool force, int max_queued, int64_t *id,
	      bool *existing)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, waiting = 0, found;

	*id = 0;
	*existing = false;
	/* IMMEDIATE: the look-up and the insert are one decision, so two equal
	 * webhook deliveries arriving together make one job. */
	if (sqlite3_exec(q->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return jobq_fail(q, "starting a transaction");
	found = force ? 1 : jobq_find_equal(q, j, id);
	if (found < 0)
		goto done;
	if (found == 0) {
		*existing = true;
		rc = 0;
		goto done;
	}
	if (max_queued > 0) {
		if (jobq_queued_count(q, &waiting) < 0)
			goto done;
		if (waiting >= max_queued) {
			rc = 1;
			goto done;
		}
	}
	if (jobq_prepare(q, "INSERT INTO service_jobs (repo, slug, ref, challenge, suite_sha256,"
			    " student, origin, force, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
			 &st) < 0)
		goto done;
	jobq_bind_text(st, 1, j->repo);
	jobq_bind_text(st, 2, j->slug);
	jobq_bind_text(st, 3, j->ref);
	jobq_bind_text(st, 4, j->challenge);
	jobq_bind_text(st, 5, j->suite_sha256);
	jobq_bind_text(st, 6, j->student);
	jobq_bind_text(st, 7, j->origin);
	sqlite3_bind_int(st, 8, force ? 1 : 0);
	sqlite3_bind_int64(st, 9, jobq_now());
	if (sqlite3_step(st) != SQLITE_DONE) {
		jobq_fail(q, "queueing a job");
		goto done;
	}
	*id = sqlite3_last_insert_rowid(q->db);
	rc = 0;
done:
	sqlite3_finalize(st);
	if (rc == -1)
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	else if (sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = jobq_fail(q, "committing a job");
	return rc;
}

int jobq_claim(struct jobq *q, struct job *j)
{
	sqlite3_stmt *st = NULL;

	memset(j, 0, sizeof(*j));
	if (jobq_prepare(q, "UPDATE service_jobs SET state = 1, started_at = ?1,"
			    " attempts = attempts + 1 WHERE id = (SELECT id FROM service_jobs"
			    " WHERE state = 0 ORDER BY id LIMIT 1) RETURNING " JOB_COLUMNS, &st) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, jobq_now());
	return jobq_one(q, st, j);
}

int jobq_finish(struct jobq *q, const struct job *j)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (jobq_prepare(q, "UPDATE service_jobs SET state = ?2, finished_at = ?3, run_id = ?4,"
			    " commit_id = ?5, status = ?6, score = ?7, max_score = ?8, report = ?9,"
			    " error = ?10 WHERE id = ?1", &st) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, j->id);
	sqlite3_bind_int(st, 2, (int)j->state);
	sqlite3_bind_int64(st, 3, jobq_now());
	if (j->run_id > 0)
		sqlite3_bind_int64(st, 4, j->run_id);
	jobq_bind_text(st, 5, j->commit);
	jobq_bind_text(st, 6, j->status);
	sqlite3_bind_int(st, 7, j->score);
	sqlite3_bind_int(st, 8, j->max_score);
	jobq_bind_text(st, 9, j->report);
	jobq_bind_text(st, 10, j->error);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = jobq_fail(q, "recording a finished job");
	sqlite3_finalize(st);
	return rc;
}

int jobq_get(struct jobq *q, int64_t id, struct job *j)
{
	sqlite3_stmt *st = NULL;

	memset(j, 0, sizeof(*j));
	if (jobq_prepare(q, "SELECT " JOB_COLUMNS " FROM service_jobs WHERE id = ?1", &st) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return jobq_one(q, st, j);
}

int jobq_position(struct jobq *q, int64_t id, int *pos)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	*pos = 0;
	if (jobq_prepare(q, "SELECT CASE WHEN (SELECT state FROM service_jobs WHERE id = ?1) = 0"
			    " THEN (SELECT COUNT(*) FROM service_jobs WHERE state = 0 AND id <= ?1)"
			    " ELSE 0 END", &st) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*pos = sqlite3_column_int(st, 0);
		rc = 0;
	} else {
		jobq_fail(q, "reading a queue position");
	}
	sqlite3_finalize(st);
	return rc;
}

int jobq_latest_graded(struct jobq *q, const char *slug, const char *challenge, struct job *j)
{
	sqlite3_stmt *st = NULL;

	memset(j, 0, sizeof(*j));
	if (jobq_prepare(q, "SELECT " JOB_COLUMNS " FROM service_jobs WHERE slug = ?1 AND"
			    " challenge = ?2 AND status = 'graded' ORDER BY finished_at DESC, id DESC"
			    " LIMIT 1", &st) < 0)
		return -1;
	jobq_bind_text(st, 1, slug);
	jobq_bind_text(st, 2, challenge);
	return jobq_one(q, st, j);
}

int jobq_each(struct jobq *q, bool active, int limit, int (*fn)(const struct job *j, void *ctx),
	      void *ctx)
{
	sqlite3_stmt *st = NULL;
	struct job j;
	int rc = 0, step;

	if (jobq_prepare(q, active ? "SELECT " JOB_COLUMNS " FROM service_jobs WHERE state IN (0, 1)"
				     " ORDER BY state DESC, id LIMIT ?1"
				   : "SELECT " JOB_COLUMNS " FROM service_jobs ORDER BY id DESC LIMIT ?1",
			 &st) < 0)
		return -1;
	sqlite3_bind_int(st, 1, limit > 0 ? limit : -1);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (jobq_row(st, &j) < 0) {
			rc = -1;
			break;
		}
		rc = fn(&j, ctx);
		job_release(&j);
		if (rc)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = jobq_fail(q, "listing jobs");
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int jobq_counts(struct jobq *q, int counts[4])
{
	sqlite3_stmt *st = NULL;
	int step, s;

	memset(counts, 0, 4 * sizeof(int));
	if (jobq_prepare(q, "SELECT state, COUNT(*) FROM service_jobs GROUP BY state", &st) < 0)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		s = sqlite3_column_int(st, 0);
		if (s >= 0 && s < 4)
			counts[s] = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? 0 : jobq_fail(q, "counting jobs");
}
