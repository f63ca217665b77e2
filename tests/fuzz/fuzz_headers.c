/* fuzz_headers.c - a response's header block (several responses when
 * redirects were followed) as the app sent it: header lookups, and the
 * Location reduced to a path. */
#include "fuzz.h"

#include "err.h"
#include "http.h"

FUZZ_ENTRY(headers)
{
	static const char *const NAMES[] = {"Location", "Content-Type", "Set-Cookie", "X-Grader-Queries", ""};
	struct http_response rs = HTTP_RESPONSE_INIT;
	char *s = fuzz_str(data, size), *v, *p;
	size_t i;

	if (s && gbuf_add(&rs.head, (const char *)data, size) == 0) {
		for (i = 0; i < sizeof(NAMES) / sizeof(NAMES[0]); i++) {
			v = http_response_header(&rs, NAMES[i]);
			if (v) {
				p = http_url_to_path(NULL, v);
				free(p);
			}
			free(v);
		}
		/* The whole input as a Location value too. */
		p = http_url_to_path(NULL, s);
		free(p);
	}
	http_response_release(&rs);
	free(s);
	err_clear();
	return 0;
}
