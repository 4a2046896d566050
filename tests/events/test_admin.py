import importlib
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from events.models import Event, Rsvp
from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, MemberFactory
from tests.helpers.forms import event_form_data
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    force_login_with_second_factor(client, MemberFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_list_filters_and_search(staff_client):
    EventFactory(title="Frukost i Malmö", kind=Event.Kind.BREAKFAST, city="Malmö")
    EventFactory(title="Gammal konferens", start=timezone.now() - timedelta(days=30))
    url = reverse("admin:events_event_changelist")
    html = staff_client.get(url, {"when": "upcoming", "kind__exact": "breakfast"}).content.decode()
    assert "Frukost i Malmö" in html
    assert "Gammal konferens" not in html
    assert "Gammal konferens" in staff_client.get(url, {"when": "past"}).content.decode()
    assert "Frukost i Malmö" in staff_client.get(url, {"q": "Malmö"}).content.decode()


def test_admin_change_page_shows_rsvps_inline(staff_client):
    event = EventFactory(capacity=5)
    rsvp_create(event=event, member=MemberFactory(name="Inline Person"))
    html = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert "Inline Person" in html


def test_admin_capacity_increase_promotes_waitlist(staff_client):
    event = EventFactory(capacity=1)
    rsvp_create(event=event, member=MemberFactory())
    waiting = rsvp_create(event=event, member=MemberFactory())
    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]), event_form_data(event, capacity="2")
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    event.refresh_from_db()
    assert waiting.status == Rsvp.Status.GOING
    assert (event.capacity, event.going_count, event.waitlist_count) == (2, 2, 0)


def test_admin_capacity_below_going_shows_error(staff_client):
    event = EventFactory(capacity=3)
    for _ in range(2):
        rsvp_create(event=event, member=MemberFactory())
    event.refresh_from_db()
    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]), event_form_data(event, capacity="1")
    )
    assert response.status_code == 200
    assert "kan inte vara lägre" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 3


def test_admin_cover_image_is_reencoded_and_needs_alt(staff_client):
    event = EventFactory()
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    buffer.write(b"<script>alert(1)</script>")
    buffer.seek(0)
    buffer.name = "cover.png"
    url = reverse("admin:events_event_change", args=[event.pk])
    response = staff_client.post(url, event_form_data(event, cover_image=buffer))
    assert response.status_code == 200
    assert "Beskriv omslagsbilden" in response.content.decode()
    buffer.seek(0)
    response = staff_client.post(url, event_form_data(event, cover_image=buffer, cover_alt="En röd yta"))
    assert response.status_code == 302
    event.refresh_from_db()
    stored = event.cover_image.read()
    assert b"<script>" not in stored
    assert not event.cover_image.name.endswith("cover.png")


def test_admin_actions_publish_cancel_and_export(staff_client):
    draft = EventFactory(status=Event.Status.DRAFT)
    live = EventFactory()
    rsvp_create(event=live, member=MemberFactory(name="Csv Person"), dietary_needs="Laktosfritt")
    url = reverse("admin:events_event_changelist")
    staff_client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    staff_client.post(url, {"action": "cancel", "_selected_action": [live.pk]})
    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.status == Event.Status.PUBLISHED
    assert live.status == Event.Status.CANCELLED
    response = staff_client.post(url, {"action": "export_attendees", "_selected_action": [live.pk]})
    content = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Csv Person" in content
    assert "Laktosfritt" in content


def test_editors_group_may_manage_events():
    # Transactional tests elsewhere flush the rows data migrations made, so run this one again here.
    loader = MigrationLoader(connection)
    state = loader.project_state(("events", "0002_grant_editors_event_permissions"))
    migration = importlib.import_module("events.migrations.0002_grant_editors_event_permissions")
    migration.grant(state.apps, None)
    editors = Group.objects.get(name="Redaktörer")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"add_event", "change_event", "view_event"} <= codenames
    assert "delete_event" not in codenames


def test_admin_refuses_a_slug_taken_by_a_page(staff_client):
    event = EventFactory()
    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]), event_form_data(event, slug="mina")
    )
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.slug != "mina"
