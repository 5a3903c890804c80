"""Who may see and handle the talent registry (issue 9).

- 事務局: view, change and delete workers, support applications and team invitations, and add
  invitations (they invite workers to teams). Workers and applications come only from the public forms.
- 編集者, 承認者 and 事務局: add and change skills, like the catalog's other terms; 承認者 also delete them.
Editors and moderators see no personal data: they get no permission on workers, applications or
invitations. Running it again changes nothing.
"""

from django.db import migrations

OFFICE = "事務局"
EDITORS = "編集者"
MODERATORS = "承認者"

OFFICE_PERMISSIONS = [
    (model, action)
    for model in ("worker", "supportapplication", "teaminvitation")
    for action in ("view", "change", "delete")
] + [("teaminvitation", "add")]
SKILL_PERMISSIONS = {
    EDITORS: ["add", "change"],
    OFFICE: ["add", "change"],
    MODERATORS: ["add", "change", "delete"],
}


def _permission(apps, model, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    # On a fresh database a model's permissions are only created after all migrations ran.
    content_type, _ = ContentType.objects.get_or_create(app_label="projects", model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    office = Group.objects.filter(name=OFFICE).first()
    if office is not None:
        office.permissions.add(*(_permission(apps, model, action) for model, action in OFFICE_PERMISSIONS))
    for name, actions in SKILL_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*(_permission(apps, "skill", action) for action in actions))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0009_talent_registry"),
        ("home", "0006_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
