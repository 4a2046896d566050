"""Tags (topics, interests): every tag the portal stores has a non-empty, unique slug that its topic
page (/amnen/<slug>/) resolves, however it was made: sign-up, the profile, the admin or a service.

The decisions:

- A name without a letter or a digit ("🚀", "!!!") would have the slug "": every form refuses it with
  a message. Code that stores one anyway (a service, an import, the shell) gets a fallback slug,
  "amne-" and ten hex digits of the name, so no page can break; the database refuses an empty slug.
- Names that differ only by case are one topic: lookups ignore case (TAGGIT_CASE_INSENSITIVE), names
  are deduplicated ignoring case before they are stored, and the database keeps upper(name) unique.
  Å, ä and ö are letters of their own: "får" and "far" stay two topics, with two slugs.
- A name holds at most 100 characters (taggit's column), one line, spaces collapsed, in NFC and
  without invisible or bidi control characters (otg.common.text.normalise_line), whatever path adds
  it: taggit's manager normalises the names it is given before it looks them up, so "öppna data"
  typed in NFD finds the topic typed in NFC instead of making "öppna-data_1" beside it, and a tag
  saved directly is normalised before it is stored.
"""

import hashlib
from collections.abc import Iterable

import taggit.forms
import taggit.managers
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

from otg.common.text import normalise_line

MAX_LENGTH = 100


def tag_slug(name: str) -> str:
    """The slug taggit gives a name (Unicode letters kept), or "" when it has no letter or digit."""
    from taggit.models import Tag

    return Tag().slugify(name)


def tag_name(name: str) -> str:
    """A tag's name as stored: one normalised line."""
    return normalise_line(name)


def fallback_slug(name: str) -> str:
    return "amne-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def clean_tag_names(names: Iterable[str]) -> list[str]:
    """The names as they will be stored, each once whatever its case; ValidationError names each bad one."""
    kept: dict[str, str] = {}
    errors = []
    for raw in names:
        name = tag_name(str(raw))
        if not name:
            continue
        if len(name) > MAX_LENGTH:
            errors.append(
                ValidationError(
                    _("“%(start)s…” is too long for a topic: at most %(max)s characters."),
                    code="tag_too_long",
                    params={"start": name[:30], "max": MAX_LENGTH},
                )
            )
        elif not tag_slug(name):
            errors.append(
                ValidationError(
                    _("“%(name)s” cannot be a topic: use at least one letter or digit."),
                    code="tag_no_letters",
                    params={"name": name},
                )
            )
        else:
            kept.setdefault(name.upper(), name)
    if errors:
        raise ValidationError(errors)
    return list(kept.values())


class TagField(taggit.forms.TagField):
    """taggit's comma-separated tag field, checked by ``clean_tag_names``."""

    def clean(self, value):
        return clean_tag_names(super().clean(value))


class _NormalisingTaggableManager(taggit.managers._TaggableManager):
    """taggit's related manager (``member.interests``), which normalises names before it looks them up."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        tags = [tag_name(tag) if isinstance(tag, str) else tag for tag in tags]
        return super()._to_tag_model_instances([tag for tag in tags if tag != ""], tag_kwargs)


class TaggableManager(taggit.managers.TaggableManager):
    """taggit's manager whose form field (in every ModelForm and the admin) is ``TagField``, and whose
    related manager normalises names."""

    def __init__(self, *args, manager=_NormalisingTaggableManager, **kwargs):
        super().__init__(*args, manager=manager, **kwargs)

    def formfield(self, form_class=TagField, **kwargs):
        return super().formfield(form_class=form_class, **kwargs)


def _never_an_empty_slug(sender, instance, **kwargs):
    instance.name = tag_name(instance.name)
    if not instance.slug:
        instance.slug = tag_slug(instance.name) or fallback_slug(instance.name)


def connect_signals() -> None:
    """Called once from otg.site's AppConfig.ready()."""
    from taggit.models import Tag

    pre_save.connect(_never_an_empty_slug, sender=Tag, dispatch_uid="otg-tag-slug")


def tags_delete_unused(tag_ids: Iterable[int]) -> None:
    """Delete those of the given tags that nothing carries any more (their names were someone's words)."""
    from taggit.models import Tag

    Tag.objects.filter(pk__in=list(tag_ids), taggit_taggeditem_items__isnull=True).delete()
