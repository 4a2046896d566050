from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _

from events import services
from events.models import Event, Follow, Rsvp
from otg.common.images import clean_image
from otg.common.text import CleanTextFormMixin


class RsvpForm(CleanTextFormMixin, forms.ModelForm):
    class Meta:
        model = Rsvp
        fields = ["show_publicly", "accessibility_needs", "dietary_needs"]
        labels = {
            "show_publicly": _("Others may see that I am coming (shown only if my profile is public)"),
            "accessibility_needs": _("Accessibility needs (optional)"),
            "dietary_needs": _("Dietary needs (optional)"),
        }
        help_texts = {
            "accessibility_needs": _(
                "Only the organisers and staff see this. It is erased automatically after the event."
            ),
            "dietary_needs": _(
                "Only the organisers and staff see this. It is erased automatically after the event."
            ),
        }
        widgets = {
            "accessibility_needs": forms.Textarea(
                attrs={"rows": 2, "aria-describedby": "id_accessibility_needs-help"}
            ),
            "dietary_needs": forms.Textarea(attrs={"rows": 2, "aria-describedby": "id_dietary_needs-help"}),
        }


class EventFilterForm(CleanTextFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False)
    amne = forms.SlugField(label=_("Tag"), required=False, max_length=100, allow_unicode=True)

    def __init__(self, *args, cities: Callable[[], list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Event.Kind.choices]
        # A callable: the cities are read only when a city is chosen or the form is rendered.
        self.fields["city"].choices = lambda: [("", _("All cities")), *((c, c) for c in cities())]


class FollowForm(forms.Form):
    """Follow a topic (by slug) or a city; the same target again changes only how often."""

    kind = forms.ChoiceField(choices=Follow.Kind.choices)
    tag = forms.CharField(required=False, max_length=100)
    city = forms.CharField(required=False, max_length=100)
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Follow.Frequency.choices, initial=Follow.Frequency.AT_ONCE
    )


# Paths under /evenemang/ that are pages of their own (events/urls.py): an event slug would be hidden.
RESERVED_SLUGS = {"tidigare", "mina", "kalender", "folj", "avregistrera"}


def _https_urls(db_field, **kwargs):
    # Django 6 assumes https for scheme-less URLs; say so now instead of relying on the old default.
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class EventAdminForm(CleanTextFormMixin, forms.ModelForm):
    """The admin's event form. A new cover is checked here and stored by events.services.event_cover_set.

    Its clean() takes the event row's lock through the service (the admin's change view runs in one
    transaction), so the capacity it checks still holds when the event is saved: a change the rules
    refuse is a form error, and nothing of it is stored.
    """

    cover_upload: UploadedFile | None = None
    cover_cleared = False

    class Meta:
        model = Event
        formfield_callback = _https_urls
        fields = [
            "title",
            "slug",
            "kind",
            "status",
            "summary",
            "description",
            "tags",
            "start",
            "end",
            "rsvp_opens_at",
            "rsvp_closes_at",
            "format",
            "venue_name",
            "address",
            "city",
            "online_url",
            "website",
            "capacity",
            "organisers",
            "cover_image",
            "cover_alt",
        ]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This address is taken by a page of its own. Choose another."))
        return slug

    def clean_cover_image(self):
        value = self.cleaned_data.get("cover_image")
        if isinstance(value, UploadedFile):
            clean_image(value)  # a refused image is this field's error; the service stores the upload
            self.cover_upload = value
            return None  # the field stays as it is until the service has stored the clean copy
        if value is False:  # emptied on the instance now; the service removes the stored file
            self.cover_cleared = True
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The event cannot end before it starts."))
        has_cover = self.cover_upload is not None or (self.instance.cover_image and not self.cover_cleared)
        if has_cover and not (data.get("cover_alt") or "").strip():
            self.add_error("cover_alt", _("Describe the cover image for those who cannot see it."))
        if self.instance.pk and not self.errors:
            services.event_edit_lock(event=self.instance, capacity=data.get("capacity"))
        return data
