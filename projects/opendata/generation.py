"""Build every open data file from the public records and store them with a new manifest."""

import dataclasses
import logging
import time

from django.utils import timezone

from home import frontend_cache, invalidation
from home.dates import TOKYO

from . import storage
from .datasets import DATASETS
from .terms import current_terms
from .writers import csv_bytes, json_bytes

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Generated:
    manifest: dict
    seconds: float


def generate_open_data():
    """Read the records once per dataset, write its CSV tables and its JSON file, replace the manifest.

    `generated_at` is the moment the records are read: the files show the content as of then.
    """
    started = time.monotonic()
    now = timezone.localtime(timezone.now(), TOKYO).replace(microsecond=0).isoformat()
    terms, context = current_terms()
    terms = dataclasses.replace(terms, generated_at=now)
    files = {}
    for dataset in DATASETS:
        records = dataset.records()
        outputs = [(table.filename, *csv_bytes(table, records, context)) for table in dataset.tables]
        outputs.append((dataset.json_filename, *json_bytes(dataset, records, terms)))
        for name, content, rows in outputs:
            entry = storage.store_file(name, content)
            files[name] = {**entry, "generated_at": now, "rows": rows, "dataset": dataset.key}
    manifest = {
        "generated_at": now,
        "license": {"name": terms.license_name, "url": terms.license_url},
        "attribution": terms.attribution,
        "files": files,
    }
    storage.replace_manifest(manifest)
    announce(files)
    seconds = time.monotonic() - started
    logger.info("Open data generated: %s files in %.2f s", len(files), seconds)
    return Generated(manifest, seconds)


def announce(files):
    """The page and its files show the new files: cached copies are dropped, the CDN is purged of them."""
    from projects.models import OpenDataPage
    from projects.models.opendata import OPEN_DATA_CACHE_KEY

    invalidation.replace_token(OPEN_DATA_CACHE_KEY)
    if not frontend_cache.configured():
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    for page in OpenDataPage.objects.live():
        batch.add_page(page)
        batch.add_urls([f"{page.full_url}{name}" for name in files])
    try:
        batch.purge()
    except Exception:
        logger.exception("Purging the open data from the frontend cache failed")
