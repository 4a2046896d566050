"""What the job table keeps of mail: a deleted member's former addresses reach no kept job."""

import re

import pytest
from django.db import connection
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from members.models import FormerAddress, Member
from tests.factories import MemberFactory
from tests.otg.jobs.test_mail import run_queued_jobs

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def jobs_naming(text: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE lower(args::text) LIKE %s", [f"%{text}%"]
        )
        return cursor.fetchone()[0]


def delivered() -> None:
    """Run what is queued and keep it as the worker's log keeps delivered mail."""
    run_queued_jobs()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET status = 'succeeded' WHERE status = 'todo'")


def change_address(client, member, new: str) -> None:
    client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("account_email"), {"action_add": "", "email": new})
    job = ProcrastinateJob.objects.filter(args__message__to=[new], status="todo").get()
    link = re.search(r"https?://\S+", job.args["message"]["body"]).group(0)
    delivered()
    client.post(link)


def test_deleting_an_account_reaches_the_mail_to_its_former_address(queue, client):
    """Deletion left mail to the member's former addresses (name, both addresses, IP) in the job table."""
    member = MemberFactory(email="gammal.adress@example.org")
    other = MemberFactory(email="annan@example.org")
    client.post(reverse("account_reset_password"), {"email": member.email})
    client.post(reverse("account_reset_password"), {"email": other.email})
    delivered()
    change_address(client, member, "ny.adress@example.org")
    member.refresh_from_db()
    assert member.email == "ny.adress@example.org"
    assert jobs_naming("gammal.adress@") > 0  # the old address's mail is still kept

    # Kept as a digest, not as the address.
    former = FormerAddress.objects.get(member=member)
    assert "gammal" not in former.digest and len(former.digest) == 64

    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("members:account-delete"))
    assert response.status_code == 302
    assert not Member.objects.filter(pk=member.pk).exists()

    assert jobs_naming("gammal.adress@") == 0
    assert jobs_naming("ny.adress@") == 0
    assert not FormerAddress.objects.exists()
    assert jobs_naming("annan@") > 0  # the control: another member's mail is kept


def test_an_address_removed_from_the_email_page_is_remembered(queue, client):
    member = MemberFactory(email="kvar@example.org")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email="extra@example.org", verified=True, primary=False)
    client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("account_email"), {"action_remove": "", "email": "extra@example.org"})
    assert not EmailAddress.objects.filter(email="extra@example.org").exists()
    assert FormerAddress.objects.filter(member=member).count() == 1
