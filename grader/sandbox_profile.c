/*
 * sandbox_profile.c - sandbox profiles, <datadir>/sandboxes/NAME.yaml
 * (sandbox.h; docs/sandbox.md describes the keys). Portable: libyaml
 * through yamlx.h, the walking and the "FILE:LINE:COLUMN: message" errors
 * the challenge and routes loaders share. The loader stops at the first
 * error: a profile is the operator's, short, and refused as a whole.
 *
 * Error cases are data: tests/data/profile-errors/NAME.case, read by
 * tests/unit/test_sandbox_profile.c.
 */
#include "sandbox.h"
#include "err.h"
#include "yamlx.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROFILE_FILE_LIMIT ((size_t)256 << 10)
#define PROFILE_MAX_LIST 64

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

/* "FILE:LINE:COLUMN: message" (yamlx.h's position), or "FILE: message"
 * without a node (an empty file). Returns -1. */
static int pl_err(const struct pl *l, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!n)
		return err_set("%s: %s", l->file, msg);
	return err_set("%s:%zu:%zu: %s", l->file, yamlx_line(n), yamlx_column(n), msg);
}

/*
 * A size: a plain integer (bytes) or an integer with a binary suffix
 * K/KiB, M/MiB, G/GiB (1024-based: "512MiB"). Counts take no suffix.
 */
static int pl_size(const struct pl *l, const yaml_node_t *n, bool suffix, uint64_t *out)
{
	const char *s = yamlx_scalar(n);
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

/* A list of strings: absolute paths (mounts) or syscall names (deny).
 * *out gets a NULL-terminated array the profile owns, even on error (what
 * was copied so far; sandbox_profile_free frees it). */
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
		const char *s = yamlx_scalar(item);

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

/* ---- the top-level keys, one function each (PL_KEYS) --------------------- */

static int pl_description(struct pl *l, yaml_node_t *k, yaml_node_t *v)
{
	return yamlx_scalar(v) ? 0 : pl_err(l, v, "expected text");
}

/* The keys of `limits:`, each a field of struct sandbox_limits (sandbox.h);
 * `size`: it takes KiB/MiB/GiB. A new limit is a row here, its field, its
 * default in sandbox_profile_limits() and its enforcement (sandbox_linux.c). */
static const struct {
	const char *key;
	size_t off;
	bool size;
} PL_LIMITS[] = {
	{"memory", offsetof(struct sandbox_limits, memory), true},
	{"processes", offsetof(struct sandbox_limits, processes), false},
	{"cpu_seconds", offsetof(struct sandbox_limits, cpu_seconds), false},
	{"file_size", offsetof(struct sandbox_limits, file_size), true},
	{"open_files", offsetof(struct sandbox_limits, open_files), false},
	{"tmp_size", offsetof(struct sandbox_limits, tmp_size), true},
	{"state_size", offsetof(struct sandbox_limits, state_size), true},
	{"state_files", offsetof(struct sandbox_limits, state_files), false},
};
#define PL_NLIMITS (sizeof(PL_LIMITS) / sizeof(PL_LIMITS[0]))

/* "memory, processes, ... or state_files" into buf (cut short if it must). */
static void pl_limit_names(char *buf, size_t n)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < PL_NLIMITS && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
					i == 0 ? "" : (i + 1 == PL_NLIMITS ? " or " : ", "), PL_LIMITS[i].key);
}

static int pl_limits(struct pl *l, yaml_node_t *key, yaml_node_t *map)
{
	yaml_node_pair_t *pr;
	yaml_node_t *k, *v;
	size_t i;
	int rc = -1;

	if (map->type != YAML_MAPPING_NODE) {
		rc = pl_err(l, map, "expected a mapping of limits");
		goto done;
	}
	YAMLX_FOR_PAIRS(l->doc, map, pr, k, v) {
		const char *ks = yamlx_scalar(k);

		for (i = 0; i < PL_NLIMITS; i++)
			if (ks && !strcmp(ks, PL_LIMITS[i].key))
				break;
		if (i == PL_NLIMITS) {
			char names[512];

			pl_limit_names(names, sizeof(names));
			rc = pl_err(l, k, "unknown limit '%s'; expected %s", ks ? ks : "?", names);
			goto done;
		}
		if (pl_size(l, v, PL_LIMITS[i].size, (uint64_t *)((char *)&l->p->limits + PL_LIMITS[i].off)) < 0)
			goto done;
	}
	rc = 0;
done:
	return rc;
}

static int pl_mounts(struct pl *l, yaml_node_t *k, yaml_node_t *v)
{
	if (l->p->mounts)
		return pl_err(l, k, "duplicate key 'mounts'");
	return pl_str_list(l, v, true, &l->p->mounts, &l->p->nmounts);
}

static int pl_seccomp(struct pl *l, yaml_node_t *key, yaml_node_t *map)
{
	yaml_node_pair_t *q;
	yaml_node_t *k, *v;

	if (map->type != YAML_MAPPING_NODE)
		return pl_err(l, map, "expected a mapping with 'deny'");
	YAMLX_FOR_PAIRS(l->doc, map, q, k, v) {
		const char *ks = yamlx_scalar(k);

		if (!ks || strcmp(ks, "deny") || l->p->deny)
			return pl_err(l, k, "unknown or repeated key '%s' in seccomp; expected deny",
				      ks ? ks : "?");
		if (pl_str_list(l, v, false, &l->p->deny, &l->p->ndeny) < 0)
			return -1;
	}
	return 0;
}

static const struct {
	const char *key;
	int (*load)(struct pl *l, yaml_node_t *k, yaml_node_t *v);
} PL_KEYS[] = {
	{"description", pl_description},
	{"limits", pl_limits},
	{"mounts", pl_mounts},
	{"seccomp", pl_seccomp},
};

static int pl_root(struct pl *l)
{
	yaml_node_t *root = yaml_document_get_root_node(l->doc);
	yaml_node_pair_t *pr;
	yaml_node_t *k, *v;
	size_t i;

	if (!root || root->type != YAML_MAPPING_NODE)
		return pl_err(l, root, "expected a mapping with limits, mounts, seccomp");
	YAMLX_FOR_PAIRS(l->doc, root, pr, k, v) {
		const char *ks = yamlx_scalar(k);

		for (i = 0; i < sizeof(PL_KEYS) / sizeof(PL_KEYS[0]); i++)
			if (ks && !strcmp(ks, PL_KEYS[i].key))
				break;
		if (i == sizeof(PL_KEYS) / sizeof(PL_KEYS[0]))
			return pl_err(l, k, "unknown key '%s'; expected description, limits, mounts or seccomp",
				      ks ? ks : "?");
		if (PL_KEYS[i].load(l, k, v) < 0)
			return -1;
	}
	return 0;
}

int sandbox_profile_load(const char *datadir, const char *name, struct sandbox_profile **out)
{
	struct gbuf path = GBUF_INIT(PATH_MAX);
	struct gbuf data = GBUF_INIT(PROFILE_FILE_LIMIT);
	yaml_document_t doc;
	struct yamlx_problem pb;
	bool doc_ok = false;
	struct pl l = {NULL, NULL, NULL};
	int rc = -1, yrc;

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
	/* 1: not YAML, where libyaml stopped; -1: out of memory (err set). */
	yrc = yamlx_load(gbuf_str(&data), data.len, &doc, &pb);
	if (yrc == 1)
		rc = err_set("%s:%zu:%zu: %s", l.file, pb.line, pb.column, pb.problem);
	if (yrc != 0)
		goto done;
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
