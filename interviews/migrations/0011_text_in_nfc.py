"""Interviews' text stored before it was normalised where it is stored (otg.common.normalised):
titles, interviewees' names and descriptions, introductions, questions and answers in NFC without
control characters."""

from django.db import migrations

from otg.common.normalised import normalise_rows


def normalise(apps, schema_editor):
    normalise_rows(
        apps.get_model("interviews", "Interview"),
        lines=("title", "interviewee_name", "interviewee_description", "portrait_alt"),
        texts=("introduction", "closing_text"),
    )
    normalise_rows(apps.get_model("interviews", "Question"), texts=("question", "answer"))


class Migration(migrations.Migration):
    dependencies = [("interviews", "0010_interview_follow_notification")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
