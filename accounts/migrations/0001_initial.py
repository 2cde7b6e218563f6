"""API tokens move here from the former `api_tokens` app (docs/adr/0013-apps-by-capability.md).

The table keeps its name (`api_tokens_apitoken`): a database migrated before the move keeps its
tokens and only the migration state changes; a new database gets the table here.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = "apitoken"


def create_table_unless_it_exists(apps, schema_editor):
    model = apps.get_model("accounts", "ApiToken")
    if model._meta.db_table not in schema_editor.connection.introspection.table_names():
        schema_editor.create_model(model)


def move_content_type(apps, schema_editor):
    """Keep permissions and admin log entries attached: the content type changes app."""
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="accounts", model=MOVED).exists():
        content_types.objects.filter(app_label="api_tokens", model=MOVED).update(
            app_label="accounts"
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                help_text="What the token is for (the integration).",
                                max_length=100,
                            ),
                        ),
                        (
                            "prefix",
                            models.CharField(
                                help_text="The token's first characters.", max_length=12
                            ),
                        ),
                        (
                            "key_digest",
                            models.CharField(editable=False, max_length=64, unique=True),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now),
                        ),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        ("expires_at", models.DateTimeField(blank=True, null=True)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_tokens",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "API token",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "api_tokens_apitoken",
                    },
                ),
            ],
        ),
        migrations.RunPython(create_table_unless_it_exists, migrations.RunPython.noop),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
