"""The search evaluation set (search/eval/queries.json) over the demo content meets its targets on this
database: recall@10 ≥ 0.95 and MRR ≥ 0.85."""

import pytest

from search.eval import MRR_TARGET, RECALL_TARGET, evaluate, load_queries, site_search_urls


@pytest.mark.django_db
@pytest.mark.demo
def test_search_meets_the_evaluation_targets():
    queries = load_queries()

    report = evaluate(queries, site_search_urls)

    assert len(queries) >= 40
    assert report.recall >= RECALL_TARGET, report.summary() + "\n" + report.details()
    assert report.mrr >= MRR_TARGET, report.summary() + "\n" + report.details()


def test_every_query_names_the_pages_it_must_find():
    for item in load_queries():
        assert item["q"].strip(), item
        assert item["relevant"], item
        assert all(url.startswith("/") and url.endswith("/") for url in item["relevant"]), item
