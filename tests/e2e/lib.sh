# Helpers for the end-to-end tests: make submissions as git repositories,
# grade them with the ASan/UBSan grader, and assert on the JSON report.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
GRADER=${GRADER:-$ROOT/build/san/grader}
WORK=$(mktemp -d /tmp/grader-e2e-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# Graders started here make their workspaces under $WORK, so "nothing left
# running" can be asked of this test's own processes only.
export TMPDIR=$WORK

# left_running: pids of processes whose working directory is under $WORK.
left_running() {
	local p
	for p in /proc/[0-9]*; do
		case "$(readlink "$p/cwd" 2>/dev/null)" in "$WORK"/*) echo "${p#/proc/}" ;; esac
	done
}

ok() { echo "ok $1"; }
# The detail goes on indented lines so that nothing in it reads as a result.
notok() { echo "not ok $1"; printf '%s\n' "$2" | sed 's/^/    /'; }

# mkrepo SRC_DIR DEST [PATCH]: a one-commit git repository of SRC_DIR.
mkrepo() {
	local src=$1 dest=$2 patch=${3:-}
	mkdir -p "$dest" && cp -a "$src/." "$dest/" || return 1
	git -C "$dest" init -q -b main . || return 1
	if [ -n "$patch" ]; then git -C "$dest" apply -p1 "$patch" || return 1; fi
	git -C "$dest" add -A . && git -C "$dest" -c user.name=t -c user.email=t@example.invalid commit -q -m submission
}

# commit_all DIR: commit the working tree's changes.
commit_all() {
	git -C "$1" add -A . && git -C "$1" -c user.name=t -c user.email=t@example.invalid commit -q -m change
}

# mkvariant SRC DEST [FILE SED_EXPR]...: SRC as a repository at DEST, then
# each SED_EXPR applied to its FILE (under DEST) and committed; each must
# change something, so a variant never silently grades the original.
mkvariant() {
	local dest=$2
	mkrepo "$1" "$dest" >/dev/null 2>&1 || return 1
	shift 2
	while [ $# -ge 2 ]; do
		sed -i "$2" "$dest/$1" && ! git -C "$dest" diff --quiet && commit_all "$dest" >/dev/null || return 1
		shift 2
	done
}

# settings_file DIR: the settings module manage.py names, as a file path.
settings_file() {
	local mod
	mod=$(grep -oE "DJANGO_SETTINGS_MODULE['\"], *['\"][^'\"]+" "$1/manage.py" | sed -E "s/.*['\"]//")
	echo "$1/${mod//.//}.py"
}

# grade OUT_JSON SOURCE CHALLENGE [ARGS...]: sets $rc to the exit status.
grade() {
	local out=$1 src=$2 ch=$3; shift 3
	"$GRADER" grade "$src" --challenge "$ch" --format json --db "$WORK/results.sqlite3" "$@" >"$out" 2>"$out.err"
	rc=$?
}

# jq-like reads with Python's json module: jget FILE EXPR (EXPR on `r`).
jget() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1" 2>/dev/null
}

# check_status FILE ID: a check's status in a report.
check_status() {
	jget "$1" "next((c['status'] for c in r['checks'] if c['id']=='$2'), 'absent')"
}
