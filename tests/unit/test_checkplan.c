/*
 * test_checkplan.c - which checks may run at the same time (checkplan.h),
 * on the shipped challenges: conflicts come from depends_on, captured
 * variables, shared state observed beside writes, and sessions; a check
 * that reads only its own things conflicts with nothing, two writers always
 * conflict; `concurrency: 1`
 * makes every pair conflict.
 */
#include "checklang.h"
#include "checkplan.h"
#include "err.h"
#include "t.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long idx(const struct challenge *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->nchecks; i++)
		if (!strcmp(c->checks[i].id, id))
			return (long)i;
	return -1;
}

static int conflict(const struct challenge *c, const struct checkplan *p, const char *a, const char *b)
{
	long i = idx(c, a), j = idx(c, b);

	if (i < 0 || j < 0)
		return -1;
	return checkplan_conflict(p, (size_t)i, (size_t)j) && checkplan_conflict(p, (size_t)j, (size_t)i);
}

TEST(ecommerce_plan)
{
	struct challenge *c = NULL;
	struct checkplan *p = NULL;
	size_t i;
	int ok;

	EXPECT(challenge_load(GRADER_DATADIR "/challenges/ecommerce-api", &c) == 0);
	EXPECT(checkplan_build(c, &p) == 0);
	/* products-list reads the whole list; product-detail creates a product. */
	ok = conflict(c, p, "products-list", "product-detail") == 1 &&
	     /* counts of bob's orders beside alice creating orders */
	     conflict(c, p, "order-out-of-stock", "order-create") == 1 &&
	     /* query counts grow with any check's rows */
	     conflict(c, p, "query-budget", "order-auth-required") == 1 &&
	     /* each on its own product, but both write: one writer at a time */
	     conflict(c, p, "order-quantity-validation", "order-auth-required") == 1 &&
	     conflict(c, p, "product-detail", "order-create") == 1 &&
	     strstr(checkplan_describe(p, (size_t)idx(c, "products-list")), "observes") != NULL &&
	     strstr(checkplan_describe(p, (size_t)idx(c, "product-detail")), "reads chair") != NULL;
	/* A page of its own (a nonce in the path) and assert-only checks: no conflict. */
	for (i = 0; ok && i < c->nchecks; i++)
		ok = conflict(c, p, "debug-off", c->checks[i].id) == 0 &&
		     conflict(c, p, "migrations-current", c->checks[i].id) == 0;
	checkplan_free(p);
	p = NULL;
	/* `concurrency: 1` on the challenge: one after another. */
	c->concurrency = 1;
	if (ok && checkplan_build(c, &p) == 0)
		ok = conflict(c, p, "debug-off", "migrations-current") == 1 &&
		     conflict(c, p, "requirements-declared", "migrations-current") == 1;
	checkplan_free(p);
	p = NULL;
	/* `concurrency: 1` on one check: it runs beside no other. */
	c->concurrency = 0;
	c->checks[idx(c, "debug-off")].alone = true;
	if (ok && checkplan_build(c, &p) == 0)
		ok = conflict(c, p, "debug-off", "migrations-current") == 1 &&
		     conflict(c, p, "requirements-declared", "migrations-current") == 0;
	checkplan_free(p);
	challenge_free(c);
	EXPECT(ok);
}

TEST(depends_captures_and_sessions)
{
	struct challenge *c = NULL, *t = NULL;
	struct checkplan *p = NULL, *q = NULL;
	int ok;

	EXPECT(challenge_load(GRADER_DATADIR "/challenges/recipe-platform", &c) == 0);
	EXPECT(challenge_load(GRADER_DATADIR "/challenges/ticket-system", &t) == 0);
	EXPECT(checkplan_build(c, &p) == 0 && checkplan_build(t, &q) == 0);
	ok = /* depends_on, and {{changelist}} captured by the other */
	     conflict(c, p, "admin-category-filter", "admin-recipe-registered") == 1 &&
	     /* an anonymous GET's status only, beside form submits */
	     conflict(c, p, "recipe-create-login-required", "recipe-create-upload") == 0 &&
	     /* both submit forms as alice: her session and cookie jar */
	     conflict(t, q, "ticket-create", "csrf-enforced") == 1 &&
	     strstr(checkplan_describe(q, (size_t)idx(t, "login-page")), "session of anonymous-login") != NULL &&
	     conflict(t, q, "tickets-login-required", "debug-off") == 0;
	checkplan_free(p);
	checkplan_free(q);
	challenge_free(c);
	challenge_free(t);
	EXPECT(ok);
}

/*
 * Every query of checklang_queries, read from a fixed page beside a check
 * that writes: it conflicts when the query reads what the answer says (the
 * page's rows change with the writer's), not when it reads only how the
 * page answered; duration runs alone, and queries counts what any check
 * does. A query added to the table without its line here fails.
 */
static const struct {
	const char *key, *yaml;   /* the assertion, as the challenge writes it */
	int conflicts;
} query_plans[] = {
	{"status", "status: 200", 0},
	{"header", "header: X-Total", 0},
	{"location", "location: true", 0},
	{"url", "url: true", 0},
	{"body", "body: true", 1},
	{"text", "text: true", 1},
	{"prose", "prose: true", 1},
	{"jsonpath", "jsonpath: $.id", 1},
	{"xpath", "xpath: //h1", 1},
	{"css", "css: h1", 1},
	{"regex", "regex: a", 1},
	{"sha256", "sha256: true", 1},
	{"duration", "duration: true", 1},
	{"value", "value: x", 0},
	{"queries", "queries: true", 1},
	{"queries_repeated", "queries_repeated: true", 1},
	{"form_errors", "form_errors: true", 1},
	{"refused", "refused: true", 0},
	{"login_redirect", "login_redirect: true", 0},
};

TEST(every_query_planned)
{
	char dir[] = "/tmp/test_checkplan.XXXXXX", path[256];
	struct challenge *c = NULL;
	struct checkplan *p = NULL;
	size_t i, j, n = sizeof(query_plans) / sizeof(query_plans[0]);
	FILE *f;
	int got, bad = -1;

	EXPECT(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/challenge.yaml", dir);
	f = fopen(path, "w");
	EXPECT(f != NULL);
	fprintf(f, "id: plan\ntitle: Plan\nusers:\n  - username: alice\nchecks:\n"
		"  - id: writer\n    title: Writer\n    points: 1\n    steps:\n"
		"      - {as: alice, method: POST, url: /items/, expect: [{status: 201}]}\n");
	for (i = 0; i < n; i++)
		fprintf(f, "  - id: q-%s\n    title: Reader\n    points: 1\n    steps:\n"
			"      - {url: /items/, expect: [{%s}]}\n", query_plans[i].key, query_plans[i].yaml);
	fclose(f);
	if (challenge_load(dir, &c) < 0)
		printf("# %s\n", err_last());
	unlink(path);
	rmdir(dir);
	EXPECT(c != NULL);
	if (checkplan_build(c, &p) == 0) {
		bad = 0;
		for (i = 0; i < CHECKLANG_NQUERIES && !bad; i++) {
			char id[64];

			for (j = 0; j < n && strcmp(query_plans[j].key, checklang_queries[i].key); j++)
				;
			snprintf(id, sizeof(id), "q-%s", checklang_queries[i].key);
			got = j < n ? conflict(c, p, "writer", id) : -1;
			if (j == n || got != query_plans[j].conflicts) {
				printf("# query '%s': %s\n", checklang_queries[i].key,
				       j == n ? "no line in test_checkplan.c's query_plans" : "conflict differs");
				bad = 1;
			}
		}
	}
	checkplan_free(p);
	challenge_free(c);
	EXPECT_INT(bad, 0);
}

int main(void)
{
	RUN(ecommerce_plan);
	RUN(depends_captures_and_sessions);
	RUN(every_query_planned);
	T_EXIT();
}
