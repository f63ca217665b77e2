/*
 * tree.h - the private, writable copy of a checkout the app runs in
 * (contracts §2: an app that makes `staticfiles/` or `logs/` in its own tree
 * at start-up boots as on its author's machine).
 *
 * Why a copy and not the checkout itself: the sandbox mounts this copy as
 * the lower layer of an overlay whose writes land on a capped tmpfs of the
 * run (sandbox_opts.cow_paths), and an overlay shows the lower files' owner
 * and mode, so a sandboxed app (its own uid, never the checkout's owner)
 * could not create a file in a project folder it does not own. The copy,
 * owned by the app's uid, is never written by the app (where the kernel
 * refuses the overlay, it is bound read-write instead).
 *
 * Cheap: files are copied in the kernel (copy_file_range, a reflink where
 * the file system has them), `.git` at the top is left out, and the files
 * of a committed virtualenv (a folder holding `pyvenv.cfg`) are hard-linked,
 * not copied: the app never needs to write there, and a hard link keeps the
 * original owner, so it stays read-only to a sandboxed app.
 *
 * The checkout is untrusted: no symlink is ever followed (each folder is
 * opened with O_NOFOLLOW relative to its parent); symlinks are recreated as
 * symlinks, resolved later inside the sandbox, where only its mounts exist.
 * FIFOs, sockets and devices are left out. Depth is capped.
 *
 * Ownership: nothing to free; `dst` is a new folder the caller removes.
 */
#ifndef GRADER_TREE_H
#define GRADER_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct tree_copy_stats {
	size_t files_copied;
	size_t files_linked;
	size_t dirs;
	size_t symlinks;
	unsigned long long bytes_copied;
};

/*
 * Copy the tree at `src` into `dst` (which must not exist; made 0755).
 * `owner` (uid = gid) owns every folder, file and symlink made, when the
 * grader is root and owner is not (uid_t)-1; hard-linked files keep theirs.
 * `skip_git`: leave out `.git` at the top (a checkout's history is not the
 * app's). stats may be NULL. 0; 1 when the tree is nested deeper than the
 * cap (err_last() then says so, for the student: setup-failed); or -1 +
 * err_last() when the grader failed.
 */
int tree_copy(const char *src, const char *dst, uid_t owner, int skip_git, struct tree_copy_stats *stats);

/* A filter: true leaves out the entry at `rel` (relative to src, '/'
 * separated); a folder left out is not entered. */
typedef bool (*tree_skip_fn)(void *ctx, const char *rel, bool is_dir);

/* tree_copy, leaving out what `skip` says (NULL: nothing). */
int tree_copy_filtered(const char *src, const char *dst, uid_t owner, int skip_git, tree_skip_fn skip,
		       void *ctx, struct tree_copy_stats *stats);

#endif
