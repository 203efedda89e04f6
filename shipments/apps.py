from django.apps import AppConfig


class ShipmentsConfig(AppConfig):
    """Advance e-commerce shipment data: filing over the API, versions, risk decisions."""

    name = "shipments"
    verbose_name = "Shipments"
    default_auto_field = "django.db.models.BigAutoField"
