"""The boot module's HTTP server and its persistent connections, outside any
sandbox: grader_boot.serve() with a small WSGI app, driven with raw sockets
so that which connection carried which request is known. Prints one "ok" or
"not ok" line per behaviour (tests/e2e/test_keepalive.sh runs it)."""
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../grader/boot"))
import grader_boot  # noqa: E402  (reads no descriptor without GRADER_SECRETS_FD)

grader_boot.KEEP_ALIVE_IDLE_S = 0.5


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/streamed":  # two chunks: wsgiref sets no Content-Length
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"part one, ", b"part two"]
    if path == "/read":  # reads its body and echoes its length
        n = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(n)
        out = b"read %d" % len(body)
    else:  # never reads a body it is sent
        out = ("%s %s" % (environ["REQUEST_METHOD"], path)).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(out)))])
    return [out]


server = grader_boot.serve(app)
port = server.server_address[1]
threading.Thread(target=server.serve_forever, daemon=True).start()


def request(sock, method, path, body=b"", headers=""):
    head = "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s" % (method, path, headers)
    if body or method == "POST":
        head += "Content-Length: %d\r\n" % len(body)
    sock.sendall(head.encode() + b"\r\n" + body)


def response(sock):
    """One answer off the socket: (status line, headers, body), or None at
    the connection's end. Reads by Content-Length, else to the end."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    if "Content-Length" in headers:
        n = int(headers["Content-Length"])
        while len(rest) < n:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
    else:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
    return lines[0], headers, rest


def closed(sock, wait=2.0):
    """Did the server close the connection (within `wait` seconds)?"""
    sock.settimeout(wait)
    try:
        return sock.recv(1) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


def check(name, cond, detail=""):
    print(("ok %s" % name) if cond else ("not ok %s\n    %s" % (name, detail)))


def connect():
    """A new connection: every answer read on it below came over it."""
    return socket.create_connection(("127.0.0.1", port))


s = connect()
request(s, "GET", "/one")
a = response(s)
request(s, "GET", "/two")
b = response(s)
check("two HTTP/1.1 requests are answered on one connection",
      a and b and a[0] == "HTTP/1.1 200 OK" and a[2] == b"GET /one"
      and b[2] == b"GET /two", repr((a, b)))

# A body the app never reads is read off the connection, not taken for the
# next request; one it reads is not read twice.
request(s, "POST", "/ignored", body=b"x" * 200000)
c = response(s)
request(s, "POST", "/read", body=b"y" * 5000)
d = response(s)
request(s, "GET", "/three")
e = response(s)
check("a request body the app left unread does not leak into the next request",
      c and d and e and c[2] == b"POST /ignored" and d[2] == b"read 5000"
      and e[2] == b"GET /three", repr((c, d, e)))

check("a connection idle for KEEP_ALIVE_IDLE_S is closed by the server", closed(s, 3.0))
s.close()

s = connect()
request(s, "GET", "/streamed")
f = response(s)
check("an answer without a Content-Length ends its connection",
      f and f[2] == b"part one, part two" and closed(s, 0.2), repr(f))
s.close()

s = connect()
request(s, "HEAD", "/head")
g, ended = b"", False
s.settimeout(2.0)
try:
    while True:  # whatever the answer holds, then the end of the connection
        chunk = s.recv(65536)
        if not chunk:
            ended = True
            break
        g += chunk
except OSError:
    pass
check("a HEAD request ends its connection", g.startswith(b"HTTP/1.") and ended, repr(g))
s.close()

s = connect()
request(s, "GET", "/bye", headers="Connection: close\r\n")
h = response(s)
check("a request saying Connection: close ends its connection",
      h and h[2] == b"GET /bye" and closed(s, 1.0), repr(h))
s.close()

s = connect()
s.sendall(b"GET /old HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
i = response(s)
check("an HTTP/1.0 request is answered in HTTP/1.0 and its connection ended",
      i and i[0].startswith("HTTP/1.0 200") and i[2] == b"GET /old" and closed(s, 1.0),
      repr(i))
s.close()
server.shutdown()
