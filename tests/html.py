"""Reading the site's HTML the way a visitor sees it."""

from bs4 import BeautifulSoup


def parse(response):
    """The response's HTML as a soup, whatever its status."""
    return BeautifulSoup(response.content, "html.parser")


def parse_ok(response):
    """The response's HTML as a soup, once it is known to be a 200."""
    assert response.status_code == 200
    return parse(response)


def soup_of(client, url="/", params=None, status=200):
    """GET `url` (with query `params`), check the status and return the page as a soup."""
    response = client.get(url, params or {})
    assert response.status_code == status, url
    return parse(response)


def get_catalog(client, params=None):
    response = client.get("/projects/", params or {})
    assert response.status_code == 200
    return parse(response)


def result_slugs(soup):
    results = soup.find(id="results")
    return sorted(link["href"].strip("/").split("/")[-1] for link in results.find_all("a"))
