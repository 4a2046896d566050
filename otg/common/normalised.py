"""The model side of otg.common.text: text stored normalised, whatever path saves it.

Kept apart from otg.common.text, which forms import before the app registry is ready.
"""

from django.core.exceptions import ValidationError
from django.db import models

from otg.common.text import normalise_email, normalise_line, normalise_name, normalise_text


class NormalisedTextModel(models.Model):
    """A model whose text fields are stored normalised, whatever path saves them.

    ``save()`` and ``clean_fields()`` (the admin's and every ModelForm's validation) normalise the
    fields named in ``TEXT_FIELDS`` (many lines), ``LINE_FIELDS`` (one line), ``NAME_FIELDS`` (one
    line with a letter or digit) and ``EMAIL_FIELDS``. ``update()`` and ``bulk_create()`` do not call
    ``save()``: code that writes text through them normalises it itself.
    """

    TEXT_FIELDS: tuple[str, ...] = ()
    LINE_FIELDS: tuple[str, ...] = ()
    NAME_FIELDS: tuple[str, ...] = ()
    EMAIL_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        self.normalise_text_fields(None if update_fields is None else set(update_fields))
        super().save(*args, **kwargs)

    def normalise_text_fields(self, fields=None) -> None:
        errors = {}
        for names, normalise in (
            (self.TEXT_FIELDS, normalise_text),
            (self.LINE_FIELDS, normalise_line),
            (self.NAME_FIELDS, normalise_name),
            (self.EMAIL_FIELDS, normalise_email),
        ):
            for name in names:
                if fields is not None and name not in fields:
                    continue
                value = getattr(self, name)
                if isinstance(value, str):
                    try:
                        setattr(self, name, normalise(value))
                    except ValidationError as error:
                        errors[name] = error.error_list
        if errors:
            raise ValidationError(errors)

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        try:
            self.normalise_text_fields()
        except ValidationError as error:
            errors = {name: value for name, value in error.error_dict.items() if name not in exclude}
            if errors:
                raise ValidationError(errors) from None
        super().clean_fields(exclude=exclude)


def normalise_rows(model, *, lines=(), texts=(), emails=()) -> list:
    """Bring the stored rows of ``model`` (a data migration's historical model) to the normal form:
    ``lines`` and ``texts`` as ``normalise_line``/``normalise_text``, ``emails`` as ``normalise_email``.

    Written with ``update()``, row by row, and only where a value changes. A line that would become
    empty (a name of invisible characters only) is kept as it is: no row loses its only name. Returns
    the rows whose e-mail address could not change because another row holds it already (the unique
    constraint refused it): people are not merged, the caller reports them.
    """
    from django.db import IntegrityError, transaction

    refused = []
    fields = [*lines, *texts, *emails]
    for row in model._base_manager.only("pk", *fields).order_by("pk").iterator():
        changes = {}
        for name in fields:
            value = getattr(row, name)
            if not isinstance(value, str) or not value:
                continue
            if name in emails:
                new = normalise_email(value)
            elif name in lines:
                new = normalise_line(value) or value
            else:
                new = normalise_text(value)
            if new != value:
                changes[name] = new
        if not changes:
            continue
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=row.pk).update(**changes)
        except IntegrityError:
            addresses = {name: changes.pop(name) for name in emails if name in changes}
            refused.append((row.pk, addresses))
            if changes:
                model._base_manager.filter(pk=row.pk).update(**changes)
    return refused
