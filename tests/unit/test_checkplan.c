/*
 * test_checkplan.c - which checks may run at the same time (checkplan.h),
 * on the shipped challenges: conflicts come from depends_on, captured
 * variables, shared state observed beside writes, and sessions; a check
 * that reads only its own things conflicts with nothing, two writers always
 * conflict; `concurrency: 1`
 * makes every pair conflict.
 */
#include "checkplan.h"
#include "err.h"
#include "t.h"

#include <stdlib.h>
#include <string.h>

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

int main(void)
{
	RUN(ecommerce_plan);
	RUN(depends_captures_and_sessions);
	T_EXIT();
}
