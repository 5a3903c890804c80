"""One registry says what a change invalidates (home/invalidation.py); the page cache and the CDN purge both
read it, so every record a visitor can see drops cached pages and purges the CDN, or is declared private."""

import pytest
from django.apps import apps
from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from home import invalidation
from projects.models import (
    AnnualResultsIntroduction,
    Skill,
    SupportApplication,
    TeamInvitation,
    Worker,
    WorkerRegistrationPage,
)
from tests.builders import add_page, make_event, make_organization, make_project
from tests.cdn import paths

pytestmark = pytest.mark.django_db

SITE_APPS = ("home", "projects")


def content_models():
    """Every model of the site's own apps that is not a page, and the Wagtail records pages show."""
    own = [
        model
        for label in SITE_APPS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, Page)
    ]
    return [*own, Site, get_image_model(), get_document_model()]


def every_live_address():
    return {page.url for page in Page.objects.live().filter(depth__gt=1).specific()}


def test_every_record_of_the_sites_apps_is_declared():
    undeclared = [model.__name__ for model in content_models() if invalidation.rule_for(model) is None]
    assert undeclared == []


def test_personal_records_are_declared_private():
    for model in (Worker, SupportApplication):
        assert invalidation.rule_for(model).reach == invalidation.PRIVATE


@pytest.mark.parametrize(
    "model",
    [
        model
        for model in content_models()
        if getattr(invalidation.rule_for(model), "reach", None) == "everywhere"
    ],
    ids=lambda model: model.__name__,
)
def test_a_record_shown_everywhere_drops_every_page_and_purges_the_cdn_of_every_page(
    model, tree, cdn, django_capture_on_commit_callbacks
):
    version = invalidation.content_version()
    # Saved as far as every receiver can tell: an id no row has, so nothing else on the page changes.
    with django_capture_on_commit_callbacks(execute=True):
        post_save.send(sender=model, instance=model(pk=999_999), created=False)
    assert invalidation.content_version() != version
    assert paths(cdn) == every_live_address()


def test_an_annual_results_introduction_drops_the_cached_pages_and_purges_the_cdn(
    tree, cdn, django_capture_on_commit_callbacks
):
    version = invalidation.content_version()
    with django_capture_on_commit_callbacks(execute=True):
        AnnualResultsIntroduction.objects.create(fiscal_year=2016, body="<p>初年度の成果です。</p>")
    assert invalidation.content_version() != version
    assert paths(cdn) == every_live_address()


def test_an_invitation_drops_its_projects_page_and_purges_it_alone(
    client, tree, cdn, django_capture_on_commit_callbacks
):
    project = make_project(tree.projects, make_organization(tree.organizations))
    worker = Worker.objects.create(name="登録 太郎", email="taro@example.jp", status="active")
    paths(cdn)
    cdn.clear()
    version = invalidation.content_version()
    with django_capture_on_commit_callbacks(execute=True):
        TeamInvitation.objects.create(project=project, worker=worker, status="accepted")
    # The team shows on the project's page alone, which declared the team's key while rendering.
    assert invalidation.content_version() == version
    assert paths(cdn) == {project.url}


def test_a_skill_purges_the_sign_up_form_that_lists_it(tree, cdn, django_capture_on_commit_callbacks):
    join = add_page(tree.home, WorkerRegistrationPage(title="プロボノワーカー登録", slug="join"))
    paths(cdn)
    cdn.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Skill.objects.create(name="経理", slug="accounting")
    assert paths(cdn) == {join.url}


def test_a_private_record_drops_and_purges_nothing(tree, cdn, django_capture_on_commit_callbacks):
    version = invalidation.content_version()
    with django_capture_on_commit_callbacks(execute=True):
        Worker.objects.create(name="登録 太郎", email="taro@example.jp")
    assert invalidation.content_version() == version
    assert paths(cdn) == set()


def test_time_alone_bounds_a_cached_page_by_the_next_event_moment(tree):
    starts = timezone.now() + timezone.timedelta(days=3)
    make_event(tree.events, starts_at=starts, ends_at=starts + timezone.timedelta(hours=2))
    assert min(invalidation.next_moments(timezone.now())) == starts
