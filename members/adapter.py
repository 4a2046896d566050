"""allauth's account adapter: its mail to a member comes in the member's language, and a new member's first
sign-in goes through the welcome step."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_login_redirect_url
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode


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
