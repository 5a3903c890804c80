"""Every email the site sends waits here until the worker has handed it to the mail server
(home/outbox/). A row is the message itself until it is sent, then only the record that it went."""

from django.db import models
from django.utils import timezone


class OutgoingEmailStatus(models.TextChoices):
    PENDING = "pending", "送信待ち"
    SENDING = "sending", "送信中"
    SENT = "sent", "送信済み"
    FAILED = "failed", "送信失敗"
    EXPIRED = "expired", "期限切れ(未送信)"


class OutgoingEmail(models.Model):
    purpose = models.CharField("種類", max_length=100)
    # What the feature logs, and where, when this email cannot be sent (no personal data: home/mail.py).
    failure_message = models.CharField("送信失敗時の記録", max_length=300, blank=True)
    logger_name = models.CharField("記録先", max_length=100, blank=True)
    subject = models.CharField("件名", max_length=255)
    # The message (addresses, body, attachments) as JSON; emptied once the mail server has taken it.
    message = models.JSONField("内容", default=dict, blank=True)
    status = models.CharField(
        "状態", max_length=10, choices=OutgoingEmailStatus.choices, default=OutgoingEmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("送信試行回数", default=0)
    next_attempt_at = models.DateTimeField("次の送信予定", default=timezone.now)
    claimed_at = models.DateTimeField("送信開始日時", null=True, blank=True)
    sent_at = models.DateTimeField("送信日時", null=True, blank=True)
    # Past this moment the email is no use (a registration's email after its event) and is not sent.
    expires_at = models.DateTimeField("送信期限", null=True, blank=True)
    # The kind of the last error, never its text: an SMTP refusal quotes the address.
    last_error = models.CharField("最後のエラー", max_length=200, blank=True)
    # What to stamp once sent: {"model": label, "field": name, "filter": {...}} (home/outbox/stamps.py).
    stamp = models.JSONField("送信後の記録", null=True, blank=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = "送信メール"
        verbose_name_plural = "送信メール"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.subject}({self.get_status_display()})"
