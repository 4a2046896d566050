from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "otg.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from django.apps import apps
        from procrastinate.contrib.django.models import ProcrastinateJob

        # Procrastinate names its app and jobs in English only ("Procrastinate jobs" in a Swedish
        # admin): named here in words of ours, translated. Its tables are unmanaged and its migrations
        # are its own SQL, so no migration follows these names.
        apps.get_app_config("procrastinate").verbose_name = _("Job queue")
        ProcrastinateJob._meta.verbose_name = _("job")
        ProcrastinateJob._meta.verbose_name_plural = _("jobs")
