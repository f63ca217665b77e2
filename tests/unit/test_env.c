/*
 * test_env.c - project discovery, requirements reading (pip files, Pipfile,
 * pyproject.toml), interpreter choice with fake interpreters, real
 * virtualenvs built under a scratch cache, with pip and with uv, and cache
 * listing and pruning. No network: the failing install runs pip with
 * PIP_NO_INDEX=1, the uv install reads a wheel built by the test from a
 * local --find-links folder with UV_OFFLINE=1. The uv test needs uv on
 * PATH or in $GRADER_TEST_UV (a folder).
 */
#include "env.h"
#include "env_internal.h"
#include "err.h"
#include "t.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char root[256];
static int ncase;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* A fresh checkout folder for one case. */
static void new_case(char *dir, size_t n)
{
	snprintf(dir, n, "%s/case%d", root, ++ncase);
	sh("mkdir -p %s", dir);
}

static void put(const char *dir, const char *rel, const void *data, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	sh("mkdir -p \"$(dirname %s)\"", path);
	f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

static void puts_file(const char *dir, const char *rel, const char *text)
{
	put(dir, rel, text, strlen(text));
}

/* Runs find_project; returns rc and leaves the folder relative to dir. */
static int find(const char *dir, char *rel, size_t n, struct gbuf *diag)
{
	char *p = NULL;
	int rc = env_find_project(dir, NULL, &p, NULL, diag);

	rel[0] = '\0';
	if (rc == 0 && p) {
		if (strncmp(p, dir, strlen(dir)) == 0)
			snprintf(rel, n, "%s", p[strlen(dir)] == '/' ? p + strlen(dir) + 1 : "");
		else
			snprintf(rel, n, "!%s", p);
	}
	free(p);
	return rc;
}

TEST(find_at_root)
{
	char dir[300], rel[300];
	struct gbuf d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "x");
	puts_file(dir, "sub/manage.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "");
	gbuf_release(&d);
}

TEST(find_one_and_two_levels_down)
{
	char dir[300], rel[300];
	struct gbuf d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "README.md", "x");
	puts_file(dir, "mysite/manage.py", "x");
	puts_file(dir, "aaa/deeper/manage.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "mysite");

	new_case(dir, sizeof(dir));
	puts_file(dir, "src/backend/manage.py", "x");
	puts_file(dir, "src/backend/x/y/manage.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "src/backend");

	/* Three levels down is found, four is too deep. */
	new_case(dir, sizeof(dir));
	puts_file(dir, "a/b/c/manage.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "a/b/c");
	new_case(dir, sizeof(dir));
	puts_file(dir, "a/b/c/d/manage.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 1);
	gbuf_release(&d);
}

/* A course portfolio (h375): the nearest the root is graded, the others
 * are listed (shallowest first, each depth by name) so the report can name
 * them; the root's grader.yaml may name another, at any depth up to six,
 * and one without manage.py is refused, naming it. */
TEST(find_names_the_other_projects)
{
	char dir[300], rel[300];
	struct gbuf d = GBUF_INIT(1024), got = GBUF_INIT(1024);
	struct strlist others = { NULL, 0, 0 };
	char *p = NULL;
	size_t i;

	new_case(dir, sizeof(dir));
	puts_file(dir, "week3-blog/blogsite/manage.py", "x");
	puts_file(dir, "week1-polls/mysite/manage.py", "x");
	puts_file(dir, "capstone/manage.py", "x");
	puts_file(dir, "capstone/.venv/lib/django/conf/manage.py", "x");
	puts_file(dir, "archive/a/b/old/manage.py", "x");
	EXPECT_INT(env_find_project(dir, NULL, &p, &others, &d), 0);
	EXPECT(p && !strcmp(p + strlen(dir), "/capstone"));
	for (i = 0; i < others.n; i++)
		gbuf_addf(&got, "%s%s", i ? "|" : "", others.v[i]);
	EXPECT_STR(gbuf_str(&got), "week1-polls/mysite|week3-blog/blogsite");
	free(p);
	p = NULL;
	EXPECT_INT(env_find_project(dir, "week3-blog/blogsite", &p, NULL, &d), 0);
	EXPECT(p && !strcmp(p + strlen(dir), "/week3-blog/blogsite"));
	free(p);
	p = NULL;
	EXPECT_INT(env_find_project(dir, "archive/a/b/old", &p, NULL, &d), 0);
	free(p);
	p = NULL;
	EXPECT_INT(env_find_project(dir, "week2", &p, NULL, &d), 1);
	EXPECT_STR(gbuf_str(&d), "grader.yaml names the project folder week2, which holds no manage.py in this commit");
	EXPECT(p == NULL);
	/* One project: nobody else to name. */
	new_case(dir, sizeof(dir));
	puts_file(dir, "mysite/manage.py", "x");
	strlist_free(&others);
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_INT(env_find_project(dir, NULL, &p, &others, &d), 0);
	EXPECT_INT((int)others.n, 0);
	free(p);
	strlist_free(&others);
	gbuf_release(&got);
	gbuf_release(&d);
}

/* Inference: table modules imported (or named in settings) and not
 * declared are added, in table order; the project's own modules, relative
 * imports, declared distributions and unknown modules are not. */
TEST(infer_undeclared_imports)
{
	char dir[300];
	struct gbuf reqs = GBUF_INIT(1 << 16);
	struct strlist inf = { NULL, 0, 0 };

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "import os\nimport sys\n");
	puts_file(dir, "config/settings.py",
		  "from decouple import config\nimport dj_database_url as d, os\n"
		  "INSTALLED_APPS = ['django.contrib.admin', \"corsheaders\", 'storages.backends']\n");
	puts_file(dir, "shop/views.py",
		  "from .models import X\nfrom rest_framework import generics\n"
		  "import totally_unknown_pkg\n    from PIL import Image\nfrom whitenoise import x\n");
	/* A local package shadows the table's whitenoise. */
	puts_file(dir, "whitenoise/__init__.py", "");
	gbuf_adds(&reqs, "Django==5.2\ndjango_storages==1.14\n");
	EXPECT_INT(env_infer_requirements(dir, dir, GRADER_DATADIR, &reqs, &inf), 0);
	EXPECT_INT(inf.n, 5);
	EXPECT_STR(inf.v[0], "Pillow");
	EXPECT_STR(inf.v[1], "django-cors-headers");
	EXPECT_STR(inf.v[2], "python-decouple");
	EXPECT_STR(inf.v[3], "dj-database-url");
	EXPECT_STR(inf.v[4], "djangorestframework");
	EXPECT_STR(gbuf_str(&reqs), "Django==5.2\ndjango_storages==1.14\nPillow\ndjango-cors-headers\n"
				    "python-decouple\ndj-database-url\ndjangorestframework\n");
	strlist_free(&inf);
	gbuf_release(&reqs);
}

/* django-rules' layout (h337): `import rules` beside an app's own
 * tickets/rules.py, which is tickets.rules, not the project's module of
 * that name; and a table row's own requirement counts as declared
 * (djangorestframework-simplejwt brings PyJWT). */
TEST(infer_a_library_named_like_an_app_module)
{
	char dir[300];
	struct gbuf reqs = GBUF_INIT(1 << 16);
	struct strlist inf = { NULL, 0, 0 };

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "import os\n");
	puts_file(dir, "helpdesk/settings.py", "INSTALLED_APPS = ['rules.apps.AutodiscoverRulesConfig', 'tickets']\n");
	puts_file(dir, "tickets/__init__.py", "");
	puts_file(dir, "tickets/rules.py", "import rules\nimport jwt\n");
	gbuf_adds(&reqs, "Django==5.2\ndjangorestframework-simplejwt==5.5\n");
	EXPECT_INT(env_infer_requirements(dir, dir, GRADER_DATADIR, &reqs, &inf), 0);
	EXPECT_INT(inf.n, 1);
	if (inf.n == 1)
		EXPECT_STR(inf.v[0], "rules");
	strlist_free(&inf);
	gbuf_release(&reqs);
}

/* The distributions inferred for a project of manage.py and one file
 * NAME holding TEXT, beside the requirements REQS; inf gets them. */
static void infer_one(const char *name, const char *text, const char *reqs_text, struct strlist *inf)
{
	char dir[300];
	struct gbuf reqs = GBUF_INIT(1 << 16);

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "import os\n");
	puts_file(dir, name, text);
	gbuf_adds(&reqs, reqs_text);
	EXPECT_INT(env_infer_requirements(dir, dir, GRADER_DATADIR, &reqs, inf), 0);
	gbuf_release(&reqs);
}

/* infer_one, then the distributions inferred, comma-joined ("" none),
 * must be `want`. */
static void infer_expect(const char *name, const char *text, const char *reqs_text, const char *want)
{
	struct strlist inf = { NULL, 0, 0 };
	struct gbuf got = GBUF_INIT(4096);
	size_t i;

	infer_one(name, text, reqs_text, &inf);
	for (i = 0; i < inf.n; i++)
		gbuf_addf(&got, "%s%s", i ? "," : "", inf.v[i]);
	EXPECT_STR(gbuf_str(&got), want);
	strlist_free(&inf);
	gbuf_release(&got);
}

/* django-configurations (h364): its module is `configurations`, its
 * distribution django-configurations; a settings class's
 * values.DatabaseURLValue(...) needs dj-database-url though no line
 * imports it (the library does, when the settings load), not when a
 * comment says it nor when both are declared. */
TEST(infer_django_configurations)
{
	static const char settings[] =
		"from configurations import Configuration, values\n\n\nclass Dev(Configuration):\n"
		"    # DATABASES = values.DatabaseURLValue('sqlite:///old.sqlite3') was here\n"
		"    DATABASES = values.DatabaseURLValue('sqlite:///db.sqlite3')\n";

	infer_expect("shop/settings.py", settings, "Django==5.2\n", "django-configurations,dj-database-url");
	infer_expect("shop/settings.py", settings,
		     "Django==5.2\ndjango-configurations[database]==2.5.1\ndj-database-url==2.3\n", "");
}

/* django-phonenumber-field requires its number library only through an
 * extra (h374): a PhoneNumberField, or an import of phonenumbers, with the
 * bare distribution declared gives phonenumberslite; either extra
 * declared (spaces and several extras as pip reads them) gives nothing. */
TEST(infer_phonenumbers_unless_an_extra_brings_them)
{
	static const char model[] = "from phonenumber_field.modelfields import PhoneNumberField\n"
				    "class Order:\n    phone = PhoneNumberField(blank=True)\n";

	infer_expect("shop/models.py", model, "Django==5.2\ndjango-phonenumber-field==8.0\n", "phonenumberslite");
	infer_expect("shop/models.py", "import phonenumbers\n", "django-phonenumber-field==8.0\n",
		     "phonenumberslite");
	infer_expect("shop/models.py", model, "Django==5.2\ndjango-phonenumber-field[phonenumberslite]==8.0\n", "");
	infer_expect("shop/models.py", model, "Django==5.2\nDjango_PhoneNumber_Field [ rest, Phonenumbers ] >= 8\n",
		     "");
}

/* Forks that keep their parent's module name: django-fsm-2's django_fsm
 * (h480: declared, it was taken for an undeclared django-fsm, which the
 * grader installed over it and warned about), django-q's django_q and
 * djangorestframework-guardian's rest_framework_guardian.
 * Either declared is the module's; neither declared installs the first. */
TEST(infer_a_fork_under_its_parents_module_name)
{
	static const char model[] = "from django_fsm import FSMField, transition\n";

	infer_expect("orders/models.py", model, "Django==4.2\ndjango-fsm-2==4.2.4\n", "");
	infer_expect("orders/models.py", model, "Django==4.2\ndjango-fsm==3.0.1\n", "");
	infer_expect("orders/models.py", model, "Django==4.2\n", "django-fsm");
	infer_expect("shop/tasks.py", "from django_q.tasks import async_task\n", "Django==4.2\ndjango-q==1.3.9\n", "");
	infer_expect("shop/tasks.py", "from django_q.tasks import async_task\n", "Django==4.2\n", "django-q2");
	/* djangorestframework-guardian2's rest_framework_guardian (h831). */
	infer_expect("shop/views.py", "from rest_framework_guardian import filters\n",
		     "Django==5.0\ndjangorestframework-guardian2==0.7.0\n", "");
}

/* An ImageField needs Pillow though no line imports PIL (Django imports it
 * at the first upload, h190): inferred from a call outside a comment, not
 * from one in a comment, nor when a requirement declares Pillow. */
TEST(infer_pillow_from_an_image_field)
{
	infer_expect("recipes/models.py", "from django.db import models\n"
		     "class Recipe(models.Model):\n    image = models.ImageField(upload_to='r/')\n",
		     "Django==5.2\n", "Pillow");
	infer_expect("recipes/models.py", "    # image = models.ImageField(upload_to='r/')\n", "Django==5.2\n", "");
	infer_expect("recipes/forms.py", "photo = forms.ImageField(required=True)\n", "Django==5.2\npillow==11.0\n",
		     "");
}

/* A migration's imports count: a field's package (HistoricalRecords from
 * simple_history) may be imported nowhere else, and migrate needs it
 * (h216); its ImageField calls do not (a field since removed). */
TEST(infer_from_migrations)
{
	struct strlist inf = { NULL, 0, 0 };

	infer_one("store/migrations/0001_initial.py",
		  "import simple_history.models\nfrom django.db import migrations, models\n"
		  "        ('image', models.ImageField(upload_to='p/')),\n",
		  "Django==5.2\n", &inf);
	EXPECT_INT(inf.n, 1);
	if (inf.n == 1)
		EXPECT_STR(inf.v[0], "django-simple-history");
	strlist_free(&inf);
}

/* A module that a declared distribution installs itself is not inferred
 * (distribution-requires.tsv): drf-spectacular brings djangorestframework
 * and Django, django-cloudinary-storage brings cloudinary, djoser brings
 * SimpleJWT and, through it, DRF, django-ninja-jwt brings django-ninja-extra
 * and Django Ninja; django-storages does not bring boto3
 * (only its extra does), so boto3 still is. */
TEST(infer_not_what_a_declared_distribution_installs)
{
	struct strlist inf = { NULL, 0, 0 };

	infer_one("shop/views.py",
		  "from django.db import models\nfrom rest_framework import generics\nimport cloudinary\n"
		  "from rest_framework_simplejwt.tokens import RefreshToken\nimport boto3\n",
		  "drf_spectacular==0.27.2\ndjango-cloudinary-storage\nDjoser>=2\ndjango-storages\n", &inf);
	EXPECT_INT(inf.n, 1);
	if (inf.n == 1)
		EXPECT_STR(inf.v[0], "boto3");
	strlist_free(&inf);
	infer_one("shop/views.py", "import cloudinary\nfrom rest_framework import generics\n",
		  "Django==5.2\ncloudinary\n", &inf);
	EXPECT_INT(inf.n, 1);
	if (inf.n == 1)
		EXPECT_STR(inf.v[0], "djangorestframework");
	strlist_free(&inf);
	/* django-ninja-jwt brings django-ninja-extra, and through it Django
	 * Ninja (h522: ninja_extra was inferred as undeclared). */
	infer_one("shop/api.py",
		  "from ninja_extra import NinjaExtraAPI\nfrom ninja import Router\nfrom ninja_jwt.authentication import JWTAuth\n",
		  "Django==5.2\ndjango-ninja-jwt\n", &inf);
	EXPECT_INT(inf.n, 0);
	strlist_free(&inf);
	/* Channels' extra daphne brings daphne (h904: told it was missing
	 * from requirements.txt). */
	infer_one("config/asgi.py", "import daphne\nimport channels\n", "Django==5.2\nchannels[daphne]==4.3.1\n", &inf);
	EXPECT_INT(inf.n, 0);
	strlist_free(&inf);
	/* A formatter's class named in LOGGING, in a logging.py beside the
	 * settings, a package only that names (h254: the boot failed on "No
	 * module named 'pythonjsonlogger'"). */
	infer_one("config/logging.py",
		  "LOGGING = {'formatters': {'json': {'()': 'pythonjsonlogger.jsonlogger.JsonFormatter'}}}\n",
		  "Django==5.2\n", &inf);
	EXPECT_INT(inf.n, 1);
	if (inf.n == 1)
		EXPECT_STR(inf.v[0], "python-json-logger");
	strlist_free(&inf);
	/* ...beside a file handler's "requests.log", a file's name and no
	 * module (h1244: requests installed and said to be missing); a
	 * backend's dotted module path ending in sqlite3 still is one. */
	infer_one("config/settings.py",
		  "LOGGING = {'formatters': {'json': {'()': 'pythonjsonlogger.jsonlogger.JsonFormatter'}},\n"
		  "    'handlers': {'file': {'class': 'logging.FileHandler', 'filename': str(LOG_DIR / \"requests.log\")}}}\n"
		  "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite'}}\n"
		  "REPORT = 'requests.JSON'\n",
		  "Django==5.2\n", &inf);
	EXPECT_INT(inf.n, 1);
	if (inf.n == 1)
		EXPECT_STR(inf.v[0], "python-json-logger");
	strlist_free(&inf);
}

/* In settings, a bare quoted name is a module only in an ..._APPS list
 * (over several lines, or added with +=); elsewhere it is a value, such as
 * crispy's template pack "bootstrap4" (the module of django-bootstrap4),
 * while a dotted name anywhere (a middleware, a backend) is one. And
 * django-bootstrap5's module is django_bootstrap5, not bootstrap5. */
TEST(infer_settings_apps_lists_and_values)
{
	char dir[300];
	struct gbuf reqs = GBUF_INIT(1 << 16);
	struct strlist inf = { NULL, 0, 0 };
	size_t i;

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "import os\n");
	puts_file(dir, "config/settings.py",
		  "THIRD_PARTY_APPS = [\n    'crispy_forms',\n    \"django_bootstrap5\",  # (the list goes on)\n]\n"
		  "CRISPY_ALLOWED_TEMPLATE_PACKS = ('bootstrap4', 'bootstrap5')\n"
		  "CRISPY_TEMPLATE_PACK = \"bootstrap4\"\n"
		  "INSTALLED_APPS = ['django.contrib.admin'] + THIRD_PARTY_APPS\n"
		  "INSTALLED_APPS += ['corsheaders']\n"
		  "STORAGES = {'staticfiles': {'BACKEND': 'whitenoise.storage.CompressedStaticFilesStorage'}}\n"
		  "SOMETHING = 'debug_toolbar'\n");
	gbuf_adds(&reqs, "Django==5.2\n");
	EXPECT_INT(env_infer_requirements(dir, dir, GRADER_DATADIR, &reqs, &inf), 0);
	for (i = 0; i < inf.n; i++)
		printf("# inferred %s\n", inf.v[i]);
	EXPECT_INT(inf.n, 4);
	EXPECT_STR(inf.v[0], "django-cors-headers");
	EXPECT_STR(inf.v[1], "django-crispy-forms");
	EXPECT_STR(inf.v[2], "django-bootstrap5");
	EXPECT_STR(inf.v[3], "whitenoise");
	strlist_free(&inf);
	gbuf_release(&reqs);
}

/* A Tailwind learner's apps (h391: crispy_tailwind, named only in
 * INSTALLED_APPS, failed the boot on ModuleNotFoundError where the
 * table had no row for it): inferred, and django-tailwind's "tailwind"
 * beside the project's own "theme" app, which is no library. */
TEST(infer_tailwind_apps)
{
	struct strlist inf = { NULL, 0, 0 };
	const char *settings = "INSTALLED_APPS = [\n    'django.contrib.admin',\n    'crispy_forms',\n"
			       "    'crispy_tailwind',\n    'tailwind',\n    'theme',\n    'django_cotton',\n]\n";
	struct gbuf got = GBUF_INIT(1024);
	size_t i;

	infer_one("config/settings.py", settings, "Django==5.2\ndjango-crispy-forms==2.4\n", &inf);
	for (i = 0; i < inf.n; i++)
		gbuf_addf(&got, "%s%s", i ? " " : "", inf.v[i]);
	strlist_free(&inf);
	EXPECT_STR(gbuf_str(&got), "crispy-tailwind django-cotton django-tailwind");
	gbuf_release(&got);
}

/* Rows the boot failed without: django-cachalot named only in
 * INSTALLED_APPS (h406), and a typed project's settings (h398:
 * django-stubs-ext only in a dev group, its monkeypatch() called at
 * import). */
TEST(infer_cachalot_and_django_stubs_ext)
{
	struct strlist inf = { NULL, 0, 0 };

	/* django-cachalot's app, named only in INSTALLED_APPS (h406). */
	infer_one("shop/settings.py", "INSTALLED_APPS = [\n    'django.contrib.admin',\n    'cachalot',\n]\n",
		  "Django==5.1\n", &inf);
	EXPECT_INT(inf.n, 1);
	if (inf.n == 1)
		EXPECT_STR(inf.v[0], "django-cachalot");
	strlist_free(&inf);

	infer_one("src/shop/settings.py", "import django_stubs_ext\n\ndjango_stubs_ext.monkeypatch()\n", "Django==5.1\n",
		  &inf);
	EXPECT_INT(inf.n, 1);
	if (inf.n == 1)
		EXPECT_STR(inf.v[0], "django-stubs-ext");
	strlist_free(&inf);
}

/* django.contrib.postgres in INSTALLED_APPS needs a Postgres driver on
 * any database (h284: setup failed on "No module named 'psycopg2'"):
 * psycopg2-binary is inferred, unless any driver is declared. */
TEST(infer_a_postgres_driver_for_contrib_postgres)
{
	struct strlist inf = { NULL, 0, 0 };
	const char *settings = "INSTALLED_APPS = [\n    'django.contrib.admin',\n    'django.contrib.postgres',\n]\n";

	infer_one("config/settings.py", settings, "Django==5.2\n", &inf);
	EXPECT_INT(inf.n, 1);
	if (inf.n == 1)
		EXPECT_STR(inf.v[0], "psycopg2-binary");
	strlist_free(&inf);
	infer_one("config/settings.py", settings, "Django==5.2\npsycopg[binary]==3.2\n", &inf);
	EXPECT_INT(inf.n, 0);
	strlist_free(&inf);
	infer_one("config/settings.py", settings, "Django==5.2\npsycopg2==2.9.9\n", &inf);
	EXPECT_INT(inf.n, 0);
	strlist_free(&inf);
	/* Outside the settings (a view's string): not. */
	infer_one("shop/views.py", "NOTE = 'django.contrib.postgres'\n", "Django==5.2\n", &inf);
	EXPECT_INT(inf.n, 0);
	strlist_free(&inf);
}

/* Test code is not the app's: factory_boy and Faker imported only by
 * tests/, conftest.py or a test_*.py are no requirement a deployment
 * misses (h292), so not reported, but still installed (an app module
 * importing a test helper must boot); imported by the app's own code,
 * they are reported. */
TEST(infer_not_from_test_code)
{
	char dir[300];
	struct gbuf reqs = GBUF_INIT(1 << 16);
	struct strlist inf = { NULL, 0, 0 };

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "import os\n");
	puts_file(dir, "tests/factories.py", "import factory\nfrom faker import Faker\n");
	gbuf_adds(&reqs, "Django==5.2\n");
	EXPECT_INT(env_infer_requirements(dir, dir, GRADER_DATADIR, &reqs, &inf), 0);
	EXPECT_INT(inf.n, 0);
	EXPECT_STR(gbuf_str(&reqs), "Django==5.2\nfactory-boy\nFaker\n");
	strlist_free(&inf);
	gbuf_release(&reqs);
	infer_one("conftest.py", "import factory\n", "Django==5.2\n", &inf);
	EXPECT_INT(inf.n, 0);
	strlist_free(&inf);
	infer_one("shop/test_views.py", "from faker import Faker\n", "Django==5.2\n", &inf);
	EXPECT_INT(inf.n, 0);
	strlist_free(&inf);
	infer_one("shop/seed.py", "from faker import Faker\n", "Django==5.2\n", &inf);
	EXPECT_INT(inf.n, 1);
	if (inf.n == 1)
		EXPECT_STR(inf.v[0], "Faker");
	strlist_free(&inf);
}

/* Typed DRF's libraries (h668: msgspec undeclared failed the boot, not
 * inferred): msgspec, attrs and marshmallow are inferred when imported and
 * undeclared; drf-pydantic declared brings pydantic and DRF. */
TEST(infer_typed_serializer_libraries)
{
	struct strlist inf = { NULL, 0, 0 };

	infer_one("shop/schemas.py", "import msgspec\nimport attr\nfrom marshmallow import Schema\n",
		  "Django==5.2\n", &inf);
	EXPECT_INT(inf.n, 3);
	EXPECT(strlist_has(&inf, "msgspec") && strlist_has(&inf, "attrs") && strlist_has(&inf, "marshmallow"));
	strlist_free(&inf);
	infer_one("shop/schemas.py",
		  "from drf_pydantic import BaseModel\nimport pydantic\nfrom rest_framework import generics\n",
		  "Django==5.2\ndrf-pydantic==2.9\n", &inf);
	EXPECT_INT(inf.n, 0);
	strlist_free(&inf);
}

/* Argon2's hasher in PASSWORD_HASHERS needs argon2-cffi at the first
 * password, though no line imports it (h297), unless declared, itself or
 * by Django's argon2 extra; bcrypt's
 * hashers, a fallback after the first (cookiecutter-django's settings),
 * import nothing and infer nothing. */
TEST(infer_a_hasher_library)
{
	struct strlist inf = { NULL, 0, 0 };
	const char *settings = "PASSWORD_HASHERS = [\n"
			       "    'django.contrib.auth.hashers.Argon2PasswordHasher',\n"
			       "    'django.contrib.auth.hashers.PBKDF2PasswordHasher',\n"
			       "    \"django.contrib.auth.hashers.BCryptSHA256PasswordHasher\",\n]\n";

	infer_one("config/settings.py", settings, "Django==5.2\n", &inf);
	EXPECT_INT(inf.n, 1);
	if (inf.n == 1)
		EXPECT_STR(inf.v[0], "argon2-cffi");
	strlist_free(&inf);
	infer_one("config/settings.py", settings, "Django==5.2\nargon2-cffi==23.1\n", &inf);
	EXPECT_INT(inf.n, 0);
	strlist_free(&inf);
	/* Or Django's own extra, which installs it (h662: Django[argon2]
	 * was told to declare argon2-cffi). */
	infer_one("config/settings.py", settings, "Django[argon2]==5.2.8\n", &inf);
	EXPECT_INT(inf.n, 0);
	strlist_free(&inf);
}

/* Jinja2 (h423: a Flask habit): named only as TEMPLATES' backend, or
 * imported by the project's environment function; declared, nothing. */
TEST(infer_jinja2)
{
	const char *settings = "TEMPLATES = [{\n"
			       "    \"BACKEND\": \"django.template.backends.jinja2.Jinja2\",\n"
			       "    \"DIRS\": [],\n}]\n";

	infer_expect("config/settings.py", settings, "Django==5.2\n", "Jinja2");
	infer_expect("config/jinja2.py", "from jinja2 import Environment\n", "Django==5.2\n", "Jinja2");
	infer_expect("config/settings.py", settings, "Django==5.2\nJinja2==3.1.4\n", "");
}

/* environs undeclared is installed with its Django extra, which its
 * env.dj_db_url needs (h431); declared, with or without it, nothing. */
TEST(infer_environs_with_its_django_extra)
{
	const char *settings = "import environs\nenv = environs.Env()\nDATABASES = {\"default\": env.dj_db_url(\"DATABASE_URL\")}\n";

	infer_expect("config/settings.py", settings, "Django==5.2\n", "environs[django]");
	infer_expect("config/settings.py", settings, "Django==5.2\nenvirons==11.0.0\n", "");
	infer_expect("config/settings.py", settings, "Django==5.2\nenvirons[django]==11.0.0\n", "");
}

/* The boot module runs from an env's own compiled copy (.grader-boot) only
 * when every file of it is the grader's and its bytecode is there; else
 * from the grader's folder (docs/performance.md). */
TEST(boot_dir_is_the_envs_copy_only_when_it_is_this_graders)
{
	static const char *const files[] = { "run_boot.py", "grader_boot.py", "module-distributions.tsv" };
	char boot[512], envd[512], copy[600], *got;
	size_t i;

	new_case(boot, sizeof(boot));
	new_case(envd, sizeof(envd));
	snprintf(copy, sizeof(copy), "%s/.grader-boot", envd);
	for (i = 0; i < 3; i++) {
		puts_file(boot, files[i], files[i]);
		puts_file(copy, files[i], files[i]);
	}
	/* No bytecode in the copy: the grader's folder. */
	got = env_boot_dir(envd, boot);
	EXPECT(got && !strcmp(got, boot));
	free(got);
	puts_file(copy, "__pycache__/grader_boot.cpython-399.pyc", "bytecode");
	got = env_boot_dir(envd, boot);
	EXPECT(got && !strcmp(got, copy));
	free(got);
	/* An older grader's copy (one file differs): the grader's folder. */
	puts_file(copy, "module-distributions.tsv", "older table");
	got = env_boot_dir(envd, boot);
	EXPECT(got && !strcmp(got, boot));
	free(got);
	puts_file(copy, "module-distributions.tsv", files[2]);
	puts_file(boot, "grader_boot.py", "a newer boot module");
	got = env_boot_dir(envd, boot);
	EXPECT(got && !strcmp(got, boot));
	free(got);
	/* An env without a copy: the grader's folder. */
	new_case(envd, sizeof(envd));
	got = env_boot_dir(envd, boot);
	EXPECT(got && !strcmp(got, boot));
	free(got);
}

/* DRF add-ons a course project imports (h442: drf-flex-fields, whose
 * module is rest_flex_fields): inferred by their distributions. */
TEST(infer_drf_add_ons)
{
	infer_expect("shop/serializers.py", "from rest_flex_fields import FlexFieldsModelSerializer\n",
		     "Django==5.2\ndjangorestframework==3.16.0\n", "drf-flex-fields");
	infer_expect("shop/views.py", "from rest_framework_csv.renderers import CSVRenderer\n",
		     "Django==5.2\ndjangorestframework==3.16.0\n", "djangorestframework-csv");
	infer_expect("shop/serializers.py", "from drf_extra_fields.fields import Base64ImageField\n",
		     "Django==5.2\ndjangorestframework==3.16.0\n", "drf-extra-fields");
}

/* A project kept inside its own virtualenv's folder is found, but never a
 * manage.py among the virtualenv's packages or in Django's templates. */
TEST(find_project_inside_its_venv)
{
	char dir[300], rel[300];
	struct gbuf d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "recipeEnv/pyvenv.cfg", "home = C:\\Python311\n");
	puts_file(dir, "recipeEnv/Lib/site-packages/pkg/manage.py", "x");
	puts_file(dir, "recipeEnv/Scripts/manage.py", "x");
	puts_file(dir, "recipeEnv/app-tpl/manage.py", "x");
	puts_file(dir, "recipeEnv/recipeProject/manage.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "recipeEnv/recipeProject");
	/* Only the templates and packages: nothing. */
	new_case(dir, sizeof(dir));
	puts_file(dir, "env/pyvenv.cfg", "home = /usr/bin\n");
	puts_file(dir, "env/lib/python3.11/site-packages/x/manage.py", "x");
	puts_file(dir, "project_name-tpl/manage.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 1);
	gbuf_release(&d);
}

TEST(find_skips_venvs_and_dependencies)
{
	char dir[300], rel[300];
	struct gbuf d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	/* Shallower, sorted first, but all of these are not the project. */
	puts_file(dir, "aenv/pyvenv.cfg", "home = /usr/bin\n");
	puts_file(dir, "aenv/manage.py", "x");
	puts_file(dir, "abin/bin/activate", "x");
	puts_file(dir, "abin/manage.py", "x");
	puts_file(dir, "venv/manage.py", "x");
	puts_file(dir, ".hidden/manage.py", "x");
	puts_file(dir, "node_modules/manage.py", "x");
	puts_file(dir, "__pycache__/manage.py", "x");
	puts_file(dir, "zzz/project/manage.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "zzz/project");
	gbuf_release(&d);
}

TEST(find_never_follows_symlinks)
{
	char dir[300], rel[300], outside[300];
	struct gbuf d = GBUF_INIT(1024);

	snprintf(outside, sizeof(outside), "%s/outside", root);
	puts_file(outside, "manage.py", "x");
	puts_file(outside, "inner/manage.py", "x");
	new_case(dir, sizeof(dir));
	EXPECT_INT(sh("ln -s %s %s/link && ln -s %s/manage.py %s/manage.py", outside, dir, outside,
		      dir), 0);
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 1);
	EXPECT_STR(gbuf_str(&d), "no manage.py found in the repository root or up to three folders down");
	gbuf_release(&d);
}

TEST(find_none)
{
	char dir[300], rel[300];
	struct gbuf d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "app/views.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 1);
	EXPECT_STR(gbuf_str(&d), "no manage.py found in the repository root or up to three folders down");
	/* One deeper than a project may be is named, with the way out
	 * (h371); deeper still is not looked for. */
	gbuf_reset(&d);
	puts_file(dir, "backend/services/shop/src/manage.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 1);
	EXPECT_STR(gbuf_str(&d), "no manage.py found in the repository root or up to three folders down "
				 "(there is one deeper, backend/services/shop/src/manage.py: move the project up, "
				 "at most three folders below the root)");
	new_case(dir, sizeof(dir));
	puts_file(dir, "a/b/c/d/e/f/g/manage.py", "x");
	gbuf_reset(&d);
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 1);
	EXPECT_STR(gbuf_str(&d), "no manage.py found in the repository root or up to three folders down");
	gbuf_release(&d);
}

TEST(find_prefers_settings_module)
{
	static const char manage[] =
		"import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n";
	char dir[300], rel[300];
	struct gbuf d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "a/manage.py", manage);
	puts_file(dir, "b/manage.py", manage);
	puts_file(dir, "b/shop/settings.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "b");

	/* Settings as a package count too; with none anywhere, the first. */
	new_case(dir, sizeof(dir));
	puts_file(dir, "a/manage.py", manage);
	puts_file(dir, "c/manage.py", "import os\nos.environ[\"DJANGO_SETTINGS_MODULE\"] = \"shop.settings\"\n");
	puts_file(dir, "c/shop/settings/__init__.py", "x");
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "c");

	new_case(dir, sizeof(dir));
	puts_file(dir, "a/manage.py", manage);
	puts_file(dir, "b/manage.py", manage);
	EXPECT_INT(find(dir, rel, sizeof(rel), &d), 0);
	EXPECT_STR(rel, "a");
	gbuf_release(&d);
}

/* env_read_requirements on dir with project folder dir/proj_rel. */
static int reqs(const char *dir, const char *proj_rel, struct gbuf *out, char **src, struct gbuf *d)
{
	char proj[400];

	snprintf(proj, sizeof(proj), "%s%s%s", dir, *proj_rel ? "/" : "", proj_rel);
	gbuf_reset(out);
	gbuf_reset(d);
	return env_read_requirements(dir, proj, GRADER_DATADIR, out, src, d);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = s ? strlen(s) : 0, b = strlen(suffix);

	return s && a >= b && strcmp(s + a - b, suffix) == 0;
}

TEST(requirements_bom_and_comments)
{
	static const char text[] = "\xEF\xBB\xBF# pinned\r\nDjango==5.2.19   # the LTS\r\n\r\n"
				   "   djangorestframework \\\r\n  >=3.16\n"
				   "pkg @ https://example.invalid/p.zip#egg=pkg\n";
	char dir[300];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "x");
	puts_file(dir, "requirements.txt", text);
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "Django==5.2.19\ndjangorestframework   >=3.16\n"
				   "pkg @ https://example.invalid/p.zip#egg=pkg\n");
	EXPECT(ends_with(src, "/requirements.txt"));
	free(src);
	gbuf_release(&out);
	gbuf_release(&d);
}

TEST(requirements_utf16)
{
	static const char text[] = "Django==5.2.19\r\n# c\r\nPillow\r\n";
	unsigned char le[256], be[256];
	size_t i, n = 2;
	char dir[300];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	le[0] = 0xFF, le[1] = 0xFE, be[0] = 0xFE, be[1] = 0xFF;
	for (i = 0; text[i]; i++, n += 2) {
		le[n] = (unsigned char)text[i], le[n + 1] = 0;
		be[n] = 0, be[n + 1] = (unsigned char)text[i];
	}
	new_case(dir, sizeof(dir));
	put(dir, "requirements.txt", le, n);
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "Django==5.2.19\nPillow\n");
	free(src);
	src = NULL;
	put(dir, "requirements.txt", be, n);
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "Django==5.2.19\nPillow\n");
	free(src);
	src = NULL;
	/* UTF-16 without a BOM is not guessed at: NULs mean "not text". */
	put(dir, "requirements.txt", le + 2, n - 2);
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&d), "not a text file") != NULL);
	EXPECT(src == NULL);
	/* A UTF-16 line after UTF-8 ones (PowerShell's >>, h417): where, and
	 * what it looks like; a lone NUL is only where. */
	{
		unsigned char mixed[300];
		size_t m = strlen("Django==5.2.19\nPillow\n");

		memcpy(mixed, "Django==5.2.19\nPillow\n", m);
		memcpy(mixed + m, le, n);
		put(dir, "requirements.txt", mixed, m + n);
		EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
		EXPECT_STR(gbuf_str(&d), "requirements.txt is not a text file: from line 3 on it holds NUL bytes, "
					 "as text saved as UTF-16 does (a line Windows PowerShell's > or >> added to "
					 "a file saved as UTF-8?): save the whole file as UTF-8");
		put(dir, "requirements.txt", "Django\nPillow==10\0\nrequests\nsix\nsqlparse\nasgiref\n", 49);
		EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
		EXPECT_STR(gbuf_str(&d), "requirements.txt is not a text file (a NUL byte on line 2)");
	}
	gbuf_release(&out);
	gbuf_release(&d);
}

TEST(requirements_includes)
{
	char dir[300];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "requirements.txt", "-r reqs/base.txt\nPillow\n");
	puts_file(dir, "reqs/base.txt", "Django  # web\n--requirement=more/extra.txt\n");
	puts_file(dir, "reqs/more/extra.txt", "-r../../top.txt\nrequests\n");
	puts_file(dir, "top.txt", "six\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "Django\nsix\nrequests\nPillow\n");
	free(src);
	src = NULL;

	/* Outside the repository: refused, nothing of the target read. */
	puts_file(dir, "requirements.txt", "-r ../../../../../../etc/passwd\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&d), "outside the repository") != NULL);
	puts_file(dir, "requirements.txt", "-r /etc/passwd\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&out), "root:") == NULL);

	/* A file including itself stops at the depth limit. */
	puts_file(dir, "requirements.txt", "a\n-r requirements.txt\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&d), "deeper than 5") != NULL);

	/* Five levels is fine. */
	puts_file(dir, "requirements.txt", "-r 1.txt\n");
	puts_file(dir, "1.txt", "-r 2.txt\n");
	puts_file(dir, "2.txt", "-r 3.txt\n");
	puts_file(dir, "3.txt", "-r 4.txt\n");
	puts_file(dir, "4.txt", "-r 5.txt\n");
	puts_file(dir, "5.txt", "deep\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "deep\n");
	free(src);
	src = NULL;

	/* A missing file at the end of a chain says which files led to it
	 * (h237: requirements.txt -> requirements/local.txt -> dev.txt). */
	gbuf_reset(&d);
	puts_file(dir, "requirements.txt", "-r reqs/local.txt\n");
	puts_file(dir, "reqs/local.txt", "-r dev.txt\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT_STR(gbuf_str(&d), "cannot read the file reqs/dev.txt (no such file), which reqs/local.txt includes "
				 "with -r, which requirements.txt includes with -r");
	free(src);
	src = NULL;

	/* A constraints file (-c) pins what the requirements name, as pip
	 * and uv apply it, and installs nothing of its own (h703: refused,
	 * setup-failed, 0): beside a specifier, with extras and a marker
	 * kept, by the name's any spelling; its lines with a marker or a
	 * hash, and those no requirement names, are left out. */
	gbuf_reset(&d);
	puts_file(dir, "requirements.txt", "Django[argon2]>=5 ; python_version >= \"3.10\"\n"
					   "djangorestframework\n-c constraints.txt\ndjango_rest_knox\nsix @ https://x/y.whl\n");
	puts_file(dir, "constraints.txt", "django==5.2.8\nDjangoRestFramework==3.16.1\ndjango-rest-knox==5.0.2\n"
					  "asgiref==3.8.1\nsix==1.16.0\n--constraint more.txt\n");
	puts_file(dir, "more.txt", "pytz==2024.1 ; python_version < \"3.9\"\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "Django[argon2]>=5,==5.2.8 ; python_version >= \"3.10\"\ndjangorestframework==3.16.1\n"
				   "django_rest_knox==5.0.2\nsix @ https://x/y.whl\n");
	free(src);
	src = NULL;
	/* A constraints file outside the repository is refused as an
	 * include is, and one that is missing is said with -c. */
	puts_file(dir, "requirements.txt", "Django\n-c ../../../../../etc/passwd\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&d), "outside the repository") != NULL);
	gbuf_reset(&d);
	puts_file(dir, "requirements.txt", "Django\n-c pins.txt\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT_STR(gbuf_str(&d), "cannot read the file pins.txt (no such file), which requirements.txt includes with -c");
	free(src);
	gbuf_release(&out);
	gbuf_release(&d);
}

TEST(requirements_location)
{
	char dir[300], link[400];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "requirements.txt", "at-root\n");
	puts_file(dir, "proj/requirements.txt", "beside-manage\n");
	puts_file(dir, "proj/manage.py", "x");
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "beside-manage\n");
	EXPECT(ends_with(src, "/proj/requirements.txt"));
	free(src);
	src = NULL;

	EXPECT_INT(sh("rm %s/proj/requirements.txt", dir), 0);
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "at-root\n");
	EXPECT(!ends_with(src, "/proj/requirements.txt") && ends_with(src, "/requirements.txt"));
	free(src);
	src = NULL;

	/* None: the grader's default runtime. */
	EXPECT_INT(sh("rm %s/requirements.txt", dir), 0);
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 0);
	EXPECT(strstr(gbuf_str(&out), "Django==") != NULL);
	EXPECT(strchr(gbuf_str(&out), '#') == NULL);
	EXPECT_STR(src, GRADER_DATADIR "/runtime/requirements.txt");
	free(src);
	src = NULL;

	/* A symlink is reported, never read. */
	snprintf(link, sizeof(link), "%s/proj/requirements.txt", dir);
	EXPECT_INT(symlink("/etc/passwd", link), 0);
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&d), "symbolic link") != NULL);
	EXPECT_INT(out.len, 0);
	gbuf_release(&out);
	gbuf_release(&d);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Entries of <cache>/envs whose name contains ".tmp-". */
static int count_tmp(const char *cache)
{
	char path[400];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "%s/envs", cache);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (strstr(de->d_name, ".tmp-"))
			n++;
	closedir(d);
	return n;
}

static int count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int c, n = 0;

	if (!f)
		return 0;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

TEST(ensure_builds_then_reuses)
{
	char dir[300], cache[300], prefix[400], path[500], wrap[400], log[400], script[1024];
	int runs;
	char *py = NULL;
	struct gbuf d = GBUF_INIT(8192);
	struct env_opts o = { 0 };
	bool reused = true;
	long t0, elapsed;
	const char *key;

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "x");
	puts_file(dir, "requirements.txt", "# nothing needed\n\n");
	snprintf(cache, sizeof(cache), "%s/cache-a", root);
	/* The base interpreter is a wrapper that logs each start, so the
	 * test can tell that the warm path starts no process at all. */
	snprintf(wrap, sizeof(wrap), "%s/pywrap", root);
	snprintf(log, sizeof(log), "%s/pywrap.log", root);
	snprintf(script, sizeof(script), "#!/bin/sh\necho run >> %s\nexec /usr/bin/python3 \"$@\"\n", log);
	puts_file(root, "pywrap", script);
	EXPECT_INT(chmod(wrap, 0755), 0);
	o.cache_dir = cache;
	o.datadir = GRADER_DATADIR;
	o.python = wrap;
	o.checkout = dir;
	o.project_dir = dir;
	o.timeout_ms = 120000;

	EXPECT_INT(env_ensure(&o, &py, &reused, &d), 0);
	EXPECT(!reused);
	snprintf(prefix, sizeof(prefix), "%s/envs/", cache);
	EXPECT(py && strncmp(py, prefix, strlen(prefix)) == 0);
	key = py + strlen(prefix);
	EXPECT(strlen(key) == 16 + strlen("/bin/python") && strcmp(key + 16, "/bin/python") == 0);
	EXPECT(strspn(key, "0123456789abcdef") == 16);
	EXPECT(access(py, X_OK) == 0);
	snprintf(path, sizeof(path), "%.*s.grader-complete", (int)(strlen(py) - strlen("bin/python")), py);
	EXPECT(access(path, F_OK) == 0);
	EXPECT_INT(sh("%s -c 'import sys; assert sys.prefix != sys.base_prefix'", py), 0);
	EXPECT_INT(count_tmp(cache), 0);
	free(py);
	py = NULL;
	runs = count_lines(log);
	/* sys.version, asked on the host. The venv is made in the install
	 * sandbox, where the wrapper's log is out of reach (its echo fails
	 * and it runs python anyway). */
	EXPECT(runs >= 1);

	/* Warm: no process at all, so well under 100 ms even under ASan. */
	t0 = now_ms();
	EXPECT_INT(env_ensure(&o, &py, &reused, &d), 0);
	elapsed = now_ms() - t0;
	EXPECT(reused);
	EXPECT(elapsed < 100);
	EXPECT_INT(count_lines(log), runs);
	EXPECT(py && strncmp(py, prefix, strlen(prefix)) == 0);
	free(py);
	py = NULL;

	/* Different requirements, different env. */
	puts_file(dir, "requirements.txt", "-r missing.txt\n");
	EXPECT_INT(env_ensure(&o, &py, &reused, &d), 1);
	EXPECT(py == NULL);
	EXPECT(strstr(gbuf_str(&d), "missing.txt") != NULL);
	gbuf_release(&d);
}

/* --unsafe-no-sandbox: installed on the host, and the env still works. */
TEST(ensure_unsafe_on_the_host)
{
	char dir[300], cache[300];
	char *py = NULL;
	struct gbuf d = GBUF_INIT(8192);
	struct env_opts o = { 0 };
	bool reused = true;
	int r;

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "x");
	puts_file(dir, "requirements.txt", "\n");
	snprintf(cache, sizeof(cache), "%s/cache-unsafe", root);
	o.cache_dir = cache;
	o.datadir = GRADER_DATADIR;
	o.checkout = dir;
	o.project_dir = dir;
	o.timeout_ms = 120000;
	o.unsafe_no_sandbox = true;
	r = env_ensure(&o, &py, &reused, &d);
	if (r != 0)
		printf("# %s / %s\n", gbuf_str(&d), err_last());
	EXPECT_INT(r, 0);
	EXPECT(!reused);
	EXPECT(py && access(py, X_OK) == 0);
	EXPECT_INT(sh("%s -c 'import sys; assert sys.prefix != sys.base_prefix'", py), 0);
	EXPECT_INT(count_tmp(cache), 0);
	free(py);
	gbuf_release(&d);
}

TEST(ensure_install_failure)
{
	char dir[300], cache[300];
	char *py = NULL;
	struct gbuf d = GBUF_INIT(8192);
	struct env_opts o = { 0 };
	bool reused = true;
	char path[400];
	DIR *envs;
	struct dirent *de;
	int nenv = 0;

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "x");
	puts_file(dir, "requirements.txt", "this-package-does-not-exist-grader==0.0.1\n");
	snprintf(cache, sizeof(cache), "%s/cache-b", root);
	o.cache_dir = cache;
	o.datadir = GRADER_DATADIR;
	o.checkout = dir;
	o.project_dir = dir;
	o.timeout_ms = 300000;
	setenv("PIP_NO_INDEX", "1", 1);
	EXPECT_INT(env_ensure(&o, &py, &reused, &d), 1);
	unsetenv("PIP_NO_INDEX");
	EXPECT(py == NULL);
	EXPECT(strncmp(gbuf_str(&d), "installing the requirements failed:\n", 36) == 0);
	EXPECT(strstr(gbuf_str(&d), "ERROR") != NULL);
	EXPECT(strstr(gbuf_str(&d), "this-package-does-not-exist-grader") != NULL);
	EXPECT(d.len < 2400);
	EXPECT_INT(count_tmp(cache), 0);
	/* Nothing but the interpreter-version cache is left behind. */
	snprintf(path, sizeof(path), "%s/envs", cache);
	envs = opendir(path);
	EXPECT(envs != NULL);
	while ((de = readdir(envs)))
		if (de->d_name[0] != '.')
			nenv++;
	closedir(envs);
	EXPECT_INT(nenv, 0);
	gbuf_release(&d);
}

TEST(default_cache_dir)
{
	char *saved_g = getenv("GRADER_CACHE_DIR") ? strdup(getenv("GRADER_CACHE_DIR")) : NULL;
	char *saved_x = getenv("XDG_CACHE_HOME") ? strdup(getenv("XDG_CACHE_HOME")) : NULL;
	char *saved_h = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	char *a, *b, *c, *e;

	setenv("GRADER_CACHE_DIR", "/srv/gc", 1);
	setenv("XDG_CACHE_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	a = env_default_cache_dir();
	unsetenv("GRADER_CACHE_DIR");
	b = env_default_cache_dir();
	unsetenv("XDG_CACHE_HOME");
	c = env_default_cache_dir();
	setenv("XDG_CACHE_HOME", "relative", 1);
	e = env_default_cache_dir();
	if (saved_g)
		setenv("GRADER_CACHE_DIR", saved_g, 1);
	if (saved_x)
		setenv("XDG_CACHE_HOME", saved_x, 1);
	else
		unsetenv("XDG_CACHE_HOME");
	if (saved_h)
		setenv("HOME", saved_h, 1);
	free(saved_g);
	free(saved_x);
	free(saved_h);
	EXPECT_STR(a, "/srv/gc");
	EXPECT_STR(b, "/xdg/grader");
	EXPECT_STR(c, "/home/u/.cache/grader");
	EXPECT_STR(e, "/home/u/.cache/grader");
	free(a);
	free(b);
	free(c);
	free(e);
}

static int count_lines_buf(const struct gbuf *b)
{
	const char *p;
	int n = 0;

	for (p = gbuf_str(b); *p; p++)
		n += *p == '\n';
	return n;
}

/* ---- requirement sources, filters, TOML --------------------------------- */

TEST(requirements_other_names)
{
	char dir[300];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "proj/manage.py", "x");
	puts_file(dir, "requirement.txt", "misnamed\n");
	puts_file(dir, "requirements/base.txt", "base\n");
	puts_file(dir, "Pipfile", "[packages]\npipfile = \"*\"\n");
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "misnamed\n");
	EXPECT(ends_with(src, "/requirement.txt"));
	free(src);
	src = NULL;
	EXPECT_INT(sh("rm %s/requirement.txt", dir), 0);
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "base\n");
	EXPECT(ends_with(src, "/requirements/base.txt"));
	free(src);
	src = NULL;
	EXPECT_INT(sh("rm -r %s/requirements", dir), 0);
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "pipfile\n");
	EXPECT(ends_with(src, "/Pipfile"));
	free(src);
	src = NULL;
	/* A split layout without base.txt: its production set, after every
	 * other source (h258). */
	puts_file(dir, "proj/requirements/prod.txt", "prod\n");
	puts_file(dir, "proj/requirements/dev.txt", "-r prod.txt\ndev\n");
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 0);
	EXPECT(ends_with(src, "/Pipfile"));
	free(src);
	src = NULL;
	EXPECT_INT(sh("rm %s/Pipfile", dir), 0);
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "prod\n");
	EXPECT(ends_with(src, "/requirements/prod.txt"));
	free(src);
	src = NULL;
	/* The same set as one file beside manage.py, as a Dockerfile
	 * installs it (h394), last. */
	puts_file(dir, "proj/requirements-prod.txt", "dockerprod\n");
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 0);
	EXPECT(ends_with(src, "/requirements/prod.txt"));
	free(src);
	src = NULL;
	EXPECT_INT(sh("rm -r %s/proj/requirements", dir), 0);
	EXPECT_INT(reqs(dir, "proj", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "dockerprod\n");
	EXPECT(ends_with(src, "/requirements-prod.txt"));
	free(src);
	gbuf_release(&out);
	gbuf_release(&d);
}

TEST(requirements_linux_filters)
{
	static const char text[] = "Django==5.2.19\n"
				   "psycopg2==2.9.9\n"
				   "psycopg2-binary==2.9.9\n"
				   "Psycopg2 >=2.8 ; python_version >= \"3.8\"\n"
				   "pywin32==306\n"
				   "pypiwin32\n"
				   "PyWinPTY>=2\n"
				   "colorama ; sys_platform == \"win32\"\n"
				   "wmi; platform_system=='Windows' and python_version>'3'\n"
				   "uvloop ; sys_platform != \"win32\"\n"
				   "tzdata ; sys_platform == \"win32\" or python_version < \"3.9\"\n"
				   "whitenoise==6.6.0\n"
				   "mysqlclient==2.2.4\n"
				   "MySQL-python==1.2.5\n"
				   "mysqlclient @ https://files.example/mysqlclient-2.2.4-cp311-cp311-linux_x86_64.whl\n"
				   "PyMySQL==1.1.1\n"
				   "pkg-resources==0.0.0\n"
				   "pkg_resources==0.0.0\n"
				   "gunicorn\n";
	char dir[300];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "requirements.txt", text);
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "Django==5.2.19\n"
				   "psycopg2-binary==2.9.9\n"
				   "psycopg2-binary==2.9.9\n"
				   "psycopg2-binary >=2.8 ; python_version >= \"3.8\"\n"
				   "uvloop ; sys_platform != \"win32\"\n"
				   "tzdata ; sys_platform == \"win32\" or python_version < \"3.9\"\n"
				   "whitenoise==6.6.0\n"
				   "mysqlclient @ https://files.example/mysqlclient-2.2.4-cp311-cp311-linux_x86_64.whl\n"
				   "PyMySQL==1.1.1\n"
				   "gunicorn\n");
	free(src);
	gbuf_release(&out);
	gbuf_release(&d);
}

/* The lines left out are said, with why (h408, h413: gone without a
 * word): a Windows-only package, mysqlclient, pip freeze's pkg-resources;
 * not a line whose own marker selects Windows (it says so itself), nor a
 * direct URL, nor psycopg2 (installed as psycopg2-binary). */
TEST(requirements_left_out_are_said)
{
	char dir[300];
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);
	struct env_project pj = ENV_PROJECT_INIT(&out);

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "x");
	puts_file(dir, "requirements.txt",
		  "Django==5.2.19\npywin32==306\ncolorama ; sys_platform == \"win32\"\n"
		  "mysqlclient==2.2.4\npsycopg2==2.9.9\n"
		  "mysqlclient @ https://files.example/mysqlclient-2.2.4-cp311-cp311-linux_x86_64.whl\n"
		  "pkg-resources==0.0.0\n");
	EXPECT_INT(env_read_project(dir, dir, GRADER_DATADIR, false, &pj, &d), 0);
	EXPECT_INT((int)pj.left_out.n, 3);
	if (pj.left_out.n == 3) {
		EXPECT_STR(pj.left_out.v[0],
			   "pywin32==306\tWindows only: it cannot install on Linux, where nothing imports it");
		EXPECT_STR(pj.left_out.v[1],
			   "mysqlclient==2.2.4\tonly Django's MySQL backend uses it, and the grader gives the "
			   "app its own SQLite database (it cannot build without MySQL's headers)");
		EXPECT_STR(pj.left_out.v[2], "pkg-resources==0.0.0\tpip freeze's line for Debian's own "
					     "setuptools: no such release exists");
	}
	env_project_release(&pj);
	gbuf_release(&out);
	gbuf_release(&d);
}

/* A pyproject.toml's lock pins what it leaves open or bounds from below
 * (h809: "django>=5.0.14" as `uv add` writes it, 5.0.14 in uv.lock, graded
 * on Django 6.0), as `uv sync --locked` or `poetry install` installs it;
 * a bound the lock does not meet, any other spec, a lock's version that is
 * no plain release, and a lock that cannot be read change nothing. */
TEST(requirements_pyproject_lock)
{
	static const char pyproject[] =
		"[project]\nname = \"shop\"\nversion = \"0.1.0\"\n"
		"dependencies = [\"django>=5.0.14\", \"djangorestframework\", \"pillow>=99\", "
		"\"django-filter~=23.5\", \"requests>=2 ; python_version >= '3.8'\", \"whitenoise>=6\"]\n";
	char dir[300];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "pyproject.toml", pyproject);
	puts_file(dir, "uv.lock",
		  "version = 1\nrequires-python = \">=3.12\"\n\n"
		  "[[package]]\nname = \"django\"\nversion = \"5.0.14\"\nsource = { registry = \"https://pypi.org/simple\" }\n"
		  "dependencies = [\n    { name = \"asgiref\" },\n]\nwheels = [\n"
		  "    { url = \"https://files.example/django.whl\", hash = \"sha256:00\", size = 8000 },\n]\n\n"
		  "[[package]]\nname = \"DjangoRestFramework\"\nversion = \"3.15.1\"\n\n"
		  "[[package]]\nname = \"pillow\"\nversion = \"10.4.0\"\n\n"
		  "[[package]]\nname = \"django-filter\"\nversion = \"23.5\"\n\n"
		  "[[package]]\nname = \"requests\"\nversion = \"2.31.0\"\n\n"
		  "[[package]]\nname = \"whitenoise\"\nversion = \"6.7.0rc1\"\n\n"
		  "[[package]]\nname = \"shop\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "django==5.0.14\n"
				   "djangorestframework==3.15.1\n"
				   "pillow>=99\n"
				   "django-filter~=23.5\n"
				   "requests==2.31.0 ; python_version >= '3.8'\n"
				   "whitenoise>=6\n");
	free(src);
	src = NULL;
	/* Poetry's lock alike; an unreadable one changes nothing. */
	{
		char lock[400];

		snprintf(lock, sizeof(lock), "%s/uv.lock", dir);
		unlink(lock);
	}
	puts_file(dir, "poetry.lock", "[[package]]\nname = \"django\"\nversion = \"5.0.20\"\ndescription = \"A web framework\"\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT(strncmp(gbuf_str(&out), "django==5.0.20\ndjangorestframework\n", 35) == 0);
	free(src);
	src = NULL;
	puts_file(dir, "poetry.lock", "[[package]\nname = ");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT(strncmp(gbuf_str(&out), "django>=5.0.14\ndjangorestframework\n", 35) == 0);
	free(src);
	gbuf_release(&out);
	gbuf_release(&d);
}

TEST(requirements_pipfile)
{
	static const char pipfile[] =
		"[[source]]\nurl = \"https://pypi.org/simple\"\nverify_ssl = true\nname = \"pypi\"\n\n"
		"[packages]\n"
		"django = \"*\"\n"
		"djangorestframework = \"==3.16.1\"   # pinned\n"
		"pillow = {version = \">=10\", extras = [\"avif\"]}\n"
		"\"django-filter\" = '>=23'\n"
		"pywin32 = \"*\"\n"
		"colorama = {version = \"*\", sys_platform = \"== 'win32'\"}\n"
		"psycopg2 = \"==2.9.9\"\n"
		"requests = {version = \"*\", markers = \"python_version >= '3.8'\"}\n"
		"myproject = {path = \".\", editable = true}\n"
		"\n[dev-packages]\npytest = \"*\"\n\n"
		"[requires]\npython_version = \"3.10\"\n";
	char dir[300];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "Pipfile", pipfile);
	puts_file(dir, "Pipfile.lock", "{}");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "django\n"
				   "djangorestframework==3.16.1\n"
				   "pillow[avif]>=10\n"
				   "django-filter>=23\n"
				   "psycopg2-binary==2.9.9\n"
				   "requests ; python_version >= '3.8'\n");
	EXPECT(ends_with(src, "/Pipfile"));
	free(src);
	src = NULL;

	/* Its Pipfile.lock pins what the Pipfile leaves open (h728: django =
	 * "*", 3.2 in the lock), as `pipenv install --deploy` installs it; a
	 * version of the Pipfile's own stays, and a lock's version that is
	 * no plain version is not taken. */
	puts_file(dir, "Pipfile.lock",
		  "{\"_meta\": {}, \"default\": {"
		  "\"django\": {\"hashes\": [], \"version\": \"==3.2.25\"},"
		  "\"djangorestframework\": {\"version\": \"==3.14.0\"},"
		  "\"pillow\": {\"version\": \"==10.4.0\"},"
		  "\"Django_Filter\": {\"version\": \"==23.5\"},"
		  "\"psycopg2-binary\": {\"version\": \"==2.9.9\"},"
		  "\"requests\": {\"version\": \"==2.31.0\\n-r /etc/passwd\"}},"
		  "\"develop\": {\"pytest\": {\"version\": \"==8.0.0\"}}}");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "django==3.2.25\n"
				   "djangorestframework==3.16.1\n"
				   "pillow[avif]>=10\n"
				   "django-filter>=23\n"
				   "psycopg2-binary==2.9.9\n"
				   "requests ; python_version >= '3.8'\n");
	free(src);
	src = NULL;
	puts_file(dir, "Pipfile", "[packages]\nDjango = \"*\"\nrequests = {version = \"*\", markers = "
		  "\"python_version >= '3.8'\"}\n");
	puts_file(dir, "Pipfile.lock", "{\"default\": {\"django\": {\"version\": \"==3.2.25\"}, "
		  "\"requests\": {\"version\": \"==2.31.0\"}}}");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "Django==3.2.25\nrequests==2.31.0 ; python_version >= '3.8'\n");
	free(src);
	src = NULL;
	puts_file(dir, "Pipfile", pipfile);
	puts_file(dir, "Pipfile.lock", "not json");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT(strncmp(gbuf_str(&out), "django\n", 7) == 0);
	free(src);
	src = NULL;

	/* An empty [packages] declares nothing: the default runtime. */
	puts_file(dir, "Pipfile", "[packages]\n\n[dev-packages]\npytest = \"*\"\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT(strstr(gbuf_str(&out), "Django==") != NULL);
	EXPECT_STR(src, GRADER_DATADIR "/runtime/requirements.txt");
	free(src);
	src = NULL;

	/* A key or value that would become a pip option is refused. */
	puts_file(dir, "Pipfile", "[packages]\n\"--index-url http://127.0.0.1:1/\" = \"*\"\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&d), "Pipfile:2: the dependency '--index-url") != NULL);
	EXPECT_INT(out.len, 0);
	puts_file(dir, "Pipfile", "[packages]\ndjango = \"==5.2\\n-r /etc/passwd\"\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&d), "Pipfile:2:") != NULL);
	EXPECT_INT(out.len, 0);
	puts_file(dir, "Pipfile", "[packages]\nlocal = {path = \"../elsewhere\"}\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&d), "Pipfile:2: 'local': local path") != NULL);
	gbuf_release(&out);
	gbuf_release(&d);
}

TEST(requirements_pep621)
{
	static const char pyproject[] =
		"[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n"
		"[project]\nname = \"shop\"\nversion = \"0.1.0\"\nrequires-python = \">=3.10\"\n"
		"dependencies = [\n"
		"  \"Django>=5.0,<6\",  # the framework\n"
		"  'djangorestframework',\n"
		"  \"psycopg2>=2.9\",\n"
		"  \"pywin32>=306; sys_platform == 'win32'\",\n"
		"  \"\"\"whitenoise\"\"\",\n"
		"]\n"
		"[project.optional-dependencies]\ndev = [\"pytest\"]\n\n"
		"[tool.black]\nline-length = 88\ntarget-version = ['py310']\n"
		"[tool.ruff.lint]\nselect = [\"E\", \"F\"]\nignore = []\nfixable = [\"ALL\"]\n"
		"[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = \"shop.settings\"\naddopts = \"-q\"\n"
		"timeout = 1.5\nstrict = false\n";
	char dir[300];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "shop/manage.py", "x");
	puts_file(dir, "pyproject.toml", pyproject);
	EXPECT_INT(reqs(dir, "shop", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "Django>=5.0,<6\ndjangorestframework\npsycopg2-binary>=2.9\nwhitenoise\n");
	EXPECT(ends_with(src, "/pyproject.toml"));
	free(src);
	src = NULL;

	/* Tool configuration only: nothing declared, the default runtime. */
	puts_file(dir, "pyproject.toml", "[tool.black]\nline-length = 100\n");
	EXPECT_INT(reqs(dir, "shop", &out, &src, &d), 0);
	EXPECT_STR(src, GRADER_DATADIR "/runtime/requirements.txt");
	free(src);
	gbuf_release(&out);
	gbuf_release(&d);
}

/* Code that runs only while debugging (h383: debug_toolbar added to
 * INSTALLED_APPS and the URLs under `if DEBUG:`, declared only in a dev
 * group) is installed unsaid, as test code is: a deployment with DEBUG off
 * never imports it. The block ends where the indentation does; a negated
 * condition is production code. */
TEST(infer_debug_only_code_is_not_required)
{
	static const char settings[] =
		"import os\nDEBUG = os.environ.get('DEBUG') == '1'\n"
		"INSTALLED_APPS = ['django.contrib.admin']\n"
		"if DEBUG:\n    INSTALLED_APPS += ['debug_toolbar']\n\n    # the toolbar's middleware\n"
		"    MIDDLEWARE = ['debug_toolbar.middleware.DebugToolbarMiddleware']\n"
		"import environ\n";
	static const char urls[] =
		"from django.conf import settings\nurlpatterns = []\n"
		"if settings.DEBUG and not TESTING:\n    import debug_toolbar\n"
		"if not settings.DEBUG:\n    import sentry_sdk\n";

	infer_expect("shop/settings.py", settings, "Django==5.2\n", "django-environ");
	infer_expect("shop/urls.py", urls, "Django==5.2\n", "sentry-sdk");
	infer_expect("shop/urls.py", "if DEBUG == False:\n    import debug_toolbar\n", "Django==5.2\n",
		     "django-debug-toolbar");
}

/* A file in a folder between manage.py's and the root counts, nearer
 * first (h371: backend/pyproject.toml beside backend/src/manage.py, a
 * Poetry monorepo, was ignored for the default runtime and interpreter);
 * beside manage.py still wins, and the root comes last. */
TEST(requirements_from_a_folder_between_the_project_and_the_root)
{
	char dir[300], proj[400];
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);
	struct env_project pj = ENV_PROJECT_INIT(&out);

	new_case(dir, sizeof(dir));
	puts_file(dir, "backend/src/manage.py", "x");
	puts_file(dir, "backend/pyproject.toml",
		  "[tool.poetry.dependencies]\npython = \"^3.11\"\nDjango = \"^5.1\"\n"
		  "django-cors-headers = \"^4.4\"\n");
	puts_file(dir, "frontend/package.json", "{}");
	snprintf(proj, sizeof(proj), "%s/backend/src", dir);
	EXPECT_INT(env_read_project(dir, proj, GRADER_DATADIR, true, &pj, &d), 0);
	EXPECT_STR(pj.source_display ? pj.source_display : "(null)", "backend/pyproject.toml");
	EXPECT_STR(gbuf_str(&out), "Django>=5.1,<6.0\ndjango-cors-headers>=4.4,<5.0\n");
	EXPECT_STR(pj.python_from ? pj.python_from : "(null)", "backend/pyproject.toml");
	env_project_release(&pj);

	/* Nearer wins: backend/src's own, then backend's, then the root's. */
	pj = (struct env_project)ENV_PROJECT_INIT(&out);
	puts_file(dir, "requirements.txt", "Django==4.2\n");
	puts_file(dir, "backend/src/requirements.txt", "Django==5.2\n");
	EXPECT_INT(env_read_project(dir, proj, GRADER_DATADIR, false, &pj, &d), 0);
	EXPECT_STR(pj.source_display ? pj.source_display : "(null)", "backend/src/requirements.txt");
	env_project_release(&pj);
	gbuf_release(&out);
	gbuf_release(&d);
}

/* A project (manage.py, and shop/views.py importing DRF and
 * django-environ) with `file` holding `text`, and a requirements.txt
 * holding `reqs` unless NULL: the inferred distributions its requirements
 * source names only in a group it does not install, '|'-joined. */
static void grouped_expect(const char *file, const char *text, const char *reqs, const char *want)
{
	char dir[300];
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024), got = GBUF_INIT(4096);
	struct env_project pj = ENV_PROJECT_INIT(&out);
	size_t i;

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "import os\n");
	puts_file(dir, "shop/views.py", "import environ\nfrom rest_framework import viewsets\n");
	puts_file(dir, file, text);
	if (reqs)
		puts_file(dir, "requirements.txt", reqs);
	EXPECT_INT(env_read_project_inferred(dir, dir, GRADER_DATADIR, false, &pj, &d), 0);
	for (i = 0; i < pj.inferred_grouped.n; i++)
		gbuf_addf(&got, "%s%s", i ? "|" : "", pj.inferred_grouped.v[i]);
	EXPECT_STR(gbuf_str(&got), want);
	env_project_release(&pj);
	gbuf_release(&out);
	gbuf_release(&d);
	gbuf_release(&got);
}

/* A package the code needs that the requirements file names only in a
 * group it does not install (a Poetry dev group, PEP 735's
 * [dependency-groups] as `uv add --dev` writes, an extra, Pipfile's
 * [dev-packages]) is still inferred and installed, and said to be there,
 * with where it belongs (h371: "does not declare" for a Poetry dev group).
 * A group of a file that is not the source says nothing. */
TEST(inferred_packages_found_only_in_groups)
{
	grouped_expect("pyproject.toml",
		       "[tool.poetry.dependencies]\npython = \"^3.11\"\nDjango = \"^5.1\"\n\n"
		       "[tool.poetry.group.dev.dependencies]\ndjangorestframework = \"^3.15\"\n",
		       NULL, "djangorestframework\t[tool.poetry.group.dev.dependencies]\t[tool.poetry.dependencies]");
	grouped_expect("pyproject.toml",
		       "[tool.poetry.dependencies]\nDjango = \"^5.1\"\n\n[tool.poetry.dev-dependencies]\n"
		       "Django_Environ = \"*\"\n",
		       NULL, "django-environ\t[tool.poetry.dev-dependencies]\t[tool.poetry.dependencies]");
	grouped_expect("pyproject.toml",
		       "[project]\nname = \"shop\"\ndependencies = [\"Django>=5.1\"]\n\n[dependency-groups]\n"
		       "dev = [\"djangorestframework>=3.15\", {include-group = \"lint\"}]\nlint = [\"ruff\"]\n",
		       NULL, "djangorestframework\t[dependency-groups] dev\t[project] dependencies");
	grouped_expect("pyproject.toml",
		       "[project]\nname = \"shop\"\ndependencies = [\"Django>=5.1\"]\n"
		       "optional-dependencies = {api = [\"djangorestframework\"], env = [\"django-environ[x] ; python_version > '3'\"]}\n",
		       NULL, "django-environ\t[project.optional-dependencies] env\t[project] dependencies|"
		       "djangorestframework\t[project.optional-dependencies] api\t[project] dependencies");
	grouped_expect("Pipfile", "[packages]\ndjango = \"*\"\n\n[dev-packages]\ndjangorestframework = \"*\"\n", NULL,
		       "djangorestframework\t[dev-packages]\t[packages]");
	grouped_expect("pyproject.toml",
		       "[project]\nname = \"shop\"\ndependencies = [\"Django\"]\n[dependency-groups]\n"
		       "dev = [\"djangorestframework\"]\n",
		       "Django==5.2\n", "");
	/* Another requirements file beside requirements.txt, or in a
	 * requirements/ folder beside it (h389: requirements-dev.txt). */
	grouped_expect("requirements-dev.txt", "-r requirements.txt\n# tools\ndjango-environ==0.12  # env\n",
		       "Django==5.2\ndjangorestframework\n", "django-environ\trequirements-dev.txt\trequirements.txt");
	grouped_expect("requirements/local.txt", "-r ../requirements.txt\n   Django-Environ>=0.11\n",
		       "Django==5.2\ndjangorestframework\n",
		       "django-environ\trequirements/local.txt\trequirements.txt");
	/* A file named otherwise is not a requirements file. */
	grouped_expect("notes.txt", "django-environ\n", "Django==5.2\ndjangorestframework\n", "");
}

/* requirements/base.txt's siblings in requirements/ (h388: sentry-sdk in
 * production.txt, django-extensions in local.txt): the packages said to
 * be there, each with the file that lists it. */
TEST(inferred_packages_found_in_sibling_requirement_files)
{
	char dir[300];
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024), got = GBUF_INIT(4096);
	struct env_project pj = ENV_PROJECT_INIT(&out);
	size_t i;

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "import os\n");
	puts_file(dir, "config/settings/production.py", "import sentry_sdk\n");
	puts_file(dir, "config/settings/local.py", "import django_extensions\n");
	puts_file(dir, "requirements/base.txt", "Django==5.2\n");
	puts_file(dir, "requirements/local.txt", "-r base.txt\ndjango-extensions==3.2\n");
	puts_file(dir, "requirements/production.txt", "-r base.txt\nsentry-sdk==2.0\n");
	EXPECT_INT(env_read_project_inferred(dir, dir, GRADER_DATADIR, false, &pj, &d), 0);
	EXPECT_STR(pj.source_display, "requirements/base.txt");
	for (i = 0; i < pj.inferred_grouped.n; i++)
		gbuf_addf(&got, "%s%s", i ? "|" : "", pj.inferred_grouped.v[i]);
	EXPECT(strstr(gbuf_str(&got), "django-extensions\trequirements/local.txt\trequirements/base.txt") != NULL);
	EXPECT(strstr(gbuf_str(&got), "sentry-sdk\trequirements/production.txt\trequirements/base.txt") != NULL);
	env_project_release(&pj);
	gbuf_release(&out);
	gbuf_release(&d);
	gbuf_release(&got);
}

/* A pyproject.toml whose packages are all in groups (uv's `uv add --dev`
 * of everything, an extra for each) declares nothing a deployment
 * installs: the default runtime is used, and the groups are kept with the
 * file's name, so that a package the code needs is said to be in them,
 * not missing from a requirements.txt the project does not have (h383).
 * Without a `dependencies` key, PEP 621's list is still where they
 * belong, not Poetry's. */
TEST(groups_only_pyproject_keeps_its_groups)
{
	static const char *const texts[] = {
		"[project]\nname = \"shop\"\ndependencies = []\n[dependency-groups]\n"
		"dev = [\"django-environ\", \"ruff\"]\n",
		"[project]\nname = \"shop\"\n[project.optional-dependencies]\ndev = [\"django-environ\"]\n",
	};
	static const char *const want[] = {
		"django-environ\t[dependency-groups] dev\t[project] dependencies",
		"django-environ\t[project.optional-dependencies] dev\t[project] dependencies",
	};
	size_t k;

	for (k = 0; k < 2; k++) {
		char dir[300];
		struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);
		struct env_project pj = ENV_PROJECT_INIT(&out);

		new_case(dir, sizeof(dir));
		puts_file(dir, "manage.py", "import os\n");
		puts_file(dir, "shop/views.py", "import environ\n");
		puts_file(dir, "pyproject.toml", texts[k]);
		EXPECT_INT(env_read_project_inferred(dir, dir, GRADER_DATADIR, false, &pj, &d), 0);
		EXPECT_STR(pj.source_display, "(default runtime)");
		EXPECT_STR(pj.grouped_from ? pj.grouped_from : "(null)", "pyproject.toml");
		EXPECT_INT((int)pj.inferred_grouped.n, 1);
		if (pj.inferred_grouped.n == 1)
			EXPECT_STR(pj.inferred_grouped.v[0], want[k]);
		env_project_release(&pj);
		gbuf_release(&out);
		gbuf_release(&d);
	}
}

TEST(requirements_poetry)
{
	static const char pyproject[] =
		"[tool.poetry]\nname = \"shop\"\nversion = \"0.1.0\"\nauthors = [\"A <a@b.c>\"]\n\n"
		"[tool.poetry.dependencies]\n"
		"python = \"^3.10\"\n"
		"Django = \"^4.2.3\"\n"
		"djangorestframework = \"~3.14\"\n"
		"pillow = \"*\"\n"
		"zero = \"^0.2.3\"\n"
		"zerozero = \"^0.0.3\"\n"
		"major = \"^2\"\n"
		"tildemajor = \"~1\"\n"
		"exact = \"1.2.3\"\n"
		"ranged = \">= 1.0, < 2.0\"\n"
		"compat = \"~=1.4\"\n"
		"celery = {version = \"^5.3\", extras = [\"redis\", \"msgpack\"]}\n"
		"optdep = {version = \"*\", optional = true}\n"
		"winonly = {version = \"*\", platform = \"win32\"}\n"
		"psycopg2 = \"^2.9\"\n"
		"\n[tool.poetry.group.dev.dependencies]\npytest = \"^8\"\n"
		"[build-system]\nrequires = [\"poetry-core\"]\n";
	char dir[300];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "pyproject.toml", pyproject);
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "Django>=4.2.3,<5.0.0\n"
				   "djangorestframework>=3.14,<3.15\n"
				   "pillow\n"
				   "zero>=0.2.3,<0.3.0\n"
				   "zerozero>=0.0.3,<0.0.4\n"
				   "major>=2,<3\n"
				   "tildemajor>=1,<2\n"
				   "exact==1.2.3\n"
				   "ranged>=1.0,<2.0\n"
				   "compat~=1.4\n"
				   "celery[redis,msgpack]>=5.3,<6.0\n"
				   "psycopg2-binary>=2.9,<3.0\n");
	free(src);
	src = NULL;

	/* "||" has no pip spelling: said so, with the line. */
	puts_file(dir, "pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.10\"\n"
					 "django = \"^4.2 || ^5.0\"\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT(strstr(gbuf_str(&d), "pyproject.toml:3: '^4.2 || ^5.0'") != NULL);
	gbuf_release(&out);
	gbuf_release(&d);
}

TEST(requirements_toml_malformed)
{
	char dir[300];
	char *src = NULL;
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);

	new_case(dir, sizeof(dir));
	puts_file(dir, "pyproject.toml", "[project]\nname = \"x\"\ndependencies = [\"django\"\n"
					 "  \"pillow\"]\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT_STR(gbuf_str(&d), "pyproject.toml:4: expected ',' or ']' in an array");
	puts_file(dir, "pyproject.toml", "[project]\nname = \"x\ndependencies = []\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT_STR(gbuf_str(&d), "pyproject.toml:2: unterminated string");
	puts_file(dir, "pyproject.toml", "[project\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT_STR(gbuf_str(&d), "pyproject.toml:1: expected ']' after a table name");
	puts_file(dir, "pyproject.toml", "\n\n[project]\ndependencies = [\"a\"] junk\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 1);
	EXPECT_STR(gbuf_str(&d), "pyproject.toml:4: expected the end of the line");
	EXPECT(src == NULL);
	EXPECT_INT(out.len, 0);
	/* Escapes are decoded, \u included. */
	puts_file(dir, "pyproject.toml", "[project]\ndependencies = [\"caf\\u00e9-lib\", 'lit\\eral']\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "caf\xc3\xa9-lib\nlit\\eral\n");
	free(src);
	src = NULL;
	puts_file(dir, "pyproject.toml", "[project]\ndependencies = [\"dj\\u0061ngo\"]\n");
	EXPECT_INT(reqs(dir, "", &out, &src, &d), 0);
	EXPECT_STR(gbuf_str(&out), "django\n");
	free(src);
	gbuf_release(&out);
	gbuf_release(&d);
}

/* ---- interpreter choice ------------------------------------------------- */

static char fakebin[300], fakelog[300];

/* A fake interpreter that answers the version probe (or fails) and logs. */
static void fake_python(const char *path, const char *version)
{
	char script[1024];

	if (version)
		snprintf(script, sizeof(script), "#!/bin/sh\necho run >> %s\necho 'GRADER-VERSION:%s (fake)'\n",
			 fakelog, version);
	else
		snprintf(script, sizeof(script), "#!/bin/sh\necho run >> %s\necho 'pyenv: no such version' >&2\n"
			 "exit 127\n", fakelog);
	puts_file("/", path, script);
	chmod(path, 0755);
}

/* env_plan for a project whose files besides manage.py are `rel` and,
 * when rel2 is not NULL, rel2. */
static int plan_with2(const char *rel, const char *text, const char *rel2, const char *text2, const char *python,
		      struct env_info *info)
{
	char dir[300], cache[400];
	struct env_opts o = { 0 };
	struct gbuf d = GBUF_INIT(4096);
	int rc;

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "x");
	if (rel)
		puts_file(dir, rel, text);
	if (rel2)
		puts_file(dir, rel2, text2);
	snprintf(cache, sizeof(cache), "%s/cache-plan", root);
	o.cache_dir = cache;
	o.datadir = GRADER_DATADIR;
	o.checkout = dir;
	o.project_dir = dir;
	o.python = python;
	rc = env_plan(&o, info, &d);
	gbuf_release(&d);
	return rc;
}

/* env_plan for a project whose only file besides manage.py is `rel`. */
static int plan_with(const char *rel, const char *text, const char *python, struct env_info *info)
{
	return plan_with2(rel, text, NULL, NULL, python, info);
}

TEST(python_choice)
{
	char p16[400], p18[400], p19[400], p17[400], path[700], *saved_path;
	struct env_info info = { 0 };
	int runs;

	snprintf(fakebin, sizeof(fakebin), "%s/fakebin", root);
	snprintf(fakelog, sizeof(fakelog), "%s/fakebin.log", root);
	snprintf(p16, sizeof(p16), "%s/other/mypython", root);
	snprintf(p17, sizeof(p17), "%s/python3.17", fakebin);
	snprintf(p18, sizeof(p18), "%s/python3.18", fakebin);
	snprintf(p19, sizeof(p19), "%s/python3.19", fakebin);
	/* Versions no real machine has, so /usr/bin never competes. */
	fake_python(p16, "3.16.0");
	fake_python(p17, NULL); /* a pyenv shim for a version not selected */
	fake_python(p18, "3.18.2");
	fake_python(p19, "3.19.1");
	saved_path = strdup(getenv("PATH"));
	snprintf(path, sizeof(path), "%s:%s", fakebin, saved_path);
	setenv("PATH", path, 1);
	setenv("GRADER_PYTHONS", p16, 1);
	setenv("GRADER_PYTHON", "/usr/bin/python3", 1);

	EXPECT_INT(plan_with(NULL, NULL, NULL, &info), 0);
	EXPECT_STR(info.base_python, "/usr/bin/python3");
	EXPECT(strstr(info.python_reason, "names no usable Python version") != NULL);
	EXPECT_STR(info.requirements_source, "(default runtime)");
	EXPECT(!info.reused);
	env_info_release(&info);

	EXPECT_INT(plan_with(".python-version", "3.18.0\n", NULL, &info), 0);
	EXPECT_STR(info.base_python, p18);
	EXPECT_STR(info.base_version, "3.18.2");
	EXPECT_STR(info.python_reason, ".python-version asks for Python '==3.18.*'; using 3.18.2");
	env_info_release(&info);

	EXPECT_INT(plan_with("runtime.txt", "python-3.19.4", NULL, &info), 0);
	EXPECT_STR(info.base_python, p19);
	env_info_release(&info);

	EXPECT_INT(plan_with("Pipfile", "[packages]\ndjango = \"*\"\n[requires]\npython_version = \"3.16\"\n",
			     NULL, &info), 0);
	EXPECT_STR(info.base_python, p16);
	EXPECT_STR(info.requirements_source, "Pipfile");
	env_info_release(&info);

	/* The newest that satisfies; the broken one is passed over. */
	EXPECT_INT(plan_with("pyproject.toml", "[project]\nrequires-python = \">=3.17\"\n", NULL, &info), 0);
	EXPECT_STR(info.base_python, p19);
	env_info_release(&info);
	EXPECT_INT(plan_with("pyproject.toml", "[project]\nrequires-python = \">=3.16,<3.19\"\n", NULL, &info), 0);
	EXPECT_STR(info.base_python, p18);
	env_info_release(&info);
	EXPECT_INT(plan_with("pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.19\"\n", NULL, &info), 0);
	EXPECT_STR(info.base_python, p19);
	EXPECT(strstr(info.python_reason, "'>=3.19,<4.0'") != NULL);
	env_info_release(&info);

	/* The default satisfies: it is kept (envs shared with everyone). */
	EXPECT_INT(plan_with("pyproject.toml", "[project]\nrequires-python = \">=3.8\"\n", NULL, &info), 0);
	EXPECT_STR(info.base_python, "/usr/bin/python3");
	EXPECT(strstr(info.python_reason, "the default") != NULL);
	env_info_release(&info);

	/* Nothing satisfies an older Python's spec: the default, said so. */
	EXPECT_INT(plan_with(".python-version", "3.7", NULL, &info), 0);
	EXPECT_STR(info.base_python, "/usr/bin/python3");
	EXPECT(strstr(info.python_reason, "no installed interpreter satisfies it") != NULL);
	env_info_release(&info);
	/* Nothing satisfies a newer one's (3.17 does not run): the nearest
	 * installed below it, not the default (h464: .python-version 3.14,
	 * not installed, failed Django 6 on the default 3.11). */
	EXPECT_INT(plan_with(".python-version", "3.17", NULL, &info), 0);
	EXPECT_STR(info.base_python, p16);
	EXPECT_STR(info.python_reason, ".python-version asks for Python '==3.17.*', which is not installed here; "
		   "using the nearest installed, 3.16.0 (name an installed version to choose)");
	env_info_release(&info);
	/* Beside a requires-python, the newest that allows. */
	EXPECT_INT(plan_with2(".python-version", "3.17", "pyproject.toml", "[project]\nrequires-python = \">=3.18\"\n",
			      NULL, &info), 0);
	EXPECT_STR(info.base_python, p19);
	EXPECT_STR(info.python_reason, ".python-version asks for Python '==3.17.*', which is not installed here; "
		   "using 3.19.1, which pyproject.toml allows ('>=3.18')");
	env_info_release(&info);

	/* Not CPython: noted, default. */
	EXPECT_INT(plan_with(".python-version", "pypy3.9-7.3.11\n", NULL, &info), 0);
	EXPECT_STR(info.base_python, "/usr/bin/python3");
	EXPECT(strstr(info.python_reason, "the project names no usable Python version) (ignored: .python-version "
					  "names pypy3.9-7.3.11, not a CPython 3 version)") != NULL);
	env_info_release(&info);

	/* --python wins over what the project says. */
	EXPECT_INT(plan_with(".python-version", "3.19", p18, &info), 0);
	EXPECT_STR(info.base_python, p18);
	EXPECT_STR(info.python_reason, "given with --python");
	env_info_release(&info);

	/* Every probe answer, failures included, is cached. */
	runs = count_lines(fakelog);
	EXPECT_INT(plan_with(".python-version", "3.17", NULL, &info), 0);
	env_info_release(&info);
	EXPECT_INT(plan_with(".python-version", "3.18", NULL, &info), 0);
	EXPECT_INT(count_lines(fakelog), runs);
	env_info_release(&info);

	setenv("PATH", saved_path, 1);
	free(saved_path);
	unsetenv("GRADER_PYTHONS");
	unsetenv("GRADER_PYTHON");
}

TEST(spec_translation_and_info)
{
	char dir[300], cache[300];
	struct env_opts o = { 0 };
	struct env_info info = { 0 };
	struct gbuf d = GBUF_INIT(4096);
	long t0, elapsed;

	/* A built env reports its source and base, and env_plan then finds
	 * it, fast (what tests/bench times as the warm path). */
	new_case(dir, sizeof(dir));
	puts_file(dir, "site/manage.py", "x");
	puts_file(dir, "site/requirements.txt", "# nothing\n");
	snprintf(cache, sizeof(cache), "%s/cache-info", root);
	o.cache_dir = cache;
	o.datadir = GRADER_DATADIR;
	o.checkout = dir;
	o.project_dir = dir;
	o.timeout_ms = 120000;
	{
		char proj[400];

		snprintf(proj, sizeof(proj), "%s/site", dir);
		o.project_dir = proj;
		EXPECT_INT(env_ensure_info(&o, &info, &d), 0);
		EXPECT(!info.reused);
		EXPECT_STR(info.requirements_source, "site/requirements.txt");
		EXPECT(info.python && strstr(info.python, info.key) != NULL);
		EXPECT(info.base_version && info.base_version[0] == '3');
		env_info_release(&info);
		t0 = now_ms();
		EXPECT_INT(env_plan(&o, &info, &d), 0);
		elapsed = now_ms() - t0;
		EXPECT(info.reused);
		EXPECT(elapsed < 100);
		env_info_release(&info);
	}
	gbuf_release(&d);
}

/* ---- uv ------------------------------------------------------------------- */

/* uv from PATH, else from $GRADER_TEST_UV (a folder holding it). */
static bool find_uv_dir(char *out, size_t n)
{
	const char *extra = getenv("GRADER_TEST_UV");
	char cmd[600];

	if (sh("command -v uv >/dev/null 2>&1") == 0) {
		FILE *p = popen("dirname \"$(command -v uv)\"", "r");

		if (p && fgets(out, (int)n, p)) {
			out[strcspn(out, "\n")] = '\0';
			pclose(p);
			return true;
		}
		if (p)
			pclose(p);
	}
	if (extra && *extra) {
		snprintf(cmd, sizeof(cmd), "test -x %s/uv", extra);
		if (sh("%s", cmd) == 0) {
			snprintf(out, n, "%s", extra);
			return true;
		}
	}
	return false;
}

TEST(ensure_with_uv_offline)
{
	char uvdir[400], dir[300], cache[300], wheels[400], reqtext[800], path[1200], cfg[400];
	char priv[400], want[500];
	char *saved_path = strdup(getenv("PATH")), *py = NULL;
	struct gbuf d = GBUF_INIT(8192);
	struct env_opts o = { 0 };
	bool reused = true;
	int erc;

	if (!find_uv_dir(uvdir, sizeof(uvdir))) {
		printf("not ok ensure_with_uv_offline - uv not found on PATH nor in $GRADER_TEST_UV "
		       "(pip install uv)\n");
		t_failed_now = 1;
		free(saved_path);
		return;
	}
	/* A wheel built here, from a tiny package, found through a local
	 * --find-links folder: nothing leaves the machine. */
	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "x");
	/* Inside the checkout: the install sandbox sees nothing else of the
	 * host, and a relative --find-links is read from the requirements
	 * file's folder, as pip does there on the student's machine. */
	snprintf(wheels, sizeof(wheels), "%s/wheels", dir);
	EXPECT_INT(sh("mkdir -p %s && cd %s && /usr/bin/python3 - <<'PY'\n"
		      "import base64, hashlib, zipfile\n"
		      "files = {'graderdemo/__init__.py': b'VALUE = 42\\n',\n"
		      " 'graderdemo-1.0.dist-info/METADATA': b'Metadata-Version: 2.1\\nName: graderdemo\\nVersion: 1.0\\n',\n"
		      " 'graderdemo-1.0.dist-info/WHEEL': b'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}\n"
		      "rec = ''.join('%%s,sha256=%%s,%%d\\n' %% (n, base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b'=').decode(), len(b)) for n, b in files.items())\n"
		      "rec += 'graderdemo-1.0.dist-info/RECORD,,\\n'\n"
		      "with zipfile.ZipFile('graderdemo-1.0-py3-none-any.whl', 'w') as z:\n"
		      "    [z.writestr(n, b) for n, b in files.items()]\n"
		      "    z.writestr('graderdemo-1.0.dist-info/RECORD', rec)\n"
		      "PY", wheels, wheels), 0);
	snprintf(reqtext, sizeof(reqtext), "--no-index\n--find-links ./wheels\ngraderdemo==1.0\n");
	puts_file(dir, "requirements.txt", reqtext);
	snprintf(cache, sizeof(cache), "%s/cache-uv", root);
	/* Option lines: the env is private to the submission, in its folder. */
	snprintf(priv, sizeof(priv), "%s/private-uv", root);
	EXPECT_INT(sh("mkdir -p %s", priv), 0);
	o.private_dir = priv;
	o.cache_dir = cache;
	o.datadir = GRADER_DATADIR;
	o.checkout = dir;
	o.project_dir = dir;
	o.timeout_ms = 120000;
	snprintf(path, sizeof(path), "%s:%s", uvdir, saved_path);
	setenv("PATH", path, 1);
	setenv("UV_OFFLINE", "1", 1);
	snprintf(path, sizeof(path), "%s/uv-cache", root);
	setenv("UV_CACHE_DIR", path, 1);
	erc = env_ensure(&o, &py, &reused, &d);
	setenv("PATH", saved_path, 1);
	free(saved_path);
	if (erc != 0)
		printf("# %s\n", gbuf_str(&d));
	EXPECT_INT(erc, 0);
	EXPECT(!reused);
	snprintf(want, sizeof(want), "%s/env/bin/python", priv);
	EXPECT(py && !strcmp(py, want));
	EXPECT_INT(sh("%s -c 'import graderdemo; assert graderdemo.VALUE == 42'", py), 0);
	/* Bytecode written at install, as pip does: the app cannot write it
	 * into the read-only env, and would compile every module each boot. */
	EXPECT_INT(sh("ls %s/env/lib/python3*/site-packages/graderdemo/__pycache__/__init__.cpython-*.pyc >/dev/null", priv), 0);
	/* Published read-only, and nothing of it in the shared cache. */
	EXPECT_INT(sh("test -z \"$(find %s/env -perm /222 ! -type l)\"", priv), 0);
	EXPECT_INT(sh("test -z \"$(ls %s/envs 2>/dev/null | grep -v '^\\.')\"", cache), 0);
	EXPECT_INT(sh("test ! -e %s/env.work", priv), 0);
	/* Made by uv, not by python -m venv: uv records itself. */
	snprintf(cfg, sizeof(cfg), "%.*spyvenv.cfg", (int)(strlen(py) - strlen("bin/python")), py);
	EXPECT_INT(sh("grep -q '^uv = ' %s", cfg), 0);
	free(py);
	gbuf_release(&d);
}

/* The newest installed interpreter for a version the code needs: python3.X
 * on PATH and $GRADER_PYTHONS (fakes of versions no machine has), a shim
 * that does not run skipped, and a pyenv shim that does; none for a
 * version nothing has. */
TEST(find_newer_python)
{
	char bin[300], p21[400], p22[400], p23[400], extra[400], path[900], cache[400];
	char *saved_path = strdup(getenv("PATH")), *py = NULL, *ver = NULL;
	int r1, r2, r3, r4;

	snprintf(bin, sizeof(bin), "%s/newerbin", root);
	snprintf(p21, sizeof(p21), "%s/python3.16", bin);
	snprintf(p22, sizeof(p22), "%s/python3.17", bin);
	snprintf(p23, sizeof(p23), "%s/python3.18", bin);
	snprintf(extra, sizeof(extra), "%s/elsewhere/py", root);
	snprintf(cache, sizeof(cache), "%s/cache-newer", root);
	snprintf(fakelog, sizeof(fakelog), "%s/newerbin.log", root);
	fake_python(p21, "3.16.1");
	fake_python(p22, "3.17.0");
	fake_python(p23, NULL);        /* a pyenv shim for a version not selected */
	fake_python(extra, "3.16.4");
	snprintf(path, sizeof(path), "%s:%s", bin, saved_path);
	setenv("PATH", path, 1);
	setenv("GRADER_PYTHONS", extra, 1);
	r1 = env_find_python(cache, ">=3.16", &py, &ver);
	if (r1 == 0)
		r1 = strcmp(py, p22) || strcmp(ver, "3.17.0") ? 9 : 0;
	free(py);
	free(ver);
	r2 = env_find_python(cache, "==3.16.*", &py, &ver);
	if (r2 == 0)
		r2 = strcmp(py, extra) || strcmp(ver, "3.16.4") ? 9 : 0;
	free(py);
	free(ver);
	r3 = env_find_python(cache, ">=3.18", &py, &ver);
	free(py);
	free(ver);
	/* A pyenv shim whose version the caller's folder selects: it runs
	 * here, and would not inside the sandbox (h259). */
	snprintf(p23, sizeof(p23), "%s/python3.19", bin);
	puts_file("/", p23, "#!/usr/bin/env bash\necho 'GRADER-VERSION:3.19.0 (shim)'\n"
		  "exit 0\nexec \"/root/.pyenv/libexec/pyenv\" exec \"$program\" \"$@\"\n");
	chmod(p23, 0755);
	r4 = env_find_python(cache, ">=3.19", &py, &ver);
	free(py);
	free(ver);
	setenv("PATH", saved_path, 1);
	unsetenv("GRADER_PYTHONS");
	free(saved_path);
	EXPECT_INT(r1, 0);
	EXPECT_INT(r2, 0);
	EXPECT_INT(r3, 1);
	EXPECT_INT(r4, 1);
}

/* ---- relaxing pins with no wheel -------------------------------------------- */

TEST(wheel_tags)
{
	static const struct { const char *file; int ok; } cases[] = {
		{ "psycopg2_binary-2.9.3-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", 0 },
		{ "psycopg2_binary-2.9.5-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", 1 },
		{ "ruamel.yaml.clib-0.2.6-cp310-cp310-manylinux1_x86_64.whl", 0 },
		{ "ruamel.yaml.clib-0.2.7-cp311-cp311-manylinux_2_5_x86_64.manylinux1_x86_64.whl", 1 },
		{ "backports.zoneinfo-0.2.1-cp38-cp38-manylinux1_x86_64.whl", 0 },
		{ "x-1.0-py3-none-any.whl", 1 },
		{ "x-1.0-py2.py3-none-any.whl", 1 },
		{ "x-1.0-py2-none-any.whl", 0 },
		{ "x-1.0-py38-none-any.whl", 1 },
		{ "x-1.0-py312-none-any.whl", 0 },
		{ "x-1.0-cp37-abi3-manylinux2014_x86_64.whl", 1 },
		{ "x-1.0-cp312-abi3-manylinux2014_x86_64.whl", 0 },
		{ "x-1.0-cp310-cp310-linux_x86_64.whl", 0 },
		{ "x-1.0-cp311-cp311-linux_x86_64.whl", 1 },
		{ "x-1.0-cp311-cp311-manylinux_2_39_x86_64.whl", 0 },
		{ "x-1.0-cp311-cp311-manylinux_2_36_x86_64.whl", 1 },
		{ "x-1.0-cp311-cp311-win_amd64.whl", 0 },
		{ "x-1.0-cp311-cp311-musllinux_1_1_x86_64.whl", 0 },
		{ "x-1.0-cp311-cp311-manylinux_2_17_aarch64.whl", 0 },
		{ "x-1.0-cp311-cp311-macosx_11_0_x86_64.whl", 0 },
		{ "x-1.0.tar.gz", 0 },
		{ "x-1.0-py3-none.whl", 0 },
	};
	char v[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = env_wheel_compatible(cases[i].file, 3, 11, "x86_64", 36, v, sizeof(v));

		if (got != cases[i].ok)
			printf("# %s: %d, expected %d\n", cases[i].file, got, cases[i].ok);
		EXPECT_INT(got, cases[i].ok);
	}
	EXPECT_INT(env_wheel_compatible("x-2.0.1-7-py3-none-any.whl", 3, 11, "x86_64", 36, v, sizeof(v)), 1);
	EXPECT_STR(v, "2.0.1");
}

/* The index asked is the installer's: uv's variables for uv, pip's for
 * pip, PyPI by default, none when offline. */
TEST(index_url_choice)
{
	char *u;
	char *saved_off = getenv("UV_OFFLINE") ? strdup(getenv("UV_OFFLINE")) : NULL;

	unsetenv("UV_OFFLINE");
	unsetenv("PIP_NO_INDEX");
	unsetenv("UV_DEFAULT_INDEX");
	unsetenv("UV_INDEX_URL");
	unsetenv("PIP_INDEX_URL");
	u = env_index_url(true);
	EXPECT_STR(u ? u : "(null)", "https://pypi.org/simple/");
	free(u);
	setenv("PIP_INDEX_URL", "http://127.0.0.1:9/pip", 1);
	setenv("UV_INDEX_URL", "http://127.0.0.1:9/uv/", 1);
	u = env_index_url(false);
	EXPECT_STR(u ? u : "(null)", "http://127.0.0.1:9/pip/");
	free(u);
	u = env_index_url(true);
	EXPECT_STR(u ? u : "(null)", "http://127.0.0.1:9/uv/");
	free(u);
	setenv("UV_DEFAULT_INDEX", "http://127.0.0.1:9/default", 1);
	u = env_index_url(true);
	EXPECT_STR(u ? u : "(null)", "http://127.0.0.1:9/default/");
	free(u);
	setenv("UV_OFFLINE", "1", 1);
	EXPECT(env_index_url(true) == NULL);
	setenv("PIP_NO_INDEX", "1", 1);
	EXPECT(env_index_url(false) == NULL);
	unsetenv("PIP_NO_INDEX");
	unsetenv("UV_DEFAULT_INDEX");
	unsetenv("UV_INDEX_URL");
	unsetenv("PIP_INDEX_URL");
	if (saved_off)
		setenv("UV_OFFLINE", saved_off, 1);
	else
		unsetenv("UV_OFFLINE");
	free(saved_off);
}

/*
 * A pin whose release has no wheel for this Python (an sdist that cannot
 * build, a wheel for 2.7): the install fails, the pin is relaxed to the
 * nearest release with a wheel for this interpreter (1.1, not 0.9 nor 1.2),
 * a pin that installs is left alone, and the env is keyed by the relaxed
 * lines. Everything comes from an index the test serves on 127.0.0.1
 * (tests/lib/pyindex.py); the second run finds the env warm without asking
 * the index anything.
 */
static void relax_case(const char *url, const char *logf)
{
	char dir[300], cache[300], path[600], rec[600], plain_key[32];
	struct gbuf d = GBUF_INIT(8192);
	struct env_opts o = { 0 };
	struct env_info info = { 0 };
	int erc, reqs_before;

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "x");
	puts_file(dir, "requirements.txt", "relaxdemo==1.0\nokdemo==2.0\nbackports.zoneinfo==0.2.1\n");
	snprintf(cache, sizeof(cache), "%s/cache-relax", root);
	o.cache_dir = cache;
	o.datadir = GRADER_DATADIR;
	o.checkout = dir;
	o.project_dir = dir;
	o.timeout_ms = 120000;
	setenv("UV_INDEX_URL", url, 1);
	snprintf(path, sizeof(path), "%s/uv-cache-relax", root);
	setenv("UV_CACHE_DIR", path, 1);

	/* What the key would be unrelaxed (env_plan: no build, no network). */
	EXPECT_INT(env_plan(&o, &info, &d), 0);
	snprintf(plain_key, sizeof(plain_key), "%s", info.key ? info.key : "");
	env_info_release(&info);

	erc = env_ensure_info(&o, &info, &d);
	if (erc != 0)
		printf("# %s\n", gbuf_str(&d));
	gbuf_release(&d);
	if (erc != 0 || info.nrelaxed != 2 || !info.python || !info.key)
		env_info_release(&info);
	EXPECT_INT(erc, 0);
	EXPECT_INT(info.nrelaxed, 2);
	EXPECT_STR(info.relaxed[0].from, "relaxdemo==1.0");
	EXPECT_STR(info.relaxed[0].to, "relaxdemo==1.1");
	EXPECT(strstr(info.relaxed[0].why, "no wheel of 1.0 for Python 3.") != NULL);
	/* A backport no release of which has a wheel for this Python, which
	 * has the module: kept off by a marker. */
	EXPECT_STR(info.relaxed[1].from, "backports.zoneinfo==0.2.1");
	EXPECT_STR(info.relaxed[1].to, "backports.zoneinfo==0.2.1 ; python_version < \"3.9\"");
	EXPECT(strcmp(info.key, plain_key) != 0);
	EXPECT_INT(sh("%s -c 'import relaxdemo, okdemo; assert relaxdemo.VERSION == \"1.1\", "
		      "relaxdemo.VERSION; assert okdemo.VERSION == \"2.0\"'", info.python), 0);
	/* The env says what it was built from; the relaxation is recorded
	 * under the plain key. */
	EXPECT_INT(sh("grep -qx 'relaxdemo==1.1' %s/envs/%s/requirements.txt", cache, info.key), 0);
	env_info_release(&info);
	snprintf(rec, sizeof(rec), "%s/envs/.relaxed/%s", cache, plain_key);
	EXPECT_INT(access(rec, R_OK), 0);
	/* The index was asked over loopback (the log is the server's). */
	EXPECT_INT(sh("grep -q '^/simple/relaxdemo/' %s", logf), 0);

	/* Warm: no request reaches the index, the report is the same. */
	reqs_before = count_lines(logf);
	EXPECT_INT(env_ensure_info(&o, &info, &d), 0);
	gbuf_release(&d);
	erc = info.reused && info.nrelaxed == 2 && !strcmp(info.relaxed[0].to, "relaxdemo==1.1");
	env_info_release(&info);
	EXPECT(erc);
	EXPECT_INT(count_lines(logf), reqs_before);
}

/* The requirement lines `reqs` relaxed against the index in
 * UV_INDEX_URL: "N|LINES|WHY" (N pins changed, the first one's why) into
 * got. env_relax_pins's return. */
static int relax_why(const char *reqs_text, char *got, size_t cap)
{
	struct gbuf reqs = GBUF_INIT(4096), out = GBUF_INIT(4096);
	struct env_pin *pins = NULL;
	size_t n = 0;
	int rc;

	gbuf_adds(&reqs, reqs_text);
	rc = env_relax_pins(&reqs, "3.11.2", true, &out, &pins, &n);
	snprintf(got, cap, "%zu|%s|%s", n, gbuf_str(&out), n ? pins[0].why : "");
	env_pins_free(pins, n);
	gbuf_release(&reqs);
	gbuf_release(&out);
	return rc;
}

/* A pin of a release the index never had goes to the newest of its own
 * series below it (0.9.3 to 0.9), not to the next release with a wheel
 * (1.1), as a real patch release it stands for would (h238:
 * Django==4.0.14 went to 4.1, whose own pins its freeze conflicted with). */
static void relax_unlisted(const char *url)
{
	char got[300];
	int rc;

	setenv("UV_INDEX_URL", url, 1);
	rc = relax_why("relaxdemo==0.9.3", got, sizeof(got));
	EXPECT_INT(rc, 0);
	EXPECT_STR(got, "1|relaxdemo==0.9|no release 0.9.3 of relaxdemo on the index; 0.9 is the nearest release "
		   "with a wheel for Python 3.11");
}

/* An index without PEP 691 (HTML only): yanked files and files for a
 * Python this is not are never chosen, and with no newer release left the
 * pin goes to the newest older one. A hashed file is left alone. */
static void relax_html(const char *url)
{
	struct gbuf reqs = GBUF_INIT(4096), out = GBUF_INIT(4096);
	struct env_pin *pins = NULL;
	size_t n = 0;
	int rc, rc2, rc3, rc4;
	char got[200], got2[200], got3[300], got4[300];

	setenv("UV_INDEX_URL", url, 1);
	gbuf_adds(&reqs, "relaxdemo==1.0\nokdemo==2.0");
	rc = env_relax_pins(&reqs, "3.11.2", true, &out, &pins, &n);
	snprintf(got, sizeof(got), "%s|%zu|%s", gbuf_str(&out), n, n ? pins[0].to : "");
	env_pins_free(pins, n);
	gbuf_reset(&reqs);
	gbuf_adds(&reqs, "relaxdemo==1.0 --hash=sha256:00\nokdemo==2.0 --hash=sha256:00");
	rc2 = env_relax_pins(&reqs, "3.11.2", true, &out, &pins, &n);
	snprintf(got2, sizeof(got2), "%zu|%s", n, gbuf_str(&out));
	env_pins_free(pins, n);
	/* A pinned release with a wheel for a newer Python only (1.2:
	 * Requires-Python >=3.99): the why says so, not "no wheel" (h136). */
	rc3 = relax_why("relaxdemo==1.2", got3, sizeof(got3));
	/* A release that never existed is said so, not "no wheel of it"
	 * (h214: drf-spectacular==0.99.0). */
	rc4 = relax_why("relaxdemo==7.7", got4, sizeof(got4));
	gbuf_release(&reqs);
	gbuf_release(&out);
	EXPECT_INT(rc, 0);
	EXPECT_STR(got, "relaxdemo==0.9\nokdemo==2.0|1|relaxdemo==0.9");
	EXPECT_INT(rc2, 0);
	EXPECT_STR(got2, "0|relaxdemo==1.0 --hash=sha256:00\nokdemo==2.0 --hash=sha256:00");
	EXPECT_INT(rc3, 0);
	EXPECT_STR(got3, "1|relaxdemo==0.9|1.2 needs Python >=3.99; 0.9 is the nearest release for Python 3.11");
	EXPECT_INT(rc4, 0);
	EXPECT_STR(got4, "1|relaxdemo==0.9|no release 7.7 of relaxdemo on the index; 0.9 is the nearest release "
		   "with a wheel for Python 3.11");
}

TEST(relax_pin_without_wheel)
{
	char uvdir[400], idx[300], portf[400], logf[400], pidf[400], path[1200], url[200], port[16] = "";
	char *saved_path = strdup(getenv("PATH"));
	FILE *f;
	int i;

	if (!find_uv_dir(uvdir, sizeof(uvdir))) {
		printf("not ok relax_pin_without_wheel - uv not found on PATH nor in $GRADER_TEST_UV\n");
		t_failed_now = 1;
		free(saved_path);
		return;
	}
	snprintf(idx, sizeof(idx), "%s/index", root);
	snprintf(portf, sizeof(portf), "%s/index.port", root);
	snprintf(logf, sizeof(logf), "%s/index.log", root);
	snprintf(pidf, sizeof(pidf), "%s/index.pid", root);
	if (sh("/usr/bin/python3 %s/tests/lib/pyindex.py make %s", GRADER_DATADIR, idx) == 0 &&
	    sh("(/usr/bin/python3 %s/tests/lib/pyindex.py serve %s %s %s >/dev/null 2>&1 & echo $! >%s)",
	       GRADER_DATADIR, idx, portf, logf, pidf) == 0) {
		for (i = 0; i < 200 && access(portf, R_OK) != 0; i++)
			usleep(50000);
		f = fopen(portf, "r");
		if (f) {
			if (!fgets(port, sizeof(port), f))
				port[0] = '\0';
			fclose(f);
		}
	}
	if (port[0]) {
		snprintf(url, sizeof(url), "http://127.0.0.1:%s/simple/", port);
		snprintf(path, sizeof(path), "%s:%s", uvdir, saved_path);
		setenv("PATH", path, 1);
		unsetenv("UV_OFFLINE");
		relax_case(url, logf);
		relax_unlisted(url);
		snprintf(url, sizeof(url), "http://127.0.0.1:%s/html/", port);
		relax_html(url);
		setenv("UV_OFFLINE", "1", 1);
		unsetenv("UV_INDEX_URL");
		setenv("PATH", saved_path, 1);
	} else {
		printf("# the index fixture did not start\n");
		t_failed_now = 1;
	}
	/* The server is the test's own: ended by its pid. */
	sh("test -s %s && kill $(cat %s) 2>/dev/null", pidf, pidf);
	free(saved_path);
}

/* ---- list and prune --------------------------------------------------------- */

/* A fake complete env in cache: key, marker, last used `days` ago. */
static void fake_env(const char *cache, const char *key, int days, const char *source)
{
	char dir[500], text[600];

	snprintf(dir, sizeof(dir), "%s/envs/%s", cache, key);
	snprintf(text, sizeof(text), "key %s\npython /usr/bin/python3\nversion 3.11.2 (main) [GCC]\n"
		 "requirements /tmp/x/%s\nsource %s\n", key, source, source);
	puts_file(dir, ".grader-complete", text);
	put(dir, "lib/blob", "0123456789", 10);
	puts_file(dir, ".grader-last-used", "");
	sh("touch -d '%d days ago' %s/.grader-last-used", days, dir);
}

TEST(list_and_prune)
{
	char cache[300], outside[300], path[600];
	struct gbuf out = GBUF_INIT(65536);

	snprintf(cache, sizeof(cache), "%s/cache-prune", root);
	/* A cache that does not exist yet is empty. */
	EXPECT_INT(env_list(cache, &out), 0);
	EXPECT_INT(out.len, 0);
	EXPECT_INT(env_prune(cache, 30, &out), 0);
	EXPECT_INT(out.len, 0);

	fake_env(cache, "00000000000000aa", 1, "requirements.txt");
	fake_env(cache, "00000000000000bb", 45, "Pipfile");
	fake_env(cache, "00000000000000cc", 90, "(default runtime)");
	/* The old env holds a symlink to a folder outside: only the link goes. */
	snprintf(outside, sizeof(outside), "%s/outside-keep", root);
	puts_file(outside, "precious.txt", "keep me");
	EXPECT_INT(sh("ln -s %s %s/envs/00000000000000bb/lib/link", outside, cache), 0);
	/* A symlinked "env" pointing at an old-looking folder is never touched. */
	fake_env(root, "00000000000000dd", 400, "x");
	EXPECT_INT(sh("ln -s %s/envs/00000000000000dd %s/envs/00000000000000dd", root, cache), 0);
	/* Build folders: a fresh one (in progress) and an abandoned one. */
	EXPECT_INT(sh("mkdir -p %s/envs/00000000000000ee.tmp-1-aabbccdd/bin "
		      "%s/envs/00000000000000ff.tmp-2-aabbccdd/bin && "
		      "touch -d '2 hours ago' %s/envs/00000000000000ff.tmp-2-aabbccdd",
		      cache, cache, cache), 0);

	EXPECT_INT(env_list(cache, &out), 0);
	EXPECT(strstr(gbuf_str(&out), "00000000000000aa ") == gbuf_str(&out));
	EXPECT(strstr(gbuf_str(&out), "python 3.11.2  requirements.txt\n") != NULL);
	EXPECT(strstr(gbuf_str(&out), "python 3.11.2  Pipfile\n") != NULL);
	EXPECT(strstr(gbuf_str(&out), "python 3.11.2  (default runtime)\n") != NULL);
	EXPECT(strstr(gbuf_str(&out), " MB  last used 20") != NULL);
	EXPECT(strstr(gbuf_str(&out), "dd") == NULL);
	EXPECT(strstr(gbuf_str(&out), "tmp") == NULL);
	EXPECT_INT(count_lines_buf(&out), 3);

	gbuf_reset(&out);
	EXPECT_INT(env_prune(cache, 30, &out), 0);
	EXPECT(strstr(gbuf_str(&out), "removed 00000000000000bb (unused for 45 days") != NULL);
	EXPECT(strstr(gbuf_str(&out), "removed 00000000000000cc (unused for 90 days") != NULL);
	EXPECT(strstr(gbuf_str(&out), "removed 00000000000000ff.tmp-2-aabbccdd (an unfinished build") != NULL);
	EXPECT_INT(count_lines_buf(&out), 3);
	snprintf(path, sizeof(path), "%s/precious.txt", outside);
	EXPECT(access(path, F_OK) == 0);
	snprintf(path, sizeof(path), "%s/envs/00000000000000dd/.grader-complete", root);
	EXPECT(access(path, F_OK) == 0);
	snprintf(path, sizeof(path), "%s/envs/00000000000000aa/.grader-complete", cache);
	EXPECT(access(path, F_OK) == 0);
	snprintf(path, sizeof(path), "%s/envs/00000000000000ee.tmp-1-aabbccdd", cache);
	EXPECT(access(path, F_OK) == 0);
	snprintf(path, sizeof(path), "%s/envs/00000000000000bb", cache);
	EXPECT(access(path, F_OK) != 0);
	EXPECT_INT(count_tmp(cache), 1);

	gbuf_reset(&out);
	EXPECT_INT(env_prune(cache, -1, &out), -1);
	gbuf_release(&out);
}

TEST(reuse_touches_last_used)
{
	char dir[300], cache[300], used[500];
	struct env_opts o = { 0 };
	struct gbuf d = GBUF_INIT(4096), out = GBUF_INIT(4096);
	struct env_info info = { 0 };
	struct stat st;
	time_t before;

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "x");
	puts_file(dir, "requirements.txt", "\n");
	snprintf(cache, sizeof(cache), "%s/cache-touch", root);
	o.cache_dir = cache;
	o.datadir = GRADER_DATADIR;
	o.checkout = dir;
	o.project_dir = dir;
	o.timeout_ms = 120000;
	EXPECT_INT(env_ensure_info(&o, &info, &d), 0);
	snprintf(used, sizeof(used), "%s/envs/%s/.grader-last-used", cache, info.key);
	env_info_release(&info);
	EXPECT_INT(sh("touch -d '10 days ago' %s", used), 0);
	EXPECT_INT(stat(used, &st), 0);
	before = st.st_mtime;
	/* env_plan only looks. */
	EXPECT_INT(env_plan(&o, &info, &d), 0);
	env_info_release(&info);
	EXPECT_INT(stat(used, &st), 0);
	EXPECT_INT(st.st_mtime, before);
	EXPECT_INT(env_prune(cache, 20, &out), 0);
	EXPECT_INT(out.len, 0);
	EXPECT_INT(env_ensure_info(&o, &info, &d), 0);
	EXPECT(info.reused);
	env_info_release(&info);
	EXPECT_INT(stat(used, &st), 0);
	EXPECT(st.st_mtime > before + 9 * 86400);
	EXPECT_INT(env_prune(cache, 5, &out), 0);
	EXPECT_INT(out.len, 0);
	/* An hour past the 10 days: "now" is the wall clock, which a VM may
	 * step back a little between this touch and the prune. */
	EXPECT_INT(sh("touch -d '241 hours ago' %s", used), 0);
	EXPECT_INT(env_prune(cache, 5, &out), 0);
	EXPECT(strstr(gbuf_str(&out), "unused for 10 days") != NULL);
	gbuf_release(&d);
	gbuf_release(&out);
}

/* The first backquoted word of each line of docs/environments.md's section
 * `section` (up to the next "## ") that starts with `lead`: ". `" after
 * a number for a numbered item ("1. `"), "| `" for a table row;
 * "\n"-terminated, into out. The count, -1
 * when the file or the section is missing. */
static int doc_sources(const char *section, const char *lead, struct gbuf *out)
{
	struct gbuf md = GBUF_INIT(1 << 20);
	const char *p, *end, *line, *nl, *w;
	int n = -1;

	if (gbuf_read_file(&md, GRADER_DATADIR "/docs/environments.md") < 0)
		goto done;
	p = strstr(gbuf_str(&md), section);
	if (!p)
		goto done;
	p += strlen(section);
	end = strstr(p, "\n## ");
	if (!end)
		end = p + strlen(p);
	n = 0;
	for (line = p; line && line < end; line = (nl = strchr(line, '\n')) ? nl + 1 : NULL) {
		w = line + strspn(line, "0123456789"); /* a numbered item's number */
		if (strncmp(w, lead, strlen(lead)) != 0 || ((w > line) != (*lead == '.')))
			continue;
		w += strlen(lead);
		gbuf_add(out, w, strcspn(w, "`"));
		gbuf_addch(out, '\n');
		n++;
	}
done:
	gbuf_release(&md);
	return n;
}

/* Compare a table's names (in order) with what doc_sources found. */
static bool doc_lists(const char *section, const char *lead, const char *const *names, size_t n)
{
	struct gbuf doc = GBUF_INIT(1 << 16), want = GBUF_INIT(1 << 16);
	size_t i;
	bool same;

	for (i = 0; i < n; i++) {
		gbuf_adds(&want, names[i]);
		gbuf_addch(&want, '\n');
	}
	same = doc_sources(section, lead, &doc) == (int)n && !strcmp(gbuf_str(&doc), gbuf_str(&want));
	if (!same)
		printf("# docs/environments.md \"%s\" lists:\n%s# the table in env_sources.c has:\n%s",
		       section + 3, gbuf_str(&doc), gbuf_str(&want));
	gbuf_release(&doc);
	gbuf_release(&want);
	return same;
}

/* env_requirement_sources[] is the numbered list of "Where the requirements
 * come from", in order, and every row has a name and a reader. */
TEST(requirement_sources_match_the_documentation)
{
	const char *names[32];
	size_t i;

	EXPECT(env_nrequirement_sources > 0 && env_nrequirement_sources <= 32);
	for (i = 0; i < env_nrequirement_sources; i++) {
		EXPECT(env_requirement_sources[i].name && *env_requirement_sources[i].name);
		EXPECT(env_requirement_sources[i].read);
		names[i] = env_requirement_sources[i].name;
	}
	EXPECT(doc_lists("## Where the requirements come from", ". `", names, env_nrequirement_sources));
}

/* env_python_sources[] is the table of "Which interpreter", in order. */
TEST(python_sources_match_the_documentation)
{
	const char *names[32];
	size_t i;

	EXPECT(env_npython_sources > 0 && env_npython_sources <= 32);
	for (i = 0; i < env_npython_sources; i++) {
		EXPECT(env_python_sources[i].name && *env_python_sources[i].name);
		EXPECT(env_python_sources[i].read);
		names[i] = env_python_sources[i].name;
	}
	EXPECT(doc_lists("## Which interpreter", "| `", names, env_npython_sources));
}

/* uv compiles an install's bytecode for Python 3.7 on, never for 3.6,
 * where its compiler's py_compile.PycInvalidationMode is missing and the
 * whole install failed (h715); an unknown version compiles. */
TEST(uv_compiles_from_python_37)
{
	EXPECT(!env_uv_compiles("3.6.15 (default, Dec  6 2026, 00:00:00) [GCC 12.2.0]"));
	EXPECT(!env_uv_compiles("2.7.18"));
	EXPECT(env_uv_compiles("3.7.17"));
	EXPECT(env_uv_compiles("3.13.0 (main) [GCC]"));
	EXPECT(env_uv_compiles("4.0"));
	EXPECT(env_uv_compiles(NULL));
	EXPECT(env_uv_compiles("unknown"));
}

/* What env_add_installer_errors makes of the installer's output `printed`,
 * in diag (the caller releases it). */
static const char *installer_diag(struct gbuf *diag, const char *printed)
{
	struct gbuf out = GBUF_INIT(0);

	gbuf_adds(&out, printed);
	/* A failure leaves a diagnosis no test expects. */
	if (env_add_installer_errors(diag, &out, NULL) != 0)
		gbuf_adds(diag, "(env_add_installer_errors failed)");
	gbuf_release(&out);
	return gbuf_str(diag);
}

/* A misspelt requirement: pip's note of the versions it ignored (for
 * another Python) is not the error; the package it could not find is. */
TEST(installer_errors_lead_with_the_failure)
{
	struct gbuf diag = GBUF_INIT(0);
	const char *d;

	d = installer_diag(&diag, "Collecting Django>=5.2\n"
		  "ERROR: Ignored the following versions that require a different python version: "
		  "6.0 Requires-Python >=3.12; 6.0.1 Requires-Python >=3.12\n"
		  "ERROR: Could not find a version that satisfies the requirement django-enviorn>=0.12 "
		  "(from versions: none)\n"
		  "ERROR: No matching distribution found for django-enviorn>=0.12\n");
	EXPECT(strstr(d, "Ignored") == NULL);
	EXPECT(strncmp(d, "ERROR: Could not find a version", strlen("ERROR: Could not find a version")) == 0);
	EXPECT(strstr(d, "ERROR: No matching distribution found for django-enviorn>=0.12") != NULL);
	gbuf_release(&diag);
	/* A conflict: pip's lines saying what caused it, which pin to move
	 * (h413). */
	d = installer_diag(&diag, "ERROR: Cannot install Django==4.2.16 and asgiref==3.3.1 because these package "
				  "versions have conflicting dependencies.\n\nThe conflict is caused by:\n"
				  "    The user requested asgiref==3.3.1\n"
				  "    django 4.2.16 depends on asgiref<4 and >=3.6.0\n\nTo fix this you could try to:\n");
	EXPECT(strstr(d, "The user requested asgiref==3.3.1\n") != NULL);
	EXPECT(strstr(d, "django 4.2.16 depends on asgiref<4 and >=3.6.0") != NULL);
	EXPECT(strstr(d, "To fix") == NULL);
	gbuf_release(&diag);
	/* uv's conflict: its cause runs over indented lines, the ranges and
	 * the pin they exclude among them (h457: only "depends on one of:"
	 * was said); what follows the block is not kept. */
	d = installer_diag(&diag, "Using Python 3.11.7 environment at: v\n"
				  "error: No solution found when resolving dependencies\n"
				  "  cause: Because celery[redis]==5.4.0 depends on one of:\n"
				  "             redis>=4.5.2,<4.5.5\n"
				  "             redis>4.5.5,<6.0.0\n"
				  "         and you require redis==6.2.0, we can conclude that your requirements and "
				  "celery[redis]==5.4.0 are incompatible.\n"
				  "Resolved in 3 ms\n"
				  "   not part of it\n");
	EXPECT(strstr(d, "depends on one of:\n             redis>=4.5.2,<4.5.5\n             redis>4.5.5,<6.0.0\n"
			 "         and you require redis==6.2.0") != NULL);
	EXPECT(strstr(d, "Using Python") == NULL && strstr(d, "not part of it") == NULL);
	gbuf_release(&diag);
	/* uv's download refused for its hash: the cause under it, and the
	 * hashes (h703: "Failed to download" alone read as the network's). */
	d = installer_diag(&diag, "error: Failed to download `six==1.16.0`\n"
				  "  cause: Hash mismatch for `six==1.16.0`\n\n"
				  "         Expected:\n           sha256:0000\n\n"
				  "         Computed:\n           sha256:8abb\n");
	EXPECT(strstr(d, "error: Failed to download `six==1.16.0`\n  cause: Hash mismatch for `six==1.16.0`") != NULL);
	EXPECT(strstr(d, "Expected:") != NULL && strstr(d, "sha256:8abb") != NULL);
	gbuf_release(&diag);
	/* pip's hash-checking mode refusing an unpinned dependency: the
	 * indented line under its ERROR names it (h901: "These do not:" was
	 * all the diagnosis said). */
	d = installer_diag(&diag, "Collecting django==4.2.30 (from -r requirements.txt (line 7))\n"
				  "ERROR: In --require-hashes mode, all requirements must have their versions "
				  "pinned with ==. These do not:\n"
				  "    sqlparse>=0.3.1 from https://files.example/sqlparse-0.5.3-py3-none-any.whl "
				  "(from django==4.2.30->-r requirements.txt (line 7))\n"
				  "\n"
				  "Collected 3 packages\n");
	EXPECT(strstr(d, "These do not:\n    sqlparse>=0.3.1 from ") != NULL);
	EXPECT(strstr(d, "Collect") == NULL);
	gbuf_release(&diag);
	/* pip's line of every release it found (3 KB for Django's): it is
	 * said by its ends, and the line after it too, where it left the
	 * diagnosis empty (h436: django ^6.0 on Python 3.11). */
	{
		struct gbuf printed = GBUF_INIT(0);
		int v;

		gbuf_adds(&printed, "ERROR: Could not find a version that satisfies the requirement "
				    "django<7.0,>=6.0 (from versions: ");
		for (v = 0; v < 400; v++)
			gbuf_addf(&printed, "%s1.%d.%d", v ? ", " : "", v / 10, v % 10);
		gbuf_adds(&printed, ", 5.2.8, 5.2.9)\nERROR: No matching distribution found for django<7.0,>=6.0\n");
		d = installer_diag(&diag, gbuf_str(&printed));
		EXPECT(printed.len > 2048);
		EXPECT(strstr(d, "requirement django<7.0,>=6.0 (from versions: 1.0.0, ") != NULL);
		EXPECT(strstr(d, " ... ") != NULL && strstr(d, ", 5.2.8, 5.2.9)\n") != NULL);
		EXPECT(strstr(d, "ERROR: No matching distribution found for django<7.0,>=6.0") != NULL);
		EXPECT(strlen(d) < 1000);
		gbuf_release(&printed);
		gbuf_release(&diag);
	}
}

/* A package pip had to build from its source and could not (h400:
 * mysqlclient, whose build needs MySQL's headers): pip's error lines are
 * "error: subprocess-exited-with-error"; the diagnosis names the package,
 * the step and the build's last words (pip 23's output, as captured). */
TEST(installer_errors_name_a_build_that_failed)
{
	struct gbuf diag = GBUF_INIT(0);
	const char *d;

	d = installer_diag(&diag, "Looking in links: /opt/wheels\n"
		  "Collecting mysqlclient==2.2.4\n"
		  "  Downloading mysqlclient-2.2.4.tar.gz (90 kB)\n"
		  "     ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 90.4/90.4 kB 166.9 MB/s eta 0:00:00\n"
		  "  Installing build dependencies: started\n"
		  "  Installing build dependencies: finished with status 'done'\n"
		  "  Getting requirements to build wheel: started\n"
		  "  Getting requirements to build wheel: finished with status 'error'\n"
		  "  error: subprocess-exited-with-error\n"
		  "  \n"
		  "  × Getting requirements to build wheel did not run successfully.\n"
		  "  │ exit code: 1\n"
		  "  ╰─> [28 lines of output]\n"
		  "      Trying pkg-config --exists mysqlclient\n"
		  "      Command 'pkg-config --exists mysqlclient' returned non-zero exit status 1.\n"
		  "      Trying pkg-config --exists mariadb\n"
		  "      Command 'pkg-config --exists mariadb' returned non-zero exit status 1.\n"
		  "      Trying pkg-config --exists libmariadb\n"
		  "      Command 'pkg-config --exists libmariadb' returned non-zero exit status 1.\n"
		  "      Traceback (most recent call last):\n"
		  "        File \"/root/.cache/grader/envs/0b1c/venv/lib/python3.11/site-packages/pip/_vendor/pyproject_hooks/_in_process/_in_process.py\", line 353, in <module>\n"
		  "          main()\n"
		  "        File \"/root/.cache/grader/envs/0b1c/venv/lib/python3.11/site-packages/pip/_vendor/pyproject_hooks/_in_process/_in_process.py\", line 335, in main\n"
		  "          json_out['return_val'] = hook(**hook_input['kwargs'])\n"
		  "                                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
		  "        File \"/root/.cache/grader/envs/0b1c/venv/lib/python3.11/site-packages/pip/_vendor/pyproject_hooks/_in_process/_in_process.py\", line 118, in get_requires_for_build_wheel\n"
		  "          return hook(config_settings)\n"
		  "                 ^^^^^^^^^^^^^^^^^^^^^\n"
		  "        File \"/tmp/pip-build-env-wciyxnet/overlay/lib/python3.11/site-packages/setuptools/build_meta.py\", line 333, in get_requires_for_build_wheel\n"
		  "          return self._get_build_requires(config_settings, requirements=[])\n"
		  "                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
		  "        File \"/tmp/pip-build-env-wciyxnet/overlay/lib/python3.11/site-packages/setuptools/build_meta.py\", line 301, in _get_build_requires\n"
		  "          self.run_setup()\n"
		  "        File \"/tmp/pip-build-env-wciyxnet/overlay/lib/python3.11/site-packages/setuptools/build_meta.py\", line 317, in run_setup\n"
		  "          exec(code, locals())  # noqa: S102 # exec is intentional here\n"
		  "          ^^^^^^^^^^^^^^^^^^^^\n"
		  "        File \"<string>\", line 155, in <module>\n"
		  "        File \"<string>\", line 49, in get_config_posix\n"
		  "        File \"<string>\", line 28, in find_package_name\n"
		  "      Exception: Can not find valid pkg-config name.\n"
		  "      Specify MYSQLCLIENT_CFLAGS and MYSQLCLIENT_LDFLAGS env vars manually\n"
		  "      [end of output]\n"
		  "  \n"
		  "  note: This error originates from a subprocess, and is likely not a problem with pip.\n"
		  "error: subprocess-exited-with-error\n"
		  "\n"
		  "× Getting requirements to build wheel did not run successfully.\n"
		  "│ exit code: 1\n"
		  "╰─> See above for output.\n"
		  "\n"
		  "note: This error originates from a subprocess, and is likely not a problem with pip.\n"
		  "\n");
	printf("# %s\n", d);
	EXPECT(strstr(d, "pip could not build mysqlclient==2.2.4 from its source (Getting requirements to build "
			 "wheel did not run successfully.); its build said: Exception: Can not find valid "
			 "pkg-config name. Specify MYSQLCLIENT_CFLAGS and MYSQLCLIENT_LDFLAGS env vars manually\n"
			 "A package with no wheel for this machine is built from its source, which may need a C library") == d);
	EXPECT(strstr(d, "subprocess-exited-with-error") == NULL);
	gbuf_release(&diag);
}

/* pip names a conflicting requirement by the grader's copy of the file
 * and its line there ("-r /root/.cache/grader/envs/.../requirements.txt
 * (line 2)"): the diagnosis names that line's requirement instead, and a
 * line the copy does not have by its number. */
TEST(installer_errors_name_the_requirement_not_the_copy)
{
	struct gbuf out = GBUF_INIT(0), diag = GBUF_INIT(0), reqs = GBUF_INIT(0);
	const char *d;

	gbuf_adds(&reqs, "Django==3.2.25\ndjangorestframework==3.15.2  \n");
	gbuf_adds(&out, "ERROR: Cannot install -r /root/.cache/grader/envs/78f978d8e5c545e4/requirements.txt "
		  "(line 2) and Django==3.2.25 because these package versions have conflicting dependencies.\n"
		  "ERROR: x (from -r .grader-requirements.txt (line 9)); -r -r\n");
	EXPECT_INT(env_add_installer_errors(&diag, &out, &reqs), 0);
	d = gbuf_str(&diag);
	printf("# %s\n", d);
	EXPECT(strstr(d, "ERROR: Cannot install djangorestframework==3.15.2 and Django==3.2.25 because") == d);
	EXPECT(strstr(d, "ERROR: x (from requirement line 9); -r -r") != NULL);
	EXPECT(strstr(d, ".cache") == NULL);
	gbuf_release(&out);
	gbuf_release(&diag);
	gbuf_release(&reqs);
}

/* A list conda made (h377): pip's error names the grader's copy and one
 * line; the diagnosis drops the copy's name and says what the list is and
 * how to write one pip reads: conda's NAME=VERSION=BUILD export, or
 * `pip freeze` in a conda environment (files of the machine that made it).
 * A list without either says nothing more. */
TEST(installer_errors_say_a_conda_list)
{
	struct gbuf out = GBUF_INIT(0), diag = GBUF_INIT(0), reqs = GBUF_INIT(0);

	gbuf_adds(&reqs, "_libgcc_mutex=0.1=conda_forge\npython=3.11.5=h955ad1f_0\nDjango==5.2\nx===1.0\n");
	gbuf_adds(&out, "ERROR: Invalid requirement: '_libgcc_mutex=0.1=conda_forge' (from line 1 of "
		  ".grader-requirements.txt)\n");
	EXPECT_INT(env_add_installer_errors(&diag, &out, &reqs), 0);
	EXPECT_STR(gbuf_str(&diag), "ERROR: Invalid requirement: '_libgcc_mutex=0.1=conda_forge'\n"
		   "The requirements are conda's export (2 NAME=VERSION=BUILD lines, such as "
		   "_libgcc_mutex=0.1=conda_forge), which pip cannot read: write them with "
		   "`pip list --format=freeze`, or list what the project imports, pinned");
	gbuf_reset(&diag);
	gbuf_reset(&reqs);
	gbuf_adds(&reqs, "asgiref @ file:///home/conda/feedstock_root/build_artifacts/asgiref_1698335181262/work\n"
		  "Django==5.2\nsqlparse @ file:///croot/sqlparse_1690000000000/work\n");
	gbuf_reset(&out);
	gbuf_adds(&out, "ERROR: Could not install packages due to an OSError: [Errno 2] No such file or "
		  "directory: '/home/conda/feedstock_root/build_artifacts/asgiref_1698335181262/work'\n");
	EXPECT_INT(env_add_installer_errors(&diag, &out, &reqs), 0);
	EXPECT(strstr(gbuf_str(&diag), "'\n2 requirements name a file on the machine that made the list, such as "
				       "asgiref @ file:///home/conda/feedstock_root/build_artifacts/asgiref_169833518126... "
				       "(`pip freeze` writes them in a conda environment): write the list with "
				       "`pip list --format=freeze`, or list what the project imports, pinned") != NULL);
	gbuf_reset(&diag);
	gbuf_reset(&reqs);
	gbuf_adds(&reqs, "Django==5.2\ndjango-enviorn>=0.12\n");
	gbuf_reset(&out);
	gbuf_adds(&out, "ERROR: No matching distribution found for django-enviorn>=0.12\n");
	EXPECT_INT(env_add_installer_errors(&diag, &out, &reqs), 0);
	EXPECT_STR(gbuf_str(&diag), "ERROR: No matching distribution found for django-enviorn>=0.12");
	gbuf_release(&out);
	gbuf_release(&diag);
	gbuf_release(&reqs);
}

/* A Django pin of 6 or newer asks for Python 3.12+ (Django 6's own
 * minimum) when no file names a Python; older ones, and a range below 6,
 * ask for nothing (h133, h136: 6.1.3 was relaxed to 5.2 on 3.11). */
static void pin_python_case(const char *reqs, const char *spec, const char *from)
{
	struct gbuf g = GBUF_INIT(0);
	struct env_project pj;

	memset(&pj, 0, sizeof(pj));
	gbuf_adds(&g, reqs);
	pj.reqs = &g;
	pj.source_display = "requirements.txt";
	EXPECT_INT(env_pin_python(&pj), 0);
	if (spec) {
		EXPECT(pj.python_spec && !strcmp(pj.python_spec, spec));
		EXPECT(pj.python_from && !strcmp(pj.python_from, from));
	} else {
		EXPECT(pj.python_spec == NULL && pj.python_from == NULL);
	}
	free(pj.python_spec);
	free(pj.python_from);
	gbuf_release(&g);
}

TEST(django_six_asks_for_python_312)
{
	pin_python_case("asgiref==3.13.0\nDjango==6.1.3\nsqlparse==0.6.1\n", ">=3.12",
			"Django==6.1.3 in requirements.txt");
	pin_python_case("django >= 6.0,<7\n", ">=3.12", "Django>= 6.0 in requirements.txt");
	pin_python_case("Django~=6.1\n", ">=3.12", "Django~=6.1 in requirements.txt");
	pin_python_case("Django==5.2.19\n", NULL, NULL);
	pin_python_case("django-filter==25.1\ndjangorestframework==3.16.0\n", NULL, NULL);
	pin_python_case("Django<7\n", NULL, NULL);
}

/* A .python-version (or runtime.txt) is what the interpreter follows;
 * a requires-python that excludes it is said beside it, since uv refuses
 * to run such a project (h383: 3.11 used without a word beside
 * '>=3.12'). One that allows it, or a pyproject.toml that names the
 * version itself, adds nothing. */
static void python_conflict_case(const char *pyver, const char *pyproject, const char *version,
				 const char *want)
{
	char dir[300];
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);
	struct env_project pj = ENV_PROJECT_INIT(&out);
	struct env_choice ch = { NULL, (char *)version, NULL };
	char *note = NULL;

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "import os\n");
	if (pyver)
		puts_file(dir, ".python-version", pyver);
	puts_file(dir, "pyproject.toml", pyproject);
	EXPECT_INT(env_read_project(dir, dir, GRADER_DATADIR, true, &pj, &d), 0);
	EXPECT_INT(env_python_conflict(&pj, &ch, &note), 0);
	EXPECT_STR(note ? note : "(none)", want);
	free(note);
	env_project_release(&pj);
	gbuf_release(&out);
	gbuf_release(&d);
}

static void python_conflict_runtime_case(void)
{
	char dir[300];
	struct gbuf out = GBUF_INIT(65536), d = GBUF_INIT(1024);
	struct env_project pj = ENV_PROJECT_INIT(&out);
	struct env_choice ch = { NULL, (char *)"3.11.2", NULL };
	char *note = NULL;

	new_case(dir, sizeof(dir));
	puts_file(dir, "manage.py", "import os\n");
	puts_file(dir, ".python-version", "3.11\n");
	puts_file(dir, "runtime.txt", "python-3.10.12\n");
	EXPECT_INT(env_read_project(dir, dir, GRADER_DATADIR, true, &pj, &d), 0);
	EXPECT_INT(env_python_conflict(&pj, &ch, &note), 0);
	EXPECT_STR(note ? note : "(none)", "but runtime.txt asks for '==3.10.*', which 3.11.2 does not satisfy");
	free(note);
	env_project_release(&pj);
	gbuf_release(&out);
	gbuf_release(&d);
}

TEST(python_version_file_beside_a_requires_python_that_excludes_it)
{
	static const char toml[] = "[project]\nname = \"shop\"\nrequires-python = \">=3.12\"\n"
				   "dependencies = [\"Django>=5.2\"]\n";

	python_conflict_case("3.11\n", toml, "3.11.2 (main, Mar 13 2023)",
			     "but pyproject.toml asks for '>=3.12', which 3.11.2 does not satisfy "
			     "(uv refuses such a project)");
	python_conflict_case("3.13\n", toml, "3.13.1", "(none)");
	/* runtime.txt after it: uv reads no such file. */
	python_conflict_runtime_case();
	python_conflict_case(NULL, toml, "3.11.2", "(none)");
	python_conflict_case("3.11\n", "[project]\nname = \"shop\"\ndependencies = [\"Django\"]\n", "3.11.2",
			     "(none)");
}

int main(void)
{
	snprintf(root, sizeof(root), "/tmp/fetchenv/test_env.%d", (int)getpid());
	if (sh("rm -rf %s && mkdir -p %s", root, root) != 0) {
		printf("not ok setup - cannot create %s\n", root);
		return 1;
	}
	unsetenv("GRADER_PYTHON");
	unsetenv("GRADER_PYTHONS");
	/* Should uv be on PATH, it must not reach for the network either. */
	setenv("UV_OFFLINE", "1", 1);
	RUN(requirement_sources_match_the_documentation);
	RUN(python_sources_match_the_documentation);
	RUN(find_at_root);
	RUN(find_one_and_two_levels_down);
	RUN(find_skips_venvs_and_dependencies);
	RUN(find_project_inside_its_venv);
	RUN(infer_undeclared_imports);
	RUN(infer_a_library_named_like_an_app_module);
	RUN(infer_django_configurations);
	RUN(infer_phonenumbers_unless_an_extra_brings_them);
	RUN(infer_a_fork_under_its_parents_module_name);
	RUN(infer_settings_apps_lists_and_values);
	RUN(infer_tailwind_apps);
	RUN(infer_cachalot_and_django_stubs_ext);
	RUN(infer_a_postgres_driver_for_contrib_postgres);
	RUN(infer_a_hasher_library);
	RUN(infer_typed_serializer_libraries);
	RUN(infer_jinja2);
	RUN(infer_environs_with_its_django_extra);
	RUN(infer_not_from_test_code);
	RUN(infer_pillow_from_an_image_field);
	RUN(infer_from_migrations);
	RUN(infer_not_what_a_declared_distribution_installs);
	RUN(find_never_follows_symlinks);
	RUN(find_none);
	RUN(find_prefers_settings_module);
	RUN(requirements_bom_and_comments);
	RUN(requirements_utf16);
	RUN(requirements_includes);
	RUN(requirements_location);
	RUN(ensure_builds_then_reuses);
	RUN(ensure_unsafe_on_the_host);
	RUN(ensure_install_failure);
	RUN(default_cache_dir);
	RUN(requirements_other_names);
	RUN(requirements_linux_filters);
	RUN(requirements_left_out_are_said);
	RUN(requirements_pyproject_lock);
	RUN(requirements_pipfile);
	RUN(requirements_pep621);
	RUN(requirements_poetry);
	RUN(requirements_from_a_folder_between_the_project_and_the_root);
	RUN(inferred_packages_found_only_in_groups);
	RUN(groups_only_pyproject_keeps_its_groups);
	RUN(inferred_packages_found_in_sibling_requirement_files);
	RUN(python_version_file_beside_a_requires_python_that_excludes_it);
	RUN(find_names_the_other_projects);
	RUN(infer_debug_only_code_is_not_required);
	RUN(requirements_toml_malformed);
	RUN(python_choice);
	RUN(spec_translation_and_info);
	RUN(ensure_with_uv_offline);
	RUN(find_newer_python);
	RUN(wheel_tags);
	RUN(index_url_choice);
	RUN(relax_pin_without_wheel);
	RUN(django_six_asks_for_python_312);
	RUN(list_and_prune);
	RUN(reuse_touches_last_used);
	RUN(uv_compiles_from_python_37);
	RUN(installer_errors_lead_with_the_failure);
	RUN(installer_errors_name_a_build_that_failed);
	RUN(installer_errors_name_the_requirement_not_the_copy);
	RUN(installer_errors_say_a_conda_list);
	RUN(boot_dir_is_the_envs_copy_only_when_it_is_this_graders);
	RUN(infer_drf_add_ons);
	if (!t_failures)
		sh("rm -rf %s", root);
	T_EXIT();
}
