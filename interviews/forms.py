from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from interviews.models import Interview
from otg.common.images import clean_image


class InterviewAdminForm(forms.ModelForm):
    """The admin's interview form: a new portrait is checked here and stored by the service, never raw."""

    portrait_upload: UploadedFile | None = None
    portrait_cleared = False

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
            clean_image(value)  # a refused image is this field's error (decoded once: see clean_image)
            self.portrait_upload = value
            # Keep the field as it was; ModelAdmin.save_model hands the upload to the service.
            return None
        if value is False:  # emptied on the instance now; the service removes the stored files
            self.portrait_cleared = True
        return value

    def clean(self):
        cleaned = super().clean()
        kept = self.instance.portrait and not self.portrait_cleared
        has_portrait = self.portrait_upload is not None or kept
        if has_portrait and not (cleaned.get("portrait_alt") or "").strip():
            self.add_error(
                "portrait_alt", _("Describe the portrait in a few words for those who cannot see it.")
            )
        if cleaned.get("status") == Interview.Status.PUBLISHED and not cleaned.get("published_at"):
            self.add_error("published_at", _("A published interview needs a publication time."))
        return cleaned
