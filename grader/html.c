/*
 * html.c - HTML documents through libxml2's HTML parser (see html.h).
 *
 * Security reasoning: the bytes are the submission's. They are first made
 * valid UTF-8 (invalid sequences and NULs become U+FFFD) and then parsed as
 * UTF-8 with recovery, no network and no error output, so a hostile or broken
 * page always yields a tree and never makes libxml2 guess an encoding or
 * print. Tree walks here are iterative (parent/next pointers), never
 * recursive, so a page nested 100,000 levels deep cannot exhaust the stack.
 * XPath expressions come from challenge authors but run over the
 * submission's tree, so every evaluation carries an operation limit.
 */
#include "html.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "err.h"
#include "rx.h"
#include "vec.h"

#define HTML_XPATH_OP_LIMIT 20000000ul

struct html_doc {
	htmlDocPtr doc;
};

/* ---- UTF-8 clean-up ------------------------------------------------------- */

static int utf8_clean(struct gbuf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = 0, n;

	while (i < len) {
		n = utf8_decode(u + i, len - i, NULL);
		if (n == 0 || u[i] == 0) {
			if (gbuf_add(out, s + start, i - start) < 0 ||
			    gbuf_adds(out, "\xEF\xBF\xBD") < 0)
				return -1;
			i++;
			start = i;
			continue;
		}
		i += n;
	}
	if (gbuf_add(out, s + start, i - start) < 0)
		return -1;
	return 0;
}

/* ---- whitespace-collapsing text accumulator ------------------------------- */

struct textacc {
	struct gbuf *out;
	bool space;   /* a run of whitespace is pending */
};

/* Append `s`, turning every run of whitespace (ASCII, and U+00A0 which
 * templates use as &nbsp;) into one space; no leading or trailing space. */
static int textacc_add(struct textacc *t, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run;

	while (u[i]) {
		if (u[i] == ' ' || u[i] == '\t' || u[i] == '\n' || u[i] == '\r' ||
		    u[i] == '\f' || u[i] == '\v') {
			t->space = true;
			i++;
			continue;
		}
		if (u[i] == 0xC2 && u[i + 1] == 0xA0) {
			t->space = true;
			i += 2;
			continue;
		}
		if (t->space && t->out->len > 0 && gbuf_addch(t->out, ' ') < 0)
			return -1;
		t->space = false;
		run = 0;
		while (u[i + run] && !(u[i + run] <= ' ' && strchr(" \t\n\r\f\v", u[i + run])) &&
		       !(u[i + run] == 0xC2 && u[i + run + 1] == 0xA0))
			run++;
		if (gbuf_add(t->out, s + i, run) < 0)
			return -1;
		i += run;
	}
	return 0;
}

/* Collapsed text of `s` as a new cJSON string. */
static cJSON *collapsed_string(const char *s)
{
	struct gbuf b = GBUF_INIT(0);
	struct textacc t = { &b, false };
	cJSON *r = NULL;

	if (textacc_add(&t, s ? s : "") == 0)
		r = cJSON_CreateString(gbuf_str(&b));
	gbuf_release(&b);
	return r;
}

/* ---- tree helpers ------------------------------------------------------------ */

/* Next node in document order inside `top` (exclusive), descending into
 * n's children only when `descend`. Iterative: no recursion on depth. */
static xmlNodePtr tree_next(xmlNodePtr n, xmlNodePtr top, bool descend)
{
	if (descend && n->children)
		return n->children;
	while (n && n != top && !n->next)
		n = n->parent;
	if (!n || n == top)
		return NULL;
	return n->next;
}

static bool is_elem(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->name &&
	       strcmp((const char *)n->name, name) == 0;
}

/* A malloc'd copy of attribute `name`, or NULL when absent (or OOM: the
 * caller cannot tell, so it checks presence with xmlHasProp first when that
 * matters). */
static char *prop_dup(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *r;

	if (!v)
		return NULL;
	r = strdup((const char *)v);
	xmlFree(v);
	return r;
}

static bool has_prop(xmlNodePtr n, const char *name)
{
	return xmlHasProp(n, (const xmlChar *)name) != NULL;
}

/* The value of attribute `name` as the tree holds it, without a copy (the
 * HTML parser keeps a value as one text node), or NULL when absent. It
 * allocates nothing, so the yes/no questions about an element (is it an
 * error list, is it marked invalid) cannot be answered wrongly for want of
 * memory. Valid while the document lives. */
static const char *prop_peek(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a = xmlHasProp(n, (const xmlChar *)name);

	if (!a || a->type != XML_ATTRIBUTE_NODE)
		return NULL;
	if (!a->children)
		return "";
	if (a->children->type != XML_TEXT_NODE || a->children->next || !a->children->content)
		return NULL;
	return (const char *)a->children->content;
}

/* prop_dup into *out for what a form submits: 0 (*out NULL when the
 * attribute is absent), -1 + err when it is present but memory ran out (a
 * form read without its action would be sent to the page's own URL). */
static int prop_get(xmlNodePtr n, const char *name, char **out)
{
	*out = prop_dup(n, name);
	if (!*out && has_prop(n, name))
		return err_set("out of memory");
	return 0;
}

/* ---- parsing ------------------------------------------------------------------- */

void html_init(void)
{
	xmlInitParser();
}

/* Past a quoted attribute value or a bare one at p[i]; the index after. */
static size_t attr_value_skip(const char *p, size_t len, size_t i)
{
	const char *e;

	if (i < len && (p[i] == '"' || p[i] == '\'')) {
		e = memchr(p + i + 1, p[i], len - i - 1);
		i = e ? (size_t)(e - p) + 1 : len;
	} else {
		while (i < len && !isspace((unsigned char)p[i]) && p[i] != '>')
			i++;
	}
	return i;
}

/*
 * In place, before libxml2 reads the page: an attribute name starting with
 * '@' (Alpine's and Vue's @click, @submit) starts with '_' instead.
 * libxml2's HTML parser takes '@' for no name and skips to the next space,
 * so a '>' inside its quoted value ("length > 0", an arrow's "=>") ended
 * the tag there: every attribute after it was lost (a form's method and
 * enctype, an input's name) and the rest of the value read as the page's
 * text (h608), where a browser reads it as any attribute. The contents of
 * <script> and <style> are left as they are.
 */
static void attr_names_tame(char *p, size_t len)
{
	size_t i = 0, n;
	bool raw;
	const char *end;

	while (i < len) {
		if (p[i] != '<' || i + 1 >= len || !isalpha((unsigned char)p[i + 1])) {
			i++;
			continue;
		}
		n = ++i;
		while (i < len && !isspace((unsigned char)p[i]) && p[i] != '>' && p[i] != '/')
			i++;
		raw = (i - n == 6 && !strncasecmp(p + n, "script", 6)) || (i - n == 5 && !strncasecmp(p + n, "style", 5));
		while (i < len && p[i] != '>') {
			if (isspace((unsigned char)p[i]) || p[i] == '/') {
				i++;
				continue;
			}
			if (p[i] == '@')
				p[i] = '_';
			while (i < len && !isspace((unsigned char)p[i]) && p[i] != '=' && p[i] != '>')
				i++;
			while (i < len && isspace((unsigned char)p[i]))
				i++;
			if (i < len && p[i] == '=') {
				for (i++; i < len && isspace((unsigned char)p[i]); i++)
					;
				i = attr_value_skip(p, len, i);
			}
		}
		if (raw && i < len) {
			/* clean is NUL-terminated (gbuf). */
			end = strcasestr(p + i, tolower((unsigned char)p[n + 1]) == 'c' ? "</script" : "</style");
			i = end ? (size_t)(end - p) : len;
		}
	}
}

/* Paragraphs holding a field's error list, made <div>s: "<p>{{ f }}
 * {{ f.errors }}</p>" (h798), where an HTML parser closes the <p> before
 * the <ul class="errorlist"> a paragraph cannot hold, so the list stood
 * alone between two fields, as Django's as_p writes a list above its own
 * field, and was given to the next one. A <div> holds it with its field.
 * Only a list of Django's class followed by the paragraph's own "</p>",
 * the <p> before it open; at most ERRLIST_P_MAX of them. */
#define ERRLIST_P_MAX 32

static bool tag_at(const char *s, size_t len, size_t i, const char *tag)
{
	size_t n = strlen(tag);

	return i + n < len && !strncasecmp(s + i, tag, n) &&
	       (s[i + n] == '>' || s[i + n] == ' ' || s[i + n] == '\t' || s[i + n] == '\n' || s[i + n] == '\r');
}

static int errorlist_p_widen(struct gbuf *clean)
{
	const char *s = clean->data;
	size_t len = clean->len, at[2 * ERRLIST_P_MAX], n = 0, i, j, k, end, close;
	struct gbuf out = GBUF_INIT(0);
	int rc = 0;

	/* From one '<' to the next: it runs on every page parsed. */
	for (i = 0; i + 3 < len && n + 2 <= 2 * ERRLIST_P_MAX; i++) {
		const char *lt = memchr(s + i, '<', len - i);

		if (!lt)
			break;
		i = (size_t)(lt - s);
		if (!tag_at(s, len, i, "<ul"))
			continue;
		end = i + strcspn(s + i, ">");
		if (end >= len || !memmem(s + i, end - i, "errorlist", 9))
			continue;
		for (close = end; close + 5 <= len && strncasecmp(s + close, "</ul>", 5); close++)
			;
		for (close += 5; close < len && strchr(" \t\r\n", s[close]); close++)
			;
		if (close + 4 > len || strncasecmp(s + close, "</p>", 4))
			continue;
		/* The <p> it was written in: the last one opened before it, no
		 * "</p" between. */
		for (j = i, k = (size_t)-1; j-- > 0;) {
			if (s[j] != '<')
				continue;
			if (tag_at(s, len, j + 1, "/p"))
				break;
			if (tag_at(s, len, j, "<p")) {
				k = j;
				break;
			}
		}
		if (k == (size_t)-1)
			continue;
		at[n++] = k + 1;            /* the p of "<p" */
		at[n++] = close + 2;        /* the p of "</p>" */
		i = close + 3;
	}
	if (!n)
		goto done;
	/* Positions are increasing: each list's <p> lies after the last
	 * list's "</p>". */
	for (i = 0, j = 0; i < n && rc == 0; i++) {
		rc = gbuf_add(&out, s + j, at[i] - j) < 0 || gbuf_adds(&out, "div") < 0 ? -1 : 0;
		j = at[i] + 1;
	}
	if (rc == 0 && gbuf_add(&out, s + j, len - j) < 0)
		rc = -1;
	if (rc == 0) {
		gbuf_release(clean);
		*clean = out;
		out = (struct gbuf)GBUF_INIT(0);
	}
done:
	gbuf_release(&out);
	return rc;
}

int html_parse(const char *data, size_t len, struct html_doc **out, struct gbuf *why)
{
	struct gbuf clean = GBUF_INIT(0);
	struct html_doc *d = NULL;
	htmlParserCtxtPtr ctxt = NULL;
	const xmlError *last;
	int rc = -1;

	*out = NULL;
	if (len > (size_t)INT32_MAX) {
		if (why)
			gbuf_adds(why, "the body is too large to parse as HTML");
		rc = 1;
		goto done;
	}
	if (utf8_clean(&clean, data ? data : "", data ? len : 0) < 0)
		goto done;
	if (clean.len)
		attr_names_tame(clean.data, clean.len);
	if (clean.len && errorlist_p_widen(&clean) < 0)
		goto done;
	d = calloc(1, sizeof(*d));
	if (!d) {
		err_set("out of memory");
		goto done;
	}
	if (clean.len > 0) {
		/* Through a context of our own, to tell libxml2 running out of
		 * memory (the grader's failure; the document would be cut short
		 * or missing) from a body it cannot make sense of. */
		ctxt = htmlNewParserCtxt();
		if (!ctxt) {
			err_set("out of memory");
			goto done;
		}
		/* Some of its failures (the input buffer) reach only the
		 * thread's last error, not the context's. */
		xmlResetLastError();
		d->doc = htmlCtxtReadMemory(ctxt, clean.data, (int)clean.len, NULL, "UTF-8",
					    HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
					    HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT);
		last = xmlGetLastError();
		if (ctxt->errNo == XML_ERR_NO_MEMORY || (last && last->code == XML_ERR_NO_MEMORY)) {
			err_set("out of memory parsing HTML");
			goto done;
		}
	}
	/* An empty or hopeless body is an empty document, not a failure: "the
	 * page does not show X" must still be answerable for an empty 403. */
	if (!d->doc)
		d->doc = htmlNewDocNoDtD(NULL, NULL);
	if (!d->doc) {
		err_set("out of memory");
		goto done;
	}
	*out = d;
	d = NULL;
	rc = 0;
done:
	if (ctxt)
		htmlFreeParserCtxt(ctxt);
	html_free(d);
	gbuf_release(&clean);
	return rc;
}

void html_free(struct html_doc *d)
{
	if (!d)
		return;
	if (d->doc)
		xmlFreeDoc(d->doc);
	free(d);
}

/* ---- CSS subset -> XPath --------------------------------------------------------- */

static bool css_ident_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c >= 0x80;
}

static size_t css_ident(const char *s, size_t i)
{
	size_t j = i;

	while (s[j] && css_ident_char((unsigned char)s[j]))
		j++;
	return j - i;
}

/* An XPath 1.0 string literal for v (which has no escapes: concat() when it
 * holds both kinds of quote). */
static int xpath_literal(struct gbuf *x, const char *v, size_t n)
{
	size_t i, start;

	if (!memchr(v, '\'', n))
		return gbuf_addf(x, "'%.*s'", (int)n, v);
	if (!memchr(v, '"', n))
		return gbuf_addf(x, "\"%.*s\"", (int)n, v);
	if (gbuf_adds(x, "concat(") < 0)
		return -1;
	start = 0;
	for (i = 0; i <= n; i++) {
		if (i == n || v[i] == '\'') {
			if (i > start && gbuf_addf(x, "'%.*s', ", (int)(i - start), v + start) < 0)
				return -1;
			if (i < n && gbuf_adds(x, "\"'\", ") < 0)
				return -1;
			start = i + 1;
		}
	}
	return gbuf_adds(x, "'')");
}

static int add_lower(struct gbuf *x, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (gbuf_addch(x, (char)tolower((unsigned char)s[i])) < 0)
			return -1;
	return 0;
}

/* One compound selector at *pi: type or '*', then #id .class [attr] [attr=v]. */
static int css_compound(const char *s, size_t *pi, struct gbuf *x)
{
	size_t i = *pi, n;
	bool any = false;

	if (s[i] == '*') {
		if (gbuf_addch(x, '*') < 0)
			return -1;
		i++;
		any = true;
	} else if ((n = css_ident(s, i)) > 0) {
		if (add_lower(x, s + i, n) < 0)
			return -1;
		i += n;
		any = true;
	} else if (gbuf_addch(x, '*') < 0) {
		return -1;
	}
	for (;;) {
		if (s[i] == '#' || s[i] == '.') {
			char kind = s[i++];

			n = css_ident(s, i);
			if (n == 0)
				return err_set("bad CSS selector at offset %zu: expected a name after '%c'", i, kind);
			if (kind == '#') {
				if (gbuf_adds(x, "[@id=") < 0 || xpath_literal(x, s + i, n) < 0 ||
				    gbuf_addch(x, ']') < 0)
					return -1;
			} else if (gbuf_addf(x, "[contains(concat(' ', normalize-space(@class), ' '), ' %.*s ')]",
					     (int)n, s + i) < 0) {
				return -1;
			}
			i += n;
		} else if (s[i] == '[') {
			size_t an;
			const char *attr;

			i++;
			while (s[i] == ' ')
				i++;
			an = css_ident(s, i);
			if (an == 0 || isdigit((unsigned char)s[i]) || s[i] == '-')
				return err_set("bad CSS selector at offset %zu: expected an attribute name", i);
			attr = s + i;
			i += an;
			while (s[i] == ' ')
				i++;
			if (gbuf_adds(x, "[@") < 0 || add_lower(x, attr, an) < 0)
				return -1;
			if (s[i] == '=') {
				i++;
				while (s[i] == ' ')
					i++;
				if (gbuf_addch(x, '=') < 0)
					return -1;
				if (s[i] == '"' || s[i] == '\'') {
					char q = s[i++];
					const char *end = strchr(s + i, q);

					if (!end)
						return err_set("bad CSS selector at offset %zu: unterminated string", i - 1);
					if (xpath_literal(x, s + i, (size_t)(end - (s + i))) < 0)
						return -1;
					i = (size_t)(end - s) + 1;
				} else {
					n = css_ident(s, i);
					if (n == 0)
						return err_set("bad CSS selector at offset %zu: expected a value after '='", i);
					if (xpath_literal(x, s + i, n) < 0)
						return -1;
					i += n;
				}
				while (s[i] == ' ')
					i++;
			}
			if (s[i] != ']')
				return err_set("bad CSS selector at offset %zu: expected ']' (only [attr] and [attr=value] are supported)", i);
			i++;
			if (gbuf_addch(x, ']') < 0)
				return -1;
		} else {
			break;
		}
		any = true;
	}
	if (!any) {
		if (s[i] == ':')
			return err_set("bad CSS selector at offset %zu: pseudo-classes are not supported", i);
		return err_set("bad CSS selector at offset %zu: expected a selector", i);
	}
	*pi = i;
	return 0;
}

int html_css_to_xpath(const char *selector, struct gbuf *xpath)
{
	const char *s = selector ? selector : "";
	size_t i = 0;
	bool ws;
	int rc = -1;

	while (isspace((unsigned char)s[i]))
		i++;
	if (!s[i]) {
		err_set("bad CSS selector at offset %zu: empty selector", i);
		goto done;
	}
	if (gbuf_adds(xpath, "//") < 0)
		goto done;
	for (;;) {
		if (css_compound(s, &i, xpath) < 0)
			goto done;
		ws = false;
		while (isspace((unsigned char)s[i])) {
			ws = true;
			i++;
		}
		if (s[i] == '\0')
			break;
		if (s[i] == '>') {
			i++;
			while (isspace((unsigned char)s[i]))
				i++;
			if (gbuf_addch(xpath, '/') < 0)
				goto done;
		} else if (s[i] == ',') {
			i++;
			while (isspace((unsigned char)s[i]))
				i++;
			if (!s[i]) {
				err_set("bad CSS selector at offset %zu: expected a selector after ','", i);
				goto done;
			}
			if (gbuf_adds(xpath, " | //") < 0)
				goto done;
		} else if (ws) {
			if (gbuf_adds(xpath, "//") < 0)
				goto done;
		} else {
			err_set("bad CSS selector at offset %zu: unexpected '%c' (supported: type, *, #id, .class, [attr], [attr=value], ' ', '>', ',')",
				i, s[i]);
			goto done;
		}
	}
	rc = 0;
done:
	return rc;
}

/* ---- XPath --------------------------------------------------------------------- */

struct xp_err {
	char msg[256];
};

/* libxml2 would print XPath errors to stderr; modules never print, so they
 * are caught here through the context's structured error callback. */
static void xp_error(void *ud, xmlErrorPtr e)
{
	struct xp_err *x = ud;

	if (e && e->message && !x->msg[0]) {
		size_t n;

		snprintf(x->msg, sizeof(x->msg), "%s", e->message);
		n = strlen(x->msg);
		while (n && (x->msg[n - 1] == '\n' || x->msg[n - 1] == ' '))
			x->msg[--n] = '\0';
	}
}

/* Some XPath errors (an unknown function) go straight to libxml2's generic
 * error function instead of the context's callback: silenced meanwhile. */
static void xp_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Evaluate expr over the document. *res owned by the caller. */
static int html_eval(struct html_doc *d, const char *expr, xmlXPathObjectPtr *res)
{
	xmlGenericErrorFunc old_fn = xmlGenericError;
	void *old_ctx = xmlGenericErrorContext;
	xmlXPathContextPtr ctx = NULL;
	struct xp_err xe;
	int rc = -1;

	*res = NULL;
	/* Per-thread in libxml2, restored below: no effect on other threads. */
	xmlSetGenericErrorFunc(NULL, xp_silent);
	memset(&xe, 0, sizeof(xe));
	ctx = xmlXPathNewContext(d->doc);
	if (!ctx) {
		err_set("out of memory");
		goto done;
	}
	ctx->error = xp_error;
	ctx->userData = &xe;
	ctx->opLimit = HTML_XPATH_OP_LIMIT;
	*res = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	if (!*res) {
		err_set("bad XPath expression '%.100s': %s", expr, xe.msg[0] ? xe.msg : "cannot evaluate");
		goto done;
	}
	rc = 0;
done:
	xmlXPathFreeContext(ctx);
	xmlSetGenericErrorFunc(old_ctx, old_fn);
	return rc;
}

static cJSON *node_value(xmlNodePtr n)
{
	xmlChar *c = xmlNodeGetContent(n);
	cJSON *r;

	if (n->type == XML_ATTRIBUTE_NODE)
		r = cJSON_CreateString(c ? (const char *)c : "");
	else
		r = collapsed_string(c ? (const char *)c : "");
	xmlFree(c);
	return r;
}

static int array_add(cJSON *arr, cJSON *item)
{
	if (!item || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		return err_set("out of memory");
	}
	return 0;
}

int html_xpath(struct html_doc *d, const char *expr, cJSON **out)
{
	xmlXPathObjectPtr res = NULL;
	cJSON *r = NULL;
	int i, rc = -1;

	*out = NULL;
	if (html_eval(d, expr, &res) < 0)
		goto done;
	switch (res->type) {
	case XPATH_NODESET:
		r = cJSON_CreateArray();
		if (!r) {
			err_set("out of memory");
			goto done;
		}
		for (i = 0; res->nodesetval && i < res->nodesetval->nodeNr; i++)
			if (array_add(r, node_value(res->nodesetval->nodeTab[i])) < 0)
				goto done;
		break;
	case XPATH_BOOLEAN:
		r = cJSON_CreateBool(res->boolval);
		break;
	case XPATH_NUMBER:
		r = res->floatval == res->floatval ? cJSON_CreateNumber(res->floatval) : cJSON_CreateNull();
		break;
	case XPATH_STRING:
		r = cJSON_CreateString(res->stringval ? (const char *)res->stringval : "");
		break;
	default:
		err_set("XPath expression '%.100s' gives an unsupported kind of result", expr);
		goto done;
	}
	if (!r) {
		err_set("out of memory");
		goto done;
	}
	*out = r;
	r = NULL;
	rc = 0;
done:
	cJSON_Delete(r);
	xmlXPathFreeObject(res);
	return rc;
}

int html_css(struct html_doc *d, const char *selector, const char *attr, cJSON **out)
{
	struct gbuf xp = GBUF_INIT(0);
	xmlXPathObjectPtr res = NULL;
	cJSON *r = NULL;
	int i, rc = -1;

	*out = NULL;
	if (html_css_to_xpath(selector, &xp) < 0 || html_eval(d, gbuf_str(&xp), &res) < 0)
		goto done;
	r = cJSON_CreateArray();
	if (!r) {
		err_set("out of memory");
		goto done;
	}
	for (i = 0; res->type == XPATH_NODESET && res->nodesetval && i < res->nodesetval->nodeNr; i++) {
		xmlNodePtr n = res->nodesetval->nodeTab[i];

		if (attr) {
			xmlChar *v;

			if (n->type != XML_ELEMENT_NODE || !xmlHasProp(n, (const xmlChar *)attr))
				continue;
			v = xmlGetProp(n, (const xmlChar *)attr);
			if (array_add(r, cJSON_CreateString(v ? (const char *)v : "")) < 0) {
				xmlFree(v);
				goto done;
			}
			xmlFree(v);
		} else if (array_add(r, node_value(n)) < 0) {
			goto done;
		}
	}
	*out = r;
	r = NULL;
	rc = 0;
done:
	cJSON_Delete(r);
	xmlXPathFreeObject(res);
	gbuf_release(&xp);
	return rc;
}

/* ---- visible text ------------------------------------------------------------- */

/* What a browser never shows as the page's text. Not <noscript>: the
 * grader reads a page as served, without running its scripts (SPEC.md),
 * and a browser without scripts shows exactly that; a list or a status
 * loaded by htmx with a <noscript> copy beside it lost its points (h591). */
static bool text_hidden(xmlNodePtr n)
{
	static const char *const hidden[] = { "script", "style", "template", "head", "title", NULL };
	size_t i;

	for (i = 0; hidden[i]; i++)
		if (is_elem(n, hidden[i]))
			return true;
	return false;
}

static bool word_next(const char **p, const char **c, size_t *len);
static bool class_in(const char *c, size_t len, const char *const *names);
static bool class_prefixed(const char *c, size_t len, const char *prefix);

/* Whether an inline element is shown as a box of its own, apart from the
 * words around it: a badge, pill, tag or chip (Bootstrap's .badge is an
 * inline-block with padding), one a utility class gives a margin or a
 * padding (ms-2, ml-1, px-2), or the child of a flex or grid container,
 * which CSS lays out as a block (h731: "{{ ticket.title }}<span class="badge
 * ms-2">Open</span>" read "...4ef43b39Open", no status word; a legend of
 * spans in a d-flex row read "OpenPendingResolved"). */
static bool text_boxed(xmlNodePtr n)
{
	static const char *const boxes[] = { "badge", "pill", "tag", "chip", "label", "lozenge", "status", NULL };
	static const char *const spacing[] = { "m-", "ms-", "me-", "mx-", "ml-", "mr-", "p-", "ps-", "pe-", "px-",
					       "pl-", "pr-", "badge-", "badge--", NULL };
	static const char *const rows[] = { "d-flex", "flex", "d-inline-flex", "inline-flex", "d-grid", "grid",
					    "hstack", "vstack", "level", "columns", NULL };
	xmlNodePtr up = n->parent;
	const char *p, *c, *style;
	size_t len, i;

	for (p = prop_peek(n, "class"); p && word_next(&p, &c, &len);) {
		if (class_in(c, len, boxes))
			return true;
		for (i = 0; spacing[i]; i++)
			if (class_prefixed(c, len, spacing[i]))
				return true;
	}
	if (!up || up->type != XML_ELEMENT_NODE)
		return false;
	for (p = prop_peek(up, "class"); p && word_next(&p, &c, &len);)
		if (class_in(c, len, rows) || class_prefixed(c, len, "gap-") || class_prefixed(c, len, "space-x-"))
			return true;
	style = prop_peek(up, "style");
	return style && (strcasestr(style, "flex") || strcasestr(style, "grid"));
}

/* Inline elements do not separate words; every other element does, so
 * "<td>Open</td><td>Pending</td>" reads "Open Pending", as a browser shows
 * it; an inline element shown as a box of its own does too (text_boxed). */
static bool text_inline(xmlNodePtr n)
{
	static const char *const inl[] = { "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data",
					   "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small",
					   "span", "strong", "sub", "sup", "time", "u", "var", "font",
					   "label", NULL };
	size_t i;

	for (i = 0; inl[i]; i++)
		if (is_elem(n, inl[i]))
			return !text_boxed(n);
	return false;
}

/* Whether n is a choice a person clicks: a radio button or a checkbox. */
static bool choice_input(xmlNodePtr n)
{
	const char *t = is_elem(n, "input") ? prop_peek(n, "type") : NULL;

	return t && (!strcasecmp(t, "radio") || !strcasecmp(t, "checkbox"));
}

/* A label of a form control: one that names it (for=) or holds it (a
 * radio button's label "<label><input type=radio> Resolved</label>", a
 * menu's "Change to"). A <label> used as a badge ("<label
 * class=badge>Open</label>") is not, nor the caption of a disabled control,
 * shown to be read and not used ("<label>Status: <b>Open</b> <select
 * disabled>...</select></label>", h635: the status it states was left out
 * with it); the control itself stays out of the prose. */
static bool label_of_control(xmlNodePtr n)
{
	xmlNodePtr c, root, ctl = NULL;
	const char *id = prop_peek(n, "for"), *cid;

	for (c = n->children; c && !ctl; c = tree_next(c, n, true))
		if (is_elem(c, "input") || is_elem(c, "select") || is_elem(c, "textarea"))
			ctl = c;
	if (!ctl && id && *id) {
		for (root = n; root->parent && root->parent->type == XML_ELEMENT_NODE; root = root->parent)
			;
		for (c = root; c && !ctl; c = tree_next(c, root, true))
			if (c->type == XML_ELEMENT_NODE && (cid = prop_peek(c, "id")) && !strcmp(cid, id))
				ctl = c;
		if (!ctl)
			return true;
	}
	/* A choice's label is its option's words, disabled or not (h636:
	 * a status shown as the checked one of disabled radio buttons named
	 * every status, and kept ticket-create). */
	return ctl ? choice_input(ctl) || !has_prop(ctl, "disabled") : false;
}

/* What a page offers to click or choose, not what it states: left out of
 * the prose (html_prose), so a status named by a link ("Open a ticket"),
 * a button ("Mark resolved"), a menu's options or a radio button's label
 * is not read as the status a page shows. An <a> without href is no link
 * but a placeholder shown as text (a badge "<a class=badge>Open</a>",
 * h592). */
static bool text_control(xmlNodePtr n)
{
	static const char *const controls[] = { "button", "select", "option", "optgroup",
						"datalist", "textarea", NULL };
	size_t i;

	for (i = 0; controls[i]; i++)
		if (is_elem(n, controls[i]))
			return true;
	return (is_elem(n, "a") && has_prop(n, "href")) || (is_elem(n, "label") && label_of_control(n));
}

static int text_walk(struct html_doc *d, bool prose, struct gbuf *out)
{
	struct textacc t = { out, false };
	xmlNodePtr root, top, n, c;
	bool descend;
	int rc = -1;

	root = xmlDocGetRootElement(d->doc);
	top = root;
	for (c = root ? root->children : NULL; c; c = c->next)
		if (is_elem(c, "body"))
			top = c;
	if (!top) {
		rc = out->data || gbuf_adds(out, "") == 0 ? 0 : -1;
		goto done;
	}
	n = top->children;
	while (n) {
		descend = false;
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content && textacc_add(&t, (const char *)n->content) < 0)
				goto done;
		} else if (n->type == XML_ELEMENT_NODE && !text_hidden(n) && !(prose && text_control(n))) {
			if (!text_inline(n))
				t.space = true;
			descend = true;
		}
		/* Leaving elements (going up) also separates words. */
		if (!(descend && n->children)) {
			xmlNodePtr m = n;

			while (m && m != top && !m->next) {
				m = m->parent;
				if (m && m != top && !text_inline(m))
					t.space = true;
			}
			if (!m || m == top)
				break;
			if (m->type == XML_ELEMENT_NODE && !text_inline(m))
				t.space = true;
			n = m->next;
		} else {
			n = n->children;
		}
	}
	if (!out->data && gbuf_adds(out, "") < 0)
		goto done;
	rc = 0;
done:
	return rc;
}

int html_text(struct html_doc *d, struct gbuf *out)
{
	return text_walk(d, false, out);
}

int html_prose(struct html_doc *d, struct gbuf *out)
{
	return text_walk(d, true, out);
}

/* ---- forms ----------------------------------------------------------------------- */

static void field_release(struct html_field *f)
{
	size_t i;

	free(f->name);
	free(f->value);
	free(f->type);
	free(f->fill);
	free(f->tick);
	free(f->accept);
	for (i = 0; i < f->noptions; i++) {
		free(f->options[i].value);
		free(f->options[i].label);
	}
	free(f->options);
}

void html_form_free(struct html_form *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nfields; i++)
		field_release(&f->fields[i]);
	free(f->fields);
	free(f->action);
	free(f->method);
	free(f->enctype);
	free(f);
}

/* Takes ownership of name/value/type (freed on failure too). A NULL value
 * is a control the browser does not send as it stands (an unchecked
 * required box): allowed only with `unsent`. */
static int form_add_ex(struct html_form *f, size_t *cap, char *name, char *value, const char *type,
		       bool unsent)
{
	char *t = strdup(type);
	int rc = -1;

	if (!name || (!value && !unsent) || !t) {
		err_set("out of memory");
		goto done;
	}
	if (VEC_RESERVE(f->fields, *cap, f->nfields + 1) < 0)
		goto done;
	memset(&f->fields[f->nfields], 0, sizeof(f->fields[f->nfields]));
	f->fields[f->nfields].name = name;
	f->fields[f->nfields].value = value;
	f->fields[f->nfields].type = t;
	f->nfields++;
	name = value = t = NULL;
	rc = 0;
done:
	free(name);
	free(value);
	free(t);
	return rc;
}

static int form_add(struct html_form *f, size_t *cap, char *name, char *value, const char *type)
{
	return form_add_ex(f, cap, name, value, type, false);
}

/*
 * A text control's fill that its own example and pattern allow (h599: a
 * duration's box with placeholder="00:45:00" refused "Sample text", a box
 * of pattern="[0-9]{2,4}" refused it too): with a pattern (the whole value
 * must match it, as HTML reads it), the first of its placeholder, `dflt`
 * and a few plain values that does; without one, a placeholder that looks
 * like a value (a digit in it, no space: "00:45:00", "450", not "Your
 * name") else `dflt`. malloc'd, NULL on OOM.
 */
static char *fill_by_example(xmlNodePtr in, const char *dflt)
{
	static const char *const tries[] = { "1234", "12", "1", "sample", "Sample", "SAMPLE", "A1", "a", "A", NULL };
	const char *pattern = in ? prop_peek(in, "pattern") : NULL, *ph = in ? prop_peek(in, "placeholder") : NULL;
	const char *pick = dflt, *cand[16];
	struct gbuf whole = GBUF_INIT(0);
	struct rx *rx = NULL;
	size_t i, n = 0;
	bool limited = false, digit = false;

	for (i = 0; ph && ph[i] && !isspace((unsigned char)ph[i]); i++)
		digit |= isdigit((unsigned char)ph[i]) != 0;
	if (!pattern || !*pattern) {
		if (ph && *ph && digit && !ph[i] && i < 100)
			pick = ph;
		goto done;
	}
	if (gbuf_addf(&whole, "^(?:%s)$", pattern) < 0 || rx_compile(gbuf_str(&whole), &rx) < 0) {
		err_clear();
		goto done;
	}
	if (ph && *ph)
		cand[n++] = ph;
	cand[n++] = dflt;
	for (i = 0; tries[i]; i++)
		cand[n++] = tries[i];
	for (i = 0; i < n; i++)
		if (rx_match(rx, cand[i], strlen(cand[i]), NULL, &limited) == 1) {
			pick = cand[i];
			break;
		}
done:
	rx_free(rx);
	gbuf_release(&whole);
	return strdup(pick);
}

/*
 * What a person would type into a required control left empty, by its type
 * (issue 9): a check names the fields it tests, and the app's other
 * required fields get plausible values so that a refusal is attributable to
 * what the check tests. NULL: nothing sensible (a file) or OOM. `in` may
 * be NULL (no bounds known).
 */
static char *fill_for_input(xmlNodePtr in, const char *type)
{
	static const struct { const char *type, *value; } table[] = {
		{ "email", "grader@example.com" },
		{ "url", "https://example.com/" },
		{ "tel", "+15550100" },
		{ "password", "Grader-pw-2026" },
		/* Dates are today's (html_fill_date): the values here only
		 * name the types. */
		{ "date", "" },
		{ "datetime-local", "" },
		{ "datetime", "" },
		{ "time", "" },
		{ "month", "" },
		{ "week", "" },
		{ "color", "#336699" },
		{ "search", "sample" },
		{ "text", "Sample text" },
		{ NULL, NULL },
	};
	char today[32];
	const char *dated;
	size_t i;

	if (!strcmp(type, "number") || !strcmp(type, "range")) {
		/* 1 unless the control's own bounds rule it out; with a step
		 * and no min, a multiple of the step (step="5" refused 1,
		 * h599). */
		char *min = NULL, *max = NULL;
		const char *st = in ? prop_peek(in, "step") : NULL;
		double lo, hi, step = st ? strtod(st, NULL) : 0;
		char num[64];

		if (in && (prop_get(in, "min", &min) < 0 || prop_get(in, "max", &max) < 0)) {
			free(min);
			return NULL;
		}
		lo = min && *min ? strtod(min, NULL) : 1;
		hi = max && *max ? strtod(max, NULL) : 1;

		if (lo < 1 && hi >= 1)
			lo = 1;
		if (!(min && *min) && step > 1 && step < 1e9)
			lo = step;
		if (lo > hi && max)
			lo = hi;
		free(min);
		free(max);
		snprintf(num, sizeof(num), "%.15g", lo);
		return strdup(num);
	}
	if (!strcmp(type, "file") || !strcmp(type, "hidden"))
		return NULL;
	/* A slug's box (Django's SlugField renders a plain text input):
	 * letters, digits and hyphens, one per fill, as it is often unique
	 * ("Sample text" was refused as no valid slug, h273). */
	if (in && !strcmp(type, "text")) {
		const char *name = prop_peek(in, "name");

		if (name && strstr(name, "slug")) {
			static unsigned long made;
			char slug[48];

			snprintf(slug, sizeof(slug), "sample-text-%lu", __atomic_add_fetch(&made, 1, __ATOMIC_RELAXED));
			return strdup(slug);
		}
	}
	for (i = 0; table[i].type; i++)
		if (!strcmp(type, table[i].type))
			break;
	/* A day's type: today's (an empty value in the table). */
	dated = table[i].type && !*table[i].value ? html_fill_date(type, today, sizeof(today)) : NULL;
	/* A date or time within the control's own min and max, in its own
	 * format, which orders as text (h599: min="today" refused the
	 * fixed date in the past). */
	if (table[i].type && in && (!strncmp(type, "date", 4) || !strcmp(type, "time") ||
				    !strcmp(type, "month") || !strcmp(type, "week"))) {
		const char *lo = prop_peek(in, "min"), *hi = prop_peek(in, "max"), *v = dated;

		if (lo && *lo && strlen(lo) == strlen(v) && strcmp(lo, v) > 0)
			v = lo;
		else if (hi && *hi && strlen(hi) == strlen(v) && strcmp(hi, v) < 0)
			v = hi;
		return strdup(v);
	}
	if (!table[i].type || !strcmp(type, "text") || !strcmp(type, "search") || !strcmp(type, "tel"))
		return fill_by_example(in, table[i].type ? table[i].value : "Sample text");
	return strdup(dated ? dated : table[i].value);
}

/*
 * Today's date (UTC) as a control of `type` takes it, as a person fills a
 * date in: "date" 2026-12-06, "datetime-local" and "datetime"
 * 2026-12-06T12:00, "month" 2026-12, "week" 2026-W49, "time" 12:00 (a
 * time is no day's), Django's "date/time" (its text box) 2026-12-06 12:00.
 * A fixed day was refused as soon as it was past by an app's own rule that
 * a publication date is not in the past (h700); today is also not in the
 * future, which a date of birth or of cooking asks for.
 */
const char *html_fill_date(const char *type, char *buf, size_t cap)
{
	static const struct { const char *type, *fmt; } fmts[] = {
		{ "date", "%Y-%m-%d" }, { "datetime-local", "%Y-%m-%dT12:00" }, { "datetime", "%Y-%m-%dT12:00" },
		{ "month", "%Y-%m" }, { "week", "%G-W%V" }, { "date/time", "%Y-%m-%d 12:00" },
	};
	const char *fmt = NULL;
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	for (i = 0; !fmt && i < sizeof(fmts) / sizeof(fmts[0]); i++)
		if (!strcmp(type, fmts[i].type))
			fmt = fmts[i].fmt;
	if (!fmt || !gmtime_r(&now, &tm) || !strftime(buf, cap, fmt, &tm))
		snprintf(buf, cap, "%s", "12:00");
	return buf;
}

/* A control's positive integer attribute (maxlength, minlength), or 0. */
static long prop_count(xmlNodePtr n, const char *name)
{
	const char *v = prop_peek(n, name);
	char *end = NULL;
	long k = v ? strtol(v, &end, 10) : 0;

	return v && end != v && *end == '\0' && k > 0 && k < 100000 ? k : 0;
}

/*
 * A text fill as a person types it into this control: a formset row's own
 * ("Sample text 2" in ingredients-1-name: rows of one value were refused
 * as duplicates, h428), within its minlength and maxlength ("Sample text",
 * 11 characters, was refused by every form with a max_length=10 field,
 * h428): cut, or padded with x. Other types are left as they are. 0, -1.
 */
static int fill_fit(struct html_field *fl)
{
	const char *dash = fl->name ? strchr(fl->name, '-') : NULL;
	char *end = NULL, *v;
	long row = dash && isdigit((unsigned char)dash[1]) ? strtol(dash + 1, &end, 10) : -1;
	size_t len, want;
	char suffix[24] = "";

	if (!fl->fill || (strcmp(fl->type, "text") && strcmp(fl->type, "textarea") && strcmp(fl->type, "search")))
		return 0;
	if (row >= 0 && end && *end == '-')
		snprintf(suffix, sizeof(suffix), " %ld", row + 1);
	len = strlen(fl->fill) + strlen(suffix);
	want = len;
	if (fl->maxlength && (size_t)fl->maxlength < want)
		want = (size_t)fl->maxlength;
	if (fl->minlength && (size_t)fl->minlength > want)
		want = (size_t)fl->minlength;
	if (want == strlen(fl->fill))
		return 0;
	if (!(v = malloc(want + 1)))
		return err_set("out of memory");
	if (strlen(suffix) >= want) {
		snprintf(v, want + 1, "%s", suffix + 1);
	} else {
		size_t base = strlen(fl->fill) < want - strlen(suffix) ? strlen(fl->fill) : want - strlen(suffix);

		memcpy(v, fl->fill, base);
		memcpy(v + base, suffix, strlen(suffix));
		memset(v + base + strlen(suffix), 'x', want - base - strlen(suffix));
		v[want] = '\0';
	}
	free(fl->fill);
	fl->fill = v;
	return 0;
}

/* The fill of the field just added, when it is required and empty. */
static int field_set_fill(struct html_form *f, xmlNodePtr n, const char *type)
{
	struct html_field *fl = &f->fields[f->nfields - 1];

	fl->required = has_prop(n, "required");
	fl->maxlength = prop_count(n, "maxlength");
	fl->minlength = prop_count(n, "minlength");
	if (!fl->required || (fl->value && *fl->value))
		return 0;
	/* NULL is "nothing sensible" only for the types that have none. */
	fl->fill = fill_for_input(n, type);
	if (!fl->fill && strcmp(type, "file") != 0 && strcmp(type, "hidden") != 0)
		return err_set("out of memory");
	return fill_fit(fl);
}

static char *lower_dup(const char *s)
{
	char *r = strdup(s);
	size_t i;

	for (i = 0; r && r[i]; i++)
		r[i] = (char)tolower((unsigned char)r[i]);
	return r;
}

/* The collapsed text of node n, malloc'd. */
static char *text_dup(xmlNodePtr n)
{
	struct gbuf b = GBUF_INIT(0);
	struct textacc t = { &b, false };
	xmlChar *c = xmlNodeGetContent(n);
	char *r = NULL;

	if (textacc_add(&t, c ? (const char *)c : "") == 0)
		r = gbuf_detach(&b, NULL);
	xmlFree(c);
	gbuf_release(&b);
	return r;
}

/* An option's value: its value attribute, else its collapsed text. */
static char *option_value(xmlNodePtr o)
{
	return has_prop(o, "value") ? prop_dup(o, "value") : text_dup(o);
}

static xmlNodePtr select_today(xmlNodePtr sel, const char *name);

/* A required select left on its empty option ("---------") gets its first
 * option with a value, as a person would pick. */
static int select_fill(struct html_form *f, xmlNodePtr sel)
{
	struct html_field *fl = &f->fields[f->nfields - 1];
	xmlNodePtr o;

	fl->required = has_prop(sel, "required");
	if (!fl->required || (fl->value && *fl->value))
		return 0;
	/* A required date's part offered blank first ("---", h746: a due
	 * date that may not be past): today's, not 1 January. */
	if ((o = select_today(sel, fl->name))) {
		fl->fill = option_value(o);
		return fl->fill ? 0 : err_set("out of memory");
	}
	for (o = sel->children; o; o = tree_next(o, sel, true)) {
		char *v;

		if (!is_elem(o, "option") || has_prop(o, "disabled"))
			continue;
		v = option_value(o);
		if (!v)
			return err_set("out of memory");
		if (*v) {
			fl->fill = v;
			return 0;
		}
		free(v);
	}
	return 0;
}

/* The select's enabled options (value and label) onto its field, the last
 * one added: what a person picks from by the words they read. */
static int select_options(struct html_form *f, xmlNodePtr sel)
{
	struct html_field *fl = &f->fields[f->nfields - 1];
	size_t cap = 0;
	xmlNodePtr o;
	int rc = 0;

	for (o = sel->children; o && rc == 0; o = tree_next(o, sel, true)) {
		struct html_option op;

		if (!is_elem(o, "option") || has_prop(o, "disabled"))
			continue;
		op.value = option_value(o);
		op.label = text_dup(o);
		if (!op.value || !op.label || VEC_RESERVE(fl->options, cap, fl->noptions + 1) < 0) {
			free(op.value);
			free(op.label);
			rc = err_set("out of memory");
		} else {
			fl->options[fl->noptions++] = op;
		}
	}
	return rc;
}

/*
 * The option of today's day, month or year in a select of Django's
 * SelectDateWidget (NAME_day, NAME_month, NAME_year; its values are the
 * numbers, unpadded) when its first option would be sent, else `first`.
 * A required date's widget has no blank option, so a browser sends 1
 * January of its first year, which an app's rule that a publication date
 * is not in the past refused (h700); a person picks today. select_today:
 * that option, or NULL (no date part, or no such option).
 */
static xmlNodePtr select_today(xmlNodePtr sel, const char *name)
{
	static const char *const parts[] = { "_day", "_month", "_year" };
	size_t n = strlen(name), i, k;
	time_t now = time(NULL);
	struct tm tm;
	long want = -1;
	xmlNodePtr o, pick = NULL;

	for (k = 0; want == -1 && k < 3; k++) {
		size_t m = strlen(parts[k]);

		if (n > m && !strcmp(name + n - m, parts[k]) && gmtime_r(&now, &tm))
			want = k == 0 ? tm.tm_mday : k == 1 ? tm.tm_mon + 1 : tm.tm_year + 1900L;
	}
	for (o = want < 0 ? NULL : sel->children; o && !pick; o = tree_next(o, sel, true)) {
		char *v = is_elem(o, "option") && !has_prop(o, "disabled") ? option_value(o) : NULL, *end = NULL;

		for (i = 0; v && isspace((unsigned char)v[i]); i++)
			;
		if (v && v[i] && strtol(v + i, &end, 10) == want && !*end)
			pick = o;
		free(v);
	}
	return pick;
}

static xmlNodePtr select_date_part(xmlNodePtr sel, const char *name, xmlNodePtr first)
{
	char *fv = option_value(first);
	/* A blank first option (an optional date's "---") is sent as it
	 * is: a person leaves an optional date empty (a required one is
	 * filled with today's, select_fill). */
	xmlNodePtr today = fv && *fv ? select_today(sel, name) : NULL;

	free(fv);
	return today ? today : first;
}

/* The select's field(s): what it submits as it stands. */
static int form_add_select_value(struct html_form *f, size_t *cap, xmlNodePtr sel, const char *name)
{
	xmlNodePtr o, first = NULL;
	bool multiple = has_prop(sel, "multiple"), any = false;

	for (o = sel->children ? sel->children : NULL; o; o = tree_next(o, sel, true)) {
		if (!is_elem(o, "option"))
			continue;
		if (!first)
			first = o;
		if (has_prop(o, "selected") && !has_prop(o, "disabled")) {
			if (form_add(f, cap, strdup(name), option_value(o), "select") < 0)
				return -1;
			any = true;
			if (!multiple)
				return select_fill(f, sel);
		}
	}
	/* A single select with nothing selected submits its first option. */
	if (!any && !multiple && first)
		return form_add(f, cap, strdup(name), option_value(select_date_part(sel, name, first)), "select") < 0
			       ? -1
			       : select_fill(f, sel);
	/* A required multiple select with nothing chosen: kept unsent, with a fill. */
	if (!any && multiple && has_prop(sel, "required"))
		return form_add_ex(f, cap, strdup(name), NULL, "select", true) < 0 ? -1 : select_fill(f, sel);
	return 0;
}

static int form_add_select(struct html_form *f, size_t *cap, xmlNodePtr sel, const char *name)
{
	size_t before = f->nfields;
	int rc = form_add_select_value(f, cap, sel, name);

	if (rc == 0 && f->nfields > before)
		rc = select_options(f, sel);
	return rc;
}

/*
 * Whether n is a submit button: <button> of type submit (its default) or
 * <input type=submit>. An image button sends coordinates, never its name
 * alone: not one here.
 */
static bool is_submit_button(xmlNodePtr n)
{
	const char *t = prop_peek(n, "type");

	return is_elem(n, "button") ? !t || !*t || !strcasecmp(t, "submit")
				    : is_elem(n, "input") && t && !strcasecmp(t, "submit");
}

/* Whether a submit button is a secondary action, by its name, value or
 * words: a draft, a preview, a cancel, a delete, a back. A person clicks
 * the form's main button, "Publish" after "Save draft" (h610). */
static bool button_secondary(xmlNodePtr b)
{
	/* And a draft in the languages apps are written in (h656: "Salvar
	 * rascunho" sent before "Publicar"). */
	static const char *const words[] = { "draft", "preview", "cancel", "delete", "remove", "back",
					     "rascunho", "borrador", "brouillon", "entwurf", "bozza", NULL };
	const char *attrs[] = { prop_peek(b, "name"), prop_peek(b, "value"), NULL };
	char *text = is_elem(b, "button") ? text_dup(b) : NULL;
	bool secondary = false;
	size_t i, w;

	for (i = 0; i < 3 && !secondary; i++) {
		const char *s = i < 2 ? attrs[i] : text;

		for (w = 0; s && words[w] && !secondary; w++)
			secondary = strcasestr(s, words[w]) != NULL;
	}
	free(text);
	return secondary;
}

/* A secondary default button chosen before a main one: no longer sent. */
static int form_drop_submitter(struct html_form *f)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].submitter) {
			free(f->fields[i].name);
			f->fields[i].submitter = false;
			if (!(f->fields[i].name = strdup("")))
				rc = err_set("out of memory");
		}
	return rc;
}

/*
 * The form's default button, the first submit button in it, when it has a
 * name: a person pressing Enter submits the form with it, and its name and
 * value are sent (HTML's implicit submission). A form of two buttons,
 * "Publish" (name=action value=publish) then "Save as draft", saved every
 * recipe as a draft when no button was sent (h594). An <input> without a
 * value sends its default label, "Submit".
 */
static int form_add_submitter(struct html_form *f, size_t *cap, xmlNodePtr b, const char *name)
{
	const char *v = prop_peek(b, "value");
	int rc = form_add(f, cap, strdup(name), strdup(v ? v : is_elem(b, "input") ? "Submit" : ""), "submit");

	if (rc == 0)
		f->fields[f->nfields - 1].submitter = true;
	return rc;
}

static int form_add_textarea(struct html_form *f, size_t *cap, xmlNodePtr ta, const char *name)
{
	xmlChar *c = xmlNodeGetContent(ta);
	const char *v = c ? (const char *)c : "";
	int rc;

	/* The HTML parser drops one newline right after <textarea>; browsers do too. */
	if (v[0] == '\r' && v[1] == '\n')
		v += 2;
	else if (v[0] == '\n')
		v++;
	rc = form_add(f, cap, strdup(name), strdup(v), "textarea");
	if (rc == 0)
		rc = field_set_fill(f, ta, "text");
	xmlFree(c);
	return rc;
}

/* Whether name ends with suffix. */
static bool str_ends(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n >= k && !strcmp(name + n - k, suffix);
}

/* Whether the form already has a control named `name` (a radio group's
 * checked member, or an earlier unsent one). */
static bool form_has(const struct html_form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nfields; i++)
		if (!strcmp(f->fields[i].name, name))
			return true;
	return false;
}

/* The form's control named `name`, or NULL. */
static struct html_field *form_field_named(struct html_form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nfields; i++)
		if (!strcmp(f->fields[i].name, name))
			return &f->fields[i];
	return NULL;
}

static int form_add_input(struct html_form *f, size_t *cap, xmlNodePtr in, const char *name)
{
	char *type = NULL, *tattr = NULL;
	int rc = -1;

	/* A type lost to memory would make a hidden field or a button text. */
	if (prop_get(in, "type", &tattr) < 0)
		goto done;
	type = lower_dup(tattr && *tattr ? tattr : "text");
	if (!type) {
		err_set("out of memory");
		goto done;
	}
	/* Buttons are only sent when clicked (the default button is added
	 * by form_add_submitter). */
	if (!strcmp(type, "submit") || !strcmp(type, "button") || !strcmp(type, "image") ||
	    !strcmp(type, "reset")) {
		rc = 0;
		goto done;
	}
	if (!strcmp(type, "checkbox") || !strcmp(type, "radio")) {
		if (!has_prop(in, "checked")) {
			/* Unchecked: not sent; a required one is kept unsent with the
			 * value a person would tick (a radio group's first). */
			rc = 0;
			if (has_prop(in, "required") && !form_has(f, name)) {
				rc = form_add_ex(f, cap, strdup(name), NULL, type, true);
				if (rc == 0) {
					f->fields[f->nfields - 1].required = true;
					f->fields[f->nfields - 1].fill =
						has_prop(in, "value") ? prop_dup(in, "value") : strdup("on");
					if (!f->fields[f->nfields - 1].fill)
						rc = err_set("out of memory");
				}
			} else if (!strcmp(type, "radio") && has_prop(in, "required") && has_prop(in, "value")) {
				/* A group whose checked member is Django's blank
				 * choice ("---------", value "", a RadioSelect of a
				 * field with choices, h571): a person picks the
				 * first real one, as a select's first option. */
				struct html_field *g = form_field_named(f, name);
				char *v = NULL;

				if (g && g->value && !*g->value && !g->fill) {
					if (prop_get(in, "value", &v) < 0) {
						rc = -1;
					} else if (v && *v) {
						g->fill = v;
						v = NULL;
					}
				}
				free(v);
			} else if (!strcmp(type, "radio") && has_prop(in, "value")) {
				/* The same blank choice checked, not marked
				 * required (a formset row's, which Django never
				 * marks, min_num=1, h654): its first real choice,
				 * to pick if the answer asks for it. */
				struct html_field *g = form_field_named(f, name);
				const char *val = prop_peek(in, "value");

				if (g && g->value && !*g->value && !g->fill && !g->tick && val && *val &&
				    !(g->tick = strdup(val)))
					rc = err_set("out of memory");
				if (g && g->tick)
					g->tick_group = true;   /* a radio group is one */
			} else if (!strcmp(type, "checkbox") && !form_has(f, name) && !str_ends(name, "-DELETE")) {
				/* Kept unsent, to tick if the answer asks for it
				 * (never a formset row's DELETE box). */
				rc = form_add_ex(f, cap, strdup(name), NULL, type, true);
				if (rc == 0) {
					f->fields[f->nfields - 1].tick =
						has_prop(in, "value") ? prop_dup(in, "value") : strdup("on");
					if (!f->fields[f->nfields - 1].tick)
						rc = err_set("out of memory");
				}
			} else if (!strcmp(type, "checkbox")) {
				/* Another box of that name: the one kept stands for a
				 * group. */
				struct html_field *g = form_field_named(f, name);

				if (g && g->tick)
					g->tick_group = true;
			}
			goto done;
		}
		rc = form_add(f, cap, strdup(name),
			      has_prop(in, "value") ? prop_dup(in, "value") : strdup("on"), type);
		if (rc == 0)
			f->fields[f->nfields - 1].required = has_prop(in, "required");
	} else if (!strcmp(type, "file")) {
		/* Kept, empty, so the caller knows a file is expected here, and
		 * of which kinds (the file a person attaches, h598). */
		const char *accept = prop_peek(in, "accept");

		rc = form_add(f, cap, strdup(name), strdup(""), type);
		if (rc == 0)
			f->fields[f->nfields - 1].required = has_prop(in, "required");
		if (rc == 0 && accept && *accept && !(f->fields[f->nfields - 1].accept = lower_dup(accept)))
			rc = err_set("out of memory");
	} else {
		rc = form_add(f, cap, strdup(name),
			      has_prop(in, "value") ? prop_dup(in, "value") : strdup(""), type);
		if (rc == 0)
			rc = field_set_fill(f, in, type);
	}
done:
	free(tattr);
	free(type);
	return rc;
}

/*
 * A Django formset's first `min` rows are required, though Django marks
 * none of their controls `required` (a formset's forms are built with
 * use_required_attribute off): a person fills them, so their empty text,
 * number and select controls get the fill a required one would, and their
 * file inputs count as required ones (the caller attaches its small PNG to
 * a required file input of a form that sends files, h234: a required
 * attachment row). The rows are named PREFIX-N-FIELD (`prefix` the first
 * plen bytes of pre); DELETE, ORDER and id are never filled, nor boxes (a
 * BooleanField is never required).
 */
static int formset_rows_fill(struct html_form *f, const char *pre, size_t plen, long min)
{
	size_t j, k;

	for (j = 0; j < f->nfields && min > 0; j++) {
		struct html_field *fl = &f->fields[j];
		const char *n = fl->name, *rest;
		char *end;
		long row;

		if (strncmp(n, pre, plen) || n[plen] != '-' || !isdigit((unsigned char)n[plen + 1]))
			continue;
		row = strtol(n + plen + 1, &end, 10);
		rest = *end == '-' ? end + 1 : NULL;
		if (!rest || row >= min || !strcmp(rest, "DELETE") || !strcmp(rest, "ORDER") ||
		    !strcmp(rest, "id") || fl->required || (fl->value && *fl->value) || fl->fill ||
		    !strcmp(fl->type, "hidden") || !strcmp(fl->type, "checkbox") || !strcmp(fl->type, "radio"))
			continue;
		if (!strcmp(fl->type, "file")) {
			fl->required = true;
			continue;
		}
		if (!strcmp(fl->type, "select")) {
			for (k = 0; k < fl->noptions && !fl->fill; k++)
				if (*fl->options[k].value && !(fl->fill = strdup(fl->options[k].value)))
					return err_set("out of memory");
		} else if (!(fl->fill = fill_for_input(NULL, fl->type)) || fill_fit(fl) < 0) {
			return err_set("out of memory");
		}
		fl->required = fl->fill != NULL;
	}
	return 0;
}

/* Whether the form has a control named the first plen bytes of pre, then
 * `suffix`. */
static bool form_has_suffixed(const struct html_form *f, const char *pre, size_t plen, const char *suffix)
{
	size_t i, slen = strlen(suffix);

	for (i = 0; i < f->nfields; i++)
		if (strlen(f->fields[i].name) == plen + slen && !strncmp(f->fields[i].name, pre, plen) &&
		    !strcmp(f->fields[i].name + plen, suffix))
			return true;
	return false;
}

/* The rows its management form's hidden PREFIX-MIN_NUM_FORMS requires,
 * of every formset of the form. */
static int formset_rows_require(struct html_form *f)
{
	static const char suffix[] = "-MIN_NUM_FORMS";
	const size_t slen = sizeof(suffix) - 1;
	size_t i;
	int rc = 0;

	for (i = 0; i < f->nfields && rc == 0; i++) {
		const char *m = f->fields[i].name, *v = f->fields[i].value;
		size_t plen = strlen(m);

		if (plen > slen && str_ends(m, suffix) && v)
			rc = formset_rows_fill(f, m, plen - slen, strtol(v, NULL, 10));
	}
	return rc;
}

int html_form_rows_require(struct html_form *f, long min)
{
	static const char suffix[] = "-TOTAL_FORMS";
	const size_t slen = sizeof(suffix) - 1;
	size_t i;
	int rc = 0;

	for (i = 0; i < f->nfields && rc == 0; i++) {
		const char *m = f->fields[i].name;
		size_t plen = strlen(m);

		if (plen > slen && str_ends(m, suffix) && !form_has_suffixed(f, m, plen - slen, "-MIN_NUM_FORMS"))
			rc = formset_rows_fill(f, m, plen - slen, min);
	}
	return rc;
}

/* Whether n is a form control (input, select, textarea, button). */
static bool is_control_elem(xmlNodePtr n)
{
	return n->type == XML_ELEMENT_NODE && (is_elem(n, "input") || is_elem(n, "select") ||
					       is_elem(n, "textarea") || is_elem(n, "button"));
}

/* Whether n lies inside `form`. */
static bool node_within(xmlNodePtr n, xmlNodePtr form)
{
	for (; n && n != form; n = n->parent)
		;
	return n == form;
}

/*
 * The form's control after `n` (NULL: the first), in tree order: those
 * inside it (not a control's own children), then those elsewhere in the
 * document whose form attribute names its id. NULL: no more. `descend` is
 * the walk's state, the caller's to keep.
 */
static xmlNodePtr form_control_next(xmlNodePtr form, xmlNodePtr n, bool *descend)
{
	xmlNodePtr root = xmlDocGetRootElement(form->doc);
	const char *id = prop_peek(form, "id"), *fa;
	bool outside = n && !node_within(n, form);

	if (!outside) {
		for (n = n ? tree_next(n, form, *descend) : form->children; n; n = tree_next(n, form, true))
			if (is_control_elem(n))
				break;
		*descend = false;
		/* None left inside: on to those outside that name it. */
		outside = !n && id && *id;
		if (outside)
			n = root;
	} else {
		n = tree_next(n, root, false);
	}
	for (; outside && n; n = tree_next(n, root, true))
		if (is_control_elem(n) && (fa = prop_peek(n, "form")) && !strcmp(fa, id) && !node_within(n, form))
			break;
	return n;
}

/* *slot replaced by `v` (taken): 0, or -1 when `v` is NULL (out of
 * memory), *slot kept. */
static int str_replace(char **slot, char *v)
{
	if (!v)
		return err_set("out of memory");
	free(*slot);
	*slot = v;
	return 0;
}


/* The words a person reads beside a radio button: its enclosing <label>,
 * else the <label for=> naming its id, else its value. Malloc'd, or NULL
 * (out of memory). */
static char *radio_label(xmlNodePtr in)
{
	xmlNodePtr p, root, c;
	const char *id = prop_peek(in, "id"), *f;
	int up;

	for (p = in->parent, up = 0; p && p->type == XML_ELEMENT_NODE && up < 3; p = p->parent, up++)
		if (is_elem(p, "label"))
			return text_dup(p);
	if (id && *id) {
		for (root = in; root->parent && root->parent->type == XML_ELEMENT_NODE; root = root->parent)
			;
		for (c = root; c; c = tree_next(c, root, true))
			if (is_elem(c, "label") && (f = prop_peek(c, "for")) && !strcmp(f, id))
				return text_dup(c);
	}
	return prop_dup(in, "value");
}

/*
 * A radio group's buttons as the options of its field, as a select's are
 * (select_options): a check told to choose "resolved" then sends the
 * button's own value a person clicks, "Resolved" where the page writes
 * that (h987: the status form's buttons valued as the labels, a view
 * taking the lower-case names, and a browser's post, sent as the check's
 * word, taken). Only for a group the form sends (one button checked, or
 * kept required): one with none checked has no field to pick in.
 */
static int radio_options(struct html_form *f, xmlNodePtr form)
{
	size_t caps[64] = {0};
	xmlNodePtr n;
	bool descend;
	int rc = 0;

	for (n = form_control_next(form, NULL, &descend); n && rc == 0; n = form_control_next(form, n, &descend)) {
		const char *type = prop_peek(n, "type"), *name = prop_peek(n, "name");
		struct html_field *fl;
		struct html_option op;
		size_t k;

		if (!is_elem(n, "input") || !type || strcasecmp(type, "radio") || !name || !*name ||
		    has_prop(n, "disabled") || !has_prop(n, "value") || !(fl = form_field_named(f, name)) ||
		    !fl->type || strcmp(fl->type, "radio"))
			continue;
		k = (size_t)(fl - f->fields);
		op.value = prop_dup(n, "value");
		op.label = radio_label(n);
		if (!op.value || !op.label || k >= 64 || VEC_RESERVE(fl->options, caps[k], fl->noptions + 1) < 0) {
			free(op.value);
			free(op.label);
			rc = k >= 64 ? 0 : err_set("out of memory");
		} else {
			fl->options[fl->noptions++] = op;
		}
	}
	return rc;
}

/* The pressed button's own formaction, formmethod and formenctype in
 * place of the form's, as a browser sends it (h656: "Publish" posting to
 * ?publish=1, the form's action saving a draft). 0, or -1 out of memory. */
static int form_button_overrides(struct html_form *f, xmlNodePtr b)
{
	const char *action = prop_peek(b, "formaction"), *method = prop_peek(b, "formmethod"),
		   *enctype = prop_peek(b, "formenctype");
	int rc = 0;

	if (action && *action)
		rc = str_replace(&f->action, strdup(action));
	if (rc == 0 && method && (!strcasecmp(method, "post") || !strcasecmp(method, "get")))
		rc = str_replace(&f->method, strdup(strcasecmp(method, "post") ? "GET" : "POST"));
	if (rc == 0 && enctype &&
	    (!strcasecmp(enctype, "multipart/form-data") || !strcasecmp(enctype, "application/x-www-form-urlencoded")))
		rc = str_replace(&f->enctype, lower_dup(enctype));
	return rc;
}

static int form_build(xmlNodePtr form, struct html_form **out)
{
	struct html_form *f = NULL;
	xmlNodePtr n, pressed = NULL;
	size_t cap = 0;
	char *v = NULL, *name = NULL;
	bool descend = true, default_seen = false, default_secondary = false;
	int rc = -1;

	*out = NULL;
	f = calloc(1, sizeof(*f));
	if (!f) {
		err_set("out of memory");
		goto done;
	}
	if (prop_get(form, "action", &v) < 0)
		goto done;
	f->action = v ? v : strdup("");
	if (prop_get(form, "method", &v) < 0)
		goto done;
	if (v && (!strcasecmp(v, "post") || !strcasecmp(v, "dialog"))) {
		size_t i;

		for (i = 0; v[i]; i++)
			v[i] = (char)toupper((unsigned char)v[i]);
		f->method = v;
	} else {
		/* Missing or invalid: a browser submits with GET. */
		free(v);
		f->method = strdup("GET");
	}
	{
		static const char *const hx[] = { "hx-post", "hx-put", "hx-patch", "data-hx-post",
						  "data-hx-put", "data-hx-patch" };
		size_t i;

		for (i = 0; i < sizeof(hx) / sizeof(hx[0]) && !f->htmx; i++)
			f->htmx = prop_peek(form, hx[i]) != NULL;
	}
	if (prop_get(form, "enctype", &v) < 0)
		goto done;
	if (v && (!strcasecmp(v, "multipart/form-data") || !strcasecmp(v, "text/plain") ||
		  !strcasecmp(v, "application/x-www-form-urlencoded"))) {
		f->enctype = lower_dup(v);
	} else {
		f->enctype = strdup("application/x-www-form-urlencoded");
	}
	free(v);
	v = NULL;
	if (!f->action || !f->method || !f->enctype) {
		err_set("out of memory");
		goto done;
	}
	/* Its controls: those inside it, then those elsewhere that name it
	 * in their form attribute, as a browser sends them (h604: a file
	 * input after </form> with form="recipe-form"). */
	for (n = form_control_next(form, NULL, &descend); n; n = form_control_next(form, n, &descend)) {
		bool submitter;

		/* The first submit button is the default one, named or not,
		 * unless it is a secondary action and a main one follows. */
		submitter = is_submit_button(n) && (!default_seen || (default_secondary && !button_secondary(n)));
		if (submitter && default_seen && form_drop_submitter(f) < 0)
			goto done;
		if (submitter) {
			default_seen = true;
			default_secondary = button_secondary(n);
			pressed = n;
		}
		free(name);
		if (prop_get(n, "name", &name) < 0)
			goto done;
		/* Browsers submit neither nameless nor disabled controls. */
		if (!name || !*name || has_prop(n, "disabled"))
			continue;
		if (submitter)
			rc = form_add_submitter(f, &cap, n, name);
		else if (is_elem(n, "button"))
			rc = 0;
		else if (is_elem(n, "input"))
			rc = form_add_input(f, &cap, n, name);
		else if (is_elem(n, "select"))
			rc = form_add_select(f, &cap, n, name);
		else
			rc = form_add_textarea(f, &cap, n, name);
		if (rc < 0)
			goto done;
		rc = -1;
	}
	if (formset_rows_require(f) < 0 || (pressed && form_button_overrides(f, pressed) < 0) ||
	    radio_options(f, form) < 0)
		goto done;
	*out = f;
	f = NULL;
	rc = 0;
done:
	free(name);
	free(v);
	html_form_free(f);
	return rc;
}

/* The first <form> in the subtree of n (n included), or NULL. */
static xmlNodePtr form_within(xmlNodePtr n)
{
	xmlNodePtr m;

	if (is_elem(n, "form"))
		return n;
	for (m = n->children; m; m = tree_next(m, n, true))
		if (is_elem(m, "form"))
			return m;
	return NULL;
}

/* Whether a control's name is `name` under a prefix, as Django names a
 * form given one (recipe-title for title, h573). */
static bool name_is_prefixed(const char *control, const char *name)
{
	size_t c = strlen(control), n = strlen(name);

	return c > n + 1 && control[c - n - 1] == '-' && !strcmp(control + c - n, name);
}

/* How many of `names` the subtree of `form` has a named control for, by
 * its name or under a prefix. */
static size_t form_names_count(xmlNodePtr form, const char *const *names, size_t *hidden)
{
	size_t i, k = 0;
	xmlNodePtr n;
	bool found, shown;

	*hidden = 0;
	for (i = 0; names && names[i]; i++) {
		found = shown = false;
		for (n = form->children; n && !shown; n = tree_next(n, form, true)) {
			const char *t;
			char *nm;
			bool named;

			if (!is_elem(n, "input") && !is_elem(n, "select") && !is_elem(n, "textarea"))
				continue;
			nm = prop_dup(n, "name");
			named = nm && (!strcmp(nm, names[i]) || name_is_prefixed(nm, names[i]));
			free(nm);
			t = named ? prop_peek(n, "type") : NULL;
			found |= named;
			shown |= named && !(is_elem(n, "input") && t && !strcasecmp(t, "hidden"));
		}
		k += found;
		*hidden += found && !shown;
	}
	return k;
}

/* Whether a form's action signs its user out: a person never fills one in
 * for anything else, and posting it ends the session every later check
 * of that user signs in with (h298: the navbar's logout form posted as a
 * recipe form the page built with scripts). */
static bool form_signs_out(xmlNodePtr form)
{
	static const char *const words[] = { "logout", "log-out", "log_out", "signout", "sign-out", "sign_out" };
	char *a = prop_dup(form, "action");
	bool out = false;
	size_t k;

	for (k = 0; a && !out && k < sizeof(words) / sizeof(words[0]); k++)
		out = strcasestr(a, words[k]) != NULL;
	free(a);
	return out;
}

int html_form_find_for(struct html_doc *d, const char *selector, const char *action,
		       const char *const *names, struct html_form **out)
{
	struct gbuf xp = GBUF_INIT(0);
	xmlXPathObjectPtr res = NULL;
	xmlNodePtr form = NULL, first = NULL, most = NULL, veiled = NULL;
	size_t want = 0, k, most_k = 0, hidden;
	int i, pass, rc = -1;

	*out = NULL;
	if (selector) {
		if (html_css_to_xpath(selector, &xp) < 0)
			goto done;
	} else if (gbuf_adds(&xp, "//form") < 0) {
		goto done;
	}
	if (html_eval(d, gbuf_str(&xp), &res) < 0)
		goto done;
	while (names && names[want])
		want++;
	/* Pass 0: forms matched directly; pass 1: a form inside a match
	 * ("#new-ticket" naming a wrapper div). In each, the first candidate
	 * holding every named control wins, as a person picks the form whose
	 * fields they were told to fill (not a search or logout form before it);
	 * without one, the first holding the most of them (a form missing one
	 * field is still that form, not the navbar's logout form); without
	 * any, the first candidate. A form that signs out never is one. */
	for (pass = 0; pass < 2 && !form && !first && res->type == XPATH_NODESET && res->nodesetval; pass++) {
		if (pass == 1 && !selector)
			break;
		for (i = 0; !form && i < res->nodesetval->nodeNr; i++) {
			xmlNodePtr n = res->nodesetval->nodeTab[i], cand = NULL;
			char *a;

			if (pass == 0) {
				if (!is_elem(n, "form"))
					continue;
				if (!selector && action) {
					a = prop_dup(n, "action");
					if (strcmp(a ? a : "", action) == 0)
						cand = n;
					free(a);
				} else {
					cand = n;
				}
			} else if (n->type == XML_ELEMENT_NODE) {
				cand = form_within(n);
			}
			if (!cand || (!action && form_signs_out(cand)))
				continue;
			if (!first)
				first = cand;
			k = form_names_count(cand, names, &hidden);
			/* One whose named control is hidden is a form of another
			 * purpose carrying the value along (h1253: "assign to
			 * me" above the status form, status=open hidden in it):
			 * a form showing it comes first. */
			if (k == want && hidden && !veiled)
				veiled = cand;
			else if (k == want && !hidden)
				form = cand;
			else if (k > most_k) {
				most = cand;
				most_k = k;
			}
		}
	}
	if (!form)
		form = veiled ? veiled : most ? most : first;
	if (!form) {
		rc = 1;
		goto done;
	}
	rc = form_build(form, out);
done:
	xmlXPathFreeObject(res);
	gbuf_release(&xp);
	return rc;
}

int html_form_find(struct html_doc *d, const char *selector, const char *action, struct html_form **out)
{
	return html_form_find_for(d, selector, action, NULL, out);
}

/* ---- a re-shown form's errors --------------------------------------------------- */

#define HTML_ERRORS_MAX 50

/* At least two letters in n's text: Bootstrap's text-danger marks errors
 * written by hand ("<small class=text-danger>{{ error }}</small>"), and
 * also the red "*" beside a required field's label, which is not one. */
static bool has_words(xmlNodePtr n)
{
	xmlChar *c = xmlNodeGetContent(n);
	const unsigned char *p;
	int letters = 0;

	for (p = c; p && *p && letters < 2; p++)
		if (isalpha(*p) || *p >= 0x80)
			letters++;
	xmlFree(c);
	return letters >= 2;
}

/* The next word of a space-separated attribute (a class, an id of
 * aria-describedby): *c and *len get it, *p moves past it; false when
 * there is none left. */
static bool word_next(const char **p, const char **c, size_t *len)
{
	if (!*p)
		return false;
	*p += strspn(*p, " \t\n\r\f");
	*c = *p;
	*len = strcspn(*p, " \t\n\r\f");
	*p += *len;
	return *len > 0;
}

/* Whether class c (len bytes) is `name`, or one of `names`, or starts
 * with `prefix` and goes on. */
static bool class_is(const char *c, size_t len, const char *name)
{
	return strlen(name) == len && !strncasecmp(c, name, len);
}

static bool class_in(const char *c, size_t len, const char *const *names)
{
	for (; *names; names++)
		if (class_is(c, len, *names))
			return true;
	return false;
}

static bool class_prefixed(const char *c, size_t len, const char *prefix)
{
	return len > strlen(prefix) && !strncasecmp(c, prefix, strlen(prefix));
}

/* Whether a class word names an error in one of its parts, split at '-'
 * and '_' as BEM and its kin write them ("form__error", "error-message",
 * "form-problem", h672), unless a part before says none ("no-errors"). */
static bool class_part_error(const char *c, size_t len)
{
	/* And "invalid" (h820: BEM's "hint hint--invalid" under the input;
	 * a block holding its control is never its error, whatever it says). */
	static const char *const parts[] = { "error", "errors", "problem", "problems", "invalid", NULL };
	static const char *const none[] = { "no", "without", NULL };
	size_t i = 0, k;
	bool negated = false;

	while (i < len) {
		for (k = i; k < len && c[k] != '-' && c[k] != '_'; k++)
			;
		if (k > i && class_in(c + i, k - i, parts))
			return !negated;
		negated |= k > i && class_in(c + i, k - i, none);
		for (i = k; i < len && (c[i] == '-' || c[i] == '_'); i++)
			;
	}
	return false;
}

/* The <form> n lies in (n itself when it is one), or NULL. */
static xmlNodePtr form_of(xmlNodePtr n)
{
	for (; n && !(n->type == XML_ELEMENT_NODE && is_elem(n, "form")); n = n->parent)
		;
	return n;
}

/* Whether n holds a form control: a field's whole block, never its
 * error. */
static bool holds_control(xmlNodePtr n)
{
	xmlNodePtr m;

	for (m = n->children; m; m = tree_next(m, n, true))
		if (m->type == XML_ELEMENT_NODE &&
		    (is_elem(m, "input") || is_elem(m, "select") || is_elem(m, "textarea")))
			return true;
	return false;
}

/* Whether n lies in a field's block marked as in error, up to three
 * levels above it: Bootstrap 3's "form-group has-error" (its help-block
 * the error, h678), Bootstrap 4's has-danger, Semantic UI's "field
 * error" (its "ui pointing red basic label"). */
static bool in_error_block(xmlNodePtr n)
{
	static const char *const marks[] = { "has-error", "has-danger", "error", NULL };
	const char *p, *c;
	size_t len;
	int k;

	/* Or a modifier of its own naming the error (h682: a drop zone's
	 * <label class="dropzone dropzone--error"> holding the input). */
	for (n = n->parent, k = 0; n && n->type == XML_ELEMENT_NODE && k < 3; n = n->parent, k++)
		for (p = prop_peek(n, "class"); p && word_next(&p, &c, &len);)
			if ((class_in(c, len, marks) || class_part_error(c, len)) && holds_control(n))
				return true;
	return false;
}

/* Whether a class word names a feedback in one of its parts ("dropzone__
 * feedback", h682), not a valid one (Bootstrap's valid-feedback says the
 * field is right). */
static bool class_part_feedback(const char *c, size_t len)
{
	static const char *const parts[] = { "feedback", NULL };
	static const char *const fine[] = { "valid", "success", NULL };
	size_t i = 0, k;
	bool feedback = false, good = false;

	while (i < len) {
		for (k = i; k < len && c[k] != '-' && c[k] != '_'; k++)
			;
		feedback |= k > i && class_in(c + i, k - i, parts);
		good |= k > i && class_in(c + i, k - i, fine);
		for (i = k; i < len && (c[i] == '-' || c[i] == '_'); i++)
			;
	}
	return feedback && !good;
}

/* Whether a class attribute has a class starting with `prefix` (a class
 * of its own: "focus:border-red-500" is not "border-red-500"). */
static bool class_has_prefix(const char *cls, const char *prefix)
{
	const char *c;
	size_t len;

	while (word_next(&cls, &c, &len))
		if (class_prefixed(c, len, prefix))
			return true;
	return false;
}

/* Whether a CSS colour value (its text up to ';') is a red: a name of
 * one, or a hex or rgb() whose red is at least half and twice its green
 * and blue ("#b00", "#dc3545", Bootstrap 3's "#a94442", h725; an orange
 * "#e67e22" or a brown is not). */
static bool colour_is_red(const char *v, size_t len)
{
	static const char *const names[] = { "red", "darkred", "crimson", "firebrick", "indianred", "tomato",
					     "orangered", NULL };
	unsigned rgb[3] = { 0, 0, 0 };
	char buf[64];
	size_t i, n = 0;

	for (i = 0; i < len && n + 1 < sizeof(buf); i++)
		if (!isspace((unsigned char)v[i]))
			buf[n++] = (char)tolower((unsigned char)v[i]);
	buf[n] = '\0';
	if (n > 10 && !strcmp(buf + n - 10, "!important"))
		buf[n -= 10] = '\0';
	for (i = 0; names[i]; i++)
		if (!strcmp(buf, names[i]))
			return true;
	if (buf[0] == '#' && (n == 4 || n == 7) && strspn(buf + 1, "0123456789abcdef") == n - 1) {
		for (i = 0; i < 3; i++) {
			char h[3] = { buf[n == 4 ? 1 + i : 1 + 2 * i], buf[n == 4 ? 1 + i : 2 + 2 * i], 0 };

			rgb[i] = (unsigned)strtoul(h, NULL, 16);
		}
	} else if (sscanf(buf, "rgb(%u,%u,%u", &rgb[0], &rgb[1], &rgb[2]) != 3 &&
		   sscanf(buf, "rgba(%u,%u,%u", &rgb[0], &rgb[1], &rgb[2]) != 3) {
		return false;
	}
	return rgb[0] >= 128 && rgb[0] <= 255 && 2 * rgb[1] <= rgb[0] && 2 * rgb[2] <= rgb[0];
}

/* Whether an element's own style gives its text a red colour ("color:
 * red", "color:#b00"; not a background's or a border's). */
static bool style_is_red(const char *style)
{
	const char *p;

	for (p = style; (p = strcasestr(p, "color")); p += 5) {
		const char *v = p + 5;

		if (p > style && !isspace((unsigned char)p[-1]) && p[-1] != ';' && p[-1] != '"')
			continue;
		while (isspace((unsigned char)*v))
			v++;
		if (*v != ':')
			continue;
		v++;
		if (colour_is_red(v, strcspn(v, ";")))
			return true;
	}
	return false;
}

/* Whether `n`'s class attribute has one of the error-list classes the usual
 * ways of rendering a form use: Django's errorlist (as_p, as_div, as_table,
 * as_ul, {{ field.errors }}, {{ form.errors }}), Bootstrap's
 * invalid-feedback (crispy forms, django-bootstrap), the hand-written
 * error/errors, and words in an error colour: Bootstrap's text-danger,
 * Tailwind's text-red-NNN and text-rose-NNN (crispy-tailwind), DaisyUI's
 * text-error, Bulma's is-danger ("help
 * is-danger"), but not a label's red asterisk nor a red link or button.
 * *nonfield: a list of the form's own errors (Django's nonfield and a
 * formset's nonform, the admin's errornote); *summary: an alert-danger
 * box, a field's only when it sits in that field's block. */
static bool is_error_container(xmlNodePtr n, bool *nonfield, bool *summary)
{
	/* And the same words in the languages a page of Django's
	 * translations is written in: Dutch "foutmelding", German "Fehler",
	 * French "erreur", Italian "errore", Portuguese "erro" (h626: a hand-
	 * written Dutch template's <span class="foutmelding"> after the input). */
	static const char *const classes[] = { "errorlist", "invalid-feedback", "invalid-tooltip", "errors", "error",
					       "field-error", "form-error", "errornote",
					       "alert-danger", "nonfield", "flash-error", "alert-error",
					       "error-summary", "fout", "fouten", "foutmelding",
					       "fehler", "fehlermeldung", "erreur", "erreurs", "errore",
					       "errori", "erro", "erros", NULL };
	/* A block above the form listing every error (Bootstrap's
	 * alert-danger, a flash, GOV.UK's error summary, h404): no control
	 * before it owns its items; an item's link may name one. */
	static const char *const summary_classes[] = { "alert-danger", "flash-error", "alert-error", "error-summary",
						       NULL };
	/* Django's formset errors too (errorlist nonform: "ManagementForm
	 * data is missing", min_num): after the photo's input, they were
	 * the photo's (h262). */
	static const char *const nonfield_classes[] = { "nonfield", "nonform", "errornote", NULL };
	/* DaisyUI's text-error too (h610); UIkit's (h678). */
	static const char *const colours[] = { "text-danger", "is-danger", "text-error", "uk-text-danger", NULL };
	/* A block's own words for its text, which its block's error mark
	 * makes its error (in_error_block), and a feedback of its own
	 * (class_part_feedback). */
	static const char *const in_marked[] = { "help-block", "help-inline", "label", "prompt", NULL };
	/* Hidden by a class the page's CSS defines so (h678: an
	 * invalid-feedback d-none no one sees). */
	static const char *const hidden[] = { "d-none", "hidden", "is-hidden", "invisible", NULL };
	const char *p, *c, *role, *style, *id;
	bool hit = false, colour = false, part = false, unseen = false, marked = false;
	size_t len;

	*nonfield = *summary = false;
	role = n->type == XML_ELEMENT_NODE ? prop_peek(n, "role") : NULL;
	style = n->type == XML_ELEMENT_NODE ? prop_peek(n, "style") : NULL;
	id = n->type == XML_ELEMENT_NODE ? prop_peek(n, "id") : NULL;
	if (n->type != XML_ELEMENT_NODE || (!has_prop(n, "class") && !role && !style && !id) || is_elem(n, "input") ||
	    is_elem(n, "select") || is_elem(n, "textarea") || is_elem(n, "form") ||
	    is_elem(n, "body") || is_elem(n, "html"))
		return false;
	for (p = prop_peek(n, "class"); p && word_next(&p, &c, &len);) {
		hit |= class_in(c, len, classes);
		part |= class_part_error(c, len);
		*nonfield |= class_in(c, len, nonfield_classes);
		*summary |= class_in(c, len, summary_classes);
		/* Tailwind's reds, rose and pink as well as red (h610:
		 * text-rose-600; h672: text-pink-600). */
		colour |= class_in(c, len, colours) || class_prefixed(c, len, "text-red-") ||
			  class_prefixed(c, len, "text-rose-") || class_prefixed(c, len, "text-pink-");
		unseen |= class_in(c, len, hidden);
		marked |= class_in(c, len, in_marked) || class_part_feedback(c, len);
	}
	/* An id naming an error in one of its parts: Django 5.2's own
	 * "id_image_error" for a field's errors, written by hand in an
	 * element of a template's own (h820: a <div class="hint"> under the
	 * input, before Django set the id itself). */
	part |= id && class_part_error(id, strlen(id));
	/* Red in the element's own style (h678: <span style="color:red">;
	 * h725: "color:#b00"), or hidden there. */
	colour |= style && style_is_red(style);
	unseen |= style && (strcasestr(style, "display:none") || strcasestr(style, "display: none"));
	if (unseen)
		return false;
	/* A class naming an error in one of its parts, an alert inside the
	 * form (a success flash sits above it), or a block's help text or
	 * label where the block is marked as in error. */
	part = (part || (role && !strcmp(role, "alert") && form_of(n)) ||
		(marked && !is_elem(n, "label") && in_error_block(n))) && has_words(n);
	/* An error's own element never holds its control: a field's whole
	 * block with a class "error" (Semantic UI's "field error", h678)
	 * was read as the error of the control before it;
	 * "form__group--invalid" likewise. */
	return (hit || part ||
		(colour && !is_elem(n, "label") && !is_elem(n, "a") && !is_elem(n, "button") && has_words(n))) &&
	       !holds_control(n);
}

/* Django's {{ form.errors }}: an error list whose items are
 * "<li>NAME<ul class=errorlist>...</ul></li>", NAME a field's name or
 * __all__. The nested list of such an item (NULL when it is a plain
 * message); *name gets NAME, malloc'd. */
static xmlNodePtr errors_dict_item(xmlNodePtr li, char **name)
{
	xmlNodePtr c, list = NULL;
	struct gbuf t = GBUF_INIT(256);
	bool nonfield, summary;

	*name = NULL;
	for (c = li->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE && c->content)
			gbuf_adds(&t, (const char *)c->content);
		else if (!list && is_error_container(c, &nonfield, &summary))
			list = c;
	}
	if (list) {
		cJSON *nm = collapsed_string(gbuf_str(&t));

		if (nm && cJSON_IsString(nm) && *nm->valuestring && !strchr(nm->valuestring, ' '))
			*name = strdup(nm->valuestring);
		cJSON_Delete(nm);
		if (!*name)
			list = NULL;
	}
	gbuf_release(&t);
	return list;
}

/* The name of a control a person fills (not hidden, not a button),
 * borrowed from the document, or NULL. No allocation: the error lists'
 * owners are looked up with it, and an allocation failing there read as
 * "no control" and moved an error to another field. */
static const char *control_name(xmlNodePtr n)
{
	const char *t, *name;

	if (!is_elem(n, "input") && !is_elem(n, "select") && !is_elem(n, "textarea"))
		return NULL;
	t = prop_peek(n, "type");
	if (t && (!strcasecmp(t, "hidden") || !strcasecmp(t, "submit") || !strcasecmp(t, "button")))
		return NULL;
	name = prop_peek(n, "name");
	return name && *name ? name : NULL;
}

/* A control Django marked aria-invalid="true" (it marks every widget of a
 * field with errors), a hidden input among them: an editor's (Trix keeps
 * its text in one, h629). Its name, borrowed, or NULL. */
static const char *invalid_control_name(xmlNodePtr n)
{
	const char *inv = prop_peek(n, "aria-invalid"), *nm, *t;

	if (!inv || strcmp(inv, "true"))
		return NULL;
	if ((nm = control_name(n)))
		return nm;
	if (is_elem(n, "input") && (t = prop_peek(n, "type")) && !strcasecmp(t, "hidden") &&
	    (nm = prop_peek(n, "name")) && *nm)
		return nm;
	return NULL;
}

/* The field of a control Django rendered without its name (its id
 * "id_NAME": a widget template or a hand-written input that left the name
 * out, h313, h682): NAME, written into buf (cap bytes), or NULL. Such an
 * input sends nothing, which costs the checks that post it; the error
 * beside it is still its field's, never the next control's. */
static const char *nameless_field(xmlNodePtr n, char *buf, size_t cap)
{
	const char *id = prop_peek(n, "id"), *t = prop_peek(n, "type"), *nm = prop_peek(n, "name");

	if ((!is_elem(n, "input") && !is_elem(n, "select") && !is_elem(n, "textarea")) || (nm && *nm) || !id ||
	    strncmp(id, "id_", 3) || !id[3] || strlen(id + 3) >= cap ||
	    (t && (!strcasecmp(t, "hidden") || !strcasecmp(t, "submit") || !strcasecmp(t, "button"))))
		return NULL;
	snprintf(buf, cap, "%s", id + 3);
	return buf;
}

/* The one distinct control name under `top` (borrowed), or NULL when none
 * or several; with `invalid`, of the controls Django marked invalid alone,
 * and never in a block holding a whole form, whose generic alert above it
 * ("Something went wrong") is no field's error (h610: read as the
 * photo's, a false pass). */
static const char *single_control(xmlNodePtr top, bool invalid)
{
	xmlNodePtr n;
	const char *one = NULL, *nm;

	for (n = top->children; n; n = tree_next(n, top, true)) {
		if (invalid && is_elem(n, "form"))
			return NULL;
		if (!(nm = invalid ? invalid_control_name(n) : control_name(n)))
			continue;
		if (!one)
			one = nm;
		else if (strcmp(one, nm))
			return NULL;
	}
	return one;
}

/* Whether a class attribute (NULL: none) has the class `word`. */
static bool class_has_word(const char *cls, const char *word)
{
	const char *c;
	size_t len;
	bool has = false;

	while (cls && !has && word_next(&cls, &c, &len))
		has = len == strlen(word) && !strncasecmp(c, word, len);
	return has;
}

/* The nearest control before `err` in document order (the previous
 * sibling's last descendant, else the parent: a <select> after its
 * options), up to the form, one without a name but with Django's id
 * too (nameless_field); NULL: none. */
static xmlNodePtr control_node_before(xmlNodePtr err)
{
	xmlNodePtr n = err, found = NULL;
	char field[128];

	while (n && !found) {
		if (n->prev)
			for (n = n->prev; n->last; n = n->last)
				;
		else
			n = n->parent;
		if (!n || is_elem(n, "form") || is_elem(n, "body"))
			break;
		if (control_name(n) || nameless_field(n, field, sizeof(field)))
			found = n;
	}
	return found;
}

/* The field of the control before `err` (borrowed, or written into buf
 * for a nameless one), or NULL. */
static const char *control_before(xmlNodePtr err, char *buf, size_t cap)
{
	xmlNodePtr n = control_node_before(err);
	const char *nm = n ? control_name(n) : NULL;

	return nm ? nm : n ? nameless_field(n, buf, cap) : NULL;
}

/* The nearest control after `err` in its form, a nameless one too, or
 * NULL. */
static xmlNodePtr control_node_after(xmlNodePtr err)
{
	xmlNodePtr n;
	char field[128];

	for (n = tree_next(err, NULL, false); n; n = tree_next(n, NULL, true)) {
		if (is_elem(n, "form"))
			return NULL;
		if (control_name(n) || nameless_field(n, field, sizeof(field)))
			return n;
	}
	return NULL;
}

/* Whether `n` is a widget Django rendered (its id "id_NAME") and left
 * unmarked on a page where it marks: Django 5 marks every widget of a
 * field with errors aria-invalid="true", so where another control of the
 * form is marked, this one has no error. An error list followed by such a
 * widget is not its own: it was written after the control before it, by
 * hand, in a form without a block per field (h652: the photo's error read
 * as the title's), or it is a notice for the whole form above the first
 * field ("Please correct the errors below."). */
static bool widget_unmarked(xmlNodePtr n)
{
	const char *id = prop_peek(n, "id"), *nm = control_name(n);
	xmlNodePtr form, c;
	bool marked = false;

	if (!id || !nm || strncmp(id, "id_", 3) || strcmp(id + 3, nm) || invalid_control_name(n))
		return false;
	form = form_of(n);
	for (c = form ? form->children : NULL; c && !marked; c = tree_next(c, form, true))
		marked = invalid_control_name(c) != NULL;
	return marked;
}

/* The control an error list belongs to: the control whose aria-describedby
 * names the list's id (Django 5), or whose id is the list's without its
 * "_error" (Django 5.2 gives {{ field.errors }} the id "id_NAME_error", so
 * a control written by hand, without aria-describedby, is still found:
 * the HTML parser closes a <p> at the list's <ul>, which leaves the list
 * outside the field's block, h149), else the only control of the nearest
 * enclosing block that has one (errors rendered beside their field), else
 * the next control in document order (Django's as_p puts the list before
 * the field's paragraph; not a widget Django rendered and left unmarked
 * where it marked another, widget_unmarked: the control before, if marked,
 * else the form's) unless the list is a summary box (an alert at the
 * top of the form lists every field's errors), else, with no control after
 * it in its form, the control just before it: a list written after its
 * input inside a <p> is put after the <p> by the parser, and after the
 * form's last field nothing else can own it (h218). NULL: a form-wide
 * error. The name is borrowed from the document, or, for a control with an
 * id and no name, written into buf (cap bytes). */
/* Whether a control under `root` has an id beginning with id[0, len)
 * (id_NAME, id_NAME_0, ...). */
static bool control_id_under(xmlNodePtr root, const char *id, size_t len)
{
	xmlNodePtr n;
	const char *cid;
	bool found = false;

	for (n = root; n && !found; n = tree_next(n, root, true))
		found = (is_elem(n, "input") || is_elem(n, "select") || is_elem(n, "textarea")) &&
			(cid = prop_peek(n, "id")) && !strncmp(cid, id, len);
	return found;
}

static const char *error_owner_find(xmlDocPtr doc, xmlNodePtr err, bool summary, char *buf, size_t cap)
{
	xmlNodePtr n, up;
	const char *id = prop_peek(err, "id"), *desc, *nm, *nameless = NULL;
	int depth;

	/* crispy-forms' "error_1_id_tags": the field is in the id itself,
	 * whether or not the form holds a control of it (h447: a required
	 * box group with no choice has none, and the next control's name,
	 * one the grader had filled, was blamed). */
	if (id && !strncmp(id, "error_", 6) && isdigit((unsigned char)id[6])) {
		const char *f = id + 6 + strspn(id + 6, "0123456789");

		if (!strncmp(f, "_id_", 4) && f[4] && strlen(f + 4) < cap) {
			snprintf(buf, cap, "%s", f + 4);
			return buf;
		}
	}
	if (id && *id) {
		xmlNodePtr root = xmlDocGetRootElement(doc);
		size_t idlen = strlen(id), base = idlen > 6 && !strcmp(id + idlen - 6, "_error") ? idlen - 6 : 0;
		const char *cid;

		for (n = root; n; n = tree_next(n, root, true)) {
			cid = prop_peek(n, "id");
			if (!(nm = control_name(n))) {
				/* A control "id_NAME" without a name (a widget
				 * template that left it out, h313): the field
				 * is NAME, as Django's ids say, not the next
				 * control's. */
				if (!nameless && base > 3 && base - 3 < cap && !strncmp(id, "id_", 3) && cid &&
				    strlen(cid) == base && !strncmp(cid, id, base) &&
				    (is_elem(n, "input") || is_elem(n, "select") || is_elem(n, "textarea"))) {
					memcpy(buf, id + 3, base - 3);
					buf[base - 3] = '\0';
					nameless = buf;
				}
				continue;
			}
			desc = prop_peek(n, "aria-describedby");
			if (desc && strstr(desc, id))
				return nm;
			if (base && cid && strlen(cid) == base && !strncmp(cid, id, base)) {
				/* Django's id names the form's field ("id_image"
				 * for id_image_error): a control carrying it under
				 * another name (a hand-written input named photo,
				 * h865) is a misnamed input of that field, whose
				 * error it is. */
				if (base > 3 && base - 3 < cap && !strncmp(id, "id_", 3) &&
				    (strlen(nm) != base - 3 || strncmp(nm, id + 3, base - 3))) {
					memcpy(buf, id + 3, base - 3);
					buf[base - 3] = '\0';
					return buf;
				}
				return nm;
			}
		}
		if (nameless)
			return nameless;
		/* Django's own id for the field's errors, "id_NAME_error",
		 * where no control carries id_NAME (a required box group with
		 * no choice renders none, h938: the image input after it was
		 * blamed, and a refused text file taken for the photo's
		 * refusal): the field is NAME, as crispy's id says above. Not
		 * where controls carry id_NAME_0, id_NAME_1 (a MultiWidget's,
		 * a split date and time): the subwidget's own is found below. */
		if (base > 3 && base - 3 < cap && !strncmp(id, "id_", 3) && !control_id_under(root, id, base)) {
			memcpy(buf, id + 3, base - 3);
			buf[base - 3] = '\0';
			return buf;
		}
	}
	/* Its block's one control, or the one of them Django marked invalid
	 * (h629: a photo's error after a caption input in the photo's
	 * fieldset; an editor's error beside the hidden input it fills). */
	for (up = err->parent, depth = 0; up && depth < 3 && up->type == XML_ELEMENT_NODE &&
					  !is_elem(up, "form") && !is_elem(up, "body");
	     up = up->parent, depth++)
		if ((nm = single_control(up, false)) || (nm = single_control(up, true)))
			return nm;
	/* Bootstrap's feedback follows its control (<input class=is-invalid>
	 * <div class=invalid-feedback>), where Django's as_p puts the list
	 * before it: the control before it first (h604: an optional input
	 * after a photo's drop zone was blamed for the photo's error). */
	/* An alert box between two fields, the one after it marked invalid
	 * by Django, is that field's error (h682: a field component showing
	 * its errors as an alert above its label); above the first field or
	 * after the last, it stays the form's summary. */
	if (summary && control_node_before(err) && (n = control_node_after(err)) && (nm = invalid_control_name(n)))
		return nm;
	if (!summary && class_has_word(prop_peek(err, "class"), "invalid-feedback") &&
	    (nm = control_before(err, buf, cap)))
		return nm;
	if (!summary && (n = control_node_after(err))) {
		xmlNodePtr before;

		if (!(nm = control_name(n)))
			return nameless_field(n, buf, cap);
		if (!widget_unmarked(n))
			return nm;
		before = control_node_before(err);
		return before ? invalid_control_name(before) : NULL;
	}
	return summary ? NULL : control_before(err, buf, cap);
}

/*
 * The field a file input named `nm` stands for, where Django's id names
 * another ("id_image" on <input type=file name=photo>: a widget template
 * writing its own name, h990): its error is the form's field's, image, as
 * h865's id_image_error says of a hand-written one; the text file the
 * check sent as image was refused there. Not a subwidget's id
 * (id_photo_0) nor one that only begins with the name (id_photo_upload).
 * `nm` itself otherwise.
 */
static const char *file_field_of(xmlDocPtr doc, const char *nm, char *buf, size_t cap)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), n;
	const char *t, *name, *id, *field = NULL;
	size_t len = nm ? strlen(nm) : 0;

	for (n = root; nm && n && !field; n = tree_next(n, root, true))
		if (is_elem(n, "input") && (t = prop_peek(n, "type")) && !strcasecmp(t, "file") &&
		    (name = prop_peek(n, "name")) && !strcmp(name, nm) && (id = prop_peek(n, "id")) &&
		    !strncmp(id, "id_", 3) && id[3] && strcmp(id + 3, nm) && strlen(id + 3) < cap &&
		    !(strncmp(id + 3, nm, len) == 0 && id[3 + len] == '_'))
			field = id + 3;
	if (!field)
		return nm;
	snprintf(buf, cap, "%s", field);
	return buf;
}

static const char *error_owner(xmlDocPtr doc, xmlNodePtr err, bool summary, char *buf, size_t cap)
{
	return file_field_of(doc, error_owner_find(doc, err, summary, buf, cap), buf, cap);
}

/* Append one message (collapsed text) to member `name` of obj. */
static int errors_add(cJSON *obj, const char *name, const char *text)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(obj, name);
	cJSON *s;

	if (!*text)
		return 0;
	if (!list && !(list = cJSON_AddArrayToObject(obj, name)))
		return err_set("out of memory");
	s = collapsed_string(text);
	if (!s)
		return err_set("out of memory");
	cJSON_AddItemToArray(list, s);
	return 0;
}

/* The element of the tree with id `id` (len bytes), or NULL. */
static xmlNodePtr id_find(xmlNodePtr root, const char *id, size_t len)
{
	xmlNodePtr n;
	const char *v;

	for (n = root; n; n = tree_next(n, root, true))
		if (n->type == XML_ELEMENT_NODE && (v = prop_peek(n, "id")) && strlen(v) == len && !memcmp(v, id, len))
			return n;
	return NULL;
}


/* Does `desc` (an aria-describedby) name an error ("..._error") that is
 * not on the page? Lookups as aria_errors_shown's; none left: no. */
static bool aria_error_missing(xmlNodePtr root, const char *desc, int *budget)
{
	const char *p = desc, *c;
	size_t len;
	bool missing = false;

	while (!missing && word_next(&p, &c, &len) && --*budget >= 0)
		missing = len > 6 && !memcmp(c + len - 6, "_error", 6) && !id_find(root, c, len);
	return missing;
}

/*
 * aria-invalid="true" shows nothing by itself. Django 5.2 puts it, with
 * aria-describedby="id_NAME_error", on every invalid {{ field }}, whether
 * or not the template shows {{ field.errors }}: a control pointing at an
 * error ("..._error") that is not on the page shows no error to anyone.
 * Django 5.0 and 5.1 put it with no aria-describedby but the help
 * text's (h392: a template without {{ field.errors }} passed there and
 * failed on 5.2), so it counts only beside an element it names, not a
 * help text, that is on the page.
 * Each lookup walks the page, which is untrusted: *budget lookups at
 * most, and none left means not shown.
 */
static bool aria_errors_shown(xmlNodePtr root, const char *desc, int *budget)
{
	xmlNodePtr e;
	const char *p = desc, *c;
	size_t len;
	bool named = false;

	while (word_next(&p, &c, &len)) {
		if (--*budget < 0)
			return false;
		/* Django's help text ("id_NAME_helptext", which 5.0 names
		 * beside aria-invalid) is no error. */
		if (len > 9 && !memcmp(c + len - 9, "_helptext", 9))
			continue;
		/* An error with words: an empty one says nothing (h688: an
		 * error message set to "", its list rendered with no item
		 * text). */
		if ((e = id_find(root, c, len)) && (!(len > 6 && !memcmp(c + len - 6, "_error", 6)) || has_words(e)))
			named = true;
		else if (len > 6 && !memcmp(c + len - 6, "_error", 6))
			return false;
	}
	return named;
}

/*
 * The control an error summary's item links to: its first <a href="#ID">
 * whose ID is a control's on the page (h404: a GOV.UK-style summary at the
 * top of the form, "<a href="#id_image">Image</a>: Upload a valid
 * image", with no error beside the field itself). The control's name,
 * borrowed, or NULL. Each lookup walks the untrusted page: *budget
 * lookups at most.
 */
static const char *link_owner(xmlNodePtr root, xmlNodePtr li, int *budget)
{
	xmlNodePtr m, n;
	const char *href, *id;

	for (m = li->children; m; m = tree_next(m, li, true)) {
		if (!is_elem(m, "a") || !(href = prop_peek(m, "href")) || href[0] != '#' || !href[1])
			continue;
		if (--*budget < 0)
			return NULL;
		for (n = root; n; n = tree_next(n, root, true))
			if (n->type == XML_ELEMENT_NODE && (id = prop_peek(n, "id")) && !strcmp(id, href + 1))
				return control_name(n);
		return NULL;
	}
	return NULL;
}

/* An item of Django's messages framework (<ul class="messages"><li
 * class="error">, the template its documentation gives): a flash the view
 * added, "Please correct the errors below.", not a field's error. */
static bool is_flash_message(xmlNodePtr n)
{
	static const char *const flash[] = { "messages", NULL };
	xmlNodePtr up = n->parent;
	const char *cls, *c;
	size_t len;

	if (!up || up->type != XML_ELEMENT_NODE || !(cls = prop_peek(up, "class")))
		return false;
	while (word_next(&cls, &c, &len))
		if (class_in(c, len, flash))
			return true;
	return false;
}

/* A block of the template's own around Django's list of the form's own
 * errors (h1224: <div class="form__error" role="alert">{{
 * form.non_field_errors }}</div> above the title): the form's errors,
 * whatever control follows the block. Walks n's subtree once, which the
 * caller then skips. */
static bool holds_nonfield_list(xmlNodePtr n)
{
	xmlNodePtr m;
	bool held = false, nonfield, summary;

	for (m = n->children; m && !held; m = tree_next(m, n, true))
		held = is_error_container(m, &nonfield, &summary) && nonfield;
	return held;
}

/*
 * Django's {{ field.errors.as_text }} beside a control it marked
 * aria-invalid="true" (h1254: "* Upload a valid image." bare in the
 * input's table cell, or the next cell of its row): the lines starting
 * "* " in the control's parent element, or its table row, as a new cJSON
 * string, NULL none. Only those lines: a help text beside it is no error.
 * Reads at most the row's own subtree, once per such control.
 */
static cJSON *as_text_beside(xmlNodePtr ctl)
{
	xmlNodePtr block = ctl->parent, m, up;
	struct gbuf said = GBUF_INIT(1024);
	cJSON *r = NULL;
	int depth;

	for (up = ctl->parent, depth = 0; up && depth < 3 && !is_elem(up, "form"); up = up->parent, depth++)
		if (is_elem(up, "tr"))
			block = up;
	for (m = block ? block->children : NULL; m; m = tree_next(m, block, !is_elem(m, "label") &&
								     !is_elem(m, "th") && !is_elem(m, "select") &&
								     !is_elem(m, "textarea"))) {
		const char *t = m->type == XML_TEXT_NODE && m->content ? (const char *)m->content : NULL;

		t = t ? t + strspn(t, " \t\r\n") : NULL;
		if (t && t[0] == '*' && t[1] == ' ' && said.len < 512)
			gbuf_addf(&said, "%s%s", said.len ? " " : "", t + 2);
	}
	if (said.len)
		r = collapsed_string(gbuf_str(&said));
	gbuf_release(&said);
	return r;
}

int html_form_errors(struct html_doc *d, cJSON **out)
{
	xmlNodePtr root = xmlDocGetRootElement(d->doc), n, li;
	cJSON *obj = cJSON_CreateObject();
	int rc = -1, containers = 0, lookups = HTML_ERRORS_MAX, pass;

	*out = NULL;
	if (!obj)
		return err_set("out of memory");
	/* Two passes: the form's own errors first, the messages framework's
	 * flashes after them, so that a message cut for room loses the flash
	 * ("Please correct the errors below.") rather than the field's error
	 * or the hint after it (h454). */
	for (pass = 0; pass < 2 && containers <= HTML_ERRORS_MAX; pass++) {
		for (n = root; n;) {
			bool nonfield, summary, any = false;
			const char *owner;
			char nameless[128];
			xmlChar *c;

			if (!is_error_container(n, &nonfield, &summary) || is_flash_message(n) != (pass == 1)) {
				n = tree_next(n, root, true);
				continue;
			}
			/* Attaching a list may walk the document: a page from the app is
			 * untrusted, so only the first lists count. */
			if (++containers > HTML_ERRORS_MAX)
				break;
			nonfield = nonfield || holds_nonfield_list(n);
			owner = nonfield ? NULL : error_owner(d->doc, n, summary, nameless, sizeof(nameless));
			/* One message per list item; a container without items is one
			 * message; an item naming its field ({{ form.errors }}) gives
			 * its own list's messages to that field. */
			for (li = n->children; li;) {
				char *field = NULL;
				xmlNodePtr sub;

				if (!is_elem(li, "li")) {
					li = tree_next(li, n, true);
					continue;
				}
				any = true;
				rc = 0;
				sub = errors_dict_item(li, &field);
				if (sub) {
					xmlNodePtr m;

					for (m = sub->children; m && rc >= 0; m = tree_next(m, sub, true)) {
						if (!is_elem(m, "li"))
							continue;
						c = xmlNodeGetContent(m);
						rc = errors_add(obj, field, c ? (const char *)c : "");
						xmlFree(c);
					}
				} else {
					/* A link names the field better than a guess
					 * from the page's order. */
					const char *linked = link_owner(root, li, &lookups);

					c = xmlNodeGetContent(li);
					rc = errors_add(obj, linked ? linked : owner ? owner : "__all__", c ? (const char *)c : "");
					xmlFree(c);
				}
				free(field);
				if (rc < 0)
					break;
				li = tree_next(li, n, !sub);
			}
			if (!any) {
				c = xmlNodeGetContent(n);
				rc = errors_add(obj, owner ? owner : "__all__", c ? (const char *)c : "");
				xmlFree(c);
			}
			if (rc < 0)
				goto done;
			/* Not into the container: nested lists are the same errors. */
			n = tree_next(n, root, false);
		}
	}
	/* Controls marked invalid without a list we could attach. A class
	 * counts as a red border shown, unless the control names its error
	 * ("..._error") and that is not on the page: crispy's
	 * form_show_errors=False leaves is-invalid and the pointer, and no
	 * word of why (h544). */
	for (n = root; n; n = tree_next(n, root, true)) {
		const char *inv, *cls, *nm = control_name(n);
		cJSON *said;

		if (!nm)
			continue;
		inv = prop_peek(n, "aria-invalid");
		cls = prop_peek(n, "class");
		/* aria-invalid with its error on the page; Bootstrap's
		 * is-invalid, Bulma's is-danger, Tailwind's red border. */
		said = inv && !strcmp(inv, "true") && !cJSON_GetObjectItemCaseSensitive(obj, nm) && lookups-- > 0
			       ? as_text_beside(n)
			       : NULL;
		if (cJSON_IsString(said))
			rc = errors_add(obj, nm, said->valuestring);
		else if (((inv && !strcmp(inv, "true") &&
			   aria_errors_shown(root, prop_peek(n, "aria-describedby"), &lookups)) ||
			  (cls && (strstr(cls, "is-invalid") || strstr(cls, "is-danger") ||
				   class_has_prefix(cls, "border-red-")) &&
			   !aria_error_missing(root, prop_peek(n, "aria-describedby"), &lookups))) &&
			 !cJSON_GetObjectItemCaseSensitive(obj, nm))
			rc = errors_add(obj, nm, "(marked invalid)");
		else
			rc = 0;
		cJSON_Delete(said);
		if (rc < 0)
			goto done;
	}
	*out = obj;
	obj = NULL;
	rc = 0;
done:
	cJSON_Delete(obj);
	return rc;
}
