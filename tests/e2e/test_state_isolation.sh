#!/usr/bin/env bash
# No state of one submission reaches the next one graded by the same grader
# process (issue 13): submission A monkeypatches Django when its settings are
# imported (a method of django.http's response class, a module-level setting
# of Django's global_settings, a module-level dict of django.utils.http);
# submission B, the reference solution, graded right after A by the same
# `grader batch --jobs 1`, scores as the reference does. Today every
# submission gets a fresh interpreter in a fresh sandbox; this is the proof
# any reuse of interpreters (a zygote, docs/performance.md) must still pass.
. "$(dirname "$0")/lib.sh"

S=$ROOT/challenges/ecommerce-api/solution
mkdir -p "$WORK/a" "$WORK/b" && cp -a "$S/." "$WORK/a/" && cp -a "$S/." "$WORK/b/"
cat >>"$(settings_file "$WORK/a")" <<'PY'

# --- submission A: patches Django's own modules at import of its settings ---
import django.http.response as _resp
import django.utils.http as _uhttp
from django.conf import global_settings as _gs

_real_init = _resp.HttpResponseBase.__init__


def _teapot_init(self, *args, **kwargs):
    _real_init(self, *args, **kwargs)
    self.status_code = 418


_resp.HttpResponseBase.__init__ = _teapot_init
_gs.DEFAULT_CHARSET = "latin-1"
_uhttp.MONTHS[1] = "patched-by-a"
PY
for d in a b; do
	git -C "$WORK/$d" init -q -b main . && git -C "$WORK/$d" add -A . &&
		git -C "$WORK/$d" -c user.name=t -c user.email=t@example.invalid commit -q -m "$d"
done
printf 'student,repo\nsubmission-a,%s\nsubmission-b,%s\n' "$WORK/a" "$WORK/b" >"$WORK/roster.csv"
"$GRADER" batch "$WORK/roster.csv" --challenge ecommerce-api --db "$WORK/batch.sqlite3" --jobs 1 \
	>"$WORK/batch.out" 2>"$WORK/batch.err"
rc=$?
"$GRADER" export --challenge ecommerce-api --format csv --db "$WORK/batch.sqlite3" >"$WORK/book.csv" 2>>"$WORK/batch.err"
score() {  # STUDENT: "score status" from the gradebook
	python3 -c "
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline='')):
    if r['student'] == sys.argv[2]:
        print(r['score'], r['status'])" "$WORK/book.csv" "$1" 2>/dev/null
}
a=$(score submission-a); b=$(score submission-b)
# A's patch must have taken effect in A's own run, or the test proves nothing.
if [ -n "$a" ] && [ "${a%% *}" != 100 ]; then
	ok "submission A's monkeypatching of Django changes its own grade ($a)"
else
	notok "submission A's monkeypatching of Django changes its own grade ($a)" "exit $rc: $(tail -n 5 "$WORK/batch.err")"
fi
[ "$b" = "100 graded" ] && ok "submission B, graded next by the same grader process, is unaffected (100)" \
	|| notok "submission B, graded next by the same grader process, is unaffected (100)" \
	"B: '$b'; exit $rc: $(tail -n 5 "$WORK/batch.err"); $(cat "$WORK/book.csv" 2>&1)"
