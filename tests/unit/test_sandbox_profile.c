/*
 * test_sandbox_profile.c - the sandbox profile loader (grader/sandbox_profile.c):
 * the shipped profiles, what each key reads, and its error cases, kept as
 * data in tests/data/profile-errors/NAME.case (the challenge loader's
 * tests/data/challenge-errors is the model). No sandbox is spawned here:
 * test_sandbox covers what a profile does to a running box.
 */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "sandbox.h"
#include "t.h"
#include "t_cases.h"

static char tmpdir[] = "/tmp/grader-test-profile-XXXXXX";

/* Write `text` to <tmpdir>/sandboxes/NAME.yaml. 0 or -1. */
static int write_profile(const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/sandboxes/%s.yaml", tmpdir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	rc = fputs(text, f) < 0 ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

TEST(shipped_profiles_load)
{
	static const char *const NAMES[] = {"default", "strict", "install"};
	struct sandbox_profile *p = NULL;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (sandbox_profile_load(GRADER_DATADIR, NAMES[i], &p) != 0)
			printf("# %s: %s\n", NAMES[i], err_last());
		EXPECT(p != NULL);
		EXPECT_STR(sandbox_profile_name(p), NAMES[i]);
		EXPECT(sandbox_profile_limits(p)->memory >= (uint64_t)512 << 20);
		sandbox_profile_free(p);
		p = NULL;
	}
}

/* The built-in defaults (no profile) are sandboxes/default.yaml's. */
TEST(builtin_is_default_yaml)
{
	struct sandbox_profile *p = NULL;

	EXPECT(sandbox_profile_load(GRADER_DATADIR, "default", &p) == 0);
	EXPECT(memcmp(sandbox_profile_limits(p), sandbox_profile_limits(NULL), sizeof(struct sandbox_limits)) == 0);
	EXPECT_STR(sandbox_profile_name(NULL), "builtin");
	EXPECT_INT(sandbox_profile_nmounts(NULL), 0);
	EXPECT_INT(sandbox_profile_ndeny(NULL), 0);
	sandbox_profile_free(p);
}

/* Every key, every unit, and lists in order. */
TEST(keys_and_units)
{
	struct sandbox_profile *p = NULL;
	const struct sandbox_limits *l;

	EXPECT(write_profile("all", "description: every key\n"
				    "limits:\n"
				    "  memory: 3G\n  processes: 7\n  cpu_seconds: 9\n  file_size: 2M\n"
				    "  open_files: 11\n  tmp_size: 5K\n  state_size: 1GiB\n  state_files: 13\n"
				    "mounts: [/usr/share/zoneinfo, /etc/mime.types]\n"
				    "seccomp:\n  deny: [mknod, ptrace]\n") == 0);
	if (sandbox_profile_load(tmpdir, "all", &p) != 0)
		printf("# %s\n", err_last());
	EXPECT(p != NULL);
	l = sandbox_profile_limits(p);
	EXPECT(l->memory == (uint64_t)3 << 30);
	EXPECT_INT(l->processes, 7);
	EXPECT_INT(l->cpu_seconds, 9);
	EXPECT(l->file_size == (uint64_t)2 << 20);
	EXPECT_INT(l->open_files, 11);
	EXPECT_INT(l->tmp_size, 5 << 10);
	EXPECT(l->state_size == (uint64_t)1 << 30);
	EXPECT_INT(l->state_files, 13);
	EXPECT_INT(sandbox_profile_nmounts(p), 2);
	EXPECT_STR(sandbox_profile_mount(p, 1), "/etc/mime.types");
	EXPECT_INT(sandbox_profile_ndeny(p), 2);
	EXPECT_STR(sandbox_profile_deny(p, 0), "mknod");
	sandbox_profile_free(p);
}

/* Every limit the loader knows (the names its "unknown limit" message lists,
 * made from its table) is documented in docs/sandbox.md's profile and set
 * in each shipped profile, and none is listed twice. */
TEST(every_limit_documented_and_shipped)
{
	static const char *const files[] = {"docs/sandbox.md", "sandboxes/default.yaml", "sandboxes/strict.yaml"};
	struct sandbox_profile *p = NULL;
	char names[1024], key[64], path[PATH_MAX], *w, *save = NULL;
	int n = 0, missing = 0;
	size_t f;

	EXPECT(write_profile("nolimit", "limits:\n  no_such_limit: 1\n") == 0);
	EXPECT(sandbox_profile_load(tmpdir, "nolimit", &p) < 0);
	w = strstr(err_last(), "; expected ");
	EXPECT(w != NULL);
	snprintf(names, sizeof(names), "%s", w + strlen("; expected "));
	for (w = strtok_r(names, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		if (!strcmp(w, "or"))
			continue;
		n++;
		snprintf(key, sizeof(key), "\n  %s: ", w);
		for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
			struct gbuf text = GBUF_INIT(1 << 20);

			snprintf(path, sizeof(path), "%s/%s", GRADER_DATADIR, files[f]);
			if (gbuf_read_file(&text, path) < 0 || !strstr(gbuf_str(&text), key)) {
				printf("# limit '%s' is not in %s\n", w, files[f]);
				missing++;
			}
			gbuf_release(&text);
		}
	}
	EXPECT(n >= 8);
	EXPECT_INT(missing, 0);
}

/* A name is a bare name: never a path, never empty. */
TEST(bad_names_refused)
{
	static const char *const BAD[] = {"../default", "", "Default", "a/b", "a.b", "sandboxes/default"};
	struct sandbox_profile *p = NULL;
	size_t i;

	for (i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
		EXPECT(sandbox_profile_load(GRADER_DATADIR, BAD[i], &p) == -1);
		EXPECT(p == NULL);
		EXPECT(strstr(err_last(), "bad sandbox profile name") != NULL);
	}
}

TEST(missing_and_too_large)
{
	struct sandbox_profile *p = NULL;
	struct gbuf big = GBUF_INIT((size_t)1 << 20);
	char want[PATH_MAX];

	EXPECT(sandbox_profile_load(tmpdir, "absent", &p) == -1);
	EXPECT(p == NULL);
	EXPECT(strstr(err_last(), "sandboxes/absent.yaml") != NULL);
	/* Over the 256 KiB cap: refused as a whole, not read in part. */
	while (big.len < ((size_t)256 << 10) + 10)
		gbuf_adds(&big, "# a comment line of a profile that goes on and on\n");
	EXPECT(write_profile("big", gbuf_str(&big)) == 0);
	gbuf_release(&big);
	EXPECT(sandbox_profile_load(tmpdir, "big", &p) == -1);
	EXPECT(p == NULL);
	snprintf(want, sizeof(want), "%s/sandboxes/big.yaml: file too large", tmpdir);
	EXPECT_STR(err_last(), want);
}

/*
 * The error cases: tests/data/profile-errors/NAME.case is
 *
 *     # what it shows (comment lines, before the first section)
 *     === sandboxes/NAME.yaml
 *     ...the profile, verbatim...
 *     === error
 *     sandboxes/NAME.yaml:2:11: unknown size unit 'XB'; expected KiB, MiB or GiB
 *
 * The loader stops at its first error, so there is one line under
 * "=== error", and err_last() must be exactly that line after the data
 * folder and a '/'.
 */
struct profile_case {
	char name[64];           /* NAME of sandboxes/NAME.yaml */
	struct gbuf text;        /* the profile */
	char error[1024];        /* the expected message, after "<datadir>/" */
};

/* Split a case file into its two sections. 0, or -1 with why in `why`. */
static int profile_case_parse(const char *data, struct profile_case *k, struct gbuf *why)
{
	const char *p = data, *nl;
	int in = 0;   /* 0 before any section, 1 the profile, 2 the error */

	while (*p) {
		size_t len;

		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 4 && !strncmp(p, "=== ", 4)) {
			/* "=== sandboxes/" is 14 characters, ".yaml" 5. */
			if (len == 9 && !strncmp(p + 4, "error", 5)) {
				in = 2;
			} else if (in == 0 && len > 19 && len - 19 < sizeof(k->name) &&
				   !strncmp(p + 4, "sandboxes/", 10) && !strncmp(p + len - 5, ".yaml", 5)) {
				snprintf(k->name, sizeof(k->name), "%.*s", (int)(len - 19), p + 14);
				in = 1;
			} else {
				return gbuf_addf(why, "unexpected section '%.*s'", (int)len, p), -1;
			}
		} else if (in == 1) {
			gbuf_add(&k->text, p, len);
			gbuf_addch(&k->text, '\n');
		} else if (in == 2 && len && !k->error[0]) {
			snprintf(k->error, sizeof(k->error), "%.*s", (int)len, p);
		} else if (in == 2 && len) {
			return gbuf_adds(why, "more than one line under '=== error'"), -1;
		} else if (in == 0 && len && p[0] != '#') {
			return gbuf_adds(why, "text before the first '=== ' section"), -1;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (!k->name[0] || !k->error[0])
		return gbuf_adds(why, "no '=== sandboxes/NAME.yaml' or no '=== error' section"), -1;
	return 0;
}

/* One case: 0 when the loader refuses it with exactly its error. */
static int profile_case_run(const char *file, const char *data)
{
	struct profile_case k;
	struct sandbox_profile *p = NULL;
	struct gbuf why = GBUF_INIT(4096);
	char want[PATH_MAX + 1024];
	int rc = 0, bad = 0;

	memset(&k, 0, sizeof(k));
	gbuf_init(&k.text, (size_t)1 << 20);
	if (profile_case_parse(data, &k, &why) < 0 || write_profile(k.name, gbuf_str(&k.text)) < 0) {
		printf("# %s: %s\n", file, why.len ? gbuf_str(&why) : "cannot write the profile");
		bad = 1;
		goto done;
	}
	snprintf(want, sizeof(want), "%s/%s", tmpdir, k.error);
	err_clear();
	rc = sandbox_profile_load(tmpdir, k.name, &p);
	if (rc != -1 || p != NULL || strcmp(err_last(), want) != 0) {
		printf("# %s: returned %d: %s\n#   expected: %s\n", file, rc, err_last(), want);
		bad = 1;
	}
done:
	sandbox_profile_free(p);
	gbuf_release(&k.text);
	gbuf_release(&why);
	return bad;
}

TEST(error_cases)
{
	int failed = 0;
	long n = t_cases_run(GRADER_DATADIR "/tests/data/profile-errors", profile_case_run, &failed);

	printf("# %ld cases in tests/data/profile-errors\n", n);
	EXPECT(n >= 20);
	EXPECT(!failed);
}

int main(void)
{
	char sub[sizeof(tmpdir) + 16];
	int rc;

	if (!mkdtemp(tmpdir))
		return 1;
	snprintf(sub, sizeof(sub), "%s/sandboxes", tmpdir);
	if (mkdir(sub, 0700) < 0)
		return 1;
	RUN(shipped_profiles_load);
	RUN(builtin_is_default_yaml);
	RUN(keys_and_units);
	RUN(every_limit_documented_and_shipped);
	RUN(bad_names_refused);
	RUN(missing_and_too_large);
	RUN(error_cases);
	rc = sandbox_remove_tree(tmpdir);
	if (rc < 0)
		printf("# %s\n", err_last());
	T_EXIT();
}
