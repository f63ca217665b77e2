"""Migrate a project the way the boot module does and print its schema.

usage: migrate_schema.py PROJECT_DIR STATE_DIR fast|plain

Run with the interpreter of an environment that has Django. Prints one JSON
object: the tables' columns, foreign keys, indexes and CHECK clauses (without
names or column order, which differ between replaying migrations and creating
tables from models without meaning anything), the content types and
permissions post_migrate made, the contrib apps synced from their models, the
migrations recorded as applied, and whether Django finds that history
consistent.
"""
import json
import os
import re
import sqlite3
import sys

project, state, mode = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../grader/boot"))
os.chdir(project)
sys.path.insert(0, project)
import grader_boot  # noqa: E402  (reads no descriptor without GRADER_SECRETS_FD)
import importlib  # noqa: E402
import django  # noqa: E402

os.environ.pop("DJANGO_SETTINGS_MODULE", None)
grader_boot.preset_environment(state, project)
name = grader_boot.settings_module_name()
mod = importlib.import_module(name)
grader_boot.overlay_settings(mod, state, django.VERSION[:2])
os.environ["DJANGO_SETTINGS_MODULE"] = name
django.setup()
synced = grader_boot.migrate_project(fast=(mode == "fast"))

db = sqlite3.connect(os.path.join(state, "db.sqlite3"))
schema = {}
for (table, sql) in db.execute("select name, sql from sqlite_master where type='table' "
                               "and name not like 'sqlite_%'"):
    cols = sorted(list(r[1:6]) for r in db.execute("pragma table_info('%s')" % table))
    fks = sorted([r[2], r[3], r[4]] for r in db.execute("pragma foreign_key_list('%s')" % table))
    idx = []
    for r in db.execute("pragma index_list('%s')" % table):
        idx.append([r[2], [c[2] for c in db.execute("pragma index_info('%s')" % r[1])]])
    checks = sorted(re.findall(r"CHECK \((.*?)\)\)?", sql or ""))
    schema[table] = {"columns": cols, "fks": fks, "indexes": sorted(idx), "checks": checks}
types = sorted(db.execute("select app_label, model from django_content_type").fetchall())
perms = sorted(db.execute("select t.app_label, p.codename from auth_permission p "
                          "join django_content_type t on t.id = p.content_type_id").fetchall())
applied = {}
for app, name in db.execute("select app, name from django_migrations"):
    applied.setdefault(app, []).append(name)
applied = {app: sorted(names) for app, names in applied.items()}
# The graph Django builds on the database the fast mode left: a later
# migrate or showmigrations must find its history consistent.
from django.db import connection  # noqa: E402
from django.db.migrations.loader import MigrationLoader  # noqa: E402
consistent = ""
try:
    MigrationLoader(connection).check_consistent_history(connection)
except Exception as e:
    consistent = "%s: %s" % (type(e).__name__, e)
print(json.dumps({"schema": schema, "content_types": types, "permissions": perms,
                  "synced": synced, "applied": applied, "inconsistent": consistent},
                 sort_keys=True))
