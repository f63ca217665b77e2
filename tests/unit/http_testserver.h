/*
 * http_testserver.h - throwaway loopback HTTP servers for unit tests, with
 * well-behaved and hostile behaviours (huge, endless, trickling, silent,
 * not-HTTP answers).
 *
 * Header-only on purpose: the Makefile links each tests/unit/test_X.c with
 * the grader's objects only, so a test just includes this file. Every
 * function is `static` and marked unused so a test may use any subset.
 *
 *   struct ts_server s;
 *   ts_start(ts_handler_router, NULL, &s);   // 127.0.0.1:s.port, pid s.pid
 *   ...
 *   ts_stop(&s);                              // SIGKILL by pid + waitpid
 *
 * The listening socket is bound (port 0) and listening *before* the fork,
 * so the port is known and connections are queued the moment ts_start()
 * returns: no pipe or readiness race. The server child forks one process
 * per connection, so a silent or endless connection never blocks the next.
 *
 * Cleanup is robust against a crashing test: the server dies with the test
 * process (PR_SET_PDEATHSIG), each connection process dies with the server,
 * and both carry an alarm() as a last resort. Only loopback is ever used.
 *
 * ts_handler_router serves by path (one request per connection, always
 * "Connection: close"):
 *   /echo...               200, body = the raw request bytes (head + body)
 *   /json...               200 application/json, body = the request body
 *   /json-refused          400 application/json {"detail": "product must be a product id."}
 *   /set-cookie?N=V        200 with "Set-Cookie: N=V; Path=/"
 *   /redirect?code=C&to=L  C with "Location: L" (L taken verbatim)
 *   /loop                  302 to /loop, forever
 *   /ping, /pong           302 to each other, forever
 *   /hop/N                 302 to /hop/N+1 (no loop, no end)
 *   /canon/                301 to its canonical address /canon/7-slug/ (200)
 *   /guard/                302 to /guard/login/?next=/guard/ (a sign-in beneath it)
 *   /status?code=C         C with an empty body
 *   /bearer-only           401 unless "Authorization: Bearer ..." came
 *   /peer                  200, body = the client's TCP port (decimal)
 *   /big?n=N               200 with N bytes of 'x' (streamed)
 *   /never                 200, Content-Length 1000000, 7 bytes, then silence
 *   /trickle               200, Content-Length 1000, 1 byte every 300 ms
 *   /slow?ms=N             200 "late" after N ms of silence
 *   /badutf8               200 with invalid UTF-8 and a NUL (TS_BADUTF8)
 *   /huge-headers          200 with ~100 KiB of headers
 *   /silent                reads the request, never answers
 *   /close                 reads the request, closes without answering
 *   anything else          404
 */
#ifndef GRADER_HTTP_TESTSERVER_H
#define GRADER_HTTP_TESTSERVER_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define TS_UNUSED __attribute__((unused))

#define TS_BADUTF8 "\xff\xfe bad \xc3\x28 utf8 \xed\xa0\x80 \x00 end"
#define TS_BADUTF8_LEN (sizeof(TS_BADUTF8) - 1)

struct ts_server {
	int port;
	pid_t pid;
};

/* Called in a connection process with the accepted socket; the process
 * exits when it returns. */
typedef void (*ts_handler)(int fd, void *ctx);

struct ts_req {
	char method[16];
	char path[2048];     /* path + query as sent */
	char *raw;           /* head + body, NUL-terminated; malloc'd */
	size_t raw_len;
	size_t head_len;     /* bytes of raw up to and including CRLFCRLF */
	const char *body;    /* raw + head_len */
	size_t body_len;
};

static TS_UNUSED int ts_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static TS_UNUSED int ts_write_str(int fd, const char *s)
{
	return ts_write_all(fd, s, strlen(s));
}

static TS_UNUSED void ts_req_free(struct ts_req *r)
{
	free(r->raw);
	r->raw = NULL;
}

/* Read one request (head, then a Content-Length body). 0 ok, -1 on EOF or
 * a request this little server does not understand. Caps: 64 KiB of head,
 * 64 MiB of body. */
static TS_UNUSED int ts_read_request(int fd, struct ts_req *r)
{
	size_t cap = 65536, len = 0, clen = 0, want;
	char *buf = malloc(cap + 1), *end = NULL, *cl;
	ssize_t n;

	memset(r, 0, sizeof(*r));
	if (!buf)
		return -1;
	while (!end) {
		if (len == cap)
			goto fail;
		n = recv(fd, buf + len, cap - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		len += (size_t)n;
		buf[len] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	r->head_len = (size_t)(end - buf) + 4;
	for (cl = buf; (cl = strcasestr(cl, "\r\nContent-Length:")) && cl < end; cl += 2) {
		clen = strtoul(cl + 17, NULL, 10);
		break;
	}
	if (clen > ((size_t)64 << 20))
		goto fail;
	want = r->head_len + clen;
	if (want > cap) {
		char *nb = realloc(buf, want + 1);

		if (!nb)
			goto fail;
		buf = nb;
		cap = want;
	}
	while (len < want) {
		n = recv(fd, buf + len, want - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (sscanf(buf, "%15s %2047s", r->method, r->path) != 2)
		goto fail;
	r->raw = buf;
	r->raw_len = len;
	r->body = buf + r->head_len;
	r->body_len = len - r->head_len;
	return 0;
fail:
	free(buf);
	return -1;
}

/* Value of query parameter `name` in `path` (no percent-decoding), copied
 * into out; "" when absent. */
static TS_UNUSED void ts_query_param(const char *path, const char *name, char *out, size_t outsz)
{
	const char *q = strchr(path, '?');
	size_t n = strlen(name);

	out[0] = '\0';
	while (q) {
		q++;
		if (strncmp(q, name, n) == 0 && q[n] == '=') {
			const char *v = q + n + 1;
			size_t l = strcspn(v, "&");

			if (l >= outsz)
				l = outsz - 1;
			memcpy(out, v, l);
			out[l] = '\0';
			return;
		}
		q = strchr(q, '&');
	}
}

static TS_UNUSED void ts_respond(int fd, int code, const char *extra_headers, const void *body, size_t len)
{
	char head[4096];

	snprintf(head, sizeof(head),
		 "HTTP/1.1 %d X\r\nContent-Length: %zu\r\nConnection: close\r\n%s\r\n", code, len,
		 extra_headers ? extra_headers : "");
	if (ts_write_str(fd, head) == 0 && len)
		ts_write_all(fd, body, len);
}

static TS_UNUSED void ts_hang(void)
{
	for (;;)
		pause();
}

static TS_UNUSED int ts_path_is(const char *path, const char *p)
{
	size_t n = strlen(p);

	return strncmp(path, p, n) == 0 && (path[n] == '\0' || path[n] == '?');
}

/* A form with `fields` (the last one followed by its error list on a
 * POST: the form shown again, `error` at that field, as Django's form
 * renders it), answered 200. */
static TS_UNUSED void ts_form_again(int fd, const struct ts_req *r, const char *fields, const char *error)
{
	char page[1024];
	bool post = !strcmp(r->method, "POST");

	snprintf(page, sizeof(page), "<html><body><form method=\"post\"><div>%s%s%s%s</div></form></body></html>",
		 fields, post ? "<ul class=\"errorlist\"><li>" : "", post ? error : "", post ? "</li></ul>" : "");
	ts_respond(fd, 200, "Content-Type: text/html\r\n", page, strlen(page));
}

static TS_UNUSED void ts_handler_router(int fd, void *ctx)
{
	struct ts_req r;
	char a[1024], b[1024], hdr[2300];
	const char *p;

	(void)ctx;
	if (ts_read_request(fd, &r) < 0)
		return;
	p = r.path;
	if (ts_path_is(p, "/echo") || strncmp(p, "/echo/", 6) == 0) {
		ts_respond(fd, 200, "Content-Type: application/octet-stream\r\n", r.raw, r.raw_len);
	} else if (ts_path_is(p, "/needs-auth")) {
		/* 401 to a request without Authorization, else /echo's answer. */
		if (memmem(r.raw, r.head_len, "\r\nAuthorization: ", 17))
			ts_respond(fd, 200, "Content-Type: application/octet-stream\r\n", r.raw, r.raw_len);
		else
			ts_respond(fd, 401, NULL, "", 0);
	} else if (ts_path_is(p, "/needs-basic")) {
		/* 401 asking for Basic unless it came, else /echo's answer. */
		if (memmem(r.raw, r.head_len, "\r\nAuthorization: Basic ", 23))
			ts_respond(fd, 200, "Content-Type: application/octet-stream\r\n", r.raw, r.raw_len);
		else
			ts_respond(fd, 401, "WWW-Authenticate: Basic realm=\"shop\"\r\n", "", 0);
	} else if (ts_path_is(p, "/bearer-only")) {
		/* 401 unless a Bearer Authorization came, else /echo's answer. */
		if (memmem(r.raw, r.head_len, "\r\nAuthorization: Bearer ", 24))
			ts_respond(fd, 200, "Content-Type: application/octet-stream\r\n", r.raw, r.raw_len);
		else
			ts_respond(fd, 401, NULL, "", 0);
	} else if (ts_path_is(p, "/needs-bearer")) {
		ts_respond(fd, 401, "WWW-Authenticate: Bearer realm=\"api\"\r\n", "", 0);
	} else if (ts_path_is(p, "/needs-bearer-or-basic")) {
		/* Two challenges in one header, Basic second (h1126). */
		if (memmem(r.raw, r.head_len, "\r\nAuthorization: Basic ", 23))
			ts_respond(fd, 200, "Content-Type: application/octet-stream\r\n", r.raw, r.raw_len);
		else
			ts_respond(fd, 401, "WWW-Authenticate: Bearer realm=\"api\", error=\"x\", Basic realm=\"api\"\r\n",
				   "", 0);
	} else if (ts_path_is(p, "/needs-bearer-quoted")) {
		/* "Basic" only inside a quoted realm: no challenge of it. */
		ts_respond(fd, 401, "WWW-Authenticate: Bearer realm=\"a, Basic b\", scope=Basic\r\n", "", 0);
	} else if (ts_path_is(p, "/json-refused")) {
		ts_respond(fd, 400, "Content-Type: application/json\r\n", "{\"detail\": \"product must be a product id.\"}",
			   43);
	} else if (ts_path_is(p, "/json")) {
		ts_respond(fd, 200, "Content-Type: application/json\r\n", r.body, r.body_len);
	} else if (ts_path_is(p, "/set-cookie")) {
		const char *q = strchr(p, '?');

		snprintf(hdr, sizeof(hdr), "Set-Cookie: %s; Path=/\r\n", q ? q + 1 : "x=1");
		ts_respond(fd, 200, hdr, "set", 3);
	} else if (ts_path_is(p, "/redirect")) {
		ts_query_param(p, "code", a, sizeof(a));
		ts_query_param(p, "to", b, sizeof(b));
		snprintf(hdr, sizeof(hdr), "Location: %s\r\n", b);
		ts_respond(fd, atoi(a), hdr, "", 0);
	} else if (ts_path_is(p, "/canon/")) {
		ts_respond(fd, 301, "Location: /canon/7-slug/\r\n", "", 0);
	} else if (ts_path_is(p, "/guard/")) {
		ts_respond(fd, 302, "Location: /guard/login/?next=/guard/\r\n", "", 0);
	} else if (ts_path_is(p, "/canon/7-slug/")) {
		ts_respond(fd, 200, "Content-Type: text/plain\r\n", "canonical", 9);
	} else if (ts_path_is(p, "/loop")) {
		ts_respond(fd, 302, "Location: /loop\r\n", "", 0);
	} else if (ts_path_is(p, "/ping")) {
		ts_respond(fd, 302, "Location: /pong\r\n", "", 0);
	} else if (ts_path_is(p, "/pong")) {
		ts_respond(fd, 302, "Location: /ping\r\n", "", 0);
	} else if (!strncmp(p, "/hop/", 5)) {
		snprintf(hdr, sizeof(hdr), "Location: /hop/%d\r\n", atoi(p + 5) + 1);
		ts_respond(fd, 302, hdr, "", 0);
	} else if (ts_path_is(p, "/peer")) {
		struct sockaddr_in pa;
		socklen_t pl = sizeof(pa);
		int n = 0;

		if (getpeername(fd, (struct sockaddr *)&pa, &pl) == 0)
			n = snprintf(a, sizeof(a), "%d", ntohs(pa.sin_port));
		ts_respond(fd, 200, "Content-Type: text/plain\r\n", a, (size_t)n);
	} else if (ts_path_is(p, "/status")) {
		ts_query_param(p, "code", a, sizeof(a));
		ts_respond(fd, atoi(a), NULL, "", 0);
	} else if (ts_path_is(p, "/big")) {
		static char chunk[65536];
		size_t n, left;

		ts_query_param(p, "n", a, sizeof(a));
		n = strtoul(a, NULL, 10);
		memset(chunk, 'x', sizeof(chunk));
		snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", n);
		if (ts_write_str(fd, hdr) == 0) {
			for (left = n; left > 0;) {
				size_t k = left < sizeof(chunk) ? left : sizeof(chunk);

				if (ts_write_all(fd, chunk, k) < 0)
					break; /* the client hung up at its ceiling */
				left -= k;
			}
		}
	} else if (ts_path_is(p, "/never")) {
		ts_write_str(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\npartial");
		ts_hang();
	} else if (ts_path_is(p, "/trickle")) {
		ts_write_str(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
		for (;;) {
			if (ts_write_str(fd, "x") < 0)
				break;
			usleep(300 * 1000);
		}
	} else if (ts_path_is(p, "/slow")) {
		const char *q = strstr(p, "ms=");

		usleep((useconds_t)(q ? atoi(q + 3) : 0) * 1000);
		ts_respond(fd, 200, "", "late", 4);
	} else if (ts_path_is(p, "/badutf8")) {
		ts_respond(fd, 200, "Content-Type: text/html; charset=utf-8\r\n", TS_BADUTF8, TS_BADUTF8_LEN);
	} else if (ts_path_is(p, "/huge-headers")) {
		int i;

		ts_write_str(fd, "HTTP/1.1 200 OK\r\n");
		memset(a, 'h', 1000);
		a[1000] = '\0';
		for (i = 0; i < 100; i++) {
			snprintf(hdr, sizeof(hdr), "X-Pad-%d: %s\r\n", i, a);
			if (ts_write_str(fd, hdr) < 0)
				break;
		}
		ts_write_str(fd, "Content-Length: 0\r\n\r\n");
	} else if (ts_path_is(p, "/silent")) {
		ts_hang();
	} else if (ts_path_is(p, "/gallery/upload")) {
		/* A form with a file field (with ?text, a text field of the
		 * same name: an image kept as text); posted, it comes back with
		 * an error on that field: "required" (a view that never passed
		 * request.FILES), or with ?invalid "not an image". */
		/* With ?flash, Django's messages framework's flash above the
		 * form too (h454: "Please correct the errors below."). */
		static const char form[] =
			"<html><body>%s<form method=\"post\" enctype=\"multipart/form-data\" action=\"\">"
			"<div><input type=\"%s\" name=\"image\">%s</div></form></body></html>";
		static const char flash[] = "<ul class=\"messages\"><li class=\"error\">Please correct the "
					    "errors below.</li></ul>";
		/* With ?quiet, the form again without a word; with ?saved,
		 * the new object's page (a logout form on it) instead of a
		 * redirect; with ?reason, a 400 page of the view's own words under a navbar. */
		static const char saved[] =
			"<html><body><form method=\"post\" action=\"/logout/\"><button>Log out</button></form>"
			"<h1>Saved</h1></body></html>";
		static const char reason[] = "<html><body><nav><a href=\"/\">Help desk</a> <a href=\"/tickets/\">"
					     "Tickets</a> <button>Log out</button></nav>"
					     "<p>Choose a status and give a reason</p></body></html>";
		char page[1024];

		snprintf(page, sizeof(page), form, strstr(p, "flash") && !strcmp(r.method, "POST") ? flash : "",
			 strstr(p, "text") ? "text" : "file",
			 strcmp(r.method, "POST") || strstr(p, "quiet") ? "" :
			 strstr(p, "invalid") ? "<ul class=\"errorlist\"><li>Upload a valid image.</li></ul>" :
			 "<ul class=\"errorlist\"><li>This field is required.</li></ul>");
		if (!strcmp(r.method, "POST") && strstr(p, "saved"))
			ts_respond(fd, 200, "Content-Type: text/html\r\n", saved, strlen(saved));
		else if (!strcmp(r.method, "POST") && strstr(p, "reason"))
			ts_respond(fd, 400, "Content-Type: text/html\r\n", reason, strlen(reason));
		else
			ts_respond(fd, 200, "Content-Type: text/html\r\n", page, strlen(page));
	} else if (ts_path_is(p, "/status-form")) {
		/* A status form whose select sends a Status table's ids (a
		 * ModelChoiceField); posted a name, it comes back with
		 * Django's "Select a valid choice." at the select (h550). */
		ts_form_again(fd, &r, "<select name=\"status\"><option value=\"1\">Open</option>"
				      "<option value=\"2\">Pending</option></select>",
			      "Select a valid choice. That choice is not one of the available choices.");
	} else if (ts_path_is(p, "/choiceless")) {
		/* A form whose required select has no choice but the empty one
		 * (a ForeignKey to a table a new database leaves empty); posted,
		 * it comes back with the select's "required" error. */
		ts_form_again(fd, &r, "<input name=\"title\"><select name=\"category\" required>"
				      "<option value=\"\">---------</option></select>",
			      "This field is required.");
	} else if (ts_path_is(p, "/gallery/photo.png")) {
		ts_respond(fd, 200, "Content-Type: image/png\r\n", "PNG!", 4);
	} else if (ts_path_is(p, "/gallery/")) {
		/* A page whose <img>s come before the photo in every form a
		 * template writes them: a data: URI, another site's logo, a
		 * relative logo that is not there, then the photo, relative. */
		static const char page[] =
			"<html><body><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\">"
			"<img src=\"https://cdn.example.invalid/logo.png\">"
			"<img src=\"logo.png\"><img src=\"photo.png\">"
			"<form id=\"here\" method=\"post\" action=\"../status?code=201\"><input name=\"t\"></form>"
			"<form id=\"away\" method=\"post\" action=\"https://pay.example.invalid/\"></form>"
			"<form id=\"no-token\" method=\"post\" action=\"/status?code=403\"><input name=\"t\"></form>"
			"<form id=\"token\" method=\"post\" action=\"/status?code=403\">"
			"<input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"x\"></form>"
			"</body></html>";

		ts_respond(fd, 200, "Content-Type: text/html\r\n", page, sizeof(page) - 1);
	} else if (ts_path_is(p, "/close")) {
		/* return: the process exits and the socket closes */
	} else {
		ts_respond(fd, 404, "Content-Type: text/plain\r\n", "not found", 9);
	}
	ts_req_free(&r);
}

/* Write ctx (a C string) as soon as the connection opens, then close: a
 * server that does not speak HTTP (e.g. "SSH-2.0-OpenSSH\r\n"). */
static TS_UNUSED void ts_handler_banner(int fd, void *ctx)
{
	ts_write_str(fd, ctx ? (const char *)ctx : "");
}

/* Accept and never say anything, never read either. */
static TS_UNUSED void ts_handler_silent(int fd, void *ctx)
{
	(void)fd;
	(void)ctx;
	ts_hang();
}

/* A port on 127.0.0.1 nobody listens on (bound, then closed). -1 on error. */
static TS_UNUSED int ts_closed_port(void)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &sl) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* A TCP socket connected to 127.0.0.1:port, or -1. */
static TS_UNUSED int ts_connect(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((unsigned short)port);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static TS_UNUSED void ts_serve(int lfd, ts_handler h, void *ctx)
{
	pid_t server = getpid();

	/* Connection processes are reaped by the kernel. */
	signal(SIGCHLD, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		pid_t pid;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			_exit(1);
		}
		pid = fork();
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != server)
				_exit(0);
			alarm(30);
			close(lfd);
			h(fd, ctx);
			close(fd);
			_exit(0);
		}
		close(fd);
	}
}

/* Start a server on 127.0.0.1:<ephemeral> running `h` for each connection.
 * 0 and *out filled, or -1 (errno set). */
static TS_UNUSED int ts_start(ts_handler h, void *ctx, struct ts_server *out)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	pid_t parent = getpid(), pid;
	int lfd, one = 1;

	out->port = -1;
	out->pid = -1;
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return -1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 64) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &sl) < 0) {
		close(lfd);
		return -1;
	}
	fflush(NULL); /* no duplicated stdio buffers in the child */
	pid = fork();
	if (pid < 0) {
		close(lfd);
		return -1;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		alarm(120);
		ts_serve(lfd, h, ctx);
		_exit(0);
	}
	close(lfd);
	out->port = ntohs(sa.sin_port);
	out->pid = pid;
	return 0;
}

/* Kill the server by pid and reap it; its connection processes follow it
 * (PDEATHSIG). Safe on a server that failed to start. */
static TS_UNUSED void ts_stop(struct ts_server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	s->pid = -1;
}

#endif
