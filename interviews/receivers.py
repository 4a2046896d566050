"""How interviews take part in a member's data export (members/signals.py), in the topic pages
(otg.common.topics) and in the generations of cached pages (otg.common.caching)."""

from django.dispatch import receiver

from interviews.models import Interview, InterviewFollowNotification, Question
from members.signals import member_exporting
from otg.common import caching, topics


@receiver(member_exporting, dispatch_uid="interviews_export")
def interviews_export(sender, *, member, **kwargs) -> tuple[str, dict]:
    """The interviews a member wrote or was interviewed in, and those they were told of as a follower.

    Deletion needs no receiver: both links are SET_NULL, the interview itself is editorial content, and
    the record of what a follower was told goes with the member (CASCADE).
    """

    def describe(interview: Interview) -> dict:
        return {
            "title": interview.title,
            "status": interview.status,
            "published_at": interview.published_at.isoformat() if interview.published_at else None,
            "url": interview.get_absolute_url(),
        }

    return (
        "interviews",
        {
            "written": [describe(i) for i in Interview.objects.filter(author=member).order_by("pk")],
            "interviewed_in": [
                describe(i) for i in Interview.objects.filter(interviewee_member=member).order_by("pk")
            ],
            "told_of_as_follower": [
                {
                    "title": note.interview.title,
                    "url": note.interview.get_absolute_url(),
                    "sent": note.created_at.isoformat(),
                }
                for note in InterviewFollowNotification.objects.filter(member=member)
                .select_related("interview")
                .order_by("created_at", "pk")
            ],
        },
    )


def connect_generations() -> None:
    caching.bump_on_write(Interview, "interviews")
    caching.bump_on_write(Question, "interviews")
    caching.bump_on_m2m(Interview.related_events.through, "interviews")
    # A scheduled interview becomes public by itself when its time comes.
    caching.register_clock("interviews", lambda now: Interview.objects.scheduled(), "published_at")
    topics.register("interview", Interview, lambda: Interview.objects.published())
