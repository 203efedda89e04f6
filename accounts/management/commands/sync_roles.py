from typing import Any

from django.core.management.base import BaseCommand

from accounts.roles import declared_role_permissions, sync_roles


class Command(BaseCommand):
    help = "Create the role groups and grant their declared permissions (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        missing = sync_roles()
        for role, declared in declared_role_permissions().items():
            self.stdout.write(f"{role}: {len(declared) - len(missing.get(role, []))} permissions")
        for role, permissions in missing.items():
            self.stderr.write(self.style.WARNING(f"{role}: missing {', '.join(permissions)}"))
