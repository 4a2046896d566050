"""Growing past one machine is settings only: a read replica and S3-style media storage by environment."""

import subprocess
import sys

import pytest
from django.db import transaction
from taggit.models import Tag

from members.models import Member
from otg.db_router import ReplicaRouter
from tests.helpers.servers import ROOT, database_url, portal_env

router = ReplicaRouter()


def test_listed_apps_read_from_the_replica_and_everything_writes_to_the_primary(settings):
    settings.DATABASE_REPLICA_APPS = ["taggit"]
    assert router.db_for_read(Tag) == "replica"
    assert router.db_for_read(Member) == "default"
    assert router.db_for_write(Tag) == "default"
    assert router.allow_migrate("replica", "taggit") is False
    assert router.allow_migrate("default", "taggit") is True


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary(settings):
    settings.DATABASE_REPLICA_APPS = ["taggit"]
    assert router.db_for_read(Tag) == "replica"
    with transaction.atomic():
        assert router.db_for_read(Tag) == "default"


def test_an_instance_is_read_again_where_it_came_from(settings):
    settings.DATABASE_REPLICA_APPS = ["taggit"]
    tag = Tag(name="x")
    tag._state.db = "default"
    assert router.db_for_read(Tag, instance=tag) == "default"


SNIPPET = """
import django; django.setup()
from django.conf import settings
from django.core.files.storage import storages
from django.core.management import call_command
from taggit.models import Tag
call_command("check", fail_level="WARNING")
print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS, Tag.objects.all().db, Tag.objects.count())
replica, default = settings.DATABASES["replica"], settings.DATABASES["default"]
print(replica["ENGINE"], replica["CONN_HEALTH_CHECKS"], replica["OPTIONS"] == default["OPTIONS"])
print(type(storages["default"]).__name__, storages["default"].base_url)
"""


@pytest.mark.e2e
@pytest.mark.django_db
def test_replica_and_media_storage_are_set_by_environment_variables(settings):
    url = database_url(settings.DATABASES["default"])
    env = portal_env(
        DATABASE_URL=url,
        DATABASE_REPLICA_URL=url,  # the primary itself stands in for its replica here
        MEDIA_STORAGE_BACKEND="django.core.files.storage.InMemoryStorage",
        MEDIA_STORAGE_OPTIONS='{"base_url": "https://media.example.org/"}',
    )
    result = subprocess.run(
        [sys.executable, "-c", SNIPPET], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    routing, options, storage = result.stdout.strip().splitlines()[-3:]
    assert routing == "['default', 'replica'] ['otg.db_router.ReplicaRouter'] replica 0"
    # The replica is reached the way the primary is: Django's backend, health-checked, same options.
    assert options == "django.db.backends.postgresql True True"
    assert storage == "InMemoryStorage https://media.example.org/"
