from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts and API tokens"

    def ready(self) -> None:
        from accounts.oidc import check_group_map

        check_group_map(settings.CTODP_OIDC_GROUP_MAP)  # a typo must stop start-up, not grant


class CtodpAdminConfig(admin_apps.AdminConfig):
    """Django admin whose door is decided by agencies.permissions (and the second factor), not
    by the is_staff flag."""

    default = False
    default_site = "accounts.admin_site.CtodpAdminSite"
