/* fuzz_css.c - a CSS selector (from a challenge, or captured from a page)
 * translated to XPath and run on a small page. */
#include "fuzz.h"

#include <cjson/cJSON.h>

#include "err.h"
#include "html.h"

FUZZ_ENTRY(css)
{
	static const char PAGE[] = "<html><body><div id=a class='x y'><p title=t>one</p>"
				   "<ul><li>1</li><li><a href='/z'>2</a></li></ul>"
				   "<form action='/f/'><input name=q required></form></div></body></html>";
	char *sel = fuzz_str(data, size);
	struct gbuf xp = GBUF_INIT(1 << 16), why = GBUF_INIT(4096);
	struct html_doc *d = NULL;
	struct html_form *f = NULL;
	cJSON *j = NULL;

	if (sel) {
		(void)html_css_to_xpath(sel, &xp);
		if (html_parse(PAGE, sizeof(PAGE) - 1, &d, &why) == 0 && d) {
			if (html_css(d, sel, NULL, &j) == 0)
				cJSON_Delete(j);
			if (html_form_find(d, sel, NULL, &f) == 0)
				html_form_free(f);
		}
	}
	html_free(d);
	free(sel);
	gbuf_release(&xp);
	gbuf_release(&why);
	err_clear();
	return 0;
}
