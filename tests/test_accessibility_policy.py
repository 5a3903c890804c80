"""The accessibility policy page written from its settings, the 試験結果 report in WAIC's format, who may
publish a report, and the accessibility_report command's arguments and sampling (the browser run itself
is tests/browser/test_accessibility_report.py)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail.test.utils.page_tests import querydict_from_html

from home.accessibility import judging
from home.accessibility.browser import CONDITIONS
from home.accessibility.criteria import CRITERIA
from home.accessibility.report import save_report
from home.accessibility.sampling import REPRESENTATIVE, Sample
from home.models import (
    AccessibilityPolicyPage,
    AccessibilityReportPage,
    AccessibilitySettings,
    HomePage,
    StandardPage,
)
from tests.builders import add_page, home_page, logged_in, make_user
from tests.html import parse_ok

pytestmark = pytest.mark.django_db

SAMPLES = [
    Sample("/", "ホーム", "ホーム", REPRESENTATIVE),
    Sample("/accessibility/", "アクセシビリティ方針", "アクセシビリティ方針", REPRESENTATIVE),
]


def make_policy(**settings):
    site = Site.objects.get(is_default_site=True)
    policy = AccessibilitySettings.for_site(site)
    for name, value in settings.items():
        setattr(policy, name, value)
    policy.save()
    return add_page(home_page(), AccessibilityPolicyPage(title="アクセシビリティ方針", slug="accessibility"))


def rule(rule_id, *tags, nodes=1):
    return {"id": rule_id, "tags": ["wcag2a", *tags], "nodes": nodes}


def run(url="/", condition="white-normal", lang="ja", media=0, violations=(), passes=(), incomplete=()):
    return {
        "url": url,
        "condition": condition,
        "status": 200,
        "lang": lang,
        "media": media,
        "violations": list(violations),
        "passes": list(passes),
        "incomplete": list(incomplete),
    }


CLEAN_RUNS = [
    run(url, condition.key, passes=[rule("html-has-lang", "wcag311"), rule("image-alt", "wcag111")])
    for url in ("/", "/accessibility/")
    for condition in CONDITIONS
]


def make_report(runs=CLEAN_RUNS):
    report, created, _judgements = save_report(
        Site.objects.get(is_default_site=True),
        SAMPLES,
        runs,
        conditions=CONDITIONS,
        seed=7,
        tool="axe-core 4.12",
        browser="Chromium",
    )
    return report


def results_of(report):
    latest = AccessibilityReportPage.objects.get(pk=report.pk).get_latest_revision_as_object()
    return {row.number: (row.result, row.method) for row in latest.criteria.all()}


# The policy page


def test_policy_page_shows_the_settings():
    page = make_policy(
        scope="このサイトのすべてのページ",
        deadline="2027年3月31日",
        test_period="毎年度1回",
        exceptions="団体が提供するPDFファイル",
        contact="事務局\n042-000-0000",
    )
    soup = parse_ok(Client().get(page.url))
    text = soup.main.get_text()

    assert soup.h1.get_text() == "アクセシビリティ方針"
    assert "JIS X 8341-3:2016 の適合レベルAAに準拠することを目標とします(目標達成期限:2027年3月31日)" in text
    assert "対応度表記ガイドライン" in text
    headings = [h2.get_text() for h2 in soup.main.find_all("h2")]
    assert headings == [
        "目標とする適合レベル及び対応度",
        "対象範囲",
        "例外事項",
        "試験結果",
        "担当部署・連絡先",
    ]
    assert "団体が提供するPDFファイル" in text
    assert "試験の実施時期:毎年度1回" in text
    assert "公開している試験結果はまだありません。" in text
    assert "事務局<br/>042-000-0000" in str(soup.main)


def test_policy_page_leaves_out_empty_items_and_follows_the_target_level():
    page = make_policy(target_level="A", conformance="一部準拠")
    soup = parse_ok(Client().get(page.url))

    assert [h2.get_text() for h2 in soup.main.find_all("h2")] == [
        "目標とする適合レベル及び対応度",
        "試験結果",
    ]
    assert "JIS X 8341-3:2016 の適合レベルAに一部準拠することを目標とします。" in soup.main.get_text()


def test_changing_the_settings_changes_the_cached_policy_page():
    page = make_policy(scope="旧い範囲")
    client = Client()
    assert "旧い範囲" in client.get(page.url).content.decode()

    settings = AccessibilitySettings.for_site(Site.objects.get(is_default_site=True))
    settings.scope = "新しい範囲"
    settings.save()

    assert "新しい範囲" in client.get(page.url).content.decode()


def test_policy_page_lists_only_published_reports():
    policy = make_policy()
    draft = make_report()
    assert draft.title not in Client().get(policy.url).content.decode()

    draft.get_latest_revision().publish()

    soup = parse_ok(Client().get(policy.url))
    link = soup.main.find("a", string=draft.title)
    assert link["href"] == AccessibilityReportPage.objects.get(pk=draft.pk).url


# The report page


def test_report_is_a_draft_below_the_policy_with_every_criterion():
    policy = make_policy()
    report = make_report()

    assert not report.live
    assert report.get_parent().pk == policy.pk
    assert Client().get(f"{policy.url}{report.slug}/").status_code == 404
    assert list(results_of(report)) == [criterion.number for criterion in CRITERIA]


def test_report_tables_have_captions_and_headers():
    make_policy()
    report = make_report()
    report.get_latest_revision().publish()
    soup = parse_ok(Client().get(AccessibilityReportPage.objects.get(pk=report.pk).url))

    tables = soup.main.find_all("table")
    assert [table.caption.get_text() for table in tables] == [
        "JIS X 8341-3:2016 の達成基準ごとの試験結果",
        "試験したページの一覧(2ページ)",
        "ページと表示条件ごとの axe の検出件数",
    ]
    checklist, pages, axe = tables
    assert [th.get_text() for th in checklist.thead.find_all("th", scope="col")] == [
        "達成基準",
        "適合レベル",
        "適用",
        "結果",
        "確認方法",
        "注記",
    ]
    rows = checklist.tbody.find_all("tr")
    assert len(rows) == 38
    assert [row.th["scope"] for row in rows] == ["row"] * 38
    assert rows[0].th.get_text() == "1.1.1 非テキストコンテンツ"
    assert [td.get_text() for td in rows[0].find_all("td")][:4] == [
        "A",
        "〇(適用)",
        "未確認",
        "目視確認が必要",
    ]
    assert [th.get_text() for th in pages.thead.find_all("th", scope="col")] == [
        "番号",
        "ページ",
        "URL",
        "種類",
        "抽出方法",
    ]
    assert [row.th.get_text() for row in pages.tbody.find_all("tr")] == ["ホーム", "アクセシビリティ方針"]
    assert [th.get_text() for th in axe.thead.find_all("th", scope="col")][1:] == [
        c.label for c in CONDITIONS
    ]
    for table in tables:
        region = table.parent
        assert region["role"] == "region" and region["aria-labelledby"] == table.caption["id"]


def test_report_does_not_claim_conformance_for_what_no_one_checked():
    make_policy()
    report = make_report()
    report.get_latest_revision().publish()
    text = parse_ok(Client().get(AccessibilityReportPage.objects.get(pk=report.pk).url)).main.get_text()

    assert "JIS X 8341-3:2016 の適合レベルAAに一部準拠" in text
    assert "人による確認が済んでいない達成基準(32件)があるため、「準拠」とは表記していません。" in text


def test_report_claims_conformance_once_every_criterion_is_met():
    make_policy()
    report = AccessibilityReportPage.objects.get(pk=make_report().pk).get_latest_revision_as_object()
    for row in report.criteria.all():
        if row.result == judging.UNCHECKED:
            row.result, row.method = judging.PASS, judging.PERSON
    report.save_revision().publish()
    text = parse_ok(Client().get(AccessibilityReportPage.objects.get(pk=report.pk).url)).main.get_text()

    assert "JIS X 8341-3:2016 の適合レベルAAに準拠" in text
    assert "未確認 0件" in text


def test_at_level_a_the_aa_criteria_are_not_applied():
    make_policy(target_level="A")
    report = make_report()
    report.get_latest_revision().publish()
    soup = parse_ok(Client().get(AccessibilityReportPage.objects.get(pk=report.pk).url))
    contrast = soup.main.find("th", string="1.4.3 コントラスト(最低限レベル)").parent

    assert contrast.find_all("td")[1].get_text() == "ー(適用しない)"
    assert "適合 1件、不適合 0件、非適用 3件、未確認 21件" in soup.main.get_text()


# Judging axe's results


def test_a_violation_fails_its_criterion_and_names_the_rule():
    make_policy()
    runs = [*CLEAN_RUNS, run("/", "black-large", violations=[rule("color-contrast", "wcag2aa", "wcag143")])]
    report = make_report(runs)
    latest = report.get_latest_revision_as_object()
    contrast = next(row for row in latest.criteria.all() if row.number == "1.4.3")

    assert (contrast.result, contrast.method) == (judging.FAIL, judging.AUTOMATIC)
    assert "color-contrast(1ページ)" in contrast.note


def test_only_the_page_language_passes_automatically():
    make_policy()
    results = results_of(make_report())

    assert results["3.1.1"] == (judging.PASS, judging.AUTOMATIC)
    automatic_passes = [number for number, result in results.items() if result[0] == judging.PASS]
    assert automatic_passes == ["3.1.1"]
    # axe checked image-alt with no violation, yet alt text that says nothing needs a person.
    assert results["1.1.1"] == (judging.UNCHECKED, judging.PENDING)


def test_page_language_other_than_japanese_is_left_to_a_person():
    make_policy()
    runs = [*CLEAN_RUNS, run("/en/", lang="en", passes=[rule("html-has-lang", "wcag311")])]

    assert results_of(make_report(runs))["3.1.1"] == (judging.UNCHECKED, judging.PENDING)


def test_media_criteria_apply_once_a_page_has_a_player():
    make_policy()
    without = results_of(make_report())
    assert {without[number] for number in ("1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5")} == {
        (judging.NOT_APPLICABLE, judging.AUTOMATIC)
    }

    with_video = results_of(make_report([*CLEAN_RUNS, run("/news/video/", media=1)]))
    assert with_video["1.2.2"] == (judging.UNCHECKED, judging.PENDING)


def test_a_page_that_did_not_load_proves_nothing():
    make_policy()
    broken = {**run("/broken/"), "status": 500}
    results = results_of(make_report([*CLEAN_RUNS, broken]))

    assert results["3.1.1"] == (judging.UNCHECKED, judging.PENDING)
    assert results["1.2.1"] == (judging.UNCHECKED, judging.PENDING)


def test_a_new_run_updates_the_draft_and_keeps_what_a_person_judged():
    make_policy()
    first = make_report().get_latest_revision_as_object()
    for row in first.criteria.all():
        if row.number == "2.1.1":
            row.result, row.method, row.note = (
                judging.PASS,
                judging.PERSON,
                "キーボードだけで全ページを操作した。",
            )
        if row.number == "1.4.3":
            row.result, row.method = judging.PASS, judging.PERSON
    first.save_revision()

    contrast_failure = run("/", violations=[rule("color-contrast", "wcag2aa", "wcag143")])
    second = make_report([*CLEAN_RUNS, contrast_failure])
    latest = second.get_latest_revision_as_object()
    rows = {row.number: row for row in latest.criteria.all()}

    assert second.pk == first.pk
    assert AccessibilityReportPage.objects.count() == 1
    assert (rows["2.1.1"].result, rows["2.1.1"].note) == (
        judging.PASS,
        "キーボードだけで全ページを操作した。",
    )
    assert rows["1.4.3"].result == judging.FAIL


def test_a_published_report_is_never_rewritten():
    make_policy()
    first = make_report()
    first.get_latest_revision().publish()

    second = make_report()

    assert second.pk != first.pk
    assert AccessibilityReportPage.objects.get(pk=first.pk).live
    assert second.slug == f"{first.slug}-2"


# Editing and publishing in the admin


@pytest.fixture
def report():
    make_policy()
    return make_report()


def edit_data(client, page):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return url, querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")


def row_prefix(report, number):
    """The inline form prefix ("criteria-3") of a criterion's row in the admin's edit form."""
    latest = AccessibilityReportPage.objects.get(pk=report.pk).get_latest_revision_as_object()
    position = [row.number for row in latest.criteria.all()].index(number)
    return f"criteria-{position}"


def test_editor_records_a_persons_judgement_but_cannot_publish(report):
    client = logged_in(make_user("henshu", "編集者"))
    url, data = edit_data(client, report)
    prefix = row_prefix(report, "2.4.3")
    data[f"{prefix}-result"] = judging.PASS
    data[f"{prefix}-method"] = judging.PERSON
    data[f"{prefix}-note"] = "Tab キーで全ページの順序を確認した。"
    data["action-publish"] = "公開"

    response = client.post(url, data)

    assert response.status_code == 302
    page = AccessibilityReportPage.objects.get(pk=report.pk)
    assert not page.live
    row = next(row for row in page.get_latest_revision_as_object().criteria.all() if row.number == "2.4.3")
    assert (row.result, row.method, row.note) == (
        judging.PASS,
        judging.PERSON,
        "Tab キーで全ページの順序を確認した。",
    )
    assert not page.permissions_for_user(make_user("jimu", "事務局")).can_publish()
    assert page.permissions_for_user(make_user("shonin", "承認者")).can_publish()


def test_a_judgement_needs_its_method(report):
    client = logged_in(make_user("henshu", "編集者"))
    url, data = edit_data(client, report)
    prefix = row_prefix(report, "2.4.3")
    data[f"{prefix}-result"] = judging.PASS

    response = client.post(url, data)

    assert response.status_code == 200
    assert "確認した方法(自動試験か目視確認)を選んでください。" in response.content.decode()


def test_the_criterion_of_a_row_cannot_be_changed(report):
    client = logged_in(make_user("shonin", "承認者"))
    url, data = edit_data(client, report)
    data["criteria-0-number"] = "4.1.2"

    client.post(url, data)

    latest = AccessibilityReportPage.objects.get(pk=report.pk).get_latest_revision_as_object()
    assert [row.number for row in latest.criteria.all()] == [criterion.number for criterion in CRITERIA]


def test_settings_are_edited_in_japanese_in_the_admin():
    client = logged_in(make_superuser())
    site = Site.objects.get(is_default_site=True)
    response = client.get(reverse("wagtailsettings:edit", args=["home", "accessibilitysettings", site.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    for label in (
        "目標とする適合レベル",
        "目標とする対応度",
        "対象範囲",
        "目標達成期限",
        "例外事項",
        "担当部署・連絡先",
    ):
        assert label in page


def make_superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("kanri", "kanri@example.jp", "x")


# Where the pages may live


def test_page_type_rules():
    from wagtail.test.utils import WagtailPageTestCase

    case = WagtailPageTestCase()
    case.assertAllowedParentPageTypes(AccessibilityPolicyPage, {HomePage})
    case.assertAllowedSubpageTypes(AccessibilityPolicyPage, {AccessibilityReportPage})
    case.assertAllowedParentPageTypes(AccessibilityReportPage, {AccessibilityPolicyPage})
    case.assertAllowedSubpageTypes(AccessibilityReportPage, set())
    case.assertCanNotCreateAt(StandardPage, AccessibilityPolicyPage)
    assert not AccessibilityReportPage.is_creatable
    policy = make_policy()
    assert not AccessibilityPolicyPage.can_create_at(home_page())
    assert AccessibilityPolicyPage.objects.get(pk=policy.pk).get_parent().pk == home_page().pk
    assert Page.objects.type(AccessibilityPolicyPage).count() == 1


# The command: arguments and sampling


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--random", "abc"], "--random には0から200までの整数を指定してください(「abc」)。"),
        (["--random", "-1"], "--random には0から200までの整数を指定してください(「-1」)。"),
        (["--random", "100000"], "--random には0から200までの整数を指定してください(「100000」)。"),
        (["--random", "1.5"], "--random には0から200までの整数を指定してください(「1.5」)。"),
        (["--seed", "種"], "--seed には0以上の整数を指定してください(「種」)。"),
        (["--seed", "99999999999999"], "--seed には0以上、2の32乗未満の整数を指定してください"),
        (["--base-url", "ftp://127.0.0.1/"], "--base-url には http://127.0.0.1:8000 のような"),
        (["--base-url", "javascript:alert(1)"], "--base-url には http://127.0.0.1:8000 のような"),
        (
            ["--base-url", "http://127.0.0.1:8000/?next=<script>"],
            "--base-url には http://127.0.0.1:8000 のような",
        ),
        (["--base-url", "http://" + "a" * 5000], "--base-url には http://127.0.0.1:8000 のような"),
        (["--base-url", "http://127.0.0.1:99999"], "--base-url には http://127.0.0.1:8000 のような"),
        (["--base-url", "http://[::1"], "--base-url には http://127.0.0.1:8000 のような"),
    ],
    ids=[
        "text",
        "negative",
        "huge",
        "fraction",
        "seed-text",
        "seed-huge",
        "ftp",
        "javascript",
        "query",
        "long",
        "port",
        "bracket",
    ],
)
def test_malformed_arguments_get_a_japanese_error(arguments, message):
    make_policy()
    with pytest.raises(CommandError) as error:
        call_command("accessibility_report", *arguments, "--list-pages", stdout=StringIO())
    assert message in str(error.value)


def test_without_a_policy_page_the_command_says_what_to_do():
    with pytest.raises(CommandError, match="アクセシビリティ方針のページがありません"):
        call_command("accessibility_report", "--list-pages", stdout=StringIO())


def test_without_chromium_the_command_says_what_to_install():
    make_policy()
    with pytest.raises(CommandError) as error:
        call_command("accessibility_report", "--chromium", "/nonexistent/chromium", stdout=StringIO())
    assert "試験を実行できません" in str(error.value)
    assert AccessibilityReportPage.objects.count() == 0


def list_pages(*arguments):
    out = StringIO()
    call_command("accessibility_report", "--list-pages", *arguments, stdout=out)
    return out.getvalue().splitlines()[1:]


@pytest.mark.demo
def test_sampling_has_a_representative_of_every_public_page_type():
    lines = list_pages("--random", "0", "--seed", "1")
    types = {line.split("] ", 1)[1].split(": ", 1)[0] for line in lines}

    for model in ("ホーム", "一般ページ", "お知らせ一覧", "お知らせ・活動レポート", "団体一覧", "団体"):
        assert model in types
    for model in ("プロジェクト一覧", "プロジェクト", "イベント一覧", "イベント", "アクセシビリティ方針"):
        assert model in types
    for view in (
        "カタログの絞り込み",
        "サイト内検索の結果",
        "サイトマップ",
        "終了したイベント",
        "年度別の支援実績",
    ):
        assert view in types
    assert "プロボノワーカー登録ページ" in types and "支援申込ページ" in types
    assert all(line.startswith("  [代表]") for line in lines)


@pytest.mark.demo
def test_random_pages_are_public_and_reproducible_from_the_seed():
    first = [line for line in list_pages("--random", "5", "--seed", "42") if "[無作為]" in line]
    again = [line for line in list_pages("--random", "5", "--seed", "42") if "[無作為]" in line]
    other = [line for line in list_pages("--random", "5", "--seed", "43") if "[無作為]" in line]

    assert len(first) == 5
    assert first == again
    assert first != other
    representative = {line.rsplit(" ", 1)[1] for line in list_pages("--random", "0", "--seed", "1")}
    assert not representative & {line.rsplit(" ", 1)[1] for line in first}


def test_private_and_draft_pages_are_never_sampled():
    make_policy()
    home = home_page()
    add_page(home, StandardPage(title="公開のページ", slug="open"))
    draft = StandardPage(title="下書きのページ", slug="draft", live=False)
    home.add_child(instance=draft)
    private = add_page(home, StandardPage(title="限定のページ", slug="private"))
    private.view_restrictions.create(restriction_type="password", password="x")

    urls = {line.rsplit(" ", 1)[1] for line in list_pages("--random", "200", "--seed", "1")}

    assert "/open/" in urls
    assert "/draft/" not in urls and "/private/" not in urls
