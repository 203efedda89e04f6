"""Scheduled list refresh: download the configured lists and import them (idempotent:
unchanged files make no new version)."""

from __future__ import annotations

import logging
import shutil
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings

from screening.services import list_import

logger = logging.getLogger(__name__)


def configured_sources(value: str | None = None) -> list[tuple[str, list[str]]]:
    """Parse SCREENING_LIST_SOURCES: "ofac=URL URL URL;un=URL". A source is an https, http
    or file URL, or an absolute path to a file on this host (taken as its file:// URL)."""
    text = settings.SCREENING_LIST_SOURCES if value is None else value
    sources = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        fmt, _, urls = part.partition("=")
        if fmt.strip() not in {"ofac", "csl", "dpl", "un"} or not urls.split():
            raise ValueError(
                f"SCREENING_LIST_SOURCES: cannot read {part!r}; use format=url [url...]"
            )
        sources.append((fmt.strip(), [source_url(url) for url in urls.split()]))
    return sources


def source_url(source: str) -> str:
    """The URL of one configured source: an absolute path becomes its file:// URL."""
    if source.startswith("/"):
        return Path(source).as_uri()
    return source


def _download(url: str, folder: Path) -> Path:
    """Fetch ``url`` into a folder of its own under ``folder``, keeping its file name (the
    OFAC files are told apart by name): two URLs ending in the same name do not overwrite
    each other."""
    url = source_url(url)
    scheme = urlsplit(url).scheme
    if scheme not in {"https", "http", "file"}:
        raise ValueError(
            f"Refusing to fetch {url!r}: only https, http and file URLs and absolute paths."
        )
    own_folder = Path(tempfile.mkdtemp(dir=folder))
    target = own_folder / (Path(urlsplit(url).path).name or "list")
    with urllib.request.urlopen(url, timeout=120) as response, target.open("wb") as handle:  # noqa: S310 - scheme checked above
        shutil.copyfileobj(response, handle)
    return target


@shared_task(autoretry_for=(OSError,), retry_backoff=300, max_retries=5)
def import_list_from_urls(fmt: str, urls: list[str]) -> str:
    with tempfile.TemporaryDirectory() as folder:
        paths = [_download(url, Path(folder)) for url in urls]
        result = list_import(fmt=fmt, paths=paths, source=" ".join(urls))
    outcome = "imported" if result.created else "unchanged"
    logger.info("screening list %s %s: %s", fmt, outcome, result.version)
    if result.created:
        for warning in result.version.warnings:
            logger.warning("screening list %s %s: %s", fmt, result.version, warning)
    return f"{outcome}: {result.version}"


@shared_task
def refresh_screening_lists() -> list[str]:
    """Daily: fetch every configured list; each one is its own task (retried on its own)."""
    sources = configured_sources()
    for fmt, urls in sources:
        import_list_from_urls.delay(fmt, urls)
    return [fmt for fmt, _ in sources]
