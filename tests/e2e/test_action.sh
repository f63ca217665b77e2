#!/usr/bin/env bash
# The GitHub Action (action.yml at the repository's root) run as GitHub runs
# it, locally: its structure checked, then its steps executed in order by
# tests/e2e/action_runner.py with a simulated runner environment
# (GITHUB_WORKSPACE a fresh git repository holding the reference solution,
# GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, RUNNER_TEMP, an `origin` to publish
# the badge to). Asserts what the steps wrote.
source "$(dirname "$0")/lib.sh"

# --- action.yml's structure -------------------------------------------------------------
if out=$(python3 - "$ROOT/action.yml" <<'PY'
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
errs = []
for k in ("name", "description", "inputs", "outputs", "runs"):
    if k not in a: errs.append("missing top-level key " + k)
runs = a.get("runs", {})
if runs.get("using") != "composite": errs.append("runs.using is not composite")
for name, spec in a.get("inputs", {}).items():
    if "description" not in spec: errs.append("input %s has no description" % name)
    if not spec.get("required") and "default" not in spec: errs.append("optional input %s has no default" % name)
if not a.get("inputs", {}).get("challenge", {}).get("required"): errs.append("challenge is not required")
ids = {s.get("id") for s in runs.get("steps", [])}
for name, spec in a.get("outputs", {}).items():
    if "value" not in spec or "description" not in spec: errs.append("output %s lacks value/description" % name)
    elif spec["value"].split(".")[1] not in ids: errs.append("output %s reads an unknown step" % name)
for want in ("score", "max-score", "status"):
    if want not in a.get("outputs", {}): errs.append("no output " + want)
for s in runs.get("steps", []):
    if "run" in s and "shell" not in s: errs.append("composite run step without shell: %s" % s.get("name"))
    if "run" not in s and "uses" not in s: errs.append("step with neither run nor uses")
    if "uses" in s and "@" not in s["uses"]: errs.append("unpinned uses " + s["uses"])
if not any(s.get("uses", "").startswith("actions/upload-artifact@") for s in runs.get("steps", [])):
    errs.append("no upload-artifact step")
print("\n".join(errs))
sys.exit(1 if errs else 0)
PY
); then ok "action.yml is a composite action with described inputs, the three outputs and an artifact upload"
else notok "action.yml is a composite action with described inputs, the three outputs and an artifact upload" "$out"
fi

# --- a run as GitHub would do it ---------------------------------------------------------
# The student's repository (the reference solution, two commits) is
# `origin`; the workspace is what actions/checkout leaves by default: a
# shallow clone of depth 1, which the action must deepen to grade.
mkrepo "$ROOT/challenges/ecommerce-api/solution" "$WORK/student" >/dev/null 2>&1 || notok setup "could not make the repository"
git -C "$WORK/student" -c user.name=t -c user.email=t@example.invalid commit -q --allow-empty -m second
git init -q --bare -b main "$WORK/origin.git" && git -C "$WORK/student" push -q "$WORK/origin.git" main \
	&& git clone -q --depth 1 "file://$WORK/origin.git" "$WORK/ws"
[ "$(git -C "$WORK/ws" rev-parse --is-shallow-repository)" = true ] || notok setup "the workspace is not shallow"
mkdir -p "$WORK/runner" "$WORK/artifacts"
: >"$WORK/summary.md"
cat >"$WORK/inputs.json" <<JSON
{"challenge": "ecommerce-api", "badge-branch": "badges", "unsafe-no-sandbox": "${GRADER_TEST_UNSAFE:-false}"}
JSON
GITHUB_WORKSPACE=$WORK/ws GITHUB_STEP_SUMMARY=$WORK/summary.md RUNNER_TEMP=$WORK/runner \
	ARTIFACTS_DIR=$WORK/artifacts GRADER_BIN=$GRADER GRADER_DATADIR=$ROOT \
	python3 "$ROOT/tests/e2e/action_runner.py" "$ROOT" "$WORK/inputs.json" >"$WORK/run.json" 2>"$WORK/run.err"

got=$(jget "$WORK/run.json" "' '.join('%s:%s' % (s['name'].split()[0], s['rc']) for s in r['steps'])")
[ "$got" = "Build:0 Grade:0 Upload:0 Publish:0 Verdict:0" ] && ok "every step of the action ran and succeeded" \
	|| notok "every step of the action ran and succeeded" "$got $(tail -20 "$WORK/run.err")"

[ "$(jget "$WORK/run.json" "r['outputs']['score'], r['outputs']['max-score'], r['outputs']['status']")" = "100 100 graded" ] \
	&& ok "outputs score, max-score and status are set (100, 100, graded)" \
	|| notok "outputs score, max-score and status are set (100, 100, graded)" "$(cat "$WORK/run.json")"

sha=$(jget "$WORK/artifacts/grader-report/report.json" "r['challenge']['suite_sha256']")
[ -n "$sha" ] && [ "$(jget "$WORK/run.json" "r['outputs']['suite-sha256']")" = "$sha" ] \
	&& ok "the suite's sha256 is an output too" || notok "the suite's sha256 is an output too" "$(cat "$WORK/run.json")"

if cmark-gfm -e table "$WORK/summary.md" | grep -q "<td>.*order-out-of-stock" \
	&& grep -q "^### E-Commerce REST API: 100/100" "$WORK/summary.md" && grep -q "$sha" "$WORK/summary.md"; then
	ok "the job summary is a Markdown table with the score and the suite's sha256"
else
	notok "the job summary is a Markdown table with the score and the suite's sha256" "$(head -20 "$WORK/summary.md")"
fi

commit=$(git -C "$WORK/student" rev-parse HEAD)
ls "$WORK/artifacts/grader-report" >"$WORK/art.txt"
[ "$(tr '\n' ' ' <"$WORK/art.txt")" = "badge.svg report.json shields.json " ] \
	&& [ "$(jget "$WORK/artifacts/grader-report/report.json" "r['submission']['commit']")" = "$commit" ] \
	&& grep -q "$commit" "$WORK/artifacts/grader-report/badge.svg" \
	&& ok "the JSON report and the badge (stamped with the commit) are uploaded as artifacts" \
	|| notok "the JSON report and the badge (stamped with the commit) are uploaded as artifacts" "$(cat "$WORK/art.txt")"

if git -C "$WORK/origin.git" show badges:badge.svg >"$WORK/pub.svg" 2>/dev/null && cmp -s "$WORK/pub.svg" "$WORK/artifacts/grader-report/badge.svg" \
	&& git -C "$WORK/origin.git" show badges:shields.json | grep -q '"message":"100/100"' \
	&& [ "$(git -C "$WORK/origin.git" rev-parse main)" = "$commit" ] && [ -z "$(git -C "$WORK/ws" status --porcelain)" ]; then
	ok "the badge is published to the badges branch, leaving main and the checkout untouched"
else
	notok "the badge is published to the badges branch, leaving main and the checkout untouched" "$(git -C "$WORK/origin.git" branch -a 2>&1; git -C "$WORK/ws" status --porcelain)"
fi

# A second run republishes on top of the branch (a fetch of an existing branch).
: >"$WORK/summary2.md"
GITHUB_WORKSPACE=$WORK/ws GITHUB_STEP_SUMMARY=$WORK/summary2.md RUNNER_TEMP=$WORK/runner \
	ARTIFACTS_DIR=$WORK/artifacts2 GRADER_BIN=$GRADER GRADER_DATADIR=$ROOT \
	python3 "$ROOT/tests/e2e/action_runner.py" "$ROOT" "$WORK/inputs.json" >"$WORK/run2.json" 2>"$WORK/run2.err"
[ "$(jget "$WORK/run2.json" "r['steps'][3]['rc']")" = 0 ] && [ "$(git -C "$WORK/origin.git" rev-list --count badges)" -ge 1 ] \
	&& ok "publishing again onto an existing badges branch works" \
	|| notok "publishing again onto an existing badges branch works" "$(cat "$WORK/run2.json"; tail -5 "$WORK/run2.err")"

# A repository that cannot boot: the summary says why, the verdict step fails the job.
mkrepo "$ROOT/challenges/ecommerce-api/solution" "$WORK/broken" >/dev/null 2>&1
echo "import grader_missing_module_for_action" >>"$(settings_file "$WORK/broken")"
commit_all "$WORK/broken" >/dev/null
mkdir -p "$WORK/runner3"; : >"$WORK/summary3.md"
echo '{"challenge": "ecommerce-api", "unsafe-no-sandbox": "'"${GRADER_TEST_UNSAFE:-false}"'"}' >"$WORK/inputs3.json"
GITHUB_WORKSPACE=$WORK/broken GITHUB_STEP_SUMMARY=$WORK/summary3.md RUNNER_TEMP=$WORK/runner3 \
	ARTIFACTS_DIR=$WORK/artifacts3 GRADER_BIN=$GRADER GRADER_DATADIR=$ROOT \
	python3 "$ROOT/tests/e2e/action_runner.py" "$ROOT" "$WORK/inputs3.json" >"$WORK/run3.json" 2>"$WORK/run3.err"
got=$(jget "$WORK/run3.json" "' '.join('%s:%s' % (s['name'].split()[0], s['rc']) for s in r['steps'])")
[ "$got" = "Build:0 Grade:0 Upload:0 Publish:None Verdict:1" ] && grep -q "grader_missing_module_for_action" "$WORK/summary3.md" \
	&& [ "$(jget "$WORK/run3.json" "r['outputs']['status']")" = boot-failed ] \
	&& ok "a submission that cannot boot: diagnosis in the summary, status output boot-failed, the job fails" \
	|| notok "a submission that cannot boot: diagnosis in the summary, status output boot-failed, the job fails" "$got $(head -c 600 "$WORK/summary3.md")"

# --- grader badge --run: the same run, drawn from the store it was recorded in ---------
db=$WORK/runner/grader-action/results.sqlite3
id=$(jget "$WORK/artifacts/grader-report/report.json" "r['run_id']")
"$GRADER" badge --run "$id" --db "$db" --out "$WORK/run.svg" 2>"$WORK/badge.err"; rc=$?
if [ "$rc" = 0 ] && xmllint --noout "$WORK/run.svg" && grep -q ">100/100</text>" "$WORK/run.svg" \
	&& grep -q "$commit" "$WORK/run.svg" && grep -q "$sha" "$WORK/run.svg"; then
	ok "badge --run draws a recorded run with its commit and suite_sha256"
else
	notok "badge --run draws a recorded run with its commit and suite_sha256" "exit $rc $(cat "$WORK/badge.err")"
fi
"$GRADER" badge --run 999999 --db "$db" --out "$WORK/none.svg" 2>"$WORK/badge.err"; rc=$?
[ "$rc" = 2 ] && grep -q "no run 999999" "$WORK/badge.err" && [ ! -e "$WORK/none.svg" ] \
	&& ok "badge --run of an unknown run is refused, naming it" \
	|| notok "badge --run of an unknown run is refused, naming it" "exit $rc $(cat "$WORK/badge.err")"

# --- grader badge SOURCE --challenge: the last recorded run of a repository ----------
# The repository written another way (a trailing slash) is the same submission.
"$GRADER" badge "$WORK/ws/" --challenge ecommerce-api --db "$db" --out "$WORK/last.svg" 2>"$WORK/badge.err"; rc=$?
if [ "$rc" = 0 ] && xmllint --noout "$WORK/last.svg" && grep -q ">100/100</text>" "$WORK/last.svg" \
	&& grep -q "$commit" "$WORK/last.svg" && grep -q "$sha" "$WORK/last.svg"; then
	ok "badge SOURCE --challenge draws the repository's last recorded run"
else
	notok "badge SOURCE --challenge draws the repository's last recorded run" "exit $rc $(cat "$WORK/badge.err")"
fi
"$GRADER" badge "$WORK/never-graded" --challenge ecommerce-api --db "$db" --out "$WORK/none2.svg" 2>"$WORK/badge.err"; rc=$?
[ "$rc" = 2 ] && grep -q "no recorded run of $WORK/never-graded" "$WORK/badge.err" && [ ! -e "$WORK/none2.svg" ] \
	&& ok "badge of a repository never graded is refused, naming it" \
	|| notok "badge of a repository never graded is refused, naming it" "exit $rc $(cat "$WORK/badge.err")"
