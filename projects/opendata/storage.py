"""The generated files in Django's default storage, under `opendata/`, and the manifest that names them.

Each file is stored under a name made from its content (`opendata/files/projects-<sha256>.csv`), so a new
version is written completely beside the old one; the manifest (`opendata/manifest.json`) is then replaced
in one step, and only then are files that neither the new nor the previous manifest names deleted. A
request that read the previous manifest still finds its files.

The manifest: {"generated_at": ISO, "files": {name: {"name", "bytes", "sha256", "generated_at", "rows",
"stored_as"}}}.
"""

import contextlib
import datetime
import hashlib
import json
import os
import tempfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

ROOT = "opendata"
MANIFEST = f"{ROOT}/manifest.json"
FILES = f"{ROOT}/files"


def read_manifest():
    """The current manifest, or None while nothing has been generated (or it cannot be read)."""
    try:
        with default_storage.open(MANIFEST, "rb") as handle:
            manifest = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return None
    return manifest


def read_file(entry):
    """The bytes of one manifest entry, or None when the file is gone."""
    try:
        with default_storage.open(entry["stored_as"], "rb") as handle:
            return handle.read()
    except OSError:
        return None


def store_file(name, content):
    """Store `content` (bytes) for the file `name`; its manifest entry without the generation's fields."""
    digest = hashlib.sha256(content).hexdigest()
    stem, _, extension = name.rpartition(".")
    stored_as = f"{FILES}/{stem}-{digest}.{extension}"
    if not default_storage.exists(stored_as):
        default_storage.save(stored_as, ContentFile(content))
    return {"name": name, "bytes": len(content), "sha256": digest, "stored_as": stored_as}


def replace_manifest(manifest):
    """Make `manifest` the current one, then delete files that neither it nor the previous one names."""
    previous = read_manifest()
    _replace(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    keep = {entry["stored_as"] for entry in manifest["files"].values()}
    if previous:
        keep |= {entry.get("stored_as") for entry in previous["files"].values()}
    with contextlib.suppress(OSError):
        for filename in default_storage.listdir(FILES)[1]:
            path = f"{FILES}/{filename}"
            if path not in keep:
                default_storage.delete(path)


def _replace(name, content):
    """Write `name` in one step: a rename on a local disk; a single upload on object storage."""
    try:
        target = default_storage.path(name)
    except NotImplementedError:
        default_storage.delete(name)
        default_storage.save(name, ContentFile(content))
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".manifest-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise


def generated_at(entry):
    """An entry's generation time as an aware datetime."""
    return datetime.datetime.fromisoformat(entry["generated_at"])
