"""The jobs API: a queued upload answers 202 with its job; the job says how far it is and, once
ended, its result (the import's counts, or the problems that refused the file)."""

# No `from __future__ import annotations`: ninja reads the File/HttpResponse types at import time.
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.files import UploadedFile

from ictmonitor.api.auth import auth_user
from ictmonitor.api.common import api_language, errors
from ictmonitor.jobs import selectors
from ictmonitor.jobs.abandoned import run_again
from ictmonitor.jobs.models import Job
from ictmonitor.jobs.uploads import UploadRefused, queue_upload

router = Router(tags=["jobs"])
REFUSED_STATUS = {"too_large": 413, "forbidden": 403}
LISTED = 100


class JobResultOut(Schema):
    """What an ended job's import did, or why it did nothing."""

    import_id: int | None = Field(description="The import's number in the import history.")
    rows: int = Field(ge=0, description="Rows read.")
    created: int = Field(ge=0, description="New rows.")
    updated: int = Field(ge=0, description="Rows whose values changed.")
    unchanged: int = Field(ge=0)
    requests_confirmed: int | None = Field(
        None, description="Schools' requests a subscription feed confirmed.")
    warnings: list[str] = Field(description="e.g. columns not in the contract, ignored.")
    problems: list[str] = Field(description="A refused file's problems as FILE:LINE: column "
                                "NAME: what is wrong, in file order; a failed job's reason. "
                                "In English, or in Dutch when Accept-Language asks for nl.")
    total: int = Field(ge=0, description="How many problems (some may be left out of the list).")


class JobOut(Schema):
    """A background job: the one shape every upload answers with (202) and GET /jobs/{id}."""

    id: int = Field(description="The job's number.")
    url: str = Field(description="This job's address in the API: poll it for progress.")
    page: str = Field(description="The job's page in the browser.")
    kind: str = Field(description="What the file holds: `subscriptions`, `vouchers`, ...")
    file: str
    state: str = Field(description="`queued`, `running`, `succeeded`, `refused` (nothing "
                       "imported; see result.problems) or `failed` (nothing imported; may be "
                       "run again).")
    phase: str = Field(description="While running: `reading`, `checking` or `writing`.")
    rows_read: int = Field(ge=0)
    rows_checked: int = Field(0, ge=0, description="While checking a large file (in steps): "
                              "the rows checked so far.")
    rows_written: int = Field(0, ge=0, description="While writing a large file in slices "
                              "(SQLite) or steps (PostgreSQL): the rows written so far.")
    percent: int = Field(ge=0, le=100, description="How much of the file was read.")
    problems_found: int = Field(ge=0, description="Problems found so far.")
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: JobResultOut | None = Field(description="Once the job ended (not when queued or "
                                        "running).")
    summary: str = Field("", description="Work other than an import (a report pack, a "
                         "release): what it came to, in the language it was asked in.")
    output: str | None = Field(None, description="The address of the file the job made (a "
                               "report pack), once it succeeded.")


def job_out(job: Job, language: str = "en") -> dict[str, Any]:
    """A job as the API shows it, its problems in `language` (api_language: English unless
    the request asks for Dutch)."""
    path = reverse("api:get_job", kwargs={"job_id": job.pk})
    return {
        "id": job.pk, "url": path, "page": f"{reverse('jobs:job')}?id={job.pk}",
        "kind": job.kind, "file": job.file_name, "state": job.state, "phase": job.phase,
        "rows_read": job.rows_read, "rows_checked": job.rows_checked,
        "rows_written": job.rows_written, "percent": job.percent,
        "problems_found": job.problems_found, "queued_at": job.created_at,
        "started_at": job.started_at, "finished_at": job.finished_at,
        "result": _result(job, language) if job.ended else None,
        "summary": job.summary if job.is_work else "",
        "output": (f"{reverse('jobs:output')}?id={job.pk}"
                   if job.output and job.state == Job.State.SUCCEEDED else None),
    }


def _result(job: Job, language: str) -> dict[str, Any]:
    run = job.import_run
    listed = selectors.problems_of(job, language)
    return {
        "import_id": run.pk if run else None, "rows": run.rows if run else job.rows_read,
        "created": run.created if run else 0, "updated": run.updated if run else 0,
        "unchanged": run.unchanged if run else 0,
        "requests_confirmed": (run.details or {}).get("requests_confirmed") if run else None,
        "warnings": listed["warnings"], "problems": listed["problems"],
        "total": listed["total"],
    }


def queued_response(request: HttpRequest, response: HttpResponse, file: UploadedFile,
                    kind: str) -> Any:
    """What every upload operation answers: 202 with the job and its address (Location), or
    403/413 when the upload is refused before anything reads it."""
    try:
        job = queue_upload(file, kind, auth_user(request))
    except UploadRefused as refused:
        return Status(REFUSED_STATUS[refused.reason], {"detail": refused.text(
            api_language(request))})
    job.refresh_from_db()
    out = job_out(job, api_language(request))
    response["Location"] = out["url"]
    return Status(202, out)


QUEUED = {202: JobOut, **errors(400, 403, 413)}


@router.get("/jobs", response={200: list[JobOut], **errors()}, summary="List my jobs",
            operation_id="list_jobs")
def list_jobs(request: HttpRequest) -> Any:
    """The jobs you started, newest first (the latest 100)."""
    language = api_language(request)
    return [job_out(job, language) for job in selectors.own_jobs(auth_user(request))[:LISTED]]


@router.get("/jobs/{job_id}", response={200: JobOut, **errors(404)}, summary="A job",
            operation_id="get_job")
def get_job(request: HttpRequest, job_id: int) -> Any:
    """A job's state and progress; once it ended, its result. Yours only (the department may
    see every job); another's answers 404."""
    job = selectors.job_for(auth_user(request), job_id)
    if job is None:
        return Status(404, {"detail": "No such job."})
    return job_out(job, api_language(request))


@router.post("/jobs/{job_id}/run-again", response={202: JobOut, **errors(403, 404, 409)},
             summary="Run a failed job again", operation_id="run_job_again")
def run_job_again(request: HttpRequest, job_id: int) -> Any:
    """Queue a failed job (its worker died, or an error stopped it) again with its kept file.
    403 when you, or the job's owner in whose name it runs, may no longer do its work (the
    rules that queued it: a provider whose link ended, a role changed)."""
    user = auth_user(request)
    job = selectors.job_for(user, job_id)
    if job is None:
        return Status(404, {"detail": "No such job."})
    try:
        queued = run_again(job, user)
    except UploadRefused as refused:
        return Status(403, {"detail": refused.text(api_language(request))})
    if not queued:
        return Status(409, {"detail": "Only a failed job whose file is kept can be run again."})
    return Status(202, job_out(job, api_language(request)))
