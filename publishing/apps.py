from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """Publications, sources, runs, the runner and outbox, schedules, the portal client."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "publishing"

    def ready(self) -> None:
        # Register the tasks in every process: services send them by name (outbox.send).
        # Publishing's own push gate goes first (the inventory's access level, the plan: ADR 0016).
        from celery.signals import worker_ready

        from publishing import gates, outbox, tasks  # noqa: F401

        gates.register()
        # Workers sweep runs themselves too, not only when beat's message reaches them.
        worker_ready.connect(outbox.start_worker_sweeper, weak=False)
