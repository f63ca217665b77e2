/*
 * test_malloc_faults.c - every parser of what a submission or a challenge
 * author writes, with allocation 1, 2, 3, ... failing in turn (sqlite's
 * malloc fault tests are the model).
 *
 * How: this program defines malloc, calloc, realloc, strdup and strndup
 * itself. The executable comes first in the dynamic linker's lookup order,
 * so these are the ones every caller reaches: the grader's modules linked
 * in here, and libyaml, cJSON, libxml2, PCRE2, OpenSSL and glibc's own
 * internal allocations (fopen, getline, vasprintf) too. They count the
 * calls and, when armed with N, make the Nth fail (once, with ENOMEM);
 * everything else goes on to the next definition (ASan's allocator, found
 * with dlsym(RTLD_NEXT)). strdup and strndup are defined here because ASan
 * intercepts them with its own allocator directly. Only this test program
 * has the hook: the grader and the other tests allocate as usual.
 *
 * For each case the input is parsed once unarmed (the baseline: its return
 * and a fingerprint of what it read), then with allocation 1 failing, 2,
 * and so on until a run completes without reaching the armed allocation.
 * Each faulted run must not crash (ASan/UBSan would stop the program), must
 * either return what the baseline returned with the same fingerprint (the
 * failure was absorbed without losing anything) or return -1 with an
 * err_last() message (the grader broke, not "the submission failed"), and
 * after the case no memory may be left unreachable (LeakSanitizer's
 * recoverable check, so the case that leaked is named).
 *
 * Bounded in `make test`: a case tries every one of its first 150
 * allocations, then spreads MALLOC_FAULTS_RUNS (default 150) more evenly
 * over the rest. MALLOC_FAULTS=all tries every allocation (`make
 * malloc-faults`). MALLOC_FAULTS_ONLY=TEXT runs the cases whose name
 * holds TEXT; MALLOC_FAULTS_TRACE=1 prints the stack of the allocation
 * failed in a run that went wrong (where to fix it).
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/lsan_interface.h>

#include "batch.h"
#include "buf.h"
#include "challenge.h"
#include "env_internal.h"
#include "env_pin.h"
#include "err.h"
#include "html.h"
#include "http.h"
#include "jsonpath.h"
#include "routes.h"
#include "sandbox.h"
#include "t.h"

/* ---- the allocator hook ------------------------------------------------- */

static void *(*next_malloc)(size_t);
static void *(*next_calloc)(size_t, size_t);
static void *(*next_realloc)(void *, size_t);
/* volatile: the compiler takes malloc for a builtin that touches no
 * global of the program, and would keep these in registers across it. */
static volatile bool fault_counting; /* between fault_arm() and fault_off() */
static volatile long fault_target;   /* the allocation to fail; 0: none */
static volatile long fault_count;    /* allocations since armed */
static volatile bool fault_trace;    /* print the stack of the failed allocation */
static volatile bool fault_hit;      /* the armed one was reached */
static int resolving;       /* inside dlsym (which may calloc) */

static void fault_resolve(void)
{
	resolving = 1;
	next_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	next_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	next_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	resolving = 0;
	if (!next_malloc || !next_calloc || !next_realloc)
		abort();
}

/* Only allocations the grader's own code asks for (the caller is in this
 * executable's text, where the modules are linked), for the cases whose
 * library cannot be tested this way. */
static volatile bool fault_own_only;
extern char __executable_start[], etext[];

/* Count this allocation (asked for by `caller`); true when it is the one
 * to fail. */
static bool fault_now(const void *caller)
{
	if (!fault_counting)
		return false;
	if (fault_own_only && ((const char *)caller < __executable_start || (const char *)caller >= etext))
		return false;
	if (++fault_count != fault_target)
		return false;
	fault_hit = true;
	if (fault_trace)
		__sanitizer_print_stack_trace();
	errno = ENOMEM;
	return true;
}

void *malloc(size_t n)
{
	if (!next_malloc)
		fault_resolve();
	return fault_now(__builtin_return_address(0)) ? NULL : next_malloc(n);
}

/* strdup and strndup count as their caller's allocation. */
static void *fault_malloc_for(size_t n, const void *caller)
{
	if (!next_malloc)
		fault_resolve();
	return fault_now(caller) ? NULL : next_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	/* dlsym's own calloc while resolving: it copes with NULL. */
	if (resolving)
		return NULL;
	if (!next_calloc)
		fault_resolve();
	return fault_now(__builtin_return_address(0)) ? NULL : next_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	if (!next_realloc)
		fault_resolve();
	return fault_now(__builtin_return_address(0)) ? NULL : next_realloc(p, n);
}

char *strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = fault_malloc_for(n, __builtin_return_address(0));

	return d ? memcpy(d, s, n) : NULL;
}

char *strndup(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	char *d = fault_malloc_for(n + 1, __builtin_return_address(0));

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void fault_arm(long n)
{
	fault_count = 0;
	fault_hit = false;
	fault_target = n;
	fault_counting = true;
}

/* Called by a case once its parse is done, before it fingerprints. */
static void fault_off(void)
{
	fault_counting = false;
}

/*
 * Leaks that are the libraries' own, on their out-of-memory paths (libyaml
 * 0.2.5's loader; libxml2 2.9.14's parser context when its initialisation
 * fails, and its pattern compiler): named exactly, so a leak of the
 * grader's own stays reported. LeakSanitizer asks for these.
 */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:yaml_parser_load\n"
	       "leak:htmlNewParserCtxt\n"
	       "leak:xmlPatterncompile\n";
}

/* ---- the cases ------------------------------------------------------------ */

static char scratch[PATH_MAX];

static int put(const char *rel, const char *text)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", scratch, rel);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void rm(const char *rel)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", scratch, rel);
	unlink(path);
}

/* The project files, each alone in the scratch folder, through
 * env_read_project as the environment phase reads them. */
static const char *env_file, *env_text;

static int env_setup(void)
{
	static const char *const FILES[] = {"requirements.txt", "Pipfile", "pyproject.toml", ".python-version",
					    "base.txt", NULL};
	size_t i;

	for (i = 0; FILES[i]; i++)
		rm(FILES[i]);
	if (put("base.txt", "requests>=2\n# shared\n") < 0)
		return -1;
	return put(env_file, env_text);
}

static int env_run(struct gbuf *fp)
{
	struct gbuf reqs = GBUF_INIT(1 << 20), diag = GBUF_INIT(64 << 10);
	struct env_project pj;
	int rc;

	memset(&pj, 0, sizeof(pj));
	pj.reqs = &reqs;
	pj.notes = (struct gbuf)GBUF_INIT(16 << 10);
	pj.grouped = (struct gbuf)GBUF_INIT(16 << 10);
	rc = env_read_project(scratch, scratch, GRADER_DATADIR, true, &pj, &diag);
	fault_off();
	gbuf_addf(fp, "reqs[%s] python[%s] from[%s] source[%s] notes[%s] diag[%s]", gbuf_str(&reqs),
		  pj.python_spec ? pj.python_spec : "", pj.python_from ? pj.python_from : "",
		  pj.source_display ? pj.source_display : "", gbuf_str(&pj.notes), gbuf_str(&diag));
	env_project_release(&pj);
	gbuf_release(&reqs);
	gbuf_release(&diag);
	return rc;
}

static const char REQUIREMENTS[] =
	"Django>=4.2,<5\n"
	"djangorestframework==3.15.1 ; python_version >= \"3.8\"\n"
	"-r base.txt\n"
	"pillow[extra]\n"
	"# comment\n"
	"--index-url https://example.invalid/simple\n";
static const char PIPFILE[] =
	"[[source]]\nurl = \"https://pypi.org/simple\"\n"
	"[packages]\ndjango = \"*\"\nrequests = {version = \">=2\", extras = [\"socks\"]}\n"
	"gunicorn = \"==21.2\"\n"
	"[requires]\npython_version = \"3.11\"\n";
static const char PYPROJECT_POETRY[] =
	"[tool.poetry]\nname = \"shop\"\n"
	"[tool.poetry.dependencies]\npython = \"^3.10\"\n"
	"django = {version = \"~4.2\", extras = [\"argon2\"]}\n"
	"pillow = \"^10\"\n"
	"[tool.black]\nline-length = 88\n";
static const char PYPROJECT_PEP621[] =
	"[project]\nname = \"shop\"\nrequires-python = \">=3.10\"\n"
	"dependencies = [\n  \"django>=4.2\",\n  'djangorestframework',\n]\n"
	"[project.optional-dependencies]\ndev = [\"pytest\"]\n";
static const char PYTHON_VERSION[] = "3.11.4\n";

static int requirements_setup(void)
{
	env_file = "requirements.txt";
	env_text = REQUIREMENTS;
	return env_setup();
}

static int pipfile_setup(void)
{
	env_file = "Pipfile";
	env_text = PIPFILE;
	return env_setup();
}

static int poetry_setup(void)
{
	env_file = "pyproject.toml";
	env_text = PYPROJECT_POETRY;
	return env_setup();
}

static int pep621_setup(void)
{
	env_file = "pyproject.toml";
	env_text = PYPROJECT_PEP621;
	return env_setup();
}

static int python_version_setup(void)
{
	env_file = ".python-version";
	env_text = PYTHON_VERSION;
	return env_setup();
}

/* A challenge (the unit tests' good one: users, includes, every query
 * kind, fixtures, mutants). */
static int challenge_run(struct gbuf *fp)
{
	struct challenge *c = NULL;
	struct challenge_errors errs;
	size_t i;
	int rc;

	memset(&errs, 0, sizeof(errs));
	rc = challenge_load_all(GRADER_DATADIR "/tests/unit/fixtures/challenges/good", &c, &errs);
	fault_off();
	if (c)
		gbuf_addf(fp, "%s %zu users %zu checks %zu mutants %s", c->id, c->nusers, c->nchecks, c->nmutants,
			  c->suite_sha256);
	for (i = 0; i < errs.n; i++)
		gbuf_addf(fp, "\n%s", errs.msg[i]);
	challenge_errors_release(&errs);
	challenge_free(c);
	return rc;
}

/* A challenge with errors in it: the error list itself is built under
 * faults too. */
static int challenge_bad_setup(void)
{
	mkdir(scratch, 0700);
	return put("challenge.yaml", "id: t\ntitle: T\nusers:\n  - username: alice\n"
				     "checks:\n  - id: a\n    steps:\n      - as: alcie\n        url: /x/\n"
				     "        expext: []\n  - id: b\n    depends_on: [a, zz]\n"
				     "    steps: [{url: /y/, expect: [{regex: 'a(b'}, {css: 'a:hover'}]}]\n");
}

static int challenge_bad_run(struct gbuf *fp)
{
	struct challenge *c = NULL;
	struct challenge_errors errs;
	size_t i;
	int rc;

	memset(&errs, 0, sizeof(errs));
	rc = challenge_load_all(scratch, &c, &errs);
	fault_off();
	gbuf_addf(fp, "%zu errors", errs.total);
	for (i = 0; i < errs.n; i++)
		gbuf_addf(fp, "\n%s", errs.msg[i]);
	challenge_errors_release(&errs);
	challenge_free(c);
	return rc;
}

static int routes_setup(void)
{
	rm("challenge.yaml");
	return put("grader.yaml", "routes:\n  /tickets/new/$: /support/create/\n  /tickets/: /support/\n"
				  "  /tickets/{id}/: /chamados/{id}/\n");
}

static int routes_run(struct gbuf *fp)
{
	static const char *const PATHS[] = {"/tickets/new/", "/tickets/3/", "/tickets/?q=1", "/other/"};
	struct gbuf diag = GBUF_INIT(64 << 10), out = GBUF_INIT(1 << 16);
	struct routes *r = NULL;
	size_t i;
	int rc;

	rc = routes_load(scratch, scratch, &r, &diag);
	/* The mapping is used while grading: it stays under faults. */
	for (i = 0; rc == 0 && i < sizeof(PATHS) / sizeof(PATHS[0]); i++) {
		gbuf_reset(&out);
		if (routes_to_app(r, PATHS[i], &out) < 0)
			rc = -1;
		else
			gbuf_addf(fp, "%s->%s ", PATHS[i], gbuf_str(&out));
	}
	fault_off();
	gbuf_addf(fp, "%zu routes diag[%s]", routes_count(r), gbuf_str(&diag));
	routes_free(r);
	gbuf_release(&diag);
	gbuf_release(&out);
	return rc;
}

static int profile_load_run(const char *name, struct gbuf *fp)
{
	struct sandbox_profile *p = NULL;
	const struct sandbox_limits *l;
	size_t i;
	int rc;

	rc = sandbox_profile_load(GRADER_DATADIR, name, &p);
	fault_off();
	if (p) {
		l = sandbox_profile_limits(p);
		gbuf_addf(fp, "%s %llu %llu %zu %zu", sandbox_profile_name(p), (unsigned long long)l->memory,
			  (unsigned long long)l->state_files, sandbox_profile_nmounts(p), sandbox_profile_ndeny(p));
		for (i = 0; i < sandbox_profile_ndeny(p); i++)
			gbuf_addf(fp, " %s", sandbox_profile_deny(p, i));
	}
	sandbox_profile_free(p);
	return rc;
}

static int profile_run(struct gbuf *fp)
{
	return profile_load_run("default", fp);
}

/* strict.yaml: a seccomp deny list too (each name a strdup). */
static int profile_strict_run(struct gbuf *fp)
{
	return profile_load_run("strict", fp);
}

static const char PAGE[] =
	"<!doctype html><html><head><title>T</title><style>p{}</style></head><body>"
	"<div id=a class='x y'><p title=t>one</p><ul><li>1</li><li><a href='/z'>2</a></li></ul>"
	"<form class=main action='/f/' method=post enctype='multipart/form-data'>"
	"<input type=hidden name=csrfmiddlewaretoken value=k>"
	"<input name=title required><input type=email name=email required>"
	"<input type=number name=n min=2 max=9 required>"
	"<select name=s required><option value=''>-</option><option value=b selected>B</option></select>"
	"<textarea name=t>x</textarea><input type=checkbox name=c value=on required>"
	"<ul class=errorlist id=e1><li>This field is required.</li></ul></form></div></body></html>";

/* An HTML page: parsed, a form found and filled, CSS selectors run, error
 * lists and text read. */
static int html_run(struct gbuf *fp)
{
	static const char *const NAMES[] = {"title", "email", NULL};
	struct gbuf why = GBUF_INIT(4096), text = GBUF_INIT(1 << 16);
	struct html_doc *d = NULL;
	struct html_form *f = NULL;
	cJSON *css = NULL, *errs = NULL;
	char *s;
	size_t i;
	int rc;

	rc = html_parse(PAGE, sizeof(PAGE) - 1, &d, &why);
	if (rc == 0)
		rc = html_form_find_for(d, "form.main, #f", "/f/", NAMES, &f);
	if (rc == 0)
		rc = html_css(d, "div > p[title], ul li a, #a .x", "href", &css);
	if (rc == 0)
		rc = html_form_errors(d, &errs);
	if (rc == 0)
		rc = html_text(d, &text);
	fault_off();
	if (f) {
		gbuf_addf(fp, "%s %s %s:", f->action, f->method, f->enctype);
		for (i = 0; i < f->nfields; i++)
			gbuf_addf(fp, " %s=%s/%s", f->fields[i].name, f->fields[i].value ? f->fields[i].value : "-",
				  f->fields[i].fill ? f->fields[i].fill : "-");
	}
	s = css ? cJSON_PrintUnformatted(css) : NULL;
	gbuf_addf(fp, " css%s", s ? s : "-");
	free(s);
	s = errs ? cJSON_PrintUnformatted(errs) : NULL;
	gbuf_addf(fp, " errors%s text[%s] why[%s]", s ? s : "-", gbuf_str(&text), gbuf_str(&why));
	free(s);
	cJSON_Delete(css);
	cJSON_Delete(errs);
	html_form_free(f);
	html_free(d);
	gbuf_release(&why);
	gbuf_release(&text);
	return rc;
}

/* A CSS selector alone, translated to XPath. */
static int css_run(struct gbuf *fp)
{
	struct gbuf xp = GBUF_INIT(1 << 16);
	int rc;

	rc = html_css_to_xpath("form#f.a > input[name=\"q\"] p, li a[href='/'], *.x [required]",
			       &xp);
	fault_off();
	gbuf_addf(fp, "%s", gbuf_str(&xp));
	gbuf_release(&xp);
	return rc;
}

static int jsonpath_run(struct gbuf *fp)
{
	static const char BODY[] = "{\"a\": {\"b\": [1, 2, {\"c\": null}]}, \"results\": [{\"id\": 3, \"price\": 2.5},"
				   " {\"id\": 4, \"price\": 7}], \"count\": 2}";
	static const char *const PATHS[] = {"$.results[0].id", "$.results[*].price", "$.results[*].id", "$.a.b[-1]",
					    "$['count']", "$.a['b'][2].c"};
	cJSON *root, *out = NULL;
	char *s;
	size_t i;
	int rc = 0;

	root = cJSON_Parse(BODY);
	if (!root)
		rc = err_set("cannot parse the body");
	for (i = 0; rc == 0 && i < sizeof(PATHS) / sizeof(PATHS[0]); i++) {
		rc = jsonpath_validate(PATHS[i]);
		if (rc == 0)
			rc = jsonpath_eval(root, PATHS[i], &out);
		if (rc == 0) {
			fault_off();
			s = out ? cJSON_PrintUnformatted(out) : NULL;
			gbuf_addf(fp, "%s=%s ", PATHS[i], s ? s : "-");
			free(s);
			fault_counting = true;
		}
		cJSON_Delete(out);
		out = NULL;
	}
	fault_off();
	cJSON_Delete(root);
	return rc;
}

/* A response's header block (two responses: a redirect was followed), its
 * headers looked up and the Location reduced to a path. */
static int headers_run(struct gbuf *fp)
{
	static const char HEAD[] = "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:8000/a/?x=1\r\n\r\n"
				   "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
				   "Location:  http://127.0.0.1:8000/accounts/login/?next=/t/  \r\n"
				   "Set-Cookie: sessionid=abc; Path=/\r\n\r\n";
	static const char *const NAMES[] = {"Location", "content-type", "Set-Cookie", "X-Missing"};
	struct http_response rs = HTTP_RESPONSE_INIT;
	char *v = NULL, *p = NULL;
	size_t i;
	int rc = 0;

	if (gbuf_add(&rs.head, HEAD, sizeof(HEAD) - 1) < 0)
		rc = -1;
	for (i = 0; rc == 0 && i < sizeof(NAMES) / sizeof(NAMES[0]); i++) {
		v = http_response_header(&rs, NAMES[i]);
		p = v ? http_url_to_path(NULL, v) : NULL;
		/* NULL is "absent" or out of memory: the fingerprint tells. */
		gbuf_addf(fp, "%s=%s>%s ", NAMES[i], v ? v : "-", p ? p : "-");
		free(v);
		free(p);
	}
	fault_off();
	http_response_release(&rs);
	return rc;
}

/* An instructor's roster (CSV, quoted fields and blanks), as grader batch
 * reads it. */
static int roster_setup(void)
{
	return put("roster.csv", "student,repo,ref,extension_until\n"
				 "alice,https://example.test/a.git,main,\n"
				 "\"bob, jr\",\"https://example.test/b.git\",,2025-03-02\n"
				 "\n"
				 "  carol  ,https://example.test/c.git,v1,\n");
}

static int roster_run(struct gbuf *fp)
{
	struct roster r = {0};
	char path[PATH_MAX + 16];
	size_t i;
	int rc;

	snprintf(path, sizeof(path), "%s/roster.csv", scratch);
	rc = roster_load(path, NULL, &r);
	fault_off();
	for (i = 0; i < r.n; i++)
		gbuf_addf(fp, "[%s|%s|%s|%lld]", r.v[i].student, r.v[i].repo ? r.v[i].repo : "-",
			  r.v[i].ref ? r.v[i].ref : "-", (long long)r.v[i].extension_until);
	roster_free(&r);
	return rc;
}

/* The relaxed pins' JSON form (env_pin.h), read as the store and a saved
 * report read it, and written again. */
static int pins_run(struct gbuf *fp)
{
	static const char JSON[] =
		"[{\"from\": \"psycopg2-binary==2.9.3\", \"to\": \"psycopg2-binary==2.9.10\", \"why\": \"no wheel\"},"
		" {\"from\": \"backports.zoneinfo==0.2.1\", \"to\": \"backports.zoneinfo==0.2.1 ; python_version < "
		"\\\"3.9\\\"\", \"why\": \"the module itself\"}]";
	struct env_pin *v = NULL;
	cJSON *doc, *arr = NULL;
	char *text = NULL;
	size_t n = 0;
	int rc;

	/* The text is cJSON's to parse: the pins' own allocations are failed. */
	fault_counting = false;
	doc = cJSON_Parse(JSON);
	fault_counting = true;
	rc = doc ? env_pins_from_json(doc, &v, &n) : err_set("cannot parse the pins");
	if (rc == 0 && !(arr = env_pins_to_json(v, n)))
		rc = -1;
	if (rc == 0 && !(text = cJSON_PrintUnformatted(arr)))
		rc = err_set("out of memory");
	fault_off();
	gbuf_addf(fp, "%zu %s", n, text ? text : "-");
	free(text);
	cJSON_Delete(arr);
	cJSON_Delete(doc);
	env_pins_free(v, n);
	return rc;
}

struct fault_case {
	const char *name;
	int (*setup)(void);     /* unarmed, before every run; NULL: none */
	int (*run)(struct gbuf *fp);
	int want;               /* what the unfaulted run returns */
	bool absent_ok;         /* a lookup returning NULL for absent may return
	                           NULL under faults too (no error channel) */
	bool own_only;          /* fail the grader's own allocations only */
};

static const struct fault_case CASES[] = {
	{"requirements.txt", requirements_setup, env_run, 0, false, false},
	{"Pipfile", pipfile_setup, env_run, 0, false, false},
	{"pyproject.toml (Poetry)", poetry_setup, env_run, 0, false, false},
	{"pyproject.toml (PEP 621)", pep621_setup, env_run, 0, false, false},
	{".python-version", python_version_setup, env_run, 0, false, false},
	{"challenge.yaml (good)", NULL, challenge_run, 0, false, false},
	{"challenge.yaml (errors)", challenge_bad_setup, challenge_bad_run, -1, false, false},
	{"grader.yaml routes", routes_setup, routes_run, 0, false, false},
	{"sandbox profile", NULL, profile_run, 0, false, false},
	{"sandbox profile (strict)", NULL, profile_strict_run, 0, false, false},
	/* libxml2 2.9.14 loops forever in htmlParseDocument when some of
	 * its own allocations fail, and leaks on others: the grader's own
	 * allocations around it are failed in turn, libxml2's are not. */
	{"HTML forms and CSS", NULL, html_run, 0, false, true},
	{"CSS selector to XPath", NULL, css_run, 0, false, false},
	{"JSONPath", NULL, jsonpath_run, 0, false, false},
	{"headers and Location", NULL, headers_run, 0, true, false},
	{"roster (CSV)", roster_setup, roster_run, 0, false, false},
	{"relaxed pins (JSON)", NULL, pins_run, 0, false, false},
};

/* One run with allocation n failing (0: none): its return and fingerprint. */
static int run_once(const struct fault_case *c, long n, struct gbuf *fp, long *count, bool *hit)
{
	int rc;

	if (c->setup && c->setup() < 0)
		return -2;
	gbuf_reset(fp);
	err_clear();
	fault_own_only = c->own_only;
	fault_arm(n);
	rc = c->run(fp);
	fault_off();
	*count = fault_count;
	*hit = fault_hit;
	return rc;
}

/* Which allocations to fail, given how many a run makes (bounded mode). */
static long next_n(long n, long total, bool all, long runs)
{
	long step;

	if (all || n < 150)
		return n + 1;
	step = (total - 150) / runs + 1;
	return n + step;
}

/* 0 when every faulted run of c was clean, else 1 (and says why). */
static int fault_case_check(const struct fault_case *c, bool all, long runs)
{
	struct gbuf base = GBUF_INIT(1 << 20), fp = GBUF_INIT(1 << 20);
	long total = 0, count, n, tried = 0;
	bool hit;
	int rc0, rc, bad = 0, base_bad = 0;

	/* Twice: the first run also pays for the libraries' one-time set-up
	 * (caches, tables), which later runs do not allocate again. */
	(void)run_once(c, 0, &base, &count, &hit);
	rc0 = run_once(c, 0, &base, &count, &hit);
	total = count;
	if (rc0 != c->want) {
		printf("# %s: the unfaulted run returned %d (%s)\n", c->name, rc0, err_last());
		bad = base_bad = 1;
	}
	for (n = 1; !base_bad; n = next_n(n, total, all, runs)) {
		rc = run_once(c, n, &fp, &count, &hit);
		if (!hit)
			break;
		tried++;
		if (rc == rc0 && strcmp(gbuf_str(&fp), gbuf_str(&base)) == 0)
			continue;
		/* The grader broke, and says so (for a case whose baseline is
		 * an error already: still an error, with a message). */
		if (rc == -1 && err_last()[0])
			continue;
		if (c->absent_ok && rc == rc0)
			continue;
		printf("# %s: allocation %ld of %ld failing: returned %d (baseline %d), message \"%s\"\n"
		       "#   read:     %s\n#   expected: %s\n",
		       c->name, n, total, rc, rc0, err_last(), gbuf_str(&fp), gbuf_str(&base));
		if (getenv("MALLOC_FAULTS_TRACE")) {
			fault_trace = true;
			(void)run_once(c, n, &fp, &count, &hit);
			fault_trace = false;
		}
		bad = 1;
		break;
	}
	if (!bad && __lsan_do_recoverable_leak_check()) {
		printf("# %s: memory leaked under allocation faults (LeakSanitizer's report above)\n", c->name);
		bad = 1;
	}
	printf("# %s: %ld allocations, %ld of them failed in turn\n", c->name, total, tried);
	gbuf_release(&base);
	gbuf_release(&fp);
	return bad;
}

TEST(every_parser_survives_each_failed_allocation)
{
	const char *mode = getenv("MALLOC_FAULTS"), *r = getenv("MALLOC_FAULTS_RUNS");
	const char *only = getenv("MALLOC_FAULTS_ONLY");
	bool all = mode && strcmp(mode, "all") == 0;
	long runs = r && atol(r) > 0 ? atol(r) : 150;
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++)
		if (!only || strstr(CASES[i].name, only))
			bad |= fault_case_check(&CASES[i], all, runs);
	EXPECT(!bad);
}

/* The hook itself: an armed allocation fails once, with ENOMEM, and only
 * that one (a test that cannot fail would prove nothing above). */
TEST(the_hook_fails_the_armed_allocation_only)
{
	void *a, *b, *c;
	char *d;

	char x[] = "x";
	int e;

	fault_arm(2);
	a = malloc(8);
	errno = 0;
	b = malloc(8);
	e = errno;
	c = calloc(1, 8);
	fault_arm(1);
	d = strdup(x);
	fault_off();
	free(a);
	free(b);
	free(c);
	free(d);
	EXPECT(e == ENOMEM);
	EXPECT(a != NULL);
	EXPECT(b == NULL);
	EXPECT(c != NULL);
	EXPECT(d == NULL);
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	int rc;

	snprintf(scratch, sizeof(scratch), "%s/test_malloc_faults.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(scratch)) {
		perror("mkdtemp");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(the_hook_fails_the_armed_allocation_only);
	RUN(every_parser_survives_each_failed_allocation);
	rc = t_failures ? 1 : 0;
	{
		char cmd[PATH_MAX + 16];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
		if (system(cmd) != 0)
			rc = 1;
	}
	return rc;
}
