"""What every page's header needs, worked out once per request without asking the database."""

from django.http import HttpRequest
from django.urls import reverse

# The first part of a path, for the main menu's aria-current (the paths are Swedish, see urls.py).
SECTIONS = {"evenemang", "intervjuer", "medlemmar", "sok"}


def navigation(request: HttpRequest) -> dict[str, str]:
    section = request.path.split("/", 2)[1] if request.path.count("/") >= 2 else ""
    profile_url = ""
    # Error pages answered before the authentication middleware ran have no user.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        profile_url = reverse("members:member-detail", args=[user.pk])
    if profile_url and request.path == profile_url:
        current = "profile"
    else:
        current = section if section in SECTIONS else ""
    # The menu is cached per language and current section (templates/includes/_header.html).
    return {"nav_current": current, "my_profile_url": profile_url}
