"""Demo content for members: the demo admin and a few members. Idempotent."""

from allauth.account.models import EmailAddress
from django.db import transaction

from members.models import Member

DEMO_ADMIN_EMAIL = "admin@example.org"
DEMO_ADMIN_PASSWORD = "demo-admin-otg-2026"  # noqa: S105 (demo content, printed by make run)


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
