"""Which segmentation finds more of what people type: the site's analysis (character bigrams of each form
of a text) or words from a morphological analyzer (Janome) alone, measured by the search evaluation set
on SQLite. benchmarks/analysis.py compares the forms of the site's chain.

Run from the repository root after `.venv/bin/pip install janome` (not a dependency of the site):
`.venv/bin/python benchmarks/segmenters.py`. docs/search.md reports the figures.
"""

import os
import sys
import tempfile
import time
import unicodedata
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def janome_segmenter():
    """index_text and query_phrases built on Janome's words instead of bigrams."""
    from janome.tokenizer import Tokenizer

    from search import text

    tokenizer = Tokenizer()

    def words(value):
        # Janome reads katakana better unfolded: it sees NFKC, case-folded text; each word is then normalized.
        prepared = unicodedata.normalize("NFKC", value).casefold()
        surfaces = (token.surface for token in tokenizer.tokenize(prepared))
        return [text.normalize(surface) for surface in surfaces if any(map(text._char_class, surface))]

    def index_text(value):
        return " ".join(word for raw in words(value) for _, word in text.runs(raw))

    def query_phrases(query, *, last_is_prefix=False):
        phrases = []
        for term in query.split():
            tokens = tuple(word for raw in words(term) for _, word in text.runs(raw))
            if tokens:
                # The last word may be a prefix: the generous reading, so that 探し finds 探す's forms.
                phrases.append(text.QueryPhrase(tokens, prefix=True))
        return list(dict.fromkeys(phrases))

    return index_text, query_phrases


def measure(name, patch):
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'segmenters.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from search.backend import common, sqlite
    from search.eval import evaluate, load_queries, site_search_urls

    if patch:
        index_text, query_phrases = patch()
        sqlite.index_text, common.query_phrases = index_text, query_phrases

        def query_alternatives(query, *, last_is_prefix=False):
            # One alternative per term: the analyzer's words, without other spellings.
            return [[phrase] for phrase in query_phrases(query, last_is_prefix=last_is_prefix)]

        common.query_alternatives = query_alternatives
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command("load_demo", stdout=StringIO())
    loaded = time.perf_counter() - started
    report = evaluate(load_queries(), site_search_urls)
    print(f"{name:>8}: {report.summary()}; demo loaded and indexed in {loaded:.1f} s")
    print(report.details())
    found, total = substrings_found()
    print(f"{'':>8}  two-character pieces of organization and project titles found: {found}/{total}")


def substrings_found():
    """Every two kanji/kana in a row of an organization or project title, searched: is that page found?"""
    from projects.models import OrganizationPage, ProjectPage
    from search import text
    from search.site_search import search_pages

    found = total = 0
    for page in [*OrganizationPage.objects.live(), *ProjectPage.objects.live()]:
        pieces = {
            run[i : i + 2]
            for run_class, run in text.runs(page.title)
            if run_class == "cjk"
            for i in range(len(run) - 1)
        }
        for piece in sorted(pieces):
            total += 1
            found += page.pk in {result.pk for result in search_pages(piece)}
    return found, total


if __name__ == "__main__":
    if len(sys.argv) > 1:
        measure(sys.argv[1], janome_segmenter if sys.argv[1] == "janome" else None)
    else:
        import subprocess

        for name in ("site", "janome"):
            subprocess.run([sys.executable, __file__, name], check=True)
