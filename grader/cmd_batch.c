/*
 * cmd_batch.c - `grader batch ROSTER --challenge NAME`: grade a class.
 *
 * The work is batch.c's; this file parses the command line, finds the
 * shard (--shard I/N, else a Kubernetes Indexed Job's JOB_COMPLETION_INDEX
 * with GRADER_SHARDS, else a Slurm array's SLURM_ARRAY_TASK_ID /
 * SLURM_ARRAY_TASK_COUNT), turns SIGINT/SIGTERM into a clean stop, and
 * prints: a live line on a terminal, one line per student otherwise, and a
 * summary table at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "batch.h"
#include "buf.h"
#include "cli.h"
#include "cmd.h"
#include "err.h"
#include "sandbox.h"

#define EXIT_INTERRUPTED 130   /* stopped by SIGINT/SIGTERM: resumable */

static volatile sig_atomic_t batch_stop;

static void batch_on_signal(int sig)
{
	(void)sig;
	batch_stop = 1;
}

struct progress {
	bool tty;
	bool quiet;
	bool line_open;   /* a live line is on the terminal */
};

static void fmt_duration(double s, char *buf, size_t n)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

static void on_event(void *ctx, const struct batch_event *ev)
{
	struct progress *pg = ctx;
	char el[32], eta[32] = "?";

	if (pg->quiet)
		return;
	if (pg->tty) {
		unsigned now = ev->done - ev->skipped;
		unsigned left = ev->total > ev->done ? ev->total - ev->done : 0;

		if (ev->kind == BATCH_EV_BROKE) {
			fprintf(stderr, "\r\033[K%s: the grader broke: %s\n", ev->student, ev->why ? ev->why : "");
		}
		fmt_duration(ev->elapsed_s, el, sizeof(el));
		if (now && left)
			fmt_duration(ev->elapsed_s / now * left, eta, sizeof(eta));
		else if (!left)
			snprintf(eta, sizeof(eta), "0:00");
		fprintf(stderr, "\r\033[K%u/%u done: %u graded, %u could not be graded, %u already recorded, "
			"%u running; %s elapsed, ETA %s", ev->done, ev->total, ev->graded, ev->ungraded,
			ev->skipped, ev->running, el, eta);
		fflush(stderr);
		pg->line_open = true;
		return;
	}
	switch (ev->kind) {
	case BATCH_EV_FINISHED:
		if (!strcmp(ev->status, "graded"))
			fprintf(stderr, "[%u/%u] %s: graded %d/%d%s", ev->done, ev->total, ev->student,
				ev->score, ev->max_score, ev->late_penalty ? "" : "\n");
		else
			fprintf(stderr, "[%u/%u] %s: %s: %s\n", ev->done, ev->total, ev->student, ev->status,
				ev->why ? ev->why : "");
		if (!strcmp(ev->status, "graded") && ev->late_penalty)
			fprintf(stderr, ", late -%d: %d\n", ev->late_penalty, ev->final_score);
		break;
	case BATCH_EV_SKIPPED:
		fprintf(stderr, "[%u/%u] %s: skipped, %s\n", ev->done, ev->total, ev->student,
			ev->why ? ev->why : "already recorded");
		break;
	case BATCH_EV_BROKE:
		fprintf(stderr, "[%u/%u] %s: the grader broke, not recorded (retried when run again): %s\n",
			ev->done, ev->total, ev->student, ev->why ? ev->why : "");
		break;
	default:
		break;
	}
}

/* The shard from --shard I/N or the cluster's environment. 0 or an exit status. */
static int batch_shard(const char *arg, unsigned *shard, unsigned *n)
{
	const char *idx = getenv("JOB_COMPLETION_INDEX");
	const char *cnt = getenv("GRADER_SHARDS");
	const char *sid = getenv("SLURM_ARRAY_TASK_ID");
	const char *scnt = getenv("SLURM_ARRAY_TASK_COUNT");
	const char *smin = getenv("SLURM_ARRAY_TASK_MIN");
	char *end = NULL;
	long i, m;

	*shard = 0;
	*n = 1;
	if (arg) {
		i = strtol(arg, &end, 10);
		if (!end || *end != '/' || end == arg)
			return cli_usage_error("batch", "--shard takes I/N (e.g. 0/4), not '%s'", arg);
		m = strtol(end + 1, &end, 10);
		if (!end || *end || m < 1 || i < 0 || i >= m)
			return cli_usage_error("batch", "--shard %s: I must be 0..N-1 and N at least 1", arg);
	} else if (idx && *idx) {
		/* Kubernetes Indexed Job: the index is set, the count is ours to pass. */
		if (!cnt || !*cnt)
			return cli_usage_error("batch", "JOB_COMPLETION_INDEX is set but GRADER_SHARDS (the Job's "
					       "completions) is not; set it, or give --shard I/N");
		i = strtol(idx, &end, 10);
		if (!end || *end)
			return cli_usage_error("batch", "JOB_COMPLETION_INDEX '%s' is not a number", idx);
		m = strtol(cnt, &end, 10);
		if (!end || *end || m < 1 || i < 0 || i >= m)
			return cli_usage_error("batch", "JOB_COMPLETION_INDEX %s is not below GRADER_SHARDS %s", idx, cnt);
	} else if (sid && *sid) {
		if (!scnt || !*scnt)
			return cli_usage_error("batch", "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not");
		i = strtol(sid, &end, 10) - (smin && *smin ? strtol(smin, NULL, 10) : 0);
		if (!end || *end)
			return cli_usage_error("batch", "SLURM_ARRAY_TASK_ID '%s' is not a number", sid);
		m = strtol(scnt, &end, 10);
		if (!end || *end || m < 1 || i < 0 || i >= m)
			return cli_usage_error("batch", "SLURM_ARRAY_TASK_ID %s (min %s) is not within "
					       "SLURM_ARRAY_TASK_COUNT %s", sid, smin ? smin : "0", scnt);
	} else {
		return 0;
	}
	*shard = (unsigned)i;
	*n = (unsigned)m;
	return 0;
}

/* sha256 hex of a buffer (libcrypto). */
static int sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL))
		return err_set("sha256 failed");
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

/*
 * What makes two invocations the same batch: the roster's bytes, the
 * suite, the deadline and late policy, the template, the shard and
 * --regrade. Any change starts a new batch; the same command again resumes.
 */
static int batch_key(const char *roster, const struct challenge *c, const char *deadline,
		     const char *policy, const char *tmpl, unsigned shard, unsigned n, bool regrade,
		     char key[65])
{
	struct gbuf text = GBUF_INIT((size_t)16 << 20), k = GBUF_INIT(0);
	char rh[65];
	int rc = -1;

	if (gbuf_read_file(&text, roster) < 0 || sha256_hex(text.data ? text.data : "", text.len, rh) < 0)
		goto done;
	if (gbuf_addf(&k, "roster=%s\nchallenge=%s\nsuite=%s\ndeadline=%s\npolicy=%s\ntemplate=%s\n"
		      "shard=%u/%u\nregrade=%d\n", rh, c->id, c->suite_sha256, deadline ? deadline : "",
		      policy ? policy : "", tmpl ? tmpl : "", shard, n, regrade) < 0 ||
	    sha256_hex(k.data, k.len, key) < 0)
		goto done;
	rc = 0;
done:
	gbuf_release(&text);
	gbuf_release(&k);
	return rc;
}

static void print_summary(const struct batch_summary *s, const char *challenge, bool sharded,
			  unsigned shard, unsigned nshards)
{
	unsigned hist[11] = {0}, graded = 0, none = 0, biggest = 1, b;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct batch_outcome *o = &s->v[i];

		if (!o->status[0]) {
			none++;
			continue;
		}
		if (strcmp(o->status, "graded"))
			continue;
		graded++;
		b = o->max_score > 0 ? (unsigned)(o->final_score * 10 / o->max_score) : 0;
		hist[b > 10 ? 10 : b]++;
	}
	for (b = 0; b < 11; b++)
		if (hist[b] > biggest)
			biggest = hist[b];
	printf("\nBatch %lld, %s%s", (long long)s->batch_id, challenge, s->resumed ? " (resumed)" : "");
	if (sharded)
		printf(", shard %u of %u", shard, nshards);
	printf(": %u student%s, %u graded, %zu could not be graded%s; %u graded now, %u skipped; %.1f s\n",
	       s->in_shard, s->in_shard == 1 ? "" : "s", graded,
	       s->n - graded - none, none ? "" : "", s->graded_now, s->skipped, s->elapsed_s);
	if (none)
		printf("%u student%s not graded yet\n", none, none == 1 ? "" : "s");
	if (graded) {
		printf("\nFinal scores (percent of the maximum)\n");
		for (b = 0; b < 11; b++) {
			char label[16];
			unsigned bar = hist[b] * 40 / biggest, j;

			if (b < 10)
				snprintf(label, sizeof(label), "%3u-%-3u", b * 10, b * 10 + 9);
			else
				snprintf(label, sizeof(label), "  100  ");
			printf("  %s |", label);
			for (j = 0; j < bar; j++)
				putchar('#');
			printf(" %u\n", hist[b]);
		}
	}
	if (s->n - graded - none) {
		printf("\nCould not be graded\n");
		for (i = 0; i < s->n; i++) {
			const struct batch_outcome *o = &s->v[i];

			if (o->status[0] && strcmp(o->status, "graded"))
				printf("  %-20s %-15s %s\n", o->student, o->status, o->why ? o->why : "");
		}
	}
}

/* The command line again, quoted for a shell, to say how to resume. */
static void print_resume(int argc, char **argv)
{
	int i;

	fprintf(stderr, "To resume, run the same command again:\n  grader");
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (a[strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+")])
			fprintf(stderr, " '%s'", a);
		else
			fprintf(stderr, " %s", a);
	}
	fprintf(stderr, "\n");
}

int cmd_batch(int argc, char **argv)
{
	struct cmd_common cm;
	struct cli_parse p;
	struct roster roster = {0};
	struct challenge *c = NULL;
	struct sandbox_profile *prof = NULL;
	struct batch_opts bo;
	struct batch_summary sum;
	struct progress pg = {0};
	struct sigaction sa, old_int, old_term;
	const char *challenge = NULL, *db = NULL, *deadline = NULL, *policy = NULL, *tmpl = NULL;
	const char *shard_arg = NULL, *tmp = getenv("TMPDIR");
	char *db_alloc = NULL, *workdir = NULL, *lockpath = NULL;
	int lockfd = -1;
	char key[65];
	bool regrade = false, signals_set = false;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int opt, status = EXIT_USAGE;

	memset(&cm, 0, sizeof(cm));
	memset(&bo, 0, sizeof(bo));
	memset(&sum, 0, sizeof(sum));
	cli_parse_begin(&p, argc, argv);
	while ((opt = cli_next(&p)) > 0) {
		int rc = 0;
		char *end = NULL;

		switch (opt) {
		case OPT_CHALLENGE: challenge = p.arg; break;
		case OPT_DB: db = p.arg; break;
		case OPT_DEADLINE: deadline = p.arg; break;
		case OPT_LATE_POLICY: policy = p.arg; break;
		case OPT_REPO_TEMPLATE: tmpl = p.arg; break;
		case OPT_REGRADE: regrade = true; break;
		case OPT_SHARD: shard_arg = p.arg; break;
		case OPT_JOBS:
			jobs = strtol(p.arg, &end, 10);
			if (!end || *end || jobs < 1 || jobs > 256)
				return cli_usage_error("batch", "--jobs takes a number from 1 to 256, not '%s'", p.arg);
			break;
		default: rc = cmd_parse_common(&p, opt, &cm);
		}
		if (rc)
			return rc;
	}
	if (opt < 0)
		return p.status;
	if (p.ind >= argc)
		return cli_usage_error("batch", "no ROSTER given; expected a roster CSV (student,repo)");
	if (p.ind + 1 < argc)
		return cli_usage_error("batch", "found '%s' after ROSTER '%s'; expected one ROSTER", argv[p.ind + 1],
				       argv[p.ind]);
	if (!challenge)
		return cli_usage_error("batch", "no --challenge given; expected --challenge NAME");
	if (jobs < 1)
		jobs = 1;
	if (deadline && batch_parse_time(deadline, &bo.deadline) < 0)
		return cli_usage_error("batch", "--deadline: %s", err_last());
	if (policy) {
		if (late_policy_parse(policy, &bo.policy) < 0)
			return cli_usage_error("batch", "%s", err_last());
		if (!deadline)
			return cli_usage_error("batch", "--late-policy needs --deadline (lateness is counted from it)");
	}
	if ((status = batch_shard(shard_arg, &bo.shard, &bo.nshards)) != 0)
		return status;
	if (roster_load(argv[p.ind], tmpl, &roster) < 0) {
		fprintf(stderr, "grader: %s\n", err_last());
		return EXIT_USAGE;
	}
	if ((status = cmd_load_challenge(challenge, &c)) != 0)
		goto done;
	if ((status = cmd_setup_sandbox(&cm, c, &prof)) != 0)
		goto done;
	status = EXIT_INTERNAL;
	if (batch_key(argv[p.ind], c, deadline, policy, tmpl, bo.shard, bo.nshards, regrade, key) < 0) {
		fprintf(stderr, "grader: %s\n", err_last());
		goto done;
	}
	if (!db && bo.nshards > 1) {
		/* A shard writes its own file, for `grader merge` to combine. */
		if (asprintf(&db_alloc, "grades-shard-%u-of-%u.sqlite3", bo.shard, bo.nshards) < 0) {
			db_alloc = NULL;
			goto done;
		}
		db = db_alloc;
	} else if (!db) {
		db = db_alloc = store_default_path();
		if (!db) {
			fprintf(stderr, "grader: %s\n", err_last());
			goto done;
		}
	}
	/* The workers' workspaces, named by the batch: a run killed with -9
	 * leaves its folder, and the resumed run (same key) clears it. */
	if (asprintf(&workdir, "%s/grader-batch-%.16s", tmp && *tmp ? tmp : "/tmp", key) < 0) {
		workdir = NULL;
		goto done;
	}
	/* One invocation of a batch at a time: a second one would grade the
	 * same students again and remove the first one's workspaces. The lock
	 * goes with the process, kill -9 included. */
	if (asprintf(&lockpath, "%s.lock", workdir) < 0) {
		lockpath = NULL;
		goto done;
	}
	lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lockfd < 0) {
		fprintf(stderr, "grader: cannot open %s: %s\n", lockpath, strerror(errno));
		goto done;
	}
	if (flock(lockfd, LOCK_EX | LOCK_NB) < 0) {
		fprintf(stderr, "grader: this batch is already running (%s is locked); wait for it, or "
			"stop it and run this command again to resume\n", lockpath);
		status = EXIT_USAGE;
		goto done;
	}
	if (access(workdir, F_OK) == 0)
		sandbox_remove_tree(workdir);
	cm.go.challenge = c;
	cm.go.datadir = cmd_datadir();
	bo.db_path = db;
	bo.key = key;
	bo.go = &cm.go;
	bo.roster = &roster;
	bo.regrade = regrade;
	bo.jobs = (unsigned)jobs;
	bo.workdir = workdir;
	bo.on_event = on_event;
	bo.ctx = &pg;
	bo.stop = &batch_stop;
	pg.tty = isatty(STDERR_FILENO);
	pg.quiet = cli_verbosity() < 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = batch_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;   /* no SA_RESTART: a sleep or wait returns at once */
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	signals_set = true;
	if (bo.nshards > 1 && !pg.quiet)
		fprintf(stderr, "grader: shard %u of %u into %s\n", bo.shard, bo.nshards, db);
	if (batch_run(&bo, &sum) < 0) {
		if (pg.line_open)
			fputc('\n', stderr);
		fprintf(stderr, "grader: the batch stopped: %s\n", err_last());
		print_resume(argc, argv);
		goto done;
	}
	if (pg.line_open)
		fputc('\n', stderr);
	print_summary(&sum, c->id, bo.nshards > 1, bo.shard, bo.nshards);
	if (sum.interrupted) {
		fprintf(stderr, "\ngrader: stopped; the running submissions were ended and their workspaces "
			"removed. What was recorded stays.\n");
		print_resume(argc, argv);
		status = EXIT_INTERRUPTED;
	} else if (sum.broke) {
		fprintf(stderr, "\ngrader: the grader broke on %u student%s (not recorded).\n", sum.broke,
			sum.broke == 1 ? "" : "s");
		print_resume(argc, argv);
		status = EXIT_INTERNAL;
	} else {
		status = 0;
	}
done:
	if (signals_set) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
	}
	batch_summary_release(&sum);
	roster_free(&roster);
	sandbox_profile_free(prof);
	challenge_free(c);
	free(db_alloc);
	free(workdir);
	if (lockfd >= 0) {
		unlink(lockpath);
		close(lockfd);
	}
	free(lockpath);
	return status;
}
