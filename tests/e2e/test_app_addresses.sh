#!/usr/bin/env bash
# Addresses an app gives in its pages, in the forms templates write them
# (found by an app written from SPEC.md alone, session 10): a relative
# <img src>, a data: URI or another site's logo before the recipe's photo
# must cost nothing, and a photo whose src is relative and wrong
# ({{ recipe.image }} without .url) must cost recipe-image-served alone,
# resolved against its page as a browser would. Each of these was an
# internal error before (score 0, the other checks listed as passed). The
# grader never requests an address off the app: the CDN host below is
# under .invalid and is refused before any request.
source "$(dirname "$0")/lib.sh"
SOL=$ROOT/challenges/recipe-platform/solution

mkrepo "$SOL" "$WORK/logos" >/dev/null 2>&1
# Three images before every page's content, one of each kind.
sed -i 's|<body>|<body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""><img src="https://cdn.example.invalid/logo.png" alt=""><img src="logo.png" alt="">|' \
	"$WORK/logos/templates/base.html"
commit_all "$WORK/logos" >/dev/null
grade "$WORK/logos.json" "$WORK/logos" recipe-platform --no-db
[ "$rc" = 0 ] && [ "$(jget "$WORK/logos.json" "r['status'], r['score']")" = "graded 100" ] \
	&& ok "a data: URI, another site's logo and a relative logo before the photo cost nothing" \
	|| notok "a data: URI, another site's logo and a relative logo before the photo cost nothing" \
		"exit $rc: $(jget "$WORK/logos.json" "r['status'], r['score'], r.get('diagnosis'), [(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass']")"

mkrepo "$SOL" "$WORK/nourl" >/dev/null 2>&1
sed -i 's|{{ recipe.image.url }}|{{ recipe.image }}|' "$WORK/nourl/recipes/templates/recipes/recipe_detail.html"
commit_all "$WORK/nourl" >/dev/null
grade "$WORK/nourl.json" "$WORK/nourl" recipe-platform --no-db
lost=$(jget "$WORK/nourl.json" "[c['id'] for c in r['checks'] if c['status'] != 'pass']")
msg=$(jget "$WORK/nourl.json" "next(c['message'] for c in r['checks'] if c['id'] == 'recipe-image-served')")
[ "$rc" = 0 ] && [ "$(jget "$WORK/nourl.json" "r['status'], r['score']")" = "graded 85" ] \
	&& [ "$lost" = "['recipe-image-served']" ] && [[ "$msg" =~ GET\ /recipes/[0-9]+/recipes/[^\ ]+\.png\ as\ alice\ answered\ 404 ]] \
	&& ok "a relative photo src is resolved against its page and costs recipe-image-served alone" \
	|| notok "a relative photo src is resolved against its page and costs recipe-image-served alone" \
		"exit $rc: $(jget "$WORK/nourl.json" "r['status'], r['score'], r.get('diagnosis')"); lost $lost; $msg"
