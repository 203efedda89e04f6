from django.apps import AppConfig


class ShippersConfig(AppConfig):
    """Shippers: organisations, the known-shipper application, vetting, certificates."""

    name = "shippers"
    verbose_name = "Known shippers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from shippers import caching
        from shippers.vetting import receivers
        from shippers.vetting.checks import SHIPPERS_CHECKS
        from shippers.vetting.registry import register_check

        for spec in SHIPPERS_CHECKS:
            register_check(spec)
        receivers.connect()
        caching.connect()
