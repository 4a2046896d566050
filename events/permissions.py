"""Whether a request may use a power over an event: every view, service caller, template and admin
page of events asks here (on top of members.permissions, which knows that staff and the organiser role
use their powers only in a session signed in with a second factor).

Hosts (an event's organisers and co-hosts) run their own events with their password alone, and see of
their attendees the least their event needs: names and stated needs, not addresses.
"""

from django.http import Http404, HttpRequest

from events.models import Event
from members.permissions import SecondFactorRequired, needs_second_factor, role_power, staff_power

# The organiser role (the group "Arrangörer", events.migrations.0009) reviews proposals.
MODERATE = "events.moderate_event"
PUBLISH_WITHOUT_REVIEW = "events.publish_without_review"


def _member(request: HttpRequest):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated and user.is_active else None


def can_moderate(request: HttpRequest) -> bool:
    """Review proposals (the queue, approve, decline): staff and the organiser role, with a second factor."""
    return staff_power(request) or role_power(request, MODERATE)


def is_host(request: HttpRequest, event: Event) -> bool:
    """One of the event's organisers (its host or a co-host)."""
    user = _member(request)
    return bool(user is not None and event.organisers.filter(pk=user.pk).exists())


def can_host(request: HttpRequest, event: Event) -> bool:
    """Run the event from the site (edit, door, messages, co-hosts, the attendee list): its hosts, and
    staff with a second factor."""
    return is_host(request, event) or staff_power(request)


def can_host_series(request: HttpRequest, series) -> bool:
    """Run a series from the site (send a declined one for review again): the hosts of its dates, and
    staff with a second factor, as for one event (can_host)."""
    user = _member(request)
    if user is None:
        return False
    return series.dates.filter(organisers=user).exists() or staff_power(request)


def is_trusted_host(request: HttpRequest) -> bool:
    """A proposal publishes without review: staff with a second factor, and members given "Trusted
    host" (a permission over their own events only, so no second factor). Staff without a second
    factor propose as any member does."""
    user = _member(request)
    if user is None:
        return False
    if staff_power(request):
        return True
    # A superuser holds every permission: without a second factor, not this one either.
    return not (user.is_staff or user.is_superuser) and user.has_perm(PUBLISH_WITHOUT_REVIEW)


def can_see_attendee_addresses(request: HttpRequest, event: Event) -> bool:
    """Attendees' e-mail addresses in the attendee list and its exports: organisers (the organiser
    role) who run the event and staff, with a second factor. Other hosts reach attendees through the
    message tool."""
    return can_host(request, event) and (staff_power(request) or role_power(request, MODERATE))


def refuse(request: HttpRequest, permission: str | None = None):
    """Refuse a power: staff (or holders of ``permission``) whose session has no second factor are sent
    to give it and brought back (members.middleware); anyone else gets a 404, as for a page that is
    not there."""
    if needs_second_factor(request, permission):
        raise SecondFactorRequired
    raise Http404
