"""allauth's account adapter: its mail comes in the member's language, and every link in it points at
SITE_URL, never at the Host a request named."""

from urllib.parse import quote, urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import translation


def on_site(url: str) -> str:
    """The same path and query on SITE_URL.

    allauth builds its links from the request (``request.build_absolute_uri``): a reset asked with
    ``Host: localhost:31337`` was mailed with that host, a link to whoever controls it.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return url
    return settings.SITE_URL + urlunsplit(("", "", parts.path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
    def get_reset_password_from_key_url(self, key: str) -> str:
        # The path allauth builds (its flows.password_reset), on SITE_URL.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL + path.replace("UID-KEY", quote(key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return settings.SITE_URL + reverse("account_confirm_email", args=[emailconfirmation.key])

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render (and queue) the mail in the language of the member it goes to, with its links on
        SITE_URL.

        allauth renders in the request's language: a member who reads the portal in English but asked
        for a new password from a Swedish page got Swedish. An address that is no member's (an unknown
        account's notice) keeps the page's language. Every absolute link in the context (the sign-up
        and reset links of the unknown-account and already-a-member notices too) is moved to SITE_URL,
        and the site's domain in the greeting is SITE_URL's.
        """
        from members.models import Member

        member = context.get("user")
        if not isinstance(member, Member):
            member = Member.objects.filter(email__iexact=email).only("preferred_language").first()
        language = getattr(member, "preferred_language", "") or translation.get_language()
        context = {
            key: on_site(value) if isinstance(value, str) and key.endswith("_url") else value
            for key, value in context.items()
        }
        site = Site.objects.get_current()
        context.setdefault(
            "current_site", Site(pk=site.pk, name=site.name, domain=urlsplit(settings.SITE_URL).netloc)
        )
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
