"""`make run` on a fresh clone: the embedded defaults (SQLite, no PostgreSQL, no broker
server) migrate and seed the whole demo. The demo's other tests run on PostgreSQL, where a
query only PostgreSQL understands would pass unnoticed."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.education.sqlite_site import _environment

ROOT = Path(settings.BASE_DIR)


def test_the_demo_seeds_on_the_embedded_sqlite_default(tmp_path: Path) -> None:
    env = {**_environment(tmp_path), "DEMO_SHIPMENTS": "150"}
    # What `make demo` runs (the screening list is optional and read from outside the repo).
    for command in (["migrate", "--no-input", "-v0"], ["load_education_content"], ["seed_demo"]):
        done = subprocess.run(  # noqa: S603 (our own manage.py)
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
    assert "API key for" in done.stdout
    with sqlite3.connect(tmp_path / "db.sqlite3") as database:
        (shipments,) = database.execute("SELECT count(*) FROM shipments_shipment").fetchone()
        (articles,) = database.execute(
            "SELECT count(*) FROM education_article WHERE status = 'published'"
        ).fetchone()
    assert shipments == 150
    assert articles > 0
