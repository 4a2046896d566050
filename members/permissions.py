"""Whether a request may use a power over other people's data: the one place that knows such a power is
used only in a session that signed in with a second factor.

A password alone is not enough for staff (or for a role given in the admin, such as the organisers who
review proposals): a member made an editor, whose password leaked, would otherwise read every attendee's
address and needs. allauth records in the session how it authenticated (`get_authentication_records`);
a record of the method "mfa" is a code from the member's authenticator app, typed at sign-in, at
re-authentication, or when the app was set up in this session (record_second_factor_on_activation, below).

Apps ask these functions; `members` knows nothing of what the powers are for.
"""

from allauth.account.authentication import get_authentication_records
from django.http import HttpRequest


class SecondFactorRequired(Exception):
    """A member who would have the power in a second-factor session tries it without one:
    members.middleware.StaffMFAMiddleware sends them to give the second factor, and back."""


def _member(request: HttpRequest):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user


def second_factor_session(request: HttpRequest) -> bool:
    """This session authenticated with the member's authenticator app (not a password or code alone)."""
    user = _member(request)
    if user is None:
        return False
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def staff_power(request: HttpRequest) -> bool:
    """Staff, in a session that signed in with a second factor."""
    user = _member(request)
    return bool(user is not None and user.is_staff and second_factor_session(request))


def role_power(request: HttpRequest, permission: str) -> bool:
    """A permission given in the admin that reaches other members' data (``"app.codename"``), in a
    session with a second factor; a superuser holds every permission, as in Django."""
    user = _member(request)
    return bool(user is not None and user.has_perm(permission) and second_factor_session(request))


def needs_second_factor(request: HttpRequest, permission: str | None = None) -> bool:
    """The member would have a staff power (or the permission) if this session had a second factor."""
    user = _member(request)
    if user is None or second_factor_session(request):
        return False
    return bool(user.is_staff or (permission and user.has_perm(permission)))


def require_second_factor(request: HttpRequest, permission: str | None = None) -> None:
    """Call where a view is about to refuse: staff (or holders of the permission) without a second
    factor are sent to give it instead of being refused."""
    if needs_second_factor(request, permission):
        raise SecondFactorRequired


def record_second_factor_on_activation(sender, request, user, authenticator, **kwargs) -> None:
    """Setting up the authenticator app means typing a code it shows: this session has given a second
    factor, as at sign-in, so the member goes on to the page that asked for it without a second code."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=str(authenticator.type))


# Where members' portraits are stored (Member.portrait*, upload_to): served only through can_see_portrait.
PORTRAIT_FOLDER = "portraits/"


def can_see_portrait(request: HttpRequest, name: str) -> bool:
    """Whether this request may have the portrait file ``name``: anyone for a public profile's, else only
    its owner and staff with a second factor (as for the private profile itself). A file no member
    names is nobody's."""
    from django.db.models import Q

    from members.models import Member

    owner = (
        Member.objects.filter(Q(portrait=name) | Q(portrait_small=name) | Q(portrait_large=name))
        .only("pk")
        .first()
    )
    if owner is None:
        return False
    if Member.objects.public().filter(pk=owner.pk).exists():
        return True
    user = _member(request)
    return bool(user is not None and (user.pk == owner.pk or staff_power(request)))
