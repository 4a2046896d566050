import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from interviews.models import Interview
from tests.factories import InterviewFactory, MemberFactory, QuestionFactory
from tests.helpers.forms import INTERVIEW_ADD, interview_form_data
from tests.helpers.photos import png_upload
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")

CHANGELIST = reverse("admin:interviews_interview_changelist")

XSS_PAYLOADS = [
    "<script>alert('xss')</script>",
    '<img src="x" onerror="alert(1)">',
    "[klicka här](javascript:alert(1))",
    '<a href="javascript:alert(2)">länk</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg onload="alert(3)"><circle r="5"/></svg>',
    '<p onclick="alert(4)">text</p>',
    '<a href="JaVaScRiPt:alert(5)">blandat</a>',
    "<style>body{display:none}</style>",
]


def test_admin_xss_payloads_do_not_reach_the_public_page(admin_client, visitor):
    everything = "\n\n".join(XSS_PAYLOADS)
    data = interview_form_data(
        questions=[("Första <script>alert(9)</script>?", everything), ("Andra?", everything)],
        introduction=everything,
        closing_text=everything,
        _publish="top",
    )
    response = admin_client.post(INTERVIEW_ADD, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    interview = Interview.objects.get()
    assert interview.questions.count() == 2
    html = visitor.get(interview.get_absolute_url()).content.decode()
    # The page's own JSON-LD block is the one script it has; the payloads inside it are escaped.
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    assert len(blocks) == 1 and "<" not in blocks[0]
    lowered = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S).lower()
    for needle in ["<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "<svg", "<style"]:
        assert needle not in lowered, needle
    # Plain-text questions are shown as text, escaped.
    assert "<h2>Första &lt;script&gt;alert(9)&lt;/script&gt;?</h2>" in html
    # What is allowed survives: the paragraph text and the link text.
    assert "klicka här" in html
    assert "blandat" in html


def test_admin_editor_not_superuser_creates_and_publishes(editor_client, editor, visitor):
    assert not editor.is_superuser
    response = editor_client.post(
        INTERVIEW_ADD,
        interview_form_data(questions=[("Vad gör du?", "Jag *bygger*."), ("Varför?", "För att.")]),
    )
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.author == editor
    assert sorted(interview.tags.names()) == ["klarspråk", "tillit"]
    assert [q.question for q in interview.questions.all()] == ["Vad gör du?", "Varför?"]
    assert visitor.get(interview.get_absolute_url()).status_code == 404

    response = editor_client.post(
        CHANGELIST, {"action": "publish_now", "_selected_action": [interview.pk]}, follow=True
    )
    assert "1 intervju publicerad." in response.content.decode()
    html = visitor.get(interview.get_absolute_url()).content.decode()
    assert "<h2>Vad gör du?</h2>" in html
    assert "Jag <em>bygger</em>." in html


def test_admin_publish_now_keeps_the_date_of_interviews_already_public(editor_client):
    old_date = timezone.now() - timedelta(days=30)
    public = InterviewFactory(published_at=old_date)
    scheduled = InterviewFactory(published_at=timezone.now() + timedelta(days=3))
    response = editor_client.post(
        CHANGELIST, {"action": "publish_now", "_selected_action": [public.pk, scheduled.pk]}, follow=True
    )
    assert "1 intervju publicerad." in response.content.decode()
    public.refresh_from_db()
    scheduled.refresh_from_db()
    assert public.published_at == old_date
    assert scheduled.published_at <= timezone.now()
    assert Interview.objects.published().count() == 2


def test_admin_unpublish_action_hides_the_interview(editor_client, visitor):
    interview = InterviewFactory()
    editor_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [interview.pk]})
    interview.refresh_from_db()
    assert interview.status == "draft"
    assert visitor.get(interview.get_absolute_url()).status_code == 404


def test_admin_staff_without_editor_group_cannot_add(client):
    force_login_with_second_factor(client, MemberFactory(is_staff=True))
    assert client.get(INTERVIEW_ADD).status_code == 403
    assert client.post(INTERVIEW_ADD, interview_form_data()).status_code == 403
    assert not Interview.objects.exists()


def test_admin_portrait_upload_is_cleaned_and_previewed(editor_client):
    image = Image.new("RGB", (800, 600), (10, 120, 90))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (59.0, 19.0, 46.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("kim.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = editor_client.post(
        INTERVIEW_ADD, interview_form_data(portrait=upload, portrait_alt="Kim i en park")
    )
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.portrait_alt == "Kim i en park"
    assert not interview.portrait.name.endswith("kim.jpg")  # a random name, not the uploaded one
    with Image.open(interview.portrait.path) as stored:
        assert dict(stored.getexif()) == {}
    with Image.open(interview.portrait_square.path) as square:
        assert square.size == (600, 600)
    change = editor_client.get(reverse("admin:interviews_interview_change", args=[interview.pk]))
    expected = f'<img src="{interview.portrait_thumb.url}" alt="Kim i en park"'
    assert expected in change.content.decode()


def test_admin_portrait_without_alt_text_is_refused_with_a_message(editor_client):
    response = editor_client.post(INTERVIEW_ADD, interview_form_data(portrait=png_upload()))
    assert response.status_code == 200
    assert "Beskriv porträttet med några ord" in response.content.decode()
    assert not Interview.objects.exists()


def test_admin_upload_that_is_not_an_image_is_refused_with_a_message(editor_client):
    fake = SimpleUploadedFile("bild.png", b"<script>alert(1)</script>", content_type="image/png")
    response = editor_client.post(INTERVIEW_ADD, interview_form_data(portrait=fake, portrait_alt="Något"))
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Interview.objects.exists()


def test_admin_status_is_no_field_saving_keeps_a_draft(editor_client, visitor):
    # One control for one state: a status posted as a field (the old select) changes nothing.
    response = editor_client.post(INTERVIEW_ADD, interview_form_data(status="published"))
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.status == "draft"
    assert visitor.get(interview.get_absolute_url()).status_code == 404


def test_admin_publish_button_without_a_time_publishes_now(editor_client, visitor):
    response = editor_client.post(
        INTERVIEW_ADD, interview_form_data(questions=[("Vad?", "Det.")], _publish="Publicera")
    )
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == CHANGELIST
    assert Interview.objects.published().filter(pk=interview.pk).exists()
    page = editor_client.get(CHANGELIST).content.decode()
    assert f"”{interview.title}” är publicerad." in page
    assert f'<a href="{interview.get_absolute_url()}">Visa på webbplatsen</a>' in page
    assert visitor.get(interview.get_absolute_url()).status_code == 200


def test_admin_publish_button_with_a_future_time_schedules(editor_client, visitor):
    editor_client.post(
        INTERVIEW_ADD,
        interview_form_data(schedule_at_bottom="2999-01-05T10:00", _schedule="bottom"),
    )
    interview = Interview.objects.get()
    assert interview.status == "published"
    assert not Interview.objects.published().filter(pk=interview.pk).exists()
    assert visitor.get(interview.get_absolute_url()).status_code == 404
    page = editor_client.get(CHANGELIST).content.decode()
    assert "är schemalagd till 5 januari 2999 10:00." in page
    assert "Schemalagd till 5 januari 2999 10:00" in page  # the list's publication column
    scheduled = editor_client.get(CHANGELIST, {"publication": "scheduled"}).content.decode()
    assert interview.title in scheduled
    assert interview.title not in editor_client.get(CHANGELIST, {"publication": "public"}).content.decode()


def test_admin_change_page_shows_the_lix_readability_hint(editor_client):
    interview = InterviewFactory(
        introduction="Myndigheten skickar beslutet i dag.", closing_text="Du får det på fredag."
    )
    response = editor_client.get(reverse("admin:interviews_interview_change", args=[interview.pk]))
    html = response.content.decode()
    # 10 words, 2 sentences, 3 long: LIX 35.
    assert "<strong>LIX 35 \N{EN DASH} medelsvår</strong>" in html
    assert "10 ord, 2 meningar, 3 långa ord" in html


def test_admin_lix_counts_the_questions_and_answers(editor_client):
    interview = InterviewFactory(introduction="", closing_text="")
    QuestionFactory(interview=interview, question="Hur?", answer="Vi ses på mötet. Ta med en kopp.")
    response = editor_client.get(reverse("admin:interviews_interview_change", args=[interview.pk]))
    html = response.content.decode()
    # 9 words, 3 sentences, no long word: 9/3 = 3.
    assert "<strong>LIX 3 \N{EN DASH} mycket lättläst</strong>" in html
    assert "9 ord, 3 meningar" in html


def test_admin_changelist_shows_status_time_and_tags_and_searches(editor_client):
    InterviewFactory(title="Om tillit", tags=["tillit"], interviewee_name="Kim Exempel")
    InterviewFactory(title="Om data", status="draft", published_at=None)
    html = editor_client.get(CHANGELIST).content.decode()
    assert "Om tillit" in html and "Om data" in html
    assert "Utkast" in html and "Publicerad" in html
    assert ">tillit<" in html
    found = editor_client.get(CHANGELIST, {"q": "Exempel"}).content.decode()
    assert "Om tillit" in found and "Om data" not in found
    drafts = editor_client.get(CHANGELIST, {"publication": "draft"}).content.decode()
    assert "Om data" in drafts and "Om tillit" not in drafts


def test_admin_view_on_site_points_at_the_site_the_editor_uses(editor_client, visitor, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = ["portal.example.org", "testserver"]
    interview = InterviewFactory(title="Ett utkast", status="draft", published_at=None)
    change = reverse("admin:interviews_interview_change", args=[interview.pk])
    html = editor_client.get(change, HTTP_HOST="portal.example.org").content.decode()
    # A path, so the browser stays on the host it is using; never SITE_URL's port 8000.
    assert f'href="{interview.get_absolute_url()}" class="viewsitelink"' in html
    assert "127.0.0.1:8000" not in html
    preview = editor_client.get(interview.get_absolute_url())
    assert preview.status_code == 200
    assert "Förhandsvisning" in preview.content.decode()
    assert visitor.get(interview.get_absolute_url()).status_code == 404


def test_admin_preview_button_says_it_saved_and_the_page_keeps_the_ways_on(editor_client, visitor):
    response = editor_client.post(
        INTERVIEW_ADD,
        interview_form_data(
            questions=[("Vad gör du?", "Jag *bygger*.")], _preview="Spara och förhandsgranska"
        ),
        follow=True,
    )
    interview = Interview.objects.get()
    assert interview.status == "draft"
    assert response.redirect_chain[-1][0] == interview.get_absolute_url()
    html = response.content.decode()
    assert "Sparat. Så här kommer intervjun att se ut på webbplatsen." in html
    assert "<h2>Vad gör du?</h2>" in html
    assert "Jag <em>bygger</em>." in html
    change = reverse("admin:interviews_interview_change", args=[interview.pk])
    publication = reverse("admin:interviews_interview_publication", args=[interview.pk])
    # Reloaded, the page still says what is saved and carries the ways back and on: no one-time message.
    for page in (html, editor_client.get(interview.get_absolute_url()).content.decode()):
        assert '<h2 id="editor-bar-heading" class="editor-bar-state">Utkast</h2>' in page
        assert "Förhandsvisning: intervjun är ett utkast. Bara redaktörer kan se den." in page
        assert "Sparat " in page and "det du ser här är det som är sparat." in page
        assert f'<a class="button-link button-secondary" href="{change}">Redigera</a>' in page
        assert f'action="{publication}"' in page
        assert '<button type="submit" name="_publish">Publicera</button>' in page
        assert ">Schemalägg</button>" in page
    assert visitor.get(interview.get_absolute_url()).status_code == 404
    assert "editor-bar" not in visitor.get("/").content.decode()


def test_preview_bar_publishes_and_then_offers_to_unpublish(editor_client, visitor, commit):
    interview = InterviewFactory(status="draft", published_at=None)
    publication = reverse("admin:interviews_interview_publication", args=[interview.pk])
    response = editor_client.post(publication, {"_publish": ""}, follow=True)
    assert response.redirect_chain[-1][0] == interview.get_absolute_url()
    assert visitor.get(interview.get_absolute_url()).status_code == 200
    html = response.content.decode()
    assert f"”{interview.title}” är publicerad." in html
    assert "Alla kan läsa den här intervjun." in html
    assert '<button type="submit" name="_unpublish" class="button-secondary">Avpublicera</button>' in html
    with commit():
        editor_client.post(publication, {"_unpublish": ""})
    assert visitor.get(interview.get_absolute_url()).status_code == 404


def test_preview_bar_schedules_at_a_future_time_and_refuses_a_past_one(editor_client, visitor):
    interview = InterviewFactory(status="draft", published_at=None)
    publication = reverse("admin:interviews_interview_publication", args=[interview.pk])
    response = editor_client.post(
        publication, {"_schedule": "", "schedule_at": "2000-01-01T10:00"}, follow=True
    )
    assert "Välj en tid i framtiden, eller publicera nu." in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == "draft"
    response = editor_client.post(
        publication, {"_schedule": "", "schedule_at": "2999-01-05T10:00"}, follow=True
    )
    interview.refresh_from_db()
    assert interview.status == "published"
    assert "Schemalagd till 5 januari 2999 10.00" in response.content.decode()
    assert visitor.get(interview.get_absolute_url()).status_code == 404


def test_preview_bar_is_for_editors_only(client):
    interview = InterviewFactory(status="draft", published_at=None)
    publication = reverse("admin:interviews_interview_publication", args=[interview.pk])
    client.force_login(MemberFactory())
    response = client.post(publication, {"_publish": ""})
    assert response.status_code == 302 and "/admin/login/" in response.headers["Location"]
    assert not Interview.objects.published().exists()
    public = InterviewFactory()
    assert "editor-bar" not in client.get(public.get_absolute_url()).content.decode()


def _change(interview) -> str:
    return reverse("admin:interviews_interview_change", args=[interview.pk])


def test_admin_one_publishing_control_at_the_top_and_the_bottom(editor_client):
    interview = InterviewFactory(status="draft", published_at=None)
    html = editor_client.get(_change(interview)).content.decode()
    assert html.count('<div class="publication" id="publication-') == 2
    assert html.count("Publicering: <strong>Utkast</strong>") == 2
    assert html.count(">Publicera nu</button>") == 2
    assert html.count(">Schemalägg</button>") == 2
    assert 'name="status"' not in html and 'name="published_at_0"' not in html
    # The control at the top comes before the first field of the form.
    assert (
        html.index('id="publication-top"')
        < html.index('name="title"')
        < html.index('id="publication-bottom"')
    )
    assert "Avpublicera" not in html  # a draft has nothing to take down


def test_admin_publishing_control_states_in_words(editor_client):
    public = InterviewFactory(published_at=datetime(2025, 12, 3, 10, 15, tzinfo=STOCKHOLM))
    html = editor_client.get(_change(public)).content.decode()
    assert "Publicering: <strong>Publicerad 3 december 2025 10.15</strong>" in html
    assert html.count('name="_unpublish"') == 2
    assert "Publicera nu" not in html
    scheduled = InterviewFactory(published_at=datetime(2999, 1, 5, 10, 0, tzinfo=STOCKHOLM))
    html = editor_client.get(_change(scheduled)).content.decode()
    assert "Publicering: <strong>Schemalagd till 5 januari 2999 10.00</strong>" in html
    assert 'value="2999-01-05T10:00"' in html


def test_admin_unpublish_on_the_change_page_of_a_published_interview(editor_client, visitor, commit):
    interview = InterviewFactory(title="Ett samtal om tillit", slug="ett-samtal-om-tillit")
    assert visitor.get(interview.get_absolute_url()).status_code == 200
    data = interview_form_data(_unpublish="top")
    with commit():
        response = editor_client.post(_change(interview), data, follow=True)
    assert response.redirect_chain[-1][0] == _change(interview)
    assert "”Ett samtal om tillit” är avpublicerad: den är ett utkast igen." in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == "draft" and interview.published_at is None
    assert visitor.get(interview.get_absolute_url()).status_code == 404


def test_admin_schedule_needs_a_future_time_from_its_own_control(editor_client):
    response = editor_client.post(
        INTERVIEW_ADD, interview_form_data(schedule_at_bottom="2000-01-01T10:00", _schedule="bottom")
    )
    assert response.status_code == 200
    assert "Välj en tid i framtiden, eller publicera nu." in response.content.decode()
    # The time typed in the top control counts only for the top button.
    response = editor_client.post(
        INTERVIEW_ADD, interview_form_data(schedule_at_top="2999-01-05T10:00", _schedule="bottom")
    )
    assert "Välj tiden då intervjun blir offentlig." in response.content.decode()
    assert not Interview.objects.exists()


def test_admin_questions_are_numbered_by_position_without_an_order_field(editor_client):
    response = editor_client.get(INTERVIEW_ADD)
    html = response.content.decode()
    assert "questions-0-order" not in html
    assert "Fråga #1" in html and "Fråga #2" not in html
    pairs = [("Första?", "Ett."), ("Andra?", "Två."), ("Tredje?", "Tre.")]
    data = interview_form_data(questions=pairs)
    for n in range(3):
        del data[f"questions-{n}-order"]
    editor_client.post(INTERVIEW_ADD, data)
    interview = Interview.objects.get()
    assert list(interview.questions.values_list("order", "question")) == [
        (1, "Första?"),
        (2, "Andra?"),
        (3, "Tredje?"),
    ]


def change_data(interview) -> dict:
    """The change form as the browser would send it back, unchanged."""
    questions = list(interview.questions.all())
    data = interview_form_data(
        title=interview.title,
        slug=interview.slug,
        status=interview.status,
        interviewee_name=interview.interviewee_name,
        **{"questions-TOTAL_FORMS": str(len(questions)), "questions-INITIAL_FORMS": str(len(questions))},
    )
    for n, question in enumerate(questions):
        data[f"questions-{n}-id"] = str(question.pk)
        data[f"questions-{n}-interview"] = str(interview.pk)
        data[f"questions-{n}-question"] = question.question
        data[f"questions-{n}-answer"] = question.answer
    return data


def test_admin_move_buttons_reorder_questions_without_javascript(editor_client):
    interview = InterviewFactory(status="draft", published_at=None)
    for n, text in enumerate(["A?", "B?", "C?"], start=1):
        QuestionFactory(interview=interview, order=n, question=text)
    change = reverse("admin:interviews_interview_change", args=[interview.pk])
    html = editor_client.get(change).content.decode()
    assert 'name="_move" value="questions-2-up">Flytta fråga 3 uppåt</button>' in html
    assert 'value="questions-0-up"' not in html and 'value="questions-2-down"' not in html

    response = editor_client.post(change, {**change_data(interview), "_move": "questions-2-up"})
    assert response.status_code == 302
    assert response.headers["Location"] == change + "#questions-group"
    assert list(interview.questions.values_list("question", flat=True)) == ["A?", "C?", "B?"]
    editor_client.post(change, {**change_data(interview), "_move": "questions-0-down"})
    assert list(interview.questions.values_list("question", flat=True)) == ["C?", "A?", "B?"]
    assert list(interview.questions.values_list("order", flat=True)) == [1, 2, 3]


@pytest.mark.parametrize("move", ["questions-0-up", "questions-9-down", "nonsense", "questions-x-up"])
def test_admin_move_at_the_edge_or_malformed_changes_no_order(editor_client, move):
    interview = InterviewFactory(status="draft", published_at=None)
    for n, text in enumerate(["A?", "B?"], start=1):
        QuestionFactory(interview=interview, order=n, question=text)
    change = reverse("admin:interviews_interview_change", args=[interview.pk])
    response = editor_client.post(change, {**change_data(interview), "_move": move})
    assert response.status_code == 302
    assert list(interview.questions.values_list("question", flat=True)) == ["A?", "B?"]


def test_admin_tags_by_autocomplete_take_existing_and_new_topics(editor_client):
    InterviewFactory(tags=["Klarspråk"])
    editor_client.post(INTERVIEW_ADD, interview_form_data(slug="ny", tags=["klarspråk", "Ny tanke"]))
    interview = Interview.objects.get(slug="ny")
    assert sorted(interview.tags.names()) == ["Klarspråk", "Ny tanke"]  # one topic whatever the case
    found = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "klar", "app_label": "interviews", "model_name": "interview", "field_name": "tags"},
    ).json()
    assert found["results"] == [{"id": "Klarspråk", "text": "Klarspråk"}]
    change = reverse("admin:interviews_interview_change", args=[interview.pk])
    html = editor_client.get(change).content.decode()
    assert '<option value="Ny tanke" selected>Ny tanke</option>' in html
    assert 'data-tags="true"' in html


def test_admin_tag_too_long_is_refused_with_a_message(editor_client):
    response = editor_client.post(INTERVIEW_ADD, interview_form_data(tags=["x" * 101]))
    assert response.status_code == 200
    assert "är för långt för ett ämne: högst 100 tecken" in response.content.decode()
    assert not Interview.objects.exists()


def test_admin_members_by_autocomplete_show_names_only_to_editors(editor_client, client):
    MemberFactory(name="Kim Exempel", email="kim.hemlig@example.org")
    query = {"app_label": "interviews", "model_name": "interview", "field_name": "interviewee_member"}
    # A term no generated name holds (the editor's own name is random).
    found = editor_client.get(reverse("admin:autocomplete"), {**query, "term": "exempel"}).json()
    assert [r["text"] for r in found["results"]] == ["Kim Exempel"]
    # Searching by address finds nothing: editors see names, never addresses.
    by_address = editor_client.get(reverse("admin:autocomplete"), {**query, "term": "hemlig"})
    assert by_address.json()["results"] == []
    html = editor_client.get(INTERVIEW_ADD).content.decode()
    assert 'data-field-name="author"' in html and 'data-field-name="interviewee_member"' in html
    force_login_with_second_factor(client, MemberFactory(is_staff=True))
    assert client.get(reverse("admin:autocomplete"), {**query, "term": "kim"}).status_code == 403


def test_admin_markdown_help_beside_the_answers(editor_client):
    html = editor_client.get(INTERVIEW_ADD).content.decode()
    assert html.count("Markdown: en tom rad börjar ett nytt stycke") == 3  # intro, closing, the first answer


def test_admin_question_inline_has_one_delete_word_and_no_empty_extra_question(editor_client):
    interview = InterviewFactory(status="draft", published_at=None)
    for n in range(1, 5):
        QuestionFactory(interview=interview, order=n, question=f"Fråga {n}?")
    html = editor_client.get(_change(interview)).content.decode()
    inline = html[html.index('id="questions-group"') : html.index('id="publication-bottom"')]
    assert "Fråga #4" in inline and "Fråga #5" not in inline
    assert "__prefix__" not in inline  # no hidden template row for a script to copy
    assert ">Radera fråga 4</label>" in inline
    assert "Ta bort" not in inline
    assert '<button type="submit" name="_add_question">Lägg till fråga</button>' in inline


def test_admin_add_a_question_saves_and_comes_back_with_one_empty_question(editor_client):
    interview = InterviewFactory(status="draft", published_at=None)
    QuestionFactory(interview=interview, order=1, question="Första?")
    data = {**change_data(interview), "title": "Ny rubrik", "_add_question": ""}
    response = editor_client.post(_change(interview), data)
    assert response.status_code == 302
    assert response.headers["Location"] == _change(interview) + "?fraga=ny#questions-new"
    interview.refresh_from_db()
    assert interview.title == "Ny rubrik"  # what was written is saved first
    html = editor_client.get(response.headers["Location"]).content.decode()
    assert "Fråga #2" in html and 'id="questions-new"' in html
    assert 'name="questions-1-question"' in html
    assert 'name="questions-TOTAL_FORMS" value="2"' in html


def test_admin_lix_for_each_answer_and_for_the_whole(editor_client):
    interview = InterviewFactory(introduction="", closing_text="")
    QuestionFactory(interview=interview, order=1, question="Hur?", answer="Vi ses på mötet. Ta med en kopp.")
    QuestionFactory(
        interview=interview, order=2, question="Och?", answer="Myndigheten skickar beslutet i dag."
    )
    html = editor_client.get(_change(interview)).content.decode()
    answers = html.split('data-lix="answer"')[1:]
    assert len(answers) == 2
    # 7 words, 2 sentences, no long word: 3.5 → 4.  5 words, 1 sentence, 3 long: 5 + 60 = 65.
    assert "<strong>LIX 4 \N{EN DASH} mycket lättläst</strong>" in answers[0]
    assert "<strong>LIX 65 \N{EN DASH} mycket svår</strong>" in answers[1]
    whole = html.split('data-lix="whole"')[1]
    assert "15 ord, 5 meningar, 3 långa ord" in whole
    # The enhancement that keeps them current while writing: a static file, with its words as data.
    assert 'src="/static/js/lix.js"' in html
    assert 'id="lix-strings" data-strings="{' in html
    assert "mycket lättläst" in html.split('id="lix-strings"')[1].split(">")[0]


def test_admin_lix_of_a_new_answer_shows_after_saving_without_javascript(editor_client):
    html = editor_client.get(INTERVIEW_ADD).content.decode()
    assert html.count("Visas när du har sparat.") == 2  # the first answer and the whole
