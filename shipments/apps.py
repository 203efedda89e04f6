from django.apps import AppConfig


class ShipmentsConfig(AppConfig):
    """Advance e-commerce shipment data: filing over the API, versions, risk decisions."""

    name = "shipments"
    verbose_name = "Shipments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from shipments import lookups, tasks, vetting_checks
        from shipments.targeting import signals as targeting_signals

        # Registered in every process, not only the workers: filing looks the screening task
        # up by name in the web process (Celery's discovery is lazy).
        del tasks
        lookups.register()
        targeting_signals.connect()
        vetting_checks.register()
