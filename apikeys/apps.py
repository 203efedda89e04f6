from django.apps import AppConfig


class ApiKeysConfig(AppConfig):
    """Organisation API keys: hashed keys with scopes that machines use to call the API."""

    name = "apikeys"
    verbose_name = "API keys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from apikeys import schema  # noqa: F401 - registers the OpenAPI security scheme
