"""The floor (issue 13): what any grader of a Django project must at least
do, in one Python process: import the settings, ``django.setup()`` and
``migrate``, nothing else (no clone, no sandbox, no users, no server, no
checks).

    cd PROJECT && PYTHON tests/bench/floor.py DATABASE

Run from the project folder (the one holding manage.py) with the
interpreter of the submission's environment; the settings module is the
one manage.py names (its os.environ.setdefault line). DATABASE replaces the
project's databases, on a tmpfs where the caller can (the sandboxed app's
state folder is one: on disk, SQLite's syncs made the floor slower than a
whole grade, docs/performance.md "The floor"). Shared by tests/bench/run,
tests/bench/compare and tests/bench/submission, so all three divide by the
same work.
"""
import importlib
import os
import re
import sys

database = sys.argv[1]
# BENCH_SETTINGS_MODULE: the name as the grader's boot reads it, worked out
# by the caller before any timing (tests/bench/submission: one manage.py
# computes, h449); else manage.py's literal one.
settings = os.environ.get("BENCH_SETTINGS_MODULE")
if not settings:
    with open("manage.py", encoding="utf-8") as f:
        found = re.search(r"DJANGO_SETTINGS_MODULE['\"], *['\"]([^'\"]+)", f.read())
    if not found:
        sys.exit("floor.py: manage.py names no settings module")
    settings = found.group(1)
os.environ["DJANGO_SETTINGS_MODULE"] = settings
# The project, not this script's folder, comes first: as with manage.py.
sys.path[0] = os.getcwd()
mod = importlib.import_module(settings)
mod.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": database}}

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402

call_command("migrate", interactive=False, verbosity=0)
