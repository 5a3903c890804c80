"""Every kind of page a visitor can reach, as addresses in the current test database (the demo content):
one list for the tests that hold each page type to the same rules (one h1, landmarks, the HTML budget)."""

from projects.models import FACETS


def _live(model):
    return model.objects.live().public().order_by("path")


def page_type_urls():
    """{page type: [addresses]}; a type with many pages lists them all, so a rule holds for the largest."""
    from home.models import (
        AccessibilityPolicyPage,
        AccessPage,
        ArticleIndexPage,
        ArticlePage,
        ContactPage,
        HomePage,
        StandardPage,
    )
    from projects.annual_results import available_fiscal_years
    from projects.models import (
        EventIndexPage,
        EventPage,
        OpenDataPage,
        OrganizationIndexPage,
        OrganizationPage,
        ProjectIndexPage,
        ProjectPage,
        Registration,
    )
    from projects.registration.emails import cancel_url, status_url

    catalog = _live(ProjectIndexPage).first().url
    events = _live(EventIndexPage).first().url
    registration = Registration.objects.filter(event__live=True).order_by("pk").first()
    facet = FACETS[0]
    term = facet.model.objects.order_by("pk").first()
    urls = {
        "home": [_live(HomePage).first().url],
        "standard page": [page.url for page in _live(StandardPage)],
        "news index": [_live(ArticleIndexPage).first().url],
        "article": [page.url for page in _live(ArticlePage)],
        "organization index": [_live(OrganizationIndexPage).first().url],
        "organization": [page.url for page in _live(OrganizationPage)],
        "catalog": [catalog, f"{catalog}?page=2", f"{catalog}?{facet.key}={term.slug}&status=completed"],
        "project": [page.url for page in _live(ProjectPage)],
        "facet index": [f"{catalog}{each.key}/" for each in FACETS],
        "term landing": [f"{catalog}{facet.key}/{each.slug}/" for each in facet.model.objects.all()],
        "annual results index": [f"{catalog}results/"],
        "annual results": [f"{catalog}results/{year}/" for year in available_fiscal_years()],
        "event index": [events],
        "past events": [f"{events}past/"],
        "event": [page.url for page in _live(EventPage)],
        "registration status": [status_url(registration)],
        "registration cancel": [cancel_url(registration)],
        "search": ["/search/", "/search/?q=プロボノ", "/search/?q=見つからない言葉"],
        "sitemap": ["/sitemap/"],
        "contact": [page.url for page in _live(ContactPage)]
        + [f"{page.url}thanks/" for page in _live(ContactPage)],
        "access": [page.url for page in _live(AccessPage)],
        "accessibility policy": [page.url for page in _live(AccessibilityPolicyPage)],
        "open data": [page.url for page in _live(OpenDataPage)],
        "not found": ["/no-such-page/"],
    }
    return urls
