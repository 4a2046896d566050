"""Middleware of the portal itself."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template import loader


class RejectNulBytesMiddleware:
    """Refuse a NUL byte in the path or query string with the friendly 400 page.

    PostgreSQL cannot store or compare text with NUL, so such a value reaching a lookup (a topic slug,
    a search) would raise instead of answering; no real link ever carries one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return HttpResponse(loader.render_to_string("400.html", request=request), status=400)
        return self.get_response(request)


class FriendlyMethodNotAllowedMiddleware:
    """Give the empty 405 answers of @require_safe / @require_POST the site's friendly page.

    Placed last in MIDDLEWARE, so the security and CSP middleware still add their headers to it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "streaming", False) and not response.content:
            friendly = HttpResponse(loader.render_to_string("405.html", request=request), status=405)
            if "Allow" in response:
                friendly["Allow"] = response["Allow"]
            return friendly
        return response
