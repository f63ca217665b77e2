#!/usr/bin/env bash
# grader batch on a class of seven (tests/e2e/class_lib.sh): stopped with
# Ctrl-C (SIGINT) and killed with kill -9 midway, then resumed: every
# student recorded exactly once, the gradebook right (deadline, cutoff,
# extension, late penalty), the CSV read back by Python's csv module; a
# finished batch run again grades nobody twice; bad rosters are clear
# errors; a GitHub Classroom roster with --repo-template.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/class_lib.sh"
class_make
db=$WORK/class.sqlite3
cd "$WORK" || exit 1
# exec: in the background, $! is the grader itself, which the signals are for.
batch() { exec "$GRADER" batch class/roster.csv --challenge ecommerce-api --db "$db" --deadline "$CLASS_DEADLINE" \
	--late-policy "$CLASS_POLICY" --jobs 2 "$@"; }
sql() { python3 -c "import sqlite3,sys; [print('|'.join(map(str,r))) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])]" "$db" "$1" 2>/dev/null; }
wait_for() {  # FILE-or-SQL TEST SECONDS: poll until the shell test holds
	local i
	for i in $(seq 1 $(($3 * 10))); do eval "$2" && return 0; sleep 0.1; done
	return 1
}

# 1. Ctrl-C while submissions are running.
( batch ) >"$WORK/b1.out" 2>"$WORK/b1.err" &
pid=$!
wait_for x 'grep -q "^\[1/7\]" "$WORK/b1.err"' 120
kill -INT $pid
wait $pid; rc=$?
sleep 0.5
left=$(left_running)
if [ "$rc" = 130 ] && grep -q "To resume, run the same command again" "$WORK/b1.err" && [ -z "$left" ] \
	&& ! ls -d "$WORK"/grader-batch-* >/dev/null 2>&1 && ! ls -d "$WORK"/grader-* >/dev/null 2>&1; then
	ok "Ctrl-C ends the running submissions, removes their workspaces and says how to resume"
else
	notok "Ctrl-C ends the running submissions, removes their workspaces and says how to resume" \
		"exit $rc, left running: $left; $(ls -d "$WORK"/grader-* 2>&1); $(tail -5 "$WORK/b1.err")"
fi
n1=$(sql "select count(*) from runs")

# 2. Resumed, then killed with -9 midway.
( batch ) >"$WORK/b2.out" 2>"$WORK/b2.err" &
pid=$!
wait_for x '[ "$(sql "select count(*) from runs")" -ge $((n1 + 2)) ]' 180
kill -9 $pid
wait $pid 2>/dev/null
sleep 1
n2=$(sql "select count(*) from runs")
left=$(left_running)
[ -z "$left" ] && ok "kill -9 of a batch leaves no submission running" \
	|| notok "kill -9 of a batch leaves no submission running" "pids $left"

# 3. Resumed to the end.
( batch ) >"$WORK/b3.out" 2>"$WORK/b3.err"; rc=$?
per=$(sql "select st.name, count(*) from runs r join students st on st.id=r.student_id group by st.name order by st.name")
want="alice|1
bob|1
carol|1
dave|1
eve|1
frank|1
hana|1"
if [ "$rc" = 0 ] && [ "$per" = "$want" ] && grep -q "(resumed)" "$WORK/b3.out" && [ "$n1" -ge 1 ] && [ "$n2" -gt "$n1" ] \
	&& [ "$n2" -lt 7 ]; then
	ok "stopped, killed and resumed: every student recorded exactly once ($n1 then $n2 of 7 before the last run)"
else
	notok "stopped, killed and resumed: every student recorded exactly once" "exit $rc; runs $n1, $n2; $per; $(tail -5 "$WORK/b3.err")"
fi
[ "$(sql "select count(*) from batches where finished_at is not null")" = 1 ] \
	&& [ "$(sql "select count(distinct batch_id) from runs")" = 1 ] \
	&& ok "the three invocations are one batch, finished once" \
	|| notok "the three invocations are one batch, finished once" "$(sql "select * from batches")"

# 4. The gradebook, read by a CSV reader as an LMS import would.
"$GRADER" export --challenge ecommerce-api --format csv --db "$db" >"$WORK/gb.csv" 2>"$WORK/e.err"; rc=$?
got=$(gradebook_core "$WORK/gb.csv")
[ "$rc" = 0 ] && [ "$got" = "$CLASS_EXPECTED" ] && ok "gradebook: scores, late penalties and statuses as the deadline rules say" \
	|| notok "gradebook: scores, late penalties and statuses as the deadline rules say" "exit $rc
$got"
why=$(python3 - "$WORK/gb.csv" "$WORK/class" <<'PY'
import csv, re, sys
raw = open(sys.argv[1], 'rb').read()
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
hdr = ['student', 'score', 'max_score', 'late_penalty', 'final_score', 'status', 'commit', 'graded_at']
assert rows[0] == hdr, rows[0]
assert len(rows) == 8 and all(len(r) == 8 for r in rows), [len(r) for r in rows]
assert raw.count(b'\r\n') == 8, 'RFC 4180 line ends'
for r in rows[1:]:
    assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', r[7]), r
    assert r[6] == '' if r[5] == 'fetch-failed' else re.fullmatch('[0-9a-f]{40}', r[6]), r
    assert int(r[4]) == max(0, int(r[1]) - int(r[3])) or r[5] != 'graded', r
import subprocess
carol = [r for r in rows if r[0] == 'carol'][0]
first = subprocess.run(['git', '-C', sys.argv[2] + '/carol', 'rev-parse', 'HEAD~1'], capture_output=True, text=True).stdout.strip()
assert carol[6] == first, ('carol: the commit before the cutoff', carol[6], first)
PY
)
[ -z "$why" ] && ok "gradebook CSV: LMS header, one row a student, RFC 4180, the commit before the cutoff" \
	|| notok "gradebook CSV: LMS header, one row a student, RFC 4180, the commit before the cutoff" "$why"
"$GRADER" export --challenge ecommerce-api --format csv --checks --db "$db" >"$WORK/gbc.csv"
why=$(python3 - "$WORK/gbc.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
assert len(rows) == 7
checks = [k for k in rows[0] if k not in ('student', 'score', 'max_score', 'late_penalty', 'final_score', 'status', 'commit', 'graded_at')]
assert checks[:2] == ['products-list', 'product-detail'], checks
bob = [r for r in rows if r['student'] == 'bob'][0]
assert bob['order-out-of-stock'] == '0' and bob['products-list'] == '10', bob
for r in rows:
    if r['status'] == 'graded':
        assert sum(int(r[c]) for c in checks) == int(r['score']), r
PY
)
[ -z "$why" ] && ok "gradebook --checks: one column a check, adding up to the score" \
	|| notok "gradebook --checks: one column a check, adding up to the score" "$why"
"$GRADER" history frank --db "$db" >"$WORK/h.txt" 2>&1
run=$(awk 'NR==2 {print $1}' "$WORK/h.txt")
"$GRADER" show "$run" --db "$db" >"$WORK/frank.txt" 2>&1
grep -q "2 days late: 10% a day, at most 50%: -20 points" "$WORK/frank.txt" && grep -q "final score 80/100" "$WORK/frank.txt" \
	&& ok "history and show: the report says which commit was graded, how late, and the penalty" \
	|| notok "history and show: the report says which commit was graded, how late, and the penalty" "$(cat "$WORK/h.txt" "$WORK/frank.txt")"

# 5. The same command after the batch finished: nobody graded twice (a
# failed fetch is tried again: the repository may exist now).
before=$(sql "select count(*) from runs")
( batch ) >"$WORK/b4.out" 2>"$WORK/b4.err"; rc=$?
after=$(sql "select count(*) from runs")
grep -c "skipped, already graded" "$WORK/b4.err" >"$WORK/nskip"
[ "$rc" = 0 ] && [ "$after" = $((before + 1)) ] && [ "$(cat "$WORK/nskip")" = 6 ] \
	&& ok "a finished batch run again skips every student already graded" \
	|| notok "a finished batch run again skips every student already graded" "exit $rc, runs $before -> $after; $(cat "$WORK/b4.err")"

# 6. Rosters: errors name what is wrong; a GitHub Classroom roster.
printf 'student,repo\nzoe,/x\nzoe,/y\n' >"$WORK/dup.csv"
"$GRADER" batch "$WORK/dup.csv" --challenge ecommerce-api --db "$WORK/x.db" >/dev/null 2>"$WORK/e.txt"; rc=$?
[ "$rc" = 2 ] && grep -q "line 3: student 'zoe' is listed twice" "$WORK/e.txt" \
	&& ok "a roster listing a student twice is refused, naming the line" \
	|| notok "a roster listing a student twice is refused, naming the line" "exit $rc: $(cat "$WORK/e.txt")"
printf 'identifier,github_username,github_id,name\nzoe@uni.example,zoe-gh,101,Zoe\nyan@uni.example,,,Yan\n' >"$WORK/gc.csv"
"$GRADER" batch "$WORK/gc.csv" --challenge ecommerce-api --db "$WORK/x.db" >/dev/null 2>"$WORK/e.txt"; rc=$?
[ "$rc" = 2 ] && grep -q "give --repo-template" "$WORK/e.txt" \
	&& ok "a GitHub Classroom roster without --repo-template is refused, saying what to add" \
	|| notok "a GitHub Classroom roster without --repo-template is refused, saying what to add" "exit $rc: $(cat "$WORK/e.txt")"
"$GRADER" batch "$WORK/gc.csv" --challenge ecommerce-api --db "$WORK/x.db" --repo-template "$WORK/hw1-{github_username}" \
	>/dev/null 2>"$WORK/e.txt"; rc=$?
"$GRADER" export --challenge ecommerce-api --format csv --db "$WORK/x.db" >"$WORK/x.csv"
"$GRADER" history zoe@uni.example --db "$WORK/x.db" >"$WORK/zoe.txt" 2>&1
"$GRADER" show "$(awk 'NR==2 {print $1}' "$WORK/zoe.txt")" --db "$WORK/x.db" >"$WORK/zoe.show" 2>&1
[ "$rc" = 0 ] && [ "$(gradebook_core "$WORK/x.csv")" = "yan@uni.example,0,100,0,0,fetch-failed
zoe@uni.example,0,100,0,0,fetch-failed" ] && grep -q "hw1-zoe-gh" "$WORK/zoe.show" \
	&& grep -q "no GitHub account is linked" "$WORK/e.txt" \
	&& ok "a GitHub Classroom roster: repositories from the template, unlinked entries said so" \
	|| notok "a GitHub Classroom roster: repositories from the template, unlinked entries said so" "exit $rc: $(cat "$WORK/e.txt" "$WORK/x.csv" "$WORK/zoe.show")"
