"""The public front end in HTML: the text-size switcher, the human sitemap, the catalog's live result count,
one h1 and the landmarks on every page type, images and form errors. What a browser does with it is
proven in tests/browser/."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from home.models import StandardPage
from projects.models import FACETS
from tests.builders import make_article, make_image, make_organization, make_project, make_standard_page
from tests.html import soup_of
from tests.page_types import page_type_urls

pytestmark = pytest.mark.django_db


def static_text(path):
    found = finders.find(path)
    assert found, path
    with open(found, encoding="utf-8") as file:
        return file.read()


# 表示の設定 (文字サイズ・背景色・ふりがな): the markup the browser tests drive, which needs no JavaScript


def display_form(soup):
    forms = soup.select('header.site-header form[action="/display/"]')
    assert len(forms) == 1
    return forms[0]


def switch_states(soup):
    """(group label, [(parameter, value, text, aria-pressed)]) for each group of switches in the header."""
    states = []
    for group in display_form(soup).select("[role=group]"):
        label = soup.find(id=group["aria-labelledby"]).get_text(strip=True)
        buttons = [
            (button["name"], button["value"], button.get_text(strip=True), button["aria-pressed"])
            for button in group.select("button")
        ]
        states.append((label, buttons))
    return states


def test_display_switches_in_the_header_in_the_usual_order_with_the_defaults_pressed(client, tree):
    soup = soup_of(client, "/")

    form = display_form(soup)
    assert form["method"] == "get"
    assert form.find("input", attrs={"name": "next"})["value"] == "/"
    assert all(button["type"] == "submit" for button in form.select("button"))
    assert switch_states(soup) == [
        (
            "文字サイズ",
            [
                ("text_size", "small", "小", "false"),
                ("text_size", "normal", "標準", "true"),
                ("text_size", "large", "大", "false"),
            ],
        ),
        (
            "背景色",
            [
                ("scheme", "white", "白", "true"),
                ("scheme", "black", "黒", "false"),
                ("scheme", "blue", "青", "false"),
            ],
        ),
        ("ふりがな", [("furigana", "on", "つける", "false"), ("furigana", "off", "はずす", "true")]),
    ]
    html = soup.find("html")
    assert (html["lang"], html["data-text-size"], html["data-scheme"]) == ("ja", "normal", "white")
    # Folded on a phone behind 「表示の設定」, a disclosure that needs no script either.
    details = form.find_parent("details")
    assert details.summary.get_text(strip=True) == "表示の設定"
    assert not details.has_attr("open")


def test_the_chosen_settings_are_rendered_and_pressed(client, tree):
    client.cookies["display_text_size"] = "large"
    client.cookies["display_scheme"] = "blue"
    client.cookies["display_furigana"] = "on"

    soup = soup_of(client, "/projects/")

    html = soup.find("html")
    assert (html["data-text-size"], html["data-scheme"]) == ("large", "blue")
    pressed = [
        text for _label, buttons in switch_states(soup) for _n, _v, text, state in buttons if state == "true"
    ]
    assert pressed == ["大", "青", "つける"]


@pytest.mark.parametrize(
    ("cookies", "size", "scheme"),
    [
        ({"display_text_size": "huge", "display_scheme": "<script>"}, "normal", "white"),
        ({"display_text_size": "", "display_scheme": "BLACK"}, "normal", "white"),
        ({"display_text_size": "small" * 100, "display_scheme": "blue\x00"}, "normal", "white"),
    ],
)
def test_unknown_display_cookies_read_as_the_defaults(client, tree, cookies, size, scheme):
    for name, value in cookies.items():
        client.cookies[name] = value

    soup = soup_of(client, "/")

    html = soup.find("html")
    assert (html["data-text-size"], html["data-scheme"]) == (size, scheme)
    assert "<script>" not in str(html)


def test_the_switches_come_back_to_the_same_address_and_query(client, catalog):
    soup = soup_of(client, "/projects/?category=children&sort=title")

    assert (
        display_form(soup).find("input", attrs={"name": "next"})["value"]
        == "/projects/?category=children&sort=title"
    )


def test_a_very_long_address_comes_back_to_its_path_alone(client, catalog):
    soup = soup_of(client, "/projects/?q=" + "a" * 600)

    assert display_form(soup).find("input", attrs={"name": "next"})["value"] == "/projects/"


def test_without_javascript_the_switches_still_show_and_work():
    css = static_text("css/site.css")

    assert not re.search(r"\.no-js[^{]*display-(switcher|settings)", css)
    # From 48rem the folded disclosure shows its content without a script opening it.
    assert re.search(r"\.display-settings::details-content\s*\{\s*content-visibility:\s*visible;", css)


def test_the_head_script_swaps_no_js_before_the_stylesheet_and_nothing_is_stored_by_script(client, tree):
    soup = soup_of(client, "/")
    head = soup.find("head")

    assert "no-js" in soup.find("html")["class"]
    scripts = head.find_all("script", src=True)
    stylesheet = head.find("link", rel="stylesheet")
    first = scripts[0]
    assert first["src"].endswith("/js/head.js")
    assert not first.has_attr("defer") and not first.has_attr("async")
    assert first.sourceline < stylesheet.sourceline
    # Only JSON-LD data is inline, so a script-src 'self' policy needs no hash or nonce.
    inline = [script for script in head.find_all("script") if not script.has_attr("src")]
    assert all(script.get("type") == "application/ld+json" for script in inline)
    # The server knows the display settings from their cookies; no script keeps or sets them.
    for name in ("head.js", "site.js", "catalog.js", "search-combobox.js"):
        script = static_text(f"js/{name}")
        assert "localStorage" not in script and "document.cookie" not in script, name


def test_root_font_size_scales_with_the_choice_and_no_font_size_is_in_pixels():
    css = static_text("css/site.css")

    sizes = dict(re.findall(r'html\[data-text-size="(\w+)"\]\s*\{\s*font-size:\s*([\d.]+%);', css))
    assert sizes == {"large": "150%", "small": "87.5%"}
    assert not re.findall(r"font-size:\s*[\d.]+px", css)
    assert not re.findall(r"font:\s*[^;]*\d+px", css)


# サイトマップ (/sitemap/): live public pages only, readable, reachable from every page


def sitemap_links(client):
    soup = soup_of(client, "/sitemap/")
    return {link["href"]: link.get_text(strip=True) for link in soup.select("main a")}


def test_sitemap_lists_sections_their_pages_the_five_ways_to_browse_and_search(client, tree):
    about = make_standard_page(tree.home)
    history = make_standard_page(about, title="センターのあゆみ", slug="history")
    organization = make_organization(tree.organizations)
    project = make_project(tree.projects, organization)

    links = sitemap_links(client)

    assert links["/"] == "ホーム"
    for section in (tree.projects, tree.organizations, tree.events, tree.news, about):
        assert links[section.url] == section.title
    assert links[history.url] == "センターのあゆみ"
    assert links[organization.url] == organization.title
    assert links[project.url] == project.title
    for facet in FACETS:
        assert links[f"/projects/{facet.key}/"] == facet.browse_label
    assert links["/projects/results/"] == "年度別の支援実績"
    assert links["/events/past/"] == "終了したイベント"
    assert links["/search/"] == "サイト内検索"


def test_sitemap_leaves_out_drafts_and_private_pages_and_what_lies_below_them(client, tree):
    visible = make_standard_page(tree.home, title="公開中のページ", slug="visible")
    draft = make_standard_page(tree.home, title="下書きのページ", slug="draft")
    draft.unpublish()
    private = make_standard_page(tree.home, title="会員向けページ", slug="members")
    below_private = make_standard_page(private, title="会員向けの資料", slug="papers")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")
    draft_child = tree.news.add_child(
        instance=StandardPage(title="未公開の子ページ", slug="hidden", live=False)
    )

    soup = soup_of(client, "/sitemap/")
    text = soup.find("main").get_text()

    assert visible.title in text
    for page in (draft, private, below_private, draft_child):
        assert page.title not in text
        assert not soup.select(f'main a[href="{page.url}"]')


def test_sitemap_caps_a_long_listing_and_links_to_all_of_it(client, tree):
    organization = make_organization(tree.organizations)
    for number in range(12):
        make_project(
            tree.projects, organization, title=f"プロジェクト{number:02}", slug=f"project-{number:02}"
        )

    soup = soup_of(client, "/sitemap/")
    heading = soup.find("a", href="/projects/", string=tree.projects.title)
    group = heading.find_parent("section")
    project_links = [link for link in group.select("a") if link["href"].startswith("/projects/project-")]

    # The newest ten, then the way to every one of them.
    assert [link.get_text() for link in project_links] == [f"プロジェクト{n:02}" for n in range(11, 1, -1)]
    more = group.select_one(".sitemap__more a")
    assert more["href"] == "/projects/"
    assert more.get_text(strip=True) == f"{tree.projects.title}をすべて見る(全12件)"


def test_sitemap_takes_the_same_number_of_queries_however_many_pages_there_are(client, tree):
    organization = make_organization(tree.organizations)
    for number in range(11):
        make_project(tree.projects, organization, title=f"プロジェクト{number}", slug=f"project-{number}")

    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sitemap/").status_code == 200
        return len(captured)

    queries()  # content types and the like, which a running site has cached
    few = queries()
    for number in range(15):
        make_project(tree.projects, organization, title=f"追加{number}", slug=f"extra-{number}")
    assert queries() == few


def test_sitemap_page_has_one_h1_breadcrumbs_and_is_linked_from_every_footer(client, tree):
    soup = soup_of(client, "/sitemap/")

    assert [h1.get_text(strip=True) for h1 in soup.find_all("h1")] == ["サイトマップ"]
    assert soup.title.get_text().startswith("サイトマップ | ")
    crumbs = soup.find("nav", attrs={"aria-label": "パンくずリスト"})
    assert [item.get_text(strip=True) for item in crumbs.find_all("li")] == ["ホーム", "サイトマップ"]
    assert crumbs.find(attrs={"aria-current": "page"}).get_text() == "サイトマップ"
    assert soup.select_one('footer a[href="/sitemap/"][aria-current="page"]')
    for url in ("/", "/projects/", "/search/", "/no-such-page/"):
        response = client.get(url)
        footer = BeautifulSoup(response.content, "html.parser").find("footer")
        assert footer.find("a", href="/sitemap/", string="サイトマップ"), url


@pytest.mark.parametrize(
    "query",
    [
        "page=%3Cscript%3E",
        "q=%00",
        "page=-1&page=99999999999",
        "x=" + "あ" * 3000,
        "%ff%fe=%c0",
        "sort=' OR 1=1 --",
    ],
)
def test_sitemap_ignores_hostile_query_strings(client, tree, query):
    response = client.get(f"/sitemap/?{query}")

    assert response.status_code == 200
    assert b"<script>" not in response.content


def test_sitemap_answers_reading_only_and_the_xml_sitemap_still_works(client, tree):
    assert client.post("/sitemap/").status_code == 405
    assert client.head("/sitemap/").status_code == 200
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert b"<urlset" in response.content


# The catalog's result count: a live region that filtering, with or without JavaScript, keeps up to date


def live_count(soup):
    regions = soup.select('main [aria-live="polite"]')
    assert len(regions) == 1
    region = regions[0]
    assert region["role"] == "status"
    return region


def test_catalog_announces_the_result_count_in_a_live_region(client, catalog):
    region = live_count(soup_of(client, "/projects/"))

    assert region.get_text(strip=True) == "4件のプロジェクト"
    # catalog.js replaces only the data-catalog-part blocks: the region itself stays, and its text changes.
    assert region.has_attr("data-catalog-count")
    assert not region.find_parent(attrs={"data-catalog-part": True})
    assert region.find_parent(attrs={"data-catalog": True})


def test_filtering_without_javascript_updates_the_count(client, catalog):
    soup = soup_of(client, "/projects/?category=children&area=takao")

    assert live_count(soup).get_text(strip=True) == "1件のプロジェクト"
    form = soup.select_one("form[data-catalog-form]")
    assert form["method"] == "get" and form["action"] == "/projects/#catalog-results"
    assert form.find("button", type="submit").get_text(strip=True) == "1件を表示"
    assert soup.select_one('[data-catalog-part="filters"] form[data-catalog-form]')
    assert soup.select_one('[data-catalog-part="results"] #results')


def test_catalog_with_nothing_found_says_zero(client, catalog):
    soup = soup_of(client, "/projects/?q=存在しない言葉")

    assert live_count(soup).get_text(strip=True) == "0件のプロジェクト"


# On a phone the catalog's filters fold into 「絞り込み（n）」, so that the results come first


def test_catalog_filters_fold_into_a_disclosure_that_counts_the_chosen_conditions(client, catalog):
    soup = soup_of(client, "/projects/?category=children&area=takao")

    details = soup.select_one("details[data-catalog-filters]")
    assert not details.has_attr("open")  # opened by the stylesheet and catalog.js where there is room
    assert details.summary.get_text(strip=True) == "絞り込み（2件の条件を選択中）"
    assert details.select_one('[data-catalog-part="filters"] form[data-catalog-form]')
    assert details.find_next_sibling() is soup.find(id="catalog-results")
    assert soup.select_one("#catalog-sort")["data-catalog-default"] == "updated"


@pytest.mark.parametrize("query", ["", "?category=no-such-term&status=%3Cscript%3E", "?q=" + "あ" * 300])
def test_catalog_disclosure_counts_only_conditions_that_apply(client, catalog, query):
    soup = soup_of(client, f"/projects/{query}")

    summary = soup.select_one("details[data-catalog-filters] summary").get_text(strip=True)
    assert summary == ("絞り込み（1件の条件を選択中）" if "q=" in query else "絞り込み（0件の条件を選択中）")


def test_project_page_puts_its_classification_and_organization_before_other_projects(client, tree):
    organization = make_organization(tree.organizations)
    project = make_project(tree.projects, organization, slug="first")
    make_project(tree.projects, organization, slug="second", title="もうひとつのプロジェクト")

    html = client.get(project.url).content.decode()

    positions = [html.index(f'id="{heading}"') for heading in ("facets-heading", "org-profile-heading")]
    assert max(positions) < html.index('id="other-projects-heading"')


# Images: renditions in WebP with their size, lazy below the first, alt text from the editor or empty


def assert_sized_webp(img):
    assert img["src"].endswith(".webp"), img["src"]
    assert int(img["width"]) > 0 and int(img["height"]) > 0


def test_catalog_cards_load_only_the_first_photo_at_once(client, tree):
    organization = make_organization(tree.organizations)
    for number in range(3):
        make_project(
            tree.projects, organization, slug=f"p{number}", title=f"写真つき{number}", image=make_image()
        )

    images = soup_of(client, "/projects/").select("#results img")

    assert len(images) == 3
    for img in images:
        assert_sized_webp(img)
        assert img["alt"] == ""  # the card's title is its link and says it all
        assert (img["width"], img["height"]) == ("480", "300")
    assert [img.get("loading") for img in images] == [None, "lazy", "lazy"]


def test_project_page_hero_loads_at_once_and_timeline_photos_lazily_with_their_description(client, tree):
    organization = make_organization(tree.organizations)
    photo = make_image(title="IMG_0001", description="打ち合わせの様子")
    project = make_project(
        tree.projects,
        organization,
        image=make_image(size=(1600, 900)),
        progress=[("entry", {"date": datetime.date(2017, 1, 6), "title": "キックオフ", "image": photo})],
    )

    soup = soup_of(client, project.url)
    hero = soup.select_one(".hero-figure img")
    entry = soup.select_one(".progress-entry img")

    assert_sized_webp(hero)
    assert (hero["width"], hero["height"]) == ("1200", "675")
    assert not hero.has_attr("loading")
    assert hero["fetchpriority"] == "high"
    assert_sized_webp(entry)
    assert entry["loading"] == "lazy"
    assert entry["alt"] == "打ち合わせの様子"


def test_body_images_are_responsive_webp_with_the_editors_alt_text(client, tree):
    image = make_image(size=(1600, 1000))
    article = make_article(
        tree.news,
        hero_image=make_image(),
        hero_image_alt="説明会の会場",
        body=[
            ("paragraph", RichText("<p>本文</p>")),
            ("image", {"image": image, "caption": "会場の様子", "alt_text": "机を囲む参加者"}),
        ],
    )

    soup = soup_of(client, article.url)
    hero = soup.select_one(".hero-figure img")
    block = soup.select_one(".block-image img")

    assert hero["alt"] == "説明会の会場"
    assert_sized_webp(hero)
    assert block["alt"] == "机を囲む参加者"
    assert_sized_webp(block)
    assert block["loading"] == "lazy"
    assert [entry.split()[1] for entry in block["srcset"].split(", ")] == ["480w", "800w", "1200w"]
    assert all(entry.split()[0].endswith(".webp") for entry in block["srcset"].split(", "))


def test_every_image_on_a_page_has_alt_and_size(client, tree):
    organization = make_organization(tree.organizations, logo=make_image(title="ロゴ"))
    make_project(tree.projects, organization, image=make_image())
    tree.home.hero_image = make_image(size=(1200, 800))
    tree.home.save_revision().publish()

    for url in ("/", "/projects/", "/organizations/", organization.url):
        images = soup_of(client, url).select("main img")
        assert images, url
        for img in images:
            assert img.has_attr("alt"), (url, img)
            assert_sized_webp(img)


# Print: project and event pages on paper


def print_rules():
    css = static_text("css/site.css")
    blocks = []
    for match in re.finditer(r"@media print\s*\{", css):
        depth, position = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[position], 0)
            position += 1
        blocks.append(css[match.end() : position - 1])
    return "\n".join(blocks)


def test_print_hides_navigation_forms_and_filters_and_shows_where_outside_links_go():
    rules = print_rules()
    hidden = re.search(r"([^{}]+)\{\s*display:\s*none !important;", rules).group(1)
    selectors = {selector.strip() for selector in hidden.split(",")}

    assert selectors.issuperset(
        {".main-nav", ".breadcrumbs", ".site-search", ".display-settings", ".filter-panel", ".registration"}
    )
    assert '.template-project .site-main a[href^="http"]:not(.is-url)::after' in rules
    assert 'content: "(" attr(href) ")";' in rules


def test_a_link_that_shows_its_own_address_is_not_repeated_on_paper(client, tree):
    organization = make_organization(tree.organizations, website="https://example.org/cats/")
    project = make_project(tree.projects, organization)

    link = soup_of(client, project.url).select_one(".org-profile a[href='https://example.org/cats/']")

    assert "is-url" in link["class"]


# Every page type of the demo content: one h1, the landmarks, named navigation, labelled controls


def landmark_name(soup, element):
    if element.get("aria-label"):
        return element["aria-label"]
    labelled_by = element.get("aria-labelledby")
    return soup.find(id=labelled_by).get_text(strip=True) if labelled_by else ""


def control_label(soup, control):
    if control.get("aria-label") or control.find_parent("label"):
        return True
    return bool(control.get("id") and soup.find("label", attrs={"for": control["id"]}))


@pytest.mark.demo
class PageTypeStructureTests(TestCase):
    def each_page(self):
        for page_type, urls in page_type_urls().items():
            for url in urls[:3]:
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404 if page_type == "not found" else 200, url)
                yield page_type, url, BeautifulSoup(response.content, "html.parser")

    def test_every_page_has_one_h1(self):
        for page_type, url, soup in self.each_page():
            with self.subTest(page_type, url=url):
                self.assertEqual(len(soup.find_all("h1")), 1)

    def test_every_page_has_its_landmarks_and_a_skip_link_to_the_main_content(self):
        for page_type, url, soup in self.each_page():
            with self.subTest(page_type, url=url):
                self.assertEqual(soup.html["lang"], "ja")
                body = soup.body
                self.assertEqual(len(body.find_all("main")), 1)
                self.assertEqual(len(body.find_all("header", recursive=False)), 1)
                self.assertEqual(len(body.find_all("footer", recursive=False)), 1)
                skip = body.find("a")
                self.assertEqual((skip["href"], skip.get_text()), ("#main", "本文へ移動"))
                self.assertEqual(body.find(id="main").name, "main")
                names = [landmark_name(soup, nav) for nav in body.find_all("nav")]
                self.assertTrue(all(names), names)
                self.assertEqual(len(names), len(set(names)), names)
                self.assertIn("メインメニュー", names)
                if page_type != "home":
                    self.assertIn("パンくずリスト", names)

    def test_every_form_control_has_a_label_and_every_image_an_alt(self):
        for page_type, url, soup in self.each_page():
            with self.subTest(page_type, url=url):
                controls = soup.select("input:not([type=hidden]):not([type=submit]), select, textarea")
                unlabelled = [str(control) for control in controls if not control_label(soup, control)]
                self.assertEqual(unlabelled, [])
                self.assertEqual([str(img) for img in soup.find_all("img") if not img.has_attr("alt")], [])


# Forms with errors: each input names its error and help text, and says it is invalid


def test_registration_errors_are_tied_to_their_inputs(client, tree):
    from tests.builders import TOKYO, make_event

    event = make_event(
        tree.events,
        starts_at=datetime.datetime.now(TOKYO) + datetime.timedelta(days=30),
        registration_enabled=True,
        capacity=10,
    )

    response = client.post(event.url, {"name": "", "email": "not-an-address"})
    soup = BeautifulSoup(response.content, "html.parser")

    form = soup.select_one("form.registration-form")
    invalid = form.select('[aria-invalid="true"]')
    assert {control["name"] for control in invalid} >= {"name", "email", "agree_privacy"}
    # The summary names no colour: it links to each field in error.
    summary = form.find(attrs={"role": "alert"})
    assert summary.p.get_text() == "入力内容を確認してください。次の項目に誤りがあります。"
    assert [link["href"] for link in summary.select("a")] == [f"#{control['id']}" for control in invalid]
    for control in invalid:
        described = control["aria-describedby"].split()
        error = soup.find(id=f"{control['id']}_error")
        assert error is not None and error["id"] in described
        assert error.get_text(strip=True)
        assert soup.find("label", attrs={"for": control["id"]})
        for id_ in described:
            assert soup.find(id=id_), id_
    email = form.find("input", attrs={"name": "email"})
    assert email["aria-describedby"] == "id_email_helptext id_email_error"
    valid = form.find("input", attrs={"name": "phone"})
    assert not valid.has_attr("aria-invalid")


# The design system: Japanese typography, focus, motion, contrast


def test_typography_focus_and_motion_rules():
    css = static_text("css/site.css")

    body = re.search(r"\nbody\s*\{([^}]*)\}", css).group(1)
    assert float(re.search(r"line-height:\s*([\d.]+)", body).group(1)) >= 1.7
    assert "overflow-wrap: anywhere" in body
    assert "justify" not in re.sub(r"justify-(content|items|self)", "", css)
    assert re.search(r":focus-visible\s*\{\s*outline:\s*0\.1875rem solid", css)
    assert "@media (prefers-reduced-motion: reduce)" in css
    # No outside fonts, images or stylesheets: the site works on a closed network.
    assert not re.search(r"url\(|@import|https?://", css)


def relative_luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground, background):
    light, dark = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def scheme_tokens():
    """{scheme: {token: colour}}: the :root values (白), each overridden by html[data-scheme=...]."""
    css = static_text("css/site.css")
    blocks = {"white": re.search(r":root\s*\{([^}]*)\}", css).group(1)}
    for scheme in ("black", "blue"):
        blocks[scheme] = re.search(rf'html\[data-scheme="{scheme}"\]\s*\{{([^}}]*)\}}', css).group(1)
    white = dict(re.findall(r"--(color-[\w-]+):\s*(#[0-9a-f]{6});", blocks["white"]))
    tokens = {}
    for scheme, block in blocks.items():
        tokens[scheme] = {**white, **dict(re.findall(r"--(color-[\w-]+):\s*(#[0-9a-f]{6});", block))}
    return tokens


def without_print_rules(css):
    for match in reversed(list(re.finditer(r"@media print\s*\{", css))):
        depth, position = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[position], 0)
            position += 1
        css = css[: match.start()] + css[position:]
    return css


def test_every_scheme_redefines_every_colour_and_no_rule_names_a_colour_of_its_own():
    css = re.sub(r"/\*.*?\*/", "", static_text("css/site.css"), flags=re.S)

    root = set(re.findall(r"--(color-[\w-]+):", re.search(r":root\s*\{([^}]*)\}", css).group(1)))
    for scheme in ("black", "blue"):
        block = re.search(rf'html\[data-scheme="{scheme}"\]\s*\{{([^}}]*)\}}', css).group(1)
        assert set(re.findall(r"--(color-[\w-]+):", block)) == root, scheme
    # Outside the tokens (and print), a colour is only ever one of 表示の設定's 白・黒・青 buttons, which
    # show their own scheme whatever the page's.
    loose = {
        match
        for line in without_print_rules(css).splitlines()
        if not line.strip().startswith("--")
        for match in re.findall(r"#[0-9a-fA-F]{3,6}\b|rgba?\(", line)
    }
    assert loose == {"#ffffff", "#1f2328", "#000000", "#001a57", "#ffff4d"}


# Every pair of colours that meet on the page, by token: text 4.5:1, borders and the focus ring 3:1.
TEXT_PAIRS = [
    ("color-text", "color-bg"),
    ("color-text", "color-bg-soft"),
    ("color-text", "color-primary-soft"),
    ("color-muted", "color-bg"),
    ("color-muted", "color-bg-soft"),  # empty states, breadcrumbs
    ("color-muted", "color-primary-soft"),
    ("color-primary", "color-bg"),  # links
    ("color-primary", "color-bg-soft"),
    ("color-primary", "color-primary-soft"),  # links in the hero and the promotions
    ("color-primary-dark", "color-bg"),  # the site's name, switches
    ("color-primary-dark", "color-primary-soft"),  # tags, chips, seats left
    ("color-primary-dark", "color-primary-soft-hover"),
    ("color-on-primary", "color-primary"),  # pressed switches, primary buttons, event kind
    ("color-on-primary", "color-primary-dark"),
    ("color-notice-text", "color-notice-bg"),
    ("color-error", "color-bg"),  # inline errors
    ("color-on-error", "color-error"),  # 必須
    ("color-error-text", "color-error-bg"),  # the error summary, 満席
    ("color-mark-text", "color-mark-bg"),  # search hits
    ("color-nav-text", "color-nav-bg"),  # main menu
    ("color-nav-text", "color-nav-hover"),
    ("color-footer-text", "color-footer-bg"),
    ("color-footer-muted", "color-footer-bg"),  # the footer's address and hours
    ("color-on-status", "color-status-preparing"),
    ("color-on-status", "color-status-recruiting"),
    ("color-on-status", "color-status-in-progress"),
    ("color-on-status", "color-status-completed"),
]
UI_PAIRS = [
    ("color-muted", "color-bg"),  # input borders
    ("color-primary", "color-bg"),  # button borders
    ("color-primary", "color-bg-soft"),
    ("color-focus", "color-bg"),
    ("color-focus", "color-bg-soft"),
    ("color-focus", "color-primary-soft"),
    ("color-focus-on-dark", "color-nav-bg"),
    ("color-focus-on-dark", "color-footer-bg"),
    ("color-nav-current", "color-nav-bg"),  # the current section's bar
]


@pytest.mark.parametrize("scheme", ["white", "black", "blue"])
def test_colours_reach_aa_contrast_in_each_scheme(scheme):
    tokens = scheme_tokens()[scheme]

    def ratios(pairs):
        return {(fg, bg): round(contrast(tokens[fg], tokens[bg]), 2) for fg, bg in pairs}

    text = ratios(TEXT_PAIRS)
    assert {pair: ratio for pair, ratio in text.items() if ratio < 4.5} == {}, text
    ui = ratios(UI_PAIRS)
    assert {pair: ratio for pair, ratio in ui.items() if ratio < 3} == {}, ui
