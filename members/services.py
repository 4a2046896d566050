from datetime import datetime

from django.db import transaction

from members.models import Member


@transaction.atomic
def member_complete_signup(
    *,
    member: Member,
    name: str,
    bio: str,
    interests: list[str],
    principles_version: str,
    accepted_at: datetime,
) -> Member:
    """Store what sign-up asked for besides email and password, with the consent's version and time."""
    member.name = name.strip()
    member.bio = bio.strip()
    member.principles_version = principles_version
    member.principles_accepted_at = accepted_at
    member.save(update_fields=["name", "bio", "principles_version", "principles_accepted_at"])
    member.interests.set(interests)
    return member
