from django.core.management.base import BaseCommand

from events.services.rsvps import rsvp_reminders_send


class Command(BaseCommand):
    help = "Remind attendees of events starting within a day (safe to run every few minutes: never twice)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Sent {rsvp_reminders_send()} reminders.")
