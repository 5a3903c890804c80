"""The catalog file format, version 1: the keys of each kind of record, in file order, and what each maps to.

docs/catalog-format.md describes the same format for people; keep the two in step.
"""

from dataclasses import dataclass

from home.blocks import ProgressEntryBlock
from projects.models import FACETS, EventPage, OrganizationPage, Problem, ProjectPage, ProjectReportLink

from . import values

FORMAT_VERSION = 1
TOP_LEVEL_KEYS = ("version", "taxonomies", "organizations", "projects", "events")
# Exported images go in this folder next to the JSON file, and their paths in the file start with it.
IMAGE_FOLDER = "images"


@dataclass(frozen=True)
class Key:
    """One key of a record.

    A plain key has a value type and `attr`, the model field (or block field) it fills; the importer and
    exporter handle it generically. Keys without them (relations, lists, images) are handled by hand.
    """

    name: str
    value: object = None
    attr: str | None = None
    required: bool = False
    # Export leaves the key out when there is nothing to write, as the example file does.
    omit_when_empty: bool = False


def plain(model, name, attr=None, **options):
    attr = attr or name
    return Key(name, values.for_model_field(model, attr), attr, **options)


def special(name, **options):
    return Key(name, **options)


@dataclass(frozen=True)
class RecordSchema:
    section: str
    noun: str
    keys: tuple[Key, ...]

    @property
    def names(self):
        return [key.name for key in self.keys]

    @property
    def plain_keys(self):
        return [key for key in self.keys if key.attr]

    def key(self, name):
        return next(key for key in self.keys if key.name == name)


# All five term models share their fields, so any of them describes the format.
TERM = RecordSchema(
    "taxonomies",
    "分類",
    (
        plain(Problem, "slug", required=True),
        plain(Problem, "name", required=True),
        plain(Problem, "description", omit_when_empty=True),
    ),
)

ORGANIZATION = RecordSchema(
    "organizations",
    "団体",
    (
        plain(OrganizationPage, "slug", required=True),
        plain(OrganizationPage, "name", "title", required=True),
        plain(OrganizationPage, "legal_form"),
        plain(OrganizationPage, "representative"),
        plain(OrganizationPage, "postal_code"),
        plain(OrganizationPage, "address"),
        plain(OrganizationPage, "website"),
        special("area"),
        plain(OrganizationPage, "founded_year", omit_when_empty=True),
        plain(OrganizationPage, "description"),
        special("logo", omit_when_empty=True),
    ),
)

PROJECT = RecordSchema(
    "projects",
    "プロジェクト",
    (
        plain(ProjectPage, "slug", required=True),
        plain(ProjectPage, "title", required=True),
        special("organization", required=True),
        plain(ProjectPage, "summary"),
        plain(ProjectPage, "body"),
        plain(ProjectPage, "status", required=True),
        plain(ProjectPage, "started_on"),
        plain(ProjectPage, "ended_on"),
        plain(ProjectPage, "team_size"),
        plain(ProjectPage, "outcome"),
        *(special(facet.key) for facet in FACETS),
        special("progress"),
        special("links"),
        special("image", omit_when_empty=True),
    ),
)

EVENT = RecordSchema(
    "events",
    "イベント",
    (
        plain(EventPage, "slug", required=True),
        plain(EventPage, "title", required=True),
        plain(EventPage, "kind", required=True),
        plain(EventPage, "starts_at", required=True),
        plain(EventPage, "ends_at", required=True),
        plain(EventPage, "venue"),
        plain(EventPage, "address"),
        plain(EventPage, "online_url"),
        plain(EventPage, "capacity"),
        plain(EventPage, "registration_opens_at"),
        plain(EventPage, "registration_closes_at"),
        plain(EventPage, "description"),
        special("projects"),
        plain(EventPage, "registration_enabled"),
        plain(EventPage, "waitlist_enabled"),
    ),
)

_ENTRY_BLOCKS = ProgressEntryBlock().child_blocks

PROGRESS_ENTRY = RecordSchema(
    "progress",
    "進捗",
    (
        Key("date", values.Date(), "date", required=True),
        Key("title", values.String(_ENTRY_BLOCKS["title"].field.max_length), "title", required=True),
        Key("body", values.RichText(), "body"),
        special("link", omit_when_empty=True),
        special("image", omit_when_empty=True),
    ),
)

PROGRESS_LINK = RecordSchema(
    "link",
    "関連リンク",
    (
        Key("title", values.String(_ENTRY_BLOCKS["link_text"].field.max_length), "link_text"),
        Key("url", values.Url(), "link_url", required=True),
    ),
)

REPORT_LINK = RecordSchema(
    "links",
    "関連レポート",
    (
        plain(ProjectReportLink, "title", required=True),
        plain(ProjectReportLink, "url", required=True),
    ),
)
