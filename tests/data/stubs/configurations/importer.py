import importlib.abc
import importlib.machinery
import os
import sys

from django.core.exceptions import ImproperlyConfigured

installed = False


def install():
    global installed
    if installed:
        return
    for var in ("DJANGO_CONFIGURATION", "DJANGO_SETTINGS_MODULE"):
        if os.environ.get(var) is None:
            raise ImproperlyConfigured(
                "Configuration cannot be imported, environment variable %s is undefined." % var)
    sys.meta_path.insert(0, ConfigurationFinder())
    installed = True


class ConfigurationFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != os.environ.get("DJANGO_SETTINGS_MODULE"):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None:
            return None
        return importlib.machinery.ModuleSpec(
            fullname, ConfigurationLoader(os.environ["DJANGO_CONFIGURATION"], spec),
            origin=spec.origin)


class ConfigurationLoader(importlib.abc.Loader):
    def __init__(self, name, spec):
        self.name = name
        self.spec = spec

    def create_module(self, spec):
        return None

    def exec_module(self, mod):
        mod.__file__ = self.spec.origin
        self.spec.loader.exec_module(mod)
        cls = getattr(mod, self.name)
        cls.pre_setup()
        cls.setup()
        obj = cls()
        for name in dir(obj):
            if name.isupper():
                setattr(mod, name, getattr(obj, name))
        mod.CONFIGURATION = "%s.%s" % (mod.__name__, self.name)
        cls.post_setup()
