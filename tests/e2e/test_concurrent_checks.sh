#!/usr/bin/env bash
# Checks run concurrently (engine.h, checkplan.h) give exactly the results
# of a sequential run: every challenge's reference, graded twice with
# --jobs-checks 4 and once with --jobs-checks 1, has the same checks in the
# same order with the same status, points and message each time, the same
# nonce making the same data.
source "$(dirname "$0")/lib.sh"
summary="[(c['id'], c['status'], c['points'], c['message']) for c in r['checks']]"
for dir in "$ROOT"/challenges/*/; do
	ch=$(basename "$dir")
	[ -d "$dir/solution" ] || continue
	mkrepo "$dir/solution" "$WORK/$ch" >/dev/null 2>&1 || notok "$ch: setup" "could not make the repository"
	grade "$WORK/$ch-seq.json" "$WORK/$ch" "$ch" --nonce same --jobs-checks 1
	seq=$(jget "$WORK/$ch-seq.json" "$summary")
	same=yes
	for k in 1 2; do
		grade "$WORK/$ch-par$k.json" "$WORK/$ch" "$ch" --nonce same --jobs-checks 4
		par=$(jget "$WORK/$ch-par$k.json" "$summary")
		[ -n "$seq" ] && [ "$par" = "$seq" ] || same="run $k: $par"
	done
	allpass=$(jget "$WORK/$ch-seq.json" "r['status'] == 'graded' and r['score'] == r['max_score']")
	[ "$same" = yes ] && [ "$allpass" = True ] \
		&& ok "$ch: concurrent checks give the sequential results ($(jget "$WORK/$ch-seq.json" "len(r['checks'])") checks, twice)" \
		|| notok "$ch: concurrent checks give the sequential results" "sequential: $seq
$same
$(tail -3 "$WORK/$ch-seq.json.err")"
done

# --jobs-checks is checked before any work starts.
"$GRADER" grade "$WORK/ecommerce-api" --challenge ecommerce-api --no-db --jobs-checks 0 >/dev/null 2>"$WORK/bad.err"; rc=$?
[ "$rc" = 2 ] && grep -q "jobs-checks takes a number from 1 to 64, not '0'" "$WORK/bad.err" \
	&& ok "--jobs-checks 0 is a usage error" || notok "--jobs-checks 0 is a usage error" "exit $rc: $(cat "$WORK/bad.err")"
left=$(left_running)
[ -z "$left" ] && ok "no app process is left after the concurrent runs" || notok "no app process is left after the concurrent runs" "$left"
