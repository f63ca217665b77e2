/*
 * batch.h - grade a class: a roster in, one recorded run per student out.
 *
 * The pieces, each usable alone:
 *  - roster_load(): the roster CSV of contracts §7 (`student,repo[,ref]
 *    [,extension_until]`, or GitHub Classroom's `identifier,github_username,
 *    github_id,name` with a repository template);
 *  - the deadline rules: batch_parse_time() (ISO 8601), late_policy_parse()
 *    (`per-day:10,cap:50`, `cutoff:T`), batch_pick_commit() (the newest
 *    commit at or before a limit, by committer time) and batch_penalty();
 *  - batch_shard_of(): which of N shards grades a student (stable hash);
 *  - batch_run(): the parallel, resumable run itself.
 *
 * How batch_run() grades: one worker process per submission (fork), at most
 * `jobs` at once, each with its own workspace folder, its own sandbox (the
 * sandbox slot follows the worker's pid) and its own connection to the
 * results database, where it records its run in one transaction together
 * with the batch id. A worker fetches its repository once: the grade takes
 * that checkout when it holds the commit to grade (grade_opts.prefetched),
 * and clones an older one from it only when a deadline passes over later
 * commits. A batch killed at any moment (kill -9 included: the
 * workers die with it, PR_SET_PDEATHSIG) leaves each student either fully
 * recorded or not at all; the next batch_run() with the same key resumes
 * the unfinished batch and skips the students it already recorded. Without
 * `regrade`, a student whose (submission commit, suite, deadline) was
 * already graded is skipped too. A stop request (*stop set, e.g. by SIGINT)
 * ends the running workers, removes their workspaces and returns with
 * `interrupted` set.
 *
 * Modules never print: batch_run() reports progress through `on_event`.
 *
 * Ownership: roster_free() frees a roster; batch_summary_release() a summary.
 */
#ifndef GRADER_BATCH_H
#define GRADER_BATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "challenge.h"
#include "grade.h"

struct roster_entry {
	char *student;          /* roster id, unique in the roster */
	char *repo;             /* NULL: no repository (an unlinked Classroom entry) */
	char *ref;              /* NULL: the repository's HEAD */
	time_t extension_until; /* 0: none */
};

struct roster {
	struct roster_entry *v;
	size_t n, cap;          /* v's count and capacity (vec.h) */
};

/* -1 + err naming the file, line and column that is wrong. `repo_template`
 * ("https://github.com/ORG/hw1-{github_username}") is required for a
 * Classroom roster and replaces {column} with that column's value. */
int roster_load(const char *path, const char *repo_template, struct roster *out);
void roster_free(struct roster *r);

/* "2025-03-01T23:59:00Z", "...+02:00", "2025-03-01T23:59" (UTC), or
 * "2025-03-01" (the end of that day, UTC). -1 + err naming the text. */
int batch_parse_time(const char *s, time_t *t);
/* time -> "2025-03-01T23:59:00Z" */
void batch_format_time(time_t t, char buf[32]);

struct late_policy {
	int per_day;     /* percent of max_score taken off per day late (started days); 0: none */
	int cap;         /* at most this percent in all (100 when per_day is set without cap) */
	time_t cutoff;   /* 0: none; else no commit after it is graded */
};

/* "per-day:10,cap:50", "cutoff:2025-03-08T00:00:00Z", or both joined by a
 * comma. -1 + err naming the part that is wrong. */
int late_policy_parse(const char *s, struct late_policy *p);

/*
 * In the repository at `repo_dir` (a clone, HEAD detached at the ref to
 * grade): the newest commit reachable from HEAD whose committer time is at
 * or before `limit` (0: HEAD itself). *found false when there is none.
 * *later counts the newer commits passed over. -1 + err: the grader broke.
 */
int batch_pick_commit(const char *repo_dir, time_t limit, char commit[41], time_t *commit_time,
		      unsigned *later, bool *found);

/* Points off for a commit at `commit_time` due at `due`, for a run scored
 * score/max_score; never more than the score. *days_late gets the started
 * days late (0 on time). */
int batch_penalty(const struct late_policy *p, time_t due, time_t commit_time, int score,
		  int max_score, int *days_late);

/* The shard (0..n-1) a student id belongs to: FNV-1a of the id, mod n. */
unsigned batch_shard_of(const char *student, unsigned n);

enum batch_event_kind {
	BATCH_EV_SKIPPED,   /* already recorded in this batch, or already graded (run_id) */
	BATCH_EV_STARTED,   /* a worker started on `student` */
	BATCH_EV_FINISHED,  /* its run was recorded (status, scores, why) */
	BATCH_EV_BROKE,     /* the worker failed without recording (why); retried on resume */
	BATCH_EV_TICK,      /* about once a second while workers run */
};

struct batch_event {
	enum batch_event_kind kind;
	const char *student;
	const char *status;    /* run status name (FINISHED, SKIPPED) */
	int score, max_score, late_penalty, final_score;
	int64_t run_id;
	const char *why;       /* first line of the diagnosis, or why it was skipped */
	/* the whole batch so far */
	unsigned total, done, graded, ungraded, skipped, running;
	double elapsed_s;
};

struct batch_opts {
	const char *db_path;
	const char *key;                  /* what makes two invocations one batch */
	const struct grade_opts *go;      /* challenge, timeouts, sandbox, datadir */
	const struct roster *roster;
	time_t deadline;                  /* 0: grade each ref's newest commit */
	struct late_policy policy;
	bool regrade;
	unsigned jobs;                    /* workers at once (>= 1) */
	unsigned shard, nshards;          /* nshards <= 1: the whole roster */
	const char *workdir;              /* parent of the workers' workspace folders */
	void (*on_event)(void *ctx, const struct batch_event *ev);
	void *ctx;
	volatile sig_atomic_t *stop;      /* set asynchronously to stop cleanly */
};

struct batch_outcome {
	char *student;
	char status[24];       /* "" when it has no recorded run */
	int score, max_score, late_penalty, final_score;
	char *why;             /* first line of the diagnosis when not graded */
};

struct batch_summary {
	int64_t batch_id;
	bool resumed;          /* an unfinished batch with this key was continued */
	bool interrupted;      /* stopped before every student was graded */
	unsigned in_shard;     /* students this invocation is responsible for */
	unsigned graded_now, skipped, broke;
	struct batch_outcome *v;   /* one per student of the shard, roster order */
	size_t n;
	double elapsed_s;
};

int batch_run(const struct batch_opts *o, struct batch_summary *sum);
void batch_summary_release(struct batch_summary *s);

#endif
