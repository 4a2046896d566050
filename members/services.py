"""Writes with rules on members: profile, portrait, data export and deletion."""

import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import PurePosixPath

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import FormerAddress, Member
from members.signals import member_deleting, member_exporting
from otg.common.files import file_save, files_atomic, files_delete_on_commit
from otg.common.images import clean_image
from otg.common.tags import clean_tag_names, tags_delete_unused
from otg.jobs.mail import address_digest, mail_forget

PORTRAIT_SMALL = 96
PORTRAIT_LARGE = 400
PORTRAIT_FIELDS = ("portrait", "portrait_small", "portrait_large")


@files_atomic()
def member_profile_update(
    *,
    member: Member,
    name: str,
    pronouns: str = "",
    bio: str = "",
    interests: Iterable[str] = (),
    work_description: str = "",
    show_work: bool = False,
    preferred_language: str = "sv",
    is_public: bool = False,
) -> Member:
    """Save what the member tells about themselves. Nothing here can name an organisation.

    A profile made private gets its portrait files under new names: an address someone kept from
    while it was public then leads nowhere.
    """
    was_public = Member.objects.filter(pk=member.pk, is_public=True).exists()
    member.name = name.strip()
    member.pronouns = pronouns.strip()
    member.bio = bio.strip()
    member.work_description = work_description.strip()
    member.show_work = show_work
    member.preferred_language = preferred_language
    member.is_public = is_public
    member.full_clean(exclude=["password", *PORTRAIT_FIELDS])
    member.save(
        update_fields=[
            "name",
            "pronouns",
            "bio",
            "work_description",
            "show_work",
            "preferred_language",
            "is_public",
            "updated_at",
        ]
    )
    member.interests.set(sorted(clean_tag_names(interests)))
    if was_public and not is_public:
        member_portrait_rename(member=member)
    return member


@files_atomic()
def member_portrait_rename(*, member: Member) -> Member:
    """Store the portrait's files under new random names, and remove the old ones after commit.

    Called when a profile stops being public (the profile page, the admin): the portrait's old
    addresses, which anyone may have kept while it was public, then lead nowhere, also where a
    reverse proxy serves /media/ itself.
    """
    if not member.portrait:
        return member
    # Registered before the names change: it reads the old names now, and removes them after commit.
    files_delete_on_commit(member.portrait_files())
    for field in member.portrait_files():
        with field.open("rb") as stored:
            content = ContentFile(stored.read(), name=uuid.uuid4().hex + PurePosixPath(field.name).suffix)
        file_save(field, content)
    member.save(update_fields=[*PORTRAIT_FIELDS, "updated_at"])
    return member


@files_atomic()
def member_portrait_set(*, member: Member, upload) -> Member:
    """Store a clean copy of the upload and its 96 px and 400 px squares; the old files go after commit.

    The one way a member's portrait reaches storage (the profile page and the demo content call it).
    New files are removed again if the transaction rolls back. Raises ValidationError (from
    otg.common.images.clean_image) when the upload is not an acceptable image.
    """
    image = clean_image(upload)
    files_delete_on_commit(member.portrait_files())  # the names as they are now
    for field, content in [
        (member.portrait, image.file()),
        (member.portrait_small, image.square(PORTRAIT_SMALL)),
        (member.portrait_large, image.square(PORTRAIT_LARGE)),
    ]:
        file_save(field, content)
    member.save(update_fields=[*PORTRAIT_FIELDS, "updated_at"])
    return member


@files_atomic()
def member_portrait_clear(*, member: Member) -> Member:
    files_delete_on_commit(member.portrait_files())
    for field in PORTRAIT_FIELDS:
        setattr(member, field, "")
    member.save(update_fields=[*PORTRAIT_FIELDS, "updated_at"])
    return member


def _isoformat(moment) -> str | None:
    return moment.isoformat() if moment else None


def member_data_export(*, member: Member) -> bytes:
    """A zip of everything the portal stores about the member: data.json and the portrait file.

    Other apps add their part through the members.signals.member_exporting signal.
    """
    portrait_name = None
    if member.portrait:
        portrait_name = "portrait" + PurePosixPath(member.portrait.name).suffix
    data = {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "name": member.name,
            "email": member.email,
            "pronouns": member.pronouns,
            "bio": member.bio,
            "interests": sorted(member.interests.names()),
            "what_i_work_with": member.work_description,
            "show_what_i_work_with": member.show_work,
            "preferred_language": member.preferred_language,
            "public_profile": member.is_public,
            "portrait": portrait_name,
            "joined": _isoformat(member.date_joined),
            "last_sign_in": _isoformat(member.last_login),
        },
        "consents": {
            "principles_version": member.principles_version or None,
            "principles_accepted_at": _isoformat(member.principles_accepted_at),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=member).order_by("email")
        ],
        # The kinds of second factor only: secrets and recovery codes never leave the database.
        "multi_factor_authentication": [
            {
                "type": authenticator.type,
                "created_at": _isoformat(authenticator.created_at),
                "last_used_at": _isoformat(authenticator.last_used_at),
            }
            for authenticator in Authenticator.objects.filter(user=member).order_by("created_at")
        ],
        "sessions": [
            {
                "created_at": _isoformat(session.created_at),
                "last_seen_at": _isoformat(session.last_seen_at),
                "ip": session.ip,
                "user_agent": session.user_agent,
            }
            for session in UserSession.objects.filter(user=member).order_by("created_at")
        ],
    }
    for _receiver, response in member_exporting.send(sender=Member, member=member):
        if response:
            key, part = response
            data[key] = part

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        if portrait_name:
            with member.portrait.open("rb") as portrait:
                archive.writestr(portrait_name, portrait.read())
    return buffer.getvalue()


@transaction.atomic
def member_delete(*, member: Member) -> None:
    """Delete the member, their email addresses and sessions; portrait files go after commit.

    `member_deleting` is sent first, inside this transaction, so other apps (events: RSVPs) clean up
    before the row goes, and roll back with it if anything fails.
    """
    member_deleting.send(sender=Member, member=member)
    interest_ids = list(member.interests.values_list("pk", flat=True))
    # No queued mail to them goes out after this (a password reset, say), and no kept one names them.
    # Those it had before too (FormerAddress): mail to an address changed last week is still kept.
    addresses = [member.email, *EmailAddress.objects.filter(user=member).values_list("email", flat=True)]
    mail_forget(addresses=addresses, digests=member.former_addresses.values_list("digest", flat=True))
    EmailAddress.objects.filter(user=member).delete()
    # Sessions signed in through allauth are tracked; ending them removes the session rows themselves.
    # Any other session of the member points at a row that no longer exists and is anonymous from now on.
    for session in UserSession.objects.filter(user=member):
        session.end()
    files_delete_on_commit(member.portrait_files())
    member.delete()
    # An interest that only this member had is their own words: it goes with them.
    tags_delete_unused(interest_ids)


def member_address_retire(*, member_id: int, email: str) -> None:
    """Remember, as a digest, an address the member no longer has (removed, or replaced by a change),
    unless they still have it: their account's deletion must reach the mail sent to it."""
    if Member.objects.filter(pk=member_id, email__iexact=email).exists():
        return
    if EmailAddress.objects.filter(user_id=member_id, email__iexact=email).exists():
        return
    FormerAddress.objects.get_or_create(member_id=member_id, digest=address_digest(email))


@transaction.atomic
def member_signup_complete(
    *,
    member: Member,
    name: str,
    bio: str,
    interests: list[str],
    principles_version: str,
    accepted_at: datetime,
    language: str = "",
) -> Member:
    """Store what sign-up asked for besides email and password, with the consent's version and time.

    ``language``: the one the member signed up in, which their mail then comes in (preferred_language),
    until they choose another on their profile.
    """
    member.name = name.strip()
    member.bio = bio.strip()
    member.principles_version = principles_version
    member.principles_accepted_at = accepted_at
    if language in dict(settings.LANGUAGES):
        member.preferred_language = language
    member.save(
        update_fields=[
            "name",
            "bio",
            "principles_version",
            "principles_accepted_at",
            "preferred_language",
            "updated_at",
        ]
    )
    member.interests.set(clean_tag_names(interests))
    return member


@files_atomic()
def member_visibility_set(*, member: Member, is_public: bool) -> Member:
    """Make the profile public or private, and only that: the welcome step's one question.

    Made private, the portrait files get new names (as ``member_profile_update`` does).
    """
    was_public = Member.objects.filter(pk=member.pk, is_public=True).exists()
    member.is_public = is_public
    member.save(update_fields=["is_public", "updated_at"])
    if was_public and not is_public:
        member_portrait_rename(member=member)
    return member


@transaction.atomic
def member_language_set(*, member: Member, language: str) -> bool:
    """Make ``language`` the one the member's mail comes in (preferred_language) from now on.

    Called when a signed-in member switches the site's language: someone who reads the portal in
    English wants English mail, not the language they happened to sign up in. Returns whether it
    changed; an unknown language changes nothing.
    """
    if language not in dict(settings.LANGUAGES) or member.preferred_language == language:
        return False
    member.preferred_language = language
    # Only this field: no page shows it, so no cached page is retired (members/apps.py).
    member.save(update_fields=["preferred_language"])
    return True


# The group the data migrations grant the editors' permissions to (interviews, events).
EDITORS_GROUP = "Redaktörer"


def member_is_editor(member: Member) -> bool:
    return member.is_staff and member.groups.filter(name=EDITORS_GROUP).exists()


@transaction.atomic
def member_make_editor(*, member: Member) -> Member:
    """Make a member an editor (staff, in the editors' group) and tell them by mail what changes."""
    was_editor = member_is_editor(member)
    if not member.is_staff:
        member.is_staff = True
        member.save(update_fields=["is_staff"])
    member.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])
    if not was_editor:
        member_editor_welcome(member=member)
    return member


def member_editor_welcome(*, member: Member) -> None:
    """Mail a new editor what changes for them: the admin, and its second factor.

    Queued in the caller's transaction (send_mail only queues: otg.jobs.mail.QueueBackend), so it
    commits with the change that made them an editor, or not at all.
    """
    with translation.override(member.preferred_language or settings.LANGUAGE_CODE):
        subject = _("You are now an editor at One Team Gov Sverige")
        body = _(
            "Hello %(name)s,\n\n"
            "You are now an editor. You can write, preview and publish interviews and events in the "
            "admin:\n\n%(admin_url)s\n\n"
            "What changes for you:\n\n"
            "- The first time you open the admin, you set up two-factor authentication: an "
            "authenticator app on your phone that shows a new six-digit code every 30 seconds.\n"
            "- From then on you sign in with your password and a code from the app.\n"
            "- Keep the recovery codes you are shown somewhere safe: they let you in if you lose "
            "your phone.\n\n"
            "Your member profile stays as it is.\n\n"
            "Welcome!\nOne Team Gov Sverige\n"
        ) % {"name": member.name or member.email, "admin_url": f"{settings.SITE_URL}/admin/"}
    send_mail(subject, body, None, [member.email])
