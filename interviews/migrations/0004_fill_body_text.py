from django.db import migrations


def fill_body_text(apps, schema_editor):
    """Interviews written before body_text existed: copy their questions and answers into it once.

    The same text as interviews.services.interview_body_text, on the historical models.
    """
    Interview = apps.get_model("interviews", "Interview")
    for interview in Interview.objects.prefetch_related("questions").iterator(chunk_size=200):
        parts = []
        for question in sorted(interview.questions.all(), key=lambda q: (q.order, q.pk)):
            parts += [question.question, question.answer]
        parts.append(interview.closing_text)
        body = "\n\n".join(part for part in parts if part)
        if body != interview.body_text:
            Interview.objects.filter(pk=interview.pk).update(body_text=body)


class Migration(migrations.Migration):
    dependencies = [("interviews", "0003_interview_search_columns")]

    operations = [migrations.RunPython(fill_body_text, migrations.RunPython.noop)]
