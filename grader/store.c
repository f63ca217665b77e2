/*
 * store.c - results in SQLite (docs/store.md describes the tables).
 *
 * Concurrency: a class is often graded by several `grader` processes at once
 * on one database file. WAL lets readers run beside the one writer, the busy
 * timeout makes a second writer wait instead of failing, and every run is
 * written in one BEGIN IMMEDIATE transaction: the write lock is taken up
 * front, so two writers never both hold a read snapshot and then deadlock on
 * the upgrade (which SQLite would report as SQLITE_BUSY at once, without
 * waiting).
 *
 * Migrations: PRAGMA user_version is the schema version. Each step vN ->
 * vN+1 runs in its own BEGIN IMMEDIATE transaction and re-reads the version
 * inside it, so two graders opening a fresh file at the same moment apply
 * each step exactly once. A file newer than this binary is refused rather
 * than written with an old idea of the schema.
 *
 * Every value is bound to a prepared statement; nothing from a submission
 * (messages, diagnoses, sources) is ever formatted into SQL text.
 */
#include "store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "env.h"
#include "err.h"

#define STORE_BUSY_TIMEOUT_MS 10000

/* Statements prepared once per store and reused for every run. */
enum store_stmt {
	ST_SUBMISSION_INSERT,
	ST_SUBMISSION_SELECT,
	ST_SUITE_INSERT,
	ST_SUITE_SELECT,
	ST_RUN_INSERT,
	ST_CHECK_INSERT,
	ST_COUNT
};

struct store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *stmt[ST_COUNT];
};

/*
 * The migrations, in order: migrations[i] takes user_version i to i+1.
 * Never edit a released step; append a new one instead.
 */
static const char *const store_migrations[] = {
	/* v0 -> v1: the first schema. */
	"CREATE TABLE students ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE"
	");"
	"CREATE TABLE submissions ("
	"  id INTEGER PRIMARY KEY,"
	"  student_id INTEGER REFERENCES students(id) ON DELETE SET NULL,"
	"  source TEXT NOT NULL,"
	"  commit_id TEXT NOT NULL DEFAULT '' CHECK (commit_id = '' OR"
	"    (length(commit_id) = 40 AND commit_id NOT GLOB '*[^0-9a-f]*')),"
	"  UNIQUE (source, commit_id)"
	");"
	"CREATE INDEX submissions_by_student ON submissions(student_id);"
	"CREATE TABLE suites ("
	"  id INTEGER PRIMARY KEY,"
	"  challenge_id TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  suite_sha256 TEXT NOT NULL,"
	"  UNIQUE (challenge_id, suite_sha256)"
	");"
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  submission_id INTEGER NOT NULL REFERENCES submissions(id),"
	"  suite_id INTEGER NOT NULL REFERENCES suites(id),"
	"  grader_version TEXT NOT NULL,"
	"  ref TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('graded', 'fetch-failed',"
	"    'setup-failed', 'boot-failed', 'timed-out', 'internal-error')),"
	"  score INTEGER NOT NULL,"
	"  max_score INTEGER NOT NULL,"
	"  diagnosis TEXT,"
	"  sandbox_mode TEXT,"
	"  sandbox_profile TEXT,"
	"  started_at TEXT NOT NULL,"
	"  t_fetch_ms INTEGER NOT NULL,"
	"  t_env_ms INTEGER NOT NULL,"
	"  t_boot_ms INTEGER NOT NULL,"
	"  t_checks_ms INTEGER NOT NULL,"
	"  t_total_ms INTEGER NOT NULL"
	");"
	"CREATE INDEX runs_by_submission ON runs(submission_id, started_at);"
	"CREATE INDEX runs_by_suite ON runs(suite_id, started_at);"
	"CREATE TABLE check_results ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  check_id TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  category TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'error', 'skip')),"
	"  points INTEGER NOT NULL,"
	"  max_points INTEGER NOT NULL,"
	"  advisory INTEGER NOT NULL CHECK (advisory IN (0, 1)),"
	"  message TEXT,"
	"  duration_ms INTEGER NOT NULL,"
	"  queries INTEGER,"
	"  PRIMARY KEY (run_id, check_id)"
	") WITHOUT ROWID;"
	/* Per-check statistics across a class ("who fails order-out-of-stock"). */
	"CREATE INDEX check_results_by_check ON check_results(check_id, status);",
};

#define STORE_SCHEMA_VERSION ((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

static const char *const store_sql[ST_COUNT] = {
	[ST_SUBMISSION_INSERT] =
		"INSERT INTO submissions(source, commit_id) VALUES (?1, ?2)"
		" ON CONFLICT(source, commit_id) DO NOTHING",
	[ST_SUBMISSION_SELECT] =
		"SELECT id FROM submissions WHERE source = ?1 AND commit_id = ?2",
	[ST_SUITE_INSERT] =
		"INSERT INTO suites(challenge_id, title, suite_sha256) VALUES (?1, ?2, ?3)"
		" ON CONFLICT(challenge_id, suite_sha256) DO NOTHING",
	[ST_SUITE_SELECT] =
		"SELECT id FROM suites WHERE challenge_id = ?1 AND suite_sha256 = ?2",
	[ST_RUN_INSERT] =
		"INSERT INTO runs(submission_id, suite_id, grader_version, ref, status,"
		" score, max_score, diagnosis, sandbox_mode, sandbox_profile, started_at,"
		" t_fetch_ms, t_env_ms, t_boot_ms, t_checks_ms, t_total_ms)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
	[ST_CHECK_INSERT] =
		"INSERT INTO check_results(run_id, check_id, title, category, status,"
		" points, max_points, advisory, message, duration_ms, queries)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
};

static int store_fail(const struct store *s, const char *what)
{
	return err_set("results database %s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

/* mkdir -p of the folder holding `path` (nothing to do for a bare name). */
static int store_make_parent(const char *path)
{
	char *dir = NULL;
	char *p;
	int rc = -1;

	dir = strdup(path);
	if (!dir) {
		err_set("out of memory");
		goto done;
	}
	p = strrchr(dir, '/');
	if (!p || p == dir) {
		rc = 0;
		goto done;
	}
	*p = '\0';
	for (p = dir + 1; ; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			err_set_errno("cannot create folder %s", dir);
			goto done;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	rc = 0;
done:
	free(dir);
	return rc;
}

static int store_exec(struct store *s, const char *sql, const char *what)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(s, what);
	return 0;
}

static int store_user_version(struct store *s, int *version)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		store_fail(s, "cannot read the schema version");
		goto done;
	}
	*version = sqlite3_column_int(st, 0);
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

/*
 * WAL is asked for, not required: on a file system without shared memory
 * (some network mounts) SQLite keeps the old journal mode, which is slower
 * under parallel graders but still correct.
 */
static int store_configure(struct store *s)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS) != SQLITE_OK) {
		store_fail(s, "cannot set the busy timeout");
		goto done;
	}
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		store_fail(s, "cannot set WAL mode");
		goto done;
	}
	if (store_exec(s, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
		       "cannot set pragmas") < 0)
		goto done;
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

static int store_migrate(struct store *s)
{
	char sql[64];
	int version = 0;
	int in_tx = 0;
	int rc = -1;

	if (store_user_version(s, &version) < 0)
		goto done;
	while (version < STORE_SCHEMA_VERSION) {
		if (store_exec(s, "BEGIN IMMEDIATE", "cannot start a migration") < 0)
			goto done;
		in_tx = 1;
		/* Another grader may have migrated while we waited for the lock. */
		if (store_user_version(s, &version) < 0)
			goto done;
		if (version < STORE_SCHEMA_VERSION) {
			if (store_exec(s, store_migrations[version], "schema migration failed") < 0) {
				err_wrap("v%d -> v%d", version, version + 1);
				goto done;
			}
			snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", version + 1);
			if (store_exec(s, sql, "cannot set the schema version") < 0)
				goto done;
			version++;
		}
		if (store_exec(s, "COMMIT", "cannot commit a migration") < 0)
			goto done;
		in_tx = 0;
	}
	if (version > STORE_SCHEMA_VERSION) {
		err_set("results database %s has schema version %d; this grader knows up to %d",
			s->path, version, STORE_SCHEMA_VERSION);
		goto done;
	}
	rc = 0;
done:
	if (in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int store_open(const char *path, struct store **out)
{
	struct store *s = NULL;
	int i;
	int rc = -1;

	*out = NULL;
	if (store_make_parent(path) < 0) {
		err_wrap("results database %s", path);
		goto done;
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		err_set("out of memory");
		goto done;
	}
	/* One connection per store, used by one thread: no SQLite mutexes. */
	if (sqlite3_open_v2(path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		if (s->db)
			store_fail(s, "cannot open");
		else
			err_set("results database %s: cannot open: out of memory", path);
		goto done;
	}
	sqlite3_extended_result_codes(s->db, 1);
	if (store_configure(s) < 0 || store_migrate(s) < 0)
		goto done;
	for (i = 0; i < ST_COUNT; i++) {
		if (sqlite3_prepare_v3(s->db, store_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
				       &s->stmt[i], NULL) != SQLITE_OK) {
			store_fail(s, "cannot prepare a statement");
			goto done;
		}
	}
	*out = s;
	s = NULL;
	rc = 0;
done:
	store_close(s);
	return rc;
}

void store_close(struct store *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	/* close_v2: never leaves the handle open because of a stray statement. */
	sqlite3_close_v2(s->db);
	free(s->path);
	free(s);
}

/* NOT NULL text columns take "" for a field the engine left unset. */
static const char *nz(const char *v)
{
	return v ? v : "";
}

static int bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (!v)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/*
 * Run an INSERT ... ON CONFLICT DO NOTHING, then the SELECT that finds the
 * row (new or already there). Both statements have their keys bound by the
 * caller; the row id comes back in *id.
 */
static int store_upsert(struct store *s, sqlite3_stmt *ins, sqlite3_stmt *sel,
			int64_t *id, const char *what)
{
	int rc = -1;

	if (sqlite3_step(ins) != SQLITE_DONE) {
		store_fail(s, what);
		goto done;
	}
	if (sqlite3_step(sel) != SQLITE_ROW) {
		store_fail(s, what);
		goto done;
	}
	*id = sqlite3_column_int64(sel, 0);
	rc = 0;
done:
	sqlite3_reset(ins);
	sqlite3_reset(sel);
	return rc;
}

static int store_insert_checks(struct store *s, const struct grade_result *r, int64_t run)
{
	sqlite3_stmt *st = s->stmt[ST_CHECK_INSERT];
	size_t i;
	int rc = -1;

	for (i = 0; i < r->nchecks; i++) {
		const struct check_result *c = &r->checks[i];

		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		if (sqlite3_bind_int64(st, 1, run) != SQLITE_OK ||
		    bind_text(st, 2, nz(c->id)) != SQLITE_OK ||
		    bind_text(st, 3, nz(c->title)) != SQLITE_OK ||
		    bind_text(st, 4, nz(c->category)) != SQLITE_OK ||
		    bind_text(st, 5, check_status_name(c->status)) != SQLITE_OK ||
		    sqlite3_bind_int(st, 6, c->points) != SQLITE_OK ||
		    sqlite3_bind_int(st, 7, c->max_points) != SQLITE_OK ||
		    sqlite3_bind_int(st, 8, c->advisory ? 1 : 0) != SQLITE_OK ||
		    bind_text(st, 9, c->message) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 10, c->duration_ms) != SQLITE_OK ||
		    /* -1 (not counted) is stored as NULL so SQL aggregates skip it. */
		    (c->queries < 0 ? sqlite3_bind_null(st, 11)
				    : sqlite3_bind_int64(st, 11, c->queries)) != SQLITE_OK) {
			store_fail(s, "cannot bind a check result");
			goto done;
		}
		if (sqlite3_step(st) != SQLITE_DONE) {
			store_fail(s, "cannot record a check result");
			err_wrap("check %s", nz(c->id));
			goto done;
		}
	}
	rc = 0;
done:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int store_record_run(struct store *s, const struct grade_result *r, int64_t *run_id)
{
	sqlite3_stmt *st = NULL;
	char started[32];
	struct tm tm;
	time_t t;
	int64_t submission = 0, suite = 0, run = 0;
	int in_tx = 0;
	int rc = -1;

	if (!r->challenge_id || !r->source) {
		err_set("cannot record a run without a challenge id and a source");
		goto done;
	}
	/* started_at 0 means the engine never stamped it: the record time is the
	 * best approximation left. */
	t = r->started_at ? r->started_at : time(NULL);
	if (!gmtime_r(&t, &tm) || !strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		err_set("cannot format the run's start time");
		goto done;
	}
	if (store_exec(s, "BEGIN IMMEDIATE", "cannot start a transaction") < 0)
		goto done;
	in_tx = 1;

	/* A failed fetch has no commit: stored as '' so it still has a row. */
	st = s->stmt[ST_SUBMISSION_INSERT];
	bind_text(st, 1, r->source);
	bind_text(st, 2, r->commit);
	st = s->stmt[ST_SUBMISSION_SELECT];
	bind_text(st, 1, r->source);
	bind_text(st, 2, r->commit);
	if (store_upsert(s, s->stmt[ST_SUBMISSION_INSERT], s->stmt[ST_SUBMISSION_SELECT],
			 &submission, "cannot record the submission") < 0)
		goto done;

	st = s->stmt[ST_SUITE_INSERT];
	bind_text(st, 1, r->challenge_id);
	bind_text(st, 2, nz(r->challenge_title));
	bind_text(st, 3, r->suite_sha256);
	st = s->stmt[ST_SUITE_SELECT];
	bind_text(st, 1, r->challenge_id);
	bind_text(st, 2, r->suite_sha256);
	if (store_upsert(s, s->stmt[ST_SUITE_INSERT], s->stmt[ST_SUITE_SELECT],
			 &suite, "cannot record the suite") < 0)
		goto done;

	st = s->stmt[ST_RUN_INSERT];
	if (sqlite3_bind_int64(st, 1, submission) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, suite) != SQLITE_OK ||
	    bind_text(st, 3, GRADER_VERSION) != SQLITE_OK ||
	    bind_text(st, 4, nz(r->ref)) != SQLITE_OK ||
	    bind_text(st, 5, run_status_name(r->status)) != SQLITE_OK ||
	    sqlite3_bind_int(st, 6, r->score) != SQLITE_OK ||
	    sqlite3_bind_int(st, 7, r->max_score) != SQLITE_OK ||
	    bind_text(st, 8, r->diagnosis) != SQLITE_OK ||
	    bind_text(st, 9, r->sandbox_mode) != SQLITE_OK ||
	    bind_text(st, 10, r->sandbox_profile) != SQLITE_OK ||
	    bind_text(st, 11, started) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 12, r->t_fetch_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 13, r->t_env_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 14, r->t_boot_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 15, r->t_checks_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 16, r->t_total_ms) != SQLITE_OK) {
		store_fail(s, "cannot bind the run");
		goto done;
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_fail(s, "cannot record the run");
		goto done;
	}
	run = sqlite3_last_insert_rowid(s->db);

	if (store_insert_checks(s, r, run) < 0)
		goto done;
	if (store_exec(s, "COMMIT", "cannot commit the run") < 0)
		goto done;
	in_tx = 0;
	if (run_id)
		*run_id = run;
	rc = 0;
done:
	if (in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	/* The statements point at r's strings (SQLITE_STATIC): unbind them
	 * before the caller frees r. */
	for (int i = 0; i < ST_COUNT; i++) {
		if (s->stmt[i]) {
			sqlite3_reset(s->stmt[i]);
			sqlite3_clear_bindings(s->stmt[i]);
		}
	}
	return rc;
}

char *store_default_path(void)
{
	const char *env = getenv("GRADER_DB");
	char *cache = NULL;
	char *path = NULL;

	if (env && *env) {
		path = strdup(env);
		if (!path)
			err_set("out of memory");
		goto done;
	}
	cache = env_default_cache_dir();
	if (!cache) {
		err_set("cannot tell where the cache folder is (set GRADER_DB or GRADER_CACHE_DIR)");
		goto done;
	}
	if (asprintf(&path, "%s/results.sqlite3", cache) < 0) {
		path = NULL;
		err_set("out of memory");
	}
done:
	free(cache);
	return path;
}
