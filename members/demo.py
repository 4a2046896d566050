"""Demo content for members: the demo admin and a few members. Idempotent."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from members.models import Member

DEMO_ADMIN_EMAIL = "admin@example.org"
DEMO_ADMIN_PASSWORD = "demo-admin-otg-2026"  # noqa: S105 (demo content, printed by make run)
# Staff need an authenticator app; the demo admin's is this known secret (`manage.py demo_totp` prints codes).
DEMO_ADMIN_TOTP_SECRET = "OTGSVERIGEDEMOADMINTOTPSECRET234"  # noqa: S105 (demo content)


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
