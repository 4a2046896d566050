import pytest

from members.models import Member
from members.signals import member_exporting
from tests.factories import InterviewFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_member_export_lists_interviews_written_and_given():
    member = MemberFactory()
    written = InterviewFactory(title="Skrev jag", author=member)
    given = InterviewFactory(title="Om mig", interviewee_member=member, status="draft", published_at=None)
    InterviewFactory(title="Någon annans")
    answers = dict(result for _, result in member_exporting.send(sender=Member, member=member))
    assert [i["title"] for i in answers["interviews"]["written"]] == ["Skrev jag"]
    assert answers["interviews"]["interviewed_in"] == [
        {"title": "Om mig", "status": "draft", "published_at": None, "url": given.get_absolute_url()}
    ]
    assert answers["interviews"]["written"][0]["url"] == written.get_absolute_url()


def test_member_deletion_keeps_the_interview_without_the_link():
    member = MemberFactory()
    interview = InterviewFactory(author=member, interviewee_member=member)
    member.delete()
    interview.refresh_from_db()
    assert (interview.author, interview.interviewee_member) == (None, None)
