/* The string buffer: ceilings, formatting, excerpts for student messages. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "t.h"

TEST(add_respects_limit)
{
	struct gbuf b = GBUF_INIT(10);

	EXPECT_INT(gbuf_adds(&b, "hello"), 0);
	EXPECT_INT(gbuf_adds(&b, " world, this is long"), 0);
	EXPECT_INT(b.len, 10);
	EXPECT(b.truncated);
	EXPECT_STR(gbuf_str(&b), "hello worl");
	gbuf_release(&b);
}

TEST(addf_formats_long_strings)
{
	struct gbuf b = GBUF_INIT(0);
	char big[2000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	EXPECT_INT(gbuf_addf(&b, "%d-%s-%d", 1, big, 2), 0);
	EXPECT_INT(b.len, 1999 + 4);
	EXPECT(b.data[0] == '1' && b.data[b.len - 1] == '2');
	gbuf_release(&b);
}

TEST(empty_buffer_reads_as_empty_string)
{
	struct gbuf b = GBUF_INIT(0);
	char *p;
	size_t n = 99;

	EXPECT_STR(gbuf_str(&b), "");
	p = gbuf_detach(&b, &n);
	EXPECT(p != NULL);
	EXPECT_INT(n, 0);
	EXPECT_STR(p, "");
	free(p);
}

TEST(excerpt_cuts_on_utf8_boundary)
{
	struct gbuf b = GBUF_INIT(0);

	/* "héllo" with é = 2 bytes; a cut at 2 bytes must not split é. */
	EXPECT_INT(gbuf_add_excerpt(&b, "h\xC3\xA9llo", 6, 2), 0);
	EXPECT_STR(gbuf_str(&b), "h\xE2\x80\xA6");
	gbuf_release(&b);
}

TEST(excerpt_replaces_invalid_utf8_and_controls)
{
	struct gbuf b = GBUF_INIT(0);

	EXPECT_INT(gbuf_add_excerpt(&b, "a\xFF\nb\r\n\tc", 8, 100), 0);
	EXPECT_STR(gbuf_str(&b), "a\xEF\xBF\xBD b c");
	gbuf_release(&b);
}

TEST(excerpt_rejects_overlong_and_surrogates)
{
	struct gbuf b = GBUF_INIT(0);

	/* C0 AF is an overlong '/', ED A0 80 a UTF-16 surrogate. */
	EXPECT_INT(gbuf_add_excerpt(&b, "\xC0\xAF\xED\xA0\x80", 5, 100), 0);
	EXPECT(strstr(gbuf_str(&b), "/") == NULL);
	EXPECT(strncmp(gbuf_str(&b), "\xEF\xBF\xBD", 3) == 0);
	gbuf_release(&b);
}

/* What a cut left open is closed after its "…", as the text closed it. */
static const char *closed_excerpt(struct gbuf *b, const char *src, size_t max)
{
	gbuf_reset(b);
	if (gbuf_add_excerpt(b, src, strlen(src), max) < 0 || gbuf_close_excerpt(b, src, strlen(src)) < 0)
		return "(failed)";
	return gbuf_str(b);
}

TEST(excerpt_closes_what_its_cut_left_open)
{
	struct gbuf b = GBUF_INIT(0);

	/* A quote of prose (h1039). */
	EXPECT_STR(closed_excerpt(&b, "page text was \"Recipes None yet\"; expected", 20),
		   "page text was \"Recip\xE2\x80\xA6\"");
	/* Not a JSON excerpt's string or key (h1065: '"description…"'). */
	EXPECT_STR(closed_excerpt(&b, "the item {\"id\": 8, \"description\": \"\"}", 22),
		   "the item {\"id\": 8, \"de\xE2\x80\xA6");
	EXPECT_STR(closed_excerpt(&b, "errors [\"Photos must be small\"]", 14), "errors [\"Photo\xE2\x80\xA6");
	EXPECT_STR(closed_excerpt(&b, "{\"name\": \"Desk lamp\"}", 14), "{\"name\": \"Desk\xE2\x80\xA6");
	/* A parenthesis the text closed (h1066), after the quote inside it. */
	EXPECT_STR(closed_excerpt(&b, "302 (an API answers 401 or 403) then", 16),
		   "302 (an API answ\xE2\x80\xA6)");
	EXPECT_STR(closed_excerpt(&b, "(a (b \"cd ef\")) g", 11), "(a (b \"cd e\xE2\x80\xA6\"))");
	/* Nothing the text left open itself, nothing uncut. */
	EXPECT_STR(closed_excerpt(&b, "a note (left open by the app and long", 10), "a note (le\xE2\x80\xA6");
	EXPECT_STR(closed_excerpt(&b, "short (and \"whole\")", 100), "short (and \"whole\")");
	gbuf_release(&b);
}

/* A message's note cut mid-word is cut back to its last clause or word
 * (h1164: "or a patter…", h1166: "(a field the objec…)"). */
static const char *note_cut(struct gbuf *b, const char *src, size_t max)
{
	gbuf_reset(b);
	if (gbuf_add_excerpt(b, src, strlen(src), max) < 0 || gbuf_excerpt_at_word(b) < 0 ||
	    gbuf_close_excerpt(b, src, strlen(src)) < 0)
		return "(failed)";
	return gbuf_str(b);
}

TEST(excerpt_of_a_note_ends_at_a_word)
{
	struct gbuf b = GBUF_INIT(0);

	/* So little left of the note that it goes whole, and its mark. */
	EXPECT_STR(note_cut(&b, "renders nothing (a field the object lacks); expected", 33), "renders nothing");
	EXPECT_STR(note_cut(&b, "renders nothing (a field the object lacks and needs); expected", 47),
		   "renders nothing (a field the object lacks and \xE2\x80\xA6)");
	/* Back to the last clause when the note has one. */
	EXPECT_STR(note_cut(&b, "answered 405 (allows GET, HEAD: a view without post(), or a pattern before)", 64),
		   "answered 405 (allows GET, HEAD: a view without post(), \xE2\x80\xA6)");
	/* Cut after a whole word already: as it was. */
	EXPECT_STR(note_cut(&b, "answered 302 (an API answers 401)", 21), "answered 302 (an API \xE2\x80\xA6)");
	/* A quote or a JSON value in the note, or no note: cut where it was. */
	EXPECT_STR(note_cut(&b, "answered 400 ({\"quantity\": [\"must be positive\"]})", 36),
		   "answered 400 ({\"quantity\": [\"must be\xE2\x80\xA6)");
	EXPECT_STR(note_cut(&b, "page text was Recipes none yet", 18), "page text was Reci\xE2\x80\xA6");
	/* A clause cut in its first word goes, its "; " too (h1198). */
	EXPECT_STR(note_cut(&b, "answered 200; body was 934 bytes", 15), "answered 200\xE2\x80\xA6");
	EXPECT_STR(note_cut(&b, "answered 200; body was 934 bytes", 29), "answered 200; body was 934 by\xE2\x80\xA6");
	EXPECT_STR(note_cut(&b, "answered 200; \"quoted text here\"", 17), "answered 200; \"qu\xE2\x80\xA6\"");
	/* A note of one word: nothing to go back to. */
	EXPECT_STR(note_cut(&b, "answered 404 (unreachable)", 19), "answered 404 (unrea\xE2\x80\xA6)");
	/* Nothing cut, nothing changed. */
	EXPECT_STR(note_cut(&b, "answered 404 (a note)", 100), "answered 404 (a note)");
	gbuf_release(&b);
}

TEST(read_file_missing_sets_error)
{
	struct gbuf b = GBUF_INIT(0);

	EXPECT_INT(gbuf_read_file(&b, "/nonexistent/grader/file"), -1);
	EXPECT(strstr(err_last(), "/nonexistent/grader/file") != NULL);
	gbuf_release(&b);
}

TEST(read_file_respects_limit)
{
	struct gbuf b = GBUF_INIT(100);

	EXPECT_INT(gbuf_read_file(&b, "/proc/self/maps"), 0);
	EXPECT(b.len <= 100);
	EXPECT(b.len > 0);
	gbuf_release(&b);
}

/* An open descriptor read to its end, or to the buffer's ceiling: an
 * endless file costs the limit and a flag; a read error names the file. */
TEST(read_fd_stops_at_limit_and_names_errors)
{
	struct gbuf b = GBUF_INIT(1000);
	int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);

	EXPECT(fd >= 0);
	EXPECT_INT(gbuf_read_fd(&b, fd, "zeros"), 0);
	close(fd);
	EXPECT_INT(b.len, 1000);
	EXPECT(b.truncated);
	gbuf_release(&b);
	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	EXPECT(fd >= 0);
	EXPECT_INT(gbuf_read_fd(&b, fd, "the root folder"), -1);
	close(fd);
	EXPECT(strncmp(err_last(), "cannot read the root folder: ", 29) == 0);
	gbuf_release(&b);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	EXPECT_INT(gbuf_read_fd(&b, fd, "nothing"), 0);
	close(fd);
	/* Empty, but a string all the same. */
	EXPECT(b.data != NULL && b.len == 0 && !b.truncated);
	gbuf_release(&b);
}

TEST(err_wrap_prefixes)
{
	err_set("inner %d", 7);
	err_wrap("outer");
	EXPECT_STR(err_last(), "outer: inner 7");
}

int main(void)
{
	RUN(add_respects_limit);
	RUN(addf_formats_long_strings);
	RUN(empty_buffer_reads_as_empty_string);
	RUN(excerpt_cuts_on_utf8_boundary);
	RUN(excerpt_replaces_invalid_utf8_and_controls);
	RUN(excerpt_rejects_overlong_and_surrogates);
	RUN(excerpt_closes_what_its_cut_left_open);
	RUN(excerpt_of_a_note_ends_at_a_word);
	RUN(read_file_missing_sets_error);
	RUN(read_file_respects_limit);
	RUN(read_fd_stops_at_limit_and_names_errors);
	RUN(err_wrap_prefixes);
	T_EXIT();
}
