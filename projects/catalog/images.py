"""Images named in a catalog: read from the file's folder on import, copied out beside the file on export."""

import re
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.images.utils import get_allowed_image_extensions
from wagtail.utils.file import hash_filelike

from .schema import IMAGE_FOLDER
from .values import InvalidValue, shown


@dataclass(frozen=True)
class ImageSource:
    """An image file named in the catalog, checked and hashed before anything is written."""

    path: Path
    sha1: str
    size: int

    @property
    def title(self):
        return self.path.stem[:255]


def read_image_source(raw, base_dir):
    """Check an image path from the file: relative to the file's folder, inside it, and a real image."""
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidValue(f"画像ファイルのパスを文字列で指定してください({shown(raw)})。")
    if base_dir is None:
        raise InvalidValue(
            "画像を読み込むフォルダが分かりません。JSONファイルのパスを指定して取り込んでください。"
        )
    relative = PurePosixPath(raw)
    if relative.is_absolute() or ".." in relative.parts:
        raise InvalidValue(
            f"画像のパスはJSONファイルのあるフォルダからの相対パスで指定してください({shown(raw)})。"
        )
    path = Path(base_dir, *relative.parts)
    if not path.is_file():
        raise InvalidValue(f"画像ファイル {shown(raw)} が見つかりません。")
    extensions = get_allowed_image_extensions()
    if path.suffix.lower().lstrip(".") not in extensions:
        raise InvalidValue(
            f"画像ファイル {shown(raw)} の形式は使えません(使える形式: {', '.join(extensions)})。"
        )
    try:
        with PillowImage.open(path) as image:
            image.verify()
    except Exception:  # Pillow raises many kinds of error for a broken or foreign file.
        raise InvalidValue(f"画像ファイル {shown(raw)} を画像として読み込めません。") from None
    with path.open("rb") as file:
        sha1 = hash_filelike(file)
    return ImageSource(path=path, sha1=sha1, size=path.stat().st_size)


class ImageStore:
    """The Wagtail image for each image source: an existing one with the same content, else a new one."""

    def __init__(self):
        self._by_hash = {}
        self._new = []

    def image_for(self, source):
        if source.sha1 not in self._by_hash:
            self._by_hash[source.sha1] = self._existing(source) or self._create(source)
        return self._by_hash[source.sha1]

    def _existing(self, source):
        return get_image_model().objects.filter(file_hash=source.sha1).order_by("pk").first()

    def _create(self, source):
        with source.path.open("rb") as file:
            image = get_image_model()(
                title=source.title,
                file=ImageFile(file, name=source.path.name),
                file_size=source.size,
                file_hash=source.sha1,
            )
            image.save()
        self._new.append(image)
        return image

    def discard_new_files(self):
        """Remove the stored files of new images whose rows were rolled back (dry run or failed import)."""
        for image in self._new:
            image.file.storage.delete(image.file.name)
        self._new.clear()
        self._by_hash.clear()


class ImageExport:
    """Copies each exported image once into the image folder, under a name made from its title."""

    def __init__(self, image_dir):
        self.image_dir = Path(image_dir)
        self._names = {}
        self._taken = set()

    def path_for(self, image):
        if image.pk not in self._names:
            name = self._free_name(image)
            self.image_dir.mkdir(parents=True, exist_ok=True)
            with image.open_file() as source, (self.image_dir / name).open("wb") as target:
                shutil.copyfileobj(source, target)
            self._names[image.pk] = name
        return f"{IMAGE_FOLDER}/{self._names[image.pk]}"

    def _free_name(self, image):
        # Named after the title rather than the stored file, whose name the storage may have suffixed:
        # the import sets the title from the file name, so the name survives a round trip.
        stem = re.sub(r"[^\w.-]+", "-", image.title).strip("-.")[:100] or "image"
        extension = PurePosixPath(image.file.name).suffix.lower()
        name = f"{stem}{extension}"
        if name in self._taken:
            name = f"{stem}-{self._content_hash(image)[:8]}{extension}"
        self._taken.add(name)
        return name

    def _content_hash(self, image):
        # Images uploaded before Wagtail kept hashes have none stored; hash the file without saving.
        if image.file_hash:
            return image.file_hash
        with image.open_file() as file:
            return hash_filelike(file)
