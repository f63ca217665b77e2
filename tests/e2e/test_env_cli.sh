#!/usr/bin/env bash
# `grader env list|prune` on the test cache: the default runtime made by
# tests/run is listed with its requirements source, and a prune with a
# generous age keeps it; bad arguments are usage errors.
source "$(dirname "$0")/lib.sh"
out=$("$GRADER" env list 2>&1); rc=$?
[ "$rc" = 0 ] && echo "$out" | grep -q "default runtime" \
	&& ok "env list shows the default runtime" || notok "env list shows the default runtime" "exit $rc: $out"
"$GRADER" env prune --days 100000 >/dev/null 2>&1; rc=$?
after=$("$GRADER" env list 2>&1)
[ "$rc" = 0 ] && [ "$after" = "$out" ] && ok "env prune keeps recently used environments" \
	|| notok "env prune keeps recently used environments" "exit $rc: $after"
"$GRADER" env prune --days soon >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] && ok "env prune with a bad --days is a usage error" || notok "env prune with a bad --days is a usage error" "exit $rc"
