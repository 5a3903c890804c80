"""The /opendata/ page: every dataset with its licence, update date, formats with sizes, columns and download
links; licence and attribution from the settings; the files' Last-Modified and 304; hostile names; JSON-LD."""

import datetime
import json
import re

import pytest
from django.utils.http import parse_http_date

from home.models import OpenDataSettings
from projects.opendata.datasets import DATASETS
from tests.builders import build_catalog_tree
from tests.html import parse, parse_ok
from tests.opendata_site import FILES, build_open_data_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(tree, media_root):
    return build_open_data_site(tree)


@pytest.fixture
def generated(db, media_root, django_capture_on_commit_callbacks):
    """The site as published and committed: the worker (the immediate backend here) made the files."""
    with django_capture_on_commit_callbacks(execute=True):
        return build_open_data_site(build_catalog_tree())


def dataset_section(soup, key):
    return soup.find("section", id=key)


def test_the_page_lists_every_dataset_with_licence_update_date_formats_and_columns(client, generated):
    soup = parse(client.get("/opendata/"))
    assert soup.h1.get_text(strip=True) == "オープンデータ"
    assert "自由に使えます。" in soup.get_text()
    for dataset in DATASETS:
        section = dataset_section(soup, dataset.key)
        assert section.h2.get_text(strip=True) == dataset.title
        text = section.get_text()
        assert dataset.description in text
        licence = section.find("a", href="https://creativecommons.org/licenses/by/4.0/deed.ja")
        assert licence.get_text(strip=True) == "クリエイティブ・コモンズ 表示 4.0 国際(CC BY 4.0)"
        assert "出典:八王子市市民活動支援センター オープンデータ" in text
        assert section.find("time").get_text(strip=True).endswith(")")  # 2026年12月8日(火)
        links = section.select("a[download]")
        assert [a["href"] for a in links] == [f"/opendata/{name}" for name in dataset.filenames]
        for link in links:
            item = link.find_parent("li").get_text()
            assert re.search(r"(CSV|JSON)形式、[0-9.]+\s(バイト|KB)、[0-9]+件", item), item
        for table in dataset.tables:
            caption = section.find(
                "caption", string=lambda value, t=table: value and value.startswith(t.filename)
            )
            rows = caption.find_parent("table").select("tbody tr")
            assert [row.th.get_text(strip=True) for row in rows] == [column.name for column in table.columns]
    assert soup.find("a", href="/api/") is not None


def test_before_the_files_are_made_the_page_says_they_are_in_preparation_and_files_are_404(client, site):
    response = client.get("/opendata/")
    assert response.status_code == 200
    assert "ファイルは準備中です。" in response.content.decode()
    missing = client.get("/opendata/projects.csv")
    assert missing.status_code == 404
    assert "ページが見つかりません" in missing.content.decode()


def test_files_have_their_content_type_and_last_modified(client, generated):
    csv_file = client.get("/opendata/events.csv")
    assert csv_file["Content-Type"] == "text/csv; charset=utf-8"
    assert client.get("/opendata/events.json")["Content-Type"] == "application/json"
    manifest_time = json.loads(client.get("/opendata/events.json").content)["generated_at"]
    generated_at = datetime.datetime.fromisoformat(manifest_time)
    # Dated when these bytes were first served (home/last_modified.py), never before they were generated.
    assert parse_http_date(csv_file["Last-Modified"]) >= int(generated_at.timestamp())
    assert csv_file["ETag"]


def test_a_client_holding_the_file_gets_304(client, generated):
    first = client.get("/opendata/projects.csv")
    by_etag = client.get("/opendata/projects.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304
    by_date = client.get("/opendata/projects.csv", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    assert client.get("/opendata/projects.csv", HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/opendata/unknown.csv",
        "/opendata/manifest.json",
        "/opendata/files/projects.csv",
        "/opendata/../opendata/projects.csv",
        "/opendata/%2e%2e%2fmanifest.json",
        "/opendata/projects.csv%00",
        "/opendata/%00.csv",
        "/opendata/" + "a" * 5000 + ".csv",
        "/opendata/projects.csv.exe",
        "/opendata/PROJECTS.CSV",
        "/opendata/%E3%83%86.json",
        "/opendata/projects.csv/extra",
    ],
)
def test_unknown_or_hostile_file_names_get_the_sites_404(client, generated, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_licence_and_attribution_come_from_the_settings_and_follow_staff_changes(
    client, generated, django_capture_on_commit_callbacks
):
    settings = OpenDataSettings.for_site(generated.tree.home.get_site())
    settings.license_name = "クリエイティブ・コモンズ 表示 - 継承 4.0 国際"
    settings.license_url = "https://creativecommons.org/licenses/by-sa/4.0/deed.ja"
    settings.attribution = "出典:八王子市市民活動支援センター「プロボノのデータ」"
    with django_capture_on_commit_callbacks(execute=True):
        settings.save()
    soup = parse(client.get("/opendata/"))
    assert soup.find("a", href="https://creativecommons.org/licenses/by-sa/4.0/deed.ja") is not None
    assert "出典:八王子市市民活動支援センター「プロボノのデータ」" in soup.get_text()
    document = json.loads(client.get("/opendata/projects.json").content)
    assert document["license"]["url"] == "https://creativecommons.org/licenses/by-sa/4.0/deed.ja"
    assert document["attribution"] == "出典:八王子市市民活動支援センター「プロボノのデータ」"


def test_the_page_describes_its_datasets_as_a_dcat_catalog(client, generated):
    soup = parse(client.get("/opendata/"))
    catalog = next(
        data
        for data in (
            json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")
        )
        if data.get("@type") == "dcat:Catalog"
    )
    assert catalog["@id"] == "http://testserver/opendata/"
    datasets = {dataset["dct:title"]: dataset for dataset in catalog["dcat:dataset"]}
    assert list(datasets) == [dataset.title for dataset in DATASETS]
    downloads = []
    for dataset in catalog["dcat:dataset"]:
        assert dataset["dct:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/deed.ja"}
        assert dataset["dct:publisher"]["foaf:name"]
        assert dataset["dct:modified"]["@value"].endswith("+09:00")
        assert dataset["dcat:keyword"] and dataset["dct:description"]
        for distribution in dataset["dcat:distribution"]:
            url = distribution["dcat:downloadURL"]["@id"]
            downloads.append(url.rsplit("/", 1)[1])
            assert url.startswith("http://testserver/opendata/")
            assert distribution["dcat:mediaType"] in ("text/csv", "application/json")
            size = int(distribution["dcat:byteSize"]["@value"])
            assert size == len(client.get(url.removeprefix("http://testserver")).content)
    assert sorted(downloads) == sorted(FILES)


@pytest.mark.demo
def test_the_demo_links_its_open_data_from_every_page_and_has_the_files_ready(client):
    home = parse_ok(client.get("/"))
    footer_links = {link["href"]: link.get_text(strip=True) for link in home.select(".footer-nav a")}
    page = parse_ok(client.get("/opendata/"))
    downloads = {link["href"] for link in page.select("a[href$='.csv'], a[href$='.json']")}

    assert footer_links["/opendata/"] == "オープンデータ"
    assert {f"/opendata/{name}" for name in FILES} <= downloads
    assert client.get("/opendata/events.csv").status_code == 200
