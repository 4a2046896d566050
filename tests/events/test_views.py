from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import CalendarToken, Event, Rsvp
from events.services.exports import calendar_token_get
from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, MemberFactory
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def test_event_list_shows_upcoming_not_drafts_or_past(client):
    EventFactory(title="Kommande träff")
    EventFactory(title="Utkastet", status=Event.Status.DRAFT)
    EventFactory(title="Förra veckan", start=timezone.now() - timedelta(days=7))
    html = _html(client.get(reverse("events:event-list")))
    assert "Kommande träff" in html
    assert "Utkastet" not in html
    assert "Förra veckan" not in html
    assert "Förra veckan" in _html(client.get(reverse("events:event-past")))


def test_event_list_marks_cancelled_events(client):
    EventFactory(title="Inställd träff", status=Event.Status.CANCELLED)
    html = _html(client.get(reverse("events:event-list")))
    assert "Inställd träff" in html
    assert "badge-cancelled" in html


def test_event_list_filters_by_kind_city_and_tag(client):
    EventFactory(title="Frukost i Malmö", kind=Event.Kind.BREAKFAST, city="Malmö").tags.add("data")
    EventFactory(title="Meetup i Umeå", kind=Event.Kind.MEETUP, city="Umeå")
    url = reverse("events:event-list")
    assert "Meetup i Umeå" not in _html(client.get(url, {"kind": "breakfast"}))
    assert "Frukost i Malmö" in _html(client.get(url, {"kind": "breakfast"}))
    assert "Frukost i Malmö" not in _html(client.get(url, {"city": "Umeå"}))
    assert "Meetup i Umeå" not in _html(client.get(url, {"amne": "data"}))
    assert "Frukost i Malmö" in _html(client.get(url, {"amne": "data"}))


def test_event_list_bad_filter_shows_message_not_error(client):
    response = client.get(reverse("events:event-list"), {"kind": "<script>", "sida": "x"})
    assert response.status_code == 200
    assert "<script>" not in _html(response)


def test_event_list_query_budget_with_many_events_and_rsvps(client, django_assert_max_num_queries):
    members = [MemberFactory() for _ in range(5)]
    for i in range(35):
        event = EventFactory(capacity=3, city=f"Stad {i % 4}")
        event.tags.add("förnyelse", f"tema-{i % 3}")
        for member in members[: i % 5]:
            rsvp_create(event=event, member=member)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("events:event-list"))
    assert response.status_code == 200
    assert _html(response).count('class="card event-card"') == 12
    with django_assert_max_num_queries(10):
        client.get(reverse("events:event-list"), {"sida": 3, "city": "Stad 1"})
    with django_assert_max_num_queries(10):
        client.get(reverse("events:event-past"))


def test_event_detail_shows_swedish_date_and_map_link(client):
    event = EventFactory(
        start=timezone.make_aware(timezone.datetime(2030, 11, 13, 9, 0)),
        end=timezone.make_aware(timezone.datetime(2030, 11, 13, 16, 0)),
        address="Götaplatsen 3",
        city="Göteborg",
    )
    html = _html(client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv"))
    assert "13 november 2030 kl. 09.00\u201316.00" in html
    assert "https://www.openstreetmap.org/search?query=G%C3%B6taplatsen%203%2C%20G%C3%B6teborg" in html


def test_event_detail_draft_is_hidden_from_the_public(client):
    event = EventFactory(status=Event.Status.DRAFT)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_event_detail_description_is_sanitised(client):
    event = EventFactory(description="**Välkommen** <script>alert(1)</script>")
    html = _html(client.get(event.get_absolute_url()))
    assert "<strong>Välkommen</strong>" in html
    assert "<script>alert(1)" not in html


def test_event_detail_names_only_public_attendees_who_chose_so(client):
    event = EventFactory()
    shown = MemberFactory(name="Synlig Person", is_public=True)
    private_profile = MemberFactory(name="Privat Profil", is_public=False)
    chose_not = MemberFactory(name="Valde Bort", is_public=True)
    rsvp_create(event=event, member=shown, show_publicly=True)
    rsvp_create(event=event, member=private_profile, show_publicly=True)
    rsvp_create(event=event, member=chose_not, show_publicly=False)
    html = _html(client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Synlig Person" in html
    assert "Privat Profil" not in html
    assert "Valde Bort" not in html
    assert "And 2 more." in html


def test_event_detail_never_lists_waitlisted(client):
    event = EventFactory(capacity=1)
    rsvp_create(event=event, member=MemberFactory(), show_publicly=False)
    rsvp_create(event=event, member=MemberFactory(name="Väntande Person", is_public=True), show_publicly=True)
    assert "Väntande Person" not in _html(client.get(event.get_absolute_url()))


def test_rsvp_view_confirms_and_shows_cancel(client, member):
    event = EventFactory(capacity=5)
    client.force_login(member)
    response = client.post(
        reverse("events:rsvp-create", args=[event.slug]),
        {"show_publicly": "on", "dietary_needs": "Vegetariskt"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = _html(response)
    assert "You're going ✓" in html
    assert "Cancel attendance" in html
    assert "4 places left of 5" in html
    rsvp = Rsvp.objects.get(event=event, member=member)
    assert (rsvp.status, rsvp.show_publicly, rsvp.dietary_needs) == ("going", True, "Vegetariskt")


def test_rsvp_view_when_full_shows_waitlist_position(client):
    event = EventFactory(capacity=1)
    rsvp_create(event=event, member=MemberFactory())
    rsvp_create(event=event, member=MemberFactory())
    member = MemberFactory()
    client.force_login(member)
    response = client.post(
        reverse("events:rsvp-create", args=[event.slug]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "You are number 2 on the waitlist" in _html(response)


def test_rsvp_view_too_long_needs_changes_nothing(client, member):
    event = EventFactory()
    client.force_login(member)
    response = client.post(
        reverse("events:rsvp-create", args=[event.slug]),
        {"dietary_needs": "x" * 1001},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "1,000 characters" in _html(response)
    assert not Rsvp.objects.exists()


def test_rsvp_view_closed_event_shows_reason(client, member):
    event = EventFactory(rsvp_closes_at=timezone.now() - timedelta(hours=1))
    client.force_login(member)
    response = client.post(
        reverse("events:rsvp-create", args=[event.slug]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "RSVP has closed." in _html(response)
    assert not Rsvp.objects.exists()


def test_rsvp_view_answers_not_found_for_a_draft_or_an_unknown_event(client, member):
    draft = EventFactory(status=Event.Status.DRAFT)
    draft.organisers.add(member)  # even its organiser: a draft takes no answers
    client.force_login(member)
    assert client.post(reverse("events:rsvp-create", args=[draft.slug])).status_code == 404
    assert client.post(reverse("events:rsvp-create", args=["finns-inte"])).status_code == 404
    assert (
        client.post(
            reverse("events:rsvp-create", args=[draft.slug]), {"dietary_needs": "x" * 2000}
        ).status_code
        == 404
    )
    assert not Rsvp.objects.exists()
    draft.refresh_from_db()
    assert (draft.going_count, draft.waitlist_count) == (0, 0)


def test_rsvp_view_reads_the_event_once_as_it_locks_it(client, member):
    event = EventFactory()
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("events:rsvp-create", args=[event.slug]))
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "events_event"')]
    assert len(reads) == 1 and "FOR UPDATE" in reads[0]
    assert Rsvp.objects.get().member == member


def test_rsvp_view_requires_sign_in(client):
    event = EventFactory()
    response = client.post(reverse("events:rsvp-create", args=[event.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Rsvp.objects.exists()


def test_rsvp_cancel_view_cancels(client, member):
    event = EventFactory()
    rsvp_create(event=event, member=member)
    client.force_login(member)
    response = client.post(
        reverse("events:rsvp-cancel", args=[event.slug]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Your answer is cancelled." in _html(response)
    assert Event.objects.get().going_count == 0


def test_online_link_only_for_confirmed_attendees_shortly_before(client, settings):
    settings.EVENT_ONLINE_LINK_LEAD = timedelta(minutes=60)
    soon = EventFactory(format=Event.Format.ONLINE, online_url="https://meet.example.org/hemlig", capacity=1)
    later = EventFactory(
        format=Event.Format.ONLINE,
        online_url="https://meet.example.org/senare",
        start=timezone.now() + timedelta(hours=3),
    )
    going, waiting = MemberFactory(), MemberFactory()
    rsvp_create(event=soon, member=going)
    rsvp_create(event=soon, member=waiting)
    rsvp_create(event=later, member=going)
    Event.objects.filter(pk=soon.pk).update(start=timezone.now() + timedelta(minutes=30))

    assert "meet.example.org/hemlig" not in _html(client.get(soon.get_absolute_url()))
    client.force_login(waiting)
    assert "meet.example.org/hemlig" not in _html(client.get(soon.get_absolute_url()))
    client.force_login(going)
    assert "meet.example.org/hemlig" in _html(client.get(soon.get_absolute_url()))
    assert "meet.example.org/senare" not in _html(client.get(later.get_absolute_url()))


def test_my_events_shows_going_waitlisted_with_position_and_past(client, member):
    going_event = EventFactory(title="Jag går hit")
    full = EventFactory(title="Fullt evenemang", capacity=1)
    past = EventFactory(title="Det som varit")
    rsvp_create(event=going_event, member=member)
    rsvp_create(event=full, member=MemberFactory())
    rsvp_create(event=full, member=MemberFactory())
    rsvp_create(event=full, member=member)
    rsvp_create(event=past, member=member)
    Event.objects.filter(pk=past.pk).update(
        start=timezone.now() - timedelta(days=3), end=timezone.now() - timedelta(days=3, hours=-2)
    )
    client.force_login(member)
    html = _html(client.get(reverse("events:my-events"), HTTP_ACCEPT_LANGUAGE="en"))
    going_section, rest = html.split("On the waitlist", 1)
    waitlist_section, past_section = rest.split('id="past-heading"', 1)
    assert "Jag går hit" in going_section
    assert "Fullt evenemang" in waitlist_section
    assert "Waitlist no. 2" in waitlist_section
    assert "Det som varit" in past_section.split('id="calendar-heading"')[0]
    assert CalendarToken.objects.get(member=member).token in html


def test_my_events_requires_sign_in(client):
    assert client.get(reverse("events:my-events")).status_code == 302


def test_calendar_token_rotate_revokes_old_link(client, member):
    event = EventFactory()
    rsvp_create(event=event, member=member)
    old = calendar_token_get(member=member).token
    assert client.get(reverse("events:member-feed", args=[old])).status_code == 200
    client.force_login(member)
    client.post(reverse("events:calendar-token-rotate"))
    new = CalendarToken.objects.get(member=member).token
    assert new != old
    client.logout()
    assert client.get(reverse("events:member-feed", args=[old])).status_code == 404
    assert client.get(reverse("events:member-feed", args=[new])).status_code == 200


def test_organiser_page_shows_needs_to_organisers_only(client):
    organiser, attendee, stranger = MemberFactory(), MemberFactory(name="Ada Deltagare"), MemberFactory()
    event = EventFactory()
    event.organisers.add(organiser)
    rsvp_create(event=event, member=attendee, accessibility_needs="Hörslinga")
    url = reverse("events:organiser-attendees", args=[event.slug])
    csv_url = reverse("events:organiser-attendees-csv", args=[event.slug])

    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.get(csv_url).status_code == 404
    assert "Hörslinga" not in _html(client.get(event.get_absolute_url()))

    client.force_login(organiser)
    html = _html(client.get(url))
    assert "Ada Deltagare" in html
    assert "Hörslinga" in html
    content = client.get(csv_url).content.decode("utf-8-sig")
    assert "Ada Deltagare" in content
    assert "Hörslinga" in content


def test_organiser_csv_neutralises_formulas(client):
    organiser = MemberFactory(is_staff=True)
    event = EventFactory()
    rsvp_create(event=event, member=MemberFactory(name="=HYPERLINK(1)"))
    force_login_with_second_factor(client, organiser)
    content = client.get(reverse("events:organiser-attendees-csv", args=[event.slug])).content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK(1)" in content


def test_event_detail_and_my_events_query_budget(client, django_assert_max_num_queries):
    event = EventFactory(capacity=20)
    event.tags.add("data", "design")
    event.organisers.add(MemberFactory(), MemberFactory())
    for i in range(30):
        rsvp_create(event=event, member=MemberFactory(is_public=i % 2 == 0), show_publicly=True)
    member = MemberFactory()
    for i in range(15):
        other = EventFactory(capacity=1 if i % 3 == 0 else None)
        if i % 3 == 0:
            rsvp_create(event=other, member=MemberFactory())
        rsvp_create(event=other, member=member)
    client.force_login(member)
    # 10, and 2 for the header's question whether the member reviews proposals (can_moderate: Django
    # reads a member's own and their groups' permissions once per request).
    with django_assert_max_num_queries(12):
        response = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "10 on the waitlist" in response.content.decode()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("events:my-events"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.content.decode().count("Waitlist no. 1") == 5
