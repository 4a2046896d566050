import pytest
from django.core.management import call_command

from interviews.models import Interview

pytestmark = pytest.mark.django_db


def test_load_demo_publishes_the_seed_interview_and_one_more():
    call_command("load_demo", verbosity=0)
    published = Interview.objects.published()
    assert published.count() == 2
    adrian = published.get(slug="adrian-solitander")
    assert adrian.interviewee_name == "Adrian Solitander"
    assert adrian.interviewee_description == "en av initiativtagarna till One Team Gov i Sverige"
    assert adrian.questions.count() == 4
    assert adrian.portrait_square and adrian.portrait_alt
    assert adrian.author.email == "admin@example.org"
    assert [e.title for e in adrian.related_events.all()] == ["Digitala Strategidagarna – Offentlig Sektor"]  # noqa: RUF001
    other = published.exclude(pk=adrian.pk).get()
    assert other.questions.count() == 3
    assert other.portrait_thumb and other.portrait_alt


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", verbosity=0)
    before = list(Interview.objects.values_list("pk", "slug", "portrait", "published_at"))
    call_command("load_demo", verbosity=0)
    assert list(Interview.objects.values_list("pk", "slug", "portrait", "published_at")) == before


def test_load_demo_topic_page_lists_the_demo_interview(client):
    call_command("load_demo", verbosity=0)
    html = client.get("/intervjuer/?amne=klarspr%C3%A5k").content.decode()
    assert "Lova Exempeldotter: klarspråk börjar med att fråga den som läser" in html
    assert "Adrian Solitander" not in html
