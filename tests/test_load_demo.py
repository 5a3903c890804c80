"""load_demo builds the seed's first pro bono year through the real import path, idempotently, and only where
demo content is allowed."""

import datetime
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, SimpleTestCase, TestCase, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from home.models import ArticleIndexPage, ArticlePage, HomePage, StandardPage
from projects.demo import catalog as demo_catalog
from projects.demo import generator
from projects.demo.accounts import (
    DEMO_ACCOUNTS,
    DEMO_ADMIN,
    DEMO_EDITOR,
    DEMO_MODERATOR,
    DEMO_TOTP_KEY,
    demo_code,
)
from projects.models import (
    FACETS,
    EventPage,
    OrganizationPage,
    ProjectPage,
    ProjectStatus,
    Registration,
    RegistrationStatus,
)
from tests.demo_site import SHARED_DEMO

TOKYO = datetime.timezone(datetime.timedelta(hours=9))


def load_demo(**options):
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def progress_dates(slug):
    return [entry["date"].isoformat() for entry in ProjectPage.objects.get(slug=slug).progress_entries()]


def local_date(moment):
    return moment.astimezone(TOKYO).date().isoformat()


def database_snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "registrations": Registration.objects.count(),
        "users": get_user_model().objects.count(),
        "search promotions": SearchPromotion.objects.count(),
    }


@pytest.mark.demo
class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = SHARED_DEMO.output  # what the first load_demo on this database wrote

    # The seed: the center, its two first organizations and their projects

    def test_seed_organizations(self):
        center = OrganizationPage.objects.get(slug="hachioji-civic-center")
        self.assertEqual(center.title, "八王子市市民活動支援センター(NPOさぽーと802)")
        self.assertEqual(center.representative, "大山 健三")
        self.assertEqual(center.postal_code, "192-0083")
        self.assertIn("旭町12-1 ファルマ802ビル5階", center.address)
        self.assertEqual(center.founded_year, 2003)
        self.assertIn("ゆめおりファンド", center.description)
        self.assertIsNotNone(center.logo)
        for slug, title in [
            ("katatsumuri", "NPO法人かたつむり"),
            ("hachioji-cat-homes", "八王子猫のおうち探しの会"),
        ]:
            organization = OrganizationPage.objects.get(slug=slug)
            self.assertEqual(organization.title, title)
            self.assertTrue(organization.live)
        self.assertEqual(OrganizationPage.objects.get(slug="katatsumuri").legal_form, "NPO法人")

    def test_center_project_has_the_seed_timeline(self):
        project = ProjectPage.objects.get(slug="hachioji-accompaniment-2016")
        self.assertEqual(project.title, "八王子市 伴走支援")
        self.assertEqual(project.organization.slug, "hachioji-civic-center")
        self.assertEqual(project.status, ProjectStatus.COMPLETED)
        self.assertEqual(project.team_size, 6)
        self.assertEqual(project.started_on, datetime.date(2016, 7, 20))
        self.assertEqual(project.ended_on, datetime.date(2017, 3, 25))
        self.assertEqual(
            progress_dates("hachioji-accompaniment-2016"),
            [
                "2016-07-20", "2016-08-09", "2016-09-04", "2016-09-25", "2016-10-06", "2016-12-08",
                "2016-12-18", "2016-12-23", "2017-01-06", "2017-01-11", "2017-01-18", "2017-01-19",
                "2017-01-25", "2017-01-30", "2017-02-28", "2017-03-17", "2017-03-25", "2017-11-15",
            ],
        )  # fmt: skip
        entries = {entry["date"].isoformat(): entry for entry in project.progress_entries()}
        self.assertIn("20名", entries["2016-07-20"]["body"].source)
        self.assertIn("11人", entries["2016-09-25"]["body"].source)
        self.assertIn("11人", entries["2016-10-06"]["body"].source)
        self.assertIn("6人", entries["2016-12-08"]["body"].source)
        self.assertIn("はちねこ!カフェ", entries["2016-12-23"]["body"].source)
        self.assertIn("100ページ", entries["2017-02-28"]["body"].source)
        self.assertEqual(entries["2017-01-30"]["link_url"], "https://www.facebook.com/katatsumuri2007/")
        self.assertEqual(project.last_progress_on, datetime.date(2017, 11, 15))
        self.assertEqual(project.report_links.count(), 2)

    def test_first_year_organization_projects(self):
        facebook = ProjectPage.objects.get(slug="katatsumuri-facebook")
        self.assertEqual(facebook.organization.slug, "katatsumuri")
        self.assertEqual(facebook.status, ProjectStatus.COMPLETED)
        self.assertEqual(
            progress_dates("katatsumuri-facebook"),
            [
                "2016-12-18",
                "2017-01-06",
                "2017-01-11",
                "2017-01-18",
                "2017-01-30",
                "2017-02-28",
                "2017-03-25",
            ],
        )
        self.assertIn("100ページ", facebook.outcome)
        self.assertEqual(set(facebook.support_menus.values_list("slug", flat=True)), {"facebook", "manual"})

        accounting = ProjectPage.objects.get(slug="cat-homes-accounting")
        self.assertEqual(accounting.organization.slug, "hachioji-cat-homes")
        self.assertEqual(
            progress_dates("cat-homes-accounting"),
            ["2016-12-18", "2016-12-23", "2017-01-19", "2017-01-25", "2017-03-17", "2017-03-25"],
        )
        self.assertEqual(accounting.ended_on, datetime.date(2017, 3, 17))
        self.assertEqual(list(accounting.support_menus.values_list("slug", flat=True)), ["accounting"])
        # Six workers in two teams, as the seed counts them.
        self.assertEqual(facebook.team_size + accounting.team_size, 6)

    def test_first_half_2017_follow_up_projects(self):
        follow_ups = ProjectPage.objects.filter(
            started_on__gte=datetime.date(2017, 4, 1), ended_on__lte=datetime.date(2017, 9, 30)
        )
        self.assertEqual(
            {project.support_menus.get().slug for project in follow_ups}, {"website", "issue-mapping"}
        )
        self.assertTrue(all(project.status == ProjectStatus.COMPLETED for project in follow_ups))

    def test_seed_events(self):
        expected = {
            "coordination-training-2016-07-20": ("training", "2016-07-20"),
            "briefing-2016-09-25": ("briefing", "2016-09-25"),
            "briefing-2016-10-06": ("briefing", "2016-10-06"),
            "orientation-2016-12-08": ("orientation", "2016-12-08"),
            "kickoff-cat-homes-2016-12-23": ("kickoff", "2016-12-23"),
            "kickoff-katatsumuri-2017-01-06": ("kickoff", "2017-01-06"),
            "report-2017-03-25": ("report", "2017-03-25"),
        }
        for slug, (kind, day) in expected.items():
            with self.subTest(slug):
                event = EventPage.objects.get(slug=slug)
                self.assertTrue(event.live)
                self.assertEqual(event.kind, kind)
                self.assertEqual(local_date(event.starts_at), day)
        briefing = EventPage.objects.get(slug="briefing-2016-10-06")
        self.assertEqual(briefing.starts_at.astimezone(TOKYO).hour, 19)  # the weekday-evening briefing
        self.assertEqual(
            [project.slug for project in briefing.linked_projects()], ["hachioji-accompaniment-2016"]
        )
        self.assertEqual(EventPage.objects.get(slug="kickoff-cat-homes-2016-12-23").venue, "はちねこ!カフェ")

    # The rest of the catalog: something for every filter

    def test_catalog_spans_statuses_facets_and_years(self):
        projects = ProjectPage.objects.live()
        self.assertGreaterEqual(projects.count(), 25)
        self.assertEqual(set(projects.values_list("status", flat=True)), set(ProjectStatus.values))
        years = {project.started_on.year for project in projects if project.started_on}
        self.assertTrue({2016, 2017, 2020, 2023, 2026} <= years)
        for facet in FACETS:
            with self.subTest(facet.key):
                terms = facet.model.objects.all()
                self.assertGreaterEqual(terms.count(), 5)
                for term in terms:
                    used = projects.filter(**{facet.field_name: term}).exists()
                    self.assertTrue(used, f"{facet.key}/{term.slug} is not used by any project")
        for project in projects:
            with self.subTest(project.slug):
                self.assertTrue(project.summary)
                self.assertTrue(project.team_size)
                self.assertTrue(project.progress_entries())
                if project.status == ProjectStatus.COMPLETED:
                    self.assertTrue(project.outcome)

    def test_upcoming_briefings_are_open_for_registration(self):
        now = timezone.now()
        weekend = EventPage.objects.get(slug=demo_catalog.WEEKEND_BRIEFING)
        weeknight = EventPage.objects.get(slug=demo_catalog.WEEKNIGHT_BRIEFING)
        for event in (weekend, weeknight):
            self.assertEqual(event.kind, "briefing")
            self.assertGreater(event.starts_at, now)
            self.assertTrue(event.registration_enabled)
            self.assertLess(event.registration_opens_at, now)
            self.assertGreater(event.registration_closes_at, now)
        self.assertLess(weekend.starts_at, weeknight.starts_at)
        self.assertFalse(weekend.waitlist_enabled)
        self.assertTrue(weeknight.waitlist_enabled)

        def confirmed(event):
            return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()

        self.assertLess(confirmed(weekend), weekend.capacity // 2)  # plenty of seats
        self.assertEqual(weeknight.capacity - confirmed(weeknight), 2)  # nearly full

    # The center's own pages

    def test_standard_pages(self):
        home = HomePage.objects.get()
        pages = {page.slug: page for page in StandardPage.objects.child_of(home).live()}
        self.assertEqual(set(pages), {"about", "probono", "privacy"})
        self.assertEqual(pages["about"].title, "センターについて")
        self.assertEqual(pages["probono"].title, "プロボノとは")
        self.assertEqual(pages["privacy"].title, "プライバシーポリシー")
        privacy_text = str(pages["privacy"].body)
        self.assertIn("1年", privacy_text)
        self.assertIn("匿名化", privacy_text)
        self.assertTrue(pages["about"].show_in_menus)
        self.assertFalse(pages["privacy"].show_in_menus)

    def test_news_articles(self):
        news = ArticleIndexPage.objects.get()
        self.assertEqual(news.url_path, "/home/news/")
        articles = ArticlePage.objects.child_of(news).live()
        self.assertTrue(6 <= articles.count() <= 8)
        dates = set(articles.values_list("date", flat=True))
        for day in ["2016-06-30", "2016-10-12", "2017-03-25", "2017-11-15"]:
            self.assertIn(datetime.date.fromisoformat(day), dates)
        self.assertTrue(any(timezone.localdate() - day < datetime.timedelta(days=30) for day in dates))
        self.assertTrue(all(article.hero_image_id for article in articles))
        tags = {tag.name for article in articles for tag in article.tags.all()}
        self.assertEqual(tags, {"活動レポート", "お知らせ", "イベント報告"})

    def test_home_page(self):
        home = HomePage.objects.get()
        self.assertTrue(home.hero_title)
        self.assertTrue(home.hero_lead)
        self.assertIsNotNone(home.hero_image)
        self.assertEqual(home.hero_cta_page.url_path, "/home/projects/")
        featured = [project.slug for project in home.highlighted_projects()]
        self.assertEqual(
            featured[:3], ["hachioji-accompaniment-2016", "katatsumuri-facebook", "cat-homes-accounting"]
        )
        self.assertEqual(
            [event.slug for event in home.highlighted_events()],
            [demo_catalog.WEEKEND_BRIEFING, demo_catalog.WEEKNIGHT_BRIEFING],
        )

    def test_the_centers_identity_and_menus_are_site_settings(self):
        page = BeautifulSoup(self.client.get("/about/").content, "html.parser")
        footer = page.select_one(".site-footer").get_text()
        self.assertIn("八王子市旭町12-1", footer)
        self.assertIn("NPOさぽーと802", footer)
        self.assertEqual(
            [link.get_text() for link in page.select(".main-nav__list a")],
            ["プロジェクト", "団体", "イベント", "お知らせ", "センターについて", "プロボノとは"],
        )
        self.assertEqual(page.select_one('.footer-nav a[aria-current="page"]')["href"], "/about/")
        self.assertIn("センター情報とメニュー: 更新しました", self.output)

    def test_editors_picks_for_common_searches(self):
        response = self.client.get("/search/", {"q": "説明会"})
        soup = BeautifulSoup(response.content, "html.parser")
        picks = [link["href"] for link in soup.select(".promotion a")]
        self.assertEqual(picks, ["/news/upcoming-briefings/"])

    def test_demo_admin(self):
        user = get_user_model().objects.get(username=DEMO_ADMIN.username)
        self.assertTrue(user.is_superuser)
        self.assertTrue(user.check_password(DEMO_ADMIN.password))
        self.assertIn("/admin/", self.output)

    def test_one_demo_login_per_editorial_group_printed_with_its_password(self):
        for account in DEMO_ACCOUNTS:
            user = get_user_model().objects.get(username=account.username)
            self.assertTrue(user.check_password(account.password))
            self.assertEqual(user.is_superuser, account.superuser)
            self.assertEqual(
                list(user.groups.values_list("name", flat=True)), [account.group] if account.group else []
            )
            self.assertIn(f"{account.username} / {account.password}", self.output)

    def test_the_accounts_that_must_use_two_factor_sign_in_with_the_demo_key(self):
        self.assertIn(DEMO_TOTP_KEY, self.output)
        self.assertFalse(TOTPDevice.objects.filter(user__username=DEMO_EDITOR.username).exists())
        for account in [DEMO_ADMIN, DEMO_MODERATOR]:
            client = Client()
            login = {"username": account.username, "password": account.password, "next": "/admin/"}
            client.post("/admin/login/", login)
            self.assertEqual(client.get("/admin/").status_code, 302)  # to the second step
            response = client.post("/admin/two-factor/verify/", {"code": demo_code(), "next": "/admin/"})
            self.assertEqual(response["Location"], "/admin/")
            self.assertEqual(client.get("/admin/").status_code, 200)

    def test_demo_code_prints_the_current_code(self):
        out = StringIO()
        before = demo_code()
        call_command("demo_code", stdout=out)
        # The code changes every 30 seconds, possibly in between.
        self.assertTrue(before in out.getvalue() or demo_code() in out.getvalue())

    # Running again

    def test_second_run_changes_nothing(self):
        before = database_snapshot()
        output = load_demo()
        self.assertEqual(database_snapshot(), before)
        self.assertIn("新規0", output)

    def test_if_empty_does_nothing_on_a_loaded_database(self):
        before = database_snapshot()
        output = load_demo(if_empty=True)
        self.assertIn("読み込みませんでした", output)
        self.assertEqual(database_snapshot(), before)

    def test_generated_projects(self):
        before = set(ProjectPage.objects.values_list("pk", flat=True))
        load_demo(projects=30)
        generated = ProjectPage.objects.exclude(pk__in=before)
        self.assertEqual(generated.count(), 30)
        self.assertEqual(generated.live().count(), 30)
        for project in generated:
            with self.subTest(project.slug):
                self.assertIsNotNone(project.organization)
                for facet in FACETS:
                    self.assertTrue(getattr(project, facet.field_name).exists(), facet.key)
                self.assertTrue(1 <= len(project.progress_entries()) <= 5)
        self.assertGreater(len(set(generated.values_list("status", flat=True))), 1)
        self.assertGreater(len(set(generated.values_list("organization", flat=True))), 1)
        # Generated again, the same projects are updated rather than added.
        load_demo(projects=30)
        self.assertEqual(ProjectPage.objects.exclude(pk__in=before).count(), 30)

    # The pages render (templates are shared with the rest of the site)

    def test_pages_render(self):
        urls = [
            "/",
            "/projects/",
            "/projects/hachioji-accompaniment-2016/",
            "/projects/?support=accounting",
            "/organizations/",
            "/organizations/hachioji-civic-center/",
            "/events/",
            f"/events/{demo_catalog.WEEKNIGHT_BRIEFING}/",
            "/news/",
            "/news/report-meeting-2017/",
            "/about/",
            "/probono/",
            "/privacy/",
        ]
        for url in urls:
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 200)


@override_settings(DEMO_CONTENT_ALLOWED=False)
class LoadDemoRefusalTests(TestCase):
    def test_refuses_where_demo_content_is_not_allowed(self):
        before = database_snapshot()
        with self.assertRaisesMessage(CommandError, "DEMO_CONTENT_ALLOWED"):
            load_demo()
        self.assertEqual(database_snapshot(), before)
        self.assertFalse(ProjectPage.objects.exists())
        self.assertFalse(get_user_model().objects.filter(username=DEMO_ADMIN.username).exists())


class DemoDataTests(SimpleTestCase):
    def test_upcoming_briefings_avoid_the_new_year_holidays(self):
        for today in [datetime.date(2026, 11, 29), datetime.date(2026, 12, 10), datetime.date(2026, 12, 20)]:
            for event in demo_catalog.upcoming_briefings(today):
                with self.subTest(today=today, slug=event["slug"]):
                    start = datetime.datetime.fromisoformat(event["starts_at"])
                    self.assertGreaterEqual((start.date() - today).days, 14)
                    self.assertFalse(
                        (start.month, start.day) >= (12, 28) or (start.month, start.day) <= (1, 4)
                    )

    def test_generator_is_deterministic(self):
        first = generator.generate_catalog(12)
        self.assertEqual(first, generator.generate_catalog(12))
        self.assertEqual(len(first["projects"]), 12)
        self.assertEqual(len({project["slug"] for project in first["projects"]}), 12)
