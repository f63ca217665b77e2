#!/usr/bin/env bash
# End to end on the e-commerce challenge: the reference solution scores
# 100/100 with the exact JSON of contracts §1 and is recorded in SQLite; a
# bad source, a bad ref, an app that cannot boot and a view that never
# answers each give the verdict the contract names; nothing is left running.
source "$(dirname "$0")/lib.sh"
SOL=$ROOT/challenges/ecommerce-api/solution

mkrepo "$SOL" "$WORK/ref" >/dev/null 2>&1 || notok setup "could not make the reference repository"

# --- the reference solution ---------------------------------------------
grade "$WORK/ref.json" "$WORK/ref" ecommerce-api
if [ "$rc" = 0 ] && [ "$(jget "$WORK/ref.json" "r['score'], r['max_score'], r['status']")" = "100 100 graded" ]; then
	ok "reference solution scores 100/100"
else
	notok "reference solution scores 100/100" "exit $rc: $(head -c 3000 "$WORK/ref.json") $(tail -5 "$WORK/ref.json.err")"
fi

keys=$(jget "$WORK/ref.json" "list(r.keys())")
want="['grader', 'challenge', 'submission', 'status', 'score', 'max_score', 'checks', 'diagnosis', 'sandbox', 'timings_ms', 'run_id', 'environment', 'routes', 'auth', 'causes', 'class', 'warnings', 'boot_phases_ms', 'checks_timing_ms']"
[ "$keys" = "$want" ] && ok "report has the contract's keys in order" || notok "report has the contract's keys in order" "$keys"

# run_id is the stored run's id; environment says what was installed and
# why, and the Django the app booted with: the default runtime's pin.
dbrun=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select max(id) from runs').fetchone()[0])" "$WORK/results.sqlite3")
pinned=$(sed -n 's/^Django==//p' "$ROOT/runtime/requirements.txt")
envw=$(jget "$WORK/ref.json" "r['run_id'] == $dbrun, sorted(r['environment']), r['environment']['requirements_source'], r['environment']['inferred'], r['environment']['relaxed'], r['environment']['django'] == '$pinned', r['routes'], r['auth']")
[ -n "$pinned" ] && [ "$envw" = "True ['django', 'inferred', 'left_out', 'python', 'python_reason', 'relaxed', 'requirements_source'] (default runtime) [] [] True None session" ] \
	&& ok "report carries run_id, environment, routes and auth" || notok "report carries run_id, environment, routes and auth" "$envw (db run $dbrun)"

ckeys=$(jget "$WORK/ref.json" "list(r['checks'][0].keys())")
[ "$ckeys" = "['id', 'title', 'category', 'points', 'max_points', 'status', 'message', 'duration_ms', 'visibility']" ] \
	&& ok "check entries have the contract's keys" || notok "check entries have the contract's keys" "$ckeys"

ids=$(jget "$WORK/ref.json" "' '.join('%s:%d' % (c['id'], c['max_points']) for c in r['checks'] if c['max_points'])")
[ "$ids" = "products-list:10 product-detail:10 product-create-staff-only:15 order-create:15 order-out-of-stock:20 order-quantity-validation:10 order-auth-required:10 orders-private:10" ] \
	&& ok "rubric ids and points are the contract's" || notok "rubric ids and points are the contract's" "$ids"

commit=$(git -C "$WORK/ref" rev-parse HEAD)
[ "$(jget "$WORK/ref.json" "r['submission']['commit']")" = "$commit" ] \
	&& ok "the graded commit id is recorded" || notok "the graded commit id is recorded" "$(jget "$WORK/ref.json" "r['submission']")"

[ "$(jget "$WORK/ref.json" "sorted(r['timings_ms'].keys())")" = "['boot', 'checks', 'environment', 'fetch', 'total']" ] \
	&& ok "timings cover every phase" || notok "timings cover every phase" "$(jget "$WORK/ref.json" "r['timings_ms']")"

# Boot's own phases, timed as the events arrived: each one seen, in order,
# and together within the boot phase that contains them.
bp="list(r['boot_phases_ms']) == ['start', 'import', 'setup', 'migrate', 'users', 'serve'] and all(isinstance(v, int) and v >= 0 for v in r['boot_phases_ms'].values()) and sum(r['boot_phases_ms'].values()) <= r['timings_ms']['boot']"
[ "$(jget "$WORK/ref.json" "$bp")" = True ] \
	&& ok "boot phases are timed, in order, within boot" || notok "boot phases are timed, in order, within boot" "$(jget "$WORK/ref.json" "r['boot_phases_ms'], r['timings_ms']")"

# The checks' time split (issue 13): one entry per check in the checks'
# order, the run's figures their sums, and each check's parts adding up to
# its duration (each part is rounded to 0.1 ms, the duration to 1 ms).
ct="(lambda t, parts: [c['id'] for c in t['by_check']] == [c['id'] for c in r['checks']] \
and t['requests'] == sum(c['requests'] for c in t['by_check']) > 20 and t['connects'] <= t['requests'] \
and abs(t['app'] - sum(c['app'] for c in t['by_check'])) < 1 and t['app'] > t['grader'] \
and all(abs(sum(b[p] for p in parts) - c['duration_ms']) <= 2 for b, c in zip(t['by_check'], r['checks']))) \
(r['checks_timing_ms'], ['connect', 'app', 'receive', 'http', 'grader'])"
[ "$(jget "$WORK/ref.json" "$ct")" = True ] \
	&& ok "the checks' time is split per request and per check" || notok "the checks' time is split per request and per check" "$(jget "$WORK/ref.json" "r['checks_timing_ms'], [c['duration_ms'] for c in r['checks']]")"

stored=$(python3 - "$WORK/results.sqlite3" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
run = db.execute("select id, status, score, max_score from runs order by id desc limit 1").fetchone()
n = db.execute("select count(*) from check_results where run_id = ? and status = 'pass'", (run[0],)).fetchone()[0]
print(run[1], run[2], run[3], n)
PY
)
nchecks=$(jget "$WORK/ref.json" "len(r['checks'])")
[ "$stored" = "graded 100 100 $nchecks" ] && ok "the run and its checks are stored in SQLite" || notok "the run and its checks are stored in SQLite" "$stored"

"$GRADER" grade "$WORK/ref" --challenge ecommerce-api --db "$WORK/results.sqlite3" >"$WORK/ref.txt" 2>&1
grep -q "100/100" "$WORK/ref.txt" && grep -q "order-out-of-stock" "$WORK/ref.txt" \
	&& ok "text report shows the checks and the total" || notok "text report shows the checks and the total" "$(cat "$WORK/ref.txt")"

# --- fetch failures --------------------------------------------------------
grade "$WORK/nope.json" "$WORK/does-not-exist" ecommerce-api
[ "$rc" = 3 ] && [ "$(jget "$WORK/nope.json" "r['status']")" = "fetch-failed" ] && [ -n "$(jget "$WORK/nope.json" "r['diagnosis'] or ''")" ] \
	&& [ "$(jget "$WORK/nope.json" "r['max_score'], r['environment']")" = "100 None" ] \
	&& ok "a missing repository is fetch-failed with exit 3" || notok "a missing repository is fetch-failed with exit 3" "exit $rc $(cat "$WORK/nope.json")"

grade "$WORK/badref.json" "file://$WORK/ref" ecommerce-api --ref no-such-branch
[ "$rc" = 3 ] && [ "$(jget "$WORK/badref.json" "r['status']")" = "fetch-failed" ] && jget "$WORK/badref.json" "r['diagnosis']" | grep -q "no-such-branch" \
	&& ok "a bad ref is fetch-failed and named" || notok "a bad ref is fetch-failed and named" "exit $rc $(cat "$WORK/badref.json")"

# --- boot failures -----------------------------------------------------------
mkrepo "$SOL" "$WORK/importerr" >/dev/null 2>&1
echo "import grader_missing_module_for_test" >>"$(settings_file "$WORK/importerr")"
commit_all "$WORK/importerr" >/dev/null
grade "$WORK/importerr.json" "$WORK/importerr" ecommerce-api
[ "$rc" = 3 ] && [ "$(jget "$WORK/importerr.json" "r['status']")" = "boot-failed" ] && jget "$WORK/importerr.json" "r['diagnosis']" | grep -q "grader_missing_module_for_test" \
	&& ok "an import error is boot-failed with the module in the diagnosis" || notok "an import error is boot-failed with the module in the diagnosis" "exit $rc $(head -c 2000 "$WORK/importerr.json")"

mkrepo "$SOL" "$WORK/migfail" >/dev/null 2>&1
migdir=$(dirname "$(find "$WORK/migfail" -path '*/migrations/0001_*.py' | head -1)")
last=$(ls "$migdir" | grep -E '^[0-9]{4}_.*\.py$' | sort | tail -1 | sed 's/\.py$//')
app=$(basename "$(dirname "$migdir")")
cat >"$migdir/9999_boom.py" <<PY
from django.db import migrations

def boom(apps, schema_editor):
    raise RuntimeError("grader-test migration exploded")

class Migration(migrations.Migration):
    dependencies = [("$app", "$last")]
    operations = [migrations.RunPython(boom)]
PY
commit_all "$WORK/migfail" >/dev/null
grade "$WORK/migfail.json" "$WORK/migfail" ecommerce-api
[ "$rc" = 3 ] && [ "$(jget "$WORK/migfail.json" "r['status']")" = "boot-failed" ] && jget "$WORK/migfail.json" "r['diagnosis']" | grep -q "migration exploded" \
	&& ok "a failing migration is boot-failed with its error" || notok "a failing migration is boot-failed with its error" "exit $rc $(head -c 2000 "$WORK/migfail.json")"

# --- a local repository with uncommitted changes -----------------------------
# By default the last commit is graded, with a warning; --worktree grades the
# working tree as it is, without the files git ignores.
mkrepo "$SOL" "$WORK/wt" >/dev/null 2>&1
printf 'junk/\n' >"$WORK/wt/.gitignore"
commit_all "$WORK/wt" >/dev/null
mkdir -p "$WORK/wt/junk" && echo ignored >"$WORK/wt/junk/kept-out.txt"
echo 'raise RuntimeError("an uncommitted edit")' >>"$(settings_file "$WORK/wt")"
grade "$WORK/wt1.json" "$WORK/wt" ecommerce-api
w1=$(jget "$WORK/wt1.json" "r['status'], r['score'], r['warnings']")
case $w1 in
"graded 100 ["*"has 1 uncommitted change"*"--worktree"*) ok "uncommitted changes: the last commit is graded, with a warning" ;;
*) notok "uncommitted changes: the last commit is graded, with a warning" "$w1" ;;
esac
rm -rf "$WORK/wtkeep" && mkdir -p "$WORK/wtkeep"
TMPDIR=$WORK/wtkeep grade "$WORK/wt2.json" "$WORK/wt" ecommerce-api --worktree --keep-workspace
w2=$(jget "$WORK/wt2.json" "r['status'], 'an uncommitted edit' in r['diagnosis'], r['submission']['commit'] == '$(git -C "$WORK/wt" rev-parse HEAD)'")
kept=$(find "$WORK/wtkeep" -path '*/checkout/junk' | head -1)
[ "$w2" = "boot-failed True True" ] && [ -z "$kept" ] && [ -n "$(find "$WORK/wtkeep" -path '*/checkout/manage.py')" ] \
	&& ok "--worktree grades the working tree as it is, without ignored files" \
	|| notok "--worktree grades the working tree as it is, without ignored files" "$w2; ignored copied: $kept"
rm -rf "$WORK/wtkeep"

# --- a view that never answers ------------------------------------------------
mkrepo "$SOL" "$WORK/slow" >/dev/null 2>&1
urls=$(dirname "$(settings_file "$WORK/slow")")/urls.py
cat >>"$urls" <<'PY'

import time as _t
from django.urls import path as _p
def _never(request, pk):
    _t.sleep(3600)
urlpatterns.insert(0, _p("api/products/<int:pk>/", _never))
PY
commit_all "$WORK/slow" >/dev/null
start=$(date +%s)
grade "$WORK/slow.json" "$WORK/slow" ecommerce-api --request-timeout 2
took=$(( $(date +%s) - start ))
st=$(check_status "$WORK/slow.json" product-detail)
if [ "$rc" = 0 ] && [ "$st" = error ] && jget "$WORK/slow.json" "[c['message'] for c in r['checks'] if c['id']=='product-detail'][0]" | grep -q "no answer within 2 s" \
	&& [ "$(check_status "$WORK/slow.json" products-list)" = pass ] && [ "$took" -lt 120 ] \
	&& [ "$(check_status "$WORK/slow.json" product-create-staff-only)" = pass ] && [ "$(check_status "$WORK/slow.json" orders-private)" = pass ]; then
	# The server thread stuck in the view is not given the next requests.
	ok "a view that never answers is an error for its check; the checks after it still pass"
else
	notok "a view that never answers is an error for its check; the checks after it still pass" "exit $rc, product-detail=$st, ${took}s $(head -c 1500 "$WORK/slow.json")"
fi

# --- nothing left running ----------------------------------------------------
sleep 0.2
left=$(left_running)
[ -z "$left" ] && ok "no app process is left after grading" || notok "no app process is left after grading" "pids: $left"

# --- usage and bad challenge files ------------------------------------------
"$GRADER" grade "$WORK/ref" >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] && ok "missing --challenge is a usage error (exit 2)" || notok "missing --challenge is a usage error (exit 2)" "exit $rc"

mkdir -p "$WORK/badch/checks"
printf 'id: bad\ntitle: Bad\nusers: []\ninclude: [checks/a.yaml]\n' >"$WORK/badch/challenge.yaml"
printf 'checks:\n  - id: x\n    title: X\n    points: 1\n    steps:\n      - url: /\n        expext: []\n' >"$WORK/badch/checks/a.yaml"
"$GRADER" grade "$WORK/ref" --challenge "$WORK/badch" >/dev/null 2>"$WORK/badch.err"; rc=$?
[ "$rc" = 2 ] && grep -qE "checks/a.yaml:7:[0-9]+:.*expext" "$WORK/badch.err" \
	&& ok "a malformed challenge exits 2 with file:line:column" || notok "a malformed challenge exits 2 with file:line:column" "exit $rc: $(cat "$WORK/badch.err")"

# --- a server that accepts and never answers the clone ----------------------
python3 - "$WORK/port" <<'PY' &
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
conns = []
end = time.time() + 60
while time.time() < end:
    s.settimeout(1)
    try:
        conns.append(s.accept()[0])   # accept, then say nothing
    except OSError:
        pass
PY
silent=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
start=$(date +%s)
grade "$WORK/stall.json" "https://127.0.0.1:$(cat "$WORK/port")/student/shop.git" ecommerce-api --fetch-timeout 2
took=$(( $(date +%s) - start ))
kill "$silent" 2>/dev/null; wait "$silent" 2>/dev/null
[ "$rc" = 3 ] && [ "$(jget "$WORK/stall.json" "r['status']")" = fetch-failed ] && jget "$WORK/stall.json" "r['diagnosis']" | grep -q "did not finish within 2 s" && [ "$took" -lt 30 ] \
	&& ok "a clone that stalls is cut off at the fetch time limit" \
	|| notok "a clone that stalls is cut off at the fetch time limit" "exit $rc, ${took}s: $(cat "$WORK/stall.json")"

# --- the text report says which interpreter and requirements were used ------
grep -qE "^Environment: Python 3\.[0-9]+.*requirements: \(default runtime\).*; Django $pinned\$" "$WORK/ref.txt" \
	&& ok "the text report names the interpreter and the requirements" \
	|| notok "the text report names the interpreter and the requirements" "$(grep -i environment "$WORK/ref.txt")"
