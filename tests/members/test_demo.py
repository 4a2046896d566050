import pytest
from django.core.management import call_command
from PIL import Image

from members.demo import DEMO_MEMBER_EMAIL
from members.models import Member

pytestmark = pytest.mark.django_db


def test_load_demo_creates_members_with_portraits_and_is_idempotent():
    call_command("load_demo", verbosity=0)
    first = {m.email: (m.portrait.name, sorted(m.interests.names())) for m in Member.objects.all()}
    call_command("load_demo", verbosity=0)
    second = {m.email: (m.portrait.name, sorted(m.interests.names())) for m in Member.objects.all()}
    assert first == second
    assert Member.objects.public().count() >= 6
    assert Member.objects.filter(is_public=False, is_staff=False).exists()
    anna = Member.objects.get(email=DEMO_MEMBER_EMAIL)
    assert "klarspråk" in anna.interests.names()
    with Image.open(anna.portrait_small.open("rb")) as small:
        assert small.size == (96, 96)
