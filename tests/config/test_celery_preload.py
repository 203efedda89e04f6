"""A Celery worker builds the screening index before its pool forks (config.celery)."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator

import pytest
from django.test import override_settings

from config.celery import _preload_screening_index
from screening import selectors

# transaction=True: the handler closes the database connections, as a worker must before
# forking, which an enclosing test transaction would not survive.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    saved = dict(selectors._cache)
    selectors._cache.update(key=None, index=None)
    yield
    gc.unfreeze()
    selectors._cache.update(saved)


@override_settings(SCREENING_PRELOAD_INDEX=True)
def test_the_worker_builds_the_index_before_forking_and_freezes_it() -> None:
    _preload_screening_index()

    assert selectors._cache["index"] is not None
    assert selectors._cache["key"] is not None
    # The pool processes find it built: the next read is the same object, not a new build.
    assert selectors.active_index() is selectors._cache["index"]
    assert gc.get_freeze_count() > 0


@override_settings(SCREENING_PRELOAD_INDEX=False)
def test_the_preload_can_be_turned_off() -> None:
    _preload_screening_index()

    assert selectors._cache["index"] is None


@override_settings(SCREENING_PRELOAD_INDEX=True)
def test_a_failed_preload_lets_the_worker_start(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("no such table: screening_listversion")

    monkeypatch.setattr(selectors, "preload_index", broken)
    with caplog.at_level(logging.WARNING, logger="config.celery"):
        _preload_screening_index()

    assert selectors._cache["index"] is None
    assert "screening index not preloaded" in caplog.text
