/* The shared layer: vec.h (array growth), strlist.h, monotime.h, yamlx.h. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "err.h"
#include "monotime.h"
#include "strlist.h"
#include "t.h"
#include "vec.h"
#include "yamlx.h"

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
	/* A name cut out of a longer text is its own NUL-terminated copy. */
	EXPECT_INT(strlist_pushn(&l, "users.alice", 5), 0);
	EXPECT_STR(l.v[1], "users");
	EXPECT(strlist_has(&l, "users") && !strlist_has(&l, "users.alice"));
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

/* A document, walked: map_get, the pairs in order, scalars, positions in
 * the one "NAME:LINE:COLUMN: " format. */
TEST(yamlx_loads_and_walks)
{
	const char *text = "a: 1\nroutes:\n  /x/: /y/\n  /z/: [1]\n";
	struct yamlx_problem pb;
	struct gbuf pos = GBUF_INIT(256);
	yaml_document_t doc;
	yaml_node_t *root, *routes, *key = NULL, *k, *v;
	yaml_node_pair_t *p;
	int n = 0;

	EXPECT_INT(yamlx_load(text, strlen(text), &doc, &pb), 0);
	root = yaml_document_get_root_node(&doc);
	routes = yamlx_map_get(&doc, root, "routes", &key);
	EXPECT(routes && routes->type == YAML_MAPPING_NODE);
	EXPECT_STR(yamlx_scalar(key), "routes");
	EXPECT(yamlx_map_get(&doc, root, "nope", NULL) == NULL);
	EXPECT_STR(yamlx_scalar(yamlx_map_get(&doc, root, "a", NULL)), "1");
	YAMLX_FOR_PAIRS(&doc, routes, p, k, v) {
		if (n == 0)
			EXPECT(!strcmp(yamlx_scalar(k), "/x/") && !strcmp(yamlx_scalar(v), "/y/"));
		else
			EXPECT(!strcmp(yamlx_scalar(k), "/z/") && yamlx_scalar(v) == NULL);
		n++;
	}
	EXPECT_INT(n, 2);
	EXPECT_INT(yamlx_add_pos(&pos, "grader.yaml", k), 0);
	EXPECT_STR(gbuf_str(&pos), "grader.yaml:4:3: ");
	EXPECT(yamlx_line(v) == 4 && yamlx_column(v) == 8);
	yaml_document_delete(&doc);
	gbuf_release(&pos);
}

/* Not YAML: 1, where and why, and nothing to free (ASan would say). */
TEST(yamlx_says_where_text_is_not_yaml)
{
	const char *bad = "checks: [a, b\n";
	yaml_document_t doc;
	struct yamlx_problem pb;

	EXPECT_INT(yamlx_load(bad, strlen(bad), &doc, &pb), 1);
	EXPECT(pb.line == 2 && pb.column == 1);
	EXPECT_STR(pb.problem, "did not find expected ',' or ']'");
	EXPECT(pb.context != NULL && pb.context_line == 1);
	/* Empty text is a document without a root, not an error. */
	EXPECT_INT(yamlx_load("", 0, &doc, &pb), 0);
	EXPECT(yaml_document_get_root_node(&doc) == NULL);
	yaml_document_delete(&doc);
	EXPECT_INT(yamlx_load(NULL, 0, &doc, &pb), 0);
	yaml_document_delete(&doc);
}

int main(void)
{
	RUN(vec_reserve_grows_and_keeps_elements);
	RUN(vec_reserve_refuses_overflow);
	RUN(strlist_push_copies_sorts_and_frees);
	RUN(monotime_deadlines);
	RUN(yamlx_loads_and_walks);
	RUN(yamlx_says_where_text_is_not_yaml);
	T_EXIT();
}
