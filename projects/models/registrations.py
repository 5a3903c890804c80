"""Registrations of people for events (参加申込), with the states a seat goes through."""

from django.db import models
from django.db.models.functions import Lower


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "参加確定"
    WAITLISTED = "waitlisted", "キャンセル待ち"
    CANCELLED = "cancelled", "キャンセル"


class Registration(models.Model):
    event = models.ForeignKey(
        "projects.EventPage",
        verbose_name="イベント",
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    name = models.CharField("氏名", max_length=100)
    name_kana = models.CharField("ふりがな", max_length=100, blank=True)
    email = models.EmailField("メールアドレス", max_length=254)
    phone = models.CharField("電話番号", max_length=20, blank=True)
    note = models.TextField("備考", max_length=1000, blank=True)
    status = models.CharField(
        "状態",
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    created_at = models.DateTimeField("申込日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    promoted_at = models.DateTimeField(
        "繰り上げ日時", null=True, blank=True, help_text="キャンセル待ちから参加確定になった日時。"
    )
    cancelled_at = models.DateTimeField("キャンセル日時", null=True, blank=True)
    status_email_sent_at = models.DateTimeField(
        "状態のお知らせメール送信日時",
        null=True,
        blank=True,
        help_text="空欄のものは、申込・繰り上げ・キャンセルのお知らせメールが送れていません。",
    )
    reminder_sent_at = models.DateTimeField("前日のお知らせ送信日時", null=True, blank=True)
    anonymized_at = models.DateTimeField(
        "個人情報の削除日時", null=True, blank=True, help_text="保存期間を過ぎ、氏名や連絡先を消した日時。"
    )

    # Personal data: kept out of Wagtail's reference index, so an event's usage page lists no people.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = "参加申込"
        verbose_name_plural = "参加申込"
        ordering = ["created_at", "pk"]
        constraints = [
            # One active registration per person and event; a cancelled one does not block re-registering.
            models.UniqueConstraint(
                Lower("email"),
                "event",
                condition=~models.Q(status="cancelled"),
                name="unique_active_registration_per_email",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        return f"{self.name}({self.event.title})"

    @property
    def is_active(self):
        return self.status != RegistrationStatus.CANCELLED
