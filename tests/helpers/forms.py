"""POST data for the admin's and the site's forms, built as a browser would send them."""

from django.urls import reverse
from django.utils import timezone

from events.forms import STOCKHOLM
from events.models import Event


def event_form_data(event: Event, **changes) -> dict:
    """The event admin's change form for `event` as saved unchanged, with `changes` on top."""
    local = {k: timezone.localtime(getattr(event, k)) for k in ("start", "end")}
    data = {
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind,
        "status": event.status,
        "summary": event.summary,
        "description": event.description,
        "tags": "",
        "start_0": local["start"].strftime("%Y-%m-%d"),
        "start_1": local["start"].strftime("%H:%M:%S"),
        "end_0": local["end"].strftime("%Y-%m-%d"),
        "end_1": local["end"].strftime("%H:%M:%S"),
        "format": event.format,
        "venue_name": event.venue_name,
        "address": event.address,
        "city": event.city,
        "capacity": event.capacity or "",
        "cover_alt": "",
        "rsvps-TOTAL_FORMS": "0",
        "rsvps-INITIAL_FORMS": "0",
        "rsvps-MIN_NUM_FORMS": "0",
        "rsvps-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def host_form_data(event: Event, **overrides) -> dict:
    """The host's edit form on the site (events:host-edit) for `event` unchanged, with `overrides`."""
    local = lambda value: value.astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    data = {
        "title": event.title,
        "kind": event.kind,
        "summary": event.summary,
        "description": event.description,
        "tags": "klarspråk",
        "start": local(event.start),
        "end": local(event.end),
        "rsvp_closes_at": "",
        "venue_name": event.venue_name,
        "address": event.address,
        "city": event.city,
        "online_url": event.online_url,
        "capacity": event.capacity or "",
        "cover_alt": "",
    }
    return data | overrides


INTERVIEW_ADD = reverse("admin:interviews_interview_add")


def interview_form_data(questions=(), **fields) -> dict:
    """The interview admin's add form: a draft with `questions` as (question, answer) pairs."""
    data = {
        "title": "Ett samtal om tillit",
        "slug": "ett-samtal-om-tillit",
        "author": "",
        "tags": "tillit, klarspråk",
        "interviewee_name": "Kim Exempel",
        "interviewee_member": "",
        "interviewee_description": "tjänstedesigner",
        "portrait_alt": "",
        "introduction": "En introduktion.",
        "closing_text": "Tack!",
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for n, (question, answer) in enumerate(questions):
        data[f"questions-{n}-order"] = str(n + 1)
        data[f"questions-{n}-question"] = question
        data[f"questions-{n}-answer"] = answer
    data.update(fields)
    return data


def profile_post(**overrides) -> dict:
    """The member's own profile form, filled in, with `overrides` on top."""
    data = {
        "name": "Alva Berg",
        "pronouns": "hen",
        "bio": "Jag jobbar med klarspråk.",
        "interests": "klarspråk, öppna data",
        "work_description": "Skatteverket",
        "preferred_language": "sv",
    }
    data.update(overrides)
    return data
