from django.apps import AppConfig


class SharingConfig(AppConfig):
    """Data sharing agreements between agencies, OPM and outside bodies (ADR 0026)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "sharing"
    verbose_name = "Data sharing"

    def ready(self) -> None:
        # The dataset page's sharing panel (inventories/extensions.py, ADR 0013).
        from sharing import hooks

        hooks.register()
        # The agreement's permission rules (who sees and manages it).
        # Register the tasks in every process (beat sends them by name).
        from sharing import (
            permissions,  # noqa: F401
            tasks,  # noqa: F401
        )
