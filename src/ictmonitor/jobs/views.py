"""The job pages under /jobs/: my jobs, one job with its live progress and result, and the
import page (the upload pages of the provider feeds queue their jobs through `queue_from_form`).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ictmonitor.accounts.access import EVERY_ROLE, SEES_EVERY_SCHOOL, Role, access, role_of
from ictmonitor.core.ids import parsed_id
from ictmonitor.jobs import selectors
from ictmonitor.jobs.abandoned import run_again
from ictmonitor.jobs.forms import ImportForm
from ictmonitor.jobs.kept import forget, keep, offer_kept, show_kept
from ictmonitor.jobs.kinds import KINDS
from ictmonitor.jobs.models import Job
from ictmonitor.jobs.recognised import other_kind
from ictmonitor.jobs.uploads import MB, UploadRefused, max_upload_mb, queue_upload

PAGE_SIZE = 50


def job_url(pk: int) -> str:
    """The page of one job."""
    return f"{reverse('jobs:job')}?id={pk}"


def upload_form(request: HttpRequest, form_class: Any, **kwargs: Any) -> Any:
    """An upload page's form, offering the file the page kept when it last refused the form
    (jobs/kept.py): every upload page builds its form here and sends it to queue_from_form."""
    form = form_class(request.POST or None, request.FILES or None, **kwargs)
    form.kept = offer_kept(request, form)
    return form


def queue_from_form(request: HttpRequest, form: Any, kind: str | None = None
                    ) -> HttpResponse | None:
    """Queue the form's file as a job of `kind` (None: the form's `kind` field) and go to the
    job's page; None (the form carrying why) when the form or the upload is refused. A refused
    form keeps the file chosen with it, to be sent again without choosing it again."""
    if not form.is_valid():
        _keep_chosen(request, form)
        return None
    kind = kind or form.cleaned_data["kind"]
    found = other_kind(form.cleaned_data["file"], kind)  # a file of another kind: said here
    if found is not None:
        labels = {"found": KINDS[found].label, "chosen": KINDS[kind].label}
        if "kind" in form.fields:
            form.add_error("kind", _("This file looks like “%(found)s”, not “%(chosen)s”: "
                                     "choose “%(found)s” and send it again.") % labels)
        else:
            form.add_error("file", _("This file looks like “%(found)s”, not “%(chosen)s”: "
                                     "send it where those files are sent.") % labels)
        _keep_chosen(request, form)
        return None
    try:
        job = queue_upload(form.cleaned_data["file"], kind, request.user)
    except UploadRefused as refused:
        form.add_error("file", str(refused))
        return None
    forget(request)  # sent: a kept file went to the job (moved), or another was chosen
    messages.success(request, _("%(file)s is queued as job %(number)s. You may leave this page: "
                                "the job goes on, and My jobs shows how it ended.") % {
        "file": job.file_name, "number": job.pk})
    return redirect(job_url(job.pk))


def _keep_chosen(request: HttpRequest, form: Any) -> None:
    """Keep the file a refused form was sent with (not one too large to send)."""
    chosen = request.FILES.get("file")
    if chosen is not None and 0 < (chosen.size or 0) <= max_upload_mb() * MB:
        form.kept = keep(request, chosen)
        show_kept(form, form.kept)


@access(Role.ANALYST, Role.ADMIN)
def upload(request: HttpRequest) -> HttpResponse:
    """Import a file from the browser, as `ictmonitor import` does on the command line."""
    form = upload_form(request, ImportForm)
    if request.method == "POST":
        done = queue_from_form(request, form)
        if done is not None:
            return done
    return render(request, "jobs/upload.html", {"form": form})


@access(*EVERY_ROLE)
def jobs(request: HttpRequest) -> HttpResponse:
    """My jobs, newest first (the department may ask for everyone's with ?all=1)."""
    every = request.GET.get("all") == "1" and role_of(request.user) in SEES_EVERY_SCHOOL
    found = selectors.jobs_of(request.user) if every else selectors.own_jobs(request.user)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    for job in page:
        job.kind_label = selectors.kind_label(job.kind)  # type: ignore[attr-defined]
    return render(request, "jobs/jobs.html", {
        "page": page, "every": every,
        "may_see_every": role_of(request.user) in SEES_EVERY_SCHOOL})


@access(*EVERY_ROLE)
def job(request: HttpRequest) -> HttpResponse:
    """One job (?id=N; without it my latest): state, live progress, result. POST runs a failed
    job again with its kept file."""
    found = _job(request)
    if request.method == "POST" and found is not None:
        try:
            queued = run_again(found, request.user)
        except UploadRefused as refused:
            messages.error(request, str(refused))
        else:
            if queued:
                messages.success(request, _("Job %(number)s is queued again.") % {
                    "number": found.pk})
            else:
                messages.error(request, _("This job cannot be run again."))
        return redirect(job_url(found.pk))
    if found is not None:
        selectors.mark_seen(found, request.user)
    return render(request, "jobs/job.html", _context(found))


@access(*EVERY_ROLE)
def progress(request: HttpRequest) -> HttpResponse:
    """The job's state and progress, as the job page polls it (htmx) until the job ends."""
    found = _job(request)
    if found is not None and found.ended:
        selectors.mark_seen(found, request.user)
    return render(request, "jobs/_progress.html", _context(found))


@access(*EVERY_ROLE)
def output(request: HttpRequest) -> HttpResponse:
    """The file a finished job made (?id=N), for whoever may see the job; without an id, my
    latest job's page (as /jobs/job/ without one)."""
    if "id" not in request.GET:
        return render(request, "jobs/job.html", _context(_job(request)))
    found = _job(request)
    path = Path(found.output) if found is not None and found.output else None
    if found is None or found.state != Job.State.SUCCEEDED or path is None or not path.is_file():
        raise Http404("No file")
    answer = HttpResponse(path.read_bytes(), content_type=mimetypes.guess_type(
        found.output_name or path.name)[0] or "application/octet-stream")
    answer["Content-Disposition"] = content_disposition_header(
        True, found.output_name or path.name)
    return answer


def _job(request: HttpRequest) -> Job | None:
    given = request.GET.get("id") or request.POST.get("id")
    if given is None:
        return selectors.own_jobs(request.user).first()
    asked = parsed_id(given)
    found = selectors.job_for(request.user, asked) if asked is not None else None
    if found is None:
        raise Http404("No such job")
    return found


def _context(found: Job | None) -> dict[str, Any]:
    if found is None:
        return {"job": None}
    found.kind_label = selectors.kind_label(found.kind)  # type: ignore[attr-defined]
    return {"job": found, "refused": selectors.problems_of(found),
            "details": (found.import_run.details if found.import_run else None) or {}}
