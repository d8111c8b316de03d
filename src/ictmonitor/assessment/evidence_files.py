"""Evidence documents on disk: size-limited, type-checked (PDF, images, office documents) by
their name and their first bytes, kept under DATA_DIR/evidence/<school number>/ with a random
name; only their model row says whose they are (the view checks who may see the school)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

MB = 1024 * 1024
CHUNK = 64 * 1024
PDF = (b"%PDF-",)
ZIP = (b"PK\x03\x04",)  # OOXML (docx, xlsx, pptx) and OpenDocument are zip packages
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # the older Office formats
# Extension → (content type served, the first bytes a file of that kind starts with).
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", PDF),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
              ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    ".odp": ("application/vnd.oasis.opendocument.presentation", ZIP),
    ".doc": ("application/msword", OLE),
    ".xls": ("application/vnd.ms-excel", OLE),
    ".ppt": ("application/vnd.ms-powerpoint", OLE),
}
NAME_MAX = 200


class DocumentRefused(ValueError):
    """A document not taken: too large, empty, or not of a kind evidence may be."""


@dataclass(frozen=True)
class Stored:
    """A document as kept: its name as uploaded, its path under the evidence folder, type and
    size in bytes."""

    name: str
    path: str
    content_type: str
    size: int


def max_mb() -> float:
    """The largest evidence document, in MB (setting EVIDENCE_MAX_UPLOAD_MB, default 10)."""
    return float(getattr(settings, "EVIDENCE_MAX_UPLOAD_MB", 10))


def max_school_mb() -> float:
    """All of a school's evidence documents together, in MB (setting EVIDENCE_MAX_SCHOOL_MB,
    default 250): a document kept by several versions counts once."""
    return float(getattr(settings, "EVIDENCE_MAX_SCHOOL_MB", 250))


def max_school_documents() -> int:
    """How many evidence documents a school keeps at most (setting
    EVIDENCE_MAX_SCHOOL_DOCUMENTS, default 300)."""
    return int(getattr(settings, "EVIDENCE_MAX_SCHOOL_DOCUMENTS", 300))


def check_quota(kept: dict[str, int], size: int) -> None:
    """DocumentRefused when one more document of `size` bytes would take a school past its
    number of documents or its total size; `kept`: its documents' paths and sizes."""
    if len(kept) + 1 > max_school_documents():
        raise DocumentRefused(_("The school keeps %(count)s evidence documents, the most it "
                                "may; remove a document from an answer, or use a link.")
                              % {"count": len(kept)})
    if sum(kept.values()) + size > max_school_mb() * MB:
        raise DocumentRefused(_("The school's evidence documents would take more than "
                                "%(limit)s MB together; remove a document from an answer, or "
                                "use a link.") % {"limit": f"{max_school_mb():g}"})


def root() -> Path:
    """The folder every evidence document is kept under."""
    return Path(settings.DATA_DIR) / "evidence"


def kinds() -> str:
    """The extensions taken, for messages: ".pdf, .png, …"."""
    return ", ".join(ALLOWED)


def store(upload: Any, school: str) -> Stored:
    """Keep an uploaded file (a Django UploadedFile) for a school; DocumentRefused saying
    why when it is too large, empty or of another kind (its name and first bytes disagree)."""
    name = Path(upload.name or "").name[-NAME_MAX:]
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED:
        raise DocumentRefused(_("%(name)s is not a document evidence can be: upload a PDF, an "
                                "image or an office document (%(kinds)s).")
                              % {"name": name or "?", "kinds": kinds()})
    limit = int(max_mb() * MB)
    if (upload.size or 0) > limit:
        raise DocumentRefused(_("%(name)s is larger than %(limit)s MB.")
                              % {"name": name, "limit": f"{max_mb():g}"})
    content_type, starts = ALLOWED[extension]
    folder = root() / school
    folder.mkdir(parents=True, exist_ok=True)
    relative = f"{school}/{secrets.token_hex(16)}{extension}"
    target = root() / relative
    size, head = 0, b""
    try:
        with target.open("xb") as out:
            for chunk in upload.chunks(CHUNK):
                if len(head) < 16:
                    head += chunk[:16 - len(head)]
                size += len(chunk)
                if size > limit:
                    raise DocumentRefused(_("%(name)s is larger than %(limit)s MB.")
                                          % {"name": name, "limit": f"{max_mb():g}"})
                out.write(chunk)
        if not size:
            raise DocumentRefused(_("%(name)s is empty.") % {"name": name})
        if not head.startswith(starts):
            raise DocumentRefused(_("%(name)s is not a %(kind)s file, whatever its name says.")
                                  % {"name": name, "kind": extension[1:].upper()})
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return Stored(name, relative, content_type, size)


def path_of(relative: str) -> Path | None:
    """Where a kept document is, or None when the path leaves the evidence folder or the
    file is gone."""
    base = root().resolve()
    found = (base / relative).resolve()
    if not found.is_relative_to(base) or not found.is_file():
        return None
    return found


def remove(relative: str) -> None:
    """Remove a kept document (a version whose row was never written)."""
    found = path_of(relative)
    if found is not None:
        found.unlink(missing_ok=True)
