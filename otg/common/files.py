"""Stored files that follow the database transaction they belong to.

The database commits or rolls back rows; files on disk (or S3) do neither. A service that stores new
files and drops old ones keeps rows and files in agreement with these three pieces:

- ``files_atomic()`` is ``transaction.atomic()`` that also remembers every file written inside it
  through ``file_save``: when the block rolls back, those files are removed again. Nested inside another
  ``files_atomic()``, a block that succeeds hands its files to the enclosing one, so a rollback further
  out removes them as well. (A plain ``transaction.atomic()`` further out cannot be watched: Django has
  no rollback hook. Entry points that write files, such as the admin's change view, use this one.)
- ``file_save(field, content)`` writes a new file under the field's storage and remembers it.
- ``files_delete_on_commit(files)`` removes old files only after the outermost transaction commits, so
  a rollback leaves the row pointing at files that still exist.
"""

import logging
from collections.abc import Iterable
from contextlib import ContextDecorator
from functools import partial

from django.contrib import messages
from django.core.files.base import File
from django.db import DatabaseError, router, transaction
from django.db.models.fields.files import FieldFile
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

_STACK = "_otg_written_files"


def _stack(using: str | None) -> list:
    connection = transaction.get_connection(using)
    return connection.__dict__.setdefault(_STACK, [])


def _remove(files: Iterable[tuple]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # a file that cannot be removed is left for media_check to report
            logger.exception("Could not remove %s", name)


def _undo(written: list[tuple]) -> None:
    """Remove the files written, and give the fields in memory back the names the rows still hold."""
    for field, name, old_name in reversed(written):
        _remove([(field.storage, name)])
        setattr(field.instance, field.field.attname, old_name)


class files_atomic(ContextDecorator):
    """transaction.atomic() that removes the files written inside it if it rolls back."""

    def __init__(self, using: str | None = None):
        self.using = using

    def __enter__(self):
        atomic = transaction.atomic(using=self.using)
        # Each call keeps its own state on the connection (one per thread), so one decorated
        # function may run in many threads and call itself.
        _stack(self.using).append((atomic, []))
        atomic.__enter__()

    def __exit__(self, exc_type, exc_value, traceback):
        stack = _stack(self.using)
        atomic, written = stack.pop()
        try:
            atomic.__exit__(exc_type, exc_value, traceback)
        except BaseException:  # the commit itself failed: the rows are gone, so are the files
            _undo(written)
            raise
        if exc_type is not None:
            _undo(written)
        elif stack:
            stack[-1][1].extend(written)
        return False


def file_save(field: FieldFile, content: File, *, using: str | None = None) -> str:
    """Write ``content`` as the field's new file (the row is not saved) and return the stored name.

    Inside ``files_atomic()`` the file is removed again if the transaction rolls back, and the field
    in memory gets its old name back, as the row has.
    """
    old_name = field.name
    field.save(content.name, content, save=False)
    stack = _stack(using)
    if stack:
        stack[-1][1].append((field, field.name, old_name))
    return field.name


def stored_files(instance, *field_names: str, using: str | None = None) -> list[FieldFile]:
    """The row's files as the database holds them now, whatever the instance in memory says."""
    names = type(instance)._base_manager.using(using or router.db_for_write(type(instance)))
    names = names.filter(pk=instance.pk).values_list(*field_names).first() or ()
    files = []
    for field_name, name in zip(field_names, names, strict=False):
        field = instance._meta.get_field(field_name)
        if name:
            files.append(field.attr_class(instance, field, name))
    return files


def files_delete_on_commit(files: Iterable[FieldFile], *, using: str | None = None) -> None:
    """Remove these stored files once the transaction commits (at once outside a transaction)."""
    doomed = [(f.storage, f.name) for f in files if f]
    if doomed:
        # A partial, not a lambda: the tests' media check (tests/conftest.py) recognises the removals
        # still waiting for a commit that a test's own transaction never makes.
        transaction.on_commit(partial(_remove, doomed), using=using)


class FilesAtomicAdmin:
    """A ModelAdmin mixin: the whole change (form, row, files, inlines, tags) is stored, or nothing is.

    Django already runs the change view in one transaction; this one also removes the files written
    in it when it rolls back, and turns a database failure into one message instead of an error page.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with files_atomic(using=router.db_for_write(self.model)):
                return super().changeform_view(request, object_id, form_url, extra_context)
        except DatabaseError:
            logger.exception("The admin could not save %s %s", self.model._meta.label, object_id)
            self.message_user(
                request,
                _("Nothing was saved: the database refused the change. Please try again."),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
