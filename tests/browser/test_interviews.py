"""An editor who is not a superuser writes, previews and publishes an interview in the admin."""

import io
from urllib.parse import urlsplit

import feedparser
import pytest
from django.contrib.sites.models import Site
from PIL import Image

from interviews.models import Interview
from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db(transaction=True)

PAIRS = [
    ("Vad gör du om dagarna?", "Jag hjälper kommuner att skriva *begripligt*."),
    ("Vad är svårast?", "Att våga stryka.\n\n- ord\n- meningar"),
    ("Vad vill du säga till nya medlemmar?", "Välkomna, och fråga mycket!"),
]


@pytest.fixture
def portrait_file(tmp_path):
    path = tmp_path / "portratt.png"
    image = Image.new("RGB", (640, 640), (90, 40, 150))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_editor_creates_previews_and_publishes_an_interview(
    language_page, browser, sign_in, live_server, portrait_file
):
    # "View on site" goes through the Site's domain, as in production.
    Site.objects.update_or_create(pk=1, defaults={"domain": urlsplit(live_server.url).netloc})
    editor = EditorFactory(name="Redaktör Exempel")
    assert not editor.is_superuser
    sign_in(editor)
    page = language_page("sv")

    page.goto(f"{live_server.url}/admin/interviews/interview/add/")
    page.locator("#id_title").press_sequentially("Samtal om klarspråk")
    assert page.locator("#id_slug").input_value() == "samtal-om-klarsprak"  # prepopulated from the title
    page.fill("#id_interviewee_name", "Kim Exempel")
    page.fill("#id_interviewee_description", "klarspråksexpert i en påhittad kommun")
    page.fill("#id_tags", "klarspråk, tjänstedesign")
    page.fill("#id_introduction", "Vi pratade med **Kim** om begripliga brev.")
    page.set_input_files("#id_portrait", str(portrait_file))
    page.fill("#id_portrait_alt", "Kim Exempel framför en bokhylla")
    add_row = page.locator(".add-row a")
    add_row.click()
    add_row.click()
    for n, (question, answer) in enumerate(PAIRS):
        page.fill(f"#id_questions-{n}-order", str(n + 1))
        page.fill(f"#id_questions-{n}-question", question)
        page.fill(f"#id_questions-{n}-answer", answer)
    page.click("input[name=_continue]")

    interview = Interview.objects.get()
    assert interview.status == "draft"
    assert interview.author == editor
    assert [q.question for q in interview.questions.all()] == [q for q, _ in PAIRS]
    assert (
        "ord, " in page.locator(".field-readability").inner_text()
    )  # "LIX 37.3: lättläst ... (22 ord, ...)"
    assert page.locator('.field-portrait_preview img[alt="Kim Exempel framför en bokhylla"]').count() == 1

    # The preview of the draft, through the admin's "view on site".
    page.click("a.viewsitelink")
    assert page.locator("h1").inner_text() == "Samtal om klarspråk"
    assert "Förhandsvisning" in page.locator("main").inner_text()
    assert page.locator("h2").all_inner_texts()[:3] == [q for q, _ in PAIRS]
    detail_url = page.url

    anonymous = browser.new_context(locale="sv-SE")
    visitor = anonymous.new_page()
    assert visitor.goto(detail_url).status == 404

    # Publish with the admin action.
    page.goto(f"{live_server.url}/admin/interviews/interview/")
    page.check(f'input[name=_selected_action][value="{interview.pk}"]')
    page.select_option("select[name=action]", "publish_now")
    page.click("button[name=index]")
    assert "1 intervju publicerad." in page.locator(".messagelist").inner_text()

    assert visitor.goto(detail_url).status == 200
    assert "Förhandsvisning" not in visitor.locator("main").inner_text()
    assert visitor.locator('img[alt="Kim Exempel framför en bokhylla"]').count() == 1
    visitor.goto(f"{live_server.url}/intervjuer/")
    visitor.get_by_role("link", name="Samtal om klarspråk").click()
    assert visitor.url == detail_url

    feed = feedparser.parse(anonymous.request.get(f"{live_server.url}/intervjuer/rss/").body())
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Samtal om klarspråk"]
    anonymous.close()
