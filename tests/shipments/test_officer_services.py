"""Officers' services: release, examination, findings with their status moves and audit
events, penalty cases opened from findings, and who may do it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEvent
from core.workflow import TransitionNotAllowed
from enforcement.models import Case
from shipments import officers
from shipments.models import Decision, ShipmentStatus
from shipments.models.examination import ExaminationFinding, FindingKind
from tests.accounts.factories import UserFactory
from tests.shipments.officer_fixtures import make_shipment
from tests.shippers.factories import owner_with_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():  # type: ignore[no-untyped-def]
    return UserFactory(roles=["officer"], is_staff=True)


@pytest.fixture
def filer():  # type: ignore[no-untyped-def]
    return owner_with_organisation(legal_name="Shenzhen Example Trading Co")


def test_release_moves_a_held_shipment_and_records_who(officer, filer) -> None:
    shipment = make_shipment(filer[1])
    released = officers.shipment_release(
        actor=officer, shipment_id=shipment.pk, reason="Paperwork seen"
    )
    assert released.status == ShipmentStatus.RELEASED
    event = AuditEvent.objects.for_target(shipment).get()
    assert event.action == "shipment.release"
    assert event.actor == officer
    assert event.organisation_id == filer[1].pk
    assert (event.from_status, event.to_status) == ("decided", "released")
    assert event.reason == "Paperwork seen"


def test_a_second_release_is_refused_with_the_conflict_message(officer, filer) -> None:
    shipment = make_shipment(filer[1])
    officers.shipment_release(actor=officer, shipment_id=shipment.pk)
    with pytest.raises(TransitionNotAllowed, match="it is now released"):
        officers.shipment_release(actor=officer, shipment_id=shipment.pk)
    assert AuditEvent.objects.for_target(shipment).count() == 1


def test_shippers_cannot_act_on_shipments(filer) -> None:
    shipment = make_shipment(filer[1])
    with pytest.raises(PermissionDenied):
        officers.shipment_release(actor=filer[0], shipment_id=shipment.pk)
    with pytest.raises(PermissionDenied):
        officers.finding_record(
            actor=filer[0], shipment_id=shipment.pk, kind="no_discrepancy", notes="x"
        )
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DECIDED


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (FindingKind.NO_DISCREPANCY, ShipmentStatus.RELEASED),
        (FindingKind.MINOR_DISCREPANCY, ShipmentStatus.RELEASED),
        (FindingKind.MISDESCRIBED, ShipmentStatus.EXAMINED),
        (FindingKind.WRONG_ORIGIN, ShipmentStatus.EXAMINED),
        (FindingKind.COUNTERFEIT, ShipmentStatus.SEIZED),
        (FindingKind.PROHIBITED, ShipmentStatus.SEIZED),
        (FindingKind.SEIZED, ShipmentStatus.SEIZED),
    ],
)
def test_a_finding_moves_the_shipment_by_its_kind(officer, filer, kind, status) -> None:
    shipment = make_shipment(filer[1])
    finding = officers.finding_record(
        actor=officer, shipment_id=shipment.pk, kind=kind, notes="Opened the parcel."
    )
    shipment.refresh_from_db()
    assert shipment.status == status
    assert finding.rule_codes == ["ipr-prone-goods"]
    assert finding.organisation_id == filer[1].pk
    assert finding.decision == Decision.HOLD
    event = AuditEvent.objects.for_target(shipment).get()
    assert event.action == "shipment.record_finding"
    assert event.detail["kind"] == kind
    assert event.to_status == status


def test_one_finding_per_shipment(officer, filer) -> None:
    shipment = make_shipment(filer[1], status=ShipmentStatus.EXAMINED)
    officers.finding_record(
        actor=officer, shipment_id=shipment.pk, kind="misdescribed", notes="Shoes, not socks."
    )
    with pytest.raises(ValidationError, match="already recorded"):
        officers.finding_record(
            actor=officer, shipment_id=shipment.pk, kind="no_discrepancy", notes="again"
        )
    assert ExaminationFinding.objects.count() == 1


def test_bad_finding_input_is_refused_and_nothing_changes(officer, filer) -> None:
    shipment = make_shipment(filer[1])
    with pytest.raises(ValidationError) as error:
        officers.finding_record(
            actor=officer, shipment_id=shipment.pk, kind="undervalued", notes="x"
        )
    assert "found_value" in error.value.message_dict
    with pytest.raises(ValidationError):
        officers.finding_record(actor=officer, shipment_id=shipment.pk, kind="nonsense", notes="x")
    with pytest.raises(ValidationError):
        officers.finding_record(actor=officer, shipment_id=shipment.pk, kind="seized", notes=" ")
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DECIDED
    assert not ExaminationFinding.objects.exists()
    assert not AuditEvent.objects.for_target(shipment).exists()


def test_a_released_shipment_cannot_get_a_finding(officer, filer) -> None:
    shipment = make_shipment(filer[1], status=ShipmentStatus.RELEASED)
    with pytest.raises(TransitionNotAllowed):
        officers.finding_record(actor=officer, shipment_id=shipment.pk, kind="seized", notes="x")


def test_penalty_case_from_an_undervaluation_carries_the_facts(officer, filer) -> None:
    shipment = make_shipment(filer[1], total_value=Decimal("40.00"))
    finding = officers.finding_record(
        actor=officer,
        shipment_id=shipment.pk,
        kind="undervalued",
        notes="Invoice in the parcel shows 400.00.",
        found_value="400",
    )
    case = officers.finding_open_penalty_case(actor=officer, finding_id=finding.pk)
    assert case.violation_type == "1592"
    assert case.culpability == "negligence"
    assert case.organisation == filer[1]
    assert case.dutiable_value == Decimal("40.00")
    assert case.domestic_value == Decimal("400.00")
    assert shipment.reference in case.entry_references
    assert shipment.house_bill in case.entry_references
    assert "undervalued" in case.summary
    assert "Invoice in the parcel" in case.summary
    finding.refresh_from_db()
    assert finding.penalty_case == case
    with pytest.raises(ValidationError, match="already opened"):
        officers.finding_open_penalty_case(actor=officer, finding_id=finding.pk)
    assert Case.objects.count() == 1
    assert AuditEvent.objects.filter(action="shipment.open_penalty_case").count() == 1


def test_counterfeit_case_is_1526f_with_earlier_seizures_counted(officer, filer) -> None:
    first = officers.finding_record(
        actor=officer, shipment_id=make_shipment(filer[1]).pk, kind="counterfeit", notes="Fake."
    )
    second = officers.finding_record(
        actor=officer,
        shipment_id=make_shipment(filer[1]).pk,
        kind="counterfeit",
        notes="Fake again.",
        msrp_genuine="1200",
    )
    case = officers.finding_open_penalty_case(actor=officer, finding_id=second.pk)
    assert case.violation_type == "1526f"
    assert case.culpability == ""
    assert case.involves_seizure is True
    assert case.msrp_genuine == Decimal("1200.00")
    assert case.prior_violations == 1
    assert first.penalty_case is None


def test_no_case_from_a_clean_finding_unless_a_type_is_chosen(officer, filer) -> None:
    finding = officers.finding_record(
        actor=officer, shipment_id=make_shipment(filer[1]).pk, kind="no_discrepancy", notes="Fine."
    )
    with pytest.raises(ValidationError, match="no violation"):
        officers.finding_open_penalty_case(actor=officer, finding_id=finding.pk)
    case = officers.finding_open_penalty_case(
        actor=officer, finding_id=finding.pk, violation_type="de_minimis"
    )
    assert case.violation_type == "de_minimis"
