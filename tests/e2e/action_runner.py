"""Run a composite action's steps as the GitHub runner does, locally.

    python3 action_runner.py ACTION_DIR INPUTS.json

Reads ACTION_DIR/action.yml; for each step evaluates `if:` (the forms
action.yml uses: always(), &&, ==/!= against '' on inputs.* and
steps.*.outputs.*), expands ${{ inputs.X }}, ${{ github.* }} and
${{ steps.ID.outputs.X }} in `run`, `env` and `with`, runs `run:` steps
with bash with a fresh GITHUB_OUTPUT file per step (parsed into the step's
outputs, as the runner does), and stands in for `uses:
actions/upload-artifact` by copying each `path` line into
$ARTIFACTS_DIR/NAME/. Defaults come from the action's inputs. Prints one JSON
object: {"steps": [{"name", "ran", "rc"}], "outputs": {...}}; exits 0.
"""
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def lookup(path, ctx):
    cur = ctx
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return ""
        cur = cur[part]
    return cur


def expand(text, ctx):
    return EXPR.sub(lambda m: str(lookup(m.group(1), ctx)), str(text))


def truth(cond, ctx, failed):
    cond = EXPR.sub(lambda m: m.group(1), cond).strip()
    ok = True
    for part in [p.strip() for p in cond.split("&&")]:
        if part == "always()":
            continue
        m = re.fullmatch(r"([\w.-]+)\s*(==|!=)\s*'(.*)'", part)
        if not m:
            raise SystemExit("unsupported if: " + cond)
        v = str(lookup(m.group(1), ctx))
        ok = ok and ((v == m.group(3)) if m.group(2) == "==" else (v != m.group(3)))
    if "always()" not in cond and failed:
        ok = False
    return ok


def main():
    action_dir, inputs_file = sys.argv[1:3]
    action = yaml.safe_load(open(os.path.join(action_dir, "action.yml")))
    given = json.load(open(inputs_file))
    inputs = {k: str(given.get(k, v.get("default", ""))) for k, v in action["inputs"].items()}
    ctx = {"inputs": inputs, "steps": {},
           "github": {"action_path": action_dir, "workspace": os.environ["GITHUB_WORKSPACE"]}}
    report, failed = [], False
    tmp = os.environ["RUNNER_TEMP"]
    for i, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", "step %d" % i)
        run_it = truth(step["if"], ctx, failed) if "if" in step else not failed
        if not run_it:
            report.append({"name": name, "ran": False, "rc": None})
            continue
        outputs = {}
        if "run" in step:
            out_file = os.path.join(tmp, "output-%d" % i)
            open(out_file, "w").close()
            env = dict(os.environ, GITHUB_OUTPUT=out_file, GITHUB_ACTION_PATH=action_dir)
            for k, v in (step.get("env") or {}).items():
                env[k] = expand(v, ctx)
            # The step's own output is the job log: stderr here, stdout is ours.
            rc = subprocess.run(["bash", "-e", "-c", expand(step["run"], ctx)], env=env,
                                stdout=sys.stderr).returncode
            for line in open(out_file):
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    outputs[k] = v
        elif step.get("uses", "").startswith("actions/upload-artifact@"):
            w = {k: expand(v, ctx) for k, v in step.get("with", {}).items()}
            dest = os.path.join(os.environ["ARTIFACTS_DIR"], w["name"])
            os.makedirs(dest, exist_ok=True)
            rc = 0
            for p in [p.strip() for p in w["path"].splitlines() if p.strip()]:
                if not os.path.exists(p):
                    rc = 1
                else:
                    shutil.copy(p, dest)
        else:
            raise SystemExit("unsupported step: %r" % step)
        if "id" in step:
            ctx["steps"][step["id"]] = {"outputs": outputs}
        failed = failed or rc != 0
        report.append({"name": name, "ran": True, "rc": rc})
    outs = {k: expand(v["value"], ctx) for k, v in action.get("outputs", {}).items()}
    print(json.dumps({"steps": report, "outputs": outs}))


main()
