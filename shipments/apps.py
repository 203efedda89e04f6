from django.apps import AppConfig


class ShipmentsConfig(AppConfig):
    """Advance e-commerce shipment data: filing over the API, versions, risk decisions."""

    name = "shipments"
    verbose_name = "Shipments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from shipments import targeting_admin, targeting_signals, vetting_checks

        del targeting_admin  # imported for its admin registrations
        targeting_signals.connect()
        vetting_checks.register()
