from django.conf import settings
from django.core.management.base import BaseCommand

from events.services.rsvps import rsvp_needs_erase


class Command(BaseCommand):
    help = "Erase attendees' stated needs EVENT_NEEDS_RETENTION_DAYS after their event (run daily from cron)."

    def handle(self, *args, **options) -> None:
        erased = rsvp_needs_erase()
        days = settings.EVENT_NEEDS_RETENTION_DAYS
        self.stdout.write(
            f"Erased the needs of {erased} RSVPs to events that ended more than {days} days ago."
        )
