"""Meetups that recur: proposed once, reviewed once, each date its own event."""

from datetime import datetime, timedelta

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from events.forms import STOCKHOLM
from events.models import Event, EventSeries, Follow, Rsvp
from events.services.events import event_cancel, event_publish
from events.services.follows import FollowError, follow_create
from events.services.hosting import HostError, event_propose
from events.services.rsvps import rsvp_create
from events.services.series import (
    series_approve,
    series_decline,
    series_propose,
    series_rule_text,
    series_starts,
)
from tests.factories import EventFactory, MemberFactory, events_permission, organisers_group
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db

PROPOSE = reverse("events:series-propose")


def _first_tuesday_after(days: int) -> datetime:
    day = (timezone.now() + timedelta(days=days)).astimezone(STOCKHOLM).date().replace(day=1)
    day = day.replace(month=day.month % 12 + 1, year=day.year + (day.month == 12))  # next month's 1st
    while day.weekday() != 1:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=STOCKHOLM)


def form_data(first: datetime, **overrides) -> dict:
    local = first.astimezone(STOCKHOLM)
    return {
        "title": "Frukost i Malmö",
        "kind": "breakfast",
        "summary": "Frukost och samtal, en gång i månaden.",
        "description": "",
        "tags": "frukost",
        "start": local.strftime("%Y-%m-%dT%H:%M"),
        "end": (local + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "rsvp_closes_at": "",
        "venue_name": "Stadshuset",
        "address": "August Palms plats 1",
        "city": "Malmö",
        "online_url": "",
        "capacity": "10",
        "cover_alt": "",
        "frequency": "monthly",
        "interval": "1",
        "count": "4",
    } | overrides


def _template(first: datetime, **fields) -> Event:
    return Event(
        title="Frukost i Malmö",
        kind=Event.Kind.BREAKFAST,
        summary="Frukost.",
        start=first,
        end=first + timedelta(hours=1),
        city="Malmö",
        capacity=fields.pop("capacity", 10),
        **fields,
    )


def _series(*, count: int = 4, trusted: bool = True, member=None) -> EventSeries:
    return series_propose(
        event=_template(_first_tuesday_after(5)),
        member=member or MemberFactory(),
        frequency=EventSeries.Frequency.MONTHLY,
        count=count,
        trusted=trusted,
    )


def _dates(series) -> list[Event]:
    return list(series.dates.order_by("start"))


# --- The rule -------------------------------------------------------------------------------------------


def test_the_first_tuesday_of_every_month_keeps_its_wall_clock_time_across_summer_time():
    first = datetime(2027, 1, 5, 8, 0, tzinfo=STOCKHOLM)  # the first Tuesday of January 2027
    starts = series_starts(first=first, frequency="monthly", count=12)
    assert len(starts) == 12
    for start in starts:
        local = start.astimezone(STOCKHOLM)
        assert (local.weekday(), local.day <= 7, local.hour, local.minute) == (1, True, 8, 0)
    # Winter and summer: the same 08:00 in Stockholm is a different hour in UTC.
    assert {start.utcoffset() for start in starts} == {timedelta(hours=1), timedelta(hours=2)}


def test_a_first_date_after_the_28th_repeats_on_the_last_weekday_of_each_month():
    first = datetime(2027, 3, 30, 18, 0, tzinfo=STOCKHOLM)  # the last Tuesday of March
    starts = series_starts(first=first, frequency="monthly", count=3)
    assert [s.date().isoformat() for s in starts] == ["2027-03-30", "2027-04-27", "2027-05-25"]


def test_every_other_week():
    first = datetime(2027, 2, 3, 17, 30, tzinfo=STOCKHOLM)
    starts = series_starts(first=first, frequency="weekly", interval=2, count=3)
    assert [s.date().isoformat() for s in starts] == ["2027-02-03", "2027-02-17", "2027-03-03"]


def test_the_rule_reads_as_people_say_it():
    series = EventSeries(frequency="monthly", month_week=1, weekday=1)
    with translation.override("sv"):
        assert series_rule_text(series) == "första tisdagen varje månad"
    with translation.override("en"):
        assert series_rule_text(series) == "the first Tuesday of every month"
    weekly = EventSeries(frequency="weekly", interval=3)
    with translation.override("sv"):
        assert series_rule_text(weekly) == "var 3:e vecka"


# --- Proposing and reviewing ----------------------------------------------------------------------------


def test_a_member_proposes_a_series_that_waits_for_one_review(client, commit):
    member = MemberFactory()
    reviewer = MemberFactory()
    reviewer.groups.add(organisers_group())
    client.force_login(member)
    with commit():
        response = client.post(PROPOSE, form_data(_first_tuesday_after(5)), follow=True)
    series = EventSeries.objects.get()
    dates = _dates(series)
    assert series.status == EventSeries.Status.PENDING
    assert len(dates) == 4
    assert {d.status for d in dates} == {Event.Status.PENDING}
    assert [d.start.astimezone(STOCKHOLM).day <= 7 for d in dates] == [True] * 4
    assert "sent for review" in response.content.decode() or "granskning" in response.content.decode()
    # One mail to the reviewers for the whole series, and one entry in their queue.
    assert [m.to for m in django_mail.outbox] == [[reviewer.email]]
    force_login_with_second_factor(client, reviewer)
    queue = client.get(reverse("events:review-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert queue.count('action="/evenemang/') == 1
    assert "A series of 4 dates" in queue

    django_mail.outbox.clear()
    with commit():
        client.post(reverse("events:review-approve", args=[dates[0].slug]))
    assert {d.status for d in _dates(series)} == {Event.Status.PUBLISHED}
    series.refresh_from_db()
    assert series.status == EventSeries.Status.PUBLISHED
    assert [m.to for m in django_mail.outbox] == [[member.email]]  # the host, once


def test_a_declined_series_declines_every_date_with_one_message(client, commit):
    member = MemberFactory()
    reviewer = MemberFactory(is_staff=True)
    series = _series(trusted=False, member=member)
    force_login_with_second_factor(client, reviewer)
    django_mail.outbox.clear()
    with commit():
        client.post(
            reverse("events:review-decline", args=[_dates(series)[0].slug]), {"message": "Ange en lokal."}
        )
    assert {d.status for d in _dates(series)} == {Event.Status.DECLINED}
    assert {d.review_message for d in _dates(series)} == {"Ange en lokal."}
    assert [m.to for m in django_mail.outbox] == [[member.email]]


def test_a_trusted_host_publishes_a_series_at_once(client):
    member = MemberFactory()
    member.user_permissions.add(events_permission("publish_without_review"))
    client.force_login(member)
    client.post(PROPOSE, form_data(_first_tuesday_after(5), count="3"))
    series = EventSeries.objects.get()
    assert series.status == EventSeries.Status.PUBLISHED
    assert {d.status for d in _dates(series)} == {Event.Status.PUBLISHED}


def test_at_most_twelve_dates():
    with pytest.raises(HostError):
        _series(count=13)
    assert EventSeries.objects.count() == 0


def test_the_form_refuses_thirteen_dates(client):
    client.force_login(MemberFactory())
    page = client.post(PROPOSE, form_data(_first_tuesday_after(5), count="13"), HTTP_ACCEPT_LANGUAGE="en")
    assert EventSeries.objects.count() == 0
    assert "less than or equal to 12" in page.content.decode()


def test_an_approval_is_not_given_twice():
    series = _series(trusted=False)
    series_approve(series=series, reviewer=MemberFactory(is_staff=True))
    with pytest.raises(HostError):
        series_approve(series=series, reviewer=MemberFactory(is_staff=True))


# --- The daily proposal limit: a series is one proposal -------------------------------------------------


def _single(member, days: int) -> Event:
    start = timezone.now() + timedelta(days=days)
    return event_propose(
        event=Event(title=f"Träff {days}", summary="En träff.", start=start, end=start + timedelta(hours=1)),
        member=member,
    )


def test_a_series_of_twelve_dates_counts_once_against_the_daily_limit(settings):
    settings.EVENT_PROPOSALS_PER_DAY = 3
    host = MemberFactory()
    _series(count=12, trusted=False, member=host)
    _single(host, 40)
    _single(host, 41)
    with pytest.raises(HostError) as refused:
        _single(host, 42)
    assert refused.value.code == "rate"
    assert "högst 3 evenemang per dygn" in refused.value.messages[0]
    assert Event.objects.filter(proposed_by=host, series__isnull=True).count() == 2
    assert Event.objects.filter(proposed_by=host, series__isnull=False).count() == 12


def test_two_series_and_one_event_reach_the_limit(settings):
    settings.EVENT_PROPOSALS_PER_DAY = 3
    host = MemberFactory()
    _series(count=2, trusted=False, member=host)
    _series(count=3, trusted=False, member=host)
    _single(host, 40)
    with pytest.raises(HostError):
        _single(host, 41)
    with pytest.raises(HostError):
        _series(count=2, trusted=False, member=host)
    assert EventSeries.objects.filter(proposed_by=host).count() == 2
    assert Event.objects.filter(proposed_by=host).count() == 6


@pytest.mark.parametrize(
    ("language", "refusal"),
    [("sv", "högst 3 evenemang per dygn"), ("en", "at most 3 events a day")],
)
def test_the_propose_page_refuses_a_series_past_the_limit_and_makes_none_of_it(
    client, settings, language, refusal
):
    settings.EVENT_PROPOSALS_PER_DAY = 3
    host = MemberFactory()
    _series(count=12, trusted=False, member=host)
    _single(host, 40)
    client.force_login(host)
    # The third proposal (a series) is still taken: the series of twelve counted once.
    client.post(PROPOSE, form_data(_first_tuesday_after(60), title="Lunch i Lund", count="2"))
    assert EventSeries.objects.filter(title="Lunch i Lund").count() == 1
    series_before, events_before = EventSeries.objects.count(), Event.objects.count()

    page = client.post(
        PROPOSE,
        form_data(_first_tuesday_after(90), title="Fika i Umeå", count="4"),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert page.status_code == 200
    assert refusal in page.content.decode()
    assert not EventSeries.objects.filter(title="Fika i Umeå").exists()
    assert not Event.objects.filter(title="Fika i Umeå").exists()
    assert (EventSeries.objects.count(), Event.objects.count()) == (series_before, events_before)


# --- Each date is its own event ---------------------------------------------------------------------------


def test_each_date_has_its_own_answers_and_places():
    series = _series()
    first, second, *_rest = _dates(series)
    Event.objects.filter(pk=first.pk).update(capacity=1)
    rsvp_create(event=first, member=MemberFactory())
    waiting = rsvp_create(event=first, member=MemberFactory())
    going = rsvp_create(event=second, member=MemberFactory())
    assert (waiting.status, going.status) == (Rsvp.Status.WAITLISTED, Rsvp.Status.GOING)
    second.refresh_from_db()
    assert (second.going_count, second.waitlist_count) == (1, 0)


def test_the_series_page_lists_its_dates_and_each_date_links_to_it(client):
    series = _series(count=3)
    page = client.get(series.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "första tisdagen varje månad" in page
    for date in _dates(series):
        assert date.get_absolute_url() in page
        assert series.get_absolute_url() in client.get(date.get_absolute_url()).content.decode()


def test_a_series_waiting_for_review_is_not_shown_to_visitors(client):
    series = _series(trusted=False)
    assert client.get(series.get_absolute_url()).status_code == 404
    force_login_with_second_factor(client, MemberFactory(is_staff=True))
    assert client.get(series.get_absolute_url()).status_code == 200


# --- Following ------------------------------------------------------------------------------------------


def test_a_member_follows_a_series_from_its_page_and_hears_of_a_new_date(client, commit):
    series = _series(count=2)
    follower = MemberFactory(preferred_language="en")
    client.force_login(follower)
    client.post(
        reverse("events:follow-create"),
        {"kind": "series", "series": series.slug, "frequency": "at_once", "next": series.get_absolute_url()},
    )
    assert Follow.objects.filter(member=follower, kind="series", series=series).exists()
    assert (
        "Stop following" in client.get(series.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    # A new date added to the series reaches its followers, as a new event on a followed topic does.
    extra = EventFactory(series=series, status=Event.Status.DRAFT, city="Ystad")
    django_mail.outbox.clear()
    with commit():
        event_publish(event=extra)
    assert [m.to for m in django_mail.outbox] == [[follower.email]]
    assert f"A new date of the series {series.title}" in django_mail.outbox[0].body


def test_a_series_waiting_for_review_cannot_be_followed():
    series = _series(trusted=False)
    with pytest.raises(FollowError) as error:
        follow_create(member=MemberFactory(), kind="series", series_slug=series.slug)
    assert error.value.code == "series"


# --- Changes and cancellations say to whom they go ---------------------------------------------------------


def _attendees(series) -> list:
    people = []
    for date in _dates(series):
        member = MemberFactory(preferred_language="en")
        rsvp_create(event=date, member=member)
        people.append(member)
    return people


def _host_edit(client, event, **changes):
    local = {k: getattr(event, k).astimezone(STOCKHOLM) for k in ("start", "end")}
    data = {
        "title": event.title,
        "kind": event.kind,
        "summary": event.summary,
        "description": event.description,
        "tags": "",
        "start": local["start"].strftime("%Y-%m-%dT%H:%M"),
        "end": local["end"].strftime("%Y-%m-%dT%H:%M"),
        "rsvp_closes_at": "",
        "venue_name": event.venue_name,
        "address": event.address,
        "city": event.city,
        "online_url": "",
        "capacity": event.capacity or "",
        "cover_alt": "",
    } | changes
    return client.post(reverse("events:host-edit", args=[event.slug]), data)


# --- Sending a declined series again ---------------------------------------------------------------------


def _declined(*, host, reviewer=None, count: int = 3) -> EventSeries:
    series = _series(count=count, trusted=False, member=host)
    series_decline(series=series, reviewer=reviewer or _reviewer(), message="Ange en lokal.")
    return series


def _reviewer():
    reviewer = MemberFactory()
    reviewer.groups.add(organisers_group())
    return reviewer


def test_a_declined_series_edited_and_sent_again_waits_once_and_approval_publishes_every_date(client, commit):
    host, reviewer = MemberFactory(), _reviewer()
    series = _declined(host=host, reviewer=reviewer)
    client.force_login(host)
    page = client.get(series.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Ange en lokal." in page and "Skicka igen" in page
    # The host edits the first date's text and carries it to the later dates, then sends the series.
    _host_edit(client, _dates(series)[0], venue_name="Stadsbiblioteket", scope="onward")
    django_mail.outbox.clear()
    with commit():
        response = client.post(reverse("events:series-resubmit", args=[series.slug]), follow=True)

    assert "skickad för granskning igen" in response.content.decode()
    series.refresh_from_db()
    dates = _dates(series)
    assert series.status == EventSeries.Status.PENDING
    assert {d.status for d in dates} == {Event.Status.PENDING}
    assert {d.review_message for d in dates} == {""}
    assert {d.venue_name for d in dates} == {"Stadsbiblioteket"}
    assert [m.to for m in django_mail.outbox] == [[reviewer.email]]  # one mail for the whole series

    force_login_with_second_factor(client, reviewer)
    queue = client.get(reverse("events:review-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert queue.count('action="/evenemang/') == 1
    assert "A series of 3 dates" in queue
    django_mail.outbox.clear()
    with commit():
        client.post(reverse("events:review-approve", args=[dates[0].slug]))
    series.refresh_from_db()
    assert series.status == EventSeries.Status.PUBLISHED
    assert {d.status for d in _dates(series)} == {Event.Status.PUBLISHED}
    assert [m.to for m in django_mail.outbox] == [[host.email]]


def test_save_and_send_again_on_a_declined_date_sends_its_whole_series(client, commit):
    host, reviewer = MemberFactory(), _reviewer()
    series = _declined(host=host, reviewer=reviewer)
    client.force_login(host)
    django_mail.outbox.clear()
    with commit():
        _host_edit(client, _dates(series)[0], venue_name="Stadsbiblioteket", resubmit="1")
    series.refresh_from_db()
    assert series.status == EventSeries.Status.PENDING
    assert {d.status for d in _dates(series)} == {Event.Status.PENDING}
    assert [m.to for m in django_mail.outbox] == [[reviewer.email]]
    force_login_with_second_factor(client, reviewer)
    queue = client.get(reverse("events:review-list")).content.decode()
    assert queue.count('action="/evenemang/') == 1


def test_only_the_series_host_sends_it_again(client):
    host = MemberFactory()
    series = _declined(host=host)
    client.force_login(MemberFactory())
    assert client.get(series.get_absolute_url()).status_code == 404
    assert client.post(reverse("events:series-resubmit", args=[series.slug])).status_code == 404
    series.refresh_from_db()
    assert series.status == EventSeries.Status.DECLINED
    assert {d.status for d in _dates(series)} == {Event.Status.DECLINED}
    client.logout()
    answer = client.post(reverse("events:series-resubmit", args=[series.slug]))
    assert answer.status_code == 302 and answer.headers["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("trusted", "why"),
    [(False, "This series already waits for review."), (True, "only a declined series can be sent again")],
)
def test_a_series_that_is_not_declined_is_not_sent_again(client, trusted, why):
    host = MemberFactory()
    series = _series(count=2, trusted=trusted, member=host)
    before = {d.pk: (d.status, d.updated_at) for d in _dates(series)}
    client.force_login(host)
    django_mail.outbox.clear()
    response = client.post(
        reverse("events:series-resubmit", args=[series.slug]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert why in response.content.decode()
    assert "Send again" not in response.content.decode()
    assert {d.pk: (d.status, d.updated_at) for d in _dates(series)} == before
    assert EventSeries.objects.get(pk=series.pk).status == series.status
    assert django_mail.outbox == []


def test_the_edit_form_says_to_whom_a_change_goes(client):
    series = _series()
    _attendees(series)
    host = series.proposed_by
    client.force_login(host)
    second = _dates(series)[1]
    page = client.get(
        reverse("events:host-edit", args=[second.slug]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Told by email: the 1 person who answered for this date." in page
    assert "This date and the 2 later dates of the series" in page
    assert "Told by email: the 3 people who answered for these dates." in page


def test_changing_one_date_tells_only_its_attendees(client, commit):
    series = _series()
    people = _attendees(series)
    client.force_login(series.proposed_by)
    second = _dates(series)[1]
    django_mail.outbox.clear()
    with commit():
        _host_edit(client, second, venue_name="Nya lokalen", scope="this")
    assert [m.to for m in django_mail.outbox] == [[people[1].email]]
    assert [d.venue_name for d in _dates(series)] == ["", "Nya lokalen", "", ""]


def test_changing_the_series_from_a_date_onward_tells_those_dates_attendees_only(client, commit):
    series = _series()
    people = _attendees(series)
    client.force_login(series.proposed_by)
    dates = _dates(series)
    second = dates[1]
    later = second.start.astimezone(STOCKHOLM) + timedelta(hours=1)
    django_mail.outbox.clear()
    with commit():
        _host_edit(
            client,
            second,
            start=later.strftime("%Y-%m-%dT%H:%M"),
            end=(later + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            scope="onward",
        )
    assert sorted(m.to[0] for m in django_mail.outbox) == sorted(p.email for p in people[1:])
    hours = [d.start.astimezone(STOCKHOLM).hour for d in _dates(series)]
    assert hours == [8, 9, 9, 9]  # the wall-clock time moved, on every later date, whatever the season
    assert [d.start.astimezone(STOCKHOLM).weekday() for d in _dates(series)] == [1] * 4


def test_cancelling_a_date_tells_only_its_attendees(client, commit):
    series = _series()
    people = _attendees(series)
    third = _dates(series)[2]
    client.force_login(series.proposed_by)
    page = client.get(reverse("events:host-cancel", args=[third.slug]), HTTP_ACCEPT_LANGUAGE="en")
    assert "only those who answered for this date are told" in page.content.decode()
    django_mail.outbox.clear()
    with commit():
        event_cancel(event=third)
    assert [m.to for m in django_mail.outbox] == [[people[2].email]]
    assert [d.status for d in _dates(series)].count(Event.Status.CANCELLED) == 1


# --- The calendar feed ----------------------------------------------------------------------------------


def test_the_feed_carries_each_date_as_its_own_vevent_related_to_its_series(client):
    series = _series(count=3)
    EventFactory(title="Ett annat evenemang")
    calendar = Calendar.from_ical(client.get(reverse("events:public-feed")).content)
    vevents = calendar.walk("VEVENT")
    dated = [v for v in vevents if v.get("RELATED-TO")]
    assert len(vevents) == 4
    assert len(dated) == 3
    assert {str(v["RELATED-TO"]) for v in dated} == {series.calendar_uid}
    assert {v["RELATED-TO"].params["RELTYPE"] for v in dated} == {"PARENT"}
    assert len({str(v["UID"]) for v in vevents}) == 4  # each date updates on its own
    assert [v.get("RRULE") for v in vevents] == [None] * 4
    assert sorted(v["DTSTART"].dt for v in dated) == [d.start for d in _dates(series)]


def test_one_dates_ics_names_its_series(client):
    series = _series(count=2)
    first = _dates(series)[0]
    calendar = Calendar.from_ical(client.get(reverse("events:event-ics", args=[first.slug])).content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["RELATED-TO"]) == series.calendar_uid


def test_a_renamed_series_shows_at_once_on_the_pages_of_its_dates(client, commit):
    """The date's page (kept for visitors, its facts fragment) follows the generation a series bumps."""
    with commit():
        series = _series(count=2)
    first = _dates(series)[0]
    assert series.title in client.get(first.get_absolute_url()).content.decode()
    with commit():
        series.title = "Morgonklubben"
        series.save()
    assert "Morgonklubben" in client.get(first.get_absolute_url()).content.decode()


# --- Dates cancelled or edited before the review ------------------------------------------------------------


def test_a_series_whose_first_date_the_host_cancelled_still_waits_in_the_review_queue(client):
    host, reviewer = MemberFactory(), _reviewer()
    series = _series(count=3, trusted=False, member=host)
    first, second, _ = _dates(series)
    client.force_login(host)
    client.post(reverse("events:host-cancel", args=[first.slug]), {"message": "Jullov."})
    assert Event.objects.get(pk=first.pk).status == Event.Status.CANCELLED

    force_login_with_second_factor(client, reviewer)
    queue = client.get(reverse("events:review-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert queue.count('action="/evenemang/') == 1  # the series, once, by its first date still waiting
    assert reverse("events:review-approve", args=[second.slug]) in queue
    assert "A series of 2 dates" in queue  # what an approval publishes: not the cancelled one
    client.post(reverse("events:review-approve", args=[second.slug]))
    assert EventSeries.objects.get(pk=series.pk).status == EventSeries.Status.PUBLISHED
    assert [d.status for d in _dates(series)] == [Event.Status.CANCELLED, *[Event.Status.PUBLISHED] * 2]


def test_a_declined_series_with_its_first_date_cancelled_waits_in_the_queue_when_sent_again(client, commit):
    host, reviewer = MemberFactory(), _reviewer()
    series = _series(count=3, trusted=False, member=host)
    first, second, _ = _dates(series)
    event_cancel(event=first)
    series_decline(series=series, reviewer=reviewer, message="Ange en lokal.")
    client.force_login(host)
    page = client.get(series.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ange en lokal." in page  # the reviewer's message, which the cancelled date does not carry
    assert reverse("events:host-edit", args=[second.slug]) in page  # the first date sent again
    assert reverse("events:host-edit", args=[first.slug]) not in page
    django_mail.outbox.clear()
    with commit():
        client.post(reverse("events:series-resubmit", args=[series.slug]))
    assert [m.to for m in django_mail.outbox] == [[reviewer.email]]
    assert second.get_absolute_url() in django_mail.outbox[0].body  # the date that waits, not the cancelled
    force_login_with_second_factor(client, reviewer)
    queue = client.get(reverse("events:review-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("events:review-approve", args=[second.slug]) in queue


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Ange\u202e en lokal.", "Ange en lokal."),  # a bidi override would turn the host's page around
        ("Ange en lokal.\x00", "Ange en lokal."),  # PostgreSQL refuses NUL in text: an error page
        ("  Ange\r\nen lokal.\u2066 ", "Ange\nen lokal."),
        ("Ange en lokal.\u0308", "Ange en lokal.\u0308"),
        ("A\u0308ndra lokal.", "Ändra lokal."),
    ],
)
def test_a_series_decline_stores_and_mails_its_message_as_every_text_is_stored(typed, stored, commit):
    """The message reaches every date with update(), which no model save normalises: the service does."""
    host = MemberFactory()
    series = _series(count=2, trusted=False, member=host)
    django_mail.outbox.clear()
    with commit():
        series_decline(series=series, reviewer=_reviewer(), message=typed)
    assert {d.review_message for d in _dates(series)} == {stored}
    assert stored in django_mail.outbox[-1].body


@pytest.mark.parametrize("typed", ["", "   ", "\x00", "\u202e\u2066", "\u200b\n\u00ad"])
def test_a_series_is_not_declined_with_a_message_that_shows_nothing(typed):
    series = _series(count=2, trusted=False)
    with pytest.raises(HostError) as error:
        series_decline(series=series, reviewer=_reviewer(), message=typed)
    assert error.value.code == "message"
    assert EventSeries.objects.get(pk=series.pk).status == EventSeries.Status.PENDING


def test_a_series_title_is_stored_as_every_title_is_whatever_path_saves_it():
    """The shell, a command or an import pass no form: the series' title is its page's heading and the
    link on each date's page, so the model normalises it as the dates' titles are."""
    series = series_propose(
        event=Event(
            title="  Frukost\u202e i  Malmo\u0308 ",
            kind=Event.Kind.BREAKFAST,
            start=_first_tuesday_after(5),
            end=_first_tuesday_after(5) + timedelta(hours=1),
        ),
        member=MemberFactory(),
        frequency=EventSeries.Frequency.MONTHLY,
        count=2,
        trusted=True,
    )
    series.refresh_from_db()
    assert series.title == "Frukost i Malmö"
    assert {d.title for d in _dates(series)} == {"Frukost i Malmö"}
    series.title = "\u2066Morgonklubben\u2069"
    series.save()
    assert EventSeries.objects.get(pk=series.pk).title == "Morgonklubben"


def _declined_across_today(host, reviewer):
    """Four weekly dates, declined: by the time the host sends the series again two have passed."""
    first = (timezone.now() - timedelta(days=10)).replace(second=0, microsecond=0)
    series = series_propose(
        event=_template(first), member=host, frequency=EventSeries.Frequency.WEEKLY, count=4, trusted=False
    )
    series_decline(series=series, reviewer=reviewer, message="Ange en lokal.")
    return series


def test_a_series_sent_again_after_some_dates_passed_sends_only_the_dates_to_come(client, commit):
    """A date that passed while the series was declined is not reviewed, published or announced: it
    would stand among past events as a meetup that took place, and the followers' mail (of the first
    date published) would be about a morning gone, which the fan-out drops: no mail at all."""
    host, reviewer = MemberFactory(), _reviewer()
    EventFactory(city="Malmö")  # a city is followed from its events
    follower = MemberFactory(preferred_language="en")
    follow_create(member=follower, kind="city", city="Malmö")
    series = _declined_across_today(host, reviewer)
    gone, also_gone, coming, _later = _dates(series)
    client.force_login(host)
    django_mail.outbox.clear()
    with commit():
        client.post(reverse("events:series-resubmit", args=[series.slug]))
    assert [d.status for d in _dates(series)] == [Event.Status.DECLINED] * 2 + [Event.Status.PENDING] * 2
    assert coming.get_absolute_url() in django_mail.outbox[0].body

    force_login_with_second_factor(client, reviewer)
    queue = client.get(reverse("events:review-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A series of 2 dates" in queue  # the two to come, which an approval publishes
    django_mail.outbox.clear()
    with commit():
        client.post(reverse("events:review-approve", args=[coming.slug]))
    assert [d.status for d in _dates(series)] == [Event.Status.DECLINED] * 2 + [Event.Status.PUBLISHED] * 2
    client.logout()
    past = client.get(reverse("events:event-past")).content.decode()
    assert gone.get_absolute_url() not in past and also_gone.get_absolute_url() not in past
    assert follower.email in [address for m in django_mail.outbox for address in m.to]


def test_a_series_whose_dates_have_all_passed_is_not_sent_again(client):
    host = MemberFactory()
    first = (timezone.now() - timedelta(days=30)).replace(second=0, microsecond=0)
    series = series_propose(
        event=_template(first), member=host, frequency=EventSeries.Frequency.WEEKLY, count=2, trusted=False
    )
    series_decline(series=series, reviewer=_reviewer(), message="Ange en lokal.")
    client.force_login(host)
    django_mail.outbox.clear()
    response = client.post(
        reverse("events:series-resubmit", args=[series.slug]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Every date of this series has passed" in response.content.decode()
    assert EventSeries.objects.get(pk=series.pk).status == EventSeries.Status.DECLINED
    assert {d.status for d in _dates(series)} == {Event.Status.DECLINED}
    assert django_mail.outbox == []
