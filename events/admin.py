from django.contrib import admin, messages
from django.contrib.admin import helpers, widgets
from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from events.forms import DeclineForm, EventAdminForm
from events.models import Event, EventMessage, EventReport, EventSeries, Rsvp
from events.permissions import can_moderate
from events.services.events import (
    event_cancel,
    event_cover_clear,
    event_cover_set,
    event_publish,
    event_save,
)
from events.services.series import series_approve, series_decline, series_rule_text
from events.views.exports import attendees_csv_response
from members.permissions import staff_power
from otg.common.files import FilesAtomicAdmin
from otg.common.text import CleanTextModelForm

# What an action reports, per outcome: "3 events published; 1 could not be published: <title> (<why>)".
PUBLISH_REPORTS = (
    ngettext_lazy("%(count)d event published", "%(count)d events published", "count"),
    ngettext_lazy("%(count)d was already published", "%(count)d were already published", "count"),
    ngettext_lazy("%(count)d could not be published", "%(count)d could not be published", "count"),
)
APPROVE_REPORTS = (
    ngettext_lazy("%(count)d series approved", "%(count)d series approved", "count"),
    ngettext_lazy("%(count)d was not awaiting review", "%(count)d were not awaiting review", "count"),
    ngettext_lazy("%(count)d could not be approved", "%(count)d could not be approved", "count"),
)
DECLINE_REPORTS = (
    ngettext_lazy("%(count)d series declined", "%(count)d series declined", "count"),
    ngettext_lazy("%(count)d was not awaiting review", "%(count)d were not awaiting review", "count"),
    ngettext_lazy("%(count)d could not be declined", "%(count)d could not be declined", "count"),
)
CANCEL_REPORTS = (
    ngettext_lazy("%(count)d event cancelled", "%(count)d events cancelled", "count"),
    ngettext_lazy("%(count)d was already cancelled", "%(count)d were already cancelled", "count"),
    ngettext_lazy("%(count)d could not be cancelled", "%(count)d could not be cancelled", "count"),
)


class UpcomingFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "upcoming":
            return queryset.filter(end__gte=now)
        if self.value() == "past":
            return queryset.filter(end__lt=now)
        return queryset


class CityFilter(admin.SimpleListFilter):
    # Django's own field filter lists the empty city of online events as a link without a name.
    title = _("city")
    parameter_name = "city"

    def lookups(self, request, model_admin):
        cities = Event.objects.exclude(city="").order_by("city").values_list("city", flat=True).distinct()
        return [(city, city) for city in cities]

    def queryset(self, request, queryset):
        return queryset.filter(city=self.value()) if self.value() else queryset


class RsvpInline(admin.TabularInline):
    """RSVPs are read here; they change only through the RSVP rules (events.services)."""

    model = Rsvp
    form = CleanTextModelForm
    extra = 0
    can_delete = False
    fields = ["member", "status", "show_publicly", "accessibility_needs", "dietary_needs", "created_at"]
    readonly_fields = fields
    ordering = ["status", "created_at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")


@admin.register(Event)
class EventAdmin(FilesAtomicAdmin, admin.ModelAdmin):
    form = EventAdminForm
    list_display = ["title", "kind", "start", "city", "status", "going_count", "waitlist_count", "capacity"]
    list_filter = ["kind", "status", UpcomingFilter, CityFilter, "format"]
    search_fields = ["title", "summary", "city", "venue_name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisers"]
    readonly_fields = ["going_count", "waitlist_count", "maybe_count", "sequence"]
    date_hierarchy = "start"
    inlines = [RsvpInline]
    formfield_overrides = {
        models.URLField: {"widget": widgets.AdminURLFieldWidget, "assume_scheme": "https"},
    }
    actions = ["publish", "cancel", "export_attendees"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status", "summary", "description", "tags"]}),
        (_("Time"), {"fields": ["start", "end", "rsvp_opens_at", "rsvp_closes_at"]}),
        (_("Place"), {"fields": ["format", "venue_name", "address", "city", "online_url", "website"]}),
        (_("Places"), {"fields": ["capacity", "going_count", "waitlist_count", "maybe_count", "sequence"]}),
        (_("People and image"), {"fields": ["organisers", "cover_image", "cover_alt"]}),
    ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The "Publish" button (submit_line.html): not for a published event, nor for a date of a series
        # that waits for review or was declined (series_date_publishable).
        context["publishable"] = obj is None or (
            obj.status != Event.Status.PUBLISHED
            and (obj.series_id is None or obj.series.status == EventSeries.Status.PUBLISHED)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        # The form's clean() holds the event's lock (event_edit_lock): event_save cannot be
        # refused for capacity here. Anything it raises rolls the whole change back.
        if form.cover_cleared and change:  # first, while the row still names the file to remove
            event_cover_clear(event=obj)
        event_save(event=obj, changed_fields=form.changed_data if change else ())
        if form.cover_upload is not None:
            event_cover_set(event=obj, upload=form.cover_upload, alt=form.cleaned_data["cover_alt"])
        # "Publish" on the change form (templates/admin/events/event/submit_line.html): public now.
        if "_publish" in request.POST:
            event_publish(event=obj)

    def _act_on_each(self, request, queryset, *, act, status: str, reports: tuple) -> None:
        """Run ``act`` on each event on its own (one failing changes no other) and report each outcome."""
        done, already, refused = reports
        changed, unchanged, failures = 0, 0, []
        for event in queryset.order_by("start", "pk"):
            if event.status == status:
                unchanged += 1
                continue
            try:
                act(event=event)
            except ValidationError as error:
                failures.append(f"{event.title} ({' '.join(error.messages)})")
            else:
                changed += 1
        parts = [done % {"count": changed}] if changed or not (unchanged or failures) else []
        if unchanged:
            parts.append(already % {"count": unchanged})
        if failures:
            parts.append(f"{refused % {'count': len(failures)}}: {'; '.join(failures)}")
        self.message_user(request, "; ".join(parts), messages.ERROR if failures else messages.SUCCESS)

    @admin.action(description=_("Publish the selected events"), permissions=["change"])
    def publish(self, request, queryset):
        self._act_on_each(
            request,
            queryset,
            act=event_publish,
            status=Event.Status.PUBLISHED,
            reports=PUBLISH_REPORTS,
        )

    @admin.action(description=_("Cancel the selected events (attendees are told)"), permissions=["change"])
    def cancel(self, request, queryset):
        self._act_on_each(
            request,
            queryset,
            act=event_cancel,
            status=Event.Status.CANCELLED,
            reports=CANCEL_REPORTS,
        )

    @admin.action(description=_("Export attendees as CSV"), permissions=["view"])
    def export_attendees(self, request, queryset):
        # The admin is for staff with a second factor; asked all the same, as everywhere.
        return attendees_csv_response(queryset, addresses=staff_power(request))


class HandledFilter(admin.SimpleListFilter):
    """Reports by whether staff have handled them, said in those words (Django's filter for an empty
    field says "Tom / Inte tom")."""

    title = _("handled")
    parameter_name = "hanterad"

    def lookups(self, request, model_admin):
        return [("nej", _("Not yet handled")), ("ja", _("Handled"))]

    def queryset(self, request, queryset):
        if self.value() in ("ja", "nej"):
            return queryset.filter(handled_at__isnull=self.value() == "nej")
        return queryset


@admin.register(EventReport)
class EventReportAdmin(admin.ModelAdmin):
    """Members' reports of events; staff mark them handled."""

    form = CleanTextModelForm
    list_display = ["event", "reporter", "created_at", "handled_at"]
    list_filter = [HandledFilter]
    readonly_fields = ["event", "reporter", "reason", "created_at"]
    fields = ["event", "reporter", "reason", "created_at", "handled_at"]

    def has_add_permission(self, request):
        return False


@admin.register(EventMessage)
class EventMessageAdmin(admin.ModelAdmin):
    """The log of hosts' messages to attendees, read only."""

    form = CleanTextModelForm
    list_display = ["subject", "event", "author", "audience", "recipients", "created_at"]
    readonly_fields = ["event", "author", "audience", "subject", "body", "recipients", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SeriesDateInline(admin.TabularInline):
    """A series' dates, read here: each is changed on its own event page (the link), as any event."""

    model = Event
    fk_name = "series"
    form = CleanTextModelForm
    extra = 0
    can_delete = False
    fields = ["date", "start", "status", "going_count", "capacity"]
    readonly_fields = fields
    ordering = ["start", "pk"]
    verbose_name = _("date")
    verbose_name_plural = _("dates")
    view_on_site = False  # the title links to the date's admin page; a second link per row only repeats it

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return can_moderate(request)  # what the series is reviewed on, as in the review queue

    @admin.display(description=_("event"))
    def date(self, event):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:events_event_change", args=[event.pk]), event.title
        )


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    """Meetups that recur. A series is reviewed as a whole, through the same services and the same power
    as the review queue (events.permissions.can_moderate); its dates are changed one by one as events."""

    form = CleanTextModelForm
    list_display = ["title", "status", "frequency", "date_count", "proposed_by", "created_at"]
    list_filter = ["status", "frequency"]
    search_fields = ["title", "proposed_by__name", "proposed_by__email"]
    fields = ["title", "slug", "status", "rule", "proposed_by", "created_at"]
    # The status changes only through the actions (series_approve, series_decline), the rule not at all:
    # the dates were made from it.
    readonly_fields = ["slug", "status", "rule", "proposed_by", "created_at"]
    inlines = [SeriesDateInline]
    actions = ["approve", "decline"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("proposed_by")
            .annotate(date_count=models.Count("dates"))
        )

    @admin.display(description=_("dates"), ordering="date_count")
    def date_count(self, series):
        return series.date_count

    @admin.display(description=_("repeats"))
    def rule(self, series):
        return series_rule_text(series)

    def has_module_permission(self, request):
        return can_moderate(request)

    def has_view_permission(self, request, obj=None):
        return can_moderate(request)

    def has_change_permission(self, request, obj=None):
        return can_moderate(request)

    def has_moderate_permission(self, request):
        """The actions' power (``permissions=["moderate"]``): the review queue's."""
        return can_moderate(request)

    def has_add_permission(self, request):
        return False  # a series is proposed on the site (series_propose), which makes its dates

    def has_delete_permission(self, request, obj=None):
        return False  # its dates would stay behind without it; cancel or decline them instead

    def _review_each(self, request, queryset, *, act, reports: tuple) -> None:
        """Review each series on its own (one refused changes no other), and report each outcome."""
        done, unchanged, refused = reports
        changed, skipped, failures = 0, 0, []
        for series in queryset.order_by("created_at", "pk"):
            if series.status != EventSeries.Status.PENDING:
                skipped += 1
                continue
            try:
                act(series=series, reviewer=request.user)
            except ValidationError as error:
                failures.append(f"{series.title} ({' '.join(error.messages)})")
            else:
                changed += 1
        parts = [done % {"count": changed}] if changed or not (skipped or failures) else []
        if skipped:
            parts.append(unchanged % {"count": skipped})
        if failures:
            parts.append(f"{refused % {'count': len(failures)}}: {'; '.join(failures)}")
        self.message_user(request, "; ".join(parts), messages.ERROR if failures else messages.SUCCESS)

    @admin.action(
        description=_("Approve the selected series (every date is published, the host is told)"),
        permissions=["moderate"],
    )
    def approve(self, request, queryset):
        self._review_each(request, queryset, act=series_approve, reports=APPROVE_REPORTS)

    @admin.action(
        description=_("Decline the selected series (the host is told why)"), permissions=["moderate"]
    )
    def decline(self, request, queryset):
        # A page of its own first, for the message to the host, as the review queue asks for one.
        form = DeclineForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            message = form.cleaned_data["message"]

            def act(*, series, reviewer):
                series_decline(series=series, reviewer=reviewer, message=message)

            self._review_each(request, queryset, act=act, reports=DECLINE_REPORTS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Decline the selected series"),
            "opts": self.model._meta,
            "form": form,
            "queryset": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/events/eventseries/decline.html", context)
