"""The base layout, the home page, security headers, request ids and logging."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from config.logging import JsonFormatter, RequestIdFilter, request_id_var
from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_home_page_explains_the_program_to_each_visitor(client: Client) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for audience in (
        "Sellers, marketplaces and express consignors",
        "Importers and online buyers",
        "Partner customs administrations",
        "Officers and supervisors",
    ):
        assert audience in html
    assert 'class="usa-skipnav" href="#main-content"' in html
    assert '<main id="main-content"' in html
    assert "/static/uswds/css/uswds.min.css" in html


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()  # no inline script anywhere


@pytest.mark.django_db
def test_navigation_depends_on_role(client: Client) -> None:
    anonymous = client.get("/").content.decode()
    assert "Sign in" in anonymous
    assert "Officer pages" not in anonymous
    officer = UserFactory(roles=["officer"])
    client.force_login(officer)
    assert "Officer pages" in client.get("/").content.decode()


def test_request_id_is_generated_and_echoed(client: Client) -> None:
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    echoed = client.get("/healthz", HTTP_X_REQUEST_ID="abc12345-trace")["X-Request-ID"]
    assert echoed == "abc12345-trace"
    # Hostile values are replaced, never reflected.
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_json_log_lines_carry_the_request_id() -> None:
    request_id_var.set("req-123456")
    record = logging.LogRecord(
        "portal", logging.INFO, __file__, 1, "shipment %s scored", ("S1",), None
    )
    record.shipment_id = 42
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "shipment S1 scored"
    assert line["request_id"] == "req-123456"
    assert line["shipment_id"] == 42
    assert line["level"] == "INFO"
