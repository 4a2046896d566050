"""A topic follow also tells of new interviews on it: at once, or in the same weekly digest as events."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from events.models import Follow
from events.services.follows import follow_create
from events.tasks import event_follow_digests
from interviews.models import InterviewFollowNotification
from interviews.services import interview_followers_notify, interview_publish, interview_unpublish
from interviews.tasks import (
    interview_follow_mail_send,
    interview_followers_notify_due_job,
    interview_followers_notify_job,
)
from members.services import member_data_export, member_delete
from tests.factories import EventFactory, InterviewFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mails(django_capture_on_commit_callbacks):
    """Run what is queued (the fan-out, then each mail) when the block's transaction would commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _follower(frequency=Follow.Frequency.AT_ONCE, language="sv"):
    EventFactory(title="Frukost om klarspråk").tags.add("klarspråk")  # the topic is in public use
    member = MemberFactory(name="Ada Lind", preferred_language=language)
    follow_create(member=member, kind="topic", tag_slug="klarspråk", frequency=frequency)
    return member


def _draft(**fields):
    return InterviewFactory(status="draft", published_at=None, tags=["klarspråk"], **fields)


def test_a_follower_at_once_hears_of_a_new_interview_on_the_topic(mails, mailoutbox):
    member = _follower()
    InterviewFactory(title="Om något annat", tags=["ledarskap"])
    interview = _draft(title="Samtal om klarspråk")
    with mails():
        interview_publish(interview=interview)
    (mail,) = mailoutbox
    assert mail.to == [member.email]
    assert mail.subject.endswith("Ny intervju: Samtal om klarspråk")
    assert "En ny intervju om ämnet klarspråk, som du följer:" in mail.body
    assert interview.get_absolute_url() in mail.body
    assert "/evenemang/avregistrera/" in mail.extra_headers["List-Unsubscribe"]
    # Again, or a second worker: once.
    with mails():
        assert interview_followers_notify(interview_id=interview.pk) == 0
    assert len(mailoutbox) == 1


def test_in_english(mails, mailoutbox):
    _follower(language="en")
    with mails():
        interview_publish(interview=_draft(title="Samtal om klarspråk"))
    (mail,) = mailoutbox
    assert mail.subject.endswith("New interview: Samtal om klarspråk")
    assert "A new interview on the topic klarspråk, which you follow:" in mail.body


def test_a_scheduled_interview_is_told_when_its_time_comes(mails, mailoutbox, frozen_database_clock):
    start = timezone.now().replace(microsecond=0)
    at = start + timedelta(hours=3)
    with frozen_database_clock(start), mails():
        _follower()
        interview = _draft(title="Samtal om klarspråk")
        interview_publish(interview=interview, at=at)
        interview_followers_notify_due_job(timestamp=0)
    assert mailoutbox == []  # not public yet
    with frozen_database_clock(at + timedelta(minutes=5)), mails():
        assert interview_followers_notify_due_job(timestamp=0) == 1
    (mail,) = mailoutbox
    assert "Samtal om klarspråk" in mail.subject


def test_an_old_interview_tagged_later_is_no_news(mails, mailoutbox):
    _follower()
    old = InterviewFactory(published_at=timezone.now() - timedelta(days=30), tags=["klarspråk"])
    with mails():
        assert interview_followers_notify(interview_id=old.pk) == 0
        interview_followers_notify_due_job(timestamp=0)
        event_follow_digests(timestamp=0)
    assert mailoutbox == []


def test_a_weekly_follower_gets_the_interview_in_the_same_digest_as_the_events(mails, mailoutbox):
    member = _follower(frequency=Follow.Frequency.WEEKLY)
    with mails():
        interview_publish(interview=_draft(title="Samtal om klarspråk"))
    assert mailoutbox == []  # weekly: nothing at once
    with mails():
        assert event_follow_digests(timestamp=0) == 1
    (digest,) = mailoutbox
    assert digest.to == [member.email]
    assert digest.subject.endswith("Nytt den här veckan: klarspråk")
    assert "Nya evenemang om ämnet klarspråk" in digest.body and "Frukost om klarspråk" in digest.body
    interviews = digest.body.split("Nya intervjuer om ämnet klarspråk:")[1]
    assert "Samtal om klarspråk" in interviews and "/intervjuer/" in interviews
    # The next week: nothing told twice.
    with mails():
        assert event_follow_digests(timestamp=0) == 0


def test_a_digest_of_interviews_only_in_english(mails, mailoutbox):
    member = MemberFactory(preferred_language="en")
    InterviewFactory(title="Det första", tags=["klarspråk"], published_at=timezone.now() - timedelta(days=20))
    follow_create(member=member, kind="topic", tag_slug="klarspråk", frequency="weekly")
    with mails():
        interview_publish(interview=_draft(title="Samtal om klarspråk"))
        event_follow_digests(timestamp=0)
    (digest,) = mailoutbox
    assert digest.subject.endswith("New this week: klarspråk")
    assert "New interviews on the topic klarspråk:" in digest.body
    assert "Samtal om klarspråk" in digest.body and "Det första" not in digest.body
    assert "New events" not in digest.body


def test_an_interview_unpublished_before_its_mail_went_is_not_told(mails, mailoutbox, settings):
    settings.JOBS_INLINE = False  # the mail job waits in the queue
    _follower()
    interview = _draft(title="Samtal om klarspråk")
    interview_publish(interview=interview)
    # This interview's jobs only: a test before it (in a random order) may have left others queued.
    (fan_out,) = ProcrastinateJob.objects.filter(
        task_name="interview_followers_notify", args__interview_id=interview.pk
    )
    assert interview_followers_notify_job(**fan_out.args) == 1
    interview_unpublish(interview=interview)
    (job,) = ProcrastinateJob.objects.filter(
        task_name="interview_follow_mail_send", args__interview_id=interview.pk
    )
    assert interview_follow_mail_send(**job.args) is False
    assert mailoutbox == []


def test_what_a_follower_was_told_is_in_their_data_export_and_goes_with_the_account(mails):
    member = _follower()
    with mails():
        interview_publish(interview=_draft(title="Samtal om klarspråk"))
    archive = zipfile.ZipFile(io.BytesIO(member_data_export(member=member)))
    exported = json.loads(next(archive.read(n) for n in archive.namelist() if n.endswith(".json")))
    assert "Samtal om klarspråk" in json.dumps(exported, ensure_ascii=False)
    member_delete(member=member)
    assert not InterviewFollowNotification.objects.exists()
