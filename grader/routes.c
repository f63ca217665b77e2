/*
 * routes.c - grader.yaml route mapping; see routes.h.
 */
#include "routes.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "err.h"
#include "yamlx.h"

#define ROUTES_FILE "grader.yaml"
#define ROUTES_MAX 100
#define ROUTES_FILE_MAX (64 << 10)
#define SLOTS_MAX 8

struct route {
	char *contract;     /* as written, with the exact marker '$' if any */
	char *app;
	bool exact;         /* the key ended in '$': this path only */
	bool pattern;       /* has {name} placeholders */
};

struct routes {
	struct route *v;
	size_t n;
};

void routes_free(struct routes *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].contract);
		free(r->v[i].app);
	}
	free(r->v);
	free(r);
}

size_t routes_count(const struct routes *r)
{
	return r ? r->n : 0;
}

void routes_get(const struct routes *r, size_t i, const char **contract, const char **app)
{
	*contract = r->v[i].contract;
	*app = r->v[i].app;
}

/* Read `dir`/grader.yaml without following a symlink: a checkout may hold
 * links pointing anywhere on the host. 0 read, 1 absent, -1 error. */
static int read_routes_file(const char *dir, struct gbuf *text, struct gbuf *diagnosis)
{
	char *path = NULL;
	int fd = -1, rc = -1;
	struct stat st;

	if (asprintf(&path, "%s/" ROUTES_FILE, dir) < 0)
		return err_set("out of memory");
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT) {
			rc = 1;
		} else if (errno == ELOOP) {
			gbuf_addf(diagnosis, "%s is a symbolic link; the grader reads only a real file", ROUTES_FILE);
			rc = 2;
		} else {
			err_set_errno("cannot open %s", path);
		}
		goto done;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > ROUTES_FILE_MAX) {
		gbuf_addf(diagnosis, "%s must be a regular file of at most %d KiB", ROUTES_FILE, ROUTES_FILE_MAX >> 10);
		rc = 2;
		goto done;
	}
	if (gbuf_read_fd(text, fd, path) < 0)
		goto done;
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

static bool path_ok(const char *s)
{
	if (s[0] != '/')
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

/* The names of s's placeholders, in order; 0 ok, 1 malformed. Each must be a
 * whole segment: "/{id}/" yes, "/t{id}/" no. */
static int placeholder_names(const char *s, const char **names, size_t *lens, size_t *n)
{
	const char *p = s, *close;
	size_t k;

	*n = 0;
	while ((p = strpbrk(p, "{}")) != NULL) {
		if (*p == '}' || !(close = strchr(p, '}')) || close == p + 1 || *n == SLOTS_MAX)
			return 1;
		if (p[-1] != '/' || (close[1] && close[1] != '/'))
			return 1;
		for (k = 1; p + k < close; k++)
			if (!isalnum((unsigned char)p[k]) && p[k] != '_')
				return 1;
		names[*n] = p + 1;
		lens[(*n)++] = (size_t)(close - p - 1);
		p = close + 1;
	}
	return 0;
}

/* 0: both sides well-formed and the app side uses only the contract side's
 * placeholders; 1: the contract side is malformed; 2: the app side names a
 * placeholder the contract side lacks; 3: the app side is malformed; 4:
 * the app side lacks one of the contract side's. */
static int placeholders_ok(const char *contract, const char *app, bool *pattern)
{
	const char *cn[SLOTS_MAX], *an[SLOTS_MAX];
	size_t cl[SLOTS_MAX], al[SLOTS_MAX], nc, na, i, j;

	if (placeholder_names(contract, cn, cl, &nc))
		return 1;
	if (placeholder_names(app, an, al, &na))
		return 3;
	for (i = 0; i < na; i++) {
		for (j = 0; j < nc; j++)
			if (al[i] == cl[j] && !strncmp(an[i], cn[j], al[i]))
				break;
		if (j == nc)
			return 2;
	}
	/* Mapping back needs the contract side's placeholders from the app side. */
	for (j = 0; j < nc; j++) {
		for (i = 0; i < na; i++)
			if (al[i] == cl[j] && !strncmp(an[i], cn[j], al[i]))
				break;
		if (i == na)
			return 4;
	}
	*pattern = nc > 0;
	return 0;
}

bool routes_line_ok(const char *contract, const char *app)
{
	bool pattern;

	return path_ok(contract) && path_ok(app) && placeholders_ok(contract, app, &pattern) == 0;
}

#define BAD(node, ...)                                                              \
	do {                                                                        \
		yamlx_add_pos(diagnosis, ROUTES_FILE, (node));                      \
		gbuf_addf(diagnosis, __VA_ARGS__);                                  \
		rc = 1;                                                             \
		goto done;                                                          \
	} while (0)

/* grader.yaml's text as a YAML document: 0; 1 not YAML, `diagnosis` says
 * where ("grader.yaml:3:5: ..."); -1. */
static int routes_yaml(const struct gbuf *text, yaml_document_t *doc, struct gbuf *diagnosis)
{
	struct yamlx_problem pb;
	int rc = yamlx_load(gbuf_str(text), text->len, doc, &pb);

	if (rc == 1)
		gbuf_addf(diagnosis, ROUTES_FILE ":%zu:%zu: %s", pb.line, pb.column,
			  pb.problem ? pb.problem : "not valid YAML");
	return rc;
}

static int parse_routes(const struct gbuf *text, struct routes **out, struct gbuf *diagnosis)
{
	yaml_document_t doc;
	bool have_doc = false;
	struct routes *r = NULL;
	yaml_node_t *root, *map, *k, *v;
	yaml_node_pair_t *p;
	struct route *rt;
	size_t klen;
	int rc;

	rc = routes_yaml(text, &doc, diagnosis);
	if (rc != 0)
		return rc;
	rc = -1;
	have_doc = true;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		rc = 0;   /* an empty file maps nothing */
		goto done;
	}
	if (root->type != YAML_MAPPING_NODE)
		BAD(root, "expected a mapping with a 'routes' key");
	map = yamlx_map_get(&doc, root, "routes", NULL);
	if (!map) {
		rc = 0;
		goto done;
	}
	if (map->type != YAML_MAPPING_NODE)
		BAD(map, "expected 'routes' to map contract paths to your paths, e.g. /tickets/: /support/");
	r = calloc(1, sizeof(*r));
	if (!r || !(r->v = calloc(ROUTES_MAX, sizeof(*r->v)))) {
		err_set("out of memory");
		goto done;
	}
	YAMLX_FOR_PAIRS(&doc, map, p, k, v) {
		if (r->n == ROUTES_MAX)
			BAD(k, "more than %d routes", ROUTES_MAX);
		if (k->type != YAML_SCALAR_NODE || !path_ok((const char *)k->data.scalar.value))
			BAD(k, "expected a path of the challenge starting with '/'");
		if (v->type != YAML_SCALAR_NODE || !path_ok((const char *)v->data.scalar.value))
			BAD(v, "expected your app's path starting with '/', with no spaces");
		rt = &r->v[r->n];
		rt->contract = strdup((const char *)k->data.scalar.value);
		rt->app = strdup((const char *)v->data.scalar.value);
		r->n++;
		if (!rt->contract || !rt->app) {
			err_set("out of memory");
			goto done;
		}
		klen = strlen(rt->contract);
		if (klen > 1 && rt->contract[klen - 1] == '$')
			rt->exact = true;
		if (strchr(rt->contract, '$') && !(rt->exact && strchr(rt->contract, '$') == rt->contract + klen - 1))
			BAD(k, "found '$' inside the path; expected it only at the end (this path exactly)");
		if (strchr(rt->app, '$'))
			BAD(v, "found '$' in your app's path; expected it only at the end of the challenge's path (exact match)");
		switch (placeholders_ok(rt->contract, rt->app, &rt->pattern)) {
		case 1:
			BAD(k, "expected placeholders written {name} (letters, digits, '_'), at most %d, each a whole path segment", SLOTS_MAX);
		case 2:
			/* A slug for an id (h441): the page must be served
			 * at its id too, which no line can make up. */
			BAD(v, "found a placeholder that the challenge's path '%s' does not have%s", rt->contract,
			    strstr(rt->app, "{slug}") && strstr(rt->contract, "{id}")
				    ? " ({slug} cannot stand for {id}: a line maps the same placeholders, so the "
				      "app must serve the page at its id as well)"
				    : "");
		case 3:
			BAD(v, "expected placeholders written {name}, each a whole path segment, and the same ones as '%s'", rt->contract);
		case 4:
			/* Said of the side that lacks it (h660: "a placeholder
			 * the challenge's path does not have" for an app path
			 * that had dropped {id}). */
			BAD(v, "found no placeholder for one the challenge's path '%s' has: your app's path needs the same "
			       "ones, {id} where it has {id}", rt->contract);
		default:
			break;
		}
	}
	*out = r;
	r = NULL;
	rc = 0;
done:
	routes_free(r);
	if (have_doc)
		yaml_document_delete(&doc);
	return rc;
}

/* A project folder as grader.yaml may name it: relative, segments of
 * letters, digits, '.', '_', '-', none of them "." or "..", at most six. */
static bool project_ok(const char *s)
{
	size_t seg = 0, dots = 0, n = 1;

	if (!*s || *s == '/' || strlen(s) > 255)
		return false;
	for (; *s; s++) {
		if (*s == '/') {
			if (!seg || dots == seg || ++n > 6)
				return false;
			seg = dots = 0;
			continue;
		}
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' && *s != '-')
			return false;
		seg++;
		dots += *s == '.';
	}
	return seg && dots != seg;
}

int routes_project(const char *checkout, char **project, struct gbuf *diagnosis)
{
	struct gbuf text = GBUF_INIT(ROUTES_FILE_MAX + 1);
	yaml_document_t doc;
	bool have_doc = false;
	yaml_node_t *root, *v;
	int rc;

	*project = NULL;
	rc = read_routes_file(checkout, &text, diagnosis);
	if (rc != 0) {
		rc = rc == 1 ? 0 : rc == 2 ? 1 : rc;
		goto done;
	}
	rc = routes_yaml(&text, &doc, diagnosis);
	if (rc != 0)
		goto done;
	have_doc = true;
	root = yaml_document_get_root_node(&doc);
	v = root && root->type == YAML_MAPPING_NODE ? yamlx_map_get(&doc, root, "project", NULL) : NULL;
	if (!v)
		goto done;   /* rc 0; the rest of the file is parse_routes's */
	if (v->type == YAML_SCALAR_NODE && !(*project = strdup((const char *)v->data.scalar.value))) {
		rc = err_set("out of memory");
		goto done;
	}
	/* A trailing '/' names the same folder, and so does a leading "./"
	 * (h708: "./services/web" was refused); "." alone is the root, where
	 * manage.py is looked for anyway. */
	if (*project && **project && (*project)[strlen(*project) - 1] == '/')
		(*project)[strlen(*project) - 1] = '\0';
	while (*project && !strncmp(*project, "./", 2))
		memmove(*project, *project + 2, strlen(*project + 2) + 1);
	if (*project && !strcmp(*project, ".")) {
		free(*project);
		*project = NULL;
		goto done;   /* rc 0 */
	}
	if (!*project || !project_ok(*project)) {
		free(*project);
		*project = NULL;
		yamlx_add_pos(diagnosis, ROUTES_FILE, v);
		gbuf_adds(diagnosis, "expected 'project' to name the folder holding manage.py, relative to the "
				     "repository's root, such as capstone or projects/shop");
		rc = 1;
	}
done:
	if (have_doc)
		yaml_document_delete(&doc);
	gbuf_release(&text);
	return rc;
}

int routes_load(const char *checkout, const char *project_dir, struct routes **out, struct gbuf *diagnosis)
{
	struct gbuf text = GBUF_INIT(ROUTES_FILE_MAX + 1);
	int rc;

	*out = NULL;
	/* Beside manage.py first: that is where the student's project lives. */
	rc = read_routes_file(project_dir, &text, diagnosis);
	if (rc == 1 && strcmp(project_dir, checkout) != 0)
		rc = read_routes_file(checkout, &text, diagnosis);
	if (rc == 1)
		rc = 0;        /* no grader.yaml: nothing to map */
	else if (rc == 2)
		rc = 1;
	else if (rc == 0)
		rc = parse_routes(&text, out, diagnosis);
	gbuf_release(&text);
	return rc;
}

/* Path segment placeholders: "{name}" stands for one non-empty segment. */

struct slot {
	const char *name;   /* in the pattern, after '{' */
	size_t nlen;
	const char *val;    /* in the path */
	size_t vlen;
};

/*
 * Match `path` (up to `plen`, no query) against `from`. Exact routes match
 * the whole path; patterns and prefixes match a leading part (a pattern
 * only up to a '/' it ends with, or the whole path). Returns the number of
 * path bytes consumed, or -1 when it does not match.
 */
static long route_match(const struct route *rt, const char *from, const char *path, size_t plen,
			struct slot *slots, size_t *nslots)
{
	const char *f = from, *p = path, *end = path + plen;

	*nslots = 0;
	while (*f && !(rt->exact && f[0] == '$' && !f[1])) {
		if (*f == '{') {
			const char *close = strchr(f, '}');
			const char *q = p;

			if (!close || *nslots == SLOTS_MAX)
				return -1;
			while (q < end && *q != '/')
				q++;
			if (q == p)
				return -1;
			slots[*nslots].name = f + 1;
			slots[*nslots].nlen = (size_t)(close - f - 1);
			slots[*nslots].val = p;
			slots[*nslots].vlen = (size_t)(q - p);
			(*nslots)++;
			f = close + 1;
			p = q;
			continue;
		}
		if (p == end || *p != *f)
			return -1;
		f++;
		p++;
	}
	if (rt->exact && p != end)
		return -1;
	/* A pattern not ending in '/' must match a whole segment. */
	if (rt->pattern && p != end && p[-1] != '/' && *p != '/')
		return -1;
	return (long)(p - path);
}

/* Write `to` with its placeholders replaced by the matched segments. */
static int route_expand(const char *to, const struct slot *slots, size_t nslots, struct gbuf *out)
{
	const char *t = to;
	size_t i;

	while (*t && !(t[0] == '$' && !t[1])) {
		const char *close;

		if (*t != '{' || !(close = strchr(t, '}'))) {
			if (gbuf_addch(out, *t++) < 0)
				return -1;
			continue;
		}
		for (i = 0; i < nslots; i++)
			if (slots[i].nlen == (size_t)(close - t - 1) && !strncmp(slots[i].name, t + 1, slots[i].nlen))
				break;
		/* The loader made sure every placeholder of `to` is in `from`. */
		if (i < nslots ? gbuf_add(out, slots[i].val, slots[i].vlen) < 0 : gbuf_add(out, t, (size_t)(close + 1 - t)) < 0)
			return -1;
		t = close + 1;
	}
	return 0;
}

/*
 * The best route for `path`: an exact route first, else the one that
 * consumes the most of the path (a literal prefix before a pattern of the
 * same length). Mapping back (to_app false), a prefix route whose app side is
 * "/" applies to "/" itself only: everything the app serves starts with
 * "/", and a login redirect must not come back as /tickets/accounts/login/.
 */
/*
 * Whether an app path under a prefix mapped to "/" is one of the moved
 * folder's items, which maps back through it: its first segment an id
 * (digits, or a UUID's 36 hex digits and dashes) or "new", as the
 * challenges' /recipes/{id}/, /tickets/new/ are (h938: "/recipes/: /",
 * the recipe's /3/ read as itself, 35 lost). Any other path under "/"
 * (/accounts/login/, /media/..., /dashboard/) is the app's as it is.
 */
static bool item_under_root(const char *path, size_t plen)
{
	const char *seg = path + 1;
	size_t n = plen > 1 ? strcspn(seg, "/?#") : 0, i, hex = 0;

	if (path[0] != '/' || !n || seg[n] != '/')
		return false;
	if (n == 3 && !strncmp(seg, "new", 3))
		return true;
	for (i = 0; i < n && (isdigit((unsigned char)seg[i]) || (n == 36 && (isxdigit((unsigned char)seg[i]) ||
								 seg[i] == '-'))); i++)
		hex += seg[i] != '-';
	return i == n && (hex == n || (n == 36 && hex == 32));
}

/*
 * The rest of a mapped path after its mapped part, one '/' between them
 * where a side without the trailing slash meets a page beneath it (h1204:
 * the app's /tickets/1/tck-0001 under "/tickets/{id}/: /tickets/{id}"
 * was /tickets/1//tck-0001 back; /tickets/1/tck-0001/ would have gone
 * forward as /tickets/1tck-0001/).
 */
static int slash_joined(struct gbuf *out, const char *rest)
{
	bool ends = out->len && out->data[out->len - 1] == '/';

	if (ends && *rest == '/')
		rest++;
	else if (!ends && out->len && *rest && !strchr("/?#", *rest) && gbuf_addch(out, '/') < 0)
		return -1;
	return gbuf_adds(out, rest);
}

/* Whether a route's side ends in '/' (before a '$'). */
static bool ends_slash(const char *side)
{
	size_t n = strcspn(side, "$");

	return n && side[n - 1] == '/';
}

/* A '/' at the end of out's path (before its query), where what was
 * added from `start` on has none. 0, or -1. */
static int slash_ended(struct gbuf *out, size_t start)
{
	size_t q = start + strcspn(out->data + start, "?#");
	char *rest;
	int rc;

	if (q == start || out->data[q - 1] == '/')
		return 0;
	rest = strdup(out->data + q);
	if (!rest)
		return err_set("out of memory");
	out->len = q;
	rc = gbuf_addch(out, '/') < 0 || gbuf_adds(out, rest) < 0 ? -1 : 0;
	free(rest);
	return rc;
}

/* ... and none, where what was added from `start` on ends with one. */
static int slash_dropped(struct gbuf *out, size_t start)
{
	size_t q = start + strcspn(out->data + start, "?#");

	if (q == start || out->data[q - 1] != '/')
		return 0;
	memmove(out->data + q - 1, out->data + q, out->len - q + 1);
	out->len--;
	return 0;
}

static int map_path(const struct routes *r, const char *path, bool to_app, struct gbuf *out)
{
	const struct route *best = NULL;
	struct slot slots[SLOTS_MAX], best_slots[SLOTS_MAX];
	size_t i, nslots = 0, best_nslots = 0, plen = strcspn(path, "?#");
	long best_len = -1, n;
	size_t start;
	int best_rank = -1, rank;

	for (i = 0; r && i < r->n; i++) {
		const struct route *rt = &r->v[i];
		const char *from = to_app ? rt->contract : rt->app;

		if (!to_app && !rt->exact && !rt->pattern && !strcmp(from, "/") && plen != 1 &&
		    !item_under_root(path, plen))
			continue;
		n = route_match(rt, from, path, plen, slots, &nslots);
		if (n < 0)
			continue;
		/* Exact first; else the longest match, a literal path before a
		 * pattern that matched as much (/tickets/new/ over /tickets/{id}/). */
		rank = rt->exact ? 2 : rt->pattern ? 0 : 1;
		if (rank == 2 ? best_rank < 2 : (best_rank < 2 && (n > best_len || (n == best_len && rank > best_rank)))) {
			best = rt;
			best_len = n;
			best_rank = rank;
			memcpy(best_slots, slots, sizeof(slots));
			best_nslots = nslots;
		}
	}
	if (!best)
		return gbuf_adds(out, path);
	if (route_expand(to_app ? best->app : best->contract, best_slots, best_nslots, out) < 0)
		return -1;
	start = out->len;
	if (slash_joined(out, path + best_len) < 0)
		return -1;
	/* A page beneath one the app serves without the slash the
	 * challenge's have: back, as the challenge writes it, with it
	 * (/tickets/1/tck-0001 is /tickets/1/tck-0001/, h1204); forward, as
	 * the app serves it, without. Only beneath an object's page (a
	 * pattern): a folder moved without its slash ("/api/: /api/v1")
	 * still has its pages' slashes. */
	if (!best->pattern || !ends_slash(best->contract) || ends_slash(best->app))
		return 0;
	return to_app ? slash_dropped(out, start) : slash_ended(out, start);
}

int routes_to_app(const struct routes *r, const char *path, struct gbuf *out)
{
	return map_path(r, path, true, out);
}

/*
 * Mapping back, whether `path` is a contract path the app serves as it is:
 * it maps forward to itself, under a folder the routes name on their
 * contract side. With "/tickets/{id}/status/: /tickets/{id}/" (a status
 * form posting to the ticket's own page), the app's /tickets/1/ is reached
 * from two contract paths, and the one the student did not move is the
 * page itself, not /tickets/1/status/. A path under a moved folder
 * (/support/5/ beside "/tickets/: /support/") is not a contract path, nor
 * is one without the trailing slash every page of the challenges has
 * (the app's /tickets/1 beside "/tickets/{id}/: /tickets/{id}", a project
 * whose URLs end without one: it is the ticket's page /tickets/1/). 1
 * yes, 0 no, -1 error.
 */
static int served_as_is(const struct routes *r, const char *path)
{
	struct gbuf fwd = GBUF_INIT(4096);
	size_t i, len, plen = strcspn(path, "?#");
	bool under = false;
	int rc = -1;

	if (!plen || path[plen - 1] != '/') {
		rc = 0;
		goto done;
	}
	for (i = 0; r && i < r->n && !under; i++) {
		len = strcspn(r->v[i].contract, "{$");
		under = len > 1 && len <= plen && !strncmp(path, r->v[i].contract, len);
	}
	if (!under) {
		rc = 0;
		goto done;
	}
	if (map_path(r, path, true, &fwd) < 0)
		goto done;
	rc = strcspn(gbuf_str(&fwd), "?#") == plen && !strncmp(gbuf_str(&fwd), path, plen);
done:
	gbuf_release(&fwd);
	return rc;
}

int routes_to_contract(const struct routes *r, const char *path, struct gbuf *out)
{
	int as_is = served_as_is(r, path);

	if (as_is < 0)
		return -1;
	return as_is ? gbuf_adds(out, path) : map_path(r, path, false, out);
}

/* Whether rel (below dir) is a regular file, not followed if a link. */
static bool routes_has_file(const char *dir, const char *rel)
{
	char path[4096];
	struct stat st;

	return snprintf(path, sizeof(path), "%s/%s", dir, rel) < (int)sizeof(path) && lstat(path, &st) == 0 &&
	       S_ISREG(st.st_mode);
}

/* See routes.h. The file routes_load() reads, read again: only when a
 * grade has one, a few hundred bytes. */
bool routes_unread_keys(const char *checkout, const char *project_dir, char *found, size_t cap)
{
	struct gbuf text = GBUF_INIT(ROUTES_FILE_MAX + 1), none = GBUF_INIT(256);
	yaml_document_t doc;
	yaml_node_t *root, *k, *v;
	yaml_node_pair_t *p;
	bool have_doc = false;
	size_t n = 0;
	int rc;

	found[0] = '\0';
	rc = read_routes_file(project_dir, &text, &none);
	if (rc == 1 && strcmp(project_dir, checkout) != 0)
		rc = read_routes_file(checkout, &text, &none);
	if (rc == 0 && routes_yaml(&text, &doc, &none) == 0)
		have_doc = true;
	root = have_doc ? yaml_document_get_root_node(&doc) : NULL;
	if (root && root->type == YAML_MAPPING_NODE) {
		YAMLX_FOR_PAIRS(&doc, root, p, k, v) {
			const char *key = k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : NULL;
			size_t len = strlen(found);

			(void)v;
			if (!key || !strcmp(key, "routes") || !strcmp(key, "project") || n == 3)
				continue;
			snprintf(found + len, cap - len, "%s'%.40s'", n ? ", " : "", key);
			n++;
		}
	}
	if (have_doc)
		yaml_document_delete(&doc);
	gbuf_release(&text);
	gbuf_release(&none);
	err_clear();
	return found[0] != '\0';
}

/* See routes.h. Best effort: an unreadable folder holds none. */
bool routes_misplaced(const char *checkout, const char *project_dir, char *found, size_t cap)
{
	static const char *const spellings[] = { "grader.yml", ".grader.yaml", ".grader.yml", "Grader.yaml",
						  "grader.yaml.txt", "grader.YAML" };
	const char *dirs[2] = { project_dir, checkout };
	const char *rel = project_dir + strlen(checkout);
	struct dirent *de;
	struct stat st;
	char sub[4096];
	size_t d, i, seen = 0;
	DIR *dh;

	found[0] = '\0';
	rel += *rel == '/';
	for (d = 0; d < 2 && !found[0]; d++)
		for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]) && !found[0]; i++)
			if (routes_has_file(dirs[d], spellings[i]))
				snprintf(found, cap, "%s%s%s", d == 0 ? rel : "", d == 0 && *rel ? "/" : "",
					 spellings[i]);
	dh = found[0] ? NULL : opendir(project_dir);
	/* The checkout is untrusted: its folders are looked at so far (like
	 * env_discover's walk), never followed through a link. */
	while (dh && seen++ < 4096 && !found[0] && (de = readdir(dh))) {
		if (de->d_name[0] == '.' ||
		    snprintf(sub, sizeof(sub), "%s/%s", project_dir, de->d_name) >= (int)sizeof(sub) ||
		    lstat(sub, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		if (routes_has_file(sub, "grader.yaml") || routes_has_file(sub, "grader.yml"))
			snprintf(found, cap, "%s%s%.100s/grader.y%sml", rel, *rel ? "/" : "", de->d_name,
				 routes_has_file(sub, "grader.yaml") ? "a" : "");
	}
	if (dh)
		closedir(dh);
	return found[0] != '\0';
}

int routes_served_match(const char *served, const char *path)
{
	char glob[256];
	const char *p, *c;
	size_t o = 0;
	int rc = -1;

	for (p = served; *p && o + 2 < sizeof(glob); p++) {
		if (strchr("*?[]()|+\\^$", *p))
			goto done;
		if (*p == '{') {
			/* At least one character: /api/products/{pk} does not
			 * route /api/products/ (h244). */
			if (!(c = strchr(p, '}')) || o + 3 >= sizeof(glob))
				goto done;
			glob[o++] = '?';
			glob[o++] = '*';
			p = c;
		} else {
			glob[o++] = *p;
		}
	}
	if (*p)
		goto done;
	glob[o] = '\0';
	rc = !fnmatch(glob, path, o && glob[o - 1] == '*' ? 0 : FNM_PATHNAME);
done:
	return rc;
}

/* Whether a segment a redirect added ("/en", "/pt-br", "/zh-hans") reads
 * as a language code, as i18n_patterns writes them: its hint then names
 * the setting that removes it, the fix a student of i18n looks for
 * (h351), before the grader.yaml lines that map around it. */
bool routes_is_lang_prefix(const char *seg)
{
	static const char lower[] = "abcdefghijklmnopqrstuvwxyz", alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	size_t n = seg[0] == '/' ? strspn(seg + 1, lower) : 0, m = 0;

	if (n >= 2 && n <= 3 && seg[1 + n] == '-')
		m = strspn(seg + 2 + n, alnum);
	return n >= 2 && n <= 3 && (!seg[1 + n] || (m >= 2 && m <= 8 && !seg[2 + n + m]));
}
