"""Re-screening open shipments when a denied-party list version becomes active: an answer to
``screening.signals.list_version_activated`` (sender=ListVersion, version_id, list_id),
connected in ``ShipmentsConfig.ready()``. The task goes through the outbox, so a broker
outage delays it and never loses it."""

from __future__ import annotations

from typing import Any

from core.outbox import publish_on_commit
from screening.signals import list_version_activated


def on_list_version_activated(sender: Any, version_id: int, **kwargs: Any) -> None:
    publish_on_commit("shipments.tasks.rescreen_open_shipments", args=[version_id])


def connect() -> None:
    list_version_activated.connect(on_list_version_activated, dispatch_uid="shipments-rescreen")
