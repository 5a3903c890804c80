"""Search reads local names as the 読み仮名辞書 does: a page about 由木 is found by ゆぎ, typed before
conversion as phone users do, although the analyzer reads 由木 as よしき. An entry 事務局 add, change or
delete in the admin reaches search once the worker has re-indexed the pages that hold it."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult
from wagtail.rich_text import RichText

from search import local_readings
from search.models import LocalReading
from search.vocabulary import vocabulary
from tests.builders import logged_in, make_standard_page, make_user

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LISTING = "/admin/snippets/search/localreading/"
REINDEX_TASK = "search.tasks.reindex_local_name_pages"


def page_saying(tree, text, slug, title="地域の活動"):
    return make_standard_page(
        tree.home, title=title, slug=slug, body=[("paragraph", RichText(f"<p>{text}</p>"))]
    )


def search(query):
    response = Client().get("/search/", {"q": query})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def found(query):
    results = search(query).find(id="results")
    return [link["href"] for link in results.select(".search-result__title a")] if results else []


def run_worker():
    """The worker's batch run, in this process (the tests that call it are transactional)."""
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def reindexing_tasks():
    return DBTaskResult.objects.filter(task_path=REINDEX_TASK)


@pytest.fixture
def office():
    return logged_in(make_user("jimu", "事務局"))


# The seeded dictionary: 由木 is ゆぎ


@pytest.fixture
def yugi(db, tree):
    return page_saying(tree, "八王子市由木地区で、毎月第二土曜日に清掃活動をしています。", slug="cleanup")


@pytest.mark.parametrize("query", ["ゆぎ", "ユギ", "ﾕｷﾞ", "ゆぎちく", "ゆぎちくで", "由木", "由木地区"])
def test_a_local_name_is_found_by_its_reading_and_as_written(yugi, query):
    assert found(query) == [yugi.url]


def test_the_analyzers_misreading_finds_nothing(yugi):
    assert found("よしきちく") == []


@pytest.mark.parametrize(("query", "marked"), [("ゆぎ", "由木"), ("ゆぎちく", "由木地区")])
def test_the_local_name_is_marked_in_the_excerpt(yugi, query, marked):
    marks = search(query).select(".search-result__text mark")

    assert marked in [mark.get_text() for mark in marks]


def test_a_short_reading_finds_only_the_names_read_that_way(tree, yugi):
    snow = page_saying(tree, "雪の日は行き先を変えます。", slug="snow")

    # ゆぎ loosened would be ゆき, as 雪 and 行き read: two kana look for the names read so, as written.
    assert found("ゆぎ") == [yugi.url]
    assert snow.url in found("ゆき")


@pytest.mark.parametrize("address", ["/search/", "/search/suggest/"])
def test_a_query_of_many_kana_terms_reads_the_dictionary_once(yugi, monkeypatch, address):
    reads = []
    keep_reading = local_readings.cached

    def counted(key, *args, **kwargs):
        reads.append(key)
        return keep_reading(key, *args, **kwargs)

    monkeypatch.setattr(local_readings, "cached", counted)
    terms = " ".join(["ゆぎ", "あ", "い", "う", "え", "お", "か", "き", "く", "け"])

    response = Client().get(address, {"q": terms})

    assert response.status_code == 200
    assert reads.count(local_readings.READINGS_KEY) == 1


def test_the_vocabulary_of_もしかして_reads_the_local_name_the_dictionarys_way(yugi):
    known = vocabulary()

    assert known.readings[known.keys.index("由木")] == "ゆぎ"
    assert known.readings[known.keys.index("由木地区")] == "ゆぎちく"


# Entries 事務局 add, change and delete


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_entry_the_office_adds_is_searched_once_the_worker_has_run_and_a_deleted_one_no_longer(
    tree, office
):
    hill = page_saying(tree, "石川町の里山を歩く会を開きます。", slug="satoyama")
    page_saying(tree, "高尾山の清掃活動に参加しました。", slug="takao")
    assert found("いしかわまち") == []
    assert found("いしかわちょう") == [hill.url]  # the analyzer's reading

    with override_settings(TASKS=DATABASE_QUEUE):
        response = office.post(
            f"{LISTING}add/", {"surface": "石川町", "reading": "いしかわまち", "kind": "place"}
        )
        assert response.status_code == 302
        assert found("いしかわまち") == []  # the index changes in the background, not in the request

        run_worker()

        assert found("いしかわまち") == [hill.url]
        assert found("いしかわちょう") == []
        # Only the page that holds the name was re-indexed.
        assert [task.return_value for task in reindexing_tasks()] == [1]

        entry = LocalReading.objects.get(surface="石川町")
        response = office.post(f"{LISTING}delete/{entry.pk}/")
        assert response.status_code == 302
        run_worker()

    assert found("いしかわまち") == []
    assert found("いしかわちょう") == [hill.url]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_changing_an_entrys_surface_rereads_the_pages_of_the_old_surface_and_of_the_new(tree, office):
    hill = page_saying(tree, "石川町の里山を歩く会を開きます。", slug="satoyama")
    grove = page_saying(tree, "柚木の里山で竹林を手入れします。", slug="bamboo")
    with override_settings(TASKS=DATABASE_QUEUE):
        entry = LocalReading.objects.create(surface="石川町", reading="いしかわまち")
        run_worker()
        assert found("いしかわまち") == [hill.url]
        assert found("ゆぎのさとやま") == []

        response = office.post(
            f"{LISTING}edit/{entry.pk}/", {"surface": "柚木", "reading": "ゆぎ", "kind": "place"}
        )
        assert response.status_code == 302
        run_worker()

        assert found("いしかわまち") == []
        assert found("いしかわちょう") == [hill.url]
        assert found("ゆぎのさとやま") == [grove.url]

        # A change of kind alone reads nothing differently: nothing is queued.
        queued = reindexing_tasks().count()
        response = office.post(
            f"{LISTING}edit/{entry.pk}/", {"surface": "柚木", "reading": "ゆぎ", "kind": "organization"}
        )
        assert response.status_code == 302
        assert reindexing_tasks().count() == queued
