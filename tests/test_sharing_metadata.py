"""What every page tells search engines and social networks: title, description, canonical address, Open
Graph and schema.org JSON-LD, built the same way for every page type and safe whatever editors type."""

import datetime
import json
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from home.models import CenterSettings
from tests.builders import (
    TOKYO,
    make_article,
    make_event,
    make_organization,
    make_project,
    make_standard_page,
)
from tests.html import soup_of

pytestmark = pytest.mark.django_db

HOSTILE = '</script><script>alert(1)</script> & "引用"'


def meta(soup):
    """<meta property|name> of the head as a dict."""
    tags = soup.head.find_all("meta")
    return {tag.get("property") or tag.get("name"): tag.get("content") for tag in tags if tag.get("content")}


def followed(client, url):
    """The page at `url`, after the redirect a listing answers a page number that names no page with."""
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def canonical(soup):
    link = soup.head.find("link", rel="canonical")
    return link["href"] if link else None


def jsonld(soup):
    return [json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")]


def image(width=1600, height=1000, **fields):
    return get_image_model().objects.create(
        title=fields.pop("title", "test.png"), file=get_test_image_file(size=(width, height)), **fields
    )


def center(**fields):
    settings = CenterSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()
    return settings


# Title and description


def test_a_standard_page_is_described_by_its_lead(client, tree):
    page = make_standard_page(
        tree.home, title="プロボノとは", slug="probono", lead="仕事のスキルを地域に活かす活動です。"
    )

    soup = soup_of(client, page.url)

    assert soup.title.get_text() == "プロボノとは | 八王子市市民活動支援センター"
    tags = meta(soup)
    assert tags["description"] == "仕事のスキルを地域に活かす活動です。"
    assert tags["og:description"] == "仕事のスキルを地域に活かす活動です。"
    assert tags["og:title"] == "プロボノとは"
    assert tags["og:site_name"] == "八王子市市民活動支援センター"
    assert tags["og:type"] == "website"
    assert tags["og:locale"] == "ja_JP"
    assert canonical(soup) == tags["og:url"] == f"http://testserver{page.url}"


def test_the_seo_title_and_search_description_win(client, tree):
    page = make_standard_page(
        tree.home, lead="リード文", seo_title="センターの案内", search_description="検索結果に出す説明"
    )

    soup = soup_of(client, page.url)

    assert soup.title.get_text() == "センターの案内 | 八王子市市民活動支援センター"
    assert meta(soup)["og:title"] == "センターの案内"
    assert meta(soup)["description"] == "検索結果に出す説明"


@pytest.mark.parametrize(
    "kind,expected",
    [
        ("organization", "飼い主のいない猫を保護しています。"),
        ("project", "記帳を見直して経理のルールを整える。"),
        ("event", "プロボノの進め方を説明します。"),
        ("index", "地域の団体の一覧です。"),
    ],
)
def test_each_page_type_falls_back_to_its_own_summary_as_plain_text(client, tree, kind, expected):
    organization = make_organization(
        tree.organizations, description="<p>飼い主のいない<b>猫</b>を保護しています。</p>"
    )
    pages = {
        "organization": organization,
        "project": make_project(tree.projects, organization, summary="記帳を見直して経理のルールを整える。"),
        "event": make_event(
            tree.events, description="<p>プロボノの進め方を<a href='/x/'>説明</a>します。</p>"
        ),
        "index": tree.organizations,
    }
    if kind == "index":
        tree.organizations.intro = "<p>地域の団体の一覧です。</p>"
        tree.organizations.save_revision().publish()

    assert meta(soup_of(client, pages[kind].url))["description"] == expected


def test_a_long_summary_is_cut_to_about_120_characters(client, tree):
    page = make_standard_page(tree.home, lead="あ" * 300)

    description = meta(soup_of(client, page.url))["description"]

    assert len(description) == 120
    assert description.endswith("…")


def test_a_page_with_nothing_to_say_borrows_the_centers_footer_text(client, tree):
    center(footer_text="市民活動を応援する\nセンターです。")
    page = make_standard_page(tree.home)

    assert meta(soup_of(client, page.url))["description"] == "市民活動を応援する センターです。"

    center(footer_text="拠点です。\nご相談ください。")

    assert meta(soup_of(client, page.url))["description"] == "拠点です。ご相談ください。"


def test_the_home_page_is_titled_with_the_site_name(client, tree):
    center(name="テストセンター")
    home = tree.home
    home.hero_lead = "地域の課題に、仕事の力を。"
    home.search_description = ""
    home.save_revision().publish()

    soup = soup_of(client, "/")

    assert soup.title.get_text() == "テストセンター"
    assert meta(soup)["og:title"] == "テストセンター"
    assert meta(soup)["description"] == "地域の課題に、仕事の力を。"


# Canonical address


def test_a_listing_keeps_its_page_number_but_no_filters(client, tree):
    base = f"http://testserver{tree.projects.url}"
    organization = make_organization(tree.organizations)
    for number in range(13):  # two pages
        make_project(tree.projects, organization, slug=f"project-{number}", title=f"プロジェクト{number}")

    assert canonical(soup_of(client, tree.projects.url)) == base
    assert canonical(soup_of(client, f"{tree.projects.url}?page=2")) == f"{base}?page=2"
    assert canonical(followed(client, f"{tree.projects.url}?page=1")) == base
    assert canonical(soup_of(client, f"{tree.projects.url}?page=2&category=animals")) == base
    assert canonical(soup_of(client, f"{tree.projects.url}?utm_source=mail")) == base
    assert canonical(followed(client, f"{tree.projects.url}?page=abc")) == base


@pytest.mark.parametrize("number", ["²", "١٢", "9" * 5000, "0", "-2", "2.0", " 2"])
def test_a_strange_page_number_leaves_the_plain_address(client, tree, number):
    for page in (tree.home, tree.news, tree.projects):
        soup = followed(client, page.url + "?" + urlencode({"page": number}))
        assert canonical(soup) == f"http://testserver{page.url}", (page.url, number)


def test_a_route_below_a_page_is_its_own_canonical_address(client, tree):
    soup = soup_of(client, f"{tree.events.url}past/")

    assert canonical(soup) == f"http://testserver{tree.events.url}past/"


def test_search_results_are_not_indexed(client, tree):
    soup = soup_of(client, "/search/?q=プロボノ")

    assert meta(soup)["robots"] == "noindex"
    assert canonical(soup) is None
    assert "og:url" not in meta(soup)


def test_ordinary_pages_are_indexed(client, tree):
    assert "robots" not in meta(soup_of(client, make_standard_page(tree.home).url))


# Open Graph image


def test_an_articles_hero_image_is_shared_as_a_large_card(client, tree):
    hero = image(description="説明会で話す講師")
    article = make_article(tree.news, hero_image=hero, hero_image_alt="説明会で話す講師の写真")

    tags = meta(soup_of(client, article.url))

    rendition = hero.get_rendition("fill-1200x630")
    assert tags["og:image"] == f"http://testserver{rendition.url}"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:image:alt"] == "説明会で話す講師の写真"
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["og:type"] == "article"


def test_a_lost_image_file_falls_back_to_the_centers_image_and_the_page_still_renders(client, tree):
    center(share_image=image())
    hero = image()
    article = make_article(tree.news, hero_image=hero, hero_image_alt="説明会の写真")
    hero.file.storage.delete(hero.file.name)

    tags = meta(soup_of(client, article.url))

    shared = CenterSettings.for_site(Site.objects.get(is_default_site=True)).share_image
    assert tags["og:image"] == "http://testserver" + shared.get_rendition("fill-1200x630").url


def test_an_organizations_logo_is_shared_uncropped_as_a_small_card(client, tree):
    logo = image(width=400, height=400, description="団体のロゴ")
    organization = make_organization(tree.organizations, logo=logo)

    tags = meta(soup_of(client, organization.url))

    assert (tags["og:image:width"], tags["og:image:height"]) == ("400", "400")
    assert tags["og:image:alt"] == "団体のロゴ"
    assert tags["twitter:card"] == "summary"


def test_pages_without_an_image_share_the_centers_image_or_none(client, tree):
    page = make_standard_page(tree.home)
    tags = meta(soup_of(client, page.url))
    assert "og:image" not in tags
    assert tags["twitter:card"] == "summary"

    shared = image()
    center(share_image=shared)

    tags = meta(soup_of(client, page.url))
    assert tags["og:image"] == f"http://testserver{shared.get_rendition('fill-1200x630').url}"
    assert tags["twitter:card"] == "summary_large_image"
    assert "og:image:alt" not in tags  # an image's title is a file name, not a description


# JSON-LD


def test_the_home_page_describes_the_center_as_an_organization(client, tree):
    center(
        name="テストセンター",
        short_name="さぽーと",
        postal_code="100-0001",
        address="東京都千代田区千代田1-1",
        phone="03-0000-0000",
        email="info@example.org",
        x_url="https://x.example.org/center",
    )

    (data,) = jsonld(soup_of(client, "/"))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["name"] == "テストセンター"
    assert data["alternateName"] == "さぽーと"
    assert data["url"] == "http://testserver/"
    assert data["address"] == {
        "@type": "PostalAddress",
        "postalCode": "100-0001",
        "streetAddress": "東京都千代田区千代田1-1",
        "addressCountry": "JP",
    }
    assert (data["telephone"], data["email"]) == ("03-0000-0000", "info@example.org")
    assert data["sameAs"] == ["https://x.example.org/center"]
    assert "faxNumber" not in data  # nothing claimed that is not set
    assert "logo" not in data


def test_the_centers_logo_is_an_absolute_uncropped_rendition(client, tree):
    center(logo=image(width=400, height=400, title="logo.png"))

    (data,) = jsonld(soup_of(client, "/"))

    assert data["logo"].startswith("http://testserver/media/images/")
    assert ".max-1200x630" in data["logo"]


def test_deleting_the_logo_image_takes_it_out_of_the_cached_settings(client, tree):
    logo = image(width=400, height=400, title="logo.png")
    center(logo=logo)
    assert "logo" in jsonld(soup_of(client, "/"))[0]

    logo.delete()

    assert "logo" not in jsonld(soup_of(client, "/"))[0]


def test_an_article_is_an_article_by_its_byline_published_by_the_center(client, tree):
    center(name="テストセンター")
    hero = image()
    article = make_article(
        tree.news,
        date=datetime.date(2017, 3, 25),
        author="事務局 広報担当",
        lead="成果を報告しました。",
        hero_image=hero,
        hero_image_alt="報告会の様子",
    )

    (data,) = jsonld(soup_of(client, article.url))

    assert data["@type"] == "Article"
    assert data["headline"] == article.title
    assert data["description"] == "成果を報告しました。"
    assert data["url"] == data["mainEntityOfPage"] == f"http://testserver{article.url}"
    assert data["datePublished"] == "2017-03-25"
    modified = datetime.datetime.fromisoformat(data["dateModified"])
    assert modified == article.last_published_at
    assert modified.utcoffset() == datetime.timedelta(hours=9)
    assert data["author"] == {"@type": "Person", "name": "事務局 広報担当"}
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "テストセンター",
        "url": "http://testserver/",
    }
    assert data["image"] == [meta(soup_of(client, article.url))["og:image"]]


def test_an_article_without_a_byline_is_authored_by_the_center(client, tree):
    article = make_article(tree.news)

    (data,) = jsonld(soup_of(client, article.url))

    assert data["author"] == data["publisher"]
    assert data["author"]["name"] == "八王子市市民活動支援センター"
    assert "image" not in data


def test_an_organization_page_is_an_organization(client, tree):
    organization = make_organization(
        tree.organizations,
        postal_code="192-0083",
        address="東京都八王子市旭町12-1",
        website="https://example.org/cats/",
        founded_year=2012,
        description="<p>猫を保護しています。</p>",
    )

    (data,) = jsonld(soup_of(client, organization.url))

    assert data["@type"] == "Organization"
    assert data["name"] == "八王子猫のおうち探しの会"
    assert data["url"] == f"http://testserver{organization.url}"
    assert data["address"]["postalCode"] == "192-0083"
    assert data["foundingDate"] == "2012"
    assert data["sameAs"] == ["https://example.org/cats/"]
    assert data["description"] == "猫を保護しています。"
    assert "logo" not in data  # the center's share image is no logo of theirs


def test_an_event_is_an_event_organized_by_the_center_named_in_the_settings(client, tree):
    center(name="テストセンター")
    event = make_event(tree.events, starts_at=timezone.now() + datetime.timedelta(days=7))

    (data,) = jsonld(soup_of(client, event.url))

    assert data["@type"] == "Event"
    assert data["organizer"]["name"] == "テストセンター"


def test_other_pages_claim_nothing(client, tree):
    assert jsonld(soup_of(client, make_standard_page(tree.home).url)) == []
    assert jsonld(soup_of(client, tree.projects.url)) == []


# Hostile titles


@pytest.mark.parametrize("kind", ["article", "organization", "event"])
def test_a_hostile_title_stays_text_in_every_head_tag(client, tree, kind):
    make = {
        "article": lambda: make_article(tree.news, title=HOSTILE, lead=HOSTILE),
        "organization": lambda: make_organization(tree.organizations, title=HOSTILE),
        "event": lambda: make_event(
            tree.events, title=HOSTILE, starts_at=datetime.datetime(2099, 1, 1, 14, tzinfo=TOKYO)
        ),
    }
    page = make[kind]()

    response = client.get(page.url)
    source = response.content.decode()
    soup = BeautifulSoup(source, "html.parser")

    assert "<script>alert(1)</script>" not in source
    assert soup.title.get_text() == f"{HOSTILE} | 八王子市市民活動支援センター"
    assert meta(soup)["og:title"] == HOSTILE
    (data,) = jsonld(soup)
    assert data.get("headline", data.get("name")) == HOSTILE
    # No inline script but the JSON-LD: the title opened none.
    scripts = soup.find_all("script")
    assert all(script.get("src") or script.get("type") == "application/ld+json" for script in scripts)
