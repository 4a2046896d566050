from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class StaffMFAMiddleware:
    """Staff reach the admin only with an authenticator app (TOTP) activated on their account.

    Once it is active, allauth asks for the code at every sign-in, so an admin session always has two factors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(reverse("admin:index"))
            and user.is_authenticated
            and user.is_staff
            and not is_mfa_enabled(user, ["totp"])
        ):
            messages.warning(
                request, _("Staff must activate two-factor authentication before using the admin.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
