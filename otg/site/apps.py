from contextlib import suppress

from django.apps import AppConfig
from django.db import DatabaseError
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _retire_generations(sender, **kwargs) -> None:
    # A data migration writes through historical models, which bump nothing: whatever migrate
    # changed, no page kept before it is served after it (otg.common.caching).
    from otg.common.caching import bump_all

    # The database cache's table may not exist yet (the first migrate comes before createcachetable):
    # then no page was ever kept under a generation of it.
    with suppress(DatabaseError):
        bump_all()


class SiteConfig(AppConfig):
    name = "otg.site"
    label = "site"
    verbose_name = _("Site")

    def ready(self) -> None:
        from otg.common.tags import connect_signals
        from otg.common.topics import connect_tag_writes
        from otg.site.admin_labels import label_third_party_models

        post_migrate.connect(_retire_generations, sender=self, dispatch_uid="otg-retire-generations")
        connect_tag_writes()
        connect_signals()
        label_third_party_models()
