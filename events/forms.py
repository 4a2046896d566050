from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event, EventMessage, Rsvp
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


# Paths under /evenemang/ that are pages of their own (events/urls.py): an event slug would be hidden.
RESERVED_SLUGS = {"tidigare", "mina", "kalender", "foresla", "granskning", "medvard"}


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
        return _clean_cover(self.cleaned_data.get("cover_image"))

    def clean(self):
        data = super().clean()
        event_rules(self, data)
        return data


def _clean_cover(upload):
    # The one image service (otg.common.images): recognised by content, re-encoded, EXIF dropped.
    if upload and hasattr(upload, "content_type"):
        return clean_image(upload).file()
    return upload


def event_rules(form: forms.ModelForm, data: dict) -> None:
    """The rules an event form checks, whoever fills it in: the admin's form and the members' form."""
    start, end = data.get("start"), data.get("end")
    if start and end and end < start:
        form.add_error("end", _("The event cannot end before it starts."))
    if data.get("cover_image") and not data.get("cover_alt"):
        form.add_error("cover_alt", _("Describe the cover image for those who cannot see it."))
    capacity = data.get("capacity")
    if form.instance.pk and capacity is not None and capacity < form.instance.going_count:
        raise ValidationError(
            _("%(going)s people are already going: the capacity cannot be lower than that.")
            % {"going": form.instance.going_count}
        )
    closes = data.get("rsvp_closes_at")
    if start and closes and closes > start:
        form.add_error("rsvp_closes_at", _("The RSVP deadline must be before the event starts."))


STOCKHOLM = ZoneInfo("Europe/Stockholm")
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def stockholm_time(naive: datetime) -> datetime:
    """A wall-clock time in Stockholm as an aware datetime, refusing the times the clock change makes
    impossible (spring: 02:00 to 02:59 does not exist) or ambiguous (autumn: the same hour happens twice)."""
    first = naive.replace(tzinfo=STOCKHOLM, fold=0)
    second = naive.replace(tzinfo=STOCKHOLM, fold=1)
    back = first.astimezone(UTC).astimezone(STOCKHOLM).replace(tzinfo=None)
    if back != naive:
        raise ValidationError(
            _(
                "%(time)s does not exist in Sweden on that day: the clocks go forward from 02:00 to 03:00. "
                "Choose a time from 03:00."
            ),
            code="nonexistent",
            params={"time": naive.strftime("%H:%M")},
        )
    if first.utcoffset() != second.utcoffset():
        raise ValidationError(
            _(
                "%(time)s happens twice in Sweden on that day: the clocks go back from 03:00 to 02:00. "
                "Choose a time before 02:00 or from 03:00."
            ),
            code="ambiguous",
            params={"time": naive.strftime("%H:%M")},
        )
    return first


class StockholmDateTimeField(forms.DateTimeField):
    """A date and time as people in Sweden read a clock (the datetime-local input, no JS needed)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)
    input_formats = [LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        for fmt in self.input_formats:
            try:
                naive = datetime.strptime(str(value).strip(), fmt)
            except ValueError:
                continue
            return stockholm_time(naive)
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(STOCKHOLM).replace(tzinfo=None)
        return value


class EventHostForm(forms.ModelForm):
    """The event as a member proposes and hosts it: the admin's rules (event_rules), fewer fields.

    The format follows from what is given: a place, an online link, or both.
    """

    start = StockholmDateTimeField(label=_("Starts"), help_text=_("Swedish time."))
    end = StockholmDateTimeField(label=_("Ends"), help_text=_("Swedish time."))
    rsvp_closes_at = StockholmDateTimeField(
        label=_("RSVP deadline (optional)"),
        required=False,
        help_text=_("Swedish time. Empty: until it starts."),
    )

    class Meta:
        model = Event
        formfield_callback = _https_urls
        fields = [
            "title",
            "kind",
            "summary",
            "description",
            "tags",
            "start",
            "end",
            "rsvp_closes_at",
            "venue_name",
            "address",
            "city",
            "online_url",
            "capacity",
            "cover_image",
            "cover_alt",
        ]
        labels = {"tags": _("Topics"), "capacity": _("Capacity (optional)")}
        help_texts = {
            "tags": _("Separate topics with commas, e.g. klarspråk, digitalisering."),
            "description": _("Markdown: *italic*, **bold**, [link](https://…), lists with -."),
            "online_url": _("Shown only to confirmed attendees, shortly before the start."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in Event.Kind.choices if c[0] != Event.Kind.CONFERENCE]
        # Topics already in use are offered as the member types (a datalist: no JS needed).
        self.fields["tags"].widget.attrs["list"] = "topic-choices"

    def clean_cover_image(self):
        return _clean_cover(self.cleaned_data.get("cover_image"))

    def clean(self):
        data = super().clean()
        event_rules(self, data)
        place = data.get("address") or data.get("city")
        online = data.get("online_url")
        if not place and not online:
            raise ValidationError(
                _("Give a place (address or city), an online link, or both."), code="no-place"
            )
        if place and online:
            self.instance.format = Event.Format.HYBRID
        elif online:
            self.instance.format = Event.Format.ONLINE
        else:
            self.instance.format = Event.Format.ON_SITE
        return data


class DeclineForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the host"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what to change. The host receives it by email and can send the proposal again."),
    )


class CancelForm(forms.Form):
    message = forms.CharField(
        label=_("Message to everyone going or waiting (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RepeatForm(forms.Form):
    start = StockholmDateTimeField(
        label=_("New start"), help_text=_("Swedish time. The length stays the same.")
    )


class CohostInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the co-host"))


class EventMessageForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("To"), choices=EventMessage.Audience.choices, widget=forms.RadioSelect
    )
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (sent to the person)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only staff read this. The hosts are not told who reported."),
    )
