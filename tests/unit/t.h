/*
 * t.h - the unit-test harness: one program per module, each test a function.
 * Every test prints "ok NAME" or "not ok NAME - FILE:LINE: what failed";
 * tests/run counts those lines across all programs and ends with
 * "N passed, N failed". A program exits 1 if any of its tests failed.
 */
#ifndef GRADER_T_H
#define GRADER_T_H

#include <stdio.h>
#include <string.h>

static int t_failed_now;
static int t_failures;

#define TEST(name) static void name(void)

#define EXPECT(cond)                                                           \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("not ok %s - %s:%d: %s\n", t_current, __FILE__, \
			       __LINE__, #cond);                               \
			t_failed_now = 1;                                      \
			return;                                                \
		}                                                              \
	} while (0)

#define EXPECT_INT(a, b)                                                       \
	do {                                                                   \
		long long t_a = (long long)(a), t_b = (long long)(b);          \
		if (t_a != t_b) {                                              \
			printf("not ok %s - %s:%d: %s == %lld, expected %lld\n", \
			       t_current, __FILE__, __LINE__, #a, t_a, t_b);   \
			t_failed_now = 1;                                      \
			return;                                                \
		}                                                              \
	} while (0)

#define EXPECT_STR(a, b)                                                       \
	do {                                                                   \
		const char *t_a = (a), *t_b = (b);                             \
		if (!t_a || !t_b || strcmp(t_a, t_b) != 0) {                   \
			printf("not ok %s - %s:%d: %s == \"%s\", expected \"%s\"\n", \
			       t_current, __FILE__, __LINE__, #a,              \
			       t_a ? t_a : "(null)", t_b ? t_b : "(null)");    \
			t_failed_now = 1;                                      \
			return;                                                \
		}                                                              \
	} while (0)

static const char *t_current = "";

static void t_run(const char *name, void (*fn)(void))
{
	t_current = name;
	t_failed_now = 0;
	fn();
	if (t_failed_now)
		t_failures++;
	else
		printf("ok %s\n", name);
	fflush(stdout);
}

#define RUN(fn) t_run(#fn, fn)
#define T_EXIT() return t_failures ? 1 : 0

#endif
