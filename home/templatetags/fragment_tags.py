"""`{% fragment "name" part … [timed] %}…{% endfragment %}`: a piece of a page rendered once and kept in
the cache until the content version changes (home.invalidation.cached), as Django's `{% cache %}` but
never stale.

For what does not depend on the request (the cards of related projects, a project's facet chips, a year's
results tables): the parts (a page's id, a year) name which one, and the site is added, because
`{% pageurl %}` writes another site's pages with their host. Whatever is inside must not depend on the
visitor or carry a token (a form, seats left, a CSRF field). What time changes (an event that ends) is
marked `timed`: its key then holds the next moment at which time changes a page
(home.invalidation.next_change, the one the page cache keeps its pages until), so the fragment is rebuilt
once that moment has passed. A preview renders it afresh.

Context values that only the fragment reads should be lazy (django.utils.functional.SimpleLazyObject), so
that a cached fragment costs none of their queries.
"""

import hashlib

from django import template
from django.utils import timezone
from wagtail.models import Site

from home import invalidation

register = template.Library()

# Signals reach only the process that made the change; with a per-process cache (no shared cache
# configured) other processes catch up within this many seconds.
TIMEOUT = 300


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, parts, timed):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts
        self.timed = timed

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            # A preview shows a draft: never the live page's fragment, nor kept in its place.
            return self.nodelist.render(context)
        site = Site.find_for_request(request)
        parts = [site.pk if site else 0, *(part.resolve(context) for part in self.parts)]
        if self.timed:
            parts.append(_next_moment(request))
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
        return invalidation.cached(
            f"fragment:{self.name}:{digest}", lambda: self.nodelist.render(context), TIMEOUT
        )


def _next_moment(request):
    """Once per request: the next moment at which time alone changes a page."""
    if not hasattr(request, "_fragment_next_moment"):
        request._fragment_next_moment = invalidation.next_change(timezone.now())
    return request._fragment_next_moment


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('{% fragment "name" part … [timed] %} needs a quoted name first.')
    timed = bits[-1] == "timed"
    parts = bits[2:-1] if timed else bits[2:]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in parts], timed)
