"""allauth's account adapter, with one change: its mail to a member comes in the member's language."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
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
