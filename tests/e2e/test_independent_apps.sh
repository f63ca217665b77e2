#!/usr/bin/env bash
# Seven apps written from the challenges' SPEC.md alone, by someone who
# never read the references (session 10; tests/data/apps/, README there):
# an e-commerce API of ViewSets behind a DefaultRouter with its stock check
# in the serializer, a recipe platform of class-based views one folder
# down (src/manage.py), a help desk of class-based views with a staff
# mixin and Django's auth URLs; then the same three of function-based
# views, two of them with a custom user model; and a help desk whose users
# sign in by email. Each must score 100, and each of a few
# one-line breakages a student makes must cost exactly its checks, with a
# message that names the cause. These are how the grader is judged: on
# apps it has never seen.
source "$(dirname "$0")/lib.sh"
APPS=$ROOT/tests/data/apps

# app NAME CHALLENGE DEST [SED_FILE SED_EXPR]...: the app as a
# repository, with each SED_EXPR applied to its SED_FILE (each must change
# something) and committed.
app() {
	mkvariant "$APPS/$1" "$3" "${@:4}"
}

# lost FILE: the ids of the checks that did not pass, space-separated.
lost() {
	jget "$1" "' '.join(c['id'] for c in r['checks'] if c['status'] != 'pass')"
}

# has_parts TEXT NEEDLE: TEXT holds NEEDLE's parts between its `*`s, in
# that order (each part matched as it is written: no other pattern).
has_parts() {
	local text=$1 part
	local -a parts
	IFS='*' read -r -a parts <<<"$2"
	for part in "${parts[@]}"; do
		[[ "$text" == *"$part"* ]] || return 1
		text=${text#*"$part"}
	done
}

# A required unique SKU of the product's own, in the model and its
# migration (SED_FILE SED_EXPR pairs for expect_grade): SPEC.md asks for
# "at least" name, price and stock.
sku_field=(
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    sku = models.CharField(max_length=40, unique=True)/'
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('sku', models.CharField(max_length=40, unique=True)),/"
)

# expect_grade NAME CHALLENGE LABEL SCORE LOST [NEEDLE] [SED_FILE SED_EXPR]
# NEEDLE is what the failed checks' messages hold: a `*` in it stands for
# any text between two parts.
expect_grade() {
	local name=$1 ch=$2 label=$3 score=$4 want=$5 needle=${6:-} dest got msgs
	dest=$WORK/$name-$(echo "$label" | tr -c 'a-z0-9' '-' | cut -c1-40)
	shift 6
	app "$name" "$ch" "$dest" "$@" || { notok "$label" "could not make the repository"; return; }
	grade "$dest.json" "$dest" "$ch" --no-db
	got=$(lost "$dest.json")
	msgs=$(jget "$dest.json" "' | '.join(c['message'] or '' for c in r['checks'] if c['status'] != 'pass')")
	if [ "$rc" = 0 ] && [ "$(jget "$dest.json" "r['status'], r['score']")" = "graded $score" ] &&
		[ "$got" = "$want" ] && has_parts "$msgs" "$needle"; then
		ok "$label"
	else
		notok "$label" "exit $rc: $(jget "$dest.json" "r['status'], r['score'], r.get('diagnosis')"); lost [$got], wanted [$want]; $msgs"
	fi
}

# expect_full_marks DEST CHALLENGE LABEL: the repository DEST, graded,
# scores 100 with every check passed.
expect_full_marks() {
	local got
	grade "$1.json" "$1" "$2" --no-db
	got=$(jget "$1.json" "r['status'], r['score'], [(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass']")
	if [ "$got" = "graded 100 []" ]; then
		ok "$3"
	else
		notok "$3" "exit $rc: $got"
	fi
}

# expect_boot_failed NAME CHALLENGE LABEL NEEDLE [SED_FILE SED_EXPR]...: the
# app does not boot (exit 3, boot-failed), and the diagnosis holds
# NEEDLE's parts (between its `*`s).
bootfails=0
expect_boot_failed() {
	local name=$1 ch=$2 label=$3 needle=$4 dest diag
	bootfails=$((bootfails + 1))
	dest=$WORK/boot-failed-$bootfails
	if ! app "$name" "$ch" "$dest" "${@:5}"; then
		notok "$label" "could not make the repository"
		return
	fi
	grade "$dest.json" "$dest" "$ch" --no-db
	diag=$(jget "$dest.json" "r['status'] + ' ' + (r['diagnosis'] or '')")
	if [ "$rc" = 3 ] && [[ $diag == "boot-failed "* ]] && has_parts "$diag" "$needle"; then
		ok "$label"
	else
		notok "$label" "exit $rc: $diag"
	fi
}

expect_grade shop-viewsets ecommerce-api "an e-commerce API of ViewSets and a router scores 100" 100 "" ""
# A required owner in pydantic's 422, as Django Ninja answers a schema
# with user (h1301): told to leave it out of the schema, not of a
# serializer's read-only field, which Ninja has none of.
expect_grade shop-viewsets ecommerce-api "a schema's required owner in pydantic's 422 is told to leave it out of the schema" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"answered 422 {\"detail\": [{\"type\": \"missing\", \"loc\": [\"body\", \"payload\", \"user\"], \"msg\": \"Field required\"}]} (the check sends product, quantity alone, as SPEC.md says: the user is whoever sends it; leave it out of the schema, user=request.user in the view)" \
	store/views.py 's/^    permission_classes = \[permissions.IsAuthenticated, IsOrderOwner\]$/&\n\n    def create(self, request, *args, **kwargs):\n        from rest_framework.response import Response\n        if "user" not in request.data:\n            return Response({"detail": [{"type": "missing", "loc": ["body", "payload", "user"], "msg": "Field required"}]}, status=422)\n        return super().create(request, *args, **kwargs)/'
# The stock taken twice (h1295: a post_save signal after the service's
# own update): order-create says so, where "must leave stock 3" gave no
# cause.
expect_grade shop-viewsets ecommerce-api "a stock taken twice is told so" 85 \
	"order-create order-whole-stock" \
	"the product's stock was 1*expected 3 — the stock went down by 4 for an order of 2: it is taken twice" \
	store/serializers.py 's/^                stock=F("stock") - quantity$/                stock=F("stock") - 2 * quantity/'
# A refusal answered 200 in DRF's word for one (h1295: a service's error
# mapped by a handler without its status, {"detail": ..., "code": ...}):
# said as refused in its body, not told that the stock must refuse it.
expect_grade shop-viewsets ecommerce-api "a refusal answered 200 with a detail is told to give it status 400" 70 \
	"order-out-of-stock order-quantity-validation" \
	"answered 200 {\"detail\": \"Refused.\", \"code\": \"invalid\"} (refused in its body, but with status 200: answer the errors with 400, status=400 on the response the view or its exception handler returns); expected 400" \
	store/views.py 's/^    permission_classes = \[permissions.IsAuthenticated, IsOrderOwner\]$/&\n\n    def create(self, request, *args, **kwargs):\n        from rest_framework.exceptions import ValidationError\n        from rest_framework.response import Response\n        try:\n            return super().create(request, *args, **kwargs)\n        except ValidationError:\n            return Response({"detail": "Refused.", "code": "invalid"})/'
# A list answering a GET without a body 400 (h1272: django-braces'
# require_json): told what a GET of the list answers, not to open it to
# visitors through permission_classes, which no refusal asked.
expect_grade shop-viewsets ecommerce-api "a list refusing a GET without a body is not told of its permissions" 75 \
	"products-list product-create-staff-only" \
	"GET /api/products/ as anonymous answered 400 {\"errors\": [\"Improperly formatted request\"]}; expected 200 — anyone may list products, signed in or not: a GET of /api/products/, with no body, answers 200 with them" \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def list(self, request, *args, **kwargs):\n        from rest_framework.response import Response\n        if not request.body:\n            return Response({"errors": ["Improperly formatted request"]}, status=400)\n        return super().list(request, *args, **kwargs)/'
# A create's serializer chosen by self.action (h1271): OPTIONS, action
# "metadata", describes the read one, without the create's required sku;
# the 400 names it in DRF's words, and it is filled as where OPTIONS is
# off (15 before: every product refused).
expect_grade shop-viewsets ecommerce-api "a required field only the create's serializer has is filled from the 400" 100 "" "" \
	store/serializers.py '$a\\n\nclass ProductWriteSerializer(ProductSerializer):\n    sku = serializers.CharField(write_only=True, max_length=20)\n\n    class Meta(ProductSerializer.Meta):\n        fields = ProductSerializer.Meta.fields + ["sku"]\n\n    def create(self, validated_data):\n        validated_data.pop("sku")\n        return super().create(validated_data)' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def get_serializer_class(self):\n        from .serializers import ProductWriteSerializer\n        return ProductWriteSerializer if self.action == "create" else ProductSerializer/'
# ...and a required choice so (h1271): its choices unknown, the refusal
# says OPTIONS described another serializer and what to give "metadata".
expect_grade shop-viewsets ecommerce-api "a required choice only the create's serializer has is told to describe it in OPTIONS" 15 \
	"products-list product-detail order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	"(OPTIONS described another serializer, without kind: give action \"metadata\" the create's in get_serializer_class; the grader also filled the API's required kind" \
	store/serializers.py '$a\\n\nclass ProductWriteSerializer(ProductSerializer):\n    kind = serializers.ChoiceField(choices=["book", "toy"], write_only=True)\n\n    class Meta(ProductSerializer.Meta):\n        fields = ProductSerializer.Meta.fields + ["kind"]\n\n    def create(self, validated_data):\n        validated_data.pop("kind")\n        return super().create(validated_data)' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def get_serializer_class(self):\n        from .serializers import ProductWriteSerializer\n        return ProductWriteSerializer if self.action == "create" else ProductSerializer/'
# A KeyError raised in the project's serializer (h393): the message says
# where, the file and line of the deepest frame of the project's own, and
# the cause names the exception alone.
expect_grade shop-viewsets ecommerce-api "an exception in the project's code is said with its file and line" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"answered 500, a server error (the app logged: KeyError: 'productx', at store/serializers.py:*)" \
	store/serializers.py 's/^        product = attrs\["product"\]$/        product = attrs["productx"]/'
# A quantity of 0 let through (no check of its own): the advice names
# the serializer's min_value and says a model's MinValueValidator runs in
# a ModelSerializer (h914: "not run by save() alone" read as "remove it"),
# in the fields it makes, not a declared one (h1107), and in a ModelForm
# (h1108); pydantic's Field(ge=1) with its error as a 400, not Ninja's 422
# (h1162).
expect_grade shop-viewsets ecommerce-api "a quantity of 0 let through is told min_value, and where a model's validator runs" 90 \
	order-quantity-validation "a quantity must be at least 1 (min_value=1 on a declared field, Field(ge=1) with its error as 400, a view's own test; a model field's MinValueValidator reaches only the fields a ModelSerializer or ModelForm makes)" \
	store/serializers.py 's/^        if value < 1:$/        if value < 0:/'
# An order taking the whole stock that crashes (h1061: a save refusing a
# stock of 0 raised ValueError): the warning quotes the exception, and its
# advice says the stock may reach 0, not only how a refusal compares.
expect_grade shop-viewsets ecommerce-api "an order taking the whole stock that crashes is told the stock may reach 0" 100 \
	order-whole-stock "answered 500, a server error (the app logged: ValueError: stock cannot reach 0, at store/serializers.py:*); expected 200 or 201 — 2 are left (3, less the order of 1), and an order may take them all, down to a stock of 0" \
	store/serializers.py 's/^            Product.objects.filter(pk=product.pk).update($/            if quantity == product.stock:\n                raise ValueError("stock cannot reach 0")\n&/'
# A price rounded on its way out (h1054: decimal_places=0): said as
# rounded, with the field that keeps the cents, not as a price in cents.
expect_grade shop-viewsets ecommerce-api "a price rounded in the answer is said as rounded, not as cents" 90 \
	products-list "the first product's price in the list, created at 19.99, was \"20\" in the item *; expected 19.99, its cents kept — a DecimalField with decimal_places=2 keeps them (in the model and any serializer field), not round(), decimal_places=0 or cents divided with //" \
	store/serializers.py 's/^        fields = \["id", "name", "description", "price", "stock"\]$/&\n\n    def to_representation(self, instance):\n        data = super().to_representation(instance)\n        data["price"] = str(round(instance.price))\n        return data/'
# A stock the create never stores (h1065: read_only on the serializer):
# order-quantity-validation's stock afterwards says what the create
# answered, not only that a refused order must change nothing.
expect_grade shop-viewsets ecommerce-api "a stock never stored is said from the create's answer, not blamed on the refusals" 25 \
	"products-list product-detail order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"a refused order changes nothing: created with 2, the stock must stay 2 (its create answered stock 0: is the stock sent saved?)" \
	store/serializers.py 's/^        fields = \["id", "name", "description", "price", "stock"\]$/&\n        read_only_fields = ["stock"]/'
# ...and order-out-of-stock's control, refused as "out of stock", says it
# too (h1085).
f=$WORK/shop-viewsets-$(echo "a stock never stored is said from the create's answer, not blamed on the refusals" | tr -c 'a-z0-9' '-' | cut -c1-40).json
got=$(jget "$f" "next(c['message'] for c in r['checks'] if c['id'] == 'order-out-of-stock')")
case $got in
*"refuse only a quantity above the stock or below 1 (its create answered stock 0: is the stock sent saved?)") ok "a stock never stored is said beside the refused control order" ;;
*) notok "a stock never stored is said beside the refused control order" "$got" ;;
esac
# ...and products-list and product-detail, which a student reads first
# (h1107: "was 0; expected 7" alone there), and orders-private, whose
# order is refused as out of stock (h1139).
for id_said in "products-list|each listed product must have its stock, the one it was created with (its create answered stock 0: is the stock sent saved?)" \
	"orders-private|an order of 1 of a product with stock 5 is taken (its create answered stock 0: is the stock sent saved?)" \
	"product-detail|the product was created with stock 4: its page shows the stock it has (its create answered stock 0: is the stock sent saved?)"; do
	got=$(jget "$f" "next(c['message'] for c in r['checks'] if c['id'] == '${id_said%%|*}')")
	case $got in
	*"${id_said#*|}") ok "a stock never stored is said from the create's answer in ${id_said%%|*}" ;;
	*) notok "a stock never stored is said from the create's answer in ${id_said%%|*}" "$got" ;;
	esac
done
# Orders behind IsAdminUser (h1096): a customer's refusal in DRF's own
# words says any signed-in user's request takes IsAuthenticated, where
# "expected 201" was said alone, and classes that read her session (h1205:
# authentication_classes = [] beside IsAuthenticated).
expect_grade shop-viewsets ecommerce-api "orders behind IsAdminUser tell the refused customer what any signed-in user takes" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"alice orders 2: POST /api/orders/ as alice answered 403 (alice is signed in and not staff: what any signed-in user may do takes IsAuthenticated, not IsAdminUser or a test of is_staff, and authentication classes that read the session) {\"detail\": \"You do not have permission to perform this action.\"}; expected 201" \
	store/views.py 's/^    permission_classes = \[permissions.IsAuthenticated, IsOrderOwner\]$/    permission_classes = [permissions.IsAdminUser]/'
# A 403 to staff in the app's own words for a sign-in it did not take
# (h1095: "you must be signed in to add products", a session the view
# never read): said as not signed in, not as staff's flags.
expect_grade shop-viewsets ecommerce-api "a 403 saying staff must sign in is said as a sign-in not taken" 15 \
	"products-list product-detail order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	"POST /api/products/ as staff answered 403 (not signed in: the API took none of the sign-ins the grader makes" \
	store/permissions.py 's/^        return bool(request.user and request.user.is_staff)$/        return False/; s/^class IsStaffOrReadOnly(permissions.BasePermission):$/&\n    message = "You must be signed in to add products."/'
# A list that leaves sold-out products out: how many it listed with the
# product's id, "none", and the answer they were counted in (h941-h943:
# "... was [] in the answer [...]" read as garbled).
expect_grade shop-viewsets ecommerce-api "a product missing from the list is said as none listed with its id, in the answer" 90 \
	products-list "the sold-out product, id *, in the list: none in the answer {*; expected 1 item — the list must include every product, the sold-out one too" \
	store/views.py 's/^    queryset = Product.objects.all()$/&\n\n    def get_queryset(self):\n        qs = Product.objects.all()\n        return qs.filter(stock__gt=0) if self.action == "list" else qs/'
# An exception handler that builds its own Response without the status
# (h948): every refusal answers 200 with DRF's words; the refusals' rows
# say so, with the fix, where they told an unknown id to answer 404 and
# only staff to create products.
expect_grade shop-viewsets ecommerce-api "refusals answered 200 by an exception handler say the status was lost" 35 \
	"product-detail product-create-staff-only order-out-of-stock order-quantity-validation order-auth-required" \
	"{\"detail\": \"No Product matches the given query.\"} (refused in its body, but with status 200: give the answer the refusal's status, status=response.status_code on the Response an exception handler builds); expected 404*{\"detail\": \"You do not have permission to perform this action.\"} (refused in its body, but with status 200*{\"detail\": \"Authentication credentials were not provided.\"} (refused in its body, but with status 200" \
	shopsite/settings.py '$a\REST_FRAMEWORK["EXCEPTION_HANDLER"] = "store.views.status_dropped"' \
	store/views.py '$a\\n\ndef status_dropped(exc, context):\n    from rest_framework.response import Response\n    from rest_framework.views import exception_handler\n    answer = exception_handler(exc, context)\n    return Response(answer.data) if answer is not None else None'
# The stock's refusal raised as PermissionDenied (h957): a 403 whose body
# names the stock is said as the right refusal with the wrong status,
# where the row's advice repeated the rule the app kept.
expect_grade shop-viewsets ecommerce-api "a stock refusal answered 403 is told to answer it 400, a validation error" 70 \
	"order-out-of-stock order-quantity-validation" \
	"is out of stock.\"} (refused, as it should be, but with 403: SPEC.md asks for 400, a validation error (serializers.ValidationError), not PermissionDenied); expected 400" \
	store/serializers.py '/^    def validate(self, attrs):$/,/^        return attrs$/s/^            raise serializers.ValidationError($/            from rest_framework.exceptions import PermissionDenied\n            raise PermissionDenied(self._stock_message(product))\n            raise serializers.ValidationError(/'
# ...and in words of a product sold out (h1042: "This product is sold
# out.", told the rule it kept).
expect_grade shop-viewsets ecommerce-api "a sold-out refusal answered 403 is told to answer it 400" 70 \
	"order-out-of-stock order-quantity-validation" \
	"sold out.\"} (refused, as it should be, but with 403: SPEC.md asks for 400, a validation error (serializers.ValidationError), not PermissionDenied); expected 400" \
	store/serializers.py '/^    def validate(self, attrs):$/,/^        return attrs$/s/^            raise serializers.ValidationError($/            from rest_framework.exceptions import PermissionDenied\n            raise PermissionDenied("This product is sold out.")\n            raise serializers.ValidationError(/'
# A refused order saved all the same (the row written before the stock's
# ValidationError, outside the transaction, h940): the list's message
# says the order was answered 400 and saved, and how to keep it unsaved.
expect_grade shop-viewsets ecommerce-api "a refused order saved all the same is told it was answered 400 and saved" 80 \
	order-out-of-stock "his order was answered 400 and saved all the same: a refused order must not be saved (validate before save(), or raise inside the transaction" \
	store/serializers.py 's/^        if attrs\["quantity"\] > product.stock:$/&\n            Order.objects.create(user=self.context["request"].user, **attrs)/'
# An order answered without its quantity (write_only, h940): the message
# says to answer with the order as saved, and the quantity given (h1030:
# the product's stock answered as the quantity was told of write_only).
expect_grade shop-viewsets ecommerce-api "an order answered without its quantity is told to answer with it" 85 \
	order-create "the order's quantity was missing (no field quantity; it has id, product, product_name, created_at); expected 2 — answer the 201 with the order as saved, with the quantity it was given (not write_only, nor read from the product)" \
	store/serializers.py 's/^    quantity = serializers.IntegerField()$/    quantity = serializers.IntegerField(write_only=True)/'
# Settings given to settings.configure() as the settings module loads,
# the module keeping none of its own (h934: a one-file project, manage.py
# naming it): the overlay goes to the configured settings, which Django
# reads (it went to the module, and the boot failed on ROOT_URLCONF).
expect_grade shop-viewsets ecommerce-api "settings given to settings.configure() in the named module score 100" 100 "" "" \
	shopsite/settings.py '$a\\n_given = {k: v for k, v in list(globals().items()) if k.isupper()}\nfor _k in _given:\n    del globals()[_k]\nfrom django.conf import settings as _settings\n_settings.configure(**_given)'
# An order saved without its user (perform_create's save() left bare:
# NOT NULL, a 500), the stock checked before it: the stock checks'
# refusals are the stock's, and their controls' 500s are charged to
# order-create and orders-private alone, not to them too (h691, h709).
expect_grade shop-viewsets ecommerce-api "an order saved without its user costs the checks that need an order alone" 75 \
	"order-create orders-private order-whole-stock query-budget" "" \
	store/views.py 's/^        serializer.save(user=self.request.user)$/        serializer.save()/'
# A receiver of the app's own setting is_staff from another field on every
# save (h907: from a role), so the grader's staff is stored without it:
# staff's refusals say the app's save took the flag back, not that a
# permission check refuses a user with is_staff alone.
expect_grade shop-viewsets ecommerce-api "staff whose is_staff the app's own save takes back is told so" 15 \
	"products-list product-detail order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	"(staff is not staff: the grader set its is_staff, and the app's own save stored it False" \
	store/models.py '$a\\n\nfrom django.contrib.auth.models import User as _User\nfrom django.db.models.signals import pre_save as _pre_save\n\n\ndef _staff_from_role(sender, instance, **kwargs):\n    instance.is_staff = False\n\n\n_pre_save.connect(_staff_from_role, sender=_User)'
# A module imported inside a view, missing (h423: Jinja2 imported by the
# template backend at the first page): where is the view's line, not
# Python's import machinery ("<frozen importlib._bootstrap>:1142").
expect_grade shop-viewsets ecommerce-api "a module missing at a view's import is placed at the view, not importlib" 75 \
	"order-create orders-private order-whole-stock query-budget" \
	"(the app logged: ModuleNotFoundError: No module named 'grader_missing_xyz', at store/views.py:27)" \
	store/views.py 's/^    def perform_create(self, serializer):$/&\n        __import__("importlib").import_module("grader_missing_xyz")/'
# An exception of the app's own that its handler would answer, the handler
# named under a misspelt key (h1071: EXCEPTION_HANLDER, which DRF ignores):
# the 500 names the key DRF does not know.
expect_grade shop-viewsets ecommerce-api "an exception handler under a misspelt REST_FRAMEWORK key is named beside the 500" 75 \
	"order-create orders-private order-whole-stock query-budget" \
	"(an exception of the app's own, caught nowhere: *) (REST_FRAMEWORK's EXCEPTION_HANLDER: no DRF setting, misspelt?)" \
	shopsite/settings.py '$a\REST_FRAMEWORK["EXCEPTION_HANLDER"] = "store.views.OutOfStock"' \
	store/views.py 's/^    def perform_create(self, serializer):$/&\n        raise OutOfStock("none left")/' \
	store/views.py '$a\\n\nclass OutOfStock(Exception):\n    pass'
# A MySQL learner's requirements (h400): mysqlclient has no Linux wheel and
# its build needs MySQL's headers, while the grader's SQLite database never
# loads it; it is left out, and the project scores 100 (it was setup-failed).
# The report says what was left out and why (h408, h413), in JSON and text.
dest=$WORK/mysql-requirements
app shop-viewsets ecommerce-api "$dest"
{ grep -v '^#' "$ROOT/runtime/requirements.txt"; echo "mysqlclient==2.2.4"; } >"$dest/requirements.txt"
commit_all "$dest" >/dev/null
grade "$dest.json" "$dest" ecommerce-api --no-db
left=$(jget "$dest.json" "[(x['line'], x['why'][:35]) for x in r['environment']['left_out']]")
if [ "$rc" = 0 ] && [ "$(jget "$dest.json" "r['status'], r['score']")" = "graded 100" ] &&
	[ "$left" = "[('mysqlclient==2.2.4', \"only Django's MySQL backend uses it\")]" ]; then
	ok "a project whose requirements name mysqlclient is graded on SQLite without it, and told so"
else
	notok "a project whose requirements name mysqlclient is graded on SQLite without it, and told so" \
		"exit $rc: $(jget "$dest.json" "r['status'], r['score'], r.get('diagnosis')") left_out: $left"
fi
text=$("$GRADER" convert "$dest.json" --format text 2>&1)
if grep -q "^Not installed: mysqlclient==2.2.4 (only Django's MySQL backend uses it, and the grader gives the app its own SQLite database" <<<"$text"; then
	ok "the text report names the requirement line left out, and why"
else
	notok "the text report names the requirement line left out, and why" "$text"
fi
# A second alias in DATABASES (h406: a "replica", with or without a router
# sending reads to it): each alias gets its own database with Django's own
# tables, so its migrate's post_migrate finds django_content_type (the
# boot failed there, 0), and the project scores 100 with no router.
expect_grade shop-viewsets ecommerce-api "a second database alias is migrated with Django's own tables" 100 "" "" \
	shopsite/settings.py '$a\\nDATABASES["replica"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "replica.sqlite3"}'
# A read replica of the same database (its NAME, TEST's MIRROR) and a
# router reading from it, writing to the default and migrating the default
# alone: one database for both, as the project has (h588: each got a file
# of its own, the replica's without tables or rows, and the boot failed on
# "no such table: django_session").
expect_grade shop-viewsets ecommerce-api "a read replica of the default's own database shares its file" 100 "" "" \
	shopsite/settings.py '$a\\nDATABASES["replica"] = dict(DATABASES["default"], TEST={"MIRROR": "default"})\nDATABASE_ROUTERS = ["shopsite.settings.Replica"]' \
	shopsite/settings.py '$a\\nclass Replica:\n    def db_for_read(self, model, **hints):\n        return "replica"\n\n    def db_for_write(self, model, **hints):\n        return "default"\n\n    def allow_relation(self, obj1, obj2, **hints):\n        return True\n\n    def allow_migrate(self, db, app_label, model_name=None, **hints):\n        return db == "default"'
# An order serializer whose products are only the published ones, none
# being (h621): every order is refused with DRF's "Invalid pk "4" - object
# does not exist.", which the quantity check no longer takes for a
# refusal of the quantity (its product is in stock), nor out of stock,
# whose control, an order within the stock, is refused the same way
# (h709). The message quotes the refusal (h646).
expect_grade shop-viewsets ecommerce-api "an order refused for a product its queryset never finds costs the stock checks" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"alice orders 3 (more than the stock): POST /api/orders/ as alice answered 400; its 400 refuses every order alike*(the answer: {\"product\": [\"Invalid pk \\\"" \
	store/serializers.py 's/^    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())$/    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.filter(name__startswith="Published "))/'
# ...and a queryset of the products in stock, which refuses the one of
# stock 0 with the same words: its refusal is the stock's, and its
# control within the stock is taken.
expect_grade shop-viewsets ecommerce-api "an order refused for a sold-out product its queryset leaves out scores 100" 100 "" "" \
	store/serializers.py 's/^    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())$/    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.filter(stock__gt=0))/'
# Each order's stock taken twice (h632, h641: a signal decrementing
# again): order-create is lost; the whole-stock warning, which would tell
# a right comparison to change, is not measured, its setup reading 1 left
# where its order counts on 2.
expect_grade shop-viewsets ecommerce-api "stock taken twice costs order-create, and the whole-stock warning is not measured" 85 \
	"order-create order-whole-stock" \
	"not measured: its setup failed (the stock left after that order)*the product's stock was 1*expected at least 2" \
	store/serializers.py 's/^                stock=F("stock") - quantity$/                stock=F("stock") - 2 * quantity/'
# Orders answered 202 Accepted (h633): order-create asks for 201 and is
# lost; orders-private, which only needs orders made, is not lost too.
# The message says the fix, not only the number (h640), a hand-written
# DRF view's too (h816).
expect_grade shop-viewsets ecommerce-api "orders answered 202 cost order-create alone, the fix said" 85 \
	"order-create order-whole-stock query-budget" "(answer a create with 201 Created, not 202: DRF's CreateModelMixin and generic CreateAPIView do, or Response(data, status=201); Django Ninja, return 201, obj; a plain view, JsonResponse(data, status=201)); expected 201" \
	store/views.py 's/^    serializer_class = OrderSerializer$/&\n\n    def create(self, request, *args, **kwargs):\n        response = super().create(request, *args, **kwargs)\n        response.status_code = 202\n        return response\n/'
# CSRF_USE_SESSIONS, and an order view behind a plain Django view (so
# CsrfViewMiddleware checks it) that lets anyone order (h403): the
# anonymous order carries a token the session of no user holds, reaches
# the view and fails there; it passed on CSRF's 403 alone.
expect_grade shop-viewsets ecommerce-api "with CSRF_USE_SESSIONS an anonymous order reaches the view, not CSRF's 403" 90 \
	order-auth-required "POST /api/orders/ as anonymous answered 500" \
	shopsite/settings.py '$a\\nCSRF_USE_SESSIONS = True' \
	store/views.py 's/^    permission_classes = \[permissions.IsAuthenticated, IsOrderOwner\]$/    permission_classes = [permissions.AllowAny]/' \
	shopsite/urls.py 's/^    path("api\/", include("store.urls")),$/    path("api\/orders\/", orders),\n&/' \
	shopsite/urls.py 's/^urlpatterns = \[$/from store.views import OrderViewSet\n\n_orders = OrderViewSet.as_view({"get": "list", "post": "create"})\n\n\ndef orders(request):\n    return _orders(request)\n\n\n&/'
# A status change the view refuses by a rule of its own, said in a flash
# message on staff's next page (h1274: a workflow's clean() refusing open
# -> pending, redirecting back): the message quotes it, where it said to
# save the status.
expect_grade helpdesk-cbv ticket-system "a status change refused in a flash message on staff's page is told so" 90 \
	"status-update-staff status-csrf" \
	"— staff's next page says \"That is not a valid status.\": the view refused status=pending | " \
	support/forms.py 's/^        fields = \["status"\]$/&\n\n    def clean_status(self):\n        if self.cleaned_data["status"] == "pending" and self.instance.status == "open":\n            raise forms.ValidationError("No.")\n        return self.cleaned_data["status"]/'
# A status view that writes a history line and never saves the ticket,
# the line shown between "Status: Open" and the timeline's first line,
# "Opened as Open" (h487: a timeline newest first, or above the badge): the
# page says the same status once before and after, which the word-for-word
# read took for a change, the new line breaking the old text's run.
# (status-csrf is not measured: staff's own post saved nothing, h1177.)
expect_grade helpdesk-cbv ticket-system "a history line inside an unchanged status text costs status-update-staff" 90 \
	"status-update-staff status-csrf" \
	"her page says \"Status: Open\", as it said \"Status: Open\" before (a line added beside it is no change; staff's POST /tickets/*/status/ status=pending answered 302*) — save the status staff post and show it in place of the old one" \
	support/views.py 's/^            form.save()$/            self.object.description += " Staff changed the status to Pending."\n            Ticket.objects.filter(pk=self.object.pk).update(description=self.object.description)/' \
	support/templates/support/ticket_detail.html 's#^    · raised by .*$#&\n  </p>\n  <div class="history">{{ ticket.description }}</div>\n  <p class="opened">Opened as Open#' \
	support/templates/support/ticket_detail.html '/^  <div class="description">/d'
# ...and that rule with no check of who asks (h1218: django-fsm's
# transitions): alice's resolved is refused with a 400, her pending then
# saved, and the message says so, not only that the 400 is no refusal.
expect_grade helpdesk-cbv ticket-system "a workflow's 400 with no check of who asks is told her pending was saved" 90 \
	"status-update-forbidden" \
	"— her page still stated its old status, but her status=pending then changed it: a rule of which moves are allowed refused resolved, and nothing checks who asks; refuse anyone but staff (403) first" \
	support/views.py 's/^from django.contrib import messages$/&\nfrom django.http import HttpResponseBadRequest/' \
	support/views.py 's/^class TicketStatusUpdateView(StaffRequiredMixin, SingleObjectMixin, View):$/class TicketStatusUpdateView(LoginRequiredMixin, SingleObjectMixin, View):/' \
	support/views.py 's/^        self.object = self.get_object()$/&\n        if self.object.status == "open" and request.POST.get("status") == "resolved":\n            return HttpResponseBadRequest("Move it to pending first.")/'
# Steps whose class current stays on the first, Open, while the bold
# follows the status (h1222, h1241: forloop.first for the marker): after
# staff's change the page marks Open current and Pending in bold, and
# status-update-staff is charged, as SPEC.md says of a page marking
# another status than Pending current.
expect_grade helpdesk-cbv ticket-system "steps marking Open current after staff's change, Pending in bold, cost status-update-staff" 90 \
	"status-update-staff" \
	"her page still marks \"open\" as the current status (class current, active or selected, or aria-current), as before, and sets Pending in bold*— mark the status the ticket has (class current, active or selected, or aria-current, on its own word)" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">{{ ticket.get_status_display }}</span>$#    <ol class="steps"><li class="step current">{% if ticket.status == "open" %}<strong>Open</strong>{% else %}Open{% endif %}</li><li class="step">{% if ticket.status == "pending" %}<strong>Pending</strong>{% else %}Pending{% endif %}</li><li class="step">{% if ticket.status == "resolved" %}<strong>Resolved</strong>{% else %}Resolved{% endif %}</li></ol>#'
# ...and a dashboard hiding resolved tickets whose status view's flash
# names the ticket (h1246: "Status of “X” changed to Resolved", shown on
# the dashboard where the post's redirect was not followed): charged.
expect_grade helpdesk-cbv ticket-system "a dashboard hiding resolved tickets is charged though the status flash names the ticket" 90 \
	"dashboard-staff-only" \
	"older and resolved by staff*resolved ones too" \
	support/views.py 's/^            messages.success(request, f"Ticket #{self.object.pk} was updated.")$/            messages.success(request, f"Status of {self.object.title} changed to {self.object.get_status_display()}.")/' \
	support/views.py 's/^        status = self.request.GET.get("status")$/        qs = qs.exclude(status="resolved")\n&/'
# A ticket's page that states no status of its own (a typo in its
# expression) and shows a history of changes (h1260: "Open → Pending by
# staff" added below): ticket-create is charged the missing status, and
# status-update-staff the change stated nowhere but in the history.
expect_grade helpdesk-cbv ticket-system "a page stating no status but a history of changes costs status-update-staff too" 75 \
	"ticket-create status-update-staff" \
	"it stated no status before staff's change, and after it the first it names is \"open\", in a line added (a history), not the status in its place" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">{{ ticket.get_status_display }}</span>$#    Status: <span class="badge">{{ ticket.status_label }}</span>#' \
	support/views.py 's/^            form.save()$/            old = Ticket.objects.get(pk=self.object.pk).get_status_display()\n            form.save()\n            Ticket.objects.filter(pk=self.object.pk).update(description=self.object.description + " " + old + " → " + self.object.get_status_display() + " by staff")/'
# Tickets addressed by a code of capitals alone (h1222: a random code
# that drew no digit, one run in a few, failed three checks more than
# ticket-create, which charges an address that is not the key): here
# every code, REF and the key's digits written as letters.
expect_grade helpdesk-cbv ticket-system "tickets addressed by a code of capitals alone cost ticket-create alone" 85 \
	"ticket-create" \
	"" \
	support/urls.py 's/^from django.urls import path$/from django.urls import path, register_converter\n\n\nclass LetterCode:\n    regex = "REF[A-J]+"\n\n    def to_python(self, value):\n        return int("".join(str(ord(c) - 65) for c in value[3:]))\n\n    def to_url(self, value):\n        return "REF" + "".join(chr(65 + int(d)) for d in str(value))\n\n\nregister_converter(LetterCode, "code")/' \
	support/urls.py 's/<int:pk>/<code:pk>/g'
# A status view allowing open -> pending -> resolved alone (h1218:
# django-fsm's transitions, open -> resolved answered 400) and a dashboard
# hiding resolved tickets: staff move her ticket through Pending, and the
# dashboard is charged.
expect_grade helpdesk-cbv ticket-system "a dashboard hiding resolved tickets is charged where open -> resolved is refused" 90 \
	"dashboard-staff-only" \
	"older and resolved by staff*resolved ones too" \
	support/views.py 's/^from django.contrib import messages$/&\nfrom django.http import HttpResponseBadRequest/' \
	support/views.py 's/^        self.object = self.get_object()$/&\n        if self.object.status == "open" and request.POST.get("status") == "resolved":\n            return HttpResponseBadRequest("Move it to pending first.")/' \
	support/views.py 's/^        status = self.request.GET.get("status")$/        qs = qs.exclude(status="resolved")\n&/'
# The status as a badge written right after the title, no space between
# (h731: "{{ ticket.title }}<span class="badge ms-2">Open</span>", read
# "...4ef43b39Open", no status word): a box of its own, its own word.
expect_grade helpdesk-cbv ticket-system "a status badge written against the title, no space between, is read" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^  <h1>{{ ticket.title }}</h1>$#  <h1>{{ ticket.title }}<span class="badge ms-2">{{ ticket.get_status_display }}</span></h1>#' \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">{{ ticket.get_status_display }}</span>$#    Raised#'
# A method printed uncalled where the status was meant (h647: Jinja2's
# {{ ticket.get_status_display }} writes "<bound method ...>", as this
# page does by hand): the message says so, and the call.
expect_grade helpdesk-cbv ticket-system "a method printed uncalled in the place of the status is said so" 75 \
	"ticket-create status-update-staff status-csrf" \
	"(the page shows \"<bound method ...>\": a method written without its call; in a Jinja2 template call it, get_status_display())" \
	support/templates/support/ticket_detail.html 's#{{ ticket.get_status_display }}#\&lt;bound method Model._get_FIELD_display of \&lt;Ticket: {{ ticket.pk }}\&gt;\&gt;#'
# ...and the method named as the page names it (h724: {{ form.as_p }} on a
# Jinja2 login page was told to call get_status_display()).
expect_grade helpdesk-cbv ticket-system "a form method printed uncalled on the login page is named with its call" 90 \
	login-page \
	"(the page shows \"<bound method ...>\": a method written without its call; in a Jinja2 template call it, as_p())" \
	templates/registration/login.html 's#{{ form.as_p }}#\&lt;bound method BaseForm.as_p of \&lt;AuthenticationForm bound=False\&gt;\&gt;#'
# A new-ticket form requiring a category no table filled (h1038): every
# ticket refused; the dashboard's message says so first, where staff's
# status post between the refusals and the read had hidden it ("the
# dashboard must list every user's tickets" alone), with the refusal's
# cause (h1045: the empty table told on the create's step alone).
expect_grade helpdesk-cbv ticket-system "a form refusing every ticket is said first on the dashboard too" 25 \
	"ticket-create tickets-list-own-only ticket-detail-private dashboard-staff-only status-update-staff status-update-forbidden status-csrf query-budget" \
	'staff opens the dashboard: after POST /tickets/new/ as bob answered 200 with the form'"'"'s errors {"category": ["This field is required."]} (category had no choice: a new database is empty; add its choices in a migration), GET /dashboard/ as staff answered 200' \
	support/forms.py 's/^class TicketForm(forms.ModelForm):$/&\n    from django.contrib.auth.models import Group\n    category = forms.ModelChoiceField(queryset=Group.objects.all())\n/'
# A status shown as another form of its word ("Opened", h1044): quoted
# where the page says it, with the whole word asked for, where the
# message said the page stated no status.
expect_grade helpdesk-cbv ticket-system "a status shown as Opened is quoted, the whole word asked for" 85 \
	ticket-create 'the status word its page states was "*Opened*"; expected Open, Pending or Resolved, a whole word — show the status as the word Open' \
	support/templates/support/ticket_detail.html 's|<span class="badge">{{ ticket.get_status_display }}</span>|<span class="badge">{% if ticket.status == "open" %}Opened{% else %}{{ ticket.get_status_display }}{% endif %}</span>|'
# A refused sign-in sent back to the login page with a query of its own
# (h1032: ?error=1): said as the form not shown again, not as the login
# page asking to sign in, which a login-required middleware's ?next= is.
expect_grade helpdesk-cbv ticket-system "a refused sign-in redirected back to the login page is not told of a login-required middleware" 90 \
	login-page "answered 302 to /accounts/login/?error=1 (back to the page posted to" \
	helpdesk/urls.py 's|^    path("accounts/", include("django.contrib.auth.urls")),$|    path("accounts/login/", type("L", (LoginView,), {"form_invalid": lambda self, form: HttpResponseRedirect("/accounts/login/?error=1")}).as_view()),\n&|' \
	helpdesk/urls.py 's|^from django.contrib import admin$|&\nfrom django.contrib.auth.views import LoginView\nfrom django.http import HttpResponseRedirect|'
# A ticket's page that answers /tickets/7/, once it has checked who asks,
# with a 301 to its canonical address beneath it, /tickets/7/tck-0007/
# (h600: the Stack Overflow pattern of an id and a slug): the same page,
# followed where a check asks for the page (200), and still a refusal
# for bob (404 after the redirect) and a redirect for anonymous.
expect_grade helpdesk-cbv ticket-system "a ticket page redirecting to its canonical address beneath it costs nothing" 100 "" "" \
	support/urls.py 's|^    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),$|&\n    path("tickets/<int:pk>/<slug:ref>/", views.TicketDetailView.as_view(), name="ticket-canonical"),|' \
	support/views.py '/^class TicketDetailView/,/^    context_object_name = "ticket"$/s/^    context_object_name = "ticket"$/&\n\n    def get(self, request, *args, **kwargs):\n        if "ref" not in kwargs:\n            pk = self.get_object().pk\n            return redirect("support:ticket-canonical", pk=pk, ref="tck-%04d" % pk, permanent=True)\n        return super().get(request, *args, **kwargs)/'
# ...and a form that redirects straight to that address (h627): the checks
# that need the ticket take its page as /tickets/{id}/, and post its status
# there; they took the whole address, and lost three more checks.
expect_grade helpdesk-cbv ticket-system "a create form redirecting to the ticket's address with a slug costs ticket-create alone" 85 \
	ticket-create 'redirect location was "/tickets/*/tck-*/"; expected /tickets/{id}/ itself, not an address beneath it — redirect to the ticket'"'"'s page itself, /tickets/{id}/ (SPEC.md); that page may redirect on to its address with more after it' \
	support/urls.py 's|^    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),$|&\n    path("tickets/<int:pk>/<slug:ref>/", views.TicketDetailView.as_view(), name="ticket-canonical"),|' \
	support/views.py 's|        response = super().form_valid(form)  # success_url -> get_absolute_url()|        self.success_url = "/tickets/{id}/tck-{id}/"\n        response = super().form_valid(form)|'
# ...and one redirecting to a short address of its own that redirects to
# the ticket's page (h649: /t/<uuid>/ for e-mails): the checks that need
# the ticket take the page the chain ends on; they lost 35 more points.
# (status-csrf, advisory, is not measured: its form is the one it raised.)
expect_grade helpdesk-cbv ticket-system "a create form redirecting through another address to the ticket's page costs ticket-create alone" 85 \
	"ticket-create status-csrf" "redirect location was \"/t/" \
	support/urls.py 's|^    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),$|&\n    path("t/<int:pk>/", RedirectView.as_view(pattern_name="support:ticket-detail")),|; s|^from django.urls import path$|&\nfrom django.views.generic import RedirectView|' \
	support/views.py 's|        response = super().form_valid(form)  # success_url -> get_absolute_url()|        self.success_url = "/t/{id}/"\n        response = super().form_valid(form)|'
# ...and one redirecting to the list, whose rows are made clickable by a
# script (data-href and onclick, h687: told only that the list is no
# ticket's page): the messages say a link is needed.
expect_grade helpdesk-cbv ticket-system "a create form redirecting to a list of script-clickable rows is told to link them" 50 \
	"ticket-create ticket-detail-private status-update-staff status-update-forbidden status-csrf" \
	"a row made clickable by a script is not followed" \
	support/views.py 's|        response = super().form_valid(form)  # success_url -> get_absolute_url()|        self.success_url = "/tickets/"\n        response = super().form_valid(form)|' \
	support/templates/support/ticket_list.html 's#<td><a href="{{ ticket.get_absolute_url }}">{{ ticket.title }}</a></td>#<td>{{ ticket.title }}</td>#; s#^          <tr>$#          <tr data-href="{{ ticket.get_absolute_url }}" onclick="location = this.dataset.href">#'
# A list that redirects to itself with its default filter, /tickets/ to
# /tickets/?status=all (h693: 20 lost, csrf-enforced on its own reading
# of the list): followed, as a browser does.
expect_grade helpdesk-cbv ticket-system "a list redirecting to itself with a default filter scores 100" 100 "" "" \
	support/views.py 's/^    context_object_name = "tickets"$/&\n\n    def get(self, request, *args, **kwargs):\n        if not request.GET:\n            return redirect(request.path + "?status=all")\n        return super().get(request, *args, **kwargs)/'
# The same two redirects made before anyone is asked to sign in (h770):
# /tickets/7/ to /tickets/7/tck-7/ for every visitor, and /tickets/ to
# /tickets/?status=all, each page then sending the anonymous visitor to
# the login page. The refusal is the longer address's, as a browser
# shows it: ticket-detail-private and tickets-login-required were judged
# on the first hop, a redirect elsewhere than the login page.
expect_grade helpdesk-cbv ticket-system "a ticket page redirecting to its longer address before the login check scores 100" 100 "" "" \
	support/urls.py 's|^    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket-detail"),$|    path("tickets/<int:pk>/", RedirectView.as_view(url="/tickets/%(pk)s/tck-%(pk)s/"), name="ticket-detail"),|; s|^    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),$|&\n    path("tickets/<int:pk>/<slug:ref>/", views.TicketDetailView.as_view(), name="ticket-canonical"),|; s|^from django.urls import path$|&\nfrom django.views.generic import RedirectView|'
expect_grade helpdesk-cbv ticket-system "a list redirecting to its default filter before the login check scores 100" 100 "" "" \
	support/views.py '/^class TicketListView/,/^    context_object_name = "tickets"$/s/^    context_object_name = "tickets"$/&\n\n    def dispatch(self, request, *args, **kwargs):\n        if not request.GET:\n            return redirect(request.path + "?status=all")\n        return super().dispatch(request, *args, **kwargs)/'
# A ticket list kept in the cache for five minutes (cache_page, h651): the
# list opened before her new ticket is served again without it, and its
# ?page=1, another key, holds it; said as a cached page, with its
# Cache-Control, not as a filter of the bare list, and first (h1020,
# h1026: the cause came last, after "found at ...").
expect_grade helpdesk-cbv ticket-system "a cached ticket list is said as a cached page" 85 \
	tickets-list-own-only "answered 200 (the bare list looks cached, Cache-Control: max-age=300: /tickets/?page=1, which the cache keeps apart, shows it; do not cache the list, or clear the cache when its rows change)" \
	support/views.py 's/^class TicketListView(LoginRequiredMixin, ListView):$/@method_decorator(cache_page(300), name="get")\n&/; s/^from django.views import View$/&\nfrom django.utils.decorators import method_decorator\nfrom django.views.decorators.cache import cache_page/'
# ...and a dashboard so (h1069, h1087): query-budget, whose first page
# shows none of its rows, is not measured, and says the copy kept, not
# whether the page lists tickets or in which order.
expect_grade helpdesk-cbv ticket-system "a cached dashboard's unmeasured query budget says the copy, not the order" 90 \
	"dashboard-staff-only query-budget" "not measured: the page it measures gave it nothing to measure (staff opens the dashboard): GET /dashboard/ as staff answered 200 (the answer came with Cache-Control: max-age=300: a copy kept from before the change? clear the cache when its rows change); its first page lists none of the 5 tickets made to measure it, by their whole titles (Load 1 to 5)" \
	support/views.py 's/^class DashboardView(StaffRequiredMixin, ListView):$/@method_decorator(cache_page(300), name="get")\n&/; s/^from django.views import View$/&\nfrom django.utils.decorators import method_decorator\nfrom django.views.decorators.cache import cache_page/'
f=$WORK/helpdesk-cbv-$(echo "a cached dashboard's unmeasured query budget says the copy, not the order" | tr -c 'a-z0-9' '-' | cut -c1-40).json
got=$(jget "$f" "next(c['message'] for c in r['checks'] if c['id'] == 'query-budget')")
case $got in
*"by their whole titles (Load 1 to 5)") ok "a cached page's skip drops the advice on what the page should list" ;;
*) notok "a cached page's skip drops the advice on what the page should list" "$got" ;;
esac
# A backend of permissions alone before ModelBackend (Django's docs'
# example, h628): its get_user, BaseBackend's, answers None, and the
# sessions the grader signed in with it were anonymous on every request;
# they are signed in with the first backend that loads the user back.
expect_grade helpdesk-cbv ticket-system "a backend of permissions alone listed first keeps the users signed in" 100 "" "" \
	helpdesk/settings.py '$a\\n\nclass StaffPermissions:\n    """BaseBackend'"'"'s methods, as a settings module can hold them."""\n\n    def authenticate(self, request, **credentials):\n        return None\n\n    def get_user(self, user_id):\n        return None\n\n    def has_perm(self, user_obj, perm, obj=None):\n        return False\n\n\nAUTHENTICATION_BACKENDS = ["helpdesk.settings.StaffPermissions", "django.contrib.auth.backends.ModelBackend"]'
# The status in a badge of no word before it, and a history of the
# ticket's statuses under a heading "Status" (h619: "Status Open" before,
# "Status Open → Pending" after, the badge Open then Pending): the page
# said "Status: Open" before and after, but its status words did not stay
# as they were with a line added (the badge's Open went): a change.
expect_grade helpdesk-cbv ticket-system "a history under a heading Status beside a badge that changed costs nothing" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">{{ ticket.get_status_display }}</span>$#    <span class="badge">{{ ticket.get_status_display }}</span>#' \
	support/templates/support/ticket_detail.html 's#^  <div class="description">.*$#&\n  <h2>Status</h2>\n  <p>Open{% if ticket.status != "open" %} → {{ ticket.get_status_display }}{% endif %}</p>#'
# ...and a history whose first line says "status: Open", a line added for
# each change ("staff: Open → Pending"), the badge above it changed (h624:
# the words of before, "open open", were all still there after, in their
# order, and the page was read as unchanged; what it said around them,
# the badge's Open, was not).
expect_grade helpdesk-cbv ticket-system "a history whose first line says status: Open beside a badge that changed costs nothing" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">{{ ticket.get_status_display }}</span>$#    <span class="badge">{{ ticket.get_status_display }}</span>#' \
	support/templates/support/ticket_detail.html 's#^  <div class="description">.*$#&\n  <ol class="history"><li>raised by {{ ticket.owner.username }}, status: Open</li>{% if ticket.status != "open" %}<li>staff: Open → {{ ticket.get_status_display }}</li>{% endif %}</ol>#'
# ...and a history below "Status: Pending" that shows each change with the
# badge's own element, "changed the status: [Open] -> [Pending]" (h623:
# the old badge's words and classes were found there word for word, and
# "Status: Pending" said first did not count as a change).
expect_grade helpdesk-cbv ticket-system "a history reusing the status badge below a changed status costs nothing" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^  <div class="description">.*$#&\n  {% if ticket.status != "open" %}<p>staff changed the status: <span class="badge">Open</span> → <span class="badge">{{ ticket.get_status_display }}</span></p>{% endif %}#'
# The status in an element of no class, and a history line naming the old
# status once it changed (h519: "changed the status from open to
# pending"): the lone word "open" of before was found in the after, and a
# saved change was read as unchanged. "Status: Open" said, then "Status:
# Pending": a change.
expect_grade helpdesk-cbv ticket-system "a history line naming the old status beside the new one costs nothing" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">{{ ticket.get_status_display }}</span>$#    Status: <strong>{{ ticket.get_status_display }}</strong>#' \
	support/templates/support/ticket_detail.html 's#^  <div class="description">.*$#&\n  {% if ticket.status != "open" %}<p>staff changed the status from open to {{ ticket.get_status_display }}</p>{% endif %}#'
# A German label glossing the status in brackets, "Offen (Open)" becoming
# "In Bearbeitung (Pending)" in its place, a history line below naming
# both (h892: the first status's other words, "offen", were not there
# after, and the old label found in the history read as kept: 10 points).
expect_grade helpdesk-cbv ticket-system "a translated status label glossed in English, changed in place above a history, costs nothing" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">{{ ticket.get_status_display }}</span>$#    Status: <span>{% if ticket.status == "open" %}Offen (Open){% elif ticket.status == "pending" %}In Bearbeitung (Pending){% else %}Erledigt (Resolved){% endif %}</span>#' \
	support/templates/support/ticket_detail.html 's#^  <div class="description">.*$#&\n  {% if ticket.status != "open" %}<p>staff hat den Status von „Offen (Open)“ auf „In Bearbeitung (Pending)“ geändert</p>{% endif %}#'
# Staff's status form of three buttons named status, the current one
# disabled (h897): sent as staff's browser sends it, Resolved pressed,
# it works, and status-csrf passes; the same form missing a hidden field
# its view dispatches on (h905: 400) is warned about.
expect_grade helpdesk-cbv ticket-system "a status form of buttons named status, sent as the page wrote it, costs nothing" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^      {{ status_form.as_p }}$#      {% for value, label in status_form.fields.status.choices %}<button type="submit" name="status" value="{{ value }}"{% if value == ticket.status %} disabled{% endif %}>{{ label }}</button>{% endfor %}#'
# ...and a ticket's page without a status form, staff changing statuses
# elsewhere (h872): nothing more to send, and status-csrf keeps its pass
# (it was skipped as if its setup had failed).
expect_grade helpdesk-cbv ticket-system "a ticket page without a status form keeps status-csrf's pass" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^  {% if status_form %}$#  {% if False %}#'
expect_grade helpdesk-cbv ticket-system "a status form whose own post the view refuses (400) is warned about" 100 "status-csrf" \
	"staff set it to resolved with the page's own status form: POST /tickets/*/status/ as staff answered 400*staff's own status form must work as their browser sends it" \
	support/templates/support/ticket_detail.html 's#^      {{ status_form.as_p }}$#      <input type="hidden" name="via" value="page">{{ status_form.as_p }}#' \
	support/views.py 's/^    http_method_names = \["post"\]$/&\n\n    def dispatch(self, request, *args, **kwargs):\n        from django.http import HttpResponseBadRequest\n        if request.POST.get("via") == "page":\n            return HttpResponseBadRequest("page posts are not taken")\n        return super().dispatch(request, *args, **kwargs)/'
# One session per user: a sign-in ends the user's other sessions (a
# user_logged_in receiver deleting them, h681): login-page's own sign-in
# as alice ended the session the grader held for her, and every check of
# hers after it was sent to the login page; that session is minted again
# after such a check.
expect_grade helpdesk-cbv ticket-system "an app keeping one session per user scores 100" 100 "" "" \
	support/models.py '$a\\n\nfrom django.contrib.auth.signals import user_logged_in\nfrom django.contrib.sessions.models import Session\n\n\ndef _one_session(sender, request, user, **kwargs):\n    for s in Session.objects.exclude(session_key=request.session.session_key):\n        if s.get_decoded().get("_auth_user_id") == str(user.pk):\n            s.delete()\n\n\nuser_logged_in.connect(_one_session)'
# A banner above every page, "The support desk is open Monday to
# Friday." (h699: its "open" read as the ticket's first status, which
# stayed, while "Status: Open" became "Status: Pending" below it).
expect_grade helpdesk-cbv ticket-system "a banner saying the desk is open above a status that changed costs nothing" 100 "" "" \
	templates/base.html 's#^<body>$#&\n  <p class="banner">The support desk is open Monday to Friday.</p>#'
# Pages that answer JSON unless a browser's Accept asks for HTML (DRF's
# JSONRenderer listed before TemplateHTMLRenderer, h701: the grader sent
# curl's */*, got JSON, and six checks found no form): asked for as a
# browser asks.
expect_grade helpdesk-cbv ticket-system "pages negotiated by Accept are asked for as a browser asks" 100 "" "" \
	support/views.py 's/^    form_class = TicketForm$/&\n\n    def get(self, request, *args, **kwargs):\n        if "text\/html" not in request.headers.get("Accept", ""):\n            from django.http import JsonResponse\n            return JsonResponse({"fields": ["title", "description"]})\n        return super().get(request, *args, **kwargs)/'
# A sidebar of her other tickets, each with its badge, above her ticket's
# own badge, no "Status:" before it (h619: the sidebar's first "Open"
# stayed, and a badge that changed in place was read as a line added):
# no line was added, so the status changed.
expect_grade helpdesk-cbv ticket-system "a sidebar of other tickets' badges above a badge that changed costs nothing" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">{{ ticket.get_status_display }}</span>$#    <span class="badge">{{ ticket.get_status_display }}</span>#' \
	support/templates/support/ticket_detail.html 's#^  <h1>{{ ticket.title }}</h1>$#  <aside><h2>Your other tickets</h2><ul><li>Paper jam <span class="badge">Open</span></li><li>Toner <span class="badge">Open</span></li></ul></aside>\n&#'
# An app printing megabytes (a console e-mail per request, h699) past
# its log's cap, then a 500 on the status change: the exception is quoted,
# where the log's tail was written only when the app ended and the mark
# taken before the request found nothing after it.
expect_grade helpdesk-cbv ticket-system "a 500 after megabytes of output still quotes its exception" 90 "status-update-staff status-csrf" \
	"answered 500, a server error (the app logged: RuntimeError: the status mailer broke" \
	support/views.py 's/^            form.save()$/            print("mail " * 400000)\n            raise RuntimeError("the status mailer broke")/'
# The status in a badge by the title, no word before it, its class the
# status's, and a history line below in badges of those classes once it
# changed ("changed the status from [Open] to [Pending]", h677: the old
# badge's words and classes were found in the history, and a saved change
# was read as unchanged): the first status changed in its place.
expect_grade helpdesk-cbv ticket-system "a badge by the title changed, a history in badges of its classes below, costs nothing" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">{{ ticket.get_status_display }}</span>$#    <span class="badge badge-{{ ticket.status }}">{{ ticket.get_status_display }}</span>#' \
	support/templates/support/ticket_detail.html 's#^  <div class="description">.*$#&\n  {% if ticket.status != "open" %}<p class="history">staff changed the status from <span class="badge badge-open">Open</span> to <span class="badge badge-{{ ticket.status }}">{{ ticket.get_status_display }}</span></p>{% endif %}#'
# A status view that writes the change into the description and never
# saves the status, the description shown above "Status: Open" ("Status:
# Pending (changed from Open by staff)" first, h677: the first thing said
# was Pending, and the page passed): its last status stays where and as
# it was.
expect_grade helpdesk-cbv ticket-system "a line saying Pending above a status that stayed Open costs status-update-staff" 90 \
	status-update-staff \
	"Pending was added, but the old status text stays word for word (\"Open\", same classes and aria-current; staff's POST /tickets/*/status/ status=pending answered *) — save the status and show it in place of the old one" \
	support/views.py 's/^            form.save()$/            self.object.description += " Status: Pending (changed from Open by staff)"\n            Ticket.objects.filter(pk=self.object.pk).update(description=self.object.description)/' \
	support/templates/support/ticket_detail.html '/^  <div class="description">/d' \
	support/templates/support/ticket_detail.html 's#^  <h1>{{ ticket.title }}</h1>$#&\n  <div class="description">{{ ticket.description|linebreaks }}</div>#'
# ...and one whose history below the badge, no word before it, marks
# its new line, "Open -> Pending by staff", as the current one (h683: the
# class moved off the first line, "Opened as Open", and the page was read
# as changed): its first status stays Open in its place. Staff's own
# status form then adds the same line again and saves nothing either,
# which the status-csrf warning says (0 points).
expect_grade helpdesk-cbv ticket-system "a history line marked current below a status that stayed Open costs status-update-staff" 90 \
	"status-update-staff status-csrf" \
	"its status reads \"Open\" where it did (\"Open Opened as Open\"), a line beside it added" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">{{ ticket.get_status_display }}</span>$#    <span class="badge">{{ ticket.get_status_display }}</span>#' \
	support/views.py 's/^            form.save()$/            self.object.description += " Pending"\n            Ticket.objects.filter(pk=self.object.pk).update(description=self.object.description)/' \
	support/templates/support/ticket_detail.html 's#^  <div class="description">.*$#  <ol class="history"><li{% if "Pending" not in ticket.description %} class="current"{% endif %}>Opened as Open</li>{% if "Pending" in ticket.description %}<li class="current">Open → Pending by staff</li>{% endif %}</ol>#'
# A ticket's page whose title is only in an attribute (h529: an
# unrendered component's <c-card title="...">): the page is found where
# the create redirected, by its description, and costs ticket-create
# alone, which asks for the title (h970: three more checks were lost).
expect_grade helpdesk-cbv ticket-system "a ticket page without its title in its text costs ticket-create alone" 85 \
	"ticket-create" \
	"alice opens her new ticket: GET /tickets/*/ as alice answered 200; page text was*expected contains \"Printer *\" — the ticket's page shows its title in its text (SPEC.md)" \
	support/templates/support/ticket_detail.html 's#^  <h1>{{ ticket.title }}</h1>$#  <h1 data-title="{{ ticket.title }}">Ticket</h1>#'
# A status change served by a DRF view taking tokens alone, beside the
# pages (h534): the users of a challenge of pages bring their session
# cookie, never a token, so staff's change is refused and the message
# says the session was; before, the grader signed everyone in with a
# token and the change passed.
expect_grade helpdesk-cbv ticket-system "a status change of DRF's taking tokens alone refuses staff's session" 90 \
	"status-update-staff status-csrf" \
	"(401 is \"not signed in\": staff's session, the one sign-in SPEC.md's users bring, was refused; or is 403 meant?)" \
	helpdesk/settings.py "s/^    'support.apps.SupportConfig',$/&\n    'rest_framework',\n    'rest_framework.authtoken',/" \
	support/views.py '$a\\n\nfrom rest_framework.authentication import TokenAuthentication as _Token\nfrom rest_framework.permissions import IsAdminUser as _Staff\nfrom rest_framework.views import APIView as _API\n\n\nclass StatusAPI(_API):\n    authentication_classes = [_Token]\n    permission_classes = [_Staff]\n\n    def post(self, request, pk):\n        ticket = Ticket.objects.get(pk=pk)\n        ticket.status = request.data.get("status")\n        ticket.save()\n        return redirect(ticket)' \
	support/urls.py 's/views.TicketStatusUpdateView.as_view()/views.StatusAPI.as_view()/'
if [ "$(jget "$WORK/helpdesk-cbv-a-status-change-of-----s-taking-tokens-a.json" "r['auth']")" = session ]; then
	ok "a challenge of pages says it signed in with the session, an API of tokens beside them"
else
	notok "a challenge of pages says it signed in with the session, an API of tokens beside them" \
		"$(jget "$WORK/helpdesk-cbv-a-status-change-of-----s-taking-tokens-a.json" "r['auth']")"
fi
# A required file on the new-ticket form, whose <form> has no enctype
# (h506): a browser sends no file, the app says "This field is required."
# and the message says why, where it said the error alone.
expect_grade helpdesk-cbv ticket-system "a required file in a form without enctype is said so" 25 \
	"ticket-create tickets-list-own-only ticket-detail-private dashboard-staff-only status-update-staff status-update-forbidden status-csrf query-budget" \
	"(the form has no enctype=\"multipart/form-data\", so no file comes for 'attachment'); expected 302" \
	support/forms.py 's/^class TicketForm(forms.ModelForm):$/&\n    attachment = forms.FileField()/'
# Steps whose marker sits one status ahead of the ticket's (h497): Pending
# marked while the ticket is Open, Resolved once staff set it to Pending.
# ticket-create sees Open unmarked; status-update-staff passed on the
# page's change (the marker moved), never reading where it moved to.
# ticket-create says the word it marks (h550: "is not Open" alone).
expect_grade helpdesk-cbv ticket-system "steps marking a status other than the saved one cost status-update-staff" 75 \
	"ticket-create status-update-staff" \
	"marks as the current one (a class current or active, or aria-current, on it alone) was \"pending\"; expected Open — a new ticket's status is Open*her page marks \"resolved\" as the current status (it marked \"pending\" before), not Pending — mark the status the ticket has" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">.*$#  </p>\n  <ol class="steps"><li{% if ticket.status == "resolved" %} class="current"{% endif %}>Open</li><li{% if ticket.status == "open" %} class="current"{% endif %}>Pending</li><li{% if ticket.status == "pending" %} class="current"{% endif %}>Resolved</li></ol>\n  <p>#'
# ...and steps marking Open whatever the status (h570): said as the
# status the page marks, where "mark the current one" was told to a page
# that marks one.
expect_grade helpdesk-cbv ticket-system "steps whose marker never moves say the status they mark" 90 \
	"status-update-staff status-csrf" "the status it marks as the current one (class current or active, or aria-current) is still \"open\"*— save staff's change and mark the status the ticket has" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">.*$#  </p>\n  <ol class="steps"><li class="current">Open</li><li>Pending</li><li>Resolved</li></ol>\n  <p>#'
# Steps marking the saved status, and a status view saving before its 403
# (h1081): the words stay, the mark moves; status-update-forbidden reads
# the marks too, where it passed.
expect_grade helpdesk-cbv ticket-system "a refused status change whose steps' mark moved costs status-update-forbidden" 90 \
	"status-update-forbidden" "her page marks another status as the current one (a class, aria-current or bold moved) — her POST was refused, yet her page's status changed" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">.*$#  </p>\n  <ol class="steps"><li{% if ticket.status == "open" %} class="current"{% endif %}>Open</li><li{% if ticket.status == "pending" %} class="current"{% endif %}>Pending</li><li{% if ticket.status == "resolved" %} class="current"{% endif %}>Resolved</li></ol>\n  <p>#' \
	support/views.py 's/^class TicketStatusUpdateView(StaffRequiredMixin, SingleObjectMixin, View):$/class TicketStatusUpdateView(LoginRequiredMixin, SingleObjectMixin, View):/' \
	support/views.py 's/^            form.save()$/&\n            if not request.user.is_staff:\n                from django.core.exceptions import PermissionDenied\n                raise PermissionDenied/'
# "Status:" in front of a legend of every status, the current one
# coloured by Bootstrap's text-bg-primary (h571): read "Status: Open"
# before and after, it cost status-update-staff while the colour moved;
# the same legend with the status never saved still costs it.
expect_grade helpdesk-cbv ticket-system "a Status label before a coloured legend of every status scores 100" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">.*$#    Status: <span class="badge {% if ticket.status == "open" %}text-bg-primary{% else %}text-bg-secondary{% endif %}">Open</span> <span class="badge {% if ticket.status == "pending" %}text-bg-primary{% else %}text-bg-secondary{% endif %}">Pending</span> <span class="badge {% if ticket.status == "resolved" %}text-bg-primary{% else %}text-bg-secondary{% endif %}">Resolved</span>#'
# ...in any order: "Status: Resolved Pending Open" on a new ticket is a
# legend, not "Status: Resolved" (h575: it cost ticket-create).
expect_grade helpdesk-cbv ticket-system "a Status label before a coloured legend in another order scores 100" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">.*$#    Status: <span class="badge {% if ticket.status == "resolved" %}text-bg-primary{% else %}text-bg-secondary{% endif %}">Resolved</span> <span class="badge {% if ticket.status == "pending" %}text-bg-primary{% else %}text-bg-secondary{% endif %}">Pending</span> <span class="badge {% if ticket.status == "open" %}text-bg-primary{% else %}text-bg-secondary{% endif %}">Open</span>#'
expect_grade helpdesk-cbv ticket-system "a Status label before a coloured legend does not hide an unsaved status" 90 \
	"status-update-staff status-csrf" "its status words read as before, Pending among them" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">.*$#    Status: <span class="badge {% if ticket.status == "open" %}text-bg-primary{% else %}text-bg-secondary{% endif %}">Open</span> <span class="badge {% if ticket.status == "pending" %}text-bg-primary{% else %}text-bg-secondary{% endif %}">Pending</span> <span class="badge {% if ticket.status == "resolved" %}text-bg-primary{% else %}text-bg-secondary{% endif %}">Resolved</span>#' \
	support/views.py 's/            form.save()/            pass/'
# Steps marked by a sign in their text ("● Open ○ Pending ○ Resolved",
# h587): the sign moving is a change, where the signature kept words
# alone and read the page as unchanged.
expect_grade helpdesk-cbv ticket-system "steps marked by a sign in their text whose sign moves to Pending score 100" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">.*$#  </p>\n  <ol class="steps"><li>{% if ticket.status == "open" %}●{% else %}○{% endif %} Open</li><li>{% if ticket.status == "pending" %}●{% else %}○{% endif %} Pending</li><li>{% if ticket.status == "resolved" %}●{% else %}○{% endif %} Resolved</li></ol>\n  <p>#'
# Steps whose marker is three element levels above the word (Bootstrap's
# list-group-item active > div > div > span, h592: the marker was read on
# the word's parent and grandparent alone, and cost status-update-staff),
# and a marked row of a status table, a new ticket marking Pending there
# (h592: ticket-create kept its points).
expect_grade helpdesk-cbv ticket-system "steps marked three levels above their word score 100" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">.*$#  </p>\n  <ol class="steps"><li{% if ticket.status == "open" %} class="active"{% endif %}><div><div><span>Open</span></div></div></li><li{% if ticket.status == "pending" %} class="active"{% endif %}><div><div><span>Pending</span></div></div></li><li{% if ticket.status == "resolved" %} class="active"{% endif %}><div><div><span>Resolved</span></div></div></li></ol>\n  <p>#'
# ...and five levels above it (Bulma's steps-segment is-active, the label
# in steps-content > div > div > p > span, h636: 90 for a correct app).
expect_grade helpdesk-cbv ticket-system "steps marked five levels above their word score 100" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">.*$#  </p>\n  <ul class="steps"><li class="steps-segment{% if ticket.status == "open" %} is-active{% endif %}"><div class="steps-content"><div><div><p><span>Open</span></p></div></div></div></li><li class="steps-segment{% if ticket.status == "pending" %} is-active{% endif %}"><div class="steps-content"><div><div><p><span>Pending</span></p></div></div></div></li><li class="steps-segment{% if ticket.status == "resolved" %} is-active{% endif %}"><div class="steps-content"><div><div><p><span>Resolved</span></p></div></div></div></li></ul>\n  <p>#'
expect_grade helpdesk-cbv ticket-system "a table marking Pending's row on a new ticket costs ticket-create" 85 \
	"ticket-create status-csrf" "the status word its page marks as the current one" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">.*$#  </p>\n  <table><tr><td><strong>Open</strong></td></tr><tr class="table-active"><td><strong>Pending</strong></td></tr><tr><td><strong>Resolved</strong></td></tr></table>\n  <p>#'
# ...and steps under a heading "Status", the marker on the saved status:
# the heading and the first step read as "Status: Open" before and after
# the change, while the marker moved to Pending (h557: it cost
# status-update-staff).
expect_grade helpdesk-cbv ticket-system "steps under a Status heading whose marker moves to Pending score 100" 100 "" "" \
	support/templates/support/ticket_detail.html 's#^    Status: <span class="badge">.*$#  </p>\n  <h2>Status</h2>\n  <ol class="steps"><li{% if ticket.status == "open" %} class="current"{% endif %}>Open</li><li{% if ticket.status == "pending" %} class="current"{% endif %}>Pending</li><li{% if ticket.status == "resolved" %} class="current"{% endif %}>Resolved</li></ol>\n  <p>#'
# The status shown as the number stored (an IntegerChoices field in the
# template as it is, h481): said as a number where the label belongs, with
# its fix, where the read of status words said "none".
expect_grade helpdesk-cbv ticket-system "a status shown as its stored number is said so, with get_status_display" 75 \
	"ticket-create status-update-staff status-csrf" \
	"its page states the status as the code stored (a number or letter), not as Open, Pending or Resolved — show the status's label, not the value stored (get_status_display, choices with labels, or a status table's row, not its id)" \
	support/templates/support/ticket_detail.html 's/{{ ticket.get_status_display }}/{% if ticket.status == "open" %}1{% elif ticket.status == "pending" %}2{% else %}3{% endif %}/'
# ...and as a letter stored (h1128: choices "O", "P", "R").
expect_grade helpdesk-cbv ticket-system "a status shown as its stored letter is said so, with get_status_display" 75 \
	"ticket-create status-update-staff status-csrf" \
	"its page states the status as the code stored (a number or letter), not as Open, Pending or Resolved — show the status's label*it states the status as the code stored (\"Status: P\"), not as Open, Pending or Resolved" \
	support/templates/support/ticket_detail.html 's/{{ ticket.get_status_display }}/{% if ticket.status == "open" %}O{% elif ticket.status == "pending" %}P{% else %}R{% endif %}/'
# An order view open to anyone: the anonymous order's exception quotes
# the anonymous user as "<AnonymousUser object>", not its module path and
# address, which took the room of the exception's own words (h476: cut at
# "must be a …") and of the check's advice.
expect_grade shop-viewsets ecommerce-api "an object's repr in a logged exception is said by its class alone" 90 \
	order-auth-required "(the app logged: ValueError: Cannot assign \"<AnonymousUser object>\": \"Order.user\" must be a \"User\" instance., at store/serializers.py:58); expected 401 or 403 — " \
	store/views.py 's/^    permission_classes = \[permissions.IsAuthenticated, IsOrderOwner\]$/    permission_classes = [permissions.AllowAny]/'
# The same exception in a project that logs JSON, one object a line with
# its traceback under "exc_info" (python-json-logger's shape, h414) and
# a field long enough to make the line pass 8 KB, as a chained traceback
# did: it is read from there, with the project's line, not quoted as a
# run of the line's other bytes.
expect_grade shop-viewsets ecommerce-api "an exception logged as a JSON line is read from its traceback" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"answered 500, a server error (the app logged: KeyError: 'productx', at store/serializers.py:*)" \
	store/serializers.py 's/^        product = attrs\["product"\]$/        product = attrs["productx"]/' \
	shopsite/settings.py '$a\\nimport json as _json\nimport logging as _logging\n\n\nclass JsonFormatter(_logging.Formatter):\n    def format(self, record):\n        d = {"message": record.getMessage(), "level": record.levelname, "request": "x" * 9000}\n        if record.exc_info:\n            d["exc_info"] = self.formatException(record.exc_info)\n        return _json.dumps(d)\n\n\nLOGGING = {"version": 1, "disable_existing_loggers": False, "formatters": {"json": {"()": JsonFormatter}}, "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}}, "root": {"handlers": ["console"], "level": "INFO"}, "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}}}'
# A field added without its migration (h401, h402): the query fails under
# the grader's statement counter, whose frame is the deepest that is not a
# library's; the place said is the project's own line, not the grader's.
expect_grade shop-viewsets ecommerce-api "a query's error is said at the project's line, not the grader's boot module" 75 \
	"order-create orders-private migrations-current order-whole-stock query-budget" \
	"table store_order has no column named note, at store/serializers.py:58) (a model changed without its migration? run makemigrations and commit it); expected 201" \
	store/models.py 's/^    created_at = models.DateTimeField(auto_now_add=True)$/&\n    note = models.CharField(max_length=200, default="")/'
# An order that waits on a broker that is not there (a task queue's
# .delay() retrying its Redis, h396) past the request's time limit: the
# message says no answer came in that time, not that the grader could not
# connect (the connection was a kept-alive one), and quotes what the app
# logged while it waited (in one write: print's text and its newline are
# two, between which another thread's access-log line could land).
dest=$WORK/order-waits
app shop-viewsets ecommerce-api "$dest" \
	store/views.py 's/^    serializer_class = OrderSerializer$/&\n\n    def create(self, request, *args, **kwargs):\n        import sys, time\n        sys.stderr.write("Connection to Redis lost: Retry (1\/20) in 1.00 second.\\n")\n        sys.stderr.flush()\n        time.sleep(4)\n        return super().create(request, *args, **kwargs)/'
grade "$dest.json" "$dest" ecommerce-api --no-db --request-timeout 2
got=$(jget "$dest.json" "next(c['message'] for c in r['checks'] if c['id'] == 'order-create')")
case $got in
*"POST /api/orders/ as alice: no answer within 2 s (the app logged: Connection to Redis lost: Retry (1/20) in 1.00 second.)"*)
	ok "a request timed out on a kept-alive connection says no answer came, and what the app logged meanwhile" ;;
*) notok "a request timed out on a kept-alive connection says no answer came, and what the app logged meanwhile" "exit $rc: $got" ;;
esac
# The stock read-only (h387): every product is made with stock 0,
# whatever the create sends, and each check counting on its stock fails
# its own way; the report says the one cause, the create that did not
# keep the stock it was sent, with those checks.
dest=$WORK/stock-read-only
app shop-viewsets ecommerce-api "$dest" \
	store/serializers.py 's/^        fields = \["id", "name", "description", "price", "stock"\]$/&\n        read_only_fields = ["stock"]/'
grade "$dest.json" "$dest" ecommerce-api --no-db
got=$(jget "$dest.json" "[(c['cause'], sorted(c['checks'])) for c in r.get('causes', []) if 'for the' in c['cause']]")
case $got in
*"POST /api/products/ answered stock 0 for the "*" sent: the create must keep the value it is sent (a read-only field, or one the view or serializer overrides?)"*"'order-create'"*"'order-quantity-validation'"*"'product-detail'"*)
	ok "a create that does not keep the stock it is sent is said as the cause of the checks it costs" ;;
*) notok "a create that does not keep the stock it is sent is said as the cause of the checks it costs" \
	"exit $rc: $got; $(jget "$dest.json" "r['score'], r.get('causes')")" ;;
esac
# The create's answer wrapped in an envelope (JSend's {"status":
# "success", "data": {...}}, h390): the id is not where SPEC.md asks,
# and the message says it is inside data, and to answer with the object
# itself, not to add it to the serializer's fields, which hold it already
# (h437). The list gives it: every other check finds its product there
# (from_list, h853) and goes on, so products-list alone is charged.
expect_grade shop-viewsets ecommerce-api "a create answered in an envelope says the id is inside it" 90 \
	"products-list" \
	'(no field id; it has status, data; data holds it: a wrapped answer); expected an id (SPEC.md: 201 with its `id`) — answer with the object itself, not inside another' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def create(self, request, *args, **kwargs):\n        response = super().create(request, *args, **kwargs)\n        response.data = {"status": "success", "data": response.data}\n        return response/'
# An answer pydantic could not build, an attribute it failed to read
# (h1216: Django Ninja's response schema reading an order's product_name
# through a foreign key not loaded, in an async view): the logged line
# says "1 validation error for ..." alone; the message names the field,
# its error and, for SynchronousOnlyOperation, select_related. pydantic's
# words, raised here by a class of the view's own of that name.
expect_grade shop-viewsets ecommerce-api "an attribute pydantic could not read is named, with select_related for an async view's" 90 \
	"orders-private query-budget" \
	"ValidationError: 1 validation error for NinjaResponseSchema*(reading response.items.0.product_name: SynchronousOnlyOperation: You cannot call this from an async context) (an object not loaded, read in an async view: select_related it); expected 200" \
	store/views.py 's/^    permission_classes = \[permissions.IsAuthenticated, IsOrderOwner\]$/&\n\n    def list(self, request, *args, **kwargs):\n        ValidationError = type("ValidationError", (Exception,), {})\n        raise ValidationError("1 validation error for NinjaResponseSchema\\nresponse.items.0.product_name\\n  Error extracting attribute: SynchronousOnlyOperation: You cannot call this from an async context - use a thread or sync_to_async. [type=get_attribute_error, input_value=<DjangoGetter>, input_type=DjangoGetter]")/'
# A stock of 0 answered as null (h1243: a sum over stock rows a product
# created with 0 never got): the sold-out product's stock read after a
# refused order is told to show 0, not that the refusal changed it.
expect_grade shop-viewsets ecommerce-api "a stock of 0 answered null is told to show 0, not blamed on the refused order" 70 \
	"products-list order-out-of-stock" \
	"the product's stock was null*— show every product's stock as a number, 0 too (it was created with stock 0)" \
	store/serializers.py 's/^        fields = \["id", "name", "description", "price", "stock"\]$/&\n\n    def to_representation(self, obj):\n        data = super().to_representation(obj)\n        data["stock"] = data["stock"] or None\n        return data/'
# Staff's serializer without the id, the public one with it (h1217: the
# list staff read gave no id, and six checks more were charged): the
# other checks find the product as a visitor reads the list that anyone
# reads, so products-list alone is charged.
expect_grade shop-viewsets ecommerce-api "a create whose staff serializer has no id costs products-list alone" 90 \
	"products-list" \
	"the created product's id was missing (no field id; it has name, description, price, stock)" \
	store/serializers.py '$a\\n\nclass StaffProductSerializer(ProductSerializer):\n    class Meta(ProductSerializer.Meta):\n        fields = ["name", "description", "price", "stock"]' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def get_serializer_class(self):\n        from .serializers import StaffProductSerializer\n        return StaffProductSerializer if self.request.user.is_staff else ProductSerializer/'
# An exception handler that builds the error's JSON, its status inside,
# but answers it with 200 (h822: Response(problem) without status=): the
# message says the body's status and the answer's disagree, and the fix,
# where "answered 200 {... "status": 400 ...}; expected 400" read as the
# grader's mistake.
expect_grade shop-viewsets ecommerce-api "an error answered 200 with its status in the body is told to carry that status" 35 \
	"product-detail product-create-staff-only order-out-of-stock order-quantity-validation order-auth-required" \
	"(its body says status 400, but the answer's status is 200: give the response that status, Response(data, status=400))" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.flat",/' \
	store/views.py '$a\\n\ndef flat(exc, context):\n    from rest_framework.response import Response\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is None:\n        return None\n    return Response({"status": response.status_code, "errors": response.data})'
# Product names kept unique (h740): every product the checks make has a
# name of its own, so no create is refused as a duplicate (order-create's
# second product was named as order-quantity-validation's, and a correct
# app lost 10).
expect_grade shop-viewsets ecommerce-api "products whose names are unique score 100" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/    name = models.CharField(max_length=200, unique=True)/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/                ('name', models.CharField(max_length=200, unique=True)),/"
# A product's page refused to customers (its view opened to staff alone,
# where the list is open to all, h723): said as the permission's fault,
# with its fix, not as an address to look the product up by.
expect_grade shop-viewsets ecommerce-api "a product page refused to customers is said as its permission's fault" 90 \
	"product-detail" \
	"as anonymous answered 403*expected 200 — anyone may read a product's page (SPEC.md): open the detail view to every visitor" \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def get_permissions(self):\n        if self.action == "retrieve":\n            return [permissions.IsAdminUser()]\n        return super().get_permissions()/'
# A product with a required field of its own (a unique SKU: SPEC.md asks
# for "at least" name, price and stock): the grader fills it in as the API's
# OPTIONS describes it, and every check that creates a product passes.
expect_grade shop-viewsets ecommerce-api "a product with a required unique SKU of its own scores 100" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/'
# ...and where the API's OPTIONS describes no field at all ({"actions":
# {"POST": {}}}: a PolymorphicSerializer declares none, h554): filled blind
# as its 400 names it, as where OPTIONS is off (it was 15).
expect_grade shop-viewsets ecommerce-api "a required field beside an OPTIONS that describes no field is filled" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/views.py 's/^from .serializers import OrderSerializer, ProductSerializer$/&\nfrom rest_framework.metadata import SimpleMetadata\n\n\nclass NoFields(SimpleMetadata):\n    def get_serializer_info(self, serializer):\n        return {}/' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    metadata_class = NoFields/'
# The same SKU with a "required" message of the app's own, in Spanish
# (h418: "Falta el código SKU del producto."): the 400 names a field not
# sent, OPTIONS calls it required, and it is filled (it was 15).
expect_grade shop-viewsets ecommerce-api "a required field with a message of the app's own words is filled" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]\n        extra_kwargs = {"sku": {"error_messages": {"required": "Falta el código SKU del producto."}}}/'
# A coroutine never awaited (h435: async code under WSGI) beside a 500:
# Python's warning is said as the coroutine's name and where, not by its
# last line ("RuntimeWarning: Enable tracemalloc ..."), which says nothing.
expect_grade shop-viewsets ecommerce-api "a coroutine never awaited is said by its name and where" 15 \
	"products-list product-detail order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	'POST /api/products/ as staff answered 500, a server error (the app logged: coroutine payload() was never awaited, at store/views.py:16: an async function called without await); expected 201' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def create(self, request, *args, **kwargs):\n        async def payload():\n            return request.data\n        payload()\n        from rest_framework.response import Response\n        return Response({"detail": "not saved"}, status=500)/'
# The same SKU, whose absence the view trips on before any validation
# (h443: django-money's price_currency): a 500, and OPTIONS calls it
# required, so it is filled as OPTIONS describes it (it was 15).
expect_grade shop-viewsets ecommerce-api "a required field whose absence is a 500 is filled as OPTIONS describes it" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def create(self, request, *args, **kwargs):\n        request.data["sku"].strip()\n        return super().create(request, *args, **kwargs)/'
# The same SKU under a name (skuCode) that OPTIONS and the errors give
# but the API never reads from the request (h434: a camelCase renderer
# beside a snake_case parser): the grader filled it in, so the message
# says the names disagree, not that the view reads request.POST.
expect_grade shop-viewsets ecommerce-api "a field filled as OPTIONS names it but read under another name says so" 15 \
	"products-list product-detail order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	'answered 400 {"skuCode": ["This field is required."]} (the grader filled in skuCode as OPTIONS names it: the API reads another name than its OPTIONS and errors say, e.g. a camelCase renderer, snake_case parser); expected 201' \
	"${sku_field[@]}" \
	store/serializers.py 's/^        fields = \["id", "name", "description", "price", "stock"\]$/        fields = ["id", "name", "skuCode", "description", "price", "stock"]\n\n    skuCode = serializers.CharField(source="sku")\n\n    def to_internal_value(self, data):\n        return super().to_internal_value({k: v for k, v in data.items() if k != "skuCode"})/'
# The same SKU, refused in a Spring-like envelope whose "message" names
# the field ("sku: This field is required.") by an API whose OPTIONS
# describes nothing (h409): the grader fills sku, not "message".
expect_grade shop-viewsets ecommerce-api "a required field named inside an envelope's message is filled, not the message" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	shopsite/settings.py 's/^    "PAGE_SIZE": 20,$/&\n    "DEFAULT_METADATA_CLASS": None,\n    "EXCEPTION_HANDLER": "store.views.spring_errors",/' \
	store/views.py '$a\\n\ndef spring_errors(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict) and response.data:\n        field, msgs = next(iter(response.data.items()))\n        msg = msgs[0] if isinstance(msgs, list) else msgs\n        response.data = {"timestamp": "2026-12-03T00:00:00Z", "status": 400, "error": "Bad Request",\n                         "message": "%s: %s" % (field, msg), "path": context["request"].path}\n    return response'
# A product's page cached 60 s (h716: its old stock read after an order,
# said only as "stock was 5", and a missing save() looked for): the
# answer's lifetime is said.
expect_grade shop-viewsets ecommerce-api "a product page kept by a cache says its lifetime" 85 \
	"order-create" "(the answer came with Cache-Control: max-age=60: a copy kept from before the change?" \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    @__import__("django.utils.decorators", fromlist=["x"]).method_decorator(__import__("django.views.decorators.cache", fromlist=["x"]).cache_page(60))\n    def retrieve(self, request, *args, **kwargs):\n        return super().retrieve(request, *args, **kwargs)/'
# A product's page looked up by another field than its id (h717: a
# slug): its 404 says where the page must answer, not only "expected 200".
expect_grade shop-viewsets ecommerce-api "a product page looked up by its name says to look it up by id" 90 \
	"product-detail" "expected 200 — a product's page answers at /api/products/ID/, ID the id its create answered" \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    lookup_field = "name"/'
# Another renderer listed before JSON's (h705: the browsable API first,
# DRF's XML renderer first): the grader asks for JSON first, as an API's
# client does, and gets it (curl's any type got the first renderer's page).
expect_grade shop-viewsets ecommerce-api "an API listing the browsable API's renderer first answers JSON to the grader" 100 "" "" \
	shopsite/settings.py 's/^    "PAGE_SIZE": 20,$/&\n    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.BrowsableAPIRenderer", "rest_framework.renderers.JSONRenderer"],/'
# Versions read from the Accept header, with allowed versions and no
# default (h340): every request the grader sends, Accept naming no version
# as API clients send it, is refused with 406; the message says why, and
# what setting lets such a client in.
expect_grade shop-viewsets ecommerce-api "an API refusing an Accept without a version (versioning without a default) says so" 0 \
	"products-list product-detail product-create-staff-only order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	'answered 406 (the grader sends Accept: application/json, */*;q=0.5, as API clients do; with AcceptHeaderVersioning, set DEFAULT_VERSION) {"detail": "Invalid version in' \
	shopsite/settings.py 's/^    "PAGE_SIZE": 20,$/&\n    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.AcceptHeaderVersioning",\n    "ALLOWED_VERSIONS": ["1.0"],/'
# The orders' list refused to GET (a create-only view, h809): its 405 is
# said as a create-only view where GET is needed, not a read-only one.
expect_grade shop-viewsets ecommerce-api "an orders list answering GET with 405 is said as a create-only view" 70 \
	"order-out-of-stock orders-private query-budget" \
	"(the API's view here allows only POST, OPTIONS: a create-only view where GET is needed)" \
	store/views.py 's/^    mixins.ListModelMixin,$//'
# Every 400 answered 422 (h437, h439: "Unprocessable Entity" for a
# validation error): the orders refused as they should be, but not with
# the 400 the rows ask for; the message says they were refused, and
# not the rows' advice on how to refuse (h815: a 422 told to add
# min_value=1, which it had).
expect_grade shop-viewsets ecommerce-api "a refusal with 422 where 400 is asked says it was a refusal" 70 \
	"order-out-of-stock order-quantity-validation" \
	'(refused, as it should be, but with 422: SPEC.md asks for 400); expected 400 | *(refused, as it should be, but with 422: SPEC.md asks for 400); expected 400' \
	shopsite/settings.py 's/^    "PAGE_SIZE": 20,$/&\n    "EXCEPTION_HANDLER": "store.views.unprocessable",/' \
	store/views.py '$a\\n\ndef unprocessable(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400:\n        response.status_code = 422\n    return response'
# ...but not where its words call a field missing, which the order does
# not send (h732: pydantic's "Field required" of a product_id): the
# refusal is no stock's, and the note said it was "as it should be".
dest=$WORK/unprocessable-missing
app shop-viewsets ecommerce-api "$dest" \
	shopsite/settings.py 's/^    "PAGE_SIZE": 20,$/&\n    "EXCEPTION_HANDLER": "store.views.unprocessable",/' \
	store/views.py '$a\\n\ndef unprocessable(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400:\n        response.status_code = 422\n    return response' \
	store/serializers.py 's/^    quantity = serializers.IntegerField()$/&\n    product_id = serializers.IntegerField(write_only=True)/' \
	store/serializers.py 's/^        fields = \["id", "product", "product_name", "quantity", "created_at"\]$/        fields = ["id", "product", "product_id", "product_name", "quantity", "created_at"]/'
grade "$dest.json" "$dest" ecommerce-api --no-db
msgs=$(jget "$dest.json" "' | '.join(c['message'] or '' for c in r['checks'] if c['status'] != 'pass')")
if [ "$rc" = 0 ] && [[ $msgs == *"answered 422"*"This field is required."* ]] && [[ $msgs != *"as it should be"* ]]; then
	ok "a 422 calling a field missing is not said to be a refusal as it should be"
else
	notok "a 422 calling a field missing is not said to be a refusal as it should be" "exit $rc: $msgs"
fi
# Versions in the path, allowed ones listed, none in the checks' paths
# (h438: a grader.yaml line to /api/V1/ where "v1" is allowed): DRF's
# 404 is its versioning's, not the user's; the message says so rather
# than what staff lacks.
expect_grade shop-viewsets ecommerce-api "an API refusing the path's version says it is DRF's versioning" 0 \
	"products-list product-detail product-create-staff-only order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	'answered 404 (DRF'"'"'s URLPathVersioning refused this path'"'"'s version: map the paths in grader.yaml to one of ALLOWED_VERSIONS, letter case too) {"detail": "Invalid version in URL path."}' \
	shopsite/settings.py 's/^    "PAGE_SIZE": 20,$/&\n    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",\n    "ALLOWED_VERSIONS": ["v1"],/'
# ...and a version read from the query, allowed ones listed and no
# DEFAULT_VERSION (h663: told staff lacked permissions, and the cause said
# its view found no such object): the message and the cause both say it
# is DRF's versioning, and to give the API a default version.
dest=$WORK/query-version
app shop-viewsets ecommerce-api "$dest" \
	shopsite/settings.py 's/^    "PAGE_SIZE": 20,$/&\n    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.QueryParameterVersioning",\n    "ALLOWED_VERSIONS": ["1.0"],/'
grade "$dest.json" "$dest" ecommerce-api --no-db
got=$(jget "$dest.json" "' | '.join([c['message'] for c in r['checks'] if c['id'] == 'products-list'] + [c['cause'] for c in r.get('causes', [])])")
case $got in
*"answered 404 (DRF's QueryParameterVersioning refused the version: the grader's requests name none, so give the API a DEFAULT_VERSION that ALLOWED_VERSIONS holds)"*"requests under /api/ answered 404 from DRF's versioning (e.g. POST /api/products/: \"Invalid version in query parameter.\"), not for a missing object: give the API a DEFAULT_VERSION in ALLOWED_VERSIONS"*)
	ok "an API refusing a request that names no version in its query says it is DRF's versioning, cause too" ;;
*) notok "an API refusing a request that names no version in its query says it is DRF's versioning, cause too" "exit $rc: $got" ;;
esac
# Lists as bare JSON arrays in pages of one, the next page named by an
# RFC 8288 Link header (GitHub's style, h674: only the first page was
# read, and correct apps lost products-list and orders-private): every
# page is read.
expect_grade shop-viewsets ecommerce-api "lists in pages of one linked by a Link header score 100" 100 "" "" \
	shopsite/settings.py 's/^    "PAGE_SIZE": 20,$/    "PAGE_SIZE": 1,\n    "DEFAULT_PAGINATION_CLASS": "store.permissions.LinkPages",/' \
	store/permissions.py '$a\\n\nfrom rest_framework.pagination import PageNumberPagination\nfrom rest_framework.response import Response\n\n\nclass LinkPages(PageNumberPagination):\n    def get_paginated_response(self, data):\n        response = Response(data)\n        if self.get_next_link():\n            response["Link"] = \x27<%s>; rel="next", <%s>; rel="last"\x27 % (self.get_next_link(), self.request.path)\n        response["X-Total-Count"] = str(self.page.paginator.count)\n        return response'
# A product's page routed without its trailing slash, beside the others'
# with one (h669: Django Ninja's routes have none unless written): its 404
# says the app serves it without the slash, where it said only "answered
# 404", and not the check's advice on the lookup field, which was right
# (h1016).
dest=$WORK/detail-no-slash
app shop-viewsets ecommerce-api "$dest" \
	store/urls.py 's|^urlpatterns = router.urls$|from django.urls import path\n\nurlpatterns = [p for p in router.urls if p.name != "product-detail"] + [path("products/<int:pk>", ProductViewSet.as_view({"get": "retrieve"}))]|'
grade "$dest.json" "$dest" ecommerce-api --no-db
got=$(jget "$dest.json" "' | '.join(c['message'] for c in r['checks'] if c['id'] == 'product-detail')")
case $got in
*lookup_field*) notok "a page routed without its trailing slash says so in its 404" "advice on the lookup: $got" ;;
*"answered 404 (the app serves /api/products/{pk} without the trailing slash: end its pattern with '/', as SPEC.md's paths end); expected 200")
	ok "a page routed without its trailing slash says so in its 404" ;;
*) notok "a page routed without its trailing slash says so in its 404" "exit $rc: $got" ;;
esac
# ...and the list's route without it, its pages' with it (h983: Django
# Ninja's router.post("") beside router.get("/{id}/")): each 404 says the
# app serves the list without the slash, and the report's cause says so,
# where both said only that no pattern matched.
dest=$WORK/list-no-slash
app shop-viewsets ecommerce-api "$dest" \
	store/urls.py 's|^urlpatterns = router.urls$|from django.urls import path\n\nurlpatterns = [p for p in router.urls if p.name != "product-list"] + [path("products", ProductViewSet.as_view({"get": "list", "post": "create"}))]|'
grade "$dest.json" "$dest" ecommerce-api --no-db
got=$(jget "$dest.json" "[c['message'] for c in r['checks'] if c['id'] == 'products-list'], [c['cause'] for c in r['causes']]")
case $got in
*"answered 404 (the app serves /api/products without the trailing slash: end its pattern with '/', as SPEC.md's paths end)"*"requests under /api/ answered 404 (e.g. "*"/api/products/): the app serves /api/products without the trailing slash: end its patterns with '/', as SPEC.md's paths end"*)
	ok "a list routed without its trailing slash says so in its 404s and its cause" ;;
*) notok "a list routed without its trailing slash says so in its 404s and its cause" "exit $rc: $got" ;;
esac
# ...and only the first create pays for it: the fields it needed are sent
# filled from the next create on, so the grade sends two requests more
# than the same app without the SKU (the first create's 400 and its
# OPTIONS), not three per product (h281: 65 requests against 47).
base=$WORK/sku-requests-base sku=$WORK/sku-requests
app shop-viewsets ecommerce-api "$base" && grade "$base.json" "$base" ecommerce-api --no-db
app shop-viewsets ecommerce-api "$sku" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' &&
	grade "$sku.json" "$sku" ecommerce-api --no-db
counts="$(jget "$base.json" "r['score'], r['checks_timing_ms']['requests']") $(jget "$sku.json" "r['score'], r['checks_timing_ms']['requests']")"
if python3 -c 'import sys; a, b, c, d = (int(x) for x in sys.argv[1].replace("(", "").replace(")", "").replace(",", " ").split()); sys.exit(not (a == c == 100 and d == b + 2))' "$counts"; then
	ok "a required field of the app's own costs its first create a 400 and an OPTIONS, and no later one"
else
	notok "a required field of the app's own costs its first create a 400 and an OPTIONS, and no later one" "(score, requests) without and with the SKU: $counts"
fi
# A required SKU of at most 8 characters (h91): the made-up value keeps
# within the max_length OPTIONS gives, and is still unique in the run.
expect_grade shop-viewsets ecommerce-api "a required unique SKU of at most 8 characters scores 100" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    sku = models.CharField(max_length=8, unique=True)/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('sku', models.CharField(max_length=8, unique=True)),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/'
# A required weight of at least 5 (h91's bounds, for a number): the
# made-up value is the min_value OPTIONS gives, not 1.
expect_grade shop-viewsets ecommerce-api "a required weight of at least 5 scores 100" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    weight = models.IntegerField(validators=[MinValueValidator(5)])/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('weight', models.IntegerField(validators=[django.core.validators.MinValueValidator(5)])),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "weight", "description", "price", "stock"]/'
# The same SKU behind an error envelope of the app's own ({"errors":
# [{"field": "sku", ...}]}, a custom EXCEPTION_HANDLER): the fields to fill
# are the ones OPTIONS calls required, whatever shape the 400 has.
expect_grade shop-viewsets ecommerce-api "a required SKU behind an error envelope of its own scores 100" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.envelope",/' \
	store/views.py '$a\\n\ndef envelope(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        response.data = {"errors": [{"field": k, "message": " ".join(map(str, v)) if isinstance(v, list) else str(v)} for k, v in response.data.items()], "code": "invalid"}\n    return response'
# An order field of the API's own required, its refusal deep in an error
# envelope (h1029: {"error": {"code", "detail", "fields": {...}}}): the
# stock checks' guard quotes the answer where the refusal is, not its
# start, which never reached it.
expect_grade shop-viewsets ecommerce-api "a required field deep in an error envelope is quoted where it is" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	'its 400 refuses every order alike*(the answer: "…*"fields": {"note": ["This field is required.' \
	store/serializers.py 's/^    quantity = serializers.IntegerField()$/&\n    note = serializers.CharField(write_only=True)/' \
	store/serializers.py 's/^        fields = \["id", "product", "product_name", "quantity", "created_at"\]$/        fields = ["id", "product", "product_name", "quantity", "created_at", "note"]/' \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.wrapped",/' \
	store/views.py '$a\\n\ndef wrapped(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400:\n        response.data = {"error": {"code": "invalid", "detail": "Invalid input.", "fields": response.data}}\n    return response'
# In that envelope, OPTIONS off: a required whole number, refused in
# DRF's words inside it ("A valid integer is required."), is sent as a
# number (h612: the words were read in DRF's own shape alone, 15).
expect_grade shop-viewsets ecommerce-api "a required number refused inside an error envelope, no OPTIONS, is sent as a number" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    weight = models.IntegerField()/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('weight', models.IntegerField()),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "weight", "description", "price", "stock"]/' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    metadata_class = None/' \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.envelope",/' \
	store/views.py '$a\\n\ndef envelope(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        response.data = {"errors": [{"field": k, "message": " ".join(map(str, v)) if isinstance(v, list) else str(v)} for k, v in response.data.items()], "code": "invalid"}\n    return response'
# ...and orders refused for a required user in that envelope ({"field":
# "user", "message": "This field is required."}, h612: the stock checks
# kept 30 points), and a stock refused in words naming the product as
# required ("1 of this product is required, only 0 available", h612: read
# as a view that never read the JSON).
expect_grade shop-viewsets ecommerce-api "orders refused for a required user inside an error envelope lose the stock checks too" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" "" \
	store/serializers.py 's/        fields = \["id", "product", "product_name", "quantity", "created_at"\]/        fields = ["id", "user", "product", "product_name", "quantity", "created_at"]/' \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.envelope",/' \
	store/views.py '$a\\n\ndef envelope(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        response.data = {"errors": [{"field": k, "message": " ".join(map(str, v)) if isinstance(v, list) else str(v)} for k, v in response.data.items()], "code": "invalid"}\n    return response'
expect_grade shop-viewsets ecommerce-api "a stock refused as a quantity of the product required scores 100" 100 "" "" \
	store/serializers.py 's/            return f"'"'"'{product.name}'"'"' is out of stock."/            return "1 of this product is required, only 0 available."/'
# An API whose only authentication class is an API key of its own: no
# sign-in the grader can make, so every signed-in request is refused with
# 401, and each message says the session was refused, the scheme its 401
# asks for, and which sign-ins the grader makes (h84: a knox-only API read
# "Signed in with: session"; h1018: an API asking for Bearer was told
# "the API takes no other sign-in ... Basic", where Basic was never sent).
expect_grade shop-viewsets ecommerce-api "an API taking only an API key of its own says no sign-in the grader makes fits" 0 \
	"products-list product-detail product-create-staff-only order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	"POST /api/products/ as staff answered 401 (401 is \"not signed in\": was the session refused, or is 403 meant? Its WWW-Authenticate asks for ApiKey, and the grader found no token sign-in to send (DRF or knox tokens, SimpleJWT or ninja-jwt); a name and password go as Basic where a 401 asks for Basic or names no scheme)" \
	shopsite/settings.py 's/^        "rest_framework.authentication.SessionAuthentication",$/        "store.apps.ApiKeyAuthentication",/' \
	shopsite/settings.py '/^        "rest_framework.authentication.BasicAuthentication",$/d' \
	store/apps.py '$a\\n\nclass ApiKeyAuthentication:\n    def authenticate(self, request):\n        return None\n\n    def authenticate_header(self, request):\n        return "ApiKey"'
# An API whose only authentication class reads Basic itself (not DRF's
# BasicAuthentication, so the boot cannot tell it is Basic): its 401 asks
# for Basic in WWW-Authenticate, and the grader answers it with the user's
# name and password, as HTTP has a client do (h250: hand-written views
# parsing Basic beside DRF's defaults scored 0), and says so.
expect_grade shop-viewsets ecommerce-api "an API reading Basic itself is answered when its 401 asks for Basic" 100 "" "" \
	shopsite/settings.py 's/^        "rest_framework.authentication.SessionAuthentication",$/        "store.apps.HandBasic",/' \
	shopsite/settings.py '/^        "rest_framework.authentication.BasicAuthentication",$/d' \
	store/apps.py '$a\\n\nclass HandBasic:\n    def authenticate(self, request):\n        import base64\n        from django.contrib.auth import authenticate\n        h = request.META.get("HTTP_AUTHORIZATION", "")\n        if not h.startswith("Basic "):\n            return None\n        name, _, pw = base64.b64decode(h[6:]).decode().partition(":")\n        user = authenticate(request, username=name, password=pw)\n        return (user, None) if user else None\n\n    def authenticate_header(self, request):\n        return '"'"'Basic realm="shop"'"'"''
f=$WORK/shop-viewsets-$(echo "an API reading Basic itself is answered when its 401 asks for Basic" |
	tr -c 'a-z0-9' '-' | cut -c1-40).json
if [ "$(jget "$f" "r['auth']")" = "session+basic" ]; then
	ok "the report says a 401's request for Basic was answered (session+basic)"
else
	notok "the report says a 401's request for Basic was answered (session+basic)" "$(jget "$f" "r['auth']")"
fi
# ...and its text says the name and password did every change, no view
# taking one on the session alone (h1174, h1185, h1191: "the session
# cookie; the user's name and password too" of an app ignoring it).
"$GRADER" grade "${f%.json}" --challenge ecommerce-api --no-db >"${f%.json}.txt" 2>/dev/null
if grep -qF "Signed in with: session+basic (the user's name and password, sent again after each 401 asking for them: no view took a change on the session cookie alone)" "${f%.json}.txt"; then
	ok "the text report says Basic did every change where no view took the session"
else
	notok "the text report says Basic did every change where no view took the session" "$(grep 'Signed in' "${f%.json}.txt")"
fi
# A manage.py at the top that puts src/ on the path, the whole project in
# src/ (h254; cookiecutter's apps folder alike): `python manage.py` runs
# that line, the boot reads it, and the app scores 100 instead of "No
# module named 'shopsite'" told to install it from PyPI. And the same
# line reaching outside the project (src/ a level up) is not followed.
label="a project in src/ that manage.py puts on the path scores 100"
d=$WORK/shop-in-src
if mkrepo "$APPS/shop-viewsets" "$d" >/dev/null 2>&1 && mkdir "$d/src" &&
	git -C "$d" mv shopsite store accounts src/ &&
	sed -i 's/^import sys$/&\nfrom pathlib import Path\n\nsys.path.insert(0, str(Path(__file__).resolve().parent \/ "src"))/' "$d/manage.py" &&
	commit_all "$d" >/dev/null; then
	grade "$d.json" "$d" ecommerce-api --no-db
	if [ "$rc" = 0 ] && [ "$(jget "$d.json" "r['status'], r['score']")" = "graded 100" ]; then
		ok "$label"
	else
		notok "$label" "exit $rc: $(jget "$d.json" "r['status'], r['score'], r.get('diagnosis')")"
	fi
	sed -i 's/resolve().parent \/ "src"/resolve().parent.parent \/ "src"/' "$d/manage.py" && commit_all "$d" >/dev/null
	grade "$d.json" "$d" ecommerce-api --no-db
	if [ "$rc" = 3 ] && jget "$d.json" "r['diagnosis']" | grep -q "No module named 'shopsite'"; then
		ok "a folder manage.py puts on the path outside the project is not followed"
	else
		notok "a folder manage.py puts on the path outside the project is not followed" \
			"exit $rc: $(jget "$d.json" "r['status'], r['score'], r.get('diagnosis')")"
	fi
else
	notok "$label" "could not make the repository"
fi
# A second database for an audit app, routed the way Django's docs show
# (allow_migrate: the audit app on "audit" only, everything else on
# "default"), its migration committed: every alias is migrated, as the
# project's own deployment does with migrate --database, and the app
# scores 100 (h263: "models without migrations", not graded).
label="an audit app routed to a second database scores 100"
d=$WORK/shop-two-databases
if mkrepo "$APPS/shop-viewsets" "$d" >/dev/null 2>&1 && mkdir -p "$d/audit/migrations" &&
	: >"$d/audit/__init__.py" && : >"$d/audit/migrations/__init__.py" &&
	printf 'from django.db import models\n\n\nclass Event(models.Model):\n    what = models.CharField(max_length=100)\n' >"$d/audit/models.py" &&
	printf 'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    initial = True\n    dependencies = []\n    operations = [\n        migrations.CreateModel(name="Event", fields=[("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")), ("what", models.CharField(max_length=100))]),\n    ]\n' >"$d/audit/migrations/0001_initial.py" &&
	printf 'class AuditRouter:\n    def db_for_read(self, model, **hints):\n        return "audit" if model._meta.app_label == "audit" else None\n\n    def db_for_write(self, model, **hints):\n        return "audit" if model._meta.app_label == "audit" else None\n\n    def allow_migrate(self, db, app_label, model_name=None, **hints):\n        if app_label == "audit":\n            return db == "audit"\n        return db == "default"\n' >"$d/audit/routers.py" &&
	sed -i 's/^    "store",$/&\n    "audit",/' "$d/shopsite/settings.py" &&
	sed -i 's/^DATABASES = {$/DATABASE_ROUTERS = ["audit.routers.AuditRouter"]\n\n&\n    "audit": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR \/ "audit.sqlite3"},/' "$d/shopsite/settings.py" &&
	sed -i 's/^        serializer.save(user=self.request.user)$/&\n        from audit.models import Event\n        Event.objects.create(what="order")/' "$d/store/views.py" &&
	commit_all "$d" >/dev/null; then
	grade "$d.json" "$d" ecommerce-api --no-db
	if [ "$rc" = 0 ] && [ "$(jget "$d.json" "r['status'], r['score']")" = "graded 100" ]; then
		ok "$label"
	else
		notok "$label" "exit $rc: $(jget "$d.json" "r['status'], r['score'], r.get('diagnosis')")"
	fi
else
	notok "$label" "could not make the repository"
fi
# ...and the same SKU behind an envelope of the app's own, in a shape no
# reader knows ({"errors": [{"name": ..., "text": ...}]}), from a view
# whose OPTIONS is switched off (405, as a plain Django view answers it,
# h104): nothing to fill it from, and the message says so, not only "sku
# is required".
expect_grade shop-viewsets ecommerce-api "a required field behind an envelope and no OPTIONS says OPTIONS described none" 15 \
	"products-list product-detail order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	"(OPTIONS answered 405 describing no fields, so the grader could fill in none of the API's required ones)" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.envelope",/' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    metadata_class = None/' \
	store/views.py '$a\\n\ndef envelope(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        response.data = {"errors": [{"name": k, "text": " ".join(map(str, v)) if isinstance(v, list) else str(v)} for k, v in response.data.items()], "code": "invalid"}\n    return response'
# The required unique SKU of the variants below, with OPTIONS off.
SKU_NO_OPTIONS=(
	"${sku_field[@]}"
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/'
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    metadata_class = None/'
)
# Required fields of the product's own that OPTIONS describes without
# what they take (h606): a unique number (1 for every product, "already
# exists" from the second on), a duration (which nothing filled) and a
# UUID (described as a string): each made as its refusal asks, the
# number unique for every create after.
expect_grade shop-viewsets ecommerce-api "a required unique number, a duration and a UUID of the product's own score 100" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    catalogue_no = models.PositiveIntegerField(unique=True)\n    warranty = models.DurationField()\n    batch = models.UUIDField()/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('catalogue_no', models.PositiveIntegerField(unique=True)),\n                ('warranty', models.DurationField()),\n                ('batch', models.UUIDField()),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "catalogue_no", "warranty", "batch", "description", "price", "stock"]/'
# ...and a weight of one decimal place, a unique reference UUID and a
# warehouse's IP address (h668: "1.00" refused as two places, the UUID
# sent for one product refused as taken by the next, the IP address never
# made): each as OPTIONS and the refusals ask, the UUID one per create.
expect_grade shop-viewsets ecommerce-api "a required one-place decimal, unique UUID and IP address of the product's own score 100" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    weight = models.DecimalField(max_digits=4, decimal_places=1)\n    ref = models.UUIDField(unique=True)\n    warehouse_ip = models.GenericIPAddressField()/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('weight', models.DecimalField(max_digits=4, decimal_places=1)),\n                ('ref', models.UUIDField(unique=True)),\n                ('warehouse_ip', models.GenericIPAddressField()),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "weight", "ref", "warehouse_ip", "description", "price", "stock"]/'
# ...and ten required texts of its own (h668: past eight none was sent,
# though the message said them filled).
expect_grade shop-viewsets ecommerce-api "ten required texts of the product's own score 100" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    a1 = models.CharField(max_length=40)\n    a2 = models.CharField(max_length=40)\n    a3 = models.CharField(max_length=40)\n    a4 = models.CharField(max_length=40)\n    a5 = models.CharField(max_length=40)\n    a6 = models.CharField(max_length=40)\n    a7 = models.CharField(max_length=40)\n    a8 = models.CharField(max_length=40)\n    a9 = models.CharField(max_length=40)\n    a10 = models.CharField(max_length=40)/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('a1', models.CharField(max_length=40)),\n                ('a2', models.CharField(max_length=40)),\n                ('a3', models.CharField(max_length=40)),\n                ('a4', models.CharField(max_length=40)),\n                ('a5', models.CharField(max_length=40)),\n                ('a6', models.CharField(max_length=40)),\n                ('a7', models.CharField(max_length=40)),\n                ('a8', models.CharField(max_length=40)),\n                ('a9', models.CharField(max_length=40)),\n                ('a10', models.CharField(max_length=40)),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "description", "price", "stock"]/'
# ...and one of at most 12 characters (h607: "sample-NONCE-1", 17 of them,
# refused as too long): made short and unique for each create, as DRF's
# refusal states the length.
expect_grade shop-viewsets ecommerce-api "a required SKU of 12 characters, no OPTIONS, is filled short" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	store/models.py 's/sku = models.CharField(max_length=40, unique=True)/sku = models.CharField(max_length=12, unique=True)/' \
	store/migrations/0001_initial.py "s/('sku', models.CharField(max_length=40, unique=True))/('sku', models.CharField(max_length=12, unique=True))/"
# ...and one whose format its refusal spells out, "SKU must look like
# SKU-XXXX" (h632: "sample-NONCE-1" refused for every product, 15), or
# gives by example, "e.g. SKU-AB12": made in that format, unique for each
# create.
expect_grade shop-viewsets ecommerce-api "a required SKU whose refusal spells out its format is filled in it" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[A-Z0-9]{4,}", value):\n            raise serializers.ValidationError("SKU must look like SKU-XXXX (capitals and digits).")\n        return value\n/'
# ...or by an example after "like" (h634: "SKU must look like ABC-1234.").
expect_grade shop-viewsets ecommerce-api "a required SKU whose refusal shows an example after like is filled like it" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"[A-Z]{3}-[0-9]{4}", value):\n            raise serializers.ValidationError("SKU must look like ABC-1234.")\n        return value\n/'
# ...or in the form, in brackets, in French (h745: "in the form
# ABC-1234", "(ABC-1234)", "doit ressembler à ABC-1234": 15 each).
expect_grade shop-viewsets ecommerce-api "a required SKU whose refusal shows an example in the form is filled like it" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"[A-Z]{3}-[0-9]{4}", value):\n            raise serializers.ValidationError("SKU must be in the form ABC-1234.")\n        return value\n/'
expect_grade shop-viewsets ecommerce-api "a required SKU whose refusal shows an example in brackets is filled like it" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"[A-Z]{3}-[0-9]{4}", value):\n            raise serializers.ValidationError("Invalid SKU (ABC-1234).")\n        return value\n/'
expect_grade shop-viewsets ecommerce-api "a required SKU whose refusal shows an example in French is filled like it" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"[A-Z]{3}-[0-9]{4}", value):\n            raise serializers.ValidationError("Le SKU doit ressembler à ABC-1234.")\n        return value\n/'
# ...its length refused beside it, with no OPTIONS (h633: a RegexField of
# max_length 8, "SKU-XXXX" long: a short fill made for the length alone
# was refused for its format).
expect_grade shop-viewsets ecommerce-api "a required SKU whose refusal spells out its format beside its length is filled in it" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    sku = serializers.RegexField(r"^SKU-[A-Z0-9]{4}$", max_length=8, error_messages={"invalid": "SKU must look like SKU-XXXX."})\n/'
expect_grade shop-viewsets ecommerce-api "a required SKU whose refusal gives an example is filled like it" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[A-Z]{2}[0-9]{2}", value):\n            raise serializers.ValidationError("Enter a stock keeping unit, e.g. SKU-AB12.")\n        return value\n/'
# ...or whose X's its words call digits (h645: "SKU-XXXX (X a digit)."
# was filled with capitals, refused for every product, 15).
expect_grade shop-viewsets ecommerce-api "a required SKU whose refusal calls its X's digits is filled with digits" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[0-9]{4}", value):\n            raise serializers.ValidationError("SKU must look like SKU-XXXX (X a digit).")\n        return value\n/'
# ...or whose X's an example beside them shows as digits (h830: "SKU-XXXX
# (four digits), e.g. SKU-0042." was filled with capitals, 15).
expect_grade shop-viewsets ecommerce-api "a required SKU whose example shows its X's as digits is filled with digits" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[0-9]{4}", value):\n            raise serializers.ValidationError("SKU must look like SKU-XXXX (four digits), e.g. SKU-0042.")\n        return value\n/'
# ...or whose X's its words call digits after them with no example
# (h908: "SKU-XXXX (four digits)." was filled with capitals, 15), or
# call nothing at all where its pattern takes digits alone ("SKU must
# look like SKU-XXXX", the same words again after capitals: digits).
expect_grade shop-viewsets ecommerce-api "a required SKU whose refusal says four digits after its X's is filled with digits" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[0-9]{4}", value):\n            raise serializers.ValidationError("SKU must look like SKU-XXXX (four digits).")\n        return value\n/'
expect_grade shop-viewsets ecommerce-api "a required SKU of digits whose refusal says SKU-XXXX alone is filled with digits after capitals" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[0-9]{4}", value):\n            raise serializers.ValidationError("SKU must look like SKU-XXXX")\n        return value\n/'
# ...or whose format only its help_text gives, as OPTIONS describes it,
# its refusal Django's bare "Enter a valid value." (h673: 15).
expect_grade shop-viewsets ecommerce-api "a required SKU whose help_text gives its format is filled in it" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    sku = models.CharField(max_length=8, unique=True, help_text="Format ABC-1234, e.g. KAF-0042", validators=[RegexValidator(r"^[A-Z]{3}-[0-9]{4}$")])/; s/^from django.db import models$/&\nfrom django.core.validators import RegexValidator/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('sku', models.CharField(max_length=8, unique=True, help_text='Format ABC-1234, e.g. KAF-0042', validators=[django.core.validators.RegexValidator('^[A-Z]{3}-[0-9]{4}\$')])),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/'
# ...and one whose refusal says nothing of the value it takes ("Enter a
# valid value."): still lost, and its message says what the student can do
# about the field, where seven checks said only what the grader filled
# (h667, h673).
expect_grade shop-viewsets ecommerce-api "a required SKU refused without its format says what to do about the field" 15 \
	"products-list product-detail order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	'(it refused the grader'"'"'s sku: give it a default or make it optional, or say in the error what it takes, "one of: a, b" or "e.g. SKU-AB12")' \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    sku = models.CharField(max_length=8, unique=True, validators=[RegexValidator(r"^[A-Z]{3}-[0-9]{4}$")])/; s/^from django.db import models$/&\nfrom django.core.validators import RegexValidator/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('sku', models.CharField(max_length=8, unique=True, validators=[django.core.validators.RegexValidator('^[A-Z]{3}-[0-9]{4}\$')])),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/'
# ...or an example after a colon, "(example: SKU-AB12)", or in quotes,
# German's „...“ after "z. B." (h673: neither read, 15).
expect_grade shop-viewsets ecommerce-api "a required SKU whose refusal gives an example after a colon is filled like it" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[A-Z]{2}[0-9]{2}", value):\n            raise serializers.ValidationError("Enter a stock keeping unit (example: SKU-AB12).")\n        return value\n/'
expect_grade shop-viewsets ecommerce-api "a required SKU whose refusal quotes its example is filled like it" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"KAF-[0-9]{4}", value):\n            raise serializers.ValidationError("Ungültige Artikelnummer, z. B. „KAF-0042“.")\n        return value\n/'
# ...or in Spanish, "donde X es un dígito" (h667: filled with capitals,
# 15).
expect_grade shop-viewsets ecommerce-api "a required SKU whose Spanish refusal calls its X's digits is filled with digits" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[0-9]{4}", value):\n            raise serializers.ValidationError("El SKU debe tener el formato SKU-XXXX, donde X es un dígito.")\n        return value\n/'
# ...and one whose lengths a model's own validators give, in Django's
# words, which OPTIONS never describes (h645: MaxLengthValidator(12) on a
# TextField refused "sample-NONCE-1" as "at most 12 characters (it has
# 17)"; MinLengthValidator(20) as "at least 20"): filled to fit.
expect_grade shop-viewsets ecommerce-api "required texts whose model validators state their lengths in Django's words are filled to fit" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    code = models.TextField(validators=[MaxLengthValidator(12)])\n    blurb = models.TextField(validators=[MinLengthValidator(20)])/; s/^from django.db import models$/&\nfrom django.core.validators import MaxLengthValidator, MinLengthValidator/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('code', models.TextField(validators=[django.core.validators.MaxLengthValidator(12)])),\n                ('blurb', models.TextField(validators=[django.core.validators.MinLengthValidator(20)])),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "code", "blurb", "description", "price", "stock"]/'
# ...and orders whose product is a nested serializer (the order's product
# expanded for writes too: {"product": {"non_field_errors": ["Invalid
# data. Expected a dictionary, but got int."]}}, h607): no order is taken,
# and the stock checks' 400s are no refusal of theirs.
expect_grade shop-viewsets ecommerce-api "orders refused for a nested product lose the stock checks too" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"its 400 refuses every order alike" \
	store/serializers.py 's/^    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())$/    product = ProductSerializer()/'
# ...and behind pydantic's list of errors, as an API validating with
# pydantic (or Django Ninja, FastAPI) answers ({"detail": [{"type":
# "missing", "loc": ["body", "payload", "sku"], "msg": "Field required"}]}),
# OPTIONS off (h223): the field named by its "loc", filled blind.
# (An exception handler answering DRF's 400s in that list: required as
# missing, a length refused as string_too_long with its ctx, anything else
# as a value_error.)
PYDANTIC_SHAPE=(
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.pydantic_shape",/'
	store/views.py '$a\\n\ndef pydantic_shape(exc, context):\n    import re\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        items = []\n        for k, v in response.data.items():\n            m = " ".join(map(str, v)) if isinstance(v, list) else str(v)\n            n = re.search(r"no more than (\\d+) characters", m)\n            if "required" in m:\n                items.append({"type": "missing", "loc": ["body", "payload", k], "msg": "Field required"})\n            elif n:\n                items.append({"type": "string_too_long", "loc": ["body", "payload", k], "msg": "String should have at most %s characters" % n.group(1), "ctx": {"max_length": int(n.group(1))}})\n            else:\n                items.append({"type": "value_error", "loc": ["body", "payload", k], "msg": "Value error, " + m})\n        response.data = {"detail": items}\n    return response'
)
expect_grade shop-viewsets ecommerce-api "a required field named in pydantic's list of errors scores 100" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" "${PYDANTIC_SHAPE[@]}"
# ...or in msgspec's words, one error a time under "error", the field in
# backquotes (h829: "Object missing required field `sku`", "Expected
# `str` matching regex '^SKU-[0-9]{4}$' - at `$.sku`", 15 each): the
# field read from them, and its pattern.
MSGSPEC_SHAPE=(
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.msgspec_shape",/'
	store/views.py '$a\\n\ndef msgspec_shape(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        k, v = next(iter(response.data.items()))\n        m = " ".join(map(str, v)) if isinstance(v, list) else str(v)\n        response.data = {"error": "Object missing required field `%s`" % k if "required" in m else "%s - at `$.%s`" % (m, k)}\n    return response'
)
expect_grade shop-viewsets ecommerce-api "a required field named in msgspec's words scores 100" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" "${MSGSPEC_SHAPE[@]}"
expect_grade shop-viewsets ecommerce-api "a required SKU's pattern quoted in msgspec's words is filled by it" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" "${MSGSPEC_SHAPE[@]}" \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[0-9]{4}", value):\n            raise serializers.ValidationError("Expected `str` matching regex '"'"'^SKU-[0-9]{4}$'"'"'")\n        return value\n/'
# ...or in a sentence of the app's own under "error" (h1090: a plain
# view's {"error": "sku is required."}, "The field 'sku' is required.",
# "Missing required field(s): sku", 15 each): the field read from them.
for said in '%s is required.' "The field '%s' is required." 'Missing required field(s): %s'; do
	expect_grade shop-viewsets ecommerce-api "a required field named in a sentence of its own scores 100 ($said)" 100 "" "" \
		"${SKU_NO_OPTIONS[@]}" \
		shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.sentence_shape",/' \
		store/views.py '$a\\n\ndef sentence_shape(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        k, v = next(iter(response.data.items()))\n        m = " ".join(map(str, v)) if isinstance(v, list) else str(v)\n        response.data = {"error": "'"$said"'" % k if "required" in m else "%s: %s" % (k, m)}\n    return response'
done
# ...and its format in such a sentence, the field named first (h1095:
# "sku must look like SKU-XXXX (e.g. SKU-AB12)", 15): filled as asked.
expect_grade shop-viewsets ecommerce-api "a required field's format in a sentence of its own is filled as asked" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.sentence_shape",/' \
	store/views.py '$a\\n\ndef sentence_shape(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        k, v = next(iter(response.data.items()))\n        m = " ".join(map(str, v)) if isinstance(v, list) else str(v)\n        response.data = {"error": "%s is required." % k if "required" in m else "%s %s" % (k, m)}\n    return response' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[A-Z0-9]{4}", value):\n            raise serializers.ValidationError("must look like SKU-XXXX (e.g. SKU-AB12)")\n        return value\n/'
# ...or the field named apart from its words, or sentences in a list
# (h1101: {"message": "Input should be ...", "field": "category"} filled
# as a field "input"; {"errors": ["category: must be one of: ..."]}).
for shape in '{"message": "Field required" if "required" in m else m, "field": k}' '{"errors": ["%s: %s" % (k, m)]}'; do
	expect_grade shop-viewsets ecommerce-api "a required field named beside its words or in a list of sentences scores 100 ($shape)" 100 "" "" \
		"${SKU_NO_OPTIONS[@]}" \
		shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.field_shape",/' \
		store/views.py '$a\\n\ndef field_shape(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        k, v = next(iter(response.data.items()))\n        m = " ".join(map(str, v)) if isinstance(v, list) else str(v)\n        response.data = '"$shape"'\n    return response'
done
# ...and answered 422 in pydantic's list of errors, as Django Ninja
# answers a schema's refusal (h804: conint(gt=0) told min_value=1 on a
# serializer alone): the note says Ninja's way to answer 400.
expect_grade shop-viewsets ecommerce-api "a refusal with Ninja's 422 where 400 is asked says how Ninja answers 400" 70 \
	"order-out-of-stock order-quantity-validation" \
	"(refused, as it should be, but with 422: SPEC.md asks for 400; Django Ninja answers its schemas' refusals 422: an exception handler for ninja.errors.ValidationError returning 400 changes that)" \
	"${PYDANTIC_SHAPE[@]}" \
	store/views.py 's/^        response.data = {"detail": items}$/&\n        response.status_code = 422/'
# ...and the same list answered 422 by a view of the app's own reading
# pydantic's errors() (h889: no Ninja, its "loc" the field alone): told
# 400 is asked, not of Ninja's exception handler.
expect_grade shop-viewsets ecommerce-api "a refusal in pydantic's own 422 where 400 is asked is not told of Ninja" 70 \
	"order-out-of-stock order-quantity-validation" \
	"(refused, as it should be, but with 422: SPEC.md asks for 400)" \
	"${PYDANTIC_SHAPE[@]}" \
	store/views.py 's/^        response.data = {"detail": items}$/&\n        response.status_code = 422/; s/"loc": \["body", "payload", k\]/"loc": [k]/g'
# An exception handler of the app's own that raises on the refusals it
# reshapes (h890: response.data["detail"] of a 400's field errors,
# KeyError): the 500 is said to come from the handler, and the fix is
# the handler, not the step's own advice ("a quantity must be at least
# 1" to a serializer that refused 0).
expect_grade shop-viewsets ecommerce-api "a 500 raised in the API's exception handler is said to be the handler's" 70 \
	"order-out-of-stock order-quantity-validation" \
	"at store/views.py:*) (raised in the API's exception handler while it answered another error); expected 400 — fix the exception handler (settings' REST_FRAMEWORK EXCEPTION_HANDLER)" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.reshape_errors",/' \
	store/views.py '$a\\n\ndef reshape_errors(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None:\n        response.data = {"error": response.data["detail"]}\n    return response'
# A product's page answering 500 (h903: a permission_classes tuple
# missing its comma, a TypeError): the logged exception is the cause, and
# the page's own advice on reaching it ("look it up by that id") is not
# said after it.
dest=$WORK/detail-500-no-advice
if app shop-viewsets ecommerce-api "$dest" \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def retrieve(self, request, *args, **kwargs):\n        raise TypeError("the detail view broke")/'; then
	grade "$dest.json" "$dest" ecommerce-api --no-db
	got=$(jget "$dest.json" "r['score'], ' '.join(c['message'] for c in r['checks'] if c['id'] == 'product-detail')")
	case "$got" in
	"90 "*"(the app logged: TypeError: the detail view broke, at store/views.py:"*"); expected 200") ok "a page's 500 is said with its exception, not with the page's advice on reaching it" ;;
	*) notok "a page's 500 is said with its exception, not with the page's advice on reaching it" "exit $rc: $got" ;;
	esac
else
	notok "a page's 500 is said with its exception, not with the page's advice on reaching it" "could not make the repository"
fi
# ...and in that list, as Django Ninja's 422 words them, a text's format or
# length (h657: "Value error, SKU must look like SKU-XXXX", and
# string_too_long with its ctx's max_length, were read for neither, 0):
# made in that format, or that short.
expect_grade shop-viewsets ecommerce-api "a required SKU's format in pydantic's list of errors is filled in it" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" "${PYDANTIC_SHAPE[@]}" \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[A-Z0-9]{4}", value):\n            raise serializers.ValidationError("SKU must look like SKU-XXXX.")\n        return value\n/'
# ...or a refusal of a field never sent that says it is required in words
# of its own, "A valid SKU is required, e.g. SKU-1234." (h775: "valid"
# read as a type error of a value sent, and nothing filled: 15).
expect_grade shop-viewsets ecommerce-api "a required SKU refused as a valid one required, with an example, is filled like it" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    sku = serializers.CharField(required=False)\n\n    def validate(self, attrs):\n        import re\n        if not re.fullmatch(r"SKU-[0-9]{4}", attrs.get("sku", "")):\n            raise serializers.ValidationError({"sku": "A valid SKU is required, e.g. SKU-1234."})\n        return attrs\n/'
# ...or a refusal of a field never sent that spells out its format alone,
# never saying "required" ("SKU must look like SKU-XXXX (capitals and
# digits).", h810: every product refused, 15): a value of that format.
expect_grade shop-viewsets ecommerce-api "a required SKU refused with its format alone is filled in that format" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    sku = serializers.CharField(required=False)\n\n    def validate(self, attrs):\n        import re\n        if not re.fullmatch(r"SKU-[A-Z0-9]{4}", attrs.get("sku", "")):\n            raise serializers.ValidationError({"sku": "SKU must look like SKU-XXXX (capitals and digits)."})\n        return attrs\n/'
# ...and a choice listed after the field's name, "category must be one of:
# books, toys, garden." (h775: only "Must be one of:" at the message's
# start was read).
expect_grade shop-viewsets ecommerce-api "a required choice listed after the field's name is filled with its first value" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    category = models.CharField(max_length=20, default="")/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('category', models.CharField(max_length=20, default='')),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "category", "description", "price", "stock"]/' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    metadata_class = None/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate(self, attrs):\n        if attrs.get("category") not in ("books", "toys", "garden"):\n            raise serializers.ValidationError({"category": "category must be one of: books, toys, garden."})\n        return attrs\n/'
# ...or as pydantic words a Field(pattern=...) it refused, quoting the
# pattern (h768: "String should match pattern '^SKU-[0-9]{4}$'", a Django
# Ninja shop at 0): made from the pattern, unique for each create.
expect_grade shop-viewsets ecommerce-api "a required SKU's pattern quoted in pydantic's list of errors is filled by it" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" "${PYDANTIC_SHAPE[@]}" \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[0-9]{4}", value):\n            raise serializers.ValidationError("String should match pattern '"'"'^SKU-[0-9]{4}$'"'"'")\n        return value\n/'
expect_grade shop-viewsets ecommerce-api "a required SKU's length in pydantic's list of errors is filled that short" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" "${PYDANTIC_SHAPE[@]}" \
	store/models.py 's/sku = models.CharField(max_length=40, unique=True)/sku = models.CharField(max_length=12, unique=True)/' \
	store/migrations/0001_initial.py "s/('sku', models.CharField(max_length=40, unique=True))/('sku', models.CharField(max_length=12, unique=True))/"
# ...and in Django's own JSON of a form's errors ({"sku": [{"message":
# "This field is required.", "code": "required"}]}: get_json_data(), a
# plain Django API validating with forms, h556), at the top or inside an
# envelope: read as DRF's, filled blind (it was 15).
# django_shape WRAPPED: SED_FILE SED_EXPR pairs answering DRF's 400s as
# Django's JSON of a form's errors, WRAPPED a Python expression of
# `errors` (the errors themselves, or an envelope holding them).
django_shape() {
	printf '%s\n' "${SKU_NO_OPTIONS[@]}" \
		shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.django_shape",/' \
		store/views.py '$a\\n\ndef django_shape(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        errors = {k: [{"message": str(m), "code": getattr(m, "code", "invalid")} for m in (v if isinstance(v, list) else [v])] for k, v in response.data.items()}\n        response.data = '"$1"'\n    return response'
}
mapfile -t DJANGO_SHAPE < <(django_shape errors)
expect_grade shop-viewsets ecommerce-api "a required field named in Django's JSON of form errors scores 100" 100 "" "" \
	"${DJANGO_SHAPE[@]}"
mapfile -t DJANGO_SHAPE < <(django_shape '{"errors": errors}')
expect_grade shop-viewsets ecommerce-api "a required field named in Django's JSON of form errors inside an envelope scores 100" 100 "" "" \
	"${DJANGO_SHAPE[@]}"
# ...and the same list answered 422, as Django Ninja and FastAPI answer a
# missing field (h266): filled alike.
expect_grade shop-viewsets ecommerce-api "a required field named in a 422's list of errors scores 100" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.pydantic_shape",/' \
	store/views.py '$a\\n\ndef pydantic_shape(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict) and "sku" in response.data:\n        response.data = {"detail": [{"type": "missing", "loc": ["body", "payload", "sku"], "msg": "Field required"}]}\n        response.status_code = 422\n    return response'
# ...and behind drf-standardized-errors' shape ({"type":
# "validation_error", "errors": [{"code": "required", "detail": "This
# field is required.", "attr": "sku"}]}), OPTIONS off (h259): the field
# named by its "attr", filled blind.
expect_grade shop-viewsets ecommerce-api "a required field named by drf-standardized-errors scores 100" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.standardized",/' \
	store/views.py '$a\\n\ndef standardized(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        said = {k: " ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in response.data.items()}\n        response.data = {"type": "validation_error", "errors": [{"code": "required" if "required" in m else "invalid", "detail": m, "attr": k} for k, m in said.items()]}\n    return response'
# ...and in a list of {"field", "message"} objects, an exception
# handler's own (h568: 15 for a correct app), OPTIONS off.
expect_grade shop-viewsets ecommerce-api "a required field named by a list of field and message objects scores 100" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.field_list",/' \
	store/views.py '$a\\n\ndef field_list(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        response.data = {"errors": [{"field": k, "message": str(m)} for k, v in response.data.items() for m in (v if isinstance(v, list) else [v])]}\n    return response'
# ...and inside an exception handler's envelope of DRF's own shape
# ({"errores": {"sku": ["Este campo es requerido."]}, "status_code": 400}),
# OPTIONS off (h295): the field named one level down, filled blind.
expect_grade shop-viewsets ecommerce-api "a required field named inside an envelope of DRF's shape scores 100" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.errores",/' \
	store/views.py '$a\\n\ndef errores(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        response.data = {"errores": response.data, "status_code": 400}\n    return response'
# ...and inside two envelopes ({"error": {"code": ..., "message": "This
# field is required.", "details": {"sku": [...]}}}, h326), OPTIONS off:
# the field named two levels down is filled, the envelope's own "message"
# is not taken for a field.
expect_grade shop-viewsets ecommerce-api "a required field named two envelopes down scores 100" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.enveloped",/' \
	store/views.py '$a\\n\ndef enveloped(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        first = next(iter(response.data.values()), [""])\n        response.data = {"error": {"code": "validation_error", "message": str(first[0] if isinstance(first, list) else first), "details": response.data}}\n    return response'
# ...its format spelled out there ("SKU must look like SKU-XXXX", h661:
# the field was filled from the envelope, its format never read: 15):
# made in that format.
expect_grade shop-viewsets ecommerce-api "a required SKU whose format is refused two envelopes down is filled in it" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.enveloped",/' \
	store/views.py '$a\\n\ndef enveloped(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        response.data = {"error": {"code": "validation_error", "message": "The request is not valid.", "details": response.data}}\n    return response' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[A-Z0-9]{4}", value):\n            raise serializers.ValidationError("SKU must look like SKU-XXXX (e.g. SKU-AB12).")\n        return value\n/'
# ...and an RFC 9457 problem's invalid_params ({"name": "sku", "reason":
# ...}, RFC 9457's own example, h680: 15), OPTIONS off, the SKU's format
# refused there too: filled, then made in that format.
expect_grade shop-viewsets ecommerce-api "a required SKU named in a problem's invalid_params, its format refused there, scores 100" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.problem",/' \
	store/views.py '$a\\n\ndef problem(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        said = [(k, str(m)) for k, v in response.data.items() for m in (v if isinstance(v, list) else [v])]\n        response.data = {"type": "https://example.com/problems/validation-error", "title": "Your request parameters did not validate.", "status": 400, "detail": "%d request parameter(s) did not validate, see invalid_params." % len(said), "invalid_params": [{"name": k, "reason": m} for k, m in said]}\n    return response' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[A-Z0-9]{4}", value):\n            raise serializers.ValidationError("SKU must look like SKU-XXXX (e.g. SKU-AB12).")\n        return value\n/'
# ...and JSON:API's error objects, each field named by its source's
# pointer ({"source": {"pointer": "/data/attributes/sku"}}, h710: never
# read, 15), OPTIONS off, the SKU's format refused there too.
expect_grade shop-viewsets ecommerce-api "a required SKU named by a JSON:API error's source pointer, its format refused there, scores 100" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.jsonapi_errors",/' \
	store/views.py '$a\\n\ndef jsonapi_errors(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        said = [(k, m) for k, v in response.data.items() for m in (v if isinstance(v, list) else [v])]\n        response.data = {"errors": [{"status": "400", "code": getattr(m, "code", "invalid"), "title": "Invalid attribute", "detail": str(m), "source": {"pointer": "/data/attributes/%s" % k}} for k, m in said]}\n    return response' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[A-Z0-9]{4}", value):\n            raise serializers.ValidationError("SKU must look like SKU-XXXX (e.g. SKU-AB12).")\n        return value\n/'
# ...and a problem saying it in its detail alone ("sku: SKU must look like
# SKU-XXXX", h680: 15), its refusals of the anonymous titled
# "Authentication required.", which is no field the API requires.
expect_grade shop-viewsets ecommerce-api "a required SKU whose format a problem's detail states scores 100" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.problem",/' \
	store/views.py '$a\\n\ndef problem(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        said = [(k, str(m)) for k, v in response.data.items() for m in (v if isinstance(v, list) else [v])]\n        response.data = {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": "; ".join("%s: %s" % p for p in said)}\n    elif response is not None and response.status_code in (401, 403):\n        response.data = {"type": "about:blank", "title": "Authentication required.", "status": response.status_code, "detail": str(response.data.get("detail", ""))}\n    return response' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[A-Z0-9]{4}", value):\n            raise serializers.ValidationError("SKU must look like SKU-XXXX (e.g. SKU-AB12).")\n        return value\n/'
# ...and in Django's own shape, a form's get_json_data() ({"sku":
# [{"message": ..., "code": ...}]}, h686: the refusal of the made-up
# value was read raw, and its format never found: 15).
expect_grade shop-viewsets ecommerce-api "a required SKU whose format Django's error shape states scores 100" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.django_shape",/' \
	store/views.py '$a\\n\ndef django_shape(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        response.data = {k: [{"message": str(m), "code": getattr(m, "code", "invalid")} for m in (v if isinstance(v, list) else [v])] for k, v in response.data.items()}\n    return response' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[0-9]{4}", value):\n            raise serializers.ValidationError("SKU must look like SKU-1234 (e.g. SKU-0042).")\n        return value\n/'
# ...and Django's shape as form.errors.as_json() writes it, a string of
# JSON inside the JSON answer ({"errors": "{\"sku\": [...]}"}, h851: the
# string was never read as the fields it names, and the app scored 15).
expect_grade shop-viewsets ecommerce-api "a required SKU named in a string of JSON (form.errors.as_json()) scores 100" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.as_json_shape",/' \
	store/views.py '$a\\n\ndef as_json_shape(exc, context):\n    import json\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        response.data = {"errors": json.dumps({k: [{"message": str(m), "code": getattr(m, "code", "invalid")} for m in (v if isinstance(v, list) else [v])] for k, v in response.data.items()})}\n    return response'
# A create answered 201 with what it was sent and no id (Django Ninja's
# response={201: ProductIn}, h853), the list giving it, in pages of two:
# products-list charges the create's answer; every other check finds its
# product in the list, every page read, and goes on (as for a create
# answered 200), instead of the whole API's 85 points.
expect_grade shop-viewsets ecommerce-api "a create answered without its id costs products-list alone when the list gives it" 90 \
	products-list "the created product's id was missing" \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def create(self, request, *args, **kwargs):\n        response = super().create(request, *args, **kwargs)\n        response.data.pop("id", None)\n        return response/' \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",\n    "PAGE_SIZE": 2,/'
# A refusal answered 200 with its errors in the body (h853: a Ninja
# exception handler's JsonResponse without status=400): said as refused
# in its body with the wrong status, not told how to refuse a quantity.
expect_grade shop-viewsets ecommerce-api "a quantity refused in the body with status 200 is told to answer 400" 90 \
	order-quantity-validation "answered 200 {\"errors\": {\"quantity\": [\"Quantity must be at least 1.\"]}} (refused in its body, but with status 200: answer the errors with 400, status=400 on the response the view or its exception handler returns); expected 400" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.ok_errors",/' \
	store/views.py '$a\\n\ndef ok_errors(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and "Quantity must be at least 1." in str(response.data):\n        response.data = {"errors": response.data}\n        response.status_code = 200\n    return response'
# ...and an SKU whose refusal asks for capitals in words alone ("SKU must
# be 3-32 upper-case letters, digits or dashes.", h863: the lower-case
# made-up value was refused, and the app scored 15): made in capitals.
expect_grade shop-viewsets ecommerce-api "a required SKU refused in words asking for upper-case is filled in capitals" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"[A-Z0-9-]{3,32}", value):\n            raise serializers.ValidationError("SKU must be 3-32 upper-case letters, digits or dashes.")\n        return value\n/'
# ...and one whose refusal states its lengths in marshmallow's words
# ("Length must be between 3 and 12.", h1163: the 17-character made-up
# value was refused by every create, 15), or in the app's own ("Use 4 to
# 16 upper-case letters, digits or dashes.", h1163: 80): filled to fit.
expect_grade shop-viewsets ecommerce-api "a required SKU refused in marshmallow's words for its length is filled to fit" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        if not 3 <= len(value) <= 12:\n            raise serializers.ValidationError("Length must be between 3 and 12.")\n        return value\n/'
expect_grade shop-viewsets ecommerce-api "a required SKU refused in words asking for 4 to 16 capitals is filled within both" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"[A-Z0-9-]{4,16}", value):\n            raise serializers.ValidationError("Use 4 to 16 upper-case letters, digits or dashes.")\n        return value\n/'
# A required reference of 6 to 12 characters in capitals, its refusal
# saying one rule at a time (h935: the capitals asked were made 17 long,
# then the length asked was made in small letters, three rounds spent,
# 15): each round keeps what the earlier ones and OPTIONS told.
reference_field=(
	store/models.py 's/^from django.core.validators import MinValueValidator$/from django.core.validators import MinLengthValidator, MinValueValidator, RegexValidator/'
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    reference = models.CharField(max_length=12, unique=True, validators=[MinLengthValidator(6), RegexValidator(r"^[A-Z0-9-]+$", "Use upper-case letters, digits or dashes.")])/'
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('reference', models.CharField(max_length=12, unique=True, validators=[django.core.validators.MinLengthValidator(6), django.core.validators.RegexValidator('^[A-Z0-9-]+\$', 'Use upper-case letters, digits or dashes.')])),/"
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "reference", "description", "price", "stock"]/'
)
expect_grade shop-viewsets ecommerce-api "a required reference whose refusals say its capitals and its length apart is filled within both" 100 "" "" \
	"${reference_field[@]}"
# ...and without OPTIONS, both rules in one refusal, the length second.
expect_grade shop-viewsets ecommerce-api "a required reference refused for capitals and length at once, OPTIONS off, is filled within both" 100 "" "" \
	"${reference_field[@]}" \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    metadata_class = None/'
# ...and in Spanish (h869: "El SKU solo admite letras mayúsculas, cifras y
# guiones."), as the format's examples are read in the languages
# words_template knows.
expect_grade shop-viewsets ecommerce-api "a required SKU refused in Spanish words asking for capitals is filled in capitals" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"[A-Z0-9-]{3,32}", value):\n            raise serializers.ValidationError("El SKU solo admite letras may\\u00fasculas, cifras y guiones.")\n        return value\n/'
# A product page and the list both answering 500 (h870: an order_by of a
# field the model lacks, in get_queryset, for reads alone): product-detail
# and products-list charge it; the stock checks' confirming reads, every
# candidate an error, pass unjudged (one bug is not charged twice), and
# so do the controls; order-create and the checks reading a stock before
# their request cannot start.
expect_grade shop-viewsets ecommerce-api "a product page and list both 500 do not cost the stock checks' confirming reads" 40 \
	"products-list product-detail product-create-staff-only order-create order-auth-required order-whole-stock" "" \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def get_queryset(self):\n        qs = super().get_queryset()\n        return qs.order_by("no_such_field") if self.request.method == "GET" else qs/'
# A product page for signed-in users alone, the list open (h866:
# get_permissions giving retrieve IsAuthenticated): SPEC.md's "anyone"
# reads it anonymously, and product-detail says the permission refused.
expect_grade shop-viewsets ecommerce-api "a product page gated to signed-in users costs product-detail" 90 \
	product-detail "as anonymous answered 403*anyone may read a product's page (SPEC.md)" \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def get_permissions(self):\n        if self.action == "retrieve":\n            return [permissions.IsAuthenticated()]\n        return super().get_permissions()/'
# ...and an SKU of at most 8 characters whose format is checked only once
# its length passes (h686: the 8-character value refused for its format
# was never sent again): a length, then a format, each as refused.
expect_grade shop-viewsets ecommerce-api "a required SKU refused for its length, then its format, scores 100" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    sku = models.CharField(max_length=8, unique=True)/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('sku', models.CharField(max_length=8, unique=True)),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "description", "price", "stock"]/' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    metadata_class = None/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def validate_sku(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[0-9]{4}", value):\n            raise serializers.ValidationError("SKU must look like SKU-1234 (e.g. SKU-0042).")\n        return value\n/'
# ...and a camelCase field OPTIONS describes (skuCode) whose refusal names
# it in snake_case, drf-standardized-errors' attr "sku_code" (a camelCase
# renderer camelises keys, not values; h661: never matched, 15): the
# format is read for the field sent.
expect_grade shop-viewsets ecommerce-api "a camelCase field refused by its snake_case attr is filled in the format asked" 100 "" "" \
	"${sku_field[@]}" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "skuCode", "description", "price", "stock"]/' \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    skuCode = serializers.CharField(source="sku", max_length=40)\n\n    def validate_skuCode(self, value):\n        import re\n        if not re.fullmatch(r"SKU-[A-Z0-9]{4}", value):\n            raise serializers.ValidationError("SKU must look like SKU-XXXX.")\n        return value\n/' \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.standardized",/' \
	store/views.py '$a\\n\ndef standardized(exc, context):\n    import re\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        said = {k: " ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in response.data.items()}\n        response.data = {"type": "validation_error", "errors": [{"code": "required" if "required" in m else "invalid", "detail": m, "attr": re.sub(r"([A-Z])", lambda c: "_" + c.group(1).lower(), k)} for k, m in said.items()]}\n    return response'
# ...and two envelopes down in HackSoft's styleguide's shape ({"message":
# "Validation error", "extra": {"fields": {"sku": ["This field cannot be
# blank."]}}}, a service's full_clean(), h566: 15 for a correct app, as
# only one envelope was looked into before OPTIONS was asked).
expect_grade shop-viewsets ecommerce-api "a required field named two envelopes down in a model's words scores 100" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.styleguide",/' \
	store/views.py '$a\\n\ndef styleguide(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        fields = {k: ["This field cannot be blank." if "required" in str(m) else str(m) for m in v] if isinstance(v, list) else v for k, v in response.data.items()}\n        response.data = {"message": "Validation error", "extra": {"fields": fields}}\n    return response'
# OPTIONS rendered in camelCase (djangorestframework-camel-case's
# renderer, h323: "maxLength", "minValue"): a required SKU of at most 8
# characters and a weight of at least 5 are filled within those limits.
expect_grade shop-viewsets ecommerce-api "a required SKU and weight described by camelCase OPTIONS score 100" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    sku = models.CharField(max_length=8, unique=True)\n    weight = models.IntegerField(validators=[MinValueValidator(5)])/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('sku', models.CharField(max_length=8, unique=True)),\n                ('weight', models.IntegerField(validators=[django.core.validators.MinValueValidator(5)])),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "sku", "weight", "description", "price", "stock"]/' \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "DEFAULT_METADATA_CLASS": "store.permissions.CamelMetadata",/' \
	store/permissions.py '$a\\n\nfrom rest_framework.metadata import SimpleMetadata\n\n\nclass CamelMetadata(SimpleMetadata):\n    def get_field_info(self, field):\n        info = super().get_field_info(field)\n        return {k.split("_")[0] + "".join(w.title() for w in k.split("_")[1:]): v for k, v in info.items()}'
# Pages of one whose next is built from a setting's host
# ("http://localhost:8000/...", h679: not followed, and the message said
# only that the list missed orders): the message says the link left the
# app, and how links are built.
expect_grade shop-viewsets ecommerce-api "a next page at another host is said not followed" 80 "products-list orders-private" \
	"is not at the app's address, and was not read: build the links from the request" \
	shopsite/settings.py 's/"rest_framework.pagination.PageNumberPagination"/"store.permissions.OtherHostPages"/' \
	store/permissions.py '$a\\n\nimport re\n\nfrom rest_framework.pagination import PageNumberPagination\n\n\nclass OtherHostPages(PageNumberPagination):\n    page_size = 1\n\n    def get_next_link(self):\n        link = super().get_next_link()\n        return link and re.sub(r"^https?://[^/]+", "http://localhost:8000", link)'
# Pages of one whose next is a reference relative to the page ("?page=2",
# a pager written by hand, h338): followed as a browser resolves it, and
# every list is judged whole.
expect_grade shop-viewsets ecommerce-api "a paginated list whose next is a relative reference scores 100" 100 "" "" \
	shopsite/settings.py 's/"rest_framework.pagination.PageNumberPagination"/"store.permissions.RelativePages"/' \
	store/permissions.py '$a\\n\nfrom rest_framework.pagination import PageNumberPagination\n\n\nclass RelativePages(PageNumberPagination):\n    page_size = 1\n\n    def get_next_link(self):\n        return "?page=%d" % self.page.next_page_number() if self.page.has_next() else None\n\n    def get_previous_link(self):\n        return None'
# ...and pages of one shaped as Django Ninja's, {"items", "count"}, with a
# "next" (h596: judged on their first page, orders-private lost).
expect_grade shop-viewsets ecommerce-api "pages of items, count and next are read whole" 100 "" "" \
	shopsite/settings.py 's/"rest_framework.pagination.PageNumberPagination"/"store.permissions.ItemsPages"/' \
	store/permissions.py '$a\\n\nfrom rest_framework.pagination import PageNumberPagination\nfrom rest_framework.response import Response\n\n\nclass ItemsPages(PageNumberPagination):\n    page_size = 1\n\n    def get_paginated_response(self, data):\n        return Response({"items": data, "count": self.page.paginator.count, "next": self.get_next_link()})'
# ...and as Django Ninja's own paginators write them, {"items", "count"}
# and no next at all (h631): the rest asked for as ?page=N and ?offset=K,
# which each of Ninja's paginators reads its own of (orders-private lost).
expect_grade shop-viewsets ecommerce-api "pages of items and count without a next are read whole by page" 100 "" "" \
	shopsite/settings.py 's/"rest_framework.pagination.PageNumberPagination"/"store.permissions.NinjaPages"/' \
	store/permissions.py '$a\\n\nfrom rest_framework.pagination import PageNumberPagination\nfrom rest_framework.response import Response\n\n\nclass NinjaPages(PageNumberPagination):\n    page_size = 1\n\n    def get_paginated_response(self, data):\n        return Response({"items": data, "count": self.page.paginator.count})'
expect_grade shop-viewsets ecommerce-api "pages of items and count without a next are read whole by offset" 100 "" "" \
	shopsite/settings.py 's/"rest_framework.pagination.PageNumberPagination"/"store.permissions.NinjaOffsets"/' \
	store/permissions.py '$a\\n\nfrom rest_framework.pagination import LimitOffsetPagination\nfrom rest_framework.response import Response\n\n\nclass NinjaOffsets(LimitOffsetPagination):\n    default_limit = 1\n\n    def get_paginated_response(self, data):\n        return Response({"items": data, "count": self.count})'
# ...and pages whose next is a page's number ({"results": [...], "next":
# 2}, a pager written by hand, h577): followed as ?page=2, and every list
# is judged whole (90, its sold-out product said hidden, before).
expect_grade shop-viewsets ecommerce-api "a paginated list whose next is a page number scores 100" 100 "" "" \
	shopsite/settings.py 's/"rest_framework.pagination.PageNumberPagination"/"store.permissions.NumberedPages"/' \
	store/permissions.py '$a\\n\nfrom rest_framework.pagination import PageNumberPagination\n\n\nclass NumberedPages(PageNumberPagination):\n    page_size = 1\n\n    def get_next_link(self):\n        return self.page.next_page_number() if self.page.has_next() else None\n\n    def get_previous_link(self):\n        return None'
# ...and pages whose next is written inside "meta" (h710), or inside a
# pagination block of "meta", or as a HAL link ("_links": {"next":
# {"href": URL}}): followed, and every list judged whole (orders-private
# and products-list lost their rows past the first page, said as a
# filter's fault, before).
expect_grade shop-viewsets ecommerce-api "a paginated list whose next is inside meta scores 100" 100 "" "" \
	shopsite/settings.py 's/"rest_framework.pagination.PageNumberPagination"/"store.permissions.MetaPages"/' \
	store/permissions.py '$a\\n\nfrom rest_framework.pagination import PageNumberPagination\nfrom rest_framework.response import Response\n\n\nclass MetaPages(PageNumberPagination):\n    page_size = 1\n\n    def get_paginated_response(self, data):\n        return Response({"results": data, "meta": {"count": self.page.paginator.count, "next": self.get_next_link(), "previous": self.get_previous_link()}})'
expect_grade shop-viewsets ecommerce-api "a paginated list whose next is in meta's pagination block, or a HAL link, scores 100" 100 "" "" \
	shopsite/settings.py 's/"rest_framework.pagination.PageNumberPagination"/"store.permissions.DeepPages"/' \
	store/permissions.py '$a\\n\nfrom rest_framework.pagination import PageNumberPagination\nfrom rest_framework.response import Response\n\n\nclass DeepPages(PageNumberPagination):\n    page_size = 1\n\n    def get_paginated_response(self, data):\n        nxt = self.get_next_link()\n        if self.request.query_params.get("page") == "2":\n            return Response({"results": data, "_links": {"self": {"href": "x"}, "next": {"href": nxt} if nxt else None}})\n        return Response({"results": data, "meta": {"pagination": {"total": self.page.paginator.count, "next": nxt}}})'
# ...and refused in a model's words, as full_clean() answers a plain
# Django API ({"sku": ["This field cannot be blank."]}, h541: 15 for a
# correct app): a field not sent, so filled blind as a required one.
expect_grade shop-viewsets ecommerce-api "a required field refused as cannot be blank scores 100" 100 "" "" \
	"${SKU_NO_OPTIONS[@]}" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.blank",/' \
	store/views.py '$a\\n\ndef blank(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        response.data = {k: ["This field cannot be blank." if "required" in str(m) else str(m) for m in v] if isinstance(v, list) else v for k, v in response.data.items()}\n    return response'
# A required choice of the app's own, OPTIONS off (h131): named by DRF's
# errors, filled blind, and refused as no valid choice in every check that
# creates a product; the message says the value was a guess, where the
# choices could come from (h538), and the report gives the refusal once
# as their common cause.
expect_grade shop-viewsets ecommerce-api "a required choice with no OPTIONS says its value was filled blind" 15 \
	"products-list product-detail order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	"is not a valid choice.*(DRF lists no valid choice: give the choice a default; the grader also filled, blind as OPTIONS described no field, the API's required category \"sample-*\")" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    category = models.CharField(max_length=10, choices=[("home", "Home"), ("garden", "Garden")])/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('category', models.CharField(max_length=10, choices=[('home', 'Home'), ('garden', 'Garden')])),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "category", "description", "price", "stock"]/' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    metadata_class = None/'
if grep -q 'sample-N' "$WORK"/shop-viewsets-a-required-choice-with-no-*.json 2>/dev/null &&
	[ "$(jget "$(ls "$WORK"/shop-viewsets-a-required-choice-with-no-*.json | head -1)" "len(r['causes'][0]['checks'])")" -ge 7 ]; then
	ok "a choice filled blind, refused in every check, is one cause"
else
	notok "a choice filled blind, refused in every check, is one cause" "$(jget "$(ls "$WORK"/shop-viewsets-a-required-choice-with-no-*.json | head -1)" "r['causes']")"
fi
# The same choice refused in pydantic's words, which list the values it
# takes ({"type": "literal_error", "loc": [..., "category"], "ctx":
# {"expected": "'home' or 'garden'"}}, as Django Ninja says a Literal's,
# h491: 0 points for a correct app): the first value it lists is sent,
# and kept for the later creates.
expect_grade shop-viewsets ecommerce-api "a required choice refused with pydantic's list of values scores 100" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    category = models.CharField(max_length=10, choices=[("home", "Home"), ("garden", "Garden")])/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('category', models.CharField(max_length=10, choices=[('home', 'Home'), ('garden', 'Garden')])),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "category", "description", "price", "stock"]/' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    metadata_class = None/' \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.pydantic_shape",/' \
	store/views.py '$a\\n\ndef pydantic_shape(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        said = {k: " ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in response.data.items()}\n        response.data = {"detail": [{"type": "missing", "loc": ["body", "payload", k], "msg": "Field required"} if "required" in m else {"type": "literal_error", "loc": ["body", "payload", k], "msg": "Input should be \x27home\x27 or \x27garden\x27", "ctx": {"expected": "\x27home\x27 or \x27garden\x27"}} if "valid choice" in m else {"type": "value_error", "loc": ["body", "payload", k], "msg": m} for k, m in said.items()]}\n    return response'
# A required date refused in pydantic's words ({"type":
# "date_from_datetime_parsing", "loc": [..., "release_date"]}, h871: a
# plain view validating with pydantic, its date filled "sample-..." and
# never sent again, 15): a date is sent, and kept for the later creates.
expect_grade shop-viewsets ecommerce-api "a required date refused with pydantic's type error scores 100" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    release_date = models.DateField()/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('release_date', models.DateField()),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "release_date", "description", "price", "stock"]/' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    metadata_class = None/' \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.pydantic_shape",/' \
	store/views.py '$a\\n\ndef pydantic_shape(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        said = {k: " ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in response.data.items()}\n        response.data = {"detail": [{"type": "missing", "loc": ["body", "payload", k], "msg": "Field required"} if "required" in m else {"type": "date_from_datetime_parsing", "loc": ["body", "payload", k], "msg": "Input should be a valid date or datetime, invalid character in year"} for k, m in said.items()]}\n    return response'
# ...and a choice never sent refused in pydantic's words inside DRF's
# shape ({"category": ["Input should be 'home' or 'garden'"]}, a
# service's own check, SPEC.md's words, h566: 15 for a correct app): the
# first value listed is sent, and kept for the later creates.
expect_grade shop-viewsets ecommerce-api "a required choice never sent, refused with pydantic's words in DRF's shape, scores 100" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    category = models.CharField(max_length=10, choices=[("home", "Home"), ("garden", "Garden")])/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('category', models.CharField(max_length=10, choices=[('home', 'Home'), ('garden', 'Garden')])),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "category", "description", "price", "stock"]/' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    metadata_class = None/' \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.listed",/' \
	store/views.py '$a\\n\ndef listed(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict) and "category" in response.data:\n        response.data["category"] = ["Input should be \x27home\x27 or \x27garden\x27"]\n    return response'
# ...and in marshmallow's words, OneOf's "Must be one of: home, garden."
# (h631: an API validating with marshmallow scored 15).
expect_grade shop-viewsets ecommerce-api "a required choice never sent, refused with marshmallow's words, scores 100" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    category = models.CharField(max_length=10, choices=[("home", "Home"), ("garden", "Garden")])/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('category', models.CharField(max_length=10, choices=[('home', 'Home'), ('garden', 'Garden')])),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "category", "description", "price", "stock"]/' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    metadata_class = None/' \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.listed",/' \
	store/views.py '$a\\n\ndef listed(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict) and "category" in response.data:\n        response.data["category"] = ["Must be one of: home, garden."]\n    return response'
# ...and in an app's own Spanish words for it, "Debe ser una de: home,
# garden." (h667: 15).
expect_grade shop-viewsets ecommerce-api "a required choice never sent, refused in Spanish words listing the choices, scores 100" 100 "" "" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    category = models.CharField(max_length=10, choices=[("home", "Home"), ("garden", "Garden")])/' \
	store/migrations/0001_initial.py "s/^                ('name', models.CharField(max_length=200)),$/&\n                ('category', models.CharField(max_length=10, choices=[('home', 'Home'), ('garden', 'Garden')])),/" \
	store/serializers.py 's/fields = \["id", "name", "description", "price", "stock"\]/fields = ["id", "name", "category", "description", "price", "stock"]/' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    metadata_class = None/' \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.listed",/' \
	store/views.py '$a\\n\ndef listed(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict) and "category" in response.data:\n        response.data["category"] = ["Debe ser una de: home, garden."]\n    return response'
# Products keyed by UUIDs (h569): an order that leaves the stock as it
# was is said with the stock read back, where the ids said three times
# cut it off the end of the message ("the prod… — ordering 2 …").
expect_grade shop-viewsets ecommerce-api "a stock never taken, on UUID keys, is said with the stock read back" 85 \
	order-create "the product's stock was 5*expected 3" \
	store/models.py 's/^class Product(models.Model):$/&\n    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)/; s/^from django.db import models$/&\nimport uuid/' \
	store/migrations/0001_initial.py "0,/^                ('id', models.BigAutoField(.*$/s//                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),/" \
	store/migrations/0001_initial.py '0,/^from django.db import /s//import uuid\n&/' \
	store/serializers.py 's/stock=F("stock") - quantity/stock=F("stock")/'
# ...and its product's page looked up by Django's get_object_or_404 (h816):
# an unknown id is asked for in the app's own form, a UUID no row has,
# answered 404, not as 987654321, which Django refuses with "is not a
# valid UUID" (a 500).
expect_grade shop-viewsets ecommerce-api "an unknown product on UUID keys is asked for by a UUID" 100 "" "" \
	store/models.py 's/^class Product(models.Model):$/&\n    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)/; s/^from django.db import models$/&\nimport uuid/' \
	store/migrations/0001_initial.py "0,/^                ('id', models.BigAutoField(.*$/s//                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),/" \
	store/migrations/0001_initial.py '0,/^from django.db import /s//import uuid\n&/' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def retrieve(self, request, pk=None):\n        from django.shortcuts import get_object_or_404\n        from rest_framework.response import Response\n        return Response(self.get_serializer(get_object_or_404(Product, pk=pk)).data)/'
# An API that takes sessions and tokens, whose order list filters by user
# only for a token (request.auth), so a browser's session lists every
# order: the grader signs in with both, sends the token only after a
# refusal, and the session path's leak costs orders-private.
expect_grade shop-viewsets ecommerce-api "every order listed to a session but not to a token costs orders-private" 90 \
	orders-private "bob must not see alice's orders" \
	shopsite/settings.py 's/^    "rest_framework",$/&\n    "rest_framework.authtoken",/' \
	shopsite/settings.py 's/^        "rest_framework.authentication.BasicAuthentication",$/&\n        "rest_framework.authentication.TokenAuthentication",/' \
	store/views.py 's/^        return Order.objects.filter(user=self.request.user).select_related("product")$/        if self.request.auth is None:  # a session: every order, by mistake\n            return Order.objects.all().select_related("product")\n&/'
# An API of DRF tokens alone without rest_framework.authtoken installed:
# no token can be made, by the grader or anyone; the 401s say what the
# grader could not make and why (h540, where knox 4.2's tokens could not
# be made, read as the app refusing every sign-in).
expect_grade shop-viewsets ecommerce-api "a token the grader could not make is said beside the 401" 0 \
	"products-list product-detail product-create-staff-only order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	"answered 401 (401 is \"not signed in\": the grader could not make the sign-in the API takes, token: RuntimeError: rest_framework.authtoken is not in INSTALLED_APPS, so it came with the session alone)" \
	shopsite/settings.py 's/^        "rest_framework.authentication.SessionAuthentication",$/        "rest_framework.authentication.TokenAuthentication",/' \
	shopsite/settings.py '/^        "rest_framework.authentication.BasicAuthentication",$/d'
# An order serializer whose user stays writable (fields with "user"):
# every order answers 400 {"user": ["This field is required."]}, and the
# stock checks' 400s, that same refusal, are not taken for theirs (h569,
# h581: they kept 30 points for an API that takes no order).
expect_grade shop-viewsets ecommerce-api "orders refused for a required user lose the stock checks too" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"its 400 refuses every order alike (a field it does not send required, or the product's id itself)* — an order sends {product: id, quantity: n} alone" \
	store/serializers.py 's/        fields = \["id", "product", "product_name", "quantity", "created_at"\]/        fields = ["id", "user", "product", "product_name", "quantity", "created_at"]/'
# ...the same in German ({"user": ["Dieses Feld ist zwingend
# erforderlich."]}, h601: the English words alone were recognised, and a
# German API that takes no order kept the stock checks' 30 points).
expect_grade shop-viewsets ecommerce-api "orders refused for a required user in German lose the stock checks too" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"its 400 refuses every order alike (a field it does not send required, or the product's id itself)" \
	shopsite/settings.py 's/^LANGUAGE_CODE = "en-us"$/LANGUAGE_CODE = "de"/' \
	store/serializers.py 's/        fields = \["id", "product", "product_name", "quantity", "created_at"\]/        fields = ["id", "user", "product", "product_name", "quantity", "created_at"]/'
# ...and in an RFC 9457 problem, its invalid_params naming the field, or
# its detail alone saying "user: This field is required." (h680: neither
# read, 30 points kept).
expect_grade shop-viewsets ecommerce-api "orders refused for a required user in a problem document lose the stock checks too" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"its 400 refuses every order alike (a field it does not send required, or the product's id itself)" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.problem",/' \
	store/views.py '$a\\n\ndef problem(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        said = [(k, str(m)) for k, v in response.data.items() for m in (v if isinstance(v, list) else [v])]\n        response.data = {"type": "https://example.com/problems/validation-error", "title": "Your request parameters did not validate.", "status": 400, "detail": "%d request parameter(s) did not validate, see invalid_params." % len(said), "invalid_params": [{"name": k, "reason": m} for k, m in said]}\n    return response' \
	store/serializers.py 's/        fields = \["id", "product", "product_name", "quantity", "created_at"\]/        fields = ["id", "user", "product", "product_name", "quantity", "created_at"]/'
expect_grade shop-viewsets ecommerce-api "orders refused for a required user in a problem's detail lose the stock checks too" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"its 400 refuses every order alike (a field it does not send required, or the product's id itself)" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.problem",/' \
	store/views.py '$a\\n\ndef problem(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and isinstance(response.data, dict):\n        said = [(k, str(m)) for k, v in response.data.items() for m in (v if isinstance(v, list) else [v])]\n        response.data = {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": "; ".join("%s: %s" % p for p in said)}\n    elif response is not None and response.status_code in (401, 403):\n        response.data = {"type": "about:blank", "title": "Authentication required.", "status": response.status_code, "detail": str(response.data.get("detail", ""))}\n    return response' \
	store/serializers.py 's/        fields = \["id", "product", "product_name", "quantity", "created_at"\]/        fields = ["id", "user", "product", "product_name", "quantity", "created_at"]/'
# A stock refusal in an envelope of the app's own naming the stock and
# the quantity asked for ({"detail": ..., "field": "stock", "available":
# "2", "required": "3"}, h698: "required" as a key was read as a field the
# order must send, and the stock checks lost 30): the stock's refusal.
expect_grade shop-viewsets ecommerce-api "a stock refusal whose envelope has a key named required scores 100" 100 "" "" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.stock_envelope",/' \
	store/views.py '$a\\n\ndef stock_envelope(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400 and "stock" in str(response.data):\n        response.data = {"detail": "Not enough stock.", "field": "stock", "available": "0", "required": "1"}\n    return response'
# ...and orders whose product is a slug of its name (SlugRelatedField, the
# id sent refused as "Object with name=4 does not exist.", h582): the
# create's message says the field looks the product up by another field
# (h1052: the 400 quoted alone).
expect_grade shop-viewsets ecommerce-api "orders refused for the product's id lose the stock checks too" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"(the check sends product as an id, as SPEC.md says: a SlugRelatedField looks it up by another field; make it a PrimaryKeyRelatedField)*its 400 refuses every order alike (a field it does not send required, or the product's id itself)" \
	store/serializers.py 's/^    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())$/    product = serializers.SlugRelatedField(slug_field="name", queryset=Product.objects.all())/'
# A product hidden from every page once ordered (a queryset of the
# products nobody ordered): staff, who read its page before the order,
# is told so, not that it lacks permissions (h679: "staff has is_staff
# alone" for a product whose id save() made afresh).
expect_grade shop-viewsets ecommerce-api "a product page gone after an order is said as read before, not as staff's permissions" 85 "order-create order-whole-stock" \
	"as staff answered 404 (staff read this address with a 2xx earlier in the check: what changed since?" \
	store/views.py 's/^    queryset = Product.objects.all()$/    queryset = Product.objects.filter(orders__isnull=True)/'
# A representation that drops falsy values (h685): the sold-out product
# is listed without its stock, which costs products-list, where only
# order-out-of-stock, which reads that stock, was charged.
expect_grade shop-viewsets ecommerce-api "a product listed without its stock of 0 costs products-list" 70 "products-list order-out-of-stock" \
	"the sold-out product's stock in the list was missing" \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    def to_representation(self, instance):\n        return {k: v for k, v in super().to_representation(instance).items() if v}\n/'
# A product page looked up by another field (lookup_field = "name"): its
# 404 costs product-detail alone; the order checks read the stock from the
# list instead.
expect_grade shop-viewsets ecommerce-api "a broken product page costs product-detail alone" 90 \
	product-detail "answered 404" \
	store/views.py 's/^    serializer_class = ProductSerializer$/&\n    lookup_field = "name"/'
# An API signing users in by a scheme of its own (an API key header; a
# JWT read from a cookie alone is the same, h367, h381): every signed-in
# request answers 401, and the report says no user was signed in, not
# "session" as if it had worked.
refused=$WORK/shop-own-key
if app shop-viewsets ecommerce-api "$refused" \
	store/models.py '$a\
\
from rest_framework.authentication import BaseAuthentication\
\
\
class KeyAuthentication(BaseAuthentication):\
    def authenticate(self, request):\
        return None\
\
    def authenticate_header(self, request):\
        return "ApiKey"' \
	shopsite/settings.py 's|        "rest_framework.authentication.SessionAuthentication",|        "store.models.KeyAuthentication",|' \
	shopsite/settings.py '/"rest_framework.authentication.BasicAuthentication",/d'; then
	grade "$refused.json" "$refused" ecommerce-api --no-db
	"$GRADER" grade "$refused" --challenge ecommerce-api --no-db >"$refused.txt" 2>&1
	if [ "$(jget "$refused.json" "r['auth']")" = none ] &&
		grep -q "^Signed in with: none (the app refused every sign-in the grader made, each request answered 401" "$refused.txt"; then
		ok "an API refusing every sign-in the grader makes is said to have signed no one in"
	else
		notok "an API refusing every sign-in the grader makes is said to have signed no one in" "$(jget "$refused.json" "r['auth'], r['score']"); $(grep "Signed in" "$refused.txt")"
	fi
else
	notok "an API refusing every sign-in the grader makes is said to have signed no one in" "could not make the repository"
fi
# The same scheme without authenticate_header: DRF then says "not signed
# in" with 403, which read as what staff may not do ("staff has is_staff
# alone", h484): said as a sign-in refused, and the report signs no one in.
refused403=$WORK/shop-own-key-403
if app shop-viewsets ecommerce-api "$refused403" \
	store/models.py '$a\
\
from rest_framework.authentication import BaseAuthentication\
\
\
class KeyAuthentication(BaseAuthentication):\
    def authenticate(self, request):\
        return None' \
	shopsite/settings.py 's|        "rest_framework.authentication.SessionAuthentication",|        "store.models.KeyAuthentication",|' \
	shopsite/settings.py '/"rest_framework.authentication.BasicAuthentication",/d'; then
	grade "$refused403.json" "$refused403" ecommerce-api --no-db
	m403=$(jget "$refused403.json" "next(c['message'] for c in r['checks'] if c['id']=='products-list')")
	if [ "$(jget "$refused403.json" "r['auth']")" = none ] && case $m403 in
		*"as staff answered 403 (not signed in: the API took none of the sign-ins the grader makes: the session, DRF or knox tokens, SimpleJWT or ninja-jwt; Basic only after a 401 asking for Basic, or for no scheme)"*) true ;; *) false ;; esac; then
		ok "DRF's 403 'not provided' to a signed-in user is said as a refused sign-in, not staff's rights"
	else
		notok "DRF's 403 'not provided' to a signed-in user is said as a refused sign-in, not staff's rights" "$(jget "$refused403.json" "r['auth'], r['score']"); $m403"
	fi
else
	notok "DRF's 403 'not provided' to a signed-in user is said as a refused sign-in, not staff's rights" "could not make the repository"
fi
# Pages of one row: every list the checks read is judged whole (all_pages),
# not its first page.
expect_grade shop-viewsets ecommerce-api "an API whose lists come in pages of one row scores 100" 100 "" "" \
	shopsite/settings.py 's/"PAGE_SIZE": 20,/"PAGE_SIZE": 1,/'
expect_grade shop-viewsets ecommerce-api "every user's orders listed in pages of one row still costs orders-private" 90 \
	orders-private "bob must not see alice's orders" \
	shopsite/settings.py 's/"PAGE_SIZE": 20,/"PAGE_SIZE": 1,/' \
	store/views.py 's/Order.objects.filter(user=self.request.user).select_related("product")/Order.objects.all().select_related("product")/'
# Pages of one row whose answer keeps the count and the results but drops
# "next" (h520: a paginator's get_paginated_response rewritten): the list
# read is its first page, and the message says why the rest is missing.
# products-list alone: orders-private counts her orders by the page's own
# count where no next page can be read (h955: it was charged too).
expect_grade shop-viewsets ecommerce-api "a paginated list without its next link costs products-list alone, said to count more than it holds" 90 \
	"products-list" \
	"(the list counts * but holds 1, with no \"next\" link to the rest: give each page its paginator's next)" \
	shopsite/settings.py 's/"PAGE_SIZE": 20,/"PAGE_SIZE": 1,/' \
	shopsite/settings.py 's/"rest_framework.pagination.PageNumberPagination"/"store.apps.NoNextPagination"/' \
	store/apps.py '$a\\n\nfrom rest_framework.pagination import PageNumberPagination as _Pages\nfrom rest_framework.response import Response as _Answer\n\n\nclass NoNextPagination(_Pages):\n    def get_paginated_response(self, data):\n        return _Answer({"count": self.page.paginator.count, "results": data})'
# ...and one counting its rows as "total" with no next (h1175: a Django
# Ninja PaginationBase of the app's own, {"results": [...], "total": N}):
# the rest is asked for as ?page=N&offset=K, as Ninja's own paginators'
# is, and the whole list is judged.
expect_grade shop-viewsets ecommerce-api "a paginated list counting its rows as total, with no next, is read whole" 100 "" "" \
	shopsite/settings.py 's/"PAGE_SIZE": 20,/"PAGE_SIZE": 1,/' \
	shopsite/settings.py 's/"rest_framework.pagination.PageNumberPagination"/"store.apps.TotalPagination"/' \
	store/apps.py '$a\\n\nfrom rest_framework.pagination import PageNumberPagination as _Pages\nfrom rest_framework.response import Response as _Answer\n\n\nclass TotalPagination(_Pages):\n    def get_paginated_response(self, data):\n        return _Answer({"results": data, "total": self.page.paginator.count})'
# Pages of one whose next skips the page after (h977: ?page=3 after the
# first): read to the last next, the list still counts more than its
# pages hold, and products-list says so, as the pages read.
expect_grade shop-viewsets ecommerce-api "a next link skipping a page costs products-list alone, said as the pages read" 90 \
	"products-list" \
	"(the list counts *, but its * pages, each read by the one before's \"next\", hold *: each page's next must lead to the page after it)" \
	shopsite/settings.py 's/"rest_framework.pagination.PageNumberPagination"/"store.permissions.SkippingPages"/' \
	store/permissions.py '$a\\n\nfrom rest_framework.pagination import BasePagination\nfrom rest_framework.response import Response\n\n\nclass SkippingPages(BasePagination):\n    def paginate_queryset(self, queryset, request, view=None):\n        self.number = int(request.query_params.get("page", 1))\n        rows = list(queryset)\n        self.count = len(rows)\n        return rows[self.number - 1:self.number]\n\n    def get_paginated_response(self, data):\n        after = 3 if self.number == 1 else self.number + 1\n        more = self.number == 1 or after <= self.count\n        return Response({"count": self.count, "next": "?page=%d" % after if more else None, "results": data})'
# Pages of one whose next answers page one again (h1018: the view reads
# ?p=, its next writes ?page=2): its rows are counted once, so the orders
# list is judged by its count and products-list alone is lost, said as
# the pages read (orders-private was charged, "4, expected greater than 4",
# page one's rows counted twice), its next quoted as the app wrote it
# (h1048: quoted as null).
expect_grade shop-viewsets ecommerce-api "a next link answering page one again costs products-list alone, its rows counted once" 90 \
	"products-list" \
	"(the list counts *, but its 2 pages, each read by the one before's \"next\", hold 1: each page's next must lead to the page after it)*{\"count\": 2, \"next\": \"http" \
	shopsite/settings.py 's/"PAGE_SIZE": 20,/"PAGE_SIZE": 1,/' \
	shopsite/settings.py 's/"rest_framework.pagination.PageNumberPagination"/"store.permissions.LoopPages"/' \
	store/permissions.py '$a\\n\nfrom rest_framework.pagination import PageNumberPagination\n\n\nclass LoopPages(PageNumberPagination):\n    def get_page_number(self, request, paginator):\n        return request.query_params.get("p", 1)'
# A list in HAL's shape, its rows under _embedded (h1035, h1047): said
# where the rows are, and the fix, where the message said only that the
# answer was an object without "results".
expect_grade shop-viewsets ecommerce-api "a list under HAL's _embedded is said where its rows are" 45 \
	"products-list product-create-staff-only order-out-of-stock orders-private query-budget" \
	"the answer's list is under \"_embedded.items\", not \"results\": put it under \"results\"" \
	shopsite/settings.py 's/"rest_framework.pagination.PageNumberPagination"/"store.permissions.HalPages"/' \
	store/permissions.py '$a\\n\nfrom rest_framework.pagination import PageNumberPagination\nfrom rest_framework.response import Response\n\n\nclass HalPages(PageNumberPagination):\n    def get_paginated_response(self, data):\n        return Response({"_embedded": {"items": data}, "_links": {"next": {"href": self.get_next_link()}}, "count": self.page.paginator.count})'
# ...and without the check's advice about what the list must hold, which
# blamed its rows ("the sold-out one too", h955, h977): the note says the fix.
msgs=$(jget "$WORK/shop-viewsets-a-paginated-list-without-its-next-link-c.json" "' | '.join(c['message'] or '' for c in r['checks'] if c['status'] != 'pass')")
case $msgs in
*"with no \"next\" link"*"expected 1 item"*"the sold-out one too"*) notok "a list read short of its count keeps no advice about its rows" "$msgs" ;;
*"with no \"next\" link"*"expected 1 item"*) ok "a list read short of its count keeps no advice about its rows" ;;
*) notok "a list read short of its count keeps no advice about its rows" "$msgs" ;;
esac
# ...and such pages listing every user's orders: the count bob's page
# states grows with alice's orders, and orders-private is lost as well.
expect_grade shop-viewsets ecommerce-api "every user's orders in pages without a next link still cost orders-private" 80 \
	"products-list orders-private" "bob must not see alice's orders" \
	shopsite/settings.py 's/"PAGE_SIZE": 20,/"PAGE_SIZE": 1,/' \
	shopsite/settings.py 's/"rest_framework.pagination.PageNumberPagination"/"store.apps.NoNextPagination"/' \
	store/apps.py '$a\\n\nfrom rest_framework.pagination import PageNumberPagination as _Pages\nfrom rest_framework.response import Response as _Answer\n\n\nclass NoNextPagination(_Pages):\n    def get_paginated_response(self, data):\n        return _Answer({"count": self.page.paginator.count, "results": data})' \
	store/views.py 's/Order.objects.filter(user=self.request.user).select_related("product")/Order.objects.all().select_related("product")/'
# An order's product written through a nested serializer (h1022: nested
# on read, and so on write): every order is refused, and the create's
# message says the check sends the product as an id.
expect_grade shop-viewsets ecommerce-api "an order's product written nested is told the check sends its id" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	'(the check sends product as an id, as SPEC.md says: a nested serializer takes an object; write it with a PrimaryKeyRelatedField, and nest it on read alone)' \
	store/serializers.py 's/^    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())$/    product = ProductSerializer()/'
# A stock refused with 404 (h1031: HttpError(404, "Product unavailable")):
# said as a refusal with the wrong status, which says the product does
# not exist, where "expected 400" alone read as the order gone through.
expect_grade shop-viewsets ecommerce-api "a stock refused with 404 is said as a refusal with the wrong status" 70 \
	"order-out-of-stock order-quantity-validation" \
	'answered 404 {"detail": "Product unavailable"} (refused, but with 404, which says the view found nothing: SPEC.md asks for 400, a validation error); expected 400' \
	store/serializers.py 's/^        if attrs\["quantity"\] > product.stock:$/&\n            from rest_framework.exceptions import NotFound\n            raise NotFound("Product unavailable")/'
# A product field without its migration (h1054, h1057): every product
# read answers 500, and products-list's first read, which asks no status,
# says what was expected too, and the migration, in its own line.
expect_grade shop-viewsets ecommerce-api "a product field without its migration says so, and what was expected, in each line" 0 \
	"products-list product-detail product-create-staff-only order-create order-out-of-stock order-quantity-validation order-auth-required orders-private migrations-current order-whole-stock query-budget" \
	"an anonymous visitor lists the products first: GET /api/products/ as anonymous answered 500, a server error (the app logged: *no such column: store_product.color*) (a model changed without its migration? run makemigrations and commit it); expected an answer, not a server error" \
	store/models.py 's/^    name = models.CharField(max_length=200)$/&\n    color = models.CharField(max_length=20, default="")/' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    pagination_class = None/'
# An order list answering 500 alone (h1022: a cursor paginator ordering by
# a field the model lacks): orders-private's request, so order-out-of-stock,
# whose reads of bob's list only confirm that his refused order was not
# saved, judges the refusal and not the list (it was charged the 500 too).
expect_grade shop-viewsets ecommerce-api "an order list answering 500 costs orders-private, not order-out-of-stock" 90 \
	"orders-private query-budget" "GET /api/orders/ as * answered 500, a server error (the app logged: *FieldError: Cannot resolve keyword 'created'" \
	store/views.py 's/^    serializer_class = OrderSerializer$/&\n    pagination_class = type("BadCursor", (CursorPagination,), {"ordering": "-created"})/' \
	store/views.py 's/^from rest_framework import mixins, permissions, viewsets$/&\nfrom rest_framework.pagination import CursorPagination/'
# A stock refused with an exception of the app's own that nothing maps to
# an answer (h976: a services layer's OrderError, no EXCEPTION_HANDLER):
# the 500's message quotes it and says it was caught nowhere.
expect_grade shop-viewsets ecommerce-api "an exception of the app's own reaching the server is said to be caught nowhere" 70 \
	"order-out-of-stock order-quantity-validation" \
	"(the app logged: store.serializers.OutOfStock: *, at store/serializers.py:*) (an exception of the app's own, caught nowhere: an APIException subclass with its status_code, an EXCEPTION_HANDLER mapping it, or a try around the call); expected 400" \
	store/serializers.py 's/^        if attrs\["quantity"\] > product.stock:$/        if attrs["quantity"] > product.stock:\n            raise OutOfStock(self._stock_message(product))\n&/' \
	store/serializers.py '$a\\n\nclass OutOfStock(Exception):\n    pass'
# An exception handler answering every error 400 (h1013): each refusal
# of a sign-in, a permission or a missing object says its body has a
# status of its own, not that OPTIONS described no field.
expect_grade shop-viewsets ecommerce-api "refusals rewritten to 400 by an exception handler are said to be" 65 \
	"product-detail product-create-staff-only order-auth-required" \
	"as alice answered 400 {\"detail\": \"You do not have permission to perform this action.\"} (the body's refusal has a status of its own: does an EXCEPTION_HANDLER, or the view, rewrite it?); expected 403" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.apps.all_400",/' \
	store/apps.py '$a\\n\ndef all_400(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None:\n        response.status_code = 400\n    return response'
# Orders created with 200 instead of 201: order-create's subject, and
# only its; the checks that merely need an order take either.
expect_grade shop-viewsets ecommerce-api "orders created with 200, not 201, cost order-create alone" 85 \
	order-create "answered 200" \
	store/views.py 's/    permission_classes = \[permissions.IsAuthenticated, IsOrderOwner\]/    permission_classes = [permissions.IsAuthenticated, IsOrderOwner]\n\n    def create(self, request, *args, **kwargs):\n        response = super().create(request, *args, **kwargs)\n        response.status_code = 200\n        return response/'
# The number expected is what his list showed before, not his own orders
# (a leaking list already held her earlier ones: h352, h358).
expect_grade shop-viewsets ecommerce-api "every user's orders listed costs orders-private alone" 90 \
	orders-private "the number of orders in his list, * before alice placed two, was * in the answer *; expected no change: bob placed none in between, so the gain is hers — bob must not see alice's orders (filter by request.user)" \
	store/views.py 's/Order.objects.filter(user=self.request.user).select_related("product")/Order.objects.all().select_related("product")/'
# Orders filtered by the wrong field: with one order, its id could line up
# with alice's user id and pass; she places two, and one is missing.
expect_grade shop-viewsets ecommerce-api "orders filtered by the user's id, not the user, cost orders-private" 90 \
	orders-private "a user's order list must include" \
	store/views.py 's/Order.objects.filter(user=self.request.user).select_related("product")/Order.objects.filter(id=self.request.user.id).select_related("product")/'
# Orders without an id in the API (contracts §3 gives an order none): the
# lists are judged by what they hold, not by ids.
expect_grade shop-viewsets ecommerce-api "orders answered without an id cost nothing" 100 "" "" \
	store/serializers.py 's/        fields = \["id", "product", "product_name", "quantity", "created_at"\]/        fields = ["product", "product_name", "quantity", "created_at"]/'
expect_grade shop-viewsets ecommerce-api "an order list of one query per row is a warning, not points" 100 \
	query-budget "SQL query count was * (the same query on \"store_product\" * times: one per row?); expected at most 10" \
	store/views.py 's/Order.objects.filter(user=self.request.user).select_related("product")/Order.objects.filter(user=self.request.user)/'

expect_grade cookbook-cbv recipe-platform "a recipe platform of class-based views in src/ scores 100" 100 "" ""
# A form that redirects to the list, whose links to the recipes read
# "View" beside their titles, relative to the list ("7/", h684: no href
# said "recipe", and the photo's check, which finds the new recipe's page
# through the list, was lost too): recipe-create-upload alone.
expect_grade cookbook-cbv recipe-platform "a redirect to a list of View links costs recipe-create-upload alone" 80 \
	recipe-create-upload "" \
	src/kitchen/views.py 's/^    template_name = "kitchen\/recipe_form.html"$/&\n    success_url = "\/recipes\/"/' \
	src/kitchen/templates/kitchen/recipe_list.html 's#<a href="{{ recipe.get_absolute_url }}">{{ recipe.title }}</a>#{{ recipe.title }} <a href="{{ recipe.pk }}/">View</a>#'
# A submit button's formenctype, the form's own enctype left out (h684:
# told the browser sends no file, which it does).
expect_grade cookbook-cbv recipe-platform "a submit button's formenctype, the form's enctype left out, scores 100" 100 "" "" \
	src/kitchen/templates/kitchen/recipe_form.html 's#<form method="post" enctype="multipart/form-data" novalidate>#<form method="post" novalidate>#' \
	src/kitchen/templates/kitchen/recipe_form.html 's#<button type="submit">Share</button>#<button type="submit" formenctype="multipart/form-data">Share</button>#'
# Each field's errors listed above the form, "Image: Upload a valid
# image.", and none beside the fields (h684: told it was a form-wide
# error, add_error in clean(), which the app has none of): said as the
# field's error shown away from it, with the link that would tie it.
expect_grade cookbook-cbv recipe-platform "a field's error shown only in a list above the form is said so" 85 \
	recipe-rejects-non-image "its error is shown only in a list for the whole form: show it beside the field" \
	src/kitchen/templates/kitchen/recipe_form.html 's#^<form method="post" enctype="multipart/form-data" novalidate>$#{% if form.errors %}<ul class="errorlist">{% for f in form %}{% for e in f.errors %}<li>{{ f.label }}: {{ e }}</li>{% endfor %}{% endfor %}</ul>{% endif %}\n&#; /^      {{ field.errors }}$/d'
# An icon per category in the header, 22 images before the recipe's
# photo (h695: the first 20 images alone were tried, and a correct app
# lost recipe-image-served): the images naming the upload are tried first.
expect_grade cookbook-cbv recipe-platform "a photo after 22 header icons is found" 100 "" "" \
	src/kitchen/templates/base.html 's#^  <header>$#&\n    {% for c in "abcdefghijklmnopqrstuv" %}<img src="/static/icons/{{ c }}.svg" alt="">{% endfor %}#'
# A media host of its own in front of the project's folder, MEDIA_URL
# on another host with Django's own disk storage (h690: the photo's
# address was no page on the app, 85): its path is served here, as that
# host's web server would.
expect_grade cookbook-cbv recipe-platform "a MEDIA_URL on a media host of its own scores 100" 100 "" "" \
	src/cookbook/settings.py 's#^MEDIA_URL = .*#MEDIA_URL = "https://media.example.com/uploads/"#'
# The default storage given a folder of a web server's outside the
# project, served at MEDIA_URL (STORAGES' OPTIONS, Django 4.2's way, h702:
# every upload a 500 on the sandbox's read-only /var/www): the grader's
# MEDIA_ROOT, as MEDIA_ROOT itself is.
expect_grade cookbook-cbv recipe-platform "a default storage in a folder outside the project scores 100" 100 "" "" \
	src/cookbook/settings.py '$a\\nSTORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": "/var/www/cookbook/media", "base_url": "/media/"}}, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}'
# A box group of allergens the form's clean() asks one of, in an error
# above the form, beside a lone "save as draft" box (h700: every unticked
# box was ticked, the draft one too, which this form refuses): the group
# alone is ticked.
expect_grade cookbook-cbv recipe-platform "an error above the form asking for a box group ticks the group, not a lone box" 100 "" "" \
	src/kitchen/forms.py 's/^class RecipeForm(forms.ModelForm):$/&\n    allergens = forms.MultipleChoiceField(choices=[("none", "None"), ("nuts", "Nuts")], widget=forms.CheckboxSelectMultiple, required=False)\n    draft = forms.BooleanField(required=False, label="Save as draft")\n\n    def clean(self):\n        cleaned = super().clean()\n        if not cleaned.get("allergens"):\n            raise forms.ValidationError("Tick the allergens, or None.")\n        if cleaned.get("draft"):\n            raise forms.ValidationError("Drafts are not open yet.")\n        return cleaned\n/'
# A create form given a prefix (a CreateView's prefix = "recipe", as a
# form beside a formset on one page is): its controls are recipe-title to
# recipe-image, the checks' fields are sent under it and its errors read
# without it (h573: 20 points, the values sent where it had no control
# and its own filled in as "Sample text").
expect_grade cookbook-cbv recipe-platform "a recipe form given a prefix scores 100" 100 "" "" \
	src/kitchen/views.py 's/^    template_name = "kitchen\/recipe_form.html"$/&\n    prefix = "recipe"/'
# The photo's input a MultiWidget's first subwidget, image_0, beside a
# hidden image_1 (django-versatileimagefield's focal point, h766): the
# check's photo goes to image_0, as a person attaches it; it went nowhere
# and recipe-image-served and recipe-rejects-non-image were lost.
expect_grade cookbook-cbv recipe-platform "a photo input that is a MultiWidget's image_0 gets the check's photo" 100 "" "" \
	src/kitchen/forms.py 's/^class RecipeForm(forms.ModelForm):$/class PhotoWidget(forms.MultiWidget):\n    def __init__(self, attrs=None):\n        super().__init__([forms.ClearableFileInput(attrs={"accept": "image\/*"}), forms.HiddenInput()], attrs)\n\n    def decompress(self, value):\n        return [value, "0.5x0.5"]\n\n    def value_from_datadict(self, data, files, name):\n        return files.get(name + "_0")\n\n    def value_omitted_from_data(self, data, files, name):\n        return name + "_0" not in files\n\n\n&/' \
	src/kitchen/forms.py 's/^            "image": forms.ClearableFileInput(attrs={"accept": "image\/\*"}),$/            "image": PhotoWidget(),/'
# ...and both: the subwidget in a form given a prefix, recipe-image_0
# (h920: the photo went as recipe-image, a filler PNG as recipe-image_0,
# and the text file the rejects check sends was taken for a photo, 70).
expect_grade cookbook-cbv recipe-platform "a prefixed form's photo subwidget, recipe-image_0, gets the check's photo" 100 "" "" \
	src/kitchen/views.py 's/^    template_name = "kitchen\/recipe_form.html"$/&\n    prefix = "recipe"/' \
	src/kitchen/forms.py 's/^class RecipeForm(forms.ModelForm):$/class PhotoWidget(forms.MultiWidget):\n    def __init__(self, attrs=None):\n        super().__init__([forms.ClearableFileInput(attrs={"accept": "image\/*"}), forms.HiddenInput()], attrs)\n\n    def decompress(self, value):\n        return [value, "0.5x0.5"]\n\n    def value_from_datadict(self, data, files, name):\n        return files.get(name + "_0")\n\n    def value_omitted_from_data(self, data, files, name):\n        return name + "_0" not in files\n\n\n&/' \
	src/kitchen/forms.py 's/^            "image": forms.ClearableFileInput(attrs={"accept": "image\/\*"}),$/            "image": PhotoWidget(),/'
# ...and one whose form lacks a field the checks send under any name
# (h779: ingredients kept in a formset beside the prefixed recipe form):
# the prefix still fits the fields it has; the title went unprefixed and
# the form's own got "Sample text".
expect_grade cookbook-cbv recipe-platform "a prefixed recipe form without an ingredients field scores 100" 100 "" "" \
	src/kitchen/views.py 's/^    template_name = "kitchen\/recipe_form.html"$/&\n    prefix = "recipe"/' \
	src/kitchen/forms.py 's/^        fields = \["title", "category", "servings", "ingredients", "instructions", "image"\]$/        fields = ["title", "category", "servings", "instructions", "image"]/'
# A second required photo with a size rule of its own (a gallery's first
# row, h580): the step's own photo is attached to it, where the 1x1 PNG
# was refused and every check that makes a recipe failed.
expect_grade cookbook-cbv recipe-platform "a second required photo with a minimum size scores 100" 100 "" "" \
	src/kitchen/forms.py 's/^class RecipeForm(forms.ModelForm):$/&\n    cover = forms.ImageField()\n\n    def clean_cover(self):\n        cover = self.cleaned_data["cover"]\n        if cover.image.width < 100:\n            raise forms.ValidationError("The cover must be at least 100 pixels wide.")\n        return cover\n/'
# ...and a second required photo of JPEGs alone (accept and an extension
# validator, h638: the check's PNG was attached, as to any other row, and
# refused): a JPEG, as its accept asks.
expect_grade cookbook-cbv recipe-platform "a second required photo of JPEGs alone gets a JPEG" 100 "" "" \
	src/kitchen/forms.py 's/^class RecipeForm(forms.ModelForm):$/from django.core.validators import FileExtensionValidator\n\n\n&\n    cover = forms.ImageField(validators=[FileExtensionValidator(["jpg", "jpeg"])], widget=forms.ClearableFileInput(attrs={"accept": "image\/jpeg,.jpg,.jpeg"}))\n/'
# ...and a required number whose bound only a validator gives (h655:
# MinValueValidator(5), no min= on the widget, the grader's 1 refused,
# 35): sent once more with the bound Django's words state.
expect_grade cookbook-cbv recipe-platform "a required number bounded by a validator alone is sent again within it" 100 "" "" \
	src/kitchen/forms.py 's/^class RecipeForm(forms.ModelForm):$/from django.core.validators import MinValueValidator\n\n\n&\n    prep_minutes = forms.IntegerField(validators=[MinValueValidator(5)])\n/'
# A title input written by hand under another name (h718: recipe_title,
# which the view never reads): a browser sends no title, so no recipe is
# made; the check sent its title beside it, and kept every point. The
# create form's own check says so; the others send the check's values and
# read on, as for a nameless file input (h313).
expect_grade cookbook-cbv recipe-platform "a title input under another name costs recipe-create-upload" 80 \
	recipe-create-upload "its form has no input named title (a browser sends the title under its input's name" \
	src/kitchen/templates/kitchen/recipe_form.html 's/^      {{ field }}$/      {% if field.name == "title" %}<input type="text" name="recipe_title" maxlength="200" required>{% else %}{{ field }}{% endif %}/'
# Dates filled as a person fills them (h700). A SplitDateTimeField of
# Django's default widgets, two text boxes: both got the grader's text,
# and its one error list said "Enter a valid date." then "Enter a valid
# time."; the first alone was sent again, in the date's box (35).
expect_grade cookbook-cbv recipe-platform "a split date and time of text boxes gets a date and a time" 100 "" "" \
	src/kitchen/forms.py 's/^class RecipeForm(forms.ModelForm):$/&\n    available_from = forms.SplitDateTimeField()\n/'
# ...a required date of SelectDateWidget's selects, not in the past by
# the form's rule: sent as 1 January of its first year (35), now today.
expect_grade cookbook-cbv recipe-platform "a date of selects not in the past gets today" 100 "" "" \
	src/kitchen/forms.py 's/^class RecipeForm(forms.ModelForm):$/import datetime\n\n\n&\n    published_on = forms.DateField(widget=forms.SelectDateWidget(years=range(datetime.date.today().year, datetime.date.today().year + 3)))\n\n    def clean_published_on(self):\n        day = self.cleaned_data["published_on"]\n        if day < datetime.date.today():\n            raise forms.ValidationError("The publication date cannot be in the past.")\n        return day\n/'
# ...a date's text box, not in the past: its "Sample text" refused, it
# was sent again as a fixed day already past (35), now today.
expect_grade cookbook-cbv recipe-platform "a date box not in the past is sent again with today" 100 "" "" \
	src/kitchen/forms.py 's/^class RecipeForm(forms.ModelForm):$/import datetime\n\n\n&\n    serve_on = forms.DateField()\n\n    def clean_serve_on(self):\n        day = self.cleaned_data["serve_on"]\n        if day < datetime.date.today():\n            raise forms.ValidationError("Pick a day from today on.")\n        return day\n/'
# ...and every error in a list above the form, "Label: message", the
# photo's beside it too (SPEC.md asks that one there): a duration's box
# refused the grader's text in that list, which named no control, and
# the form was never sent again (35).
expect_grade cookbook-cbv recipe-platform "a type refused in a list above the form is sent again" 100 "" "" \
	src/kitchen/forms.py 's/^class RecipeForm(forms.ModelForm):$/&\n    prep_time = forms.DurationField(help_text="hh:mm:ss")\n/' \
	src/kitchen/templates/kitchen/recipe_form.html 's/^  {{ form.non_field_errors }}$/  {% if form.errors %}<ul class="errorlist">{% for field in form %}{% for e in field.errors %}<li>{{ field.label }}: {{ e }}<\/li>{% endfor %}{% endfor %}<\/ul>{% endif %}/' \
	src/kitchen/templates/kitchen/recipe_form.html 's/^      {{ field.errors }}$/      {% if field.name == "image" %}{{ field.errors }}{% endif %}/'
# A bound of the form's own on a field the grader filled: the value it
# was sent again with is said (h700: "Ensure this value is less than or
# equal to 0:30:00" beside a list that left the duration out).
expect_grade cookbook-cbv recipe-platform "a fill sent again and refused again is said with its value" 35 \
	"recipes-list-public recipe-create-upload recipe-image-served admin-category-filter query-budget" "prep_time (sent again as 00:45:00)" \
	src/kitchen/forms.py 's/^class RecipeForm(forms.ModelForm):$/import datetime\n\nfrom django.core.validators import MaxValueValidator\n\n\n&\n    prep_time = forms.DurationField(validators=[MaxValueValidator(datetime.timedelta(minutes=30))])\n/'
# An app labelled recipe (startapp recipe, h576): the admin's index
# links its app index, /admin/recipe/, before its changelist,
# /admin/recipe/recipe/; the changelist is the link in the model's row,
# where the filter was looked for on the app index (80).
expect_grade cookbook-cbv recipe-platform "a recipe app labelled recipe has its changelist found in the admin" 100 "" "" \
	src/kitchen/apps.py "s/^    name = 'kitchen'$/&\n    label = 'recipe'/"
# ...with Recipe itself not registered, a proxy of it in its place (h653):
# the index's one link ending in /recipe/ is the app's own index, its
# caption's "section": no recipe changelist, where it passed (and the
# filter was looked for on the app index).
expect_grade cookbook-cbv recipe-platform "an app labelled recipe without Recipe registered loses admin-recipe-registered" 70 \
	"admin-recipe-registered admin-category-filter migrations-current" \
	"the index links to no recipe changelist (no address ending in /recipe/)" \
	src/kitchen/apps.py "s/^    name = 'kitchen'$/&\n    label = 'recipe'/" \
	src/kitchen/admin.py 's/^@admin.register(Recipe)$/class Dish(Recipe):\n    class Meta:\n        proxy = True\n\n\n@admin.register(Dish)/'
# ...and an admin index themed as grappelli's: the app's heading linked
# first (class "grp-section"), the model's row a <div id="model-recipe">
# (h653: the heading was taken for the changelist, 80).
dest=$WORK/admin-grappelli-index
app cookbook-cbv recipe-platform "$dest" \
	src/kitchen/apps.py "s/^    name = 'kitchen'$/&\n    label = 'recipe'/" \
	src/cookbook/settings.py "s|^        'DIRS': \[\],|        'DIRS': [BASE_DIR / 'theme'],|"
mkdir -p "$dest/src/theme/admin"
cat >"$dest/src/theme/admin/index.html" <<'HTML'
{% extends "admin/base_site.html" %}
{% block nav-sidebar %}{% endblock %}
{% block content %}{% for app in app_list %}<div class="grp-module" id="app_{{ app.name|lower }}">
<h2><a href="{{ app.app_url }}" class="grp-section">{{ app.name }}</a></h2>
{% for model in app.models %}<div class="grp-row" id="model-{{ model.object_name|lower }}"><a href="{{ model.admin_url }}"><strong>{{ model.name }}</strong></a></div>{% endfor %}
</div>{% endfor %}{% endblock %}
HTML
commit_all "$dest" >/dev/null
expect_full_marks "$dest" recipe-platform "an admin index themed as grappelli's has its recipe changelist found in the model's row"
# A setting naming a folder inside MEDIA_ROOT, read by a storage callable
# (PHOTOS_ROOT = MEDIA_ROOT / "photos", h584): it names the same folder in
# the grader's MEDIA_ROOT, where the photo was written into the project's
# own folder and its address answered 404.
expect_grade cookbook-cbv recipe-platform "a setting inside MEDIA_ROOT follows it" 100 "" "" \
	src/cookbook/settings.py "s|^MEDIA_ROOT = BASE_DIR / 'media'$|&\nPHOTOS_ROOT = MEDIA_ROOT / 'photos'|" \
	src/kitchen/models.py 's/^class Recipe(models.Model):$/def photos_storage():\n    from django.core.files.storage import FileSystemStorage\n    return FileSystemStorage(location=settings.PHOTOS_ROOT, base_url=settings.MEDIA_URL + "photos\/")\n\n\n&/; s|upload_to="recipes/%Y/%m/")|upload_to="recipes/%Y/%m/", storage=photos_storage)|' \
	src/kitchen/migrations/0001_initial.py "s|('image', models.ImageField(upload_to='recipes/%Y/%m/')),|('image', models.ImageField(storage=kitchen.models.photos_storage, upload_to='recipes/%Y/%m/')),|; s|^import django.db.models.deletion$|&\nimport kitchen.models|"
# Backends of which none can load a signed-in user back (h839: django-
# axes' AxesStandaloneBackend listed alone, no get_user()): no one can stay
# signed in, and the diagnosis says so with the fix, where Django's
# "backend must be a dotted import path string (got None)" read as the
# grader's fault.
expect_boot_failed helpdesk-cbv ticket-system "backends that cannot keep anyone signed in are said so, with the fix" \
	"has get_user(), so no one can stay signed in: list django.contrib.auth.backends.ModelBackend after it" \
	helpdesk/settings.py '$a\\nAUTHENTICATION_BACKENDS = ["support.views.Lock"]' \
	support/views.py '$a\\n\nclass Lock:\n    def authenticate(self, request, **credentials):\n        return None'
# A post_migrate handler that fails after every migration is applied
# (h831: guardian's remove_perm before its permissions existed): the
# diagnosis quotes it, not as the last migration's failure ("while
# applying recipes.0001_initial" named a migration that had run).
bootfails=$((bootfails + 1))
dest=$WORK/boot-failed-$bootfails
app cookbook-fbv recipe-platform "$dest" \
	recipes/migrations/0001_initial.py '$a\\n# A migration of its own: its database is migrated, not a cached one.' \
	recipes/apps.py '$a\\n    def ready(self):\n        from django.db.models.signals import post_migrate\n\n        def seed(sender, **kwargs):\n            raise RuntimeError("no Staff group to seed")\n        post_migrate.connect(seed, sender=self, weak=False)' \
	|| notok "a post_migrate handler's failure is not said as a migration's" "could not make the repository"
grade "$dest.json" "$dest" recipe-platform --no-db
diag=$(jget "$dest.json" "r['status'] + ' ' + (r['diagnosis'] or '')")
case $diag in
*"while applying"*) notok "a post_migrate handler's failure is not said as a migration's" "exit $rc: $diag" ;;
"boot-failed "*"RuntimeError: no Staff group to seed"*) ok "a post_migrate handler's failure is not said as a migration's" ;;
*) notok "a post_migrate handler's failure is not said as a migration's" "exit $rc: $diag" ;;
esac
# Titles shown in another letter case (|title, h586; here |upper): the
# list holds the recipe's words, said so beside them, where the message
# quoted other titles and left the student to compare; and the fix
# (h821: a filter, not CSS, changes the words). query-budget's
# rows are not found either: not measured.
expect_grade cookbook-cbv recipe-platform "a list showing titles in another letter case says so" 90 \
	"recipes-list-public query-budget" "MUSHROOM RISOTTO * (in other letter case: show it as typed; |title or |upper change the text, CSS text-transform does not); expected contains \"Mushroom risotto" \
	src/kitchen/templates/kitchen/recipe_list.html 's/{{ recipe.title }}/{{ recipe.title|upper }}/'
# Uploads written through a temporary folder the settings make inside
# MEDIA_ROOT at import (h933: FILE_UPLOAD_TEMP_DIR = MEDIA_ROOT /
# ".incoming", mkdir'd there): the setting follows MEDIA_ROOT to the
# grader's folder, and the folder is made there too (every upload was a
# 500 writing its temporary file, 20).
expect_grade cookbook-cbv recipe-platform "a temporary upload folder made inside MEDIA_ROOT at import scores 100" 100 "" "" \
	src/cookbook/settings.py "\$a\\\\nFILE_UPLOAD_TEMP_DIR = MEDIA_ROOT / '.incoming'\\nFILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)\\nFILE_UPLOAD_MAX_MEMORY_SIZE = 0"
# MEDIA_ROOT kept a Path (startproject's BASE_DIR / "media"): code that
# joins it at import (settings.MEDIA_ROOT / "thumbs", a storage's location)
# failed the boot on the grader's str (h572).
expect_grade cookbook-cbv recipe-platform "a MEDIA_ROOT joined with / at import stays a Path" 100 "" "" \
	src/kitchen/models.py 's/^from django.urls import reverse$/&\n\nTHUMBS = settings.MEDIA_ROOT \/ "thumbs"/'
expect_grade cookbook-cbv recipe-platform "a form without its enctype costs recipe-create-upload alone" 80 \
	recipe-create-upload 'the enctype of the form with the file input: none; expected multipart/form-data' \
	src/kitchen/templates/kitchen/recipe_form.html 's/<form method="post" enctype="multipart\/form-data" novalidate>/<form method="post" novalidate>/'
# ...and one whose enctype is misspelt (h921: "multipart/formdata" was
# told the form declares none): the value it has is said.
expect_grade cookbook-cbv recipe-platform "a misspelt enctype is quoted in the message" 80 \
	recipe-create-upload 'the enctype of the form with the file input was "multipart/formdata"; expected multipart/form-data' \
	src/kitchen/templates/kitchen/recipe_form.html 's/<form method="post" enctype="multipart\/form-data" novalidate>/<form method="post" enctype="multipart\/formdata" novalidate>/'
# A detail page that lost the title and the instructions together (h932:
# modeltranslation's translated fields, gone with the language's): the
# photo's page is found by the recipe's own ingredient, and the page's
# words cost recipe-create-upload alone, not the photo's check too.
expect_grade cookbook-cbv recipe-platform "a recipe page without its title and instructions is still found by its ingredient for the photo" 80 \
	recipe-create-upload "" \
	src/kitchen/templates/kitchen/recipe_detail.html 's/^  <h1>{{ recipe.title }}<\/h1>$/  <h1>Recipe<\/h1>/' \
	src/kitchen/templates/kitchen/recipe_detail.html 's/^{% block title %}{{ recipe.title }} · Cookbook{% endblock %}$/{% block title %}Cookbook{% endblock %}/' \
	src/kitchen/templates/kitchen/recipe_detail.html 's/^    <img src="{{ recipe.image.url }}" alt="Photo of {{ recipe.title }}" width="480">$/    <img src="{{ recipe.image.url }}" alt="Photo" width="480">/' \
	src/kitchen/templates/kitchen/recipe_detail.html 's/^  {{ recipe.instructions|linebreaks }}$//'
# A create form without method="post" (one htmx's hx-post would send):
# sent as a browser sends it, with GET, saving nothing, and the message
# says why (h268).
expect_grade cookbook-cbv recipe-platform "a form without method=post is told so" 20 \
	"recipes-list-public recipe-create-upload recipe-image-served recipe-rejects-non-image admin-category-filter query-budget" \
	'(the form declares no method="post": a browser sends it as a GET)' \
	src/kitchen/templates/kitchen/recipe_form.html 's/<form method="post" enctype="multipart\/form-data" novalidate>/<form enctype="multipart\/form-data" novalidate>/'
# ...in the check that reads the image field's error too, where the
# template was blamed for errors a GET never makes (h504).
got=$(jget "$(ls "$WORK"/cookbook-cbv-a-form-without-method-post-is-told-so*.json | head -1)" \
	"next(c['message'] for c in r['checks'] if c['id'] == 'recipe-rejects-non-image')")
case $got in
*'(the form declares no method="post": a browser sends it as a GET); expected an error on its '"'image'"' field — put method="post" on the <form>') \
	ok "a form sent as a GET is said so where the image's error was looked for" ;;
*) notok "a form sent as a GET is said so where the image's error was looked for" "$got" ;;
esac
# A size rule whose arithmetic is wrong (5 KB for "5 MB"): the grader's
# photo is refused, and the message says what the grader sent, so the
# student can see it is well within the rule they meant (h255).
expect_grade cookbook-cbv recipe-platform "a photo refused by the app's own rule is described as sent" 35 \
	"recipes-list-public recipe-create-upload recipe-image-served admin-category-filter query-budget" \
	"Photos must be smaller than 5 MB.*(sent: pancakes.png, 800x600 PNG, 9443 bytes)" \
	src/kitchen/forms.py '$a\\n    def clean_image(self):\n        image = self.cleaned_data.get("image")\n        if image and image.size > 5 * 1024:\n            raise forms.ValidationError("Photos must be smaller than 5 MB.")\n        return image'
# ...where the refused dessert left no id: its change page is never named
# as the link "//change/" (h638, h654, h655); the refusal is said where
# the vegetarian dish must have been saved (h954: a recipe the form
# refused is no recipe for the filter to judge).
dest=$WORK/cookbook-cbv-$(echo "a photo refused by the app's own rule is described as sent" | tr -c 'a-z0-9' '-' | cut -c1-40)
msg=$(jget "$dest.json" "next(c['message'] for c in r['checks'] if c['id']=='admin-category-filter')")
case $msg in
*'//change/'*) notok "a recipe never made is not named by an empty id's link" "$msg" ;;
"the vegetarian dish must be saved: after POST /recipes/new/ as alice answered 200 with the form's errors {\"image\": [\"Photos must be smaller than 5 MB.\"]}"*) ok "a recipe never made is not named by an empty id's link" ;;
*) notok "a recipe never made is not named by an empty id's link" "$msg" ;;
esac
# A clean_image that returns nothing (h1051): the model's own check then
# calls the image blank, said as the file the form got and lost.
expect_grade cookbook-cbv recipe-platform "a clean_image returning nothing is asked whether it returns the file" 35 \
	"recipes-list-public recipe-create-upload recipe-image-served admin-category-filter query-budget" \
	"(the form got the file for 'image' and lost it: does its clean_image() return the file?)" \
	src/kitchen/forms.py '$a\\n    def clean_image(self):\n        image = self.cleaned_data.get("image")\n        if image and image.size > 5 * 1024 * 1024:\n            raise forms.ValidationError("The photo must be smaller than 5 MB.")'
# ...and with a form-wide note beside it (h1039: "Please correct the
# errors below."; here a note of the length that puts the cut inside
# the quote): the list's message, cut inside its quote of the page,
# closes that quote ('page text was "…; expected contains ...').
expect_grade cookbook-cbv recipe-platform "a photo refused with a form-wide note too is described as sent" 35 \
	"recipes-list-public recipe-create-upload recipe-image-served admin-category-filter query-budget" \
	"The photo must be smaller than 5" \
	src/kitchen/forms.py '$a\\n    def clean_image(self):\n        image = self.cleaned_data.get("image")\n        if image and image.size > 5 * 1024:\n            raise forms.ValidationError("The photo must be smaller than 5 MB.")\n        return image\n\n    def clean(self):\n        data = super().clean()\n        if self.errors:\n            self.add_error(None, "Correct the errors.")\n        return data'
dest=$WORK/cookbook-cbv-$(echo "a photo refused with a form-wide note too is described as sent" | tr -c 'a-z0-9' '-' | cut -c1-40)
msg=$(jget "$dest.json" "next(c['message'] for c in r['checks'] if c['id']=='recipes-list-public')")
case $msg in
*'page text was "'*'…"; expected contains'*) ok "a message cut inside its quote of the page closes it" ;;
*) notok "a message cut inside its quote of the page closes it" "$msg" ;;
esac
# A template that writes its file input by hand and never shows the errors
# (Django's own widgets would still mark the field aria-invalid): the
# message says the form came back without a word, instead of leaving the
# student to guess.
# A changelist that shows no title (no title column, a __str__ without
# it): each recipe is still found by its row's link to /<id>/change/.
# An admin whose site refuses the superuser (h516: has_permission asking
# for a group): Django sends a signed-in user it refuses to its login,
# and the message says so, where it said only where to mount the admin.
expect_grade cookbook-cbv recipe-platform "an admin refusing the superuser says it sent a signed-in user to sign in" 70 \
	"admin-recipe-registered admin-category-filter" \
	"GET /admin/ as admin answered 302 to /admin/login/?next=/admin/ (admin is signed in: a test refused it, as user_passes_test or has_permission); expected 200 — the superuser opens the admin at /admin/" \
	src/kitchen/admin.py '$a\\nadmin.site.has_permission = lambda request: request.user.groups.filter(name="editors").exists()'
expect_grade cookbook-cbv recipe-platform "a recipe changelist without titles costs nothing" 100 "" "" \
	src/kitchen/admin.py 's/    list_display = ("title", "category", "author", "created")/    list_display = ("category", "author", "created")/' \
	src/kitchen/models.py 's/        return self.title/        return "Recipe %s" % self.pk/'
expect_grade cookbook-cbv recipe-platform "a form that hides its errors costs recipe-rejects-non-image and says so" 85 \
	recipe-rejects-non-image "no error at its fields (does the template show them?)" \
	src/kitchen/templates/kitchen/recipe_form.html '/{{ field.errors }}/d' \
	src/kitchen/templates/kitchen/recipe_form.html 's/{{ field }}/{% if field.html_name == "image" %}<input name="image" type="file">{% else %}{{ field }}{% endif %}/'
# Its errors shown as plain text, in no element marked as an error (h725:
# each error in a <small>): SPEC.md asks for a mark, and the message
# quotes the words the page does show, where it asked whether the
# template shows them.
expect_grade cookbook-cbv recipe-platform "errors shown unmarked are quoted, with the mark they need" 85 \
	recipe-rejects-non-image 'with the form again, which says "Upload a valid image.*" unmarked (SPEC.md: in an errorlist, invalid-feedback, form__error or role="alert" element); expected an error on its' \
	src/kitchen/templates/kitchen/recipe_form.html 's/{{ field.errors }}/{% for e in field.errors %}<small>{{ e }}<\/small>{% endfor %}/'
# ...but Django's {{ field.errors.as_text }} beside the input it marks
# aria-invalid, its "* " lines, is the field's error (h1254, SPEC.md).
expect_grade cookbook-cbv recipe-platform "errors shown as Django's as_text beside the field cost nothing" 100 "" "" \
	src/kitchen/templates/kitchen/recipe_form.html 's/{{ field.errors }}/<small>{{ field.errors.as_text }}<\/small>/'
# {{ field }} without {{ field.errors }} on Django 5: the invalid input
# carries aria-invalid pointing at an error the page never shows, which
# is no error shown (contracts §5: "the form again, with an error").
expect_grade cookbook-cbv recipe-platform "a form that leaves out {{ field.errors }} costs recipe-rejects-non-image" 85 \
	recipe-rejects-non-image "no error at its fields (does the template show them?)" \
	src/kitchen/templates/kitchen/recipe_form.html '/{{ field.errors }}/d'
# Errors in Tailwind's red (as crispy-tailwind writes them) under a
# hand-written file input (no aria-invalid): the image's error is the
# image's.
expect_grade cookbook-cbv recipe-platform "errors shown in Tailwind's text-red cost nothing" 100 "" "" \
	src/kitchen/templates/kitchen/recipe_form.html 's|      {{ field.errors }}|      {% for error in field.errors %}<p class="mt-1 text-sm text-red-600">{{ error }}</p>{% endfor %}|' \
	src/kitchen/templates/kitchen/recipe_form.html 's|      {{ field }}|      {% if field.name == "image" %}<input type="file" name="image" accept="image/*" class="block w-full">{% else %}{{ field }}{% endif %}|'
# A recipe's page at /recipes/{id}/view/, /recipes/{id}/ redirecting there
# (a canonical URL): the form's redirect is not to a page answering 200,
# which costs recipe-create-upload; the photo, found by following the
# redirect as a browser does, costs nothing more.
expect_grade cookbook-cbv recipe-platform "a recipe page reached through a redirect costs recipe-create-upload alone" 80 \
	recipe-create-upload "must answer 200 itself, the recipe looked up by that id: no redirect elsewhere" \
	src/kitchen/urls.py 's|    path("<int:pk>/", views.RecipeDetailView.as_view(), name="recipe-detail"),|    path("<int:pk>/", RedirectView.as_view(pattern_name="kitchen:recipe-page"), name="recipe-detail"),\n    path("<int:pk>/view/", views.RecipeDetailView.as_view(), name="recipe-page"),|' \
	src/kitchen/urls.py 's|^from django.urls import path$|from django.urls import path\nfrom django.views.generic import RedirectView|'
# Categories stored as "Vegetarian" and "Dessert" (SPEC.md asks for lower
# case): the forms are filled in by the option a person reads, so only the
# check about the stored value, the admin's ?category__exact=dessert, fails;
# its message quotes the filter's own link for desserts (h759, h760, h765,
# h783: what was stored was never said) and the form's value the grader
# took for dessert (h1021).
expect_grade cookbook-cbv recipe-platform "categories stored capitalised cost admin-category-filter alone" 80 \
	admin-category-filter "as admin answered 200 (the form sent \"Dessert\"); *; its filter links category__exact=Dessert — unfiltered, the changelist lists it: store categories as SPEC.md writes them (dessert)" \
	src/kitchen/models.py 's/VEGETARIAN = "vegetarian"/VEGETARIAN = "Vegetarian"/; s/DESSERT = "dessert"/DESSERT = "Dessert"/' \
	src/kitchen/migrations/0001_initial.py "s/('vegetarian', 'Vegetarian')/('Vegetarian', 'Vegetarian')/; s/('dessert', 'Dessert')/('Dessert', 'Dessert')/"
# ...and stored as "desserts" (h967): its filter's link is quoted too,
# though "dessert" begins it.
expect_grade cookbook-cbv recipe-platform "a category stored as desserts costs admin-category-filter alone, its link quoted" 80 \
	admin-category-filter "as admin answered 200 (the form sent \"desserts\"); *; its filter links category__exact=desserts — unfiltered, the changelist lists it: store categories as SPEC.md writes them" \
	src/kitchen/models.py 's/DESSERT = "dessert"/DESSERT = "desserts"/' \
	src/kitchen/migrations/0001_initial.py "s/('dessert', 'Dessert')/('desserts', 'Dessert')/"
# A photo's src written for a field the recipe lacks (h1033: the photos
# in a model of their own, {{ recipe.image.url }} rendering ""): an empty
# src, the page itself to a browser, said so (it was read as the photo's
# address answering the page, told to serve an image/* type).
expect_grade cookbook-cbv recipe-platform "an empty img src is said to be empty" 85 \
	recipe-image-served "its <img> src is empty, which a browser reads as the page itself: the template's expression for the photo's address renders nothing (a field the object lacks?)" \
	src/kitchen/templates/kitchen/recipe_detail.html 's|<img src="{{ recipe.image.url }}"|<img src="{{ recipe.photo.url }}"|'
# ...and no dessert at all, a "sweet" in its stead (h1007): the checks
# sharing a dessert to test the list, the upload and the photo pick the
# option the form has chosen, and only the check about the stored values
# is lost, saying the form offers no dessert (it cost four checks, 35).
expect_grade cookbook-cbv recipe-platform "a category offering no dessert costs admin-category-filter alone, said" 80 \
	admin-category-filter "(the form offers no dessert category); the filtered changelist does not list" \
	src/kitchen/models.py 's/^        DESSERT = "dessert", "Dessert"$/        SWEET = "sweet", "Sweet"/' \
	src/kitchen/migrations/0001_initial.py "s/('dessert', 'Dessert')/('sweet', 'Sweet')/"
# A changelist that opens on a default ordering of its own, redirecting
# there (h615: a default filter's 302 cost admin-recipe-registered and
# admin-category-filter): followed, as a browser does.
expect_grade cookbook-cbv recipe-platform "a changelist redirecting to its default view scores 100" 100 "" "" \
	src/kitchen/admin.py '$a\\n    def changelist_view(self, request, extra_context=None):\n        if not request.GET:\n            from django.shortcuts import redirect\n            return redirect(request.path + "?o=-4")\n        return super().changelist_view(request, extra_context)'
# An admin narrowed to its own user's recipes, the superuser's too: the
# advice names that beside the category (h363 got the category's alone).
expect_grade cookbook-cbv recipe-platform "an admin showing each user only their own recipes says the superuser sees all" 80 \
	admin-category-filter "unfiltered, the changelist does not list it either: does the ModelAdmin's get_queryset hide other users' recipes from the superuser?" \
	src/kitchen/admin.py 's/^    readonly_fields = ("created",)$/&\n\n    def get_queryset(self, request):\n        return super().get_queryset(request).filter(author=request.user)/'
# A category filter of the app's own (a SimpleListFilter: its links are
# ?category=dessert, and ?category__exact=dessert still filters).
expect_grade cookbook-cbv recipe-platform "a SimpleListFilter on category scores 100" 100 "" "" \
	src/kitchen/admin.py 's/list_filter = ("category", "created")/list_filter = (CategoryFilter, "created")/; s/^@admin.register(Recipe)/class CategoryFilter(admin.SimpleListFilter):\n    title = "category"\n    parameter_name = "category"\n\n    def lookups(self, request, model_admin):\n        return Recipe.Category.choices\n\n    def queryset(self, request, queryset):\n        return queryset.filter(category=self.value()) if self.value() else queryset\n\n\n@admin.register(Recipe)/'
# ...and one named in French (h873: titled "catégorie", ?categorie=dessert):
# its links carrying the stored categories make it the category's filter.
expect_grade cookbook-cbv recipe-platform "a category filter named in French, its links the stored values, scores 100" 100 "" "" \
	src/kitchen/admin.py 's/list_filter = ("category", "created")/list_filter = (CategorieFilter, "created")/; s/^@admin.register(Recipe)/class CategorieFilter(admin.SimpleListFilter):\n    title = "cat\\u00e9gorie"\n    parameter_name = "categorie"\n\n    def lookups(self, request, model_admin):\n        return Recipe.Category.choices\n\n    def queryset(self, request, queryset):\n        return queryset.filter(category=self.value()) if self.value() else queryset\n\n\n@admin.register(Recipe)/'
# Photos stored under a long name without an extension (a content hash,
# h369): served as application/octet-stream, which costs
# recipe-image-served. The message is over 300 bytes: the long path's
# middle goes, not the type the app answered ("was "ap…" before).
expect_grade cookbook-cbv recipe-platform "a photo stored under a long name without extension: the message keeps the type the app answered" 85 \
	"recipe-image-served migrations-current" "header Content-Type was \"application/octet-stream\"" \
	src/kitchen/models.py 's|upload_to="recipes/%Y/%m/"|upload_to=hashed_name|; s|^class Recipe(models.Model):$|def hashed_name(instance, filename):\n    return "recipes/" + "0123456789abcdef" * 4\n\n\n&|'
# Recipes whose get_absolute_url is the list: the form redirects there and
# nothing links to a recipe's page, so both checks that need that page
# say where the form must go, not "no <img> on the page".
expect_grade cookbook-cbv recipe-platform "a create form redirecting to the list says where it should go" 65 \
	"recipe-create-upload recipe-image-served" "or to a page linking to it" \
	src/kitchen/models.py 's/return reverse("kitchen:recipe-detail", kwargs={"pk": self.pk})/return reverse("kitchen:recipe-list")/'
# The form alone redirects to the list, which links each recipe to its
# page: recipe-image-served finds the photo there (contracts §5: the
# redirect is recipe-create-upload's).
expect_grade cookbook-cbv recipe-platform "a create form redirecting to a list that links the recipe costs recipe-create-upload alone" 80 \
	recipe-create-upload "redirect to the new recipe's page by its id, which answers it itself: not the list, a slug, or an address redirecting on" \
	src/kitchen/views.py 's/^    template_name = "kitchen\/recipe_form.html"/    template_name = "kitchen\/recipe_form.html"\n    success_url = "\/recipes\/"/'
# MEDIA_URL left unset (h306): the photo's address has no prefix that
# anything serves; the message says to set MEDIA_URL, not to use .url,
# which the template does.
expect_grade cookbook-cbv recipe-platform "MEDIA_URL unset costs recipe-image-served and says to set it" 85 \
	recipe-image-served 'answered 404 (MEDIA_URL is not set, so uploads get addresses no prefix serves: set MEDIA_URL = "/media/")' \
	src/cookbook/settings.py "/^MEDIA_URL = '\/media\/'$/d" \
	src/cookbook/urls.py 's/^    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)$/    pass/'
# A file input written without a name (a widget template that left it
# out, h313): recipe-create-upload says so; the refused text file's error,
# in the list Django gives the id "id_image_error", is the image's, not
# the next control's.
expect_grade cookbook-cbv recipe-platform "a nameless file input costs recipe-create-upload alone, its error still the image's" 80 \
	recipe-create-upload "its <form> has no file input with a name (a browser sends a file only under its input's name, and only from inside the form)" \
	src/kitchen/templates/kitchen/recipe_form.html 's|      {{ field }}|      {% if field.name == "image" %}<input type="file" id="id_image" accept="image/*">{% else %}{{ field }}{% endif %}|'
# A file input typed by hand as photo for the ModelForm's image (h865):
# no browser's upload reaches the form, so recipe-create-upload, which
# sends the form as declared, attaches the photo to that input and loses
# its points, saying the name is the fix; the checks that send it as
# multipart whatever it declares keep sending image, so the rest is
# graded (it scored 100: the photo went under image in every check).
expect_grade cookbook-cbv recipe-platform "a file input named otherwise than the form's field costs recipe-create-upload alone" 80 \
	recipe-create-upload "answered 200 (the form has no field image; its file input: photo) with the form's errors {\"image\": [\"This field is required.\"]}; expected 302 — name the form's file input image, as SPEC.md names the form's fields (a browser sends the photo as photo, which the form never reads)" \
	src/kitchen/templates/kitchen/recipe_form.html 's|      {{ field }}|      {% if field.name == "image" %}<input type="file" name="photo" id="id_image" accept="image/*" required>{% else %}{{ field }}{% endif %}|'
# ...and each photo changed as it is saved (h1225: converted to WebP):
# the input got the check's own photo, so what is served is that photo's,
# changed; told so, not to rename the input (the photo went there).
expect_grade cookbook-cbv recipe-platform "a photo changed on save under an input named otherwise is told to serve it as it came" 65 \
	"recipe-create-upload recipe-image-served" \
	"expected the 9443 bytes of pancakes.png — serve the upload as it came, byte for byte" \
	src/kitchen/templates/kitchen/recipe_form.html 's|      {{ field }}|      {% if field.name == "image" %}<input type="file" name="photo" id="id_image" accept="image/*" required>{% else %}{{ field }}{% endif %}|' \
	src/kitchen/models.py 's/^        return self.title$/&\n\n    def save(self, *args, **kwargs):\n        super().save(*args, **kwargs)\n        with open(self.image.path, "ab") as f:\n            f.write(b"\\0")/'
# ...and its errors shown by hand, without Django's id for them (h990: a
# widget template writing name="photo" and id="id_image", its error an
# alert after it): the text file's refusal there is the image's, as the
# id says, so recipe-rejects-non-image passes (it was charged too).
expect_grade cookbook-cbv recipe-platform "a file input named otherwise, its error shown by hand, costs recipe-create-upload alone" 80 \
	recipe-create-upload "(the form has no field image; its file input: photo)" \
	src/kitchen/templates/kitchen/recipe_form.html 's|      {{ field }}|      {% if field.name == "image" %}<input type="file" name="photo" id="id_image" accept="image/*" required>{% else %}{{ field }}{% endif %}|' \
	src/kitchen/templates/kitchen/recipe_form.html 's|      {{ field.errors }}|      {% for e in field.errors %}<p role="alert">{{ e }}</p>{% endfor %}|'
# ...and without any id (h998: <input type=file name=photo> for the
# form's image, its errors shown under it): the grader's own PNG filled
# it, so a refusal there is the image's, the text file sent as image.
expect_grade cookbook-cbv recipe-platform "a file input named otherwise with no id, its errors by hand, costs recipe-create-upload alone" 80 \
	recipe-create-upload "(the form has no field image; its file input: photo) with the form's errors {\"image\": [\"This field is required.\"]}; expected 302" \
	src/kitchen/templates/kitchen/recipe_form.html 's|      {{ field }}|      {% if field.name == "image" %}<input type="file" name="photo" accept="image/*" required>{% else %}{{ field }}{% endif %}|' \
	src/kitchen/templates/kitchen/recipe_form.html 's|      {{ field.errors }}|      {% for e in field.errors %}<p role="alert">{{ e }}</p>{% endfor %}|'
# ...and not required (h1178): nothing fills it, the text file goes as
# image, and the error shown under the form's one file input is the
# image's, not a field "photo" the form lacks.
expect_grade cookbook-cbv recipe-platform "an optional file input named otherwise, its errors by hand, costs recipe-create-upload alone" 80 \
	recipe-create-upload "(the form has no field image; its file input: photo) with the form's errors {\"image\": [\"This field is required.\"]}; expected 302" \
	src/kitchen/templates/kitchen/recipe_form.html 's|      {{ field }}|      {% if field.name == "image" %}<input type="file" name="photo" accept="image/*">{% else %}{{ field }}{% endif %}|' \
	src/kitchen/templates/kitchen/recipe_form.html 's|      {{ field.errors }}|      {% for e in field.errors %}<p role="alert">{{ e }}</p>{% endfor %}|'
# A formset's management form that did not come with the post (h321: in
# another <form>): Django's "(Hidden field TOTAL_FORMS) This field is
# required." names a field the student never wrote, so the message says
# what it means (the form's clean() stands in for the formset here).
expect_grade cookbook-cbv recipe-platform "a formset's missing management form is said in words" 35 \
	"recipes-list-public recipe-create-upload recipe-image-served admin-category-filter query-budget" \
	"with a formset's error (its management form did not come: put {{ formset.management_form }} inside the <form>); expected 302" \
	src/kitchen/forms.py '$a\\n    def clean(self):\n        raise forms.ValidationError(["(Hidden field TOTAL_FORMS) This field is required.", "(Hidden field INITIAL_FORMS) This field is required."])'
# ...and as Django 5.2 says it, "Please submit at least 1 form." (a
# min_num formset whose management form never came, h996: quoted as the
# count), where the post sent no TOTAL_FORMS.
expect_grade cookbook-cbv recipe-platform "a formset's management form missing under Django 5.2's words is said as missing" 35 \
	"recipes-list-public recipe-create-upload recipe-image-served admin-category-filter query-budget" \
	"with a formset's error (its management form did not come: put {{ formset.management_form }} inside the <form>); expected 302" \
	src/kitchen/forms.py '$a\\n    def clean(self):\n        raise forms.ValidationError(["Please submit at least 1 form."])'
# The management form sent under another prefix than the view binds on
# POST (h495: the page's formset prefixed, the POST's not): Django's
# "Missing fields: ingredient_items-TOTAL_FORMS" against the prefix the
# form sent, both said, where the message said only that it did not come.
expect_grade cookbook-cbv recipe-platform "a formset's management form under another prefix is said with both prefixes" 35 \
	"recipes-list-public recipe-create-upload recipe-image-served admin-category-filter query-budget" \
	"with a formset's error (its management form came prefixed 'ingredients'; the view binds 'ingredient_items'); expected 302" \
	src/kitchen/forms.py '$a\\n    def clean(self):\n        raise forms.ValidationError(["ManagementForm data is missing or has been tampered with. Missing fields: ingredient_items-TOTAL_FORMS, ingredient_items-INITIAL_FORMS. You may need to file a bug report if the issue persists."])' \
	src/kitchen/templates/kitchen/recipe_form.html 's|^  {% csrf_token %}$|&\n  <input type="hidden" name="ingredients-TOTAL_FORMS" value="0"><input type="hidden" name="ingredients-INITIAL_FORMS" value="0">|'
# The form's enctype in capitals, which browsers read in any case (h678:
# "MULTIPART/FORM-DATA" lost recipe-create-upload, told it declared none).
expect_grade cookbook-cbv recipe-platform "an enctype written in capitals scores 100" 100 "" "" \
	src/kitchen/templates/kitchen/recipe_form.html 's|enctype="multipart/form-data"|enctype="MULTIPART/FORM-DATA"|'
# A formset of min_num=1 behind a management form written by hand with
# TOTAL_FORMS and INITIAL_FORMS alone, which Django accepts (h654): no
# MIN_NUM_FORMS says its first row is required, so the grader sends it
# empty; Django's "Please submit at least 1 form." asks for it, and the form
# is sent once more with that row filled in, as a person does.
dest=$WORK/cookbook-formset-no-min
app cookbook-cbv recipe-platform "$dest" \
	src/kitchen/forms.py '$a\\n\nclass StepForm(forms.Form):\n    text = forms.CharField(max_length=100)\n\n\nStepFormSet = forms.formset_factory(StepForm, extra=1, min_num=1, validate_min=True)' \
	src/kitchen/views.py 's|^        form.instance.author = self.request.user$|        steps = StepFormSet(self.request.POST, prefix="steps")\n        if not steps.is_valid():\n            form.add_error(None, list(steps.non_form_errors()) or "Check the steps.")\n            return self.form_invalid(form)\n&|' \
	src/kitchen/views.py 's|^from .forms import RecipeForm$|from .forms import RecipeForm, StepFormSet|' \
	src/kitchen/templates/kitchen/recipe_form.html 's|^  {% csrf_token %}$|&\n  <input type="hidden" name="steps-TOTAL_FORMS" value="2"><input type="hidden" name="steps-INITIAL_FORMS" value="0">\n  <label>Step 1 <input name="steps-0-text"></label> <label>Step 2 <input name="steps-1-text"></label>|'
expect_full_marks "$dest" recipe-platform "a formset's first row, asked for by its refusal where no MIN_NUM_FORMS says so, is filled in"
# A slug pattern listed before new/ (h503): /recipes/new/ reaches the slug's
# view, which answers 404. The cause says which pattern catches the path,
# where it said the view found no such object for that user.
dest=$WORK/cookbook-slug-first
app cookbook-cbv recipe-platform "$dest" \
	src/kitchen/urls.py 's|^    path("new/", views.RecipeCreateView.as_view(), name="recipe-create"),$|    path("<slug:slug>/", by_slug),\n&|' \
	src/kitchen/urls.py 's|^app_name = "kitchen"$|from django.http import Http404\n\n\ndef by_slug(request, slug):\n    raise Http404("no recipe has that slug")\n\n\n&|'
grade "$dest.json" "$dest" recipe-platform --no-db
got=$(jget "$dest.json" "[c['cause'] for c in r.get('causes', [])]")
case $got in
*"requests under /recipes/ answered 404 though the app routes them (e.g. GET /recipes/new/): the pattern /recipes/{slug}/, listed before /recipes/new/, catches the path first: list /recipes/new/ before it"*)
	ok "a pattern listed before the path it shadows is named as the 404's cause" ;;
*) notok "a pattern listed before the path it shadows is named as the 404's cause" "exit $rc: $got" ;;
esac
expect_grade cookbook-cbv recipe-platform "a photo src without .url costs recipe-image-served alone" 85 \
	recipe-image-served "answered 404" \
	src/kitchen/templates/kitchen/recipe_detail.html 's/{{ recipe.image.url }}/{{ recipe.image }}/'

expect_grade helpdesk-cbv ticket-system "a help desk of class-based views scores 100" 100 "" ""
# The new-ticket form redirects to the list: ticket-create is lost, and the
# checks that need a ticket find it by its link on the page the form
# redirected to (contracts §4: only ticket-create asks for the redirect).
# Its message says the address expected in words, not the pattern's regex
# (h157, h166: cut mid-pattern).
expect_grade helpdesk-cbv ticket-system "a create form redirecting to the list costs ticket-create alone" 85 \
	ticket-create "redirect location was \"/tickets/\"; expected /tickets/{id}/, {id} a number or a UUID — after creating a ticket, redirect to its page" \
	support/views.py 's|        response = super().form_valid(form)  # success_url -> get_absolute_url()|        self.success_url = "/tickets/"\n        response = super().form_valid(form)|'
# A production CSRF_COOKIE_DOMAIN committed by mistake (h664): a browser on
# http://127.0.0.1 drops the cookie, Django's CSRF check refuses the
# sign-in, and login-page alone is lost; the message says it was the CSRF
# check and which settings drop the cookie, where it said "answered 403".
expect_grade helpdesk-cbv ticket-system "a CSRF cookie set for another site says Django's CSRF check refused the sign-in" 90 \
	login-page "answered 403 (Django's CSRF check refused it: the CSRF cookie did not come back with it, as a browser on http://127.0.0.1 drops one set for another site: check CSRF_COOKIE_DOMAIN and CSRF_COOKIE_PATH); expected 302" \
	helpdesk/settings.py 's|^LOGIN_URL = "/accounts/login/"$|&\nCSRF_COOKIE_DOMAIN = ".helpdesk.example.com"|'
# ...to her list whose rows link to their tickets by a "View" cell, the
# title plain text (django-tables2's LinkColumn, h665): the link is found
# in the title's row, where it was looked for by its text alone and three
# more checks were lost.
expect_grade helpdesk-cbv ticket-system "a create form redirecting to a list of View links costs ticket-create alone" 85 \
	ticket-create "redirect location was \"/tickets/\"; expected /tickets/{id}/" \
	support/views.py 's|        response = super().form_valid(form)  # success_url -> get_absolute_url()|        self.success_url = "/tickets/"\n        response = super().form_valid(form)|' \
	support/templates/support/ticket_list.html 's|            <td><a href="{{ ticket.get_absolute_url }}">{{ ticket.title }}</a></td>|            <td>{{ ticket.title }}</td><td><a href="/users/{{ ticket.owner.pk }}/">{{ ticket.owner }}</a> <a href="{{ ticket.get_absolute_url }}">View</a></td>|'
# ...to her list in pages of two, oldest first (h623): the new ticket's
# link is on a later page, read whole as the list checks read it; it was
# looked for on the first, and three more checks were lost.
expect_grade helpdesk-cbv ticket-system "a create form redirecting to a list in pages costs ticket-create alone" 85 \
	ticket-create "redirect location was \"/tickets/\"; expected /tickets/{id}/" \
	support/views.py 's|        response = super().form_valid(form)  # success_url -> get_absolute_url()|        self.success_url = "/tickets/"\n        response = super().form_valid(form)|' \
	support/views.py '/^class TicketListView/,/^    context_object_name = "tickets"$/s/^    context_object_name = "tickets"$/&\n    paginate_by = 2/' \
	support/views.py 's/^        return Ticket.objects.filter(owner=self.request.user)$/&.order_by("pk")/' \
	support/templates/support/ticket_list.html 's|^    </table>|&\n    {% if page_obj.has_next %}<a href="?page={{ page_obj.next_page_number }}">Next</a>{% endif %}|'
# ...and to the home page, which redirects to the list (h506): followed as
# a browser shows it, so the checks that need the ticket find its link on
# the list; they looked for it in the 302's body, and lost three more.
expect_grade helpdesk-cbv ticket-system "a create form redirecting home, then to the list, costs ticket-create alone" 85 \
	ticket-create "redirect location was \"/\"; expected /tickets/{id}/" \
	support/views.py 's|        response = super().form_valid(form)  # success_url -> get_absolute_url()|        self.success_url = "/"\n        response = super().form_valid(form)|'
# Lists in pages, oldest first: the dashboard and her list are read whole
# (each ?page=N+1 they link to), so where the new tickets fall does not
# matter; bob's ticket on a later page of alice's list is still seen. The
# query budget's first page shows none of its own tickets: not measured,
# as SPEC.md says, rather than measured on two other rows (h217).
expect_grade helpdesk-cbv ticket-system "a dashboard in pages of two, oldest first, scores 100" 100 query-budget \
	"not measured: the page it measures gave it nothing to measure*its first page lists none of the 5 tickets made to measure it, by their whole titles (Load 1 to 5) — the first page is measured: does it list tickets? (its order may put them later)" \
	support/views.py 's/    template_name = "support\/dashboard.html"/&\n    paginate_by = 2/' \
	support/views.py 's/        qs = Ticket.objects.select_related("owner")$/&.order_by("pk")/' \
	support/templates/support/dashboard.html 's|^  </table>|&\n  {% if page_obj.has_next %}<a href="?page={{ page_obj.next_page_number }}">Next</a>{% endif %}|'
# ...with its pages at addresses of their own (/dashboard/page/2/, the
# way Django's docs route a ListView's pages), or linked as
# "/dashboard?page=2", which APPEND_SLASH redirects to /dashboard/?page=2
# (h594: neither was taken for the next page, and the second was said to
# link the wrong page).
expect_grade helpdesk-cbv ticket-system "a dashboard whose pages are at /dashboard/page/N/ is read whole" 100 query-budget \
	"not measured: the page it measures gave it nothing to measure*its first page lists none of the 5 tickets" \
	support/views.py 's/    template_name = "support\/dashboard.html"/&\n    paginate_by = 2/' \
	support/views.py 's/        qs = Ticket.objects.select_related("owner")$/&.order_by("pk")/' \
	support/urls.py 's|^    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),$|&\n    path("dashboard/page/<int:page>/", views.DashboardView.as_view(), name="dashboard-page"),|' \
	support/templates/support/dashboard.html 's|^  </table>|&\n  {% if page_obj.has_next %}<a href="{% url "support:dashboard-page" page_obj.next_page_number %}">Next</a>{% endif %}|'
expect_grade helpdesk-cbv ticket-system "a dashboard whose Next link lacks the slash APPEND_SLASH adds is read whole" 100 query-budget \
	"not measured: the page it measures gave it nothing to measure*its first page lists none of the 5 tickets" \
	support/views.py 's/    template_name = "support\/dashboard.html"/&\n    paginate_by = 2/' \
	support/views.py 's/        qs = Ticket.objects.select_related("owner")$/&.order_by("pk")/' \
	support/templates/support/dashboard.html 's|^  </table>|&\n  {% if page_obj.has_next %}<a href="/dashboard?page={{ page_obj.next_page_number }}">Next</a>{% endif %}|'
# ...with its pages asked for in Spanish, ?pagina=N, page_kwarg (h694:
# "Siguiente" to ?pagina=2 was not taken for the next page).
expect_grade helpdesk-cbv ticket-system "a dashboard whose pages are ?pagina=N is read whole" 100 query-budget \
	"not measured: the page it measures gave it nothing to measure*its first page lists none of the 5 tickets" \
	support/views.py 's/    template_name = "support\/dashboard.html"/&\n    paginate_by = 2\n    page_kwarg = "pagina"/' \
	support/views.py 's/        qs = Ticket.objects.select_related("owner")$/&.order_by("pk")/' \
	support/templates/support/dashboard.html 's|^  </table>|&\n  {% if page_obj.has_next %}<a href="?pagina={{ page_obj.next_page_number }}">Siguiente</a>{% endif %}|'
# A dashboard in pages by offset (DRF's LimitOffsetPagination as a page
# renders it, h793) or by an opaque cursor (CursorPagination): the link
# labelled Next is followed, as a numbered page's is.
expect_grade helpdesk-cbv ticket-system "a dashboard in pages by offset, linked Next, is read to its end" 100 "" "" \
	support/views.py 's/^        context\["current_status"\] = self.request.GET.get("status", "")$/&\n        off = int(self.request.GET.get("offset", 0))\n        rows = list(context["tickets"])\n        context["tickets"] = rows[off:off + 3]\n        context["next_offset"] = off + 3 if len(rows) > off + 3 else None/' \
	support/templates/support/dashboard.html 's|^  </table>$|\&\n  {% if next_offset %}<a href="?limit=3\&amp;offset={{ next_offset }}">Next</a>{% endif %}|'
expect_grade helpdesk-cbv ticket-system "a dashboard in pages by a cursor, linked », is read to its end" 100 "" "" \
	support/views.py 's/^        context\["current_status"\] = self.request.GET.get("status", "")$/&\n        import base64\n        off = int(base64.urlsafe_b64decode(self.request.GET.get("cursor", "") or "MA==").decode())\n        rows = list(context["tickets"])\n        context["tickets"] = rows[off:off + 3]\n        context["next_cursor"] = base64.urlsafe_b64encode(str(off + 3).encode()).decode() if len(rows) > off + 3 else None/' \
	support/templates/support/dashboard.html 's|^  </table>$|\&\n  {% if next_cursor %}<a href="?cursor={{ next_cursor }}">\&raquo;</a>{% endif %}|'
# ...or by a keyset's bound, newest first (?before=ID, the last row's id,
# h860): the link rel="next", labelled Older, is followed as a cursor's.
expect_grade helpdesk-cbv ticket-system "a dashboard in pages by a keyset (?before=ID), rel=next, is read to its end" 100 "" "" \
	support/views.py 's/^        context\["current_status"\] = self.request.GET.get("status", "")$/&\n        rows = list(context["tickets"])\n        before = self.request.GET.get("before")\n        if before:\n            rows = [t for t in rows if t.pk < int(before)]\n        context["tickets"] = rows[:3]\n        context["next_before"] = rows[2].pk if len(rows) > 3 else None/' \
	support/templates/support/dashboard.html 's|^  </table>$|\&\n  {% if next_before %}<a href="?before={{ next_before }}" rel="next">Older</a>{% endif %}|'
# A dashboard in pages of two, oldest first, with no link to the next
# page (h528): the ticket looked for is on a later page than the second,
# and the message says where it was found.
expect_grade helpdesk-cbv ticket-system "a dashboard's pages without links say on which page the ticket was" 90 \
	"dashboard-staff-only query-budget" \
	"(found at /dashboard/?page=*, to which the page has no link: link the next page with <a href>)" \
	support/views.py 's/    template_name = "support\/dashboard.html"/&\n    paginate_by = 2/' \
	support/views.py 's/        qs = Ticket.objects.select_related("owner")$/&.order_by("pk")/'
# ...and newest first, in pages of five (h979, h985): bob's first and
# alice's older ticket are on unlinked later pages, and the message,
# after the note of where bob's was found, keeps what the first page
# lacks whole, then the advice (it was cut at "older than his six and
# r…"); bob's first is said, as a dashboard of the newest few (h1165,
# h1176).
expect_grade helpdesk-cbv ticket-system "a newest-first dashboard without page links says whole what its first page lacks" 90 \
	"dashboard-staff-only" \
	"(found at /dashboard/?page=*, to which the page has no link: link the next page with <a href>); it lists bob's newest ticket but not his first, \"Dash bob 1 *\", the eleventh newest — the dashboard must list every ticket, not only the newest" \
	support/views.py 's/    template_name = "support\/dashboard.html"/&\n    paginate_by = 5/'
# ...and pages of five linked as ?p=N, a query the view does not read
# (h1005: each link served the first page again): the ticket is found at
# ?page=2, not on the pages its links reach, and the message says so
# (it said only "page it (?page=2) if long", which it did).
expect_grade helpdesk-cbv ticket-system "a dashboard linking its pages by a query the view does not read says so" 90 \
	"dashboard-staff-only" \
	"(found at /dashboard/?page=*, not on the 2 pages its links reach: do they name the view's query?)" \
	support/views.py 's/    template_name = "support\/dashboard.html"/&\n    paginate_by = 5/' \
	support/templates/support/dashboard.html 's|^  </table>$|\&\n  {% if page_obj.has_next %}<a href="?p={{ page_obj.next_page_number }}">Next</a>{% endif %}|'
# ...and no advice after it on what the list must hold (h1219: "not only
# the newest ([:5], [:10]); page it", of a dashboard paged already).
d=$WORK/helpdesk-cbv-$(echo "a dashboard linking its pages by a query the view does not read says so" | tr -c 'a-z0-9' '-' | cut -c1-40)
msg=$(jget "$d.json" "next(c['message'] for c in r['checks'] if c['id']=='dashboard-staff-only')")
case $msg in
*"do they name the view's query?); it lists bob's newest ticket but not his first, \"Dash bob 1 "*"\", the eleventh newest")
	ok "a dashboard linking its pages by a query the view does not read is told no advice on its rows" ;;
*) notok "a dashboard linking its pages by a query the view does not read is told no advice on its rows" "$msg" ;;
esac
# ...and pages linked as ?page=N where the view reads ?p= (h1170: told
# the list's queryset filtered recipes out): page two answered page one
# again, and the message says the view does not read the links' query.
expect_grade helpdesk-cbv ticket-system "a dashboard whose next page answers the first again asks whether the view reads its links' query" 90 \
	"dashboard-staff-only" \
	"(its next page, /dashboard/?page=2, answered the page before again: does the view read its links' page parameter (page_kwarg)?)" \
	support/views.py 's/    template_name = "support\/dashboard.html"/&\n    paginate_by = 5\n    page_kwarg = "p"/' \
	support/templates/support/dashboard.html 's|^  </table>$|\&\n  {% if page_obj.has_next %}<a href="?page={{ page_obj.next_page_number }}">Next</a>{% endif %}|'
# The same pages behind htmx's "Load more" button, no link (h391): only
# the first page is read, and the message says the next is behind an
# hx-get the grader does not run, not only that the dashboard must list
# every ticket.
expect_grade helpdesk-cbv ticket-system "a dashboard's next page behind an hx-get button is said to be" 90 "dashboard-staff-only query-budget" \
	"(the list's next page is behind an hx-get, which the grader does not run: link it with <a href>)" \
	support/views.py 's/    template_name = "support\/dashboard.html"/&\n    paginate_by = 2/' \
	support/views.py 's/        qs = Ticket.objects.select_related("owner")$/&.order_by("pk")/' \
	support/templates/support/dashboard.html 's|^  </table>|&\n  {% if page_obj.has_next %}<button hx-get="?page={{ page_obj.next_page_number }}" hx-swap="outerHTML">Load more</button>{% endif %}|'
expect_grade helpdesk-cbv ticket-system "every user's tickets on her list, in pages of one, cost tickets-list-own-only" 85 \
	tickets-list-own-only "alice must not see bob's tickets" \
	support/views.py 's/    template_name = "support\/ticket_list.html"/&\n    paginate_by = 1/' \
	support/views.py 's/        return Ticket.objects.filter(owner=self.request.user)/        return Ticket.objects.order_by("pk")/' \
	support/templates/support/ticket_list.html 's|^    </table>|&\n    {% if page_obj.has_next %}<a href="?page={{ page_obj.next_page_number }}">Next</a>{% endif %}|'
# A CSRF failure view that signs the user out (h297: "your session was
# ended for your safety"): csrf-enforced's refusal ends alice's session,
# and the grader signs her in again (a session minted as at boot) rather
# than judging every later check of hers on a redirect to the login page.
expect_grade helpdesk-cbv ticket-system "a CSRF failure view that signs the user out scores 100" 100 "" "" \
	helpdesk/settings.py 's|^LOGIN_URL = "/accounts/login/"|CSRF_FAILURE_VIEW = "support.views.csrf_failure"\n&|' \
	support/views.py '1i from django.contrib.auth import logout\nfrom django.http import HttpResponseForbidden\n\n\ndef csrf_failure(request, reason=""):\n    logout(request)\n    return HttpResponseForbidden("Your session was ended for your safety.")\n\n'
# Non-staff signed out and refused with 403 by the staff pages: every
# refusal the checks ask of alice ends her session, each time renewed.
expect_grade helpdesk-cbv ticket-system "staff pages that sign non-staff out score 100" 100 "" "" \
	support/views.py 's|^        return self.request.user.is_staff$|&\n\n    def handle_no_permission(self):\n        if self.request.user.is_authenticated:\n            logout(self.request)\n            return HttpResponseForbidden("Staff only: you have been signed out.")\n        return super().handle_no_permission()|' \
	support/views.py '1i from django.contrib.auth import logout\nfrom django.http import HttpResponseForbidden'
# A new-ticket form without method="post" (htmx's hx-post alone, h301):
# a browser sends it as a GET, which saves nothing. csrf-enforced still
# posts (a forged request is another site's own form) and passes; each
# check whose tickets were never made says the GET saved nothing, and the
# cause is one, for every such check. The note names hx-post, which the
# grader's pages never run (h391: "a browser sends it as a GET" read
# false to an htmx learner).
expect_grade helpdesk-cbv ticket-system "a form sent as a GET costs the checks that need its tickets, not csrf-enforced" 25 \
	"ticket-create tickets-list-own-only ticket-detail-private dashboard-staff-only status-update-staff status-update-forbidden status-csrf query-budget" \
	'(the form has hx-post but no method="post": the grader runs no scripts, so it is sent as a GET)*after GET /tickets/new/?title=*a GET saves nothing: put method="post" on the <form>' \
	support/templates/support/ticket_form.html 's|<form method="post">|<form hx-post="{{ request.path }}">|'
# A status view that refuses what its own select does not send (a
# select of numbers, h391) with a bare 400: the message says what the
# grader posted and what staff's form sends.
expect_grade helpdesk-cbv ticket-system "a status refused with 400 says what was posted and what the form sends" 90 \
	"status-update-staff status-csrf" \
	'answered 400*accept status=pending alone, as SPEC.md posts it; staff’s menu sends one of: "open pending resolved"' \
	support/views.py 's|^        self.object = self.get_object()$|&\n        if request.POST.get("status") not in ("1", "2", "3"):\n            return HttpResponseBadRequest("Invalid status")|' \
	support/views.py '1i from django.http import HttpResponseBadRequest'
# A create answering 200 with HX-Redirect (htmx's redirect, h301): a
# browser posting the form stays on a blank page; the message names the
# header, which only htmx follows; one cause for the four checks.
expect_grade helpdesk-cbv ticket-system "a create answered with htmx's redirect header says only htmx follows it" 50 \
	"ticket-create ticket-detail-private status-update-staff status-update-forbidden status-csrf" \
	'POST /tickets/new/ as alice answered 200 (its redirect is an HX-Redirect header, which only htmx follows: a form a browser posts needs a 302)' \
	support/views.py 's|^        response = super().form_valid(form)  # success_url -> get_absolute_url()$|&\n        response = HttpResponse(status=200, headers={"HX-Redirect": response.url})|' \
	support/views.py '1i from django.http import HttpResponse'
# The create form's fields in no <form> (h856: crispy's form_tag = False
# and no <form> tag of the template's; the navbar's logout form is the
# page's only one): the file input is said to be in no form, not missing.
expect_grade cookbook-cbv recipe-platform "a file input in no <form> is said so, not said missing" 20 \
	"recipes-list-public recipe-create-upload recipe-image-served recipe-rejects-non-image admin-category-filter query-budget" \
	"its file input is in no <form>, which a browser cannot send (with crispy's FormHelper, form_tag = False leaves the <form> tag to the template)" \
	src/kitchen/templates/kitchen/recipe_form.html 's|^<form method="post" enctype="multipart/form-data" novalidate>$|<div>|; s|^</form>$|</div>|'
# A list page answered 400, Django's answer to a SuspiciousOperation while
# it is made (a thumbnail written outside MEDIA_ROOT, h861): an error of
# the page, charged by recipes-list-public; the rejects check's read that
# only confirms no recipe was made passes it unjudged, as it does a 5xx.
expect_grade cookbook-cbv recipe-platform "a list answering 400 (a SuspiciousOperation) costs the list's check, not the rejects check's confirming read" 90 \
	"recipes-list-public query-budget" "GET /recipes/ as anonymous answered 400 (the app logged: SuspiciousFileOperation: thumbnail outside MEDIA_ROOT" \
	src/kitchen/views.py 's/^        return Recipe.objects.select_related("author")$/        from django.core.exceptions import SuspiciousFileOperation\n        if self.template_name == "kitchen\/recipe_list.html" and Recipe.objects.exclude(image="").exists():\n            raise SuspiciousFileOperation("thumbnail outside MEDIA_ROOT")\n&/'
# An upload saved from where a read left it (h881: Pillow's verify(), then
# the rest of the file saved, 4 bytes): the photo served is the upload's
# end alone, and the message says so, with seek(0), not "re-encoded".
expect_grade cookbook-cbv recipe-platform "a photo saved from where a read left it is said to be the upload's last bytes" 85 \
	recipe-image-served "expected the 9443 bytes of pancakes.png — the upload's last bytes alone: it was saved after being read there (Pillow's verify() too): seek(0) before saving it" \
	src/kitchen/views.py 's/^        form.instance.author = self.request.user$/&\n        from django.core.files.base import ContentFile\n        upload = form.cleaned_data["image"]\n        upload.seek(upload.size - 4)\n        form.instance.image = ContentFile(upload.read(), name=upload.name)/'
# A photo's src of the file's name alone, a 404, in a form with a required
# select the grader picked (h885): the 404 is the photo address's, and
# no note blames the select, which has no part in a file's address.
expect_grade cookbook-cbv recipe-platform "a photo's 404 is not blamed on a select the grader picked" 85 \
	recipe-image-served "answered 404 (the upload is at /media/recipes/*pancakes*.png: this src lacks MEDIA_URL; write the field's .url); expected 200 — the <img> src must answer the photo" \
	src/kitchen/forms.py 's/^class RecipeForm(forms.ModelForm):$/&\n    difficulty = forms.ChoiceField(choices=[("", "---------"), ("easy", "Easy"), ("hard", "Hard")])/' \
	src/kitchen/templates/kitchen/recipe_detail.html 's|<img src="{{ recipe.image.url }}"|<img src="{{ recipe.image }}"|'
# The new-ticket fields in no <form> (h309: crispy's FormHelper with
# form_tag = False, and no <form> tag in the template): the message names
# the fields outside any form, once as the cause of every check needing a
# ticket; csrf-enforced's forged post needs no form of the app's and passes.
expect_grade helpdesk-cbv ticket-system "fields in no <form> are said so, and csrf-enforced still judges the view" 25 \
	"ticket-create tickets-list-own-only ticket-detail-private dashboard-staff-only status-update-staff status-update-forbidden status-csrf query-budget" \
	"GET /tickets/new/ as alice answered 200: the page has title, description in no <form>, which a browser cannot send" \
	support/templates/support/ticket_form.html 's|<form method="post">|<div>|; s|</form>|</div>|'
# A sign-in that works and answers a page rather than a redirect (h312):
# the message says it signed in (its answer sets a session cookie), not
# that the form came back without its errors.
expect_grade helpdesk-cbv ticket-system "a sign-in answering a page says it signed in, not that the form shows no error" 90 \
	login-page "POST /accounts/login/ as anonymous answered 200 having signed in (its answer sets a new session cookie); expected 302" \
	helpdesk/urls.py 's|^    path("accounts/", include("django.contrib.auth.urls")),|    path("accounts/login/", SignedIn.as_view()),\n&|' \
	helpdesk/urls.py 's|^urlpatterns = \[|from django.contrib.auth import login\nfrom django.contrib.auth.views import LoginView\nfrom django.template.response import TemplateResponse\n\n\nclass SignedIn(LoginView):\n    def form_valid(self, form):\n        login(self.request, form.get_user())\n        return TemplateResponse(self.request, "registration/login.html", {"form": form})\n\n\n&|'
# Tickets keyed by UUID (/tickets/<uuid>/): contracts §4's {id} is any id.
expect_grade helpdesk-cbv ticket-system "tickets keyed by UUID score 100" 100 "" "" \
	support/models.py 's/^class Ticket(models.Model):/import uuid\n\n\nclass Ticket(models.Model):\n    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)/' \
	support/migrations/0001_initial.py "s/('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),/('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),/" \
	support/migrations/0001_initial.py 's/^import django.db.models.deletion/import uuid\n\nimport django.db.models.deletion/' \
	support/urls.py 's/<int:pk>/<uuid:pk>/'
# New tickets start Pending while a link reads "Open a ticket": the page
# names Open, but also Pending, which a new ticket's page must not.
expect_grade helpdesk-cbv ticket-system "new tickets pending beside an \"Open a ticket\" link cost ticket-create" 85 \
	"ticket-create migrations-current status-csrf" "a new ticket's status is Open, in English, in the page's text (a link, button, menu, title or aria-label" \
	support/models.py 's/default=Status.OPEN,/default=Status.PENDING,/' \
	templates/base.html 's/>New ticket</>Open a ticket</'
# ...and new tickets pending said with a sign between "Status:" and the
# word ("Status: 🟡 Pending"), a legend naming Open beside it (h619: the
# sign's room was not read, and the legend's Open passed).
expect_grade helpdesk-cbv ticket-system "new tickets pending said with a sign after Status cost ticket-create" 85 \
	"ticket-create migrations-current status-csrf" "its page says \"status\" before Pending or Resolved" \
	support/models.py 's/default=Status.OPEN,/default=Status.PENDING,/' \
	support/templates/support/ticket_detail.html 's|^    Status: <span class="badge">{{ ticket.get_status_display }}</span>|    Status: 🟡 <span class="badge">{{ ticket.get_status_display }}</span> (our statuses: Open, Pending, Resolved)|'
# A sign-in form with an optional "Remember me" box, in an app that locks
# a name out after its first wrong password (django-axes' limit, h618):
# the wrong password is sent once, the box never ticked for a second try
# (the form-wide error is the password's, not the box's).
expect_grade helpdesk-cbv ticket-system "a sign-in refused once is not sent again with its boxes ticked" 100 "" "" \
	templates/registration/login.html 's|^    <input type="hidden" name="next" value="{{ next }}">$|&\n    <label><input type="checkbox" name="remember"> Remember me</label>|' \
	helpdesk/urls.py 's|^    path("accounts/", include("django.contrib.auth.urls")),$|    path("accounts/login/", StrictLogin.as_view(), name="login"),\n&|' \
	helpdesk/urls.py 's|^from django.views.generic import RedirectView$|&\nfrom django.contrib.auth.views import LoginView\nfrom django.core.cache import cache\nfrom django.http import HttpResponse\n\n\nclass StrictLogin(LoginView):\n    def form_invalid(self, form):\n        key = "fails-" + self.request.POST.get("username", "")\n        if cache.get(key):\n            return HttpResponse("Locked out.", status=429)\n        cache.set(key, 1)\n        return super().form_invalid(form)|'
# A list that shows no titles, in an app whose flash message names the new
# ticket: the message (waiting for the next page opened) must not pass for
# the list.
expect_grade helpdesk-cbv ticket-system "a list without titles is not saved by a flash message naming the ticket" 85 \
	tickets-list-own-only "expected contains \"Alice list" \
	support/views.py 's/messages.success(self.request, f"Ticket #{self.object.pk} was created.")/messages.success(self.request, f"Ticket {self.object.title} was created.")/' \
	support/templates/support/ticket_list.html 's/{{ ticket.title }}/#{{ ticket.pk }}/'
# A form page that fails (its template missing): the message quotes what
# the app logged, as for any other 5xx. csrf-enforced's forged post needs
# no page: CsrfViewMiddleware refuses it before the view (h931).
expect_grade helpdesk-cbv ticket-system "a form page answering 500 quotes what the app logged, csrf-enforced still judged" 25 \
	"ticket-create tickets-list-own-only ticket-detail-private dashboard-staff-only status-update-staff status-update-forbidden status-csrf query-budget" \
	"answered 500 (the app logged: django.template.exceptions.TemplateDoesNotExist: support/ticket_form_missing.html); expected 200 with a form" \
	support/views.py 's|template_name = "support/ticket_form.html"|template_name = "support/ticket_form_missing.html"|'
# A dashboard failing with a chained exception (an async view reading a
# relation it did not select: Django's KeyError first, then the
# SynchronousOnlyOperation it raised while handling it): the message
# quotes the last exception, the one to fix, though its name says
# neither Error nor Exception. Its line, longer than a message quotes,
# loses the module path before its advice ("use a thread or
# sync_to_async.", cut at "sync_to_as" before: h360).
expect_grade helpdesk-cbv ticket-system "a chained exception is quoted by its last one, its advice whole" 90 \
	"dashboard-staff-only query-budget" \
	"answered 500, a server error (the app logged: SynchronousOnlyOperation: You cannot call this from an async context - use a thread or sync_to_async.*)" \
	support/views.py '/^class DashboardView/,/return qs/s/^        qs = Ticket.objects.select_related("owner")$/        try:\n            qs = {}["owner"]\n        except KeyError:\n            from django.core.exceptions import SynchronousOnlyOperation\n            raise SynchronousOnlyOperation("You cannot call this from an async context - use a thread or sync_to_async.")/'
# The staff's status menu shown to the owner too (her POST still refused):
# the page states Open, and its menu offering every status is not read as
# the status (contracts §4: ticket-create, status-update-forbidden).
expect_grade helpdesk-cbv ticket-system "a status menu shown to the owner costs nothing" 100 "" "" \
	support/views.py '/def get_context_data/,/return context/s/        if self.request.user.is_staff:/        if True:/'
# ...but it does not pass a status that staff could not change either.
expect_grade helpdesk-cbv ticket-system "a status menu shown to the owner does not hide an unsaved status" 90 \
	"status-update-staff status-csrf" "staff’s menu sends one of: \"open pending resolved\"*save the status staff post as status=pending and show the saved status on her page (not a copy cached before the change)" \
	support/views.py '/def get_context_data/,/return context/s/        if self.request.user.is_staff:/        if True:/' \
	support/views.py 's/            form.save()/            pass/'
# ...its menu with a blank first choice (h1246: "---------" read as a
# leading space, " open pending resolved"): the statuses alone.
expect_grade helpdesk-cbv ticket-system "a status menu's blank first choice is not said among what it sends" 90 \
	"status-update-staff status-csrf" "staff’s menu sends one of: \"open pending resolved\"" \
	support/views.py 's/            form.save()/            pass/' \
	support/forms.py 's/^class TicketStatusForm(forms.ModelForm):$/&\n    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n        self.fields["status"].choices = [("", "---------")] + list(self.fields["status"].choices)\n/'
# Its Pending stored as "Pending" (h758): staff's form sends that, the
# grader's post sends the name, and the advice says so, its case named
# (h1296), after the status view's flash on staff's next page (h1274);
# where the form sends pending as it is, it does not (h763, above).
expect_grade helpdesk-cbv ticket-system "a status value other than its name is told to post the name alone" 90 \
	"status-update-staff migrations-current status-csrf" "staff’s menu sends one of: \"open Pending resolved\"*the view refused status=pending (in lower case: its choices store Pending, capitalised)" \
	support/models.py 's/^        PENDING = "pending", "Pending"$/        PENDING = "Pending", "Pending"/'
# A "Resolved at" row on every ticket's page: the page states the same
# statuses after a refused change, so nothing changed (contracts §4); a
# change that goes through still changes them.
expect_grade helpdesk-cbv ticket-system "a \"Resolved at\" row on the ticket's page costs nothing" 100 "" "" \
	support/templates/support/ticket_detail.html 's|  <div class="description">|  <p>Resolved at: not yet</p>\n  <div class="description">|'
expect_grade helpdesk-cbv ticket-system "beside a \"Resolved at\" row, a status change open to customers still costs status-update-forbidden" 90 \
	status-update-forbidden "only staff may change a ticket's status" \
	support/templates/support/ticket_detail.html 's|  <div class="description">|  <p>Resolved at: not yet</p>\n  <div class="description">|' \
	support/views.py 's/^class TicketStatusUpdateView(StaffRequiredMixin, SingleObjectMixin, View):/class TicketStatusUpdateView(LoginRequiredMixin, SingleObjectMixin, View):/'
# A ModelForm of every field, the owner among them, and a view that no
# longer sets it (h147): the grader picks the owner select's first user,
# not alice, and her own ticket's page refuses her; the 404s say so, and
# so does her list that lacks it (h1092), and the note is the advice
# (h1266: cut to "…" for the check's "redirect to /tickets/{id}/"). The
# status-csrf warning, which reads her page first, is not measured (h944:
# it was warned of at a later read of her page).
expect_grade helpdesk-cbv ticket-system "an owner chosen in the ticket form costs the checks that reopen it, and says the grader chose" 50 \
	"ticket-create tickets-list-own-only status-update-staff status-update-forbidden status-csrf" \
	"alice opens her new ticket: GET /tickets/*/ as alice answered 404 (earlier in this check, the form's required owner got its first option from the grader: a field naming whose row it is takes request.user in the view, not a choice in the form); expected 200*as alice answered 200 (earlier in this check, the form's required owner got its first option from the grader*not a choice in the form); expected 200 | not measured: its setup failed (alice opens her new ticket)" \
	support/forms.py 's/        fields = \["title", "description"\]/        fields = ["title", "description", "owner"]/' \
	support/views.py 's/^        form.instance.owner = self.request.user$/        pass/'
# ...and a required category the grader chose, with a ticket page shown
# to its owner alone (h1038): staff's 404 is not told of the category,
# which names no user.
expect_grade helpdesk-cbv ticket-system "a chosen category is not told as the owner of a ticket refused to staff" 85 \
	"ticket-detail-private" \
	"staff opens alice's ticket: GET /tickets/*/ as staff answered 404 (staff has is_staff alone*); expected 200" \
	support/forms.py 's/^class TicketForm(forms.ModelForm):$/&\n    category = forms.ChoiceField(choices=[("", "---------"), ("hw", "Hardware"), ("sw", "Software")])\n/' \
	support/views.py '/^class TicketDetailView/,/^    def get_context_data/s/^        qs = Ticket.objects.select_related("owner")$/        return Ticket.objects.select_related("owner").filter(owner=self.request.user)/'
# The status form posting to another path than SPEC.md's (h154): the
# check's 404 says no URL pattern of the app matches the path it posted
# to. alice's post there is refused by the same 404.
expect_grade helpdesk-cbv ticket-system "a status change served at another path says no pattern matches" 90 \
	"status-update-staff status-csrf" "POST /tickets/*/status/ as staff answered 404 (no URL pattern of the app matches this path); expected" \
	support/urls.py 's|"tickets/<int:pk>/status/",|"tickets/<int:pk>/set-status/",|'
# The status change behind a model permission (h154): the grader's staff
# has is_staff and nothing else, so it is refused with 403, and the
# message says what staff lacks.
expect_grade helpdesk-cbv ticket-system "a status change behind a permission staff lacks says what staff has" 90 \
	"status-update-staff status-csrf" "as staff answered 403 (staff has is_staff alone: not is_superuser, no permission, group or role, made after migrate, so no post_migrate grant reaches it; a check of those refuses it, as does a test_func that returns nothing, or a test that lets the owner alone in)" \
	support/views.py 's/^from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin$/from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin, UserPassesTestMixin/' \
	support/views.py 's/^class TicketStatusUpdateView(StaffRequiredMixin, SingleObjectMixin, View):$/class TicketStatusUpdateView(PermissionRequiredMixin, SingleObjectMixin, View):\n    permission_required = "support.change_ticket"/'
# ...and a test_func written without its return (h724: "return" left
# out, staff refused by a test that reads is_staff): the same words name
# it, where they named only what staff lacks.
expect_grade helpdesk-cbv ticket-system "a staff test that returns nothing is named in staff's refusal" 80 \
	"dashboard-staff-only status-update-staff status-csrf query-budget" "as staff answered 403 (staff has is_staff alone: *a check of those refuses it, as does a test_func that returns nothing, or a test that lets the owner alone in)" \
	support/views.py 's/^        return self.request.user.is_staff$/        self.request.user.is_staff/'
# A model field without its migration: every page of tickets answers 500,
# and login-page, whose sign-in works, is not charged the list's 500 its
# last step reads (h719: it was, beside the checks of the list), nor
# csrf-enforced, whose 403 came, the list's it reads after (h724).
expect_grade helpdesk-cbv ticket-system "a ticket list answering 500 after a login that works costs login-page nothing" 25 \
	"ticket-create tickets-list-own-only ticket-detail-private dashboard-staff-only status-update-staff status-update-forbidden migrations-current status-csrf query-budget" "" \
	support/models.py 's/^    created_at = models.DateTimeField(auto_now_add=True)$/&\n    priority = models.IntegerField(default=1)/'
# Steps of every status, the current one in bold alone (h719: read as
# before when the bold moved to Pending, 90).
expect_grade helpdesk-cbv ticket-system "steps marking the current status in bold alone score 100" 100 "" "" \
	support/templates/support/ticket_detail.html 's|^    Status: <span class="badge">{{ ticket.get_status_display }}</span>$|    <ol>{% for value, label in ticket.Status.choices %}<li>{% if value == ticket.status %}<strong>{{ label }}</strong>{% else %}{{ label }}{% endif %}</li>{% endfor %}</ol>|'
# A wrong password answered with a page of the app's own, no form on it
# (h714: read as "css input[type=password] (attribute name) was []"):
# said as the page a wrong password got, and what to show instead.
expect_grade helpdesk-cbv ticket-system "a wrong password answered by a page without the form says what to show" 90 \
	"login-page" "the password inputs of the page a wrong password got was []; expected a list including \"password\" — a failed login shows the login form again" \
	templates/registration/login.html 's/^  <form method="post" action="{% url .login. %}">$/  {% if form.errors %}<p>Sign-in failed.<\/p>{% else %}&/' \
	templates/registration/login.html 's/^  <\/form>$/&{% endif %}/'
# Sessions bound to the browser that signed in (a user_logged_in receiver
# keeping a hash of the User-Agent, a middleware signing out any other,
# h714: the grader's sessions, minted with none, were all signed out, 20).
expect_grade helpdesk-cbv ticket-system "sessions bound to the browser that signed in score 100" 100 "" "" \
	helpdesk/settings.py "s/^    'django.contrib.auth.middleware.AuthenticationMiddleware',$/&\n    'support.models.BrowserBoundMiddleware',/" \
	support/models.py '$a\\n\nimport hashlib as _hashlib\n\nfrom django.contrib.auth import logout as _logout\nfrom django.contrib.auth.signals import user_logged_in as _user_logged_in\nfrom django.dispatch import receiver as _receiver\n\n\ndef _browser(request):\n    return _hashlib.sha256(request.META.get("HTTP_USER_AGENT", "").encode()).hexdigest()\n\n\n@_receiver(_user_logged_in)\ndef _remember_browser(sender, request, user, **kwargs):\n    request.session["browser"] = _browser(request)\n\n\nclass BrowserBoundMiddleware:\n    def __init__(self, get_response):\n        self.get_response = get_response\n\n    def __call__(self, request):\n        if request.user.is_authenticated and request.session.get("browser") not in (None, _browser(request)):\n            _logout(request)\n        return self.get_response(request)'
# ...where the app gives staff a group of its own (a post_save receiver
# putting is_staff users in "Support agents", with the permission to
# change tickets, h628): the refusal is no "is_staff alone", and the
# message asks whether the check names the permission as the app grants
# it.
expect_grade helpdesk-cbv ticket-system "a status change refusing staff the app put in a group says so" 90 \
	"status-update-staff status-csrf" "as staff answered 403 (staff holds the groups or permissions the app gave it, and was refused all the same: do they grant the one the check asks for" \
	support/views.py 's/^from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin$/from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin, UserPassesTestMixin/' \
	support/views.py 's/^class TicketStatusUpdateView(StaffRequiredMixin, SingleObjectMixin, View):$/class TicketStatusUpdateView(PermissionRequiredMixin, SingleObjectMixin, View):\n    permission_required = "tickets.change_ticket"/' \
	support/models.py '$a\\n\nfrom django.db.models.signals import post_save as _post_save\nfrom django.dispatch import receiver as _receiver\n\n\n@_receiver(_post_save, sender=settings.AUTH_USER_MODEL)\ndef _agents(sender, instance, **kwargs):\n    from django.contrib.auth.models import Group, Permission\n    if instance.is_staff:\n        group = Group.objects.get_or_create(name="Support agents")[0]\n        group.permissions.add(*Permission.objects.filter(codename="change_ticket"))\n        instance.groups.add(group)'
# ...and where that group grants nothing (h713: a data migration gave it
# the permissions before Django made them, after migrate): said so, not
# that the check names the permission otherwise.
expect_grade helpdesk-cbv ticket-system "a status change refusing staff in a group that grants nothing says so" 90 \
	"status-update-staff status-csrf" "as staff answered 403 (staff is in the group the app gave it, and the group grants no permission" \
	support/views.py 's/^from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin$/from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin, UserPassesTestMixin/' \
	support/views.py 's/^class TicketStatusUpdateView(StaffRequiredMixin, SingleObjectMixin, View):$/class TicketStatusUpdateView(PermissionRequiredMixin, SingleObjectMixin, View):\n    permission_required = "support.change_ticket"/' \
	support/models.py '$a\\n\nfrom django.db.models.signals import post_save as _post_save\nfrom django.dispatch import receiver as _receiver\n\n\n@_receiver(_post_save, sender=settings.AUTH_USER_MODEL)\ndef _agents(sender, instance, **kwargs):\n    from django.contrib.auth.models import Group\n    if instance.is_staff:\n        instance.groups.add(Group.objects.get_or_create(name="Support agents")[0])'
# A description of 20 characters at least (min_length, rendered as the
# textarea's minlength, h636): the checks' own shorter descriptions are
# lengthened as a person whose browser refuses them would; "The lift is
# stuck." was sent as it stood, and cost dashboard-staff-only.
expect_grade helpdesk-cbv ticket-system "a description with a minimum length gets the checks' text lengthened" 100 "" "" \
	support/forms.py 's/^class TicketForm(forms.ModelForm):$/&\n    description = forms.CharField(min_length=40, widget=forms.Textarea(attrs={"rows": 6}))\n/'
# A required file input the checks never name (h180: a ticket's
# attachment): the grader attaches a small PNG, as it fills other required
# fields, so it costs nothing.
expect_grade helpdesk-cbv ticket-system "a required attachment on the new-ticket form costs nothing" 100 "" "" \
	support/forms.py 's/^class TicketForm(forms.ModelForm):$/class TicketForm(forms.ModelForm):\n    attachment = forms.FileField()/' \
	support/templates/support/ticket_form.html 's/<form method="post">/<form method="post" enctype="multipart\/form-data">/'
# A required date in Django's default widget, a text box (h605): the
# grader's "Sample text" is refused as no valid date, and the form is sent
# once more with the date the refusal asks for; the same in French for a
# localised decimal ("Saisissez un nombre.", the words the boot reads in
# the app's language).
expect_grade helpdesk-cbv ticket-system "a required date in a text box is sent again as a date" 100 "" "" \
	support/forms.py 's/^class TicketForm(forms.ModelForm):$/class TicketForm(forms.ModelForm):\n    wanted_by = forms.DateField()/'
expect_grade helpdesk-cbv ticket-system "a required localised decimal in French is sent again as a number" 100 "" "" \
	helpdesk/settings.py 's/^LANGUAGE_CODE = .*$/LANGUAGE_CODE = "fr"/' \
	support/forms.py 's/^class TicketForm(forms.ModelForm):$/class TicketForm(forms.ModelForm):\n    budget = forms.DecimalField(localize=True)/'
# ...and one of PDFs alone (accept=".pdf", an extension validator), which
# refused the PNG and every ticket (h598: 75 points): the grader attaches
# a one-page PDF named so.
expect_grade helpdesk-cbv ticket-system "a required attachment of PDFs alone gets a PDF" 100 "" "" \
	support/forms.py 's/^class TicketForm(forms.ModelForm):$/from django.core.validators import FileExtensionValidator\n\n\nclass TicketForm(forms.ModelForm):\n    attachment = forms.FileField(validators=[FileExtensionValidator(["pdf"])], widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application\/pdf"}))/' \
	support/templates/support/ticket_form.html 's/<form method="post">/<form method="post" enctype="multipart\/form-data">/'
# Django 5.1's LoginRequiredMiddleware with the public list not exempted
# (h1264): a visitor's redirect is said to be the middleware's, to be
# exempted, the note being the advice.
expect_grade cookbook-fbv recipe-platform "a visitor redirected by LoginRequiredMiddleware is told to exempt the view" 90 \
	"recipes-list-public query-budget" \
	"GET /recipes/ as anonymous answered 302 to /accounts/login/?next=/recipes/ (LoginRequiredMiddleware's: exempt the view, @login_not_required); expected 200 | " \
	cookbook/settings.py 's/^    "django.contrib.auth.middleware.AuthenticationMiddleware",$/&\n    "django.contrib.auth.middleware.LoginRequiredMiddleware",/'
# A recipe form built by scripts (h298: an empty <div> the bundle fills),
# beside the navbar's logout form: the grader never posts the logout form
# in its stead (which ended alice's session for every later check, each
# then told of a redirect to the login page), and says the page as served
# has no form.
# A form whose file input is named photo, not image (h335): the grader
# fills that required input with a PNG of its own, and the two checks the
# check's image never reached say the form had no field image, naming its
# file input.
# A photo lazy-loaded by a script (h343: a data: placeholder in src, the
# upload's address in data-src): image-served alone fails, saying the
# placeholder is no file on the app and that pages are read without
# their scripts (the page's only <img>, as in h343).
expect_grade cookbook-fbv recipe-platform "a lazy-loaded photo's placeholder is said to be one" 85 "recipe-image-served" \
	"is an inline placeholder, not a file on the app (pages are read without running their scripts" \
	templates/recipes/recipe_detail.html 's|<img src="{{ recipe.image.url }}"|<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" data-src="{{ recipe.image.url }}"|' \
	templates/base.html '/<img src="{% static .img\/logo.png. %}"/d'
expect_grade cookbook-fbv recipe-platform "a file input named otherwise is named in the messages of the checks it costs" 70 \
	"recipe-image-served recipe-rejects-non-image" \
	"(the check's form had no field image; its file input: photo)*— name the form's file input image, as SPEC.md names the form's fields*(the form has no field image; its file input: " \
	recipes/forms.py 's/^class RecipeForm(forms.ModelForm):$/&\n    def add_prefix(self, field_name):\n        return "photo" if field_name == "image" else super().add_prefix(field_name)\n/'
# ...and there the field the form lacks is the advice (h1279: "an
# ImageField (not a FileField) or a Pillow check refuses a non-image"
# after it sent the student to the field's type).
dest=$WORK/cookbook-fbv-$(echo "a file input named otherwise is named in the messages of the checks it costs" | tr -c 'a-z0-9' '-' | cut -c1-40)
got=$(jget "$dest.json" "[c['message'] for c in r['checks'] if c['id'] == 'recipe-rejects-non-image'][0]")
case $got in
*"(the form has no field image; its file input: photo); expected 200")
	ok "a field the form lacks is the advice of the check that sent the form" ;;
*) notok "a field the form lacks is the advice of the check that sent the form" "$got" ;;
esac
# A form's file field of any kind opened by the app's own Pillow call
# (h1064): the non-image's 500 quotes PIL's exception, and the advice
# says what refuses it, as a refusal answered otherwise would be told.
expect_grade cookbook-fbv recipe-platform "a non-image crashing the app's own Pillow call is told what refuses it" 85 \
	recipe-rejects-non-image "answered 500, a server error (the app logged: PIL.UnidentifiedImageError: *); expected 200 — an ImageField (not a FileField) or a Pillow check refuses a non-image" \
	recipes/forms.py 's/^class RecipeForm(forms.ModelForm):$/&\n    image = forms.FileField()\n\n    def clean_image(self):\n        __import__("PIL.Image").Image.open(self.cleaned_data["image"])\n        return self.cleaned_data["image"]\n/'
# A FileField declared on the form over the model's ImageField (h1124):
# the non-image saved, and the advice says the declared field is why.
expect_grade cookbook-fbv recipe-platform "a FileField declared on the form is told it refuses no non-image" 85 \
	recipe-rejects-non-image "answered 302 to /recipes/*; expected 200 — an ImageField (not a FileField) or a Pillow check refuses a non-image: the form again with its error" \
	recipes/forms.py 's/^class RecipeForm(forms.ModelForm):$/&\n    image = forms.FileField()\n/'
# The author read before the view sets it (h1298: form.save() first, an
# upload path naming the author's folder): Django's
# RelatedObjectDoesNotExist is not an exception of the app's own to catch,
# and the message says how to set the relation first.
expect_grade cookbook-fbv recipe-platform "a relation read before it was set is told to set it before save()" 35 \
	"recipes-list-public recipe-create-upload recipe-image-served admin-category-filter query-budget" \
	"(the app logged: recipes.models.Recipe.author.RelatedObjectDoesNotExist: Recipe has no author., at recipes/views.py:*) (a related object that does not exist: set it before save(), with save(commit=False), or make it with its owner, a post_save signal or get_or_create)" \
	recipes/views.py 's/^            recipe.author = request.user$/            recipe.author.username\n&/'
# A category select valued by ids, labelled with the names (h1283: a
# ForeignKey to a Category table, no to_field): admin-category-filter's
# vegetarian, sent as SPEC.md stores it, is refused, and the message says
# the option's value, where it said only "the form refused".
expect_grade cookbook-fbv recipe-platform "a category select valued by ids is told the value its option has" 80 \
	admin-category-filter \
	"— category=vegetarian was no valid choice (its category option vegetarian is valued 1): take the value SPEC.md sends" \
	recipes/forms.py 's/^class RecipeForm(forms.ModelForm):$/&\n    category = forms.TypedChoiceField(choices=[("1", "Vegetarian"), ("2", "Vegan"), ("3", "Main"), ("4", "Dessert")], coerce=lambda v: {"1": "vegetarian", "2": "vegan", "3": "main", "4": "dessert"}[v])\n/'
# A recipe page showing its photo as a CSS background (h1123): the page
# is named as the one meant among the addresses tried, whose others (the
# list, the form) were not it, and what it lacks said in words, not as
# "xpath //img/@src was []" (the site's logo left out: its <img> would be
# the one tried).
expect_grade cookbook-fbv recipe-platform "a photo shown as a CSS background is told the page has no <img>, the page named alone" 85 \
	recipe-image-served "alice opens the recipe's page: the best of * addresses tried: GET /recipes/*/ as alice answered 200; the page has no <img> element with a src (a CSS background or a link to the photo is none) — the recipe's page must show its photo in an <img> element" \
	templates/recipes/recipe_detail.html 's|^  <img src="{{ recipe.image.url }}" alt="{{ recipe.title }}" class="recipe-photo">$|  <div class="recipe-photo" style="background-image: url({{ recipe.image.url }})"></div>|' \
	templates/base.html '/<img src="{% static .img\/logo.png. %}"/d'
# ...and the same beside ingredients kept in a formset of their own
# (h1273: SPEC.md allows rows, h779): the check's ingredients are there,
# in rows, so the message gives the check's advice, where it said "add
# ingredients to the form" in its place.
expect_grade cookbook-fbv recipe-platform "a photo shown as a CSS background beside an ingredients formset keeps the check's advice" 85 \
	recipe-image-served "the page has no <img> element with a src (a CSS background or a link to the photo is none) — the recipe's page must show its photo in an <img> element" \
	templates/recipes/recipe_detail.html 's|^  <img src="{{ recipe.image.url }}" alt="{{ recipe.title }}" class="recipe-photo">$|  <div class="recipe-photo" style="background-image: url({{ recipe.image.url }})"></div>|' \
	templates/base.html '/<img src="{% static .img\/logo.png. %}"/d' \
	recipes/forms.py 's/"ingredients", //' \
	templates/recipes/recipe_form.html 's|{% csrf_token %}|&<input type="hidden" name="ingredients-TOTAL_FORMS" value="1"><input type="hidden" name="ingredients-INITIAL_FORMS" value="0"><input type="text" name="ingredients-0-name">|'
# A list showing each title only as its photo's alt (h1136): said as
# held in that attribute, not the page's text (query-budget, finding no
# title either, is not measured).
expect_grade cookbook-fbv recipe-platform "a title only in an <img alt> is said so" 90 \
	"recipes-list-public query-budget" "(the page has it only in <img alt=\"…\">, not as text: show it in the page); page text was" \
	templates/recipes/recipe_list.html 's|^      <a href="{% url .recipes:detail. recipe.pk %}">{{ recipe.title }}</a>$|      <a href="{% url '"'"'recipes:detail'"'"' recipe.pk %}"><img src="{{ recipe.image.url }}" alt="{{ recipe.title }}"></a>|'
# A list whose queryset leaves the new recipes out (h1148: published
# defaulting to False): the recipe's own page shows it, and the message
# says the list filters it out, not that it was never saved.
expect_grade cookbook-fbv recipe-platform "a list filtering out saved recipes is told its queryset hides them" 90 \
	"recipes-list-public query-budget" "— its page /recipes/*/ shows the first recipe, and the list neither names nor links it: does the list's queryset filter recipes out (published, approved), or sharing leave it unpublished?" \
	recipes/views.py 's/^    recipes = Recipe.objects.select_related("author").all()$/    recipes = Recipe.objects.select_related("author").filter(pk__lt=0)/'
# ...and a list in pages of one, read by ?p=N, that says "Page 1 of N"
# and links none (h1170: told of a filter): said as a list whose pages
# are not linked.
expect_grade cookbook-fbv recipe-platform "a list saying it has more pages than it links is told to link them" 90 \
	recipes-list-public "— the list says it has more pages than it links: link each next page with <a href>" \
	recipes/views.py 's/^    recipes = Recipe.objects.select_related("author").all()$/    from django.core.paginator import Paginator\n    recipes = Paginator(Recipe.objects.select_related("author").order_by("-pk"), 1).get_page(request.GET.get("p"))/' \
	templates/recipes/recipe_list.html 's|^  </ul>$|\&\n  <p>Page {{ recipes.number }} of {{ recipes.paginator.num_pages }}</p>|'
# ...and a list in pages of one that links none (h1159): the recipe found
# on a page no link reaches is said so, and not as a list filtering it
# out, which the reads after the failure would have said.
expect_grade cookbook-fbv recipe-platform "a recipe on an unlinked page is said so, not as a list filtering it out" 90 \
	recipes-list-public "(found at /recipes/?page=*, to which the page has no link: link the next page with <a href>)" \
	recipes/views.py 's/^    recipes = Recipe.objects.select_related("author").all()$/    from django.core.paginator import Paginator\n    recipes = Paginator(Recipe.objects.select_related("author").order_by("-pk"), 1).get_page(request.GET.get("page"))/'
f=$WORK/cookbook-fbv-$(echo "a recipe on an unlinked page is said so, not as a list filtering it out" | tr -c 'a-z0-9' '-' | cut -c1-40).json
got=$(jget "$f" "next(c['message'] for c in r['checks'] if c['id'] == 'recipes-list-public')")
case $got in
*"queryset"*) notok "a recipe on an unlinked page is not said filtered out" "$got" ;;
*"found at"*) ok "a recipe on an unlinked page is not said filtered out" ;;
*) notok "a recipe on an unlinked page is not said filtered out" "$got" ;;
esac
# A list cutting its titles (h1064: truncatechars): recipes-list-public
# charges it, and query-budget, whose rows are found by their titles, is
# not measured and says it looked for them whole.
expect_grade cookbook-fbv recipe-platform "a list cutting its titles says query-budget looked for them whole" 90 \
	"recipes-list-public query-budget" "not measured: the page it measures gave it nothing to measure*its first page lists none of the 5 recipes made to measure it, by their whole titles (Soup 1 to 5)" \
	templates/recipes/recipe_list.html 's/{{ recipe.title }}/{{ recipe.title|truncatechars:10 }}/'
# A redirect to the new recipe's page without its trailing slash (h1076):
# said as the slash missing, with the page meant, where the advice alone
# read as a redirect to the list or a slug.
expect_grade cookbook-fbv recipe-platform "a redirect lacking its trailing slash says so, with the page meant" 80 \
	recipe-create-upload "redirect location was \"/recipes/*\" (no trailing slash: the page is /recipes/*/); expected /recipes/{id}/" \
	recipes/views.py 's|^            return redirect("recipes:detail", pk=recipe.pk)$|            return redirect(f"/recipes/{recipe.pk}")|'
# A recipe page without its photo, the list showing it in each card
# (h1099): the page the form redirected to is the recipe's own, so the
# photo is looked for there alone, not on the list its menu links to.
expect_grade cookbook-fbv recipe-platform "a recipe page without its photo is not passed on a list's card" 85 \
	recipe-image-served "the best of * addresses tried: GET /recipes/*/ as alice answered 200; the page has no <img> element with a src" \
	templates/base.html '/<img src="{% static .img\/logo.png. %}"/d' \
	templates/recipes/recipe_detail.html 's|^  <img src="{{ recipe.image.url }}" alt="{{ recipe.title }}" class="recipe-photo">$||' \
	templates/recipes/recipe_list.html 's|^      <a href="{% url .recipes:detail. recipe.pk %}">{{ recipe.title }}</a>$|      <img src="{{ recipe.image.url }}" alt="">\n&|'
# Vegetarian stored as "veggie", labelled Vegetarian (h1100): the
# submit about the stored values sends vegetarian as SPEC.md names it,
# not the option its label reads, and the refusal costs the check.
expect_grade cookbook-fbv recipe-platform "a vegetarian stored under another value costs admin-category-filter" 80 \
	admin-category-filter "the vegetarian dish must be saved: after POST /recipes/new/ as alice answered 200 with the form's errors {\"category\": [\"Select a valid choice. vegetarian is not one of the available choices.\"]}" \
	recipes/models.py 's/^        VEGETARIAN = "vegetarian", "Vegetarian"$/        VEGETARIAN = "veggie", "Vegetarian"/' \
	recipes/migrations/0001_initial.py "s/('vegetarian', 'Vegetarian')/('veggie', 'Vegetarian')/"
# A photo src written as the file's path on disk (h1105: {{ recipe.image.path
# }}): said as the path on disk, not as the storage's base_url.
expect_grade cookbook-fbv recipe-platform "a photo src that is the file's path on disk is told to write .url" 85 \
	recipe-image-served "the photo's address: (this src is the file's path on disk, under MEDIA_ROOT: write the field's .url, not its .path): read at 2 addresses" \
	templates/recipes/recipe_detail.html 's|{{ recipe.image.url }}|{{ recipe.image.path }}|'
# A photo view of the app's own answering application/octet-stream with a
# day's Cache-Control (h899): its type is said, not first a copy "kept
# from before the change", which no cache can hold of an address the
# upload was just given.
expect_grade cookbook-fbv recipe-platform "a photo view's wrong type with a cache lifetime is not told of a copy kept from before" 85 \
	recipe-image-served 'header Content-Type was "application/octet-stream"' \
	recipes/urls.py 's|^    path("<int:pk>/", views.recipe_detail, name="detail"),$|&\n    path("<int:pk>/photo/", views.recipe_photo, name="photo"),|' \
	recipes/views.py '$a\\n\ndef recipe_photo(request, pk):\n    from django.http import HttpResponse\n    recipe = get_object_or_404(Recipe, pk=pk)\n    response = HttpResponse(recipe.image.read(), content_type="application/octet-stream")\n    response["Cache-Control"] = "public, max-age=86400"\n    return response' \
	templates/recipes/recipe_detail.html 's|<img src="{{ recipe.image.url }}"|<img src="{% url "recipes:photo" recipe.pk %}"|'
# A storage of the project's own that works its location out itself, from
# a variable whose default is BASE_DIR / "media", the project's MEDIA_ROOT
# (h630): its files are where the project's MEDIA_ROOT is, and MEDIA_URL
# serves them from there, as the project would; they answered 404 where
# the grader had moved MEDIA_ROOT.
expect_grade cookbook-fbv recipe-platform "a storage placing uploads in the project's own MEDIA_ROOT by itself scores 100" 100 "" "" \
	cookbook/settings.py '$a\\nimport os as _os\nfrom django.core.files.storage import FileSystemStorage as _FS\n\n\nclass UploadStorage(_FS):\n    def __init__(self, **kwargs):\n        kwargs.setdefault("location", _os.environ.get("RECIPES_UPLOAD_DIR", str(BASE_DIR / "media")))\n        super().__init__(**kwargs)\n\n\nSTORAGES = {"default": {"BACKEND": "cookbook.settings.UploadStorage"}, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}'
# A recipe saved before its photo is refused, in a list of two a page,
# oldest first (h637): the refused title is on a later page, which the
# check now reads; it read the first alone and the recipe kept 15 points.
# Its advice says it was saved though refused (h1123).
expect_grade cookbook-fbv recipe-platform "a refused upload's recipe on a later page of the list is seen" 85 \
	"recipe-rejects-non-image query-budget" "expected not containing \"Not a photo*— a refused upload must not create a recipe: its form refused the file, yet the recipe was saved; save only after form.is_valid()" \
	recipes/views.py 's/^    recipes = Recipe.objects.select_related("author").all()$/    from django.core.paginator import Paginator\n    recipes = Paginator(Recipe.objects.select_related("author").order_by("pk"), 2).get_page(request.GET.get("page"))/' \
	recipes/views.py 's/^        if form.is_valid():$/        if not form.is_valid() and "image" in form.errors:\n            Recipe.objects.create(title=request.POST.get("title", ""), ingredients="-", instructions="-", category="dessert", author=request.user, image="recipes\/none.png")\n&/' \
	templates/recipes/recipe_list.html 's/^{% if recipes %}$/{% if recipes.has_next %}<a href="?page={{ recipes.next_page_number }}">Next<\/a>{% endif %}\n&/'
# ...and a form redirecting to that list of two a page, oldest first
# (h637): the new recipe's link is on a later page, which the photo's
# check reads; it looked on the first, and lost 15 points beside
# recipe-create-upload's.
expect_grade cookbook-fbv recipe-platform "a create redirecting to a list in pages costs recipe-create-upload alone" 80 \
	"recipe-create-upload query-budget" "redirect location was \"/recipes/\"" \
	recipes/views.py 's/^    recipes = Recipe.objects.select_related("author").all()$/    from django.core.paginator import Paginator\n    recipes = Paginator(Recipe.objects.select_related("author").order_by("pk"), 2).get_page(request.GET.get("page"))/' \
	recipes/views.py 's/^            return redirect("recipes:detail", pk=recipe.pk)$/            return redirect("recipes:list")/' \
	templates/recipes/recipe_list.html 's/^{% if recipes %}$/{% if recipes.has_next %}<a href="?page={{ recipes.next_page_number }}">Next<\/a>{% endif %}\n&/'
# The photo's <img> names a view that checks who may see it and redirects
# to the media file (a private-media pattern, h385): followed, as a
# browser follows an image's redirect, it is the photo.
expect_grade cookbook-fbv recipe-platform "a photo served through a view's redirect to its media file scores 100" 100 "" "" \
	recipes/views.py 's|^def recipe_list(request):|@login_required\ndef recipe_photo(request, pk):\n    return redirect(get_object_or_404(Recipe, pk=pk).image.url)\n\n\n&|' \
	recipes/urls.py 's|    path("<int:pk>/", views.recipe_detail, name="detail"),|&\n    path("<int:pk>/photo/", views.recipe_photo, name="photo"),|' \
	templates/recipes/recipe_detail.html 's|<img src="{{ recipe.image.url }}"|<img src="{% url "recipes:photo" recipe.pk %}"|'
# The recipe's page shows the first photo ever uploaded, not its own
# (h385: the <img> named the wrong recipe): the body served is another
# upload of the run byte for byte, and the message says so, not "serve
# the upload as it came (not re-encoded)".
expect_grade cookbook-fbv recipe-platform "another recipe's photo served is said to be another upload, not re-encoded" 85 "recipe-image-served" \
	"body was another upload's file, byte for byte; expected the 9443 bytes of pancakes.png — its page shows another upload: show its own image.url" \
	templates/recipes/recipe_detail.html 's|<img src="{{ recipe.image.url }}"|<img src="{{ first.image.url }}"|' \
	recipes/views.py 's|    return render(request, "recipes/recipe_detail.html", {"recipe": recipe})|    first = Recipe.objects.exclude(image="").order_by("pk").first()\n    return render(request, "recipes/recipe_detail.html", {"recipe": recipe, "first": first})|'
# The photo's view hands the file to nginx (X-Accel-Redirect, an empty
# body of type image/png, h385): the message says no front server runs
# here, not that the photo was re-encoded.
expect_grade cookbook-fbv recipe-platform "a photo left to nginx's X-Accel-Redirect is said to be one" 85 "recipe-image-served" \
	"body was empty, with an X-Accel-Redirect header: no nginx or Apache runs here to send the file, so serve it from Django" \
	recipes/views.py 's|^def recipe_list(request):|def recipe_photo(request, pk):\n    from django.http import HttpResponse\n    response = HttpResponse(content_type="image/png")\n    response["X-Accel-Redirect"] = "/protected/" + get_object_or_404(Recipe, pk=pk).image.name\n    return response\n\n\n&|' \
	recipes/urls.py 's|    path("<int:pk>/", views.recipe_detail, name="detail"),|&\n    path("<int:pk>/photo/", views.recipe_photo, name="photo"),|' \
	templates/recipes/recipe_detail.html 's|<img src="{{ recipe.image.url }}"|<img src="{% url "recipes:photo" recipe.pk %}"|'
# The default storage given a folder of its own, outside MEDIA_ROOT
# (h392): the photo's 404 says the uploads are kept there, which
# MEDIA_URL does not serve, not only that the src must be
# recipe.image.url, which the template uses.
expect_grade cookbook-fbv recipe-platform "uploads kept outside MEDIA_ROOT are said to be where MEDIA_URL does not serve" 85 "recipe-image-served" \
	"answered 404 (uploads are stored in uploads, outside MEDIA_ROOT)" \
	cookbook/settings.py 's|^MEDIA_ROOT = BASE_DIR / "media"$|&\nSTORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": BASE_DIR / "uploads"}}, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}|' \
	templates/base.html '/<img src="{% static .img\/logo.png. %}"/d'
# ...and so a file field's own storage kept there (h986: storage= a
# FileSystemStorage of its own location, MEDIA_URL its base_url).
expect_grade cookbook-fbv recipe-platform "a file field's own storage outside MEDIA_ROOT is said to keep uploads where MEDIA_URL does not serve" 85 "recipe-image-served" \
	"answered 404 (uploads are stored in uploads, outside MEDIA_ROOT)" \
	recipes/models.py '1i from django.conf import settings as _settings\nfrom django.core.files.storage import FileSystemStorage as _Files\n\n\ndef _uploads():\n    return _Files(location=_settings.BASE_DIR / "uploads", base_url="/media/")\n' \
	recipes/models.py 's|^    image = models.ImageField(upload_to=recipe_image_path)$|    image = models.ImageField(upload_to=recipe_image_path, storage=_uploads)|' \
	recipes/migrations/0001_initial.py "s|('image', models.ImageField(upload_to=recipes.models.recipe_image_path)),|('image', models.ImageField(storage=recipes.models._uploads, upload_to=recipes.models.recipe_image_path)),|" \
	templates/base.html '/<img src="{% static .img\/logo.png. %}"/d'
# An upload_to that makes an absolute path (h379): Django refuses the save
# as a SuspiciousFileOperation, answers its bare "Bad Request (400)" and
# logs the reason where DEBUG = False prints nothing; the messages quote
# it, as they quote a 500's exception.
expect_grade cookbook-fbv recipe-platform "an upload refused as a path traversal is quoted from the app's log" 35 \
	"recipes-list-public recipe-create-upload recipe-image-served admin-category-filter query-budget" \
	"answered 400 saying \"Bad Request (400)\" (the app logged: SuspiciousFileOperation: Detected path traversal attempt in '/recipes/" \
	recipes/models.py 's|    return f"recipes/|    return f"/recipes/|'
expect_grade cookbook-fbv recipe-platform "a form built by scripts is said so, and the logout form is never posted instead" 20 \
	"recipes-list-public recipe-create-upload recipe-image-served recipe-rejects-non-image admin-category-filter query-budget" \
	"alice shares a first recipe: GET /recipes/new/ as alice answered 200: the page as served has no form to fill (a form built by scripts is not there: pages are read without running them)" \
	templates/recipes/recipe_form.html '5,17c\<div id="recipe-form-root"></div>'
# Status labels translated (h162: "Aberto", "Pendente"): the pages name
# no status in the words SPEC.md gives, and the messages say so, quoting
# what follows "Status:" (h1110: labels of the app's own) (the
# choices' new labels are a migration the app lacks: a warning).
expect_grade helpdesk-cbv ticket-system "translated status labels cost ticket-create and status-update-staff, said as no status named" 75 \
	"ticket-create status-update-staff migrations-current status-csrf" "status its page states outside links, buttons and form controls: none; expected Open*it names no status (Open, Pending or Resolved, in English) anywhere in its text (after \"Status\" it reads \"Pendente*(a title or aria-label is not read)" \
	support/models.py 's/, "Open"$/, "Aberto"/; s/, "Pending"$/, "Pendente"/; s/, "Resolved"$/, "Resolvido"/'
# New tickets Pending on a page in French, "Statut : Pending" beside a
# legend naming every status (h466): the stated status is read in French
# too, and costs ticket-create alone (it passed as Open, and
# status-update-staff was lost instead).
expect_grade helpdesk-cbv ticket-system "a page saying \"Statut : Pending\" beside a legend costs ticket-create alone" 85 \
	"ticket-create migrations-current status-csrf" "its page says \"status\" before Pending or Resolved" \
	support/models.py 's/default=Status.OPEN,/default=Status.PENDING,/' \
	support/templates/support/ticket_detail.html 's|^    Status: <span class="badge">|    Statut : <span class="badge">|; s|  <div class="description">|  <p>Statuts : Open, Pending, Resolved.</p>\n  <div class="description">|'
# A legend naming every status on the ticket's page: it shows Pending
# whatever is stored, so a status never saved is caught by the page not
# changing around its status words...
expect_grade helpdesk-cbv ticket-system "a legend naming every status does not hide an unsaved status" 90 \
	"status-update-staff status-csrf" "alice's page /tickets/*/ before and after: its status words read as before, Pending among them (\"*Statuses: Open, Pending, Resolved.*\", same classes and aria-current; staff's POST /tickets/*/status/ status=pending answered *) — mark the current one (a class such as current or active, aria-current, or bold)*and save staff's change" \
	support/templates/support/ticket_detail.html 's|  <div class="description">|  <p>Statuses: Open, Pending, Resolved.</p>\n  <div class="description">|' \
	support/views.py 's/            form.save()/            pass/'
# A history line naming the new status, written by a view that never saves
# the ticket: the page still says "Status: Open", with a line added
# (status-csrf not measured, as staff's own post saved nothing, h1177).
expect_grade helpdesk-cbv ticket-system "a history line does not hide an unsaved status" 90 \
	"status-update-staff status-csrf" "Pending was added, but the old status text stays word for word (\"*Open*\", same classes and aria-current; staff's POST /tickets/*/status/ status=pending answered *) — save the status and show it in place of the old one" \
	support/views.py 's/^            form.save()$/            from django.core.cache import cache\n            cache.set("history-%s" % self.object.pk, "staff changed the status to %s" % form.cleaned_data["status"].capitalize())/' \
	support/views.py 's/^            context\["status_form"\] = TicketStatusForm(instance=self.object)$/&\n        from django.core.cache import cache\n        context["history"] = cache.get("history-%s" % self.object.pk)/' \
	support/templates/support/ticket_detail.html 's|^  <div class="description">|  {% if history %}<p class="history">{{ history }}</p>{% endif %}\n&|'
# ...while steps naming every status, the current one only marked by its
# class, change with a saved status and cost nothing.
expect_grade helpdesk-cbv ticket-system "steps marking the current status by class cost nothing" 100 "" "" \
	support/templates/support/ticket_detail.html 's|  <div class="description">|  <ol class="steps"><li class="{% if ticket.status == "open" %}current{% endif %}">Open</li><li class="{% if ticket.status == "pending" %}current{% endif %}">Pending</li><li class="{% if ticket.status == "resolved" %}current{% endif %}">Resolved</li></ol>\n  <div class="description">|'
# Steps naming every status, the current one marked by aria-current
# alone (h121): where the mark sits is what changes, and it costs nothing.
expect_grade helpdesk-cbv ticket-system "steps marking the current status by aria-current alone cost nothing" 100 "" "" \
	support/templates/support/ticket_detail.html 's|^    Status: <span class="badge">{{ ticket.get_status_display }}</span>$|    <ol class="steps"><li{% if ticket.status == "open" %} aria-current="step"{% endif %}>Open</li><li{% if ticket.status == "pending" %} aria-current="step"{% endif %}>Pending</li><li{% if ticket.status == "resolved" %} aria-current="step"{% endif %}>Resolved</li></ol>|'
# A new ticket's page with a query after it (h121: /tickets/4/?created=1)
# is its page: for ticket-create, and for the checks that post to its
# status/ beside it.
expect_grade helpdesk-cbv ticket-system "a redirect to the ticket's page with a query after it scores 100" 100 "" "" \
	support/views.py 's|^    template_name = "support/ticket_form.html"$|&\n\n    def get_success_url(self):\n        return self.object.get_absolute_url() + "?created=1"|'
# Sessions in signed cookies with the CSRF secret kept in the session
# (h120): each user's one cookie carries both.
expect_grade helpdesk-cbv ticket-system "CSRF_USE_SESSIONS with signed-cookie sessions scores 100" 100 "" "" \
	helpdesk/settings.py '$a\\nSESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\nCSRF_USE_SESSIONS = True'
# Sessions in a cache that is DummyCache (h280): nobody can stay signed
# in, the boot's sign-in fails, and the diagnosis says why.
expect_boot_failed helpdesk-cbv ticket-system "sessions kept in DummyCache: the boot failure says the cache stores nothing" \
	"SESSION_ENGINE keeps sessions in a cache, and that cache is DummyCache, which stores nothing" \
	helpdesk/settings.py '$a\\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}'
# Sessions kept in a cache whose server cannot be reached (h662: a Redis
# at 127.0.0.1:6379, told to reach the database only through DATABASES):
# the diagnosis names the cache and LocMemCache. (A backend of the app's
# own connecting to a loopback port nothing listens on stands for Redis.)
expect_boot_failed helpdesk-cbv ticket-system "sessions in a cache whose server is out of reach: the boot failure names the cache" \
	"the project's cache (CACHES, a Redis or Memcached server) could not be reached: the grader gives no network, so where no cache server is, use LocMemCache" \
	helpdesk/settings.py '$a\\n\nfrom django.core.cache.backends.base import BaseCache\n\n\nclass RemoteCache(BaseCache):\n    def __init__(self, location, params):\n        super().__init__(params)\n\n    def _server(self):\n        import socket\n        socket.create_connection(("127.0.0.1", 9), timeout=1)\n\n    def get(self, key, default=None, version=None):\n        self._server()\n\n    def add(self, key, value, timeout=None, version=None):\n        self._server()\n\n    def set(self, key, value, timeout=None, version=None):\n        self._server()\n\n    def delete(self, key, version=None):\n        self._server()\n\n\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nCACHES = {"default": {"BACKEND": "helpdesk.settings.RemoteCache"}}'
# A channel layer's server reached while the app starts (h904: a Redis
# layer flushed in ready(), told to mend DATABASES): the diagnosis names
# the layer, InMemoryChannelLayer and the project's line that reached it.
# (A layer of the ASGI interface connecting to a loopback port nothing
# listens on stands for channels_redis.)
expect_boot_failed helpdesk-cbv ticket-system "a channel layer out of reach at start-up: the boot failure names the layer and the line" \
	"the channel layer (CHANNEL_LAYERS, a Redis server) could not be reached from support/apps.py:*: the grader serves the app over WSGI with no network*channels.layers.InMemoryChannelLayer" \
	support/apps.py '$a\\n    def ready(self):\n        StockLayer().flush()\n\n\nclass StockLayer:\n    """A channel layer of the ASGI interface, its server out of reach."""\n\n    def _server(self):\n        import socket\n        socket.create_connection(("127.0.0.1", 9), timeout=1)\n\n    def new_channel(self, prefix="specific."):\n        self._server()\n\n    async def group_send(self, group, message):\n        self._server()\n\n    def flush(self):\n        self._server()'
# A SQLite project's own init_command that SQLite cannot parse (h915: a
# comma between two PRAGMAs): migrate and runserver fail with it on the
# student's machine, and so does the boot, its OPTIONS kept on the
# grader's file; the diagnosis names the statement and the setting, not
# a migration's SQL. (It scored 100: the grader's OPTIONS replaced it.)
expect_boot_failed shop-viewsets ecommerce-api "a SQLite init_command SQLite cannot run stops the boot, said as the setting's" \
	"SQLite could not run 'PRAGMA journal_mode=WAL, synchronous=NORMAL', of the init_command in DATABASES' OPTIONS*separated by ';'" \
	shopsite/settings.py 's/^        "NAME": BASE_DIR \/ "db.sqlite3",$/&\n        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL, synchronous=NORMAL"},/'
# ...and one it can run, WAL and all, is the app's as it ships: 100.
expect_grade shop-viewsets ecommerce-api "a SQLite init_command of WAL PRAGMAs is kept and scores 100" 100 "" "" \
	shopsite/settings.py 's/^        "NAME": BASE_DIR \/ "db.sqlite3",$/&\n        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"},/'
# Sessions kept through a DatabaseCache whose table only createcachetable
# makes (h402): the diagnosis names the cache and how to make its table,
# not a missing migration (makemigrations would write nothing).
expect_boot_failed helpdesk-cbv ticket-system "sessions through a DatabaseCache without its table: the boot failure names createcachetable" \
	"no such table: helpdesk_cache: the table helpdesk_cache is the one CACHES['default'] (DatabaseCache) keeps its entries in, which only manage.py createcachetable makes" \
	helpdesk/settings.py '$a\\nSESSION_ENGINE = "django.contrib.sessions.backends.cached_db"\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "helpdesk_cache"}}'
# A receiver of the users' post_save writing a model changed without its
# migration (h320: a profile made for each user): the boot fails creating
# the users, and the diagnosis says the migration is missing.
expect_boot_failed helpdesk-cbv ticket-system "a users' receiver writing an unmigrated model: the boot failure says the migration is missing" \
	"has no column named priority: a model changed without its migration? run makemigrations and commit the migrations folder" \
	support/models.py 's/^    title = models.CharField(max_length=200)$/&\n    priority = models.IntegerField(default=1)/' \
	support/models.py '$a\\n\nfrom django.db.models.signals import post_save\nfrom django.dispatch import receiver\n\n\n@receiver(post_save, sender=settings.AUTH_USER_MODEL)\ndef welcome_ticket(sender, instance, created, **kwargs):\n    if created:\n        Ticket.objects.create(owner=instance, title="Welcome", description="Say hello.")'
# A receiver of the users' post_save making a row for the user on every
# save, not only the first (h571: a Profile): the boot's second save of
# the user, as a sign-in's for last_login, fails on the unique row, and
# the diagnosis says what the receiver must check.
expect_boot_failed helpdesk-cbv ticket-system "a users' receiver creating a row on every save: the boot failure says to check created" \
	"UNIQUE constraint failed*saving a user a second time (after create_user, as every sign-in does for last_login) made a row that exists already: a post_save receiver that creates one for the user should do it only when created is True" \
	support/models.py '$a\\n\nfrom django.db.models.signals import post_save\nfrom django.dispatch import receiver\n\n\n@receiver(post_save, sender=settings.AUTH_USER_MODEL)\ndef shadow_user(sender, instance, **kwargs):\n    if not instance.username.startswith("shadow-"):\n        sender.objects.create(username="shadow-" + instance.username)'
# A custom user model given a plain models.Manager (h571): the users
# cannot be made, and the diagnosis names the manager and create_user.
expect_boot_failed helpdesk-email-login ticket-system "a user model whose manager has no create_user: the boot failure names it" \
	"has no create_user, with which the grader makes SPEC.md's users, as createsuperuser does: give the model a manager of its own on BaseUserManager defining create_user" \
	accounts/models.py 's/^    objects = UserManager()$/    objects = models.Manager()/'
# A unique field of the user model that create_user is given no value for
# (neither USERNAME_FIELD nor in REQUIRED_FIELDS, h720): every user gets
# the same empty one and the second is refused; the diagnosis names the
# field and REQUIRED_FIELDS, not a post_save receiver the app lacks.
expect_boot_failed helpdesk-email-login ticket-system "a unique user field create_user is not given: the boot failure names it and REQUIRED_FIELDS" \
	"the user model's handle is unique, and create_user is given no value for it*add it to REQUIRED_FIELDS, or let it be empty more than once" \
	accounts/models.py 's/^    username = models.CharField(max_length=150)$/&\n    handle = models.CharField(max_length=30, unique=True, default="")/' \
	accounts/migrations/0001_initial.py "s/^                ('username', models.CharField(max_length=150)),$/&\n                ('handle', models.CharField(max_length=30, unique=True, default='')),/"
# A login view of its own that gives the form request.POST where
# AuthenticationForm takes the request first (h746): the form never sees
# the post, and the message says so beside asking for the errors.
expect_grade helpdesk-cbv ticket-system "a login form given the post as its request is said so" 90 \
	login-page "or the form never got the post: AuthenticationForm(request, data=request.POST)" \
	helpdesk/urls.py 's|^from django.views.generic import RedirectView$|&\nfrom django.contrib.auth import login\nfrom django.contrib.auth.forms import AuthenticationForm\nfrom django.shortcuts import redirect, render\n\n\ndef sign_in(request):\n    form = AuthenticationForm(request.POST or None)\n    if request.method == "POST" and form.is_valid():\n        login(request, form.get_user())\n        return redirect("/tickets/")\n    return render(request, "registration/login.html", {"form": form})|' \
	helpdesk/urls.py 's|^    path("accounts/", include("django.contrib.auth.urls")),$|    path("accounts/login/", sign_in, name="login"),\n&|'
# A handler403 that renders its page without status=403 (h402): the pages
# refuse, with 200; the message quotes the page's heading and says to
# send its status, not only that the page must be refused.
expect_grade helpdesk-cbv ticket-system "a refusal page answered 200 is quoted, with its status to send" 80 \
	"dashboard-staff-only status-update-forbidden" \
	"answered 200 (its page says \"403 - Access denied\": a refusal answered 200; send it with its status, as render(request, \"403.html\", status=403) does)" \
	helpdesk/urls.py '$a\\nfrom django.http import HttpResponse\n\n\ndef denied(request, exception=None):\n    return HttpResponse("<!doctype html><html><head><title>Help desk</title></head><body><h1>403 - Access denied</h1><p>Staff only.</p></body></html>")\n\n\nhandler403 = denied'
# ...and a handler404 doing the same (h840: "404 — Not found" answered
# 200 was told only "must be refused, not shown"): quoted, with 404's fix.
expect_grade helpdesk-cbv ticket-system "a not-found page answered 200 is quoted, with its 404 to send" 85 \
	"ticket-detail-private" \
	"answered 200 (its page says \"404 - Not found\": a refusal answered 200; send it with its status, as render(request, \"404.html\", status=404) does)" \
	helpdesk/urls.py '$a\\nfrom django.http import HttpResponse\n\n\ndef missing(request, exception=None):\n    return HttpResponse("<!doctype html><html><head><title>Help desk</title></head><body><h1>404 - Not found</h1></body></html>")\n\n\nhandler404 = missing'
# ...but not a number that only holds those digits (h1074: the title
# "Private 4484045d", the run's nonce, read as a 404 page): a ticket shown
# to another customer is said as shown.
expect_grade helpdesk-cbv ticket-system "a heading whose number holds 404 is not read as a not-found page" 85 \
	"ticket-detail-private" \
	"GET /tickets/*/ as bob answered 200; expected a refusal (302 to the login page, 401, 403 or 404)" \
	support/views.py 's/^        return qs.filter(owner=self.request.user)$/        return qs/' \
	support/templates/support/ticket_detail.html 's|^  <h1>{{ ticket.title }}</h1>|  <h1>Case T-1404: {{ ticket.title }}</h1>|'
# The ticket's page cached for everyone (h841: cache_page(300) on a view
# that filters by owner served alice's copy to bob): the refusal's message
# says the page came with a lifetime, from a cache not per user.
expect_grade helpdesk-cbv ticket-system "another user's cached page where a refusal is asked is said as the cache's" 75 \
	"ticket-detail-private status-update-staff" \
	"answered 200 (the answer came with Cache-Control: max-age=300: another user's copy, kept by a cache that is not per user? cache_page keeps one page for all: vary it on the cookie)" \
	support/urls.py 's|^    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket-detail"),$|    path("tickets/<int:pk>/", cache_page(300)(views.TicketDetailView.as_view()), name="ticket-detail"),|; s|^from django.urls import path$|&\nfrom django.views.decorators.cache import cache_page|'
# The same with SESSION_SAVE_EVERY_REQUEST (h405): every answer sends the
# session cookie again, the same key; a refused post is not said to have
# signed anyone in.
dest=$WORK/refusal-page-session-every-request
app helpdesk-cbv ticket-system "$dest" \
	helpdesk/urls.py '$a\\nfrom django.http import HttpResponse\n\n\ndef denied(request, exception=None):\n    return HttpResponse("<!doctype html><html><head><title>Help desk</title></head><body><h1>403 - Access denied</h1><p>Staff only.</p></body></html>")\n\n\nhandler403 = denied' \
	helpdesk/settings.py '$a\\nSESSION_SAVE_EVERY_REQUEST = True'
grade "$dest.json" "$dest" ticket-system --no-db
msgs=$(jget "$dest.json" "' | '.join(c['message'] or '' for c in r['checks'] if c['status'] != 'pass')")
if [ "$rc" = 0 ] && [[ $msgs == *"POST /tickets/"*"answered 200 (its page says \"403 - Access denied\""* ]] &&
	[[ $msgs != *"having signed in"* ]]; then
	ok "a session cookie sent again unchanged is not said to be a sign-in"
else
	notok "a session cookie sent again unchanged is not said to be a sign-in" "exit $rc: $msgs"
fi
# Django 5.1's LoginRequiredMiddleware with the login view wrapped in a
# function of the app's own, not exempt (h297): the login page sends to
# itself, and the message says to exempt it.
expect_grade helpdesk-cbv ticket-system "a login page behind a login-required middleware is told to be exempt" 80 \
	"login-page tickets-login-required" \
	"answered 302 to /accounts/login/?next=/accounts/login/ (the login page itself asks to sign in: exempt it from a login-required middleware, @login_not_required); expected 200" \
	helpdesk/settings.py "s/^    'django.contrib.auth.middleware.AuthenticationMiddleware',$/&\n    'django.contrib.auth.middleware.LoginRequiredMiddleware',/" \
	helpdesk/urls.py 's/^urlpatterns = \[$/from django.contrib.auth.views import LoginView\n\n\ndef sign_in(request):\n    return LoginView.as_view()(request)\n\n\n&\n    path("accounts\/login\/", sign_in, name="login"),/'
# The list, followed as anonymous, meets that loop (h420): a failure that
# says so and what to exempt, not an error of "more than 10 redirects" and
# an excerpt of the nested ?next=.
dest=$WORK/helpdesk-cbv-$(echo "a login page behind a login-required middleware is told to be exempt" | tr -c 'a-z0-9' '-' | cut -c1-40)
loop=$(jget "$dest.json" "[(c['status'], c['message']) for c in r['checks'] if c['id'] == 'tickets-login-required'][0]")
if [[ $loop == "('fail', "*"a redirect loop: /accounts/login/ redirects to itself (followed 10 times) (the login page itself asks to sign in: exempt it from a login-required middleware, @login_not_required)"* ]]; then
	ok "a login page redirecting to itself is a failure named as a redirect loop"
else
	notok "a login page redirecting to itself is a failure named as a redirect loop" "$loop"
fi
# The login page served at /login/, not the challenge's /accounts/login/
# (h410): the 404 names where the app serves it and the grader.yaml line
# that maps it.
expect_grade helpdesk-cbv ticket-system "a login page at another prefix is named, with its grader.yaml line" 90 \
	login-page "answered 404 (no URL pattern of the app matches this path; it serves /login/: map it in grader.yaml, /accounts/login/\$: /login/); expected 200" \
	helpdesk/urls.py 's|    path("accounts/", include("django.contrib.auth.urls")),|    path("", include("django.contrib.auth.urls")),|' \
	helpdesk/settings.py 's|^LOGIN_URL = "/accounts/login/"$|LOGIN_URL = "/login/"|'
# LOGIN_URL naming a page the app does not have (h120): the redirect is
# followed, and its 404 costs tickets-login-required alone.
expect_grade helpdesk-cbv ticket-system "LOGIN_URL naming a page the app lacks costs tickets-login-required alone" 90 \
	tickets-login-required "GET /tickets/ as anonymous (followed to /login/?next=/tickets/) answered 404; expected 200 — the redirect must lead to your login page" \
	helpdesk/settings.py 's|^LOGIN_URL = "/accounts/login/"$|LOGIN_URL = "/login/"|'
# LOGIN_URL naming the deployment's host (h317: PythonAnywhere): the
# redirect leaves the app, which no check follows, and the message says
# so (a host that never resolves: nothing is sent to it).
expect_grade helpdesk-cbv ticket-system "LOGIN_URL on another host costs tickets-login-required and says the redirect left the app" 90 \
	tickets-login-required "answered 302 to https://helpdesk.example.invalid/accounts/login/ (another site: not followed)" \
	helpdesk/settings.py 's|^LOGIN_URL = "/accounts/login/"$|LOGIN_URL = "https://helpdesk.example.invalid/accounts/login/"|'
# Staff's status form requiring a comment beside the status (h121): the
# status posted alone is not saved, and the message names the field.
expect_grade helpdesk-cbv ticket-system "a status form requiring a comment too costs status-update-staff and names it" 90 \
	"status-update-staff status-csrf" "it states no Pending: its form also requires comment; status is posted alone (its status words: \"Open\"; staff’s menu sends one of: \"open pending resolved\"; POST /tickets/*/status/ as staff answered *)" \
	support/forms.py 's/^class TicketStatusForm(forms.ModelForm):$/&\n    comment = forms.CharField(widget=forms.Textarea)/'
# ...and status-csrf, whose setup's own post then changed nothing, does
# not pass as if staff's form worked: it was not measured, and says why
# (h1019, h1032, h1037, h1050, h1059).
f=$WORK/helpdesk-cbv-$(echo "a status form requiring a comment too costs status-update-staff and names it" | tr -c 'a-z0-9' '-' | cut -c1-40).json
got=$(jget "$f" "next((c['status'], c['message']) for c in r['checks'] if c['id'] == 'status-csrf')")
case $got in
"('skip', \"not measured: its setup failed (staff's post with the token must change her page to Pending): her page reads as it did before staff's own post with the token (status=pending), so staff's page's form is not tried"*)
	ok "status-csrf is not passed where staff's own post changed nothing, and says why" ;;
*) notok "status-csrf is not passed where staff's own post changed nothing, and says why" "$got" ;;
esac
# ...and its advice names no cache, the form's own field being the cause
# (h1050, h1075: "not a copy cached before the change" beside it), said
# after the flash on staff's next page (h1274).
got=$(jget "$f" "next(c['message'] for c in r['checks'] if c['id'] == 'status-update-staff')")
case $got in
*"— staff's next page says \"That is not a valid status.\": the view refused status=pending") ok "a status form's own required field is not told of a cache" ;;
*) notok "a status form's own required field is not told of a cache" "$got" ;;
esac
# ...and with no status form on the ticket's page (a page of its own,
# h782): the message says it of the ticket's page, not of a status form.
expect_grade helpdesk-cbv ticket-system "a status form off the ticket's page is said as absent from that page" 90 \
	status-update-staff "it states no Pending (its status words: \"Open\"; the ticket’s page has no status form for staff; POST /tickets/*/status/ as staff answered *)" \
	support/forms.py 's/^class TicketStatusForm(forms.ModelForm):$/&\n    comment = forms.CharField(widget=forms.Textarea)/' \
	support/templates/support/ticket_detail.html 's|^  {% if status_form %}$|  {% if False %}|'
# Staff's status form with no method (h788): a browser sends each change
# by GET, which the status view refuses; the grader's post passes every
# scored check, and the status-csrf warning says it.
expect_grade helpdesk-cbv ticket-system "a status form sent by GET is warned of" 100 status-csrf \
	"its status form has no method=\"post\", so a browser sends it as a GET — give the status form method=\"post\" and {% csrf_token %}: a GET changes nothing" \
	support/templates/support/ticket_detail.html "s|<form method=\"post\" action=\"{% url 'support:ticket-status' ticket.pk %}\">|<form action=\"{% url 'support:ticket-status' ticket.pk %}\">|"
# Staff's status form posting to the create view (h918: to a view that
# shows itself again, 200, and saves nothing): the warning says the view
# refused the form with its errors, and that her page states its status
# as before.
expect_grade helpdesk-cbv ticket-system "a status form posting to a view that refuses it is warned of, with that view's errors" 100 status-csrf \
	"after POST /tickets/new/ as staff answered 200 with the form's errors {\"title\": [\"This field is required.\"]*her page states its status as before staff sent their page's status form, word for word" \
	support/templates/support/ticket_detail.html "s|<form method=\"post\" action=\"{% url 'support:ticket-status' ticket.pk %}\">|<form method=\"post\" action=\"{% url 'support:ticket-create' %}\">|"
# ...and to a view that answers a post with a redirect and saves nothing
# (h985: its form posting to the ticket's own page, the address never
# said): the message says where the form posts.
expect_grade helpdesk-cbv ticket-system "a status form posting to a view that saves nothing is warned of, its address said" 100 status-csrf \
	"nothing it shows of the status changed; its status form posts to noop/" \
	support/urls.py 's|^    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),$|&\n    path("tickets/<int:pk>/noop/", __import__("django.views.generic", fromlist=["RedirectView"]).RedirectView.as_view(url="/tickets/")),|' \
	support/templates/support/ticket_detail.html "s|<form method=\"post\" action=\"{% url 'support:ticket-status' ticket.pk %}\">|<form method=\"post\" action=\"noop/\">|"
# A status form without its token in a project of Jinja2 beside Django's
# templates (h818): the status-csrf warning names both tags, each with its
# language; written into the check's message, {{ csrf_input }} read as a
# variable and was said as "…". (Jinja2 is undeclared: a warning too.)
# The count of forms is said in words (h867: "... was 1; expected 0").
expect_grade helpdesk-cbv ticket-system "a status form without its token under Jinja2 and Django templates is told both tags" 100 "requirements-declared status-csrf" \
	"its status form has no csrfmiddlewaretoken field — put {% csrf_token %} ({{ csrf_input }} in a Jinja2 template) in the status form: without it" \
	support/templates/support/ticket_detail.html '/{% csrf_token %}/d' \
	helpdesk/settings.py "s|^TEMPLATES = \[|&\n    {'BACKEND': 'django.template.backends.jinja2.Jinja2', 'DIRS': [BASE_DIR / 'jinja2']},|"
# A pattern catching the status path before its own (h818: "tickets/
# <int:pk>/<slug:ref>/" listed before "tickets/<int:pk>/status/", whose
# view answered every post 200): the report's cause names the pattern
# that caught it and the fix, where the checks' messages tell only what
# was not saved or not refused.
# Both checks it cost share the cause (h951, h952: status-update-staff,
# told "save the status", was left out of it).
dest=$WORK/status-shadowed
app helpdesk-cbv ticket-system "$dest" \
	support/urls.py 's|^    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket-detail"),$|&\n    path("tickets/<int:pk>/<slug:ref>/", views.ticket_any),|' \
	support/views.py '$a\\n\ndef ticket_any(request, pk, ref):\n    from django.http import HttpResponse\n    return HttpResponse("Ticket")' \
	|| notok "a write caught by a pattern listed before its own is said as that pattern's" "could not make the repository"
grade "$dest.json" "$dest" ticket-system --no-db
got=$(jget "$dest.json" "r['score'], [(c['cause'], sorted(c['checks'])) for c in r['causes']]")
case $got in
*"POST /tickets/{id}/status/ answered 200 from another view: the pattern /tickets/{pk}/{ref}/, listed before /tickets/{id}/status/'s own, catches the path first: list /tickets/{id}/status/'s pattern before it"*"['status-update-forbidden', 'status-update-staff']"*)
	ok "a write caught by a pattern listed before its own is said as that pattern's, for both checks it cost" ;;
*) notok "a write caught by a pattern listed before its own is said as that pattern's, for both checks it cost" "exit $rc: $got; $(jget "$dest.json" "[(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass']")" ;;
esac
# ...and the ticket's own page taking the post (h952, h958: a slug view
# that shows the ticket for any method, 200): the message asks whether
# status/ should be listed first, where it said only "save the status".
expect_grade helpdesk-cbv ticket-system "a status post answered with the ticket's page asks whether status/ is listed too late" 80 \
	"status-update-staff status-update-forbidden status-csrf" "it states no Pending: its 200 was the ticket's page: list status/ first? (its status words*POST /tickets/*/status/ as staff answered 200)" \
	support/urls.py 's|^    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket-detail"),$|&\n    path("tickets/<int:pk>/<slug:ref>/", views.ticket_page),|' \
	support/views.py '$a\\n\ndef ticket_page(request, pk, ref):\n    request.method = "GET"\n    return TicketDetailView.as_view()(request, pk=pk)'
# The status view sending staff to sign in (a test of is_superuser, as
# user_passes_test redirects, h788): the message says a test refused
# staff, not only "save the status".
expect_grade helpdesk-cbv ticket-system "staff's status post sent to sign in is said as staff refused by a test" 90 \
	"status-update-staff status-csrf" "it states no Pending: a test refused staff (SPEC.md's staff has is_staff alone) (its status words*POST /tickets/*/status/ as staff answered 302 to /" \
	support/views.py 's|^        form = TicketStatusForm(request.POST, instance=self.object)$|        if not request.user.is_superuser:\n            from django.contrib.auth.views import redirect_to_login\n            return redirect_to_login(request.get_full_path())\n&|'
# Staff's status form as radio buttons valued by their labels ("Resolved"),
# which the view refuses (h987): a browser sends the button's value, and
# so does the warning's post, which sent the check's "resolved" (taken)
# and stayed silent.
expect_grade helpdesk-cbv ticket-system "radio buttons valued by their labels are sent as the page writes them" 100 \
	status-csrf "her page states its status as before staff sent their page's status form" \
	support/templates/support/ticket_detail.html 's|^      {{ status_form.as_p }}$|      {% for value, label in status_form.fields.status.choices %}<label><input type="radio" name="status" value="{{ label }}"{% if value == ticket.status %} checked{% endif %}> {{ label }}</label>{% endfor %}|'
# ...and radio buttons of another name (h987: new_status, the view
# reading it too): the message names them, not a page without any
# status form.
expect_grade helpdesk-cbv ticket-system "radio buttons named otherwise are named in the message" 90 \
	status-update-staff "staff’s form names its menu new-status, not status" \
	support/views.py 's|^        form = TicketStatusForm(request.POST, instance=self.object)$|        form = TicketStatusForm(request.POST, instance=self.object, prefix="new")|' \
	support/templates/support/ticket_detail.html 's|^      {{ status_form.as_p }}$|      {% for value, label in status_form.fields.status.choices %}<label><input type="radio" name="new-status" value="{{ value }}"{% if value == ticket.status %} checked{% endif %}> {{ label }}</label>{% endfor %}|'
# ...and one button per status of another name (h1032: new-status, each
# with its value): named too, where the message said the page had no
# status form for staff.
expect_grade helpdesk-cbv ticket-system "status buttons named otherwise are named in the message" 90 \
	status-update-staff "staff’s form names its menu new-status, not status" \
	support/views.py 's|^        form = TicketStatusForm(request.POST, instance=self.object)$|        form = TicketStatusForm(request.POST, instance=self.object, prefix="new")|' \
	support/templates/support/ticket_detail.html 's|^      {{ status_form.as_p }}$|      {% for value, label in status_form.fields.status.choices %}<button type="submit" name="new-status" value="{{ value }}">{{ label }}</button>{% endfor %}|'
# A status view re-showing its form with errors (h991): the message says
# that refusal first, and the request and its status once, so the reading
# between them is whole (it was cut at "it states no P…").
expect_grade helpdesk-cbv ticket-system "a status form refused with its errors says the request once and its reading whole" 90 \
	"status-update-staff status-csrf" "answered 200 with the form's errors {\"new-status\": [\"This field is required.\"]} — it states no Pending (its status words: \"Open\"; staff’s menu sends one of: \"open pending resolved\") — the form refused what the check sent" \
	support/views.py 's|^        form = TicketStatusForm(request.POST, instance=self.object)$|        form = TicketStatusForm(request.POST, instance=self.object, prefix="new")|' \
	support/views.py 's|^            messages.error(request, "That is not a valid status.")$|            from django.http import HttpResponse\n            return HttpResponse("<form method=post>" + form.as_p() + "</form>")|'
# ...and shown again on a page naming the ticket (h1011: an UpdateView's
# own page, "Change status of T1"): a refused form, not the ticket's page
# answering the post, so no "list status/ first?".
expect_grade helpdesk-cbv ticket-system "a status form refused on a page naming the ticket is not said as the ticket's page" 90 \
	"status-update-staff status-csrf" "{\"new-status\": [\"This field is required.\"]} — it states no Pending (its status words" \
	support/views.py 's|^        form = TicketStatusForm(request.POST, instance=self.object)$|        form = TicketStatusForm(request.POST, instance=self.object, prefix="new")|' \
	support/views.py 's|^            messages.error(request, "That is not a valid status.")$|            from django.http import HttpResponse\n            from django.utils.html import escape\n            return HttpResponse("<h1>Change status of " + escape(self.object.title) + "</h1><form method=post>" + form.as_p() + "</form>")|'
# A dashboard of open tickets alone (h771): alice's, resolved by staff, is
# missing; the message says bob's newest and first are listed, the two
# read before hers (h793: a page of three said to list six), and open
# ones alone (h1165, h1176).
expect_grade helpdesk-cbv ticket-system "a dashboard hiding resolved tickets is told it lists bob's tickets, not alice's" 90 \
	dashboard-staff-only "it lists bob's newest and first tickets but not \"Dash alice *\", older and resolved by staff — the dashboard must list every ticket, resolved ones too, not only open ones" \
	support/views.py 's/^        if status in Ticket.Status.values:$/        qs = qs.exclude(status="resolved")\n&/'
# Staff's status menu named new_status (h280, h288): the status posted
# is not read, and the message names the menu the form has instead of
# quoting an empty offer.
expect_grade helpdesk-cbv ticket-system "a status menu named otherwise is named in the message" 90 \
	status-update-staff "it states no Pending (its status words: \"Open\"; staff’s form names its menu new_status, not status; POST /tickets/*/status/ as staff answered *)" \
	support/forms.py 's/^class TicketStatusForm(forms.ModelForm):$/&\n    def add_prefix(self, field_name):\n        return "new_" + field_name\n/'
# ...the same route to the ticket's DetailView, which answers the post
# 405 (h1239): the example a 405 names is that route, not a front end's
# catch-all.
expect_grade helpdesk-cbv ticket-system "a slug route to a GET-only view shadowing status/ is named in its 405" 80 \
	"status-update-staff status-update-forbidden status-csrf" "answered 405 (the view answering it allows only GET, HEAD, OPTIONS: a view without post(), or a pattern listed before the one meant, such as <pk>/<slug>/ before <pk>/status/)" \
	support/urls.py 's|^    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket-detail"),$|&\n    path("tickets/<int:pk>/<slug:ref>/", views.TicketDetailView.as_view()),|'
# A <pk>/<slug>/ route listed before <pk>/status/ (h758, h763, h777): the
# status post is taken for a slug and redirected to the ticket's longer
# address, unsaved; the message asks whether another view took it, first
# (h825: said last, it was cut) and its fix, the route order (h918: the
# message's "save the status" sent the student to the view), and the
# report's cause names the pattern that took it.
expect_grade helpdesk-cbv ticket-system "a slug route shadowing status/ is asked about in the message" 80 \
	"status-update-staff status-update-forbidden status-csrf" "it states no Pending: a <pk>/<slug>/ pattern caught status/: list status/ first (its status words*POST /tickets/*/status/ as staff answered 302 to /" \
	support/urls.py 's|^    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket-detail"),$|&\n    path("tickets/<int:pk>/<slug:ref>/", views.canonical, name="ticket-canonical"),|' \
	support/views.py '$a\\n\ndef canonical(request, pk, ref):\n    if ref != "tck-%d" % pk:\n        return redirect("/tickets/%d/tck-%d/" % (pk, pk))\n    return TicketDetailView.as_view()(request, pk=pk)'
got=$(jget "$WORK/helpdesk-cbv-$(echo "a slug route shadowing status/ is asked about in the message" | tr -c 'a-z0-9' '-' | cut -c1-40).json" "[(c['cause'], c['checks']) for c in r['causes']]")
case $got in
*"POST /tickets/{id}/status/ answered 302 from another view: the pattern /tickets/{pk}/{ref}/, listed before /tickets/{id}/status/'s own, catches the path first"*"['status-update-staff', 'status-update-forbidden']"*)
	ok "a write redirected by a pattern listed before its own is said as that pattern's, for both checks it cost" ;;
*) notok "a write redirected by a pattern listed before its own is said as that pattern's, for both checks it cost" "$got" ;;
esac
# ...with the site's language switcher before it (Django's set_language
# form, h771): the status form's menu is named, not the switcher's.
expect_grade helpdesk-cbv ticket-system "a status menu named otherwise is named, not the language switcher's" 90 \
	status-update-staff "it states no Pending (its status words: \"Open\"; staff’s form names its menu new_status, not status; POST /tickets/*/status/ as staff answered *)" \
	support/forms.py 's/^class TicketStatusForm(forms.ModelForm):$/&\n    def add_prefix(self, field_name):\n        return "new_" + field_name\n/' \
	templates/base.html 's|^  <nav>$|  <form action="/i18n/setlang/" method="post"><select name="language"><option value="en">English</option></select></form>\n&|'
# Staff's status menu written by hand with options of no value (h430),
# its form refusing the post (a comment it requires, which the page does
# not show): a browser sends the options' text ("Open"), which the
# message quotes, not "names its menu status, not status".
expect_grade helpdesk-cbv ticket-system "a status menu whose options have no value is quoted by their text" 90 \
	"status-update-staff status-csrf" "it states no Pending (its status words: \"Open\"; staff’s menu sends one of: \"Open Pending Resolved\"; POST /tickets/*/status/ as staff answered *)" \
	support/forms.py 's/^class TicketStatusForm(forms.ModelForm):$/&\n    comment = forms.CharField(widget=forms.Textarea)/' \
	support/templates/support/ticket_detail.html 's|^      {{ status_form.as_p }}$|      <select name="status"><option>Open</option><option>Pending</option><option>Resolved</option></select>|'
# A field the app requires that its page does not mark required (h430: a
# hand-written form; here use_required_attribute = False): a person
# leaves it empty, and the message says the page is what to change.
expect_grade helpdesk-cbv ticket-system "a required field its page does not mark required is named as that" 25 \
	"ticket-create tickets-list-own-only ticket-detail-private dashboard-staff-only status-update-staff status-update-forbidden status-csrf query-budget" \
	"(location went empty, not marked required: mark it, or make it optional); expected 302" \
	support/forms.py 's/^class TicketForm(forms.ModelForm):$/&\n    use_required_attribute = False\n    location = forms.CharField()/'
# A ticket that starts Pending costs ticket-create alone: staff's change
# to Pending still shows Pending.
expect_grade helpdesk-cbv ticket-system "a ticket that starts Pending costs ticket-create alone" 85 \
	"ticket-create status-csrf" "" \
	support/models.py 's/default=Status.OPEN/default=Status.PENDING/' \
	support/migrations/0001_initial.py "s/default='open'/default='pending'/"
# ...and beside a disabled menu of every status (h1091): the words outside
# the controls are said, and all of them "with them", not "inside them".
expect_grade helpdesk-cbv ticket-system "a status beside a disabled menu is said with the menu's words, not as inside it" 85 \
	"ticket-create status-csrf" "the status its page states outside links, buttons and form controls was \"Pending\" (with them: \"Open Pending Resolved Pending\")" \
	support/models.py 's/default=Status.OPEN/default=Status.PENDING/' \
	support/migrations/0001_initial.py "s/default='open'/default='pending'/" \
	support/templates/support/ticket_detail.html 's|^    Status: <span class="badge">|    <select disabled><option>Open</option><option>Pending</option><option>Resolved</option></select>\n&|'
# A refusal that leaves a flash message naming the status she asked for
# ("You cannot set this ticket to Resolved"), shown on her next page: the
# status is unchanged all the same (contracts §4).
expect_grade helpdesk-cbv ticket-system "a refusal's flash message naming a status costs nothing" 100 "" "" \
	support/views.py 's/^from django.shortcuts import redirect$/from django.http import HttpResponseForbidden\nfrom django.shortcuts import redirect/' \
	support/views.py 's/^    http_method_names = \["post"\]$/    http_method_names = ["post"]\n\n    def handle_no_permission(self):\n        messages.error(self.request, "You cannot set this ticket to Resolved.")\n        return HttpResponseForbidden("Only staff may change a status.")/'
expect_grade helpdesk-cbv ticket-system "a status change open to customers costs status-update-forbidden alone" 90 \
	status-update-forbidden "only staff may change a ticket's status" \
	support/views.py 's/^class TicketStatusUpdateView(StaffRequiredMixin, SingleObjectMixin, View):/class TicketStatusUpdateView(LoginRequiredMixin, SingleObjectMixin, View):/'
# ...and one that saves the status before it refuses her (h362): her POST
# is refused, her page's status changed all the same, and the message says
# so in words, not by the query that read the page.
expect_grade helpdesk-cbv ticket-system "a status view that saves before it refuses costs status-update-forbidden and says so" 90 \
	status-update-forbidden "the status her page states was \"resolved\"; expected \"open\" — her POST was refused, yet her page's status changed; check who may change it before saving" \
	support/views.py 's/^from django.shortcuts import redirect$/from django.http import HttpResponseForbidden\nfrom django.shortcuts import redirect/' \
	support/views.py 's/^class TicketStatusUpdateView(StaffRequiredMixin, SingleObjectMixin, View):/class TicketStatusUpdateView(LoginRequiredMixin, SingleObjectMixin, View):/' \
	support/views.py 's/^            form.save()$/&\n            if not request.user.is_staff:\n                return HttpResponseForbidden("Only staff may change a status.")/'
expect_grade helpdesk-cbv ticket-system "a ticket form without {% csrf_token %} says so" 25 \
	"ticket-create tickets-list-own-only ticket-detail-private dashboard-staff-only status-update-staff status-update-forbidden status-csrf query-budget" \
	"put {% csrf_token %} inside the <form>" \
	support/templates/support/ticket_form.html '/{% csrf_token %}/d'
# Pages whose status and list load by htmx, with a <noscript> copy for a
# browser without scripts: the grader reads a page as such a browser shows
# it, and the copy is read (h591: ticket-create, status-update-staff and
# tickets-list-own-only lost).
expect_grade helpdesk-cbv ticket-system "a status and a list inside <noscript> beside an htmx placeholder are read" 100 "" "" \
	support/templates/support/ticket_detail.html 's|^  <p>$|  <div hx-get="status/" hx-trigger="load">Loading the status</div>\n  <noscript><p>|' \
	support/templates/support/ticket_detail.html 's|^  </p>$|  </p></noscript>|' \
	support/templates/support/ticket_list.html 's|^  {% if tickets %}$|  <div hx-get="rows/" hx-trigger="load">Loading your tickets</div>\n  <noscript>\n&|' \
	support/templates/support/ticket_list.html 's|^  {% endif %}$|&\n  </noscript>|'
# A ticket form of two named buttons, "Submit ticket" first and "Save as
# draft", whose view refuses a post naming neither: the first is the
# form's default button, which a person pressing Enter sends (h594: no
# button was sent, and every recipe was saved as a draft).
expect_grade helpdesk-cbv ticket-system "a form's default button is sent with it" 100 "" "" \
	support/templates/support/ticket_form.html 's|^    <button type="submit">Submit ticket</button>$|    <button type="submit" name="action" value="submit">Submit ticket</button>\n    <button type="submit" name="action" value="draft">Save as draft</button>|' \
	support/views.py 's|^        form.instance.owner = self.request.user$|        if self.request.POST.get("action") not in ("submit", "draft"):\n            form.add_error(None, "Choose Submit ticket or Save as draft.")\n            return self.form_invalid(form)\n&|'
# A status badge written as an <a> without href: a placeholder a browser
# shows as text, not a link, so it states the status (h592: ticket-create
# and status-update-staff lost, "none outside links").
expect_grade helpdesk-cbv ticket-system "a status in an <a> without href is read as the page's text" 100 "" "" \
	support/templates/support/ticket_detail.html 's|<span class="badge">{{ ticket.get_status_display }}</span>|<a class="badge">{{ ticket.get_status_display }}</a>|'
# The same list with no <noscript> copy loses its points, and is told the
# page fills it by an hx-get the grader does not run (h591: the message
# quoted "Loading your tickets" alone).
expect_grade helpdesk-cbv ticket-system "a list loaded by an hx-get as the page opens is told so" 85 \
	tickets-list-own-only "(part of the page loads by an hx-get as it opens, which the grader, as a browser without scripts, does not run: render it in the page, or a <noscript> copy)" \
	support/templates/support/ticket_list.html 's|^  {% if tickets %}$|  <div hx-get="rows/" hx-trigger="load">Loading your tickets</div>\n  {% if False %}|'

# The second three: function-based views, custom user models.
expect_grade shop-fbv-custom-user ecommerce-api "an API of @api_view functions and a custom user model scores 100" 100 "" ""
# An API view sending visitors to the login page (a login check of the
# view's own, LoginRequiredMixin's way, h791): order-auth-required says
# an API answers 401 or 403, and how, LoginRequiredMiddleware's way too
# (h833).
expect_grade shop-fbv-custom-user ecommerce-api "an API sending a visitor to sign in is told to answer 401 or 403" 90 \
	order-auth-required "answered 302 to /accounts/login/?next=/api/orders/ (an API answers a visitor 401 or 403, not its sign-in page: raise_exception = True on LoginRequiredMixin, a 401 of its own in place of @login_required, DRF's IsAuthenticated; under LoginRequiredMiddleware, @login_not_required)" \
	catalog/views.py 's/^@permission_classes(\[IsAuthenticated\])$/@permission_classes([])/' \
	catalog/views.py 's/^def order_list(request):$/&\n    if not request.user.is_authenticated:\n        from django.contrib.auth.views import redirect_to_login\n        return redirect_to_login(request.get_full_path())/'
# ...and on a visitor's product, whose longer message cuts that note
# (h1066): the cut closes its parenthesis before "; expected".
expect_grade shop-fbv-custom-user ecommerce-api "a note cut before what was expected closes its parenthesis" 85 \
	product-create-staff-only "answered 302 to /accounts/login/?next=/api/products/ (an API answers a visitor 401 or 403, not its sign-in page: * …); expected 401 or 403 — only staff may create products" \
	catalog/views.py '$a\\n\n_product_list = product_list\n\n\ndef product_list(request):\n    if not request.user.is_authenticated and request.method == "POST":\n        from django.contrib.auth.views import redirect_to_login\n        return redirect_to_login(request.get_full_path())\n    return _product_list(request)\n\n\nproduct_list.csrf_exempt = True'
# An order written without the product the body sent (h1083: Meta.depth
# making it read-only, the id ignored): the NOT NULL of its product_id is
# said as the product that never reached the row.
expect_grade shop-fbv-custom-user ecommerce-api "an order written without its product says the product sent never reached the row" 75 \
	"order-create orders-private order-whole-stock query-budget" \
	"NOT NULL constraint failed: catalog_order.product_id" \
	catalog/views.py 's/^        order = Order.objects.create(user=request.user, product=product, quantity=quantity)$/        order = Order.objects.create(user=request.user, quantity=quantity)/'
f=$WORK/shop-fbv-custom-user-$(echo "an order written without its product says the product sent never reached the row" | tr -c 'a-z0-9' '-' | cut -c1-40).json
got=$(jget "$f" "' | '.join(c['cause'] for c in r.get('causes', []))")
case $got in
*"NOT NULL constraint failed: "*"(the product sent never reached the row: is it read-only, by depth or a nested serializer?)"*)
	ok "a NOT NULL product_id's cause says the product sent never reached the row" ;;
*) notok "a NOT NULL product_id's cause says the product sent never reached the row" "$got" ;;
esac
# A view answering 401 to a signed-in user it refuses (Django Ninja's
# django_auth_is_staff, h804), where the grader came with the session and
# a token both: the message says 401 is "not signed in", and 403 is meant.
expect_grade shop-fbv-custom-user ecommerce-api "a 401 to a signed-in customer who came with both sign-ins says 403 is meant" 85 \
	product-create-staff-only "answered 401 (401 is \"not signed in\", yet alice came with the session and a token: answer 403 to a signed-in user the view refuses)" \
	catalog/views.py 's/^        return bool(request.user and request.user.is_authenticated and request.user.is_staff)$/        return bool(request.user and request.user.is_authenticated)/' \
	catalog/views.py 's/^    serializer = ProductSerializer(data=request.data)$/    if not request.user.is_staff:\n        return Response({"detail": "Unauthorized"}, status=401)\n&/' \
	config/settings.py "s/^        'rest_framework.authentication.SessionAuthentication',$/&\n        'rest_framework.authentication.TokenAuthentication',/" \
	config/settings.py "s/^    'rest_framework',$/&\n    'rest_framework.authtoken',/"
# ...and where the grader came with the session alone, answered as
# Django Ninja answers it, {"detail": "Unauthorized"} (h928: its
# django_auth_is_staff was told the session and Basic were refused).
expect_grade shop-fbv-custom-user ecommerce-api "a 401 as Django Ninja refuses a signed-in customer says 403 is meant" 85 \
	product-create-staff-only "answered 401 (401 is \"not signed in\", yet alice came with the session: a Django Ninja auth refusing a signed-in user, django_auth_is_staff or one returning None, answers 401; answer 403 in the view)" \
	catalog/views.py 's/^        return bool(request.user and request.user.is_authenticated and request.user.is_staff)$/        return bool(request.user and request.user.is_authenticated)/' \
	catalog/views.py 's/^    serializer = ProductSerializer(data=request.data)$/    if not request.user.is_staff:\n        return Response({"detail": "Unauthorized"}, status=401)\n&/'
# ...and answered in the view's own words about the user's role (h963:
# "Only staff can add products.", told the session and Basic were
# refused, where her session was taken).
expect_grade shop-fbv-custom-user ecommerce-api "a 401 refusing a signed-in customer for her role says 403 is meant" 85 \
	product-create-staff-only "answered 401 (401 is \"not signed in\", yet the answer refuses alice for a role, not the sign-in: answer 403 to a signed-in user the view refuses)" \
	catalog/views.py 's/^        return bool(request.user and request.user.is_authenticated and request.user.is_staff)$/        return bool(request.user and request.user.is_authenticated)/' \
	catalog/views.py 's/^    serializer = ProductSerializer(data=request.data)$/    if not request.user.is_staff:\n        return Response({"detail": "Only staff can add products."}, status=401)\n&/'
# ...and answered 401 with words of no role (h977, h989: a bare
# Response(status=401)): whether 403 is meant is asked first, where it
# came after the session "refused", which every other check took.
expect_grade shop-fbv-custom-user ecommerce-api "a 401 to a signed-in customer asks first whether 403 is meant" 85 \
	product-create-staff-only "answered 401 (401 is \"not signed in\": is 403 meant, for a signed-in user the view refuses? Else the session was refused" \
	catalog/views.py 's/^        return bool(request.user and request.user.is_authenticated and request.user.is_staff)$/        return bool(request.user and request.user.is_authenticated)/' \
	catalog/views.py 's/^    serializer = ProductSerializer(data=request.data)$/    if not request.user.is_staff:\n        return Response(status=401)\n&/'
expect_grade shop-fbv-custom-user ecommerce-api "every user's orders listed costs orders-private alone (function views)" 90 \
	orders-private "bob must not see alice's orders" \
	catalog/views.py 's/orders = Order.objects.filter(user=request.user).select_related("product")/orders = Order.objects.all().select_related("product")/'
# A required description of the app's own, validated before the view asks
# who is creating: alice's three fields answer 400, and with the
# description filled in, 403; the check sends what staff's create sends
# and scores 100 (h254). Its permissive twin creates alice's product.
# A user model whose is_staff is a property of a role, with no setter
# (h399): the grader cannot make its staff user staff, and the refusals
# say so, not that a permission check refuses a user with is_staff alone.
dest=$WORK/staff-property
app shop-fbv-custom-user ecommerce-api "$dest"
cat >"$dest/accounts/models.py" <<'PY'
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class RoleUserManager(UserManager):
    def create_user(self, username, email=None, password=None, **extra_fields):
        user = self.model(username=username, email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractUser):
    role = models.CharField(max_length=20, default="customer")

    objects = RoleUserManager()

    @property
    def is_staff(self):
        return self.role == "staff" or self.is_superuser
PY
cat >"$dest/accounts/migrations/0002_role.py" <<'PY'
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RemoveField(model_name="user", name="is_staff"),
        migrations.AddField(model_name="user", name="role",
                            field=models.CharField(default="customer", max_length=20)),
    ]
PY
commit_all "$dest" >/dev/null
grade "$dest.json" "$dest" ecommerce-api --no-db
msgs=$(jget "$dest.json" "' | '.join(c['message'] or '' for c in r['checks'] if c['status'] != 'pass')")
if [ "$rc" = 0 ] && has_parts "$msgs" "answered 403 (staff is not staff: the user model's is_staff is a property without a setter, so the grader could not make it staff; give it a setter that sets the role, or a field)" &&
	[[ $msgs != *"is_staff alone"* ]]; then
	ok "an is_staff property without a setter: staff's refusals say the grader could not make it staff"
else
	notok "an is_staff property without a setter: staff's refusals say the grader could not make it staff" "exit $rc: $msgs"
fi
# The same property, and a manager that gives the role from the flag, as
# SPEC.md's create_user(is_staff=True) does with it (h512): staff is
# staff, and the app scores 100 (its manager, unlike the migration's, is
# migrations-current's advisory). The flag went only to a field or a
# property with a setter, and staff was refused on every create.
dest=$WORK/staff-property-manager
app shop-fbv-custom-user ecommerce-api "$dest"
cp "$WORK/staff-property/accounts/migrations/0002_role.py" "$dest/accounts/migrations/"
sed 's/^        user = self.model(username=username, email=self.normalize_email(email), \*\*extra_fields)$/        if extra_fields.pop("is_staff", False):\n            extra_fields["role"] = "staff"\n&/' \
	"$WORK/staff-property/accounts/models.py" >"$dest/accounts/models.py"
commit_all "$dest" >/dev/null
grade "$dest.json" "$dest" ecommerce-api --no-db
if [ "$rc" = 0 ] && [ "$(jget "$dest.json" "r['status'], r['score'], [c['id'] for c in r['checks'] if c['status'] != 'pass' and c['id'] != 'migrations-current']")" = "graded 100 []" ]; then
	ok "an is_staff property a manager's create_user(is_staff=True) gives the role scores 100"
else
	notok "an is_staff property a manager's create_user(is_staff=True) gives the role scores 100" \
		"exit $rc: $(jget "$dest.json" "r['status'], r['score'], [(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass']")"
fi
# An is_staff property reading a boolean field of the model's own, its
# manager taking no is_staff (the HackSoft styleguide's user, h800): the
# grader sets the field that makes is_staff true, and staff is staff.
dest=$WORK/staff-property-admin
app shop-fbv-custom-user ecommerce-api "$dest"
cat >"$dest/accounts/models.py" <<'PY'
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class AdminUserManager(UserManager):
    def create_user(self, username, email=None, password=None, is_admin=False):
        user = self.model(username=username, email=self.normalize_email(email), is_admin=is_admin)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractUser):
    is_verified = models.BooleanField(default=False)
    is_admin = models.BooleanField(default=False)

    objects = AdminUserManager()

    @property
    def is_staff(self):
        return self.is_admin
PY
cat >"$dest/accounts/migrations/0002_admin.py" <<'PY'
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RemoveField(model_name="user", name="is_staff"),
        migrations.AddField(model_name="user", name="is_verified", field=models.BooleanField(default=False)),
        migrations.AddField(model_name="user", name="is_admin", field=models.BooleanField(default=False)),
    ]
PY
commit_all "$dest" >/dev/null
grade "$dest.json" "$dest" ecommerce-api --no-db
if [ "$rc" = 0 ] && [ "$(jget "$dest.json" "r['status'], r['score'], [c['id'] for c in r['checks'] if c['status'] != 'pass' and c['id'] != 'migrations-current']")" = "graded 100 []" ]; then
	ok "an is_staff property reading a boolean field of the model's own scores 100"
else
	notok "an is_staff property reading a boolean field of the model's own scores 100" \
		"exit $rc: $(jget "$dest.json" "r['status'], r['score'], [(c['id'], c['message']) for c in r['checks'] if c['status'] != 'pass']")"
fi
expect_grade shop-fbv-custom-user ecommerce-api "a create that validates before it checks for staff scores 100" 100 "" "" \
	catalog/serializers.py 's/    description = serializers.CharField(required=False, allow_blank=True, default="")/    description = serializers.CharField()/' \
	catalog/views.py '/^def product_list(request):$/,/^    product = Product.objects.create/s/^    product = Product.objects.create(\*\*serializer.validated_data)$/    if not request.user.is_staff:\n        return Response({"detail": "Staff only."}, status=status.HTTP_403_FORBIDDEN)\n&/' \
	catalog/views.py '0,/^@permission_classes(\[IsStaffOrReadOnly\])$/s//@permission_classes([])/'
# A required description refused as a plain view words it, a string under
# the field's name (h658: "description", "type" or "code" was read as an
# error envelope's word, no product made, 15): the field, filled.
expect_grade shop-fbv-custom-user ecommerce-api "a required field named like an envelope's word is filled" 100 "" "" \
	catalog/views.py '/^def product_list(request):$/,/^    serializer = ProductSerializer(data=request.data)$/s/^    serializer = ProductSerializer(data=request.data)$/    if not request.data.get("description"):\n        return Response({"description": "This field is required."}, status=status.HTTP_400_BAD_REQUEST)\n&/'
# A manager that gives staff their role when it creates them (a group
# here), from create_user's is_staff, and a catalogue writable by that
# role alone: the grader's staff is created with is_staff passed to
# create_user, as Django's manager takes it, and scores 100 (h260).
# (The manager's class changes the model's migration state: that warning.)
expect_grade shop-fbv-custom-user ecommerce-api "a role given by create_user to staff scores 100" 100 migrations-current "" \
	accounts/models.py 's/^from django.contrib.auth.models import AbstractUser$/from django.contrib.auth.models import AbstractUser, Group, UserManager\n\n\nclass RoleManager(UserManager):\n    def create_user(self, username, email=None, password=None, **extra_fields):\n        user = super().create_user(username, email, password, **extra_fields)\n        if extra_fields.get("is_staff"):\n            user.groups.add(Group.objects.get_or_create(name="managers")[0])\n        return user/' \
	accounts/models.py 's/^    pass$/    objects = RoleManager()/' \
	catalog/views.py 's/^        return bool(request.user and request.user.is_authenticated and request.user.is_staff)$/        return bool(request.user and request.user.is_authenticated and request.user.groups.filter(name="managers").exists())/'
# is_staff a property computed from a role field, with a setter that
# gives the role (h280): staff is created with is_staff, through the
# setter, and scores 100; before, only a field was set and staff was
# refused as if a role check wanted more.
expect_grade helpdesk-fbv-custom-user ticket-system "is_staff as a property with a setter gives staff the role" 100 "" "" \
	users/models.py 's/^    phone = models.CharField(max_length=20, blank=True)$/&\n    role = models.CharField(max_length=10, default="customer")\n\n    def _get_staff(self):\n        return self.role == "agent"\n\n    def _set_staff(self, value):\n        self.role = "agent" if value else "customer"\n\n    is_staff = property(_get_staff, _set_staff)/' \
	users/migrations/0001_initial.py "s/^                ('is_staff', models.BooleanField(.*$/                ('role', models.CharField(default='customer', max_length=10)),/" \
	users/admin.py 's/^    fieldsets = UserAdmin.fieldsets + (("Contact", {"fields": ("phone",)}),)$/    fieldsets = ((None, {"fields": ("username", "password", "role")}),)\n    list_filter = ()/'
# An order with a required field of the app's own (a shipping address):
# the check sends product and quantity alone, as SPEC.md's row says, and
# the message says so and what to change (h272). Every order is refused
# so: the stock checks' 400s are that refusal too, not theirs (h569).
expect_grade shop-viewsets ecommerce-api "an order's own required field is told the check sends two" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"(the check sends product, quantity alone, as SPEC.md says: make shipping_address optional or give it a default)" \
	store/serializers.py 's/^    quantity = serializers.IntegerField()$/&\n    shipping_address = serializers.CharField(write_only=True)/' \
	store/serializers.py 's/^        fields = \["id", "product", "product_name", "quantity", "created_at"\]$/        fields = ["id", "product", "product_name", "quantity", "shipping_address", "created_at"]/'
# The same with a field named as an error envelope's member often is
# ({"status": ["This field is required."]}: DRF's shape of a field's
# error, h492): the field and the fix are said, as for any other name.
expect_grade shop-viewsets ecommerce-api "an order's own required status is told the check sends two" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"(the check sends product, quantity alone, as SPEC.md says: make status optional or give it a default)" \
	store/serializers.py 's/^    quantity = serializers.IntegerField()$/&\n    status = serializers.CharField(write_only=True)/' \
	store/serializers.py 's/^        fields = \["id", "product", "product_name", "quantity", "created_at"\]$/        fields = ["id", "product", "product_name", "quantity", "status", "created_at"]/'
# The order's user left writable (in the serializer's fields): the check
# sends product and quantity, and the message says how an owner is set,
# not to give it a default (h275).
expect_grade shop-viewsets ecommerce-api "an order's writable user is told to come from request.user" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"(the check sends product, quantity alone, as SPEC.md says: the user is whoever sends it; make it read-only, set by serializer.save(user=request.user)); expected 200 or 201" \
	store/serializers.py 's/^        fields = \["id", "product", "product_name", "quantity", "created_at"\]$/        fields = ["id", "user", "product", "product_name", "quantity", "created_at"]/'
# ...and so under an exception handler's envelope two levels down
# (h1067: {"error": {"status": 400, "detail": ..., "fields": {"user":
# [...]}}}), where order-create quoted the answer with no fix.
expect_grade shop-viewsets ecommerce-api "an order's writable user under an envelope's fields is told to come from request.user" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"alice orders 2: POST /api/orders/ as alice answered 400 {\"error\": {*(the check sends product, quantity alone, as SPEC.md says: the user is whoever sends it; make it read-only, set by serializer.save(user=request.user)); expected 201" \
	store/serializers.py 's/^        fields = \["id", "product", "product_name", "quantity", "created_at"\]$/        fields = ["id", "user", "product", "product_name", "quantity", "created_at"]/' \
	shopsite/settings.py '$a\REST_FRAMEWORK["EXCEPTION_HANDLER"] = "store.views.enveloped"' \
	store/views.py '$a\\n\ndef enveloped(exc, context):\n    from rest_framework.views import exception_handler\n    answer = exception_handler(exc, context)\n    if answer is not None:\n        fields = answer.data if isinstance(answer.data, dict) and "detail" not in answer.data else {}\n        answer.data = {"error": {"status": answer.status_code, "detail": "Invalid input." if fields else answer.data.get("detail"), "fields": fields}}\n    return answer'
# The order's product taken as product_id (h285): the message says the
# field's name is the fix, not a default (which lost the product sent).
expect_grade shop-viewsets ecommerce-api "an order's product taken as product_id is told its name" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"answered 400 {\"product_id\": [\"This field is required.\"]} (the check sends product, as SPEC.md names it: the field is product, not product_id)" \
	store/serializers.py 's/^    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())$/    product_id = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), source="product")/' \
	store/serializers.py 's/^        fields = \["id", "product", "product_name", "quantity", "created_at"\]$/        fields = ["id", "product_id", "product_name", "quantity", "created_at"]/'
# ...and so in pydantic's list of errors answered 422, as Django Ninja
# answers a schema's (h1078: {"detail": [{"type": "missing", "loc":
# ["body", "payload", "product_id"], ...}]}, told only "expected 400").
expect_grade shop-viewsets ecommerce-api "an order's product taken as product_id in Ninja's 422 is told its name" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"alice orders 2: POST /api/orders/ as alice answered 422 {\"detail\": [{*(the check sends product, as SPEC.md names it: the field is product, not product_id); expected 201" \
	"${PYDANTIC_SHAPE[@]}" \
	store/views.py 's/^        response.data = {"detail": items}$/&\n        response.status_code = 422/' \
	store/serializers.py 's/^    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())$/    product_id = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), source="product")/' \
	store/serializers.py 's/^        fields = \["id", "product", "product_name", "quantity", "created_at"\]$/        fields = ["id", "product_id", "product_name", "quantity", "created_at"]/'
# The order's fields named in the app's own language (h418: producto,
# cantidad): as many asked for as the check sends, none of them these; the
# message says the names are the fix, and a default where they are fields
# of the app's own beside them (h749: unit_price, total).
expect_grade shop-viewsets ecommerce-api "an order's fields under names of the app's own are told to be named as SPEC.md does" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"(the check sends product, quantity, as SPEC.md names them; the API asks for producto, cantidad: name them as SPEC.md does if they are these, else make them read-only or give them a default)" \
	store/serializers.py 's/^    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())$/    producto = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), source="product")/' \
	store/serializers.py 's/^    quantity = serializers.IntegerField()$/    cantidad = serializers.IntegerField(source="quantity")/' \
	store/serializers.py 's/^        fields = \["id", "product", "product_name", "quantity", "created_at"\]$/        fields = ["id", "producto", "product_name", "cantidad", "created_at"]/'
# The order's product as a hyperlinked field (h426: DRF tutorial part 5):
# the id the check sends is refused for its type, and the message says
# which field to change.
expect_grade shop-viewsets ecommerce-api "an order's product as a hyperlinked field is told to take an id" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	'answered 400 {"product": ["Incorrect type. Expected URL string, received int."]} (the check sends product as an id, as SPEC.md says: a hyperlinked field takes a URL; make it a PrimaryKeyRelatedField)' \
	store/serializers.py 's/^    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())$/    product = serializers.HyperlinkedRelatedField(queryset=Product.objects.all(), view_name="product-detail")/'
# A price taken as an integer (h286): DRF's "A valid integer is
# required." is the value's type, not a field the view never read, and
# the message quotes it without telling the student to read request.data,
# with the value sent (h436: a price kept in cents).
expect_grade shop-viewsets ecommerce-api "a price refused for its type is not told to be read from request.data" 90 \
	products-list "answered 400 {\"price\": [\"A valid integer is required.\"]} (the grader sent price \"19.99\"); expected 201" \
	store/serializers.py 's/^class ProductSerializer(serializers.ModelSerializer):$/&\n    price = serializers.IntegerField()/'
# A product endpoint that parses forms alone (parser_classes for an
# upload): the grader's JSON is refused with 415, and the message says
# what it sends and what to accept (h269).
expect_grade shop-viewsets ecommerce-api "a 415 to the grader's JSON says it sends JSON" 0 \
	"products-list product-detail product-create-staff-only order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	"answered 415 (the grader sends JSON, as an API client does: accept it, DRF's JSONParser)" \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    from rest_framework.parsers import FormParser, MultiPartParser\n    parser_classes = [MultiPartParser, FormParser]/'
# An error handler that turns every 400 into a 500 of its own: nothing is
# logged, and the message quotes the app's answer instead of leaving the
# student to look for a traceback (h271).
expect_grade shop-viewsets ecommerce-api "a 500 the app answers itself is quoted" 70 \
	"order-out-of-stock order-quantity-validation" \
	"answered 500, a server error {*(no exception logged: the app answered it itself); expected 400" \
	shopsite/settings.py 's/^REST_FRAMEWORK = {$/&\n    "EXCEPTION_HANDLER": "store.views.as_500",/' \
	store/views.py '$a\\n\ndef as_500(exc, context):\n    from rest_framework.views import exception_handler\n    response = exception_handler(exc, context)\n    if response is not None and response.status_code == 400:\n        response.status_code = 500\n    return response'
# ...and answering Django's form errors under a key of its own ({"errors":
# form.errors.get_json_data()}, a plain Django view, h721): the same words,
# where order-create and orders-private quoted the 400 alone.
expect_grade shop-fbv-custom-user ecommerce-api "an order view reading request.POST, answering Django's form errors under a key, is told the grader sent JSON" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" '"code": "required"}]}} (the grader sent product, quantity as JSON: request.POST holds only form data; read request.data, or json.loads(request.body) outside DRF)' \
	catalog/views.py 's/^    serializer = OrderInputSerializer(data=request.data)$/    if "product" not in request.POST:\n        required = [{"message": "This field is required.", "code": "required"}]\n        return Response({"errors": {"product": required, "quantity": required}}, status=400)\n&/'
# An order view reading request.POST: the JSON body's fields are not
# there, and the 400 calling "product" required says the grader sent it
# as JSON, read with request.data (h253). Every order is refused alike, so
# the stock checks' 400s are no refusal of theirs (h589: 30 points kept).
expect_grade shop-fbv-custom-user ecommerce-api "an order view reading request.POST is told the grader sent JSON" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" "(the grader sent product, quantity as JSON: request.POST holds only form data; read request.data, or json.loads(request.body) outside DRF)" \
	catalog/views.py 's/    serializer = OrderInputSerializer(data=request.data)/    serializer = OrderInputSerializer(data=request.POST)/'
# ...and a product view reading its name from request.POST (h1018): told
# the same, without the note on a Ninja ModelSchema's ForeignKey, which a
# name sent as text is not.
expect_grade shop-viewsets ecommerce-api "a product view reading its name from request.POST is told the grader sent JSON, no ForeignKey" 15 \
	"products-list product-detail order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	'answered 400 {"name": ["This field is required."]} (the grader sent name as JSON: request.POST holds only form data; read request.data, or json.loads(request.body) outside DRF);' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n\n    def create(self, request, *args, **kwargs):\n        data = {k: v for k, v in request.data.items() if k != "name"}\n        if "name" in request.POST:\n            data["name"] = request.POST["name"]\n        serializer = self.get_serializer(data=data)\n        serializer.is_valid(raise_exception=True)\n        serializer.save()\n        return Response(serializer.data, status=201)/' \
	store/views.py 's/^from rest_framework import mixins, permissions, viewsets$/&\nfrom rest_framework.response import Response/'
# ...and the same view answering OPTIONS 405 (h1108, a plain view): what
# OPTIONS described is no cause where the fields sent went unread, and its
# note had cut the fix short ("outside DRF) (OPTI…").
expect_grade shop-viewsets ecommerce-api "a product view reading request.POST, its OPTIONS off, is told the grader sent JSON, not of OPTIONS" 15 \
	"products-list product-detail order-create order-out-of-stock order-quantity-validation order-auth-required orders-private order-whole-stock query-budget" \
	'(the grader sent name as JSON: request.POST holds only form data; read request.data, or json.loads(request.body) outside DRF); expected 20' \
	store/views.py 's/^    permission_classes = \[IsStaffOrReadOnly\]$/&\n    http_method_names = ["get", "post", "head"]\n\n    def create(self, request, *args, **kwargs):\n        data = {k: v for k, v in request.data.items() if k != "name"}\n        if "name" in request.POST:\n            data["name"] = request.POST["name"]\n        serializer = self.get_serializer(data=data)\n        serializer.is_valid(raise_exception=True)\n        serializer.save()\n        return Response(serializer.data, status=201)/' \
	store/views.py 's/^from rest_framework import mixins, permissions, viewsets$/&\nfrom rest_framework.response import Response/'
# A product list behind a sign-in: its advice names a plain view's own
# check too (h1114), where it named DRF's and Ninja's alone.
# (IsAuthenticated lets alice create one too: product-create-staff-only.)
expect_grade shop-fbv-custom-user ecommerce-api "a product list behind a sign-in is told to open it, a plain view's check too" 75 \
	"products-list product-create-staff-only" "— anyone may list products, signed in or not: open the list to every visitor (permission_classes letting safe methods through; a Django Ninja route's auth=None; a plain view's own sign-in check)" \
	catalog/views.py '0,/^@permission_classes(\[IsStaffOrReadOnly\])$/s//@permission_classes([IsAuthenticated])/'
# A queryset hiding every product (h1089, h1120: a default manager of
# active or undeleted rows): product-detail's 404 is told the product is
# on neither its page nor the list, in place of the lookup advice.
expect_grade shop-viewsets ecommerce-api "a product its queryset hides is told it is on neither its page nor the list" 45 \
	"products-list product-detail order-create order-quantity-validation order-auth-required order-whole-stock" \
	"answered 404 {\"detail\": \"No Product matches the given query.\"}; expected 200 — the product its create answered is on neither its page nor the list: does the view's queryset, or the model's default manager, hide it?" \
	store/views.py '0,/^    queryset = Product.objects.all()$/s//    queryset = Product.objects.filter(pk__lt=0)/'
# ...and so are the order checks' stock reads, which found it on neither
# (h1125: "each product must have its stock").
f=$WORK/shop-viewsets-$(echo "a product its queryset hides is told it is on neither its page nor the list" | tr -c 'a-z0-9' '-' | cut -c1-40).json
got=$(jget "$f" "next(c['message'] for c in r['checks'] if c['id'] == 'order-create')")
case $got in
*"the product's stock was missing (the list is empty); expected to exist — what its create answered is on neither its page nor the list: does the view's queryset, or the model's default manager, hide it?") ok "a stock read finding the product on neither its page nor the list says so" ;;
*) notok "a stock read finding the product on neither its page nor the list says so" "$got" ;;
esac
# An order's product field whose queryset misses every product (h1120:
# a default manager hiding new rows): DRF's "Invalid pk" of an id the app
# answered is said with the queryset to look at.
expect_grade shop-viewsets ecommerce-api "an order's product queryset missing the product is told to look at it" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" \
	"object does not exist.\"]} (the grader sent product *, an id the app answered: does the field's queryset, or the model's default manager, hide that row?); expected 20" \
	store/serializers.py 's/^    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())$/    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.filter(pk__lt=0))/'
# ...and one reading each field with request.POST.get (h633): the product
# is None, "This field may not be null.", every order refused alike.
expect_grade shop-fbv-custom-user ecommerce-api "an order view reading request.POST.get loses the stock checks too" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" "" \
	catalog/views.py 's/    serializer = OrderInputSerializer(data=request.data)/    serializer = OrderInputSerializer(data={"product": request.POST.get("product"), "quantity": request.data.get("quantity")})/'
# ...and one answering in an error envelope of its own ({"error":
# "product is required."}, h448): "error" is not a field to make optional;
# the field it names was sent as JSON, or read by a Ninja ModelSchema as
# product_id (h884).
expect_grade shop-fbv-custom-user ecommerce-api "an order view reading request.POST, answering in an envelope, is told the grader sent JSON" 45 \
	"order-create order-out-of-stock order-quantity-validation orders-private order-whole-stock query-budget" '400 {"error": "product is required."} (the grader sent product as JSON: request.POST holds only form data; read request.data, or json.loads(request.body) outside DRF; Django Ninja'"'"'s ModelSchema reads a ForeignKey as product_id: declare product on it)' \
	catalog/views.py 's/^    serializer = OrderInputSerializer(data=request.data)$/    if "product" not in request.POST:\n        return Response({"error": "product is required."}, status=400)\n&/'
# A function view's serializer with required fields of its own, a number
# and a date, which OPTIONS does not describe (h526): the blind fill's
# made-up text is refused in DRF's words ("A valid number is required.",
# "Date has wrong format. ..."), and the values they ask for are sent once
# more: the app scores 100, where every create was refused.
expect_grade shop-fbv-custom-user ecommerce-api "a blind fill refused in DRF's words for its type sends a number and a date" 100 "" "" \
	catalog/serializers.py 's/^    stock = serializers.IntegerField(min_value=0, required=False, default=0)$/&\n    weight_kg = serializers.DecimalField(max_digits=6, decimal_places=2, write_only=True)\n    released = serializers.DateField(write_only=True)/' \
	catalog/views.py 's/^    product = Product.objects.create(\*\*serializer.validated_data)$/    product = Product.objects.create(**{k: v for k, v in serializer.validated_data.items() if k not in ("weight_kg", "released")})/'
# ...and a date whose refusal names its own format ("Use one of these
# formats instead: DD.MM.YYYY.", input_formats, h673: "2000-01-01" sent
# again at every create, 15): sent in that format.
expect_grade shop-fbv-custom-user ecommerce-api "a blind fill refused for a date in the format DRF names sends it so" 100 "" "" \
	catalog/serializers.py 's/^    stock = serializers.IntegerField(min_value=0, required=False, default=0)$/&\n    weight_kg = serializers.DecimalField(max_digits=6, decimal_places=2, write_only=True)\n    released = serializers.DateField(input_formats=["%d.%m.%Y"], write_only=True)/' \
	catalog/views.py 's/^    product = Product.objects.create(\*\*serializer.validated_data)$/    product = Product.objects.create(**{k: v for k, v in serializer.validated_data.items() if k not in ("weight_kg", "released")})/'
# ...and in the app's language, DRF's own words translated ("Eine gültige
# Zahl ist erforderlich.", LANGUAGE_CODE "de", h585: 15 for a correct app):
# the boot gives DRF's words in that language, read alike.
expect_grade shop-fbv-custom-user ecommerce-api "a blind fill refused in DRF's words in German sends a number and a date" 100 "" "" \
	catalog/serializers.py 's/^    stock = serializers.IntegerField(min_value=0, required=False, default=0)$/&\n    weight_kg = serializers.DecimalField(max_digits=6, decimal_places=2, write_only=True)\n    released = serializers.DateField(write_only=True)/' \
	catalog/views.py 's/^    product = Product.objects.create(\*\*serializer.validated_data)$/    product = Product.objects.create(**{k: v for k, v in serializer.validated_data.items() if k not in ("weight_kg", "released")})/' \
	config/settings.py 's/^LANGUAGE_CODE = .*$/LANGUAGE_CODE = "de"/'
# A catalogue closed to anonymous visitors: the list and the product's
# page, both SPEC.md's "anyone", are two endpoints refused (product-detail
# reads the page as a visitor since h866), not the staff-only check.
expect_grade shop-fbv-custom-user ecommerce-api "a catalogue closed to anonymous visitors costs products-list and product-detail, not the staff-only check" 80 \
	"products-list product-detail" "answered 403" \
	catalog/views.py 's/        if request.method in SAFE_METHODS:/        if request.method in SAFE_METHODS and request.user.is_authenticated:/'

expect_grade cookbook-fbv recipe-platform "a recipe platform of functions with a static logo before the photo scores 100" 100 "" ""
# A photo view of the app's own that answers an HTML page, its file not
# found (h411: a path built from BASE_DIR, not MEDIA_ROOT): the message
# quotes what the page says, not only that its type is not an image.
expect_grade cookbook-fbv recipe-platform "a photo address answering an HTML page quotes the page" 85 \
	recipe-image-served 'Content-Type was "text/html; charset=utf-8", a page saying "Sorry, the photo' \
	templates/recipes/recipe_detail.html 's|<img src="{{ recipe.image.url }}"|<img src="/recipes/{{ recipe.pk }}/photo/"|' \
	templates/base.html '/<img src="{% static .img\/logo.png. %}"/d' \
	recipes/urls.py 's|^    path("<int:pk>/", views.recipe_detail, name="detail"),$|&\n    path("<int:pk>/photo/", views.recipe_photo, name="photo"),|' \
	recipes/views.py '$a\\n\ndef recipe_photo(request, pk):\n    from django.http import HttpResponse\n    return HttpResponse("<html><body><nav><a href=\\"/\\">Home</a> alice</nav><p>Sorry, the photo is not available right now.</p></body></html>")'
# The category filter drawn as a drop-down, as django-unfold's
# ChoicesDropdownFilter draws it (h392): a label and a <select
# name="category__exact"> in #changelist-filter, no link, no <h3>, no
# data-filter-title. It filters, so admin-category-filter passes.
dest=$WORK/dropdown-filter
if app cookbook-fbv recipe-platform "$dest" \
	recipes/admin.py 's/^    list_filter = \["category"\]$/    list_filter = [("category", CategoryDropdown)]/' \
	recipes/admin.py 's/^@admin.register(Recipe)$/class CategoryDropdown(admin.ChoicesFieldListFilter):\n    template = "admin\/dropdown_filter.html"\n\n\n&/'; then
	mkdir -p "$dest/templates/admin"
	cat >"$dest/templates/admin/dropdown_filter.html" <<'HTML'
<div class="filter-dropdown">
  <label for="filter-{{ spec.lookup_kwarg }}">{{ title|capfirst }}</label>
  <select id="filter-{{ spec.lookup_kwarg }}" name="{{ spec.lookup_kwarg }}">
    {% for choice in choices %}<option value="{{ choice.query_string }}"{% if choice.selected %} selected{% endif %}>{{ choice.display }}</option>{% endfor %}
  </select>
</div>
HTML
	commit_all "$dest" >/dev/null
	expect_full_marks "$dest" recipe-platform "a category filter drawn as a drop-down (unfold's) scores 100"
else
	notok "a category filter drawn as a drop-down (unfold's) scores 100" "could not make the repository"
fi
# The category filter drawn as boxes sent by a submit button, as
# django-unfold's ChoicesCheckboxFilter with list_filter_submit draws it
# (h666): a label and <input type="checkbox" name="category__exact"> in
# #changelist-filter, no link, no select. It filters, so
# admin-category-filter passes (it lost 20).
dest=$WORK/checkbox-filter
if app cookbook-fbv recipe-platform "$dest" \
	recipes/admin.py 's/^    list_filter = \["category"\]$/    list_filter = [("category", CategoryBoxes)]/' \
	recipes/admin.py 's/^@admin.register(Recipe)$/class CategoryBoxes(admin.ChoicesFieldListFilter):\n    template = "admin\/checkbox_filter.html"\n\n\n&/'; then
	mkdir -p "$dest/templates/admin"
	cat >"$dest/templates/admin/checkbox_filter.html" <<'HTML'
<form method="get" class="filter-boxes">
  <label>{{ title|capfirst }}</label>
  {% for choice in choices %}{% if choice.display != "All" %}<label><input type="checkbox" name="{{ spec.lookup_kwarg }}" value="{{ choice.display|lower }}"{% if choice.selected %} checked{% endif %}> {{ choice.display }}</label>{% endif %}{% endfor %}
  <button type="submit">Apply filters</button>
</form>
HTML
	commit_all "$dest" >/dev/null
	expect_full_marks "$dest" recipe-platform "a category filter drawn as boxes sent by a button (unfold's) scores 100"
else
	notok "a category filter drawn as boxes sent by a button (unfold's) scores 100" "could not make the repository"
fi
# django-grappelli's changelist (h404): the filters in <div id="grp-filters">,
# each a <label> and an unnamed <select class="grp-filter-choice"> whose
# options' values are the filter's query strings. It filters, so
# admin-category-filter passes (it lost 20 points on every Grappelli app).
dest=$WORK/grappelli-filter
if app cookbook-fbv recipe-platform "$dest" \
	recipes/admin.py 's/^    list_filter = \["category"\]$/    list_filter = [("category", GrappelliChoices)]/' \
	recipes/admin.py 's/^@admin.register(Recipe)$/class GrappelliChoices(admin.ChoicesFieldListFilter):\n    template = "admin\/grp_filter.html"\n\n\n&/'; then
	mkdir -p "$dest/templates/admin/recipes/recipe"
	cat >"$dest/templates/admin/grp_filter.html" <<'HTML'
<div class="grp-row">
  <label>{{ title|capfirst }}</label>
  <select class="grp-filter-choice" data-field-name="">
    {% for choice in choices %}<option value="{{ choice.query_string|iriencode }}"{% if choice.selected %} selected='selected'{% endif %}>{{ choice.display }}</option>{% endfor %}
  </select>
</div>
HTML
	cat >"$dest/templates/admin/recipes/recipe/change_list.html" <<'HTML'
{% extends "admin/change_list.html" %}
{% load admin_list %}
{% block filters %}{% if cl.has_filters %}<div id="grp-filters" class="g-d-6 g-d-l"><div class="grp-filter"><div class="grp-module">{% for spec in cl.filter_specs %}{% admin_list_filter cl spec %}{% endfor %}</div></div></div>{% endif %}{% endblock %}
HTML
	commit_all "$dest" >/dev/null
	expect_full_marks "$dest" recipe-platform "a category filter in Grappelli's markup scores 100"
else
	notok "a category filter in Grappelli's markup scores 100" "could not make the repository"
fi
# ...and a filter of the app's own titled category whose parameter is
# kind (h898): its <label> names the category, its options carry dessert
# beside vegetarian; it lost 20 under grappelli alone.
dest=$WORK/grappelli-kind-filter
if app cookbook-fbv recipe-platform "$dest" \
	recipes/admin.py 's/^    list_filter = \["category"\]$/    list_filter = [KindFilter]/' \
	recipes/admin.py 's/^@admin.register(Recipe)$/class KindFilter(admin.SimpleListFilter):\n    title = "category"\n    parameter_name = "kind"\n    template = "admin\/grp_filter.html"\n\n    def lookups(self, request, model_admin):\n        return Recipe.Category.choices\n\n    def queryset(self, request, queryset):\n        return queryset.filter(category=self.value()) if self.value() else queryset\n\n\n&/'; then
	mkdir -p "$dest/templates/admin/recipes/recipe"
	cp "$WORK/grappelli-filter/templates/admin/grp_filter.html" "$dest/templates/admin/grp_filter.html"
	cp "$WORK/grappelli-filter/templates/admin/recipes/recipe/change_list.html" "$dest/templates/admin/recipes/recipe/change_list.html"
	commit_all "$dest" >/dev/null
	expect_full_marks "$dest" recipe-platform "a filter of the app's own titled category under Grappelli's markup scores 100"
else
	notok "a filter of the app's own titled category under Grappelli's markup scores 100" "could not make the repository"
fi
# LOGIN_URL naming a page the app lacks: the redirect followed answers
# 404, and costs recipe-create-login-required alone.
# A required group of boxes (CheckboxSelectMultiple: Django marks none of
# them required, h189): the form answers that the field is required, and
# the grader ticks the first box and sends it again, as a person would.
expect_grade cookbook-fbv recipe-platform "a required group of checkboxes the checks never name costs nothing" 100 "" "" \
	recipes/forms.py 's/^class RecipeForm(forms.ModelForm):$/class RecipeForm(forms.ModelForm):\n    tags = forms.MultipleChoiceField(choices=[("quick", "Quick"), ("cheap", "Cheap")], widget=forms.CheckboxSelectMultiple)/'
# ...and one whose refusal is said above the form alone, a form-wide error
# ("Tick at least one tag.", h603): every unticked group is ticked.
expect_grade cookbook-fbv recipe-platform "a group of checkboxes refused in a form-wide error is ticked" 100 "" "" \
	recipes/forms.py 's/^class RecipeForm(forms.ModelForm):$/class RecipeForm(forms.ModelForm):\n    tags = forms.MultipleChoiceField(choices=[("quick", "Quick"), ("cheap", "Cheap")], widget=forms.CheckboxSelectMultiple, required=False)\n\n    def clean(self):\n        data = super().clean()\n        if not data.get("tags"):\n            raise forms.ValidationError("Tick at least one tag.")\n        return data\n/'
expect_grade cookbook-fbv recipe-platform "LOGIN_URL naming a page the app lacks costs recipe-create-login-required alone" 90 \
	recipe-create-login-required "GET /recipes/new/ as anonymous (followed to /login/?next=/recipes/new/) answered 404; expected 200 — the redirect must lead to your login page" \
	cookbook/settings.py 's|^LOGIN_URL = "/accounts/login/"$|LOGIN_URL = "/login/"|'
# A refused upload answered 400 with the form's errors (h127): the
# message keeps what was expected (200) beside the errors quoted.
expect_grade cookbook-fbv recipe-platform "a refused upload answered 400 costs recipe-rejects-non-image and says 200 was expected" 85 \
	recipe-rejects-non-image "answered 400 with the form's errors {\"*; expected 200 — an ImageField (not a FileField) or a Pillow check refuses a non-image: the form again with its error" \
	recipes/views.py 's|    return render(request, "recipes/recipe_form.html", {"form": form})|    return render(request, "recipes/recipe_form.html", {"form": form}, status=400 if request.method == "POST" else 200)|'
# A form whose action sends it to the list, which takes no POST: the
# message says the address is the form's action, not the grader's choice.
expect_grade cookbook-fbv recipe-platform "a form posting to the list says the address is its action" 20 \
	"recipes-list-public recipe-create-upload recipe-image-served recipe-rejects-non-image admin-category-filter query-budget" \
	"POST /recipes/ as alice answered 200 (the action of the form at /recipes/new/)" \
	templates/recipes/recipe_form.html 's|<form method="post" enctype="multipart/form-data" novalidate>|<form method="post" action="/recipes/" enctype="multipart/form-data" novalidate>|'
expect_grade cookbook-fbv recipe-platform "a form built without request.FILES says so" 35 \
	"recipes-list-public recipe-create-upload recipe-image-served admin-category-filter query-budget" \
	"build it with request.FILES" \
	recipes/views.py 's/form = RecipeForm(request.POST, request.FILES)/form = RecipeForm(request.POST)/'
# The project's own storage, made from FileSystemStorage, is its code and
# is kept (it was swapped for Django's when its name did not say
# FileSystemStorage): one whose URLs lead nowhere costs recipe-image-served.
# Its URLs under a prefix of its own for files kept under MEDIA_ROOT
# (h986: base_url="/uploads/"): the 404 says where the upload is, and
# that nothing serves that prefix.
expect_grade cookbook-fbv recipe-platform "the project's own FileSystemStorage subclass is graded as it is" 85 \
	recipe-image-served "(the upload is at /media/*, under MEDIA_URL: nothing serves /nowhere/; the storage's base_url, or its url method, must give the address its files are served at, and the src be the field's .url)" \
	recipes/apps.py '$a\\n\nfrom django.core.files.storage import FileSystemStorage\n\n\nclass HashedStorage(FileSystemStorage):\n    def url(self, name):\n        return "/nowhere/" + name' \
	cookbook/settings.py '$a\\nSTORAGES = {"default": {"BACKEND": "recipes.apps.HashedStorage"}, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}'
# ...and one whose location is a folder of MEDIA_ROOT, its base_url left
# at MEDIA_URL (h1112): the 404 says where MEDIA_ROOT holds the file and
# that the base_url must add the folder too.
expect_grade cookbook-fbv recipe-platform "a storage whose location adds a folder under MEDIA_ROOT is told its base_url must add it" 85 \
	recipe-image-served "answered 404 (MEDIA_ROOT has it in photos/: its storage's base_url, and the src, must add that folder)" \
	recipes/apps.py '$a\\n\nfrom django.conf import settings\nfrom django.core.files.storage import FileSystemStorage\n\n\nclass PhotoStorage(FileSystemStorage):\n    def __init__(self, **kwargs):\n        kwargs.setdefault("location", str(settings.MEDIA_ROOT) + "/photos")\n        super().__init__(**kwargs)' \
	cookbook/settings.py '$a\\nSTORAGES = {"default": {"BACKEND": "recipes.apps.PhotoStorage"}, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}'
# ...and so is one of its own that keeps files off the disk without any
# network (in memory here; in the database, h614: swapped for Django's,
# its photo view found nothing and its bugs went unseen): its files are
# not where MEDIA_URL serves them from, which costs recipe-image-served.
expect_grade cookbook-fbv recipe-platform "the project's own storage needing no network is graded as it is" 85 \
	recipe-image-served "404" \
	recipes/apps.py '$a\\n\nfrom django.core.files.storage import InMemoryStorage\n\n\nclass MemoryStorage(InMemoryStorage):\n    pass' \
	cookbook/settings.py '$a\\nSTORAGES = {"default": {"BACKEND": "recipes.apps.MemoryStorage"}, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}'
# Django's FileSystemStorage given the project's MEDIA_ROOT by name in
# STORAGES' OPTIONS (h88): the same folder, so the grader's own, and the
# photo is served.
expect_grade cookbook-fbv recipe-platform "a storage whose location is MEDIA_ROOT by name scores 100" 100 "" "" \
	cookbook/settings.py '$a\\nSTORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL}}, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}'
# A storage kept in a folder inside MEDIA_ROOT (MEDIA_ROOT / "photos",
# served under MEDIA_URL + "photos/", h215): the same folder inside the
# grader's MEDIA_ROOT, where MEDIA_URL serves it from, as in production
# (it was left in the project's own tree, and the photo answered 404).
expect_grade cookbook-fbv recipe-platform "a storage in a folder inside MEDIA_ROOT scores 100" 100 "" "" \
	cookbook/settings.py '$a\\nSTORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT / "photos", "base_url": MEDIA_URL + "photos/"}}, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}'
# A redirect to the recipe's page with a query or a fragment after it
# (h96): still that page, for recipe-create-upload and for the checks that
# look for the photo on it.
expect_grade cookbook-fbv recipe-platform "a redirect to the recipe's page with a query after it scores 100" 100 "" "" \
	recipes/views.py 's|            return redirect("recipes:detail", pk=recipe.pk)|            return redirect(f"/recipes/{recipe.pk}/?created=1")|'
expect_grade cookbook-fbv recipe-platform "a redirect to the recipe's page with a fragment after it scores 100" 100 "" "" \
	recipes/views.py 's|            return redirect("recipes:detail", pk=recipe.pk)|            return redirect(f"/recipes/{recipe.pk}/#photo")|'
# A category filter of the app's own, titled "category" and keyed "cat"
# (h95): the changelist offers a filter "By category", whatever its
# parameter is called.
expect_grade cookbook-fbv recipe-platform "a SimpleListFilter titled category with a parameter of another name scores 100" 100 "" "" \
	recipes/admin.py 's/^    list_filter = \["category"\]$/    list_filter = [CategoryFilter]/' \
	recipes/admin.py 's/^@admin.register(Recipe)$/class CategoryFilter(admin.SimpleListFilter):\n    title = "category"\n    parameter_name = "cat"\n\n    def lookups(self, request, model_admin):\n        return Recipe._meta.get_field("category").choices\n\n    def queryset(self, request, queryset):\n        return queryset.filter(category=self.value()) if self.value() else queryset\n\n\n&/'
# An admin changelist of one row a page, oldest first (h108): the
# filtered list's dessert is on its second page (?category__exact=dessert&p=2),
# which the check follows.
expect_grade cookbook-fbv recipe-platform "an admin changelist of one row a page, oldest first, scores 100" 100 "" "" \
	recipes/admin.py 's/^    list_select_related = \["author"\]$/&\n    list_per_page = 1\n    ordering = ["created"]/'
# Uploads kept elsewhere (h109): a remote storage of the app's own named
# on the field (as django-storages' docs show S3) is swapped for the local
# one like STORAGES' default (its migration still names it, so no model
# change is seen); and a MEDIA_URL on a CDN, beside a swapped default
# storage, becomes /media/, where the local files are served. The remote
# storage is made from a stand-in for django-storages' S3Storage (a class
# of its module, storages.backends.s3): a storage of the project's own
# that needs no network is kept (h614).
expect_grade cookbook-fbv recipe-platform "a remote storage named on the field is swapped for the local one" 100 "" "" \
	recipes/apps.py '$a\\n\nfrom django.core.files.storage import Storage\n\n\nclass S3Storage(Storage):\n    pass\n\n\nS3Storage.__module__ = "storages.backends.s3"\n\n\nclass RemoteStorage(S3Storage):\n    def _save(self, name, content):\n        raise ConnectionError("the bucket is out of reach")\n\n    def exists(self, name):\n        return False\n\n    def url(self, name):\n        return "https://cdn.example.invalid/" + name\n\n    def deconstruct(self):\n        return ("recipes.apps.RemoteStorage", (), {})' \
	recipes/models.py 's/^    image = models.ImageField(upload_to=recipe_image_path)$/    image = models.ImageField(upload_to=recipe_image_path, storage=RemoteStorage())/' \
	recipes/models.py 's/^from django.urls import reverse$/&\n\nfrom .apps import RemoteStorage/' \
	recipes/migrations/0001_initial.py "s/^                ('image', models.ImageField(upload_to=recipes.models.recipe_image_path)),$/                ('image', models.ImageField(storage=recipes.apps.RemoteStorage(), upload_to=recipes.models.recipe_image_path)),/" \
	recipes/migrations/0001_initial.py 's/^import recipes.models$/&\nimport recipes.apps/'
expect_grade cookbook-fbv recipe-platform "a MEDIA_URL on a CDN beside a remote default storage is served locally" 100 "" "" \
	recipes/apps.py '$a\\n\nfrom django.core.files.storage import Storage\n\n\nclass S3Storage(Storage):\n    pass\n\n\nS3Storage.__module__ = "storages.backends.s3"\n\n\nclass RemoteStorage(S3Storage):\n    def _save(self, name, content):\n        raise ConnectionError("the bucket is out of reach")' \
	cookbook/settings.py 's|^MEDIA_URL = "/media/"$|MEDIA_URL = "https://cdn.example.invalid/media/"|' \
	cookbook/settings.py '$a\\nSTORAGES = {"default": {"BACKEND": "recipes.apps.RemoteStorage"}, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}'
# A form's action written without its trailing slash (APPEND_SLASH, or
# hard-coded without i18n_patterns' language prefix, h789): the post is
# redirected to the form's own page before any view reads it; the
# messages say so, not only "redirect to the recipe's page".
expect_grade cookbook-fbv recipe-platform "a form's action redirected to the form's own page is said to lose the post" 20 \
	"recipes-list-public recipe-create-upload recipe-image-served recipe-rejects-non-image admin-category-filter query-budget" \
	"answered 301 to /recipes/new/ (its action, /recipes/new, redirects to the form's own page before any view reads the post: the fields are lost*answered 301 to /recipes/new/ (its action, /recipes/new, redirects" \
	templates/recipes/recipe_form.html 's|<form method="post" enctype="multipart/form-data" novalidate>|<form method="post" action="/recipes/new" enctype="multipart/form-data" novalidate>|'
# A refused form answered with a redirect back to itself (h849: a flash
# and the empty form again): the message says the post's own answer must
# show the form and its errors, where it told how to refuse a non-image,
# which the app had.
expect_grade cookbook-fbv recipe-platform "a refused form redirected back to itself is told to answer the post with the form" 85 \
	recipe-rejects-non-image "answered 302 to /recipes/new/ (back to the page posted to: show the refused form again, with its errors, in the answer to the post itself; after a redirect they are gone)" \
	recipes/views.py 's/^            return redirect("recipes:detail", pk=recipe.pk)$/&\n        return redirect("recipes:create")/'
# The admin alone under a language prefix (i18n_patterns, h789): one
# check meets it, so no cause says it; its message names the prefix, the
# setting and the grader.yaml line, not "/admin/: /backstage/".
expect_grade cookbook-fbv recipe-platform "the admin moved under a language prefix is said with its setting and line" 70 \
	"admin-recipe-registered admin-category-filter" \
	"answered 302 to /en/admin/ (the same path under the language prefix /en/: i18n_patterns; prefix_default_language=False serves the default language without it, or grader.yaml: \"/admin/: /en/admin/\")" \
	cookbook/settings.py 's/^    "django.contrib.sessions.middleware.SessionMiddleware",$/&\n    "django.middleware.locale.LocaleMiddleware",/' \
	cookbook/urls.py 's/^    path("admin\/", admin.site.urls),$//' \
	cookbook/urls.py 's/^from django.views.generic import RedirectView$/&\nfrom django.conf.urls.i18n import i18n_patterns/' \
	cookbook/urls.py '$a\\nurlpatterns += i18n_patterns(path("admin/", admin.site.urls))'
# ...and the report says the uploads were graded on local files, naming
# the storage replaced (h792: an S3 project scored 100 with no word that
# S3 was never reached).
dest=$WORK/s3-warned
app cookbook-fbv recipe-platform "$dest" \
	recipes/apps.py '$a\\n\nfrom django.core.files.storage import Storage\n\n\nclass S3Storage(Storage):\n    pass\n\n\nS3Storage.__module__ = "storages.backends.s3"\n\n\nclass RemoteStorage(S3Storage):\n    def _save(self, name, content):\n        raise ConnectionError("the bucket is out of reach")' \
	cookbook/settings.py '$a\\nSTORAGES = {"default": {"BACKEND": "recipes.apps.RemoteStorage"}, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}'
grade "$dest.json" "$dest" recipe-platform --no-db
got=$(jget "$dest.json" "r['score'], ' | '.join(r['warnings'])")
if [ "$got" = "100 uploads were graded on local files: the sandbox reaches no remote store, so recipes.apps.RemoteStorage was replaced by Django's FileSystemStorage (MEDIA_ROOT, served at MEDIA_URL)" ]; then
	ok "a remote default storage graded on local files is said in the report's warnings"
else
	notok "a remote default storage graded on local files is said in the report's warnings" "exit $rc: $got"
fi
# Categories stored in the plural ("desserts", h813): the form's select
# offers no option "dessert", and the checks pick the one that reads it
# with an "s"; only the admin's filter, ?category__exact=dessert, which
# is about the stored value, is lost, not every check filling the form in.
expect_grade cookbook-fbv recipe-platform "a category stored in the plural costs the admin's filter alone" 80 \
	admin-category-filter "" \
	recipes/models.py 's/^        DESSERT = "dessert", "Dessert"$/        DESSERT = "desserts", "Desserts"/' \
	recipes/migrations/0001_initial.py "s/('dessert', 'Dessert')/('desserts', 'Desserts')/"
# A second storage alias for the photos, remote with a location of its
# own ("media", a key prefix in the bucket), the field's storage a
# callable reading it (h780): swapped for the local one as the default
# is; its location was read as the project's MEDIA_ROOT and given the
# grader's absolute path, which the storage refused at import (0).
expect_grade cookbook-fbv recipe-platform "a remote second storage alias with a location is swapped for the local one" 100 "" "" \
	recipes/apps.py '$a\\n\nfrom django.core.files.storage import Storage\n\n\nclass S3Storage(Storage):\n    pass\n\n\nS3Storage.__module__ = "storages.backends.s3"\n\n\nclass RemoteStorage(S3Storage):\n    def __init__(self, location="", **kwargs):\n        if location.startswith("/"):\n            raise ValueError("S3Storage.location cannot begin with a leading slash. Found %r" % location)\n        self.location = location\n\n    def _save(self, name, content):\n        raise ConnectionError("the bucket is out of reach")' \
	recipes/models.py 's/^    image = models.ImageField(upload_to=recipe_image_path)$/    image = models.ImageField(upload_to=recipe_image_path, storage=photos_storage)/' \
	recipes/models.py 's/^def recipe_image_path(instance, filename):$/def photos_storage():\n    from django.core.files.storage import storages\n    return storages["photos"]\n\n\n&/' \
	recipes/migrations/0001_initial.py "s/^                ('image', models.ImageField(upload_to=recipes.models.recipe_image_path)),$/                ('image', models.ImageField(storage=recipes.models.photos_storage, upload_to=recipes.models.recipe_image_path)),/" \
	cookbook/settings.py '$a\\nSTORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "photos": {"BACKEND": "recipes.apps.RemoteStorage", "OPTIONS": {"location": "media"}}, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}'
# A valid form answered 200 with the new recipe's page, not a redirect
# (h157: an htmx partial): the 302 recipe-create-upload asks for, and
# recipe-image-served, which finds the recipe through that redirect, are
# lost; the list and the admin's filter, whose rows ask for no redirect,
# are not.
expect_grade cookbook-fbv recipe-platform "a valid form answered with the recipe's page, no redirect, costs only the checks that ask for the redirect" 65 \
	"recipe-create-upload recipe-image-served" "POST /recipes/new/ as alice answered 200; expected 302" \
	recipes/views.py 's|            return redirect("recipes:detail", pk=recipe.pk)|            return render(request, "recipes/recipe_detail.html", {"recipe": recipe})|'
# MEDIA_URL naming the student's runserver, absolute on loopback (h163):
# the grader asks the app for its path, and the boot serves the uploads
# there, as under a plain /media/.
expect_grade cookbook-fbv recipe-platform "an absolute MEDIA_URL on the loopback runserver port scores 100" 100 "" "" \
	cookbook/settings.py 's|^MEDIA_URL = "/media/"$|MEDIA_URL = "http://127.0.0.1:8000/media/"|'
# The form redirecting to the list, whose links say "View recipe", not the
# title (h164): the redirect costs recipe-create-upload alone, the photo
# check following the list's links to the recipe's page.
expect_grade cookbook-fbv recipe-platform "a redirect to a list linking \"View recipe\" costs recipe-create-upload alone" 80 \
	recipe-create-upload "redirect location was \"/recipes/\"" \
	recipes/views.py 's|            return redirect("recipes:detail", pk=recipe.pk)|            return redirect("recipes:list")|' \
	templates/recipes/recipe_list.html "s|      <a href=\"{% url 'recipes:detail' recipe.pk %}\">{{ recipe.title }}</a>|      {{ recipe.title }} <a href=\"{% url 'recipes:detail' recipe.pk %}\">View recipe</a>|"
# The form written field by field in <p>s, the photo's <input> by hand
# (no aria-describedby) and {{ field.errors }} after it (h149): the parser
# closes the <p> at the error list's <ul>; its id, id_image_error, still
# names the image field.
expect_grade cookbook-fbv recipe-platform "a hand-written photo input in a <p>, its errors after it, scores 100" 100 "" "" \
	templates/recipes/recipe_form.html 's|<div class="field{% if field.errors %} has-error{% endif %}">|<p>|' \
	templates/recipes/recipe_form.html 's|^    </div>|    </p>|' \
	templates/recipes/recipe_form.html 's|^      {{ field }}|      {% if field.name == "image" %}<input type="file" name="image" id="id_image" accept="image/*">{% else %}{{ field }}{% endif %}|'
# A photo of at least 400x300 pixels, a rule of the app's own (h112): the
# grader's 800x600 photo passes it.
expect_grade cookbook-fbv recipe-platform "a minimum photo size of 400x300 scores 100" 100 "" "" \
	recipes/forms.py '$a\\n    def clean_image(self):\n        image = self.cleaned_data["image"]\n        if image.image.width < 400 or image.image.height < 300:\n            raise forms.ValidationError("The photo must be at least 400x300 pixels.")\n        return image'
# A recipe page whose own photo is broken beside the author's other
# recipes' photos (b3 of h67, with "more in this category"): those are not
# this recipe's upload, which recipe-image-served makes from a photo no
# other check sends, so it still fails.
expect_grade cookbook-fbv recipe-platform "other recipes' photos on the page do not pass for its own" 85 \
	recipe-image-served "" \
	templates/recipes/recipe_detail.html 's|  <img src="{{ recipe.image.url }}" alt="{{ recipe.title }}" class="recipe-photo">|  <img src="/media/missing.png" alt="{{ recipe.title }}" class="recipe-photo">{% for other in recipe.author.recipes.all %}{% if other.pk != recipe.pk %}<img src="{{ other.image.url }}" alt="">{% endif %}{% endfor %}|'
# A form answered with 303 See Other: the row asks for 302, so
# recipe-create-upload is lost; the checks that only need a recipe follow
# any redirect.
expect_grade cookbook-fbv recipe-platform "a recipe saved with 303, not 302, costs recipe-create-upload alone" 80 \
	recipe-create-upload "answered 303" \
	recipes/views.py 's/            return redirect("recipes:detail", pk=recipe.pk)/            response = redirect("recipes:detail", pk=recipe.pk)\n            response.status_code = 303\n            return response/'

expect_grade helpdesk-fbv-custom-user ticket-system "a help desk of functions and a custom user model scores 100" 100 "" ""
# A status shown only as a disabled menu (h334): both checks that read it
# say the page names it only inside form controls, quoting the words.
expect_grade helpdesk-fbv-custom-user ticket-system "a status shown only in a disabled menu is said to be inside a form control" 75 \
	"ticket-create status-update-staff status-csrf" \
	"outside links, buttons and form controls: none (inside them: \"Open\"); expected Open*it states no status outside links, buttons and form controls (the status words in its links, buttons and form controls: \"pending\") — show the ticket's status as text on its page, not only inside a link, a button or a form control" \
	templates/tickets/ticket_detail.html 's|<span class="badge text-bg-info fs-6">{{ ticket.get_status_display }}</span>|<select disabled><option selected>{{ ticket.get_status_display }}</option></select>|'
expect_grade helpdesk-fbv-custom-user ticket-system "a dashboard open to any signed-in user costs dashboard-staff-only alone" 90 \
	dashboard-staff-only "the dashboard is for staff only" \
	tickets/views.py '/^@user_passes_test(lambda u: u.is_staff)$/d'
# A login form whose username field is named otherwise (django-allauth's
# `login`): the message says the form has no username field, what it has,
# and that the SPEC asks for Django's LoginView there (h440).
expect_grade helpdesk-fbv-custom-user ticket-system "a login form without a username field says which fields it has" 90 \
	login-page "(the form has no field username; it has login, password; SPEC.md asks for LoginView's username, which allauth's form calls login)" \
	templates/registration/login.html 's/name="username" id="id_username"/name="login" id="id_login"/' \
	helpdesk/urls.py 's/^from django.contrib.auth import views as auth_views$/&\nfrom django.contrib.auth.forms import AuthenticationForm\n\n\nclass LoginForm(AuthenticationForm):\n    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n        self.fields["login"] = self.fields.pop("username")\n\n    def clean(self):\n        self.cleaned_data["username"] = self.cleaned_data.get("login")\n        return super().clean()\n/' \
	helpdesk/urls.py 's/auth_views.LoginView.as_view()/auth_views.LoginView.as_view(form_class=LoginForm)/'
# The same for a new ticket (SPEC.md: a redirect elsewhere costs
# ticket-create alone).
expect_grade helpdesk-fbv-custom-user ticket-system "a ticket saved with 303, not 302, costs ticket-create alone" 85 \
	ticket-create "answered 303" \
	tickets/views.py 's/            return redirect("ticket_detail", pk=ticket.pk)/            response = redirect("ticket_detail", pk=ticket.pk)\n            response.status_code = 303\n            return response/'

# Signing in by email (USERNAME_FIELD = "email"): the login form must get
# alice's email, not her username (users.NAME.login).
expect_grade helpdesk-email-login ticket-system "a help desk whose users sign in by email scores 100" 100 "" ""
# An email-login model that kept Django's UserManager (h318), whose
# create_user wants a username: the boot fails creating the users, and the
# diagnosis says the manager is what to change, once (no second traceback
# of the same failure without the staff flags).
dest=$WORK/email-login-django-manager
app helpdesk-email-login ticket-system "$dest" \
	accounts/models.py 's/^    objects = UserManager()$/    objects = DjangoUserManager()/; s/^    REQUIRED_FIELDS = \["username"\]$/    REQUIRED_FIELDS = []/; s/^from django.contrib.auth.models import BaseUserManager$/from django.contrib.auth.models import BaseUserManager, UserManager as DjangoUserManager/'
grade "$dest.json" "$dest" ticket-system --no-db
diag=$(jget "$dest.json" "r['status'] + ' ' + (r['diagnosis'] or '')")
case "$rc $diag" in
*"During handling"*) notok "a model logging in by email with Django's UserManager is told to give it a manager of its own" "exit $rc: $diag" ;;
"3 boot-failed "*"the user model's manager (objects) wants username, while its USERNAME_FIELD is 'email': give the model a manager of its own (a BaseUserManager) whose create_user takes the email"*)
	ok "a model logging in by email with Django's UserManager is told to give it a manager of its own" ;;
*) notok "a model logging in by email with Django's UserManager is told to give it a manager of its own" "exit $rc: $diag" ;;
esac
# A login form of its own naming the address `email` (SPEC.md asks for
# `username`): the message says the form lacks it, quoting the form's
# errors whole, without what the grader filled in its stead.
expect_grade helpdesk-email-login ticket-system "a login form naming its field email says so beside the form's errors" 90 \
	login-page "(the form has no field username; it has email, password) with the form's errors {\"__all__\": [\"Please enter a correct email and password.\"]}; expected 302" \
	accounts/forms.py '$a\\n\nclass EmailOnlyForm(forms.Form):\n    email = forms.EmailField()\n    password = forms.CharField(widget=forms.PasswordInput)' \
	desk/urls.py 's/^from accounts.forms import EmailAuthenticationForm$/from django.contrib.auth import authenticate, login\nfrom django.shortcuts import redirect, render\n\nfrom accounts.forms import EmailAuthenticationForm, EmailOnlyForm\n\n\ndef email_login(request):\n    form = EmailOnlyForm(request.POST or None)\n    if form.is_valid():\n        user = authenticate(request, email=form.cleaned_data["email"], password=form.cleaned_data["password"])\n        if user is not None:\n            login(request, user)\n            return redirect("\/tickets\/")\n        form.add_error(None, "Please enter a correct email and password.")\n    return render(request, "registration\/login.html", {"form": form})/' \
	desk/urls.py 's/auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm)/email_login/'
expect_grade helpdesk-email-login ticket-system "a login page without {% csrf_token %} costs login-page alone and says so" 90 \
	login-page "put {% csrf_token %} inside the <form>" \
	templates/registration/login.html '/{% csrf_token %}/d'

# An app in another language: the admin's filter heading is "Por category"
# in pt-br, and the filter is there all the same.
expect_grade cookbook-cbv recipe-platform "a recipe platform in Portuguese (LANGUAGE_CODE pt-br) scores 100" 100 "" "" \
	src/cookbook/settings.py 's/^LANGUAGE_CODE = .*/LANGUAGE_CODE = "pt-br"/'

# The same upload mistake in Spanish: Django's "Este campo es obligatorio."
# is its required message in es (the boot says it), so the hint comes too.
expect_grade cookbook-fbv recipe-platform "a form built without request.FILES says so in a Spanish app too" 35 \
	"recipes-list-public recipe-create-upload recipe-image-served admin-category-filter query-budget" \
	"build it with request.FILES" \
	cookbook/settings.py 's/^LANGUAGE_CODE = .*/LANGUAGE_CODE = "es"/' \
	recipes/views.py 's/form = RecipeForm(request.POST, request.FILES)/form = RecipeForm(request.POST)/'

# Class-based settings with django-configurations (h364): settings.py holds
# a Configuration class, manage.py names it (DJANGO_CONFIGURATION) beside
# the settings module, and only the library's importer turns it into
# settings; without it, defining the class refuses. The boot installs the
# importer as the project's manage.py does. The library is a stand-in of
# its importer (tests/data/stubs: the suite never reaches PyPI).
# configured_shop DEST CONFIGURATION: shop-viewsets so written; manage.py
# names CONFIGURATION (none when empty).
configured_shop() {
	local dest=$1 conf=$2
	mkrepo "$APPS/shop-viewsets" "$dest" >/dev/null 2>&1 || return 1
	cp -a "$ROOT/tests/data/stubs/configurations" "$dest/" || return 1
	python3 - "$dest/shopsite/settings.py" <<'PY' || return 1
import sys
p = sys.argv[1]
lines = open(p).read().split("\n")
body = ["    " + l if l.strip() else l for l in lines]
open(p, "w").write("from configurations import Configuration\n\n\nclass Dev(Configuration):\n"
                   + "\n".join(body) + "\n")
PY
	if [ -n "$conf" ]; then
		sed -i "s/^    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shopsite.settings')$/&\n    os.environ.setdefault('DJANGO_CONFIGURATION', '$conf')/" "$dest/manage.py"
	fi
	sed -i 's/^        from django.core.management import execute_from_command_line$/        from configurations.management import execute_from_command_line/' "$dest/manage.py"
	grep -q "configurations.management" "$dest/manage.py" && commit_all "$dest" >/dev/null
}
# made_scores_100 MADE DEST CHALLENGE LABEL: DEST, made when MADE is 0
# (the status of the function that made it), is graded 100.
made_scores_100() {
	local made=$1 dest=$2 ch=$3 label=$4
	if [ "$made" != 0 ]; then
		notok "$label" "could not make the repository"
		return
	fi
	grade "$dest.json" "$dest" "$ch" --no-db
	if [ "$rc" = 0 ] && [ "$(jget "$dest.json" "r['status'], r['score']")" = "graded 100" ]; then
		ok "$label"
	else
		notok "$label" "exit $rc: $(jget "$dest.json" "r['status'], r['score'], [c['id'] + ': ' + (c['message'] or '') for c in r['checks'] if c['status'] != 'pass'][:3], r.get('diagnosis')")"
	fi
}
dest=$WORK/shop-configurations
configured_shop "$dest" Dev
made_scores_100 $? "$dest" ecommerce-api \
	"class-based settings (django-configurations) boot with the configuration manage.py names, and score 100"
# Its manage.py naming no configuration fails for the student too: the
# library's own refusal is the diagnosis.
dest=$WORK/shop-configurations-unnamed
if configured_shop "$dest" ""; then
	grade "$dest.json" "$dest" ecommerce-api --no-db
	[ "$rc" = 3 ] && [ "$(jget "$dest.json" "r['status']")" = boot-failed ] \
		&& jget "$dest.json" "r['diagnosis']" | grep -q "environment variable DJANGO_CONFIGURATION is undefined" \
		&& ok "class-based settings whose manage.py names no configuration fail to boot with the library's reason" \
		|| notok "class-based settings whose manage.py names no configuration fail to boot with the library's reason" \
			"exit $rc: $(jget "$dest.json" "r['status'], r['score'], r.get('diagnosis')")"
else
	notok "class-based settings whose manage.py names no configuration fail to boot with the library's reason" "could not make the repository"
fi

# Settings loaded through dynaconf (h707): `settings =
# dynaconf.DjangoDynaconf(__name__)` at the bottom of settings.py reads
# Django's settings as the module loads (the boot names the module before
# importing it, as manage.py does), takes every DJANGO_ variable as a
# setting (the boot presets none: DJANGO_ALLOWED_HOSTS became a string)
# and keeps a copy of the module from which the app's own code reads its
# settings. The grader's database, hosts and media folder must reach both:
# the shop's own hosts and database would refuse every request and fail
# to open; the cookbook's uploads would land outside the grader's
# MEDIA_ROOT. The library is a stand-in (tests/data/stubs). It was
# boot-failed, 0.
# dynaconf_app SRC DEST SETTINGS: SRC so written.
dynaconf_app() {
	local src=$1 dest=$2 settings=$3
	mkrepo "$APPS/$src" "$dest" >/dev/null 2>&1 || return 1
	cp -a "$ROOT/tests/data/stubs/dynaconf" "$dest/$(dirname "$(dirname "$settings")")/" || return 1
	printf '\nimport dynaconf  # noqa\nsettings = dynaconf.DjangoDynaconf(__name__)  # noqa\n' >> "$dest/$settings"
	commit_all "$dest" >/dev/null
}
dest=$WORK/shop-dynaconf
dynaconf_app shop-viewsets "$dest" shopsite/settings.py \
	&& sed -i 's/^ALLOWED_HOSTS = .*/ALLOWED_HOSTS = ["shop.example.com"]/; s|"NAME": BASE_DIR / "db.sqlite3"|"NAME": "/nonexistent/shop/db.sqlite3"|' "$dest/shopsite/settings.py" \
	&& grep -q shop.example.com "$dest/shopsite/settings.py" && grep -q /nonexistent/shop "$dest/shopsite/settings.py" \
	&& commit_all "$dest" >/dev/null
made_scores_100 $? "$dest" ecommerce-api "settings loaded through dynaconf boot on the grader's database and hosts, and score 100"
dest=$WORK/cookbook-dynaconf
dynaconf_app cookbook-cbv "$dest" src/cookbook/settings.py
made_scores_100 $? "$dest" recipe-platform \
	"a recipe app whose settings dynaconf loads stores its uploads in the grader's MEDIA_ROOT, and scores 100"

# A settings module manage.py computes from what cannot be read (a
# function of the project's): refused, the refusal said once (h744: it
# came as the message and again as its traceback).
dest=$WORK/settings-unknowable
app shop-viewsets ecommerce-api "$dest" \
	manage.py "s/^    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shopsite.settings')$/    os.environ.setdefault('DJANGO_SETTINGS_MODULE', pick(sys.argv))/"
grade "$dest.json" "$dest" ecommerce-api --no-db
n=$(jget "$dest.json" "r['status'], (r['diagnosis'] or '').count('manage.py computes its settings module')")
if [ "$rc" = 3 ] && [ "$n" = "boot-failed 1" ]; then
	ok "a settings module that cannot be read is refused, said once"
else
	notok "a settings module that cannot be read is refused, said once" "exit $rc: $n: $(jget "$dest.json" "r['diagnosis']")"
fi

# A settings module manage.py computes (h449: settings/{base,dev,prod}.py
# chosen by DJANGO_ENV, f"config.settings.{DJANGO_ENV}"): read, never run,
# its value worked out from manage.py's strings and the environment's
# defaults, the app boots and scores 100 (it was "manage.py does not name a
# settings module", boot-failed, 0).
expect_grade shop-viewsets ecommerce-api "a settings module manage.py builds with an f-string from os.environ.get's default boots and scores 100" 100 "" "" \
	manage.py "s/^    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shopsite.settings')$/    SHOP_ENV = os.environ.get('SHOP_ENV', 'settings')\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', f'shopsite.{SHOP_ENV}')/"

# MEDIA_URL unset with a thumbnail beside the photo (h451: sorl-thumbnail's
# cached copy): two addresses tried, and the note that says to set
# MEDIA_URL comes first, where the list of addresses crowded it out
# ("answered 404 (MEDIA_U…").
expect_grade cookbook-cbv recipe-platform "MEDIA_URL unset beside a thumbnail still says to set it, before the addresses tried" 85 \
	recipe-image-served 'the photo*(MEDIA_URL is not set, so uploads get addresses no prefix serves: set MEDIA_URL = "/media/"): read at 2 addresses' \
	src/cookbook/settings.py "/^MEDIA_URL = '\/media\/'$/d" \
	src/cookbook/urls.py 's/^    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)$/    pass/' \
	src/kitchen/templates/kitchen/recipe_detail.html 's|^    <img src="{{ recipe.image.url }}" alt="Photo of {{ recipe.title }}" width="480">|&\n    <img src="/cache/48/58/4858693492794f9049e238590019f337.jpg" alt="Thumbnail of {{ recipe.title }}" width="120">|'

# An <img> src written without MEDIA_URL ("/{{ recipe.image }}", h451
# b18) beside another image answering 200: the upload's own address is
# the nearest (it names the photo), and the note that MEDIA_URL serves the
# file, with its address, comes first; it was the other image's 200, with
# advice on re-encoding.
expect_grade cookbook-cbv recipe-platform "an <img> src without MEDIA_URL says where the upload is, before the addresses tried" 85 \
	recipe-image-served "the photo's address: (the upload is at /media/recipes/*/pancakes*.png: this src lacks MEDIA_URL; write the field's .url): none of the 2 tried passed (/recipes/*/pancakes*.png answered 404" \
	src/kitchen/templates/kitchen/recipe_detail.html 's|^    <img src="{{ recipe.image.url }}" alt="Photo of {{ recipe.title }}" width="480">|    <img src="/recipes/" alt="Logo">\n    <img src="/{{ recipe.image }}" alt="Photo of {{ recipe.title }}" width="480">|'
# ...and written with no slash at all ("{{ recipe.image }}", h946), which
# a browser resolves against the recipe's page, /recipes/4/recipes/...:
# the upload's own address is found at that path's end.
expect_grade cookbook-cbv recipe-platform "an <img> src relative to its page says where the upload is" 85 \
	recipe-image-served "(the upload is at /media/recipes/*/pancakes*.png: this src lacks MEDIA_URL; write the field's .url)" \
	src/kitchen/templates/kitchen/recipe_detail.html 's|^    <img src="{{ recipe.image.url }}" alt="Photo of {{ recipe.title }}" width="480">|    <img src="{{ recipe.image }}" alt="Photo of {{ recipe.title }}" width="480">|'

# ...and MEDIA_URL written without its leading slash ("media/{{
# recipe.image }}", h1166: the storage was told its base_url), which
# resolves to /recipes/4/media/...: said as a relative src.
expect_grade cookbook-cbv recipe-platform "an <img> src of MEDIA_URL without its leading slash says the src is relative" 85 \
	recipe-image-served "(the upload is at /media/recipes/*/pancakes*.png: this src is relative, MEDIA_URL without its leading slash; write the field's .url)" \
	src/kitchen/templates/kitchen/recipe_detail.html 's|^    <img src="{{ recipe.image.url }}" alt="Photo of {{ recipe.title }}" width="480">|    <img src="media/{{ recipe.image }}" alt="Photo of {{ recipe.title }}" width="480">|'

# A create form redirecting to a page of its own that names the recipe
# and links back to it, with no <img> (h967: /recipes/5/photos/add/):
# recipe-create-upload is lost alone; each recipe's page is found from
# its own form's redirect, Waffles' too (taken for that page, its lack of
# an <img> cost recipe-image-served).
expect_grade cookbook-cbv recipe-platform "a create form redirecting to a page linking the recipe costs recipe-create-upload alone" 80 \
	recipe-create-upload "redirect location was \"/recipes/*/photos/\"; expected /recipes/{id}/" \
	src/kitchen/views.py 's/^    template_name = "kitchen\/recipe_form.html"$/&\n\n    def get_success_url(self):\n        return "\/recipes\/%d\/photos\/" % self.object.pk/' \
	src/kitchen/views.py '$a\\n\ndef photos(request, pk):\n    from django.http import HttpResponse\n    from django.utils.html import escape\n    recipe = Recipe.objects.get(pk=pk)\n    return HttpResponse("<h1>More photos for %s</h1><a href=/recipes/%d/>Back to the recipe</a>" % (escape(recipe.title), pk))' \
	src/kitchen/urls.py 's|^    path("<int:pk>/", views.RecipeDetailView.as_view(), name="recipe-detail"),$|&\n    path("<int:pk>/photos/", views.photos),|'

# A create form redirecting to the oldest recipe's page, not the new one's
# (h972: redirect(Recipe.objects.last()) under a newest-first ordering):
# the vegetarian recipe's change link is read in its changelist row, not
# taken from that redirect, so the filter listing the oldest recipe, a
# dessert, is not charged for it.
expect_grade cookbook-cbv recipe-platform "a form redirecting to another recipe's page does not cost the category filter" 65 \
	"recipe-create-upload recipe-image-served" "" \
	src/kitchen/views.py 's/^    template_name = "kitchen\/recipe_form.html"$/&\n\n    def get_success_url(self):\n        return "\/recipes\/%d\/" % Recipe.objects.order_by("pk").first().pk/'

# Categories stored and labelled in the app's own words, "vegetarien",
# "Végétarien" (h954): the
# vegetarian recipe is refused, and the filter's check, which met only
# the dessert, says so rather than passing on a recipe never saved, and
# names the value refused and that no option offers it (h1283: said of
# a multipart form as of an urlencoded one).
expect_grade cookbook-cbv recipe-platform "a vegetarian recipe the form refuses costs the filter's check, with the form's error" 80 \
	admin-category-filter "the vegetarian dish must be saved: after POST /recipes/new/ as alice answered 200 with the form's errors {\"category\": [\"Select a valid choice. vegetarian is not one of the available choices.\"]} — no vegetarian dish for the filter to leave out — category=vegetarian was no valid choice (the form offers no vegetarian category): take the value SPEC.md sends (choices of names, to_field_name)" \
	src/kitchen/models.py 's/^        VEGETARIAN = "vegetarian", "Vegetarian"$/        VEGETARIAN = "vegetarien", "Végétarien"/' \
	src/kitchen/migrations/0001_initial.py "s/('vegetarian', 'Vegetarian')/('vegetarien', 'Végétarien')/"

# A recipe page that forgot its title ({{ recipe.name }} for a title field,
# h470): recipe-create-upload is lost alone; recipe-image-served finds the
# page by its instructions (it was lost too, its message blaming the edit
# page's missing <img>).
expect_grade cookbook-cbv recipe-platform "a recipe page without its title costs recipe-create-upload alone" 80 \
	recipe-create-upload "alice opens the new recipe's page" \
	src/kitchen/templates/kitchen/recipe_detail.html 's|<h1>{{ recipe.title }}</h1>|<h1>{{ recipe.name }}</h1>|'

# A recipe form without the category field (h460 b21): the value the check
# sent is dropped and the recipe saved without it; the dessert filter's
# failure says the form had no such field (it said only "list the
# dessert"), and to add it, in place of the filter's own advice (h553:
# "list the dessert (categories stored lower case...)").
expect_grade cookbook-cbv recipe-platform "a form without category says so where the dessert filter lists nothing" 80 \
	admin-category-filter "as admin answered 200 (the check's form had no field category; it has title, servings*— add category to the form, as SPEC.md lists its fields" \
	src/kitchen/forms.py 's/fields = \["title", "category", /fields = ["title", /'

# A list in pages without page links (h460, h462): where the missing title
# was found, ?page=2, and that nothing links to it.
expect_grade cookbook-cbv recipe-platform "a list in pages without page links says the title is on ?page=2, which nothing links" 90 \
	recipes-list-public "(found at /recipes/?page=2, to which the page has no link: link the next page with <a href>); expected contains" \
	src/kitchen/views.py 's/^    template_name = "kitchen\/recipe_list.html"$/&\n    paginate_by = 1/'
# ...and one whose Next link names the page it is on (page_obj.number for
# next_page_number, h482): said as where that link goes, and without the
# page's own excerpt, which took the expectation's room.
expect_grade cookbook-cbv recipe-platform "a Next link to the page it is on is said where page two holds the title" 90 \
	recipes-list-public "(found at /recipes/?page=2, while the page read links its Next to /recipes/?page=1: link the next page); expected contains" \
	src/kitchen/views.py 's/^    template_name = "kitchen\/recipe_list.html"$/&\n    paginate_by = 1/' \
	src/kitchen/templates/kitchen/recipe_list.html 's|^{% endif %}$|&\n{% if page_obj.has_next %}<a href="?page={{ page_obj.number }}">Next</a>{% endif %}|'

# The non-image refused by the form's clean() (a form-wide error, shown
# at the form's top): the fix said is to put the error on the field, not
# the check's "the template must show its errors" (h486).
expect_grade cookbook-cbv recipe-platform "a non-image refused by the form's clean() is told to put its error on the field" 85 \
	recipe-rejects-non-image "; expected an error on its 'image' field — only a form-wide error: add_error(\"image\", ...) in clean(), or show {{ form.image.errors }} where the page shows a note for the whole form" \
	src/kitchen/forms.py 's/^class RecipeForm(forms.ModelForm):$/&\n    image = forms.FileField()\n\n    def clean(self):\n        data = super().clean()\n        f = data.get("image")\n        if f is not None:\n            head = f.read(4)\n            f.seek(0)\n            if head != b"\\x89PNG":\n                raise forms.ValidationError("That upload is not a picture.")\n        return data\n/'

# ...and one whose template shows a banner of its own in place of the
# field's errors (h548: it was told to raise the error in clean_image(),
# where Django's ImageField had put it on the field): both fixes said.
expect_grade cookbook-cbv recipe-platform "a banner in place of the field's errors is told to show the field's own" 85 \
	recipe-rejects-non-image "; expected an error on its 'image' field — only a form-wide error: add_error(\"image\", ...) in clean(), or show {{ form.image.errors }} where the page shows a note for the whole form" \
	src/kitchen/templates/kitchen/recipe_form.html 's/^<form method="post"/{% if form.errors %}<p class="error">Please check the form.<\/p>{% endif %}\n&/' \
	src/kitchen/templates/kitchen/recipe_form.html '/^      {{ field.errors }}$/d'

# A status form sent by GET, its view reading request.GET (h455): the
# grader's POST changes nothing, and the message says the form's method
# (the status-csrf warning too: a browser's change goes by GET).
expect_grade helpdesk-fbv-custom-user ticket-system "a status form of method=get says so where the status did not change" 90 \
	"status-update-staff status-csrf" 'it states no Pending (its status words: "Open"; its form is method=get: the grader POSTs;*give the status form method="post"' \
	templates/tickets/ticket_detail.html 's|<form method="post" action="{% url '"'"'ticket_status'"'"' ticket.pk %}"|<form method="get" action="{% url '"'"'ticket_status'"'"' ticket.pk %}"|' \
	tickets/views.py 's/^@require_POST$/@login_required/' \
	tickets/views.py 's/    form = StatusForm(request.POST)$/    form = StatusForm(request.GET)/'
