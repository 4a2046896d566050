"""Absolute addresses for the Open Graph and Twitter tags (templates/includes/_meta.html)."""

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str = "") -> str:
    """``path`` (the current page's path when empty) as an absolute URL, from the request's own host and
    scheme; from SITE_URL where a page is rendered without a request."""
    request = context.get("request")
    if request is not None:
        try:
            return request.build_absolute_uri(path or request.path)
        except DisallowedHost:  # the 400 page answering a forged Host header still renders
            path = path or request.path
    return settings.SITE_URL + (path or "/")
