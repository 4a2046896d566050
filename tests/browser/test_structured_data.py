"""The event page's JSON-LD block under the strict content security policy, in Chromium: the data block
is not executed, so the page logs no CSP violation; an inline script on the same page would be (the
control that shows the listener hears violations)."""

import json

import pytest

from events.models import Event
from tests.factories import EventFactory, InterviewFactory

pytestmark = pytest.mark.django_db(transaction=True)

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""


def _open(browser, live_server, event, *, url=None):
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    response = page.goto(live_server.url + (url or event.get_absolute_url()))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    return page, console


@pytest.mark.parametrize("status", [Event.Status.PUBLISHED, Event.Status.CANCELLED])
def test_json_ld_block_raises_no_csp_violation(browser, live_server, status):
    event = EventFactory(title="Möte </script><script>alert(1)</script>", capacity=10, status=status)
    page, console = _open(browser, live_server, event)

    block = page.locator('script[type="application/ld+json"]')
    assert block.count() == 1
    assert json.loads(block.text_content())["name"] == event.title
    page.wait_for_timeout(200)
    assert page.evaluate("window.__violations") == []
    assert not [text for text in console if "Content Security Policy" in text]

    # Control: an inline script on the same page is refused and heard.
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.head.append(script);
    }""")
    page.wait_for_function("window.__violations.length > 0")
    assert "script-src-elem" in page.evaluate("window.__violations")
    assert page.evaluate("window.__ran") is None
    page.context.close()


def test_interview_article_json_ld_raises_no_csp_violation(browser, live_server):
    interview = InterviewFactory(title="Samtal </script><script>alert(1)</script>")
    page, console = _open(browser, live_server, None, url=interview.get_absolute_url())

    block = page.locator('script[type="application/ld+json"]')
    assert block.count() == 1
    data = json.loads(block.text_content())
    assert (data["@type"], data["headline"]) == ("Article", interview.title)
    page.wait_for_timeout(200)
    assert page.evaluate("window.__violations") == []
    assert not [text for text in console if "Content Security Policy" in text]
    page.context.close()


def test_favicon_ico_reaches_the_icon_in_a_browser(browser, live_server):
    context = browser.new_context()
    page = context.new_page()

    response = page.goto(live_server.url + "/favicon.ico")

    assert response.status == 200
    assert response.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert response.body()[:4] == b"\x00\x00\x01\x00"
    context.close()
