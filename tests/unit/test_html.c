/* test_html.c - HTML parsing, CSS->XPath, XPath/CSS queries, text, forms. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "err.h"
#include "html.h"
#include "t.h"

static struct html_doc *parse(const char *s)
{
	struct html_doc *d = NULL;
	struct gbuf why = GBUF_INIT(0);

	if (html_parse(s, strlen(s), &d, &why) != 0)
		d = NULL;
	gbuf_release(&why);
	return d;
}

static char *css_print(struct html_doc *d, const char *sel, const char *attr)
{
	cJSON *out = NULL;
	char *s;

	if (html_css(d, sel, attr, &out) < 0)
		return strdup("<error>");
	s = cJSON_PrintUnformatted(out);
	cJSON_Delete(out);
	return s;
}

static char *xpath_print(struct html_doc *d, const char *expr)
{
	cJSON *out = NULL;
	char *s;

	if (html_xpath(d, expr, &out) < 0)
		return strdup("<error>");
	s = cJSON_PrintUnformatted(out);
	cJSON_Delete(out);
	return s;
}

static char *text_or_prose(const char *html, bool prose)
{
	struct html_doc *d = parse(html);
	struct gbuf t = GBUF_INIT(0);
	char *s;

	if (!d || (prose ? html_prose(d, &t) : html_text(d, &t)) < 0) {
		html_free(d);
		return strdup("<error>");
	}
	s = gbuf_detach(&t, NULL);
	html_free(d);
	return s;
}

static char *text_of(const char *html)
{
	return text_or_prose(html, false);
}

#define EXPECT_OWNED(call, want)                                               \
	do {                                                                   \
		char *t_s = (call);                                            \
		int t_eq = t_s && strcmp(t_s, want) == 0;                      \
		if (!t_eq)                                                     \
			printf("# got %s\n", t_s ? t_s : "(null)");            \
		free(t_s);                                                     \
		EXPECT(t_eq);                                                  \
	} while (0)

static char *translate(const char *sel)
{
	struct gbuf x = GBUF_INIT(0);

	if (html_css_to_xpath(sel, &x) < 0) {
		gbuf_release(&x);
		return strdup("<error>");
	}
	return gbuf_detach(&x, NULL);
}

#define CLS(c) "[contains(concat(' ', normalize-space(@class), ' '), ' " c " ')]"

TEST(css_translation)
{
	EXPECT_OWNED(translate("div"), "//div");
	EXPECT_OWNED(translate("*"), "//*");
	EXPECT_OWNED(translate("DIV"), "//div");
	EXPECT_OWNED(translate("#main"), "//*[@id='main']");
	EXPECT_OWNED(translate(".item"), "//*" CLS("item"));
	EXPECT_OWNED(translate("a.b#c[d]"), "//a" CLS("b") "[@id='c'][@d]");
	EXPECT_OWNED(translate("input[type=hidden]"), "//input[@type='hidden']");
	EXPECT_OWNED(translate("input[name=\"csrfmiddlewaretoken\"]"), "//input[@name='csrfmiddlewaretoken']");
	EXPECT_OWNED(translate("a[title='it\"s']"), "//a[@title='it\"s']");
	EXPECT_OWNED(translate("a[title=\"it's\"]"), "//a[@title=\"it's\"]");
	EXPECT_OWNED(translate("a[title=\"it's \\\"x\\\"\"]"), "<error>");
	EXPECT_OWNED(translate("ul li a"), "//ul//li//a");
	EXPECT_OWNED(translate("ul > li>a"), "//ul/li/a");
	EXPECT_OWNED(translate("h1, h2 , .t"), "//h1 | //h2 | //*" CLS("t"));
	EXPECT_OWNED(translate("  form#ticket  "), "//form[@id='ticket']");
	EXPECT_OWNED(translate("[ data-x = y ]"), "//*[@data-x='y']");
}

TEST(css_translation_errors)
{
	static const char *const bad[] = {
		"", "   ", "a:hover", "a::before", "a + b", "a ~ b", "#", ".", "[", "[x", "[x=]",
		"[x='y]", "a,", ",a", "a >", "> a", "a[x^=y]", "a[1x]", "a!",
	};
	struct gbuf x = GBUF_INIT(0);
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		gbuf_reset(&x);
		if (html_css_to_xpath(bad[i], &x) != -1)
			printf("# accepted '%s' as %s\n", bad[i], gbuf_str(&x));
		EXPECT_INT(html_css_to_xpath(bad[i], &x), -1);
		EXPECT(strncmp(err_last(), "bad CSS selector at offset ", 27) == 0);
	}
	EXPECT_INT(html_css_to_xpath("a:hover", &x), -1);
	EXPECT_STR(err_last(), "bad CSS selector at offset 1: unexpected ':' (supported: type, *, #id, .class, [attr], [attr=value], ' ', '>', ',')");
	gbuf_release(&x);
}

static const char *PAGE =
	"<!DOCTYPE html><html><head><title>Tickets</title><style>.x{color:red}</style>"
	"<script>var secret = 'hidden';</script></head><body>"
	"<h1 class=\"title main\">My   tickets</h1>"
	"<ul id=\"list\"><li class=\"ticket\"><a href=\"/tickets/1/\">Printer\n on fire</a> <span>Open</span></li>"
	"<li class=\"ticket closed\"><a href=\"/tickets/2/\">Coffee</a> <span>Resolved</span></li>"
	"<li class=\"ticketx\"><a>Not a ticket</a></li></ul>"
	"<table><tr><td>Open</td><td>Pending</td></tr></table>"
	"<img src=\"/media/cat.png\" alt=\"cat\"><img alt=\"no src\">"
	"<template><p>tmpl</p></template><noscript>enable js</noscript>"
	"<p>caf\xC3\xA9 &amp; tea&nbsp;time</p></body></html>";

TEST(css_queries)
{
	struct html_doc *d = parse(PAGE);

	EXPECT(d != NULL);
	EXPECT_OWNED(css_print(d, "li.ticket a", NULL), "[\"Printer on fire\",\"Coffee\"]");
	EXPECT_OWNED(css_print(d, ".ticket.closed > span", NULL), "[\"Resolved\"]");
	EXPECT_OWNED(css_print(d, "#list > li > a", "href"), "[\"/tickets/1/\",\"/tickets/2/\"]");
	EXPECT_OWNED(css_print(d, "img", "src"), "[\"/media/cat.png\"]");
	EXPECT_OWNED(css_print(d, "h1.main", NULL), "[\"My tickets\"]");
	EXPECT_OWNED(css_print(d, "H1, img[alt=cat]", "alt"), "[\"cat\"]");
	EXPECT_OWNED(css_print(d, "h2", NULL), "[]");
	EXPECT_OWNED(css_print(d, "a:hover", NULL), "<error>");
	html_free(d);
}

TEST(xpath_queries)
{
	struct html_doc *d = parse(PAGE);

	EXPECT(d != NULL);
	EXPECT_OWNED(xpath_print(d, "//li/a"), "[\"Printer on fire\",\"Coffee\",\"Not a ticket\"]");
	EXPECT_OWNED(xpath_print(d, "//img/@src"), "[\"/media/cat.png\"]");
	EXPECT_OWNED(xpath_print(d, "count(//li)"), "3");
	EXPECT_OWNED(xpath_print(d, "string(//h1/@class)"), "\"title main\"");
	EXPECT_OWNED(xpath_print(d, "boolean(//form)"), "false");
	EXPECT_OWNED(xpath_print(d, "//title"), "[\"Tickets\"]");
	EXPECT_OWNED(xpath_print(d, "//li[@class='ticket']/a/text()"), "[\"Printer on fire\"]");
	EXPECT_OWNED(xpath_print(d, "//*[[bad"), "<error>");
	EXPECT(strncmp(err_last(), "bad XPath expression '//*[[bad': ", 33) == 0);
	EXPECT_OWNED(xpath_print(d, "nosuchfn(1)"), "<error>");
	html_free(d);
}

TEST(visible_text)
{
	/* <noscript> is read: the page as a browser without scripts shows it. */
	EXPECT_OWNED(text_of(PAGE), "My tickets Printer on fire Open Coffee Resolved Not a ticket "
				    "Open Pending enable js caf\xC3\xA9 & tea time");
	EXPECT_OWNED(text_of("<p>a<b>b</b>c</p><p>d</p>"), "abc d");
	EXPECT_OWNED(text_of("Just text, no tags"), "Just text, no tags");
	EXPECT_OWNED(text_of(""), "");
	EXPECT_OWNED(text_of("<html><head><title>T</title></head></html>"), "");
	EXPECT_OWNED(text_of("<div>one<br>two</div><style>p{}</style><script>x()</script>three"),
		     "one two three");
	/* An inline element shown as a box of its own separates words (h731):
	 * a badge, a margin or padding utility, a flex or grid row's child;
	 * a plain <b> or <span> does not. */
	EXPECT_OWNED(text_of("<h1>Printer 4ef4<span class=\"badge ms-2\">Open</span></h1>"
			     "<p>x<span class=ml-1>y</span><span class=px-2>z</span></p>"
			     "<div class=\"d-flex gap-2\"><span>Open</span><span>Pending</span></div>"
			     "<div style=\"display:grid\"><b>Resolved</b><b>Open</b></div>"
			     "<p>pen<b>ding</b><span class=text-muted>!</span></p>"),
		     "Printer 4ef4 Open x y z Open Pending Resolved Open pending!");
}

/* The prose leaves out what a page offers to click or choose: a ticket
 * that is Pending, under a link "Open a ticket" and beside a menu of every
 * status, states Pending only. */
TEST(prose_leaves_out_links_and_controls)
{
	static const char page[] =
		"<nav><a href=\"/tickets/new/\">Open a ticket</a> <button>Log out</button></nav>"
		"<main><h1>Printer</h1><p>Status: <strong>Pending</strong></p>"
		"<form><label for=\"s\">Change to Resolved</label><select id=\"s\"><option>Open</option>"
		"<optgroup label=\"x\"><option>Resolved</option></optgroup></select>"
		"<textarea>Open</textarea><button>Mark Resolved</button></form>"
		"<p>Updated <a href=\"/x\">by staff</a> today</p></main>";

	EXPECT_OWNED(text_or_prose(page, true), "Printer Status: Pending Updated today");
	EXPECT_OWNED(text_or_prose(page, false),
		     "Open a ticket Log out Printer Status: Pending Change to Resolved Open Resolved "
		     "Open Mark Resolved Updated by staff today");
	EXPECT_OWNED(text_or_prose("<p>a<b>b</b>c</p><p>d</p>", true), "abc d");
	/* The caption of a disabled menu, shown to be read: its words are
	 * what the page states, the menu's are not (h635). */
	EXPECT_OWNED(text_or_prose("<label>Status: <strong>Open</strong> <select disabled><option>Open</option>"
				   "<option>Pending</option></select></label>", true), "Status: Open");
	EXPECT_OWNED(text_or_prose("<label for=\"st\">Status: Open</label> <select id=\"st\" disabled>"
				   "<option>Pending</option></select>", true), "Status: Open");
	/* ...not a disabled radio button's: its words are an option's. */
	EXPECT_OWNED(text_or_prose("<p>Now:</p><label><input type=radio disabled checked> Open</label>"
				   "<label><input type=radio disabled> Pending</label>", true), "Now:");
	/* A radio button's label is a control's; a <label> used as a badge
	 * states the status. */
	EXPECT_OWNED(text_or_prose("<p>Status: <label class=\"badge\">Open</label></p>"
				   "<label><input type=radio name=s value=resolved> Resolved</label>", true),
		     "Status: Open");
	/* So does an <a> without href, shown as text, not a link (h592). */
	EXPECT_OWNED(text_or_prose("<p>Status: <a class=\"badge\">Open</a></p>"
				   "<p><a href=\"/tickets/\">Resolved tickets</a></p>", true),
		     "Status: Open");
	EXPECT_OWNED(text_or_prose("", true), "");
}

TEST(broken_html_and_bad_utf8)
{
	static const char *const inputs[] = {
		"<div><p>unclosed <b>bold <i>both</div> tail",
		"<<<>>>&&&;;; </p></div></html>",
		"<html><body><form><input name=a value=\"\xff\xfe\"></form>\xc3\x28 \xe2\x82 end",
		"<table><tr><td>a<td>b</table></tr>",
		"<!-- never closed",
		"<script>never closed",
		"\x00\x01\x02",
	};
	size_t i;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct html_doc *d = NULL;
		struct gbuf why = GBUF_INIT(0), t = GBUF_INIT(0);
		cJSON *out = NULL;
		struct html_form *f = NULL;

		EXPECT_INT(html_parse(inputs[i], strlen(inputs[i]) + (i == 6 ? 3 : 0), &d, &why), 0);
		EXPECT_INT(html_text(d, &t), 0);
		EXPECT(html_css(d, "*", NULL, &out) == 0);
		cJSON_Delete(out);
		EXPECT(html_form_find(d, NULL, NULL, &f) >= 0);
		html_form_free(f);
		html_free(d);
		gbuf_release(&why);
		gbuf_release(&t);
	}
	/* Invalid bytes become U+FFFD, valid text survives. */
	EXPECT_OWNED(text_of("<p>ok \xff then \xc3\xa9</p>"), "ok \xEF\xBF\xBD then \xC3\xA9");
}

static char *nested_text(size_t depth)
{
	struct gbuf s = GBUF_INIT(0);
	struct html_doc *d = NULL;
	struct gbuf t = GBUF_INIT(0);
	cJSON *out = NULL;
	size_t i;
	char *r = NULL;

	for (i = 0; i < depth; i++)
		gbuf_adds(&s, "<div>");
	gbuf_adds(&s, "deep");
	if (html_parse(s.data, s.len, &d, NULL) == 0 && html_text(d, &t) == 0 &&
	    html_css(d, "div div", NULL, &out) == 0)
		r = gbuf_detach(&t, NULL);
	cJSON_Delete(out);
	html_free(d);
	gbuf_release(&s);
	gbuf_release(&t);
	return r;
}

TEST(deep_nesting_does_not_overflow)
{
	EXPECT_OWNED(nested_text(200), "deep");
	/* libxml2 stops building past its depth limit (256); the grader gets a
	 * shallower tree, never a stack overflow. */
	{
		char *s = nested_text(100000);

		EXPECT(s != NULL);
		free(s);
	}
}

TEST(empty_body_is_empty_document)
{
	struct html_doc *d = NULL;
	cJSON *out = NULL;
	struct html_form *f = NULL;

	EXPECT_INT(html_parse(NULL, 0, &d, NULL), 0);
	EXPECT_INT(html_css(d, "p", NULL, &out), 0);
	EXPECT(cJSON_IsArray(out) && cJSON_GetArraySize(out) == 0);
	cJSON_Delete(out);
	EXPECT_INT(html_form_find(d, "form", NULL, &f), 1);
	EXPECT(f == NULL);
	html_free(d);
}

static const char *FORMS =
	"<html><body>"
	"<form id=\"search\" action=\"/search/\"><input name=q value=\"x\"></form>"
	"<div id=\"wrap\"><form method=\"post\" enctype=\"Multipart/Form-Data\" action=\"/recipes/new/\" class=\"main\">"
	"<input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"tok123\">"
	"<input name=\"title\" value=\"Soup\">"
	"<input type=\"text\" name=\"empty\">"
	"<input type=\"CHECKBOX\" name=\"public\" checked>"
	"<input type=\"checkbox\" name=\"spam\" value=\"yes\">"
	"<input type=\"radio\" name=\"size\" value=\"s\">"
	"<input type=\"radio\" name=\"size\" value=\"m\" checked>"
	"<input type=\"file\" name=\"image\">"
	"<input type=\"submit\" name=\"save\" value=\"Save\">"
	"<input type=\"reset\" name=\"r\"><input type=\"image\" name=\"i\"><button name=\"b\">B</button>"
	"<input name=\"off\" value=\"v\" disabled>"
	"<input value=\"nameless\">"
	"<textarea name=\"ingredients\">\nline 1\n  line 2</textarea>"
	"<select name=\"category\"><option value=\"vegetarian\">Veg</option>"
	"<option value=\"dessert\" selected>Dessert</option></select>"
	"<select name=\"first\"><option>  Plain   text </option><option value=2>Two</option></select>"
	"<select name=\"multi\" multiple><option value=a selected>A</option><option value=b>B</option>"
	"<option value=c selected>C</option></select>"
	"<select name=\"none\" multiple><option value=a>A</option></select>"
	"</form></div>"
	"<form action=\"/x/\" method=\"bogus\" enctype=\"weird\"></form>"
	"</body></html>";

static const char *field(const struct html_form *f, const char *name, size_t nth)
{
	size_t i;

	for (i = 0; i < f->nfields; i++)
		if (!strcmp(f->fields[i].name, name) && nth-- == 0)
			return f->fields[i].value;
	return NULL;
}

static const char *field_type(const struct html_form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nfields; i++)
		if (!strcmp(f->fields[i].name, name))
			return f->fields[i].type;
	return NULL;
}

/* The default button is the first submit button, named or not: a
 * nameless one first means none is sent; a <button> is of type submit
 * unless it says otherwise. */
TEST(form_default_button)
{
	static const char *const pages[][2] = {
		{ "<form><button type=button name=x>Preview</button><button name=action value=publish>Publish</button>"
		  "<button name=action value=draft>Save as draft</button></form>", "publish" },
		{ "<form><button>Go</button><button name=action value=publish>Publish</button></form>", NULL },
		{ "<form><input type=submit name=go></form>", "Submit" },
		/* A secondary action first: the main one after it (h610). */
		{ "<form><button name=action value=draft>Save draft</button>"
		  "<button name=action value=publish>Publish</button></form>", "publish" },
		/* ...a draft in another language too (h656). */
		{ "<form><button name=action value=rascunho>Salvar rascunho</button>"
		  "<button name=action value=publicar>Publicar</button></form>", "publicar" },
	};
	size_t i;

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		struct html_doc *d = parse(pages[i][0]);
		struct html_form *f = NULL;
		const char *name = i == 2 ? "go" : "action";

		EXPECT_INT(html_form_find(d, "form", NULL, &f), 0);
		if (f && pages[i][1]) {
			EXPECT_STR(field(f, name, 0), pages[i][1]);
			EXPECT(field(f, name, 1) == NULL);
		} else if (f) {
			EXPECT(field(f, name, 0) == NULL);
		}
		EXPECT(f == NULL || field(f, "x", 0) == NULL);
		html_form_free(f);
		html_free(d);
	}
}

/* A radio group whose checked choice is the blank one, not marked
 * required (a formset row's, which Django never marks, h654): sent blank,
 * its first real choice kept to pick if the answer asks for it. */
TEST(form_blank_radio_kept_to_pick)
{
	struct html_doc *d = parse("<form method=post><input type=radio name=rows-0-unit value=\"\" checked>"
				   "<input type=radio name=rows-0-unit value=g><input type=radio name=rows-0-unit value=ml>"
				   "</form>");
	struct html_form *f = NULL;

	EXPECT_INT(html_form_find(d, "form", NULL, &f), 0);
	EXPECT(f && f->nfields == 1);
	if (f && f->nfields == 1) {
		EXPECT_STR(f->fields[0].value, "");
		EXPECT_STR(f->fields[0].tick, "g");
		EXPECT(f->fields[0].fill == NULL);
	}
	html_form_free(f);
	html_free(d);
}

/* The pressed button's formaction, formmethod and formenctype are where
 * and how the form goes, as a browser sends it (h656: "Publish" posting to
 * ?publish=1); a button not pressed changes nothing. */
TEST(form_pressed_button_overrides)
{
	struct html_doc *d = parse("<form action=/recipes/new/ method=post>"
				   "<button name=action value=draft formaction=/drafts/>Save draft</button>"
				   "<button name=action value=publish formaction=\"/recipes/new/?publish=1\" "
				   "formenctype=multipart/form-data>Publish</button></form>");
	struct html_form *f = NULL;

	EXPECT_INT(html_form_find(d, "form", NULL, &f), 0);
	if (f) {
		EXPECT_STR(f->action, "/recipes/new/?publish=1");
		EXPECT_STR(f->method, "POST");
		EXPECT_STR(f->enctype, "multipart/form-data");
	}
	html_form_free(f);
	html_free(d);
	d = parse("<form action=/a/ method=post><button name=go formmethod=get>Search</button></form>");
	EXPECT_INT(html_form_find(d, "form", NULL, &f), 0);
	if (f) {
		EXPECT_STR(f->action, "/a/");
		EXPECT_STR(f->method, "GET");
	}
	html_form_free(f);
	html_free(d);
}

/* Controls outside the form that name it (form="f") are its own, after
 * those inside it, as a browser sends them (h604); one naming another
 * form is not. */
TEST(form_controls_named_by_form_attribute)
{
	struct html_doc *d = parse("<form id=f method=post><input name=title value=t><select name=s>"
				   "<option value=a selected>A</option></select></form>"
				   "<div><input type=file name=image form=f><input name=other form=g>"
				   "<button form=f name=go value=1>Go</button></div>");
	struct html_form *f = NULL;

	EXPECT_INT(html_form_find(d, "form", NULL, &f), 0);
	EXPECT(f && f->nfields == 4);
	if (f && f->nfields == 4) {
		EXPECT_STR(f->fields[0].name, "title");
		EXPECT_STR(f->fields[1].name, "s");
		EXPECT_STR(f->fields[2].name, "image");
		EXPECT_STR(f->fields[2].type, "file");
		EXPECT_STR(f->fields[3].name, "go");
		EXPECT(f->fields[3].submitter);
	}
	html_form_free(f);
	html_free(d);
}

/* Alpine's and Vue's @-attributes with a '>' in their value (h608): the
 * tag keeps its attributes after them, and the value is no text. */
TEST(at_attributes_keep_the_tag_whole)
{
	struct html_doc *d = parse("<h1 @click=\"n = n > 1 ? 0 : 2\" class=t>Title</h1>"
				   "<form @submit=\"if (title.length > 200) { bad = true }\" method=\"post\" "
				   "enctype=\"multipart/form-data\"><input @change=\"ok = files.length > 0\" "
				   "type=file name=image></form><script>if (a<b @c) {}</script>");
	struct html_form *f = NULL;

	EXPECT_INT(html_form_find(d, "form", NULL, &f), 0);
	EXPECT(f != NULL);
	if (f) {
		EXPECT_STR(f->method, "POST");
		EXPECT_STR(f->enctype, "multipart/form-data");
		EXPECT_STR(field_type(f, "image"), "file");
	}
	html_form_free(f);
	html_free(d);
	EXPECT_OWNED(text_of("<h1 @click=\"n = n > 1 ? 0 : 2\" class=t>Title</h1>"), "Title");
}

/* A radio group the form sends has its buttons as options, value and
 * label, as a select's (h987: a check's "resolved" is sent as the
 * button's own "Resolved"); a group with no button checked has no field. */
TEST(radio_group_options)
{
	struct html_doc *d = parse("<form method=post>"
				   "<label><input type=radio name=status value=Open> Open</label>"
				   "<label><input type=radio name=status value=Pending checked> Pending</label>"
				   "<input type=radio name=status value=Resolved id=r3><label for=r3>Done</label>"
				   "<input type=radio name=status value=Gone disabled>"
				   "<input type=radio name=other value=x></form>");
	struct html_form *f = NULL;
	size_t i;

	EXPECT_INT(html_form_find(d, "form", NULL, &f), 0);
	for (i = 0; f && i < f->nfields && strcmp(f->fields[i].name, "status"); i++)
		;
	EXPECT(f && i < f->nfields);
	if (f && i < f->nfields) {
		EXPECT_STR(f->fields[i].value, "Pending");
		EXPECT_INT((int)f->fields[i].noptions, 3);
		if (f->fields[i].noptions == 3) {
			EXPECT_STR(f->fields[i].options[0].value, "Open");
			EXPECT_STR(f->fields[i].options[0].label, "Open");
			EXPECT_STR(f->fields[i].options[2].value, "Resolved");
			EXPECT_STR(f->fields[i].options[2].label, "Done");
		}
	}
	EXPECT(f && field(f, "other", 0) == NULL);
	html_form_free(f);
	html_free(d);
}

TEST(form_fields)
{
	struct html_doc *d = parse(FORMS);
	struct html_form *f = NULL;
	size_t i;

	EXPECT_INT(html_form_find(d, "form.main", NULL, &f), 0);
	EXPECT_STR(f->action, "/recipes/new/");
	EXPECT_STR(f->method, "POST");
	EXPECT_STR(f->enctype, "multipart/form-data");
	EXPECT_STR(field(f, "csrfmiddlewaretoken", 0), "tok123");
	EXPECT_STR(field_type(f, "csrfmiddlewaretoken"), "hidden");
	EXPECT_STR(field(f, "title", 0), "Soup");
	EXPECT_STR(field_type(f, "title"), "text");
	EXPECT_STR(field(f, "empty", 0), "");
	EXPECT_STR(field(f, "public", 0), "on");
	EXPECT_STR(field_type(f, "public"), "checkbox");
	EXPECT(field(f, "spam", 0) == NULL);
	EXPECT_STR(field(f, "size", 0), "m");
	EXPECT(field(f, "size", 1) == NULL);
	EXPECT_STR(field(f, "image", 0), "");
	EXPECT_STR(field_type(f, "image"), "file");
	/* The first submit button is the default one, which Enter sends
	 * (h594); the others only when clicked. */
	EXPECT_STR(field(f, "save", 0), "Save");
	EXPECT_STR(field_type(f, "save"), "submit");
	EXPECT(field(f, "r", 0) == NULL);
	EXPECT(field(f, "i", 0) == NULL);
	EXPECT(field(f, "b", 0) == NULL);
	EXPECT(field(f, "off", 0) == NULL);
	EXPECT_STR(field(f, "ingredients", 0), "line 1\n  line 2");
	EXPECT_STR(field_type(f, "ingredients"), "textarea");
	EXPECT_STR(field(f, "category", 0), "dessert");
	EXPECT_STR(field_type(f, "category"), "select");
	/* A select's options: what it sends and what a person reads. */
	for (i = 0; i < f->nfields && strcmp(f->fields[i].name, "first"); i++)
		;
	EXPECT(i < f->nfields);
	if (i < f->nfields) {
		EXPECT_INT((int)f->fields[i].noptions, 2);
		EXPECT_STR(f->fields[i].options[0].value, "Plain text");
		EXPECT_STR(f->fields[i].options[0].label, "Plain text");
		EXPECT_STR(f->fields[i].options[1].value, "2");
		EXPECT_STR(f->fields[i].options[1].label, "Two");
	}
	EXPECT_STR(field(f, "first", 0), "Plain text");
	EXPECT_STR(field(f, "multi", 0), "a");
	EXPECT_STR(field(f, "multi", 1), "c");
	EXPECT(field(f, "multi", 2) == NULL);
	EXPECT(field(f, "none", 0) == NULL);
	/* An unticked box is kept unsent, with what ticking it sends (h189:
	 * ticked only when the answer says its field is required). */
	for (i = 0; i < f->nfields && strcmp(f->fields[i].name, "spam"); i++)
		;
	EXPECT(i < f->nfields && f->fields[i].value == NULL && !f->fields[i].required &&
	       !f->fields[i].fill && f->fields[i].tick && !strcmp(f->fields[i].tick, "yes"));
	/* Document order: the token comes first, as a browser sends it. */
	EXPECT_STR(f->fields[0].name, "csrfmiddlewaretoken");
	EXPECT_INT((int)f->nfields, 13);  /* with the default button */
	html_form_free(f);
	html_free(d);
}

TEST(form_selection)
{
	struct html_doc *d = parse(FORMS);
	struct html_form *f = NULL;

	/* First form by default: GET, urlencoded. */
	EXPECT_INT(html_form_find(d, NULL, NULL, &f), 0);
	EXPECT_STR(f->action, "/search/");
	EXPECT_STR(f->method, "GET");
	EXPECT_STR(f->enctype, "application/x-www-form-urlencoded");
	EXPECT_STR(field(f, "q", 0), "x");
	html_form_free(f);
	f = NULL;
	/* By action. */
	EXPECT_INT(html_form_find(d, NULL, "/x/", &f), 0);
	EXPECT_STR(f->method, "GET");
	EXPECT_STR(f->enctype, "application/x-www-form-urlencoded");
	EXPECT_INT((int)f->nfields, 0);
	html_form_free(f);
	f = NULL;
	EXPECT_INT(html_form_find(d, NULL, "/nowhere/", &f), 1);
	EXPECT(f == NULL);
	/* A selector naming a wrapper finds the form inside it. */
	EXPECT_INT(html_form_find(d, "#wrap", NULL, &f), 0);
	EXPECT_STR(f->action, "/recipes/new/");
	html_form_free(f);
	f = NULL;
	EXPECT_INT(html_form_find(d, "form#nope", NULL, &f), 1);
	EXPECT_INT(html_form_find(d, "form:first", NULL, &f), -1);
	html_free(d);
}

TEST(form_without_action)
{
	struct html_doc *d = parse("<form method=post><input name=a value=1></form>");
	struct html_form *f = NULL;

	EXPECT_INT(html_form_find(d, "form", NULL, &f), 0);
	EXPECT_STR(f->action, "");
	EXPECT_STR(f->method, "POST");
	html_form_free(f);
	f = NULL;
	/* No action attribute matches action "" (the page's own URL). */
	EXPECT_INT(html_form_find(d, NULL, "", &f), 0);
	EXPECT_STR(field(f, "a", 0), "1");
	html_form_free(f);
	html_free(d);
}

TEST(django_login_form)
{
	const char *page =
		"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Login</title></head><body>\n"
		"<form method=\"post\">\n  <input type=\"hidden\" name=\"csrfmiddlewaretoken\" "
		"value=\"AbC123xyz\">\n  <p>\n    <label for=\"id_username\">Username:</label>\n"
		"    <input type=\"text\" name=\"username\" autofocus autocapitalize=\"none\" "
		"autocomplete=\"username\" maxlength=\"150\" required id=\"id_username\">\n  </p>\n"
		"  <p><label for=\"id_password\">Password:</label>\n    <input type=\"password\" "
		"name=\"password\" autocomplete=\"current-password\" required id=\"id_password\"></p>\n"
		"  <button type=\"submit\">Log in</button>\n</form></body></html>";
	struct html_doc *d = parse(page);
	struct html_form *f = NULL;

	EXPECT_INT(html_form_find(d, "form", NULL, &f), 0);
	EXPECT_STR(f->method, "POST");
	EXPECT_INT((int)f->nfields, 3);
	EXPECT_STR(field(f, "csrfmiddlewaretoken", 0), "AbC123xyz");
	EXPECT_STR(field_type(f, "password"), "password");
	EXPECT_OWNED(css_print(d, "input[type=password]", "name"), "[\"password\"]");
	html_form_free(f);
	html_free(d);
}

TEST(meta_charset_does_not_garble)
{
	/* The grader reads bodies as UTF-8 even when a page claims otherwise. */
	EXPECT_OWNED(text_of("<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xC3\xA9</body></html>"),
		     "caf\xC3\xA9");
}


static const struct html_field *field_of(const struct html_form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nfields; i++)
		if (!strcmp(f->fields[i].name, name))
			return &f->fields[i];
	return NULL;
}

/* Required controls left empty carry what a person would enter, by type;
 * filled or optional ones carry nothing. */
TEST(form_fills_required_fields)
{
	struct html_doc *d = parse(
		"<form method=post>"
		"<input name=title required>"
		"<input name=kept value=x required>"
		"<input name=optional>"
		"<input type=number name=servings min=0 required>"
		"<input type=number name=big min=5 required>"
		"<input type=number name=neg min=-9 max=-2 required>"
		"<input type=email name=mail required>"
		"<input type=date name=day required>"
		"<input type=url name=site required>"
		"<textarea name=notes required></textarea>"
		"<select name=prio required><option value=\"\" selected>---------</option>"
		"<option value=low>Low</option></select>"
		"<select name=free><option value=\"\">---------</option><option value=a>A</option></select>"
		"<input type=checkbox name=terms value=yes required>"
		"<input type=radio name=size value=s required><input type=radio name=size value=m required>"
		"<input type=radio name=color value=r required><input type=radio name=color value=g checked>"
		"<input type=radio name=prior value=\"\" required checked>"
		"<input type=radio name=prior value=low required><input type=radio name=prior value=high required>"
		"<input type=file name=image required>"
		"<input type=text name=slug required><input name=recipe_slug required>"
		"</form>");
	struct html_form *f = NULL;
	const struct html_field *x;
	const char *a, *b;
	char today[32];
	time_t now;
	struct tm tm;

	EXPECT_INT(html_form_find(d, NULL, NULL, &f), 0);
	/* A slug's box: a slug, one per fill (h273: "Sample text" refused). */
	a = field_of(f, "slug")->fill;
	b = field_of(f, "recipe_slug")->fill;
	EXPECT(a && !strncmp(a, "sample-text-", 12) && !strpbrk(a, " _"));
	EXPECT(b && !strncmp(b, "sample-text-", 12) && strcmp(a, b));
	EXPECT((x = field_of(f, "title")) && x->required && !strcmp(x->value, "") && x->fill && *x->fill);
	EXPECT((x = field_of(f, "kept")) && x->required && !x->fill);
	EXPECT((x = field_of(f, "optional")) && !x->required && !x->fill);
	EXPECT_STR(field_of(f, "servings")->fill, "1");
	EXPECT_STR(field_of(f, "big")->fill, "5");
	EXPECT_STR(field_of(f, "neg")->fill, "-9");
	EXPECT_STR(field_of(f, "mail")->fill, "grader@example.com");
	/* A date is today's (h700): a fixed day in the past was refused by
	 * an app's rule that a date is not in the past. */
	now = time(NULL);
	EXPECT(gmtime_r(&now, &tm) && strftime(today, sizeof(today), "%Y-%m-%d", &tm));
	EXPECT_STR(field_of(f, "day")->fill, today);
	EXPECT_STR(field_of(f, "site")->fill, "https://example.com/");
	EXPECT(field_of(f, "notes")->fill != NULL);
	EXPECT_STR(field_of(f, "prio")->value, "");
	EXPECT_STR(field_of(f, "prio")->fill, "low");
	EXPECT(field_of(f, "free")->fill == NULL);
	/* Unchecked required boxes are kept unsent (value NULL) with a fill. */
	EXPECT((x = field_of(f, "terms")) && x->value == NULL);
	EXPECT_STR(x->fill, "yes");
	EXPECT((x = field_of(f, "size")) && x->value == NULL);
	EXPECT_STR(x->fill, "s");
	/* A group checked on Django's blank choice: sent as its first real
	 * one, as a select's (h571). */
	EXPECT((x = field_of(f, "prior")) && x->value && !*x->value && x->required);
	EXPECT_STR(x->fill, "low");
	EXPECT(field_of(f, "image")->fill == NULL);
	html_form_free(f);
	html_free(d);
}

/* The selects of Django's SelectDateWidget for a required date (no
 * blank option) are sent with today's day, month and year, as a person
 * picks them, where a browser would send 1 January of the first year
 * (h700: refused as a date in the past); an optional date's blank stays,
 * a required one's blank is filled with today's (h746), and a select of
 * other numbers sends its first option. */
TEST(form_date_selects_send_today)
{
	struct html_doc *d;
	struct html_form *f = NULL;
	struct gbuf page = GBUF_INIT(0);
	char want[3][8];
	time_t now = time(NULL);
	struct tm tm;
	int i;

	EXPECT(gmtime_r(&now, &tm) != NULL);
	snprintf(want[0], sizeof(want[0]), "%d", tm.tm_mday);
	snprintf(want[1], sizeof(want[1]), "%d", tm.tm_mon + 1);
	snprintf(want[2], sizeof(want[2]), "%d", tm.tm_year + 1900);
	gbuf_adds(&page, "<form method=post><select name=published_on_month>");
	for (i = 1; i <= 12; i++)
		gbuf_addf(&page, "<option value=\"%d\">M%d</option>", i, i);
	gbuf_adds(&page, "</select><select name=published_on_day>");
	for (i = 1; i <= 31; i++)
		gbuf_addf(&page, "<option value=\"%d\">%d</option>", i, i);
	gbuf_addf(&page, "</select><select name=published_on_year><option value=\"%d\">x</option>"
			 "<option value=\"%d\">y</option></select>",
		  tm.tm_year + 1900 - 1, tm.tm_year + 1900);
	gbuf_adds(&page, "<select name=sold_month><option value=\"\">---</option>");
	for (i = 1; i <= 12; i++)
		gbuf_addf(&page, "<option value=\"%d\">M%d</option>", i, i);
	/* A required date offered blank first (h746: a due date): filled
	 * with today's, not its first month. */
	gbuf_adds(&page, "</select><select name=due_month required><option value=\"\">---</option>");
	for (i = 1; i <= 12; i++)
		gbuf_addf(&page, "<option value=\"%d\">M%d</option>", i, i);
	gbuf_adds(&page, "</select><select name=rating><option value=3>3</option>"
			 "<option value=\"");
	gbuf_addf(&page, "%d\">x</option></select></form>", tm.tm_mday);
	d = parse(gbuf_str(&page));
	EXPECT_INT(html_form_find(d, NULL, NULL, &f), 0);
	EXPECT_STR(field_of(f, "published_on_day")->value, want[0]);
	EXPECT_STR(field_of(f, "published_on_month")->value, want[1]);
	EXPECT_STR(field_of(f, "published_on_year")->value, want[2]);
	EXPECT_STR(field_of(f, "sold_month")->value, "");
	EXPECT(field_of(f, "sold_month")->fill == NULL);
	EXPECT_STR(field_of(f, "due_month")->value, "");
	EXPECT_STR(field_of(f, "due_month")->fill, want[1]);
	EXPECT_STR(field_of(f, "rating")->value, "3");
	html_form_free(f);
	html_free(d);
	gbuf_release(&page);
}

/* Fills within the control's own rules (h599): a step, a pattern, a
 * placeholder that reads as a value, a date's min and max. */
TEST(form_fills_follow_the_controls_rules)
{
	struct html_doc *d = parse(
		"<form method=post>"
		"<input type=number name=grams step=5 required>"
		"<input type=number name=cents step=0.01 required>"
		"<input type=number name=from3 min=3 step=5 required>"
		"<input name=code pattern=\"[0-9]{2,4}\" required>"
		"<input name=ref pattern=\"[A-Z]{3}-[0-9]{3}\" placeholder=\"ABC-123\" required>"
		"<input name=odd pattern=\"z{9}\" required>"
		"<input name=bad pattern=\"(\" required>"
		"<input name=duration placeholder=\"00:45:00\" required>"
		"<input name=who placeholder=\"Your name\" required>"
		"<input type=date name=later min=2099-03-01 required>"
		"<input type=date name=before max=2020-02-02 required>"
		"</form>");
	struct html_form *f = NULL;

	EXPECT_INT(html_form_find(d, NULL, NULL, &f), 0);
	EXPECT_STR(field_of(f, "grams")->fill, "5");
	EXPECT_STR(field_of(f, "cents")->fill, "1");
	EXPECT_STR(field_of(f, "from3")->fill, "3");
	EXPECT_STR(field_of(f, "code")->fill, "1234");
	EXPECT_STR(field_of(f, "ref")->fill, "ABC-123");
	EXPECT_STR(field_of(f, "odd")->fill, "Sample text");
	EXPECT_STR(field_of(f, "bad")->fill, "Sample text");
	EXPECT_STR(field_of(f, "duration")->fill, "00:45:00");
	EXPECT_STR(field_of(f, "who")->fill, "Sample text");
	EXPECT_STR(field_of(f, "later")->fill, "2099-03-01");
	EXPECT_STR(field_of(f, "before")->fill, "2020-02-02");
	html_form_free(f);
	html_free(d);
}

/* A formset's first MIN_NUM_FORMS rows are filled as required controls
 * would be, though Django marks none of them `required` (h89: min_num=1
 * ingredients); the rows after them, DELETE, id and boxes are not. */
TEST(form_fills_a_formsets_minimum_rows)
{
	struct html_doc *d = parse(
		"<form method=post>"
		"<input name=title required>"
		"<input type=hidden name=items-TOTAL_FORMS value=2>"
		"<input type=hidden name=items-INITIAL_FORMS value=0>"
		"<input type=hidden name=items-MIN_NUM_FORMS value=1>"
		"<input type=hidden name=items-MAX_NUM_FORMS value=1000>"
		"<input name=items-0-name><input type=number name=items-0-qty>"
		"<select name=items-0-unit><option value=\"\" selected>---------</option>"
		"<option value=g>grams</option></select>"
		"<input type=checkbox name=items-0-optional><input type=checkbox name=items-0-DELETE>"
		"<input type=hidden name=items-0-id><input type=file name=items-0-photo>"
		"<input name=items-1-name><input type=file name=items-1-photo>"
		"<input name=notes-0-text><input type=hidden name=notes-MIN_NUM_FORMS value=0>"
		"</form>");
	struct html_form *f = NULL;
	const struct html_field *x;

	EXPECT_INT(html_form_find(d, NULL, NULL, &f), 0);
	EXPECT((x = field_of(f, "items-0-name")) && x->required && x->fill && *x->fill);
	EXPECT_STR(field_of(f, "items-0-qty")->fill, "1");
	EXPECT_STR(field_of(f, "items-0-unit")->fill, "g");
	EXPECT((x = field_of(f, "items-0-optional")) && !x->value && !x->required && !x->fill && x->tick);
	EXPECT(field_of(f, "items-0-DELETE") == NULL);
	EXPECT((x = field_of(f, "items-0-id")) && !x->required && !x->fill);
	EXPECT((x = field_of(f, "items-1-name")) && !x->required && !x->fill);
	/* A required row's file input is a required one (h234); the next
	 * row's is not. */
	EXPECT((x = field_of(f, "items-0-photo")) && x->required && !x->fill);
	EXPECT((x = field_of(f, "items-1-photo")) && !x->required);
	EXPECT((x = field_of(f, "notes-0-text")) && !x->required && !x->fill);
	EXPECT((x = field_of(f, "items-MIN_NUM_FORMS")) && !x->fill);
	html_form_free(f);
	html_free(d);
}

/* Rows a refusal asks for ("Please submit at least 1 form.") where the
 * management form, written by hand, has no MIN_NUM_FORMS (h654): the first
 * rows of that formset are filled as required ones; a formset whose
 * MIN_NUM_FORMS said how many is left as it said. */
TEST(form_fills_rows_a_refusal_asks_for)
{
	struct html_doc *d = parse(
		"<form method=post>"
		"<input type=hidden name=steps-TOTAL_FORMS value=2>"
		"<input type=hidden name=steps-INITIAL_FORMS value=0>"
		"<input name=steps-0-text><input name=steps-1-text>"
		"<input type=hidden name=items-TOTAL_FORMS value=1>"
		"<input type=hidden name=items-INITIAL_FORMS value=0>"
		"<input type=hidden name=items-MIN_NUM_FORMS value=0>"
		"<input name=items-0-name>"
		"</form>");
	struct html_form *f = NULL;
	const struct html_field *x;

	EXPECT_INT(html_form_find(d, NULL, NULL, &f), 0);
	EXPECT((x = field_of(f, "steps-0-text")) && !x->required && !x->fill);
	EXPECT_INT(html_form_rows_require(f, 1), 0);
	EXPECT((x = field_of(f, "steps-0-text")) && x->required && x->fill && *x->fill);
	EXPECT((x = field_of(f, "steps-1-text")) && !x->required && !x->fill);
	EXPECT((x = field_of(f, "items-0-name")) && !x->required && !x->fill);
	EXPECT((x = field_of(f, "steps-TOTAL_FORMS")) && !x->fill);
	html_form_free(f);
	html_free(d);
}

/* A text typed as a person would into this control (h428): within its
 * maxlength and minlength, and each formset row's its own (a unique
 * ingredient name per row). */
TEST(form_fills_fit_the_control_and_the_row)
{
	struct html_doc *d = parse(
		"<form method=post>"
		"<input name=code maxlength=10 required>"
		"<input name=summary minlength=20 required>"
		"<textarea name=tip maxlength=5 required></textarea>"
		"<input name=title required>"
		"<input type=hidden name=items-TOTAL_FORMS value=2>"
		"<input type=hidden name=items-INITIAL_FORMS value=0>"
		"<input type=hidden name=items-MIN_NUM_FORMS value=2>"
		"<input type=hidden name=items-MAX_NUM_FORMS value=1000>"
		"<input name=items-0-name maxlength=100><input name=items-0-unit maxlength=4>"
		"<input name=items-1-name maxlength=100><input name=items-1-unit maxlength=4>"
		"</form>");
	struct html_form *f = NULL;

	EXPECT_INT(html_form_find(d, NULL, NULL, &f), 0);
	EXPECT_STR(field_of(f, "code")->fill, "Sample tex");
	EXPECT_STR(field_of(f, "summary")->fill, "Sample textxxxxxxxxx");
	EXPECT_STR(field_of(f, "tip")->fill, "Sampl");
	EXPECT_STR(field_of(f, "title")->fill, "Sample text");
	EXPECT_STR(field_of(f, "items-0-name")->fill, "Sample text 1");
	EXPECT_STR(field_of(f, "items-1-name")->fill, "Sample text 2");
	EXPECT_STR(field_of(f, "items-0-unit")->fill, "Sa 1");
	EXPECT_STR(field_of(f, "items-1-unit")->fill, "Sa 2");
	html_form_free(f);
	html_free(d);
}

/* The action of the form html_form_find_for picks on `page` for a
 * status field, in a static buffer ("" none). */
static const char *action_for_status(const char *page)
{
	static char out[128];
	const char *status[] = { "status", NULL };
	struct html_doc *d = parse(page);
	struct html_form *f = NULL;

	out[0] = '\0';
	if (d && html_form_find_for(d, "form", NULL, status, &f) == 0 && f)
		snprintf(out, sizeof(out), "%s", f->action);
	html_form_free(f);
	html_free(d);
	return out;
}

/* A person picks the form that has the fields they were told to fill. */
TEST(form_preferred_by_names)
{
	struct html_doc *d = parse(
		"<form method=post action=/logout/><input type=hidden name=csrfmiddlewaretoken value=t></form>"
		"<form method=post action=/new/><input name=title><input type=file name=image></form>");
	const char *names[] = { "title", "image", NULL };
	const char *none[] = { "nope", NULL };
	struct html_form *f = NULL;

	EXPECT_INT(html_form_find_for(d, "form", NULL, names, &f), 0);
	EXPECT_STR(f->action, "/new/");
	html_form_free(f);
	f = NULL;
	/* No form has them all: the one with the most of them (a form
	 * missing its image field is still the form, not the logout form)... */
	{
		const char *some[] = { "title", "servings", NULL };

		EXPECT_INT(html_form_find_for(d, "form", NULL, some, &f), 0);
		EXPECT_STR(f->action, "/new/");
		html_form_free(f);
		f = NULL;
	}
	/* ...and none has any: the first candidate that does not sign out. */
	EXPECT_INT(html_form_find_for(d, "form", NULL, none, &f), 0);
	EXPECT_STR(f->action, "/new/");
	html_form_free(f);
	html_free(d);
	/* A page whose only form signs out (its real form built by scripts,
	 * h298): no form, never the logout form, whose post ends the
	 * session; one asked for by its action still is. */
	d = parse("<form method=post action=/accounts/logout/><button>Log out</button></form>"
		  "<div id=recipe-form-root></div>");
	f = NULL;
	EXPECT_INT(html_form_find_for(d, "form", NULL, names, &f), 1);
	EXPECT(f == NULL);
	EXPECT_INT(html_form_find_for(d, NULL, "/accounts/logout/", NULL, &f), 0);
	if (f)
		EXPECT_STR(f->action, "/accounts/logout/");
	html_form_free(f);
	html_free(d);
	/* A form carrying the field hidden is another form's (h1253: "assign
	 * to me" above the status form, its status hidden): the one showing
	 * it is the form; with none shown, the first that carries it. */
	EXPECT_STR(action_for_status("<form method=post action=/t/1/status/><input type=hidden name=action "
				     "value=assign><input type=hidden name=status value=open><button>Assign to me"
				     "</button></form><form method=post action=/t/1/status/?change><select "
				     "name=status><option value=open>Open</option><option value=pending>Pending"
				     "</option></select><button>Save</button></form>"),
		   "/t/1/status/?change");
	EXPECT_STR(action_for_status("<form method=post action=/t/1/pend/><input type=hidden name=status "
				     "value=pending><button>Mark pending</button></form><form method=post "
				     "action=/t/1/res/><input type=hidden name=status value=resolved><button>Mark "
				     "resolved</button></form>"),
		   "/t/1/pend/");
}

static char *errors_of(const char *page)
{
	struct html_doc *d = parse(page);
	cJSON *e = NULL;
	char *s = NULL;

	if (html_form_errors(d, &e) == 0)
		s = cJSON_PrintUnformatted(e);
	cJSON_Delete(e);
	html_free(d);
	return s;
}

#define EXPECT_ERRORS(page, want)                 \
	do {                                      \
		char *t_s = errors_of(page);      \
		int t_ok = t_s && !strcmp(t_s, want); \
		if (!t_ok)                        \
			printf("# got %s\n", t_s ? t_s : "(null)"); \
		free(t_s);                        \
		EXPECT(t_ok);                     \
	} while (0)

/* A field's error list written inside its own paragraph, "<p>{{ f }}
 * {{ f.errors }}</p>" (h798): the parser closes the <p> before the list,
 * which then stood between two fields as Django's as_p puts a list above
 * its own; it is the field's before it. as_p's own list, above the next
 * field's <p>, stays that field's. */
TEST(form_errors_inside_their_paragraph)
{
	EXPECT_ERRORS("<form><p><label>Image</label> <input type=file name=image> "
		      "<ul class=\"errorlist\"><li>Upload a valid image.</li></ul></p>\n"
		      "<p><label>Alt</label> <input name=image_alt></p></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	EXPECT_ERRORS("<form><P class=\"f\"><input type=file name=image>\n<ul class=\"errorlist\">"
		      "<li>Upload a valid image.</li></ul>\n</P><p><input name=image_alt></p>"
		      "<p><input name=title> <ul class=\"errorlist\"><li>This field is required.</li></ul></p></form>",
		      "{\"image\":[\"Upload a valid image.\"],\"title\":[\"This field is required.\"]}");
	EXPECT_ERRORS("<form><p><input type=file name=image></p>\n"
		      "<ul class=\"errorlist\"><li>This field is required.</li></ul>\n"
		      "<p><input name=image_alt></p></form>",
		      "{\"image_alt\":[\"This field is required.\"]}");
}

/* Django's error list id names its field (id_image_error): a hand-written
 * control carrying the field's id under another name (name=photo, h865)
 * does not make the error the misnamed input's; a control Django rendered
 * (its name the id's) and a prefixed form's stay as they were. */
TEST(form_errors_owner_named_by_django_id)
{
	EXPECT_ERRORS("<form><p><input name=title id=id_title></p><p><input type=file name=photo id=id_image>"
		      "<ul class=\"errorlist\" id=\"id_image_error\"><li>Upload a valid image.</li></ul></p></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	EXPECT_ERRORS("<form><ul class=\"errorlist\" id=\"id_recipe-image_error\"><li>Upload a valid image.</li></ul>"
		      "<p><input type=file name=recipe-image id=id_recipe-image></p></form>",
		      "{\"recipe-image\":[\"Upload a valid image.\"]}");
}

/* The messages framework's flash (<ul class="messages"><li class="error">,
 * the template Django's documentation gives) comes after the form's own
 * errors, wherever it sits on the page: a message cut for room loses it,
 * not the field's error (h454). Still said when it is the only one. */
TEST(form_errors_before_the_flash)
{
	EXPECT_ERRORS("<ul class=\"messages\"><li class=\"error\">Please correct the errors below.</li></ul>"
		      "<form><p><input type=file name=image></p>"
		      "<ul class=\"errorlist\"><li>This field is required.</li></ul></form>",
		      "{\"image\":[\"This field is required.\"],\"__all__\":[\"Please correct the errors below.\"]}");
	EXPECT_ERRORS("<ul class=\"messages\"><li class=\"error\">The photo is too large.</li></ul>"
		      "<form><p><input type=file name=image></p></form>",
		      "{\"__all__\":[\"The photo is too large.\"]}");
}

/* The errors of a re-shown form, attached to their fields the way Django's
 * renderings and the usual hand-written templates place them. */
TEST(form_errors_attached)
{
	/* Django 4.2 as_p: the list before the field's paragraph. */
	EXPECT_ERRORS("<form><p><input name=title value=x></p>"
		      "<ul class=\"errorlist\"><li>Upload a valid image.</li></ul>"
		      "<p><label>Image</label><input type=file name=image></p></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	/* Bootstrap's invalid-feedback after its control (a drop zone's
	 * label holding the input), another control after it (h604): the
	 * one before it. */
	EXPECT_ERRORS("<form><fieldset><label class=\"dropzone is-invalid\">Drag a photo"
		      "<input type=file name=image></label>"
		      "<div class=\"invalid-feedback d-block\">Upload a valid image.</div>"
		      "<label>Second photo<input type=file name=extra_photo></label></fieldset></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	/* A summary above the form whose items link to their fields
	 * (h404, GOV.UK's pattern): each item is its linked field's, a
	 * link to no control and an item without one are the form's. */
	EXPECT_ERRORS("<div class=\"flash flash-error\" role=alert><strong>Please fix the following:</strong><ul>"
		      "<li><a href=\"#id_image\">Image</a>: Upload a valid image.</li>"
		      "<li><a href=\"#top\">Top</a>: Try again.</li><li>Something else.</li></ul></div>"
		      "<form><div class=field><label for=id_title>Title</label><input name=title id=id_title></div>"
		      "<div class=field><label for=id_image>Image</label><input type=file name=image id=id_image>"
		      "</div></form>",
		      "{\"image\":[\"Image: Upload a valid image.\"],\"__all__\":[\"Top: Try again.\",\"Something else.\"]}");
	/* Error elements of a template's own (h672): a class naming an
	 * error in one of its parts (BEM's form__error, error-message,
	 * form-problem), Tailwind's pink, an alert inside the form; each its
	 * field's. A block holding its control is no error of it, though
	 * its class says invalid; nor a class saying there is none. */
	EXPECT_ERRORS("<form><div class=\"form__group form__group--error\"><label>Image</label>"
		      "<input type=file name=image><p class=form__error>Upload a valid image.</p></div>"
		      "<div class=row><label>Title</label><input name=title><span class=form-problem>Too short.</span></div>"
		      "<div><label>Notes</label><textarea name=notes></textarea><p class=\"mt-2 text-pink-600\">Too long.</p></div>"
		      "<div><label>Tags</label><input name=tags><div role=alert>Pick a tag.</div></div>"
		      "<div><label>Mood</label><input name=mood><p class=no-errors>All good.</p></div></form>",
		      "{\"image\":[\"Upload a valid image.\"],\"title\":[\"Too short.\"],\"notes\":[\"Too long.\"],"
		      "\"tags\":[\"Pick a tag.\"]}");
	/* A modifier saying invalid (h820: "hint hint--invalid" under the
	 * input), an element whose id names the field's error as Django 5.2
	 * names it (id_title_error); a help text's id is none. */
	EXPECT_ERRORS("<form><div class=field><label for=id_image>Image</label>"
		      "<input type=file name=image id=id_image><div class=\"hint hint--invalid\">Upload a valid image.</div></div>"
		      "<div class=field><input name=title id=id_title><div class=hint id=id_title_error>Too short.</div></div>"
		      "<div class=field><input name=notes id=id_notes><p class=hint id=id_notes_helptext>Markdown.</p></div></form>",
		      "{\"image\":[\"Upload a valid image.\"],\"title\":[\"Too short.\"]}");
	/* An alert outside the form is the page's flash, not an error. */
	EXPECT_ERRORS("<div role=alert>Recipe saved.</div><form><input name=title></form>", "{}");
	/* Frameworks' markers (h678): Bootstrap 3's help-block in a
	 * has-error group, Semantic UI's label in a "field error" block
	 * (the block itself no error: it holds its control), Bootstrap 5's
	 * invalid-tooltip, UIkit's uk-text-danger, a red style; an error
	 * hidden by d-none or display:none is shown to no one. */
	EXPECT_ERRORS("<form><div class=\"form-group has-error\"><label>Image</label><input type=file name=image>"
		      "<span class=help-block>Upload a valid image.</span></div>"
		      "<div class=\"field error\"><label>Title</label><input name=title>"
		      "<div class=\"ui pointing red basic label\">Too short.</div></div>"
		      "<div><input name=notes><div class=invalid-tooltip>Too long.</div></div>"
		      "<div><input name=tags><span class=uk-text-danger>Pick one.</span></div>"
		      "<div><input name=mood><span style=\"color: red\">Say how.</span></div>"
		      "<div><input name=ways><span class=\"invalid-feedback d-none\">Hidden.</span></div>"
		      "<div><input name=days><span class=error style=\"display:none\">Hidden too.</span></div></form>",
		      "{\"image\":[\"Upload a valid image.\"],\"title\":[\"Too short.\"],\"notes\":[\"Too long.\"],"
		      "\"tags\":[\"Pick one.\"],\"mood\":[\"Say how.\"]}");
	/* Red written as a hex, an rgb() or a red's name (h725: <small
	 * style="color:#b00">), with !important too; an orange, a red
	 * background or border is no red text. */
	EXPECT_ERRORS("<form><div><input type=file name=image><small style=\"color:#b00\">Upload a valid image."
		      "</small></div>"
		      "<div><input name=title><span style=\"font-size:90%;color: #dc3545 !important\">Too short.</span></div>"
		      "<div><input name=notes><span style=\"color:rgb(169, 68, 66)\">Too long.</span></div>"
		      "<div><input name=tags><span style=\"COLOR: Crimson\">Pick one.</span></div>"
		      "<div><input name=mood><span style=\"color:#e67e22\">Orange.</span></div>"
		      "<div><input name=ways><span style=\"background-color:#f00\">Background.</span></div>"
		      "<div><input name=days><span style=\"border-color:red;color:#333\">Border.</span></div></form>",
		      "{\"image\":[\"Upload a valid image.\"],\"title\":[\"Too short.\"],\"notes\":[\"Too long.\"],"
		      "\"tags\":[\"Pick one.\"]}");
	/* A block marked by a modifier of its own (h682: a drop zone's
	 * label "dropzone--error" holding the input): its feedback is the
	 * field's error, its hint is not, nor a feedback in a block not
	 * marked, nor a valid one. */
	EXPECT_ERRORS("<form><label class=\"dropzone dropzone--error\" for=id_image>"
		      "<span class=dropzone__hint>Image: drop a photo here</span>"
		      "<input type=file name=image aria-invalid=true aria-describedby=id_image_error id=id_image>"
		      "<span class=dropzone__feedback>Upload a valid image.</span>"
		      "<span class=dropzone__valid-feedback>Looks good.</span></label>"
		      "<div class=field><input name=title><span class=field__feedback>Keep it short.</span></div></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	/* An alert between two fields, the one after it marked invalid, is
	 * that field's (h682: each field's errors as an alert above its
	 * label); above the first field it stays the form's. */
	EXPECT_ERRORS("<form><div class=\"alert alert-danger\" role=alert>Please fix the errors.</div>"
		      "<p><input name=title id=id_title></p>"
		      "<div class=\"alert alert-danger\" role=alert>Image: Upload a valid image.</div>"
		      "<label for=id_image>Image</label><input type=file name=image aria-invalid=true id=id_image>"
		      "<input name=servings id=id_servings></form>",
		      "{\"__all__\":[\"Please fix the errors.\"],\"image\":[\"Image: Upload a valid image.\"]}");
	/* An error after an input written without its name, Django's id
	 * left on it (h682): the field the id names, not the control
	 * before it. */
	EXPECT_ERRORS("<form><p><select name=category id=id_category></select></p>"
		      "<p><input type=file id=id_image><span class=error>Upload a valid image.</span></p></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	/* A field marked aria-invalid whose error list, there, has no word
	 * (h688: the image's error message set to ""): no error shown (an
	 * is-invalid class is a red border, and still counts). */
	EXPECT_ERRORS("<form><ul class=errorlist id=id_image_error><li></li></ul>"
		      "<input type=file name=image aria-invalid=true aria-describedby=id_image_error id=id_image></form>",
		      "{}");
	/* Django 5 as_div: aria-describedby names the list. */
	EXPECT_ERRORS("<form><div><label>Servings</label><ul class=\"errorlist\" id=\"id_servings_error\">"
		      "<li>This field is required.</li></ul>"
		      "<input name=servings aria-invalid=true aria-describedby=\"id_servings_error\"></div></form>",
		      "{\"servings\":[\"This field is required.\"]}");
	/* A flat form written by hand, {{ field }} then its errors, no
	 * block per field (h652): the list after the photo's input Django
	 * marked aria-invalid is the photo's, not the next field's, which
	 * Django rendered and left unmarked; where the next one is marked
	 * too, as_p's order stands (the list precedes its field). */
	EXPECT_ERRORS("<form><label for=id_image>Image</label><br>"
		      "<input type=file name=image required aria-invalid=true id=id_image>"
		      "<span class=error>Upload a valid image.</span><br><br>"
		      "<label for=id_title>Title</label><br><input name=title id=id_title><br><br></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	EXPECT_ERRORS("<form><input type=file name=image aria-invalid=true id=id_image>"
		      "<span class=error>Too long.</span>"
		      "<input name=title aria-invalid=true id=id_title></form>",
		      "{\"title\":[\"Too long.\"]}");
	/* A notice above the first field, which Django rendered and left
	 * unmarked while it marked the photo's: the whole form's (h652),
	 * not the title's. */
	EXPECT_ERRORS("<form><p class=error>Please correct the errors below.</p>"
		      "<p><label for=id_title>Title</label><input name=title id=id_title></p>"
		      "<p><label for=id_image>Image</label><input type=file name=image aria-invalid=true id=id_image></p>"
		      "</form>",
		      "{\"__all__\":[\"Please correct the errors below.\"]}");
	/* A control written by hand in a <p>, {{ form.image.errors }} after
	 * it: the parser closes the <p> at the <ul>, and the list's id
	 * ("id_image_error", Django 5.2) names the control whose id it
	 * extends, not the next field (h149). */
	EXPECT_ERRORS("<form><p><label>Title</label><input name=title id=id_title></p>"
		      "<p><label>Image</label><input type=file name=image id=id_image>"
		      "<ul class=\"errorlist\" id=\"id_image_error\"><li>Upload a valid image.</li></ul></p>"
		      "<p><label>Servings</label><input name=servings id=id_servings></p></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	/* The same list before a file input written without a name (a
	 * widget template that left it out, h313): the field is the one its
	 * id names, not the next control. */
	EXPECT_ERRORS("<form><p><label>Title</label><input name=title id=id_title></p>"
		      "<ul class=\"errorlist\" id=\"id_image_error\"><li>Upload a valid image.</li></ul>"
		      "<p><label for=id_image>Image</label><input type=file id=id_image></p>"
		      "<p><label>Category</label><select name=category id=id_category></select></p></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	/* A list written by hand after the form's last field, inside its
	 * <p>: the parser puts it after the <p>, no control follows, so
	 * the one before it owns it, a <select> too (h218). */
	EXPECT_ERRORS("<form><p><label>Title</label><input name=title></p>"
		      "<p><label>Photo</label><input type=file name=image>"
		      "<ul class=\"errors\"><li>Upload a valid image.</li></ul></p>"
		      "<button type=submit>Save</button></form>"
		      "<form action=/logout/><input type=hidden name=csrfmiddlewaretoken value=x></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	EXPECT_ERRORS("<form><p><select name=category><option value=a>A</option><option value=b>B</option>"
		      "</select><ul class=\"errors\"><li>Pick one.</li></ul></p><input type=submit></form>",
		      "{\"category\":[\"Pick one.\"]}");
	/* A summary box after the last field stays the form's. */
	EXPECT_ERRORS("<form><p><input name=title></p><div class=\"alert alert-danger\">Fix the form.</div>"
		      "<button>Save</button></form>",
		      "{\"__all__\":[\"Fix the form.\"]}");
	/* {{ field }} {{ field.errors }}: the list after its field, in one block. */
	EXPECT_ERRORS("<form><div><input name=title><span class=\"invalid-feedback\">Too short</span></div>"
		      "<div><input name=body></div></form>",
		      "{\"title\":[\"Too short\"]}");
	/* Form-wide errors, and a field only marked invalid. */
	EXPECT_ERRORS("<form><ul class=\"errorlist nonfield\"><li>Nope</li></ul>"
		      "<input name=a class=\"form-control is-invalid\"></form>",
		      "{\"__all__\":[\"Nope\"],\"a\":[\"(marked invalid)\"]}");
	EXPECT_ERRORS("<form><input name=a></form>", "{}");
	/* ...inside a block of the template's own, above the first field
	 * (h1224: {{ form.non_field_errors }} in a form__error div): still
	 * the form's, not the title's. */
	EXPECT_ERRORS("<form><div class=\"form__error\" role=\"alert\"><ul class=\"errorlist nonfield\">"
		      "<li>Please upload a real photo.</li></ul></div><p><label>Title</label><input name=title></p>"
		      "<p><input type=file name=image></p></form>",
		      "{\"__all__\":[\"Please upload a real photo.\"]}");
	/* A formset's own errors (errorlist nonform) after the photo's
	 * input are the form's, not the photo's (h262). */
	EXPECT_ERRORS("<form><p><input type=file name=image></p><fieldset>"
		      "<ul class=\"errorlist nonform\"><li>ManagementForm data is missing</li></ul>"
		      "<p><input name=lines-0-name></p></fieldset></form>",
		      "{\"__all__\":[\"ManagementForm data is missing\"]}");
	/* {{ form.errors }} at the top of the form: each item names its
	 * field (Django 5.2's rendering). */
	EXPECT_ERRORS("<form><ul class=\"errorlist\"><li>image<ul class=\"errorlist\" id=\"id_image_error\">"
		      "<li>Upload a valid image.</li></ul></li><li>__all__<ul class=\"errorlist nonfield\">"
		      "<li>Whole form wrong</li></ul></li></ul>"
		      "<p><input name=title></p><p><input type=file name=image></p></form>",
		      "{\"image\":[\"Upload a valid image.\"],\"__all__\":[\"Whole form wrong\"]}");
	/* Hand-written Bootstrap: text-danger beside its field is an error,
	 * the red asterisk of a required field's label is not. */
	EXPECT_ERRORS("<form><div><label>Title <span class=\"text-danger\">*</span></label><input name=title></div>"
		      "<div><label>Image</label><input type=file name=image>"
		      "<small class=\"text-danger\">Upload a valid image.</small></div></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	/* crispy-tailwind: each error a red paragraph under its field. */
	EXPECT_ERRORS("<form><div id=\"div_id_title\"><label>Title<span class=\"text-red-500\">*</span></label>"
		      "<input name=title class=\"border\"></div>"
		      "<div id=\"div_id_image\"><label>Image</label><input type=file name=image class=\"border\">"
		      "<p id=\"error_1_id_image\" class=\"text-red-500 text-xs italic\"><strong>Upload a valid image.</strong></p>"
		      "</div><button class=\"bg-red-500 text-red-100\">Cancel</button></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	/* Tailwind's rose and DaisyUI's text-error read as red (h610). */
	EXPECT_ERRORS("<form><div><label>Image</label><input type=file name=image>"
		      "<p class=\"mt-1 text-sm text-rose-600\">Upload a valid image.</p></div>"
		      "<div><label>Title</label><input name=title>"
		      "<span class=\"label-text-alt text-error\">Ensure this value has at most 5 characters.</span></div></form>",
		      "{\"image\":[\"Upload a valid image.\"],\"title\":[\"Ensure this value has at most 5 characters.\"]}");
	/* The field Django marked aria-invalid owns its block's error: a
	 * photo's fieldset with a caption input after the file input (h629:
	 * the caption was blamed), and an editor's hidden input, Trix's,
	 * whose error was the next control's, the photo's (a false pass of
	 * a photo refused for the instructions' length). */
	EXPECT_ERRORS("<form><fieldset><legend>Photo</legend>"
		      "<input type=file name=image aria-invalid=true id=id_image>"
		      "<input name=photo_caption id=id_photo_caption>"
		      "<ul class=errorlist><li>Upload a valid image.</li></ul></fieldset></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	EXPECT_ERRORS("<form><div class=field><label>Instructions</label>"
		      "<input type=hidden name=instructions id=id_instructions aria-invalid=true>"
		      "<trix-editor input=id_instructions></trix-editor>"
		      "<p class=error>At least 20 characters.</p></div>"
		      "<div class=field><label>Photo</label><input type=file name=image></div></form>",
		      "{\"instructions\":[\"At least 20 characters.\"]}");
	/* ...but not a generic alert above the whole form, in a block
	 * holding it: no field's error, whatever Django marked (h610). */
	EXPECT_ERRORS("<main><div class=\"text-red-700\" role=alert>Something went wrong.</div>"
		      "<div><form><input name=title><input type=file name=image aria-invalid=true></form></div></main>",
		      "{\"__all__\":[\"Something went wrong.\"]}");
	/* A hand-written Dutch template: the error after the input in a
	 * class of the page's language; the field's block "veld-fout" is no
	 * error list (its label would be read as one, h626). */
	EXPECT_ERRORS("<form><div class=\"veld veld-fout\"><label for=id_image>Foto *</label>"
		      "<input type=file name=image aria-invalid=true aria-describedby=id_image_error id=id_image>"
		      "<span class=\"foutmelding\">Dit bestand is geen foto.</span></div>"
		      "<div class=\"veld\"><label>Titel</label><input name=title>"
		      "<p class=\"fehler\">Dieses Feld ist zwingend erforderlich.</p></div></form>",
		      "{\"image\":[\"Dit bestand is geen foto.\"],\"title\":[\"Dieses Feld ist zwingend erforderlich.\"]}");
	/* crispy-bootstrap5: a required box group with no choice (a new
	 * database has none) shows its error with no control of its own; the
	 * id names it, not the next control (h447). */
	EXPECT_ERRORS("<form><div id=\"div_id_tags\" class=\"mb-3\"><label class=\"form-label\">Tags*</label>"
		      "<div><p id=\"error_1_id_tags\" class=\"invalid-feedback\"><strong>This field is required."
		      "</strong></p></div></div>"
		      "<div id=\"div_id_ingredients\"><label>Ingredients</label><textarea name=ingredients></textarea>"
		      "</div></form>",
		      "{\"tags\":[\"This field is required.\"]}");
	/* ...and Django's own template: the group's errors under
	 * "id_tags_error", no control of id_tags, the photo's input after it
	 * (h938: its error was the photo's, and a text file's refusal read as
	 * the photo's own). */
	EXPECT_ERRORS("<form><div><label>Tags:</label><ul class=\"errorlist\" id=\"id_tags_error\">"
		      "<li>This field is required.</li></ul><div id=\"id_tags\"></div></div>"
		      "<div><label for=id_image>Image:</label><input type=file name=image id=id_image></div></form>",
		      "{\"tags\":[\"This field is required.\"]}");
	/* Bulma: "help is-danger" under the field, the input is-danger. */
	EXPECT_ERRORS("<form><div class=\"field\"><input name=title class=\"input\"></div>"
		      "<div class=\"field\"><input type=file name=image class=\"file-input is-danger\">"
		      "<p class=\"help is-danger\">Upload a valid image.</p></div>"
		      "<a class=\"button is-danger\" href=\"/\">Cancel</a></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	EXPECT_ERRORS("<form><input name=title class=\"input is-danger\"></form>",
		      "{\"title\":[\"(marked invalid)\"]}");
	/* crispy-bootstrap5 with form_show_errors=False: is-invalid beside a
	 * pointer at its error, which is not on the page: no error shown
	 * (h544). With the error under that id, or without a pointer, the
	 * class still marks the control. */
	EXPECT_ERRORS("<form><input type=file name=image class=\"form-control is-invalid\" aria-invalid=\"true\" "
		      "aria-describedby=\"id_image_error\"></form>",
		      "{}");
	EXPECT_ERRORS("<form><input type=file name=image class=\"form-control is-invalid\" "
		      "aria-describedby=\"id_image_helptext id_image_error\"><span id=\"id_image_error\"></span></form>",
		      "{\"image\":[\"(marked invalid)\"]}");
	EXPECT_ERRORS("<form><input type=file name=image class=\"form-control is-invalid\" "
		      "aria-describedby=\"id_image_helptext\"></form>",
		      "{\"image\":[\"(marked invalid)\"]}");
	/* Django 5's {{ field }} alone: aria-invalid pointing at an error
	 * the template never shows is no error on the page (5.2); nor is
	 * the same control without aria-describedby, or pointing at its
	 * help text alone, which is what 5.0 and 5.1 put on every invalid
	 * field (h392). Pointing at an error that is on the page, it is. */
	EXPECT_ERRORS("<form><input type=file name=image aria-invalid=\"true\" "
		      "aria-describedby=\"id_image_helptext id_image_error\">"
		      "<div id=\"id_image_helptext\">A photo of the dish.</div></form>",
		      "{}");
	EXPECT_ERRORS("<form><input type=file name=image aria-invalid=\"true\"></form>", "{}");
	EXPECT_ERRORS("<form><input type=file name=image aria-invalid=\"true\" aria-describedby=\"id_image_helptext\">"
		      "<div id=\"id_image_helptext\">A photo of the dish.</div></form>",
		      "{}");
	/* {{ field.errors.as_text }} bare beside it, in its table cell or
	 * the next cell of its row (h1254): Django's "* " lines are its
	 * errors; a help text there is none. */
	EXPECT_ERRORS("<form><table><tr><th><label for=id_image>Image:</label></th><td><input type=file name=image "
		      "aria-invalid=\"true\" aria-describedby=\"id_image_error\" id=id_image> * Upload a valid image. "
		      "The file you uploaded was either not an image or a corrupted image.</td></tr></table></form>",
		      "{\"image\":[\"Upload a valid image. The file you uploaded was either not an image or a corrupted "
		      "image.\"]}");
	EXPECT_ERRORS("<form><table><tr><th>Image</th><td><input type=file name=image aria-invalid=\"true\"></td>"
		      "<td>* Upload a valid image.</td></tr></table></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
	EXPECT_ERRORS("<form><table><tr><th>Image</th><td><input type=file name=image aria-invalid=\"true\"> "
		      "A photo of the dish.</td></tr></table></form>",
		      "{}");
	/* (Its id naming a problem, it is an error element itself, read
	 * with its words.) */
	EXPECT_ERRORS("<form><input type=file name=image aria-invalid=\"true\" aria-describedby=\"image-problem\">"
		      "<span id=\"image-problem\">Not a picture.</span></form>",
		      "{\"image\":[\"Not a picture.\"]}");
	/* Tailwind: a red border marks the control, a red focus ring alone
	 * does not. */
	EXPECT_ERRORS("<form><input name=title class=\"border focus:border-red-500\">"
		      "<input type=file name=image class=\"border border-red-500\"></form>",
		      "{\"image\":[\"(marked invalid)\"]}");
	/* A summary box of every error at the top (Bootstrap's alert) is
	 * the form's, not the first field's below it. */
	EXPECT_ERRORS("<form><div class=\"alert alert-danger\" role=\"alert\"><p>Fix these:</p>"
		      "<ul class=\"mb-0\"><li>Image: Upload a valid image.</li></ul></div>"
		      "<div><input name=title class=form-control></div>"
		      "<div><input type=file name=image class=form-control></div></form>",
		      "{\"__all__\":[\"Image: Upload a valid image.\"]}");
	/* The same alert in its field's block is that field's. */
	EXPECT_ERRORS("<form><div><input name=title class=form-control></div>"
		      "<div><input type=file name=image class=form-control>"
		      "<div class=\"alert alert-danger\"><ul class=\"errorlist\"><li>Upload a valid image.</li></ul></div>"
		      "</div></form>",
		      "{\"image\":[\"Upload a valid image.\"]}");
}

int main(void)
{
	RUN(css_translation);
	RUN(css_translation_errors);
	RUN(css_queries);
	RUN(xpath_queries);
	RUN(visible_text);
	RUN(prose_leaves_out_links_and_controls);
	RUN(broken_html_and_bad_utf8);
	RUN(deep_nesting_does_not_overflow);
	RUN(empty_body_is_empty_document);
	RUN(form_default_button);
	RUN(form_pressed_button_overrides);
	RUN(form_blank_radio_kept_to_pick);
	RUN(at_attributes_keep_the_tag_whole);
	RUN(form_controls_named_by_form_attribute);
	RUN(radio_group_options);
	RUN(form_fields);
	RUN(form_selection);
	RUN(form_without_action);
	RUN(django_login_form);
	RUN(meta_charset_does_not_garble);
	RUN(form_fills_required_fields);
	RUN(form_date_selects_send_today);
	RUN(form_fills_follow_the_controls_rules);
	RUN(form_fills_a_formsets_minimum_rows);
	RUN(form_fills_rows_a_refusal_asks_for);
	RUN(form_fills_fit_the_control_and_the_row);
	RUN(form_preferred_by_names);
	RUN(form_errors_inside_their_paragraph);
	RUN(form_errors_owner_named_by_django_id);
	RUN(form_errors_before_the_flash);
	RUN(form_errors_attached);
	T_EXIT();
}
