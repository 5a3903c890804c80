"""The enrolment QR code, drawn on the server as inline SVG: nothing is fetched from another site, and the
admin's Content-Security-Policy has nothing to allow (inline <svg> is markup, not an image source)."""

import segno
from django.utils.safestring import mark_safe

LABEL = "認証アプリで読み取るQRコード"


def qr_svg(text):
    svg = segno.make(text, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", svgclass="qr-code"
    )
    # An image with a name for assistive technology; the key is also shown as text beside it.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{LABEL}" ', 1))
