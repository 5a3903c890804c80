"""事務局 sees the outbox (送信メール) and may retry the emails that failed: they answer for the mail that
registrations, workers and applications are owed. Running it again changes nothing."""

from django.db import migrations

OFFICE = "事務局"


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    office = Group.objects.filter(name=OFFICE).first()
    if office is None:
        return
    # On a fresh database a model's permissions are only created after all migrations ran.
    content_type, _ = ContentType.objects.get_or_create(app_label="home", model="outgoingemail")
    for action in ("view", "change"):
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_outgoingemail",
            defaults={"name": f"Can {action} outgoing email"},
        )
        office.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0012_personal_data_out_of_reference_index"),
        ("home", "0008_outbox"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
