from django.db import migrations


class Migration(migrations.Migration):
    """JobFailure now belongs to otg.jobs, which took over its table (jobs 0001); nothing changes here."""

    dependencies = [
        ("site", "0002_every_tag_has_a_slug_and_one_name_per_case"),
        ("jobs", "0001_job_failure_moved_from_site"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="JobFailure")],
        ),
    ]
