/* test_checklang.c - the check language's table (checklang.c) against its
 * documentation (docs/checks.md): every query, filter and predicate in the
 * table is documented, every documented one is in the table, and every row
 * is complete. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "checklang.h"
#include "t.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The keywords of the markdown table under heading `section` ("### Filters",
 * up to the next heading):
 * the first backquoted word of each row, up to ':' or a space, as
 * "\n"-separated lines in `out`. The count, -1 when unreadable. */
static int doc_words(const char *section, struct gbuf *out)
{
	struct gbuf md = GBUF_INIT(1 << 20);
	const char *p, *end, *line;
	int n = -1;

	if (gbuf_read_file(&md, GRADER_DATADIR "/docs/checks.md") < 0)
		goto done;
	p = strstr(gbuf_str(&md), section);
	if (!p)
		goto done;
	p += strlen(section);
	end = strstr(p, "\n#"); /* the next heading */
	if (!end)
		end = p + strlen(p);
	n = 0;
	for (line = p; line && line < end; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *w;
		size_t len;

		if (strncmp(line, "| `", 3) != 0)
			continue;
		w = line + 3;
		len = strcspn(w, "`: ");
		gbuf_add(out, w, len);
		gbuf_addch(out, '\n');
		n++;
	}
done:
	gbuf_release(&md);
	return n;
}

/* Is `word` a line of `list`? */
static int listed(const struct gbuf *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = gbuf_str(list);

	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, word, n) && p[n] == '\n')
			return 1;
	return 0;
}

/* Every line of `doc` is one of `keys`; every key is a line of `doc`. */
static const char *mismatch(const struct gbuf *doc, const char *const *keys, size_t n)
{
	static char word[64];
	const char *p = gbuf_str(doc);
	size_t i;

	for (i = 0; i < n; i++)
		if (!listed(doc, keys[i]))
			return keys[i];
	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		size_t len = strcspn(p, "\n");

		snprintf(word, sizeof(word), "%.*s", (int)len, p);
		for (i = 0; i < n && strcmp(keys[i], word); i++)
			;
		if (i == n)
			return word;
	}
	return NULL;
}

/* Compare a table's words with a section of docs/checks.md: the word found
 * in only one of them goes into bad ("" when none), the section's word
 * count is returned. */
static int doc_compare(const char *section, const char **keys, size_t nkeys, const char *what,
		       char *bad, size_t nbad)
{
	struct gbuf doc = GBUF_INIT(0);
	const char *b;
	int n;

	n = doc_words(section, &doc);
	b = mismatch(&doc, keys, nkeys);
	snprintf(bad, nbad, "%s", b ? b : "");
	gbuf_release(&doc);
	if (*bad)
		printf("# %s '%s' is in only one of checklang.c and docs/checks.md\n", what, bad);
	return n;
}

TEST(queries_match_the_documentation)
{
	const char *keys[CHECKLANG_NQUERIES];
	char bad[64];
	size_t i;
	int n;

	for (i = 0; i < NELEM(keys); i++)
		keys[i] = checklang_queries[i].key;
	n = doc_compare("### Queries", keys, NELEM(keys), "query", bad, sizeof(bad));
	EXPECT_STR(bad, "");
	EXPECT_INT(n, CHECKLANG_NQUERIES);
}

TEST(filters_match_the_documentation)
{
	const char *keys[CHECKLANG_NFILTERS];
	char bad[64];
	size_t i;
	int n;

	for (i = 0; i < NELEM(keys); i++)
		keys[i] = checklang_filters[i].key;
	n = doc_compare("### Filters", keys, NELEM(keys), "filter", bad, sizeof(bad));
	EXPECT_STR(bad, "");
	EXPECT_INT(n, CHECKLANG_NFILTERS);
}

TEST(predicates_match_the_documentation)
{
	const char *keys[CHECKLANG_NPREDS];
	char bad[64];
	size_t i;
	int n;

	for (i = 0; i < NELEM(keys); i++)
		keys[i] = checklang_preds[i].key;
	n = doc_compare("### Predicates", keys, NELEM(keys), "predicate", bad, sizeof(bad));
	EXPECT_STR(bad, "");
	EXPECT_INT(n, CHECKLANG_NPREDS);
}

/* Rows are complete, names and kinds unique, every kind has its row. */
TEST(rows_are_complete_and_unique)
{
	size_t i, j;

	for (i = 0; i < CHECKLANG_NQUERIES; i++) {
		EXPECT(checklang_queries[i].key && checklang_queries[i].doc && *checklang_queries[i].doc);
		/* An evaluator, and a name for messages: a label or a describer. */
		EXPECT(checklang_queries[i].eval);
		EXPECT(!checklang_queries[i].label != !checklang_queries[i].describe);
		EXPECT(checklang_query_of(checklang_queries[i].kind) == &checklang_queries[i]);
		EXPECT(checklang_query_find(checklang_queries[i].key) == &checklang_queries[i]);
		for (j = 0; j < i; j++) {
			EXPECT(strcmp(checklang_queries[i].key, checklang_queries[j].key) != 0);
			EXPECT(checklang_queries[i].kind != checklang_queries[j].kind);
		}
	}
	for (i = 0; i < CHECKLANG_NFILTERS; i++) {
		EXPECT(checklang_filters[i].key && checklang_filters[i].eval && checklang_filters[i].doc);
		EXPECT(checklang_filter_of(checklang_filters[i].kind) == &checklang_filters[i]);
		EXPECT(checklang_filter_find(checklang_filters[i].key) == &checklang_filters[i]);
	}
	EXPECT(checklang_filter_of(F_TOTAL + 1) == NULL);
	for (i = 0; i < CHECKLANG_NPREDS; i++) {
		EXPECT(checklang_preds[i].key && checklang_preds[i].doc && *checklang_preds[i].doc);
		EXPECT(checklang_pred_find(checklang_preds[i].key) == &checklang_preds[i]);
		EXPECT(checklang_pred_of(checklang_preds[i].kind) == &checklang_preds[i]);
		EXPECT(checklang_preds[i].eval && checklang_preds[i].expected[0] && checklang_preds[i].expected[1] &&
		       checklang_preds[i].described[0] && checklang_preds[i].described[1]);
		for (j = 0; j < i; j++)
			EXPECT(checklang_preds[i].kind != checklang_preds[j].kind);
	}
	EXPECT(checklang_query_find("no-such-query") == NULL);
	EXPECT(checklang_query_of(Q_LOGIN_REDIRECT + 1) == NULL);
}

int main(void)
{
	t_run("queries_match_the_documentation", queries_match_the_documentation);
	t_run("filters_match_the_documentation", filters_match_the_documentation);
	t_run("predicates_match_the_documentation", predicates_match_the_documentation);
	t_run("rows_are_complete_and_unique", rows_are_complete_and_unique);
	T_EXIT();
}
