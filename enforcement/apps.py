from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    """Enforcement: penalty cases and the review of risky shipments."""

    name = "enforcement"
    verbose_name = "Enforcement"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from enforcement.vetting_checks import SPEC
        from shippers.vetting.registry import register_check

        register_check(SPEC)
