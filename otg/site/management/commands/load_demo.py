from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load the demo content of every app (safe to run again: it changes nothing the second time)."

    def handle(self, *args, **options) -> None:
        for dotted in settings.DEMO_LOADERS:
            import_string(dotted)()
            self.stdout.write(f"Loaded {dotted}")
