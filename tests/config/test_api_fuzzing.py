"""API fuzzing: schemathesis generates requests from /api/schema/ for every operation, as a
partner administration (token) and as a shipper's system (organisation API key): no answer
is a server error and every answer conforms to the schema (status code documented,
content type, body). Examples and time are bounded so that this runs in `make test`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.accounts.factories import UserFactory
from tests.apikeys.factories import api_key_for
from tests.shipments.factories import FilerRegistrationFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.fixture
def api_schema(db: Any) -> Iterator[Any]:
    """The schema, called in process through Django's WSGI handler. As Django's test client
    does, requests keep the test's database connection (and its transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def partner_headers() -> dict[str, str]:
    token = Token.objects.create(user=UserFactory(roles=["partner"]))
    return {"Authorization": f"Token {token.key}"}


def shipper_headers() -> dict[str, str]:
    registration = FilerRegistrationFactory()
    scopes = ("shipments:write", "shipments:read", "verify")
    _key, plain = api_key_for(registration.organisation, *scopes)
    return {"Authorization": f"Api-Key {plain}"}


def fuzz_operation(operation: Any, headers: dict[str, str], seen: set[str]) -> None:
    @FUZZ
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        cache.clear()  # the throttles would answer 429 to a long run
        response = case.call(headers=headers)
        seen.add(f"{operation.method.upper()} {operation.path} {response.status_code}")
        case.validate_response(response, checks=CHECKS)

    run()


# Answers each client must have had at least once: the fuzzing got past authentication.
REACHED = {
    "partner administration": {"GET /api/v1/me/ 200", "POST /api/v1/screening/search/ 200"},
    "shipper's system": {"GET /api/v1/shipments/ 200", "POST /api/v1/shipments/batches/ 400"},
}


@pytest.mark.parametrize("client", sorted(REACHED))
def test_no_server_error_and_every_answer_matches_the_schema(api_schema: Any, client: str) -> None:
    headers = partner_headers() if client == "partner administration" else shipper_headers()
    seen: set[str] = set()
    failures: list[str] = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            fuzz_operation(operation, headers, seen)
        except (Exception, BaseExceptionGroup) as error:  # every operation's findings
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert operations >= 9  # every operation of the schema was fuzzed
    assert not failures, "\n\n".join(failures)
    assert REACHED[client] <= seen, sorted(seen)
