"""Choosing the pages to test, as WAIC's guideline asks: a representative page of every page type (the
代表 pages), plus pages drawn at random from all public pages (無作為), reproducible from a seed.

Pages come through the visibility rule (home/visibility.py): nothing draft, private or view-restricted
is ever tested or listed in a published report.
"""

import random
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, get_page_models

from home.origin import page_path
from home.visibility import private_sections_q, visible

REPRESENTATIVE = "代表"
RANDOM = "無作為"


@dataclass(frozen=True)
class Sample:
    url: str
    title: str
    type: str
    sampling: str

    def as_dict(self):
        return {"url": self.url, "title": self.title, "type": self.type, "sampling": self.sampling}


def _site_pages(site, private):
    return visible(Page.objects.descendant_of(site.root_page, inclusive=True), private)


def representative_pages(site):
    """The first public page (in tree order) of each page type, then the pages each one's own views
    answer and its ways to browse (home.sitemap_page's `sitemap_routes`, `sitemap_browse`)."""
    private = private_sections_q()
    pages = _site_pages(site, private)
    samples = []
    for model in get_page_models():
        if model is Page:
            continue
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        page = pages.filter(content_type=content_type).order_by("path").first()
        if page is None:
            continue
        page = page.specific
        path = page_path(page)
        if not path:
            continue
        samples.append(Sample(path, page.title, str(model._meta.verbose_name), REPRESENTATIVE))
        for hook in ("sitemap_routes", "sitemap_browse"):
            routes = getattr(page, hook, None)
            for title, url in (routes(path) if routes else [])[:1]:
                samples.append(Sample(url, title, title, REPRESENTATIVE))
    return samples


def random_pages(site, count, seed, exclude=()):
    """`count` public pages drawn with `random.Random(seed)` from those not already in `exclude` (paths)."""
    if count <= 0:
        return []
    candidates = []
    for page in _site_pages(site, private_sections_q()).order_by("path").specific(defer=True):
        path = page_path(page)
        if path and path not in exclude:
            candidates.append(page)
    chosen = random.Random(seed).sample(candidates, min(count, len(candidates)))
    return [
        Sample(page_path(page), page.title, str(page.specific_class._meta.verbose_name), RANDOM)
        for page in sorted(chosen, key=lambda page: page.path)
    ]
