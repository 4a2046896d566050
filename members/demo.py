"""Demo content for members: the demo admin and a few members with profiles and portraits. Idempotent."""

import io

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from members import services
from members.models import Member

DEMO_ADMIN_EMAIL = "admin@example.org"
DEMO_ADMIN_PASSWORD = "demo-admin-otg-2026"  # noqa: S105 (demo content, printed by make run)
# Staff need an authenticator app; the demo admin's is this known secret (`manage.py demo_totp` prints codes).
DEMO_ADMIN_TOTP_SECRET = "OTGSVERIGEDEMOADMINTOTPSECRET234"  # noqa: S105 (demo content)
DEMO_MEMBER_EMAIL = "anna.lindqvist@example.org"
DEMO_MEMBER_PASSWORD = "demo-medlem-otg-2026"  # noqa: S105 (demo content)
DEMO_PRIVATE_EMAIL = "johan.karlsson@example.org"

# email, name, pronouns, bio, interests, what I work with (shown or not), public, portrait colour
DEMO_MEMBERS = [
    (
        DEMO_MEMBER_EMAIL,
        "Anna Lindqvist",
        "hon",
        "Jag tror på att göra det enkla lätt. Brinner för klarspråk och för tjänster som fungerar "
        "för alla, även när livet är krångligt.",
        ["klarspråk", "tjänstedesign"],
        ("Tjänstedesigner", True),
        True,
        (59, 42, 143),
    ),
    (
        "erik.johansson@example.org",
        "Erik Johansson",
        "han",
        "Utvecklare som gillar öppna data och små team som vågar pröva. Fikar gärna över "
        "myndighetsgränserna.",
        ["öppna data", "digitalisering", "innovation"],
        ("Systemutvecklare", False),
        True,
        (29, 107, 58),
    ),
    (
        "fatima.hassan@example.org",
        "Fatima Hassan",
        "hon",
        "Chef som vill att fler ska få säga sitt. Intresserad av ledarskap som bygger förtroende.",
        ["ledarskap", "innovation"],
        ("Enhetschef", True),
        True,
        (164, 19, 43),
    ),
    (
        "kim.nilsson@example.org",
        "Kim Nilsson",
        "hen",
        "Jobbar med digitalisering i kommunen och samlar gärna folk kring gemensamma problem.",
        ["digitalisering", "tjänstedesign", "öppna data"],
        ("", False),
        True,
        (138, 59, 0),
    ),
    (
        "lars.bergstrom@example.org",
        "Lars Bergström",
        "",
        "Jurist med ett hjärta för begriplig lagtext och för klarspråk i beslut.",
        ["klarspråk"],
        ("Verksjurist", True),
        True,
        (38, 26, 99),
    ),
    (
        "sara.ekman@example.org",
        "Sara Ekman",
        "hon",
        "Nyfiken på hur vi bygger en innovationskultur i staten, ett litet steg i taget.",
        ["innovation", "ledarskap"],
        ("", False),
        True,
        (74, 74, 85),
    ),
    (
        DEMO_PRIVATE_EMAIL,
        "Johan Karlsson",
        "han",
        "Här för att lära mig mer innan jag visar min profil.",
        ["digitalisering"],
        ("", False),
        False,
        (27, 27, 31),
    ),
    (
        "maja.holm@example.org",
        "Maja Holm",
        "",
        "Upphandlare som vill köpa smartare tillsammans med andra myndigheter.",
        ["öppna data", "ledarskap"],
        ("Upphandlare", False),
        False,
        (29, 107, 58),
    ),
]

# Who a newcomer can sign in as (load_demo prints them; the README lists them): (role, address, password).
LOGINS = [
    ("Admin (staff; second factor: make totp)", DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD),
    ("Member with a public profile", DEMO_MEMBER_EMAIL, DEMO_MEMBER_PASSWORD),
    ("Member with a private profile", DEMO_PRIVATE_EMAIL, DEMO_MEMBER_PASSWORD),
]


def initials_portrait(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    """A coloured square with the member's initials, as a real JPEG upload."""
    image = Image.new("RGB", (480, 480), colour)
    draw = ImageDraw.Draw(image)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    font = ImageFont.load_default(size=200)
    draw.text((240, 240), initials, fill=(255, 255, 255), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile("portrait.jpg", buffer.getvalue(), content_type="image/jpeg")


def verified_address(member: Member) -> None:
    EmailAddress.objects.get_or_create(
        user=member, email=member.email, defaults={"verified": True, "primary": True}
    )


@transaction.atomic
def load() -> None:
    admin, created = Member.objects.get_or_create(
        email=DEMO_ADMIN_EMAIL,
        defaults={"name": "Demo Admin", "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.set_password(DEMO_ADMIN_PASSWORD)
        admin.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=admin, email=DEMO_ADMIN_EMAIL, defaults={"verified": True, "primary": True}
    )
    if not Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(admin, DEMO_ADMIN_TOTP_SECRET)
    verified_address(admin)

    for email, name, pronouns, bio, interests, (work, show_work), public, colour in DEMO_MEMBERS:
        member, created = Member.objects.get_or_create(email=email, defaults={"name": name})
        if created:
            member.set_password(DEMO_MEMBER_PASSWORD)
            member.save(update_fields=["password"])
            services.member_profile_update(
                member=member,
                name=name,
                pronouns=pronouns,
                bio=bio,
                interests=interests,
                work_description=work,
                show_work=show_work,
                is_public=public,
            )
        if not member.portrait:
            services.member_portrait_set(member=member, upload=initials_portrait(name, colour))
        verified_address(member)
