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
#include "monotime.h"
#include "timeouts.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "causes.h"
#include "engine.h"
#include "env.h"
#include "err.h"
#include "fetch.h"
#include "http.h"
#include "routes.h"
#include "source.h"
#include "strlist.h"
#include "tree.h"
#include "worktree.h"

int grade_remove_tree(const char *path)
{
	return sandbox_remove_tree(path);
}

/* The folder of an environment's interpreter: <env>/bin/python -> <env>. */
static char *env_root_of(const char *python)
{
	char *p = strdup(python), *slash;
	int i;

	for (i = 0; p && i < 2; i++) {
		slash = strrchr(p, '/');
		if (!slash || slash == p)
			break;
		*slash = '\0';
	}
	return p;
}

/* The installation the environment's interpreter really is, when it lives
 * outside /usr (pyenv, /opt): it must be visible inside the sandbox too. */
static char *python_prefix_outside_usr(const char *python)
{
	char *real = realpath(python, NULL), *slash;
	int i;

	if (!real)
		return NULL;
	if (!strncmp(real, "/usr/", 5)) {
		free(real);
		return NULL;
	}
	for (i = 0; i < 2; i++) {
		slash = strrchr(real, '/');
		if (!slash || slash == real)
			break;
		*slash = '\0';
	}
	return real;
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

/* The points a submission can earn: every scored check's (advisory checks
 * are worth none), as the engine adds them up. */
static int max_score_of(const struct challenge *c)
{
	size_t i;
	int sum = 0;

	for (i = 0; i < c->nchecks; i++)
		if (!c->checks[i].advisory)
			sum += c->checks[i].points;
	return sum;
}

int grade_max_score(const struct challenge *c)
{
	return max_score_of(c);
}

/*
 * A local SOURCE's working tree. With --worktree it is copied as it is
 * (ignored files left out) in place of a clone, and the commit recorded is
 * HEAD's; without, uncommitted changes only earn a warning, since the last
 * commit is what gets graded. -1 + err, 0, or FETCH_FAILED (diag says why).
 */
static int fetch_worktree(const struct grade_opts *o, struct grade_result *res, const char *checkout,
			  struct gbuf *diag)
{
	size_t changed = 0;
	int r = worktree_status(o->source, &changed, res->commit);

	/* The status of an untrusted tree can fail (nesting past libgit2's
	 * limit): no warning then, and for --worktree a fetch failure; the
	 * clone's own checks judge the repository otherwise. */
	if (r < 0 && !o->worktree) {
		err_clear();
		r = 1;
	} else if (r < 0) {
		res->commit[0] = '\0';
		return gbuf_addf(diag, "%s", err_last()) < 0 ? err_set("out of memory") : FETCH_FAILED;
	}
	if (o->worktree && r == 1) {
		res->commit[0] = '\0';
		return gbuf_addf(diag, "--worktree grades a local repository's working tree, and %s is not one",
				 o->source) < 0 ? err_set("out of memory") : FETCH_FAILED;
	}
	if (o->worktree) {
		if (changed)
			result_setf(&res->warning, "graded the working tree as it is: %zu uncommitted change%s "
				    "on top of commit %.12s", changed, changed == 1 ? "" : "s",
				    res->commit[0] ? res->commit : "(none)");
		return worktree_copy(o->source, checkout);
	}
	res->commit[0] = '\0';
	if (r == 0 && changed && !o->ref)
		result_setf(&res->warning, "%s has %zu uncommitted change%s, which were not graded: the last "
			    "commit was (commit them, or grade with --worktree)", o->source, changed,
			    changed == 1 ? "" : "s");
	return 0;
}

/*
 * A checkout the caller fetched already (grade_opts.prefetched), confined
 * and capped as our own clone would be: moving it into the workspace is
 * the whole fetch phase (no second clone, and no status of a working tree
 * the run does not grade). -1: the grader broke (res says so).
 */
static int fetch_prefetched(const struct grade_opts *o, struct grade_result *res, const char *checkout,
			    struct gbuf *notes)
{
	int rc = -1;

	if (rename(o->prefetched, checkout) < 0) {
		err_set_errno("cannot move the fetched checkout %s into the workspace", o->prefetched);
	} else if (o->prefetched_notes && gbuf_adds(notes, o->prefetched_notes) < 0) {
		err_set("out of memory");
	} else {
		snprintf(res->commit, sizeof(res->commit), "%s", o->prefetched_commit);
		rc = 0;
	}
	if (rc < 0)
		set_internal(res, "fetch");
	return rc;
}

/* The fetch phase: a clone of SOURCE, or with --worktree a copy of its
 * working tree. -1: the grader broke (res says so); 0 fetched; >0 an enum
 * fetch_outcome (diag says why). */
static int fetch_source(const struct grade_opts *o, struct grade_result *res, const char *checkout,
			struct gbuf *diag, struct gbuf *notes)
{
	struct fetch_opts fo = {
		.source = o->source, .ref = o->ref, .dest = checkout,
		.timeout_ms = o->fetch_timeout_ms, .limits = o->fetch_limits,
		.credentials_file = o->credentials_file,
	};
	int rc;

	if (o->prefetched)
		return fetch_prefetched(o, res, checkout, notes);
	rc = fetch_worktree(o, res, checkout, diag);
	if (rc < 0) {
		set_internal(res, "copying the working tree");
		return -1;
	}
	if (rc == 0 && !o->worktree) {
		char *scratch = NULL, *gitdir = NULL;
		/* The clone's git directory in memory (fetch_opts.gitdir), removed
		 * right after: only the commit's files reach the workspace. With
		 * --keep it stays in the checkout, for inspection. */
		if (!o->keep && fetch_gitdir_make(&o->fetch_limits, &scratch, &gitdir) < 0) {
			set_internal(res, "fetch");
			return -1;
		}
		fo.gitdir = gitdir;
		rc = fetch_clone_opts(&fo, res->commit, diag, notes);
		if (rc < 0)
			set_internal(res, "fetch");
		if (scratch && grade_remove_tree(scratch) < 0) {
			result_setf(&res->teardown_error, "the clone's scratch folder %s could not be removed: %s",
				    scratch, err_last());
			err_clear();
		}
		free(gitdir);
		free(scratch);
	}
	return rc;
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
	/* A root grader's https clone runs as the run's sandbox uid (fetch.c):
	 * its group may enter the workspace (0710) to write the checkout; no
	 * one else may. */
	if (geteuid() == 0) {
		gid_t g = (gid_t)sandbox_host_uid(SANDBOX_ROOT, (unsigned)getpid() % 4096);

		if (chown(p, 0, g) < 0 || chmod(p, 0710) < 0) {
			err_set_errno("cannot prepare the workspace %s", p);
			rmdir(p);
			free(p);
			return -1;
		}
	}
	*ws = p;
	return 0;
}

static void progress(const struct grade_opts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Tell the caller which phase starts (it decides whether to print). */
static void progress(const struct grade_opts *o, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!o->progress)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	o->progress(o->progress_ctx, msg);
}

/* The app's private writable copy of the checkout (tree.h). 0; else the
 * result is set (internal-error, or setup-failed for a tree nested past
 * the cap: the submission's doing) and the run ends. */
static int grade_copy_for_app(const struct grade_opts *o, const char *checkout, const char *app_dir,
			      unsigned slot, struct grade_result *res, struct gbuf *diag)
{
	int rc = tree_copy(checkout, app_dir,
			   o->sandbox_mode == SANDBOX_NONE ? (uid_t)-1 : sandbox_host_uid(o->sandbox_mode, slot),
			   1, NULL);

	if (rc < 0) {
		set_internal(res, "copying the checkout for the app");
	} else if (rc == 1) {
		gbuf_reset(diag);
		gbuf_addf(diag, "%s; the app's copy of the checkout cannot be made", err_last());
		set_diag(res, RUN_SETUP_FAILED, diag);
	}
	return rc;
}

/* Remove the run's workspace, or say where it was kept. One we cannot
 * remove is the grader's problem, but the grade itself stands: the command
 * layer says so on stderr, never silently. */
static void grade_teardown(const struct grade_opts *o, const char *ws, struct grade_result *res)
{
	if (!ws)
		return;
	if (o->keep) {
		result_setf(&res->workspace, "%s", ws);
	} else if (grade_remove_tree(ws) < 0) {
		result_setf(&res->teardown_error, "the workspace %s could not be removed: %s", ws, err_last());
		err_clear();
	}
}

/* How the run got its environment, for the report's line. */
static const char *env_fate(const struct env_info *ei)
{
	if (ei->private_env)
		return "; environment private to this submission";
	return ei->reused ? "; environment reused" : "; environment built";
}

/* Submodules not fetched, LFS pointers (fetch.h): what the student should
 * know when the run did not go through (it may be why). */
static void add_fetch_notes(struct grade_result *res, const struct gbuf *notes)
{
	char *longer = NULL;

	if (!notes->len || res->status == RUN_GRADED || res->status == RUN_INTERNAL_ERROR || !res->diagnosis)
		return;
	if (asprintf(&longer, "%s\nNote: %s", res->diagnosis, gbuf_str(notes)) >= 0) {
		free(res->diagnosis);
		res->diagnosis = longer;
	}
}

/*
 * One run, phase by phase: each phase takes what the earlier ones left in
 * the state and returns 0 to go on, or 1 when the run ends here (the
 * result already says why: a submission status or internal-error).
 */
struct grade_state {
	const struct grade_opts *o;
	struct grade_result *res;
	struct gbuf diag;
	struct gbuf fetch_notes;  /* submodules, LFS (fetch.h) */
	char *ws, *checkout, *state, *project, *python, *cache, *boot_script, *boot_dir;
	char *env_root, *py_prefix, *app_dir, *app_project;
	unsigned slot;            /* distinct per concurrent grader (sandbox uid) */
	struct app *app;
	struct sandbox_reservation *rsv;  /* the app's cgroups, joined while we fetch */
	struct http_client *http;
	struct routes *routes;
	bool timed_out;           /* the checks ran out of the run's time */
	bool conda_noted;         /* note_conda_environment looked (once a run) */
	struct strlist grouped;   /* env_info's inferred_grouped, for the checks' words */
	char *py_spec, *py_from;  /* the Python the project asks for, and where (env_info) */
};

static long run_timeout_ms(const struct grade_opts *o)
{
	return o->run_timeout_ms ? o->run_timeout_ms : GRADER_RUN_TIMEOUT_MS;
}

/* What the result says before anything runs. */
static void grade_begin(const struct grade_opts *o, struct grade_result *res)
{
	const struct challenge *c = o->challenge;

	res->started_at = time(NULL);
	result_setf(&res->challenge_id, "%s", c->id);
	result_setf(&res->challenge_title, "%s", c->title);
	result_setf(&res->challenge_dir, "%s", c->dir);
	memcpy(res->suite_sha256, c->suite_sha256, sizeof(res->suite_sha256));
	/* What reports and the store show: never a credential of the URL. */
	free(res->source);
	res->source = source_redact(o->source);
	result_setf(&res->ref, "%s", o->ref ? o->ref : "HEAD");
	res->commit[0] = '\0';
	res->status = RUN_GRADED;
	/* The challenge's maximum from the start: a run that is not graded
	 * still says out of how much (contracts §1). */
	res->max_score = max_score_of(c);
	if (o->sandbox_mode != SANDBOX_NONE) {
		result_setf(&res->sandbox_mode, "%s", sandbox_mode_name(o->sandbox_mode));
		result_setf(&res->sandbox_profile, "%s",
			    o->sandbox_profile ? sandbox_profile_name(o->sandbox_profile) : "default");
	}
}

/* The workspace, and the submission cloned into it. */
static int grade_fetch(struct grade_state *g)
{
	const struct grade_opts *o = g->o;
	long long t = monotime_now_ms();
	int rc;

	progress(o, "fetching %s", g->res->source);
	if (make_workspace(&g->ws) < 0 || asprintf(&g->checkout, "%s/checkout", g->ws) < 0 ||
	    asprintf(&g->state, "%s/state", g->ws) < 0 || mkdir(g->state, 0700) < 0) {
		set_internal(g->res, "setup of the workspace");
		return 1;
	}
	rc = fetch_source(o, g->res, g->checkout, &g->diag, &g->fetch_notes);
	if (rc < 0)
		return 1;
	g->res->t_fetch_ms = monotime_now_ms() - t;
	if (rc > 0) {
		set_diag(g->res, RUN_FETCH_FAILED, &g->diag);
		return 1;
	}
	return 0;
}

/* "at the root" or "in capstone": where a project found below the
 * checkout is. */
static void where_project(struct gbuf *out, const char *rel)
{
	if (*rel)
		gbuf_addf(out, "in %s", rel);
	else
		gbuf_adds(out, "at the root");
}

/* Add `text` to the run's warning, after the source's own if any. */
static void grade_warn(struct grade_state *g, const char *text)
{
	if (g->res->warning)
		result_setf(&g->res->warning, "%s; %s", g->res->warning, text);
	else
		result_setf(&g->res->warning, "%s", text);
}

/* How many folders down a repository-relative path is ("a/b": 2). */
static size_t path_depth(const char *rel)
{
	size_t n = 1;

	for (; *rel; rel++)
		n += *rel == '/' && rel[1];
	return n;
}

/* The repository holds other projects than the one graded (a course
 * portfolio, h375): the run's warning names them and how to choose, beside
 * the source's own warning if there is one. */
static void note_other_projects(struct grade_state *g, const struct strlist *others)
{
	struct gbuf w = GBUF_INIT(2048);
	const char *rel = g->project + strlen(g->checkout);
	size_t i, shown = others->n < 5 ? others->n : 4;
	bool tie = false;

	rel += *rel == '/';
	gbuf_addf(&w, "the repository holds %zu Django projects: graded the one ", others->n + 1);
	where_project(&w, rel);
	/* Another as near the root: the first by name was taken, which says
	 * nothing of which is meant (h631: last week's exercise beside the
	 * shop, both one folder down). */
	for (i = 0; *rel && i < others->n && !tie; i++)
		tie = *others->v[i] && path_depth(others->v[i]) == path_depth(rel);
	gbuf_adds(&w, tie ? " (the first by name of those nearest the root), not "
			  : *rel ? " (the nearest the root), not " : ", not ");
	for (i = 0; i < shown; i++) {
		gbuf_adds(&w, i == 0 ? "" : i + 1 == shown && shown == others->n ? " or " : ", ");
		where_project(&w, others->v[i]);
	}
	if (shown < others->n)
		gbuf_addf(&w, " and %zu more", others->n - shown);
	gbuf_addf(&w, "; to grade another, name its folder in a grader.yaml at the root, such as project: %s",
		  *others->v[0] ? others->v[0] : ".");
	grade_warn(g, gbuf_str(&w));
	gbuf_release(&w);
}

/* No grader.yaml was read, but a file meant as one is there
 * (routes_misplaced): its routes are not applied, and every check then
 * fails on 404s with no word of why (h390); the run's warning names it. */
static void note_misplaced_routes(struct grade_state *g)
{
	char found[300], w[400];

	if (!routes_misplaced(g->checkout, g->project, found, sizeof(found)))
		return;
	snprintf(w, sizeof(w), "%s is not read: the grader reads grader.yaml beside manage.py or at the "
		 "repository's root", found);
	grade_warn(g, w);
}

/* A grader.yaml with a key the grader does not read (`route:` for
 * `routes:`, h438): its lines map nothing; the run's warning names it. */
static void note_unread_route_keys(struct grade_state *g)
{
	char found[160], w[400];

	if (!routes_unread_keys(g->checkout, g->project, found, sizeof(found)))
		return;
	snprintf(w, sizeof(w), "grader.yaml: %s %s not a key the grader reads, so nothing under it was "
		 "applied; the grader reads routes: (a path of the challenge: your path, one per line) and "
		 "project: (the folder of manage.py)", found, strchr(found, ',') ? "are" : "is");
	grade_warn(g, w);
}

/* No requirements file, but conda's environment.yml (h489: an Anaconda
 * learner's only list of packages): the default runtime was used, its
 * pins unread, and nothing said so. The run's warning names the file and
 * what the grader reads instead. Said once, however many environments. */
static void note_conda_environment(struct grade_state *g)
{
	static const char *const names[] = { "environment.yml", "environment.yaml" };
	const char *dirs[2] = { g->project, g->checkout };
	char path[PATH_MAX], w[400];
	struct stat st;
	size_t i, j;

	if (g->conda_noted)
		return;
	g->conda_noted = true;
	for (i = 0; i < 2; i++)
		for (j = 0; j < 2 && dirs[i]; j++) {
			snprintf(path, sizeof(path), "%s/%s", dirs[i], names[j]);
			if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
				continue;
			snprintf(w, sizeof(w), "%s is conda's, which the grader does not read (its default runtime was "
				 "used): list the packages in requirements.txt too, as pip list --format=freeze "
				 "writes them", names[j]);
			grade_warn(g, w);
			return;
		}
}

/* The folder holding manage.py (the one the root's grader.yaml names, or
 * the one found), and the submission's grader.yaml routes. */
static int grade_find_project(struct grade_state *g)
{
	struct grade_result *res = g->res;
	struct strlist others = STRLIST_INIT;
	char *want = NULL;
	size_t i;
	int rc;

	rc = routes_project(g->checkout, &want, &g->diag);
	if (rc == 0)
		rc = env_find_project(g->checkout, want, &g->project, &others, &g->diag);
	if (rc == 0 && others.n)
		note_other_projects(g, &others);
	free(want);
	strlist_free(&others);
	if (rc != 0) {
		if (rc < 0)
			set_internal(res, "project discovery");
		else
			set_diag(res, RUN_SETUP_FAILED, &g->diag);
		return 1;
	}
	rc = routes_load(g->checkout, g->project, &g->routes, &g->diag);
	if (rc != 0) {
		if (rc < 0)
			set_internal(res, "reading grader.yaml");
		else
			set_diag(res, RUN_SETUP_FAILED, &g->diag);
		return 1;
	}
	note_unread_route_keys(g);
	if (!g->routes) {
		note_misplaced_routes(g);
		return 0;
	}
	res->routes_loaded = true;
	res->routes = calloc(routes_count(g->routes) + 1, sizeof(*res->routes));
	if (!res->routes) {
		set_internal(res, "reading grader.yaml");
		return 1;
	}
	for (i = 0; i < routes_count(g->routes); i++) {
		const char *from, *to;
		struct route_pair *rp = &res->routes[res->nroutes++];

		routes_get(g->routes, i, &from, &to);
		result_setf(&rp->from, "%s", from);
		result_setf(&rp->to, "%s", to);
	}
	return 0;
}

/* The virtualenv (env.h), and the lines the report shows about it. */
static int grade_environment(struct grade_state *g, long long t, const char *python, const char *why)
{
	const struct grade_opts *o = g->o;
	struct grade_result *res = g->res;
	struct env_info ei;
	int rc;

	free(g->cache);
	g->cache = o->cache_dir ? strdup(o->cache_dir) : env_default_cache_dir();
	if (!g->cache) {
		set_internal(res, "environment");
		return 1;
	}
	{
		struct env_opts eo = {
			.cache_dir = g->cache, .datadir = o->datadir,
			.python = python ? python : o->python, .python_reason = why,
			.checkout = g->checkout, .project_dir = g->project,
			.timeout_ms = o->env_timeout_ms ? o->env_timeout_ms : GRADER_ENV_TIMEOUT_MS,
			/* Installing runs in a sandbox of the same back-end
			 * (with the host's network); SANDBOX_NONE here means
			 * --unsafe-no-sandbox. A private env (requirements not
			 * pinned by their text) lives and dies with the
			 * workspace. */
			.sandbox_mode = o->sandbox_mode,
			.sandbox_slot = g->slot,
			.unsafe_no_sandbox = o->sandbox_mode == SANDBOX_NONE,
			.private_dir = g->ws,
		};

		memset(&ei, 0, sizeof(ei));
		rc = env_ensure_info(&eo, &ei, &g->diag);
	}
	if (rc < 0) {
		env_info_release(&ei);
		set_internal(res, "environment");
		return 1;
	}
	/* What the student should know when their versions matter. A
	 * requirements file that could not be read stops the phase before an
	 * interpreter is chosen (h417: "Python ?, default; requirements:
	 * (default runtime); environment built" was said of a file that was
	 * not text): only what was found, and that nothing was built. */
	if (!ei.base_version && rc > 0)
		result_setf(&res->environment, "requirements: %s, not usable (see the diagnosis); no "
			    "environment built", ei.requirements_source ? ei.requirements_source : "(default runtime)");
	else
		result_setf(&res->environment, "Python %s, %s; requirements: %s%s%s%s%s",
			    ei.base_version ? ei.base_version : "?",
			    ei.python_reason ? ei.python_reason : "default",
			    ei.requirements_source ? ei.requirements_source : "(default runtime)",
			    ei.grouped_from ? " (" : "", ei.grouped_from ? ei.grouped_from : "",
			    ei.grouped_from ? " lists packages only in groups)" : "",
			    rc > 0 && !ei.reused ? "; environment not built" : env_fate(&ei));
	if (ei.grouped_from)
		result_setf(&res->env_declare_in, "%s", ei.grouped_from);
	result_setf(&res->env_python, "%s", ei.base_version ? ei.base_version : "?");
	result_setf(&res->env_python_reason, "%s", ei.python_reason ? ei.python_reason : "default");
	result_setf(&res->env_requirements_source, "%s",
		    ei.requirements_source ? ei.requirements_source : "(default runtime)");
	if (!result_has_requirements(res->env_requirements_source))
		note_conda_environment(g);
	/* The inferred distributions move to the report. */
	res->env_inferred = ei.inferred;
	res->nenv_inferred = ei.ninferred;
	ei.inferred = NULL;
	ei.ninferred = 0;
	if (!g->py_spec && ei.python_spec) {
		/* The first environment's: the project's own request, not
		 * a retry's --python-like choice. */
		g->py_spec = ei.python_spec;
		g->py_from = ei.python_from;
		ei.python_spec = ei.python_from = NULL;
	}
	strlist_free(&g->grouped);
	g->grouped.v = ei.inferred_grouped;
	g->grouped.n = g->grouped.cap = ei.ninferred_grouped;
	ei.inferred_grouped = NULL;
	ei.ninferred_grouped = 0;
	/* So do the pins relaxed so that the requirements install. */
	res->env_relaxed = ei.relaxed;
	res->nenv_relaxed = ei.nrelaxed;
	ei.relaxed = NULL;
	ei.nrelaxed = 0;
	/* And the lines left out (a Windows-only package, mysqlclient); a
	 * retry's are freed with the boot it undoes (grade_undo_boot). */
	res->env_left_out = ei.left_out;
	res->nenv_left_out = ei.nleft_out;
	ei.left_out = NULL;
	ei.nleft_out = 0;
	g->python = ei.python;
	ei.python = NULL;
	env_info_release(&ei);
	res->t_env_ms = monotime_now_ms() - t;
	if (rc > 0) {
		set_diag(res, RUN_SETUP_FAILED, &g->diag);
		return 1;
	}
	return 0;
}

/* The app's private copy of the checkout and the paths its sandbox shows. */
static int grade_prepare_boot(struct grade_state *g)
{
	const struct grade_opts *o = g->o;

	char *run_from = NULL;

	if (asprintf(&g->boot_dir, "%s/grader/boot", o->datadir) < 0 ||
	    !(g->env_root = env_root_of(g->python)) ||
	    !(run_from = env_boot_dir(g->env_root, g->boot_dir)) ||
	    asprintf(&g->boot_script, "%s/run_boot.py", run_from) < 0) {
		g->boot_script = NULL;
		free(run_from);
		set_internal(g->res, "boot");
		return 1;
	}
	free(run_from);
	g->py_prefix = python_prefix_outside_usr(g->python);
	/* The app runs in a private writable copy of its checkout, owned by
	 * the sandbox's uid: settings that make staticfiles/ or logs/ at import
	 * work as on the student's machine, and the checkout stays as fetched. */
	if (strncmp(g->project, g->checkout, strlen(g->checkout)) != 0) {
		err_set("the project folder %s is not inside the checkout", g->project);
		set_internal(g->res, "boot");
		return 1;
	}
	if (asprintf(&g->app_dir, "%s/app", g->ws) < 0 ||
	    asprintf(&g->app_project, "%s%s", g->app_dir, g->project + strlen(g->checkout)) < 0) {
		g->app_dir = g->app_project = NULL;
		set_internal(g->res, "boot");
		return 1;
	}
	return grade_copy_for_app(o, g->checkout, g->app_dir, g->slot, g->res, &g->diag) != 0;
}

/* Start the app (boot.h). */
static int grade_boot(struct grade_state *g)
{
	const struct grade_opts *o = g->o;
	const struct challenge *c = o->challenge;
	long long t = monotime_now_ms();
	int rc;

	progress(o, "environment ready (%s); booting the app",
		 g->res->environment ? g->res->environment : "?");
	if (grade_prepare_boot(g) != 0)
		return 1;
	{
		struct boot_opts bopts = {
			.python = g->python, .boot_script = g->boot_script, .project_dir = g->app_project,
			.app_dir = g->app_dir,
			.state_dir = g->state, .users = c->users, .nusers = c->nusers,
			.timeout_ms = o->boot_timeout_ms ? o->boot_timeout_ms : GRADER_BOOT_TIMEOUT_MS,
			.output_limit = 1 << 20,
			.sandbox_mode = o->sandbox_mode, .sandbox_profile = o->sandbox_profile,
			/* Distinct per concurrent grader: root mode runs each sandbox
			 * as its own uid 60000 + slot. */
			.sandbox_slot = g->slot, .sandbox_reservation = g->rsv,
		};
		const char *ro[] = { g->env_root, g->boot_dir, g->checkout, g->py_prefix };
		/* Where a missing package belongs, for the boot's hint: the
		 * file the environment came from (pyproject.toml, h254), or
		 * requirements.txt beside manage.py when there is none. */
		const char *src = result_requirements_file(g->res);
		char reqs[320];
		/* A challenge of a browser's pages: the boot mints no token
		 * and says the session's scheme (challenge.h, h534). */
		char repo[PATH_MAX + 32];
		/* The repository's root as the app sees it: manage.py in a
		 * folder of it may put ../packages/... on sys.path (h802). */
		const char *extra[] = { reqs, repo, "GRADER_SIGN_IN=session" };

		snprintf(reqs, sizeof(reqs), "GRADER_REQUIREMENTS=%s",
			 strcmp(src, "requirements.txt") ? src : "requirements.txt beside manage.py");
		snprintf(repo, sizeof(repo), "GRADER_REPO_ROOT=%s", g->app_dir ? g->app_dir : g->checkout);
		bopts.extra_env = extra;
		bopts.nextra_env = c->sign_in_session ? 3 : 2;
		bopts.ro_paths = ro;
		bopts.nro_paths = g->py_prefix ? 4 : 3;
		bopts.sandbox_wall_ms = bopts.timeout_ms + run_timeout_ms(o) + GRADER_SANDBOX_WALL_MARGIN_MS;
		rc = app_start(&bopts, &g->app, &g->diag);
	}
	if (rc < 0) {
		set_internal(g->res, "boot");
		return 1;
	}
	g->res->t_boot_ms = monotime_now_ms() - t;
	if (rc == BOOT_READY) {
		_Static_assert(RESULT_BOOT_PHASES == BOOT_NPHASES, "boot phase count");
		memcpy(g->res->t_boot_phase_ms, app_info(g->app)->phase_ms,
		       sizeof(g->res->t_boot_phase_ms));
		g->res->boot_phases_known = true;
	}
	if (rc != BOOT_READY) {
		set_diag(g->res, rc == BOOT_TIMED_OUT ? RUN_TIMED_OUT : RUN_BOOT_FAILED, &g->diag);
		return 1;
	}
	result_setf(&g->res->auth_scheme, "%s",
		    app_info(g->app)->auth_scheme ? app_info(g->app)->auth_scheme : "session");
	/* Which Django the pins gave (h523 could not tell 4.2 from 5.2). */
	if (app_info(g->app)->django_version && *app_info(g->app)->django_version)
		result_setf(&g->res->env_django, "%s", app_info(g->app)->django_version);
	return 0;
}

/* "needs Python 3.12 or newer" in a boot diagnosis (the boot module's
 * explanation of a SyntaxError only a newer Python accepts): "3.12" into
 * ver, else false. */
static bool boot_needs_python(const char *diag, char *ver, size_t n)
{
	const char *p = diag ? strstr(diag, "needs Python ") : NULL;
	int major = 0, minor = 0, used = 0;

	if (!p || sscanf(p, "needs Python %d.%d or newe%n", &major, &minor, &used) != 2 || !used)
		return false;
	snprintf(ver, n, "%d.%d", major, minor);
	return true;
}

/* Undo a boot that failed and the environment it ran in, so that both are
 * made again with another interpreter: the app's copy, its state folder, a
 * private env and what the result said of them. 0, or 1 (internal error set). */
static int grade_undo_boot(struct grade_state *g)
{
	struct grade_result *res = g->res;
	char *priv = NULL;
	size_t i;
	int rc = 1;

	if (asprintf(&priv, "%s/env", g->ws) < 0) {
		priv = NULL;
		goto done;
	}
	if ((g->app_dir && access(g->app_dir, F_OK) == 0 && grade_remove_tree(g->app_dir) < 0) ||
	    (access(priv, F_OK) == 0 && grade_remove_tree(priv) < 0) ||
	    grade_remove_tree(g->state) < 0 || mkdir(g->state, 0700) < 0)
		goto done;
	free(res->diagnosis);
	res->diagnosis = NULL;
	res->status = RUN_GRADED;
	gbuf_reset(&g->diag);
	for (i = 0; i < res->nenv_inferred; i++)
		free(res->env_inferred[i]);
	free(res->env_inferred);
	res->env_inferred = NULL;
	res->nenv_inferred = 0;
	strlist_free(&g->grouped);
	env_pins_free(res->env_relaxed, res->nenv_relaxed);
	res->env_relaxed = NULL;
	res->nenv_relaxed = 0;
	for (i = 0; i < res->nenv_left_out; i++)
		free(res->env_left_out[i]);
	free(res->env_left_out);
	res->env_left_out = NULL;
	res->nenv_left_out = 0;
	free(g->python);
	free(g->boot_script);
	free(g->boot_dir);
	free(g->env_root);
	free(g->py_prefix);
	free(g->app_dir);
	free(g->app_project);
	g->python = g->boot_script = g->boot_dir = g->env_root = g->py_prefix = g->app_dir =
		g->app_project = NULL;
	rc = 0;
done:
	if (rc)
		set_internal(res, "boot");
	free(priv);
	return rc;
}

/* Does the PEP 440 set `spec` allow some Python `need` ("3.12") or newer?
 * 1 yes, 0 no, -1 not understood (h416: '==3.14.*' allows code needing
 * 3.12; '==3.10.*' does not). */
static int spec_allows_from(const char *spec, const char *need)
{
	char v[16];
	int major = 0, minor = 0, m, r, seen = 0;

	if (sscanf(need, "%d.%d", &major, &minor) != 2)
		return -1;
	for (m = minor; m < 100; m++) {
		snprintf(v, sizeof(v), "%d.%d", major, m);
		r = env_python_allows(spec, v);
		if (r == 1)
			return 1;
		seen |= r == 0;
	}
	return seen ? 0 : -1;
}

/*
 * The environment, then the boot. Code that needs a newer Python than the
 * one chosen (the boot says so: a 3.12-only f-string) is given the newest
 * installed interpreter that has it (env_find_python: python3.X, the
 * operator's list, uv's Pythons), environment and boot made again; when
 * there is none, the diagnosis says which version is needed and that none
 * is installed. --python is the operator's choice: never overridden.
 */
static int grade_env_boot(struct grade_state *g, long long t)
{
	char need[16], spec[24], *path = NULL, *version = NULL, *why = NULL, *had = NULL;
	int r, rc = 1;

	if (grade_environment(g, t, NULL, NULL) != 0)
		return 1;
	if (grade_boot(g) == 0)
		return 0;
	if (g->o->python || g->res->status != RUN_BOOT_FAILED ||
	    !boot_needs_python(g->res->diagnosis, need, sizeof(need)))
		return 1;
	snprintf(spec, sizeof(spec), ">=%s", need);
	/* The project named a Python the code cannot run on (3.12 syntax
	 * beside a .python-version of 3.10): it would crash where it is
	 * deployed, so it is not graded on another (h393: rebuilt on 3.13
	 * and scored 100 without a word). A request that allows the newer
	 * one (requires-python >= 3.10) is no obstacle. */
	if (g->py_spec && spec_allows_from(g->py_spec, need) == 0) {
		const char *d = g->res->diagnosis;
		int first = (int)strcspn(d, "\n");

		result_setf(&g->res->diagnosis, "%.*s, but %s asks for Python '%s', which rules that out: name a "
			    "version the code runs on%s", first, d, g->py_from, g->py_spec, d + first);
		goto done;
	}
	r = env_find_python(g->cache, spec, &path, &version);
	if (r < 0) {
		set_internal(g->res, "environment");
		goto done;
	}
	if (r == 1) {
		/* Said on the diagnosis's first line, before the traceback. */
		const char *d = g->res->diagnosis;
		int first = (int)strcspn(d, "\n");

		result_setf(&g->res->diagnosis, "%.*s; no Python %s or newer is installed on the grading "
			    "machine (python3.X on PATH and in /usr/bin, $GRADER_PYTHONS, uv's Pythons), "
			    "so it could not be used instead%s", first, d, need, d + first);
		goto done;
	}
	had = g->res->env_python ? strdup(g->res->env_python) : NULL;
	/* The project's own Python, newer still, not installed (h416:
	 * .python-version 3.14, uv's default): said beside the choice. */
	if (asprintf(&why, "the code needs Python %s or newer (the boot found syntax Python %s "
		     "rejects); using %s, the newest installed%s%s%s%s%s", need, had ? had : "?", version,
		     g->py_spec && env_python_allows(g->py_spec, version) == 0 ? " (" : "",
		     g->py_spec && env_python_allows(g->py_spec, version) == 0 ? g->py_from : "",
		     g->py_spec && env_python_allows(g->py_spec, version) == 0 ? " asks for '" : "",
		     g->py_spec && env_python_allows(g->py_spec, version) == 0 ? g->py_spec : "",
		     g->py_spec && env_python_allows(g->py_spec, version) == 0 ? "', which is not installed)"
									      : "") < 0) {
		why = NULL;
		set_internal(g->res, "environment");
		goto done;
	}
	progress(g->o, "the code needs Python %s or newer; making its environment with %s", need, path);
	if (grade_undo_boot(g) != 0)
		goto done;
	t = monotime_now_ms();
	if (grade_environment(g, t, path, why) == 0 && grade_boot(g) == 0)
		rc = 0;
done:
	free(path);
	free(version);
	free(why);
	free(had);
	return rc;
}

/* The checks (engine.h) against the running app. */
static int grade_checks(struct grade_state *g)
{
	const struct grade_opts *o = g->o;
	const struct challenge *c = o->challenge;
	struct app *app = g->app;
	long long t = monotime_now_ms();
	struct http_client_opts ho = {
		.host = "127.0.0.1", .port = app_info(app)->port, .app_https = app_info(app)->https,
		.accept = c->sign_in_session ? HTTP_ACCEPT_BROWSER : HTTP_ACCEPT_JSON,
	};
	struct engine_opts eo = {
		.challenge = c, .boot = app_info(app), .app = app,
		.request_timeout_ms = o->request_timeout_ms ? o->request_timeout_ms : c->request_timeout_ms,
		.deadline_ms = monotime_now_ms() + run_timeout_ms(o),
		.nonce = o->nonce,
		.routes = g->routes,
		.inferred = (const char *const *)g->res->env_inferred, .ninferred = g->res->nenv_inferred,
		.grouped = (const char *const *)g->grouped.v, .ngrouped = g->grouped.n,
		/* A project without a requirements file is told so, not of a
		 * requirements.txt that does not declare a package (h318). */
		.requirements = result_has_requirements(g->res->env_requirements_source) || g->res->env_declare_in
				? result_requirements_file(g->res)
				: "requirements.txt",
		.requirements_none = !result_has_requirements(g->res->env_requirements_source) &&
				     !g->res->env_declare_in,
	};
	int rc;

	progress(o, "app booted; running %zu checks", c->nchecks);
	/* A sandbox has a loopback of its own: the grader's sockets are
	 * made in there by the sandbox's PID 1 (see sandbox.h). */
	if (app_sandboxed(app)) {
		ho.open_socket = app_open_socket;
		ho.open_socket_ctx = app;
	}
	eo.open_socket = ho.open_socket;
	eo.open_socket_ctx = ho.open_socket_ctx;
	eo.jobs = o->jobs_checks;
	if (http_client_new(&ho, &g->http) < 0) {
		set_internal(g->res, "checks");
		return 1;
	}
	eo.http = g->http;
	rc = engine_run(&eo, g->res);
	if (rc < 0) {
		set_internal(g->res, "checks");
		return 1;
	}
	g->timed_out = rc == ENGINE_TIMED_OUT;
	g->res->t_checks_ms = monotime_now_ms() - t;
	if (!g->timed_out)
		engine_system_checks(&eo, g->res);
	return 0;
}

/* After the checks: the app's URL paths, root causes, and a limit that
 * cut the run short. */
static void grade_conclude(struct grade_state *g)
{
	const struct boot_info *bi = app_info(g->app);
	struct grade_result *res = g->res;
	const char *v = app_verdict(g->app);
	size_t k;

	if (bi->nurl_paths && !res->app_paths) {
		res->app_paths = calloc(bi->nurl_paths, sizeof(*res->app_paths));
		for (k = 0; res->app_paths && k < bi->nurl_paths; k++)
			if ((res->app_paths[k] = strdup(bi->url_paths[k])))
				res->napp_paths++;
	}
	/* Uploads graded on local files where the project keeps them on a
	 * remote store (S3, Cloudinary...), which the sandbox cannot reach:
	 * said, or a 100 read as S3 working (h792). */
	if (bi->storages_swapped) {
		char w[400];

		snprintf(w, sizeof(w), "uploads were graded on local files: the sandbox reaches no remote store, so "
			 "%s was replaced by Django's FileSystemStorage (MEDIA_ROOT, served at MEDIA_URL)",
			 bi->storages_swapped);
		grade_warn(g, w);
	}
	if (causes_find(res, g->o->challenge) < 0) {
		set_internal(res, "checks");
		return;
	}
	if (v) {
		/* A limit hit during the checks: the completed checks keep their
		 * results, and the report says which limit it was. */
		if (!strcmp(v, "wall time") || !strcmp(v, "cpu"))
			res->status = RUN_TIMED_OUT;
		result_setf(&res->diagnosis, "the app hit the sandbox's %s limit during the checks; "
			    "the checks that completed keep their results", v);
	} else if (g->timed_out) {
		res->status = RUN_TIMED_OUT;
		result_setf(&res->diagnosis, "the checks did not finish within the run's time limit "
			    "(%ld s); the checks that completed keep their results",
			    run_timeout_ms(g->o) / 1000);
	}
}

/* Stop everything, say what the student should know, free the state. */
static void grade_end(struct grade_state *g)
{
	struct grade_result *res = g->res;

	add_fetch_notes(res, &g->fetch_notes);
	http_client_free(g->http);
	app_stop(g->app);
	/* After the app: its PID 1 is the reservation thread's child. */
	sandbox_reservation_free(g->rsv);
	/* Tracebacks name the student's files as in their repository. */
	result_relativize(res, g->app_dir);
	result_relativize(res, g->checkout);
	routes_free(g->routes);
	grade_teardown(g->o, g->ws, res);
	free(g->ws);
	free(g->checkout);
	free(g->state);
	free(g->project);
	free(g->python);
	free(g->cache);
	free(g->boot_script);
	free(g->boot_dir);
	free(g->env_root);
	free(g->py_prefix);
	free(g->app_dir);
	free(g->app_project);
	gbuf_release(&g->diag);
	gbuf_release(&g->fetch_notes);
	strlist_free(&g->grouped);
	free(g->py_spec);
	free(g->py_from);
}

int grade_run(const struct grade_opts *o, struct grade_result *res)
{
	struct grade_state g;
	long long t0 = monotime_now_ms(), t;

	memset(&g, 0, sizeof(g));
	g.o = o;
	g.res = res;
	g.diag = (struct gbuf)GBUF_INIT(64 << 10);
	g.fetch_notes = (struct gbuf)GBUF_INIT(4096);
	g.slot = (unsigned)getpid() % 4096;
	grade_begin(o, res);
	/* The app's sandbox cgroups made and joined while the fetch, the
	 * copy and the environment go on: a cgroup v1 move waits for an RCU
	 * grace period, which the spawn would otherwise wait for. */
	g.rsv = sandbox_reserve(o->sandbox_mode, o->sandbox_profile);
	if (grade_fetch(&g) == 0) {
		progress(o, "fetched commit %.12s; finding the project and making its environment",
			 res->commit);
		t = monotime_now_ms();
		if (grade_find_project(&g) == 0 && grade_env_boot(&g, t) == 0 &&
		    grade_checks(&g) == 0)
			grade_conclude(&g);
	}
	grade_end(&g);
	res->t_total_ms = monotime_now_ms() - t0;
	return 0;
}
