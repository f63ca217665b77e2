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

# A relative GRADER_CACHE_DIR (with "." and ".." in it) means the same folder
# as the absolute one: the environments are found there, and a submission
# boots from them (the sandbox mounts an environment by its absolute path;
# a relative cache once made every boot an internal error).
abs=$("$GRADER" env default 2>&1)
parent=$(dirname "$GRADER_CACHE_DIR") base=$(basename "$GRADER_CACHE_DIR")
rel=$(cd "$parent" && GRADER_CACHE_DIR="./$base/../$base" "$GRADER" env default 2>&1)
[ -n "$abs" ] && [ "$rel" = "$abs" ] \
	&& ok "a relative GRADER_CACHE_DIR finds the same environment, by its absolute path" \
	|| notok "a relative GRADER_CACHE_DIR finds the same environment, by its absolute path" "absolute: $abs; relative: $rel"
mkrepo "$ROOT/challenges/ecommerce-api/solution" "$WORK/relcache" >/dev/null 2>&1
(cd "$parent" && GRADER_CACHE_DIR="$base" "$GRADER" grade "$WORK/relcache" --challenge ecommerce-api --no-db \
	--format json >"$WORK/relcache.json" 2>"$WORK/relcache.err"); rc=$?
st=$(jget "$WORK/relcache.json" "r['status'], r['score']" 2>/dev/null)
[ "$rc" = 0 ] && [ "$st" = "graded 100" ] \
	&& ok "a submission is graded with a relative GRADER_CACHE_DIR" \
	|| notok "a submission is graded with a relative GRADER_CACHE_DIR" "exit $rc, $st: $(head -c 600 "$WORK/relcache.json" "$WORK/relcache.err")"

# A GRADER_CACHE_DIR that is a symbolic link to the cache (a ~/.cache on
# another disk): the sandbox binds what the link names, where it bound the
# link's own path from inside the new root, which names nothing there
# (h595: "sandbox setup failed at .../envs/...: No such file or directory").
ln -s "$GRADER_CACHE_DIR" "$WORK/linkcache"
GRADER_CACHE_DIR="$WORK/linkcache" "$GRADER" grade "$WORK/relcache" --challenge ecommerce-api --no-db \
	--format json >"$WORK/linkcache.json" 2>"$WORK/linkcache.err"; rc=$?
st=$(jget "$WORK/linkcache.json" "r['status'], r['score']" 2>/dev/null)
[ "$rc" = 0 ] && [ "$st" = "graded 100" ] \
	&& ok "a submission is graded with a GRADER_CACHE_DIR that is a symbolic link" \
	|| notok "a submission is graded with a GRADER_CACHE_DIR that is a symbolic link" "exit $rc, $st: $(head -c 600 "$WORK/linkcache.json" "$WORK/linkcache.err")"
