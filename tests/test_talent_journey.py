"""Issue 9's "done when", end to end on the demo site: a person registers as a pro bono worker and confirms
by the emailed link, an organization applies for support, 事務局 accepts the application, ranks and invites
two workers for the project it drafted, both accept by link, and the published project page shows a team
of two."""

import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from projects.models import Area, Problem, SupportApplication, SupportMenu, Worker, WorkerStatus

pytestmark = pytest.mark.django_db


def text_of(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def link_in(message, pattern):
    return re.search(rf"http://testserver({pattern})", message.body).group(1)


@pytest.mark.demo
def test_from_sign_up_and_application_to_a_team_of_two_on_the_project_page(django_user_model, mailoutbox):
    menu = SupportMenu.objects.filter(skills__isnull=False).order_by("sort_order", "pk").first()
    skill = menu.skills.order_by("sort_order", "pk").first()
    area = Area.objects.order_by("sort_order", "pk").first()
    problem = Problem.objects.order_by("sort_order", "pk").first()

    # A person registers as a worker and confirms by the link in the email.
    registered = Client().post(
        "/probono/join/",
        {
            "name": "新井 さくら",
            "name_kana": "あらい さくら",
            "email": "sakura.arai@example.jp",
            "skills": [str(skill.pk)],
            "areas": [str(area.pk)],
            "years_of_experience": "8",
            "availability": ["weekday_evenings", "weekends"],
            "hours_per_month": "12",
            "introduction": "経理の仕事をしています。",
            "agree_privacy": "on",
        },
    )
    assert registered.status_code == 302, text_of(registered)
    confirmed = Client().get(link_in(mailoutbox[-1], r"/probono/join/confirm/[^/\s]+/"))
    assert confirmed.status_code == 200
    worker = Worker.objects.get(email="sakura.arai@example.jp")
    assert worker.status == WorkerStatus.ACTIVE

    # An organization applies for support.
    applied = Client().post(
        "/probono/apply/",
        {
            "organization_name": "八王子おもちゃ図書館の会",
            "legal_form": "voluntary",
            "area": area.slug,
            "contact_name": "森 花子",
            "contact_email": "mori@example.jp",
            "problems": [problem.slug],
            "support_menus": [menu.slug],
            "description": "貸し出しの記録と会計を、手書きの台帳から見直したい。",
            "agree_privacy": "on",
        },
    )
    assert applied.status_code == 302, text_of(applied)
    application = SupportApplication.objects.get(organization_name="八王子おもちゃ図書館の会")

    # 事務局 accepts it: a draft organization page and a draft project in 準備中.
    office = Client()
    office.force_login(django_user_model.objects.get(username="office"))
    edit_url = f"/admin/support-applications/edit/{application.pk}/"
    assert office.post(edit_url, {"status": "screening", "staff_notes": ""}).status_code == 302
    assert office.post(edit_url, {"status": "accepted", "staff_notes": "支援決定"}).status_code == 302
    application.refresh_from_db()
    project = application.project.specific
    assert (project.status, project.live) == ("preparing", False)

    # 事務局 ranks the workers for it and invites the new worker and the next best fit.
    matching_url = f"/admin/team/{project.pk}/"
    ranked = [
        row.find("input", attrs={"name": "worker"})["value"]
        for row in BeautifulSoup(office.get(matching_url).content, "html.parser").select("tr.match")
    ]
    assert str(worker.pk) in ranked[:3]
    other = next(pk for pk in ranked if pk != str(worker.pk))
    invited = office.post(
        matching_url,
        {"worker": [str(worker.pk), other], f"role-{worker.pk}": "leader", f"role-{other}": "member"},
    )
    assert invited.status_code == 302
    invitations = [message for message in mailoutbox if "/team/" in message.body]
    assert len(invitations) == 2

    # Both accept by the link in their email.
    for message in invitations:
        answer = Client().post(link_in(message, r"/team/[A-Za-z0-9_\-]+/"), {"answer": "accept"})
        assert "参加のご回答を受け付けました" in text_of(answer)

    # Once a moderator publishes the project, its page shows the team of two.
    moderator = django_user_model.objects.get(username="moderator")
    project.get_latest_revision().publish(user=moderator)
    project.refresh_from_db()
    page = Client().get(project.url)
    assert page.status_code == 200
    assert "プロボノワーカー 2人(リーダー 1名・メンバー 1名)" in text_of(page)
