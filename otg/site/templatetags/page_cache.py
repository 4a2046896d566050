"""The CSRF field of a form on every page (the language switcher), with a slot in pages kept for
every anonymous visitor (otg.common.pages)."""

from django import template
from django.utils.safestring import mark_safe

from otg.common.pages import csrf_input as _csrf_input

register = template.Library()


@register.simple_tag(takes_context=True)
def csrf_input(context) -> str:
    """What ``{% csrf_token %}`` writes, or the slot that each answer fills with its own token."""
    request = context.get("request")
    if request is None:  # the 500 page: rendered without the request, so without a token
        return ""
    return mark_safe(_csrf_input(request))  # format_html's output, or the fixed slot
