"""The invited worker's own page, reached by the signed link in their email: accept or decline.

GET shows the invitation with both buttons (mail scanners follow links, so nothing changes on GET);
POST answers it once. The page is private: never cached, never indexed, no canonical address.
"""

from django.views.decorators.http import require_http_methods

from home.public_forms import private_response
from home.signed_links import ExpiredLink, InvalidLink

from . import services
from .tokens import invitation_for_token

CHOICES = {"accept": True, "decline": False}
NO_CHOICE = "「参加する」か「辞退する」のどちらかのボタンを押してください。"


@require_http_methods(["GET", "HEAD", "POST"])
def team_invitation(request, token):
    try:
        invitation = invitation_for_token(token)
    except ExpiredLink:
        return _private(request, {"expired": True}, status=410)
    except InvalidLink:
        return _private(request, {"expired": False}, status=404)

    context = {"invitation": invitation, "project": invitation.project, "outcome": None, "error": ""}
    status = 200
    if request.method == "POST":
        choice = request.POST.get("answer", "")
        if choice in CHOICES:
            outcome, invitation = services.answer(invitation, accept=CHOICES[choice])
            context.update(invitation=invitation, outcome=outcome.value)
        else:
            context["error"] = NO_CHOICE
            status = 400
    state = services.current_state(invitation)
    context["state"] = state.value if state else "open"
    context["preselected"] = request.GET.get("answer") if request.method != "POST" else ""
    return _private(request, context, status=status)


def _private(request, context, status):
    return private_response(request, "projects/talent/team_invitation.html", context, status=status)
