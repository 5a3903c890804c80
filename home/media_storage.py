"""Uploaded files on this server's disk (MEDIA_ROOT): a write that fails halfway, on a full disk above all,
leaves no partial file behind.

Django's FileSystemStorage writes an upload in chunks and, when a write fails, leaves the bytes written so
far under the file's name. Nothing points at them (the model's row is saved after its file), but they use
the space that ran out and look like a real upload in the media folder and its backups.
"""

import contextlib
import os

from django.core.files.storage import FileSystemStorage


class MediaFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        # `name` comes from get_available_name: a file under it is the one this write creates.
        existed = self.exists(name)
        try:
            return super()._save(name, content)
        except OSError:
            if not existed:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(self.path(name))
            raise
