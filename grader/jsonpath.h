/*
 * jsonpath.h - the JSONPath subset used by checks.
 *
 *   $            the root
 *   .name        member (name: [A-Za-z_][A-Za-z0-9_-]*)
 *   ['name']     member, any name ("..." also accepted)
 *   [N]          array item; negative N counts from the end
 *   [*] or .*    every item / member value (makes the result a list)
 *
 * A path without a wildcard yields one value or nothing; with one, an array
 * of all matches (possibly empty), as in Hurl.
 * Ownership: *out is a new cJSON tree the caller frees with cJSON_Delete, or
 * NULL when nothing matched.
 */
#ifndef GRADER_JSONPATH_H
#define GRADER_JSONPATH_H

#include <cjson/cJSON.h>

/* 0 ok; -1 + err_last() "bad JSONPath at offset N: ..." if the syntax is wrong. */
int jsonpath_validate(const char *path);
int jsonpath_eval(const cJSON *root, const char *path, cJSON **out);

#endif
