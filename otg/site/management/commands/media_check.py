from django.core.management.base import BaseCommand, CommandError

from otg.site.media import media_check


class Command(BaseCommand):
    help = (
        "Report files under MEDIA_ROOT that no row references and rows whose file is missing; "
        "exits non-zero when it finds any."
    )

    def handle(self, *args, **options) -> None:
        report = media_check()
        if report:
            for line in report.lines():
                self.stdout.write(line)
            raise CommandError(
                f"{len(report.unreferenced)} unreferenced file(s), {len(report.missing)} missing file(s)."
            )
        self.stdout.write("Media and database agree.")
