#!/usr/bin/env bash
# tests/corpus/make.sh CASE DEST - write one corpus case into DEST (a new
# folder): the e-commerce reference solution plus the one change that makes
# it look like a real student repository (issue 5). The cases are generated,
# not committed, so there is one copy of the project to keep correct.
#
#   make.sh --list        the case names, one a line
#
# PYTHON (an interpreter with Django) is needed by `committed_db` only, which
# runs the project's own migrate to commit a database full of data.
#
# Hosts: a case that points at a database elsewhere names a host under the
# reserved .invalid domain; nothing here ever reaches the network.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SOL=$ROOT/challenges/ecommerce-api/solution
CASES="nested_two_down venv_decoy bare_settings secret_key_required env_var_required
database_url postgres_remote manifest_storage email_user committed_db requirements_utf16
missing_package hosts_reset server_at_import dotenv_debug no_manage writes_own_tree
token_api jwt_api migrations_missing migration_pending in_own_venv decouple_undeclared fstring_312"

if [ "${1:-}" = --list ]; then
	printf '%s\n' $CASES
	exit 0
fi
[ $# -eq 2 ] || { echo "usage: $0 CASE DEST | --list" >&2; exit 2; }
CASE=$1 DEST=$2
case " $(echo $CASES) " in *" $CASE "*) ;; *) echo "unknown case: $CASE" >&2; exit 2 ;; esac
[ ! -e "$DEST" ] || { echo "$DEST exists" >&2; exit 2; }

mkdir -p "$DEST"
cp -a "$SOL/." "$DEST/"
cd "$DEST"
S=config/settings.py

# Replace one whole line of a file (exact match) with the text on stdin.
replace_line() {
	python3 -c '
import sys
path, old = sys.argv[1], sys.argv[2]
new = sys.stdin.read()
text = open(path).read()
line = old + "\n"
if line not in text:
    sys.exit("line not found in %s: %s" % (path, old))
open(path, "w").write(text.replace(line, new, 1))
' "$1" "$2"
}

case $CASE in
nested_two_down)
	# manage.py two folders down, as when a repository holds the course's
	# other exercises beside the project.
	mkdir -p src/backend
	mv config shop manage.py src/backend/
	echo "# Shop project: see src/backend" >README.md
	;;
venv_decoy)
	# The project one folder down, and a committed Windows virtualenv beside
	# it that holds a manage.py whose settings exist (a decoy that sorts
	# first and would be chosen if discovery entered virtualenvs).
	mkdir -p shopsite
	mv config shop manage.py shopsite/
	V=Env_win
	mkdir -p "$V/Scripts" "$V/Lib/site-packages/django" "$V/decoy"
	printf 'home = C:\\Python311\ninclude-system-site-packages = false\nversion = 3.11.4\n' >"$V/pyvenv.cfg"
	printf '@echo off\r\nset VIRTUAL_ENV=C:\\Users\\student\\Env_win\r\n' >"$V/Scripts/activate.bat"
	printf '# This file must be used with "source bin/activate"\n' >"$V/Scripts/activate"
	sed 's/config\.settings/decoy.settings/' shopsite/manage.py >"$V/manage.py"
	: >"$V/decoy/__init__.py"
	echo 'raise RuntimeError("the grader booted the decoy manage.py inside the virtualenv")' >"$V/decoy/settings.py"
	;;
bare_settings)
	# A bare top-level settings module: manage.py names "settings".
	mv config/settings.py config/urls.py config/wsgi.py .
	rm -r config
	sed -i 's/config\.settings/settings/' manage.py wsgi.py
	sed -i 's/^ROOT_URLCONF = .*/ROOT_URLCONF = "urls"/; s/^WSGI_APPLICATION = .*/WSGI_APPLICATION = "wsgi.application"/' settings.py
	S=settings.py
	grep -q '^ROOT_URLCONF = "urls"' settings.py
	;;
secret_key_required)
	# The settings die with KeyError unless SECRET_KEY is in the environment.
	replace_line $S 'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-not-a-secret-change-me")' <<'PY'
SECRET_KEY = os.environ["SECRET_KEY"]
# The 12-factor habits of a deployment tutorial: everything from the
# environment (the grader sets no DEBUG variable: contracts §2).
DEBUG = int(os.environ.get("DEBUG", "0"))
PY
	replace_line $S 'DEBUG = False' </dev/null
	replace_line $S 'ALLOWED_HOSTS = ["127.0.0.1", "localhost"]' <<'PY'
ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"]
PY
	;;
env_var_required)
	# A variable the grader cannot know: the diagnosis must name it.
	cat >>$S <<'PY'

PAYMENT_API_KEY = os.environ["SHOP_PAYMENT_API_KEY"]
PY
	;;
database_url)
	# DATABASE_URL is required and parsed the way dj-database-url does
	# (inline, no extra package); without the variable the import fails.
	replace_line $S 'DATABASES = {' <<'PY'
from urllib.parse import urlsplit, unquote


def parse_database_url(url):
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path[1:]) or ":memory:"}
    engines = {"postgres": "postgresql", "postgresql": "postgresql", "mysql": "mysql"}
    return {"ENGINE": "django.db.backends." + engines[parts.scheme],
            "NAME": parts.path[1:], "USER": parts.username or "",
            "PASSWORD": parts.password or "", "HOST": parts.hostname or "",
            "PORT": str(parts.port or "")}


DATABASES = {"default": parse_database_url(os.environ["DATABASE_URL"])}
_UNUSED = {
PY
	;;
postgres_remote)
	# PostgreSQL on a server elsewhere (psycopg is not even installed).
	replace_line $S '        "ENGINE": "django.db.backends.sqlite3",' <<'PY'
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db.example.invalid",
        "PORT": "5432",
        "USER": "shop",
        "PASSWORD": "not-a-real-password",
        "OPTIONS": {"sslmode": "require", "connect_timeout": 3},
PY
	sed -i 's/        "NAME": BASE_DIR \/ "db.sqlite3",/        "NAME": "shop",/' $S
	;;
manifest_storage)
	# Manifest static storage (as WhiteNoise's docs recommend) with no
	# collectstatic run, and a middleware resolving a static URL on every
	# request.
	cp "$HERE/cases/manifest/shop/static_probe.py" shop/
	replace_line $S '    "django.middleware.clickjacking.XFrameOptionsMiddleware",' <<'PY'
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.static_probe.StaticProbeMiddleware",
PY
	cat >>$S <<'PY'

STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
PY
	;;
email_user)
	# A custom user model: email login, a required name, inactive by default.
	cp -a "$HERE/cases/email_user/accounts" .
	replace_line $S '    "shop",' <<'PY'
    "shop",
    "accounts",
PY
	echo 'AUTH_USER_MODEL = "accounts.User"' >>$S
	;;
committed_db)
	# A committed db.sqlite3, migrated and full of data: the same users the
	# grader creates (so using it would make create_user fail) and products.
	: "${PYTHON:?committed_db needs PYTHON, an interpreter with Django}"
	"$PYTHON" manage.py migrate -v0
	"$PYTHON" manage.py shell -c '
from django.contrib.auth import get_user_model
from shop.models import Product
U = get_user_model()
for name in ("staff", "alice", "bob"):
    U.objects.create_user(name, name + "@example.invalid", "committed-pw", is_staff=name == "staff")
for i in range(30):
    Product.objects.create(name="COMMITTED-PRODUCT-%d" % i, price="9.99", stock=7)
'
	[ -s db.sqlite3 ]
	;;
requirements_utf16)
	# requirements.txt saved by a Windows editor: UTF-16 LE with a BOM,
	# CRLF, a comment; the same pins as the default runtime, so the
	# normalised text (and so the cached environment) is the default one.
	{
		printf '\xff\xfe'
		printf '# pip freeze, Windows\r\nDjango==5.2.19\r\ndjangorestframework==3.18.3\r\n\r\nPillow==12.1.1\r\n' |
			iconv -f UTF-8 -t UTF-16LE
	} >requirements.txt
	;;
missing_package)
	# An app in INSTALLED_APPS whose package is not declared (the grader
	# infers it from runtime/module-distributions.tsv).
	replace_line $S '    "rest_framework",' <<'PY'
    "rest_framework",
    "crispy_forms",
PY
	;;
hosts_reset)
	# ALLOWED_HOSTS changed again after the settings module: every request
	# would be a 400, so the boot fails and says why.
	cat >shop/apps.py <<'PY'
from django.apps import AppConfig


class ShopConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "shop"

    def ready(self):
        from django.conf import settings
        settings.ALLOWED_HOSTS = ["shop.example.invalid"]
PY
	;;
server_at_import)
	# A database connection opened by hand while the settings load (a
	# "wait for the database" loop from a Docker tutorial), bypassing
	# DATABASES. The server is a closed loopback port, so the attempt is
	# refused at once and nothing leaves the machine.
	cat >>$S <<'PY'

import socket

# Wait for PostgreSQL before Django starts (docker-compose habit).
socket.create_connection(("127.0.0.1", 1), timeout=3).close()
PY
	;;
dotenv_debug)
	# A committed .env loaded the way python-dotenv does it (the process
	# environment wins), with DEBUG on and no default in the settings: the
	# grader must not override the submission's own DEBUG, so the
	# debug-off advisory check reports it.
	printf 'DEBUG=True\nSECRET_KEY=committed-dotenv-key\n' >.env
	replace_line $S 'DEBUG = False' <<'PY'
for _line in (BASE_DIR / ".env").read_text().splitlines():
    if "=" in _line and not _line.lstrip().startswith("#"):
        _k, _v = _line.split("=", 1)
        os.environ.setdefault(_k.strip(), _v.strip())
DEBUG = os.environ["DEBUG"] == "True"
PY
	;;
no_manage)
	# No manage.py anywhere: only the app folders were committed.
	rm manage.py
	;;
token_api)
	# A DRF API that takes tokens only (no SessionAuthentication): the
	# grader must sign its users in with DRF tokens.
	replace_line $S '    "rest_framework",' <<'PY'
    "rest_framework",
    "rest_framework.authtoken",
PY
	replace_line $S 'REST_FRAMEWORK = {}' <<'PY'
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
}
PY
	;;
jwt_api)
	# SimpleJWT only, with a short access lifetime and its own header type.
	echo "djangorestframework-simplejwt==5.5.1" >requirements.txt
	printf 'Django==5.2.19\ndjangorestframework==3.18.3\nPillow==12.1.1\n' >>requirements.txt
	replace_line $S 'REST_FRAMEWORK = {}' <<'PY'
from datetime import timedelta

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
}
SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(seconds=30), "AUTH_HEADER_TYPES": ("JWT",)}
PY
	;;
decouple_undeclared)
	# No requirements file, and settings read through python-decouple and
	# list django-cors-headers: both are inferred from the imports and
	# INSTALLED_APPS, installed, and reported.
	replace_line $S 'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-not-a-secret-change-me")' <<'PY'
from decouple import config

SECRET_KEY = config("DJANGO_SECRET_KEY", default="dev-only-not-a-secret-change-me")
PY
	replace_line $S '    "rest_framework",' <<'PY'
    "rest_framework",
    "corsheaders",
PY
	;;
fstring_312)
	# An f-string only Python 3.12 accepts (the same quotes inside its
	# braces), on a machine whose newest Python is older.
	cat >>$S <<'PY'

_SITE = {"name": "Shop"}
SITE_TITLE = f"{_SITE["name"]} admin"
PY
	;;
in_own_venv)
	# The project kept inside the folder of its own (Windows) virtualenv,
	# whose packages hold manage.py-shaped files of their own.
	V=shopEnv
	mkdir -p "$V/shopProject" "$V/Lib/site-packages/django/conf/project_template" "$V/Scripts"
	mv config shop manage.py "$V/shopProject/"
	printf 'home = C:\\Python311\ninclude-system-site-packages = false\nversion = 3.11.4\n' >"$V/pyvenv.cfg"
	printf '@echo off\r\n' >"$V/Scripts/activate.bat"
	cp "$V/shopProject/manage.py" "$V/Lib/site-packages/django/conf/project_template/manage.py-tpl"
	cp "$V/shopProject/manage.py" "$V/Lib/site-packages/manage.py"
	;;
migrations_missing)
	# The migrations folder was never committed (a .gitignore habit).
	rm -r shop/migrations
	echo "*/migrations/" >.gitignore
	;;
migration_pending)
	# A model change after the last migration that leaves the table as it
	# is (a help text): the app works, and migrations-current names the app.
	replace_line shop/models.py '    name = models.CharField(max_length=200)' <<'PY'
    name = models.CharField(max_length=200, help_text="Shown in the shop")
PY
	;;
writes_own_tree)
	# The settings write into the project's own tree at import, as
	# django-heroku does (it makes STATIC_ROOT), plus a log file beside a
	# committed one the app appends to: the checkout must be writable.
	mkdir -p logs
	echo "committed line" >logs/app.log
	cat >>$S <<'PY'

STATIC_ROOT = BASE_DIR / "staticfiles"
os.makedirs(STATIC_ROOT, exist_ok=True)
LOGGING = {
    "version": 1,
    "handlers": {"file": {"class": "logging.FileHandler", "filename": BASE_DIR / "logs" / "app.log"}},
    "root": {"handlers": ["file"], "level": "INFO"},
}
PY
	;;
esac
