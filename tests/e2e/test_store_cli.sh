#!/usr/bin/env bash
# The store answers back: `grader show RUN` prints a recorded run as `grade`
# printed it (text and JSON), a run that could not be graded too; unknown
# runs and students are clear usage errors.
source "$(dirname "$0")/lib.sh"
db=$WORK/results.sqlite3
mkrepo "$ROOT/challenges/ecommerce-api/solution" "$WORK/alice" >/dev/null 2>&1

"$GRADER" grade "$WORK/alice" --challenge ecommerce-api --db "$db" >"$WORK/g.txt" 2>"$WORK/g.err"; rc1=$?
"$GRADER" grade "$WORK/alice" --challenge ecommerce-api --db "$db" --format json >"$WORK/g.json" 2>>"$WORK/g.err"
"$GRADER" grade "$WORK/nowhere" --challenge ecommerce-api --db "$db" --format json >"$WORK/f.json" 2>>"$WORK/g.err"; rc3=$?

"$GRADER" show 1 --db "$db" >"$WORK/s.txt" 2>"$WORK/s.err"; rc=$?
if [ "$rc1" = 0 ] && [ "$rc" = 0 ] && diff "$WORK/g.txt" "$WORK/s.txt" >"$WORK/d.txt"; then
	ok "show prints a recorded run's text report as grade printed it"
else
	notok "show prints a recorded run's text report as grade printed it" "grade $rc1, show $rc: $(cat "$WORK/d.txt" "$WORK/s.err" "$WORK/g.err" | head -30)"
fi

# JSON: every key grade printed that the store keeps comes back equal.
cmp_json() {
	python3 - "$1" "$2" <<'PY'
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for k in ["grader", "challenge", "submission", "status", "score", "max_score", "checks",
          "diagnosis", "sandbox", "timings_ms"]:
    if a.get(k) != b.get(k):
        sys.exit(f"{k}: {a.get(k)!r} != {b.get(k)!r}")
PY
}
"$GRADER" show 2 --db "$db" --format json >"$WORK/s.json" 2>"$WORK/s.err"; rc=$?
why=$(cmp_json "$WORK/g.json" "$WORK/s.json" 2>&1)
[ "$rc" = 0 ] && [ -z "$why" ] && ok "show --format json gives back the graded report" \
	|| notok "show --format json gives back the graded report" "exit $rc: $why $(cat "$WORK/s.err")"

"$GRADER" show 3 --db "$db" --format json >"$WORK/s3.json" 2>"$WORK/s.err"; rc=$?
why=$(cmp_json "$WORK/f.json" "$WORK/s3.json" 2>&1)
[ "$rc3" = 3 ] && [ "$rc" = 0 ] && [ -z "$why" ] && [ "$(jget "$WORK/s3.json" "r['status']")" = fetch-failed ] \
	&& ok "show gives back a run that could not be graded, with its diagnosis" \
	|| notok "show gives back a run that could not be graded, with its diagnosis" "grade $rc3 show $rc: $why"

"$GRADER" show 99 --db "$db" >/dev/null 2>"$WORK/e.txt"; rc=$?
[ "$rc" = 2 ] && grep -q "no run 99" "$WORK/e.txt" && ok "show of an unknown run is a usage error naming it" \
	|| notok "show of an unknown run is a usage error naming it" "exit $rc: $(cat "$WORK/e.txt")"
"$GRADER" show abc --db "$db" >/dev/null 2>"$WORK/e.txt"; rc=$?
[ "$rc" = 2 ] && grep -q "'abc' is not a run id" "$WORK/e.txt" && ok "show of a bad run id is a usage error" \
	|| notok "show of a bad run id is a usage error" "exit $rc: $(cat "$WORK/e.txt")"
"$GRADER" history nobody --db "$db" >/dev/null 2>"$WORK/e.txt"; rc=$?
[ "$rc" = 2 ] && grep -q "no runs of student 'nobody'" "$WORK/e.txt" && ok "history of an unknown student says so" \
	|| notok "history of an unknown student says so" "exit $rc: $(cat "$WORK/e.txt")"

# One submission however the source is written.
( cd "$WORK" && "$GRADER" grade ./alice/ --challenge ecommerce-api --db "$db" --no-db >/dev/null 2>&1 )
( cd "$WORK" && "$GRADER" grade "file://$WORK/alice" --challenge ecommerce-api --db "$db" >/dev/null 2>&1 )
n=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from submissions where commit_id<>''\").fetchone()[0])" "$db")
[ "$n" = 1 ] && ok "a path and a file:// URL of one repository are one submission" \
	|| notok "a path and a file:// URL of one repository are one submission" "$n submissions"
