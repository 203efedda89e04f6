"""Browser tests: Playwright driving Debian's chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if settings.REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Playwright gives every launch a fresh, empty profile of its own. While it runs, this
    # thread sees its own context-local database connections; they are closed before it stops
    # so that later tests get back the connection that pytest-django prepared (its serialized
    # copy of the data migrations lives on that one). Hence one launch per test, not a session.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and errors.append(f"{message.text} ({message.location.get('url', '')} on {page.url})")
        ),
    )
    page.on(
        "response",
        lambda response: response.status == 404 and errors.append(f"404 {response.url}"),
    )
    yield page
    context.close()
    # A CSP violation or script error shows up as a console error: the page must have none.
    assert errors == [], errors
