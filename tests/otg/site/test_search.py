import re
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from events.models import Event
from interviews.models import Interview
from interviews.services import interview_body_refresh, interview_import_text, interview_publish
from tests.factories import EventFactory, InterviewFactory, MemberFactory, QuestionFactory
from tests.helpers.forms import INTERVIEW_ADD, interview_form_data

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


def interview_with(answer: str, **fields) -> Interview:
    interview = InterviewFactory(**fields)
    QuestionFactory(interview=interview, question="Vad driver dig?", answer=answer)
    return interview_body_refresh(interview=interview)


def titles(response) -> list[str]:
    html = response.content.decode()
    return [re.sub(r"<[^>]+>", "", title) for title in re.findall(r"<h3[^>]*><a [^>]*>(.*?)</a></h3>", html)]


def test_search_finds_a_word_inside_a_compound(client):
    interview_with("Vi driver kulturförändringen inifrån.", title="Ett samtal om tillit")
    InterviewFactory(title="Ett samtal om ingenting särskilt")

    response = client.get(SEARCH, {"q": "förändring"})

    assert titles(response) == ["Ett samtal om tillit"]


def test_search_finds_accented_words_without_accents(client):
    EventFactory(title="Frukost om förändring", summary="Vi pratar.")

    assert titles(client.get(SEARCH, {"q": "forandring"})) == ["Frukost om förändring"]
    assert titles(client.get(SEARCH, {"q": "FÖRÄNDRING"})) == ["Frukost om förändring"]


def test_search_finds_inflected_forms(client):
    interview_with("Myndigheterna delar sina erfarenheter.", title="Om samarbete")

    assert titles(client.get(SEARCH, {"q": "myndighet"})) == ["Om samarbete"]
    assert titles(client.get(SEARCH, {"q": "erfarenhet"})) == ["Om samarbete"]


def test_search_ranks_a_title_hit_above_a_body_hit(client):
    interview_with("Här nämns tillit en gång.", title="Ett samtal om ledarskap")
    interview_with("Inget om det.", title="Tillit i förvaltningen")

    assert titles(client.get(SEARCH, {"q": "tillit"})) == [
        "Tillit i förvaltningen",
        "Ett samtal om ledarskap",
    ]


def test_search_ranks_full_text_hits_above_substring_hits(client):
    interview_with("Kulturförändringen tar tid.", title="Ett samtal om arbete")
    interview_with("En förändring tar tid.", title="Ett annat samtal om arbete")

    assert titles(client.get(SEARCH, {"q": "förändring"})) == [
        "Ett annat samtal om arbete",
        "Ett samtal om arbete",
    ]


def test_search_never_shows_drafts_scheduled_unpublished_or_private(client):
    interview_with("zebrafink", title="Utkastet", status="draft", published_at=None)
    interview_with("zebrafink", title="Schemalagd", published_at=timezone.now() + timedelta(days=2))
    EventFactory(title="Opublicerat zebrafink", status="draft")
    MemberFactory(name="Hemlig Zebrafink", bio="zebrafink", is_public=False)
    MemberFactory(name="Avslutad Zebrafink", bio="zebrafink", is_public=True, is_active=False)
    interview_with("Här står det om fåglar.", title="Publicerad")

    response = client.get(SEARCH, {"q": "zebrafink"})
    html = response.content.decode()

    assert titles(response) == []
    assert "0 resultat" in html
    for secret in ("Utkastet", "Schemalagd", "Opublicerat", "Hemlig", "Avslutad"):
        assert secret not in html
    assert re.findall(r"\((\d+)\)</a>", html) == ["0", "0", "0", "0"]


def test_search_shows_public_members_and_visible_events_with_type_labels(client):
    MemberFactory(name="Alva Zebrafink", bio="Jag gillar öppna data.", is_public=True)
    EventFactory(title="Zebrafinkens dag")
    EventFactory(title="Inställd zebrafink", status=Event.Status.CANCELLED)
    interview_with("Om zebrafinkar.", title="Fågelsamtalet")

    response = client.get(SEARCH, {"q": "zebrafink"})
    html = response.content.decode()

    assert sorted(titles(response)) == [
        "Alva Zebrafink",
        "Fågelsamtalet",
        "Inställd zebrafink",
        "Zebrafinkens dag",
    ]
    assert html.count('<span class="badge">Evenemang</span>') == 2
    assert html.count('<span class="badge">Medlem</span>') == 1
    assert html.count('<span class="badge">Intervju</span>') == 1
    assert "Inställt" in html


def test_search_filters_by_type(client):
    MemberFactory(name="Alva Zebrafink", is_public=True)
    EventFactory(title="Zebrafinkens dag")

    response = client.get(SEARCH, {"q": "zebrafink", "typ": "medlem"})

    assert titles(response) == ["Alva Zebrafink"]
    assert "Evenemang (1)" in response.content.decode()


def test_search_unknown_type_shows_everything(client):
    MemberFactory(name="Alva Zebrafink", is_public=True)
    EventFactory(title="Zebrafinkens dag")

    assert len(titles(client.get(SEARCH, {"q": "zebrafink", "typ": "<script>"}))) == 2


def test_search_highlights_matches_and_escapes_the_text(client):
    EventFactory(
        title="Kvällsträff", summary="<b onclick='x()'>Öppna</b> data & tillit, <script>alert(1)</script>"
    )

    html = client.get(SEARCH, {"q": "tillit"}).content.decode()

    assert "data &amp; <mark>tillit</mark>" in html
    assert "<script>alert" not in html
    assert "<b onclick" not in html


def test_search_snippet_cannot_inject_markup_through_the_markers(client):
    EventFactory(title="Kvällsträff", summary="\x02script\x03 Tillit > allt")

    html = client.get(SEARCH, {"q": "tillit"}).content.decode()

    assert "<mark>Tillit</mark>" in html
    assert html.count("<mark>") == 1
    assert "script <mark>Tillit</mark> &gt; allt" in html


def test_search_paginates(client):
    for n in range(23):
        EventFactory(title=f"Zebrafinkträff {n}")

    first = client.get(SEARCH, {"q": "zebrafinkträff"})
    second = client.get(SEARCH, {"q": "zebrafinkträff", "sida": 2})

    assert len(titles(first)) == 20
    assert len(titles(second)) == 3
    assert "Sida 2 av 2" in second.content.decode()
    assert not set(titles(first)) & set(titles(second))


def test_search_with_a_nul_byte_gets_the_friendly_400_page(client):
    # Refused before the view (otg.middleware.RejectNulBytesMiddleware): PostgreSQL cannot hold NUL.
    response = client.get(SEARCH, {"q": "förändring\x00"})
    assert response.status_code == 400
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Skriv ett eller flera ord"),
        ("   ", "Skriv ett eller flera ord"),
        ("?!… --- ***", "inga ord vi kan söka efter"),
        ("och att det som", "inga ord vi kan söka efter"),
        ("Är det för mycket på?", "inga ord vi kan söka efter"),
        ("förändring " * 30, "för lång"),
        ('"förändring', None),
        ("!förändring & | <->", None),
        ("%_\\", "inga ord vi kan söka efter"),
    ],
)
def test_search_odd_queries_give_a_friendly_page(client, query, message):
    interview_with("En förändring.", title="Samtalet")

    response = client.get(SEARCH, {"q": query})

    assert response.status_code == 200
    html = response.content.decode()
    if message:
        assert message in html
        assert titles(response) == []
    else:
        assert titles(response) == ["Samtalet"]


def test_search_finds_text_written_in_the_admin(admin_client, client, commit):
    response = admin_client.post(
        INTERVIEW_ADD,
        interview_form_data(
            questions=[("Vad gör du?", "Jag arbetar med zebrafinkar.")],
            _publish="top",
        ),
    )
    assert response.status_code == 302
    assert titles(client.get(SEARCH, {"q": "zebrafink"})) == ["Ett samtal om tillit"]

    interview = Interview.objects.get()
    question = interview.questions.get()
    data = interview_form_data(
        questions=[("Vad gör du?", "Jag arbetar med talgoxar.")],
        status="published",
        published_at_0="2026-01-05",
        published_at_1="10:00:00",
    )
    data.update(
        {
            "questions-INITIAL_FORMS": "1",
            "questions-0-id": str(question.pk),
            "questions-0-interview": str(interview.pk),
        }
    )
    with commit():
        response = admin_client.post(reverse("admin:interviews_interview_change", args=[interview.pk]), data)
    assert response.status_code == 302
    assert titles(client.get(SEARCH, {"q": "zebrafink"})) == []
    assert titles(client.get(SEARCH, {"q": "talgoxe"})) == ["Ett samtal om tillit"]


def test_search_finds_imported_interviews_once_published(client, commit):
    interview = interview_import_text(
        text="Ett samtal.\n\nVad gör du?\n\nJag odlar zebrafinkar.\n", interviewee_name="Kim Exempel"
    )
    assert titles(client.get(SEARCH, {"q": "zebrafink"})) == []

    with commit():
        interview_publish(interview=interview)

    assert titles(client.get(SEARCH, {"q": "zebrafink"})) == [interview.title]


def test_search_follows_changes_to_an_event(client):
    event = EventFactory(title="Frukostmöte")
    event.title = "Zebrafinkfrukost"
    event.save()

    assert titles(client.get(SEARCH, {"q": "zebrafinkfrukost"})) == ["Zebrafinkfrukost"]


def _fill(n: int) -> None:
    for i in range(n):
        interview_with(f"Svar {i} om tillit och kulturförändringen.", title=f"Samtal {i} om tillit")
        EventFactory(title=f"Träff {i} om tillit", description="Kulturförändringen i praktiken.")
        MemberFactory(name=f"Person {i}", bio="Tillit och kulturförändring.", is_public=True)


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(SEARCH, params)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "params", [{"q": "tillit"}, {"q": "förändring"}, {"q": "tillit", "typ": "evenemang"}]
)
def test_search_query_count_does_not_grow_with_the_data(client, params, commit):
    with commit():
        _fill(10)
    small = _queries(client, params)
    with commit():
        _fill(90)
    large = _queries(client, params)

    assert small == large
    assert large <= 10


def test_search_with_33_hyphens_before_a_word_answers_with_results(client):
    """33 hyphens and a letter made PostgreSQL answer "tsquery stack too small" (a 500)."""
    interview_with("En förändring.", title="Samtalet")
    for query in [
        "-" * 33 + "a",
        "- " * 40 + "förändring",
        "förändring " + "-" * 60,
        "-" * 33 + "förändring",
    ]:
        response = client.get(SEARCH, {"q": query})
        assert response.status_code == 200, query


# A hyphen after the signs PostgreSQL skips is a NOT even inside a word: 39 of them after "))))" were
# "tsquery stack too small", and the request's transaction stayed aborted behind a page of neither
# results nor a message.
HYPHENS_INSIDE_A_WORD = "----1))))" + "-" * 39 + ")" * 50 + "1" * 42


def test_search_with_hyphens_after_signs_inside_a_word_answers_and_keeps_the_transaction(client):
    interview_with("En förändring.", title="Samtalet")
    for query in [HYPHENS_INSIDE_A_WORD, "förändring" + ")-" * 40 + "a", "a)" + "-" * 33 + "förändring"]:
        response = client.get(SEARCH, {"q": query})
        assert response.status_code == 200, query
        html = response.content.decode()
        assert re.search(r"<h2>\d+ resultat</h2>|inga ord vi kan söka efter", html), query
    assert titles(client.get(SEARCH, {"q": "förändring"})) == ["Samtalet"]


class _TableLock(threading.Thread):
    """Another connection holding an exclusive lock on the member profiles, as a long migration would.
    (Not the events or interviews: the generations' clocks read those before the search.)"""

    def __init__(self):
        super().__init__(daemon=True)
        self.locked, self.release = threading.Event(), threading.Event()

    def run(self):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("LOCK TABLE members_member IN ACCESS EXCLUSIVE MODE")
                self.locked.set()
                self.release.wait(30)
        finally:
            connection.close()


def test_search_cut_short_by_statement_timeout_says_so_keeps_nothing_and_the_transaction_works(client):
    EventFactory(title="Zebrafinkens dag")
    lock = _TableLock()
    lock.start()
    assert lock.locked.wait(10)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = '200ms'")
        response = client.get(SEARCH, {"q": "zebrafink"})
    finally:
        lock.release.set()
        lock.join(10)

    assert response.status_code == 503
    html = response.content.decode()
    assert "Sökningen kunde inte göras just nu" in html
    assert titles(response) == []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
    # The transaction still works, and the failure was not kept for the next visitor.
    again = client.get(SEARCH, {"q": "zebrafink"})
    assert again.status_code == 200
    assert titles(again) == ["Zebrafinkens dag"]


OPERATORS = [
    "-",
    '"',
    "!",
    "&",
    "|",
    "(",
    ")",
    ":",
    "*",
    "<",
    ">",
    "<->",
    "or",
    "OR",
    "and",
    "not",
    " ",
    "\t",
]
WORDS = ["a", "förändring", "och", "ö", "1"]


LENGTH = st.one_of(st.integers(1, 4), st.integers(30, 60))
RUN = st.tuples(st.sampled_from(OPERATORS + WORDS), LENGTH).map(lambda run: run[0] * run[1])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(RUN, max_size=6).map(lambda runs: "".join(runs)[:200]))  # longer is refused as too long
@example("-" * 40 + "a")
@example(HYPHENS_INSIDE_A_WORD)
def test_search_answers_results_or_the_friendly_page_for_any_operators(client, query):
    """Runs (1-4 or 30-60 long) of each operator websearch_to_tsquery knows, mixed with words."""
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    # A count of results, or one of the friendly pages: a query error swallowed by the template
    # (the transaction then broken) shows neither.
    assert re.search(
        r"<h2>\d+ resultat</h2>|inga ord vi kan söka efter|Skriv ett eller flera ord|för lång", html
    )
    for alias in connections:  # every connection's transaction still works (reads may go to a replica)
        connections[alias].cursor().execute("SELECT 1")
