"""What a feature records once its email has gone: a date on the rows the email was about (a
registration's `status_email_sent_at`), set only if those rows still match the filter, so that an email
announcing a status that has since changed does not mark the newer one as announced."""

from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone


@dataclass(frozen=True)
class Stamp:
    model: type
    field: str
    filter: dict = field(default_factory=dict)

    def to_json(self):
        return {"model": self.model._meta.label, "field": self.field, "filter": self.filter}


def apply(stamp_json, when=None):
    """Set the stamp's field to `when` (now) on the rows it names, if the model still exists."""
    if not stamp_json:
        return
    model = apps.get_model(stamp_json["model"])
    model._default_manager.filter(**stamp_json["filter"]).update(
        **{stamp_json["field"]: when or timezone.now()}
    )
