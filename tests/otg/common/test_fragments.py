"""Cached card lists: rendered once per version of their content, and never stale after a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services as event_services
from tests.factories import EventFactory, InterviewFactory, MemberFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def loads_rows(client, path: str, column: str) -> bool:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return any(column in query["sql"] for query in queries.captured_queries)


def test_interview_cards_are_rendered_once_and_follow_an_edit(client):
    interview = InterviewFactory(title="Första titeln")
    InterviewFactory(title="En annan intervju")
    path = reverse("interviews:interview-list")
    assert loads_rows(client, path, '"interviews_interview"."title"')
    assert not loads_rows(client, path, '"interviews_interview"."title"')  # cached cards
    interview.title = "Ny titel"
    interview.save()
    html = client.get(path).content.decode()
    assert "Ny titel" in html and "Första titeln" not in html


def test_interview_cards_show_a_new_publication_at_once(client):
    InterviewFactory(title="Gammal")
    path = reverse("interviews:interview-list")
    client.get(path)
    InterviewFactory(title="Alldeles ny")
    assert "Alldeles ny" in client.get(path).content.decode()


def test_event_cards_show_places_left_after_every_rsvp(client):
    event = EventFactory(title="Frukost", capacity=2)
    path = reverse("events:event-list")
    assert "2 platser kvar" in client.get(path).content.decode()
    assert not loads_rows(client, path, '"events_event"."summary"')  # cached cards
    event_services.rsvp_create(event=event, member=MemberFactory())
    assert "1 plats kvar" in client.get(path).content.decode()
    event_services.rsvp_create(event=event, member=MemberFactory())
    assert "Fullt" in client.get(path).content.decode()


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


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_a_cached_list_costs_one_query(client):
    EventFactory(title="Frukost", city="Malmö")
    InterviewFactory(title="Ett samtal")
    for path in (reverse("events:event-list"), reverse("interviews:interview-list")):
        client.get(path)
        # The version of the list, whose count serves the paginator too.
        assert count_queries(client, path) == 1


def test_the_city_filter_offers_a_new_city_at_once(client):
    EventFactory(city="Malmö")
    path = reverse("events:event-list")
    assert "Kiruna" not in client.get(path).content.decode()
    EventFactory(city="Kiruna")
    assert '<option value="Kiruna">Kiruna</option>' in client.get(path).content.decode()


def test_home_follows_places_and_publications(client):
    event = EventFactory(title="Frukostmöte", capacity=1)
    home = reverse("home")
    assert "Frukostmöte" in client.get(home).content.decode()
    assert count_queries(client, home) == 1  # the version of both lists, nothing else
    event_services.rsvp_create(event=event, member=MemberFactory())
    assert "Frukostmöte" not in client.get(home).content.decode()  # full: no places left
    InterviewFactory(title="Nyss publicerad")
    assert "Nyss publicerad" in client.get(home).content.decode()


def test_an_event_page_costs_one_query_and_follows_the_event(client):
    event = EventFactory(title="Verkstad", description="Vi **ritar** tjänster.")
    event.tags.add("tjänstedesign")
    path = event.get_absolute_url()
    assert "<strong>ritar</strong>" in client.get(path).content.decode()
    assert count_queries(client, path) == 1
    event.description = "Vi **skriver** klarspråk."
    event.save()
    html = client.get(path).content.decode()
    assert "<strong>skriver</strong>" in html and "ritar" not in html


def test_an_event_page_stops_naming_a_member_who_hides_their_profile(client):
    from members.services import member_profile_update

    event = EventFactory()
    member = MemberFactory(name="Greta Synlig", is_public=True)
    event_services.rsvp_create(event=event, member=member, show_publicly=True)
    path = event.get_absolute_url()
    assert "Greta Synlig" in client.get(path).content.decode()
    member_profile_update(member=member, name="Greta Synlig", is_public=False)
    html = client.get(path).content.decode()
    assert "Greta Synlig" not in html and "1 person kommer." in html


def test_an_event_page_shows_a_new_name_of_an_organiser_and_of_an_attendee(client):
    from members.services import member_profile_update

    event = EventFactory()
    organiser = MemberFactory(name="Olle Ordnare", is_public=True)
    event.organisers.add(organiser)
    attendee = MemberFactory(name="Alva Deltar", is_public=True)
    event_services.rsvp_create(event=event, member=attendee, show_publicly=True)
    path = event.get_absolute_url()
    assert "Olle Ordnare" in client.get(path).content.decode()
    member_profile_update(member=organiser, name="Olle Omdöpt", is_public=True)
    member_profile_update(member=attendee, name="Alva Omdöpt", is_public=True)
    html = client.get(path).content.decode()
    assert "Olle Omdöpt" in html and "Alva Omdöpt" in html and "Olle Ordnare" not in html


def test_the_directory_costs_one_query_and_follows_every_profile_change(client):
    from members.services import member_profile_update

    path = reverse("members:member-list")
    shown = MemberFactory(name="Stina Synlig", is_public=True)
    hidden = MemberFactory(name="Harald Hemlig", is_public=False)
    html = client.get(path).content.decode()
    assert "Stina Synlig" in html and "Harald Hemlig" not in html
    assert count_queries(client, path) == 1
    member_profile_update(member=hidden, name="Harald Hemlig", is_public=True, interests=["tillit"])
    member_profile_update(member=shown, name="Stina Stängd", is_public=False)
    html = client.get(path).content.decode()
    assert "Harald Hemlig" in html and ">tillit<" in html
    assert "Stina" not in html


def test_the_topic_page_costs_one_query_and_follows_what_carries_the_tag(client):
    from members.services import member_profile_update

    member = MemberFactory(name="Tove Tillit", is_public=True)
    member.interests.add("tillit")
    path = reverse("topic-detail", args=["tillit"])
    assert "Tove Tillit" in client.get(path).content.decode()
    assert count_queries(client, path) == 1
    interview = InterviewFactory(title="Om tillit i kommunen")
    interview.tags.add("tillit")
    interview.save()
    assert "Om tillit i kommunen" in client.get(path).content.decode()
    member_profile_update(member=member, name="Tove Tillit", is_public=False, interests=["tillit"])
    assert "Tove Tillit" not in client.get(path).content.decode()


def test_an_interview_page_costs_one_query_and_follows_answers_and_events(client):
    from interviews.services import interview_body_refresh

    interview = InterviewFactory(title="Samtal om mod")
    question = QuestionFactory(interview=interview, answer="Det första svaret.")
    event = EventFactory(title="Frukost om mod")
    interview.related_events.add(event)
    interview.save()
    path = interview.get_absolute_url()
    html = client.get(path).content.decode()
    assert "Det första svaret." in html and "Frukost om mod" in html
    assert count_queries(client, path) == 1
    question.answer = "Ett nytt svar."
    question.save()
    interview_body_refresh(interview=interview)  # what the admin does after saving the questions
    event.title = "Lunch om mod"
    event.save()
    html = client.get(path).content.decode()
    assert "Ett nytt svar." in html and "Lunch om mod" in html
    assert "Det första svaret." not in html and "Frukost om mod" not in html


def test_search_results_cost_one_query_when_cached_and_follow_every_change(client):
    from members.services import member_profile_update

    path = reverse("search") + "?q=zebrafink"
    InterviewFactory(title="Zebrafinken i kommunen")
    member = MemberFactory(name="Zebrafink Svensson", is_public=True)
    html = client.get(path).content.decode()
    assert "Zebrafinken i kommunen" in html and "Zebrafink Svensson" in html
    assert count_queries(client, path) == 1  # the version of everything anyone may see
    EventFactory(title="Zebrafinkens dag")
    member_profile_update(member=member, name="Zebrafink Svensson", is_public=False)
    html = client.get(path).content.decode()
    assert "Zebrafinkens dag" in html and "Zebrafink Svensson" not in html


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


def test_the_topic_list_costs_one_query_and_counts_a_new_publication_at_once(client):
    InterviewFactory(tags=["tillit"])
    path = reverse("topic-list")
    assert "(1 sak)" in client.get(path).content.decode()
    assert count_queries(client, path) == 1
    EventFactory().tags.add("tillit")
    InterviewFactory(tags=["tillit"])
    assert "(3 saker)" in client.get(path).content.decode()
