import time
from typing import Any

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.accounts import current_totp_code


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo staff account (DEBUG only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Only for demo installations (DEBUG on).")
        authenticator = Authenticator.objects.filter(
            user__email=email, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"{email} has no authenticator app set up.")
        secret = get_adapter().decrypt(authenticator.data["secret"])
        code = current_totp_code(secret)
        self.stdout.write(f"{code}  (valid for about {30 - int(time.time()) % 30} more seconds)")
