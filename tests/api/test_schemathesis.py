"""Schemathesis against the OpenAPI description: generated requests to every read endpoint, with a real token and
data, get no server error and answers that match the description (statuses, content types, bodies)."""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from acvs.agenda import services as agenda_services
from acvs.api import services
from tests.conftest import membership
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def raw_token(manager, cavalaire, agent):
    OfferFactory(name="Hôtel de la Plage", owner_office=cavalaire)
    event = OfferFactory(name="Fête de la mer", types=["Festival"], owner_office=cavalaire)
    today = datetime.date.today()
    agenda_services.schedule_add(
        offer=event, membership=membership(agent), data={"start_date": today, "end_date": today}
    )
    return services.token_create(membership=membership(manager), name="Schemathesis", scopes=["read"])[1]


@pytest.fixture
def wsgi_app():
    """The application as a server runs it, minus closing the connection after each request (the test's
    transaction holds the data), as Django's test client does."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def test_read_endpoints_answer_as_described(raw_token, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    operations = [result.ok() for result in schema.include(method="GET").get_all_operations()]
    assert len(operations) >= 7
    for operation in operations:

        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {raw_token}"}, checks=CHECKS)

        check()
