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

# The image (make image: deploy/build-image builds deploy/Containerfile FROM a
# debootstrap root; too slow for this suite, so its settings are checked
# here and the image itself by make image-check): the tag it builds is the
# one both Jobs run, its base is a local image (no registry), and the image
# runs the manifest's command where the manifest expects it.
bash "$ROOT/deploy/build-image" --dry-run >"$WORK/image.out" 2>&1
rc=$?
"$ROOT/.tools/k8s/bin/python" - "$MANIFEST" "$ROOT/deploy/Containerfile" "$WORK/image.out" "$ROOT/scripts/setup" \
	>"$WORK/image.check" 2>&1 <<'PY'
import re, sys, yaml
manifest, containerfile, dry, setup = sys.argv[1:5]
docs = [d for d in yaml.safe_load_all(open(manifest)) if d]
jobs = [d for d in docs if d["kind"] == "Job"]
conf = dict(l.split(": ", 1) for l in open(dry).read().splitlines() if re.match(r"^[a-z ]+: ", l))
bad = []
# Instructions, continuation lines joined, comments dropped; per stage.
text = re.sub(r"\\\n", " ", "".join(l for l in open(containerfile) if not l.lstrip().startswith("#")))
ins = [l.split(None, 1) + [""] for l in text.splitlines() if l.strip()]
ins = [(k.upper(), v.strip()) for k, v, *_ in ins]
args = dict(v.split("=", 1) for k, v in ins if k == "ARG" and "=" in v)
froms = [v for k, v in ins if k == "FROM"]
final = ins[max(i for i, (k, _) in enumerate(ins) if k == "FROM"):]
stages = [f.split()[-1] for f in froms if " AS " in f.upper()]
for f in froms:
    if f.split()[0] != "${BASE}":
        bad.append(f"FROM {f}: every stage must start from the local base")
if not conf.get("base", "").startswith("localhost/") or args.get("BASE") != conf.get("base"):
    bad.append(f"base: build-image makes {conf.get('base')}, the Containerfile's ARG BASE is {args.get('BASE')}")
for j in jobs:
    for c in j["spec"]["template"]["spec"]["containers"]:
        if c["image"] != conf.get("image"):
            bad.append(f"{j['metadata']['name']} runs {c['image']}, build-image tags {conf.get('image')}")
grader = [j for j in jobs if j["spec"].get("completionMode") == "Indexed"][0]["spec"]["template"]["spec"]["containers"][0]
workdir = [v for k, v in final if k == "WORKDIR"][-1]
if workdir != grader["workingDir"]:
    bad.append(f"the image's WORKDIR {workdir} is not the Job's workingDir {grader['workingDir']}")
env = dict(re.findall(r"(\w+)=(\S+)", " ".join(v for k, v in final if k == "ENV")))
if not env.get("GRADER_DB", "").startswith(grader["workingDir"] + "/"):
    bad.append(f"GRADER_DB {env.get('GRADER_DB')} is not on the results volume {grader['workingDir']}")
if grader["command"] != ["grader"] or [v for k, v in final if k == "ENTRYPOINT"] != ['["grader"]'] \
        or "PREFIX=/usr/local" not in text:
    bad.append("the Job runs `grader`: the image must install it in /usr/local/bin and enter it")
pin = re.search(r'"uv==([^"]+)"', open(setup).read())
if not pin or args.get("UV_VERSION") != pin.group(1):
    bad.append(f"uv: the image pins {args.get('UV_VERSION')}, scripts/setup {pin and pin.group(1)}")
print("\n".join(bad) or "consistent")
PY
[ "$rc" = 0 ] && [ "$(cat "$WORK/image.check")" = consistent ] \
	&& ok "deploy/build-image tags the image both Jobs run, FROM a local base; it runs the Job's command in its workingDir" \
	|| notok "deploy/build-image tags the image both Jobs run, FROM a local base; it runs the Job's command in its workingDir" \
		"dry run exit $rc: $(cat "$WORK/image.out" "$WORK/image.check")"
