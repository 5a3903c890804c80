from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import health
from home.display import display as display_view
from home.favicon import favicon
from home.sitemap_page import sitemap_page
from home.sitemap_xml import sitemap
from search import autocomplete as search_autocomplete
from search import views as search_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("django-admin/", admin.site.urls),
    # The second step of the staff sign-in, before Wagtail's admin, whose access check it comes before.
    path("admin/two-factor/", include("home.staff_signin.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The open data API (projects/api/, docs/api.md): read-only JSON and its documentation page.
    path("api/", include("projects.api.urls")),
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_autocomplete.suggest, name="search_suggest"),
    path("team/", include("projects.talent.teams.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("sitemap/", sitemap_page, name="sitemap_page"),
    path("favicon.ico", favicon, name="favicon"),
    path("display/", display_view, name="display"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    from django.views.static import serve as serve_file

    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve_file,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [
    # Wagtail serves only paths ending in "/"; calendar files keep their .ics name for calendar apps.
    re_path(r"^((?:[\w\-]+/)+[\w\-]+\.ics)$", wagtail_views.serve, name="wagtail_serve_ics"),
    # Open data files keep their .csv and .json names (/opendata/projects.csv), routes of the OpenDataPage.
    re_path(r"^((?:[\w\-]+/)+[\w\-]+\.(?:csv|json))$", wagtail_views.serve, name="wagtail_serve_opendata"),
    path("", include(wagtail_urls)),
]

handler500 = "cms.views.server_error"
