from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """Custom user model, set up from the start as Django's docs recommend."""
    pass
