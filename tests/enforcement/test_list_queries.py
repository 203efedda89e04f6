"""Every enforcement list page and list endpoint runs a fixed number of queries, however many
rows it shows (no query per row)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from enforcement import services
from tests.enforcement.factories import (
    case_at,
    officer,
    open_case,
    reply_period_ends,
    respondent,
    supervisor,
)
from tests.enforcement.test_admin import staff_client

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)


def _count(client: Client, url: str) -> int:
    _get(client, url)  # warm the per-process caches (content types, sites)
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    return len(queries)


def _guard(
    client: Client, url: str, add_rows: Callable[[], None], django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    fixed = _count(client, url)
    add_rows()
    with django_assert_num_queries(fixed):
        _get(client, url)


def test_the_case_queue(client: Client, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    staff = staff_client(client)
    _, organisation = respondent()
    case_at("penalty", actor=staff, organisation=organisation)
    open_case(actor=staff)

    def more() -> None:
        case_at("decided", actor=staff, organisation=organisation)
        colleague = officer()
        for _ in range(3):
            open_case(actor=colleague)

    _guard(client, "/admin/enforcement/case/", more, django_assert_num_queries)
    page = client.get("/admin/enforcement/case/")
    assert len(page.context["cl"].result_list) == 6


@pytest.mark.parametrize(
    "url", ["/admin/enforcement/case/export/", "/admin/enforcement/case/summary/"]
)
def test_the_case_export_and_summary(client: Client, django_assert_num_queries, url) -> None:  # type: ignore[no-untyped-def]
    staff = staff_client(client)
    case_at("penalty", actor=staff, organisation=None)

    def more() -> None:
        case_at("decided", actor=staff, organisation=None)
        open_case(actor=staff)

    _guard(client, url, more, django_assert_num_queries)


def test_the_approval_queue(client: Client, django_assert_num_queries, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ENFORCEMENT_SUPERVISOR_APPROVAL_ABOVE = "10000.00"
    staff = officer()
    staff_client(client, supervisor())
    _, organisation = respondent()

    def request_one() -> None:
        case = case_at("prepenalty", actor=staff, organisation=organisation)
        reply_period_ends(case, actor=staff)
        services.case_issue_penalty_notice(actor=staff, case=case, amount=Decimal("18000"))

    def more() -> None:
        request_one()
        request_one()

    request_one()
    _guard(client, "/admin/enforcement/penaltynoticeapproval/", more, django_assert_num_queries)


@pytest.mark.parametrize(
    "url", ["/admin/enforcement/statutoryfigure/", "/admin/enforcement/mitigationguideline/"]
)
def test_the_reference_data_lists(client: Client, django_assert_num_queries, url) -> None:  # type: ignore[no-untyped-def]
    boss = staff_client(client, supervisor())

    def more() -> None:
        services.mitigation_guideline_add_version(
            actor=boss,
            violation_type="1592",
            culpability="fraud",
            situation="loss",
            basis="loss",
            low_share=Decimal("4"),
            high_share=Decimal("8"),
            citation="Test",
            effective_from=date(2031, 1, 1),
        )
        services.statutory_figure_add_version(
            actor=boss,
            key="limitations.years",
            value=Decimal("6"),
            effective_from=date(2031, 1, 1),
            citation="Test",
        )

    _guard(client, url, more, django_assert_num_queries)


def test_the_portal_case_list(client: Client, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    staff = officer()
    member, organisation = respondent()
    case_at("penalty", actor=staff, organisation=organisation)
    client.force_login(member)

    def more() -> None:
        case_at("decided", actor=staff, organisation=organisation)
        case_at("prepenalty", actor=staff, organisation=organisation)

    _guard(client, "/portal/cases/", more, django_assert_num_queries)
    assert len(client.get("/portal/cases/").context["cases"]) == 3
