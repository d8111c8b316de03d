"""The file chosen on an upload page, kept when the page refuses the form (issue 17 item 4).

A browser empties a file field whenever a page comes back: someone who forgot what the file
holds would have to find the file again. So a refused form keeps the file it was sent with, in
`DATA_DIR/uploads/kept/` under a random name that only this session knows (so only the same
user, while signed in), and the page says "Chosen file: NAME (kept) — send again, or choose
another"; sending the form again without a new file uses the kept one, which then goes to the
job like any upload (moved, not copied). Each upload page keeps its own (by its path); a kept
file is forgotten after KEPT_FOR, and removed with the next one kept or used by anyone.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

SESSION_KEY = "kept_uploads"
KEPT_FOR = 3600  # seconds a kept file waits to be sent again
CHUNK = 1024 * 1024


def kept_dir() -> Path:
    """Where kept files wait; made on first use (a folder of its own: core/unfinished.py removes
    only the loose copies in uploads/ itself)."""
    path = Path(settings.DATA_DIR) / "uploads" / "kept"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class Kept:
    """A file kept for this session's upload page: its name as chosen, where it waits."""

    name: str
    path: Path
    size: int

    def as_upload(self) -> KeptFile:
        """The kept file as the form's upload, as if chosen again."""
        return KeptFile(self.path, self.name, self.size)


class KeptFile(UploadedFile):
    """A kept file handed to a form as an upload: named as chosen; the upload path moves it
    (`temporary_file_path`, as Django's own spooled uploads) instead of copying it, and reads
    it (`chunks`) only if it cannot."""

    def __init__(self, path: Path, name: str, size: int) -> None:
        super().__init__(None, name=name, content_type="text/csv", size=size)
        self._path = path

    def temporary_file_path(self) -> str:
        return str(self._path)

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        with self._path.open("rb") as source:
            while data := source.read(chunk_size or CHUNK):
                yield data


class KeptFileInput(forms.FileInput):
    """A file field that says which file is kept, if one is, before its input."""

    template_name = "jobs/widgets/kept_file.html"

    def __init__(self, kept_name: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.kept_name = kept_name

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["kept_name"] = self.kept_name
        if widget["attrs"].get("id"):  # the note read with the field, before its help text
            described = [f"{widget['attrs']['id']}_kept", widget["attrs"].get("aria-describedby")]
            widget["attrs"]["aria-describedby"] = " ".join(d for d in described if d)
        return context


def kept_for(request: HttpRequest) -> Kept | None:
    """The file kept for this page in this session, if it is there still and not expired."""
    entry = request.session.get(SESSION_KEY, {}).get(request.path)
    if not entry:
        return None
    path = kept_dir() / str(entry.get("file", ""))
    if time.time() - float(entry.get("at", 0)) > KEPT_FOR or not path.is_file() \
            or path.parent != kept_dir():
        forget(request)
        return None
    return Kept(str(entry["name"]), path, int(entry.get("size", 0)))


def keep(request: HttpRequest, upload: Any) -> Kept:
    """Keep the file the refused form was sent with, for this page in this session (the one
    kept before for it goes)."""
    forget(request)
    _remove_expired()
    name = Path(upload.name or "upload.csv").name
    path = kept_dir() / f"{secrets.token_urlsafe(18)}.csv"
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in upload.chunks(CHUNK):
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    entries = dict(request.session.get(SESSION_KEY, {}))
    entries[request.path] = {"file": path.name, "name": name, "size": path.stat().st_size,
                             "at": time.time()}
    request.session[SESSION_KEY] = entries
    return Kept(name, path, path.stat().st_size)


def forget(request: HttpRequest, *, remove: bool = True) -> None:
    """This page's kept file is no longer offered (and removed, unless it went to a job)."""
    entries = dict(request.session.get(SESSION_KEY, {}))
    entry = entries.pop(request.path, None)
    if entry is None:
        return
    if remove:
        with contextlib.suppress(OSError):
            (kept_dir() / Path(str(entry.get("file", ""))).name).unlink(missing_ok=True)
    request.session[SESSION_KEY] = entries


def _remove_expired() -> None:
    """Remove the kept files nobody sent again in time (any session's)."""
    now = time.time()
    for path in kept_dir().iterdir():
        with contextlib.suppress(OSError):
            if path.is_file() and now - path.stat().st_mtime > KEPT_FOR:
                path.unlink()


def offer_kept(request: HttpRequest, form: forms.Form, field: str = "file") -> Kept | None:
    """Offer this page's kept file on its form: the field says so and may be left empty; a
    form sent without a new file gets the kept one."""
    kept = kept_for(request)
    if kept is None:
        return None
    show_kept(form, kept, field)
    if form.is_bound and not form.files.get(field):
        files = form.files.copy()
        files[field] = kept.as_upload()
        form.files = files
    return kept


def show_kept(form: forms.Form, kept: Kept, field: str = "file") -> None:
    """The form's file field names the kept file and may be sent empty."""
    chosen = form.fields[field]
    chosen.required = False
    chosen.widget = KeptFileInput(kept.name, attrs=chosen.widget.attrs)
