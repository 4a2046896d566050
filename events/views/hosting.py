"""Members host events: propose, review, the host's tools (edit, cancel, door, repeat, co-hosts, messages,
removals) and reports."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from events.forms import (
    CancelForm,
    CohostInviteForm,
    DeclineForm,
    EventHostForm,
    EventMessageForm,
    HostContactForm,
    OnwardForm,
    RemoveForm,
    RepeatForm,
    ReportForm,
)
from events.models import CohostInvite, Event, EventChange, Rsvp
from events.permissions import can_moderate, is_trusted_host
from events.services import hosting
from events.services import series as series_services
from events.services.events import event_cancel, event_cover_clear, event_cover_set
from events.services.hosting import HostError, has_verified_email
from events.services.rsvps import RsvpError
from events.views.common import host_event, moderator_only
from otg.common import topics
from otg.common.markdown import render_markdown


def _unjudged(form):
    """The form as the member typed it, with no verdict on any field: a preview of the description
    must not greet the host with errors about fields they have not reached yet. Unbound, it shows the
    typed values as its initial ones (a chosen image cannot be kept: a browser sends it again only
    when it is chosen again)."""
    typed = {name: form.data.get(name) for name in form.fields if name in form.data}
    return type(form)(initial=typed, instance=form.instance if form.instance.pk else None)


def _render_event_form(
    request,
    *,
    form,
    event,
    template: str,
    preview: bool,
    verified: bool = True,
    pending=None,
    extra: dict | None = None,
):
    if preview:
        form = _unjudged(form)
    context = {
        "pending": pending,
        "verified": verified,
        "form": form,
        "event": event,
        # The typed text (the preview's form is unjudged, so unbound: request.POST holds it).
        "preview_html": render_markdown(request.POST.get("description", "")) if preview else "",
        # Suggestions are topics in public use, the topic pages' own QuerySet: an interest only private
        # profiles (or drafts) carry is offered to nobody.
        "tag_choices": topics.in_public_use().order_by("name").values_list("name", flat=True)[:200],
        **(extra or {}),
    }
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_propose(request: HttpRequest) -> HttpResponse:
    """A member proposes an event; "Preview" shows the description as it will look, without JS."""
    verified = has_verified_email(request.user)
    form = EventHostForm(request.POST or None, request.FILES or None)
    preview = "preview" in request.POST
    if request.method == "POST" and verified and not preview and form.is_valid():
        event = form.save(commit=False)
        try:
            with transaction.atomic():
                event = hosting.event_propose(
                    event=event,
                    member=request.user,
                    trusted=is_trusted_host(request),
                    tags=form.cleaned_data["tags"],
                )
                if form.cover_upload is not None:  # the one route to storage, as in the admin
                    event_cover_set(event=event, upload=form.cover_upload, alt=form.cleaned_data["cover_alt"])
        except HostError as error:
            form.add_error(None, error.messages[0])
        else:
            if event.status == Event.Status.PUBLISHED:
                messages.success(request, _("Your event is published."))
            else:
                messages.success(
                    request,
                    _("Thank you! Your proposal is sent for review. We email you when it has been read."),
                )
            return redirect("events:host-edit", slug=event.slug)
    return _render_event_form(
        request,
        form=form,
        event=None,
        template="events/event_propose.html",
        preview=preview,
        verified=verified,
    )


@login_required
@require_safe
def review_list(request: HttpRequest) -> HttpResponse:
    moderator_only(request)
    events = Event.objects.awaiting_review().select_related("proposed_by").prefetch_related("organisers")
    changes = EventChange.objects.select_related("event", "proposed_by")
    return render(
        request,
        "events/review_list.html",
        {"events": events, "changes": changes, "decline_form": DeclineForm()},
    )


@login_required
@require_POST
def review_approve(request: HttpRequest, slug: str) -> HttpResponse:
    moderator_only(request)
    event = get_object_or_404(Event.objects.select_related("series"), slug=slug)
    # A proposal waits for review, or a host's change to a public event does (one form, two things);
    # a series is approved once, every date with it.
    is_change = event.status != Event.Status.PENDING and EventChange.objects.filter(event=event).exists()
    try:
        if is_change:
            hosting.event_change_approve(event=event, reviewer=request.user)
        elif event.series is not None:
            series_services.series_approve(series=event.series, reviewer=request.user)
        else:
            hosting.event_approve(event=event, reviewer=request.user)
    except HostError as error:
        messages.error(request, error.messages[0])
    else:
        if is_change:
            messages.success(request, _("The change is published and its host is told."))
        else:
            messages.success(request, _("The event is published and its host is told."))
    return redirect("events:review-list")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_decline(request: HttpRequest, slug: str) -> HttpResponse:
    moderator_only(request)
    event = get_object_or_404(Event.objects.select_related("series"), slug=slug)
    change = EventChange.objects.filter(event=event).first() if event.status != Event.Status.PENDING else None
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        message = form.cleaned_data["message"]
        try:
            if change is not None:
                hosting.event_change_decline(event=event, reviewer=request.user, message=message)
            elif event.series is not None:
                series_services.series_decline(series=event.series, reviewer=request.user, message=message)
            else:
                hosting.event_decline(event=event, reviewer=request.user, message=message)
        except HostError as error:
            messages.error(request, error.messages[0])
        else:
            if change is not None:
                messages.success(request, _("The change is declined and its host has your message."))
            else:
                messages.success(request, _("The proposal is declined and its host has your message."))
        return redirect("events:review-list")
    return render(request, "events/review_decline.html", {"event": event, "form": form, "change": change})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def host_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The host's page: edit the event (attendees are told of a new time or place), or, for a declined
    proposal, edit it and send it again."""
    event = host_event(request, slug)
    before = Event.objects.get(pk=event.pk)
    pending = EventChange.objects.filter(event=event).first()
    if pending is not None:  # the host edits on from the change that waits, not from the live text
        for name in Event.REVIEWED_FIELDS:
            setattr(event, name, getattr(pending, name))
    form = EventHostForm(request.POST or None, request.FILES or None, instance=event)
    onward = OnwardForm(request.POST or None) if before.series_id else None
    preview = "preview" in request.POST
    if request.method == "POST" and not preview:
        saved = None
        trusted = is_trusted_host(request) or can_moderate(request)
        try:
            # One transaction: the form's clean() takes the event's lock (event_edit_lock), so
            # what it checked still holds when event_save runs, as in the admin.
            with transaction.atomic():
                if form.is_valid():
                    changed = set(form.changed_data)
                    if before.format != event.format:
                        changed.add("format")
                    if form.cover_cleared:  # first, while the row still names the file to remove
                        event_cover_clear(event=event)
                    saved, waiting = hosting.event_host_save(
                        event=form.save(commit=False),
                        changed_fields=changed,
                        member=request.user,
                        trusted=trusted,
                    )
                    saved.tags.set(form.cleaned_data["tags"])
                    if onward is not None and onward.is_valid() and onward.cleaned_data["scope"] == "onward":
                        # Each later date through event_save: its own attendees are told, nobody else.
                        series_services.series_edit_onward(event=saved, before=before, changed_fields=changed)
                    if form.cover_upload is not None:
                        event_cover_set(
                            event=saved, upload=form.cover_upload, alt=form.cleaned_data["cover_alt"]
                        )
                    if "resubmit" in request.POST and saved.status == Event.Status.DECLINED and saved.series:
                        # A date of a series is reviewed with its series: the whole series goes back.
                        series_services.series_resubmit(series=saved.series, member=request.user)
                        messages.success(
                            request, _("Your series is sent for review again, once for all its dates.")
                        )
                    elif "resubmit" in request.POST and saved.status == Event.Status.DECLINED:
                        hosting.event_resubmit(
                            event=saved, member=request.user, trusted=is_trusted_host(request)
                        )
                        messages.success(request, _("Your proposal is sent for review again."))
                    elif waiting is not None:
                        messages.success(
                            request,
                            _(
                                "The event is saved. Your changes to its text or online link wait for a "
                                "moderator; until then the approved version stays on the site."
                            ),
                        )
                    else:
                        messages.success(request, _("The event is saved."))
        except (RsvpError, HostError) as error:
            messages.error(request, error.messages[0])
            return redirect("events:host-edit", slug=before.slug)
        if saved is not None:
            return redirect("events:host-edit", slug=saved.slug)
    extra = {}
    if onward is not None:
        later = list(series_services.series_later_dates(before))
        extra = {
            "onward_form": onward,
            "later_dates": len(later),
            "audience_this": series_services.series_audience([before]),
            "audience_onward": series_services.series_audience([before, *later]),
        }
    return _render_event_form(
        request,
        form=form,
        event=before,
        template="events/host_edit.html",
        preview=preview,
        pending=EventChange.objects.filter(event=before).first(),
        extra=extra,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def host_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = host_event(request, slug)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event_cancel(event=event, message=form.cleaned_data["message"])
        messages.success(request, _("The event is cancelled. Everyone going or waiting is told by email."))
        return redirect(event)
    return render(request, "events/host_cancel.html", {"event": event, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def host_checkin(request: HttpRequest, slug: str) -> HttpResponse:
    """The door: search by name, one tap per person, arrived against going. Plain forms, no JS."""
    event = host_event(request, slug)
    query = request.GET.get("q", "").strip()[:100].replace("\x00", "")
    if request.method == "POST":
        rsvp = Rsvp.objects.filter(event=event, pk=_int(request.POST.get("rsvp"))).first()
        if rsvp is None:
            raise Http404
        try:
            rsvp = hosting.rsvp_check_in(rsvp=rsvp, arrived=request.POST.get("arrived") != "0")
        except HostError as error:
            messages.error(request, error.messages[0])
        else:
            name = rsvp.member.name if rsvp.member else ""
            if rsvp.arrived_at:
                messages.success(request, _("%(name)s has arrived.") % {"name": name})
            else:
                messages.success(request, _("%(name)s is no longer marked as arrived.") % {"name": name})
        url = reverse("events:host-checkin", args=[event.slug])
        return redirect(f"{url}?q={query}" if query else url)
    going = Rsvp.objects.going().filter(event=event, member__isnull=False).select_related("member")
    arrived = going.filter(arrived_at__isnull=False).count()
    shown = going.filter(member__name__icontains=query) if query else going
    context = {
        "event": event,
        "rsvps": shown.order_by("member__name", "pk"),
        "query": query,
        "arrived": arrived,
        "going": event.going_count,
    }
    return render(request, "events/host_checkin.html", context)


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def host_repeat(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Arrangera igen": the same event on a new date, in one step."""
    event = host_event(request, slug)
    form = RepeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["start"] <= timezone.now():
            form.add_error("start", _("Choose a time in the future."))
        else:
            try:
                copy = hosting.event_repeat(
                    event=event,
                    start=form.cleaned_data["start"],
                    member=request.user,
                    trusted=is_trusted_host(request) or can_moderate(request),
                )
            except HostError as error:
                form.add_error(None, error.messages[0])
                return render(request, "events/host_repeat.html", {"event": event, "form": form})
            if copy.status == Event.Status.PUBLISHED:
                messages.success(request, _("The new event is published."))
            else:
                messages.success(request, _("The new event is sent for review."))
            return redirect("events:host-edit", slug=copy.slug)
    return render(request, "events/host_repeat.html", {"event": event, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cohost_invite(request: HttpRequest, slug: str) -> HttpResponse:
    event = host_event(request, slug)
    form = CohostInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hosting.cohost_invite(event=event, email=form.cleaned_data["email"], invited_by=request.user)
        except HostError as error:
            form.add_error("email", error.messages[0])
        else:
            messages.success(request, _("The invitation is on its way."))
            return redirect("events:cohost-invite", slug=event.slug)
    context = {
        "event": event,
        "form": form,
        "hosts": event.organisers.all(),
        "invites": event.cohost_invites.pending(),
    }
    return render(request, "events/cohost_invite.html", context)


# How a refused invitation answers: gone for good, or not for this account.
REFUSAL_STATUS = {"used": 410, "replaced": 410, "expired": 410, "address": 403, "already": 200}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cohost_accept(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what accepting means; POST accepts (a link in a mail must not change anything by itself).

    Only the member with the invited address verified may accept; anyone else is told why not.
    """
    invite = get_object_or_404(CohostInvite.objects.select_related("event"), token=token)
    refusal = hosting.cohost_invite_refusal(invite=invite, member=request.user)
    if request.method == "POST" and refusal is None:
        try:
            event = hosting.cohost_accept(token=token, member=request.user)
        except HostError as error:
            refusal = error
        else:
            messages.success(request, _("You are now a host of this event."))
            return redirect("events:host-edit", slug=event.slug)
    context = {"invite": invite, "event": invite.event, "refusal": refusal.messages[0] if refusal else ""}
    status = REFUSAL_STATUS.get(refusal.code, 400) if refusal else 200
    return render(request, "events/cohost_accept.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def host_message(request: HttpRequest, slug: str) -> HttpResponse:
    event = host_event(request, slug)
    form = EventMessageForm(request.POST or None, author_email=request.user.email)
    if request.method == "POST" and form.is_valid():
        try:
            sent = hosting.event_message_send(event=event, author=request.user, **form.cleaned_data)
        except HostError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(
                request, _("The message is on its way to %(count)s people.") % {"count": sent.recipients}
            )
            return redirect("events:host-message", slug=event.slug)
    log = event.messages.select_related("author")
    return render(
        request,
        "events/host_message.html",
        {"event": event, "form": form, "log": log, "limit": settings.EVENT_MESSAGES_PER_DAY},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attendee_remove(request: HttpRequest, slug: str, rsvp_id: int) -> HttpResponse:
    event = host_event(request, slug)
    rsvp = get_object_or_404(Rsvp.objects.active().select_related("member"), event=event, pk=rsvp_id)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hosting.rsvp_remove(rsvp=rsvp, reason=form.cleaned_data["reason"])
        except HostError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("The person is removed and told by email; the place goes to the waitlist.")
            )
        return redirect("events:organiser-attendees", slug=event.slug)
    return render(request, "events/attendee_remove.html", {"event": event, "rsvp": rsvp, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_report(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.visible(), slug=slug)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hosting.event_report(event=event, reporter=request.user, reason=form.cleaned_data["reason"])
        except HostError as error:
            form.add_error("reason", error.messages[0])
        else:
            messages.success(request, _("Thank you. Staff will look at your report."))
            return redirect(event)
    return render(request, "events/event_report.html", {"event": event, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def host_contact(request: HttpRequest, slug: str) -> HttpResponse:
    """A member writes to the hosts of a published event; the hosts answer by mail."""
    event = get_object_or_404(Event.objects.visible(), slug=slug)
    form = HostContactForm(request.POST or None, sender_email=request.user.email)
    if request.method == "POST" and form.is_valid():
        try:
            hosting.event_hosts_write(event=event, member=request.user, body=form.cleaned_data["body"])
        except HostError as error:
            form.add_error("body", error.messages[0])
        else:
            messages.success(request, _("Your message is on its way to the hosts."))
            return redirect(event)
    return render(request, "events/host_contact.html", {"event": event, "form": form})
