"""grader_boot - boot a submission's Django project for the grader.

Run by grader/boot.c as ``<python> -u grader_boot.py`` with the project
folder (the one holding manage.py) as the working directory. The protocol is
documented in docs/boot-protocol.md; in short:

* environment in: GRADER_CONTROL_FD, GRADER_STATE_DIR, GRADER_SECRETS_FD,
  SECRET_KEY / DJANGO_SECRET_KEY; the secrets (query token, users and their
  passwords) come as one JSON object on the GRADER_SECRETS_FD descriptor,
  which is read and closed before any project code runs;
* JSON lines out on the control fd: "phase" events, then "ready" (or
  "error", after which the process exits with status 1);
* then the WSGI app is served on 127.0.0.1 until the keeper kills us.

Everything that the grader hands us and the project must not see (the query
token, the users' passwords) never enters the environment at all: it is read
from a descriptor that is closed before any project code is imported, so
neither os.environ nor /proc/self/environ holds it. This file only uses the
standard library and Django.
"""

import ast
import functools
import gc
import hmac
import json
import mimetypes
import os
import pathlib
import re
import socketserver
import stat
import sys
import time
import traceback

# The grader runs a project's own Python down to 3.6 (runtime.txt's
# python-3.6.8 beside Django 2.2, h427: the boot itself failed there, on
# queue.SimpleQueue, then gc.freeze, both 3.7's). What this module uses of
# newer releases goes through these, with what 3.6 has instead.
def _simple_queue():
    import queue
    return getattr(queue, "SimpleQueue", queue.Queue)()


def _gc_freeze():
    if hasattr(gc, "freeze"):
        gc.freeze()


CONTROL_FD = int(os.environ.pop("GRADER_CONTROL_FD", "3"))
STATE_DIR = os.environ.pop("GRADER_STATE_DIR", "")


def _read_secrets():
    """The JSON object boot.c wrote into a memfd passed as GRADER_SECRETS_FD:
    {"query_token": "...", "users": [...]}. The descriptor is closed at once,
    so the project can find it neither in its environment nor among its
    open files."""
    fd = os.environ.pop("GRADER_SECRETS_FD", "")
    if not fd:
        return {}
    fd = int(fd)
    chunks = []
    try:
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(fd)
    return json.loads(b"".join(chunks).decode("utf-8") or "{}")


_SECRETS = _read_secrets()
USERS = _SECRETS.get("users", [])
# The token signs X-Grader-Queries; the app must not be able to forge it. It
# only lives here, in a closure below, from now on.
QUERY_TOKEN = _SECRETS.get("query_token", "")
del _SECRETS
# Shortly before boot.c gives up, dump every thread's stack to stderr (the
# captured output), so a hang is reported with the line it hangs on.
# When to dump every Python stack, as an instant of CLOCK_MONOTONIC in ms
# (the grader's clock too): relative delays would start counting only once
# this interpreter is up, which under load can be after the grader gave up.
DUMP_AT_MS = int(os.environ.pop("GRADER_BOOT_DUMP_AT_MS", "0") or 0)
# Where the project's packages are declared (the file its environment came
# from), for a missing module's hint.
REQUIREMENTS = os.environ.pop("GRADER_REQUIREMENTS", "") or "requirements.txt beside manage.py"
# "session": the challenge's users sign in by their session cookie alone
# (challenge.yaml's `sign_in: session`, a browser's pages), so no API token
# is minted and the scheme said is the session's (h534).
SIGN_IN_SESSION = os.environ.pop("GRADER_SIGN_IN", "") == "session"
# The repository's root as the sandbox shows it (the app's copy of the
# checkout): folders manage.py puts on sys.path may be anywhere inside it.
REPO_ROOT = os.environ.pop("GRADER_REPO_ROOT", "")
DUMP_AFTER_MS = max(1, DUMP_AT_MS - int(time.monotonic() * 1000)) if DUMP_AT_MS > 0 else 0
QUERIES_HEADER = "X-Grader-Queries"
# On the app's 404 for a file that MEDIA_URL would serve: the src lacks the
# prefix (h451: <img src="/{{ recipe.image }}">). Signed with the run's
# token, like QUERIES_HEADER; the grader builds the address itself.
UNPREFIXED_HEADER = "X-Grader-Media-Unprefixed"
# The grader's own headers, lower case: one the app set is dropped (only
# the run's token is believed), checked for every header of every answer.
_GRADER_HEADERS = frozenset((QUERIES_HEADER.lower(), UNPREFIXED_HEADER.lower()))
# A kept connection with no request for this long is closed (its thread
# ends); a body the app left unread is read off a kept connection up to
# this size, a larger one closes it.
KEEP_ALIVE_IDLE_S = 30
KEEP_ALIVE_DRAIN = 1 << 20

_phase = "import"


def _send(obj):
    """One JSON object per line on the control fd; unbuffered, whole lines."""
    data = (json.dumps(obj, separators=(",", ":")) + "\n").encode("utf-8")
    while data:
        n = os.write(CONTROL_FD, data)
        data = data[n:]


def _set_phase(name):
    global _phase
    _phase = name
    _send({"event": "phase", "phase": name})


_migration = [None]  # the migration being applied, for the diagnosis


def _is_machinery(filename):
    """A frame of the boot module itself or of importlib's machinery: it says
    nothing about the student's code."""
    here = os.path.dirname(os.path.abspath(__file__))
    return (filename.startswith("<frozen importlib")
            or os.path.dirname(os.path.abspath(filename)) == here
            or filename.endswith(os.sep + os.path.join("importlib", "__init__.py")))


def _student_traceback(exc):
    """The traceback as the student should read it: the chain of exceptions
    kept, but without the boot module's frames and importlib's (a settings
    module that fails to import showed five of them before its own line).
    An exception raised in the machinery alone keeps all its frames."""
    top = traceback.TracebackException(type(exc), exc, exc.__traceback__)
    todo, seen = [top], set()
    while todo:
        t = todo.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        kept = [f for f in t.stack if not _is_machinery(f.filename)]
        if kept:
            t.stack = traceback.StackSummary.from_list(kept)
        todo.extend(n for n in (t.__cause__, t.__context__) if n is not None)
    return "".join(top.format())


def _tail_frames(lines, count):
    """The last `count` lines of a traceback, from a frame's "File" line on
    (a cut inside a frame began the quote with a caret line, h477)."""
    start = max(0, len(lines) - count)
    for i in range(start, len(lines)):
        if lines[i].lstrip().startswith('File "'):
            return lines[i:]
    return lines[start:]


def _fail(exc):
    """Report the exception of the current phase and exit 1, without running
    the project's atexit handlers or waiting for its non-daemon threads."""
    try:
        text = _student_traceback(exc)
    except Exception:  # never hide the real error behind this one
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    name = type(exc).__name__
    msg = str(exc).strip()
    if isinstance(exc, BootRefusal):
        # Its message is the whole diagnosis; the frames would be the
        # boot's own, which say nothing to a student.
        text, name = msg + "\n", ""
    # ...said once: as the message, not again as its traceback (h744).
    lines = [] if isinstance(exc, BootRefusal) else text.splitlines()
    if isinstance(exc, SystemExit):
        msg = "the project called sys.exit(%r)" % (exc.code,)
    if _phase == "migrate" and _migration[0]:
        msg = "%s (while applying %s)" % (msg, _migration[0])
    elif _phase == "setup":
        entry = _loading_entry(exc)
        if entry:
            msg = "%s (while importing %r from INSTALLED_APPS)" % (msg, entry)
    message = ("%s: %s" % (name, msg)) if msg and name else (msg or name)
    try:
        hint = explain(exc)
    except Exception:  # a diagnosis helper must never hide the real error
        hint = None
    if hint:
        # "...ALLOWED_HOSTS.: the grader" reads badly; a sentence gets a
        # sentence after it.
        if message.endswith("."):
            message = "%s %s%s" % (message, hint[0].upper(), hint[1:])
        else:
            message = "%s: %s" % (message, hint)
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except Exception:
        pass
    try:
        _send({
            "event": "error",
            "phase": _phase,
            "message": message,
            "traceback": "\n".join(_tail_frames(lines, 30)),
        })
    finally:
        os._exit(1)


# ---- diagnoses -----------------------------------------------------------------
#
# The raw exception stays first in every message (tests and students grep for
# it); explain() only appends what to do about it, for the failures real
# repositories keep hitting. Each rule is narrow on purpose: a wrong hint is
# worse than none.

def _distribution(module):
    """The PyPI distribution that provides a top-level module, from the
    table the grader's inference reads too (module-distributions.tsv,
    beside this module), or None: a guess from the module's name sent
    students to packages that do not exist ("simple-history" for
    simple_history, h216). Read only on a failure, never at a boot that
    succeeds."""
    try:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               "module-distributions.tsv"), encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 2 and parts[0] == module:
                    return parts[1].split("|")[0]
    except OSError:
        pass
    return None

# Modules whose exceptions mean "talked to a database server".
_DB_DRIVERS = ("psycopg", "psycopg2", "MySQLdb", "pymysql", "mysql", "cx_Oracle",
               "oracledb", "pymongo", "redis")

# The library's own words for a missing variable, and how it takes a default.
_ENV_PATTERNS = (
    (re.compile(r"^Set the (\w+) environment variable"), "env(%r, default=...)"),  # django-environ
    (re.compile(r"^(\w+) not found\. Declare it as envvar or define a default"),
     "config(%r, default=...)"),                                                      # decouple
)


def _loading_entry(exc):
    """The INSTALLED_APPS entry django.setup() was importing when `exc` was
    raised (AppConfig.create's `entry`), or None. A failure deep inside a
    library's import shows only library frames, not which entry of the
    project's list led there (h477: an entry whose import reached DRF's
    settings, and through them SimpleJWT's import of the user model). Not
    said when the exception names the entry itself (its module missing)."""
    tb, entry = exc.__traceback__, None
    config = os.path.join("django", "apps", "config.py")
    while tb is not None and entry is None:
        code = tb.tb_frame.f_code
        if code.co_name == "create" and code.co_filename.endswith(config):
            found = tb.tb_frame.f_locals.get("entry")
            entry = found if isinstance(found, str) else None
        tb = tb.tb_next
    if entry and isinstance(exc, ImportError) and getattr(exc, "name", None) \
            and entry.startswith(exc.name.split(".")[0]):
        entry = None
    return entry


def _early_model_use(exc):
    """For AppRegistryNotReady: where the models were reached too early,
    as "FILE, line N (CODE)": the innermost frame outside Django itself,
    which is the import (or the get_user_model() call) of the project's or
    a library's module that needed them. None when every frame is
    Django's."""
    django_dir = os.sep + "django" + os.sep
    for f in reversed(traceback.extract_tb(exc.__traceback__)):
        if django_dir in f.filename or _is_machinery(f.filename):
            continue
        path = f.filename
        if path.startswith(os.getcwd() + os.sep):
            path = os.path.relpath(path)
        return "%s, line %s (%s)" % (path, f.lineno, (f.line or "").strip()[:120])
    return None


def _last_frame_module(exc):
    """__name__ of the module the exception was raised in ("os" for
    os.environ[...], whose module may be frozen and have no file)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_globals.get("__name__", "") if tb is not None else ""


# os.environ.get("NAME") or os.getenv("NAME") with no default, used at once.
_GET_NO_DEFAULT_RE = re.compile(
    r"""\b(?:os\.)?(?:environ\.get|getenv)\(\s*['"](\w+)['"]\s*\)""")


def _unset_variable_used(exc):
    """The variable, when `exc` is None's (an AttributeError or TypeError
    naming NoneType) raised on a line that reads one variable with no
    default, which is unset here: CSRF_TRUSTED_ORIGINS =
    os.environ.get("CSRF_TRUSTED_ORIGINS").split(",") (h414). Else None."""
    if not isinstance(exc, (AttributeError, TypeError)) or "NoneType" not in str(exc):
        return None
    frames = traceback.extract_tb(exc.__traceback__)
    line = frames[-1].line if frames else ""
    names = set(_GET_NO_DEFAULT_RE.findall(line or ""))
    if len(names) != 1:
        return None
    name = names.pop()
    return name if name not in os.environ else None


def _log_file_hint(exc, cause):
    """logging.config's "Unable to configure handler 'file'" around the
    handler's failed open (h414): which file, and why it cannot be opened
    where the app runs. The raw error stays first; this names the path the
    traceback shows only at its top."""
    if not isinstance(exc, ValueError) or not isinstance(cause, OSError):
        return None
    m = re.match(r"Unable to configure handler '([^']*)'", str(exc))
    path = getattr(cause, "filename", None)
    if not m or not isinstance(path, str) or not path:
        return None
    folder = os.path.dirname(os.path.abspath(path))
    inside = _in_project(path)
    if isinstance(cause, FileNotFoundError) and inside:
        why = ("whose folder %s is not in the repository (git keeps no empty folder, so a fresh "
               "clone lacks it too)" % os.path.relpath(folder))
        fix = ("commit the folder (with a .gitkeep), create it in settings before LOGGING "
               "(os.makedirs(..., exist_ok=True)), or log to the console")
    elif isinstance(cause, FileNotFoundError):
        why = "whose folder %s does not exist where the app runs (as on any fresh machine)" % folder
        fix = "log to the console (a StreamHandler), or to a file inside the project"
    else:
        why = "which the app cannot open where it runs (%s)" % (cause.strerror or type(cause).__name__)
        fix = "log to the console (a StreamHandler), or to a file inside the project"
    return ("the LOGGING handler %r writes to %s, %s: %s" % (m.group(1), path, why, fix))


def _label_clash_hint(text):
    """Django's "Application labels aren't unique, duplicates: auth" names
    the label, not the apps (h854: a project app apps.auth beside
    django.contrib.auth): the INSTALLED_APPS entries labelled so, read as
    Django reads a label by default (a module's last part; an AppConfig
    path's app before ".apps."), and the fix."""
    m = re.search(r"Application labels aren't unique, duplicates: (\w+)", text)
    if not m:
        return None
    label = m.group(1)
    try:
        from django.conf import settings
        entries = [e for e in settings.INSTALLED_APPS if isinstance(e, str)]
    except Exception:
        entries = []
    named = []
    for entry in entries:
        app = entry.split(".apps.")[0] if re.search(r"\.apps\.\w*Config$", entry) else entry
        if app.rsplit(".", 1)[-1] == label:
            named.append(entry)
    which = " (%s)" % ", ".join(named) if len(named) > 1 else ""
    return ("two apps in INSTALLED_APPS have the label %r%s: an app's label is the last part of its "
            "name unless its AppConfig sets one, and labels must be unique; rename your app's package, "
            "or give its AppConfig a label of its own (label = \"%s_app\")" % (label, which, label))


def _env_hint(var, how="os.environ.get(%r, ...)"):
    return ("your settings need the environment variable %s, which the grader does not "
            "set: give it a default (%s)" % (var, how % (var,)))


# Folders of the project that manage.py puts on sys.path (manage_py_paths).
_PROJECT_PATHS = []


def _is_local(top):
    """Is `top` a module or package of the project itself (so a missing
    submodule is a bug in the repository, not a missing dependency)? In its
    folder, or in one manage.py puts on the path (src/config, h254)."""
    for here in [os.getcwd()] + _PROJECT_PATHS:
        if (os.path.isdir(os.path.join(here, top))
                or os.path.isfile(os.path.join(here, top + ".py"))):
            return True
    return False


def _framework_of(name):
    """("Django", version) or ("djangorestframework", version) when a
    class called `name` is one of theirs (a module of theirs already
    imported defines it), else None."""
    for prefix, dist in (("django.", "Django"), ("rest_framework", "djangorestframework")):
        for mod_name, mod in list(sys.modules.items()):
            if mod_name.startswith(prefix) and isinstance(getattr(mod, name, None), type):
                try:
                    from importlib.metadata import version
                    return dist, version(dist)
                except Exception:
                    return None
    return None


# Names old tutorials import that a Django release removed, and what
# replaced them (h413: url() kept on Django 4.2). Only removals whose
# replacement is a rename: the hint must be right for every project.
_REMOVED_NAMES = {
    ("django.conf.urls", "url"): ("4.0", "django.urls.re_path (the same regex) or django.urls.path"),
    ("django.utils.translation", "ugettext"): ("4.0", "gettext"),
    ("django.utils.translation", "ugettext_lazy"): ("4.0", "gettext_lazy"),
    ("django.utils.translation", "ungettext"): ("4.0", "ngettext"),
    ("django.utils.translation", "ungettext_lazy"): ("4.0", "ngettext_lazy"),
    ("django.utils.translation", "ugettext_noop"): ("4.0", "gettext_noop"),
    ("django.utils.encoding", "force_text"): ("4.0", "force_str"),
    ("django.utils.encoding", "smart_text"): ("4.0", "smart_str"),
    ("django.utils.http", "is_safe_url"): ("4.0", "url_has_allowed_host_and_scheme"),
    ("django.utils.encoding", "python_2_unicode_compatible"): ("3.0", "nothing: delete the decorator"),
    ("django.utils.timezone", "utc"): ("5.0", "datetime.timezone.utc"),
}
# Keyword arguments a release renamed, the old name removed: (class,
# old) -> (the release that removed it, the new name).
_RENAMED_KWARGS = {
    ("CheckConstraint", "check"): ("6.0", "condition"),
}
_REMOVED_MODULES = {
    "django.core.urlresolvers": ("2.0", "django.urls"),
    "django.utils.six": ("3.0", "the six package, or Python 3's own names"),
}


def _importing_package(exc):
    """The top-level package under site-packages whose code ran the failing
    import (the last frame that is not importlib's), or None when it was
    the project's own code."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not _is_machinery(f.filename)]
    if not frames:
        return None
    parts = frames[-1].filename.replace(os.sep, "/").split("/")
    for i, part in enumerate(parts[:-1]):
        if part in ("site-packages", "dist-packages"):
            top = parts[i + 1]
            return top[:-3] if top.endswith(".py") else top
    return None


def _version_of(dist):
    try:
        from importlib.metadata import version
        return version(dist)
    except Exception:
        return None


def _import_name_hint(exc, module, name):
    """`from MODULE import NAME` failed, MODULE being Django's or DRF's."""
    import django
    dj = django.get_version()
    where = REQUIREMENTS.split(" ")[0]
    removed = _REMOVED_NAMES.get((module, name))
    pkg = _importing_package(exc)
    if removed and pkg is None:
        return ("Django %s removed %s.%s, and the version installed is %s: use %s (or pin the "
                "Django your project was written for in %s)"
                % (removed[0], module, name, dj, removed[1], where))
    if (pkg is not None and pkg != "django"
            and not (pkg == "rest_framework" and module.startswith("rest_framework"))):
        # A package's own code (h413: djangorestframework 3.12 importing
        # parse_header from Django 4.2): that release and this Django do
        # not go together; "check the name" would point at the project.
        dist = _distribution(pkg) or pkg
        ver = _version_of(dist)
        return ("%s%s imports %s from %s, which Django %s does not have: that release was made "
                "for another Django; pin a %s release made for Django %s, or the Django it "
                "was made for, in %s" % (dist, " " + ver if ver else "", name, module, dj, dist,
                                         dj, where))
    # Not only a version's name: a name no release has (h179, h188:
    # HttpResponseSeeOther, with Django pinned already).
    return ("%s has no %s in Django %s, the version installed: check the name, or pin the "
            "Django (and djangorestframework) version your project was written for in %s"
            % (module, name, dj, where))


def _sessions_cache_dummy():
    """Whether sessions live in a cache alone (cached_db also writes the
    database), and that cache is DummyCache."""
    try:
        from django.conf import settings
        if settings.SESSION_ENGINE.rsplit(".", 1)[-1] != "cache":
            return False
        alias = getattr(settings, "SESSION_CACHE_ALIAS", "default")
        return settings.CACHES[alias]["BACKEND"].endswith(".DummyCache")
    except Exception:
        return False


def _user_unique_unfilled(text):
    """Where a user could not be made for a unique field of the user model
    that create_user is given no value for (neither USERNAME_FIELD nor in
    REQUIRED_FIELDS, which are what createsuperuser asks and the grader
    fills): each user gets its empty default, the second (or a row a
    package made, django-guardian's anonymous user, h720) is refused. The
    advice for that field, else None."""
    m = re.search(r"UNIQUE constraint failed: (\w+)\.(\w+)", text)
    if not m:
        return None
    try:
        from django.contrib.auth import get_user_model
        model = get_user_model()
        if model._meta.db_table != m.group(1):
            return None
        field = next(f for f in model._meta.concrete_fields if f.column == m.group(2))
    except Exception:
        return None
    if field.name == model.USERNAME_FIELD or field.name in getattr(model, "REQUIRED_FIELDS", ()):
        return None
    return ("the user model's %s is unique, and create_user is given no value for it (it is neither "
            "USERNAME_FIELD nor in REQUIRED_FIELDS, which createsuperuser asks for and the grader "
            "fills): every user gets the same empty one, so the second is refused; add it to "
            "REQUIRED_FIELDS, or let it be empty more than once (null=True, blank=True)" % field.name)


def _cache_table_alias(table):
    """The alias of the CACHES entry whose DatabaseCache keeps its entries
    in the table `table`, or None. That table is made by `manage.py
    createcachetable`, never by `migrate` (h402): a project whose cache
    table exists only on its author's database fails on a new one."""
    try:
        from django.conf import settings
        for alias, conf in settings.CACHES.items():
            if (str(conf.get("BACKEND", "")).endswith(".DatabaseCache")
                    and conf.get("LOCATION") == table):
                return alias
    except Exception:
        pass
    return None


def _other_case_in(folders, name):
    """A module (NAME.py) or folder of one of `folders` whose name is `name`
    in other letter case, as its file has it, or None: Linux's file names,
    and so its imports, tell the cases apart."""
    for here in folders:
        try:
            names = os.listdir(here)
        except OSError:
            continue
        for entry in sorted(names):
            stem = entry[:-3] if entry.endswith(".py") else entry
            if stem != name and stem.lower() == name.lower() and (
                    entry.endswith(".py") or os.path.isdir(os.path.join(here, entry))):
                return stem
    return None


def _local_other_case(top):
    """The project's own module or package whose name is `top` in other
    letter case ("shop" for `from Shop.models import ...`, h276), or None."""
    return _other_case_in([os.getcwd()] + _PROJECT_PATHS, top)


def _submodule_other_case(dotted):
    """For `pkg.Sub` missing where the project's package `pkg` (imported
    already) holds `sub` in other letter case (h417: `from .Models import
    Product` written on Windows, whose file names ignore case): the name as
    the file has it, "pkg.sub", or None."""
    parent, _, last = dotted.rpartition(".")
    pkg = sys.modules.get(parent)
    paths = list(getattr(pkg, "__path__", None) or []) if parent else []
    stem = _other_case_in([p for p in paths if _in_project(p)], last)
    return "%s.%s" % (parent, stem) if stem else None


def _project_walk():
    """os.walk of the project's folder, up to three folders down, never into
    a hidden folder, a virtualenv or node_modules; folders in name order."""
    here = os.getcwd()
    for dirpath, dirnames, filenames in os.walk(here):
        depth = os.path.relpath(dirpath, here).count(os.sep) + (dirpath != here)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in (
            "node_modules", "site-packages", "venv", "env", "__pycache__")) if depth < 3 else []
        yield dirpath, dirnames, filenames


def _files_with_nul():
    """The project's .py files (_project_walk) that hold a NUL byte, as
    relative paths, at most three."""
    here = os.getcwd()
    found = []
    for dirpath, dirnames, filenames in _project_walk():
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            try:
                with open(os.path.join(dirpath, name), "rb") as f:
                    if b"\0" in f.read(1 << 20):
                        found.append(os.path.relpath(os.path.join(dirpath, name), here))
            except OSError:
                continue
            if len(found) == 3:
                return found
    return found


def _project_folder_of(top):
    """The project's own package or module `top` in a subfolder (up to three
    down, never in a virtualenv or node_modules), as a relative path, or
    None: a module missing because its folder is not on the path is not a
    PyPI package to install (h254)."""
    here = os.getcwd()
    for dirpath, dirnames, filenames in _project_walk():
        # A package's own module (tickets/rules.py beside tickets/__init__.py)
        # is imported as tickets.rules: `import rules` never meant it (h337:
        # django-rules' package reported as that file off the path).
        if dirpath == here or os.path.isfile(os.path.join(dirpath, "__init__.py")):
            continue
        if top in dirnames and os.path.isfile(os.path.join(dirpath, top, "__init__.py")):
            return os.path.relpath(os.path.join(dirpath, top), here)
        if top + ".py" in filenames:
            return os.path.relpath(os.path.join(dirpath, top + ".py"), here)
    return None


def _project_subpackage_of(top):
    """The project's own package `top` inside one of its packages (apps/
    products/ beside apps/__init__.py, up to three down), as its dotted
    name ("apps.products"), or None: an AppConfig.name or INSTALLED_APPS
    entry without its parent package is no PyPI package either (h394)."""
    here = os.getcwd()
    for dirpath, dirnames, filenames in os.walk(here):
        rel = os.path.relpath(dirpath, here)
        depth = rel.count(os.sep) + (dirpath != here)
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in (
            "node_modules", "site-packages", "venv", "env", "__pycache__")] if depth < 3 else []
        if dirpath == here or not os.path.isfile(os.path.join(dirpath, "__init__.py")):
            continue
        if top in dirnames and os.path.isfile(os.path.join(dirpath, top, "__init__.py")):
            return ".".join(rel.split(os.sep) + [top])
    return None


_FSTRING_RE = re.compile(r"(?<![\w])[rRbB]?[fF][rR]?[\"']")
# PEP 695 (Python 3.12): a type alias statement, or type parameters on a
# function or a class ("type Id = int", "def first[T](xs)", "class Box[T]:").
_PEP695_RE = re.compile(r"^\s*(type\s+[A-Za-z_]\w*\s*(\[[^\]]*\])?\s*=|"
                        r"(async\s+)?def\s+[A-Za-z_]\w*\s*\[|class\s+[A-Za-z_]\w*\s*\[)")


def _needs_newer_python(exc):
    """A SyntaxError that only Python 3.12 accepts: its f-strings (PEP 701:
    the same quotes, a backslash or a comment inside the braces), or its
    type alias statement and type parameters (PEP 695, h114)."""
    if not isinstance(exc, SyntaxError) or sys.version_info >= (3, 12):
        return None
    text, msg = exc.text or "", exc.msg or ""
    where = "%s line %s" % (os.path.relpath(exc.filename) if exc.filename else "a file",
                            exc.lineno or "?")
    if _PEP695_RE.match(text):
        return ("%s uses a type alias or type parameters (PEP 695), which needs Python 3.12 or "
                "newer, and the grader ran it with Python %d.%d: name the Python your project "
                "needs (requires-python, .python-version), or write the types the older way "
                "(TypeAlias, TypeVar)" % (where, sys.version_info[0], sys.version_info[1]))
    if not _FSTRING_RE.search(text):
        return None
    if not (msg.startswith("f-string") or "line continuation character" in msg):
        return None
    return ("%s uses an f-string that needs Python 3.12 or newer (the same kind of quotes, a "
            "backslash or a comment inside its braces, PEP 701), and the grader ran it with "
            "Python %d.%d: use the other kind of quotes inside the braces, "
            "or compute the value first" % (where, sys.version_info[0], sys.version_info[1]))


def _postgres_fields(limit=3):
    """The project's model fields of django.contrib.postgres ("store.Product.tags
    (ArrayField)"), at most `limit`, or []: the app registry is ready by
    migrate."""
    found = []
    try:
        from django.apps import apps
        for model in apps.get_models():
            for field in model._meta.local_fields + model._meta.local_many_to_many:
                if type(field).__module__.startswith("django.contrib.postgres"):
                    found.append("%s.%s.%s (%s)" % (model._meta.app_label, model.__name__, field.name,
                                                    type(field).__name__))
                    if len(found) == limit:
                        return found
    except Exception:
        return []
    return found


def _cache_server_unreached(exc, mod, cmod):
    """Whether `exc` is a cache server's that could not be reached: a
    connection error (of the client library or Python's) raised through a
    cache backend's method (Django's Redis or Memcached one, django-redis',
    any BaseCache)."""
    if not (isinstance(exc, (ConnectionError, TimeoutError, OSError))
            or mod.split(".")[0] in ("redis", "pymemcache", "pylibmc")
            or (cmod or "").split(".")[0] in ("redis", "pymemcache", "pylibmc")):
        return False
    try:
        from django.core.cache.backends.base import BaseCache
    except Exception:
        return False
    tb = exc.__traceback__
    while tb is not None:
        if isinstance(tb.tb_frame.f_locals.get("self"), BaseCache):
            return True
        tb = tb.tb_next
    return False


def _channel_layer_unreached(exc, mod, cmod):
    """Where a channel layer's server could not be reached: a connection
    error raised through an object that speaks the ASGI channel layer
    interface (new_channel and group_send, as channels' layers and
    channels_redis' have; read by its methods, not by class, so a layer of
    the project's own counts too), as the deepest frame of the project's
    own that called it ("shop/apps.py:12"), "" where none did, or None
    when it was not a layer's (h904: told to mend DATABASES)."""
    if not (isinstance(exc, (ConnectionError, TimeoutError, OSError))
            or mod.split(".")[0] == "redis" or (cmod or "").split(".")[0] == "redis"):
        return None
    layer, where, tb = False, "", exc.__traceback__
    while tb is not None:
        own = tb.tb_frame.f_locals.get("self")
        if own is not None and callable(getattr(own, "group_send", None)) \
                and callable(getattr(own, "new_channel", None)):
            layer = True
        name = tb.tb_frame.f_code.co_filename
        if not layer and _in_project(name):
            where = "%s:%d" % (os.path.relpath(os.path.realpath(name)), tb.tb_lineno)
        tb = tb.tb_next
    return where if layer else None


def _init_command_failed(exc):
    """The statement of a SQLite database's init_command (its OPTIONS)
    that raised `exc` (Django's sqlite3 backend runs each, split on ';',
    as a new connection's first), else None."""
    tb = exc.__traceback__
    found = None
    while tb is not None and found is None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "get_new_connection" and "sqlite3" in frame.f_code.co_filename \
                and isinstance(frame.f_locals.get("init_command"), str) and tb.tb_next is None:
            found = frame.f_locals["init_command"]
        tb = tb.tb_next
    return found


def explain(exc):
    """What the student should do about `exc`, or None."""
    newer = _needs_newer_python(exc)
    if newer:
        return newer
    if type(exc).__name__ == "AppRegistryNotReady" and _phase == "setup":
        where = _early_model_use(exc)
        if where:
            return ("%s uses the models while the apps are still being imported, before any "
                    "model can load: do it inside a function or in AppConfig.ready(), or take "
                    "a library that does it at import out of INSTALLED_APPS" % where)
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str):
        # os.environ["NAME"]: the KeyError is raised inside os.py.
        if _last_frame_module(exc) == "os":
            return _env_hint(exc.args[0])
    text = str(exc)
    for rx, how in _ENV_PATTERNS:
        m = rx.search(text)
        if m:
            return _env_hint(m.group(1), how)
    unset = _unset_variable_used(exc)
    if unset:
        return _env_hint(unset)
    if "source code string cannot contain null bytes" in text:
        # Python names no file (h417: a line PowerShell's >> appended to
        # settings.py as UTF-16, whose every other byte is NUL).
        files = _files_with_nul()
        if files:
            return ("%s %s NUL bytes: text saved as UTF-16 (as Windows PowerShell's > and >> "
                    "write it), which Python cannot read: save %s as UTF-8"
                    % (", ".join(files), "holds" if len(files) == 1 else "hold",
                       "it" if len(files) == 1 else "them"))
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        top = exc.name.split(".")[0]
        cased = _local_other_case(top) if top and not _is_local(top) else None
        if cased:
            return ("%r is not the project's %r: imports name a module in its exact letter "
                    "case, as the files on Linux are named (import %s)" % (top, cased, cased))
        cased = _submodule_other_case(exc.name) if "." in exc.name else None
        if cased:
            return ("%r is not the project's %r: imports name a module in its exact letter "
                    "case, as the files on Linux are named (Windows and macOS ignore the "
                    "case; Linux does not)" % (exc.name, cased))
        elsewhere = _project_folder_of(top) if top and not _is_local(top) else None
        if elsewhere:
            return ("%r is the project's folder %s, which is not on the import path: modules "
                    "are imported from manage.py's folder, and from a folder inside the "
                    "project that manage.py adds with sys.path.insert(0, ...) or "
                    "sys.path.append(...) by name" % (top, elsewhere))
        inside = _project_subpackage_of(top) if top and not _is_local(top) else None
        if inside:
            return ("%r is the project's own package %s: name it so, in INSTALLED_APPS and in "
                    "its AppConfig's name (name = %r in %s/apps.py)"
                    % (top, inside, inside, inside.replace(".", "/")))
        if top and not _is_local(top):
            import importlib.util
            try:
                found = importlib.util.find_spec(top) is not None
            except Exception:
                found = False
            if not found:
                dist = _distribution(top)
                return ("the module %r is not installed in the grading environment: add its "
                        "package (%s) to %s, pinned to the version you use"
                        % (top, dist or "its name on PyPI may differ from the module's",
                           REQUIREMENTS))
    if isinstance(exc, ValueError):
        # A migration graph naming what no committed migration makes: the
        # app whose migrations were never committed, not Django's
        # internals the traceback ends in (h237).
        m = re.search(r"Dependency on app with no migrations: (\w+)", text)
        if m:
            return ("the app %r has no committed migrations, and another app's migrations "
                    "depend on it: run makemigrations %s and commit its migrations folder"
                    % (m.group(1), m.group(1)))
        m = re.search(r"Related model '([\w.]+)' cannot be resolved", text)
        if m:
            return ("no committed migration creates the model %s (a model, or "
                    "AUTH_USER_MODEL, changed without makemigrations?): run makemigrations "
                    "and commit what it writes" % m.group(1))
    m = re.search(r"no such table: (\w+)", text)
    alias = _cache_table_alias(m.group(1)) if m else None
    if alias:
        return ("the table %s is the one CACHES[%r] (DatabaseCache) keeps its entries in, which "
                "only manage.py createcachetable makes: a new database gets migrate alone, so "
                "create it in a migration (RunPython calling call_command('createcachetable')) "
                "or use a cache that needs no table (LocMemCache)" % (m.group(1), alias))
    if _phase == "users" and re.search(r"has no column named \w+|no such column: [\w.]+|no such table: \w+",
                                       text):
        # A receiver of the users' post_save (a profile made for each
        # user, h320) writing a model changed without its migration.
        return ("a model changed without its migration? run makemigrations and commit the "
                "migrations folder")
    if _phase == "users" and type(exc).__name__ == "IntegrityError" and "UNIQUE constraint failed" in text:
        why = _user_unique_unfilled(text)
        if why:
            return why
        # The user saved again after create_user (as a sign-in does, for
        # last_login): a post_save receiver that creates a row for the
        # user on every save, not only the first (h571: a Profile).
        return ("saving a user a second time (after create_user, as every sign-in does for "
                "last_login) made a row that exists already: a post_save receiver that creates "
                "one for the user should do it only when created is True")
    if (_phase == "users" and isinstance(exc, AttributeError)
            and re.search(r"object has no attribute 'create_user'", text)):
        # A custom user model given a plain models.Manager (h571): SPEC.md's
        # users, createsuperuser and Django's own forms make users through
        # the manager's create_user.
        return ("the user model's manager (objects) has no create_user, with which the grader "
                "makes SPEC.md's users, as createsuperuser does: give the model a manager of its "
                "own on BaseUserManager defining create_user (and create_superuser)")
    if isinstance(exc, TypeError) and _phase == "users":
        # A model logging in by email that kept Django's UserManager,
        # whose create_user takes a username (h318): the manager, not
        # the grader's call, is what to change.
        m = re.search(r"create_user\(\) missing \d+ required positional arguments?: '(\w+)'", text)
        if m:
            from django.contrib.auth import get_user_model
            uf = get_user_model().USERNAME_FIELD
            if uf != m.group(1):
                return ("the user model's manager (objects) wants %s, while its USERNAME_FIELD is %r: "
                        "give the model a manager of its own (a BaseUserManager) whose create_user "
                        "takes the %s" % (m.group(1), uf, uf))
    if isinstance(exc, TypeError):
        # A Django or DRF class called the way another release takes it
        # (h277: CheckConstraint(check=...) on Django 6, let in by an
        # unpinned Django>=5.2): which release the grader installed.
        m = re.match(r"(\w+)\.__init__\(\) (got an unexpected keyword argument|missing \d+ required)",
                     text)
        owner = _framework_of(m.group(1)) if m else None
        kw = re.search(r"unexpected keyword argument '(\w+)'", text) if owner else None
        renamed = _RENAMED_KWARGS.get((m.group(1), kw.group(1))) if kw else None
        if renamed:
            # A keyword a release renamed (h422: CheckConstraint(check=)
            # on a Django 6 the project pinned itself): the new name is
            # the fix, not an older Django.
            return ("%s %s renamed %s's %s= to %s=: write %s= (in the models and in the migrations "
                    "that have it), or pin the %s your project was written for in %s"
                    % (owner[0], renamed[0], m.group(1), kw.group(1), renamed[1], renamed[1], owner[0],
                       REQUIREMENTS.split(" ")[0]))
        if owner:
            return ("%s is %s's, and the grader installed %s %s: pin the version your project "
                    "was written for in %s" % (m.group(1), owner[0], owner[0], owner[1],
                                               REQUIREMENTS.split(" ")[0]))
    if isinstance(exc, ImportError) and not isinstance(exc, ModuleNotFoundError):
        m = re.search(r"cannot import name '([\w.]+)' from '((?:django|rest_framework)[\w.]*)'",
                      text)
        if m:
            return _import_name_hint(exc, m.group(2), m.group(1))
    if isinstance(exc, ModuleNotFoundError) and exc.name in _REMOVED_MODULES:
        since, instead = _REMOVED_MODULES[exc.name]
        return ("Django %s removed %s: use %s" % (since, exc.name, instead))
    mod = type(exc).__module__ or ""
    cause = exc.__cause__ or exc.__context__
    cmod = type(cause).__module__ if cause is not None else ""
    if _cache_server_unreached(exc, mod, cmod):
        # A Redis or Memcached cache (sessions kept there, h662): the
        # database's advice sent the student to DATABASES.
        return ("the project's cache (CACHES, a Redis or Memcached server) could not be reached: "
                "the grader gives no network, so where no cache server is, use LocMemCache "
                "(CACHES read from the environment, falling back to it); sessions kept in that "
                "cache (SESSION_ENGINE) need it to store them")
    layer = _channel_layer_unreached(exc, mod, cmod)
    if layer is not None:
        # A channel layer's Redis reached while the app starts (h904: a
        # flush in ready()), told to mend DATABASES by the rule below.
        return ("the channel layer (CHANNEL_LAYERS, a Redis server) could not be reached%s: the "
                "grader serves the app over WSGI with no network, so do not reach the layer while "
                "the app starts (ready(), imports), and where no Redis is, use "
                "channels.layers.InMemoryChannelLayer (CHANNEL_LAYERS read from the environment, "
                "falling back to it)" % ((" from " + layer) if layer else ""))
    if (mod.split(".")[0] in _DB_DRIVERS or (cmod or "").split(".")[0] in _DB_DRIVERS
            or isinstance(exc, (ConnectionError, TimeoutError))
            or re.search(r"could not connect to server|Connection refused|could not translate "
                         r"host name|Can't connect to MySQL|Name or service not known|"
                         r"Temporary failure in name resolution|Network is unreachable", text)):
        return ("the project tried to reach a database or other server; the grader gives "
                "every run its own SQLite database and no network, so reach the database "
                "only through settings.DATABASES (which the grader replaces), never at "
                "import time or through a hard-coded connection")
    if (_phase in ("import", "setup") and type(exc).__name__ == "OperationalError"
            and "no such table" in text):
        return ("a query ran while the project was being imported, before migrate made the "
                "tables, as on any new database (`manage.py migrate` on a fresh machine fails "
                "the same way): query inside a function, a view or a form's __init__, not at "
                "module level (choices=... read from the database, a count in urls.py)")
    if type(exc).__name__ in ("UpdateError", "SessionInterrupted") and _sessions_cache_dummy():
        # Sessions kept in a cache that keeps nothing (h280): no sign-in
        # can last a request, the grader's or a student's.
        return ("SESSION_ENGINE keeps sessions in a cache, and that cache is DummyCache, which "
                "stores nothing: no user can stay signed in; use a cache that stores "
                "(LocMemCache) or the database sessions")
    if type(exc).__name__ == "DisallowedHost":
        return ("the grader adds 127.0.0.1 and localhost to ALLOWED_HOSTS, but the project "
                "changes ALLOWED_HOSTS again after the settings module (or checks the host "
                "itself): leave ALLOWED_HOSTS to the settings module")
    logfile = _log_file_hint(exc, cause)
    if logfile:
        return logfile
    clash = _label_clash_hint(text) if type(exc).__name__ == "ImproperlyConfigured" else None
    if clash:
        return clash
    if "django.contrib.postgres" in text:
        # A Postgres-only field on the grader's SQLite (h427: a 2019
        # course's contrib.postgres JSONField, "Cannot quote parameter
        # value ... JsonAdapter" at migrate).
        return ("django.contrib.postgres's fields (JSONField, ArrayField, HStoreField) work on "
                "PostgreSQL alone, and the grader gives every run its own SQLite database: use "
                "django.db.models.JSONField (Django 3.1 and newer), in the model and its migrations")
    pg = _postgres_fields() if _phase == "migrate" else None
    if pg:
        # Its error names no field (h468: an ArrayField's "Cannot quote
        # parameter value [] of type <class 'list'>", or 'near "[]":
        # syntax error' at CREATE TABLE): the models say which.
        return ("%s %s django.contrib.postgres's, which works on PostgreSQL alone, and the grader "
                "gives every run its own SQLite database: use django.db.models.JSONField, or a "
                "related model, in the model and its migrations"
                % (", ".join(pg), "is" if len(pg) == 1 else "are"))
    init = _init_command_failed(exc)
    if init is not None:
        # The project's own SQLite init_command, kept with its OPTIONS
        # (h915: "PRAGMA journal_mode=WAL, synchronous=NORMAL"), fails at
        # every connection: told it was a migration's SQL.
        return ("SQLite could not run %r, of the init_command in DATABASES' OPTIONS, which every "
                "connection runs first (migrate's and the server's, as on your machine): write it "
                "as SQLite's own statements, each PRAGMA its own, separated by ';'" % (init,))
    # SQL written for another database, in a migration: Django writes
    # SQLite's own for every operation of its own, so a syntax error at
    # migrate is a RunSQL's, or a PostgreSQL index or constraint's (h630:
    # 'near "USING"' of a GIN index, 'near "EXCLUDE"' of an
    # ExclusionConstraint), which said nothing of the database.
    if (_phase == "migrate" and type(exc).__name__ == "OperationalError"
            and re.search(r'near "[^"]*": syntax error', text)):
        return ("the migration's SQL is another database's (PostgreSQL's?), and the grader gives "
                "every run its own SQLite database: run it only there (a RunPython that checks "
                "schema_editor.connection.vendor == \"postgresql\"), or write it for both")
    # A missing module inside another error: logging.config's "Unable to
    # configure formatter 'json'" around No module named 'pythonjsonlogger'
    # (h254) is the missing module's (one level: a chain is not walked).
    if isinstance(cause, ModuleNotFoundError) and not isinstance(exc, ModuleNotFoundError):
        return explain(cause)
    return None


# ---- the settings module ----------------------------------------------------

_SETDEFAULT_RE = re.compile(
    r"""DJANGO_SETTINGS_MODULE['"]\s*,\s*(?:f?['"])([A-Za-z_][\w.]*)['"]""")


def _source_order(node):
    """Every node under `node`, itself first, each node's children in
    source order (ast.walk goes breadth first: BASE_DIR / "src" / "apps"
    read as ["apps", "src"])."""
    yield node
    for child in ast.iter_child_nodes(node):
        yield from _source_order(child)


def _path_steps(expr, names, depth):
    """(parts, ups) of _path_parts, or None; a name assigned in manage.py
    (names: its last `NAME = expr`) read as its expression, up to three
    names deep (h398: SRC_DIR = Path(__file__).resolve().parent / "src",
    then sys.path.insert(0, str(SRC_DIR)))."""
    parts = []
    ups = 0
    # Path(__file__).resolve().parents[N] is N + 1 folders up, as many
    # .parent (h708: parents[0], manage.py's own folder, was refused): the
    # subscript comes before its `parents` in source order.
    counted = set()
    for node in _source_order(expr):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) \
                and node.value.attr == "parents":
            index = node.slice.value if isinstance(node.slice, getattr(ast, "Index", ())) else node.slice
            index = getattr(index, "value", getattr(index, "n", None))
            if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < 8:
                counted.add(id(node.value))
                ups += index + 1
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            parts.append(node.value)
        elif isinstance(node, ast.Attribute) and node.attr in ("parents", "pardir") and id(node) not in counted:
            return None
        elif isinstance(node, ast.Call) and not isinstance(node.func, (ast.Name, ast.Attribute)):
            return None
        elif isinstance(node, ast.Name) and node.id in names and depth < 3:
            sub = _path_steps(names[node.id], names, depth + 1)
            if sub is None:
                return None
            parts.extend(sub[0])
            ups += sub[1]
        # Path(__file__).parent or os.path.dirname(__file__) is manage.py's
        # folder; a second step up leaves it.
        if ((isinstance(node, ast.Attribute) and node.attr in ("parent", "dirname"))
                or (isinstance(node, ast.Name) and node.id == "dirname")):
            ups += 1
    return parts, ups


def _path_parts(expr, names=None):
    """The folder names an expression of manage.py's joins onto its own
    folder: os.path.join(BASE_DIR, "src"), BASE_DIR / "src" / "apps",
    str(Path(__file__).resolve().parent / "src") or a bare "src" give
    ["src"] and ["src", "apps"], and so does a name manage.py assigned
    such an expression (`names`, from _manage_py_names); None for anything
    else (a call of the project's own, a parent folder, an absolute
    path)."""
    steps = _path_steps(expr, names or {}, 0)
    if steps is None:
        return None
    parts, ups = steps
    if not parts and ups < 2:
        return None
    # A step above manage.py's folder is "..": manage_py_paths keeps the
    # folder only inside the repository (h802: site/manage.py putting
    # ../packages/django-recipes/src on sys.path).
    out = [".."] * max(ups - 1, 0)
    for part in parts:
        if part.startswith("/"):
            return None
        for piece in part.replace("\\", "/").split("/"):
            if piece not in ("", "."):
                out.append(piece)
    return out or None


def _plain_assignment(node):
    """(NAME, expression) for a plain assignment (NAME = expr, NAME: T =
    expr), else None."""
    if (isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)):
        return node.targets[0].id, node.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
        return node.target.id, node.value
    return None


def _manage_py_names(tree):
    """{name: expression} of manage.py's plain assignments, the last one of
    each name in source order."""
    return dict(a for a in map(_plain_assignment, _source_order(tree)) if a)


@functools.lru_cache(maxsize=4)
def _manage_py_tree(manage_py):
    """manage.py's text and its tree (None when it does not parse), read
    and parsed once a boot: the folders it puts on sys.path, the settings
    module and the configuration class it names all come from it. Never
    mutated by its readers (ast.walk only)."""
    with open(manage_py, "rb") as f:
        src = f.read().decode("utf-8", "replace")
    try:
        return src, ast.parse(src)
    except SyntaxError:
        return src, None


def manage_py_paths(project, manage_py="manage.py"):
    """[(index, folder)] for each sys.path.insert(i, ...) / append(...) of
    manage.py that names a folder inside the repository: `python manage.py`
    runs those lines, the boot reads them (manage.py is never executed), so
    a project whose settings live in src/ beside a top-level manage.py
    imports as it does on the student's machine (h254). Only literal folder
    names joined onto manage.py's own folder or its parents count; the
    folder must exist inside the repository (REPO_ROOT, else the project),
    symlinks resolved."""
    try:
        tree = _manage_py_tree(manage_py)[1]
    except (OSError, ValueError):
        return []
    if tree is None:
        return []
    root = os.path.realpath(project)
    # The repository's root, where manage.py is in a folder of it (the
    # grader's word, GRADER_REPO_ROOT); else the project's folder.
    repo = os.path.realpath(REPO_ROOT) if REPO_ROOT else root
    if root != repo and not root.startswith(repo + os.sep):
        repo = root
    names = _manage_py_names(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("insert", "append")
                and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "path"
                and isinstance(node.func.value.value, ast.Name) and node.func.value.value.id == "sys"
                and len(node.args) == (2 if node.func.attr == "insert" else 1)):
            continue
        parts = _path_parts(node.args[-1], names)
        if not parts:
            continue
        folder = os.path.realpath(os.path.join(root, *parts))
        if (folder.startswith(repo + os.sep) or (folder == repo != root)) and os.path.isdir(folder):
            found.append((0 if node.func.attr == "insert" else None, folder))
    return found


def _environ_value(node, var):
    """The expression `node` gives the environment variable VAR, when it is
    os.environ.setdefault(VAR, expr) or os.environ[VAR] = expr, else None."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setdefault" and len(node.args) >= 2
            and isinstance(node.args[0], ast.Constant) and node.args[0].value == var):
        return node.args[1]
    if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant) and t.slice.value == var
            for t in node.targets):
        return node.value
    return None


def _environ_default(tree, var):
    """The string manage.py gives the environment variable VAR, written as
    a string (_environ_value, AST), or None: the first `python manage.py`
    reaches (_manage_py_statements), not the first written (h735: a match
    or an if on DJANGO_ENV whose first branch names the production
    settings)."""
    for st in _manage_py_statements(tree.body, {}):
        for node in ast.walk(st):
            expr = _environ_value(node, var)
            if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
                return expr.value
    return None


class _Unknown(Exception):
    """A manage.py expression whose value cannot be known without running
    code the boot does not run."""


_ENVIRON_GETTERS = ("os.environ.get", "environ.get", "os.getenv", "getenv")
# Readers of the environment through a library's helper, which also read a
# .env file beside manage.py: python-decouple's config(NAME, default=...)
# and django-environ's env(NAME, default=...) or env.str(...) (h622: the
# settings module named with decouple or environ in manage.py).
_CONFIG_GETTERS = ("config", "decouple.config", "env", "env.str", "environ.Env().str")


def _dotenv_value(name, folder="."):
    """NAME's value in the .env file of `folder` (KEY=VALUE lines, an
    optional "export ", quotes around the value), as decouple and
    django-environ read it, or None. The file is the project's: bounded."""
    try:
        with open(os.path.join(folder, ".env"), encoding="utf-8", errors="replace") as f:
            text = f.read(65536)
    except OSError:
        return None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("export "):
            line = line[7:].lstrip()
        key, sep, val = line.partition("=")
        if sep and key.strip() == name:
            val = val.strip()
            if len(val) >= 2 and val[0] == val[-1] and val[0] in "'\"":
                val = val[1:-1]
            return val
    return None


def _dotted(node):
    """"os.environ.get" for that attribute chain, or None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _static_value(node, names, depth=0):
    """The value of a manage.py expression, worked out without running it
    (manage.py is read, never executed: h449's settings chosen by
    DJANGO_ENV). Constants, f-strings, + and % of strings, str.format,
    the names manage.py assigned, os.environ.get / os.getenv (the boot's
    own environment, as `python manage.py` would see it), decouple's
    config() and django-environ's env() (the environment, then .env, then
    their default), comparisons, and
    / or / not and a conditional expression. Anything else (a call into
    the project, sys.argv) is unknown: _Unknown."""
    if depth > 40:
        raise _Unknown()
    def value(n):
        return _static_value(n, names, depth + 1)
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, bool, type(None))):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out = []
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                v = value(part.value)
                v = repr(v) if part.conversion == ord("r") else v
                spec = value(part.format_spec) if part.format_spec is not None else ""
                out.append(format(v, spec))
            else:
                out.append(str(value(part)))
        return "".join(out)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        left, right = value(node.left), value(node.right)
        if not isinstance(left, str):
            raise _Unknown()
        if isinstance(node.op, ast.Add):
            if not isinstance(right, str):
                raise _Unknown()
            return left + right
        return left % right
    if isinstance(node, ast.Tuple):
        return tuple(value(e) for e in node.elts)
    # A table of modules looked up by the environment's word (h735:
    # {"local": "config.settings.local", ...}[os.environ.get("DJANGO_ENV",
    # "local")], or its .get(word, default)).
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            raise _Unknown()
        return {value(k): value(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.Subscript):
        obj = value(node.value)
        sl = node.slice.value if type(node.slice).__name__ == "Index" else node.slice
        if isinstance(sl, ast.Slice):
            # sys.argv[1:2] (h744).
            bounds = [value(b) if b is not None else None for b in (sl.lower, sl.upper, sl.step)]
            if not isinstance(obj, (tuple, str)) or any(b is not None and type(b) is not int for b in bounds):
                raise _Unknown()
            return obj[slice(*bounds)]
        key = value(sl)
        if not isinstance(obj, (dict, tuple, str)):
            raise _Unknown()
        try:
            return obj[key]
        except (KeyError, IndexError, TypeError):
            raise _Unknown()
    # sys.argv as `python manage.py runserver` has it, the command the
    # grader stands for (h744: "config.settings.test" if "test" in
    # sys.argv else "config.settings.dev", refused, or its test branch
    # taken).
    if _dotted(node) == "sys.argv":
        return ("manage.py", "runserver")
    if isinstance(node, ast.Name):
        if node.id == "__name__":
            return "__main__"
        if node.id not in names:
            raise _Unknown()
        return value(names[node.id])
    if isinstance(node, ast.IfExp):
        return value(node.body) if value(node.test) else value(node.orelse)
    if isinstance(node, ast.BoolOp):
        result = None
        for v in node.values:
            result = value(v)
            if bool(result) == isinstance(node.op, ast.Or):
                return result
        return result
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return not value(node.operand)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right = value(node.left), value(node.comparators[0])
        op = type(node.ops[0])
        ops = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
               ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b,
               ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
               ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b,
               ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b}
        if op not in ops or (op in (ast.In, ast.NotIn) and not isinstance(right, (str, tuple, dict))):
            raise _Unknown()
        if op in (ast.Lt, ast.LtE, ast.Gt, ast.GtE) and not (
                type(left) is int and type(right) is int):
            raise _Unknown()
        return ops[op](left, right)
    if isinstance(node, ast.Call) and not any(isinstance(a, ast.Starred) for a in node.args):
        func = _dotted(node.func)
        kwargs = {k.arg: k.value for k in node.keywords if k.arg}
        if func == "len" and len(node.args) == 1 and not node.keywords:
            got = value(node.args[0])
            if not isinstance(got, (str, tuple, dict)):
                raise _Unknown()
            return len(got)
        if func in _ENVIRON_GETTERS and 1 <= len(node.args) <= 2:
            default = node.args[1] if len(node.args) == 2 else kwargs.get("default")
            got = os.environ.get(value(node.args[0]))
            return got if got is not None else (value(default) if default is not None else None)
        if func in _CONFIG_GETTERS and len(node.args) == 1:
            key = value(node.args[0])
            if not isinstance(key, str):
                raise _Unknown()
            got = os.environ.get(key)
            if got is None:
                got = _dotenv_value(key)
            if got is None and "default" in kwargs:
                got = value(kwargs["default"])
            if got is None:
                raise _Unknown()
            return got
        if isinstance(node.func, ast.Attribute):
            obj = value(node.func.value)
            if (isinstance(obj, dict) and node.func.attr == "get" and 1 <= len(node.args) <= 2
                    and not node.keywords):
                key = value(node.args[0])
                return obj[key] if key in obj else (value(node.args[1]) if len(node.args) == 2 else None)
            if isinstance(obj, str) and node.func.attr == "format" and len(kwargs) == len(node.keywords):
                return obj.format(*[value(a) for a in node.args],
                                  **{k: value(v) for k, v in kwargs.items()})
            if (isinstance(obj, str) and not node.args and not node.keywords
                    and node.func.attr in ("lower", "upper", "strip", "title", "casefold")):
                return getattr(obj, node.func.attr)()
    raise _Unknown()


def _manage_py_statements(body, names):
    """manage.py's simple statements in the order `python manage.py` would
    reach them, as far as reading can tell: an `if` whose test _static_value
    knows takes its one branch, any other compound statement is entered
    branch by branch; every function's body is read where it is defined
    (manage.py's main() is called once, at the end). `names` gathers the
    plain assignments passed, as they are passed."""
    for st in body:
        if isinstance(st, ast.If):
            try:
                taken = [st.body if _static_value(st.test, names) else st.orelse]
            except Exception:
                taken = [st.body, st.orelse]
            for b in taken:
                yield from _manage_py_statements(b, names)
        elif type(st).__name__ == "Match":
            for b in _match_taken(st, names):
                yield from _manage_py_statements(b, names)
        elif isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.With, ast.For, ast.While)):
            yield from _manage_py_statements(st.body, names)
        elif isinstance(st, ast.Try):
            for b in [st.body] + [h.body for h in st.handlers] + [st.orelse, st.finalbody]:
                yield from _manage_py_statements(b, names)
        else:
            assigned = _plain_assignment(st)
            if assigned:
                names[assigned[0]] = assigned[1]
            yield st


def _match_taken(st, names):
    """The bodies of a `match` statement (Python 3.10) `python manage.py`
    may run: the first case whose literal patterns equal the subject's
    value, as far as reading can tell (h735: match DJANGO_ENV, "local"
    read as the first case, "production"); every case when the subject or
    a pattern is unknown. A capture pattern binds the subject's
    expression to its name."""
    try:
        subject = _static_value(st.subject, names)
    except Exception:
        return [c.body for c in st.cases]

    def matches(p):
        kind = type(p).__name__
        if kind == "MatchValue":
            return _static_value(p.value, names) == subject
        if kind == "MatchSingleton":
            return p.value is subject
        if kind == "MatchOr":
            return any(matches(q) for q in p.patterns)
        if kind == "MatchAs" and p.pattern is None:
            if p.name:
                names[p.name] = st.subject
            return True
        raise _Unknown()

    for i, case in enumerate(st.cases):
        try:
            if matches(case.pattern) and (case.guard is None or _static_value(case.guard, names)):
                return [case.body]
        except Exception:
            return [c.body for c in st.cases[i:]]
    return []


def _environ_computed(tree, var):
    """(value, None) for the first setdefault(VAR, expr) or
    os.environ[VAR] = expr that manage.py reaches whose value _static_value
    knows, else (None, the first such expression's line and source), for a
    manage.py whose string is computed (f"config.settings.{ENV}")."""
    names, unknown = {}, None
    for st in _manage_py_statements(tree.body, names):
        for node in ast.walk(st):
            expr = _environ_value(node, var)
            if expr is None:
                continue
            try:
                got = _static_value(expr, names)
            except Exception:
                got = None
            if isinstance(got, str) and got:
                return got, None
            if unknown is None:
                src = ast.unparse(expr) if hasattr(ast, "unparse") else "..."
                unknown = "line %d: %s" % (expr.lineno, src[:80])
    return None, unknown


class BootRefusal(Exception):
    """A project the boot cannot start for a reason it states whole: its
    message is the diagnosis, and the boot's own frames (where it was
    found) say nothing to a student."""


def settings_module_name(manage_py="manage.py"):
    """The settings module manage.py names, found without executing it:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x.settings") or
    os.environ["DJANGO_SETTINGS_MODULE"] = "x.settings" (AST); else the
    same with a value computed from constants, manage.py's names and the
    environment (_environ_computed: f"config.settings.{DJANGO_ENV}"); else
    a regex."""
    src, tree = _manage_py_tree(manage_py)
    name = _environ_default(tree, "DJANGO_SETTINGS_MODULE") if tree is not None else None
    if name is not None:
        return name
    name, unknown = _environ_computed(tree, "DJANGO_SETTINGS_MODULE") if tree is not None else (None, None)
    if name is not None:
        return name
    m = _SETDEFAULT_RE.search(src)
    if m:
        return m.group(1)
    if unknown:
        raise BootRefusal(
            "manage.py computes its settings module from what the grader cannot know "
            "without running the project (%s): name it with a string, "
            "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"config.settings\"), or with "
            "one built from os.environ.get(\"NAME\", \"default\") and manage.py's own "
            "strings, and let the settings package choose the rest" % unknown)
    raise BootRefusal("manage.py does not name a settings module "
                      "(expected os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"...\"))")


def settings_configuration(manage_py="manage.py"):
    """For a project of django-configurations (class-based settings, h364):
    the configuration class manage.py names (DJANGO_CONFIGURATION, as
    DJANGO_SETTINGS_MODULE is read), "" when it imports `configurations`
    but names none (its own manage.py then fails the same way), or None for
    any other project. Read, not run, like the settings module's name."""
    _, tree = _manage_py_tree(manage_py)
    if tree is None:
        return None
    name = _environ_default(tree, "DJANGO_CONFIGURATION")
    if name is not None:
        return name
    for node in ast.walk(tree):
        mods = ([a.name for a in node.names] if isinstance(node, ast.Import)
                else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                else [])
        if any(m == "configurations" or m.startswith("configurations.") for m in mods):
            return ""
    return None


def settings_snapshot(mod):
    """The settings module's upper-case names and values, before the
    overlay, so settings_after_overlay can tell what it changed."""
    return {k: getattr(mod, k, None) for k in dir(mod) if k.isupper()}


def _configured_settings(django_conf):
    """The settings settings.configure() was given while the settings
    module was imported (Django's UserSettingsHolder), or None: a project
    that configures Django in code, whose module keeps no settings."""
    wrapped = getattr(django_conf.settings, "_wrapped", None)
    holder = getattr(django_conf, "UserSettingsHolder", None)
    return wrapped if holder is not None and isinstance(wrapped, holder) else None


def settings_after_overlay(django_conf, mod, before):
    """Make the overlay (contracts §2: the grader's database, media folder,
    hosts) the settings Django reads, where the settings' own import had
    already taken a copy of the module as it was before it:

    - Django's settings object, when something read it during the import
      (the variable is set then, as under manage.py): forgotten, so
      django.setup() reads the overlaid module again;
    - dynaconf's DjangoDynaconf (h707), which copies the module into its own
      store at the bottom of settings.py and replaces django.conf with it:
      every name the overlay changed is set in that store too. Without
      this the app would keep its own database and hosts."""
    from django.utils.functional import empty
    real = django_conf.settings
    if getattr(real, "_wrapped", empty) is mod:
        # settings.configure()'s own, overlaid in place: kept, and the
        # database settings the connections may have read already read
        # again.
        from django.db import connections
        connections.__dict__.pop("settings", None)
        connections.__dict__.pop("databases", None)  # Django < 3.2
    elif getattr(real, "_wrapped", empty) is not empty:
        real._wrapped = empty
    store = getattr(mod, "DYNACONF", None)
    if store is None or not type(store).__module__.startswith("dynaconf"):
        return
    for key, value in settings_snapshot(mod).items():
        if key in before and before[key] is value or value is store:
            continue
        for kwargs in ({"tomlfy": False, "merge": False, "validate": False},
                       {"tomlfy": False, "merge": False}, {"tomlfy": False}):
            try:
                store.set(key, value, **kwargs)
                break
            except TypeError:
                continue


def import_settings(name, configuration):
    """Import the settings module as the project's manage.py would. With
    django-configurations, its importer (installed as its manage.py and
    wsgi.py install it) turns the named class into the module's settings,
    which the overlay then reads and changes like any settings module's;
    without it, defining a Configuration class refuses ("the settings
    importer wasn't correctly installed"). The variables are set only
    here, for the project that names them: the grader sets no other."""
    import importlib
    if configuration is not None:
        os.environ["DJANGO_SETTINGS_MODULE"] = name
        if configuration:
            os.environ.setdefault("DJANGO_CONFIGURATION", configuration)
        from configurations import importer
        importer.install()
    return importlib.import_module(name)


# An absolute URL ("https://cdn.example.com/media/", "//host/media/"), not
# a path; MEDIA_URL is tested so in two places (overlay, make_wrapper).
_ABSOLUTE_URL = re.compile(r"^([a-z][a-z0-9+.-]*:)?//", re.I)


def url_paths(resolver, limit=300):
    """The paths the app serves, as "/api/v1/products/{pk}/" (converters and
    named groups become {name}, a named group that can only be words
    becomes its first word: (?P<version>v1|v2) is v1), for the report's
    route suggestions when most checks answer 404. The admin's own paths
    are left out."""
    out = []

    def group(m):
        body = m.group(2)
        if re.fullmatch(r"[\w-]+(\|[\w-]+)*", body):
            return body.split("|")[0]
        return "{%s}" % m.group(1)

    def text(pattern):
        s = str(pattern)
        s = re.sub(r"\(\?P<([^>]+)>([^)]*)\)", group, s)
        # DRF's format suffix (a router's api root, .json): its converter
        # matches the dot too, and a path it cannot route ("/api/products/"
        # of a router without trailing slashes, h276) must not look routed.
        s = re.sub(r"<drf_format_suffix:([^>]+)>", r".{\1}", s)
        s = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", s)
        s = s.lstrip("^").rstrip("$").replace("\\", "")
        # "products.{format}/?": a last placeholder matches the rest of a
        # path anyway, so its optional slash keeps the pattern plain.
        return s[:-2] if s.endswith("}/?") else s

    def walk(patterns, prefix, depth):
        for p in patterns:
            if len(out) >= limit or depth > 8:
                return
            try:
                here = prefix + text(p.pattern)
                sub = getattr(p, "url_patterns", None)
            except Exception:
                continue
            if here.startswith("admin/"):
                continue
            if sub is not None:
                walk(sub, here, depth + 1)
            else:
                out.append("/" + here[:200])

    try:
        walk(resolver.url_patterns, "", 0)
    except Exception:
        pass
    return out


def url_paths_as_served():
    """url_paths under the language a request without Accept-Language
    gets (the grader sends none): i18n_patterns' prefix is the active
    language's, "en-us/" at boot where LocaleMiddleware redirects to "en/"
    (h282), and the route suggestions compare the two."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation
    try:
        lang = translation.get_supported_language_variant(settings.LANGUAGE_CODE)
    except Exception:
        return url_paths(get_resolver())
    with translation.override(lang):
        return url_paths(get_resolver())


def _settings_source(name, limit=1 << 20):
    """The text of the settings module NAME, found in the project's own
    folders on sys.path without importing anything (importing its package
    would run project code before the environment is preset); "" when it
    is not found there."""
    rel = name.replace(".", os.sep)
    for folder in [sys.path[0]] + _PROJECT_PATHS:
        for path in (os.path.join(folder, rel + ".py"),
                     os.path.join(folder, rel, "__init__.py")):
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    return f.read(limit)
            except OSError:
                continue
    return ""


def preset_environment(state_dir, project, settings_name=None):
    """Environment variables common settings files read with os.environ[...]
    (or env()/config() without a default), set before the settings import so
    that such a file does not die with a KeyError. Only names the grader's
    environment lacks are set; the overlay then forces what the grader owns
    (database, hosts) whatever the settings made of these values.

    Settings loaded through dynaconf (settings_name's source names it) get
    no DJANGO_ name: DjangoDynaconf takes every DJANGO_ variable as a
    setting of its own, and "127.0.0.1,localhost" as a string where Django
    wants ALLOWED_HOSTS a list (h707); such settings read no variable by
    that name themselves.

    No DEBUG-related variable is set (contracts §2): debug-off judges the
    app as it ships, with the DEBUG its own settings (or its own .env)
    give it."""
    hosts = "127.0.0.1,localhost"
    defaults = {
        "DATABASE_URL": "sqlite:///" + os.path.join(state_dir, "db.sqlite3"),
        "ALLOWED_HOSTS": hosts,
        "DJANGO_ALLOWED_HOSTS": hosts,
    }
    dynaconf = settings_name is not None and "dynaconf" in _settings_source(settings_name)
    for name, value in defaults.items():
        if name in os.environ or (dynaconf and name.startswith("DJANGO_")):
            continue
        os.environ[name] = value


def _hosts_list(value):
    """ALLOWED_HOSTS as a list, also when a settings file left it a string
    ("a.com,b.com" straight from the environment): list() of a string would
    give its characters."""
    if isinstance(value, str):
        return [h for h in re.split(r"[\s,]+", value) if h]
    try:
        return [h for h in value if isinstance(h, str)]
    except TypeError:
        return []


def _storage_made_from(path, word, base):
    """Whether the storage class at dotted `path` is made from the class at
    dotted `base`: by its name holding `word`, else by importing it (a class
    of the project's own under another name). The import runs before
    django.setup(): a storage module that needs the app registry or the
    settings (rare) cannot be imported then, and counts as not made from
    it."""
    path = str(path or "")
    if word in path:
        return True
    if "." not in path:
        return False
    try:
        from django.utils.module_loading import import_string
        cls = import_string(path)
        return isinstance(cls, type) and issubclass(cls, import_string(base))
    except Exception:
        return False


def _is_manifest_storage(path):
    """Whether the static files storage at dotted `path` needs collectstatic's
    manifest: Django's and WhiteNoise's by name, and a class of the
    project's own made from one of them (a subclass setting manifest_strict,
    say). One that cannot be imported is left as written, and then fails as
    it would in production."""
    return _storage_made_from(path, "Manifest", "django.contrib.staticfiles.storage.ManifestFilesMixin")


# Words of the packages whose storages keep files on another host (S3,
# Cloudinary, Google Cloud, Azure, Dropbox, MinIO, FTP ...): what no
# sandbox reaches.
_NETWORK_STORAGE_WORDS = ("storages.backends", "cloudinary", "s3boto", "s3.", ".s3", "gcloud", "google.cloud",
                          "azure", "dropbox", "minio", "backblaze", "ftp", "boto", "libcloud")


def _network_storage_class(cls):
    """Whether a storage class, or a class it is made from, comes from a
    package of another host's storage."""
    return isinstance(cls, type) and any(
        any(w in (getattr(b, "__module__", "") or "").lower() for w in _NETWORK_STORAGE_WORDS) for b in cls.__mro__)


def _is_local_storage(path):
    """Whether the default file storage at dotted `path` is graded as it
    is: Django's FileSystemStorage, a class of the project's own made from
    it (a storage naming files by their content's hash), and any other that
    needs no network (a storage of the project's keeping files in the
    database, h614). Such a storage is the submission's code: swapping it
    for Django's hid its bugs (a copy re-encoded, a URL that 404s, a photo
    view reading the database that then found nothing). Replaced: a storage
    of another host's (S3, Cloudinary ...), by its name or by the classes it
    is made from, which needs the network and credentials no sandbox has."""
    if _storage_made_from(path, "FileSystemStorage", "django.core.files.storage.FileSystemStorage"):
        return True
    text = str(path or "").lower()
    if any(w in text for w in _NETWORK_STORAGE_WORDS):
        return False
    try:
        from django.utils.module_loading import import_string
        return not _network_storage_class(import_string(str(path)))
    except Exception:
        return True


def _options_of(storage):
    """A STORAGES entry's OPTIONS, a dict (empty when it has none)."""
    options = storage.get("OPTIONS")
    return options if isinstance(options, dict) else {}


def _inside_folder(path, root):
    """path's place inside root ("" for root itself, "recipes" for a
    subfolder), or None when it is elsewhere; both settings' paths (str or
    Path; relative ones from the project's folder, the boot's working
    directory)."""
    try:
        if not path or not root:
            return None
        rel = os.path.relpath(os.path.abspath(os.fspath(path)), os.path.abspath(os.fspath(root)))
    except (TypeError, ValueError):
        return None
    if rel == ".":
        return ""
    return None if rel == ".." or rel.startswith(".." + os.sep) else rel


# Settings the overlay owns or rewrites itself, never moved as paths.
_OWN_PATH_SETTINGS = ("MEDIA_ROOT", "STATIC_ROOT", "STATICFILES_DIRS", "DATABASES", "STORAGES")
# The project's own MEDIA_ROOT, resolved, where it is a folder inside the
# project (BASE_DIR / "media"), else None: set by overlay_settings.
_OWN_MEDIA_ROOT = [None]


def _project_media_root(own_media):
    """The project's MEDIA_ROOT as a real path strictly inside the project
    folder, or None (unset, elsewhere, or the project itself: MEDIA_URL
    must never serve its code). A storage of the project's own that works
    its location out for itself (from an environment variable whose
    default is BASE_DIR / "media", h630) writes there, not where the
    grader moved MEDIA_ROOT; MEDIA_URL serves a file it does not find in
    the grader's folder from there, as the project's own MEDIA_ROOT would
    be served."""
    if not isinstance(own_media, (str, pathlib.PurePath)) or not str(own_media):
        return None
    try:
        where = os.path.realpath(str(own_media))
        here = os.path.realpath(os.getcwd())
    except (OSError, ValueError):
        return None
    return where if where.startswith(here + os.sep) else None


def _settings_follow_media(mod, own_media, media):
    """Every other setting naming the project's MEDIA_ROOT or a folder inside
    it (SENDFILE_ROOT = MEDIA_ROOT, django-sendfile2's; PHOTOS_ROOT =
    MEDIA_ROOT / "photos", a storage's location read by a callable) names
    the same place in the grader's, of the same type: left as it was, a
    photo saved and served from the project's own folder answered 404
    where the grader serves its MEDIA_ROOT (h584)."""
    # Not a MEDIA_ROOT holding the project itself (MEDIA_ROOT = BASE_DIR):
    # BASE_DIR and every path of the project would move with it.
    if own_media is None or _inside_folder(os.getcwd(), own_media) is not None:
        return
    for name in dir(mod):
        if not name.isupper() or name in _OWN_PATH_SETTINGS:
            continue
        value = getattr(mod, name, None)
        if not isinstance(value, (str, pathlib.PurePath)) or not os.path.isabs(os.fspath(value)):
            continue
        rel = _inside_folder(value, own_media)
        if rel is None:
            continue
        moved = os.path.join(media, rel) if rel else media
        # A folder the settings made there at import (h933:
        # FILE_UPLOAD_TEMP_DIR = MEDIA_ROOT / ".incoming", mkdir'd; every
        # upload then failed to write its temporary file, 500) is made at
        # its new place too.
        if rel and os.path.isdir(value):
            try:
                os.makedirs(moved, exist_ok=True)
            except OSError:
                pass
        setattr(mod, name, pathlib.Path(moved) if isinstance(value, pathlib.PurePath) else moved)


# Aliases given the file of an alias before them (overlay_settings): not
# migrated again.
SHARED_ALIASES = set()


def _same_database(alias, conf, old):
    """The alias before `alias` in DATABASES whose database it is: the one
    its TEST MIRROR names, else the first with the same ENGINE, NAME, HOST
    and PORT; else `alias` itself."""
    test = conf.get("TEST") if isinstance(conf.get("TEST"), dict) else {}
    mirror = test.get("MIRROR")
    if isinstance(mirror, str) and mirror in old and mirror != alias:
        return mirror
    key = tuple(str(conf.get(k, "")) for k in ("ENGINE", "NAME", "HOST", "PORT"))
    for other, oconf in old.items():
        if other == alias:
            break
        if isinstance(oconf, dict) and conf.get("NAME") and \
           tuple(str(oconf.get(k, "")) for k in ("ENGINE", "NAME", "HOST", "PORT")) == key:
            return other
    return alias


def overlay_settings(mod, state_dir, django_version):
    """Apply contracts §2 to the imported settings module object, before
    django.setup() reads it. Only what the grader must own changes."""
    # A fresh SQLite database per alias: whatever the submission configured
    # (PostgreSQL, a committed db.sqlite3) is replaced, so runs never share
    # state and never reach the network.
    old = getattr(mod, "DATABASES", None) or {"default": {}}
    dbs = {}
    files = {}
    for alias, conf in old.items():
        conf = conf if isinstance(conf, dict) else {}
        name = "db.sqlite3" if alias == "default" else "db-%s.sqlite3" % alias
        # An alias naming the same database as one before it (a read
        # replica routed reads to, with TEST's MIRROR or the same NAME)
        # gets that one's file, as it would get that one's database: two
        # files left the replica without the rows written to the default
        # (h588: sessions written to one, read from an empty other).
        same = _same_database(alias, conf, old)
        if same in files:
            name = files[same]
            SHARED_ALIASES.add(alias)
        files[alias] = name
        new = {"ENGINE": "django.db.backends.sqlite3",
               # A Path stays one (BASE_DIR / "db.sqlite3"), as MEDIA_ROOT.
               "NAME": pathlib.Path(state_dir, name) if isinstance(conf.get("NAME"), pathlib.PurePath)
               else os.path.join(state_dir, name),
               # The threaded server writes from several threads: wait for
               # the lock instead of failing with "database is locked".
               "OPTIONS": {"timeout": 30},
               # Kept open by the server's thread between requests (serve()).
               "CONN_MAX_AGE": None}
        if django_version >= (5, 1):
            # Take the write lock at BEGIN so concurrent transactions queue
            # instead of deadlocking on a lock upgrade.
            new["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
        own = conf.get("OPTIONS")
        if str(conf.get("ENGINE", "")).endswith("sqlite3") and isinstance(own, dict):
            # A SQLite project's own options are its app as it ships, on
            # the grader's file as on its own (contracts §2: only the
            # database is fresh): its init_command's PRAGMAs, its timeout,
            # its transaction_mode, and their failure (h915: an
            # init_command no SQLite parses, which stops migrate and
            # runserver alike, scored 100). Another engine's are that
            # engine's, and left.
            new["OPTIONS"].update(own)
        for keep in ("ATOMIC_REQUESTS", "AUTOCOMMIT", "TIME_ZONE"):
            if keep in conf:
                new[keep] = conf[keep]
        dbs[alias] = new
    if "default" not in dbs:
        dbs["default"] = {"ENGINE": "django.db.backends.sqlite3",
                          "NAME": os.path.join(state_dir, "db.sqlite3")}
    mod.DATABASES = dbs

    media = os.path.join(state_dir, "media")
    os.makedirs(media, exist_ok=True)
    own_media = getattr(mod, "MEDIA_ROOT", None)
    _OWN_MEDIA_ROOT[:] = [_project_media_root(own_media)]
    # Of the project's type: startproject's BASE_DIR / "media" is a Path,
    # and code joining it with "/" (settings.MEDIA_ROOT / "thumbs", a
    # storage's location at import) broke on the grader's str (h572: a
    # boot failed with "unsupported operand type(s) for /").
    mod.MEDIA_ROOT = pathlib.Path(media) if isinstance(own_media, pathlib.PurePath) else media

    hosts = _hosts_list(getattr(mod, "ALLOWED_HOSTS", None) or [])
    for h in ("127.0.0.1", "localhost"):
        if h not in hosts:
            hosts.append(h)
    mod.ALLOWED_HOSTS = hosts

    # Creating three users with PBKDF2 costs seconds; MD5 first makes
    # create_user() cheap while the project's own hashers still verify.
    from django.conf import global_settings
    hashers = list(getattr(mod, "PASSWORD_HASHERS", None) or global_settings.PASSWORD_HASHERS)
    md5 = "django.contrib.auth.hashers.MD5PasswordHasher"
    mod.PASSWORD_HASHERS = [md5] + [h for h in hashers if h != md5]

    # Manifest storages need collectstatic's manifest and 500 on every page
    # with {% static %} without it; plain storage serves the same URLs.
    # Uploads go to the grader's MEDIA_ROOT: a remote default storage (S3,
    # Cloudinary, ...) would need the network and credentials.
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    local = "django.core.files.storage.FileSystemStorage"
    swapped = False
    storages = getattr(mod, "STORAGES", None)
    if isinstance(storages, dict):
        storages = dict(storages)
        sf = storages.get("staticfiles")
        if isinstance(sf, dict) and _is_manifest_storage(sf.get("BACKEND", "")):
            sf = dict(sf)
            sf["BACKEND"] = plain
            sf.pop("OPTIONS", None)
            storages["staticfiles"] = sf
        # The default and every other upload storage alike (a field's
        # storage=storages["photos"], S3 in production): a remote one's
        # OPTIONS are the remote store's, a location there being a key
        # prefix, never a folder (h780: "location": "media" was read as
        # the project's MEDIA_ROOT and given the grader's absolute path,
        # which django-storages refuses at import).
        for alias, st in list(storages.items()):
            if alias != "staticfiles" and isinstance(st, dict) and \
                    not _is_local_storage(st.get("BACKEND", "")):
                _storage_swapped(st.get("BACKEND", ""))
                storages[alias] = {"BACKEND": local}
                swapped = swapped or alias == "default"
        for alias, st in list(storages.items()):
            # A storage given the project's MEDIA_ROOT by name ("location":
            # MEDIA_ROOT) or a folder inside it (MEDIA_ROOT / "recipes",
            # h215, as Django's docs show for a second storage): the same
            # place in the grader's, where MEDIA_URL serves it from, as
            # in production. Any other location is the project's choice,
            # and its files are then not where MEDIA_URL serves them from.
            rel = _inside_folder(_options_of(st).get("location"), own_media) \
                if isinstance(st, dict) and alias != "staticfiles" else None
            if rel is not None:
                st = dict(st)
                st["OPTIONS"] = dict(_options_of(st), location=os.path.join(media, rel) if rel else media)
                storages[alias] = st
            elif alias == "default" and isinstance(st, dict) and _is_local_storage(st.get("BACKEND", "")) and \
                    _options_of(st).get("location") and \
                    _inside_folder(_options_of(st).get("location"), os.getcwd()) is None and \
                    _options_of(st).get("base_url") in (None, "", getattr(mod, "MEDIA_URL", None)):
                # The default storage's folder outside the project, served
                # at MEDIA_URL (a web server's /var/www/recipes/media,
                # h702: every upload a 500, the sandbox's file system
                # read-only there): the grader's MEDIA_ROOT, as the
                # project's own MEDIA_ROOT is.
                st = dict(st)
                st["OPTIONS"] = dict(_options_of(st), location=media)
                storages[alias] = st
        mod.STORAGES = storages
    _settings_follow_media(mod, own_media, media)
    sfs = getattr(mod, "STATICFILES_STORAGE", None)
    if isinstance(sfs, str) and _is_manifest_storage(sfs):
        mod.STATICFILES_STORAGE = plain
    dfs = getattr(mod, "DEFAULT_FILE_STORAGE", None)
    if isinstance(dfs, str) and not _is_local_storage(dfs):
        _storage_swapped(dfs)
        mod.DEFAULT_FILE_STORAGE = local
        swapped = True
    # A MEDIA_URL on another host (a CDN in front of the bucket) names
    # where the swapped-out storage kept files; the local one's are served
    # here, under /media/ (h109).
    media_url = getattr(mod, "MEDIA_URL", "")
    if swapped and isinstance(media_url, str) and _ABSOLUTE_URL.match(media_url):
        mod.MEDIA_URL = "/media/"
    elif isinstance(media_url, str) and _ABSOLUTE_URL.match(media_url):
        # A media host of its own in front of the project's own folder (a
        # web server serving MEDIA_ROOT at https://media.example.com/,
        # h690): its path, served here, as that server would (the page's
        # address on another host was no page on the app: 85 for a
        # correct app).
        from urllib.parse import urlsplit
        path = urlsplit(media_url).path or "/"
        mod.MEDIA_URL = (path if path.endswith("/") else path + "/") if path != "/" else "/media/"

    if not getattr(mod, "SECRET_KEY", None):
        mod.SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or os.environ.get("SECRET_KEY", "")


# The remote storages the grader replaced by local files, as the settings or
# the fields named them: the report says uploads were graded on local files
# (h792: an S3 project saw 100 and no word that S3 was never reached).
_STORAGES_SWAPPED = []


def _storage_swapped(backend):
    if backend and backend not in _STORAGES_SWAPPED:
        _STORAGES_SWAPPED.append(str(backend))


def local_field_storages():
    """A FileField's own storage that keeps files on another host (S3 named
    on the field, as django-storages' docs show it) becomes the default
    storage, local after overlay_settings, for the reason STORAGES["default"]
    does: no network, no credentials. Any other (made from FileSystemStorage,
    or keeping files in the database, h614) is the submission's code and is
    kept. The field still deconstructs as written
    (its storage, for makemigrations --check), through _storage_callable,
    which Django's deconstruct() prefers."""
    from django.apps import apps
    from django.core.files.storage import FileSystemStorage, default_storage
    from django.db import models
    for model in apps.get_models():
        for field in model._meta.fields:
            if not isinstance(field, models.FileField) or field.storage is default_storage:
                continue
            if isinstance(field.storage, FileSystemStorage) or not _network_storage_class(type(field.storage)):
                continue
            if not hasattr(field, "_storage_callable"):
                field._storage_callable = field.storage
            _storage_swapped("%s.%s" % (type(field.storage).__module__, type(field.storage).__qualname__))
            field.storage = default_storage


# ---- users and sessions ------------------------------------------------------

def _plausible(field, username, email):
    """A value for a REQUIRED_FIELDS entry the spec does not provide. An
    optional one (blank=True) gets its empty value, which the field's
    validators never see: a phone listed there with a format validator
    refused "Staff" and failed the boot (h644)."""
    from django.db import models
    if field.blank and isinstance(field, (models.CharField, models.TextField)) and not field.choices:
        return ""
    if field.blank and field.null:
        return None
    if isinstance(field, models.EmailField):
        return email
    if isinstance(field, (models.BooleanField,)):
        return False
    if isinstance(field, (models.IntegerField, models.FloatField, models.DecimalField)):
        return 1
    if isinstance(field, models.DateTimeField):
        from django.utils import timezone
        return timezone.now()
    if isinstance(field, models.DateField):
        import datetime
        return datetime.date(2000, 1, 1)
    if field.choices:
        return field.choices[0][0]
    value = username.replace("_", " ").title()
    if getattr(field, "max_length", None):
        value = value[:field.max_length]
    return value


def _has_field(model, name):
    try:
        model._meta.get_field(name)
        return True
    except Exception:
        return False


def _settable(model, name):
    """A field, or a property with a setter (is_staff computed from a role
    field and set through it, h280): what a user's flag can be given by."""
    prop = getattr(model, name, None)
    return _has_field(model, name) or (isinstance(prop, property) and prop.fset is not None)


# The flags a user was to have that the model could not take: is_staff a
# property without a setter (computed from a role, h399). Said in the
# ready event (flags_unset), so a refusal of "staff" is not blamed on a
# permission check the app has right.
_FLAGS_UNSET = []
# The flags the grader set and the app's own save took back (a save() or a
# post_save receiver keeping is_staff in step with a role, h907): read
# again from the database after the save, said in the ready event
# (flags_reset), so a refusal of "staff" names the app's save.
_FLAGS_RESET = []
# Sign-ins the API takes that could not be made (_mint_first): "token:
# ImportError: ...", said beside a 401 so the student reads why the
# grader came with a session alone (h540: knox 4.2 read as refusing).
_SIGN_IN_FAILED = []


def create_users(specs):
    from django.contrib.auth import get_user_model
    from django.db import transaction
    User = get_user_model()
    uf = User.USERNAME_FIELD
    created = []
    for spec in specs:
        username = spec["username"]
        email = spec.get("email") or "%s@example.invalid" % username
        kwargs = {}
        ufield = User._meta.get_field(uf)
        from django.db import models
        kwargs[uf] = email if isinstance(ufield, models.EmailField) else username
        for name in getattr(User, "REQUIRED_FIELDS", []):
            if name == "email":
                kwargs[name] = email
            elif name == "username":
                # An email-login model that keeps a username field.
                kwargs[name] = username
            else:
                kwargs[name] = _plausible(User._meta.get_field(name), username, email)
        if "email" not in kwargs and uf != "email" and _has_field(User, "email"):
            kwargs["email"] = email
        # The flags a user has go to create_user as well, as Django's
        # manager takes them: a manager of the project's own that gives
        # staff a role there (h260) sees them. One that takes no such
        # argument gets them set after, as before.
        # A property without a setter too (h512: is_staff computed from a
        # role, which the manager's create_user(is_staff=True) sets): the
        # model alone would refuse it, with AttributeError, and then the
        # user is made without it.
        flags = {f: True for f in ("is_staff", "is_superuser")
                 if spec.get(f) and (_settable(User, f) or isinstance(getattr(User, f, None), property))}
        try:
            with transaction.atomic():
                user = User.objects.create_user(password=spec.get("password"), **dict(kwargs, **flags))
        except (TypeError, ValueError, AttributeError):
            if not flags:
                raise
            try:
                user = User.objects.create_user(password=spec.get("password"), **kwargs)
            except Exception as exc:
                # The same failure without the flags: said once, not
                # after the first as "another exception occurred".
                raise exc from None
        for flag in ("is_staff", "is_superuser", "is_active"):
            if _has_field(User, flag):
                setattr(user, flag, True if flag == "is_active" else bool(spec.get(flag)))
            elif flag in flags and _settable(User, flag):
                # A property's setter only for a flag the user has: what it
                # makes of False (a role taken away) is the app's own.
                setattr(user, flag, True)
            elif spec.get(flag) and not getattr(user, flag, False) and not _flag_by_field(user, flag) and \
                    flag not in _FLAGS_UNSET:
                _FLAGS_UNSET.append(flag)
        user.save()
        wanted = [f for f in ("is_staff", "is_superuser") if spec.get(f) and _has_field(User, f)]
        # values() of no name reads every field: only the flags given.
        stored = (User.objects.filter(pk=user.pk).values(*wanted).first() or {}) if wanted else {}
        for flag, value in stored.items():
            if not value and flag not in _FLAGS_RESET:
                _FLAGS_RESET.append(flag)
        created.append((username, user))
    return created


def _flag_by_field(user, flag):
    """A read-only flag property (is_staff returning self.is_admin, the
    HackSoft styleguide's user, h800) made true through the model's own
    boolean field it reads: each other boolean field set in turn, those
    naming staff or admin first, the first that makes `flag` true kept,
    the others put back. True when one did."""
    from django.db import models
    fields = [f for f in user._meta.concrete_fields
              if isinstance(f, models.BooleanField) and f.name not in ("is_active", "is_staff", "is_superuser")]
    fields.sort(key=lambda f: not ("staff" in f.name or "admin" in f.name))
    for f in fields:
        was = getattr(user, f.attname)
        setattr(user, f.attname, True)
        try:
            if getattr(user, flag, False) is True:
                return True
        except Exception:
            pass
        setattr(user, f.attname, was)
    return False


def _force_login_backend(user=None):
    """The backend a session is signed in with: the first of
    AUTHENTICATION_BACKENDS whose get_user() loads `user` back, as each
    request will (django.contrib.auth.get_user asks the backend the
    session names); else the first that has get_user, as
    django.test.Client.force_login picks (None when none has). A backend
    of permissions alone listed first (BaseBackend's get_user answers None,
    Django's docs' example) signed every session out (h628)."""
    from django.conf import settings
    from django.contrib.auth import load_backend
    first = None
    for path in settings.AUTHENTICATION_BACKENDS:
        backend = load_backend(path)
        if not hasattr(backend, "get_user"):
            continue
        first = first or path
        try:
            if user is None or backend.get_user(user.pk) is not None:
                return path
        except Exception:
            continue
    return first


def users_granted(created):
    """The grader's users the app gave a group or a permission of their own
    (a post_save or user_logged_in receiver putting staff in a "Support
    agents" group, h628), after signing in ran those receivers: names, a
    space between. A refusal of such a user is then no "is_staff alone"
    (engine.c). A user model without groups is left out. And, second,
    those of them whose groups and permissions grant nothing at all (h713:
    a data migration filled the group before Django made the permissions,
    after migrate), whose refusal is that, not a permission named
    otherwise than the app grants it."""
    names = []
    empty = []
    # Which users have a group or a permission, in one query (not two per
    # user: 5-10 ms of the boot's serve phase). A user model without them
    # (no PermissionsMixin) has none.
    try:
        from django.db.models import Q
        model = type(created[0][1]) if created else None
        linked = set(model.objects.filter(pk__in=[user.pk for _, user in created]).filter(
            Q(groups__isnull=False) | Q(user_permissions__isnull=False)).values_list(
                "pk", flat=True)) if model else set()
    except Exception:
        linked = set()
    for username, user in created:
        try:
            if user.pk in linked:
                names.append(username)
                if not user.is_superuser and not user.get_all_permissions():
                    empty.append(username)
        except Exception:
            continue
    return " ".join(names)[:256], " ".join(empty)[:256]


def _csrf_secret():
    """A CSRF secret as Django makes one (CSRF_SECRET_LENGTH of
    CSRF_ALLOWED_CHARS)."""
    from django.middleware import csrf
    from django.utils.crypto import get_random_string
    chars = getattr(csrf, "CSRF_ALLOWED_CHARS", None) or (
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    return get_random_string(getattr(csrf, "CSRF_SECRET_LENGTH", 32), chars)


def sessions_usable():
    """Whether the project can store a session at all: the database's
    engines (db, cached_db, Django's default) need django.contrib.sessions
    installed. A stateless API (its own token middleware, no sessions
    app, no admin) failed its boot on Session's import, where SPEC.md has
    the token used when an API takes no session (h589)."""
    from django.apps import apps
    from django.conf import settings
    return (settings.SESSION_ENGINE not in ("django.contrib.sessions.backends.db",
                                            "django.contrib.sessions.backends.cached_db")
            or apps.is_installed("django.contrib.sessions"))


def mint_sessions(created):
    """Log each user in the way django.test.Client.force_login does (a bare
    HttpRequest, a new store of SESSION_ENGINE, auth.login() with the backend
    force_login picks, then save), and give each a CSRF secret (stored in the
    session when CSRF_USE_SESSIONS). Done here rather than through
    django.test.Client: importing django.test (unittest, the test runner,
    the ASGI handler) cost more than everything else of the users phase."""
    from importlib import import_module
    from django.conf import settings
    from django.contrib.auth import login
    from django.http import HttpRequest
    from django.middleware import csrf

    engine = import_module(settings.SESSION_ENGINE) if sessions_usable() else None
    backend = _force_login_backend(created[0][1]) if created else None
    if created and engine is not None and backend is None:
        # No backend can load a signed-in user back (h839: django-axes'
        # AxesStandaloneBackend listed alone): login() fails on None, and
        # so would every sign-in of the app's own.
        raise RuntimeError(
            "no backend in AUTHENTICATION_BACKENDS (%s) has get_user(), so no one can stay signed in: "
            "list django.contrib.auth.backends.ModelBackend after it"
            % ", ".join(settings.AUTHENTICATION_BACKENDS))
    sessions = {}
    for username, user in created:
        user.backend = backend
        if engine is None:
            # No session to sign in with: the CSRF cookie alone, and the
            # API's own credential added after (api_sign_in).
            sessions[username] = {"session": "", "csrf": _csrf_secret(), "login": str(user.get_username())}
            continue
        request = HttpRequest()
        # From where and as what the grader's own requests come (http.c
        # sends User-Agent "grader" from loopback): an app that binds a
        # session to its browser or address at sign-in (a user_logged_in
        # receiver keeping a hash of the User-Agent, h714) keeps it.
        request.META["REMOTE_ADDR"] = "127.0.0.1"
        request.META["HTTP_USER_AGENT"] = "grader"
        request.session = engine.SessionStore()
        login(request, user, backend)
        secret = _csrf_secret()
        # Into the session before its one save: a signed_cookies session's
        # key is its data, so a second save would make a key the user
        # never gets.
        if getattr(settings, "CSRF_USE_SESSIONS", False):
            request.session[getattr(csrf, "CSRF_SESSION_KEY", "_csrftoken")] = secret
        request.session.save()
        key = request.session.session_key
        if not key:
            raise RuntimeError("logging in gave no %s for %s"
                               % (settings.SESSION_COOKIE_NAME, username))
        # What this user types into a login form's username field: the
        # USERNAME_FIELD's value (the email on an email-login model).
        sessions[username] = {"session": key, "csrf": secret, "login": str(user.get_username())}
    return sessions


def anonymous_csrf():
    """With CSRF_USE_SESSIONS, the CSRF secret lives in the session, and a
    visitor who never signed in has one only after a page that uses the
    token: a session of no user, holding a secret, for the anonymous
    requests that carry a token as an API client does ({"session",
    "csrf"}), else None. Without it, a view with no sign-in check of its
    own passed order-auth-required on CsrfViewMiddleware's 403 alone
    (h403)."""
    from importlib import import_module
    from django.conf import settings
    from django.middleware import csrf
    if not getattr(settings, "CSRF_USE_SESSIONS", False) or not sessions_usable():
        return None
    secret = _csrf_secret()
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[getattr(csrf, "CSRF_SESSION_KEY", "_csrftoken")] = secret
    store.save()
    return {"session": store.session_key, "csrf": secret} if store.session_key else None


# ---- API sign-in (contracts §2) ------------------------------------------------

def _drf_views():
    """The DRF view classes the URLconf routes to (APIView, viewsets and
    @api_view functions all carry `.cls`), at most 500, 10 includes deep."""
    from django.urls import URLPattern, URLResolver, get_resolver
    found = []

    def walk(patterns, depth):
        for p in patterns:
            if len(found) >= 500:
                return
            if isinstance(p, URLResolver):
                if depth < 10:
                    walk(p.url_patterns, depth + 1)
            elif isinstance(p, URLPattern):
                cls = getattr(p.callback, "cls", None)
                if cls is not None and hasattr(cls, "authentication_classes"):
                    found.append(cls)

    walk(get_resolver().url_patterns, 0)
    return found


def _in_package(path):
    """Whether a file or folder is in an installed package's tree."""
    return bool({"site-packages", "dist-packages"} & set(path.split(os.sep)))


def _in_project(path):
    """Whether a file or folder is the project's own: under its folder (the
    boot's working directory), not in an installed package's tree (a
    virtualenv kept inside the project)."""
    path = os.path.realpath(path)
    return path.startswith(os.path.realpath(os.getcwd()) + os.sep) and not _in_package(path)


def _project_class(cls):
    """Whether a class is defined in the project's own code."""
    path = getattr(sys.modules.get(getattr(cls, "__module__", "") or ""), "__file__", None)
    return bool(path) and _in_project(path)


# The packages whose views sign a user in (knox's LoginView takes Basic to
# hand out tokens, SimpleJWT's token views take none): a project's view made
# from one of them is how a client gets its token, not a view the checks
# ask, and voted alone for its scheme (h502: a knox LoginView on Basic, the
# API itself on knox tokens and sessions, read as a Basic API).
SIGN_IN_MODULES = ("knox.", "rest_framework.authtoken.", "rest_framework_simplejwt.", "dj_rest_auth.")


def _sign_in_view(cls):
    """Whether a view class is, or is made from, a sign-in package's view."""
    return any((getattr(k, "__module__", "") or "").startswith(SIGN_IN_MODULES)
               for k in getattr(cls, "__mro__", ()))


def _is_knox(cls):
    """Whether cls is django-rest-knox's TokenAuthentication (or made from
    it): a token in `Authorization: Token ...` like DRF's, kept hashed in
    knox's own table, so minted its own way (_mint)."""
    try:
        from knox.auth import TokenAuthentication as Knox
    except Exception:
        return False
    return isinstance(cls, type) and issubclass(cls, Knox)


def _scheme_of(cls):
    """'session', 'token', 'jwt', 'basic' or None for a DRF authentication class."""
    from rest_framework import authentication as a
    if not isinstance(cls, type):
        return None
    if issubclass(cls, a.SessionAuthentication):
        return "session"
    if issubclass(cls, a.TokenAuthentication):
        return "token"
    if issubclass(cls, a.BasicAuthentication):
        return "basic"
    if _is_knox(cls):
        return "token"
    try:
        from rest_framework_simplejwt.authentication import JWTAuthentication
        if issubclass(cls, JWTAuthentication):
            return "jwt"
    except Exception:
        pass
    return None


def _simplejwt_token(user, jwt_settings):
    """A SimpleJWT token for `user` as the app's own token view makes one:
    of the first class its AUTH_TOKEN_CLASSES accepts (a SlidingToken,
    h697: an access token was refused "not valid for any token type"),
    through its TOKEN_OBTAIN_SERIALIZER's (or the sliding one's)
    get_token, so the claims it adds are there (h697: a stateless user's
    is_staff claim, staff refused without it). Else a plain access
    token, as before."""
    from django.utils.module_loading import import_string
    from rest_framework_simplejwt.tokens import AccessToken
    try:
        classes = jwt_settings.AUTH_TOKEN_CLASSES
        first = classes[0] if classes else AccessToken
        sliding = getattr(first, "token_type", "") == "sliding"
        name = jwt_settings.SLIDING_TOKEN_OBTAIN_SERIALIZER if sliding else jwt_settings.TOKEN_OBTAIN_SERIALIZER
        made = import_string(name).get_token(user)
        token = made if sliding else made.access_token
        if getattr(token, "token_type", None) == getattr(first, "token_type", "access"):
            return token
    except Exception:
        pass
    return AccessToken.for_user(user)


def _mint(scheme, cls, user, username, password):
    """The Authorization header value for `user` under `scheme`."""
    if scheme == "token" and _is_knox(cls):
        import datetime
        try:
            from knox.models import get_token_model
            model = get_token_model()
        except ImportError:
            # knox before 5.0 (4.2 is a common tutorial pin, h540) has no
            # swappable token model: its AuthToken, same manager.
            from knox.models import AuthToken as model
        # Valid for the whole run, whatever TOKEN_TTL says; the prefix is
        # knox's AUTH_HEADER_PREFIX, as its class announces it.
        _, key = model.objects.create(user=user, expiry=datetime.timedelta(hours=2))
        return "%s %s" % (cls().authenticate_header(None), key)
    if scheme == "token":
        model = cls().get_model()
        # DRF's Token is abstract unless its app is installed: said so,
        # beside the 401s, not as "no attribute 'objects'".
        if getattr(model._meta, "abstract", False):
            raise RuntimeError("rest_framework.authtoken is not in INSTALLED_APPS"
                               if model.__module__.startswith("rest_framework.authtoken")
                               else "its token model %s is abstract" % model.__name__)
        token, _ = model.objects.get_or_create(user=user)
        return "%s %s" % (getattr(cls, "keyword", "Token"), token.key)
    if scheme == "jwt" and getattr(cls, "__module__", "").startswith("ninja_jwt."):
        # django-ninja-jwt, SimpleJWT's port to Django Ninja: the same
        # tokens and settings, under its own names (h669).
        # Its JWTAuth is Django Ninja's HttpBearer: "Bearer", always.
        import datetime
        from ninja_jwt.tokens import AccessToken
        kind = AccessToken
        try:
            # Of the first class its AUTH_TOKEN_CLASSES accepts, as the
            # SimpleJWT it ports (h750: a SlidingToken, an access token
            # refused as "Token has wrong type", 0).
            from ninja_jwt.settings import api_settings as ninja_settings
            classes = ninja_settings.AUTH_TOKEN_CLASSES
            if classes and getattr(classes[0], "token_type", "") == "sliding":
                kind = classes[0]
        except Exception:
            pass
        token = kind.for_user(user)
        token.set_exp(lifetime=datetime.timedelta(hours=2))
        return "Bearer %s" % token
    if scheme == "jwt":
        import datetime
        from rest_framework_simplejwt.settings import api_settings as jwt_settings
        token = _simplejwt_token(user, jwt_settings)
        # Valid for the whole run, whatever ACCESS_TOKEN_LIFETIME says.
        token.set_exp(lifetime=datetime.timedelta(hours=2))
        types = jwt_settings.AUTH_HEADER_TYPES
        kind = types[0] if isinstance(types, (list, tuple)) else types
        return "%s %s" % (kind, str(token))
    if scheme == "basic":
        import base64
        from django.contrib.auth import get_user_model
        login = getattr(user, get_user_model().USERNAME_FIELD, username)
        raw = ("%s:%s" % (login, password)).encode("utf-8")
        return "Basic " + base64.b64encode(raw).decode("ascii")
    return None


def _first_class_of_each(lists, schemes=None):
    """{scheme: the first authentication class listed for it} over the
    views' lists, only the given schemes when named."""
    found = {}
    for l in lists:
        for c in l:
            sc = _scheme_of(c)
            if sc and sc not in found and (schemes is None or sc in schemes):
                found[sc] = c
    return found


def _mint_first(order, classes, created, specs):
    """(scheme, one Authorization value per user) for the first scheme of
    `order` whose values can be made for every user, else (None, {}). A
    scheme whose minting fails (rest_framework.authtoken not installed) is
    logged to the app's log (state.log), named in _SIGN_IN_FAILED, and the
    next one tried."""
    passwords = {sp["username"]: sp.get("password") for sp in specs}
    for scheme in order:
        try:
            return scheme, {u: _mint(scheme, classes[scheme], user, u, passwords.get(u))
                            for u, user in created}
        except Exception as e:
            print("grader: could not sign in with %s: %s: %s" % (scheme, type(e).__name__, e),
                  file=sys.stderr)
            _SIGN_IN_FAILED.append("%s: %s: %s" % (scheme, type(e).__name__, str(e)[:120]))
    return None, {}


def _sign_in_beside_sessions(lists, created, specs, views=()):
    """("session", {}), or ("session+token" or "session+jwt", values) when an
    API that takes sessions also takes a token: DRF's TokenAuthentication or
    SimpleJWT listed by a view (or the defaults), or, with neither,
    rest_framework.authtoken installed, or SimpleJWT's token views routed
    (`views`, the DRF views the URLconf routes to). Views the URLconf walk
    cannot see (plain Django views that
    read `Authorization: Token` themselves, beside DRF views that take
    both) would otherwise refuse every signed-in request, a whole API lost
    to how the grader signs in (contracts section 2: the scheme the API
    accepts). Sending both changes nothing for views that take sessions: the
    token names the same user."""
    from django.apps import apps
    found = _first_class_of_each(lists, ("token", "jwt"))
    # authtoken installed but no view listing TokenAuthentication: its
    # token only where no JWT is listed (dj-rest-auth installs authtoken
    # for its own models beside SimpleJWT, h283).
    if not found and apps.is_installed("rest_framework.authtoken"):
        from rest_framework.authentication import TokenAuthentication
        found["token"] = TokenAuthentication
    # Neither, but SimpleJWT's token views routed: an API that is no DRF
    # of its own checks its tokens (Django Ninja's HttpBearer calling
    # JWTAuthentication, h657: every staff create refused, 0).
    if not found and any(v.__module__.startswith("rest_framework_simplejwt.") for v in views):
        from rest_framework_simplejwt.authentication import JWTAuthentication
        found["jwt"] = JWTAuthentication
    scheme, values = _mint_first([sc for sc in ("token", "jwt") if sc in found], found, created, specs)
    return ("session+" + scheme, values) if scheme else ("session", {})


def _ninja_jwt_beside_sessions(created, specs):
    """("session+jwt", values) where django-ninja-jwt is installed: its
    JWTAuth takes no session, and a Django Ninja API the URLconf walk
    cannot see may take nothing else (h669: JWT alone, every signed-in
    request refused, 0); the token goes only after a refusal, so views
    that take the session are graded on it. Else ("session", {})."""
    from django.apps import apps
    if not apps.is_installed("ninja_jwt"):
        return "session", {}
    try:
        from ninja_jwt.authentication import JWTAuth
    except Exception:
        return "session", {}
    scheme, values = _mint_first(["jwt"], {"jwt": JWTAuth}, created, specs)
    return ("session+jwt", values) if scheme else ("session", {})


def api_sign_in(created, specs):
    """How the users are signed in: ("session", {}) when every DRF view
    accepts Django sessions (or there is no DRF; with a token too when the
    API also takes one, _sign_in_beside_sessions, or django-ninja-jwt's,
    _ninja_jwt_beside_sessions), else the scheme the session-less views
    accept, with one Authorization value per user. The session cookie is
    still sent: views that take sessions keep working."""
    scheme, values = _drf_sign_in(created, specs)
    if scheme == "session":
        scheme, values = _ninja_jwt_beside_sessions(created, specs)
    return scheme, values


def _drf_sign_in(created, specs):
    """api_sign_in's for DRF's views."""
    try:
        from rest_framework.settings import api_settings
    except Exception:
        return "session", {}
    views = _drf_views()
    # The project's own views: a sign-in package's (knox's LogoutView takes
    # knox tokens alone, h308) are not what the checks ask, and read as a
    # session-less API they sent the token with every request; nor are the
    # project's views made from them (_sign_in_view, h502).
    own = [v for v in views if _project_class(v) and not _sign_in_view(v)]
    lists = [list(v.authentication_classes or ()) for v in (own or views)]
    if not lists:
        lists = [list(api_settings.DEFAULT_AUTHENTICATION_CLASSES or ())]
    sessionless = [l for l in lists if l and "session" not in [_scheme_of(c) for c in l]]
    if not sessionless:
        return _sign_in_beside_sessions(lists, created, specs, views)
    # The scheme most of those views accept; token before JWT before Basic.
    votes = _first_class_of_each(sessionless)
    order = sorted(votes, key=lambda sc: (-sum(1 for l in sessionless
                                               if sc in [_scheme_of(c) for c in l]),
                                          ["token", "jwt", "basic"].index(sc)))
    scheme, values = _mint_first(order, votes, created, specs)
    return (scheme, values) if scheme else ("session", {})


def header_name(meta_name):
    """'HTTP_X_CSRFTOKEN' -> 'X-CSRFToken' (header names are case-blind;
    the default keeps its familiar spelling)."""
    name = meta_name[5:] if meta_name.startswith("HTTP_") else meta_name
    if name == "X_CSRFTOKEN":
        return "X-CSRFToken"
    return "-".join(p.capitalize() for p in name.split("_"))


def auth_header(scheme):
    """The header SimpleJWT reads its token from where it is not
    Authorization: its AUTH_HEADER_NAME, 'HTTP_X_ACCESS_TOKEN' ->
    'X-Access-Token' (h644: every signed-in request refused, the token
    sent in Authorization), else ""."""
    if not scheme.endswith("jwt"):
        return ""
    try:
        from rest_framework_simplejwt.settings import api_settings as jwt_settings
        meta = jwt_settings.AUTH_HEADER_NAME
    except Exception:
        return ""
    if not isinstance(meta, str) or not meta.startswith("HTTP_") or meta == "HTTP_AUTHORIZATION":
        return ""
    return header_name(meta)


def contrib_sync_plan():
    """Which django.contrib apps get their tables straight from their models
    instead of by replaying their migrations: (unmigrated, faked, recorded),
    two sets of app labels and the (label, name) of every faked app's
    migration, to record as applied.

    Replaying Django's own migrations (auth alone has twelve, several of
    which rebuild a table on SQLite) is most of a small project's migrate,
    and it is the same work for every submission. Creating the tables from
    the current models (what Django's test runner does with MIGRATE=False)
    gives the same schema in a fraction of the time (tests/e2e/test_migrate.sh
    compares the two databases). Two ways, so that the graph the project's
    own migrations see is always one Django can build:

    - unmigrated: MIGRATION_MODULES[label] = None, the app leaves the graph.
      Only possible when no migration that stays in the graph names one of
      its migrations (not __first__/__latest__) as a dependency or in
      run_before.
    - faked: the app stays in the graph and its migrations are recorded as
      applied once its tables exist, as `migrate --fake` would. This is the
      common custom user model, whose 0001 depends on
      ('auth', '0012_...'): auth's migrations (and contenttypes', which they
      name) must stay in the graph. Faking is only right when the app's tables
      are its latest state and every migration the faked ones depend on is
      applied first, so an app is faked only if its migrations depend on
      nothing but faked and unmigrated apps, and no other migration runs
      before one of them (run_before), which would make the recorded history
      inconsistent.

    Anything else (a dependency on a project app, such as admin's on a
    custom AUTH_USER_MODEL while admin itself is named) keeps its
    migrations. An app is never synced when the project configured its
    MIGRATION_MODULES. The project's own apps are never synced: one without
    migrations must still be reported as such (missing_tables)."""
    from django.apps import apps
    from django.conf import settings
    from django.db.migrations.loader import MigrationLoader
    own = getattr(settings, "MIGRATION_MODULES", None) or {}
    unmigrated = {c.label for c in apps.get_app_configs()
                  if c.name.startswith("django.contrib.") and c.models_module is not None
                  and c.label not in own}
    faked = set()
    if not unmigrated:
        return unmigrated, faked, []
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migrations = loader.disk_migrations.items()
    changed = True
    while changed:
        changed = False
        for (label, _name), migration in migrations:
            if label in unmigrated:
                continue
            for app, name in list(migration.dependencies) + list(migration.run_before):
                if app in unmigrated and name not in ("__first__", "__latest__"):
                    unmigrated.discard(app)
                    faked.add(app)
                    changed = True
        synced = unmigrated | faked
        for (label, _name), migration in migrations:
            if label in faked:
                parents = [app for app, _n in migration.dependencies]
                if any(app not in synced for app in parents):
                    faked.discard(label)
                    changed = True
            elif label not in synced:
                if any(app in faked for app, _n in migration.run_before):
                    for app, _n in migration.run_before:
                        faked.discard(app)
                    changed = True
    # The graph's own list, read once: migrate_project records these.
    recorded = sorted(key for key in loader.disk_migrations if key[0] in faked)
    return unmigrated, faked, recorded


def migrate_plan(fast=True):
    """contrib_sync_plan() (or nothing, when not `fast` or when it fails),
    with MIGRATION_MODULES set for its unmigrated apps, so that whatever
    reads the migration graph afterwards (migrate, check_migrations) sees
    the graph migrate used. Reads migration files only, never the
    database."""
    from django.conf import settings
    unmigrated, faked, recorded = set(), set(), []
    if fast:
        try:
            unmigrated, faked, recorded = contrib_sync_plan()
        except Exception:
            # Whatever stops the analysis (it only reads migration files)
            # stops migrate too, which then reports it as the app's failure.
            unmigrated, faked, recorded = set(), set(), []
    if unmigrated:
        own = dict(getattr(settings, "MIGRATION_MODULES", None) or {})
        own.update({label: None for label in unmigrated})
        settings.MIGRATION_MODULES = own
    return unmigrated, faked, recorded


def migrate_project(fast=True, plan=None):
    """migrate, with the contrib apps of the plan (migrate_plan(fast) when
    none is given) created from their models first. Returns the labels so
    created, sorted."""
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    unmigrated, faked, recorded = plan if plan is not None else migrate_plan(fast)
    synced = unmigrated | faked
    # Every alias, as a project with a DATABASE_ROUTERS router migrates
    # each (manage.py migrate --database NAME): its router puts the tables
    # where its queries look for them (h263: an audit model routed to
    # "analytics", the docs' way, failed the boot). Each gets the contrib
    # tables from their models first, where its router allows them: only
    # the default's did, and the second alias's migrate failed on "no such
    # table: django_content_type" in its post_migrate (h406: a read
    # replica, or a second alias with no router at all).
    for alias in [DEFAULT_DB_ALIAS] + [a for a in connections if a != DEFAULT_DB_ALIAS]:
        if alias in SHARED_ALIASES:
            continue   # another alias's database, migrated as that one
        if synced:
            _sync_contrib(connections[alias], synced, recorded)
        if alias == DEFAULT_DB_ALIAS:
            call_command("migrate", interactive=False, verbosity=0)
        else:
            call_command("migrate", database=alias, interactive=False, verbosity=0)
    return sorted(synced)


def _sync_contrib(connection, synced, recorded):
    """The contrib apps of the plan created on `connection` from their
    models (where the project's router allows them), and their faked
    migrations recorded as applied there."""
    import io
    from django.core.management.commands.migrate import Command as Migrate
    from django.db.migrations.recorder import MigrationRecorder
    cmd = Migrate(stdout=io.StringIO(), stderr=io.StringIO())
    cmd.verbosity = 0
    cmd.sync_apps(connection, synced)
    if recorded:
        # One INSERT of every faked migration (bulk_create: one statement).
        recorder = MigrationRecorder(connection)
        recorder.ensure_schema()
        recorder.migration_qs.bulk_create(
            recorder.Migration(app=label, name=name) for (label, name) in recorded)


def _uses_images():
    """Whether a model has an ImageField: its first upload's validation
    loads every Pillow plugin (Image.init(), 70-100 ms)."""
    from django.apps import apps
    from django.db import models
    return any(isinstance(f, models.ImageField) for m in apps.get_models() for f in m._meta.fields)


def _can_fork():
    """Whether migrate may run in a forked child while this process warms
    up. Only when the warm-up is worth the fork: the child's copy-on-write
    faults cost migrate 40-60 ms (docs/performance.md), more than a
    project's templates save its first requests, less than Pillow's
    plugins (_uses_images). And only when it is safe: one thread (fork
    copies the calling thread alone, and another thread's locks would stay
    held in the child for ever) and no database connection open yet (an
    SQLite connection must never be used on both sides of a fork). Any
    other project boots the plain way, one step after the other."""
    import threading
    from django.db import connections
    if not hasattr(os, "fork") or threading.active_count() != 1 or not _uses_images():
        return False
    return all(c.connection is None for c in connections.all())


def migrate_beside_warm_up():
    """migrate (with the missing-tables check) in a forked child while this
    process does warm_up(): the two run on two cores, and the first
    requests no longer pay for what warm_up() did. The child reports its own
    failure (an "error" event, as the boot would) and exits 1; this process
    then ends as the child did, so a failing migrate looks exactly as it
    would in one process. The database is the child's alone until it is
    done: warm_up() never opens a connection."""
    import select
    from django.db import connections
    plan = migrate_plan()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            migrate_project(plan=plan)
            found = missing_tables()
            if found:
                fail_missing_migrations(found)
            connections.close_all()
            os.write(w, b"ok")
        except BaseException as e:  # SystemExit included, as in main()
            _fail(e)
        os._exit(0)
    os.close(w)
    try:
        # Stop warming once the child is done (its "ok", or its end).
        warm_up(lambda: bool(select.select([r], [], [], 0)[0]))
    except Exception:
        pass
    done = os.read(r, 2)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    if done == b"ok":
        return
    if os.WIFSIGNALED(status):
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def warm_up(done):
    """What a project's first requests would otherwise pay for, in the
    order they pay most, stopping as soon as done() (migrate has finished:
    anything more would only delay the boot). Only library code and files,
    never the project's own code: importing a view or a form module before
    its tables exist (or before a data migration has filled them) would
    change what its import-time code sees. Nothing touches the database;
    every step is optional, and an error in one (a template that does not
    compile) is left for the request that meets it, as without the warm-up.

    - Pillow's plugins: an ImageField's validation calls Image.init(),
      70-100 ms on the first upload (a fork is made only for a project
      with one: _can_fork);
    - the templates of Django's form renderer (those a ModelForm's page
      uses first), the project's own template files and, with the admin
      installed, the few its index and changelist render (not the rest of
      an installed package's: the admin's hundred would cost more than the
      few its pages use). Making a template engine imports every app's
      template tags, so not when a project app has its own."""
    import itertools
    import django.forms
    project = os.path.realpath(os.getcwd()) + os.sep
    templates = () if not _templates_are_library_code(project) else _warm_templates(
        os.path.join(os.path.dirname(django.forms.__file__), "templates"), project)
    for step in itertools.chain([_warm_pillow], templates):
        if done():
            return
        try:
            step()
        except Exception:
            pass


def _templates_are_library_code(project):
    """Whether making the template engines and the form renderer runs only
    Django's code: no project app with template tags (an engine imports
    every app's), and no backend, loader, library, builtin or renderer of
    the project's own (each imported when its engine is made)."""
    from django.apps import apps
    from django.conf import settings
    if any(os.path.realpath(c.path).startswith(project) and
           os.path.isdir(os.path.join(c.path, "templatetags")) for c in apps.get_app_configs()):
        return False
    names = [getattr(settings, "FORM_RENDERER", "")]
    for t in settings.TEMPLATES:
        opts = t.get("OPTIONS") or {}
        names.append(t.get("BACKEND", ""))
        names.extend(opts.get("builtins") or [])
        names.extend((opts.get("libraries") or {}).values())
        todo = list(opts.get("loaders") or [])
        while todo:  # "path", or ("path", [inner loaders...] or args)
            loader = todo.pop()
            if isinstance(loader, str):
                names.append(loader)
            elif isinstance(loader, (list, tuple)) and loader:
                names.append(loader[0])
                if len(loader) > 1 and isinstance(loader[1], (list, tuple)):
                    todo.extend(loader[1])
    return all(isinstance(n, str) and n.startswith("django.") for n in names)


def _warm_pillow():
    from PIL import Image
    Image.init()


# The form renderer's templates a ModelForm's page renders (its layout,
# fields, labels, errors and the common widgets), compiled before the
# project's own; its other templates (formsets, date and time widgets)
# after the admin's pages.
_FORM_TEMPLATES_FIRST = (
    "div.html", "field.html", "label.html", "attrs.html", "p.html",
    "errors/list/default.html", "errors/list/ul.html",
    "widgets/attrs.html", "widgets/input.html", "widgets/text.html", "widgets/textarea.html",
    "widgets/select.html", "widgets/select_option.html", "widgets/file.html",
    "widgets/clearable_file_input.html", "widgets/password.html", "widgets/email.html",
    "widgets/number.html", "widgets/checkbox.html", "widgets/hidden.html",
)

# What the admin's index and a model's changelist render (Django 4.2-5.2),
# a project's overrides of them included: only these of the admin's
# hundred templates, after the project's own.
_ADMIN_PAGE_TEMPLATES = (
    "admin/base.html", "admin/base_site.html", "admin/color_theme_toggle.html",
    "admin/nav_sidebar.html", "admin/index.html", "admin/app_list.html",
    "admin/change_list.html", "admin/change_list_object_tools.html", "admin/search_form.html",
    "admin/date_hierarchy.html", "admin/filter.html", "admin/actions.html",
    "admin/change_list_results.html", "admin/pagination.html",
)


def _warm_templates(forms_dir, project):
    """One step per template to compile: the form renderer's that a
    ModelForm's page uses, the project's own (the folders of DIRS and of
    the apps under `project`), the admin's index and changelist when the
    admin is installed, then the form renderer's others."""
    from django.apps import apps
    from django.forms.renderers import get_default_renderer
    from django.template import engines
    from django.template.utils import get_app_template_dirs
    renderer = get_default_renderer()
    root = os.path.join(forms_dir, "django", "forms")
    first = ["django/forms/" + n for n in _FORM_TEMPLATES_FIRST
             if os.path.isfile(os.path.join(root, n))]
    for name in first:
        yield lambda name=name: renderer.get_template(name)
    django_engines = [b for b in engines.all() if getattr(b, "engine", None) is not None]
    for backend in django_engines:
        engine = backend.engine
        dirs = [str(d) for d in engine.dirs]
        if engine.app_dirs:
            dirs += [str(d) for d in get_app_template_dirs("templates")]
        for d in dirs:
            if os.path.realpath(d).startswith(project):
                for name in _template_names(d, d):
                    yield lambda b=backend, name=name: b.get_template(name)
    if apps.is_installed("django.contrib.admin") and django_engines:
        for name in _ADMIN_PAGE_TEMPLATES:
            yield lambda b=django_engines[0], name=name: b.get_template(name)
    for name in _template_names(root, forms_dir):
        if name.replace(os.sep, "/") not in first:
            yield lambda name=name: renderer.get_template(name)


def _template_names(folder, root, limit=200):
    """The .html and .txt templates under folder, named from root: at most
    `limit`, so a project with thousands costs a bounded warm-up, and only
    regular files of at most 1 MiB, never a link (a repository's link to
    /dev/zero would be read for ever, where a request never asks for it)."""
    n = 0
    for base, _dirs, files in os.walk(folder):
        for f in sorted(files):
            path = os.path.join(base, f)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if (f.endswith((".html", ".txt")) and n < limit and stat.S_ISREG(st.st_mode)
                    and st.st_size <= 1 << 20):
                n += 1
                yield os.path.relpath(path, root)


def check_migrations():
    """makemigrations --check --dry-run: True (current), False (changes
    without a migration), None (could not tell). Never fatal."""
    import io
    from django.core.management import call_command
    out = io.StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, interactive=False,
                     verbosity=1, stdout=out, stderr=out)
    except SystemExit as e:
        current, detail = e.code in (0, None), out.getvalue()
        if not current and not _migration_apps(detail):
            # Early Django 4.2 releases (4.2.7; 4.2.11 says it first) exit 1
            # on --check before saying what they would write, so no app was
            # named and migrations-current passed (h377); a dry run alone
            # says it, writing nothing.
            again = io.StringIO()
            try:
                call_command("makemigrations", dry_run=True, interactive=False,
                             verbosity=1, stdout=again, stderr=again)
            except (Exception, SystemExit):
                pass
            detail += again.getvalue()
        return current, detail[-4000:]
    except Exception as e:
        return None, ("%s: %s" % (type(e).__name__, e))[-4000:]
    return True, out.getvalue()[-4000:]


def _defaults_called_said(detail):
    """makemigrations' lines altering a field whose default is a value
    computed once, at import (default=uuid.uuid4(), default=timezone.now():
    a new value each time the models load, so a migration is always
    pending), with that said after them (h724: the id's line was read as
    DEFAULT_AUTO_FIELD's, "only the ids' type changes")."""
    if "Alter field" not in detail:
        return detail
    import datetime
    import uuid
    from django.apps import apps
    from django.db.models import NOT_PROVIDED
    called = {}
    try:
        for model in apps.get_models():
            for field in model._meta.local_fields:
                default = field.default
                if default is NOT_PROVIDED or callable(default):
                    continue
                if isinstance(default, uuid.UUID):
                    called[(model._meta.model_name, field.name)] = "uuid.uuid4"
                elif isinstance(default, datetime.datetime):
                    called[(model._meta.model_name, field.name)] = "timezone.now"
    except Exception:
        return detail
    if not called:
        return detail

    def said(m):
        func = called.get((m.group(3), m.group(2)))
        if not func:
            return m.group(0)
        return "%s (default calls %s() once: pass %s)" % (m.group(0), func, func)
    return re.sub(r"^(\s*[-+~] Alter field (\w+) on (\w+))$", said, detail, flags=re.M)


def storage_location_fields():
    """The file fields ("recipe.image") whose storage was built with a
    location of its own, FileSystemStorage(location=...): Django writes that
    absolute path into the field's migration, so the field reads as changed
    wherever the project is checked out, the grader's MEDIA_ROOT among them
    (h486: migrations-current told a learner whose model had not changed to
    run makemigrations). A storage passed as a callable is written as the
    callable's name, and one whose class sets its own location in __init__
    records no location: neither is named."""
    from django.apps import apps
    from django.core.files.storage import FileSystemStorage, default_storage
    from django.db import models
    named = []
    for model in apps.get_models():
        for field in model._meta.local_fields:
            storage = getattr(field, "storage", None)
            if (not isinstance(field, models.FileField) or storage is default_storage
                    or hasattr(field, "_storage_callable")
                    or not isinstance(storage, FileSystemStorage)):
                continue
            try:
                given = storage.deconstruct()[2].get("location")
            except Exception:
                given = None
            if given:
                named.append("%s.%s" % (model._meta.model_name, field.name))
    return " ".join(named)


def _migration_apps(detail):
    """The app labels `makemigrations --dry-run` would write migrations for,
    or whose model it could not write one for without asking ("Field
    'created' on model 'product' not migrated: it is impossible to add a
    field with 'auto_now_add=True' without specifying a default", its exit
    3: h325's migrations-current passed with no app named)."""
    labels = set(re.findall(r"Migrations for '([\w.]+)'", detail or ""))
    models = set(m.lower() for m in re.findall(r"on model '(\w+)' not migrated", detail or ""))
    if models:
        from django.apps import apps
        labels |= {m._meta.app_label for m in apps.get_models() if m._meta.model_name in models}
    return sorted(labels)


def _package_app(label):
    """Whether the app `label` is a package's, installed in the environment
    (site-packages), not the project's: a migration makemigrations would
    write for it lands in the environment, where the learner has nothing to
    commit (h559: django-tastypie's ApiKey model, which names no
    default_auto_field, under a project's BigAutoField)."""
    from django.apps import apps
    try:
        return _in_package(apps.get_app_config(label).path)
    except LookupError:
        return False


def project_pending(current, detail):
    """(current, the project's apps makemigrations would write for): a
    check that found changes in packages' apps alone is current, as far as
    the project can tell."""
    named = _migration_apps(detail) if current is False else []
    pending = [label for label in named if not _package_app(label)]
    return (True if named and not pending else current), pending


def missing_tables():
    """The project's own apps none of whose managed models has a table after
    migrate: their migrations were never committed (no migrations folder,
    an empty one, or migration files left out by .gitignore). Every page
    using them would fail with "no such table", so this is said once, at
    boot, naming the app. An app with some of its tables is graded: a model
    added without its migration is the change migrations-current warns
    about, and only the checks that use it fail (h216: a HistoricalRecords
    model whose CreateModel was left out failed the whole boot).
    [(label, folder relative to the project, tables)]"""
    from django.apps import apps
    from django.db import connections
    # In any database: a router may put an app's tables in another alias.
    existing = set()
    for alias in connections:
        existing |= set(connections[alias].introspection.table_names())
    project = os.path.realpath(os.getcwd())
    out = []
    for cfg in apps.get_app_configs():
        if not _in_project(cfg.path):
            continue
        path = os.path.realpath(cfg.path)
        tables = [m._meta.db_table for m in cfg.get_models()
                  if m._meta.managed and not m._meta.proxy and not m._meta.swapped]
        missing = [t for t in tables if t not in existing]
        if missing and len(missing) == len(tables):
            out.append((cfg.label, os.path.relpath(path, project), sorted(missing)))
    return out


def _gitignored_migrations():
    """A .gitignore line of the project's (manage.py's folder or up to three
    above it) that names migrations, as `.gitignore: LINE`, or None: with
    it, "commit the migrations folder" adds nothing (h416: **/migrations/0*.py,
    git add silently skipping the files)."""
    here = os.path.realpath(os.getcwd())
    for _ in range(4):
        try:
            with open(os.path.join(here, ".gitignore"), encoding="utf-8", errors="replace") as f:
                for line in f.read(1 << 16).splitlines():
                    line = line.strip()
                    if line and not line.startswith(("#", "!")) and "migrations" in line:
                        return "%s: %s" % (os.path.relpath(os.path.join(here, ".gitignore")), line[:80])
        except OSError:
            pass
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return None


def fail_missing_migrations(found):
    """Boot failure for models without migrations: name each app, its
    tables, and what to do. Several apps are named in one clause, and a
    .gitignore line keeping the migrations out of git comes before the
    folders to commit: the diagnosis is cut at 600 bytes, and three apps'
    clauses cut the line that was the cause (h568)."""
    if len(found) == 1:
        label, folder, tables = found[0]
        shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
        said = ("the app '%s' has models without migrations (migrate created none of "
                "its tables: %s)" % (label, shown))
    else:
        tables = [t for f in found for t in f[2]]
        shown = ", ".join(tables[:6]) + (", ..." if len(tables) > 6 else "")
        names = ["'%s'" % f[0] for f in found]
        said = ("the apps %s and %s have models without migrations (migrate created none "
                "of their tables: %s)" % (", ".join(names[:-1]), names[-1], shown))
    labels = " ".join(f[0] for f in found)
    folders = ", ".join(os.path.join(f[1], "migrations") + "/" for f in found)
    ignored = _gitignored_migrations()
    first = ("%s leaves migration files out of git, so delete that line first "
             "(git add skips ignored files without a word), then " % ignored) if ignored else ""
    message = ("%s, so every page that uses them would fail with \"no such table\": %srun "
               "makemigrations and commit the migrations folder (python manage.py "
               "makemigrations %s, then commit %s with its migration files)"
               % (said, first, labels, folders))
    try:
        _send({"event": "error", "phase": "migrate", "message": message, "traceback": ""})
    finally:
        os._exit(1)


# ---- serving -----------------------------------------------------------------

def _media_in_folder(root, rel):
    """FOLDER/rel, where a GET of MEDIA_URL + rel was answered 404 (so
    root/rel is no file: serve_media serves those) and a folder of root
    holds it as FOLDER/rel, or None: a FileSystemStorage whose location
    adds a folder under MEDIA_ROOT and whose base_url does not (h1112:
    files in MEDIA_ROOT/recipe_photos/ at /media/2026/...). One level, at
    most 64 folders, each opened as _open_media opens any: a hint, not a
    search."""
    if not rel:
        return None
    try:
        with os.scandir(root) as entries:
            folders = sorted(e.name for _, e in zip(range(64), entries) if e.is_dir(follow_symlinks=False))
    except OSError:
        return None
    for folder in folders:
        opened = _open_media(root, folder + "/" + rel)
        if opened is not None:
            os.close(opened[0])
            return folder + "/" + rel
    return None


def _open_media(root, rel):
    """Open root/rel for reading, refusing '..', hidden traversal and any
    symlink on the way (O_NOFOLLOW on every component, from a directory fd),
    so an upload can never expose a file outside MEDIA_ROOT. Returns
    (fd, size) of a regular file or None."""
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." or "\x00" in p or "\\" in p for p in parts):
        return None
    try:
        dfd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        for p in parts[:-1]:
            nfd = os.open(p, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                          dir_fd=dfd)
            os.close(dfd)
            dfd = nfd
        fd = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK,
                     dir_fd=dfd)
    except OSError:
        return None
    finally:
        os.close(dfd)
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        return None
    return fd, st.st_size


def _local_media_path(media_url):
    """An absolute MEDIA_URL on a loopback host ("http://127.0.0.1:8000/
    uploads/", the student's runserver) as its path: the grader takes such
    an address for the app's (docs/checks.md, "Addresses the app gives")
    and asks the app for its path, which is then served here (h163). Any
    other MEDIA_URL as it is."""
    from urllib.parse import urlsplit
    if not _ABSOLUTE_URL.match(media_url):
        return media_url
    try:
        parts = urlsplit(media_url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return media_url
    if parts.scheme.lower() in ("http", "https", "") and (
            host == "localhost" or host == "::1" or re.match(r"^127(\.\d{1,3}){3}$", host)):
        return parts.path or "/"
    return media_url


_TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+[`"\[]?([A-Za-z0-9_]{1,63})', re.I)


def _repeated_query(seen):
    """" R TABLE" for the statement naming a table that a request ran most
    often, R > 1 times (its parameters apart: one per row of a list, the
    N+1 a query budget catches), TABLE the first it reads or writes; ""
    when none repeats. The grader names them in query-budget's message
    (h170: "which query repeats?"). A write counts: thumbnails made at a
    list's first view insert a row per recipe, beside statements naming
    no table (SAVEPOINT, SELECT 1) that may run more often (h209). Then
    " R2 TABLE2" for a second table repeated about as often, more than
    twice: a row reading two (its owner, its product) is two fixes, and
    naming one left the other (h214)."""
    found = []
    for sql, n in sorted(seen.items(), key=lambda kv: -kv[1]):
        if n <= 1 or len(found) == 2:
            break
        table = _TABLE.search(sql) if isinstance(sql, str) else None
        if not table or any(t == table.group(1) for _, t in found):
            continue
        if found and (n <= 2 or 2 * n < found[0][0]):
            break
        found.append((n, table.group(1)))
    return "".join(" %d %s" % pair for pair in found)


SESSION_HEADER = "HTTP_X_GRADER_SESSION"


def _json_answer(start_response, status, body):
    """A JSON answer of the wrapper's own, to a request of the grader's."""
    data = json.dumps(body).encode("utf-8")
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def _is_token(given, token):
    """Whether a header's value is the run's token (the query header's
    secret, compared in constant time): a request of the grader's, never
    one the app or a page could forge."""
    return bool(token) and hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


SYSTEM_CHECKS_HEADER = "HTTP_X_GRADER_SYSTEM_CHECKS"
SYSTEM_CHECKS_SHOWN = 5


def system_checks_answer(start_response):
    """The answer to the grader's request for Django's system checks (never
    seen by the app): 200 {"errors": [...], "total": N}, the serious ones
    that are not silenced, each as `manage.py check` writes it on one line.
    These are what `manage.py migrate`, `makemigrations` and `runserver`
    run first and refuse to go on after; the boot runs migrate through
    call_command, which skips them, and serves the WSGI application, which
    never runs them (contracts §2). They cost 15-35 ms in a booted app
    (more before the first requests), so the grader asks only after the
    checks, and only where they may explain a loss: a server error that
    cost points, or migrations pending (docs/boot-protocol.md). A
    check of the project's own that raises is reported as one error: the
    commands would stop on it too."""
    from django.core import checks

    try:
        found = [m for m in checks.run_checks(include_deployment_checks=False)
                 if m.is_serious() and not m.is_silenced()]
        errors = [" ".join(str(m).split()) for m in found]
    except Exception as exc:
        errors = ["the system checks raised %s: %s" % (type(exc).__name__, exc)]
    return _json_answer(start_response, "200 OK", {"errors": errors[:SYSTEM_CHECKS_SHOWN], "total": len(errors)})


def make_minter(created):
    """A function minting one more session for a user created at boot, the
    way mint_sessions did: for a check that ended a user's session (a view
    calling logout() where the grader did not expect it, h297), so the
    checks after it are not all sent to the login page."""
    users = dict(created)

    def mint(username):
        user = users.get(username)
        if user is None:
            raise LookupError("no user %r was created at boot" % username)
        return mint_sessions([(username, type(user)._default_manager.get(pk=user.pk))])[username]

    return mint


def mint_answer(mint, username, start_response):
    """The answer to the grader's request for a fresh session (never seen by
    the app): 200 {"session", "csrf"}, or 500 {"error"}."""
    try:
        minted = mint(username)
        status, body = "200 OK", {"session": minted["session"], "csrf": minted["csrf"]}
    except Exception as exc:
        status, body = "500 Internal Server Error", {"error": "%s: %s" % (type(exc).__name__, exc)}
    return _json_answer(start_response, status, body)


def behind_tls_proxy(settings):
    """Whether the app is deployed behind a TLS-terminating proxy, so served
    as if through one: it redirects plain HTTP itself (SECURE_SSL_REDIRECT),
    or it names the header such a proxy sets (SECURE_PROXY_SSL_HEADER =
    ("HTTP_X_FORWARDED_PROTO", "https")), which an app sets only where one
    stands in front of it (h662: a middleware of its own sending plain HTTP
    to https, 0 for a correct app)."""
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    return bool(getattr(settings, "SECURE_SSL_REDIRECT", False)) or (
        isinstance(proxy, (tuple, list)) and len(proxy) == 2 and isinstance(proxy[0], str) and
        isinstance(proxy[1], str) and proxy[1].lower() == "https")


def make_wrapper(app, token, https=False, mint=None):
    """The app, as the grader serves it: uploaded files from MEDIA_ROOT, and
    each answer saying how many SQL queries it ran (a header with the run's
    token). A request carrying X-Grader-Session: TOKEN USERNAME is the
    grader's, answered with a fresh session for that user (make_minter)
    without reaching the app, and so is one carrying
    X-Grader-System-Checks: TOKEN (system_checks_answer); the token is the
    query header's secret.
    With https (an app behind a TLS proxy, behind_tls_proxy), each
    request arrives as if through the
    TLS-terminating proxy a deployment puts in front of Django: the grader
    stands for it, on the sandbox's loopback."""
    from django.conf import settings
    from django.db import connections

    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) if https else None

    media_url = _local_media_path(str(getattr(settings, "MEDIA_URL", "") or ""))
    media_root = str(settings.MEDIA_ROOT)
    if not media_url.startswith("/") or media_url.startswith("//") or media_url == "/":
        media_url = ""  # absolute URL (a CDN) or unset: nothing to serve locally
    elif not media_url.endswith("/"):
        media_url += "/"

    def request_path(environ):
        # wsgiref hands PATH_INFO as latin-1-decoded bytes.
        return environ.get("PATH_INFO", "").encode("latin-1", "replace").decode("utf-8", "replace")

    def serve_media(environ, start_response):
        path = request_path(environ)
        if not path.startswith(media_url):
            return None
        opened = _open_media(media_root, path[len(media_url):])
        if opened is None and _OWN_MEDIA_ROOT[0]:
            opened = _open_media(_OWN_MEDIA_ROOT[0], path[len(media_url):])
        if opened is None:
            return None
        fd, size = opened
        ctype = mimetypes.guess_type(path)[0] or "application/octet-stream"
        start_response("200 OK", [("Content-Type", ctype),
                                  ("Content-Length", str(size)),
                                  ("X-Content-Type-Options", "nosniff")])
        with os.fdopen(fd, "rb") as f:
            body = f.read() if environ["REQUEST_METHOD"] == "GET" else b""
        return [body]

    def unprefixed(environ):
        """The file MEDIA_URL serves that a GET the app answered 404 names
        outside MEDIA_URL (its path under MEDIA_ROOT), or None: an upload's
        address written without it. The whole path first, then the path
        less its first folders, as a src without a leading slash resolves
        against its page (h946: src="{{ recipe.image }}" on /recipes/4/
        asked for /recipes/4/recipes/x.png)."""
        path = request_path(environ)
        if not media_url or environ.get("REQUEST_METHOD") != "GET":
            return None
        if path.startswith(media_url):
            return _media_in_folder(media_root, path[len(media_url):])
        parts = [p for p in path.split("/") if p]
        for i in range(len(parts)):
            rel = "/".join(parts[i:])
            opened = _open_media(media_root, rel)
            if opened is not None:
                os.close(opened[0])
                return rel
        return None

    def wrapper(environ, start_response):
        asked = environ.pop(SESSION_HEADER, None)
        if asked is not None and mint is not None:
            given, _, username = asked.partition(" ")
            if _is_token(given, token):
                return mint_answer(mint, username, start_response)
        asked = environ.pop(SYSTEM_CHECKS_HEADER, None)
        if asked is not None and _is_token(asked, token):
            return system_checks_answer(start_response)
        if https:
            environ["wsgi.url_scheme"] = "https"
            environ["HTTPS"] = "on"
            if isinstance(proxy, (tuple, list)) and len(proxy) == 2 and isinstance(proxy[0], str):
                environ[proxy[0]] = proxy[1]
        if media_url and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            served = serve_media(environ, start_response)
            if served is not None:
                return served
        count = [0]
        seen = {}

        def counting(execute, sql, params, many, context):
            count[0] += 1
            seen[sql] = seen.get(sql, 0) + 1
            return execute(sql, params, many, context)

        captured = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers, exc_info]
            return chunks.append

        chunks = []
        wrapped = []
        try:
            # connections[alias] is per thread, and wsgiref runs the app and
            # iterates its body in the request's thread, so the wrappers
            # see exactly this request's queries.
            for alias in connections:
                cm = connections[alias].execute_wrapper(counting)
                cm.__enter__()
                wrapped.append(cm)
            body = app(environ, capture)
            try:
                for chunk in body:
                    chunks.append(chunk)
            finally:
                if hasattr(body, "close"):
                    body.close()
        finally:
            for cm in reversed(wrapped):
                cm.__exit__(None, None, None)
        status, headers, exc_info = captured
        headers = [(k, v) for k, v in headers if k.lower() not in _GRADER_HEADERS]
        headers.append((QUERIES_HEADER, "%d %s%s" % (count[0], token, _repeated_query(seen))))
        rel = unprefixed(environ) if status.startswith("404") else None
        if rel is not None:
            from urllib.parse import quote  # Django's own import: no cost
            headers.append((UNPREFIXED_HEADER, "%s %s" % (token, quote(rel))))
        start_response(status, headers, exc_info) if exc_info else start_response(status, headers)
        return chunks

    return wrapper


def required_message():
    """Django's "This field is required." in the app's LANGUAGE_CODE (the
    language a request without Accept-Language gets), so the grader can
    tell a missing upload from a refused one in any language. "" when it
    cannot be had."""
    try:
        from django.conf import settings
        from django.forms import Field
        from django.utils import translation
        with translation.override(settings.LANGUAGE_CODE):
            return str(Field.default_error_messages["required"])[:200]
    except Exception:
        return ""


def model_required_messages():
    """A model field's refusals of a value it was not given, "This field
    cannot be blank." and "This field cannot be null." (full_clean, as a
    plain Django API validates, h541), in the app's LANGUAGE_CODE, one a
    line: the grader reads them as "required" for a field it did not
    send. "" when they cannot be had."""
    try:
        from django.conf import settings
        from django.db.models import Field
        from django.utils import translation
        with translation.override(settings.LANGUAGE_CODE):
            return "\n".join(str(Field.default_error_messages[k])[:150] for k in ("blank", "null"))
    except Exception:
        return ""


def drf_type_messages():
    """DRF's refusals of a value of the wrong type, in the app's
    LANGUAGE_CODE, one a line, "VALUE\tWORDS": the JSON value each asks
    for and its words up to their first placeholder ("1\tEine gültige
    Zahl ist erforderlich."), so a blind fill refused in the app's
    language is refined as in English (h585). "" without DRF, or English:
    the grader knows those. DRF's fields only where the app imported them:
    importing them for an app of templates cost its boot ~8 ms."""
    try:
        from django.conf import settings
        from django.utils import translation
        fields = sys.modules.get("rest_framework.fields")
        if fields is None or settings.LANGUAGE_CODE.split("-")[0].lower() == "en":
            return ""
        kinds = (("1", fields.IntegerField), ("1", fields.DecimalField), ("true", fields.BooleanField),
                 ('"00000000-0000-4000-8000-000000000001"', fields.UUIDField),
                 ('"2000-01-01T00:00:00Z"', fields.DateTimeField), ('"2000-01-01"', fields.DateField),
                 ('"12:00:00"', fields.TimeField))
        lines = []
        with translation.override(settings.LANGUAGE_CODE):
            for value, cls in kinds:
                words = str(cls.default_error_messages["invalid"]).split("{")[0].strip()
                if words:
                    lines.append("%s\t%s" % (value, words[:100]))
        return "\n".join(lines)
    except Exception:
        return ""


def form_type_messages():
    """Django's forms' refusals of a value of the wrong type, in the app's
    LANGUAGE_CODE, one a line, "VALUE\tWORDS": the value each asks for and
    its words up to their first placeholder ("2026-12-06\tSaisissez une
    date valide."), so a form the grader filled that refuses a text box's
    "Sample text" (a DateField's default widget, a localised DecimalField,
    h605) is sent once more with the value asked for. "" in English (the
    grader knows those) or where the app imported no Django form."""
    try:
        from django.conf import settings
        from django.utils import translation
        forms = sys.modules.get("django.forms.fields")
        if forms is None or settings.LANGUAGE_CODE.split("-")[0].lower() == "en":
            return ""
        from django.core import validators
        # Today's date (UTC), as the grader fills a date box (h700).
        today = time.strftime("%Y-%m-%d", time.gmtime())
        kinds = ((today, forms.DateField.default_error_messages["invalid"]),
                 (today + " 12:00", forms.DateTimeField.default_error_messages["invalid"]),
                 ("12:00", forms.TimeField.default_error_messages["invalid"]),
                 ("1", forms.IntegerField.default_error_messages["invalid"]),
                 ("1", forms.DecimalField.default_error_messages["invalid"]),
                 ("00:45:00", forms.DurationField.default_error_messages["invalid"]),
                 ("00000000-0000-4000-8000-000000000001", forms.UUIDField.default_error_messages["invalid"]),
                 ("grader@example.com", validators.EmailValidator.message),
                 ("https://example.com/", validators.URLValidator.message))
        lines = []
        with translation.override(settings.LANGUAGE_CODE):
            for value, message in kinds:
                words = str(message).split("%(")[0].split("{")[0].strip()
                if words:
                    lines.append("%s\t%s" % (value, words[:100]))
        return "\n".join(lines)
    except Exception:
        return ""


def debug_repr(settings):
    """settings.DEBUG as Python writes it (True, 'False'), for debug-off's
    message: a string read from the environment ("False" is true) tells
    a different fix from a literal True (h203, h205). Only the plain types
    are written out: another object's repr would run the project's code."""
    value = getattr(settings, "DEBUG", False)
    if isinstance(value, (bool, int, float, str, type(None))):
        return ascii(value)[:60]
    return "a " + type(value).__name__


# Env files a settings module reads, as projects commit them: .env, or an
# example the settings fall back to where no .env exists (h790).
_ENV_FILES = (".env", ".env.example", ".env.sample", ".env.dist", ".env.template", ".env.defaults")


def debug_where():
    """Where settings.DEBUG was read, for debug-off's message: " in
    shop.settings", and ", which reads the committed .env" when that file
    is beside manage.py and the settings read such a file (h400: a
    committed .env said DEBUG=True, the settings' default was False, and
    "settings.DEBUG is True" sent the learner to the settings; h405: a
    settings package, which module was it). The settings module and the
    modules of its package (a package's base.py reads it, h790), and an
    example file read where no .env exists (.env.example, h790)."""
    name = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    where = " in %s" % name if name else ""
    present = [f for f in _ENV_FILES if os.path.isfile(f)]
    if not present or not name:
        return where[:160]
    package = name.rsplit(".", 1)[0] if "." in name else name
    src = ""
    for mod_name, mod in list(sys.modules.items()):
        if mod_name == name or mod_name.startswith(package + "."):
            try:
                with open(mod.__file__, encoding="utf-8", errors="replace") as f:
                    src += f.read(200000)
            except Exception:
                pass
    if not re.search(r"dotenv|decouple|environ\.Env|read_env|\.env\b", src):
        return where[:160]
    # The file the settings name, else .env (read by a library's default).
    named = [f for f in present if f != ".env" and f in src]
    read = ".env" if ".env" in present else (named[0] if named else None)
    # The example's name first: a message quotes 60 characters of it,
    # and the file is what to change.
    if read == ".env":
        where += ", which reads the committed .env"
    elif read:
        where = " from the committed %s (read by %s)" % (read, name)
    return where[:160]


def drf_unknown_settings(settings):
    """REST_FRAMEWORK's keys that DRF does not know (h1071: a misspelt
    EXCEPTION_HANLDER, which DRF ignores, so the handler never runs), by
    DRF's own DEFAULTS, its settings module already imported by the app."""
    conf = getattr(settings, "REST_FRAMEWORK", None)
    drf = sys.modules.get("rest_framework.settings")
    if not isinstance(conf, dict) or drf is None:
        return ""
    known = getattr(drf, "DEFAULTS", {})
    return ", ".join(sorted(str(k) for k in conf if k not in known))[:120]


def media_url_unset(settings):
    """Whether MEDIA_URL is left at Django's default (empty, "/" once
    Django adds the script prefix): uploads then have addresses without a
    prefix, such as /recipes/pancakes.png, which nothing serves (h306)."""
    value = getattr(settings, "MEDIA_URL", "")
    return isinstance(value, str) and value in ("", "/")


def login_required_middleware(settings):
    """Whether MIDDLEWARE holds a login-required middleware (Django 5.1's
    LoginRequiredMiddleware, or a package's of that name): every view
    then sends a visitor to sign in unless exempted, before an API's
    own permissions are asked (h1264: a visitor's product list redirected,
    told of permission_classes)."""
    middleware = getattr(settings, "MIDDLEWARE", None) or ()
    try:
        return any(isinstance(m, str) and m.endswith("LoginRequiredMiddleware") for m in middleware)
    except TypeError:
        return False


def _storages_in_use():
    """The default storage, then each FileField's own storage (a field's
    storage= argument), each once."""
    from django.apps import apps
    from django.core.files.storage import default_storage
    from django.db import models
    seen = [default_storage]
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, models.FileField) and not any(field.storage is s for s in seen):
                seen.append(field.storage)
    return seen


def uploads_elsewhere(settings):
    """Where the default storage, or a file field's own (h986: storage=
    a FileSystemStorage at BASE_DIR / "uploads" with MEDIA_URL's
    base_url), keeps uploads when that is outside MEDIA_ROOT (a
    FileSystemStorage given a location of its own, h392): MEDIA_URL
    serves none of them, so a file's 404 says where they went.
    Relative to the project's folder when inside it; None otherwise, and
    for a storage that has no location (not a file system's)."""
    try:
        media = os.path.realpath(str(settings.MEDIA_ROOT))
        storages = _storages_in_use()
    except Exception:
        return None
    # The project's own MEDIA_ROOT is served too (_project_media_root).
    own = _OWN_MEDIA_ROOT[0]
    here = os.path.realpath(os.getcwd())
    for storage in storages:
        try:
            location = getattr(storage, "location", None)
        except Exception:
            continue
        if not isinstance(location, str) or not location:
            continue
        where = os.path.realpath(location)
        if where == media or where.startswith(media + os.sep):
            continue
        if own and (where == own or where.startswith(own + os.sep)):
            continue
        if where.startswith(here + os.sep):
            where = os.path.relpath(where, here)
        return where[:120]
    return None


def template_languages(settings):
    """Which CSRF tag the app's forms take: "jinja2" where Django's own
    Jinja2 backend is the only engine (its forms take {{ csrf_input }}, and
    {% csrf_token %} is a syntax error there, h196), "both" where Django's
    templates render pages beside it (a login page kept in the Django
    language, h647: {{ csrf_input }} renders nothing there), "django"
    otherwise: django-jinja defines the {% csrf_token %} tag and no
    csrf_input (h647), so it counts as Django's language here."""
    jinja2 = django = False
    for t in getattr(settings, "TEMPLATES", None) or ():
        backend = t.get("BACKEND", "") if isinstance(t, dict) else ""
        if not isinstance(backend, str):
            continue
        if "jinja2" in backend.lower() and not backend.startswith("django_jinja."):
            jinja2 = True
        else:
            django = True
    if not jinja2:
        return "django"
    return "both" if django else "jinja2"


def check_hosts(port):
    """Would Django accept the Host header the checks send? The overlay put
    127.0.0.1 and localhost in ALLOWED_HOSTS, but an app's ready() or a
    module imported later can still change them; then every check would get
    a 400, so it is a boot failure with a diagnosis instead."""
    from django.http import HttpRequest
    for host in ("127.0.0.1:%d" % port, "localhost:%d" % port):
        req = HttpRequest()
        req.META = {"HTTP_HOST": host, "SERVER_NAME": "127.0.0.1", "SERVER_PORT": str(port)}
        req.get_host()  # raises DisallowedHost


def serve(app):
    import threading
    from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

    # Each thread's stack counts against the sandbox's address-space limit
    # (RLIMIT_AS) while it lives, so a dozen concurrent requests at the
    # default 8 MiB could exhaust a 512 MiB profile; 2 MiB is far more than
    # a Django request needs.
    try:
        threading.stack_size(2 << 20)
    except (ValueError, RuntimeError):
        pass

    class Server(WSGIServer):
        """A threaded server whose threads are kept: a connection goes to an
        idle thread, or to a new one when every thread is busy, so a view
        that hangs never delays another request (as with one thread per
        connection, contracts §2), but the checks' requests, which come one
        after another, are served by the same thread. That thread keeps its
        SQLite connection between requests (CONN_MAX_AGE = None, set by
        overlay_settings): opening it, registering Django's SQL functions
        and closing it again was a tenth of every request's time, and a
        thread start another few percent (docs/performance.md). Production
        servers (gunicorn, uWSGI) reuse threads the same way."""
        request_queue_size = 64

        def __init__(self, *args, **kwargs):
            WSGIServer.__init__(self, *args, **kwargs)
            self._jobs = _simple_queue()
            self._lock = threading.Lock()
            self._idle = 0

        def server_bind(self):
            # HTTPServer.server_bind() would resolve our own name (a DNS
            # lookup in an offline sandbox); the address is all we need.
            socketserver.TCPServer.server_bind(self)
            self.server_name = "127.0.0.1"
            self.server_port = self.server_address[1]
            self.setup_environ()

        def process_request(self, request, client_address):
            # Reserve an idle thread, or start one: never more threads than
            # connections being served at once.
            with self._lock:
                start = self._idle == 0
                if not start:
                    self._idle -= 1
            self._jobs.put((request, client_address))
            if start:
                threading.Thread(target=self._work, daemon=True).start()

        def _work(self):
            while True:
                request, client_address = self._jobs.get()
                try:
                    self.finish_request(request, client_address)
                except Exception:
                    self.handle_error(request, client_address)
                finally:
                    self.shutdown_request(request)
                with self._lock:
                    self._idle += 1

    class Body:
        """wsgi.input that counts what the app read of the request's body,
        so that what it left is read off the connection before the next
        request on it (else those bytes would be taken for that request)."""

        def __init__(self, stream):
            self.stream = stream
            self.count = 0

        def _counted(self, data):
            self.count += len(data)
            return data

        def read(self, *args):
            return self._counted(self.stream.read(*args))

        def readline(self, *args):
            return self._counted(self.stream.readline(*args))

        def readlines(self, *args):
            lines = self.stream.readlines(*args)
            self.count += sum(len(line) for line in lines)
            return lines

        def __iter__(self):
            return iter(self.readline, b"")

    class Answer(ServerHandler):
        """wsgiref's handler, noting before it resets whether the answer
        said its length and sent exactly that: only then can the
        connection carry another request."""
        delimited = False

        def close(self):
            try:
                length = self.headers.get("Content-Length") if self.headers is not None else None
                self.delimited = (self.status is not None and length is not None
                                  and length.strip().isdigit()
                                  and int(length) == self.bytes_sent)
            except Exception:
                self.delimited = False
            ServerHandler.close(self)

    class Handler(WSGIRequestHandler):
        # A buffered socket writer: wsgiref writes the status line, the
        # Date and Server headers, the app's headers and the body in five
        # separate writes, each a system call and a wake-up of the grader's
        # curl; buffered, they leave in one send. wsgiref flushes after
        # every chunk of the body (and at the end), so a streamed answer
        # still streams. 40-50 us less per request (docs/performance.md).
        wbufsize = 1 << 16

        def address_string(self):
            return self.client_address[0]

        def handle(self):
            # HTTP/1.1 persistent connections: the checks' requests come
            # one after another, each actor on its own connection, and a
            # new connection per request cost a socket made by the
            # sandbox's PID 1, an accept and a hand-over to a thread
            # (docs/performance.md). A connection is kept only while every
            # exchange on it is delimited (a Content-Length the answer
            # honoured, the request's body read to its end), never after a
            # HEAD (its answer's body is the app's to send or not), and is
            # closed when idle for KEEP_ALIVE_IDLE_S.
            served = 0
            while self.handle_one(served):
                served += 1

        def handle_one(self, served):
            try:
                if served:
                    self.connection.settimeout(KEEP_ALIVE_IDLE_S)
                self.raw_requestline = self.rfile.readline(65537)
                if served:
                    self.connection.settimeout(None)
            except OSError:
                return False
            if not self.raw_requestline:
                return False
            if len(self.raw_requestline) > 65536:
                self.requestline = ""
                self.request_version = ""
                self.command = ""
                self.send_error(414)
                return False
            if not self.parse_request():
                return False
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            keep = (self.request_version == "HTTP/1.1" and self.command != "HEAD"
                    and length >= 0 and "Transfer-Encoding" not in self.headers
                    and (self.headers.get("Connection") or "").lower() != "close")
            body = Body(self.rfile)
            answer = Answer(body, self.wfile, self.get_stderr(), self.get_environ(),
                            multithread=False)
            answer.http_version = "1.1" if keep else "1.0"
            answer.request_handler = self
            answer.run(self.server.get_app())
            if not (keep and answer.delimited):
                return False
            left = length - body.count
            if left > KEEP_ALIVE_DRAIN:
                return False
            while left > 0:
                data = self.rfile.read(min(left, 65536))
                if not data:
                    return False
                left -= len(data)
            return True

    server = Server(("127.0.0.1", 0), Handler)
    server.set_app(app)
    return server


# ---- main ----------------------------------------------------------------------

def _log_server_errors():
    """Print the traceback of every unhandled exception to stderr (the app's
    captured log).

    With DEBUG = False Django mails those to ADMINS and prints nothing, so a
    student would only learn "answered 500". Django sends
    got_request_exception inside its except block, whatever LOGGING says;
    listening changes nothing the app does, and the grader quotes the
    exception's last line in the failing check's message."""
    import traceback
    from django.core.signals import got_request_exception

    def _print(sender, request=None, **kwargs):
        try:
            traceback.print_exc(file=sys.stderr)
            sys.stderr.flush()
        except Exception:
            pass

    got_request_exception.connect(_print, weak=False, dispatch_uid="grader-500-tracebacks")


def _log_security_lines():
    """A SuspiciousOperation (an upload_to path outside MEDIA_ROOT, too many
    fields) is answered with Django's bare "Bad Request (400)" and its
    reason logged to django.security.<its class>, which prints nothing with
    DEBUG = False: one line each to the app's log, which the grader quotes
    beside such a 400 (h379). A handler added, nothing of the app's logging
    changed. Called after get_wsgi_application(), whose django.setup()
    configures logging again and drops handlers added before."""
    import logging

    class _SecurityLine(logging.Handler):
        def emit(self, record):
            try:
                sys.stderr.write("%s: %s\n" % (record.name.rsplit(".", 1)[-1], record.getMessage()))
                sys.stderr.flush()
            except Exception:
                pass

    logging.getLogger("django.security").addHandler(_SecurityLine(logging.ERROR))


def main():
    # No cyclic garbage collection while the app boots: importing Django and
    # the project, setup and migrate allocate hundreds of thousands of
    # long-lived objects and little garbage, and the collector's passes over
    # them were 15-40 ms of a ~260 ms boot (docs/performance.md). Before
    # serving, everything the boot made is moved out of the collector's
    # sight (gc.freeze: never traversed again; without it the first
    # collections after boot walk all of it, and the checks took ~40 ms
    # longer) and the collector is on again with Python's defaults, so the
    # app's requests run under ordinary collection. A boot that makes
    # garbage in a loop is still bounded, by the sandbox's memory limit and
    # the boot timeout.
    gc.disable()
    project = os.getcwd()
    # Our own folder must not shadow the project's modules, and the project
    # comes first, as with `python manage.py`.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    sys.path.insert(0, project)
    for index, folder in manage_py_paths(project):
        _PROJECT_PATHS.append(folder)
        if index is None:
            sys.path.append(folder)
        else:
            sys.path.insert(index, folder)
    os.set_inheritable(CONTROL_FD, False)
    if DUMP_AFTER_MS > 0:
        import faulthandler
        faulthandler.dump_traceback_later(DUMP_AFTER_MS / 1000.0, exit=False)
    try:
        specs = USERS
        if not STATE_DIR:
            raise RuntimeError("GRADER_STATE_DIR is not set")

        _set_phase("import")
        import importlib
        import django
        os.environ.pop("DJANGO_SETTINGS_MODULE", None)
        name = settings_module_name()
        preset_environment(STATE_DIR, project, name)
        # Named before the import, as manage.py names it: settings that
        # read django.conf.settings as they load (dynaconf's DjangoDynaconf
        # at the bottom of settings.py, h707) need it.
        os.environ["DJANGO_SETTINGS_MODULE"] = name
        from django import conf as django_conf
        mod = import_settings(name, settings_configuration())
        # Settings given to settings.configure() while the module loaded
        # (a one-file project, h934: its module holds no settings of its
        # own) are the ones Django reads: the overlay goes to them.
        mod = _configured_settings(django_conf) or mod
        before = settings_snapshot(mod)
        overlay_settings(mod, STATE_DIR, django.VERSION[:2])
        settings_after_overlay(django_conf, mod, before)

        _set_phase("setup")
        django.setup()
        _log_server_errors()
        local_field_storages()

        _set_phase("migrate")
        t0 = time.monotonic()
        from django.db.migrations.executor import MigrationExecutor

        # Remember which migration is being applied so a failure names it;
        # forgotten once it is applied, so that a post_migrate handler's
        # failure after the last one is not said as that migration's (h831).
        real_apply = MigrationExecutor.apply_migration

        def apply_migration(self, state, migration, *args, **kwargs):
            _migration[0] = "%s.%s" % (migration.app_label, migration.name)
            state = real_apply(self, state, migration, *args, **kwargs)
            _migration[0] = None
            return state

        MigrationExecutor.apply_migration = apply_migration
        try:
            if _can_fork():
                migrate_beside_warm_up()
            else:
                migrate_project()
                found = missing_tables()
                if found:
                    fail_missing_migrations(found)
        finally:
            MigrationExecutor.apply_migration = real_apply
        migrate_ms = int((time.monotonic() - t0) * 1000)
        current, detail = check_migrations()
        detail = _defaults_called_said(detail)
        current, pending = project_pending(current, detail)

        _set_phase("users")
        created = create_users(specs)
        sessions = mint_sessions(created)
        anonymous = anonymous_csrf()

        _set_phase("serve")
        from django.conf import settings
        from django.core.wsgi import get_wsgi_application
        from django.urls import get_resolver
        application = get_wsgi_application()
        _log_security_lines()
        # Import the URLconf now: an error (or a hang) in urls.py or a view
        # module is a boot failure, not the first check's.
        get_resolver().url_patterns
        auth_scheme, authorization = ("session", {}) if SIGN_IN_SESSION else api_sign_in(created, specs)
        if auth_scheme.startswith("session+") and not sessions_usable():
            # No session beside it: the credential goes with every request.
            auth_scheme = auth_scheme[len("session+"):]
        for username, value in authorization.items():
            if username in sessions and value:
                sessions[username]["authorization"] = value
        paths = url_paths_as_served()
        https = behind_tls_proxy(settings)
        server = serve(make_wrapper(application, QUERY_TOKEN, https, make_minter(created)))
        check_hosts(server.server_address[1])
        granted = users_granted(created)
        _send({
            "event": "ready",
            "port": server.server_address[1],
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "csrf_header": header_name(settings.CSRF_HEADER_NAME),
            "sessions": sessions,
            "auth_scheme": auth_scheme,
            "auth_header": auth_header(auth_scheme),
            "migrations_current": current,
            "migrations_detail": detail,
            "migrations_pending": " ".join(pending),
            "migrations_storage": storage_location_fields() if current is False else "",
            "django_version": django.get_version(),
            "migrate_ms": migrate_ms,
            "url_paths": paths,
            "scheme": "https" if https else "http",
            "required_message": required_message(),
            "model_required_messages": model_required_messages(),
            "drf_type_messages": drf_type_messages(),
            "form_type_messages": form_type_messages(),
            "templates": template_languages(settings),
            "debug": debug_repr(settings),
            "debug_where": debug_where(),
            "media_url_unset": media_url_unset(settings),
            "login_required_middleware": login_required_middleware(settings),
            "uploads_elsewhere": uploads_elsewhere(settings),
            "media_url": settings.MEDIA_URL[:100] if isinstance(settings.MEDIA_URL, str) else "",
            "flags_unset": " ".join(_FLAGS_UNSET),
            "flags_reset": " ".join(_FLAGS_RESET),
            "users_granted": granted[0],
            "users_granted_nothing": granted[1],
            "sign_in_failed": "; ".join(_SIGN_IN_FAILED)[:200],
            "storages_swapped": ", ".join(_STORAGES_SWAPPED)[:200],
            "drf_unknown_settings": drf_unknown_settings(settings),
            "anonymous_csrf": anonymous,
        })
        if DUMP_AFTER_MS > 0:
            faulthandler.cancel_dump_traceback_later()
    except BaseException as e:  # SystemExit and KeyboardInterrupt included
        _fail(e)
    _gc_freeze()
    gc.enable()
    server.serve_forever()


if __name__ == "__main__":
    main()
