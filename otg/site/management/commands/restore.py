from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from otg.site.backup import RestoreRefused, backup_restore


class Command(BaseCommand):
    help = "Restore a backup (the .dump and the media archive beside it) into an EMPTY database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("dump", type=Path, help="the otg-<time>.dump file written by `backup`")
        parser.add_argument("--media", type=Path, help="the media archive (default: the one beside the dump)")

    def handle(self, *args, dump: Path, media: Path | None, **options) -> None:
        try:
            backup_restore(
                dump=dump,
                media=media,
                database=settings.DATABASES["default"],
                media_root=Path(settings.MEDIA_ROOT),
            )
        except RestoreRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            f"Restored {dump} into {settings.DATABASES['default']['NAME']!r} and {settings.MEDIA_ROOT}"
        )
