from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from education.loader import CONTENT_DIR, ContentError, load_content


class Command(BaseCommand):
    help = (
        "Load the guidance library and training modules from education/content/ (topics, "
        "articles as published, modules with their quizzes and required business types). "
        "Idempotent: only content whose file changed since the last load is updated; a "
        "second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory", default=str(CONTENT_DIR), help="Content directory to load."
        )

    def handle(self, *args: Any, directory: str, **options: Any) -> None:
        from pathlib import Path

        verbosity = int(options.get("verbosity", 1))
        self.stdout.write(self.style.MIGRATE_HEADING(f"Education content from {directory}"))

        def progress(line: str) -> None:
            if verbosity >= 1:
                self.stdout.write(f"  {line}")

        try:
            report = load_content(directory=Path(directory), progress=progress)
        except ContentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"  {len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged"
            )
        )
