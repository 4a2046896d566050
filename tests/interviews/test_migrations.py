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
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


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
