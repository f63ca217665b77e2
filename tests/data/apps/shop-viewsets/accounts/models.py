# No custom models yet - we use django.contrib.auth's User.
