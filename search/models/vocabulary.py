"""The words of each indexed object, kept beside the search index: the vocabulary that 「もしかして」
suggestions are computed from (search/suggestions.py)."""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class IndexedWords(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=255)
    # One word per line, as "surface<TAB>loose reading".
    words = models.TextField(blank=True)

    class Meta:
        verbose_name = "索引の語彙"
        verbose_name_plural = "索引の語彙"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="indexed_words_per_object")
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}"
