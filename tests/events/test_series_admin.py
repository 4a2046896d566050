"""The admin's pages for meetups that recur: for those who review proposals, with a second factor; a
series is approved or declined there through the same services as in the review queue."""

from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventSeries
from events.services.series import series_propose
from tests.factories import MemberFactory
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:events_eventseries_changelist")


def _series(*, host=None, count: int = 3, title: str = "Frukost i Malmö") -> EventSeries:
    start = (timezone.now() + timedelta(days=10)).replace(hour=7, minute=0, second=0, microsecond=0)
    return series_propose(
        event=Event(
            title=title,
            kind=Event.Kind.BREAKFAST,
            summary="Frukost.",
            start=start,
            end=start + timedelta(hours=1),
            city="Malmö",
        ),
        member=host or MemberFactory(),
        frequency=EventSeries.Frequency.WEEKLY,
        count=count,
        trusted=False,
    )


def _dates(series) -> list[Event]:
    return list(series.dates.order_by("start"))


@pytest.fixture
def staff():
    return MemberFactory(is_staff=True)  # not a superuser: the power is the review queue's, not a grant


def test_the_list_and_the_page_of_a_series_show_its_dates_to_staff_with_a_second_factor(client, staff):
    host = MemberFactory(name="Vera Värd")
    series = _series(host=host)
    _series(title="Lunch i Lund", count=2)
    force_login_with_second_factor(client, staff)

    listing = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Frukost i Malmö" in html and "Lunch i Lund" in html and "Vera Värd" in html
    assert "Awaiting review" in html
    swedish = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Godkänn de valda serierna" in swedish and "Avslå de valda serierna" in swedish
    found = client.get(CHANGELIST, {"q": "Lund"}).content.decode()
    assert "Lunch i Lund" in found and "Frukost i Malmö" not in found
    assert "Lunch i Lund" not in client.get(CHANGELIST, {"status__exact": "published"}).content.decode()

    page = client.get(reverse("admin:events_eventseries_change", args=[series.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for date in _dates(series):
        assert reverse("admin:events_event_change", args=[date.pk]) in html


def test_without_a_second_factor_the_series_admin_is_refused(client, staff):
    series = _series()
    client.force_login(staff)
    for url in [CHANGELIST, reverse("admin:events_eventseries_change", args=[series.pk])]:
        answer = client.get(url)
        assert answer.status_code == 302
        assert answer.headers["Location"].startswith(reverse("mfa_reauthenticate"))
    client.post(CHANGELIST, {"action": "approve", "_selected_action": [series.pk], "index": 0})
    assert {d.status for d in _dates(series)} == {Event.Status.PENDING}
    client.force_login(MemberFactory())  # a member who is not staff
    assert client.get(CHANGELIST).headers["Location"].startswith(reverse("admin:login"))


def test_the_approve_action_publishes_every_date_and_tells_the_host_once(client, staff, commit):
    host = MemberFactory()
    series = _series(host=host, count=4)
    force_login_with_second_factor(client, staff)
    django_mail.outbox.clear()
    with commit():
        response = client.post(
            CHANGELIST,
            {"action": "approve", "_selected_action": [series.pk], "index": 0},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert "1 series approved" in response.content.decode()
    series.refresh_from_db()
    assert series.status == EventSeries.Status.PUBLISHED
    assert {d.status for d in _dates(series)} == {Event.Status.PUBLISHED}
    assert [m.to for m in django_mail.outbox] == [[host.email]]

    # Approved once: a second approval changes nothing and mails nobody.
    django_mail.outbox.clear()
    with commit():
        again = client.post(
            CHANGELIST,
            {"action": "approve", "_selected_action": [series.pk], "index": 0},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert "1 was not awaiting review" in again.content.decode()
    assert django_mail.outbox == []


def test_the_decline_action_asks_for_a_message_and_sends_it_to_the_host_once(client, staff, commit):
    host = MemberFactory()
    series = _series(host=host)
    force_login_with_second_factor(client, staff)
    asked = client.post(CHANGELIST, {"action": "decline", "_selected_action": [series.pk], "index": 0})
    assert asked.status_code == 200
    assert 'name="message"' in asked.content.decode()
    empty = client.post(
        CHANGELIST, {"action": "decline", "_selected_action": [series.pk], "apply": "1", "message": " "}
    )
    assert empty.status_code == 200
    assert {d.status for d in _dates(series)} == {Event.Status.PENDING}

    django_mail.outbox.clear()
    with commit():
        client.post(
            CHANGELIST,
            {"action": "decline", "_selected_action": [series.pk], "apply": "1", "message": "Ange en lokal."},
        )
    series.refresh_from_db()
    assert series.status == EventSeries.Status.DECLINED
    assert {(d.status, d.review_message) for d in _dates(series)} == {
        (Event.Status.DECLINED, "Ange en lokal.")
    }
    assert [m.to for m in django_mail.outbox] == [[host.email]]


def test_a_series_is_neither_added_nor_deleted_in_the_admin(client, staff):
    series = _series()
    force_login_with_second_factor(client, staff)
    assert client.get(reverse("admin:events_eventseries_add")).status_code == 403
    assert client.get(reverse("admin:events_eventseries_delete", args=[series.pk])).status_code == 403
    assert EventSeries.objects.filter(pk=series.pk).exists()


def test_the_pages_kept_for_visitors_follow_each_review_and_rename_in_the_admin(client, staff, commit):
    """The event list and a date's page are kept whole for visitors under generations: the admin's
    approve action (update() on the dates), its decline of another series and a rename on the change
    page each show at once."""
    from django.test import Client

    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    with commit():
        series = _series(title="Frukost i Malmö")
        other = _series(title="Lunch i Lund")
    first = _dates(series)[0]
    events = reverse("events:event-list")
    assert first.get_absolute_url() not in visitor.get(events).content.decode()
    force_login_with_second_factor(client, staff)
    with commit():
        client.post(CHANGELIST, {"action": "approve", "_selected_action": [series.pk], "index": 0})
    listing = visitor.get(events).content.decode()
    assert all(date.get_absolute_url() in listing for date in _dates(series))
    with commit():
        client.post(
            CHANGELIST,
            {"action": "decline", "_selected_action": [other.pk], "apply": "1", "message": "Ange en lokal."},
        )
    assert _dates(other)[0].get_absolute_url() not in visitor.get(events).content.decode()
    assert "Frukost i Malmö" in visitor.get(first.get_absolute_url()).content.decode()
    dates = _dates(series)
    with commit():
        client.post(
            reverse("admin:events_eventseries_change", args=[series.pk]),
            {
                "title": "Morgonklubben",
                "dates-TOTAL_FORMS": str(len(dates)),
                "dates-INITIAL_FORMS": str(len(dates)),
                "dates-MIN_NUM_FORMS": "0",
                "dates-MAX_NUM_FORMS": "1000",
                **{f"dates-{i}-id": date.pk for i, date in enumerate(dates)},
                **{f"dates-{i}-series": series.pk for i in range(len(dates))},
            },
        )
    assert EventSeries.objects.get(pk=series.pk).title == "Morgonklubben"
    assert "Morgonklubben" in visitor.get(first.get_absolute_url()).content.decode()


# --- A date is reviewed with its series, in the event admin too ----------------------------------------


def test_the_event_admin_does_not_publish_one_date_of_a_series_waiting_for_review(client, staff, commit):
    """Published alone, one date went public while its series waited (the series' page, which the date
    links to, a 404 to visitors), and the host heard nothing; the series is approved whole instead."""
    from tests.helpers.forms import event_form_data

    superuser = MemberFactory(is_staff=True, is_superuser=True)
    series = _series()
    first, second, third = _dates(series)
    force_login_with_second_factor(client, superuser)
    events = reverse("admin:events_event_changelist")
    django_mail.outbox.clear()
    with commit():
        answer = client.post(
            events,
            {"action": "publish", "_selected_action": [first.pk], "index": 0},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert "1 could not be published" in answer.content.decode()
    assert "approve its series" in answer.content.decode()

    change = reverse("admin:events_event_change", args=[second.pk])
    assert 'name="_publish"' not in client.get(change).content.decode()
    for extra in ({"_publish": "Publicera"}, {"status": Event.Status.PUBLISHED, "_save": "Spara"}):
        response = client.post(change, {**event_form_data(second), **extra}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert "approve its series" in response.content.decode()
    assert {d.status for d in _dates(series)} == {Event.Status.PENDING}
    assert django_mail.outbox == []
    # A date of a published series is published from the event admin as any event.
    with commit():
        client.post(CHANGELIST, {"action": "approve", "_selected_action": [series.pk], "index": 0})
    client.post(
        reverse("admin:events_event_change", args=[third.pk]),
        {**event_form_data(Event.objects.get(pk=third.pk)), "status": Event.Status.DRAFT, "_save": "Spara"},
    )
    assert Event.objects.get(pk=third.pk).status == Event.Status.DRAFT
    client.post(
        reverse("admin:events_event_change", args=[third.pk]),
        {**event_form_data(Event.objects.get(pk=third.pk)), "_publish": "Publicera"},
    )
    assert Event.objects.get(pk=third.pk).status == Event.Status.PUBLISHED


def test_a_series_approved_after_its_first_date_passed_publishes_and_announces_the_dates_to_come(
    client, staff, commit
):
    """A reviewer slow by a week: the date that passed while the series waited is not published (it
    would stand among past events as a meetup that took place), and the host and the followers hear of
    the first date to come (the followers' fan-out drops a date that has passed: no mail at all)."""
    from events.services.follows import follow_create
    from tests.factories import EventFactory

    EventFactory(city="Malmö")  # a city is followed from its events
    follower = MemberFactory(preferred_language="en")
    follow_create(member=follower, kind="city", city="Malmö")
    host = MemberFactory()
    start = (timezone.now() - timedelta(days=3)).replace(second=0, microsecond=0)
    series = series_propose(
        event=Event(
            title="Frukost i Malmö",
            kind=Event.Kind.BREAKFAST,
            start=start,
            end=start + timedelta(hours=1),
            city="Malmö",
        ),
        member=host,
        frequency=EventSeries.Frequency.WEEKLY,
        count=3,
        trusted=False,
    )
    gone, coming, _later = _dates(series)
    force_login_with_second_factor(client, staff)
    queue = client.get(reverse("events:review-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A series of 2 dates" in queue  # what an approval publishes
    django_mail.outbox.clear()
    with commit():
        client.post(CHANGELIST, {"action": "approve", "_selected_action": [series.pk], "index": 0})
    assert [d.status for d in _dates(series)] == [
        Event.Status.DECLINED,
        Event.Status.PUBLISHED,
        Event.Status.PUBLISHED,
    ]
    assert gone.get_absolute_url() not in client.get(reverse("events:event-past")).content.decode()
    to_host = [m for m in django_mail.outbox if m.to == [host.email]]
    assert len(to_host) == 1 and coming.get_absolute_url() in to_host[0].body
    assert any(m.to == [follower.email] for m in django_mail.outbox)
    # Nothing of the series waits in the queue any more.
    assert not Event.objects.awaiting_review().filter(series=series).exists()


def test_a_series_whose_every_date_passed_while_it_waited_is_not_approved(client, staff):
    start = (timezone.now() - timedelta(days=30)).replace(second=0, microsecond=0)
    series = series_propose(
        event=Event(title="Frukost", kind=Event.Kind.BREAKFAST, start=start, end=start + timedelta(hours=1)),
        member=MemberFactory(),
        frequency=EventSeries.Frequency.WEEKLY,
        count=2,
        trusted=False,
    )
    force_login_with_second_factor(client, staff)
    answer = client.post(
        CHANGELIST,
        {"action": "approve", "_selected_action": [series.pk], "index": 0},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "1 could not be approved" in answer.content.decode()
    assert EventSeries.objects.get(pk=series.pk).status == EventSeries.Status.PENDING
    assert {d.status for d in _dates(series)} == {Event.Status.PENDING}
