#!/usr/bin/env bash
# Credentials never leak (issue 8 item 9), and private repositories get
# theirs without argv or URLs. A loopback https server (its own certificate,
# trusted through SSL_CERT_FILE) answers every request 401 and logs the
# credential it was offered, so the test can tell that libgit2's credential
# callback sent exactly the run's credential, to its own host only. Then no
# token may appear in stdout, stderr, the JSON or text report, or the bytes
# of the SQLite files.
source "$(dirname "$0")/lib.sh"
SRV_PID=
cleanup() {
	[ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

if ! openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 \
	-subj /CN=localhost -addext subjectAltName=DNS:localhost >/dev/null 2>&1; then
	notok "secrets: a certificate for the test server" "openssl failed"
	exit 1
fi
python3 - "$WORK" >"$WORK/srv.err" 2>&1 <<'PY' &
import base64, http.server, ssl, sys
w = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        a = self.headers.get("Authorization", "")
        got = base64.b64decode(a[6:]).decode() if a.startswith("Basic ") else "-"
        with open(w + "/auth.log", "a") as f:
            f.write(got + "\n")
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="class"')
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
c.load_cert_chain(w + "/cert.pem", w + "/key.pem")
s.socket = c.wrap_socket(s.socket, server_side=True)
open(w + "/port", "w").write(str(s.server_address[1]))
s.serve_forever()
PY
SRV_PID=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
P=$(cat "$WORK/port" 2>/dev/null)
[ -n "$P" ] || { notok "secrets: test server" "$(cat "$WORK/srv.err")"; exit 1; }
export SSL_CERT_FILE=$WORK/cert.pem
URLTOK=urltok-$RANDOM$RANDOM ENVTOK=envtok-$RANDOM$RANDOM FILETOK=filetok-$RANDOM$RANDOM
N=0

# run NAME ARGS...: grade once in JSON and once in text, into $WORK/NAME.*
run() {
	local name=$1; shift
	: >"$WORK/auth.log"
	"$GRADER" grade "$@" --challenge ecommerce-api --format json --db "$WORK/results.sqlite3" \
		>"$WORK/$name.json" 2>"$WORK/$name.err"
	rc=$?
	"$GRADER" grade "$@" --challenge ecommerce-api --db "$WORK/results.sqlite3" \
		>"$WORK/$name.txt" 2>>"$WORK/$name.err"
}
# offered NAME WANT: the only credential the server was offered is WANT
# ("-": none at all). The first request of a clone always comes without
# one: the 401 is what makes libgit2 ask the callback.
offered() {
	local got want=$2
	got=$(grep -vx -- - "$WORK/auth.log" | sort -u | tr '\n' ' ')
	[ "$want" = - ] && want= || want="$want "
	if [ "$got" = "$want" ]; then
		ok "secrets $1: the server was offered '$2'"
	else
		notok "secrets $1: the server was offered '$2'" "it saw: $got"
	fi
}
diag_has() {
	local d
	d=$(jget "$WORK/$1.json" "r['status'] + ': ' + (r['diagnosis'] or '')")
	case $d in
	"fetch-failed: "*"$2"*) ok "secrets $1: fetch-failed, $2" ;;
	*) notok "secrets $1: fetch-failed, $2" "$d $(head -3 "$WORK/$1.err")" ;;
	esac
}

run url "https://alice:$URLTOK@localhost:$P/class/alice.git"
offered url "alice:$URLTOK"
diag_has url "the server refused the credential given for localhost:$P"
src=$(jget "$WORK/url.json" "r['submission']['source']")
[ "$src" = "https://localhost:$P/class/alice.git" ] && ok "secrets url: the report's source has no credential" ||
	notok "secrets url: the report's source has no credential" "$src"

GRADER_GIT_TOKEN=$ENVTOK GRADER_GIT_HOST=localhost run env "https://localhost:$P/class/bob.git"
offered env "x-access-token:$ENVTOK"
# The same token, scoped to github.com (the default host): never offered here.
GRADER_GIT_TOKEN=$ENVTOK run env-other-host "https://localhost:$P/class/bob.git"
offered env-other-host "-"
diag_has env-other-host "the repository needs a credential"

printf '# host user token\nexample.org nobody nothing\nlocalhost bob %s\n' "$FILETOK" >"$WORK/creds"
chmod 600 "$WORK/creds"
run file "https://localhost:$P/class/carol.git" --credentials "$WORK/creds"
offered file "bob:$FILETOK"
chmod 644 "$WORK/creds"
run file-open "https://localhost:$P/class/carol.git" --credentials "$WORK/creds"
if [ "$rc" = 2 ] && grep -q -- "--credentials: the credentials file .* can be read by others" "$WORK/file-open.err"; then
	ok "secrets file-open: a credentials file others can read is refused (usage error)"
else
	notok "secrets file-open: a credentials file others can read is refused (usage error)" "exit $rc: $(head -3 "$WORK/file-open.err")"
fi
offered file-open "-"

# A usage error quoting the operands does not echo the token either.
"$GRADER" grade "https://alice:$URLTOK@localhost:$P/x.git" extra --challenge ecommerce-api \
	>"$WORK/usage.txt" 2>"$WORK/usage.err"
rc=$?
[ "$rc" = 2 ] && grep -q "after SOURCE 'https://localhost:$P/x.git'" "$WORK/usage.err" &&
	ok "secrets usage: the usage error quotes the source without its token" ||
	notok "secrets usage: the usage error quotes the source without its token" "exit $rc: $(cat "$WORK/usage.err")"

# SSL_CERT_FILE matters where TLS is spoken, and only there. A local source
# is graded whatever it says (the grader's own libgit2 set-up no longer
# parses the file it names); an https source with a file that cannot be
# read is the grader's failure, and the message names the variable.
mkrepo "$ROOT/challenges/ecommerce-api/solution" "$WORK/local" >/dev/null 2>&1
SSL_CERT_FILE=$WORK/no-such-ca.pem grade "$WORK/badca-local.json" "$WORK/local" ecommerce-api
st=$(jget "$WORK/badca-local.json" "r['status'], r['score']")
[ "$rc" = 0 ] && [ "$st" = "graded 100" ] &&
	ok "SSL_CERT_FILE naming a missing file: a local source is still graded (100)" ||
	notok "SSL_CERT_FILE naming a missing file: a local source is still graded (100)" \
		"exit $rc, $st: $(tail -3 "$WORK/badca-local.json.err")"
SSL_CERT_FILE=$WORK/no-such-ca.pem grade "$WORK/badca-https.json" "https://localhost:$P/x.git" ecommerce-api
st=$(jget "$WORK/badca-https.json" "r['status']")
grep -q "SSL_CERT_FILE $WORK/no-such-ca.pem" "$WORK/badca-https.json" && [ "$st" = internal-error ] &&
	ok "SSL_CERT_FILE naming a missing file: an https source fails as the grader's error, naming it" ||
	notok "SSL_CERT_FILE naming a missing file: an https source fails as the grader's error, naming it" \
		"exit $rc, $st: $(head -c 600 "$WORK/badca-https.json")"

# No token anywhere: outputs, reports, the database's bytes (and journals).
leaks=$(grep -alE "$URLTOK|$ENVTOK|$FILETOK" "$WORK"/*.json "$WORK"/*.txt "$WORK"/*.err \
	"$WORK"/results.sqlite3* 2>/dev/null)
[ -s "$WORK/results.sqlite3" ] || leaks="$leaks (no database was written)"
if [ -z "$leaks" ]; then
	ok "secrets: no token in stdout, stderr, the JSON and text reports or the database"
else
	notok "secrets: no token in stdout, stderr, the JSON and text reports or the database" "found in: $leaks"
fi
