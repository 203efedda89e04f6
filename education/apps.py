from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

from education import search_sqlite


def _ensure_sqlite_search_index(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if connections[using].vendor == "sqlite":
        search_sqlite.ensure_index(connections[using])


class EducationConfig(AppConfig):
    """Education: compliance guidance for importers and shippers, and training modules."""

    name = "education"
    verbose_name = "Guidance and training"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from education import caching
        from education.portal_panels import SPEC as TRAINING_PANEL
        from education.vetting_checks import SPEC
        from shippers.panels import register_panel
        from shippers.vetting.registry import register_check

        register_check(SPEC)
        register_panel(TRAINING_PANEL)
        caching.connect()
        post_migrate.connect(
            _ensure_sqlite_search_index, sender=self, dispatch_uid="education-sqlite-search"
        )
