"""allauth's account adapter: its mail to a member comes in the member's language, and signing in counts
as authenticating for the pages that ask for the password again."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """For the second factor's pages, a sign-in a minute ago is as good as the password given again.

        A new editor signs in and is led straight to setting up the second factor, which allauth guards
        with "enter your password again": asked seconds after giving it. Within
        ACCOUNT_REAUTHENTICATION_TIMEOUT of a sign-in (by password, code or second factor) no second
        prompt there; after that, as allauth has it. Changing the address and deleting the account still
        ask for the password again, however fresh the sign-in.
        """
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        if app != "allauth.mfa":
            return True
        request = self.request
        if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
            return True
        times = [
            record.get("at", 0)
            for record in get_authentication_records(request, request.user)
            if record.get("method") in account_settings.REAUTHENTICATION_METHODS
        ]
        return not times or time.time() - max(times) >= account_settings.REAUTHENTICATION_TIMEOUT

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render (and queue) the mail in the language of the member it goes to.

        allauth renders in the request's language: a member who reads the portal in English but asked
        for a new password from a Swedish page got Swedish. An address that is no member's (an unknown
        account's notice) keeps the page's language.
        """
        from members.models import Member

        member = context.get("user")
        if not isinstance(member, Member):
            member = Member.objects.filter(email__iexact=email).only("preferred_language").first()
        language = getattr(member, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
