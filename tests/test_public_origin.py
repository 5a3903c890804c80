"""One public origin: every absolute address the site writes — canonical links, Open Graph, JSON-LD, the
news feeds, sitemap.xml, robots.txt, calendar files and emails — names PUBLIC_BASE_URL, whatever the
Wagtail Site's hostname or the address a request came in on, and moves with it."""

import datetime
import json
import re
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from home.models import CenterSettings
from tests.builders import make_article, make_event

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
REGISTRANT = {"name": "山田 花子", "name_kana": "やまだ はなこ", "email": "hanako@example.jp"}


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def head_urls(client, url):
    """The canonical link, og:url, og:image and every address in the page's JSON-LD."""
    soup = BeautifulSoup(get(client, url).content, "html.parser")
    urls = {
        f"{url} canonical": soup.head.find("link", rel="canonical")["href"],
        f"{url} og:url": soup.head.find("meta", property="og:url")["content"],
    }
    og_image = soup.head.find("meta", property="og:image")
    if og_image is not None:
        urls[f"{url} og:image"] = og_image["content"]
    for script in soup.find_all("script", type="application/ld+json"):
        for key, value in _addresses(json.loads(script.string)):
            urls[f"{url} JSON-LD {key}"] = value
    return urls


def _addresses(data, prefix=""):
    """(key, value) of every string in JSON-LD data that is an address, but schema.org's vocabulary."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        if isinstance(value, (dict, list)):
            yield from _addresses(value, f"{prefix}{key}.")
        elif isinstance(value, str) and value.startswith("http") and "schema.org" not in value:
            yield f"{prefix}{key}", value


def feed_urls(client):
    rss = ElementTree.fromstring(get(client, "/news/feed/").content)
    atom = ElementTree.fromstring(get(client, "/news/feed/atom/").content)
    urls = {"RSS channel link": rss.findtext("channel/link")}
    for number, item in enumerate(rss.iter("item")):
        urls[f"RSS item {number} link"] = item.findtext("link")
        urls[f"RSS item {number} guid"] = item.findtext("guid")
    for number, link in enumerate(atom.iter(f"{ATOM}link")):
        urls[f"Atom link {number}"] = link.get("href")
    return urls


def sitemap_urls(client):
    root = ElementTree.fromstring(get(client, "/sitemap.xml").content)
    return {f"sitemap.xml {loc.text}": loc.text for loc in root.iter(f"{SITEMAP}loc")}


def robots_urls(client):
    lines = get(client, "/robots.txt").content.decode().splitlines()
    (sitemap,) = [line.removeprefix("Sitemap: ") for line in lines if line.startswith("Sitemap: ")]
    return {"robots.txt Sitemap": sitemap}


def calendar_urls(client, event):
    calendar = Calendar.from_ical(get(client, f"{event.url}calendar.ics").content)
    (vevent,) = calendar.walk("VEVENT")
    return {"calendar.ics URL": str(vevent["URL"])}


def email_urls(client, event, mailoutbox):
    response = client.post(event.url, {**REGISTRANT, "phone": "042-620-1234", "agree_privacy": "on"})
    assert response.status_code == 302
    (message,) = mailoutbox
    urls = {}
    for number, url in enumerate(re.findall(r"https?://[^\s)」]+", message.body)):
        urls[f"email link {number}"] = url
    assert len(urls) >= 3  # the event, the registration's status and its cancellation
    return urls


@pytest.fixture
def site_with_everything(tree):
    """An article with a hero image, the center's logo and an event taking registrations."""
    images = get_image_model().objects
    hero = images.create(title="hero.png", file=get_test_image_file(size=(1600, 1000)))
    logo = images.create(title="logo.png", file=get_test_image_file(size=(400, 400)))
    center = CenterSettings.for_site(Site.objects.get(is_default_site=True))
    center.logo = logo
    center.save()
    article = make_article(tree.news, slug="report", hero_image=hero, hero_image_alt="報告会の様子")
    event = make_event(
        tree.events,
        slug="briefing",
        starts_at=timezone.now() + datetime.timedelta(days=14),
        registration_enabled=True,
        capacity=5,
    )
    return article, event


def every_public_url(client, site_with_everything, mailoutbox):
    article, event = site_with_everything
    urls = {}
    # The home page, an article, an event and a route below a page (the past events).
    for url in ("/", article.url, event.url, f"{event.get_parent().url}past/"):
        urls.update(head_urls(client, url))
    urls.update(feed_urls(client))
    urls.update(sitemap_urls(client))
    urls.update(robots_urls(client))
    urls.update(calendar_urls(client, event))
    urls.update(email_urls(client, event, mailoutbox))
    return urls


def origins(urls):
    return {urlsplit(url).scheme + "://" + urlsplit(url).netloc for url in urls.values()}


def test_every_address_the_site_writes_names_the_public_origin(client, site_with_everything, mailoutbox):
    assert Site.objects.get(is_default_site=True).hostname == "localhost"  # not the origin the tests expect

    urls = every_public_url(client, site_with_everything, mailoutbox)

    assert origins(urls) == {"http://testserver"}, urls
    kinds = {key.split(" ")[0] for key in urls}
    assert {"RSS", "Atom", "sitemap.xml", "robots.txt", "calendar.ics", "email"} <= kinds
    assert any(key.endswith(" canonical") for key in urls)
    assert any(key.endswith(" og:url") for key in urls)
    assert any(key.endswith(" og:image") for key in urls)
    assert any(" JSON-LD " in key for key in urls)


@override_settings(PUBLIC_BASE_URL="https://katsudo.example.jp", ALLOWED_HOSTS=["testserver"])
def test_changing_the_public_base_url_moves_every_address(client, site_with_everything, mailoutbox):
    urls = every_public_url(client, site_with_everything, mailoutbox)

    assert origins(urls) == {"https://katsudo.example.jp"}, urls


@override_settings(PUBLIC_BASE_URL="https://katsudo.example.jp", ALLOWED_HOSTS=["127.0.0.1"])
def test_the_address_a_request_came_in_on_changes_nothing(client, site_with_everything, mailoutbox):
    client.defaults["HTTP_HOST"] = "127.0.0.1"

    urls = every_public_url(client, site_with_everything, mailoutbox)

    assert origins(urls) == {"https://katsudo.example.jp"}, urls
