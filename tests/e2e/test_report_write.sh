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

# grade, show, convert and badge share one writer (cmd_write_report): convert
# to a full device fails the same way, and a regular --out is replaced whole
# (written beside it, renamed into place), keeping its permissions and
# leaving no temporary file behind.
"$GRADER" convert "$WORK/report.json" --format markdown --out /dev/full >/dev/null 2>"$WORK/conv.err"
rc=$?
[ "$rc" = 1 ] && grep -q "cannot write the report to /dev/full" "$WORK/conv.err" \
	&& ok "convert: a failed write exits 1 and names the file" \
	|| notok "convert: a failed write exits 1 and names the file" "exit $rc $(cat "$WORK/conv.err")"

printf 'an older report, longer than the badge that replaces it\n%.0s' $(seq 100) >"$WORK/badge.svg"
chmod 640 "$WORK/badge.svg"
"$GRADER" badge --report "$WORK/report.json" --out "$WORK/badge.svg" 2>"$WORK/badge.err"
rc=$?
left=$(ls "$WORK" | grep -c '\.tmp-')
[ "$rc" = 0 ] && xmllint --noout "$WORK/badge.svg" 2>/dev/null && [ "$(stat -c %a "$WORK/badge.svg")" = 640 ] \
	&& [ "$left" = 0 ] \
	&& ok "an existing --out is replaced whole, keeps its mode, no temporary file left" \
	|| notok "an existing --out is replaced whole, keeps its mode, no temporary file left" \
		"exit $rc mode $(stat -c %a "$WORK/badge.svg") tmp $left $(cat "$WORK/badge.err")"
