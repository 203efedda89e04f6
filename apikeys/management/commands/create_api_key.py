"""Create an organisation API key from the command line (automation) and print it once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from apikeys.models import Scope
from apikeys.services import api_key_create
from shippers.models import Organisation


class Command(BaseCommand):
    help = (
        "Create an API key for an organisation and print it (it is stored hashed and cannot "
        'be shown again). Example: create_api_key --organisation "Harbourline Parcels Ltd" '
        "--scope shipments:write --scope shipments:read"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="The organisation's legal name.")
        parser.add_argument(
            "--scope",
            action="append",
            required=True,
            choices=Scope.values,
            help="A scope; repeat for several.",
        )
        parser.add_argument("--name", default="Command line", help="What the key is for.")
        parser.add_argument(
            "--expires-in-days", type=int, default=None, help="Expire the key after N days."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        matches = list(Organisation.objects.filter(legal_name__iexact=options["organisation"]))
        if not matches:
            raise CommandError(f"No organisation has the legal name {options['organisation']!r}.")
        if len(matches) > 1:
            raise CommandError(
                f"{len(matches)} organisations have the legal name {options['organisation']!r}; "
                "create the key in the admin instead."
            )
        days = options["expires_in_days"]
        expires_at = timezone.now() + timedelta(days=days) if days else None
        try:
            api_key, plain = api_key_create(
                organisation=matches[0],
                name=options["name"],
                scopes=options["scope"],
                expires_at=expires_at,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(
            f"Created API key {api_key.prefix} for {matches[0].legal_name} "
            f"(scopes: {', '.join(api_key.scopes)}). Store it now: it cannot be shown again."
        )
        self.stdout.write(plain)
