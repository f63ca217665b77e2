/*
 * causes.c - root causes shared by failed checks; see causes.h.
 *
 * Five kinds, in this order of precedence for a check:
 *   - a create earlier in the check did not keep a number it was sent
 *     (check_result.unkept: "POST /api/products/ answered stock 0 for
 *     the 5 sent"), which what failed after it counted on;
 *   - the app logged the same exception ("(the app logged: X)");
 *   - the app answered 429, whatever the request: its throttling (DRF's
 *     DEFAULT_THROTTLE_RATES) refused the grader's requests, and which
 *     check meets the limit first depends only on how many came before;
 *   - requests under the same first path segment answered 404;
 *   - the same request (method, path with ids as {id}) got the same answer
 *     (status and the evidence quoted after it).
 * Only causes shared by two checks or more are kept, and 429s whatever
 * their number: one check's failure is already said in its own line.
 */
#include "causes.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "query.h"
#include "routes.h"
#include "vec.h"

#define CAUSE_TEXT_MAX 220
/* Missing from MIDDLEWARE (MIDDLEWARE_CLASSES, h240), or listed after a
 * middleware of the app's own that reads what they set (h415). */
#define PYDANTIC_HINT " (pydantic's refusal, uncaught: answer it with a 400, raising serializers.ValidationError)"
#define MIDDLEWARE_HINT                                                                                \
	" (Session and AuthenticationMiddleware set it: in MIDDLEWARE, before the app's own middleware that " \
	"reads it; MIDDLEWARE_CLASSES is ignored)"
#define CAUSES_MAX 8
#define GROUPS_MAX 64
#define MOVED_MAX 8

/* ", GET ": a refused form said before the request that then failed
 * ("after POST /recipes/new/ as alice answered 200 with the form's errors
 * {...}, GET /recipes/ as ...", engine.c's refused_form), the same
 * answer as the checks that failed on that POST itself; " — ", its
 * advice after it, where no request followed (a step reading a value). */
static const char *const ANSWER_ENDS[] = { "; expected", "; the answer:", " (the grader ", " (DRF lists no valid",
					     " (the check sends ",
					     " (a file was sent", " (the form got no file", " (the app logged: ", " (sent: ",
					     ", GET ", ", POST ", " \xE2\x80\x94 " };
static const char *const METHODS[] = { "GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "HEAD ", "OPTIONS ", NULL };

/*
 * An answer said in a check's own words, its body after them ("400; its
 * 400 refuses every order alike (...) (the answer: {...})", query.c's
 * describe_said), as the status and the body alone ("400 {...}"): the
 * same answer another check quotes plainly, one cause (h1171: a required
 * shipping_address said as two).
 */
static bool rest_described(char *rest)
{
	char *said = strstr(rest, " (the answer: "), *close;
	size_t digits = strspn(rest, "0123456789");

	if (digits != 3 || strncmp(rest + 3, "; ", 2) || !said)
		return false;
	close = strrchr(said, ')');
	if (!close || close[1])
		return false;
	*close = '\0';
	memmove(rest + 4, said + 14, strlen(said + 14) + 1);
	rest[3] = ' ';
	return true;
}

/* The first request a message reports. */
struct exchange {
	char method[8];
	char path[256];      /* ids as {id}, no query */
	long status;         /* 0: no answer */
	char rest[256];      /* "400 {...}" up to "; expected" or "; the answer:" */
	char logged[160];    /* "(the app logged: X)" */
	char hint[200];      /* "(the grader sent ...)", what the grader says of the answer */
	bool described;      /* rest made from a check's own words (rest_described) */
};

/* "/api/products/12/?x" -> "/api/products/{id}/". */
static void path_normalize(const char *p, size_t n, char *out, size_t cap)
{
	size_t i = 0, o = 0;

	while (i < n && p[i] != '?' && p[i] != '#' && o + 5 < cap) {
		if (isdigit((unsigned char)p[i]) && (i == 0 || p[i - 1] == '/')) {
			size_t j = i;

			while (j < n && isdigit((unsigned char)p[j]))
				j++;
			if (j == n || p[j] == '/' || p[j] == '?') {
				memcpy(out + o, "{id}", 4);
				o += 4;
				i = j;
				continue;
			}
		}
		out[o++] = p[i++];
	}
	out[o] = '\0';
}

/* The values the grader made up for an API's own required fields
 * ("sample-1a2b3c4d-3", numbered through the run) as one, so the same
 * refusal of them in each check is one answer (h131). In place. */
static void rest_unnumber(char *s)
{
	char *p = s, *q;
	size_t h;

	while ((p = strstr(p, "sample-")) != NULL) {
		q = p + 7;
		for (h = 0; h < 8 && isxdigit((unsigned char)q[h]); h++)
			;
		if (h == 8 && q[8] == '-' && isdigit((unsigned char)q[9])) {
			size_t d = strspn(q + 9, "0123456789");

			/* "sample-1a2b3c4d-3" becomes "sample-N" */
			q[0] = 'N';
			memmove(q + 1, q + 9 + d, strlen(q + 9 + d) + 1);
		}
		p = q;
	}
}

static bool parse_exchange(const char *msg, struct exchange *x)
{
	const char *best = NULL, *m, *sp, *as, *ans, *end, *lg;
	size_t i, ml = 0;

	memset(x, 0, sizeof(*x));
	if (!msg)
		return false;
	for (i = 0; METHODS[i]; i++) {
		const char *hit = msg;

		while ((hit = strstr(hit, METHODS[i])) != NULL) {
			size_t l = strlen(METHODS[i]);

			if (hit[l] == '/' && (hit == msg || hit[-1] == ' ' || hit[-1] == '(')) {
				if (!best || hit < best) {
					best = hit;
					ml = l;
				}
				break;
			}
			hit += l;
		}
	}
	if (!best)
		return false;
	m = best + ml;
	sp = strchr(m, ' ');
	if (!sp || strncmp(sp, " as ", 4))
		return false;
	memcpy(x->method, best, ml - 1);
	path_normalize(m, (size_t)(sp - m), x->path, sizeof(x->path));
	as = sp + 4;
	ans = strstr(as, " answered ");
	if (ans && (size_t)(ans - as) < 80) {
		x->status = strtol(ans + 10, NULL, 10);
		/* The answer ends where the message goes on to what differs
		 * from check to check (engine.c): what was expected, the body
		 * of an answer lacking a value later steps need, the fields the
		 * grader filled, the upload hint (cut at a different place in
		 * each message), the app's log. */
		end = ans + 10 + strlen(ans + 10);
		for (i = 0; i < sizeof(ANSWER_ENDS) / sizeof(ANSWER_ENDS[0]); i++) {
			const char *cut = strstr(ans + 10, ANSWER_ENDS[i]);

			if (cut && cut < end)
				end = cut;
		}
		snprintf(x->rest, sizeof(x->rest), "%.*s", (int)(end - (ans + 10)), ans + 10);
		x->described = rest_described(x->rest);
		rest_unnumber(x->rest);
		/* The grader's reading of the answer, right after it: said
		 * with the cause when every check of it says the same. */
		if (!strncmp(end, " (the grader ", 13) || !strncmp(end, " (the check sends ", 18)) {
			/* Its own closing parenthesis, past any it holds:
			 * "(... a related object (make it optional, or give
			 * it a default))" lost its last one (h388). */
			const char *close = NULL, *p;
			int depth = 0;

			for (p = end + 1; *p && !close; p++) {
				if (*p == '(')
					depth++;
				else if (*p == ')' && --depth == 0)
					close = p;
			}
			if (close && close - end < (ptrdiff_t)sizeof(x->hint))
				snprintf(x->hint, sizeof(x->hint), "%.*s", (int)(close + 1 - end), end);
		}
	}
	lg = strstr(msg, "(the app logged: ");
	if (lg) {
		/* Its closing parenthesis is the one the message goes on after
		 * ("; expected", " (", " —") or ends with: the exception's own
		 * text may hold some, and so may what follows ("(3xx)"). */
		const char *close = strchr(lg, ')');

		while (close && close[1] && close[1] != ';' && strncmp(close + 1, " (", 2) &&
		       strncmp(close + 1, " \xE2\x80\x94", 4))
			close = strchr(close + 1, ')');
		lg += 17;
		snprintf(x->logged, sizeof(x->logged), "%.*s", close && close > lg ? (int)(close - lg) : (int)strlen(lg), lg);
	}
	return true;
}

struct group {
	char key[600];
	char text[CAUSE_TEXT_MAX + 16];
	char prefix[128];    /* 404 groups: "/tickets/" */
	/* Redirects adding one segment in front: "/recipes/" -> "/en/recipes/"
	 * (a grader.yaml line each), every path that moved under it. */
	char moved[MOVED_MAX][2][160];
	size_t nmoved;
	size_t idx[256];     /* check indexes */
	size_t n;
	char hint[200];      /* the members' exchange hint, when every one has the same */
	bool hint_mixed;
	bool described;      /* every exchange of it so far rest_described's */
	bool logged_fix;     /* a logged exception whose fix the table knows (logged_hint) */
	bool sure;           /* a cause said even of one check: its fix is certain (a shadowed path) */
};

/* One more exchange's hint (what the grader says of the answer) for its
 * group: kept while every check says the same; a check saying the answer
 * in its own words says no hint, and the others' stands (h1171). */
static void group_hint_merge(struct group *gr, const struct exchange *x)
{
	if (!gr->n || (gr->described && !gr->hint_mixed && x->hint[0]))
		snprintf(gr->hint, sizeof(gr->hint), "%s", x->hint);
	else if (gr->described && !gr->hint_mixed)
		;   /* the group's own hint, or none, stands */
	else if (strcmp(gr->hint, x->hint) && !(x->described && !x->hint[0]))
		gr->hint_mixed = true;
	gr->described = (!gr->n || gr->described) && x->described;
}

static struct group *group_get(struct group *g, size_t *ng, const char *key)
{
	size_t i;

	for (i = 0; i < *ng; i++)
		if (!strcmp(g[i].key, key))
			return &g[i];
	if (*ng == GROUPS_MAX)
		return NULL;
	memset(&g[*ng], 0, sizeof(g[*ng]));
	snprintf(g[*ng].key, sizeof(g[*ng].key), "%s", key);
	return &g[(*ng)++];
}

/* Whether `cut` is cut by the "\xE2\x80\xA6" of an excerpt (its first,
 * at the end or before a part the message added after it, as "(sent:
 * dish.png,...") and the other key goes on from what comes before it (at
 * least 24 bytes of it) with no cut of its own before it: one refusal
 * quoted to different lengths by checks that each sent another file
 * (h290). */
static bool key_cut_from(const char *cut, const char *other)
{
	const char *e = strstr(cut, "\xE2\x80\xA6"), *f = strstr(other, "\xE2\x80\xA6");
	size_t n = e ? (size_t)(e - cut) : 0, k = n, i;

	/* "{...}, …" or "{...}, GE…": the excerpt cut after a separator the
	 * whole one does not have, or inside the next request's method (h328,
	 * h336: the list's check quoted the refusal before its own GET). */
	while (k > 0 && isupper((unsigned char)cut[k - 1]))
		k--;
	if (k < n && k >= 2 && !strncmp(cut + k - 2, ", ", 2))
		n = k;
	/* Or inside what ends the answer ("...provided."}; expec…", h507: one
	 * refusal said as two causes). */
	for (i = 0; e && i < sizeof(ANSWER_ENDS) / sizeof(ANSWER_ENDS[0]); i++)
		for (k = strlen(ANSWER_ENDS[i]) - 1; k > 0; k--)
			if (n > k && !strncmp(cut + n - k, ANSWER_ENDS[i], k)) {
				n -= k;
				i = sizeof(ANSWER_ENDS) / sizeof(ANSWER_ENDS[0]) - 1;
				break;
			}
	while (n > 0 && (cut[n - 1] == ' ' || cut[n - 1] == ','))
		n--;
	return e && n > 24 && !strncmp(cut, other, n) && (!f || (size_t)(f - other) >= n);
}

/*
 * Whether two keys say the same but for numbers in the answer quoted after
 * the status ("R:POST /recipes/new/ 200 with the form's errors {...}"): an
 * app's refusal naming each file's size ("too large (8 KB, at most 5 KB)"
 * and "(9 KB, ...)", h328) is one refusal. The method, the path and the
 * status, up to the third space, must be the same.
 */
static bool key_same_but_numbers(const char *a, const char *b)
{
	int spaces = 0;
	bool same = true;

	while (*a && *a == *b && spaces < 3) {
		spaces += *a == ' ';
		a++;
		b++;
	}
	while (spaces == 3 && same && *a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			a += strspn(a, "0123456789");
			b += strspn(b, "0123456789");
		} else {
			same = *a++ == *b++;
		}
	}
	return spaces == 3 && same && !*a && !*b;
}

/*
 * group_get for an answer's evidence, which a message may have cut where
 * another's is whole: "(the form has no csrfmiddlewaretoken field: put
 * {% csrf_token…" in one check's message, the whole hint in four others'
 * (h236). A cut key joins the group whose key goes on from it; a whole key
 * joins a cut one's group and gives it its own key, and *fresh says the
 * group's text is to be written again from the whole one.
 */
static struct group *group_get_alike(struct group *g, size_t *ng, const char *key, bool *fresh)
{
	size_t i;

	*fresh = false;
	for (i = 0; i < *ng; i++) {
		if (key_cut_from(key, g[i].key) || key_same_but_numbers(key, g[i].key))
			return &g[i];
		if (key_cut_from(g[i].key, key)) {
			snprintf(g[i].key, sizeof(g[i].key), "%s", key);
			/* Said again only from a whole one: a longer key
			 * cut later may run into the next request. */
			*fresh = !strstr(key, "\xE2\x80\xA6");
			return &g[i];
		}
	}
	return group_get(g, ng, key);
}

/* The group's text, cut to CAUSE_TEXT_MAX bytes of valid UTF-8. */
static void group_text(struct group *gr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void group_text(struct group *gr, const char *fmt, ...)
{
	struct gbuf t = GBUF_INIT(4096), e = GBUF_INIT(CAUSE_TEXT_MAX + 16);
	va_list ap;
	char *line = NULL;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	if (line && gbuf_adds(&t, line) == 0 && gbuf_add_excerpt(&e, t.data, t.len, CAUSE_TEXT_MAX) == 0)
		snprintf(gr->text, sizeof(gr->text), "%s", gbuf_str(&e));
	free(line);
	gbuf_release(&t);
	gbuf_release(&e);
}

/* The first path segment with its slashes: "/tickets/", or "/" alone. */
static void first_segment(const char *path, char *out, size_t cap)
{
	const char *s = strchr(path + 1, '/');

	snprintf(out, cap, "%.*s", s ? (int)(s - path + 1) : (int)strlen(path), path);
}

/* ---- route suggestions --------------------------------------------------- */

/* Placeholders, whatever their names, compare equal: "{pk}" == "{id}". */
static void shape(const char *p, char *out, size_t cap)
{
	size_t o = 0;

	while (*p && o + 3 < cap) {
		if (*p == '{') {
			const char *c = strchr(p, '}');

			if (c) {
				memcpy(out + o, "{}", 2);
				o += 2;
				p = c + 1;
				continue;
			}
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
}

/* The challenge's paths under `prefix` as shapes of what follows it
 * ("new/", "{}/status/", ""): step URLs and form pages, a template being
 * a placeholder. */
/* Add the shape of `u` (a step URL, or a Location pattern such as
 * '^/tickets/\d+/$') after `prefix` to out, once. */
static void suffix_add(const char *u, const char *prefix, char out[][128], size_t cap, size_t *n)
{
	char norm[256], sh[128];
	const char *p = u;
	size_t o = 0, k, pl = strlen(prefix);

	if (*p == '^')
		p++;
	if (*p != '/')
		return;
	while (*p && *p != '?' && *p != '$' && o + 3 < sizeof(norm)) {
		if (!strncmp(p, "(?:[?#]", 7)) {
			break;   /* a query or a fragment may follow: the path ends here */
		} else if (!strncmp(p, "{{", 2) && strstr(p, "}}")) {
			memcpy(norm + o, "{}", 2);
			o += 2;
			p = strstr(p, "}}") + 2;
		} else if (!strncmp(p, "\\d+", 3) || !strncmp(p, "[0-9]+", 6)) {
			memcpy(norm + o, "{}", 2);
			o += 2;
			p += *p == '\\' ? 3 : 6;
		} else if (isdigit((unsigned char)*p) && o && norm[o - 1] == '/' &&
			   p[strspn(p, "0123456789")] == '/') {
			/* A literal id (/api/products/987654321/, the unknown
			 * product): an id's segment like any other. */
			memcpy(norm + o, "{}", 2);
			o += 2;
			p += strspn(p, "0123456789");
		} else if (*p == '(' && strchr(p, ')') && (strchr(p, ')')[1] == '/' || !strchr(p, ')')[1]) &&
			   o && norm[o - 1] == '/') {
			/* A whole segment in a group: an id of any form,
			 * '([0-9]+|[0-9a-fA-F-]{32,36})'. */
			memcpy(norm + o, "{}", 2);
			o += 2;
			p = strchr(p, ')') + 1;
		} else if (strchr("\\()[]*+|", *p)) {
			return;   /* a pattern beyond the simple id: not a path shape */
		} else {
			norm[o++] = *p++;
		}
	}
	norm[o] = '\0';
	if (strncmp(norm, prefix, pl))
		return;
	shape(norm + pl, sh, sizeof(sh));
	for (k = 0; k < *n && strcmp(out[k], sh); k++)
		;
	if (k == *n && *n < cap)
		snprintf(out[(*n)++], 128, "%s", sh);
}

static size_t contract_suffixes(const struct challenge *c, const char *prefix, char out[][128], size_t cap)
{
	size_t i, j, k, n = 0;

	/* The scored checks' paths: an advisory check's may be no page of the
	 * contract (debug-off's unknown address under /api/, which left two
	 * paths unmatched where one was, and lost a line, h478). */
	for (i = 0; c && i < c->nchecks; i++) {
		for (j = 0; !c->checks[i].advisory && j < c->checks[i].nsteps; j++) {
			const struct step *s = &c->checks[i].steps[j];
			const char *u = s->submit ? s->submit->page : s->url;

			if (u)
				suffix_add(u, prefix, out, cap, &n);
			/* Where the app must redirect: location matches '^/tickets/\d+/$'. */
			for (k = 0; k < s->nasserts; k++)
				if (s->asserts[k].query == Q_LOCATION && s->asserts[k].pred == P_MATCHES &&
				    cJSON_IsString(s->asserts[k].value))
					suffix_add(s->asserts[k].value->valuestring, prefix, out, cap, &n);
		}
	}
	return n;
}

/* Append "FROM: TO" to cs->routes, whose capacity is *cap (vec.h), unless
 * grader.yaml would refuse the line. */
static int add_route(struct cause *cs, size_t *cap, const char *from, const char *to)
{
	char *line = NULL;
	int rc = 0;

	if (!routes_line_ok(from, to))
		goto done;
	if (VEC_RESERVE(cs->routes, *cap, cs->nroutes + 1) < 0) {
		rc = -1;
		goto done;
	}
	if (asprintf(&line, "%s: %s", from, to) < 0) {
		rc = err_set("out of memory");
		goto done;
	}
	cs->routes[cs->nroutes++] = line;
done:
	return rc;
}

/* A shape ("products/{}/") with each placeholder named for a routes line:
 * {id}, then {id2}, {id3}... (the same names on both sides). */
static void shape_named(const char *sh, char *out, size_t cap)
{
	size_t o = 0;
	int n = 0;

	while (*sh && o + 8 < cap) {
		if (!strncmp(sh, "{}", 2)) {
			o += (size_t)snprintf(out + o, cap - o, n ? "{id%d}" : "{id}", n + 1);
			n++;
			sh += 2;
		} else {
			out[o++] = *sh++;
		}
	}
	out[o] = '\0';
}

/*
 * An app that serves the challenge's paths without their trailing slash
 * (a router made with trailing_slash=False, path("api/products", ...)):
 * for each challenge path prefix + want[k], target[k] is where the app
 * should have it ("" for none), and the app serves that shape with its
 * last '/' dropped, and not with it. A prefix line cannot say that, so one
 * line per path: exact for a literal path ("/api/products/$:
 * /api/products"), a pattern for one with an id. At least two paths, or
 * all of them, as for a moved prefix. 1 suggested, 0 not this case, -1
 * error.
 */
static int suggest_twins(const struct grade_result *r, const char *prefix, char want[][128],
			 char target[][256], size_t nwant, struct cause *cs, size_t *cap)
{
	const char *twin[32] = {NULL};
	size_t k, m, hits = 0, nreal = 0;
	int rc = 1;

	for (k = 0; k < nwant && k < 32; k++) {
		char sh[256];
		size_t fl = strlen(target[k]);
		bool slashed = false;

		if (!want[k][0] || !fl)
			continue;
		nreal++;
		if (fl < 2 || target[k][fl - 1] != '/')
			continue;
		for (m = 0; m < r->napp_paths; m++) {
			shape(r->app_paths[m], sh, sizeof(sh));
			if (!strcmp(sh, target[k]))
				slashed = true;
			else if (strlen(sh) == fl - 1 && !strncmp(sh, target[k], fl - 1) && !twin[k])
				twin[k] = r->app_paths[m];
		}
		if (slashed)
			twin[k] = NULL;
		if (twin[k])
			hits++;
	}
	if (!hits || (hits < 2 && hits < nreal))
		return 0;   /* not this case: too little evidence */
	for (k = 0; k < nwant && k < 32 && rc == 1; k++) {
		char from[300], sh[256], to[300];

		if (!twin[k])
			continue;
		snprintf(sh, sizeof(sh), "%.127s%.127s", prefix, want[k]);
		shape_named(sh, from, sizeof(from) - 1);
		if (!strchr(want[k], '{'))
			strcat(from, "$");
		shape(twin[k], sh, sizeof(sh));
		shape_named(sh, to, sizeof(to));
		if (add_route(cs, cap, from, to) < 0)
			rc = -1;
	}
	return rc;
}

/* The same paths, without their slash, under the same prefix. */
static int suggest_slashless(const struct grade_result *r, const char *prefix, char want[][128], size_t nwant,
			     struct cause *cs, size_t *cap)
{
	char target[32][256];
	size_t k;

	for (k = 0; k < nwant && k < 32; k++)
		snprintf(target[k], sizeof(target[k]), "%.127s%.127s", prefix, want[k]);
	return suggest_twins(r, prefix, want, target, nwant, cs, cap);
}

/* ...or under another folder of the app's (h425: /api/v1/products for
 * /api/products/, both the prefix and the slash moved, which neither the
 * folder search, comparing slashed shapes, nor the same-prefix twins
 * found): the folder with the most twins, at least two or all. */
static size_t best_folder(const struct grade_result *r, const char *prefix, char want[][128], size_t nwant,
			  bool slashless, char *best_q, char *tie_q);

static int suggest_moved_slashless(const struct grade_result *r, const char *prefix, char want[][128],
				   size_t nwant, struct cause *cs, size_t *cap)
{
	char target[32][256], best_q[128];
	size_t k, best, nreal = 0;

	for (k = 0; k < nwant && k < 32; k++)
		nreal += want[k][0] != '\0';
	best = best_folder(r, prefix, want, nwant, true, best_q, NULL);
	if (!best || (best < 2 && best < nreal))
		return 0;
	for (k = 0; k < nwant && k < 32; k++)
		snprintf(target[k], sizeof(target[k]), "%.127s%.127s", best_q, want[k]);
	return suggest_twins(r, prefix, want, target, nwant, cs, cap);
}

/* `path` (a challenge path shape) through grader.yaml's literal lines, as
 * routes_to_app maps a request: an exact line, else the longest prefix
 * line; "" when none maps it (a pattern line is left to the folder
 * search). */
static void route_target(const struct grade_result *r, const char *path, char *out, size_t cap)
{
	size_t i, best = 0, n;

	out[0] = '\0';
	for (i = 0; i < r->nroutes; i++) {
		const char *f = r->routes[i].from, *t = r->routes[i].to;

		n = strlen(f);
		if (!n || strchr(f, '{') || strchr(t, '{'))
			continue;
		if (f[n - 1] == '$') {
			if (strlen(path) == n - 1 && !strncmp(path, f, n - 1)) {
				snprintf(out, cap, "%s", t);
				return;
			}
		} else if (n > best && !strncmp(path, f, n)) {
			best = n;
			snprintf(out, cap, "%s%s", t, path + n);
		}
	}
}

/* Paths grader.yaml maps where the app serves them without their slash
 * (h425: "/api/: /api/v1/" over a router made with trailing_slash=False;
 * a prefix line keeps the slash, and every check answered 404 with no
 * word of why). */
static int suggest_mapped_slashless(const struct grade_result *r, const char *prefix, char want[][128],
				    size_t nwant, struct cause *cs, size_t *cap)
{
	char target[32][256];
	size_t k;

	for (k = 0; k < nwant && k < 32; k++) {
		char full[256];

		snprintf(full, sizeof(full), "%.127s%.127s", prefix, want[k]);
		route_target(r, full, target[k], sizeof(target[k]));
	}
	return suggest_twins(r, prefix, want, target, nwant, cs, cap);
}

/* The cause's text, with why its lines are what they are (per path, or one of
 * two folders alike) after it. 0 or -1. */
static int cause_why_add(struct cause *cs, const char *why)
{
	char *t = NULL;

	if (asprintf(&t, "%s: %s", cs->text, why) < 0)
		return err_set("out of memory");
	free(cs->text);
	cs->text = t;
	return 0;
}

/* Whether grader.yaml maps the challenge path shape `path` already: a line
 * ending in $ that path alone, any other line the paths it starts. */
static bool route_mapped(const struct grade_result *r, const char *path)
{
	char sh[256];
	size_t i, n;

	for (i = 0; i < r->nroutes; i++) {
		shape(r->routes[i].from, sh, sizeof(sh));
		n = strlen(sh);
		if (n && sh[n - 1] == '$' ? (strlen(path) == n - 1 && !strncmp(path, sh, n - 1))
					 : (n && !strncmp(path, sh, n)))
			return true;
	}
	return false;
}

/* The challenge's suffixes under `prefix` that grader.yaml does not map
 * yet, kept in order at the front of want; their count. *mapped says
 * whether any was left out (h291: the catalogue mapped under a name of
 * the app's own, only the orders left to find). */
static size_t unmapped_only(const struct grade_result *r, const char *prefix, char want[][128], size_t nwant,
			    bool *mapped)
{
	size_t k, i;

	for (k = 0, i = 0; k < nwant; k++) {
		char full[256];

		snprintf(full, sizeof(full), "%.127s%.127s", prefix, want[k]);
		if (route_mapped(r, full)) {
			*mapped = true;
			continue;
		}
		if (i != k)
			memcpy(want[i], want[k], sizeof(want[i]));
		i++;
	}
	return i;
}

/* Beside grader.yaml's own lines, one line per folder left, not a prefix
 * line over them all: "/api/orders/: /shop/v2/me/orders/". 0 or -1. */
static int add_folder_routes(struct cause *cs, size_t *cap, const char *prefix, const char *to_base,
			     char want[][128], size_t nwant)
{
	size_t k, i;

	for (k = 0; k < nwant; k++) {
		char seg[128], from[300], to[300];

		if (!want[k][0])
			continue;
		snprintf(seg, sizeof(seg), "%.*s", (int)strcspn(want[k], "/") + 1, want[k]);
		if (strchr(seg, '{'))
			continue;
		snprintf(from, sizeof(from), "%s%s", prefix, seg);
		snprintf(to, sizeof(to), "%s%s", to_base, seg);
		for (i = 0; i < cs->nroutes && strncmp(cs->routes[i], from, strlen(from)); i++)
			;
		if (i == cs->nroutes && add_route(cs, cap, from, to) < 0)
			return -1;
	}
	return 0;
}

/* The app folder (not `prefix`) under which the most of the challenge's
 * suffixes exist, the shorter on a tie, into best_q[128]: their count.
 * `slashless`: suffixes ending in '/' served there without it. tie_q[128]
 * (NULL: not asked) gets another folder as long that serves as many (two
 * versions of an API, /api/v2/ listed before /api/v1/, h1245), "" none. */
static size_t best_folder(const struct grade_result *r, const char *prefix, char want[][128], size_t nwant,
			  bool slashless, char *best_q, char *tie_q)
{
	size_t i, j, k, m, best = 0;

	best_q[0] = '\0';
	if (tie_q)
		tie_q[0] = '\0';
	for (i = 0; i < r->napp_paths; i++) {
		const char *a = r->app_paths[i];

		for (j = 1; a[j]; j++) {
			char q[128];
			size_t hits = 0;

			if (a[j - 1] != '/' || j >= sizeof(q))
				continue;
			snprintf(q, sizeof(q), "%.*s", (int)j, a);
			if (!strcmp(q, prefix))
				continue;
			/* How many challenge suffixes does the app have under q? */
			for (k = 0; k < nwant; k++) {
				size_t wl = strlen(want[k]);

				if (slashless && (wl < 2 || want[k][wl - 1] != '/'))
					continue;
				for (m = 0; m < r->napp_paths; m++) {
					char sh[256];

					if (strncmp(r->app_paths[m], q, j))
						continue;
					shape(r->app_paths[m] + j, sh, sizeof(sh));
					if (slashless ? strlen(sh) == wl - 1 && !strncmp(sh, want[k], wl - 1)
						      : !strcmp(sh, want[k]))
						break;
				}
				if (m < r->napp_paths)
					hits++;
			}
			if (hits > best || (hits == best && hits && strlen(q) < strlen(best_q))) {
				best = hits;
				snprintf(best_q, 128, "%s", q);
				if (tie_q)
					tie_q[0] = '\0';
			} else if (tie_q && hits && hits == best && strlen(q) == strlen(best_q) && strcmp(q, best_q)) {
				snprintf(tie_q, 128, "%s", q);
			}
		}
	}
	return best;
}

/* grader.yaml's prefix line for `prefix` sends every path to a folder the
 * app does not serve, while another holds them (h425: "/api/: /api/v2/"
 * for an app under /api/v1/, a typo said as no pattern matching and no
 * line suggested, where without grader.yaml "/api/: /api/v1/" was). 1
 * suggested, 0 not this case, -1 error. */
static int suggest_remapped(const struct grade_result *r, const char *prefix, char want[][128], size_t nwant,
			    struct cause *cs, size_t *cap)
{
	char target[256], best_q[128];
	size_t k, nreal = 0, best;
	char *t = NULL;

	route_target(r, prefix, target, sizeof(target));
	if (!target[0])
		return 0;
	for (k = 0; k < nwant; k++)
		nreal += want[k][0] != '\0';
	best = best_folder(r, prefix, want, nwant, false, best_q, NULL);
	if (!nreal || !best || (best < 2 && best < nreal) || !strcmp(best_q, target))
		return 0;
	if (add_route(cs, cap, prefix, best_q) < 0)
		return -1;
	if (asprintf(&t, "%s: grader.yaml sends them to %s, where the app serves none of them; it serves them "
		     "under %s", cs->text, target, best_q) < 0)
		return err_set("out of memory");
	free(cs->text);
	cs->text = t;
	return 1;
}

/* The group's example path ("(e.g. POST /api/products/)" in its text)
 * where the app serves it without its trailing slash, as one of its own
 * paths word for word: Django Ninja's routes, which have none unless
 * written with one (h983: its list routed "/api/products", every request
 * under /api/ said as no pattern matching). NULL else. */
static const char *slashless_example(const struct grade_result *r, const char *text)
{
	const char *e = strstr(text, "(e.g. "), *p, *end;
	size_t i, n;

	if (!e || !(p = strchr(e + 6, ' ')) || !(end = strchr(++p, ')')))
		return NULL;
	n = (size_t)(end - p);
	if (n < 3 || p[n - 1] != '/' || *p != '/')
		return NULL;
	for (i = 0; i < r->napp_paths; i++)
		if (strlen(r->app_paths[i]) == n - 1 && !strncmp(r->app_paths[i], p, n - 1))
			return r->app_paths[i];
	return NULL;
}

/* A 404 group's text, with what to do when no grader.yaml line could be
 * worked out: 0, or -1 (memory). */
static int said_unrouted(const struct grade_result *r, struct cause *cs)
{
	const char *bare = slashless_example(r, cs->text);
	char *t = NULL;
	int n;

	if (bare)
		n = asprintf(&t, "%s: the app serves %.80s without the trailing slash: end its patterns with '/', "
			     "as SPEC.md's paths end", cs->text, bare);
	else
		n = asprintf(&t, "%s: no URL pattern of the app matches them; if it serves them under other "
			     "names, map each in grader.yaml beside manage.py (routes:, SPEC.md)", cs->text);
	if (n < 0)
		return err_set("out of memory");
	free(cs->text);
	cs->text = t;
	return 0;
}

/*
 * Where does the app serve what the challenge has under `prefix`? Every
 * app path is split at each '/'; the app prefix under which the most of
 * the challenge's suffixes exist wins (at least two, or all of them). When
 * exactly one challenge suffix and one app suffix are left unmatched, they
 * are a pair too (/tickets/new/ -> /support/create/).
 */
static int suggest_routes(const struct grade_result *r, const struct challenge *c, const char *prefix,
			  struct cause *cs)
{
	char want[32][128], best_q[128] = "", tie_q[128] = "";
	size_t nwant = contract_suffixes(c, prefix, want, 32), i, k, best = 0, nreal = 0;
	size_t cap = cs->nroutes;   /* what holds them now: at least that many */
	int slashless;
	bool mapped = false;

	if (r->nroutes && r->napp_paths) {
		slashless = suggest_mapped_slashless(r, prefix, want, nwant, cs, &cap);
		if (slashless > 0 && cause_why_add(cs, "grader.yaml sends them to paths the app serves without "
						   "their trailing slash, which a prefix line keeps: one line "
						   "per path instead") < 0)
			return -1;
		if (slashless != 0)
			return slashless < 0 ? -1 : 0;
	}
	if (r->nroutes && r->napp_paths) {
		slashless = suggest_remapped(r, prefix, want, nwant, cs, &cap);
		if (slashless != 0)
			return slashless < 0 ? -1 : 0;
	}
	nwant = unmapped_only(r, prefix, want, nwant, &mapped);
	/* A group that is its prefix's own page alone (suffix "": the
	 * dashboard) has no evidence to give: "a page" exists under any
	 * folder of the app, so /dashboard/ would be "found" at "/" (a wrong
	 * line is worse than none: the student follows it). The own page
	 * still counts beside a path below it (/support/ and /support/{}/). */
	for (k = 0; k < nwant; k++)
		if (want[k][0])
			nreal++;
	if (!nreal || !r->napp_paths)
		return 0;
	slashless = suggest_slashless(r, prefix, want, nwant, cs, &cap);
	/* Said in words too: the lines alone do not say why (h276). */
	if (slashless > 0 && cause_why_add(cs, "the app serves these paths without their trailing slash (a "
					    "router made with trailing_slash=False?)") < 0)
		return -1;
	if (slashless != 0)
		return slashless < 0 ? -1 : 0;
	best = best_folder(r, prefix, want, nwant, false, best_q, tie_q);
	if (!best || (best < 2 && best < nwant)) {
		slashless = suggest_moved_slashless(r, prefix, want, nwant, cs, &cap);
		if (slashless > 0 && cause_why_add(cs, "the app serves these paths under another folder and "
						    "without their trailing slash, which a prefix line keeps: one "
						    "line per path") < 0)
			return -1;
		return slashless < 0 ? -1 : 0;
	}
	if (mapped)
		return add_folder_routes(cs, &cap, prefix, best_q, want, nwant);
	if (add_route(cs, &cap, prefix, best_q) < 0)
		return -1;
	/* Which of two is SPEC.md's the paths cannot say: its answers do. */
	if (tie_q[0]) {
		char why[300];

		snprintf(why, sizeof(why), "%s serves them too: map the one whose answers are SPEC.md's", tie_q);
		if (cause_why_add(cs, why) < 0)
			return -1;
	}
	{
		/* One unmatched on each side: map that pair too. */
		/* lone_app is below lone_base: the best folder, or "" for a
		 * whole path found elsewhere. */
		const char *lone_want = NULL, *lone_app = NULL, *lone_base = best_q;
		size_t nw = 0, na = 0, ql = strlen(best_q);

		for (k = 0; k < nwant; k++) {
			for (i = 0; i < r->napp_paths; i++) {
				char sh[256];

				if (strncmp(r->app_paths[i], best_q, ql))
					continue;
				shape(r->app_paths[i] + ql, sh, sizeof(sh));
				if (!strcmp(sh, want[k]))
					break;
			}
			if (i == r->napp_paths) {
				lone_want = want[k];
				nw++;
			}
		}
		for (i = 0; i < r->napp_paths; i++) {
			char sh[256];

			if (strncmp(r->app_paths[i], best_q, ql))
				continue;
			shape(r->app_paths[i] + ql, sh, sizeof(sh));
			for (k = 0; k < nwant && strcmp(sh, want[k]); k++)
				;
			/* Only literal paths pair up (a form's page, not an
			 * id's), and not the folder's own page (a router's
			 * API root, h243). */
			if (k == nwant && !strchr(sh, '{') && *sh) {
				lone_app = r->app_paths[i] + ql;
				na++;
			}
		}
		/* The unmatched one served under another folder, ending as it
		 * does, and only there (/api/checkout/orders/ for orders/,
		 * h243): that path, whatever is left under the best folder. */
		if (nw == 1 && !strchr(lone_want, '{')) {
			const char *elsewhere = NULL;
			size_t lw = strlen(lone_want), found = 0;

			for (i = 0; i < r->napp_paths; i++) {
				const char *a = r->app_paths[i];
				size_t al = strlen(a);

				if (!strncmp(a, best_q, ql) || al <= lw || strcmp(a + al - lw, lone_want) ||
				    a[al - lw - 1] != '/')
					continue;
				elsewhere = a;
				found++;
			}
			if (found == 1) {
				lone_app = elsewhere;
				na = 1;
				lone_base = "";
			}
		}
		if (nw == 1 && na == 1 && !strchr(lone_want, '{') && !strchr(lone_app, '{')) {
			char *from = NULL, *to = NULL;
			int rc = -1;

			if (asprintf(&from, "%s%s", prefix, lone_want) >= 0 &&
			    asprintf(&to, "%s%s", lone_base, lone_app) >= 0)
				rc = add_route(cs, &cap, from, to);
			else
				err_set("out of memory");
			free(from);
			free(to);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- grouping -------------------------------------------------------------- */

/* Whether the app declares a route of path's shape ("/tickets/{id}/" and
 * "/tickets/{pk}/"): a 404 there is its view's, not a missing route. */
static bool path_routed(const struct grade_result *r, const char *path)
{
	char want[256], have[256];
	size_t i;

	shape(path, want, sizeof(want));
	for (i = 0; i < r->napp_paths; i++) {
		shape(r->app_paths[i], have, sizeof(have));
		if (!strcmp(want, have))
			return true;
	}
	return false;
}

/* Whether a pattern's placeholders are all ids ({pk}, {id}, {recipe_id}),
 * which are most often int converters, matching no word such as "new"
 * (the boot's paths keep the names, not the converters). */
static bool pattern_ids_only(const char *pat)
{
	const char *o, *c;
	size_t n;

	for (o = strchr(pat, '{'); o && (c = strchr(o, '}')); o = strchr(c, '{')) {
		n = (size_t)(c - o - 1);
		if (!((n == 2 && (!strncmp(o + 1, "pk", 2) || !strncmp(o + 1, "id", 2))) ||
		      (n > 3 && (!strncmp(c - 3, "_id", 3) || !strncmp(c - 3, "_pk", 3)))))
			return false;
	}
	return true;
}

/* How many of a pattern's segments are words, not placeholders. */
static size_t literal_segments(const char *pat)
{
	size_t n = 0;
	const char *p = pat;

	while (*p) {
		size_t len;

		p += strspn(p, "/");
		len = strcspn(p, "/");
		if (len && !memchr(p, '{', len))
			n++;
		p += len;
	}
	return n;
}

/* The app's pattern listed before `path`'s own literal one that catches it
 * first ("/recipes/{slug}/" before "/recipes/new/", h503: its 404 read as a
 * view finding no object for that user), or NULL: the nearest before it
 * whose placeholders are not all ids (an int converter's {pk} catches no
 * "new/", and saying it does would send the learner the wrong way). */
static const char *path_shadowed(const struct grade_result *r, const char *path)
{
	const char *found = NULL;
	size_t i, j, meant;

	for (i = 0; i < r->napp_paths; i++)
		if (!strcmp(r->app_paths[i], path))
			break;
	/* A path with an id ("/tickets/{id}/status/", h818): the pattern
	 * meant is the one matching it with the most literal segments,
	 * ("/tickets/{pk}/status/", not "/tickets/{pk}/{ref}/"). */
	if (i == r->napp_paths && strchr(path, '{')) {
		size_t best = 0, k;

		for (k = 0; k < r->napp_paths; k++) {
			size_t lit = literal_segments(r->app_paths[k]);

			if (routes_served_match(r->app_paths[k], path) == 1 && lit > best) {
				best = lit;
				i = k;
			}
		}
	}
	meant = i < r->napp_paths ? literal_segments(r->app_paths[i]) : 0;
	for (j = 0; i < r->napp_paths && j < i; j++)
		if (strchr(r->app_paths[j], '{') && routes_served_match(r->app_paths[j], path) == 1 &&
		    !pattern_ids_only(r->app_paths[j]) && literal_segments(r->app_paths[j]) < meant)
			found = r->app_paths[j];
	return found;
}

/* A write the message reports after its first request (status-update-
 * staff's "POST /tickets/7/status/ as staff answered 200", said after the
 * page it read) answered 2xx or 3xx by the view of a pattern listed
 * before its own (path_shadowed), into *x: true when there is one. */
static bool later_shadowed_write(const struct grade_result *r, const char *msg, struct exchange *x)
{
	static const char *const writes[] = { " POST /", " PUT /", " PATCH /", " DELETE /" };
	const char *p;
	size_t i;

	for (i = 0; msg && i < sizeof(writes) / sizeof(writes[0]); i++)
		for (p = strstr(msg, writes[i]); p; p = strstr(p + 1, writes[i]))
			if (parse_exchange(p + 1, x) && x->status >= 200 && x->status < 400 &&
			    path_shadowed(r, x->path))
				return true;
	return false;
}

/* The request a message's cause is read from: its first, or where that
 * is a read, a later write taken by another view (h951, h952: the status
 * post a <pk>/<slug>/ pattern answered with the ticket's page, told "save
 * the status"). */
static bool cause_exchange(const struct grade_result *r, const char *msg, struct exchange *x)
{
	struct exchange w;

	if (!parse_exchange(msg, x))
		return false;
	if (!strcmp(x->method, "GET") && later_shadowed_write(r, msg, &w))
		*x = w;
	return true;
}

/* The field a message says was missing from a JSON answer ("| field
 * stock was missing", "jsonpath $.stock was missing"), into `out`: true
 * when there is one. */
static bool missing_field(const char *msg, char *out, size_t cap)
{
	/* The query's own words, or a value named in words ("the product's
	 * stock was missing (no field stock)", query.c). */
	static const char *const marks[] = { " | field ", "jsonpath $.", " was missing (no field " };
	static const char *const ends[] = { " was missing", " was missing", ")" };
	const char *p, *end;
	size_t i, n;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		p = strstr(msg, marks[i]);
		if (!p)
			continue;
		p += strlen(marks[i]);
		for (end = p; isalnum((unsigned char)*end) || *end == '_'; end++)
			;
		n = (size_t)(end - p);
		/* "(no field price; it has id, unitPrice)" too (query.c). */
		if (n && n < cap && (!strncmp(end, ends[i], strlen(ends[i])) || (i == 2 && *end == ';'))) {
			memcpy(out, p, n);
			out[n] = '\0';
			return true;
		}
	}
	return false;
}

/*
 * A redirect to the same path under one more segment in front ("GET
 * /recipes/new/ answered 302 to /en/recipes/new/": i18n_patterns with
 * prefix_default_language, h115): the app's pages are under that
 * segment, which grader.yaml can say ("/recipes/: /en/recipes/"). The
 * added segment ("/en") to `added`; true when the answer is one.
 */
static bool redirect_moved(const struct exchange *x, char *added, size_t cap)
{
	char loc[256];
	const char *to;
	size_t n, pl = strlen(x->path);

	if (x->status < 300 || x->status >= 400 || !(to = strstr(x->rest, " to /")))
		return false;
	to += 4;
	n = strcspn(to, " ;(");
	path_normalize(to, n, loc, sizeof(loc));
	n = strlen(loc);
	if (n <= pl || strcmp(loc + n - pl, x->path) || loc[0] != '/' ||
	    memchr(loc + 1, '/', n - pl - 1) || loc[n - pl] != '/')
		return false;
	snprintf(added, cap, "%.*s", (int)(n - pl), loc);
	return true;
}

/* The path's first segment, moved under `added`, as one more line of the
 * group's (each segment once): a language prefix moves /tickets/,
 * /dashboard/ and /accounts/ alike (h282), and one line alone left the
 * others failing. */
static void group_moved(struct group *gr, const char *path, const char *added)
{
	char seg[128];
	size_t i;

	first_segment(path, seg, sizeof(seg));
	for (i = 0; i < gr->nmoved; i++)
		if (!strcmp(gr->moved[i][0], seg))
			return;
	if (gr->nmoved == MOVED_MAX)
		return;
	snprintf(gr->moved[gr->nmoved][0], sizeof(gr->moved[0][0]), "%s", seg);
	snprintf(gr->moved[gr->nmoved][1], sizeof(gr->moved[0][1]), "%.31s%s", added, seg);
	gr->nmoved++;
}

/*
 * The challenge's other paths the app serves only under the same added
 * segment: a check whose message shows another request (the dashboard's
 * check, which first signs in) moved too, and its line belongs beside the
 * others. A segment the app also serves without the prefix is left out.
 */
static void group_moved_also(const struct grade_result *r, const struct challenge *c, struct group *gr,
			     const char *added)
{
	char seg[128], want[4][128];
	size_t i, j, al = strlen(added);

	for (i = 0; i < r->napp_paths; i++) {
		const char *a = r->app_paths[i];

		if (strncmp(a, added, al) || a[al] != '/' || !a[al + 1])
			continue;
		first_segment(a + al, seg, sizeof(seg));
		if (!contract_suffixes(c, seg, want, 4))
			continue;
		for (j = 0; j < r->napp_paths && strncmp(r->app_paths[j], seg, strlen(seg)); j++)
			;
		if (j == r->napp_paths)
			group_moved(gr, seg, added);
	}
}

/* Said for mail, caches and queues alike: the exception line names none
 * of them (h264: "send mail ..." for a webhook, nothing for Redis). */
#define NETWORK_HINT \
	" (a server out of reach, here as whenever it is down: catch its error, or the console EMAIL_BACKEND, " \
	"LocMemCache, eager Celery)"

/* Both ways out (h416: a constraint refusing stock 0, which SPEC.md
 * allows, was told to answer 400 for it). */
#define CONSTRAINT_HINT \
	" (a database constraint refused a row: answer its IntegrityError with a 400, or, if SPEC.md allows " \
	"the value, change the constraint)"

#define POSTGRES_SEARCH_HINT \
	" (PostgreSQL's search, and every run's database is SQLite: search with icontains)"

/* Whether the run's migrations-current check found models changed
 * without their migration. */
static bool migrations_stale(const struct grade_result *r)
{
	size_t i;

	for (i = 0; i < r->nchecks; i++)
		if (!strcmp(r->checks[i].id, "migrations-current"))
			return r->checks[i].status == CHECK_FAIL;
	return false;
}

/* What an exception the app logged, whose words do not say it, comes from:
 * " (...)" after it, or "". */
static const char *logged_hint(const char *logged)
{
	static const struct {
		const char *said, *also, *hint;
	} hints[] = {
		/* SQLite names no column (h224: a status ForeignKey's default
		 * naming a row no data migration seeded). */
		{ "FOREIGN KEY constraint failed", NULL,
		  " (a foreign key names no row: a field's default, or rows a data migration should create, "
		  "as every run's database starts empty)" },
		/* A row the app expects to exist (its settings, a tax rate)
		 * that only the author's database held (h408: a committed
		 * db.sqlite3, which the grader never uses). */
		{ "matching query does not exist", NULL,
		  " (every run's database starts empty: rows the app needs come from a data migration, not a "
		  "committed db.sqlite3)" },
		/* staff_member_required (or a redirect to the admin's login)
		 * in a project without the admin's URLs (h826: a customer's
		 * status post a 500, not a refusal). */
		{ "'admin' is not a registered namespace", NULL,
		  " (staff_member_required sends to the admin's login: include admin.site.urls, or test is_staff)" },
		/* The request lacks what a middleware adds (h240). */
		{ "'WSGIRequest' object has no attribute 'user'", NULL, MIDDLEWARE_HINT },
		{ "'WSGIRequest' object has no attribute 'session'", NULL, MIDDLEWARE_HINT },
		/* No network in the sandbox: a mail server (send_mail on a
		 * ticket's creation, h261) or any other cannot be reached. */
		{ "gaierror", NULL, NETWORK_HINT },
		{ "Connection refused", NULL, NETWORK_HINT },
		{ "SMTPServerDisconnected", NULL, NETWORK_HINT },
		/* Django's own ValidationError is no DRF error: raised by a
		 * model's clean() or full_clean() inside a DRF view, it is a
		 * 500 (h395). */
		{ "django.core.exceptions.ValidationError", NULL,
		  " (Django's, a 500 under DRF: raise serializers.ValidationError)" },
		/* Nor is pydantic's: a model validating the body in a view
		 * of its own, its refusal let through (h916: a quantity 0
		 * refused by PositiveInt, answered 500, told to add ge=1). */
		{ "pydantic_core._pydantic_core.ValidationError", NULL, PYDANTIC_HINT },
		{ "pydantic.error_wrappers.ValidationError", NULL, PYDANTIC_HINT },
		/* The stock's own (h949: an order taken with no check of the
		 * stock, the PositiveIntegerField's constraint its only
		 * keeper, told it might change the constraint). */
		{ "CHECK constraint failed", "stock",
		  " (the stock's constraint: refuse an order above the stock with a 400 before the update; keep "
		  "it stock >= 0, as SPEC.md allows stock 0)" },
		/* The order's product dropped on its way in (h1083: Meta.depth
		 * = 1, which makes the relation read-only, so the id sent is
		 * ignored and the row is written without it). */
		{ "NOT NULL constraint failed", "product_id",
		  " (the product sent never reached the row: is it read-only, by depth or a nested serializer?)" },
		/* The database refused the row the view wrote (h388: a
		 * CheckConstraint on stock, checked by no code before it). The
		 * value is not always the request's (h401: an opening stock
		 * entry of 0 the app wrote itself, refused by its own quantity
		 * != 0), so both are said; catching it first, as a constraint
		 * SPEC.md asks for is the rule's race-free keeper (h704). */
		{ "CHECK constraint failed", NULL, CONSTRAINT_HINT },
		{ "UNIQUE constraint failed", NULL, CONSTRAINT_HINT },
		/* An async helper called without await (h403): Django's own
		 * advice comes after its long first sentence, which a quote
		 * cuts. */
		/* Or the view itself, under a decorator that knows no async
		 * view (h739: @transaction.atomic on an async def view). */
		{ "unawaited coroutine", NULL,
		  " (a coroutine never awaited: await the async call, or drop a sync decorator, "
		  "@transaction.atomic, from the async view)" },
		/* The same coroutine used as its result (h514: afirst() or
		 * request.auser() without await, then .is_authenticated). */
		{ "'coroutine' object has no attribute", NULL,
		  " (a coroutine used as its result: await the async call, in an async def view)" },
		{ "'coroutine' object is not", NULL,
		  " (a coroutine used as its result: await the async call, in an async def view)" },
		/* The ORM reached from an async view (h403): the async forms,
		 * not only Django's sync_to_async; a transaction, which has no
		 * async form, through sync_to_async (h514). */
		{ "SynchronousOnlyOperation", NULL,
		  " (the ORM called synchronously in an async view: await aget(), acreate(), auser(); "
		  "select_related; sync_to_async a transaction)" },
		/* PostgreSQL's full-text search on the grader's SQLite (h468:
		 * SearchVector on every product query). */
		{ "no such function: to_tsvector", NULL, POSTGRES_SEARCH_HINT },
		{ "no such function: ts_rank", NULL, POSTGRES_SEARCH_HINT },
		{ "no such function: plainto_tsquery", NULL, POSTGRES_SEARCH_HINT },
		{ "no such function: websearch_to_tsquery", NULL, POSTGRES_SEARCH_HINT },
		{ "no such function: similarity", NULL, POSTGRES_SEARCH_HINT },
		/* request.body read in a DRF view after DRF read the stream
		 * (h463: json.loads(request.body) beside SessionAuthentication,
		 * whose CSRF check reads the form first, DRF < 3.17). */
		{ "RawPostDataException", NULL,
		  " (the body was read as a stream before request.body: in a DRF view read request.data)" },
		/* A POST to a path without the slash its pattern has, with
		 * DEBUG on (h425: grader.yaml mapping to slashless paths);
		 * Django's own fix comes after a cut. */
		{ "APPEND_SLASH", NULL,
		  " (the path lacks the trailing slash the app's pattern has: end grader.yaml's line with '/')" },
		/* A tag used without its library loaded (h446: {% translate %}
		 * in a template that never loads i18n): Django's own question
		 * comes after a cut. */
		{ "TemplateSyntaxError: Invalid block tag", "'trans",
		  " (an i18n tag: {% load i18n %} at the top of that template; its base's load does not count)" },
		{ "TemplateSyntaxError: Invalid block tag", "'blocktrans",
		  " (an i18n tag: {% load i18n %} at the top of that template; its base's load does not count)" },
		{ "TemplateSyntaxError: Invalid block tag", NULL,
		  " (a tag unknown there: load its library at the top of that template, or fix a misspelt or "
		  "misplaced tag)" },
		/* Django's {% csrf_token %} in a Jinja2 template (h724: a
		 * login page written as SPEC.md says, in a Jinja2 project):
		 * Jinja's words list the tags it wanted and are cut before
		 * the fix. */
		{ "Encountered unknown tag 'csrf_token'", NULL,
		  " (Django's tag in a Jinja2 template: write {{ csrf_input }} there)" },
		/* ...and the other way round: a call, which Django's template
		 * language has not, read by Django's engine (h921: the Jinja2
		 * backend listed after DjangoTemplates, whose app folders
		 * found the Jinja2 login page first). */
		{ "Could not parse the remainder: '(", NULL,
		  " (a call with brackets, not Django's template syntax: Jinja2's, read by Django's engine? list "
		  "Jinja2 first in TEMPLATES)" },
		/* A hyperlinked serializer's view name, its URLs included
		 * under a namespace (h722: app_name "store"): DRF's words,
		 * cut, never say the namespace. */
		{ "Could not resolve URL for hyperlinked relationship", NULL,
		  " (no URL is named as the hyperlinked field's view_name: with an app_name, "
		  "prefix it, 'store:product-detail')" },
		/* crispy-forms 2 ships no template pack (h241): the pack the
		 * missing template names (h428: bootstrap5's was told as
		 * crispy-bootstrap4). */
		{ "TemplateDoesNotExist", "bootstrap5/uni_form.html",
		  " (django-crispy-forms 2 has no template packs: add crispy-bootstrap5 to requirements and "
		  "INSTALLED_APPS)" },
		/* {% crispy form %}'s template (h440). */
		{ "TemplateDoesNotExist", "bootstrap5/whole_uni_form.html",
		  " (django-crispy-forms 2 has no template packs: add crispy-bootstrap5 to requirements and "
		  "INSTALLED_APPS)" },
		{ "TemplateDoesNotExist", "tailwind/whole_uni_form.html",
		  " (django-crispy-forms 2 has no template packs: add crispy-tailwind to requirements and "
		  "INSTALLED_APPS)" },
		{ "TemplateDoesNotExist", "tailwind/uni_form.html",
		  " (django-crispy-forms 2 has no template packs: add crispy-tailwind to requirements and "
		  "INSTALLED_APPS)" },
		{ "TemplateDoesNotExist", "uni_form.html",
		  " (django-crispy-forms 2 has no template packs: add its pack, such as crispy-bootstrap4, to "
		  "requirements and INSTALLED_APPS)" },
	};
	const char *one = strstr(logged, "has no field named '");
	size_t i;

	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strstr(logged, hints[i].said) && (!hints[i].also || strstr(logged, hints[i].also)))
			return hints[i].hint;
	/* A field named by one letter (h730: list_filter = ("category"),
	 * a string whose letters the admin reads as names). */
	if (one && one[20] && one[20] != '\'' && one[21] == '\'')
		return " (a name of one letter: a tuple of one written without its comma, (\"category\") where "
		       "(\"category\",) is meant)";
	return "";
}

/* The logged line's length without where it was raised (", at
 * store/views.py:12", engine.c's project_frame): no part of the exception,
 * so the same one raised from two views is one cause, said without
 * either place. */
static int logged_len(const char *logged)
{
	const char *at = strstr(logged, ", at "), *colon;
	size_t n = strlen(logged);

	while (at && strstr(at + 1, ", at "))
		at = strstr(at + 1, ", at ");
	colon = at ? strrchr(at, ':') : NULL;
	if (colon && !strchr(at + 5, ' ') && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1))
		n = (size_t)(at - logged);
	return (int)n;
}

/* "the app fails with: " the logged exception and its hint, the exception
 * cut first: the hint is the fix, the exception's end is often a long
 * sentence of Django's (h403: "didn't return an HttpResponse object. It
 * returned an unawaited coroutine instead. You may need..."). */
static void group_logged(struct group *gr, const char *logged, const char *hint)
{
	static const char lead[] = "the app fails with: ";
	struct gbuf e = GBUF_INIT(CAUSE_TEXT_MAX + 16);
	size_t room = CAUSE_TEXT_MAX - (sizeof(lead) - 1), h = strlen(hint);

	if (h)
		room = h + 64 < room ? room - h - 4 : 60;
	if (gbuf_add_excerpt(&e, logged, (size_t)logged_len(logged), room) == 0)
		group_text(gr, "%s%s%s", lead, gbuf_str(&e), hint);
	gr->logged_fix = h > 0;
	gbuf_release(&e);
}

/*
 * The group key of a logged exception: "E:" and its text, except that
 * SQLite's two words for one missing column, "table T has no column named
 * C" (an INSERT) and "no such column: T.C" (a SELECT), are one cause (a
 * model's new field without its migration, h92), keyed as the second.
 * True for a missing column or table: the schema is behind the models.
 */
static bool logged_key(const char *logged, char *key, size_t cap)
{
	const char *t = strstr(logged, "table "), *named = t ? strstr(t, " has no column named ") : NULL;
	const char *end = logged + logged_len(logged);

	if (named && t + 6 < named && named + 21 <= end) {
		snprintf(key, cap, "E:%.*sno such column: %.*s.%.*s", (int)(t - logged), logged, (int)(named - t - 6),
			 t + 6, (int)(end - named - 21), named + 21);
		return true;
	}
	snprintf(key, cap, "E:%.*s", (int)(end - logged), logged);
	return strstr(logged, "no such column: ") || strstr(logged, "no such table: ");
}

/* A create that did not keep a number it was sent (the engine's
 * unkept_note): first, since what failed after it counted on that number
 * (h387: stock 0 for every product, five checks, no cause said). */
static struct group *group_unkept(struct group *g, size_t *ng, const struct check_result *cr)
{
	char key[200];
	struct group *gr;

	snprintf(key, sizeof(key), "K:%s", cr->unkept_key);
	gr = group_get(g, ng, key);
	if (gr && !gr->n)
		group_text(gr, "%s: the create must keep the value it is sent (a read-only field, or one the view "
			   "or serializer overrides?)", cr->unkept);
	return gr;
}

/* The grader.yaml lines a cause's group offers: where the app serves its
 * 404s' prefix, and each path a redirect moved. 0, or -1 (memory). */
static int group_routes(const struct grade_result *r, const struct challenge *c, const struct group *gr,
			struct cause *cs)
{
	size_t j, routes_cap;

	if (gr->prefix[0] && suggest_routes(r, c, gr->prefix, cs) < 0)
		return -1;
	/* No line found (paths renamed: /api/produkte/, h485): the way to
	 * serve them elsewhere still said, as SPEC.md offers it. */
	if (gr->prefix[0] && !cs->nroutes && said_unrouted(r, cs) < 0)
		return -1;
	routes_cap = cs->nroutes;
	for (j = 0; j < gr->nmoved; j++)
		if (add_route(cs, &routes_cap, gr->moved[j][0], gr->moved[j][1]) < 0)
			return -1;
	return 0;
}

/* A 429: a sign-in's is a lockout after the check's one wrong password
 * (h267: django-axes), any other the volume of a grading. */
static struct group *group_throttled(struct group *g, size_t *ng, const struct exchange *x)
{
	struct group *gr;

	if (!strcmp(x->method, "POST") && is_sign_in_path(x->path)) {
		gr = group_get(g, ng, "TL:");
		if (gr && !gr->n)
			group_text(gr, "the app locked sign-ins out (429, e.g. %s %s) after a wrong password: a "
				   "lockout such as django-axes' AXES_FAILURE_LIMIT must allow a few", x->method, x->path);
		return gr;
	}
	gr = group_get(g, ng, "T:");
	if (gr && !gr->n)
		group_text(gr, "the app refused requests as too many (429, e.g. %s %s): a grading sends dozens of "
			   "requests in a few seconds, so rate limits such as DRF's DEFAULT_THROTTLE_RATES must "
			   "allow them", x->method, x->path);
	return gr;
}

/* Whether a 404 answered to a write (not a GET) quotes words of the
 * app's own that name no missing object: not DRF's "Not found." nor
 * get_object_or_404's "No Product matches the given query.", nor an app's
 * "... does not exist" or "no such ...". */
static bool refusal_of_its_own(const struct exchange *x)
{
	static const char *const lookup[] = { "not found", "matches the given query", "does not exist",
					      "no such", "doesn't exist", "not exist", "<html", "<!doctype" };
	const char *body = x->rest + strspn(x->rest, "0123456789 ");
	size_t i;

	if (!strcmp(x->method, "GET") || (*body != '{' && *body != '[' && *body != '"' && strncmp(body, "saying", 6)))
		return false;
	for (i = 0; i < sizeof(lookup) / sizeof(lookup[0]); i++)
		if (strcasestr(body, lookup[i]))
			return false;
	return true;
}

/* A 404's group, by its first segment and whether the app routes the
 * path: an earlier pattern catching it, DRF's versioning, the view's own
 * refusal of a write,
 * the view finding no such object, or a path the app does not serve. */
static struct group *group_not_found(struct group *g, size_t *ng, const struct grade_result *r,
				     const struct exchange *x)
{
	bool routed = path_routed(r, x->path);
	const char *shadow;
	char key[600], seg[128];
	struct group *gr;

	first_segment(x->path, seg, sizeof(seg));
	snprintf(key, sizeof(key), "N%s:%s", routed ? "R" : "", seg);
	gr = group_get(g, ng, key);
	if (!gr || gr->n)
		return gr;
	if (routed && (shadow = path_shadowed(r, x->path))) {
		group_text(gr, "requests under %s answered 404 though the app routes them (e.g. %s %s): "
			   "the pattern %s, listed before %s, catches the path first: list %s "
			   "before it", seg, x->method, x->path, shadow, x->path, x->path);
	} else if (strstr(x->rest, "Invalid version in ")) {
		/* DRF's versioning, whatever the path or the user (h663:
		 * told its view found no such object). */
		const char *v = strstr(x->rest, "Invalid version in ");

		group_text(gr, "requests under %s answered 404 from DRF's versioning (e.g. %s %s: \"%.*s\"), "
			   "not for a missing object: %s", seg, x->method, x->path, (int)strcspn(v, "\"}"), v,
			   strstr(v, "URL path") ? "map the paths in grader.yaml to one of ALLOWED_VERSIONS"
						 : "give the API a DEFAULT_VERSION in ALLOWED_VERSIONS");
	} else if (routed && refusal_of_its_own(x)) {
		/* A write answered 404 in words of the view's own that name
		 * no missing object (h537: out of stock said with 404): its
		 * refusal's status, not a lookup. */
		group_text(gr, "requests under %s answered 404 in the view's own words (e.g. %s %s answered "
			   "%.60s%s): a refusal, not a missing object: give the status SPEC.md names",
			   seg, x->method, x->path, x->rest, strlen(x->rest) > 60 ? "\xE2\x80\xA6" : "");
	} else if (routed) {
		/* Not a route to move: the app's own view said 404. */
		group_text(gr, "requests under %s answered 404 though the app routes them (e.g. %s %s): "
			   "its view found no such object for that user", seg, x->method, x->path);
	} else {
		snprintf(gr->prefix, sizeof(gr->prefix), "%s", seg);
		group_text(gr, "requests under %s answered 404 (e.g. %s %s)", seg, x->method, x->path);
	}
	return gr;
}

int causes_find(struct grade_result *r, const struct challenge *c)
{
	struct group *g = calloc(GROUPS_MAX, sizeof(*g));
	size_t ng = 0, i, j, cap = r->ncauses;   /* r->causes holds at least that many */
	int rc = -1;

	if (!g)
		return err_set("out of memory");
	for (i = 0; i < r->nchecks; i++) {
		const struct check_result *cr = &r->checks[i];
		struct exchange x;
		struct group *gr;
		const char *shadow;
		char key[600], seg[128], field[64];

		if ((cr->status != CHECK_FAIL && cr->status != CHECK_ERROR) || !cause_exchange(r, cr->message, &x))
			continue;
		if (cr->unkept && cr->unkept_key) {
			gr = group_unkept(g, &ng, cr);
		} else if (missing_field(cr->message, field, sizeof(field)) && !strcmp(x.method, "GET")) {
			/* The same field missing from the answers under one
			 * prefix, however each check read it (a detail's
			 * $.stock, a list's where/first/field stock): one
			 * serializer without it (h105). */
			first_segment(x.path, seg, sizeof(seg));
			snprintf(key, sizeof(key), "F:%s:%s", seg, field);
			gr = group_get(g, &ng, key);
			if (gr && !gr->n)
				group_text(gr, "answers under %s have no field %s (e.g. %s %s): the app must return it",
					   seg, field, x.method, x.path);
		} else if (x.logged[0]) {
			bool schema = logged_key(x.logged, key, sizeof(key)), fresh;

			/* A foreign key failing beside a model changed without
			 * its migration (h436: a model moved to another app,
			 * its migration not made): the migration first. */
			schema = schema || (strstr(x.logged, "FOREIGN KEY constraint failed") && migrations_stale(r));
			/* One exception quoted to different lengths by two
			 * checks' messages is one cause (h464: said twice, cut
			 * at "…GeneratedField…" and at "…Gen…"). */
			gr = group_get_alike(g, &ng, key, &fresh);
			if (gr && (!gr->n || fresh))
				group_logged(gr, x.logged,
					     schema ? " (a model changed without its migration? run makemigrations and "
						      "commit what it writes)"
					     /* A row the check asked for knowing it is not
					      * there (h661: an unknown product's id, told
					      * the database starts empty). */
					     : strstr(cr->message, "; expected 404") &&
							       strstr(x.logged, "matching query does not exist")
						     ? " (the request asked for a row that does not exist: answer 404, "
						       "get_object_or_404)"
						     : logged_hint(x.logged));
		} else if (x.status == 429) {
			gr = group_throttled(g, &ng, &x);
		} else if (x.status == 404) {
			gr = group_not_found(g, &ng, r, &x);
		} else if (redirect_moved(&x, seg, sizeof(seg))) {
			/* Every page moved under one segment: one cause. */
			snprintf(key, sizeof(key), "M:%s", seg);
			gr = group_get(g, &ng, key);
			if (gr && !gr->n) {
				if (routes_is_lang_prefix(seg))
					group_text(gr, "pages answered a redirect to the same path under the "
						   "language prefix %s/ (i18n_patterns: prefix_default_language=False "
						   "serves the default language without it; e.g. %s %s answered %s)",
						   seg, x.method, x.path, x.rest);
				else
					group_text(gr, "pages answered a redirect to the same path under %s/ (e.g. "
						   "%s %s answered %s)", seg, x.method, x.path, x.rest);
				group_moved_also(r, c, gr, seg);
			}
			if (gr)
				group_moved(gr, x.path, seg);
		} else if (x.status >= 200 && x.status < 400 && strcmp(x.method, "GET") &&
			   (shadow = path_shadowed(r, x.path))) {
			/* A write answered by the view of a pattern listed
			 * before its own (h818: "tickets/<int:pk>/<slug:ref>/"
			 * before ".../status/", the page's view taking the
			 * post; h825: redirecting it to the ticket's longer
			 * address): said even for one check, whose message
			 * tells only what was not saved or not refused. */
			snprintf(key, sizeof(key), "S:%s", x.path);
			gr = group_get(g, &ng, key);
			if (gr && !gr->n) {
				group_text(gr, "%s %s answered %ld from another view: the pattern %s, listed before "
					   "%s's own, catches the path first: list %s's pattern before it",
					   x.method, x.path, x.status, shadow, x.path, x.path);
				gr->sure = true;
			}
		} else if (x.status) {
			bool fresh;

			snprintf(key, sizeof(key), "R:%s %s %s", x.method, x.path, x.rest);
			gr = group_get_alike(g, &ng, key, &fresh);
			if (gr && (!gr->n || fresh))
				group_text(gr, "%s %s answered %s", x.method, x.path, x.rest);
			if (gr)
				group_hint_merge(gr, &x);
		} else {
			continue;
		}
		if (gr && gr->n < sizeof(gr->idx) / sizeof(gr->idx[0]))
			gr->idx[gr->n++] = i;
	}
	for (i = 0; i < ng && r->ncauses < CAUSES_MAX; i++) {
		struct cause *cs;

		/* A throttle is said even for one check: its message shows a
		 * 429 but not that rate limits are the cause. So is an
		 * exception whose fix the table knows: the check's message
		 * quotes the exception, not the fix (h640: the sync ORM in an
		 * async view, one check's 500, said with no hint). */
		if (g[i].n < 2 && strcmp(g[i].key, "T:") && !g[i].logged_fix && !g[i].sure)
			continue;
		if (VEC_RESERVE(r->causes, cap, r->ncauses + 1) < 0)
			goto done;
		cs = &r->causes[r->ncauses++];
		memset(cs, 0, sizeof(*cs));
		/* h315: "(the grader sent product, quantity as JSON:
		 * request.POST holds only form data; read request.data)" was
		 * on every check and not on their cause. */
		if (g[i].hint[0] && !g[i].hint_mixed) {
			if (asprintf(&cs->text, "%s%s", g[i].text, g[i].hint) < 0)
				cs->text = NULL;
		} else {
			cs->text = strdup(g[i].text);
		}
		cs->checks = calloc(g[i].n, sizeof(*cs->checks));
		if (!cs->text || !cs->checks) {
			err_set("out of memory");
			goto done;
		}
		for (j = 0; j < g[i].n; j++) {
			if (!(cs->checks[j] = strdup(r->checks[g[i].idx[j]].id))) {
				err_set("out of memory");
				goto done;
			}
			cs->nchecks++;
		}
		if (group_routes(r, c, &g[i], cs) < 0)
			goto done;
	}
	rc = 0;
done:
	free(g);
	return rc;
}
