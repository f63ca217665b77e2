#!/usr/bin/env bash
# Route mapping (issue 5): a ticket system whose paths differ from the
# contract's (/support/ for /tickets/, /support/create/ for /tickets/new/,
# /staff/ for /dashboard/) scores 100 with a grader.yaml mapping them, loses
# the affected checks without one, and a malformed grader.yaml is a
# setup-failed with the file's line and column.
source "$(dirname "$0")/lib.sh"
SOL=$ROOT/challenges/ticket-system/solution

mkrepo "$SOL" "$WORK/moved" >/dev/null 2>&1
sed -i 's|path("tickets/new/"|path("support/create/"|; s|path("tickets/<int:pk>/status/"|path("support/<int:pk>/status/"|; s|path("tickets/<int:pk>/"|path("support/<int:pk>/"|; s|path("tickets/"|path("support/"|; s|path("dashboard/"|path("staff/"|' \
	"$WORK/moved/tickets/urls.py"
sed -i 's|/tickets/|/support/|' "$WORK/moved/config/settings.py" "$WORK/moved/config/urls.py"
commit_all "$WORK/moved" >/dev/null

grade "$WORK/unmapped.json" "$WORK/moved" ticket-system
lost=$(jget "$WORK/unmapped.json" "len([c for c in r['checks'] if c['status'] != 'pass' and c['max_points']])")
[ "$rc" = 0 ] && [ "${lost:-0}" -gt 3 ] && ok "moved paths without grader.yaml lose the checks that use them" \
	|| notok "moved paths without grader.yaml lose the checks that use them" "exit $rc, lost $lost"

cat >"$WORK/moved/grader.yaml" <<'YAML'
# The challenge's paths, mapped to this project's own.
routes:
  /tickets/new/: /support/create/
  /tickets/: /support/
  /dashboard/: /staff/
YAML
commit_all "$WORK/moved" >/dev/null
grade "$WORK/mapped.json" "$WORK/moved" ticket-system
[ "$rc" = 0 ] && [ "$(jget "$WORK/mapped.json" "r['score'], r['max_score']")" = "100 100" ] \
	&& ok "grader.yaml maps the contract's paths to the project's (100/100)" \
	|| notok "grader.yaml maps the contract's paths to the project's (100/100)" "exit $rc $(jget "$WORK/mapped.json" "[(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass']")"

# The same file in the settings folder, or spelled grader.yml (h390): not
# read, and the warning says so, where every moved check failed on 404s
# without a word of the file.
for f in config/grader.yaml grader.yml; do
	git -C "$WORK/moved" mv grader.yaml "$f" && commit_all "$WORK/moved" >/dev/null
	grade "$WORK/misplaced.json" "$WORK/moved" ticket-system --no-db
	got=$(jget "$WORK/misplaced.json" "r['score'] < 100, r['warnings']")
	[ "$got" = "True [\"$f is not read: the grader reads grader.yaml beside manage.py or at the repository's root\"]" ] \
		&& ok "a routes file at $f is said not to be read" \
		|| notok "a routes file at $f is said not to be read" "exit $rc: $got"
	git -C "$WORK/moved" mv "$f" grader.yaml && commit_all "$WORK/moved" >/dev/null
done

# A key the grader does not read (route: for routes:, h438): nothing is
# mapped, and the warning names the key and the ones it reads.
cp "$WORK/moved/grader.yaml" "$WORK/grader.yaml.good"
sed -i 's/^routes:/route:/' "$WORK/moved/grader.yaml" && commit_all "$WORK/moved" >/dev/null
grade "$WORK/unread.json" "$WORK/moved" ticket-system --no-db
got=$(jget "$WORK/unread.json" "r['score'] < 100, r['warnings']")
[ "$got" = "True [\"grader.yaml: 'route' is not a key the grader reads, so nothing under it was applied; the grader reads routes: (a path of the challenge: your path, one per line) and project: (the folder of manage.py)\"]" ] \
	&& ok "a grader.yaml key the grader does not read is named by a warning" \
	|| notok "a grader.yaml key the grader does not read is named by a warning" "exit $rc: $got"
cp "$WORK/grader.yaml.good" "$WORK/moved/grader.yaml" && commit_all "$WORK/moved" >/dev/null

"$GRADER" grade "$WORK/moved" --challenge ticket-system --no-db >"$WORK/mapped.txt" 2>&1
grep -q "/tickets/ -> /support/" "$WORK/mapped.txt" && ok "the text report shows the mapping" \
	|| notok "the text report shows the mapping" "$(tail -5 "$WORK/mapped.txt")"

printf 'routes:\n  /tickets/: support\n' >"$WORK/moved/grader.yaml"
commit_all "$WORK/moved" >/dev/null
grade "$WORK/bad.json" "$WORK/moved" ticket-system
[ "$rc" = 3 ] && [ "$(jget "$WORK/bad.json" "r['status']")" = "setup-failed" ] && jget "$WORK/bad.json" "r['diagnosis']" | grep -q "grader.yaml:2:14" \
	&& ok "a malformed grader.yaml is setup-failed with its position" \
	|| notok "a malformed grader.yaml is setup-failed with its position" "exit $rc $(jget "$WORK/bad.json" "r['diagnosis']")"

# Patterns and exact paths (issue 9): the list at "/", the detail pages under
# /chamados/, the form at /novo/. `/tickets/: /` alone would send
# /tickets/7/ to /7/; the pattern wins for detail pages, and a redirect to
# /accounts/login/ is not rewritten as /tickets/accounts/login/.
mkrepo "$SOL" "$WORK/pt" >/dev/null 2>&1
sed -i 's|path("tickets/new/"|path("novo/"|; s|path("tickets/<int:pk>/status/"|path("chamados/<int:pk>/status/"|; s|path("tickets/<int:pk>/"|path("chamados/<int:pk>/"|; s|path("tickets/"|path(""|' \
	"$WORK/pt/tickets/urls.py"
sed -i '/RedirectView.as_view(url="\/tickets\/"/d' "$WORK/pt/config/urls.py"
sed -i 's|LOGIN_REDIRECT_URL = "/tickets/"|LOGIN_REDIRECT_URL = "/"|' "$WORK/pt/config/settings.py"
cat >"$WORK/pt/grader.yaml" <<'YAML'
routes:
  /tickets/: /
  /tickets/{id}/: /chamados/{id}/
  /tickets/new/$: /novo/
YAML
commit_all "$WORK/pt" >/dev/null
grade "$WORK/pt.json" "$WORK/pt" ticket-system
[ "$rc" = 0 ] && [ "$(jget "$WORK/pt.json" "r['score'], r['max_score']")" = "100 100" ] \
	&& ok "prefix to /, a {id} pattern and an exact path map the project (100/100)" \
	|| notok "prefix to /, a {id} pattern and an exact path map the project (100/100)" "exit $rc $(jget "$WORK/pt.json" "[(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass']")"

# A project served without trailing slashes (APPEND_SLASH = False, h1204),
# each path mapped by grader.yaml, its ticket's page at a canonical
# address beneath /tickets/7 (/tickets/7/tck): links, redirects and the
# status form's address map between the two, one slash between a page and
# what is beneath it (it scored 50: /tickets/7//tck, /tickets/17status).
mkrepo "$SOL" "$WORK/noslash" >/dev/null 2>&1
sed -i 's|path("tickets/"|path("tickets"|; s|path("tickets/new/"|path("tickets/new"|; s|path("tickets/<int:pk>/", views.ticket_detail, name="ticket-detail")|path("tickets/<int:pk>/tck", views.ticket_detail, name="ticket-page")|; s|path("tickets/<int:pk>/status/"|path("tickets/<int:pk>/status"|; s|path("dashboard/"|path("dashboard"|' \
	"$WORK/noslash/tickets/urls.py"
sed -i 's|^from . import views$|from django.views.generic import RedirectView\n\n&|; s|^    path("dashboard"|    path("tickets/<int:pk>", RedirectView.as_view(url="/tickets/%(pk)s/tck"), name="ticket-detail"),\n&|' \
	"$WORK/noslash/tickets/urls.py"
sed -i 's|url="/tickets/"|url="/tickets"|' "$WORK/noslash/config/urls.py"
sed -i 's|LOGIN_REDIRECT_URL = "/tickets/"|LOGIN_REDIRECT_URL = "/tickets"\nAPPEND_SLASH = False|' "$WORK/noslash/config/settings.py"
cat >"$WORK/noslash/grader.yaml" <<'YAML'
routes:
  /tickets/$: /tickets
  /tickets/new/$: /tickets/new
  /tickets/{id}/: /tickets/{id}
  /tickets/{id}/status/: /tickets/{id}/status
  /dashboard/$: /dashboard
YAML
commit_all "$WORK/noslash" >/dev/null
grade "$WORK/noslash.json" "$WORK/noslash" ticket-system --no-db
[ "$rc" = 0 ] && [ "$(jget "$WORK/noslash.json" "r['score'], [c['id'] for c in r['checks'] if c['status'] != 'pass']")" = "100 []" ] \
	&& ok "a project without trailing slashes, its ticket's page beneath its id, is mapped whole (100/100)" \
	|| notok "a project without trailing slashes, its ticket's page beneath its id, is mapped whole (100/100)" "exit $rc $(jget "$WORK/noslash.json" "r['score'], [(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass']")"

# A repository of several projects (a course portfolio, h375): the one
# nearest the root is graded, and the report names the others and how to
# choose; the root's grader.yaml `project:` grades the one it names, at
# any depth, without the warning; a folder without manage.py is a
# setup-failed naming it.
folio=$WORK/folio
mkdir -p "$folio/course"
cp -a "$ROOT/challenges/recipe-platform/solution" "$folio/recipes-site"
cp -a "$ROOT/challenges/ecommerce-api/solution" "$folio/course/capstone"
git -C "$folio" init -q -b main . && commit_all "$folio" >/dev/null
grade "$WORK/folio.json" "$folio" ecommerce-api
got=$(jget "$WORK/folio.json" "r['score'] < 50, r['warnings']")
case $got in
"True ['the repository holds 2 Django projects: graded the one in recipes-site (the nearest the root), not in course/capstone; to grade another, name its folder in a grader.yaml at the root, such as project: course/capstone']")
	ok "a repository of two projects grades the nearest the root and names the other" ;;
*) notok "a repository of two projects grades the nearest the root and names the other" "exit $rc: $got" ;;
esac
# Two as near the root (h631: last week's exercise beside the shop): the
# first by name is graded, and the warning says it was a tie.
tie=$WORK/tie
mkdir -p "$tie"
cp -a "$ROOT/challenges/recipe-platform/solution" "$tie/a-week1"
cp -a "$ROOT/challenges/ecommerce-api/solution" "$tie/shop"
git -C "$tie" init -q -b main . && commit_all "$tie" >/dev/null
grade "$WORK/tie.json" "$tie" ecommerce-api
case $(jget "$WORK/tie.json" "r['warnings']") in
"['the repository holds 2 Django projects: graded the one in a-week1 (the first by name of those nearest the root), not in shop; to grade another, name its folder in a grader.yaml at the root, such as project: shop']")
	ok "two projects as near the root: the warning says the first by name was graded" ;;
*) notok "two projects as near the root: the warning says the first by name was graded" "exit $rc $(jget "$WORK/tie.json" "r['warnings']")" ;;
esac
rooted=$WORK/rooted
cp -a "$ROOT/challenges/ecommerce-api/solution" "$rooted"
cp -a "$ROOT/challenges/recipe-platform/solution" "$rooted/recipes-site"
git -C "$rooted" init -q -b main . && commit_all "$rooted" >/dev/null
grade "$WORK/rooted.json" "$rooted" ecommerce-api
[ "$(jget "$WORK/rooted.json" "r['score'], r['warnings']")" = "100 ['the repository holds 2 Django projects: graded the one at the root, not in recipes-site; to grade another, name its folder in a grader.yaml at the root, such as project: recipes-site']" ] \
	&& ok "a project at the root is graded, and one below it named" \
	|| notok "a project at the root is graded, and one below it named" "exit $rc $(jget "$WORK/rooted.json" "r['score'], r['warnings']")"
"$GRADER" grade "$folio" --challenge ecommerce-api --no-db >"$WORK/folio.txt" 2>&1
grep -q "^Warning: the repository holds 2 Django projects" "$WORK/folio.txt" \
	&& ok "the text report says so" || notok "the text report says so" "$(tail -8 "$WORK/folio.txt")"
printf '# The course portfolio: the capstone is graded.\nproject: course/capstone/\n' >"$folio/grader.yaml"
commit_all "$folio" >/dev/null
grade "$WORK/folio-named.json" "$folio" ecommerce-api
[ "$(jget "$WORK/folio-named.json" "r['score'], r['warnings']")" = "100 []" ] \
	&& ok "the root's grader.yaml names the project to grade (100/100, no warning)" \
	|| notok "the root's grader.yaml names the project to grade (100/100, no warning)" "exit $rc $(jget "$WORK/folio-named.json" "r['score'], r['warnings'], r['diagnosis']")"
printf 'project: course/shop\n' >"$folio/grader.yaml"
commit_all "$folio" >/dev/null
grade "$WORK/folio-wrong.json" "$folio" ecommerce-api
[ "$rc" = 3 ] && [ "$(jget "$WORK/folio-wrong.json" "r['status'], r['diagnosis']")" = "setup-failed grader.yaml names the project folder course/shop, which holds no manage.py in this commit" ] \
	&& ok "a grader.yaml naming a folder without manage.py is a setup-failed naming it" \
	|| notok "a grader.yaml naming a folder without manage.py is a setup-failed naming it" "exit $rc $(jget "$WORK/folio-wrong.json" "r['status'], r['diagnosis']")"

# The project in site/ with its app in a package beside it, which
# site/manage.py puts on sys.path by a parent folder (h802:
# ../packages/shop-core/src, not installed): the app's own package is
# found there, inside the repository, as `python manage.py` finds it.
pkgs=$WORK/pkgs
mkdir -p "$pkgs/packages/shop-core/src"
cp -a "$ROOT/challenges/ecommerce-api/solution" "$pkgs/site"
mv "$pkgs/site/shop" "$pkgs/packages/shop-core/src/shop"
sed -i 's|^import sys$|import sys\nfrom pathlib import Path\n\nsys.path.insert(0, str(Path(__file__).resolve().parent.parent / "packages" / "shop-core" / "src"))|' "$pkgs/site/manage.py"
git -C "$pkgs" init -q -b main . && commit_all "$pkgs" >/dev/null
grade "$WORK/pkgs.json" "$pkgs" ecommerce-api
[ "$rc" = 0 ] && [ "$(jget "$WORK/pkgs.json" "r['status'], r['score']")" = "graded 100" ] \
	&& ok "an app in a package beside the project, put on sys.path by manage.py, is imported (100/100)" \
	|| notok "an app in a package beside the project, put on sys.path by manage.py, is imported (100/100)" "exit $rc $(jget "$WORK/pkgs.json" "r['status'], r['score'], r['diagnosis']")"
