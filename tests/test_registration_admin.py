"""The staff side of event registrations in the Wagtail admin: roster, actions, CSV and who may see them."""

import csv
import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.test import Client

from projects.models import Registration, RegistrationStatus
from tests.builders import TOKYO, logged_in, make_event
from tests.html import parse_ok

pytestmark = pytest.mark.django_db

LISTING = "/admin/projects/registration/"
BOM = "\ufeff"


def days_from_now(days, hour=14):
    day = datetime.datetime.now(TOKYO) + datetime.timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def register(event, name, email, status=RegistrationStatus.CONFIRMED, created_at=None, **fields):
    registration = Registration.objects.create(event=event, name=name, email=email, status=status, **fields)
    if created_at:
        Registration.objects.filter(pk=registration.pk).update(created_at=created_at)
    registration.refresh_from_db()
    return registration


def url(action, registration_or_pk):
    pk = getattr(registration_or_pk, "pk", registration_or_pk)
    return f"{LISTING}{action}/{pk}/"


def roster_url(event):
    return f"{LISTING}roster/{event.pk}/"


@pytest.fixture
def briefing(tree):
    """A briefing next month with one seat, taken, and one person waiting."""
    return make_event(
        tree.events,
        title="プロボノワーカー募集説明会(第5回)",
        slug="briefing-next-month",
        starts_at=days_from_now(30),
        registration_enabled=True,
        capacity=1,
        waitlist_enabled=True,
    )


@pytest.fixture
def training(tree):
    return make_event(
        tree.events,
        title="プロジェクトマネジメント研修",
        slug="training-next-month",
        kind="training",
        starts_at=days_from_now(40),
        registration_enabled=True,
    )


@pytest.fixture
def people(briefing, training):
    """Registrations created in a known order: yamada first, then sato waiting, then a trainee."""
    first = datetime.datetime(2030, 9, 1, 5, 0, tzinfo=datetime.UTC)  # 14:00 in Tokyo
    return {
        "yamada": register(
            briefing,
            "山田太郎",
            "yamada@example.com",
            name_kana="やまだたろう",
            phone="090-1234-5678",
            note="車いすで伺います。",
            created_at=first,
        ),
        "sato": register(
            briefing,
            "佐藤花子",
            "sato@example.com",
            status=RegistrationStatus.WAITLISTED,
            name_kana="さとうはなこ",
            created_at=first + datetime.timedelta(hours=1),
        ),
        "suzuki": register(
            training,
            "鈴木一郎",
            "suzuki@example.com",
            name_kana="すずきいちろう",
            created_at=first + datetime.timedelta(hours=2),
        ),
    }


@pytest.fixture
def superuser_client(django_user_model):
    return logged_in(django_user_model.objects.create_superuser("admin", "admin@example.com", "x"))


@pytest.fixture
def staff_client(django_user_model):
    """A member of 事務局, the group the migration creates."""
    staff = django_user_model.objects.create_user("jimukyoku", "staff@example.com", "x")
    staff.groups.add(Group.objects.get(name="事務局"))
    return logged_in(staff)


@pytest.fixture
def editor_client(django_user_model):
    """An admin user whose group has nothing but access to the admin, like an editor of pages."""
    group = Group.objects.create(name="テスト用の編集者")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = django_user_model.objects.create_user("editor", "editor@example.com", "x")
    editor.groups.add(group)
    return logged_in(editor)


def listed_names(client, query=""):
    soup = parse_ok(client.get(LISTING + query))
    return [cell.find("a").get_text(strip=True) for cell in soup.select("table.listing td.field-name")]


def row_of(client, registration, query=""):
    soup = parse_ok(client.get(LISTING + query))
    return soup.find("tr", attrs={"data-object-pk": str(registration.pk)})


def row_button_labels(client, registration):
    return [link.get_text(strip=True) for link in row_of(client, registration).select("ul.actions a")]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def tag(message):
    """The bracketed word an email's subject starts with, e.g. 【参加確定】."""
    assert message.subject.startswith("【")
    return message.subject.split("】")[0] + "】"


def roster_lines(response):
    text = response.content.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:], newline="")))


# The listing


def test_listing_shows_registrations_newest_first(superuser_client, people):
    assert listed_names(superuser_client) == ["鈴木一郎", "佐藤花子", "山田太郎"]
    row = row_of(superuser_client, people["yamada"])
    text = row.get_text(" ", strip=True)
    for expected in ["やまだたろう", "yamada@example.com", "プロボノワーカー募集説明会(第5回)", "参加確定"]:
        assert expected in text


def test_listing_filters_by_event_and_status_and_searches(staff_client, people, briefing):
    assert listed_names(staff_client, f"?event={briefing.pk}") == ["佐藤花子", "山田太郎"]
    assert listed_names(staff_client, "?status__exact=waitlisted") == ["佐藤花子"]
    assert listed_names(staff_client, f"?event={briefing.pk}&status__exact=confirmed") == ["山田太郎"]
    assert listed_names(staff_client, "?q=すずき") == ["鈴木一郎"]
    assert listed_names(staff_client, "?q=sato@example") == ["佐藤花子"]


def test_listing_shows_whether_the_status_email_went_out(superuser_client, people):
    Registration.objects.filter(pk=people["yamada"].pk).update(
        status_email_sent_at=datetime.datetime.now(TOKYO)
    )

    def sent(registration):
        cell = row_of(superuser_client, registration).find("td", class_="field-status_email_sent")
        return cell.get_text(strip=True)

    assert sent(people["yamada"]) == "送信済み"
    assert sent(people["sato"]) == "未送信"


def test_nobody_creates_registrations_in_the_admin(superuser_client, people):
    soup = parse_ok(superuser_client.get(LISTING))
    assert not soup.find("a", href=f"{LISTING}create/")
    response = superuser_client.get(f"{LISTING}create/")
    assert response.status_code in (302, 403)
    response = superuser_client.post(f"{LISTING}create/", {"name": "勝手", "email": "x@example.com"})
    assert response.status_code in (302, 403)
    assert Registration.objects.count() == 3


def test_row_buttons_only_where_they_apply(superuser_client, people, tree):
    assert "キャンセルする" in row_button_labels(superuser_client, people["yamada"])
    assert "参加確定にする" not in row_button_labels(superuser_client, people["yamada"])
    assert "参加確定にする" in row_button_labels(superuser_client, people["sato"])
    assert "お知らせを再送" in row_button_labels(superuser_client, people["sato"])

    cancelled = register(
        people["yamada"].event, "取消済", "gone@example.com", status=RegistrationStatus.CANCELLED
    )
    labels = row_button_labels(superuser_client, cancelled)
    assert "キャンセルする" not in labels and "参加確定にする" not in labels

    past = make_event(
        tree.events, slug="past-briefing", starts_at=days_from_now(-10), registration_enabled=True
    )
    old = register(past, "過去の人", "past@example.com")
    assert row_button_labels(superuser_client, old) == ["詳細", "編集"]


# Inspecting


def test_staff_inspect_shows_the_personal_data(staff_client, people):
    soup = parse_ok(staff_client.get(url("inspect", people["yamada"])))
    text = soup.get_text(" ", strip=True)
    for expected in [
        "山田太郎",
        "やまだたろう",
        "yamada@example.com",
        "090-1234-5678",
        "車いすで伺います。",
        "参加確定",
        "2030-09-01 14:00",
    ]:
        assert expected in text
    assert soup.find("a", href=roster_url(people["yamada"].event))


# Who gets in


def registration_codenames(group):
    permissions = group.permissions.filter(content_type__model="registration")
    return set(permissions.values_list("codename", flat=True))


def test_only_the_office_group_may_handle_registrations_and_nobody_may_add_them():
    groups = {group.name: group for group in Group.objects.all()}
    assert registration_codenames(groups["事務局"]) == {
        "view_registration",
        "change_registration",
        "delete_registration",
    }
    assert groups["事務局"].permissions.filter(codename="access_admin").exists()
    for name in ("編集者", "承認者"):
        assert registration_codenames(groups[name]) == set(), name


def test_staff_group_migration_is_idempotent_and_reversible():
    migration = importlib.import_module("projects.migrations.0007_registration_staff_group")
    before = set(Group.objects.get(name="事務局").permissions.values_list("pk", flat=True))
    migration.create_staff_group(apps, None)
    assert Group.objects.filter(name="事務局").count() == 1
    assert set(Group.objects.get(name="事務局").permissions.values_list("pk", flat=True)) == before
    migration.remove_staff_group(apps, None)
    assert not Group.objects.filter(name="事務局").exists()
    migration.create_staff_group(apps, None)
    assert registration_codenames(Group.objects.get(name="事務局")) == {
        "view_registration",
        "change_registration",
        "delete_registration",
    }


def test_menu_item_only_for_users_with_registration_permissions(staff_client, editor_client):
    assert LISTING in staff_client.get("/admin/").content.decode()
    response = editor_client.get("/admin/")
    assert response.status_code == 200
    assert LISTING not in response.content.decode()


def test_user_without_registration_permissions_gets_nowhere(editor_client, people, briefing):
    yamada = people["yamada"]
    for page in [
        LISTING,
        f"{LISTING}?event={briefing.pk}",
        url("inspect", yamada),
        url("edit", yamada),
        url("delete", yamada),
        url("history", yamada),
        url("cancel", yamada),
        url("confirm", people["sato"]),
        url("resend", yamada),
        roster_url(briefing),
    ]:
        response = editor_client.get(page)
        assert response.status_code in (302, 403), page
        if response.status_code == 302:
            assert not response["Location"].startswith(LISTING), page
        assert "yamada@example.com" not in response.content.decode(), page

    for action in ["cancel", "confirm", "resend"]:
        response = editor_client.post(url(action, people["sato"]))
        assert response.status_code in (302, 403)
    response = editor_client.post(url("edit", yamada), {"name": "改ざん", "email": "evil@example.com"})
    assert response.status_code in (302, 403)
    yamada.refresh_from_db()
    people["sato"].refresh_from_db()
    assert (yamada.name, yamada.status) == ("山田太郎", RegistrationStatus.CONFIRMED)
    assert people["sato"].status == RegistrationStatus.WAITLISTED


def test_anonymous_visitors_are_sent_to_the_login(client, people, briefing):
    for page in [LISTING, url("inspect", people["yamada"]), roster_url(briefing)]:
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


# The roster as CSV


def test_roster_csv_is_excel_friendly(staff_client, people, briefing):
    response = staff_client.get(roster_url(briefing))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="roster-briefing-next-month.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.count(b"\r\n") == 3
    assert b"\n" not in response.content.replace(b"\r\n", b"")
    assert roster_lines(response) == [
        ["氏名", "ふりがな", "メールアドレス", "電話番号", "状態", "申込日時", "繰り上げ日時", "備考"],
        [
            "山田太郎",
            "やまだたろう",
            "yamada@example.com",
            "090-1234-5678",
            "参加確定",
            "2030-09-01 14:00",
            "",
            "車いすで伺います。",
        ],
        ["佐藤花子", "さとうはなこ", "sato@example.com", "", "キャンセル待ち", "2030-09-01 15:00", "", ""],
    ]


def test_roster_lists_confirmed_then_waitlisted_then_cancelled(staff_client, tree):
    event = make_event(tree.events, slug="ordering", starts_at=days_from_now(20), registration_enabled=True)
    start = datetime.datetime(2030, 9, 1, 0, 0, tzinfo=TOKYO)
    for minutes, name, status in [
        (0, "取消一", RegistrationStatus.CANCELLED),
        (1, "待ち一", RegistrationStatus.WAITLISTED),
        (2, "確定一", RegistrationStatus.CONFIRMED),
        (3, "取消二", RegistrationStatus.CANCELLED),
        (4, "確定二", RegistrationStatus.CONFIRMED),
        (5, "待ち二", RegistrationStatus.WAITLISTED),
    ]:
        register(
            event,
            name,
            f"{minutes}@example.com",
            status=status,
            created_at=start + datetime.timedelta(minutes=minutes),
        )
    Registration.objects.filter(name="確定二").update(
        promoted_at=datetime.datetime(2030, 9, 2, 9, 30, tzinfo=TOKYO)
    )

    rows = roster_lines(staff_client.get(roster_url(event)))[1:]
    assert [(row[0], row[4]) for row in rows] == [
        ("確定一", "参加確定"),
        ("確定二", "参加確定"),
        ("待ち一", "キャンセル待ち"),
        ("待ち二", "キャンセル待ち"),
        ("取消一", "キャンセル"),
        ("取消二", "キャンセル"),
    ]
    assert rows[1][5:7] == ["2030-09-01 00:04", "2030-09-02 09:30"]


def test_roster_neutralizes_formulas(staff_client, briefing):
    register(briefing, '=HYPERLINK("http://evil.example")', "a@example.com", name_kana="+kana", phone="-1")
    register(briefing, "@SUM(A1)", "b@example.com", note="\tタブ", status=RegistrationStatus.WAITLISTED)
    register(briefing, "普通の名前", "c@example.com", note="\r改行", status=RegistrationStatus.CANCELLED)

    rows = roster_lines(staff_client.get(roster_url(briefing)))[1:]
    assert rows[0][:4] == ['\'=HYPERLINK("http://evil.example")', "'+kana", "a@example.com", "'-1"]
    assert rows[1][0] == "'@SUM(A1)"
    assert rows[1][7] == "'\tタブ"
    assert rows[2][0] == "普通の名前"
    assert rows[2][7].startswith("'")


def test_roster_filename_stays_ascii(staff_client, tree):
    event = make_event(tree.events, slug="説明会-秋", starts_at=days_from_now(20), registration_enabled=True)
    response = staff_client.get(roster_url(event))
    assert response["Content-Disposition"] == f'attachment; filename="roster-event-{event.pk}.csv"'


def test_listing_links_to_the_roster_when_filtered_by_one_event(staff_client, people, briefing):
    soup = parse_ok(staff_client.get(f"{LISTING}?event={briefing.pk}"))
    link = soup.find("a", href=roster_url(briefing))
    assert link and "名簿をダウンロード(CSV)" in link.get_text()
    assert "参加確定 1名(定員 1名)・キャンセル待ち 1名・キャンセル 0名" in soup.get_text()

    unfiltered = parse_ok(staff_client.get(LISTING))
    assert not unfiltered.find("a", string=lambda text: text and "名簿をダウンロード" in text)


def test_roster_of_an_unknown_event_is_not_found(staff_client, people):
    assert staff_client.get(f"{LISTING}roster/999999/").status_code == 404


# The actions


def test_cancel_asks_first_then_frees_the_seat_for_the_waitlist(staff_client, people, briefing, mailoutbox):
    yamada, sato = people["yamada"], people["sato"]
    back = f"{LISTING}?event={briefing.pk}&status__exact=confirmed"

    page = parse_ok(staff_client.get(url("cancel", yamada), {"next": back}))
    form = page.find("form", method="post")
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert form.find("input", attrs={"name": "next"})["value"] == back
    assert "この申込をキャンセルします" in page.get_text()
    yamada.refresh_from_db()
    assert yamada.status == RegistrationStatus.CONFIRMED
    assert mailoutbox == []

    response = staff_client.post(url("cancel", yamada), {"next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    yamada.refresh_from_db()
    sato.refresh_from_db()
    assert yamada.status == RegistrationStatus.CANCELLED
    assert yamada.cancelled_at is not None
    assert sato.status == RegistrationStatus.CONFIRMED
    assert sorted((message.to[0], tag(message)) for message in mailoutbox) == [
        ("sato@example.com", "【参加確定】"),
        ("yamada@example.com", "【キャンセル完了】"),
    ]
    assert any(
        "山田太郎 さんの申込をキャンセルしました" in text and "佐藤花子 さんが参加確定" in text
        for text in messages_of(response)
    )


def test_confirm_from_the_waitlist(superuser_client, people, mailoutbox):
    sato = people["sato"]
    page = parse_ok(superuser_client.get(url("confirm", sato)))
    assert "定員を超えての参加確定" in page.get_text()

    response = superuser_client.post(url("confirm", sato))
    assert response.status_code == 302
    assert response["Location"] == LISTING
    sato.refresh_from_db()
    assert sato.status == RegistrationStatus.CONFIRMED
    assert sato.promoted_at is not None
    assert sato.status_email_sent_at is not None
    assert [(message.to, tag(message)) for message in mailoutbox] == [(["sato@example.com"], "【参加確定】")]
    assert any("佐藤花子 さんを参加確定にしました" in text for text in messages_of(response))


def test_resend_the_status_email(staff_client, people, mailoutbox):
    sato = people["sato"]
    assert sato.status_email_sent_at is None
    response = staff_client.post(url("resend", sato), {"next": f"{LISTING}?q=sato"})
    assert response["Location"] == f"{LISTING}?q=sato"
    sato.refresh_from_db()
    assert sato.status_email_sent_at is not None
    assert sato.status == RegistrationStatus.WAITLISTED
    assert [tag(message) for message in mailoutbox] == ["【キャンセル待ち】"]
    assert any("再送しました" in text for text in messages_of(response))


def test_a_failed_email_is_reported_to_the_staff(staff_client, people, settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    response = staff_client.post(url("resend", people["sato"]))
    assert any("送れませんでした" in text for text in messages_of(response))
    people["sato"].refresh_from_db()
    assert people["sato"].status_email_sent_at is None


def test_actions_that_do_not_apply_change_nothing(staff_client, people, mailoutbox):
    yamada = people["yamada"]
    response = staff_client.post(url("confirm", yamada))
    assert response.status_code == 302
    assert any("使えません" in text for text in messages_of(response))
    Registration.objects.filter(pk=yamada.pk).update(status=RegistrationStatus.CANCELLED)
    staff_client.post(url("cancel", yamada))
    yamada.refresh_from_db()
    assert yamada.status == RegistrationStatus.CANCELLED
    assert mailoutbox == []


def test_actions_need_a_csrf_token(django_user_model, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.com", "x"))
    assert client.post(url("cancel", people["yamada"])).status_code == 403
    people["yamada"].refresh_from_db()
    assert people["yamada"].status == RegistrationStatus.CONFIRMED


def test_next_cannot_lead_off_the_listing(staff_client, people):
    response = staff_client.post(url("resend", people["sato"]), {"next": "https://evil.example/admin/"})
    assert response["Location"] == LISTING


# Editing


def test_edit_form_changes_contact_details_but_never_the_status(staff_client, people):
    yamada = people["yamada"]
    soup = parse_ok(staff_client.get(url("edit", yamada)))
    assert not soup.find(attrs={"name": "status"})
    assert not soup.find(attrs={"name": "event"})

    response = staff_client.post(
        url("edit", yamada),
        {
            "name": "山田太郎",
            "name_kana": "やまだ たろう",
            "email": "taro.yamada@example.com",
            "phone": "042-000-0000",
            "note": "",
            "status": RegistrationStatus.CANCELLED,
            "event": people["suzuki"].event_id,
        },
    )
    assert response.status_code == 302
    yamada.refresh_from_db()
    assert (yamada.name_kana, yamada.email, yamada.phone, yamada.note) == (
        "やまだ たろう",
        "taro.yamada@example.com",
        "042-000-0000",
        "",
    )
    assert yamada.status == RegistrationStatus.CONFIRMED
    assert yamada.event_id == people["sato"].event_id


def test_edit_refuses_an_email_already_registered_for_the_event(staff_client, people):
    response = staff_client.post(
        url("edit", people["yamada"]), {"name": "山田太郎", "email": "SATO@example.com", "note": ""}
    )
    assert response.status_code == 200
    assert "ほかの申込があります" in response.content.decode()
    people["yamada"].refresh_from_db()
    assert people["yamada"].email == "yamada@example.com"


def test_only_cancelled_registrations_can_be_deleted(staff_client, people):
    yamada = people["yamada"]
    assert staff_client.post(url("delete", yamada)).status_code in (302, 403)
    assert Registration.objects.filter(pk=yamada.pk).exists()

    Registration.objects.filter(pk=yamada.pk).update(status=RegistrationStatus.CANCELLED)
    response = staff_client.post(url("delete", yamada))
    assert response["Location"] == LISTING
    assert not Registration.objects.filter(pk=yamada.pk).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/projects/registration/?event=²",
        "/admin/projects/registration/?event=99999999999999999999",
        "/admin/projects/registration/?event=-1",
        "/admin/projects/registration/?event=%00",
        "/admin/projects/registration/roster/99999999999999999999/",
        "/admin/projects/registration/cancel/99999999999999999999/",
        "/admin/projects/registration/confirm/99999999999999999999/",
    ],
)
def test_odd_admin_parameters_never_fail(superuser_client, people, path):
    response = superuser_client.get(path)

    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert listed_names(superuser_client, "?" + path.partition("?")[2]) == []


# Personal data stays out of Wagtail's reference index


def test_an_event_s_usage_page_lists_no_registration_worker_or_application(superuser_client, briefing, tree):
    from wagtail.models import ReferenceIndex

    from projects.models import SupportApplication, TeamInvitation, Worker
    from tests.builders import make_organization, make_project

    register(briefing, "山田 花子", "hanako@example.jp")
    register(briefing, "佐藤 太郎", "taro@example.jp")
    worker = Worker.objects.create(
        name="鈴木 次郎", email="jiro@example.jp", briefing=briefing, status="active"
    )
    project = make_project(tree.projects, make_organization(tree.organizations))
    SupportApplication.objects.create(
        organization_name="団体", legal_form="npo", contact_name="担当", contact_email="a@example.jp",
        description="説明", project=project,
    )  # fmt: skip
    TeamInvitation.objects.create(project=project, worker=worker)

    response = superuser_client.get(f"/admin/pages/{briefing.pk}/usage/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "参加申込" not in text and "山田" not in text and "鈴木" not in text
    personal = [Registration, Worker, SupportApplication, TeamInvitation]
    assert not ReferenceIndex.objects.filter(
        content_type__model__in=[model._meta.model_name for model in personal],
        content_type__app_label="projects",
    ).exists()


def test_the_migration_forgets_the_rows_already_indexed(briefing):
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    registration = register(briefing, "山田 花子", "hanako@example.jp")
    registration_type = ContentType.objects.get_for_model(Registration)
    ReferenceIndex.objects.create(
        content_type=registration_type, base_content_type=registration_type, object_id=str(registration.pk),
        to_content_type=ContentType.objects.get_for_model(Page), to_object_id=str(briefing.pk),
        model_path="event", content_path="event", content_path_hash=uuid.uuid4(),
    )  # fmt: skip
    page_rows = ReferenceIndex.objects.exclude(content_type=registration_type).count()

    migration = importlib.import_module("projects.migrations.0012_personal_data_out_of_reference_index")
    migration.forget_personal_rows(apps, None)

    assert not ReferenceIndex.objects.filter(content_type=registration_type).exists()
    assert ReferenceIndex.objects.count() == page_rows
