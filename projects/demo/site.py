"""The center's own pages for the demo, from site.json: section indexes, standard pages, news, home page,
and editors' picks for site search; then the talent registry's pages and workers (talent.py).

Pages are found by slug under their parent and updated in place, so a second run never duplicates anything;
a page is published again only when something in it changed.
"""

import datetime
import json
import re
from dataclasses import dataclass

from django.apps import apps
from django.core.files.images import ImageFile
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.utils.file import hash_filelike

from home.models import (
    ArticleIndexPage,
    ArticlePage,
    ArticleRelatedPage,
    HomeFeaturedEvent,
    HomeFeaturedProject,
    StandardPage,
)
from projects.models import EventPage, ProjectPage

from . import DEMO_DIR, talent

SITE_FILE = DEMO_DIR / "site.json"


@dataclass
class SiteSummary:
    standard_pages: int = 0
    articles: int = 0
    published: int = 0


def load_site_data():
    return json.loads(SITE_FILE.read_text(encoding="utf-8"))


def home_page():
    return Site.objects.get(is_default_site=True).root_page.specific


# A host name (letters, digits, hyphens and dots) or an IPv4 address: what `runserver HOST:PORT` takes.
HOSTNAME = re.compile(r"(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?", re.ASCII)


class SiteAddressError(ValueError):
    """The host name or port given for the demo Site cannot be an address; the message is Japanese."""


def set_site_address(hostname=None, port=None):
    """Put the default Site on the address the demo is served on (`make run`'s HOST and PORT), so that
    what Wagtail writes from the Site (the admin's links to live pages, its workflow emails) opens there.
    Returns the Site's root URL, such as http://127.0.0.1:8000."""
    site = Site.objects.get(is_default_site=True)
    if hostname is not None:
        hostname = hostname.strip().lower()
        if not HOSTNAME.fullmatch(hostname):
            raise SiteAddressError(
                "ホスト名には英数字・ハイフン・ドットだけを使い、253文字以内で指定してください"
                "(例: 127.0.0.1、localhost)。"
            )
        site.hostname = hostname
    if port is not None:
        if not 1 <= port <= 65535:
            raise SiteAddressError("ポート番号には1から65535までの数を指定してください(例: 8000)。")
        site.port = port
    if hostname is not None or port is not None:
        if Site.objects.filter(hostname=site.hostname, port=site.port).exclude(pk=site.pk).exists():
            raise SiteAddressError(f"{site.hostname}:{site.port} は別のサイトが使っています。")
        site.save(update_fields=["hostname", "port"])
    return site.root_url


def build_sections(data):
    """The catalog's index pages with the demo's titles and intros, made before the catalog is imported."""
    home = home_page()
    for section in data["sections"]:
        model = apps.get_model(section["model"])
        index = model.objects.child_of(home).first()
        fields = {"title": section["title"], "intro": section["intro"], "show_in_menus": True}
        if index is None:
            index = model(slug=section["slug"])
        _save(home, index, fields)


def build_site(data, today):
    """Standard pages, the news index with its articles, then the home page (which links to all of them)."""
    home = home_page()
    summary = SiteSummary()
    for spec in data["standard_pages"]:
        page = _child(home, StandardPage, spec["slug"])
        fields = {
            "title": spec["title"],
            "lead": spec["lead"],
            "show_in_menus": spec.get("show_in_menus", False),
            "body": _stream(spec["body"]),
        }
        summary.published += _save(home, page, fields)
        summary.standard_pages += 1

    news_spec = data["news"]
    news = ArticleIndexPage.objects.child_of(home).first() or ArticleIndexPage(slug=news_spec["slug"])
    summary.published += _save(home, news, {"title": news_spec["title"], "intro": news_spec["intro"]})
    for spec in news_spec["articles"]:
        page = _child(news, ArticlePage, spec["slug"])
        fields = {
            "title": spec["title"],
            "date": _article_date(spec, today),
            "author": spec.get("author", ""),
            "lead": spec["lead"],
            "hero_image": demo_image(spec["hero_image"]) if spec.get("hero_image") else None,
            "hero_image_alt": spec.get("hero_image_alt", ""),
            "body": _stream(spec["body"]),
            "tags": spec.get("tags", []),
            "related_pages": [_catalog_page(slug) for slug in spec.get("related_pages", [])],
        }
        summary.published += _save(news, page, fields)
        summary.articles += 1

    summary.published += talent.build_talent(home, _save)
    summary.published += _build_home(home, data["home"])
    _build_search_promotions(home, data["search_promotions"])
    return summary


def _build_search_promotions(home, specs):
    """Editors' picks shown above the search results for a few common queries."""
    for position, spec in enumerate(specs):
        SearchPromotion.objects.update_or_create(
            query=Query.get(spec["query"]),
            page=_page_at(home, spec["page"]),
            defaults={"description": spec["description"], "sort_order": position},
        )


def _build_home(home, spec):
    fields = {
        "hero_title": spec["hero_title"],
        "hero_lead": spec["hero_lead"],
        "hero_image": demo_image(spec["hero_image"]),
        "hero_cta_page": _page_at(home, spec["hero_cta_page"]),
        "hero_cta_text": spec["hero_cta_text"],
        "intro": spec["intro"],
    }
    projects = [ProjectPage.objects.get(slug=slug) for slug in spec["featured_projects"]]
    events = [EventPage.objects.get(slug=slug) for slug in spec["featured_events"]]
    changed = _assign(home, fields)
    if [item.project_id for item in home.featured_projects.all()] != [page.pk for page in projects]:
        home.featured_projects = [
            HomeFeaturedProject(project=page, sort_order=position) for position, page in enumerate(projects)
        ]
        changed = True
    if [item.event_id for item in home.featured_events.all()] != [page.pk for page in events]:
        home.featured_events = [
            HomeFeaturedEvent(event=page, sort_order=position) for position, page in enumerate(events)
        ]
        changed = True
    if changed or not home.live:
        home.save_revision().publish()
    return changed


def demo_image(relative_path):
    """The Wagtail image for a file in projects/demo/, reused when one has the same content (as on import)."""
    path = DEMO_DIR / relative_path
    with path.open("rb") as file:
        sha1 = hash_filelike(file)
    Image = get_image_model()
    image = Image.objects.filter(file_hash=sha1).order_by("pk").first()
    if image is None:
        with path.open("rb") as file:
            image = Image(title=path.stem, file=ImageFile(file, name=path.name), file_hash=sha1)
            image.file_size = path.stat().st_size
            image.save()
    return image


def _article_date(spec, today):
    # A "recent" article is dated from today, like the upcoming briefings it announces.
    if "days_ago" in spec:
        return today - datetime.timedelta(days=spec["days_ago"])
    return datetime.date.fromisoformat(spec["date"])


def _child(parent, model, slug):
    return model.objects.child_of(parent).filter(slug=slug).first() or model(slug=slug)


def _catalog_page(slug):
    """A demo project or event by its slug; slugs are unique across the demo catalog."""
    return Page.objects.type(ProjectPage, EventPage).get(slug=slug)


def _page_at(home, path):
    return Page.objects.get(url_path=f"{home.url_path}{path.strip('/')}/")


def _stream(blocks):
    """site.json's blocks as raw StreamField data; image paths become image ids."""
    raw = []
    for block in blocks:
        value = block["value"]
        if block["type"] == "image":
            value = {**value, "image": demo_image(value["image"]).pk}
        raw.append({"type": block["type"], "value": value})
    return raw


def _save(parent, page, fields):
    """Add `page` under `parent` if it is new, set `fields`, and publish when anything changed."""
    changed = _assign(page, fields)
    if page.pk is None:
        parent.add_child(instance=page)
        changed = True
    if changed or not page.live:
        page.save_revision().publish()
        return True
    return False


def _assign(page, fields):
    changed = False
    for name, value in fields.items():
        if name == "tags":
            if set(page.tags.names()) != set(value):
                page.tags.set(value)
                changed = True
        elif name == "related_pages":
            if [item.page_id for item in page.related_pages.all()] != [related.pk for related in value]:
                page.related_pages = [
                    ArticleRelatedPage(page=related, sort_order=position)
                    for position, related in enumerate(value)
                ]
                changed = True
        elif name == "body":
            if _stream_data(getattr(page, name)) != value:
                setattr(page, name, value)
                changed = True
        elif getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    return changed


def _stream_data(stream_value):
    """A StreamField's content as type/value pairs, without the block ids, to compare with site.json."""
    return [{"type": block["type"], "value": block["value"]} for block in stream_value.get_prep_value()]
