from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Privacy screens, exceptions, aggregation and suppression."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        # Plug into publishing's extension points (publishing/extensions.py, ADR 0013).
        from privacy import hooks

        hooks.register()
        # Register the tasks in every process: services send them by name (outbox.send).
        from privacy import tasks  # noqa: F401

        # Screens and aggregations read the source: they run on the agency's queue (ADR 0024).
        from privacy.models import PrivacyScreen, SuppressionJob
        from publishing import routing

        routing.agency_lookups["publishing.screen_publication"] = routing.by_publication_of(
            PrivacyScreen
        )
        routing.agency_lookups["publishing.suppress_publication"] = routing.by_publication_of(
            SuppressionJob
        )
