"""The event a request may see or run, for every event view; 404 for anyone else."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from events.models import Event, Rsvp
from events.services.hosting import can_host, can_moderate


def visible_event(request: HttpRequest, slug: str) -> Event:
    """The event if anyone may see it (Event.objects.visible()), or a draft or proposal for those who
    host it, and a proposal waiting for review for those who review."""
    try:
        return Event.objects.visible().get(slug=slug)
    except Event.DoesNotExist:
        pass
    event = get_object_or_404(Event, slug=slug)
    reviewing = event.status == Event.Status.PENDING and can_moderate(request.user)
    if not (reviewing or can_host(request.user, event)):
        raise Http404
    return event


def member_rsvp(request: HttpRequest, event: Event) -> Rsvp | None:
    if not request.user.is_authenticated:
        return None
    return Rsvp.objects.active().filter(event=event, member=request.user).with_waitlist_position().first()


def host_event(request: HttpRequest, slug: str) -> Event:
    """An event the signed-in member hosts (or co-hosts), or any event for staff; 404 for anyone else."""
    event = get_object_or_404(Event, slug=slug)
    if not can_host(request.user, event):
        raise Http404
    return event


def moderator_only(request: HttpRequest) -> None:
    if not can_moderate(request.user):
        raise Http404
