from django.apps import AppConfig
from django.conf import settings


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts and API tokens"

    def ready(self) -> None:
        from accounts.oidc import check_group_map

        check_group_map(settings.CTODP_OIDC_GROUP_MAP)  # a typo must stop start-up, not grant
