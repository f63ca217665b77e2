/*
 * fetch.c - clone a submission with libgit2 and check out the ref to grade.
 *
 * Design: init an empty repository, fetch every head and tag and the
 * remote's HEAD (nothing written to the work tree), resolve the ref in
 * the clone, then force-checkout that commit's tree and
 * detach HEAD there. Resolving in the clone rather than asking the remote
 * means one network round trip and one code path for branches, tags and
 * commit ids.
 *
 * What counts as a *submission* failure (ok=false, words for the student):
 * anything about the source - refused scheme, missing repository, network or
 * protocol errors, unknown ref, empty repository, oversized repository.
 * What counts as a *grader* failure (-1): libgit2 initialisation, the
 * destination already existing, out of memory.
 */
#include "fetch.h"
#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

/* A clone that receives more than this is abandoned: a class's submissions
 * are small Django projects, and the grader's disk is not the student's. */
#define FETCH_MAX_BYTES ((size_t)512 << 20)
/* How many branch and tag names a "ref not found" diagnosis lists. */
#define FETCH_LIST_MAX 20

enum fetch_kind {
	FETCH_REFUSED = 0,
	FETCH_LOCAL,
	FETCH_FILE_URL,
	FETCH_HTTPS,
};

static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static int fetch_init_rc = -1;
static char fetch_init_msg[256];

static void fetch_init_once(void)
{
	const git_error *e;

	if (git_libgit2_init() < 0) {
		e = git_error_last();
		snprintf(fetch_init_msg, sizeof(fetch_init_msg), "libgit2 init failed: %s",
			 e && e->message ? e->message : "unknown error");
		return;
	}
	/*
	 * The grader runs as one user and clones repositories that belong to
	 * others (a shared folder of student checkouts, or our own clones
	 * under a temporary folder). Owner validation exists to stop a
	 * *user's* git from honouring a hostile repository's config; we never
	 * run hooks or honour repository config that executes anything, so it
	 * would only refuse legitimate local sources.
	 */
	if (git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0) < 0) {
		e = git_error_last();
		snprintf(fetch_init_msg, sizeof(fetch_init_msg),
			 "libgit2: cannot disable owner validation: %s",
			 e && e->message ? e->message : "unknown error");
		return;
	}
	fetch_init_rc = 0;
}

int fetch_global_init(void)
{
	if (pthread_once(&fetch_once, fetch_init_once) != 0)
		return err_set("pthread_once failed");
	if (fetch_init_rc < 0)
		return err_set("%s", fetch_init_msg);
	return 0;
}

/*
 * Classify SOURCE. URLs are recognised by "scheme://"; git's scp-like form
 * "user@host:path" (a ':' before the first '/') is ssh in disguise and is
 * refused too. Everything else is a local path. Plain http is refused: the
 * code under test would arrive unauthenticated and could be swapped in
 * transit.
 */
static enum fetch_kind fetch_classify(const char *source, const char **why)
{
	const char *colon = strchr(source, ':');
	const char *slash = strchr(source, '/');
	const char *sep = strstr(source, "://");

	*why = NULL;
	if (!*source) {
		*why = "the source is empty";
		return FETCH_REFUSED;
	}
	if (source[0] == '/' || source[0] == '.')
		return FETCH_LOCAL;
	if (sep && (!slash || sep < slash)) {
		size_t n = (size_t)(sep - source);

		if (n == 5 && strncasecmp(source, "https", 5) == 0)
			return FETCH_HTTPS;
		if (n == 4 && strncasecmp(source, "file", 4) == 0)
			return FETCH_FILE_URL;
		if (n == 4 && strncasecmp(source, "http", 4) == 0)
			*why = "plain http:// is not accepted; use an https:// URL";
		else if (n == 3 && strncasecmp(source, "ssh", 3) == 0)
			*why = "ssh URLs are not accepted (the grader has no keys); use an https:// URL";
		else
			*why = "only local paths, file:// and https:// URLs are accepted";
		return FETCH_REFUSED;
	}
	if (colon && (!slash || colon < slash)) {
		*why = "ssh addresses (user@host:path) are not accepted (the grader has no keys); "
		       "use an https:// URL";
		return FETCH_REFUSED;
	}
	return FETCH_LOCAL;
}

/* Append libgit2's last message, or a fallback, as a bounded excerpt. */
static int fetch_add_git_error(struct gbuf *diag)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message ? e->message : "unknown libgit2 error";

	return gbuf_add_excerpt(diag, msg, strlen(msg), 400);
}

static int fetch_add_source(struct gbuf *diag, const char *source)
{
	return gbuf_add_excerpt(diag, source, strlen(source), 300);
}

/* Transfer progress: abandon oversized clones. */
static int fetch_on_progress(const git_indexer_progress *st, void *payload)
{
	bool *too_big = payload;

	if (st->received_bytes > FETCH_MAX_BYTES) {
		*too_big = true;
		return -1;
	}
	return 0;
}

/* "branches: a, b; tags: v1" - names come from the submission: excerpted. */
static int fetch_add_ref_lists(git_repository *repo, struct gbuf *diag)
{
	git_branch_iterator *it = NULL;
	git_reference *ref = NULL;
	git_branch_t type;
	git_strarray tags = { NULL, 0 };
	size_t nb = 0, i;
	int rc = -1;
	int gr;

	if (gbuf_adds(diag, "branches: ") < 0)
		goto done;
	if (git_branch_iterator_new(&it, repo, GIT_BRANCH_REMOTE) == 0) {
		while ((gr = git_branch_next(&ref, &type, it)) == 0) {
			const char *name = NULL;

			if (git_branch_name(&name, ref) == 0 && name) {
				if (strncmp(name, "origin/", 7) == 0)
					name += 7;
				if (strcmp(name, "HEAD") != 0) {
					if (nb == FETCH_LIST_MAX) {
						if (gbuf_adds(diag, ", …") < 0)
							goto done;
					} else if (nb < FETCH_LIST_MAX) {
						if ((nb && gbuf_adds(diag, ", ") < 0) ||
						    gbuf_add_excerpt(diag, name, strlen(name), 80) < 0)
							goto done;
					}
					nb++;
				}
			}
			git_reference_free(ref);
			ref = NULL;
		}
	}
	if (nb == 0 && gbuf_adds(diag, "none") < 0)
		goto done;
	if (gbuf_adds(diag, "; tags: ") < 0)
		goto done;
	if (git_tag_list(&tags, repo) == 0 && tags.count) {
		for (i = 0; i < tags.count && i <= FETCH_LIST_MAX; i++) {
			if (i == FETCH_LIST_MAX) {
				if (gbuf_adds(diag, ", …") < 0)
					goto done;
				break;
			}
			if ((i && gbuf_adds(diag, ", ") < 0) ||
			    gbuf_add_excerpt(diag, tags.strings[i], strlen(tags.strings[i]), 80) < 0)
				goto done;
		}
	} else if (gbuf_adds(diag, "none") < 0) {
		goto done;
	}
	rc = 0;
done:
	git_reference_free(ref);
	git_branch_iterator_free(it);
	git_strarray_dispose(&tags);
	return rc;
}

/* Does the clone hold any branch or tag at all? */
static bool fetch_repo_has_refs(git_repository *repo)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	bool any = false;

	if (git_reference_iterator_glob_new(&it, repo, "refs/remotes/*") == 0 &&
	    git_reference_next(&ref, it) == 0)
		any = true;
	git_reference_free(ref);
	ref = NULL;
	git_reference_iterator_free(it);
	it = NULL;
	if (!any && git_reference_iterator_glob_new(&it, repo, "refs/tags/*") == 0 &&
	    git_reference_next(&ref, it) == 0)
		any = true;
	git_reference_free(ref);
	git_reference_iterator_free(it);
	return any;
}

/*
 * Resolve `ref` to a commit in the fresh clone: NULL/"HEAD" is the remote's
 * HEAD (the clone's HEAD mirrors it); otherwise the ref as git would parse
 * it (commit ids, tags, expressions), then as a remote branch, then as a tag.
 */
static int fetch_resolve(git_repository *repo, const char *ref, git_object **commit)
{
	git_object *obj = NULL;
	char *alt = NULL;
	int rc = GIT_ENOTFOUND;

	if (!ref || strcmp(ref, "HEAD") == 0) {
		rc = git_revparse_single(&obj, repo, "refs/remotes/origin/HEAD");
	} else {
		rc = git_revparse_single(&obj, repo, ref);
		if (rc < 0) {
			if (asprintf(&alt, "origin/%s", ref) < 0) {
				alt = NULL;
				rc = -1;
				goto done;
			}
			rc = git_revparse_single(&obj, repo, alt);
		}
		if (rc < 0) {
			free(alt);
			if (asprintf(&alt, "refs/tags/%s", ref) < 0) {
				alt = NULL;
				rc = -1;
				goto done;
			}
			rc = git_revparse_single(&obj, repo, alt);
		}
	}
	if (rc < 0)
		goto done;
	/* Annotated tags peel to their commit; a tree or blob id does not. */
	rc = git_object_peel(commit, obj, GIT_OBJECT_COMMIT);
done:
	git_object_free(obj);
	free(alt);
	return rc;
}

/*
 * Fetch heads, tags and the remote's HEAD into the new repository. This is
 * git_clone() by hand, for two reasons: an anonymous remote writes no
 * [remote] config and reads no url.*.insteadOf (libgit2 1.5's config
 * regex matching leaks a pcre2 match block per entry, which the
 * AddressSanitizer builds report), and we
 * get the remote HEAD as a plain ref, refs/remotes/origin/HEAD, even when
 * the source's HEAD is detached.
 */
static int fetch_download(git_repository *repo, const char *url, bool *too_big)
{
	static char *specs[] = {
		"+refs/heads/*:refs/remotes/origin/*",
		"+refs/tags/*:refs/tags/*",
		"+HEAD:refs/remotes/origin/HEAD",
	};
	git_strarray arr = { specs, sizeof(specs) / sizeof(specs[0]) };
	git_remote_create_options ro;
	git_fetch_options fo;
	git_remote *remote = NULL;
	int rc = -1;

	if (git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION) < 0 ||
	    git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION) < 0)
		goto done;
	/*
	 * No certificate_check callback: libgit2 verifies against the system
	 * CAs. No credentials callback: private repositories fail cleanly.
	 * Redirects only on the first request (libgit2 refuses https->http).
	 */
	fo.callbacks.transfer_progress = fetch_on_progress;
	fo.callbacks.payload = too_big;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE; /* the refspec takes them all */
	fo.follow_redirects = GIT_REMOTE_REDIRECT_INITIAL;
	/*
	 * Anonymous (name NULL) and without url.*.insteadOf rewriting: the
	 * grader's own git config must not redirect a submission's URL (nor,
	 * with libgit2 1.5, leak a pcre2 match block per config entry).
	 */
	ro.repository = repo;
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(&remote, url, &ro) < 0)
		goto done;
	if (git_remote_fetch(remote, &arr, &fo, NULL) < 0)
		goto done;
	rc = 0;
done:
	git_remote_free(remote);
	return rc;
}

int fetch_clone(const char *source, const char *ref, const char *dest,
		char commit[41], bool *ok, struct gbuf *diagnosis)
{
	/* The libgit2 INIT macros leave fields implicit (-Wextra objects):
	 * the _init() functions fill the same defaults. */
	git_repository_init_options io;
	git_checkout_options chk;
	git_repository *repo = NULL;
	git_repository *probe = NULL;
	git_object *target = NULL;
	char *url = NULL;
	const char *why = NULL;
	enum fetch_kind kind;
	bool too_big = false;
	struct stat st;
	int rc = -1;

	*ok = false;
	commit[0] = '\0';
	if (fetch_global_init() < 0)
		goto done;
	if (git_repository_init_options_init(&io, GIT_REPOSITORY_INIT_OPTIONS_VERSION) < 0 ||
	    git_checkout_options_init(&chk, GIT_CHECKOUT_OPTIONS_VERSION) < 0) {
		err_set("libgit2: cannot initialise options");
		goto done;
	}
	if (lstat(dest, &st) == 0) {
		err_set("clone destination %s already exists", dest);
		goto done;
	}

	kind = fetch_classify(source, &why);
	if (kind == FETCH_REFUSED) {
		if (gbuf_adds(diagnosis, "cannot fetch ") < 0 || fetch_add_source(diagnosis, source) < 0 ||
		    gbuf_addf(diagnosis, ": %s", why) < 0)
			goto done;
		rc = 0;
		goto done;
	}

	if (kind == FETCH_LOCAL) {
		/*
		 * Only the folder itself: NO_SEARCH stops libgit2 from walking
		 * up to an enclosing repository, which would grade something
		 * the student did not point at. The path then goes through the
		 * git protocol like a file:// URL: objects are copied (never
		 * hard-linked into the student's folder) and only reachable
		 * ones come over.
		 */
		url = realpath(source, NULL);
		/* Say what is wrong with the path itself before blaming git. */
		if (!url || stat(url, &st) < 0 || !S_ISDIR(st.st_mode)) {
			if (gbuf_adds(diagnosis, url ? "not a folder: " : "no such folder: ") < 0 ||
			    fetch_add_source(diagnosis, source) < 0)
				goto done;
			rc = 0;
			goto done;
		}
		if (git_repository_open_ext(&probe, url, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
			if (gbuf_adds(diagnosis, "no git repository at ") < 0 ||
			    fetch_add_source(diagnosis, source) < 0 ||
			    gbuf_adds(diagnosis, " (the folder has no .git: run git init, then commit your work)") < 0)
				goto done;
			rc = 0;
			goto done;
		}
	} else {
		url = strdup(source);
		if (!url) {
			err_set("out of memory");
			goto done;
		}
	}

	/* Our own folder: failing to create it is the grader's problem. */
	io.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	if (git_repository_init_ext(&repo, dest, &io) < 0) {
		const git_error *e = git_error_last();

		err_set("cannot create a repository at %s: %s", dest,
			e && e->message ? e->message : "unknown libgit2 error");
		goto done;
	}
	if (fetch_download(repo, url, &too_big) < 0) {
		if (gbuf_adds(diagnosis, "could not clone ") < 0 ||
		    fetch_add_source(diagnosis, source) < 0 || gbuf_adds(diagnosis, ": ") < 0)
			goto done;
		if (too_big) {
			if (gbuf_addf(diagnosis, "the repository is larger than %zu MiB",
				      FETCH_MAX_BYTES >> 20) < 0)
				goto done;
		} else if (fetch_add_git_error(diagnosis) < 0) {
			goto done;
		}
		rc = 0;
		goto done;
	}

	if (!fetch_repo_has_refs(repo)) {
		if (gbuf_adds(diagnosis, "the repository has no commits") < 0)
			goto done;
		rc = 0;
		goto done;
	}
	if (fetch_resolve(repo, ref, &target) < 0) {
		if (!ref || strcmp(ref, "HEAD") == 0) {
			if (gbuf_adds(diagnosis, "the repository's HEAD does not name a commit (") < 0 ||
			    fetch_add_ref_lists(repo, diagnosis) < 0 || gbuf_adds(diagnosis, ")") < 0)
				goto done;
		} else {
			if (gbuf_adds(diagnosis, "ref '") < 0 ||
			    gbuf_add_excerpt(diagnosis, ref, strlen(ref), 120) < 0 ||
			    gbuf_adds(diagnosis, "' not found in ") < 0 ||
			    fetch_add_source(diagnosis, source) < 0 || gbuf_adds(diagnosis, " (") < 0 ||
			    fetch_add_ref_lists(repo, diagnosis) < 0 || gbuf_adds(diagnosis, ")") < 0)
				goto done;
		}
		rc = 0;
		goto done;
	}

	/*
	 * FORCE: the work tree is empty, so this only writes. Submodules stay
	 * uninitialised (libgit2's checkout never recurses into them): the
	 * grader fetches from exactly one place. Symlinks are written as
	 * symlinks; libgit2 refuses paths through .git and through symlinks.
	 */
	chk.checkout_strategy = GIT_CHECKOUT_FORCE;
	if (git_checkout_tree(repo, target, &chk) < 0 ||
	    git_repository_set_head_detached(repo, git_object_id(target)) < 0) {
		if (gbuf_adds(diagnosis, "could not check out ") < 0 ||
		    fetch_add_source(diagnosis, source) < 0 || gbuf_adds(diagnosis, ": ") < 0 ||
		    fetch_add_git_error(diagnosis) < 0)
			goto done;
		rc = 0;
		goto done;
	}
	git_oid_tostr(commit, 41, git_object_id(target));
	*ok = true;
	rc = 0;
done:
	git_object_free(target);
	git_repository_free(repo);
	git_repository_free(probe);
	free(url);
	return rc;
}

/*
 * The child reports on a pipe: one byte of outcome ('1' fetched, '0' not,
 * 'E' the grader broke), 40 hex digits of commit, then the diagnosis or the
 * error text. The parent reads it within the deadline or kills the child.
 */
int fetch_clone_timed(const char *source, const char *ref, const char *dest, long timeout_ms,
		      char commit[41], bool *ok, bool *timed_out, struct gbuf *diagnosis)
{
	struct gbuf msg = GBUF_INIT(64 << 10);
	int pfd[2] = { -1, -1 };
	pid_t pid = -1;
	long long deadline;
	struct timespec ts;
	int rc = -1, status;

	*ok = false;
	*timed_out = false;
	commit[0] = '\0';
	if (timeout_ms <= 0)
		timeout_ms = 120000;
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		err_set_errno("cannot create a pipe for the fetch");
		goto done;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err_set_errno("cannot fork for the fetch");
		goto done;
	}
	if (pid == 0) {
		struct gbuf d = GBUF_INIT(32 << 10);
		char c[41] = "";
		bool fetched = false;
		char head;
		ssize_t w;

		close(pfd[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fetch_global_init() < 0 || fetch_clone(source, ref, dest, c, &fetched, &d) < 0) {
			head = 'E';
			gbuf_reset(&d);
			gbuf_adds(&d, err_last());
		} else {
			head = fetched ? '1' : '0';
		}
		if (strlen(c) != 40)
			memset(c, '0', 40);
		w = write(pfd[1], &head, 1);
		w = w == 1 ? write(pfd[1], c, 40) : -1;
		if (w == 40 && d.len)
			w = write(pfd[1], d.data, d.len);
		_exit(w < 0 ? 1 : 0);
	}
	close(pfd[1]);
	pfd[1] = -1;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + timeout_ms;
	for (;;) {
		struct pollfd pf = { pfd[0], POLLIN, 0 };
		char chunk[4096];
		long long now;
		ssize_t n;
		int left;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
		left = now >= deadline ? 0 : (int)(deadline - now);
		if (left == 0) {
			*timed_out = true;
			break;
		}
		if (poll(&pf, 1, left) < 0) {
			if (errno == EINTR)
				continue;
			err_set_errno("poll");
			goto done;
		}
		if (!pf.revents)
			continue;
		n = read(pfd[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (gbuf_add(&msg, chunk, (size_t)n) < 0)
			goto done;
	}
	if (*timed_out) {
		kill(pid, SIGKILL);
		gbuf_addf(diagnosis, "fetching %s did not finish within %ld s", source, timeout_ms / 1000);
		rc = 0;
		goto done;
	}
	if (msg.len < 41) {
		err_set("the fetch process ended without a result");
		goto done;
	}
	if (msg.data[0] == 'E') {
		err_set("%s", msg.data + 41);
		goto done;
	}
	*ok = msg.data[0] == '1';
	if (*ok) {
		memcpy(commit, msg.data + 1, 40);
		commit[40] = '\0';
	}
	if (msg.len > 41)
		gbuf_add(diagnosis, msg.data + 41, msg.len - 41);
	rc = 0;
done:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	gbuf_release(&msg);
	return rc;
}
