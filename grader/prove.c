/*
 * prove.c - reference and mutants, graded like any submission.
 *
 * Variants are built with the git command line (copy, `git apply`, commit):
 * mutant patches are plain `diff -ruN` output, which `git apply` reads
 * directly, and this is test-time plumbing, not the grading path, which
 * clones with libgit2 like any other submission.
 */
#include "prove.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "proc.h"

static int run_cmd(const char *const *argv, const char *cwd, struct gbuf *why)
{
	struct gbuf out = GBUF_INIT(16 << 10);
	struct proc_result pr;
	int rc = -1;

	if (proc_run(argv, NULL, cwd, 60000, &out, &pr) < 0)
		goto done;
	if (pr.timed_out || pr.signaled || pr.exit_code != 0) {
		gbuf_addf(why, "%s %s failed: %s", argv[0], argv[1] ? argv[1] : "", gbuf_str(&out));
		rc = 1;
		goto done;
	}
	rc = 0;
done:
	gbuf_release(&out);
	return rc;
}

int prove_make_repo(const char *src_dir, const char *patch, const char *dest, struct gbuf *why)
{
	char *src_dot = NULL;
	int rc = -1;

	if (asprintf(&src_dot, "%s/.", src_dir) < 0) {
		err_set("out of memory");
		goto done;
	}
	{
		const char *mk[] = {"mkdir", "-p", dest, NULL};
		const char *cp[] = {"cp", "-a", src_dot, dest, NULL};
		const char *init[] = {"git", "init", "-q", "-b", "main", ".", NULL};

		if ((rc = run_cmd(mk, NULL, why)) || (rc = run_cmd(cp, NULL, why)) ||
		    (rc = run_cmd(init, dest, why)))
			goto done;
	}
	if (patch) {
		const char *ap[] = {"git", "apply", "-p1", "--whitespace=nowarn", patch, NULL};

		if ((rc = run_cmd(ap, dest, why)))
			goto done;
	}
	{
		const char *add[] = {"git", "add", "-A", ".", NULL};
		const char *commit[] = {"git", "-c", "user.name=grader", "-c", "user.email=grader@example.invalid",
					"-c", "commit.gpgsign=false", "commit", "-q", "-m", "variant", NULL};

		if ((rc = run_cmd(add, dest, why)) || (rc = run_cmd(commit, dest, why)))
			goto done;
	}
	rc = 0;
done:
	free(src_dot);
	return rc;
}

static bool in_list(char *const *list, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], id))
			return true;
	return false;
}

/* Compare a variant's result with what it declares. */
static void judge(const struct mutant *m, struct prove_variant *v)
{
	const struct grade_result *r = &v->result;
	struct gbuf p = GBUF_INIT(4096);
	size_t i;

	if (r->status != RUN_GRADED) {
		gbuf_addf(&p, "not graded (%s): %s", run_status_name(r->status), r->diagnosis ? r->diagnosis : "");
		goto done;
	}
	for (i = 0; i < r->nchecks; i++) {
		const struct check_result *cr = &r->checks[i];
		bool should_fail = m && in_list(m->kills, m->nkills, cr->id);
		bool failed = cr->status != CHECK_PASS;

		if (should_fail && !failed)
			gbuf_addf(&p, "%s'%s' passed but should fail", p.len ? "; " : "", cr->id);
		else if (!should_fail && failed)
			gbuf_addf(&p, "%s'%s' %s but should pass: %s", p.len ? "; " : "", cr->id,
				  check_status_name(cr->status), cr->message ? cr->message : "");
	}
done:
	v->as_declared = p.len == 0;
	v->problem = p.len ? gbuf_detach(&p, NULL) : NULL;
	gbuf_release(&p);
}

static int grade_variant(const struct grade_opts *base, const char *id, const char *patch,
			 const char *work, struct prove_variant *v)
{
	const struct challenge *c = base->challenge;
	struct gbuf why = GBUF_INIT(16 << 10);
	struct grade_opts o = *base;
	char *src = NULL, *repo = NULL, *patch_path = NULL;
	int rc = -1;

	v->id = strdup(id);
	if (!v->id || asprintf(&src, "%s/solution", c->dir) < 0 || asprintf(&repo, "%s/%s", work, id) < 0 ||
	    (patch && asprintf(&patch_path, "%s/%s", c->dir, patch) < 0)) {
		err_set("out of memory");
		goto done;
	}
	rc = prove_make_repo(src, patch_path, repo, &why);
	if (rc < 0)
		goto done;
	if (rc == 1) {
		v->problem = gbuf_detach(&why, NULL);
		v->as_declared = false;
		v->result.status = RUN_INTERNAL_ERROR;
		rc = 0;
		goto done;
	}
	o.source = repo;
	o.ref = NULL;
	rc = grade_run(&o, &v->result);
done:
	free(src);
	free(repo);
	free(patch_path);
	gbuf_release(&why);
	return rc;
}

int prove_run(const struct grade_opts *base, struct prove_report *rep)
{
	const struct challenge *c = base->challenge;
	char tmpl[] = "/tmp/grader-prove-XXXXXX";
	char *work = NULL;
	size_t i, j;
	int rc = -1;

	memset(rep, 0, sizeof(*rep));
	work = mkdtemp(tmpl);
	if (!work) {
		err_set_errno("cannot create a folder for the variants");
		goto done;
	}
	rep->variants = calloc(c->nmutants + 1, sizeof(*rep->variants));
	rep->unkilled = calloc(c->nchecks + 1, sizeof(*rep->unkilled));
	if (!rep->variants || !rep->unkilled) {
		err_set("out of memory");
		goto done;
	}
	if (grade_variant(base, "reference", NULL, work, &rep->variants[0]) < 0)
		goto done;
	rep->nvariants = 1;
	if (!rep->variants[0].problem)
		judge(NULL, &rep->variants[0]);
	for (i = 0; i < c->nmutants; i++) {
		struct prove_variant *v = &rep->variants[rep->nvariants];

		if (grade_variant(base, c->mutants[i].id, c->mutants[i].patch, work, v) < 0)
			goto done;
		rep->nvariants++;
		if (!v->problem)
			judge(&c->mutants[i], v);
	}
	for (i = 0; i < c->nchecks; i++) {
		bool killed = false;

		if (c->checks[i].advisory)
			continue;
		for (j = 0; j < c->nmutants && !killed; j++)
			killed = rep->variants[j + 1].as_declared &&
				 in_list(c->mutants[j].kills, c->mutants[j].nkills, c->checks[i].id);
		if (!killed && !(rep->unkilled[rep->nunkilled++] = strdup(c->checks[i].id))) {
			err_set("out of memory");
			goto done;
		}
	}
	rep->proven = rep->nunkilled == 0;
	for (i = 0; i < rep->nvariants; i++)
		rep->proven = rep->proven && rep->variants[i].as_declared;
	rc = 0;
done:
	if (work)
		grade_remove_tree(work);
	return rc;
}

void prove_report_release(struct prove_report *rep)
{
	size_t i;

	for (i = 0; i < rep->nvariants; i++) {
		free(rep->variants[i].id);
		free(rep->variants[i].problem);
		grade_result_release(&rep->variants[i].result);
	}
	free(rep->variants);
	for (i = 0; i < rep->nunkilled; i++)
		free(rep->unkilled[i]);
	free(rep->unkilled);
	memset(rep, 0, sizeof(*rep));
}

int prove_report_text(const struct prove_report *rep, struct gbuf *out)
{
	size_t i, j;

	for (i = 0; i < rep->nvariants; i++) {
		const struct prove_variant *v = &rep->variants[i];
		const struct grade_result *r = &v->result;

		gbuf_addf(out, "%-4s %-34s %3d/%-3d", v->as_declared ? "ok" : "BAD", v->id, r->score, r->max_score);
		if (i > 0 && r->status == RUN_GRADED) {
			gbuf_adds(out, "  fails:");
			for (j = 0; j < r->nchecks; j++)
				if (r->checks[j].status != CHECK_PASS)
					gbuf_addf(out, " %s", r->checks[j].id);
		}
		gbuf_adds(out, "\n");
		if (v->problem)
			gbuf_addf(out, "     %s\n", v->problem);
	}
	for (i = 0; i < rep->nunkilled; i++)
		gbuf_addf(out, "BAD  check '%s' is killed by no mutant\n", rep->unkilled[i]);
	return gbuf_addf(out, "%s\n", rep->proven ? "suite proven: the reference passes every check and every check is killed"
						  : "suite NOT proven");
}
