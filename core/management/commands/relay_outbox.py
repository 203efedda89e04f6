"""Publish the outbox messages that could not be published when they were written."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core import outbox


class Command(BaseCommand):
    help = (
        "Publish pending outbox messages (work recorded while the broker was unreachable). "
        "Beat runs the same relay every minute; run this after a broker outage to catch up now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than", type=int, default=0, help="only messages at least this many seconds old"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        published, pending = outbox.relay_pending(
            older_than_seconds=options["older_than"], limit=100_000
        )
        self.stdout.write(f"Published {published} message(s); {pending} still pending.")
