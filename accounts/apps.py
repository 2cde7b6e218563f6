from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.core.exceptions import ImproperlyConfigured


class AccountsConfig(AppConfig):
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts and API tokens"

    def ready(self) -> None:
        check_group_map(settings.CTODP_OIDC_GROUP_MAP)  # a typo must stop start-up, not grant


def check_group_map(group_map: dict[str, str]) -> None:
    """Refuse to start with a map that names a staff group ctodp does not have (a typo would
    otherwise silently grant nothing, or remove a group on every sign-in). Here rather than in
    accounts/oidc.py so that start-up does not load the sign-in backend (ADR 0025)."""
    from agencies.models import StaffGroup

    unknown = sorted(set(group_map.values()) - set(StaffGroup.values))
    if unknown:
        raise ImproperlyConfigured(
            f"CTODP_OIDC_GROUP_MAP names unknown staff groups {unknown}; "
            f"use {sorted(StaffGroup.values)}"
        )


class CtodpAdminConfig(admin_apps.AdminConfig):
    """Django admin whose door is decided by agencies.permissions (and the second factor), not
    by the is_staff flag."""

    default = False
    default_site = "accounts.admin_site.CtodpAdminSite"
