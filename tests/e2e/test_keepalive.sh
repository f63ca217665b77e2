#!/usr/bin/env bash
# The app's server keeps a connection for the next request (issue 13,
# docs/performance.md "Persistent connections") only while every exchange
# on it is delimited, and the checks use that: the boot module's serve()
# driven over raw sockets (tests/e2e/keepalive_probe.py, outside any
# sandbox), then a real grade's checks going over a few connections.
. "$(dirname "$0")/lib.sh"

py=${GRADER_TEST_PYTHON:-$(command -v python3)}
env -i PATH=/usr/bin:/bin PYTHONDONTWRITEBYTECODE=1 timeout 60 "$py" "$ROOT/tests/e2e/keepalive_probe.py" \
	>"$WORK/probe.out" 2>"$WORK/probe.err"
rc=$?
cat "$WORK/probe.out"
[ "$rc" = 0 ] && [ "$(grep -c '^ok ' "$WORK/probe.out")" = 7 ] \
	&& ok "the server probe ran to its end (7 results)" \
	|| notok "the server probe ran to its end (7 results)" "exit $rc: $(tail -n 5 "$WORK/probe.err")"

mkrepo "$ROOT/challenges/ecommerce-api/solution" "$WORK/ref"
grade "$WORK/ref.json" "$WORK/ref" ecommerce-api --no-db
conn=$(jget "$WORK/ref.json" "(r['score'], r['checks_timing_ms']['requests'], r['checks_timing_ms']['connects'])")
if [ "$(jget "$WORK/ref.json" "r['score'] == 100 and r['checks_timing_ms']['connects'] * 4 <= r['checks_timing_ms']['requests']")" = True ]; then
	ok "the checks' requests share persistent connections (score, requests, connections: $conn)"
else
	notok "the checks' requests share persistent connections (score, requests, connections: $conn)" \
		"exit $rc: $(tail -n 5 "$WORK/ref.json.err")"
fi
