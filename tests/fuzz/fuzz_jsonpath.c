/* fuzz_jsonpath.c - a response body (JSON the app wrote) queried with a
 * path (the first line of the input; a challenge's, or captured): the path
 * is validated and both are evaluated, and the suite's usual paths run on
 * the body too. */
#include "fuzz.h"

#include <cjson/cJSON.h>

#include "err.h"
#include "jsonpath.h"

FUZZ_ENTRY(jsonpath)
{
	static const char *const PATHS[] = {"$", "$.results[0].id", "$..price", "$[*].name", "$.a.b[-1]", "$[?(@.x>1)]"};
	char *s = fuzz_str(data, size), *nl;
	cJSON *root, *out = NULL;
	size_t i;

	if (!s)
		return 0;
	nl = strchr(s, '\n');
	if (nl)
		*nl = '\0';
	root = cJSON_Parse(nl ? nl + 1 : "{\"a\": {\"b\": [1, 2, {\"c\": null}]}, \"results\": [{\"id\": 3}]}");
	if (jsonpath_validate(s) == 0 && root && jsonpath_eval(root, s, &out) == 0)
		cJSON_Delete(out);
	out = NULL;
	for (i = 0; root && i < sizeof(PATHS) / sizeof(PATHS[0]); i++) {
		if (jsonpath_eval(root, PATHS[i], &out) == 0)
			cJSON_Delete(out);
		out = NULL;
	}
	cJSON_Delete(root);
	free(s);
	err_clear();
	return 0;
}
