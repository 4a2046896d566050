from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from members import services
from members.models import Member
from otg.common.images import ACCEPT, validate_image
from otg.common.tags import TagField
from otg.common.text import CleanTextFormMixin, validate_visible


class SignupForm(CleanTextFormMixin, forms.Form):
    """The fields allauth's sign-up adds to email and password. There is no organisation field: members
    join as individuals."""

    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("The name other members will know you by."),
        validators=[validate_visible],
    )
    # members.account_forms puts the link to the principles inside this label.
    accept_principles = forms.BooleanField(
        label=_("I accept the movement's principles and code of conduct"),
        error_messages={
            "required": _("To become a member you need to accept the principles and code of conduct.")
        },
    )
    interests = TagField(
        label=_("Interests"),
        required=False,
        help_text=_("Separate topics with commas, for example: klarspråk, tjänstedesign, öppna data."),
    )
    bio = forms.CharField(
        label=_("A few words about you"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text, at most 600 characters. Only shown if you make your profile public."),
    )

    field_order = ["name", "email", "password1", "accept_principles", "interests", "bio"]

    def clean(self):
        cleaned = super().clean()
        # allauth's email field has no length limit and allauth cuts the address to the column's length
        # when it stores it: a longer address would become another one, never verified.
        limit = Member._meta.get_field("email").max_length
        if len(cleaned.get("email") or "") > limit:
            self.add_error(
                "email",
                forms.ValidationError(
                    _("An email address can hold at most %(limit)s characters."),
                    code="max_length",
                    params={"limit": limit},
                ),
            )
        return cleaned

    def signup(self, request, user) -> None:
        services.member_signup_complete(
            member=user,
            name=self.cleaned_data["name"],
            bio=self.cleaned_data.get("bio", ""),
            interests=self.cleaned_data.get("interests") or [],
            principles_version=settings.PRINCIPLES_VERSION,
            accepted_at=timezone.now(),
            language=translation.get_language(),  # the page's, which the request chose
        )


class ProfileForm(CleanTextFormMixin, forms.ModelForm):
    """What a member tells about themselves. Deliberately no organisation: members join as people."""

    portrait_upload = forms.FileField(
        label=_("New portrait"),
        required=False,
        help_text=_("A photo (JPEG, HEIC, PNG or WebP) of at most 5 MB. We remove location and camera data."),
        validators=[validate_image],
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    remove_portrait = forms.BooleanField(label=_("Remove my portrait"), required=False)

    class Meta:
        model = Member
        fields = [
            "name",
            "pronouns",
            "bio",
            "interests",
            "work_description",
            "show_work",
            "preferred_language",
            "is_public",
        ]
        labels = {"name": _("Display name")}
        help_texts = {
            "pronouns": _("For example “she/her”, “they/them” or “hen”."),
            "bio": _("Plain text, at most 600 characters."),
            "interests": _("Separate topics with commas, for example: klarspråk, öppna data."),
            "work_description": _("Shown only if you tick the box below."),
            "is_public": _(
                "When ticked, your profile appears in the member directory and anyone can read it. "
                "Your email address is never shown."
            ),
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("portrait_upload") and cleaned.get("remove_portrait"):
            raise forms.ValidationError(
                _("Either upload a new portrait or remove the current one, not both."), code="portrait_both"
            )
        return cleaned

    def profile_data(self) -> dict:
        """The cleaned fields that members.services.member_profile_update takes."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
