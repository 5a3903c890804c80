"""The search evaluation set: realistic queries over the demo content, with the pages each must find.

`python -m search.eval` prints recall@10 and MRR; tests/test_search_eval.py holds the site to the targets.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

QUERIES_FILE = Path(__file__).with_name("queries.json")
CUTOFF = 10
RECALL_TARGET = 0.95
MRR_TARGET = 0.85


@dataclass
class QueryResult:
    query: str
    relevant: list
    found: list

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
    results: list = field(default_factory=list)

    @property
    def recall(self):
        return sum(result.recall for result in self.results) / len(self.results)

    @property
    def mrr(self):
        return sum(result.reciprocal_rank for result in self.results) / len(self.results)

    @property
    def meets_targets(self):
        return self.recall >= RECALL_TARGET and self.mrr >= MRR_TARGET

    def imperfect(self):
        return [result for result in self.results if result.recall < 1 or result.reciprocal_rank < 1]

    def summary(self):
        return f"recall@{CUTOFF} {self.recall:.3f}  MRR {self.mrr:.3f}  ({len(self.results)} queries)"

    def details(self):
        lines = []
        for result in self.imperfect():
            lines.append(
                f"  {result.query!r}: RR {result.reciprocal_rank:.2f}, missing {result.missing}, "
                f"top 3 {result.found[:3]}"
            )
        return "\n".join(lines)


def load_queries(path=QUERIES_FILE):
    with open(path, encoding="utf-8") as queries_file:
        return json.load(queries_file)["queries"]


def evaluate(queries, search):
    """Run every query through `search(query) -> list of result URLs, best first`."""
    return Report([QueryResult(item["q"], item["relevant"], search(item["q"])) for item in queries])


def site_search_urls(query):
    from search.site_search import search_pages

    return [page.get_url() for page in search_pages(query)[:CUTOFF]]
