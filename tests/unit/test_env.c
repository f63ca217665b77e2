/*
 * test_env.c - project discovery, requirements reading, and real virtualenvs
 * built under a scratch cache (no network: the failing install runs pip with
 * PIP_NO_INDEX=1).
 */
#include "env.h"
#include "err.h"
#include "t.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char root[256];
static int ncase;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* A fresh checkout folder for one case. */
static void new_case(char *dir, size_t n)
{
	snprintf(dir, n, "%s/case%d", root, ++ncase);
	sh("mkdir -p %s", dir);
}

static void put(const char *dir, const char *rel, const void *data, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	sh("mkdir -p \"$(dirname %s)\"", path);
	f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

static void puts_file(const char *dir, const char *rel, const char *text)
{
	put(dir, rel, text, strlen(text));
}

/* Runs find_project; returns rc and leaves the folder relative to dir. */
static int find(const char *dir, char *rel, size_t n, struct gbuf *diag)
{
	char *p = NULL;
	int rc = env_find_project(dir, &p, diag);

	rel[0] = '\0';
	if (rc == 0 && p) {
		if (strncmp(p, dir, strlen(dir)) == 0)
			snprintf(rel, n, "%s", p[strlen(dir)] == '/' ? p + strlen(dir) + 1 : "");
		else
			snprintf(rel, n, "!%s", p);
	}
	free(p);
	return rc;
}

TEST(find_at_root)
{
	char dir[300], rel[300];
	struct gbuf d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "x");
	puts_file(dir, "sub/manage.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "");
	gbuf_release(&d);
}

TEST(find_one_and_two_levels_down)
{
	char dir[300], rel[300];
	struct gbuf d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "README.md", "x");
	puts_file(dir, "mysite/manage.py", "x");
	puts_file(dir, "aaa/deeper/manage.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "mysite");

	new_case(dir, sizeof(dir));
	puts_file(dir, "src/backend/manage.py", "x");
	puts_file(dir, "src/backend/x/y/manage.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "src/backend");

	/* Three levels down is too deep. */
	new_case(dir, sizeof(dir));
	puts_file(dir, "a/b/c/manage.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 1);
	gbuf_release(&d);
}

TEST(find_skips_venvs_and_dependencies)
{
	char dir[300], rel[300];
	struct gbuf d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	/* Shallower, sorted first, but all of these are not the project. */
	puts_file(dir, "aenv/pyvenv.cfg", "home = /usr/bin\n");
	puts_file(dir, "aenv/manage.py", "x");
	puts_file(dir, "abin/bin/activate", "x");
	puts_file(dir, "abin/manage.py", "x");
	puts_file(dir, "venv/manage.py", "x");
	puts_file(dir, ".hidden/manage.py", "x");
	puts_file(dir, "node_modules/manage.py", "x");
	puts_file(dir, "__pycache__/manage.py", "x");
	puts_file(dir, "zzz/project/manage.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "zzz/project");
	gbuf_release(&d);
}

TEST(find_never_follows_symlinks)
{
	char dir[300], rel[300], outside[300];
	struct gbuf d = GBUF_INIT(1024);

	snprintf(outside, sizeof(outside), "%s/outside", root);
	puts_file(outside, "manage.py", "x");
	puts_file(outside, "inner/manage.py", "x");
	new_case(dir, sizeof(dir));
	EXPECT_INT(sh("ln -s %s %s/link && ln -s %s/manage.py %s/manage.py", outside, dir, outside,
		      dir), 0);
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 1);
	EXPECT_STR(gbuf_str(&d), "no manage.py found in the repository root or up to two folders down");
	gbuf_release(&d);
}

TEST(find_none)
{
	char dir[300], rel[300];
	struct gbuf d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "app/views.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 1);
	EXPECT(strstr(gbuf_str(&d), "no manage.py found") != NULL);
	gbuf_release(&d);
}

TEST(find_prefers_settings_module)
{
	static const char manage[] =
		"import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n";
	char dir[300], rel[300];
	struct gbuf d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "a/manage.py", manage);
	puts_file(dir, "b/manage.py", manage);
	puts_file(dir, "b/shop/settings.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "b");

	/* Settings as a package count too; with none anywhere, the first. */
	new_case(dir, sizeof(dir));
	puts_file(dir, "a/manage.py", manage);
	puts_file(dir, "c/manage.py", "import os\nos.environ[\"DJANGO_SETTINGS_MODULE\"] = \"shop.settings\"\n");
	puts_file(dir, "c/shop/settings/__init__.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "c");

	new_case(dir, sizeof(dir));
	puts_file(dir, "a/manage.py", manage);
	puts_file(dir, "b/manage.py", manage);
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "a");
	gbuf_release(&d);
}

/* env_read_requirements on dir with project folder dir/proj_rel. */
static int reqs(const char *dir, const char *proj_rel, struct gbuf *out, char **src, struct gbuf *d)
{
	char proj[400];

	snprintf(proj, sizeof(proj), "%s%s%s", dir, *proj_rel ? "/" : "", proj_rel);
	gbuf_reset(out);
	gbuf_reset(d);
	return env_read_requirements(dir, proj, GRADER_DATADIR, out, src, d);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = s ? strlen(s) : 0, b = strlen(suffix);

	return s && a >= b && strcmp(s + a - b, suffix) == 0;
}

TEST(requirements_bom_and_comments)
{
	static const char text[] = "\xEF\xBB\xBF# pinned\r\nDjango==5.2.19   # the LTS\r\n\r\n"
				   "   djangorestframework \\\r\n  >=3.16\n"
				   "pkg @ https://example.invalid/p.zip#egg=pkg\n";
	char dir[300];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "x");
	puts_file(dir, "requirements.txt", text);
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "Django==5.2.19\ndjangorestframework   >=3.16\n"
				   "pkg @ https://example.invalid/p.zip#egg=pkg\n");
	EXPECT(ends_with(src, "/requirements.txt"));
	free(src);
	gbuf_release(&out);
	gbuf_release(&d);
}

TEST(requirements_utf16)
{
	static const char text[] = "Django==5.2.19\r\n# c\r\nPillow\r\n";
	unsigned char le[256], be[256];
	size_t i, n = 2;
	char dir[300];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	le[0] = 0xFF, le[1] = 0xFE, be[0] = 0xFE, be[1] = 0xFF;
	for (i = 0; text[i]; i++, n += 2) {
		le[n] = (unsigned char)text[i], le[n + 1] = 0;
		be[n] = 0, be[n + 1] = (unsigned char)text[i];
	}
	new_case(dir, sizeof(dir));
	put(dir, "requirements.txt", le, n);
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "Django==5.2.19\nPillow\n");
	free(src);
	src = NULL;
	put(dir, "requirements.txt", be, n);
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "Django==5.2.19\nPillow\n");
	free(src);
	src = NULL;
	/* UTF-16 without a BOM is not guessed at: NULs mean "not text". */
	put(dir, "requirements.txt", le + 2, n - 2);
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&d), "not a text file") != NULL);
	EXPECT(src == NULL);
	gbuf_release(&out);
	gbuf_release(&d);
}

TEST(requirements_includes)
{
	char dir[300];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "requirements.txt", "-r reqs/base.txt\nPillow\n");
	puts_file(dir, "reqs/base.txt", "Django  # web\n--requirement=more/extra.txt\n");
	puts_file(dir, "reqs/more/extra.txt", "-r../../top.txt\nrequests\n");
	puts_file(dir, "top.txt", "six\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "Django\nsix\nrequests\nPillow\n");
	free(src);
	src = NULL;

	/* Outside the repository: refused, nothing of the target read. */
	puts_file(dir, "requirements.txt", "-r ../../../../../../etc/passwd\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&d), "outside the repository") != NULL);
	puts_file(dir, "requirements.txt", "-r /etc/passwd\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&out), "root:") == NULL);

	/* A file including itself stops at the depth limit. */
	puts_file(dir, "requirements.txt", "a\n-r requirements.txt\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&d), "deeper than 5") != NULL);

	/* Five levels is fine. */
	puts_file(dir, "requirements.txt", "-r 1.txt\n");
	puts_file(dir, "1.txt", "-r 2.txt\n");
	puts_file(dir, "2.txt", "-r 3.txt\n");
	puts_file(dir, "3.txt", "-r 4.txt\n");
	puts_file(dir, "4.txt", "-r 5.txt\n");
	puts_file(dir, "5.txt", "deep\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "deep\n");
	free(src);
	gbuf_release(&out);
	gbuf_release(&d);
}

TEST(requirements_location)
{
	char dir[300], link[400];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "requirements.txt", "at-root\n");
	puts_file(dir, "proj/requirements.txt", "beside-manage\n");
	puts_file(dir, "proj/manage.py", "x");
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "beside-manage\n");
	EXPECT(ends_with(src, "/proj/requirements.txt"));
	free(src);
	src = NULL;

	EXPECT_INT(sh("rm %s/proj/requirements.txt", dir), 0);
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "at-root\n");
	EXPECT(!ends_with(src, "/proj/requirements.txt") && ends_with(src, "/requirements.txt"));
	free(src);
	src = NULL;

	/* None: the grader's default runtime. */
	EXPECT_INT(sh("rm %s/requirements.txt", dir), 0);
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 0);
	EXPECT(strstr(gbuf_str(&out), "Django==") != NULL);
	EXPECT(strchr(gbuf_str(&out), '#') == NULL);
	EXPECT_STR(src, GRADER_DATADIR "/runtime/requirements.txt");
	free(src);
	src = NULL;

	/* A symlink is reported, never read. */
	snprintf(link, sizeof(link), "%s/proj/requirements.txt", dir);
	EXPECT_INT(symlink("/etc/passwd", link), 0);
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&d), "symbolic link") != NULL);
	EXPECT_INT(out.len, 0);
	gbuf_release(&out);
	gbuf_release(&d);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Entries of <cache>/envs whose name contains ".tmp-". */
static int count_tmp(const char *cache)
{
	char path[400];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "%s/envs", cache);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (strstr(de->d_name, ".tmp-"))
			n++;
	closedir(d);
	return n;
}

static int count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int c, n = 0;

	if (!f)
		return 0;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

TEST(ensure_builds_then_reuses)
{
	char dir[300], cache[300], prefix[400], path[500], wrap[400], log[400], script[1024];
	int runs;
	char *py = NULL;
	struct gbuf d = GBUF_INIT(8192);
	struct env_opts o = { 0 };
	bool reused = true, ok = false;
	long t0, elapsed;
	const char *key;

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "x");
	puts_file(dir, "requirements.txt", "# nothing needed\n\n");
	snprintf(cache, sizeof(cache), "%s/cache-a", root);
	/* The base interpreter is a wrapper that logs each start, so the
	 * test can tell that the warm path starts no process at all. */
	snprintf(wrap, sizeof(wrap), "%s/pywrap", root);
	snprintf(log, sizeof(log), "%s/pywrap.log", root);
	snprintf(script, sizeof(script), "#!/bin/sh\necho run >> %s\nexec /usr/bin/python3 \"$@\"\n", log);
	puts_file(root, "pywrap", script);
	EXPECT_INT(chmod(wrap, 0755), 0);
	o.cache_dir = cache;
	o.datadir = GRADER_DATADIR;
	o.python = wrap;
	o.checkout = dir;
	o.project_dir = dir;
	o.timeout_ms = 120000;

	EXPECT_INT(env_ensure(&o, &py, &reused, &ok, &d), 0);
	EXPECT(ok);
	EXPECT(!reused);
	snprintf(prefix, sizeof(prefix), "%s/envs/", cache);
	EXPECT(py && strncmp(py, prefix, strlen(prefix)) == 0);
	key = py + strlen(prefix);
	EXPECT(strlen(key) == 16 + strlen("/bin/python") && strcmp(key + 16, "/bin/python") == 0);
	EXPECT(strspn(key, "0123456789abcdef") == 16);
	EXPECT(access(py, X_OK) == 0);
	snprintf(path, sizeof(path), "%.*s.grader-complete", (int)(strlen(py) - strlen("bin/python")), py);
	EXPECT(access(path, F_OK) == 0);
	EXPECT_INT(sh("%s -c 'import sys; assert sys.prefix != sys.base_prefix'", py), 0);
	EXPECT_INT(count_tmp(cache), 0);
	free(py);
	py = NULL;
	runs = count_lines(log);
	EXPECT(runs >= 2); /* sys.version, venv */

	/* Warm: no process at all, so well under 100 ms even under ASan. */
	t0 = now_ms();
	EXPECT_INT(env_ensure(&o, &py, &reused, &ok, &d), 0);
	elapsed = now_ms() - t0;
	EXPECT(ok);
	EXPECT(reused);
	EXPECT(elapsed < 100);
	EXPECT_INT(count_lines(log), runs);
	EXPECT(py && strncmp(py, prefix, strlen(prefix)) == 0);
	free(py);
	py = NULL;

	/* Different requirements, different env. */
	puts_file(dir, "requirements.txt", "-r missing.txt\n");
	EXPECT_INT(env_ensure(&o, &py, &reused, &ok, &d), 0);
	EXPECT(!ok);
	EXPECT(py == NULL);
	EXPECT(strstr(gbuf_str(&d), "missing.txt") != NULL);
	gbuf_release(&d);
}

TEST(ensure_install_failure)
{
	char dir[300], cache[300];
	char *py = NULL;
	struct gbuf d = GBUF_INIT(8192);
	struct env_opts o = { 0 };
	bool reused = true, ok = true;
	char path[400];
	DIR *envs;
	struct dirent *de;
	int nenv = 0;

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "x");
	puts_file(dir, "requirements.txt", "this-package-does-not-exist-grader==0.0.1\n");
	snprintf(cache, sizeof(cache), "%s/cache-b", root);
	o.cache_dir = cache;
	o.datadir = GRADER_DATADIR;
	o.checkout = dir;
	o.project_dir = dir;
	o.timeout_ms = 300000;
	setenv("PIP_NO_INDEX", "1", 1);
	EXPECT_INT(env_ensure(&o, &py, &reused, &ok, &d), 0);
	unsetenv("PIP_NO_INDEX");
	EXPECT(!ok);
	EXPECT(py == NULL);
	EXPECT(strncmp(gbuf_str(&d), "installing the requirements failed:\n", 36) == 0);
	EXPECT(strstr(gbuf_str(&d), "ERROR") != NULL);
	EXPECT(strstr(gbuf_str(&d), "this-package-does-not-exist-grader") != NULL);
	EXPECT(d.len < 2400);
	EXPECT_INT(count_tmp(cache), 0);
	/* Nothing but the interpreter-version cache is left behind. */
	snprintf(path, sizeof(path), "%s/envs", cache);
	envs = opendir(path);
	EXPECT(envs != NULL);
	while ((de = readdir(envs)))
		if (de->d_name[0] != '.')
			nenv++;
	closedir(envs);
	EXPECT_INT(nenv, 0);
	gbuf_release(&d);
}

TEST(default_cache_dir)
{
	char *saved_g = getenv("GRADER_CACHE_DIR") ? strdup(getenv("GRADER_CACHE_DIR")) : NULL;
	char *saved_x = getenv("XDG_CACHE_HOME") ? strdup(getenv("XDG_CACHE_HOME")) : NULL;
	char *saved_h = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	char *a, *b, *c, *e;

	setenv("GRADER_CACHE_DIR", "/srv/gc", 1);
	setenv("XDG_CACHE_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	a = env_default_cache_dir();
	unsetenv("GRADER_CACHE_DIR");
	b = env_default_cache_dir();
	unsetenv("XDG_CACHE_HOME");
	c = env_default_cache_dir();
	setenv("XDG_CACHE_HOME", "relative", 1);
	e = env_default_cache_dir();
	if (saved_g)
		setenv("GRADER_CACHE_DIR", saved_g, 1);
	if (saved_x)
		setenv("XDG_CACHE_HOME", saved_x, 1);
	else
		unsetenv("XDG_CACHE_HOME");
	if (saved_h)
		setenv("HOME", saved_h, 1);
	free(saved_g);
	free(saved_x);
	free(saved_h);
	EXPECT_STR(a, "/srv/gc");
	EXPECT_STR(b, "/xdg/grader");
	EXPECT_STR(c, "/home/u/.cache/grader");
	EXPECT_STR(e, "/home/u/.cache/grader");
	free(a);
	free(b);
	free(c);
	free(e);
}

int main(void)
{
	snprintf(root, sizeof(root), "/tmp/fetchenv/test_env.%d", (int)getpid());
	if (sh("rm -rf %s && mkdir -p %s", root, root) != 0) {
		printf("not ok setup - cannot create %s\n", root);
		return 1;
	}
	unsetenv("GRADER_PYTHON");
	RUN(find_at_root);
	RUN(find_one_and_two_levels_down);
	RUN(find_skips_venvs_and_dependencies);
	RUN(find_never_follows_symlinks);
	RUN(find_none);
	RUN(find_prefers_settings_module);
	RUN(requirements_bom_and_comments);
	RUN(requirements_utf16);
	RUN(requirements_includes);
	RUN(requirements_location);
	RUN(ensure_builds_then_reuses);
	RUN(ensure_install_failure);
	RUN(default_cache_dir);
	if (!t_failures)
		sh("rm -rf %s", root);
	T_EXIT();
}
