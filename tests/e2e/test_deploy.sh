#!/usr/bin/env bash
# deploy/: the Kubernetes manifest validates against the Kubernetes API
# schema offline (kubernetes-validate, installed by scripts/setup), and both
# the Indexed Job's container command and the Slurm batch script, run here
# with the variables their schedulers set, shard a roster and merge into one
# gradebook. The roster is of repositories that do not exist (fast: each is
# recorded as fetch-failed), so this tests the plumbing, not grading.
source "$(dirname "$0")/lib.sh"
KV=$ROOT/.tools/k8s/bin/kubernetes-validate
MANIFEST=$ROOT/deploy/kubernetes/indexed-job.yaml
out=$("$KV" --strict "$MANIFEST" 2>&1); rc=$?
[ "$rc" = 0 ] && [ "$(echo "$out" | grep -c passed)" = 3 ] \
	&& ok "the Kubernetes manifest validates against the API schema (strict)" \
	|| notok "the Kubernetes manifest validates against the API schema (strict)" "exit $rc: $out"

{ echo "student,repo"; for s in ann ben cat dan eva fay gus hal; do echo "$s,$WORK/repos/$s"; done; } >"$WORK/roster.csv"
mkdir -p "$WORK/bin" && ln -s "$GRADER" "$WORK/bin/grader"
export PATH=$WORK/bin:$PATH

# The Indexed Job: its container's command, args, env and workingDir as
# written, JOB_COMPLETION_INDEX as Kubernetes sets it, ROSTER pointed here.
"$ROOT/.tools/k8s/bin/python" - "$MANIFEST" "$WORK" >"$WORK/k8s.out" 2>&1 <<'PY'
import os, re, subprocess, sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
work = sys.argv[2]
job = [d for d in docs if d["kind"] == "Job" and d["spec"].get("completionMode") == "Indexed"][0]
merge = [d for d in docs if d["kind"] == "Job" and d["metadata"]["name"].endswith("-merge")][0]
c = job["spec"]["template"]["spec"]["containers"][0]
n = job["spec"]["completions"]
env = {e["name"]: e["value"] for e in c["env"]}
assert int(env["GRADER_SHARDS"]) == n, ("GRADER_SHARDS must equal completions", env["GRADER_SHARDS"], n)
env["ROSTER"] = work + "/roster.csv"
results = work + "/k8s-results"
os.makedirs(results)
expand = lambda s, e: re.sub(r"\$\(([A-Z_]+)\)", lambda m: e[m.group(1)], s)
for i in range(n):
    e = dict(os.environ, **env, JOB_COMPLETION_INDEX=str(i))
    argv = [expand(a, e) for a in c["command"] + c["args"]]
    r = subprocess.run(argv, cwd=results, env=e, capture_output=True, text=True)
    assert r.returncode == 0, (argv, r.returncode, r.stderr[-2000:])
m = merge["spec"]["template"]["spec"]["containers"][0]
r = subprocess.run(m["command"] + m["args"], cwd=results, capture_output=True, text=True)
assert r.returncode == 0, (r.returncode, r.stderr[-2000:])
print("shards", len([f for f in os.listdir(results) if f.startswith("grades-shard-")]))
PY
rc=$?
rows=$(python3 -c "import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1])))))" "$WORK/k8s-results/gradebook.csv" 2>/dev/null)
[ "$rc" = 0 ] && grep -q "shards 4" "$WORK/k8s.out" && [ "$rows" = 8 ] && [ -f "$WORK/k8s-results/site/index.html" ] \
	&& ok "the Indexed Job's command, run per index, shards the roster; its merge Job makes one gradebook" \
	|| notok "the Indexed Job's command, run per index, shards the roster; its merge Job makes one gradebook" \
		"exit $rc, rows $rows: $(tail -c 2000 "$WORK/k8s.out")"

# The Slurm array: the batch script as sbatch would run it, task ids 1..4.
mkdir -p "$WORK/slurm"
bad=0
for t in 1 2 3 4; do
	SLURM_ARRAY_TASK_ID=$t SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=4 SLURM_CPUS_PER_TASK=1 \
	ROSTER=$WORK/roster.csv CHALLENGE=ecommerce-api DEADLINE=2025-03-02T00:00:00Z RESULTS_DIR=$WORK/slurm \
		bash "$ROOT/deploy/slurm/grade-class.sbatch" >>"$WORK/slurm.out" 2>&1 || bad=$((bad + 1))
done
( cd "$WORK/slurm" && grader merge grades-shard-*-of-4.sqlite3 --into class.sqlite3 ) >>"$WORK/slurm.out" 2>&1 || bad=$((bad + 1))
n=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(distinct student_id) from runs').fetchone()[0])" "$WORK/slurm/class.sqlite3" 2>/dev/null)
[ "$bad" = 0 ] && [ "$n" = 8 ] && [ "$(ls "$WORK"/slurm/grades-shard-*-of-4.sqlite3 | wc -l)" = 4 ] \
	&& ok "the Slurm batch script, run per array task, shards the roster and merges into one class" \
	|| notok "the Slurm batch script, run per array task, shards the roster and merges into one class" "$bad failed, $n students: $(tail -20 "$WORK/slurm.out")"
