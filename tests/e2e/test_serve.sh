#!/usr/bin/env bash
# End to end: `grader serve` on loopback, driven over HTTP and in headless
# Chromium by tests/e2e/serve_http.py. As root the service must drop to an
# unprivileged account (it refuses to serve as root), so the test runs it as
# grader-test with a cache of that user's own, as test_hostile.sh does.
. "$(dirname "$0")/lib.sh"

SVC=$WORK/svc
mkdir -p "$SVC/repos"
chmod 755 "$WORK"

runas=()
if [ "$(id -u)" -eq 0 ]; then
	USER_NAME=${GRADER_TEST_USER:-grader-test}
	if ! id -u "$USER_NAME" >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin "$USER_NAME" ||
			{ notok "serve: a test user" "useradd $USER_NAME failed"; exit 1; }
	fi
	USER_CACHE=${GRADER_TEST_USER_CACHE:-/var/tmp/grader-test-cache}
	mkdir -p "$USER_CACHE"
	mkdir -p "$SVC/tmp"
	chown "$USER_NAME:" "$USER_CACHE" "$SVC" "$SVC/tmp"
	# The service and its gradings make their workspaces here, as that user.
	export TMPDIR=$SVC/tmp
	export GRADER_CACHE_DIR=$USER_CACHE
	user_line="user: $USER_NAME"
else
	user_line=""
fi

# Submissions: the reference, a copy whose order view raises an exception
# carrying markup (its message must show as text), and one that boots
# slowly enough to be caught running.
mkrepo challenges/ecommerce-api/solution "$SVC/repos/alice/shop" >/dev/null ||
	{ notok "serve: repositories" "mkrepo failed"; exit 1; }
for i in $(seq 2 10); do
	git -C "$SVC/repos/alice/shop" -c user.name=t -c user.email=t@example.invalid \
		commit -q --allow-empty -m "push $i"
done
mkrepo challenges/ecommerce-api/solution "$SVC/repos/mallory/xss" >/dev/null
python3 - "$SVC/repos/mallory/xss/shop/views.py" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
# Creating an order raises; the grader quotes the exception's last line in
# the check's message, markup and all.
s = s.replace("        serializer.save(user=self.request.user)",
              "        raise RuntimeError(\"<script>document.title='pwned'</script><img src=x onerror=alert(1)>\")")
open(p, "w").write(s)
EOF
commit_all "$SVC/repos/mallory/xss" >/dev/null
chmod -R a+rX "$SVC/repos"

write_config() { # FILE WRITE_PER_MINUTE
	cat >"$1" <<EOF
listen: 127.0.0.1:0
jobs: 2
db: $SVC/results.sqlite3
challenges: [ecommerce-api]
default_challenge: ecommerce-api
allow_file_urls: true
allowed_hosts: [github.com]
github_secret: "gh-s3cret-for-tests"
gitlab_token: "gl-t0ken-for-tests"
instructor_token: "instr-t0ken-for-tests"
body_max: 65536
queue_max: 200
write_per_minute: $2
$user_line
EOF
}
write_config "$SVC/serve.yaml" 100000
write_config "$SVC/limited.yaml" 5
sed -i -e "s|^db: .*|db: $SVC/limited.sqlite3|" -e "s/^jobs: 2/jobs: 1/" -e "s/^queue_max: 200/queue_max: 1/" "$SVC/limited.yaml"

# start_serve CONFIG LOG: starts the service, sets $svc_pid and $port.
start_serve() {
	"$GRADER" serve --config "$1" 2>"$2" &
	svc_pid=$!
	port=""
	for _ in $(seq 1 200); do
		port=$(sed -n 's/.*listening on .*(port \([0-9]*\)).*/\1/p' "$2" | head -n 1)
		[ -n "$port" ] && return 0
		kill -0 "$svc_pid" 2>/dev/null || break
		sleep 0.05
	done
	return 1
}

if start_serve "$SVC/limited.yaml" "$SVC/limited.log"; then
	limited_port=$port
	limited_pid=$svc_pid
else
	notok "serve: the service starts" "$(tail -n 20 "$SVC/limited.log")"
	exit 1
fi
if ! start_serve "$SVC/serve.yaml" "$SVC/serve.log"; then
	notok "serve: the service starts" "$(tail -n 20 "$SVC/serve.log")"
	kill "$limited_pid"
	exit 1
fi
ok "serve: the service starts on loopback and says where"

python3 tests/e2e/serve_http.py --port "$port" --limited-port "$limited_port" --svc "$SVC" \
	--pid "$svc_pid" --grader "$GRADER" --config "$SVC/serve.yaml" \
	--screenshot "$ROOT/build/test-logs/serve-report.png"
status=$?

# The pids the Python side may have restarted the service as.
for f in "$SVC"/serve.pid*; do
	[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
done
kill "$svc_pid" "$limited_pid" 2>/dev/null
wait 2>/dev/null

if grep -q "gh-s3cret-for-tests\|instr-t0ken-for-tests\|gl-t0ken-for-tests" "$SVC"/*.log; then
	notok "serve: no secret in the logs" "$(grep -n 's3cret\|t0ken' "$SVC"/*.log | head)"
else
	ok "serve: no secret in the logs"
fi
if grep -qE '^serve: [0-9.]+ (GET|POST) /' "$SVC/serve.log"; then
	ok "serve: one log line per request"
else
	notok "serve: one log line per request" "$(head -n 20 "$SVC/serve.log")"
fi
exit $status
