from django.apps import AppConfig


class TelecareConfig(AppConfig):
    name = "telecare"
    verbose_name = "Telecare clinic"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
