"""allauth's account adapter: its mail to a member comes in the member's language, in the portal's own
words (templates/account/email/, templates/mfa/email/), with every link on SITE_URL, never on the Host a
request named; every address it is given is compared in one normal form; signing in counts as
authenticating for the pages that ask for the password again; and a new member's first sign-in goes
through the welcome step."""

import time
from urllib.parse import quote, urlsplit, urlunsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.utils import get_login_redirect_url
from django.conf import settings
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from otg.common.text import normalise_email


def site_link(url: str) -> str:
    """``url`` on the portal's own address: allauth builds its links from the request's host, which
    behind a proxy or in development is "127.0.0.1:8413", never the address members know."""
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    return urlunsplit(
        (site.scheme, site.netloc, site.path.rstrip("/") + parts.path, parts.query, parts.fragment)
    )


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

    def get_reset_password_from_key_url(self, key: str) -> str:
        # The path allauth builds (its flows.password_reset), on SITE_URL.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL + path.replace("UID-KEY", quote(key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return settings.SITE_URL + reverse("account_confirm_email", args=[emailconfirmation.key])

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
        site = Site.objects.get_current()
        context.setdefault(
            "current_site", Site(pk=site.pk, name=site.name, domain=urlsplit(settings.SITE_URL).netloc)
        )
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def post_login(self, request, user, *, signup: bool, redirect_url: str | None, **kwargs):
        """A member's first sign-in, right after sign-up or the address's confirmation, lands on the
        welcome step (``/valkommen/``), which then links on to where they came from (``next``)."""
        if signup:
            target = get_login_redirect_url(request, redirect_url)
            welcome = reverse("welcome")
            home = reverse("home")
            came_from = target not in ("", home, welcome)
            redirect_url = f"{welcome}?{urlencode({'next': target})}" if came_from else welcome
        return super().post_login(request, user, signup=signup, redirect_url=redirect_url, **kwargs)
