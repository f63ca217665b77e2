#!/usr/bin/env bash
# `grader prove` on every shipped challenge: the reference passes every
# check, every mutant fails exactly the checks it declares, and every scored
# check is killed by some mutant.
source "$(dirname "$0")/lib.sh"
for dir in "$ROOT"/challenges/*/; do
	ch=$(basename "$dir")
	[ -f "$dir/challenge.yaml" ] || continue
	out=$("$GRADER" prove "$ch" 2>&1); rc=$?
	if [ "$rc" = 0 ]; then
		ok "prove $ch: $(echo "$out" | grep -c '^ok ') variants as declared"
	else
		notok "prove $ch" "exit $rc
$out"
	fi
done
