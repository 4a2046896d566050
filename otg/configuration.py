"""Refusals of the settings: a variable production must set is missing (otg/settings.py).

manage.py prints such a refusal as one sentence, not a traceback.
"""

from django.core.exceptions import ImproperlyConfigured


class NotConfigured(ImproperlyConfigured):
    """A variable that production must set is not set; the message names it and says what to set."""
