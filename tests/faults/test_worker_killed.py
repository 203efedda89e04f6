"""A worker killed (SIGKILL) in the middle of a vetting check: the broker delivers the task
again once the visibility timeout has passed, another worker finishes the check, and the
run completes exactly once. A real worker process on Redis; nothing mocked.

The check is held mid-way by a table lock: the training check reads the required modules,
and this test holds `ACCESS EXCLUSIVE` on their table while the first worker runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from config.celery import app
from shippers import services
from shippers.models import Application, VettingCheck
from tests.conftest import require_service, wait_for
from tests.shippers.factories import (
    application_events,
    complete_application,
    owner_with_organisation,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 3
Status = VettingCheck.Status
HELD = "training"  # the check the first worker is killed in


def blocked_queries() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        return [row[0] for row in cursor.fetchall()]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{quote(db['USER'])}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def start_worker(log: Path) -> subprocess.Popen[bytes]:
    """`celery worker` in its own process group, on the test database and broker."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    command = [
        *(sys.executable, "-m", "celery", "-A", "config", "worker"),
        *("--pool=prefork", "--concurrency=1", "--loglevel=INFO"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        *("-n", f"fault-{uuid.uuid4().hex[:8]}@%h"),
    ]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(worker: subprocess.Popen[bytes], sig: int) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=30)


@pytest.fixture
def real_broker(postgresql: None) -> Iterator[None]:
    broker = urlsplit(settings.CELERY_BROKER_URL)
    if broker.scheme != "redis":
        if settings.REQUIRE_SERVICES:
            pytest.fail("the fault test needs Redis as the broker")
        pytest.skip("the fault test needs Redis as the broker")
    require_service(broker.hostname or "127.0.0.1", broker.port or 6379, "Redis")
    app.conf.task_always_eager = False
    app.control.purge()
    yield
    app.control.purge()


def check_of(application: Application, kind: str) -> VettingCheck:
    return VettingCheck.objects.get(run__application=application, kind=kind)


def test_a_check_of_a_killed_worker_is_delivered_again_and_the_run_completes_once(
    real_broker: None, tmp_path: Path
) -> None:
    owner, organisation = owner_with_organisation()
    application = complete_application(owner, organisation)
    services.application_submit(actor=owner, application=application)  # queued in Redis

    lock: Any = psycopg.connect(database_url().replace("postgres://", "postgresql://"))
    lock.execute("LOCK TABLE education_requiredmodule IN ACCESS EXCLUSIVE MODE")
    first = start_worker(tmp_path / "worker-1.log")
    try:
        assert wait_for(
            lambda: VettingCheck.objects.filter(
                run__application=application, kind=HELD, status=Status.RUNNING
            ).exists(),
            timeout=60,
        ), blocked_queries()
        stop(first, signal.SIGKILL)  # the worker host is lost mid-check
    finally:
        stop(first, signal.SIGKILL)
        lock.rollback()
        lock.close()

    held = check_of(application, HELD)
    assert (held.status, held.attempts) == (Status.RUNNING, 1)
    assert Application.objects.get(pk=application.pk).status == Application.Status.VETTING

    second = start_worker(tmp_path / "worker-2.log")
    try:
        assert wait_for(
            lambda: (
                Application.objects.get(pk=application.pk).status == Application.Status.UNDER_REVIEW
            ),
            timeout=90,
        ), (tmp_path / "worker-2.log").read_text()
    finally:
        stop(second, signal.SIGTERM)

    checks = list(VettingCheck.objects.filter(run__application=application))
    assert all(check.is_final for check in checks)
    by_kind = {check.kind: check.attempts for check in checks}
    assert by_kind.pop(HELD) == 2  # killed once, finished once
    assert set(by_kind.values()) == {1}  # every other check ran exactly once
    run = application.vetting_runs.get()
    assert run.is_complete
    # The run's result moved the application once; nothing was recorded twice.
    transitions = [e.to_status for e in application_events(application) if e.to_status]
    assert transitions.count(Application.Status.UNDER_REVIEW) == 1
    assert transitions.count(Application.Status.VETTING) == 1
