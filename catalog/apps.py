from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The public side."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from catalog import portal

        portal.register()
