/*
 * store.h - results in SQLite, and the questions an instructor asks of them.
 *
 * Schema made for a class: students' submissions (source + commit), runs of
 * a challenge suite (by suite hash and grader version) against them —
 * regrades are new runs of the same submission — and per-check results.
 * WAL mode, a busy timeout for parallel graders, `PRAGMA user_version` as the
 * schema version with forward migrations applied in store_open(), and one
 * transaction per recorded run. docs/store.md documents the tables.
 *
 * Ownership: store_open() -> store_close(). A loaded run is released with
 * grade_result_release(); arrays of store_run_info with store_run_infos_free().
 */
#ifndef GRADER_STORE_H
#define GRADER_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "result.h"

struct store;

/* Creates the file and its folder if needed; migrates an older schema. */
int store_open(const char *path, struct store **out);
void store_close(struct store *s);

/*
 * Record one finished run (any status) in one transaction: the run and all
 * its checks, or nothing. The source is stored canonical (source.h);
 * r->student, when set, is recorded as a student and owns the run. r->uuid
 * is kept when set (a merge) and made fresh otherwise. *run_id gets its row
 * id if non-NULL.
 */
int store_record_run(struct store *s, const struct grade_result *r, int64_t *run_id);
/* The same, as part of batch `batch_id` (store_batch_begin). */
int store_record_batch_run(struct store *s, int64_t batch_id, const struct grade_result *r,
			   int64_t *run_id);

/* Load run `run_id` back into *r (zeroed first): 0 loaded, 1 no such run, -1 error. */
int store_load_run(struct store *s, int64_t run_id, struct grade_result *r);

/*
 * The run the gradebook shows for `who` (a roster student id, else a
 * source, canonicalised) and `challenge`: the newest run, except that a run
 * that could not be graded never hides an earlier graded run of the same
 * commit (nor any earlier graded run when its fetch failed or the grader
 * broke, which says nothing of the submission). *run_id 0 when none.
 */
int store_latest_run(struct store *s, const char *who, const char *challenge, int64_t *run_id);

/* One line of a history or a gradebook. */
struct store_run_info {
	int64_t run_id;
	char *challenge_id;
	char *source;          /* canonical */
	char commit[41];       /* "" when the fetch failed */
	char status[24];       /* run status name */
	int score, max_score;  /* raw score */
	int late_penalty;
	int final_score;       /* score - late_penalty, >= 0; 0 when not graded */
	char started_at[32];   /* ISO 8601 UTC */
	char *student;         /* NULL when the run has none */
	char *diagnosis;       /* NULL when graded */
};
void store_run_infos_free(struct store_run_info *v, size_t n);

/* Every run of a student, oldest first. */
int store_student_runs(struct store *s, const char *student, struct store_run_info **out, size_t *n);
/* The gradebook of a challenge (contracts §7): one row a student, by student id,
 * each the run store_latest_run() picks. */
int store_gradebook(struct store *s, const char *challenge, struct store_run_info **out, size_t *n);

/*
 * Batches (grader batch). A batch is resumed while unfinished: begin finds
 * the newest unfinished batch with `key` (*resumed = true) or starts one.
 */
int store_batch_begin(struct store *s, const char *key, const char *challenge,
		      int64_t *batch_id, bool *resumed);
int store_batch_finish(struct store *s, int64_t batch_id);
/* The student's run in this batch (not counting internal errors); 0 none. */
int store_batch_student_run(struct store *s, int64_t batch_id, const char *student, int64_t *run_id);
/* A run of this student, suite, submission (source, commit) and deadline
 * already recorded (not counting internal errors); *run_id 0 when none. */
int store_find_graded(struct store *s, const char *student, const char *challenge,
		      const char *suite_sha256, const char *source, const char *commit,
		      time_t due_at, int64_t *run_id);

/*
 * Copy every run of the database at `from_path` that `s` lacks (runs are
 * told apart by uuid), with their students, submissions, suites and
 * batches, in one transaction. Merging the same file twice adds nothing.
 */
int store_merge(struct store *s, const char *from_path, size_t *added, size_t *present);

/* The default database: $GRADER_DB, else <cache dir>/results.sqlite3. malloc'd. */
char *store_default_path(void);

#endif
