#!/usr/bin/env bash
# The boot module creates django.contrib's tables from their models instead
# of replaying their migrations (issue 13: most of a small project's migrate).
# That is only right if the result is the database plain `migrate` makes:
# same tables, columns, keys, indexes, CHECK clauses, content types and
# permissions, for every challenge's reference, for a custom user model
# whose migration names one of auth's migrations (auth and what its
# migrations name are then faked: created from their models, their
# migrations recorded), and for graphs where faking would be wrong.
source "$(dirname "$0")/lib.sh"
PYTHON=${GRADER_TEST_PYTHON:-$("$GRADER" env default 2>/dev/null)}
export PYTHON

schema() { # PROJECT MODE OUT
	local state=$WORK/state-$RANDOM$RANDOM
	mkdir -p "$state"
	( cd "$1" && SECRET_KEY=t DJANGO_SECRET_KEY=t "$PYTHON" "$ROOT/tests/e2e/migrate_schema.py" "$1" "$state" "$2" ) >"$3" 2>"$3.err"
}

compare() { # NAME PROJECT WANT_PYEXPR (lambda synced, apps_recorded: ...)
	local name=$1 dir=$2 want=$3 why=""
	schema "$dir" fast "$WORK/$name.fast" || why="fast migrate failed: $(tail -5 "$WORK/$name.fast.err")"
	[ -n "$why" ] || schema "$dir" plain "$WORK/$name.plain" || why="plain migrate failed: $(tail -5 "$WORK/$name.plain.err")"
	if [ -z "$why" ]; then
		why=$(python3 - "$WORK/$name.fast" "$WORK/$name.plain" "$want" <<'PY'
import json, sys
fast, plain = (json.load(open(p)) for p in sys.argv[1:3])
want = eval(sys.argv[3])
out = []
if plain["synced"]:
    out.append("plain mode synced %s" % plain["synced"])
if not want(set(fast["synced"]), set(fast["applied"])):
    out.append("synced %s, recorded %s: not what the project allows" % (fast["synced"], sorted(fast["applied"])))
if fast["inconsistent"]:
    out.append("the history left is inconsistent: %s" % fast["inconsistent"])
# An app faked (synced and recorded) must have every migration plain
# migrate applies recorded, no more, no fewer.
for app, names in fast["applied"].items():
    if names != plain["applied"].get(app):
        out.append("%s recorded %s, plain migrate %s" % (app, names, plain["applied"].get(app)))
for key in ("schema", "content_types", "permissions"):
    if fast[key] != plain[key]:
        if key == "schema":
            for t in sorted(set(fast[key]) | set(plain[key])):
                if fast[key].get(t) != plain[key].get(t):
                    out.append("table %s: fast %s, plain %s" % (t, fast[key].get(t), plain[key].get(t)))
        else:
            out.append("%s differ: %s" % (key, set(map(tuple, fast[key])) ^ set(map(tuple, plain[key]))))
print("\n".join(out[:8]))
PY
)
	fi
	if [ -z "$why" ]; then ok "fast migrate: $name's database is the one plain migrate makes"; else notok "fast migrate: $name's database is the one plain migrate makes" "$why"; fi
}

all_contrib='lambda s, a: {"auth", "contenttypes", "sessions", "admin"} <= s'
for ch in ecommerce-api recipe-platform ticket-system; do
	dir=$WORK/$ch
	cp -a "challenges/$ch/solution" "$dir"
	compare "$ch" "$dir" "$all_contrib"
done

# accounts' 0001 depends on ('auth', '0012_...'), as every custom user model
# made from AbstractUser does: auth cannot leave the graph, so its tables
# are created from its models and its migrations recorded as applied
# (faked), and so are contenttypes'. admin leaves the graph as before.
"$ROOT/tests/corpus/make.sh" email_user "$WORK/email_user" >"$WORK/email_user.log" 2>&1
compare email_user "$WORK/email_user" \
	'lambda s, a: {"auth", "contenttypes", "sessions", "admin"} <= s and {"auth", "contenttypes", "accounts"} <= a and "admin" not in a'

# A project migration that names one of admin's: admin must stay in the
# graph, but its 0001 depends on the custom user's app (a project app),
# so it cannot be faked before that app migrates: admin keeps its
# migrations, auth and contenttypes are still faked.
cp -a "$WORK/email_user" "$WORK/names_admin"
cat >"$WORK/names_admin/accounts/migrations/0002_after_admin.py" <<'PY'
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("admin", "0003_logentry_add_action_flag_choices")]
    operations = []
PY
compare names_admin "$WORK/names_admin" 'lambda s, a: "admin" not in s and {"auth", "contenttypes", "sessions"} <= s and {"admin", "auth"} <= a'

# A project migration that runs before auth's first (an app of its own,
# "early"): auth's migrations cannot be recorded as applied before it runs,
# so auth keeps its migrations; contenttypes, which auth's name only as
# __first__, still leaves the graph.
cp -a "$WORK/ecommerce-api" "$WORK/before_auth"
mkdir -p "$WORK/before_auth/early/migrations"
: >"$WORK/before_auth/early/__init__.py"
: >"$WORK/before_auth/early/migrations/__init__.py"
: >"$WORK/before_auth/early/models.py"
cat >"$WORK/before_auth/early/migrations/0001_initial.py" <<'PY'
from django.db import migrations


class Migration(migrations.Migration):
    run_before = [("auth", "0001_initial")]
    operations = []
PY
echo 'INSTALLED_APPS = INSTALLED_APPS + ["early"]' >>"$WORK/before_auth/config/settings.py"
compare before_auth "$WORK/before_auth" \
	'lambda s, a: "auth" not in s and {"admin", "sessions", "contenttypes"} <= s and {"auth", "early"} <= a'
