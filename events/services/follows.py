"""Follows: topics and cities a member asked to hear about, the mail at once and the weekly digest."""

import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from events.models import Event, EventSeries, Follow, FollowNotification
from events.services.mail import site_url
from otg.common.text import clean_line
from otg.common.topics import public_tag
from otg.jobs.queue import enqueue, enqueue_many


class FollowError(ValidationError):
    """A follow that cannot be made, with a message for the member."""


UNSUBSCRIBE_SALT = "events.follow-unsubscribe"


@transaction.atomic
def follow_create(
    *,
    member,
    kind: str,
    tag_slug: str = "",
    city: str = "",
    series_slug: str = "",
    frequency: str = Follow.Frequency.AT_ONCE,
) -> Follow:
    """Follow a topic (by its slug) in public use or a city that events take place in; following again
    changes only how often. Only this, the member's own explicit choice, ever makes a follow."""
    if frequency not in Follow.Frequency.values:
        raise FollowError(_("Choose how often you want to hear about new events."), code="frequency")
    if kind == Follow.Kind.TOPIC:
        tag_slug = (tag_slug or "").strip()
        if not tag_slug:
            raise FollowError(_("Choose a topic to follow."), code="topic")
        # A topic in public use (otg.common.topics), or one the member already follows (to change how
        # often); a tag only private or unpublished things carry is no topic to anyone else.
        tag = public_tag(tag_slug)
        if tag is None:
            follow = Follow.objects.filter(member=member, kind=kind, tag__slug=tag_slug).first()
            if follow is None:
                raise FollowError(_("There is no such topic."), code="topic")
            tag = follow.tag
        follow, _created = Follow.objects.get_or_create(
            member=member, kind=kind, tag=tag, defaults={"frequency": frequency}
        )
    elif kind == Follow.Kind.CITY:
        # The same city however it was typed: composed Unicode, one space between words.
        city = " ".join(unicodedata.normalize("NFC", city or "").split())
        if not city:
            raise FollowError(_("Choose a city to follow."), code="city")
        known = {
            unicodedata.normalize("NFC", known).lower(): known for known in Event.objects.visible().cities()
        }
        city = known.get(city.lower())
        if city is None:
            raise FollowError(_("There are no events in that city to follow."), code="city")
        # get_or_create: a follow sent twice at once (a double click) meets the unique (member, city)
        # and reads the row the other request stored, instead of answering 500.
        follow, _created = Follow.objects.get_or_create(
            member=member, kind=kind, city__iexact=city, defaults={"city": city, "frequency": frequency}
        )
    elif kind == Follow.Kind.SERIES:
        # A published series: its new dates reach the member as new events on a topic do.
        series = EventSeries.objects.filter(slug=series_slug, status=EventSeries.Status.PUBLISHED).first()
        if series is None:
            raise FollowError(_("There is no such series."), code="series")
        follow, _created = Follow.objects.get_or_create(
            member=member, kind=kind, series=series, defaults={"frequency": frequency}
        )
    else:
        raise FollowError(_("Choose a topic or a city to follow."), code="kind")
    if follow.frequency != frequency:
        follow.frequency = frequency
        follow.save(update_fields=["frequency"])
    return follow


@transaction.atomic
def follow_delete(*, follow: Follow) -> None:
    follow.delete()


def follow_unsubscribe_token(follow: Follow) -> str:
    """The signed key of one follow in a mail's unsubscribe link: it opens that follow only."""
    return signing.dumps(follow.pk, salt=UNSUBSCRIBE_SALT)


def follow_from_token(token: str) -> Follow | None:
    """The follow a key opens, or None once it is removed; a key we never signed raises BadSignature."""
    pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(pk, int):
        raise signing.BadSignature("Not a follow's key.")
    return Follow.objects.select_related("tag", "series", "member").filter(pk=pk).first()


def followers_notify_queue(event: Event) -> None:
    """Queue the fan-out to the event's followers in the caller's transaction: it commits with the
    publication or not at all (from an on-commit hook it was lost when the process died right after the
    commit). The worker sees it only once the event is committed."""
    enqueue("event_followers_notify", event_id=event.pk)


def followers_notify(*, event_id: int, now: datetime | None = None) -> int:
    """Fan out one mail per member who follows a topic or the city of a newly published event "at once".

    Each member once per event, whether they follow its topic, its city or both, and however often
    this runs: the FollowNotification row is inserted first (ON CONFLICT DO NOTHING) and only the rows
    that were new get a mail job, queued in the same transaction. Returns the number of mails queued.
    """
    now = now or timezone.now()
    event = Event.objects.filter(pk=event_id, status=Event.Status.PUBLISHED, end__gte=now).first()
    if event is None:
        return 0
    member_ids = sorted(
        set(
            Follow.objects.matching(event)
            .filter(frequency=Follow.Frequency.AT_ONCE, member__is_active=True)
            .exclude(member__email="")
            .values_list("member_id", flat=True)
        )
    )
    if not member_ids:
        return 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {FollowNotification._meta.db_table} (member_id, event_id, created_at)
                    SELECT member_id, %s, %s FROM unnest(%s::bigint[]) AS new(member_id)
                    ON CONFLICT (member_id, event_id) DO NOTHING RETURNING member_id""",  # noqa: S608
                [event.pk, now, member_ids],
            )
            new = sorted(row[0] for row in cursor.fetchall())
        enqueue_many(
            "follow_mail_send", [{"member_id": member_id, "event_id": event.pk} for member_id in new]
        )
    return len(new)


def follow_mail_render(*, member_id: int, event_id: int) -> EmailMessage | None:
    """The "new event" mail to a follower, from the data as it is now; None when it no longer applies
    (the member stopped following, left, or the event was cancelled, withdrawn or is over). Two queries:
    a fan-out runs this once per follower."""
    event = Event.objects.filter(pk=event_id, status=Event.Status.PUBLISHED, end__gt=timezone.now()).first()
    if event is None:
        return None
    follow = (
        Follow.objects.matching(event)
        .filter(member_id=member_id, member__is_active=True, frequency=Follow.Frequency.AT_ONCE)
        .exclude(member__email="")
        .select_related("tag", "series", "member")
        .order_by("kind", "pk")
        .first()
    )
    if follow is None:
        return None
    member = follow.member
    unsubscribe_url = site_url(reverse("events:follow-unsubscribe", args=[follow_unsubscribe_token(follow)]))
    with translation.override(member.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "member": member,
            "event": event,
            "follow": follow,
            "event_url": site_url(event.get_absolute_url()),
            "settings_url": site_url(reverse("events:follow-list")),
            "unsubscribe_url": unsubscribe_url,
        }
        return _follow_mail(member=member, template="follow_new_event", context=context)


def _notifications_claim(*, member_id: int, event_ids: list[int], now: datetime) -> list[int]:
    """Record that the member is told of these events; only the ones not told before come back."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {FollowNotification._meta.db_table} (member_id, event_id, created_at)
                SELECT %s, event_id, %s FROM unnest(%s::bigint[]) AS new(event_id)
                ON CONFLICT (member_id, event_id) DO NOTHING RETURNING event_id""",  # noqa: S608
            [member_id, now, event_ids],
        )
        return sorted(row[0] for row in cursor.fetchall())


class DigestPart(NamedTuple):
    """What else a weekly digest tells of, from an app events does not import (interviews on a topic).

    ``claim(follow=, now=)`` runs in the digest's transaction and returns the ids of the things the
    follow's member is newly told of, recorded so that nothing is told twice; ``items(follow=, ids=)``
    returns, when the mail is rendered, ``(title, url)`` for those that still stand, in order.
    """

    heading: Callable[[Follow], str]
    claim: Callable[..., list[int]]
    items: Callable[..., list[tuple[str, str]]]


_digest_parts: dict[str, DigestPart] = {}


def follow_digest_register(name: str, part: DigestPart) -> None:
    """Add a part to every weekly digest (from the other app's AppConfig.ready())."""
    _digest_parts[name] = part


def follow_digests_send(*, now: datetime | None = None) -> int:
    """The weekly digests: for each weekly follow, one mail listing the upcoming published events that
    match it and that its member has not been told of (at once, or by another digest). Each event
    reaches a member once, however often this runs. Returns the number of digests queued."""
    now = now or timezone.now()
    queued = 0
    follows = (
        Follow.objects.filter(frequency=Follow.Frequency.WEEKLY, member__is_active=True)
        .exclude(member__email="")
        .order_by("member_id", "kind", "pk")
    )
    for follow in follows:
        if follow.kind == Follow.Kind.TOPIC:
            matching = Event.objects.filter(tags=follow.tag_id)
        elif follow.kind == Follow.Kind.SERIES:
            matching = Event.objects.filter(series=follow.series_id)
        else:
            matching = Event.objects.filter(city__iexact=follow.city)
        event_ids = sorted(
            set(
                matching.filter(status=Event.Status.PUBLISHED, start__gt=now)
                .order_by()
                .values_list("pk", flat=True)
            )
        )
        with transaction.atomic():
            new = (
                _notifications_claim(member_id=follow.member_id, event_ids=event_ids, now=now)
                if event_ids
                else []
            )
            parts = {
                name: ids
                for name, part in _digest_parts.items()
                if (ids := part.claim(follow=follow, now=now))
            }
            if new or parts:
                enqueue("follow_digest_send", follow_id=follow.pk, event_ids=new, parts=parts)
                queued += 1
    return queued


def follow_digest_render(
    *, follow_id: int, event_ids: list[int], parts: dict | None = None
) -> EmailMessage | None:
    """The weekly digest of one follow; None when the follow is gone or none of what it tells of still
    stands (events published and not yet started, as when the digest was queued; the other parts'
    things as their app says: DigestPart)."""
    follow = Follow.objects.select_related("member", "tag", "series").filter(pk=follow_id).first()
    if follow is None or not follow.member.is_active or not follow.member.email:
        return None
    events = list(
        Event.objects.filter(
            pk__in=event_ids, status=Event.Status.PUBLISHED, start__gt=timezone.now()
        ).order_by("start", "pk")
    )
    member = follow.member
    unsubscribe_url = site_url(reverse("events:follow-unsubscribe", args=[follow_unsubscribe_token(follow)]))
    with translation.override(member.preferred_language or settings.LANGUAGE_CODE):
        others = []
        for name, ids in (parts or {}).items():
            part = _digest_parts.get(name)
            if part is not None and (items := part.items(follow=follow, ids=ids)):
                others.append((part.heading(follow), items))
        if not events and not others:
            return None
        context = {
            "member": member,
            "follow": follow,
            "events": [(event, site_url(event.get_absolute_url())) for event in events],
            "others": others,
            "settings_url": site_url(reverse("events:follow-list")),
            "unsubscribe_url": unsubscribe_url,
        }
        return _follow_mail(member=member, template="follow_digest", context=context)


def _follow_mail(*, member, template: str, context: dict) -> EmailMessage:
    return follow_mail_message(member=member, template_prefix=f"events/email/{template}", context=context)


def follow_mail_message(*, member, template_prefix: str, context: dict) -> EmailMessage:
    """A mail a follow caused, rendered in the active language, with RFC 8058 one-click unsubscribe: a
    mail client may offer "unsubscribe" and POST ``List-Unsubscribe=One-Click`` to the link itself.
    ``context`` holds ``unsubscribe_url``; the templates are ``<template_prefix>_subject.txt`` and
    ``<template_prefix>.txt``."""
    subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
    return EmailMessage(
        # A line break in a header is a new header: fold it, whatever an event's title holds.
        subject=clean_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject),
        body=render_to_string(f"{template_prefix}.txt", context),
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
