"""Public URLs of team invitations, included at /team/ by cms/urls.py."""

from django.urls import re_path

from .views import team_invitation

urlpatterns = [
    # The signed token is base64 (URL-safe alphabet, padding dropped); anything else cannot be one. A
    # pasted link that gained "=" still reaches the view, which explains that it is not valid.
    re_path(r"^(?P<token>[A-Za-z0-9_\-=]{1,500})/$", team_invitation, name="team_invitation"),
]
