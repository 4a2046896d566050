"""The data migrations that bring rows stored before the normal form to it, run over NFD rows made
before them: text in NFC, topics that then collide merged with every tagging kept (once), and
members whose addresses collide reported, not merged."""

import logging
import unicodedata

import pytest
from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from taggit.models import Tag, TaggedItem

from events.models import Event, Follow
from interviews.models import Interview
from members.models import Member
from tests.factories import EventFactory, InterviewFactory, MemberFactory

pytestmark = pytest.mark.django_db

BEFORE = [
    ("members", "0011_encrypt_second_factor_secrets"),
    ("events", "0016_event_series_and_series_follows"),
    ("interviews", "0010_interview_follow_notification"),
    ("site", "0003_job_failure_moves_to_jobs"),
]
AFTER = [
    ("members", "0012_text_in_nfc"),
    ("events", "0017_text_in_nfc"),
    ("interviews", "0011_text_in_nfc"),
    ("site", "0004_tags_in_nfc"),
]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def migrate(targets):
    # As tests/interviews/test_migrations.py: let the test's deferred foreign-key checks fire first.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture(autouse=True)
def _back_to_the_latest_migrations():
    yield
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def _tag_raw(obj, name: str) -> Tag:
    """A tag and a tagging as an earlier version stored them: the name exactly as typed."""
    tag = Tag.objects.create(name=f"tmp-{Tag.objects.count()}", slug=f"tmp-{Tag.objects.count()}")
    Tag.objects.filter(pk=tag.pk).update(name=name)
    TaggedItem.objects.create(tag=tag, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    return tag


def test_the_migrations_bring_nfd_rows_to_nfc_and_merge_the_topics_that_collide(caplog):
    migrate(BEFORE)
    anna, bo, cecilia = (MemberFactory(name=n) for n in ("Anna", "Bo", "Cecilia"))
    event = EventFactory()
    interview = InterviewFactory()
    Member.objects.filter(pk=anna.pk).update(name=nfd("Åsa Öberg\u202e"), bio=nfd("Jag gillar öl\x0b"))
    Event.objects.filter(pk=event.pk).update(
        title=nfd("Frukost i Malmö"),
        venue_name="\u200b" + nfd("Stadsbiblioteket i Göteborg"),
        city=nfd("Göteborg"),
    )
    Interview.objects.filter(pk=interview.pk).update(
        title=nfd("Samtal om välfärd"), interviewee_name=nfd("Jörgen Åberg")
    )
    oppna = _tag_raw(anna, "öppna data")
    _tag_raw(bo, nfd("öppna data"))  # "öppna-data_1" as it was
    _tag_raw(cecilia, "\u200bÖppna  Data")
    TaggedItem.objects.create(
        tag=Tag.objects.get(name=nfd("öppna data")),
        content_type=ContentType.objects.get_for_model(anna),
        object_id=anna.pk,
    )  # Anna carried both spellings: one tagging after the merge
    _tag_raw(event, nfd("tjänstedesign"))
    Follow.objects.create(member=bo, kind="city", city="Göteborg")
    Follow.objects.filter(pk=Follow.objects.create(member=bo, kind="city", city="x").pk).update(
        city=nfd("göteborg")
    )

    with caplog.at_level(logging.WARNING, logger="otg.migrations"):
        migrate(AFTER)

    assert Member.objects.get(pk=anna.pk).name == "Åsa Öberg"
    assert Member.objects.get(pk=anna.pk).bio == "Jag gillar öl\n"
    event.refresh_from_db()
    assert (event.title, event.venue_name, event.city) == (
        "Frukost i Malmö",
        "Stadsbiblioteket i Göteborg",
        "Göteborg",
    )
    interview.refresh_from_db()
    assert (interview.title, interview.interviewee_name) == ("Samtal om välfärd", "Jörgen Åberg")
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["tjänstedesign", "öppna data"]
    survivor = Tag.objects.get(name="öppna data")
    assert survivor.pk == oppna.pk
    carried = sorted(TaggedItem.objects.filter(tag=survivor).values_list("object_id", flat=True))
    assert carried == sorted([anna.pk, bo.pk, cecilia.pk])
    assert list(Follow.objects.filter(member=bo).values_list("city", flat=True)) == ["Göteborg"]
    assert not caplog.records


def test_members_whose_addresses_collide_are_reported_not_merged(caplog, capsys):
    migrate(BEFORE)
    first = MemberFactory(email="jorgen@malmö.se")
    second = MemberFactory(email="jorgen2@example.org")
    Member.objects.filter(pk=second.pk).update(email=nfd("jorgen@malmö.se"))
    EmailAddress.objects.filter(user=second).update(email=nfd("jorgen@malmö.se"))

    with caplog.at_level(logging.WARNING, logger="otg.migrations"):
        migrate(AFTER)

    assert Member.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
    assert Member.objects.get(pk=first.pk).email == "jorgen@malmö.se"
    assert Member.objects.get(pk=second.pk).email == nfd("jorgen@malmö.se")  # left for the staff
    messages = [record.getMessage() for record in caplog.records]
    assert any(f"member {second.pk}:" in message for message in messages), messages
    assert "jorgen@malmö.se" in capsys.readouterr().out
