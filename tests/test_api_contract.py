"""The open data API keeps its published contract: schemathesis reads /api/schema/ from the WSGI application
and calls every endpoint with generated parameters, valid and invalid; no answer is a 5xx, every status code
is one the schema declares, and every body matches the declared schema."""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cms.wsgi import application
from projects.models import EventRelatedProject
from tests.builders import TOKYO, make_event

pytestmark = pytest.mark.django_db

# Not `positive_data_acceptance`: a well-formed slug that names no term is answered 400 by design (the
# schema cannot list the terms editors add), so valid-looking input may be refused.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]


# The schema is read from the application itself; serving it needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def small_catalog(catalog, tree, settings):
    """A small catalog with an event, the rate limit off so that every generated request is answered."""
    settings.API_RATE_LIMIT = None
    make_event(
        tree.events,
        starts_at=datetime.datetime(2030, 3, 25, 14, 0, tzinfo=TOKYO),
        online_url="https://meet.example.jp/room",
        related_projects=[EventRelatedProject(project=catalog["facebook-page"], sort_order=0)],
    )
    # The WSGI handler closes the database connection around each request, which would end the test's
    # transaction; Django's test client keeps it open the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield catalog
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_endpoint_keeps_the_contract(case, small_catalog):
    case.call_and_validate(checks=CHECKS)
