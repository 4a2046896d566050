from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from members import services


class SignupForm(forms.Form):
    """The fields allauth's sign-up adds to email and password. There is no organisation field: members
    join as individuals."""

    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("The name other members will know you by."),
    )
    accept_principles = forms.BooleanField(
        label=_("I have read and accept the movement's principles and code of conduct"),
        help_text=format_lazy(
            '<a href="{url}">{text}</a>',
            url=reverse_lazy("about"),
            text=_("Read the principles and code of conduct"),
        ),
        error_messages={
            "required": _("To become a member you need to accept the principles and code of conduct.")
        },
    )
    interests = TagField(
        label=_("Interests (optional)"),
        required=False,
        help_text=_("Separate topics with commas, for example: klarspråk, tjänstedesign, öppna data."),
    )
    bio = forms.CharField(
        label=_("A few words about you (optional)"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text, at most 600 characters. Only shown if you make your profile public."),
    )

    field_order = ["name", "email", "password1", "accept_principles", "interests", "bio"]

    def signup(self, request, user) -> None:
        services.member_complete_signup(
            member=user,
            name=self.cleaned_data["name"],
            bio=self.cleaned_data.get("bio", ""),
            interests=self.cleaned_data.get("interests") or [],
            principles_version=settings.PRINCIPLES_VERSION,
            accepted_at=timezone.now(),
        )
