"""Stand-in of django-configurations (tests/data/stubs/README.md)."""
from .base import Configuration  # noqa: F401
