#!/usr/bin/env bash
# The boot module's entry point and its build-time bytecode (issue 13,
# docs/performance.md): run_boot.py imports grader_boot from the bytecode
# `make` wrote, and a source that changed since is compiled afresh, never run
# from stale bytecode (checked-hash pycs), even when the edit keeps the
# file's size and falls within the same second. And the garbage collector the
# boot turns off to start faster is on again, with the boot's objects frozen,
# for every request the app serves. And a project with an ImageField migrates
# in a forked child while the boot loads Pillow, with migrate's failures
# reported as in one process.
. "$(dirname "$0")/lib.sh"

# The default runtime's interpreter (what boots run), as tests/run exports it.
py=${GRADER_TEST_PYTHON:-$(command -v python3)}
boot=$ROOT/grader/boot
pyc=$("$py" -c 'import importlib.util as u, sys; print(u.cache_from_source(sys.argv[1]))' "$boot/grader_boot.py")

# One start of the boot module outside any sandbox, with no state folder: it
# fails at once, sending its error event on fd 3 (OUT.ctl); `python -v`'s
# import trace goes to OUT.err.
start_boot() {
	( cd "$WORK" && env -i PATH=/usr/bin:/bin PYTHONDONTWRITEBYTECODE=1 GRADER_CONTROL_FD=3 "$py" -v "$1/run_boot.py" \
		3>"$2.ctl" 2>"$2.err" </dev/null )
}

# Whether a -v trace shows grader_boot's code coming from its bytecode.
from_bytecode() {
	grep -qE "^# code object from '?$1/__pycache__/grader_boot\.cpython-[0-9]+\.pyc" "$2.err"
}

if [ -f "$pyc" ] && "$py" -c 'import sys; d=open(sys.argv[1],"rb").read(16); sys.exit(int.from_bytes(d[4:8],"little") != 3)' "$pyc"; then
	ok "make wrote the boot module's bytecode for $($py -V), hash-checked"
else
	notok "make wrote the boot module's bytecode for $($py -V), hash-checked" "$pyc: $(ls -l "$pyc" 2>&1)"
fi

start_boot "$boot" "$WORK/real"
if from_bytecode "$boot" "$WORK/real" && grep -q '"GRADER_STATE_DIR is not set' "$WORK/real.ctl"; then
	ok "run_boot.py runs grader_boot from its bytecode"
else
	notok "run_boot.py runs grader_boot from its bytecode" "$(cat "$WORK/real.ctl"; grep grader_boot "$WORK/real.err")"
fi

# A copy whose source changes after compiling: same size, same mtime.
copy=$WORK/boot
mkdir -p "$copy" && cp -p "$boot/run_boot.py" "$boot/grader_boot.py" "$copy/"
"$py" -m compileall -q --invalidation-mode checked-hash "$copy/grader_boot.py" >/dev/null
start_boot "$copy" "$WORK/copy"
stamp=$(stat -c %y "$copy/grader_boot.py")
sed -i 's/"GRADER_STATE_DIR is not set"/"GRADER_STATE_DIR is not SET"/' "$copy/grader_boot.py"
touch -d "$stamp" "$copy/grader_boot.py"
start_boot "$copy" "$WORK/stale"
if from_bytecode "$copy" "$WORK/copy" && ! from_bytecode "$copy" "$WORK/stale" &&
	grep -q '"GRADER_STATE_DIR is not SET' "$WORK/stale.ctl"; then
	ok "a boot module changed since its bytecode (same size and time) runs its new source"
else
	notok "a boot module changed since its bytecode (same size and time) runs its new source" \
		"$(cat "$WORK/stale.ctl"; grep grader_boot "$WORK/stale.err")"
fi

# The collector during the checks: a copy of the e-commerce reference whose
# every response becomes a 418 when a request runs with the cyclic garbage
# collector off, or with nothing frozen (the boot's objects would then be
# walked by every full collection). It scores 100 only if neither happens.
gcapp=$WORK/gcapp
mkrepo "$ROOT/challenges/ecommerce-api/solution" "$gcapp"
cat >>"$(settings_file "$gcapp")" <<'PY'

import gc as _gc
import django.http.response as _resp

_real_init = _resp.HttpResponseBase.__init__


def _gc_init(self, *args, **kwargs):
    _real_init(self, *args, **kwargs)
    if not _gc.isenabled() or _gc.get_freeze_count() == 0:
        self.status_code = 418


_resp.HttpResponseBase.__init__ = _gc_init
PY
commit_all "$gcapp"
grade "$WORK/gc.json" "$gcapp" ecommerce-api
score=$(jget "$WORK/gc.json" 'r["score"], r["status"]')
if [ "$score" = "100 graded" ]; then
	ok "the app's requests run with the garbage collector on and the boot's objects frozen"
else
	notok "the app's requests run with the garbage collector on and the boot's objects frozen" \
		"exit $rc, score $score: $(tail -n 5 "$WORK/gc.json.err")"
fi

# A project with an ImageField migrates in a forked child while the boot
# loads Pillow's plugins (issue 13, docs/performance.md: the first upload
# paid 70-100 ms for them): a copy of the recipe reference whose every
# response becomes a 418 unless Pillow is initialised when the request
# runs, so its first page (before any upload) shows whether the boot did
# it. It scores 100 only if so.
warm=$WORK/warmapp
mkrepo "$ROOT/challenges/recipe-platform/solution" "$warm"
cat >>"$(settings_file "$warm")" <<'PY'

import sys as _sys
import django.http.response as _resp

_real_init = _resp.HttpResponseBase.__init__


def _warm_init(self, *args, **kwargs):
    _real_init(self, *args, **kwargs)
    image = _sys.modules.get("PIL.Image")
    if image is None or getattr(image, "_initialized", 0) < 2:
        self.status_code = 418


_resp.HttpResponseBase.__init__ = _warm_init
PY
commit_all "$warm"
grade "$WORK/warm.json" "$warm" recipe-platform
score=$(jget "$WORK/warm.json" 'r["score"], r["status"]')
if [ "$score" = "100 graded" ]; then
	ok "a project with an ImageField gets Pillow's plugins loaded before its first request"
else
	notok "a project with an ImageField gets Pillow's plugins loaded before its first request" \
		"exit $rc, score $score: $(jget "$WORK/warm.json" 'r.get("diagnosis")')"
fi

# A failure of migrate in the forked child is reported as the boot reports
# it in one process: the error, the migration it was applying, exit 3.
mfail=$WORK/migfail
mkrepo "$ROOT/challenges/recipe-platform/solution" "$mfail"
cat >"$mfail/recipes/migrations/0002_boom.py" <<'PY'
from django.db import migrations


def boom(apps, schema_editor):
    raise ValueError("the kitchen is on fire")


class Migration(migrations.Migration):
    dependencies = [("recipes", "0001_initial")]
    operations = [migrations.RunPython(boom)]
PY
commit_all "$mfail"
grade "$WORK/migfail.json" "$mfail" recipe-platform
got=$(jget "$WORK/migfail.json" 'r["status"], "ValueError: the kitchen is on fire (while applying recipes.0002_boom)" in (r.get("diagnosis") or "")')
if [ "$rc" = 3 ] && [ "$got" = "boot-failed True" ]; then
	ok "a migration failing in the forked migrate is reported with the migration it was applying"
else
	notok "a migration failing in the forked migrate is reported with the migration it was applying" \
		"exit $rc, $got: $(jget "$WORK/migfail.json" 'r.get("diagnosis")')"
fi

# And models left without migrations: the child's missing-tables check.
nomig=$WORK/nomig
mkrepo "$ROOT/challenges/recipe-platform/solution" "$nomig"
git -C "$nomig" rm -q -r recipes/migrations/0001_initial.py
commit_all "$nomig"
grade "$WORK/nomig.json" "$nomig" recipe-platform
got=$(jget "$WORK/nomig.json" 'r["status"], "the app '"'"'recipes'"'"' has models without migrations" in (r.get("diagnosis") or "")')
if [ "$rc" = 3 ] && [ "$got" = "boot-failed True" ]; then
	ok "models without migrations are reported from the forked migrate"
else
	notok "models without migrations are reported from the forked migrate" \
		"exit $rc, $got: $(jget "$WORK/nomig.json" 'r.get("diagnosis")')"
fi

# The warm-up beside the forked migrate runs no project code: a project
# app with template tags keeps its templates cold, since making an engine
# imports every app's tags, and these read the database at import. A
# migration that takes 1.5 s leaves the warm-up all the time it could use;
# a tag module imported before that migration is recorded as applied makes
# every response a 418.
early=$WORK/earlytags
mkrepo "$ROOT/challenges/recipe-platform/solution" "$early"
cat >"$early/recipes/migrations/0002_slow.py" <<'PY'
import time

from django.db import migrations


def slow(apps, schema_editor):
    time.sleep(1.5)


class Migration(migrations.Migration):
    dependencies = [("recipes", "0001_initial")]
    operations = [migrations.RunPython(slow, migrations.RunPython.noop)]
PY
mkdir -p "$early/recipes/templatetags"
: >"$early/recipes/templatetags/__init__.py"
cat >"$early/recipes/templatetags/probe.py" <<'PY'
from django import template
from django.db.migrations.recorder import MigrationRecorder

register = template.Library()
EARLY = ("recipes", "0002_slow") not in MigrationRecorder.Migration.objects.values_list("app", "name")
PY
cat >>"$(settings_file "$early")" <<'PY'

import sys as _sys
import django.http.response as _resp

_real_init = _resp.HttpResponseBase.__init__


def _early_init(self, *args, **kwargs):
    _real_init(self, *args, **kwargs)
    if getattr(_sys.modules.get("recipes.templatetags.probe"), "EARLY", False):
        self.status_code = 418


_resp.HttpResponseBase.__init__ = _early_init
PY
commit_all "$early"
grade "$WORK/early.json" "$early" recipe-platform
score=$(jget "$WORK/early.json" 'r["score"], r["status"]')
if [ "$score" = "100 graded" ]; then
	ok "the warm-up beside migrate imports no project code (template tags read the database at import)"
else
	notok "the warm-up beside migrate imports no project code (template tags read the database at import)" \
		"exit $rc, score $score: $(jget "$WORK/early.json" 'r.get("diagnosis")')"
fi
