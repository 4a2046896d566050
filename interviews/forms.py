from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator
from django.db.models import BLANK_CHOICE_DASH
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from taggit.utils import parse_tags

from interviews.models import Interview
from interviews.parsing import IMPORT_MAX_CHARS, DocumentError, read_document
from otg.common.images import clean_image
from otg.common.tags import clean_tag_names
from otg.common.text import CleanTextFormMixin

TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length
IMPORT_MAX_BYTES = 5 * 1024 * 1024


class OneAutocomplete(AutocompleteSelect):
    """The admin's autocomplete for one member, whose empty choice has a label.

    Django renders that choice as ``<option value=""></option>``, which HTML forbids (an option needs
    text or a label: the Nu Html Checker's error); it reads "---------" like every other admin select.
    """

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        label = label or BLANK_CHOICE_DASH[0][1]
        return super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)


class ListAutocomplete(AutocompleteSelectMultiple):
    """The admin's multiple autocomplete without its "clear all" cross.

    select2 puts that cross inside the list of choices as a bare <span>, which makes the list invalid
    for screen readers (axe: "list"); each choice keeps its own cross.
    """

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-allow-clear"] = "false"
        return attrs


class TagAutocomplete(ListAutocomplete):
    """Existing topics by autocomplete (the admin's select2), and new ones typed and confirmed with Enter.

    The options are tag names, not ids, so that a new name and an existing one arrive the same way.
    """

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-tags"] = "true"
        return attrs

    def optgroups(self, name, value, attr=None):
        options = [self.create_option(name, tag, tag, True, index) for index, tag in enumerate(value) if tag]
        return [(None, options, 0)]


class TagNamesField(forms.Field):
    """A list of tag names; each value may also be a comma-separated list, as taggit's text field takes."""

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        names = []
        for item in value:
            # One tag per value from the autocomplete; a comma-separated list, as taggit's field takes.
            item = str(item).strip()
            for name in parse_tags(item) if "," in item else [item] if item else []:
                if name.casefold() not in {n.casefold() for n in names}:
                    names.append(name)
        return names

    def clean(self, value):
        # The one set of rules for a topic's name (otg.common.tags): letters or digits, a length limit,
        # one topic whatever its case.
        return clean_tag_names(super().clean(value))

    def has_changed(self, initial, data):
        before = {name.casefold() for name in self.prepare_value(initial)}
        return before != {name.casefold() for name in self.to_python(data)}

    def prepare_value(self, value):
        if value is None:
            return []
        if isinstance(value, str):
            return self.to_python(value)
        return [getattr(tag, "name", tag) for tag in value]


class PublicationTimeInput(forms.DateTimeInput):
    """The browser's own date-and-time box (no admin calendar script needed)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class Publication:
    """What the publishing control's buttons ask for (the name each button posts)."""

    PUBLISH = "_publish"
    SCHEDULE = "_schedule"
    UNPUBLISH = "_unpublish"

    @classmethod
    def requested(cls, data) -> str:
        return next((action for action in (cls.PUBLISH, cls.SCHEDULE, cls.UNPUBLISH) if action in data), "")


class InterviewAdminForm(CleanTextFormMixin, forms.ModelForm):
    """The admin's interview form: a new portrait is checked here and stored by the service, never raw.

    Whether and when the interview is public is not a field but the publishing control, at the top and
    the bottom of the form: "Publish now", "Schedule" with a time (each control has its own time box;
    the pressed button says which), "Unpublish". Saving otherwise keeps the state as it is.
    """

    portrait_upload: UploadedFile | None = None
    portrait_cleared = False
    # Set by the admin from the pressed button (Publication); "" when the state stays as it is.
    publication_requested = ""
    schedule_at_top = forms.DateTimeField(
        label=_("Publication time"), required=False, widget=PublicationTimeInput
    )
    schedule_at_bottom = forms.DateTimeField(
        label=_("Publication time"), required=False, widget=PublicationTimeInput
    )

    class Meta:
        model = Interview
        fields = [
            "title",
            "slug",
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"] = TagNamesField(
            label=capfirst(_("tags")),
            required=False,
            widget=TagAutocomplete(Interview._meta.get_field("tags"), admin.site),
            help_text=_("Choose existing topics, or type a new one and press Enter."),
            initial=self.initial.get("tags"),
        )
        for name in ("schedule_at_top", "schedule_at_bottom"):
            self.fields[name].widget.attrs["id"] = f"id_{name}"
            if self.instance.pk and self.instance.status == Interview.Status.PUBLISHED:
                self.initial.setdefault(name, timezone.localtime(self.instance.published_at))

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
        if self.publication_requested == Publication.SCHEDULE:
            where = "top" if self.data.get(Publication.SCHEDULE) == "top" else "bottom"
            field = f"schedule_at_{where}"
            at = cleaned.get(field)
            if at is None and field not in self.errors:
                self.add_error(field, _("Choose the time at which the interview becomes public."))
            elif at is not None and at <= timezone.now():
                self.add_error(field, _("Choose a time in the future, or publish now."))
            cleaned["schedule_at"] = at
        return cleaned


class InterviewImportForm(forms.Form):
    """A plain-text interview: pasted, or a .txt or .docx file. The review step carries the text on.

    A chosen file is kept on the server (ImportUpload) as soon as it is read, so that neither a form
    error nor the review asks for it again; ``upload`` names it. A newly chosen file wins, then the text
    in the box, then the kept file.
    """

    interviewee_name = forms.CharField(
        label=capfirst(_("interviewee's name")),
        max_length=150,
        required=False,
        help_text=_("Leave empty when the document's headline says “Intervju med” and the name."),
    )
    title = forms.CharField(
        label=capfirst(_("title")),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the document's headline, or “Interview with” and the name."),
    )
    text = forms.CharField(
        label=capfirst(_("text")),
        required=False,
        max_length=IMPORT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Paste the interview here, or choose a file below."),
    )
    file = forms.FileField(
        label=capfirst(_("file")),
        required=False,
        validators=[FileExtensionValidator(["txt", "docx"])],
        help_text=_("A .txt or .docx file."),
    )
    upload = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.kept = None  # the ImportUpload this form carries on
        if self.is_bound:
            self.data = self.data.copy()  # mutable: a file read now is named in the hidden field
        upload_id = self.data.get("upload") if self.is_bound else self.initial.get("upload")
        if owner is not None and upload_id:
            from interviews import services

            self.kept = services.import_upload_get(owner=owner, pk=upload_id)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large: at most 5 MB."), code="too_large")
        try:
            document = read_document(upload.name, upload.read())
        except DocumentError as error:
            raise forms.ValidationError(str(error), code="unreadable") from error
        if self.owner is not None:
            from interviews import services

            self.kept = services.import_upload_store(owner=self.owner, name=upload.name, document=document)
            self.data["upload"] = str(self.kept.pk)
        return document.text

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("file") or cleaned.get("text") or (self.kept.text if self.kept else "")
        if not text.strip() and not self.errors:
            raise forms.ValidationError(_("Paste the interview's text or choose a file."), code="empty")
        if len(text) > IMPORT_MAX_CHARS:
            raise forms.ValidationError(
                _("The text is too long: at most %(limit)d characters."),
                params={"limit": IMPORT_MAX_CHARS},
                code="too_long",
            )
        cleaned["source_text"] = text
        return cleaned
