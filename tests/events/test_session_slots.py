"""The hosts' time slots make sense: each lies within the event and overlaps no other slot of it (one may
start when another ends), as the schedule's suggestion and its clash counts assume."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Slot
from events.services import sessions as board
from events.services.events import event_save
from events.services.sessions import SessionError
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    start = timezone.now().replace(microsecond=0, second=0, minute=0) + timedelta(days=7)
    return EventFactory(
        title="Förvaltningsdagen",
        slug="forvaltningsdagen",
        kind="unconference",
        start=start,
        end=start + timedelta(hours=4),
    )


@pytest.fixture
def host(event):
    member = MemberFactory(name="Hanna Värd")
    event.organisers.add(member)
    return member


def _at(event, minutes: int):
    return event.start + timedelta(minutes=minutes)


def _local(moment) -> str:
    """As the hosts' form takes it (a datetime-local field, in Stockholm's time)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    ("starts", "ends"),
    [(-30, 30), (-60, -10), (200, 250), (230, 260), (-10, 250)],
    ids=["starts before", "wholly before", "ends after", "wholly after", "around the event"],
)
def test_a_slot_outside_the_event_is_refused(event, starts, ends):
    with translation.override("en"), pytest.raises(SessionError, match="must lie within the event"):
        board.slot_create(event=event, starts=_at(event, starts), ends=_at(event, ends))
    assert not Slot.objects.exists()


@pytest.mark.parametrize(
    ("starts", "ends"),
    [(30, 90), (30, 60), (60, 90), (0, 60), (60, 120), (0, 120), (45, 75)],
    ids=["same", "same start", "same end", "across the start", "across the end", "around", "within"],
)
def test_a_slot_overlapping_another_is_refused(event, starts, ends):
    board.slot_create(event=event, starts=_at(event, 30), ends=_at(event, 90))
    with translation.override("en"), pytest.raises(SessionError, match="overlaps the slot"):
        board.slot_create(event=event, starts=_at(event, starts), ends=_at(event, ends))
    assert Slot.objects.count() == 1


def test_slots_that_touch_and_the_whole_event_are_accepted(event):
    board.slot_create(event=event, starts=_at(event, 60), ends=_at(event, 120))
    board.slot_create(event=event, starts=_at(event, 0), ends=_at(event, 60))  # ends as the next starts
    board.slot_create(event=event, starts=_at(event, 120), ends=_at(event, 240))  # ends with the event
    assert [(s.starts, s.ends) for s in Slot.objects.all()] == [
        (_at(event, 0), _at(event, 60)),
        (_at(event, 60), _at(event, 120)),
        (_at(event, 120), _at(event, 240)),
    ]


def test_another_events_slot_is_no_overlap(event):
    other = EventFactory(kind="unconference", start=event.start, end=event.end)
    board.slot_create(event=other, starts=_at(event, 0), ends=_at(event, 60))
    board.slot_create(event=event, starts=_at(event, 0), ends=_at(event, 60))
    assert Slot.objects.filter(event=event).count() == 1


@pytest.mark.parametrize(
    ("language", "within", "overlap"),
    [
        ("en", "A time slot must lie within the event, from", "This time overlaps the slot"),
        ("sv", "Ett pass måste ligga inom evenemanget, från", "Tiden överlappar passet"),
    ],
)
def test_hosts_form_says_why_and_keeps_what_was_typed(client, event, host, language, within, overlap):
    client.force_login(host)
    url = reverse("events:host-schedule", args=[event.slug])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language

    typed = {"slot-starts": _local(_at(event, -60)), "slot-ends": _local(_at(event, 30))}
    page = client.post(url, {"action": "slot-add", **typed}).content.decode()
    assert (
        within in page
        and f'value="{typed["slot-starts"]}"' in page
        and f'value="{typed["slot-ends"]}"' in page
    )
    assert not Slot.objects.exists()

    client.post(
        url, {"action": "slot-add", "slot-starts": _local(_at(event, 0)), "slot-ends": _local(_at(event, 60))}
    )
    typed = {"slot-starts": _local(_at(event, 30)), "slot-ends": _local(_at(event, 90))}
    page = client.post(url, {"action": "slot-add", **typed}).content.decode()
    assert overlap in page and f'value="{typed["slot-starts"]}"' in page
    assert Slot.objects.count() == 1

    response = client.post(
        url,
        {"action": "slot-add", "slot-starts": _local(_at(event, 60)), "slot-ends": _local(_at(event, 120))},
        follow=True,
    )
    assert Slot.objects.count() == 2 and response.redirect_chain


def test_after_the_event_is_shortened_the_hosts_page_says_which_slots_lie_outside(client, event, host):
    """The event's times may change after its slots were added: the slots are kept (a host decides),
    but the hosts' page says which no longer lie within it, which placed session is at such a time,
    and the suggestion leaves those slots out."""
    early = board.slot_create(event=event, starts=_at(event, 0), ends=_at(event, 60))
    late = board.slot_create(event=event, starts=_at(event, 180), ends=_at(event, 240))
    room = board.room_create(event=event, name="Stora salen", seats=30)
    session = board.session_propose(event=event, member=MemberFactory(), title="Klarspråk", pitch="Om.")
    board.session_place(session=session, room=room, slot=late)
    event.end = _at(event, 120)
    event_save(event=event, changed_fields=["end"])

    client.force_login(host)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("events:host-schedule", args=[event.slug]) + "?forslag=1").content.decode()
    assert page.count("Outside the event's times now") == 1
    assert "It is at a time outside the event's times now: choose another." in html.unescape(page)
    assert list(board.schedule_suggest(event).values()) in ([], [(room.pk, early.pk)])
    with translation.override("sv"):
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"
        page = client.get(reverse("events:host-schedule", args=[event.slug])).content.decode()
    assert "Utanför evenemangets tider nu" in page


@pytest.mark.parametrize(("language", "said"), [("en", "Swedish time."), ("sv", "Svensk tid.")])
def test_the_slot_form_says_its_times_are_swedish(client, event, host, language, said):
    """A host abroad types their own wall clock unless told: the times are read as Stockholm's."""
    client.force_login(host)
    page = client.get(
        reverse("events:host-schedule", args=[event.slug]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    for field in ("starts", "ends"):
        assert f'aria-describedby="id_slot-{field}_helptext"' in page
        assert f'<div class="helptext" id="id_slot-{field}_helptext">{said}</div>' in page


@pytest.mark.parametrize(
    "data",
    [
        {"action": "place", "session": "abc"},
        {"action": "place", "session": ""},
        {"action": "room-delete", "room": "1; drop"},
        {"action": "slot-delete", "slot": "1.5"},
        {"action": "slot-delete"},
    ],
    ids=["place", "place empty", "room", "slot", "slot missing"],
)
def test_a_tampered_id_on_the_hosts_page_is_not_found_not_an_error(client, event, host, data):
    """The forms (and the drag script that submits them) send ids from the page; one edited by hand
    answers 404, as a missing row does, not a server error."""
    client.force_login(host)
    client.raise_request_exception = False
    response = client.post(reverse("events:host-schedule", args=[event.slug]), data)
    assert response.status_code == 404


def test_the_place_form_tells_the_days_of_a_two_day_event_apart(client, host):
    """A keyboard user places sessions through the form, not the drag: its times must say which day,
    or 10:00-11:00 on the first and on the second day read the same."""
    start = timezone.now().replace(microsecond=0, second=0, minute=0) + timedelta(days=7)
    event = EventFactory(
        kind="unconference", slug="tva-dagar", start=start, end=start + timedelta(days=1, hours=2)
    )
    event.organisers.add(host)
    first = board.slot_create(event=event, starts=start, ends=start + timedelta(hours=1))
    second = board.slot_create(
        event=event, starts=start + timedelta(days=1), ends=start + timedelta(days=1, hours=1)
    )
    board.room_create(event=event, name="Stora salen", seats=30)
    board.session_propose(event=event, member=MemberFactory(), title="Klarspråk", pitch="Om.")
    client.force_login(host)
    page = client.get(
        reverse("events:host-schedule", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="sv"
    ).content.decode()
    labels = []
    for slot in (first, second):
        at = page.index(f'<option value="{slot.pk}">') + len(f'<option value="{slot.pk}">')
        labels.append(page[at : page.index("</option>", at)])
    assert labels[0] != labels[1], labels
    # The table's rows (where a mouse drops a session) say their day too.
    headers = [h.split("</th>")[0] for h in page.split('<th scope="row">')[1:]]
    assert len(headers) == 2 and all(
        f'<span class="small">{timezone.localtime(slot.starts).day} ' in header
        for slot, header in zip((first, second), headers, strict=True)
    ), headers
    with translation.override("sv"):
        assert all(
            f"{timezone.localtime(slot.starts).day} " in label
            for slot, label in zip((first, second), labels, strict=True)
        )


@pytest.mark.parametrize(
    ("typed", "refused"),
    [("\u200b", "letter or digit"), ("\u200d\u2060 ", "letter or digit"), ("Stora sa\u0308len", None)],
    ids=["zero-width space", "joiners", "nfd"],
)
def test_a_room_name_is_normalised_by_the_service(client, event, host, typed, refused):
    """A room is a column of the schedule: a name of only invisible characters would be a heading with
    no text, and one typed in NFD would be a second room of the same name."""
    board.room_create(event=event, name="Stora säl" + "en", seats=30)
    client.force_login(host)
    response = client.post(
        reverse("events:host-schedule", args=[event.slug]),
        {"action": "room-add", "room-name": typed, "room-seats": "10"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert list(event.rooms.values_list("name", flat=True)) == ["Stora sälen"]
    if refused:
        assert refused in page
    with pytest.raises(SessionError):
        board.room_create(event=event, name=typed if refused else "stora sa\u0308len", seats=5)
