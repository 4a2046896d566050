"""Demo events: Digitala Strategidagarna (past) and upcoming events relative to today. Idempotent."""

import io
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageColor, ImageDraw, ImageFilter

from events.models import Event, EventSeries, Placement, Room, Rsvp, Schedule, Slot
from events.services.rsvps import rsvp_create
from events.services.series import series_propose
from events.services.sessions import session_propose, session_want
from members.models import Member

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ORGANISER_EMAIL = "arrangor@example.org"
MEMBER_EMAIL = "deltagare1@example.org"
DEMO_PASSWORD = "demo-deltagare-2026"  # noqa: S105 (demo content)

PEOPLE = [
    (ORGANISER_EMAIL, "Alva Arrangör", True),
    ("deltagare1@example.org", "Deltagare Ett", True),
    ("deltagare2@example.org", "Deltagare Två", True),
    ("deltagare3@example.org", "Deltagare Tre", False),
    ("deltagare4@example.org", "Deltagare Fyra", False),
    ("deltagare5@example.org", "Deltagare Fem", True),
    ("deltagare6@example.org", "Deltagare Sex", False),
]

# (role, address, password), as members.demo.LOGINS.
LOGINS = [
    ("Host of every demo event", ORGANISER_EMAIL, DEMO_PASSWORD),
    ("Attendee (deltagare1 to deltagare6)", MEMBER_EMAIL, DEMO_PASSWORD),
]


def _member(email: str, name: str, public: bool) -> Member:
    member, created = Member.objects.get_or_create(email=email, defaults={"name": name, "is_public": public})
    if created:
        member.set_password(DEMO_PASSWORD)
        member.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=member, email=email, defaults={"verified": True, "primary": True})
    return member


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=STOCKHOLM)


def _event(slug: str, **fields) -> tuple[Event, bool]:
    tags = fields.pop("tags", [])
    event, created = Event.objects.get_or_create(slug=slug, defaults=fields)
    if created and tags:
        event.tags.add(*tags)
    return event, created


# The site's palette (static/css/site.css): purple, its dark and light tints, and the warm accent.
PALETTE = ["#3b2a8f", "#261a63", "#e9e5fa", "#b5381a", "#fcebe5", "#7a6bd0"]


def cover_image(seed: str, size: tuple[int, int] = (1280, 640)) -> bytes:
    """A calm, abstract cover in the site's palette, drawn with Pillow (nothing is downloaded).

    The same seed always gives the same picture, so the demo looks the same on every machine.
    """
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, PALETTE[1])
    draw = ImageDraw.Draw(image)
    # A soft diagonal band from the dark purple to the brand purple.
    for x in range(0, width, 8):
        shade = x / width
        colour = tuple(
            round(a + (b - a) * shade)
            for a, b in zip(ImageColor.getrgb(PALETTE[1]), ImageColor.getrgb(PALETTE[0]), strict=True)
        )
        draw.rectangle([x, 0, x + 8, height], fill=colour)
    # A few large circles and arcs, as if seen through frosted glass.
    for _index in range(rng.randint(3, 4)):
        radius = rng.randint(height // 5, height // 2)
        cx, cy = rng.randint(0, width), rng.randint(0, height)
        colour = rng.choice([*PALETTE[3:], PALETTE[0]])
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(radius=height // 12))
    draw = ImageDraw.Draw(image)
    for _index in range(rng.randint(2, 3)):
        radius = rng.randint(height // 6, height // 3)
        cx, cy = rng.randint(width // 5, width), rng.randint(0, height)
        box = [cx - radius, cy - radius, cx + radius, cy + radius]
        draw.ellipse(box, outline=PALETTE[4], width=max(2, height // 160))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def _cover(event: Event, alt: str) -> None:
    if event.cover_image:
        return
    event.cover_alt = alt
    event.cover_image.save(f"demo-{event.slug}.jpg", ContentFile(cover_image(event.slug)), save=False)
    event.save(update_fields=["cover_image", "cover_alt", "updated_at"])


def _rsvp(event: Event, member: Member, **kwargs) -> None:
    if not Rsvp.objects.filter(event=event, member=member).exists():
        rsvp_create(event=event, member=member, **kwargs)


@transaction.atomic
def load() -> None:
    people = [_member(*person) for person in PEOPLE]
    organiser = people[0]
    today = timezone.localdate()
    published = Event.Status.PUBLISHED

    conference, created = _event(
        "digitala-strategidagarna-offentlig-sektor-2026",
        title="Digitala Strategidagarna – Offentlig Sektor",  # noqa: RUF001 (the conference's own name)
        kind=Event.Kind.CONFERENCE,
        summary="En dag om digital strategi, samverkan och förnyelse i offentlig sektor.",
        description="One Team Gov Sverige var på plats med ett eget pass om **tvärsektoriellt samarbete**.",
        start=datetime(2026, 11, 13, 9, 0, tzinfo=STOCKHOLM),
        end=datetime(2026, 11, 13, 17, 0, tzinfo=STOCKHOLM),
        venue_name="Münchenbryggeriet",
        address="Torkel Knutssonsgatan 2",
        city="Stockholm",
        status=published,
        website="https://www.example.org/digitala-strategidagarna",
        tags=["digitalisering", "strategi"],
    )
    if created:
        conference.organisers.add(organiser)
        # It has passed: its attendees are recorded as they were, not through the RSVP rules.
        for member in people[1:4]:
            Rsvp.objects.create(event=conference, member=member, status=Rsvp.Status.GOING, show_publicly=True)
        Event.objects.filter(pk=conference.pk).update(going_count=3)

    meetup_day = today + timedelta(days=12)
    meetup, created = _event(
        "meetup-goteborg-tjanstedesign",
        title="Meetup i Göteborg: tjänstedesign på riktigt",
        kind=Event.Kind.MEETUP,
        summary="Korta dragningar och samtal om tjänstedesign i kommun och region.",
        description="Vi ses över en kopp kaffe. Ta med en erfarenhet att dela!",
        start=_at(meetup_day, 17, 30),
        end=_at(meetup_day, 19, 30),
        venue_name="Stadsbiblioteket",
        address="Götaplatsen 3",
        city="Göteborg",
        capacity=40,
        status=published,
        tags=["tjänstedesign"],
    )
    if created:
        meetup.organisers.add(organiser)
        _rsvp(meetup, people[2], show_publicly=True)
        _rsvp(meetup, people[3])
        # A few "kanske": counted on the page ("2 kommer, 3 kanske"), never named.
        for member in people[4:7]:
            _rsvp(meetup, member, maybe=True)

    breakfast_day = today + timedelta(days=20)
    breakfast, created = _event(
        "frukostmote-malmo-oppna-data",
        title="Frukostmöte i Malmö: öppna data",
        kind=Event.Kind.BREAKFAST,
        summary="Frukost och samtal om att dela data mellan myndigheter. Bara tre platser!",
        start=_at(breakfast_day, 8, 0),
        end=_at(breakfast_day, 9, 0),
        venue_name="Malmö stadshus",
        address="August Palms plats 1",
        city="Malmö",
        capacity=3,
        status=published,
        tags=["öppna data"],
    )
    if created:
        breakfast.organisers.add(organiser)
        for member in people[2:7]:
            _rsvp(breakfast, member, show_publicly=member.is_public, dietary_needs="Vegetariskt")

    webinar_day = today + timedelta(days=30)
    webinar, created = _event(
        "webbinarium-ledarskap-over-granser",
        title="Webbinarium: ledarskap över organisationsgränser",
        kind=Event.Kind.WEBINAR,
        summary="En timme online om att leda tillsammans när ingen äger hela frågan.",
        start=_at(webinar_day, 12, 0),
        end=_at(webinar_day, 13, 0),
        format=Event.Format.ONLINE,
        online_url="https://meet.example.org/otg-ledarskap",
        status=published,
        tags=["ledarskap"],
    )
    if created:
        webinar.organisers.add(organiser)
        _rsvp(webinar, people[1], show_publicly=True)

    workshop_day = today + timedelta(days=45)
    workshop, created = _event(
        "workshop-umea-kulturforandring",
        title="Workshop i Umeå: kulturförändring i praktiken",
        kind=Event.Kind.WORKSHOP,
        summary="En halvdag med övningar för att förändra arbetssätt tillsammans.",
        start=_at(workshop_day, 13, 0),
        end=_at(workshop_day, 16, 30),
        format=Event.Format.HYBRID,
        venue_name="Väven",
        address="Storgatan 46A",
        city="Umeå",
        capacity=25,
        online_url="https://meet.example.org/otg-umea",
        status=published,
        tags=["kultur"],
    )
    if created:
        workshop.organisers.add(organiser)
    _breakfast_series(organiser, people, today)
    alt = "Abstrakt mönster av cirklar i lila och korall."
    for event in (conference, meetup, workshop):
        _cover(event, alt)
    _unconference(people, today)


# (title, pitch, format, proposer's index among PEOPLE, who want it (indexes), room index or None, slot index)
SESSIONS = [
    (
        "Klarspråk i praktiken",
        "Hur skriver vi beslut som medborgare förstår? Ta med en text du kämpar med.",
        "workshop",
        1,
        [0, 2, 3, 4, 5, 6],
        0,
        0,
    ),
    (
        "Öppna data mellan myndigheter",
        "Vad hindrar oss från att dela data, och vad har fungerat? Ett samtal.",
        "discussion",
        2,
        [1, 3, 4, 5],
        1,
        0,
    ),
    (
        "Tjänstedesign i en liten kommun",
        "Vi visar hur vi gjorde om bygglovsprocessen med tre personer och en whiteboard.",
        "show_and_tell",
        3,
        [1, 2, 6],
        0,
        1,
    ),
    (
        "Hur leder man utan mandat?",
        "En fråga jag vill ha hjälp med: att driva förändring över förvaltningsgränser.",
        "question",
        4,
        [1, 2, 3, 5, 6],
        1,
        1,
    ),
    (
        "Psykologisk trygghet i team",
        "Vad gör att folk vågar säga att något inte fungerar? Erfarenheter och verktyg.",
        "discussion",
        5,
        [2, 4],
        2,
        2,
    ),
    (
        "AI i handläggning: var går gränsen?",
        "Chatham House: vi pratar öppet om försök som inte blev som tänkt.",
        "discussion",
        6,
        [1, 3, 5],
        None,
        None,
    ),
    (
        "Små experiment, stor skillnad",
        "Tre exempel på försök som tog en vecka och ändrade ett arbetssätt.",
        "show_and_tell",
        1,
        [4],
        None,
        None,
    ),
    (
        "Upphandling som främjar innovation",
        "Workshop: vi skriver om en kravspecifikation tillsammans.",
        "workshop",
        2,
        [],
        None,
        None,
    ),
]


def _unconference(people: list[Member], today) -> None:
    """An upcoming unconference whose board is partly scheduled: eight proposals, interest, three rooms
    and three slots, five sessions placed and the schedule published (without mail: demo content)."""
    day = today + timedelta(days=25)
    event, created = _event(
        "unconference-stockholm-forandring-underifran",
        title="Unconference i Stockholm: förändring underifrån",
        kind=Event.Kind.UNCONFERENCE,
        summary="Deltagarna sätter agendan: föreslå en session, säg vad du vill vara med på, gå dit du vill.",
        description="Ingen scen och inga talare: vi bygger dagens program tillsammans på tavlan. "
        "Lagen om två fötter gäller: lär du dig inget och bidrar inte, gå dit du gör det.",
        start=_at(day, 9, 0),
        end=_at(day, 16, 0),
        venue_name="Kulturhuset",
        address="Sergels torg",
        city="Stockholm",
        capacity=60,
        status=Event.Status.PUBLISHED,
        tags=["förnyelse"],
    )
    if not created:
        return
    event.organisers.add(people[0])
    for member in people[1:]:
        _rsvp(event, member, show_publicly=member.is_public)
    rooms = [
        Room.objects.create(event=event, name=name, seats=seats)
        for name, seats in (("Stora salen", 40), ("Biblioteket", 15), ("Lilla rummet", 8))
    ]
    slots = [
        Slot.objects.create(event=event, starts=_at(day, hour, 0), ends=_at(day, hour, 45))
        for hour in (10, 11, 13)
    ]
    for title, pitch, fmt, proposer, wanted_by, room, slot in SESSIONS:
        session = session_propose(
            event=event,
            member=people[proposer],
            title=title,
            pitch=pitch,
            format=fmt,
            chatham_house=title.startswith("AI"),
        )
        for index in wanted_by:
            session_want(session=session, member=people[index])
        if room is not None:
            Placement.objects.create(session=session, room=rooms[room], slot=slots[slot])
    Schedule.objects.create(event=event, published_at=timezone.now())


BREAKFAST_SERIES_TITLE = "Frukostklubben i Stockholm"


def _breakfast_series(organiser: Member, people: list[Member], today) -> None:
    """A monthly breakfast: the first Tuesday of every month, six dates, published (its host is trusted)."""
    if EventSeries.objects.filter(title=BREAKFAST_SERIES_TITLE).exists():
        return
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)  # the 1st of next month
    while first.weekday() != 1:
        first += timedelta(days=1)
    template = Event(
        title=BREAKFAST_SERIES_TITLE,
        kind=Event.Kind.BREAKFAST,
        summary="Frukost och samtal om offentlig förnyelse, första tisdagen varje månad.",
        description="Kaffe, smörgås och ett kort inspel. Anmäl dig till varje datum du kommer till.",
        start=_at(first, 7, 45),
        end=_at(first, 9, 0),
        venue_name="Kulturhuset",
        address="Sergels torg 1",
        city="Stockholm",
        capacity=20,
    )
    series = series_propose(
        event=template,
        member=organiser,
        frequency=EventSeries.Frequency.MONTHLY,
        count=6,
        tags=["frukost"],
        trusted=True,
    )
    first_date = series.dates.order_by("start").first()
    for member in people[1:3]:
        _rsvp(first_date, member, show_publicly=member.is_public)
