/*
 * checkplan.c - which checks may run at the same time (see checkplan.h).
 *
 * Everything here is read from the challenge model once, before the run:
 * per check, the variables it reads and captures, the actors it uses,
 * whether it writes and whether it observes shared state; then the
 * conflict matrix. When in doubt a check is taken to observe and write:
 * a wrong "independent" would change a student's result, a wrong
 * "conflict" only costs time.
 */
#include "checkplan.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "checklang.h"
#include "err.h"
#include "strlist.h"

struct ckinfo {
	struct strlist reads;    /* variable roots read ({{lamp}}, {{users...}} excluded) */
	struct strlist captures; /* variable names captured */
	struct strlist actors;   /* actors of its requests */
	struct strlist session;  /* actors whose session it may change */
	bool writes;
	bool observes;
	bool alone;              /* runs beside nothing: concurrency: 1, a duration assertion */
	char *desc;
};

struct checkplan {
	size_t n;
	struct ckinfo *info;
	unsigned char *conflict; /* n * n */
};

/* The sets below (variable roots, actor names) are strlists that set_add
 * keeps free of duplicates; the names are cut out of longer texts. */
static bool set_has(const struct strlist *s, const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strlen(s->v[i]) == len && !memcmp(s->v[i], v, len))
			return true;
	return false;
}

static int set_add(struct strlist *s, const char *v, size_t len)
{
	return set_has(s, v, len) ? 0 : strlist_pushn(s, v, len);
}

static bool sets_meet(const struct strlist *a, const struct strlist *b)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (set_has(b, a->v[i], strlen(a->v[i])))
			return true;
	return false;
}

/* The variables every check may read and none captures. */
static bool builtin_var(const char *name, size_t n)
{
	static const char *const builtins[] = { "run", "users", "boot", "env", "i", NULL };
	size_t k;

	for (k = 0; builtins[k]; k++)
		if (strlen(builtins[k]) == n && !memcmp(builtins[k], name, n))
			return true;
	return false;
}

/* Add the root of every "{{ name.x }}" in `s` to `reads`; skip `local`
 * (an any_of variable, bound by the step itself). */
static int scan_str(const char *s, const char *local, struct strlist *reads)
{
	const char *open, *close, *name, *end;
	size_t n;

	while (s && (open = strstr(s, "{{")) && (close = strstr(open + 2, "}}"))) {
		name = open + 2;
		while (name < close && *name == ' ')
			name++;
		for (end = name; end < close && (isalnum((unsigned char)*end) || *end == '_' || *end == '-'); end++)
			;
		n = (size_t)(end - name);
		if (n && !builtin_var(name, n) && !(local && strlen(local) == n && !memcmp(local, name, n)) &&
		    set_add(reads, name, n) < 0)
			return -1;
		s = close + 2;
	}
	return 0;
}

static int scan_json(const cJSON *v, const char *local, struct strlist *reads)
{
	const cJSON *it;

	if (!v)
		return 0;
	if (cJSON_IsString(v))
		return scan_str(v->valuestring, local, reads);
	cJSON_ArrayForEach(it, v)
		if (scan_json(it, local, reads) < 0)
			return -1;
	return 0;
}

static int scan_assertion(const struct assertion *a, const char *local, struct strlist *reads)
{
	size_t i;

	if (scan_str(a->arg, local, reads) < 0 || scan_str(a->attr, local, reads) < 0 ||
	    scan_json(a->qvalue, local, reads) < 0 || scan_json(a->value, local, reads) < 0 ||
	    scan_str(a->message, local, reads) < 0)
		return -1;
	for (i = 0; i < a->nfilters; i++)
		if (scan_str(a->filters[i].arg, local, reads) < 0 || scan_json(a->filters[i].value, local, reads) < 0)
			return -1;
	return 0;
}

/*
 * What one query of the check makes it: *content when it looks at what the
 * answer says, not only how it answered; observing when it counts what
 * every check does (SQL queries grow with other checks' rows wherever they
 * are); alone when it is about the machine's load (a time limit). The
 * query's row of checklang.c says which (QF_*); a kind without a row is
 * taken to read the content.
 */
static void scan_query(enum query_kind q, bool *content, struct ckinfo *ci)
{
	const struct checklang_query *row = checklang_query_of(q);
	unsigned flags = row ? row->flags : QF_CONTENT;

	if (flags & QF_CONTENT)
		*content = true;
	if (flags & QF_SHARED)
		ci->observes = true;
	if (flags & QF_TIMED)
		ci->alone = true;
}

static bool method_is_safe(const char *m)
{
	return !m || !strcasecmp(m, "GET") || !strcasecmp(m, "HEAD") || !strcasecmp(m, "OPTIONS");
}

/* A path about signing in or out, passwords, sessions or tokens. */
static bool path_is_auth(const char *p)
{
	static const char *const words[] = { "login", "logout", "signin", "signout", "sign-in", "sign-out",
					     "sign_in", "sign_out", "log-in", "log-out", "log_in", "log_out",
					     "password", "session", "token", "auth", NULL };
	size_t k;

	for (k = 0; p && words[k]; k++)
		if (strcasestr(p, words[k]))
			return true;
	return false;
}

int checkplan_step_reads(const struct step *s, struct strlist *reads)
{
	const char *local = s->any_var;
	size_t i;

	if (scan_str(s->url, local, reads) < 0 || scan_json(s->headers, local, reads) < 0 ||
	    scan_json(s->body_value, local, reads) < 0 || scan_json(s->any_values, NULL, reads) < 0 ||
	    scan_str(s->name, local, reads) < 0)
		return -1;
	if (s->submit && (scan_str(s->submit->page, local, reads) < 0 ||
			  scan_str(s->submit->action, local, reads) < 0 ||
			  scan_str(s->submit->selector, local, reads) < 0 ||
			  scan_json(s->submit->fields, local, reads) < 0 ||
			  scan_json(s->submit->files, local, reads) < 0))
		return -1;
	for (i = 0; i < s->nasserts; i++)
		if (scan_assertion(&s->asserts[i], local, reads) < 0)
			return -1;
	for (i = 0; i < s->ncaptures; i++)
		if (scan_assertion(&s->captures[i].q, local, reads) < 0)
			return -1;
	return 0;
}

static int scan_step(const struct step *s, struct ckinfo *ci)
{
	const char *actor = s->actor ? s->actor : "anonymous";
	const char *path = s->submit ? s->submit->page : s->url;
	bool content = false, fixed = path && !strstr(path, "{{");
	size_t i;

	if (checkplan_step_reads(s, &ci->reads) < 0)
		return -1;
	for (i = 0; i < s->nasserts; i++)
		scan_query(s->asserts[i].query, &content, ci);
	for (i = 0; i < s->ncaptures; i++) {
		if (set_add(&ci->captures, s->captures[i].name, strlen(s->captures[i].name)) < 0)
			return -1;
		scan_query(s->captures[i].q.query, &content, ci);
	}
	if (!s->url && !s->submit)
		return 0; /* an assert-only step sends nothing */
	if (set_add(&ci->actors, actor, strlen(actor)) < 0)
		return -1;
	if (s->submit) {
		/* The form comes from the page: a fixed page is shared state. */
		ci->writes = true;
		ci->observes = ci->observes || fixed;
		return set_add(&ci->session, actor, strlen(actor));
	}
	if (!method_is_safe(s->method)) {
		ci->writes = true;
		if (path_is_auth(s->url) && set_add(&ci->session, actor, strlen(actor)) < 0)
			return -1;
	} else if (fixed && content) {
		ci->observes = true;
	}
	return 0;
}

static int describe(struct ckinfo *ci)
{
	struct gbuf d = GBUF_INIT(4096);
	size_t i;

	gbuf_adds(&d, ci->alone ? "alone" : ci->writes ? "writes" : "reads only");
	if (ci->observes)
		gbuf_adds(&d, ", observes shared state");
	for (i = 0; i < ci->reads.n; i++)
		gbuf_addf(&d, "%s%s", i ? " " : ", reads ", ci->reads.v[i]);
	for (i = 0; i < ci->session.n; i++)
		gbuf_addf(&d, "%s%s", i ? " " : ", session of ", ci->session.v[i]);
	ci->desc = gbuf_detach(&d, NULL);
	gbuf_release(&d);
	return ci->desc ? 0 : err_set("out of memory");
}

static bool pair_conflicts(const struct challenge *c, const struct ckinfo *a, const struct ckinfo *b,
			   size_t i, size_t j)
{
	size_t k;

	if (a->alone || b->alone)
		return true;
	for (k = 0; k < c->checks[j].ndepends; k++)
		if (!strcmp(c->checks[j].depends_on[k], c->checks[i].id))
			return true;
	for (k = 0; k < c->checks[i].ndepends; k++)
		if (!strcmp(c->checks[i].depends_on[k], c->checks[j].id))
			return true;
	if (sets_meet(&a->reads, &b->captures) || sets_meet(&b->reads, &a->captures))
		return true;
	if ((a->observes && b->writes) || (b->observes && a->writes))
		return true;
	/* One writer at a time: SQLite takes one, and two transactions that
	 * read then write deadlock ("database is locked") where a sequential
	 * run passes. */
	if (a->writes && b->writes)
		return true;
	return sets_meet(&a->session, &b->actors) || sets_meet(&b->session, &a->actors);
}

int checkplan_build(const struct challenge *c, struct checkplan **out)
{
	struct checkplan *p = NULL;
	size_t i, j, n = c->nchecks;
	int rc = -1;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p || !(p->info = calloc(n ? n : 1, sizeof(*p->info))) ||
	    !(p->conflict = calloc(n ? n * n : 1, 1))) {
		err_set("out of memory");
		goto done;
	}
	p->n = n;
	for (i = 0; i < n; i++) {
		struct ckinfo *ci = &p->info[i];

		ci->alone = c->checks[i].alone || c->concurrency == 1;
		for (j = 0; j < c->checks[i].nsteps; j++)
			if (scan_step(&c->checks[i].steps[j], ci) < 0)
				goto done;
		if (describe(ci) < 0)
			goto done;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (pair_conflicts(c, &p->info[i], &p->info[j], i, j))
				p->conflict[i * n + j] = p->conflict[j * n + i] = 1;
	*out = p;
	p = NULL;
	rc = 0;
done:
	checkplan_free(p);
	return rc;
}

void checkplan_free(struct checkplan *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; p->info && i < p->n; i++) {
		strlist_free(&p->info[i].reads);
		strlist_free(&p->info[i].captures);
		strlist_free(&p->info[i].actors);
		strlist_free(&p->info[i].session);
		free(p->info[i].desc);
	}
	free(p->info);
	free(p->conflict);
	free(p);
}

bool checkplan_conflict(const struct checkplan *p, size_t i, size_t j)
{
	return i != j && i < p->n && j < p->n && p->conflict[i * p->n + j];
}

const char *checkplan_describe(const struct checkplan *p, size_t i)
{
	return i < p->n && p->info[i].desc ? p->info[i].desc : "";
}
