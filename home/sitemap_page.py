"""The human sitemap (サイトマップ, /sitemap/): the live public pages below the home page by section, the five
ways into the catalog and the site search. /sitemap.xml is the one for search engines."""

from dataclasses import dataclass, field

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from home.models.sections import SectionIndexPage
from home.visibility import private_sections_q, visible

# A section lists at most this many of its pages (the newest of a listing), then links to all of them.
CHILDREN_SHOWN = 10


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass
class Section:
    page: Page
    url: str
    children: list = field(default_factory=list)
    # How many live public children the section has when more than CHILDREN_SHOWN, else 0.
    total: int = 0
    # Pages a section's own views answer below it (年度別の支援実績, 終了したイベント).
    routes: list = field(default_factory=list)
    # The catalog's five 探す pages, on the catalog's section.
    browse: list = field(default_factory=list)

    @property
    def more(self):
        return self.total > len(self.children)

    @property
    def is_leaf(self):
        return not (self.children or self.routes or self.browse)


def site_sections(site, request):
    """The home page's live public children in the editors' order, each with its live public children:
    a listing's newest first, other pages in the editors' order, at most CHILDREN_SHOWN of them."""
    # One read of the view restrictions serves every section.
    pages = visible(Page.objects.all(), private_sections_q())
    sections = []
    for page in pages.child_of(site.root_page).specific(defer=True):
        url = page.get_url(request=request)
        if not url:
            continue
        children = pages.child_of(page)
        is_section = isinstance(page, SectionIndexPage)
        if is_section:
            children = children.order_by("-first_published_at", "-pk")
        shown = list(children[: CHILDREN_SHOWN + 1])
        sections.append(
            Section(
                page=page,
                url=url,
                children=[
                    Link(child.title, child.get_url(request=request)) for child in shown[:CHILDREN_SHOWN]
                ],
                total=children.count() if len(shown) > CHILDREN_SHOWN else 0,
                routes=[Link(*route) for route in page.sitemap_routes(url)] if is_section else [],
                browse=[Link(*way) for way in page.sitemap_browse(url)] if is_section else [],
            )
        )
    return sections


@require_safe
def sitemap_page(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("サイトが見つかりません。")
    sections = site_sections(site, request)
    context = {
        "home_url": site.root_page.get_url(request=request) or "/",
        # Pages with nothing below them are listed under ホーム rather than each in a box of its own.
        "top_pages": [section for section in sections if section.is_leaf],
        "sections": [section for section in sections if not section.is_leaf],
    }
    return TemplateResponse(request, "home/sitemap_page.html", context)
