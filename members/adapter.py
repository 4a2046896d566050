"""allauth's account adapter: its mail to a member comes in the member's language, from the portal's
address (SITE_URL), in the portal's own words (templates/account/email/, templates/mfa/email/)."""

from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation


def site_link(url: str) -> str:
    """``url`` on the portal's own address: allauth builds its links from the request's host, which
    behind a proxy or in development is "127.0.0.1:8413", never the address members know."""
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    return urlunsplit(
        (site.scheme, site.netloc, site.path.rstrip("/") + parts.path, parts.query, parts.fragment)
    )


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
            member = Member.objects.filter(email__iexact=email).only("preferred_language", "name").first()
        language = getattr(member, "preferred_language", "") or translation.get_language()
        context = {
            **context,
            # allauth's notices (a changed password, two-factor on) carry no user: the greeting names them.
            "user": context.get("user") or member,
            "site_url": settings.SITE_URL,
            **{
                key: site_link(value)
                for key, value in context.items()
                if key.endswith("_url")
                and isinstance(value, str)
                and value.startswith(("http://", "https://"))
            },
        }
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
