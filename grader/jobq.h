/*
 * jobq.h - the grading service's queue of jobs, kept in SQLite.
 *
 * A job is "grade repository R at ref F against challenge C". Jobs live in
 * the table `service_jobs` of the results database (the same file the runs
 * are recorded in), so that a service killed at any moment loses nothing:
 * a job is queued by one INSERT, claimed by one UPDATE ... RETURNING (two
 * workers can never claim the same job) and finished by one UPDATE. On
 * start, jobq_open() puts jobs that were running back in the queue.
 *
 * The table belongs to this module, not to store.c's schema migrations: it
 * is created with IF NOT EXISTS and only ever gains columns, so a database
 * written by `grader grade` is a valid service database and the other way
 * round.
 *
 * Deduplication: a job whose ref is a full commit id is the same job as any
 * other of that (repository, commit, suite) that is not a forced regrade; a
 * symbolic ref (a branch, HEAD) only coalesces with a job of the same
 * (repository, ref, suite) still waiting in the queue.
 *
 * One struct jobq is one SQLite connection, used by one thread at a time
 * (callers serialise; the service keeps one per worker and one for the
 * HTTP threads behind a mutex). Ownership: jobq_open() -> jobq_close();
 * strings in struct job are malloc'd and freed by job_release().
 */
#ifndef GRADER_JOBQ_H
#define GRADER_JOBQ_H

#include <stdbool.h>
#include <stdint.h>

struct jobq;

enum job_state { JOB_QUEUED = 0, JOB_RUNNING, JOB_DONE, JOB_FAILED };

struct job {
	int64_t id;
	char *repo;        /* URL as graded, never with credentials */
	char *slug;        /* "owner/repo", the badge key */
	char *ref;         /* what was asked: a commit id, a branch, "HEAD" */
	char *challenge;
	char *suite_sha256;
	char *student;     /* NULL when the course does not ask for one */
	char *origin;      /* "form", "github", "gitlab", "instructor" */
	enum job_state state;
	int64_t created_at, started_at, finished_at;   /* Unix seconds, 0 unset */
	int64_t run_id;    /* the run in the store, 0 unknown */
	char *commit;      /* the commit graded, NULL until known */
	char *status;      /* the report's status ("graded", "boot-failed", ...) */
	int score, max_score;
	char *report;      /* the JSON report, NULL until done */
	char *error;       /* why the grader itself failed (JOB_FAILED) */
};

void job_release(struct job *j);
const char *job_state_name(enum job_state s);

/* Opens (creating the table if needed); with `recover`, jobs left running by
 * a service that died are queued again. */
int jobq_open(const char *db_path, bool recover, struct jobq **out);
void jobq_close(struct jobq *q);

/*
 * Queue a job (j->repo, slug, ref, challenge, suite_sha256, student, origin).
 * *id gets the job's id, *existing whether an equal job was there already
 * (then nothing is added). `max_queued` > 0 refuses a new job when that many
 * are waiting: returns 1 (queue full), nothing added.
 */
int jobq_push(struct jobq *q, const struct job *j, bool force, int max_queued, int64_t *id,
	      bool *existing);

/* Claim the oldest queued job: 0 and *j filled, 1 when none is queued. */
int jobq_claim(struct jobq *q, struct job *j);

/* Record the end of a claimed job (state JOB_DONE or JOB_FAILED, and the
 * result fields of j). */
int jobq_finish(struct jobq *q, const struct job *j);

/* 0 and *j filled, 1 when there is no such job. */
int jobq_get(struct jobq *q, int64_t id, struct job *j);

/* 1-based place in the queue of a queued job; 0 when it is not queued. */
int jobq_position(struct jobq *q, int64_t id, int *pos);

/* The newest job of (slug, challenge) that was graded: 0 and *j, 1 none. */
int jobq_latest_graded(struct jobq *q, const char *slug, const char *challenge, struct job *j);

/*
 * Visit jobs, newest first: those queued or running (`active`), else the
 * `limit` most recent of any state. The callback returns non-zero to stop.
 */
int jobq_each(struct jobq *q, bool active, int limit, int (*fn)(const struct job *j, void *ctx),
	      void *ctx);

/* How many jobs are in each state (array indexed by enum job_state). */
int jobq_counts(struct jobq *q, int counts[4]);

#endif
