"""Long words that members and editors type (a venue of one 166-letter compound, an address that is
one long e-mail address, a name or a bio of one word) wrap on a phone: no page is wider than the
screen at 320 and 375 px, and the RSVP box stays on it."""

import pytest

from members.services import member_profile_update
from tests.factories import EventFactory, InterviewFactory, MemberFactory
from tests.helpers.browser import new_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

WORD = "Landstingsfullmäktigesammanträdeslokalen"
VENUE = (WORD * 5)[:166]
ADDRESS = "c/o kulturforvaltningen.registrator@kommun.se, Stadshusgatan 1"
LONG = "Kulturförvaltningsregistratorsarbetsgruppsmötesprotokollsjusteringsförfarande" * 3


def _pages():
    host = MemberFactory(name=LONG[:150], is_public=True)
    member_profile_update(
        member=host,
        name=LONG[:150],
        bio=f"Jag arbetar med {LONG} och {ADDRESS}.",
        interests=[LONG[:100]],
        work_description=LONG[:200],
        show_work=True,
        is_public=True,
    )
    event = EventFactory(
        title=f"Frukost om {LONG[:150]}",
        summary=f"Vi ses i {VENUE}.",
        description=f"Välkommen till {VENUE}, {ADDRESS}.",
        venue_name=VENUE,
        address=ADDRESS,
        city=LONG[:100],
    )
    event.organisers.add(host)
    event.tags.add(LONG[:100])
    interview = InterviewFactory(
        title=f"Samtal om {LONG[:150]}",
        introduction=f"{LONG} {ADDRESS}",
        interviewee_name=LONG[:150],
        interviewee_description=LONG[:200],
    )
    return {
        "event": event.get_absolute_url(),
        "events": "/evenemang/",
        "profile": host.get_absolute_url(),
        "directory": "/medlemmar/",
        "interview": interview.get_absolute_url(),
        "topic": "/amnen/",
    }


def _overflow(page) -> str:
    """What sticks out of the screen, for the message: the page's width and the widest element."""
    return page.evaluate(
        """() => {
            const width = innerWidth;
            let widest = null;
            for (const el of document.querySelectorAll('body *')) {
                const right = el.getBoundingClientRect().right;
                if (right > width + 0.5 && (!widest || right > widest[1])) {
                    widest = [el.outerHTML.slice(0, 120), right];
                }
            }
            return `scrollWidth ${document.documentElement.scrollWidth} at ${width}: ${widest && widest[0]}`;
        }"""
    )


@pytest.mark.parametrize("width", [320, 375])
def test_long_words_never_widen_a_page_on_a_phone(browser, live_server, width):
    paths = _pages()
    page = new_page(browser, live_server, language="sv", size=(width, 700))
    for name, path in paths.items():
        page.goto(live_server.url + path)
        fits = page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert fits, f"{name}: {_overflow(page)}"
        if name == "event":
            assert page.get_by_text(VENUE[:30]).first.is_visible()
            box = page.locator("#anmalan").bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    page.context.close()
