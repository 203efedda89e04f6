"""Upload checks: a document's type is decided by its content (magic bytes), never by its
name or the browser's declared type; only an allow-list of formats is accepted."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings


@dataclass(frozen=True)
class DetectedType:
    extension: str
    content_type: str
    label: str


PDF = DetectedType("pdf", "application/pdf", "PDF")
PNG = DetectedType("png", "image/png", "PNG image")
JPEG = DetectedType("jpg", "image/jpeg", "JPEG image")
DOCX = DetectedType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word document (DOCX)",
)
XLSX = DetectedType(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel workbook (XLSX)",
)
ALLOWED_LABELS = "PDF, PNG, JPEG, DOCX or XLSX"


class UploadRejectedError(ValueError):
    """The upload is refused; the message tells the shipper why and what to do."""


def max_upload_bytes() -> int:
    return int(getattr(settings, "SHIPPERS_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def _office_type(stream: IO[bytes]) -> DetectedType | None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    return None


def detect_type(stream: IO[bytes]) -> DetectedType | None:
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_type(stream)
    return None


def inspect_upload(stream: IO[bytes], size: int) -> tuple[DetectedType, str]:
    """Return the detected type and SHA-256 of an upload, or raise `UploadRejectedError`."""
    limit = max_upload_bytes()
    if size == 0:
        raise UploadRejectedError("The file is empty.")
    if size > limit:
        raise UploadRejectedError(
            f"The file is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB. "
            "Scan at a lower resolution or split the document."
        )
    detected = detect_type(stream)
    if detected is None:
        raise UploadRejectedError(
            f"This file is not a {ALLOWED_LABELS} file (its content was checked, not its "
            "name). Save or export it in one of those formats and upload it again."
        )
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(65536), b""):
        digest.update(chunk)
    stream.seek(0)
    return detected, digest.hexdigest()
