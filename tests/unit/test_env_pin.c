/* env_pin.h: the relaxed pins' one JSON form, as the store, a saved report
 * and the relaxation record (env_relax.c) read and write it. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env_internal.h"
#include "env_pin.h"
#include "err.h"
#include "t.h"

static char tmp[PATH_MAX];

static const struct env_pin PINS[] = {
	{ "psycopg2-binary==2.9.3", "psycopg2-binary==2.9.10", "no wheel of 2.9.3 for Python 3.11" },
	{ "backports.zoneinfo==0.2.1", "backports.zoneinfo==0.2.1 ; python_version < \"3.9\"",
	  "no release has a wheel for Python 3.11, which has the module itself" },
};

/* Written, printed, parsed and read back: the same pins, in order; a NULL
 * string is written as "". */
TEST(pins_round_trip_through_json)
{
	struct env_pin with_null = { "a==1", NULL, "why" }, *back = NULL;
	cJSON *arr = env_pins_to_json(PINS, 2), *again;
	char *text = arr ? cJSON_PrintUnformatted(arr) : NULL;
	size_t n = 9;
	int rc;

	cJSON_Delete(arr);
	EXPECT(text != NULL);
	EXPECT(strstr(text, "[{\"from\":\"psycopg2-binary==2.9.3\",\"to\":\"psycopg2-binary==2.9.10\","
			    "\"why\":\"no wheel of 2.9.3 for Python 3.11\"},{") == text);
	again = cJSON_Parse(text);
	free(text);
	rc = env_pins_from_json(again, &back, &n);
	cJSON_Delete(again);
	EXPECT_INT(rc, 0);
	EXPECT_INT(n, 2);
	EXPECT_STR(back[1].from, PINS[1].from);
	EXPECT_STR(back[1].to, PINS[1].to);
	EXPECT_STR(back[0].why, PINS[0].why);
	env_pins_free(back, n);

	arr = env_pins_to_json(&with_null, 1);
	rc = env_pins_from_json(arr, &back, &n);
	cJSON_Delete(arr);
	EXPECT_INT(rc, 0);
	EXPECT_STR(n == 1 ? back[0].to : "?", "");
	env_pins_free(back, n);
}

/* A value of another shape is 1 with a message naming what is wrong, and
 * nothing allocated; an empty list is no pins. */
TEST(pins_from_json_names_what_is_wrong)
{
	static const struct {
		const char *json, *err;
	} bad[] = {
		{ "{\"from\": \"a\"}", "not a JSON array" },
		{ "[{\"from\": \"a\", \"to\": \"b\", \"why\": \"c\"}, {\"from\": \"a\", \"to\": \"b\"}]",
		  "item 2 has no string 'why'" },
		{ "[{\"from\": \"a\", \"to\": 3, \"why\": \"c\"}]", "item 1 has no string 'to'" },
		{ "[\"a==1\"]", "item 1 has no string 'from'" },
	};
	struct env_pin *v = (struct env_pin *)PINS;
	size_t n = 9, i;
	cJSON *doc;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		doc = cJSON_Parse(bad[i].json);
		err_clear();
		rc = env_pins_from_json(doc, &v, &n);
		cJSON_Delete(doc);
		EXPECT_INT(rc, 1);
		EXPECT_STR(err_last(), bad[i].err);
		EXPECT(v == NULL && n == 0);
	}
	EXPECT_INT(env_pins_from_json(NULL, &v, &n), 1);
	doc = cJSON_Parse("[]");
	rc = env_pins_from_json(doc, &v, &n);
	cJSON_Delete(doc);
	EXPECT_INT(rc, 0);
	EXPECT(v == NULL && n == 0);
}

/* The relaxation record (<envs>/.relaxed/KEY) uses the same form: read
 * back as written; a record edited into another shape, or absent, is no
 * record (1, no error), so the relaxation is made again. */
TEST(relax_record_reads_what_it_wrote)
{
	struct gbuf reqs = GBUF_INIT(1 << 16), lines = GBUF_INIT(1 << 16);
	struct env_pin *pins = NULL;
	char path[PATH_MAX + 64];
	size_t n = 0;
	FILE *f;
	int rc;

	gbuf_adds(&lines, "psycopg2-binary==2.9.10\ndjango==4.2\n");
	EXPECT_INT(env_relax_record_write(tmp, "k1", &lines, PINS, 2), 0);
	rc = env_relax_record_read(tmp, "k1", &reqs, &pins, &n);
	EXPECT_INT(rc, 0);
	EXPECT_STR(gbuf_str(&reqs), "psycopg2-binary==2.9.10\ndjango==4.2\n");
	EXPECT_INT(n, 2);
	EXPECT_STR(pins[1].to, PINS[1].to);
	env_pins_free(pins, n);

	snprintf(path, sizeof(path), "%s/.relaxed/k1", tmp);
	f = fopen(path, "w");
	EXPECT(f != NULL);
	fputs("{\"requirements\": \"x==1\", \"relaxed\": [{\"from\": \"x==0\", \"to\": \"x==1\"}]}", f);
	fclose(f);
	err_clear();
	EXPECT_INT(env_relax_record_read(tmp, "k1", &reqs, &pins, &n), 1);
	EXPECT(pins == NULL && n == 0 && err_last()[0] == '\0');
	EXPECT_STR(gbuf_str(&reqs), "psycopg2-binary==2.9.10\ndjango==4.2\n");
	EXPECT_INT(env_relax_record_read(tmp, "absent", &reqs, &pins, &n), 1);
	gbuf_release(&reqs);
	gbuf_release(&lines);
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	char cmd[PATH_MAX + 16];
	int rc;

	snprintf(tmp, sizeof(tmp), "%s/test_env_pin.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(pins_round_trip_through_json);
	RUN(pins_from_json_names_what_is_wrong);
	RUN(relax_record_reads_what_it_wrote);
	rc = t_failures ? 1 : 0;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
