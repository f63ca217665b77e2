/*
 * routes.h - a submission's own paths for the contract's (issue 5).
 *
 * A submission may carry `grader.yaml` (at the repository root or beside
 * manage.py) mapping the contract's paths to its own (and, at the root
 * only, naming the project to grade: `project: capstone`, routes_project):
 *
 *     routes:
 *       /tickets/new/: /support/create/
 *       /tickets/: /support/
 *
 * Three kinds of entries (issue 9):
 *   /tickets/: /support/              a prefix: the path and all under it;
 *   /tickets/{id}/: /chamados/{id}/   a pattern: {name} is one path segment,
 *                                     the same names on both sides;
 *   /tickets/new/$: /abrir/           an exact path ('$' ends the key).
 * Requests the suite writes (step URLs, the page of a `submit`) go through
 * routes_to_app(); what the app answers with (Location headers, final
 * URLs) goes back through routes_to_contract(), so assertions and captured
 * paths stay in the contract's terms and the suite does not change. An
 * exact entry wins; otherwise the entry that matches the longest part of
 * the path, a literal one before a pattern. Mapping back, a prefix entry
 * whose app side is "/" applies to "/" itself only: a redirect to
 * /accounts/login/ must not come back as /tickets/accounts/login/; and a
 * path the app serves as it is, under a folder the routes name on their
 * contract side, comes back as itself (/tickets/1/ beside
 * "/tickets/{id}/status/: /tickets/{id}/").
 *
 * The file is untrusted input: at most 64 KiB and 100 routes, every path
 * must start with '/' and hold no spaces or control characters.
 *
 * Ownership: routes_load() -> routes_free(). NULL is a valid empty mapping.
 */
#ifndef GRADER_ROUTES_H
#define GRADER_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct routes;

/* 0: loaded (*out NULL when the submission has no grader.yaml); 1: the file
 * is wrong, `diagnosis` says where ("grader.yaml:3:5: ..."); -1: error. */
int routes_load(const char *checkout, const char *project_dir, struct routes **out, struct gbuf *diagnosis);
void routes_free(struct routes *r);
/*
 * The project folder the repository root's grader.yaml names (`project:
 * capstone`), for a repository holding several Django projects (a course
 * portfolio, h375): *project (malloc'd, the caller frees) is NULL when the
 * file or the key is absent. Read before the project is found, so only the
 * root's file counts. 0; 1: the key is wrong, `diagnosis` says where; -1.
 */
int routes_project(const char *checkout, char **project, struct gbuf *diagnosis);

/*
 * A file meant as grader.yaml that routes_load() does not read: another
 * spelling beside manage.py or at the root (grader.yml), or grader.yaml in
 * a folder of the project (config/grader.yaml, h390). True with its path,
 * relative to the checkout, in found[cap]; links are never followed.
 */
bool routes_misplaced(const char *checkout, const char *project_dir, char *found, size_t cap);

/*
 * Keys of the grader.yaml routes_load() reads that the grader does not read
 * (`route:`, `Routes:`, `paths:`): their lines map nothing, and every check
 * would fail on 404s with no word of why (h438). True with up to three,
 * quoted and comma-separated, in found[cap]. Best effort: a file that does
 * not parse holds none (routes_load() says why).
 */
bool routes_unread_keys(const char *checkout, const char *project_dir, char *found, size_t cap);

size_t routes_count(const struct routes *r);
/* The i-th mapping, for reports: contract path and app path. */
void routes_get(const struct routes *r, size_t i, const char **contract, const char **app);

/* Whether "contract: app" is a line routes_load() accepts (both paths
 * well formed, the same placeholders on both sides): the report suggests
 * no other. */
bool routes_line_ok(const char *contract, const char *app);

/*
 * Whether a path the app serves, as the boot lists them ("/api/{pk}/": a
 * placeholder is one segment of at least one character, a last one the
 * rest of the path), matches `path` (no query): 1 yes, 0 no, -1 the
 * served path is no plain pattern (a regex's syntax left in it, or too
 * long), so nothing can be told.
 */
int routes_served_match(const char *served, const char *path);

/* Whether a segment a redirect added ("/en", "/pt-br", "/zh-hans") reads
 * as a language code, as i18n_patterns writes them. */
bool routes_is_lang_prefix(const char *seg);

/* Append `path` mapped into the app's terms (or unchanged) to out. */
int routes_to_app(const struct routes *r, const char *path, struct gbuf *out);
/* Append `path` mapped back into the contract's terms (or unchanged). */
int routes_to_contract(const struct routes *r, const char *path, struct gbuf *out);

#endif
