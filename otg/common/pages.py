"""Whole pages for anonymous visitors, kept in each worker's memory under generation keys.

A visitor who is not signed in, has no message waiting and asks for a page without a query string sees
what every such visitor sees in their language, apart from one thing: the CSRF token of the language
switcher's form, which is per visitor. So the page is kept with a slot where the token goes, and every
answer fills the slot with the token of its own request (``django.middleware.csrf.get_token``, as the
``{% csrf_token %}`` tag does). A page with any other token in it is not kept.

The key is the page's name and object, the language, the scheme and host the page's Open Graph
addresses are built from, and the generations of everything the page shows
(``otg.common.caching``), read by ``kept_page`` *before* the view reads any row: so every page kept
under a token was rendered from rows read after the token existed, after every write that retired the
one before.
Like the fragments, the pages live in the per-worker ``template_fragments`` cache; a retired generation
is never asked for again, so a write through any process reaches every worker at once.

Time changes some pages without a write (an event starts, ends, closes its RSVP). A view says until
when its page holds (``until``); from that moment on the page is rendered afresh.

Signed-in members, visitors with a message, requests with a query string and answers other than 200
go the ordinary way: rendered per request (with their own fragment caches).
"""

import secrets
from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language

from otg.common.caching import FRAGMENT_TIMEOUT, fragment_key, generations, kept_reads

# Where the token goes in a kept page: new in every process (the pages never leave it), so no text
# that a member or an editor wrote can imitate it.
SLOT = f"<!--csrf-slot-{secrets.token_hex(16)}-->"
_SLOT = SLOT.encode()
_RENDERING = "otg_page_with_slot"  # the request attribute that makes {% csrf_input %} write the slot


def csrf_input(request: HttpRequest) -> str:
    """The language switcher's hidden CSRF field, or the slot while a page to keep is rendered."""
    if getattr(request, _RENDERING, False):
        return SLOT
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))


def _for_everyone(request: HttpRequest) -> bool:
    """Whether this request gets what every anonymous visitor gets in its language."""
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and not request.user.is_authenticated
        # A message waits (after signing out, say): it is shown on this page, to this visitor only.
        and not messages.get_messages(request)
    )


class AnonymousPage:
    """One page as every anonymous visitor sees it: kept (``kept``) or rendered and kept (``render``)."""

    def __init__(self, request: HttpRequest, name: str, *parts):
        self.request = request
        self.key = None
        if _for_everyone(request):
            # The Open Graph addresses are built from the request's own scheme and host (one of
            # ALLOWED_HOSTS: get_host() refuses any other).
            where = f"{request.scheme}://{request.get_host()}"
            self.key = fragment_key("page", name, *parts, get_language(), where)

    def kept(self) -> HttpResponse | None:
        """The kept page with this request's token in its slot, or None (not kept, or its time is past)."""
        if self.key is None:
            return None
        found = caches["template_fragments"].get(self.key)
        if found is None:
            return None
        until, status, headers, body = found
        if until is not None and timezone.now() >= until:
            return None
        return HttpResponse(self._filled(body), status=status, headers=headers)

    def render(self, template_name: str, context: dict, *, until=None) -> HttpResponse:
        """Render the page; keep it when it is for everyone. ``until``: a callable giving the first
        moment (or None: none) at which time changes what the page shows, called after rendering."""
        if self.key is None:
            return render(self.request, template_name, context)
        setattr(self.request, _RENDERING, True)
        try:
            response = render(self.request, template_name, context)
        finally:
            delattr(self.request, _RENDERING)
        body = response.content
        moment: datetime | None = until() if until is not None else None
        if (
            response.status_code == 200
            and not response.cookies
            and b"csrfmiddlewaretoken" not in body  # a token of this visitor's own: not for everyone
            and (moment is None or timezone.now() < moment)
        ):
            headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
            caches["template_fragments"].set(
                self.key, (moment, response.status_code, headers, body), FRAGMENT_TIMEOUT
            )
        response.content = self._filled(body)
        return response

    def _filled(self, body: bytes) -> bytes:
        if _SLOT not in body:
            return body
        return body.replace(_SLOT, csrf_input(self.request).encode())


def kept_page(name: str, *kinds: str, clocks: bool = True):
    """View decorator for a page every anonymous visitor shares: read the generations of ``kinds``
    before the view reads any row, answer with the kept page when there is one, and otherwise call the
    view with ``page`` (the AnonymousPage of ``name``, the URL's arguments and the generations) and
    ``version`` (the generations, for the view's fragment keys). The whole view runs inside
    otg.common.caching.kept_reads(): what it reads comes from the primary."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            with kept_reads():
                version = generations(*kinds, clocks=clocks)
                page = AnonymousPage(request, name, *args, *kwargs.values(), version)
                if (kept := page.kept()) is not None:
                    return kept
                return view(request, *args, page=page, version=version, **kwargs)

        return wrapped

    return decorator
