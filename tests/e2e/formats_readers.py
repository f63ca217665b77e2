"""Readers for the formats `grader convert`/`grade --format` write, each as the
consuming tool reads it (tests/e2e/test_formats.sh calls these).

    python3 formats_readers.py FORMAT REPORT.json OUTPUT [--secret TEXT ...]

FORMAT is junit, gradescope, classroom, markdown, shields or badge; REPORT is
the JSON report the output was made from (the facts to compare with);
OUTPUT the file to read. Prints "ok ..." / "not ok ..." lines; every --secret
must not appear in OUTPUT (a withheld message). Exits 1 on any failure.
"""
import base64
import html
import html.parser
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import jsonschema

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMAS = os.path.join(ROOT, "schemas")
failed = False


def check(name, cond, detail=""):
    global failed
    if cond:
        print("ok " + name)
    else:
        failed = True
        print("not ok " + name)
        for line in str(detail).splitlines()[:20]:
            print("    " + line)


def schema(name):
    with open(os.path.join(SCHEMAS, name)) as f:
        return json.load(f)


def validate(name, doc, schema_name):
    try:
        jsonschema.validate(doc, schema(schema_name), cls=jsonschema.Draft202012Validator)
        check(name, True)
    except jsonschema.ValidationError as e:
        check(name, False, e)


def scored(rep):
    return [c for c in rep["checks"] if c["max_points"] > 0]


def junit(rep, path, tag):
    # xml.etree is the reader here; xmllint --schema runs in the shell test.
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    check(tag + " junit has one suite", len(suites) == 1, ET.tostring(root)[:300])
    s = suites[0]
    cases = s.findall("testcase")
    extra = 0 if rep["status"] == "graded" else 1
    check(tag + " junit has one testcase per check", len(cases) == len(rep["checks"]) + extra,
          "%d cases, %d checks" % (len(cases), len(rep["checks"])))
    props = {p.get("name"): p.get("value") for p in s.find("properties")}
    check(tag + " junit properties carry commit and suite_sha256",
          props.get("commit") == (rep["submission"]["commit"] or "") and
          props.get("suite_sha256") == rep["challenge"]["suite_sha256"], props)
    fails = sum(1 for c in cases if c.find("failure") is not None)
    errors = sum(1 for c in cases if c.find("error") is not None)
    skips = sum(1 for c in cases if c.find("skipped") is not None)
    want_f = sum(1 for c in scored(rep) if c["status"] == "fail")
    want_e = sum(1 for c in scored(rep) if c["status"] == "error") + extra
    want_s = sum(1 for c in scored(rep) if c["status"] == "skip")
    check(tag + " junit failures, errors and skips match the report",
          (fails, errors, skips) == (want_f, want_e, want_s) and
          int(s.get("failures")) == fails and int(s.get("errors")) == errors and
          int(s.get("skipped")) == skips and int(s.get("tests")) == len(cases),
          "%s vs %s; attrs %s" % ((fails, errors, skips), (want_f, want_e, want_s), s.attrib))
    byid = {c["id"]: c for c in rep["checks"]}
    ok = True
    for case in cases:
        c = byid.get(case.get("name"))
        if c is None:
            continue
        t = float(case.get("time"))
        if abs(t - c["duration_ms"] / 1000.0) > 0.0011:
            ok = False
        f = case.find("failure")
        if c["status"] == "fail" and c["max_points"] > 0 and (f is None or not f.get("message")):
            ok = False
    check(tag + " junit testcases carry time and failure messages", ok)
    # The run's warnings: the suite's system-out, a line each.
    out = s.find("system-out")
    got = out.text.split("\n") if out is not None and out.text else []
    check(tag + " junit suite system-out carries the report's warnings",
          got == ["Warning: " + w for w in rep.get("warnings", [])], got)


def gradescope(rep, path, tag):
    doc = json.load(open(path))
    validate(tag + " gradescope results.json matches Gradescope's spec", doc,
             "gradescope-results.schema.json")
    check(tag + " gradescope score is the report's", doc["score"] == rep["score"],
          (doc["score"], rep["score"]))
    tests = doc.get("tests", [])
    check(tag + " gradescope has one test per check", len(tests) == len(rep["checks"]))
    vis_ok = all(t["visibility"] == c.get("visibility", "visible") for t, c in zip(tests, rep["checks"]))
    check(tag + " gradescope passes each check's visibility through", vis_ok)
    st_ok = all((t["status"] == "passed") == (c["status"] == "pass") and t["score"] == c["points"]
                and t["max_score"] == c["max_points"] for t, c in zip(tests, rep["checks"]))
    check(tag + " gradescope per-test status and scores match", st_ok)
    check(tag + " gradescope carries suite_sha256 and commit",
          doc["extra_data"]["suite_sha256"] == rep["challenge"]["suite_sha256"] and
          doc["extra_data"]["commit"] == (rep["submission"]["commit"] or ""))
    # The top-level output, which every student sees: each warning after
    # the summary.
    check(tag + " gradescope output carries the report's warnings",
          all("\n\nWarning: " + w in doc["output"] for w in rep.get("warnings", [])), doc["output"])


def classroom(rep, path, tag):
    # As the grading reporter does (src/main.js): the step output is put in
    # the env var <ID>_RESULTS, base64-decoded, JSON-parsed.
    env = {"GRADER_RESULTS": open(path).read().strip()}
    runners = ["grader"]
    results = []
    for r in runners:
        encoded = env[r.strip().upper() + "_RESULTS"]
        results.append({"runner": r, "results": json.loads(base64.b64decode(encoded).decode("utf-8"))})
    payload = results[0]["results"]
    validate(tag + " classroom payload is version 1 as the reporter reads it", payload,
             "classroom-payload.schema.json")
    # The Classroom total (src/notify-classroom.js): sum of tests[].score over
    # runners whose max_score is non-zero, against the sum of max_score.
    total = maxp = 0
    for r in results:
        if not r["results"]["max_score"]:
            continue
        maxp += r["results"]["max_score"]
        for t in r["results"]["tests"]:
            total += t["score"]
    notice = "Points %s/%s" % (total, maxp)
    want = "Points %d/%d" % (rep["score"], rep["max_score"])
    check(tag + " classroom reporter computes the report's points (%s)" % notice, notice == want,
          "%s, expected %s" % (notice, want))
    # The step fails when a runner reports fail or error.
    full = rep["status"] == "graded" and all(c["status"] == "pass" for c in scored(rep))
    check(tag + " classroom status fails the step exactly when a scored check did not pass",
          (payload["status"] == "pass") == full, payload["status"])
    byid = {c["id"]: c for c in rep["checks"]}
    ok = all(t["score"] == byid[t["test_code"]]["points"] for t in payload["tests"] if t["test_code"] in byid)
    check(tag + " classroom per-check scores are the report's", ok)


class Cells(html.parser.HTMLParser):
    """Rows of table cells (text), and every element seen outside code."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.cell, self.tags = [], None, None, []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr":
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def markdown(rep, path, tag):
    # GitHub renders job summaries and comments with cmark-gfm (tables on).
    out = subprocess.run(["cmark-gfm", "-e", "table", "--unsafe", path], capture_output=True,
                         text=True, check=True).stdout
    p = Cells()
    p.feed(out)
    body = [r for r in p.rows[1:]]
    check(tag + " markdown is a table with a row per check and 4 cells each",
          len(body) == len(rep["checks"]) and all(len(r) == 4 for r in body),
          out[:2000])
    unsafe = {"script", "a", "img", "strong", "em", "iframe", "b"} & set(p.tags)
    check(tag + " markdown: no markup, link or HTML comes out of a message", not unsafe, unsafe)
    ok = True
    for r, c in zip(body, rep["checks"]):
        if c["id"] not in r[0]:
            ok = False
        if c["max_points"] and "%d/%d" % (c["points"], c["max_points"]) != r[2].strip():
            ok = False
        if c["status"] not in r[1]:
            want = "warn" if c["max_points"] == 0 else c["status"]
            ok = ok and want in r[1]
    check(tag + " markdown rows show id, status and points", ok, body[:3])
    if rep["status"] == "graded":
        check(tag + " markdown heading shows the score",
              "%d/%d" % (rep["score"], rep["max_score"]) in out.split("\n")[0])
    else:
        check(tag + " markdown shows the diagnosis in a code block",
              "<pre><code" in out and rep["status"] in out)
    # The warnings under their own heading, each read as the text it is
    # (escaped, so "`manage.py migrate`" or "<b>" stays literal).
    want = rep.get("warnings", [])
    items = re.findall(r"<h4>Warnings</h4>\s*<ul>(.*?)</ul>", out, re.S)
    said = [html.unescape(i) for i in re.findall(r"<li>(.*?)</li>", items[0], re.S)] if items else []
    check(tag + " markdown lists the report's warnings as text",
          said == want and (bool(items) == bool(want)), out[-1500:])
    check(tag + " markdown states suite_sha256 and commit",
          rep["challenge"]["suite_sha256"] in out and (rep["submission"]["commit"] or "-") in out)
    return body


def shields(rep, path, tag):
    doc = json.load(open(path))
    validate(tag + " shields endpoint object matches shields.io's", doc, "shields-endpoint.schema.json")
    if rep["status"] == "graded":
        pct = 100.0 * rep["score"] / rep["max_score"]
        want = ("brightgreen" if pct >= 100 else "green" if pct >= 80 else "yellowgreen" if pct >= 60
                else "yellow" if pct >= 40 else "orange" if pct >= 20 else "red")
        check(tag + " shields message and colour follow the score",
              doc["message"] == "%d/%d" % (rep["score"], rep["max_score"]) and doc["color"] == want, doc)
    else:
        check(tag + " shields says the run was not graded",
              doc["message"] == rep["status"] and doc.get("isError") is True, doc)


def badge(rep, path, tag):
    root = ET.parse(path).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    check(tag + " badge is an SVG document", root.tag == ns + "svg", root.tag)
    title = root.find(ns + "title").text
    desc = root.find(ns + "desc").text
    commit = rep["submission"]["commit"]
    check(tag + " badge title and desc carry commit and suite_sha256",
          (commit is None or (commit[:12] in title and commit in desc)) and
          rep["challenge"]["suite_sha256"] in desc and rep["challenge"]["suite_sha256"][:12] in title,
          title + "\n" + desc)
    texts = [t.text for t in root.iter(ns + "text")]
    want = "%d/%d" % (rep["score"], rep["max_score"]) if rep["status"] == "graded" else rep["status"]
    check(tag + " badge shows the score and the challenge's title",
          want in texts and any(rep["challenge"]["title"][:20] in (t or "") for t in texts), texts)


# The reader of each format other tools read (text and json are read back
# by the grader itself: test_report.c, convert). `formats_readers.py --list`
# prints their names; test_formats.sh fails on a format of the grader's
# table without one.
READERS = {"junit": junit, "gradescope": gradescope, "classroom": classroom, "markdown": markdown,
           "shields": shields, "badge": badge}


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(READERS))
        return
    fmt, report, out = sys.argv[1:4]
    secrets = [sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == "--secret"]
    rep = json.load(open(report))
    tag = os.path.basename(report).replace(".json", "")
    READERS[fmt](rep, out, tag)
    if secrets:
        text = open(out, "rb").read()
        if fmt == "classroom":
            text = base64.b64decode(text.strip())
        leaked = [s for s in secrets if s.encode() in text]
        check(tag + " " + fmt + " withholds hidden messages", not leaked, leaked)
    sys.exit(1 if failed else 0)


main()
