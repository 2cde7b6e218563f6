from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "agencies"
