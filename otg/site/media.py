"""Do the stored files and the rows agree? Used by `manage.py media_check` and by the backup command."""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.db import models, router


@dataclass(frozen=True)
class MediaReport:
    unreferenced: list[str] = field(default_factory=list)  # stored files that no row names
    missing: list[str] = field(default_factory=list)  # "<model> <pk> <field>: <name>" whose file is gone

    def __bool__(self) -> bool:
        return bool(self.unreferenced or self.missing)

    def lines(self) -> list[str]:
        return [f"unreferenced file: {name}" for name in self.unreferenced] + [
            f"missing file: {row}" for row in self.missing
        ]


def _stored_names(storage: Storage, directory: str = "") -> set[str]:
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:  # no upload yet: no media folder
        return set()
    names = {f"{directory}{name}" for name in files}
    for folder in folders:
        names |= _stored_names(storage, f"{directory}{folder}/")
    return names


def media_check(storage: Storage = default_storage) -> MediaReport:
    """Every file under the media storage that no row references, and every row whose file is missing.

    Reads every model's file and image fields from the primary database (a replica may lag behind).
    """
    stored = _stored_names(storage)
    referenced: set[str] = set()
    missing = []
    for model in apps.get_models():
        for file_field in (f for f in model._meta.concrete_fields if isinstance(f, models.FileField)):
            if file_field.storage is not storage:
                continue
            rows = (
                model._base_manager.using(router.db_for_write(model))
                .exclude(**{file_field.attname: ""})
                .exclude(**{f"{file_field.attname}__isnull": True})
                .values_list("pk", file_field.attname)
            )
            for pk, name in rows.iterator():
                referenced.add(name)
                if name not in stored:
                    missing.append(f"{model._meta.label} {pk} {file_field.name}: {name}")
    return MediaReport(unreferenced=sorted(stored - referenced), missing=sorted(missing))
