"""Backups restore: demo data and media round-trip through `backup` and a restore into a fresh database."""

import re
from io import BytesIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image
from psycopg import sql

from otg.site.backup import RestoreRefused, backup_create, backup_restore, media_archive_for
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

FRESH = "otg_restore_check"
COUNT = sql.SQL("SELECT count(*) FROM {}")


def connect(database: dict, dbname: str):
    return psycopg.connect(host=database["HOST"], user=database["USER"], dbname=dbname, autocommit=True)


def row_counts(database: dict) -> dict[str, int]:
    with connect(database, database["NAME"]) as conn:
        tables = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'"
        ).fetchall()
        return {
            f"{schema}.{table}": conn.execute(COUNT.format(sql.Identifier(schema, table))).fetchone()[0]
            for schema, table in tables
        }


@pytest.fixture
def fresh_database(settings):
    source = settings.DATABASES["default"]
    with connect(source, "postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{FRESH}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{FRESH}"')
    yield {**source, "NAME": FRESH}
    with connect(source, "postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{FRESH}" WITH (FORCE)')


@pytest.fixture
def media_files(settings):
    root = settings.MEDIA_ROOT
    (root / "portraits").mkdir(parents=True)
    image = BytesIO()
    Image.new("RGB", (40, 30), "teal").save(image, "PNG")
    files = {"portraits/ada.png": image.getvalue(), "covers/möte 2026.jpg": b"\xff\xd8 not really a jpeg"}
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    return files


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.e2e
def test_backup_round_trips_every_table_and_the_media(settings, tmp_path, fresh_database, media_files):
    call_command("load_demo")
    # Rows name the extra files, as on a real site: the backup holds no stray file.
    MemberFactory(portrait="portraits/ada.png")
    EventFactory(cover_image="covers/möte 2026.jpg", cover_alt="Ett möte")
    source = settings.DATABASES["default"]
    before = row_counts(source)

    call_command("backup", directory=tmp_path / "backups")

    (dump,) = (tmp_path / "backups").glob("*.dump")
    assert re.fullmatch(r"otg-\d{8}T\d{6}Z\.dump", dump.name)
    assert media_archive_for(dump).is_file()

    restored_media = tmp_path / "restored-media"
    backup_restore(dump=dump, database=fresh_database, media_root=restored_media)

    after = row_counts(fresh_database)
    assert after == before
    assert before["public.members_member"] >= 1
    assert before["public.django_migrations"] > 10
    for name, content in media_files.items():
        assert (restored_media / name).read_bytes() == content
    # Every file, the demo's portraits and covers included, comes back byte for byte.
    assert tree(restored_media) == tree(Path(settings.MEDIA_ROOT))


@pytest.mark.e2e
def test_no_page_kept_before_a_restore_is_served_after_it(settings, tmp_path, fresh_database, client):
    """The shared cache (here the test database's, as Redis would be: outside the restored database) knows
    the generations of the data it served; what pg_restore writes reaches no model signal."""
    event = EventFactory(title="Frukostmöte i Umeå")
    assert "Frukostmöte i Umeå" in client.get("/evenemang/").content.decode()
    backup = backup_create(
        directory=tmp_path, database=settings.DATABASES["default"], media_root=settings.MEDIA_ROOT
    )
    # A write no signal or QuerySet reports (raw SQL, as pg_restore's) stands in for "the data is no
    # longer what the pages were kept from".
    with connection.cursor() as cursor:
        cursor.execute("UPDATE events_event SET title = %s WHERE id = %s", ["Frukostmöte i Luleå", event.pk])
    assert "Frukostmöte i Umeå" in client.get("/evenemang/").content.decode()  # still the kept page

    backup_restore(dump=backup.dump, database=fresh_database, media_root=tmp_path / "restored-media")

    page = client.get("/evenemang/").content.decode()
    assert "Frukostmöte i Luleå" in page
    assert "Frukostmöte i Umeå" not in page


@pytest.mark.e2e
def test_restore_refuses_a_database_that_is_not_empty(settings, tmp_path):
    call_command("load_demo")
    backup = backup_create(
        directory=tmp_path, database=settings.DATABASES["default"], media_root=settings.MEDIA_ROOT
    )
    before = row_counts(settings.DATABASES["default"])
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(backup.dump))
    assert row_counts(settings.DATABASES["default"]) == before


def test_restore_refuses_a_missing_media_archive(tmp_path, fresh_database):
    dump = tmp_path / "otg-20260101T000000Z.dump"
    dump.write_bytes(b"PGDMP")
    with pytest.raises(RestoreRefused, match="no media archive"):
        backup_restore(dump=dump, database=fresh_database, media_root=tmp_path / "media")


@pytest.mark.e2e
@pytest.mark.media_inconsistent("files that no row names, for the backup to warn about")
def test_backup_warns_when_media_and_rows_disagree(tmp_path, media_files):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("backup", directory=tmp_path / "backups", stdout=out, stderr=err)
    assert "Database:" in out.getvalue()  # the backup is written all the same
    assert "disagree" in err.getvalue()
    assert "unreferenced file: portraits/ada.png" in err.getvalue()


@pytest.mark.e2e
def test_backup_says_nothing_more_when_media_and_rows_agree(tmp_path):
    from io import StringIO

    err = StringIO()
    call_command("backup", directory=tmp_path / "backups", stdout=StringIO(), stderr=err)
    assert err.getvalue() == ""
