"""The event change form's "Publish" button: public now, no time to choose."""

import pytest
from django.urls import reverse

from events.models import Event
from tests.factories import EventFactory, MemberFactory
from tests.helpers.forms import event_form_data
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db


def test_event_publish_button_publishes_now(client):
    force_login_with_second_factor(client, MemberFactory(is_staff=True, is_superuser=True))
    event = EventFactory(status=Event.Status.DRAFT)
    change = reverse("admin:events_event_change", args=[event.pk])
    html = client.get(change).content.decode()
    assert '<input type="submit" value="Publicera" name="_publish">' in html
    response = client.post(change, {**event_form_data(event), "_publish": "Publicera"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert client.get(event.get_absolute_url()).status_code == 200
    assert 'name="_publish"' not in client.get(change).content.decode()  # published: no button


def test_event_save_keeps_a_draft_a_draft(client):
    force_login_with_second_factor(client, MemberFactory(is_staff=True, is_superuser=True))
    event = EventFactory(status=Event.Status.DRAFT)
    change = reverse("admin:events_event_change", args=[event.pk])
    client.post(change, {**event_form_data(event), "_save": "Spara"})
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT
