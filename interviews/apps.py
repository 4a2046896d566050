from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self) -> None:
        from interviews import receivers  # connects the member export receiver on import

        receivers.connect_generations()

        from events.services.follows import DigestPart, follow_digest_register
        from interviews import services

        # A weekly follower of a topic hears of its new interviews in the same digest as its events.
        follow_digest_register(
            "interviews",
            DigestPart(
                heading=services.interview_digest_heading,
                claim=services.interview_digest_claim,
                items=services.interview_digest_items,
            ),
        )
