"""Links between the pages of a list: one include (templates/includes/_pagination.html), one
parameter name ("sida") across the site, the list's own parameters kept and nothing else."""

from django import template
from django.http import QueryDict

register = template.Library()

PAGE_PARAMETER = "sida"


@register.simple_tag(takes_context=True)
def page_query(context, number: int, keep: str = "") -> str:
    """The query string of page ``number`` of the current list ("?q=data&sida=2"), keeping only the
    parameters named in ``keep`` (space-separated), with the values the view normalised
    (``page_params``): never the request's own query string. The links stand inside fragments kept
    for every visitor whose parameters normalise alike, so what one visitor typed beyond that (a
    search past its 100 characters, say) must not reach another's page."""
    params = context.get("page_params") or {}
    query = QueryDict(mutable=True)
    for name in keep.split():
        if value := str(params.get(name) or "").strip():
            query[name] = value
    query[PAGE_PARAMETER] = number
    return "?" + query.urlencode()
