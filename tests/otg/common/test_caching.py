"""Cached pages never lie: every write that changes what a cached page shows invalidates it at once.

One test per (cached page, write). Each makes a pair of writes whose effects cancel out in a count
(one more here, one fewer there), which a key built from counts, sums or timestamps cannot tell apart
from no write at all. ``commit()`` runs what waits for the commit, as a real commit would.
"""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Rsvp
from events.services.events import event_cancel, event_cover_clear, event_cover_set, event_publish, event_save
from events.services.rsvps import rsvp_cancel, rsvp_create
from interviews import services as interview_services
from interviews.models import Question
from members import services as member_services
from tests.factories import EventFactory, InterviewFactory, MemberFactory, QuestionFactory
from tests.helpers.forms import event_form_data, interview_form_data
from tests.helpers.photos import photo_upload

pytestmark = pytest.mark.django_db

EVENTS = reverse("events:event-list")
HOME = reverse("home")
MEMBERS = reverse("members:member-list")
INTERVIEWS = reverse("interviews:interview-list")
FEED = reverse("events:public-feed")


def html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def card(page: str, title: str) -> str:
    """The card (list item) of the page that holds ``title``."""
    match = re.search(
        r"<li class=\"card[^\"]*\">(?:(?!</li>).)*?" + re.escape(title) + r".*?</li>", page, re.S
    )
    assert match, title
    return match.group(0)


def loads_rows(client, path: str, column: str) -> bool:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return any(column in query["sql"] for query in queries.captured_queries)


def going(event: Event, *members, show_publicly: bool = False) -> list[Rsvp]:
    return [rsvp_create(event=event, member=member, show_publicly=show_publicly) for member in members]


def public_members(*names: str) -> list:
    return [MemberFactory(name=name, is_public=True) for name in names]


# --- The three reported cases -----------------------------------------------------------------------


def test_event_list_shows_places_after_an_rsvp_here_and_a_cancellation_there(client, commit):
    x = EventFactory(title="Evenemang X", capacity=5)
    y = EventFactory(title="Evenemang Y", capacity=5)
    going(x, MemberFactory())
    leaving, _ = going(y, MemberFactory(), MemberFactory())
    page = html(client, EVENTS)
    assert "4 platser kvar" in card(page, "Evenemang X") and "3 platser kvar" in card(page, "Evenemang Y")
    with commit():
        going(x, MemberFactory())
        rsvp_cancel(rsvp=leaving)
    page = html(client, EVENTS)
    assert "3 platser kvar" in card(page, "Evenemang X") and "4 platser kvar" in card(page, "Evenemang Y")


def test_home_lists_the_event_that_freed_a_place_not_the_one_that_filled_up(client, commit):
    x = EventFactory(title="Evenemang X", capacity=1)
    y = EventFactory(title="Evenemang Y", capacity=1)
    (leaving,) = going(y, MemberFactory())
    page = html(client, HOME)
    assert "Evenemang X" in page and "Evenemang Y" not in page
    with commit():
        going(x, MemberFactory())
        rsvp_cancel(rsvp=leaving)
    page = html(client, HOME)
    assert "Evenemang Y" in page and "Evenemang X" not in page


def test_event_page_names_the_promoted_member_not_the_one_who_cancelled(client, commit):
    anna, cecilia, david = public_members("Anna Avbokar", "Cecilia Väntar", "David Stannar")
    event = EventFactory(capacity=2)
    (anna_rsvp,) = going(event, anna, show_publicly=True)
    going(event, david, cecilia, show_publicly=True)  # David gets the last place; Cecilia waits
    page = html(client, event.get_absolute_url())
    assert "Anna Avbokar" in page and "David Stannar" in page and "Cecilia Väntar" not in page
    with commit():
        rsvp_cancel(rsvp=anna_rsvp)
    assert Rsvp.objects.get(member=cecilia).status == Rsvp.Status.GOING
    page = html(client, event.get_absolute_url())
    assert "Cecilia Väntar" in page and "David Stannar" in page and "Anna Avbokar" not in page


# --- Keys: language and bounded parameters ----------------------------------------------------------


def test_public_calendar_feed_is_in_the_language_of_each_request(client):
    EventFactory(title="Digital träff", format=Event.Format.ONLINE, city="")
    english = client.get(FEED, headers={"accept-language": "en"}).content.decode()
    swedish = client.get(FEED, headers={"accept-language": "sv"}).content.decode()
    assert "LOCATION:Online" in english
    assert "LOCATION:Digitalt" in swedish


def test_junk_parameters_and_page_numbers_share_one_cached_list(client):
    EventFactory(title="Frukost", city="Malmö")
    MemberFactory(name="Stina Synlig", is_public=True)
    for path, column in ((EVENTS, '"events_event"."summary"'), (MEMBERS, '"members_member"."name"')):
        assert loads_rows(client, path, column)
        # A page past the last is the last page: one copy, not one per number asked for.
        for junk in (
            "?x=1",
            "?x=2&y=3",
            "?sida=1",
            "?sida=abc",
            "?page=1&utm_source=mail",
            "?sida=2",
            "?sida=9999",
        ):
            assert not loads_rows(client, path + junk, column), path + junk


def test_a_cached_page_costs_one_query_on_the_database_cache(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"},
    }
    event = EventFactory(title="Frukost", city="Malmö")
    interview = InterviewFactory(title="Ett samtal")
    interview.related_events.add(event)
    pages = (EVENTS, INTERVIEWS, HOME, MEMBERS, event.get_absolute_url(), interview.get_absolute_url(), FEED)
    for path in pages:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        # The generations (one read of the shared cache); the event and interview pages, kept whole
        # for visitors (otg.common.pages), read neither the event nor the interview.
        assert len(queries) == 1, path


# --- Events: RSVPs, capacity, publication, cancellation, time -------------------------------------


def test_event_page_follows_an_rsvp_and_a_cancellation(client, commit):
    event = EventFactory(capacity=3)
    anna, bo = public_members("Anna Går", "Bo Slutar")
    (bo_rsvp,) = going(event, bo, show_publicly=True)
    page = html(client, event.get_absolute_url())
    assert "Bo Slutar" in page and "2 platser kvar" in page
    with commit():
        going(event, anna, show_publicly=True)
        rsvp_cancel(rsvp=bo_rsvp)
    page = html(client, event.get_absolute_url())
    assert "Anna Går" in page and "Bo Slutar" not in page and "2 platser kvar" in page


def test_event_list_and_page_follow_a_capacity_change(client, commit):
    x = EventFactory(title="Evenemang X", capacity=5)
    y = EventFactory(title="Evenemang Y", capacity=5)
    page = html(client, EVENTS)
    html(client, x.get_absolute_url())
    with commit():
        for event, capacity in ((x, 6), (y, 4)):
            event.capacity = capacity
            event_save(event=event, changed_fields=["capacity"])
    page = html(client, EVENTS)
    assert "6 platser kvar" in card(page, "Evenemang X") and "4 platser kvar" in card(page, "Evenemang Y")
    assert "6 platser kvar" in html(client, x.get_absolute_url())


def test_event_list_and_page_follow_a_capacity_change_in_the_admin(admin_client, client, commit):
    x = EventFactory(title="Evenemang X", capacity=5)
    html(client, EVENTS)
    with commit():
        response = admin_client.post(
            reverse("admin:events_event_change", args=[x.pk]), event_form_data(x, capacity=7)
        )
    assert response.status_code == 302
    assert "7 platser kvar" in card(html(client, EVENTS), "Evenemang X")


def test_lists_follow_one_event_published_and_another_unpublished(client, commit):
    shown = EventFactory(title="Evenemang Synligt")
    draft = EventFactory(title="Evenemang Utkast", status=Event.Status.DRAFT)
    search = reverse("search") + "?q=evenemang"
    pages = (EVENTS, HOME, FEED, search)
    for path in pages:
        page = html(client, path)
        assert "Evenemang Synligt" in page and "Evenemang Utkast" not in page, path
    with commit():
        event_publish(event=draft)
        shown.status = Event.Status.DRAFT
        event_save(event=shown, changed_fields=["status"])
    for path in pages:
        page = html(client, path)
        assert "Evenemang Utkast" in page and "Evenemang Synligt" not in page, path


def test_lists_and_page_mark_a_cancelled_event(client, commit):
    x = EventFactory(title="Evenemang X")
    y = EventFactory(title="Evenemang Y", status=Event.Status.DRAFT)
    assert "Inställt" not in html(client, EVENTS)
    assert "Inställt" not in html(client, x.get_absolute_url())
    with commit():
        event_cancel(event=x)
        event_publish(event=y)
    page = html(client, EVENTS)
    assert "Inställt" in card(page, "Evenemang X") and "Inställt" not in card(page, "Evenemang Y")
    assert "Inställt" in html(client, x.get_absolute_url())


def test_an_event_leaves_the_upcoming_lists_when_it_ends_without_any_write(client, frozen_database_clock):
    now = timezone.now()
    with frozen_database_clock(now):
        EventFactory(title="Pågående träff", start=now - timedelta(hours=1), end=now + timedelta(seconds=1.5))
        EventFactory(title="Senare träff", start=now + timedelta(days=1))
        for path in (EVENTS, HOME, FEED):
            assert "Pågående träff" in html(client, path), path
    # 1.6 s later on both clocks, the cached pages' and the database's.
    with frozen_database_clock(now + timedelta(seconds=1.6)):
        for path in (EVENTS, HOME, FEED):
            page = html(client, path)
            assert "Pågående träff" not in page and "Senare träff" in page, path
        assert "Pågående träff" in html(client, reverse("events:event-past"))


def test_event_page_follows_a_new_organiser(client, commit):
    event = EventFactory()
    olle, oda = public_members("Olle Ordnare", "Oda Ordnare")
    event.organisers.add(olle)
    assert "Olle Ordnare" in html(client, event.get_absolute_url())
    with commit():
        event.organisers.remove(olle)
        event.organisers.add(oda)
    page = html(client, event.get_absolute_url())
    assert "Oda Ordnare" in page and "Olle Ordnare" not in page


# --- Members: hidden, renamed, portrait -----------------------------------------------------------


def test_directory_and_event_page_follow_one_profile_hidden_and_another_shown(client, commit):
    greta = MemberFactory(name="Greta Synlig", is_public=True)
    harald = MemberFactory(name="Harald Hemlig", is_public=False)
    event = EventFactory()
    going(event, greta, harald, show_publicly=True)
    for path in (MEMBERS, event.get_absolute_url()):
        page = html(client, path)
        assert "Greta Synlig" in page and "Harald Hemlig" not in page, path
    with commit():
        member_services.member_profile_update(member=greta, name="Greta Synlig", is_public=False)
        member_services.member_profile_update(member=harald, name="Harald Hemlig", is_public=True)
    for path in (MEMBERS, event.get_absolute_url()):
        page = html(client, path)
        assert "Harald Hemlig" in page and "Greta Synlig" not in page, path


def test_directory_event_page_and_search_follow_a_renamed_profile(client, commit):
    alva, olle = public_members("Alva Zebrafink", "Olle Zebrafink")
    event = EventFactory()
    event.organisers.add(olle)
    going(event, alva, show_publicly=True)
    search = reverse("search") + "?q=zebrafink"
    pages = (MEMBERS, event.get_absolute_url(), search)
    for path in pages:
        assert "Alva Zebrafink" in html(client, path), path
    with commit():
        member_services.member_profile_update(member=alva, name="Alva Zebrafinksson", is_public=True)
        member_services.member_profile_update(member=olle, name="Olle Zebrafinksson", is_public=True)
    for path in pages:
        page = html(client, path)
        assert "Alva Zebrafinksson" in page and "Alva Zebrafink<" not in page, path
    assert "Olle Zebrafinksson" in html(client, event.get_absolute_url())


def test_directory_follows_a_portrait_set_and_another_removed(client, commit):
    with_portrait, without = public_members("Pia Porträtt", "Nils Utan")
    member_services.member_portrait_set(member=with_portrait, upload=photo_upload())
    page = html(client, MEMBERS)
    assert "<img" in card(page, "Pia Porträtt") and "<img" not in card(page, "Nils Utan")
    with commit():
        member_services.member_portrait_clear(member=with_portrait)
        member_services.member_portrait_set(member=without, upload=photo_upload())
    page = html(client, MEMBERS)
    assert "<img" in card(page, "Nils Utan") and "<img" not in card(page, "Pia Porträtt")


# --- Interviews: edited, published, scheduled, portrait -----------------------------------------


def test_interview_pages_follow_an_edit(client, commit):
    interview = InterviewFactory(title="Första titeln")
    question = QuestionFactory(interview=interview, answer="Det första svaret.")
    event = EventFactory(title="Frukost om mod")
    interview.related_events.add(event)
    pages = (INTERVIEWS, HOME, interview.get_absolute_url())
    for path in pages:
        assert "Första titeln" in html(client, path), path
    with commit():
        interview.title = "Ny titel"
        interview.save()  # what the admin does
        question.answer = "Ett nytt svar."
        question.save()
        interview_services.interview_body_refresh(interview=interview)
        event.title = "Lunch om mod"
        event.save()
    for path in pages:
        page = html(client, path)
        assert "Ny titel" in page and "Första titeln" not in page, path
    page = html(client, interview.get_absolute_url())
    assert "Ett nytt svar." in page and "Lunch om mod" in page and "Frukost om mod" not in page


def test_interview_page_follows_answers_edited_in_the_admin(admin_client, client, commit):
    interview = InterviewFactory(title="Samtal om mod")
    first = QuestionFactory(interview=interview, question="Första?", answer="Det första svaret.")
    second = QuestionFactory(interview=interview, question="Andra?", answer="Det andra svaret.")
    assert "Det första svaret." in html(client, interview.get_absolute_url())
    data = interview_form_data(
        title=interview.title,
        slug=interview.slug,
        tags="",
        status="published",
        published_at_0="2026-01-05",
        published_at_1="10:00:00",
        questions=[("Första?", "Det andra svaret."), ("Andra?", "Det första svaret.")],
    )
    data.update(
        {
            "questions-INITIAL_FORMS": "2",
            "questions-0-id": str(first.pk),
            "questions-0-interview": str(interview.pk),
            "questions-1-id": str(second.pk),
            "questions-1-interview": str(interview.pk),
        }
    )
    with commit():
        response = admin_client.post(reverse("admin:interviews_interview_change", args=[interview.pk]), data)
    assert response.status_code == 302
    page = html(client, interview.get_absolute_url())
    assert page.index("Det andra svaret.") < page.index("Det första svaret.")


def test_interview_page_follows_answers_saved_on_their_own(client, commit):
    interview = InterviewFactory(title="Samtal om mod")
    first = QuestionFactory(interview=interview, answer="Det första svaret.")
    second = QuestionFactory(interview=interview, answer="Det andra svaret.")
    html(client, interview.get_absolute_url())
    with commit():  # the shell, a data migration: no service, no admin, the interview row untouched
        first.answer, second.answer = second.answer, first.answer
        first.save()
        second.save()
    page = html(client, interview.get_absolute_url())
    assert page.index("Det andra svaret.") < page.index("Det första svaret.")


def test_interview_lists_follow_one_published_and_another_unpublished(client, commit):
    out = InterviewFactory(title="Samtal ute")
    waiting = InterviewFactory(title="Samtal väntar", status="draft", published_at=None)
    search = reverse("search") + "?q=samtal"
    pages = (INTERVIEWS, HOME, search)
    for path in pages:
        page = html(client, path)
        assert "Samtal ute" in page and "Samtal väntar" not in page, path
    with commit():
        interview_services.interview_publish(interview=waiting)
        interview_services.interview_unpublish(interview=out)
    for path in pages:
        page = html(client, path)
        assert "Samtal väntar" in page and "Samtal ute" not in page, path


def test_a_scheduled_interview_appears_when_its_time_comes_without_any_write(
    client, commit, frozen_database_clock
):
    now = timezone.now()
    with frozen_database_clock(now):
        InterviewFactory(title="Redan ute")
        draft = InterviewFactory(title="Schemalagt samtal", status="draft", published_at=None)
        for path in (INTERVIEWS, HOME):
            html(client, path)
        with commit():
            interview_services.interview_publish(interview=draft, at=now + timedelta(seconds=1.5))
        for path in (INTERVIEWS, HOME):
            assert "Schemalagt samtal" not in html(client, path), path
    # 1.6 s later on both clocks: "published" is decided by the database's.
    with frozen_database_clock(now + timedelta(seconds=1.6)):
        for path in (INTERVIEWS, HOME):
            assert "Schemalagt samtal" in html(client, path), path


def test_interview_list_follows_a_portrait_set_and_another_cleared(client, commit):
    with_portrait = InterviewFactory(title="Samtal med bild")
    without = InterviewFactory(title="Samtal utan bild")
    interview_services.interview_portrait_set(
        interview=with_portrait, upload=photo_upload(), alt="Ett porträtt"
    )
    page = html(client, INTERVIEWS)
    assert "<img" in card(page, "Samtal med bild") and "<img" not in card(page, "Samtal utan bild")
    with commit():
        interview_services.interview_portrait_clear(interview=with_portrait)
        interview_services.interview_portrait_set(
            interview=without, upload=photo_upload(), alt="Ett porträtt"
        )
    page = html(client, INTERVIEWS)
    assert "<img" in card(page, "Samtal utan bild") and "<img" not in card(page, "Samtal med bild")


# --- Tags: through the admin, the services and taggit's API ---------------------------------------

TOPIC = reverse("topic-detail", args=["tillit"])


def test_topic_page_and_filter_follow_tags_moved_in_the_admin(admin_client, client, commit):
    x = EventFactory(title="Evenemang X")
    y = EventFactory(title="Evenemang Y")
    x.tags.add("tillit")
    for path in (TOPIC, EVENTS + "?amne=tillit"):
        page = html(client, path)
        assert "Evenemang X" in page and "Evenemang Y" not in page, path
    with commit():
        for event, tags in ((x, ""), (y, "tillit")):
            url = reverse("admin:events_event_change", args=[event.pk])
            assert admin_client.post(url, event_form_data(event, tags=tags)).status_code == 302
    for path in (TOPIC, EVENTS + "?amne=tillit"):
        page = html(client, path)
        assert "Evenemang Y" in page and "Evenemang X" not in page, path


def test_interview_topic_follows_tags_moved_in_the_admin(admin_client, client, commit):
    first = InterviewFactory(title="Samtal ett", tags=["tillit"])
    second = InterviewFactory(title="Samtal två", tags=["klarspråk"])
    page = html(client, INTERVIEWS + "?amne=tillit")
    assert "Samtal ett" in page and "Samtal två" not in page
    with commit():
        for interview, tags in ((first, "klarspråk"), (second, "tillit")):
            data = interview_form_data(
                title=interview.title,
                slug=interview.slug,
                tags=tags,
                status="published",
                published_at_0="2026-01-05",
                published_at_1="10:00:00",
            )
            url = reverse("admin:interviews_interview_change", args=[interview.pk])
            assert admin_client.post(url, data).status_code == 302
    page = html(client, INTERVIEWS + "?amne=tillit")
    assert "Samtal två" in page and "Samtal ett" not in page


def test_directory_filter_and_topic_follow_interests_changed_through_the_service(client, commit):
    tove, tage = public_members("Tove Tillit", "Tage Annat")
    member_services.member_profile_update(
        member=tove, name="Tove Tillit", is_public=True, interests=["tillit"]
    )
    for path in (MEMBERS + "?amne=tillit", TOPIC):
        page = html(client, path)
        assert "Tove Tillit" in page and "Tage Annat" not in page, path
    with commit():
        member_services.member_profile_update(member=tove, name="Tove Tillit", is_public=True, interests=[])
        member_services.member_profile_update(
            member=tage, name="Tage Annat", is_public=True, interests=["tillit"]
        )
    for path in (MEMBERS + "?amne=tillit", TOPIC):
        page = html(client, path)
        assert "Tage Annat" in page and "Tove Tillit" not in page, path


def test_pages_follow_tags_changed_through_taggits_api_without_saving_the_object(client, commit):
    x = EventFactory(title="Evenemang X")
    y = EventFactory(title="Evenemang Y")
    first = InterviewFactory(title="Samtal ett", tags=["tillit"])
    second = InterviewFactory(title="Samtal två")
    x.tags.add("tillit")
    pages = (TOPIC, EVENTS + "?amne=tillit", INTERVIEWS + "?amne=tillit", reverse("topic-list"))
    for path in pages:
        html(client, path)
    assert "Samtal två" not in html(client, TOPIC) and ">tillit<" in card(html(client, HOME), "Samtal ett")
    with commit():
        x.tags.remove("tillit")
        y.tags.add("tillit")
        first.tags.clear()
        second.tags.set(["tillit"])
    page = html(client, TOPIC)
    assert "Evenemang Y" in page and "Samtal två" in page
    assert "Evenemang X" not in page and "Samtal ett" not in page
    page = html(client, EVENTS + "?amne=tillit")
    assert "Evenemang Y" in page and "Evenemang X" not in page
    page = html(client, INTERVIEWS + "?amne=tillit")
    assert "Samtal två" in page and "Samtal ett" not in page
    assert ">tillit<" in card(html(client, HOME), "Samtal två")
    assert ">tillit<" not in card(html(client, HOME), "Samtal ett")


def test_topic_list_counts_follow_a_tag_moved_between_kinds(client, commit):
    interview = InterviewFactory(tags=["tillit"])
    InterviewFactory(tags=["klarspråk"], status="draft", published_at=None)
    event = EventFactory()
    page = html(client, reverse("topic-list"))
    assert 'tillit</a> <span class="small">(1 sak)' in page
    with commit():
        interview.tags.remove("tillit")
        event.tags.add("tillit", "klarspråk")
    page = html(client, reverse("topic-list"))
    assert "klarspråk</a>" in page and 'tillit</a> <span class="small">(1 sak)' in page


def test_a_shared_cache_that_lost_the_generations_renders_afresh(client):
    EventFactory(title="Evenemang X")
    assert loads_rows(client, EVENTS, '"events_event"."summary"')
    assert not loads_rows(client, EVENTS, '"events_event"."summary"')
    caches["default"].clear()  # the shared cache lost everything: the fragments must not be served
    assert loads_rows(client, EVENTS, '"events_event"."summary"')


# --- Kept from the fragment tests: per filter and language, the menu per section and visitor ---


def test_event_cards_are_cached_per_filter_and_language(client):
    EventFactory(title="I Malmö", city="Malmö", capacity=5)
    EventFactory(title="I Umeå", city="Umeå")
    everything = client.get(reverse("events:event-list")).content.decode()
    assert "I Malmö" in everything and "I Umeå" in everything and "5 platser kvar" in everything
    malmo = client.get(reverse("events:event-list") + "?city=Malm%C3%B6").content.decode()
    assert "I Malmö" in malmo and "I Umeå" not in malmo
    client.post(reverse("set_language"), {"language": "en"})
    english = client.get(reverse("events:event-list")).content.decode()
    assert "5 places left" in english and "5 platser kvar" not in english


def test_the_city_filter_offers_a_new_city_at_once(client, commit):
    EventFactory(city="Malmö")
    path = reverse("events:event-list")
    assert "Kiruna" not in client.get(path).content.decode()
    with commit():
        EventFactory(city="Kiruna")
    assert '<option value="Kiruna">Kiruna</option>' in client.get(path).content.decode()


def test_the_cached_menu_marks_the_current_section_in_the_visitors_language(client):
    sections = {
        reverse("events:event-list"): "Evenemang",
        reverse("interviews:interview-list"): "Intervjuer",
        reverse("members:member-list"): "Medlemmar",
        reverse("search"): "Sök",
    }
    for _ in range(2):  # the second round is served from the cache
        for path, label in sections.items():
            html = client.get(path).content.decode()
            assert html.count('aria-current="page"') == 1
            assert f'aria-current="page">{label}</a>' in html
    assert 'aria-current="page"' not in client.get(reverse("about")).content.decode()
    client.post(reverse("set_language"), {"language": "en"})
    html = client.get(reverse("events:event-list")).content.decode()
    assert 'aria-current="page">Events</a>' in html and "Sign in" in html


def test_a_signed_in_member_gets_their_own_menu_and_a_working_sign_out(client):
    member = MemberFactory()
    client.get(reverse("about"))  # the guest menu is cached now
    client.force_login(member)
    html = client.get(reverse("about")).content.decode()
    assert member.get_absolute_url() in html and "Logga ut" in html and "Logga in" not in html
    assert 'name="csrfmiddlewaretoken"' in html


# --- Writes that send no model signal: bulk_update, update(), and what they cause ----------------


def test_interview_page_and_search_follow_questions_reordered_by_the_service(client, commit):
    interview = InterviewFactory(title="Samtal om ordning")
    first = QuestionFactory(interview=interview, order=1, answer="Det första svaret.")
    second = QuestionFactory(interview=interview, order=2, answer="Det andra svaret.")
    interview_services.interview_body_refresh(interview=interview)
    page = html(client, interview.get_absolute_url())
    assert page.index("Det första svaret.") < page.index("Det andra svaret.")
    with commit():  # bulk_update and update(): no post_save is sent for either
        interview_services.interview_questions_order(interview=interview, questions=[second, first])
    page = html(client, interview.get_absolute_url())
    assert page.index("Det andra svaret.") < page.index("Det första svaret.")


def test_search_follows_the_text_refreshed_from_questions_saved_in_bulk(client, commit):
    interview = InterviewFactory(title="Samtal om ordning")
    question = QuestionFactory(interview=interview, answer="Om tillit.")
    interview_services.interview_body_refresh(interview=interview)
    search = reverse("search") + "?q=klarspråksarbete"
    assert "Samtal om ordning" not in html(client, search)
    with commit():  # a data fix: the answers rewritten in bulk, then the search text refreshed
        question.answer = "Om klarspråksarbete."
        Question.objects.bulk_update([question], ["answer"])
        interview_services.interview_body_refresh(interview=interview)
    assert "Samtal om ordning" in html(client, search)


# --- Account deletion: every page that named the member forgets them at once ----------------------


def test_pages_forget_a_member_who_deletes_their_account(client, commit):
    leaving, staying = public_members("Lisa Lämnar", "Sven Stannar")
    member_services.member_profile_update(
        member=leaving, name="Lisa Lämnar", is_public=True, interests=["avsked"]
    )
    upcoming = EventFactory(title="Kommande träff", capacity=2)
    past = EventFactory(
        title="Tidigare träff",
        start=timezone.now() - timedelta(days=2),
        end=timezone.now() - timedelta(days=2) + timedelta(hours=2),
    )
    past.organisers.add(leaving)
    going(upcoming, leaving, show_publicly=True)
    Rsvp.objects.create(event=past, member=leaving, status=Rsvp.Status.GOING, show_publicly=True)
    Event.objects.filter(pk=past.pk).update(going_count=1)
    pages = (MEMBERS, upcoming.get_absolute_url(), past.get_absolute_url(), reverse("topic-list"))
    for path in pages[:3]:
        assert "Lisa Lämnar" in html(client, path), path
    assert ">avsked</a>" in html(client, reverse("topic-list"))
    assert "1 plats kvar" in card(html(client, EVENTS), "Kommande träff")
    with commit():
        member_services.member_delete(member=leaving)
        going(upcoming, staying)  # the freed place is taken again: the count is what it was
    for path in pages:
        page = html(client, path)
        assert "Lisa Lämnar" not in page and "avsked" not in page, path
    assert "1 person" in html(client, past.get_absolute_url())
    assert "1 plats kvar" in card(html(client, EVENTS), "Kommande träff")


# --- One meaning of a public profile: Member.objects.public(), also where a page links a name -------


def test_event_and_interview_pages_link_only_profiles_anyone_may_open(client, commit):
    olle, oda = public_members("Olle Ordnare", "Oda Ordnare")
    event = EventFactory()
    event.organisers.add(olle, oda)
    interview = InterviewFactory(interviewee_name="Olle Ordnare", interviewee_member=olle)
    pages = (event.get_absolute_url(), interview.get_absolute_url())
    for path in pages:
        assert f'href="{olle.get_absolute_url()}"' in html(client, path), path
    with commit():  # staff close Olle's account; his profile is public by his choice, but nobody's now
        olle.is_active = False
        olle.save()
    assert client.get(olle.get_absolute_url()).status_code == 404
    for path in pages:
        page = html(client, path)
        assert "Olle Ordnare" in page and f'href="{olle.get_absolute_url()}"' not in page, path
    assert f'href="{oda.get_absolute_url()}"' in html(client, event.get_absolute_url())


# --- A read replica: what a cache keeps is read from the primary -------------------------------------


@pytest.fixture
def lagging_replica(settings, transactional_db):
    """A second connection to the test database as the "replica" (otg.db_router), which lags while
    ``with lagging():`` holds a snapshot taken before the writes in it; the snapshot ends with the block,
    as a replica catches up."""
    from contextlib import contextmanager

    from django.db import connections

    connections.settings["replica"] = {**connections["default"].settings_dict}
    settings.DATABASE_ROUTERS = ["otg.db_router.ReplicaRouter"]
    settings.DATABASE_REPLICA_APPS = ["interviews", "taggit"]
    replica = connections["replica"]
    # Connected here: Django's test case allows connections only to the aliases that existed when it
    # was set up, and it asks ensure_connection() only while there is none.
    replica.connect()

    @contextmanager
    def lagging():
        replica.connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        replica.connection.execute("SELECT count(*) FROM interviews_interview")  # the snapshot
        try:
            yield
        finally:
            replica.connection.execute("COMMIT")

    yield lagging
    replica.close()
    del connections["replica"]
    del connections.settings["replica"]


def test_pages_cached_after_a_write_are_read_from_the_primary_not_a_lagging_replica(client, lagging_replica):
    out = InterviewFactory(title="Samtal ute")
    waiting = InterviewFactory(title="Samtal väntar", status="draft", published_at=None)
    pages = (INTERVIEWS, HOME, out.get_absolute_url())
    for path in pages:
        assert "Samtal ute" in html(client, path), path
    with lagging_replica():
        interview_services.interview_unpublish(interview=out)  # committed on the primary: retired
        interview_services.interview_publish(interview=waiting)
        for path in pages[:2]:
            page = html(client, path)
            assert "Samtal väntar" in page and "Samtal ute" not in page, path
        assert client.get(out.get_absolute_url()).status_code == 404
    for path in pages[:2]:  # the replica has caught up: still the truth, and no copy of its lag
        page = html(client, path)
        assert "Samtal väntar" in page and "Samtal ute" not in page, path


# --- Data migrations: historical models send no signal to the receivers that bump ----------------


def test_pages_follow_what_a_data_migration_wrote(client, commit):
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    x = EventFactory(title="Evenemang före")
    pages = (EVENTS, HOME, x.get_absolute_url(), FEED)
    for path in pages:
        assert "Evenemang före" in html(client, path), path
    with commit():
        # What a RunPython function does: the model as the migrations know it, whose save() sends
        # post_save with that class as sender, not events.Event.
        historical = MigrationExecutor(connection).loader.project_state().apps.get_model("events", "Event")
        row = historical.objects.get(pk=x.pk)
        row.title = "Evenemang efter"
        row.save()
        call_command("migrate", verbosity=0)  # the same command that ran the data migration ends
    for path in pages:
        page = html(client, path)
        assert "Evenemang efter" in page and "Evenemang före" not in page, path


# --- Who is named as coming: the member's own choice and the host's removal, through the pages -----


def test_event_page_follows_members_who_hide_and_show_that_they_come(client, commit):
    hiding, showing = public_members("Hanna Döljer", "Sara Visar")
    event = EventFactory(capacity=5)
    going(event, hiding, show_publicly=True)
    going(event, showing, show_publicly=False)
    page = html(client, event.get_absolute_url())
    assert "Hanna Döljer" in page and "Sara Visar" not in page and "3 platser kvar" in page
    path = reverse("events:rsvp-update", args=[event.slug])
    with commit():
        for member, shown in ((hiding, ""), (showing, "on")):
            member_client = type(client)()
            member_client.force_login(member)
            assert member_client.post(path, {"show_publicly": shown}).status_code == 302
    page = html(client, event.get_absolute_url())
    assert "Sara Visar" in page and "Hanna Döljer" not in page and "3 platser kvar" in page


def test_event_page_stops_naming_an_attendee_a_host_removed(client, commit):
    host, removed, waiting = public_members("Vera Värd", "Rolf Borttagen", "Vilma Väntar")
    event = EventFactory(capacity=1)
    event.organisers.add(host)
    (rsvp,) = going(event, removed, show_publicly=True)
    going(event, waiting, show_publicly=True)
    page = html(client, event.get_absolute_url())
    assert "Rolf Borttagen" in page and "Vilma Väntar" not in page
    host_client = type(client)()
    host_client.force_login(host)
    with commit():
        url = reverse("events:attendee-remove", args=[event.slug, rsvp.pk])
        assert host_client.post(url, {"reason": "Uppförandekoden."}).status_code == 302
    page = html(client, event.get_absolute_url())
    assert "Vilma Väntar" in page and "Rolf Borttagen" not in page


def test_event_list_and_page_follow_a_cover_set_and_another_cleared(client, commit):
    with_cover = EventFactory(title="Evenemang med bild")
    without = EventFactory(title="Evenemang utan bild")
    event_cover_set(event=with_cover, upload=photo_upload(), alt="En sal")
    page = html(client, EVENTS)
    assert "<img" in card(page, "Evenemang med bild") and "<img" not in card(page, "Evenemang utan bild")
    assert 'alt="En sal"' in html(client, with_cover.get_absolute_url())
    with commit():
        event_cover_clear(event=with_cover)
        event_cover_set(event=without, upload=photo_upload(), alt="En trappa")
    page = html(client, EVENTS)
    assert "<img" in card(page, "Evenemang utan bild") and "<img" not in card(page, "Evenemang med bild")
    assert 'alt="En sal"' not in html(client, with_cover.get_absolute_url())


def test_topic_slugs_that_name_no_topic_keep_nothing_in_the_workers_cache(client):
    EventFactory().tags.add("tillit")
    html(client, TOPIC)
    kept = caches["template_fragments"]
    before = len(kept._cache)  # LocMemCache's entries: what this worker holds
    for n in range(30):
        assert client.get(reverse("topic-detail", args=[f"finns-inte-{n}"])).status_code == 404
    assert len(kept._cache) == before
    assert client.get(TOPIC).status_code == 200


def test_page_links_in_a_cached_list_carry_the_parameters_of_its_key_not_a_visitors_query_string(client):
    stem = ("Långnamn " * 12)[:100]  # the directory searches by the first 100 characters typed
    for n in range(25):  # two pages
        MemberFactory(name=f"{stem} {n:02}", is_public=True)
    first = client.get(MEMBERS, {"q": stem + " Xyzzy-länk"}).content.decode()
    assert "sida=2" in first
    second = client.get(MEMBERS, {"q": stem}).content.decode()  # the same search, the same key
    assert "sida=2" in second and "Xyzzy" not in second


def test_filters_by_a_topic_that_is_not_in_use_share_one_cached_copy(client):
    EventFactory().tags.add("tillit")
    MemberFactory(is_public=True, interests=["tillit"])
    kept = caches["template_fragments"]
    for path in (EVENTS, MEMBERS):
        html(client, path + "?amne=finns-inte-0")
        before = len(kept._cache)  # LocMemCache's entries: what this worker holds
        for n in range(1, 30):
            assert "finns-inte-0" not in html(client, path + f"?amne=finns-inte-{n}"), path
        assert len(kept._cache) == before, path
