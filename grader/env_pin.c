/* env_pin.c - relaxed pins and their JSON form (env_pin.h). */
#include "env_pin.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

void env_pins_free(struct env_pin *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].from);
		free(v[i].to);
		free(v[i].why);
	}
	free(v);
}

cJSON *env_pins_to_json(const struct env_pin *v, size_t n)
{
	cJSON *arr = cJSON_CreateArray(), *o;
	size_t i;

	for (i = 0; arr && i < n; i++) {
		o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			break;
		}
		if (!cJSON_AddStringToObject(o, "from", v[i].from ? v[i].from : "") ||
		    !cJSON_AddStringToObject(o, "to", v[i].to ? v[i].to : "") ||
		    !cJSON_AddStringToObject(o, "why", v[i].why ? v[i].why : ""))
			break;
	}
	if (arr && i < n) {
		cJSON_Delete(arr);
		arr = NULL;
	}
	if (!arr)
		err_set("out of memory");
	return arr;
}

/* Member `key` of pin `it`, or NULL when it is not a string. */
static const char *pin_member(const cJSON *it, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, key));
}

int env_pins_from_json(const cJSON *arr, struct env_pin **out, size_t *n)
{
	static const char *const keys[] = { "from", "to", "why" };
	const cJSON *it;
	struct env_pin *v = NULL;
	size_t count = 0, i = 0;
	int rc = 1;

	*out = NULL;
	*n = 0;
	if (!cJSON_IsArray(arr)) {
		err_set("not a JSON array");
		goto done;
	}
	/* The shape first: a malformed array costs no allocation. */
	cJSON_ArrayForEach(it, arr) {
		count++;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!pin_member(it, keys[k])) {
				err_set("item %zu has no string '%s'", count, keys[k]);
				goto done;
			}
	}
	rc = 0;
	if (!count)
		goto done;
	if (!(v = calloc(count, sizeof(*v)))) {
		rc = err_set("out of memory");
		goto done;
	}
	cJSON_ArrayForEach(it, arr) {
		struct env_pin *p = &v[i++];

		if (!(p->from = strdup(pin_member(it, "from"))) || !(p->to = strdup(pin_member(it, "to"))) ||
		    !(p->why = strdup(pin_member(it, "why")))) {
			rc = err_set("out of memory");
			goto done;
		}
	}
	*out = v;
	*n = count;
	v = NULL;
done:
	env_pins_free(v, count);
	return rc;
}
