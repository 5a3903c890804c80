"""Permissions-Policy: browser features no page of the site uses are switched off, for its pages and for
anything they frame, so that an injected script or an embedded player cannot ask for them.

Nothing on the site needs a camera, a microphone, a location, payments or devices. Fullscreen stays for the
site and for the video players editors may embed (the same origins the Content-Security-Policy lets it
frame, cms/csp.py). Only features browsers recognise are named: an unknown one is reported in the console.
"""

from cms.csp import VIDEO_ORIGINS

HEADER = "Permissions-Policy"
SELF = "self"
POLICY = {
    "accelerometer": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "fullscreen": [SELF, *VIDEO_ORIGINS],
}


def header_value(policy):
    """`camera=(), fullscreen=(self "https://…")`: structured-field syntax, origins quoted, `self` not."""

    def allowlist(origins):
        return " ".join(origin if origin == SELF else f'"{origin}"' for origin in origins)

    return ", ".join(f"{feature}=({allowlist(origins)})" for feature, origins in policy.items())


VALUE = header_value(POLICY)


class PermissionsPolicyMiddleware:
    """Outside where a page is stored (StorablePageMiddleware), inside where a hit is answered: a stored
    page keeps the header this added when it was rendered, and carries it on every hit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(HEADER, VALUE)
        return response
