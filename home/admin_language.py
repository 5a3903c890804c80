"""The admin's English that no catalogue reaches: names stored in the database and labels Wagtail builds
from field names. The catalogue (locale/ja/, docs/translation.md) does the rest.

- Permission names are stored when the migrations create them, in English ("Can add page"). After every
  migrate they are renamed: Django's four (add, change, delete, view) after the model's Japanese name
  (「ページの追加」), the others through the catalogue (「Wagtail管理画面にアクセスできる」).
- Wagtail's first page and collection are called "Root"; staff see them in the explorer's breadcrumbs and
  the collection lists. They become 「ルート」 while they still carry that name.
- A few admin labels come from field names with no translation: the sites list's columns, the promoted
  search result's external link text, the page a workflow is assigned to and a group's page permission.
- Wagtail's detail (inspect) views print a field's value as Python does: True, False, None, and times in
  UTC (its template localizes the value after the time zone conversion was due). They show はい, いいえ,
  — and Tokyo time (home/dates.py) instead.
- Japanese nouns have no plural, but a model that names none gets Django's English one, its name and an
  "s" (「一般ページs」); such a model's plural is its name.
"""

import datetime

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Permission
from django.db import DEFAULT_DB_ALIAS
from django.utils import translation

from .dates import format_day, format_day_time

BUILTIN_ACTIONS = {"add": "追加", "change": "変更", "delete": "削除", "view": "閲覧"}
ROOT_NAME = "ルート"
SITE_COLUMNS = {"port": "ポート", "site_name": "サイト名", "root_page": "ルートページ"}


def japanese_permission_name(permission):
    """The name staff should read for a permission, or its own when there is nothing better. Django's four
    are told by their codename and English wording; the model may have been renamed since."""
    model = permission.content_type.model_class()
    action = permission.codename.partition("_")[0]
    if (
        action in BUILTIN_ACTIONS
        and model is not None
        and permission.codename == f"{action}_{model._meta.model_name}"
        and permission.name.startswith(f"Can {action} ")
    ):
        return f"{translation.gettext(str(model._meta.verbose_name))}の{BUILTIN_ACTIONS[action]}"
    return translation.gettext(permission.name)


def name_permissions_in_japanese(using=DEFAULT_DB_ALIAS, **kwargs):
    renamed = []
    with translation.override("ja"):
        for permission in Permission.objects.using(using).select_related("content_type"):
            name = str(japanese_permission_name(permission))[: Permission._meta.get_field("name").max_length]
            if name != permission.name:
                permission.name = name
                renamed.append(permission)
    Permission.objects.using(using).bulk_update(renamed, ["name"])


def name_the_roots_in_japanese(using=DEFAULT_DB_ALIAS, **kwargs):
    from wagtail.models import Collection, Page

    Page.objects.using(using).filter(depth=1, title="Root").update(title=ROOT_NAME, draft_title=ROOT_NAME)
    Collection.objects.using(using).filter(depth=1, name="Root").update(name=ROOT_NAME)


def after_migrate(app_config, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """post_migrate, once per app. Django's own receiver, which creates the app's permissions, may come
    after this one; it is idempotent, so it runs first here."""
    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    name_permissions_in_japanese(using=using)
    name_the_roots_in_japanese(using=using)


def japanese_value(value):
    """A plain value as staff should read it; anything else as it is."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, datetime.datetime):
        return format_day_time(value)
    if isinstance(value, datetime.date):
        return format_day(value)
    return value


def show_values_in_japanese():
    """Installed once at start-up (HomeConfig.ready): every inspect view, the project's and Wagtail's."""
    from wagtail.admin.views.generic.models import InspectView

    original = InspectView.get_field_display_value
    if getattr(original, "japanese_values", False):
        return

    def get_field_display_value(self, field_name, field):
        return japanese_value(original(self, field_name, field))

    get_field_display_value.japanese_values = True
    InspectView.get_field_display_value = get_field_display_value


def label_fields_without_translation():
    """Labels Django and Wagtail derive from a name, installed once at start-up (HomeConfig.ready)."""
    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.sites.views import IndexView
    from wagtail.users.forms import PagePermissionsForm

    for model in global_apps.get_models():
        if "verbose_name_plural" not in model._meta.original_attrs:
            model._meta.verbose_name_plural = model._meta.verbose_name

    for column in IndexView.columns:
        if column.name in SITE_COLUMNS:
            column.label = SITE_COLUMNS[column.name]
    SearchPromotion._meta.get_field("external_link_text").verbose_name = "外部リンクの文字"
    WorkflowPageForm.base_fields["page"].label = "ページ"
    PagePermissionsForm.base_fields["page"].label = "ページ"
