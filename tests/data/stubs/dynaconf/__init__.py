"""Stand-in for dynaconf's Django extension (tests/data/stubs/README.md):
`settings = dynaconf.DjangoDynaconf(__name__)` at the bottom of settings.py.

What the grader depends on, as the real extension does it:
- it reads django.conf.settings while settings.py is still loading, so
  DJANGO_SETTINGS_MODULE must be set by then (else ImproperlyConfigured);
- every DJANGO_ environment variable becomes a setting, its value read as
  TOML where it parses ('["a", "b"]' a list), else kept a string;
- the settings module's upper-case names, and those variables, are
  copied into a store of its own and back onto the module (Django's own
  settings, read next, see them); the store replaces django.conf.settings
  for every later `from django.conf import settings`: a change made to
  the module after this line is not seen there unless set in the store
  (store.set)."""
import os
import sys

try:
    import tomllib
except ImportError:  # Python < 3.11: keep every value a string
    tomllib = None


def _parse(text):
    if tomllib is not None:
        try:
            return tomllib.loads("v = " + text)["v"]
        except Exception:
            pass
    return text


class LazySettings:
    def __init__(self, values, fallback):
        self.__dict__["_store"] = dict(values)
        self.__dict__["_fallback"] = fallback

    def __getattr__(self, name):
        store = self.__dict__["_store"]
        if name in store:
            return store[name]
        return getattr(self.__dict__["_fallback"], name)

    def __dir__(self):
        return sorted(self.__dict__["_store"])

    configured = True

    def get(self, key, default=None):
        return self.__dict__["_store"].get(key, default)

    def set(self, key, value, tomlfy=False, merge=False, validate=False):
        self.__dict__["_store"][key] = value

    def populate_obj(self, obj):
        for key, value in self.__dict__["_store"].items():
            setattr(obj, key, value)


class _Conf:
    """What django.conf becomes: `settings` is the store, the rest is the
    real module's."""

    def __init__(self, real, lazy):
        self.__dict__["_real"] = real
        self.__dict__["_lazy"] = lazy

    def __getattr__(self, name):
        if name == "settings":
            return self.__dict__["_lazy"]
        return getattr(self.__dict__["_real"], name)


def DjangoDynaconf(module_name, **options):
    from django import conf
    module = sys.modules[module_name]
    values = {k: v for k, v in vars(module).items() if k.isupper()}
    values.update(options)
    for name, text in os.environ.items():
        if name.startswith("DJANGO_") and name != "DJANGO_SETTINGS_MODULE":
            values[name[len("DJANGO_"):]] = _parse(text)
    real = conf.settings
    lazy = LazySettings(values, real)
    lazy.populate_obj(module)
    # Django's settings read from the module just rewritten: they refuse
    # an ALLOWED_HOSTS a variable made a string.
    for key in dir(real):  # reads Django's settings: needs the variable
        if key.isupper() and lazy.get(key, lazy) is lazy:
            lazy.set(key, getattr(real, key))
    module.DYNACONF = lazy
    sys.modules["django.conf"] = _Conf(conf, lazy)
    return lazy
