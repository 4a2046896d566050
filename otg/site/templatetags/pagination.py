"""Links between the pages of a list: one include (templates/includes/_pagination.html), one
parameter name ("sida") across the site, the list's own parameters kept and nothing else."""

from django import template
from django.http import QueryDict

register = template.Library()

PAGE_PARAMETER = "sida"


@register.simple_tag(takes_context=True)
def page_query(context, number: int, keep: str = "") -> str:
    """The query string of page ``number`` of the current list ("?q=data&sida=2"), keeping only the
    parameters named in ``keep`` (space-separated): a link never carries a stranger's junk parameter."""
    request = context.get("request")
    query = QueryDict(mutable=True)
    if request is not None:
        for name in keep.split():
            if value := request.GET.get(name, "").strip():
                query[name] = value
    query[PAGE_PARAMETER] = number
    return "?" + query.urlencode()
