import pytest

from events.models import Event
from interviews.models import Interview
from members.models import Member
from tests.factories import EventFactory, InterviewFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "factory", "left_out"),
    [
        (Member, MemberFactory, ["search_vector", "search_text"]),
        (Event, EventFactory, ["search_vector", "search_text"]),
        (Interview, InterviewFactory, ["search_vector", "search_text", "body_text"]),
    ],
)
def test_default_querysets_leave_the_stored_search_columns_out(model, factory, left_out):
    factory()
    sql = str(model.objects.all().query)
    for column in left_out:
        assert f'"{column}"' not in sql
    assert model.objects.get().pk  # and the rows still load
