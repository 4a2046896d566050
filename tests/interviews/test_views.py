import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.services import interview_portrait_set
from tests.factories import InterviewFactory, MemberFactory, QuestionFactory
from tests.helpers.photos import png_upload

pytestmark = pytest.mark.django_db

LIST = reverse("interviews:interview-list")


def titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="/intervjuer/[^"]+/" lang="sv">([^<]+)</a></h2>', html)


def test_interview_list_shows_published_newest_first(client):
    now = timezone.now()
    InterviewFactory(title="Äldre", published_at=now - timedelta(days=3))
    InterviewFactory(title="Nyare", published_at=now - timedelta(days=1))
    InterviewFactory(title="Utkast", status="draft", published_at=None)
    InterviewFactory(title="Schemalagd", published_at=now + timedelta(days=1))
    html = client.get(LIST).content.decode()
    assert titles(html) == ["Nyare", "Äldre"]


def test_interview_list_is_paginated(client):
    now = timezone.now()
    for n in range(14):
        InterviewFactory(title=f"Intervju {n:02d}", published_at=now - timedelta(hours=n))
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"sida": 2}).content.decode()
    assert titles(first) == [f"Intervju {n:02d}" for n in range(12)]
    assert titles(second) == ["Intervju 12", "Intervju 13"]
    assert "Sida 1 av 2" in first
    assert 'href="?sida=2" rel="next"' in first


def test_interview_list_filters_by_tag(client):
    wanted = InterviewFactory(title="Om klarspråk", tags=["klarspråk"])
    InterviewFactory(title="Om data", tags=["öppna data"])
    response = client.get(LIST, {"amne": wanted.tags.get().slug})
    html = response.content.decode()
    assert titles(html) == ["Om klarspråk"]
    assert "Intervjuer om klarspråk" in html


def test_interview_list_unknown_tag_is_404(client):
    assert client.get(LIST, {"amne": "finns-inte"}).status_code == 404


def test_interview_list_bad_page_number_shows_a_page(client):
    InterviewFactory(title="Ensam")
    response = client.get(LIST, {"sida": "abc"})
    assert response.status_code == 200
    assert titles(response.content.decode()) == ["Ensam"]


def test_interview_list_query_budget(client, django_assert_max_num_queries):
    upload = png_upload(size=(200, 200))
    for n in range(32):
        interview = InterviewFactory(tags=[f"ämne {n % 5}", "gemensamt"])
        interview_portrait_set(interview=interview, upload=upload, alt=f"Porträtt {n}")
    with django_assert_max_num_queries(4):  # 3 today: count, page, tags
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(titles(response.content.decode())) == 12


@pytest.fixture
def full_interview():
    interview = InterviewFactory(
        title="Samtal om tillit",
        introduction="Det här är **introduktionen**.",
        interviewee_name="Kim Exempel",
        interviewee_description="tjänstedesigner i en påhittad kommun",
        closing_text="Tack för samtalet!",
        tags=["tillit", "klarspråk"],
    )
    QuestionFactory(interview=interview, order=2, question="Andra frågan?", answer="Andra svaret.")
    QuestionFactory(
        interview=interview, order=1, question="Första frågan?", answer="# Rubrik\n\nFörsta svaret."
    )
    interview_portrait_set(interview=interview, upload=png_upload(), alt="Kim ler mot kameran")
    return interview


def test_interview_detail_shows_questions_as_headings_in_order(client, full_interview):
    html = client.get(full_interview.get_absolute_url()).content.decode()
    assert '<h1 lang="sv">Samtal om tillit</h1>' in html
    assert html.index("<h2>Första frågan?</h2>") < html.index("<h2>Andra frågan?</h2>")
    # The answer's own heading ranks below the questions.
    assert "<h3>Rubrik</h3>" in html
    assert "<strong>introduktionen</strong>" in html
    assert "Tack för samtalet!" in html
    assert "Kim Exempel, tjänstedesigner i en påhittad kommun" in html


def test_interview_detail_shows_portrait_tags_and_date(client, full_interview):
    html = client.get(full_interview.get_absolute_url()).content.decode()
    assert re.search(r'<img src="/media/interviews/portraits/\w+-600\.png" alt="Kim ler mot kameran"', html)
    # HTML allows at most three decimals: the attribute is to the second.
    published = timezone.localtime(full_interview.published_at).replace(microsecond=0)
    assert f'<time datetime="{published.isoformat()}">' in html
    assert '/amnen/tillit/">tillit</a>' in html
    assert '/amnen/klarspr%C3%A5k/">klarspråk</a>' in html


def test_interview_detail_has_open_graph_and_twitter_meta_with_absolute_portrait(
    client, full_interview, settings
):
    settings.SITE_URL = "https://otg.example.se"
    html = client.get(full_interview.get_absolute_url()).content.decode()
    head = html[: html.index("</head>")]
    image = re.search(r'<meta property="og:image" content="([^"]+)"', head).group(1)
    assert re.fullmatch(r"https://otg\.example\.se/media/interviews/portraits/\w+-600\.png", image)
    assert f'<meta name="twitter:image" content="{image}">' in head
    assert '<meta property="og:title" content="Samtal om tillit">' in head
    assert '<meta property="og:url" content="https://otg.example.se/intervjuer/' in head
    assert '<meta name="twitter:card" content="summary_large_image">' in head
    assert '<meta property="og:image:alt" content="Kim ler mot kameran">' in head


def test_interview_detail_links_a_public_member_profile_only(client):
    public = MemberFactory(name="Offentlig Person", is_public=True)
    hidden = MemberFactory(name="Dold Person", is_public=False)
    shown = InterviewFactory(interviewee_name="Offentlig Person", interviewee_member=public)
    kept = InterviewFactory(interviewee_name="Dold Person", interviewee_member=hidden)
    assert public.get_absolute_url() in client.get(shown.get_absolute_url()).content.decode()
    assert hidden.get_absolute_url() not in client.get(kept.get_absolute_url()).content.decode()


def test_interview_detail_reads_only_the_address_of_the_interviewees_profile(
    client, django_assert_max_num_queries
):
    public = MemberFactory(name="Offentlig Person", is_public=True)
    interview = InterviewFactory(interviewee_name="Offentlig Person", interviewee_member=public)
    with django_assert_max_num_queries(4) as queries:  # the interview, its questions, tags, the profile
        html = client.get(interview.get_absolute_url()).content.decode()
    assert f'<a href="{public.get_absolute_url()}"><bdi>Offentlig Person</bdi></a>' in html
    member_sql = next(query["sql"] for query in queries.captured_queries if "members_member" in query["sql"])
    assert '"password"' not in member_sql and '"email"' not in member_sql


@pytest.mark.parametrize(
    "state",
    [
        {"status": "draft", "published_at": None},
        {"status": "published", "published_at": timezone.now() + timedelta(days=2)},
    ],
)
def test_interview_detail_draft_and_scheduled_are_404_for_visitors_and_members(client, state):
    interview = InterviewFactory(**state)
    assert client.get(interview.get_absolute_url()).status_code == 404
    client.force_login(MemberFactory())
    assert client.get(interview.get_absolute_url()).status_code == 404
    client.force_login(MemberFactory(is_staff=True))  # staff, but no interview permission
    assert client.get(interview.get_absolute_url()).status_code == 404


def test_interview_detail_draft_preview_for_editors(editor_client):
    interview = InterviewFactory(title="Hemligt utkast", status="draft", published_at=None)
    response = editor_client.get(interview.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hemligt utkast" in html
    assert "Förhandsvisning" in html
    assert '<meta name="robots" content="noindex">' in html


def test_interview_detail_unknown_slug_is_404(client):
    url = reverse("interviews:interview-detail", kwargs={"slug": "finns-inte"})
    assert client.get(url).status_code == 404


def test_interview_detail_query_budget(client, full_interview, django_assert_max_num_queries):
    for n in range(10):
        QuestionFactory(interview=full_interview, order=10 + n)
    # The interview, its questions, its related events and its tags: read once, for the meta tags and
    # the footer both (a first render of every interview page paid for a second read).
    with django_assert_max_num_queries(4):
        assert client.get(full_interview.get_absolute_url()).status_code == 200


def test_interview_detail_without_related_events_reads_no_events(
    client, full_interview, django_assert_max_num_queries
):
    # Whether any event is linked is read with the interview: a page with none (most of them) sends
    # no query for its events, and shows its questions and tags all the same.
    QuestionFactory(interview=full_interview, question="Vad gör du?", answer="Jag *bygger* tjänster.")
    full_interview.tags.add("klarspråk")
    with django_assert_max_num_queries(3):  # the interview, its questions, its tags
        html = client.get(full_interview.get_absolute_url()).content.decode()
    assert "<h2>Vad gör du?</h2>" in html
    assert "<p>Jag <em>bygger</em> tjänster.</p>" in html
    assert ">klarspråk</a>" in html
    assert "Träffa" not in html


def test_interview_detail_describes_the_interviewee_and_introduction_alike_everywhere(client):
    import json

    interview = InterviewFactory(
        interviewee_name="Kim <Ek>",
        interviewee_description='chef för "Data & Tjänster"',
        introduction="## Bakgrund\n\nKim har byggt **e-tjänster** i tio år.",
    )
    html = client.get(interview.get_absolute_url()).content.decode()
    said = "Kim &lt;Ek&gt;, chef för &quot;Data &amp; Tjänster&quot;"
    assert f'<meta name="description" content="{said}">' in html
    assert f'<meta property="og:description" content="{said}">' in html
    assert f'<meta name="twitter:description" content="{said}">' in html
    # The introduction as the page shows it (its headings below the page's own), and as its Article
    # data describes it: one rendering, read twice.
    assert "<h3>Bakgrund</h3>\n<p>Kim har byggt <strong>e-tjänster</strong> i tio år.</p>" in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])
    assert data["description"] == "Bakgrund Kim har byggt e-tjänster i tio år."
    assert data["about"] == {
        "@type": "Person",
        "name": "Kim <Ek>",
        "description": 'chef för "Data & Tjänster"',
    }


def test_interview_detail_kept_without_events_shows_an_event_linked_later_and_drops_it_unlinked(
    client, full_interview, commit
):
    from tests.factories import EventFactory

    url = full_interview.get_absolute_url()
    assert "Träffa" not in client.get(url).content.decode()  # rendered and kept without any event
    event = EventFactory(title="Vårens meetup")
    with commit():  # the link commits, and retires the kept page (otg.common.pages)
        full_interview.related_events.add(event)
    html = client.get(url).content.decode()
    assert f"Träffa {full_interview.interviewee_name}" in html and "Vårens meetup" in html
    with commit():
        full_interview.related_events.remove(event)
    html = client.get(url).content.decode()
    assert "Träffa" not in html and "Vårens meetup" not in html


def test_interview_detail_draft_preview_shows_its_related_events(editor_client):
    from tests.factories import EventFactory

    interview = InterviewFactory(interviewee_name="Eva Ek", status="draft", published_at=None)
    interview.related_events.add(EventFactory(title="Höstens meetup"))
    html = editor_client.get(interview.get_absolute_url()).content.decode()
    assert "Träffa Eva Ek" in html
    assert "Höstens meetup" in html


def test_nav_links_to_interviews(client):
    html = client.get(reverse("home")).content.decode()
    assert f'<a href="{LIST}"' in html


def test_interview_detail_scheduled_preview_says_when_it_goes_public(editor_client):
    interview = InterviewFactory(published_at=timezone.now() + timedelta(days=2))
    html = editor_client.get(interview.get_absolute_url()).content.decode()
    assert "intervjun är schemalagd och blir offentlig" in html
    assert '<meta name="robots" content="noindex">' in html


def test_interview_detail_invites_readers_to_meet_the_interviewee_at_related_events(client, full_interview):
    from tests.factories import EventFactory

    conference = EventFactory(title="Digitala Strategidagarna", kind="conference", city="Stockholm")
    draft = EventFactory(title="Ett utkast till evenemang", status="draft")
    full_interview.related_events.add(conference, draft)
    html = client.get(full_interview.get_absolute_url()).content.decode()
    assert f"Träffa {full_interview.interviewee_name}" in html
    assert f'<a href="{conference.get_absolute_url()}" lang="sv">Digitala Strategidagarna</a>' in html
    assert "Ett utkast till evenemang" not in html


def test_interview_detail_never_presents_a_past_event_as_one_to_meet_at(client, full_interview, commit):
    from tests.factories import EventFactory

    past = EventFactory(
        title="Förra årets konferens",
        start=timezone.now() - timedelta(days=10),
        end=timezone.now() - timedelta(days=10, hours=-8),
    )
    upcoming = EventFactory(title="Nästa meetup")
    full_interview.related_events.add(past, upcoming)
    html = client.get(full_interview.get_absolute_url()).content.decode()
    meet, earlier = html.split(f"Träffa {full_interview.interviewee_name}", 1)[1].split("har medverkat", 1)
    assert "Nästa meetup" in meet and "Förra årets konferens" not in meet
    assert "Förra årets konferens" in earlier and "ägde rum den" in earlier
    with commit():  # the deletion commits, and retires the kept page (otg.common.pages)
        upcoming.delete()
    html = client.get(full_interview.get_absolute_url()).content.decode()
    assert "Träffa" not in html
    assert "Förra årets konferens" in html


def test_interview_pages_mark_swedish_content_on_english_pages(client, full_interview):
    html = client.get(full_interview.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert f'<h1 lang="sv">{full_interview.title}</h1>' in html
    assert 'class="interview-pair" lang="sv"' in html


def test_interview_detail_without_related_events_has_no_invitation(client, full_interview):
    assert "Träffa" not in client.get(full_interview.get_absolute_url()).content.decode()
