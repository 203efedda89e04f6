from __future__ import annotations

from collections.abc import Iterator

import pytest

from shipments.services.filing import SCREENING_TASK


@pytest.fixture
def screening_calls() -> Iterator[list[list[str]]]:
    """Stands in for the targeting side's party-screening task and records its calls."""
    from config.celery import app

    calls: list[list[str]] = []

    @app.task(name=SCREENING_TASK)
    def fake_screening(ids: list[str]) -> None:
        calls.append(ids)

    yield calls
    app.tasks.pop(SCREENING_TASK, None)
