"""The pro bono talent registry (人財支援): registered workers and their skills, organizations' support
applications, and the invitations that form a project's team.

Personal data lives only here and in event registrations; the admin shows it only to 事務局 (the
`view_worker`, `view_supportapplication` and `view_teaminvitation` permissions).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower
from wagtail.admin.panels import FieldPanel

from .taxonomy import TaxonomyTerm


class Skill(TaxonomyTerm):
    """A professional skill a worker offers (経理・会計, デザイン…), and the support menus it serves."""

    support_menus = models.ManyToManyField(
        "projects.SupportMenu",
        verbose_name="役立つ支援内容",
        blank=True,
        related_name="skills",
        help_text="このスキルを持つ人が力を発揮できる支援内容。マッチングの順位付けに使います。",
    )

    panels = [*TaxonomyTerm.panels, FieldPanel("support_menus")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "スキル"
        verbose_name_plural = "スキル"


class WorkerStatus(models.TextChoices):
    PENDING = "pending", "メール確認待ち"
    ACTIVE = "active", "登録中"
    PAUSED = "paused", "休止中"
    WITHDRAWN = "withdrawn", "退会"


class Worker(models.Model):
    """A pro bono worker (プロボノワーカー) registered through the public form, active once their email
    address is confirmed. Withdrawal erases every personal field and keeps the row, so counts stay true."""

    name = models.CharField("氏名", max_length=100, blank=True)
    name_kana = models.CharField("ふりがな", max_length=100, blank=True)
    email = models.EmailField("メールアドレス", max_length=254, blank=True)
    phone = models.CharField("電話番号", max_length=20, blank=True)
    skills = models.ManyToManyField(Skill, verbose_name="スキル", blank=True, related_name="workers")
    years_of_experience = models.PositiveSmallIntegerField(
        "実務経験年数", default=0, validators=[MaxValueValidator(70)]
    )
    weekday_evenings = models.BooleanField("平日夜に活動できる", default=False)
    weekends = models.BooleanField("土日に活動できる", default=False)
    hours_per_month = models.PositiveSmallIntegerField(
        "月あたりの活動時間", default=0, validators=[MaxValueValidator(200)], help_text="時間。"
    )
    areas = models.ManyToManyField(
        "projects.Area", verbose_name="活動できる地域", blank=True, related_name="workers"
    )
    briefing = models.ForeignKey(
        "projects.EventPage",
        verbose_name="参加した説明会",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    introduction = models.TextField("自己紹介", max_length=1000, blank=True)
    newsletter = models.BooleanField("メールマガジンを希望", default=False)
    status = models.CharField(
        "状態", max_length=20, choices=WorkerStatus.choices, default=WorkerStatus.PENDING
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    confirmed_at = models.DateTimeField("メール確認日時", null=True, blank=True)
    withdrawn_at = models.DateTimeField("退会日時", null=True, blank=True)

    wagtail_reference_index_ignore = True  # personal data (see Registration)

    class Meta:
        verbose_name = "プロボノワーカー"
        verbose_name_plural = "プロボノワーカー"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One registration per address; withdrawn rows have no address left.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(status="withdrawn"),
                name="unique_worker_email",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.name or f"退会したワーカー #{self.pk}"


class LegalForm(models.TextChoices):
    NPO = "npo", "特定非営利活動法人(NPO法人)"
    GENERAL_INCORPORATED = "general_incorporated", "一般社団法人・一般財団法人"
    PUBLIC_INTEREST = "public_interest", "公益社団法人・公益財団法人"
    VOLUNTARY = "voluntary", "任意団体"
    OTHER = "other", "その他"


class ApplicationStatus(models.TextChoices):
    NEW = "new", "新規"
    SCREENING = "screening", "確認中"
    ACCEPTED = "accepted", "支援決定"
    DECLINED = "declined", "見送り"


class SupportApplication(models.Model):
    """An organization's application for pro bono support (支援申込), triaged by 事務局."""

    organization_name = models.CharField("団体名", max_length=200)
    legal_form = models.CharField("法人格", max_length=30, choices=LegalForm.choices)
    area = models.ForeignKey(
        "projects.Area", verbose_name="活動地域", null=True, blank=True, on_delete=models.SET_NULL
    )
    contact_name = models.CharField("担当者名", max_length=100)
    contact_email = models.EmailField("担当者のメールアドレス", max_length=254)
    contact_phone = models.CharField("担当者の電話番号", max_length=20, blank=True)
    problems = models.ManyToManyField(
        "projects.Problem", verbose_name="解決したい課題", blank=True, related_name="applications"
    )
    support_menus = models.ManyToManyField(
        "projects.SupportMenu", verbose_name="希望する支援内容", blank=True, related_name="applications"
    )
    description = models.TextField("課題の説明", max_length=4000)
    status = models.CharField(
        "状態", max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.NEW
    )
    staff_notes = models.TextField("事務局メモ", blank=True, help_text="申込者には見えません。")
    organization = models.ForeignKey(
        "projects.OrganizationPage",
        verbose_name="団体ページ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name="プロジェクトページ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("申込日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    decided_at = models.DateTimeField("決定日時", null=True, blank=True)
    anonymized_at = models.DateTimeField("個人情報の削除日時", null=True, blank=True)
    # A keyed hash of what was sent (home.mail_policy.submission_key), kept while the same submission
    # counts as a duplicate: sending the form again lands here instead of making a second row.
    submission_key = models.CharField(max_length=64, null=True, blank=True, editable=False)

    wagtail_reference_index_ignore = True  # personal data (see Registration)

    class Meta:
        verbose_name = "支援申込"
        verbose_name_plural = "支援申込"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["submission_key"], name="one_application_per_submission")
        ]

    def __str__(self):
        return self.organization_name


class TeamRole(models.TextChoices):
    LEADER = "leader", "リーダー"
    MEMBER = "member", "メンバー"


class InvitationStatus(models.TextChoices):
    INVITED = "invited", "回答待ち"
    ACCEPTED = "accepted", "参加"
    DECLINED = "declined", "辞退"
    CANCELLED = "cancelled", "取り消し"


class TeamInvitation(models.Model):
    """事務局 inviting one worker to one project's team; accepted invitations are the team."""

    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name="プロジェクト",
        on_delete=models.CASCADE,
        related_name="team_invitations",
    )
    worker = models.ForeignKey(
        Worker, verbose_name="ワーカー", on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField("役割", max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER)
    status = models.CharField(
        "状態", max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )
    message = models.TextField("ワーカーへのメッセージ", max_length=2000, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="招待した人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField("招待日時", auto_now_add=True)
    answered_at = models.DateTimeField("回答日時", null=True, blank=True)
    email_sent_at = models.DateTimeField("招待メール送信日時", null=True, blank=True)

    wagtail_reference_index_ignore = True  # personal data (see Registration)

    class Meta:
        verbose_name = "チームへの招待"
        verbose_name_plural = "チームへの招待"
        ordering = ["project", "invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "worker"], name="one_invitation_per_worker_and_project"
            )
        ]

    def __str__(self):
        return f"{self.worker}({self.project.title})"
