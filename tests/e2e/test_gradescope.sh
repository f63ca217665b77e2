#!/usr/bin/env bash
# `grader export-gradescope`: the bundle unzips (python3's zipfile, unzip -t)
# with setup.sh and run_autograder at its root; laid out as Gradescope does
# (a temporary folder standing for /autograder, AUTOGRADER_ROOT), its
# run_autograder grades a submission uploaded as plain files and writes
# results.json that validates against the schema of Gradescope's spec, with a
# hidden check's visibility passed through and the suite's sha256 stated.
source "$(dirname "$0")/lib.sh"

# A copy of ecommerce-api whose order-out-of-stock check is hidden.
cp -a "$ROOT/challenges/ecommerce-api" "$WORK/ch"
sed -i 's/^  - id: order-out-of-stock$/&\n    visibility: hidden/' "$WORK/ch/checks/orders.yaml"
grep -q "visibility: hidden" "$WORK/ch/checks/orders.yaml" || notok setup "could not mark the check hidden"

"$GRADER" export-gradescope "$WORK/ch" "$WORK/bundle.zip" >"$WORK/export.out" 2>&1; rc=$?
[ "$rc" = 0 ] && ok "export-gradescope writes the bundle" || notok "export-gradescope writes the bundle" "exit $rc $(cat "$WORK/export.out")"

if out=$(python3 - "$WORK/bundle.zip" "$WORK/ag/source" <<'PY'
import stat, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
names = set(z.namelist())
errs = []
if bad: errs.append("corrupt member " + bad)
for want in ("setup.sh", "run_autograder", "grader/Makefile", "grader/scripts/setup",
             "challenge/challenge.yaml", "challenge/checks/orders.yaml"):
    if want not in names: errs.append("missing " + want)
if any(n.startswith("challenge/solution/") for n in names): errs.append("the reference solution is in the bundle")
for n in ("setup.sh", "run_autograder"):
    if n in names and not (z.getinfo(n).external_attr >> 16) & stat.S_IXUSR: errs.append(n + " is not executable")
# Gradescope unpacks the zip into /autograder/source.
z.extractall(sys.argv[2])
print("\n".join(errs))
sys.exit(1 if errs else 0)
PY
) && unzip -tq "$WORK/bundle.zip" >/dev/null; then
	ok "the bundle unzips (zipfile, unzip -t) with setup.sh and run_autograder at its root, no reference solution"
else
	notok "the bundle unzips (zipfile, unzip -t) with setup.sh and run_autograder at its root, no reference solution" "$out"
fi
bash -n "$WORK/ag/source/setup.sh" && bash -n "$WORK/ag/source/run_autograder" \
	&& ok "setup.sh and run_autograder are valid bash" || notok "setup.sh and run_autograder are valid bash" ""

# /autograder as Gradescope lays it out: run_autograder beside source/, the
# submission as uploaded files (no .git), results/ written by the script.
# The grader binary of this build stands in for the one setup.sh builds.
cp "$WORK/ag/source/run_autograder" "$WORK/ag/run_autograder" && chmod +x "$WORK/ag/run_autograder"
mkdir -p "$WORK/ag/submission"
cp -a "$ROOT/challenges/ecommerce-api/solution/." "$WORK/ag/submission/"
(cd "$WORK/ag/submission" && patch -s -p1 <"$ROOT/challenges/ecommerce-api/mutants/order-accepted-at-zero-stock.patch") \
	|| notok setup "could not apply the mutant"
AUTOGRADER_ROOT=$WORK/ag GRADER_BIN=$GRADER "$WORK/ag/run_autograder" >"$WORK/ra.out" 2>&1; rc=$?
res=$WORK/ag/results/results.json
if [ "$rc" = 0 ] && python3 - "$res" "$ROOT/schemas/gradescope-results.schema.json" <<'PY'
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), cls=jsonschema.Draft202012Validator)
PY
then ok "run_autograder writes results.json valid against Gradescope's spec"
else notok "run_autograder writes results.json valid against Gradescope's spec" "exit $rc $(tail -5 "$WORK/ra.out") $(head -c 800 "$res" 2>&1)"
fi

got=$(jget "$res" "r['score'], [(t['extra_data']['id'], t['visibility'], t['status']) for t in r['tests'] if t['visibility'] != 'visible']")
[ "$got" = "80 [('order-out-of-stock', 'hidden', 'failed')]" ] \
	&& ok "the mutant scores 80 and the hidden failing check is passed to Gradescope as hidden" \
	|| notok "the mutant scores 80 and the hidden failing check is passed to Gradescope as hidden" "$got"

# The suite's checksum travels with the score: the one the grader computes for this challenge.
"$GRADER" grade "$WORK/nowhere" --challenge "$WORK/ch" --format json --no-db >"$WORK/sha.json" 2>/dev/null
want=$(jget "$WORK/sha.json" "r['challenge']['suite_sha256']")
[ -n "$want" ] && [ "$(jget "$res" "r['extra_data']['suite_sha256']")" = "$want" ] && grep -q "$want" <<<"$(jget "$res" "r['output']")" \
	&& ok "results.json states the suite's sha256 (the exported challenge's)" \
	|| notok "results.json states the suite's sha256 (the exported challenge's)" "want $want; $(jget "$res" "r['extra_data']")"

# A grader that cannot run still leaves a valid results.json saying why.
AUTOGRADER_ROOT=$WORK/ag GRADER_BIN=/bin/false "$WORK/ag/run_autograder" >/dev/null 2>&1
jget "$res" "r['score'], r['output'][:40]" | grep -q "^0 The grader could not grade" \
	&& python3 -c "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))" "$res" "$ROOT/schemas/gradescope-results.schema.json" \
	&& ok "a grader that cannot run leaves a valid results.json that says so" \
	|| notok "a grader that cannot run leaves a valid results.json that says so" "$(cat "$res")"

# A bad challenge is refused before any bundle is written.
printf 'id: x\ntitle: X\nchekcs: []\n' >"$WORK/bad.yaml" && mkdir -p "$WORK/badch" && mv "$WORK/bad.yaml" "$WORK/badch/challenge.yaml"
"$GRADER" export-gradescope "$WORK/badch" "$WORK/bad.zip" >"$WORK/bad.out" 2>&1; rc=$?
[ "$rc" = 2 ] && [ ! -e "$WORK/bad.zip" ] && grep -q "chekcs" "$WORK/bad.out" \
	&& ok "a bad challenge is refused (exit 2) and no bundle is written" \
	|| notok "a bad challenge is refused (exit 2) and no bundle is written" "exit $rc $(cat "$WORK/bad.out")"
