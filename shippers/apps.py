from django.apps import AppConfig


class ShippersConfig(AppConfig):
    """Shippers: organisations, the known-shipper application, vetting, certificates."""

    name = "shippers"
    verbose_name = "Known shippers"
    default_auto_field = "django.db.models.BigAutoField"
