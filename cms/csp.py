"""Content-Security-Policy: strict on the public site, loosened only where the Wagtail admin needs it.

The public pages load scripts, styles, fonts and images from this site alone and run no inline script,
so a page cannot be made to run script injected into its content. Wagtail's admin still writes some
inline scripts and styles (its own documentation says it is not yet compatible with a strict policy), so
under /admin/ the policy also allows inline code, still from this site only.
"""

from urllib.parse import urlsplit

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
# Wagtail's admin: its inline bootstrapping scripts and style attributes.
ADMIN_ALLOWANCES = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
}

# Videos editors embed in articles (wagtail.embeds: YouTube and Vimeo) come from these players.
VIDEO_ORIGINS = ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]

PUBLIC_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "frame-src": [SELF, *VIDEO_ORIGINS],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    # Only the site itself may frame its pages: Wagtail's admin previews them in a frame. X-Frame-Options says
    # the same to older browsers (SAMEORIGIN, cms/settings/base.py).
    "frame-ancestors": [SELF],
}


def media_origins(env):
    """Where uploaded images are loaded from when they live in an S3-compatible bucket (MEDIA_S3_* settings,
    docs/deployment.md), for img-src; MEDIA_ORIGINS adds others, comma-separated."""
    origins = [origin.strip() for origin in env.get("MEDIA_ORIGINS", "").split(",") if origin.strip()]
    bucket = env.get("MEDIA_S3_BUCKET", "")
    if not bucket:
        return origins
    if env.get("MEDIA_S3_CUSTOM_DOMAIN"):
        return [*origins, f"https://{env['MEDIA_S3_CUSTOM_DOMAIN']}"]
    endpoint = env.get("MEDIA_S3_ENDPOINT_URL", "")
    if endpoint:
        parts = urlsplit(endpoint)
        # Path-style (endpoint/bucket/key) or virtual-hosted-style (bucket.endpoint/key) addresses.
        return [*origins, f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://{bucket}.{parts.netloc}"]
    region = env.get("MEDIA_S3_REGION", "")
    regional = [f"https://{bucket}.s3.{region}.amazonaws.com"] if region else []
    return [*origins, f"https://{bucket}.s3.amazonaws.com", *regional]


def with_media_origins(policy, origins):
    return {**policy, "img-src": [*policy["img-src"], *origins]} if origins else policy


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIXES):
            update = {**ADMIN_ALLOWANCES, **(parts.update or {})}
            # No nonce here: a nonce in script-src would make browsers ignore 'unsafe-inline'.
            return PolicyParts(parts.config, update, parts.replace, None)
        return parts
