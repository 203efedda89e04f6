from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.accounts import DEMO_ACCOUNTS, demo_account_ensure
from demo.seed import seed_demo_content


class Command(BaseCommand):
    help = (
        "Create the demo accounts (officer, supervisor, content editor, two shippers, partner), "
        "print their credentials, then the demo content of each app (demo/seed.py). "
        "Idempotent; refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password", default="known-shipper-demo-2026", help="Password for every demo account."
        )
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args: Any, password: str, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo accounts have known passwords: refusing with DEBUG off (use --force)."
            )
        from django.contrib.auth.password_validation import validate_password

        validate_password(password)
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"Demo accounts (password for all: {password})")
        )
        for account in DEMO_ACCOUNTS:
            credentials = demo_account_ensure(account=account, password=password)
            state = "created" if credentials.created else "exists"
            line = f"  {account.role:<15} {account.email:<28} {state}"
            if credentials.totp_secret:
                line += (
                    f"  TOTP secret {credentials.totp_secret}"
                    f" (current code: manage.py demo_totp {account.email})"
                )
            if credentials.api_token:
                line += f"  API token {credentials.api_token}"
            self.stdout.write(line)
        for line in seed_demo_content():
            self.stdout.write(f"  {line}")
