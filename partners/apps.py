from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Partner administrations under mutual recognition: bulk status, signed notifications
    and the recognition of their trusted-trader programs."""

    name = "partners"
    verbose_name = "Partner administrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from partners import receivers  # noqa: F401 - subscribes to the audit log
        from partners.hooks import areas_covered_by_recognition, verify_recognitions
        from partners.portal_panels import SPEC as RECOGNITION_PANEL
        from partners.recognition_check import SPEC
        from shippers.extensions import register_question_exemption, register_verification_extra
        from shippers.panels import register_panel
        from shippers.vetting.registry import register_check

        register_check(SPEC)
        register_verification_extra(verify_recognitions)
        register_question_exemption(areas_covered_by_recognition)
        register_panel(RECOGNITION_PANEL)
