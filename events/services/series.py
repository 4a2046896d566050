"""Meetups that recur: a host proposes a series of dates, a reviewer approves it once, and each date is an
event of its own (its RSVPs, capacity, changes and cancellation are that date's alone).

The dates are worked out with dateutil's rrule on Swedish wall-clock time, so a breakfast at 08:00 stays
at 08:00 across the change to and from summer time.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from events.models import Event, EventSeries, Rsvp
from events.services.events import event_save
from events.services.follows import followers_notify_queue
from events.services.hosting import (
    HostError,
    _check_proposal_limit,
    _mail_moderators,
    _unique_slug,
    has_verified_email,
    review_message,
)
from events.services.mail import event_mail_queue
from events.services.rsvps import event_lock

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# What a date copies from the proposal, and what "this date and the later ones" may change on each.
COPIED_FIELDS = (
    "title",
    "kind",
    "summary",
    "description",
    "format",
    "venue_name",
    "address",
    "city",
    "online_url",
    "capacity",
    "website",
)
ONWARD_FIELDS = (*COPIED_FIELDS, "start", "end")


def month_week_of(day: datetime) -> int:
    """Which of its weekdays in the month ``day`` is: 1 to 4, or -1 (the last) from the 29th on."""
    return -1 if day.day > 28 else (day.day - 1) // 7 + 1


def series_starts(
    *, first: datetime, frequency: str, count: int, interval: int = 1, month_week: int | None = None
) -> list[datetime]:
    """The start of each date, the first included, as aware times in Stockholm at the same wall-clock time."""
    local = first.astimezone(STOCKHOLM).replace(tzinfo=None)
    if frequency == EventSeries.Frequency.MONTHLY:
        week = month_week if month_week is not None else month_week_of(local)
        rule = rrule.rrule(
            rrule.MONTHLY, dtstart=local, count=count, byweekday=rrule.weekday(local.weekday(), week)
        )
    else:
        rule = rrule.rrule(rrule.WEEKLY, dtstart=local, count=count, interval=interval)
    return [start.replace(tzinfo=STOCKHOLM) for start in rule]


def series_rule_text(series: EventSeries) -> str:
    """ "första tisdagen varje månad", "var 2:e vecka": how the dates recur, in the active language."""
    if series.frequency == EventSeries.Frequency.WEEKLY:
        return ngettext("every week", "every %(weeks)s weeks", series.interval) % {"weeks": series.interval}
    ordinal = {
        1: pgettext("the nth weekday of a month", "first"),
        2: pgettext("the nth weekday of a month", "second"),
        3: pgettext("the nth weekday of a month", "third"),
        4: pgettext("the nth weekday of a month", "fourth"),
        -1: pgettext("the nth weekday of a month", "last"),
    }[series.month_week]
    weekday = [
        pgettext("a weekday in a rule", "Monday"),
        pgettext("a weekday in a rule", "Tuesday"),
        pgettext("a weekday in a rule", "Wednesday"),
        pgettext("a weekday in a rule", "Thursday"),
        pgettext("a weekday in a rule", "Friday"),
        pgettext("a weekday in a rule", "Saturday"),
        pgettext("a weekday in a rule", "Sunday"),
    ][series.weekday]
    return _("the %(ordinal)s %(weekday)s of every month") % {"ordinal": ordinal, "weekday": weekday}


def _unique_series_slug(title: str) -> str:
    base = slugify(title)[:180] or "serie"
    slug, n = base, 1
    while EventSeries.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def series_propose(
    *,
    event: Event,
    member,
    frequency: str,
    count: int,
    interval: int = 1,
    tags: Iterable[str] = (),
    trusted: bool,
    now: datetime | None = None,
) -> EventSeries:
    """A member proposes a meetup that recurs: ``event`` (unsaved, from the form) is its first date.

    Up to EventSeries.MAX_DATES dates, each its own event. ``trusted`` (the view asks is_trusted_host):
    every date publishes at once; otherwise the series waits in the review queue as one proposal, and
    the reviewers get one mail. Counts once against the daily proposal limit. Followers hear of the
    first date only: a mail per date of the same meetup would be noise.
    """
    now = now or timezone.now()
    if not has_verified_email(member):
        raise HostError(_("Verify your email address before you propose an event."), code="unverified")
    if not 2 <= count <= EventSeries.MAX_DATES:
        raise HostError(
            _("A series has from 2 to %(max)s dates.") % {"max": EventSeries.MAX_DATES}, code="count"
        )
    if frequency not in EventSeries.Frequency.values or not 1 <= interval <= 8:
        raise HostError(_("Choose how the dates repeat."), code="frequency")
    _check_proposal_limit(member, now)
    local = event.start.astimezone(STOCKHOLM)
    series = EventSeries.objects.create(
        title=event.title,
        slug=_unique_series_slug(event.title),
        frequency=frequency,
        interval=interval if frequency == EventSeries.Frequency.WEEKLY else 1,
        month_week=month_week_of(local),
        weekday=local.weekday(),
        status=EventSeries.Status.PUBLISHED if trusted else EventSeries.Status.PENDING,
        proposed_by=member,
    )
    length = event.end - event.start
    closes_before = event.start - event.rsvp_closes_at if event.rsvp_closes_at else None
    status = Event.Status.PUBLISHED if trusted else Event.Status.PENDING
    dates = []
    for index, start in enumerate(
        series_starts(first=event.start, frequency=frequency, count=count, interval=series.interval)
    ):
        date = Event(
            **{field: getattr(event, field) for field in COPIED_FIELDS},
            slug=_unique_slug(f"{event.title} {start:%Y-%m-%d}"),
            start=start,
            end=start + length,
            rsvp_closes_at=start - closes_before if closes_before is not None else None,
            status=status,
            proposed_by=member,
            series=series,
        )
        if index == 0:
            event_save(event=date)  # published: its followers are told (event_save)
        else:
            date.save()
        date.organisers.add(member)
        if tags:
            date.tags.set(list(tags))
        dates.append(date)
    Event.objects.filter(pk__in=[date.pk for date in dates]).update(created_at=now)
    if not trusted:
        _mail_moderators(dates[0])
    return series


def _locked_pending(series: EventSeries) -> tuple[EventSeries, Event]:
    locked = EventSeries.objects.select_for_update().get(pk=series.pk)
    if locked.status != EventSeries.Status.PENDING:
        raise HostError(_("This proposal has already been reviewed."), code="status")
    # The date that stands for the series in the queue and the mails: the first still waiting (one its
    # host cancelled meanwhile is no longer reviewed).
    first = locked.dates.filter(status=Event.Status.PENDING).order_by("start", "pk").first()
    if first is None:
        raise HostError(_("This series has no dates."), code="empty")
    return locked, first


@transaction.atomic
def series_approve(*, series: EventSeries, reviewer, now: datetime | None = None) -> EventSeries:
    """Publish every date of a proposed series still to come at once; its host gets one mail, followers
    hear of the first date. A date that passed while the series waited is declined, not published: it
    would stand among past events as a meetup that took place (and, as the first date, be the one the
    host and the followers hear of, a morning gone). A series whose every date has passed is refused."""
    now = now or timezone.now()
    locked, _first = _locked_pending(series)
    waiting = locked.dates.filter(status=Event.Status.PENDING)
    first = waiting.filter(start__gt=now).order_by("start", "pk").first()
    if first is None:
        raise HostError(
            _("Every date of this series has passed: decline it, and the host can propose new dates."),
            code="past",
        )
    locked.status = EventSeries.Status.PUBLISHED
    locked.save(update_fields=["status", "updated_at"])
    waiting.filter(start__lte=now).update(status=Event.Status.DECLINED, updated_at=now)
    waiting.filter(start__gt=now).update(
        status=Event.Status.PUBLISHED,
        review_message="",
        sequence=F("sequence") + 1,
        updated_at=now,
    )
    first.refresh_from_db()
    event_mail_queue(member=locked.proposed_by, template="proposal_approved", event=first)
    followers_notify_queue(first)
    return locked


@transaction.atomic
def series_decline(*, series: EventSeries, reviewer, message: str) -> EventSeries:
    """Send a whole series back with one message to its host."""
    message = review_message(message)
    locked, first = _locked_pending(series)
    locked.status = EventSeries.Status.DECLINED
    locked.save(update_fields=["status", "updated_at"])
    locked.dates.filter(status=Event.Status.PENDING).update(
        status=Event.Status.DECLINED, review_message=message, updated_at=timezone.now()
    )
    first.refresh_from_db()
    event_mail_queue(
        member=locked.proposed_by, template="proposal_declined", event=first, extra={"message": message}
    )
    return locked


@transaction.atomic
def series_resubmit(*, series: EventSeries, member, now: datetime | None = None) -> EventSeries:
    """A declined series, its text edited, goes back to the review queue as one proposal: the series and
    its declined dates still to come wait again, the reviewer's message to the host is cleared, and the
    reviewers get one mail (as for series_propose). It is not a new proposal: the daily limit is not
    asked again. A date that passed meanwhile stays declined: approved, it would stand among past
    events as a meetup that took place."""
    now = now or timezone.now()
    locked = EventSeries.objects.select_for_update().get(pk=series.pk)
    if locked.status == EventSeries.Status.PENDING:
        raise HostError(_("This series already waits for review."), code="status")
    if locked.status != EventSeries.Status.DECLINED:
        raise HostError(
            _("This series is published: only a declined series can be sent again."), code="status"
        )
    declined = locked.dates.filter(status=Event.Status.DECLINED)
    if not declined.exists():
        raise HostError(_("This series has no dates."), code="empty")
    to_come = declined.filter(start__gt=now)
    first = to_come.order_by("start", "pk").first()
    if first is None:
        raise HostError(
            _("Every date of this series has passed: propose it again with new dates."), code="past"
        )
    locked.status = EventSeries.Status.PENDING
    locked.save(update_fields=["status", "updated_at"])
    to_come.update(status=Event.Status.PENDING, review_message="", updated_at=now)
    first.refresh_from_db()
    _mail_moderators(first)
    return locked


def series_later_dates(event: Event):
    """The dates of the event's series after it that a change "from this date on" reaches."""
    if not event.series_id:
        return Event.objects.none()
    return (
        Event.objects.filter(series_id=event.series_id, start__gt=event.start)
        .exclude(pk=event.pk)  # moved later itself already, when the change was saved first
        .exclude(status=Event.Status.CANCELLED)
        .order_by("start", "pk")
    )


def series_audience(events) -> int:
    """How many members a change notice about these dates reaches: those who answered for them."""
    return (
        Rsvp.objects.active()
        .filter(event__in=list(events), member__isnull=False)
        .values("member_id")
        .distinct()
        .count()
    )


@transaction.atomic
def series_edit_onward(
    *, event: Event, before: Event, changed_fields: Iterable[str], now: datetime | None = None
) -> list[Event]:
    """Carry a change of one date (already saved, ``before`` as it was) to the later dates of its series.

    A new time moves each later date by as much as this one moved; the other fields are copied. Each
    date is saved through event_save, so a change of time or place tells that date's attendees only,
    and a capacity below those going on any date refuses the whole change (RsvpError).
    """
    changed = [field for field in changed_fields if field in ONWARD_FIELDS]
    if not changed:
        return []
    start_shift = _wall_clock(event.start) - _wall_clock(before.start)
    end_shift = _wall_clock(event.end) - _wall_clock(before.end)
    saved = []
    for later in series_later_dates(before):
        date = event_lock(pk=later.pk)
        for field in changed:
            if field == "start":
                date.start = _same_wall_clock(date.start, start_shift)
            elif field == "end":
                date.end = _same_wall_clock(date.end, end_shift)
            else:
                setattr(date, field, getattr(event, field))
        if date.end < date.start:
            date.end = date.start + (event.end - event.start)
        saved.append(event_save(event=date, changed_fields=changed, now=now))
    return saved


def _wall_clock(moment: datetime) -> datetime:
    return moment.astimezone(STOCKHOLM).replace(tzinfo=None)


def _same_wall_clock(moment: datetime, shift: timedelta) -> datetime:
    """``moment`` moved by ``shift`` on Stockholm's clock: 18:00 moved an hour is 19:00 in summer too."""
    return (_wall_clock(moment) + shift).replace(tzinfo=STOCKHOLM)
