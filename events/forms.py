from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event, Follow, Rsvp
from otg.common.images import clean_image


class RsvpForm(forms.ModelForm):
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


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=100)

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


class EventAdminForm(forms.ModelForm):
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
        upload = self.cleaned_data.get("cover_image")
        if upload and hasattr(upload, "content_type"):
            return clean_image(upload).file()
        return upload

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The event cannot end before it starts."))
        if data.get("cover_image") and not data.get("cover_alt"):
            self.add_error("cover_alt", _("Describe the cover image for those who cannot see it."))
        capacity = data.get("capacity")
        if self.instance.pk and capacity is not None and capacity < self.instance.going_count:
            raise ValidationError(
                _("%(going)s people are already going: the capacity cannot be lower than that.")
                % {"going": self.instance.going_count}
            )
        return data
