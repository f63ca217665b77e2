/*
 * env_common.h - for the env harnesses (fuzz_requirements.c, fuzz_pipfile.c,
 * fuzz_pyproject.c, fuzz_python_version.c): the project files the environment phase reads from a
 * submission: requirements.txt (pip format, -r includes, encodings),
 * Pipfile, pyproject.toml (PEP 621 and Poetry) and .python-version, through
 * env_read_project() as the grader calls it, then the Python version
 * specifier they yield through env_spec_allows() (where an outside fuzzing
 * run found "=" read past the end of its string).
 */
#ifndef GRADER_FUZZ_ENV_COMMON_H
#define GRADER_FUZZ_ENV_COMMON_H

#include "fuzz.h"

#include "env_internal.h"
#include "err.h"

static void fuzz_env_file(const char *file, const uint8_t *data, size_t size)
{
	static const char *const FILES[] = {"requirements.txt", "Pipfile", "pyproject.toml", ".python-version"};
	static const long VERSIONS[][3] = {{3, 11, 2}, {3, 8, 0}, {2, 7, 18}, {3, 13, 0}};
	struct gbuf reqs = GBUF_INIT(1 << 20), diag = GBUF_INIT(64 << 10);
	struct env_project pj;
	size_t i;

	for (i = 0; i < sizeof(FILES) / sizeof(FILES[0]); i++)
		fuzz_rm(FILES[i]);
	fuzz_put(file, data, size);
	memset(&pj, 0, sizeof(pj));
	pj.reqs = &reqs;
	pj.notes = (struct gbuf)GBUF_INIT(16 << 10);
	if (env_read_project(fuzz_dir(), fuzz_dir(), GRADER_DATADIR, true, &pj, &diag) >= 0 && pj.python_spec)
		for (i = 0; i < sizeof(VERSIONS) / sizeof(VERSIONS[0]); i++)
			(void)env_spec_allows(pj.python_spec, VERSIONS[i]);
	env_project_release(&pj);
	gbuf_release(&reqs);
	gbuf_release(&diag);
	err_clear();
}

/* The specifier matcher alone, on the raw input (fast, and it reaches
 * forms the file readers would filter). */
static void fuzz_env_spec(const uint8_t *data, size_t size)
{
	static const long V[3] = {3, 11, 2};
	char *s = fuzz_str(data, size);

	if (s)
		(void)env_spec_allows(s, V);
	free(s);
}

#endif
