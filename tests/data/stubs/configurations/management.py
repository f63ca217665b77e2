from . import importer

importer.install()

from django.core.management import call_command, execute_from_command_line  # noqa: E402,F401
