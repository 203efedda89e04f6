"""Roles of the program, as Django groups with model permissions.

Object-level rules ("a member of this organisation") live in each app's `rules.py`;
these groups say what a role may do in general. `sync_roles` is idempotent and runs
from data migrations and the `sync_roles` command whenever an app adds permissions.
"""

from __future__ import annotations

from typing import Any

from core.workflow import ActorKind

SHIPPER = "shipper"
OFFICER = "officer"
SUPERVISOR = "supervisor"
CONTENT_EDITOR = "content_editor"
PARTNER = "partner"

STAFF_ROLES = (OFFICER, SUPERVISOR, CONTENT_EDITOR)

ROLE_LABELS = {
    SHIPPER: "Shipper",
    OFFICER: "Officer",
    SUPERVISOR: "Supervisor",
    CONTENT_EDITOR: "Content editor",
    PARTNER: "Partner administration",
}


def staff_kind(user: Any) -> ActorKind | None:
    """The kind of staff actor a user is, for every state machine of the program: a
    supervisor (the role), an officer (staff allowed on the officer pages), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.has_role(SUPERVISOR):
        return ActorKind.SUPERVISOR
    if user.is_staff and user.has_perm("accounts.use_officer_pages"):
        return ActorKind.OFFICER
    return None


_ACCOUNTS_PERMISSIONS: dict[str, list[str]] = {
    OFFICER: ["accounts.use_officer_pages", "accounts.view_outboundemail"],
    SUPERVISOR: ["accounts.use_officer_pages", "accounts.view_outboundemail"],
    PARTNER: ["accounts.use_partner_api"],
}


def declared_role_permissions() -> dict[str, list[str]]:
    """Permissions ("app_label.codename") per role: this module's, plus each installed app's
    `<app>/roles.py` `ROLE_PERMISSIONS`, so every app declares its own grants.

    Permissions of apps not yet migrated are skipped by `sync_roles` and granted by a later
    migration of that app calling `sync_roles` again.
    """
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    merged: dict[str, list[str]] = {role: [] for role in ROLE_LABELS}
    sources = [_ACCOUNTS_PERMISSIONS]
    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.roles"
        if app_config.name != "accounts" and find_spec(module_name) is not None:
            sources.append(import_module(module_name).ROLE_PERMISSIONS)
    for source in sources:
        for role, permissions in source.items():
            merged[role].extend(p for p in permissions if p not in merged[role])
    return merged


def sync_roles(apps: Any = None) -> dict[str, list[str]]:
    """Create the role groups and grant exactly the declared permissions that exist.

    Returns the declared permissions that do not exist (yet), per role.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    registry = apps or global_apps
    for app_config in registry.get_app_configs():
        # Migration state apps carry no models module; permissions are created from the
        # state's models all the same (Django's documented recipe).
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, verbosity=0, apps=registry)
        finally:
            app_config.models_module = original
    group_model = registry.get_model("auth", "Group")
    permission_model = registry.get_model("auth", "Permission")
    missing: dict[str, list[str]] = {}
    for role, declared in declared_role_permissions().items():
        group, _ = group_model.objects.get_or_create(name=role)
        permissions = []
        for dotted in declared:
            app_label, codename = dotted.split(".", 1)
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                missing.setdefault(role, []).append(dotted)
            else:
                permissions.append(permission)
        group.permissions.set(permissions)
    return missing
