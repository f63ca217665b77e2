#!/usr/bin/env bash
# tests/hostile/make.sh CASE DEST - write one hostile case into DEST (a new
# folder): the e-commerce reference solution plus ONE hostile change (issue 4
# item 7), in the settings, an app's ready(), a migration's RunPython or a
# view. tests/e2e/test_hostile.sh grades each end to end in the sandbox.
#
#   make.sh --list        the case names, one a line
#
# Most probes end by failing the boot on purpose with a one-line verdict
# ("HOSTILE-PROBE blocked: ..." or "HOSTILE-PROBE ESCAPED: ...", see
# hostile.py), so the report's diagnosis proves the probe ran and says what it
# met. Every loop is bounded (a few thousand forks or threads, 8 GiB of
# memory, 4 GiB of output or file) so that a broken sandbox cannot take the
# machine down; nothing ever calls kill(-1) or touches a non-loopback address.
#
# What a case needs from the test comes through the environment and is
# written to hostile.json beside manage.py (read-only inside the sandbox):
#   HOSTILE_MARK        unique tag (daemons carry it in argv; the test looks
#                       for it on the host afterwards)
#   HOSTILE_OUTSIDE     a folder outside the checkout holding victim.txt,
#                       victimdir/, other/marker, home/.marker, grader.pid
#   HOSTILE_TCP_PORT, HOSTILE_UDP_PORT, HOSTILE_ABSTRACT, HOSTILE_UNIX_PATH
#                       the test's listeners on the HOST's loopback
#   HOSTILE_CANARY      a value the test puts in the grader's environment
#   HOSTILE_HOME        the grader's home folder (holds .marker)
#   HOSTILE_HTTP_PORT   install_url: the test's HTTP server on the host's
#                       loopback, serving HOSTILE_SDIST_DIR
#   HOSTILE_SDIST_DIR   install_url: where the case writes evilpkg's sdist
#   HOSTILE_CACHES      the grader caches the install probe tries to poison
#                       (colon-separated)
# The grader's pid goes into grader.pid in the checkout, written and
# committed by the test right before it execs the grader (same pid).
#
# Issue 8's cases: memory_shm (memfd, SysV shm and tmpfs pages no RLIMIT_AS
# sees), disk_flood (a view filling the state folder with bytes and files),
# app_flood (the same into the project folder, the app's copy of its checkout),
# log_fifo / log_symlink / log_sparse (the app log swapped for something that
# hangs or misleads the grader), socket_families (AF_VSOCK and friends),
# learn_host (what PID 1's command line and mountinfo tell), deep_commit
# and deep_runtime (folders 300 deep, committed, and made at run time).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SOL=$ROOT/challenges/ecommerce-api/solution
CASES="fork_procs fork_threads memory_hog cpu_loop_import loop_migrate never_binds
loop_view silent_view daemons symlinks symlink_config symlink_routes read_host net_loopback
kill_grader stdout_flood file_flood install_url install_local reference clone_files clone_deep
memory_shm disk_flood app_flood log_fifo log_symlink log_sparse socket_families learn_host deep_commit deep_runtime"

if [ "${1:-}" = --list ]; then
	printf '%s\n' $CASES
	exit 0
fi
[ $# -eq 2 ] || { echo "usage: $0 CASE DEST | --list" >&2; exit 2; }
CASE=$1 DEST=$2
case " $(echo $CASES) " in *" $CASE "*) ;; *) echo "unknown case: $CASE" >&2; exit 2 ;; esac
[ ! -e "$DEST" ] || { echo "$DEST exists" >&2; exit 2; }

mkdir -p "$DEST"
cp -a "$SOL/." "$DEST/"
cd "$DEST"
S=config/settings.py
cp "$HERE/hostile.py" config/hostile.py
OUT=${HOSTILE_OUTSIDE:-/nonexistent-hostile-outside}
python3 - "$OUT" <<'PY' >hostile.json
import json, os, sys
print(json.dumps({
    "mark": os.environ.get("HOSTILE_MARK", "HOSTILE-MARK-unset"),
    "outside": sys.argv[1],
    "tcp_port": int(os.environ.get("HOSTILE_TCP_PORT", "1")),
    "udp_port": int(os.environ.get("HOSTILE_UDP_PORT", "1")),
    "abstract": os.environ.get("HOSTILE_ABSTRACT", "hostile-unset"),
    "unix_path": os.environ.get("HOSTILE_UNIX_PATH", "/nonexistent-hostile.sock"),
    "canary": os.environ.get("HOSTILE_CANARY", "hostile-canary-unset"),
    "home": os.environ.get("HOSTILE_HOME", "/root"),
}, indent=1))
PY
echo 0 >grader.pid

# The app's ready() hook, with BODY (stdin) as its code.
ready_hook() {
	{
		cat <<'PY'
from django.apps import AppConfig


class ShopConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "shop"

    def ready(self):
        from config import hostile as H  # noqa: F401
PY
		sed 's/^/        /'
	} >shop/apps.py
}

# evilpkg DIR: a package whose in-tree build backend is the install-time
# probe (evil_backend.py), with the targets it needs.
evilpkg() {
	mkdir -p "$1"
	cp "$HERE/evil_backend.py" "$1/evil_backend.py"
	printf '[build-system]\nrequires = []\nbuild-backend = "evil_backend"\nbackend-path = ["."]\n\n[project]\nname = "evilpkg"\nversion = "1.0"\n' \
		>"$1/pyproject.toml"
	python3 - "$OUT" >"$1/targets.json" <<'PY'
import json, os, sys
print(json.dumps({
    "outside": sys.argv[1],
    "home": os.environ.get("HOSTILE_HOME", "/root"),
    "canary": os.environ.get("HOSTILE_CANARY", "hostile-canary-unset"),
    "caches": [c + "/envs" for c in os.environ.get("HOSTILE_CACHES", "").split(":") if c],
    "tcp_port": int(os.environ.get("HOSTILE_TCP_PORT", "1")),
    "mark": os.environ.get("HOSTILE_MARK", "HOSTILE-MARK-unset"),
}))
PY
}

case $CASE in
install_url)
	# The probe in an sdist fetched by URL from the test's server on the
	# host's loopback: with the host's network it was downloaded and built
	# (and, without an install sandbox, ran on the host as the grader,
	# poisoning the shared environments: issue 8 item 2). The install's own
	# network does not reach the host's loopback: refused.
	evilpkg "$DEST/.evilpkg-src"
	SD=${HOSTILE_SDIST_DIR:-$DEST/.sdist}
	mkdir -p "$SD"
	tar -C "$DEST/.evilpkg-src" --transform 's,^\.,evilpkg-1.0,' -czf "$SD/evilpkg-1.0.tar.gz" .
	rm -rf "$DEST/.evilpkg-src"
	printf -- 'evilpkg @ http://127.0.0.1:%s/evilpkg-1.0.tar.gz\n' \
		"${HOSTILE_HTTP_PORT:-1}" >requirements.txt
	;;
install_local)
	# The same probe as a local-path requirement (./evilpkg): a form pip
	# accepts, built from the checkout, inside the install sandbox.
	evilpkg "$DEST/evilpkg"
	printf -- './evilpkg\n' >requirements.txt
	;;
reference)
	# The untouched solution: graded after the install probes, it must
	# still score 100 (nothing it runs was poisoned).
	;;
clone_files)
	# A checkout of 3000 small files (the test lowers the file cap with
	# --max-checkout-files; the default is 20000): refused before any is
	# written (issue 8 item 7).
	mkdir -p assets/bomb
	for i in $(seq 3000); do echo "$i" >"assets/bomb/f$i.txt"; done
	;;
clone_deep)
	# Folders 100 deep, over the default depth cap of 64.
	d=assets
	for i in $(seq 100); do d=$d/d; done
	mkdir -p "$d"
	echo deep >"$d/leaf.txt"
	;;
fork_procs)
	# A fork bomb at import: up to 3000 children, each sleeping forever.
	cat >>$S <<'PY'

from config import hostile as H


def _fork(i):
    if H.os.fork() == 0:
        try:
            H.sleep_forever()
        finally:
            H.os._exit(0)


_n, _e = H.bounded(3000, _fork)
raise RuntimeError("HOSTILE-PROBE fork bomb: %d children, then %r" % (_n, _e))
PY
	;;
fork_threads)
	# The thread flavour: up to 3000 threads blocked on an Event, with small
	# stacks (with the default 8 MiB each, the address-space limit would
	# refuse them before the process limit does).
	cat >>$S <<'PY'

import threading
from config import hostile as H

threading.stack_size(256 << 10)
_stop = threading.Event()
_n, _e = H.bounded(3000, lambda i: threading.Thread(target=_stop.wait, daemon=True).start())
raise RuntimeError("HOSTILE-PROBE thread bomb: %d threads, then %r" % (_n, _e))
PY
	;;
memory_hog)
	# Up to 8 GiB in 64 MiB steps, every page written (b"x" * n memsets).
	cat >>$S <<'PY'

from config import hostile as H

_hog = []
_n, _e = H.bounded(128, lambda i: _hog.append(b"\x01" * (64 << 20)))
del _hog
raise RuntimeError("HOSTILE-PROBE memory hog: %d x 64 MiB, then %r" % (_n, _e))
PY
	;;
cpu_loop_import)
	# A busy loop while the settings load: the boot times out (phase import).
	# It first lowers its own CPU limit to 1 s, which a sandbox cannot
	# prevent and must report as such: the profiles' CPU limits (60 s and
	# more) are too long for a test, this one shows the cpu verdict. One
	# second, not three: on a loaded machine (2 cores shared with other
	# grades) three seconds of CPU took longer than the 8 s boot timeout,
	# and the wall limit was reported instead.
	cat >>$S <<'PY'

import resource

resource.setrlimit(resource.RLIMIT_CPU, (1, resource.getrlimit(resource.RLIMIT_CPU)[1]))
while True:
    pass
PY
	;;
loop_migrate)
	# A data migration that never ends (a busy loop in RunPython).
	cat >shop/migrations/0002_spin.py <<'PY'
from django.db import migrations


def spin(apps, schema_editor):
    while True:
        pass


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [migrations.RunPython(spin, migrations.RunPython.noop)]
PY
	;;
never_binds)
	# ready() blocks forever (not busy): the server is never started.
	ready_hook <<'PY'
import threading
threading.Event().wait()
PY
	;;
loop_view)
	# The product list spins forever: those checks error, the run completes.
	cat >>shop/views.py <<'PY'


def _spin(self, request, *args, **kwargs):
    while True:
        pass


ProductViewSet.list = _spin
PY
	;;
silent_view)
	# The product list accepts and never answers (sleeps forever).
	cat >>shop/views.py <<'PY'


def _silent(self, request, *args, **kwargs):
    import time
    while True:
        time.sleep(3600)


ProductViewSet.list = _silent
PY
	;;
daemons)
	# Daemons that double-fork, setsid, chdir / and ignore SIGTERM/SIGHUP,
	# plus a setsid child; then the app boots normally (graded 100). They
	# must be gone after grading.
	ready_hook <<'PY'
import os
mark = H.TARGETS["mark"]
for _ in range(3):
    H.daemonize(mark)
if os.fork() == 0:
    try:
        os.setsid()
        os.execv("/bin/sleep", ["/bin/sleep", "100000", mark])
    finally:
        os._exit(0)
PY
	;;
symlinks)
	# Symlinks in the checkout to /etc/shadow and to files and a folder
	# outside it; the app reads through them. After grading the outside
	# files must still be there (removal never follows a link).
	ln -s /etc/shadow leak_shadow
	ln -s "$OUT/victim.txt" leak_outside
	ln -s "$OUT/victimdir" leak_dir
	ln -s "$OUT/victimdir" shop/static
	ln -s / leak_root
	cat >>$S <<'PY'

from config import hostile as H

_r = [H.read_probe(BASE_DIR / n) for n in ("leak_shadow", "leak_outside", "leak_dir/keep.txt",
                                           "shop/static/keep.txt", "leak_root/etc/shadow")]
H.finish(_r)
PY
	;;
symlink_config)
	# A file the GRADER reads from the checkout (to pick the environment)
	# is a symlink to /etc/shadow.
	ln -s /etc/shadow requirements.txt
	;;
symlink_routes)
	# The same with grader.yaml, the route map the grader reads.
	ln -s /etc/shadow grader.yaml
	;;
read_host)
	# Reading the host: /etc/shadow, the grader's home and ~, root's home,
	# another submission's checkout, the grader's pid file and its
	# /proc/PID/environ, and every /proc/*/environ for the canary the test
	# put in the grader's environment.
	cat >>$S <<'PY'

import glob
from config import hostile as H

_t, _pid = H.TARGETS, H.grader_pid()
_r = [H.read_probe(p) for p in (
    "/etc/shadow", "/etc/gshadow", "/root/.bashrc", "/root/.profile",
    H.os.path.join(_t["home"], ".marker"), H.os.path.expanduser("~/.marker"),
    H.os.path.join(_t["outside"], "other", "marker"), H.os.path.join(_t["outside"], "grader.pid"),
    "/proc/%d/environ" % _pid, "/proc/%d/cmdline" % _pid, "/proc/1/environ",
    "/proc/%d/root/etc/shadow" % _pid, "/proc/1/root/etc/shadow")]
_seen = [p for p in glob.glob("/proc/[0-9]*/environ") + glob.glob("/proc/[0-9]*/cmdline")
         if H.read_probe(p)[0] and _t["canary"].encode() in open(p, "rb").read()]
_r.append((bool(_seen), "canary in %s" % (_seen or "no /proc/*/environ")))
_r.append((_t["canary"] in str(dict(H.os.environ)), "canary not in os.environ"))
_r.append((H.os.path.exists(_t["outside"]), "%s: not visible" % _t["outside"]))
H.finish(_r)
PY
	;;
net_loopback)
	# The host's loopback listeners (the test's): TCP on 127.0.0.1 and ::1,
	# UDP, an abstract and a pathname Unix socket. Each must be unreachable
	# (the listener records anything that arrives).
	cat >>$S <<'PY'

from config import hostile as H

_t, S = H.TARGETS, H.socket


def _try(desc, family, kind, addr, dgram=False):
    s = S.socket(family, kind)
    s.settimeout(2)
    try:
        if dgram:
            for _ in range(3):
                s.sendto(b"HOSTILE-UDP " + _t["mark"].encode(), addr)
            return False, "%s: sent into the sandbox's own loopback" % desc
        s.connect(addr)
        s.sendall(b"HOSTILE-TCP " + _t["mark"].encode())
        return True, "%s: connected" % desc
    except OSError as e:
        return False, "%s: %s" % (desc, type(e).__name__)
    finally:
        s.close()


H.finish([
    _try("tcp 127.0.0.1", S.AF_INET, S.SOCK_STREAM, ("127.0.0.1", _t["tcp_port"])),
    _try("tcp ::1", S.AF_INET6, S.SOCK_STREAM, ("::1", _t["tcp_port"])),
    _try("udp 127.0.0.1", S.AF_INET, S.SOCK_DGRAM, ("127.0.0.1", _t["udp_port"]), dgram=True),
    _try("unix abstract", S.AF_UNIX, S.SOCK_STREAM, "\0" + _t["abstract"]),
    _try("unix path", S.AF_UNIX, S.SOCK_STREAM, _t["unix_path"]),
])
PY
	;;
kill_grader)
	# Signals at the sandbox's PID 1 (our parent) and at the grader's real
	# pid (read from the checkout). Never kill(-1).
	cat >>$S <<'PY'

from config import hostile as H

_pid, _r = H.grader_pid(), []
for _who, _sig in ((H.os.getppid(), H.signal.SIGKILL), (1, H.signal.SIGTERM), (1, H.signal.SIGKILL),
                   (_pid, H.signal.SIGKILL), (_pid, H.signal.SIGSTOP)):
    if _who <= 0:
        continue
    try:
        H.os.kill(_who, _sig)
        _r.append((False, "kill(%d, %s): no error" % (_who, _sig.name)))
    except OSError as e:
        _r.append((False, "kill(%d, %s): %s" % (_who, _sig.name, type(e).__name__)))
H.time.sleep(1)  # a dead PID 1 would have taken us with it
_r.append((False, "still alive, grader pid %d" % _pid))
H.finish(_r)
PY
	;;
stdout_flood)
	# 256 MiB on stdout in 4 MiB writes (256 times the log), then the
	# verdict: the log keeps its head and tail only, so the traceback at
	# the end survives. (4 GiB, then 1 GiB, took more than the 8 s boot
	# timeout on a loaded 2-core machine: a timed-out run, not the case's
	# verdict; 1 GiB did so on 2026-12-03 beside eight busy helpers.)
	cat >>$S <<'PY'

from config import hostile as H

_chunk = b"HOSTILE-FLOOD " * ((4 << 20) // 14) + b"\n"
_n, _e = H.bounded(64, lambda i: H.os.write(1, _chunk))
raise RuntimeError("HOSTILE-PROBE flood done: %d x 4 MiB, then %r" % (_n, _e))
PY
	;;
file_flood)
	# Up to 4 GiB into a file in the app's own (writable) media folder.
	ready_hook <<'PY'
import os
from django.conf import settings
path = os.path.join(str(settings.MEDIA_ROOT), "flood.bin")
chunk = b"\0" * (1 << 20)
with open(path, "wb", buffering=0) as f:
    n, e = H.bounded(4096, lambda i: f.write(chunk))
raise RuntimeError("HOSTILE-PROBE file flood: %d MiB, then %r" % (n, e))
PY
	;;
memory_shm)
	# Up to 4 GiB held through memfds (each filled to the file-size
	# limit), SysV segments (written, then detached) and files in /tmp:
	# none of it is in any process's address space. Progress goes to
	# stdout ("HOSTILE held N MiB"), so the last line the app printed
	# before it was killed tells how much it ever held.
	ready_hook <<'PY'
import ctypes, errno, os
held, notes = [0], []
def note(n):
    held[0] += n
    print("HOSTILE held %d MiB" % (held[0] >> 20), flush=True)
chunk = b"\x01" * (1 << 20)
fds = []
try:
    while held[0] < (4 << 30):
        fds.append(os.memfd_create("hog"))
        while held[0] < (4 << 30):
            try:
                note(os.write(fds[-1], chunk))
            except OSError as e:
                if e.errno != errno.EFBIG:
                    raise
                break
except OSError as e:
    notes.append("memfd: %s" % type(e).__name__)
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmdt.argtypes = [ctypes.c_void_p]
while held[0] < (8 << 30):
    sid = libc.shmget(0, 32 << 20, 0o1600)
    if sid < 0:
        notes.append("shm: %s" % os.strerror(ctypes.get_errno()))
        break
    a = libc.shmat(sid, None, 0)
    ctypes.memset(a, 1, 32 << 20)
    libc.shmdt(a)
    note(32 << 20)
try:
    for i in range(4096):
        with open("/tmp/hog%d" % i, "wb") as f:
            for _ in range(32):
                note(f.write(chunk))
except OSError as e:
    notes.append("tmp: %s" % e.strerror)
raise RuntimeError("HOSTILE-PROBE memory: held %d MiB; %s" % (held[0] >> 20, "; ".join(notes)))
PY
	;;
disk_flood)
	# The product list writes 1.2 GiB into the media folder (32 MiB files,
	# the file-size limit), then 20,000 empty files: the state folder must
	# fill up (ENOSPC) long before, on a tmpfs of the run, not on the
	# host's disk. The view then fails; the run completes.
	cat >>shop/views.py <<'PY'


def _flood(self, request, *args, **kwargs):
    import os
    from django.conf import settings
    d = os.path.join(str(settings.MEDIA_ROOT), "flood")
    os.makedirs(d, exist_ok=True)
    chunk, wrote, made, errs = b"\0" * (1 << 20), 0, 0, []
    try:
        for i in range(40):
            with open(os.path.join(d, "big%d" % i), "wb") as f:
                for _ in range(32):
                    wrote += f.write(chunk)
    except OSError as e:
        errs.append("bytes: %s" % e.strerror)
    for i in range(40):
        try:
            os.unlink(os.path.join(d, "big%d" % i))
        except OSError:
            pass
    try:
        for i in range(20000):
            open(os.path.join(d, "f%d" % i), "w").close()
            made += 1
    except OSError as e:
        errs.append("files: %s" % e.strerror)
    raise RuntimeError("HOSTILE-PROBE disk flood: %d MiB, %d files; %s" % (wrote >> 20, made, errs))


ProductViewSet.list = _flood
PY
	;;
app_flood)
	# The same flood into the project folder itself (the app's writable
	# copy of its checkout): 1.2 GiB in 32 MiB files, then 20,000 empty
	# files. Those writes must land on a capped tmpfs of the run (the
	# copy is the lower layer of an overlay), not on the host's disk
	# beneath the workspace.
	cat >>shop/views.py <<'PY'


def _flood(self, request, *args, **kwargs):
    import os
    from django.conf import settings
    d = os.path.join(str(settings.BASE_DIR), "flood")
    os.makedirs(d, exist_ok=True)
    chunk, wrote, made, errs = b"\0" * (1 << 20), 0, 0, []
    try:
        for i in range(40):
            with open(os.path.join(d, "big%d" % i), "wb") as f:
                for _ in range(32):
                    wrote += f.write(chunk)
    except OSError as e:
        errs.append("bytes: %s" % e.strerror)
    try:
        for i in range(20000):
            open(os.path.join(d, "f%d" % i), "w").close()
            made += 1
    except OSError as e:
        errs.append("files: %s" % e.strerror)
    raise RuntimeError("HOSTILE-PROBE app flood: %d MiB, %d files; %s" % (wrote >> 20, made, errs))


ProductViewSet.list = _flood
PY
	;;
log_fifo | log_symlink | log_sparse)
	# The app log used to be GRADER_STATE_DIR/app.log, writable by the app:
	# it is swapped for a FIFO (the grader hung opening it), a link to
	# /etc/shadow, or a 1 TiB sparse file, and the app dies without a boot
	# message, so the grader quotes its output. The real output (the
	# marker) must be quoted, and nothing of the swap.
	ready_hook <<PY
import os
from django.conf import settings
state = os.path.dirname(str(settings.DATABASES["default"]["NAME"]))
log = os.path.join(state, "app.log")
print("HOSTILE-LOG-MARKER the real output", flush=True)
try:
    os.unlink(log)
except OSError:
    pass
kind = "$CASE"
if kind == "log_fifo":
    os.mkfifo(log)
elif kind == "log_symlink":
    os.symlink("/etc/shadow", log)
else:
    with open(log, "wb") as f:
        try:
            f.truncate(1 << 40)
        except OSError:  # past RLIMIT_FSIZE: as large as allowed
            f.truncate(30 << 20)
os._exit(3)
PY
	;;
socket_families)
	# Families a network namespace does not isolate (AF_VSOCK reaches the
	# host's vsock ports) or that are kernel surface: creating one must
	# fail. Nothing is ever connected.
	cat >>$S <<'PY'

from config import hostile as H

S = H.socket


def _make(name, fam, kind):
    try:
        S.socket(fam, kind).close()
        return True, "%s: created" % name
    except OSError as e:
        return False, "%s: %s" % (name, H.os.strerror(e.errno))


H.finish([_make("vsock", 40, S.SOCK_STREAM), _make("packet", 17, S.SOCK_RAW),
          _make("netlink", 16, S.SOCK_RAW), _make("alg", 38, S.SOCK_SEQPACKET),
          _make("bluetooth", 31, S.SOCK_STREAM)])
PY
	;;
learn_host)
	# What PID 1's command line and the mount table tell about the host:
	# the grader's options (--challenge, --db, the source), the test's
	# folder outside the checkout, the grader's home.
	cat >>$S <<'PY'

from config import hostile as H

_t = H.TARGETS
_cmd = open("/proc/1/cmdline", "rb").read().replace(b"\0", b" ").strip().decode(errors="replace")
_mi = open("/proc/self/mountinfo").read()
_leaks = [w for w in ("--challenge", "--db", "results.sqlite3", "grade ") if w in _cmd]
_r = [(bool(_leaks), "cmdline %r%s" % (_cmd[:60], " names %s" % _leaks if _leaks else ""))]
for _name, _p in (("outside", _t["outside"]), ("home", _t["home"])):
    _r.append((_p in _mi, "mountinfo %s %s" % ("names" if _p in _mi else "does not name", _name)))
H.finish(_r)
PY
	;;
deep_commit)
	# Folders 300 deep committed in the checkout: past the app copy's cap
	# (setup-failed, naming it), and the workspace holding them must still
	# be removed (the old remover stopped at 256 and left it forever).
	d=deep
	for _ in $(seq 300); do d=$d/d; done
	mkdir -p "$d"
	echo leaf >"$d/leaf.txt"
	;;
deep_runtime)
	# Folders 300 deep made at run time in the media folder and in /tmp;
	# the app then boots normally (graded 100).
	ready_hook <<'PY'
import os
from django.conf import settings
for top in (os.path.join(str(settings.MEDIA_ROOT), "deep"), "/tmp/deep"):
    p = top
    for _ in range(300):
        p = os.path.join(p, "d")
    os.makedirs(p, exist_ok=True)
    open(os.path.join(p, "leaf.txt"), "w").close()
    os.chmod(top, 0o500)
PY
	;;
esac
