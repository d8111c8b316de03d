"""A background job: what it imports, for whom, how far it is, and how it ended."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.models import ImportRun
from ictmonitor.core.problems import say
from ictmonitor.core.workkinds import WORK_KINDS


class Job(models.Model):
    """One import queued from a page, the API or `ictmonitor import --background`, or work
    another app registered (core/workkinds.py: a report pack, a release, a reallocation).

    The uploaded file is kept (`path`) until the job succeeds or its file is refused, so a job
    whose worker died can be run again. `host`, `pid` and `process_mark` name the worker process
    that runs it (core/processes.py): a running job whose process is gone is marked failed
    (jobs/abandoned.py), never "running" for ever.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    ENDED = (State.SUCCEEDED, State.REFUSED, State.FAILED)

    kind = models.CharField(_("kind"), max_length=40)
    file_name = models.CharField(_("file"), max_length=500)
    path = models.CharField(max_length=1000, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="jobs")
    actor = models.CharField(_("by"), max_length=150)
    provider = models.CharField(_("confined to provider"), max_length=40, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.QUEUED, db_index=True)
    phase = models.CharField(max_length=10, blank=True)
    rows_read = models.PositiveBigIntegerField(_("rows read"), default=0)
    rows_checked = models.PositiveBigIntegerField(_("rows checked"), default=0)
    rows_written = models.PositiveBigIntegerField(_("rows written"), default=0)
    bytes_read = models.PositiveBigIntegerField(default=0)
    problems_found = models.PositiveIntegerField(_("problems so far"), default=0)
    import_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # Why it was refused or failed: a message of the code (English, a gettext msgid) and its
    # named parameters, put into words when shown (`reason_text`), in the reader's language.
    reason = models.TextField(_("reason"), blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    seen = models.BooleanField(default=False)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    process_mark = models.CharField(max_length=100, blank=True)
    # Work other than an import (core/workkinds.py): what was asked, in which language, what
    # it came to, and the file it made (kept for its owner to download).
    parameters = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=8, blank=True)
    summary = models.CharField(_("result"), max_length=500, blank=True)
    output = models.CharField(max_length=1000, blank=True)
    output_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        indexes = [models.Index(fields=["user", "seen"])]

    def __str__(self) -> str:
        return f"job {self.pk}: {self.kind} {self.file_name} ({self.state})"

    def reason_text(self, language: str | None = None) -> str:
        """Why the job was refused or failed, in `language` (None: the active one); a reason
        stored before reasons kept their parameters is shown as written."""
        return say(self.reason, self.reason_params, language) if self.reason else ""

    @property
    def ended(self) -> bool:
        """Whether the job is over (succeeded, refused or failed)."""
        return self.state in self.ENDED

    @property
    def percent(self) -> int:
        """How much of the file has been read, 0 to 100."""
        if self.state == self.State.SUCCEEDED:
            return 100
        return min(100, int(100 * self.bytes_read / self.size)) if self.size else 0

    @property
    def is_work(self) -> bool:
        """Whether this job is registered work (a report pack, a release) and not an import."""
        return self.kind in WORK_KINDS

    @property
    def may_run_again(self) -> bool:
        """A failed import whose file is still kept, or failed work, can be run again."""
        return self.state == self.State.FAILED and (bool(self.path) or self.is_work)
