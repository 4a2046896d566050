from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS_GROUP = "Redaktörer"
MODELS = ["interview", "question"]
ACTIONS = ["add", "change", "delete", "view"]


def grant_editors(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); make ours exist now.
    # The migration state's app config is a stub without models_module, which create_permissions checks.
    app_config = apps.get_app_config("interviews")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="interviews", codename__in=codenames)
    )


def revoke_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editors in Group.objects.filter(name=EDITORS_GROUP):
        editors.permissions.remove(*Permission.objects.filter(content_type__app_label="interviews"))


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0001_create_interview"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_editors, revoke_editors)]
