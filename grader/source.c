/*
 * source.c - canonical names of repositories (see source.h).
 *
 * Lexical work only, except realpath() on local folders that exist: the
 * store must find the same key for `./x` today and `/abs/x` tomorrow, and a
 * symlinked class folder must not split one student's history in two.
 */
#include "source.h"

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Normalise an absolute path in place: no `.`, no `..`, single slashes,
 * no trailing slash (except "/" itself). */
static void path_squash(char *p)
{
	char *out = p, *in = p;

	while (*in) {
		while (*in == '/')
			in++;
		if (!*in)
			break;
		{
			char *end = strchr(in, '/');
			size_t n = end ? (size_t)(end - in) : strlen(in);

			if (n == 1 && in[0] == '.') {
				/* skip */
			} else if (n == 2 && in[0] == '.' && in[1] == '.') {
				while (out > p && *--out != '/')
					;
			} else {
				*out++ = '/';
				memmove(out, in, n);
				out += n;
			}
			in += n;
		}
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

/* `dir/.git` names the repository whose work tree is `dir`. */
static void path_drop_dotgit(char *p)
{
	size_t n = strlen(p);

	if (n > 5 && !strcmp(p + n - 5, "/.git"))
		p[n - 5] = '\0';
}

static int source_local(const char *path, char **out)
{
	char *abs = NULL, *real = NULL, cwd[PATH_MAX];
	int rc = -1;

	if (path[0] == '/') {
		abs = strdup(path);
	} else {
		if (!getcwd(cwd, sizeof(cwd))) {
			err_set_errno("cannot tell the current folder");
			goto done;
		}
		if (asprintf(&abs, "%s/%s", cwd, path) < 0)
			abs = NULL;
	}
	if (!abs) {
		err_set("out of memory");
		goto done;
	}
	path_squash(abs);
	path_drop_dotgit(abs);
	real = realpath(abs, NULL);
	if (real) {
		path_drop_dotgit(real);
		*out = real;
		real = NULL;
	} else {
		*out = abs;
		abs = NULL;
	}
	rc = 0;
done:
	free(abs);
	free(real);
	return rc;
}

/* file://[localhost]/path with %XX decoded. */
static int source_file_url(const char *url, char **out)
{
	const char *p = url + 7; /* after "file://" */
	char *dec = NULL;
	size_t i = 0;
	int rc = -1;

	if (!strncasecmp(p, "localhost/", 10))
		p += 9;
	dec = malloc(strlen(p) + 2);
	if (!dec) {
		err_set("out of memory");
		goto done;
	}
	for (; *p; p++) {
		int h, l;

		if (*p == '%' && (h = hexval(p[1])) >= 0 && (l = hexval(p[2])) >= 0) {
			dec[i++] = (char)(h * 16 + l);
			p += 2;
		} else {
			dec[i++] = *p;
		}
	}
	dec[i] = '\0';
	if (dec[0] != '/' || strlen(dec) != i) {
		/* A host name other than localhost, or a NUL escape: keep it
		 * as a URL, not a path of this machine. */
		*out = strdup(url);
		rc = *out ? 0 : err_set("out of memory");
		goto done;
	}
	rc = source_local(dec, out);
done:
	free(dec);
	return rc;
}

/* scheme://[userinfo@]host[:port]/path -> scheme://host[:port]/path, lower-cased
 * scheme and host, default port and trailing `/` and `.git` removed when
 * `canonical`. */
static int source_url(const char *url, bool canonical, char **out)
{
	struct gbuf b = GBUF_INIT(0);
	const char *sep = strstr(url, "://");
	const char *auth = sep + 3;
	const char *path = auth + strcspn(auth, "/?#");
	const char *at = NULL, *host, *q;
	size_t hostlen;
	int rc = -1;

	for (q = auth; q < path; q++)
		if (*q == '@')
			at = q;
	host = at ? at + 1 : auth;
	hostlen = (size_t)(path - host);
	for (q = url; q < sep; q++)
		if (gbuf_addch(&b, canonical ? (char)tolower((unsigned char)*q) : *q) < 0)
			goto done;
	if (gbuf_adds(&b, "://") < 0)
		goto done;
	if (canonical && hostlen > 4 && !strncasecmp(url, "https", (size_t)(sep - url)) &&
	    sep - url == 5 && !strncmp(host + hostlen - 4, ":443", 4))
		hostlen -= 4;
	for (q = host; q < host + hostlen; q++)
		if (gbuf_addch(&b, canonical ? (char)tolower((unsigned char)*q) : *q) < 0)
			goto done;
	if (gbuf_adds(&b, path) < 0)
		goto done;
	if (canonical) {
		size_t min = (size_t)(sep - url) + 3 + hostlen;

		while (b.len > min && b.data[b.len - 1] == '/')
			b.data[--b.len] = '\0';
		if (b.len > min + 4 && !strcmp(b.data + b.len - 4, ".git"))
			b.data[b.len -= 4] = '\0';
		while (b.len > min && b.data[b.len - 1] == '/')
			b.data[--b.len] = '\0';
	}
	*out = gbuf_detach(&b, NULL);
	rc = *out ? 0 : err_set("out of memory");
done:
	gbuf_release(&b);
	return rc;
}

/* A URL is "scheme://" with the scheme before any slash. */
static bool is_url(const char *s)
{
	const char *sep = strstr(s, "://");
	const char *slash = strchr(s, '/');

	return sep && sep > s && slash && sep < slash;
}

int source_canonical(const char *source, char **out)
{
	*out = NULL;
	if (!source || !*source)
		return err_set("the source is empty");
	if (!strncasecmp(source, "file://", 7))
		return source_file_url(source, out);
	if (is_url(source))
		return source_url(source, true, out);
	return source_local(source, out);
}

char *source_redact(const char *source)
{
	char *out = NULL;

	if (!source)
		return NULL;
	if (is_url(source)) {
		if (source_url(source, false, &out) < 0)
			return NULL;
		return out;
	}
	return strdup(source);
}
