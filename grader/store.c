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

#include <cjson/cJSON.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "env_pin.h"   /* the relaxed pins' JSON form: the one thing of env's it uses */
#include "paths.h"
#include "err.h"
#include "monotime.h"
#include "source.h"
#include "vec.h"

#define STORE_BUSY_TIMEOUT_MS 10000

/* Statements prepared once per store and reused for every run. */
enum store_stmt {
	ST_SUBMISSION_INSERT,
	ST_SUBMISSION_SELECT,
	ST_SUITE_INSERT,
	ST_SUITE_SELECT,
	ST_RUN_INSERT,
	ST_CHECK_INSERT,
	ST_STUDENT_INSERT,
	ST_STUDENT_SELECT,
	ST_SUBMISSION_OWNER,
	ST_CAUSE_INSERT,
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

	/* v1 -> v2: a class. Runs know their student, their batch, the
	 * deadline they were graded against and the late penalty (kept apart
	 * from the raw score), and carry a uuid so that shards graded into
	 * separate files merge idempotently. */
	"CREATE TABLE batches ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  key TEXT NOT NULL,"
	"  challenge_id TEXT NOT NULL,"
	"  started_at TEXT NOT NULL,"
	"  finished_at TEXT"
	");"
	"CREATE INDEX batches_by_key ON batches(key, finished_at);"
	"ALTER TABLE runs ADD COLUMN uuid TEXT;"
	"UPDATE runs SET uuid = lower(hex(randomblob(16)));"
	"CREATE UNIQUE INDEX runs_by_uuid ON runs(uuid);"
	"ALTER TABLE runs ADD COLUMN student_id INTEGER REFERENCES students(id);"
	"ALTER TABLE runs ADD COLUMN batch_id INTEGER REFERENCES batches(id);"
	"ALTER TABLE runs ADD COLUMN due_at TEXT;"
	"ALTER TABLE runs ADD COLUMN commit_time TEXT;"
	"ALTER TABLE runs ADD COLUMN late_penalty INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE runs ADD COLUMN selection TEXT;"
	"CREATE INDEX runs_by_student ON runs(student_id, started_at);"
	"CREATE INDEX runs_by_batch ON runs(batch_id, student_id);"
	/* What `grader show` prints again: the environment line, the routes,
	 * and each check's place in the suite (the key orders by id). */
	"ALTER TABLE runs ADD COLUMN environment TEXT;"
	"ALTER TABLE runs ADD COLUMN routes TEXT;"
	"ALTER TABLE check_results ADD COLUMN ord INTEGER;",

	/* v2 -> v3: who may read a check's message (format.h). A run loaded
	 * back (grader show) must withhold what grading withheld. */
	"ALTER TABLE check_results ADD COLUMN visibility TEXT NOT NULL DEFAULT 'visible'"
	"  CHECK (visibility IN ('visible', 'hidden', 'after_due_date'));",

	/* v3 -> v4: what the report said beyond the checks, so that `grader
	 * show` prints it again (issue 9): the root causes said once (causes.h),
	 * the environment's details (interpreter, why, requirements source,
	 * inferred packages, relaxed pins) and how the actors signed in. Lists
	 * are JSON arrays (SQLite's json_each() reads them). Runs recorded
	 * before v4 keep NULL here: the report then says what it said then. */
	"CREATE TABLE run_causes ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  ord INTEGER NOT NULL,"
	"  cause TEXT NOT NULL,"
	"  checks TEXT NOT NULL,"
	"  routes TEXT NOT NULL,"
	"  PRIMARY KEY (run_id, ord)"
	") WITHOUT ROWID;"
	"ALTER TABLE runs ADD COLUMN env_python TEXT;"
	"ALTER TABLE runs ADD COLUMN env_python_reason TEXT;"
	"ALTER TABLE runs ADD COLUMN env_requirements_source TEXT;"
	"ALTER TABLE runs ADD COLUMN env_inferred TEXT;"
	"ALTER TABLE runs ADD COLUMN env_relaxed TEXT;"
	"ALTER TABLE runs ADD COLUMN auth TEXT;",

	/* v4 -> v5: Django's system checks' errors, asked for after the checks
	 * of a run that lost points (engine.c), so that `grader show` says
	 * them again. NULL: none found, not asked, or recorded before v5. */
	"ALTER TABLE runs ADD COLUMN system_checks TEXT;",

	/* v5 -> v6: the Django the app booted with (the report's
	 * environment.django, session 36), so that `grader show` says it
	 * again. NULL: the app did not boot, or recorded before v6. */
	"ALTER TABLE runs ADD COLUMN env_django TEXT;",
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
		" t_fetch_ms, t_env_ms, t_boot_ms, t_checks_ms, t_total_ms,"
		" uuid, student_id, batch_id, due_at, commit_time, late_penalty, selection,"
		" environment, routes, env_python, env_python_reason, env_requirements_source,"
		" env_inferred, env_relaxed, auth, system_checks, env_django)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
		" ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33)",
	[ST_CHECK_INSERT] =
		"INSERT INTO check_results(run_id, check_id, title, category, status,"
		" points, max_points, advisory, message, duration_ms, queries, ord, visibility)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[ST_STUDENT_INSERT] =
		"INSERT INTO students(name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
	[ST_STUDENT_SELECT] =
		"SELECT id FROM students WHERE name = ?1",
	[ST_SUBMISSION_OWNER] =
		"UPDATE submissions SET student_id = ?2 WHERE id = ?1 AND student_id IS NULL",
	[ST_CAUSE_INSERT] =
		"INSERT INTO run_causes(run_id, ord, cause, checks, routes) VALUES (?1, ?2, ?3, ?4, ?5)",
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
 * PRAGMA journal_mode=WAL on a file another process is creating or
 * migrating at that moment: switching the journal mode needs the file to
 * itself, and SQLite answers SQLITE_BUSY at once instead of calling the busy
 * handler. Two workers of a batch, two shards on one file or the service's
 * workers opening a fresh database together hit it, so it is retried for
 * as long as the busy timeout would have waited.
 */
static int store_set_wal(struct store *s, sqlite3_stmt **st)
{
	long long deadline = monotime_deadline(STORE_BUSY_TIMEOUT_MS);
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int rc = -1, step = SQLITE_BUSY;

	while (step == SQLITE_BUSY || step == SQLITE_LOCKED) {
		sqlite3_finalize(*st);
		*st = NULL;
		step = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, st, NULL);
		if (step == SQLITE_OK)
			step = sqlite3_step(*st);
		if ((step == SQLITE_BUSY || step == SQLITE_LOCKED) && monotime_left_ms(deadline) <= 0)
			break;
		if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
			nanosleep(&pause, NULL);
	}
	if (step == SQLITE_ROW)
		rc = 0;
	else
		store_fail(s, "cannot set WAL mode");
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
	if (store_set_wal(s, &st) < 0)
		goto done;
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
				    : sqlite3_bind_int64(st, 11, c->queries)) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 12, (sqlite3_int64)i) != SQLITE_OK ||
		    bind_text(st, 13, check_visibility_name(c->visibility)) != SQLITE_OK) {
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

/* ---- lists as JSON text (v4 columns) -------------------------------------- */

/* A JSON array of `n` strings, malloc'd; NULL (err set) on OOM. */
static char *store_json_strings(char *const *v, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	char *out = NULL;
	size_t i;

	for (i = 0; arr && i < n; i++) {
		cJSON *it = cJSON_CreateString(v[i] ? v[i] : "");

		if (!it || !cJSON_AddItemToArray(arr, it))
			goto done;
	}
	if (arr)
		out = cJSON_PrintUnformatted(arr);
done:
	cJSON_Delete(arr);
	if (!out)
		err_set("out of memory");
	return out;
}

/* The relaxed pins as [{"from", "to", "why"}] (env_pin.h), malloc'd; NULL on OOM. */
static char *store_json_relaxed(const struct env_pin *v, size_t n)
{
	cJSON *arr = env_pins_to_json(v, n);
	char *out = arr ? cJSON_PrintUnformatted(arr) : NULL;

	cJSON_Delete(arr);
	if (!out)
		err_set("out of memory");
	return out;
}

/*
 * A stored JSON array of strings back into (*v, *n). NULL text is an empty
 * list; a value that is not an array of strings (edited by hand) is an
 * error naming the column rather than a silently shorter report.
 */
static int store_strings_parse(const unsigned char *text, const char *what, char ***v, size_t *n)
{
	cJSON *arr = NULL, *it;
	int rc = -1;

	*v = NULL;
	*n = 0;
	if (!text)
		return 0;
	arr = cJSON_Parse((const char *)text);
	if (!cJSON_IsArray(arr)) {
		err_set("stored %s is not a JSON array", what);
		goto done;
	}
	if (cJSON_GetArraySize(arr) > 0 &&
	    !(*v = calloc((size_t)cJSON_GetArraySize(arr), sizeof(**v)))) {
		err_set("out of memory");
		goto done;
	}
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it)) {
			err_set("stored %s holds a value that is not a string", what);
			goto done;
		}
		if (!((*v)[*n] = strdup(it->valuestring))) {
			err_set("out of memory");
			goto done;
		}
		(*n)++;
	}
	rc = 0;
done:
	cJSON_Delete(arr);
	return rc;
}

/* The stored relaxed pins back into r (env_pin.h's JSON form). NULL text
 * is none; a value edited into another shape is an error naming the column. */
static int store_relaxed_parse(const unsigned char *text, struct grade_result *r)
{
	cJSON *arr = text ? cJSON_Parse((const char *)text) : NULL;
	int rc = text ? env_pins_from_json(arr, &r->env_relaxed, &r->nenv_relaxed) : 0;

	if (rc > 0)
		rc = err_wrap("stored env_relaxed");
	cJSON_Delete(arr);
	return rc;
}

static int store_insert_causes(struct store *s, const struct grade_result *r, int64_t run)
{
	sqlite3_stmt *st = s->stmt[ST_CAUSE_INSERT];
	char *checks = NULL, *routes = NULL;
	size_t i;
	int rc = -1;

	for (i = 0; i < r->ncauses; i++) {
		const struct cause *c = &r->causes[i];

		free(checks);
		free(routes);
		routes = NULL;
		if (!(checks = store_json_strings(c->checks, c->nchecks)) ||
		    !(routes = store_json_strings(c->routes, c->nroutes)))
			goto done;
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		if (sqlite3_bind_int64(st, 1, run) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 2, (sqlite3_int64)i) != SQLITE_OK ||
		    bind_text(st, 3, nz(c->text)) != SQLITE_OK ||
		    bind_text(st, 4, checks) != SQLITE_OK ||
		    bind_text(st, 5, routes) != SQLITE_OK) {
			store_fail(s, "cannot bind a cause");
			goto done;
		}
		if (sqlite3_step(st) != SQLITE_DONE) {
			store_fail(s, "cannot record a cause");
			goto done;
		}
	}
	rc = 0;
done:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	free(checks);
	free(routes);
	return rc;
}

/* time_t -> "2025-03-01T09:30:00Z" (buf of 32). 0 when it cannot. */
static int store_time_text(time_t t, char buf[32])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return err_set("cannot format a time");
	return 0;
}

/* A fresh 128-bit identity, hex: from the kernel's random source. */
static int store_new_uuid(char out[33])
{
	unsigned char b[16];
	FILE *f = fopen("/dev/urandom", "rb");
	size_t got = f ? fread(b, 1, sizeof(b), f) : 0;
	int i;

	if (f)
		fclose(f);
	if (got != sizeof(b))
		return err_set("cannot read /dev/urandom for a run id");
	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return 0;
}

/* The student's row id (made when new); *id 0 when name is NULL. */
static int store_student_id(struct store *s, const char *name, int64_t *id)
{
	*id = 0;
	if (!name)
		return 0;
	bind_text(s->stmt[ST_STUDENT_INSERT], 1, name);
	bind_text(s->stmt[ST_STUDENT_SELECT], 1, name);
	return store_upsert(s, s->stmt[ST_STUDENT_INSERT], s->stmt[ST_STUDENT_SELECT], id,
			    "cannot record the student");
}

static void store_unbind_all(struct store *s)
{
	/* The statements point at r's strings (SQLITE_STATIC): unbind them
	 * before the caller frees r. */
	for (int i = 0; i < ST_COUNT; i++) {
		if (s->stmt[i]) {
			sqlite3_reset(s->stmt[i]);
			sqlite3_clear_bindings(s->stmt[i]);
		}
	}
}

/* The environment's lists as JSON, when the environment phase was
 * reached (else both NULL). 0, -1. */
static int store_env_lists(const struct grade_result *r, char **inferred, char **relaxed)
{
	*inferred = *relaxed = NULL;
	if (!r->env_python)
		return 0;
	if (!(*inferred = store_json_strings(r->env_inferred, r->nenv_inferred)) ||
	    !(*relaxed = store_json_relaxed(r->env_relaxed, r->nenv_relaxed)))
		return -1;
	return 0;
}

/* The v4 and v5 columns of a run (?26 to ?32): the environment's details,
 * the sign-in scheme and the system checks' errors. SQLITE_OK or the first
 * error. */
static int store_bind_env(sqlite3_stmt *st, const struct grade_result *r, const char *inferred,
			  const char *relaxed)
{
	int e = bind_text(st, 26, r->env_python);

	if (e == SQLITE_OK)
		e = bind_text(st, 27, r->env_python_reason);
	if (e == SQLITE_OK)
		e = bind_text(st, 28, r->env_requirements_source);
	if (e == SQLITE_OK)
		e = bind_text(st, 29, inferred);
	if (e == SQLITE_OK)
		e = bind_text(st, 30, relaxed);
	if (e == SQLITE_OK)
		e = bind_text(st, 31, r->auth_scheme);
	if (e == SQLITE_OK)
		e = bind_text(st, 32, r->system_checks);
	if (e == SQLITE_OK)
		e = bind_text(st, 33, r->env_django);
	return e;
}

/*
 * Insert one run and its checks; the caller holds the transaction. The
 * source is stored canonical (source.h): one submission per repository
 * however it was written, and never a credential.
 */
static int store_insert_run(struct store *s, int64_t batch_id, const struct grade_result *r,
			    int64_t *run_id)
{
	sqlite3_stmt *st = NULL;
	char started[32], due[32], ctime_[32], uuid[33];
	char *source = NULL, *routes = NULL, *inferred = NULL, *relaxed = NULL;
	struct gbuf rb = GBUF_INIT(0);
	time_t t;
	size_t i;
	int64_t submission = 0, suite = 0, run = 0, student = 0;
	int rc = -1;

	if (!r->challenge_id || !r->source) {
		err_set("cannot record a run without a challenge id and a source");
		goto done;
	}
	/* started_at 0 means the engine never stamped it: the record time is the
	 * best approximation left. */
	t = r->started_at ? r->started_at : time(NULL);
	if (store_time_text(t, started) < 0 ||
	    (r->due_at && store_time_text(r->due_at, due) < 0) ||
	    (r->commit_time && store_time_text(r->commit_time, ctime_) < 0)) {
		err_wrap("cannot record the run");
		goto done;
	}
	if (r->uuid[0])
		snprintf(uuid, sizeof(uuid), "%s", r->uuid);
	else if (store_new_uuid(uuid) < 0)
		goto done;
	if (source_canonical(r->source, &source) < 0)
		goto done;
	if (store_student_id(s, r->student, &student) < 0)
		goto done;
	/* Routes as "from\tto" lines ("" when a grader.yaml mapped nothing). */
	for (i = 0; i < r->nroutes; i++)
		if (gbuf_addf(&rb, "%s%s\t%s", i ? "\n" : "", r->routes[i].from, r->routes[i].to) < 0) {
			err_set("out of memory");
			goto done;
		}
	if (r->routes_loaded && !(routes = gbuf_detach(&rb, NULL))) {
		err_set("out of memory");
		goto done;
	}
	if (store_env_lists(r, &inferred, &relaxed) < 0)
		goto done;

	/* A failed fetch has no commit: stored as '' so it still has a row. */
	st = s->stmt[ST_SUBMISSION_INSERT];
	bind_text(st, 1, source);
	bind_text(st, 2, r->commit);
	st = s->stmt[ST_SUBMISSION_SELECT];
	bind_text(st, 1, source);
	bind_text(st, 2, r->commit);
	if (store_upsert(s, s->stmt[ST_SUBMISSION_INSERT], s->stmt[ST_SUBMISSION_SELECT],
			 &submission, "cannot record the submission") < 0)
		goto done;
	if (student) {
		st = s->stmt[ST_SUBMISSION_OWNER];
		if (sqlite3_bind_int64(st, 1, submission) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 2, student) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_DONE) {
			store_fail(s, "cannot record the submission's student");
			goto done;
		}
	}

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
	    bind_text(st, 3, r->grader_version ? r->grader_version : GRADER_VERSION) != SQLITE_OK ||
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
	    sqlite3_bind_int64(st, 16, r->t_total_ms) != SQLITE_OK ||
	    bind_text(st, 17, uuid) != SQLITE_OK ||
	    (student ? sqlite3_bind_int64(st, 18, student) : sqlite3_bind_null(st, 18)) != SQLITE_OK ||
	    (batch_id ? sqlite3_bind_int64(st, 19, batch_id) : sqlite3_bind_null(st, 19)) != SQLITE_OK ||
	    bind_text(st, 20, r->due_at ? due : NULL) != SQLITE_OK ||
	    bind_text(st, 21, r->commit_time ? ctime_ : NULL) != SQLITE_OK ||
	    sqlite3_bind_int(st, 22, r->late_penalty) != SQLITE_OK ||
	    bind_text(st, 23, r->selection) != SQLITE_OK ||
	    bind_text(st, 24, r->environment) != SQLITE_OK ||
	    bind_text(st, 25, routes) != SQLITE_OK ||
	    store_bind_env(st, r, inferred, relaxed) != SQLITE_OK) {
		store_fail(s, "cannot bind the run");
		goto done;
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_fail(s, "cannot record the run");
		goto done;
	}
	run = sqlite3_last_insert_rowid(s->db);

	if (store_insert_checks(s, r, run) < 0 || store_insert_causes(s, r, run) < 0)
		goto done;
	if (run_id)
		*run_id = run;
	rc = 0;
done:
	store_unbind_all(s);
	free(source);
	free(routes);
	free(inferred);
	free(relaxed);
	gbuf_release(&rb);
	return rc;
}

int store_record_batch_run(struct store *s, int64_t batch_id, const struct grade_result *r,
			   int64_t *run_id)
{
	int64_t run = 0;
	int in_tx = 0;
	int rc = -1;

	if (store_exec(s, "BEGIN IMMEDIATE", "cannot start a transaction") < 0)
		goto done;
	in_tx = 1;
	if (store_insert_run(s, batch_id, r, &run) < 0)
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
	return rc;
}

int store_record_run(struct store *s, const struct grade_result *r, int64_t *run_id)
{
	return store_record_batch_run(s, 0, r, run_id);
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
	cache = paths_cache_dir();
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

/* ---- reading back --------------------------------------------------------- */

/* "2025-03-01T09:30:00Z" -> time_t; 0 when absent or malformed. */
static time_t store_parse_time(const unsigned char *t)
{
	struct tm tm;
	const char *end;

	if (!t)
		return 0;
	memset(&tm, 0, sizeof(tm));
	end = strptime((const char *)t, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return 0;
	return timegm(&tm);
}

/* A copy of a text column, NULL for SQL NULL. *ok cleared on OOM. */
static char *col_dup(sqlite3_stmt *st, int i, bool *ok)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	char *d;

	if (!t)
		return NULL;
	d = strdup((const char *)t);
	if (!d)
		*ok = false;
	return d;
}

static void col_copy(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(dst, n, "%s", t ? (const char *)t : "");
}

static int store_prepare(struct store *s, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return store_fail(s, "cannot prepare a query");
	return 0;
}

static int store_load_checks(struct store *s, int64_t run_id, struct grade_result *r)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	bool ok = true;
	int step, rc = -1;

	if (store_prepare(s, "SELECT check_id, title, category, status, points, max_points,"
			  " advisory, message, duration_ms, queries, visibility FROM check_results"
			  " WHERE run_id = ?1 ORDER BY ord, check_id", &st) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, run_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct check_result *c;

		if (VEC_RESERVE(r->checks, cap, r->nchecks + 1) < 0)
			goto done;
		c = &r->checks[r->nchecks++];
		memset(c, 0, sizeof(*c));
		c->id = col_dup(st, 0, &ok);
		c->title = col_dup(st, 1, &ok);
		c->category = col_dup(st, 2, &ok);
		if (check_status_parse((const char *)sqlite3_column_text(st, 3), &c->status) < 0)
			c->status = CHECK_ERROR;
		c->points = sqlite3_column_int(st, 4);
		c->max_points = sqlite3_column_int(st, 5);
		c->advisory = sqlite3_column_int(st, 6) != 0;
		c->message = col_dup(st, 7, &ok);
		c->duration_ms = (long)sqlite3_column_int64(st, 8);
		c->queries = sqlite3_column_type(st, 9) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, 9);
		/* An unknown name withholds: never show more than grading did. */
		if (check_visibility_parse((const char *)sqlite3_column_text(st, 10), &c->visibility) < 0)
			c->visibility = VIS_HIDDEN;
		if (!ok) {
			err_set("out of memory");
			goto done;
		}
	}
	if (step != SQLITE_DONE) {
		store_fail(s, "cannot read check results");
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

/* The stored "from\tto" lines back into route pairs; NULL: no grader.yaml. */
static int store_load_routes(struct grade_result *r, const unsigned char *text)
{
	const char *p = (const char *)text;
	size_t n = 1;

	if (!p)
		return 0;
	r->routes_loaded = true;
	if (!*p)
		return 0;
	for (const char *q = p; *q; q++)
		n += *q == '\n';
	r->routes = calloc(n, sizeof(*r->routes));
	if (!r->routes)
		return err_set("out of memory");
	while (*p) {
		size_t len = strcspn(p, "\n");
		const char *tab = memchr(p, '\t', len);
		struct route_pair *rp = &r->routes[r->nroutes];

		rp->from = strndup(p, tab ? (size_t)(tab - p) : len);
		rp->to = tab ? strndup(tab + 1, len - (size_t)(tab + 1 - p)) : strdup("");
		r->nroutes++;
		if (!rp->from || !rp->to)
			return err_set("out of memory");
		p += len;
		if (*p)
			p++;
	}
	return 0;
}

/* The run's root causes, in the order the report gave them. */
static int store_load_causes(struct store *s, int64_t run_id, struct grade_result *r)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int step, rc = -1;

	if (store_prepare(s, "SELECT cause, checks, routes FROM run_causes WHERE run_id = ?1"
			  " ORDER BY ord", &st) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, run_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct cause *c;

		if (VEC_RESERVE(r->causes, cap, r->ncauses + 1) < 0)
			goto done;
		c = &r->causes[r->ncauses++];
		memset(c, 0, sizeof(*c));
		if (!(c->text = strdup((const char *)sqlite3_column_text(st, 0)))) {
			err_set("out of memory");
			goto done;
		}
		if (store_strings_parse(sqlite3_column_text(st, 1), "run_causes.checks",
					&c->checks, &c->nchecks) < 0 ||
		    store_strings_parse(sqlite3_column_text(st, 2), "run_causes.routes",
					&c->routes, &c->nroutes) < 0) {
			err_wrap("results database %s, run %lld", s->path, (long long)run_id);
			goto done;
		}
	}
	if (step != SQLITE_DONE) {
		store_fail(s, "cannot read causes");
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

int store_load_run(struct store *s, int64_t run_id, struct grade_result *r)
{
	sqlite3_stmt *st = NULL;
	bool ok = true;
	int step, rc = -1;

	memset(r, 0, sizeof(*r));
	if (store_prepare(s,
			  "SELECT r.id, r.uuid, su.challenge_id, su.title, su.suite_sha256, sb.source,"
			  " r.ref, sb.commit_id, r.status, r.score, r.max_score, r.diagnosis,"
			  " r.sandbox_mode, r.sandbox_profile, r.started_at, r.t_fetch_ms, r.t_env_ms,"
			  " r.t_boot_ms, r.t_checks_ms, r.t_total_ms, st.name, r.due_at, r.commit_time,"
			  " r.late_penalty, r.selection, r.grader_version, r.environment, r.routes,"
			  " r.env_python, r.env_python_reason, r.env_requirements_source, r.env_inferred,"
			  " r.env_relaxed, r.auth, r.system_checks, r.env_django"
			  " FROM runs r JOIN submissions sb ON sb.id = r.submission_id"
			  " JOIN suites su ON su.id = r.suite_id"
			  " LEFT JOIN students st ON st.id = r.student_id WHERE r.id = ?1", &st) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, run_id);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = 1;
		goto done;
	}
	if (step != SQLITE_ROW) {
		store_fail(s, "cannot read the run");
		goto done;
	}
	r->run_id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, r->uuid, sizeof(r->uuid));
	r->challenge_id = col_dup(st, 2, &ok);
	r->challenge_title = col_dup(st, 3, &ok);
	col_copy(st, 4, r->suite_sha256, sizeof(r->suite_sha256));
	r->source = col_dup(st, 5, &ok);
	r->ref = col_dup(st, 6, &ok);
	col_copy(st, 7, r->commit, sizeof(r->commit));
	if (run_status_parse((const char *)sqlite3_column_text(st, 8), &r->status) < 0)
		r->status = RUN_INTERNAL_ERROR;
	r->score = sqlite3_column_int(st, 9);
	r->max_score = sqlite3_column_int(st, 10);
	r->diagnosis = col_dup(st, 11, &ok);
	r->sandbox_mode = col_dup(st, 12, &ok);
	r->sandbox_profile = col_dup(st, 13, &ok);
	r->started_at = store_parse_time(sqlite3_column_text(st, 14));
	r->t_fetch_ms = (long)sqlite3_column_int64(st, 15);
	r->t_env_ms = (long)sqlite3_column_int64(st, 16);
	r->t_boot_ms = (long)sqlite3_column_int64(st, 17);
	r->t_checks_ms = (long)sqlite3_column_int64(st, 18);
	r->t_total_ms = (long)sqlite3_column_int64(st, 19);
	r->student = col_dup(st, 20, &ok);
	r->due_at = store_parse_time(sqlite3_column_text(st, 21));
	r->commit_time = store_parse_time(sqlite3_column_text(st, 22));
	r->late_penalty = sqlite3_column_int(st, 23);
	r->selection = col_dup(st, 24, &ok);
	r->grader_version = col_dup(st, 25, &ok);
	r->environment = col_dup(st, 26, &ok);
	if (!ok || store_load_routes(r, sqlite3_column_text(st, 27)) < 0) {
		err_set("out of memory");
		goto done;
	}
	r->env_python = col_dup(st, 28, &ok);
	r->env_python_reason = col_dup(st, 29, &ok);
	r->env_requirements_source = col_dup(st, 30, &ok);
	r->auth_scheme = col_dup(st, 33, &ok);
	r->system_checks = col_dup(st, 34, &ok);
	r->env_django = col_dup(st, 35, &ok);
	if (!ok) {
		err_set("out of memory");
		goto done;
	}
	if (store_strings_parse(sqlite3_column_text(st, 31), "runs.env_inferred",
				&r->env_inferred, &r->nenv_inferred) < 0 ||
	    store_relaxed_parse(sqlite3_column_text(st, 32), r) < 0) {
		err_wrap("results database %s, run %lld", s->path, (long long)run_id);
		goto done;
	}
	if (store_load_checks(s, run_id, r) < 0 || store_load_causes(s, run_id, r) < 0)
		goto done;
	rc = 0;
done:
	sqlite3_finalize(st);
	if (rc != 0)
		grade_result_release(r);
	return rc;
}

/*
 * The gradebook's rule, over candidate runs newest first: the newest run,
 * unless it could not be graded and an earlier run was graded - of the same
 * submission (commit), or of any commit when the newest run says nothing
 * about the submission (its fetch failed, or the grader broke).
 */
static int store_pick(struct store *s, sqlite3_stmt *st, int64_t *run_id)
{
	int64_t first = 0, first_sub = 0, pick = 0;
	bool first_blind = false;
	int step, rc = -1;

	*run_id = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int64_t sub = sqlite3_column_int64(st, 2);
		const char *status = (const char *)sqlite3_column_text(st, 1);
		bool graded = status && !strcmp(status, "graded");

		if (!first) {
			first = id;
			first_sub = sub;
			first_blind = status && (!strcmp(status, "fetch-failed") ||
						 !strcmp(status, "internal-error"));
			if (graded) {
				pick = id;
				break;
			}
			continue;
		}
		if (graded && (first_blind || sub == first_sub)) {
			pick = id;
			break;
		}
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		store_fail(s, "cannot read runs");
		goto done;
	}
	*run_id = pick ? pick : first;
	rc = 0;
done:
	return rc;
}

int store_latest_run(struct store *s, const char *who, const char *challenge, int64_t *run_id)
{
	sqlite3_stmt *st = NULL;
	char *source = NULL;
	int rc = -1;

	*run_id = 0;
	if (source_canonical(who, &source) < 0)
		goto done;
	/* A roster id when there is such a student, else a repository. */
	if (store_prepare(s,
			  "SELECT r.id, r.status, r.submission_id FROM runs r"
			  " JOIN suites su ON su.id = r.suite_id"
			  " JOIN submissions sb ON sb.id = r.submission_id"
			  " WHERE su.challenge_id = ?1 AND CASE"
			  "  WHEN EXISTS (SELECT 1 FROM students WHERE name = ?2)"
			  "  THEN r.student_id = (SELECT id FROM students WHERE name = ?2)"
			  "  ELSE sb.source = ?3 END"
			  " ORDER BY r.started_at DESC, r.id DESC", &st) < 0)
		goto done;
	bind_text(st, 1, challenge);
	bind_text(st, 2, who);
	bind_text(st, 3, source);
	rc = store_pick(s, st, run_id);
done:
	sqlite3_finalize(st);
	free(source);
	return rc;
}

/* Append a summary row of run `id` to (*v, *n), capacity *cap (vec.h). */
static int store_info_add(struct store *s, int64_t id, struct store_run_info **v, size_t *n,
			  size_t *cap)
{
	sqlite3_stmt *st = NULL;
	struct store_run_info *row;
	bool ok = true;
	int rc = -1;

	if (store_prepare(s,
			  "SELECT r.id, su.challenge_id, sb.source, sb.commit_id, r.status, r.score,"
			  " r.max_score, r.late_penalty, r.started_at, st.name, r.diagnosis"
			  " FROM runs r JOIN submissions sb ON sb.id = r.submission_id"
			  " JOIN suites su ON su.id = r.suite_id"
			  " LEFT JOIN students st ON st.id = r.student_id WHERE r.id = ?1", &st) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		store_fail(s, "cannot read a run");
		goto done;
	}
	if (VEC_RESERVE(*v, *cap, *n + 1) < 0)
		goto done;
	row = &(*v)[*n];
	memset(row, 0, sizeof(*row));
	(*n)++;
	row->run_id = sqlite3_column_int64(st, 0);
	row->challenge_id = col_dup(st, 1, &ok);
	row->source = col_dup(st, 2, &ok);
	col_copy(st, 3, row->commit, sizeof(row->commit));
	col_copy(st, 4, row->status, sizeof(row->status));
	row->score = sqlite3_column_int(st, 5);
	row->max_score = sqlite3_column_int(st, 6);
	row->late_penalty = sqlite3_column_int(st, 7);
	row->final_score = row->score - row->late_penalty > 0 ? row->score - row->late_penalty : 0;
	if (strcmp(row->status, "graded"))
		row->final_score = 0;
	col_copy(st, 8, row->started_at, sizeof(row->started_at));
	row->student = col_dup(st, 9, &ok);
	row->diagnosis = col_dup(st, 10, &ok);
	if (!ok) {
		err_set("out of memory");
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

void store_run_infos_free(struct store_run_info *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].challenge_id);
		free(v[i].source);
		free(v[i].student);
		free(v[i].diagnosis);
	}
	free(v);
}

/* Collect the ids a query yields (column 0), then their summary rows into
 * (*out, *n), which start empty. */
static int store_infos_of(struct store *s, sqlite3_stmt *st, struct store_run_info **out, size_t *n)
{
	int64_t *ids = NULL;
	size_t nid = 0, cap_ids = 0, cap = 0, i;
	int step, rc = -1;

	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (VEC_RESERVE(ids, cap_ids, nid + 1) < 0)
			goto done;
		ids[nid++] = sqlite3_column_int64(st, 0);
	}
	if (step != SQLITE_DONE) {
		store_fail(s, "cannot read runs");
		goto done;
	}
	for (i = 0; i < nid; i++)
		if (store_info_add(s, ids[i], out, n, &cap) < 0)
			goto done;
	rc = 0;
done:
	free(ids);
	return rc;
}

int store_student_runs(struct store *s, const char *student, struct store_run_info **out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (store_prepare(s, "SELECT r.id FROM runs r JOIN students st ON st.id = r.student_id"
			  " WHERE st.name = ?1 ORDER BY r.started_at, r.id", &st) < 0)
		goto done;
	bind_text(st, 1, student);
	rc = store_infos_of(s, st, out, n);
done:
	sqlite3_finalize(st);
	if (rc < 0) {
		store_run_infos_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int store_gradebook(struct store *s, const char *challenge, struct store_run_info **out, size_t *n)
{
	sqlite3_stmt *st = NULL, *pick = NULL;
	int64_t id;
	size_t cap = 0;
	int step, rc = -1;

	*out = NULL;
	*n = 0;
	if (store_prepare(s, "SELECT DISTINCT st.id, st.name FROM runs r"
			  " JOIN students st ON st.id = r.student_id"
			  " JOIN suites su ON su.id = r.suite_id"
			  " WHERE su.challenge_id = ?1 ORDER BY st.name", &st) < 0 ||
	    store_prepare(s, "SELECT r.id, r.status, r.submission_id FROM runs r"
			  " JOIN suites su ON su.id = r.suite_id"
			  " WHERE su.challenge_id = ?1 AND r.student_id = ?2"
			  " ORDER BY r.started_at DESC, r.id DESC", &pick) < 0)
		goto done;
	bind_text(st, 1, challenge);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_reset(pick);
		bind_text(pick, 1, challenge);
		sqlite3_bind_int64(pick, 2, sqlite3_column_int64(st, 0));
		if (store_pick(s, pick, &id) < 0 || (id && store_info_add(s, id, out, n, &cap) < 0))
			goto done;
	}
	if (step != SQLITE_DONE) {
		store_fail(s, "cannot read the students");
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	sqlite3_finalize(pick);
	if (rc < 0) {
		store_run_infos_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- batches -------------------------------------------------------------- */

int store_batch_begin(struct store *s, const char *key, const char *challenge,
		      int64_t *batch_id, bool *resumed)
{
	sqlite3_stmt *st = NULL;
	char uuid[33], now[32];
	int in_tx = 0, step, rc = -1;

	*batch_id = 0;
	*resumed = false;
	if (store_exec(s, "BEGIN IMMEDIATE", "cannot start a transaction") < 0)
		goto done;
	in_tx = 1;
	if (store_prepare(s, "SELECT id FROM batches WHERE key = ?1 AND finished_at IS NULL"
			  " ORDER BY id DESC LIMIT 1", &st) < 0)
		goto done;
	bind_text(st, 1, key);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*batch_id = sqlite3_column_int64(st, 0);
		*resumed = true;
	} else if (step != SQLITE_DONE) {
		store_fail(s, "cannot read batches");
		goto done;
	} else {
		sqlite3_finalize(st);
		st = NULL;
		if (store_new_uuid(uuid) < 0 || store_time_text(time(NULL), now) < 0 ||
		    store_prepare(s, "INSERT INTO batches(uuid, key, challenge_id, started_at)"
				  " VALUES (?1, ?2, ?3, ?4)", &st) < 0)
			goto done;
		bind_text(st, 1, uuid);
		bind_text(st, 2, key);
		bind_text(st, 3, challenge);
		bind_text(st, 4, now);
		if (sqlite3_step(st) != SQLITE_DONE) {
			store_fail(s, "cannot record the batch");
			goto done;
		}
		*batch_id = sqlite3_last_insert_rowid(s->db);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (store_exec(s, "COMMIT", "cannot commit the batch") < 0)
		goto done;
	in_tx = 0;
	rc = 0;
done:
	sqlite3_finalize(st);
	if (in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int store_batch_finish(struct store *s, int64_t batch_id)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc = -1;

	if (store_time_text(time(NULL), now) < 0 ||
	    store_prepare(s, "UPDATE batches SET finished_at = ?2 WHERE id = ?1", &st) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, batch_id);
	bind_text(st, 2, now);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_fail(s, "cannot finish the batch");
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

/* One integer from a query whose parameters the caller bound; 0 when no row. */
static int store_query_id(struct store *s, sqlite3_stmt *st, int64_t *id)
{
	int step = sqlite3_step(st);

	*id = 0;
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else if (step != SQLITE_DONE)
		return store_fail(s, "cannot read runs");
	return 0;
}

int store_batch_student_run(struct store *s, int64_t batch_id, const char *student, int64_t *run_id)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (store_prepare(s, "SELECT r.id FROM runs r JOIN students st ON st.id = r.student_id"
			  " WHERE r.batch_id = ?1 AND st.name = ?2 AND r.status <> 'internal-error'"
			  " ORDER BY r.id DESC LIMIT 1", &st) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, batch_id);
	bind_text(st, 2, student);
	rc = store_query_id(s, st, run_id);
done:
	sqlite3_finalize(st);
	return rc;
}

int store_find_graded(struct store *s, const char *student, const char *challenge,
		      const char *suite_sha256, const char *source, const char *commit,
		      time_t due_at, int64_t *run_id)
{
	sqlite3_stmt *st = NULL;
	char *canon = NULL, due[32];
	int rc = -1;

	*run_id = 0;
	if (source_canonical(source, &canon) < 0 || (due_at && store_time_text(due_at, due) < 0))
		goto done;
	if (store_prepare(s, "SELECT r.id FROM runs r JOIN students st ON st.id = r.student_id"
			  " JOIN suites su ON su.id = r.suite_id"
			  " JOIN submissions sb ON sb.id = r.submission_id"
			  " WHERE st.name = ?1 AND su.challenge_id = ?2 AND su.suite_sha256 = ?3"
			  " AND sb.source = ?4 AND sb.commit_id = ?5 AND r.due_at IS ?6"
			  " AND r.status <> 'internal-error' ORDER BY r.id DESC LIMIT 1", &st) < 0)
		goto done;
	bind_text(st, 1, student);
	bind_text(st, 2, challenge);
	bind_text(st, 3, suite_sha256);
	bind_text(st, 4, canon);
	bind_text(st, 5, commit);
	bind_text(st, 6, due_at ? due : NULL);
	rc = store_query_id(s, st, run_id);
done:
	sqlite3_finalize(st);
	free(canon);
	return rc;
}

/* ---- merging shards ----------------------------------------------------- */

/* The id in `s` of the batch `src_batch` of `from` (copied when new). */
static int store_map_batch(struct store *s, struct store *from, int64_t src_batch, int64_t *id)
{
	sqlite3_stmt *get = NULL, *ins = NULL, *sel = NULL;
	int rc = -1;

	*id = 0;
	if (!src_batch)
		return 0;
	if (store_prepare(from, "SELECT uuid, key, challenge_id, started_at, finished_at"
			  " FROM batches WHERE id = ?1", &get) < 0 ||
	    store_prepare(s, "INSERT INTO batches(uuid, key, challenge_id, started_at, finished_at)"
			  " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(uuid) DO NOTHING", &ins) < 0 ||
	    store_prepare(s, "SELECT id FROM batches WHERE uuid = ?1", &sel) < 0)
		goto done;
	sqlite3_bind_int64(get, 1, src_batch);
	if (sqlite3_step(get) != SQLITE_ROW) {
		store_fail(from, "cannot read a batch");
		goto done;
	}
	for (int i = 0; i < 5; i++)
		bind_text(ins, i + 1, (const char *)sqlite3_column_text(get, i));
	bind_text(sel, 1, (const char *)sqlite3_column_text(get, 0));
	rc = store_upsert(s, ins, sel, id, "cannot record a batch");
done:
	sqlite3_finalize(get);
	sqlite3_finalize(ins);
	sqlite3_finalize(sel);
	return rc;
}

int store_merge(struct store *s, const char *from_path, size_t *added, size_t *present)
{
	struct store *from = NULL;
	sqlite3_stmt *list = NULL, *has = NULL, *names = NULL;
	struct grade_result r;
	int in_tx = 0, step, rc = -1;

	memset(&r, 0, sizeof(r));
	*added = *present = 0;
	if (store_open(from_path, &from) < 0)
		goto done;
	if (store_prepare(from, "SELECT id, uuid, batch_id FROM runs ORDER BY started_at, id", &list) < 0 ||
	    store_prepare(from, "SELECT name FROM students ORDER BY id", &names) < 0 ||
	    store_prepare(s, "SELECT id FROM runs WHERE uuid = ?1", &has) < 0)
		goto done;
	/* One transaction: a merge lands whole or not at all. */
	if (store_exec(s, "BEGIN IMMEDIATE", "cannot start a transaction") < 0)
		goto done;
	in_tx = 1;
	while ((step = sqlite3_step(names)) == SQLITE_ROW) {
		int64_t sid;

		if (store_student_id(s, (const char *)sqlite3_column_text(names, 0), &sid) < 0)
			goto done;
	}
	while ((step = sqlite3_step(list)) == SQLITE_ROW) {
		int64_t src = sqlite3_column_int64(list, 0), exists = 0, batch = 0;

		sqlite3_reset(has);
		bind_text(has, 1, (const char *)sqlite3_column_text(list, 1));
		if (store_query_id(s, has, &exists) < 0)
			goto done;
		if (exists) {
			(*present)++;
			continue;
		}
		if (store_load_run(from, src, &r) != 0 ||
		    store_map_batch(s, from, sqlite3_column_int64(list, 2), &batch) < 0 ||
		    store_insert_run(s, batch, &r, NULL) < 0) {
			err_wrap("merging run %lld of %s", (long long)src, from_path);
			goto done;
		}
		grade_result_release(&r);
		(*added)++;
	}
	if (step != SQLITE_DONE) {
		store_fail(from, "cannot read runs");
		goto done;
	}
	sqlite3_reset(has);
	if (store_exec(s, "COMMIT", "cannot commit the merge") < 0)
		goto done;
	in_tx = 0;
	rc = 0;
done:
	if (has)
		sqlite3_reset(has);
	if (in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_finalize(list);
	sqlite3_finalize(names);
	sqlite3_finalize(has);
	grade_result_release(&r);
	store_close(from);
	return rc;
}
