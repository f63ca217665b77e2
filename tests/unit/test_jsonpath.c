/* test_jsonpath.c - the JSONPath subset: members, indexes, wildcards, errors. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "jsonpath.h"
#include "t.h"

static const char *DOC =
	"{\"id\": 7, \"name\": \"Lamp\", \"tags\": [\"a\", \"b\", \"c\"],"
	" \"results\": [{\"id\": 1, \"stock\": 5}, {\"id\": 2, \"stock\": 0}],"
	" \"odd key\": {\"x-y\": true}, \"it's\": 1, \"n\": null, \"e\": []}";

/* Evaluate and print the result unformatted ("<none>" when nothing). */
static char *eval_print(const char *path)
{
	cJSON *root = cJSON_Parse(DOC);
	cJSON *out = NULL;
	char *s;

	if (jsonpath_eval(root, path, &out) < 0) {
		cJSON_Delete(root);
		return strdup("<error>");
	}
	s = out ? cJSON_PrintUnformatted(out) : strdup("<none>");
	cJSON_Delete(out);
	cJSON_Delete(root);
	return s;
}

#define EXPECT_PATH(path, want)                                                \
	do {                                                                   \
		char *t_s = eval_print(path);                                  \
		int t_eq = strcmp(t_s, want) == 0;                             \
		if (!t_eq)                                                     \
			printf("# %s gave %s\n", path, t_s);                   \
		free(t_s);                                                     \
		EXPECT(t_eq);                                                  \
	} while (0)

TEST(root_and_members)
{
	EXPECT_PATH("$.id", "7");
	EXPECT_PATH("$.name", "\"Lamp\"");
	EXPECT_PATH("$.n", "null");
	EXPECT_PATH("$.missing", "<none>");
	EXPECT_PATH("$.name.length", "<none>");
	EXPECT_PATH("$.e", "[]");
	EXPECT_PATH("$['odd key']['x-y']", "true");
	EXPECT_PATH("$[\"odd key\"][\"x-y\"]", "true");
	EXPECT_PATH("$['it\\'s']", "1");
}

TEST(whole_root)
{
	cJSON *root = cJSON_Parse("[1,2]");
	cJSON *out = NULL;

	EXPECT_INT(jsonpath_eval(root, "$", &out), 0);
	EXPECT(out != NULL && out != root);
	EXPECT(cJSON_IsArray(out) && cJSON_GetArraySize(out) == 2);
	cJSON_Delete(out);
	cJSON_Delete(root);
}

TEST(indexes)
{
	EXPECT_PATH("$.tags[0]", "\"a\"");
	EXPECT_PATH("$.tags[2]", "\"c\"");
	EXPECT_PATH("$.tags[3]", "<none>");
	EXPECT_PATH("$.tags[-1]", "\"c\"");
	EXPECT_PATH("$.tags[-3]", "\"a\"");
	EXPECT_PATH("$.tags[-4]", "<none>");
	EXPECT_PATH("$.results[1].stock", "0");
	EXPECT_PATH("$.id[0]", "<none>");
	EXPECT_PATH("$.results.id", "<none>");
}

TEST(wildcards)
{
	EXPECT_PATH("$.results[*].id", "[1,2]");
	EXPECT_PATH("$.results.*.stock", "[5,0]");
	EXPECT_PATH("$.tags[*]", "[\"a\",\"b\",\"c\"]");
	EXPECT_PATH("$.e[*]", "[]");
	EXPECT_PATH("$.missing[*]", "[]");
	EXPECT_PATH("$.results[*].nope", "[]");
	EXPECT_PATH("$['odd key'].*", "[true]");
	EXPECT_PATH("$.*.*.*", "[1,5,2,0]");
}

TEST(bad_syntax)
{
	static const char *const bad[] = {
		"", "id", ".id", "$.", "$..id", "$[", "$[]", "$[x]", "$['a'", "$['a'x]",
		"$[1", "$[-]", "$[1.5]", "$.1a", "$ .a", "$[99999999999999999999]",
		"$.a[*", "$*", "$.a.", "$[']", "x$.a",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cJSON *root = cJSON_Parse("{}");
		cJSON *out = NULL;
		int rc = jsonpath_eval(root, bad[i], &out);

		cJSON_Delete(root);
		if (rc != -1 || out)
			printf("# accepted %s\n", bad[i]);
		EXPECT_INT(rc, -1);
		EXPECT(out == NULL);
		EXPECT(strncmp(err_last(), "bad JSONPath at offset ", 23) == 0);
		EXPECT_INT(jsonpath_validate(bad[i]), -1);
	}
	EXPECT_INT(jsonpath_validate(NULL), -1);
}

TEST(offsets_in_errors)
{
	EXPECT_INT(jsonpath_validate("$.a[x]"), -1);
	EXPECT_STR(err_last(), "bad JSONPath at offset 4: expected an index, '*' or a quoted name after '['");
	EXPECT_INT(jsonpath_validate("id"), -1);
	EXPECT_STR(err_last(), "bad JSONPath at offset 0: it must start with '$'");
}

TEST(validate_good)
{
	EXPECT_INT(jsonpath_validate("$"), 0);
	EXPECT_INT(jsonpath_validate("$.results[*].id"), 0);
	EXPECT_INT(jsonpath_validate("$['a b'][-2].c_d-e.*"), 0);
}

TEST(null_root_still_checks_syntax)
{
	cJSON *out = (cJSON *)1;

	EXPECT_INT(jsonpath_eval(NULL, "$.a", &out), 0);
	EXPECT(out == NULL);
	EXPECT_INT(jsonpath_eval(NULL, "$.", &out), -1);
}

/* Weird paths over a weird document: never a crash, always 0 or -1. */
TEST(fuzzish)
{
	static const char alphabet[] = "$.[]*'\"-0123abc\\ ";
	cJSON *root = cJSON_Parse("{\"a\":[{\"b\":[1,[2,{\"c\":3}]]},\"x\"],\"0\":{\"\":4},\"'\":5}");
	unsigned seed = 12345;
	char path[24];
	int i, j, rc;

	for (i = 0; i < 20000; i++) {
		int len = 1 + (int)(seed % 20);

		path[0] = '$';
		for (j = 1; j < len; j++) {
			seed = seed * 1103515245u + 12345u;
			path[j] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		path[len] = '\0';
		seed = seed * 1103515245u + 12345u;
		{
			cJSON *out = NULL;

			rc = jsonpath_eval(root, path, &out);
			cJSON_Delete(out);
			EXPECT(rc == 0 || rc == -1);
			EXPECT_INT(jsonpath_validate(path), rc);
		}
	}
	cJSON_Delete(root);
}

TEST(deep_document)
{
	/* cJSON's own nesting limit bounds documents; a deep one still works. */
	char *s = malloc(2 * 900 + 2);
	cJSON *root, *out = NULL;
	int i;

	for (i = 0; i < 900; i++)
		s[i] = '[';
	s[900] = '1';
	for (i = 0; i < 900; i++)
		s[901 + i] = ']';
	s[1801] = '\0';
	root = cJSON_Parse(s);
	EXPECT(root != NULL);
	EXPECT_INT(jsonpath_eval(root, "$[0][0][0][*]", &out), 0);
	EXPECT(cJSON_IsArray(out) && cJSON_GetArraySize(out) == 1);
	cJSON_Delete(out);
	cJSON_Delete(root);
	free(s);
}

int main(void)
{
	RUN(root_and_members);
	RUN(whole_root);
	RUN(indexes);
	RUN(wildcards);
	RUN(bad_syntax);
	RUN(offsets_in_errors);
	RUN(validate_good);
	RUN(null_root_still_checks_syntax);
	RUN(fuzzish);
	RUN(deep_document);
	T_EXIT();
}
