"""Speed budgets on the demo content: every page type's HTML under 60 KB, and the site's own CSS and
JavaScript together under 100 KB, uncompressed. Sizes are bytes, the same on every machine."""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import TestCase

from tests.page_types import page_type_urls

HTML_BUDGET = 60 * 1024
ASSET_BUDGET = 100 * 1024


def table(sizes):
    return "\n".join(
        f"{size:>8,} B  {name}" for name, size in sorted(sizes.items(), key=lambda item: -item[1])
    )


@pytest.mark.demo
class PageBudgetTests(TestCase):
    def fetch(self, page_type, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 404 if page_type == "not found" else 200, url)
        return response.content

    def test_every_page_types_html_is_under_60_kb(self):
        largest = {}
        for page_type, urls in page_type_urls().items():
            self.assertTrue(urls, page_type)
            sizes = {url: len(self.fetch(page_type, url)) for url in urls}
            url = max(sizes, key=sizes.get)
            largest[f"{page_type} ({url[:60]})"] = sizes[url]

        over = {name: size for name, size in largest.items() if size >= HTML_BUDGET}
        self.assertFalse(
            over, f"HTML over {HTML_BUDGET:,} bytes; the largest page of each type:\n{table(largest)}"
        )
        print(f"\nHTML, the largest page of each type:\n{table(largest)}")

    def test_the_sites_own_css_and_javascript_total_under_100_kb(self):
        assets = {}
        for page_type, urls in page_type_urls().items():
            soup = BeautifulSoup(self.fetch(page_type, urls[0]), "html.parser")
            links = [link["href"] for link in soup.select('link[rel="stylesheet"][href]')]
            scripts = [script["src"] for script in soup.select("script[src]")]
            for address in links + scripts:
                path = urlsplit(address).path
                self.assertTrue(
                    path.startswith(settings.STATIC_URL), f"{address} is not one of the site's files"
                )
                found = finders.find(path.removeprefix(settings.STATIC_URL))
                self.assertTrue(found, address)
                with open(found, "rb") as file:
                    assets[path] = len(file.read())

        self.assertIn(f"{settings.STATIC_URL}css/site.css", assets)
        self.assertIn(f"{settings.STATIC_URL}js/catalog.js", assets)
        total = sum(assets.values())
        report = f"{table(assets)}\n{total:>8,} B  in all"
        self.assertLess(total, ASSET_BUDGET, f"CSS and JavaScript over {ASSET_BUDGET:,} bytes:\n{report}")
        print(f"\nCSS and JavaScript referenced by the pages:\n{report}")
