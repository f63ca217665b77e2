#!/usr/bin/env bash
# The corpus (issue 5): each case of tests/data/corpus/NAME.case is a
# real-world variation of a student repository, built as a git repository
# by tests/corpus/make.sh and graded with the ASan/UBSan grader. A case that
# can be graded must score 100/100; one that cannot must get the right
# status and a diagnosis naming the real cause (the case file's header says
# which; tests/data/README.md). Every case must finish within 60 s and
# leave no process behind.
source "$(dirname "$0")/lib.sh"
MAKE=$ROOT/tests/corpus/make.sh
LIMIT_MS=60000

# The interpreter of the default environment: committed_db runs the
# project's own migrate with it to make the committed database.
PYTHON=${GRADER_TEST_PYTHON:-$("$GRADER" env default 2>/dev/null)}
export PYTHON

# Workspaces (TMPDIR) inside $WORK, so "nothing left running" can be checked
# as "no process has its working directory or executable under $WORK".
leftovers() {
	local p d
	for p in /proc/[0-9]*; do
		d=$(readlink "$p/cwd" 2>/dev/null) || continue
		case $d in "$WORK"/*) echo "${p#/proc/} $d" ;; esac
	done
}

envs_count() {
	if [ -n "${GRADER_CACHE_DIR:-}" ] && [ -d "$GRADER_CACHE_DIR/envs" ]; then
		find "$GRADER_CACHE_DIR/envs" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l
	else
		echo "?"
	fi
}

# The header of a case file: the values of its "# KEY: value" lines (in the
# leading comment block), one a line.
header() {
	awk -v key="$2" '!/^#/ { exit } index($0, "# " key ": ") == 1 { print substr($0, length(key) + 5) }' "$1"
}

# run_case FILE: build the case, grade it, and compare with its header:
# `graded` is exit 0 and 100/100; another status is exit 3, that status
# and every `diagnosis:` pattern (grep -E) in the diagnosis. Then every
# `report:` expression must hold.
run_case() {
	local file=$1 name want repo out t0 ms st score diag p bad="" left envs0 envs1 KEEP
	name=$(basename "$file" .case)
	want=$(header "$file" expect)
	repo=$WORK/repos/$name out=$WORK/$name.json
	if [ -n "$(header "$file" on-python-3.12)" ] &&
		! "${GRADER_TEST_PYTHON:-python3}" -c 'import sys; sys.exit(sys.version_info >= (3, 12))'; then
		want=$(header "$file" on-python-3.12)
	fi
	mkdir -p "$WORK/repos" "$WORK/tmp-$name"
	if [ -z "$want" ] || ! "$MAKE" "$name" "$repo" >"$WORK/$name.make.log" 2>&1 ||
		! git -C "$repo" init -q -b main . ||
		! commit_all "$repo" >/dev/null 2>&1; then
		notok "corpus $name: graded as ${want:-?}" "no '# expect:' line, or could not build the case: $(tail -5 "$WORK/$name.make.log" 2>/dev/null)"
		return
	fi
	envs0=$(envs_count)
	t0=$(date +%s%N)
	KEEP=$(header "$file" keep-workspace)
	TMPDIR=$WORK/tmp-$name grade "$out" "$repo" ecommerce-api ${KEEP:+--keep-workspace}
	ms=$((($(date +%s%N) - t0) / 1000000))
	envs1=$(envs_count)
	TIMES="$TIMES $name=${ms}ms"
	st=$(jget "$out" "r['status']")
	score=$(jget "$out" "r['score']")
	diag=$(jget "$out" "r['diagnosis'] or ''")
	if [ "$want" = graded ]; then
		[ "$rc" = 0 ] && [ "$st" = graded ] && [ "$score" = 100 ] || bad="exit $rc, status $st, score $score"
	else
		[ "$rc" = 3 ] && [ "$st" = "$want" ] || bad="exit $rc, status $st"
		while IFS= read -r p; do
			[ -z "$p" ] || printf '%s' "$diag" | grep -qE -- "$p" || bad="$bad; diagnosis lacks /$p/"
		done < <([ "$want" = "$(header "$file" expect)" ] && header "$file" diagnosis)
	fi
	while IFS= read -r p; do
		[ -z "$p" ] || [ "$(jget "$out" "bool($p)")" = True ] || bad="$bad; report: not $p ($(jget "$out" "$p" | head -c 300))"
	done < <(header "$file" report)
	# The environment is the default runtime's: none was built for the case.
	if [ "$(header "$file" same-environment)" = yes ] && [ "$envs0" != "?" ] && [ "$envs0" != "$envs1" ]; then
		bad="$bad; an environment was built (envs: $envs0 before, $envs1 after)"
	fi
	[ "$ms" -lt "$LIMIT_MS" ] || bad="$bad; took ${ms} ms (limit $LIMIT_MS)"
	left=$(leftovers)
	[ -z "$left" ] || bad="$bad; processes left: $left"
	if [ -z "$bad" ]; then
		ok "corpus $name: $want$([ "$want" = graded ] && echo " ($score)") in ${ms} ms"
	else
		notok "corpus $name: $want" "$bad
diagnosis: $(printf '%s' "$diag" | head -c 1500)
failed checks: $(jget "$out" "[(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass']")
stderr: $(tail -5 "$out.err")"
	fi
}

# Every case of tests/data/corpus (adding a case is adding a file there).
TIMES=""
n=0
for f in "$ROOT"/tests/data/corpus/*.case; do
	run_case "$f"
	n=$((n + 1))
done
[ "$n" -ge 24 ] && ok "corpus: $n cases in tests/data/corpus" || notok "corpus: $n cases in tests/data/corpus" "expected at least 24"

# The committed database (committed_db.case keeps its workspace): the file
# in the checkout is byte-for-byte what was committed, with no journal
# beside it (using it would have made creating the users fail: they are
# already in it, and the grade above is 100).
ws=$(find "$WORK/tmp-committed_db" -mindepth 1 -maxdepth 1 -name 'grader-*' | head -1)
orig=$(sha256sum <"$WORK/repos/committed_db/db.sqlite3")
if [ -n "$ws" ] && [ -f "$ws/checkout/db.sqlite3" ] &&
	[ "$(sha256sum <"$ws/checkout/db.sqlite3")" = "$orig" ] &&
	[ -z "$(find "$ws/checkout" -maxdepth 1 -name 'db.sqlite3-*')" ] &&
	[ ! "$ws/checkout/db.sqlite3" -nt "$ws/checkout/manage.py" ] &&
	[ -d "$ws/state" ] && [ -z "$(ls -A "$ws/state")" ]; then
	ok "corpus committed_db: the committed database is untouched and unused"
else
	notok "corpus committed_db: the committed database is untouched and unused" \
		"workspace $ws: $(ls -la --time-style=full-iso "$ws/checkout" "$ws/state" 2>&1 | head -30)"
fi
[ -n "$ws" ] && rm -rf "$ws"

echo "# corpus timings:$TIMES"
