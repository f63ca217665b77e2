#!/usr/bin/env bash
# What the report tells a student (issue 9): the evidence an app gave
# (DRF's validation errors), one root cause said once with the checks it
# explains, a route suggestion when a moved prefix answers 404 (which, once
# applied, grades 100), no template syntax in any message, tracebacks with
# paths relative to the repository, and advisory checks whose setup failed
# skipped rather than counted as warnings.
source "$(dirname "$0")/lib.sh"
CH=$ROOT/challenges

# suggested_lines_map DIR LABEL: the grader.yaml lines DIR.json's causes
# suggest, written and committed in the e-commerce app DIR, grade it 100.
suggested_lines_map() {
	{
		echo "routes:"
		jget "$1.json" "'\n'.join('  ' + x for c in r['causes'] for x in c['routes'])"
	} >"$1/grader.yaml"
	commit_all "$1" >/dev/null
	grade "$1-mapped.json" "$1" ecommerce-api
	[ "$(jget "$1-mapped.json" "r['score']")" = 100 ] && ok "$2" \
		|| notok "$2" "$(cat "$1/grader.yaml"; jget "$1-mapped.json" "[(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass']")"
}

# 1. A product field the contract does not name, required by the API, of a
# kind the grader cannot fill in (a list).
mkrepo "$CH/ecommerce-api/solution" "$WORK/pdr" "$CH/ecommerce-api/mutants/product-tags-required.patch" >/dev/null 2>&1
grade "$WORK/pdr.json" "$WORK/pdr" ecommerce-api
msg=$(jget "$WORK/pdr.json" "next(c['message'] for c in r['checks'] if c['id']=='products-list')")
case $msg in
*'answered 400 {"tags": ["This field is required."]} (the grader cannot make up the required tags, a list); expected 201'*)
	ok "a refused API request quotes DRF's validation errors, and the required field the grader could not make up" ;;
*) notok "a refused API request quotes DRF's validation errors, and the required field the grader could not make up" "exit $rc: $msg" ;;
esac
causes=$(jget "$WORK/pdr.json" "[(c['cause'], sorted(c['checks'])) for c in r['causes']]")
want="[('POST /api/products/ answered 400 {\"tags\": [\"This field is required.\"]} (the grader cannot make up the required tags, a list)', ['order-auth-required', 'order-create', 'order-out-of-stock', 'order-quantity-validation', 'orders-private', 'product-detail', 'products-list'])]"
[ "$causes" = "$want" ] && ok "one root cause is said once, with the seven checks it explains and what the grader could not do" \
	|| notok "one root cause is said once, with the seven checks it explains and what the grader could not do" "$causes"
qb=$(jget "$WORK/pdr.json" "next((c['status'], c['message'][:30]) for c in r['checks'] if c['id']=='query-budget')")
[ "$qb" = "('skip', 'not measured: its setup failed')" ] \
	&& ok "an advisory check whose setup fails is skip, with the reason" \
	|| notok "an advisory check whose setup fails is skip, with the reason" "$qb"
"$GRADER" grade "$WORK/pdr" --challenge ecommerce-api --db "$WORK/pdr.sqlite3" >"$WORK/pdr.txt" 2>"$WORK/pdr.txt.err"
if [ "$(grep -c '^Common causes:' "$WORK/pdr.txt")" = 1 ] && ! grep -q '^Warnings:' "$WORK/pdr.txt"; then
	ok "the text report lists the common cause once and counts no skipped check as a warning"
else
	notok "the text report lists the common cause once and counts no skipped check as a warning" "$(sed -n '/Common/,/Warnings/p' "$WORK/pdr.txt")"
fi

# The store keeps the causes (and the environment, and the sign-in scheme):
# `grader show` prints again what `grade` printed, text and JSON.
"$GRADER" show 1 --db "$WORK/pdr.sqlite3" >"$WORK/pdr.show.txt" 2>"$WORK/pdr.show.err"; rc=$?
if [ "$rc" = 0 ] && grep -q '^Common causes:' "$WORK/pdr.show.txt" && diff "$WORK/pdr.txt" "$WORK/pdr.show.txt" >"$WORK/pdr.diff"; then
	ok "grader show prints a run's common causes as grade printed them (text)"
else
	notok "grader show prints a run's common causes as grade printed them (text)" "exit $rc: $(head -20 "$WORK/pdr.diff" "$WORK/pdr.show.err")"
fi
id=$(jget "$WORK/pdr.json" "r['run_id']")
"$GRADER" show "$id" --db "$WORK/results.sqlite3" --format json >"$WORK/pdr.show.json" 2>"$WORK/pdr.show.err"; rc=$?
# Every key but boot_phases_ms and checks_timing_ms, which the store does not
# keep (docs/store.md).
why=$(python3 - "$WORK/pdr.json" "$WORK/pdr.show.json" <<'PY'
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
bad = [k for k in sorted(set(a) | set(b)) if k not in ("boot_phases_ms", "checks_timing_ms") and a.get(k) != b.get(k)]
if not a["causes"] or not a["environment"] or bad:
    print("causes %r environment %r differ: %s" % (a["causes"], a["environment"],
          "; ".join(f"{k}: {a.get(k)!r} != {b.get(k)!r}" for k in bad)))
PY
)
[ "$rc" = 0 ] && [ -z "$why" ] && ok "grader show --format json gives back causes, environment and auth as grade printed them" \
	|| notok "grader show --format json gives back causes, environment and auth as grade printed them" "exit $rc: $why $(head -5 "$WORK/pdr.show.err")"

# cause_holds JSON LABEL TEXT [MIN]: the report has a cause whose text holds
# TEXT, for at least MIN checks (default 1).
cause_holds() {
	local got
	got=$(jget "$1" "[c['cause'] for c in r['causes'] if $(python3 -c 'import sys; print(repr(sys.argv[1]))' "$3") in c['cause'] and len(c['checks']) >= ${4:-1}]")
	case $got in
	"[]"|"") notok "$2" "exit $rc: $(jget "$1" "r['causes']")" ;;
	*) ok "$2" ;;
	esac
}

# message_holds JSON CHECK LABEL TEXT: CHECK's message in the report JSON
# holds TEXT.
message_holds() {
	local msg
	msg=$(jget "$1" "next(c['message'] for c in r['checks'] if c['id']==$(python3 -c 'import sys; print(repr(sys.argv[1]))' "$2"))")
	case $msg in
	*"$4"*) ok "$3" ;;
	*) notok "$3" "exit $rc: $msg" ;;
	esac
}

# serializer_variant NAME FIELD: the e-commerce reference at $WORK/NAME,
# its ProductSerializer answering FIELD too, with the class body read from
# stdin after its fields; committed, and graded into $WORK/NAME.json.
serializer_variant() {
	cat >"$WORK/$1.body"
	mkrepo "$CH/ecommerce-api/solution" "$WORK/$1" >/dev/null 2>&1
	python3 - "$WORK/$1/shop/serializers.py" "$2" "$WORK/$1.body" <<'PY'
import sys
path, field, body = sys.argv[1], sys.argv[2], open(sys.argv[3]).read()
text = open(path).read()
line = '        fields = ["id", "name", "price", "stock"]\n'
open(path, "w").write(text.replace(line, line.replace('"stock"]', '"stock", "%s"]' % field) + "\n" + body, 1))
PY
	commit_all "$WORK/$1" >/dev/null
	grade "$WORK/$1.json" "$WORK/$1" ecommerce-api --no-db
}

# 1a. A related field OPTIONS calls optional that a validator of the
# serializer's still asks for (DRF's unique-together validator asks every
# field it names, whatever the model's default, h634): the message names
# the contradiction and the fix, not "make it optional", which she did.
serializer_variant optrel maker <<'PY'
    maker = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.all(), required=False, write_only=True)

    def validate(self, attrs):
        if "maker" not in attrs:
            raise serializers.ValidationError({"maker": ["This field is required."]})
        attrs.pop("maker")
        return attrs
PY
message_holds "$WORK/optrel.json" products-list "a related field OPTIONS calls optional but a create asks for is said as such, with its fix" \
	"cannot make up the required maker, a related object or JSON value OPTIONS calls optional (a validator asks for it: give the serializer's field a default)"

# ...and one OPTIONS calls read-only (h643: get_serializer_class chose the
# read serializer for OPTIONS, whose action is "metadata"): said so, with
# the fix.
serializer_variant rochoice category <<'PY'
    category = serializers.ChoiceField(choices=["books", "toys"], read_only=True)

    def validate(self, attrs):
        if "category" not in self.initial_data:
            raise serializers.ValidationError({"category": ["This field is required."]})
        return attrs
PY
message_holds "$WORK/rochoice.json" products-list "a required field OPTIONS calls read-only is said as such, with its fix" \
	'cannot make up the required category, a choice OPTIONS calls read-only (it described another serializer: give action "metadata" the create'"'"'s in get_serializer_class)'

# 1a'. A choice the grader filled that changes what the create answers
# (h642: kind "digital", OPTIONS' first, answers an "unlimited" stock of
# 2147483647): the cause quotes the number as the app wrote it, and the
# field the grader filled beside the stock it sent.
serializer_variant kindfill kind <<'PY'
    kind = serializers.ChoiceField(choices=["digital", "physical"], write_only=True)

    def create(self, validated_data):
        if validated_data.pop("kind") == "digital":
            validated_data["stock"] = 2147483647
        return super().create(validated_data)
PY
cause_holds "$WORK/kindfill.json" "a create not keeping a number says it as the app wrote it, and the field the grader filled" \
	'POST /api/products/ answered stock 2147483647 for the 7 sent (the grader filled kind "digital"): the create must keep' 2

# 1a''. An exception whose fix the grader knows, in one check alone
# (h640: the sync ORM in an async view, one 500): a cause with that fix,
# which the check's message, quoting the exception, does not say.
mkvariant "$CH/ecommerce-api/solution" "$WORK/onehint" \
	shop/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def retrieve(self, request, *args, **kwargs):\n        from django.core.exceptions import ValidationError\n        raise ValidationError("not for sale")/'
grade "$WORK/onehint.json" "$WORK/onehint" ecommerce-api --no-db
got=$(jget "$WORK/onehint.json" "r['score'], [(c['cause'], c['checks']) for c in r['causes']]")
case $got in
"90 [(\"the app fails with: django.core.exceptions.ValidationError: ['not for sale'] (Django's, a 500 under DRF: raise serializers.ValidationError)\", ['product-detail'])]")
	ok "an exception whose fix is known is a cause even in one check, with the fix" ;;
*) notok "an exception whose fix is known is a cause even in one check, with the fix" "exit $rc: $got" ;;
esac

# 1b. Products answered without their id (a HyperlinkedModelSerializer's
# default): each step that needs the id says what the answer lacked and
# quotes the answer, never the suite's own name for the value, and the
# one request answered alike in six checks is one cause; the list read
# for it lacks the id too, and says so (h976).
mkvariant "$CH/ecommerce-api/solution" "$WORK/noid" \
	shop/serializers.py 's/fields = \["id", "name", "price", "stock"\]/fields = ["name", "price", "stock"]/'
grade "$WORK/noid.json" "$WORK/noid" ecommerce-api --no-db
msg=$(jget "$WORK/noid.json" "next(c['message'] for c in r['checks'] if c['id']=='order-create')")
case $msg in
*'POST /api/products/ as staff answered 201 without the new product'"'"'s id (SPEC.md: 201 with its `id`), which later steps need, and its row in GET /api/products/ has none either; the answer: {"name": "Kettle '*)
	case $msg in
	*"'kettle'"*) notok "a value a step lacks is said as what the answer lacked, with the answer" "the suite's name: $msg" ;;
	*) ok "a value a step lacks is said as what the answer lacked, with the answer" ;;
	esac ;;
*) notok "a value a step lacks is said as what the answer lacked, with the answer" "exit $rc: $msg" ;;
esac
causes=$(jget "$WORK/noid.json" "[(c['cause'], sorted(c['checks'])) for c in r['causes']]")
want="[(\"POST /api/products/ answered 201 without the new product's id (SPEC.md: 201 with its \`id\`), which later steps need, and its row in GET /api/products/ has none either\", ['order-auth-required', 'order-create', 'order-out-of-stock', 'order-quantity-validation', 'orders-private', 'product-detail'])]"
[ "$causes" = "$want" ] && ok "an answer lacking what later steps need is one cause for the checks it stops" \
	|| notok "an answer lacking what later steps need is one cause for the checks it stops" "$causes"

# 2. A model field without its migration: the same exception everywhere.
mkrepo "$CH/ticket-system/solution" "$WORK/nomig" "$CH/ticket-system/mutants/required-fields.patch" >/dev/null 2>&1
git -C "$WORK/nomig" rm -q tickets/migrations/0002_ticket_priority_contact_email.py && commit_all "$WORK/nomig" >/dev/null
grade "$WORK/nomig.json" "$WORK/nomig" ticket-system
# The cause is the exception's line alone, whatever each message says
# after it ("; expected 302", "; expected a redirect (3xx)"): ticket-create
# is among its checks.
# SQLite's other words for it (a SELECT's "no such column:
# tickets_ticket.priority") are the same cause, which names the fix.
n=$(jget "$WORK/nomig.json" "max([len(c['checks']) for c in r['causes'] if c['cause'] == 'the app fails with: django.db.utils.OperationalError: table tickets_ticket has no column named priority (a model changed without its migration? run makemigrations and commit what it writes)' and 'ticket-create' in c['checks']] or [0])")
others=$(jget "$WORK/nomig.json" "len([c for c in r['causes'] if 'priority' in c['cause']])")
[ "${n:-0}" -ge 5 ] && [ "$others" = 1 ] && ok "the same exception in many checks is one cause ($n checks)" \
	|| notok "the same exception in many checks is one cause" "$(jget "$WORK/nomig.json" "r['causes']")"
# ...and each check's own line says it too, with what was expected
# (h1040, h1054, h1057: the migration in migrations-current alone, and a
# read asking no status ended without "expected").
m_nomig=$(jget "$WORK/nomig.json" "next(c['message'] for c in r['checks'] if c['id'] == 'ticket-create')")
case $m_nomig in
*"has no column named priority"*") (a model changed without its migration? run makemigrations and commit it); expected "*)
	ok "a check failed by a column without its migration says so in its own line" ;;
*) notok "a check failed by a column without its migration says so in its own line" "$m_nomig" ;;
esac
leaks=$(cat "$WORK/pdr.json" "$WORK/nomig.json" | grep -c '{{')
[ "$leaks" = 0 ] && ok "no template syntax reaches a message" \
	|| notok "no template syntax reaches a message" "$(grep -h '{{' "$WORK/pdr.json" "$WORK/nomig.json" | head -3)"

# Throttling low enough to refuse the grader: whichever checks meet the
# limit first fail on a 429, and one cause says why, for all of them.
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/throttle" \
	shopsite/settings.py 's/    "PAGE_SIZE": 20,/    "PAGE_SIZE": 20,\n    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle", "rest_framework.throttling.UserRateThrottle"],\n    "DEFAULT_THROTTLE_RATES": {"anon": "5\/minute", "user": "10\/minute"},/'
grade "$WORK/throttle.json" "$WORK/throttle" ecommerce-api
why=$(jget "$WORK/throttle.json" "[(c['cause'], len(c['checks'])) for c in r['causes'] if '429' in c['cause']]")
case $why in
*"refused requests as too many (429"*"DEFAULT_THROTTLE_RATES"*) ok "throttled requests are one cause, naming the rate limits" ;;
*) notok "throttled requests are one cause, naming the rate limits" "exit $rc: $why; $(jget "$WORK/throttle.json" "r['status'], r['score'], r['causes']")" ;;
esac
# Each such check's own line says so too, in its advice's place, and
# names the throttled request rather than "none of the 2 tried passed"
# (h193: a product's stock read twice, both refused, read as a stock bug).
lines=$(jget "$WORK/throttle.json" "[(c['id'], c['message'].endswith('the app\'s rate limit refused it (429): a grading sends dozens of requests in seconds'), 'tried passed' in c['message'] or 'addresses' in c['message']) for c in r['checks'] if c['status'] == 'fail' and ' answered 429' in c['message']]")
case $lines in
"[]"|*False", "*|*", True)"*) notok "a check failed by a 429 says the rate limit in its own line" "$lines" ;;
*) ok "a check failed by a 429 says the rate limit in its own line" ;;
esac

# A serializer without the stock: the checks that read it, each its own
# way (a detail's $.stock, a list's where/first/field stock), are one
# cause naming the field (h105); order-create too, which reads it before
# its order as well (h639).
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/nostock" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "description", "price"]/'
grade "$WORK/nostock.json" "$WORK/nostock" ecommerce-api --no-db
got=$(jget "$WORK/nostock.json" "[(c['cause'].split(' (e.g.')[0], sorted(c['checks'])) for c in r['causes'] if 'field stock' in c['cause']]")
want="[('answers under /api/ have no field stock', ['order-auth-required', 'order-create', 'order-out-of-stock', 'order-quantity-validation', 'product-detail', 'products-list'])]"
[ "$got" = "$want" ] && ok "a field missing from the answers, read each check's way, is one cause naming it" \
	|| notok "a field missing from the answers, read each check's way, is one cause naming it" "$got"

# 2b. A form built without request.FILES: every check that shares a
# recipe is refused alike, its upload hint cut at a different place in
# each message; that is one cause for them all.
mkvariant "$ROOT/tests/data/apps/cookbook-fbv" "$WORK/nofiles" \
	recipes/views.py 's/form = RecipeForm(request.POST, request.FILES)/form = RecipeForm(request.POST)/'
grade "$WORK/nofiles.json" "$WORK/nofiles" recipe-platform --no-db
causes=$(jget "$WORK/nofiles.json" "[(c['cause'].startswith('POST /recipes/new/ answered 200 with the form'), sorted(c['checks'])) for c in r['causes']]")
want="[(True, ['admin-category-filter', 'recipe-create-upload', 'recipe-image-served', 'recipes-list-public'])]"
[ "$causes" = "$want" ] && ok "one upload refused alike in four checks is one cause, whatever its hint's cut" \
	|| notok "one upload refused alike in four checks is one cause, whatever its hint's cut" "exit $rc: $causes"
# The query budget's recipes were refused alike (200 with the form's
# errors): skipped as a refused setup, not as a page answering wrong (h227).
qb=$(jget "$WORK/nofiles.json" "next((c['status'], c['message']) for c in r['checks'] if c['id']=='query-budget')")
case $qb in
"('skip', 'not measured: its setup\'s form was refused ("*"after POST /recipes/new/ as alice answered 200 with the form\'s errors"*)
	ok "an advisory check whose setup's form was refused is skipped, saying so" ;;
*) notok "an advisory check whose setup's form was refused is skipped, saying so" "$qb" ;;
esac

# 2b'. A form without its CSRF token: five checks refused alike, one
# message cutting the hint where the other four keep it whole, are one
# cause, said whole (h236).
mkvariant "$ROOT/tests/data/apps/cookbook-fbv" "$WORK/nocsrf" \
	templates/recipes/recipe_form.html '/{% csrf_token %}/d'
grade "$WORK/nocsrf.json" "$WORK/nocsrf" recipe-platform --no-db
causes=$(jget "$WORK/nocsrf.json" "[(c['cause'], sorted(c['checks'])) for c in r['causes']]")
want="[('POST /recipes/new/ answered 403 (the form has no csrfmiddlewaretoken field: put {% csrf_token %} inside the <form>)', ['admin-category-filter', 'recipe-create-upload', 'recipe-image-served', 'recipe-rejects-non-image', 'recipes-list-public'])]"
[ "$causes" = "$want" ] && ok "one refusal said whole in some messages and cut in another is one cause" \
	|| notok "one refusal said whole in some messages and cut in another is one cause" "exit $rc: $causes"
# ...and the check's own advice is not said after it, being about what
# the refused form was to show (h1136: "a form's ImageField refuses a
# non-image" after the missing token's note).
said=$(jget "$WORK/nocsrf.json" "next(c['message'] for c in r['checks'] if c['id'] == 'recipe-rejects-non-image')")
case $said in
*"inside the <form>); expected 200") ok "a CSRF refusal's note is not followed by the check's unrelated advice" ;;
*) notok "a CSRF refusal's note is not followed by the check's unrelated advice" "$said" ;;
esac

# A Jinja2 backend beside Django's templates (h647: a login page kept in
# Django's language): the advice names each tag with its language, as the
# grader cannot tell which one rendered the form.
mkvariant "$ROOT/tests/data/apps/cookbook-fbv" "$WORK/nocsrfj" \
	templates/recipes/recipe_form.html '/{% csrf_token %}/d' \
	cookbook/settings.py 's|^TEMPLATES = \[|&\n    {"BACKEND": "django.template.backends.jinja2.Jinja2", "DIRS": [BASE_DIR / "jinja2"]},|'
grade "$WORK/nocsrfj.json" "$WORK/nocsrfj" recipe-platform --no-db
message_holds "$WORK/nocsrfj.json" recipe-create-upload "a form without its CSRF token in a project of Jinja2 and Django templates is told each tag with its language" \
	'(the form has no csrfmiddlewaretoken field: put {% csrf_token %} in a Django template, {{ csrf_input }} in a Jinja2 one inside the <form>)'

# upload_one_cause NAME LABEL SED_EXPR: the cookbook-fbv app with its
# RecipeForm changed by SED_EXPR refuses every upload; the four checks
# that upload are one cause.
upload_one_cause() {
	mkvariant "$ROOT/tests/data/apps/cookbook-fbv" "$WORK/$1" recipes/forms.py "$3"
	grade "$WORK/$1.json" "$WORK/$1" recipe-platform --no-db
	causes=$(jget "$WORK/$1.json" "[sorted(c['checks']) for c in r['causes']]")
	[ "$causes" = "[['admin-category-filter', 'recipe-create-upload', 'recipe-image-served', 'recipes-list-public']]" ] \
		&& ok "$2" || notok "$2" "exit $rc: $(jget "$WORK/$1.json" "r['causes']")"
}

# 2b'''. An upload rule refusing every PNG (a JPEG-only validator, h290):
# each of the four checks that upload quotes Django's long refusal cut at
# its own length, beside the file it sent; they are one cause.
upload_one_cause jpegonly "one upload refusal quoted to different lengths by four checks is one cause" \
	's/^class RecipeForm(forms.ModelForm):$/from django.core.validators import FileExtensionValidator\n\n\n&\n    image = forms.ImageField(validators=[FileExtensionValidator(["jpg", "jpeg"])])/'
# 2b''''. An upload rule quoting each file's size (h328: "too large (8 KB,
# at most 5 KB)" for dish.png, "(9 KB, ..." for pancakes.png), and the
# list's check quoting it cut after "}, ": one refusal, one cause.
upload_one_cause sizelimit "one upload refusal naming each file's size is one cause" \
	's/^class RecipeForm(forms.ModelForm):$/def small(f):\n    if f.size > 5 * 1024:\n        raise forms.ValidationError("The photo is too large (%d KB, at most 5 KB)." % (f.size \/\/ 1024))\n\n\n&\n    image = forms.ImageField(validators=[small])/'
# ...and one whose quote the list's check cuts inside the next request's
# method ("{...}, GET…", h336).
upload_one_cause toowide "one upload refusal quoted up to the next request's method is one cause" \
	's/^class RecipeForm(forms.ModelForm):$/def narrow(f):\n    from PIL import Image\n    if Image.open(f).width > 640:\n        raise forms.ValidationError("Photo is too wide, max 640 pixels please.")\n    f.seek(0)\n\n\n&\n    image = forms.ImageField(validators=[narrow])/'

# 2b'''''. An API whose only sign-in is one the grader cannot make (an
# OAuth2 bearer, h507): every signed-in request's 401 is one refusal,
# whether a message quotes it whole or cuts it inside its "; expected"
# (it was two causes, the same text said twice).
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/beareronly" \
	shopsite/settings.py 's/"rest_framework.authentication.SessionAuthentication",/"store.permissions.BearerOnly",/' \
	shopsite/settings.py '/"rest_framework.authentication.BasicAuthentication",/d' \
	store/permissions.py '$a\\n\nfrom rest_framework.authentication import BaseAuthentication\n\n\nclass BearerOnly(BaseAuthentication):\n    def authenticate(self, request):\n        return None\n\n    def authenticate_header(self, request):\n        return \x27Bearer realm="api"\x27'
grade "$WORK/beareronly.json" "$WORK/beareronly" ecommerce-api --no-db
causes=$(jget "$WORK/beareronly.json" "[(c['cause'][:40], len(c['checks'])) for c in r['causes']]")
[ "$causes" = "[('POST /api/products/ answered 401 (401 is', 8)]" ] \
	&& ok "one 401 quoted whole and cut inside its expectation is one cause" \
	|| notok "one 401 quoted whole and cut inside its expectation is one cause" "exit $rc: $causes"

# 2b''. The measured list answering 500 (an ordering on a field that does
# not exist): the query budget is not measured, as for a refused page;
# the scored checks charge the error (h245).
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/list500" \
	store/views.py 's/        return Order.objects.filter(user=self.request.user).select_related("product")/        return Order.objects.filter(user=self.request.user).order_by("-no_such_field")/'
grade "$WORK/list500.json" "$WORK/list500" ecommerce-api --no-db
qb=$(jget "$WORK/list500.json" "next((c['status'], c['message'][:130]) for c in r['checks'] if c['id']=='query-budget')")
case $qb in
"('skip', 'not measured: the page it measures gave it nothing to measure (alice lists her orders): GET /api/orders/"*)
	ok "an advisory check whose measured page answers 500 is not measured" ;;
*) notok "an advisory check whose measured page answers 500 is not measured" "exit $rc: $qb" ;;
esac

# 2c. A rate limit that alice's last request, the query budget's measured
# list, is the first to meet (16 a minute, for alice alone: she sends 16
# requests before it, 22 when the budget made 11 rows, and staff more; a
# suite with more or fewer changes that number): the warning is
# "not measured", not an N+1 warning, and the score stays 100.
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/budget429" \
	shopsite/settings.py 's/    "PAGE_SIZE": 20,/    "PAGE_SIZE": 20,\n    "DEFAULT_THROTTLE_CLASSES": ["store.permissions.AliceRateThrottle"],\n    "DEFAULT_THROTTLE_RATES": {"user": "16\/minute"},/' \
	store/permissions.py '$a\\n\nfrom rest_framework.throttling import UserRateThrottle\n\n\nclass AliceRateThrottle(UserRateThrottle):\n    def allow_request(self, request, view):\n        return request.user.username != "alice" or super().allow_request(request, view)'
grade "$WORK/budget429.json" "$WORK/budget429" ecommerce-api --no-db
qb=$(jget "$WORK/budget429.json" "r['score'], next((c['status'], c['message'].startswith('not measured: the app refused a request as too many (429)')) for c in r['checks'] if c['id']=='query-budget')")
[ "$qb" = "100 ('skip', True)" ] \
	&& ok "an advisory check whose measured request met a 429 is not measured, not a warning" \
	|| notok "an advisory check whose measured request met a 429 is not measured, not a warning" "exit $rc: $qb"

# 2e. A list whose rows read two tables each (the product, the owner):
# query-budget names both, for fixing one leaves the other (h214).
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/twotables" \
	store/views.py 's/\.select_related("product")//' \
	store/serializers.py 's/^    product_name = serializers.CharField(source="product.name", read_only=True)$/&\n    owner = serializers.CharField(source="user.username", read_only=True)/' \
	store/serializers.py 's/fields = \["id", "product", "product_name", "quantity", "created_at"\]/fields = ["id", "product", "product_name", "owner", "quantity", "created_at"]/'
grade "$WORK/twotables.json" "$WORK/twotables" ecommerce-api --no-db
qb=$(jget "$WORK/twotables.json" "next(c['message'] for c in r['checks'] if c['id']=='query-budget')")
case $qb in
*'(the same query on "store_product" '*' times, on "auth_user" '*' times: one per row?)'*|\
*'(the same query on "auth_user" '*' times, on "store_product" '*' times: one per row?)'*)
	ok "a list whose rows read two tables names both in query-budget's message" ;;
*) notok "a list whose rows read two tables names both in query-budget's message" "exit $rc: $qb" ;;
esac

# 2f. A foreign key naming no row (SQLite says which neither): the cause
# says where such a value comes from (h224: a default naming a status no
# data migration created).
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/fkrow" \
	store/views.py 's/        serializer.save(user=self.request.user)/        serializer.save(user_id=999999)/'
grade "$WORK/fkrow.json" "$WORK/fkrow" ecommerce-api --no-db
cause_holds "$WORK/fkrow.json" "a foreign key naming no row is one cause, saying where such a value comes from" \
	"FOREIGN KEY constraint failed (a foreign key names no row: a field's default, or rows a data migration should create"

# 2f2. A photo refused by the form: the checks that post it say what was
# sent after the errors "(sent: dish.png, ...)", the others only quote
# them; one cause for the four (h310: two causes, two checks left out).
mkvariant "$ROOT/tests/data/apps/cookbook-cbv" "$WORK/nopng" \
	src/kitchen/forms.py '$a\\n    def clean_image(self):\n        raise forms.ValidationError("Unsupported image format PNG.")'
grade "$WORK/nopng.json" "$WORK/nopng" recipe-platform --no-db
cause_holds "$WORK/nopng.json" "a refused photo is one cause for the four checks it stops, with or without what was sent" \
	'answered 200 with the form'"'"'s errors {"image": ["Unsupported image format PNG."]}' 4

# 2g. MIDDLEWARE_CLASSES, which Django 2.0 stopped reading: every request
# lacks its user, and the cause names the setting (h240).
mkvariant "$ROOT/tests/data/apps/helpdesk-cbv" "$WORK/oldmw" \
	helpdesk/settings.py 's/^MIDDLEWARE = /MIDDLEWARE_CLASSES = /'
grade "$WORK/oldmw.json" "$WORK/oldmw" ticket-system --no-db
cause_holds "$WORK/oldmw.json" "a request without its user names MIDDLEWARE_CLASSES in the cause" \
	"has no attribute 'user' (Session and AuthenticationMiddleware set it: in MIDDLEWARE, before the app's own middleware that reads it; MIDDLEWARE_CLASSES is ignored)" 5

# 2h. A form rendered through a crispy template pack that is not
# installed (django-crispy-forms 2 ships none): the cause names the pack's
# package (h241).
mkvariant "$ROOT/tests/data/apps/cookbook-fbv" "$WORK/nopack" \
	templates/recipes/recipe_form.html 's|^  {{ form.non_field_errors }}$|  {% include "bootstrap4/uni_form.html" %}|'
grade "$WORK/nopack.json" "$WORK/nopack" recipe-platform --no-db
cause_holds "$WORK/nopack.json" "a crispy template pack missing names its package in the cause" \
	"TemplateDoesNotExist: bootstrap4/uni_form.html (django-crispy-forms 2 has no template packs: add its pack, such as crispy-bootstrap4, to requirements and INSTALLED_APPS)"
# ...the one the missing template names (h428: bootstrap5's was told as
# crispy-bootstrap4).
mkvariant "$ROOT/tests/data/apps/cookbook-fbv" "$WORK/nopack5" \
	templates/recipes/recipe_form.html 's|^  {{ form.non_field_errors }}$|  {% include "bootstrap5/uni_form.html" %}|'
grade "$WORK/nopack5.json" "$WORK/nopack5" recipe-platform --no-db
cause_holds "$WORK/nopack5.json" "a crispy bootstrap5 pack missing is named as crispy-bootstrap5" \
	"TemplateDoesNotExist: bootstrap5/uni_form.html (django-crispy-forms 2 has no template packs: add crispy-bootstrap5 to requirements and INSTALLED_APPS)"
# ...and the template {% crispy form %} renders (h440: told as "such as
# crispy-bootstrap4").
mkvariant "$ROOT/tests/data/apps/cookbook-fbv" "$WORK/nopack5w" \
	templates/recipes/recipe_form.html 's|^  {{ form.non_field_errors }}$|  {% include "bootstrap5/whole_uni_form.html" %}|'
grade "$WORK/nopack5w.json" "$WORK/nopack5w" recipe-platform --no-db
cause_holds "$WORK/nopack5w.json" "a crispy bootstrap5 pack missing from {% crispy %} is named as crispy-bootstrap5" \
	"TemplateDoesNotExist: bootstrap5/whole_uni_form.html (django-crispy-forms 2 has no template packs: add crispy-bootstrap5 to requirements and INSTALLED_APPS)"

# 2i. Mail sent by SMTP when a ticket is created, to a server that is not
# there (loopback, no listener): the cause says the server is out of
# reach, as whenever it is down, and how to send mail anyway (h261: a
# bare socket error; h924: "while graded" alone read as a sandbox quirk).
mkvariant "$ROOT/tests/data/apps/helpdesk-cbv" "$WORK/smtp" \
	helpdesk/settings.py '$a\\nEMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"\nEMAIL_HOST = "127.0.0.1"\nEMAIL_PORT = 9' \
	support/views.py 's/^        messages.success(self.request, f"Ticket #{self.object.pk} was created.")$/        from django.core.mail import send_mail\n        send_mail("New ticket", "A ticket", "desk@example.com", ["staff@example.com"])\n&/'
grade "$WORK/smtp.json" "$WORK/smtp" ticket-system --no-db
cause_holds "$WORK/smtp.json" "a mail server out of reach is one cause, saying how to send mail while graded" \
	"ConnectionRefusedError: [Errno 111] Connection refused (a server out of reach, here as whenever it is down: catch its error, or the console EMAIL_BACKEND, LocMemCache, eager Celery)"

# 2j. A sign-in locked out after one wrong password (429, as django-axes
# answers with AXES_FAILURE_LIMIT = 1): said as a lockout, not as a rate
# limit that a grading's volume met (h267); and one locked out at its first
# attempt, before any wrong password (h664: AXES_FAILURE_LIMIT = 0, said
# "after one wrong password").
# lockout_holds NAME METHOD LABEL WORDS: a help desk whose login view's
# METHOD ("form_invalid(self, form)": a wrong password; "post(self,
# request, *args, **kwargs)": every attempt) answers 429; login-page's
# message says WORDS.
lockout_holds() {
	local lp
	mkvariant "$ROOT/tests/data/apps/helpdesk-cbv" "$WORK/$1" \
		helpdesk/urls.py 's|^    path("accounts/", include("django.contrib.auth.urls")),$|    path("accounts/login/", Lockout.as_view()),\n&|' \
		helpdesk/urls.py 's|^urlpatterns = \[$|from django.contrib.auth.views import LoginView\nfrom django.http import HttpResponse\n\n\nclass Lockout(LoginView):\n    def '"$2"':\n        return HttpResponse("Locked out.", status=429)\n\n\n&|'
	grade "$WORK/$1.json" "$WORK/$1" ticket-system --no-db
	lp=$(jget "$WORK/$1.json" "next(c['status'] + ' ' + (c['message'] or '') for c in r['checks'] if c['id'] == 'login-page')")
	case $lp in
	"fail "*"POST /accounts/login/ as anonymous answered 429"*"$4"*) ok "$3" ;;
	*) notok "$3" "exit $rc: $lp" ;;
	esac
}
lockout_holds lockout "form_invalid(self, form)" "a sign-in's 429 after a wrong password is said as a lockout" \
	"the app locked the sign-in out (429) after one wrong password"
lockout_holds lockout0 "post(self, request, *args, **kwargs)" \
	"a sign-in's 429 at its first attempt is said as a lockout before any wrong password" \
	"the app locked the sign-in out (429) at the first attempt, before any wrong password"

# 2k. A product page that fetches with .get() and no 404: the check's
# unknown id ends in DoesNotExist, a 500, and its cause says to answer
# 404 (h661: told every run's database starts empty, a committed db's
# advice).
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/getno404" \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def retrieve(self, request, pk=None):\n        from rest_framework.response import Response\n        return Response(self.get_serializer(Product.objects.get(pk=pk)).data)/'
grade "$WORK/getno404.json" "$WORK/getno404" ecommerce-api --no-db
cause_holds "$WORK/getno404.json" "a DoesNotExist for the id a check asked for knowing it is not there says to answer 404" \
	"Product matching query does not exist. (the request asked for a row that does not exist: answer 404, get_object_or_404)"

# 2d. debug-off says which DEBUG it met: a string read from the
# environment ("False" is true) gets that fix alone, a literal True the
# plain one, without the string's hint (h203, h205).
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/debugstr" \
	shopsite/settings.py 's/^DEBUG = .*/DEBUG = os.environ.get("DJANGO_DEBUG", "False")/'
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/debugtrue" \
	shopsite/settings.py 's/^DEBUG = .*/DEBUG = True/'
grade "$WORK/debugstr.json" "$WORK/debugstr" ecommerce-api --no-db
grade "$WORK/debugtrue.json" "$WORK/debugtrue" ecommerce-api --no-db
m_str=$(jget "$WORK/debugstr.json" "next(c['message'] for c in r['checks'] if c['id']=='debug-off')")
m_true=$(jget "$WORK/debugtrue.json" "next(c['message'] for c in r['checks'] if c['id']=='debug-off')")
case $m_str in
"GET /api/grader-no-such-page-"*"/ (an unknown URL) answered Django's debug page: settings.DEBUG is the string 'False' in shopsite.settings, and any string but \"\" is true — compare the variable with \"True\" (os.environ.get(...) == \"True\"; python-decouple's config(..., cast=bool), django-environ's env.bool)"*)
	ok "debug-off read from the environment as the string 'False' says so, and its fix" ;;
*) notok "debug-off read from the environment as the string 'False' says so, and its fix" "exit $rc: $m_str" ;;
esac
case $m_true in
*string*) notok "debug-off on a literal DEBUG = True says so, without the string's hint" "$m_true" ;;
"GET /api/grader-no-such-page-"*"/ (an unknown URL) answered Django's debug page (\"DEBUG = True\" in its text; settings.DEBUG is True in shopsite.settings) — run with DEBUG = False"*)
	ok "debug-off on a literal DEBUG = True says so, without the string's hint" ;;
*) notok "debug-off on a literal DEBUG = True says so, without the string's hint" "exit $rc: $m_true" ;;
esac
# A front end's catch-all (a single-page app served for every address
# but the API's) answers an unknown root address with its page, debug or
# not: the probe under /api/ still meets Django's debug 404 (h478).
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/debugspa" \
	shopsite/settings.py 's/^DEBUG = .*/DEBUG = True/' \
	shopsite/urls.py 's|^from django.urls import include, path$|from django.http import HttpResponse\nfrom django.urls import include, path, re_path|' \
	shopsite/urls.py 's|^    path("api-auth/", include("rest_framework.urls")),$|&\n    re_path(r"^(?!api/\|admin/).*$", lambda request: HttpResponse("<div id=\\"root\\"></div>")),|'
grade "$WORK/debugspa.json" "$WORK/debugspa" ecommerce-api --no-db
m_spa=$(jget "$WORK/debugspa.json" "next(c['status'] + ' ' + (c['message'] or '') for c in r['checks'] if c['id']=='debug-off')")
s_spa=$(jget "$WORK/debugspa.json" "r['score']")
case "$s_spa $m_spa" in
"100 fail GET /api/grader-no-such-page-"*"/ (an unknown URL) answered Django's debug page (\"DEBUG = True\" in its text; settings.DEBUG is True in shopsite.settings) — run with DEBUG = False"*)
	ok "debug-off behind a front end's catch-all still meets the debug page, under the API" ;;
*) notok "debug-off behind a front end's catch-all still meets the debug page, under the API" "exit $rc: $s_spa $m_spa" ;;
esac
# A 405 says what the view answering the address allows, and why it may
# not be the one meant: a plain view (a front end's catch-all listed
# before the API's routes, h478) or DRF's read-only view.
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/m405spa" \
	shopsite/urls.py 's|^from django.urls import include, path$|from django.urls import include, path, re_path\nfrom django.views.generic import TemplateView|' \
	shopsite/urls.py 's|^    path("admin/", admin.site.urls),$|    re_path(r"^.*$", TemplateView.as_view(template_name="admin/base.html")),\n&|'
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/m405ro" \
	store/views.py 's/^class ProductViewSet(viewsets.ModelViewSet):/class ProductViewSet(viewsets.ReadOnlyModelViewSet):/'
grade "$WORK/m405spa.json" "$WORK/m405spa" ecommerce-api --no-db
grade "$WORK/m405ro.json" "$WORK/m405ro" ecommerce-api --no-db
m_spa=$(jget "$WORK/m405spa.json" "next(c['message'] for c in r['checks'] if c['id']=='order-create')")
m_ro=$(jget "$WORK/m405ro.json" "next(c['message'] for c in r['checks'] if c['id']=='order-create')")
case $m_spa in
*"POST /api/products/ as staff answered 405 (the view answering it allows only GET, HEAD, OPTIONS: a view without post(), or a pattern listed before the one meant, such as a front end's catch-all); expected 200 or 201"*)
	ok "a 405 from a plain view ahead of the API's says what it allows and why it answers" ;;
*) notok "a 405 from a plain view ahead of the API's says what it allows and why it answers" "exit $rc: $m_spa" ;;
esac
case $m_ro in
*"POST /api/products/ as staff answered 405 (the API's view here allows only GET, HEAD, OPTIONS: a read-only view where POST is needed)"*)
	ok "a 405 from DRF's read-only view says so" ;;
*) notok "a 405 from DRF's read-only view says so" "exit $rc: $m_ro" ;;
esac
# An API served whole under another prefix (a versioned one): each
# check's hint maps the prefix, as the common cause does, not the one path
# it asked for, which would have fixed that path alone (h477).
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/apiv1" \
	shopsite/urls.py 's|^    path("api/", include("store.urls")),$|    path("api/v1/", include("store.urls")),|'
grade "$WORK/apiv1.json" "$WORK/apiv1" ecommerce-api --no-db
m_v1=$(jget "$WORK/apiv1.json" "next(c['message'] for c in r['checks'] if c['id']=='products-list')")
case $m_v1 in
*"answered 404 (no URL pattern of the app matches this path; it serves /api/v1/products/: map it in grader.yaml, /api/: /api/v1/)"*)
	ok "a path whose whole prefix moved is mapped by its prefix in the check's hint" ;;
*) notok "a path whose whole prefix moved is mapped by its prefix in the check's hint" "exit $rc: $m_v1" ;;
esac
# ...under two versions as long as each other (h1245: /api/v2/ listed
# before /api/v1/, the one SPEC.md's answers come from): the line
# suggested maps one, and the cause names the other too.
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/apiv12" \
	shopsite/urls.py 's|^    path("api/", include("store.urls")),$|    path("api/v2/", include("store.urls")),\n    path("api/v1/", include("store.urls")),|'
grade "$WORK/apiv12.json" "$WORK/apiv12" ecommerce-api --no-db
c_v12=$(jget "$WORK/apiv12.json" "[(c['cause'], c['routes']) for c in r['causes'] if '404' in c['cause']]")
case $c_v12 in
*"/api/v1/ serves them too: map the one whose answers are SPEC.md's\", ['/api/: /api/v2/'])]"|*"/api/v2/ serves them too: map the one whose answers are SPEC.md's\", ['/api/: /api/v1/'])]")
	ok "a prefix moved to two versions of the API says both, to map the one SPEC.md's answers come from" ;;
*) notok "a prefix moved to two versions of the API says both, to map the one SPEC.md's answers come from" "exit $rc: $c_v12" ;;
esac
# Paths renamed (German ones, h485): no grader.yaml line can be worked
# out, and the common cause still says that the app routes none of them
# and how to map them, where it said the 404 alone.
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/renamed" \
	store/urls.py 's/^router.register("products", /router.register("produkte", /' \
	store/urls.py 's/^router.register("orders", /router.register("bestellungen", /'
grade "$WORK/renamed.json" "$WORK/renamed" ecommerce-api --no-db
c_ren=$(jget "$WORK/renamed.json" "[(c['cause'], c['routes']) for c in r['causes'] if '404' in c['cause']]")
case $c_ren in
"[('requests under /api/ answered 404 (e.g. POST /api/products/): no URL pattern of the app matches them; if it serves them under other names, map each in grader.yaml beside manage.py (routes:, SPEC.md)', [])]")
	ok "renamed paths' common cause says how to map them where no line can be worked out" ;;
*) notok "renamed paths' common cause says how to map them where no line can be worked out" "exit $rc: $c_ren" ;;
esac
# A DEBUG the settings read from a committed .env (h400: the settings'
# own default was False): the message says where it came from.
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/debugenv" \
	shopsite/settings.py 's/^DEBUG = .*/for _line in open(BASE_DIR \/ ".env"):\n    _k, _, _v = _line.strip().partition("=")\n    os.environ.setdefault(_k, _v)\nDEBUG = os.environ.get("DJANGO_DEBUG") == "True"/'
printf 'DJANGO_DEBUG=True\n' >"$WORK/debugenv/.env"
commit_all "$WORK/debugenv" >/dev/null
grade "$WORK/debugenv.json" "$WORK/debugenv" ecommerce-api --no-db
m_env=$(jget "$WORK/debugenv.json" "next(c['message'] for c in r['checks'] if c['id']=='debug-off')")
case $m_env in
"GET /api/grader-no-such-page-"*"/ (an unknown URL) answered Django's debug page (\"DEBUG = True\" in its text; settings.DEBUG is True in shopsite.settings, which reads the committed .env) — run with DEBUG = False"*)
	ok "debug-off on a DEBUG read from a committed .env names the file" ;;
*) notok "debug-off on a DEBUG read from a committed .env names the file" "exit $rc: $m_env" ;;
esac
# ...or from the committed example the settings fall back to where no
# .env exists (h790: "in config.settings" sent the learner to settings
# that read DEBUG=True from .env.example).
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/debugexample" \
	shopsite/settings.py 's/^DEBUG = .*/_env = BASE_DIR \/ ".env"\nif not _env.exists():\n    _env = BASE_DIR \/ ".env.example"\nfor _line in open(_env):\n    _k, _, _v = _line.strip().partition("=")\n    os.environ.setdefault(_k, _v)\nDEBUG = os.environ.get("DJANGO_DEBUG") == "True"/'
printf 'DJANGO_DEBUG=True\n' >"$WORK/debugexample/.env.example"
commit_all "$WORK/debugexample" >/dev/null
grade "$WORK/debugexample.json" "$WORK/debugexample" ecommerce-api --no-db
m_example=$(jget "$WORK/debugexample.json" "next(c['message'] for c in r['checks'] if c['id']=='debug-off')")
case $m_example in
"GET /api/grader-no-such-page-"*"/ (an unknown URL) answered Django's debug page (\"DEBUG = True\" in its text; settings.DEBUG is True from the committed .env.example (read by shopsite.settings)) — run with DEBUG = False"*)
	ok "debug-off on a DEBUG read from a committed .env.example names that file" ;;
*) notok "debug-off on a DEBUG read from a committed .env.example names that file" "exit $rc: $m_example" ;;
esac

# 3'. Products under /api/catalogue/ (a router with its API root page),
# orders under /api/checkout/orders/: the orders line names where they are,
# not the root page under the products' folder (h243), and with the lines
# the app scores 100.
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/split" \
	store/urls.py 's/^from rest_framework.routers import DefaultRouter$/from rest_framework.routers import DefaultRouter, SimpleRouter/' \
	store/urls.py 's/^router.register("orders", OrderViewSet, basename="order")$/checkout = SimpleRouter()\ncheckout.register("orders", OrderViewSet, basename="order")/' \
	shopsite/urls.py 's|    path("api/", include("store.urls")),|    path("api/catalogue/", include("store.urls")),\n    path("api/checkout/", include(__import__("store.urls").urls.checkout.urls)),|'
grade "$WORK/split.json" "$WORK/split" ecommerce-api --no-db
routes=$(jget "$WORK/split.json" "[x for c in r['causes'] for x in c['routes']]")
if [ "$routes" = "['/api/: /api/catalogue/', '/api/orders/: /api/checkout/orders/']" ]; then
	ok "orders moved to another folder than the products: the suggested line names where they are"
else
	notok "orders moved to another folder than the products: the suggested line names where they are" "$routes"
fi
{
	echo "routes:"
	jget "$WORK/split.json" "'\n'.join('  ' + x for c in r['causes'] for x in c['routes'])"
} >"$WORK/split/grader.yaml"
commit_all "$WORK/split" >/dev/null
grade "$WORK/split-mapped.json" "$WORK/split" ecommerce-api --no-db
[ "$(jget "$WORK/split-mapped.json" "r['score']")" = 100 ] && ok "the suggested lines map the split API (100/100)" \
	|| notok "the suggested lines map the split API (100/100)" "$(cat "$WORK/split/grader.yaml"; jget "$WORK/split-mapped.json" "[(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass']")"

# 3. Paths moved from /tickets/ to /support/, no grader.yaml: the report
# suggests the lines, and with them (and the dashboard's) the app scores 100.
mkrepo "$CH/ticket-system/solution" "$WORK/moved" >/dev/null 2>&1
sed -i 's|path("tickets/new/"|path("support/create/"|; s|path("tickets/<int:pk>/status/"|path("support/<int:pk>/status/"|; s|path("tickets/<int:pk>/"|path("support/<int:pk>/"|; s|path("tickets/"|path("support/"|; s|path("dashboard/"|path("staff/"|' \
	"$WORK/moved/tickets/urls.py"
sed -i 's|/tickets/|/support/|' "$WORK/moved/config/settings.py" "$WORK/moved/config/urls.py"
commit_all "$WORK/moved" >/dev/null
grade "$WORK/moved.json" "$WORK/moved" ticket-system
routes=$(jget "$WORK/moved.json" "[x for c in r['causes'] for x in c['routes']]")
if [ "$routes" = "['/tickets/: /support/', '/tickets/new/: /support/create/']" ]; then
	ok "most checks 404 under /tickets/: the report suggests the routes lines"
else
	notok "most checks 404 under /tickets/: the report suggests the routes lines" "$routes"
fi
{
	echo "routes:"
	jget "$WORK/moved.json" "'\n'.join('  ' + x for c in r['causes'] for x in c['routes'])"
	echo "  /dashboard/: /staff/"
} >"$WORK/moved/grader.yaml"
commit_all "$WORK/moved" >/dev/null
grade "$WORK/mapped.json" "$WORK/moved" ticket-system
[ "$(jget "$WORK/mapped.json" "r['score']")" = 100 ] && ok "the suggested lines map the app (100/100)" \
	|| notok "the suggested lines map the app (100/100)" "$(cat "$WORK/moved/grader.yaml"; jget "$WORK/mapped.json" "[(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass']")"

# Pages moved under a language prefix (i18n_patterns with
# prefix_default_language, h115): every request under /recipes/ answers a
# redirect to the same path under /en/; the report suggests that line, and
# with it the app scores 100.
mkvariant "$ROOT/tests/data/apps/cookbook-fbv" "$WORK/i18n" \
	cookbook/settings.py 's/^    "django.contrib.sessions.middleware.SessionMiddleware",$/&\n    "django.middleware.locale.LocaleMiddleware",/' \
	cookbook/urls.py 's/^    path("recipes\/", include("recipes.urls")),$//' \
	cookbook/urls.py 's/^from django.views.generic import RedirectView$/&\nfrom django.conf.urls.i18n import i18n_patterns/' \
	cookbook/urls.py '$a\\nurlpatterns += i18n_patterns(path("recipes/", include("recipes.urls")), prefix_default_language=True)'
grade "$WORK/i18n.json" "$WORK/i18n" recipe-platform --no-db
routes=$(jget "$WORK/i18n.json" "[x for c in r['causes'] for x in c['routes']]")
cause=$(jget "$WORK/i18n.json" "[c['cause'] for c in r['causes'] if c['routes']]")
case $cause in
"['pages answered a redirect to the same path under the language prefix /en/ (i18n_patterns: prefix_default_language=False serves the default language without it; e.g. GET /recipes/"*)
	ok "pages moved under a language prefix: the cause names i18n_patterns' setting that removes it" ;;
*) notok "pages moved under a language prefix: the cause names i18n_patterns' setting that removes it" "$cause" ;;
esac
printf 'routes:\n  /recipes/: /en/recipes/\n' >"$WORK/i18n/grader.yaml"
commit_all "$WORK/i18n" >/dev/null
grade "$WORK/i18n-mapped.json" "$WORK/i18n" recipe-platform --no-db
[ "$routes" = "['/recipes/: /en/recipes/']" ] && [ "$(jget "$WORK/i18n-mapped.json" "r['score']")" = 100 ] \
	&& ok "pages moved under a language prefix: the report suggests the line, which maps the app (100/100)" \
	|| notok "pages moved under a language prefix: the report suggests the line, which maps the app (100/100)" \
		"$routes; $(jget "$WORK/i18n-mapped.json" "r['score'], [c['message'] for c in r['checks'] if c['status'] != 'pass'][:2]")"

# Every page of a help desk under the language prefix (h282): the sign-in,
# the tickets and the dashboard each answer a redirect under /en/. One
# cause says so, with a line for each, where it once suggested /tickets/
# alone (the other two were single checks); with the three, 100.
mkvariant "$ROOT/tests/data/apps/helpdesk-cbv" "$WORK/i18n-all" \
	helpdesk/settings.py "s/^    'django.contrib.sessions.middleware.SessionMiddleware',$/&\n    'django.middleware.locale.LocaleMiddleware',/" \
	helpdesk/urls.py 's/^    path("accounts\/", include("django.contrib.auth.urls")),$//' \
	helpdesk/urls.py 's/^    path("", include("support.urls")),$//' \
	helpdesk/urls.py 's/^from django.views.generic import RedirectView$/&\nfrom django.conf.urls.i18n import i18n_patterns/' \
	helpdesk/urls.py '$a\\nurlpatterns += i18n_patterns(path("accounts/", include("django.contrib.auth.urls")), path("", include("support.urls")))'
grade "$WORK/i18n-all.json" "$WORK/i18n-all" ticket-system --no-db
routes=$(jget "$WORK/i18n-all.json" "sorted(x for c in r['causes'] for x in c['routes'])")
printf 'routes:\n  /accounts/: /en/accounts/\n  /tickets/: /en/tickets/\n  /dashboard/: /en/dashboard/\n' >"$WORK/i18n-all/grader.yaml"
commit_all "$WORK/i18n-all" >/dev/null
grade "$WORK/i18n-all-mapped.json" "$WORK/i18n-all" ticket-system --no-db
[ "$routes" = "['/accounts/: /en/accounts/', '/dashboard/: /en/dashboard/', '/tickets/: /en/tickets/']" ] &&
	[ "$(jget "$WORK/i18n-all-mapped.json" "r['score']")" = 100 ] \
	&& ok "every page under a language prefix: one line for each moved segment, which map the app (100/100)" \
	|| notok "every page under a language prefix: one line for each moved segment, which map the app (100/100)" \
		"$routes; $(jget "$WORK/i18n-all.json" "r['causes']"); $(jget "$WORK/i18n-all-mapped.json" "r['score']")"

# The same app with the dashboard's line left out: its two checks 404
# under /dashboard/, and nothing the app serves shows where it went (its
# /staff/ is a single page, like any page of the app), so no line is
# suggested; "/dashboard/: /" was, and sent the student the wrong way.
grep -v '/dashboard/' "$WORK/moved/grader.yaml" >"$WORK/moved/grader.yaml.new" &&
	mv "$WORK/moved/grader.yaml.new" "$WORK/moved/grader.yaml" && commit_all "$WORK/moved" >/dev/null
grade "$WORK/nodash.json" "$WORK/moved" ticket-system
# (Its query budget, measured on the dashboard, is not measured: only
# dashboard-staff-only fails on it, so there may be no common cause at all.)
dash=$(jget "$WORK/nodash.json" "[x for c in r['causes'] for x in c['routes'] if x.startswith('/dashboard/')]")
[ "$(jget "$WORK/nodash.json" "r['score']")" = 90 ] && [ "$dash" = "[]" ] \
	&& ok "a single page moved elsewhere gets no guessed routes line" \
	|| notok "a single page moved elsewhere gets no guessed routes line" "$dash"

# 3a'. A grader.yaml mapping the catalogue (under a name of the app's own)
# but not the orders (h291): the suggestion is the orders' own line, found
# beside the mapped paths, which no longer hide it; with it, 100.
mkrepo "$CH/ecommerce-api/solution" "$WORK/halfmap" >/dev/null 2>&1
sed -i 's/router.register("products"/router.register("items"/; s/router.register("orders"/router.register("me\/orders"/' "$WORK/halfmap/shop/urls.py"
printf 'routes:\n  /api/products/: /api/items/\n' >"$WORK/halfmap/grader.yaml"
commit_all "$WORK/halfmap" >/dev/null
grade "$WORK/halfmap.json" "$WORK/halfmap" ecommerce-api --no-db
routes=$(jget "$WORK/halfmap.json" "[x for c in r['causes'] for x in c['routes']]")
printf '  /api/orders/: /api/me/orders/\n' >>"$WORK/halfmap/grader.yaml"
commit_all "$WORK/halfmap" >/dev/null
grade "$WORK/halfmap-mapped.json" "$WORK/halfmap" ecommerce-api --no-db
[ "$routes" = "['/api/orders/: /api/me/orders/']" ] && [ "$(jget "$WORK/halfmap-mapped.json" "r['score']")" = 100 ] \
	&& ok "a path left out of grader.yaml gets its own line beside the ones mapped (100/100 with it)" \
	|| notok "a path left out of grader.yaml gets its own line beside the ones mapped (100/100 with it)" \
		"$routes; $(jget "$WORK/halfmap.json" "r['score'], r['causes']"); $(jget "$WORK/halfmap-mapped.json" "r['score']")"

# 3b. The same paths without their trailing slash (a router made with
# trailing_slash=False): a prefix line cannot say that, so the report
# suggests one line per path, and with them the app scores 100.
mkrepo "$CH/ecommerce-api/solution" "$WORK/noslash" >/dev/null 2>&1
sed -i 's/router = DefaultRouter()/router = DefaultRouter(trailing_slash=False)/' "$WORK/noslash/shop/urls.py"
commit_all "$WORK/noslash" >/dev/null
grade "$WORK/noslash.json" "$WORK/noslash" ecommerce-api
routes=$(jget "$WORK/noslash.json" "[x for c in r['causes'] for x in c['routes']]")
if [ "$routes" = "['/api/products/\$: /api/products', '/api/products/{id}/: /api/products/{id}', '/api/orders/\$: /api/orders']" ]; then
	ok "paths served without their trailing slash: the report suggests a line per path"
else
	notok "paths served without their trailing slash: the report suggests a line per path" "$routes"
fi
# ... and says so in words, and each 404 says the app serves the path
# without its slash (h983; before, that no pattern matches: DRF's
# format-suffix root, api/<drf_format_suffix:format>, routes no other
# path): not what staff lacks, which sent the student to permissions (h276);
# a router has no pattern of the student's own to end with '/': its format
# suffix beside the path names the router's argument too (h1262).
said=$(jget "$WORK/noslash.json" "r['causes'][0]['cause'] + ' | ' + next(c['message'] for c in r['checks'] if c['id'] == 'products-list')")
case $said in
*"without their trailing slash (a router made with trailing_slash=False?)"*"answered 404 (the app serves /api/products without the trailing slash: end its pattern with '/', or drop a router's trailing_slash=False, as SPEC.md's paths end); expected 201")
	ok "paths served without their trailing slash: the cause says so, and no 404 blames staff's permissions" ;;
*) notok "paths served without their trailing slash: the cause says so, and no 404 blames staff's permissions" "$said" ;;
esac
suggested_lines_map "$WORK/noslash" "the suggested per-path lines map the app (100/100)"

# 3b'. Slashless under another folder (h425: a Rails habit, /api/v1/products):
# neither the slashless twins under /api/ nor the folder search (slashed
# shapes) found it; now one line per path, which with a prefix line
# "/api/: /api/v1/" already in grader.yaml are said again as per-path
# lines (a prefix line keeps the slash), and they map the app.
mkrepo "$CH/ecommerce-api/solution" "$WORK/v1noslash" >/dev/null 2>&1
sed -i 's/router = DefaultRouter()/router = DefaultRouter(trailing_slash=False)/' "$WORK/v1noslash/shop/urls.py"
sed -i 's|    path("api/", include("shop.urls")),|    path("api/v1/", include("shop.urls")),|' "$WORK/v1noslash/config/urls.py"
commit_all "$WORK/v1noslash" >/dev/null
grade "$WORK/v1noslash.json" "$WORK/v1noslash" ecommerce-api
routes=$(jget "$WORK/v1noslash.json" "[x for c in r['causes'] for x in c['routes']]")
printf 'routes:\n  /api/: /api/v1/\n' >"$WORK/v1noslash/grader.yaml"
commit_all "$WORK/v1noslash" >/dev/null
grade "$WORK/v1noslash-prefix.json" "$WORK/v1noslash" ecommerce-api
prefixed=$(jget "$WORK/v1noslash-prefix.json" "[(c['cause'].split(': ', 1)[1], c['routes']) for c in r['causes'] if c['routes']]")
want="['/api/products/\$: /api/v1/products', '/api/products/{id}/: /api/v1/products/{id}', '/api/orders/\$: /api/v1/orders']"
if [ "$routes" = "$want" ] &&
	[ "$prefixed" = "[('grader.yaml sends them to paths the app serves without their trailing slash, which a prefix line keeps: one line per path instead', $want)]" ]; then
	ok "paths served under another folder without their slash, mapped or not: a line per path"
else
	notok "paths served under another folder without their slash, mapped or not: a line per path" "$routes | $prefixed"
fi
suggested_lines_map "$WORK/v1noslash" "the per-path lines for another folder map the app (100/100)"

# 3b''. A grader.yaml line whose target lacks the slash the app's pattern
# has (h425: a Rails habit): Django's APPEND_SLASH answers 301 to the
# slashed path, and the message says to end the line with '/'.
mkrepo "$CH/ecommerce-api/solution" "$WORK/slashmap" >/dev/null 2>&1
printf 'routes:\n  /api/products/$: /api/products\n' >"$WORK/slashmap/grader.yaml"
commit_all "$WORK/slashmap" >/dev/null
grade "$WORK/slashmap.json" "$WORK/slashmap" ecommerce-api
said=$(jget "$WORK/slashmap.json" "next(c['message'] for c in r['checks'] if c['id'] == 'products-list')")
case $said in
*"answered 301 to /api/products/ (the app serves it with a trailing slash, APPEND_SLASH: end grader.yaml's line for it with '/')"*)
	ok "a grader.yaml target without the app's trailing slash: the redirect says to end the line with '/'" ;;
*) notok "a grader.yaml target without the app's trailing slash: the redirect says to end the line with '/'" "$said" ;;
esac

# 3b'''. A grader.yaml prefix line with a typo (h425: /api/v2/ for an app
# under /api/v1/): the mapped paths were left out of the search, and no
# line was suggested; now the line to write, and why.
mkrepo "$CH/ecommerce-api/solution" "$WORK/typomap" >/dev/null 2>&1
sed -i 's|    path("api/", include("shop.urls")),|    path("api/v1/", include("shop.urls")),|' "$WORK/typomap/config/urls.py"
printf 'routes:\n  /api/: /api/v2/\n' >"$WORK/typomap/grader.yaml"
commit_all "$WORK/typomap" >/dev/null
grade "$WORK/typomap.json" "$WORK/typomap" ecommerce-api
said=$(jget "$WORK/typomap.json" "[(c['cause'].split(': ', 1)[1], c['routes']) for c in r['causes'] if c['routes']]")
[ "$said" = "[('grader.yaml sends them to /api/v2/, where the app serves none of them; it serves them under /api/v1/', ['/api/: /api/v1/'])]" ] \
	&& ok "a grader.yaml prefix line to a folder the app does not serve: the right line, and why" \
	|| notok "a grader.yaml prefix line to a folder the app does not serve: the right line, and why" "$said"

# 3c. A versioned API (DRF's URLPathVersioning): re_path("^api/(?P<version>v1)/")
# serves the paths under /api/v1/, which the suggested line says, and
# with it the app scores 100; path("api/<str:version>/") names a segment
# whose value the report cannot know, so no line is suggested (a line
# with {version} on one side only is one grader.yaml refuses).
mkrepo "$CH/ecommerce-api/solution" "$WORK/versioned" >/dev/null 2>&1
sed -i 's/^from django.urls import include, path$/from django.urls import include, path, re_path/; s|    path("api/", include("shop.urls")),|    re_path(r"^api/(?P<version>v1)/", include("shop.urls")),|' \
	"$WORK/versioned/config/urls.py" && commit_all "$WORK/versioned" >/dev/null
grade "$WORK/versioned.json" "$WORK/versioned" ecommerce-api
routes=$(jget "$WORK/versioned.json" "[x for c in r['causes'] for x in c['routes']]")
{
	echo "routes:"
	jget "$WORK/versioned.json" "'\n'.join('  ' + x for c in r['causes'] for x in c['routes'])"
} >"$WORK/versioned/grader.yaml"
commit_all "$WORK/versioned" >/dev/null
grade "$WORK/versioned-mapped.json" "$WORK/versioned" ecommerce-api
if [ "$routes" = "['/api/: /api/v1/']" ] && [ "$(jget "$WORK/versioned-mapped.json" "r['score']")" = 100 ]; then
	ok "a versioned API's regex group is suggested as its value, and the line maps the app (100/100)"
else
	notok "a versioned API's regex group is suggested as its value, and the line maps the app (100/100)" \
		"$routes; $(jget "$WORK/versioned-mapped.json" "r['status'], r['score'], r.get('diagnosis')")"
fi
mkrepo "$CH/ecommerce-api/solution" "$WORK/anyversion" >/dev/null 2>&1
sed -i 's|    path("api/", include("shop.urls")),|    path("api/<str:version>/", include("shop.urls")),|' \
	"$WORK/anyversion/config/urls.py" && commit_all "$WORK/anyversion" >/dev/null
grade "$WORK/anyversion.json" "$WORK/anyversion" ecommerce-api
routes=$(jget "$WORK/anyversion.json" "[x for c in r['causes'] for x in c['routes']]")
[ "$(jget "$WORK/anyversion.json" "r['score']")" = 0 ] && [[ "$routes" != *"{version}"* ]] \
	&& ok "a path segment whose value is unknown gets no suggested line grader.yaml would refuse" \
	|| notok "a path segment whose value is unknown gets no suggested line grader.yaml would refuse" "$routes"

# 3d. A view that hides the owner's own ticket (its queryset filters on
# the wrong user): /tickets/{id}/ is routed and answers 404, so the cause
# says the view found nothing, and suggests no grader.yaml line.
mkvariant "$ROOT/tests/data/apps/helpdesk-cbv" "$WORK/hidden" \
	support/views.py 's/        return qs.filter(owner=self.request.user)/        return qs.filter(owner__username="nobody")/'
grade "$WORK/hidden.json" "$WORK/hidden" ticket-system --no-db
causes=$(jget "$WORK/hidden.json" "[(c['cause'], c['routes']) for c in r['causes'] if '404' in c['cause']]")
case $causes in
"[('requests under /tickets/ answered 404 though the app routes them (e.g. GET /tickets/{id}/): its view found no such object for that user', [])]")
	ok "a 404 from a routed path's own view is said so, with no route to move" ;;
*) notok "a 404 from a routed path's own view is said so, with no route to move" "exit $rc: $causes" ;;
esac

# 3d''. A write refused with 404 in the view's own words (h537: out of
# stock said with 404): routed, and no missing object, so the cause says
# it is the view's refusal and quotes it, not "found no such object".
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/refused404" \
	store/serializers.py '0,/^            raise serializers.ValidationError($/s//            from rest_framework.exceptions import NotFound\n            raise NotFound(self._stock_message(product))\n            raise serializers.ValidationError(/'
grade "$WORK/refused404.json" "$WORK/refused404" ecommerce-api --no-db
causes=$(jget "$WORK/refused404.json" "' | '.join(c['cause'] for c in r['causes'] if '404' in c['cause'])")
case $causes in
*"requests under /api/ answered 404 in the view's own words (e.g. POST /api/orders/ answered 404 {\"detail\": \""*"Vase "*" is out of stock."*"): a refusal, not a missing object: give the status SPEC.md names"*)
	ok "a write refused with 404 in the view's own words is said to be its refusal, quoted" ;;
*) notok "a write refused with 404 in the view's own words is said to be its refusal, quoted" "exit $rc: $causes" ;;
esac

# 3e'. Plain paths without their trailing slash (path("products/<int:pk>")):
# staff's POST to /api/products/ is a route the app lacks, not a view
# refusing staff; /api/products/{pk} routes no /api/products/ (h244).
mkvariant "$ROOT/tests/data/apps/shop-viewsets" "$WORK/plainslash" \
	store/urls.py 's/^urlpatterns = router.urls$/from django.urls import path\n\nurlpatterns = [path("products", ProductViewSet.as_view({"get": "list", "post": "create"})), path("products\/<int:pk>", ProductViewSet.as_view({"get": "retrieve"})), path("orders", OrderViewSet.as_view({"get": "list", "post": "create"}))]/'
grade "$WORK/plainslash.json" "$WORK/plainslash" ecommerce-api --no-db
msg=$(jget "$WORK/plainslash.json" "next(c['message'] for c in r['checks'] if c['id']=='products-list')")
case $msg in
*"staff has is_staff"*) notok "a 404 at a path no plain pattern routes says so, not what staff lacks" "$msg" ;;
*"POST /api/products/ as staff answered 404 (the app serves /api/products without the trailing slash: end its pattern with '/', as SPEC.md's paths end)"*)
	ok "a 404 at a path no plain pattern routes says so, not what staff lacks" ;;
*) notok "a 404 at a path no plain pattern routes says so, not what staff lacks" "exit $rc: $msg" ;;
esac

# 3e. The owner filter lifted only for a permission the grader's staff
# lacks: staff's 404 on a routed page says what that staff user has, as
# a 403 does (h219).
mkvariant "$ROOT/tests/data/apps/helpdesk-cbv" "$WORK/permonly" \
	support/views.py 's/^        qs = Ticket.objects.select_related("owner")$/&\n        if not self.request.user.has_perm("support.view_all_tickets"):\n            return qs.filter(owner=self.request.user)/'
grade "$WORK/permonly.json" "$WORK/permonly" ticket-system --no-db
msg=$(jget "$WORK/permonly.json" "next(c['message'] for c in r['checks'] if c['id']=='ticket-detail-private')")
case $msg in
*"as staff answered 404 (staff has is_staff alone: not is_superuser, no permission, group or role; a page that shows the owner's own alone, or others' only for those, is 404 to it)"*)
	ok "staff's 404 on a routed page says what the grader's staff has" ;;
*) notok "staff's 404 on a routed page says what the grader's staff has" "exit $rc: $msg" ;;
esac

# 3e''. The owner filter never lifted, staff not asked about at all: the
# 404 says a page showing the owner's own alone is 404 to staff, not
# only that "a check of those refuses it", which this view has none of
# (h384).
mkvariant "$ROOT/tests/data/apps/helpdesk-cbv" "$WORK/owneronly" \
	support/views.py 's/^        qs = Ticket.objects.select_related("owner")$/&\n        return qs.filter(owner=self.request.user)/'
grade "$WORK/owneronly.json" "$WORK/owneronly" ticket-system --no-db
msg=$(jget "$WORK/owneronly.json" "next(c['message'] for c in r['checks'] if c['id']=='ticket-detail-private')")
case $msg in
*"as staff answered 404 (staff has is_staff alone: "*"a page that shows the owner's own alone, or others' only for those, is 404 to it)"*)
	ok "staff's 404 on a page filtered by owner alone says such a page is 404 to staff" ;;
*) notok "staff's 404 on a page filtered by owner alone says such a page is 404 to staff" "exit $rc: $msg" ;;
esac

# 4. A boot failure: the traceback names the student's files as in the repository.
mkrepo "$CH/ecommerce-api/solution" "$WORK/tb" >/dev/null 2>&1
echo "import grader_no_such_module_xyz" >>"$WORK/tb/shop/views.py"
commit_all "$WORK/tb" >/dev/null
grade "$WORK/tb.json" "$WORK/tb" ecommerce-api
diag=$(jget "$WORK/tb.json" "r['diagnosis']")
if printf '%s' "$diag" | grep -q 'File "shop/views.py", line' && ! printf '%s' "$diag" | grep -q "$WORK" &&
	! printf '%s' "$diag" | grep -qE '"/[^"]*/site-packages/'; then
	ok "tracebacks show paths relative to the repository"
else
	notok "tracebacks show paths relative to the repository" "$(printf '%s' "$diag" | grep File | head -5)"
fi

# 5. Django's system checks (which `manage.py migrate` and `runserver` run
# and the grader's boot does not): a run where a 5xx cost points says
# which errors they find, in the JSON's warnings, the text report and
# `grader show`; a check the project silences is not said.
mkvariant "$CH/ecommerce-api/solution" "$WORK/sysck" shop/models.py 's/ordering = \["id"\]/ordering = ["-created"]/'
grade "$WORK/sysck.json" "$WORK/sysck" ecommerce-api --db "$WORK/sysck.sqlite3"
w=$(jget "$WORK/sysck.json" "' | '.join(r['warnings']) + ' score %d' % r['score']")
case $w in
"Django's system checks find 1 error, which \`manage.py migrate\`, \`makemigrations\` and \`runserver\` stop on (the grader migrates and serves without these checks, and graded the app as far as it works): shop.Product: (models.E015) 'ordering' refers to the nonexistent field, related field, or lookup 'created'. score 75")
	ok "a server error that cost points comes with the error Django's system checks find, which manage.py would stop on" ;;
*) notok "a server error that cost points comes with the error Django's system checks find, which manage.py would stop on" "exit $rc: $w" ;;
esac
"$GRADER" grade "$WORK/sysck" --challenge ecommerce-api --no-db >"$WORK/sysck.txt" 2>/dev/null
"$GRADER" show 1 --db "$WORK/sysck.sqlite3" >"$WORK/sysck.show.txt" 2>"$WORK/sysck.show.err"
if grep -q "^Warning: Django's system checks find 1 error" "$WORK/sysck.txt" &&
	grep -q "shop.Product: (models.E015) 'ordering' refers" "$WORK/sysck.txt" &&
	grep -q "shop.Product: (models.E015) 'ordering' refers" "$WORK/sysck.show.txt"; then
	ok "the system checks' error is in the text report, and grader show says it again"
else
	notok "the system checks' error is in the text report, and grader show says it again" "$(grep -A3 '^Warning' "$WORK/sysck.txt" "$WORK/sysck.show.txt")"
fi
# A model no check reads, added without its migration, with an ordering
# on a field it does not have: no check fails, but migrations-current's
# "run makemigrations" is advice the command refuses while the error
# stands, so the system checks are asked and said.
mkvariant "$CH/ecommerce-api/solution" "$WORK/sysck-mig" shop/models.py '$a\
\
\
class Note(models.Model):\
    text = models.TextField()\
\
    class Meta:\
        ordering = ["-written"]'
grade "$WORK/sysck-mig.json" "$WORK/sysck-mig" ecommerce-api --no-db
w=$(jget "$WORK/sysck-mig.json" "' | '.join(r['warnings']) + ' score %d' % r['score']")
case $w in
"Django's system checks find 1 error, "*"shop.Note: (models.E015) 'ordering' refers to the nonexistent field, related field, or lookup 'written'. score 100")
	ok "migrations pending: the system checks that makemigrations would stop on are said, with nothing else lost" ;;
*) notok "migrations pending: the system checks that makemigrations would stop on are said, with nothing else lost" "exit $rc: $w" ;;
esac
# Four errors: three quoted, and how many more, for `manage.py check`.
mkvariant "$CH/ecommerce-api/solution" "$WORK/sysck4" shop/models.py 's/ordering = \["id"\]/ordering = ["a", "b", "c", "d"]/'
grade "$WORK/sysck4.json" "$WORK/sysck4" ecommerce-api --no-db
# (Django finds them in no fixed order: which three is not asserted.)
w=$(jget "$WORK/sysck4.json" "' | '.join(r['warnings'])")
case $w in
"Django's system checks find 4 errors, "*"(models.E015)"*"; "*"(models.E015)"*"; "*"(models.E015)"*" (and 1 more: run \`manage.py check\`)")
	[ "$(printf '%s' "$w" | grep -o '(models.E015)' | wc -l)" = 3 ] \
		&& ok "of four system check errors, three are quoted and the fourth counted" \
		|| notok "of four system check errors, three are quoted and the fourth counted" "$w" ;;
*) notok "of four system check errors, three are quoted and the fourth counted" "exit $rc: $w" ;;
esac
mkvariant "$CH/ecommerce-api/solution" "$WORK/sysck-silenced" shop/models.py 's/ordering = \["id"\]/ordering = ["-created"]/' \
	config/settings.py 's/^DEBUG = False$/&\nSILENCED_SYSTEM_CHECKS = ["models.E015"]/'
grade "$WORK/sysck-silenced.json" "$WORK/sysck-silenced" ecommerce-api --no-db
w=$(jget "$WORK/sysck-silenced.json" "(r['warnings'], r['score'])")
[ "$w" = "([], 75)" ] && ok "a system check the project silences is not said" \
	|| notok "a system check the project silences is not said" "exit $rc: $w"

# An anonymous create refused 400 as an RFC 9457 problem titled
# "Authentication required." (h680): the title is the problem's, not a
# field the API requires, which the message said the grader had filled.
mkrepo "$CH/ecommerce-api/solution" "$WORK/problem400" >/dev/null 2>&1
cat >"$WORK/problem400/config/problem.py" <<'PY'
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.views import exception_handler


def handler(exc, context):
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, (NotAuthenticated, PermissionDenied)):
        response.status_code = 400
        response.data = {"type": "https://example.com/problems/not-authenticated",
                         "title": "Authentication required.", "status": 400,
                         "detail": str(exc.detail)}
    return response
PY
sed -i 's/^REST_FRAMEWORK = {}$/REST_FRAMEWORK = {"EXCEPTION_HANDLER": "config.problem.handler"}/' "$WORK/problem400/config/settings.py"
commit_all "$WORK/problem400" >/dev/null
grade "$WORK/problem400.json" "$WORK/problem400" ecommerce-api --no-db
said=$(jget "$WORK/problem400.json" "next(c['message'] for c in r['checks'] if c['id'] == 'product-create-staff-only')")
case $said in
*"filled"*"title"*) notok "a problem's title is no field the API requires" "$said" ;;
*"answered 400 {"*"Authentication required."*"; expected 40"*) ok "a problem's title is no field the API requires" ;;
*) notok "a problem's title is no field the API requires" "$said" ;;
esac

# The second photo, uploaded under the first's file name, replaced it (a
# storage that overwrites, h743): the served body is that upload's, and
# the advice says what replaced it (h760, h766: no fix was said).
mkrepo "$CH/recipe-platform/solution" "$WORK/owr" "$CH/recipe-platform/mutants/photo-overwritten-by-name.patch" >/dev/null 2>&1
grade "$WORK/owr.json" "$WORK/owr" recipe-platform
message_holds "$WORK/owr.json" recipe-image-served "a photo replaced by a later upload of its name is said so, with the fix" \
	"body was another upload's file, byte for byte; expected the 9443 bytes of pancakes.png — a later upload of the same name replaced it: keep each upload's own file (no OverwriteStorage; a file you write needs a fresh name)"

# A list behind login_required: its own advice, not the note of a list
# saying it has more pages than it links (h1223, h1224: the block of
# reads after its failure took the 302 for that).
mkrepo "$CH/recipe-platform/solution" "$WORK/rlr" "$CH/recipe-platform/mutants/recipe-list-login-required.patch" >/dev/null 2>&1
grade "$WORK/rlr.json" "$WORK/rlr" recipe-platform
message_holds "$WORK/rlr.json" recipes-list-public "a list behind a login is told to be public, not of its pages" \
	"GET /recipes/ as anonymous answered 302 to /accounts/login/?next=/recipes/; expected 200 — the recipe list is public, no login needed"

# A product page that answers an unknown id with 200 (h769's answered
# 500): the message says the fix, not only "expected 404".
mkrepo "$CH/ecommerce-api/solution" "$WORK/n404" "$CH/ecommerce-api/mutants/product-detail-missing-not-404.patch" >/dev/null 2>&1
grade "$WORK/n404.json" "$WORK/n404" ecommerce-api
message_holds "$WORK/n404.json" product-detail "an unknown id not answered 404 is told how to answer it" \
	"; expected 404 — an unknown id answers 404 (Django's get_object_or_404, in a Ninja view too, aget_object_or_404 in an async one, or DRF's RetrieveAPIView)"

# Her refused status change, not refused: the message says whether her
# page's status then changed (the view saved it) or not (only the answer
# is wrong), read after the failure (after_failure steps, h1097: both got
# the same words).
mkrepo "$CH/ticket-system/solution" "$WORK/own" "$CH/ticket-system/mutants/status-update-by-owner.patch" >/dev/null 2>&1
grade "$WORK/own.json" "$WORK/own" ticket-system --no-db
message_holds "$WORK/own.json" status-update-forbidden "a customer's status change the view saved is said saved" \
	"only staff may change a ticket's status; her page's status then changed: her change was saved, where only staff's may be"
mkvariant "$CH/ticket-system/solution" "$WORK/backr" tickets/views.py \
	"0,/raise PermissionDenied(\"Only staff can change a ticket's status.\")/s//return redirect(f\"\/tickets\/{pk}\/\")/"
grade "$WORK/backr.json" "$WORK/backr" ticket-system --no-db
message_holds "$WORK/backr.json" status-update-forbidden "a customer's status change sent back to her ticket is no refusal" \
	"answered 302 to /tickets/"
message_holds "$WORK/backr.json" status-update-forbidden "a customer's status change sent back unsaved is said unsaved, with the refusal to give" \
	"only staff may change a ticket's status; her page still states its old status: nothing was saved, only the answer is no refusal (answer 403, or redirect to the login page)"
# ...and one a pattern such as <pk>/<slug>/ took (h1117: listed before
# <pk>/status/, the ticket's page answered her post 200, unsaved): said
# so, from a GET of status/ that shows her ticket's page.
mkvariant "$CH/ticket-system/solution" "$WORK/slugsh" \
	tickets/urls.py 's|^    path("tickets/<int:pk>/status/"|    path("tickets/<int:pk>/<slug:slug>/", views.ticket_detail_slug),\n&|' \
	tickets/views.py '$a\\n\ndef ticket_detail_slug(request, pk, slug):\n    return ticket_detail(request, pk)'
grade "$WORK/slugsh.json" "$WORK/slugsh" ticket-system --no-db
message_holds "$WORK/slugsh.json" status-update-forbidden "a customer's status post taken by a slug pattern is no refusal" \
	"answered 200; expected a refusal (302 to the login page, 401, 403 or 404) — only staff may change a ticket's status; GET /tickets/"
message_holds "$WORK/slugsh.json" status-update-forbidden "a customer's status post taken by a slug pattern is told to list status/ first" \
	"/status/ leads to her ticket's page: is <pk>/<slug>/ listed before <pk>/status/? list status/ first"

# A view reading request.POST["KEY"] for a name nobody sent (h1117:
# MultiValueDictKeyError: 'new_status' where SPEC.md posts status): the
# 500 says the names sent, the grader's as SPEC.md's, a form's as its
# own (never its CSRF token); and "an HTTP status", not a ticket's.
mkvariant "$CH/ticket-system/solution" "$WORK/nkey" tickets/views.py \
	's/^    form = StatusForm(request.POST, instance=ticket)$/    request.POST["new_status"]\n&/'
grade "$WORK/nkey.json" "$WORK/nkey" ticket-system --no-db
message_holds "$WORK/nkey.json" status-update-staff "a view reading a form name the grader did not send is told the name it sent" \
	"MultiValueDictKeyError: 'new_status', at tickets/views.py:54) (the grader sent status, as SPEC.md names it, no new_status: read that name, or .get() an optional one); expected an HTTP status below 400 — a status change answers 2xx or 3xx"
mkvariant "$CH/ticket-system/solution" "$WORK/fkey" tickets/views.py \
	's/^        form = TicketForm(request.POST)$/        request.POST["priority"]\n&/'
grade "$WORK/fkey.json" "$WORK/fkey" ticket-system --no-db
message_holds "$WORK/fkey.json" ticket-create "a view reading a name its own form does not send is told the names the form sent" \
	"MultiValueDictKeyError: 'priority', at tickets/views.py:26) (its form sent title, description, no priority: read the names the form sends, or .get() for an optional one)"

# An upload that never gets its answer (h1129: a storage's free-name loop
# testing exists(name), not the name tried, hung at the second upload of
# a name): the no-answer names the file it sent.
mkvariant "$CH/recipe-platform/solution" "$WORK/nloop" config/settings.py \
	'$a\\nSTORAGES = {"default": {"BACKEND": "config.loopstorage.LoopStorage"}, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}'
cat >"$WORK/nloop/config/loopstorage.py" <<'PY'
from django.core.files.storage import FileSystemStorage


class LoopStorage(FileSystemStorage):
    def get_available_name(self, name, max_length=None):
        n = 0
        candidate = name
        while self.exists(name):
            n += 1
            candidate = f"{n}_{name}"
        return candidate
PY
commit_all "$WORK/nloop" >/dev/null
grade "$WORK/nloop.json" "$WORK/nloop" recipe-platform --no-db --request-timeout 2
message_holds "$WORK/nloop.json" recipe-create-upload "an upload with no answer names the file it sent" \
	"no answer within 2 s (it sent the file dish.png for 'image': does saving it end? a storage's loop choosing a free name, or an image step, may not)"
# ...and one sending status/, read as a wrong slug, on to the ticket's
# canonical address (h1134: /tickets/7/ -> /tickets/7/tck-0007/).
mkvariant "$CH/ticket-system/solution" "$WORK/slugrd" \
	tickets/urls.py 's|^    path("tickets/<int:pk>/status/"|    path("tickets/<int:pk>/<slug:slug>/", views.ticket_detail_slug),\n&|' \
	tickets/views.py '$a\\n\ndef ticket_detail_slug(request, pk, slug):\n    if slug != f"t-{pk}":\n        return redirect(f"/tickets/{pk}/t-{pk}/")\n    return ticket_detail(request, pk)'
grade "$WORK/slugrd.json" "$WORK/slugrd" ticket-system --no-db
message_holds "$WORK/slugrd.json" status-update-forbidden "a customer's status post sent on to a canonical address is told to list status/ first" \
	"/status/ leads to her ticket's page: is <pk>/<slug>/ listed before <pk>/status/? list status/ first"
