"""A catalog after validation: typed records that the writer can apply without checking anything again."""

from dataclasses import dataclass, field


class _Keep:
    def __repr__(self):
        return "KEEP"


# An image key missing from the file: the current image stays. (None means "no image".)
KEEP = _Keep()


@dataclass
class TermRecord:
    facet: object
    where: str
    slug: str
    values: dict
    sort_order: int


@dataclass
class PageRecord:
    where: str
    slug: str
    # Model attribute -> value, for the record's plain keys.
    values: dict


@dataclass
class OrganizationRecord(PageRecord):
    area: str | None = None
    logo: object = KEEP


@dataclass
class ProgressEntry:
    # Block field -> value: date, title, body, link_text, link_url.
    values: dict
    image: object = KEEP


@dataclass
class ProjectRecord(PageRecord):
    organization: str = ""
    facets: dict = field(default_factory=dict)
    progress: list = field(default_factory=list)
    links: list = field(default_factory=list)
    image: object = KEEP


@dataclass
class EventRecord(PageRecord):
    projects: list = field(default_factory=list)


@dataclass
class Catalog:
    terms: list
    organizations: list
    projects: list
    events: list
    warnings: list
