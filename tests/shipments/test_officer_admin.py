"""The officer queue, review page, findings, rule precision and dashboard in the admin:
what officers see, what they can do, and who is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shipments.models import Decision, ShipmentStatus
from shipments.models.examination import ExaminationFinding
from shipments.targeting.models import RuleHit, TargetingRuleVersion
from tests.accounts.factories import UserFactory
from tests.shipments.officer_fixtures import HOLD_REASON, content, make_shipment
from tests.shippers.factories import owner_with_organisation

pytestmark = pytest.mark.django_db

QUEUE = "/admin/shipments/queuedshipment/"


def staff_client(*roles: str) -> tuple[Client, object]:
    user = UserFactory(roles=list(roles))
    TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture
def organisation():  # type: ignore[no-untyped-def]
    return owner_with_organisation(legal_name="Shenzhen Example Trading Co")[1]


def _hit(shipment, code: str = "") -> RuleHit:  # type: ignore[no-untyped-def]
    version = (
        TargetingRuleVersion.objects.current().filter(rule__code=code).first()
        if code
        else TargetingRuleVersion.objects.current().first()
    )
    return RuleHit.objects.create(
        shipment_id=shipment.pk,
        rule_version=version,
        estimated_arrival=shipment.estimated_arrival,
    )


def test_queue_lists_review_and_hold_by_arrival_and_filters(organisation) -> None:
    client, _ = staff_client("officer")
    soon = make_shipment(organisation, arrival=timezone.now() + timedelta(hours=1), port="2704")
    later = make_shipment(
        organisation, decision=Decision.REVIEW, arrival=timezone.now() + timedelta(hours=9)
    )
    released = make_shipment(organisation, decision=Decision.RELEASE)
    other_rule = make_shipment(organisation, reasons=[{**HOLD_REASON, "rule": "vapes"}])
    page = client.get(QUEUE).content.decode()
    assert "Targeting dashboard" in page
    assert page.index(soon.reference) < page.index(later.reference)
    assert released.reference not in page
    by_port = client.get(QUEUE + "?port=2704").content.decode()
    assert soon.reference in by_port
    assert later.reference not in by_port
    by_rule = client.get(QUEUE + "?rule=vapes").content.decode()
    assert other_rule.reference in by_rule
    assert soon.reference not in by_rule
    by_level = client.get(QUEUE + "?risk_level__exact=medium").content.decode()
    assert later.reference in by_level
    assert soon.reference not in by_level


def test_queue_page_query_count_does_not_grow_with_rows(
    organisation, django_assert_max_num_queries
) -> None:
    client, _ = staff_client("officer")
    for _ in range(30):
        make_shipment(organisation)
    with django_assert_max_num_queries(20):
        response = client.get(QUEUE)
    assert response.status_code == 200


def test_bulk_release_releases_each_with_its_own_audit_event(organisation) -> None:
    client, _ = staff_client("officer")
    shipments = [make_shipment(organisation) for _ in range(3)]
    response = client.post(
        QUEUE,
        {"action": "release_selected", "_selected_action": [str(s.pk) for s in shipments]},
        follow=True,
    )
    assert "3 shipment(s) released" in response.content.decode()
    for shipment in shipments:
        shipment.refresh_from_db()
        assert shipment.status == ShipmentStatus.RELEASED


def test_review_page_explains_reasons_and_shows_the_version_diff(organisation) -> None:
    client, _ = staff_client("officer")
    first = content("AMENDED-1")
    second = content("AMENDED-1")
    second["items"][0]["unit_value"] = 4.0
    shipment = make_shipment(organisation, reference="AMENDED-1", versions=[first, second])
    page = client.get(f"{QUEUE}{shipment.pk}/change/").content.decode()
    assert "Goods often counterfeited" in page
    assert "matched keyword" in page
    assert "ipr-prone-goods v1" in page
    assert "items[0].unit_value" in page
    assert "Version 2 against version 1" in page
    assert 'id="finding-form"' in page


def test_recording_a_finding_from_the_review_page(organisation) -> None:
    client, officer = staff_client("officer")
    shipment = make_shipment(organisation)
    url = reverse("admin:shipments_queuedshipment_act", args=[shipment.pk, "finding"])
    response = client.post(url, {"kind": "counterfeit", "notes": "Fake logo."}, follow=True)
    assert "The finding was recorded" in response.content.decode()
    finding = ExaminationFinding.objects.get()
    assert finding.recorded_by == officer
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.SEIZED
    bad = client.post(url, {"kind": "nonsense", "notes": ""})
    assert bad.status_code in (302, 400)
    assert ExaminationFinding.objects.count() == 1


def test_penalty_case_button_opens_a_case(organisation) -> None:
    client, _ = staff_client("officer")
    shipment = make_shipment(organisation)
    act = "admin:shipments_queuedshipment_act"
    client.post(
        reverse(act, args=[shipment.pk, "finding"]),
        {"kind": "wrong_origin", "notes": "Made in CN."},
    )
    response = client.post(reverse(act, args=[shipment.pk, "penalty-case"]))
    finding = ExaminationFinding.objects.get()
    assert finding.penalty_case is not None
    assert response.url == reverse("admin:enforcement_case_change", args=[finding.penalty_case.pk])


def test_shippers_and_editors_are_refused(organisation) -> None:
    shipment = make_shipment(organisation)
    editor, _ = staff_client("content_editor")
    for url in (QUEUE, f"{QUEUE}{shipment.pk}/change/", f"{QUEUE}dashboard/", f"{QUEUE}rules/"):
        assert editor.get(url).status_code in (302, 403), url
    response = editor.post(
        reverse("admin:shipments_queuedshipment_act", args=[shipment.pk, "release"])
    )
    assert response.status_code == 403
    anonymous = Client().get(QUEUE)
    assert anonymous.status_code == 302
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DECIDED


def test_rule_precision_changes_with_findings(organisation) -> None:
    client, officer = staff_client("officer")
    code = TargetingRuleVersion.objects.current().first().rule.code
    held = [make_shipment(organisation, reasons=[{**HOLD_REASON, "rule": code}]) for _ in range(2)]
    for shipment in held:
        _hit(shipment, code)
    page = client.get(f"{QUEUE}rules/").content.decode()
    assert f'id="rule-{code}"' in page
    from shipments import officers, selectors

    before = {r.code: r for r in selectors.rule_performance()}[code]
    assert (before.holds, before.discrepancies, before.precision) == (2, 0, 0.0)
    officers.finding_record(actor=officer, shipment_id=held[0].pk, kind="misdescribed", notes="x")
    after = {r.code: r for r in selectors.rule_performance()}[code]
    assert (after.examined, after.discrepancies, after.precision) == (1, 1, 0.5)
    assert "50%" in client.get(f"{QUEUE}rules/").content.decode()


def test_dashboard_draws_four_charts_with_tables_in_few_queries(
    organisation, django_assert_max_num_queries
) -> None:
    client, _officer = staff_client("supervisor")
    for _ in range(5):
        _hit(make_shipment(organisation, arrival=timezone.now()))
    make_shipment(organisation, decision=Decision.RELEASE, arrival=timezone.now(), port="2704")
    with django_assert_max_num_queries(16):
        response = client.get(f"{QUEUE}dashboard/")
    page = response.content.decode()
    assert page.count('role="img"') == 4
    assert "Shipments per day by decision" in page
    assert "Examination findings by kind" in page
    assert "Load per port of arrival" in page
    assert "<script" not in page.split('id="content-main"')[1]


def test_filer_compliance_page_lists_rates_lowest_first(organisation) -> None:
    client, officer = staff_client("officer")
    from shipments import officers

    other = owner_with_organisation(legal_name="Clean Goods Ltd")[1]
    officers.finding_record(
        actor=officer, shipment_id=make_shipment(organisation).pk, kind="counterfeit", notes="x"
    )
    officers.finding_record(
        actor=officer, shipment_id=make_shipment(other).pk, kind="no_discrepancy", notes="x"
    )
    page = client.get(f"{QUEUE}filers/").content.decode()
    assert page.index("Shenzhen Example Trading Co") < page.index("Clean Goods Ltd")
    assert "0%" in page
    assert "100%" in page
