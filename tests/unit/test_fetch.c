/*
 * test_fetch.c - clones of repositories built here with the git CLI.
 * Only local paths, file:// and a loopback https URL are touched.
 */
#include "fetch.h"
#include "err.h"
#include "t.h"

#include <arpa/inet.h>
#include <git2.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char root[256];        /* scratch folder of this run */
static char repo[300];        /* the source repository */
static char head_id[41], tag_id[41], feature_id[41], first_id[41];
static int nclone;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void read_line(const char *cmd, char *out, size_t n)
{
	FILE *f = popen(cmd, "r");

	out[0] = '\0';
	if (!f)
		return;
	if (fgets(out, (int)n, f))
		out[strcspn(out, "\n")] = '\0';
	pclose(f);
}

static void next_dest(char *dest, size_t n)
{
	snprintf(dest, n, "%s/clone%d", root, ++nclone);
}

static int file_has(const char *path, const char *want)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");
	size_t r;

	if (!f)
		return 0;
	r = fread(buf, 1, sizeof(buf) - 1, f);
	buf[r] = '\0';
	fclose(f);
	return strstr(buf, want) != NULL;
}

/*
 * main: manage.py "v2" (HEAD); tag v1 (annotated) on the first commit;
 * branch feature with feature.txt.
 */
static int setup_repo(void)
{
	char cmd[600];

	snprintf(root, sizeof(root), "/tmp/fetchenv/test_fetch.%d", (int)getpid());
	snprintf(repo, sizeof(repo), "%s/src", root);
	if (sh("rm -rf %s && mkdir -p %s", root, repo) != 0)
		return -1;
	if (sh("cd %s && git init -q -b main . && git config user.email t@t && "
	       "git config user.name t && echo v1 > manage.py && git add . && "
	       "git commit -q -m one && git tag -a v1 -m v1 && "
	       "git checkout -q -b feature && echo f > feature.txt && git add . && "
	       "git commit -q -m feat && git checkout -q main && echo v2 > manage.py && "
	       "git commit -q -am two",
	       repo) != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "git -C %s rev-parse HEAD", repo);
	read_line(cmd, head_id, sizeof(head_id));
	snprintf(cmd, sizeof(cmd), "git -C %s rev-parse v1^{commit}", repo);
	read_line(cmd, tag_id, sizeof(tag_id));
	snprintf(cmd, sizeof(cmd), "git -C %s rev-parse feature", repo);
	read_line(cmd, feature_id, sizeof(feature_id));
	strcpy(first_id, tag_id);
	return strlen(head_id) == 40 && strlen(tag_id) == 40 && strlen(feature_id) == 40 ? 0 : -1;
}

TEST(clone_local_path_head)
{
	char dest[300], commit[41], p[400];
	struct gbuf d = GBUF_INIT(4096);

	next_dest(dest, sizeof(dest));
	EXPECT_INT(fetch_clone(repo, NULL, dest, commit, &d), 0);
	EXPECT_STR(commit, head_id);
	snprintf(p, sizeof(p), "%s/manage.py", dest);
	EXPECT(file_has(p, "v2"));
	/* HEAD is detached at the graded commit. */
	snprintf(p, sizeof(p), "%s/.git/HEAD", dest);
	EXPECT(file_has(p, head_id));
	gbuf_release(&d);
}

/* Options for a clone of `source` into the next destination, its git
 * directory beside it (dest.gitdir), as `grade` clones. */
static void gitdir_opts(struct fetch_opts *o, const char *source, char *dest, size_t ndest, char *gitdir,
			size_t ngitdir)
{
	memset(o, 0, sizeof(*o));
	next_dest(dest, ndest);
	snprintf(gitdir, ngitdir, "%s.gitdir", dest);
	o->source = source;
	o->dest = dest;
	o->gitdir = gitdir;
}

/*
 * fetch_opts.gitdir: the repository goes there (HEAD detached at the
 * graded commit), the work tree gets the commit's files and no .git at all;
 * an existing git directory is the grader's error, before any clone.
 */
TEST(clone_gitdir_elsewhere)
{
	char dest[300], gitdir[320], commit[41], p[400];
	struct gbuf d = GBUF_INIT(4096);
	struct fetch_opts o;
	struct stat st;

	gitdir_opts(&o, repo, dest, sizeof(dest), gitdir, sizeof(gitdir));
	EXPECT_INT(fetch_clone_opts(&o, commit, &d, NULL), 0);
	EXPECT_STR(commit, head_id);
	snprintf(p, sizeof(p), "%s/manage.py", dest);
	EXPECT(file_has(p, "v2"));
	snprintf(p, sizeof(p), "%s/.git", dest);
	EXPECT(lstat(p, &st) < 0 && errno == ENOENT);
	snprintf(p, sizeof(p), "%s/HEAD", gitdir);
	EXPECT(file_has(p, head_id));
	/* A local source is read in place (h378: packing every object of
	 * 23 branches took 30-90 s): the source's objects are the scratch
	 * repository's alternate, and no pack was made; its branch, tag and
	 * HEAD are there as the protocol's refspecs name them. */
	snprintf(p, sizeof(p), "%s/objects/info/alternates", gitdir);
	EXPECT(file_has(p, "/src/.git/objects"));
	EXPECT_INT(sh("! ls %s/objects/pack | grep -q .", gitdir), 0);
	snprintf(p, sizeof(p), "%s/refs/remotes/origin/feature", gitdir);
	EXPECT(file_has(p, feature_id) || sh("grep -q '%s refs/remotes/origin/feature' %s/packed-refs", feature_id, gitdir) == 0);
	EXPECT_INT(sh("git --git-dir=%s rev-parse -q --verify refs/tags/v1^{commit} | grep -q %s", gitdir, tag_id), 0);
	EXPECT_INT(sh("git --git-dir=%s rev-parse -q --verify refs/remotes/origin/HEAD | grep -q %s", gitdir, head_id), 0);
	/* The same git directory again: refused, nothing cloned. */
	next_dest(dest, sizeof(dest));
	o.dest = dest;
	EXPECT_INT(fetch_clone_opts(&o, commit, &d, NULL), -1);
	EXPECT(strstr(err_last(), "already exists") != NULL);
	EXPECT(lstat(dest, &st) < 0);
	/* The room a tmpfs needs first: four largest downloads (2 x the cap). */
	EXPECT(fetch_gitdir_room(&o.limits) == 8 * FETCH_DEFAULT_MAX_BYTES);
	o.limits.max_bytes = 1 << 20;
	EXPECT(fetch_gitdir_room(&o.limits) == 8ULL << 20);
	gbuf_release(&d);
}

/*
 * A checkout is the commit's files as committed, whatever the grading
 * machine's git config says: a global config with core.autocrlf = true and
 * core.symlinks = false (what a Windows-minded operator might carry over)
 * changes neither the line endings nor the symlinks of the clone the
 * grader makes (a clone child, as `grade` does).
 */
TEST(checkout_ignores_the_machines_git_config)
{
	char src[320], home[320], dest[300], gitdir[320], commit[41], p[400], buf[64] = "";
	struct gbuf d = GBUF_INIT(4096);
	struct fetch_opts o;
	struct stat st;
	FILE *f;
	size_t n;

	snprintf(src, sizeof(src), "%s/src-eol", root);
	snprintf(home, sizeof(home), "%s/home", root);
	EXPECT_INT(sh("mkdir -p %s %s && cd %s && git init -q -b main . && git config user.email t@t && "
		      "git config user.name t && printf 'a\\nb\\n' > app.py && ln -s app.py link.py && "
		      "git add . && git commit -q -m eol && printf '[core]\\n\\tautocrlf = true\\n"
		      "\\tsymlinks = false\\n' > %s/.gitconfig",
		      src, home, src, home), 0);
	EXPECT_INT(fetch_global_init(), 0);
	EXPECT_INT(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, home), 0);
	gitdir_opts(&o, src, dest, sizeof(dest), gitdir, sizeof(gitdir));
	EXPECT_INT(fetch_clone_opts(&o, commit, &d, NULL), 0);
	EXPECT_INT(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, NULL), 0);
	snprintf(p, sizeof(p), "%s/app.py", dest);
	if ((f = fopen(p, "rb"))) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
	}
	EXPECT_STR(buf, "a\nb\n");
	snprintf(p, sizeof(p), "%s/link.py", dest);
	EXPECT(lstat(p, &st) == 0 && S_ISLNK(st.st_mode));
	gbuf_release(&d);
}

TEST(clone_relative_path)
{
	char dest[300], commit[41], cwd[512];
	struct gbuf d = GBUF_INIT(4096);

	EXPECT(getcwd(cwd, sizeof(cwd)) != NULL);
	EXPECT_INT(chdir(root), 0);
	next_dest(dest, sizeof(dest));
	EXPECT_INT(fetch_clone("./src", "HEAD", dest, commit, &d), 0);
	EXPECT_INT(chdir(cwd), 0);
	EXPECT_STR(commit, head_id);
	gbuf_release(&d);
}

TEST(clone_file_url_branch)
{
	char dest[300], commit[41], url[400], p[400];
	struct gbuf d = GBUF_INIT(4096);

	snprintf(url, sizeof(url), "file://%s", repo);
	next_dest(dest, sizeof(dest));
	EXPECT_INT(fetch_clone(url, "feature", dest, commit, &d), 0);
	EXPECT_STR(commit, feature_id);
	snprintf(p, sizeof(p), "%s/feature.txt", dest);
	EXPECT(access(p, F_OK) == 0);
	gbuf_release(&d);
}

TEST(clone_tag_and_commit_id)
{
	char dest[300], commit[41], p[400];
	struct gbuf d = GBUF_INIT(4096);

	next_dest(dest, sizeof(dest));
	EXPECT_INT(fetch_clone(repo, "v1", dest, commit, &d), 0);
	EXPECT_STR(commit, tag_id);
	snprintf(p, sizeof(p), "%s/manage.py", dest);
	EXPECT(file_has(p, "v1"));
	snprintf(p, sizeof(p), "%s/feature.txt", dest);
	EXPECT(access(p, F_OK) != 0);

	next_dest(dest, sizeof(dest));
	EXPECT_INT(fetch_clone(repo, feature_id, dest, commit, &d), 0);
	EXPECT_STR(commit, feature_id);
	gbuf_release(&d);
}

TEST(clone_bad_ref)
{
	char dest[300], commit[41];
	struct gbuf d = GBUF_INIT(4096);

	next_dest(dest, sizeof(dest));
	EXPECT_INT(fetch_clone(repo, "v2", dest, commit, &d), FETCH_FAILED);
	EXPECT(strstr(gbuf_str(&d), "ref 'v2' not found in ") != NULL);
	EXPECT(strstr(gbuf_str(&d), "branches: feature, main") != NULL);
	EXPECT(strstr(gbuf_str(&d), "tags: v1") != NULL);
	gbuf_release(&d);
}

TEST(clone_missing_and_non_repository)
{
	char dest[300], commit[41], missing[300];
	struct gbuf d = GBUF_INIT(4096);

	snprintf(missing, sizeof(missing), "%s/nope", root);
	next_dest(dest, sizeof(dest));
	EXPECT_INT(fetch_clone(missing, NULL, dest, commit, &d), FETCH_FAILED);
	/* The path itself is what is wrong: said so, not blamed on git. */
	EXPECT(strncmp(gbuf_str(&d), "no such folder: ", 16) == 0);
	EXPECT(strstr(gbuf_str(&d), "/nope") != NULL);
	EXPECT(access(dest, F_OK) != 0);

	/* A plain folder inside a repository is not that repository. */
	gbuf_reset(&d);
	EXPECT_INT(sh("mkdir -p %s/src/sub", root), 0);
	snprintf(missing, sizeof(missing), "%s/src/sub", root);
	EXPECT_INT(fetch_clone(missing, NULL, dest, commit, &d), FETCH_FAILED);
	EXPECT(strstr(gbuf_str(&d), "no git repository at ") != NULL);
	gbuf_release(&d);
}

TEST(clone_empty_repository)
{
	char dest[300], commit[41], empty[300];
	struct gbuf d = GBUF_INIT(4096);

	snprintf(empty, sizeof(empty), "%s/empty", root);
	EXPECT_INT(sh("git init -q %s", empty), 0);
	next_dest(dest, sizeof(dest));
	EXPECT_INT(fetch_clone(empty, NULL, dest, commit, &d), FETCH_FAILED);
	EXPECT_STR(gbuf_str(&d), "the repository has no commits");
	gbuf_release(&d);
}

TEST(refused_sources)
{
	static const char *const bad[] = {
		"ssh://git@example.invalid/x.git", "git@example.invalid:x/y.git",
		"http://127.0.0.1:1/x.git", "ftp://example.invalid/x", "",
	};
	char dest[300], commit[41];
	struct gbuf d = GBUF_INIT(4096);
	size_t i;

	next_dest(dest, sizeof(dest));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		gbuf_reset(&d);
		EXPECT_INT(fetch_clone(bad[i], NULL, dest, commit, &d), FETCH_FAILED);
		EXPECT(strstr(gbuf_str(&d), "cannot fetch") != NULL);
		EXPECT(access(dest, F_OK) != 0);
	}
	gbuf_reset(&d);
	EXPECT_INT(fetch_clone("http://127.0.0.1:1/x.git", NULL, dest, commit, &d), FETCH_FAILED);
	EXPECT(strstr(gbuf_str(&d), "https://") != NULL);
	gbuf_reset(&d);
	EXPECT_INT(fetch_clone("ssh://h/x", NULL, dest, commit, &d), FETCH_FAILED);
	EXPECT(strstr(gbuf_str(&d), "ssh") != NULL);
	gbuf_release(&d);
}

/* https is accepted and goes to the network layer: on a closed loopback
 * port that is a clone failure with libgit2's words, not a refusal. */
TEST(https_accepted_loopback)
{
	char dest[300], commit[41];
	struct gbuf d = GBUF_INIT(4096);

	next_dest(dest, sizeof(dest));
	EXPECT_INT(fetch_clone("https://127.0.0.1:1/x.git", NULL, dest, commit, &d), FETCH_FAILED);
	EXPECT(strncmp(gbuf_str(&d), "could not clone https://127.0.0.1:1/x.git: ", 43) == 0);
	EXPECT(strlen(gbuf_str(&d)) > 43);
	gbuf_release(&d);
}

TEST(dest_exists_is_grader_error)
{
	char commit[41];
	struct gbuf d = GBUF_INIT(4096);

	EXPECT_INT(fetch_clone(repo, NULL, root, commit, &d), -1);
	EXPECT(strstr(err_last(), "already exists") != NULL);
	gbuf_release(&d);
}

/* Names in dest other than .git: what a refused checkout must not leave. */
static int work_tree_entries(const char *dest)
{
	char cmd[400], out[64];

	snprintf(cmd, sizeof(cmd), "ls -A %s 2>/dev/null | grep -vx .git | wc -l", dest);
	read_line(cmd, out, sizeof(out));
	return atoi(out);
}

/*
 * The caps (issue 8 item 7): a tree with more files, bytes or depth than
 * allowed is refused with a diagnosis naming the cap and its option, before
 * any file is written to the work tree; a tree within them checks out.
 */
TEST(checkout_caps)
{
	static const struct { struct fetch_limits lim; const char *want; } cases[] = {
		{ { 0, 20, 0 }, "more than 20 files, the limit (--max-checkout-files)" },
		{ { 100 << 10, 0, 0 }, "more than 0 MiB (102400 bytes), the limit (--max-checkout-bytes)" },
		{ { 0, 0, 4 }, "folders more than 4 deep (d1/d2/d3/d4/d5...), the limit (--max-checkout-depth)" },
	};
	char big[300], dest[300], commit[41];
	struct gbuf d = GBUF_INIT(4096), notes = GBUF_INIT(1024);
	struct fetch_opts o;
	size_t i;

	snprintf(big, sizeof(big), "%s/big", root);
	EXPECT_INT(sh("mkdir -p %s/d1/d2/d3/d4/d5 && cd %s && git init -q -b main . && "
		      "for i in $(seq 30); do echo $i > f$i; done && echo deep > d1/d2/d3/d4/d5/x && "
		      "head -c 200000 /dev/zero > blob.bin && git add -A && "
		      "git -c user.name=t -c user.email=t@t commit -q -m big", big, big), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&o, 0, sizeof(o));
		next_dest(dest, sizeof(dest));
		o.source = big;
		o.dest = dest;
		o.limits = cases[i].lim;
		gbuf_reset(&d);
		EXPECT_INT(fetch_clone_opts(&o, commit, &d, &notes), FETCH_FAILED);
		if (!strstr(gbuf_str(&d), cases[i].want))
			printf("# diagnosis: %s\n# wanted: %s\n", gbuf_str(&d), cases[i].want);
		EXPECT(strstr(gbuf_str(&d), cases[i].want) != NULL);
		EXPECT_INT(work_tree_entries(dest), 0);
	}
	/* Within every cap (the defaults): checked out. */
	memset(&o, 0, sizeof(o));
	next_dest(dest, sizeof(dest));
	o.source = big;
	o.dest = dest;
	EXPECT_INT(fetch_clone_opts(&o, commit, &d, &notes), 0);
	EXPECT_INT(work_tree_entries(dest), 32);
	gbuf_release(&d);
	gbuf_release(&notes);
}

/*
 * Submodules are not fetched (the folder stays empty) and Git LFS files
 * stay pointer files; the notes say both.
 */
TEST(submodules_and_lfs_are_noted)
{
	char sub[300], dest[300], commit[41], p[400];
	struct gbuf d = GBUF_INIT(4096), notes = GBUF_INIT(1024);
	struct fetch_opts o;

	snprintf(sub, sizeof(sub), "%s/withsub", root);
	EXPECT_INT(sh("mkdir -p %s && cd %s && git init -q -b main . && echo m > manage.py && "
		      "printf '*.bin filter=lfs diff=lfs merge=lfs -text\\n' > .gitattributes && "
		      "printf 'version https://git-lfs.github.com/spec/v1\\noid sha256:%s\\nsize 12\\n' > model.bin && "
		      "git add -A && git update-index --add --cacheinfo 160000,%s,libs/vendored && "
		      "git -c user.name=t -c user.email=t@t commit -q -m sub", sub, sub,
		      "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393", head_id), 0);
	memset(&o, 0, sizeof(o));
	next_dest(dest, sizeof(dest));
	o.source = sub;
	o.dest = dest;
	EXPECT_INT(fetch_clone_opts(&o, commit, &d, &notes), 0);
	EXPECT(strstr(gbuf_str(&notes), "Submodules are not fetched: libs/vendored stays empty") != NULL);
	EXPECT(strstr(gbuf_str(&notes), "Git LFS files are not downloaded: they stay pointer files") != NULL);
	snprintf(p, sizeof(p), "%s/model.bin", dest);
	EXPECT(file_has(p, "version https://git-lfs.github.com/spec/v1"));
	snprintf(p, sizeof(p), "%s/libs/vendored", dest);
	EXPECT_INT(work_tree_entries(p), 0);
	gbuf_release(&d);
	gbuf_release(&notes);
}

/*
 * A credential in the URL never reaches a diagnosis (libgit2 gets the URL
 * without it); a credentials file others can read is refused, not used.
 */
TEST(credentials_stay_secret)
{
	char dest[300], commit[41], file[300];
	struct gbuf d = GBUF_INIT(4096);
	struct fetch_opts o;

	memset(&o, 0, sizeof(o));
	next_dest(dest, sizeof(dest));
	o.source = "https://alice:S3CRET-TOKEN@127.0.0.1:1/x.git";
	o.dest = dest;
	EXPECT_INT(fetch_clone_opts(&o, commit, &d, NULL), FETCH_FAILED);
	EXPECT(strncmp(gbuf_str(&d), "could not clone https://127.0.0.1:1/x.git: ", 43) == 0);
	EXPECT(strstr(gbuf_str(&d), "S3CRET") == NULL && strstr(gbuf_str(&d), "alice") == NULL);
	gbuf_reset(&d);
	o.source = "http://S3CRET-TOKEN@127.0.0.1:1/x.git";
	next_dest(dest, sizeof(dest));
	o.dest = dest;
	EXPECT_INT(fetch_clone_opts(&o, commit, &d, NULL), FETCH_FAILED);
	EXPECT(strstr(gbuf_str(&d), "S3CRET") == NULL && strstr(gbuf_str(&d), "plain http") != NULL);
	gbuf_reset(&d);
	snprintf(file, sizeof(file), "%s/creds", root);
	EXPECT_INT(sh("printf '127.0.0.1 bob FILETOKEN\\n' > %s && chmod 644 %s", file, file), 0);
	o.source = "https://127.0.0.1:1/x.git";
	o.credentials_file = file;
	next_dest(dest, sizeof(dest));
	o.dest = dest;
	EXPECT_INT(fetch_clone_opts(&o, commit, &d, NULL), -1);
	EXPECT(strstr(err_last(), "can be read by others") != NULL);
	gbuf_release(&d);
}

/*
 * The 28 random bytes of the TLS ClientHello a clone child sends to a
 * loopback listener that reads it and hangs up (the clone then fails).
 * 0 read, -1 not.
 */
static int client_random(int lfd, int port, unsigned char out[28])
{
	char url[64], dest[300], commit[41];
	unsigned char hello[512];
	struct gbuf d = GBUF_INIT(4096);
	struct pollfd pf = { lfd, POLLIN, 0 };
	size_t got = 0;
	int c, rc = -1;
	pid_t pid;

	snprintf(url, sizeof(url), "https://127.0.0.1:%d/x.git", port);
	next_dest(dest, sizeof(dest));
	/* The grade runs in a child of ours, so the listener can answer. */
	pid = fork();
	if (pid == 0)
		_exit(fetch_clone_timed(url, NULL, dest, 10000, commit, &d) == FETCH_FAILED ? 0 : 1);
	if (pid < 0 || poll(&pf, 1, 10000) != 1 || (c = accept(lfd, NULL, NULL)) < 0)
		goto done;
	while (got < 43) {
		ssize_t n = read(c, hello + got, sizeof(hello) - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(c);
	/* record header (5), handshake header (4), version (2), then the
	 * random: 4 bytes of time and 28 random ones. */
	if (got >= 43 && hello[0] == 22 && hello[5] == 1) {
		memcpy(out, hello + 15, 28);
		rc = 0;
	}
done:
	if (pid > 0) {
		int st = 0;

		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			rc = -1;
	}
	gbuf_release(&d);
	return rc;
}

/*
 * Two https clone children of one grader that set libgit2 up before
 * forking them (a batch does) must not share mbedTLS's random generator:
 * each child starts libgit2 afresh (fetch.c, fetch_tls_fresh), so their
 * ClientHello randoms differ. Inherited, they would be identical.
 */
TEST(https_children_have_their_own_tls_random)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	unsigned char r1[28], r2[28];
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	EXPECT(lfd >= 0 && bind(lfd, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(lfd, 4) == 0 &&
	       getsockname(lfd, (struct sockaddr *)&a, &al) == 0);
	EXPECT_INT(fetch_global_init(), 0);
	EXPECT_INT(client_random(lfd, ntohs(a.sin_port), r1), 0);
	EXPECT_INT(client_random(lfd, ntohs(a.sin_port), r2), 0);
	EXPECT(memcmp(r1, r2, sizeof(r1)) != 0);
	if (lfd >= 0)
		close(lfd);
}

int main(void)
{
	if (fetch_global_init() < 0 || fetch_global_init() < 0) {
		printf("not ok init - %s\n", err_last());
		return 1;
	}
	if (setup_repo() < 0) {
		printf("not ok setup - could not build the test repository\n");
		return 1;
	}
	RUN(clone_local_path_head);
	RUN(clone_relative_path);
	RUN(clone_gitdir_elsewhere);
	RUN(checkout_ignores_the_machines_git_config);
	RUN(clone_file_url_branch);
	RUN(clone_tag_and_commit_id);
	RUN(clone_bad_ref);
	RUN(clone_missing_and_non_repository);
	RUN(clone_empty_repository);
	RUN(refused_sources);
	RUN(https_accepted_loopback);
	RUN(dest_exists_is_grader_error);
	RUN(checkout_caps);
	RUN(submodules_and_lfs_are_noted);
	RUN(credentials_stay_secret);
	RUN(https_children_have_their_own_tls_random);
	if (!t_failures)
		sh("rm -rf %s", root);
	T_EXIT();
}
