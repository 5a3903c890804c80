"""How large an upload or a request may be, refused with a clear Japanese answer instead of a 400 or a 500.

- A request body larger than its limit is refused with 413 and the site's own page before anything reads
  it: ADMIN_REQUEST_MAX_SIZE under the admin (an image or a document and its form), PUBLIC_REQUEST_MAX_SIZE
  elsewhere (public forms take no files). The reverse proxy's own limit sits above both
  (docs/deployment.md), so that the visitor gets this page rather than the proxy's.
- Images and documents: Wagtail's own WAGTAILIMAGES_MAX_UPLOAD_SIZE and WAGTAILDOCS_MAX_UPLOAD_SIZE (new in
  Wagtail 8), checked in the admin's single and multiple upload, with Wagtail's Japanese message. Wagtail's
  document form needs two corrections (`DocumentForm`, WAGTAILDOCS_DOCUMENT_FORM_BASE).
"""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from wagtail.documents.forms import BaseDocumentForm

from cms.csp import ADMIN_PREFIXES
from cms.views import request_too_large


def request_limit(request):
    return (
        settings.ADMIN_REQUEST_MAX_SIZE
        if request.path_info.startswith(ADMIN_PREFIXES)
        else settings.PUBLIC_REQUEST_MAX_SIZE
    )


class RequestSizeLimitMiddleware:
    """Answers 413 when the declared body is over the limit; the body is never read.

    A malformed Content-Length is left to Django, which then reads no body at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = request_limit(request)
        if length > limit:
            return request_too_large(limit)
        return self.get_response(request)


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, corrected for a limited size.

    - The limit in the field's help text in Japanese (Wagtail 8.0 has no translation for it yet).
    - A file refused for its size gets that one message: Wagtail's Document.clean() would add a second,
      misleading one, checking the extension of the file that is then missing
      ("ファイル拡張子 “” は許可されていません").
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = getattr(self.fields.get("file"), "max_upload_size", None)
        if limit is not None:
            self.fields["file"].help_text = f"ファイルサイズの上限は{filesizeformat(limit)}です。"

    def _post_clean(self):
        refused = list(self._errors.get("file", []))
        super()._post_clean()
        if refused:
            self._errors["file"] = self.error_class(refused)
