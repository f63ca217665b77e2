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
( batch ) >/dev/null 2>"$WORK/twice.err"; rc=$?
[ "$rc" = 2 ] && grep -q "this batch is already running" "$WORK/twice.err" \
	&& ok "the same batch started twice at once: the second refuses, grading nobody" \
	|| notok "the same batch started twice at once: the second refuses, grading nobody" "exit $rc: $(cat "$WORK/twice.err")"
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
why=$(python3 - "$WORK/gb.csv" "$WORK/class" 2>&1 <<'PY'
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
why=$(python3 - "$WORK/gbc.csv" 2>&1 <<'PY'
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

# 6b. A batch grades the checkout it fetched to choose the commit (one clone
# a submission): what that fetch noticed (a submodule it did not fetch)
# reaches the report as it does with grader grade, word for word.
sub=$WORK/with-submodule
git init -q -b main "$sub" && echo hi >"$sub/README.md" \
	&& printf '[submodule "vendor"]\n\tpath = vendor\n\turl = https://example.invalid/v.git\n' >"$sub/.gitmodules" \
	&& git -C "$sub" add .gitmodules README.md \
	&& git -C "$sub" update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,vendor \
	&& git -C "$sub" -c user.name=t -c user.email=t@example.invalid commit -q -m sub
printf 'student,repo\nsam,%s\n' "$sub" >"$WORK/sub.csv"
"$GRADER" batch "$WORK/sub.csv" --challenge ecommerce-api --db "$WORK/sub.db" --jobs 1 >/dev/null 2>"$WORK/sub.err"; rc=$?
"$GRADER" history sam --db "$WORK/sub.db" >"$WORK/sam.txt" 2>&1
"$GRADER" show "$(awk 'NR==2 {print $1}' "$WORK/sam.txt")" --db "$WORK/sub.db" --format json >"$WORK/sam.json" 2>&1
"$GRADER" grade "$sub" --challenge ecommerce-api --no-db --format json >"$WORK/sam-grade.json" 2>/dev/null
why=$(python3 - "$WORK/sam.json" "$WORK/sam-grade.json" <<'PY' 2>&1
import json, sys
b, g = (json.load(open(f)) for f in sys.argv[1:])
assert b["status"] == g["status"] == "setup-failed", (b["status"], g["status"])
assert "Submodules are not fetched: vendor" in b["diagnosis"], b["diagnosis"]
assert b["diagnosis"] == g["diagnosis"], (b["diagnosis"], g["diagnosis"])
assert b["submission"]["commit"] == g["submission"]["commit"], (b["submission"], g["submission"])
PY
)
[ "$rc" = 0 ] && [ -z "$why" ] && ok "a batch's report says what its one fetch noticed (a submodule), as grader grade's does" \
	|| notok "a batch's report says what its one fetch noticed (a submodule), as grader grade's does" \
		"exit $rc: $why $(cat "$WORK/sub.err")"

# 7a. Beyond one machine: three shards as separate processes, each told its
# share the way a cluster tells it (Kubernetes Indexed Job, Slurm array),
# each into its own database; merged, the same gradebook as one batch.
mkdir -p "$WORK/cluster"
shard_cmd() { cd "$WORK/cluster" && exec "$GRADER" batch ../class/roster.csv --challenge ecommerce-api \
	--deadline "$CLASS_DEADLINE" --late-policy "$CLASS_POLICY" --jobs 1; }
( JOB_COMPLETION_INDEX=0 GRADER_SHARDS=3 shard_cmd ) >"$WORK/s0.out" 2>&1 &
p0=$!
( JOB_COMPLETION_INDEX=1 GRADER_SHARDS=3 shard_cmd ) >"$WORK/s1.out" 2>&1 &
p1=$!
( SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=3 shard_cmd ) >"$WORK/s2.out" 2>&1 &
p2=$!
wait $p0; r0=$?; wait $p1; r1=$?; wait $p2; r2=$?
shards=$(python3 - "$WORK/cluster" 2>&1 <<'PY'
import sqlite3, sys
names = []
for i in range(3):
    db = sqlite3.connect(f"{sys.argv[1]}/grades-shard-{i}-of-3.sqlite3")
    names += [r[0] for r in db.execute("select s.name from runs r join students s on s.id = r.student_id")]
print(len(names), len(set(names)))
PY
)
[ "$r0$r1$r2" = 000 ] && [ "$shards" = "7 7" ] \
	&& ok "three shards from JOB_COMPLETION_INDEX and SLURM_ARRAY_TASK_ID grade every student once between them" \
	|| notok "three shards from JOB_COMPLETION_INDEX and SLURM_ARRAY_TASK_ID grade every student once between them" \
		"exits $r0 $r1 $r2, runs/students: $shards; $(tail -3 "$WORK"/s?.out)"
( cd "$WORK/cluster" && "$GRADER" merge grades-shard-0-of-3.sqlite3 grades-shard-1-of-3.sqlite3 \
	grades-shard-2-of-3.sqlite3 --into class.sqlite3 ) >"$WORK/m1.out" 2>&1; rc=$?
"$GRADER" export --challenge ecommerce-api --format csv --db "$WORK/cluster/class.sqlite3" >"$WORK/merged.csv"
"$GRADER" export --challenge ecommerce-api --format csv --checks --db "$WORK/cluster/class.sqlite3" >"$WORK/merged1.csv"
[ "$rc" = 0 ] && [ "$(gradebook_core "$WORK/merged.csv")" = "$CLASS_EXPECTED" ] \
	&& ok "merged shards give the same gradebook as one unsharded batch" \
	|| notok "merged shards give the same gradebook as one unsharded batch" "exit $rc: $(cat "$WORK/m1.out" "$WORK/merged.csv")"
( cd "$WORK/cluster" && "$GRADER" merge grades-shard-*-of-3.sqlite3 --into class.sqlite3 ) >"$WORK/m2.out" 2>&1; rc=$?
"$GRADER" export --challenge ecommerce-api --format csv --checks --db "$WORK/cluster/class.sqlite3" >"$WORK/merged2.csv"
[ "$rc" = 0 ] && [ "$(grep -c ': 0 runs added' "$WORK/m2.out")" = 3 ] && cmp -s "$WORK/merged1.csv" "$WORK/merged2.csv" \
	&& [ "$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from runs').fetchone()[0])" "$WORK/cluster/class.sqlite3")" = 7 ] \
	&& ok "merging the same shards twice changes nothing" \
	|| notok "merging the same shards twice changes nothing" "exit $rc: $(cat "$WORK/m2.out")"

# 7. The class report, opened in headless Chromium. One more student is
# put in the store by hand, hostile: markup in the id and a check message
# that tries to run script.
python3 - "$db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO students(name) VALUES ('<b>mallory</b>')")
sid = db.execute("SELECT id FROM students WHERE name='<b>mallory</b>'").fetchone()[0]
db.execute("INSERT INTO submissions(source, commit_id, student_id) VALUES ('/srv/<i>m</i>', ?, ?)", ("a" * 40, sid))
sub = db.execute("SELECT id FROM submissions WHERE source='/srv/<i>m</i>'").fetchone()[0]
suite = db.execute("SELECT id FROM suites").fetchone()[0]
db.execute("""INSERT INTO runs(submission_id, suite_id, grader_version, ref, status, score, max_score, started_at,
  t_fetch_ms, t_env_ms, t_boot_ms, t_checks_ms, t_total_ms, uuid, student_id, late_penalty)
  VALUES (?, ?, '0.1.0', 'HEAD', 'graded', 90, 100, '2026-01-01T00:00:00Z', 1, 1, 1, 1, 4, ?, ?, 0)""",
  (sub, suite, "f" * 32, sid))
run = db.execute("SELECT id FROM runs WHERE uuid=?", ("f" * 32,)).fetchone()[0]
msg = ("answered <script>document.title='pwned'</script><img src=x "
       "onerror=\"document.body.setAttribute('data-pwned','1')\"> expected 400")
db.execute("""INSERT INTO check_results(run_id, check_id, title, category, status, points, max_points, advisory,
  message, duration_ms, ord) VALUES (?, 'order-out-of-stock', 'Out of stock', 'orders', 'fail', 0, 20, 0, ?, 3, 0)""",
  (run, msg))
db.commit()
PY
"$GRADER" report --challenge ecommerce-api --html "$WORK/site" --db "$db" >"$WORK/r.out" 2>&1; rc=$?
npages=$(ls "$WORK/site/students" | grep -c '^run-[0-9]*\.html$')
[ "$rc" = 0 ] && [ -f "$WORK/site/index.html" ] && [ "$npages" = 8 ] && ok "report writes index.html and a page a student" \
	|| notok "report writes index.html and a page a student" "exit $rc, $npages pages: $(cat "$WORK/r.out")"
chrome() {  # URL OUT: dump the DOM after scripts ran; console and errors in OUT.log
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$(mktemp -d "$WORK/chr-XXXXXX")" \
		--enable-logging=stderr --v=0 --virtual-time-budget=2000 --dump-dom "$1" >"$2" 2>"$2.log"
}
chrome "file://$WORK/site/index.html" "$WORK/index.dom"
chrome "file://$WORK/site/index.html#sort=final:asc" "$WORK/sorted.dom"
mal=$(grep -o 'students/run-[0-9]*\.html">&lt;b&gt;mallory' "$WORK/index.dom" | grep -o 'run-[0-9]*\.html')
chrome "file://$WORK/site/students/$mal" "$WORK/mallory.dom"
why=$(python3 - "$WORK" 2>&1 <<'PY'
import os, re, sys
from html.parser import HTMLParser
w = sys.argv[1]
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.rows = []; self.tags = []; self.cur = None; self.attrs = []
    def handle_starttag(self, tag, a):
        a = dict(a); self.tags.append(tag); self.attrs.append((tag, a))
        if tag == 'tr' and a.get('class') in ('student', 'check', 'check worst'):
            self.cur = {'class': a.get('class'), 'cells': [], 'attrs': a}; self.rows.append(self.cur)
        if tag == 'td' and self.cur is not None:
            self.cur['cells'].append(a.get('data-v'))
        if tag == 'a' and self.cur is not None and 'href' in a:
            self.cur['href'] = a['href']
def parse(name):
    p = P(); p.feed(open(os.path.join(w, name)).read()); return p
idx = parse('index.dom')
students = [r for r in idx.rows if r['class'] == 'student']
checks = [r for r in idx.rows if r['class'].startswith('check')]
assert len(students) == 8, len(students)
for r in students:
    assert os.path.exists(os.path.join(w, 'site', r['href'])), r['href']
import sqlite3
want = sqlite3.connect(os.path.join(w, 'class.sqlite3')).execute(
    "select count(distinct check_id) from check_results c join runs r on r.id = c.run_id where r.status = 'graded'").fetchone()[0]
assert len(checks) == want and want >= 11, (len(checks), want)
assert checks[0]['attrs']['data-check'] == 'order-out-of-stock' and 'worst' in checks[0]['class'], checks[0]
rates = [int(r['attrs']['data-pass-rate']) for r in checks]
assert rates == sorted(rates), rates
bins = [int(a['data-count']) for t, a in idx.attrs if t == 'rect' and 'data-count' in a]
assert bins == [0] * 8 + [2, 1, 3], bins
srt = parse('sorted.dom')
table = [a for t, a in srt.attrs if t == 'table' and a.get('id') == 'students'][0]
assert table.get('data-sorted') == 'final:asc', table
finals = [int(r['cells'][1]) for r in srt.rows if r['class'] == 'student']
assert finals == sorted(finals) and finals[0] == 0 and finals[-1] == 100, finals
assert [r['cells'][0] for r in srt.rows if r['class'] == 'student'][:2] == ['dave', 'eve']
mal = open(os.path.join(w, 'mallory.dom')).read()
m = parse('mallory.dom')
assert 'pwned' not in ''.join(re.findall(r'<title>(.*?)</title>', mal)), 'title changed'
assert not any(a.get('data-pwned') for t, a in m.attrs), 'onerror ran'
assert 'script' not in m.tags and 'img' not in m.tags and 'i' not in m.tags, m.tags
assert '&lt;script&gt;document.title=' in mal, 'message shown escaped'
assert '<title>&lt;b&gt;mallory&lt;/b&gt;</title>' in mal, 'student id escaped in the title'
assert 'b' not in idx.tags, 'markup of a student id is text'
PY
)
[ -z "$why" ] && ok "class report in Chromium: histogram, checks worst first, students sorted by the page's script, links" \
	|| notok "class report in Chromium: histogram, checks worst first, students sorted by the page's script, links" "$why"
grep -q "onerror" "$WORK/mallory.dom" && ! grep -qi "data-pwned=" "$WORK/mallory.dom" \
	&& ok "a check message with <script> and onerror is shown as text and runs nothing" \
	|| notok "a check message with <script> and onerror is shown as text and runs nothing" "$(grep -i pwned "$WORK/mallory.dom" | head -3)"
bad=$(cat "$WORK"/*.dom.log | grep -E "Uncaught|CONSOLE|Refused to|Content Security Policy" | head -5)
[ -z "$bad" ] && ok "no console error and no CSP refusal on the class report's pages" \
	|| notok "no console error and no CSP refusal on the class report's pages" "$bad"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --user-data-dir="$(mktemp -d "$WORK/chr-XXXXXX")" --window-size=1200,1600 \
	--screenshot="$WORK/report.png" "file://$WORK/site/index.html" >/dev/null 2>&1
python3 -c "
import struct, sys
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n' and struct.unpack('>II', d[16:24]) == (1200, 1600) and len(d) > 20000
" "$WORK/report.png" 2>/dev/null && ok "a screenshot of the class report is taken" \
	|| notok "a screenshot of the class report is taken" "$(ls -la "$WORK/report.png" 2>&1)"
