"""The event admin stores a change whole or not at all, and its actions say what happened to each event.

Staff sign in as in the browser, password and second factor; the races are forced with a real row lock
held by another connection.
"""

import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse

from events.models import Event, Rsvp
from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, MemberFactory
from tests.helpers.database import other_connection, someone_waits_for_a_lock
from tests.helpers.forms import event_form_data
from tests.helpers.staff import sign_in_with_second_factor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(db):
    return MemberFactory(is_staff=True, is_superuser=True, name="Redaktör")


@pytest.fixture
def staff_client(client, staff):
    sign_in_with_second_factor(client, staff)
    return client


def release_when_someone_waits(release: threading.Event) -> threading.Thread:
    """Set ``release`` once another session is blocked on a lock (so the race happens every time)."""

    def watch():
        with other_connection() as conn:
            conn.autocommit = True
            deadline = time.monotonic() + 10
            while not someone_waits_for_a_lock(conn) and time.monotonic() < deadline:
                time.sleep(0.01)
        release.set()

    watcher = threading.Thread(target=watch)
    watcher.start()
    return watcher


def test_capacity_race_with_an_rsvp_stores_nothing_and_keeps_what_the_editor_typed(staff_client, staff):
    event = EventFactory(capacity=3, title="Frukost om tillit")
    for _ in range(2):
        rsvp_create(event=event, member=MemberFactory())
    event.refresh_from_db()
    late = MemberFactory()
    locked, release = threading.Event(), threading.Event()

    def rsvp_in_flight():
        # An RSVP that holds the event's lock while the editor saves, and commits a moment later.
        try:
            with transaction.atomic():
                rsvp_create(event=Event.objects.get(pk=event.pk), member=late)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    rsvp = threading.Thread(target=rsvp_in_flight)
    rsvp.start()
    assert locked.wait(10)
    watcher = release_when_someone_waits(release)
    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]),
        event_form_data(
            event,
            title="Frukost om tillit och mod",
            capacity="2",
            tags="mod, tillit",
            organisers=[staff.pk],
        ),
    )
    rsvp.join()
    watcher.join()

    assert response.status_code == 200  # the form again, not "changed successfully"
    html = response.content.decode()
    assert html.count("personer kommer redan") == 1
    assert "3 personer kommer redan: antalet platser kan inte vara lägre än så." in html
    assert 'value="Frukost om tillit och mod"' in html  # what the editor typed is kept
    assert "ändrades" not in html
    event.refresh_from_db()
    assert (event.title, event.capacity, event.going_count) == ("Frukost om tillit", 3, 3)
    assert list(event.tags.names()) == []
    assert list(event.organisers.all()) == []
    assert Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).count() == 3


def test_publish_action_reports_each_event_and_one_it_could_not_publish(staff_client, settings):
    settings.EVENT_LOCK_TIMEOUT_MS = 200
    drafts = [EventFactory(status=Event.Status.DRAFT, title=f"Utkast {n}") for n in range(3)]
    held = EventFactory(status=Event.Status.DRAFT, title="Låst möte")
    live = EventFactory(title="Redan ute")
    with other_connection() as conn:
        conn.execute("SELECT id FROM events_event WHERE id = %s FOR UPDATE", [held.pk])
        response = staff_client.post(
            reverse("admin:events_event_changelist"),
            {"action": "publish", "_selected_action": [e.pk for e in [*drafts, held, live]]},
            follow=True,
        )
        conn.rollback()
    html = response.content.decode()
    assert (
        "3 evenemang publicerades; 1 var redan publicerat; 1 kunde inte publiceras: Låst möte"
        " (Många svarar just nu. Försök igen om en liten stund.)"
    ) in html
    statuses = dict(Event.objects.values_list("title", "status"))
    assert statuses == {
        "Utkast 0": "published",
        "Utkast 1": "published",
        "Utkast 2": "published",
        "Låst möte": "draft",
        "Redan ute": "published",
    }


def test_cancel_action_reports_how_many_were_cancelled(staff_client):
    events = [EventFactory(title=f"Möte {n}") for n in range(2)]
    response = staff_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "cancel", "_selected_action": [e.pk for e in events]},
        follow=True,
    )
    assert "2 evenemang ställdes in" in response.content.decode()
    assert set(Event.objects.values_list("status", flat=True)) == {"cancelled"}


def test_cover_replaced_and_removed_in_the_admin_leaves_only_the_files_rows_name(staff_client):
    from io import StringIO
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    from tests.helpers.photos import photo_upload

    event = EventFactory()
    url = reverse("admin:events_event_change", args=[event.pk])
    files = lambda: sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())  # noqa: E731
    for alt in ("Första omslaget", "Andra omslaget"):
        response = staff_client.post(url, event_form_data(event, cover_image=photo_upload(), cover_alt=alt))
        assert response.status_code == 302, response.context["adminform"].form.errors
        event.refresh_from_db()
        assert files() == [Path(event.cover_image.name).name]  # the replaced file is gone after commit
    response = staff_client.post(url, event_form_data(event, **{"cover_image-clear": "on", "cover_alt": ""}))
    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert not event.cover_image
    assert files() == []
    out = StringIO()
    call_command("media_check", stdout=out)
    assert "agree" in out.getvalue()
