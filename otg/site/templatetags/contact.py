"""The portal's contact address (settings.CONTACT_EMAIL) for the footer, the accessibility statement and
the account pages where allauth would say "contact us"."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def contact_email() -> str:
    return settings.CONTACT_EMAIL
