from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data: accounts for every role, organisations and an application to review."""

    name = "demo"
    verbose_name = "Demo data"
    default_auto_field = "django.db.models.BigAutoField"
