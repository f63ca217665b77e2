/* fuzz_html.c - an HTML page the app answers with: parsed, its forms found
 * and filled as a browser would, its error lists and text extracted. */
#include "fuzz.h"

#include <cjson/cJSON.h>

#include "err.h"
#include "html.h"

FUZZ_ENTRY(html)
{
	static const char *const NAMES[] = {"title", "email", NULL};
	struct html_doc *d = NULL;
	struct html_form *f = NULL;
	struct gbuf why = GBUF_INIT(4096), text = GBUF_INIT(1 << 20);
	cJSON *j = NULL;

	if (html_parse((const char *)data, size, &d, &why) == 0 && d) {
		if (html_form_find(d, NULL, NULL, &f) == 0)
			html_form_free(f);
		f = NULL;
		if (html_form_find_for(d, "form.main, #f", "/x/", NAMES, &f) == 0)
			html_form_free(f);
		if (html_form_errors(d, &j) == 0)
			cJSON_Delete(j);
		j = NULL;
		if (html_css(d, "div > p.a[title], ul li:nth-child(2) a", "href", &j) == 0)
			cJSON_Delete(j);
		(void)html_text(d, &text);
	}
	html_free(d);
	gbuf_release(&why);
	gbuf_release(&text);
	err_clear();
	return 0;
}
