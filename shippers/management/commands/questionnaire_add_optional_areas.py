"""Switch on optional areas of the security questionnaire (the EU AEO criteria of UCC Art.
39(b)-(d)) for this program: makes a new, not yet current version from the current one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from shippers import services
from shippers.models import SecurityQuestionnaire
from shippers.reference_data import load_security_questionnaire


class Command(BaseCommand):
    help = (
        "Make a new version of the current security questionnaire with optional areas added "
        "(EU AEO: eu-aeo-records, eu-aeo-solvency, eu-aeo-competence). A supervisor then "
        "makes it current in the admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        choices = [area.code for area in load_security_questionnaire().optional_areas]
        parser.add_argument("--area", action="append", required=True, choices=choices)
        parser.add_argument(
            "--by", required=True, help="E-mail of the supervisor recorded as the actor."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(email__iexact=options["by"]).first()
        if actor is None:
            raise CommandError(f"No user {options['by']}.")
        current = SecurityQuestionnaire.objects.filter(is_current=True).first()
        if current is None:
            raise CommandError("There is no current questionnaire.")
        try:
            version = services.questionnaire_add_optional_areas(
                actor=actor, questionnaire=current, area_codes=options["area"]
            )
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(
            f"Version {version.version} made from version {current.version} with "
            f"{', '.join(options['area'])}; make it current in the admin when reviewed."
        )
