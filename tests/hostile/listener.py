"""listener.py LOG PORTS_FILE UNIX_PATH ABSTRACT_NAME - the host side of the
hostile corpus' network cases (tests/e2e/test_hostile.sh).

Listens on the HOST's loopback only: TCP on 127.0.0.1 (a free port) and on
::1 (the same port when free), UDP on 127.0.0.1, a pathname Unix socket and
an abstract one; writes "tcp udp" port numbers to PORTS_FILE once listening,
and appends a line to LOG for every connection or datagram that arrives. A
sandboxed submission must never reach any of them: LOG must stay empty.
Runs until killed (the test kills it by pid).
"""
import os
import selectors
import socket
import sys

log_path, ports_path, unix_path, abstract = sys.argv[1:5]
sel = selectors.DefaultSelector()


def listen(family, kind, addr):
    s = socket.socket(family, kind)
    if family != socket.AF_UNIX:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(addr)
    if kind == socket.SOCK_STREAM:
        s.listen(16)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, (family, kind, addr))
    return s


def record(line):
    with open(log_path, "a") as f:
        f.write(line + "\n")


tcp = listen(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 0))
port = tcp.getsockname()[1]
try:
    listen(socket.AF_INET6, socket.SOCK_STREAM, ("::1", port))
except OSError:
    pass
udp = listen(socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", 0))
listen(socket.AF_UNIX, socket.SOCK_STREAM, unix_path)
os.chmod(unix_path, 0o777)  # reachable by any host uid: only the namespace may stop it
listen(socket.AF_UNIX, socket.SOCK_STREAM, "\0" + abstract)
open(log_path, "a").close()
with open(ports_path + ".tmp", "w") as f:
    f.write("%d %d\n" % (port, udp.getsockname()[1]))
os.rename(ports_path + ".tmp", ports_path)

while True:
    for key, _ in sel.select():
        s, (family, kind, addr) = key.fileobj, key.data
        if kind == socket.SOCK_DGRAM:
            data, peer = s.recvfrom(65536)
            record("udp %r from %r: %r" % (addr, peer, data[:200]))
            continue
        c, peer = s.accept()
        c.settimeout(1)
        try:
            data = c.recv(4096)
        except OSError:
            data = b""
        c.close()
        record("connection on %r from %r: %r" % (addr, peer, data[:200]))
