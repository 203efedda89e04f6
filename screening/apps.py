from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    """Denied-party screening: list versions, explained name matching, false positives.

    The matching itself is the pure-Python `screening.engine`; this app stores list versions
    and their differences, keeps an in-process index of the active lists, and offers the
    import and screen commands, the officer screening page and the screening API.
    """

    name = "screening"
    verbose_name = "Denied-party screening"
    default_auto_field = "django.db.models.BigAutoField"
