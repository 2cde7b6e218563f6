from django.apps import AppConfig


class ProgramConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "program"
    verbose_name = "Program oversight"

    def ready(self) -> None:
        from accounts import admin_site
        from program.workspace import admin_index_panel

        if admin_index_panel not in admin_site.index_panels:
            admin_site.index_panels.append(admin_index_panel)
