/*
 * serve.c - the grading service (see serve.h for the design).
 *
 * Threads: libmicrohttpd's own pool answers requests; `jobs` workers claim
 * jobs and run one `grader grade` child each. Each worker has its own queue
 * connection; the request threads share one behind a mutex (every query is
 * an indexed look-up of a few rows, far shorter than a request).
 *
 * Security notes, where they are decided:
 *  - serve_check_source: what a submitted URL may point at (no credentials,
 *    allowed hosts only, file:// only when the configuration says so);
 *  - serve_html_escape: the only way submission text reaches a page;
 *  - serve_page_open: the CSP header that forbids every script, so even an
 *    escaping mistake could not run one;
 *  - serve_signature_ok / serve_token_eq: constant-time secret comparisons;
 *  - serve_rate_ok: per-client token buckets (429);
 *  - serve_body: the body cap (413).
 */
#include "serve.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <yaml.h>

#include "buf.h"
#include "challenge.h"
#include "classreport.h"
#include "err.h"
#include "jobq.h"
#include "monotime.h"
#include "yamlx.h"
#include "sandbox.h"
#include "serve_pages.h"
#include "store.h"

extern char **environ;

#define SERVE_RATE_SLOTS 4096
#define SERVE_CSRF_LEN 32

/* ------------------------------------------------------------------ config */

void serve_config_release(struct serve_config *c)
{
	if (!c)
		return;
	free(c->listen);
	free(c->db);
	free(c->datadir);
	free(c->grader);
	strlist_free(&c->challenges);
	free(c->default_challenge);
	strlist_free(&c->hosts);
	free(c->github_secret);
	free(c->gitlab_token);
	free(c->instructor_token);
	free(c->instructor_password);
	strlist_free(&c->grade_args);
	free(c->user);
	memset(c, 0, sizeof(*c));
}

int serve_config_set(char **slot, const char *v)
{
	char *d = strdup(v);

	if (!d)
		return err_set("out of memory");
	free(*slot);
	*slot = d;
	return 0;
}

static int serve_defaults(struct serve_config *c, const char *datadir)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(c, 0, sizeof(*c));
	c->jobs = cores > 0 ? (int)cores : 1;
	c->queue_max = 500;
	c->body_max = (size_t)1 << 20;
	c->write_per_minute = 30;
	c->read_per_minute = 6000;
	c->job_timeout_s = 1800;
	if (serve_config_set(&c->listen, "127.0.0.1:8080") < 0 || serve_config_set(&c->datadir, datadir) < 0 ||
	    strlist_push(&c->hosts, "github.com") < 0 || strlist_push(&c->hosts, "gitlab.com") < 0)
		return -1;
	return 0;
}

struct cfg_key {
	const char *name;
	enum { K_STR, K_INT, K_BOOL, K_LIST } kind;
	size_t off;       /* offset of the field */
};

#define SC(f) offsetof(struct serve_config, f)
static const struct cfg_key cfg_keys[] = {
	{"listen", K_STR, SC(listen)},
	{"jobs", K_INT, SC(jobs)},
	{"db", K_STR, SC(db)},
	{"challenges", K_LIST, SC(challenges)},
	{"default_challenge", K_STR, SC(default_challenge)},
	{"allowed_hosts", K_LIST, SC(hosts)},
	{"allow_file_urls", K_BOOL, SC(allow_file)},
	{"github_secret", K_STR, SC(github_secret)},
	{"gitlab_token", K_STR, SC(gitlab_token)},
	{"instructor_token", K_STR, SC(instructor_token)},
	{"instructor_password", K_STR, SC(instructor_password)},
	{"require_student", K_BOOL, SC(require_student)},
	{"queue_max", K_INT, SC(queue_max)},
	{"body_max", K_INT, SC(body_max)},
	{"write_per_minute", K_INT, SC(write_per_minute)},
	{"read_per_minute", K_INT, SC(read_per_minute)},
	{"job_timeout", K_INT, SC(job_timeout_s)},
	{"grade_args", K_LIST, SC(grade_args)},
	{"user", K_STR, SC(user)},
};

static int cfg_fail(const char *path, const yaml_node_t *n, const char *what, const char *key)
{
	return err_set("%s:%zu:%zu: %s%s%s", path, yamlx_line(n), yamlx_column(n), what, key ? " " : "",
		       key ? key : "");
}

static int cfg_int(const char *path, const yaml_node_t *v, const char *key, long *out)
{
	char *end = NULL;
	long x;

	if (v->type != YAML_SCALAR_NODE)
		return cfg_fail(path, v, "expected a number for", key);
	errno = 0;
	x = strtol((const char *)v->data.scalar.value, &end, 10);
	if (errno || !end || *end || x < 0 || x > 1L << 40)
		return cfg_fail(path, v, "expected a non-negative number for", key);
	*out = x;
	return 0;
}

static int cfg_set(struct serve_config *c, yaml_document_t *doc, const char *path,
		   const struct cfg_key *k, yaml_node_t *v)
{
	char *base = (char *)c;
	const char *s = (const char *)v->data.scalar.value;
	yaml_node_item_t *it;
	long x = 0;

	switch (k->kind) {
	case K_STR:
		if (v->type != YAML_SCALAR_NODE)
			return cfg_fail(path, v, "expected text for", k->name);
		return serve_config_set((char **)(base + k->off), s);
	case K_BOOL:
		if (v->type != YAML_SCALAR_NODE || (strcmp(s, "true") && strcmp(s, "false")))
			return cfg_fail(path, v, "expected true or false for", k->name);
		*(bool *)(base + k->off) = !strcmp(s, "true");
		return 0;
	case K_INT:
		if (cfg_int(path, v, k->name, &x) < 0)
			return -1;
		if (k->off == SC(body_max))
			c->body_max = (size_t)x;
		else if (k->off == SC(job_timeout_s))
			c->job_timeout_s = x;
		else
			*(int *)(base + k->off) = (int)(x > 1000000 ? 1000000 : x);
		return 0;
	case K_LIST:
		if (v->type != YAML_SEQUENCE_NODE)
			return cfg_fail(path, v, "expected a list for", k->name);
		strlist_free((struct strlist *)(base + k->off));
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			yaml_node_t *e = yaml_document_get_node(doc, *it);

			if (!e || e->type != YAML_SCALAR_NODE)
				return cfg_fail(path, v, "expected a list of text for", k->name);
			if (strlist_push((struct strlist *)(base + k->off), (const char *)e->data.scalar.value) < 0)
				return -1;
		}
		return 0;
	}
	return -1;
}

static int cfg_apply(struct serve_config *c, yaml_document_t *doc, const char *path)
{
	yaml_node_t *root = yaml_document_get_root_node(doc), *k, *v;
	yaml_node_pair_t *p;
	size_t i;

	if (!root)
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return cfg_fail(path, root, "expected a mapping of settings", NULL);
	YAMLX_FOR_PAIRS(doc, root, p, k, v) {
		const char *name = yamlx_scalar(k) ? yamlx_scalar(k) : "";

		for (i = 0; i < sizeof(cfg_keys) / sizeof(cfg_keys[0]); i++)
			if (!strcmp(cfg_keys[i].name, name))
				break;
		if (i == sizeof(cfg_keys) / sizeof(cfg_keys[0]))
			return cfg_fail(path, k, "unknown setting", name);
		if (cfg_set(c, doc, path, &cfg_keys[i], v) < 0)
			return -1;
	}
	return 0;
}

int serve_config_load(const char *path, const char *datadir, struct serve_config *c)
{
	struct gbuf text = GBUF_INIT(0);
	struct yamlx_problem pb;
	yaml_document_t doc;
	int fd = -1, r, rc = -1;
	bool have_doc = false;

	if (serve_defaults(c, datadir) < 0)
		goto done;
	if (!path) {
		rc = 0;
		goto done;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		err_set_errno("%s", path);
		goto done;
	}
	if (gbuf_read_fd(&text, fd, path) < 0)
		goto done;
	if (text.truncated) {
		err_set("%s: larger than %zu MiB", path, GBUF_DEFAULT_LIMIT >> 20);
		goto done;
	}
	r = yamlx_load(text.data, text.len, &doc, &pb);
	if (r == 1)
		err_set("%s:%zu:%zu: %s", path, pb.line, pb.column, pb.problem ? pb.problem : "not YAML");
	if (r != 0)
		goto done;
	have_doc = true;
	rc = cfg_apply(c, &doc, path);
	if (rc == 0 && c->jobs < 1)
		rc = err_set("%s: jobs must be at least 1", path);
done:
	if (have_doc)
		yaml_document_delete(&doc);
	if (fd >= 0)
		close(fd);
	gbuf_release(&text);
	return rc;
}

/* ----------------------------------------------------------- small checks */

static bool serve_token_eq(const char *want, const char *got)
{
	size_t n = strlen(want);

	/* The length is not a secret worth hiding; the content is compared in
	 * constant time. */
	return want[0] && got && strlen(got) == n && CRYPTO_memcmp(want, got, n) == 0;
}

static int serve_hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

bool serve_signature_ok(const char *secret, const void *body, size_t len, const char *header)
{
	unsigned char mac[EVP_MAX_MD_SIZE], got[32];
	unsigned int maclen = 0;
	size_t i;

	if (!secret || !*secret || !header || strncmp(header, "sha256=", 7) || strlen(header) != 71)
		return false;
	for (i = 0; i < 32; i++) {
		int hi = serve_hexval((unsigned char)header[7 + 2 * i]);
		int lo = serve_hexval((unsigned char)header[8 + 2 * i]);

		if (hi < 0 || lo < 0)
			return false;
		got[i] = (unsigned char)(hi << 4 | lo);
	}
	if (!HMAC(EVP_sha256(), secret, (int)strlen(secret), body, len, mac, &maclen) || maclen != 32)
		return false;
	return CRYPTO_memcmp(mac, got, 32) == 0;
}

static bool serve_host_allowed(const struct serve_config *c, const char *host, size_t n)
{
	size_t i;

	for (i = 0; i < c->hosts.n; i++)
		if (strlen(c->hosts.v[i]) == n && !strncasecmp(c->hosts.v[i], host, n))
			return true;
	return false;
}

/* "owner/repo" from the last two parts of a path, without ".git". */
static int serve_slug(const char *path, char **slug)
{
	size_t n = strlen(path), end, mid, start;

	while (n > 0 && path[n - 1] == '/')
		n--;
	if (n >= 4 && !strncmp(path + n - 4, ".git", 4))
		n -= 4;
	end = n;
	mid = end;
	while (mid > 0 && path[mid - 1] != '/')
		mid--;
	if (mid == 0 || mid == end)
		return err_set("the URL names no repository (expected …/OWNER/REPO)");
	start = mid - 1;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (start == mid - 1)
		return err_set("the URL names no repository owner (expected …/OWNER/REPO)");
	*slug = strndup(path + start, end - start);
	return *slug ? 0 : err_set("out of memory");
}

int serve_check_source(const struct serve_config *c, const char *url, char **slug)
{
	const char *p, *host, *path;
	size_t i;

	*slug = NULL;
	for (i = 0; url[i]; i++)
		if (!isalnum((unsigned char)url[i]) && !strchr(":/._~-@+%", url[i]))
			return err_set("the repository URL has a character URLs of git hosts do not use");
	if (i == 0 || i > 400)
		return err_set("the repository URL is empty or longer than 400 characters");
	if (!strncmp(url, "file://", 7)) {
		if (!c->allow_file)
			return err_set("file:// repositories are not accepted by this service");
		if (url[7] != '/' || strstr(url, "/../") || strstr(url, "/./"))
			return err_set("a file:// URL must name an absolute path without . or ..");
		return serve_slug(url + 7, slug);
	}
	if (strncmp(url, "https://", 8))
		return err_set("the repository URL must start with https://");
	host = url + 8;
	path = strchr(host, '/');
	p = strchr(host, '@');
	if (p && (!path || p < path))
		return err_set("credentials do not belong in a repository URL; this service grades public repositories");
	if (!path || !serve_host_allowed(c, host, (size_t)(path - host)))
		return err_set("this service grades repositories on its allowed hosts only");
	if (strstr(path, "/../") || strstr(path, "/./") || strchr(path, '%'))
		return err_set("the repository path is not a plain OWNER/REPO path");
	return serve_slug(path, slug);
}

/* ------------------------------------------------------------ rate limits */

struct rate_slot {
	char client[48];
	double tokens[2];    /* [0] reads, [1] writes */
	double stamp;
};

struct serve {
	const struct serve_config *c;
	struct challenge **ch;       /* loaded, in c->challenges order */
	size_t nch;
	struct jobq *q;              /* the request threads' connection */
	pthread_mutex_t qlock;
	pthread_mutex_t wlock;       /* worker wake-ups */
	pthread_cond_t wake;
	pthread_mutex_t rlock;
	struct rate_slot *rate;
	volatile sig_atomic_t *stop;
	pid_t *children;             /* per worker: the running grade, 0 none */
	pthread_mutex_t replock;     /* the class sites below */
	double *site_made;           /* per challenge: when its class site was made */
	int nworkers;
	char tmpdir[256];
};

/*
 * A token bucket per client and kind, refilled at per_minute/60 a second,
 * holding at most a minute's worth. Clients share the fixed table by hash;
 * a client whose slot is taken by another evicts it (the table cannot grow
 * with the number of clients an attacker can pretend to be).
 */
static bool serve_rate_ok(struct serve *sv, const char *client, bool write, double *retry)
{
	unsigned long h = 5381;
	const char *p;
	struct rate_slot *r;
	double now = monotime_now_s(), rate, cap;
	int per = write ? sv->c->write_per_minute : sv->c->read_per_minute;
	bool ok;

	*retry = 0;
	if (per <= 0)
		return true;
	for (p = client; *p; p++)
		h = h * 33 + (unsigned char)*p;
	rate = per / 60.0;
	cap = per;
	pthread_mutex_lock(&sv->rlock);
	r = &sv->rate[h % SERVE_RATE_SLOTS];
	if (strncmp(r->client, client, sizeof(r->client))) {
		snprintf(r->client, sizeof(r->client), "%s", client);
		r->tokens[0] = sv->c->read_per_minute;
		r->tokens[1] = sv->c->write_per_minute;
		r->stamp = now;
	}
	r->tokens[0] += (now - r->stamp) * (sv->c->read_per_minute / 60.0);
	r->tokens[1] += (now - r->stamp) * (sv->c->write_per_minute / 60.0);
	r->stamp = now;
	if (r->tokens[write] > cap)
		r->tokens[write] = cap;
	if (r->tokens[!write] > (write ? sv->c->read_per_minute : sv->c->write_per_minute))
		r->tokens[!write] = write ? sv->c->read_per_minute : sv->c->write_per_minute;
	ok = r->tokens[write] >= 1.0;
	if (ok)
		r->tokens[write] -= 1.0;
	else
		*retry = (1.0 - r->tokens[write]) / rate;
	pthread_mutex_unlock(&sv->rlock);
	return ok;
}

/* ---------------------------------------------------------------- workers */

struct worker {
	struct serve *sv;
	int index;
	struct jobq *q;
	pthread_t thread;
};

static const struct challenge *serve_challenge(const struct serve *sv, const char *name)
{
	size_t i;

	for (i = 0; i < sv->nch; i++)
		if (!strcmp(sv->c->challenges.v[i], name))
			return sv->ch[i];
	return NULL;
}

/* The child's argv: grade SOURCE --challenge C [--ref R] --db DB --format json --out F ... */
static char **serve_grade_argv(const struct serve *sv, const struct job *j, const char *out)
{
	size_t n = 0, i;
	char **argv = calloc(16 + sv->c->grade_args.n, sizeof(*argv));
	const struct challenge *ch = serve_challenge(sv, j->challenge);

	if (!argv)
		return NULL;
	argv[n++] = sv->c->grader;
	argv[n++] = "grade";
	argv[n++] = j->repo;
	argv[n++] = "--challenge";
	argv[n++] = ch ? ch->dir : j->challenge;
	if (strcmp(j->ref, "HEAD")) {
		argv[n++] = "--ref";
		argv[n++] = j->ref;
	}
	argv[n++] = "--db";
	argv[n++] = sv->c->db;
	/* The run is the student's: the class report and `grader history`
	 * show it. Without an identifier, the repository's OWNER/REPO. */
	argv[n++] = "--student";
	argv[n++] = j->student ? j->student : j->slug;
	argv[n++] = "--format";
	argv[n++] = "json";
	argv[n++] = "--out";
	argv[n++] = (char *)out;
	for (i = 0; i < sv->c->grade_args.n; i++)
		argv[n++] = sv->c->grade_args.v[i];
	argv[n] = NULL;
	return argv;
}

/* Fill the result fields of j from the report the child wrote. */
static void serve_take_report(struct job *j, const char *path)
{
	struct gbuf b = GBUF_INIT((size_t)16 << 20);
	cJSON *root = NULL, *it;

	if (gbuf_read_file(&b, path) < 0 || !(root = cJSON_ParseWithLength(b.data, b.len)))
		goto done;
	if ((it = cJSON_GetObjectItem(root, "status")) && cJSON_IsString(it))
		j->status = strdup(it->valuestring);
	if ((it = cJSON_GetObjectItem(root, "score")) && cJSON_IsNumber(it))
		j->score = it->valueint;
	if ((it = cJSON_GetObjectItem(root, "max_score")) && cJSON_IsNumber(it))
		j->max_score = it->valueint;
	if ((it = cJSON_GetObjectItem(root, "run_id")) && cJSON_IsNumber(it))
		j->run_id = (int64_t)it->valuedouble;
	if ((it = cJSON_GetObjectItem(root, "submission")) &&
	    (it = cJSON_GetObjectItem(it, "commit")) && cJSON_IsString(it) && it->valuestring[0])
		j->commit = strdup(it->valuestring);
	j->report = gbuf_detach(&b, NULL);
done:
	cJSON_Delete(root);
	gbuf_release(&b);
}

/*
 * Run one grading child and wait for it, within the job time limit. The
 * child gets PR_SET_PDEATHSIG: if the service dies (even by SIGKILL), its
 * gradings end too instead of racing the re-queued copies of their jobs.
 * Between fork and exec only async-signal-safe calls (a threaded parent).
 */
static int serve_grade_child(struct worker *w, struct job *j, const char *out, int *wstatus)
{
	char **argv = serve_grade_argv(w->sv, j, out);
	double deadline = monotime_now_s() + (double)w->sv->c->job_timeout_s;
	pid_t pid = 0, r;
	int rc = -1, devnull;

	if (!argv)
		return err_set("out of memory");
	pid = fork();
	if (pid < 0) {
		err_set_errno("cannot start %s", w->sv->c->grader);
		goto done;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
		}
		execve(w->sv->c->grader, argv, environ);
		_exit(127);
	}
	__atomic_store_n(&w->sv->children[w->index], pid, __ATOMIC_SEQ_CST);
	for (;;) {
		r = waitpid(pid, wstatus, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			err_set_errno("waiting for a grading");
			goto done;
		}
		if (monotime_now_s() > deadline) {
			kill(pid, SIGTERM);
			waitpid(pid, wstatus, 0);
			break;
		}
		usleep(20000);
	}
	rc = 0;
done:
	__atomic_store_n(&w->sv->children[w->index], 0, __ATOMIC_SEQ_CST);
	free(argv);
	return rc;
}

static void serve_log_job(const struct job *j, const char *what)
{
	if (j->state == JOB_DONE)
		fprintf(stderr, "serve: job %lld %s %s %d/%d\n", (long long)j->id, what,
			j->status ? j->status : "?", j->score, j->max_score);
	else
		fprintf(stderr, "serve: job %lld %s\n", (long long)j->id, what);
}

static void serve_run_job(struct worker *w, struct job *j)
{
	char out[320];
	int wstatus = 0;

	snprintf(out, sizeof(out), "%s/job-%lld.json", w->sv->tmpdir, (long long)j->id);
	unlink(out);
	serve_log_job(j, "started");
	if (serve_grade_child(w, j, out, &wstatus) < 0) {
		j->state = JOB_FAILED;
		j->error = strdup(err_last());
	} else if (*w->sv->stop) {
		/* The service is stopping: the job stays running in the store and
		 * is queued again at the next start. */
		unlink(out);
		return;
	} else {
		serve_take_report(j, out);
		j->state = j->report && WIFEXITED(wstatus) && (WEXITSTATUS(wstatus) == 0 ||
							       WEXITSTATUS(wstatus) == 3)
				   ? JOB_DONE : JOB_FAILED;
		if (j->state == JOB_FAILED) {
			struct gbuf why = GBUF_INIT(256);

			gbuf_addf(&why, "the grader %s %d", WIFEXITED(wstatus) ? "exited with status"
				  : "was killed by signal", WIFEXITED(wstatus) ? WEXITSTATUS(wstatus)
				  : WTERMSIG(wstatus));
			j->error = gbuf_detach(&why, NULL);
		}
	}
	unlink(out);
	if (jobq_finish(w->q, j) < 0)
		fprintf(stderr, "serve: job %lld: %s\n", (long long)j->id, err_last());
	serve_log_job(j, j->state == JOB_DONE ? "finished" : "failed");
}

static void *serve_worker(void *arg)
{
	struct worker *w = arg;
	struct job j;
	struct timespec ts;
	int got;

	while (!*w->sv->stop) {
		got = jobq_claim(w->q, &j);
		if (got == 0) {
			serve_run_job(w, &j);
			job_release(&j);
			continue;
		}
		if (got < 0)
			fprintf(stderr, "serve: worker %d: %s\n", w->index, err_last());
		pthread_mutex_lock(&w->sv->wlock);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 500000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->sv->wake, &w->sv->wlock, &ts);
		pthread_mutex_unlock(&w->sv->wlock);
	}
	return NULL;
}

static void serve_wake_workers(struct serve *sv)
{
	pthread_mutex_lock(&sv->wlock);
	pthread_cond_broadcast(&sv->wake);
	pthread_mutex_unlock(&sv->wlock);
}

/* ------------------------------------------------------------------- HTTP */

struct req {
	struct gbuf body;
	bool too_large;
	bool responded;
	unsigned status;
	double started;
	char method[8];
	char path[160];
	char client[48];
};

static bool serve_has_header(const char *const *headers, const char *name)
{
	size_t i;

	for (i = 0; headers && headers[i]; i += 2)
		if (!strcasecmp(headers[i], name))
			return true;
	return false;
}

/* Every answer: the caller's headers, then the defaults it did not set. */
static enum MHD_Result serve_reply(struct MHD_Connection *conn, struct req *rq, unsigned status,
				   const char *type, const struct gbuf *body,
				   const char *const *headers)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t i;

	r = MHD_create_response_from_buffer(body ? body->len : 0, body && body->data ? body->data : "",
					    MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	for (i = 0; headers && headers[i]; i += 2)
		MHD_add_response_header(r, headers[i], headers[i + 1]);
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	if (!serve_has_header(headers, "Cache-Control"))
		MHD_add_response_header(r, "Cache-Control", "no-store");
	if (!strncmp(type, "text/html", 9) && !serve_has_header(headers, "Content-Security-Policy"))
		MHD_add_response_header(r, "Content-Security-Policy",
					"default-src 'none'; style-src 'unsafe-inline'; img-src 'self';"
					" form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	rq->status = status;
	rq->responded = true;
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result serve_plain(struct MHD_Connection *conn, struct req *rq, unsigned status,
				   const char *msg, const char *const *headers)
{
	struct gbuf b = GBUF_INIT(4096);
	enum MHD_Result ret;

	gbuf_adds(&b, msg);
	gbuf_addch(&b, '\n');
	ret = serve_reply(conn, rq, status, "text/plain; charset=utf-8", &b, headers);
	gbuf_release(&b);
	return ret;
}

static enum MHD_Result serve_page(struct MHD_Connection *conn, struct req *rq, unsigned status,
				  struct gbuf *html, const char *const *headers)
{
	enum MHD_Result ret = serve_reply(conn, rq, status, "text/html; charset=utf-8", html, headers);

	gbuf_release(html);
	return ret;
}

static const char *serve_header(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* Percent-decode an application/x-www-form-urlencoded value (in place). */
static void serve_urldecode(char *s)
{
	char *o = s;
	int hi, lo;

	for (; *s; s++) {
		if (*s == '+') {
			*o++ = ' ';
		} else if (*s == '%' && (hi = serve_hexval((unsigned char)s[1])) >= 0 &&
			   (lo = serve_hexval((unsigned char)s[2])) >= 0) {
			*o++ = (char)(hi << 4 | lo);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

/* The value of field `name` in a form body, decoded; malloc'd or NULL. */
static char *serve_form_field(const struct gbuf *body, const char *name)
{
	const char *p = body->data ? body->data : "";
	size_t n = strlen(name);

	while (*p) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);

		if (len > n && !strncmp(p, name, n) && p[n] == '=') {
			char *v = strndup(p + n + 1, len - n - 1);

			if (v)
				serve_urldecode(v);
			return v;
		}
		p += len + (amp ? 1 : 0);
	}
	return NULL;
}

/* The grader_csrf cookie, when it is a well-formed token. */
static const char *serve_csrf_cookie(struct MHD_Connection *conn)
{
	const char *v = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "grader_csrf");
	size_t i;

	if (!v || strlen(v) != SERVE_CSRF_LEN)
		return NULL;
	for (i = 0; i < SERVE_CSRF_LEN; i++)
		if (serve_hexval((unsigned char)v[i]) < 0)
			return NULL;
	return v;
}

static int serve_new_token(char out[SERVE_CSRF_LEN + 1])
{
	unsigned char raw[SERVE_CSRF_LEN / 2];
	size_t i;

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return err_set("no random bytes for a CSRF token");
	for (i = 0; i < sizeof(raw); i++)
		sprintf(out + 2 * i, "%02x", raw[i]);
	return 0;
}

/*
 * Double-submit CSRF check: the form's hidden field must equal the cookie
 * the form page set (a cross-site page can make the browser send the cookie
 * but cannot read it to put it in the form), and a browser's Origin, when
 * sent, must be this host.
 */
static bool serve_csrf_ok(struct MHD_Connection *conn, const struct gbuf *body)
{
	const char *cookie = serve_csrf_cookie(conn);
	const char *origin = serve_header(conn, "Origin");
	const char *host = serve_header(conn, "Host");
	char *field = serve_form_field(body, "csrf");
	bool ok = cookie && field && serve_token_eq(cookie, field);

	if (ok && origin && strcmp(origin, "null")) {
		const char *o = strstr(origin, "://");

		ok = o && host && !strcmp(o + 3, host);
	}
	free(field);
	return ok;
}

static enum MHD_Result serve_form(struct MHD_Connection *conn, struct serve *sv, struct req *rq,
				  unsigned status, const char *error, const char *repo)
{
	struct gbuf html = GBUF_INIT((size_t)1 << 20);
	char token[SERVE_CSRF_LEN + 1];
	char cookie[128];
	const char *have = serve_csrf_cookie(conn);
	const char *hdrs[] = {"Set-Cookie", cookie, NULL};

	if (have)
		snprintf(token, sizeof(token), "%s", have);
	else if (serve_new_token(token) < 0)
		return serve_plain(conn, rq, 500, "the service could not make a form token", NULL);
	snprintf(cookie, sizeof(cookie), "grader_csrf=%s; Path=/; HttpOnly; SameSite=Strict", token);
	pages_submit_form(&html, sv->c, (const struct challenge *const *)sv->ch, sv->nch, token, error,
			  repo);
	return serve_page(conn, rq, status, &html, hdrs);
}

static enum MHD_Result serve_queue_reply(struct MHD_Connection *conn, struct req *rq, int pushed,
					 int64_t id, bool existing, bool html)
{
	char loc[64], retry[] = "30";
	const char *h503[] = {"Retry-After", retry, NULL};
	const char *h303[] = {"Location", loc, NULL};
	struct gbuf b = GBUF_INIT(4096);
	enum MHD_Result ret;

	if (pushed < 0)
		return serve_plain(conn, rq, 500, "the service could not queue the job", NULL);
	if (pushed == 1)
		return serve_plain(conn, rq, 503, "the queue is full; try again later", h503);
	snprintf(loc, sizeof(loc), "/jobs/%lld", (long long)id);
	if (html)
		return serve_plain(conn, rq, 303, loc, h303);
	gbuf_addf(&b, "{\"job\":%lld,\"status\":\"/jobs/%lld.json\",\"existing\":%s}\n", (long long)id,
		  (long long)id, existing ? "true" : "false");
	ret = serve_reply(conn, rq, existing ? 200 : 202, "application/json", &b, NULL);
	gbuf_release(&b);
	return ret;
}

static int serve_push(struct serve *sv, struct job *j, bool force, int64_t *id, bool *existing)
{
	int rc;

	pthread_mutex_lock(&sv->qlock);
	rc = jobq_push(sv->q, j, force, sv->c->queue_max, id, existing);
	if (rc < 0)
		fprintf(stderr, "serve: %s\n", err_last());
	pthread_mutex_unlock(&sv->qlock);
	if (rc == 0 && !*existing) {
		fprintf(stderr, "serve: job %lld queued %s %s %s (%s)\n", (long long)*id, j->slug,
			j->ref, j->challenge, j->origin);
		serve_wake_workers(sv);
	}
	return rc;
}

/* Fill the queue fields of a new job; -1 + err when the source is refused. */
static int serve_job_init(struct serve *sv, struct job *j, const char *repo, const char *ref,
			  const char *challenge, const char *student, const char *origin)
{
	const struct challenge *ch = challenge ? serve_challenge(sv, challenge) : NULL;

	memset(j, 0, sizeof(*j));
	if (!ch)
		return err_set("unknown challenge; this service grades: see the form");
	if (serve_check_source(sv->c, repo, &j->slug) < 0)
		return -1;
	j->repo = strdup(repo);
	j->ref = strdup(ref ? ref : "HEAD");
	j->challenge = strdup(challenge);
	j->suite_sha256 = strdup(ch->suite_sha256);
	j->origin = strdup(origin);
	if (student)
		j->student = strdup(student);
	if (!j->repo || !j->ref || !j->challenge || !j->suite_sha256 || !j->origin ||
	    (student && !j->student))
		return err_set("out of memory");
	return 0;
}

static bool serve_student_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._@-", s[i]))
			return false;
	return i > 0 && i <= 64;
}

static enum MHD_Result serve_submit(struct MHD_Connection *conn, struct serve *sv, struct req *rq)
{
	char *repo = serve_form_field(&rq->body, "repository");
	char *challenge = serve_form_field(&rq->body, "challenge");
	char *student = serve_form_field(&rq->body, "student");
	struct job j;
	int64_t id = 0;
	bool existing = false;
	int pushed;
	enum MHD_Result ret;

	memset(&j, 0, sizeof(j));
	if (!serve_csrf_ok(conn, &rq->body)) {
		ret = serve_plain(conn, rq, 403, "the form's CSRF token is missing or wrong: reload the form", NULL);
		goto done;
	}
	if (student && !*student) {
		free(student);
		student = NULL;
	}
	if ((sv->c->require_student && !student) || (student && !serve_student_ok(student))) {
		ret = serve_form(conn, sv, rq, 400, "a student identifier (letters, digits, . _ @ -; at most 64) is required",
				 repo && !strchr(repo, '@') ? repo : NULL);
		goto done;
	}
	if (!repo || serve_job_init(sv, &j, repo, NULL, challenge, student, "form") < 0) {
		/* A URL with credentials is not shown again, not even to its sender. */
		ret = serve_form(conn, sv, rq, 400, repo ? err_last() : "the repository URL is missing",
				 repo && !strchr(repo, '@') ? repo : NULL);
		goto done;
	}
	pushed = serve_push(sv, &j, false, &id, &existing);
	ret = serve_queue_reply(conn, rq, pushed, id, existing, true);
done:
	job_release(&j);
	free(repo);
	free(challenge);
	free(student);
	return ret;
}

/* ---------------------------------------------------------------- hooks */

static const char *serve_json_str(const cJSON *o, const char *a, const char *b)
{
	const cJSON *it = cJSON_GetObjectItem(o, a);

	if (b)
		it = it ? cJSON_GetObjectItem(it, b) : NULL;
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

static const char *serve_hook_challenge(struct MHD_Connection *conn, struct serve *sv)
{
	const char *c = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "challenge");

	return c ? c : sv->c->default_challenge;
}

static enum MHD_Result serve_hook_push(struct MHD_Connection *conn, struct serve *sv, struct req *rq,
				       const char *repo, const char *commit, const char *origin)
{
	struct job j;
	int64_t id = 0;
	bool existing = false;
	int pushed;
	enum MHD_Result ret;
	size_t i;

	if (!repo || !commit || strlen(commit) != 40)
		return serve_plain(conn, rq, 400, "the push names no repository URL or commit", NULL);
	for (i = 0; i < 40; i++)
		if (serve_hexval((unsigned char)commit[i]) < 0)
			return serve_plain(conn, rq, 400, "the pushed commit is not a commit id", NULL);
	if (!strcmp(commit, "0000000000000000000000000000000000000000"))
		return serve_plain(conn, rq, 204, "", NULL);
	if (serve_job_init(sv, &j, repo, commit, serve_hook_challenge(conn, sv), NULL, origin) < 0) {
		ret = serve_plain(conn, rq, 422, err_last(), NULL);
	} else {
		pushed = serve_push(sv, &j, false, &id, &existing);
		ret = serve_queue_reply(conn, rq, pushed, id, existing, false);
	}
	job_release(&j);
	return ret;
}

static enum MHD_Result serve_hook_github(struct MHD_Connection *conn, struct serve *sv, struct req *rq)
{
	const char *event = serve_header(conn, "X-GitHub-Event");
	cJSON *root = NULL;
	const cJSON *deleted;
	enum MHD_Result ret;

	if (!sv->c->github_secret)
		return serve_plain(conn, rq, 404, "GitHub webhooks are not configured", NULL);
	if (!serve_signature_ok(sv->c->github_secret, rq->body.data ? rq->body.data : "", rq->body.len,
				serve_header(conn, "X-Hub-Signature-256")))
		return serve_plain(conn, rq, 401, "bad or missing X-Hub-Signature-256", NULL);
	if (event && !strcmp(event, "ping"))
		return serve_plain(conn, rq, 200, "pong", NULL);
	if (!event || strcmp(event, "push"))
		return serve_plain(conn, rq, 204, "", NULL);
	if (!(root = cJSON_ParseWithLength(rq->body.data ? rq->body.data : "", rq->body.len)))
		return serve_plain(conn, rq, 400, "the push payload is not JSON", NULL);
	deleted = cJSON_GetObjectItem(root, "deleted");
	if (cJSON_IsTrue(deleted))
		ret = serve_plain(conn, rq, 204, "", NULL);
	else
		ret = serve_hook_push(conn, sv, rq, serve_json_str(root, "repository", "clone_url"),
				      serve_json_str(root, "after", NULL), "github");
	cJSON_Delete(root);
	return ret;
}

static enum MHD_Result serve_hook_gitlab(struct MHD_Connection *conn, struct serve *sv, struct req *rq)
{
	const char *event = serve_header(conn, "X-Gitlab-Event");
	cJSON *root = NULL;
	enum MHD_Result ret;

	if (!sv->c->gitlab_token)
		return serve_plain(conn, rq, 404, "GitLab webhooks are not configured", NULL);
	if (!serve_token_eq(sv->c->gitlab_token, serve_header(conn, "X-Gitlab-Token")))
		return serve_plain(conn, rq, 401, "bad or missing X-Gitlab-Token", NULL);
	if (!event || strcmp(event, "Push Hook"))
		return serve_plain(conn, rq, 204, "", NULL);
	if (!(root = cJSON_ParseWithLength(rq->body.data ? rq->body.data : "", rq->body.len)))
		return serve_plain(conn, rq, 400, "the push payload is not JSON", NULL);
	ret = serve_hook_push(conn, sv, rq, serve_json_str(root, "project", "git_http_url"),
			      serve_json_str(root, "checkout_sha", NULL), "gitlab");
	cJSON_Delete(root);
	return ret;
}

/* ------------------------------------------------------------ job pages */

static bool serve_parse_id(const char *s, int64_t *id, const char **rest)
{
	char *end = NULL;
	long long v;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || v <= 0)
		return false;
	*id = v;
	*rest = end;
	return true;
}

static enum MHD_Result serve_job_route(struct MHD_Connection *conn, struct serve *sv, struct req *rq,
				       const char *tail)
{
	struct job j;
	int64_t id = 0;
	const char *rest = NULL;
	int got, pos = 0;
	struct gbuf out = GBUF_INIT((size_t)32 << 20);
	enum MHD_Result ret;

	if (!serve_parse_id(tail, &id, &rest) ||
	    (strcmp(rest, "") && strcmp(rest, ".json") && strcmp(rest, "/report")))
		return serve_plain(conn, rq, 404, "no such page", NULL);
	pthread_mutex_lock(&sv->qlock);
	got = jobq_get(sv->q, id, &j);
	if (got == 0)
		got = jobq_position(sv->q, id, &pos);
	pthread_mutex_unlock(&sv->qlock);
	if (got < 0)
		return serve_plain(conn, rq, 500, "the service could not read the job", NULL);
	if (got == 1)
		return serve_plain(conn, rq, 404, "no such job", NULL);
	if (!strcmp(rest, ".json")) {
		pages_job_json(&out, &j, pos);
		ret = serve_reply(conn, rq, 200, "application/json", &out, NULL);
		gbuf_release(&out);
	} else if (!strcmp(rest, "/report")) {
		if (!j.report)
			ret = serve_plain(conn, rq, 404, "this job has no report yet", NULL);
		else if (pages_report(&out, &j) < 0)
			ret = serve_plain(conn, rq, 500, "the report could not be read", NULL);
		else
			ret = serve_page(conn, rq, 200, &out, NULL);
	} else {
		pages_job_status(&out, &j, pos);
		ret = serve_page(conn, rq, 200, &out, NULL);
	}
	gbuf_release(&out);
	job_release(&j);
	return ret;
}

/* /badge/OWNER/REPO/CHALLENGE.svg or .json */
static enum MHD_Result serve_badge(struct MHD_Connection *conn, struct serve *sv, struct req *rq,
				   const char *tail)
{
	char slug[200], challenge[100], etag[80];
	const char *a = strchr(tail, '/'), *b = a ? strchr(a + 1, '/') : NULL, *dot;
	const char *inm = serve_header(conn, "If-None-Match");
	const char *hdrs[] = {"ETag", etag, "Cache-Control", "public, max-age=60", NULL};
	struct gbuf out = GBUF_INIT((size_t)1 << 20);
	struct job j;
	bool svg;
	int got;
	enum MHD_Result ret;

	dot = b ? strrchr(b, '.') : NULL;
	if (!b || !dot || (size_t)(b - tail) >= sizeof(slug) || (size_t)(dot - b - 1) >= sizeof(challenge) ||
	    (strcmp(dot, ".svg") && strcmp(dot, ".json")) || strchr(b + 1, '/'))
		return serve_plain(conn, rq, 404, "a badge is /badge/OWNER/REPO/CHALLENGE.svg or .json", NULL);
	svg = !strcmp(dot, ".svg");
	snprintf(slug, sizeof(slug), "%.*s", (int)(b - tail), tail);
	snprintf(challenge, sizeof(challenge), "%.*s", (int)(dot - b - 1), b + 1);
	pthread_mutex_lock(&sv->qlock);
	got = jobq_latest_graded(sv->q, slug, challenge, &j);
	pthread_mutex_unlock(&sv->qlock);
	if (got < 0)
		return serve_plain(conn, rq, 500, "the service could not read the store", NULL);
	/* The ETag names the job the badge shows: a new graded push changes it. */
	snprintf(etag, sizeof(etag), "\"%lld-%s\"", got == 0 ? (long long)j.id : 0LL, svg ? "s" : "j");
	if (inm && !strcmp(inm, etag)) {
		ret = serve_reply(conn, rq, 304, svg ? "image/svg+xml" : "application/json", NULL, hdrs);
	} else if (pages_badge(&out, got == 0 ? &j : NULL, challenge, svg) < 0) {
		ret = serve_plain(conn, rq, 500, "the badge could not be drawn", NULL);
	} else {
		ret = serve_reply(conn, rq, 200, svg ? "image/svg+xml" : "application/json", &out, hdrs);
	}
	gbuf_release(&out);
	if (got == 0)
		job_release(&j);
	return ret;
}

/* ------------------------------------------------------ instructor pages */

#define SERVE_SITE_TTL 5.0   /* seconds a class site is served before it is made again */

/* Only the files classreport_write() makes: index.html, students/run-N.html. */
static bool serve_site_file_ok(const char *f)
{
	size_t i = 0;

	if (!strcmp(f, "index.html"))
		return true;
	if (strncmp(f, "students/run-", 13))
		return false;
	for (i = 13; f[i] >= '0' && f[i] <= '9'; i++)
		;
	return i > 13 && !strcmp(f + i, ".html");
}

/* Make the class site of challenge number `ci` again when it is stale. */
static int serve_site_refresh(struct serve *sv, size_t ci, const char *dir)
{
	struct store *st = NULL;
	struct classreport_stats stats;
	int rc = 0;

	pthread_mutex_lock(&sv->replock);
	if (monotime_now_s() - sv->site_made[ci] > SERVE_SITE_TTL) {
		rc = store_open(sv->c->db, &st);
		if (rc == 0)
			rc = classreport_write(st, sv->ch[ci]->id, dir, &stats);
		store_close(st);
		if (rc == 0)
			sv->site_made[ci] = monotime_now_s();
	}
	pthread_mutex_unlock(&sv->replock);
	return rc;
}

/*
 * /instructor/report/CHALLENGE/[FILE]: the same pages as `grader report
 * --html`, made from the store at most every SERVE_SITE_TTL seconds. They
 * carry their own Content-Security-Policy (which lets the index page's own
 * sorting script run, by its hash), so the service's header policy here
 * only forbids framing.
 */
static enum MHD_Result serve_class_site(struct MHD_Connection *conn, struct serve *sv, struct req *rq,
					const char *tail)
{
	const char *slash = strchr(tail, '/');
	const char *file = slash ? slash + 1 : NULL;
	const char *hdrs[] = {"Content-Security-Policy", "frame-ancestors 'none'", NULL};
	char name[128], dir[300], path[400], loc[200];
	const char *h301[] = {"Location", loc, NULL};
	struct gbuf page = GBUF_INIT((size_t)32 << 20);
	size_t ci;
	enum MHD_Result ret;

	snprintf(name, sizeof(name), "%.*s", (int)(slash ? (size_t)(slash - tail) : strlen(tail)), tail);
	for (ci = 0; ci < sv->nch; ci++)
		if (!strcmp(sv->c->challenges.v[ci], name))
			break;
	if (ci == sv->nch)
		return serve_plain(conn, rq, 404, "no such challenge", NULL);
	if (!file) {
		/* The site's links are relative to its folder. */
		snprintf(loc, sizeof(loc), "/instructor/report/%s/", name);
		return serve_plain(conn, rq, 301, loc, h301);
	}
	if (!*file)
		file = "index.html";
	if (!serve_site_file_ok(file))
		return serve_plain(conn, rq, 404, "no such page", NULL);
	snprintf(dir, sizeof(dir), "%s/site-%zu", sv->tmpdir, ci);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (serve_site_refresh(sv, ci, dir) < 0) {
		fprintf(stderr, "serve: class report: %s\n", err_last());
		return serve_plain(conn, rq, 500, "the class report could not be made", NULL);
	}
	if (gbuf_read_file(&page, path) < 0)
		ret = serve_plain(conn, rq, 404, "no such page", NULL);
	else
		ret = serve_reply(conn, rq, 200, "text/html; charset=utf-8", &page, hdrs);
	gbuf_release(&page);
	return ret;
}


static bool serve_instructor_ok(struct MHD_Connection *conn, struct serve *sv)
{
	const char *auth = serve_header(conn, "Authorization");
	char *user = NULL, *pass = NULL;
	bool ok = false;

	if (auth && !strncmp(auth, "Bearer ", 7) && sv->c->instructor_token)
		return serve_token_eq(sv->c->instructor_token, auth + 7);
	if (sv->c->instructor_password) {
		user = MHD_basic_auth_get_username_password(conn, &pass);
		ok = pass && serve_token_eq(sv->c->instructor_password, pass);
		MHD_free(user);
		MHD_free(pass);
	}
	return ok;
}

static enum MHD_Result serve_instructor(struct MHD_Connection *conn, struct serve *sv, struct req *rq,
					const char *tail)
{
	const char *hdrs[] = {"WWW-Authenticate", "Basic realm=\"grader instructor\", Bearer", NULL};
	struct gbuf out = GBUF_INIT((size_t)8 << 20);
	char token[SERVE_CSRF_LEN + 1], cookie[128];
	const char *have = serve_csrf_cookie(conn);
	const char *set[] = {"Set-Cookie", cookie, NULL};
	int rc;

	if (!sv->c->instructor_token && !sv->c->instructor_password)
		return serve_plain(conn, rq, 404, "instructor pages are not configured", NULL);
	if (!serve_instructor_ok(conn, sv))
		return serve_plain(conn, rq, 401, "instructor pages need the instructor token or password", hdrs);
	if (!strcmp(rq->method, "POST") && !strcmp(tail, "regrade")) {
		char *idtxt = serve_form_field(&rq->body, "job");
		int64_t id = 0, nid = 0;
		const char *rest = NULL;
		struct job j;
		bool existing = false;
		int got = -1;
		enum MHD_Result ret;

		if (!serve_csrf_ok(conn, &rq->body) || !idtxt || !serve_parse_id(idtxt, &id, &rest) || *rest) {
			free(idtxt);
			return serve_plain(conn, rq, 400, "regrade needs a job id and the page's CSRF token", NULL);
		}
		free(idtxt);
		pthread_mutex_lock(&sv->qlock);
		got = jobq_get(sv->q, id, &j);
		pthread_mutex_unlock(&sv->qlock);
		if (got != 0)
			return serve_plain(conn, rq, 404, "no such job", NULL);
		free(j.origin);
		j.origin = strdup("instructor");
		got = j.origin ? serve_push(sv, &j, true, &nid, &existing) : -1;
		job_release(&j);
		ret = serve_queue_reply(conn, rq, got, nid, existing, true);
		return ret;
	}
	if (strcmp(rq->method, "GET"))
		return serve_plain(conn, rq, 405, "method not allowed", NULL);
	if (!strncmp(tail, "report/", 7))
		return serve_class_site(conn, sv, rq, tail + 7);
	if (have)
		snprintf(token, sizeof(token), "%s", have);
	else if (serve_new_token(token) < 0)
		return serve_plain(conn, rq, 500, "no token", NULL);
	snprintf(cookie, sizeof(cookie), "grader_csrf=%s; Path=/; HttpOnly; SameSite=Strict", token);
	pthread_mutex_lock(&sv->qlock);
	if (!strcmp(tail, "") || !strcmp(tail, "queue"))
		rc = pages_instructor_queue(&out, sv->c, sv->q, token);
	else
		rc = 1;
	pthread_mutex_unlock(&sv->qlock);
	if (rc == 1) {
		gbuf_release(&out);
		return serve_plain(conn, rq, 404, "no such page", NULL);
	}
	if (rc < 0) {
		gbuf_release(&out);
		return serve_plain(conn, rq, 500, "the page could not be made", NULL);
	}
	return serve_page(conn, rq, 200, &out, set);
}

/* --------------------------------------------------------------- routing */

static enum MHD_Result serve_route(struct MHD_Connection *conn, struct serve *sv, struct req *rq,
				   const char *url)
{
	bool get = !strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD");
	bool post = !strcmp(rq->method, "POST");
	struct gbuf html = GBUF_INIT((size_t)1 << 20);

	if (get && !strcmp(url, "/"))
		return serve_form(conn, sv, rq, 200, NULL, NULL);
	if (post && !strcmp(url, "/submit"))
		return serve_submit(conn, sv, rq);
	if (get && !strncmp(url, "/jobs/", 6))
		return serve_job_route(conn, sv, rq, url + 6);
	if (get && !strncmp(url, "/badge/", 7))
		return serve_badge(conn, sv, rq, url + 7);
	if (post && !strcmp(url, "/hooks/github"))
		return serve_hook_github(conn, sv, rq);
	if (post && !strcmp(url, "/hooks/gitlab"))
		return serve_hook_gitlab(conn, sv, rq);
	if (!strcmp(url, "/instructor") || !strncmp(url, "/instructor/", 12))
		return serve_instructor(conn, sv, rq, url[11] ? url + 12 : "");
	if (get && !strcmp(url, "/favicon.ico"))
		return serve_plain(conn, rq, 204, "", NULL);
	if (get && !strcmp(url, "/healthz"))
		return serve_plain(conn, rq, 200, "ok", NULL);
	if (!get && !post)
		return serve_plain(conn, rq, 405, "method not allowed", NULL);
	pages_not_found(&html);
	return serve_page(conn, rq, 404, &html, NULL);
}

static void serve_client(struct MHD_Connection *conn, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, n, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)n);
}

/*
 * libmicrohttpd calls this once when the headers are in, then with each
 * piece of the body, then once more with no data. The body is kept up to
 * body_max; a larger one is read and dropped, then refused with 413 (a
 * declared Content-Length over the cap is refused at once).
 */
static enum MHD_Result serve_handler(void *cls, struct MHD_Connection *conn, const char *url,
				     const char *method, const char *version, const char *upload_data,
				     size_t *upload_size, void **con_cls)
{
	struct serve *sv = cls;
	struct req *rq = *con_cls;
	const char *len;
	double retry = 0;
	char after[32];
	const char *h429[] = {"Retry-After", after, NULL};
	bool write;

	(void)version;
	if (!rq) {
		if (!(rq = calloc(1, sizeof(*rq))))
			return MHD_NO;
		gbuf_init(&rq->body, sv->c->body_max + 1);
		rq->started = monotime_now_s();
		snprintf(rq->method, sizeof(rq->method), "%s", method);
		snprintf(rq->path, sizeof(rq->path), "%s", url);
		serve_client(conn, rq->client, sizeof(rq->client));
		*con_cls = rq;
		write = strcmp(method, "GET") && strcmp(method, "HEAD");
		if (!serve_rate_ok(sv, rq->client, write, &retry)) {
			snprintf(after, sizeof(after), "%d", (int)retry + 1);
			return serve_plain(conn, rq, 429, "too many requests; slow down", h429);
		}
		len = serve_header(conn, "Content-Length");
		if (len && strtoull(len, NULL, 10) > sv->c->body_max)
			return serve_plain(conn, rq, 413, "the request body is too large", NULL);
		return MHD_YES;
	}
	if (rq->responded) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		if (rq->body.len + *upload_size > sv->c->body_max)
			rq->too_large = true;
		else
			gbuf_add(&rq->body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->too_large)
		return serve_plain(conn, rq, 413, "the request body is too large", NULL);
	return serve_route(conn, sv, rq, url);
}

static void serve_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			    enum MHD_RequestTerminationCode toe)
{
	struct req *rq = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!rq)
		return;
	/* One line per request; the path only (a query string may carry a
	 * token someone pasted), never a header or a body. */
	fprintf(stderr, "serve: %s %s %s %u %.1fms\n", rq->client, rq->method, rq->path, rq->status,
		(monotime_now_s() - rq->started) * 1000.0);
	gbuf_release(&rq->body);
	free(rq);
	*con_cls = NULL;
}

/* ------------------------------------------------------------ lifecycle */

static int serve_listen(const char *spec, int *fd_out, int *port_out)
{
	char host[64];
	const char *colon = strrchr(spec, ':');
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = -1, one = 1, port;

	memset(&ss, 0, sizeof(ss));
	if (!colon || (size_t)(colon - spec) >= sizeof(host) || (port = atoi(colon + 1)) < 0 || port > 65535)
		return err_set("--listen %s: expected ADDRESS:PORT", spec);
	snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = 0;
	}
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		((struct sockaddr_in *)&ss)->sin_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
		sl = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
		sl = sizeof(struct sockaddr_in6);
	} else {
		return err_set("--listen %s: not a numeric IPv4 or IPv6 address", spec);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set_errno("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 128) < 0) {
		err_set_errno("cannot listen on %s", spec);
		close(fd);
		return -1;
	}
	sl = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	*port_out = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						  : ((struct sockaddr_in6 *)&ss)->sin6_port);
	*fd_out = fd;
	return 0;
}

/* Started as root: become `user` before touching anything a request can
 * reach (the socket is bound already, so a low port still works). */
static int serve_drop_privileges(const char *user)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	if (!user)
		return err_set("refusing to serve as root: set `user:` in the configuration to an unprivileged account");
	if (!(pw = getpwnam(user)) || pw->pw_uid == 0)
		return err_set("user %s: no such unprivileged account", user);
	if (setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0)
		return err_set_errno("cannot become %s", user);
	if (setuid(0) == 0)
		return err_set("dropping privileges to %s did not stick", user);
	/* The gradings read $HOME (git's global configuration): the user's
	 * own, never root's. Still single-threaded here. */
	if (setenv("HOME", pw->pw_dir && *pw->pw_dir ? pw->pw_dir : "/nonexistent", 1) < 0 ||
	    setenv("USER", user, 1) < 0 || setenv("LOGNAME", user, 1) < 0)
		return err_set_errno("cannot set HOME for %s", user);
	return 0;
}

static int serve_load_challenges(struct serve *sv)
{
	const struct serve_config *c = sv->c;
	size_t i;

	if (!(sv->ch = calloc(c->challenges.n ? c->challenges.n : 1, sizeof(*sv->ch))))
		return err_set("out of memory");
	for (i = 0; i < c->challenges.n; i++) {
		char *dir = challenge_resolve(c->datadir, c->challenges.v[i]);

		if (!dir || challenge_load(dir, &sv->ch[i]) < 0) {
			free(dir);
			return err_wrap("challenge %s", c->challenges.v[i]);
		}
		free(dir);
		sv->nch++;
	}
	return 0;
}

static void serve_release(struct serve *sv)
{
	size_t i;

	for (i = 0; i < sv->nch; i++)
		challenge_free(sv->ch[i]);
	free(sv->ch);
	jobq_close(sv->q);
	free(sv->rate);
	free(sv->children);
	free(sv->site_made);
	/* The class sites are the service's own files, made as its user. */
	if (sv->tmpdir[0])
		sandbox_remove_tree(sv->tmpdir);
}

static int serve_start_workers(struct serve *sv, struct worker *w)
{
	int i;

	for (i = 0; i < sv->nworkers; i++) {
		w[i].sv = sv;
		w[i].index = i;
		if (jobq_open(sv->c->db, false, &w[i].q) < 0)
			return -1;
		if (pthread_create(&w[i].thread, NULL, serve_worker, &w[i]) != 0) {
			jobq_close(w[i].q);
			w[i].q = NULL;
			return err_set("cannot start a worker thread");
		}
	}
	return 0;
}

static void serve_stop_workers(struct serve *sv, struct worker *w)
{
	int i;
	pid_t pid;

	for (i = 0; i < sv->nworkers; i++) {
		pid = __atomic_load_n(&sv->children[i], __ATOMIC_SEQ_CST);
		if (pid > 0)
			kill(pid, SIGTERM);
	}
	serve_wake_workers(sv);
	for (i = 0; i < sv->nworkers; i++) {
		if (w[i].q) {
			pthread_join(w[i].thread, NULL);
			jobq_close(w[i].q);
		}
	}
}

int serve_run(const struct serve_config *c, volatile sig_atomic_t *stop,
	      void (*ready)(int port, void *ctx), void *ctx)
{
	struct serve sv;
	struct worker *w = NULL;
	struct MHD_Daemon *d = NULL;
	int fd = -1, port = 0, rc = -1;

	memset(&sv, 0, sizeof(sv));
	sv.c = c;
	sv.stop = stop;
	sv.nworkers = c->jobs;
	pthread_mutex_init(&sv.qlock, NULL);
	pthread_mutex_init(&sv.wlock, NULL);
	pthread_mutex_init(&sv.rlock, NULL);
	pthread_mutex_init(&sv.replock, NULL);
	pthread_cond_init(&sv.wake, NULL);
	if (serve_listen(c->listen, &fd, &port) < 0 || serve_drop_privileges(c->user) < 0)
		goto done;
	if (serve_load_challenges(&sv) < 0 || jobq_open(c->db, true, &sv.q) < 0)
		goto done;
	snprintf(sv.tmpdir, sizeof(sv.tmpdir), "%s/grader-serve-XXXXXX",
		 getenv("TMPDIR") && strlen(getenv("TMPDIR")) < 200 ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(sv.tmpdir)) {
		sv.tmpdir[0] = 0;
		err_set_errno("cannot make a temporary folder");
		goto done;
	}
	sv.rate = calloc(SERVE_RATE_SLOTS, sizeof(*sv.rate));
	sv.children = calloc((size_t)sv.nworkers, sizeof(*sv.children));
	w = calloc((size_t)sv.nworkers, sizeof(*w));
	sv.site_made = calloc(sv.nch ? sv.nch : 1, sizeof(*sv.site_made));
	if (!sv.rate || !sv.children || !w || !sv.site_made) {
		err_set("out of memory");
		goto done;
	}
	if (serve_start_workers(&sv, w) < 0)
		goto done;
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL,
			     serve_handler, &sv, MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_THREAD_POOL_SIZE, 4U, MHD_OPTION_CONNECTION_LIMIT, 512U,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, 128U, MHD_OPTION_CONNECTION_TIMEOUT, 15U,
			     MHD_OPTION_NOTIFY_COMPLETED, serve_completed, &sv, MHD_OPTION_END);
	if (!d) {
		err_set("the HTTP server could not start");
		goto done;
	}
	fd = -1; /* the daemon owns it now */
	fprintf(stderr, "serve: listening on %s (port %d), %d worker%s\n", c->listen, port, sv.nworkers,
		sv.nworkers == 1 ? "" : "s");
	if (ready)
		ready(port, ctx);
	while (!*stop)
		usleep(100000);
	fprintf(stderr, "serve: stopping; running jobs will be graded again at the next start\n");
	rc = 0;
done:
	if (d)
		MHD_stop_daemon(d);
	if (fd >= 0)
		close(fd);
	if (w)
		serve_stop_workers(&sv, w);
	free(w);
	serve_release(&sv);
	return rc;
}
