"""Editors' journeys in the admin, in a real Chromium: from the second factor to a published interview.

Every click on the page is counted (typing and the file choice are not): the whole editor's journey
stays within 8. axe checks every admin page the journeys visit, in Swedish.
"""

import io
import time
from pathlib import Path

import feedparser
import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from PIL import Image

from interviews.models import Interview
from members.services import member_make_editor
from tests.factories import (
    STAFF_TOTP_SECRET,
    EditorFactory,
    InterviewFactory,
    MemberFactory,
    QuestionFactory,
    editors_group,
)
from tests.helpers.docx import CORPUS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"
PAIRS = [
    ("Vad gör du om dagarna?", "Jag hjälper kommuner att skriva *begripligt*."),
    ("Vad är svårast?", "Att våga stryka.\n\n- ord\n- meningar"),
    ("Vad vill du säga till nya medlemmar?", "Välkomna, och fråga mycket!"),
]
SEED = Path(__file__).resolve().parents[2] / "interviews" / "demo_data" / "adrian-solitander.txt"


@pytest.fixture
def portrait_file(tmp_path):
    path = tmp_path / "portratt.png"
    image = Image.new("RGB", (640, 640), (90, 40, 150))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


class Clicks:
    """Clicks the editor makes, counted."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def __call__(self, locator):
        """Click, and wait for the page it leads to (every click counted here goes to a new page)."""
        self.count += 1
        with self.page.expect_navigation():
            locator.click()


@pytest.fixture
def clean_page(axe_violations):
    """Assert that axe finds nothing on the page; collects the pages checked."""
    checked = []

    def check(page, name):
        violations = axe_violations(page)
        assert violations == [], f"{name}: {violations}"
        checked.append(name)

    check.checked = checked
    return check


def sign_in_with_second_factor(page, live_server, editor, click, clean_page):
    page.goto(live_server.url + reverse("admin:index"))
    assert reverse("account_login") in page.url  # the admin signs in through allauth
    clean_page(page, "sign in")
    page.locator("input[name=login]").fill(editor.email)
    page.locator("input[name=password]").fill(PASSWORD)
    click(page.get_by_role("button", name="Logga in"))
    assert reverse("mfa_authenticate") in page.url
    assert "En kod gäller i 30 sekunder" in page.locator("main").inner_text()
    clean_page(page, "second factor")
    page.locator("input[name=code]").fill(
        format_hotp_value(hotp_value(STAFF_TOTP_SECRET, int(time.time()) // 30))
    )
    click(page.get_by_role("button", name="Logga in"))
    assert page.url == live_server.url + reverse("admin:index")
    clean_page(page, "admin index")


def test_editor_signs_in_writes_previews_publishes_and_finds_it_on_the_site_and_in_the_feed(
    language_page, browser, live_server, portrait_file, clean_page
):
    editor = EditorFactory(name="Redaktör Exempel")
    assert not editor.is_superuser
    page = language_page("sv")
    click = Clicks(page)
    sign_in_with_second_factor(page, live_server, editor, click, clean_page)

    # From the admin's start page straight to a new interview.
    click(page.locator("#content-main").get_by_role("link", name="Lägg till").nth(1))
    assert page.url.endswith(reverse("admin:interviews_interview_add"))
    clean_page(page, "add interview")
    page.locator("#id_title").press_sequentially("Samtal om klarspråk")
    assert page.locator("#id_slug").input_value() == "samtal-om-klarsprak"  # prepopulated from the title
    page.fill("#id_interviewee_name", "Kim Exempel")
    page.fill("#id_interviewee_description", "klarspråksexpert i en påhittad kommun")
    # Topics by autocomplete: a new one typed and confirmed with Enter, with the keyboard only.
    page.locator("#id_tags").locator("xpath=following-sibling::span[1]").locator("input").focus()
    page.keyboard.type("klarspråk")
    page.locator(".select2-results__option--highlighted", has_text="klarspråk").wait_for()
    page.keyboard.press("Enter")
    assert page.locator(".select2-selection__choice", has_text="klarspråk").count() == 1
    page.fill("#id_introduction", "Vi pratade med **Kim** om begripliga brev.")
    page.set_input_files("#id_portrait", str(portrait_file))
    page.fill("#id_portrait_alt", "Kim Exempel framför en bokhylla")
    # One question is ready to fill in; no order to type: they are numbered as they stand. "Lägg till
    # fråga" saves and comes back with one more (no empty row is always there).
    assert page.locator("#id_questions-0-order").count() == 0
    assert page.locator("#id_questions-1-question").count() == 0
    page.fill("#id_questions-0-question", PAIRS[0][0])
    page.fill("#id_questions-0-answer", PAIRS[0][1])
    click(page.get_by_role("button", name="Lägg till fråga"))
    page.fill("#id_questions-1-question", PAIRS[1][0])
    page.fill("#id_questions-1-answer", PAIRS[1][1])

    # Preview: saved as a draft, said so, and shown exactly as on the site, to editors only.
    click(page.get_by_role("button", name="Spara och förhandsgranska").first)
    interview = Interview.objects.get()
    assert interview.status == "draft"
    assert interview.author == editor
    assert sorted(interview.tags.names()) == ["klarspråk"]
    # (The browser keeps the "#questions-new" the form was opened at across the redirect.)
    assert page.url.split("#")[0] == live_server.url + interview.get_absolute_url()
    assert page.locator("h1").inner_text() == "Samtal om klarspråk"
    assert "Sparat." in page.locator(".messages").inner_text()
    assert "Förhandsvisning" in page.locator("main").inner_text()
    assert page.locator("article h2").all_inner_texts()[:2] == [q for q, _ in PAIRS[:2]]
    clean_page(page, "preview")
    # Reloaded, the page still carries the ways back and on.
    page.reload()
    bar = page.locator(".editor-bar")
    assert bar.get_by_role("link", name="Redigera").count() == 1
    assert bar.get_by_role("button", name="Publicera").count() == 1
    assert bar.get_by_role("button", name="Schemalägg").count() == 1
    assert page.locator('img[alt="Kim Exempel framför en bokhylla"]').count() >= 1
    anonymous = browser.new_context(locale="sv-SE")
    visitor = anonymous.new_page()
    assert visitor.goto(page.url).status == 404

    # Back to the form, and publish now from the control at the top: no time to pick.
    click(bar.get_by_role("link", name="Redigera"))
    clean_page(page, "change interview")
    assert list(interview.questions.values_list("order", flat=True)) == [1, 2]
    assert "LIX" in page.locator(".field-readability").inner_text()
    assert page.locator("#publication-top").inner_text().startswith("Publicering: Utkast")
    click(page.locator("#publication-top").get_by_role("button", name="Publicera nu"))
    assert page.url.endswith(reverse("admin:interviews_interview_changelist"))
    assert "”Samtal om klarspråk” är publicerad." in page.locator(".messagelist").inner_text()
    assert "Publicerad" in page.locator("#result_list").inner_text()
    clean_page(page, "interview list")

    # On the site, at the address the editor is using, and in the feed.
    click(page.locator(".messagelist").get_by_role("link", name="Visa på webbplatsen"))
    assert page.url == live_server.url + interview.get_absolute_url()
    assert visitor.goto(page.url).status == 200
    assert "Förhandsvisning" not in visitor.locator("main").inner_text()
    visitor.goto(f"{live_server.url}/intervjuer/")
    assert visitor.get_by_role("link", name="Samtal om klarspråk").count() == 1
    feed = feedparser.parse(anonymous.request.get(f"{live_server.url}/intervjuer/rss/").body())
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Samtal om klarspråk"]
    anonymous.close()

    assert click.count <= 8, click.count
    assert clean_page.checked == [
        "sign in",
        "second factor",
        "admin index",
        "add interview",
        "preview",
        "change interview",
        "interview list",
    ]


def test_editor_imports_the_seed_text_from_a_file_reviews_and_publishes(
    language_page, sign_in, live_server, clean_page
):
    editor = EditorFactory()
    sign_in(editor)
    page = language_page("sv")
    click = Clicks(page)
    page.goto(live_server.url + reverse("admin:interviews_interview_changelist"))
    click(page.get_by_role("link", name="Importera från text"))
    clean_page(page, "import")
    page.fill("#id_interviewee_name", "Adrian Solitander")  # a text file has no headline to read it from
    page.set_input_files("#id_file", str(SEED))
    click(page.get_by_role("button", name="Granska texten"))
    review = page.locator(".import-review").inner_text()
    assert "4 frågor" in review
    assert page.locator(".import-question").count() == 4
    assert not Interview.objects.exists()
    clean_page(page, "import review")
    click(page.get_by_role("button", name="Skapa utkast"))
    interview = Interview.objects.get()
    assert interview.questions.count() == 4
    assert "Ett utkast med 4 frågor skapades." in page.locator(".messagelist").inner_text()
    clean_page(page, "imported draft")
    click(page.get_by_role("button", name="Publicera nu").first)
    interview.refresh_from_db()
    assert Interview.objects.published().filter(pk=interview.pk).exists()
    assert click.count == 4


def test_editor_reorders_questions_with_the_keyboard(language_page, sign_in, live_server, clean_page):
    editor = EditorFactory()
    interview = InterviewFactory(status="draft", published_at=None)
    for n, text in enumerate(["Första?", "Andra?", "Tredje?"], start=1):
        QuestionFactory(interview=interview, order=n, question=text)
    sign_in(editor)
    page = language_page("sv")
    page.goto(live_server.url + reverse("admin:interviews_interview_change", args=[interview.pk]))
    button = page.get_by_role("button", name="Flytta fråga 3 uppåt")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert list(interview.questions.values_list("question", flat=True)) == ["Första?", "Tredje?", "Andra?"]
    assert page.locator("#id_questions-1-question").input_value() == "Tredje?"
    clean_page(page, "change interview after a move")


def test_new_editor_is_led_from_sign_in_through_totp_setup_to_a_published_interview(
    language_page, live_server, clean_page
):
    editors_group()  # as the data migrations made it (a transactional test starts from empty tables)
    member = MemberFactory(name="Ny Redaktör")
    member_make_editor(member=member)  # as the member admin's action does; the mail is tested apart
    page = language_page("sv")
    click = Clicks(page)
    page.goto(live_server.url + reverse("admin:index"))
    page.locator("input[name=login]").fill(member.email)
    page.locator("input[name=password]").fill(PASSWORD)
    click(page.get_by_role("button", name="Logga in"))
    # First visit: straight on to setting up the authenticator app; the sign-in a moment ago counts, so
    # no second password prompt.
    assert page.url.endswith(reverse("mfa_activate_totp"))
    main = page.locator("main").inner_text()
    assert "Personal ställer in tvåstegsverifiering innan de använder administrationen." in main
    assert "En kod gäller i 30 sekunder" in main
    clean_page(page, "set up authenticator app")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    click(page.get_by_role("button", name="Aktivera"))
    # Set up: the recovery codes, shown once, with a download; then on into the admin.
    assert page.url.endswith(reverse("mfa_view_recovery_codes"))
    codes = page.locator("#recovery_codes li").all_inner_texts()
    assert len(codes) == 10 and all(code.strip().isdigit() for code in codes)
    clean_page(page, "recovery codes")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner koderna").click()
    saved = Path(download_info.value.path()).read_text(encoding="utf-8").split()
    assert saved == [code.strip() for code in codes]
    click(page.get_by_role("link", name="Jag har sparat koderna: fortsätt"))
    assert page.url == live_server.url + reverse("admin:index")
    assert "Tvåstegsverifieringen är på." in page.locator(".messagelist").inner_text()
    clean_page(page, "admin index after setup")

    click(page.locator("#content-main").get_by_role("link", name="Lägg till").nth(1))
    page.fill("#id_title", "Första intervjun")
    page.fill("#id_slug", "forsta-intervjun")
    page.fill("#id_interviewee_name", "Kim Exempel")
    page.fill("#id_questions-0-question", "Hur var det?")
    page.fill("#id_questions-0-answer", "Bra.")
    click(page.get_by_role("button", name="Publicera nu").first)
    interview = Interview.objects.get()
    assert Interview.objects.published().filter(pk=interview.pk).exists()
    assert interview.author == member


def test_editor_with_the_second_factor_imports_each_corpus_document_and_publishes_in_six_clicks(
    language_page, live_server, clean_page, tmp_path
):
    """Each Word document of the corpus, imported as it is (nothing corrected) and published.

    Counted per document from the interview list: the import link, the file choice, "Granska texten",
    "Skapa utkast", "Publicera nu" (5; at most 6).
    """
    editor = EditorFactory(name="Redaktör Exempel")
    page = language_page("sv")
    sign_in_with_second_factor(page, live_server, editor, Clicks(page), clean_page)
    changelist = live_server.url + reverse("admin:interviews_interview_changelist")
    for name, (build, expected) in CORPUS.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(build())
        page.goto(changelist)
        click = Clicks(page)
        click(page.get_by_role("link", name="Importera från text"))
        click.count += 1  # choosing the file is a click too
        page.set_input_files("#id_file", str(path))
        click(page.get_by_role("button", name="Granska texten"))
        review = page.locator(".import-review").inner_text()
        assert f"{len(expected['pairs'])} frågor" in review, name
        # Nothing corrected: the name and the headline come from the document.
        assert page.locator("#id_interviewee_name").input_value() == expected["name"], name
        assert page.locator("#id_title").input_value() == expected["title"], name
        if name == "table-and-image":
            assert "3 bilder togs inte med." in review
            clean_page(page, "import review with what was left out")
        click(page.get_by_role("button", name="Skapa utkast"))
        click(page.locator("#publication-top").get_by_role("button", name="Publicera nu"))
        interview = Interview.objects.get(title=expected["title"])
        assert Interview.objects.published().filter(pk=interview.pk).exists(), name
        assert interview.interviewee_name == expected["name"]
        assert interview.introduction == expected["introduction"]
        assert [(q.question, q.answer) for q in interview.questions.all()] == expected["pairs"], name
        assert interview.closing_text == expected["closing"]
        assert click.count <= 6, (name, click.count)
    assert Interview.objects.published().count() == len(CORPUS) >= 10
