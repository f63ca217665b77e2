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
