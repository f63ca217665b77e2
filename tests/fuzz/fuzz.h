/*
 * fuzz.h - shared by the libFuzzer harnesses in tests/fuzz/ (issue 8 item
 * 11): every parser that reads what a submission controls.
 *
 * Each harness is written once as FUZZ_ENTRY(name) { ... }:
 *   - built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined,
 *     it is LLVMFuzzerTestOneInput (one binary per harness);
 *   - included by tests/unit/test_fuzz.c with FUZZ_REPLAY defined, it is
 *     fuzz_<name>(), and every file of tests/fuzz/corpus/<name>/ (seeds and
 *     past findings) is replayed through it under ASan/UBSan in `make test`.
 * A harness returns 0; a bug shows as a sanitizer report (or a crash).
 */
#ifndef GRADER_FUZZ_H
#define GRADER_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef FUZZ_REPLAY
#define FUZZ_ENTRY(name) int fuzz_##name(const uint8_t *data, size_t size)
#else
#define FUZZ_ENTRY(name) int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif

/* The input as a NUL-terminated string (the parsers take C strings; an
 * embedded NUL just ends it early). Caller frees. */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* A scratch folder for the harnesses that read files (made once per
 * process, under $TMPDIR or /tmp; removed by the replay test). */
static inline const char *fuzz_dir(void)
{
	static char dir[256];

	if (!dir[0]) {
		const char *t = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/grader-fuzz-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

/* Write the input as dir/name (replacing it). */
static inline void fuzz_put(const char *name, const uint8_t *data, size_t size)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
}

static inline void fuzz_rm(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	unlink(path);
}

#endif
