#include "result.h"
#include "exitcode.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t result_warnings(const struct grade_result *r, const char *w[RESULT_WARNINGS_MAX])
{
	size_t n = 0;

	if (r->warning)
		w[n++] = r->warning;
	if (r->system_checks)
		w[n++] = r->system_checks;
	return n;
}

void grade_result_release(struct grade_result *r)
{
	size_t i;

	for (i = 0; i < r->nchecks; i++) {
		free(r->checks[i].id);
		free(r->checks[i].title);
		free(r->checks[i].category);
		free(r->checks[i].message);
		free(r->checks[i].unkept);
		free(r->checks[i].unkept_key);
	}
	free(r->checks);
	for (i = 0; i < r->ncauses; i++) {
		size_t j;

		free(r->causes[i].text);
		for (j = 0; j < r->causes[i].nchecks; j++)
			free(r->causes[i].checks[j]);
		free(r->causes[i].checks);
		for (j = 0; j < r->causes[i].nroutes; j++)
			free(r->causes[i].routes[j]);
		free(r->causes[i].routes);
	}
	free(r->causes);
	r->causes = NULL;
	r->ncauses = 0;
	for (i = 0; i < r->napp_paths; i++)
		free(r->app_paths[i]);
	free(r->app_paths);
	r->app_paths = NULL;
	r->napp_paths = 0;
	free(r->workspace);
	r->workspace = NULL;
	for (i = 0; i < r->nroutes; i++) {
		free(r->routes[i].from);
		free(r->routes[i].to);
	}
	free(r->routes);
	r->routes = NULL;
	r->nroutes = 0;
	for (i = 0; i < r->nenv_inferred; i++)
		free(r->env_inferred[i]);
	free(r->env_inferred);
	r->env_inferred = NULL;
	r->nenv_inferred = 0;
	env_pins_free(r->env_relaxed, r->nenv_relaxed);
	r->env_relaxed = NULL;
	r->nenv_relaxed = 0;
	for (i = 0; i < r->nenv_left_out; i++)
		free(r->env_left_out[i]);
	free(r->env_left_out);
	r->env_left_out = NULL;
	r->nenv_left_out = 0;
	free(r->env_python);
	free(r->env_python_reason);
	free(r->env_requirements_source);
	free(r->env_django);
	r->env_django = NULL;
	free(r->env_declare_in);
	r->env_declare_in = NULL;
	free(r->auth_scheme);
	free(r->warning);
	r->warning = NULL;
	free(r->system_checks);
	r->system_checks = NULL;
	r->env_python = r->env_python_reason = r->env_requirements_source = r->auth_scheme = NULL;
	free(r->challenge_id);
	free(r->challenge_title);
	free(r->challenge_dir);
	free(r->source);
	free(r->ref);
	free(r->diagnosis);
	free(r->sandbox_mode);
	free(r->sandbox_profile);
	free(r->environment);
	r->environment = NULL;
	free(r->student);
	free(r->selection);
	free(r->grader_version);
	r->student = r->selection = r->grader_version = NULL;
	free(r->teardown_error);
	r->teardown_error = NULL;
	r->checks = NULL;
	r->nchecks = 0;
	r->challenge_id = r->challenge_title = r->challenge_dir = NULL;
	r->source = r->ref = r->diagnosis = NULL;
	r->sandbox_mode = r->sandbox_profile = NULL;
}

const char *run_status_name(enum run_status s)
{
	switch (s) {
	case RUN_GRADED: return "graded";
	case RUN_FETCH_FAILED: return "fetch-failed";
	case RUN_SETUP_FAILED: return "setup-failed";
	case RUN_BOOT_FAILED: return "boot-failed";
	case RUN_TIMED_OUT: return "timed-out";
	case RUN_INTERNAL_ERROR: return "internal-error";
	}
	return "internal-error";
}

const char *check_status_name(enum check_status s)
{
	switch (s) {
	case CHECK_PASS: return "pass";
	case CHECK_FAIL: return "fail";
	case CHECK_ERROR: return "error";
	case CHECK_SKIP: return "skip";
	}
	return "error";
}

const char *check_visibility_name(enum check_visibility v)
{
	switch (v) {
	case VIS_VISIBLE: return "visible";
	case VIS_HIDDEN: return "hidden";
	case VIS_AFTER_DUE_DATE: return "after_due_date";
	}
	return "hidden";
}

int check_visibility_parse(const char *name, enum check_visibility *v)
{
	int rc = -1;

	if (!strcmp(name, "visible")) {
		*v = VIS_VISIBLE;
		rc = 0;
	} else if (!strcmp(name, "hidden")) {
		*v = VIS_HIDDEN;
		rc = 0;
	} else if (!strcmp(name, "after_due_date")) {
		*v = VIS_AFTER_DUE_DATE;
		rc = 0;
	}
	return rc;
}

void result_setf(char **slot, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	free(*slot);
	*slot = s;
}

int result_exit_code(const struct grade_result *r)
{
	switch (r->status) {
	case RUN_GRADED: return EXIT_GRADED;
	case RUN_INTERNAL_ERROR: return EXIT_INTERNAL;
	default: return EXIT_UNGRADED;
	}
}

int result_final_score(const struct grade_result *r)
{
	int f = r->score - r->late_penalty;

	return f > 0 ? f : 0;
}

int run_status_parse(const char *name, enum run_status *out)
{
	int i;

	for (i = RUN_GRADED; name && i <= RUN_INTERNAL_ERROR; i++) {
		if (!strcmp(name, run_status_name((enum run_status)i))) {
			*out = (enum run_status)i;
			return 0;
		}
	}
	return -1;
}

int check_status_parse(const char *name, enum check_status *out)
{
	int i;

	for (i = CHECK_PASS; name && i <= CHECK_SKIP; i++) {
		if (!strcmp(name, check_status_name((enum check_status)i))) {
			*out = (enum check_status)i;
			return 0;
		}
	}
	return -1;
}

/* Replace, in place, every "<dir>/" in s by nothing and every
 * ".../site-packages/" path start by "site-packages/". Only shortens. */
static void relativize_one(char *s, const char *dir)
{
	size_t dl = dir ? strlen(dir) : 0;
	char *r = s, *w = s;

	if (!s)
		return;
	while (*r) {
		if (dl && !strncmp(r, dir, dl) && r[dl] == '/') {
			r += dl + 1;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	/* "/root/.cache/grader/envs/<hash>/lib/python3.11/site-packages/django/..."
	 * -> "site-packages/django/...": the student's environment, not ours. */
	for (r = strstr(s, "/site-packages/"); r; r = strstr(r + 1, "/site-packages/")) {
		char *start = r;

		while (start > s && start[-1] != '"' && start[-1] != ' ' && start[-1] != '\n' &&
		       start[-1] != '(' && start[-1] != '\'')
			start--;
		if (*start != '/')
			continue;
		memmove(start, r + 1, strlen(r + 1) + 1);
		r = start;
	}
}

void result_relativize(struct grade_result *r, const char *dir)
{
	size_t i;

	relativize_one(r->diagnosis, dir);
	for (i = 0; i < r->nchecks; i++)
		relativize_one(r->checks[i].message, dir);
}

bool result_has_requirements(const char *source)
{
	return source && *source && *source != '(';
}

const char *result_requirements_file(const struct grade_result *r)
{
	return result_has_requirements(r->env_requirements_source) ? r->env_requirements_source
	       : r->env_declare_in				    ? r->env_declare_in
								    : "requirements.txt";
}
