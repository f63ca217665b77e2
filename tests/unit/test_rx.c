/* test_rx.c - PCRE2 wrapper: groups, UTF-8, invalid input, match limits. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "rx.h"
#include "t.h"

static int match_str(const char *pattern, const char *subject, struct gbuf *m, bool *limited)
{
	struct rx *r = NULL;
	int rc;

	if (rx_compile(pattern, &r) < 0)
		return -2;
	rc = rx_match(r, subject, strlen(subject), m, limited);
	rx_free(r);
	return rc;
}

TEST(whole_match_without_groups)
{
	struct gbuf m = GBUF_INIT(0);
	bool lim = true;

	EXPECT_INT(match_str("[0-9]+", "order 42 shipped", &m, &lim), 1);
	EXPECT_STR(gbuf_str(&m), "42");
	EXPECT(!lim);
	gbuf_release(&m);
}

TEST(group_one_when_present)
{
	struct gbuf m = GBUF_INIT(0);

	EXPECT_INT(match_str("/tickets/([0-9]+)/", "Location: /tickets/17/", &m, NULL), 1);
	EXPECT_STR(gbuf_str(&m), "17");
	gbuf_reset(&m);
	/* Non-capturing groups do not count. */
	EXPECT_INT(match_str("(?:id=)[0-9]+", "x id=5", &m, NULL), 1);
	EXPECT_STR(gbuf_str(&m), "id=5");
	gbuf_reset(&m);
	/* Group 1 unset (alternative not taken): matched, empty capture. */
	EXPECT_INT(match_str("(a)|b", "b", &m, NULL), 1);
	EXPECT_STR(gbuf_str(&m), "");
	gbuf_release(&m);
}

TEST(no_match)
{
	struct gbuf m = GBUF_INIT(0);
	bool lim = true;

	EXPECT_INT(match_str("^Pending$", "Open", &m, &lim), 0);
	EXPECT_INT((int)m.len, 0);
	EXPECT(!lim);
	gbuf_release(&m);
}

TEST(null_match_buffer_is_fine)
{
	EXPECT_INT(match_str("b+", "abbbc", NULL, NULL), 1);
}

TEST(utf8_aware)
{
	struct gbuf m = GBUF_INIT(0);

	/* '.' is one character, not one byte. */
	EXPECT_INT(match_str("^caf.$", "caf\xC3\xA9", &m, NULL), 1);
	EXPECT_STR(gbuf_str(&m), "caf\xC3\xA9");
	gbuf_reset(&m);
	EXPECT_INT(match_str("(?i)r\xC3\xA9sum\xC3\xA9", "R\xC3\x89SUM\xC3\x89", &m, NULL), 1);
	gbuf_release(&m);
}

TEST(invalid_utf8_subject_tolerated)
{
	struct rx *r = NULL;
	struct gbuf m = GBUF_INIT(0);
	const char subj[] = "\xff\xfe garbage \xc3 then Resolved \x80";

	EXPECT_INT(rx_compile("Resolved", &r), 0);
	EXPECT_INT(rx_match(r, subj, sizeof(subj) - 1, &m, NULL), 1);
	EXPECT_STR(gbuf_str(&m), "Resolved");
	gbuf_reset(&m);
	EXPECT_INT(rx_match(r, "\xff\xff", 2, &m, NULL), 0);
	rx_free(r);
	gbuf_release(&m);
}

TEST(embedded_nul_and_length)
{
	struct rx *r = NULL;

	EXPECT_INT(rx_compile("after", &r), 0);
	EXPECT_INT(rx_match(r, "nul\0after", 9, NULL, NULL), 1);
	/* Only `len` bytes are searched. */
	EXPECT_INT(rx_match(r, "nul\0after", 5, NULL, NULL), 0);
	EXPECT_INT(rx_match(r, NULL, 0, NULL, NULL), 0);
	rx_free(r);
}

TEST(compile_errors)
{
	struct rx *r = (struct rx *)1;

	EXPECT_INT(rx_compile("(abc", &r), -1);
	EXPECT(r == NULL);
	EXPECT(strncmp(err_last(), "bad regex at offset 4: ", 23) == 0);
	EXPECT_INT(rx_compile("a{2,1}", &r), -1);
	EXPECT(strncmp(err_last(), "bad regex at offset ", 20) == 0);
	EXPECT_INT(rx_compile("[z-a]", &r), -1);
	/* The pattern must be valid UTF-8 itself. */
	EXPECT_INT(rx_compile("\xff", &r), -1);
	EXPECT_INT(rx_compile(NULL, &r), -1);
	rx_free(NULL);
}

TEST(catastrophic_pattern_is_limited)
{
	struct rx *r = NULL;
	char subj[64];
	bool lim = false;
	struct timespec t0, t1;
	double secs;
	int rc;

	memset(subj, 'a', 40);
	subj[40] = '!';
	subj[41] = '\0';
	EXPECT_INT(rx_compile("(a+)+$", &r), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = rx_match(r, subj, strlen(subj), NULL, &lim);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rx_free(r);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	EXPECT_INT(rc, 0);
	EXPECT(lim);
	EXPECT(secs < 5.0);
}

TEST(limited_flag_reset_on_normal_match)
{
	struct rx *r = NULL;
	bool lim = true;

	EXPECT_INT(rx_compile("(a+)+$", &r), 0);
	EXPECT_INT(rx_match(r, "aaaa", 4, NULL, &lim), 1);
	EXPECT(!lim);
	rx_free(r);
}

TEST(match_respects_gbuf_limit)
{
	struct gbuf m = GBUF_INIT(4);

	EXPECT_INT(match_str("x+", "xxxxxxxxxx", &m, NULL), 1);
	EXPECT_INT((int)m.len, 4);
	EXPECT(m.truncated);
	gbuf_release(&m);
}

static int collect(void *arg, const char *m, size_t n)
{
	struct gbuf *b = arg;

	if (gbuf_add(b, m, n) < 0 || gbuf_addch(b, '|') < 0)
		return -1;
	return 0;
}

/* Every match in order, group 1 when there is one, an empty match moving
 * on by one whole character, and at most `max`. */
TEST(match_each_finds_every_match)
{
	struct rx *r = NULL;
	struct gbuf m = GBUF_INIT(0);
	bool lim = true;

	EXPECT_INT(rx_compile("(?i)\\b(open|pending|resolved)\\b", &r), 0);
	EXPECT_INT(rx_match_each(r, "Status: Open. Was Pending, now OPEN", 35, 10, collect, &m, &lim), 3);
	EXPECT_STR(gbuf_str(&m), "Open|Pending|OPEN|");
	EXPECT(!lim);
	gbuf_reset(&m);
	EXPECT_INT(rx_match_each(r, "Status: Open. Was Pending, now OPEN", 35, 2, collect, &m, NULL), 2);
	EXPECT_STR(gbuf_str(&m), "Open|Pending|");
	gbuf_reset(&m);
	EXPECT_INT(rx_match_each(r, "nothing here", 12, 10, collect, &m, NULL), 0);
	EXPECT(m.len == 0);
	rx_free(r);
	r = NULL;
	EXPECT_INT(rx_compile("x*", &r), 0);
	EXPECT_INT(rx_match_each(r, "\xC3\xA9x", 3, 10, collect, &m, NULL), 3);
	EXPECT_STR(gbuf_str(&m), "|x||");
	rx_free(r);
	gbuf_release(&m);
}

int main(void)
{
	RUN(whole_match_without_groups);
	RUN(group_one_when_present);
	RUN(no_match);
	RUN(null_match_buffer_is_fine);
	RUN(utf8_aware);
	RUN(invalid_utf8_subject_tolerated);
	RUN(embedded_nul_and_length);
	RUN(compile_errors);
	RUN(catastrophic_pattern_is_limited);
	RUN(match_each_finds_every_match);
	RUN(limited_flag_reset_on_normal_match);
	RUN(match_respects_gbuf_limit);
	T_EXIT();
}
