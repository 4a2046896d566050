"""allauth's account adapter, with two changes: its mail to a member comes in the member's language,
and every address it is given is compared in one normal form."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from otg.common.text import normalise_email


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        """The address as stored and compared: NFC and lowercase (otg.common.text.normalise_email).

        allauth calls this on sign-up, on adding an address and on a password reset before it looks
        the address up: "jorgen@malmö.se" typed with a combining diaeresis (macOS, some keyboards) is
        then the address already there, not a second member with the same mailbox.
        """
        return normalise_email(super().clean_email(email))

    def authenticate(self, request, **credentials):
        """Sign in by the address in the same normal form as it was stored."""
        if credentials.get("email"):
            credentials["email"] = normalise_email(credentials["email"])
        return super().authenticate(request, **credentials)

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
