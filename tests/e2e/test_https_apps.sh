#!/usr/bin/env bash
# Apps hardened for production (session 10): SECURE_SSL_REDIRECT with
# secure cookies, as a deployed capstone's settings have them. They
# redirected every plain-HTTP request to https://127.0.0.1:PORT/ and
# scored 0. The boot now serves such an app as if through the
# TLS-terminating proxy a deployment puts in front of it (docs/boot-protocol.md):
# each reference scores 100, and the checks still judge (a mutant under
# the same settings loses exactly its check, CSRF enforcement included).
source "$(dirname "$0")/lib.sh"
CH=$ROOT/challenges

# harden DIR: append the production settings to DIR's settings module.
harden() {
	printf '\n# Production hardening.\nSECURE_SSL_REDIRECT = True\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nSECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\nSECURE_HSTS_SECONDS = 3600\n' \
		>>"$(settings_file "$1")" && commit_all "$1" >/dev/null
}

for ch in ecommerce-api recipe-platform ticket-system; do
	mkrepo "$CH/$ch/solution" "$WORK/$ch" >/dev/null 2>&1 && harden "$WORK/$ch"
	grade "$WORK/$ch.json" "$WORK/$ch" "$ch" --no-db
	[ "$rc" = 0 ] && [ "$(jget "$WORK/$ch.json" "r['status'], r['score']")" = "graded 100" ] \
		&& ok "$ch's reference with SECURE_SSL_REDIRECT and secure cookies scores 100" \
		|| notok "$ch's reference with SECURE_SSL_REDIRECT and secure cookies scores 100" \
			"exit $rc: $(jget "$WORK/$ch.json" "r['status'], r['score'], r.get('diagnosis'), [(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass'][:3]")"
done

for m in ticket-system:ticket-create-csrf-exempt:csrf-enforced ticket-system:dashboard-open-to-customers:dashboard-staff-only \
	ecommerce-api:product-create-any-user:product-create-staff-only; do
	ch=${m%%:*} rest=${m#*:} mut=${rest%%:*} want=${rest#*:}
	mkrepo "$CH/$ch/solution" "$WORK/$mut" "$CH/$ch/mutants/$mut.patch" >/dev/null 2>&1 && harden "$WORK/$mut"
	grade "$WORK/$mut.json" "$WORK/$mut" "$ch" --no-db
	lost=$(jget "$WORK/$mut.json" "' '.join(c['id'] for c in r['checks'] if c['status'] != 'pass')")
	[ "$rc" = 0 ] && [ "$lost" = "$want" ] \
		&& ok "hardened, the $mut mutant fails $want alone" \
		|| notok "hardened, the $mut mutant fails $want alone" "exit $rc: lost [$lost]"
done

# An app that sends plain HTTP to https:// in a middleware of its own,
# behind the SECURE_PROXY_SSL_HEADER it names, without SECURE_SSL_REDIRECT
# (h662: 0, every request answered 301 "to another site"): served as
# behind that proxy, it scores 100. Without the header it names no proxy,
# and its redirect is said as the same address over https.
# https_middleware DIR [SETTINGS]: DIR's app redirects every request that
# is not secure to the same address over https, SETTINGS appended.
https_middleware() {
	printf '%s\n' "from django.http import HttpResponsePermanentRedirect" "" "" \
		"class HttpsOnly:" "    def __init__(self, get_response):" "        self.get_response = get_response" "" \
		"    def __call__(self, request):" "        if not request.is_secure():" \
		"            return HttpResponsePermanentRedirect(\"https://\" + request.get_host() + request.get_full_path())" \
		"        return self.get_response(request)" >"$1/httpsonly.py"
	printf '\nMIDDLEWARE = ["httpsonly.HttpsOnly"] + MIDDLEWARE\n%b' "${2:-}" >>"$(settings_file "$1")" && commit_all "$1" >/dev/null
}
mkrepo "$CH/ecommerce-api/solution" "$WORK/own-https" >/dev/null 2>&1 &&
	https_middleware "$WORK/own-https" 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n'
grade "$WORK/own-https.json" "$WORK/own-https" ecommerce-api --no-db
[ "$rc" = 0 ] && [ "$(jget "$WORK/own-https.json" "r['status'], r['score']")" = "graded 100" ] \
	&& ok "an app redirecting to https itself behind the SECURE_PROXY_SSL_HEADER it names scores 100" \
	|| notok "an app redirecting to https itself behind the SECURE_PROXY_SSL_HEADER it names scores 100" \
		"exit $rc: $(jget "$WORK/own-https.json" "r['status'], r['score'], [(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass'][:2]")"
mkrepo "$CH/ecommerce-api/solution" "$WORK/own-https-no-proxy" >/dev/null 2>&1 && https_middleware "$WORK/own-https-no-proxy"
grade "$WORK/own-https-no-proxy.json" "$WORK/own-https-no-proxy" ecommerce-api --no-db
got=$(jget "$WORK/own-https-no-proxy.json" "' | '.join(c['message'] for c in r['checks'] if c['id'] == 'products-list')")
case $got in
*"answered 301 to https://127.0.0.1:"*"/api/products/ (the same address over https: the app sends plain HTTP there itself; the grader serves an app as behind a TLS proxy where SECURE_SSL_REDIRECT or SECURE_PROXY_SSL_HEADER says it is behind one)"*)
	ok "an app redirecting to https itself, naming no proxy, is told its redirect is to the same address over https" ;;
*) notok "an app redirecting to https itself, naming no proxy, is told its redirect is to the same address over https" "exit $rc: $got" ;;
esac
