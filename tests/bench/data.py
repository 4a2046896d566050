"""Benchmark volume, inserted in bulk: members, tags, events over ten years, RSVPs, interviews.

`python -m tests.bench.data --scale 1.0` (inside the benchmark database's environment) builds the data
once; a second run finds it and changes nothing. At scale 1.0: 20,000 members (half public), 500 tags,
3,000 events, 200,000 RSVPs, 1,000 interviews with 8 questions each, and an unconference
(`UNCONFERENCE`) with 200 proposed sessions that 2,000 members want, 10 rooms and 6 slots, its
schedule published.
"""

import argparse
import os
import random
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otg.settings")

FIRST = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Anders",
    "Eva",
    "Johan",
    "Sara",
    "Per",
    "Emma",
    "Nils",
    "Ida",
    "Olof",
    "Elin",
    "Jonas",
    "Lina",
    "Oskar",
    "Maja",
    "Ali",
]
LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Lindberg",
    "Ek",
    "Berg",
]
CITIES = [
    "Stockholm",
    "Göteborg",
    "Malmö",
    "Uppsala",
    "Umeå",
    "Luleå",
    "Linköping",
    "Örebro",
    "Västerås",
    "Jönköping",
    "Sundsvall",
    "Kiruna",
]
WORDS = [
    "förnyelse",
    "offentlig",
    "sektor",
    "digitalisering",
    "klarspråk",
    "tjänstedesign",
    "experiment",
    "kultur",
    "tillit",
    "samverkan",
    "innovation",
    "medborgare",
    "förändring",
    "ledarskap",
    "öppenhet",
    "data",
    "användare",
    "behov",
    "kommun",
    "region",
    "myndighet",
    "kulturförändringen",
    "lärande",
    "prestigelöshet",
    "gräsrötter",
    "välfärd",
    "digital",
    "service",
]
TOPICS = ["klarspråk", "tjänstedesign", "öppna data", "innovation", "digitalisering", "ledarskap"]
SIZES = {
    "members": 20_000,
    "tags": 500,
    "events": 3_000,
    "rsvps": 200_000,
    "interviews": 1_000,
    "sessions": 200,
    "session_members": 2_000,
}
UNCONFERENCE = "bench-unconference"
# Rooms from the largest down, as a venue has them; at a tenth the first three.
ROOM_SEATS = [120, 80, 60, 40, 40, 30, 25, 20, 15, 12]
SLOTS = 6
BATCH = 5_000


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def build(scale: float) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from events.models import Event, Rsvp
    from interviews.models import Interview, Question
    from members.models import Member

    sizes = {name: max(1, int(count * scale)) for name, count in SIZES.items()}
    if Member.objects.filter(email__startswith="bench-").count() >= sizes["members"]:
        return
    rng = random.Random(2026)
    now = timezone.now()
    password = make_password("bench-password-2026")

    with transaction.atomic():
        tags = Tag.objects.bulk_create(
            [
                Tag(name=TOPICS[i] if i < len(TOPICS) else f"ämne {i}", slug=f"amne-{i}")
                for i in range(sizes["tags"])
            ],
            ignore_conflicts=True,
        )
        tags = list(Tag.objects.order_by("pk"))
        members = Member.objects.bulk_create(
            [
                Member(
                    email=f"bench-{i}@example.org",
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                    bio=sentence(rng, 20),
                    is_public=i % 2 == 0,
                    password=password,
                    principles_version="2026-11",
                    principles_accepted_at=now,
                )
                for i in range(sizes["members"])
            ],
            batch_size=BATCH,
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=m, email=m.email, verified=True, primary=True) for m in members],
            batch_size=BATCH,
        )
        events = Event.objects.bulk_create(
            [
                Event(
                    title=f"{rng.choice(['Frukostmöte', 'Meetup', 'Workshop', 'Unconference'])} om {rng.choice(WORDS)} {i}",
                    slug=f"bench-event-{i}",
                    kind=rng.choice(Event.Kind.values),
                    summary=sentence(rng),
                    description=" ".join(sentence(rng) for _ in range(6)),
                    start=(
                        start := now
                        + timedelta(days=365 - i * 3650 / sizes["events"], hours=rng.randint(0, 8))
                    ),
                    end=start + timedelta(hours=3),
                    city=rng.choice(CITIES),
                    venue_name="Kulturhuset",
                    address="Storgatan 1",
                    capacity=rng.choice([None, 40, 80, 150]),
                    status=Event.Status.PUBLISHED,
                )
                for i in range(sizes["events"])
            ],
            batch_size=BATCH,
        )
        rsvps, per_event = [], sizes["rsvps"] // sizes["events"]
        for event in events:
            going = waitlisted = 0
            for member in rng.sample(members, min(per_event, len(members))):
                full = event.capacity is not None and going >= event.capacity
                status = Rsvp.Status.WAITLISTED if full else Rsvp.Status.GOING
                going, waitlisted = going + (not full), waitlisted + full
                rsvps.append(
                    Rsvp(event=event, member=member, status=status, show_publicly=rng.random() < 0.5)
                )
            event.going_count, event.waitlist_count = going, waitlisted
        Rsvp.objects.bulk_create(rsvps, batch_size=BATCH)
        Event.objects.bulk_update(events, ["going_count", "waitlist_count"], batch_size=BATCH)
        interviews = Interview.objects.bulk_create(
            [
                Interview(
                    title=f"Samtal om {rng.choice(WORDS)} {i}",
                    slug=f"bench-interview-{i}",
                    introduction=" ".join(sentence(rng) for _ in range(4)),
                    interviewee_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    interviewee_description="Medlem i One Team Gov Sverige",
                    status=Interview.Status.PUBLISHED,
                    published_at=now - timedelta(days=i),
                )
                for i in range(sizes["interviews"])
            ],
            batch_size=BATCH,
        )
        Question.objects.bulk_create(
            [
                Question(
                    interview=interview,
                    order=n,
                    question=sentence(rng, 8)[:-1] + "?",
                    answer=sentence(rng, 60),
                )
                for interview in interviews
                for n in range(8)
            ],
            batch_size=BATCH,
        )
        # The search column holds the questions and answers (interviews.services.interview_body_text).
        with connection.cursor() as cursor:
            cursor.execute(
                """UPDATE interviews_interview i SET body_text = concat_ws(E'\\n\\n',
                     (SELECT string_agg(concat_ws(E'\\n\\n', question, answer), E'\\n\\n' ORDER BY "order", id)
                      FROM interviews_question q WHERE q.interview_id = i.id), NULLIF(closing_text, ''))
                   WHERE i.slug LIKE 'bench-%%'"""
            )
        tagged = []
        for model, objects, field in ((Member, members, 3), (Event, events, 3), (Interview, interviews, 3)):
            content_type = ContentType.objects.get_for_model(model)
            for obj in objects:
                for tag in rng.sample(tags, field):
                    tagged.append(TaggedItem(content_type=content_type, object_id=obj.pk, tag=tag))
        TaggedItem.objects.bulk_create(tagged, batch_size=BATCH)


def build_unconference(scale: float) -> None:
    """The unconference of the board and schedule pages: sessions with interest skewed as on a real
    board (a few wanted by hundreds, a long tail by a handful), the most wanted placed, largest rooms
    first, and the schedule published. Built once; the storm's members (the first 1,000) want none."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from django.db import transaction
    from django.db.models import Count, OuterRef, Subquery
    from django.utils import timezone

    from events.models import Event, Placement, Room, Schedule, Session, SessionInterest, Slot
    from members.models import Member

    if Event.objects.filter(slug=UNCONFERENCE).exists():
        return
    rng = random.Random(2028)
    sessions_count = max(20, int(SIZES["sessions"] * scale))
    members_count = max(200, int(SIZES["session_members"] * scale))
    rooms_count = 10 if scale >= 1 else 3
    slots_count = SLOTS if scale >= 1 else 3
    day = (timezone.now() + timedelta(days=20)).date()
    stockholm = ZoneInfo("Europe/Stockholm")
    start = datetime.combine(day, time(9, 0), tzinfo=stockholm)
    members = list(
        Member.objects.filter(email__startswith="bench-").order_by("pk")[1_000 : 1_000 + members_count]
    )
    with transaction.atomic():
        event = Event.objects.create(
            title="Okonferens om offentlig förnyelse",
            slug=UNCONFERENCE,
            kind=Event.Kind.UNCONFERENCE,
            summary="Deltagarna sätter agendan.",
            description=" ".join(sentence(rng) for _ in range(4)),
            start=start,
            end=start + timedelta(hours=8),
            city="Stockholm",
            venue_name="Kulturhuset",
            address="Sergels torg 3",
            capacity=None,
            status=Event.Status.PUBLISHED,
        )
        formats = Session.Format.values
        sessions = Session.objects.bulk_create(
            [
                Session(
                    event=event,
                    title=f"{sentence(rng, 5)[:-1]} {i}",
                    pitch=sentence(rng, 40)[:500],
                    format=rng.choice(formats),
                    proposer=members[i % len(members)],
                    chatham_house=i % 9 == 0,
                )
                for i in range(sessions_count)
            ]
        )
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(sessions))]
        interests = []
        for member in members:
            wanted = {id(s): s for s in rng.choices(sessions, weights=weights, k=rng.randint(1, 8))}
            interests += [SessionInterest(session=s, member=member) for s in wanted.values()]
        SessionInterest.objects.bulk_create(interests, batch_size=BATCH)
        counted = SessionInterest.objects.filter(session=OuterRef("pk")).values("session")
        Session.objects.filter(event=event).update(
            interest_count=Subquery(counted.annotate(n=Count("pk")).values("n"))
        )
        rooms = Room.objects.bulk_create(
            [
                Room(event=event, name=f"Rum {n + 1}", seats=seats)
                for n, seats in enumerate(ROOM_SEATS[:rooms_count])
            ]
        )
        slots = Slot.objects.bulk_create(
            [
                Slot(
                    event=event,
                    starts=start + timedelta(minutes=30 + 75 * n),
                    ends=start + timedelta(minutes=90 + 75 * n),
                )
                for n in range(slots_count)
            ]
        )
        ranked = list(Session.objects.filter(event=event).by_interest())
        places = [(room, slot) for room in rooms for slot in slots]  # the most wanted into the largest rooms
        Placement.objects.bulk_create(
            [
                Placement(session=s, room=room, slot=slot)
                for s, (room, slot) in zip(ranked, places, strict=False)
            ]
        )
        Schedule.objects.create(event=event, published_at=timezone.now())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    django.setup()
    build(args.scale)
    build_unconference(args.scale)
    # What autovacuum does to a database that has lived a while: statistics for the planner and a
    # visibility map, so covering indexes are read without visiting the table.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    main()
