from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from otg.site.backup import backup_create
from otg.site.media import media_check


class Command(BaseCommand):
    help = "Write a pg_dump of the database and a tar.gz of the media under var/backups/, named by UTC time."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--directory", type=Path, default=settings.VAR_DIR / "backups")

    def handle(self, *args, directory: Path, **options) -> None:
        backup = backup_create(
            directory=directory, database=settings.DATABASES["default"], media_root=Path(settings.MEDIA_ROOT)
        )
        self.stdout.write(f"Database: {backup.dump}\nMedia:    {backup.media}")
        # The backup is written either way; a disagreement between files and rows is worth a look.
        report = media_check()
        if report:
            self.stderr.write(
                self.style.WARNING(
                    "Warning: the media files and the database disagree (manage.py media_check):"
                )
            )
            for line in report.lines():
                self.stderr.write(f"  {line}")
