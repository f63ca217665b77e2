/*
 * rx.c - PCRE2 with limits (see rx.h).
 *
 * Security reasoning: the pattern is the challenge author's, the subject is
 * the submission's. Backtracking patterns such as (a+)+$ take exponential
 * time on crafted subjects, so every match carries a match context with a
 * match limit (backtracking steps), a depth limit and a heap limit; hitting
 * any of them is reported as "no match, limited", never as a hang or a
 * grader error. The interpreter is used rather than the JIT because the
 * limits are what matters here and the subjects are small (capped bodies).
 * PCRE2_MATCH_INVALID_UTF lets a subject with broken UTF-8 be searched
 * (invalid bytes simply never match) instead of failing the whole match.
 */
#include "rx.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdlib.h>

#include "err.h"

#define RX_MATCH_LIMIT 1000000u
#define RX_DEPTH_LIMIT 10000u
#define RX_HEAP_LIMIT_KIB 65536u

struct rx {
	pcre2_code *code;
	pcre2_match_context *mctx;
	bool groups;   /* the pattern has at least one capture group */
};

int rx_compile(const char *pattern, struct rx **out)
{
	struct rx *r = NULL;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE erroff = 0;
	uint32_t ncap = 0;
	int errcode = 0;
	int rc = -1;

	*out = NULL;
	if (!pattern) {
		err_set("bad regex at offset 0: no pattern");
		goto done;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		err_set("out of memory");
		goto done;
	}
	r->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C,
				&errcode, &erroff, NULL);
	if (!r->code) {
		if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0)
			msg[0] = '\0';
		err_set("bad regex at offset %zu: %s", (size_t)erroff, (const char *)msg);
		goto done;
	}
	r->mctx = pcre2_match_context_create(NULL);
	if (!r->mctx) {
		err_set("out of memory");
		goto done;
	}
	pcre2_set_match_limit(r->mctx, RX_MATCH_LIMIT);
	pcre2_set_depth_limit(r->mctx, RX_DEPTH_LIMIT);
	pcre2_set_heap_limit(r->mctx, RX_HEAP_LIMIT_KIB);
	if (pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &ncap) != 0)
		ncap = 0;
	r->groups = ncap > 0;
	*out = r;
	r = NULL;
	rc = 0;
done:
	rx_free(r);
	return rc;
}

int rx_match_each(const struct rx *r, const char *subject, size_t len, size_t max,
		  int (*each)(void *arg, const char *m, size_t n), void *arg, bool *limited)
{
	pcre2_match_data *md = NULL;
	PCRE2_SIZE *ov, at = 0;
	int n, rc = -1, g = r->groups ? 1 : 0;
	size_t found = 0;

	if (limited)
		*limited = false;
	if (!subject) {
		subject = "";
		len = 0;
	}
	md = pcre2_match_data_create_from_pattern(r->code, NULL);
	if (!md) {
		err_set("out of memory");
		goto done;
	}
	while (found < max && at <= len) {
		n = pcre2_match(r->code, (PCRE2_SPTR)subject, len, at, 0, md, r->mctx);
		if (n == PCRE2_ERROR_NOMATCH)
			break;
		if (n == PCRE2_ERROR_MATCHLIMIT || n == PCRE2_ERROR_DEPTHLIMIT ||
		    n == PCRE2_ERROR_HEAPLIMIT || n == PCRE2_ERROR_NOMEMORY) {
			/* The subject made the pattern too expensive: no more matches. */
			if (limited)
				*limited = true;
			break;
		}
		if (n < 0) {
			PCRE2_UCHAR msg[256];

			if (pcre2_get_error_message(n, msg, sizeof(msg)) < 0)
				msg[0] = '\0';
			err_set("regex match failed: %s", (const char *)msg);
			goto done;
		}
		ov = pcre2_get_ovector_pointer(md);
		if (g < n && ov[2 * g] != PCRE2_UNSET && ov[2 * g + 1] >= ov[2 * g]) {
			if (each(arg, subject + ov[2 * g], ov[2 * g + 1] - ov[2 * g]) < 0)
				goto done;
		} else if (each(arg, "", 0) < 0) {
			goto done;
		}
		found++;
		if (ov[1] > at) {
			at = ov[1];
		} else {
			/* An empty match: on to the next character (UTF-8). */
			at++;
			while (at < len && ((unsigned char)subject[at] & 0xC0) == 0x80)
				at++;
		}
	}
	rc = (int)found;
done:
	pcre2_match_data_free(md);
	return rc;
}

void rx_free(struct rx *r)
{
	if (!r)
		return;
	pcre2_match_context_free(r->mctx);
	pcre2_code_free(r->code);
	free(r);
}

/* rx_match's `each`: the match into the caller's buffer, if any. */
static int rx_append(void *arg, const char *m, size_t n)
{
	return arg ? gbuf_add(arg, m, n) : 0;
}

int rx_match(const struct rx *r, const char *subject, size_t len, struct gbuf *match, bool *limited)
{
	int n = rx_match_each(r, subject, len, 1, rx_append, match, limited);

	if (n == 1 && match && !match->data && gbuf_adds(match, "") < 0)
		n = -1;
	return n;
}
