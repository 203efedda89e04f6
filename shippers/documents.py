"""Upload checks: a document's type is decided by its content, never by its name or the
browser's declared type; only an allow-list of formats is accepted, a name whose extension
disagrees with the content is refused, and the structure is checked with well-kept parsers
(pypdf for PDFs, Pillow for images, the zip directory for Office files): encrypted PDFs,
PDFs carrying JavaScript or launch actions, and Office files with macros are refused.
Downloads are named `<safe stem>.<detected extension>`, never by the uploader's name."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError


@dataclass(frozen=True)
class DetectedType:
    extension: str
    content_type: str
    label: str

    @property
    def accepted_extensions(self) -> frozenset[str]:
        return frozenset({self.extension, "jpeg"} if self.extension == "jpg" else {self.extension})


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


# Largest total size of the files inside an Office document (a zip bomb is refused).
MAX_UNPACKED_OFFICE_BYTES = 200 * 1024 * 1024
# Largest image accepted, in pixels (Pillow's own decompression-bomb guard is 89 M).
MAX_IMAGE_PIXELS = 60_000_000
_PDF_ACTIVE_KEYS = ("/JavaScript", "/JS", "/Launch", "/OpenAction", "/AA", "/EmbeddedFile")


def declared_extension(name: str) -> str:
    """The extension the uploader gave, lower case without the dot ("" if none)."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix
    return suffix[1:].lower() if suffix else ""


def safe_download_name(original_name: str, detected: DetectedType | str) -> str:
    """`<safe stem>.<detected extension>`: letters, digits, dots, dashes and underscores of
    the uploader's name without any of its extensions, and the extension of the content."""
    extension = detected.extension if isinstance(detected, DetectedType) else detected
    base = PurePosixPath(original_name.replace("\\", "/")).name
    stem = base.split(".")[0] if not base.startswith(".") else base.lstrip(".").split(".")[0]
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", plain).strip("-_")[:80] or "document"
    return f"{safe}.{extension}"


def _check_pdf(stream: IO[bytes]) -> None:
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(stream, strict=False)
            if reader.is_encrypted:
                raise UploadRejectedError(
                    "This PDF is encrypted or password-protected, so officers could not read "
                    "it. Save it without a password and upload it again."
                )
            pages = len(reader.pages)
            if pages == 0:
                raise UploadRejectedError("This PDF has no pages.")
            root: Any = reader.trailer["/Root"]
            active = _pdf_active_content(root) or any("/AA" in page for page in reader.pages[:500])
    except UploadRejectedError:
        raise
    except (PyPdfError, KeyError, ValueError, TypeError, OSError, RecursionError) as error:
        raise UploadRejectedError(
            "This file starts like a PDF but is not a readable PDF document. Export or print "
            "it to PDF again and upload the new file."
        ) from error
    finally:
        stream.seek(0)
    if active:
        raise UploadRejectedError(
            "This PDF contains JavaScript, embedded files or actions that run when it is "
            "opened, which the program does not accept. Print it to a plain PDF and upload "
            "that instead."
        )


def _pdf_active_content(root: Any) -> bool:
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        if "/JavaScript" in names or "/EmbeddedFiles" in names:
            return True
    return any(key in root for key in ("/OpenAction", "/AA"))


def _check_image(stream: IO[bytes], expected: str) -> None:
    stream.seek(0)
    try:
        with Image.open(stream) as image:
            if image.format != expected:
                raise UploadRejectedError("The image's content does not match its format.")
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise UploadRejectedError(
                    f"The image is {width} x {height} pixels, larger than the program accepts. "
                    "Scan or save it at a lower resolution."
                )
            image.verify()
    except UploadRejectedError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as error:
        raise UploadRejectedError(
            "This file starts like an image but is damaged or not a complete image. Save it "
            "again as PNG or JPEG and upload the new file."
        ) from error
    finally:
        stream.seek(0)


def _check_office(stream: IO[bytes]) -> None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNPACKED_OFFICE_BYTES:
                raise UploadRejectedError(
                    "This document unpacks to an unreasonable size and is refused."
                )
            if any(info.filename.lower().endswith("vbaproject.bin") for info in infos):
                raise UploadRejectedError(
                    "This document contains macros, which the program does not accept. Save "
                    "it as a plain .docx or .xlsx (without macros) and upload it again."
                )
            if archive.testzip() is not None:
                raise UploadRejectedError("This document is damaged (a part fails its checksum).")
    except UploadRejectedError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UploadRejectedError("This document is damaged and cannot be opened.") from error
    finally:
        stream.seek(0)


def check_structure(stream: IO[bytes], detected: DetectedType) -> None:
    """Parse the file as what its first bytes claim; `UploadRejectedError` if it is not."""
    if detected is PDF:
        _check_pdf(stream)
    elif detected is PNG:
        _check_image(stream, "PNG")
    elif detected is JPEG:
        _check_image(stream, "JPEG")
    else:
        _check_office(stream)


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


def inspect_upload(stream: IO[bytes], size: int, *, name: str = "") -> tuple[DetectedType, str]:
    """Return the detected type and SHA-256 of an upload, or raise `UploadRejectedError`.
    `name` is the uploader's file name: its extension must agree with the content."""
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
    extension = declared_extension(name)
    if name and extension not in detected.accepted_extensions:
        shown = f".{extension}" if extension else "no extension"
        raise UploadRejectedError(
            f"The file is named {PurePosixPath(name).name!r} ({shown}) but its content is a "
            f"{detected.label}. Rename it to end in .{detected.extension} if that is what it "
            "is, and upload it again."
        )
    check_structure(stream, detected)
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(65536), b""):
        digest.update(chunk)
    stream.seek(0)
    return detected, digest.hexdigest()


_BY_CONTENT_TYPE = {kind.content_type: kind for kind in (PDF, PNG, JPEG, DOCX, XLSX)}


def download_name(original_name: str, content_type: str) -> str:
    """The name a stored document is downloaded under: a safe stem and the extension of the
    content type detected at upload (``.bin`` for anything unknown, never the uploader's)."""
    detected = _BY_CONTENT_TYPE.get(content_type)
    return safe_download_name(original_name, detected.extension if detected else "bin")
