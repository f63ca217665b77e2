#!/usr/bin/env bash
# docs/hacking.md, the map of where each common change goes, cannot rot:
# every path, function, table, unit test, type and command it cites exists
# (tests/e2e/hacking_map.py), and README.md links to it. The checker itself
# must refuse a map citing what does not exist.
source "$(dirname "$0")/lib.sh"

if out=$(python3 tests/e2e/hacking_map.py docs/hacking.md 2>&1); then
	ok "docs/hacking.md: every name it cites exists ($(tail -1 <<<"$out"))"
else
	notok "docs/hacking.md: every name it cites exists" "$out"
fi
grep -q '(docs/hacking.md)' README.md && ok "README.md links docs/hacking.md" \
	|| notok "README.md links docs/hacking.md" "no '(docs/hacking.md)' link in README.md"

# A map citing a file, a function, a table, a test and a test program that
# are not there: each is reported.
cat >"$WORK/bad.md" <<'MD'
`grader/no_such_file.c`, `challenges/NAME/no-such-folder/`, `format_no_such_writer()`,
`no_such_table[]`, `TEST(no_such_test)`, `bash tests/one test_no_such_program`,
`build/grader no-such-command`, and, existing, `grader/format.c` and `format_render()`.
MD
out=$(python3 tests/e2e/hacking_map.py "$WORK/bad.md" 2>&1); rc=$?
n=$(grep -c '^missing: ' <<<"$out")
[ "$rc" = 1 ] && [ "$n" = 7 ] && ok "the map checker reports each of 7 missing names, and only those" \
	|| notok "the map checker reports each of 7 missing names, and only those" "exit $rc, $n reported:
$out"
