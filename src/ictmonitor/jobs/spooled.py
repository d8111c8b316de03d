"""Large uploads spooled into the data folder, so that keeping one for its job is a rename.

Django writes an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, by default
in the system's temporary folder: often another file system than DATA_DIR (or memory: /tmp as
tmpfs), where the upload path (jobs/uploads.py) must then copy a million-line feed, in the
request, before it can answer. This handler (settings.FILE_UPLOAD_HANDLERS) spools it into
`DATA_DIR/uploads/` instead, named as this process's upload copy (`…~PID~HOST~MARK.csv`,
core/unfinished.py), so the job's file is the same file moved, and a copy a killed server left
half written is removed when the next server or import starts.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler

from ictmonitor.core.unfinished import upload_dir, upload_suffix


class SpooledUpload(TemporaryUploadedFile):
    """An upload written to a temporary file in DATA_DIR/uploads/ (removed when closed, unless
    moved away first, as Django's own)."""

    def __init__(self, name: str, content_type: str, size: int, charset: str | None,
                 content_type_extra: dict[str, Any] | None = None) -> None:
        file = tempfile.NamedTemporaryFile(dir=upload_dir(), suffix=upload_suffix())  # noqa: SIM115
        UploadedFile.__init__(self, file, name, content_type, size, charset,
                              content_type_extra)


class SpoolInDataDir(TemporaryFileUploadHandler):
    """Django's handler for large uploads, spooling into DATA_DIR/uploads/."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        FileUploadHandler.new_file(self, *args, **kwargs)
        self.file = SpooledUpload(self.file_name or "", self.content_type or "", 0, self.charset,
                                  self.content_type_extra)
