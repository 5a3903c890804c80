"""Importing a catalog: read the JSON file, check all of it, then write all of it in one transaction."""

import json
from pathlib import Path

from django.db import transaction

from .errors import CatalogError
from .images import ImageStore
from .report import ImportReport
from .validation import validate_catalog
from .writer import write_catalog

__all__ = ["CatalogError", "ImportReport", "import_catalog", "load_catalog_file"]


def load_catalog_file(path):
    """The parsed JSON of a catalog file; CatalogError when it cannot be read or is not JSON."""
    path = Path(path)
    try:
        # utf-8-sig: spreadsheet tools often put a byte order mark at the start.
        content = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogError([f"{path}: ファイルが見つかりません。"]) from None
    except UnicodeDecodeError:
        raise CatalogError([f"{path}: UTF-8 のテキストとして読み込めません。"]) from None
    except OSError as error:
        raise CatalogError([f"{path}: ファイルを読み込めません({error.strerror})。"]) from None
    try:
        return json.loads(content)
    except json.JSONDecodeError as error:
        raise CatalogError(
            [f"{path}: JSONの形式が正しくありません({error.lineno}行目 {error.colno}文字目: {error.msg})。"]
        ) from None


def import_catalog(data, *, base_dir=None, dry_run=False):
    """Create or update everything in `data`; images are read relative to `base_dir`.

    Raises CatalogError, having written nothing, when anything in `data` is wrong. With `dry_run` the
    writes happen inside a transaction that is rolled back, so the report is exact and nothing stays.
    """
    catalog = validate_catalog(data, base_dir=Path(base_dir) if base_dir else None)
    report = ImportReport(dry_run=dry_run, warnings=catalog.warnings)
    images = ImageStore()
    try:
        with transaction.atomic():
            write_catalog(catalog, images, report)
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        images.discard_new_files()
        raise
    if dry_run:
        images.discard_new_files()
    return report
