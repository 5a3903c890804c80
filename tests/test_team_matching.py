"""Matching and team invitations (issue 9): the ranking, 事務局's matching page, the invitation email,
answering by the signed link (also two answers at once), the team on the public project page, and the
talent counts on the office dashboard."""

import base64
import re
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from projects.models import (
    Area,
    InvitationStatus,
    ProjectPage,
    Skill,
    SupportApplication,
    SupportMenu,
    TeamInvitation,
    Worker,
    WorkerStatus,
)
from projects.talent.teams import emails as team_emails
from projects.talent.teams.matching import rank_workers
from projects.talent.teams.tokens import ANSWER, INVITATION_LINK_MAX_AGE
from tests.builders import build_catalog_tree, make_organization, make_project, make_user
from tests.cdn import paths
from tests.concurrency import run_together
from tests.html import parse

pytestmark = pytest.mark.django_db


# Building blocks


@pytest.fixture
def terms(db):
    accounting_menu = SupportMenu.objects.create(name="経理改善", slug="accounting")
    sns_menu = SupportMenu.objects.create(name="SNS活用", slug="sns")
    accounting = Skill.objects.create(name="経理・会計", slug="accounting", sort_order=1)
    accounting.support_menus.add(accounting_menu)
    design = Skill.objects.create(name="デザイン", slug="design", sort_order=2)
    design.support_menus.add(sns_menu)
    return {
        "accounting_menu": accounting_menu,
        "accounting": accounting,
        "design": design,
        "hachioji": Area.objects.create(name="八王子市", slug="hachioji", sort_order=1),
        "takao": Area.objects.create(name="高尾・浅川", slug="takao", sort_order=2),
    }


@pytest.fixture
def project(tree, terms):
    """A project in 募集中 that needs accounting help in 八王子市."""
    organization = make_organization(tree.organizations, title="八王子猫のおうち探しの会")
    return make_project(
        tree.projects,
        organization,
        title="経理業務の効率化",
        slug="cat-homes-accounting",
        status="recruiting",
        support_menus=[terms["accounting_menu"]],
        areas=[terms["hachioji"]],
    )


def make_worker(name, email, status=WorkerStatus.ACTIVE, skills=(), areas=(), **fields):
    worker = Worker.objects.create(name=name, email=email, status=status, **fields)
    worker.skills.set(skills)
    worker.areas.set(areas)
    return worker


@pytest.fixture
def workers(terms):
    """An accountant in 八王子市, a designer in 高尾, and three who may never be listed."""
    return {
        "accountant": make_worker(
            "会計 花子",
            "hanako@example.jp",
            skills=[terms["accounting"]],
            areas=[terms["hachioji"]],
            weekday_evenings=True,
            hours_per_month=20,
            years_of_experience=12,
        ),
        "designer": make_worker(
            "意匠 次郎",
            "jiro@example.jp",
            skills=[terms["design"]],
            areas=[terms["takao"]],
            weekends=True,
            hours_per_month=30,
            years_of_experience=15,
        ),
        "paused": make_worker("休止 三郎", "saburo@example.jp", WorkerStatus.PAUSED, [terms["accounting"]]),
        "pending": make_worker("確認 四郎", "shiro@example.jp", WorkerStatus.PENDING, [terms["accounting"]]),
        "withdrawn": make_worker("", "", WorkerStatus.WITHDRAWN, [terms["accounting"]]),
    }


@pytest.fixture
def office(django_user_model):
    client = Client()
    client.force_login(make_user("jimu", "事務局"))
    return client


def matching_url(project):
    return f"/admin/team/{project.pk}/"


def invite(office, project, *choices, message=""):
    """事務局 invites (worker, role) pairs from the matching page."""
    data = {"worker": [str(worker.pk) for worker, _ in choices], "message": message}
    data.update({f"role-{worker.pk}": role for worker, role in choices})
    return office.post(matching_url(project), data)


def links_in(email):
    return re.findall(r"http://testserver(/team/[A-Za-z0-9_\-]+/)\?answer=(accept|decline)", email.body)


def answer_link(email):
    return links_in(email)[0][0]


# The ranking


def test_the_right_skill_and_area_outrank_more_hours_and_experience(project, workers):
    ranked = rank_workers(project)

    assert [match.worker for match in ranked] == [workers["accountant"], workers["designer"]]
    best, other = ranked
    assert best.score > other.score
    assert "スキル「経理・会計」が支援内容「経理改善」に役立つ" in best.reasons
    assert "活動できる地域に「八王子市」を含む" in best.reasons
    assert "平日夜に活動できる、月20時間" in best.reasons
    assert "実務経験12年" in best.reasons
    assert not any("スキル" in reason or "地域" in reason for reason in other.reasons)


def test_paused_pending_and_withdrawn_workers_are_never_ranked(project, workers):
    listed = {match.worker.pk for match in rank_workers(project)}

    assert listed == {workers["accountant"].pk, workers["designer"].pk}


def test_workers_already_invited_are_left_out_whatever_their_answer(project, workers):
    TeamInvitation.objects.create(project=project, worker=workers["accountant"], status="declined")

    assert [match.worker for match in rank_workers(project)] == [workers["designer"]]


def test_a_skill_serves_a_project_only_through_the_editors_mapping(project, workers, terms):
    terms["design"].support_menus.add(terms["accounting_menu"])

    designer = next(match for match in rank_workers(project) if match.worker == workers["designer"])
    assert "スキル「デザイン」が支援内容「経理改善」に役立つ" in designer.reasons


def test_ranking_takes_a_fixed_number_of_queries_however_many_workers(project, workers, terms):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            ranked = rank_workers(project)
            [match.reasons for match in ranked]
        return len(captured)

    few = queries()
    for number in range(25):
        make_worker(
            f"追加 {number}",
            f"extra{number}@example.jp",
            skills=[terms["accounting"], terms["design"]],
            areas=[terms["hachioji"], terms["takao"]],
        )
    assert queries() == few
    assert len(rank_workers(project)) == 27


# 事務局's matching page


def test_the_matching_page_lists_workers_best_first_with_their_reasons(office, project, workers):
    response = office.get(matching_url(project))

    assert response.status_code == 200
    rows = parse(response).select("tr.match")
    assert [row.find("label").get_text(strip=True) for row in rows] == ["会計 花子", "意匠 次郎"]
    assert "経理・会計" in rows[0].get_text() and "八王子市" in rows[0].get_text()
    text = response.content.decode()
    for hidden in ("休止 三郎", "確認 四郎"):
        assert hidden not in text


def test_the_matching_page_takes_a_fixed_number_of_queries(office, project, workers, terms):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert office.get(matching_url(project)).status_code == 200
        return len(captured)

    queries()
    few = queries()
    for number in range(10):
        worker = make_worker(f"追加 {number}", f"extra{number}@example.jp", skills=[terms["accounting"]])
        if number % 2:
            TeamInvitation.objects.create(project=project, worker=worker)
    assert queries() == few


def test_an_editor_without_the_office_role_gets_403_and_sees_no_worker(project, workers, django_user_model):
    editor = Client()
    editor.force_login(make_user("henshu", "編集者"))
    TeamInvitation.objects.create(project=project, worker=workers["designer"])

    for response in (
        editor.get(matching_url(project)),
        editor.get("/admin/team/"),
        invite(editor, project, (workers["accountant"], "member")),
        editor.post(f"/admin/team/invitations/{TeamInvitation.objects.get().pk}/cancel/"),
    ):
        assert response.status_code == 403
        assert "会計 花子" not in response.content.decode()
        assert "意匠 次郎" not in response.content.decode()
    assert TeamInvitation.objects.get().status == InvitationStatus.INVITED
    edit_page = editor.get(f"/admin/pages/{project.pk}/edit/").content.decode()
    assert "チーム編成" not in edit_page
    assert '"/admin/team/"' not in editor.get("/admin/").content.decode()
    assert Client().get(matching_url(project)).status_code == 302  # to the login page


def test_the_office_finds_the_matching_page_from_the_menu_and_the_projects_edit_page(office, project):
    edit_page = parse(office.get(f"/admin/pages/{project.pk}/edit/"))
    assert edit_page.find("a", href=matching_url(project)).get_text(strip=True) == "チーム編成"
    assert '"/admin/team/"' in office.get("/admin/").content.decode()  # the sidebar menu's item

    index = parse(office.get("/admin/team/"))
    assert index.find("a", href=matching_url(project), string="経理業務の効率化")


def test_the_index_counts_invitations_awaiting_an_answer_but_not_void_ones(office, project, workers):
    TeamInvitation.objects.create(project=project, worker=workers["accountant"])
    TeamInvitation.objects.create(project=project, worker=workers["withdrawn"])

    row = parse(office.get("/admin/team/")).find("a", href=matching_url(project)).find_parent("tr")

    assert "1名" in [cell.get_text(strip=True) for cell in row.find_all("td")]


def test_an_unknown_project_is_not_found(office):
    assert office.get("/admin/team/999999/").status_code == 404


# Inviting


def test_inviting_emails_each_worker_with_their_own_links_and_no_other_workers_data(
    office, project, workers, mailoutbox
):
    response = invite(
        office,
        project,
        (workers["accountant"], "leader"),
        (workers["designer"], "member"),
        message="10月の説明会でお話しした件です。",
    )

    assert response.status_code == 302
    invitations = {invitation.worker: invitation for invitation in TeamInvitation.objects.all()}
    assert invitations[workers["accountant"]].role == "leader"
    assert invitations[workers["designer"]].role == "member"
    assert all(invitation.email_sent_at for invitation in invitations.values())
    assert all(invitation.invited_by.username == "jimu" for invitation in invitations.values())
    assert len(mailoutbox) == 2
    by_address = {email.to[0]: email for email in mailoutbox}
    for worker, other in (
        (workers["accountant"], workers["designer"]),
        (workers["designer"], workers["accountant"]),
    ):
        email = by_address[worker.email]
        html = email.alternatives[0][0]
        for body in (email.body, html):
            assert "経理業務の効率化" in body
            assert "八王子猫のおうち探しの会" in body
            assert "10月の説明会でお話しした件です。" in body
            assert worker.name in body
            assert other.name not in body and other.email not in body
        assert email.subject == "【プロボノのご依頼】経理業務の効率化 のチームへのお誘い"
        assert [choice for _, choice in links_in(email)] == ["accept", "decline"]
    assert "役割:リーダー" in by_address["hanako@example.jp"].body
    assert "役割:メンバー" in by_address["jiro@example.jp"].body
    matching = office.get(matching_url(project)).content.decode()
    assert "回答待ち(2名)" in matching
    assert "2名に招待のメールを送りました。" in matching


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"message": "よろしくお願いします"}, "招待するワーカーを選んでください。"),
        ({"worker": ["abc"]}, "選んだワーカーが正しくありません。"),
        ({"worker": ["１２"]}, "選んだワーカーが正しくありません。"),
        ({"worker": ["99999999999999999999999"]}, "選んだワーカーが正しくありません。"),
        ({"worker": ["ACCOUNTANT"], "message": "あ" * 2001}, "メッセージは2000字以内で書いてください"),
        (
            {"worker": ["ACCOUNTANT"], "role-ACCOUNTANT": "boss"},
            "役割はリーダーかメンバーから選んでください。",
        ),
        ({"worker": ["PAUSED"]}, "登録中でなくなった人がいます"),
        ({"worker": ["ACCOUNTANT", "WITHDRAWN"]}, "登録中でなくなった人がいます"),
    ],
)
def test_bad_invitations_are_refused_with_a_japanese_message_and_create_nothing(
    office, project, workers, mailoutbox, data, message
):
    def resolve(text):
        """The worker named in capitals (ACCOUNTANT) becomes that worker's id."""
        return re.sub(r"[A-Z]+", lambda name: str(workers[name.group().lower()].pk), text)

    data = {
        resolve(key): [resolve(item) for item in value] if isinstance(value, list) else value
        for key, value in data.items()
    }

    response = office.post(matching_url(project), data)

    assert response.status_code == 400
    assert message in parse(response).get_text()
    assert not TeamInvitation.objects.exists()
    assert mailoutbox == []


def test_inviting_someone_already_invited_is_refused(office, project, workers, mailoutbox):
    TeamInvitation.objects.create(project=project, worker=workers["accountant"], status="declined")

    response = invite(office, project, (workers["accountant"], "member"))

    assert response.status_code == 400
    assert "すでにこのプロジェクトに招待されている人がいます" in parse(response).get_text()
    assert TeamInvitation.objects.count() == 1
    assert mailoutbox == []


def test_a_project_under_way_takes_no_new_invitations(office, project, workers):
    project.status = "in_progress"
    project.save_revision().publish()

    page = office.get(matching_url(project)).content.decode()
    assert "新しく招待することはできません" in page
    assert "会計 花子" not in page
    response = invite(office, project, (workers["accountant"], "member"))
    assert response.status_code == 400
    assert "準備中・募集中ではないため" in parse(response).get_text()


# Answering by the link


def test_accepting_by_the_link_joins_the_team_once(client, office, project, workers, mailoutbox):
    invite(office, project, (workers["accountant"], "leader"))
    link = answer_link(mailoutbox[0])

    page = client.get(link)
    assert page.status_code == 200
    text = parse(page).get_text()
    for shown in ("経理業務の効率化", "八王子猫のおうち探しの会", "リーダー", "会計 花子"):
        assert shown in text
    buttons = parse(page).select("form[method=post] button[name=answer]")
    assert [(button["value"], button.get_text()) for button in buttons] == [
        ("accept", "参加する"),
        ("decline", "辞退する"),
    ]
    assert TeamInvitation.objects.get().status == InvitationStatus.INVITED  # GET changes nothing

    accepted = client.post(link, {"answer": "accept"})
    assert accepted.status_code == 200
    assert "参加のご回答を受け付けました" in parse(accepted).get_text()
    invitation = TeamInvitation.objects.get()
    assert invitation.status == InvitationStatus.ACCEPTED
    answered_at = invitation.answered_at
    assert answered_at is not None

    again = client.post(link, {"answer": "decline"})
    assert "すでに「参加する」とご回答いただいています" in parse(again).get_text()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.answered_at == answered_at
    assert "回答済みです" in parse(client.get(link)).get_text()
    assert "チーム(参加)(1名)" in office.get(matching_url(project)).content.decode()


def test_declining_by_the_link(client, office, project, workers, mailoutbox):
    invite(office, project, (workers["designer"], "member"))
    link = answer_link(mailoutbox[0])

    response = client.post(link, {"answer": "decline"})

    assert "辞退のご回答を受け付けました" in parse(response).get_text()
    assert TeamInvitation.objects.get().status == InvitationStatus.DECLINED
    assert "辞退(1名)" in office.get(matching_url(project)).content.decode()


def test_a_post_without_a_choice_asks_for_one(client, office, project, workers, mailoutbox):
    invite(office, project, (workers["designer"], "member"))

    response = client.post(answer_link(mailoutbox[0]), {"answer": "maybe"})

    assert response.status_code == 400
    assert "どちらかのボタンを押してください" in parse(response).get_text()
    assert TeamInvitation.objects.get().status == InvitationStatus.INVITED


@pytest.mark.parametrize("answer", ["accept\x00", "\u200baccept", "\u202eaccept", "accept" * 10_000, ""])
def test_a_hostile_answer_is_refused_in_japanese(client, office, project, workers, mailoutbox, answer):
    invite(office, project, (workers["designer"], "member"))

    response = client.post(answer_link(mailoutbox[0]), {"answer": answer})

    assert response.status_code == 400
    assert "どちらかのボタンを押してください" in parse(response).get_text()
    assert TeamInvitation.objects.get().status == InvitationStatus.INVITED


def test_the_answer_page_is_private(client, office, project, workers, mailoutbox):
    invite(office, project, (workers["designer"], "member"))
    link = answer_link(mailoutbox[0])

    response = client.get(link)

    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    head = parse(response).head
    assert head.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert head.find("link", rel="canonical") is None
    assert link.strip("/").rsplit("/", 1)[1] not in str(head)
    body = parse(response)
    assert [h1.get_text(strip=True) for h1 in body.find_all("h1")] == ["プロジェクトチームへのお誘い"]
    assert body.select_one("form[method=post] input[name=csrfmiddlewaretoken]")


def test_a_cancelled_invitation_cannot_be_accepted(client, office, project, workers, mailoutbox):
    invite(office, project, (workers["designer"], "member"))
    invitation = TeamInvitation.objects.get()

    office.post(f"/admin/team/invitations/{invitation.pk}/cancel/")
    response = client.post(answer_link(mailoutbox[0]), {"answer": "accept"})

    assert "事務局が取り消しました" in parse(response).get_text()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CANCELLED and invitation.answered_at is None


def test_a_cancelled_invitation_can_be_made_again_with_a_new_email(
    client, office, project, workers, mailoutbox
):
    invite(office, project, (workers["designer"], "member"))
    invitation = TeamInvitation.objects.get()
    office.post(f"/admin/team/invitations/{invitation.pk}/cancel/")
    assert workers["designer"] in [match.worker for match in rank_workers(project)]

    response = invite(office, project, (workers["designer"], "leader"), message="改めてお願いします。")

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.status, invitation.role, invitation.answered_at) == ("invited", "leader", None)
    assert TeamInvitation.objects.count() == 1
    assert len(mailoutbox) == 2 and "改めてお願いします。" in mailoutbox[1].body
    assert client.post(answer_link(mailoutbox[1]), {"answer": "accept"}).status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    # Accepted now: inviting again is refused, and the worker is no longer suggested.
    assert invite(office, project, (workers["designer"], "member")).status_code == 400
    assert workers["designer"] not in [match.worker for match in rank_workers(project)]


def test_the_office_can_take_an_accepted_worker_off_the_team(client, office, project, workers, mailoutbox):
    invite(office, project, (workers["designer"], "member"))
    client.post(answer_link(mailoutbox[0]), {"answer": "accept"})
    invitation = TeamInvitation.objects.get()

    response = office.post(f"/admin/team/invitations/{invitation.pk}/cancel/", follow=True)

    assert "招待を取り消しました。" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CANCELLED
    again = office.post(f"/admin/team/invitations/{invitation.pk}/cancel/", follow=True)
    assert "すでに辞退または取り消し" in again.content.decode()
    assert office.get(f"/admin/team/invitations/{invitation.pk}/cancel/").status_code == 405


def test_a_withdrawn_workers_invitation_is_void(client, office, project, workers, mailoutbox):
    invite(office, project, (workers["designer"], "member"))
    Worker.objects.filter(pk=workers["designer"].pk).update(status=WorkerStatus.WITHDRAWN)

    response = client.post(answer_link(mailoutbox[0]), {"answer": "accept"})

    assert "このお誘いは無効になりました" in parse(response).get_text()
    assert TeamInvitation.objects.get().status == InvitationStatus.INVITED


def old_token(invitation, age):
    """A genuine link signed `age` ago."""

    class SignedEarlier(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time() - age.total_seconds()))

    signed = SignedEarlier(salt=ANSWER).sign_object(
        [invitation.pk, invitation.project_id, invitation.worker_id]
    )
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def test_an_expired_link_is_refused_with_a_clear_message(client, office, project, workers):
    invitation = TeamInvitation.objects.create(project=project, worker=workers["designer"])

    response = client.post(
        f"/team/{old_token(invitation, INVITATION_LINK_MAX_AGE * 1.1)}/", {"answer": "accept"}
    )

    assert response.status_code == 410
    assert "有効期限が切れています" in parse(response).get_text()
    assert TeamInvitation.objects.get().status == InvitationStatus.INVITED
    fresh = client.get(f"/team/{old_token(invitation, INVITATION_LINK_MAX_AGE * 0.9)}/")
    assert fresh.status_code == 200


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        "x" * 500,
        base64.urlsafe_b64encode(b"\xff\xfe").decode().rstrip("="),
        base64.urlsafe_b64encode(signing.dumps([1, 2, 3], salt="another.purpose").encode()).decode(),
        base64.urlsafe_b64encode(signing.dumps(["1", 2, 3], salt=ANSWER).encode()).decode().rstrip("="),
        base64.urlsafe_b64encode(signing.dumps({"a": 1}, salt=ANSWER).encode()).decode().rstrip("="),
    ],
    # Fixed ids: signed values carry a timestamp, and pytest-xdist's workers must collect the same names.
    ids=["short", "long", "not-utf8", "other-purpose", "text-id", "not-a-list"],
)
def test_a_tampered_or_foreign_link_shows_a_clear_message(client, token):
    for response in (client.get(f"/team/{token}/"), client.post(f"/team/{token}/", {"answer": "accept"})):
        assert response.status_code == 404
        assert "このリンクは無効です" in parse(response).get_text()


def test_a_link_cannot_be_pointed_at_another_invitation(client, office, project, workers, mailoutbox):
    invite(office, project, (workers["accountant"], "member"), (workers["designer"], "member"))
    first, second = TeamInvitation.objects.order_by("pk")
    signed = signing.dumps([second.pk, first.project_id, first.worker_id], salt=ANSWER)
    token = base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")
    link = answer_link(mailoutbox[0])
    edited = link[:-6] + ("A" if link[-6] != "A" else "B") + link[-5:]

    assert client.get(f"/team/{token}/").status_code == 404
    assert client.post(edited, {"answer": "accept"}).status_code == 404
    assert not TeamInvitation.objects.filter(status=InvitationStatus.ACCEPTED).exists()
    assert client.get("/team/abc$def/").status_code == 404


# The team on the public project page


def test_the_project_page_shows_the_team_by_role_without_names(client, project, workers, terms):
    leader = make_worker("代表 一郎", "ichiro@example.jp", skills=[terms["accounting"]])
    TeamInvitation.objects.create(project=project, worker=leader, role="leader", status="accepted")
    TeamInvitation.objects.create(project=project, worker=workers["accountant"], status="accepted")
    TeamInvitation.objects.create(project=project, worker=workers["designer"], status="declined")

    response = client.get(project.url)

    facts = parse(response).select_one("dl.facts")
    assert "プロボノワーカー 2人(リーダー 1名・メンバー 1名)" in facts.get_text()
    text = response.content.decode()
    for private in ("代表 一郎", "会計 花子", "意匠 次郎", "ichiro@example.jp", "hanako@example.jp"):
        assert private not in text


def test_without_invitations_the_page_shows_the_number_editors_entered(client, project):
    project.team_size = 6
    project.save_revision().publish()

    facts = parse(client.get(project.url)).select_one("dl.facts")

    assert "プロボノワーカー6人" in facts.get_text(strip=True)
    assert "リーダー" not in facts.get_text()


def test_the_team_costs_the_project_page_one_query(client, project, workers):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(project.url).status_code == 200
        return len(captured)

    queries()
    before = queries()
    for worker in (workers["accountant"], workers["designer"]):
        TeamInvitation.objects.create(project=project, worker=worker, status="accepted")
    assert queries() == before


def test_a_cached_project_page_shows_the_team_as_soon_as_someone_accepts(
    client, office, project, workers, mailoutbox
):
    invite(office, project, (workers["accountant"], "leader"))
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True, PAGE_CACHE_SECONDS=300):
        assert client.get(project.url)["X-Page-Cache"] == "miss"
        assert client.get(project.url)["X-Page-Cache"] == "hit"

        Client().post(answer_link(mailoutbox[0]), {"answer": "accept"})

        again = client.get(project.url)
        assert again["X-Page-Cache"] == "miss"
        assert "リーダー 1名・メンバー 0名" in parse(again).select_one("dl.facts").get_text()
    cache.clear()


def test_accepting_and_taking_off_the_team_purge_the_project_page_from_the_cdn(
    client,
    office,
    project,
    workers,
    mailoutbox,
    cdn,
    django_capture_on_commit_callbacks,
):
    invite(office, project, (workers["accountant"], "member"))
    assert paths(cdn) == set()  # an invitation alone changes nothing the public sees

    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer_link(mailoutbox[0]), {"answer": "accept"})
    assert paths(cdn) == {project.url}

    cdn.clear()
    with django_capture_on_commit_callbacks(execute=True):
        office.post(f"/admin/team/invitations/{TeamInvitation.objects.get().pk}/cancel/")
    assert paths(cdn) == {project.url}


# The office dashboard


def test_the_dashboard_counts_workers_skills_applications_and_awaiting_invitations(
    office, project, workers, terms
):
    TeamInvitation.objects.create(project=project, worker=workers["accountant"])
    TeamInvitation.objects.create(project=project, worker=workers["designer"], status="accepted")
    TeamInvitation.objects.create(project=project, worker=workers["withdrawn"])  # void, nobody will answer
    for status in ("new", "screening", "accepted", "declined"):
        SupportApplication.objects.create(
            organization_name="団体",
            legal_form="npo",
            contact_name="担当",
            contact_email="contact@example.jp",
            description="説明",
            status=status,
        )

    panel = parse(office.get("/admin/")).select_one("#office-dashboard-section")
    counts = {
        row.th.get_text(strip=True): row.td.get_text(strip=True) for row in panel.select(".talent-counts tr")
    }
    assert counts == {
        "登録中のワーカー": "2名",
        "対応待ちの支援申込(新規・確認中)": "2件",
        "回答待ちのチームへの招待": "1件",
    }
    # Only active workers count: the paused, pending and withdrawn accountants do not.
    skills = [item.get_text(strip=True) for item in panel.select(".top-skills li")]
    assert skills == ["経理・会計(1名)", "デザイン(1名)"]


def test_the_dashboards_talent_counts_take_a_fixed_number_of_queries(office, project, terms):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert office.get("/admin/").status_code == 200
        return len(captured)

    queries()
    before = queries()
    for number in range(8):
        skill = Skill.objects.create(name=f"スキル{number}", slug=f"skill-{number}")
        worker = make_worker(f"追加 {number}", f"extra{number}@example.jp", skills=[skill, terms["design"]])
        TeamInvitation.objects.create(project=project, worker=worker)
    assert queries() == before


# Two answers at the same moment


# serialized_rollback: the flush after the test must not lose the home page the migrations create.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_answers_to_one_invitation_count_once():
    tree = build_catalog_tree()
    organization = make_organization(tree.organizations)
    project = make_project(tree.projects, organization, status="recruiting")
    worker = make_worker("同時 五郎", "goro@example.jp")
    invitation = TeamInvitation.objects.create(project=project, worker=worker)
    link = team_emails.answer_url(invitation)
    answers = ["accept"] * 10 + ["decline"] * 10

    responses = run_together(
        [lambda choice=choice: Client().post(link, {"answer": choice}) for choice in answers], parallel=20
    )

    assert [response.status_code for response in responses] == [200] * 20
    texts = [parse(response).get_text() for response in responses]
    fresh = [text for text in texts if "のご回答を受け付けました" in text]
    assert len(fresh) == 1
    assert sum("回答済みです" in text for text in texts) == 19
    invitation.refresh_from_db()
    first_choice = answers[texts.index(fresh[0])]
    assert invitation.status == {"accept": "accepted", "decline": "declined"}[first_choice]


# The "done when", in the demo site


@pytest.mark.demo
def test_in_the_demo_the_office_invites_two_workers_who_accept_and_the_project_shows_them(
    client, django_user_model, mailoutbox
):
    project = ProjectPage.objects.get(slug="hidamari-packaging-2026")
    assert project.status == "recruiting" and project.live
    office = Client()
    office.force_login(django_user_model.objects.get(username="office"))

    rows = parse(office.get(matching_url(project))).select("tr.match")
    assert len(rows) >= 2
    assert all(row.select("ul.match__reasons li") for row in rows[:2])
    leader, member = (row.find("input", attrs={"name": "worker"})["value"] for row in rows[:2])
    response = office.post(
        matching_url(project),
        {"worker": [leader, member], f"role-{leader}": "leader", f"role-{member}": "member"},
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 2

    for email in mailoutbox:
        answered = Client().post(answer_link(email), {"answer": "accept"})
        assert "参加のご回答を受け付けました" in parse(answered).get_text()

    facts = parse(client.get(project.url)).select_one("dl.facts").get_text()
    assert "プロボノワーカー 2人(リーダー 1名・メンバー 1名)" in facts
