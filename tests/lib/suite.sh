# tests/lib/suite.sh - what tests/run and tests/one share: the suite's
# environment, and run_one, which runs one test program and counts its
# "ok NAME" / "not ok NAME - why" lines into $pass and $fail. Sourced from
# the repository root.

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export GRADER_CACHE_DIR=${GRADER_CACHE_DIR:-$root/build/test-cache}
export GRADER_DB=$root/build/test-results.sqlite3
export GRADER=$root/build/san/grader
# uv for the test that drives it; the grader itself uses pip here unless GRADER_UV is set.
export GRADER_TEST_UV=$root/.tools/uv/bin
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
# No pyenv versions unless a test names its own: the grader counts them
# among installed Pythons (env_python.c), and the suite must see the same
# interpreters on a machine with pyenv as on a fresh one.
export PYENV_ROOT=$root/build/no-pyenv
pass=0
fail=0
mkdir -p build/test-logs

# Run one test program; count its ok / not ok lines. A program that dies
# without saying why (a sanitizer report, a crash) counts as one failure.
run_one() {
	local name=$1; shift
	local log=build/test-logs/$name.log
	"$@" >"$log" 2>&1
	local rc=$?
	local ok nok
	ok=$(grep -c '^ok ' "$log")
	nok=$(grep -c '^not ok ' "$log")
	pass=$((pass + ok))
	fail=$((fail + nok))
	grep -E '^(ok|not ok) ' "$log" | sed "s|^|$name: |"
	if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then
		fail=$((fail + 1))
		echo "$name: not ok $name exited with status $rc without reporting a failing test:"
		tail -n 30 "$log" | sed 's/^/    /'
	fi
	if [ "$nok" -gt 0 ]; then
		grep -B2 -A12 -E '^not ok|ERROR: AddressSanitizer|runtime error' "$log" | grep -vE '^ok ' | head -n 60 | sed 's/^/    /'
	fi
}

# The default runtime (Django LTS, DRF, Pillow) the boot tests run on.
suite_runtime() {
	local py
	if py=$("$GRADER" env default 2>build/test-logs/runtime.log); then
		export GRADER_TEST_PYTHON=$py
		pass=$((pass + 1)); echo "runtime: ok default runtime at $py"
	else
		fail=$((fail + 1)); echo "runtime: not ok default runtime could not be made:"; tail -n 20 build/test-logs/runtime.log
	fi
}
