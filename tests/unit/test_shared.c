/* The shared layer: vec.h (array growth), strlist.h, monotime.h. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "err.h"
#include "monotime.h"
#include "strlist.h"
#include "t.h"
#include "vec.h"

struct pair {
	int a;
	double b;
};

/* Growth keeps what was stored, doubles from 8, and only ever grows. */
TEST(vec_reserve_grows_and_keeps_elements)
{
	struct pair *v = NULL;
	size_t n = 0, cap = 0, i, seen_cap = 0;
	int grew = 0;

	for (i = 0; i < 1000; i++) {
		EXPECT_INT(VEC_RESERVE(v, cap, n + 1), 0);
		EXPECT(cap >= n + 1);
		if (cap != seen_cap) {
			grew++;
			EXPECT(seen_cap == 0 ? cap == 8 : cap == 2 * seen_cap);
			seen_cap = cap;
		}
		v[n].a = (int)i;
		v[n].b = (double)i / 2;
		n++;
	}
	/* 8, 16, ..., 1024: seven reallocations for a thousand elements. */
	EXPECT_INT(grew, 8);
	for (i = 0; i < n; i++)
		EXPECT(v[i].a == (int)i && v[i].b == (double)i / 2);
	/* Room already there: nothing moves. */
	{
		struct pair *before = v;

		EXPECT_INT(VEC_RESERVE(v, cap, 10), 0);
		EXPECT(v == before && cap == 1024);
	}
	/* A large request jumps straight to a power-of-two capacity past it. */
	EXPECT_INT(VEC_RESERVE(v, cap, 5000), 0);
	EXPECT_INT(cap, 8192);
	free(v);
}

/* A size that would overflow is refused with an error; the array stays. */
TEST(vec_reserve_refuses_overflow)
{
	int *v = NULL;
	size_t cap = 0;

	EXPECT_INT(VEC_RESERVE(v, cap, 4), 0);
	v[3] = 42;
	err_clear();
	EXPECT_INT(VEC_RESERVE(v, cap, SIZE_MAX / 2), -1);
	EXPECT_STR(err_last(), "out of memory");
	EXPECT_INT(cap, 8);
	EXPECT_INT(v[3], 42);
	free(v);
}

TEST(strlist_push_copies_sorts_and_frees)
{
	struct strlist l = STRLIST_INIT;
	char name[16];
	int i;

	for (i = 40; i > 0; i--) {
		snprintf(name, sizeof(name), "n%02d", i);
		EXPECT_INT(strlist_push(&l, name), 0);
	}
	/* Copies: the caller's buffer changed, the list did not. */
	EXPECT_STR(l.v[0], "n40");
	EXPECT_INT(l.n, 40);
	EXPECT(strlist_has(&l, "n07") && !strlist_has(&l, "n41") && !strlist_has(&l, "n7"));
	strlist_sort(&l);
	EXPECT_STR(l.v[0], "n01");
	EXPECT_STR(l.v[39], "n40");
	strlist_free(&l);
	EXPECT(l.v == NULL && l.n == 0 && l.cap == 0);
	/* Reusable after a free. */
	EXPECT_INT(strlist_push(&l, ""), 0);
	EXPECT_STR(l.v[0], "");
	strlist_free(&l);
}

TEST(monotime_deadlines)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	long long t0 = monotime_now_ms(), u0 = monotime_now_us(), d;
	double s0 = monotime_now_s();

	EXPECT_INT(monotime_left_ms(t0 - 5), 0);
	EXPECT_INT(monotime_left_ms(monotime_deadline(-100)), 0);
	EXPECT_INT(monotime_left_ms(t0 + ((long long)INT_MAX << 2)), INT_MAX);
	d = monotime_deadline(60000);
	EXPECT(monotime_left_ms(d) > 59000 && monotime_left_ms(d) <= 60000);
	nanosleep(&nap, NULL);
	/* It moves forward, by about what was slept (never backward). */
	EXPECT(monotime_now_ms() - t0 >= 20);
	EXPECT(monotime_now_s() - s0 >= 0.020);
	EXPECT(monotime_now_us() - u0 >= 20000);
	/* The three units read one clock. */
	EXPECT(monotime_now_us() / 1000 - monotime_now_ms() <= 1 && (long long)(monotime_now_s() * 1000) - monotime_now_ms() <= 1);
	EXPECT(monotime_left_ms(d) < 60000 - 19);
}

int main(void)
{
	RUN(vec_reserve_grows_and_keeps_elements);
	RUN(vec_reserve_refuses_overflow);
	RUN(strlist_push_copies_sorts_and_frees);
	RUN(monotime_deadlines);
	T_EXIT();
}
