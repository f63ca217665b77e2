#!/usr/bin/env bash
# The boot module creates django.contrib's tables from their models instead
# of replaying their migrations (issue 13: most of a small project's migrate).
# That is only right if the result is the database plain `migrate` makes:
# same tables, columns, keys, indexes, CHECK clauses, content types and
# permissions, for every challenge's reference and for a custom user model
# whose migration names one of auth's migrations (auth and what its
# migrations name must then stay migrated).
source "$(dirname "$0")/lib.sh"
PYTHON=${GRADER_TEST_PYTHON:-$("$GRADER" env default 2>/dev/null)}
export PYTHON

schema() { # PROJECT MODE OUT
	local state=$WORK/state-$RANDOM$RANDOM
	mkdir -p "$state"
	( cd "$1" && SECRET_KEY=t DJANGO_SECRET_KEY=t "$PYTHON" "$ROOT/tests/e2e/migrate_schema.py" "$1" "$state" "$2" ) >"$3" 2>"$3.err"
}

compare() { # NAME PROJECT WANT_SYNCED_PYEXPR
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
if not want(set(fast["synced"])):
    out.append("synced %s, not what the project allows" % fast["synced"])
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

all_contrib='lambda s: {"auth", "contenttypes", "sessions", "admin"} <= s'
for ch in ecommerce-api recipe-platform ticket-system; do
	dir=$WORK/$ch
	cp -a "challenges/$ch/solution" "$dir"
	compare "$ch" "$dir" "$all_contrib"
done

# accounts' 0001 depends on ('auth', '0012_...'): auth keeps its migrations,
# and so does contenttypes, which auth's migrations name.
"$ROOT/tests/corpus/make.sh" email_user "$WORK/email_user" >"$WORK/email_user.log" 2>&1
compare email_user "$WORK/email_user" 'lambda s: "auth" not in s and "contenttypes" not in s and "sessions" in s'
