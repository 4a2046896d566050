"""Members' text and addresses stored before they were normalised where they are stored
(otg.common.normalised): names, pronouns, what they work with and bios in NFC without control
characters; addresses in NFC and lowercase, as allauth compares them.

Two members whose addresses are then the same mailbox ("jorgen@malmö.se" typed in NFC and in NFD) are
not merged: which one is the person's own is theirs to say. Their addresses stay as they were and
each is reported (the migration's output and the "otg.migrations" log) for the staff to resolve.
"""

import logging

from django.db import migrations

from otg.common.normalised import normalise_rows

logger = logging.getLogger("otg.migrations")


def _report(kind, refused):
    for pk, addresses in refused:
        message = f"{kind} {pk}: not changed to {', '.join(addresses.values())}, which another row holds"
        logger.warning(message)
        print(f"\n  {message}")  # noqa: T201 (a migration's output is read by whoever runs it)


def normalise(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    EmailAddress = apps.get_model("account", "EmailAddress")
    _report(
        "member",
        normalise_rows(
            Member, lines=("name", "pronouns", "work_description"), texts=("bio",), emails=("email",)
        ),
    )
    _report("email address", normalise_rows(EmailAddress, emails=("email",)))


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0011_encrypt_second_factor_secrets"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
