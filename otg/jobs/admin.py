"""Procrastinate's job admin (retry, cancel, abort), with the error of every failed attempt."""

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django import app as procrastinate_app
from procrastinate.contrib.django.admin import ProcrastinateJobAdmin
from procrastinate.contrib.django.models import ProcrastinateJob

from otg.jobs.models import JobFailure

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
