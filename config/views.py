"""Site-wide pages: the home page and the health endpoints."""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from accounts.selectors import worker_last_seen
from config.celery import app as celery_app


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and serving requests."""
    return JsonResponse({"status": "ok"})


def _check_database() -> dict[str, object]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    return {
        "ok": True,
        "vendor": connection.vendor,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }


def _check_broker() -> dict[str, object]:
    started = time.perf_counter()
    try:
        # The URL from settings, explicitly: Celery itself lets a CELERY_BROKER_URL environment
        # variable win over its configuration.
        with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
            transport = broker.transport_cls
    except Exception as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    return {
        "ok": True,
        "transport": str(transport),
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }


def _readiness() -> tuple[bool, dict[str, object], dict[str, object], datetime.datetime | None]:
    database = _check_database()
    broker = _check_broker()
    ready = bool(database["ok"] and broker["ok"])
    last_seen = worker_last_seen() if database["ok"] else None
    return ready, database, broker, last_seen


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """The database and the broker answer; 503 otherwise (load balancers stop routing)."""
    ready, database, broker, last_seen = _readiness()
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {"database": database, "broker": broker},
        "worker_last_seen": last_seen.isoformat() if last_seen else None,
    }
    return JsonResponse(body, status=200 if ready else 503)


@never_cache
@require_safe
def service_status(request: HttpRequest) -> HttpResponse:
    """The same checks as `/readyz`, for people: whether the service works now. Machines keep
    reading `/readyz` (JSON)."""
    ready, database, broker, last_seen = _readiness()
    return render(
        request,
        "status.html",
        {"ready": ready, "database": database, "broker": broker, "worker_last_seen": last_seen},
        status=200 if ready else 503,
    )
