"""The admin's topics and background jobs.

Topics: taggit's own page, with the rules of otg.common.tags for a new or renamed tag. Jobs:
Procrastinate's job admin, with the error of every failed attempt.
"""

from django import forms
from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django import app as procrastinate_app
from procrastinate.contrib.django.admin import ProcrastinateJobAdmin
from procrastinate.contrib.django.models import ProcrastinateJob
from taggit.admin import TagAdmin
from taggit.models import Tag

from otg.common.tags import clean_tag_names
from otg.common.text import CleanTextFormMixin
from otg.site.models import JobFailure


class TopicAdminForm(CleanTextFormMixin, forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        names = clean_tag_names([self.cleaned_data["name"]])
        if not names:
            raise forms.ValidationError(_("Give the topic a name."), code="required")
        name = names[0]
        if Tag.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("There is already a topic “%(name)s”: names that differ only by case are one topic."),
                code="tag_exists",
                params={"name": name},
            )
        return name


admin.site.unregister(Tag)


@admin.register(Tag)
class TopicAdmin(TagAdmin):
    form = TopicAdminForm


admin.site.unregister(ProcrastinateJob)


@admin.register(ProcrastinateJob)
class JobAdmin(ProcrastinateJobAdmin):
    """Procrastinate's job admin (retry, cancel, abort), with the error of every failed attempt."""

    list_display = [*ProcrastinateJobAdmin.list_display, "last_error"]
    fields = [*ProcrastinateJobAdmin.fields, "errors"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "errors"]

    def get_queryset(self, request):
        last = JobFailure.objects.filter(job_id=OuterRef("pk")).order_by("-at", "-pk").values("error")[:1]
        return super().get_queryset(request).annotate(last_error=Subquery(last)).order_by("-id")

    @admin.display(description=_("Last error"))
    def last_error(self, job: ProcrastinateJob) -> str:
        return job.last_error or _unknown_task(job)

    @admin.display(description=_("Errors"))
    def errors(self, job: ProcrastinateJob) -> str:
        failures = JobFailure.objects.filter(job_id=job.pk).order_by("attempt", "at")
        return (
            format_html_join("\n", "<p>{}: {} ({})</p>", ((f.attempt, f.error, f.at) for f in failures))
            or _unknown_task(job)
            or "-"
        )


def _unknown_task(job: ProcrastinateJob) -> str:
    """Why a job of a task this version no longer has failed: the worker fails it before any code of
    ours runs (so no JobFailure), and staff would otherwise see "failed" and nothing else."""
    if job.status != "failed" or job.task_name in procrastinate_app.tasks:
        return ""
    return _("TaskNotFound: no task is named “%(name)s” in this version (renamed or removed).") % {
        "name": job.task_name
    }
