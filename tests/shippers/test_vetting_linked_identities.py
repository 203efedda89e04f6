"""The linked-identities check reads the linked organisations' standing in a fixed number of
queries, however many organisations share the applicant's identity."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shippers import services
from shippers.models import Application, VettingCheck
from shippers.vetting.checks.linked_identities import check_linked_identities
from tests.shippers.vetting_support import Kind, check_of, ofac_list, officer, submit

pytestmark = pytest.mark.django_db
__all__ = ["ofac_list", "submit"]  # fixtures


def _queries(application: Application) -> tuple[int, list[dict[str, object]]]:
    with CaptureQueriesContext(connection) as captured:
        outcome = check_linked_identities(application)
    return len(captured.captured_queries), outcome.evidence["links"]


def test_the_standing_of_many_linked_organisations_costs_no_more_queries(  # type: ignore[no-untyped-def]
    ofac_list, submit
) -> None:
    first = submit(legal_name="Harbourline Parcels Ltd")
    second = submit(legal_name="Harbourline Logistics Ltd")
    one_link_queries, one_link = _queries(second)
    assert {link["organisation"] for link in one_link} == {"Harbourline Parcels Ltd"}

    for name in ("Harbourline Freight Ltd", "Harbourline Air Ltd", "Harbourline Sea Ltd"):
        submit(legal_name=name)
    services.application_reject(actor=officer(), application=first, reason="False documents.")
    last = submit(legal_name="Harbourline Rail Ltd")
    many_queries, many = _queries(last)

    assert len({link["organisation"] for link in many}) == 5
    assert many_queries == one_link_queries
    # The latest application of each linked organisation decides: the rejected one fails it.
    rejected = [link for link in many if link["organisation"] == "Harbourline Parcels Ltd"]
    assert {link["status"] for link in rejected} == {Application.Status.REJECTED}
    assert check_of(last, Kind.LINKED_IDENTITIES).status == VettingCheck.Status.FAILED
