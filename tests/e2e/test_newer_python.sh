#!/usr/bin/env bash
# Code that needs a newer Python than the chosen one (a 3.12-only f-string
# in the settings) is run with an installed interpreter that has it: the
# grader finds one (python3.X, $GRADER_PYTHONS, uv's Pythons), makes the
# environment and boots again, and the report says why that Python. With
# none installed, the diagnosis says which version is needed and that none
# is. Nothing is downloaded: Django comes from tests/lib/pyindex.py on
# 127.0.0.1 (repacked from the test runtime), and the newer interpreter is
# one this machine already has.
source "$(dirname "$0")/lib.sh"
CH=$ROOT/challenges
mkrepo "$CH/ticket-system/solution" "$WORK/app" >/dev/null 2>&1
printf '\nGREETING = f"{"hello"}"  # PEP 701: the same quotes inside the braces\n' \
	>>"$WORK/app/config/settings.py"
django=$("$GRADER_TEST_PYTHON" -c 'import django; print(django.get_version())')
printf 'Django==%s\n' "$django" >"$WORK/app/requirements.txt"
commit_all "$WORK/app" >/dev/null

"$GRADER_TEST_PYTHON" "$ROOT/tests/lib/pyindex.py" repack "$WORK/index" Django asgiref sqlparse
/usr/bin/python3 "$ROOT/tests/lib/pyindex.py" serve "$WORK/index" "$WORK/port" "$WORK/index.log" >/dev/null 2>&1 &
srv=$!
trap 'kill "$srv" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
export UV_INDEX_URL="http://127.0.0.1:$(cat "$WORK/port")/simple/"
export GRADER_UV=${GRADER_TEST_UV:-$ROOT/.tools/uv/bin}/uv
# The test cache: the two environments (3.11 and 3.12+, Django only) are
# built once and reused by later runs.
unset UV_OFFLINE

# 1. None installed: the search sees only what this test shows it (no
# python3.12+ on this PATH nor in /usr/bin here; no $GRADER_PYTHONS; a
# pyenv root without versions).
newer_in_usr=$(ls /usr/bin/python3.1[2-9] /usr/bin/python3.[2-9][0-9] 2>/dev/null | head -1)
PATH=/usr/bin:/bin GRADER_PYTHONS= PYENV_ROOT="$WORK/no-pyenv" "$GRADER" grade "$WORK/app" \
	--challenge ticket-system --no-db --format json >"$WORK/none.json" 2>"$WORK/none.err"; rc=$?
d=$(jget "$WORK/none.json" "r['diagnosis'].split(chr(10))[0]")
case $rc:$d in
3:*"needs Python 3.12 or newer"*"no Python 3.12 or newer is installed on the grading machine"*)
	ok "with no newer Python installed, the diagnosis says which version is needed and that none is" ;;
*)	notok "with no newer Python installed, the diagnosis says which version is needed and that none is" \
		"exit $rc (a python3.12+ in /usr/bin: '$newer_in_usr'): $d $(tail -3 "$WORK/none.err")" ;;
esac

# 2. One installed: this machine's (uv's, else pyenv's), never downloaded.
newer=$("$GRADER_UV" python find --no-python-downloads '>=3.12' 2>/dev/null)
[ -x "$newer" ] || newer=$(ls /root/.pyenv/versions/3.1[2-9]*/bin/python3.1[2-9] 2>/dev/null | head -1)
if [ -z "$newer" ]; then
	notok "code needing Python 3.12 is graded with an installed 3.12+" \
		"this machine has no Python 3.12 or newer (uv python find, ~/.pyenv/versions) to test with"
else
	GRADER_PYTHONS=$newer "$GRADER" grade "$WORK/app" --challenge ticket-system --no-db \
		--format json >"$WORK/new.json" 2>"$WORK/new.err"; rc=$?
	got=$(jget "$WORK/new.json" "(r['status'], r['score'], r['environment']['python'][:3] >= '3.1' and tuple(map(int, r['environment']['python'].split('.')[:2])) >= (3, 12), r['environment']['python_reason'][:40])")
	want="('graded', 100, True, 'the code needs Python 3.12 or newer (the')"
	[ "$rc" = 0 ] && [ "$got" = "$want" ] \
		&& ok "code needing Python 3.12 is graded with an installed 3.12+ ($newer), and the report says why" \
		|| notok "code needing Python 3.12 is graded with an installed 3.12+ ($newer), and the report says why" \
			"exit $rc: $got $(jget "$WORK/new.json" "r['diagnosis']" | head -5) $(tail -3 "$WORK/new.err")"
fi

# 3. A type alias statement (PEP 695, h114), and the newer Python found
# among pyenv's versions ($PYENV_ROOT/versions/X/bin/python3), not on PATH
# nor in $GRADER_PYTHONS: pyenv's python3.X on PATH is a shim that fails.
if [ -n "$newer" ]; then
	mkrepo "$CH/ticket-system/solution" "$WORK/app695" >/dev/null 2>&1
	printf '\ntype Greeting = str  # PEP 695: a type alias statement\n' >>"$WORK/app695/config/settings.py"
	cp "$WORK/app/requirements.txt" "$WORK/app695/requirements.txt"
	commit_all "$WORK/app695" >/dev/null
	mkdir -p "$WORK/pyenv/versions/3.99.0/bin"
	ln -s "$newer" "$WORK/pyenv/versions/3.99.0/bin/python3"
	PATH=/usr/bin:/bin GRADER_PYTHONS= PYENV_ROOT="$WORK/pyenv" "$GRADER" grade "$WORK/app695" \
		--challenge ticket-system --no-db --format json >"$WORK/695.json" 2>"$WORK/695.err"; rc=$?
	got=$(jget "$WORK/695.json" "(r['status'], r['score'], tuple(map(int, r['environment']['python'].split('.')[:2])) >= (3, 12), r['environment']['python_reason'][:40])")
	want="('graded', 100, True, 'the code needs Python 3.12 or newer (the')"
	[ "$rc" = 0 ] && [ "$got" = "$want" ] \
		&& ok "a type alias statement is graded with a 3.12+ found among pyenv's versions" \
		|| notok "a type alias statement is graded with a 3.12+ found among pyenv's versions" \
			"exit $rc: $got $(jget "$WORK/695.json" "r['diagnosis']" | head -5) $(tail -3 "$WORK/695.err")"
fi

# 4. A .python-version newer than any installed Python (h416: uv init's
# 3.14 beside a type alias statement): that version would run the code,
# so the code's 3.12 syntax is graded with the newest installed, and the
# reason says the one asked for is not installed (it was "rules that
# out", 0).
if [ -n "$newer" ]; then
	mkrepo "$CH/ticket-system/solution" "$WORK/app399" >/dev/null 2>&1
	printf '\ntype Greeting = str  # PEP 695: a type alias statement\n' >>"$WORK/app399/config/settings.py"
	cp "$WORK/app/requirements.txt" "$WORK/app399/requirements.txt"
	echo 3.99 >"$WORK/app399/.python-version"
	commit_all "$WORK/app399" >/dev/null
	GRADER_PYTHONS=$newer "$GRADER" grade "$WORK/app399" --challenge ticket-system --no-db \
		--format json >"$WORK/399.json" 2>"$WORK/399.err"; rc=$?
	got=$(jget "$WORK/399.json" "(r['status'], r['score'], \"(.python-version asks for '==3.99.*', which is not installed)\" in r['environment']['python_reason'])")
	[ "$rc" = 0 ] && [ "$got" = "('graded', 100, True)" ] \
		&& ok "a .python-version newer than any installed does not rule out the newest installed the code runs on" \
		|| notok "a .python-version newer than any installed does not rule out the newest installed the code runs on" \
			"exit $rc: $got $(jget "$WORK/399.json" "r['diagnosis']" | head -5) $(tail -3 "$WORK/399.err")"
fi

# 5. The boot module's bytecode for an interpreter `make` wrote none for
# (docs/performance.md): an environment of the 3.12+ holds the boot module
# compiled by its own interpreter (.grader-boot, hash-checked), a grade
# boots from it, and that copy runs from its bytecode. A cache of its own,
# so the environment is built by this grader (a cached one may hold an
# older grader's copy, which is then not used).
if [ -n "$newer" ]; then
	GRADER_CACHE_DIR=$WORK/cache5 GRADER_PYTHONS=$newer "$GRADER" grade "$WORK/app695" \
		--challenge ticket-system --no-db --format json >"$WORK/5.json" 2>"$WORK/5.err"; rc=$?
	copy=$(ls -d "$WORK"/cache5/envs/*/.grader-boot 2>/dev/null | head -1)
	envpy=${copy%/.grader-boot}/bin/python
	pyc=$(ls "$copy"/__pycache__/grader_boot.cpython-3*.pyc 2>/dev/null | head -1)
	got=$(jget "$WORK/5.json" "(r['status'], r['score'])")
	if [ -n "$pyc" ] && [ -x "$envpy" ] && cmp -s "$copy/grader_boot.py" "$ROOT/grader/boot/grader_boot.py" &&
		"$envpy" -c 'import sys; d=open(sys.argv[1],"rb").read(16); sys.exit(int.from_bytes(d[4:8],"little") != 3)' "$pyc"; then
		( cd "$WORK" && env -i PATH=/usr/bin:/bin PYTHONDONTWRITEBYTECODE=1 GRADER_CONTROL_FD=3 \
			"$envpy" -v "$copy/run_boot.py" 3>"$WORK/5.ctl" ) >/dev/null 2>"$WORK/5v.err"
	fi
	[ "$rc" = 0 ] && [ "$got" = "('graded', 100)" ] && [ -n "$pyc" ] &&
		grep -qE "^# code object from '?$copy/__pycache__/grader_boot\.cpython-[0-9]+\.pyc" "$WORK/5v.err" \
		&& ok "an environment of another Python holds the boot module compiled by it, and is graded from it" \
		|| notok "an environment of another Python holds the boot module compiled by it, and is graded from it" \
			"exit $rc: $got; copy '$copy', pyc '$pyc' $(ls -la "$copy" "$copy/__pycache__" 2>&1 | head -12) $(grep grader_boot "$WORK/5v.err" 2>/dev/null | head -5) $(tail -3 "$WORK/5.err")"
fi
