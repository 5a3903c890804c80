"""`make run` (cms.settings.dev) keeps DEBUG for its tracebacks, but a page that is not there shows the site's
own 404 page (templates/404.html), as visitors see it in production, rather than Django's English one.

With DEBUG on, Django answers a 404 with its technical page wherever it is raised. This middleware, last in
the dev settings' list, answers it first with the handler production uses: a path that no URL pattern takes,
before the view runs; an Http404 the view raises, in process_exception. The middleware above it see the
same 404 as in production (Wagtail's redirects, the slash CommonMiddleware appends). Errors other than 404
still show Django's debug page.
"""

from django.http import Http404
from django.urls import Resolver404, get_resolver


class SiteNotFoundPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        resolver = get_resolver(getattr(request, "urlconf", None))
        try:
            resolver.resolve(request.path_info)
        except Resolver404 as error:
            return self.not_found(request, error)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return self.not_found(request, exception)
        return None

    @staticmethod
    def not_found(request, exception):
        handler = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(404)
        return handler(request, exception=exception)
