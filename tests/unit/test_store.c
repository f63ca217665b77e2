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
#include "source.h"
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
	r->checks[1].visibility = VIS_HIDDEN;
	r->sandbox_mode = strdup("userns");
	r->sandbox_profile = strdup("default");
	r->t_fetch_ms = 40;
	r->t_env_ms = 5;
	r->t_boot_ms = 900;
	r->t_checks_ms = 300;
	r->t_total_ms = 1250;
	r->started_at = 1700000000; /* 2023-11-14T22:13:20Z */
}

/* Two root causes (one with a route suggestion) and the environment's
 * details, as grade.c sets them. */
static void t_add_causes_env(struct grade_result *r)
{
	r->ncauses = 2;
	r->causes = calloc(2, sizeof(*r->causes));
	r->causes[0].text = strdup("POST /api/products/ answered 400 {\"description\": [\"This field is required.\"]}");
	r->causes[0].nchecks = 2;
	r->causes[0].checks = calloc(2, sizeof(char *));
	r->causes[0].checks[0] = strdup("products-list");
	r->causes[0].checks[1] = strdup("order-out-of-stock");
	r->causes[1].text = strdup("every path under /tickets/ answered 404");
	r->causes[1].nchecks = 1;
	r->causes[1].checks = calloc(1, sizeof(char *));
	r->causes[1].checks[0] = strdup("query-budget");
	r->causes[1].nroutes = 1;
	r->causes[1].routes = calloc(1, sizeof(char *));
	r->causes[1].routes[0] = strdup("/tickets/: /support/");
	r->env_python = strdup("3.11.2");
	r->env_python_reason = strdup("default");
	r->env_requirements_source = strdup("requirements.txt");
	r->nenv_inferred = 1;
	r->env_inferred = calloc(1, sizeof(char *));
	r->env_inferred[0] = strdup("python-decouple");
	r->nenv_relaxed = 1;
	r->env_relaxed = calloc(1, sizeof(*r->env_relaxed));
	r->env_relaxed[0].from = strdup("psycopg2-binary==2.9.3");
	r->env_relaxed[0].to = strdup("psycopg2-binary==2.9.10");
	r->env_relaxed[0].why = strdup("no wheel of 2.9.3 for Python 3.11");
	r->auth_scheme = strdup("token");
	r->env_django = strdup("5.2.19");
	r->system_checks = strdup("Django's system checks find 1 error: shop.Product: (models.E015) "
				  "'ordering' refers to the nonexistent field 'created'.");
}

/* Causes, environment and auth read back as recorded. */
static void t_expect_causes_env(const struct grade_result *b)
{
	EXPECT_INT(b->ncauses, 2);
	if (b->ncauses != 2)
		return;
	EXPECT_STR(b->causes[0].text, "POST /api/products/ answered 400 {\"description\": [\"This field is required.\"]}");
	EXPECT_INT(b->causes[0].nchecks, 2);
	EXPECT_STR(b->causes[0].checks[1], "order-out-of-stock");
	EXPECT_INT(b->causes[0].nroutes, 0);
	EXPECT_STR(b->causes[1].checks[0], "query-budget");
	EXPECT_INT(b->causes[1].nroutes, 1);
	EXPECT_STR(b->causes[1].routes[0], "/tickets/: /support/");
	EXPECT_STR(b->env_python, "3.11.2");
	EXPECT_STR(b->env_python_reason, "default");
	EXPECT_STR(b->env_requirements_source, "requirements.txt");
	EXPECT_INT(b->nenv_inferred, 1);
	EXPECT_STR(b->nenv_inferred ? b->env_inferred[0] : "", "python-decouple");
	EXPECT_INT(b->nenv_relaxed, 1);
	EXPECT_STR(b->nenv_relaxed ? b->env_relaxed[0].to : "", "psycopg2-binary==2.9.10");
	EXPECT_STR(b->nenv_relaxed ? b->env_relaxed[0].why : "", "no wheel of 2.9.3 for Python 3.11");
	EXPECT_STR(b->auth_scheme, "token");
	EXPECT_STR(b->env_django, "5.2.19");
	EXPECT_STR(b->system_checks, "Django's system checks find 1 error: shop.Product: (models.E015) "
		   "'ordering' refers to the nonexistent field 'created'.");
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

TEST(open_creates_schema_v2_wal)
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
	EXPECT_INT(q_int(path, "PRAGMA user_version"), 6);
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
	EXPECT_INT(q_int(path, "PRAGMA user_version"), 6);
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
	EXPECT(strstr(err_last(), "has schema version 7; this grader knows up to 6") != NULL);
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
	EXPECT_INT(q_int(path, "PRAGMA user_version"), 6);
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


/* A real repository folder for the canonical-source tests. */
static void t_mkdir(const char *p)
{
	mkdir(p, 0700);
}

TEST(source_canonical_forms)
{
	char repo[512], want[512], cwd[512], rel[600];
	const char *forms[5];
	char *c = NULL;
	int i;

	snprintf(repo, sizeof(repo), "%s/class/alice", t_dir);
	snprintf(want, sizeof(want), "%s/class", t_dir);
	t_mkdir(want);
	t_mkdir(repo);
	snprintf(want, sizeof(want), "%s/class/alice/.git", t_dir);
	t_mkdir(want);
	EXPECT(realpath(repo, want) != NULL);
	EXPECT(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(rel, sizeof(rel), "%s/class", t_dir);
	EXPECT(chdir(rel) == 0);
	{
		char fileurl[700], slash[700], dotgit[700];

		snprintf(fileurl, sizeof(fileurl), "file://%s", repo);
		snprintf(slash, sizeof(slash), "%s//", repo);
		snprintf(dotgit, sizeof(dotgit), "%s/.git", repo);
		forms[0] = "./alice";
		forms[1] = "alice/";
		forms[2] = fileurl;
		forms[3] = slash;
		forms[4] = dotgit;
		for (i = 0; i < 5; i++) {
			if (source_canonical(forms[i], &c) < 0 || strcmp(c, want)) {
				printf("# %s -> %s (want %s)\n", forms[i], c ? c : err_last(), want);
				free(c);
				EXPECT(chdir(cwd) == 0);
				EXPECT(!"every form is one canonical path");
			}
			free(c);
			c = NULL;
		}
	}
	EXPECT(chdir(cwd) == 0);
	EXPECT_INT(source_canonical("https://tok:secret@GitHub.com:443/Org/Repo.git/", &c), 0);
	EXPECT_STR(c, "https://github.com/Org/Repo");
	free(c);
	EXPECT_INT(source_canonical("https://ghp_abc@github.com/Org/Repo", &c), 0);
	EXPECT_STR(c, "https://github.com/Org/Repo");
	free(c);
	c = source_redact("https://user:pw@example.org/x.git");
	EXPECT_STR(c, "https://example.org/x.git");
	free(c);
	EXPECT_INT(source_canonical("", &c), -1);
}

/* Record r under `source` for `student` at time t. */
static int t_record(struct store *s, struct grade_result *r, const char *source,
		    const char *student, time_t t, int64_t *id)
{
	free(r->source);
	free(r->student);
	r->source = strdup(source);
	r->student = student ? strdup(student) : NULL;
	r->started_at = t;
	return store_record_run(s, r, id);
}

TEST(one_submission_however_written_and_no_credentials)
{
	char path[512], repo[512], cls[512], fileurl[600], cwd[512];
	struct store *s = NULL;
	struct grade_result r;
	int bad = 0;

	snprintf(cls, sizeof(cls), "%s/class2", t_dir);
	snprintf(repo, sizeof(repo), "%s/class2/bob", t_dir);
	t_mkdir(cls);
	t_mkdir(repo);
	snprintf(fileurl, sizeof(fileurl), "file://%s", repo);
	t_graded(&r);
	t_db_path(path, sizeof(path));
	EXPECT(getcwd(cwd, sizeof(cwd)) != NULL);
	EXPECT_INT(store_open(path, &s), 0);
	EXPECT(chdir(cls) == 0);
	bad |= t_record(s, &r, "./bob", NULL, 1700000000, NULL);
	bad |= t_record(s, &r, "bob/", NULL, 1700000001, NULL);
	bad |= t_record(s, &r, repo, NULL, 1700000002, NULL);
	bad |= t_record(s, &r, fileurl, NULL, 1700000003, NULL);
	bad |= t_record(s, &r, "https://x:hunter2@Example.org/a/b.git", NULL, 1700000004, NULL);
	bad |= t_record(s, &r, "https://example.org/a/b", NULL, 1700000005, NULL);
	EXPECT(chdir(cwd) == 0);
	store_close(s);
	grade_result_release(&r);
	EXPECT_INT(bad, 0);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM runs"), 6);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM submissions"), 2);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM submissions WHERE source LIKE '%hunter2%'"), 0);
	EXPECT_STR(q_text(path, "SELECT source FROM submissions ORDER BY id DESC LIMIT 1"),
		   "https://example.org/a/b");
}

TEST(load_run_round_trip)
{
	char path[512];
	struct store *s = NULL;
	struct grade_result r, back;
	int64_t id = 0;
	int rc;

	t_graded(&r);
	r.student = strdup("alice");
	r.late_penalty = 3;
	r.due_at = 1699990000;
	r.commit_time = 1699995000;
	r.selection = strdup("newest commit at or before the deadline");
	r.environment = strdup("Python 3.11.2, default; requirements: requirements.txt");
	t_add_causes_env(&r);
	t_db_path(path, sizeof(path));
	EXPECT_INT(store_open(path, &s), 0);
	EXPECT_INT(store_record_run(s, &r, &id), 0);
	{
		struct grade_result none;
		int missing = store_load_run(s, id + 100, &none);

		rc = store_load_run(s, id, &back);
		store_close(s);
		if (rc != 0 || missing != 1) {
			grade_result_release(&r);
			EXPECT_INT(missing, 1);
			EXPECT_INT(rc, 0);
		}
	}
	EXPECT_INT(back.run_id, id);
	EXPECT_STR(back.challenge_id, "ecommerce-api");
	EXPECT_STR(back.suite_sha256, r.suite_sha256);
	EXPECT_STR(back.commit, r.commit);
	EXPECT_STR(back.student, "alice");
	EXPECT_STR(back.selection, r.selection);
	EXPECT_STR(back.environment, r.environment);
	EXPECT_INT(back.status, RUN_GRADED);
	EXPECT_INT(back.score, 10);
	EXPECT_INT(back.late_penalty, 3);
	EXPECT_INT(back.due_at, 1699990000);
	EXPECT_INT(back.commit_time, 1699995000);
	EXPECT_INT(back.started_at, 1700000000);
	EXPECT_INT(back.t_boot_ms, 900);
	EXPECT_INT(back.nchecks, 3);
	/* Suite order, not alphabetical order. */
	EXPECT_STR(back.checks[0].id, "products-list");
	EXPECT_STR(back.checks[1].id, "order-out-of-stock");
	EXPECT_STR(back.checks[1].message, "answered 201'); DROP TABLE runs; -- expected 400");
	EXPECT_INT(back.checks[1].status, CHECK_FAIL);
	EXPECT_INT(back.checks[1].visibility, VIS_HIDDEN);
	EXPECT_INT(back.checks[0].visibility, VIS_VISIBLE);
	EXPECT_INT(back.checks[2].advisory, 1);
	EXPECT_INT(back.checks[2].queries, 41);
	EXPECT_INT(back.checks[1].queries, -1);
	EXPECT_INT(strlen(back.uuid), 32);
	t_expect_causes_env(&back);
	grade_result_release(&r);
	grade_result_release(&back);
}

TEST(failed_run_never_hides_graded_run_of_same_commit)
{
	char path[512];
	struct store *s = NULL;
	struct grade_result r;
	struct store_run_info *v = NULL;
	size_t n = 0;
	int64_t graded = 0, failed = 0, pick = 0, other = 0, fetchfail = 0;

	t_graded(&r);
	t_db_path(path, sizeof(path));
	EXPECT_INT(store_open(path, &s), 0);
	EXPECT_INT(t_record(s, &r, "/srv/class/carol", "carol", 1700000000, &graded), 0);
	r.status = RUN_BOOT_FAILED;
	r.score = 0;
	r.diagnosis = strdup("ModuleNotFoundError: No module named 'rest_framework'");
	EXPECT_INT(t_record(s, &r, "/srv/class/carol", "carol", 1700000100, &failed), 0);
	EXPECT_INT(store_latest_run(s, "carol", "ecommerce-api", &pick), 0);
	EXPECT_INT(pick, graded);
	/* By source too. */
	EXPECT_INT(store_latest_run(s, "/srv/class/carol/", "ecommerce-api", &pick), 0);
	EXPECT_INT(pick, graded);
	/* A new commit that fails does replace it: the push is what is graded. */
	memcpy(r.commit, "1111111111111111111111111111111111111111", 41);
	EXPECT_INT(t_record(s, &r, "/srv/class/carol", "carol", 1700000200, &other), 0);
	EXPECT_INT(store_latest_run(s, "carol", "ecommerce-api", &pick), 0);
	EXPECT_INT(pick, other);
	/* A fetch that failed says nothing of the submission: the last graded run stays. */
	r.status = RUN_GRADED;
	r.score = 25;
	free(r.diagnosis);
	r.diagnosis = NULL;
	EXPECT_INT(t_record(s, &r, "/srv/class/carol", "carol", 1700000300, &graded), 0);
	r.status = RUN_FETCH_FAILED;
	r.commit[0] = '\0';
	r.diagnosis = strdup("network down");
	EXPECT_INT(t_record(s, &r, "/srv/class/carol", "carol", 1700000400, &fetchfail), 0);
	EXPECT_INT(store_latest_run(s, "carol", "ecommerce-api", &pick), 0);
	EXPECT_INT(pick, graded);
	EXPECT_INT(store_gradebook(s, "ecommerce-api", &v, &n), 0);
	EXPECT_INT(n, 1);
	EXPECT_INT(v[0].run_id, graded);
	EXPECT_INT(v[0].score, 25);
	EXPECT_STR(v[0].student, "carol");
	store_run_infos_free(v, n);
	EXPECT_INT(store_student_runs(s, "carol", &v, &n), 0);
	EXPECT_INT(n, 5);
	EXPECT_STR(v[4].status, "fetch-failed");
	store_run_infos_free(v, n);
	store_close(s);
	grade_result_release(&r);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM students WHERE name='carol'"), 1);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM submissions WHERE student_id IS NOT NULL"), 3);
}

TEST(merge_is_idempotent)
{
	char a[512], b[512], into[512];
	struct store *s = NULL;
	struct grade_result r;
	size_t added = 0, present = 0;
	int64_t batch = 0;
	bool resumed = true;

	t_graded(&r);
	t_add_causes_env(&r);   /* merged with their runs */
	t_db_path(a, sizeof(a));
	t_db_path(b, sizeof(b));
	t_db_path(into, sizeof(into));
	EXPECT_INT(store_open(a, &s), 0);
	EXPECT_INT(store_batch_begin(s, "k", "ecommerce-api", &batch, &resumed), 0);
	EXPECT(!resumed);
	EXPECT_INT(t_record(s, &r, "/srv/a", "ann", 1700000000, NULL), 0);
	EXPECT_INT(store_record_batch_run(s, batch, &r, NULL), 0);
	store_close(s);
	EXPECT_INT(store_open(b, &s), 0);
	r.late_penalty = 4;
	EXPECT_INT(t_record(s, &r, "/srv/b", "ben", 1700000050, NULL), 0);
	store_close(s);
	EXPECT_INT(store_open(into, &s), 0);
	EXPECT_INT(store_merge(s, a, &added, &present), 0);
	EXPECT_INT(added, 2);
	EXPECT_INT(store_merge(s, b, &added, &present), 0);
	EXPECT_INT(added, 1);
	EXPECT_INT(store_merge(s, a, &added, &present), 0);
	EXPECT_INT(added, 0);
	EXPECT_INT(present, 2);
	EXPECT_INT(store_merge(s, b, &added, &present), 0);
	EXPECT_INT(added, 0);
	store_close(s);
	grade_result_release(&r);
	EXPECT_INT(q_int(into, "SELECT count(*) FROM runs"), 3);
	EXPECT_INT(q_int(into, "SELECT count(*) FROM check_results"), 9);
	EXPECT_INT(q_int(into, "SELECT count(*) FROM batches"), 1);
	EXPECT_INT(q_int(into, "SELECT count(*) FROM runs WHERE batch_id IS NOT NULL"), 1);
	EXPECT_INT(q_int(into, "SELECT late_penalty FROM runs r JOIN students s ON s.id=r.student_id"
			       " WHERE s.name='ben'"), 4);
	EXPECT_STR(q_text(into, "SELECT started_at FROM runs r JOIN students s ON s.id=r.student_id"
				" WHERE s.name='ben'"), "2023-11-14T22:14:10Z");
	EXPECT_INT(q_int(into, "SELECT count(DISTINCT uuid) FROM runs"), 3);
	EXPECT_INT(q_int(into, "SELECT count(*) FROM run_causes"), 6);
	EXPECT_INT(q_int(into, "SELECT count(*) FROM runs WHERE env_relaxed LIKE '%psycopg2-binary==2.9.10%'"
			       " AND auth = 'token'"), 3);
}

TEST(batch_resumes_until_finished)
{
	char path[512];
	struct store *s = NULL;
	struct grade_result r;
	int64_t b1 = 0, b2 = 0, b3 = 0, run = 0, found = 0;
	bool resumed = false;

	t_graded(&r);
	r.student = strdup("dora");
	t_db_path(path, sizeof(path));
	EXPECT_INT(store_open(path, &s), 0);
	EXPECT_INT(store_batch_begin(s, "key1", "ecommerce-api", &b1, &resumed), 0);
	EXPECT(!resumed);
	EXPECT_INT(store_record_batch_run(s, b1, &r, &run), 0);
	EXPECT_INT(store_batch_begin(s, "key1", "ecommerce-api", &b2, &resumed), 0);
	EXPECT(resumed);
	EXPECT_INT(b2, b1);
	EXPECT_INT(store_batch_student_run(s, b1, "dora", &found), 0);
	EXPECT_INT(found, run);
	EXPECT_INT(store_batch_student_run(s, b1, "eve", &found), 0);
	EXPECT_INT(found, 0);
	EXPECT_INT(store_find_graded(s, "dora", "ecommerce-api", r.suite_sha256, r.source, r.commit, 0,
				     &found), 0);
	EXPECT_INT(found, run);
	EXPECT_INT(store_find_graded(s, "dora", "ecommerce-api", r.suite_sha256, r.source, r.commit,
				     1700000000, &found), 0);
	EXPECT_INT(found, 0);
	EXPECT_INT(store_batch_finish(s, b1), 0);
	EXPECT_INT(store_batch_begin(s, "key1", "ecommerce-api", &b3, &resumed), 0);
	EXPECT(!resumed);
	EXPECT(b3 != b1);
	store_close(s);
	grade_result_release(&r);
}

/* A v1 file (as the first release wrote it) is migrated with its runs kept. */
TEST(migrates_v1_file)
{
	char path[512];
	struct store *s = NULL;
	sqlite3 *db = NULL;

	t_db_path(path, sizeof(path));
	EXPECT_INT(store_open(path, &s), 0);
	store_close(s);
	s = NULL;
	EXPECT(sqlite3_open(path, &db) == SQLITE_OK);
	/* Undo v2 by hand: a v1 file with one run. */
	EXPECT(sqlite3_exec(db,
		"DROP INDEX runs_by_uuid; DROP INDEX runs_by_student; DROP INDEX runs_by_batch;"
		"ALTER TABLE runs DROP COLUMN uuid; ALTER TABLE runs DROP COLUMN student_id;"
		"ALTER TABLE runs DROP COLUMN batch_id; ALTER TABLE runs DROP COLUMN due_at;"
		"ALTER TABLE runs DROP COLUMN commit_time; ALTER TABLE runs DROP COLUMN late_penalty;"
		"ALTER TABLE runs DROP COLUMN selection; ALTER TABLE runs DROP COLUMN environment;"
		"ALTER TABLE runs DROP COLUMN routes; ALTER TABLE check_results DROP COLUMN ord;"
		"ALTER TABLE check_results DROP COLUMN visibility;"
		"DROP TABLE run_causes; ALTER TABLE runs DROP COLUMN env_python;"
		"ALTER TABLE runs DROP COLUMN env_python_reason; ALTER TABLE runs DROP COLUMN env_requirements_source;"
		"ALTER TABLE runs DROP COLUMN env_inferred; ALTER TABLE runs DROP COLUMN env_relaxed;"
		"ALTER TABLE runs DROP COLUMN auth; ALTER TABLE runs DROP COLUMN system_checks;"
		"ALTER TABLE runs DROP COLUMN env_django;"
		"DROP TABLE batches;"
		"INSERT INTO submissions(source, commit_id) VALUES ('/old', '');"
		"INSERT INTO suites(challenge_id, title, suite_sha256) VALUES ('c', 't', 'x');"
		"INSERT INTO runs(submission_id, suite_id, grader_version, ref, status, score, max_score,"
		" started_at, t_fetch_ms, t_env_ms, t_boot_ms, t_checks_ms, t_total_ms)"
		" VALUES (1, 1, '0.1.0', 'HEAD', 'fetch-failed', 0, 100, '2024-01-01T00:00:00Z', 1, 0, 0, 0, 1);"
		"PRAGMA user_version=1;", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	EXPECT_INT(store_open(path, &s), 0);
	store_close(s);
	EXPECT_INT(q_int(path, "PRAGMA user_version"), 6);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM runs WHERE length(uuid) = 32"), 1);
	EXPECT_INT(q_int(path, "SELECT late_penalty FROM runs"), 0);
}

/*
 * A store file as an older release left it: one graded run recorded (with
 * causes, environment and system checks when `full`), then `undo` (SQL
 * taking the schema back) run on it by hand. The file's path to `path`,
 * the run's id to *id.
 */
static void t_old_file(char *path, size_t cap, bool full, const char *undo, int64_t *id)
{
	struct store *s = NULL;
	struct grade_result r;
	sqlite3 *db = NULL;

	t_graded(&r);
	if (full)
		t_add_causes_env(&r);
	t_db_path(path, cap);
	EXPECT_INT(store_open(path, &s), 0);
	EXPECT_INT(store_record_run(s, &r, id), 0);
	store_close(s);
	grade_result_release(&r);
	EXPECT(sqlite3_open(path, &db) == SQLITE_OK);
	EXPECT(sqlite3_exec(db, undo, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
}

/* In a file just migrated: a new run with causes, environment and system
 * checks reads back whole. Closes s. */
static void t_new_run_keeps_all(struct store *s)
{
	struct grade_result r, back;
	int64_t id = 0;

	t_graded(&r);
	t_add_causes_env(&r);
	EXPECT_INT(store_record_run(s, &r, &id), 0);
	EXPECT_INT(store_load_run(s, id, &back), 0);
	store_close(s);
	t_expect_causes_env(&back);
	grade_result_release(&r);
	grade_result_release(&back);
}

/*
 * A v3 file (as the previous release wrote it, with a recorded run) is
 * upgraded in place to the current version: the run and its checks are
 * kept, it loads with no causes and no environment details (none were
 * recorded), and new runs keep theirs.
 */
TEST(migrates_v3_file)
{
	char path[512];
	struct store *s = NULL;
	struct grade_result back;
	int64_t id1 = 0;

	/* Undo v4 and v5 by hand: the v3 schema, with its run. */
	t_old_file(path, sizeof(path), false,
		"DROP TABLE run_causes; ALTER TABLE runs DROP COLUMN env_python;"
		"ALTER TABLE runs DROP COLUMN env_python_reason; ALTER TABLE runs DROP COLUMN env_requirements_source;"
		"ALTER TABLE runs DROP COLUMN env_inferred; ALTER TABLE runs DROP COLUMN env_relaxed;"
		"ALTER TABLE runs DROP COLUMN auth; ALTER TABLE runs DROP COLUMN system_checks;"
		"ALTER TABLE runs DROP COLUMN env_django;"
		"PRAGMA user_version=3;", &id1);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'run_causes'"), 0);

	EXPECT_INT(store_open(path, &s), 0);
	EXPECT_INT(q_int(path, "PRAGMA user_version"), 6);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM runs"), 1);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM check_results"), 3);
	EXPECT_INT(store_load_run(s, id1, &back), 0);
	EXPECT_INT(back.nchecks, 3);
	EXPECT_STR(back.nchecks == 3 ? back.checks[1].message : "",
		   "answered 201'); DROP TABLE runs; -- expected 400");
	EXPECT_INT(back.ncauses, 0);
	EXPECT(back.env_python == NULL && back.auth_scheme == NULL);
	grade_result_release(&back);

	t_new_run_keeps_all(s);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM run_causes r, json_each(r.checks)"), 3);
}

/*
 * A v4 file (before the system checks' column) opens as v5: its run reads
 * back with no system checks' sentence, and a new run keeps its own.
 */
TEST(migrates_v4_file)
{
	char path[512];
	struct store *s = NULL;
	struct grade_result back;
	int64_t id1 = 0;

	/* Undo v5 by hand: the v4 schema, with its run. */
	t_old_file(path, sizeof(path), true,
		   "ALTER TABLE runs DROP COLUMN system_checks; ALTER TABLE runs DROP COLUMN env_django;"
		   " PRAGMA user_version=4;", &id1);

	EXPECT_INT(store_open(path, &s), 0);
	EXPECT_INT(q_int(path, "PRAGMA user_version"), 6);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM runs WHERE system_checks IS NULL"), 1);
	EXPECT_INT(store_load_run(s, id1, &back), 0);
	EXPECT_INT(back.ncauses, 2);
	EXPECT_STR(back.auth_scheme, "token");
	EXPECT(back.system_checks == NULL);
	grade_result_release(&back);

	t_new_run_keeps_all(s);
}

/*
 * A v5 file (before the Django version's column) opens as v6: its run reads
 * back with no Django version, and a new run keeps its own.
 */
TEST(migrates_v5_file)
{
	char path[512];
	struct store *s = NULL;
	struct grade_result back;
	int64_t id1 = 0;

	t_old_file(path, sizeof(path), true, "ALTER TABLE runs DROP COLUMN env_django; PRAGMA user_version=5;", &id1);

	EXPECT_INT(store_open(path, &s), 0);
	EXPECT_INT(q_int(path, "PRAGMA user_version"), 6);
	EXPECT_INT(q_int(path, "SELECT count(*) FROM runs WHERE env_django IS NULL"), 1);
	EXPECT_INT(store_load_run(s, id1, &back), 0);
	EXPECT_STR(back.auth_scheme, "token");
	EXPECT_STR(back.system_checks, "Django's system checks find 1 error: shop.Product: (models.E015) "
		   "'ordering' refers to the nonexistent field 'created'.");
	EXPECT(back.env_django == NULL);
	grade_result_release(&back);

	t_new_run_keeps_all(s);
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
	RUN(open_creates_schema_v2_wal);
	RUN(record_graded_and_fetch_failed);
	RUN(regrade_same_submission_is_one_row);
	RUN(reopen_keeps_data);
	RUN(newer_schema_refused);
	RUN(not_a_database_is_an_error);
	RUN(bad_commit_rejected_and_rolled_back);
	RUN(concurrent_writers_all_land);
	RUN(default_path);
	RUN(source_canonical_forms);
	RUN(one_submission_however_written_and_no_credentials);
	RUN(load_run_round_trip);
	RUN(failed_run_never_hides_graded_run_of_same_commit);
	RUN(merge_is_idempotent);
	RUN(batch_resumes_until_finished);
	RUN(migrates_v1_file);
	RUN(migrates_v3_file);
	RUN(migrates_v4_file);
	RUN(migrates_v5_file);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t_dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", t_dir);
	T_EXIT();
}
