"""The editorial groups and the moderation workflow the center's office works with.

- 編集者 (editors): write and edit pages, images and documents, manage taxonomy terms and other snippets,
  menus and search picks; they submit pages for moderation and cannot publish. Page permissions beyond
  adding and editing that an existing database gave Wagtail's "Editors" group are taken away.
- 承認者 (moderators): everything editors may do, plus publish, approve, lock and delete pages, change the
  center's settings, and manage redirects.
- 事務局 (office staff, created by projects 0007): everything editors may do, plus registrations.

Wagtail's own "Editors" and "Moderators" groups are renamed rather than duplicated, and its default
workflow becomes 承認フロー, a single approval by 承認者, on the root page so that every section
(news, organizations, projects, events) is moderated. Running it again changes nothing.
"""

from django.db import migrations

EDITORS, MODERATORS, OFFICE = "編集者", "承認者", "事務局"
WAGTAIL_GROUP_NAMES = {EDITORS: "Editors", MODERATORS: "Moderators"}
WORKFLOW_NAME = "承認フロー"
TASK_NAME = "承認者による承認"

EDITOR_PAGE_PERMISSIONS = ["add", "change"]
MODERATOR_PAGE_PERMISSIONS = EDITOR_PAGE_PERMISSIONS + ["publish", "bulk_delete", "lock", "unlock"]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", action) for action in ("add", "change", "choose")
] + [("wagtaildocs", "document", action) for action in ("add", "change", "choose")]
MODERATOR_COLLECTION_PERMISSIONS = EDITOR_COLLECTION_PERMISSIONS + [
    ("wagtailimages", "image", "delete"),
    ("wagtaildocs", "document", "delete"),
]
SNIPPET_MODELS = ["problem", "category", "supportmenu", "area", "program", "annualresultsintroduction"]
EDITOR_MODEL_PERMISSIONS = (
    [("wagtailadmin", "admin", "access_admin")]
    + [("projects", model, action) for model in SNIPPET_MODELS for action in ("add", "change")]
    + [("home", "navigationsettings", "change")]
    + [("wagtailsearchpromotions", "searchpromotion", action) for action in ("add", "change", "delete")]
)
MODERATOR_MODEL_PERMISSIONS = (
    EDITOR_MODEL_PERMISSIONS
    + [("projects", model, "delete") for model in SNIPPET_MODELS]
    # The center's name, address and privacy policy link go live at once: only moderators change them.
    + [("home", "centersettings", "change")]
    + [("wagtailredirects", "redirect", action) for action in ("add", "change", "delete")]
)


def _permission(apps, app_label, model, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    codename = action if model == "admin" else f"{action}_{model}"
    # On a fresh database a model's permissions are only created after all migrations ran.
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": f"Can {action} {model}"}
    )
    return permission


def _group(apps, name):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=name).first()
    if group is None:
        group = Group.objects.filter(name=WAGTAIL_GROUP_NAMES.get(name, name)).first()
        if group is not None:
            group.name = name
            group.save()
        else:
            group = Group.objects.create(name=name)
    return group


def _grant(apps, group, root_page, root_collection, page_actions, collection_perms, model_perms):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    group.permissions.add(*[_permission(apps, *spec) for spec in model_perms])
    if root_page is not None:
        for action in page_actions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_permission(apps, "wagtailcore", "page", action)
            )
    if root_collection is not None:
        for spec in collection_perms:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_permission(apps, *spec)
            )


def _only_editing_pages(apps, group):
    """Take away any page permission beyond adding and editing, on any page: a database whose Wagtail
    "Editors" group was given more keeps editors from publishing all the same."""
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    allowed = [f"{action}_page" for action in EDITOR_PAGE_PERMISSIONS]
    GroupPagePermission.objects.filter(group=group).exclude(permission__codename__in=allowed).delete()


def _approval_workflow(apps, moderators, root_page):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task = GroupApprovalTask.objects.filter(groups=moderators, active=True).order_by("pk").first()
    if task is None:
        task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.name = TASK_NAME
    task.save()
    # Added, not set: groups a site already trusted with approval keep it.
    task.groups.add(moderators)

    workflow = Workflow.objects.filter(workflow_tasks__task=task, active=True).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.name = WORKFLOW_NAME
    workflow.save()
    if root_page is not None:
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


def create_editorial_groups(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    root_page = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()

    editors, moderators, office = _group(apps, EDITORS), _group(apps, MODERATORS), _group(apps, OFFICE)
    editor_rights = (EDITOR_PAGE_PERMISSIONS, EDITOR_COLLECTION_PERMISSIONS, EDITOR_MODEL_PERMISSIONS)
    for group in (editors, office):
        _grant(apps, group, root_page, root_collection, *editor_rights)
        _only_editing_pages(apps, group)
    _grant(
        apps,
        moderators,
        root_page,
        root_collection,
        MODERATOR_PAGE_PERMISSIONS,
        MODERATOR_COLLECTION_PERMISSIONS,
        MODERATOR_MODEL_PERMISSIONS,
    )
    _approval_workflow(apps, moderators, root_page)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_newsroom"),
        ("projects", "0007_registration_staff_group"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]

    operations = [migrations.RunPython(create_editorial_groups, migrations.RunPython.noop)]
