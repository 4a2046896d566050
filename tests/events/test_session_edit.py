"""A proposer changes their session after it is on the board: its title, pitch, format and Chatham House
choice (events.services.sessions.session_edit and its page "Redigera session")."""

import unicodedata
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from events.models import Schedule, Session
from events.services import schedule
from events.services import sessions as board
from events.services.sessions import SessionError
from tests.factories import EventFactory, MemberFactory
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    """Pages and messages in English, the language their strings are written in, unless a test asks."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def event():
    return EventFactory(title="Förvaltningsdagen", slug="forvaltningsdagen", kind="unconference")


@pytest.fixture
def host(event):
    member = MemberFactory(name="Hanna Värd")
    event.organisers.add(member)
    return member


@pytest.fixture
def proposer():
    return MemberFactory(name="Petra Förslag")


@pytest.fixture
def session(event, proposer):
    return board.session_propose(event=event, member=proposer, title="Klarspråk", pitch="Om klarspråk.")


def _url(session):
    return reverse("events:session-edit", args=[session.event.slug, session.pk])


def _edit(client, session, language="en", **data):
    fields = {
        "title": "Klarspråk i praktiken",
        "pitch": "Vi skriver om ett *riktigt* brev.",
        "format": "workshop",
    }
    fields.update(data)
    return client.post(_url(session), fields, HTTP_ACCEPT_LANGUAGE=language, follow=True)


def _stored(session):
    row = Session.objects.get(pk=session.pk)
    return (row.title, row.pitch, row.format, row.chatham_house)


def test_proposer_edits_from_the_session_page_and_sees_the_new_text(client, session, proposer):
    client.force_login(proposer)
    detail = client.get(session.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{_url(session)}"' in detail and "Edit the session" in detail
    form = client.get(_url(session), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "<h1>Redigera session</h1>" in form and 'value="Klarspråk"' in form

    response = _edit(client, session, chatham_house="on")

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == session.get_absolute_url()
    assert "Your changes to the session are saved." in page
    assert "Klarspråk i praktiken" in page and "<em>riktigt</em>" in page and "Chatham House" in page
    assert _stored(session) == (
        "Klarspråk i praktiken",
        "Vi skriver om ett *riktigt* brev.",
        "workshop",
        True,
    )
    board_page = client.get(reverse("events:session-board", args=[session.event.slug])).content.decode()
    assert "Klarspråk i praktiken" in board_page


def test_a_co_proposer_and_a_host_may_edit(client, session, host):
    co = MemberFactory()
    session.co_proposers.add(co)
    for member, title in ((co, "Av medförslagaren"), (host, "Av värden")):
        client.force_login(member)
        assert client.get(_url(session)).status_code == 200
        _edit(client, session, title=title)
        assert _stored(session)[0] == title


def test_staff_with_a_second_factor_may_edit_as_a_host(client, session):
    force_login_with_second_factor(client, MemberFactory(is_staff=True, is_superuser=True))
    _edit(client, session, title="Av personalen")
    assert _stored(session)[0] == "Av personalen"


def test_a_stranger_and_a_visitor_cannot_edit(client, session):
    before = _stored(session)
    assert client.get(_url(session)).status_code == 302  # to sign in
    client.force_login(MemberFactory())
    detail = client.get(session.get_absolute_url()).content.decode()
    assert _url(session) not in detail
    assert client.get(_url(session)).status_code == 404
    assert _edit(client, session, title="Kapad").status_code == 404
    assert _stored(session) == before


@pytest.mark.parametrize(
    ("language", "data", "message"),
    [
        ("en", {"pitch": "x" * 501}, "Ensure this value has at most 500 characters (it has 501)."),
        ("sv", {"pitch": "x" * 501}, "Säkerställ att detta värde har som mest 500 tecken (den har 501)."),
        ("en", {"title": ""}, "This field is required."),
        ("sv", {"title": ""}, "Detta fält måste fyllas i."),
        ("en", {"format": "keynote"}, "Select a valid choice."),
        ("sv", {"format": "keynote"}, "Välj ett giltigt alternativ"),
    ],
)
def test_invalid_input_changes_nothing_and_keeps_what_was_typed(
    client, session, proposer, language, data, message
):
    client.force_login(proposer)
    before = _stored(session)
    response = _edit(client, session, language=language, **data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert ("Det finns ett problem" if language == "sv" else "There is a problem") in page
    assert _stored(session) == before
    if "pitch" in data:
        assert 'value="Klarspråk i praktiken"' in page and "x" * 501 in page  # nothing typed is lost
    else:
        assert "Vi skriver om ett *riktigt* brev." in page


def test_a_title_of_only_invisible_characters_is_refused_by_the_service(session):
    with pytest.raises(SessionError):
        board.session_edit(
            session=session, title="\u200b\u202e ", pitch="Ny.", format="discussion", chatham_house=False
        )
    assert _stored(session)[0] == "Klarspråk"


def test_editing_after_the_event_is_refused(session):
    with pytest.raises(SessionError, match="over"):
        board.session_edit(
            session=session,
            title="Sent",
            pitch="Ny.",
            format="discussion",
            chatham_house=False,
            now=session.event.end + timedelta(minutes=1),
        )
    assert _stored(session)[0] == "Klarspråk"


def test_chatham_house_cannot_be_turned_on_over_notes_that_name_someone(session, proposer):
    board.session_notes_save(session=session, notes="Petra Förslag visade hur.")
    with pytest.raises(SessionError, match="Chatham House"):
        board.session_edit(
            session=session, title="Klarspråk", pitch="Om.", format="discussion", chatham_house=True
        )
    assert _stored(session)[3] is False


def test_a_hidden_session_stays_hidden_when_its_proposer_improves_it(client, session, proposer):
    board.session_hide(session=session, reason="Skriv vad det handlar om.")
    client.force_login(proposer)
    page = client.get(_url(session)).content.decode()
    assert "does not show it again" in page
    _edit(client, session, title="Klarspråk: så skriver vi brev")
    row = Session.objects.get(pk=session.pk)
    assert row.title == "Klarspråk: så skriver vi brev" and row.is_hidden
    assert row.hide_reason == "Skriv vad det handlar om."


def _placed_and_published(event, session):
    room = board.room_create(event=event, name="Stora salen", seats=30)
    slot = board.slot_create(event=event, starts=event.start, ends=event.start + timedelta(hours=1))
    board.session_place(session=session, room=room, slot=slot)
    schedule.schedule_publish(event=event)


def test_a_new_title_in_a_published_schedule_waits_to_be_sent(
    client, event, session, proposer, host, mailoutbox, django_capture_on_commit_callbacks
):
    _placed_and_published(event, session)
    board.session_want(
        session=session, member=MemberFactory(email="vill@example.org", preferred_language="sv")
    )
    client.force_login(proposer)
    _edit(client, session, title="Klarspråk i praktiken")
    assert Schedule.objects.get(event=event).changed_at is not None

    client.force_login(host)
    page = client.get(reverse("events:host-schedule", args=[event.slug])).content.decode()
    assert "The schedule has changed since the members were told." in page
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:host-schedule", args=[event.slug]), {"action": "send-changes"})
    assert [m.to for m in mailoutbox] == [["vill@example.org"]]
    assert "Klarspråk i praktiken" in mailoutbox[0].body


def test_a_changed_pitch_alone_or_an_unplaced_session_leaves_the_schedule_as_told(event, session):
    other = board.session_propose(event=event, member=MemberFactory(), title="Oplacerad", pitch="Om.")
    _placed_and_published(event, session)
    board.session_edit(
        session=session, title="Klarspråk", pitch="Ny pitch.", format="question", chatham_house=False
    )
    board.session_edit(session=other, title="Ny titel", pitch="Om.", format="discussion", chatham_house=False)
    assert Schedule.objects.get(event=event).changed_at is None


# Pieces of what Word, PDFs and phone keyboards paste: typographic quotes, a NUL, the bidi overrides and
# isolates, Word's soft line break, letters in NFD (a + combining ring, o + combining diaeresis).
PIECES = [
    "Klarspråk",
    " ",
    "“citat”",
    "\u2018enkla\u2019",  # Word's single quotes
    "\x00",
    "\u202e",
    "\u2066",
    "\u2069",
    "\x0b",
    "\r\n",
    "a\u030a",
    "o\u0308",
    "\u00a0",
    "\u200b",
    "data",
]
BIDI_AND_CONTROLS = set("\x00\x0b\r\u202e\u2066\u2069")


def _letters(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c)[0] in "LN")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    pitch=st.lists(st.sampled_from(PIECES), max_size=20).map("".join),
)
@example(title="\u202eKlarspråk\x00 “i” pra\u0308ktiken", pitch="Word\x0bsa “så”\x00\u2066.")
def test_pasted_text_is_stored_in_its_normal_form(session, title, pitch):
    title, pitch = "Klarspråk " + title, "Om " + pitch
    edited = board.session_edit(
        session=session, title=title, pitch=pitch, format="discussion", chatham_house=False
    )
    stored_title, stored_pitch, _format, _chatham = _stored(session)
    assert (edited.title, edited.pitch) == (stored_title, stored_pitch)
    for stored, typed in ((stored_title, title), (stored_pitch, pitch)):
        assert unicodedata.is_normalized("NFC", stored)
        assert not BIDI_AND_CONTROLS & set(stored)
        assert _letters(stored) == _letters(typed)  # every letter kept, composed
        assert stored.count("“") == typed.count("“") and stored.count("\u2019") == typed.count("\u2019")
    assert (
        "\n" not in stored_title
        and "\u200b" not in stored_title
        and "  " not in stored_title
        and stored_title == stored_title.strip()
    )


def test_an_edit_tells_calendar_clients_the_entry_changed(client, event, session):
    """A calendar that imported the session keeps its entry unless SEQUENCE grows (RFC 5545 3.8.7.4):
    after a new title the .ics has a higher SEQUENCE and says when it was last modified."""
    _placed_and_published(event, session)
    url = reverse("events:session-ics", args=[event.slug, session.pk])
    before = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    edited = timezone.now() + timedelta(minutes=5)
    board.session_edit(
        session=session,
        title="Klarspråk i praktiken",
        pitch="Om.",
        format="discussion",
        chatham_house=False,
        now=edited,
    )
    after = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert str(after["summary"]) == "Klarspråk i praktiken"
    assert after["uid"] == before["uid"]
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("last-modified") == edited.replace(microsecond=0)
    # A save that changes nothing is no news for a calendar.
    board.session_edit(
        session=session,
        title="Klarspråk i praktiken",
        pitch="Om.",
        format="discussion",
        chatham_house=False,
        now=edited + timedelta(minutes=5),
    )
    again = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert int(again["sequence"]) == int(after["sequence"])


@pytest.mark.parametrize(
    "notes",
    [
        "Petra Fo\u0308rslag visade hur.",  # NFD, as a Mac keyboard types it
        "Petra\u200b Förslag visade hur.",  # a zero-width space: it reads as the name
        "Petra För\u00adslag visade hur.",  # a soft hyphen
        "PETRA\u2060 FÖRSLAG visade hur.",  # a word joiner
    ],
    ids=["nfd", "zero-width space", "soft hyphen", "word joiner"],
)
def test_chatham_house_sees_a_name_however_it_was_typed(session, notes):
    """The notes as a reader sees them name the proposer: turning the rule on is refused, and notes
    written under the rule are refused, whatever invisible characters or decomposed letters they hold."""
    board.session_notes_save(session=session, notes=notes)
    with pytest.raises(SessionError, match="Petra Förslag"):
        board.session_edit(
            session=session, title="Klarspråk", pitch="Om klarspråk.", format="discussion", chatham_house=True
        )
    assert _stored(session)[3] is False
    board.session_notes_save(session=session, notes="")
    board.session_edit(
        session=session, title="Klarspråk", pitch="Om klarspråk.", format="discussion", chatham_house=True
    )
    with pytest.raises(SessionError, match="Petra Förslag"):
        board.session_notes_save(session=Session.objects.get(pk=session.pk), notes=notes)
    assert Session.objects.get(pk=session.pk).notes == ""


def test_once_the_event_is_over_the_edit_is_not_offered(client, session, proposer, time_machine):
    """After the event the service refuses an edit: the session page no longer links to the form, and
    the form's address says why instead of taking text it would refuse."""
    time_machine.move_to(session.event.end + timedelta(minutes=1))
    client.force_login(proposer)
    detail = client.get(session.get_absolute_url()).content.decode()
    assert _url(session) not in detail
    page = client.get(_url(session)).content.decode()
    assert "The event is over." in page and 'name="title"' not in page
    page = client.get(_url(session), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Evenemanget är slut. En session kan ändras tills evenemanget slutar" in page


def test_the_pitch_is_counted_in_characters_after_nfc_and_the_browser_cuts_nothing(client, session, proposer):
    """500 characters as stored (NFC): 'é' typed as e + a combining accent is one, an emoji is one. A
    browser's maxlength counts UTF-16 units before NFC (an emoji twice, a decomposed letter twice) and
    cuts pasted text silently, so the field has none; the server counts and says so, keeping the text."""
    client.force_login(proposer)
    for url in (_url(session), reverse("events:session-propose", args=[session.event.slug])):
        page = client.get(url).content.decode()
        textarea = page[page.index("<textarea") : page.index(">", page.index("<textarea"))]
        assert 'name="pitch"' in textarea and "maxlength" not in textarea
    pitch = "e\u0301" * 250 + "\U0001f600" * 250  # 1,000 code points typed, 500 characters stored
    assert _edit(client, session, pitch=pitch).status_code == 200
    assert _stored(session)[1] == "é" * 250 + "\U0001f600" * 250
    response = _edit(client, session, pitch=pitch + "e\u0301")
    assert response.status_code == 400 and "(it has 501)" in response.content.decode()


def test_notes_are_checked_against_the_rule_as_stored_not_as_the_page_loaded_it(session):
    """A co-proposer's notes page was loaded before the proposer turned the rule on: the notes that name
    someone are refused all the same (the notes are checked under the session's row lock, against the
    row, the lock session_edit takes too), not saved because the copy in hand said the rule was off."""
    loaded = Session.objects.get(pk=session.pk)
    board.session_edit(
        session=session, title="Klarspråk", pitch="Om.", format="discussion", chatham_house=True
    )
    with pytest.raises(SessionError, match="Petra Förslag"):
        board.session_notes_save(session=loaded, notes="Petra Förslag visade hur.")
    assert Session.objects.get(pk=session.pk).notes == ""


def test_the_rule_cannot_be_lifted_once_the_session_has_begun(client, event, session, proposer, time_machine):
    """Those who spoke under the Chatham House rule were promised not to be named: once the session's
    time has begun its proposers cannot turn the rule off (and then name them in the notes). Before
    it begins they can."""
    board.session_edit(
        session=session, title="Klarspråk", pitch="Om.", format="discussion", chatham_house=True
    )
    _placed_and_published(event, session)
    board.session_edit(
        session=session, title="Klarspråk", pitch="Om.", format="discussion", chatham_house=False
    )
    board.session_edit(
        session=session, title="Klarspråk", pitch="Om.", format="discussion", chatham_house=True
    )
    begun = event.start + timedelta(minutes=10)
    with pytest.raises(SessionError, match="cannot be lifted"):
        board.session_edit(
            session=session,
            title="Klarspråk",
            pitch="Om.",
            format="discussion",
            chatham_house=False,
            now=begun,
        )
    assert _stored(session)[3] is True
    # The title and the pitch can still be improved under the rule.
    board.session_edit(
        session=session, title="Klarspråk 2", pitch="Om.", format="discussion", chatham_house=True, now=begun
    )
    assert _stored(session)[:1] == ("Klarspråk 2",)
    time_machine.move_to(begun)
    client.force_login(proposer)
    response = _edit(client, session, language="sv", title="Klarspråk 2", pitch="Om.", format="discussion")
    assert response.status_code == 400
    assert "Sessionen har börjat under Chatham House-regeln" in response.content.decode()
    assert _stored(session)[3] is True
