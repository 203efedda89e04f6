"""Production settings refuse to start without their required variables, and pass
Django's deployment checks when they are given."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import env

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x9!k2$Lq8@zP4#wR7^vT1&nM5*bY3(cH6)dF0-gJ8_sA2+eU4=iO7",
    "DJANGO_ALLOWED_HOSTS": "portal.example.gov",
    "DATABASE_URL": "postgres://portal@db.example.gov:5432/portal",
    "CELERY_BROKER_URL": "redis://broker.example.gov:6379/0",
    "CACHE_URL": "redis://cache.example.gov:6379/1",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.gov:587",
    "DEFAULT_FROM_EMAIL": "known-shipper@example.gov",
}


def run_manage(
    *args: str, extra_env: dict[str, str], drop: str | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "EMAIL_", "CACHE_"))
    }
    environment.update(extra_env)
    if drop:
        environment.pop(drop)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", extra_env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "EMAIL_URL",
        "CACHE_URL",
    ],
)
def test_missing_production_setting_stops_startup_naming_it(missing: str) -> None:
    result = run_manage("check", extra_env=PRODUCTION_ENV, drop=missing)
    assert result.returncode != 0
    assert f"Configuration error: {missing} is required but not set" in result.stderr


@pytest.mark.parametrize("weak", ["short", "abcde" * 12, "0123456789" * 6, "x9!k2$Lq8@" * 6])
def test_weak_secret_key_is_refused(weak: str) -> None:
    result = run_manage("check", extra_env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": weak})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be at least 50 random characters" in result.stderr


def test_email_url_forms() -> None:
    smtp = env.parse_email_url("EMAIL_URL", "smtp+tls://user%40x:p%2Fw@mail.example:2525")
    assert (smtp.host, smtp.port, smtp.user, smtp.password, smtp.use_tls) == (
        "mail.example",
        2525,
        "user@x",
        "p/w",
        True,
    )
    assert env.parse_email_url("EMAIL_URL", "smtps://mail.example").port == 465
    assert env.parse_email_url("EMAIL_URL", "console://").backend.endswith("ReadableConsoleBackend")
    with pytest.raises(SystemExit, match="EMAIL_URL has an unknown scheme 'pop3'"):
        env.parse_email_url("EMAIL_URL", "pop3://mail.example")


def test_bad_boolean_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(SystemExit, match="DJANGO_DEBUG must be true or false"):
        env.get_bool("DJANGO_DEBUG", False)


def test_embedded_defaults_need_no_server() -> None:
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL)"
    )
    result = run_manage(
        "shell", "-c", code, extra_env={"DJANGO_SETTINGS_MODULE": "config.settings.local"}
    )
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.sqlite3 filesystem://" in result.stdout


def test_redis_broker_redelivers_a_lost_task_after_the_visibility_timeout() -> None:
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'])",
        extra_env=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "900"
