from django.db import migrations

from members.sites import name_the_site


def forwards(apps, schema_editor):
    name_the_site(apps.get_model("sites", "Site"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_create_member"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
