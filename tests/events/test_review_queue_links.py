"""Those who review proposals find the queue: a header link with the number waiting on every page, and
the admin's index listing the proposals and the open reports; nobody else sees either."""

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventReport
from tests.factories import EventFactory, MemberFactory, organisers_group
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db


def _organiser():
    member = MemberFactory()
    member.groups.add(organisers_group())
    return member


@pytest.fixture
def waiting():
    proposer = MemberFactory(name="Alva Arrangör")
    events = [
        EventFactory(title=title, status=Event.Status.PENDING, proposed_by=proposer)
        for title in ("Klarspråksfika i Uppsala", "Frukost i Luleå", "Meetup i Visby")
    ]
    EventFactory(title="Redan publicerad")
    published = EventFactory(title="Ett anmält evenemang")
    EventReport.objects.create(event=published, reporter=MemberFactory(), reason="Fel adress")
    EventReport.objects.create(
        event=EventFactory(title="Redan hanterad"), reason="Spam", handled_at=timezone.now()
    )
    return events


@pytest.mark.parametrize(("language", "link"), [("sv", "Granska (3 väntar)"), ("en", "Review (3 waiting)")])
def test_a_reviewer_sees_the_review_link_with_the_number_waiting(client, waiting, language, link):
    force_login_with_second_factor(client, _organiser())

    for path in (reverse("home"), reverse("events:event-list"), reverse("events:my-events")):
        body = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<a href="{reverse("events:review-list")}">{link}</a>' in body, path


def test_the_review_link_counts_what_is_left(client, waiting):
    force_login_with_second_factor(client, MemberFactory(is_staff=True))
    Event.objects.filter(pk=waiting[0].pk).update(status=Event.Status.PUBLISHED)

    body = client.get(reverse("home")).content.decode()

    assert "Granska (2 väntar)" in body


def test_the_review_link_is_current_on_the_queue(client, waiting):
    force_login_with_second_factor(client, _organiser())

    body = client.get(reverse("events:review-list")).content.decode()

    assert f'<a href="{reverse("events:review-list")}" aria-current="page">Granska (3 väntar)</a>' in body


def test_a_member_and_a_visitor_see_no_review_link(client, waiting):
    visitor = client.get(reverse("home")).content.decode()
    client.force_login(MemberFactory())
    member = client.get(reverse("home")).content.decode()

    for body in (visitor, member):
        assert "Granska (" not in body
        assert reverse("events:review-list") not in body


def test_admin_index_shows_the_review_queue_and_the_open_reports(client, waiting, admin_user):
    force_login_with_second_factor(client, admin_user)

    body = client.get(reverse("admin:index")).content.decode()

    assert "Väntar på dig" in body
    assert "3 föreslagna evenemang väntar på granskning" in body
    assert f'href="{reverse("events:review-list")}"' in body
    for event in waiting:
        assert event.title in body
    assert "1 öppen rapport om ett evenemang" in body
    assert "Ett anmält evenemang" in body
    assert "Redan hanterad" not in body and "Redan publicerad" not in body
    assert f"{reverse('admin:events_eventreport_changelist')}?handled_at__isempty=1" in body


def test_open_reports_are_the_unhandled_oldest_first(waiting):
    later = EventReport.objects.create(event=waiting[0], reason="Dubblett")

    assert [report.reason for report in EventReport.objects.open()] == ["Fel adress", later.reason]
