"""Checks a whole catalog before anything is written, collecting every error with its record and key."""

from projects.models import FACETS, FACETS_BY_KEY, OrganizationIndexPage, ProjectIndexPage
from projects.models.projects import RESERVED_SLUGS

from . import schema, tree
from .errors import CatalogError, Problems
from .images import read_image_source
from .records import (
    KEEP,
    Catalog,
    EventRecord,
    OrganizationRecord,
    ProgressEntry,
    ProjectRecord,
    TermRecord,
)
from .values import InvalidValue, is_blank, shown

_INVALID = object()


def validate_catalog(data, *, base_dir=None):
    """A Catalog of typed records, or CatalogError listing every problem. Reads the database, never writes."""
    _check_envelope(data)
    return _CatalogValidator(base_dir).validate(data)


def _check_envelope(data):
    # Without an object of the right version the rest of the file cannot be read sensibly, so stop here.
    if not isinstance(data, dict):
        raise CatalogError(["カタログの最上位はオブジェクト({ ... })にしてください。"])
    if "version" not in data:
        raise CatalogError([f"version: 必須の項目がありません({schema.FORMAT_VERSION} を指定してください)。"])
    version = data["version"]
    if type(version) is not int or version != schema.FORMAT_VERSION:
        raise CatalogError(
            [
                f"version: 対応していない形式のバージョン {shown(version)} です"
                f"(対応しているのは {schema.FORMAT_VERSION} です)。"
            ]
        )


def _where(section, index, raw):
    """How a record is named in messages: its position, and its slug when it has one."""
    slug = raw.get("slug") if isinstance(raw, dict) else None
    if isinstance(slug, str) and slug.strip():
        return f"{section}[{index}]({slug})"
    return f"{section}[{index}]"


class _CatalogValidator:
    def __init__(self, base_dir):
        self.base_dir = base_dir
        self.problems = Problems()
        # Slugs a reference may name: those already in the database, plus those read from the file so far.
        self.known_terms = {
            facet.key: set(facet.model.objects.values_list("slug", flat=True)) for facet in FACETS
        }
        self.known_organizations = tree.existing_page_slugs(OrganizationIndexPage)
        self.known_projects = tree.existing_page_slugs(ProjectIndexPage)

    def validate(self, data):
        for name in data:
            if name not in schema.TOP_LEVEL_KEYS:
                self.problems.warn(name, "不明な項目なので読み込みません。")
        # Order matters: each section may refer to the ones read before it.
        terms = self._terms(data.get("taxonomies"))
        organizations = self._records(data, schema.ORGANIZATION, self.known_organizations, self._organization)
        projects = self._records(data, schema.PROJECT, self.known_projects, self._project)
        events = self._records(data, schema.EVENT, set(), self._event)
        self.problems.raise_if_any()
        return Catalog(terms, organizations, projects, events, warnings=self.problems.warnings)

    # Sections

    def _terms(self, raw):
        if raw is None:
            return []
        if not isinstance(raw, dict):
            self.problems.error(
                "taxonomies", "分類ごとの配列をまとめたオブジェクト({ ... })で指定してください。"
            )
            return []
        terms = []
        for facet_key, items in raw.items():
            section = f"taxonomies.{facet_key}"
            facet = FACETS_BY_KEY.get(facet_key)
            if facet is None:
                self.problems.warn(
                    section, f"不明な分類なので読み込みません(使える分類: {', '.join(FACETS_BY_KEY)})。"
                )
                continue
            seen = {}
            for index, item in enumerate(self._list(section, items)):
                reader = self._reader(item, _where(section, index, item), schema.TERM)
                if reader is None:
                    continue
                values = reader.plain_values()
                slug = self._claim_slug(reader, values, seen, self.known_terms[facet.key])
                terms.append(TermRecord(facet, reader.where, slug, values, sort_order=index))
        return terms

    def _records(self, data, record_schema, known, read_record):
        records = []
        seen = {}
        section = record_schema.section
        for index, item in enumerate(self._list(section, data.get(section))):
            reader = self._reader(item, _where(section, index, item), record_schema)
            if reader is None:
                continue
            values = reader.plain_values()
            self._claim_slug(reader, values, seen, known)
            records.append(read_record(reader, values))
        return records

    # Records

    def _organization(self, reader, values):
        return OrganizationRecord(
            reader.where,
            values.get("slug"),
            values,
            area=reader.reference("area", self.known_terms["area"], FACETS_BY_KEY["area"].label),
            logo=reader.image("logo", self.base_dir),
        )

    def _project(self, reader, values):
        reader.check_order(values, "started_on", "ended_on", "終了日が開始日より前です")
        if values.get("slug") in RESERVED_SLUGS:
            reader.error(
                "slug",
                f"スラッグ {shown(values['slug'])} はカタログの絞り込み用のURLに使われているため使えません。",
            )
        return ProjectRecord(
            reader.where,
            values.get("slug"),
            values,
            organization=reader.reference("organization", self.known_organizations, "団体"),
            facets={
                facet.key: reader.references(facet.key, self.known_terms[facet.key], facet.label)
                for facet in FACETS
            },
            progress=self._progress(reader),
            links=[link.plain_values() for link in reader.sub_records("links", schema.REPORT_LINK)],
            image=reader.image("image", self.base_dir),
        )

    def _progress(self, reader):
        entries = []
        for entry in reader.sub_records("progress", schema.PROGRESS_ENTRY):
            values = entry.plain_values()
            link = entry.sub_record("link", schema.PROGRESS_LINK)
            values.update(link.plain_values() if link else {"link_text": "", "link_url": ""})
            entries.append(ProgressEntry(values, image=entry.image("image", self.base_dir)))
        return entries

    def _event(self, reader, values):
        reader.check_order(values, "starts_at", "ends_at", "終了日時が開始日時より前です")
        reader.check_order(
            values, "registration_opens_at", "registration_closes_at", "申込締切が申込開始より前です"
        )
        return EventRecord(
            reader.where,
            values.get("slug"),
            values,
            projects=reader.references("projects", self.known_projects, "プロジェクト"),
        )

    # Helpers

    def _list(self, where, raw):
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problems.error(where, f"配列([ ... ])で指定してください({shown(raw)})。")
            return []
        return raw

    def _reader(self, raw, where, record_schema):
        if not isinstance(raw, dict):
            self.problems.error(where, f"オブジェクト({{ ... }})で指定してください({shown(raw)})。")
            return None
        return _RecordReader(raw, where, record_schema, self.problems)

    def _claim_slug(self, reader, values, seen, known):
        """Note a record's slug, reporting it when an earlier record of the same kind has it too."""
        slug = values.get("slug")
        if not slug:
            return None
        if slug in seen:
            reader.error("slug", f"スラッグ {shown(slug)} が {seen[slug]} と重複しています。")
        else:
            seen[slug] = reader.where
            known.add(slug)
        return slug


class _RecordReader:
    """One object of the file: reads its keys and reports each problem as `<record>.<key>: <message>`."""

    def __init__(self, raw, where, record_schema, problems):
        self.raw = raw
        self.where = where
        self.schema = record_schema
        self.problems = problems
        for name in raw:
            if name not in record_schema.names:
                problems.warn(where, f"不明な項目 {shown(name)} は読み込みません。")

    def error(self, name, message):
        self.problems.error(f"{self.where}.{name}", message)

    def plain_values(self):
        """Model attribute -> value for every plain key that is valid; a missing key gives the empty value."""
        values = {}
        for key in self.schema.plain_keys:
            value = self._read(key)
            if value is not _INVALID:
                values[key.attr] = value
        return values

    def _read(self, key):
        raw = self.raw.get(key.name)
        if key.required and is_blank(raw):
            self.error(
                key.name, "必須の項目が空です。" if key.name in self.raw else "必須の項目がありません。"
            )
            return _INVALID
        try:
            return key.value.parse(raw)
        except InvalidValue as error:
            self.error(key.name, str(error))
            return _INVALID

    def check_order(self, values, start, end, message):
        if values.get(start) and values.get(end) and values[end] < values[start]:
            self.error(end, f"{message}({shown(self.raw[start])} → {shown(self.raw[end])})。")

    def reference(self, name, known, noun):
        """The slug of one record this one refers to, which must be in the file or the database."""
        raw = self.raw.get(name)
        if is_blank(raw):
            if self.schema.key(name).required:
                self.error(name, "必須の項目が空です。" if name in self.raw else "必須の項目がありません。")
            return None
        if not isinstance(raw, str):
            self.error(name, f"スラッグを文字列で指定してください({shown(raw)})。")
            return None
        if raw not in known:
            self.error(name, f"未登録の{noun} {shown(raw)} です。")
            return None
        return raw

    def references(self, name, known, noun):
        raw = self.raw.get(name)
        if raw is None:
            return []
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            self.error(name, f"スラッグの配列で指定してください({shown(raw)})。")
            return []
        slugs = []
        for slug in raw:
            if slug in slugs:
                self.error(name, f"{shown(slug)} が2回指定されています。")
            elif slug not in known:
                self.error(name, f"未登録の{noun} {shown(slug)} です。")
            else:
                slugs.append(slug)
        return slugs

    def sub_records(self, name, record_schema):
        """Readers for a list of objects inside this record, such as progress entries."""
        raw = self.raw.get(name)
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.error(name, f"配列([ ... ])で指定してください({shown(raw)})。")
            return []
        readers = []
        for index, item in enumerate(raw):
            where = f"{self.where}.{name}[{index}]"
            if isinstance(item, dict):
                readers.append(_RecordReader(item, where, record_schema, self.problems))
            else:
                self.problems.error(where, f"オブジェクト({{ ... }})で指定してください({shown(item)})。")
        return readers

    def sub_record(self, name, record_schema):
        raw = self.raw.get(name)
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.error(name, f"オブジェクト({{ ... }})で指定してください({shown(raw)})。")
            return None
        return _RecordReader(raw, f"{self.where}.{name}", record_schema, self.problems)

    def image(self, name, base_dir):
        """KEEP when the key is missing, None for null, else the checked image file."""
        if name not in self.raw:
            return KEEP
        if self.raw[name] is None:
            return None
        try:
            return read_image_source(self.raw[name], base_dir)
        except InvalidValue as error:
            self.error(name, str(error))
            return KEEP
