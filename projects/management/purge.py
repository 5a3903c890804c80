"""The shape the purge commands share: `--older-than-days N [--dry-run]`, the rows locked and counted by
status, then their personal data replaced in one UPDATE, in one transaction."""

from collections import Counter

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from .arguments import positive_days

ERASED_NAME = "(削除済み)"


def erased_email():
    """An address that names the row and can never receive mail: deleted-<pk>@invalid.example."""
    return Concat(Value("deleted-"), Cast("pk", CharField()), Value("@invalid.example"))


class AnonymizeCommand(BaseCommand):
    """A command that anonymizes the rows `purgeable(now, days)` returns. Subclasses give the help texts,
    `purgeable`, `erased(now)` (the fields to overwrite), `statuses()` ((value, label) of the breakdown)
    and `done(days, count)` (the report, before its breakdown)."""

    days_help = ""
    # Lock only the purged table's rows, not those of the tables a filter joins.
    lock_of = ()

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days", type=positive_days, required=True, metavar="N", help=self.days_help
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="変更せずに、匿名化する件数だけを示します。"
        )

    def handle(self, *args, older_than_days, dry_run=False, **options):
        now = timezone.now()
        with transaction.atomic():
            statuses = list(
                self.purgeable(now, older_than_days)
                .select_for_update(of=self.lock_of)
                .values_list("status", flat=True)
            )
            by_status = Counter(statuses)
            if dry_run:
                self.stdout.write(
                    f"匿名化の対象(試行のみ): {len(statuses)} 件{self.breakdown(by_status)}。"
                    "何も変更していません。"
                )
                return
            # The same rows: locked above on PostgreSQL, and SQLite holds its write lock since BEGIN.
            count = self.purgeable(now, older_than_days).update(**self.erased(now))
        self.stdout.write(f"{self.done(older_than_days, count)}{self.breakdown(by_status)}。")

    def breakdown(self, by_status):
        if not by_status:
            return ""
        parts = [f"{label} {by_status[value]} 件" for value, label in self.statuses() if by_status[value]]
        return f"({'・'.join(parts)})"

    def purgeable(self, now, days):
        raise NotImplementedError

    def erased(self, now):
        raise NotImplementedError

    def statuses(self):
        raise NotImplementedError

    def done(self, days, count):
        raise NotImplementedError
