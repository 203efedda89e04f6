from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People and their roles: users, role groups, staff MFA policy, outbound e-mail."""

    name = "accounts"
    verbose_name = "Accounts and roles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts import (
            receivers,
            schema,  # noqa: F401 - registers the OpenAPI session scheme
        )

        user_logged_in.connect(receivers.logged_in, dispatch_uid="accounts-staff-session")
