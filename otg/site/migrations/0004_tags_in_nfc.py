"""Tags stored before their names were normalised (otg.common.text.normalise_line): "öppna data"
typed in NFD was a second topic, "öppna-data_1", beside the one typed in NFC. Every name is brought
to NFC without invisible or bidi control characters; tags whose names then collide (ignoring case)
become one, the oldest, which gets every tagging of the others (once per tagged thing)."""

from django.db import migrations

from otg.common.text import normalise_line


def merge_tags(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    groups: dict[str, list] = {}
    for tag in Tag.objects.order_by("pk"):
        name = normalise_line(tag.name) or tag.name
        groups.setdefault(name.upper(), []).append((tag, name))
    for members in groups.values():
        (survivor, name), *others = members
        for tag, _name in others:
            for item in TaggedItem.objects.filter(tag=tag):
                carried = TaggedItem.objects.filter(
                    tag=survivor, content_type_id=item.content_type_id, object_id=item.object_id
                ).exists()
                if carried:
                    item.delete()
                else:
                    TaggedItem.objects.filter(pk=item.pk).update(tag=survivor)
            tag.delete()
        if survivor.name != name:
            Tag.objects.filter(pk=survivor.pk).update(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("site", "0003_job_failure_moves_to_jobs"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(merge_tags, migrations.RunPython.noop)]
