from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from interviews.models import Interview
from tests.factories import InterviewFactory

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_scheduled():
    now = timezone.now()
    visible = InterviewFactory(published_at=now - timedelta(minutes=1))
    InterviewFactory(status="draft", published_at=None)
    InterviewFactory(published_at=now + timedelta(hours=1))
    assert list(Interview.objects.published()) == [visible]


def test_published_scheduled_interview_appears_when_its_time_has_come_without_any_job():
    scheduled = InterviewFactory(published_at=timezone.now() + timedelta(hours=1))
    assert not Interview.objects.published().filter(pk=scheduled.pk).exists()
    # Only the clock moves relative to the stored time; the status stays as the editor left it.
    Interview.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert Interview.objects.published().filter(pk=scheduled.pk).exists()


def test_published_compares_with_the_database_clock_at_query_time():
    # Not a timestamp frozen into the query when it was built in Python.
    sql = str(Interview.objects.published().query)
    assert "STATEMENT_TIMESTAMP()" in sql


def test_published_interview_without_time_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewFactory(status="published", published_at=None)


def test_portrait_without_alt_text_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewFactory(portrait="interviews/portraits/x.png", portrait_alt="")
