/*
 * html.h - HTML documents from submissions, through libxml2's HTML parser.
 *
 * The parser runs with recovery on, no network, no entity expansion beyond
 * HTML's own, so broken HTML still yields a tree. XPath 1.0 is libxml2's.
 * CSS selectors are a small subset translated to XPath:
 *   type, *, #id, .class, [attr], [attr=value], [attr="value"],
 *   compounds of those (a.b#c[d]), descendant (space) and child (>),
 *   and groups (a, b).
 *
 * Ownership: html_parse() -> html_free(). html_form_* results are owned by
 * the caller and freed with html_form_free().
 */
#ifndef GRADER_HTML_H
#define GRADER_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"

struct html_doc;

/* 0 ok, 1 the bytes cannot be parsed as HTML at all (why in `why`), -1 grader error. */
int html_parse(const char *data, size_t len, struct html_doc **out, struct gbuf *why);

/* Set libxml2 up once, before threads parse (engine.h's lanes); harmless
 * to call again. */
void html_init(void);
void html_free(struct html_doc *d);

/* -1 + err "bad CSS selector at offset N: ..." if outside the subset. */
int html_css_to_xpath(const char *selector, struct gbuf *xpath);

/* XPath: a node-set gives an array of the nodes' string values (attribute
 * value for attributes, whitespace-collapsed text for elements); a number,
 * string or boolean result gives that scalar. -1 + err for a bad expression. */
int html_xpath(struct html_doc *d, const char *expr, cJSON **out);
/* CSS: array of text of each match, or of attribute `attr` when non-NULL
 * (matches without the attribute are left out). */
int html_css(struct html_doc *d, const char *selector, const char *attr, cJSON **out);
/* The visible text: body text without script/style/template, whitespace collapsed. */
int html_text(struct html_doc *d, struct gbuf *out);
/* The same text without links, buttons and form controls (a, button,
 * select and its options, textarea, the label of a control): what the
 * page states rather than what it offers to click or choose. */
int html_prose(struct html_doc *d, struct gbuf *out);

/* A form as a browser would submit it. */
struct html_option {
	char *value;    /* what the form sends: the value attribute, else the text */
	char *label;    /* what a person reads: the option's collapsed text */
};
struct html_field {
	char *name;
	char *value;    /* current value; checked checkbox/radio only; first selected option.
	                   NULL: a required control the browser would not send as it stands
	                   (an unchecked required checkbox or radio, an empty multiple select) */
	char *type;     /* lower-case input type, "select" or "textarea" */
	bool required;  /* the control has the `required` attribute */
	char *accept;   /* a file input's accept attribute, lower-case; NULL otherwise */
	bool submitter; /* the form's default button (its first submit button, type
	                   "submit"), named: what pressing Enter in the form sends with it */
	char *fill;     /* required and empty: what a person would enter, by type (text,
	                   number within min/max, email, url, date..., a select's first
	                   option with a value, a box's value); a text within the
	                   control's minlength and maxlength, a formset row's own
	                   (numbered by its row); NULL otherwise */
	long maxlength, minlength; /* the control's, 0 when it has none */
	struct html_option *options; /* a select's enabled options, in order; NULL otherwise */
	size_t noptions;
	char *tick;     /* an unticked box, not `required`, of a name no box of the form
	                   ticks: its (first) box's value, which a person ticks only when
	                   the app answers that the field is required (Django's
	                   CheckboxSelectMultiple marks no box required, h189; value is
	                   NULL: it is not sent as it stands); or a radio group's first
	                   real choice where its checked one is the blank choice, not
	                   marked required (a formset row's, h654: value ""); NULL
	                   otherwise */
	bool tick_group; /* the tick's box has other boxes of its name: a group (CheckboxSelectMultiple),
	                    not a lone yes/no box */
};
struct html_form {
	char *action;   /* as written; "" when absent (= the page's own URL) */
	char *method;   /* upper-case, default "GET" */
	char *enctype;  /* lower-case, default "application/x-www-form-urlencoded" */
	bool htmx;      /* an hx-post, hx-put, hx-patch (or data-hx-...) on the form:
			 * htmx's script would send it so, the form itself does not */
	struct html_field *fields;
	size_t nfields;
};
/* The first form matching CSS `selector` (if non-NULL), else the first whose
 * action equals `action` (if non-NULL), else the first form. 0 found, 1 no
 * such form, -1 error. */
int html_form_find(struct html_doc *d, const char *selector, const char *action, struct html_form **out);
/* The same, preferring among the candidates the first form that has a
 * control named each of `names` (NULL-terminated; NULL = no preference),
 * else the first that has the most of them. */
int html_form_find_for(struct html_doc *d, const char *selector, const char *action,
		       const char *const *names, struct html_form **out);
void html_form_free(struct html_form *f);
/* Its formsets' first `min` rows filled in as required ones, for those
 * whose management form has no PREFIX-MIN_NUM_FORMS to say how many (a
 * management form written by hand with TOTAL_FORMS and INITIAL_FORMS
 * alone, which Django accepts, h654): what its refusal "Please submit at
 * least 1 form." asks. 0, -1 on OOM. */
int html_form_rows_require(struct html_form *f, long min);

/*
 * The errors a re-shown form displays, as an object: control name -> list
 * of messages, "__all__" for form-wide ones (e.g. {"image": ["Upload a
 * valid image. ..."]}). Error lists are found by class (Django's errorlist,
 * Bootstrap's invalid-feedback, error/errors/text-danger..., a class naming an
 * error in one of its parts, an alert inside the form) and attached
 * to a control by aria-describedby, by being the only control of the
 * enclosing block, or else by being the next control; an item of a
 * summary that links to a control (<a href="#id_image">) is that
 * control's; controls marked
 * aria-invalid or is-invalid count too. {} when the page shows none.
 * *out owned by the caller. -1 on OOM.
 */
int html_form_errors(struct html_doc *d, cJSON **out);

/* Today's date (UTC) as a control of `type` (date, datetime-local,
 * datetime, month, week; Django's "date/time") takes it, "12:00" for a
 * time: what a person fills a date in with. Written into buf (cap bytes,
 * 32 are enough), which is returned. */
const char *html_fill_date(const char *type, char *buf, size_t cap);

#endif
