from django.contrib.auth.management import create_permissions
from django.db import migrations

# The role that reviews members' proposals, beside staff. Staff put members in it from the admin.
ORGANISERS = "Arrangörer"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("events")
    app_config.models_module = True  # the migration state's stub lacks it; create_permissions checks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=ORGANISERS)
    group.permissions.add(Permission.objects.get(content_type__app_label="events", codename="moderate_event"))


def revoke(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ORGANISERS).delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0008_host_proposals_reviews_and_tools")]

    operations = [migrations.RunPython(grant, revoke)]
