/*
 * source.h - one name for one repository, however it was written.
 *
 * A class's roster, an instructor's shell history and a student's own
 * command line write the same repository many ways: `./alice`, `alice/`,
 * `/srv/class/alice`, `file:///srv/class/alice`, `alice/.git`,
 * `https://TOKEN@github.com/Org/alice.git/`. The store keys submissions on
 * the canonical form, so all of these are one submission, and no credential
 * ever reaches the store or a report.
 *
 *  - local paths and file:// URLs: an absolute path, symlinks resolved when
 *    the folder exists (realpath), else normalised lexically (`.`, `..`,
 *    repeated and trailing slashes); a trailing `/.git` folder names its
 *    work tree; file:// percent-escapes are decoded.
 *  - https:// (and any other URL): scheme and host in lower case, the
 *    user-info part (user:password@, token@) dropped, the default port
 *    dropped, trailing slashes and one trailing `.git` dropped (forges serve
 *    `repo` and `repo.git` as one repository). The path keeps its case.
 *
 * Ownership: *out is malloc'd; the caller frees it.
 */
#ifndef GRADER_SOURCE_H
#define GRADER_SOURCE_H

/* 0 and *out set, or -1 + err (out of memory, or an empty source). */
int source_canonical(const char *source, char **out);

/* A copy of `source` with any user-info (credentials) of a URL removed and
 * nothing else changed: what may be shown or logged. malloc'd, NULL on OOM. */
char *source_redact(const char *source);

#endif
