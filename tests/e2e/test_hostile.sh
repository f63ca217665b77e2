#!/usr/bin/env bash
# The hostile corpus (issue 4 item 7): each case of tests/hostile/make.sh is
# the e-commerce solution plus one hostile change (fork and thread bombs, a
# memory hog, busy and blocking loops, daemons, symlinks out of the
# checkout, reads of the host, the host's loopback listeners, signals at the
# grader, floods of output), graded end to end in the sandbox with the
# ASan/UBSan grader. Issue 8 added what runs around the app: install-time
# code (an sdist by URL from a loopback server, a local path) trying to
# poison the shared environments, then the untouched reference solution a
# poisoned env would break; checkouts over the caps; a token in the URL:
#   - as root, and as an unprivileged user (USER_NAME, created if missing);
#   - twice with two graders at once on two hostile cases.
# For every grading: the grader survives (exit 0 or 3, never a crash); the
# status and diagnosis name what the submission hit; nothing reached the
# host (the listener's log is empty, the files outside the checkout are
# intact, no "ESCAPED" and no line of /etc/shadow in the report); and no
# process is left: none under $WORK, none carrying the run's mark, none of
# the sandbox's host uid (60000 + grader pid % 4096 for a root grader, the
# user for an unprivileged one).
#
# Issue 8's cases (tests/hostile/make.sh) add: memory held outside any
# address space (memory cgroup, or memfd/shmget refused without one), a view
# filling the state tmpfs and one filling the project folder (the disk
# verdict, nothing on the host's disk), the
# app log swapped for a FIFO, a link or a sparse file, socket families,
# what PID 1 and mountinfo tell, folders 300 deep; and SIGINT/SIGTERM to the
# grader mid-run (exit 130/143, nothing left). After every grading the
# workspace must be gone.
#
# Short limits keep the whole file at a few minutes on 2 cores: the strict
# profile (512 MiB, 32 processes, 32 MiB files), --boot-timeout 8,
# --request-timeout 2, --run-timeout 20. The profiles' CPU limits (60 s and
# up) are too long for a test: cpu_loop_import lowers its own RLIMIT_CPU to
# 1 s to show the cpu verdict.
source "$(dirname "$0")/lib.sh"
MAKE=$ROOT/tests/hostile/make.sh
USER_NAME=${GRADER_TEST_USER:-grader-test}
# The unprivileged grader's own cache (its default runtime is built once,
# from PyPI, and kept between runs).
USER_CACHE=${GRADER_TEST_USER_CACHE:-/var/tmp/grader-test-cache}
LIMIT_MS=45000
GRADE_ARGS=(--sandbox-profile strict --boot-timeout 8 --request-timeout 2 --run-timeout 20)
MARK=HOSTILE-MARK-$$-$RANDOM$RANDOM
CANARY=hostile-canary-$RANDOM$RANDOM$RANDOM
OUT=$WORK/outside
# The root grader's HOME is set to a folder of the test's: its cache stays
# where it was (an environment under HOME would be mounted in the sandbox).
ROOT_CACHE=${GRADER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/grader}
LISTENER_PID=
HTTP_PID=
cleanup() {
	[ -n "$LISTENER_PID" ] && kill "$LISTENER_PID" 2>/dev/null
	[ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null
	# Should an install probe ever escape, its poison must not outlive the
	# test in the shared caches.
	find "$ROOT_CACHE/envs" "$USER_CACHE/envs" -name zz_hostile_poison.pth -delete 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

# The world outside the checkout: files the symlinks point at, another
# submission's checkout, the grader's home, the pid file.
mkdir -p "$OUT/victimdir" "$OUT/other" "$OUT/home" "$OUT/tmp"
echo victim >"$OUT/victim.txt"
echo keep >"$OUT/victimdir/keep.txt"
echo "other submission $MARK" >"$OUT/other/marker"
echo "home $MARK" >"$OUT/home/.marker"
VICTIMS=$(cd "$OUT" && sha256sum victim.txt victimdir/keep.txt other/marker)

# The host's loopback listeners.
python3 "$ROOT/tests/hostile/listener.py" "$WORK/listener.log" "$WORK/ports" "$OUT/host.sock" "$MARK" \
	>"$WORK/listener.err" 2>&1 &
LISTENER_PID=$!
for _ in $(seq 100); do [ -s "$WORK/ports" ] && break; sleep 0.05; done
read -r TCP_PORT UDP_PORT <"$WORK/ports" || { notok "hostile: listener" "$(cat "$WORK/listener.err")"; exit 1; }
export HOSTILE_MARK=$MARK HOSTILE_OUTSIDE=$OUT HOSTILE_TCP_PORT=$TCP_PORT HOSTILE_UDP_PORT=$UDP_PORT \
	HOSTILE_ABSTRACT=$MARK HOSTILE_UNIX_PATH=$OUT/host.sock HOSTILE_CANARY=$CANARY

# The sdist server of install_url, on the host's loopback: the install
# sandbox's own network (pasta) must not reach it (it never gets a request).
mkdir -p "$WORK/sdist"
python3 - "$WORK/sdist" "$WORK/http.port" >"$WORK/http.log" 2>&1 <<'PY' &
import functools, http.server, sys
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
open(sys.argv[2], "w").write(str(s.server_address[1]))
s.serve_forever()
PY
HTTP_PID=$!
for _ in $(seq 100); do [ -s "$WORK/http.port" ] && break; sleep 0.05; done
export HOSTILE_HTTP_PORT=$(cat "$WORK/http.port") HOSTILE_SDIST_DIR=$WORK/sdist \
	HOSTILE_CACHES=$ROOT_CACHE:$USER_CACHE

# The unprivileged user and what it needs: the test's folder traversable,
# its own cache and home.
UNPRIV=
if [ "$(id -u)" = 0 ]; then
	id "$USER_NAME" >/dev/null 2>&1 ||
		useradd --system --no-create-home --shell /usr/sbin/nologin "$USER_NAME" ||
		echo "# cannot create $USER_NAME"
	if id "$USER_NAME" >/dev/null 2>&1; then
		UNPRIV=$USER_NAME
		chmod 711 "$WORK"
		chmod 755 "$OUT"
		mkdir -p "$USER_CACHE" "$WORK/home-$UNPRIV"
		chown "$UNPRIV:" "$USER_CACHE" "$WORK/home-$UNPRIV"
		echo "home $MARK" >"$WORK/home-$UNPRIV/.marker"
	fi
fi

# Shadow lines ("name:hash") that must never appear in a report.
SHADOW_KEYS=$(cut -d: -f1,2 /etc/shadow 2>/dev/null | grep -vE ':[*!]*$')

# Processes that must not outlive a grading.
procs_of_uid() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(stat -c %u "$p" 2>/dev/null)" = "$1" ] && echo "${p#/proc/}"
	done
}
# Processes whose argv holds the run's mark (the daemons put it there), but
# the listener (its argv holds it too) and the grep that looks for it.
marked() {
	local f p
	for f in $(grep -lsF -- "$MARK" /proc/[0-9]*/cmdline 2>/dev/null); do
		p=${f#/proc/}
		p=${p%/cmdline}
		[ "$p" = "$LISTENER_PID" ] || [ "$(cat "/proc/$p/comm" 2>/dev/null)" = grep ] || echo "$p"
	done
}

# start PASS CASE: build the case and start grading it in the background.
# PASS is root or the unprivileged user. The grader's pid is known before it
# runs (the wrapper writes $$ into the checkout, commits, and execs the
# grader): planted in grader.pid in the checkout and in $OUT/grader.pid.
declare -A PID T0 RC MS SEEN
# Options a case needs on top of GRADE_ARGS.
# deep_commit: the clone's own depth cap (64) raised, so the 300-deep tree
# reaches the workspace and its removal is what is tested.
declare -A CASE_ARGS=([clone_files]="--max-checkout-files 2000" [deep_commit]="--max-checkout-depth 1000")
start() {
	local pass=$1 name=$2 key=$1/$2 repo=$WORK/repos/$1/$2 tmp=$WORK/tmp/$1/$2 home=$OUT/home
	rm -rf "$repo" "$tmp"
	mkdir -p "$WORK/repos/$pass" "$tmp" "$WORK/out/$pass"
	[ "$pass" = root ] || home=$WORK/home-$pass
	if ! HOSTILE_HOME=$home "$MAKE" "$name" "$repo" >"$WORK/out/$pass/$name.make.log" 2>&1 ||
		! git -C "$repo" init -q -b main . || ! commit_all "$repo" >/dev/null 2>&1; then
		PID[$key]=""
		return
	fi
	local cmd='echo $$ >"$1/grader.pid" && git -C "$1" add -A && git -C "$1" -c user.name=t -c user.email=t@example.invalid commit -q -m pid && shift && exec "$@"'
	local out=$WORK/out/$pass/$name.json
	if [ "$pass" = root ]; then
		env HOME="$home" TMPDIR="$tmp" GRADER_CACHE_DIR="$ROOT_CACHE" bash -c "$cmd" _ "$repo" \
			"$GRADER" grade "$repo" --challenge ecommerce-api --format json \
			--db "$WORK/results.sqlite3" "${GRADE_ARGS[@]}" ${CASE_ARGS[$name]:-} \
			${PROFILE:+--sandbox-profile "$PROFILE"} ${KEEP:+--keep-workspace} >"$out" 2>"$out.err" &
	else
		chown -R "$pass:" "$repo" "$tmp" "$WORK/out/$pass"
		setpriv --reuid="$pass" --regid="$pass" --clear-groups \
			env HOME="$home" TMPDIR="$tmp" GRADER_CACHE_DIR="$USER_CACHE" bash -c "$cmd" _ "$repo" \
			"$GRADER" grade "$repo" --challenge ecommerce-api --format json \
			--db "$WORK/out/$pass/results.sqlite3" "${GRADE_ARGS[@]}" ${CASE_ARGS[$name]:-} \
			${PROFILE:+--sandbox-profile "$PROFILE"} ${KEEP:+--keep-workspace} >"$out" 2>"$out.err" &
	fi
	PID[$key]=$!
	T0[$key]=$(date +%s%N)
	echo "${PID[$key]}" >"$OUT/grader.pid"
}

# collect PASS CASE: wait for that grading (noting, for the daemons case,
# whether they were ever seen running: proof that they were started).
collect() {
	local key=$1/$2 pid=${PID[$1/$2]}
	[ -n "$pid" ] || return
	SEEN[$key]=0
	# A grader that hangs (it once did, opening a FIFO the app had put in
	# place of its log) is killed at twice the time limit, and fails.
	local t0=$SECONDS
	while kill -0 "$pid" 2>/dev/null; do
		[ "$2" = daemons ] && [ "${SEEN[$key]}" = 0 ] && [ -n "$(marked)" ] && SEEN[$key]=1
		[ $((SECONDS - t0)) -gt $((2 * LIMIT_MS / 1000)) ] && kill -KILL "$pid" 2>/dev/null
		sleep 0.1
	done
	wait "$pid"
	RC[$key]=$?
	MS[$key]=$((($(date +%s%N) - T0[$key]) / 1000000))
}

# verify PASS CASE STATUS [PATTERN...]: once no grading runs any more: the
# exit status and status, each PATTERN (grep -E) in the diagnosis, and
# everything in the header. STATUS "graded" wants exit 0, "graded100" a
# score of 100 too, "graded-or-timed-out" either, anything else exit 3.
RESULTS=""
verify() {
	local pass=$1 name=$2 want=$3; shift 3
	local key=$pass/$name out=$WORK/out/$pass/$name.json pid=${PID[$pass/$name]} rc ms st diag p bad="" left
	if [ -z "$pid" ]; then
		notok "hostile $pass $name" "could not build the case: $(tail -5 "$WORK/out/$pass/$name.make.log")"
		return
	fi
	rc=${RC[$key]} ms=${MS[$key]}
	st=$(jget "$out" "r['status']")
	diag=$(jget "$out" "r['diagnosis'] or ''")
	case $want in
	graded-or-timed-out)
		{ [ "$rc" = 0 ] && [ "$st" = graded ]; } || { [ "$rc" = 3 ] && [ "$st" = timed-out ]; } ||
			bad="exit $rc, status $st" ;;
	graded*) [ "$rc" = 0 ] && [ "$st" = graded ] || bad="exit $rc, status $st" ;;
	*) [ "$rc" = 3 ] && [ "$st" = "$want" ] || bad="exit $rc, status $st (want $want)" ;;
	esac
	if [ "$want" = graded100 ]; then
		[ "$(jget "$out" "r['score']")" = 100 ] || bad="$bad; score $(jget "$out" "r['score']")"
	fi
	[ "$(jget "$out" "r['sandbox']['profile']")" = "${PROFILE:-strict}" ] || bad="$bad; sandbox $(jget "$out" "r['sandbox']")"
	# The workspace is removed after every grading, whatever the tree in it.
	if [ -z "${KEEP:-}" ] && [ -n "$(ls -A "$WORK/tmp/$pass/$name" 2>/dev/null)" ]; then
		bad="$bad; workspace left: $(ls -A "$WORK/tmp/$pass/$name"); stderr: $(head -c 300 "$out.err")"
	fi
	for p in "$@"; do
		printf '%s' "$diag" | grep -qE -- "$p" || bad="$bad; diagnosis lacks /$p/"
	done
	grep -q ESCAPED "$out" && bad="$bad; the probe ESCAPED"
	if [ -n "$SHADOW_KEYS" ] && grep -qFf <(printf '%s\n' "$SHADOW_KEYS") "$out" "$out.err"; then
		bad="$bad; /etc/shadow content in the report"
	fi
	[ -s "$WORK/listener.log" ] && bad="$bad; the host listener saw: $(head -3 "$WORK/listener.log")"
	[ "$(cd "$OUT" && sha256sum victim.txt victimdir/keep.txt other/marker 2>&1)" = "$VICTIMS" ] ||
		bad="$bad; files outside the checkout changed"
	[ "$name" = daemons ] && [ "${SEEN[$key]}" = 0 ] && bad="$bad; no daemon was ever seen running"
	# Teardown is synchronous (sandbox_stop waits for PID 1): nothing may
	# be left once the grader has exited; allow the kernel a moment.
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		left="$(left_running)$(marked)"
		if [ "$pass" = root ]; then
			left="$left$(procs_of_uid $((60000 + pid % 4096)))"
		else
			left="$left$(procs_of_uid "$(id -u "$pass")")"
		fi
		[ -z "$left" ] && break
		sleep 0.2
	done
	[ -z "$left" ] || bad="$bad; processes left: $(for p in $left; do tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null; echo " (pid $p uid $(stat -c %u "/proc/$p" 2>/dev/null))"; done)"
	[ "$ms" -lt "$LIMIT_MS" ] || bad="$bad; took $ms ms (limit $LIMIT_MS)"
	RESULTS="$RESULTS
$(printf '%-16s %-6s %-12s %6d ms  %s' "$name" "$pass" "$st" "$ms" "$( { printf '%s' "$diag" | grep -oE "sandbox's [a-z ]+ limit"; printf '%s' "$diag" | grep -oE "last phase: [a-z]+"; } | head -1)")"
	if [ -z "$bad" ]; then
		ok "hostile $pass $name: $st in $ms ms"
	else
		notok "hostile $pass $name: $want" "$bad
diagnosis: $(printf '%s' "$diag" | head -c 1200)
stderr: $(tail -5 "$out.err")"
	fi
}

# grade_case PASS CASE STATUS [PATTERN...]: one case, alone. HOSTILE_ONLY
# (space-separated case names, "interrupt" for the SIGINT/SIGTERM cases)
# narrows a developer's run; the suite never sets it.
wanted() { [ -z "${HOSTILE_ONLY:-}" ] || [[ " $HOSTILE_ONLY " == *" $1 "* ]]; }
grade_case() {
	wanted "$2" || return
	start "$1" "$2"
	collect "$1" "$2"
	verify "$@"
}

# check_after PASS CASE: per-case facts only visible once it is over.
views_errored() {
	local out=$WORK/out/$1/$2.json
	wanted "$2" || return
	if [ "$(check_status "$out" products-list)" = error ] && [ "$(check_status "$out" order-create)" = pass ]; then
		ok "hostile $1 $2: the stuck view's checks error, the others pass"
	else
		notok "hostile $1 $2: the stuck view's checks error, the others pass" \
			"$(jget "$out" "[(c['id'], c['status'], c['message']) for c in r['checks']]")"
	fi
}

run_pass() {
	local u=$1
	grade_case "$u" fork_procs boot-failed "HOSTILE-PROBE fork bomb: [0-9]+ children, then BlockingIOError" \
		"sandbox's processes limit"
	grade_case "$u" fork_threads boot-failed "HOSTILE-PROBE thread bomb: [0-9]+ threads, then RuntimeError" \
		"sandbox's processes limit"
	grade_case "$u" memory_hog boot-failed "memory hog: [0-9]+ x 64 MiB, then MemoryError" "sandbox's memory limit"
	grade_case "$u" cpu_loop_import timed-out "sandbox's cpu limit" "last phase: import"
	grade_case "$u" loop_migrate timed-out "did not finish booting within 8 s \(last phase: migrate\)" \
		"0002_spin\.py.*spin"
	grade_case "$u" never_binds timed-out "did not finish booting within 8 s \(last phase: setup\)" "apps\.py"
	# Busy request threads fight for the GIL: the run may hit its time
	# limit before the last checks (timed-out), or not (graded).
	grade_case "$u" loop_view graded-or-timed-out
	views_errored "$u" loop_view
	grade_case "$u" silent_view graded
	views_errored "$u" silent_view
	grade_case "$u" daemons graded100
	grade_case "$u" symlinks boot-failed "HOSTILE-PROBE blocked: .*leak_shadow: FileNotFoundError.*leak_outside: FileNotFoundError.*leak_dir/keep\.txt: FileNotFoundError"
	grade_case "$u" symlink_config setup-failed "requirements\.txt \(a symbolic link"
	grade_case "$u" symlink_routes setup-failed "grader\.yaml is a symbolic link"
	grade_case "$u" read_host boot-failed "HOSTILE-PROBE blocked: /etc/shadow: FileNotFoundError" \
		"/proc/[1-9][0-9]*/environ: FileNotFoundError" "grader\.pid: FileNotFoundError" \
		"other/marker: FileNotFoundError" "canary in no /proc"
	grade_case "$u" net_loopback boot-failed "tcp 127\.0\.0\.1: ConnectionRefusedError" \
		"unix abstract: ConnectionRefusedError" "unix path: FileNotFoundError"
	grade_case "$u" kill_grader boot-failed "kill\([1-9][0-9]*, SIGKILL\): ProcessLookupError" \
		"still alive, grader pid [1-9]"
	KEEP=1 grade_case "$u" stdout_flood boot-failed "flood done: 64 x 4 MiB"
	local log size
	log=$(find "$WORK/tmp/$u/stdout_flood" -name 'state.log' 2>/dev/null | head -1)
	size=$(stat -c %s "$log" 2>/dev/null || echo missing)
	if ! wanted stdout_flood; then
		:
	elif [ "$size" != missing ] && [ "$size" -le $((1100 * 1024)) ]; then
		ok "hostile $u stdout_flood: 256 MiB of output kept in a $size-byte log"
	else
		notok "hostile $u stdout_flood: the log is capped" "app.log: $size bytes ($log)"
	fi
	rm -rf "$WORK/tmp/$u/stdout_flood"
	grade_case "$u" file_flood boot-failed "file flood: 32 MiB, then OSError\(27, 'File too large'\)" \
		"sandbox's output limit"
	# Install-time code (issue 8 items 1-2): an sdist by URL and a local
	# path, each building with a hostile backend; then the untouched
	# reference solution, which a poisoned shared env would break.
	local probe="HOSTILE-PROBE blocked: poisoned 0 of [0-9]+ other envs; read victim: FileNotFoundError; write victim: FileNotFoundError; list home: FileNotFoundError; read shadow: FileNotFoundError; tcp 127\.0\.0\.1: ConnectionRefusedError; tcp ::1: ConnectionRefusedError; no canary in environ"
	# The sdist's URL is on the host's loopback, which the install's own
	# network (pasta) does not reach: refused, and the server saw nothing.
	grade_case "$u" install_url setup-failed "evilpkg" "[Cc]onnection refused"
	if wanted install_url; then
		if grep -q "GET " "$WORK/http.log"; then
			notok "hostile $u install_url: the host's loopback server saw no request" "$(grep "GET " "$WORK/http.log" | head -3)"
		else
			ok "hostile $u install_url: the host's loopback server saw no request"
		fi
	fi
	# The probe's build also connects to the host's loopback listener:
	# refused, and the listener sees nothing (verify). That installing
	# from PyPI works through the same network, test_env_private shows.
	grade_case "$u" install_local setup-failed "$probe"
	grade_case "$u" reference graded100
	left_nothing "$u" installs install_
	# The clone (issue 8 item 7): caps on files and depth, checked before
	# anything is written; nothing is left.
	grade_case "$u" clone_files fetch-failed "more than 2000 files, the limit \(--max-checkout-files\)"
	grade_case "$u" clone_deep fetch-failed "folders more than 64 deep \(assets/d/d/d.*\), the limit \(--max-checkout-depth\)"
	left_nothing "$u" clones clone_
	token_source "$u"
	clone_stall "$u"
	issue8_cases "$u"
}

# token_source PASS: a source URL carrying a token (issue 8 item 9), on a
# loopback port where nothing listens: fetch-failed, and the token is in no
# output, report or byte of the results database.
token_source() {
	local pass=$1 tok=hostile-token-$RANDOM$RANDOM out=$WORK/out/$1/token.json db rc
	local src="https://student:$tok@127.0.0.1:1/class/repo.git"
	mkdir -p "$WORK/out/$pass" "$WORK/tmp/$pass/token"
	if [ "$pass" = root ]; then
		db=$WORK/results.sqlite3
		"$GRADER" grade "$src" --challenge ecommerce-api --format json --db "$db" "${GRADE_ARGS[@]}" \
			>"$out" 2>"$out.err"
		rc=$?
	else
		db=$WORK/out/$pass/results.sqlite3
		chown -R "$pass:" "$WORK/out/$pass" "$WORK/tmp/$pass/token"
		setpriv --reuid="$pass" --regid="$pass" --clear-groups env HOME="$WORK/home-$pass" \
			TMPDIR="$WORK/tmp/$pass/token" \
			GRADER_CACHE_DIR="$USER_CACHE" "$GRADER" grade "$src" --challenge ecommerce-api --format json \
			--db "$db" "${GRADE_ARGS[@]}" >"$out" 2>"$out.err"
		rc=$?
	fi
	if [ "$rc" = 3 ] && [ "$(jget "$out" "r['status']")" = fetch-failed ] && [ -s "$db" ] &&
		! grep -aq "$tok" "$out" "$out.err" "$db"* 2>/dev/null; then
		ok "hostile $pass token_source: fetch-failed, the token in no output or stored byte"
	else
		notok "hostile $pass token_source: fetch-failed, the token in no output or stored byte" \
			"exit $rc, $(jget "$out" "r['status'], r['diagnosis']"); token found in: $(grep -alF "$tok" "$out" "$out.err" "$db"* 2>/dev/null)"
	fi
}

# clone_stall PASS: an https source whose server (the test's, on loopback)
# accepts and never answers: while the clone child waits on it, it must
# run under the seccomp filter (Seccomp: 2 in /proc/PID/status) and, for a
# root grader, not as root but as the run's sandbox uid (60000 + grader pid
# % 4096); then the fetch times out and nothing is left.
clone_stall() {
	local pass=$1 out=$WORK/out/$1/stall.json pid kid="" st uid sec bad="" want
	wanted clone_stall || return
	mkdir -p "$WORK/out/$pass" "$WORK/tmp/$pass/stall"
	python3 - "$WORK/stall.port" >/dev/null 2>&1 <<'PY' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
held = []
while True:
    held.append(s.accept()[0])
PY
	local stall=$!
	for _ in $(seq 100); do [ -s "$WORK/stall.port" ] && break; sleep 0.05; done
	local src="https://127.0.0.1:$(cat "$WORK/stall.port")/class/repo.git"
	if [ "$pass" = root ]; then
		env TMPDIR="$WORK/tmp/$pass/stall" "$GRADER" grade "$src" --challenge ecommerce-api --format json \
			--no-db --fetch-timeout 6 >"$out" 2>"$out.err" &
	else
		chown -R "$pass:" "$WORK/out/$pass" "$WORK/tmp/$pass/stall"
		setpriv --reuid="$pass" --regid="$pass" --clear-groups env HOME="$WORK/home-$pass" \
			TMPDIR="$WORK/tmp/$pass/stall" GRADER_CACHE_DIR="$USER_CACHE" "$GRADER" grade "$src" \
			--challenge ecommerce-api --format json --no-db --fetch-timeout 6 >"$out" 2>"$out.err" &
	fi
	pid=$!
	# The clone child: the grader's child that stays (it waits on the server).
	for _ in $(seq 80); do
		kid=$(pgrep -P "$pid" | head -1)
		[ -n "$kid" ] && [ "$(awk '/^Seccomp:/ { print $2 }' "/proc/$kid/status" 2>/dev/null)" = 2 ] && break
		sleep 0.1
	done
	sleep 0.5
	uid=$(awk '/^Uid:/ { print $2 }' "/proc/$kid/status" 2>/dev/null)
	sec=$(awk '/^Seccomp:/ { print $2 }' "/proc/$kid/status" 2>/dev/null)
	if [ "$pass" = root ]; then want=$((60000 + pid % 4096)); else want=$(id -u "$pass"); fi
	[ -n "$kid" ] || bad="no clone child seen"
	[ "$sec" = 2 ] || bad="$bad; the clone child's seccomp mode is '$sec' (want 2, a filter)"
	[ "$uid" = "$want" ] || bad="$bad; the clone child runs as uid '$uid' (want $want)"
	wait "$pid"
	st=$?
	kill "$stall" 2>/dev/null
	wait "$stall" 2>/dev/null
	[ "$st" = 3 ] || bad="$bad; exit $st: $(tail -3 "$out.err")"
	[ -z "$(ls -A "$WORK/tmp/$pass/stall" 2>/dev/null)" ] || bad="$bad; workspace left"
	if [ -z "$bad" ]; then
		ok "hostile $pass clone_stall: the clone child waits under seccomp as uid $uid, then times out"
	else
		notok "hostile $pass clone_stall: the clone child is confined" "$bad"
	fi
	rm -f "$WORK/stall.port"
}

# left_nothing PASS WHAT PREFIX: nothing of the cases PREFIX* is left: no
# staging folder in the cache, no workspace (a private env lives there).
left_nothing() {
	local cache=$ROOT_CACHE left
	[ "$1" = root ] || cache=$USER_CACHE
	left=$(ls -d "$cache"/envs/*.tmp-* "$WORK"/tmp/"$1"/"$3"*/* 2>/dev/null)
	if [ -z "$left" ]; then
		ok "hostile $1 $2: no staging folder, no workspace left"
	else
		notok "hostile $1 $2: no staging folder, no workspace left" "$left"
	fi
}

# The largest "held N MiB" in a case's diagnosis (the probe's progress
# lines, or its final message).
max_held() {
	jget "$WORK/out/$1/$2.json" "r['diagnosis'] or ''" | grep -oE 'held [0-9]+ MiB' |
		awk '{ if ($2 > m) m = $2 } END { print m + 0 }'
}

issue8_cases() {
	local u=$1 held ws
	# 4 GiB through memfds, SysV segments and /tmp against 512 MiB. A root
	# grader here has a memory cgroup: the OOM count gives the verdict. An
	# unprivileged one has none: memfd_create and shmget are refused and
	# /tmp is a 32 MiB tmpfs (full: the disk verdict).
	if [ "$u" = root ] && [ -w /sys/fs/cgroup/memory ]; then
		grade_case "$u" memory_shm boot-failed "killed by signal 9" "sandbox's memory limit"
	else
		grade_case "$u" memory_shm boot-failed "memfd: PermissionError" "shm: Operation not permitted" \
			"tmp: No space left on device" "sandbox's disk limit"
	fi
	held=$(max_held "$u" memory_shm)
	if ! wanted memory_shm; then
		:
	elif [ "$held" -gt 0 ] && [ "$held" -le 512 ]; then
		ok "hostile $u memory_shm: at most $held MiB ever held (limit 512 MiB)"
	else
		notok "hostile $u memory_shm: at most the limit held" "held $held MiB"
	fi
	# A view writes 1.2 GiB, then 20,000 files, into the media folder: the
	# state tmpfs (64 MiB, 4096 files in strict) fills; the run completes.
	KEEP=1 grade_case "$u" disk_flood graded "sandbox's disk limit during the checks"
	ws=$(find "$WORK/tmp/$u/disk_flood" -mindepth 1 -maxdepth 1 -name 'grader-*' 2>/dev/null | head -1)
	if ! wanted disk_flood; then
		:
	elif [ -n "$ws" ] && [ -d "$ws/state" ] && [ -z "$(ls -A "$ws/state")" ] &&
		[ "$(check_status "$WORK/out/$u/disk_flood.json" products-list)" = fail ] &&
		jget "$WORK/out/$u/disk_flood.json" "[c['message'] for c in r['checks'] if c['id'] == 'products-list'][0]" |
		grep -q "No space left on device"; then
		ok "hostile $u disk_flood: the view hit ENOSPC on the run's tmpfs; the host's state folder stayed empty"
	else
		notok "hostile $u disk_flood: ENOSPC on the run's tmpfs, nothing on the host" \
			"state: $(ls -A "$ws/state" 2>&1 | head -5); products-list: $(check_status "$WORK/out/$u/disk_flood.json" products-list)"
	fi
	rm -rf "$WORK/tmp/$u/disk_flood"
	# The same flood into the project folder (the app's copy of its
	# checkout): it fills the copy-on-write tmpfs of the run; the host's
	# copy, the overlay's lower layer, gets not one byte.
	KEEP=1 grade_case "$u" app_flood graded "sandbox's disk limit during the checks"
	ws=$(find "$WORK/tmp/$u/app_flood" -mindepth 1 -maxdepth 1 -name 'grader-*' 2>/dev/null | head -1)
	if ! wanted app_flood; then
		:
	elif [ -n "$ws" ] && [ -f "$ws/app/manage.py" ] && [ ! -e "$ws/app/flood" ] &&
		[ "$(du -sk "$ws" | cut -f1)" -lt 20480 ] &&
		[ "$(check_status "$WORK/out/$u/app_flood.json" products-list)" = fail ] &&
		jget "$WORK/out/$u/app_flood.json" "[c['message'] for c in r['checks'] if c['id'] == 'products-list'][0]" |
		grep -q "No space left on device"; then
		ok "hostile $u app_flood: the view hit ENOSPC on the run's tmpfs; the host's copy got nothing"
	else
		notok "hostile $u app_flood: ENOSPC on the run's tmpfs, nothing on the host" \
			"workspace: $(du -sh "$ws" 2>&1); app/flood: $(ls "$ws/app/flood" 2>&1 | head -3); products-list: $(check_status "$WORK/out/$u/app_flood.json" products-list)"
	fi
	rm -rf "$WORK/tmp/$u/app_flood"
	# The app log swapped: the grader neither hangs (FIFO) nor follows the
	# link, and quotes the app's real output. mknod is denied in strict, so
	# the FIFO case runs under the default profile.
	PROFILE=default grade_case "$u" log_fifo boot-failed "exit status 3" "HOSTILE-LOG-MARKER the real output"
	grade_case "$u" log_symlink boot-failed "exit status 3" "HOSTILE-LOG-MARKER the real output"
	grade_case "$u" log_sparse boot-failed "exit status 3" "HOSTILE-LOG-MARKER the real output"
	grade_case "$u" socket_families boot-failed "vsock: Address family not supported" \
		"netlink: Address family not supported" "packet: Address family not supported"
	grade_case "$u" learn_host boot-failed "HOSTILE-PROBE blocked: cmdline 'sandbox-init'" \
		"mountinfo does not name outside" "mountinfo does not name home"
	grade_case "$u" deep_commit setup-failed "nested more than 64 folders deep"
	grade_case "$u" deep_runtime graded100
	interrupt_case "$u" INT 130
	interrupt_case "$u" TERM 143
}

# interrupt_case PASS SIG STATUS: SIGINT/SIGTERM to the grader while the app
# boots (never_binds blocks forever): it exits with STATUS at once, says
# "interrupted", and leaves no process and no workspace.
interrupt_case() {
	local pass=$1 sig=$2 want=$3 key=$1/never_binds pid ws="" rc t0 ms left bad=""
	wanted interrupt || return
	start "$pass" never_binds
	pid=${PID[$key]}
	[ -n "$pid" ] || { notok "hostile $pass SIG$sig" "could not build the case"; return; }
	# Wait until the sandbox runs (its log exists in the workspace).
	for _ in $(seq 150); do
		ws=$(find "$WORK/tmp/$pass/never_binds" -name state.log 2>/dev/null | head -1)
		[ -n "$ws" ] && break
		sleep 0.1
	done
	sleep 1
	t0=$(date +%s%N)
	kill -"$sig" "$pid"
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null && bad="still running 10 s after SIG$sig"
	wait "$pid"
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ -n "$ws" ] || bad="$bad; the sandbox never started"
	[ "$rc" = "$want" ] || bad="$bad; exit $rc (want $want)"
	grep -q "interrupted by SIG$sig" "$WORK/out/$pass/never_binds.json.err" || bad="$bad; no interrupted line"
	[ -z "$(ls -A "$WORK/tmp/$pass/never_binds" 2>/dev/null)" ] || bad="$bad; workspace left"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		left="$(left_running)"
		if [ "$pass" = root ]; then
			left="$left$(procs_of_uid $((60000 + pid % 4096)))"
		else
			left="$left$(procs_of_uid "$(id -u "$pass")")"
		fi
		[ -z "$left" ] && break
		sleep 0.2
	done
	[ -z "$left" ] || bad="$bad; processes left: $left"
	if [ -z "$bad" ]; then
		ok "hostile $pass SIG$sig mid-boot: exit $rc in $ms ms, nothing left"
	else
		notok "hostile $pass SIG$sig mid-boot: exit $want, nothing left" "$bad
stderr: $(tail -3 "$WORK/out/$pass/never_binds.json.err")"
	fi
}

PASSES=$( [ "$(id -u)" = 0 ] && echo root; echo "$UNPRIV")
[ "$(id -u)" = 0 ] || echo "# not root: the root and unprivileged passes need root; running none"
for u in $PASSES; do
	run_pass "$u"
done

# Two graders at once, each on a hostile case: both verdicts right.
wanted fork_procs || PASSES=
for u in $PASSES; do
	start "$u" fork_procs
	start "$u" memory_hog
	collect "$u" fork_procs
	collect "$u" memory_hog
	verify "$u" fork_procs boot-failed "HOSTILE-PROBE fork bomb" "sandbox's processes limit"
	verify "$u" memory_hog boot-failed "MemoryError" "sandbox's memory limit"
done

echo "# hostile corpus: case, pass, status, time, verdict$RESULTS" | sed '2,$s/^/# /'
