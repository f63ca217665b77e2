# Corpus case manifest_subclass: the project's own static files storage,
# made from Django's manifest storage under a name that does not say so
# (as a deployment tutorial shows, to set manifest_strict), with no
# collectstatic run.
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage


class StrictStaticStorage(ManifestStaticFilesStorage):
    manifest_strict = True
