#!/usr/bin/env bash
# The corpus (issue 5): each case of tests/corpus/make.sh is a real-world
# variation of a student repository, built as a git repository and graded
# with the ASan/UBSan grader. A case that can be graded must score 100/100;
# one that cannot must get the right status and a diagnosis naming the real
# cause. Every case must finish within 60 s and leave no process behind.
source "$(dirname "$0")/lib.sh"
MAKE=$ROOT/tests/corpus/make.sh
LIMIT_MS=60000

# The interpreter of the default environment: committed_db runs the
# project's own migrate with it to make the committed database.
PYTHON=${GRADER_TEST_PYTHON:-$("$GRADER" env default 2>/dev/null)}
export PYTHON

# Workspaces (TMPDIR) inside $WORK, so "nothing left running" can be checked
# as "no process has its working directory or executable under $WORK".
leftovers() {
	local p d
	for p in /proc/[0-9]*; do
		d=$(readlink "$p/cwd" 2>/dev/null) || continue
		case $d in "$WORK"/*) echo "${p#/proc/} $d" ;; esac
	done
}

envs_count() {
	if [ -n "${GRADER_CACHE_DIR:-}" ] && [ -d "$GRADER_CACHE_DIR/envs" ]; then
		find "$GRADER_CACHE_DIR/envs" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l
	else
		echo "?"
	fi
}

# expect CASE STATUS [PATTERN...]: graded => score 100; else the status
# and each PATTERN (grep -E) in the diagnosis.
expect() {
	local name=$1 want=$2; shift 2
	local repo=$WORK/repos/$name out=$WORK/$name.json t0 ms st score diag p bad=""
	mkdir -p "$WORK/repos" "$WORK/tmp-$name"
	if ! "$MAKE" "$name" "$repo" >"$WORK/$name.make.log" 2>&1 ||
		! git -C "$repo" init -q -b main . ||
		! commit_all "$repo" >/dev/null 2>&1; then
		notok "corpus $name: graded as $want" "could not build the case: $(tail -5 "$WORK/$name.make.log")"
		return
	fi
	t0=$(date +%s%N)
	TMPDIR=$WORK/tmp-$name grade "$out" "$repo" ecommerce-api ${KEEP:+--keep-workspace}
	ms=$((($(date +%s%N) - t0) / 1000000))
	TIMES="$TIMES $name=${ms}ms"
	st=$(jget "$out" "r['status']")
	score=$(jget "$out" "r['score']")
	diag=$(jget "$out" "r['diagnosis'] or ''")
	if [ "$want" = graded ]; then
		[ "$rc" = 0 ] && [ "$st" = graded ] && [ "$score" = 100 ] || bad="exit $rc, status $st, score $score"
	else
		[ "$rc" = 3 ] && [ "$st" = "$want" ] || bad="exit $rc, status $st"
		for p in "$@"; do
			printf '%s' "$diag" | grep -qE -- "$p" || bad="$bad; diagnosis lacks /$p/"
		done
	fi
	[ "$ms" -lt "$LIMIT_MS" ] || bad="$bad; took ${ms} ms (limit $LIMIT_MS)"
	local left
	left=$(leftovers)
	[ -z "$left" ] || bad="$bad; processes left: $left"
	if [ -z "$bad" ]; then
		ok "corpus $name: $want$([ "$want" = graded ] && echo " ($score)") in ${ms} ms"
	else
		notok "corpus $name: $want" "$bad
diagnosis: $(printf '%s' "$diag" | head -c 1500)
failed checks: $(jget "$out" "[(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass']")
stderr: $(tail -5 "$out.err")"
	fi
}

TIMES=""
envs_before=$(envs_count)

expect nested_two_down graded
expect venv_decoy graded
expect bare_settings graded
expect secret_key_required graded
expect env_var_required boot-failed \
	"SHOP_PAYMENT_API_KEY, which the grader does not set" "os\.environ\.get\('SHOP_PAYMENT_API_KEY'"
expect database_url graded
expect postgres_remote graded
expect manifest_storage graded
expect email_user graded
expect requirements_utf16 graded
# (counted here: the cases below build environments of their own)
envs_after=$(envs_count)
# An app in INSTALLED_APPS whose package is not declared: inferred from the
# table, installed, graded; the report says what was added.
expect missing_package graded
m=$(jget "$WORK/missing_package.json" "r['environment']['inferred']")
[ "$m" = "['django-crispy-forms']" ] && ok "corpus missing_package: django-crispy-forms inferred" \
	|| notok "corpus missing_package: django-crispy-forms inferred" "$m"
expect hosts_reset boot-failed "DisallowedHost" "ALLOWED_HOSTS"
expect server_at_import boot-failed "ConnectionRefusedError" "reach the database only through settings\.DATABASES"
expect dotenv_debug graded
[ "$(check_status "$WORK/dotenv_debug.json" debug-off)" = fail ] \
	&& ok "corpus dotenv_debug: the submission's own DEBUG (from its .env) is kept" \
	|| notok "corpus dotenv_debug: the submission's own DEBUG (from its .env) is kept" \
		"debug-off is $(check_status "$WORK/dotenv_debug.json" debug-off)"
expect no_manage setup-failed "no manage\.py found"
expect writes_own_tree graded
expect in_own_venv graded
if "${GRADER_TEST_PYTHON:-python3}" -c 'import sys; sys.exit(sys.version_info >= (3, 12))'; then
	expect fstring_312 boot-failed "config/settings\.py line [0-9]+ uses an f-string that needs Python 3\.12 or newer"
else
	expect fstring_312 graded
fi
# No requirements file, imports and INSTALLED_APPS naming undeclared
# packages: inferred, installed, graded 100, and said so twice.
expect decouple_undeclared graded
m=$(jget "$WORK/decouple_undeclared.json" "r['environment']['inferred'], [c['status'] for c in r['checks'] if c['id'] == 'requirements-declared']")
[ "$m" = "['django-cors-headers', 'python-decouple'] ['fail']" ] \
	&& ok "corpus decouple_undeclared: environment.inferred and requirements-declared say what was added" \
	|| notok "corpus decouple_undeclared: environment.inferred and requirements-declared say what was added" "$m"
[ "$(check_status "$WORK/nested_two_down.json" requirements-declared)" = pass ] \
	&& ok "corpus: nothing inferred, requirements-declared passes" \
	|| notok "corpus: nothing inferred, requirements-declared passes" "$(check_status "$WORK/nested_two_down.json" requirements-declared)"
# Migrations never committed: one diagnosis naming the app and what to do,
# not a "no such table" in every check. A model change without its migration:
# graded, and migrations-current names the app.
expect migrations_missing boot-failed "the app 'shop' has models without migrations" \
	"run makemigrations and commit the migrations folder"
expect migration_pending graded
m=$(jget "$WORK/migration_pending.json" "[c['status'] + ' ' + c['message'] for c in r['checks'] if c['id'] == 'migrations-current'][0]")
case $m in
fail*'"shop"'*"run makemigrations and commit the migrations folder"*)
	ok "corpus migration_pending: migrations-current names the app" ;;
*) notok "corpus migration_pending: migrations-current names the app" "$m" ;;
esac
# APIs that take no sessions: signed in with the scheme they accept, and the
# report says which.
for c in token_api:token jwt_api:jwt; do
	expect "${c%%:*}" graded
	a=$(jget "$WORK/${c%%:*}.json" "r['auth']")
	[ "$a" = "${c#*:}" ] && ok "corpus ${c%%:*}: the report says auth ${c#*:}" \
		|| notok "corpus ${c%%:*}: the report says auth ${c#*:}" "auth is $a"
done

# The UTF-16 requirements normalise to the default runtime's text: no new
# environment was built for them.
if [ "$envs_before" = "?" ] || [ "$envs_before" = "$envs_after" ]; then
	[ "$envs_before" = "?" ] && echo "# GRADER_CACHE_DIR unset: environment reuse not counted"
	[ "$envs_before" != "?" ] && ok "corpus requirements_utf16 shares the default environment"
else
	notok "corpus requirements_utf16 shares the default environment" "envs: $envs_before before, $envs_after after"
fi

# The committed database: graded 100 (using it would have made creating the
# users fail: they are already in it), and the file in the checkout is
# byte-for-byte what was committed, with no journal beside it.
KEEP=1 expect committed_db graded
ws=$(find "$WORK/tmp-committed_db" -mindepth 1 -maxdepth 1 -name 'grader-*' | head -1)
orig=$(sha256sum <"$WORK/repos/committed_db/db.sqlite3")
if [ -n "$ws" ] && [ -f "$ws/checkout/db.sqlite3" ] &&
	[ "$(sha256sum <"$ws/checkout/db.sqlite3")" = "$orig" ] &&
	[ -z "$(find "$ws/checkout" -maxdepth 1 -name 'db.sqlite3-*')" ] &&
	[ ! "$ws/checkout/db.sqlite3" -nt "$ws/checkout/manage.py" ] &&
	[ -d "$ws/state" ] && [ -z "$(ls -A "$ws/state")" ]; then
	ok "corpus committed_db: the committed database is untouched and unused"
else
	notok "corpus committed_db: the committed database is untouched and unused" \
		"workspace $ws: $(ls -la --time-style=full-iso "$ws/checkout" "$ws/state" 2>&1 | head -30)"
fi
[ -n "$ws" ] && rm -rf "$ws"

echo "# corpus timings:$TIMES"
