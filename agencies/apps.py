from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AgenciesConfig(AppConfig):
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "agencies"


class CtodpAdminConfig(admin_apps.AdminConfig):
    """Django admin whose door is decided by agencies.permissions, not by the is_staff flag."""

    default = False
    default_site = "agencies.admin_site.CtodpAdminSite"
