from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "otg.site"
    label = "site"
    verbose_name = _("Site")

    def ready(self) -> None:
        from otg.site.admin_labels import label_third_party_models

        label_third_party_models()
