"""A small Chrome DevTools Protocol client for the browser tests.

Debian's chromium runs headless with --remote-debugging-pipe: the protocol's
JSON messages go over file descriptors 3 (to the browser) and 4 (from it),
each ended by a NUL byte. That needs no websocket library and no port.

    with Browser() as b:
        page = b.new_page()
        page.goto("http://127.0.0.1:8080/")
        title = page.eval("document.title")
        assert not b.errors        # console errors and uncaught exceptions
"""

import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
    "--remote-debugging-pipe",
]


class CDPError(Exception):
    pass


class Browser:
    def __init__(self, binary="/usr/bin/chromium", timeout=30.0):
        self.binary = binary
        self.timeout = timeout
        self.errors = []      # console errors, uncaught exceptions, failed loads
        self.console = []     # every console message, as text
        self._next = 0
        self._buf = b""
        self._events = []

    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="grader-cdp-")
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        # Move the browser's ends above any low descriptor, so that putting
        # them on 3 and 4 cannot close one with the other.
        hi_r = fcntl.fcntl(to_r, fcntl.F_DUPFD, 100)
        hi_w = fcntl.fcntl(from_w, fcntl.F_DUPFD, 100)
        os.close(to_r)
        os.close(from_w)
        to_r, from_w = hi_r, hi_w
        # Bash (dash takes no descriptor over 9) puts the two pipe ends on 3 and 4 and execs the browser.
        cmd = 'exec "$0" "$@" 3<&%d 4>&%d %d<&- %d>&-' % (to_r, from_w, to_r, from_w)
        self.proc = subprocess.Popen(
            ["/bin/bash", "-c", cmd, self.binary] + CHROMIUM_FLAGS +
            ["--user-data-dir=" + self.profile, "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(os.environ.get("CDP_LOG", os.devnull), "ab"),
            pass_fds=(to_r, from_w), close_fds=True)
        os.close(to_r)
        os.close(from_w)
        self._w = to_w
        self._r = from_r
        return self

    def __exit__(self, *exc):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _send(self, msg):
        data = json.dumps(msg).encode() + b"\0"
        while data:
            n = os.write(self._w, data)
            data = data[n:]

    def _read_one(self, deadline):
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError("the browser did not answer in time")
            ready, _, _ = select.select([self._r], [], [], left)
            if ready:
                chunk = os.read(self._r, 1 << 16)
                if not chunk:
                    raise CDPError("the browser closed the pipe")
                self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def _note(self, msg):
        method = msg.get("method", "")
        p = msg.get("params", {})
        if method == "Runtime.exceptionThrown":
            self.errors.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:400])
        elif method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            self.console.append(text)
            if p.get("type") in ("error", "assert"):
                self.errors.append("console.error: " + text)
        elif method == "Log.entryAdded":
            e = p.get("entry", {})
            self.console.append(e.get("text", ""))
            if e.get("level") == "error":
                self.errors.append("log: " + e.get("text", "") + " " + e.get("url", ""))
        self._events.append(msg)

    def call(self, method, params=None, session=None, timeout=None):
        self._next += 1
        mid = self._next
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._send(msg)
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            m = self._read_one(deadline)
            if m.get("id") == mid:
                if "error" in m:
                    raise CDPError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self._note(m)

    def wait_event(self, method, session=None, timeout=None):
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for i, m in enumerate(self._events):
                if m.get("method") == method and (session is None or m.get("sessionId") == session):
                    del self._events[i]
                    return m.get("params", {})
            self._note(self._read_one(deadline))

    def new_page(self):
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Page", "Runtime", "Log"):
            self.call(domain + ".enable", session=session)
        return page


class Page:
    def __init__(self, browser, session):
        self.b = browser
        self.s = session

    def goto(self, url, timeout=None):
        self.b._events.clear()
        self.b.call("Page.navigate", {"url": url}, session=self.s)
        self.b.wait_event("Page.loadEventFired", session=self.s, timeout=timeout)

    def eval(self, expr, timeout=None):
        r = self.b.call("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                             "awaitPromise": True}, session=self.s, timeout=timeout)
        if "exceptionDetails" in r:
            raise CDPError("evaluating %r: %s" % (expr, r["exceptionDetails"]))
        return r.get("result", {}).get("value")

    def wait_for(self, expr, timeout=60.0, step=0.25):
        """Poll a JavaScript expression until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                v = self.eval(expr)
            except CDPError:
                v = None   # the page is between two loads
            if v:
                return v
            time.sleep(step)
        raise CDPError("timed out waiting for " + expr)

    def screenshot(self, path):
        import base64
        data = self.b.call("Page.captureScreenshot", {"format": "png"}, session=self.s)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
