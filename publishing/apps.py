from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """Publications, sources, runs, the runner and outbox, schedules, the portal client."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "publishing"

    def ready(self) -> None:
        # Register the tasks in every process: services send them by name (outbox.send).
        from publishing import tasks  # noqa: F401
