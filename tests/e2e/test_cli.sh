#!/usr/bin/env bash
# The command line's conventions (git's and curl's): help from the command
# table, --version, usage errors that name what was wrong, bash completion.
# Nothing here grades a submission.
source "$(dirname "$0")/lib.sh"

# expect NAME WANT_RC GREP_PATTERN CMD...: exit status and a line of output.
expect() {
	local name=$1 want=$2 pat=$3; shift 3
	local out rc
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" = "$want" ] && grep -qE -- "$pat" <<<"$out"; then ok "$name"
	else notok "$name" "exit $rc (wanted $want), output lacks /$pat/:
$out"; fi
}

version=$(sed -n 's/^#define GRADER_VERSION "\(.*\)"/\1/p' grader/result.h)
expect "--version prints the version" 0 "^grader $version\$" "$GRADER" --version
expect "-V prints the version" 0 "^grader $version\$" "$GRADER" -V
expect "version -v names the data folder" 0 "^data: /" "$GRADER" version -v

# `grader help grade`, `grader grade --help` and `-h` are one text, naming
# every option with its description.
a=$("$GRADER" help grade 2>&1); b=$("$GRADER" grade --help 2>&1); c=$("$GRADER" grade -h 2>&1)
if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ] && grep -q '^usage: grader grade' <<<"$a" \
	&& grep -qE -- '-o, --out FILE +write to FILE instead of standard output' <<<"$a" \
	&& grep -qE -- '--challenge NAME +the challenge' <<<"$a"; then
	ok "help grade, grade --help and grade -h show the options with their descriptions"
else
	notok "help grade, grade --help and grade -h show the options with their descriptions" "$a"
fi
# Every long option getopt accepts for grade is in its help (from one table).
missing=""
for o in challenge ref format out db no-db python fetch-timeout env-timeout boot-timeout request-timeout \
	run-timeout sandbox-profile unsafe-no-sandbox keep-workspace quiet verbose color help; do
	grep -q -- "--$o" <<<"$a" || missing="$missing --$o"
done
[ -z "$missing" ] && ok "grade's help lists all its options" || notok "grade's help lists all its options" "missing:$missing"
# Every command in the table has the same help both ways, starting with its
# usage line, and is offered by completion.
bad=""
cmds=$("$GRADER" help | sed -n '/^commands:/,/^$/s/^  \([a-z_-]*\) .*/\1/p')
for c in $cmds; do
	h1=$("$GRADER" help "$c" 2>&1) || bad="$bad $c(help)"
	h2=$("$GRADER" "$c" --help 2>&1) || bad="$bad $c(--help)"
	[ "$h1" = "$h2" ] && grep -q "^usage: grader $c" <<<"$h1" || bad="$bad $c(text)"
	"$GRADER" __complete 1 grader "$c" | grep -qx "$c" || bad="$bad $c(completion)"
done
[ -n "$cmds" ] && [ -z "$bad" ] && ok "every command: help CMD = CMD --help, and completion offers it" \
	|| notok "every command: help CMD = CMD --help, and completion offers it" "bad:$bad; commands: $cmds"
# A shared option a command means its own way shows that command's help.
expect "a command's own note on a shared option shows in its help" 0 "--format FORMAT +the gradebook's format: csv" \
	"$GRADER" help export
expect "help lists the commands" 0 "^  grade +grade one submission" "$GRADER" help
expect "--help lists the commands" 0 "^  prove " "$GRADER" --help
expect "help of an unknown command names it" 2 "no command 'frobnicate'" "$GRADER" help frobnicate
expect "an unknown command is named" 2 "'frobnicate' is not a grader command" "$GRADER" frobnicate
expect "no command at all is a usage error" 2 "^usage: grader" "$GRADER"

# Usage errors name the offending option or value, and exit 2 before any work.
expect "an unknown option is named" 2 "unknown option '--bogus'" "$GRADER" grade x --challenge ecommerce-api --bogus
expect "a missing argument names its option" 2 "option '--out' needs an argument \\(FILE\\)" \
	"$GRADER" grade x --challenge ecommerce-api --out
expect "a bad --format value is named" 2 "--format: unknown format 'yaml'; expected one of text\\|json\\|junit" \
	"$GRADER" grade x --challenge ecommerce-api --format yaml
expect "a bad number of seconds names the option" 2 "--boot-timeout takes a number of seconds.*not 'soon'" \
	"$GRADER" grade x --challenge ecommerce-api --boot-timeout soon
expect "a flag given a value is named" 2 "'--no-db' takes no value" "$GRADER" grade x --challenge ecommerce-api --no-db=1
expect "grade without --challenge says so" 2 "no --challenge given" "$GRADER" grade x
expect "a second SOURCE is named" 2 "found 'y' after SOURCE 'x'" "$GRADER" grade x y --challenge ecommerce-api
expect "a bad --color value is named" 2 "--color takes auto, always or never, not 'pink'" "$GRADER" --color=pink help
expect "env: an unknown subcommand is named" 2 "unknown subcommand 'purge'" "$GRADER" env purge
expect "env: --days only with prune" 2 "--days is for env prune" "$GRADER" env list --days 3

# Bash completion: the script asks the grader, which reads the same tables.
mkdir -p "$WORK/bin" && ln -sf "$GRADER" "$WORK/bin/grader"
complete_line() {   # complete_line "grader gr" -> the candidates, one a line
	PATH="$WORK/bin:$PATH" bash -c '
		source "$2/completions/grader.bash"
		read -ra COMP_WORDS <<<"$1"
		case $1 in *" ") COMP_WORDS+=("") ;; esac
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_grader
		printf "%s\n" "${COMPREPLY[@]}"' _ "$1" "$ROOT" 2>&1
}
r=$(complete_line "grader gr")
[ "$r" = "grade" ] && ok "completion: grader gr<TAB> gives grade" || notok "completion: grader gr<TAB> gives grade" "$r"
r=$(complete_line "grader grade --ch")
[ "$r" = "--challenge" ] && ok "completion: grader grade --ch<TAB> gives --challenge" \
	|| notok "completion: grader grade --ch<TAB> gives --challenge" "$r"
mkdir -p "$WORK/empty"
r=$(cd "$WORK/empty" && complete_line "grader grade repo --challenge ")
want=$(ls challenges | sort)
got=$(grep -v '^$' <<<"$r" | sort)
[ "$got" = "$want" ] && ok "completion: --challenge <TAB> gives the challenge names" \
	|| notok "completion: --challenge <TAB> gives the challenge names" "got: $got; want: $want"
# The formats are those of docs/formats.md's table (its first column).
r=$(complete_line "grader grade x --format ")
want=$(sed -n '/^| `--format` |/,/^$/s/^| `\([a-z0-9][a-z0-9-]*\)`.*/\1/p' docs/formats.md | sort | tr '\n' ' ')
[ "$(sort <<<"$r" | tr '\n' ' ')" = "$want" ] && [[ "$want" == *"junit "* ]] && ok "completion: --format <TAB> gives its values" \
	|| notok "completion: --format <TAB> gives its values" "got: $r; docs/formats.md: $want"
# format.c's format_table[] is --format's one list: every word completion
# offers is named in the --format help of grade, show and convert and in
# convert's paragraph, is accepted by convert, and has its row in
# docs/formats.md (tests/unit/test_format.c checks the rows themselves).
fmts=$(complete_line "grader grade x --format ")
bad=""
convert_help=$("$GRADER" help convert | tr -s ' \n' '  ')
for f in $fmts; do
	for cmd in grade show convert; do
		h=$("$GRADER" help $cmd | tr -s ' \n' '  ' | sed -n 's/.*--format FORMAT \(.*(docs\/formats.md)\).*/\1/p')
		grep -qw -- "$f" <<<"$h" || bad="$bad help-$cmd:$f"
	done
	grep -qE -- "write it as FORMAT: .*\b$f\b.*\. Hidden" <<<"$convert_help" || bad="$bad convert-paragraph:$f"
	"$GRADER" convert tests/fixtures/reports/full.json --format "$f" >/dev/null 2>&1 || bad="$bad convert:$f"
	grep -q "^| \`$f\`" docs/formats.md || bad="$bad docs:$f"
done
[ -n "$fmts" ] && [ -z "$bad" ] && ok "every --format of the table is in help, accepted by convert, and documented" \
	|| notok "every --format of the table is in help, accepted by convert, and documented" "formats: $fmts; missing:$bad"

# --- grader check: lint a challenge folder, every error at once ---------------
for ch in challenges/*/; do
	ch=$(basename "$ch")
	expect "check: the bundled $ch is clean" 0 "^$ch: ok: .* points as declared" "$GRADER" check "$ch"
done
mkdir -p "$WORK/lint/bad/checks"
cat >"$WORK/lint/bad/challenge.yaml" <<'YAML'
id: bad
title: Bad
max_score: 10
users: [{username: alice}]
include: [checks/a.yaml]
mutants:
  - {id: m1, patch: checks/a.yaml, kills: [a-one, nope]}
YAML
cat >"$WORK/lint/bad/checks/a.yaml" <<'YAML'
checks:
  - id: a-one
    points: 4
    steps:
      - url: /a/
        expext: []
  - id: a-two
    points: 3
    steps:
      - url: /b/
        as: alcie
        multipart: {photo: {file: fixtures/missing.png}}
YAML
out=$(cd "$WORK/lint" && "$GRADER" check bad 2>&1); rc=$?
want='bad/checks/a.yaml:6:9: unknown key '"'"'expext'"'"' in step
bad/checks/a.yaml:11:13: unknown actor '"'"'alcie'"'"'
bad/checks/a.yaml:12:35: fixture '"'"'fixtures/missing.png'"'"' does not exist
bad/challenge.yaml:7:51: mutant '"'"'m1'"'"' kills '"'"'nope'"'"'
bad/challenge.yaml:3:12: found max_score 10, but the checks'"'"' points add up to 7'
got=$(grep -E '^bad/' <<<"$out" | sed -E 's/(in step|'"'"'alcie'"'"'|'"'"'nope'"'"'|add up to 7|does not exist).*/\1/')
if [ "$rc" = 2 ] && [ "$got" = "$want" ] && grep -q "^grader check: 5 errors" <<<"$out"; then
	ok "check lists every error of every file as path:line:col relative to the current folder"
else
	notok "check lists every error of every file as path:line:col relative to the current folder" "exit $rc:
$out"
fi
# Run from inside the folder, the paths are relative to it.
sed -i 's/as: alcie/as: alice/' "$WORK/lint/bad/checks/a.yaml"
out=$(cd "$WORK/lint/bad" && "$GRADER" check . 2>&1); rc=$?
[ "$rc" = 2 ] && grep -q "^checks/a.yaml:12:35: fixture 'fixtures/missing.png' does not exist" <<<"$out" \
	&& ok "check reports a missing fixture, relative to the current folder" \
	|| notok "check reports a missing fixture, relative to the current folder" "exit $rc: $out"
# grade stops on the same errors, all listed, before fetching anything.
out=$(cd "$WORK/lint" && "$GRADER" grade "$WORK/nowhere" --challenge bad --no-db 2>&1); rc=$?
[ "$rc" = 2 ] && [ "$(grep -c '^bad/' <<<"$out")" = 4 ] && ! grep -q "no such folder\|fetch" <<<"$out" \
	&& ok "grade with a bad challenge lists all its errors and exits 2 before fetching" \
	|| notok "grade with a bad challenge lists all its errors and exits 2 before fetching" "exit $rc: $out"
expect "check of a missing challenge names it" 2 "no challenge 'nosuch'" "$GRADER" check nosuch

# --- errors that name the path, before any work -------------------------------
# A missing folder is said so (not "no git repository"); a folder without
# .git is told how to fix it. Both are fetch-failed (exit 3), with a report.
"$GRADER" grade "$WORK/no-such-dir" --challenge ecommerce-api --no-db --format json >"$WORK/nf.json" 2>"$WORK/nf.err"; rc=$?
d=$(jget "$WORK/nf.json" "r['diagnosis']")
[ "$rc" = 3 ] && [ "$d" = "no such folder: $WORK/no-such-dir" ] && ok "a missing SOURCE folder is 'no such folder: X'" \
	|| notok "a missing SOURCE folder is 'no such folder: X'" "exit $rc, diagnosis: $d $(cat "$WORK/nf.err")"
mkdir -p "$WORK/plain"
"$GRADER" grade "$WORK/plain" --challenge ecommerce-api --no-db --format json >"$WORK/ng.json" 2>/dev/null; rc=$?
d=$(jget "$WORK/ng.json" "r['diagnosis']")
[ "$rc" = 3 ] && grep -q "^no git repository at $WORK/plain (the folder has no .git" <<<"$d" \
	&& ok "a folder that is not a repository says how to make it one" \
	|| notok "a folder that is not a repository says how to make it one" "exit $rc, diagnosis: $d"

# An unwritable --out or a --db in a missing folder is refused before any
# clone: exit 2, the option and path named, and no workspace made.
mkrepo challenges/ecommerce-api/solution "$WORK/repo" >/dev/null 2>&1
refused() {   # refused NAME PATTERN ARGS...
	local name=$1 pat=$2; shift 2
	local before after out rc
	before=$(ls -d "$WORK"/grader-* 2>/dev/null | wc -l)
	out=$("$GRADER" grade "$WORK/repo" --challenge ecommerce-api "$@" 2>&1); rc=$?
	after=$(ls -d "$WORK"/grader-* 2>/dev/null | wc -l)
	if [ "$rc" = 2 ] && grep -qE -- "$pat" <<<"$out" && [ "$before" = "$after" ]; then ok "$name"
	else notok "$name" "exit $rc, workspaces $before -> $after: $out"; fi
}
refused "--out in a missing folder is refused before grading" "--out $WORK/none/r.json: no such folder: $WORK/none\$" \
	--no-db --out "$WORK/none/r.json"
refused "--out naming a folder is refused before grading" "--out $WORK: is a folder" --no-db --out "$WORK"
touch "$WORK/ro.json" && chattr +i "$WORK/ro.json" 2>/dev/null && {
	refused "an unwritable --out is refused before grading" "--out $WORK/ro.json: cannot write it" \
		--no-db --out "$WORK/ro.json"
	chattr -i "$WORK/ro.json"
}
refused "--db in a missing folder is refused before grading" "--db $WORK/nodir/r.sqlite3: no such folder: $WORK/nodir\$" \
	--db "$WORK/nodir/r.sqlite3"

# --keep-workspace says where; -v shows the phases; -q silences the note.
out=$("$GRADER" grade "$WORK/no-such-dir" --challenge ecommerce-api --no-db --keep-workspace -v 2>&1 >/dev/null)
kept=$(sed -n 's/^grader: kept the workspace at \([^ ]*\) .*/\1/p' <<<"$out")
[ -n "$kept" ] && [ -d "$kept" ] && [ "${kept#"$WORK"/grader-}" != "$kept" ] \
	&& ok "--keep-workspace prints where it kept the workspace" \
	|| notok "--keep-workspace prints where it kept the workspace" "$out"
grep -q "^grader: fetching $WORK/no-such-dir\$" <<<"$out" && ok "-v prints the phases as they start" \
	|| notok "-v prints the phases as they start" "$out"
out=$("$GRADER" grade "$WORK/no-such-dir" --challenge ecommerce-api --no-db --keep-workspace -q 2>&1 >/dev/null)
[ -z "$out" ] && ok "-q prints no notes" || notok "-q prints no notes" "$out"

# --- make install: binary, data, man page, completion -------------------------
dest=$WORK/stage
if make -s install DESTDIR="$dest" PREFIX=/usr/local GRADER_BIN="$GRADER" >"$WORK/install.log" 2>&1; then
	ok "make install DESTDIR=... PREFIX=/usr/local succeeds"
else
	notok "make install DESTDIR=... PREFIX=/usr/local succeeds" "$(tail -n 20 "$WORK/install.log")"
fi
inst=$dest/usr/local/bin/grader
# Run from elsewhere, without GRADER_DATADIR: it must find its installed data.
out=$(cd / && env -u GRADER_DATADIR "$inst" --version 2>&1) && [ "$out" = "grader $version" ] \
	&& ok "the installed binary runs: --version" || notok "the installed binary runs: --version" "$out"
out=$(cd / && env -u GRADER_DATADIR "$inst" version -v 2>&1)
[ "$(sed -n 's/^data: //p' <<<"$out")" = "$dest/usr/local/share/grader" ] \
	&& ok "the installed binary uses the installed data folder" \
	|| notok "the installed binary uses the installed data folder" "$out"
out=$(cd / && env -u GRADER_DATADIR "$inst" check ecommerce-api 2>&1); rc=$?
[ "$rc" = 0 ] && ok "the installed binary finds the installed challenges" \
	|| notok "the installed binary finds the installed challenges" "exit $rc: $out"
missing=""
for f in share/grader/sandboxes/default.yaml share/grader/runtime/requirements.txt \
	share/grader/grader/boot/grader_boot.py share/grader/grader/boot/run_boot.py \
	"share/grader/grader/boot/$(python3 -c 'import importlib.util as u; print(u.cache_from_source("grader_boot.py"))')" \
	share/grader/challenges/ticket-system/challenge.yaml \
	share/man/man1/grader.1 share/bash-completion/completions/grader; do
	[ -f "$dest/usr/local/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && ok "make install puts the data, the man page and the completion under PREFIX" \
	|| notok "make install puts the data, the man page and the completion under PREFIX" "missing:$missing"
# The man page renders, passes mandoc's lint, and documents every command
# and option `grader help` knows (both come from the command table).
page=$dest/usr/local/share/man/man1/grader.1
man_txt=$(MANWIDTH=80 man -l "$page" 2>"$WORK/man.err")
if [ -n "$man_txt" ] && [ ! -s "$WORK/man.err" ] && grep -q "^COMMANDS" <<<"$man_txt"; then
	ok "man -l renders the installed grader.1"
else
	notok "man -l renders the installed grader.1" "$(head -c 2000 "$WORK/man.err")"
fi
lint=$(mandoc -T lint -W warning "$page" 2>&1) && ok "mandoc -T lint finds no warning in grader.1" \
	|| notok "mandoc -T lint finds no warning in grader.1" "$lint"
missing=""
for c in $("$GRADER" help | sed -n '/^commands:/,/^$/s/^  \([a-z_-]*\) .*/\1/p'); do
	grep -q "^   grader $c\b" <<<"$man_txt" || missing="$missing $c"
	for o in $("$GRADER" help "$c" | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
		grep -q -- "$o" <<<"$man_txt" || missing="$missing $c:$o"
	done
done
[ -z "$missing" ] && ok "the man page documents every command and option of the help" \
	|| notok "the man page documents every command and option of the help" "missing:$missing"

# --- colour: only on a terminal, never with NO_COLOR -------------------------
# A run that cannot be fetched still prints a report ("Not graded" in red on
# a terminal); script(1) gives the grader a pseudo-terminal.
esc=$'\033['
cmd="$GRADER grade $WORK/no-such-dir --challenge ecommerce-api --no-db"
tty_out=$(TERM=xterm script -qec "$cmd" /dev/null 2>&1)
grep -qF "${esc}1;31mNot graded: fetch-failed${esc}0m" <<<"$tty_out" && ok "colour on a terminal" \
	|| notok "colour on a terminal" "$(cat -v <<<"$tty_out")"
tty_out=$(TERM=xterm NO_COLOR=1 script -qec "$cmd" /dev/null 2>&1)
grep -q "Not graded: fetch-failed" <<<"$tty_out" && ! grep -qF "$esc" <<<"$tty_out" \
	&& ok "no colour on a terminal with NO_COLOR" || notok "no colour on a terminal with NO_COLOR" "$(cat -v <<<"$tty_out")"
pipe_out=$(TERM=xterm $cmd 2>&1 | cat)
grep -q "Not graded: fetch-failed" <<<"$pipe_out" && ! grep -qF "$esc" <<<"$pipe_out" \
	&& ok "no colour into a pipe" || notok "no colour into a pipe" "$(cat -v <<<"$pipe_out")"
pipe_out=$($cmd --color=always 2>&1 | cat)
grep -qF "${esc}1;31mNot graded" <<<"$pipe_out" && ok "--color=always colours into a pipe" \
	|| notok "--color=always colours into a pipe" "$(cat -v <<<"$pipe_out")"
TERM=xterm script -qec "$cmd --out $WORK/tty-report.txt" /dev/null >/dev/null 2>&1
grep -q "Not graded: fetch-failed" "$WORK/tty-report.txt" && ! grep -qF "$esc" "$WORK/tty-report.txt" \
	&& ok "no colour into --out, even from a terminal" \
	|| notok "no colour into --out, even from a terminal" "$(cat -v "$WORK/tty-report.txt")"

# check holds SPEC.md's rubric table to the checks: ids, points, total.
mkdir -p "$WORK/lint/drift"
cat >"$WORK/lint/drift/challenge.yaml" <<'YAML'
id: drift
title: Drift
max_score: 7
checks:
  - {id: a-one, points: 4, steps: [{url: /a/}]}
  - {id: a-two, points: 3, steps: [{url: /b/}]}
  - {id: adv, advisory: true, steps: [{url: /c/}]}
YAML
cat >"$WORK/lint/drift/SPEC.md" <<'MD'
# Drift

## Rubric (8 points)

| id | points | passes when |
|---|---|---|
| `a-one` | 5 | a |
| a-three | 1 | c |

## Next
MD
out=$(cd "$WORK/lint" && "$GRADER" check drift 2>&1); rc=$?
want="drift/SPEC.md:7:3: the rubric gives 'a-one' 5 points; the check has 4
drift/SPEC.md:8:3: the rubric lists 'a-three', which is not a scored check of drift; expected the ids of challenge.yaml's checks
drift/SPEC.md:10:1: the rubric does not list the scored check 'a-two' (3 points)
drift/SPEC.md:3:1: the rubric says 8 points in all; the checks add up to 7"
[ "$rc" = 2 ] && [ "$(grep '^drift/' <<<"$out")" = "$want" ] \
	&& ok "check reports where SPEC.md's rubric disagrees with the checks" \
	|| notok "check reports where SPEC.md's rubric disagrees with the checks" "exit $rc:
$out"
expect "a --python path that does not exist is named" 2 "--python $WORK/nope/python3: no such file" \
	"$GRADER" grade "$WORK/repo" --challenge ecommerce-api --no-db --python "$WORK/nope/python3"

# PASS and FAIL themselves, on a terminal: a saved report with a passing and
# a failing check, rendered again by `grader convert`.
"$GRADER" grade "$WORK/no-such-dir" --challenge ecommerce-api --no-db --format json >"$WORK/base.json" 2>/dev/null
python3 - "$WORK/base.json" "$WORK/two.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r.update(status="graded", diagnosis=None, score=10, checks=[
    {"id": "products-list", "title": "Products", "category": "c", "points": 10, "max_points": 10,
     "status": "pass", "message": None, "duration_ms": 1},
    {"id": "order-create", "title": "Orders", "category": "c", "points": 0, "max_points": 15,
     "status": "fail", "message": "POST /api/orders/ answered 400; expected 201", "duration_ms": 1}])
json.dump(r, open(sys.argv[2], "w"))
PY
cmd="$GRADER convert $WORK/two.json --format text"
tty_out=$(TERM=xterm script -qec "$cmd" /dev/null 2>&1)
grep -qF "  ${esc}32mPASS${esc}0m    10/10 products-list" <<<"$tty_out" \
	&& grep -qF "  ${esc}31mFAIL${esc}0m     0/15 order-create" <<<"$tty_out" \
	&& ok "PASS in green and FAIL in red on a terminal, columns kept" \
	|| notok "PASS in green and FAIL in red on a terminal, columns kept" "$(cat -v <<<"$tty_out")"
tty_out=$(TERM=xterm NO_COLOR=1 script -qec "$cmd" /dev/null 2>&1)
grep -q "  PASS    10/10 products-list" <<<"$tty_out" && ! grep -qF "$esc" <<<"$tty_out" \
	&& ok "PASS and FAIL plain on a terminal with NO_COLOR" \
	|| notok "PASS and FAIL plain on a terminal with NO_COLOR" "$(cat -v <<<"$tty_out")"
out=$("$GRADER" convert "$WORK/two.json" --format text -q 2>&1)
! grep -q "products-list" <<<"$out" && grep -q "FAIL     0/15 order-create" <<<"$out" \
	&& ok "-q lists only the checks that did not pass" || notok "-q lists only the checks that did not pass" "$out"

# The time limits' defaults are stated once, in grader/timeouts.h: the help
# prints them from there, and README's list of the options and
# docs/checks.md (a challenge's request limit and its bounds) must agree.
help=$("$GRADER" help grade 2>&1 | tr -s ' \n' '  ')
readme=$(tr -s ' \n' '  ' <README.md)
bad=
for o in fetch env boot run; do
	O=$(tr a-z A-Z <<<"$o")
	h=$(grep -oE -- "--$o-timeout S [^()]*\(default [0-9]+\)" <<<"$help" | grep -oE '[0-9]+\)$' | tr -d ')')
	r=$(grep -oE -- "\`--$o-timeout\` \([^)]*default [0-9]+\)" <<<"$readme" | grep -oE '[0-9]+\)$' | tr -d ')')
	s=$(sed -n "s/^#define GRADER_${O}_TIMEOUT_S \([0-9]*\).*/\1/p" grader/timeouts.h)
	[ -n "$s" ] && [ "$h" = "$s" ] && [ "$r" = "$s" ] ||
		bad="$bad --$o-timeout: timeouts.h ${s:-?}, help ${h:-?}, README ${r:-?};"
done
rq=$(sed -n 's/^#define GRADER_REQUEST_TIMEOUT_MS \([0-9]*\)L.*/\1/p' grader/timeouts.h)
rmax=$(sed -n 's/^#define GRADER_REQUEST_TIMEOUT_MAX_MS \([0-9]*\).*/\1/p' grader/timeouts.h)
grep -qE "^request_timeout_ms: $rq +# per request, default $rq\$" docs/checks.md &&
	grep -qE "\`--request-timeout\` \(each request; default the challenge's, $((rq / 1000))\)" <<<"$readme" ||
	bad="$bad request_timeout_ms: timeouts.h ${rq:-?} is not docs/checks.md's or README's default;"
grep -qF "\`timeout_ms\` is 1-$rmax." <<<"$(tr -s ' \n' '  ' <docs/checks.md)" ||
	bad="$bad a step's timeout_ms: timeouts.h's bound ${rmax:-?} is not docs/checks.md's;"
[ -z "$bad" ] && ok "the default time limits of timeouts.h are the help's, README's and docs/checks.md's" ||
	notok "the default time limits of timeouts.h are the help's, README's and docs/checks.md's" "$bad"
