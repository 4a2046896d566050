"""Scheduling an interview for tomorrow: not public until then, public after, with a frozen clock.

The clock is frozen on both sides: Python's (time-machine) and the database's, since "published" is
decided by PostgreSQL's clock (Interview.objects.published() compares with Now()). For the database,
this test's transaction finds a statement_timestamp() of our own before pg_catalog's, which reads the
frozen time from a setting (the ``frozen_database_clock`` fixture in tests/conftest.py).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.test import Client
from django.urls import reverse

from interviews.models import Interview
from tests.helpers.forms import interview_form_data

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def public_everywhere(visitor: Client, interview: Interview) -> dict[str, bool]:
    feed = feedparser.parse(visitor.get(reverse("interviews:feed-rss")).content)
    return {
        "page": visitor.get(interview.get_absolute_url()).status_code == 200,
        "list": interview.title in visitor.get(reverse("interviews:interview-list")).content.decode(),
        "feed": interview.title in [entry.title for entry in feed.entries],
    }


def test_interview_scheduled_for_tomorrow_is_public_only_from_then(editor_client, frozen_database_clock):
    today = datetime(2026, 12, 1, 10, 0, tzinfo=STOCKHOLM)
    tomorrow_nine = datetime(2026, 12, 2, 9, 0, tzinfo=STOCKHOLM)
    visitor = Client()
    with frozen_database_clock(today):
        response = editor_client.post(
            reverse("admin:interviews_interview_add"),
            interview_form_data(
                questions=[("Vad händer i morgon?", "Det här.")],
                schedule_at_top="2026-12-02T09:00",
                _schedule="top",
            ),
        )
        assert response.status_code == 302
        interview = Interview.objects.get()
        assert interview.status == "published"
        assert interview.published_at == tomorrow_nine
        listing = editor_client.get(reverse("admin:interviews_interview_changelist")).content.decode()
        assert "”Ett samtal om tillit” är schemalagd till 2 december 2026 09:00." in listing
        assert "Schemalagd till 2 december 2026 09:00" in listing
        assert public_everywhere(visitor, interview) == {"page": False, "list": False, "feed": False}

    with frozen_database_clock(datetime(2026, 12, 2, 8, 59, 59, tzinfo=STOCKHOLM)):
        assert public_everywhere(visitor, interview) == {"page": False, "list": False, "feed": False}

    with frozen_database_clock(datetime(2026, 12, 2, 9, 0, 1, tzinfo=STOCKHOLM)):
        assert public_everywhere(visitor, interview) == {"page": True, "list": True, "feed": True}
        listing = editor_client.get(reverse("admin:interviews_interview_changelist")).content.decode()
        assert "Publicerad 2 december 2026 09:00" in listing


def test_interview_published_with_no_time_is_public_at_once(editor_client, frozen_database_clock):
    today = datetime(2026, 12, 1, 10, 0, tzinfo=STOCKHOLM)
    with frozen_database_clock(today):
        editor_client.post(
            reverse("admin:interviews_interview_add"),
            interview_form_data(questions=[("Nu?", "Nu.")], _publish="Publicera"),
        )
        interview = Interview.objects.get()
        assert interview.published_at == today
        assert public_everywhere(Client(), interview) == {"page": True, "list": True, "feed": True}
