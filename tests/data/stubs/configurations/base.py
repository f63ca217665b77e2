from django.core.exceptions import ImproperlyConfigured

from . import importer


class ConfigurationBase(type):
    def __new__(mcs, name, bases, attrs):
        # The real metaclass refuses a subclass defined while the importer
        # is not installed: the settings module was imported by plain
        # Django, which would see no settings at all.
        if attrs.get("__module__") != __name__ and not importer.installed:
            raise ImproperlyConfigured(
                    "The django-configurations settings importer wasn't correctly installed. "
                    "Please use one of the starter functions to install it as mentioned in the "
                    "docs: https://django-configurations.readthedocs.io/")
        return super().__new__(mcs, name, bases, attrs)


class Configuration(metaclass=ConfigurationBase):
    @classmethod
    def pre_setup(cls):
        pass

    @classmethod
    def setup(cls):
        pass

    @classmethod
    def post_setup(cls):
        pass
