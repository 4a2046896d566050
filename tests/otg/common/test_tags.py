"""Every tag the portal stores has a non-empty, unique slug that its topic page resolves.

The many-input test draws names from letters (å, ä, ö, ß among them), digits, emoji, punctuation,
spaces, controls and line breaks, in any case, and stores them through the profile form and the
service; the admin and the migration have their own cases.
"""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from taggit.models import Tag

from members import services
from members.forms import ProfileForm
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db

NAME = st.lists(
    st.sampled_from([*"aAåÅäÄöÖß1", "🚀", "!", "-", "_", ".", " ", "\n", "\x0b", "'", "#", "/", "%", "?"]),
    max_size=12,
).map("".join)


def _resolves(client, tag: Tag) -> bool:
    return client.get(reverse("topic-detail", args=[tag.slug])).status_code == 200


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(NAME, max_size=4))
def test_any_interests_leave_only_tags_with_a_unique_slug_that_resolves(client, names):
    member = MemberFactory(is_public=True)
    form = ProfileForm(
        {"name": "Namn", "preferred_language": "sv", "interests": ", ".join(names), "is_public": "on"},
        instance=member,
    )
    if form.is_valid():
        services.member_profile_update(member=member, **form.profile_data())
    else:
        assert set(form.errors) == {"interests"}
    # The service is also called by code that skips the form.
    with contextlib.suppress(ValidationError):  # a name without letters or too long is refused
        services.member_profile_update(member=member, name="Namn", interests=names, is_public=True)
    slugs = list(Tag.objects.values_list("slug", flat=True))
    assert all(slugs) and len(set(slugs)) == len(slugs)
    names_upper = [name.upper() for name in Tag.objects.values_list("name", flat=True)]
    assert len(set(names_upper)) == len(names_upper)
    for tag in member.interests.all():
        assert _resolves(client, tag)
    assert client.get(reverse("topic-list")).status_code == 200
    assert client.get(member.get_absolute_url()).status_code == 200


def test_an_interest_of_only_an_emoji_is_refused_with_a_message():
    """The interests "🚀" and "!!!" gave the slug "", and the profile and /amnen/ answered 500 to everyone."""
    member = MemberFactory()
    form = ProfileForm(
        {"name": "Namn", "preferred_language": "sv", "interests": "🚀, !!!, data"}, instance=member
    )
    assert not form.is_valid()
    assert "🚀" in str(form.errors["interests"]) and "!!!" in str(form.errors["interests"])


def test_code_that_stores_a_name_without_letters_still_gets_a_slug(client):
    event = EventFactory()
    event.tags.add("🚀")
    tag = Tag.objects.get(name="🚀")
    assert tag.slug.startswith("amne-")
    assert _resolves(client, tag)
    assert client.get(reverse("topic-list")).status_code == 200


def test_case_makes_one_topic_but_a_swedish_letter_makes_another():
    member = MemberFactory()
    services.member_profile_update(member=member, name="Namn", interests=["Får", "får", "FÅR", "far"])
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["far", "Får"] or sorted(
        name.lower() for name in Tag.objects.values_list("name", flat=True)
    ) == ["far", "får"]
    other = MemberFactory()
    services.member_profile_update(member=other, name="Namn", interests=["FAR"])
    assert Tag.objects.count() == 2
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["far", "får"]


def test_the_admin_refuses_a_topic_that_differs_only_by_case(admin_client):
    Tag.objects.create(name="Klarspråk")
    response = admin_client.post(
        reverse("admin:taggit_tag_add"), {"name": "KLARSPRÅK", "slug": "klarsprak-2"}
    )
    assert response.status_code == 200
    assert Tag.objects.count() == 1


def test_a_deleted_member_leaves_no_tags_of_their_own():
    """After deletion the member's interests stayed on /amnen/."""
    member = MemberFactory()
    services.member_profile_update(member=member, name="Namn", interests=["rymdforskning", "data"])
    EventFactory().tags.add("data")
    services.member_delete(member=member)
    assert list(Tag.objects.values_list("name", flat=True)) == ["data"]


def _migrate(targets):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_the_migration_mends_tags_stored_before(client):
    try:
        _migrate([("site", None)])
        event = EventFactory()
        Tag.objects.bulk_create(
            [Tag(name="🚀", slug=""), Tag(name="Data", slug="data"), Tag(name="data", slug="data_1")]
        )
        event.tags.add(*Tag.objects.all())
        _migrate([("site", "0002_every_tag_has_a_slug_and_one_name_per_case")])
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Data", "🚀"]
    assert all(Tag.objects.values_list("slug", flat=True))
    assert event.tags.count() == 2
    for tag in Tag.objects.all():
        assert _resolves(client, tag)


@pytest.mark.parametrize("form_path", ["events.forms.EventAdminForm", "interviews.forms.InterviewAdminForm"])
def test_the_admins_tag_fields_refuse_a_name_without_letters(form_path):
    from django.utils.module_loading import import_string

    form = import_string(form_path)({"tags": "🚀, Data, data"})
    form.is_valid()
    assert "kan inte vara ett ämne" in str(form.errors["tags"])
