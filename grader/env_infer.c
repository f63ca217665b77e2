/*
 * env_infer.c - the distributions a project imports without declaring them
 * (contracts §2; env_infer_requirements in env_internal.h).
 *
 * The project's Python files are read, not run: every `import X` and
 * `from X import` line gives a top-level module, and in settings files (and
 * files named like logging.py, where a LOGGING dict lives) every
 * quoted dotted name (MIDDLEWARE entries, a backend's class) gives its first
 * component, and so does a quoted bare name in a list whose name ends in
 * APPS (INSTALLED_APPS, THIRD_PARTY_APPS, INSTALLED_APPS += [...]). A bare
 * name elsewhere is a value, not a module: CRISPY_TEMPLATE_PACK =
 * "bootstrap4" names a template pack, and reading it as the module of
 * django-bootstrap4 installed a package nobody imports and told the
 * student to declare it. A line that calls an ImageField gives PIL (Pillow),
 * which Django imports for it. A module is inferred only when grader/boot/module-distributions.tsv
 * names its distribution (an unknown import is never turned into a package
 * name), the project has no module of that name itself, and no requirement
 * line already names the distribution or one that installs it
 * (grader/boot/distribution-requires.tsv). Everything under the checkout is the
 * student's: files are opened beneath the project folder without following
 * symlinks, with caps on files, sizes and depth. What only test code
 * imports (tests/, conftest.py, test_*.py) is installed but not reported:
 * a deployment never imports it, and an app module importing a test
 * helper must still boot.
 */
#include "env_internal.h"
#include "err.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define INFER_MAX_FILES 3000
#define INFER_MAX_DEPTH 8
#define INFER_FILE_MAX ((size_t)256 << 10)
#define INFER_TABLE_MAX ((size_t)256 << 10)
#define INFER_TABLE_FILE "module-distributions.tsv"
#define INFER_REQUIRES_FILE "distribution-requires.tsv"

struct infer {
	int rootfd;               /* the project folder */
	struct strlist mods;    /* top-level modules seen (may repeat) */
	size_t files;
	bool apps;                /* a settings file's line inside an ..._APPS list */
	bool migrations;          /* reading a migrations/ folder: imports only */
	bool tests;               /* reading test code: its modules go to test_mods */
	struct strlist test_mods; /* top-level modules test code imports */
	int depth;                /* that list's brackets still open */
};

/* A module seen, in the list of the code reading it. */
static int infer_push(struct infer *in, const char *name)
{
	return strlist_push(in->tests ? &in->test_mods : &in->mods, name);
}

/* Push a whole quoted dotted name (settings only). */
static int infer_push_dotted(struct infer *in, const char *s, size_t n)
{
	char name[128];

	snprintf(name, sizeof(name), "%.*s", (int)n, s);
	return infer_push(in, name);
}

/* Whether a quoted dotted name is a file's ("requests.log", "db.sqlite",
 * "errors.json"): its last part an extension no module path ends in. */
static bool infer_file_name(const char *s, size_t n)
{
	static const char *const exts[] = { "log", "txt", "json", "csv", "html", "htm", "xml", "yaml", "yml", "ini",
					    "cfg", "conf", "toml", "md", "pem", "key", "crt", "png", "jpg", "jpeg",
					    "gif", "svg", "css", "js", "db", "sqlite", "pid", "sock", "lock", "out",
					    "gz", "zip", NULL };
	const char *dot = NULL, *p;
	size_t i, len;
	bool file = false;

	for (p = s; p < s + n; p++)
		if (*p == '.')
			dot = p;
	len = dot ? (size_t)(s + n - dot - 1) : 0;
	for (i = 0; dot && exts[i] && !file; i++)
		file = strlen(exts[i]) == len && !strncasecmp(dot + 1, exts[i], len);
	return file;
}

/* Whether the line, before its first string, names an ..._APPS variable
 * (INSTALLED_APPS = [, THIRD_PARTY_APPS = (, INSTALLED_APPS.append(). */
static bool infer_names_apps(const char *p, const char *end)
{
	bool apps = false;

	while (!apps && p < end && *p != '"' && *p != '\'' && *p != '#') {
		const char *w = p;

		while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
			p++;
		apps = p - w >= 4 && !strncmp(p - 4, "APPS", 4);
		if (p == w)
			p++;
	}
	return apps;
}

/* Brackets opened minus closed on a line, strings and comments left out. */
static int infer_brackets(const char *p, const char *end)
{
	int d = 0;
	char quote = 0;

	for (; p < end; p++) {
		if (quote) {
			if (*p == '\\' && p + 1 < end)
				p++;
			else if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '#') {
			break;
		} else if (*p == '[' || *p == '(' || *p == '{') {
			d++;
		} else if (*p == ']' || *p == ')' || *p == '}') {
			d--;
		}
	}
	return d;
}

/* PEP 503 normalisation into out: lower case, runs of -_. become '-'. */
static void infer_norm(const char *s, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;
	bool dash = false;

	for (i = 0; i < n && o + 1 < cap; i++) {
		char c = s[i];

		if (c == '-' || c == '_' || c == '.') {
			dash = true;
			continue;
		}
		if (dash && o && o + 2 < cap)
			out[o++] = '-';
		dash = false;
		out[o++] = (char)tolower((unsigned char)c);
	}
	out[o] = '\0';
}

static bool infer_ident_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

/* Push the identifier at p (a top-level module name) when it is one. */
static int infer_push_ident(struct infer *in, const char *p)
{
	char name[128];
	size_t n = 0;

	if (!infer_ident_start(*p))
		return 0;
	while ((isalnum((unsigned char)p[n]) || p[n] == '_') && n + 1 < sizeof(name)) {
		name[n] = p[n];
		n++;
	}
	name[n] = '\0';
	return infer_push(in, name);
}

/*
 * Calls that need a library no line imports, outside a comment:
 * - An ImageField (Django's, imagekit's ProcessedImageField...) needs
 *   Pillow: Django imports it on the first upload, and an app whose
 *   requirements leave it out failed every upload with "No module named
 *   'PIL'" while requirements-declared passed (h190). Not in a migration:
 *   one written before the field was removed needs no Pillow to run.
 * - django-configurations' DatabaseURLValue (values.DatabaseURLValue(...)
 *   in a settings class) imports dj_database_url when the settings load:
 *   the boot failed on "Could not import 'dj_database_url.parse'" (h364).
 * - django-phonenumber-field's PhoneNumberField (model, form or serializer
 *   field) imports phonenumbers, which the distribution requires only
 *   through an extra (h374: "No module named 'phonenumbers'").
 */
static int infer_calls(struct infer *in, const char *l, const char *end, bool settings)
{
	static const struct {
		const char *call, *module;
		bool settings_only;
	} calls[] = {
		{"ImageField(", "PIL", false},
		{"DatabaseURLValue(", "dj_database_url", true},
		{"PhoneNumberField(", "phonenumbers", false},
	};
	const char *at;
	size_t i;

	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		if (in->migrations || (calls[i].settings_only && !settings))
			continue;
		at = memmem(l, (size_t)(end - l), calls[i].call, strlen(calls[i].call));
		if (at && !memchr(l, '#', (size_t)(at - l)) && infer_push(in, calls[i].module) < 0)
			return -1;
	}
	return 0;
}

/* The imports of one line of Python. */
static int infer_line(struct infer *in, const char *l, const char *end, bool settings)
{
	const char *p = l;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (end - p > 5 && !strncmp(p, "from", 4) && (p[4] == ' ' || p[4] == '\t')) {
		p += 5;
		while (p < end && *p == ' ')
			p++;
		/* Relative imports are the project's own. */
		if (p < end && *p != '.' && infer_push_ident(in, p) < 0)
			return -1;
	} else if (end - p > 7 && !strncmp(p, "import", 6) && (p[6] == ' ' || p[6] == '\t')) {
		p += 7;
		/* import a.b, c as d */
		while (p < end) {
			while (p < end && (*p == ' ' || *p == '\t' || *p == '(' ))
				p++;
			if (p < end && infer_push_ident(in, p) < 0)
				return -1;
			while (p < end && *p != ',' && *p != '#')
				p++;
			if (p >= end || *p == '#')
				break;
			p++;
		}
	}
	if (infer_calls(in, l, end, settings) < 0)
		return -1;
	if (settings) {
		bool apps = in->apps;

		if (!apps && infer_names_apps(l, end)) {
			apps = true;
			in->depth = 0;
		}
		/* 'rest_framework_simplejwt.authentication.X' anywhere;
		 * "corsheaders" in an ..._APPS list only. */
		for (p = l; p < end; p++) {
			const char *q;
			bool dotted = false;

			if (*p != '"' && *p != '\'')
				continue;
			for (q = p + 1; q < end && (isalnum((unsigned char)*q) || *q == '_' || *q == '.'); q++)
				dotted = dotted || *q == '.';
			/* A file's name is no module (h1244: a log handler's
			 * "requests.log" installed requests). */
			dotted = dotted && !infer_file_name(p + 1, (size_t)(q - p - 1));
			if (q < end && *q == *p && q > p + 1 && infer_ident_start(p[1]) && (dotted || apps) &&
			    infer_push_ident(in, p + 1) < 0)
				return -1;
			/* A whole dotted name too, for the table's rows that
			 * name one: django.contrib.postgres imports a Postgres
			 * driver at setup (h284), Argon2's hasher its library
			 * (h297). */
			if (q < end && *q == *p && dotted && q - p - 1 < 128 &&
			    infer_push_dotted(in, p + 1, (size_t)(q - p - 1)) < 0)
				return -1;
			if (q < end && *q == *p)
				p = q;
		}
		if (apps) {
			in->depth += infer_brackets(l, end);
			in->apps = in->depth > 0;
		}
	}
	return 0;
}

/* Does this line open a block that runs only while debugging: `if DEBUG:`,
 * `if settings.DEBUG:`, or either `and` more? Its indentation, else -1. A
 * negated or compared condition (`if not DEBUG:`) is not one. */
static int infer_debug_block(const char *l, const char *end)
{
	const char *p = l, *c;
	int indent = 0;

	for (; p < end && (*p == ' ' || *p == '\t'); p++)
		indent++;
	if (end - p < 9 || strncmp(p, "if ", 3))
		return -1;
	for (p += 3; p < end && (*p == ' ' || *p == '('); p++)
		;
	if (end - p > 9 && !strncmp(p, "settings.", 9))
		p += 9;
	/* Or only where an app is installed: `if "debug_toolbar" in
	 * settings.INSTALLED_APPS:`, `if apps.is_installed(...)` (h600). */
	if ((memmem(p, (size_t)(end - p), " in settings.INSTALLED_APPS", 27) ||
	     memmem(p, (size_t)(end - p), "apps.is_installed(", 18)) &&
	    end[-1 - (end > p && end[-1] == '\r')] == ':')
		return indent;
	if (end - p < 5 || strncmp(p, "DEBUG", 5))
		return -1;
	for (c = p + 5; c < end && (*c == ' ' || *c == ')'); c++)
		;
	return (c < end && *c == ':') || (end - c > 4 && !strncmp(c, "and ", 4)) ? indent : -1;
}

/* Does the line at l open `try:` whose first handler catches a missing
 * module (ImportError, ModuleNotFoundError, Exception, or a bare except)?
 * The code then works without the package: what the block imports, and
 * its except and else parts, are read as debug-only code (h600: `try:
 * import debug_toolbar` from requirements-dev.txt was warned about). Its
 * indentation, else -1. */
static int infer_try_guard(const char *l, const char *nl, const char *end)
{
	const char *p = l, *q = end, *t, *s = NULL;
	int indent = 0, k, out = -1;

	for (; p < nl && (*p == ' ' || *p == '\t'); p++)
		indent++;
	if (nl - p >= 4 && !strncmp(p, "try", 3) && (p[3] == ':' || p[3] == ' '))
		q = nl < end ? nl + 1 : end;
	/* The first line after it, blank and comments aside, not deeper:
	 * its except, from s to t. */
	for (; q < end && !s; q = t < end ? t + 1 : end) {
		t = memchr(q, '\n', (size_t)(end - q));
		if (!t)
			t = end;
		for (k = 0, s = q; s < t && (*s == ' ' || *s == '\t'); s++)
			k++;
		if (s == t || *s == '#' || *s == '\r' || k > indent) {
			s = NULL;
		} else if (k < indent || t - s < 6 || strncmp(s, "except", 6)) {
			s = NULL;   /* not this try's handler */
			break;
		}
	}
	if (s) {
		for (s += 6; s < t && *s == ' '; s++)
			;
		if ((s < t && *s == ':') || memmem(s, (size_t)(t - s), "ImportError", 11) ||
		    memmem(s, (size_t)(t - s), "ModuleNotFoundError", 19) ||
		    (t - s >= 10 && !strncmp(s, "Exception", 9) && (s[9] == ':' || s[9] == ' ')))
			out = indent;
	}
	return out;
}

/* Whether the line at t (its text after indentation) goes on a try
 * statement: its except, else or finally part. */
static bool infer_try_part(const char *t, const char *nl)
{
	return (nl - t >= 6 && !strncmp(t, "except", 6)) || (nl - t >= 4 && !strncmp(t, "else", 4) &&
							       (t[4] == ':' || t[4] == ' ')) ||
	       (nl - t >= 7 && !strncmp(t, "finally", 7));
}

static int infer_file(struct infer *in, int dirfd, const char *name, bool settings)
{
	struct gbuf b = GBUF_INIT(INFER_FILE_MAX);
	char chunk[16384];
	const char *p, *end, *nl;
	ssize_t n;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	int debug_indent = -1;
	bool was_tests = in->tests, in_try = false;
	int rc = -1;

	if (fd < 0) {
		rc = 0;
		goto done;
	}
	while (!b.truncated && (n = read(fd, chunk, sizeof(chunk))) > 0)
		if (gbuf_add(&b, chunk, (size_t)n) < 0)
			goto done;
	p = b.data ? b.data : "";
	end = p + b.len;
	in->apps = false;
	in->depth = 0;
	for (; p < end; p = nl + 1) {
		const char *t;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		/* Code that runs only while debugging (`if DEBUG:` adding
		 * debug_toolbar to INSTALLED_APPS and its URLs, h383) is read as
		 * test code is: installed unsaid, since a deployment with DEBUG
		 * off never imports it. The block ends at the first line that
		 * is not indented deeper. */
		for (t = p; t < nl && (*t == ' ' || *t == '\t'); t++)
			;
		if (debug_indent >= 0 && t < nl && *t != '#' && *t != '\r' && (int)(t - p) <= debug_indent &&
		    !(in_try && (int)(t - p) == debug_indent && infer_try_part(t, nl))) {
			debug_indent = -1;
			in_try = false;
			in->tests = was_tests;
		}
		if (debug_indent < 0 && (debug_indent = infer_debug_block(p, nl)) >= 0)
			in->tests = true;
		if (debug_indent < 0 && (debug_indent = infer_try_guard(p, nl, end)) >= 0)
			in->tests = in_try = true;
		if (infer_line(in, p, nl, settings) < 0)
			goto done;
		if (nl == end)
			break;
	}
	rc = 0;
done:
	in->tests = was_tests;
	if (fd >= 0)
		close(fd);
	gbuf_release(&b);
	return rc;
}

static bool infer_skip_dir(int dirfd, const char *name)
{
	static const char *const names[] = {
		"node_modules", "site-packages", "__pycache__", "venv", "env",
	};
	size_t i;

	if (name[0] == '.')
		return true;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return env_is_regular(dirfd, "pyvenv.cfg");
}

/* Test code: a tests/ or test/ folder, conftest.py, tests.py, test_*.py,
 * *_test.py. Never imported by the app a deployment runs, nor by the
 * grader, so its factory_boy or Faker is a developer's tool, not a
 * requirement a deployment would miss (h292). */
static bool infer_is_test(const char *name, bool dir)
{
	size_t n = strlen(name);

	if (dir)
		return !strcmp(name, "tests") || !strcmp(name, "test");
	return !strcmp(name, "conftest.py") || !strcmp(name, "tests.py") || !strncmp(name, "test_", 5) ||
	       (n > 8 && !strcmp(name + n - 8, "_test.py"));
}

static int infer_dir(struct infer *in, int dirfd, int depth, bool settings_dir)
{
	DIR *d = NULL;
	struct dirent *de;
	struct stat st;
	size_t seen = 0;
	int dup_fd = dup(dirfd), rc = -1;

	if (dup_fd < 0 || !(d = fdopendir(dup_fd))) {
		if (dup_fd >= 0)
			close(dup_fd);
		rc = 0;
		goto done;
	}
	while ((de = readdir(d)) != NULL && seen++ < ENV_DIR_MAX && in->files < INFER_MAX_FILES) {
		size_t nl = strlen(de->d_name);

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISREG(st.st_mode) && nl > 3 && !strcmp(de->d_name + nl - 3, ".py")) {
			bool was_tests = in->tests;
			int r;

			in->files++;
			in->tests = was_tests || infer_is_test(de->d_name, false);
			/* A LOGGING dict names its formatters' and handlers'
			 * classes by dotted strings, often in a logging.py the
			 * settings import (h254: pythonjsonlogger). */
			r = infer_file(in, dirfd, de->d_name,
				       settings_dir || strstr(de->d_name, "settings") != NULL ||
					       strstr(de->d_name, "logging") != NULL);
			in->tests = was_tests;
			if (r < 0)
				goto done;
		} else if (S_ISDIR(st.st_mode) && depth < INFER_MAX_DEPTH) {
			int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			int r = 0;

			if (sub < 0)
				continue;
			if (!infer_skip_dir(sub, de->d_name)) {
				/* A migration imports what its fields need to
				 * run migrate (h216: simple_history's
				 * HistoricalRecords, named nowhere else). */
				bool was = in->migrations, was_tests = in->tests;

				in->migrations = was || !strcmp(de->d_name, "migrations");
				in->tests = was_tests || infer_is_test(de->d_name, true);
				r = infer_dir(in, sub, depth + 1, !strcmp(de->d_name, "settings"));
				in->migrations = was;
				in->tests = was_tests;
			}
			close(sub);
			if (r < 0)
				goto done;
		}
	}
	rc = 0;
done:
	if (d)
		closedir(d);
	return rc;
}

/* Is `mod` the project's own (a package or module in the project folder
 * or at the repository root)? */
static bool infer_local(int projfd, int rootfd, const char *mod)
{
	char file[160];
	struct stat st;
	int fds[2] = { projfd, rootfd };
	size_t i;

	snprintf(file, sizeof(file), "%s.py", mod);
	for (i = 0; i < 2; i++) {
		if (fds[i] < 0)
			continue;
		if (fstatat(fds[i], mod, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
			return true;
		if (env_is_regular(fds[i], file))
			return true;
	}
	return false;
}

/* Push the PEP 503 name of s[0..n) onto l unless it is there already. */
static int infer_add_name(struct strlist *l, const char *s, size_t n, bool *added)
{
	char name[128];

	infer_norm(s, n, name, sizeof(name));
	if (!*name || strlist_has(l, name))
		return 0;
	*added = true;
	return strlist_push(l, name);
}

/* A requirement's extras ("django-phonenumber-field[phonenumberslite]")
 * as "NAME[EXTRA]" each, which distribution-requires.tsv rows of that form
 * name the requirements of: what an extra installs is declared, and what
 * the distribution lists only under an extra is not (h374: phonenumbers,
 * which django-phonenumber-field requires only with one). */
static int infer_add_extras(struct strlist *have, const char *line, const char *end, bool *added)
{
	size_t n = env_name_len(line);
	const char *p = line + n, *close;
	char name[128], extra[128], both[260];

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || *p != '[' || !(close = memchr(p, ']', (size_t)(end - p))))
		return 0;
	infer_norm(line, n, name, sizeof(name));
	for (p++; p < close;) {
		size_t k;

		while (p < close && (*p == ' ' || *p == ','))
			p++;
		k = strcspn(p, " ,]");
		if (k && p + k <= close) {
			infer_norm(p, k, extra, sizeof(extra));
			snprintf(both, sizeof(both), "%s[%s]", name, extra);
			if (infer_add_name(have, both, strlen(both), added) < 0)
				return -1;
		}
		p += k;
	}
	return 0;
}

/* Into `have` (PEP 503 names): every distribution a requirement line
 * declares and, walking grader/boot/distribution-requires.tsv, everything
 * those install themselves. A module of any of them is not the student's
 * omission: pip installs drf-spectacular's djangorestframework too, and
 * telling them a deployment would fail without it was false. */
static int infer_installed(const struct gbuf *reqs, const struct gbuf *requires, struct strlist *have)
{
	const char *p, *nl;
	bool added = true;
	int rc = -1;

	for (p = reqs->data ? reqs->data : ""; *p; p = *nl ? nl + 1 : nl) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (infer_add_name(have, p, env_name_len(p), &added) < 0 ||
		    infer_add_extras(have, p, nl, &added) < 0)
			goto done;
	}
	/* Each pass adds a name or ends: at most one pass per row. */
	while (added) {
		added = false;
		for (p = requires->data ? requires->data : ""; *p; p = *nl ? nl + 1 : nl) {
			const char *tab, *w;
			char dist[128];

			nl = strchr(p, '\n');
			if (!nl)
				nl = p + strlen(p);
			tab = memchr(p, '\t', (size_t)(nl - p));
			if (*p == '#' || !tab)
				continue;
			infer_norm(p, (size_t)(tab - p), dist, sizeof(dist));
			if (!strlist_has(have, dist))
				continue;
			for (w = tab + 1; w < nl;) {
				size_t n = strcspn(w, " \t\r\n");

				if (n && infer_add_name(have, w, n, &added) < 0)
					goto done;
				w += n;
				while (w < nl && (*w == ' ' || *w == '\t' || *w == '\r'))
					w++;
			}
		}
	}
	rc = 0;
done:
	return rc;
}

/* Whether `have` holds the distribution `dist`, or one of its
 * alternatives ("psycopg2-binary|psycopg": any Postgres driver). */
static bool infer_declared_any(const struct strlist *have, const char *dist)
{
	char norm[128];
	const char *p = dist;

	for (;;) {
		size_t n = strcspn(p, "|");

		infer_norm(p, n, norm, sizeof(norm));
		if (*norm && strlist_has(have, norm))
			return true;
		if (!p[n])
			return false;
		p += n + 1;
	}
}

int env_infer_requirements(const char *checkout, const char *project_dir, const char *datadir,
			   struct gbuf *reqs, struct strlist *inferred)
{
	struct infer in = { .rootfd = -1 };
	struct gbuf table = GBUF_INIT(INFER_TABLE_MAX);
	struct gbuf requires = GBUF_INIT(INFER_TABLE_MAX);
	struct strlist have = { NULL, 0, 0 };
	struct gbuf quiet = GBUF_INIT(INFER_TABLE_MAX);   /* installed for test code alone */
	char *path = NULL, *rpath = NULL;
	const char *p, *nl;
	int rootfd = -1;
	size_t i;
	int rc = -1;

	if (asprintf(&path, "%s/grader/boot/" INFER_TABLE_FILE, datadir) < 0) {
		path = NULL;
		err_set("out of memory");
		goto done;
	}
	if (asprintf(&rpath, "%s/grader/boot/" INFER_REQUIRES_FILE, datadir) < 0) {
		rpath = NULL;
		err_set("out of memory");
		goto done;
	}
	if (gbuf_read_file(&table, path) < 0 || table.truncated) {
		err_set("the module table %s cannot be read: %s", path, table.truncated ? "too large" : err_last());
		goto done;
	}
	if (gbuf_read_file(&requires, rpath) < 0 || requires.truncated) {
		err_set("the requirements table %s cannot be read: %s", rpath,
			requires.truncated ? "too large" : err_last());
		goto done;
	}
	if (infer_installed(reqs, &requires, &have) < 0)
		goto done;
	in.rootfd = open(project_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rootfd = open(checkout, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (in.rootfd < 0) {
		err_set_errno("cannot open %s", project_dir);
		goto done;
	}
	if (infer_dir(&in, in.rootfd, 0, false) < 0)
		goto done;
	/* In table order: the additions are the same for the same project. */
	for (p = table.data ? table.data : ""; *p; p = *nl ? nl + 1 : nl) {
		char mod[128], dist[128];
		const char *tab;
		bool used = false, by_tests = false;

		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		tab = memchr(p, '\t', (size_t)(nl - p));
		if (*p == '#' || !tab || tab == p || (size_t)(tab - p) >= sizeof(mod) ||
		    (size_t)(nl - tab - 1) >= sizeof(dist) || nl == tab + 1)
			continue;
		memcpy(mod, p, (size_t)(tab - p));
		mod[tab - p] = '\0';
		memcpy(dist, tab + 1, (size_t)(nl - tab - 1));
		dist[nl - tab - 1] = '\0';
		if (dist[strlen(dist) - 1] == '\r')
			dist[strlen(dist) - 1] = '\0';
		for (i = 0; i < in.mods.n && !used; i++)
			used = !strcmp(in.mods.v[i], mod);
		for (i = 0; i < in.test_mods.n && !used && !by_tests; i++)
			by_tests = !strcmp(in.test_mods.v[i], mod);
		if ((!used && !by_tests) || infer_local(in.rootfd, rootfd, mod) || infer_declared_any(&have, dist))
			continue;
		/* "A|B|C": any of them declared will do; A is installed. */
		dist[strcspn(dist, "|")] = '\0';
		for (i = 0; i < inferred->n && strcmp(inferred->v[i], dist); i++)
			;
		if (i < inferred->n || strstr(gbuf_str(&quiet), dist))
			continue;
		/* Test code's alone is installed unsaid: an app module that
		 * imports a test helper still boots (h292), and the warning
		 * is for what a deployment misses. */
		if ((used ? strlist_push(inferred, dist) : gbuf_addf(&quiet, "%s\n", dist)) < 0 ||
		    (reqs->len && reqs->data[reqs->len - 1] != '\n' && gbuf_addch(reqs, '\n') < 0) ||
		    gbuf_addf(reqs, "%s\n", dist) < 0)
			goto done;
	}
	if (reqs->truncated) {
		err_set("the requirements with the inferred packages are too long");
		goto done;
	}
	rc = 0;
done:
	if (in.rootfd >= 0)
		close(in.rootfd);
	if (rootfd >= 0)
		close(rootfd);
	strlist_free(&in.mods);
	strlist_free(&in.test_mods);
	strlist_free(&have);
	gbuf_release(&quiet);
	gbuf_release(&table);
	gbuf_release(&requires);
	free(path);
	free(rpath);
	return rc;
}

/* For each inferred distribution that the requirements file names only in
 * a group it does not install (env_toml_grouped's "NAME\tSECTION\tMAIN"
 * lines), "DIST\tSECTION\tMAIN" into `out`. 0, or -1 + err. */
static int infer_grouped(const struct gbuf *grouped, const struct strlist *inferred, struct strlist *out)
{
	char want[128], name[128], *line = NULL;
	const char *p, *nl, *tab;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < inferred->n; i++) {
		infer_norm(inferred->v[i], strlen(inferred->v[i]), want, sizeof(want));
		for (p = gbuf_str(grouped); *p; p = *nl ? nl + 1 : nl) {
			nl = p + strcspn(p, "\n");
			tab = memchr(p, '\t', (size_t)(nl - p));
			if (!tab)
				continue;
			infer_norm(p, (size_t)(tab - p), name, sizeof(name));
			if (strcmp(name, want) != 0)
				continue;
			if (asprintf(&line, "%s%.*s", inferred->v[i], (int)(nl - tab), tab) < 0) {
				line = NULL;
				rc = err_set("out of memory");
			} else {
				rc = strlist_push(out, line);
			}
			free(line);
			line = NULL;
			break;
		}
	}
	return rc;
}

int env_read_project_inferred(const char *checkout, const char *project_dir, const char *datadir,
			      bool want_python, struct env_project *pj, struct gbuf *diagnosis)
{
	int rc = env_read_project(checkout, project_dir, datadir, want_python, pj, diagnosis);

	if (rc == 0 && (env_infer_requirements(checkout, project_dir, datadir, pj->reqs, &pj->inferred) < 0 ||
			infer_grouped(&pj->grouped, &pj->inferred, &pj->inferred_grouped) < 0))
		rc = -1;
	return rc;
}
