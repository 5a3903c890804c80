"""What an import did (or, on a dry run, would do): counts per kind of record and the records that change."""

from dataclasses import dataclass, field

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"

SECTION_NOUNS = {
    "taxonomies": "分類",
    "organizations": "団体",
    "projects": "プロジェクト",
    "events": "イベント",
}
OUTCOME_LABELS = {CREATED: "新規", UPDATED: "更新", UNCHANGED: "変更なし"}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return f"新規{self.created}・更新{self.updated}・変更なし{self.unchanged}"


@dataclass
class ImportReport:
    dry_run: bool = False
    counts: dict = field(default_factory=lambda: {section: Counts() for section in SECTION_NOUNS})
    # (section, slug, outcome) for every record created or updated, in file order.
    changes: list = field(default_factory=list)
    new_index_pages: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def add(self, section, slug, outcome):
        counts = self.counts[section]
        setattr(counts, outcome, getattr(counts, outcome) + 1)
        if outcome != UNCHANGED:
            self.changes.append((section, slug, outcome))

    def summary(self):
        head = "確認のみ(何も書き込んでいません)" if self.dry_run else "取り込みました"
        counts = " / ".join(f"{noun} {self.counts[section]}" for section, noun in SECTION_NOUNS.items())
        line = f"{head}: {counts}"
        if self.new_index_pages:
            verb = "も作成します" if self.dry_run else "を作成しました"
            line += f"(一覧ページ{verb}: {'、'.join(self.new_index_pages)})"
        return line

    def change_lines(self):
        return [
            f"{OUTCOME_LABELS[outcome]}: {SECTION_NOUNS[section]} {slug}"
            for section, slug, outcome in self.changes
        ]
