"""Catalog files for import_catalog and export_catalog: the example, a file written from data, a PNG."""

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from PIL import Image as PillowImage

EXAMPLE_PATH = Path(__file__).parent / "fixtures" / "catalog-example.json"


def example():
    return json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))


def write_catalog(folder, data):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "catalog.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def write_png(path, color=(200, 40, 40)):
    path.parent.mkdir(parents=True, exist_ok=True)
    PillowImage.new("RGB", (8, 8), color).save(path, format="PNG")
    return path


def import_file(path, *args):
    """Run the command; returns (stdout, stderr)."""
    stdout, stderr = StringIO(), StringIO()
    call_command("import_catalog", str(path), *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()
