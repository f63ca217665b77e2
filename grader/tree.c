/*
 * tree.c - copy a checkout into the app's private writable folder (tree.h).
 *
 * Walks with directory descriptors only (openat + O_NOFOLLOW + fstatat with
 * AT_SYMLINK_NOFOLLOW), so a symlink planted in the repository can never
 * make the grader read or write outside the two trees.
 */
#include "tree.h"
#include "err.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TREE_MAX_DEPTH 64

struct walk {
	uid_t owner;          /* (uid_t)-1: keep the grader's */
	bool too_deep;        /* the submission's tree broke TREE_MAX_DEPTH */
	struct tree_copy_stats st;
	tree_skip_fn skip;    /* NULL: copy everything */
	void *ctx;
	char rel[PATH_MAX];   /* the entry's path relative to the top */
};

/* w->rel = parent + "/" + name; its old length in *saved. 0, or -1 (too long). */
static int walk_push(struct walk *w, const char *name, size_t *saved)
{
	size_t n = strlen(w->rel);
	int k = snprintf(w->rel + n, sizeof(w->rel) - n, "%s%s", n ? "/" : "", name);

	*saved = n;
	if (k < 0 || (size_t)k >= sizeof(w->rel) - n) {
		w->rel[n] = '\0';
		return err_set("a path in the repository is too long");
	}
	return 0;
}

static int tree_chown(int dirfd, const char *name, const struct walk *w)
{
	if (w->owner == (uid_t)-1)
		return 0;
	if (fchownat(dirfd, name, w->owner, (gid_t)w->owner, AT_SYMLINK_NOFOLLOW) < 0)
		return err_set_errno("cannot give %s to uid %u", name, (unsigned)w->owner);
	return 0;
}

/* Copy one regular file's bytes in the kernel; read/write when the file
 * systems cannot (copy_file_range across some of them). */
static int tree_copy_file(int sdir, int ddir, const char *name, mode_t mode, struct walk *w)
{
	int in = -1, out = -1, rc = -1;
	char buf[65536];
	ssize_t n;

	in = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0) {
		err_set_errno("cannot open %s", name);
		goto done;
	}
	/* No set-id bits on a copy the app owns. */
	out = openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (mode & 0777) | 0600);
	if (out < 0) {
		err_set_errno("cannot create %s", name);
		goto done;
	}
	for (;;) {
		n = copy_file_range(in, NULL, out, NULL, (size_t)1 << 30, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP))
			break;     /* fall back to read/write from where we are */
		if (n < 0) {
			err_set_errno("cannot copy %s", name);
			goto done;
		}
		if (n == 0)
			goto copied;
		w->st.bytes_copied += (unsigned long long)n;
	}
	for (;;) {
		ssize_t off = 0;

		n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set_errno("cannot read %s", name);
			goto done;
		}
		if (n == 0)
			break;
		while (off < n) {
			ssize_t k = write(out, buf + off, (size_t)(n - off));

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				err_set_errno("cannot write %s", name);
				goto done;
			}
			off += k;
		}
		w->st.bytes_copied += (unsigned long long)n;
	}
copied:
	w->st.files_copied++;
	rc = tree_chown(ddir, name, w);
done:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

static int tree_copy_symlink(int sdir, int ddir, const char *name, struct walk *w)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(sdir, name, target, sizeof(target) - 1);

	if (n < 0)
		return err_set_errno("cannot read the symlink %s", name);
	target[n] = '\0';
	if (symlinkat(target, ddir, name) < 0)
		return err_set_errno("cannot create the symlink %s", name);
	w->st.symlinks++;
	return tree_chown(ddir, name, w);
}

static int tree_copy_dir(int sdir, int ddir, int depth, bool top, bool skip_git, bool link_files,
			 struct walk *w);

/* Make folder `name` in ddir and copy sdir's folder of that name into it. */
static int tree_copy_subdir(int sdir, int ddir, const char *name, int depth, bool skip_git, bool link_files,
			    struct walk *w)
{
	int s2 = -1, d2 = -1, r = -1;

	if (mkdirat(ddir, name, 0755) < 0) {
		err_set_errno("cannot create the folder %s", name);
		goto done;
	}
	w->st.dirs++;
	if (tree_chown(ddir, name, w) < 0)
		goto done;
	s2 = openat(sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	d2 = openat(ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s2 < 0 || d2 < 0) {
		err_set_errno("cannot open the folder %s", name);
		goto done;
	}
	r = tree_copy_dir(s2, d2, depth + 1, false, skip_git, link_files, w);
done:
	if (s2 >= 0)
		close(s2);
	if (d2 >= 0)
		close(d2);
	return r;
}

/* Copy the entries of the open folder sdir into the open folder ddir.
 * `link_files`: inside a virtualenv, hard-link instead of copying. */
static int tree_copy_dir(int sdir, int ddir, int depth, bool top, bool skip_git, bool link_files,
			 struct walk *w)
{
	DIR *d = NULL;
	struct dirent *e;
	int dup_fd = -1, rc = -1;

	if (depth > TREE_MAX_DEPTH) {
		w->too_deep = true;
		err_set("the repository is nested more than %d folders deep", TREE_MAX_DEPTH);
		goto done;
	}
	/* A folder holding pyvenv.cfg is a virtualenv: its files are linked. */
	if (!link_files && faccessat(sdir, "pyvenv.cfg", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		link_files = true;
	dup_fd = dup(sdir);
	if (dup_fd < 0 || !(d = fdopendir(dup_fd))) {
		err_set_errno("cannot list a folder of the checkout");
		goto done;
	}
	dup_fd = -1;  /* owned by d now */
	while ((errno = 0, e = readdir(d)) != NULL) {
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (top && skip_git && !strcmp(e->d_name, ".git"))
			continue;
		if (fstatat(sdir, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			err_set_errno("cannot stat %s", e->d_name);
			goto done;
		}
		if (w->skip) {
			size_t saved;
			bool skip;
			int r = 0;

			if (walk_push(w, e->d_name, &saved) < 0)
				goto done;
			skip = w->skip(w->ctx, w->rel, S_ISDIR(st.st_mode));
			/* A folder: rel stays pushed while we descend. */
			if (!skip && S_ISDIR(st.st_mode))
				r = tree_copy_subdir(sdir, ddir, e->d_name, depth, skip_git, link_files, w);
			w->rel[saved] = '\0';
			if (r < 0)
				goto done;
			if (skip || S_ISDIR(st.st_mode))
				continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (tree_copy_subdir(sdir, ddir, e->d_name, depth, skip_git, link_files, w) < 0)
				goto done;
		} else if (S_ISREG(st.st_mode)) {
			if (link_files && linkat(sdir, e->d_name, ddir, e->d_name, 0) == 0) {
				w->st.files_linked++;
				continue;
			}
			if (tree_copy_file(sdir, ddir, e->d_name, st.st_mode, w) < 0)
				goto done;
		} else if (S_ISLNK(st.st_mode)) {
			if (tree_copy_symlink(sdir, ddir, e->d_name, w) < 0)
				goto done;
		}
		/* FIFOs, sockets, devices: not part of a project. */
	}
	if (errno) {
		err_set_errno("cannot list a folder of the checkout");
		goto done;
	}
	rc = 0;
done:
	if (d)
		closedir(d);
	if (dup_fd >= 0)
		close(dup_fd);
	return rc;
}

int tree_copy(const char *src, const char *dst, uid_t owner, int skip_git, struct tree_copy_stats *stats)
{
	return tree_copy_filtered(src, dst, owner, skip_git, NULL, NULL, stats);
}

int tree_copy_filtered(const char *src, const char *dst, uid_t owner, int skip_git, tree_skip_fn skip,
		       void *ctx, struct tree_copy_stats *stats)
{
	struct walk w;
	int sfd = -1, dfd = -1, rc = -1;

	memset(&w, 0, sizeof(w));
	w.skip = skip;
	w.ctx = ctx;
	w.owner = (owner != (uid_t)-1 && geteuid() == 0 && owner != 0) ? owner : (uid_t)-1;
	sfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0) {
		err_set_errno("cannot open %s", src);
		goto done;
	}
	if (mkdir(dst, 0755) < 0) {
		err_set_errno("cannot create %s", dst);
		goto done;
	}
	dfd = open(dst, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		err_set_errno("cannot open %s", dst);
		goto done;
	}
	if (w.owner != (uid_t)-1 && fchown(dfd, w.owner, (gid_t)w.owner) < 0) {
		err_set_errno("cannot give %s to uid %u", dst, (unsigned)w.owner);
		goto done;
	}
	if (tree_copy_dir(sfd, dfd, 0, true, skip_git != 0, false, &w) < 0) {
		/* A tree too deep is the submission's doing, not a grader error. */
		if (w.too_deep)
			rc = 1;
		goto done;
	}
	if (stats)
		*stats = w.st;
	rc = 0;
done:
	if (sfd >= 0)
		close(sfd);
	if (dfd >= 0)
		close(dfd);
	return rc;
}
