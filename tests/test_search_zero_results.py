"""Searches that found nothing: counted per query and day without personal data, reported to staff for 30
days (レポート → 見つからなかった検索) with a one-step synonym or editors' pick, and forgotten after that."""

import datetime
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client, override_settings
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from home.dates import today
from search.models import ZeroResultSearch
from search.synonyms import synonym_groups
from tests.builders import logged_in, make_article, make_user
from tests.concurrency import run_together
from tests.html import parse_ok

REPORT = "/admin/reports/zero-result-searches/"
SYNONYM_ADD = "/admin/snippets/search/synonymgroup/add/"
PICK_ADD = "/admin/searchpicks/add/"


def days_ago(days):
    return today() - datetime.timedelta(days=days)


def counted():
    """{query: total count} of every row kept."""
    totals = {}
    for row in ZeroResultSearch.objects.all():
        totals[row.query] = totals.get(row.query, 0) + row.count
    return totals


def search(client, query, **params):
    # Empty parameters and pages past the last are redirected once to the page's own address.
    response = client.get("/search/", {"q": query, **params}, follow=True)
    assert response.status_code == 200
    return response


@pytest.fixture
def site(tree):
    return make_article(tree.news, title="猫の譲渡会を開きました", lead="保護猫の新しい家族を探します。")


@pytest.fixture
def office():
    return logged_in(make_user("jimu", "事務局"))


def report_rows(client, **params):
    """[query, count, last day] of each row of the report, as staff read them."""
    soup = parse_ok(client.get(REPORT, params))
    return [
        [row.select_one(".title-wrapper").get_text(strip=True)]
        + [cell.get_text(strip=True) for cell in row.select("td")[1:]]
        for row in soup.select("tbody tr")
    ]


# Counting


@pytest.mark.django_db
def test_a_search_that_finds_nothing_is_counted_and_one_that_finds_something_is_not(client, site):
    before = today()
    search(client, "ふくろう")
    search(client, "ふくろう")
    search(client, "猫")
    search(client, "ふくろう", page="3")

    assert counted() == {"ふくろう": 3}
    assert ZeroResultSearch.objects.get().day in {before, today()}


@pytest.mark.django_db
def test_a_type_filter_that_finds_nothing_is_not_counted_as_a_search_that_found_nothing(client, site):
    search(client, "猫", type="event")

    assert counted() == {}


@pytest.mark.django_db
def test_width_case_and_spacing_variants_are_one_query(client, site):
    for query in ["ＺＯＯＭ 研修", "zoom 研修", "  Zoom　 研修 "]:
        search(client, query)

    assert counted() == {"zoom 研修": 3}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "hanako@example.jp",
        "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ",
        "連絡先 taro.yamada+npo@mail.example.com",
        "abc@def",
        "090-1234-5678",
        "０９０１２３４５６７８",
        "03 (1234) 5678",
        "+81 42-620-1234",
        "042ー620ー1234",
        "山田 04262012345",
    ],
)
def test_what_looks_like_an_email_address_or_a_phone_number_is_not_counted(client, site, query):
    search(client, query)

    assert counted() == {}


@pytest.mark.django_db
def test_a_program_name_with_an_at_sign_and_short_numbers_are_counted(client, site):
    for query in ["プロボノ@八王子 説明会", "192-0083", "2016年度"]:
        search(client, query)

    assert set(counted()) == {"プロボノ@八王子 説明会", "192-0083", "2016年度"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "stored"),
    [
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("ふく\u200bろう", "ふくろう"),
        ("ふくろう\u202e逆さ", "ふくろう逆さ"),
        ("ふく\x00ろう\x1b", "ふく ろう"),
        ("ふ" * 1000, "ふ" * 200),
        ("㍿" * 200, "株式会社" * 50),
    ],
)
def test_hostile_and_oversized_queries_are_stored_clean_and_cut(client, site, query, stored):
    search(client, query)

    assert counted() == {stored: 1}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "!!!", "😺😺", "\u200b", "\u3164", "%_%"])
def test_queries_with_nothing_searchable_are_not_counted(client, site, query):
    search(client, query)

    assert counted() == {}


@pytest.mark.django_db
def test_no_more_than_a_thousand_new_queries_a_day_are_counted_but_known_ones_still_are(client, site):
    ZeroResultSearch.objects.bulk_create(
        ZeroResultSearch(query=f"bot{number}", day=today(), count=1) for number in range(1000)
    )

    search(client, "ふくろう")
    search(client, "bot7")

    assert ZeroResultSearch.objects.filter(day=today()).count() == 1000
    assert ZeroResultSearch.objects.get(query="bot7").count == 2


@pytest.mark.django_db
def test_a_count_holds_no_personal_data():
    assert [field.name for field in ZeroResultSearch._meta.get_fields()] == ["id", "query", "day", "count"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_searches_count_every_one():
    # On PostgreSQL, twenty threads with their own connections race to create and increment the row.
    responses = run_together([lambda: Client().get("/search/", {"q": "ふくろう"}) for _ in range(40)], 20)

    assert [response.status_code for response in responses] == [200] * 40
    assert counted() == {"ふくろう": 40}
    assert ZeroResultSearch.objects.count() == 1


# Forgetting


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_forgets_counts_older_than_thirty_days():
    ZeroResultSearch.objects.bulk_create(
        [
            ZeroResultSearch(query="今日", day=days_ago(0), count=1),
            ZeroResultSearch(query="29日前", day=days_ago(29), count=1),
            ZeroResultSearch(query="30日前", day=days_ago(30), count=1),
            ZeroResultSearch(query="1年前", day=days_ago(365), count=1),
        ]
    )

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert set(counted()) == {"今日", "29日前"}


@pytest.mark.django_db
def test_the_first_count_of_a_day_forgets_counts_older_than_thirty_days_too(client, site):
    ZeroResultSearch.objects.bulk_create(
        [
            ZeroResultSearch(query="29日前", day=days_ago(29), count=1),
            ZeroResultSearch(query="30日前", day=days_ago(30), count=1),
        ]
    )

    search(client, "ふくろう")

    assert set(counted()) == {"ふくろう", "29日前"}


# The report


@pytest.mark.django_db
def test_the_report_lists_the_last_thirty_days_most_frequent_first(office):
    ZeroResultSearch.objects.bulk_create(
        [
            ZeroResultSearch(query="ふくろう", day=days_ago(0), count=2),
            ZeroResultSearch(query="ふくろう", day=days_ago(10), count=5),
            ZeroResultSearch(query="ズーム研修", day=days_ago(3), count=4),
            ZeroResultSearch(query="古い言葉", day=days_ago(30), count=100),
            ZeroResultSearch(query="<b>太字</b>", day=days_ago(29), count=1),
        ]
    )

    response = office.get(REPORT)
    rows = report_rows(office)

    assert [row[:2] for row in rows] == [["ふくろう", "7"], ["ズーム研修", "4"], ["<b>太字</b>", "1"]]
    assert f"{today().year}年{today().month}月{today().day}日" in rows[0][2]
    assert "<b>太字</b>" not in response.content.decode()
    assert "検索した人の情報は記録していません" in response.content.decode()


@pytest.mark.django_db
def test_the_report_is_paginated_and_searchable_and_takes_odd_parameters(office):
    ZeroResultSearch.objects.bulk_create(
        ZeroResultSearch(query=f"言葉{number:02}", day=today(), count=number + 1) for number in range(60)
    )
    ZeroResultSearch.objects.create(query="ふくろう", day=today(), count=1)

    assert len(report_rows(office)) == 50
    assert [row[0] for row in report_rows(office, p="2")][-2:] == ["ふくろう", "言葉00"]
    assert [row[0] for row in report_rows(office, q="ふくろ")] == ["ふくろう"]
    for params in [{"p": "x"}, {"p": "-1"}, {"p": "99999"}, {"ordering": "evil"}, {"q": "<script>" * 100}]:
        response = office.get(REPORT, params)
        assert response.status_code == 200
        assert "<script>" not in response.content.decode()
    by_query = [row[0] for row in report_rows(office, ordering="query")]
    assert by_query.index("言葉00") < by_query.index("言葉01")


@pytest.mark.django_db
def test_the_report_says_so_when_nothing_was_missed(office):
    ZeroResultSearch.objects.create(query="古い言葉", day=days_ago(31), count=1)

    response = office.get(REPORT)

    assert "過去30日間に、何も見つからなかった検索はありません。" in response.content.decode()


@pytest.mark.django_db
def test_a_synonym_is_added_from_a_row_in_one_step(office, site):
    search(Client(), "ふくろう")
    link = parse_ok(office.get(REPORT)).select_one('a[aria-label="「ふくろう」の同義語を追加"]')

    assert link.get_text(strip=True) == "同義語を追加"
    assert urlparse(link["href"]).path == SYNONYM_ADD
    form = parse_ok(office.get(link["href"]))
    assert form.select_one("textarea[name=terms]").get_text().strip() == "ふくろう"

    assert office.post(link["href"], {"terms": "ふくろう\nミミズク", "note": ""}).status_code == 302
    assert ("ふくろう", "ミミズク") in synonym_groups()


@pytest.mark.django_db
def test_an_editors_pick_is_added_from_a_row_in_one_step(office, site):
    search(Client(), "ふくろう 譲渡")
    link = parse_ok(office.get(REPORT)).select_one('a[aria-label="「ふくろう 譲渡」のおすすめを追加"]')
    assert link.get_text(strip=True) == "おすすめを追加"

    form = parse_ok(office.get(link["href"]))
    assert form.select_one("input[name=query_string]")["value"] == "ふくろう 譲渡"
    assert form.select_one("form[method=post]")["action"] == PICK_ADD

    saved = office.post(
        PICK_ADD,
        {
            "query_string": "ふくろう 譲渡",
            "editors_picks-TOTAL_FORMS": "1",
            "editors_picks-INITIAL_FORMS": "0",
            "editors_picks-MIN_NUM_FORMS": "0",
            "editors_picks-MAX_NUM_FORMS": "1000",
            "editors_picks-0-page": str(site.pk),
            "editors_picks-0-description": "",
            "editors_picks-0-ORDER": "0",
            "editors_picks-0-DELETE": "",
            "editors_picks-0-external_link_url": "",
            "editors_picks-0-external_link_text": "",
        },
    )
    assert saved.status_code == 302
    assert SearchPromotion.objects.get().query.query_string == "ふくろう 譲渡"
    # The visitor who searches for it now sees the pick.
    assert "猫の譲渡会を開きました" in search(Client(), "ふくろう 譲渡").content.decode()


@pytest.mark.django_db
def test_a_query_that_has_picks_already_opens_them(office, site):
    query = Query.get("ふくろう")
    SearchPromotion.objects.create(query=query, page=site, sort_order=0)

    response = office.get(f"{REPORT}promote/?{urlencode({'q': 'ふくろう'})}")

    assert response.status_code == 302
    assert response["Location"] == f"/admin/searchpicks/{query.pk}/"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "   ", "\x00", "<script>alert(1)</script>", "x" * 5000])
def test_the_pick_form_takes_odd_queries(office, value):
    response = office.get(f"{REPORT}promote/", {"q": value})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert len(parse_ok(response).select_one("input[name=query_string]").get("value", "")) <= 200
    assert office.post(f"{REPORT}promote/", {"q": "x"}).status_code == 405


@pytest.mark.django_db
def test_the_report_is_in_the_reports_menu_for_the_office_and_superusers_only(client, django_user_model):
    ZeroResultSearch.objects.create(query="ふくろう", day=today(), count=1)
    office = logged_in(make_user("jimu", "事務局"))
    admin = logged_in(django_user_model.objects.create_superuser("boss", "boss@example.jp", "x"))
    editor = logged_in(make_user("henshu", "編集者"))
    moderator = logged_in(make_user("shonin", "承認者"))

    for allowed in (office, admin):
        assert f'"{REPORT}"' in allowed.get("/admin/").content.decode()
        assert "ふくろう" in allowed.get(REPORT).content.decode()
    for denied in (editor, moderator):
        assert f'"{REPORT}"' not in denied.get("/admin/").content.decode()
        for url in (REPORT, f"{REPORT}results/"):
            response = denied.get(url)
            assert response.status_code in (302, 403)
            assert "ふくろう" not in response.content.decode()
    anonymous = client.get(REPORT)
    assert anonymous.status_code == 302
    assert parse_qs(urlparse(anonymous["Location"]).query)["next"] == [REPORT]


@pytest.mark.django_db
def test_the_actions_are_shown_only_to_those_who_may_take_them():
    ZeroResultSearch.objects.create(query="ふくろう", day=today(), count=1)
    reader = make_user("reader")
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_zeroresultsearch"])
    )

    soup = parse_ok(logged_in(reader).get(REPORT))

    assert soup.select_one("tbody .title-wrapper").get_text(strip=True) == "ふくろう"
    assert soup.select("tbody a") == []
