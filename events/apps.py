from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from events import receivers
        from members.signals import member_deleting, member_exporting, member_settings

        member_deleting.connect(receivers.remove_rsvps, dispatch_uid="events.remove_rsvps")
        member_exporting.connect(receivers.export_rsvps, dispatch_uid="events.export_rsvps")
        receivers.connect_generations()
        member_deleting.connect(receivers.remove_follows, dispatch_uid="events.remove_follows")
        member_exporting.connect(receivers.export_follows, dispatch_uid="events.export_follows")
        member_settings.connect(receivers.profile_follows, dispatch_uid="events.profile_follows")
        member_deleting.connect(receivers.remove_hosting, dispatch_uid="events.remove_hosting")
        member_exporting.connect(receivers.export_hosting, dispatch_uid="events.export_hosting")
        member_deleting.connect(
            receivers.remove_session_interests, dispatch_uid="events.remove_session_interests"
        )
