/*
 * test_store.c - results in SQLite: schema, WAL, recording runs, regrades,
 * reopening, refusing a newer schema, parallel writers.
 *
 * Every test works on its own file under a fresh mkdtemp folder and reads
 * the rows back with plain SQL, so it checks what is on disk, not what the
 * store believes it wrote.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "store.h"
#include "t.h"

static char t_dir[256];
static int t_seq;

/* A fresh database path in the test folder (new file each call). */
static const char *t_db_path(char *buf, size_t n)
{
	snprintf(buf, n, "%s/db%d/sub/results.sqlite3", t_dir, ++t_seq);
	return buf;
}

/* Run a query that yields one integer (or -999 when no row). */
static long long q_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -999;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1000 : sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Run a query that yields one text value; "(null)" / "(norow)" otherwise. */
static const char *q_text(const char *path, const char *sql)
{
	static char out[4096];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	snprintf(out, sizeof(out), "(norow)");
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);

		snprintf(out, sizeof(out), "%s", t ? (const char *)t : "(null)");
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static void t_set_check(struct check_result *c, const char *id, enum check_status st,
			int pts, int max, bool advisory, const char *msg, long queries)
{
	c->id = strdup(id);
	c->title = strdup("A title");
	c->category = strdup("orders");
	c->status = st;
	c->points = pts;
	c->max_points = max;
	c->advisory = advisory;
	c->message = msg ? strdup(msg) : NULL;
	c->duration_ms = 14;
	c->queries = queries;
}

/* A graded run with three checks (pass, fail with a hostile message, advisory). */
static void t_graded(struct grade_result *r)
{
	memset(r, 0, sizeof(*r));
	r->challenge_id = strdup("ecommerce-api");
	r->challenge_title = strdup("E-Commerce REST API");
	memset(r->suite_sha256, 'a', 64);
	r->source = strdup("/srv/class/alice.git");
	r->ref = strdup("HEAD");
	snprintf(r->commit, sizeof(r->commit), "%s", "0123456789abcdef0123456789abcdef01234567");
	r->status = RUN_GRADED;
	r->score = 10;
	r->max_score = 30;
	r->nchecks = 3;
	r->checks = calloc(3, sizeof(*r->checks));
	t_set_check(&r->checks[0], "products-list", CHECK_PASS, 10, 10, false, NULL, 3);
	t_set_check(&r->checks[1], "order-out-of-stock", CHECK_FAIL, 0, 20, false,
		    "answered 201'); DROP TABLE runs; -- expected 400", -1);
	t_set_check(&r->checks[2], "query-budget", CHECK_FAIL, 0, 0, true, "41 queries", 41);
	r->sandbox_mode = strdup("userns");
	r->sandbox_profile = strdup("default");
	r->t_fetch_ms = 40;
	r->t_env_ms = 5;
	r->t_boot_ms = 900;
	r->t_checks_ms = 300;
	r->t_total_ms = 1250;
	r->started_at = 1700000000; /* 2023-11-14T22:13:20Z */
}

static void t_fetch_failed(struct grade_result *r)
{
	memset(r, 0, sizeof(*r));
	r->challenge_id = strdup("ecommerce-api");
	r->challenge_title = strdup("E-Commerce REST API");
	memset(r->suite_sha256, 'a', 64);
	r->source = strdup("https://example.invalid/nope.git");
	r->ref = strdup("main");
	r->status = RUN_FETCH_FAILED;
	r->diagnosis = strdup("could not clone: host not found");
	r->t_fetch_ms = 7;
	r->t_total_ms = 7;
	r->started_at = 1700000100;
}

TEST(open_creates_schema_v1_wal)
{
	char path[512];
	struct store *s = NULL;
	struct stat sb;
	int rc;

	t_db_path(path, sizeof(path));
	rc = store_open(path, &s);
	EXPECT_INT(rc, 0);
	store_close(s);
	EXPECT(stat(path, &sb) == 0);
	EXPECT_INT(q_int(path, "PRAGMA user_version"), 1);
	EXPECT_STR(q_text(path, "PRAGMA journal_mode"), "wal");
	EXPECT_INT(q_int(path, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN"
			       " ('students','submissions','suites','runs','check_results')"), 5);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM sqlite_master WHERE type='index' AND name IN"
			       " ('runs_by_submission','runs_by_suite')"), 2);
}

TEST(record_graded_and_fetch_failed)
{
	char path[512];
	struct store *s = NULL;
	struct grade_result r, f;
	int64_t id1 = 0, id2 = 0;
	int rc1, rc2;

	t_graded(&r);
	t_fetch_failed(&f);
	t_db_path(path, sizeof(path));
	EXPECT_INT(store_open(path, &s), 0);
	rc1 = store_record_run(s, &r, &id1);
	rc2 = store_record_run(s, &f, &id2);
	store_close(s);
	grade_result_release(&r);
	grade_result_release(&f);
	EXPECT_INT(rc1, 0);
	EXPECT_INT(rc2, 0);
	EXPECT(id1 > 0 && id2 > id1);

	EXPECT_INT(q_int(path, "SELECT count(*) FROM runs"), 2);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM submissions"), 2);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM suites"), 1);
	EXPECT_STR(q_text(path, "SELECT status FROM runs WHERE id=1"), "graded");
	EXPECT_STR(q_text(path, "SELECT started_at FROM runs WHERE id=1"), "2023-11-14T22:13:20Z");
	EXPECT_STR(q_text(path, "SELECT grader_version FROM runs WHERE id=1"), GRADER_VERSION);
	EXPECT_INT(q_int(path, "SELECT score FROM runs WHERE id=1"), 10);
	EXPECT_INT(q_int(path, "SELECT max_score FROM runs WHERE id=1"), 30);
	EXPECT_INT(q_int(path, "SELECT t_boot_ms FROM runs WHERE id=1"), 900);
	EXPECT_INT(q_int(path, "SELECT t_total_ms FROM runs WHERE id=1"), 1250);
	EXPECT_STR(q_text(path, "SELECT sandbox_mode || '/' || sandbox_profile FROM runs WHERE id=1"),
		   "userns/default");
	EXPECT_STR(q_text(path, "SELECT diagnosis FROM runs WHERE id=1"), "(null)");
	EXPECT_STR(q_text(path, "SELECT s.commit_id FROM runs r JOIN submissions s"
				" ON s.id=r.submission_id WHERE r.id=1"),
		   "0123456789abcdef0123456789abcdef01234567");
	EXPECT_STR(q_text(path, "SELECT su.challenge_id || ' ' || su.title FROM runs r JOIN suites su"
				" ON su.id=r.suite_id WHERE r.id=1"),
		   "ecommerce-api E-Commerce REST API");

	/* Per-check rows: values, NULL message on pass, NULL queries when unknown. */
	EXPECT_INT(q_int(path, "SELECT count(*) FROM check_results WHERE run_id=1"), 3);
	EXPECT_STR(q_text(path, "SELECT message FROM check_results WHERE check_id='products-list'"),
		   "(null)");
	EXPECT_INT(q_int(path, "SELECT queries FROM check_results WHERE check_id='products-list'"), 3);
	EXPECT_INT(q_int(path, "SELECT points FROM check_results WHERE check_id='products-list'"), 10);
	/* The hostile message was bound, not spliced: it is stored verbatim. */
	EXPECT_STR(q_text(path, "SELECT message FROM check_results WHERE check_id='order-out-of-stock'"),
		   "answered 201'); DROP TABLE runs; -- expected 400");
	EXPECT_STR(q_text(path, "SELECT status FROM check_results WHERE check_id='order-out-of-stock'"),
		   "fail");
	EXPECT_INT(q_int(path, "SELECT queries FROM check_results WHERE check_id='order-out-of-stock'"),
		   -1000);
	EXPECT_INT(q_int(path, "SELECT max_points FROM check_results WHERE check_id='order-out-of-stock'"),
		   20);
	EXPECT_INT(q_int(path, "SELECT advisory FROM check_results WHERE check_id='query-budget'"), 1);

	/* The fetch-failed run: a submission row with no commit, its diagnosis. */
	EXPECT_STR(q_text(path, "SELECT status FROM runs WHERE id=2"), "fetch-failed");
	EXPECT_STR(q_text(path, "SELECT diagnosis FROM runs WHERE id=2"),
		   "could not clone: host not found");
	EXPECT_STR(q_text(path, "SELECT ref FROM runs WHERE id=2"), "main");
	EXPECT_INT(q_int(path, "SELECT length(s.commit_id) FROM runs r JOIN submissions s"
			       " ON s.id=r.submission_id WHERE r.id=2"), 0);
	EXPECT_STR(q_text(path, "SELECT sandbox_mode FROM runs WHERE id=2"), "(null)");
	EXPECT_INT(q_int(path, "SELECT count(*) FROM check_results WHERE run_id=2"), 0);
}

TEST(regrade_same_submission_is_one_row)
{
	char path[512];
	struct store *s = NULL;
	struct grade_result r;
	int rc1, rc2;

	t_graded(&r);
	t_db_path(path, sizeof(path));
	EXPECT_INT(store_open(path, &s), 0);
	rc1 = store_record_run(s, &r, NULL);
	r.score = 30; /* the regrade, e.g. under a fixed suite */
	rc2 = store_record_run(s, &r, NULL);
	store_close(s);
	grade_result_release(&r);
	EXPECT_INT(rc1, 0);
	EXPECT_INT(rc2, 0);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM submissions"), 1);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM runs"), 2);
	EXPECT_INT(q_int(path, "SELECT count(DISTINCT submission_id) FROM runs"), 1);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM check_results"), 6);
	EXPECT_INT(q_int(path, "SELECT score FROM runs ORDER BY id DESC LIMIT 1"), 30);
}

TEST(reopen_keeps_data)
{
	char path[512];
	struct store *s = NULL;
	struct grade_result r;
	int rc;

	t_graded(&r);
	t_db_path(path, sizeof(path));
	EXPECT_INT(store_open(path, &s), 0);
	rc = store_record_run(s, &r, NULL);
	store_close(s);
	s = NULL;
	EXPECT_INT(rc, 0);
	EXPECT_INT(store_open(path, &s), 0);
	rc = store_record_run(s, &r, NULL);
	store_close(s);
	grade_result_release(&r);
	EXPECT_INT(rc, 0);
	EXPECT_INT(q_int(path, "PRAGMA user_version"), 1);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM runs"), 2);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM submissions"), 1);
}

TEST(newer_schema_refused)
{
	char path[512];
	struct store *s = NULL;
	sqlite3 *db = NULL;
	int rc;

	t_db_path(path, sizeof(path));
	EXPECT_INT(store_open(path, &s), 0);
	store_close(s);
	s = NULL;
	EXPECT(sqlite3_open(path, &db) == SQLITE_OK);
	EXPECT(sqlite3_exec(db, "PRAGMA user_version=7", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	rc = store_open(path, &s);
	EXPECT_INT(rc, -1);
	EXPECT(s == NULL);
	EXPECT(strstr(err_last(), "has schema version 7; this grader knows up to 1") != NULL);
	EXPECT(strstr(err_last(), path) != NULL);
}

TEST(not_a_database_is_an_error)
{
	char path[512];
	struct store *s = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/garbage.sqlite3", t_dir);
	f = fopen(path, "w");
	EXPECT(f != NULL);
	fputs("this is not an SQLite file, but it is long enough to have a header.....\n", f);
	fclose(f);
	EXPECT_INT(store_open(path, &s), -1);
	EXPECT(s == NULL);
	EXPECT(strstr(err_last(), path) != NULL);
}

TEST(bad_commit_rejected_and_rolled_back)
{
	char path[512];
	struct store *s = NULL;
	struct grade_result r;
	int rc;

	t_graded(&r);
	snprintf(r.commit, sizeof(r.commit), "%s", "not-a-commit");
	t_db_path(path, sizeof(path));
	EXPECT_INT(store_open(path, &s), 0);
	rc = store_record_run(s, &r, NULL);
	store_close(s);
	grade_result_release(&r);
	EXPECT_INT(rc, -1);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM submissions"), 0);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM suites"), 0);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM runs"), 0);
}

/* Two processes, each opening the fresh file itself (racing the migration
 * too) and recording 20 runs: all 40 land, under one submission each. */
TEST(concurrent_writers_all_land)
{
	char path[512];
	pid_t pid[2];
	int i, status, bad = 0;

	t_db_path(path, sizeof(path));
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		EXPECT(pid[i] >= 0);
		if (pid[i] == 0) {
			struct store *s = NULL;
			struct grade_result r;
			int n, code = 0;

			t_graded(&r);
			free(r.source);
			r.source = strdup(i ? "/srv/class/bob.git" : "/srv/class/alice.git");
			if (store_open(path, &s) < 0) {
				fprintf(stderr, "child %d: %s\n", i, err_last());
				_exit(1);
			}
			for (n = 0; n < 20 && !code; n++) {
				if (store_record_run(s, &r, NULL) < 0) {
					fprintf(stderr, "child %d run %d: %s\n", i, n, err_last());
					code = 1;
				}
			}
			store_close(s);
			grade_result_release(&r);
			_exit(code);
		}
	}
	for (i = 0; i < 2; i++) {
		if (waitpid(pid[i], &status, 0) != pid[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			bad++;
	}
	EXPECT_INT(bad, 0);
	EXPECT_INT(q_int(path, "PRAGMA user_version"), 1);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM runs"), 40);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM submissions"), 2);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM suites"), 1);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM check_results"), 120);
}

TEST(default_path)
{
	char want[512];
	char *p = NULL;

	setenv("GRADER_DB", "/some/where/grades.db", 1);
	p = store_default_path();
	EXPECT(p != NULL);
	EXPECT_STR(p, "/some/where/grades.db");
	free(p);
	unsetenv("GRADER_DB");
	setenv("GRADER_CACHE_DIR", t_dir, 1);
	p = store_default_path();
	unsetenv("GRADER_CACHE_DIR");
	EXPECT(p != NULL);
	snprintf(want, sizeof(want), "%s/results.sqlite3", t_dir);
	EXPECT_STR(p, want);
	free(p);
}

int main(void)
{
	char cmd[300];

	snprintf(t_dir, sizeof(t_dir), "%s/grader-test-store-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(t_dir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(open_creates_schema_v1_wal);
	RUN(record_graded_and_fetch_failed);
	RUN(regrade_same_submission_is_one_row);
	RUN(reopen_keeps_data);
	RUN(newer_schema_refused);
	RUN(not_a_database_is_an_error);
	RUN(bad_commit_rejected_and_rolled_back);
	RUN(concurrent_writers_all_land);
	RUN(default_path);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t_dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", t_dir);
	T_EXIT();
}
