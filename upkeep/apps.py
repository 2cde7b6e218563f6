from django.apps import AppConfig


class UpkeepConfig(AppConfig):
    """Portal sync, freshness, retirement."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "upkeep"
    verbose_name = "Upkeep"

    def ready(self) -> None:
        # Plug into publishing's extension points (publishing/extensions.py, ADR 0013).
        from upkeep import hooks

        hooks.register()
        # Register the tasks in every process: services send them by name (outbox.send).
        from upkeep import tasks  # noqa: F401
