"""Walking the Wagtail admin as one signed-in member of staff, and reading what they read.

The crawl starts at the dashboard and follows every admin link it finds, in the pages and in the sidebar's
menu. Links that only differ by a record's id are one screen and fetched once; the page screens (explorer,
editor, history, new page form) are one screen per page type. Links that act on a GET (signing out) or
that leave the admin's HTML (previews, downloads, exports) are not followed.
"""

import json
import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

ADMIN = "/admin/"
# Not followed: signing out ends the crawl; the others answer with something other than an admin screen
# (the public page, a file, an export, JSON for the choosers' scripts).
SKIPPED = re.compile(
    r"/logout/|/preview|/view_draft/|/revisions/\d+/view/|/jsi18n/|/sprite|/generate_url/|/api/|"
    r"/chooser/|/autocomplete|/password_reset/|/multiple/add/|/add_redirect|/usage/\w+/\w+/\d+/|"
    r"/images/\d+/preview/|/documents/\d+/serve/|/export/|/bulk/"
)
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-w-tooltip-content-value")
UNREAD_ELEMENTS = ("script", "style", "template", "noscript", "svg")


@dataclass
class Crawl:
    """What one member of staff met: the screens fetched and the text of each."""

    texts: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    keys: set = field(default_factory=set)

    @property
    def fetched(self):
        return len(self.texts) + len(self.failures)


def screen_key(path):
    """Which screen a path shows: ids become #, and a page's screens are told apart by its page type."""
    page_screen = re.match(r"^/admin/pages/(\d+)/((?:edit|history)/)?$", path)
    if page_screen:
        page = Page.objects.filter(pk=page_screen.group(1)).first()
        kind = page.specific_class.__name__ if page and page.specific_class else "?"
        return f"/admin/pages/{kind}/{page_screen.group(2) or ''}"
    new_page = re.match(r"^/admin/pages/add/(\w+)/(\w+)/\d+/$", path)
    if new_page:
        return f"/admin/pages/add/{new_page.group(1)}/{new_page.group(2)}/"
    return re.sub(r"/\d+(?=/)", "/#", re.sub(r"/[0-9a-f-]{32,36}(?=/)", "/#", path))


def visible_text(html):
    """The words a member of staff reads on a screen: text, the attributes shown as tooltips and labels,
    the values of buttons, and the sidebar menu's labels (which come as JSON for its script)."""
    soup = BeautifulSoup(html, "html.parser")
    parts = []
    for script in soup.find_all("script", type="application/json"):
        parts.extend(_json_labels(script.string or ""))
    for element in soup.find_all(UNREAD_ELEMENTS):
        element.decompose()
    # Hidden until a script fills and shows it (a counter's "None"); a tab's panel is only hidden until
    # its tab is chosen, so it is read.
    for element in soup.find_all(hidden=True):
        if not element.decomposed and element.get("role") != "tabpanel":
            element.decompose()
    for element in soup.find_all(True):
        for attribute in READ_ATTRIBUTES:
            if element.get(attribute):
                parts.append(element[attribute])
        if element.name == "input" and element.get("type") in ("submit", "button") and element.get("value"):
            parts.append(element["value"])
    parts.append(soup.get_text(" "))
    return " ".join(parts)


def _json_labels(text):
    try:
        data = json.loads(text)
    except ValueError:
        return []
    found = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for inner_key, inner in value.items():
                walk(inner, inner_key)
        elif isinstance(value, list):
            for inner in value:
                walk(inner, key)
        elif isinstance(value, str) and key in ("label", "footer_text", "title", "help_text"):
            found.append(value)

    walk(data)
    return found


def links(html):
    soup = BeautifulSoup(html, "html.parser")
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    for script in soup.find_all("script", type="application/json"):
        hrefs.extend(re.findall(r'"url":\s*"(/admin/[^"]*)"', script.string or ""))
    return hrefs


def depends_on_role(key):
    """Screens that differ with who looks: the dashboard's panels, and a page's explorer, editor and new
    page form with their actions (publish, or submit for approval). Any other screen shows each role the
    same words; what a role may not reach, it finds no link to."""
    return key == ADMIN or re.match(r"^/admin/pages/(\w+/(edit/)?|add/\w+/\w+/)?$", key) is not None


def crawl(client, read_before=frozenset(), limit=400):
    """Every admin screen reachable from the dashboard, once per screen, up to `limit` fetches. A screen in
    `read_before` (read as another role) is read again only if it depends on the role."""
    result = Crawl()
    seen = {screen_key(ADMIN)}
    queue = deque([ADMIN])
    while queue and result.fetched < limit:
        path = queue.popleft()
        if screen_key(path) in read_before and not depends_on_role(screen_key(path)):
            continue
        response = client.get(path)
        if response.status_code in (301, 302):
            # A redirect to a screen already queued or seen leads nowhere new.
            target = urlsplit(response["Location"]).path
            if target.startswith(ADMIN) and screen_key(target) not in seen:
                seen.add(screen_key(target))
                queue.append(target)
            continue
        if response.status_code != 200:
            result.failures.append((path, response.status_code))
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        result.texts[path] = visible_text(html)
        for href in links(html):
            target = urlsplit(href).path
            if not target.startswith(ADMIN) or SKIPPED.search(target) or urlsplit(href).netloc:
                continue
            key = screen_key(target)
            if key not in seen:
                seen.add(key)
                queue.append(target)
    result.keys = {screen_key(path) for path in result.texts}
    return result


# Not UI words: addresses, paths and file names staff typed or uploaded, and Wagtail's time zone names.
NOT_WORDS = re.compile(
    r"\S+@\S+|https?://\S+|(?<![\w])/[\w/.\-#?=&%]*|\b[\w-]+\.(?:jpe?g|png|gif|webp|svg|pdf|csv|txt|docx?|xlsx?)\b"
    r"|\b[A-Z][a-z]+/[A-Za-z_]+\b|\bv?\d+(?:\.\d+)+\b"
    r"|\b[a-z_]+\.[a-z_]+\b"  # a model's label (projects.projectpage), as the page types report lists them
    r"|\b\d+x\d+\b"  # an image's size
    r"|(?:\b[A-Z2-7]{4}\b\s*){8}"  # the authenticator key, typed in groups of four
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def english_words(text, allowed, data=()):
    """The Latin-letter words of a screen's text that are not in `allowed`, once the records' own values
    (`data`: slugs, usernames, file titles) are taken out."""
    text = NOT_WORDS.sub(" ", text)
    for value in data:
        text = text.replace(value, " ")
    return {word for word in WORD.findall(text) if word not in allowed}


def record_values():
    """What staff typed or uploaded and the admin lists as it is: slugs, usernames, host names, file titles,
    longest first (so that a value is taken out whole before a shorter one inside it)."""
    values = set()
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.SlugField):
                values.update(model._default_manager.values_list(model_field.name, flat=True))
    values.update(get_user_model().objects.values_list("username", flat=True))
    values.update(Site.objects.values_list("hostname", flat=True))
    for model in (get_image_model(), get_document_model()):
        values.update(model.objects.values_list("title", flat=True))
    return sorted((value for value in values if value), key=len, reverse=True)
