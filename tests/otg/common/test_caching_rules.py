"""The cache rules hold by construction: writes without signals bump, a rolled-back write bumps
nothing, and the "read from the primary" flag lives only as long as the code that set it."""

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from taggit.models import Tag

from events.models import Event, Rsvp
from events.services.mail import event_mail_render
from events.services.rsvps import rsvp_create
from interviews.models import Interview, Question
from members.models import Member
from otg.common import caching
from otg.db_router import ReplicaRouter
from tests.factories import EventFactory, InterviewFactory, MemberFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def token(kind: str) -> str:
    with caching.kept_reads():
        return caching.generations(kind, clocks=False)


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_every_model_whose_writes_bump_has_a_generation_queryset():
    """A new update() or bulk_*() anywhere, on any model a page shows, cannot skip the bump."""
    registered = sorted(caching._written)
    assert {"events.Event", "events.Rsvp", "members.Member", "taggit.Tag", "taggit.TaggedItem"} <= set(
        registered
    )
    for label in registered:
        model = apps.get_model(label)
        assert isinstance(model._default_manager.all(), caching.GenerationQuerySet), label


def test_third_party_models_and_related_managers_bump_too(commit):
    Tag.objects.create(name="klarspråk", slug="klarsprak")
    before = token("tags")
    with commit():
        assert Tag.objects.filter(slug="klarsprak").update(name="Klarspråk") == 1  # taggit's manager
    assert token("tags") != before
    event = EventFactory()
    rsvp_create(event=event, member=MemberFactory())
    before = token("events")
    with commit():
        assert event.rsvps.update(show_publicly=True) == 1  # a related manager, made from the class
    assert token("events") != before


@pytest.mark.parametrize(
    ("kind", "write"),
    [
        ("events", lambda: Event.objects.filter(title="Frukost").update(title="Lunch")),
        ("members", lambda: Member.objects.filter(name="Anna").update(name="Anna L")),
        ("interviews", lambda: Interview.objects.filter(title="Samtal").update(title="Samtal 2")),
        ("interviews", lambda: Question.objects.bulk_update(_reordered(), ["order"])),
        (
            "interviews",
            lambda: Question.objects.bulk_create([Question(interview=_interview(), question="Ny?")]),
        ),
        ("tags", lambda: Tag.objects.bulk_create([Tag(name="ny", slug="ny")])),
    ],
    ids=[
        "Event.update",
        "Member.update",
        "Interview.update",
        "Question.bulk_update",
        "Question.bulk_create",
        "Tag.bulk_create",
    ],
)
def test_writes_that_send_no_signal_retire_their_kind(commit, kind, write):
    EventFactory(title="Frukost")
    MemberFactory(name="Anna")
    interview = InterviewFactory(title="Samtal")
    QuestionFactory(interview=interview, order=1)
    QuestionFactory(interview=interview, order=2)
    before = token(kind)
    with commit():
        write()
    assert token(kind) != before


def _interview() -> Interview:
    return Interview.objects.get(title="Samtal")


def _reordered() -> list[Question]:
    questions = list(Question.objects.filter(interview=_interview()).order_by("order"))
    for question, order in zip(questions, (2, 1), strict=True):
        question.order = order
    return questions


def test_an_update_of_fields_no_page_shows_retires_nothing(commit):
    rsvp = rsvp_create(event=EventFactory(), member=MemberFactory())
    before = token("events")
    with commit():
        assert Rsvp.objects.filter(pk=rsvp.pk).update(dietary_needs="Vegan", reminder_sent_at=None) == 1
    assert token("events") == before  # the control: the same update with a shown field retires it
    with commit():
        Rsvp.objects.filter(pk=rsvp.pk).update(show_publicly=True)
    assert token("events") != before


def test_an_update_shows_at_once_on_the_kept_page(client, commit):
    event = EventFactory(title="Frukost i Umeå")
    path = reverse("events:event-detail", args=[event.slug])
    assert "Frukost i Umeå" in page(client, path)  # now kept for every visitor
    with commit():
        Event.objects.filter(pk=event.pk).update(title="Lunch i Umeå")
    shown = page(client, path)
    assert "Lunch i Umeå" in shown and "Frukost i Umeå" not in shown


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_bumps_nothing_with_the_next_commit():
    """Its pending bump used to wait in a thread-local set and go out with the next commit."""
    member = MemberFactory(name="Anna")
    event = EventFactory()
    members_before = token("members")
    with pytest.raises(RuntimeError), transaction.atomic():
        member.name = "Bertil"
        member.save()
        raise RuntimeError("the request failed after the save")
    with transaction.atomic():
        event.title = "Ny titel"
        event.save()
    assert token("members") == members_before
    with transaction.atomic():  # the control: the same save, committed, retires it
        member.save()
    assert token("members") != members_before


def test_generations_are_read_only_inside_the_scope_that_reads_from_the_primary():
    with pytest.raises(RuntimeError, match="kept_reads"):
        caching.generations("events")
    assert not caching.reads_from_primary()
    with caching.kept_reads():
        assert caching.reads_from_primary()
        caching.generations("events")
    assert not caching.reads_from_primary()


@pytest.mark.django_db(transaction=True)
def test_a_mail_rendered_outside_a_request_leaves_the_replica_in_use(settings, mailoutbox):
    """An inline job (a confirmation with its .ics) read the generations and left "read from the
    primary" on in the thread: later reads outside any request never went to the replica again."""
    settings.DATABASE_REPLICA_APPS = ["taggit"]
    router = ReplicaRouter()
    assert router.db_for_read(Tag) == "replica"
    rsvp = rsvp_create(event=EventFactory(), member=MemberFactory())
    assert event_mail_render(
        member_id=rsvp.member_id, event_id=rsvp.event_id, template="rsvp_going", attach_ics=True
    )
    assert not caching.reads_from_primary()
    assert router.db_for_read(Tag) == "replica"
