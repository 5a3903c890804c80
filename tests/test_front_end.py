"""The public front end in HTML: the text-size switcher, the human sitemap, the catalog's live result count,
one h1 and the landmarks on every page type, images and form errors. What a browser does with it is
proven in tests/browser/."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def get_soup(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.content, "html.parser")


def static_text(path):
    found = finders.find(path)
    assert found, path
    with open(found, encoding="utf-8") as file:
        return file.read()


# 文字サイズ: the markup the browser tests drive, and what it looks like without JavaScript


def test_text_size_buttons_in_the_header_with_standard_pressed_by_default(client, tree):
    soup = get_soup(client, "/")

    group = soup.select_one("header.site-header [role=group]")
    label = soup.find(id=group["aria-labelledby"])
    assert label.get_text(strip=True) == "文字サイズ"
    buttons = group.select("button[data-text-size-button]")
    assert [(b["data-text-size-button"], b.get_text(strip=True), b["aria-pressed"]) for b in buttons] == [
        ("large", "大", "false"),
        ("normal", "標準", "true"),
        ("small", "小", "false"),
    ]
    assert all(button["type"] == "button" for button in buttons)


def test_without_javascript_the_page_has_the_default_size_and_no_switcher(client, tree):
    soup = get_soup(client, "/")

    html = soup.find("html")
    assert html["lang"] == "ja"
    assert "no-js" in html["class"]
    assert not html.has_attr("data-text-size")
    css = static_text("css/site.css")
    assert re.search(r"\.no-js \.text-size\s*\{\s*display:\s*none;", css)


def test_the_stored_size_is_applied_by_a_blocking_script_before_the_stylesheet(client, tree):
    head = get_soup(client, "/").find("head")

    scripts = head.find_all("script", src=True)
    stylesheet = head.find("link", rel="stylesheet")
    first = scripts[0]
    assert first["src"].endswith("/js/text-size.js")
    assert not first.has_attr("defer") and not first.has_attr("async")
    assert first.sourceline < stylesheet.sourceline
    # Only JSON-LD data is inline, so a script-src 'self' policy needs no hash or nonce.
    inline = [script for script in head.find_all("script") if not script.has_attr("src")]
    assert all(script.get("type") == "application/ld+json" for script in inline)


def test_text_size_is_kept_in_local_storage_not_a_cookie():
    script = static_text("js/text-size.js")

    assert "localStorage" in script
    assert "document.cookie" not in script
    for size in ("large", "normal", "small"):
        assert f'"{size}"' in script


def test_root_font_size_scales_with_the_choice_and_no_font_size_is_in_pixels():
    css = static_text("css/site.css")

    sizes = dict(re.findall(r'html\[data-text-size="(\w+)"\]\s*\{\s*font-size:\s*([\d.]+%);', css))
    assert sizes == {"large": "112.5%", "small": "87.5%"}
    assert not re.findall(r"font-size:\s*[\d.]+px", css)
    assert not re.findall(r"font:\s*[^;]*\d+px", css)
