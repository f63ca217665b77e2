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
 * What counts as a *submission* failure (FETCH_FAILED, words for the student):
 * anything about the source - refused scheme, missing repository, network or
 * protocol errors, unknown ref, empty repository, oversized repository.
 * What counts as a *grader* failure (-1): libgit2 initialisation, the
 * destination already existing, out of memory.
 */
#include "fetch.h"
#include "timeouts.h"
#include "err.h"
#include "source.h"
#include "intr.h"
#include "monotime.h"
#include "sandbox.h"

#include <ctype.h>
#include <grp.h>
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
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

/* How many branch and tag names a "ref not found" diagnosis lists. */
#define FETCH_LIST_MAX 20
/* How many submodule paths a note names. */
#define FETCH_SUBS_MAX 5
/* The clone child's address space (not under ASan, which reserves
 * terabytes of shadow memory) and libgit2's pack window budget within it. */
#define FETCH_AS_LIMIT ((rlim_t)3 << 30)
#define FETCH_MWINDOW_LIMIT ((size_t)512 << 20)

/*
 * What one clone needs besides its source: the caps, the credential (for
 * one host only) and what the callbacks found. A clone from a hostile
 * server must not be able to make libgit2 offer our credential to another
 * host (a redirect): the callback checks the host of every request.
 */
struct fetch_ctx {
	struct fetch_limits lim;
	const char *host;           /* the source's host[:port], lower case; NULL: not https */
	const char *user, *pass;    /* the credential for `host`, or NULL */
	int cred_tries;
	bool too_big;
	bool dest_made;             /* the clone child made `dest` (empty) before dropping root */
	const char *gitdir;         /* the git directory, NULL: dest/.git (fetch_opts.gitdir) */
	uid_t drop_uid;             /* a root grader's https clone: the uid it becomes */
	bool tls_fresh;             /* an https clone child: SSL_CERT_FILE given (fetch_tls_fresh) */
	struct gbuf *notes;         /* may be NULL */
};

enum fetch_kind {
	FETCH_REFUSED = 0,
	FETCH_LOCAL,
	FETCH_FILE_URL,
	FETCH_HTTPS,
};

static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static int fetch_init_rc = -1;
static char fetch_init_msg[256];
/* SSL_CERT_FILE given to this process's own libgit2 state (an in-process
 * https clone, fetch_clone; tests use it). */
static pthread_mutex_t fetch_tls_lock = PTHREAD_MUTEX_INITIALIZER;
static bool fetch_tls_done;

/*
 * Debian's libgit2 verifies with mbedTLS and a fixed CA bundle, which
 * ignores SSL_CERT_FILE: honour it as OpenSSL-based tools do (a
 * TLS-inspecting proxy's CA, a test server's own certificate). Only where
 * TLS is spoken: the bundle it names is parsed again (4-8 ms), and the
 * grader's own libgit2 state never speaks TLS (an https clone runs in a
 * child that starts its own, fetch_tls_fresh), so the once-per-process
 * set-up leaves it out. No lock (a clone child of a threaded grader must
 * not take one). 0, or -1 with fetch_init_msg set.
 */
static int fetch_tls_locations(void)
{
	const char *ca = getenv("SSL_CERT_FILE");
	const git_error *e;
	int rc = 0;

	if (ca && *ca && git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, ca, NULL) < 0) {
		e = git_error_last();
		snprintf(fetch_init_msg, sizeof(fetch_init_msg), "libgit2: cannot use SSL_CERT_FILE %s: %s", ca,
			 e && e->message ? e->message : "unknown error");
		rc = -1;
	}
	return rc;
}

/* The same, once, for an https clone in the calling process itself. */
static int fetch_tls_locations_once(void)
{
	int rc = 0;

	pthread_mutex_lock(&fetch_tls_lock);
	if (!fetch_tls_done) {
		rc = fetch_tls_locations();
		fetch_tls_done = rc == 0;
	}
	pthread_mutex_unlock(&fetch_tls_lock);
	return rc < 0 ? err_set("%s", fetch_init_msg) : 0;
}

/*
 * libgit2's global state, set up once per grader process: git_libgit2_init()
 * parses the system's CA bundle with mbedTLS (~140 certificates, 4-12 ms of
 * CPU on the benchmark machine), so it is done once, in the grader, and a
 * clone child of a local source inherits it instead of parsing it again.
 * An https clone child makes its own (fetch_tls_fresh).
 */
static void fetch_init_do(void)
{
	const git_error *e;

	fetch_init_rc = -1;
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

static void fetch_init_once(void)
{
	fetch_init_do();
}

/*
 * An https clone child: libgit2's TLS state afresh. mbedTLS's random
 * generator is seeded once, at git_libgit2_init(): a child that inherited
 * the grader's would draw the same TLS randoms and ephemeral keys as every
 * other clone child forked from the same grader (a batch). So the child
 * ends every inherited initialisation and starts its own, seeded from its
 * own entropy (and parses the CA bundle, which it needs anyway).
 * 0, or -1 + err.
 */
static int fetch_tls_fresh(void)
{
	/* Only what was set up (fetch_init_rc 0: the grader's one
	 * initialisation, and worktree.c's go through it too): a shutdown of
	 * an uninitialised libgit2 drives its count below zero, and the init
	 * that follows would then do nothing. */
	if (fetch_init_rc == 0)
		while (git_libgit2_shutdown() > 0)
			;
	fetch_init_do();
	if (fetch_init_rc < 0 || fetch_tls_locations() < 0)
		return err_set("%s", fetch_init_msg);
	return 0;
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

/* The source as diagnoses show it: without a URL's credentials. */
static int fetch_add_source(struct gbuf *diag, const char *source)
{
	char *shown = source_redact(source);
	int rc;

	if (!shown)
		return err_set("out of memory");
	rc = gbuf_add_excerpt(diag, shown, strlen(shown), 300);
	free(shown);
	return rc;
}

/* Transfer progress: abandon oversized downloads (twice the checkout cap:
 * the history counts too). */
static int fetch_on_progress(const git_indexer_progress *st, void *payload)
{
	struct fetch_ctx *c = payload;

	if (st->received_bytes > 2 * c->lim.max_bytes) {
		c->too_big = true;
		return -1;
	}
	return 0;
}

/* "host[:port]" of a URL, lower case, without user-info; malloc'd or NULL. */
static char *fetch_url_host(const char *url)
{
	const char *sep = strstr(url, "://"), *a, *end, *at = NULL, *q;
	char *h;
	size_t i;

	if (!sep)
		return NULL;
	a = sep + 3;
	end = a + strcspn(a, "/?#");
	for (q = a; q < end; q++)
		if (*q == '@')
			at = q;
	if (at)
		a = at + 1;
	h = strndup(a, (size_t)(end - a));
	for (i = 0; h && h[i]; i++)
		h[i] = (char)tolower((unsigned char)h[i]);
	return h;
}

/* Does credential host `want` name `host` (which may carry a port)? */
static bool fetch_host_matches(const char *want, const char *host)
{
	size_t n = strcspn(host, ":");

	return !strcasecmp(want, host) || (strlen(want) == n && !strncasecmp(want, host, n));
}

/*
 * libgit2 asks for a credential (the server answered 401). Offered once,
 * as user/password over https, and only to the host it belongs to.
 */
static int fetch_on_credentials(git_credential **out, const char *url, const char *user_from_url,
				unsigned int allowed, void *payload)
{
	struct fetch_ctx *c = payload;
	char *host = url ? fetch_url_host(url) : NULL;
	int rc = GIT_PASSTHROUGH;

	(void)user_from_url;
	if (!c->user || !c->host || !host || strncasecmp(url, "https://", 8) ||
	    strcmp(host, c->host) || !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) || c->cred_tries++)
		goto done;
	rc = git_credential_userpass_plaintext_new(out, c->user, c->pass ? c->pass : "");
done:
	free(host);
	return rc;
}

/* %XX escapes of a URL's user-info, decoded; malloc'd. */
static char *fetch_unescape(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n + 1 && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };

			*o++ = (char)strtol(hex, NULL, 16);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/*
 * The credential of a URL's user-info: "user:password@" or "token@" (a
 * token alone is a user name with an empty password, which the forges
 * accept). *user and *pass malloc'd, or NULL when there is none.
 */
static int fetch_url_credentials(const char *url, char **user, char **pass)
{
	const char *sep = strstr(url, "://"), *a, *end, *at = NULL, *colon, *q;

	*user = *pass = NULL;
	if (!sep)
		return 0;
	a = sep + 3;
	end = a + strcspn(a, "/?#");
	for (q = a; q < end; q++)
		if (*q == '@')
			at = q;
	if (!at)
		return 0;
	colon = memchr(a, ':', (size_t)(at - a));
	*user = fetch_unescape(a, (size_t)((colon ? colon : at) - a));
	*pass = colon ? fetch_unescape(colon + 1, (size_t)(at - colon - 1)) : strdup("");
	if (!*user || !*pass) {
		free(*user);
		free(*pass);
		*user = *pass = NULL;
		return err_set("out of memory");
	}
	return 0;
}

/*
 * The credential for `host` from a credentials file: lines "HOST TOKEN" or
 * "HOST USERNAME TOKEN", blank lines and # comments ignored, the first
 * matching host wins. The file must be a regular file readable by its
 * owner only: a token file others can read is refused (-1), not used.
 */
static int fetch_file_credentials(const char *file, const char *host, char **user, char **pass)
{
	struct gbuf text = GBUF_INIT(64 << 10);
	struct stat st;
	char what[PATH_MAX + 32];
	char *line, *save = NULL;
	int fd = -1;
	int rc = -1;

	*user = *pass = NULL;
	fd = open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		err_set_errno("cannot open the credentials file %s", file);
		goto done;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err_set("the credentials file %s is not a regular file", file);
		goto done;
	}
	if (st.st_mode & 077) {
		err_set("the credentials file %s can be read by others (mode %03o); chmod 600 it",
			file, (unsigned)(st.st_mode & 0777));
		goto done;
	}
	snprintf(what, sizeof(what), "the credentials file %s", file);
	if (gbuf_read_fd(&text, fd, what) < 0)
		goto done;
	if (text.truncated) {
		err_set("the credentials file %s is larger than 64 KiB", file);
		goto done;
	}
	for (line = strtok_r(text.data ? text.data : (char[]){ 0 }, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[4] = { NULL }, *tok, *s2 = NULL;
		int nf = 0;

		for (tok = strtok_r(line, " \t\r", &s2); tok && nf < 4; tok = strtok_r(NULL, " \t\r", &s2))
			f[nf++] = tok;
		if (!nf || f[0][0] == '#' || nf < 2 || nf > 3 || !host || !fetch_host_matches(f[0], host))
			continue;
		*user = strdup(nf == 3 ? f[1] : "x-access-token");
		*pass = strdup(f[nf - 1]);
		if (!*user || !*pass) {
			err_set("out of memory");
			goto done;
		}
		break;
	}
	rc = 0;
done:
	if (rc < 0) {
		free(*user);
		free(*pass);
		*user = *pass = NULL;
	}
	if (text.data)
		explicit_bzero(text.data, text.len);
	gbuf_release(&text);
	if (fd >= 0)
		close(fd);
	return rc;
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
static int fetch_download(git_repository *repo, const char *url, struct fetch_ctx *ctx)
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
	 * CAs. The credentials callback offers the run's credential, once,
	 * to its own host only (fetch_on_credentials); without one, private
	 * repositories fail cleanly. Redirects only on the first request
	 * (libgit2 refuses https->http).
	 */
	fo.callbacks.transfer_progress = fetch_on_progress;
	fo.callbacks.credentials = fetch_on_credentials;
	fo.callbacks.payload = ctx;
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

/*
 * A local source without the git protocol (h378: a repository of 23
 * branches and a committed virtualenv took 30-90 s to "download", libgit2
 * building a delta-compressed pack of every object only to index it
 * again): the source's object database becomes a read-only alternate of
 * the new repository, which gets the refs the protocol's refspecs would
 * have made (heads as refs/remotes/origin/NAME, tags, the source's HEAD as
 * refs/remotes/origin/HEAD). Then only the commit's tree is read, by the
 * same checkout as after a download, and nothing is written to the
 * source. Objects are read through libgit2's hash check as before; the
 * git directory holding the alternate is the scratch one, removed after
 * the fetch (fetch_opts.gitdir). 0, or -1 (libgit2's message says why).
 */
static int fetch_local_refs(git_repository *repo, git_repository *src)
{
	git_reference_iterator *it = NULL;
	git_reference *r = NULL, *made = NULL, *head = NULL;
	git_odb *odb = NULL;
	git_object *peeled = NULL;
	char *objects = NULL, *alt = NULL, *name = NULL;
	const char *full;
	FILE *f = NULL;
	bool bad;
	int next, rc = -1;

	if (asprintf(&objects, "%sobjects", git_repository_commondir(src)) < 0) {
		objects = NULL;
		goto done;
	}
	if (asprintf(&alt, "%sobjects/info/alternates", git_repository_path(repo)) < 0) {
		alt = NULL;
		goto done;
	}
	/* Written down too: batch reads the commit's history from the git
	 * directory again (batch_pick_commit). */
	f = fopen(alt, "we");
	bad = !f || fprintf(f, "%s\n", objects) < 0;
	if (f && fclose(f) != 0)
		bad = true;
	f = NULL;
	if (bad) {
		git_error_set_str(GIT_ERROR_OS, "cannot write the clone's alternates file");
		goto done;
	}
	if (git_repository_odb(&odb, repo) < 0 || git_odb_add_disk_alternate(odb, objects) < 0 ||
	    git_reference_iterator_new(&it, src) < 0)
		goto done;
	while ((next = git_reference_next(&r, it)) == 0) {
		const git_oid *id;

		full = git_reference_name(r);
		free(name);
		name = NULL;
		if (!strncmp(full, "refs/heads/", 11)) {
			if (asprintf(&name, "refs/remotes/origin/%s", full + 11) < 0)
				name = NULL;
		} else if (!strncmp(full, "refs/tags/", 10)) {
			name = strdup(full);
		} else {
			git_reference_free(r);
			r = NULL;
			continue;
		}
		id = git_reference_type(r) == GIT_REFERENCE_DIRECT ? git_reference_target(r) : NULL;
		if (!name || (id && git_reference_create(&made, repo, name, id, 1, NULL) < 0))
			goto done;
		git_reference_free(made);
		made = NULL;
		git_reference_free(r);
		r = NULL;
	}
	if (next != GIT_ITEROVER)
		goto done;
	/* HEAD, as the protocol's +HEAD refspec: a direct ref to its commit;
	 * an unborn HEAD gives none. */
	if (git_repository_head(&head, src) == 0 && git_reference_peel(&peeled, head, GIT_OBJECT_COMMIT) == 0 &&
	    git_reference_create(&made, repo, "refs/remotes/origin/HEAD", git_object_id(peeled), 1, NULL) < 0)
		goto done;
	rc = 0;
done:
	git_object_free(peeled);
	git_reference_free(head);
	git_reference_free(made);
	git_reference_free(r);
	git_reference_iterator_free(it);
	git_odb_free(odb);
	free(objects);
	free(alt);
	free(name);
	return rc;
}

/* What the commit's tree would put on disk, measured before checkout. */
struct fetch_measure {
	git_odb *odb;
	const struct fetch_limits *lim;
	unsigned long long bytes;
	long files;
	int deepest;
	const char *cap;            /* which cap was exceeded, NULL: none */
	char where[160];            /* the path that exceeded it */
	struct gbuf subs;           /* submodule paths (gitlinks) */
	size_t nsubs;
};

static int fetch_measure_entry(const char *root, const git_tree_entry *e, void *payload)
{
	struct fetch_measure *m = payload;
	const char *name = git_tree_entry_name(e);
	git_object_t type = git_tree_entry_type(e);
	int depth = 1;
	const char *q;

	for (q = root; *q; q++)
		depth += *q == '/';
	if (type == GIT_OBJECT_TREE) {
		if (depth > m->deepest)
			m->deepest = depth;
		if (depth > m->lim->max_depth) {
			m->cap = "depth";
			snprintf(m->where, sizeof(m->where), "%.100s%.50s", root, name);
			return -1;
		}
		return 0;
	}
	m->files++;
	if (m->files > m->lim->max_files) {
		m->cap = "files";
		return -1;
	}
	if (type == GIT_OBJECT_COMMIT) {
		/* A gitlink: a submodule, which is not fetched. */
		if (m->nsubs < FETCH_SUBS_MAX &&
		    ((m->nsubs && gbuf_adds(&m->subs, ", ") < 0) || gbuf_add_excerpt(&m->subs, root, strlen(root), 80) < 0 ||
		     gbuf_add_excerpt(&m->subs, name, strlen(name), 80) < 0))
			return -1;
		m->nsubs++;
		return 0;
	}
	if (type == GIT_OBJECT_BLOB) {
		size_t len = 0;
		git_object_t t;

		if (git_odb_read_header(&len, &t, m->odb, git_tree_entry_id(e)) < 0)
			return -1;
		m->bytes += len;
		if (m->bytes > m->lim->max_bytes) {
			m->cap = "bytes";
			return -1;
		}
	}
	return 0;
}

/*
 * Measure `tree` against the caps and note submodules and LFS. 0 within
 * the caps, 1 over one (diagnosis names it), -1 the grader broke.
 */
static int fetch_check_tree(git_repository *repo, git_tree *tree, const struct fetch_ctx *ctx,
			    struct gbuf *diagnosis)
{
	struct fetch_measure m;
	git_tree_entry *attr = NULL;
	git_blob *blob = NULL;
	int r, rc = -1;

	memset(&m, 0, sizeof(m));
	m.lim = &ctx->lim;
	m.subs = (struct gbuf)GBUF_INIT(1024);
	if (git_repository_odb(&m.odb, repo) < 0) {
		err_set("libgit2: cannot open the object database");
		goto done;
	}
	r = git_tree_walk(tree, GIT_TREEWALK_PRE, fetch_measure_entry, &m);
	if (r < 0 && !m.cap) {
		/* A missing object in a fetched pack is the repository's fault. */
		if (gbuf_adds(diagnosis, "the repository is damaged: ") < 0 || fetch_add_git_error(diagnosis) < 0)
			goto done;
		rc = 1;
		goto done;
	}
	if (m.cap) {
		int w;

		if (!strcmp(m.cap, "files"))
			w = gbuf_addf(diagnosis, "the checkout would hold more than %ld files, the limit "
				      "(--max-checkout-files)", ctx->lim.max_files);
		else if (!strcmp(m.cap, "bytes"))
			w = gbuf_addf(diagnosis, "the checkout would hold more than %llu MiB (%llu bytes), "
				      "the limit (--max-checkout-bytes)", ctx->lim.max_bytes >> 20,
				      ctx->lim.max_bytes);
		else
			w = gbuf_addf(diagnosis, "the checkout has folders more than %d deep (%s...), the limit "
				      "(--max-checkout-depth)", ctx->lim.max_depth, m.where);
		if (w < 0)
			goto done;
		rc = 1;
		goto done;
	}
	if (ctx->notes && m.nsubs &&
	    gbuf_addf(ctx->notes, "Submodules are not fetched: %s%s stay%s empty. ", gbuf_str(&m.subs),
		      m.nsubs > FETCH_SUBS_MAX ? ", ..." : "", m.nsubs == 1 ? "s" : "") < 0)
		goto done;
	/* Git LFS: no filter is registered, so files stay pointer files. */
	if (ctx->notes && git_tree_entry_bypath(&attr, tree, ".gitattributes") == 0 &&
	    git_tree_entry_type(attr) == GIT_OBJECT_BLOB &&
	    git_blob_lookup(&blob, repo, git_tree_entry_id(attr)) == 0 &&
	    memmem(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), "filter=lfs", 10) &&
	    gbuf_adds(ctx->notes, "Git LFS files are not downloaded: they stay pointer files. ") < 0)
		goto done;
	rc = 0;
done:
	git_blob_free(blob);
	git_tree_entry_free(attr);
	git_odb_free(m.odb);
	gbuf_release(&m.subs);
	return rc;
}

static void fetch_limits_fill(struct fetch_limits *l)
{
	if (!l->max_bytes)
		l->max_bytes = FETCH_DEFAULT_MAX_BYTES;
	if (l->max_files <= 0)
		l->max_files = FETCH_DEFAULT_MAX_FILES;
	if (l->max_depth <= 0)
		l->max_depth = FETCH_DEFAULT_MAX_DEPTH;
}

/*
 * What libgit2 is pointed at for `source`: for a local path, its real path,
 * once it is known to be a folder holding a repository of its own (*probe
 * keeps it open); for a URL, the URL without user-info. *url malloc'd.
 * -1, 0, or FETCH_FAILED (diagnosis says why).
 */
static int fetch_locate(const char *source, char **url, git_repository **probe, struct gbuf *diagnosis)
{
	const char *why = NULL;
	enum fetch_kind kind = fetch_classify(source, &why);
	struct stat st;

	if (kind == FETCH_REFUSED)
		return gbuf_adds(diagnosis, "cannot fetch ") < 0 || fetch_add_source(diagnosis, source) < 0 ||
		       gbuf_addf(diagnosis, ": %s", why) < 0 ? -1 : FETCH_FAILED;
	if (kind != FETCH_LOCAL) {
		/* Never a credential in what libgit2 sees (its messages
		 * quote the URL): the callback supplies it. */
		*url = source_redact(source);
		return *url ? 0 : err_set("out of memory");
	}
	/*
	 * Only the folder itself: NO_SEARCH stops libgit2 from walking up to
	 * an enclosing repository, which would grade something the student
	 * did not point at. Its objects are then read in place, never written
	 * (fetch_local_refs), when the clone's git directory is a scratch
	 * one; otherwise, and for a file:// URL, through the git protocol.
	 */
	*url = realpath(source, NULL);
	/* Say what is wrong with the path itself before blaming git. */
	if (!*url || stat(*url, &st) < 0 || !S_ISDIR(st.st_mode))
		return gbuf_adds(diagnosis, *url ? "not a folder: " : "no such folder: ") < 0 ||
		       fetch_add_source(diagnosis, source) < 0 ? -1 : FETCH_FAILED;
	if (git_repository_open_ext(probe, *url, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return gbuf_adds(diagnosis, "no git repository at ") < 0 ||
		       fetch_add_source(diagnosis, source) < 0 ||
		       gbuf_adds(diagnosis, " (the folder has no .git: run git init, then commit your work)") < 0
		       ? -1 : FETCH_FAILED;
	return 0;
}

/* libgit2's last message, or "". */
static const char *fetch_git_message(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "";
}

/* Why the download failed, in words for the student. -1 or FETCH_FAILED. */
static int fetch_say_download_failed(const char *source, const struct fetch_ctx *ctx, struct gbuf *diagnosis)
{
	int w;

	if (gbuf_adds(diagnosis, "could not clone ") < 0 || fetch_add_source(diagnosis, source) < 0 ||
	    gbuf_adds(diagnosis, ": ") < 0)
		return -1;
	if (ctx->too_big)
		w = gbuf_addf(diagnosis, "the download is larger than %llu MiB (twice --max-checkout-bytes)",
			      (2 * ctx->lim.max_bytes) >> 20);
	else if (ctx->cred_tries && strstr(fetch_git_message(), "authentication"))
		w = gbuf_addf(diagnosis, "the server refused the credential given for %s", ctx->host);
	else if (strstr(fetch_git_message(), "authentication required"))
		w = gbuf_adds(diagnosis, "the repository needs a credential: give one with "
			      "--credentials FILE or GRADER_GIT_TOKEN (README, Private repositories)");
	else
		w = fetch_add_git_error(diagnosis);
	return w < 0 ? -1 : FETCH_FAILED;
}

/* `ref` names no commit of the clone: say so, with the refs it has.
 * -1 or FETCH_FAILED. */
static int fetch_say_bad_ref(git_repository *repo, const char *source, const char *ref, struct gbuf *diagnosis)
{
	int w;

	if (!ref || strcmp(ref, "HEAD") == 0)
		w = gbuf_adds(diagnosis, "the repository's HEAD does not name a commit (") < 0 ||
		    fetch_add_ref_lists(repo, diagnosis) < 0 || gbuf_adds(diagnosis, ")") < 0 ? -1 : 0;
	else
		w = gbuf_adds(diagnosis, "ref '") < 0 || gbuf_add_excerpt(diagnosis, ref, strlen(ref), 120) < 0 ||
		    gbuf_adds(diagnosis, "' not found in ") < 0 || fetch_add_source(diagnosis, source) < 0 ||
		    gbuf_adds(diagnosis, " (") < 0 || fetch_add_ref_lists(repo, diagnosis) < 0 ||
		    gbuf_adds(diagnosis, ")") < 0 ? -1 : 0;
	return w < 0 ? -1 : FETCH_FAILED;
}

/*
 * The checkout must be the commit's files as committed, whatever the
 * grading machine's git configuration says: an operator's global
 * core.autocrlf = true turned every file of every checkout into CRLF
 * (libgit2 reads the global and system files like git does), so one
 * commit graded differently from one grader to the next. The new
 * repository's own config, which outranks those files, pins what changes
 * a checkout's bytes; everything else (a proxy in /etc/gitconfig) still
 * applies. The commit's own .gitattributes still apply, as on the
 * student's machine. 0 or -1 + err.
 */
static int fetch_pin_checkout_config(git_repository *repo)
{
	git_config *cfg = NULL, *local = NULL;
	int on = 0, got;
	int rc = -1;

	if (git_repository_config(&cfg, repo) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0 ||
	    git_config_set_string(local, "core.autocrlf", "false") < 0 ||
	    git_config_set_string(local, "core.eol", "lf") < 0)
		goto done;
	/* Symlinks as symlinks, unless the repository's creation found a
	 * folder that cannot hold them and said so in the local file. */
	got = git_config_get_bool(&on, local, "core.symlinks");
	if (got == GIT_ENOTFOUND)
		got = git_config_set_bool(local, "core.symlinks", 1);
	if (got < 0)
		goto done;
	rc = 0;
done:
	if (rc < 0)
		err_set("libgit2: cannot set the clone's checkout options: %s", fetch_git_message());
	git_config_free(local);
	git_config_free(cfg);
	return rc;
}

/*
 * The commit's tree into the (empty) work tree, HEAD detached there; the
 * caps are measured first, before a single file is written. -1, 0 or
 * FETCH_FAILED.
 */
static int fetch_checkout(git_repository *repo, git_object *target, const char *source,
			  const struct fetch_ctx *ctx, struct gbuf *diagnosis)
{
	git_checkout_options chk;
	git_tree *tree = NULL;
	int rc;

	/* The libgit2 INIT macros leave fields implicit (-Wextra objects):
	 * the _init() function fills the same defaults. */
	if (git_checkout_options_init(&chk, GIT_CHECKOUT_OPTIONS_VERSION) < 0)
		return err_set("libgit2: cannot initialise options");
	if (git_commit_tree(&tree, (git_commit *)target) < 0)
		return err_set("libgit2: cannot read the commit's tree");
	rc = fetch_check_tree(repo, tree, ctx, diagnosis);
	git_tree_free(tree);
	if (rc != 0)
		return rc < 0 ? -1 : FETCH_FAILED;
	/*
	 * FORCE: the work tree is empty, so this only writes. Submodules stay
	 * uninitialised (libgit2's checkout never recurses into them): the
	 * grader fetches from exactly one place. Symlinks are written as
	 * symlinks; libgit2 refuses paths through .git and through symlinks.
	 */
	chk.checkout_strategy = GIT_CHECKOUT_FORCE;
	if (git_checkout_tree(repo, target, &chk) < 0 ||
	    git_repository_set_head_detached(repo, git_object_id(target)) < 0)
		return gbuf_adds(diagnosis, "could not check out ") < 0 ||
		       fetch_add_source(diagnosis, source) < 0 || gbuf_adds(diagnosis, ": ") < 0 ||
		       fetch_add_git_error(diagnosis) < 0 ? -1 : FETCH_FAILED;
	return 0;
}

/* dest/.git, the link libgit2 writes to a git directory elsewhere: removed
 * when it is one (a regular file), an error when the commit put something
 * else there. 0, or -1 + err. */
static int fetch_unlink_gitlink(const char *dest)
{
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/.git", dest) >= (int)sizeof(path))
		return err_set("the clone destination's path is too long");
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : err_set_errno("cannot inspect %s", path);
	if (!S_ISREG(st.st_mode) || unlink(path) < 0)
		return err_set("cannot remove the git link %s", path);
	return 0;
}

/*
 * The clone itself (in the calling process), in phases: locate the source,
 * download into a new repository at dest, resolve the ref, check it out.
 * `ctx` has the caps filled and, for https, the host and credential.
 * -1, 0 or FETCH_FAILED.
 */
static int fetch_clone_ctx(const char *source, const char *ref, const char *dest, struct fetch_ctx *ctx,
			   char commit[41], struct gbuf *diagnosis)
{
	git_repository_init_options io;
	git_repository *repo = NULL;
	git_repository *probe = NULL;
	git_object *target = NULL;
	char *url = NULL;
	const char *why = NULL;
	struct stat st;
	int rc = -1;

	commit[0] = '\0';
	if (fetch_global_init() < 0)
		goto done;
	if (git_repository_init_options_init(&io, GIT_REPOSITORY_INIT_OPTIONS_VERSION) < 0) {
		err_set("libgit2: cannot initialise options");
		goto done;
	}
	if (!ctx->dest_made && lstat(dest, &st) == 0) {
		err_set("clone destination %s already exists", dest);
		goto done;
	}
	if (!ctx->dest_made && ctx->gitdir && lstat(ctx->gitdir, &st) == 0) {
		err_set("the clone's git directory %s already exists", ctx->gitdir);
		goto done;
	}
	rc = fetch_locate(source, &url, &probe, diagnosis);
	if (rc != 0)
		goto done;
	rc = -1;
	if (!ctx->tls_fresh && fetch_classify(source, &why) == FETCH_HTTPS && fetch_tls_locations_once() < 0)
		goto done;
	/* Our own folder: failing to create it is the grader's problem. */
	io.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	if (ctx->gitdir) {
		/* The repository at gitdir, its work tree at dest. */
		io.flags |= GIT_REPOSITORY_INIT_NO_DOTGIT_DIR;
		io.workdir_path = dest;
	}
	if (git_repository_init_ext(&repo, ctx->gitdir ? ctx->gitdir : dest, &io) < 0) {
		const char *m = fetch_git_message();

		err_set("cannot create a repository at %s: %s", dest, *m ? m : "unknown libgit2 error");
		goto done;
	}
	if (fetch_pin_checkout_config(repo) < 0)
		goto done;
	/* In place only when the git directory is the scratch one, removed
	 * after the fetch: a kept repository (--keep) stays self-contained. */
	if (probe && ctx->gitdir ? fetch_local_refs(repo, probe) < 0 : fetch_download(repo, url, ctx) < 0)
		rc = fetch_say_download_failed(source, ctx, diagnosis);
	else if (!fetch_repo_has_refs(repo))
		rc = gbuf_adds(diagnosis, "the repository has no commits") < 0 ? -1 : FETCH_FAILED;
	else if (fetch_resolve(repo, ref, &target) < 0)
		rc = fetch_say_bad_ref(repo, source, ref, diagnosis);
	else
		rc = fetch_checkout(repo, target, source, ctx, diagnosis);
	/* The work tree's ".git" file pointing at gitdir goes: the checkout
	 * is the commit's files only, and gitdir is removed after the fetch. */
	if (rc == 0 && ctx->gitdir && fetch_unlink_gitlink(dest) < 0)
		rc = -1;
	if (rc == 0)
		git_oid_tostr(commit, 41, git_object_id(target));
done:
	git_object_free(target);
	git_repository_free(repo);
	git_repository_free(probe);
	free(url);
	return rc;
}

int fetch_clone(const char *source, const char *ref, const char *dest,
		char commit[41], struct gbuf *diagnosis)
{
	struct fetch_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	fetch_limits_fill(&ctx.lim);
	return fetch_clone_ctx(source, ref, dest, &ctx, commit, diagnosis);
}

/*
 * A root grader's clone child of an https source gives up root before it
 * talks to the server: `dest` is made (empty) and handed to the uid the
 * run's sandbox uses (60000 + pid % 4096, as grade.c's slot), then the
 * child becomes that uid (when that uid can reach `dest`). A local source keeps the grader's uid: it must
 * read the student's folder wherever the instructor keeps it (often under
 * a 0700 home), and what it parses there is not a server's reply.
 * 0, or -1 + err (the grader broke).
 */
static int fetch_drop_root(struct fetch_ctx *ctx, const char *dest)
{
	uid_t u = ctx->drop_uid;
	struct stat st;

	if (lstat(dest, &st) == 0 || (ctx->gitdir && lstat(ctx->gitdir, &st) == 0))
		return 0;   /* fetch_clone_ctx says it exists, before any network */
	if (mkdir(dest, 0755) < 0 || chown(dest, u, (gid_t)u) < 0)
		return err_set_errno("cannot prepare the clone destination %s", dest);
	if (ctx->gitdir && (mkdir(ctx->gitdir, 0700) < 0 || chown(ctx->gitdir, u, (gid_t)u) < 0))
		return err_set_errno("cannot prepare the clone's git directory %s", ctx->gitdir);
	ctx->dest_made = true;
	/* Try the uid with root kept as the saved one: where it cannot reach
	 * `dest` (a parent folder it may not traverse: grade's workspace lets
	 * its group in, other callers' folders may not), stay root. Nothing
	 * untrusted has been read yet. */
	if (setgroups(0, NULL) < 0 || setresgid((gid_t)u, (gid_t)u, 0) < 0 || setresuid(u, u, 0) < 0)
		return err_set_errno("the clone process cannot drop to uid %u", (unsigned)u);
	if (faccessat(AT_FDCWD, dest, W_OK | X_OK, AT_EACCESS) < 0 ||
	    (ctx->gitdir && faccessat(AT_FDCWD, ctx->gitdir, W_OK | X_OK, AT_EACCESS) < 0)) {
		if (setresuid(0, 0, 0) < 0 || setresgid(0, 0, 0) < 0)
			return err_set_errno("the clone process cannot return to root");
		return 0;
	}
	if (setresgid((gid_t)u, (gid_t)u, (gid_t)u) < 0 || setresuid(u, u, u) < 0)
		return err_set_errno("the clone process cannot drop to uid %u", (unsigned)u);
	/* Root's global git config (under a home this uid may not enter) is
	 * not read: libgit2 would fail on it. Proxies still come from the
	 * environment (https_proxy). */
	if (git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, "") < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, "") < 0)
		return err_set("libgit2: cannot set the config search path");
	return 0;
}

/*
 * The clone child's confinement (it parses what a hostile server sends):
 * address space and file size limited (a 1 MiB download must not become a
 * 1 GiB file or eat the machine's memory), SIGXFSZ ignored so a refused
 * write is an error libgit2 reports, no new privileges, and for a local
 * source no network at all (a network namespace of its own, where the
 * kernel lets us make one): best effort, where a step is refused the clone
 * still has the wall clock and the caps. Then, not best effort: an https
 * clone of a root grader drops root (fetch_drop_root), and every clone
 * child gets the sandbox's seccomp denylist (no ptrace, bpf, mount,
 * namespaces, keyrings, io_uring; sockets of AF_UNIX/INET/INET6 only).
 * 0, or -1 + err.
 */
static int fetch_confine_child(struct fetch_ctx *ctx, enum fetch_kind kind, const char *dest,
			       const struct sandbox_filter *filter)
{
	bool local = kind == FETCH_LOCAL || kind == FETCH_FILE_URL;
	struct rlimit rl;

	signal(SIGXFSZ, SIG_IGN);
	rl.rlim_cur = rl.rlim_max = (rlim_t)(2 * ctx->lim.max_bytes + (1 << 20));
	(void)setrlimit(RLIMIT_FSIZE, &rl);
#ifndef __SANITIZE_ADDRESS__
	rl.rlim_cur = rl.rlim_max = FETCH_AS_LIMIT;
	(void)setrlimit(RLIMIT_AS, &rl);
#endif
	(void)git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, FETCH_MWINDOW_LIMIT);
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (local) {
		if (geteuid() == 0) {
			(void)unshare(CLONE_NEWNET);
		} else {
			uid_t u = geteuid();
			gid_t g = getegid();
			char line[64];
			int fd;

			/* An identity map: files stay ours, the network goes. */
			if (unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0) {
				fd = open("/proc/self/setgroups", O_WRONLY | O_CLOEXEC);
				if (fd >= 0) {
					(void)!write(fd, "deny", 4);
					close(fd);
				}
				snprintf(line, sizeof(line), "%u %u 1", (unsigned)u, (unsigned)u);
				fd = open("/proc/self/uid_map", O_WRONLY | O_CLOEXEC);
				if (fd >= 0) {
					(void)!write(fd, line, strlen(line));
					close(fd);
				}
				snprintf(line, sizeof(line), "%u %u 1", (unsigned)g, (unsigned)g);
				fd = open("/proc/self/gid_map", O_WRONLY | O_CLOEXEC);
				if (fd >= 0) {
					(void)!write(fd, line, strlen(line));
					close(fd);
				}
			}
		}
	} else if (kind == FETCH_HTTPS && geteuid() == 0 && fetch_drop_root(ctx, dest) < 0) {
		return -1;
	}
	return sandbox_filter_install(filter);
}

int fetch_credentials_check(const char *file)
{
	char *user = NULL, *pass = NULL;
	int rc = fetch_file_credentials(file, NULL, &user, &pass);

	free(user);
	free(pass);
	return rc;
}

/*
 * The run's credential for an https source: its URL's user-info, else the
 * credentials file's entry for its host, else $GRADER_GIT_TOKEN when
 * $GRADER_GIT_HOST (default github.com) is its host. *user and *pass malloc'd
 * or NULL.
 */
static int fetch_pick_credentials(const struct fetch_opts *o, const char *host, char **user, char **pass)
{
	const char *tok = getenv("GRADER_GIT_TOKEN"), *th = getenv("GRADER_GIT_HOST");
	const char *tu = getenv("GRADER_GIT_USERNAME");

	*user = *pass = NULL;
	if (fetch_url_credentials(o->source, user, pass) < 0)
		return -1;
	if (*user)
		return 0;
	if (o->credentials_file && fetch_file_credentials(o->credentials_file, host, user, pass) < 0)
		return -1;
	if (*user || !tok || !*tok || !host || !fetch_host_matches(th && *th ? th : "github.com", host))
		return 0;
	*user = strdup(tu && *tu ? tu : "x-access-token");
	*pass = strdup(tok);
	if (!*user || !*pass) {
		free(*user);
		free(*pass);
		*user = *pass = NULL;
		return err_set("out of memory");
	}
	return 0;
}

/*
 * The child reports on a pipe: one byte of outcome ('1' fetched, '0' not,
 * 'E' the grader broke), 40 hex digits of commit, then the diagnosis or the
 * error text, then a NUL and the notes. The parent reads it within the
 * deadline or kills the child.
 */
int fetch_clone_opts(const struct fetch_opts *o, char commit[41], struct gbuf *diagnosis,
		     struct gbuf *notes)
{
	struct gbuf msg = GBUF_INIT(64 << 10);
	struct fetch_ctx ctx;
	const char *why = NULL;
	enum fetch_kind kind = fetch_classify(o->source, &why);
	char *host = NULL, *user = NULL, *pass = NULL, *shown = NULL;
	const struct sandbox_filter *filter = NULL;
	int pfd[2] = { -1, -1 };
	pid_t pid = -1;
	long long deadline;
	long timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : GRADER_FETCH_TIMEOUT_MS;
	int rc = -1, status = 0, watch = -1;
	bool reaped = false, timed_out = false;

	commit[0] = '\0';
	memset(&ctx, 0, sizeof(ctx));
	ctx.lim = o->limits;
	ctx.gitdir = o->gitdir;
	fetch_limits_fill(&ctx.lim);
	shown = source_redact(o->source);
	if (!shown) {
		err_set("out of memory");
		goto done;
	}
	if (kind == FETCH_HTTPS) {
		host = fetch_url_host(o->source);
		if (fetch_pick_credentials(o, host, &user, &pass) < 0)
			goto done;
		ctx.host = host;
		ctx.user = user;
		ctx.pass = pass;
	}
	/* Compiled here: the child of a threaded grader must not take locks.
	 * The uid is the grader's slot (grade.c: its pid % 4096), not the
	 * child's. */
	if (sandbox_filter_prepare(&filter) < 0)
		goto done;
	/* libgit2 set up here, once per grader, for the child to inherit
	 * (fetch_init_do); an https child starts its own (fetch_tls_fresh). */
	if (kind != FETCH_HTTPS && fetch_global_init() < 0)
		goto done;
	ctx.drop_uid = sandbox_host_uid(SANDBOX_ROOT, (unsigned)getpid() % 4096);
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
		struct gbuf d = GBUF_INIT(32 << 10), n = GBUF_INIT(4096);
		char c[41] = "";
		char head;
		int r;
		ssize_t w;

		intr_child_reset();
		close(pfd[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ctx.notes = &n;
		ctx.tls_fresh = kind == FETCH_HTTPS;
		if ((kind == FETCH_HTTPS ? fetch_tls_fresh() : fetch_global_init()) < 0 ||
		    fetch_confine_child(&ctx, kind, o->dest, filter) < 0) {
			head = 'E';
		} else {
			r = fetch_clone_ctx(o->source, o->ref, o->dest, &ctx, c, &d);
			head = r < 0 ? 'E' : r == 0 ? '1' : '0';
		}
		if (head == 'E') {
			gbuf_reset(&d);
			gbuf_adds(&d, err_last());
		}
		if (strlen(c) != 40)
			memset(c, '0', 40);
		w = write(pfd[1], &head, 1);
		w = w == 1 ? write(pfd[1], c, 40) : -1;
		if (w == 40 && d.len)
			w = write(pfd[1], d.data, d.len);
		if (w >= 0 && n.len)
			w = write(pfd[1], "", 1) == 1 ? write(pfd[1], n.data, n.len) : -1;
		_exit(w < 0 ? 1 : 0);
	}
	watch = intr_watch(pid, SIGKILL, false);
	close(pfd[1]);
	pfd[1] = -1;
	deadline = monotime_deadline(timeout_ms);
	for (;;) {
		struct pollfd pf = { pfd[0], POLLIN, 0 };
		char chunk[4096];
		ssize_t n;
		int left = monotime_left_ms(deadline);

		if (left == 0) {
			timed_out = true;
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
	if (timed_out) {
		kill(pid, SIGKILL);
		gbuf_addf(diagnosis, "fetching %s did not finish within %ld s", shown, timeout_ms / 1000);
		rc = FETCH_TIMED_OUT;
		goto done;
	}
	intr_unwatch(watch);
	watch = -1;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	reaped = true;
	if (msg.len < 41) {
		/* Killed on the way (a limit, or libgit2 crashing on what the
		 * server sent): the submission's source could not be cloned. */
		if (WIFSIGNALED(status)) {
			gbuf_addf(diagnosis, "cloning %s failed: the clone process was killed by signal %d "
				  "(a limit of the fetch, or a malformed repository)", shown, WTERMSIG(status));
			rc = FETCH_FAILED;
			goto done;
		}
		err_set("the fetch process ended without a result");
		goto done;
	}
	if (msg.data[0] == 'E') {
		err_set("%s", msg.data + 41);
		goto done;
	}
	if (msg.data[0] == '1') {
		memcpy(commit, msg.data + 1, 40);
		commit[40] = '\0';
	}
	if (msg.len > 41) {
		size_t dl = strnlen(msg.data + 41, msg.len - 41);

		gbuf_add(diagnosis, msg.data + 41, dl);
		if (notes && 41 + dl + 1 < msg.len)
			gbuf_add(notes, msg.data + 41 + dl + 1, msg.len - 41 - dl - 1);
	}
	rc = msg.data[0] == '1' ? 0 : FETCH_FAILED;
done:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	intr_unwatch(watch);
	if (pid > 0 && !reaped)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	gbuf_release(&msg);
	if (pass)
		explicit_bzero(pass, strlen(pass));
	free(host);
	free(user);
	free(pass);
	free(shown);
	return rc;
}

int fetch_clone_timed(const char *source, const char *ref, const char *dest, long timeout_ms,
		      char commit[41], struct gbuf *diagnosis)
{
	struct fetch_opts o;

	memset(&o, 0, sizeof(o));
	o.source = source;
	o.ref = ref;
	o.dest = dest;
	o.timeout_ms = timeout_ms;
	return fetch_clone_opts(&o, commit, diagnosis, NULL);
}

unsigned long long fetch_gitdir_room(const struct fetch_limits *limits)
{
	struct fetch_limits l = *limits;

	fetch_limits_fill(&l);
	return 4 * 2 * l.max_bytes;
}

int fetch_gitdir_make(const struct fetch_limits *limits, char **scratch, char **gitdir)
{
	/* The clone child of a root grader runs as the run's sandbox uid
	 * (fetch_confine_child): the folder's group lets it in. */
	gid_t g = (gid_t)sandbox_host_uid(SANDBOX_ROOT, (unsigned)getpid() % 4096);
	int rc = -1;

	*scratch = *gitdir = NULL;
	if (sandbox_make_mem_scratch(fetch_gitdir_room(limits), g, scratch) < 0)
		goto done;
	if (*scratch && asprintf(gitdir, "%s/git", *scratch) < 0) {
		*gitdir = NULL;
		err_set("out of memory");
		sandbox_remove_tree(*scratch);
		free(*scratch);
		*scratch = NULL;
		goto done;
	}
	rc = 0;
done:
	return rc;
}
