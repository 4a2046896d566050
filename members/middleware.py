from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Where a staff member was going when they were sent to set up their authenticator app.
RETURN_KEY = "staff_mfa_return_to"


class StaffMFAMiddleware:
    """Staff reach the admin only with an authenticator app (TOTP) activated on their account.

    Once it is active, allauth asks for the code at every sign-in, so an admin session always has two factors.
    A new editor's first visit to the admin leads through setting it up, and then on into the admin.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff:
            admin_path = reverse("admin:index")
            has_totp = is_mfa_enabled(user, ["totp"])
            if request.path.startswith(admin_path) and not has_totp:
                request.session[RETURN_KEY] = request.get_full_path()
                messages.warning(
                    request,
                    _(
                        "Welcome to the admin. Staff first set up two-factor authentication: scan the "
                        "code with an authenticator app and type the six digits it shows. Then you go on "
                        "to the admin."
                    ),
                )
                return redirect("mfa_activate_totp")
            if request.path == reverse("mfa_view_recovery_codes"):
                # Just activated: allauth shows the recovery codes now, once; the page's "Continue"
                # link leads on (through the branch below).
                return self.get_response(request)
            if has_totp and RETURN_KEY in request.session and request.method == "GET":
                # Just activated and the codes seen: on to where the member was going.
                return_to = request.session.pop(RETURN_KEY)
                if not return_to.startswith(admin_path):
                    return_to = admin_path
                messages.success(
                    request,
                    _(
                        "Two-factor authentication is on. Keep your recovery codes safe: new ones can be "
                        "made under Account, Two-factor authentication."
                    ),
                )
                return redirect(return_to)
        return self.get_response(request)
