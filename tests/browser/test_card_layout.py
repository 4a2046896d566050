"""Cards and the RSVP box as a person sees them at 1280 and 375 px, in both languages: text keeps room
inside a card's edge, the opened RSVP details keep the button on the first screen, and a review card's
when and where read as one line of text."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import EventFactory, MemberFactory, organisers_group
from tests.helpers.browser import new_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

SIZES = [(1280, 800), (375, 800)]
LANGUAGES = ["sv", "en"]


def inset(page, card_selector: str, text_selector: str) -> list[float]:
    """How far (px) the text starts inside each card's left edge."""
    return page.eval_on_selector_all(
        card_selector,
        f"""cards => cards.map(card => {{
            const text = card.querySelector({text_selector!r});
            return text.getBoundingClientRect().left - card.getBoundingClientRect().left;
        }})""",
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_search_and_topic_cards_keep_their_text_off_the_edge(browser, live_server, language, size):
    event = EventFactory(title="Öppna data i praktiken", summary="Vi delar data mellan myndigheter.")
    event.tags.add("öppna data")
    member = MemberFactory(name="Erik Datason", bio="Gillar öppna data.", is_public=True)
    member.interests.add("öppna data")
    page = new_page(browser, live_server, language=language, size=size)
    page.goto(live_server.url + reverse("search") + "?q=data")
    search = inset(page, ".search-results > .card", "h3 a")
    assert len(search) == 2
    assert min(search) >= 12, search
    page.goto(live_server.url + reverse("topic-detail", args=["öppna-data"]))
    topic = inset(page, ".card-list > .card", "h3 a, h2 a")
    assert len(topic) == 2
    assert min(topic) >= 12, topic
    page.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_opening_needs_and_visibility_keeps_the_rsvp_button_in_view(browser, live_server, language):
    # The demo's meetup: a host named under the title, places counted, a map link.
    event = EventFactory(title="Meetup i Göteborg: tjänstedesign på riktigt", capacity=40)
    event.organisers.add(MemberFactory(name="Alva Arrangör", is_public=True))
    page = new_page(browser, live_server, language=language, size=(1280, 800), member=MemberFactory())
    page.goto(live_server.url + event.get_absolute_url())
    page.locator(".rsvp-more summary").click()
    button = page.locator(".rsvp-form button[type=submit]").first.bounding_box()
    assert button["y"] + button["height"] <= 800, button
    page.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_review_card_when_and_where_read_as_one_line_of_text(browser, live_server, language, size):
    reviewer = MemberFactory()
    reviewer.groups.add(organisers_group())
    start = timezone.now() + timedelta(days=20)
    EventFactory(
        title="Frukost om klarspråk",
        status="pending",
        proposed_by=MemberFactory(),
        start=start,
        end=start + timedelta(hours=2),
        city="Sundsvall",
    )
    page = new_page(browser, live_server, language=language, size=size, member=reviewer)
    page.goto(live_server.url + reverse("events:review-list"))
    # The words after the date continue on the line where the date ends, as text does: the badge row's
    # flex layout set them beside the date as a second, ragged column.
    tops = page.eval_on_selector(
        ".review-when",
        """p => {
            const time = p.querySelector('time');
            const timeRects = time.getClientRects();
            const after = document.createRange();
            after.setStartAfter(time);
            after.setEnd(p, p.childNodes.length);
            return [timeRects[timeRects.length - 1].top, after.getClientRects()[0].top];
        }""",
    )
    time_last_line, text_first_line = tops
    assert text_first_line >= time_last_line - 2, tops
    page.context.close()
