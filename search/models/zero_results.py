"""Searches that found nothing, counted per day: the query text only, never who searched."""

from django.db import models


class ZeroResultSearch(models.Model):
    query = models.CharField("検索語", max_length=200)
    day = models.DateField("日付")
    count = models.PositiveIntegerField("回数", default=0)

    class Meta:
        verbose_name = "見つからなかった検索"
        verbose_name_plural = "見つからなかった検索"
        constraints = [models.UniqueConstraint(fields=["query", "day"], name="zero_result_search_per_day")]
        indexes = [models.Index(fields=["day"], name="zero_result_search_day")]

    def __str__(self):
        return self.query
