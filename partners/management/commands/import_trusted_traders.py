"""Import a partner program's trusted-trader list (EU AEO as published, or the simple CSV)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from partners.models import RecognisedProgram
from partners.services.lists import trusted_list_import


class Command(BaseCommand):
    help = (
        "Import a trusted-trader list as a new dated version of a recognised program, "
        "alerting officers on known shippers whose authorisation left it. Example: "
        "import_trusted_traders --program eu-aeo --published-on 2026-11-30 aeo.csv"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The list file (UTF-8 CSV).")
        parser.add_argument("--program", required=True, help="The program's code, e.g. eu-aeo.")
        parser.add_argument("--published-on", required=True, help="YYYY-MM-DD.")

    def handle(self, *args: Any, **options: Any) -> None:
        program = RecognisedProgram.objects.filter(code=options["program"]).first()
        if program is None:
            raise CommandError(f"No recognised program has the code {options['program']!r}.")
        try:
            published_on = date.fromisoformat(options["published_on"])
            content = Path(options["path"]).read_bytes()
            version, problems = trusted_list_import(
                program=program,
                content=content,
                published_on=published_on,
                source_name=Path(options["path"]).name,
            )
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        for problem in problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"{program.code} {version.published_on}: {version.entry_count} entries "
            f"(+{version.differences.get('added', 0)} -{version.differences.get('removed', 0)} "
            f"~{version.differences.get('changed', 0)}), {len(problems)} rejected."
        )
