"""The newsroom's rules: who may publish, the approval workflow, scheduled publishing and previews.

Users belong to the groups the data migration creates (編集者, 承認者, 事務局), and act through the
Wagtail admin as they would in a browser.
"""

import datetime
import importlib
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.models import GroupPagePermission, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail.test.utils.page_tests import querydict_from_html

from home.models import ArticlePage
from tests.builders import (
    logged_in,
    make_article,
    make_event,
    make_organization,
    make_project,
    make_standard_page,
    make_user,
)

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def member_of_group(group):
    user = get_user_model().objects.create_user("member", "member@example.jp", "x")
    user.groups.add(group)
    return user


@pytest.fixture
def editor(django_user_model):
    return make_user("henshu", "編集者")


@pytest.fixture
def moderator(django_user_model):
    return make_user("shonin", "承認者")


@pytest.fixture
def office(django_user_model):
    return make_user("jimu", "事務局")


@pytest.fixture
def section_pages(tree):
    """One live page in each section the workflow must cover."""
    organization = make_organization(tree.organizations)
    return {
        "news": make_article(tree.news),
        "organizations": organization,
        "projects": make_project(tree.projects, organization),
        "events": make_event(tree.events),
    }


def article_form(title, slug, **fields):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "date": "2026-11-20",
            "author": "事務局 広報担当",
            "lead": "説明会の申込受付を始めました。",
            "body": streamfield([("paragraph", rich_text("<p>土曜の午後に開きます。</p>"))]),
            "tags": "お知らせ",
            "related_pages": inline_formset([]),
            **fields,
        }
    )


def add_article_url(news):
    return reverse("wagtailadmin_pages:add", args=["home", "articlepage", news.pk])


PUBLISH, SUBMIT = {"action-publish": "公開"}, {"action-submit": "承認を申請"}


def write_article(client, news, action, title="説明会のお知らせ", slug="briefing-news", **fields):
    """Post the admin's add form for an article with the publish or submit button."""
    return client.post(add_article_url(news), article_form(title, slug, **fields, **action))


def feed_titles(client):
    return [item.findtext("title") for item in ET.fromstring(client.get("/news/feed/").content).iter("item")]


def edit_form_data(client, page):
    """The admin edit form's fields as a browser would post them. StreamFields are drawn by the admin's
    JavaScript, so their inputs are not in the HTML: they are posted empty, which previews and drafts
    accept."""
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    for field in page.specific_class._meta.get_fields():
        if isinstance(field, StreamField) and f"{field.name}-count" not in data:
            data[f"{field.name}-count"] = "0"
    return data


def approve(client, page):
    task_state = WorkflowState.objects.active().get(object_id=str(page.pk)).current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(url, {"comment": ""})


def sitemap_locations(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    return [loc.text for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)]


# Who may publish


@pytest.mark.parametrize("section", ["news", "organizations", "projects", "events"])
def test_every_section_is_under_the_approval_workflow(section_pages, section):
    workflow = section_pages[section].get_workflow()
    assert workflow is not None and workflow.active
    assert [task.name for task in workflow.tasks] == ["承認者による承認"]
    assert [group.name for group in workflow.tasks[0].specific.groups.all()] == ["承認者"]


@pytest.mark.parametrize("section", ["news", "organizations", "projects", "events"])
def test_editors_and_office_edit_but_only_moderators_publish(
    section_pages, editor, moderator, office, section
):
    page = section_pages[section]
    for user, may_publish in [(editor, False), (office, False), (moderator, True)]:
        permissions = page.permissions_for_user(user)
        assert permissions.can_edit(), user.username
        assert permissions.can_publish() is may_publish, user.username
        assert page.get_parent().permissions_for_user(user).can_add_subpage(), user.username


def test_editor_asking_to_publish_only_saves_a_draft(tree, editor):
    response = write_article(logged_in(editor), tree.news, PUBLISH)
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="briefing-news")
    assert not article.live
    assert Client().get("/news/briefing-news/").status_code == 404


def test_editor_cannot_publish_an_edit_of_a_live_article(tree, editor):
    article = make_article(tree.news, title="成果報告会を開きました")
    client = logged_in(editor)
    data = edit_form_data(client, article)
    data["title"] = "書き換えたタイトル"
    data["action-publish"] = "公開"
    client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    article.refresh_from_db()
    assert article.title == "成果報告会を開きました"
    assert article.has_unpublished_changes
    assert "書き換えたタイトル" not in Client().get(article.url).content.decode()


def test_editor_cannot_approve_their_own_submission(tree, editor):
    client = logged_in(editor)
    write_article(client, tree.news, SUBMIT)
    article = ArticlePage.objects.get(slug="briefing-news")
    approve(client, article)
    article.refresh_from_db()
    assert not article.live
    assert article.workflow_in_progress


def test_moderator_publishes_directly(tree, moderator):
    response = write_article(logged_in(moderator), tree.news, PUBLISH)
    assert response.status_code == 302
    assert ArticlePage.objects.get(slug="briefing-news").live
    assert Client().get("/news/briefing-news/").status_code == 200


def test_menus_are_the_editors_but_the_centers_identity_is_the_moderators(tree, editor, moderator, office):
    site_id = tree.home.get_site().pk
    for user, may_change_identity in [(editor, False), (office, False), (moderator, True)]:
        client = logged_in(user)
        assert client.get(f"/admin/settings/home/navigationsettings/{site_id}/").status_code == 200
        response = client.get(f"/admin/settings/home/centersettings/{site_id}/")
        assert (response.status_code == 200) is may_change_identity, user.username


def test_the_migration_tightens_groups_an_older_site_customised(tree, section_pages):
    """A site upgraded from before this migration: Wagtail's "Editors" group was allowed to publish the news
    section, and 事務局 was made an approver. Editors lose publishing; 事務局 stays an approver."""
    migration = importlib.import_module("home.migrations.0006_editorial_groups")
    editors = Group.objects.get(name="編集者")
    editors.name = "Editors"
    editors.save()
    publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    GroupPagePermission.objects.create(group=editors, page=tree.news, permission=publish)
    task = section_pages["news"].get_workflow().tasks[0].specific
    task.groups.add(Group.objects.get(name="事務局"))

    migration.create_editorial_groups(django_apps, None)

    assert not Group.objects.filter(name="Editors").exists()
    editors = Group.objects.get(name="編集者")
    assert not GroupPagePermission.objects.filter(group=editors, permission__codename="publish_page").exists()
    assert not section_pages["news"].permissions_for_user(member_of_group(editors)).can_publish()
    assert set(task.groups.values_list("name", flat=True)) == {"承認者", "事務局"}
    assert section_pages["news"].get_workflow().tasks[0].name == "承認者による承認"


def test_only_the_office_sees_registrations(editor, moderator, office):
    for user, allowed in [(editor, False), (moderator, False), (office, True)]:
        response = logged_in(user).get("/admin/projects/registration/")
        assert (response.status_code == 200) is allowed, user.username


# The whole journey: write, submit, approve, and it is everywhere


def test_submitted_article_approved_by_a_moderator_appears_on_home_feed_and_sitemap(tree, editor, moderator):
    title = "説明会の申込を受け付けています"
    response = write_article(logged_in(editor), tree.news, SUBMIT, title=title, slug="briefing-open")
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="briefing-open")
    assert not article.live
    assert article.workflow_in_progress
    visitor = Client()
    assert title not in visitor.get("/").content.decode()
    assert not any(location.endswith("/news/briefing-open/") for location in sitemap_locations(visitor))
    assert [message.to for message in mail.outbox] == [[moderator.email]]

    dashboard = logged_in(moderator).get("/admin/").content.decode()
    assert title in dashboard

    mail.outbox.clear()
    approve(logged_in(moderator), article)
    assert [message.to for message in mail.outbox] == [[editor.email]]

    article.refresh_from_db()
    assert article.live
    assert not article.workflow_in_progress
    assert visitor.get("/news/briefing-open/").status_code == 200
    assert title in visitor.get("/").content.decode()
    assert title in feed_titles(visitor)
    assert any(location.endswith("/news/briefing-open/") for location in sitemap_locations(visitor))


# Scheduled publishing


def add_draft(news, **fields):
    article = ArticlePage(date=datetime.date(2026, 11, 20), live=False, **fields)
    news.add_child(instance=article)
    return article


def schedule(page, go_live_at):
    """Publish `page` for `go_live_at`, as a moderator does by setting 公開日時 and publishing."""
    page.go_live_at = go_live_at
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return revision


def test_scheduled_article_goes_live_only_once_its_time_has_come(tree):
    later = add_draft(tree.news, slug="later", title="来週公開する記事")
    schedule(later, timezone.now() + datetime.timedelta(days=7))
    assert not ArticlePage.objects.get(pk=later.pk).live
    # Scheduled for an hour ago and not yet picked up: the state the cron job finds after the time came.
    due = add_draft(tree.news, slug="due", title="公開予定の時刻を過ぎた記事")
    due.go_live_at = timezone.now() - datetime.timedelta(hours=1)
    due.save_revision(approved_go_live_at=due.go_live_at)
    assert not ArticlePage.objects.get(pk=due.pk).live

    call_command("publish_scheduled")

    visitor = Client()
    assert ArticlePage.objects.get(pk=due.pk).live
    assert visitor.get("/news/due/").status_code == 200
    assert not ArticlePage.objects.get(pk=later.pk).live
    assert visitor.get("/news/later/").status_code == 404
    assert not any(location.endswith("/news/later/") for location in sitemap_locations(visitor))


def test_expired_article_is_withdrawn_by_publish_scheduled(tree):
    article = make_article(tree.news, slug="campaign", title="期間限定のお知らせ")
    ArticlePage.objects.filter(pk=article.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))

    call_command("publish_scheduled")

    article.refresh_from_db()
    assert not article.live
    assert article.expired
    assert Client().get("/news/campaign/").status_code == 404


def test_moderator_schedules_through_the_admin(tree, moderator):
    go_live = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    write_article(logged_in(moderator), tree.news, PUBLISH, slug="next-week", go_live_at=go_live)
    article = ArticlePage.objects.get(slug="next-week")
    assert not article.live
    assert article.scheduled_revision is not None
    assert Client().get("/news/next-week/").status_code == 404


# Previews


@pytest.fixture
def one_page_of_each_type(tree):
    organization = make_organization(tree.organizations)
    return [
        tree.home,
        make_standard_page(tree.home),
        tree.news,
        make_article(tree.news),
        tree.organizations,
        organization,
        tree.projects,
        make_project(tree.projects, organization),
        tree.events,
        make_event(tree.events, capacity=20, registration_enabled=True),
    ]


def test_every_page_type_previews_an_unsaved_edit(one_page_of_each_type, moderator):
    client = logged_in(moderator)
    previewed = set()
    for page in one_page_of_each_type:
        data = edit_form_data(client, page)
        draft_text = f"下書きのタイトル{page.pk}"
        # The home page shows its hero title rather than its page title.
        data["hero_title" if "hero_title" in data else "title"] = draft_text
        preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
        assert client.post(preview_url, data).json() == {"is_valid": True, "is_available": True}
        response = client.get(preview_url)
        page_type = page.specific_class.__name__
        assert response.status_code == 200, page_type
        assert draft_text in BeautifulSoup(response.content, "html.parser").main.get_text(), page_type
        assert Client().get(page.url).status_code == 200
        assert draft_text not in Client().get(page.url).content.decode()
        previewed.add(page.specific_class)
    assert previewed == {type(page.specific) for page in one_page_of_each_type}
    assert len(previewed) == 10


def test_a_new_article_previews_before_it_is_ever_saved(tree, editor):
    make_article(tree.news, slug="older", title="以前の記事", date=datetime.date(2026, 1, 10))
    client = logged_in(editor)
    preview_url = reverse("wagtailadmin_pages:preview_on_add", args=["home", "articlepage", tree.news.pk])
    data = article_form("まだ保存していない記事", "unsaved")
    assert client.post(preview_url, data).json() == {"is_valid": True, "is_available": True}
    response = client.get(preview_url)
    assert response.status_code == 200
    assert "まだ保存していない記事" in response.content.decode()
    assert not ArticlePage.objects.filter(slug="unsaved").exists()
