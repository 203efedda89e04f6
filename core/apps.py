from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The cross-cutting pieces every app builds on: the audit log, the state-machine
    module, the client address and rate limiting. Imports nothing from the apps above it."""

    name = "core"
    verbose_name = "Audit log"
    default_auto_field = "django.db.models.BigAutoField"
