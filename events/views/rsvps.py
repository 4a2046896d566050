"""A member's answer to an event: RSVP, change it, cancel it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events.forms import (
    RsvpForm,
)
from events.models import Event, Rsvp
from events.services import rsvps
from events.services.rsvps import RsvpError
from events.views.common import member_rsvp, visible_event


@login_required
@require_POST
def rsvp_create(request: HttpRequest, slug: str) -> HttpResponse:
    page = reverse("events:event-detail", args=[slug])
    form = RsvpForm(request.POST)
    if not form.is_valid():
        get_object_or_404(Event.objects.visible(), slug=slug)  # no message for a page that is not there
        messages.error(request, _("Please check your answer: the needs fields can hold 1,000 characters."))
        return redirect(page)
    # By slug: the service reads the event once, as it locks it.
    try:
        rsvp = rsvps.rsvp_create(
            slug=slug, member=request.user, maybe=request.POST.get("answer") == "maybe", **form.cleaned_data
        )
    except Event.DoesNotExist as error:
        raise Http404 from error
    except RsvpError as error:
        if error.code == "unpublished":  # a draft is not there for anyone answering
            raise Http404 from error
        messages.error(request, error.messages[0])
        return redirect(page)
    _answer_message(request, rsvp)
    return redirect(page)


def _answer_message(request: HttpRequest, rsvp: Rsvp) -> None:
    if rsvp.status == Rsvp.Status.GOING:
        messages.success(request, _("You're going! A confirmation is on its way to your inbox."))
    elif rsvp.status == Rsvp.Status.MAYBE:
        messages.success(
            request, _("You answered maybe. You hear of changes, and a day before whether places are left.")
        )
    else:
        messages.success(request, _("The event is full: you are on the waitlist."))


@login_required
@require_POST
def rsvp_maybe_promote(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Kanske" becomes "I'm coming" in one click (a form, no JS): a place if one is left, else the
    waitlist."""
    event = visible_event(request, slug)
    rsvp = member_rsvp(request, event)
    if rsvp is None or rsvp.status != Rsvp.Status.MAYBE:
        messages.error(request, _("You have no maybe to turn into a yes for this event."))
        return redirect(event)
    try:
        rsvp = rsvps.rsvp_maybe_promote(rsvp=rsvp)
    except RsvpError as error:
        messages.error(request, error.messages[0])
        return redirect(event)
    _answer_message(request, rsvp)
    return redirect(event)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rsvp_update(request: HttpRequest, slug: str) -> HttpResponse:
    """Change the needs and public visibility of a standing answer, without giving up the place."""
    event = visible_event(request, slug)
    rsvp = member_rsvp(request, event)
    if rsvp is None or event.end < timezone.now():
        messages.error(request, _("You have no answer to change for this event."))
        return redirect(event)
    form = RsvpForm(request.POST or None, instance=rsvp)
    if request.method == "POST" and form.is_valid():
        try:
            rsvps.rsvp_update(rsvp=rsvp, **form.cleaned_data)
        except RsvpError as error:
            messages.error(request, error.messages[0])
            return redirect(event)
        messages.success(request, _("Your answer is saved."))
        return redirect(event)
    return render(request, "events/rsvp_update.html", {"event": event, "rsvp": rsvp, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rsvp_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    """GET asks for confirmation on a page of its own; POST cancels."""
    event = visible_event(request, slug)
    rsvp = member_rsvp(request, event)
    if rsvp is None:
        messages.error(request, _("You have no answer to cancel for this event."))
        return redirect(event)
    from_my_events = request.POST.get("next", request.GET.get("next")) == "mina"
    if request.method != "POST":
        return render(
            request,
            "events/rsvp_cancel.html",
            {"event": event, "rsvp": rsvp, "from_my_events": from_my_events},
        )
    try:
        rsvps.rsvp_cancel(rsvp=rsvp)
    except RsvpError as error:
        messages.error(request, error.messages[0])
        return redirect(event)
    messages.success(request, _("Your answer is cancelled."))
    if from_my_events:
        return redirect("events:my-events")
    return redirect(event)
