/*
 * grade.c - one grading run, phase by phase.
 *
 * The phases map one to one onto the report's statuses: fetch -> fetch-failed,
 * environment -> setup-failed, boot -> boot-failed / timed-out, checks ->
 * graded (or timed-out when the run's limit cut it short). A -1 from any
 * module means the grader broke, never the submission: that, and only that,
 * becomes internal-error.
 */
#include "grade.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "engine.h"
#include "env.h"
#include "err.h"
#include "fetch.h"
#include "http.h"
#include "routes.h"

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

int grade_remove_tree(const char *path)
{
	/* FTW_PHYS: symlinks are removed, never followed; FTW_MOUNT: stay on
	 * this file system. Directories are made writable first? No: we are
	 * their owner, and rmdir needs write on the parent only. */
	if (nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT)
		return err_set_errno("cannot remove %s", path);
	return 0;
}

static void set_diag(struct grade_result *res, enum run_status st, const struct gbuf *d)
{
	res->status = st;
	result_setf(&res->diagnosis, "%s", d->len ? gbuf_str(d) : run_status_name(st));
}

static void set_internal(struct grade_result *res, const char *phase)
{
	res->status = RUN_INTERNAL_ERROR;
	result_setf(&res->diagnosis, "the grader failed during %s: %s", phase, err_last());
}

static int make_workspace(char **ws)
{
	const char *tmp = getenv("TMPDIR");
	char *p = NULL;

	if (asprintf(&p, "%s/grader-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
		return err_set("out of memory");
	if (!mkdtemp(p)) {
		free(p);
		return err_set_errno("cannot create a workspace in %s", tmp && *tmp ? tmp : "/tmp");
	}
	*ws = p;
	return 0;
}

int grade_run(const struct grade_opts *o, struct grade_result *res)
{
	const struct challenge *c = o->challenge;
	struct gbuf diag = GBUF_INIT(64 << 10);
	char *ws = NULL, *checkout = NULL, *state = NULL, *project = NULL;
	char *python = NULL, *cache = NULL, *boot_script = NULL;
	struct app *app = NULL;
	struct http_client *http = NULL;
	struct routes *routes = NULL;
	enum boot_outcome bo;
	long long t0 = engine_now_ms(), t;
	bool ok = false, reused = false, timed_out = false;
	int rc;

	res->started_at = time(NULL);
	result_setf(&res->challenge_id, "%s", c->id);
	result_setf(&res->challenge_title, "%s", c->title);
	result_setf(&res->challenge_dir, "%s", c->dir);
	memcpy(res->suite_sha256, c->suite_sha256, sizeof(res->suite_sha256));
	result_setf(&res->source, "%s", o->source);
	result_setf(&res->ref, "%s", o->ref ? o->ref : "HEAD");
	res->commit[0] = '\0';
	res->status = RUN_GRADED;

	/* fetch */
	t = engine_now_ms();
	if (make_workspace(&ws) < 0 || asprintf(&checkout, "%s/checkout", ws) < 0 ||
	    asprintf(&state, "%s/state", ws) < 0 || mkdir(state, 0700) < 0) {
		set_internal(res, "setup of the workspace");
		goto done;
	}
	if (fetch_global_init() < 0 ||
	    fetch_clone(o->source, o->ref, checkout, res->commit, &ok, &diag) < 0) {
		set_internal(res, "fetch");
		goto done;
	}
	res->t_fetch_ms = engine_now_ms() - t;
	if (!ok) {
		set_diag(res, RUN_FETCH_FAILED, &diag);
		goto done;
	}

	/* environment */
	t = engine_now_ms();
	rc = env_find_project(checkout, &project, &diag);
	if (rc < 0) {
		set_internal(res, "project discovery");
		goto done;
	}
	if (rc == 1) {
		set_diag(res, RUN_SETUP_FAILED, &diag);
		goto done;
	}
	rc = routes_load(checkout, project, &routes, &diag);
	if (rc < 0) {
		set_internal(res, "reading grader.yaml");
		goto done;
	}
	if (rc == 1) {
		set_diag(res, RUN_SETUP_FAILED, &diag);
		goto done;
	}
	if (routes_count(routes)) {
		size_t i;

		res->routes = calloc(routes_count(routes), sizeof(*res->routes));
		if (!res->routes) {
			set_internal(res, "reading grader.yaml");
			goto done;
		}
		for (i = 0; i < routes_count(routes); i++) {
			const char *from, *to;

			routes_get(routes, i, &from, &to);
			result_setf(&res->routes[res->nroutes++], "%s -> %s", from, to);
		}
	}
	cache = o->cache_dir ? strdup(o->cache_dir) : env_default_cache_dir();
	if (!cache) {
		set_internal(res, "environment");
		goto done;
	}
	{
		struct env_opts eo = {
			.cache_dir = cache, .datadir = o->datadir, .python = o->python,
			.checkout = checkout, .project_dir = project,
			.timeout_ms = o->env_timeout_ms ? o->env_timeout_ms : 600000,
		};
		if (env_ensure(&eo, &python, &reused, &ok, &diag) < 0) {
			set_internal(res, "environment");
			goto done;
		}
	}
	res->t_env_ms = engine_now_ms() - t;
	if (!ok) {
		set_diag(res, RUN_SETUP_FAILED, &diag);
		goto done;
	}

	/* boot */
	t = engine_now_ms();
	if (asprintf(&boot_script, "%s/grader/boot/grader_boot.py", o->datadir) < 0) {
		set_internal(res, "boot");
		goto done;
	}
	{
		struct boot_opts bopts = {
			.python = python, .boot_script = boot_script, .project_dir = project,
			.state_dir = state, .users = c->users, .nusers = c->nusers,
			.timeout_ms = o->boot_timeout_ms ? o->boot_timeout_ms : 120000,
			.output_limit = 1 << 20,
		};
		if (app_start(&bopts, &app, &bo, &diag) < 0) {
			set_internal(res, "boot");
			goto done;
		}
	}
	res->t_boot_ms = engine_now_ms() - t;
	if (bo != BOOT_READY) {
		set_diag(res, bo == BOOT_TIMED_OUT ? RUN_TIMED_OUT : RUN_BOOT_FAILED, &diag);
		goto done;
	}

	/* checks */
	t = engine_now_ms();
	{
		struct http_client_opts ho = {
			.host = "127.0.0.1", .port = app_info(app)->port,
		};
		struct engine_opts eo = {
			.challenge = c, .boot = app_info(app), .app = app,
			.request_timeout_ms = o->request_timeout_ms ? o->request_timeout_ms : c->request_timeout_ms,
			.deadline_ms = engine_now_ms() + (o->run_timeout_ms ? o->run_timeout_ms : 300000),
			.nonce = o->nonce,
			.routes = routes,
		};
		if (http_client_new(&ho, &http) < 0) {
			set_internal(res, "checks");
			goto done;
		}
		eo.http = http;
		if (engine_run(&eo, res, &timed_out) < 0) {
			set_internal(res, "checks");
			goto done;
		}
	}
	res->t_checks_ms = engine_now_ms() - t;
	if (timed_out) {
		res->status = RUN_TIMED_OUT;
		result_setf(&res->diagnosis, "the checks did not finish within the run's time limit "
			    "(%ld s); the checks that completed keep their results",
			    (o->run_timeout_ms ? o->run_timeout_ms : 300000) / 1000);
	}
done:
	http_client_free(http);
	app_stop(app);
	routes_free(routes);
	if (ws && !o->keep && grade_remove_tree(ws) < 0 && res->status == RUN_GRADED) {
		/* A workspace we cannot remove is the grader's problem, but the
		 * grade itself stands; leave it for `env prune`-style cleanup. */
		err_clear();
	}
	res->t_total_ms = engine_now_ms() - t0;
	free(ws);
	free(checkout);
	free(state);
	free(project);
	free(python);
	free(cache);
	free(boot_script);
	gbuf_release(&diag);
	return 0;
}
