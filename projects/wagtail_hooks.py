"""Admin registration: the catalog's terms under one 分類 menu, the registrations roster, the office panel."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail_modeladmin.options import modeladmin_register

from .dashboard import add_office_panel
from .models import FACETS, AnnualResultsIntroduction, Skill
from .registration.admin import RegistrationAdmin

# The talent registry's admin (issue 9) registers its own hooks, one module per part.
from .talent.applications import admin as application_admin  # noqa: F401, E402
from .talent.teams import admin as team_admin  # noqa: F401, E402
from .talent.workers import admin as worker_admin  # noqa: F401, E402


def term_viewset(model):
    return type(
        f"{model.__name__}ViewSet",
        (SnippetViewSet,),
        {
            "model": model,
            "icon": "tag",
            "list_display": ["name", "slug", "sort_order"],
            "search_fields": ["name", "slug"],
            # Term lists are short: a plain database match finds part-words, which full-text search would not.
            "search_backend_name": None,
            "ordering": ["sort_order", "name"],
        },
    )


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    menu_label = "分類"
    menu_icon = "tag"
    menu_order = 250
    # The five facets, then the skills workers offer (the talent registry's own term, issue 9).
    items = [*(term_viewset(facet.model) for facet in FACETS), term_viewset(Skill)]


register_snippet(TaxonomyViewSetGroup)


class AnnualResultsIntroductionViewSet(SnippetViewSet):
    model = AnnualResultsIntroduction
    icon = "doc-full"
    menu_label = "年度別実績の紹介文"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["fiscal_year"]


register_snippet(AnnualResultsIntroductionViewSet)


# Event registrations (参加申込): the roster, its actions and the CSV, for the 事務局 group.
modeladmin_register(RegistrationAdmin)


# The office's dashboard panel (events and registrations, projects by status, pages awaiting approval).
hooks.register("construct_homepage_panels", add_office_panel)
