"""A member made an editor: told by mail, led through setting up TOTP, then into the admin."""

import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from members import services
from members.middleware import RETURN_KEY
from tests.factories import STAFF_TOTP_SECRET, EditorFactory, MemberFactory
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"


def code_at(secret: str, moment: float) -> str:
    return format_hotp_value(hotp_value(secret, int(moment) // 30))


def test_member_make_editor_grants_the_editor_role_and_mails_what_changes(mailoutbox):
    Group.objects.get_or_create(name=services.EDITORS_GROUP)
    member = MemberFactory(name="Kim Exempel", email="kim@example.org")
    services.member_make_editor(member=member)
    member.refresh_from_db()
    assert member.is_staff
    assert member.groups.filter(name="Redaktörer").exists()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["kim@example.org"]
    assert mail.subject == "Du är nu redaktör på One Team Gov Sverige"
    assert "Hej Kim Exempel!" in mail.body
    assert "/admin/" in mail.body
    assert "tvåstegsverifiering" in mail.body
    # Made an editor a second time: no second mail.
    services.member_make_editor(member=member)
    assert len(mailoutbox) == 1


def test_member_make_editor_mails_in_the_members_language(mailoutbox):
    member = MemberFactory(preferred_language="en")
    services.member_make_editor(member=member)
    assert mailoutbox[0].subject == "You are now an editor at One Team Gov Sverige"


def test_member_made_editor_in_the_member_admin_is_told_by_mail(client, mailoutbox):
    Group.objects.get_or_create(name=services.EDITORS_GROUP)
    force_login_with_second_factor(client, MemberFactory(is_staff=True, is_superuser=True))
    member = MemberFactory(name="Ny Redaktör")
    response = client.post(
        reverse("admin:members_member_changelist"),
        {"action": "make_editor", "_selected_action": [member.pk]},
        follow=True,
    )
    assert "Medlemmarna är nu redaktörer och har fått veta det med e-post." in response.content.decode()
    assert [m.to for m in mailoutbox] == [[member.email]]


def test_member_made_editor_through_the_change_form_is_told_by_mail(client, mailoutbox):
    editors, _ = Group.objects.get_or_create(name=services.EDITORS_GROUP)
    force_login_with_second_factor(client, MemberFactory(is_staff=True, is_superuser=True))
    member = MemberFactory(name="Ny Redaktör", email="ny@example.org")
    change = reverse("admin:members_member_change", args=[member.pk])
    form = client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | tuple)}
    data.update(
        {
            "email": member.email,
            "name": member.name,
            "is_active": "on",
            "is_staff": "on",
            "groups": [editors.pk],
            "interests": "",
            "preferred_language": "sv",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00",
        }
    )
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.is_staff
    assert [m.to for m in mailoutbox] == [["ny@example.org"]]
    # Saving again changes nothing and sends nothing.
    client.post(change, data)
    assert len(mailoutbox) == 1


def test_new_editor_first_admin_visit_leads_through_totp_setup_and_recovery_codes_into_the_admin(client):
    editor = EditorFactory(authenticator=False)
    client.post(reverse("account_login"), {"login": editor.email, "password": PASSWORD})
    first = client.get(reverse("admin:interviews_interview_add"))
    assert first.headers["Location"] == reverse("mfa_activate_totp")
    # Signed in a moment ago: no second password prompt before the setup.
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Personal ställer in tvåstegsverifiering innan de använder administrationen." in html
    assert "En kod gäller i 30 sekunder" in html
    secret = page.context["form"].secret
    done = client.post(reverse("mfa_activate_totp"), {"code": code_at(secret, time.time())})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=editor, type=Authenticator.Type.TOTP).exists()
    # The recovery codes, shown now, once, with a download of them and the way on.
    assert done.headers["Location"] == reverse("mfa_view_recovery_codes")
    codes_page = client.get(done.headers["Location"])
    assert codes_page.status_code == 200
    html = codes_page.content.decode()
    codes = Authenticator.objects.get(user=editor, type=Authenticator.Type.RECOVERY_CODES).wrap()
    unused = codes.get_unused_codes()
    assert len(unused) == 10
    assert "Här är dina 10 återställningskoder. Spara dem nu" in html
    for code in unused:
        assert f"<li><code>{code}</code></li>" in html
    download = "data:text/plain;charset=utf-8," + "".join(f"{code}%0D%0A" for code in unused)
    assert f'download="one-team-gov-recovery-codes.txt" href="{download}"' in html
    continue_link = reverse("admin:interviews_interview_add")
    assert f'<a href="{continue_link}">Jag har sparat koderna: fortsätt</a>' in html
    # Shown once: a second visit shows no code.
    again = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert unused[0] not in again
    assert "Koderna visades en gång" in again
    # On to where they were going.
    after = client.get(continue_link)
    assert after.headers["Location"] == reverse("admin:interviews_interview_add")
    assert RETURN_KEY not in client.session
    landed = client.get(after.headers["Location"])
    assert landed.status_code == 200
    assert "Tvåstegsverifieringen är på." in landed.content.decode()


def test_no_second_password_prompt_within_minutes_of_signing_in_but_after(client):
    editor = EditorFactory(authenticator=False)
    start = time.time()
    with time_machine.travel(start, tick=False):
        client.post(reverse("account_login"), {"login": editor.email, "password": PASSWORD})
    with time_machine.travel(start + 240, tick=False):
        assert client.get(reverse("mfa_activate_totp")).status_code == 200
    with time_machine.travel(start + 301, tick=False):
        ask = client.get(reverse("mfa_activate_totp"))
        assert ask.status_code == 302
        assert ask.headers["Location"].startswith(reverse("account_reauthenticate"))


@pytest.mark.parametrize(("windows_back", "accepted"), [(0, True), (1, True), (2, False)])
def test_totp_code_from_the_previous_window_is_accepted(client, windows_back, accepted):
    staff = EditorFactory()  # TOTP with STAFF_TOTP_SECRET
    # 5 seconds into a window: the previous window's code is 5 to 35 seconds old.
    now = (int(time.time()) // 30 + 1) * 30 + 5
    with time_machine.travel(now, tick=False):
        client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
        code = code_at(STAFF_TOTP_SECRET, now - 30 * windows_back)
        client.post(reverse("mfa_authenticate"), {"code": code})
    assert ("_auth_user_id" in client.session) is accepted


def test_totp_sign_in_page_says_how_long_a_code_lasts(client):
    staff = EditorFactory()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    html = client.get(reverse("mfa_authenticate")).content.decode()
    assert "En kod gäller i 30 sekunder" in html


@pytest.mark.parametrize(("second", "left"), [(0, 30), (13, 17), (29, 1)])
def test_demo_totp_prints_the_code_and_the_seconds_left(capsys, second, left):
    from members.demo import DEMO_ADMIN_TOTP_SECRET

    moment = 1_800_000_000 // 30 * 30 + second
    with time_machine.travel(moment, tick=False):
        call_command("demo_totp")
    code, seconds = capsys.readouterr().out.splitlines()
    assert code == code_at(DEMO_ADMIN_TOTP_SECRET, moment)
    assert seconds == f"Gäller i {left} sekunder till, och sedan 30 sekunder till som föregående kod."
