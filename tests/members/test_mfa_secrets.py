"""Second-factor secrets are encrypted at rest with keys from the environment (MFA_ENCRYPTION_KEYS)."""

import io
import re
from importlib import import_module

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from members.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def stored_text() -> str:
    """Everything the authenticator table holds, as a dump of the database would show it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(string_agg(data::text, ' '), '') FROM mfa_authenticator")
        return cursor.fetchone()[0]


def sign_in_with_totp(client, email: str, password: str, secret: str) -> None:
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    assert response.headers["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})


def test_a_secret_activated_on_the_site_is_stored_encrypted_and_still_works(client):
    """The TOTP secret and the recovery codes' seed were stored in plain text."""
    member = MemberFactory(email="tva@example.org")
    client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    assert client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)}).status_code == 302
    client.get(reverse("mfa_generate_recovery_codes"))  # recovery codes, with their seed

    totp = Authenticator.objects.get(user=member, type=Authenticator.Type.TOTP)
    assert secret not in stored_text()
    assert totp.data["secret"] != secret and totp.data["secret"].startswith("gAAAA")  # a Fernet token
    for authenticator in Authenticator.objects.filter(user=member, type=Authenticator.Type.RECOVERY_CODES):
        assert authenticator.data["seed"].startswith("gAAAA")

    client.logout()
    sign_in_with_totp(client, member.email, PASSWORD, secret)
    assert client.session["_auth_user_id"] == str(member.pk)


def test_the_migration_encrypts_secrets_stored_in_plain_text(client):
    member = MemberFactory(email="gammal-totp@example.org")
    plain = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    seed = "ab" * 40
    Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={"secret": plain})
    Authenticator.objects.create(
        user=member, type=Authenticator.Type.RECOVERY_CODES, data={"seed": seed, "used_mask": 0}
    )
    assert plain in stored_text()  # as main stored them

    migration = import_module("members.migrations.0011_encrypt_second_factor_secrets")
    migration.encrypt(apps, None)
    migration.encrypt(apps, None)  # a second run leaves them as they are

    assert plain not in stored_text() and seed not in stored_text()
    sign_in_with_totp(client, member.email, PASSWORD, plain)
    assert client.session["_auth_user_id"] == str(member.pk)

    migration.decrypt(apps, None)  # and back, when the migration is reversed
    assert plain in stored_text()


def test_a_new_key_goes_first_and_the_old_one_still_decrypts(client, settings):
    member = MemberFactory(email="rotera@example.org")
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(member, secret)
    settings.MFA_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.MFA_ENCRYPTION_KEYS]
    sign_in_with_totp(client, member.email, PASSWORD, secret)
    assert client.session["_auth_user_id"] == str(member.pk)


def test_the_demo_admin_signs_in_with_the_code_make_totp_prints(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)
    assert DEMO_ADMIN_TOTP_SECRET not in stored_text()
    out = io.StringIO()
    call_command("demo_totp", stdout=out)
    code = re.search(r"^\d{6}$", out.getvalue(), re.MULTILINE).group(0)
    response = client.post(
        reverse("account_login"), {"login": DEMO_ADMIN_EMAIL, "password": DEMO_ADMIN_PASSWORD}
    )
    assert response.headers["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get(reverse("admin:index")).status_code == 200
