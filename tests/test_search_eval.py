"""The search evaluation set (search/eval/queries.json) over the demo content meets its targets on this
database, and the set itself is well formed.

Targets, each its own test so that a failure says which: the basic queries recall@10 ≥ 0.95 and MRR ≥ 0.85;
the new kinds together (variants, readings, loanwords, long vowels, abbreviations, typos) recall@10 ≥ 0.90
and MRR ≥ 0.80; and for ≥ 90% of the typo queries a 「もしかして」 suggestion that finds the page meant.
Run them all with `pytest -k eval tests/test_search_eval.py`.
"""

from collections import Counter

import pytest

from search.eval import (
    BASIC,
    KINDS,
    NEW,
    NEW_KINDS,
    SUGGESTION_TARGET,
    TARGETS,
    TYPO,
    QueryResult,
    Report,
    SuggestionReport,
    SuggestionResult,
    evaluate,
    evaluate_suggestions,
    kind_of,
    load_queries,
    site_search_urls,
    site_suggestion,
)
from search.site_search import searchable_pages

MIN_NEW_QUERIES = 60
MIN_PER_KIND = 8


@pytest.mark.django_db
@pytest.mark.demo
def test_eval_basic_queries_meet_their_targets():
    report = evaluate(load_queries(kinds={BASIC}), site_search_urls).groups()[0]

    recall, mrr, explained = report.recall, report.mrr, report.summary() + "\n" + report.details()

    assert report.name == BASIC
    assert len(report.results) >= 66
    assert recall >= TARGETS[BASIC].recall, explained
    assert mrr >= TARGETS[BASIC].mrr, explained


@pytest.mark.django_db
@pytest.mark.demo
def test_eval_new_queries_meet_their_targets():
    """Variants, readings, loanwords, long vowels, abbreviations and typos, judged on what /search/ shows
    (for a typo that finds nothing itself, the results of its suggestion)."""
    report = evaluate(load_queries(kinds=set(NEW_KINDS)), site_search_urls)
    new = report.groups()[0]
    recall, mrr = new.recall, new.mrr
    explained = "\n".join(
        [new.summary()] + [f"{kind.name}: {kind.summary()}\n{kind.details()}" for kind in report.by_kind()]
    )

    assert new.name == NEW
    assert len(new.results) >= MIN_NEW_QUERIES
    assert recall >= TARGETS[NEW].recall, explained
    assert mrr >= TARGETS[NEW].mrr, explained


@pytest.mark.django_db
@pytest.mark.demo
def test_eval_typo_suggestions_lead_to_the_intended_page():
    report = evaluate_suggestions(load_queries(kinds={TYPO}), site_suggestion)
    rate = report.rate

    assert len(report.results) >= MIN_PER_KIND
    assert rate >= SUGGESTION_TARGET, report.summary() + "\n" + report.details()


@pytest.mark.django_db
@pytest.mark.demo
def test_eval_every_expected_page_is_a_live_public_page_of_the_demo():
    live_public = {page.get_url() for page in searchable_pages()}

    for item in load_queries():
        assert set(item["relevant"]) <= live_public, item


@pytest.mark.django_db
@pytest.mark.demo
def test_eval_the_query_each_typo_meant_finds_the_intended_page():
    """The typo target is reachable: searching the query the visitor meant finds the page they wanted."""
    for item in load_queries(kinds={TYPO}):
        assert item["relevant"][0] in site_search_urls(item["intended"]), item


def test_eval_set_has_at_least_60_new_queries_and_8_of_each_kind():
    kinds = Counter(kind_of(item) for item in load_queries())

    assert sum(kinds[kind] for kind in NEW_KINDS) >= MIN_NEW_QUERIES, kinds
    assert all(kinds[kind] >= MIN_PER_KIND for kind in NEW_KINDS), kinds
    assert set(kinds) <= set(KINDS), kinds


def test_eval_every_query_names_the_pages_it_must_find_and_why():
    for item in load_queries():
        assert item["q"].strip(), item
        assert item["relevant"], item
        assert len(set(item["relevant"])) == len(item["relevant"]), item
        assert all(url.startswith("/") and url.endswith("/") for url in item["relevant"]), item
        assert item.get("why", "").strip(), item


def test_eval_every_typo_query_names_the_query_meant():
    typos = load_queries(kinds={TYPO})

    assert typos
    for item in typos:
        assert item.get("intended", "").strip(), item
        assert item["intended"] != item["q"], item
    assert all("intended" not in item for item in load_queries() if kind_of(item) != TYPO)


def test_eval_no_query_is_there_twice():
    counts = Counter(item["q"].strip() for item in load_queries())

    assert [query for query, count in counts.items() if count > 1] == []


def test_eval_scores_recall_rank_and_suggestions():
    """The harness's arithmetic, on hand-made results."""
    report = Report(
        [
            QueryResult("a", ["/a/", "/b/"], ["/x/", "/a/", "/b/"], BASIC),
            QueryResult("b", ["/c/"], [], "variant"),
        ]
    )
    suggestions = SuggestionReport(
        [
            SuggestionResult("typo", "/a/", "fixed", ["/a/"]),
            SuggestionResult("typo2", "/a/", None, []),
            SuggestionResult("typo3", "/a/", "wrong", ["/b/"]),
        ]
    )

    basic, new = report.groups()
    assert (basic.recall, basic.mrr, new.recall, new.mrr) == (1.0, 0.5, 0.0, 0.0)
    assert not basic.meets_target and not new.meets_target
    assert [kind.name for kind in report.by_kind()] == [BASIC, "variant"]
    assert suggestions.rate == pytest.approx(1 / 3)
    assert [result.query for result in suggestions.failures()] == ["typo2", "typo3"]
