from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from interviews.models import Interview
from otg.common.images import CleanImage, clean_image
from otg.common.text import CleanTextFormMixin


class InterviewAdminForm(CleanTextFormMixin, forms.ModelForm):
    """The admin's interview form: a new portrait is cleaned here and stored by the service, never raw."""

    portrait_image: CleanImage | None = None

    class Meta:
        model = Interview
        fields = [
            "title",
            "slug",
            "status",
            "published_at",
            "author",
            "tags",
            "interviewee_name",
            "interviewee_member",
            "interviewee_description",
            "portrait",
            "portrait_alt",
            "introduction",
            "closing_text",
        ]

    def clean_portrait(self):
        value = self.cleaned_data.get("portrait")
        if isinstance(value, UploadedFile):
            self.portrait_image = clean_image(value)
            # Keep the field as it was; ModelAdmin.save_model hands the clean copy to the service.
            return None
        return value

    def clean(self):
        cleaned = super().clean()
        has_portrait = self.portrait_image is not None or (
            self.instance.portrait and cleaned.get("portrait") is not False
        )
        if has_portrait and not (cleaned.get("portrait_alt") or "").strip():
            self.add_error(
                "portrait_alt", _("Describe the portrait in a few words for those who cannot see it.")
            )
        if cleaned.get("status") == Interview.Status.PUBLISHED and not cleaned.get("published_at"):
            self.add_error("published_at", _("A published interview needs a publication time."))
        return cleaned
