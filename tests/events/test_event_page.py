"""The event page's summary and its one action per state; changing and cancelling an answer; cards,
dates and calendar links as a member reads them."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from events.models import Event, Rsvp
from events.services.events import event_cancel
from events.services.rsvps import RsvpError, rsvp_cancel, rsvp_create, rsvp_update
from members.models import Member
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _html(response) -> str:
    return response.content.decode()


def _text(response) -> str:
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _html(response)))


def _rsvp_box(response) -> str:
    html = _html(response)
    start = html.index('id="anmalan"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : html.index("</section>", start)]))


def _full_event(**kwargs) -> Event:
    event = EventFactory(capacity=1, **kwargs)
    rsvp_create(event=event, member=MemberFactory())
    return event


def _past(event: Event) -> Event:
    Event.objects.filter(pk=event.pk).update(
        start=timezone.now() - timedelta(days=3), end=timezone.now() - timedelta(days=3, hours=-2)
    )
    return Event.objects.get(pk=event.pk)


@pytest.mark.parametrize(
    ("state", "expected", "absent"),
    [
        ("visitor", "Bli medlem eller logga in för att anmäla dig", "Anmäl dig"),
        ("member", "Anmäl dig", "Ställ mig på väntelistan"),
        ("member-full", "Ställ mig på väntelistan", "Anmäl dig"),
        ("going", "Du kommer ✓ Ändra din anmälan Avanmäl", "Anmäl dig"),
        ("waitlisted", "Du står som nr 1 på väntelistan", "Anmäl dig"),
        ("closed", "Anmälan har stängt.", "Anmäl dig"),
        ("started", "Pågår nu", "Anmäl dig"),
        ("past", "Evenemanget ägde rum den", "Anmäl dig"),
        ("cancelled", "Det här evenemanget är inställt.", "Anmäl dig"),
    ],
)
def test_event_page_offers_one_action_per_state(client, state, expected, absent):
    member = MemberFactory()
    event = EventFactory(capacity=5)
    if state != "visitor":
        client.force_login(member)
    if state == "member-full":
        event = _full_event()
    elif state == "going":
        rsvp_create(event=event, member=member)
    elif state == "waitlisted":
        event = _full_event()
        rsvp_create(event=event, member=member)
    elif state == "closed":
        Event.objects.filter(pk=event.pk).update(rsvp_closes_at=timezone.now() - timedelta(hours=1))
    elif state == "started":
        Event.objects.filter(pk=event.pk).update(start=timezone.now() - timedelta(minutes=10))
    elif state == "past":
        event = _past(event)
    elif state == "cancelled":
        event_cancel(event=event)
    response = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv")
    box = _rsvp_box(response)
    assert expected in (_text(response) if state == "cancelled" else box)
    assert absent not in box
    if state in ("past", "cancelled"):
        assert "Lägg till i kalender" not in _html(response)
        assert "platser kvar" not in _html(response)
    else:
        assert "Lägg till i kalender" in _html(response)


def test_visitor_action_returns_to_the_event_after_sign_up_or_sign_in(client):
    event = EventFactory()
    html = _html(client.get(event.get_absolute_url()))
    assert f"{reverse('account_signup')}?next={event.get_absolute_url()}" in html
    assert f"{reverse('account_login')}?next={event.get_absolute_url()}" in html


def test_event_page_in_english_reads_naturally(client, member):
    event = EventFactory(capacity=5)
    client.force_login(member)
    box = _rsvp_box(client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Attend" in box
    assert "Your answer" not in _html(client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    rsvp_create(event=event, member=member)
    box = _rsvp_box(client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert "You're going ✓" in box


def test_past_event_says_when_it_took_place_and_offers_nothing(client, member):
    event = _past(EventFactory(capacity=10))
    event.tags.add("strategi")
    client.force_login(member)
    response = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv")
    day = timezone.localtime(event.start).strftime("%-d")
    assert f"Evenemanget ägde rum den {day} " in _rsvp_box(response)
    html = _html(response)
    assert "<form" not in html.split('id="anmalan"')[1].split("</section>")[0]
    assert "Platser" not in html and "Obegränsat" not in html
    # Only upcoming events count on a topic page: a past event's tag is not a link to a 404.
    assert reverse("topic-detail", args=["strategi"]) not in html
    assert client.get(reverse("topic-detail", args=["strategi"])).status_code == 404


def test_calendar_offers_ics_google_and_outlook_links(client):
    event = EventFactory(
        title="Frukost & data",
        start=datetime(2030, 12, 11, 17, 30, tzinfo=STOCKHOLM),
        end=datetime(2030, 12, 11, 19, 30, tzinfo=STOCKHOLM),
    )
    html = _html(client.get(event.get_absolute_url()))
    assert reverse("events:event-ics", args=[event.slug]) in html
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE&amp;text=Frukost%20%26%20data" in html
    assert "dates=20301211T163000Z%2F20301211T183000Z" in html
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in html
    assert "startdt=2030-12-11T16%3A30%3A00Z" in html


def test_dates_are_written_one_way_per_language_on_cards_pages_and_mail(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(
        title="Decembermöte",
        start=datetime(2030, 12, 11, 17, 30, tzinfo=STOCKHOLM),
        end=datetime(2030, 12, 11, 19, 30, tzinfo=STOCKHOLM),
    )
    swedish, english = "11 december 2030 kl. 17.30\u201319.30", "11 December 2030, 17:30\u201319:30"
    for path in (event.get_absolute_url(), reverse("events:event-list")):
        assert swedish in _html(client.get(path, HTTP_ACCEPT_LANGUAGE="sv"))
        html = _html(client.get(path, HTTP_ACCEPT_LANGUAGE="en"))
        assert english in html
        assert "Dec. 11" not in html
    member = MemberFactory(preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_create(event=event, member=member)
    assert english in mailoutbox[-1].body


def test_time_datetime_attributes_carry_no_fractions_of_a_second(client):
    EventFactory(start=timezone.now().replace(microsecond=123456) + timedelta(days=3))
    html = _html(client.get(reverse("events:event-list")))
    values = re.findall(r'<time datetime="([^"]+)"', html)
    assert values
    seconds = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d"
    assert all(re.fullmatch(seconds, value) for value in values), values


def test_member_changes_needs_and_visibility_without_losing_the_place(client, member):
    event = _full_event()
    rsvp_create(event=event, member=MemberFactory())
    going = MemberFactory()
    Event.objects.filter(pk=event.pk).update(capacity=2)
    rsvp_cancel(rsvp=Rsvp.objects.filter(event=event, status="waitlisted").get())
    rsvp = rsvp_create(event=Event.objects.get(pk=event.pk), member=going, dietary_needs="Vegansk")
    assert rsvp.status == Rsvp.Status.GOING
    client.force_login(going)
    page = reverse("events:rsvp-update", args=[event.slug])
    assert "Vegansk" in _html(client.get(page))
    response = client.post(
        page, {"show_publicly": "on", "accessibility_needs": "Hörslinga", "dietary_needs": ""}, follow=True
    )
    assert "Din anmälan är sparad." in _html(response)
    rsvp.refresh_from_db()
    assert (rsvp.status, rsvp.show_publicly, rsvp.accessibility_needs, rsvp.dietary_needs) == (
        "going",
        True,
        "Hörslinga",
        "",
    )
    assert Event.objects.get(pk=event.pk).going_count == 2


def test_rsvp_update_refuses_too_long_needs_and_changes_nothing(client, member):
    event = EventFactory()
    rsvp = rsvp_create(event=event, member=member, dietary_needs="Vegetariskt")
    client.force_login(member)
    response = client.post(reverse("events:rsvp-update", args=[event.slug]), {"dietary_needs": "x" * 1001})
    assert response.status_code == 200
    assert "Det finns ett problem" in _html(response)
    rsvp.refresh_from_db()
    assert rsvp.dietary_needs == "Vegetariskt"


def test_rsvp_update_service_refuses_a_cancelled_answer(member):
    rsvp = rsvp_create(event=EventFactory(), member=member)
    rsvp_cancel(rsvp=rsvp)
    with pytest.raises(RsvpError):
        rsvp_update(rsvp=rsvp, show_publicly=True, accessibility_needs="", dietary_needs="")


def test_cancel_asks_on_its_own_page_then_gives_the_place_to_the_waitlist(client):
    event = EventFactory(capacity=1)
    going, waiting = MemberFactory(), MemberFactory()
    rsvp_create(event=event, member=going)
    rsvp_create(event=event, member=waiting)
    client.force_login(going)
    page = reverse("events:rsvp-cancel", args=[event.slug])
    confirm = _text(client.get(page))
    assert "Vill du avanmäla dig?" in confirm
    assert "Din plats går till den som står först på väntelistan" in confirm
    assert Rsvp.objects.get(member=going).status == Rsvp.Status.GOING  # asking changed nothing
    response = client.post(page, follow=True)
    assert "Du är avanmäld." in _html(response)
    assert Rsvp.objects.get(member=going).status == Rsvp.Status.CANCELLED
    assert Rsvp.objects.get(member=waiting).status == Rsvp.Status.GOING


def test_event_cards_show_the_members_own_status_and_never_to_others(client):
    going_event, full = EventFactory(title="Jag går"), _full_event(title="Fullt")
    member = MemberFactory()
    rsvp_create(event=going_event, member=member)
    rsvp_create(event=full, member=member)
    anonymous = _html(client.get(reverse("events:event-list"), HTTP_ACCEPT_LANGUAGE="sv"))
    client.force_login(member)
    for path in (reverse("events:event-list"), reverse("home"), reverse("events:my-events")):
        text = _text(client.get(path, HTTP_ACCEPT_LANGUAGE="sv"))
        assert "Du kommer" in text, path
    text = _text(client.get(reverse("events:event-list"), HTTP_ACCEPT_LANGUAGE="sv"))
    assert "Väntelista nr 1" in text
    client.logout()
    # The visitor's copy, rendered before and after, never carries the member's badges.
    for html in (anonymous, _html(client.get(reverse("events:event-list"), HTTP_ACCEPT_LANGUAGE="sv"))):
        assert "Du kommer" not in html and "Väntelista nr" not in html


def test_my_events_offers_the_feed_as_webcal_and_copyable_url(client, member):
    client.force_login(member)
    html = _html(client.get(reverse("events:my-events"), HTTP_ACCEPT_LANGUAGE="sv"))
    assert re.search(r'href="webcal://testserver/evenemang/kalender/[^"]+\.ics"', html)
    copyable = r'id="private-feed" type="text" readonly value="http://testserver/evenemang/kalender/'
    assert re.search(copyable, html)
    for app in ("Google Calendar", "Outlook", "Apple Calendar"):
        assert f"<strong>{app}:</strong>" in html


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/evenemang/", "Evenemang"),
        ("/evenemang/mina/", "Mina evenemang"),
        ("profile", "Min profil"),
        ("/medlemmar/profil/", "Min profil"),
        ("/medlemmar/", "Medlemmar"),
    ],
)
def test_header_marks_exactly_the_right_item_current(client, member, path, current):
    client.force_login(member)
    path = member.get_absolute_url() if path == "profile" else path
    html = _html(client.get(path, HTTP_ACCEPT_LANGUAGE="sv"))
    header = html.split("</header>")[0]
    marked = re.findall(r'aria-current="page">([^<]+)<', header)
    assert marked == [current]
    assert 'href="/evenemang/mina/"' in header


def test_member_list_pages_with_sida_like_every_list(client):
    for n in range(30):
        MemberFactory(name=f"Medlem {n:02d}", is_public=True)
    html = _html(client.get(reverse("members:member-list"), {"q": "Medlem"}))
    assert 'href="?q=Medlem&amp;sida=2"' in html
    second = _html(client.get(reverse("members:member-list"), {"q": "Medlem", "sida": "2"}))
    assert "Sida 2 av" in second


def test_event_page_links_only_the_names_whose_profiles_anyone_may_open(client):
    """Organisers and attendees read only a name and a link; the link only where the profile is public."""
    event = EventFactory(title="Frukost", capacity=10)
    public = MemberFactory(name="Ada Öppen", is_public=True)
    private = MemberFactory(name="Bo Privat", is_public=False)
    inactive = MemberFactory(name="Cy Borta", is_public=True)
    event.organisers.add(public, private, inactive)
    Member.objects.filter(pk=inactive.pk).update(is_active=False)
    for member in (public, private):
        rsvp_create(event=event, member=member, show_publicly=True)

    html = _html(client.get(event.get_absolute_url()))
    organisers = html.split('class="event-organisers"', 1)[1].split("</p>", 1)[0]
    assert f'<a href="{public.get_absolute_url()}"><bdi>Ada Öppen</bdi></a>' in organisers
    assert "Bo Privat" in organisers and private.get_absolute_url() not in organisers
    assert "Cy Borta" in organisers and inactive.get_absolute_url() not in organisers
    attendees = html.split('class="people-list"', 1)[1].split("</ul>", 1)[0]
    assert f'<a href="{public.get_absolute_url()}">Ada Öppen</a>' in attendees
    assert "Bo Privat" not in attendees  # a private profile is counted, not named
    assert "Och 1 till." in _text(client.get(event.get_absolute_url()))


def test_attendee_list_names_each_public_attendee_once_by_name_with_its_profile_link(client):
    """The list is written by one tag, not a loop in the template: the same names in the same order
    (by name), each escaped and linked to the profile Member.get_absolute_url gives."""
    event = EventFactory(title="Frukost", capacity=10)
    names = ["Örjan <b>Fet</b>", "Anna & Bo", 'Cia "Citat"']
    people = [MemberFactory(name=name, is_public=True) for name in names]
    for person in people:
        rsvp_create(event=event, member=person, show_publicly=True)

    html = _html(client.get(event.get_absolute_url()))
    attendees = html.split('<ul class="people-list">', 1)[1].split("</ul>", 1)[0]
    by_name = sorted(people, key=lambda person: person.name)
    assert attendees == "".join(
        f'<li><a href="{person.get_absolute_url()}">{escape(person.name)}</a></li>' for person in by_name
    )
    assert "<b>" not in attendees
