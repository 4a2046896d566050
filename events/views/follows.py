"""Follows: the settings page, following and unfollowing, and the one-click unsubscribe (RFC 8058)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from events.forms import (
    FollowForm,
)
from events.models import Event, Follow
from events.services import follows
from events.services.follows import FollowError
from otg.common.topics import in_public_use


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the page the follow button was on, or to the follow settings."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # A path, never a view name: redirect() would try to reverse "abc" and answer 500.
        return HttpResponseRedirect(target)
    return redirect("events:follow-list")


def follow_settings(*, member, on_profile: bool = False) -> dict:
    """What the follow settings show, on their own page and on the profile: the member's follows, and
    what there is to follow (topics in public use, cities that events take place in)."""
    return {
        "follows": Follow.objects.filter(member=member)
        .select_related("tag", "series")
        .order_by("kind", "city", "pk"),
        "frequencies": Follow.Frequency.choices,
        "topics": in_public_use().order_by("name"),
        "cities": Event.objects.visible().cities(),
        "on_profile": on_profile,
    }


@login_required
@require_safe
def follow_list(request: HttpRequest) -> HttpResponse:
    return render(request, "events/follow_list.html", {"section": follow_settings(member=request.user)})


@login_required
@require_POST
def follow_create(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a topic or a city to follow, and how often to hear about it."))
        return _back(request)
    data = form.cleaned_data
    try:
        follow = follows.follow_create(
            member=request.user,
            kind=data["kind"],
            tag_slug=data["tag"],
            city=data["city"],
            series_slug=data["series"],
            frequency=data["frequency"],
        )
    except FollowError as error:
        messages.error(request, error.messages[0])
        return _back(request)
    messages.success(
        request,
        _("You follow %(target)s: %(frequency)s.")
        % {"target": follow.target, "frequency": follow.get_frequency_display().lower()},
    )
    return _back(request)


@login_required
@require_POST
def follow_delete(request: HttpRequest, pk: int) -> HttpResponse:
    follow = get_object_or_404(Follow.objects.select_related("tag", "series"), pk=pk, member=request.user)
    target = follow.target
    follows.follow_delete(follow=follow)
    messages.success(request, _("You no longer follow %(target)s.") % {"target": target})
    return _back(request)


# RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click" here without cookies, so no CSRF token; the
# signed key in the path is the only permission, and it opens one follow only.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def follow_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        follow = follows.follow_from_token(token)
    except signing.BadSignature as error:
        raise Http404 from error
    if request.method == "POST":
        if follow is not None:
            follows.follow_delete(follow=follow)
        return render(request, "events/follow_unsubscribed.html", {})
    if follow is None:  # removed already (a second click): nothing is sent for it any more
        return render(request, "events/follow_unsubscribed.html", {})
    return render(request, "events/follow_unsubscribe.html", {"follow": follow})
