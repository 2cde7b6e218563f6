from django.db import migrations

STAFF_GROUPS = ["Chief Data Officer", "DAPA analyst", "Portal administrator"]


def forwards(apps, schema_editor):
    from agencies.directory import load_agencies

    Group = apps.get_model("auth", "Group")
    for name in STAFF_GROUPS:
        Group.objects.get_or_create(name=name)
    load_agencies(apps.get_model("agencies", "Agency"))


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
