/*
 * serve.h - `grader serve`: a small grading service over HTTP.
 *
 * Students submit a repository on a web page or by a push webhook; jobs wait
 * in the SQLite queue (jobq.h); `jobs` worker threads each run one
 * `grader grade` child at a time, so every submission is graded by the same
 * pipeline and the same sandbox as on the command line, and a crash in one
 * grading cannot take the service down. Badges and the shields endpoint are
 * served from the latest graded job of a repository.
 *
 * The HTTP side is libmicrohttpd. What comes from a request or a submission
 * is untrusted: bodies are capped, every value shown in a page is escaped,
 * pages carry a Content-Security-Policy that allows no script at all, forms
 * are protected by a double-submit CSRF token, webhooks by HMAC-SHA-256
 * (constant-time comparison), instructor pages by a bearer token or a
 * password, and clients are rate limited. docs/service.md has the routes.
 *
 * Ownership: serve_config_load() fills a struct serve_config that
 * serve_config_release() frees; serve_run() borrows it.
 */
#ifndef GRADER_SERVE_H
#define GRADER_SERVE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "strlist.h"

struct serve_config {
	char *listen;              /* "127.0.0.1:8080" (default: loopback only) */
	int jobs;                  /* worker threads; default: the machine's cores */
	char *db;                  /* results and queue database */
	char *datadir;             /* grader data folder (challenges) */
	char *grader;              /* the grader binary the workers run */
	struct strlist challenges; /* names offered; default: every bundled one */
	char *default_challenge;   /* webhooks without ?challenge= */
	struct strlist hosts;      /* git hosts allowed in https URLs */
	bool allow_file;           /* accept file:// sources (tests, local courses) */
	char *github_secret;       /* X-Hub-Signature-256 key; NULL: GitHub hook off */
	char *gitlab_token;        /* X-Gitlab-Token; NULL: GitLab hook off */
	char *instructor_token;    /* Authorization: Bearer */
	char *instructor_password; /* or Basic, any user name */
	bool require_student;      /* the form asks for a student identifier */
	int queue_max;             /* queued jobs before 503; default 500 */
	size_t body_max;           /* request body cap (413); default 1 MiB */
	int write_per_minute;      /* POSTs per client per minute (429); default 30 */
	int read_per_minute;       /* GETs per client per minute; default 6000 */
	long job_timeout_s;        /* a grading child is killed after this; default 1800 */
	struct strlist grade_args; /* extra arguments for every `grader grade` */
	char *user;                /* drop to this user when started as root */
};

/* Defaults, then the YAML file `path` (NULL: defaults only). -1 + err with
 * "FILE:LINE:COLUMN: ..." on a bad file. */
int serve_config_load(const char *path, const char *datadir, struct serve_config *c);
void serve_config_release(struct serve_config *c);
/* Replace the string setting *slot with a copy of v (the command line
 * overriding the file). -1 + err on OOM. */
int serve_config_set(char **slot, const char *v);

/* Bind, drop privileges, start the workers and the HTTP daemon, and run
 * until *stop becomes non-zero; then stop taking requests, end the running
 * gradings (their jobs are queued again at the next start) and return.
 * `ready` (may be NULL) is called once listening, with the bound port. */
int serve_run(const struct serve_config *c, volatile sig_atomic_t *stop,
	      void (*ready)(int port, void *ctx), void *ctx);

/* HMAC-SHA-256 webhook signature check: `header` is "sha256=<64 hex>".
 * true only for a well-formed header whose digest matches, compared in
 * constant time. Exposed for the unit tests. */
bool serve_signature_ok(const char *secret, const void *body, size_t len, const char *header);

/* Accept a repository URL for grading: 0 and *slug ("owner/repo",
 * malloc'd), else -1 with err_last() saying why (credentials in the URL, a
 * host not on the list, file:// not allowed, a malformed URL). */
int serve_check_source(const struct serve_config *c, const char *url, char **slug);

#endif
