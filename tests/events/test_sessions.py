"""The unconference board's rules: propose, want, hide, place, publish and tell (events.services.sessions)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from events.models import Placement, Rsvp, Session, SessionInterest
from events.services import schedule
from events.services import sessions as board
from events.services.sessions import SessionError
from members.services import member_delete
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages in English, the language they are written in; each mail is in its member's own."""
    with translation.override("en"):
        yield


@pytest.fixture
def mails(django_capture_on_commit_callbacks):
    """Run what is queued after commit (mail jobs, inline in tests) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def unconference():
    host = MemberFactory(name="Hanna Värd")
    event = EventFactory(title="Förvaltningsdagen", slug="forvaltningsdagen", kind="unconference")
    event.organisers.add(host)
    return event


def _propose(event, member=None, title="Klarspråk i praktiken", **kwargs):
    return board.session_propose(
        event=event, member=member or MemberFactory(), title=title, pitch="Vi pratar **klarspråk**.", **kwargs
    )


def _grid(event, rooms=(("Stora salen", 40), ("Lilla rummet", 8)), slots=2):
    start = event.start
    made_rooms = [board.room_create(event=event, name=name, seats=seats) for name, seats in rooms]
    made_slots = [
        board.slot_create(
            event=event, starts=start + timedelta(hours=i), ends=start + timedelta(hours=i, minutes=50)
        )
        for i in range(slots)
    ]
    return made_rooms, made_slots


def test_session_propose_keeps_the_pitch_and_sanitises_it_on_display(unconference):
    session = board.session_propose(
        event=unconference,
        member=MemberFactory(),
        title="Öppna data\n på riktigt",
        pitch="Se <script>alert(1)</script> [här](javascript:alert(1)) och **det här**.",
        format=Session.Format.WORKSHOP,
    )
    assert session.title == "Öppna data på riktigt"  # one line, one space: as the form stores it
    html = session.pitch_html
    assert "<strong>det här</strong>" in html
    assert "<script" not in html and "javascript:" not in html


def test_session_propose_refuses_a_pitch_over_500_characters(unconference):
    with pytest.raises(SessionError) as raised:
        board.session_propose(event=unconference, member=MemberFactory(), title="Lång", pitch="x" * 501)
    assert "500" in str(raised.value)
    assert not Session.objects.exists()


def test_session_propose_needs_a_verified_address(unconference):
    with pytest.raises(SessionError, match="Verify your email"):
        _propose(unconference, MemberFactory(verified_email=False))


def test_session_propose_only_on_an_unconference(unconference):
    with pytest.raises(SessionError, match="Only an unconference"):
        _propose(EventFactory(kind="meetup"))


def test_session_propose_during_the_event_but_not_after(unconference):
    during = unconference.start + timedelta(minutes=30)
    assert _propose(unconference, now=during).pk
    with pytest.raises(SessionError, match="over"):
        _propose(unconference, now=unconference.end + timedelta(minutes=1))


def test_session_want_counts_once_and_take_back(unconference):
    session = _propose(unconference)
    member = MemberFactory()
    assert board.session_want(session=session, member=member) is True
    assert board.session_want(session=session, member=member) is False
    session.refresh_from_db()
    assert session.interest_count == 1 == SessionInterest.objects.filter(session=session).count()
    assert board.session_unwant(session=session, member=member) is True
    assert board.session_unwant(session=session, member=member) is False
    session.refresh_from_db()
    assert session.interest_count == 0 == SessionInterest.objects.count()


def test_board_sorts_by_interest(unconference):
    quiet, popular = _propose(unconference, title="Tyst"), _propose(unconference, title="Populär")
    for _ in range(3):
        board.session_want(session=popular, member=MemberFactory())
    board.session_want(session=quiet, member=MemberFactory())
    assert [(s.title, s.interest_count) for s in board.board_sessions(unconference)] == [
        ("Populär", 3),
        ("Tyst", 1),
    ]


def test_deleting_an_account_takes_its_interest_out_of_the_count(unconference):
    session = _propose(unconference)
    leaving = MemberFactory()
    board.session_want(session=session, member=leaving)
    board.session_want(session=session, member=MemberFactory())
    member_delete(member=leaving)
    session.refresh_from_db()
    assert session.interest_count == 1 == session.interests.count()


def test_public_interested_names_only_those_shown_as_coming(unconference):
    session = _propose(unconference)
    shown = MemberFactory(name="Synlig Svensson", is_public=True)
    hidden = MemberFactory(name="Dold Danielsson", is_public=True)
    Rsvp.objects.create(event=unconference, member=shown, status=Rsvp.Status.GOING, show_publicly=True)
    Rsvp.objects.create(event=unconference, member=hidden, status=Rsvp.Status.GOING, show_publicly=False)
    for member in (shown, hidden):
        board.session_want(session=session, member=member)
    assert [m.name for m in board.public_interested(session)] == ["Synlig Svensson"]


def test_session_hide_needs_a_reason_and_frees_its_place(unconference):
    session = _propose(unconference)
    (room, _small), (slot, _later) = _grid(unconference)
    board.session_place(session=session, room=room, slot=slot)
    with pytest.raises(SessionError, match="why"):
        board.session_hide(session=session, reason="  ")
    board.session_hide(session=session, reason="Det här är reklam.")
    session.refresh_from_db()
    assert session.is_hidden and session.hide_reason == "Det här är reklam."
    assert not Placement.objects.exists()
    assert list(board.board_sessions(unconference)) == []


def test_session_place_into_a_taken_place_says_who_has_it(unconference):
    first, second = _propose(unconference, title="Först"), _propose(unconference, title="Sen")
    (room, _small), (slot, _later) = _grid(unconference)
    board.session_place(session=first, room=room, slot=slot)
    with pytest.raises(SessionError) as raised:
        board.session_place(session=second, room=room, slot=slot)
    assert "Först" in str(raised.value)
    assert Placement.objects.get().session == first


def test_session_place_and_move_tell_the_proposers(unconference, mailoutbox, mails):
    proposer = MemberFactory(email="forslag@example.org")
    session = _propose(unconference, proposer)
    (big, small), (early, late) = _grid(unconference)
    with mails():
        board.session_place(session=session, room=big, slot=early)
    with mails():
        board.session_place(session=session, room=small, slot=late)
    with mails():
        board.session_place(session=session, room=small, slot=late)  # no change: no mail
    assert [m.to for m in mailoutbox] == [["forslag@example.org"]] * 2
    assert "Stora salen" in mailoutbox[0].body and "Lilla rummet" in mailoutbox[1].body
    assert "moved" in mailoutbox[1].subject.lower() or "flytt" in mailoutbox[1].subject.lower()


def test_placement_problems_room_too_small_and_proposer_in_two_places(unconference):
    proposer = MemberFactory()
    a, b = _propose(unconference, proposer, title="A"), _propose(unconference, proposer, title="B")
    (big, small), (early, _late) = _grid(unconference, rooms=(("Stora", 40), ("Liten", 1)))
    for _ in range(2):
        board.session_want(session=a, member=MemberFactory())
    board.session_place(session=a, room=small, slot=early)
    board.session_place(session=b, room=big, slot=early)
    problems = board.placement_problems(unconference)
    assert any("1 seats" in p and "2 want" in p for p in problems[a.pk])
    assert any("two places" in p and "“A”" in p for p in problems[b.pk])


def test_schedule_publish_sends_one_mail_per_member_with_their_schedule(unconference, mailoutbox, mails):
    a, b = _propose(unconference, title="Klarspråk"), _propose(unconference, title="Öppna data")
    (big, small), (early, _late) = _grid(unconference)
    board.session_place(session=a, room=big, slot=early)
    board.session_place(session=b, room=small, slot=early)
    wants_both = MemberFactory(email="bada@example.org", preferred_language="en")
    wants_one = MemberFactory(email="en@example.org", preferred_language="sv")
    for session in (a, b):
        board.session_want(session=session, member=wants_both)
    board.session_want(session=a, member=wants_one)
    mailoutbox.clear()
    with mails():
        assert schedule.schedule_publish(event=unconference) == 2
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {"bada@example.org", "en@example.org"}
    both = by_address["bada@example.org"].body
    assert "Klarspråk" in both and "Öppna data" in both and "Clash" in both
    assert "Öppna data" not in by_address["en@example.org"].body
    assert "schema" in by_address["en@example.org"].subject.lower()


def test_schedule_changes_send_one_mail_each_however_many_moved(unconference, mailoutbox, mails):
    a, b = _propose(unconference, title="A"), _propose(unconference, title="B")
    (big, small), (early, late) = _grid(unconference)
    member = MemberFactory(email="vill@example.org")
    for session in (a, b):
        board.session_want(session=session, member=member)
        board.session_place(session=session, room=big if session == a else small, slot=early)
    schedule.schedule_publish(event=unconference)
    with pytest.raises(SessionError, match="Nothing has changed"):
        schedule.schedule_changes_send(event=unconference)
    board.session_place(session=a, room=big, slot=late)
    board.session_place(session=b, room=small, slot=late)
    mailoutbox.clear()
    with mails():
        assert schedule.schedule_changes_send(event=unconference) == 1
    assert [m.to for m in mailoutbox] == [["vill@example.org"]]


def test_my_schedule_in_time_order_with_clashes(unconference):
    member = MemberFactory()
    late_one, early_one, clash = (_propose(unconference, title=t) for t in ("Sent", "Tidigt", "Krock"))
    (big, small), (early, late) = _grid(unconference)
    board.session_place(session=late_one, room=big, slot=late)
    board.session_place(session=early_one, room=big, slot=early)
    board.session_place(session=clash, room=small, slot=early)
    for session in (late_one, early_one, clash):
        board.session_want(session=session, member=member)
    rows = schedule.my_schedule(unconference, member)
    assert [r["session"].title for r in rows] == ["Krock", "Tidigt", "Sent"]
    assert [len(r["clashes"]) for r in rows] == [1, 1, 0]


def test_now_and_next(unconference):
    a, b = _propose(unconference, title="Nu"), _propose(unconference, title="Sen")
    (big, _small), (early, late) = _grid(unconference)
    board.session_place(session=a, room=big, slot=early)
    board.session_place(session=b, room=big, slot=late)
    current, upcoming = schedule.now_and_next(unconference, now=early.starts + timedelta(minutes=5))
    assert [p.session.title for p in current] == ["Nu"]
    assert [p.session.title for p in upcoming] == ["Sen"]


def test_schedule_apply_places_the_suggestion(unconference, mailoutbox, mails):
    sessions = [_propose(unconference, title=f"S{i}") for i in range(3)]
    shared = MemberFactory()
    for session in sessions[:2]:
        board.session_want(session=session, member=shared)
    _grid(unconference)
    suggestion = board.schedule_suggest(unconference)
    with mails():
        assert board.schedule_apply(event=unconference, assignment=suggestion) == 3
    slots = {p.session.title: p.slot_id for p in Placement.objects.select_related("session")}
    assert slots["S0"] != slots["S1"]  # wanted by the same member: not at the same time
    assert len(mailoutbox) == 3


def test_session_notes_are_markdown_sanitised(unconference):
    session = _propose(unconference)
    board.session_notes_save(
        session=session, notes="Vi kom fram till **tre saker**.<img src=x onerror=alert(1)>"
    )
    session.refresh_from_db()
    assert "<strong>tre saker</strong>" in session.notes_html
    assert "onerror" not in session.notes_html


def test_invited_co_proposer_accepts(unconference, mailoutbox, mails):
    session = _propose(unconference)
    friend = MemberFactory(email="van@example.org")
    with mails():
        invite = board.session_invite(session=session, email="van@example.org", invited_by=session.proposer)
    assert mailoutbox[0].to == ["van@example.org"] and invite.token in mailoutbox[0].body
    board.session_invite_accept(token=invite.token, member=friend)
    assert board.is_proposer(friend, session)
    with pytest.raises(SessionError):
        board.session_invite_accept(token=invite.token, member=friend)


def test_hidden_session_cannot_be_wanted(unconference):
    session = _propose(unconference)
    board.session_hide(session=session, reason="Dubblett")
    with pytest.raises(SessionError):
        board.session_want(session=session, member=MemberFactory())
    assert timezone.now()


def test_chatham_house_notes_may_not_name_who_took_part(unconference):
    proposer = MemberFactory(name="Petra Förslag")
    session = _propose(unconference, proposer, chatham_house=True)
    # Stored with one space between the words (the names' normal form), whatever was typed.
    board.session_want(session=session, member=MemberFactory(name="Karin  Deltagare"))
    with pytest.raises(SessionError, match="Karin Deltagare"):
        board.session_notes_save(session=session, notes="Som karin deltagare sa: vi måste våga.")
    with pytest.raises(SessionError, match="Petra Förslag"):
        board.session_notes_save(session=session, notes="Petra\nFörslag inledde.")
    session.refresh_from_db()
    assert session.notes == ""
    # What was said, without who said it, is the point; and without the rule names are fine.
    board.session_notes_save(session=session, notes="Någon sa: vi måste våga. Karin-modellen nämndes.")
    open_session = _propose(unconference, proposer, title="Öppen")
    board.session_notes_save(session=open_session, notes="Petra Förslag inledde.")
    open_session.refresh_from_db()
    assert open_session.notes == "Petra Förslag inledde."


def test_data_export_holds_the_members_sessions_and_interest(unconference):
    member = MemberFactory()
    mine = _propose(unconference, member, title="Min session")
    other = _propose(unconference, title="Annans session")
    board.session_want(session=other, member=member)
    data = board.sessions_export_for_member(member=member)
    assert [s["session"] for s in data["sessions_proposed"]] == ["Min session"]
    assert [s["session"] for s in data["sessions_wanted"]] == ["Annans session"]
    assert mine.get_absolute_url() in data["sessions_proposed"][0]["url"]


def test_board_reads_in_a_fixed_number_of_queries(unconference, client, django_assert_max_num_queries):
    from django.urls import reverse

    (big, small), (early, late) = _grid(unconference)
    for i in range(30):
        session = _propose(unconference, title=f"Session {i}")
        board.session_want(session=session, member=MemberFactory())
        if i < 4:
            board.session_place(session=session, room=(big, small)[i % 2], slot=(early, late)[i // 2])
    schedule.schedule_publish(event=unconference)
    member = MemberFactory()
    client.force_login(member)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("events:session-board", args=[unconference.slug]))
    assert page.content.decode().count('class="session-item"') == 30


def test_session_hide_tells_the_proposer_why(unconference, mailoutbox, mails):
    proposer = MemberFactory(email="petra@example.org", preferred_language="sv")
    session = _propose(unconference, proposer)
    with mails():
        board.session_hide(session=session, reason="Det här är reklam för en produkt.")
    assert [m.to for m in mailoutbox] == [["petra@example.org"]]
    assert "Det här är reklam för en produkt." in mailoutbox[0].body
    assert "dolt" in mailoutbox[0].subject or "dold" in mailoutbox[0].subject
