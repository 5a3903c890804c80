"""The roster's row actions (キャンセルする, 参加確定にする, お知らせを再送): what each does through the same
services as the public pages, the confirmation page that asks before doing it, and its audit log entry.

Also the small labels and checks the roster's views share with the actions (event_label, is_id, ...).
"""

import re
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from home.dates import format_iso_date
from home.mail import FAILED, QUEUED, RETRYING, SENT, outcome
from projects.models import Registration, RegistrationStatus

from . import emails, services

ID_PATTERN = re.compile(r"[0-9]{1,19}")


def is_id(value):
    """Whether a parameter is a plausible primary key: ASCII digits within a bigint (not ² or 10**20)."""
    return bool(ID_PATTERN.fullmatch(value)) and int(value) < 2**63


def event_label(event):
    """The event as staff pick it: its title and its day, e.g. 公開講座(2016-09-25)."""
    return f"{event.title}({format_iso_date(event.starts_at)})"


def log_title(registration):
    """The audit log's label: the number only, so that no name outlives the purge in the log."""
    return f"参加申込 #{registration.pk}"


def _waitlisted_pks(event_id):
    return set(
        Registration.objects.filter(event_id=event_id, status=RegistrationStatus.WAITLISTED).values_list(
            "pk", flat=True
        )
    )


EMAIL_NOTES = {
    SENT: ("お知らせメールを送りました。", True),
    QUEUED: ("お知らせメールを送信待ちに入れました。まもなく届きます。", True),
    RETRYING: ("お知らせメールはまだ送れていません。自動で再送します。", False),
    FAILED: ("お知らせメールを用意できませんでした。時間をおいて「お知らせを再送」してください。", False),
}


# The worst outcome first: one email not sent makes the whole note a warning.
WORST_FIRST = (FAILED, RETRYING, QUEUED, SENT)


def _email_note(registration):
    """What became of the status emails the last change queued (the person's own, and those of anyone it
    promoted), and whether that is good news."""
    outcomes = {outcome(row) for row in registration.queued_emails}
    return EMAIL_NOTES[next(result for result in WORST_FIRST if result in outcomes)]


def run_cancel(registration):
    waiting = _waitlisted_pks(registration.event_id)
    if not services.cancel(registration):
        return messages.WARNING, f"{registration.name} さんの申込は、すでにキャンセルされています。"
    text = f"{registration.name} さんの申込をキャンセルしました。"
    promoted = Registration.objects.filter(pk__in=waiting, status=RegistrationStatus.CONFIRMED)
    names = "、".join(f"{person.name} さん" for person in promoted)
    if names:
        text += f"キャンセル待ちの {names}が参加確定になりました。"
    note, good = _email_note(registration)
    return (messages.SUCCESS if good else messages.WARNING), text + note


def run_confirm(registration):
    if not services.confirm_from_waitlist(registration):
        return messages.WARNING, f"{registration.name} さんの申込は、キャンセル待ちではありません。"
    note, good = _email_note(registration)
    return (messages.SUCCESS if good else messages.WARNING), (
        f"{registration.name} さんを参加確定にしました。{note}"
    )


def run_resend(registration):
    name, status = registration.name, registration.get_status_display()
    result = outcome(emails.send_status_email(registration))
    if result == SENT:
        return messages.SUCCESS, f"{name} さんに、{status}のお知らせを再送しました。"
    if result == QUEUED:
        return (
            messages.SUCCESS,
            f"{name} さんへの{status}のお知らせを、送信待ちに入れました。まもなく届きます。",
        )
    return messages.ERROR, (
        f"{name} さんへのお知らせメールを送れませんでした。自動で再送しますが、"
        "急ぐ場合は時間をおいてもう一度お試しください。"
    )


def is_actionable(registration):
    return registration.anonymized_at is None and not registration.event.is_past


@dataclass(frozen=True)
class Action:
    name: str  # URL segment and log action suffix
    label: str
    question: str
    button_class: str
    log_label: str
    applies: object  # registration -> bool
    run: object  # registration -> (message level, message)

    def confirmation(self, registration):
        question = self.question
        event = registration.event
        if self.name == "confirm" and event.capacity is not None and event.seats_left() == 0:
            question += (
                f"定員({event.capacity}名)はすでに埋まっているため、定員を超えての参加確定になります。"
            )
        return question


ACTIONS = {
    action.name: action
    for action in [
        Action(
            name="cancel",
            label="キャンセルする",
            question=(
                "この申込をキャンセルします。ご本人にキャンセル完了のメールが届きます。"
                "参加確定だった場合は、空いた席がキャンセル待ちのいちばん早い方に回ります。"
            ),
            button_class="no",
            log_label="参加申込をキャンセル",
            applies=lambda registration: is_actionable(registration) and registration.is_active,
            run=run_cancel,
        ),
        Action(
            name="confirm",
            label="参加確定にする",
            question="キャンセル待ちのこの申込を参加確定にします。ご本人に参加確定のメールが届きます。",
            button_class="",
            log_label="キャンセル待ちから参加確定に",
            applies=lambda registration: (
                is_actionable(registration) and registration.status == RegistrationStatus.WAITLISTED
            ),
            run=run_confirm,
        ),
        Action(
            name="resend",
            label="お知らせを再送",
            question="この申込の、いまの状態のお知らせメールを、ご本人にもう一度送ります。",
            button_class="button-secondary",
            log_label="お知らせメールを再送",
            applies=is_actionable,
            run=run_resend,
        ),
    ]
}


@hooks.register("register_log_actions")
def register_registration_log_actions(actions):
    for action in ACTIONS.values():
        actions.register_action(f"projects.registration.{action.name}", action.log_label, action.log_label)


def safe_next(request, fallback):
    """The listing URL (with its filters) to go back to, if `next` names one of ours; else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if ok and target.startswith(fallback) else fallback


class RegistrationActionView(WagtailAdminTemplateMixin, TemplateView):
    """GET asks the staff member to confirm; POST does it, says how it went and goes back to the listing."""

    model_admin = None
    action = None
    header_icon = "group"
    http_method_names = ["get", "post"]

    def dispatch(self, request, instance_pk):
        if not is_id(str(instance_pk)):
            raise Http404
        self.registration = get_object_or_404(Registration.objects.select_related("event"), pk=instance_pk)
        helper = self.model_admin.permission_helper
        if not helper.user_can_act_on(request.user, self.registration):
            raise PermissionDenied
        self.index_url = self.model_admin.url_helper.index_url
        self.next_url = safe_next(request, self.index_url)
        if not self.action.applies(self.registration):
            messages.warning(request, f"この申込には「{self.action.label}」を使えません。")
            return redirect(self.next_url)
        return super().dispatch(request, instance_pk)

    def get_page_title(self):
        return self.action.label

    def get_page_subtitle(self):
        return self.registration.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.index_url, "label": "参加申込"},
            {"url": "", "label": self.action.label},
        ]

    def get_template_names(self):
        return ["projects/admin/registration_action.html"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            registration=self.registration,
            event_label=event_label(self.registration.event),
            action=self.action,
            question=self.action.confirmation(self.registration),
            action_url=self.request.path,
            next_url=self.next_url,
            **kwargs,
        )

    def post(self, request, instance_pk):
        level, text = self.action.run(self.registration)
        log(
            instance=self.registration,
            action=f"projects.registration.{self.action.name}",
            user=request.user,
            title=log_title(self.registration),
        )
        messages.add_message(request, level, text)
        return redirect(self.next_url)
