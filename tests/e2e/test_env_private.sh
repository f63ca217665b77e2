#!/usr/bin/env bash
# A private environment end to end (issue 8 items 1-2, contracts §2): the
# reference e-commerce solution whose requirements.txt adds an editable
# local package (`-e ./libs/helper`, built by setuptools inside the install
# sandbox) that its settings import. It must score 100: the local path
# resolves in the requirements file's folder, the editable install still
# points at its source when the app runs, and the environment is private
# (the report says so; nothing of it enters the shared cache; it is gone
# with the workspace). Needs PyPI (Django, setuptools): one build, ~30 s.
source "$(dirname "$0")/lib.sh"
repo=$WORK/repo
mkdir -p "$repo"
cp -a challenges/ecommerce-api/solution/. "$repo/"
# In libs/helper/: a top-level helperpkg/ folder would be importable from
# the project's root without any install (a namespace package).
mkdir -p "$repo/libs/helper/helperpkg"
cat >"$repo/libs/helper/pyproject.toml" <<'TOML'
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "helperpkg"
version = "1.0"
TOML
echo 'GREETING = "from an editable local package"' >"$repo/libs/helper/helperpkg/__init__.py"
{ cat runtime/requirements.txt; echo "-e ./libs/helper"; } >"$repo/requirements.txt"
settings=$(settings_file "$repo")
printf '\nimport helperpkg\nassert helperpkg.GREETING.startswith("from an editable")\n' >>"$settings"
git -C "$repo" init -q -b main . && commit_all "$repo" >/dev/null
before=$(ls "$GRADER_CACHE_DIR/envs" 2>/dev/null | sort)

# One text report (one build): its score line and its environment line.
"$GRADER" grade "$repo" --challenge ecommerce-api --no-db --env-timeout 300 >"$WORK/out.txt" 2>"$WORK/out.err"
rc=$?
if [ "$rc" = 0 ] && grep -q "Score: 100/100" "$WORK/out.txt"; then
	ok "private env: -e ./libs/helper installs and the app imports it (100)"
else
	notok "private env: -e ./libs/helper installs and the app imports it (100)" \
		"exit $rc: $(grep -A8 -E 'Not graded|Score' "$WORK/out.txt" | head -12) $(tail -3 "$WORK/out.err")"
fi
grep -q "environment private to this submission" "$WORK/out.txt" &&
	ok "private env: the report says the environment is private" ||
	notok "private env: the report says the environment is private" "$(grep Environment "$WORK/out.txt")"
after=$(ls "$GRADER_CACHE_DIR/envs" 2>/dev/null | sort)
[ "$before" = "$after" ] && ok "private env: nothing of it entered the shared cache" ||
	notok "private env: nothing of it entered the shared cache" "$(diff <(echo "$before") <(echo "$after"))"
left=$(ls -A "$WORK" | grep -E '^grader-' || true)
[ -z "$left" ] && ok "private env: removed with the workspace" || notok "private env: removed with the workspace" "$left"
