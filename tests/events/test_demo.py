import pytest
from django.urls import reverse
from PIL import Image

from events import demo
from events.forms import STOCKHOLM
from events.models import Event, EventSeries, Rsvp
from events.sitemaps import EventSitemap

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent_and_has_the_conference_in_the_past(client):
    demo.load()
    demo.load()
    conference = Event.objects.get(title="Digitala Strategidagarna – Offentlig Sektor")  # noqa: RUF001
    assert conference.kind == Event.Kind.CONFERENCE
    assert conference.start.date().isoformat() == "2026-11-13"
    assert conference in Event.objects.past()
    upcoming = list(Event.objects.upcoming().exclude(kind=Event.Kind.CONFERENCE))
    assert len(upcoming) >= 3
    assert len({e.city for e in upcoming if e.city}) >= 3
    assert any(e.format == Event.Format.ONLINE for e in upcoming)
    assert any(e.is_full and e.waitlist_count for e in upcoming)
    assert Rsvp.objects.filter(event=conference).count() == conference.going_count
    html = client.get(reverse("events:event-past")).content.decode()
    assert "Digitala Strategidagarna" in html


def test_event_sitemap_lists_published_events():
    demo.load()
    draft = Event.objects.create(
        title="Utkast",
        slug="utkast",
        summary="-",
        start=Event.objects.first().start,
        end=Event.objects.first().end,
    )
    items = list(EventSitemap().items())
    assert draft not in items
    assert len(items) == Event.objects.filter(status=Event.Status.PUBLISHED).count()


def test_demo_events_get_calm_generated_covers_in_the_sites_palette():
    demo.load()
    covered = Event.objects.exclude(cover_image="")
    assert covered.count() >= 3
    conference = Event.objects.get(slug="digitala-strategidagarna-offentlig-sektor-2026")
    # A one-day event is not announced as "two days".
    assert conference.start.date() == conference.end.date()
    assert "Två dagar" not in conference.summary
    names = {event.pk: event.cover_image.name for event in covered}
    demo.load()
    assert {event.pk: event.cover_image.name for event in Event.objects.exclude(cover_image="")} == names
    with Image.open(conference.cover_image.path) as cover:
        assert cover.size == (1280, 640)
        colours = cover.convert("RGB").resize((32, 16)).getcolors(512)
    # Mostly the site's purple: the darkest and the most common colours are deep violet, not grey.
    r, g, b = max(colours)[1]
    assert b > r and b > g
    assert conference.cover_alt


def test_demo_cover_is_the_same_for_the_same_seed():
    assert demo.cover_image("a", (200, 100)) == demo.cover_image("a", (200, 100))
    assert demo.cover_image("a", (200, 100)) != demo.cover_image("b", (200, 100))


def test_demo_has_an_upcoming_unconference_partly_scheduled(client):
    from events.models import Placement, Session

    demo.load()
    demo.load()
    event = Event.objects.get(kind=Event.Kind.UNCONFERENCE)
    assert event in Event.objects.upcoming()
    sessions = Session.objects.filter(event=event)
    assert sessions.count() == 8
    assert sum(s.interest_count for s in sessions) == sum(s.interests.count() for s in sessions) > 0
    assert (event.rooms.count(), event.slots.count()) == (3, 3)
    placed = Placement.objects.filter(session__event=event).count()
    assert 0 < placed < 8
    page = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<th scope="row">' in page and "Klarspråk i praktiken" in page
    board = client.get(reverse("events:session-board", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="sv")
    assert (
        "8 sessioner är föreslagna" in page and "Upphandling som främjar innovation" in board.content.decode()
    )


def test_the_demo_meetup_has_a_few_maybes_counted_on_its_page(client):
    demo.load()
    demo.load()
    meetup = Event.objects.get(slug="meetup-goteborg-tjanstedesign")
    assert meetup.maybe_count == Rsvp.objects.filter(event=meetup).maybe().count() == 3
    page = client.get(meetup.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "2 kommer, 3 kanske" in page


def test_the_demo_has_a_monthly_breakfast_series_with_its_page(client):
    demo.load()
    demo.load()
    series = EventSeries.objects.get(title=demo.BREAKFAST_SERIES_TITLE)
    dates = list(series.dates.order_by("start"))
    assert series.status == EventSeries.Status.PUBLISHED
    assert len(dates) == 6
    assert {d.start.astimezone(STOCKHOLM).weekday() for d in dates} == {1}
    assert all(d.start.astimezone(STOCKHOLM).day <= 7 for d in dates)
    page = client.get(series.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "första tisdagen varje månad" in page
