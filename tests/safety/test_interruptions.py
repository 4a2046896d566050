"""What an interrupted RSVP and an oversized upload leave behind: nothing half-done, nothing stored."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from events.models import Rsvp
from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, MemberFactory

ROOT = Path(__file__).resolve().parents[2]

# Inside one transaction: the RSVP is written and the counter raised, then the process is killed
# before the commit, the way a worker dies when the machine does.
KILLED_MID_TRANSACTION = """
import os, signal, sys, django
django.setup()
from django.db import transaction
from events.models import Event
from events.services.rsvps import rsvp_create
from members.models import Member
event, member = Event.objects.get(pk=int(sys.argv[1])), Member.objects.get(pk=int(sys.argv[2]))
with transaction.atomic():
    rsvp_create(event=event, member=member)
    print("written", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_rsvp_killed_mid_transaction_leaves_no_half_state():
    event = EventFactory(capacity=5)
    member = MemberFactory()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "otg.settings",
        "EMBEDDED_PG_DATABASE": connection.settings_dict["NAME"],
    }
    result = subprocess.run(
        [sys.executable, "-c", KILLED_MID_TRANSACTION, str(event.pk), str(member.pk)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "written"  # it got as far as the write
    assert result.returncode == -9  # and died there
    event.refresh_from_db()
    assert not Rsvp.objects.filter(event=event).exists()
    assert (event.going_count, event.waitlist_count) == (0, 0)
    # The event is not left locked: the next RSVP goes through at once.
    assert rsvp_create(event=event, member=member).status == Rsvp.Status.GOING


@pytest.mark.django_db
def test_a_20_mb_portrait_is_refused_with_a_message_and_nothing_is_stored(client, settings):
    member = MemberFactory(name="Stor Fil")
    client.force_login(member)
    huge = b"\xff\xd8\xff\xe0" + os.urandom(20 * 1024 * 1024)

    response = client.post(
        reverse("members:profile-edit"),
        {
            "name": "Nytt Namn",
            "preferred_language": "sv",
            "portrait_upload": SimpleUploadedFile("stor.jpg", huge, content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert "Bilden är för stor" in response.content.decode()
    member.refresh_from_db()
    assert member.name == "Stor Fil"  # nothing of the form was saved
    assert not member.portrait
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
