from django.db import migrations, models


class Migration(migrations.Migration):
    """JobFailure moves from otg.site to otg.jobs with its rows: the table is renamed, not recreated."""

    initial = True

    dependencies = [
        ("site", "0002_every_tag_has_a_slug_and_one_name_per_case"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE site_jobfailure RENAME TO jobs_jobfailure",
                    "ALTER TABLE jobs_jobfailure RENAME TO site_jobfailure",
                ),
            ],
            state_operations=[
                migrations.CreateModel(
                    name="JobFailure",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("job_id", models.BigIntegerField(db_index=True, verbose_name="job")),
                        ("attempt", models.PositiveIntegerField(verbose_name="attempt")),
                        ("error", models.TextField(verbose_name="error")),
                        ("at", models.DateTimeField(auto_now_add=True, verbose_name="at")),
                    ],
                    options={
                        "verbose_name": "job failure",
                        "verbose_name_plural": "job failures",
                        "ordering": ["-at"],
                    },
                ),
            ],
        ),
    ]
