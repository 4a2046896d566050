from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = (
        "Load the demo content of every app (safe to run again: it changes nothing the second time), "
        "and print who one can sign in as."
    )

    def handle(self, *args, **options) -> None:
        logins = []
        for dotted in settings.DEMO_LOADERS:
            import_string(dotted)()
            self.stdout.write(f"Loaded {dotted}")
            module = import_string(dotted.rpartition(".")[0])
            logins += getattr(module, "LOGINS", [])
        self.stdout.write("\nSign in as (demo content):")
        width = max(len(role) for role, _email, _password in logins)
        for role, email, password in logins:
            self.stdout.write(f"  {role:<{width}}  {email} / {password}")
