"""hostile - shared by the hostile corpus (tests/hostile/make.sh).

Copied into each case as config/hostile.py. A probe tries one thing a
submission must not be able to do, from inside the sandbox, and then makes
the boot fail ON PURPOSE with a one-line verdict the test reads from the
report's diagnosis:

    HOSTILE-PROBE blocked: <what was tried and how it was refused>
    HOSTILE-PROBE ESCAPED: <what got through>

Failing on purpose proves the probe really ran (a test that passes because
the hostile code never executed would be worthless). The probe only ever
touches loopback addresses and paths the test names in hostile.json (written
at generation time beside manage.py), and never signals anything but the
pids it names: never kill(-1).
"""

import json
import os
import signal
import socket
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Read-only inside the sandbox: the test writes it before committing.
TARGETS = json.loads((ROOT / "hostile.json").read_text())


def bounded(n, fn):
    """Call fn(i) for i < n until it raises; returns (count, exception)."""
    for i in range(n):
        try:
            fn(i)
        except BaseException as e:  # noqa: BLE001 - any refusal is the answer
            return i, e
    return n, None


def read_probe(path):
    """(escaped, detail) for an attempt to read a file that must be invisible.
    Escaped only when the read returned bytes (the content is not quoted)."""
    try:
        with open(path, "rb") as f:
            data = f.read(4096)
    except OSError as e:
        return False, "%s: %s" % (path, type(e).__name__)
    return True, "%s: read %d bytes" % (path, len(data))


def grader_pid():
    """The grader's real pid, committed into the checkout by the test."""
    try:
        return int((ROOT / "grader.pid").read_text().strip())
    except (OSError, ValueError):
        return 0


def finish(results):
    """results: [(escaped, detail)]. Always raises: the boot must fail."""
    bad = [d for e, d in results if e]
    if bad:
        raise RuntimeError("HOSTILE-PROBE ESCAPED: " + "; ".join(bad))
    raise RuntimeError("HOSTILE-PROBE blocked: " + "; ".join(d for _, d in results))


def sleep_forever():
    while True:
        time.sleep(3600)


def daemonize(tag):
    """A classic daemon: fork, setsid, fork again, chdir /, close stdio,
    ignore SIGTERM/SIGHUP, then sleep forever. It re-executes Python with a
    marker in argv so the test can find it on the host by its command line."""
    pid = os.fork()
    if pid:
        os.waitpid(pid, 0)
        return
    try:
        os.setsid()
        if os.fork():
            os._exit(0)
        os.chdir("/")
        for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(s, signal.SIG_IGN)
        fd = os.open(os.devnull, os.O_RDWR)
        for i in (0, 1, 2):
            os.dup2(fd, i)
        import sys
        os.execv(sys.executable, [sys.executable, "-c",
                                  "import signal,time\n"
                                  "for s in (signal.SIGTERM, signal.SIGHUP): signal.signal(s, signal.SIG_IGN)\n"
                                  "time.sleep(100000)", tag])
    finally:
        os._exit(0)


__all__ = ["TARGETS", "bounded", "read_probe", "grader_pid", "finish", "sleep_forever",
           "daemonize", "socket", "signal", "os", "time"]
