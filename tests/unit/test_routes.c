/*
 * test_routes.c - grader.yaml route mapping: prefixes, exact paths ('$'),
 * path patterns ({name}), and mapping Location headers back only where
 * they match a mapped app path.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "routes.h"
#include "t.h"

static char dir[] = "/tmp/grader-test-routes-XXXXXX";

/* Write `yaml` as dir's grader.yaml, its path into path. 0, or -1. */
static int put_yaml(const char *yaml, char *path, size_t n)
{
	FILE *f;

	snprintf(path, n, "%s/grader.yaml", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(yaml, f);
	return fclose(f) == 0 ? 0 : -1;
}

/* Load `yaml` as grader.yaml; *diag gets a load diagnosis (1). */
static int load(const char *yaml, struct routes **r, char *diag, size_t n)
{
	struct gbuf d = GBUF_INIT(4096);
	char path[256];
	int rc;

	if (put_yaml(yaml, path, sizeof(path)) < 0)
		return -1;
	rc = routes_load(dir, dir, r, &d);
	snprintf(diag, n, "%s", gbuf_str(&d));
	gbuf_release(&d);
	unlink(path);
	return rc;
}

static const char *map(const struct routes *r, const char *path, int to_app)
{
	static char out[512];
	struct gbuf b = GBUF_INIT(4096);

	if ((to_app ? routes_to_app(r, path, &b) : routes_to_contract(r, path, &b)) < 0)
		snprintf(out, sizeof(out), "(error)");
	else
		snprintf(out, sizeof(out), "%s", gbuf_str(&b));
	gbuf_release(&b);
	return out;
}

/* The example: the list at "/", the detail under /chamados/. */
TEST(patterns_beat_prefixes)
{
	struct routes *r = NULL;
	char diag[256];

	EXPECT_INT(load("routes:\n  /tickets/: /\n  /tickets/{id}/: /chamados/{id}/\n"
			"  /tickets/new/: /novo/\n", &r, diag, sizeof(diag)), 0);
	EXPECT_STR(map(r, "/tickets/", 1), "/");
	EXPECT_STR(map(r, "/tickets/?page=2", 1), "/?page=2");
	EXPECT_STR(map(r, "/tickets/42/", 1), "/chamados/42/");
	EXPECT_STR(map(r, "/tickets/42/status/", 1), "/chamados/42/status/");
	/* A literal path as long as the pattern's match is the more specific. */
	EXPECT_STR(map(r, "/tickets/new/", 1), "/novo/");
	EXPECT_STR(map(r, "/dashboard/", 1), "/dashboard/");
	/* Back: the pattern maps the app's detail pages back ... */
	EXPECT_STR(map(r, "/chamados/7/", 0), "/tickets/7/");
	/* ... "/" maps back only as itself ... */
	EXPECT_STR(map(r, "/", 0), "/tickets/");
	/* ... and a redirect elsewhere is left alone, not made /tickets/accounts/... */
	EXPECT_STR(map(r, "/accounts/login/?next=/", 0), "/accounts/login/?next=/");
	EXPECT_STR(map(r, "/novo/", 0), "/tickets/new/");
	routes_free(r);
}

/* '$' pins a path exactly; prefixes keep working as before. */
TEST(exact_paths)
{
	struct routes *r = NULL;
	char diag[256];

	EXPECT_INT(load("routes:\n  /tickets/$: /\n  /tickets/new/$: /abrir/\n"
			"  /tickets/{id}/: /chamados/{id}/\n  /dashboard/: /painel/\n", &r, diag, sizeof(diag)), 0);
	EXPECT_STR(map(r, "/tickets/", 1), "/");
	EXPECT_STR(map(r, "/tickets/new/", 1), "/abrir/");
	EXPECT_STR(map(r, "/tickets/9/", 1), "/chamados/9/");
	EXPECT_STR(map(r, "/dashboard/?x=1", 1), "/painel/?x=1");
	EXPECT_STR(map(r, "/dashboard/extra/", 1), "/painel/extra/");
	/* Exact routes map back exactly. */
	EXPECT_STR(map(r, "/abrir/", 0), "/tickets/new/");
	EXPECT_STR(map(r, "/", 0), "/tickets/");
	EXPECT_STR(map(r, "/login/", 0), "/login/");
	EXPECT_STR(map(r, "/painel/", 0), "/dashboard/");
	routes_free(r);
}

/* A prefix to "/" forward, and backward only for "/" itself and the
 * moved folder's items, an id or new (h938: the recipe's /3/ was read as
 * itself, not /recipes/3/). */
TEST(root_prefix_does_not_rewrite_every_redirect)
{
	struct routes *r = NULL;
	char diag[256];

	EXPECT_INT(load("routes:\n  /recipes/: /\n", &r, diag, sizeof(diag)), 0);
	EXPECT_STR(map(r, "/recipes/new/", 1), "/new/");
	EXPECT_STR(map(r, "/accounts/login/?next=/new/", 0), "/accounts/login/?next=/new/");
	EXPECT_STR(map(r, "/media/recipes/dish.png", 0), "/media/recipes/dish.png");
	EXPECT_STR(map(r, "/?ok=1", 0), "/recipes/?ok=1");
	EXPECT_STR(map(r, "/3/", 0), "/recipes/3/");
	EXPECT_STR(map(r, "/3/status/?x=1", 0), "/recipes/3/status/?x=1");
	EXPECT_STR(map(r, "/new/", 0), "/recipes/new/");
	EXPECT_STR(map(r, "/0f8fad5b-d9cb-469f-a165-70867728950e/", 0),
		   "/recipes/0f8fad5b-d9cb-469f-a165-70867728950e/");
	EXPECT_STR(map(r, "/dashboard/", 0), "/dashboard/");
	EXPECT_STR(map(r, "/3", 0), "/3");
	EXPECT_STR(map(r, "/news/", 0), "/news/");
	routes_free(r);
}

/* Two contract paths reaching one app path (a status form posting to the
 * ticket's own page): mapping back, the path the app serves as it is
 * stays itself, and moved paths still map back. */
TEST(a_path_served_as_is_maps_back_to_itself)
{
	struct routes *r = NULL;
	char diag[256];

	EXPECT_INT(load("routes:\n  /tickets/{id}/status/: /tickets/{id}/\n", &r, diag, sizeof(diag)), 0);
	EXPECT_STR(map(r, "/tickets/7/status/", 1), "/tickets/7/");
	EXPECT_STR(map(r, "/tickets/7/", 1), "/tickets/7/");
	EXPECT_STR(map(r, "/tickets/7/", 0), "/tickets/7/");
	EXPECT_STR(map(r, "/tickets/7/?ok=1", 0), "/tickets/7/?ok=1");
	EXPECT_STR(map(r, "/tickets/", 0), "/tickets/");
	routes_free(r);
	EXPECT_INT(load("routes:\n  /tickets/: /support/\n  /api/: /api/v1/\n", &r, diag, sizeof(diag)), 0);
	EXPECT_STR(map(r, "/support/5/", 0), "/tickets/5/");
	EXPECT_STR(map(r, "/api/v1/products/5/", 0), "/api/products/5/");
	routes_free(r);
	/* A project whose URLs end without a slash: its /tickets/1 is the
	 * ticket's page, not a contract path served as it is. */
	EXPECT_INT(load("routes:\n  /tickets/$: /tickets\n  /tickets/new/$: /tickets/new\n"
			"  /tickets/{id}/: /tickets/{id}\n  /tickets/{id}/status/: /tickets/{id}/status\n",
			&r, diag, sizeof(diag)), 0);
	EXPECT_STR(map(r, "/tickets/1", 0), "/tickets/1/");
	EXPECT_STR(map(r, "/tickets/1?page=2", 0), "/tickets/1/?page=2");
	EXPECT_STR(map(r, "/tickets", 0), "/tickets/");
	EXPECT_STR(map(r, "/tickets/1/status", 0), "/tickets/1/status/");
	EXPECT_STR(map(r, "/tickets/1/", 1), "/tickets/1");
	/* ...and a page beneath it, its canonical address, one slash between
	 * (h1204: /tickets/1//tck-0001 back). */
	EXPECT_STR(map(r, "/tickets/1/tck-0001", 0), "/tickets/1/tck-0001/");
	EXPECT_STR(map(r, "/tickets/1/tck-0001?x=1", 0), "/tickets/1/tck-0001/?x=1");
	EXPECT_STR(map(r, "/tickets/1/tck-0001/", 1), "/tickets/1/tck-0001");
	EXPECT_STR(map(r, "/tickets/1/tck-0001/?x=1", 1), "/tickets/1/tck-0001?x=1");
	EXPECT_STR(map(r, "/tickets?status=all", 0), "/tickets/?status=all");
	routes_free(r);
	/* A folder moved without its slash: its pages keep theirs, one
	 * slash between. */
	EXPECT_INT(load("routes:\n  /api/: /api/v1\n", &r, diag, sizeof(diag)), 0);
	EXPECT_STR(map(r, "/api/products/", 1), "/api/v1/products/");
	EXPECT_STR(map(r, "/api/v1/products/4/", 0), "/api/products/4/");
	routes_free(r);
}

TEST(bad_routes)
{
	struct routes *r = NULL;
	char diag[256];

	EXPECT_INT(load("routes:\n  /t{id}/: /x/{id}/\n", &r, diag, sizeof(diag)), 1);
	EXPECT(strstr(diag, "grader.yaml:2:3:") != NULL);
	EXPECT_INT(load("routes:\n  /t/{id}/: /x/{pk}/\n", &r, diag, sizeof(diag)), 1);
	EXPECT(strstr(diag, "does not have") != NULL);
	EXPECT(strstr(diag, "{slug}") == NULL);
	/* A slug for an id (h441): said why no line can do it. */
	EXPECT_INT(load("routes:\n  /recipes/{id}/: /recipes/{slug}/\n", &r, diag, sizeof(diag)), 1);
	EXPECT(strstr(diag, "does not have ({slug} cannot stand for {id}: a line maps the same placeholders") != NULL);
	/* The app's path lacking the challenge's placeholder is said of the
	 * app's path (h660: it was said as one the challenge's lacked). */
	EXPECT_INT(load("routes:\n  /t/{id}/: /x/\n", &r, diag, sizeof(diag)), 1);
	EXPECT(strstr(diag, "found no placeholder for one the challenge's path '/t/{id}/' has") != NULL);
	EXPECT(strstr(diag, "does not have") == NULL);
	EXPECT_INT(load("routes:\n  /t/$/x/: /x/\n", &r, diag, sizeof(diag)), 1);
	EXPECT(strstr(diag, "'$'") != NULL);
	EXPECT_INT(load("routes:\n  /t/: /x/$\n", &r, diag, sizeof(diag)), 1);
	EXPECT(r == NULL);
}

/* Write `yaml` as the root's grader.yaml and read its `project:` key:
 * rc, and the folder (or "(none)") or the diagnosis into out. */
static int project_of(const char *yaml, char *out, size_t n)
{
	struct gbuf d = GBUF_INIT(4096);
	char path[256], *p = NULL;
	int rc;

	if (put_yaml(yaml, path, sizeof(path)) < 0)
		return -1;
	rc = routes_project(dir, &p, &d);
	snprintf(out, n, "%s", rc == 1 ? gbuf_str(&d) : p ? p : "(none)");
	free(p);
	gbuf_release(&d);
	unlink(path);
	return rc;
}

/* A repository of several projects names the one to grade at its root
 * (h375): `project: capstone`, with or without routes beside it; a path
 * that leaves the repository, is absolute or is not a plain folder name is
 * refused with its place in the file; no key, no file: none. */
/* A served path as the boot lists it, against a path asked: a
 * placeholder is one segment of at least one character, a last one the
 * rest; regex syntax left in a pattern tells nothing. */
TEST(served_paths_match_as_django_routes_them)
{
	EXPECT_INT(routes_served_match("/recipes/{slug}/", "/recipes/new/"), 1);
	EXPECT_INT(routes_served_match("/recipes/new/", "/recipes/new/"), 1);
	EXPECT_INT(routes_served_match("/api/products/{pk}/", "/api/products/"), 0);
	EXPECT_INT(routes_served_match("/api/products/{pk}/", "/api/products/1/extra/"), 0);
	EXPECT_INT(routes_served_match("/media/{path}", "/media/a/b.png"), 1);
	EXPECT_INT(routes_served_match("/api/(?:v1)/", "/api/v1/"), -1);
	EXPECT_INT(routes_served_match("/api/{pk", "/api/1"), -1);
}

TEST(the_root_names_the_project)
{
	char out[512];

	EXPECT_INT(project_of("project: capstone\n", out, sizeof(out)), 0);
	EXPECT_STR(out, "capstone");
	EXPECT_INT(project_of("project: courses/week8/shop_api/\nroutes:\n  /tickets/: /support/\n", out, sizeof(out)), 0);
	EXPECT_STR(out, "courses/week8/shop_api");
	EXPECT_INT(project_of("routes:\n  /tickets/: /support/\n", out, sizeof(out)), 0);
	EXPECT_STR(out, "(none)");
	EXPECT_INT(project_of("project: ../elsewhere\n", out, sizeof(out)), 1);
	EXPECT(strstr(out, "grader.yaml:1:10: expected 'project' to name the folder holding manage.py") != NULL);
	EXPECT_INT(project_of("project: /etc\n", out, sizeof(out)), 1);
	EXPECT_INT(project_of("project: a//b\n", out, sizeof(out)), 1);
	/* "./" before it names the same folder, "." the root (h708). */
	EXPECT_INT(project_of("project: ./services/web/\n", out, sizeof(out)), 0);
	EXPECT_STR(out, "services/web");
	EXPECT_INT(project_of("project: .\n", out, sizeof(out)), 0);
	EXPECT_STR(out, "(none)");
	EXPECT_INT(project_of("project: ./../x\n", out, sizeof(out)), 1);
	EXPECT_INT(project_of("project: [capstone]\n", out, sizeof(out)), 1);
	EXPECT_INT(project_of("project: a b\n", out, sizeof(out)), 1);
	EXPECT_INT(project_of("project: a/b/c/d/e/f/g\n", out, sizeof(out)), 1);
	{
		struct gbuf d = GBUF_INIT(4096);
		char *p = NULL;

		EXPECT_INT(routes_project(dir, &p, &d), 0);   /* no grader.yaml */
		EXPECT(p == NULL);
		gbuf_release(&d);
	}
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	RUN(patterns_beat_prefixes);
	RUN(exact_paths);
	RUN(root_prefix_does_not_rewrite_every_redirect);
	RUN(a_path_served_as_is_maps_back_to_itself);
	RUN(bad_routes);
	RUN(the_root_names_the_project);
	RUN(served_paths_match_as_django_routes_them);
	rmdir(dir);
	T_EXIT();
}
