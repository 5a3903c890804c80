"""The search evaluation set: realistic queries over the demo content, with the pages each must find.

Each query has a `kind`: `basic` for the first set (parts of names, themes, width and kana variants…), and
the kinds of spelling people actually type (variants, kana readings, loanwords, long vowels and small kana,
abbreviations, one-character typos). The basic set and the new kinds together have targets of their own;
typos are also judged on their 「もしかして」 suggestion.

`python -m search.eval` prints recall@10 and MRR per kind; tests/test_search_eval.py holds the site to the
targets.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

QUERIES_FILE = Path(__file__).with_name("queries.json")
CUTOFF = 10

BASIC = "basic"
TYPO = "typo"
# The kinds of the new queries, in the order the summary prints them.
NEW_KINDS = ("variant", "reading", "loanword", "long_vowel", "abbreviation", TYPO)
KINDS = (BASIC, *NEW_KINDS)
NEW = "new"  # every kind but basic, as one group


@dataclass(frozen=True)
class Target:
    recall: float
    mrr: float

    def __str__(self):
        return f"recall ≥ {self.recall:.2f}, MRR ≥ {self.mrr:.2f}"


TARGETS = {BASIC: Target(recall=0.95, mrr=0.85), NEW: Target(recall=0.90, mrr=0.80)}
# Share of the typo queries whose suggestion, searched, finds the page the visitor meant.
SUGGESTION_TARGET = 0.9


@dataclass
class QueryResult:
    query: str
    relevant: list
    found: list
    kind: str = BASIC

    @property
    def recall(self):
        top = set(self.found[:CUTOFF])
        return sum(url in top for url in self.relevant) / len(self.relevant)

    @property
    def reciprocal_rank(self):
        for rank, url in enumerate(self.found[:CUTOFF], start=1):
            if url in self.relevant:
                return 1 / rank
        return 0.0

    @property
    def missing(self):
        top = set(self.found[:CUTOFF])
        return [url for url in self.relevant if url not in top]


@dataclass
class Report:
    """The results of a group of queries, with the group's target when it has one."""

    results: list = field(default_factory=list)
    name: str = "all"
    target: Target | None = None

    @property
    def recall(self):
        return _mean(result.recall for result in self.results)

    @property
    def mrr(self):
        return _mean(result.reciprocal_rank for result in self.results)

    @property
    def meets_target(self):
        return self.target is None or (self.recall >= self.target.recall and self.mrr >= self.target.mrr)

    def of_kinds(self, name, kinds, target=None):
        return Report([result for result in self.results if result.kind in kinds], name, target)

    def groups(self):
        """The reports the targets apply to, those with queries: the basic set, and all the new kinds
        together."""
        groups = [
            self.of_kinds(BASIC, {BASIC}, TARGETS[BASIC]),
            self.of_kinds(NEW, set(NEW_KINDS), TARGETS[NEW]),
        ]
        return [group for group in groups if group.results]

    def by_kind(self):
        """One report per kind present, in the order of KINDS."""
        present = {result.kind for result in self.results}
        return [self.of_kinds(kind, {kind}) for kind in KINDS if kind in present]

    def imperfect(self):
        return [result for result in self.results if result.recall < 1 or result.reciprocal_rank < 1]

    def summary(self):
        line = f"recall@{CUTOFF} {self.recall:.3f}  MRR {self.mrr:.3f}  ({len(self.results)} queries)"
        if self.target:
            line += f"  target {self.target}: {'met' if self.meets_target else 'NOT MET'}"
        return line

    def details(self):
        return "\n".join(
            f"  {result.query!r}: RR {result.reciprocal_rank:.2f}, missing {result.missing}, "
            f"top 3 {result.found[:3]}"
            for result in self.imperfect()
        )


@dataclass
class SuggestionResult:
    query: str
    intended_page: str  # the first relevant URL: the page the visitor was looking for
    suggestion: str | None
    found: list  # the suggestion's own results, best first

    @property
    def leads_to_intended(self):
        return self.suggestion is not None and self.intended_page in self.found[:CUTOFF]


@dataclass
class SuggestionReport:
    """Whether each typo query's 「もしかして」 suggestion leads to the page the visitor meant."""

    results: list = field(default_factory=list)

    @property
    def rate(self):
        return _mean(result.leads_to_intended for result in self.results)

    @property
    def meets_target(self):
        return self.rate >= SUGGESTION_TARGET

    def failures(self):
        return [result for result in self.results if not result.leads_to_intended]

    def summary(self):
        led = sum(result.leads_to_intended for result in self.results)
        return (
            f"suggestion leads to the intended page: {self.rate:.3f} ({led}/{len(self.results)} typo queries)"
            f"  target ≥ {SUGGESTION_TARGET:.2f}: {'met' if self.meets_target else 'NOT MET'}"
        )

    def details(self):
        return "\n".join(
            f"  {result.query!r}: suggestion {result.suggestion!r}, intended {result.intended_page}, "
            f"suggestion's top 3 {result.found[:3]}"
            for result in self.failures()
        )


def _mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def load_queries(path=QUERIES_FILE, kinds=None):
    """The queries of the evaluation set, only those of the given kinds when kinds is given."""
    with open(path, encoding="utf-8") as queries_file:
        queries = json.load(queries_file)["queries"]
    return [item for item in queries if kinds is None or kind_of(item) in kinds]


def kind_of(item):
    return item.get("kind", BASIC)


def evaluate(queries, search):
    """Run every query through `search(query) -> list of result URLs, best first`."""
    return Report(
        [QueryResult(item["q"], item["relevant"], search(item["q"]), kind_of(item)) for item in queries]
    )


def evaluate_suggestions(queries, suggest):
    """Run every typo query through `suggest(query) -> (suggestion or None, the suggestion's result URLs)`."""
    results = []
    for item in queries:
        if kind_of(item) == TYPO:
            suggestion, found = suggest(item["q"])
            results.append(SuggestionResult(item["q"], item["relevant"][0], suggestion, found))
    return SuggestionReport(results)


def _urls(outcome):
    return [page.get_url() for page in outcome.pages[:CUTOFF]]


def site_search_urls(query):
    """The top results of the site's own search, as /search/ shows them: when the query finds nothing and
    a suggestion does, those of the suggestion."""
    from search.site_search import run_search

    return _urls(run_search(query))


def site_suggestion(query):
    """The site's 「もしかして」 suggestion for the query, and the top results of searching it."""
    from search.site_search import run_search

    suggestion = run_search(query).suggestion
    if not suggestion:
        return None, []
    return suggestion, _urls(run_search(suggestion))
