from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    """Enforcement: penalty cases and the review of risky shipments."""

    name = "enforcement"
    verbose_name = "Enforcement"
    default_auto_field = "django.db.models.BigAutoField"
