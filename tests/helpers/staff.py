"""Staff sign in as they do in the browser: password, then the code of their authenticator app."""

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.urls import reverse

from tests.factories import STAFF_TOTP_SECRET

PASSWORD = "correct-horse-battery"  # tests.factories.MemberFactory's


def current_code(secret: str = STAFF_TOTP_SECRET) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def sign_in_with_second_factor(client, staff) -> None:
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response.headers["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get(reverse("admin:index")).status_code == 200
