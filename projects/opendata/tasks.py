"""The open data's task on Django's task queue: regenerate every file, run by the worker."""

import datetime

from django_tasks import task

from . import storage
from .generation import generate_open_data


@task()
def regenerate_open_data(requested_at=None):
    """Regenerate the files unless a generation that started after `requested_at` (ISO) already made them:
    several changes committed before the worker gets to them cost one generation."""
    if requested_at:
        manifest = storage.read_manifest()
        if manifest and datetime.datetime.fromisoformat(manifest["generated_at"]) > (
            datetime.datetime.fromisoformat(requested_at)
        ):
            return "skipped"
    generate_open_data()
    return "generated"
