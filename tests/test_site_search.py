"""The site search page takes whatever a visitor types without failing, and escapes it."""

import pytest

from tests.builders import make_organization

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"猫',
        "\x00",
        "'",
        "%",
        "\\",
        "猫😺",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "経" * 1000,
        "  ",
    ],
)
def test_odd_queries_never_fail_and_are_escaped(client, tree, query):
    make_organization(tree.organizations)

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_title_word_finds_the_page(client, tree):
    organization = make_organization(tree.organizations, title="八王子猫のおうち探しの会")

    response = client.get("/search/", {"q": "八王子猫のおうち探しの会"})

    results = response.content.decode().split('id="results"', 1)[1]
    assert organization.url in results


def test_query_is_cut_to_200_characters(client, tree):
    response = client.get("/search/", {"q": "あ" * 500})
    assert response.context["search_query"] == "あ" * 200
