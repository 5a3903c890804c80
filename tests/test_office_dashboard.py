"""The office's panel on the admin dashboard: who sees it and what it counts."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.models import OutgoingEmail, OutgoingEmailStatus
from projects.models import Registration
from tests.builders import make_event, make_organization, make_project, make_user

PANEL = "#office-dashboard-section"


def dashboard(user):
    client = Client()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def office_data(tree):
    soon = timezone.now() + datetime.timedelta(days=10)
    briefing = make_event(tree.events, slug="briefing-soon", title="冬の説明会", starts_at=soon, capacity=2)
    make_event(
        tree.events,
        slug="briefing-past",
        title="去年の説明会",
        starts_at=timezone.now() - datetime.timedelta(days=300),
    )
    for index, status in enumerate(["confirmed", "confirmed", "waitlisted", "cancelled"]):
        Registration.objects.create(
            event=briefing, name=f"参加者{index}", email=f"p{index}@example.jp", status=status
        )
    organization = make_organization(tree.organizations)
    for index, status in enumerate(["recruiting", "in_progress", "in_progress", "completed"]):
        make_project(tree.projects, organization, slug=f"project-{index}", status=status)
    return briefing


@pytest.mark.parametrize(
    ("group", "sees_panel"),
    [("事務局", True), ("編集者", False), ("承認者", False), ("", False)],
)
def test_panel_only_for_users_who_may_see_registrations(office_data, django_user_model, group, sees_panel):
    user = make_user("user", *([group] if group else []))
    if not group:
        user.user_permissions.add(*Group.objects.get(name="編集者").permissions.all())
    assert (dashboard(user).select_one(PANEL) is not None) is sees_panel


def test_panel_counts_upcoming_registrations_and_projects(office_data, django_user_model):
    panel = dashboard(make_user("jimu", "事務局")).select_one(PANEL)
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in panel.select("tbody tr")
    ]
    event_rows = [row for row in rows if row and "説明会" in row[0]]
    assert len(event_rows) == 1
    assert event_rows[0][0].startswith("冬の説明会")
    assert event_rows[0][2:] == ["2名", "1名", "2名"]
    assert panel.find("a", href=f"/admin/projects/registration/?event={office_data.pk}")
    status_rows = {
        row[0]: row[1:] for row in rows if row and row[0] in {"準備中", "募集中", "進行中", "完了"}
    }
    assert status_rows == {
        "準備中": ["0件", "0件"],
        "募集中": ["1件", "1件"],
        "進行中": ["2件", "2件"],
        "完了": ["1件", "1件"],
    }
    assert "承認待ちのページ(0件)" in panel.get_text()


def test_panel_lists_pages_submitted_for_approval(tree, django_user_model):
    editor = make_user("henshu", "編集者")
    organization = make_organization(tree.organizations)
    project = make_project(tree.projects, organization, title="高尾のSNS発信")
    project.title = "高尾のSNS発信(改訂)"
    project.save_revision(user=editor)
    project.get_workflow().start(project, editor)

    panel = dashboard(make_user("jimu", "事務局")).select_one(PANEL)
    assert "承認待ちのページ(1件)" in panel.get_text()
    link = panel.find("a", href=f"/admin/pages/{project.pk}/edit/")
    assert link is not None
    assert "henshu" in link.parent.get_text()


def dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    return len(queries)


def test_panel_queries_do_not_grow_with_events_or_projects(office_data, tree, django_user_model):
    client = Client()
    client.force_login(make_user("jimu", "事務局"))
    client.get("/admin/")
    before = dashboard_queries(client)
    organization = make_organization(tree.organizations, slug="another", title="別の団体")
    for index in range(4):
        starts_at = timezone.now() + datetime.timedelta(days=20 + index)
        event = make_event(tree.events, slug=f"more-{index}", starts_at=starts_at, capacity=5)
        Registration.objects.create(
            event=event, name="参加者", email=f"m{index}@example.jp", status="confirmed"
        )
        make_project(tree.projects, organization, slug=f"more-project-{index}", status="preparing")
    assert dashboard_queries(client) == before


def test_panel_counts_the_emails_waiting_and_failed(office_data, django_user_model):
    statuses = ["pending", "pending", "sending", "failed", "sent", "expired"]
    OutgoingEmail.objects.bulk_create(
        OutgoingEmail(purpose="test", subject=f"件名{index}", status=status)
        for index, status in enumerate(statuses)
    )
    OutgoingEmail.objects.create(
        purpose="test",
        subject="期限切れ間近",
        status=OutgoingEmailStatus.PENDING,
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    panel = dashboard(make_user("jimu", "事務局")).select_one(PANEL)

    rows = {
        row.th.get_text(strip=True): row.td.get_text(strip=True) for row in panel.select(".mail-counts tr")
    }
    assert rows == {"送信待ちのメール": "3件", "送信に失敗したメール": "1件"}
    assert "送信に失敗したメールがあります" in panel.get_text()
