from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Health, logs, metrics (ADR 0024): how the people who run ctodp see it working."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "operations"

    def ready(self) -> None:
        # Every process (web, worker, beat) tags its log records with the task it runs.
        from django.db.backends.signals import connection_created

        from operations import logs, timestamps

        logs.connect_task_signals()
        # PostgreSQL timestamps parsed in compiled code (operations/timestamps.py).
        connection_created.connect(timestamps.fast_timestamps, weak=False)
