"""Malformed, oversized and hostile input on every parameter of the open data API: a 400 (or, in the path,
a 404) with a Japanese message, never a 500."""

import json
import re

import pytest

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
HUGE = "9" * 40
LONG = "あ" * 10_000
HOSTILE = [
    "-1",
    HUGE,
    "-" + HUGE,
    "abc",
    "1.5",
    "1e3",
    "0x10",
    LONG,
    "\x00",
    "2016\x00",
    "' OR 1=1 --",
    "1; DROP TABLE wagtailcore_page",
    "<script>alert(1)</script>",
    "\u202e2016",
]

# Every query parameter with the values it accepts; anything else must be refused.
PARAMETERS = {
    "/api/projects/": [
        "limit",
        "offset",
        "problem",
        "category",
        "support",
        "area",
        "program",
        "status",
        "year",
        "sort",
    ],
    "/api/organizations/": ["limit", "offset", "area", "category"],
    "/api/events/": ["limit", "offset", "when", "kind"],
}
CASES = [(url, name) for url, names in PARAMETERS.items() for name in names]


def assert_refused(response, status=400):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    detail = json.loads(response.content)["detail"]
    assert JAPANESE.search(detail)
    assert len(detail) < 300  # what the visitor sent is not repeated at length
    return detail


@pytest.mark.parametrize(("url", "name"), CASES)
def test_hostile_values_are_refused_in_japanese(client, tree, url, name):
    for value in HOSTILE:
        response = client.get(url, {name: value})
        detail = assert_refused(response)
        assert "\x00" not in detail, value
        assert b"<" not in response.content, value  # markup in a value comes back escaped (\u003c)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("offset=100001", "offset"),
        ("offset=-5", "offset"),
        ("year=16", "year"),
        ("year=20166", "year"),
        ("status=done", "status"),
        ("sort=random", "sort"),
    ],
)
def test_out_of_range_values_name_the_parameter(client, catalog, query, named):
    assert f"「{named}」" in assert_refused(client.get(f"/api/projects/?{query}"))


def test_unknown_terms_are_named_and_cut_short(client, catalog):
    detail = assert_refused(client.get("/api/projects/?category=nope&area=x%00y&problem=" + "z" * 90))

    assert "「nope」" in detail and "「xy」" in detail
    assert "z" * 30 not in detail
    assert "/api/taxonomy/" in detail


def test_many_unknown_values_are_counted_not_listed(client, catalog):
    query = "&".join(f"category=unknown-{number}" for number in range(20))
    detail = assert_refused(client.get(f"/api/projects/?{query}"))
    assert "ほか15件" in detail


def test_more_than_fifty_values_of_one_parameter_are_refused(client, catalog):
    query = "&".join(f"category=c{number}" for number in range(51))
    assert "50個まで" in assert_refused(client.get(f"/api/projects/?{query}"))


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/projects/", "limit"),
        ("/api/projects/", "offset"),
        ("/api/projects/", "sort"),
        ("/api/projects/", "q"),
        ("/api/organizations/", "area"),
        ("/api/events/", "when"),
        ("/api/events/", "kind"),
    ],
)
def test_single_valued_parameters_given_twice_are_refused(client, catalog, url, name):
    values = {"limit": "5", "offset": "0", "sort": "title", "q": "猫", "area": "hachioji", "when": "past"}
    value = values.get(name, "briefing")
    detail = assert_refused(client.get(f"{url}?{name}={value}&{name}={value}"))
    assert f"「{name}」" in detail and "1つだけ" in detail


def test_a_repeated_facet_value_is_one_condition(client, catalog):
    response = client.get("/api/projects/?category=children&category=children&category=children")
    assert response.status_code == 200
    assert json.loads(response.content)["count"] == 2


@pytest.mark.parametrize("value", [LONG, "経理" * 101, "\x00", "猫\x07", "a\x1bb"])
def test_keywords_too_long_or_with_control_characters_are_refused(client, catalog, value):
    assert "「q」" in assert_refused(client.get("/api/projects/", {"q": value}))


@pytest.mark.parametrize(
    "value",
    ["' OR 1=1 --", "<script>alert(1)</script>", '"', "%", "*", "経理 OR 1=1", "\u202e経理", "ＮＰＯ"],
)
def test_hostile_keywords_are_only_words(client, catalog, value):
    response = client.get("/api/projects/", {"q": value})
    assert response.status_code == 200
    assert {item["slug"] for item in json.loads(response.content)["items"]} <= set(catalog)


@pytest.mark.parametrize(
    "path",
    [
        "/api/projects/" + "a" * 10_000 + "/",
        "/api/projects/%00/",
        "/api/projects/a%00b/",
        "/api/projects/'%20OR%201=1/",
        "/api/projects/%3Cscript%3E/",
        "/api/projects/cat-accounting%0A/",
        "/api/organizations/%00/",
        "/api/events/" + "x" * 300 + "/",
        "/api/taxonomy/colours/",
        "/api/taxonomy/%00/",
        "/api/annual-results/abc/",
        "/api/annual-results/" + HUGE + "/",
        "/api/annual-results/-1/",
        "/api/annual-results/0/",
        "/api/annual-results/99999/",
        "/api/annual-results/1999/",
    ],
)
def test_hostile_paths_are_not_found_in_japanese(client, catalog, path):
    assert_refused(client.get(path), status=404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_get_is_answered(client, catalog, method):
    response = getattr(client, method)("/api/projects/")
    assert_refused(response, status=405)
    assert response["Allow"] == "GET, HEAD"


def test_head_is_answered_like_get_without_a_body(client, catalog):
    response = client.head("/api/projects/")
    assert response.status_code == 200
    assert response.content == b""


def test_unknown_parameters_are_ignored(client, catalog):
    plain = client.get("/api/projects/")
    assert client.get("/api/projects/?utm_source=x&_=123").content == plain.content
