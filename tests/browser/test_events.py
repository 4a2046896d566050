"""A member finds a meetup, RSVPs, sees it under Mina evenemang, downloads it for a calendar, cancels."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from events.models import Event, Rsvp
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_rsvps_to_a_meetup_and_cancels(language_page, sign_in, live_server):
    EventFactory(title="Frukostmöte om data", kind=Event.Kind.BREAKFAST, city="Malmö")
    meetup = EventFactory(
        title="Meetup om tjänstedesign", kind=Event.Kind.MEETUP, city="Göteborg", capacity=20
    )
    member = MemberFactory(name="Maja Medlem")
    sign_in(member)
    page = language_page("sv")

    page.goto(live_server.url + reverse("events:event-list"))
    page.get_by_label("Typ").select_option("meetup")
    page.get_by_role("button", name="Visa evenemang").click()
    assert page.get_by_role("link", name="Frukostmöte om data").count() == 0
    page.get_by_role("link", name="Meetup om tjänstedesign").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Meetup om tjänstedesign"

    page.get_by_text("Behov och synlighet (valfritt)").click()
    page.get_by_label("Specialkost (valfritt)").fill("Vegetariskt")
    page.get_by_role("button", name="Anmäl dig").click()
    assert page.get_by_text("Du kommer ✓", exact=True).is_visible()
    assert page.get_by_text("19 platser kvar av 20").is_visible()

    page.goto(live_server.url + reverse("events:my-events"))
    going = page.locator("section", has=page.get_by_role("heading", name="Du kommer"))
    assert going.get_by_role("link", name="Meetup om tjänstedesign").is_visible()
    going.get_by_role("link", name="Meetup om tjänstedesign").click()

    page.get_by_text("Lägg till i kalender").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Kalenderfil (.ics) för Apple, Outlook och andra").click()
    download = download_info.value
    assert download.suggested_filename == f"{meetup.slug}.ics"
    with open(download.path(), "rb") as ics:
        component = Calendar.from_ical(ics.read()).walk("VEVENT")[0]
    assert str(component["SUMMARY"]) == "Meetup om tjänstedesign"

    page.locator("#anmalan").get_by_role("link", name="Avanmäl", exact=True).click()
    page.get_by_role("button", name="Ja, avanmäl mig").click()
    assert page.get_by_text("Du är avanmäld.").is_visible()
    assert page.get_by_role("button", name="Anmäl dig").is_visible()
    assert Rsvp.objects.get(event=meetup, member=member).status == Rsvp.Status.CANCELLED
    assert Event.objects.get(pk=meetup.pk).going_count == 0
