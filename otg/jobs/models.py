from django.db import models
from django.utils.translation import gettext_lazy as _


class JobFailure(models.Model):
    """One failed attempt of a background job, with its error (otg.jobs.queue.record_failure).

    Procrastinate keeps a job's state and its events but not why it failed; the admin shows this
    beside the job, so staff can see what went wrong before they retry it.
    """

    job_id = models.BigIntegerField(_("job"), db_index=True)
    attempt = models.PositiveIntegerField(_("attempt"))
    error = models.TextField(_("error"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("job failure")
        verbose_name_plural = _("job failures")

    def __str__(self) -> str:
        return f"{self.job_id} #{self.attempt}: {self.error[:80]}"
