/*
 * worktree.h - a local repository's working tree as the student has it.
 *
 * A student iterating locally grades `.`: by default the last commit is
 * graded (what they would hand in), with a warning when the working tree
 * has changes that are not committed; `grader grade --worktree` grades the
 * working tree itself (tracked files as they are on disk, plus untracked
 * files git does not ignore), so they need not commit every attempt.
 *
 * Ownership: nothing to free.
 */
#ifndef GRADER_WORKTREE_H
#define GRADER_WORKTREE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * `path` (a plain path or file:// URL) names a local repository with a
 * working tree: 0, *changed = the number of paths that differ from HEAD
 * (modified, added, deleted, untracked and not ignored), head = HEAD's
 * commit id ("" when the branch has no commit yet). 1: not a local
 * repository with a working tree (a URL, a bare repository, no folder).
 * -1 + err: libgit2 failed.
 */
int worktree_status(const char *path, size_t *changed, char head[41]);

/*
 * Copy the working tree of the local repository `path` into `dest` (new):
 * what `git status` would consider, i.e. never `.git` nor ignored files
 * (a .gitignored virtualenv or db.sqlite3 stays behind). Symlinks are
 * copied as links, never followed. 0, or -1 + err.
 */
int worktree_copy(const char *path, const char *dest);

#endif
