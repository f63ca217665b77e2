/*
 * sandbox.c - the portable half of the sandbox: back-end names, profiles
 * (sandboxes/NAME.yaml), the cached probe, and safe tree removal. The
 * namespaces, mounts, seccomp and PID 1 live in sandbox_linux.c.
 */
#include "sandbox.h"
#include "sandbox_internal.h"
#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <dirent.h>

#include <yaml.h>

#define PROFILE_FILE_LIMIT ((size_t)256 << 10)
#define PROFILE_MAX_LIST 64

const char *sandbox_mode_name(enum sandbox_mode m)
{
	switch (m) {
	case SANDBOX_USERNS: return "userns";
	case SANDBOX_ROOT: return "root";
	case SANDBOX_NONE: break;
	}
	return "none";
}

int sandbox_mode_parse(const char *name, enum sandbox_mode *out)
{
	if (!strcmp(name, "userns"))
		*out = SANDBOX_USERNS;
	else if (!strcmp(name, "root"))
		*out = SANDBOX_ROOT;
	else if (!strcmp(name, "none"))
		*out = SANDBOX_NONE;
	else
		return err_set("unknown sandbox mode '%s'; expected userns, root or none", name);
	return 0;
}

/* ---- profiles ---------------------------------------------------------- */

struct sandbox_profile {
	char *name;
	struct sandbox_limits limits;
	char **mounts;
	size_t nmounts;
	char **deny;
	size_t ndeny;
};

struct pl {                 /* profile loader state */
	const char *file;
	yaml_document_t *doc;
	struct sandbox_profile *p;
};

static int pl_err(const struct pl *l, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "FILE:LINE:COLUMN: message"; libyaml marks are 0-based. */
static int pl_err(const struct pl *l, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!n)
		return err_set("%s: %s", l->file, msg);
	return err_set("%s:%zu:%zu: %s", l->file, n->start_mark.line + 1,
		       n->start_mark.column + 1, msg);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/*
 * A size: a plain integer (bytes) or an integer with a binary suffix
 * K/KiB, M/MiB, G/GiB (1024-based: "512MiB"). Counts take no suffix.
 */
static int pl_size(const struct pl *l, const yaml_node_t *n, bool suffix, uint64_t *out)
{
	const char *s = scalar(n);
	char *end;
	unsigned long long v;
	uint64_t mul = 1;

	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || !*s || *s < '0' || *s > '9')
		return pl_err(l, n, suffix ? "expected a size such as 512MiB or a number of bytes"
					   : "expected a whole number");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return pl_err(l, n, "number out of range");
	if (*end) {
		if (!suffix)
			return pl_err(l, n, "expected a whole number, got '%s'", s);
		if (!strcmp(end, "K") || !strcmp(end, "KiB"))
			mul = 1ULL << 10;
		else if (!strcmp(end, "M") || !strcmp(end, "MiB"))
			mul = 1ULL << 20;
		else if (!strcmp(end, "G") || !strcmp(end, "GiB"))
			mul = 1ULL << 30;
		else
			return pl_err(l, n, "unknown size unit '%s'; expected KiB, MiB or GiB", end);
	}
	if (v > UINT64_MAX / mul)
		return pl_err(l, n, "size out of range");
	*out = v * mul;
	return 0;
}

static int pl_str_list(const struct pl *l, yaml_node_t *n, bool abs_path, char ***out, size_t *nout)
{
	yaml_node_item_t *it;
	size_t count;
	int rc = -1;

	if (n->type != YAML_SEQUENCE_NODE) {
		rc = pl_err(l, n, "expected a list");
		goto done;
	}
	count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (count > PROFILE_MAX_LIST) {
		rc = pl_err(l, n, "too many items (at most %d)", PROFILE_MAX_LIST);
		goto done;
	}
	*out = calloc(count + 1, sizeof(char *));
	if (!*out) {
		rc = err_set("out of memory");
		goto done;
	}
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(l->doc, *it);
		const char *s = scalar(item);

		if (!s || !*s) {
			rc = pl_err(l, item, abs_path ? "expected an absolute path" : "expected a syscall name");
			goto done;
		}
		/* Absolute and without "..": a profile names host paths to expose
		 * read-only, and ".." would make review of that list misleading. */
		if (abs_path && (s[0] != '/' || strstr(s, "/..") || strlen(s) >= PATH_MAX)) {
			rc = pl_err(l, item, "expected an absolute path without '..', got '%s'", s);
			goto done;
		}
		(*out)[*nout] = strdup(s);
		if (!(*out)[*nout]) {
			rc = err_set("out of memory");
			goto done;
		}
		(*nout)++;
	}
	rc = 0;
done:
	return rc;
}

static int pl_limits(struct pl *l, yaml_node_t *map)
{
	static const struct {
		const char *key;
		size_t off;
		bool size;
	} KEYS[] = {
		{"memory", offsetof(struct sandbox_limits, memory), true},
		{"processes", offsetof(struct sandbox_limits, processes), false},
		{"cpu_seconds", offsetof(struct sandbox_limits, cpu_seconds), false},
		{"file_size", offsetof(struct sandbox_limits, file_size), true},
		{"open_files", offsetof(struct sandbox_limits, open_files), false},
		{"tmp_size", offsetof(struct sandbox_limits, tmp_size), true},
		{"state_size", offsetof(struct sandbox_limits, state_size), true},
		{"state_files", offsetof(struct sandbox_limits, state_files), false},
	};
	yaml_node_pair_t *pr;
	size_t i;
	int rc = -1;

	if (map->type != YAML_MAPPING_NODE) {
		rc = pl_err(l, map, "expected a mapping of limits");
		goto done;
	}
	for (pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(l->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(l->doc, pr->value);
		const char *ks = scalar(k);

		for (i = 0; i < sizeof(KEYS) / sizeof(KEYS[0]); i++)
			if (ks && !strcmp(ks, KEYS[i].key))
				break;
		if (i == sizeof(KEYS) / sizeof(KEYS[0])) {
			rc = pl_err(l, k, "unknown limit '%s'; expected memory, processes, cpu_seconds, "
				    "file_size, open_files, tmp_size, state_size or state_files", ks ? ks : "?");
			goto done;
		}
		if (pl_size(l, v, KEYS[i].size, (uint64_t *)((char *)&l->p->limits + KEYS[i].off)) < 0)
			goto done;
	}
	rc = 0;
done:
	return rc;
}

static int pl_root(struct pl *l)
{
	yaml_node_t *root = yaml_document_get_root_node(l->doc);
	yaml_node_pair_t *pr;
	int rc = -1;

	if (!root || root->type != YAML_MAPPING_NODE) {
		rc = pl_err(l, root, "expected a mapping with limits, mounts, seccomp");
		goto done;
	}
	for (pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(l->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(l->doc, pr->value);
		const char *ks = scalar(k);

		if (ks && !strcmp(ks, "description")) {
			if (!scalar(v)) {
				rc = pl_err(l, v, "expected text");
				goto done;
			}
		} else if (ks && !strcmp(ks, "limits")) {
			if (pl_limits(l, v) < 0)
				goto done;
		} else if (ks && !strcmp(ks, "mounts")) {
			if (l->p->mounts) {
				rc = pl_err(l, k, "duplicate key 'mounts'");
				goto done;
			}
			if (pl_str_list(l, v, true, &l->p->mounts, &l->p->nmounts) < 0)
				goto done;
		} else if (ks && !strcmp(ks, "seccomp")) {
			yaml_node_pair_t *q;

			if (v->type != YAML_MAPPING_NODE) {
				rc = pl_err(l, v, "expected a mapping with 'deny'");
				goto done;
			}
			for (q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
				yaml_node_t *k2 = yaml_document_get_node(l->doc, q->key);
				const char *k2s = scalar(k2);

				if (!k2s || strcmp(k2s, "deny") || l->p->deny) {
					rc = pl_err(l, k2, "unknown or repeated key '%s' in seccomp; expected deny",
						    k2s ? k2s : "?");
					goto done;
				}
				if (pl_str_list(l, yaml_document_get_node(l->doc, q->value), false,
						&l->p->deny, &l->p->ndeny) < 0)
					goto done;
			}
		} else {
			rc = pl_err(l, k, "unknown key '%s'; expected description, limits, mounts or seccomp",
				    ks ? ks : "?");
			goto done;
		}
	}
	rc = 0;
done:
	return rc;
}

int sandbox_profile_load(const char *datadir, const char *name, struct sandbox_profile **out)
{
	struct gbuf path = GBUF_INIT(PATH_MAX);
	struct gbuf data = GBUF_INIT(PROFILE_FILE_LIMIT);
	yaml_parser_t parser;
	yaml_document_t doc;
	bool parser_ok = false, doc_ok = false;
	struct pl l = {NULL, NULL, NULL};
	int rc = -1;

	*out = NULL;
	/* A bare name, never a path: profiles are chosen on the command line
	 * and per challenge, and must come from <datadir>/sandboxes only. */
	if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(name)) {
		rc = err_set("bad sandbox profile name '%s'; expected letters, digits, '-' or '_'", name);
		goto done;
	}
	if (gbuf_addf(&path, "%s/sandboxes/%s.yaml", datadir, name) < 0)
		goto done;
	l.file = gbuf_str(&path);
	if (gbuf_read_file(&data, l.file) < 0)
		goto done;
	if (data.truncated) {
		rc = err_set("%s: file too large", l.file);
		goto done;
	}
	l.p = calloc(1, sizeof(*l.p));
	if (!l.p || !(l.p->name = strdup(name))) {
		rc = err_set("out of memory");
		goto done;
	}
	if (!yaml_parser_initialize(&parser)) {
		rc = err_set("out of memory (yaml parser)");
		goto done;
	}
	parser_ok = true;
	yaml_parser_set_input_string(&parser, (const unsigned char *)gbuf_str(&data), data.len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = err_set("%s:%zu:%zu: %s", l.file, parser.problem_mark.line + 1,
			     parser.problem_mark.column + 1, parser.problem ? parser.problem : "bad YAML");
		goto done;
	}
	doc_ok = true;
	l.doc = &doc;
	if (pl_root(&l) < 0)
		goto done;
	*out = l.p;
	l.p = NULL;
	rc = 0;
done:
	if (doc_ok)
		yaml_document_delete(&doc);
	if (parser_ok)
		yaml_parser_delete(&parser);
	sandbox_profile_free(l.p);
	gbuf_release(&data);
	gbuf_release(&path);
	return rc;
}

void sandbox_profile_free(struct sandbox_profile *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nmounts; i++)
		free(p->mounts[i]);
	for (i = 0; i < p->ndeny; i++)
		free(p->deny[i]);
	free(p->mounts);
	free(p->deny);
	free(p->name);
	free(p);
}

const char *sandbox_profile_name(const struct sandbox_profile *p)
{
	return p ? p->name : "builtin";
}

const struct sandbox_limits *sandbox_profile_limits(const struct sandbox_profile *p)
{
	/* Built-in defaults = sandboxes/default.yaml, for callers with no datadir. */
	static const struct sandbox_limits builtin = {
		(uint64_t)1 << 30, 128, 300, (uint64_t)256 << 20, 1024, (uint64_t)128 << 20,
		(uint64_t)256 << 20, 10000,
	};
	return p ? &p->limits : &builtin;
}

size_t sandbox_profile_nmounts(const struct sandbox_profile *p) { return p ? p->nmounts : 0; }
const char *sandbox_profile_mount(const struct sandbox_profile *p, size_t i) { return p->mounts[i]; }
size_t sandbox_profile_ndeny(const struct sandbox_profile *p) { return p ? p->ndeny : 0; }
const char *sandbox_profile_deny(const struct sandbox_profile *p, size_t i) { return p->deny[i]; }

/* ---- probe cache --------------------------------------------------------- */

static pthread_mutex_t probe_lock = PTHREAD_MUTEX_INITIALIZER;
static bool probe_done;
static enum sandbox_mode probe_mode;
static char probe_why[512];

int sandbox_probe(enum sandbox_mode *mode, struct gbuf *why)
{
	struct gbuf w = GBUF_INIT(sizeof(probe_why) - 1);
	int rc = -1;

	pthread_mutex_lock(&probe_lock);
	if (!probe_done) {
		if (sandbox_linux_probe(&probe_mode, &w) < 0)
			goto done;
		snprintf(probe_why, sizeof(probe_why), "%s", gbuf_str(&w));
		probe_done = true;
	}
	*mode = probe_mode;
	if (why && probe_why[0] && gbuf_adds(why, probe_why) < 0)
		goto done;
	rc = 0;
done:
	pthread_mutex_unlock(&probe_lock);
	gbuf_release(&w);
	return rc;
}

/* ---- safe tree removal --------------------------------------------------- */

/* Directories kept open while removing (the deepest ones, plus the top):
 * a tree of any depth is removed with a bounded number of descriptors. */
#define REMOVE_OPEN_DIRS 32

/* Open child directory `name` of dirfd without following any symlink, even
 * one swapped in after we looked (RESOLVE_NO_SYMLINKS covers the last
 * component; RESOLVE_BENEATH forbids ".." and absolute escapes). */
static int open_beneath(int dirfd, const char *name)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
}

/* One directory on the way down: its stream (NULL while closed to save
 * descriptors) and its name in its parent (NULL for the top). */
struct rm_frame {
	DIR *d;
	char *name;
};

/* A stream for the directory open at fd (consumed), made writable first:
 * the submission may have left its directories read-only. */
static DIR *rm_opendir(int fd)
{
	DIR *d;

	(void)fchmod(fd, 0700);
	d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

/* Reopen frames[i] (closed) from its nearest open ancestor, one component
 * at a time (each openat2 beneath the previous), keeping the last
 * REMOVE_OPEN_DIRS of the reopened path open. Frame 0 is always open. */
static int rm_reopen(struct rm_frame *f, size_t i)
{
	size_t j = i, k;

	while (j > 0 && !f[j - 1].d)
		j--;
	if (j == 0)
		return err_set("removing a tree: lost its top folder");
	for (k = j; k <= i; k++) {
		int fd = open_beneath(dirfd(f[k - 1].d), f[k].name);

		if (fd < 0 || !(f[k].d = rm_opendir(fd)))
			return err_set_errno("openat2 %s", f[k].name);
	}
	for (k = j; k + REMOVE_OPEN_DIRS <= i; k++) {
		closedir(f[k].d);
		f[k].d = NULL;
	}
	return 0;
}

/*
 * Empty the directory open at fd (consumed). Iterative, with an explicit
 * stack instead of recursion: no depth limit (a tree 300 or 30,000 folders
 * deep goes too) and at most REMOVE_OPEN_DIRS + 1 descriptors. A frame
 * closed on the way down is reopened on the way up and read again from its
 * start: what was removed is gone, so nothing is visited twice.
 */
static int remove_contents(int fd)
{
	struct rm_frame *f = NULL;
	size_t n = 0, cap = 0, k;
	struct dirent *de;
	int rc = -1;

	cap = 64;
	f = calloc(cap, sizeof(*f));
	if (!f) {
		close(fd);
		rc = err_set("out of memory");
		goto done;
	}
	if (!(f[0].d = rm_opendir(fd))) {
		rc = err_set_errno("fdopendir");
		goto done;
	}
	n = 1;
	while (n > 0) {
		struct rm_frame *top = &f[n - 1];
		struct stat st;
		int cfd;

		if (!top->d && rm_reopen(f, n - 1) < 0)
			goto done;
		errno = 0;
		de = readdir(top->d);
		if (!de) {
			if (errno) {
				rc = err_set_errno("readdir %s", top->name ? top->name : ".");
				goto done;
			}
			/* Empty now: remove it from its parent and go up. */
			closedir(top->d);
			top->d = NULL;
			if (n == 1)
				break;
			if (!f[n - 2].d && rm_reopen(f, n - 2) < 0)
				goto done;
			if (unlinkat(dirfd(f[n - 2].d), top->name, AT_REMOVEDIR) < 0 && errno != ENOENT) {
				rc = err_set_errno("rmdir %s", top->name);
				goto done;
			}
			free(top->name);
			top->name = NULL;
			n--;
			continue;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(top->d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue;
			rc = err_set_errno("stat %s", de->d_name);
			goto done;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (unlinkat(dirfd(top->d), de->d_name, 0) < 0 && errno != ENOENT) {
				rc = err_set_errno("unlink %s", de->d_name);
				goto done;
			}
			continue;
		}
		cfd = open_beneath(dirfd(top->d), de->d_name);
		if (cfd < 0 && (errno == ELOOP || errno == ENOTDIR)) {
			/* Swapped for a symlink or file since the stat: unlink the entry itself. */
			if (unlinkat(dirfd(top->d), de->d_name, 0) < 0 && errno != ENOENT) {
				rc = err_set_errno("unlink %s", de->d_name);
				goto done;
			}
			continue;
		}
		if (cfd < 0) {
			rc = err_set_errno("openat2 %s", de->d_name);
			goto done;
		}
		if (n == cap) {
			struct rm_frame *nf = realloc(f, 2 * cap * sizeof(*f));

			if (!nf) {
				close(cfd);
				rc = err_set("out of memory");
				goto done;
			}
			memset(nf + cap, 0, cap * sizeof(*f));
			f = nf;
			cap *= 2;
		}
		f[n].name = strdup(de->d_name);
		if (!f[n].name) {
			close(cfd);
			rc = err_set("out of memory");
			goto done;
		}
		if (!(f[n].d = rm_opendir(cfd))) {
			rc = err_set_errno("fdopendir %s", f[n].name);
			free(f[n].name);
			f[n].name = NULL;
			goto done;
		}
		n++;
		/* Keep the deepest directories and the top open, close the rest. */
		if (n > REMOVE_OPEN_DIRS + 1 && f[n - 1 - REMOVE_OPEN_DIRS].d) {
			closedir(f[n - 1 - REMOVE_OPEN_DIRS].d);
			f[n - 1 - REMOVE_OPEN_DIRS].d = NULL;
		}
	}
	rc = 0;
done:
	for (k = 0; f && k < n; k++) {
		if (f[k].d)
			closedir(f[k].d);
		free(f[k].name);
	}
	free(f);
	return rc;
}

int sandbox_remove_tree(const char *path)
{
	int fd = -1;
	int rc = -1;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) {
			rc = 0;
			goto done;
		}
		if (errno == ENOTDIR || errno == ELOOP) {
			if (unlink(path) < 0)
				rc = err_set_errno("unlink %s", path);
			else
				rc = 0;
			goto done;
		}
		rc = err_set_errno("open %s", path);
		goto done;
	}
	rc = remove_contents(fd);
	fd = -1;
	if (rc < 0) {
		err_wrap("removing %s", path);
		goto done;
	}
	if (rmdir(path) < 0 && errno != ENOENT) {
		rc = err_set_errno("rmdir %s", path);
		goto done;
	}
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	return rc;
}

/* ---- publishing a tree untrusted code wrote ------------------------------ */

#define SEAL_MAX_DEPTH 256

/*
 * Seal the directory open at fd (consumed): children first, then the
 * directory itself, so that an unprivileged grader can still delete
 * special files before the directory loses its write bit. Runs once every
 * process of the sandbox that wrote the tree is dead (its PID namespace is
 * gone), so nothing swaps an entry between the stat and the change; the
 * openat2 walk still never follows a symlink.
 */
static int seal_contents(int fd, int depth, bool chown_them, uid_t uid, gid_t gid)
{
	DIR *d = NULL;
	struct dirent *de;
	struct stat st;
	int rc = -1;

	if (depth > SEAL_MAX_DEPTH) {
		rc = err_set("directory tree deeper than %d levels", SEAL_MAX_DEPTH);
		goto done;
	}
	if (fstat(fd, &st) < 0) {
		rc = err_set_errno("fstat");
		goto done;
	}
	(void)fchmod(fd, 0700); /* readable and writable for the walk */
	d = fdopendir(fd);
	if (!d) {
		rc = err_set_errno("fdopendir");
		goto done;
	}
	fd = -1;
	while ((errno = 0, de = readdir(d))) {
		struct stat cs;
		int cfd;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &cs, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = err_set_errno("stat %s", de->d_name);
			goto done;
		}
		if (S_ISDIR(cs.st_mode)) {
			cfd = open_beneath(dirfd(d), de->d_name);
			if (cfd < 0) {
				rc = err_set_errno("openat2 %s", de->d_name);
				goto done;
			}
			if (seal_contents(cfd, depth + 1, chown_them, uid, gid) < 0)
				goto done;
		} else if (S_ISREG(cs.st_mode) || S_ISLNK(cs.st_mode)) {
			if (chown_them && fchownat(dirfd(d), de->d_name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) {
				rc = err_set_errno("chown %s", de->d_name);
				goto done;
			}
			/* 0555 keeps read and execute, drops write, setuid,
			 * setgid and sticky (chown cleared set-ids already). */
			if (S_ISREG(cs.st_mode) &&
			    fchmodat(dirfd(d), de->d_name, cs.st_mode & 0555, 0) < 0) {
				rc = err_set_errno("chmod %s", de->d_name);
				goto done;
			}
		} else if (unlinkat(dirfd(d), de->d_name, 0) < 0) {
			/* A FIFO, socket or device node has no business in an
			 * environment, and could block a reader. */
			rc = err_set_errno("unlink %s", de->d_name);
			goto done;
		}
	}
	if (errno) {
		rc = err_set_errno("readdir");
		goto done;
	}
	if (chown_them && fchown(dirfd(d), uid, gid) < 0) {
		rc = err_set_errno("chown");
		goto done;
	}
	if (fchmod(dirfd(d), (st.st_mode & 0555) | 0500) < 0) {
		rc = err_set_errno("chmod");
		goto done;
	}
	rc = 0;
done:
	if (d)
		closedir(d);
	if (fd >= 0)
		close(fd);
	return rc;
}

int sandbox_seal_tree(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc = -1;

	if (fd < 0) {
		rc = err_set_errno("open %s", path);
		goto done;
	}
	rc = seal_contents(fd, 0, geteuid() == 0, geteuid(), getegid());
	fd = -1;
	if (rc < 0)
		err_wrap("sealing %s", path);
done:
	return rc;
}
