"""The one upload path: a file, a kind and the acting user become a queued job.

The import page, the two feed pages, the two feed APIs and `ictmonitor import --background`
all come here: the scope (a provider only its own rows) is decided by accounts.access, the size
checked, the file kept for the job (and for running it again), and the job queued.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_noop as _

from ictmonitor.accounts.access import import_scope
from ictmonitor.core.problems import say
from ictmonitor.core.workkinds import WORK_KINDS
from ictmonitor.jobs.kinds import kind_of
from ictmonitor.jobs.models import Job
from ictmonitor.jobs.tasks import enqueue
from ictmonitor.jobs.work import new_work_job

MB = 1024 * 1024
CHUNK = MB


class UploadRefused(Exception):
    """An upload not taken: too large (`too_large`), or not this user's to send (`forbidden`).
    Its message (a msgid with named parameters) is put into words in the reader's language:
    `text(language)`, or str() in the active one (a page's)."""

    def __init__(self, reason: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.params = params

    def text(self, language: str | None = None) -> str:
        """Why, in `language` (None: the active one)."""
        return say(self.message, self.params, language)

    def __str__(self) -> str:
        return self.text()


def max_upload_mb() -> float:
    """The largest file an upload takes, in MB (setting IMPORT_MAX_UPLOAD_MB, default 200)."""
    return float(getattr(settings, "IMPORT_MAX_UPLOAD_MB", 200))


def kept_dir() -> Path:
    """Where a job's file is kept until the job no longer needs it; made on first use.

    A folder of its own under uploads/: core/unfinished.py removes the loose copies there whose
    process is gone, and a job's file must outlive the process that received it.
    """
    path = Path(settings.DATA_DIR) / "uploads" / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def queue_upload(upload: Any, kind: str, user: Any) -> Job:
    """Queue an uploaded file (a Django UploadedFile) as an import of `kind` in the user's name.

    Raises UploadRefused when the user may not send this kind or the file is too large; the
    file is then never read.
    """
    scope = _scope(user, kind)
    size = upload.size or 0
    if size > max_upload_mb() * MB:
        raise UploadRefused("too_large", _(
            "This file is %(size)s MB; files of at most %(limit)s MB can be uploaded. Ask an "
            "operator to import it with the ictmonitor import command."),
            size=f"{size / MB:.1f}", limit=f"{max_upload_mb():g}")
    name = Path(upload.name or "upload.csv").name
    kept = _keep(name, lambda out: [out.write(c) for c in upload.chunks(CHUNK)],
                 moved=_temporary_path(upload))
    return _queue(kind, name, kept, user=user, actor=user.get_username(), provider=scope)


def queue_file(path: Path, kind: str, *, user: Any, actor: str,
               provider: str | None = None) -> Job:
    """Queue a file on disk (`ictmonitor import KIND FILE --background`): a copy is kept, so the
    file may change or go once the command ends. The command line may import every row, or
    confine a provider's feed to `provider` (its --provider) as the foreground import does."""
    kind_of(kind)
    with path.open("rb") as source:
        kept = _keep(path.name, lambda out: shutil.copyfileobj(source, out, CHUNK))
    return _queue(kind, path.name, kept, user=user, actor=actor, provider=provider)


def queue_work(kind: str, parameters: dict[str, Any], user: Any, title: str) -> Job:
    """Queue registered work (core/workkinds.py: a report pack, a release) in the user's name:
    the pages that offer it reach this through core.workkinds.queue_work."""
    job = new_work_job(kind, parameters, user, title)
    enqueue(job)
    return job


def check_run_again(job: Job, user: Any | None) -> None:
    """Raise UploadRefused ("forbidden") unless the job may be queued again now by the rules
    that queued it first: whoever asks may still send a file of its kind with a scope that
    covers the job's rows (accounts.access.import_scope), or queue work of its kind; and so may
    the job's owner, in whose name it runs again (a provider whose link ended, a user whose
    role changed, no longer may). `user` None is the operator at the command line, who may
    import anything, as `ictmonitor import` may (the owner is still asked; a job queued from
    the command line has none)."""
    owner = job.user
    asking = [] if user is None else [user]
    for person in [*asking, *([owner] if owner is not None and owner not in asking else [])]:
        if not _may_queue(job, person):
            if person is user:
                raise UploadRefused("forbidden", _(
                    "You may not run this job again: it is no longer yours to do."))
            raise UploadRefused("forbidden", _(
                "This job is not run again: %(owner)s, in whose name it runs, may no longer "
                "do it."), owner=person.get_username())


def _may_queue(job: Job, user: Any) -> bool:
    if job.is_work:
        return WORK_KINDS[job.kind].may_queue(user)
    if not user.is_active:
        return False
    try:
        scope = _scope(user, job.kind)
    except UploadRefused:
        return False
    return scope is None or scope == job.provider  # the department, or the same provider


def _scope(user: Any, kind: str) -> str | None:
    try:
        feed = kind_of(kind).provider_feed
    except KeyError:
        raise UploadRefused("forbidden", _("Files of this kind are not imported here.")) from None
    try:
        return import_scope(user, provider_feed=feed)
    except PermissionDenied:
        raise UploadRefused("forbidden", _(
            "Only a provider linked to its account, or the department, may send this file.")
        ) from None


def _temporary_path(upload: Any) -> Path | None:
    """Where Django spooled a large upload on disk, if it did."""
    path = getattr(upload, "temporary_file_path", None)
    return Path(path()) if callable(path) else None


def _keep(name: str, write: Any, moved: Path | None = None) -> Path:
    """The kept copy of a file (named after the upload, for whoever looks at the folder): the
    file Django spooled to disk moved there when it can be (no second copy of a large upload;
    Django then finds nothing to delete), else written by `write`."""
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in Path(name).stem)[:80]
    handle, kept = tempfile.mkstemp(dir=kept_dir(), prefix=f"{stem}-", suffix=".csv")
    if moved is not None:
        os.close(handle)
        try:
            os.replace(moved, kept)  # the same file system: a rename
            os.chmod(kept, 0o600)
            return Path(kept)
        except OSError:
            handle = os.open(kept, os.O_WRONLY | os.O_TRUNC)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
    except BaseException:
        Path(kept).unlink(missing_ok=True)
        raise
    return Path(kept)


def _queue(kind: str, name: str, kept: Path, *, user: Any, actor: str,
           provider: str | None) -> Job:
    try:
        job = Job.objects.create(kind=kind, file_name=name, path=str(kept),
                                 size=kept.stat().st_size, user=user, actor=actor,
                                 provider=provider or "")
    except BaseException:
        kept.unlink(missing_ok=True)
        raise
    enqueue(job)
    return job
