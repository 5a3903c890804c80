"""The visitor's address for per-address limits, also behind reverse proxies.

Behind TRUSTED_PROXY_COUNT proxies, each appends the address it received the request from to
X-Forwarded-For, so the visitor is that many entries from the right; entries further left are whatever
the visitor sent and cannot be trusted. Anything unparsable falls back to REMOTE_ADDR.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            candidate = hops[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote
