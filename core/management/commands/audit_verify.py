"""Check the audit log's hash chain from the first event to the last."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.chain import first_break
from core.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain. Exits 0 and prints the number of events when it "
        "holds; exits 1 naming the first event that was changed, removed or inserted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="events read per query (default 5000)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        events = AuditEvent.objects.order_by("pk").iterator(chunk_size=options["batch_size"])
        count = AuditEvent.objects.count()
        broken = first_break(events)
        if broken is not None:
            event, why = broken
            raise CommandError(
                f"Audit chain broken at event {event.pk} ({event.action} on "
                f"{event.target_type} {event.target_id} at {event.at:%Y-%m-%d %H:%M:%S}): {why}. "
                "Every event from this one on is unverified."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain verified: {count} events."))
