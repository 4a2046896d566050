"""allauth's account forms with the portal's wording (settings.ACCOUNT_FORMS).

allauth builds its fields in ``__init__`` (the sign-up's password after our extra fields), so the wording
is set here, after allauth is done: one label per email field that its placeholder repeats, the password
rules as one sentence instead of a list per validator, and the principles link inside its checkbox label.
Kept apart from members/forms.py, which allauth imports as the sign-up's base class.
"""

from allauth.account import forms as allauth_forms
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from otg.common.text import normalise_email


def _password_rules(form) -> None:
    """One sentence for what MinimumLengthValidator(10), CommonPasswordValidator and
    NumericPasswordValidator ask (settings.AUTH_PASSWORD_VALIDATORS), instead of a bullet per validator."""
    form.fields["password1"].help_text = _(
        "At least 10 characters, not a common password and not only digits."
    )


def _label_email(form, name: str) -> None:
    field = form.fields[name]
    field.label = _("Email address")
    field.widget.attrs["placeholder"] = field.label
    # Messages that say what to do, as GOV.UK's do; the error summary lists them with the label.
    field.error_messages["required"] = _("Enter your email address.")
    field.error_messages["invalid"] = _("Enter an email address like name@example.org.")


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _label_email(self, "login")
        self.fields["password"].error_messages["required"] = _("Enter your password.")
        # allauth puts "Forgot your password?" in the password's help text, before the field: Tab then
        # went from the address to the link. The page links to it after the button (GOV.UK's order).
        self.fields["password"].help_text = ""
        self.fields["login"].widget.attrs["autofocus"] = True

    def clean_login(self) -> str:
        # In the form the address was stored in, for the lookup, the rate limit and the code sign-in.
        return normalise_email(super().clean_login())


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form with the portal's wording, and two promises of ours.

    - All or nothing: the member, their email address, consent and interests are saved in one
      transaction, so a failure half-way leaves no member without a name or consent.
    - The same work for an address that is already a member as for a new one: a new sign-up hashes the
      password (most of its time), so the other path hashes it too. Otherwise the answer's speed would
      tell who is a member, which ACCOUNT_PREVENT_ENUMERATION promises it does not.
    - The same answer for a sign-up sent twice at once (a double click): both pass the check that the
      address is new, and the second one's insert meets the database's unique address. That sign-up
      then answers as for a known address ("check your mail"), instead of a 500.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _label_email(self, "email")
        _password_rules(self)
        self.fields["name"].error_messages["required"] = _("Enter your name.")
        self.fields["password1"].error_messages["required"] = _("Choose a password.")
        self.fields["accept_principles"].label = format_html(
            _("I accept the movement's {link_start}principles and code of conduct{link_end}"),
            link_start=format_html('<a href="{}">', reverse("about")),
            link_end=mark_safe("</a>"),
        )

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
            return super().try_save(request)
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            from members.models import Member

            if not Member.objects.filter(email__iexact=self.cleaned_data.get("email")).exists():
                raise
            self.account_already_exists = True
            return super().try_save(request)


class AddEmailForm(allauth_forms.AddEmailForm):
    def save(self, request):
        """Add the address; one added twice at once (a double click) is the same one address.

        Both requests find no new address and insert it; the second meets the unique (member,
        address) and gets the address the first one stored, whose verification mail is on its way.
        """
        try:
            with transaction.atomic():
                return super().save(request)
        except IntegrityError:
            from allauth.account.models import EmailAddress

            address = EmailAddress.objects.filter(user=self.user, email=self.cleaned_data["email"]).first()
            if address is None:
                raise
            return address


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _label_email(self, "email")

    def clean_email(self) -> str:
        # allauth looks the member up by the cleaned address but mails the address as typed.
        self.cleaned_data["email"] = normalise_email(self.cleaned_data.get("email") or "")
        return super().clean_email()


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _label_email(self, "email")

    def clean_email(self) -> str:
        self.cleaned_data["email"] = normalise_email(self.cleaned_data.get("email") or "")
        return super().clean_email()


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _password_rules(self)


class SetPasswordForm(allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _password_rules(self)


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _password_rules(self)
