import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db

BEFORE = [("interviews", "0001_create_interview")]
AFTER = [("interviews", "0002_grant_editors_interview_permissions")]
EXPECTED = {
    f"{action}_{model}"
    for model in ("interview", "question")
    for action in ("add", "change", "delete", "view")
}


def migrate(targets):
    # The test's own transaction holds deferred foreign-key checks from the rows it made; PostgreSQL
    # builds no index on a table with such pending checks, so let them fire first.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture(autouse=True)
def _back_to_the_latest_migrations():
    """Later tests (in a reused database too) need the schema of the newest migrations."""
    yield
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def test_migration_fills_body_text_of_earlier_interviews():
    from tests.factories import InterviewFactory, QuestionFactory

    interview = InterviewFactory(closing_text="Tack för samtalet.")
    QuestionFactory(interview=interview, question="Vad gör du?", answer="Jag leder kulturförändringen.")
    migrate([("interviews", "0003_interview_search_columns")])
    migrate([("interviews", "0004_fill_body_text")])
    interview.refresh_from_db()
    assert interview.body_text == "Vad gör du?\n\nJag leder kulturförändringen.\n\nTack för samtalet."


def editor_codenames() -> set[str]:
    group = Group.objects.get(name="Redaktörer")
    return set(
        group.permissions.filter(content_type__app_label="interviews").values_list("codename", flat=True)
    )


def test_migration_grants_the_editors_group_every_interview_permission():
    migrate(BEFORE)
    Group.objects.filter(name="Redaktörer").delete()
    Permission.objects.filter(content_type__app_label="interviews").delete()
    migrate(AFTER)
    assert editor_codenames() == EXPECTED


def test_migration_backwards_revokes_only_interview_permissions():
    # From 0001 up, since a reused test database may come from a flush that removed the group.
    migrate(BEFORE)
    migrate(AFTER)
    group = Group.objects.get(name="Redaktörer")
    other = Permission.objects.get(codename="view_group")
    group.permissions.add(other)
    migrate(BEFORE)
    assert editor_codenames() == set()
    assert group.permissions.filter(pk=other.pk).exists()
    migrate(AFTER)
    assert editor_codenames() == EXPECTED
