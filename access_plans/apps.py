from django.apps import AppConfig


class AccessPlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "access_plans"

    def ready(self) -> None:
        # The year's status on the home page (agencies/extensions.py, ADR 0013).
        from access_plans import hooks

        hooks.register()
