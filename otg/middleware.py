"""Middleware of the portal itself."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template import loader


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
