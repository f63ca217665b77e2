#!/usr/bin/env bash
# Every format of `--format` fed to its own reader: JUnit to xmllint with the
# shipped XSD and to python's xml.etree, Gradescope's results.json to a JSON
# Schema of Gradescope's spec, the Classroom payload decoded and scored as the
# grading reporter does, Markdown rendered by cmark-gfm (GitHub's renderer),
# the shields object to its schema, the badge to an XML parser and to headless
# Chromium. Reports are fixtures (tests/fixtures/reports), so no grading runs
# here: hostile messages, hidden checks, a run that did not boot.
source "$(dirname "$0")/lib.sh"
FIX=$ROOT/tests/fixtures/reports
READ="python3 $ROOT/tests/e2e/formats_readers.py"

# The formats are format.c's table (what --format completes); every one
# but text and json (read back by the grader itself) has its reader.
FORMATS=$("$GRADER" __complete 3 grader convert --format '' | grep -vx 'text\|json')
missing=""
for fmt in $FORMATS; do
	$READ --list | grep -qx "$fmt" || missing="$missing $fmt"
done
[ -n "$FORMATS" ] && [ -z "$missing" ] && ok "every format of the table has its reader in formats_readers.py" \
	|| notok "every format of the table has its reader in formats_readers.py" "formats: $FORMATS; without one:$missing"

for rep in partial full boot-failed; do
	for fmt in $FORMATS; do
		out=$WORK/$rep.$fmt
		if ! "$GRADER" convert "$FIX/$rep.json" --format "$fmt" --out "$out" 2>"$out.err"; then
			notok "$rep: convert --format $fmt" "$(cat "$out.err")"
			continue
		fi
		secrets=()
		# Only partial.json has hidden messages to withhold.
		[ "$fmt" != gradescope ] && [ "$rep" = partial ] && secrets=(--secret SECRET-HIDDEN-DETAIL --secret AFTER-DUE-DETAIL)
		$READ "$fmt" "$FIX/$rep.json" "$out" "${secrets[@]}"
	done
	if xmllint --noout --schema "$ROOT/schemas/junit.xsd" "$WORK/$rep.junit" 2>"$WORK/xsd.err"; then
		ok "$rep: junit validates against schemas/junit.xsd"
	else
		notok "$rep: junit validates against schemas/junit.xsd" "$(cat "$WORK/xsd.err")"
	fi
	if xmllint --noout "$WORK/$rep.badge" 2>"$WORK/svg.err"; then
		ok "$rep: badge is well-formed XML"
	else
		notok "$rep: badge is well-formed XML" "$(cat "$WORK/svg.err")"
	fi
done

# --- visibility: who sees what ---------------------------------------------------
leaks=""
# Every format but gradescope (whose reader enforces visibility itself).
for fmt in text json $(grep -vx gradescope <<<"$FORMATS"); do
	"$GRADER" convert "$FIX/partial.json" --format "$fmt" >"$WORK/v.$fmt" 2>&1
	[ "$fmt" = classroom ] && base64 -d <"$WORK/v.$fmt" >"$WORK/v.dec" && mv "$WORK/v.dec" "$WORK/v.$fmt"
	grep -q "SECRET-HIDDEN-DETAIL\|AFTER-DUE-DETAIL" "$WORK/v.$fmt" && leaks="$leaks $fmt"
done
[ -z "$leaks" ] && ok "student-facing formats withhold hidden and after_due_date messages" \
	|| notok "student-facing formats withhold hidden and after_due_date messages" "leaked in:$leaks"

"$GRADER" convert "$FIX/partial.json" --format text >"$WORK/t.txt"
grep -q "order-out-of-stock" "$WORK/t.txt" && grep -q "hidden until the instructor releases" "$WORK/t.txt" \
	&& grep -q "Score: 55/100" "$WORK/t.txt" \
	&& ok "a hidden check still shows its id, points and the total" \
	|| notok "a hidden check still shows its id, points and the total" "$(cat "$WORK/t.txt")"

# Without --format, text (as the option's help says), with the report's
# environment line as grade printed it, but for whether it was built or
# reused, which the JSON does not keep (h299, h300).
"$GRADER" convert "$FIX/partial.json" >"$WORK/t0.txt" 2>"$WORK/t0.err"; rc=$?
[ "$rc" = 0 ] && grep -qx "Environment: Python 3.11.2, requirements.txt pins Django 5.2; requirements: requirements.txt; Django 5.2.19" "$WORK/t0.txt" \
	&& grep -q "Score: 55/100" "$WORK/t0.txt" \
	&& ok "convert without --format writes text, with the environment line" \
	|| notok "convert without --format writes text, with the environment line" "exit $rc: $(cat "$WORK/t0.err" "$WORK/t0.txt")"

"$GRADER" convert "$FIX/partial.json" --format text --show-hidden >"$WORK/t.txt"
grep -q "SECRET-HIDDEN-DETAIL" "$WORK/t.txt" && grep -q "AFTER-DUE-DETAIL" "$WORK/t.txt" \
	&& ok "--show-hidden (the instructor's view) shows every message" \
	|| notok "--show-hidden (the instructor's view) shows every message" "$(cat "$WORK/t.txt")"

"$GRADER" convert "$FIX/partial.json" --format markdown --due 2020-01-01T00:00:00Z >"$WORK/t.md"
grep -q "AFTER-DUE-DETAIL" "$WORK/t.md" && ! grep -q "SECRET-HIDDEN-DETAIL" "$WORK/t.md" \
	&& ok "after the due date, after_due_date messages show and hidden ones do not" \
	|| notok "after the due date, after_due_date messages show and hidden ones do not" "$(cat "$WORK/t.md")"

"$GRADER" convert "$FIX/partial.json" --format markdown --due 2999-01-01 >"$WORK/t.md"
! grep -q "AFTER-DUE-DETAIL" "$WORK/t.md" \
	&& ok "before the due date, after_due_date messages are withheld" \
	|| notok "before the due date, after_due_date messages are withheld" "$(cat "$WORK/t.md")"

"$GRADER" convert "$FIX/partial.json" --format gradescope --out "$WORK/gs.json"
grep -q "SECRET-HIDDEN-DETAIL" "$WORK/gs.json" \
	&& [ "$(jget "$WORK/gs.json" "[t['visibility'] for t in r['tests']][4:6]")" = "['hidden', 'after_due_date']" ] \
	&& ok "gradescope carries hidden messages with their visibility for Gradescope to enforce" \
	|| notok "gradescope carries hidden messages with their visibility for Gradescope to enforce" "$(head -c 1500 "$WORK/gs.json")"

# The text report read back says both warnings where a grade says them:
# the source's under the title, the system checks' after the checks.
"$GRADER" convert "$FIX/partial.json" --format text >"$WORK/tw.txt"
[ "$(sed -n 2p "$WORK/tw.txt")" = "Warning: /home/student/<b>shop</b> has 2 uncommitted changes, which were not graded: the last commit was (commit them, or grade with --worktree)" ] \
	&& grep -q "^Warning: Django's system checks find 1 error, which" "$WORK/tw.txt" \
	&& ok "a report converted to text says its warnings" \
	|| notok "a report converted to text says its warnings" "$(head -30 "$WORK/tw.txt")"

# --- the reader: a report read back renders the same report --------------------------
same=""
for rep in partial full boot-failed; do
	"$GRADER" convert "$FIX/$rep.json" --format json --show-hidden --out "$WORK/rt.json"
	python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' \
		"$FIX/$rep.json" "$WORK/rt.json" \
		|| same="$same $rep: $(diff <(python3 -m json.tool "$FIX/$rep.json") <(python3 -m json.tool "$WORK/rt.json") | head -10)"
done
[ -z "$same" ] && ok "a JSON report read back and written again is the same report" \
	|| notok "a JSON report read back and written again is the same report" "$same"

# --- bad input is named -------------------------------------------------------------------
"$GRADER" convert /etc/hostname --format junit >/dev/null 2>"$WORK/bad.err"; rc=$?
[ "$rc" = 2 ] && grep -q "/etc/hostname: not a JSON report" "$WORK/bad.err" \
	&& ok "a file that is not a report is refused, named" || notok "a file that is not a report is refused, named" "exit $rc $(cat "$WORK/bad.err")"
python3 -c "import json; r=json.load(open('$FIX/partial.json')); r['checks'][3]['status']='maybe'; json.dump(r, open('$WORK/badst.json','w'))"
"$GRADER" convert "$WORK/badst.json" --format junit >/dev/null 2>"$WORK/bad.err"; rc=$?
[ "$rc" = 2 ] && grep -q "checks\[3\].status is 'maybe'" "$WORK/bad.err" \
	&& ok "a bad check status is refused with its place in the report" || notok "a bad check status is refused with its place in the report" "exit $rc $(cat "$WORK/bad.err")"
python3 -c "import json; r=json.load(open('$FIX/partial.json')); r['warnings'].append(r['warnings'][1]); json.dump(r, open('$WORK/badw.json','w'))"
"$GRADER" convert "$WORK/badw.json" --format text >/dev/null 2>"$WORK/bad.err"; rc=$?
[ "$rc" = 2 ] && grep -q "'warnings\[2\]' is a second system checks' sentence; a report holds one at most" "$WORK/bad.err" \
	&& ok "a report with two system checks' sentences is refused, naming the second" \
	|| notok "a report with two system checks' sentences is refused, naming the second" "exit $rc $(cat "$WORK/bad.err")"
"$GRADER" convert "$FIX/partial.json" --format yaml >/dev/null 2>"$WORK/bad.err"; rc=$?
[ "$rc" = 2 ] && grep -q "unknown format 'yaml'; expected one of text|json|junit" "$WORK/bad.err" \
	&& ok "an unknown --format is refused with the accepted names" || notok "an unknown --format is refused with the accepted names" "exit $rc $(cat "$WORK/bad.err")"

# --- the badge in a real browser ----------------------------------------------------
# Inline (the DOM's SVG text must lay out within the badge) and as an <img>
# (a browser only loads a valid standalone SVG file as an image).
chrome() {
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d "$WORK/chrome-XXXXXX")" --allow-file-access-from-files "$@" 2>/dev/null
}
"$GRADER" convert "$FIX/partial.json" --format badge --out "$WORK/badge.svg"
{
	echo '<!doctype html><html><body style="margin:0;background:#fff">'
	sed 1d "$WORK/badge.svg"
	echo '<br><img id="im" src="badge.svg">'
	cat <<'JS'
<script>
function measure() {
  var svg = document.querySelector('svg'), w = svg.width.baseVal.value;
  var texts = Array.from(svg.querySelectorAll('text'));
  var fits = texts.every(function (t) { var b = t.getBBox(); return b.width > 0 && b.x >= 0 && b.x + b.width <= w + 0.5; });
  var img = document.getElementById('im');
  document.body.setAttribute('data-result', JSON.stringify({
    texts: texts.map(function (t) { return t.textContent; }),
    fits: fits, img: img.complete ? img.naturalWidth : -1, title: svg.querySelector('title').textContent}));
}
window.addEventListener('load', measure);
</script></body></html>
JS
} >"$WORK/badge.html"
chrome --virtual-time-budget=5000 --dump-dom "file://$WORK/badge.html" >"$WORK/badge.dom"
res=$(python3 - "$WORK/badge.dom" <<'PY'
import html, json, re, sys
m = re.search(r'data-result="([^"]*)"', open(sys.argv[1]).read())
r = json.loads(html.unescape(m.group(1))) if m else {}
ok = (r.get("texts") == ["E-Commerce REST API", "55/100"] and r.get("fits") and r.get("img", 0) > 0
      and "suite sha256 3f1a3f1a3f1a" in r.get("title", ""))
print("yes" if ok else "no %r" % r)
PY
)
[ "$res" = yes ] && ok "chromium lays out the badge's text within it and loads it as an image" \
	|| notok "chromium lays out the badge's text within it and loads it as an image" "$res"
chrome --screenshot="$WORK/badge.png" --window-size=400,80 "file://$WORK/badge.svg" >/dev/null
if python3 - "$WORK/badge.png" <<'PY'
import struct, sys, zlib
# Decode the PNG (8-bit RGB/RGBA, as Chromium writes it) and find the badge's
# yellow (#dfb317, 55/100) among its pixels.
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w, h, ct = 8, b"", 0, 0, 0
while pos < len(data):
    n, typ = struct.unpack(">I4s", data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
    if typ == b"IHDR": w, h, bd, ct = struct.unpack(">IIBB", body[:10])
    elif typ == b"IDAT": idat += body
raw = zlib.decompress(idat); bpp = 4 if ct == 6 else 3; stride = w * bpp
prev = bytearray(stride); found = 0; i = 0
for y in range(h):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        r, g, bl = line[x:x + 3]
        if abs(r - 0xdf) < 24 and abs(g - 0xb3) < 24 and abs(bl - 0x17) < 40: found += 1
    prev = line
sys.exit(0 if found > 200 else 1)
PY
then ok "chromium paints the badge in its score's colour"
else notok "chromium paints the badge in its score's colour" "$(ls -l "$WORK/badge.png" 2>&1)"
fi
if [ -n "${KEEP_BADGE_PNG:-}" ]; then cp "$WORK/badge.png" "$KEEP_BADGE_PNG"; fi
