"""Text from Word, PDFs and phones: cleaned once at the input, and every output stays valid.

The many-input tests try text drawn from every C0 control character, DEL, lone surrogates, the
noncharacters U+FFFE/U+FFFF, every kind of line break (CR LF, CR, U+000B, U+000C, U+0085, U+2028,
U+2029), tabs, Swedish letters, emoji and XML/CSV/iCalendar punctuation.
"""

import csv
import email
import io
import json
import zipfile
from email import policy
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import feedparser
import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from events import forms as event_forms
from events.forms import EventAdminForm, EventFilterForm, RsvpForm
from events.models import Event, Rsvp
from events.services.mail import event_mail_render
from interviews.models import Interview
from members.forms import ProfileForm, SignupForm
from members.models import Member
from members.services import member_data_export
from otg.common.text import LINE_BREAKS as LINE_BREAK
from otg.common.text import CleanTextFormMixin, clean_line, clean_text
from tests.factories import EventFactory, InterviewFactory, MemberFactory

CONTROLS = [chr(c) for c in range(32)] + ["\x7f", "\ufffe", "\uffff"]
BREAKS = ["\r\n", "\r", "\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]
PIECES = [
    *CONTROLS,
    *BREAKS,
    "\ud800",
    "\udfff",
    "\t",
    "a",
    "Å",
    "ö",
    "🚀",
    " ",
    "<",
    "&",
    ";",
    ",",
    '"',
    "=",
    ":",
]
HOSTILE = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
# What PostgreSQL can store at all: text written before input was cleaned (no NUL, no lone surrogate).
STORABLE = HOSTILE.map(lambda s: "".join(c for c in s if c not in "\x00\ud800\udfff"))
XML_FORBIDDEN = {chr(c) for c in range(32)} - {"\t", "\n", "\r"} | {"\ufffe", "\uffff"}
DB_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@given(HOSTILE)
def test_clean_text_leaves_only_what_every_output_carries(text):
    cleaned = clean_text(text)
    assert not set(cleaned) & (XML_FORBIDDEN | {"\x7f", "\r"})
    cleaned.encode("utf-8")  # no lone surrogate left
    assert clean_text(cleaned) == cleaned
    # Every line break is one newline now, and tabs are kept.
    assert cleaned.count("\n") == len(LINE_BREAK.findall(text))
    assert cleaned.count("\t") == text.count("\t")


@given(HOSTILE)
def test_clean_line_has_no_line_break_at_all(text):
    cleaned = clean_line(text)
    assert not set(cleaned) & (XML_FORBIDDEN | set("".join(BREAKS)) | {"\t"})
    assert clean_line(cleaned) == cleaned


def test_clean_text_folds_word_soft_break_and_keeps_the_words():
    assert clean_text("Rad ett\x0bRad två\r\nRad tre\x00") == "Rad ett\nRad två\nRad tre"
    assert clean_line("Meetup\r\nBcc: x@example.org") == "Meetup Bcc: x@example.org"


def _admin_forms():
    request = RequestFactory().get("/admin/")
    request.user = MemberFactory.build(is_staff=True, is_superuser=True)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"members", "events", "interviews"}:
            continue
        yield model.__name__, model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            yield f"{model.__name__} inline", inline.get_formset(request).form


@pytest.mark.django_db
def test_every_form_that_takes_text_cleans_it():
    forms = [
        SignupForm,
        ProfileForm,
        RsvpForm,
        EventFilterForm,
        EventAdminForm,
        # The forms members propose and host events with.
        event_forms.EventHostForm,
        event_forms.DeclineForm,
        event_forms.CancelForm,
        event_forms.RepeatForm,
        event_forms.CohostInviteForm,
        event_forms.EventMessageForm,
        event_forms.RemoveForm,
        event_forms.ReportForm,
        *dict(_admin_forms()).values(),
    ]
    missing = [form.__name__ for form in forms if not issubclass(form, CleanTextFormMixin)]
    assert not missing


@pytest.mark.django_db
def test_profile_form_folds_a_pasted_name_and_keeps_bio_lines():
    member = MemberFactory()
    form = ProfileForm(
        {
            "name": "Anna\r\nBcc: x@example.org\x0b",
            "bio": "Rad ett\x0bRad två\x00",
            "preferred_language": "sv",
        },
        instance=member,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Anna Bcc: x@example.org"
    assert form.cleaned_data["bio"] == "Rad ett\nRad två"


@pytest.mark.django_db
def test_event_admin_form_folds_line_breaks_in_title_venue_and_city(admin_client):
    event = EventFactory()
    form = EventAdminForm(instance=event)
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        title="Meetup\r\nom tillit",
        venue_name="Huset\n",
        city="Malmö\x0b",
        summary="Kort\x0bsammanfattning",
        tags="",
        organisers=[],
        start=event.start.strftime("%Y-%m-%d %H:%M"),
        end=event.end.strftime("%Y-%m-%d %H:%M"),
    )
    data.pop("cover_image", None)
    form = EventAdminForm(data, instance=event)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert (saved.title, saved.venue_name, saved.city) == ("Meetup om tillit", "Huset", "Malmö")


class _Strict(HTMLParser):
    pass


@pytest.mark.django_db
def test_a_crlf_title_stored_earlier_answers_rsvp_and_ics(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """The reported case: CR/LF in an event title made the RSVP answer 500 after saving, and the .ics 500."""
    event = EventFactory(title="Meetup\r\nBcc: x@example.org", capacity=5)
    member = MemberFactory()
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:rsvp-create", args=[event.slug]), follow=True)
    assert response.status_code == 200
    assert Rsvp.objects.filter(event=event, member=member, status="going").exists()
    assert len(mailoutbox) == 1
    message = email.message_from_bytes(mailoutbox[0].message().as_bytes(), policy=policy.default)
    assert "Bcc" not in message and "\n" not in message["Subject"]
    response = client.get(reverse("events:event-ics", args=[event.slug]))
    assert response.status_code == 200
    assert str(Calendar.from_ical(response.content).walk("VEVENT")[0]["SUMMARY"]) == (
        "Meetup Bcc: x@example.org"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["interviews:feed-rss", "interviews:feed-atom"])
def test_word_soft_line_break_in_an_introduction_keeps_the_feed(client, name):
    """The reported case: U+000B in an introduction made both feeds answer 500."""
    InterviewFactory(title="Samtal\x0bom tillit", introduction="Första raden\x0bandra raden")
    response = client.get(reverse(name))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.entries[0].title == "Samtal om tillit"
    assert "andra raden" in feed.entries[0].summary


@pytest.mark.django_db
@DB_SETTINGS
@given(title=STORABLE, text=STORABLE, name=STORABLE)
def test_every_output_stays_valid_whatever_text_was_stored(client, title, text, name):
    """Rows stored before text was normalised where it is stored (``update()`` writes them as they
    are, as the rows of earlier versions were): every output parses."""
    member = MemberFactory(is_public=True)
    Member.objects.filter(pk=member.pk).update(name=name or "x", bio=text)
    member.refresh_from_db()
    organiser = MemberFactory()
    event = EventFactory()
    Event.objects.filter(pk=event.pk).update(
        title=title or "x", summary=text, venue_name=title, city=name, address=text
    )
    event.refresh_from_db()
    event.organisers.add(organiser)
    rsvp = Rsvp.objects.create(event=event, member=member, status="going")
    Rsvp.objects.filter(pk=rsvp.pk).update(accessibility_needs=text, dietary_needs=name)
    interview = InterviewFactory()
    Interview.objects.filter(pk=interview.pk).update(
        title=title or "x", introduction=text, interviewee_name=name or "x"
    )

    for feed_name in ("interviews:feed-rss", "interviews:feed-atom"):
        response = client.get(reverse(feed_name))
        assert response.status_code == 200
        assert not feedparser.parse(response.content).bozo
    ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own sitemap)

    ics = client.get(reverse("events:event-ics", args=[event.slug]))
    assert ics.status_code == 200
    parsed = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert not set(str(parsed["SUMMARY"])) & (XML_FORBIDDEN | {"\n", "\r"})
    assert len(IcsCalendarStream.calendar_from_ics(ics.content.decode()).events) == 1

    for page in (event.get_absolute_url(), member.get_absolute_url()):
        response = client.get(page)
        assert response.status_code == 200
        _Strict().feed(response.content.decode())

    client.force_login(organiser)
    content = client.get(reverse("events:organiser-attendees-csv", args=[event.slug])).content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert len(rows) == 2 and len(rows[1]) == 6  # a member-host gets no column of addresses

    archive = zipfile.ZipFile(io.BytesIO(member_data_export(member=member)))
    assert json.loads(archive.read("data.json"))["profile"]["bio"] == member.bio

    message = event_mail_render(
        member_id=member.pk, event_id=event.pk, template="rsvp_going", attach_ics=True
    )
    assert message is not None and "\n" not in message.subject and "\r" not in message.subject
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert "\n" not in str(parsed["Subject"])
    client.logout()
