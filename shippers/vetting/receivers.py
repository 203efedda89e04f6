"""Vetting's answers to what lower apps announce; connected in `ShippersConfig.ready()`."""

from __future__ import annotations

from typing import Any

from core.outbox import publish_on_commit
from screening.signals import list_version_activated


def rescreen_on_list_version(sender: type, *, version_id: int, **kwargs: Any) -> None:
    """A new list version is active: re-screen watched shippers once it is committed (the
    task must see the version); through the outbox, so a broker outage only delays it."""
    publish_on_commit("shippers.tasks.rescreen_after_list_update", args=[version_id])


def connect() -> None:
    list_version_activated.connect(
        rescreen_on_list_version, dispatch_uid="shippers.vetting.rescreen_on_list_version"
    )
