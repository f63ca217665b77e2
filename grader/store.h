/*
 * store.h - results in SQLite.
 *
 * Schema made for a class: students' submissions (source + commit), runs of
 * a challenge suite (by suite hash and grader version) against them —
 * regrades are new runs of the same submission — and per-check results.
 * WAL mode, a busy timeout for parallel graders, `PRAGMA user_version` as the
 * schema version with forward migrations applied in store_open(), and one
 * transaction per recorded run. docs/store.md documents the tables.
 *
 * Ownership: store_open() -> store_close().
 */
#ifndef GRADER_STORE_H
#define GRADER_STORE_H

#include <stdint.h>

#include "result.h"

struct store;

/* Creates the file and its folder if needed; migrates an older schema. */
int store_open(const char *path, struct store **out);
void store_close(struct store *s);

/* Record one finished run (any status). *run_id gets its row id if non-NULL. */
int store_record_run(struct store *s, const struct grade_result *r, int64_t *run_id);

/* The default database: $GRADER_DB, else <cache dir>/results.sqlite3. malloc'd. */
char *store_default_path(void);

#endif
