from django.apps import AppConfig


class AccessPlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "access_plans"
