"""Demo content for interviews: the seed interview with Adrian Solitander and one the team wrote. Idempotent.

Both are imported from plain text with the same service as `manage.py import_interview`, then published.
"""

import io
from datetime import timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from events.models import Event
from interviews.models import Interview
from interviews.services import interview_import_text, interview_portrait_set, interview_publish
from members.demo import DEMO_ADMIN_EMAIL
from members.models import Member

DEMO_DATA = Path(__file__).parent / "demo_data"

DEMO_INTERVIEWS = [
    {
        "file": "adrian-solitander.txt",
        "slug": "adrian-solitander",
        "title": "Adrian Solitander: vi demokratiserar förnyelsen av offentlig sektor",
        "interviewee_name": "Adrian Solitander",
        "interviewee_description": "en av initiativtagarna till One Team Gov i Sverige",
        "tags": ["kulturförändring", "experimentkultur", "offentlig sektor"],
        "related_events": ["digitala-strategidagarna-offentlig-sektor-2026"],
        "colour": (63, 45, 128),
        "alt": "Illustrerat porträtt: initialerna AS i vitt på en lila cirkel.",
        "days_ago": 30,
    },
    {
        "file": "lova-exempeldotter.txt",
        "slug": "lova-exempeldotter-klarsprak",
        "title": "Lova Exempeldotter: klarspråk börjar med att fråga den som läser",
        "interviewee_name": "Lova Exempeldotter",
        "interviewee_description": "tjänstedesigner i den påhittade Lillköpings kommun (ett fiktivt exempel)",
        "tags": ["klarspråk", "tjänstedesign", "offentlig sektor"],
        "colour": (11, 94, 84),
        "alt": "Illustrerat porträtt: initialerna LE i vitt på en grön cirkel.",
        "days_ago": 7,
    },
]


def portrait(initials: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    """A generated portrait (initials on a circle), handled like any upload."""
    image = Image.new("RGB", (800, 800), (244, 242, 250))
    draw = ImageDraw.Draw(image)
    draw.ellipse((80, 80, 720, 720), fill=colour)
    font = ImageFont.load_default(size=260)
    draw.text((400, 400), initials, fill=(255, 255, 255), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("portrait.png", buffer.getvalue())


@transaction.atomic
def load() -> None:
    author = Member.objects.filter(email=DEMO_ADMIN_EMAIL).first()
    for spec in DEMO_INTERVIEWS:
        if Interview.objects.filter(slug=spec["slug"]).exists():
            continue
        interview = interview_import_text(
            text=(DEMO_DATA / spec["file"]).read_text(encoding="utf-8"),
            interviewee_name=spec["interviewee_name"],
            title=spec["title"],
            slug=spec["slug"],
            author=author,
        )
        interview.interviewee_description = spec["interviewee_description"]
        interview.save(update_fields=["interviewee_description"])
        interview.tags.add(*spec["tags"])
        initials = "".join(part[0] for part in spec["interviewee_name"].split())
        interview_portrait_set(
            interview=interview, upload=portrait(initials, spec["colour"]), alt=spec["alt"]
        )
        interview_publish(interview=interview, at=timezone.now() - timedelta(days=spec["days_ago"]))
        interview.related_events.set(Event.objects.filter(slug__in=spec.get("related_events", [])))
