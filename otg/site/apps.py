from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "otg.site"
    label = "site"
    verbose_name = _("Site")

    def ready(self) -> None:
        from otg.common.tags import connect_signals
        from otg.common.topics import connect_tag_writes
        from otg.site.admin_labels import label_third_party_models

        connect_tag_writes()
        connect_signals()
        label_third_party_models()
