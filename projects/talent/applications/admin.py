"""Triage of support applications (支援申込) in the Wagtail admin, for 事務局 only.

A ModelViewSet gives the list (filter by status, search by organization and contact) and an edit view
whose form changes the status and the staff notes. Status changes go through services.py, which
allows new → screening → accepted / declined only and, on acceptance, creates the draft organization and
project pages. Nobody adds, copies or deletes an application here: they come from the public form, and
the purge command erases their personal data. The model permissions (the 事務局 group, superusers)
decide who sees the menu item and the URLs; everyone else gets 403.
"""

from django import forms
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.components import MediaContainer
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from home.mail import FAILED, QUEUED, RETRYING, SENT, outcome
from projects.models import ApplicationStatus, OrganizationPage, SupportApplication

from . import emails
from .services import (
    DECLINED,
    FINAL,
    TransitionRefused,
    allowed_statuses,
    change_status,
    matching_organization,
    refusal,
)

NEW_ORGANIZATION = ""


class ApplicationPermissionPolicy(ModelPermissionPolicy):
    """The model permissions, except that nobody adds or deletes an application in the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(SupportApplication, ApplicationPermissionPolicy(SupportApplication))


class TriageForm(forms.ModelForm):
    """Status and notes; the organization page to use when accepting; the email when declining."""

    organization_choice = forms.ChoiceField(
        label="支援決定のときの団体ページ",
        required=False,
        help_text=(
            "支援決定にすると、プロジェクトページの下書きを作ります。団体ページは、既存のページを選ぶか、"
            "新しく下書きを作ります。"
        ),
    )
    email_applicant = forms.BooleanField(
        label="見送りのお知らせを申込者にメールで送る",
        required=False,
        help_text="見送りにするときだけ使います。お申込みへのお礼とお断りの、ていねいな定型文をお送りします。",
    )

    class Meta:
        model = SupportApplication
        fields = ["status", "staff_notes"]

    def __init__(self, *args, **kwargs):
        kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        self.initial_status = self.instance.status
        status = self.fields["status"]
        # Every status validates (so a refused one gets a message that says why); only the allowed show.
        status.choices = ApplicationStatus.choices
        status.widget.choices = [
            (value, ApplicationStatus(value).label) for value in allowed_statuses(self.instance.status)
        ]
        if self.instance.status in FINAL:
            status.disabled = True
            status.help_text = (
                "支援決定と見送りは最終の状態です。状態は変えられません(事務局メモは書き足せます)。"
            )
            del self.fields["organization_choice"], self.fields["email_applicant"]
            return
        status.help_text = "新規 → 確認中 → 支援決定 または 見送り の順に進めます。"
        match = matching_organization(self.instance)
        choices = [(NEW_ORGANIZATION, "新しい団体ページを下書きで作る")]
        if match is not None:
            choices.append((str(match.pk), f"同じ名前の既存ページを使う:{match.title}"))
        choices += [
            (str(page.pk), page.title)
            for page in OrganizationPage.objects.order_by("title").only("pk", "title")
            if match is None or page.pk != match.pk
        ]
        self.fields["organization_choice"].choices = choices
        self.fields["organization_choice"].initial = str(match.pk) if match else NEW_ORGANIZATION

    def clean_organization_choice(self):
        value = self.cleaned_data.get("organization_choice") or NEW_ORGANIZATION
        if value == NEW_ORGANIZATION:
            return None
        page = OrganizationPage.objects.filter(pk=int(value)).first()
        if page is None:
            raise forms.ValidationError("選んだ団体ページが見つかりません。もう一度選んでください。")
        return page

    def clean_status(self):
        wanted = self.cleaned_data["status"]
        if wanted not in allowed_statuses(self.initial_status):
            raise forms.ValidationError(refusal(self.initial_status, wanted))
        return wanted


class ApplicationIndexView(generic.IndexView):
    def get_page_subtitle(self):
        return None


class ApplicationEditView(generic.EditView):
    template_name = "projects/talent/application_edit.html"

    def get_page_subtitle(self):
        return f"{self.object.organization_name}(受付番号 {self.object.pk})"

    def get_form_class(self):
        return TriageForm

    def form_valid(self, form):
        self.form = form
        data = form.cleaned_data
        try:
            self.object, self.changed = change_status(
                self.object.pk,
                data["status"],
                user=self.request.user,
                staff_notes=data["staff_notes"],
                organization=data.get("organization_choice"),
            )
        except TransitionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        # The history names the application by number: no contact name outlives the purge in the log.
        log(
            instance=self.object,
            action="wagtail.edit",
            user=self.request.user,
            title=f"支援申込 #{self.object.pk}",
            data={"status": self.object.status},
        )
        self.emailed = None
        if self.changed and self.object.status == DECLINED and data.get("email_applicant"):
            self.emailed = outcome(emails.send_declined(self.object))
        return self.save_action()

    def get_success_message(self):
        application = self.object
        status = application.get_status_display()
        text = f"「{application.organization_name}」の申込を保存しました(状態:{status})。"
        if self.changed and application.status == ApplicationStatus.ACCEPTED:
            text += (
                "団体ページとプロジェクトページの下書きを用意しました。"
                "内容を仕上げて、承認フローに提出してください。"
            )
        if self.emailed == SENT:
            text += "申込者に見送りのお知らせをメールで送りました。"
        elif self.emailed == QUEUED:
            text += "申込者への見送りのお知らせメールを送信待ちに入れました。まもなく届きます。"
        elif self.emailed == RETRYING:
            text += "見送りのお知らせメールはまだ送れていません。自動で再送します。"
        elif self.emailed == FAILED:
            text += (
                "見送りのお知らせメールを用意できませんでした。時間をおいて、ご担当者に直接ご連絡ください。"
            )
        return text

    def get_success_buttons(self):
        buttons = []
        if self.object.project_id:
            buttons.append(messages.button(edit_page_url(self.object.project_id), "プロジェクトを編集"))
        if self.object.organization_id:
            buttons.append(messages.button(edit_page_url(self.object.organization_id), "団体を編集"))
        return buttons

    def get_success_url(self):
        return self.get_edit_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        context.update(
            application=application,
            problems=list(application.problems.all()),
            support_menus=list(application.support_menus.all()),
            organization_edit_url=application.organization_id and edit_page_url(application.organization_id),
            project_edit_url=application.project_id and edit_page_url(application.project_id),
            application_history_url=self.get_history_url(),
        )
        return context

    @cached_property
    def header_more_buttons(self):
        return []

    def get_side_panels(self):
        # The generic status panel speaks of publishing and usage, which applications do not have; the
        # details above the form link to the history instead.
        return MediaContainer([])


def edit_page_url(page_id):
    return reverse("wagtailadmin_pages:edit", args=[quote(page_id)])


class SupportApplicationViewSet(ModelViewSet):
    model = SupportApplication
    name = "support_applications"
    url_prefix = "support-applications"
    icon = "mail"
    menu_label = "支援申込"
    menu_order = 225
    add_to_admin_menu = True
    add_to_reference_index = False  # the pages' usage listings must not name applications to editors
    copy_view_enabled = False
    index_view_class = ApplicationIndexView
    edit_view_class = ApplicationEditView
    form_fields = ["status", "staff_notes"]
    list_display = [
        "organization_name",
        Column("contact_name", label="担当者名"),
        Column("status", label="状態", accessor="get_status_display"),
        DateColumn("created_at", label="申込日時"),
    ]
    list_filter = ["status"]
    search_fields = ["organization_name", "contact_name", "contact_email"]
    search_backend_name = None  # a plain database match: applications are not in the search index
    ordering = ["-created_at", "-pk"]
    list_per_page = 50


support_application_viewset = SupportApplicationViewSet()


@hooks.register("register_admin_viewset")
def register_support_application_viewset():
    return support_application_viewset
