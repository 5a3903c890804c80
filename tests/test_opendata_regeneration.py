"""When the open data files are made: by the task the worker runs after a change commits, once per
transaction, never while a visitor waits; the worker's sweep makes them when there are none."""

import pytest
from django.db import transaction
from django_tasks import default_task_backend
from wagtail import hooks

from projects.models import Registration
from tests.builders import build_catalog_tree, make_article, make_project
from tests.opendata_site import build_open_data_site, csv_rows

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def site(db, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_open_data_site(build_catalog_tree())


@pytest.fixture
def queue(settings):
    """A queue that keeps the tasks instead of running them."""
    settings.TASKS = DUMMY_TASKS
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def project_titles(client):
    return [row[1] for row in csv_rows(client.get("/opendata/projects.csv"))[1:]]


def regenerations(queue):
    return [result for result in queue.results if result.task.name == "regenerate_open_data"]


def test_publishing_a_change_regenerates_the_files_after_the_commit(
    client, site, django_capture_on_commit_callbacks
):
    assert "SNS発信" in project_titles(client)
    site.other_project.title = "SNS発信の強化"
    with django_capture_on_commit_callbacks(execute=True):
        site.other_project.save_revision().publish()
    assert "SNS発信の強化" in project_titles(client)
    with django_capture_on_commit_callbacks(execute=True):
        site.other_project.unpublish()
    assert "SNS発信の強化" not in project_titles(client)


def test_a_burst_of_publishes_in_one_transaction_queues_one_task(
    site, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for number in range(3):
            make_project(
                site.tree.projects, site.organization, slug=f"burst-{number}", title=f"まとめて{number}"
            )
    assert len(regenerations(queue)) == 1
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        site.project.save_revision().publish()
        site.other_project.save_revision().publish()
    assert len(regenerations(queue)) == 2


def test_a_rolled_back_transaction_queues_nothing_and_the_next_change_still_does(
    site, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            site.project.save_revision().publish()
            raise RuntimeError
        site.other_project.save_revision().publish()
    assert len(regenerations(queue)) == 1


def test_changes_the_files_do_not_show_queue_nothing(site, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_article(site.tree.news)
        Registration.objects.create(event=site.event, name="登録 太郎", email="taro@example.jp")
    assert regenerations(queue) == []


def test_visitors_never_cause_a_generation(client, site, queue):
    for path in ("/opendata/", "/opendata/projects.csv", "/opendata/events.json", "/opendata/missing.csv"):
        client.get(path)
    assert queue.results == []


def test_a_task_queued_before_the_last_generation_began_does_nothing(site):
    from projects.opendata.tasks import regenerate_open_data

    assert regenerate_open_data.call("2000-01-01T00:00:00+09:00") == "skipped"
    assert regenerate_open_data.call("2999-01-01T00:00:00+09:00") == "generated"


def test_the_workers_sweep_makes_the_files_when_there_are_none(client, tree, media_root):
    build_open_data_site(tree)
    assert client.get("/opendata/projects.csv").status_code == 404
    # What run_worker's sweep runs (its own sweep also closes the database connection, which a test keeps).
    for task in hooks.get_hooks("worker_sweep"):
        task()
    assert "SNS発信" in project_titles(client)
