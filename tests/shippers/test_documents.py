"""Uploads are judged by their content and structure; downloads are named by the content."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from shippers.documents import (
    JPEG,
    PDF,
    PNG,
    UploadRejectedError,
    inspect_upload,
    safe_download_name,
)
from tests.shippers.factories import PDF_BYTES


def _pdf(**options: bool) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if options.get("javascript"):
        script = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("x")}
        )
        names = ArrayObject([TextStringObject("hello"), writer._add_object(script)])
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): names})}
        )
    if options.get("open_action"):
        writer._root_object[NameObject("/OpenAction")] = TextStringObject("x")
    if options.get("encrypted"):
        writer.encrypt("secret")
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _image(fmt: str) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, format=fmt)
    return buffer.getvalue()


def _docx(*, macros: bool = False) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def _inspect(content: bytes, name: str = ""):  # type: ignore[no-untyped-def]
    return inspect_upload(BytesIO(content), len(content), name=name)


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (PDF_BYTES, "statement.pdf", PDF),
        (PDF_BYTES, "STATEMENT.PDF", PDF),
        (_image("PNG"), "photo.png", PNG),
        (_image("JPEG"), "photo.jpeg", JPEG),
        (_image("JPEG"), "photo.jpg", JPEG),
    ],
)
def test_a_well_formed_file_with_a_matching_name_is_accepted(content, name, expected) -> None:  # type: ignore[no-untyped-def]
    detected, digest = _inspect(content, name)
    assert detected is expected
    assert len(digest) == 64


@pytest.mark.parametrize("name", ["run.bat", "statement.html", "img.svg", "x.pdf.html", "noext"])
def test_a_name_that_disagrees_with_the_content_is_refused(name: str) -> None:
    with pytest.raises(UploadRejectedError, match="but its content is a PDF"):
        _inspect(PDF_BYTES, name)


def test_a_file_that_only_starts_like_a_pdf_is_refused() -> None:
    with pytest.raises(UploadRejectedError, match="not a readable PDF"):
        _inspect(b"%PDF-1.7\n<script>alert(1)</script>", "x.pdf")


def test_an_encrypted_pdf_is_refused_with_the_reason() -> None:
    with pytest.raises(UploadRejectedError, match="encrypted or password-protected"):
        _inspect(_pdf(encrypted=True), "x.pdf")


@pytest.mark.parametrize("option", ["javascript", "open_action"])
def test_a_pdf_with_javascript_or_an_open_action_is_refused(option: str) -> None:
    with pytest.raises(UploadRejectedError, match="JavaScript"):
        _inspect(_pdf(**{option: True}), "x.pdf")


def test_a_truncated_image_is_refused() -> None:
    png = _image("PNG")
    with pytest.raises(UploadRejectedError, match="damaged"):
        _inspect(png[: len(png) // 2], "x.png")


def test_office_documents_with_macros_are_refused_and_plain_ones_accepted() -> None:
    assert _inspect(_docx(), "letter.docx")[0].extension == "docx"
    with pytest.raises(UploadRejectedError, match="macros"):
        _inspect(_docx(macros=True), "letter.docx")


@pytest.mark.parametrize(
    ("original", "extension", "expected"),
    [
        ("run.bat", "pdf", "run.pdf"),
        ("x.pdf.html", "pdf", "x.pdf"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("Müller Bescheinigung (2026).pdf", "pdf", "Muller-Bescheinigung-2026.pdf"),
        ("<script>.png", "png", "script.png"),
        (".htaccess", "pdf", "htaccess.pdf"),
        ("...", "jpg", "document.jpg"),
    ],
)
def test_download_names_are_a_safe_stem_and_the_detected_extension(
    original: str, extension: str, expected: str
) -> None:
    assert safe_download_name(original, extension) == expected


@pytest.mark.parametrize(
    ("original", "content_type", "expected"),
    [
        ("statement.html", "application/pdf", "statement.pdf"),
        ("img.svg", "image/png", "img.png"),
        ("x.pdf.html", "application/pdf", "x.pdf"),
        ("run.bat", "application/x-msdownload", "run.bin"),
    ],
)
def test_stored_documents_download_under_the_detected_type(
    original: str, content_type: str, expected: str
) -> None:
    from shippers.documents import download_name

    assert download_name(original, content_type) == expected
