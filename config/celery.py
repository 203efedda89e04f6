"""The Celery application. Workers: `celery -A config worker`; scheduler: `celery -A config beat`.

Every task takes ids, reloads its rows and is idempotent (see STYLE.md); the request id of
the web request that enqueued a task travels with it into the worker's logs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("known_shipper")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _prepare_filesystem_broker() -> None:
    """The embedded filesystem transport needs its folders to exist before first use."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = options.get(key)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _on_configured(sender: Celery, **kwargs: Any) -> None:
    if str(sender.conf.broker_url).startswith("filesystem://"):
        _prepare_filesystem_broker()


@before_task_publish.connect
def _attach_request_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    from config.logging import current_request_id

    if headers is not None:
        headers.setdefault("request_id", current_request_id())


@task_prerun.connect
def _bind_request_id(task: Any = None, **kwargs: Any) -> None:
    from config.logging import request_id_var

    request_id = getattr(task.request, "request_id", None) if task else None
    request_id_var.set(request_id or f"task-{getattr(task.request, 'id', '-')}")


@task_postrun.connect
def _unbind_request_id(**kwargs: Any) -> None:
    from config.logging import request_id_var

    request_id_var.set("-")


@worker_init.connect
def _preload_screening_index(**kwargs: Any) -> None:
    """Build the screening index in the worker's main process before the pool forks, so that
    no pool process spends its first task building its own (seconds for the OFAC list, during
    which shipments and vetting checks wait). Off with ``SCREENING_PRELOAD_INDEX=false``; a
    failure (no database yet) only means each process builds it on first use."""
    import logging

    from django.conf import settings
    from django.db import connections

    if not settings.SCREENING_PRELOAD_INDEX:
        return
    from screening.selectors import preload_index

    try:
        index = preload_index()
    except Exception:  # the worker must start even when the lists cannot be read yet
        logging.getLogger(__name__).warning(
            "screening index not preloaded; each worker process builds it on first use",
            exc_info=True,
        )
    else:
        logging.getLogger(__name__).info(
            "screening index preloaded: %s names of %s entries", index.name_count, index.entry_count
        )
    finally:
        # The pool processes must not share the main process's database connection.
        connections.close_all()
