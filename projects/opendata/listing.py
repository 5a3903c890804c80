"""What the /opendata/ page shows and serves: the datasets with their files as the manifest lists them, and
one file's response."""

from dataclasses import dataclass

from django.http import Http404, HttpResponse

from home.last_modified import set_last_modified

from . import storage
from .datasets import CONTENT_TYPES, CSV, DATASETS, FILENAMES, file_format

# The name of a file route longer than this is never one of ours (and is not looked up).
MAX_FILENAME_LENGTH = 40
FORMAT_LABELS = {CSV: "CSV", "json": "JSON"}


@dataclass(frozen=True)
class FileView:
    name: str
    format: str
    bytes: int
    rows: int
    title: str

    @property
    def format_label(self):
        return FORMAT_LABELS[self.format]


@dataclass(frozen=True)
class DatasetView:
    dataset: object
    files: list
    updated_at: object  # aware datetime, or None while not generated

    @property
    def ready(self):
        return bool(self.files)


def dataset_views(manifest):
    """Each dataset with the files the manifest lists for it (none while not generated yet)."""
    entries = (manifest or {}).get("files", {})
    views = []
    for dataset in DATASETS:
        titles = {table.filename: table.title for table in dataset.tables}
        titles[dataset.json_filename] = f"{dataset.title}(JSON)"
        files = [
            FileView(
                name=name,
                format=file_format(name),
                bytes=entries[name]["bytes"],
                rows=entries[name]["rows"],
                title=titles[name],
            )
            for name in dataset.filenames
            if name in entries
        ]
        updated = max(
            (storage.generated_at(entries[name]) for name in dataset.filenames if name in entries),
            default=None,
        )
        views.append(DatasetView(dataset=dataset, files=files, updated_at=updated))
    return views


def file_response(filename):
    """The stored file `filename` as a download; Http404 for any other name, or while it is not generated."""
    if len(filename) > MAX_FILENAME_LENGTH or filename not in FILENAMES:
        raise Http404("このファイルはありません。")
    manifest = storage.read_manifest()
    entry = (manifest or {}).get("files", {}).get(filename)
    content = storage.read_file(entry) if entry else None
    if content is None:
        raise Http404("このファイルは準備中です。")
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format(filename)])
    # Two generations within one second share an HTTP date; the remembered date moves on with the bytes.
    set_last_modified(response, f"opendata:{filename}", storage.generated_at(entry))
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
