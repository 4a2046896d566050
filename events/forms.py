from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import RESERVED_SLUGS, Event, EventMessage, EventSeries, Follow, Rsvp
from events.services.events import event_edit_lock, series_date_publishable
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
        # Who sees them is said once, above the fields (events/includes/_rsvp_fields.html): the hosts.
        help_texts = {
            "accessibility_needs": _("Erased automatically after the event."),
            "dietary_needs": _("Erased automatically after the event."),
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
    series = forms.SlugField(required=False, max_length=200)
    tag = forms.CharField(required=False, max_length=100)
    city = forms.CharField(required=False, max_length=100)
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Follow.Frequency.choices, initial=Follow.Frequency.AT_ONCE
    )


def _https_urls(db_field, **kwargs):
    # Django 6 assumes https for scheme-less URLs; say so now instead of relying on the old default.
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class EventCoverMixin:
    """A new cover is checked here and stored by events.services.events.event_cover_set, never by the form."""

    cover_upload: UploadedFile | None = None
    cover_cleared = False

    def clean_cover_image(self):
        value = self.cleaned_data.get("cover_image")
        if isinstance(value, UploadedFile):
            clean_image(value)  # a refused image is this field's error; the service stores the upload
            self.cover_upload = value
            return None  # the field stays as it is until the service has stored the clean copy
        if value is False:  # emptied on the instance now; the service removes the stored file
            self.cover_cleared = True
        return value


def event_rules(form: forms.ModelForm, data: dict) -> None:
    """The rules an event form checks, whoever fills it in: the admin's form and the hosts' form.

    Last, on an event that exists, it takes the event row's lock through the service (the caller runs
    in one transaction), so the capacity it checks still holds when the event is saved: a change the
    rules refuse is a form error, and nothing of it is stored.
    """
    start, end = data.get("start"), data.get("end")
    if start and end and end < start:
        form.add_error("end", _("The event cannot end before it starts."))
    closes = data.get("rsvp_closes_at")
    if start and closes and closes > start:
        form.add_error("rsvp_closes_at", _("The RSVP deadline must be before the event starts."))
    has_cover = form.cover_upload is not None or (form.instance.cover_image and not form.cover_cleared)
    if has_cover and not (data.get("cover_alt") or "").strip():
        form.add_error("cover_alt", _("Describe the cover image for those who cannot see it."))
    if form.instance.pk and not form.errors:
        event_edit_lock(event=form.instance, capacity=data.get("capacity"))


class EventAdminForm(CleanTextFormMixin, EventCoverMixin, forms.ModelForm):
    """The admin's event form. A new cover is checked here and stored by event_cover_set (services.events).

    Its clean() takes the event row's lock through the service (the admin's change view runs in one
    transaction), so the capacity it checks still holds when the event is saved: a change the rules
    refuse is a form error, and nothing of it is stored.
    """

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

    def clean(self):
        data = super().clean()
        publishing = "_publish" in self.data or data.get("status") == Event.Status.PUBLISHED
        if publishing and self.instance.pk and self.instance.status != Event.Status.PUBLISHED:
            try:
                series_date_publishable(self.instance)  # a date of a series waiting for review
            except ValidationError as error:
                self.add_error("status" if "_publish" not in self.data else None, error)
        event_rules(self, data)
        return data


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


class EventHostForm(CleanTextFormMixin, EventCoverMixin, forms.ModelForm):
    """The event as a member proposes and hosts it: the admin's rules (event_rules), fewer fields.

    The format follows from what is given: a place, an online link, or both.
    """

    start = StockholmDateTimeField(label=_("Starts"), help_text=_("Swedish time."))
    end = StockholmDateTimeField(label=_("Ends"), help_text=_("Swedish time."))
    rsvp_closes_at = StockholmDateTimeField(
        label=_("RSVP deadline"),
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
        labels = {"tags": _("Topics"), "capacity": _("Capacity")}
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

    def clean(self):
        data = super().clean()
        place = data.get("address") or data.get("city")
        online = data.get("online_url")
        if not place and not online:
            self.add_error(
                None,
                ValidationError(
                    _("Give a place (address or city), an online link, or both."), code="no-place"
                ),
            )
        elif place and online:
            self.instance.format = Event.Format.HYBRID
        elif online:
            self.instance.format = Event.Format.ONLINE
        else:
            self.instance.format = Event.Format.ON_SITE
        event_rules(self, data)
        return data


class DeclineForm(CleanTextFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to the host"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what to change. The host receives it by email and can send the proposal again."),
    )


class CancelForm(CleanTextFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to everyone going or waiting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RepeatForm(CleanTextFormMixin, forms.Form):
    start = StockholmDateTimeField(
        label=_("New start"), help_text=_("Swedish time. The length stays the same.")
    )


class CohostInviteForm(CleanTextFormMixin, forms.Form):
    email = forms.EmailField(label=_("Email address of the co-host"))


class EventMessageForm(CleanTextFormMixin, forms.Form):
    audience = forms.ChoiceField(
        label=_("To"), choices=EventMessage.Audience.choices, widget=forms.RadioSelect
    )
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    reply_to_author = forms.BooleanField(label=_("Let replies reach my email address"), required=False)

    def __init__(self, *args, author_email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply_to_author"].help_text = _(
            "Every recipient then sees your address, %(email)s. Without it, the mail tells them how to "
            "reach the hosts through the event page, and your address stays hidden."
        ) % {"email": author_email}


class HostContactForm(CleanTextFormMixin, forms.Form):
    body = forms.CharField(label=_("Your message"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, sender_email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "The hosts receive it by email and can answer you at your address, %(email)s."
        ) % {"email": sender_email}


class RemoveForm(CleanTextFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why (sent to the person)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(CleanTextFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("What is wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only staff read this. The hosts are not told who reported."),
    )


class SeriesProposeForm(EventHostForm):
    """A meetup that recurs: the first date as in EventHostForm, and how it repeats (services.series)."""

    frequency = forms.ChoiceField(
        label=_("Repeats"),
        choices=EventSeries.Frequency.choices,
        initial=EventSeries.Frequency.MONTHLY,
        widget=forms.RadioSelect,
        help_text=_("Monthly: on the same weekday as the first date, e.g. the first Tuesday of every month."),
    )
    interval = forms.IntegerField(
        label=_("Weeks between dates"),
        min_value=1,
        max_value=8,
        initial=1,
        help_text=_("Only for a weekly series: 2 is every other week."),
    )
    count = forms.IntegerField(
        label=_("Number of dates"),
        min_value=2,
        max_value=EventSeries.MAX_DATES,
        initial=6,
        help_text=_("From 2 to 12, the first date included. Each date is its own event with its own places."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A series is a meetup that recurs; the other kinds are one-off.
        self.fields["kind"].choices = [
            c for c in Event.Kind.choices if c[0] in (Event.Kind.MEETUP, Event.Kind.BREAKFAST)
        ]


class OnwardForm(forms.Form):
    """On a date of a series: whether an edit is for this date only or for it and the later dates."""

    scope = forms.ChoiceField(
        label=_("Apply the change to"),
        choices=[("this", _("This date only")), ("onward", _("This date and the later dates of the series"))],
        initial="this",
        widget=forms.RadioSelect,
        required=False,
    )
