"""The 事務局 group: staff who handle event registrations in the Wagtail admin.

They may log in to the admin and view, change (contact details, and the cancel / confirm / resend
actions) and delete registrations, but not add them: people register through the public form.
Running it again changes nothing; reversing it removes the group (its permissions stay, they are the
model's own).
"""

from django.db import migrations

GROUP_NAME = "事務局"
REGISTRATION_ACTIONS = ["view", "change", "delete"]


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    # On a fresh database the model's permissions are only created after all migrations ran.
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def create_staff_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = [_permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")]
    permissions += [
        _permission(apps, "projects", "registration", f"{action}_registration", f"Can {action} 参加申込")
        for action in REGISTRATION_ACTIONS
    ]
    group.permissions.add(*permissions)


def remove_staff_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_registration_flow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # These give every group with admin access the choose permissions; the staff need none of them.
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(create_staff_group, remove_staff_group)]
