/*
 * buf.h - the one growable string buffer, with a size ceiling.
 *
 * Everything that comes from a submission (HTTP bodies, app output,
 * tracebacks) goes through a gbuf whose `limit` bounds how much memory it may
 * take. Appends past the limit are dropped and set `truncated`; they never
 * fail, so a hostile 50 MB response costs at most `limit` bytes and a flag.
 * Appends can still fail on out-of-memory below the limit (returns -1).
 *
 * `data` is always NUL-terminated once anything was appended (it may contain
 * NULs of its own: use `len`). The struct is transparent on purpose, like
 * git's strbuf: it is a value type embedded in other structs.
 *
 * Ownership: the gbuf owns `data`; gbuf_release() frees it and resets the
 * buffer to empty (keeping the limit). gbuf_detach() hands `data` to the
 * caller, who frees it with free().
 */
#ifndef GRADER_BUF_H
#define GRADER_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gbuf {
	char *data;
	size_t len;
	size_t cap;
	size_t limit;     /* ceiling on len; 0 means GBUF_DEFAULT_LIMIT */
	bool truncated;   /* something was dropped at the ceiling */
};

#define GBUF_DEFAULT_LIMIT ((size_t)64 << 20)
#define GBUF_INIT(lim) { NULL, 0, 0, (lim), false }

void gbuf_init(struct gbuf *b, size_t limit);
int gbuf_add(struct gbuf *b, const void *data, size_t len);
int gbuf_adds(struct gbuf *b, const char *s);
int gbuf_addch(struct gbuf *b, char c);
int gbuf_addf(struct gbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int gbuf_addvf(struct gbuf *b, const char *fmt, va_list ap);
void gbuf_reset(struct gbuf *b);      /* len = 0, keeps memory */
void gbuf_release(struct gbuf *b);    /* frees memory */
char *gbuf_detach(struct gbuf *b, size_t *len); /* never NULL unless OOM */
const char *gbuf_str(const struct gbuf *b);     /* "" when empty */

/*
 * Append `s` (len bytes, possibly invalid UTF-8) as a short excerpt fit for a
 * student-facing message: at most `max` bytes, cut on a UTF-8 boundary,
 * invalid sequences replaced by U+FFFD, control characters as spaces, and
 * "…" appended when cut.
 */
int gbuf_add_excerpt(struct gbuf *b, const char *s, size_t len, size_t max);

/*
 * After an excerpt ending in "…" whose cut fell inside a parenthesis of
 * prose (a note, no quote open in it): the cut moved back to the note's
 * last clause (after ", " or "; ") or, with none, its last word, within
 * the note, so a student never reads half a word ("or a patter…)"
 * becomes "post(), …)"); a note left with fewer than 24 bytes is dropped
 * whole, "…" and all ("(a field the objec…)" said nothing). Outside any
 * note, a clause begun after "; " and cut within its first 12 bytes goes
 * with its "; " ("answered 200; b…" becomes "answered 200…"). A JSON
 * excerpt or a quote is left as cut: there the "…" marks a value, not
 * words.
 */
int gbuf_excerpt_at_word(struct gbuf *b);

/*
 * After an excerpt of `src` (len bytes) ending in "…": close what the cut
 * left open in b, a quote of prose (its last double quote after a word and
 * a space: 'page text was "…'; never a JSON excerpt's string or key, which
 * the "…" already marks) and each parenthesis src closed and b does not.
 */
int gbuf_close_excerpt(struct gbuf *b, const char *src, size_t len);

/*
 * Append s (untrusted, NUL-terminated; NULL as "") as HTML text or a quoted
 * attribute value: & < > " ' escaped, invalid UTF-8 replaced by U+FFFD,
 * control characters (C0 but \n and \t, DEL, C1) dropped. The one escaper
 * of every page the grader writes (class report, service).
 */
int gbuf_add_html(struct gbuf *b, const char *s);

/*
 * Length (1 to 4) of the valid UTF-8 sequence at s, of which `left` bytes
 * are available, or 0 when it is not valid UTF-8 (overlong forms, UTF-16
 * surrogates and values past U+10FFFF included). *cp gets the code point
 * when cp is non-NULL. The one UTF-8 decoder of the grader.
 */
size_t utf8_decode(const unsigned char *s, size_t left, uint32_t *cp);

/*
 * Read a whole file into b, at most b's limit: past it, reading stops and
 * `truncated` is set, so the cap is the buffer's and a huge or endless file
 * (/dev/zero, a FIFO kept open) costs at most `limit` bytes. data is
 * non-NULL afterwards, even for an empty file. 0, or -1 + err ("cannot open
 * PATH: ...", "cannot read NAME: ..."; errno kept for the caller).
 * gbuf_read_fd reads an open descriptor to its end (the caller opened it
 * with the checks it needs: O_NOFOLLOW, beneath a folder, a regular file)
 * and does not close it; `name` is what an error calls it.
 */
int gbuf_read_file(struct gbuf *b, const char *path);
int gbuf_read_fd(struct gbuf *b, int fd, const char *name);

#endif
