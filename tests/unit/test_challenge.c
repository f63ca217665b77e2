/*
 * test_challenge.c - the challenge loader: a good challenge parsed into the
 * exact model, and a table of malformed files each rejected with the exact
 * FILE:LINE:COLUMN and the phrase that explains it.
 *
 * The good challenge lives in tests/unit/fixtures/challenges/good; the
 * malformed ones are data, one file each in tests/data/challenge-errors/
 * (see error_cases), written into a fresh folder under /tmp.
 */
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "buf.h"
#include "challenge.h"
#include "err.h"
#include "t.h"
#include "t_cases.h"

#define GOOD GRADER_DATADIR "/tests/unit/fixtures/challenges/good"

static struct challenge *good;

/* ---- helpers -------------------------------------------------------------- */

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

static void rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int write_file(const char *dir, const char *rel, const char *text)
{
	char path[PATH_MAX], sub[PATH_MAX];
	char *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	snprintf(sub, sizeof(sub), "%s", path);
	slash = strrchr(sub, '/');
	if (slash) {
		*slash = '\0';
		mkdir(sub, 0755);
	}
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static char *make_dir(void)
{
	char tmpl[] = "/tmp/test_challenge.XXXXXX";
	char *d = mkdtemp(tmpl);

	return d ? strdup(d) : NULL;
}

static const struct step *step_of(const char *check, size_t i)
{
	const struct check *ck = challenge_check(good, check);

	return ck && i < ck->nsteps ? &ck->steps[i] : NULL;
}

static const struct assertion *assert_of(const char *check, size_t s, size_t i)
{
	const struct step *st = step_of(check, s);

	return st && i < st->nasserts ? &st->asserts[i] : NULL;
}

/* ---- the good challenge ------------------------------------------------- */

TEST(good_loads)
{
	EXPECT(challenge_load(GOOD, &good) == 0);
	EXPECT(good != NULL);
	EXPECT_STR(good->id, "demo-shop");
	EXPECT_STR(good->title, "Demo Shop");
	EXPECT_STR(good->sandbox_profile, "strict");
	EXPECT_INT(good->request_timeout_ms, 5000);
	EXPECT(good->dir[0] == '/');
	EXPECT(strstr(good->dir, "fixtures/challenges/good") != NULL);
}

TEST(users_and_defaults)
{
	const struct user *u;

	EXPECT_INT(good->nusers, 3);
	u = challenge_user(good, "staff");
	EXPECT(u && u->is_staff && !u->is_superuser);
	EXPECT_STR(u->password, "staff-grader-pw");
	EXPECT_STR(u->email, "staff@example.invalid");
	u = challenge_user(good, "alice");
	EXPECT(u && !u->is_staff);
	EXPECT_STR(u->password, "alice-grader-pw");
	u = challenge_user(good, "bob");
	EXPECT(u && u->is_superuser);
	EXPECT_STR(u->password, "s3cret-bob");
	EXPECT_STR(u->email, "bob@example.org");
	EXPECT(challenge_user(good, "carol") == NULL);
}

TEST(checks_in_load_order)
{
	EXPECT_INT(good->nchecks, 4);
	EXPECT_STR(good->checks[0].id, "inline-first");
	EXPECT_STR(good->checks[0].pos.file, "challenge.yaml");
	EXPECT_STR(good->checks[1].id, "products-list");
	EXPECT_STR(good->checks[1].pos.file, "checks/products.yaml");
	EXPECT_INT(good->checks[1].pos.line, 2);
	EXPECT_INT(good->checks[1].pos.column, 5);
	EXPECT_STR(good->checks[2].id, "order-create");
	EXPECT_STR(good->checks[2].pos.file, "checks/orders.yaml");
	EXPECT_STR(good->checks[3].id, "advisory-debug");
	EXPECT_INT(good->checks[1].points, 10);
	EXPECT_STR(good->checks[1].category, "products");
	EXPECT_STR(good->checks[3].title, "advisory-debug");   /* defaults to the id */
	EXPECT(good->checks[3].advisory);
	EXPECT_INT(good->checks[3].points, 0);
	EXPECT_INT(good->checks[2].ndepends, 1);
	EXPECT_STR(good->checks[2].depends_on[0], "products-list");
	EXPECT_INT(good->checks[3].ndepends, 1);             /* a bare string is a list of one */
	EXPECT_STR(good->checks[3].depends_on[0], "order-create");
	EXPECT(challenge_check(good, "order-create") == &good->checks[2]);
	EXPECT(challenge_check(good, "nope") == NULL);
}

TEST(mutants)
{
	EXPECT_INT(good->nmutants, 1);
	EXPECT_STR(good->mutants[0].id, "no-stock-check");
	EXPECT_STR(good->mutants[0].patch, "mutants/no-stock-check.patch");
	EXPECT_INT(good->mutants[0].nkills, 1);
	EXPECT_STR(good->mutants[0].kills[0], "order-create");
	EXPECT_STR(good->mutants[0].why, "the stock is never decremented");
}

TEST(step_request_fields)
{
	const struct step *s = step_of("products-list", 0);
	const cJSON *j, *tags;

	EXPECT(s != NULL);
	EXPECT_STR(s->name, "staff creates a product");
	EXPECT_STR(s->actor, "staff");
	EXPECT_STR(s->method, "POST");                 /* upper-cased */
	EXPECT_STR(s->url, "/api/products/");
	EXPECT_INT(s->pos.line, 7);
	EXPECT_INT(s->pos.column, 9);
	/* Header values are text whatever YAML type they looked like. */
	EXPECT(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(s->headers, "X-Count")));
	EXPECT_STR(cJSON_GetObjectItemCaseSensitive(s->headers, "X-Count")->valuestring, "3");
	EXPECT_STR(cJSON_GetObjectItemCaseSensitive(s->headers, "Accept")->valuestring, "application/json");
	EXPECT_INT(s->body, BODY_JSON);
	j = s->body_value;
	/* Templates stay strings; core-schema typing of plain scalars. */
	EXPECT_STR(cJSON_GetObjectItemCaseSensitive(j, "name")->valuestring, "Probe {{run.nonce}}");
	EXPECT(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "price")));
	EXPECT(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "stock")));
	EXPECT_INT(cJSON_GetObjectItemCaseSensitive(j, "stock")->valueint, 5);
	EXPECT_INT(cJSON_GetObjectItemCaseSensitive(j, "big")->valueint, -12);
	EXPECT_INT(cJSON_GetObjectItemCaseSensitive(j, "hex")->valueint, 31);
	EXPECT(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "quoted")));
	EXPECT(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "off")));   /* YAML 1.2: not a bool */
	tags = cJSON_GetObjectItemCaseSensitive(j, "tags");
	EXPECT_INT(cJSON_GetArraySize(tags), 6);
	EXPECT(cJSON_IsString(cJSON_GetArrayItem(tags, 0)));
	EXPECT(cJSON_IsNumber(cJSON_GetArrayItem(tags, 1)));
	EXPECT(cJSON_GetArrayItem(tags, 2)->valuedouble == 2.5);
	EXPECT(cJSON_IsTrue(cJSON_GetArrayItem(tags, 3)));
	EXPECT(cJSON_IsNull(cJSON_GetArrayItem(tags, 4)));
	EXPECT(cJSON_IsNull(cJSON_GetArrayItem(tags, 5)));
	EXPECT_INT(s->csrf, CSRF_AUTO);
	EXPECT(!s->follow);
	EXPECT_INT(s->timeout_ms, 0);

	s = step_of("products-list", 1);
	EXPECT_STR(s->actor, "anonymous-2");
	EXPECT_STR(s->method, "GET");
	EXPECT_STR(s->url, "/api/products/{{p1}}/");
	EXPECT(s->follow);
	EXPECT_INT(s->timeout_ms, 2500);
	EXPECT_INT(s->body, BODY_NONE);
	EXPECT(s->headers == NULL);
	EXPECT_STR(step_of("inline-first", 0)->actor, "anonymous");
}

TEST(step_bodies_and_submit)
{
	const struct step *s = step_of("order-create", 0);
	const cJSON *img;

	EXPECT_INT(s->body, BODY_FORM);
	EXPECT_STR(cJSON_GetObjectItemCaseSensitive(s->body_value, "product")->valuestring, "{{p1}}");
	EXPECT_INT(cJSON_GetObjectItemCaseSensitive(s->body_value, "quantity")->valueint, 2);
	EXPECT_INT(s->csrf, CSRF_OFF);
	s = step_of("order-create", 1);
	EXPECT_STR(s->method, "PUT");
	EXPECT_INT(s->body, BODY_MULTIPART);
	EXPECT_INT(s->csrf, CSRF_ON);
	img = cJSON_GetObjectItemCaseSensitive(s->body_value, "image");
	EXPECT_STR(cJSON_GetObjectItemCaseSensitive(img, "file")->valuestring, "fixtures/cat.png");
	EXPECT_STR(cJSON_GetObjectItemCaseSensitive(img, "filename")->valuestring, "kitty.png");
	EXPECT_STR(cJSON_GetObjectItemCaseSensitive(s->body_value, "title")->valuestring, "Cat");
	s = step_of("order-create", 2);
	EXPECT_INT(s->body, BODY_RAW);
	EXPECT_STR(s->body_value->valuestring, "raw text");
	EXPECT_STR(s->content_type, "text/csv");
	s = step_of("order-create", 3);
	EXPECT(s->submit != NULL);
	EXPECT(s->url == NULL);
	EXPECT_STR(s->submit->page, "/tickets/new/");
	EXPECT_STR(s->submit->selector, "form#ticket");
	EXPECT(s->submit->action == NULL);
	EXPECT_STR(cJSON_GetObjectItemCaseSensitive(s->submit->fields, "title")->valuestring,
		   "Printer {{run.nonce}}");
	EXPECT_STR(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s->submit->files, "image"),
						    "file")->valuestring, "fixtures/cat.png");
	s = step_of("order-create", 4);
	EXPECT_STR(s->submit->action, "/accounts/login/");
	EXPECT(s->submit->selector == NULL);
	EXPECT_STR(s->actor, "anonymous");
}

TEST(captures)
{
	const struct step *s = step_of("products-list", 0);

	EXPECT_INT(s->ncaptures, 3);
	EXPECT_STR(s->captures[0].name, "p1");
	EXPECT_INT(s->captures[0].q.query, Q_JSONPATH);
	EXPECT_STR(s->captures[0].q.arg, "$.id");
	EXPECT_STR(s->captures[0].from_list, "/api/products/");
	EXPECT(s->captures[1].from_list == NULL);
	EXPECT_STR(s->captures[1].name, "n_before");
	EXPECT_INT(s->captures[1].q.nfilters, 2);
	EXPECT_INT(s->captures[1].q.filters[0].kind, F_UNWRAP);
	EXPECT_STR(s->captures[1].q.filters[0].arg, "results");
	EXPECT_INT(s->captures[1].q.filters[1].kind, F_COUNT);
	EXPECT_STR(s->captures[2].name, "here");
	EXPECT_INT(s->captures[2].q.query, Q_LOCATION);
}

TEST(assertion_shorthands)
{
	const struct assertion *a = assert_of("products-list", 0, 0);

	EXPECT_INT(a->query, Q_STATUS);
	EXPECT_INT(a->pred, P_EQUALS);
	EXPECT_INT(a->value->valueint, 201);
	EXPECT(!a->negate);
	EXPECT_INT(a->pos.line, 18);
	EXPECT_INT(a->pos.column, 13);
	a = assert_of("products-list", 0, 1);
	EXPECT_INT(a->query, Q_JSONPATH);
	EXPECT_INT(a->pred, P_IS_INTEGER);
	EXPECT(a->value == NULL && !a->negate);
	a = assert_of("products-list", 0, 2);
	EXPECT_INT(a->pred, P_ONE_OF);
	EXPECT_INT(cJSON_GetArraySize(a->value), 2);
	EXPECT_INT(cJSON_GetArrayItem(a->value, 1)->valueint, 403);
	EXPECT(a->negate);
	EXPECT_STR(a->message, "staff may create products");
	a = assert_of("inline-first", 0, 0);
	EXPECT_INT(a->pred, P_EQUALS);
	EXPECT_INT(a->value->valueint, 200);
}

TEST(every_query_and_predicate)
{
	static const struct {
		enum query_kind q;
		const char *arg;
		enum pred_kind p;
		bool negate;
	} want[] = {
		{Q_STATUS, NULL, P_LESS, false},
		{Q_HEADER, "Content-Type", P_STARTS_WITH, false},
		{Q_LOCATION, NULL, P_EXISTS, true},
		{Q_URL, NULL, P_ENDS_WITH, false},
		{Q_BODY, NULL, P_CONTAINS, false},
		{Q_TEXT, NULL, P_MATCHES, false},
		{Q_XPATH, "//h1", P_COUNT, false},
		{Q_CSS, "a.product[href]", P_INCLUDES, false},
		{Q_REGEX, "id=(\\d+)", P_IS_STRING, false},
		{Q_SHA256, NULL, P_IS_EMPTY, true},
		{Q_DURATION, NULL, P_LESS_EQ, false},
		{Q_VALUE, NULL, P_EQUALS, false},
		{Q_QUERIES, NULL, P_GREATER, false},
		{Q_JSONPATH, "$.stock", P_GREATER_EQ, false},
		{Q_JSONPATH, "$.tags", P_IS_LIST, false},
		{Q_JSONPATH, "$", P_IS_OBJECT, false},
		{Q_JSONPATH, "$.price", P_IS_NUMBER, true},
		{Q_JSONPATH, "$.name", P_ONE_OF, false},
		{Q_JSONPATH, "$.results[*]", P_EQUALS, false},
		{Q_BODY, NULL, P_EQUALS_FILE, false},
		{Q_JSONPATH, "$.id", P_EXISTS, false},
	};
	const struct step *s = step_of("products-list", 1);
	const struct assertion *a;
	size_t i;

	EXPECT_INT(s->nasserts, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < s->nasserts; i++) {
		a = &s->asserts[i];
		if (a->query != want[i].q || a->pred != want[i].p || a->negate != want[i].negate ||
		    (want[i].arg ? !a->arg || strcmp(a->arg, want[i].arg) : a->arg != NULL)) {
			printf("# assertion %zu: query %d pred %d negate %d arg %s\n", i, a->query, a->pred,
			       a->negate, a->arg ? a->arg : "(null)");
			EXPECT(!"assertion parsed as expected");
		}
	}
	a = &s->asserts[0];
	EXPECT_INT(a->value->valueint, 500);
	EXPECT_STR(s->asserts[5].value->valuestring, "Probe [0-9a-f]{8}");
	EXPECT_INT(s->asserts[6].value->valueint, 1);
	EXPECT_STR(s->asserts[7].attr, "href");
	EXPECT_STR(s->asserts[7].value->valuestring, "/x/");
	EXPECT(s->asserts[9].value == NULL);
	EXPECT_STR(s->asserts[11].qvalue->valuestring, "{{p1}}");
	EXPECT_STR(s->asserts[11].value->valuestring, "{{p1}}");
	EXPECT(s->asserts[13].value->valuedouble == 1.5);
	EXPECT(cJSON_IsString(s->asserts[18].value));         /* equals: "3" stays a string */
	EXPECT_STR(s->asserts[19].value->valuestring, "fixtures/note.txt");
	EXPECT(s->asserts[20].value == NULL);
	EXPECT_STR(s->asserts[1].value->valuestring, "application/json");
}

TEST(every_filter)
{
	static const enum filter_kind want[] = {
		F_COUNT, F_UNWRAP, F_WHERE, F_FIELD, F_NTH, F_FIRST, F_LAST, F_TOINT,
		F_TOSTRING, F_REGEX, F_LOWER, F_TRIM, F_JOIN, F_JOIN,
	};
	const struct assertion *a = assert_of("products-list", 1, 18);
	size_t i;

	EXPECT(a != NULL);
	EXPECT_INT(a->nfilters, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < a->nfilters; i++)
		EXPECT_INT(a->filters[i].kind, want[i]);
	EXPECT_STR(a->filters[1].arg, "results");
	EXPECT_INT(cJSON_GetObjectItemCaseSensitive(a->filters[2].value, "user")->valueint, 3);
	EXPECT_STR(cJSON_GetObjectItemCaseSensitive(a->filters[2].value, "name")->valuestring, "{{n}}");
	EXPECT_STR(a->filters[3].arg, "name");
	EXPECT_INT(a->filters[4].num, -1);
	EXPECT_STR(a->filters[9].arg, "id=(\\d+)");
	EXPECT_STR(a->filters[12].arg, ", ");
	EXPECT_STR(a->filters[13].arg, " ");     /* bare join: one space */
	EXPECT_STR(a->filters[0].pos.file, "checks/products.yaml");
	EXPECT_INT(a->filters[0].pos.line, 68);
	EXPECT_INT(a->filters[0].pos.column, 17);
}

/* sha256 over "path\0bytes\0" for challenge.yaml then each include, in order. */
static int expected_hash(const char *dir, const char *const *files, char hex[65])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char out[32];
	unsigned int n = 0, i;
	int rc = -1;

	if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL))
		goto done;
	for (; *files; files++) {
		struct gbuf b = GBUF_INIT(0);
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s", dir, *files);
		if (gbuf_read_file(&b, path) < 0)
			goto done;
		EVP_DigestUpdate(md, *files, strlen(*files) + 1);
		EVP_DigestUpdate(md, b.data ? b.data : "", b.len);
		EVP_DigestUpdate(md, "", 1);
		gbuf_release(&b);
	}
	if (!EVP_DigestFinal_ex(md, out, &n))
		goto done;
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
	rc = 0;
done:
	EVP_MD_CTX_free(md);
	return rc;
}

TEST(suite_hash)
{
	static const char *const files[] = {"challenge.yaml", "checks/products.yaml", "checks/orders.yaml", NULL};
	struct challenge *again = NULL, *changed = NULL;
	char hex[65] = "", *dir = NULL, cmd[PATH_MAX * 2 + 32];
	int ok;

	EXPECT(expected_hash(GOOD, files, hex) == 0);
	EXPECT_STR(good->suite_sha256, hex);
	EXPECT_INT(strlen(good->suite_sha256), 64);
	EXPECT(challenge_load(GOOD, &again) == 0);
	ok = strcmp(again->suite_sha256, good->suite_sha256) == 0;
	challenge_free(again);
	EXPECT(ok);
	/* A copy with one included file changed (a comment) hashes differently. */
	dir = make_dir();
	EXPECT(dir != NULL);
	snprintf(cmd, sizeof(cmd), "cp -r '%s/.' '%s/' && echo '# changed' >> '%s/checks/orders.yaml'", GOOD, dir,
		 dir);
	ok = system(cmd) == 0 && challenge_load(dir, &changed) == 0;
	if (ok)
		ok = strcmp(changed->suite_sha256, good->suite_sha256) != 0 &&
		     expected_hash(dir, files, hex) == 0 && strcmp(changed->suite_sha256, hex) == 0;
	challenge_free(changed);
	rm_tree(dir);
	free(dir);
	EXPECT(ok);
}

/* ---- malformed files -------------------------------------------------- */

#define HEAD "id: t\ntitle: T\nusers:\n  - username: alice\n"   /* 4 lines */

/* visibility: hidden / after_due_date reach the check; default visible. */
TEST(visibility_loaded)
{
	struct challenge *c = NULL;
	char *dir = make_dir();
	int rc;

	EXPECT(dir != NULL);
	rc = write_file(dir, "challenge.yaml", HEAD "checks:\n"
			"  - id: a\n    steps: [{url: /a/}]\n"
			"  - id: b\n    visibility: hidden\n    steps: [{url: /b/}]\n"
			"  - id: c\n    visibility: after_due_date\n    steps: [{url: /c/}]\n");
	if (rc == 0)
		rc = challenge_load(dir, &c);
	rm_tree(dir);
	free(dir);
	if (rc != 0)
		printf("# %s\n", err_last());
	EXPECT_INT(rc, 0);
	EXPECT_INT(c->checks[0].visibility, VIS_VISIBLE);
	EXPECT_INT(c->checks[1].visibility, VIS_HIDDEN);
	EXPECT_INT(c->checks[2].visibility, VIS_AFTER_DUE_DATE);
	challenge_free(c);
}

/*
 * The loader's error cases are data: tests/data/challenge-errors/NAME.case,
 * one file per case (curl's tests/data is the model), so adding a case is
 * adding a file. A case is
 *
 *     # what it shows (comment lines, before the first section)
 *     === challenge.yaml
 *     ...the file, verbatim...
 *     === checks/x.yaml          (any other file of the challenge folder)
 *     ...
 *     === errors
 *     challenge.yaml:9:9: unknown key 'expext' in step; did you mean 'expect'?
 *
 * Every line under "=== errors" is one error, in the order the loader
 * lists them, and they are all it lists: FILE:LINE:COLUMN (relative to the
 * challenge folder, which is outside the current one, so the message shows
 * it absolute) must start the message, and the rest must appear in it.
 */
struct error_case {
	char *files[8];          /* "=== NAME" sections but errors: names... */
	struct gbuf text[8];     /* ...and contents */
	size_t nfiles;
	char *errors[16];
	size_t nerrors;
};

static void error_case_release(struct error_case *k)
{
	size_t i;

	for (i = 0; i < k->nfiles; i++) {
		free(k->files[i]);
		gbuf_release(&k->text[i]);
	}
	for (i = 0; i < k->nerrors; i++)
		free(k->errors[i]);
	memset(k, 0, sizeof(*k));
}

/* Split a case file into its sections. 0, or -1 with why in `why`. */
static int error_case_parse(const char *data, struct error_case *k, struct gbuf *why)
{
	const char *p = data, *nl;
	int in = 0;   /* 0 before any section, 1 a file, 2 errors */

	memset(k, 0, sizeof(*k));
	for (; *p; p = nl ? nl + 1 : p + strlen(p)) {
		size_t len;

		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 4 && !strncmp(p, "=== ", 4)) {
			if (len == 10 && !strncmp(p + 4, "errors", 6)) {
				in = 2;
			} else if (k->nfiles < 8) {
				k->files[k->nfiles] = strndup(p + 4, len - 4);
				gbuf_init(&k->text[k->nfiles], 1 << 20);
				k->nfiles++;
				in = 1;
			} else {
				return gbuf_adds(why, "more than 8 files"), -1;
			}
		} else if (in == 1) {
			gbuf_add(&k->text[k->nfiles - 1], p, len);
			gbuf_addch(&k->text[k->nfiles - 1], '\n');
		} else if (in == 2 && len && k->nerrors < 16) {
			k->errors[k->nerrors++] = strndup(p, len);
		} else if (in == 0 && len && p[0] != '#') {
			return gbuf_adds(why, "text before the first '=== ' section"), -1;
		}
		if (!nl)
			break;
	}
	if (!k->nfiles || !k->nerrors)
		return gbuf_adds(why, "no file or no '=== errors' section"), -1;
	return 0;
}

/* Does msg (with the folder `dir` in front) match an expected line? */
static bool error_matches(const char *msg, const char *dir, const char *want)
{
	const char *colon = want, *phrase;
	size_t dl = strlen(dir), wl;
	int k;

	/* The "FILE:LINE:COLUMN: " prefix: three colons, then a space. */
	for (k = 0; k < 3 && colon; k++)
		colon = strchr(colon + (k ? 1 : 0), ':');
	if (!colon || colon[1] != ' ')
		return false;
	phrase = colon + 2;
	wl = (size_t)(phrase - want);
	return !strncmp(msg, dir, dl) && msg[dl] == '/' && !strncmp(msg + dl + 1, want, wl) &&
	       strstr(msg + dl + 1 + wl, phrase) != NULL;
}

/* One case: 0 when the loader lists exactly its errors; else says why. */
static int error_case_run(const char *name, const char *data)
{
	struct error_case k;
	struct challenge_errors errs;
	struct challenge *c = NULL;
	struct gbuf why = GBUF_INIT(4096);
	char *dir = NULL;
	size_t i;
	int rc, bad = 0;

	memset(&errs, 0, sizeof(errs));
	if (error_case_parse(data, &k, &why) < 0) {
		printf("# %s: %s\n", name, gbuf_str(&why));
		bad = 1;
		goto done;
	}
	dir = make_dir();
	for (i = 0; dir && i < k.nfiles; i++)
		if (write_file(dir, k.files[i], gbuf_str(&k.text[i])) < 0)
			break;
	if (!dir || i < k.nfiles) {
		printf("# %s: cannot write the files\n", name);
		bad = 1;
		goto done;
	}
	err_clear();
	rc = challenge_load_all(dir, &c, &errs);
	if (rc != -1 || c != NULL || errs.n != k.nerrors || strcmp(err_last(), errs.n ? errs.msg[0] : "") != 0)
		bad = 1;
	for (i = 0; !bad && i < k.nerrors; i++)
		if (!error_matches(errs.msg[i], dir, k.errors[i]))
			bad = 1;
	if (bad) {
		printf("# %s: returned %d with %zu errors:\n", name, rc, errs.n);
		for (i = 0; i < errs.n; i++)
			printf("#   %s\n", errs.msg[i]);
		printf("# expected (after %s/):\n", dir);
		for (i = 0; i < k.nerrors; i++)
			printf("#   %s\n", k.errors[i]);
	}
done:
	challenge_errors_release(&errs);
	challenge_free(c);
	error_case_release(&k);
	gbuf_release(&why);
	if (dir)
		rm_tree(dir);
	free(dir);
	return bad;
}

TEST(error_cases)
{
	int failed = 0;
	long n = t_cases_run(GRADER_DATADIR "/tests/data/challenge-errors", error_case_run, &failed);

	printf("# %ld cases in tests/data/challenge-errors\n", n);
	EXPECT(n >= 50);
	EXPECT(!failed);
}

/* A fixture that is a symlink to a file outside the folder is refused. */
TEST(fixture_symlink_outside)
{
	struct challenge *c = NULL;
	char *dir = make_dir(), link[PATH_MAX];
	int rc = 0;

	EXPECT(dir != NULL);
	snprintf(link, sizeof(link), "%s/secret.txt", dir);
	if (symlink("/etc/hostname", link) == 0 &&
	    write_file(dir, "challenge.yaml",
		       HEAD "checks:\n  - id: a\n    steps:\n      - url: /x/\n        multipart: {f: {file: secret.txt}}\n") == 0)
		rc = challenge_load(dir, &c);
	rm_tree(dir);
	free(dir);
	EXPECT_INT(rc, -1);
	EXPECT(c == NULL);
	EXPECT(strstr(err_last(), "/challenge.yaml:9:31: ") != NULL);
	EXPECT(strstr(err_last(), "leads outside the challenge folder") != NULL);
}

/*
 * Every error of every file is listed, in file order, each as
 * FILE:LINE:COLUMN with FILE relative to the current folder when the
 * challenge is inside it; the first is err_last().
 */
TEST(all_errors_listed_relative_to_cwd)
{
	struct challenge_errors errs;
	struct challenge *c = NULL;
	char *dir = make_dir(), old[PATH_MAX];
	int rc = 0;

	memset(&errs, 0, sizeof(errs));
	EXPECT(dir != NULL && getcwd(old, sizeof(old)) != NULL);
	EXPECT(write_file(dir, "x/challenge.yaml",
			  HEAD "max_score: 10\ninclude: [checks/x.yaml, checks/none.yaml]\n"
			  "checks:\n  - id: a\n    points: 5\n    steps:\n      - url: /x/\n        expext: []\n"
			  "      - url: /y/\n        as: bobb\n"
			  "  - id: b\n    points: 2\n    steps: [{url: /z/, expect: [{status: 200, equals: 1}, {cuont: 1}]}]\n"
			  "mutants:\n  - {id: m, patch: checks/x.yaml, kills: [a, zz]}\n") == 0);
	EXPECT(write_file(dir, "x/checks/x.yaml", "checks:\n  - id: a\n    steps: [{url: /q/}]\n  - idd: q\n") == 0);
	if (chdir(dir) == 0) {
		rc = challenge_load_all("x", &c, &errs);
		EXPECT(chdir(old) == 0);
	}
	for (size_t i = 0; i < errs.n; i++)
		printf("#   %s\n", errs.msg[i]);
	EXPECT_INT(rc, -1);
	EXPECT(c == NULL);
	EXPECT_INT((int)errs.n, 9);
	EXPECT_INT((int)errs.total, 9);
	if (errs.n == 9) {
		EXPECT(!strncmp(errs.msg[0], "x/challenge.yaml:12:9: unknown key 'expext'", 43));
		EXPECT(!strncmp(errs.msg[1], "x/challenge.yaml:14:13: unknown actor 'bobb'", 44));
		EXPECT(!strncmp(errs.msg[2], "x/challenge.yaml:17:42: found '200'", 35));
		EXPECT(!strncmp(errs.msg[3], "x/challenge.yaml:17:60: unknown key 'cuont'", 43));
		EXPECT(!strncmp(errs.msg[4], "x/checks/x.yaml:2:9: duplicate check id 'a' (first at x/challenge.yaml:8:5)", 75));
		EXPECT(!strncmp(errs.msg[5], "x/checks/x.yaml:4:5: unknown key 'idd'", 38));
		EXPECT(!strncmp(errs.msg[6], "x/challenge.yaml:6:26: include 'checks/none.yaml' does not exist", 64));
		EXPECT(!strncmp(errs.msg[7], "x/challenge.yaml:19:46: mutant 'm' kills 'zz'", 45));
		EXPECT(!strncmp(errs.msg[8], "x/challenge.yaml:5:12: found max_score 10, but the checks' points add up to 7",
				77));
		EXPECT(!strcmp(err_last(), errs.msg[0]));
	}
	challenge_errors_release(&errs);
	rm_tree(dir);
	free(dir);
}

/* At most CHALLENGE_ERRORS_MAX are kept; all are counted. */
TEST(errors_bounded)
{
	struct challenge_errors errs;
	struct challenge *c = NULL;
	struct gbuf y = GBUF_INIT(1 << 20);
	char *dir = make_dir();
	int i;

	memset(&errs, 0, sizeof(errs));
	gbuf_adds(&y, HEAD "checks:\n");
	for (i = 0; i < 70; i++)
		gbuf_addf(&y, "  - id: c%d\n    steps: [{url: /x/, bogus: 1}]\n", i);
	EXPECT(dir && write_file(dir, "challenge.yaml", gbuf_str(&y)) == 0);
	EXPECT_INT(challenge_load_all(dir, &c, &errs), -1);
	EXPECT_INT((int)errs.n, CHALLENGE_ERRORS_MAX);
	EXPECT_INT((int)errs.total, 70);
	challenge_errors_release(&errs);
	gbuf_release(&y);
	rm_tree(dir);
	free(dir);
}

TEST(missing_folder)
{
	struct challenge *c = NULL;

	EXPECT(challenge_load("/nonexistent/grader-test", &c) == -1);
	EXPECT(c == NULL);
	EXPECT(strstr(err_last(), "/nonexistent/grader-test") != NULL);
}

TEST(resolve)
{
	char *data = make_dir(), *r = NULL, path[PATH_MAX], want[PATH_MAX];
	int ok;

	EXPECT(data != NULL);
	snprintf(path, sizeof(path), "%s/challenges", data);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/challenges/empty", data);
	mkdir(path, 0755);
	ok = write_file(data, "challenges/alpha/challenge.yaml", "id: a\n") == 0 &&
	     write_file(data, "challenges/beta/challenge.yaml", "id: b\n") == 0;
	snprintf(want, sizeof(want), "%s/challenges/alpha", data);
	if (ok) {
		r = challenge_resolve(data, "alpha");
		ok = r && strcmp(r, want) == 0;
		free(r);
	}
	if (ok) {   /* a path works too, wherever the data folder is */
		r = challenge_resolve("/nonexistent", want);
		ok = r && strcmp(r, want) == 0;
		free(r);
	}
	if (ok) {
		r = challenge_resolve(data, "gamma");
		ok = !r && strstr(err_last(), "no challenge 'gamma': looked in ") &&
		     strstr(err_last(), "available: alpha, beta");
		free(r);
	}
	if (ok) {   /* a folder without challenge.yaml is not a challenge */
		r = challenge_resolve(data, "empty");
		ok = !r && strstr(err_last(), "no challenge 'empty'");
		free(r);
	}
	if (!ok)
		printf("# last error: %s\n", err_last());
	rm_tree(data);
	free(data);
	EXPECT(ok);
}

int main(void)
{
	RUN(good_loads);
	if (!good)
		return 1;
	RUN(users_and_defaults);
	RUN(checks_in_load_order);
	RUN(mutants);
	RUN(step_request_fields);
	RUN(step_bodies_and_submit);
	RUN(captures);
	RUN(assertion_shorthands);
	RUN(every_query_and_predicate);
	RUN(every_filter);
	RUN(suite_hash);
	RUN(visibility_loaded);
	RUN(error_cases);
	RUN(fixture_symlink_outside);
	RUN(all_errors_listed_relative_to_cwd);
	RUN(errors_bounded);
	RUN(missing_folder);
	RUN(resolve);
	challenge_free(good);   /* ASan's leak check covers the whole tree */
	challenge_free(NULL);
	T_EXIT();
}
