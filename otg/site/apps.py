from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "otg.site"
    label = "site"
    verbose_name = _("Site")

    def ready(self):
        from otg.common.tags import connect_signals

        connect_signals()
