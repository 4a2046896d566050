from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Member
from otg.images import validate_image


class ProfileForm(forms.ModelForm):
    """What a member tells about themselves. Deliberately no organisation: members join as people."""

    portrait_upload = forms.FileField(
        label=_("New portrait"),
        required=False,
        help_text=_("A JPEG, PNG or WebP image of at most 5 MB. We remove location and camera data."),
        validators=[validate_image],
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
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
            "work_description": _("Optional. Shown only if you tick the box below."),
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
        """The cleaned fields that members.services.member_update_profile takes."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
