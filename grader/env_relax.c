/*
 * env_relax.c - a pinned requirement with no wheel for the chosen Python is
 * relaxed to the nearest release that has one (contracts §2, issue 9).
 *
 * A requirements file frozen on the author's machine pins releases that
 * had wheels for the author's Python: psycopg2-binary==2.9.3 or
 * ruamel.yaml.clib==0.2.6 have none for 3.11, so here the installer falls
 * back to their sdist, which needs a compiler and headers (pg_config) and
 * fails. Only when an install has failed does env.c call this module: a
 * requirement set that installs as written is never changed (an sdist-only
 * pure-Python pin builds as on the author's machine).
 *
 * What a release offers is read from the index the installer uses (the
 * same URL: UV_DEFAULT_INDEX / UV_INDEX_URL for uv, PIP_INDEX_URL for pip,
 * else PyPI), through its PEP 691 JSON simple API, or the PEP 503 HTML page
 * an index without JSON serves. Only metadata is read (file names,
 * requires-python, yanked): nothing downloaded here is run, and installing
 * still happens in the install sandbox. A pin is relaxed to the nearest
 * release with a compatible, unyanked wheel: the oldest newer one (new
 * Python versions get wheels in later releases), else the newest older one.
 * A pin none of whose releases has a wheel for this Python is left alone,
 * except a backport of a module the interpreter already has
 * (backports.zoneinfo on >= 3.9), which gets the marker that keeps it off.
 *
 * A file with hashes (--hash: deliberately locked) or index options of its
 * own is left as it is; so is everything when the installer is offline
 * (PIP_NO_INDEX, UV_OFFLINE).
 */
#include <ctype.h>
#include <curl/curl.h>
#include <cjson/cJSON.h>
#include <gnu/libc-version.h>
#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "env_internal.h"
#include "err.h"
#include "vec.h"

#define RELAX_PAGE_MAX ((size_t)32 << 20)   /* one project's index page */
#define RELAX_TIMEOUT_S 30L
#define RELAX_MAX_PINS 200                  /* pins looked up per install */

/* Stdlib modules that have a backport on PyPI: from this Python on, the
 * backport has no use (and no wheel). */
static const struct {
	const char *name;   /* normalised */
	int minor;          /* 3.minor has the module */
} relax_backports[] = {
	{ "backports-zoneinfo", 9 },
};

void env_dist_normalise(const char *s, size_t len, char *out, size_t outsz)
{
	size_t k = 0, i;

	for (i = 0; i < len && k + 1 < outsz; i++) {
		char c = s[i];

		if (c == '-' || c == '_' || c == '.') {
			if (k && out[k - 1] == '-')
				continue;
			c = '-';
		}
		out[k++] = (char)tolower((unsigned char)c);
	}
	out[k] = '\0';
}

/* ---- wheel tags ---------------------------------------------------------- */

/* A platform tag this machine runs: any, linux_ARCH, manylinux1/2010/2014
 * and manylinux_2_N (N up to this glibc's minor) for this machine's ARCH. */
static bool relax_platform_ok(const char *p, size_t len, const char *arch, int glibc_minor)
{
	static const struct { const char *name; int minor; } legacy[] = {
		{ "manylinux1_", 5 }, { "manylinux2010_", 12 }, { "manylinux2014_", 17 },
	};
	size_t al = strlen(arch), i;
	char tag[96];

	if (len >= sizeof(tag))
		return false;
	memcpy(tag, p, len);
	tag[len] = '\0';
	if (!strcmp(tag, "any"))
		return true;
	if (len <= al + 1 || strcmp(tag + len - al, arch) || tag[len - al - 1] != '_')
		return false;
	tag[len - al - 1] = '\0';
	if (!strcmp(tag, "linux"))
		return true;
	for (i = 0; i < sizeof(legacy) / sizeof(legacy[0]); i++)
		if (!strncmp(tag, legacy[i].name, strlen(legacy[i].name) - 1) &&
		    tag[strlen(legacy[i].name) - 1] == '\0')
			return legacy[i].minor <= glibc_minor;
	{
		int maj = 0, min = 0, used = 0;

		if (sscanf(tag, "manylinux_%d_%d%n", &maj, &min, &used) == 2 && tag[used] == '\0')
			return maj < 2 || (maj == 2 && min <= glibc_minor);
	}
	return false;
}

/* "cp311" / "py3" / "py38" -> kind 'c' or 'p', major, minor (-1: none). */
static bool relax_pytag(const char *p, size_t len, char *kind, int *major, int *minor)
{
	size_t i;

	if (len < 3 || (strncmp(p, "cp", 2) && strncmp(p, "py", 2)))
		return false;
	for (i = 2; i < len; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	*kind = p[0];
	*major = p[2] - '0';
	*minor = -1;
	if (len > 3) {
		*minor = 0;
		for (i = 3; i < len && *minor < 1000; i++)
			*minor = *minor * 10 + (p[i] - '0');
	}
	return true;
}

/* One (python, abi, platform) triple for CPython major.minor. */
static bool relax_triple_ok(const char *py, size_t pyl, const char *abi, size_t abil, int major,
			    int minor)
{
	char kind;
	int tmaj, tmin;
	char own[16];

	if (!relax_pytag(py, pyl, &kind, &tmaj, &tmin) || tmaj != major)
		return false;
	snprintf(own, sizeof(own), "cp%d%d", major, minor);
	if (abil == 4 && !strncmp(abi, "none", 4))
		return tmin <= minor;      /* py3, py38 (<= 3.minor), cp311 */
	if (abil == 4 && !strncmp(abi, "abi3", 4))
		return kind == 'c' && tmin >= 0 && tmin <= minor;
	/* The interpreter's own ABI: cp311-cp311 only. */
	return kind == 'c' && tmin == minor && abil == strlen(own) && !strncmp(abi, own, abil);
}

/* Does any combination of the (dot-compressed) tag sets match? */
static bool relax_tags_ok(const char *py, size_t pyl, const char *abi, size_t abil, const char *plat,
			  size_t platl, int major, int minor, const char *arch, int glibc_minor)
{
	const char *a, *b, *c, *ae, *be, *ce;
	bool plat_ok = false;

	for (c = plat; c < plat + platl; c = ce + 1) {
		ce = memchr(c, '.', (size_t)(plat + platl - c));
		if (!ce)
			ce = plat + platl;
		if (relax_platform_ok(c, (size_t)(ce - c), arch, glibc_minor))
			plat_ok = true;
	}
	if (!plat_ok)
		return false;
	for (a = py; a < py + pyl; a = ae + 1) {
		ae = memchr(a, '.', (size_t)(py + pyl - a));
		if (!ae)
			ae = py + pyl;
		for (b = abi; b < abi + abil; b = be + 1) {
			be = memchr(b, '.', (size_t)(abi + abil - b));
			if (!be)
				be = abi + abil;
			if (relax_triple_ok(a, (size_t)(ae - a), b, (size_t)(be - b), major, minor))
				return true;
		}
	}
	return false;
}

int env_wheel_compatible(const char *filename, int major, int minor, const char *arch,
			 int glibc_minor, char *version, size_t vsz)
{
	const char *f[6];
	size_t fl[6], n = 0, len = strlen(filename);
	const char *p = filename, *end;

	if (vsz)
		version[0] = '\0';
	if (len < 5 || strcmp(filename + len - 4, ".whl"))
		return 0;
	end = filename + len - 4;
	while (p <= end && n < 6) {
		const char *d = memchr(p, '-', (size_t)(end - p));

		f[n] = p;
		fl[n] = d ? (size_t)(d - p) : (size_t)(end - p);
		n++;
		if (!d)
			break;
		p = d + 1;
	}
	if ((n != 5 && n != 6) || p > end || memchr(p, '-', (size_t)(end - p)))
		return 0;
	if (vsz)
		snprintf(version, vsz, "%.*s", (int)fl[1], f[1]);
	return relax_tags_ok(f[n - 3], fl[n - 3], f[n - 2], fl[n - 2], f[n - 1], fl[n - 1], major, minor,
			     arch, glibc_minor);
}

/* ---- versions -------------------------------------------------------------- */

/* A final release "1.2.3" (or "1.2.3.post1"): its parts; 0 when it is a
 * pre- or dev release or not PEP 440 enough to compare. */
static int relax_release(const char *v, long parts[7])
{
	const char *rest;
	int k;

	memset(parts, 0, 7 * sizeof(long));
	k = env_version_parts(v, parts, &rest);
	if (!k)
		return 0;
	if (*rest == '\0')
		return k;
	if (!strncasecmp(rest, ".post", 5) && isdigit((unsigned char)rest[5])) {
		parts[6] = strtol(rest + 5, NULL, 10) + 1;
		return k;
	}
	return 0;
}

static int relax_cmp(const long a[7], const long b[7])
{
	for (int i = 0; i < 7; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* ---- the index --------------------------------------------------------------- */

/* The index the installer reads, malloc'd with a trailing '/', or NULL
 * (nothing to ask: offline). *uv says which installer's variables count. */
char *env_index_url(bool uv)
{
	const char *const uvv[] = { "UV_DEFAULT_INDEX", "UV_INDEX_URL", NULL };
	const char *const pipv[] = { "PIP_INDEX_URL", NULL };
	const char *const *vars = uv ? uvv : pipv;
	const char *off = getenv(uv ? "UV_OFFLINE" : "PIP_NO_INDEX");
	const char *url = "https://pypi.org/simple/";
	char *out = NULL;

	if (off && *off && strcmp(off, "0") && strcasecmp(off, "false"))
		return NULL;
	for (; *vars; vars++)
		if (getenv(*vars) && *getenv(*vars)) {
			url = getenv(*vars);
			break;
		}
	if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
		return NULL;   /* a file:// or path index: the installer reads it itself */
	if (asprintf(&out, "%s%s", url, url[strlen(url) - 1] == '/' ? "" : "/") < 0)
		out = NULL;
	return out;
}

static size_t relax_write(char *p, size_t sz, size_t n, void *ud)
{
	struct gbuf *b = ud;

	if (gbuf_add(b, p, sz * n) < 0 || b->truncated)
		return 0;   /* too big or OOM: the transfer fails */
	return sz * n;
}

/* One release file as the index lists it. */
struct relax_file {
	const char *name;
	const char *requires_python;   /* NULL: any */
	bool yanked;
};

/* GET <index><project>/; the body in *body, whether it is JSON in *json.
 * 0 ok, 1 no answer worth reading (no such project, network, too big). */
static int relax_fetch(CURL *h, const char *index, const char *project, struct gbuf *body, bool *json)
{
	struct curl_slist *hdr = NULL;
	char *url = NULL, *ctype = NULL;
	long code = 0;
	int rc = 1;

	gbuf_reset(body);
	body->truncated = false;
	if (asprintf(&url, "%s%s/", index, project) < 0) {
		url = NULL;
		rc = err_set("out of memory");
		goto done;
	}
	hdr = curl_slist_append(NULL, "Accept: application/vnd.pypi.simple.v1+json, "
				"application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1");
	if (!hdr) {
		rc = err_set("out of memory");
		goto done;
	}
	if (curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, relax_write) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEDATA, body) != CURLE_OK)
		goto done;
	if (curl_easy_perform(h) != CURLE_OK ||
	    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK || code != 200)
		goto done;
	curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ctype);
	*json = ctype && strstr(ctype, "json");
	rc = 0;
done:
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
	curl_slist_free_all(hdr);
	free(url);
	return rc;
}

/* Collect the files of a PEP 691 JSON page (pointers into `doc`). */
static int relax_files_json(cJSON *doc, struct relax_file **out, size_t *n)
{
	cJSON *files = cJSON_GetObjectItemCaseSensitive(doc, "files"), *f;
	size_t cap = (size_t)cJSON_GetArraySize(files);

	*out = NULL;
	*n = 0;
	if (!cJSON_IsArray(files) || !cap)
		return 0;
	if (!(*out = calloc(cap, sizeof(**out))))
		return err_set("out of memory");
	cJSON_ArrayForEach(f, files) {
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "filename"));
		cJSON *y = cJSON_GetObjectItemCaseSensitive(f, "yanked");

		if (!name || *n >= cap)
			continue;
		(*out)[*n].name = name;
		(*out)[*n].requires_python =
			cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "requires-python"));
		(*out)[*n].yanked = cJSON_IsTrue(y) || cJSON_IsString(y);
		(*n)++;
	}
	return 0;
}

/* Collect the files of a PEP 503 HTML page: each <a>'s text is a file name
 * (pointers into `doc`, which owns them). */
static int relax_files_html(htmlDocPtr doc, struct relax_file **out, size_t *n)
{
	xmlNodePtr stack[64], node;
	size_t depth = 0, cap = 0;

	*out = NULL;
	*n = 0;
	if (!doc || !xmlDocGetRootElement(doc))
		return 0;
	stack[depth++] = xmlDocGetRootElement(doc);
	while (depth) {
		node = stack[--depth];
		for (; node; node = node->next) {
			if (node->type != XML_ELEMENT_NODE)
				continue;
			if (!xmlStrcasecmp(node->name, (const xmlChar *)"a") && node->children &&
			    node->children->type == XML_TEXT_NODE && node->children->content) {
				xmlAttrPtr at;

				if (VEC_RESERVE(*out, cap, *n + 1) < 0)
					return -1;
				memset(&(*out)[*n], 0, sizeof(**out));
				(*out)[*n].name = (const char *)node->children->content;
				for (at = node->properties; at; at = at->next) {
					const char *v = at->children && at->children->type == XML_TEXT_NODE
						? (const char *)at->children->content : NULL;

					if (!xmlStrcasecmp(at->name, (const xmlChar *)"data-yanked"))
						(*out)[*n].yanked = true;
					else if (!xmlStrcasecmp(at->name, (const xmlChar *)"data-requires-python"))
						(*out)[*n].requires_python = v;
				}
				(*n)++;
			} else if (node->children && depth < sizeof(stack) / sizeof(stack[0])) {
				stack[depth++] = node->children;
			}
		}
	}
	return 0;
}

/* What this machine and interpreter accept. */
struct relax_target {
	int major, minor;
	long have[3];
	char arch[sizeof(((struct utsname *)0)->machine)];
	int glibc_minor;
};

/* Whether the index lists release `pin` at all, in any file: a wheel's
 * version as env_wheel_compatible reads its name (whatever its tags), an
 * sdist's what follows its name's last '-' before the extension. A pin of
 * a release that never existed is said so, not "no wheel of it for this
 * Python" (h214). */
static bool relax_listed(const struct relax_file *files, size_t n, const char *pin)
{
	static const char *const sdists[] = { ".tar.gz", ".zip", ".tar.bz2" };
	long want[7], v[7];
	char ver[64];
	size_t i, e, len;

	if (!relax_release(pin, want))
		return true;
	for (i = 0; i < n; i++) {
		const char *f = files[i].name, *a, *b = NULL;

		env_wheel_compatible(f, 0, 0, "", 0, ver, sizeof(ver));
		len = strlen(f);
		for (e = 0; e < sizeof(sdists) / sizeof(sdists[0]) && !ver[0] && !b; e++)
			if (len > strlen(sdists[e]) && !strcasecmp(f + len - strlen(sdists[e]), sdists[e]))
				b = f + len - strlen(sdists[e]);
		if (b && (a = memrchr(f, '-', (size_t)(b - f))) && b > a + 1 && (size_t)(b - a - 1) < sizeof(ver))
			snprintf(ver, sizeof(ver), "%.*s", (int)(b - a - 1), a + 1);
		if (ver[0] && relax_release(ver, v) && relax_cmp(v, want) == 0)
			return true;
	}
	return false;
}

/*
 * Choose the release of `files` to relax `pin` to: the version string in
 * `to` (""): none needed or none found. *pin_ok: the pinned release has a
 * compatible wheel after all. *pin_needs: the pinned release's
 * Requires-Python (a string of `files`), when only that ruled its wheel
 * out. The nearest newer release, as a newer one is likelier to have
 * wheels for this Python; but a pin of a release the index never had
 * (`listed` false) goes to the newest of its own series below it when
 * there is one (Django==4.0.14 to 4.0.10, not to 4.1, whose own pins the
 * rest of a 2022 freeze conflicts with, h238).
 */
static void relax_choose(const struct relax_file *files, size_t n, const char *pin, bool listed,
			 const struct relax_target *t, char *to, size_t tosz, bool *pin_ok,
			 bool *any_wheel, const char **pin_needs)
{
	long want[7], best_up[7], best_down[7], v[7];
	char up[64] = "", down[64] = "", ver[64];
	size_t i;

	*pin_ok = *any_wheel = false;
	*pin_needs = NULL;
	to[0] = '\0';
	if (!relax_release(pin, want))
		return;
	for (i = 0; i < n; i++) {
		const struct relax_file *f = &files[i];
		int c;

		if (f->yanked || !env_wheel_compatible(f->name, t->major, t->minor, t->arch,
						       t->glibc_minor, ver, sizeof(ver)))
			continue;
		if (!relax_release(ver, v))
			continue;
		/* The pinned release has a wheel, for a newer Python only
		 * (Django 6.1.3: Requires-Python >=3.12): said so, not "no
		 * wheel" (h136). */
		if (f->requires_python && *f->requires_python &&
		    env_spec_allows(f->requires_python, t->have) == 0) {
			if (relax_cmp(v, want) == 0)
				*pin_needs = f->requires_python;
			continue;
		}
		*any_wheel = true;
		c = relax_cmp(v, want);
		if (c == 0) {
			*pin_ok = true;
			return;
		}
		if (c > 0 && (!up[0] || relax_cmp(v, best_up) < 0)) {
			memcpy(best_up, v, sizeof(v));
			snprintf(up, sizeof(up), "%s", ver);
		} else if (c < 0 && (!down[0] || relax_cmp(v, best_down) > 0)) {
			memcpy(best_down, v, sizeof(v));
			snprintf(down, sizeof(down), "%s", ver);
		}
	}
	if (!listed && down[0] && best_down[0] == want[0] && best_down[1] == want[1])
		snprintf(to, tosz, "%s", down);
	else
		snprintf(to, tosz, "%s", up[0] ? up : down);
}

/* A version string from an index, safe to put in a requirement line. */
static bool relax_safe_version(const char *v)
{
	if (!*v)
		return false;
	for (; *v; v++)
		if (!isalnum((unsigned char)*v) && *v != '.' && *v != '+' && *v != '!' && *v != '_' && *v != '-')
			return false;
	return true;
}

/* A pin this module may relax: NAME[extras]==VERSION, nothing else on the
 * line (no marker, no second specifier, no wildcard). The name's length
 * and the version's start come back. */
static bool relax_parse_pin(const char *line, size_t len, size_t *name_len, const char **ver,
			    size_t *ver_len)
{
	size_t n = env_name_len(line), i = n;

	if (!n)
		return false;
	if (i < len && line[i] == '[') {
		const char *close = memchr(line + i, ']', len - i);

		if (!close)
			return false;
		i = (size_t)(close - line) + 1;
	}
	while (i < len && line[i] == ' ')
		i++;
	if (len - i < 3 || strncmp(line + i, "==", 2) || line[i + 2] == '=')
		return false;
	i += 2;
	while (i < len && line[i] == ' ')
		i++;
	*name_len = n;
	*ver = line + i;
	*ver_len = len - i;
	while (*ver_len && (*ver)[*ver_len - 1] == ' ')
		(*ver_len)--;
	for (size_t k = 0; k < *ver_len; k++)
		if (!isalnum((unsigned char)(*ver)[k]) && (*ver)[k] != '.' && (*ver)[k] != '!' &&
		    (*ver)[k] != '+')
			return false;
	return *ver_len > 0;
}

/* Lines that make the file's own choice of index, or lock it with hashes:
 * the file is left as it is. */
static bool relax_file_locked(const char *text)
{
	static const char *const opts[] = { "-i", "--index-url", "--extra-index-url", "--no-index",
					    "-f", "--find-links", "-c", "--constraint" };
	const char *p = text, *nl;

	for (; *p; p = *nl ? nl + 1 : nl) {
		size_t len;

		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		len = (size_t)(nl - p);
		if (memmem(p, len, "--hash", 6))
			return true;
		for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
			size_t k = strlen(opts[i]);

			if (len >= k && !strncmp(p, opts[i], k) && (len == k || p[k] == ' ' || p[k] == '='))
				return true;
		}
	}
	return false;
}

/* The pins relaxed so far, their count and capacity (vec.h). */
struct relax_pins {
	struct env_pin *v;
	size_t n, cap;
};

static int relax_push(struct relax_pins *pins, const char *from, size_t from_len, const char *to,
		      const char *why)
{
	struct env_pin *p;

	if (VEC_RESERVE(pins->v, pins->cap, pins->n + 1) < 0)
		return -1;
	p = &pins->v[pins->n++];
	p->from = strndup(from, from_len);
	p->to = strdup(to);
	p->why = strdup(why);
	if (!p->from || !p->to || !p->why)
		return err_set("out of memory");
	return 0;
}

/* The files the index lists for `name` (normalised), in *files: pointers
 * into *jdoc / *hdoc, which the caller frees with them. An index that does
 * not answer, or answers nonsense, lists nothing. 0, -1. */
static int relax_list(CURL *h, const char *index, const char *name, struct gbuf *page,
		      struct relax_file **files, size_t *n, cJSON **jdoc, htmlDocPtr *hdoc)
{
	bool json = false;
	int r;

	*files = NULL;
	*n = 0;
	r = relax_fetch(h, index, name, page, &json);
	if (r != 0)
		return r < 0 ? -1 : 0;
	if (!page->len)
		return 0;
	if (json) {
		*jdoc = cJSON_ParseWithLength(page->data, page->len);
		return relax_files_json(*jdoc, files, n);
	}
	*hdoc = htmlReadMemory(page->data, (int)page->len, NULL, "utf-8",
			       HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	return relax_files_html(*hdoc, files, n);
}

/* 3.X when `name` is the backport of a module this Python has, else 0. */
static int relax_backport(const char *name, const struct relax_target *t)
{
	for (size_t i = 0; i < sizeof(relax_backports) / sizeof(relax_backports[0]); i++)
		if (!strcmp(name, relax_backports[i].name) && t->minor >= relax_backports[i].minor)
			return relax_backports[i].minor;
	return 0;
}

/*
 * One pin line (p, len): the line it becomes goes to `out` (without its
 * newline) and, when changed, a pin to `pins`. 0, -1.
 */
static int relax_line(CURL *h, const char *index, const struct relax_target *t, const char *p,
		      size_t len, struct gbuf *page, struct gbuf *out, struct relax_pins *pins)
{
	const char *ver, *op;
	size_t name_len, ver_len, head, start = out->len;
	char name[256], pin[64], to[64], why[320];
	struct relax_file *files = NULL;
	size_t nfiles = 0;
	bool pin_ok = false, any = false, listed;
	const char *needs = NULL;   /* the pinned release's Requires-Python, when only that rules it out */
	int backport = 0;
	cJSON *jdoc = NULL;
	htmlDocPtr hdoc = NULL;
	int rc = -1;

	if (!relax_parse_pin(p, len, &name_len, &ver, &ver_len) || ver_len >= sizeof(pin)) {
		rc = gbuf_add(out, p, len);
		goto done;
	}
	env_dist_normalise(p, name_len, name, sizeof(name));
	snprintf(pin, sizeof(pin), "%.*s", (int)ver_len, ver);
	if (relax_list(h, index, name, page, &files, &nfiles, &jdoc, &hdoc) < 0)
		goto done;
	listed = relax_listed(files, nfiles, pin);
	relax_choose(files, nfiles, pin, listed, t, to, sizeof(to), &pin_ok, &any, &needs);
	if (!pin_ok && !to[0])
		backport = relax_backport(name, t);
	if (!pin_ok && to[0] && relax_safe_version(to)) {
		/* NAME[extras]==TO */
		op = memmem(p, len, "==", 2);
		for (head = op ? (size_t)(op - p) : name_len; head && p[head - 1] == ' '; head--)
			;
		if (needs)
			snprintf(why, sizeof(why), "%s needs Python %s; %s is the nearest release for "
				 "Python %d.%d", pin, needs, to, t->major, t->minor);
		else if (!listed)
			snprintf(why, sizeof(why), "no release %s of %.100s on the index; %s is the nearest "
				 "release with a wheel for Python %d.%d", pin, name, to, t->major, t->minor);
		else
			snprintf(why, sizeof(why), "no wheel of %s for Python %d.%d; %s is the nearest "
				 "release with one", pin, t->major, t->minor, to);
		if (gbuf_add(out, p, head) < 0 || gbuf_addf(out, "==%s", to) < 0)
			goto done;
	} else if (backport) {
		snprintf(why, sizeof(why), "no release has a wheel for Python %d.%d, which has "
			 "the module itself", t->major, t->minor);
		if (gbuf_add(out, p, len) < 0 || gbuf_addf(out, " ; python_version < \"3.%d\"", backport) < 0)
			goto done;
	} else {
		rc = gbuf_add(out, p, len);
		goto done;
	}
	rc = relax_push(pins, p, len, out->data + start, why);
done:
	free(files);
	cJSON_Delete(jdoc);
	xmlFreeDoc(hdoc);
	return rc;
}

/* A libcurl handle for reading the index: http(s) only, bounded in time;
 * the proxy variables are libcurl's own (http(s)_proxy, no_proxy), the CA
 * bundle the one the installer is told to use. NULL + err. */
static CURL *relax_curl(void)
{
	CURL *h = curl_easy_init();

	if (!h) {
		err_set("cannot start libcurl");
		return NULL;
	}
	if (curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_TIMEOUT, RELAX_TIMEOUT_S) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "") != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_USERAGENT, "grader (pin relaxing)") != CURLE_OK ||
	    (getenv("SSL_CERT_FILE") && *getenv("SSL_CERT_FILE") &&
	     curl_easy_setopt(h, CURLOPT_CAINFO, getenv("SSL_CERT_FILE")) != CURLE_OK)) {
		curl_easy_cleanup(h);
		err_set("cannot set up libcurl");
		return NULL;
	}
	return h;
}

int env_relax_pins(const struct gbuf *reqs, const char *version, bool uv, struct gbuf *out,
		   struct env_pin **pins, size_t *npins)
{
	struct gbuf page = GBUF_INIT(RELAX_PAGE_MAX);
	struct relax_target t;
	struct utsname un;
	const char *text = reqs->data ? reqs->data : "", *p, *nl;
	char *index = NULL;
	CURL *h = NULL;
	struct relax_pins relaxed = { NULL, 0, 0 };
	int looked = 0, rc = -1;

	gbuf_reset(out);
	memset(&t, 0, sizeof(t));
	if (sscanf(version, "%ld.%ld.%ld", &t.have[0], &t.have[1], &t.have[2]) < 2 ||
	    t.have[0] != 3 || uname(&un) < 0 ||
	    sscanf(gnu_get_libc_version(), "2.%d", &t.glibc_minor) != 1 ||
	    relax_file_locked(text) || !(index = env_index_url(uv))) {
		rc = gbuf_add(out, text, strlen(text));
		goto done;
	}
	t.major = (int)t.have[0];
	t.minor = (int)t.have[1];
	snprintf(t.arch, sizeof(t.arch), "%s", un.machine);
	if (!(h = relax_curl()))
		goto done;
	for (p = text; *p; p = *nl ? nl + 1 : nl) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if ((++looked > RELAX_MAX_PINS ? gbuf_add(out, p, (size_t)(nl - p))
					       : relax_line(h, index, &t, p, (size_t)(nl - p), &page, out,
							    &relaxed)) < 0 ||
		    (*nl && gbuf_addch(out, '\n') < 0))
			goto done;
	}
	rc = 0;
done:
	if (h)
		curl_easy_cleanup(h);
	gbuf_release(&page);
	free(index);
	if (rc < 0) {
		env_pins_free(relaxed.v, relaxed.n);
		relaxed.v = NULL;
		relaxed.n = 0;
	}
	*pins = relaxed.v;
	*npins = relaxed.n;
	return rc;
}

/* ---- the record of a relaxation ---------------------------------------------- */

/*
 * <envs>/.relaxed/<orig_key>: {"requirements": "relaxed lines", "relaxed":
 * [{"from", "to", "why"}]}, written by the grader (never by a build: the
 * install sandbox does not see the cache) once the relaxed env is built.
 * The next run of the same requirements reads it instead of failing an
 * install and asking the index again.
 */
static char *relax_record_path(const char *envs, const char *orig_key)
{
	char *path = NULL;

	if (asprintf(&path, "%s/.relaxed/%s", envs, orig_key) < 0) {
		err_set("out of memory");
		return NULL;
	}
	return path;
}

int env_relax_record_read(const char *envs, const char *orig_key, struct gbuf *reqs,
			  struct env_pin **pins, size_t *n)
{
	struct gbuf text = GBUF_INIT(ENV_REQ_MAX * 8);
	char *path = relax_record_path(envs, orig_key);
	cJSON *doc = NULL;
	const char *lines;
	int prc, rc = -1;

	*pins = NULL;
	*n = 0;
	if (!path)
		goto done;
	if (access(path, F_OK) != 0 || gbuf_read_file(&text, path) < 0 || text.truncated) {
		err_clear();
		rc = 1;
		goto done;
	}
	doc = cJSON_ParseWithLength(text.data ? text.data : "", text.len);
	lines = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "requirements"));
	/* A record that is not what record_write writes (edited, or cut short)
	 * is no record: the relaxation is made again (rc 1). */
	prc = lines ? env_pins_from_json(cJSON_GetObjectItemCaseSensitive(doc, "relaxed"), pins, n) : 1;
	if (prc < 0)
		goto done;
	if (prc > 0 || !*n) {
		err_clear();
		rc = 1;
		goto done;
	}
	gbuf_reset(reqs);
	if (gbuf_adds(reqs, lines) < 0)
		goto done;
	rc = 0;
done:
	if (rc != 0) {
		env_pins_free(*pins, *n);
		*pins = NULL;
		*n = 0;
	}
	cJSON_Delete(doc);
	gbuf_release(&text);
	free(path);
	return rc;
}

int env_relax_record_write(const char *envs, const char *orig_key, const struct gbuf *reqs,
			   const struct env_pin *pins, size_t n)
{
	char *path = relax_record_path(envs, orig_key), *dir = NULL, *text = NULL;
	cJSON *doc = cJSON_CreateObject(), *arr;
	int rc = -1;

	if (!path || !doc)
		goto oom;
	if (!cJSON_AddStringToObject(doc, "requirements", reqs->data ? reqs->data : "") ||
	    !(arr = env_pins_to_json(pins, n)))
		goto oom;
	if (!cJSON_AddItemToObject(doc, "relaxed", arr)) {
		cJSON_Delete(arr);
		goto oom;
	}
	if (!(text = cJSON_PrintUnformatted(doc)) || asprintf(&dir, "%s/.relaxed", envs) < 0) {
		dir = NULL;
		goto oom;
	}
	if (env_mkdirs(dir) < 0 || env_write_file(path, text, strlen(text)) < 0)
		goto done;
	rc = 0;
	goto done;
oom:
	err_set("out of memory");
done:
	cJSON_Delete(doc);
	free(text);
	free(dir);
	free(path);
	return rc;
}
