from django.db import migrations

# Events and interviews add their own permissions to this group in their own migrations, finding it by
# this exact name with get_or_create. It gets no permission on members.
EDITORS_GROUP = "Redaktörer"


def create_editors_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=EDITORS_GROUP)


def remove_editors_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("members", "0003_add_portrait_squares"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
