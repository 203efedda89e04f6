from django.apps import AppConfig


class EducationConfig(AppConfig):
    """Education: compliance guidance for importers and shippers, and training modules."""

    name = "education"
    verbose_name = "Guidance and training"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from education import caching
        from education.vetting_checks import SPEC
        from shippers.vetting.registry import register_check

        register_check(SPEC)
        caching.connect()
