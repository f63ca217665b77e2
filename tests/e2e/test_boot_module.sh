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


# slow_migration REPO: a recipes migration that sleeps 1.5 s, leaving the
# warm-up beside the forked migrate all the time it could use.
slow_migration() {
	cat >"$1/recipes/migrations/0002_slow.py" <<'PY'
import time

from django.db import migrations


def slow(apps, schema_editor):
    time.sleep(1.5)


class Migration(migrations.Migration):
    dependencies = [("recipes", "0001_initial")]
    operations = [migrations.RunPython(slow, migrations.RunPython.noop)]
PY
}

# teapot_when REPO PY_CONDITION: every response of REPO's app becomes a 418
# while PY_CONDITION (a Python expression, with gc as _gc and sys as _sys)
# holds when it is made, then the change is committed. A property of the
# process the app serves from, read from inside: the app scores 100 only
# if it never holds.
teapot_when() {
	cat >>"$(settings_file "$1")" <<PY

import gc as _gc
import sys as _sys
import django.http.response as _resp

_real_init = _resp.HttpResponseBase.__init__


def _teapot_init(self, *args, **kwargs):
    _real_init(self, *args, **kwargs)
    if $2:
        self.status_code = 418


_resp.HttpResponseBase.__init__ = _teapot_init
PY
	commit_all "$1"
}

# scores_100 REPO CHALLENGE LABEL: REPO is graded 100.
scores_100() {
	local out score
	out=$WORK/$(basename "$1").json
	grade "$out" "$1" "$2"
	score=$(jget "$out" 'r["score"], r["status"]')
	if [ "$score" = "100 graded" ]; then
		ok "$3"
	else
		notok "$3" "exit $rc, score $score: $(jget "$out" 'r.get("diagnosis")'); $(tail -n 5 "$out.err")"
	fi
}

# boot_fails_saying REPO CHALLENGE LABEL NEEDLE: REPO fails to boot (exit
# 3) with NEEDLE in the diagnosis.
boot_fails_saying() {
	local out got
	out=$WORK/$(basename "$1").json
	grade "$out" "$1" "$2"
	got=$(jget "$out" "r['status'], $(python3 -c 'import sys; print(repr(sys.argv[1]))' "$4") in (r.get('diagnosis') or '')")
	if [ "$rc" = 3 ] && [ "$got" = "boot-failed True" ]; then
		ok "$3"
	else
		notok "$3" "exit $rc, $got: $(jget "$out" 'r.get("diagnosis")')"
	fi
}

# The collector during the checks: a copy of the e-commerce reference whose
# every response becomes a 418 when a request runs with the cyclic garbage
# collector off, or with nothing frozen (the boot's objects would then be
# walked by every full collection).
gcapp=$WORK/gcapp
mkrepo "$ROOT/challenges/ecommerce-api/solution" "$gcapp"
teapot_when "$gcapp" 'not _gc.isenabled() or _gc.get_freeze_count() == 0'
scores_100 "$gcapp" ecommerce-api "the app's requests run with the garbage collector on and the boot's objects frozen"

# A project with an ImageField migrates in a forked child while the boot
# loads Pillow's plugins (issue 13, docs/performance.md: the first upload
# paid 70-100 ms for them): a copy of the recipe reference whose every
# response becomes a 418 unless Pillow is initialised when the request
# runs, so its first page (before any upload) shows whether the boot did
# it.
warm=$WORK/warmapp
mkrepo "$ROOT/challenges/recipe-platform/solution" "$warm"
teapot_when "$warm" 'getattr(_sys.modules.get("PIL.Image"), "_initialized", 0) < 2'
scores_100 "$warm" recipe-platform "a project with an ImageField gets Pillow's plugins loaded before its first request"

# The warm-up's templates, given a migration slow enough (1.5 s) for all
# of them: the project's own, the form renderer's a ModelForm page uses and
# the admin's changelist are compiled (in the cached loaders) before the
# first request, else every response is a 418.
warmtpl=$WORK/warmtemplates
mkrepo "$ROOT/challenges/recipe-platform/solution" "$warmtpl"
slow_migration "$warmtpl"
cat >>"$(settings_file "$warmtpl")" <<'PY'


def _compiled():
    from django.forms.renderers import get_default_renderer
    from django.template import engines
    names = set()
    for engine in (engines["django"].engine, get_default_renderer().engine.engine):
        names |= set(getattr(engine.template_loaders[0], "get_template_cache", {}))
    return names
PY
teapot_when "$warmtpl" 'not {"admin/change_list.html", "admin/base.html", "recipes/recipe_detail.html", "django/forms/widgets/clearable_file_input.html"} <= _compiled()'
scores_100 "$warmtpl" recipe-platform \
	"the warm-up compiles the project's templates, a ModelForm's widgets and the admin's changelist before the first request"

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
boot_fails_saying "$mfail" recipe-platform \
	"a migration failing in the forked migrate is reported with the migration it was applying" \
	"ValueError: the kitchen is on fire (while applying recipes.0002_boom)"

# And models left without migrations: the child's missing-tables check.
nomig=$WORK/nomig
mkrepo "$ROOT/challenges/recipe-platform/solution" "$nomig"
git -C "$nomig" rm -q -r recipes/migrations/0001_initial.py
commit_all "$nomig"
boot_fails_saying "$nomig" recipe-platform "models without migrations are reported from the forked migrate" \
	"the app 'recipes' has models without migrations"

# One model added without its migration beside tables that exist (h216):
# graded, no check uses it, and migrations-current warns naming the app.
onemig=$WORK/onemig
mkrepo "$ROOT/challenges/recipe-platform/solution" "$onemig"
printf '\n\nclass Note(models.Model):\n    text = models.CharField(max_length=20)\n' >>"$onemig/recipes/models.py"
commit_all "$onemig"
scores_100 "$onemig" recipe-platform "a model added without its migration beside the app's tables is graded"
[ "$(jget "$WORK/onemig.json" "next(c['status'] for c in r['checks'] if c['id']=='migrations-current')")" = fail ] \
	&& ok "a model added without its migration is migrations-current's warning" \
	|| notok "a model added without its migration is migrations-current's warning" "$(jget "$WORK/onemig.json" "r['checks']")"
# ...which says the first change makemigrations would write (h387: the
# app alone, where a missing constraint's migration cost two checks).
case $(jget "$WORK/onemig.json" "next(c['message'] for c in r['checks'] if c['id']=='migrations-current')") in
'makemigrations would write migrations for "recipes"; its first change: Create model Note — '*)
	ok "migrations-current's warning names the first change makemigrations would write" ;;
*) notok "migrations-current's warning names the first change makemigrations would write" \
	"$(jget "$WORK/onemig.json" "next(c['message'] for c in r['checks'] if c['id']=='migrations-current')")" ;;
esac
# The copy django-simple-history makes of a model (HistoricalNote) is
# listed before it: the message names the model the student edited (h475).
histmig=$WORK/histmig
mkrepo "$ROOT/challenges/recipe-platform/solution" "$histmig"
printf '\n\nclass HistoricalNote(models.Model):\n    text = models.CharField(max_length=20)\n\n\nclass Note(models.Model):\n    text = models.CharField(max_length=20)\n' >>"$histmig/recipes/models.py"
commit_all "$histmig"
scores_100 "$histmig" recipe-platform "a model and its history copy added without their migration are graded"
case $(jget "$WORK/histmig.json" "next(c['message'] for c in r['checks'] if c['id']=='migrations-current')") in
'makemigrations would write migrations for "recipes"; its first change: Create model Note — '*)
	ok "migrations-current names the model itself, not its history copy listed first" ;;
*) notok "migrations-current names the model itself, not its history copy listed first" \
	"$(jget "$WORK/histmig.json" "next(c['message'] for c in r['checks'] if c['id']=='migrations-current')")" ;;
esac

# Every change a primary key's type (h422: a project begun on Django 5.2
# without DEFAULT_AUTO_FIELD, graded on 6.0, whose default is
# BigAutoField): no model changed, and the warning says the setting.
autof=$WORK/autofield
mkrepo "$ROOT/challenges/recipe-platform/solution" "$autof"
sed -i 's/^DEFAULT_AUTO_FIELD = .*$/DEFAULT_AUTO_FIELD = "django.db.models.AutoField"/' "$autof/config/settings.py"
sed -i '/default_auto_field = /d' "$autof/recipes/apps.py"
commit_all "$autof"
scores_100 "$autof" recipe-platform "primary keys of another type than DEFAULT_AUTO_FIELD's are graded"
case $(jget "$WORK/autofield.json" "next(c['message'] for c in r['checks'] if c['id']=='migrations-current')") in
'makemigrations would write migrations for "recipes"; only the ids'"'"' type changes: check DEFAULT_AUTO_FIELD — '*)
	ok "migrations-current says when its changes are only the primary keys' type" ;;
*) notok "migrations-current says when its changes are only the primary keys' type" \
	"$(jget "$WORK/autofield.json" "next(c['message'] for c in r['checks'] if c['id']=='migrations-current')")" ;;
esac

# ...but not when the id's default is a value computed at import (h724:
# default=uuid.uuid4(), a new UUID each time the models load): that is
# said, with the function to pass, not DEFAULT_AUTO_FIELD.
uuidcall=$WORK/uuidcall
mkrepo "$ROOT/challenges/ecommerce-api/solution" "$uuidcall"
sed -i 's/^class Product(models.Model):$/import uuid\n\n\n&\n    id = models.UUIDField(primary_key=True, default=uuid.uuid4(), editable=False)/' "$uuidcall/shop/models.py"
sed -i "0,/('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),/s//('id', models.UUIDField(default=uuid.UUID('12345678-1234-5678-1234-567812345678'), editable=False, primary_key=True, serialize=False)),/" "$uuidcall/shop/migrations/0001_initial.py"
sed -i '1i import uuid' "$uuidcall/shop/migrations/0001_initial.py"
commit_all "$uuidcall"
grade "$WORK/uuidcall.json" "$uuidcall" ecommerce-api --no-db
case $(jget "$WORK/uuidcall.json" "next(c['message'] for c in r['checks'] if c['id']=='migrations-current')") in
'makemigrations would write migrations for "shop"; id'"'"'s default calls uuid.uuid4() once: pass uuid.uuid4 — '*)
	ok "migrations-current says an id's default computed at import, not DEFAULT_AUTO_FIELD" ;;
*) notok "migrations-current says an id's default computed at import, not DEFAULT_AUTO_FIELD" \
	"exit $rc: $(jget "$WORK/uuidcall.json" "r['status'], next((c['message'] for c in r['checks'] if c['id']=='migrations-current'), None)")" ;;
esac

# A field makemigrations cannot add without asking for a default
# (auto_now_add=True on a table with rows to be: its exit 3, not 1):
# migrations-current warns naming the app all the same (h325).
nowadd=$WORK/nowadd
mkrepo "$ROOT/challenges/ecommerce-api/solution" "$nowadd"
sed -i 's/^    stock = models.PositiveIntegerField(default=0)$/&\n    created = models.DateTimeField(auto_now_add=True)/' "$nowadd/shop/models.py"
commit_all "$nowadd"

# warns_naming_shop REPO LABEL: graded, and migrations-current is a warning
# naming the app "shop" (the score too, after a space: "100 fail True").
warns_naming_shop() {
	local got
	grade "$1.json" "$1" ecommerce-api --no-db
	got=$(jget "$1.json" "r['score'], *next((c['status'], '\"shop\"' in (c['message'] or '')) for c in r['checks'] if c['id']=='migrations-current')")
	[ "${got#* }" = "fail True" ] && ok "$2" || notok "$2" "exit $rc: $got"
}
warns_naming_shop "$nowadd" "a field makemigrations must ask a default for is migrations-current's warning, naming the app"

# Early Django 4.2 releases (4.2.7, h377) exit 1 on makemigrations --check
# before saying what they would write: the app is named all the same, from
# a dry run. The suite has no Django 4.2, so the project's own
# makemigrations (an app's command overrides Django's) behaves as 4.2.7's.
silent=$WORK/silentcheck
mkrepo "$ROOT/challenges/ecommerce-api/solution" "$silent"
sed -i 's/^    stock = models.PositiveIntegerField(default=0)$/    stock = models.PositiveIntegerField(default=0, help_text="units left")/' "$silent/shop/models.py"
mkdir -p "$silent/shop/management/commands"
: >"$silent/shop/management/__init__.py"
: >"$silent/shop/management/commands/__init__.py"
cat >"$silent/shop/management/commands/makemigrations.py" <<'PY'
from django.core.management.commands import makemigrations


class Command(makemigrations.Command):
    """Django 4.2.7's --check: exit 1 before writing or saying anything."""

    def handle(self, *app_labels, **options):
        self.silent = options["check_changes"]
        return super().handle(*app_labels, **options)

    def write_migration_files(self, changes, *args, **kwargs):
        if not self.silent:
            return super().write_migration_files(changes, *args, **kwargs)
PY
commit_all "$silent"
warns_naming_shop "$silent" "a makemigrations --check that exits 1 silently (Django 4.2.7) is migrations-current's warning, naming the app"

# The warm-up beside the forked migrate runs no project code: a project
# app with template tags keeps its templates cold, since making an engine
# imports every app's tags, and these read the database at import. A
# migration that takes 1.5 s leaves the warm-up all the time it could use;
# a tag module imported before that migration is recorded as applied makes
# every response a 418.
early=$WORK/earlytags
mkrepo "$ROOT/challenges/recipe-platform/solution" "$early"
slow_migration "$early"
mkdir -p "$early/recipes/templatetags"
: >"$early/recipes/templatetags/__init__.py"
cat >"$early/recipes/templatetags/probe.py" <<'PY'
from django import template
from django.db.migrations.recorder import MigrationRecorder

register = template.Library()
EARLY = ("recipes", "0002_slow") not in MigrationRecorder.Migration.objects.values_list("app", "name")
PY
teapot_when "$early" 'getattr(_sys.modules.get("recipes.templatetags.probe"), "EARLY", False)'
scores_100 "$early" recipe-platform \
	"the warm-up beside migrate imports no project code (template tags read the database at import)"

# A module the app imports but the environment lacks: the hint names the
# distribution from the table the inference reads (module-distributions.tsv,
# beside the boot module), never a guess from the module's name (h216:
# "simple-history", which is no package); an unknown one says the name
# may differ.
hints=$(cd "$WORK" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); import grader_boot as g
for m in ("simple_history", "grader_no_such_module_xyz"):
    e = ModuleNotFoundError("No module named %r" % m, name=m)
    print(g.explain(e))' "$boot")
case $hints in
*"add its package (django-simple-history) to requirements.txt"*"add its package (its name on PyPI may differ from the module's)"*)
	ok "a missing module's hint names its distribution from the table, and guesses none" ;;
*) notok "a missing module's hint names its distribution from the table, and guesses none" "$hints" ;;
esac

# The hint names the file the environment came from (pyproject.toml,
# h254: "add it to requirements.txt" would shadow it); a missing module
# inside another error (logging.config's ValueError) is the module's; a
# module that is a folder of the project, off the path, is not a package.
proj=$WORK/hint-project
mkdir -p "$proj/src/shopsite"
: >"$proj/src/shopsite/__init__.py"
hints=$(cd "$proj" && GRADER_REQUIREMENTS=pyproject.toml "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); import grader_boot as g
e = ModuleNotFoundError("No module named %r" % "pythonjsonlogger", name="pythonjsonlogger")
print(g.explain(e))
try:
    try:
        raise e
    except ModuleNotFoundError as inner:
        raise ValueError("Unable to configure formatter %r" % "json") from inner
except ValueError as outer:
    print(g.explain(outer))
print(g.explain(ModuleNotFoundError("No module named %r" % "shopsite", name="shopsite")))' "$boot")
case $hints in
*"add its package (python-json-logger) to pyproject.toml"*"add its package (python-json-logger) to pyproject.toml"*"'shopsite' is the project's folder src/shopsite, which is not on the import path"*)
	ok "a missing module's hint names the requirements file, sees through a wrapping error, and knows the project's folders" ;;
*) notok "a missing module's hint names the requirements file, sees through a wrapping error, and knows the project's folders" "$hints" ;;
esac

# A model field of django.contrib.postgres failing migrate on the grader's
# SQLite (h468: an ArrayField's "Cannot quote parameter value []", whose
# words name no field): the field, by model, and what to use instead; no
# such hint outside migrate. (The field class stands in for ArrayField,
# whose module needs a PostgreSQL driver.)
pgapp=$WORK/pg-project
mkdir -p "$pgapp/pgshop"
: >"$pgapp/pgshop/__init__.py"
cat >"$pgapp/pgshop/models.py" <<'PY'
from django.db import models


class ArrayField(models.TextField):
    pass


ArrayField.__module__ = "django.contrib.postgres.fields.array"


class Product(models.Model):
    tags = ArrayField(default=list)
PY
hints=$(cd "$pgapp" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, ".")
from django.conf import settings
settings.configure(INSTALLED_APPS=["pgshop"], DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})
import django; django.setup()
import grader_boot as g
e = ValueError("Cannot quote parameter value [] of type <class %r>" % "list")
print(g.explain(e))
g._phase = "migrate"
print(g.explain(e))' "$boot" 2>&1)
case $hints in
"None"*"pgshop.Product.tags (ArrayField) is django.contrib.postgres's, which works on PostgreSQL alone"*"use django.db.models.JSONField, or a related model"*)
	ok "a django.contrib.postgres field failing migrate is named, with what to use on SQLite" ;;
*) notok "a django.contrib.postgres field failing migrate is named, with what to use on SQLite" "$hints" ;;
esac

# Two apps with one label (h854: the project's apps.auth beside
# django.contrib.auth; Django names the label alone): the entries that
# share it, read as Django reads a label, and the fix; an entry whose
# label differs (an AppConfig path of another app) is not named.
hints=$(cd "$WORK" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1])
from django.conf import settings
settings.configure(INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "apps.shop.apps.ShopConfig", "apps.auth.apps.AuthConfig"])
from django.core.exceptions import ImproperlyConfigured
import grader_boot as g
print(g.explain(ImproperlyConfigured("Application labels aren%st unique, duplicates: auth" % chr(39))))' "$boot" 2>&1)
case $hints in
"two apps in INSTALLED_APPS have the label 'auth' (django.contrib.auth, apps.auth.apps.AuthConfig): "*"give its AppConfig a label of its own"*)
	ok "two apps sharing a label are named, with the fix" ;;
*) notok "two apps sharing a label are named, with the fix" "$hints" ;;
esac

# A LOGGING file handler that cannot open its file (h414): the path, and
# a fix that fits where it is: outside the project (/var/log/shop, which
# no fresh machine has) or refused; anything else wrapped in that
# ValueError gets no such hint.
hints=$(cd "$proj" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); import grader_boot as g
for inner in (FileNotFoundError(2, "No such file or directory", "/var/log/shop/app.log"),
              PermissionError(13, "Permission denied", "/srv/app.log"),
              KeyError("x")):
    try:
        try:
            raise inner
        except Exception as i:
            raise ValueError("Unable to configure handler %r" % "file") from i
    except ValueError as outer:
        print(g.explain(outer))' "$boot")
case $hints in
"the LOGGING handler 'file' writes to /var/log/shop/app.log, whose folder /var/log/shop does not exist where the app runs"*"to a file inside the project"*"the LOGGING handler 'file' writes to /srv/app.log, which the app cannot open where it runs (Permission denied)"*"None")
	ok "a LOGGING file handler's failed open names the file and a fix for where it is" ;;
*) notok "a LOGGING file handler's failed open names the file and a fix for where it is" "$hints" ;;
esac

# A name Django removed, imported by the project (h413: url() on Django
# 4.2): the release that removed it and its replacement. The same failed
# import inside an installed package's code (djangorestframework 3.12's
# parse_header) names that package, not "check the name". A name no
# release has gets the general hint; a removed module, its replacement.
mkdir -p "$WORK/sp/site-packages/oldpkg" "$proj/shop"
printf 'from django.http.multipartparser import grader_no_such_name\n' >"$WORK/sp/site-packages/oldpkg/__init__.py"
: >"$proj/shop/__init__.py"
printf 'from django.conf.urls import url\n' >"$proj/shop/urls.py"
printf 'from django.http import HttpResponseSeeOther\n' >"$proj/shop/views.py"
hints=$(cd "$proj" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2]); sys.path.insert(0, ".")
import grader_boot as g
for m in ("shop.urls", "oldpkg", "shop.views", "django.core.urlresolvers"):
    try:
        __import__(m)
    except ImportError as e:
        print(g.explain(e))' "$boot" "$WORK/sp/site-packages")
case $hints in
"Django 4.0 removed django.conf.urls.url, and the version installed is "*": use django.urls.re_path (the same regex) or django.urls.path (or pin the Django"*"
oldpkg imports grader_no_such_name from django.http.multipartparser, which Django "*" does not have: that release was made for another Django; pin a oldpkg release made for Django"*"
django.http has no HttpResponseSeeOther in Django "*", the version installed: check the name"*"
Django 2.0 removed django.core.urlresolvers: use django.urls")
	ok "an import Django removed names its replacement; one inside a package names the package" ;;
*) notok "an import Django removed names its replacement; one inside a package names the package" "$hints" ;;
esac

# A module of one of the project's packages imported in other letter case
# (h417: `from .Models import Product`, written on Windows): the name the
# file has; a module no case of which exists gets no such hint.
mkdir -p "$proj/store"
: >"$proj/store/__init__.py"
: >"$proj/store/models.py"
hints=$(cd "$proj" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, ".")
import grader_boot as g
import store
for m in ("store.Models", "store.nothing_here"):
    try:
        __import__(m)
    except ImportError as e:
        print(g.explain(e))' "$boot")
case $hints in
"'store.Models' is not the project's 'store.models': imports name a module in its exact letter case, as the files on Linux are named (Windows and macOS ignore the case; Linux does not)"*)
	ok "a project's submodule imported in other letter case is told as that" ;;
*) notok "a project's submodule imported in other letter case is told as that" "$hints" ;;
esac

# A project's own Python down to 3.6 (h427: runtime.txt's python-3.6.8
# beside Django 2.2): the boot uses nothing of 3.7's bare. Simulated here
# by taking away what 3.6 lacks (queue.SimpleQueue, gc.freeze): the server
# is made and answers, and the collector's freeze is a no-op.
old36=$(cd "$WORK" && "$py" -c '
import gc, queue, sys, threading, urllib.request
del queue.SimpleQueue
del gc.freeze
sys.path.insert(0, sys.argv[1]); import grader_boot as g
g._gc_freeze()
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
server = g.serve(app)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(urllib.request.urlopen("http://127.0.0.1:%d/" % server.server_address[1], timeout=10).read().decode())
server.shutdown()' "$boot" 2>"$WORK/old36.err")
[ "$old36" = ok ] && ok "the boot serves on a Python without 3.7's queue.SimpleQueue and gc.freeze" \
	|| notok "the boot serves on a Python without 3.7's queue.SimpleQueue and gc.freeze" "$old36 $(tail -5 "$WORK/old36.err")"

# A Postgres-only field met on SQLite (h427: contrib.postgres's JSONField
# in a migration): what to use instead.
hint=$(cd "$WORK" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); import grader_boot as g
print(g.explain(ValueError("Cannot quote parameter value <django.contrib.postgres.fields.jsonb.JsonAdapter object at 0x7f> of type <class %r>" % "django.contrib.postgres.fields.jsonb.JsonAdapter")))' "$boot")
case $hint in
"django.contrib.postgres's fields (JSONField, ArrayField, HStoreField) work on PostgreSQL alone"*"use django.db.models.JSONField"*)
	ok "a Postgres-only field met on SQLite is told what to use instead" ;;
*) notok "a Postgres-only field met on SQLite is told what to use instead" "$hint" ;;
esac

# A module of one of the project's packages (tickets/rules.py) named as a
# library the environment lacks (django-rules' `import rules`, h337) is
# that library, named from the table: not the project's file off the path.
mkdir -p "$proj/tickets"
: >"$proj/tickets/__init__.py"
: >"$proj/tickets/rules.py"
hint=$(cd "$proj" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); import grader_boot as g
print(g.explain(ModuleNotFoundError("No module named %r" % "rules", name="rules")))' "$boot")
case $hint in
*"add its package (rules)"*) ok "a package's own module named like a missing library is not taken for that library" ;;
*) notok "a package's own module named like a missing library is not taken for that library" "$hint" ;;
esac

# A project's own package imported in other letter case (h276: `from
# Shop.models import` beside shop/, as on a case-blind disk) is told as
# that, not as a package to add to the requirements.
mkdir -p "$proj/shop"
: >"$proj/shop/__init__.py"
hint=$(cd "$proj" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); import grader_boot as g
print(g.explain(ModuleNotFoundError("No module named %r" % "Shop", name="Shop")))' "$boot")
case $hint in
"'Shop' is not the project's 'shop': imports name a module in its exact letter case"*"(import shop)")
	ok "a project's package imported in other letter case is told as that" ;;
*) notok "a project's package imported in other letter case is told as that" "$hint" ;;
esac

# A project's app inside its apps/ package named without that package
# (AppConfig.name = "products" for apps/products, h394) is told as the
# project's own package apps.products, not as a package to install.
mkdir -p "$proj/pkgapps/products"
: >"$proj/pkgapps/__init__.py"
: >"$proj/pkgapps/products/__init__.py"
hint=$(cd "$proj" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); import grader_boot as g
print(g.explain(ModuleNotFoundError("No module named %r" % "products", name="products")))' "$boot")
case $hint in
"'products' is the project's own package pkgapps.products: name it so, in INSTALLED_APPS and in its AppConfig's name (name = 'pkgapps.products' in pkgapps/products/apps.py)")
	ok "an app named without its parent package is told as the project's own package" ;;
*) notok "an app named without its parent package is told as the project's own package" "$hint" ;;
esac

# A Django class called the way another release takes it (h277) names
# the release the grader installed; a keyword a release renamed
# (CheckConstraint(check=...) on Django 6, h422, pinned by the project
# itself) the new name; a class of the project's own, nothing.
hint=$(cd "$proj" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); import grader_boot as g
import django, django.db.models
print(g.explain(TypeError("UniqueConstraint.__init__() got an unexpected keyword argument %r" % "fieldz")))
print(g.explain(TypeError("ShopThing.__init__() got an unexpected keyword argument %r" % "check")))
print(g.explain(TypeError("CheckConstraint.__init__() got an unexpected keyword argument %r" % "check")))
print(django.get_version())' "$boot")
dj=$(printf '%s\n' "$hint" | sed -n 4p)
case $hint in
"UniqueConstraint is Django's, and the grader installed Django $dj: pin the version your project was written for in requirements.txt"$'\n'"None"$'\n'"Django 6.0 renamed CheckConstraint's check= to condition=: write condition= (in the models and in the migrations that have it), or pin the Django your project was written for in requirements.txt"$'\n'*)
	ok "a Django class called as another release takes it names the Django installed" ;;
*) notok "a Django class called as another release takes it names the Django installed" "$hint" ;;
esac

# The folders manage.py puts on sys.path, read without running it: joins
# onto its own folder that exist inside the project, never a parent's,
# written in the call or in a name manage.py assigned first (h398:
# SRC_DIR = ... / "src", then sys.path.insert(0, str(SRC_DIR))), each
# folder's names in the order they are written; Path(...).parents[0] is
# manage.py's own folder, parents[1] its parent's (h708).
mkdir -p "$proj/apps" "$proj/lib/vendor" "$proj/pkgs"
cat >"$proj/manage.py" <<'PY'
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BASE_DIR / "src"))
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "apps"))
sys.path.append(str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, "/etc")
sys.path.insert(0, os.path.join(BASE_DIR, "missing"))
VENDOR_DIR = BASE_DIR / "lib" / "vendor"
UP = Path(__file__).resolve().parent.parent


def main():
    sys.path.insert(0, str(VENDOR_DIR))
    sys.path.append(str(UP / "apps"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[0] / "pkgs"))
    sys.path.append(str(Path(__file__).resolve().parents[1] / "apps"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
PY
paths=$(cd "$proj" && "$py" -c '
import sys, os; sys.path.insert(0, sys.argv[1]); import grader_boot as g
print([(i, os.path.relpath(f)) for i, f in g.manage_py_paths(os.getcwd())])' "$boot")
if [ "$paths" = "[(0, 'src'), (None, 'apps'), (0, 'lib/vendor'), (0, 'pkgs')]" ]; then
	ok "the folders manage.py puts on sys.path are read, inside the project only"
else
	notok "the folders manage.py puts on sys.path are read, inside the project only" "$paths"
fi
# ...and, with the repository's root above the project (manage.py in a
# folder of it, h802: site/manage.py putting ../packages/.../src on
# sys.path), its parent's folders too, inside that root alone.
mkdir -p "$proj/../src" "$proj/../apps"
paths=$(cd "$proj" && GRADER_REPO_ROOT="$(dirname "$proj")" "$py" -c '
import sys, os; sys.path.insert(0, sys.argv[1]); import grader_boot as g
print([(i, os.path.relpath(f)) for i, f in g.manage_py_paths(os.getcwd())])' "$boot")
if [ "$paths" = "[(0, 'src'), (None, 'apps'), (None, '../src'), (0, 'lib/vendor'), (None, '../apps'), (0, 'pkgs'), (None, '../apps')]" ]; then
	ok "the folders manage.py puts on sys.path above its own are read inside the repository"
else
	notok "the folders manage.py puts on sys.path above its own are read inside the repository" "$paths"
fi

# The settings module manage.py names, read without running it (h449): a
# string; else one computed from manage.py's strings, its names and the
# environment's defaults (an f-string, a conditional, an if statement,
# str.format, %); else, computed from what cannot be known, a refusal that
# quotes the line and says what to write, without the boot's own frames.
settings_of() {
	printf '%s\n' "$1" >"$proj/manage.py"
	(cd "$proj" && env -u DJANGO_ENV "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); import grader_boot as g
try:
    print(g.settings_module_name())
except g.BootRefusal as e:
    print("refused:", e)' "$boot")
}
got=$(settings_of "import os
def main():
    DJANGO_ENV = os.environ.get('DJANGO_ENV', 'dev')
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', f'config.settings.{DJANGO_ENV}')
if __name__ == '__main__':
    main()")
got=$got/$(settings_of "import os
m = 'config.settings.prod' if os.environ.get('DJANGO_ENV') == 'prod' else 'config.settings.dev'
os.environ.setdefault('DJANGO_SETTINGS_MODULE', m)")
got=$got/$(settings_of "import os
if os.getenv('DJANGO_ENV') == 'production':
    name = 'config.settings.production'
else:
    name = 'config.settings.local'
os.environ['DJANGO_SETTINGS_MODULE'] = name")
got=$got/$(settings_of "import os
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cfg.{}'.format(os.getenv('ENV', 'Base').lower()) + '_%s' % 'x')")
got=$got/$(settings_of "import os, sys
os.environ.setdefault('DJANGO_SETTINGS_MODULE', pick(sys.argv))")
want='config.settings.dev/config.settings.dev/config.settings.local/cfg.base_x/refused: manage.py computes its settings module from what the grader cannot know without running the project (line 2: pick(sys.argv)): name it with a string'
if [[ $got == "$want"* ]]; then
	ok "a settings module manage.py computes from its strings and the environment's defaults is worked out, and what cannot be is refused by its line"
else
	notok "a settings module manage.py computes from its strings and the environment's defaults is worked out, and what cannot be is refused by its line" "$got"
fi

# ...named through python-decouple's config() or django-environ's env()
# (h622): the environment, then the project's .env, then their default;
# without a default or a value, the same refusal.
got=$(settings_of "import os
from decouple import config
os.environ.setdefault('DJANGO_SETTINGS_MODULE', config('DJANGO_SETTINGS_MODULE', default='config.settings.dev'))")
printf 'DJANGO_SETTINGS_MODULE="config.settings.staging"\n' >"$proj/.env"
got=$got/$(settings_of "import os, environ
env = environ.Env()
os.environ.setdefault('DJANGO_SETTINGS_MODULE', env.str('DJANGO_SETTINGS_MODULE', default='config.settings.dev'))")
rm -f "$proj/.env"
got=$got/$(settings_of "import os, environ
env = environ.Env()
os.environ.setdefault('DJANGO_SETTINGS_MODULE', env('DJANGO_SETTINGS_MODULE'))")
want='config.settings.dev/config.settings.staging/refused: manage.py computes its settings module from what the grader cannot know without running the project (line 3: '
if [[ $got == "$want"* ]]; then
	ok "a settings module manage.py names through decouple or django-environ is read from the environment, .env or the default"
else
	notok "a settings module manage.py names through decouple or django-environ is read from the environment, .env or the default" "$got"
fi

# ...chosen from a table of modules by the environment's word, with [] or
# .get(), or by a match statement or an if on it, each branch naming its
# module as a string (h735: boot-failed, or the first branch's module
# taken whatever the word); or by the command, sys.argv read as
# `manage.py runserver` has it (h744: refused, or the test settings).
got=$(settings_of "import os
MODULES = {'local': 'config.settings.local', 'production': 'config.settings.production'}
os.environ.setdefault('DJANGO_SETTINGS_MODULE', MODULES[os.environ.get('DJANGO_ENV', 'local')])")
got=$got/$(settings_of "import os
from decouple import config
MODULES = {'local': 'config.settings.local', 'production': 'config.settings.production'}
os.environ.setdefault('DJANGO_SETTINGS_MODULE', MODULES.get(config('DJANGO_ENV', default='local'), 'config.settings.base'))")
got=$got/$(settings_of "import os
match os.environ.get('DJANGO_ENV', 'local'):
    case 'production' | 'prod':
        os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')
    case 'local':
        os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.local')
    case _:
        os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.base')")
got=$got/$(settings_of "import os
if os.environ.get('DJANGO_ENV') == 'production':
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')
else:
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.local')")
got=$got/$(settings_of "import os
match os.environ.get('DJANGO_ENV', 'staging'):
    case 'production':
        os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')
    case env:
        os.environ.setdefault('DJANGO_SETTINGS_MODULE', f'config.settings.{env}')")
got=$got/$(settings_of "import os, sys
default = 'config.settings.test' if 'test' in sys.argv[1:2] else 'config.settings.dev'
os.environ.setdefault('DJANGO_SETTINGS_MODULE', default)")
got=$got/$(settings_of "import os, sys
if len(sys.argv) > 1 and sys.argv[1] == 'test':
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.test')
else:
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.dev')")
want='config.settings.local/config.settings.local/config.settings.local/config.settings.local/config.settings.staging/config.settings.dev/config.settings.dev'
if [ "$got" = "$want" ]; then
	ok "a settings module manage.py looks up in a table or picks with match is worked out"
else
	notok "a settings module manage.py looks up in a table or picks with match is worked out" "$got"
fi

# A migration's SQL written for PostgreSQL ('near "USING": syntax error' of
# a GIN index, h630): the hint says the database is SQLite and how to
# guard it; the same error outside migrate is not said so.
hints=$(cd "$WORK" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); import grader_boot as g
class OperationalError(Exception): pass
g._phase = "migrate"
print(g.explain(OperationalError("near \"USING\": syntax error")))
g._phase = "serve"
print(g.explain(OperationalError("near \"USING\": syntax error")))' "$boot")
case $hints in
*"the migration's SQL is another database's (PostgreSQL's?), and the grader gives every run its own SQLite database: run it only there"*"
None") ok "a migration's PostgreSQL SQL says the database is SQLite and how to guard it" ;;
*) notok "a migration's PostgreSQL SQL says the database is SQLite and how to guard it" "$hints" ;;
esac

# A migration graph naming what no committed migration makes: the hint
# names the app, or the model, and the fix (h237).
hints=$(cd "$WORK" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); import grader_boot as g
print(g.explain(ValueError("Dependency on app with no migrations: users")))
print(g.explain(ValueError("Related model %r cannot be resolved" % "users.customer")))' "$boot")
case $hints in
*"the app 'users' has no committed migrations, and another app's migrations depend on it: run makemigrations users"*"no committed migration creates the model users.customer"*)
	ok "a migration graph naming an app or a model no migration makes says which, and the fix" ;;
*) notok "a migration graph naming an app or a model no migration makes says which, and the fix" "$hints" ;;
esac

# The template languages a project's TEMPLATES name, for the CSRF advice:
# Django's Jinja2 backend alone takes {{ csrf_input }}; beside Django's
# templates either tag, by the page (h647: a login page kept in Django's
# language); django-jinja takes {% csrf_token %} and has no csrf_input.
got=$(cd "$WORK" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); import grader_boot as g
class S: pass
def langs(*backends):
    s = S(); s.TEMPLATES = [{"BACKEND": b} for b in backends]; return g.template_languages(s)
print(langs("django.template.backends.jinja2.Jinja2"),
      langs("django.template.backends.django.DjangoTemplates", "django.template.backends.jinja2.Jinja2"),
      langs("django_jinja.jinja2.Jinja2", "django.template.backends.django.DjangoTemplates"),
      langs("django.template.backends.django.DjangoTemplates"), g.template_languages(S()))' "$boot")
[ "$got" = "jinja2 both django django django" ] \
	&& ok "the template languages read from TEMPLATES: Jinja2 alone, both, django-jinja as Django's" \
	|| notok "the template languages read from TEMPLATES: Jinja2 alone, both, django-jinja as Django's" "$got"

# A REQUIRED_FIELDS entry that is optional (blank=True) gets its empty
# value, which its validators never see (h644: a phone with a format
# validator refused "Staff", and the boot failed); a required one still
# gets a plausible value.
got=$(cd "$WORK" && "$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); import grader_boot as g
from django.conf import settings; settings.configure()
from django.core.validators import RegexValidator
from django.db import models
phone = models.CharField(max_length=20, blank=True, validators=[RegexValidator(r"^[0-9]+$")])
print(repr(g._plausible(phone, "staff", "s@x")), repr(g._plausible(models.IntegerField(blank=True, null=True), "staff", "s@x")),
      repr(g._plausible(models.CharField(max_length=20), "staff", "s@x")))' "$boot")
[ "$got" = "'' None 'Staff'" ] \
	&& ok "an optional REQUIRED_FIELDS entry gets its empty value, a required one a plausible value" \
	|| notok "an optional REQUIRED_FIELDS entry gets its empty value, a required one a plausible value" "$got"
