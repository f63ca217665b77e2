/*
 * worktree.c - a local repository's uncommitted state, and a copy of its
 * working tree (worktree.h). libgit2 answers what git would: the status
 * against HEAD, and which paths are ignored.
 */
#include "worktree.h"
#include "err.h"
#include "fetch.h"
#include "tree.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* A plain path, or the path of a file:// URL; NULL for other URLs. */
static const char *worktree_path(const char *source)
{
	if (!strncmp(source, "file://", 7))
		return source + 7;
	if (strstr(source, "://"))
		return NULL;
	return source;
}

/*
 * 0 opened, 1 not a local repository with a working tree, -1 err.
 * libgit2 is set up through fetch_global_init() and stays up: an
 * init/shutdown pair here would parse the CA bundle for nothing, and the
 * clone that follows needs libgit2 anyway (fetch.c).
 */
static int worktree_open(const char *source, git_repository **repo)
{
	const char *path = worktree_path(source);

	*repo = NULL;
	if (!path)
		return 1;
	if (fetch_global_init() < 0)
		return -1;
	if (git_repository_open_ext(repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return 1;
	if (git_repository_is_bare(*repo)) {
		git_repository_free(*repo);
		*repo = NULL;
		return 1;
	}
	return 0;
}

static void worktree_close(git_repository *repo)
{
	git_repository_free(repo);
}

int worktree_status(const char *path, size_t *changed, char head[41])
{
	git_repository *repo = NULL;
	git_status_list *list = NULL;
	git_status_options so;
	git_oid oid;
	int rc = worktree_open(path, &repo);

	*changed = 0;
	head[0] = '\0';
	if (rc != 0)
		return rc;
	rc = -1;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	if (git_reference_name_to_id(&oid, repo, "HEAD") == 0)
		git_oid_tostr(head, 41, &oid);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, repo, &so) < 0) {
		const git_error *e = git_error_last();

		err_set("cannot read the status of %s: %s", path, e && e->message ? e->message : "libgit2 error");
		goto done;
	}
	*changed = git_status_list_entrycount(list);
	rc = 0;
done:
	git_status_list_free(list);
	worktree_close(repo);
	return rc;
}

/* tree_skip_fn: what git ignores stays behind. */
static bool worktree_ignored(void *ctx, const char *rel, bool is_dir)
{
	git_repository *repo = ctx;
	char *p = NULL;
	int ignored = 0;

	/* Folder rules ("venv/") match the path with its trailing slash. */
	if (is_dir && asprintf(&p, "%s/", rel) < 0)
		return false;
	if (git_ignore_path_is_ignored(&ignored, repo, p ? p : rel) < 0)
		ignored = 0;
	free(p);
	return ignored == 1;
}

int worktree_copy(const char *path, const char *dest)
{
	git_repository *repo = NULL;
	const char *wd;
	int rc = worktree_open(path, &repo);

	if (rc != 0)
		return rc < 0 ? -1 : err_set("%s is not a local git repository with a working tree", path);
	wd = git_repository_workdir(repo);
	rc = wd ? tree_copy_filtered(wd, dest, (uid_t)-1, 1, worktree_ignored, repo, NULL)
		: err_set("%s has no working tree", path);
	worktree_close(repo);
	return rc;
}
