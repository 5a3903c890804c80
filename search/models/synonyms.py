"""Words that search treats as one: a list 事務局 edits in the admin (docs/search.md "Synonyms")."""

from django.db import models


class SynonymGroup(models.Model):
    terms = models.TextField(
        "同じ意味として扱う言葉",
        help_text="1行に1語ずつ入力します（例：ホームページ／ウェブサイト／HP）。どの語で検索しても、すべての語が見つかります。",
    )
    note = models.CharField("メモ", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "同義語"
        verbose_name_plural = "同義語"
        ordering = ["pk"]

    def __str__(self):
        return " = ".join(self.term_list())

    def term_list(self):
        """The group's words, one per line, blanks and duplicates dropped, in the order written."""
        return list(dict.fromkeys(line.strip() for line in self.terms.splitlines() if line.strip()))
