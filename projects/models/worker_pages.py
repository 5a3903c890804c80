"""The public page where people register as pro bono workers (プロボノワーカー登録)."""

from wagtail.contrib.routable_page.models import path

from home.models.public_forms import PublicFormPage, intro_field


class WorkerRegistrationPage(PublicFormPage):
    """The registration form, and the personal links (confirm, manage) that registered workers receive."""

    intro = intro_field("フォームの上に表示します。プロボノの説明や、登録後の流れなど。")

    class Meta:
        verbose_name = "プロボノワーカー登録ページ"

    @path("")
    def form_route(self, request):
        from projects.talent.workers.views import registration_form

        return registration_form(self, request)

    @path("thanks/")
    def thanks_route(self, request):
        from projects.talent.workers.views import thanks

        return thanks(self, request)

    @path("confirm/<str:token>/")
    def confirm_route(self, request, token):
        from projects.talent.workers.views import confirm

        return confirm(self, request, token)

    @path("manage/<str:token>/")
    def manage_route(self, request, token):
        from projects.talent.workers.views import manage

        return manage(self, request, token)

    @path("manage/<str:token>/withdraw/")
    def withdraw_route(self, request, token):
        from projects.talent.workers.views import withdraw

        return withdraw(self, request, token)
