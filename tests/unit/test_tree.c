/* Unit tests for tree.c: the app's private writable copy of its checkout. */
#include "t.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "sandbox.h"
#include "tree.h"

static char t_root[256];

static void t_write(const char *rel, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", t_root, rel);
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static int t_read_is(const char *path, const char *want)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strcmp(buf, want) == 0;
}

/* src: a project, .git, a nested folder, a symlink out of the tree, a
 * FIFO, and a committed virtualenv. */
static void t_make_src(void)
{
	char p[512];

	snprintf(t_root, sizeof(t_root), "%s/grader-tree-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(t_root))
		return;
	snprintf(p, sizeof(p), "%s/src", t_root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/src/.git", t_root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/src/app", t_root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/src/venv", t_root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/src/venv/lib", t_root);
	mkdir(p, 0755);
	t_write("src/manage.py", "print('hi')\n");
	t_write("src/.git/HEAD", "ref: refs/heads/main\n");
	t_write("src/app/models.py", "# models\n");
	t_write("src/venv/pyvenv.cfg", "home = /usr/bin\n");
	t_write("src/venv/lib/big.py", "x = 1\n");
	snprintf(p, sizeof(p), "%s/src/app/escape", t_root);
	(void)symlink("/etc/passwd", p);
	snprintf(p, sizeof(p), "%s/src/fifo", t_root);
	(void)mkfifo(p, 0644);
	snprintf(p, sizeof(p), "%s/src/run.sh", t_root);
	t_write("src/run.sh", "#!/bin/sh\n");
	chmod(p, 04755);
}

TEST(copy_is_private_and_writable)
{
	char src[300], dst[300], p[640], link[256];
	struct tree_copy_stats st;
	struct stat a, b;
	ssize_t n;

	t_make_src();
	snprintf(src, sizeof(src), "%s/src", t_root);
	snprintf(dst, sizeof(dst), "%s/app", t_root);
	EXPECT_INT(tree_copy(src, dst, (uid_t)-1, 1, &st), 0);
	/* Files are there with their content; .git and the FIFO are not. */
	snprintf(p, sizeof(p), "%s/manage.py", dst);
	EXPECT(t_read_is(p, "print('hi')\n"));
	snprintf(p, sizeof(p), "%s/app/models.py", dst);
	EXPECT(t_read_is(p, "# models\n"));
	snprintf(p, sizeof(p), "%s/.git", dst);
	EXPECT(access(p, F_OK) != 0);
	snprintf(p, sizeof(p), "%s/fifo", dst);
	EXPECT(access(p, F_OK) != 0);
	/* A symlink is copied as a link, never followed. */
	snprintf(p, sizeof(p), "%s/app/escape", dst);
	n = readlink(p, link, sizeof(link) - 1);
	EXPECT(n > 0);
	link[n] = '\0';
	EXPECT_STR(link, "/etc/passwd");
	/* Writing the copy leaves the original alone. */
	snprintf(p, sizeof(p), "%s/manage.py", dst);
	{
		FILE *f = fopen(p, "w");

		EXPECT(f != NULL);
		fputs("changed\n", f);
		fclose(f);
	}
	snprintf(p, sizeof(p), "%s/manage.py", src);
	EXPECT(t_read_is(p, "print('hi')\n"));
	/* No set-id bit survives. */
	snprintf(p, sizeof(p), "%s/run.sh", dst);
	EXPECT(stat(p, &a) == 0);
	EXPECT((a.st_mode & 07000) == 0);
	EXPECT((a.st_mode & 0700) == 0700);
	/* The virtualenv's files are hard links (cheap), the rest copies. */
	snprintf(p, sizeof(p), "%s/venv/lib/big.py", src);
	EXPECT(stat(p, &a) == 0);
	snprintf(p, sizeof(p), "%s/venv/lib/big.py", dst);
	EXPECT(stat(p, &b) == 0);
	EXPECT(a.st_ino == b.st_ino);
	EXPECT_INT(st.files_linked, 2);
	EXPECT_INT(st.files_copied, 3);
	EXPECT_INT(st.symlinks, 1);
	/* dst must be new. */
	EXPECT_INT(tree_copy(src, dst, (uid_t)-1, 1, NULL), -1);
	EXPECT(strstr(err_last(), "cannot create") != NULL);
	sandbox_remove_tree(t_root);
}

/* Everything made belongs to the sandbox's uid (when the grader is root;
 * else to the grader, which is then the sandbox's uid), so the app can
 * create files in its own project folder. */
TEST(copy_owned_by_the_app)
{
	char src[300], dst[300], p[640];
	uid_t want = geteuid() == 0 ? 60123 : geteuid();
	struct stat a;

	t_make_src();
	snprintf(src, sizeof(src), "%s/src", t_root);
	snprintf(dst, sizeof(dst), "%s/app", t_root);
	EXPECT_INT(tree_copy(src, dst, 60123, 1, NULL), 0);
	EXPECT(stat(dst, &a) == 0 && a.st_uid == want && a.st_gid == (gid_t)want);
	snprintf(p, sizeof(p), "%s/app", dst);
	EXPECT(stat(p, &a) == 0 && a.st_uid == want);
	snprintf(p, sizeof(p), "%s/app/models.py", dst);
	EXPECT(stat(p, &a) == 0 && a.st_uid == want);
	snprintf(p, sizeof(p), "%s/app/escape", dst);
	EXPECT(lstat(p, &a) == 0 && a.st_uid == want);
	sandbox_remove_tree(t_root);
}

int main(void)
{
	RUN(copy_is_private_and_writable);
	RUN(copy_owned_by_the_app);
	T_EXIT();
}
