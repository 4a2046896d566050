"""Refusals of the settings: a variable production must set is missing (otg/settings.py).

manage.py prints such a refusal as one sentence, not a traceback.
"""

import base64
import hashlib

from django.core.exceptions import ImproperlyConfigured


class NotConfigured(ImproperlyConfigured):
    """A variable that production must set is not set; the message names it and says what to set."""


def development_key(secret_key: str) -> str:
    """A Fernet key derived from SECRET_KEY, for development and the tests only (MFA_ENCRYPTION_KEYS)."""
    return base64.urlsafe_b64encode(hashlib.sha256(f"mfa:{secret_key}".encode()).digest()).decode()
