"""Where each page type may live, and that editors can create each one through the admin."""

import datetime

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import (
    AccessibilityPolicyPage,
    AccessibilityReportPage,
    AccessPage,
    ArticleIndexPage,
    ArticlePage,
    ContactPage,
    HomePage,
    StandardPage,
)
from projects.models import (
    AnnualResultsIntroduction,
    EventIndexPage,
    EventPage,
    OpenDataPage,
    OrganizationIndexPage,
    OrganizationPage,
    ProjectIndexPage,
    ProjectPage,
    SupportApplicationPage,
    WorkerRegistrationPage,
)
from tests.builders import build_catalog_tree, make_organization, make_terms


class HomePageAfterMigrateTests(WagtailPageTestCase):
    def test_default_site_serves_a_live_home_page_at_root(self):
        site = Site.objects.get(is_default_site=True)
        home = site.root_page.specific

        self.assertIsInstance(home, HomePage)
        self.assertTrue(home.live)
        self.assertEqual(home.url, "/")
        self.assertEqual(site.site_name, "八王子市市民活動支援センター")
        self.assertFalse(Page.objects.filter(content_type__model="page", depth=2).exists())


class PageTypeRulesTests(WagtailPageTestCase):
    def test_home_page_children(self):
        self.assertAllowedSubpageTypes(
            HomePage,
            {
                StandardPage,
                ArticleIndexPage,
                OrganizationIndexPage,
                ProjectIndexPage,
                EventIndexPage,
                WorkerRegistrationPage,
                SupportApplicationPage,
                ContactPage,
                AccessPage,
                AccessibilityPolicyPage,
                OpenDataPage,
            },
        )

    def test_open_data_page_once_under_home_with_no_children(self):
        self.assertAllowedParentPageTypes(OpenDataPage, {HomePage})
        self.assertAllowedSubpageTypes(OpenDataPage, set())
        self.assertEqual(OpenDataPage.max_count, 1)

    def test_accessibility_policy_once_under_home_with_its_reports_below(self):
        self.assertAllowedParentPageTypes(AccessibilityPolicyPage, {HomePage})
        self.assertAllowedSubpageTypes(AccessibilityPolicyPage, {AccessibilityReportPage})
        self.assertEqual(AccessibilityPolicyPage.max_count_per_parent, 1)
        self.assertAllowedParentPageTypes(AccessibilityReportPage, {AccessibilityPolicyPage})
        self.assertAllowedSubpageTypes(AccessibilityReportPage, set())
        # Reports come from manage.py accessibility_report, which tests the pages (docs/accessibility.md).
        self.assertFalse(AccessibilityReportPage.is_creatable)

    def test_home_page_only_at_the_top(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_detail_pages_live_only_under_their_index(self):
        pairs = [
            (OrganizationIndexPage, OrganizationPage),
            (ProjectIndexPage, ProjectPage),
            (EventIndexPage, EventPage),
            (ArticleIndexPage, ArticlePage),
        ]
        for index_model, detail_model in pairs:
            with self.subTest(detail_model.__name__):
                self.assertAllowedParentPageTypes(detail_model, {index_model})
                self.assertAllowedSubpageTypes(index_model, {detail_model})
                self.assertAllowedSubpageTypes(detail_model, set())
                self.assertAllowedParentPageTypes(index_model, {HomePage})

    def test_pages_cannot_be_placed_in_the_wrong_section(self):
        self.assertCanNotCreateAt(HomePage, ProjectPage)
        self.assertCanNotCreateAt(ProjectIndexPage, OrganizationPage)
        self.assertCanNotCreateAt(OrganizationIndexPage, ProjectPage)
        self.assertCanNotCreateAt(EventIndexPage, ArticlePage)
        self.assertCanNotCreateAt(ProjectPage, ProjectPage)
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_standard_pages_nest(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(
            StandardPage,
            {StandardPage, WorkerRegistrationPage, SupportApplicationPage, ContactPage, AccessPage},
        )

    def test_the_talent_forms_have_one_page_each_under_home_or_a_standard_page(self):
        for form_page in (WorkerRegistrationPage, SupportApplicationPage):
            with self.subTest(form_page.__name__):
                self.assertAllowedParentPageTypes(form_page, {HomePage, StandardPage})
                self.assertAllowedSubpageTypes(form_page, set())
                self.assertEqual(form_page.max_count, 1)

    def test_the_contact_and_access_pages_have_one_page_each_under_home_or_a_standard_page(self):
        for page_model in (ContactPage, AccessPage):
            with self.subTest(page_model.__name__):
                self.assertAllowedParentPageTypes(page_model, {HomePage, StandardPage})
                self.assertAllowedSubpageTypes(page_model, set())
                self.assertEqual(page_model.max_count, 1)

    def test_one_index_of_each_kind_per_home(self):
        tree = build_catalog_tree()
        for index_model in (OrganizationIndexPage, ProjectIndexPage, EventIndexPage, ArticleIndexPage):
            with self.subTest(index_model.__name__):
                self.assertFalse(index_model.can_create_at(tree.home))
        self.assertTrue(StandardPage.can_create_at(tree.home))


class CreateThroughAdminTests(WagtailPageTestCase):
    """Each page type is created by posting its admin form, as an editor would."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_catalog_tree()
        cls.terms = make_terms()
        cls.organization = make_organization(cls.tree.organizations)

    def setUp(self):
        self.login()

    def test_create_standard_page(self):
        self.assertCanCreate(
            self.tree.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "プロボノとは",
                    "slug": "probono",
                    "lead": "仕事のスキルを活かすボランティアです。",
                    "body": streamfield([("paragraph", rich_text("<p>チームで団体を支えます。</p>"))]),
                }
            ),
        )

    def test_create_contact_page_with_its_fields(self):
        self.assertCanCreate(
            self.tree.home,
            ContactPage,
            nested_form_data(
                {
                    "title": "お問い合わせ",
                    "slug": "contact",
                    "intro": rich_text("<p>3日以内にお返事します。</p>"),
                    "thanks": "",
                    "to_address": "office@example.jp",
                    "form_fields": inline_formset(
                        [
                            {"label": "お名前", "field_type": "singleline", "required": "on"},
                            {
                                "label": "お問い合わせの種類",
                                "field_type": "dropdown",
                                "required": "on",
                                "choices": "プロボノについて\nその他",
                            },
                        ]
                    ),
                }
            ),
        )
        page = ContactPage.objects.get(slug="contact")
        self.assertEqual([field.label for field in page.form_fields.all()], ["お名前", "お問い合わせの種類"])

    def test_create_access_page(self):
        self.assertCanCreate(
            self.tree.home,
            AccessPage,
            nested_form_data(
                {
                    "title": "アクセス",
                    "slug": "access",
                    "lead": "八王子駅北口から歩いて5分です。",
                    "body": rich_text("<p>駐車場はありません。</p>"),
                }
            ),
        )

    def test_create_accessibility_policy_page(self):
        self.assertCanCreate(
            self.tree.home,
            AccessibilityPolicyPage,
            nested_form_data(
                {
                    "title": "アクセシビリティ方針",
                    "slug": "accessibility",
                    "intro": rich_text("<p>だれもが使えるサイトを目指します。</p>"),
                }
            ),
        )

    def test_create_organization_page(self):
        self.assertCanCreate(
            self.tree.organizations,
            OrganizationPage,
            nested_form_data(
                {
                    "title": "NPO法人かたつむり",
                    "slug": "katatsumuri",
                    "legal_form": "NPO法人",
                    "representative": "",
                    "postal_code": "192-0083",
                    "address": "東京都八王子市",
                    "website": "https://www.facebook.com/katatsumuri2007/",
                    "description": rich_text("<p>発達障害のある子どもと家族の居場所づくり。</p>"),
                    "area": self.terms["area"].pk,
                    "founded_year": "2007",
                }
            ),
        )

    def test_create_project_page_with_timeline_and_facets(self):
        self.assertCanCreate(
            self.tree.projects,
            ProjectPage,
            nested_form_data(
                {
                    "title": "経理業務の効率化",
                    "slug": "cat-homes-accounting",
                    "organization": self.organization.pk,
                    "summary": "会計・経理のルールを整える。",
                    "status": "completed",
                    "started_on": "2016-12-23",
                    "ended_on": "2017-03-17",
                    "team_size": "3",
                    "body": streamfield([("paragraph", rich_text("<p>帳票を確かめた。</p>"))]),
                    "progress": streamfield(
                        [
                            (
                                "entry",
                                {
                                    "date": "2016-12-23",
                                    "title": "キックオフ",
                                    "body": rich_text("<p>はちねこ!カフェでヒアリング。</p>"),
                                    "image": "",
                                    "link_url": "",
                                    "link_text": "",
                                },
                            )
                        ]
                    ),
                    "outcome": rich_text("<p>勘定科目を整理して納品。</p>"),
                    "report_links": inline_formset(
                        [{"title": "完了レポート", "url": "https://example.org/report"}]
                    ),
                }
            )
            # Multi-value checkbox fields, which nested_form_data would flatten into numbered keys.
            | {
                "problems": [self.terms["problem"].pk],
                "categories": [self.terms["category"].pk],
                "support_menus": [self.terms["support"].pk],
                "areas": [self.terms["area"].pk],
                "programs": [self.terms["program"].pk],
            },
        )
        project = ProjectPage.objects.get(slug="cat-homes-accounting")
        self.assertEqual(project.last_progress_on, datetime.date(2016, 12, 23))
        self.assertEqual(
            {facet.key: terms for facet, terms in project.facet_terms()},
            {key: [term] for key, term in self.terms.items()},
        )
        self.assertEqual(project.report_links.get().title, "完了レポート")

    def test_create_event_page(self):
        self.assertCanCreate(
            self.tree.events,
            EventPage,
            nested_form_data(
                {
                    "title": "プロボノワーカー募集説明会(第2回・平日夜)",
                    "slug": "briefing-2016-10-06",
                    "kind": "briefing",
                    "starts_at": "2016-10-06 19:00",
                    "ends_at": "2016-10-06 20:30",
                    "venue": "八王子市市民活動支援センター",
                    "address": "東京都八王子市旭町12-1 ファルマ802ビル5階",
                    "online_url": "",
                    "capacity": "20",
                    "registration_enabled": "on",
                    "waitlist_enabled": "on",
                    "registration_opens_at": "2016-09-01 09:00",
                    "registration_closes_at": "2016-10-06 12:00",
                    "description": rich_text("<p>平日夜の回です。</p>"),
                    "related_projects": inline_formset([]),
                }
            ),
        )
        event = EventPage.objects.get(slug="briefing-2016-10-06")
        self.assertEqual(event.starts_at.astimezone(datetime.UTC).hour, 10)

    def test_create_article_page(self):
        self.assertCanCreate(
            self.tree.news,
            ArticlePage,
            nested_form_data(
                {
                    "title": "成果報告会を開きました",
                    "slug": "report-meeting",
                    "date": "2017-03-25",
                    "lead": "初年度の2つのプロジェクトの報告会。",
                    "body": streamfield([("paragraph", rich_text("<p>会場は満席でした。</p>"))]),
                    "tags": "活動レポート",
                    "related_pages": inline_formset([]),
                }
            ),
        )

    def test_event_end_before_start_is_refused_with_a_japanese_message(self):
        response = self.client.post(
            f"/admin/pages/add/projects/eventpage/{self.tree.events.pk}/",
            nested_form_data(
                {
                    "title": "説明会",
                    "slug": "bad-dates",
                    "kind": "briefing",
                    "starts_at": "2016-10-06 19:00",
                    "ends_at": "2016-10-06 18:00",
                    "description": rich_text(""),
                    "related_projects": inline_formset([]),
                }
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "終了日時は開始日時以降にしてください。")
        self.assertFalse(EventPage.objects.filter(slug="bad-dates").exists())


class EditorSafetyTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_catalog_tree()
        cls.organization = make_organization(cls.tree.organizations)

    def setUp(self):
        self.login()

    def test_a_draft_with_an_undated_progress_entry_saves(self):
        entry = {"title": "日付は後で", "body": rich_text(""), "image": "", "link_url": "", "link_text": ""}
        data = nested_form_data(
            {
                "title": "下書きのプロジェクト",
                "slug": "draft-project",
                "organization": self.organization.pk,
                "status": "preparing",
                "body": streamfield([]),
                "progress": streamfield(
                    [("entry", {**entry, "date": "2017-01-06"}), ("entry", {**entry, "date": ""})]
                ),
                "outcome": rich_text(""),
                "report_links": inline_formset([]),
            }
        )
        response = self.client.post(f"/admin/pages/add/projects/projectpage/{self.tree.projects.pk}/", data)

        self.assertEqual(response.status_code, 302)
        draft = ProjectPage.objects.get(slug="draft-project").get_latest_revision_as_object()
        self.assertEqual([entry["title"] for entry in draft.progress_entries()], ["日付は後で"])

    def test_taxonomy_admin_search_works(self):
        make_terms()
        response = self.client.get("/admin/snippets/projects/category/", {"q": "ani"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "動物との共生")

    def test_deleting_an_organization_keeps_its_projects(self):
        organization = make_organization(self.tree.organizations, title="解散した団体", slug="dissolved")
        project = ProjectPage(title="残るプロジェクト", slug="remains", organization=organization)
        self.tree.projects.add_child(instance=project)

        organization.delete()

        project.refresh_from_db()
        self.assertIsNone(project.organization)
        self.assertEqual(self.client.get(project.url).status_code, 200)

    def test_editors_can_write_a_years_introduction_in_the_admin(self):
        response = self.client.post(
            "/admin/snippets/projects/annualresultsintroduction/add/",
            {"fiscal_year": "2016", "body": rich_text("<p>初年度の振り返り。</p>")},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(AnnualResultsIntroduction.objects.get().fiscal_year, 2016)
