"""The unconference board's pages, as a member, a host and a visitor use them without JavaScript."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.models import Placement, Rsvp, Session
from events.services import schedule
from events.services import sessions as board
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English, the language their strings are written in (Swedish is the site's default)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def event():
    event = EventFactory(title="Förvaltningsdagen", slug="forvaltningsdagen", kind="unconference")
    return event


@pytest.fixture
def host(event):
    member = MemberFactory(name="Hanna Värd")
    event.organisers.add(member)
    return member


def _session(event, title="Klarspråk", **kwargs):
    return board.session_propose(
        event=event,
        member=kwargs.pop("member", None) or MemberFactory(),
        title=title,
        pitch="Om **klarspråk**.",
        **kwargs,
    )


def _place_grid(event):
    rooms = [
        board.room_create(event=event, name=n, seats=s) for n, s in (("Stora salen", 40), ("Lilla rummet", 8))
    ]
    slots = [
        board.slot_create(
            event=event,
            starts=event.start + timedelta(hours=i),
            ends=event.start + timedelta(hours=i, minutes=45),
        )
        for i in range(2)
    ]
    return rooms, slots


def test_propose_form_puts_the_session_on_the_board(client, event):
    member = MemberFactory()
    client.force_login(member)
    response = client.post(
        reverse("events:session-propose", args=[event.slug]),
        {"title": "Öppna data", "pitch": "Vi visar *hur*.", "format": "show_and_tell"},
        follow=True,
    )
    session = Session.objects.get()
    assert (session.title, session.proposer, session.format) == ("Öppna data", member, "show_and_tell")
    assert "<em>hur</em>" in response.content.decode()


def test_propose_form_refuses_a_long_pitch_and_says_so(client, event):
    client.force_login(MemberFactory())
    response = client.post(
        reverse("events:session-propose", args=[event.slug]),
        {"title": "Lång", "pitch": "x" * 501, "format": "discussion"},
    )
    assert "There is a problem" in response.content.decode()
    assert not Session.objects.exists()


def test_propose_asks_an_unverified_member_to_verify(client, event):
    client.force_login(MemberFactory(verified_email=False))
    response = client.post(
        reverse("events:session-propose", args=[event.slug]),
        {"title": "A", "pitch": "B", "format": "discussion"},
    )
    assert "Verify your email address" in response.content.decode()
    assert not Session.objects.exists()


def test_board_of_a_meetup_is_not_found(client):
    meetup = EventFactory(kind="meetup")
    assert client.get(reverse("events:session-board", args=[meetup.slug])).status_code == 404


def test_want_and_take_back_from_the_board(client, event):
    session = _session(event)
    member = MemberFactory()
    client.force_login(member)
    url = reverse("events:session-board", args=[event.slug])
    response = client.post(
        reverse("events:session-want", args=[event.slug, session.pk]), {"next": url}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"{url}#session-{session.pk}"  # at the session
    assert "1 wants to take part" in page and 'aria-pressed="true"' in page
    response = client.post(
        reverse("events:session-unwant", args=[event.slug, session.pk]), {"next": url}, follow=True
    )
    assert "0 want to take part" in response.content.decode()
    assert not session.interests.exists()


def test_board_sorts_by_interest_with_counts(client, event):
    _session(event, title="Lite")
    popular = _session(event, title="Mycket")
    for _ in range(2):
        board.session_want(session=popular, member=MemberFactory())
    page = client.get(reverse("events:session-board", args=[event.slug])).content.decode()
    assert page.index("Mycket") < page.index("Lite")
    assert "2 want to take part" in page


def test_a_long_board_comes_a_page_at_a_time_most_wanted_first(client, event):
    from events.views.sessions import BOARD_PAGE_SIZE

    sessions = [_session(event, title=f"Session nummer {n:02}") for n in range(BOARD_PAGE_SIZE + 1)]
    for session in sessions[:BOARD_PAGE_SIZE]:  # every session but the last is wanted by someone
        board.session_want(session=session, member=MemberFactory())
    url = reverse("events:session-board", args=[event.slug])
    first = client.get(url).content.decode()
    assert first.count('class="session-item"') == BOARD_PAGE_SIZE
    assert "Session nummer 00" in first and f"Session nummer {BOARD_PAGE_SIZE:02}" not in first
    assert "Page 1 of 2" in first and 'href="?sida=2"' in first
    second = client.get(url + "?sida=2").content.decode()
    assert second.count('class="session-item"') == 1
    assert f"Session nummer {BOARD_PAGE_SIZE:02}" in second
    assert f'start="{BOARD_PAGE_SIZE + 1}"' in second  # the list goes on numbering: 31st most wanted
    # Junk and numbers past the end read as a page that exists.
    assert "Session nummer 00" in client.get(url + "?sida=abc").content.decode()
    assert f"Session nummer {BOARD_PAGE_SIZE:02}" in client.get(url + "?sida=99").content.decode()


def test_wanting_from_a_later_page_of_the_board_comes_back_to_it(client, event):
    from events.views.sessions import BOARD_PAGE_SIZE

    sessions = [_session(event, title=f"Session nummer {n:02}") for n in range(BOARD_PAGE_SIZE + 1)]
    for session in sessions[:BOARD_PAGE_SIZE]:
        board.session_want(session=session, member=MemberFactory())
    client.force_login(MemberFactory())
    page = client.get(reverse("events:session-board", args=[event.slug]) + "?sida=2").content.decode()
    last = sessions[-1]
    want = reverse("events:session-want", args=[event.slug, last.pk])
    form = page.split(f'action="{want}"', 1)[1].split("</form>", 1)[0]
    next_value = form.split('name="next" value="', 1)[1].split('"', 1)[0]
    response = client.post(want, {"next": next_value.replace("&amp;", "&")})
    assert response.url == reverse("events:session-board", args=[event.slug]) + f"?sida=2#session-{last.pk}"
    assert last.interests.count() == 1


def _want_form_next(page: str, action: str) -> str:
    form = page.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    return form.split('name="next" value="', 1)[1].split('"', 1)[0].replace("&amp;", "&")


def test_wanting_a_session_that_climbs_to_page_one_lands_where_it_now_stands(client, event):
    """Wanted from page 2, a session can pass others and move to page 1: the member is brought to it
    there (its ✓ and its new count), not to page 2, where it is gone and another stands in its place."""
    from events.views.sessions import BOARD_PAGE_SIZE

    sessions = [_session(event, title=f"Session nummer {n:02}") for n in range(BOARD_PAGE_SIZE + 1)]
    for session in sessions:  # every session wanted once: the last is 31st by its age
        board.session_want(session=session, member=MemberFactory())
    url = reverse("events:session-board", args=[event.slug])
    client.force_login(MemberFactory())
    last = sessions[-1]
    want = reverse("events:session-want", args=[event.slug, last.pk])
    second_page = client.get(url + "?sida=2").content.decode()
    response = client.post(want, {"next": _want_form_next(second_page, want)})

    assert response.url == f"{url}#session-{last.pk}"
    page = client.get(response.url).content.decode()
    item = page.split(f'id="session-{last.pk}"', 1)[1].split("</li>", 1)[0]
    assert "Session nummer 30" in item and "2 want to take part" in item and "I want to take part ✓" in item

    # Taken back, it falls to page 2 again, and the member is brought there.
    unwant = reverse("events:session-unwant", args=[event.slug, last.pk])
    back = client.post(unwant, {"next": _want_form_next(page, unwant)})
    assert back.url == f"{url}?sida=2#session-{last.pk}"
    assert f'id="session-{last.pk}"' in client.get(back.url).content.decode()


def test_wanting_from_a_session_page_or_a_hidden_session_goes_back_where_it_was_asked(client, event, host):
    session = _session(event)
    client.force_login(MemberFactory())
    want = reverse("events:session-want", args=[event.slug, session.pk])
    assert client.post(want, {"next": session.get_absolute_url()}).url == session.get_absolute_url()
    board_url = reverse("events:session-board", args=[event.slug]) + "?sida=2"
    board.session_hide(session=session, reason="Reklam.")
    proposer = session.proposer
    client.force_login(proposer)
    assert client.post(want, {"next": board_url}).url == board_url  # not on the board: nowhere to go


def test_a_visitor_who_signs_in_from_page_two_of_the_board_comes_back_to_page_two(client, event):
    from events.views.sessions import BOARD_PAGE_SIZE

    for n in range(BOARD_PAGE_SIZE + 1):
        _session(event, title=f"Session nummer {n:02}")
    url = reverse("events:session-board", args=[event.slug])
    page = client.get(url + "?sida=2&utm_source=x").content.decode()
    login = reverse("account_login")
    assert f'href="{login}?next={url}%3Fsida%3D2"' in page  # the page asked for, and nothing else typed
    assert f'href="{login}?next={url}"' in client.get(url).content.decode()


def test_session_page_names_only_those_shown_as_coming(client, event):
    session = _session(event)
    shown, private = (
        MemberFactory(name="Synlig Svensson", is_public=True),
        MemberFactory(name="Dold Danielsson", is_public=True),
    )
    Rsvp.objects.create(event=event, member=shown, status="going", show_publicly=True)
    Rsvp.objects.create(event=event, member=private, status="going", show_publicly=False)
    for member in (shown, private):
        board.session_want(session=session, member=member)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Synlig Svensson" in page and "Dold Danielsson" not in page
    assert "2 want to take part" in page


def test_hidden_session_shows_its_reason_to_the_proposer_only(client, event, host):
    proposer = MemberFactory()
    session = _session(event, member=proposer)
    client.force_login(host)
    client.post(reverse("events:session-hide", args=[event.slug, session.pk]), {"reason": "Det är reklam."})
    client.force_login(proposer)
    assert "Det är reklam." in client.get(session.get_absolute_url()).content.decode()
    assert "Det är reklam." in client.get(reverse("events:session-board", args=[event.slug])).content.decode()
    client.force_login(MemberFactory())
    assert client.get(session.get_absolute_url()).status_code == 404
    assert "Klarspråk" not in client.get(reverse("events:session-board", args=[event.slug])).content.decode()


def test_only_hosts_reach_the_schedule(client, event, host):
    url = reverse("events:host-schedule", args=[event.slug])
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404
    client.force_login(host)
    assert client.get(url).status_code == 200


def test_host_defines_rooms_slots_and_places_with_forms(client, event, host):
    session = _session(event)
    client.force_login(host)
    url = reverse("events:host-schedule", args=[event.slug])
    client.post(url, {"action": "room-add", "room-name": "Stora salen", "room-seats": "30"})
    # The form takes whole minutes: the first whole minute within the event.
    starts = timezone.localtime(event.start).replace(second=0, microsecond=0) + timedelta(minutes=1)
    client.post(
        url,
        {
            "action": "slot-add",
            "slot-starts": f"{starts:%Y-%m-%dT%H:%M}",
            "slot-ends": f"{starts + timedelta(minutes=45):%Y-%m-%dT%H:%M}",
        },
    )
    room, slot = event.rooms.get(), event.slots.get()
    response = client.post(
        url, {"action": "place", "session": session.pk, "room": room.pk, "slot": slot.pk}, follow=True
    )
    assert "is placed" in response.content.decode()
    assert Placement.objects.get().session == session
    other = _session(event, title="Tvåa")
    response = client.post(
        url, {"action": "place", "session": other.pk, "room": room.pk, "slot": slot.pk}, follow=True
    )
    page = response.content.decode()
    assert "was just taken by “Klarspråk”" in page
    assert Placement.objects.count() == 1


def test_schedule_page_shows_what_is_wrong(client, event, host):
    proposer = MemberFactory()
    a, b = _session(event, title="A", member=proposer), _session(event, title="B", member=proposer)
    (big, small), (early, _late) = _place_grid(event)
    for _ in range(9):
        board.session_want(session=a, member=MemberFactory())
    board.session_place(session=a, room=small, slot=early)
    board.session_place(session=b, room=big, slot=early)
    client.force_login(host)
    page = client.get(reverse("events:host-schedule", args=[event.slug])).content.decode()
    assert "Lilla rummet has 8 seats, and 9 want to come." in page
    assert "A proposer is in two places at once" in page


def test_suggestion_shown_and_accepted(client, event, host):
    a, b = _session(event, title="A"), _session(event, title="B")
    member = MemberFactory()
    for session in (a, b):
        board.session_want(session=session, member=member)
    _place_grid(event)
    client.force_login(host)
    url = reverse("events:host-schedule", args=[event.slug])
    assert "Use the suggestion" in client.get(url + "?forslag=1").content.decode()
    client.post(url, {"action": "suggestion-accept"})
    slots = set(Placement.objects.values_list("slot_id", flat=True))
    assert len(slots) == 2  # wanted by the same member: at different times


def test_event_page_shows_the_published_schedule_as_a_table(
    client, event, host, django_capture_on_commit_callbacks
):
    session = _session(event, title="Klarspråk")
    (big, _small), (early, _late) = _place_grid(event)
    board.session_place(session=session, room=big, slot=early)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "1 session is proposed" in page and "<table" not in page
    with django_capture_on_commit_callbacks(execute=True):  # the commit retires the kept page
        schedule.schedule_publish(event=event)
    page = client.get(event.get_absolute_url()).content.decode()
    assert '<th scope="col"><span lang="sv">Stora salen</span>' in page
    assert '<th scope="row"><time' in page
    assert "Klarspråk</a>" in page


def test_session_ics_once_placed_and_published(client, event):
    session = _session(event, title="Klarspråk")
    (big, _small), (early, _late) = _place_grid(event)
    url = reverse("events:session-ics", args=[event.slug, session.pk])
    assert client.get(url).status_code == 404
    board.session_place(session=session, room=big, slot=early)
    schedule.schedule_publish(event=event)
    calendar = Calendar.from_ical(client.get(url).content)
    entry = calendar.walk("VEVENT")[0]
    assert str(entry["summary"]) == "Klarspråk"
    assert entry.decoded("dtstart") == early.starts.replace(microsecond=0)
    assert "Stora salen" in str(entry["location"])


def test_my_schedule_marks_clashes_in_time_order(client, event):
    member = MemberFactory()
    late, first, clash = (_session(event, title=t) for t in ("Sent", "Tidigt", "Krock"))
    (big, small), (early, later) = _place_grid(event)
    board.session_place(session=late, room=big, slot=later)
    board.session_place(session=first, room=big, slot=early)
    board.session_place(session=clash, room=small, slot=early)
    for session in (late, first, clash):
        board.session_want(session=session, member=member)
    schedule.schedule_publish(event=event)
    client.force_login(member)
    page = client.get(reverse("events:my-schedule", args=[event.slug])).content.decode()
    assert page.index("Krock") < page.index("Tidigt") < page.index("Sent")
    assert page.count("session-clash") == 2


def test_now_and_next_page(client, event, time_machine):
    a, b = _session(event, title="Pågår"), _session(event, title="Sedan")
    (big, _small), (early, later) = _place_grid(event)
    board.session_place(session=a, room=big, slot=early)
    board.session_place(session=b, room=big, slot=later)
    schedule.schedule_publish(event=event)
    time_machine.move_to(early.starts + timedelta(minutes=10))
    page = client.get(reverse("events:now-and-next", args=[event.slug])).content.decode()
    assert page.index("Pågår") < page.index("Sedan")


def test_notes_form_warns_under_chatham_house(client, event):
    proposer = MemberFactory()
    session = _session(event, member=proposer, chatham_house=True)
    client.force_login(proposer)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "held under the Chatham House rule" in page
    assert "never who said it" in page
    client.post(
        reverse("events:session-notes", args=[event.slug, session.pk]), {"notes": "Tre **insikter**."}
    )
    session.refresh_from_db()
    assert session.notes == "Tre **insikter**."
    client.force_login(MemberFactory())
    assert (
        client.post(
            reverse("events:session-notes", args=[event.slug, session.pk]), {"notes": "x"}
        ).status_code
        == 404
    )


def test_board_in_swedish(client, event):
    _session(event)
    client.cookies.load({"django_language": "sv"})
    page = client.get(
        reverse("events:session-board", args=[event.slug]), headers={"accept-language": "sv"}
    ).content.decode()
    assert "Jag vill vara med" in page or "Föreslå en session" in page


def test_refused_chatham_house_notes_are_shown_again_with_the_reason(client, event):
    proposer = MemberFactory(name="Petra Förslag")
    session = _session(event, member=proposer, chatham_house=True)
    client.force_login(proposer)
    response = client.post(
        reverse("events:session-notes", args=[event.slug, session.pk]), {"notes": "Petra Förslag sa att ..."}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "may not name Petra Förslag" in page and "Petra Förslag sa att ..." in page
    session.refresh_from_db()
    assert session.notes == ""


def test_schedule_page_reads_in_a_fixed_number_of_queries(client, event, host, django_assert_max_num_queries):
    (big, small), (early, late) = _place_grid(event)
    for i in range(30):
        session = _session(event, title=f"Session {i}")
        board.session_want(session=session, member=MemberFactory())
        if i < 4:
            board.session_place(session=session, room=(big, small)[i % 2], slot=(early, late)[i // 2])
    client.force_login(host)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("events:host-schedule", args=[event.slug]))
    assert page.content.decode().count('class="place-form"') == 30
