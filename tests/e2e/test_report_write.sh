#!/usr/bin/env bash
# A report that cannot be written is an error, never a silent success: the
# grader says what it could not write and exits 1 (exitcode.h), whether the
# report goes to --out FILE or to standard output. A quick run (a source
# that does not exist: fetch-failed, exit 3) stands for any run.
source "$(dirname "$0")/lib.sh"

run() { "$GRADER" grade "$WORK/does-not-exist" --challenge ecommerce-api --no-db --format json "$@"; }

run --out "$WORK/report.json" >"$WORK/ok.out" 2>"$WORK/ok.err"
rc=$?
[ "$rc" = 3 ] && [ "$(jget "$WORK/report.json" "r['status']")" = fetch-failed ] \
	&& ok "a writable --out gets the report and the run's own exit status" \
	|| notok "a writable --out gets the report and the run's own exit status" "exit $rc $(cat "$WORK/ok.err")"

run --out /dev/full >"$WORK/full.out" 2>"$WORK/full.err"
rc=$?
[ "$rc" = 1 ] && grep -q "cannot write the report to /dev/full" "$WORK/full.err" \
	&& ok "a failed write to --out exits 1 and names the file" \
	|| notok "a failed write to --out exits 1 and names the file" "exit $rc $(cat "$WORK/full.err")"

run >/dev/full 2>"$WORK/stdout.err"
rc=$?
[ "$rc" = 1 ] && grep -q "cannot write the report to standard output" "$WORK/stdout.err" \
	&& ok "a failed write to standard output exits 1" \
	|| notok "a failed write to standard output exits 1" "exit $rc $(cat "$WORK/stdout.err")"
