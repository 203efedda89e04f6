from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People and their roles: users, role groups, staff MFA policy, outbound e-mail."""

    name = "accounts"
    verbose_name = "Accounts and roles"
    default_auto_field = "django.db.models.BigAutoField"
