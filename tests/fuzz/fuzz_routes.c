/* fuzz_routes.c - grader.yaml, the submission's route map (routes.h), read
 * as the grader reads it, then used both ways on a few paths. */
#include "fuzz.h"

#include "err.h"
#include "routes.h"

FUZZ_ENTRY(routes)
{
	static const char *const PATHS[] = {"/", "/tickets/", "/tickets/new/?a=1", "/api/products/1/", ""};
	struct gbuf diag = GBUF_INIT(64 << 10), out = GBUF_INIT(1 << 16);
	struct routes *r = NULL;
	size_t i;

	fuzz_put("grader.yaml", data, size);
	if (routes_load(fuzz_dir(), fuzz_dir(), &r, &diag) == 0 && r) {
		for (i = 0; i < sizeof(PATHS) / sizeof(PATHS[0]); i++) {
			gbuf_reset(&out);
			(void)routes_to_app(r, PATHS[i], &out);
			gbuf_reset(&out);
			(void)routes_to_contract(r, PATHS[i], &out);
		}
	}
	routes_free(r);
	gbuf_release(&diag);
	gbuf_release(&out);
	err_clear();
	return 0;
}
