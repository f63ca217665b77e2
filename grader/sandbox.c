/*
 * sandbox.c - the portable half of the sandbox: back-end names, the cached
 * probe, and safe tree removal and sealing. Profiles (sandboxes/NAME.yaml)
 * are sandbox_profile.c's. The namespaces, mounts, seccomp, cgroups, PID 1
 * and every other Linux-only call (openat2 for the tree walks among them)
 * live in sandbox_linux.c, behind sandbox_internal.h.
 */
#include "sandbox.h"
#include "sandbox_internal.h"
#include "err.h"
#include "vec.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

const char *sandbox_mode_name(enum sandbox_mode m)
{
	switch (m) {
	case SANDBOX_USERNS: return "userns";
	case SANDBOX_ROOT: return "root";
	case SANDBOX_NONE: break;
	}
	return "none";
}

int sandbox_mode_parse(const char *name, enum sandbox_mode *out)
{
	if (!strcmp(name, "userns"))
		*out = SANDBOX_USERNS;
	else if (!strcmp(name, "root"))
		*out = SANDBOX_ROOT;
	else if (!strcmp(name, "none"))
		*out = SANDBOX_NONE;
	else
		return err_set("unknown sandbox mode '%s'; expected userns, root or none", name);
	return 0;
}

/* ---- probe cache --------------------------------------------------------- */

static pthread_mutex_t probe_lock = PTHREAD_MUTEX_INITIALIZER;
static bool probe_done;
static enum sandbox_mode probe_mode;
static char probe_why[512];

int sandbox_probe(enum sandbox_mode *mode, struct gbuf *why)
{
	struct gbuf w = GBUF_INIT(sizeof(probe_why) - 1);
	int rc = -1;

	pthread_mutex_lock(&probe_lock);
	if (!probe_done) {
		if (sandbox_linux_probe(&probe_mode, &w) < 0)
			goto done;
		snprintf(probe_why, sizeof(probe_why), "%s", gbuf_str(&w));
		probe_done = true;
	}
	*mode = probe_mode;
	if (why && probe_why[0] && gbuf_adds(why, probe_why) < 0)
		goto done;
	rc = 0;
done:
	pthread_mutex_unlock(&probe_lock);
	gbuf_release(&w);
	return rc;
}

/* ---- safe tree removal --------------------------------------------------- */

/* Directories kept open while removing (the deepest ones, plus the top):
 * a tree of any depth is removed with a bounded number of descriptors. */
#define REMOVE_OPEN_DIRS 32

/* One directory on the way down: its stream (NULL while closed to save
 * descriptors) and its name in its parent (NULL for the top). */
struct rm_frame {
	DIR *d;
	char *name;
};

/* A stream for the directory open at fd (consumed), made writable first:
 * the submission may have left its directories read-only. */
static DIR *rm_opendir(int fd)
{
	DIR *d;

	(void)fchmod(fd, 0700);
	d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

/* Reopen frames[i] (closed) from its nearest open ancestor, one component
 * at a time (each openat2 beneath the previous), keeping the last
 * REMOVE_OPEN_DIRS of the reopened path open. Frame 0 is always open. */
static int rm_reopen(struct rm_frame *f, size_t i)
{
	size_t j = i, k;

	while (j > 0 && !f[j - 1].d)
		j--;
	if (j == 0)
		return err_set("removing a tree: lost its top folder");
	for (k = j; k <= i; k++) {
		int fd = sandbox_linux_open_beneath(dirfd(f[k - 1].d), f[k].name);

		if (fd < 0 || !(f[k].d = rm_opendir(fd)))
			return err_set_errno("openat2 %s", f[k].name);
	}
	for (k = j; k + REMOVE_OPEN_DIRS <= i; k++) {
		closedir(f[k].d);
		f[k].d = NULL;
	}
	return 0;
}

/*
 * Empty the directory open at fd (consumed). Iterative, with an explicit
 * stack instead of recursion: no depth limit (a tree 300 or 30,000 folders
 * deep goes too) and at most REMOVE_OPEN_DIRS + 1 descriptors. A frame
 * closed on the way down is reopened on the way up and read again from its
 * start: what was removed is gone, so nothing is visited twice.
 */
static int remove_contents(int fd)
{
	struct rm_frame *f = NULL;
	size_t n = 0, cap = 0, k;
	struct dirent *de;
	int rc = -1;

	if (VEC_RESERVE(f, cap, 1) < 0) {
		close(fd);
		goto done;
	}
	f[0].name = NULL;
	if (!(f[0].d = rm_opendir(fd))) {
		rc = err_set_errno("fdopendir");
		goto done;
	}
	n = 1;
	while (n > 0) {
		struct rm_frame *top = &f[n - 1];
		struct stat st;
		int cfd;

		if (!top->d && rm_reopen(f, n - 1) < 0)
			goto done;
		errno = 0;
		de = readdir(top->d);
		if (!de) {
			if (errno) {
				rc = err_set_errno("readdir %s", top->name ? top->name : ".");
				goto done;
			}
			/* Empty now: remove it from its parent and go up. */
			closedir(top->d);
			top->d = NULL;
			if (n == 1)
				break;
			if (!f[n - 2].d && rm_reopen(f, n - 2) < 0)
				goto done;
			if (unlinkat(dirfd(f[n - 2].d), top->name, AT_REMOVEDIR) < 0 && errno != ENOENT) {
				rc = err_set_errno("rmdir %s", top->name);
				goto done;
			}
			free(top->name);
			top->name = NULL;
			n--;
			continue;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(top->d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue;
			rc = err_set_errno("stat %s", de->d_name);
			goto done;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (unlinkat(dirfd(top->d), de->d_name, 0) < 0 && errno != ENOENT) {
				rc = err_set_errno("unlink %s", de->d_name);
				goto done;
			}
			continue;
		}
		cfd = sandbox_linux_open_beneath(dirfd(top->d), de->d_name);
		if (cfd < 0 && (errno == ELOOP || errno == ENOTDIR)) {
			/* Swapped for a symlink or file since the stat: unlink the entry itself. */
			if (unlinkat(dirfd(top->d), de->d_name, 0) < 0 && errno != ENOENT) {
				rc = err_set_errno("unlink %s", de->d_name);
				goto done;
			}
			continue;
		}
		if (cfd < 0) {
			rc = err_set_errno("openat2 %s", de->d_name);
			goto done;
		}
		if (VEC_RESERVE(f, cap, n + 1) < 0) {
			close(cfd);
			goto done;
		}
		f[n].name = strdup(de->d_name);
		if (!f[n].name) {
			close(cfd);
			rc = err_set("out of memory");
			goto done;
		}
		if (!(f[n].d = rm_opendir(cfd))) {
			rc = err_set_errno("fdopendir %s", f[n].name);
			free(f[n].name);
			f[n].name = NULL;
			goto done;
		}
		n++;
		/* Keep the deepest directories and the top open, close the rest. */
		if (n > REMOVE_OPEN_DIRS + 1 && f[n - 1 - REMOVE_OPEN_DIRS].d) {
			closedir(f[n - 1 - REMOVE_OPEN_DIRS].d);
			f[n - 1 - REMOVE_OPEN_DIRS].d = NULL;
		}
	}
	rc = 0;
done:
	for (k = 0; f && k < n; k++) {
		if (f[k].d)
			closedir(f[k].d);
		free(f[k].name);
	}
	free(f);
	return rc;
}

int sandbox_remove_tree(const char *path)
{
	int fd = -1;
	int rc = -1;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) {
			rc = 0;
			goto done;
		}
		if (errno == ENOTDIR || errno == ELOOP) {
			if (unlink(path) < 0)
				rc = err_set_errno("unlink %s", path);
			else
				rc = 0;
			goto done;
		}
		rc = err_set_errno("open %s", path);
		goto done;
	}
	rc = remove_contents(fd);
	fd = -1;
	if (rc < 0) {
		err_wrap("removing %s", path);
		goto done;
	}
	if (rmdir(path) < 0 && errno != ENOENT) {
		rc = err_set_errno("rmdir %s", path);
		goto done;
	}
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	return rc;
}

/* ---- publishing a tree untrusted code wrote ------------------------------ */

#define SEAL_MAX_DEPTH 256

/*
 * Seal the directory open at fd (consumed): children first, then the
 * directory itself, so that an unprivileged grader can still delete
 * special files before the directory loses its write bit. Runs once every
 * process of the sandbox that wrote the tree is dead (its PID namespace is
 * gone), so nothing swaps an entry between the stat and the change; the
 * openat2 walk still never follows a symlink.
 */
static int seal_contents(int fd, int depth, bool chown_them, uid_t uid, gid_t gid)
{
	DIR *d = NULL;
	struct dirent *de;
	struct stat st;
	int rc = -1;

	if (depth > SEAL_MAX_DEPTH) {
		rc = err_set("directory tree deeper than %d levels", SEAL_MAX_DEPTH);
		goto done;
	}
	if (fstat(fd, &st) < 0) {
		rc = err_set_errno("fstat");
		goto done;
	}
	(void)fchmod(fd, 0700); /* readable and writable for the walk */
	d = fdopendir(fd);
	if (!d) {
		rc = err_set_errno("fdopendir");
		goto done;
	}
	fd = -1;
	while ((errno = 0, de = readdir(d))) {
		struct stat cs;
		int cfd;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &cs, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = err_set_errno("stat %s", de->d_name);
			goto done;
		}
		if (S_ISDIR(cs.st_mode)) {
			cfd = sandbox_linux_open_beneath(dirfd(d), de->d_name);
			if (cfd < 0) {
				rc = err_set_errno("openat2 %s", de->d_name);
				goto done;
			}
			if (seal_contents(cfd, depth + 1, chown_them, uid, gid) < 0)
				goto done;
		} else if (S_ISREG(cs.st_mode) || S_ISLNK(cs.st_mode)) {
			if (chown_them && fchownat(dirfd(d), de->d_name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) {
				rc = err_set_errno("chown %s", de->d_name);
				goto done;
			}
			/* 0555 keeps read and execute, drops write, setuid,
			 * setgid and sticky (chown cleared set-ids already). */
			if (S_ISREG(cs.st_mode) &&
			    fchmodat(dirfd(d), de->d_name, cs.st_mode & 0555, 0) < 0) {
				rc = err_set_errno("chmod %s", de->d_name);
				goto done;
			}
		} else if (unlinkat(dirfd(d), de->d_name, 0) < 0) {
			/* A FIFO, socket or device node has no business in an
			 * environment, and could block a reader. */
			rc = err_set_errno("unlink %s", de->d_name);
			goto done;
		}
	}
	if (errno) {
		rc = err_set_errno("readdir");
		goto done;
	}
	if (chown_them && fchown(dirfd(d), uid, gid) < 0) {
		rc = err_set_errno("chown");
		goto done;
	}
	if (fchmod(dirfd(d), (st.st_mode & 0555) | 0500) < 0) {
		rc = err_set_errno("chmod");
		goto done;
	}
	rc = 0;
done:
	if (d)
		closedir(d);
	if (fd >= 0)
		close(fd);
	return rc;
}

int sandbox_seal_tree(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc = -1;

	if (fd < 0) {
		rc = err_set_errno("open %s", path);
		goto done;
	}
	rc = seal_contents(fd, 0, geteuid() == 0, geteuid(), getegid());
	fd = -1;
	if (rc < 0)
		err_wrap("sealing %s", path);
done:
	return rc;
}
