"""Account flows through allauth: sign-up with consent, verification, code login, MFA, limits, enumeration."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import DataError
from django.urls import reverse

from members.models import Member
from tests.factories import MemberFactory
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db

PASSWORD = "ett-långt-lösenord-för-test"


def signup(client, **overrides):
    data = {
        "name": "Adrian Solitander",
        "email": "adrian@example.org",
        "password1": PASSWORD,
        "accept_principles": "on",
        "interests": "klarspråk, innovation",
        "bio": "Jobbar med förnyelse.",
    } | overrides
    return client.post(reverse("account_signup"), data)


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def current_totp(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def test_signup_stores_name_consent_and_interests_and_asks_for_verification(client, mailoutbox):
    response = signup(client)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("account_email_verification_sent")
    member = Member.objects.get(email="adrian@example.org")
    assert member.name == "Adrian Solitander"
    assert member.principles_version == settings.PRINCIPLES_VERSION
    assert member.principles_accepted_at is not None
    assert sorted(member.interests.names()) == ["innovation", "klarspråk"]
    assert member.bio == "Jobbar med förnyelse."
    assert member.is_public is False
    assert EmailAddress.objects.get(user=member).verified is False
    assert len(mailoutbox) == 1
    assert "/konto/confirm-email/" in mailoutbox[0].body
    assert "One Team Gov Sverige" in mailoutbox[0].body


def test_signup_without_accepting_the_principles_creates_nothing(client):
    response = signup(client, accept_principles="")
    assert response.status_code == 200
    assert "Du behöver godkänna principerna och uppförandekoden" in response.content.decode()
    assert not Member.objects.exists()


def test_signup_form_never_asks_for_an_organisation(client):
    response = client.get(reverse("account_signup"))
    fields = set(response.context["form"].fields)
    assert fields == {"name", "email", "password1", "accept_principles", "interests", "bio"}


def test_unverified_member_cannot_sign_in_until_the_link_is_followed(client, mailoutbox):
    signup(client)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "adrian@example.org", "password": PASSWORD})
    assert response.headers["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    confirm = client.get(link_in(mailoutbox[-1]))
    assert confirm.status_code == 200
    client.post(link_in(mailoutbox[-1]))
    assert EmailAddress.objects.get(email="adrian@example.org").verified
    client.logout()
    response = client.post(reverse("account_login"), {"login": "adrian@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(Member.objects.get().pk)


@pytest.mark.parametrize(
    ("password", "message"),
    [("kort-ord1", "minst 10 tecken"), ("password123", "för vanligt")],
)
def test_signup_refuses_weak_passwords(client, password, message):
    response = signup(client, password1=password)
    assert message in response.content.decode()
    assert not Member.objects.exists()


def test_signup_accepts_a_long_passphrase(client):
    passphrase = "korrekt häst batteri häftstift " * 4  # 128 characters
    response = signup(client, password1=passphrase)
    assert response.status_code == 302
    assert Member.objects.get().check_password(passphrase)


def test_signup_with_a_known_email_answers_as_for_a_new_one(client, mailoutbox):
    MemberFactory(email="adrian@example.org")
    known = signup(client)
    fresh = signup(client, email="ny@example.org")
    assert known.status_code == fresh.status_code == 302
    assert known.headers["Location"] == fresh.headers["Location"]
    assert Member.objects.filter(email="adrian@example.org").count() == 1
    recipients = [message.to[0] for message in mailoutbox]
    assert recipients.count("adrian@example.org") == 1  # told that an account already exists


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, mailoutbox):
    MemberFactory(email="finns@example.org")
    known = client.post(reverse("account_reset_password"), {"email": "finns@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "finns-inte@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    reset_mail = [m for m in mailoutbox if m.to == ["finns@example.org"]]
    assert reset_mail and "/konto/password/reset/key/" in reset_mail[0].body


def test_password_reset_link_sets_a_new_password(client, mailoutbox):
    member = MemberFactory(email="glomsk@example.org")
    client.post(reverse("account_reset_password"), {"email": member.email})
    form_url = client.get(link_in(mailoutbox[0])).headers["Location"]
    response = client.post(
        form_url, {"password1": "ett-nytt-lösenord-99", "password2": "ett-nytt-lösenord-99"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("ett-nytt-lösenord-99")


def test_login_by_code_signs_the_member_in(client, mailoutbox):
    member = MemberFactory(email="kod@example.org")
    response = client.post(reverse("account_request_login_code"), {"email": member.email})
    assert response.headers["Location"] == reverse("account_confirm_login_code")
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mailoutbox[0].body, re.MULTILINE).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_failed_sign_ins_slow_the_address_not_the_members_account(client):
    """Five wrong passwords locked the member out for five minutes, from anywhere."""
    member = MemberFactory(email="mal@example.org")
    attacker = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(10):
        client.post(
            reverse("account_login"), {"login": member.email, "password": "fel-lösenord-123"}, **attacker
        )
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "correct-horse-battery"}, **attacker
    )
    assert "_auth_user_id" not in client.session
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    response = client.post(
        reverse("account_login"),
        {"login": member.email, "password": "correct-horse-battery"},
        REMOTE_ADDR="198.51.100.9",
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting how often a password is hashed."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.members.test_accounts.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


def test_a_failed_sign_in_hashes_the_password_once(client, counting_hasher):
    """Two authentication backends hashed every wrong password twice."""
    member = MemberFactory(email="en@example.org")
    member.set_password("correct-horse-battery")
    member.save()
    for login in (member.email, "ingen@example.org"):
        counting_hasher.calls = 0
        client.post(reverse("account_login"), {"login": login, "password": "fel-lösenord-123"})
        assert counting_hasher.calls == 1, login


def test_signup_does_the_same_work_for_a_known_address_as_for_a_new_one(client, counting_hasher, mailoutbox):
    """A known address answered in 50 ms, a new one in 500 ms (the password hash)."""
    MemberFactory(email="adrian@example.org")
    counting_hasher.calls = 0
    signup(client)
    known = counting_hasher.calls
    counting_hasher.calls = 0
    signup(client, email="ny@example.org")
    assert known == counting_hasher.calls >= 1
    assert len(mailoutbox) == 2  # one mail on each path: "you already have an account", "verify"


def test_signup_with_an_over_long_interest_says_so_and_creates_nothing(client):
    """A 150-character interest gave a 500 and left a member with no name or consent."""
    response = signup(client, interests="klarspråk, " + "x" * 150)
    assert response.status_code == 200
    assert "för långt för ett ämne: högst 100 tecken" in response.content.decode()
    assert not Member.objects.exists()
    assert not EmailAddress.objects.exists()


def test_signup_with_an_interest_without_letters_says_so(client):
    response = signup(client, interests="🚀, !!!")
    html = response.content.decode()
    assert response.status_code == 200
    assert "”🚀” kan inte vara ett ämne" in html or "“🚀” kan inte vara ett ämne" in html
    assert not Member.objects.exists()


@pytest.mark.parametrize("field, length", [("name", 151), ("bio", 601), ("email", 255)])
def test_signup_checks_every_field_against_its_column(client, field, length):
    value = ("a" * (length - len("@example.org")) + "@example.org") if field == "email" else "a" * length
    response = signup(client, **{field: value})
    assert response.status_code == 200
    assert not Member.objects.exists()


def test_signup_is_all_or_nothing_when_a_step_fails(client, monkeypatch):
    """If storing the interests fails after the member row is written, nothing of the sign-up stays."""
    from taggit.managers import _TaggableManager

    def fail(*args, **kwargs):
        raise DataError("value too long for type character varying(100)")

    monkeypatch.setattr(_TaggableManager, "set", fail)
    client.raise_request_exception = False
    response = signup(client)
    assert response.status_code == 500
    assert not Member.objects.exists()
    assert not EmailAddress.objects.exists()


def test_changing_email_requires_reauthentication(client):
    member = MemberFactory()
    client.post(reverse("account_login"), {"login": member.email, "password": "correct-horse-battery"})
    # However fresh the sign-in: only the second factor's pages take it as the password given again.
    response = client.post(reverse("account_email"), {"action_add": "", "email": "ny-adress@example.org"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="ny-adress@example.org").exists()


def test_staff_without_an_authenticator_app_are_sent_to_activate_one(client):
    staff = MemberFactory(is_staff=True, authenticator=False)
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_activate_totp")


def test_staff_with_an_authenticator_app_reach_the_admin_only_in_a_session_with_its_code(client):
    staff = MemberFactory(is_staff=True)  # the factory activates TOTP for staff
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    client.force_login(staff)  # a session without the second factor (one from before it was set up)
    response = client.get(reverse("admin:index"))
    assert response.headers["Location"] == reverse("mfa_reauthenticate") + "?next=%2Fadmin%2F"
    force_login_with_second_factor(client, staff)
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))


def test_member_with_totp_must_give_a_code_at_sign_in(client):
    member = MemberFactory(email="tva-steg@example.org")
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(member, secret)
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "correct-horse-battery"}
    )
    assert response.headers["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": current_totp(secret)})
    assert client.session["_auth_user_id"] == str(member.pk)


def test_member_can_activate_an_authenticator_app(client):
    member = MemberFactory()
    client.post(reverse("account_login"), {"login": member.email, "password": "correct-horse-battery"})
    # Just signed in: the sign-in counts, no second password prompt.
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()


def test_changing_email_is_verified_again_before_it_takes_effect(client, mailoutbox):
    member = MemberFactory(email="gammal@example.org")
    client.post(reverse("account_login"), {"login": member.email, "password": "correct-horse-battery"})
    client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery"})
    response = client.post(reverse("account_email"), {"action_add": "", "email": "ny@example.org"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "gammal@example.org"  # not yet: the new address must be verified first
    assert not EmailAddress.objects.get(email="ny@example.org").verified
    verification = next(m for m in mailoutbox if m.to == ["ny@example.org"])
    client.post(link_in(verification))
    member.refresh_from_db()
    assert member.email == "ny@example.org"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", "verified")) == [
        ("ny@example.org", True)
    ]


PHISHING_NAME = "Vinn ett pris på https://phish.example/logga-in"


def test_the_verification_mail_quotes_nothing_the_requester_typed(client, mailoutbox):
    """The name typed at sign-up was quoted to any address: a phishing link delivered by the portal."""
    signup(client, name=PHISHING_NAME, email="offer@example.org")
    [mail] = mailoutbox
    assert mail.to == ["offer@example.org"]
    assert "phish.example" not in mail.body + mail.subject
    assert "Vinn ett pris" not in mail.body + mail.subject
    assert "/konto/confirm-email/" in mail.body  # the control: it is the verification mail


def test_the_mail_confirming_a_new_address_quotes_no_name(client, mailoutbox):
    member = MemberFactory(email="gammal@example.org", name=PHISHING_NAME)
    client.post(reverse("account_login"), {"login": member.email, "password": "correct-horse-battery"})
    client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery"})
    client.post(reverse("account_email"), {"action_add": "", "email": "ny@example.org"})
    verification = next(m for m in mailoutbox if m.to == ["ny@example.org"])
    assert "/konto/confirm-email/" in verification.body
    assert "phish.example" not in verification.body + verification.subject


ATTACKER_HOST = "localhost:31337"


def urls_in(message) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", message.body)


def test_a_reset_asked_with_another_host_is_mailed_with_site_url(client, mailoutbox, settings):
    """allauth took the request's Host: a reset asked with Host: localhost:31337 was mailed with it."""
    settings.SITE_URL = "https://portal.example.org"
    member = MemberFactory(email="glomsk@example.org")
    client.post(reverse("account_reset_password"), {"email": member.email}, HTTP_HOST=ATTACKER_HOST)
    [mail] = mailoutbox
    assert "31337" not in mail.body
    links = urls_in(mail)
    assert links and all(
        link == "https://portal.example.org" or link.startswith("https://portal.example.org/")
        for link in links
    )
    assert any("/konto/password/reset/key/" in link for link in links)


@pytest.mark.parametrize(
    ("what", "post"),
    [
        ("sign-up", lambda client: signup(client, email="ny@example.org")),
        ("sign-up, known address", lambda client: signup(client, email="finns@example.org")),
        (
            "reset, unknown address",
            lambda client: client.post(
                reverse("account_reset_password"), {"email": "okand@example.org"}, HTTP_HOST=ATTACKER_HOST
            ),
        ),
        (
            "code, known address",
            lambda client: client.post(
                reverse("account_request_login_code"), {"email": "finns@example.org"}, HTTP_HOST=ATTACKER_HOST
            ),
        ),
    ],
)
def test_every_link_in_account_mail_comes_from_site_url(client, mailoutbox, settings, what, post):
    settings.SITE_URL = "https://portal.example.org"
    MemberFactory(email="finns@example.org")
    client.defaults["HTTP_HOST"] = ATTACKER_HOST
    post(client)
    assert mailoutbox, what
    for mail in mailoutbox:
        assert "31337" not in mail.body + mail.subject
        assert all(
            link == "https://portal.example.org" or link.startswith("https://portal.example.org/")
            for link in urls_in(mail)
        ), mail.body
