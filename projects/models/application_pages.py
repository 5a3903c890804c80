"""The public page where organizations apply for pro bono support (支援申込)."""

from wagtail.contrib.routable_page.models import path

from home.models.public_forms import PublicFormPage, intro_field


class SupportApplicationPage(PublicFormPage):
    """The application form for organizations, with a thank-you step."""

    intro = intro_field("フォームの上に表示します。支援の対象や、申込後の流れなど。")

    class Meta:
        verbose_name = "支援申込ページ"

    @path("")
    def form_route(self, request):
        from projects.talent.applications.views import application_form

        return application_form(self, request)

    @path("thanks/")
    def thanks_route(self, request):
        from projects.talent.applications.views import thanks

        return thanks(self, request)
