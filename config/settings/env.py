"""The one place that reads the process environment.

Every setting an operator may change is read here, with its meaning documented in the
README's settings table. Other settings modules import the helpers, never ``os.environ``.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit


class ImproperlyConfiguredError(SystemExit):
    """A required setting is missing or malformed; start-up stops with a message naming it."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(
            f"Configuration error: {name} {problem}. See the settings table in README.md."
        )


def get(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def require(name: str) -> str:
    value = get(name)
    if value is None:
        raise ImproperlyConfiguredError(name, "is required but not set")
    return value


def get_bool(name: str, default: bool) -> bool:
    value = get(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfiguredError(name, f"must be true or false, not {value!r}")


def get_int(name: str, default: int) -> int:
    value = get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfiguredError(name, f"must be a whole number, not {value!r}") from None


def get_list(name: str, default: list[str] | None = None) -> list[str]:
    value = get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def port_answers(host: str, port: int, timeout: float = 0.3) -> bool:
    """True when something accepts TCP connections at host:port (used to pick test defaults)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass(frozen=True)
class EmailConfig:
    backend: str
    host: str = ""
    port: int = 0
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    file_path: str = ""

    def mailer(self) -> dict[str, object]:
        """This configuration as one entry of Django 6.1's ``MAILERS`` setting."""
        options: dict[str, object] = {}
        if self.file_path:
            options["file_path"] = self.file_path
        if self.host:
            options.update(
                host=self.host,
                port=self.port,
                username=self.user,
                password=self.password,
                use_tls=self.use_tls,
                use_ssl=self.use_ssl,
                timeout=30,
            )
        return {"BACKEND": self.backend, "OPTIONS": options}


EMAIL_SCHEMES = {
    "console": "config.email.ReadableConsoleBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def parse_email_url(name: str, url: str) -> EmailConfig:
    """Parse ``EMAIL_URL``: ``smtp://user:pass@host:587?tls=1``, ``smtps://...``,
    ``smtp+tls://...``, ``console://``, ``file:///var/mail``, ``locmem://``, ``dummy://``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in EMAIL_SCHEMES:
        raise ImproperlyConfiguredError(
            name, f"has an unknown scheme {scheme!r}; use one of {', '.join(sorted(EMAIL_SCHEMES))}"
        )
    query = parse_qs(parts.query)
    if scheme == "file":
        return EmailConfig(backend=EMAIL_SCHEMES[scheme], file_path=parts.path or "var/mail")
    if not scheme.startswith("smtp"):
        return EmailConfig(backend=EMAIL_SCHEMES[scheme])
    if not parts.hostname:
        raise ImproperlyConfiguredError(
            name, "needs a host, e.g. smtp://user:pass@mail.example:587"
        )
    use_ssl = scheme == "smtps" or query.get("ssl", ["0"])[0] in {"1", "true"}
    use_tls = scheme == "smtp+tls" or query.get("tls", ["0"])[0] in {"1", "true"}
    return EmailConfig(
        backend=EMAIL_SCHEMES[scheme],
        host=parts.hostname,
        port=parts.port or (465 if use_ssl else 587 if use_tls else 25),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
    )


def parse_cache_url(name: str, url: str) -> dict[str, object]:
    """Parse ``CACHE_URL``: ``redis://host:6379/1``, ``locmem://``, ``db://table_name``."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "core.cache.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": urlsplit(url).netloc or "cache_table",
        }
    raise ImproperlyConfiguredError(
        name, f"has an unknown scheme {scheme!r}; use redis, locmem or db"
    )
