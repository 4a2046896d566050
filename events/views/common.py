"""The event a request may see or run, for every event view; 404 for anyone else (and, for staff or
organisers whose session has no second factor, the way to give it: events.permissions.refuse)."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from events.models import Event, Rsvp
from events.permissions import MODERATE, can_host, can_moderate, refuse


def visible_event(request: HttpRequest, slug: str) -> Event:
    """The event if anyone may see it (Event.objects.visible()), or a draft or proposal for those who
    host it, and a proposal waiting for review for those who review."""
    try:
        return Event.objects.visible().get(slug=slug)
    except Event.DoesNotExist:
        pass
    event = get_object_or_404(Event, slug=slug)
    pending = event.status == Event.Status.PENDING
    if not ((pending and can_moderate(request)) or can_host(request, event)):
        refuse(request, MODERATE if pending else None)
    return event


def member_rsvp(request: HttpRequest, event: Event) -> Rsvp | None:
    if not request.user.is_authenticated:
        return None
    return Rsvp.objects.active().filter(event=event, member=request.user).with_waitlist_position().first()


def host_event(request: HttpRequest, slug: str) -> Event:
    """An event the signed-in member hosts (or co-hosts), or any event for staff; 404 for anyone else."""
    event = get_object_or_404(Event, slug=slug)
    if not can_host(request, event):
        refuse(request)
    return event


def moderator_only(request: HttpRequest) -> None:
    if not can_moderate(request):
        refuse(request, MODERATE)
