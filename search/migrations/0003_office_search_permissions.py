"""事務局 keep search's word lists: they add, change and delete synonyms (設定 → 同義語) and read the report of
searches that found nothing (レポート → 見つからなかった検索). Running it again changes nothing."""

from django.db import migrations

OFFICE = "事務局"
PERMISSIONS = [
    ("synonymgroup", action) for action in ("add", "change", "delete", "view")
] + [("zeroresultsearch", "view")]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    office = Group.objects.filter(name=OFFICE).first()
    if office is None:
        return
    for model, action in PERMISSIONS:
        # On a fresh database a model's permissions are only created after all migrations ran.
        content_type, _ = ContentType.objects.get_or_create(app_label="search", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
        )
        office.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_default_synonyms"),
        # The 事務局 group (created by projects 0007, completed by home 0006).
        ("home", "0006_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
