"""Second-factor secrets were stored in plain text: encrypt those already stored (members/mfa_adapter.py)."""

from cryptography.fernet import InvalidToken
from django.db import migrations

from members.mfa_adapter import secret_decrypt, secret_encrypt


def _encrypted(value: str) -> str:
    try:
        secret_decrypt(value)
    except (InvalidToken, ValueError, UnicodeError):
        return secret_encrypt(value)
    return value  # already encrypted (run again, or made after the adapter came)


def _decrypted(value: str) -> str:
    try:
        return secret_decrypt(value)
    except (InvalidToken, ValueError, UnicodeError):
        return value


def _convert(apps, convert) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = dict(authenticator.data)
        for field in ("secret", "seed"):
            if isinstance(data.get(field), str):
                data[field] = convert(data[field])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [convert(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def encrypt(apps, schema_editor):
    _convert(apps, _encrypted)


def decrypt(apps, schema_editor):
    _convert(apps, _decrypted)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0010_keep_former_addresses_as_digests"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
