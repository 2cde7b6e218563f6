from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """Publications, sources, runs, the runner and outbox, schedules, the portal client."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "publishing"

    def ready(self) -> None:
        # Register the tasks in every process: services send them by name (outbox.send).
        # Publishing's own push gate goes first (the inventory's access level, the plan: ADR 0016).
        from publishing import gates, tasks  # noqa: F401

        gates.register()
