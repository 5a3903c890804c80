"""Which analysis chain to index and query with, measured: recall and MRR per kind of query (the search
evaluation set), index size and indexing time, for the bigrams alone and for each form added to them.

Run from the repository root: `.venv/bin/python benchmarks/analysis.py` (SQLite, a throwaway database per
chain). docs/search.md reports the figures.
"""

import os
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# name -> (forms of an indexed text, forms of a query term, synonyms on)
CHAINS = {
    "bigrams only": ({"written"}, {"written"}, False),
    "+ normalized spelling": ({"written", "normalized"}, {"written", "normalized"}, False),
    "+ loosened reading": ({"written", "reading"}, {"written", "loose"}, False),
    "+ both": ({"written", "normalized", "reading"}, {"written", "normalized", "loose"}, False),
    "+ both + synonyms (the site)": (
        {"written", "normalized", "reading"},
        {"written", "normalized", "loose"},
        True,
    ),
}


def restricted(analysis, text_forms, term_forms, synonyms):
    """The analysis module's functions limited to the named forms."""
    from search.morphology import normalized_spelling, words
    from search.text import is_kana, loose, normalize

    def index_forms(text):
        analyzed = words(text)
        candidates = {
            "written": normalize(text),
            "normalized": normalize("".join(word.normalized for word in analyzed)),
            "reading": loose(normalize("".join(word.reading for word in analyzed))),
        }
        forms = []
        for name in ("written", "normalized", "reading"):
            if name in text_forms and candidates[name] not in forms:
                forms.append(candidates[name])
        return forms

    def query_forms(spelling, *, typed=True):
        written = normalize(spelling)
        forms = [written]
        if "normalized" in term_forms:
            forms.append(normalize(normalized_spelling(spelling)))
        if "loose" in term_forms and typed and is_kana(written) and len(loose(written)) >= 3:
            forms.append(loose(written))
        return forms

    analysis.text_forms = index_forms
    analysis._term_forms = query_forms
    if not synonyms:
        analysis.synonym_spellings = lambda term: []


def index_size(connection):
    with connection.cursor() as cursor:
        # Merged FTS5 segments: the size of the index itself, without rows replaced by update_index.
        fts = "wagtailsearch_indexentry_fts"
        cursor.execute(f"INSERT INTO {fts}({fts}) VALUES('optimize')")
        cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'wagtailsearch_indexentry%'")
        return cursor.fetchone()[0] or 0


def measure(chain):
    import importlib

    from django.core.management import call_command
    from django.db import connection

    from search import analysis
    from search.eval import evaluate, evaluate_suggestions, load_queries, site_search_urls, site_suggestion

    # Reloading runs the module again in the same namespace, so the backend's references to its
    # functions see the originals restored, then restricted.
    importlib.reload(analysis)
    restricted(analysis, *CHAINS[chain])
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo", verbosity=0, stdout=StringIO())
        started = time.perf_counter()
        call_command("update_index", verbosity=0, stdout=StringIO())
        indexed_in = time.perf_counter() - started
        size = index_size(connection)
        queries = load_queries()
        started = time.perf_counter()
        report = evaluate(queries, site_search_urls)
        searched_in = (time.perf_counter() - started) / len(queries) * 1000
        suggestions = evaluate_suggestions(queries, site_suggestion)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
    return report, suggestions, indexed_in, size, searched_in


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    os.environ.setdefault("DATABASE_URL", "sqlite:///analysis-benchmark.sqlite3")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    print("| chain | basic recall / MRR | new recall / MRR | typos | update_index | index | query |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for chain in CHAINS:
        report, suggestions, indexed_in, size, searched_in = measure(chain)
        groups = {group.name: group for group in report.groups()}
        basic, new = groups["basic"], groups["new"]
        print(
            f"| {chain} | {basic.recall:.3f} / {basic.mrr:.3f} | {new.recall:.3f} / {new.mrr:.3f} "
            f"| {suggestions.rate:.2f} | {indexed_in:.1f} s | {size / 1_000_000:.2f} MB "
            f"| {searched_in:.1f} ms |",
            flush=True,
        )


if __name__ == "__main__":
    main()
