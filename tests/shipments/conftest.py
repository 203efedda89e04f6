from __future__ import annotations

from collections.abc import Iterator

import pytest

from shipments.services.filing import SCREENING_TASK


@pytest.fixture
def screening_calls() -> Iterator[list[list[str]]]:
    """Stands in for the targeting side's party-screening task and records its calls."""
    from config.celery import app

    calls: list[list[str]] = []
    # The real task is registered at start-up (shipments.apps); stand in for it and put it
    # back afterwards.
    real = app.tasks.pop(SCREENING_TASK, None)

    @app.task(name=SCREENING_TASK)
    def fake_screening(ids: list[str]) -> None:
        calls.append(ids)

    yield calls
    app.tasks.pop(SCREENING_TASK, None)
    if real is not None:
        app.tasks[SCREENING_TASK] = real
