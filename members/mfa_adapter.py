"""allauth's MFA adapter: second-factor secrets (the TOTP key, the recovery codes' seed) are encrypted at
rest with keys from the environment (MFA_ENCRYPTION_KEYS), so a copy of the database alone (a backup, a
dump) does not give anyone a member's second factor."""

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    # The first key encrypts; every key decrypts: a new key goes first, and the old one stays after it
    # for as long as secrets encrypted with it are kept.
    return MultiFernet([Fernet(key) for key in settings.MFA_ENCRYPTION_KEYS])


def secret_encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode("ascii")


def secret_decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode("ascii")).decode()


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return secret_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return secret_decrypt(encrypted_text)
