"""Mend the tags stored before otg.common.tags: an empty slug gets one, and names that differ only by
case become one topic (the oldest tag keeps the items of the others). Then the database keeps both
promises: no empty slug, and upper(name) unique."""

import hashlib

from django.db import migrations
from django.utils.text import slugify


def _slug(name, taken):
    base = slugify(name, allow_unicode=True)[:90] or (
        "amne-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    )
    slug, n = base, 1
    while slug in taken:
        slug, n = f"{base}_{n}", n + 1
    return slug


def mend_tags(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    keep = {}
    for tag in Tag.objects.order_by("pk"):
        survivor = keep.setdefault(tag.name.upper(), tag)
        if survivor.pk == tag.pk:
            continue
        for item in TaggedItem.objects.filter(tag=tag):
            carried = TaggedItem.objects.filter(
                tag=survivor, content_type_id=item.content_type_id, object_id=item.object_id
            ).exists()
            if carried:
                item.delete()
            else:
                item.tag = survivor
                item.save(update_fields=["tag"])
        tag.delete()
    taken = set(Tag.objects.exclude(slug="").values_list("slug", flat=True))
    for tag in Tag.objects.filter(slug="").order_by("pk"):
        tag.slug = _slug(tag.name, taken)
        taken.add(tag.slug)
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("site", "0001_job_failure"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(mend_tags, migrations.RunPython.noop),
        migrations.RunSQL(
            "ALTER TABLE taggit_tag ADD CONSTRAINT taggit_tag_slug_not_empty CHECK (slug <> '');"
            "CREATE UNIQUE INDEX taggit_tag_name_upper_unique ON taggit_tag (upper(name));",
            "DROP INDEX taggit_tag_name_upper_unique;"
            "ALTER TABLE taggit_tag DROP CONSTRAINT taggit_tag_slug_not_empty;",
        ),
    ]
