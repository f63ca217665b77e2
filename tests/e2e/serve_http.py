"""HTTP and browser tests of `grader serve` (started by test_serve.sh).

Prints "ok NAME" / "not ok NAME" lines. Every request goes to 127.0.0.1.
"""

import argparse
import hashlib
import hmac
import http.client
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from cdp import Browser, CDPError  # noqa: E402

GH_SECRET = b"gh-s3cret-for-tests"
GL_TOKEN = "gl-t0ken-for-tests"
INSTR = "instr-t0ken-for-tests"
DEADLINE = time.monotonic() + 400
failed = 0


def ok(name):
    print("ok serve: " + name, flush=True)


def notok(name, why):
    global failed
    failed += 1
    print("not ok serve: " + name, flush=True)
    for line in str(why).splitlines()[:20]:
        print("    " + line, flush=True)


def check(name, cond, why=""):
    if cond:
        ok(name)
    else:
        notok(name, why)
    return cond


class Client:
    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def req(self, method, path, body=None, headers=None, chunked=False):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if isinstance(body, str):
            body = body.encode()
        if chunked:
            c.putrequest(method, path)
            for k, v in h.items():
                c.putheader(k, v)
            c.putheader("Transfer-Encoding", "chunked")
            c.endheaders()
            for i in range(0, len(body), 8192):
                part = body[i:i + 8192]
                c.send(b"%x\r\n%s\r\n" % (len(part), part))
            c.send(b"0\r\n\r\n")
        else:
            c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        for v in r.headers.get_all("Set-Cookie") or []:
            k, _, rest = v.partition("=")
            self.cookies[k] = rest.split(";")[0]
        c.close()
        return r.status, r.headers, data.decode("utf-8", "replace")

    def form_token(self):
        st, hd, body = self.req("GET", "/")
        m = re.search(r'name="csrf" value="([0-9a-f]{32})"', body)
        return m.group(1) if m else None

    def submit(self, repo, challenge="ecommerce-api", token=None):
        body = urllib.parse.urlencode({"csrf": token or "", "repository": repo, "challenge": challenge,
                                       "student": ""})
        return self.req("POST", "/submit", body, {"Content-Type": "application/x-www-form-urlencoded"})


def sign(body):
    return "sha256=" + hmac.new(GH_SECRET, body, hashlib.sha256).hexdigest()


def push_body(repo_url, commit):
    return json.dumps({"ref": "refs/heads/main", "after": commit, "deleted": False,
                       "repository": {"clone_url": repo_url, "full_name": "alice/shop"}}).encode()


def hook(cl, body, event="push", sig=None, query=""):
    h = {"Content-Type": "application/json", "X-GitHub-Event": event}
    if sig is not False:
        h["X-Hub-Signature-256"] = sig or sign(body)
    return cl.req("POST", "/hooks/github" + query, body, h)


def jobs_count(db):
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute("SELECT COUNT(*) FROM service_jobs").fetchone()[0]
    finally:
        con.close()


def wait_job(cl, jid, timeout=180):
    end = min(time.monotonic() + timeout, DEADLINE)
    while time.monotonic() < end:
        st, _, body = cl.req("GET", "/jobs/%d.json" % jid)
        if st == 200:
            j = json.loads(body)
            if j["state"] in ("done", "failed"):
                return j
        time.sleep(0.3)
    return None


def test_form_and_refusals(cl, db):
    st, hd, body = cl.req("GET", "/")
    csp = hd.get("Content-Security-Policy", "")
    check("the form page is served with a CSP that allows no script",
          st == 200 and "default-src 'none'" in csp and "script-src" not in csp, (st, csp))
    token = re.search(r'name="csrf" value="([0-9a-f]{32})"', body)
    check("the form carries the CSRF token its cookie holds",
          token and cl.cookies.get("grader_csrf") == token.group(1), body[:300])
    check("the form's fields have labels",
          all('for="%s"' % f in body for f in ("repository", "challenge", "student")), body[:600])
    before = jobs_count(db)
    st1, _, _ = cl.submit("file://" + ARGS.svc + "/repos/alice/shop", token=None)
    st2, _, _ = cl.submit("file://" + ARGS.svc + "/repos/alice/shop", token="0" * 32)
    check("a form post without its CSRF token is refused (403) and queues nothing",
          st1 == 403 and st2 == 403 and jobs_count(db) == before, (st1, st2))
    tok = cl.form_token()
    cases = [("https://evil.example.invalid/a/b", "allowed hosts"),
             ("https://alice:SECRETPW@github.com/a/b", "credentials"),
             ("http://github.com/a/b", "https://"),
             ("https://github.com/a/b\"><script>x()</script>", "character")]
    for url, word in cases:
        st, _, body = cl.submit(url, token=tok)
        check("a refused source (%s) is 400 and says why" % word,
              st == 400 and word in body and "SECRETPW" not in body and "<script>x()" not in body,
              (st, body[:400]))
    check("refused sources queue nothing", jobs_count(db) == before)


def test_hooks_refused(cl, db):
    before = jobs_count(db)
    body = push_body("file://" + ARGS.svc + "/repos/alice/shop", "a" * 40)
    st1, _, _ = hook(cl, body, sig=False)
    st2, _, _ = hook(cl, body, sig="sha256=" + "0" * 64)
    st3, _, _ = hook(cl, body, sig="sha1=abc")
    check("a push with a missing, wrong or malformed signature is 401",
          (st1, st2, st3) == (401, 401, 401), (st1, st2, st3))
    ping = b'{"zen":"Keep it logically awesome."}'
    st, _, text = hook(cl, ping, event="ping")
    check("a signed ping is answered", st == 200 and "pong" in text, (st, text))
    st, _, _ = hook(cl, b'{"action":"opened"}', event="issues")
    check("other events are ignored with 204", st == 204, st)
    st, _, text = hook(cl, body, query="?challenge=no-such-challenge")
    check("a push for an unknown challenge is refused (422)", st == 422, (st, text))
    big = b"x" * 70000
    st1, _, _ = cl.req("POST", "/hooks/github", big, {"X-GitHub-Event": "push"})
    st2, _, _ = cl.req("POST", "/hooks/github", big, {"X-GitHub-Event": "push"}, chunked=True)
    check("an oversized body is refused with 413 (declared and chunked)", (st1, st2) == (413, 413),
          (st1, st2))
    st, _, _ = cl.req("POST", "/hooks/gitlab", b"{}", {"X-Gitlab-Event": "Push Hook",
                                                     "X-Gitlab-Token": "wrong"})
    check("a GitLab hook with a wrong token is 401", st == 401, st)
    check("refused hooks queue nothing", jobs_count(db) == before)


def test_limits(lim):
    """The limited service: one worker, queue_max 1, 5 writes a minute."""
    commits = subprocess.run(["git", "-C", ARGS.svc + "/repos/alice/shop", "rev-list", "HEAD"],
                             capture_output=True, text=True).stdout.split()
    url = "file://" + ARGS.svc + "/repos/alice/shop"
    answers = [hook(lim, push_body(url, c))[:2] for c in commits[:3]]
    codes = [a[0] for a in answers]
    full = [a for a in answers if a[0] == 503]
    check("a full queue answers 503 with Retry-After, never drops silently",
          full and all(a[1].get("Retry-After", "").isdigit() for a in full) and
          all(c in (202, 503) for c in codes) and
          jobs_count(ARGS.svc + "/limited.sqlite3") == codes.count(202), codes)
    codes = [lim.req("POST", "/submit", "x=1", {"Content-Type": "application/x-www-form-urlencoded"})
             for _ in range(3)]
    st = [c[0] for c in codes]
    check("a client over its rate is refused with 429 and Retry-After",
          st[-1] == 429 and codes[-1][1].get("Retry-After", "").isdigit(), st)


def test_instructor(cl):
    st, hd, _ = cl.req("GET", "/instructor/")
    check("instructor pages without a token are 401 with a challenge",
          st == 401 and "Basic" in hd.get("WWW-Authenticate", ""), st)
    st, _, _ = cl.req("GET", "/instructor/", headers={"Authorization": "Bearer wrong"})
    check("instructor pages with a wrong token are 401", st == 401, st)
    st, _, body = cl.req("GET", "/instructor/", headers={"Authorization": "Bearer " + INSTR})
    check("the instructor's queue page opens with the token", st == 200 and "Grading queue" in body,
          (st, body[:300]))
    auth = {"Authorization": "Bearer " + INSTR}
    st, hd, _ = cl.req("GET", "/instructor/report/ecommerce-api", headers=auth)
    check("the class report's folder URL gets its slash", st == 301 and
          hd.get("Location") == "/instructor/report/ecommerce-api/", (st, hd.get("Location")))
    st, _, body = cl.req("GET", "/instructor/report/ecommerce-api/", headers=auth)
    link = re.search(r'href="(students/run-\d+\.html)"', body)
    check("the live class report (grader report --html's pages) lists the graded repositories",
          st == 200 and "alice/shop" in body and link, (st, body[:500]))
    if link:
        st, _, page = cl.req("GET", "/instructor/report/ecommerce-api/" + link.group(1), headers=auth)
        check("a student's page of the live class report opens", st == 200 and "order-create" in page,
              (st, page[:300]))
    st, _, _ = cl.req("GET", "/instructor/report/ecommerce-api/../../etc/passwd", headers=auth)
    check("the class report serves only its own pages", st == 404, st)


def test_burst(cl, db):
    commits = subprocess.run(["git", "-C", ARGS.svc + "/repos/alice/shop", "rev-list", "HEAD"],
                             capture_output=True, text=True).stdout.split()
    url = "file://" + ARGS.svc + "/repos/alice/shop"
    ids, codes = [], []
    for i in range(50):
        st, _, body = hook(cl, push_body(url, commits[i % len(commits)]))
        codes.append(st)
        if st in (200, 202):
            ids.append(json.loads(body)["job"])
    distinct = sorted(set(ids))
    check("a burst of 50 signed pushes is accepted (202, or 200 for a commit already queued)",
          len(ids) == 50 and len(distinct) == len(commits), (codes, distinct))
    results = [wait_job(cl, j) for j in distinct]
    graded = [r for r in results if r and r["state"] == "done" and r["status"] == "graded"
              and r["score"] == r["max_score"] == 100]
    check("every pushed commit is graded, none lost", len(graded) == len(distinct),
          [(r or {}).get("state") for r in results])
    check("each push is graded at its own commit",
          sorted(r["commit"] for r in graded) == sorted(commits), [r.get("commit") for r in graded])
    return commits


def start_service(log):
    proc = subprocess.Popen([ARGS.grader, "serve", "--config", ARGS.config],
                            stdout=subprocess.DEVNULL, stderr=open(log, "wb"))
    with open(ARGS.svc + "/serve.pid.%d" % proc.pid, "w") as f:
        f.write(str(proc.pid))
    for _ in range(200):
        m = re.search(r"\(port (\d+)\)", open(log).read())
        if m:
            return proc, int(m.group(1))
        time.sleep(0.05)
    return proc, None


def test_restart(cl, db):
    """A service killed (SIGKILL) with a job running grades it after restart."""
    st, hd, body = cl.req("GET", "/instructor/", headers={"Authorization": "Bearer " + INSTR})
    token = re.search(r'name="csrf" value="([0-9a-f]{32})"', body)
    first = re.search(r'name="job" value="(\d+)"', body)
    if not (token and first):
        notok("a regrade job for the restart test", body[:300])
        return None, cl
    st, hd, _ = cl.req("POST", "/instructor/regrade",
                       urllib.parse.urlencode({"csrf": token.group(1), "job": first.group(1)}),
                       {"Authorization": "Bearer " + INSTR,
                        "Content-Type": "application/x-www-form-urlencoded"})
    m = re.match(r"/jobs/(\d+)$", hd.get("Location", ""))
    if not check("an instructor regrade queues a new job", st == 303 and m, (st, hd.get("Location"))):
        return None, cl
    jid = int(m.group(1))
    end = time.monotonic() + 60
    state = None
    while time.monotonic() < end:
        state = json.loads(cl.req("GET", "/jobs/%d.json" % jid)[2])["state"]
        if state == "running":
            break
        time.sleep(0.05)
    os.kill(ARGS.pid, signal.SIGKILL)
    time.sleep(0.5)
    proc, port = start_service(ARGS.svc + "/serve-restarted.log")
    if not check("the service starts again after being killed", port, open(ARGS.svc + "/serve-restarted.log").read()):
        return proc, cl
    cl2 = Client(port)
    j = wait_job(cl2, jid)
    con = sqlite3.connect(db, timeout=10)
    rows = con.execute("SELECT COUNT(*) FROM service_jobs WHERE id = ?", (jid,)).fetchone()[0]
    stuck = con.execute("SELECT COUNT(*) FROM service_jobs WHERE state = 1").fetchone()[0]
    con.close()
    check("a job running when the service was killed is graded after the restart (was %s)" % state,
          state == "running" and j and j["state"] == "done" and j["status"] == "graded" and rows == 1
          and stuck == 0, (state, j, rows, stuck))
    return proc, cl2


def test_gitlab_and_health(cl, commits):
    """A GitLab push of a commit already graded is that job (no second grading)."""
    body = json.dumps({"object_kind": "push", "checkout_sha": commits[0],
                       "project": {"git_http_url": "file://" + ARGS.svc + "/repos/alice/shop"}}).encode()
    st, _, text = cl.req("POST", "/hooks/gitlab", body, {"X-Gitlab-Event": "Push Hook",
                                                       "X-Gitlab-Token": GL_TOKEN})
    j = json.loads(text) if st in (200, 202) else {}
    check("a GitLab push with the right token names the job of its commit (graded once)",
          st == 200 and j.get("existing") is True, (st, text))
    st, _, _ = cl.req("POST", "/hooks/gitlab", body, {"X-Gitlab-Event": "Tag Push Hook",
                                                    "X-Gitlab-Token": GL_TOKEN})
    check("other GitLab events are ignored with 204", st == 204, st)
    st, _, text = cl.req("GET", "/healthz")
    check("the health check answers", st == 200 and text.strip() == "ok", (st, text))


def test_badges(cl):
    st, hd, svg = cl.req("GET", "/badge/alice/shop/ecommerce-api.svg")
    etag = hd.get("ETag")
    try:
        root = ET.fromstring(svg)
        text = " ".join(t for t in root.itertext())
    except ET.ParseError as e:
        root, text = None, str(e)
    check("the live badge is an SVG of the latest graded run, with cache headers",
          st == 200 and hd.get("Content-Type", "").startswith("image/svg+xml") and etag and
          "max-age" in hd.get("Cache-Control", "") and root is not None and "100" in text,
          (st, dict(hd), svg[:300]))
    st, _, _ = cl.req("GET", "/badge/alice/shop/ecommerce-api.svg", headers={"If-None-Match": etag or ""})
    check("a badge request with its ETag is 304", st == 304, st)
    st, hd, body = cl.req("GET", "/badge/alice/shop/ecommerce-api.json")
    try:
        e = json.loads(body)
    except ValueError:
        e = {}
    check("the shields endpoint answers schemaVersion 1 with the score",
          st == 200 and e.get("schemaVersion") == 1 and "100" in str(e.get("message")) and
          all(isinstance(e.get(k), str) for k in ("label", "message", "color")), (st, body))
    st, _, body = cl.req("GET", "/badge/nobody/nothing/ecommerce-api.json")
    check("a repository never graded gets a badge that shows no score",
          st == 200 and "100" not in body, (st, body))


def test_browser(port, xss_job):
    """A student's path in Chromium: the form, the status page, the report."""
    base = "http://127.0.0.1:%d" % port
    try:
        with Browser() as b:
            p = b.new_page()
            p.goto(base + "/")
            p.eval("document.getElementById('repository').value = %s" %
                   json.dumps("file://" + ARGS.svc + "/repos/alice/shop"))
            p.eval("document.querySelector('button[type=submit]').click()")
            p.wait_for("/\\/jobs\\/\\d+$/.test(location.pathname)", timeout=20)
            status_url = p.eval("location.href")
            p.wait_for("!!document.getElementById('report-link')", timeout=180)
            p.goto(p.eval("document.getElementById('report-link').href"))
            score = p.eval("document.getElementById('score').textContent")
            rows = p.eval("document.querySelectorAll('#checks tbody tr').length")
            check("in a browser, the form leads to the status page and then the report",
                  "100 / 100" in score and rows >= 8, (status_url, score, rows))
            p.screenshot(ARGS.screenshot)
            p.goto(base + "/jobs/%d/report" % xss_job)
            res = p.eval("JSON.stringify({title: document.title,"
                         " scripts: document.querySelectorAll('script').length,"
                         " imgs: document.querySelectorAll('img').length,"
                         " text: document.getElementById('checks').textContent})")
            res = json.loads(res)
            check("markup in a check message is shown as text and never runs",
                  res["title"] != "pwned" and res["scripts"] == 0 and res["imgs"] == 0 and
                  "<script>document.title='pwned'</script>" in res["text"], res)
            p.goto(base + "/badge/alice/shop/ecommerce-api.svg")
            txt = p.eval("document.documentElement.textContent")
            check("the live badge renders in the browser with its score", "100" in (txt or ""), txt)
            p.eval("1")
            dialogs = [e for e in b._events if e.get("method") == "Page.javascriptDialogOpening"]
            check("no console error and no dialog in the browser", not b.errors and not dialogs,
                  b.errors + [str(d) for d in dialogs])
    except CDPError as e:
        notok("the browser session", e)


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    for a in ("--port", "--limited-port", "--pid"):
        ap.add_argument(a, type=int, required=True)
    for a in ("--svc", "--grader", "--config", "--screenshot"):
        ap.add_argument(a, required=True)
    ARGS = ap.parse_args()
    db = ARGS.svc + "/results.sqlite3"
    cl = Client(ARGS.port)
    test_form_and_refusals(cl, db)
    test_hooks_refused(cl, db)
    test_limits(Client(ARGS.limited_port))
    tok = cl.form_token()
    st, hd, _ = cl.submit("file://" + ARGS.svc + "/repos/mallory/xss", token=tok)
    m = re.match(r"/jobs/(\d+)$", hd.get("Location", ""))
    xss = wait_job(cl, int(m.group(1))) if st == 303 and m else None
    check("a submitted repository is queued (303 to its job) and graded",
          xss and xss["state"] == "done" and xss["status"] == "graded" and xss["score"] < 100, (st, xss))
    commits = test_burst(cl, db)
    test_gitlab_and_health(cl, commits)
    test_instructor(cl)
    test_badges(cl)
    test_browser(ARGS.port, xss["id"] if xss else 0)
    proc, cl = test_restart(cl, db)
    if proc:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
