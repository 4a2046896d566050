import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from members.demo import DEMO_ADMIN_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the demo admin's current two-factor code (demo content only: it knows no other secret)."

    def handle(self, *args, **options) -> None:
        now = time.time()
        period = app_settings.TOTP_PERIOD
        counter = int(now) // period
        seconds_left = period - int(now) % period
        self.stdout.write(format_hotp_value(hotp_value(DEMO_ADMIN_TOTP_SECRET, counter)))
        # The sign-in also accepts the code of the window before (MFA_TOTP_TOLERANCE), so a code
        # typed just after it changes still works.
        self.stdout.write(
            _("Valid for %(seconds)d more seconds, then %(grace)d seconds more as the previous code.")
            % {"seconds": seconds_left, "grace": period * app_settings.TOTP_TOLERANCE}
        )
