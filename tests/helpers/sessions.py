"""Sign a test client in as a session that authenticated with a second factor, without the forms.

allauth keeps in the session how it authenticated (allauth.account.authentication); staff powers
are used only in a session with a record of the method "mfa" (members.permissions). The forms are
driven for real in tests/helpers/staff.py (sign_in_with_second_factor) and tests/members/.
"""

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.userkit import user_id_to_str

# allauth's key for whose records these are (allauth.account.internal.flows.login).
_RECORDS_USER_KEY = "account_authentication_methods_user"


def force_login_with_second_factor(client, user) -> None:
    """force_login, and the session's record of a password and an authenticator code, as after
    signing in with both."""
    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_RECORDS_USER_KEY] = user_id_to_str(user)
    session.save()


def signed_in_records(member, *, reauthenticated: bool = False) -> list[dict]:
    """The session's authentication records for a member signed in as they sign in: a password, and for
    those with a staff or organiser power (who must give it) the authenticator code too."""
    now = time.time()
    records = [{"method": "password", "at": now, "email": member.email}]
    if reauthenticated:
        records[0]["reauthenticated"] = True
    if member.is_staff or member.has_perm("events.moderate_event"):
        records.append({"method": "mfa", "at": now, "type": "totp"})
    return records
