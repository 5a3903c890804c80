"""/api/: the documentation page, the OpenAPI schema and the resources, every JSON answer through the gate."""

from django.urls import URLPattern, path

from .docs import documentation, schema
from .gate import gate
from .instance import api

app_name = "api"

resources, _app_name, _namespace = api.urls

urlpatterns = [
    path("", documentation, name="documentation"),
    path("schema/", gate(schema), name="schema"),
    # Ninja's own root ("", a 404) is left out: the documentation page answers there.
    *(
        URLPattern(pattern.pattern, gate(pattern.callback), pattern.default_args, pattern.name)
        for pattern in resources
        if pattern.name != "api-root"
    ),
]
