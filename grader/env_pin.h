/*
 * env_pin.h - a requirement pin the env family changed so that it installs
 * (env_relax.c, docs/environments.md), and its one JSON form,
 * [{"from": ..., "to": ..., "why": ...}], which the relaxation record
 * (<envs>/.relaxed/KEY), the store's runs.env_relaxed and a saved report's
 * environment.relaxed all use. The report's writer (report.c) builds the
 * same shape from cleaned copies of the strings, so it does not call
 * env_pins_to_json.
 *
 * Kept apart from env.h so that result.h (the run's record) and the store
 * can hold and read pins without the rest of the environment module.
 *
 * Ownership: an array of env_pin owns its strings; env_pins_free() frees
 * them and the array (NULL strings allowed, as after a failed parse).
 * env_pins_to_json's array belongs to the caller (cJSON_Delete, or a
 * document it is added to); env_pins_from_json's pins to the caller.
 */
#ifndef GRADER_ENV_PIN_H
#define GRADER_ENV_PIN_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* A pin changed so that it installs: requirement lines. */
struct env_pin {
	char *from;    /* "psycopg2-binary==2.9.3" */
	char *to;      /* "psycopg2-binary==2.9.5" */
	char *why;     /* "no wheel of 2.9.3 for Python 3.11; 2.9.5 is the nearest release with one" */
};

void env_pins_free(struct env_pin *v, size_t n);

/* The pins as a new JSON array of {"from", "to", "why"} (a NULL string is
 * ""). NULL + err on out of memory. */
cJSON *env_pins_to_json(const struct env_pin *v, size_t n);

/*
 * A JSON array of {"from", "to", "why"} strings (other members ignored)
 * into a new (*out, *n); *out is NULL for an empty array.
 *  0  done;
 *  1  `arr` is not such an array: err says what is wrong ("not a JSON
 *     array", "item 2 has no string 'why'"), the caller decides whether
 *     that is an error (stored data, a saved report) or only unusable (a
 *     record to rebuild); *out is NULL;
 * -1  out of memory (err); *out is NULL.
 */
int env_pins_from_json(const cJSON *arr, struct env_pin **out, size_t *n);

#endif
