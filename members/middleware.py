from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from members.permissions import SecondFactorRequired, staff_power

# Where a member was going when they were sent to set up their authenticator app.
RETURN_KEY = "staff_mfa_return_to"


def _safe_local(request: HttpRequest, url: str) -> bool:
    return url_has_allowed_host_and_scheme(url, allowed_hosts=None) and url.startswith("/")


def second_factor_redirect(request: HttpRequest) -> HttpResponse:
    """Send a member whose session has no second factor to give one, and then back to the page.

    Without an authenticator app they set one up (allauth first asks for the password again); with
    one, they type its code again (allauth's re-authentication), which records it in this session.
    """
    back = request.get_full_path()
    if request.method not in ("GET", "HEAD"):
        # A form they sent: back to the page it was on, which shows it again.
        referer = request.META.get("HTTP_REFERER", "")
        back = referer if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}) else "/"
    if not is_mfa_enabled(request.user, ["totp"]):
        request.session[RETURN_KEY] = back
        if back.startswith(reverse("admin:index")):
            text = _(
                "Welcome to the admin. Staff first set up two-factor authentication: scan the "
                "code with an authenticator app and type the six digits it shows. Then you go "
                "on to the admin."
            )
        else:
            text = _(
                "This page needs two-factor authentication: scan the code with an authenticator app "
                "and type the six digits it shows. Then you go on to the page."
            )
        messages.warning(request, text)
        return redirect("mfa_activate_totp")
    messages.info(
        request,
        _("This page needs your second factor: type the code your authenticator app shows."),
    )
    return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': back})}")


class StaffMFAMiddleware:
    """Staff powers, in the admin and on the site, are used only in a session with a second factor
    (members.permissions). The admin is guarded here as a whole; the site's views ask the permission
    functions and raise SecondFactorRequired, which this middleware turns into the same redirect.

    A new editor's first visit to the admin leads through setting up an authenticator app, and then on
    to where they were going.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            admin_path = reverse("admin:index")
            if user.is_staff and request.path.startswith(admin_path) and not staff_power(request):
                return second_factor_redirect(request)
            if request.path == reverse("mfa_view_recovery_codes"):
                # Just activated: allauth shows the recovery codes now, once; the page's "Continue"
                # link leads on (through the branch below).
                return self.get_response(request)
            if RETURN_KEY in request.session and request.method == "GET" and is_mfa_enabled(user, ["totp"]):
                # Just activated and the codes seen: on to where the member was going.
                return_to = request.session.pop(RETURN_KEY)
                if not _safe_local(request, return_to):
                    return_to = "/"
                messages.success(
                    request,
                    _(
                        "Two-factor authentication is on. Keep your recovery codes safe: new ones can be "
                        "made under Account, Two-factor authentication."
                    ),
                )
                return redirect(return_to)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, SecondFactorRequired):
            return second_factor_redirect(request)
        return None
