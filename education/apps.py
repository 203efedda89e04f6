from django.apps import AppConfig


class EducationConfig(AppConfig):
    """Education: compliance guidance for importers and shippers, and training modules."""

    name = "education"
    verbose_name = "Guidance and training"
    default_auto_field = "django.db.models.BigAutoField"
