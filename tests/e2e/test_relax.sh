#!/usr/bin/env bash
# Pins with no wheel for the chosen Python are relaxed (contracts §2): a
# submission pinning relaxdemo==1.0 (an sdist that cannot build, and a wheel
# for CPython 2.7 only) is installed with relaxdemo 1.1, the nearest release
# with a wheel for this interpreter, and the report says so in the JSON
# (environment.relaxed), in the text, and again in `grader show`. The index
# is tests/lib/pyindex.py on 127.0.0.1, named by UV_INDEX_URL as an
# operator would; nothing else is asked.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
$PY "$ROOT/tests/lib/pyindex.py" make "$WORK/index"
$PY "$ROOT/tests/lib/pyindex.py" serve "$WORK/index" "$WORK/port" "$WORK/index.log" >/dev/null 2>&1 &
srv=$!
trap 'kill "$srv" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
export UV_INDEX_URL="http://127.0.0.1:$(cat "$WORK/port")/simple/"
export GRADER_UV=${GRADER_TEST_UV:-$ROOT/.tools/uv/bin}/uv
export GRADER_CACHE_DIR=$WORK/cache
unset UV_OFFLINE

mkdir -p "$WORK/app"
printf 'print("not a Django project")\n' >"$WORK/app/manage.py"
printf 'relaxdemo==1.0\n' >"$WORK/app/requirements.txt"
git -C "$WORK/app" init -q -b main . && commit_all "$WORK/app" >/dev/null

db=$WORK/r.sqlite3
"$GRADER" grade "$WORK/app" --challenge ecommerce-api --db "$db" --format json >"$WORK/g.json" 2>"$WORK/g.err"
relaxed=$(jget "$WORK/g.json" "[(p['from'], p['to'], p['why'].startswith('no wheel of 1.0 for Python 3.')) for p in r['environment']['relaxed']]")
want="[('relaxdemo==1.0', 'relaxdemo==1.1', True)]"
[ "$relaxed" = "$want" ] && ok "a pin with no wheel for this Python is relaxed to the nearest release with one" \
	|| notok "a pin with no wheel for this Python is relaxed to the nearest release with one" \
		"$relaxed $(jget "$WORK/g.json" "r['status'], r['diagnosis']") $(tail -5 "$WORK/g.err")"
# The grader's own reader of saved reports takes it back (grader convert).
"$GRADER" convert "$WORK/g.json" --format text >"$WORK/c.txt" 2>&1 \
	&& grep -q '^Relaxed pin: relaxdemo==1.0 -> relaxdemo==1.1 ' "$WORK/c.txt" \
	&& ok "grader convert reads the relaxed pins of a saved report back" \
	|| notok "grader convert reads the relaxed pins of a saved report back" "$(tail -5 "$WORK/c.txt")"

# The text report says it; so does `grader show` of the stored run.
"$GRADER" grade "$WORK/app" --challenge ecommerce-api --db "$db" >"$WORK/g.txt" 2>>"$WORK/g.err"
"$GRADER" show 2 --db "$db" >"$WORK/s.txt" 2>&1
if grep -q '^Relaxed pin: relaxdemo==1.0 -> relaxdemo==1.1 (no wheel of 1.0 for Python 3\.' "$WORK/g.txt" \
	&& diff "$WORK/g.txt" "$WORK/s.txt" >/dev/null; then
	ok "the text report and grader show say which pin was relaxed and why"
else
	notok "the text report and grader show say which pin was relaxed and why" "$(grep -i relax "$WORK/g.txt" "$WORK/s.txt")"
fi
# The second grading found the relaxed env ready: the index was asked for
# nothing more.
n=$(grep -c . "$WORK/index.log")
"$GRADER" grade "$WORK/app" --challenge ecommerce-api --no-db >/dev/null 2>&1
[ "$(grep -c . "$WORK/index.log")" = "$n" ] && ok "a relaxed environment is reused without asking the index again" \
	|| notok "a relaxed environment is reused without asking the index again" "$(tail -5 "$WORK/index.log")"

# Only the install step reaches the network: the venv is made in a sandbox
# with none (each network costs a pasta start; docs/environments.md). A
# stand-in uv asks the index from inside each step: its `venv` fails if the
# index answers and otherwise makes the venv with the base interpreter; its
# `pip install` says whether the index answered, and stops the build there.
mkdir -p "$WORK/uvnet"
cat >"$WORK/uvnet/uv" <<'SH'
#!/bin/sh
reach() {
	/usr/bin/python3 -c 'import socket, sys, urllib.parse as u; a = u.urlsplit(sys.argv[1])
socket.create_connection((a.hostname, a.port), 3)' "$UV_INDEX_URL" >/dev/null 2>&1
}
case "$1" in
venv)	# uv venv -q --python BASE DEST
	if reach; then echo "error: stand-in: the venv step reached the index"; exit 1; fi
	exec "$4" -m venv --without-pip "$5" ;;
pip)	if reach; then echo "error: stand-in: the install step reached the index"
	else echo "error: stand-in: the install step could not reach the index"; fi
	exit 1 ;;
esac
exit 2
SH
chmod 755 "$WORK/uvnet" "$WORK/uvnet/uv"
GRADER_UV=$WORK/uvnet/uv GRADER_CACHE_DIR=$WORK/cache-net "$GRADER" env default >"$WORK/net.out" 2>"$WORK/net.err"
rc=$?
if [ "$rc" != 0 ] && grep -q "stand-in: the install step reached the index" "$WORK/net.err" &&
	! grep -q "venv step reached" "$WORK/net.err"; then
	ok "an environment's venv step has no network and its install step reaches the index"
else
	notok "an environment's venv step has no network and its install step reaches the index" \
		"exit $rc: $(tail -n 5 "$WORK/net.err")"
fi

# pip (no uv) installs the newest release of an unpinned requirement, as
# uv does, even when that release is an sdist alone: sdistdemo 2.0 (an
# sdist, building offline) over 1.0's wheel. pip's --prefer-binary took
# the older wheel (h390: djangorestframework-camel-case 1.1.1 of 2019,
# which Django 4 cannot import, where uv took 1.4.2 and the app scored
# 100).
mkdir -p "$WORK/sdapp"
printf 'print("not a Django project")\n' >"$WORK/sdapp/manage.py"
printf 'sdistdemo\n' >"$WORK/sdapp/requirements.txt"
git -C "$WORK/sdapp" init -q -b main . && commit_all "$WORK/sdapp" >/dev/null
PIP_INDEX_URL=$UV_INDEX_URL GRADER_UV= PATH=/usr/bin:/bin GRADER_CACHE_DIR=$WORK/cache-pip \
	"$GRADER" grade "$WORK/sdapp" --challenge ecommerce-api --no-db --format json >"$WORK/sd.json" 2>"$WORK/sd.err"
sdpy=$(ls "$WORK"/cache-pip/envs/*/bin/python 2>/dev/null | head -1)
got=$([ -n "$sdpy" ] && "$sdpy" -c 'import sdistdemo; print(sdistdemo.VERSION)' 2>&1)
if [ "$got" = 2.0 ]; then
	ok "pip installs an unpinned requirement's newest release, an sdist alone, not an older wheel"
else
	notok "pip installs an unpinned requirement's newest release, an sdist alone, not an older wheel" \
		"env $sdpy: $got; $(jget "$WORK/sd.json" "r['status'], r.get('diagnosis')") $(tail -5 "$WORK/sd.err")"
fi
