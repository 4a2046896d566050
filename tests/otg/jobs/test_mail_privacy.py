"""What the job table keeps of mail: a deleted member's former addresses reach no kept job."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from members.models import FormerAddress, Member
from otg.jobs.tasks import mail_deliver
from tests.factories import MemberFactory
from tests.helpers.smtp import smtp_server, wait_for, worker, worker_env

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def jobs_naming(text: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE lower(args::text) LIKE %s", [f"%{text}%"]
        )
        return cursor.fetchone()[0]


def delivered() -> None:
    """Run the queued mail, as the worker would, and keep it as the worker's log keeps delivered mail."""
    for job in ProcrastinateJob.objects.filter(status="todo", task_name="mail_deliver").order_by("pk"):
        mail_deliver(**job.args)
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


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_delivered_job_keeps_no_reset_link_or_code(queue, client):
    """A live password-reset link sat in its delivered job for seven days, and showed in the job admin."""
    member = MemberFactory(email="glomsk@example.org")
    client.post(reverse("account_reset_password"), {"email": member.email})
    Client().post(reverse("account_request_login_code"), {"email": member.email})
    jobs = list(ProcrastinateJob.objects.filter(task_name="mail_deliver"))
    assert len(jobs) == 2
    assert "/konto/password/reset/key/" in json.dumps(jobs[0].args)  # queued: the text is needed

    with smtp_server() as (port, inbox), worker(worker_env(queue.DATABASES["default"], port)) as process:
        wait_for(
            lambda: (
                ProcrastinateJob.objects.filter(task_name="mail_deliver", status="succeeded").count() == 2
            ),
            timeout=30,
            what="both mails to be delivered",
            processes=(process,),
        )
        reset, code = sorted(inbox.messages(), key=lambda m: "reset" not in m.get_content())
    link = re.search(r"https?://\S+/konto/password/reset/key/\S+", reset.get_content()).group(0)
    sign_in_code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", code.get_content(), re.MULTILINE).group(1)

    kept = json.dumps([job.args for job in ProcrastinateJob.objects.filter(task_name="mail_deliver")])
    assert link.rsplit("/", 2)[-2] not in kept and "/konto/password/reset/key/" not in kept
    assert sign_in_code not in kept
    for job in ProcrastinateJob.objects.filter(task_name="mail_deliver"):
        assert job.args["message"]["to"] == [member.email]  # the delivery log still says who and what
        assert job.args["message"]["subject"]
        assert job.args["message"]["body"] == ""
