/*
 * test_fuzz.c - replays tests/fuzz/corpus/<harness>/ (the seeds and every
 * finding kept as a regression case) through the libFuzzer harnesses of
 * tests/fuzz/, built here as plain functions under ASan/UBSan: a finding
 * that comes back is a sanitizer report, and this program dies. Fast (a
 * few dozen small inputs); the fuzzing itself is `make fuzz`.
 */
#define FUZZ_REPLAY 1

#include "t.h"

#include <dirent.h>
#include <sys/stat.h>

#include "../fuzz/fuzz_requirements.c"
#include "../fuzz/fuzz_pipfile.c"
#include "../fuzz/fuzz_pyproject.c"
#include "../fuzz/fuzz_python_version.c"
#include "../fuzz/fuzz_routes.c"
#include "../fuzz/fuzz_html.c"
#include "../fuzz/fuzz_css.c"
#include "../fuzz/fuzz_headers.c"
#include "../fuzz/fuzz_jsonpath.c"
#include "sandbox.h"

/* Every file of the harness's corpus folder, through fn; how many. */
static int replay(const char *name, int (*fn)(const uint8_t *, size_t))
{
	char dir[512], path[1024];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", GRADER_DATADIR, name);
	d = opendir(dir);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		struct gbuf b = GBUF_INIT(1 << 20);

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (gbuf_read_file(&b, path) == 0) {
			fn((const uint8_t *)b.data, b.len);
			n++;
		}
		gbuf_release(&b);
	}
	closedir(d);
	return n;
}

#define REPLAY(name)                                                   \
	TEST(replay_##name)                                            \
	{                                                              \
		int n = replay(#name, fuzz_##name);                    \
		printf("# %s: %d inputs\n", #name, n);                 \
		EXPECT(n > 0);                                         \
	}

REPLAY(requirements)
REPLAY(pipfile)
REPLAY(pyproject)
REPLAY(python_version)
REPLAY(routes)
REPLAY(html)
REPLAY(css)
REPLAY(headers)
REPLAY(jsonpath)

/* The finding itself, asserted: "=", ">=" and "~" alone are not
 * understood (-1), and nothing is read past their end (ASan). */
TEST(spec_operator_alone_is_not_understood)
{
	static const long V[3] = {3, 11, 2};

	EXPECT_INT(env_spec_allows("=", V), -1);
	EXPECT_INT(env_spec_allows(">=", V), -1);
	EXPECT_INT(env_spec_allows("~", V), -1);
	EXPECT_INT(env_spec_allows(">=3.10", V), 1);
	EXPECT_INT(env_spec_allows(">=3.12,<4", V), 0);
}

int main(void)
{
	RUN(replay_requirements);
	RUN(replay_pipfile);
	RUN(replay_pyproject);
	RUN(replay_python_version);
	RUN(replay_routes);
	RUN(replay_html);
	RUN(replay_css);
	RUN(replay_headers);
	RUN(replay_jsonpath);
	RUN(spec_operator_alone_is_not_understood);
	sandbox_remove_tree(fuzz_dir());
	T_EXIT();
}
