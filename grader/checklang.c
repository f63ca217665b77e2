/*
 * checklang.c - the tables of checklang.h: every query, filter and
 * predicate of the check language, one row each. The doc column is the
 * one-line summary; docs/checks.md has the same words (test_checklang).
 */
#include "checklang.h"

#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* key, kind, argument, evaluator, flags (QF_*), label (or describer), doc. */
const struct checklang_query checklang_queries[CHECKLANG_NQUERIES] = {
	{"status", Q_STATUS, QA_STATUS, query_get_status, QF_RESPONSE,
	 "status", NULL, "the status code (number)"},
	{"header", Q_HEADER, QA_STR, query_get_header, QF_RESPONSE,
	 "header %s", NULL, "first value of a response header (case-insensitive)"},
	{"location", Q_LOCATION, QA_NONE, query_get_location, QF_RESPONSE,
	 "redirect location", NULL, "the Location header, as a path when it points at the app"},
	{"url", Q_URL, QA_NONE, query_get_url, QF_RESPONSE,
	 "final URL", NULL, "the final path after followed redirects"},
	{"body", Q_BODY, QA_NONE, query_get_body, QF_RESPONSE | QF_CONTENT,
	 "body", NULL, "the body as text"},
	{"text", Q_TEXT, QA_NONE, query_get_text, QF_RESPONSE | QF_CONTENT,
	 "page text", NULL, "the visible text of an HTML page (no scripts or styles, spaces collapsed)"},
	{"prose", Q_PROSE, QA_NONE, query_get_text, QF_RESPONSE | QF_CONTENT,
	 "page text " CHECKLANG_PROSE_OUTSIDE, NULL,
	 "the visible text without links, buttons and form controls (what a page states, not what it offers)"},
	{"jsonpath", Q_JSONPATH, QA_JSONPATH, query_get_jsonpath, QF_RESPONSE | QF_CONTENT,
	 "jsonpath %s", NULL, "a JSONPath on the JSON body; a wildcard gives a list"},
	{"xpath", Q_XPATH, QA_XPATH, query_get_xpath, QF_RESPONSE | QF_CONTENT,
	 "xpath %s", NULL, "XPath 1.0 on the HTML body: a list of the nodes' string values"},
	{"css", Q_CSS, QA_CSS, query_get_css, QF_RESPONSE | QF_CONTENT,
	 NULL, query_desc_css, "the text (or attribute) of every element the selector matches"},
	{"regex", Q_REGEX, QA_REGEX, query_get_regex, QF_RESPONSE | QF_CONTENT,
	 "regex /%s/", NULL, "the first match in the body (group 1 if the pattern has groups)"},
	{"sha256", Q_SHA256, QA_NONE, query_get_sha256, QF_RESPONSE | QF_CONTENT,
	 "sha256 of the body", NULL, "hex SHA-256 of the raw body"},
	{"duration", Q_DURATION, QA_NONE, query_get_duration, QF_RESPONSE | QF_CONTENT | QF_TIMED,
	 "duration in ms", NULL, "milliseconds the exchange took"},
	{"value", Q_VALUE, QA_ANY, query_get_value, 0,
	 NULL, query_desc_value, "a templated value, to test captured variables"},
	{"queries", Q_QUERIES, QA_NONE, query_get_queries, QF_CONTENT | QF_SHARED,
	 "SQL query count", NULL, "SQL queries the app ran for this request (advisory checks)"},
	{"queries_repeated", Q_QUERIES_REPEATED, QA_NONE, query_get_queries_repeated, QF_CONTENT | QF_SHARED,
	 "times its most repeated SQL query ran", NULL,
	 "times the SQL statement this request ran most often ran, its parameters apart (advisory checks)"},
	{"form_errors", Q_FORM_ERRORS, QA_NONE, query_get_form_errors, QF_RESPONSE | QF_CONTENT,
	 "the form's errors", NULL, "the errors a re-shown form displays, control name -> messages"},
	{"refused", Q_REFUSED, QA_NONE, query_get_refused, QF_RESPONSE,
	 "refusal (302 to the login page, 401, 403 or 404)", NULL,
	 "how the answer refuses the request (contracts §2), or missing"},
	{"login_redirect", Q_LOGIN_REDIRECT, QA_NONE, query_get_login_redirect, QF_RESPONSE,
	 "redirect to the login page", NULL, "the login page the answer redirects to, or missing"},
};

const struct checklang_filter checklang_filters[CHECKLANG_NFILTERS] = {
	{"count", F_COUNT, FA_NONE, query_filter_count,
	 "number of items of a list or object; length of a string in characters"},
	{"unwrap", F_UNWRAP, FA_STR, query_filter_unwrap,
	 "an object with member KEY becomes that member; anything else stays"},
	{"where", F_WHERE, FA_WHERE, query_filter_where,
	 "the items of a list whose members equal all the given values"},
	{"field", F_FIELD, FA_STR, query_filter_field,
	 "member NAME of an object; of a list, each item's member NAME"},
	{"nth", F_NTH, FA_INT, query_filter_nth, "item N of a list (negative counts from the end)"},
	{"first", F_FIRST, FA_NONE, query_filter_nth, "the first item of a list"},
	{"last", F_LAST, FA_NONE, query_filter_nth, "the last item of a list"},
	{"toInt", F_TOINT, FA_NONE, query_filter_toint, "a number or numeric string as an integer"},
	{"toString", F_TOSTRING, FA_NONE, query_filter_tostring, "a single value as a string"},
	{"regex", F_REGEX, FA_REGEX, query_filter_regex,
	 "the first match in a string (group 1 if any); of a list, in each string"},
	{"findall", F_FINDALL, FA_REGEX, query_filter_findall,
	 "every match in a string, as a list (group 1 if any); of a list, in each string, in order"},
	{"lower", F_LOWER, FA_NONE, query_filter_strmap, "a string, or each string of a list, in lower case"},
	{"trim", F_TRIM, FA_NONE, query_filter_strmap, "a string, or each string of a list, without outer spaces"},
	{"join", F_JOIN, FA_OPT_STR, query_filter_join, "a list of values as one string joined with SEP (default a space)"},
	{"items", F_ITEMS, FA_NONE, query_filter_items,
	 "a list as it is; a DRF page becomes its results; any other object, a list of that one object"},
	{"total", F_TOTAL, FA_NONE, query_filter_total,
	 "unwrap results | count, but a page's own count where it holds fewer rows and links no next"},
};

/* key, kind, operand, evaluator, sees a missing value, phrases in a failure
 * ("expected ...") and in a description, positive and negated, doc. */
const struct checklang_pred checklang_preds[CHECKLANG_NPREDS] = {
	{"equals", P_EQUALS, PA_ANY, query_pred_equals, false,
	 {"%s", "anything but %s"}, {"equals %s", "does not equal %s"},
	 "equal as JSON values; 3, 3.0 and \"3\" are equal"},
	{"oneOf", P_ONE_OF, PA_LIST, query_pred_one_of, false,
	 {"one of %s", "none of %s"}, {"is one of %s", "is not one of %s"},
	 "equal to one of a list of values"},
	{"contains", P_CONTAINS, PA_SCALAR, query_pred_contains, false,
	 {"contains %s", "not containing %s"}, {"contains %s", "does not contain %s"},
	 "a string containing a substring"},
	{"includes", P_INCLUDES, PA_ANY, query_pred_includes, false,
	 {"a list including %s", "a list not including %s"}, {"includes %s", "does not include %s"},
	 "a list with an item equal to the value"},
	{"startsWith", P_STARTS_WITH, PA_SCALAR, query_pred_starts_with, false,
	 {"starts with %s", "not starting with %s"}, {"starts with %s", "does not start with %s"},
	 "a string starting with the value"},
	{"endsWith", P_ENDS_WITH, PA_SCALAR, query_pred_ends_with, false,
	 {"ends with %s", "not ending with %s"}, {"ends with %s", "does not end with %s"},
	 "a string ending with the value"},
	{"matches", P_MATCHES, PA_REGEX, query_pred_matches, false,
	 {"matches %s", "not matching %s"}, {"matches %s", "does not match %s"},
	 "a string matching a PCRE2 pattern"},
	{"isInteger", P_IS_INTEGER, PA_BOOL, query_pred_is_integer, false,
	 {"an integer", "not an integer"}, {"is an integer", "is not an integer"},
	 "an integer number"},
	{"isNumber", P_IS_NUMBER, PA_BOOL, query_pred_is_number, false,
	 {"a number", "not a number"}, {"is a number", "is not a number"},
	 "a number"},
	{"isString", P_IS_STRING, PA_BOOL, query_pred_is_string, false,
	 {"a string", "not a string"}, {"is a string", "is not a string"},
	 "a string"},
	{"isList", P_IS_LIST, PA_BOOL, query_pred_is_list, false,
	 {"a list", "not a list"}, {"is a list", "is not a list"},
	 "a list"},
	{"isObject", P_IS_OBJECT, PA_BOOL, query_pred_is_object, false,
	 {"an object", "not an object"}, {"is an object", "is not an object"},
	 "an object"},
	{"isEmpty", P_IS_EMPTY, PA_BOOL, query_pred_is_empty, false,
	 {"empty", "not empty"}, {"is empty", "is not empty"},
	 "\"\", [] or {}"},
	{"lessThan", P_LESS, PA_NUMBER, query_pred_order, false,
	 {"less than %s", "not less than %s"}, {"is less than %s", "is not less than %s"},
	 "a number below the value"},
	{"lessOrEqual", P_LESS_EQ, PA_NUMBER, query_pred_order, false,
	 {"at most %s", "not at most %s"}, {"is at most %s", "is not at most %s"},
	 "a number at most the value"},
	{"greaterThan", P_GREATER, PA_NUMBER, query_pred_order, false,
	 {"greater than %s", "not greater than %s"}, {"is greater than %s", "is not greater than %s"},
	 "a number above the value"},
	{"greaterOrEqual", P_GREATER_EQ, PA_NUMBER, query_pred_order, false,
	 {"at least %s", "not at least %s"}, {"is at least %s", "is not at least %s"},
	 "a number at least the value"},
	{"count", P_COUNT, PA_COUNT, query_pred_count, false,
	 {"%s items", "not %s items"}, {"has %s items", "does not have %s items"},
	 "a list (or object) with exactly N items"},
	{"exists", P_EXISTS, PA_BOOL, query_pred_exists, true,
	 {"to exist", "not to exist"}, {"exists", "does not exist"},
	 "the query finds something (exists: false: it finds nothing)"},
	{"equalsFile", P_EQUALS_FILE, PA_FILE, query_pred_equals_file, false,
	 {"the bytes of %s", "not the bytes of %s"}, {"equals the file %s", "does not equal the file %s"},
	 "with body: the raw bytes equal a fixture file of the challenge"},
};

const struct checklang_query *checklang_query_find(const char *key)
{
	size_t i;

	for (i = 0; i < NELEM(checklang_queries); i++)
		if (!strcmp(checklang_queries[i].key, key))
			return &checklang_queries[i];
	return NULL;
}

const struct checklang_filter *checklang_filter_find(const char *key)
{
	size_t i;

	for (i = 0; i < NELEM(checklang_filters); i++)
		if (!strcmp(checklang_filters[i].key, key))
			return &checklang_filters[i];
	return NULL;
}

const struct checklang_pred *checklang_pred_find(const char *key)
{
	size_t i;

	for (i = 0; i < NELEM(checklang_preds); i++)
		if (!strcmp(checklang_preds[i].key, key))
			return &checklang_preds[i];
	return NULL;
}

const struct checklang_query *checklang_query_of(enum query_kind kind)
{
	size_t i;

	for (i = 0; i < NELEM(checklang_queries); i++)
		if (checklang_queries[i].kind == kind)
			return &checklang_queries[i];
	return NULL;
}

const struct checklang_pred *checklang_pred_of(enum pred_kind kind)
{
	size_t i;

	for (i = 0; i < NELEM(checklang_preds); i++)
		if (checklang_preds[i].kind == kind)
			return &checklang_preds[i];
	return NULL;
}

const struct checklang_filter *checklang_filter_of(enum filter_kind kind)
{
	size_t i;

	for (i = 0; i < NELEM(checklang_filters); i++)
		if (checklang_filters[i].kind == kind)
			return &checklang_filters[i];
	return NULL;
}
