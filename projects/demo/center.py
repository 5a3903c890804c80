"""The center's identity and menus for the demo, from center.json: CenterSettings and NavigationSettings
of a site.

Pages are named by their slug below the site's home page. Addresses of the site that are not pages (the
search) are written as paths and stored on PUBLIC_BASE_URL, because menu entries outside the page tree
must be full URLs. Fields are compared before saving, so a second run changes nothing.
"""

import json
import uuid

from home.models import CenterSettings, NavigationSettings
from home.origin import absolute_url

from . import DEMO_DIR
from .site import demo_image

CENTER_FILE = DEMO_DIR / "center.json"


def load_center_data():
    return json.loads(CENTER_FILE.read_text(encoding="utf-8"))


def build_center_settings(site, data=None):
    """Fill the center's settings and the menus of `site`; True when anything had to change."""
    data = data or load_center_data()
    home = site.root_page
    center = CenterSettings.for_site(site)
    fields = {
        **data["center"],
        "privacy_policy_page_id": _page(home, data["privacy_policy_page"]).pk,
        "logo_id": demo_image(data["logo"]).pk if data.get("logo") else None,
    }
    changed = _update(center, fields)
    menus = NavigationSettings.for_site(site)
    menu_fields = {
        "main_menu": _menu(home, data["main_menu"]),
        "footer_menu": _menu(home, data["footer_menu"]),
    }
    return _update(menus, menu_fields) or changed


def _page(home, slug):
    page = home.get_children().filter(slug=slug).first()
    if page is None:
        raise ValueError(f"center.json names a page that is not below the home page: {slug!r}")
    return page


def _menu(home, items):
    """center.json's menu as raw StreamField data."""
    raw = []
    for item in items:
        value = {"page": None, "url": "", "title": item.get("title", "")}
        if "page" in item:
            value["page"] = _page(home, item["page"]).pk
        else:
            value["url"] = absolute_url(item["path"])
        raw.append({"type": "item", "value": value})
    return raw


def _update(instance, fields):
    """Set `fields` that differ and save once; True when something changed."""
    changed = False
    for name, value in fields.items():
        current = getattr(instance, name)
        if name.endswith("_menu"):
            current = _stream_data(current)
        if current != value:
            if name.endswith("_menu"):
                # Stored with block ids, as the admin stores them, so every read sees the same blocks.
                value = [{**block, "id": str(uuid.uuid4())} for block in value]
            setattr(instance, name, value)
            changed = True
    if changed:
        instance.save()
    return changed


def _stream_data(stream_value):
    """A menu's content as type/value pairs without block ids, to compare with center.json."""
    return [{"type": block["type"], "value": block["value"]} for block in stream_value.get_prep_value()]
