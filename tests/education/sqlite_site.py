"""The default set-up (`config.settings.local`: embedded SQLite, no PostgreSQL) as a real
server in a subprocess, with the guidance library loaded: for the SQLite search tests and
the reader's browser journey. The database is built once per test session and shared."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _environment(var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "DJANGO_", "CELERY_", "CACHE_", "TEST_DATABASE"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        KNOWN_SHIPPER_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'db.sqlite3'}",
        CELERY_BROKER_URL="memory://",
        CACHE_URL="locmem://",
        EMAIL_URL="locmem://",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def _built(var_dir: Path, env: dict[str, str]) -> None:
    ready = var_dir / "ready"
    if ready.exists():
        return
    var_dir.mkdir(parents=True, exist_ok=True)
    for command in (["migrate", "--no-input", "-v0"], ["load_education_content"]):
        subprocess.run(  # noqa: S603 (our own manage.py)
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    ready.touch()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sqlite_site_server(tmp_path_factory: Any) -> Iterator[str]:
    var_dir = tmp_path_factory.getbasetemp() / "sqlite-default-site"
    env = _environment(var_dir)
    _built(var_dir, env)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=5):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the SQLite server did not start")
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="session")
def sqlite_site(tmp_path_factory: Any) -> Iterator[str]:
    """Base URL of a running default-set-up server (SQLite, FTS5 search)."""
    yield from sqlite_site_server(tmp_path_factory)
