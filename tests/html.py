"""Reading the catalog's HTML the way a visitor sees it."""

from bs4 import BeautifulSoup


def get_catalog(client, params=None):
    response = client.get("/projects/", params or {})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def result_slugs(soup):
    results = soup.find(id="results")
    return sorted(link["href"].strip("/").split("/")[-1] for link in results.find_all("a"))
