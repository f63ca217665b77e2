"""A tiny Python package index on 127.0.0.1 for the pin-relaxing tests.

  pyindex.py make DIR          fake releases of `relaxdemo` and `okdemo` into DIR
  PYTHON pyindex.py repack DIR DIST...
                               wheels of pure-Python distributions installed in
                               PYTHON's environment (Django from the test
                               runtime), into DIR: an index that serves a real
                               Django without leaving the machine
  pyindex.py serve DIR PORTFILE LOGFILE
                               serve DIR as a simple index: PEP 691 JSON when
                               asked for it, else PEP 503 HTML, at
                               http://127.0.0.1:PORT/simple/; files at /files/.
                               The port is written to PORTFILE, each request's
                               path appended to LOGFILE. /html/ is the same
                               index as HTML only, with relaxdemo 1.1 yanked
                               and 1.2 requiring Python >= 3.99.

The releases (for the interpreter that runs `make`):
  relaxdemo 0.9  py3-none-any wheel
  relaxdemo 1.0  an sdist that cannot build, and a wheel for CPython 2.7 only:
                 no wheel for this Python (what psycopg2-binary 2.9.3 is on 3.11)
  relaxdemo 1.1  a wheel tagged for this very interpreter (cpXY-cpXY-manylinux)
  relaxdemo 1.2  py3-none-any wheel
  okdemo    2.0  py3-none-any wheel (installs as pinned)
  sdistdemo 1.0  py3-none-any wheel; 2.0 an sdist alone, which builds offline
  backports.zoneinfo 0.2.1  an sdist that cannot build and a CPython 3.8 wheel
Every module says which release it is: relaxdemo.VERSION.
"""

import base64
import hashlib
import http.server
import io
import json
import os
import platform
import re
import sys
import tarfile
import zipfile


def wheel(dirname, name, version, tag):
    files = {
        f"{name}/__init__.py": f"VERSION = {version!r}\n".encode(),
        f"{name}-{version}.dist-info/METADATA":
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{name}-{version}.dist-info/WHEEL":
            f"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: {tag}\n".encode(),
    }
    rec = "".join("%s,sha256=%s,%d\n" % (n, base64.urlsafe_b64encode(hashlib.sha256(b).digest())
                                         .rstrip(b"=").decode(), len(b)) for n, b in files.items())
    rec += f"{name}-{version}.dist-info/RECORD,,\n"
    with zipfile.ZipFile(os.path.join(dirname, f"{name}-{version}-{tag}.whl"), "w") as z:
        for n, b in files.items():
            z.writestr(n, b)
        z.writestr(f"{name}-{version}.dist-info/RECORD", rec)


def tar_gz(path, members):
    """A .tar.gz of `members`, {name: text}."""
    with tarfile.open(path, "w:gz") as t:
        for n, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(n)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))


def sdist(dirname, name, version):
    """An sdist whose build fails, as psycopg2's does without pg_config."""
    members = {
        f"{name}-{version}/PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{name}-{version}/setup.py": "raise SystemExit('Error: pg_config executable not found.')\n",
    }
    tar_gz(os.path.join(dirname, f"{name}-{version}.tar.gz"), members)


BACKEND = """import base64, hashlib, os, zipfile

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name, version = %r, %r
    files = {
        name + "/__init__.py": ("VERSION = %%r\\n" %% version).encode(),
        name + "-" + version + ".dist-info/METADATA":
            ("Metadata-Version: 2.1\\nName: " + name + "\\nVersion: " + version + "\\n").encode(),
        name + "-" + version + ".dist-info/WHEEL":
            b"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    }
    rec = "".join("%%s,sha256=%%s,%%d\\n" %% (n, base64.urlsafe_b64encode(hashlib.sha256(b).digest())
                                         .rstrip(b"=").decode(), len(b)) for n, b in files.items())
    rec += name + "-" + version + ".dist-info/RECORD,,\\n"
    fn = name + "-" + version + "-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, fn), "w") as z:
        for n, b in files.items():
            z.writestr(n, b)
        z.writestr(name + "-" + version + ".dist-info/RECORD", rec)
    return fn
"""


def buildable_sdist(dirname, name, version):
    """An sdist that builds offline: an in-tree PEP 517 backend, no build
    requirements (a pure-Python release published without a wheel)."""
    members = {
        f"{name}-{version}/PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{name}-{version}/pyproject.toml":
            '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n',
        f"{name}-{version}/backend.py": BACKEND % (name, version),
    }
    tar_gz(os.path.join(dirname, f"{name}-{version}.tar.gz"), members)


def make(dirname):
    os.makedirs(dirname, exist_ok=True)
    own = "cp%d%d" % sys.version_info[:2]
    arch = platform.machine()
    wheel(dirname, "relaxdemo", "0.9", "py3-none-any")
    sdist(dirname, "relaxdemo", "1.0")
    wheel(dirname, "relaxdemo", "1.0", f"cp27-cp27mu-manylinux1_{arch}")
    wheel(dirname, "relaxdemo", "1.1", f"{own}-{own}-manylinux_2_17_{arch}.manylinux2014_{arch}")
    wheel(dirname, "relaxdemo", "1.2", "py3-none-any")
    wheel(dirname, "okdemo", "2.0", "py3-none-any")
    # A pure-Python library whose newest release is an sdist alone
    # (djangorestframework-camel-case 1.4.2, h390).
    wheel(dirname, "sdistdemo", "1.0", "py3-none-any")
    buildable_sdist(dirname, "sdistdemo", "2.0")
    # A backport of a module Python 3.9+ has: wheels for 3.8 at most.
    sdist(dirname, "backports.zoneinfo", "0.2.1")
    wheel(dirname, "backports.zoneinfo", "0.2.1", f"cp38-cp38-manylinux1_{arch}")


def repack(dirname, dists):
    """A py3-none-any wheel of each installed pure-Python distribution."""
    import importlib.metadata
    os.makedirs(dirname, exist_ok=True)
    skip = {"INSTALLER", "REQUESTED", "RECORD", "direct_url.json", "uv_cache.json"}
    for name in dists:
        d = importlib.metadata.distribution(name)
        norm = re.sub(r"[-_.]+", "_", d.metadata["Name"]).lower()
        files = {}
        for f in d.files:
            rel = str(f)
            if rel.startswith("..") or "__pycache__" in rel or rel.endswith(".pyc") \
                    or rel.rsplit("/", 1)[-1] in skip:
                continue
            files[rel] = f.locate().read_bytes()
        info = next(r.split("/")[0] for r in files if ".dist-info/" in r)
        rec = "".join("%s,sha256=%s,%d\n" % (n, base64.urlsafe_b64encode(hashlib.sha256(b).digest())
                                             .rstrip(b"=").decode(), len(b)) for n, b in files.items())
        rec += f"{info}/RECORD,,\n"
        with zipfile.ZipFile(os.path.join(dirname, f"{norm}-{d.version}-py3-none-any.whl"), "w") as z:
            for n, b in files.items():
                z.writestr(n, b)
            z.writestr(f"{info}/RECORD", rec)


def serve(dirname, portfile, logfile):
    class Index(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def send(self, code, ctype, body):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self):
            # uv asks for a wheel's size first (no Accept-Ranges: it then
            # downloads the whole file).
            self.do_GET()

        def do_GET(self):
            with open(logfile, "a") as f:
                f.write(self.path + "\n")
            parts = [p for p in self.path.split("?")[0].split("/") if p]
            if len(parts) == 2 and parts[0] == "files" and os.path.isfile(os.path.join(dirname, parts[1])):
                with open(os.path.join(dirname, parts[1]), "rb") as f:
                    return self.send(200, "application/octet-stream", f.read())
            if len(parts) != 2 or parts[0] not in ("simple", "html"):
                return self.send(404, "text/plain", b"not found\n")
            project = parts[1]
            names = sorted(n for n in os.listdir(dirname)
                           if re.sub(r"[-_.]+", "-", n).lower().startswith(project + "-"))
            if not names:
                return self.send(404, "text/plain", b"not found\n")
            files = []
            for n in names:
                with open(os.path.join(dirname, n), "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
                files.append({"filename": n, "url": f"/files/{n}", "hashes": {"sha256": digest}})
            if parts[0] == "html":
                # HTML only (an index without PEP 691), where relaxdemo 1.1
                # is yanked and 1.2 needs a Python no one has: the nearest
                # release left is the older 0.9.
                def attrs(n):
                    if n.startswith("relaxdemo-1.1-"):
                        return ' data-yanked="broken build"'
                    if n.startswith("relaxdemo-1.2-"):
                        return ' data-requires-python="&gt;=3.99"'
                    return ""
                links = "".join(f'<a href="{f["url"]}"{attrs(f["filename"])}>{f["filename"]}</a><br>\n'
                                for f in files)
                return self.send(200, "text/html", f"<html><body>\n{links}</body></html>\n".encode())
            if "application/vnd.pypi.simple.v1+json" in self.headers.get("Accept", ""):
                body = json.dumps({"meta": {"api-version": "1.0"}, "name": project, "files": files})
                return self.send(200, "application/vnd.pypi.simple.v1+json", body.encode())
            links = "".join(f'<a href="{f["url"]}#sha256={f["hashes"]["sha256"]}">{f["filename"]}</a><br>\n'
                            for f in files)
            self.send(200, "text/html", f"<!DOCTYPE html><html><body>\n{links}</body></html>\n".encode())

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Index)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    srv.serve_forever()


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    elif sys.argv[1] == "repack":
        repack(sys.argv[2], sys.argv[3:])
    else:
        serve(sys.argv[2], sys.argv[3], sys.argv[4])
