"""Rules as data: versions, validation, the snapshot reload, shadow counting, the watch
list, the unit-value statistics, back-tests and the admin pages."""

from __future__ import annotations

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from core.models import AuditEvent
from screening.services import list_import
from shipments.models import Decision
from shipments.targeting.backtest import rule_backtest
from shipments.targeting.catalogue import load_rule_file
from shipments.targeting.models import (
    HsValueStatistic,
    RuleHit,
    TargetingRule,
    TargetingRuleVersion,
    WatchedAddress,
)
from shipments.targeting.services import (
    rule_create,
    rule_version_create,
    value_statistics_refresh,
    watched_address_save,
)
from shipments.targeting.snapshot import current_snapshot, forget_snapshot
from tests.accounts.factories import UserFactory
from tests.shipments.targeting_db import OFAC, file, filer_client, party, payload, shipment_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _starting_rules(django_db_setup, django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    from tests.shipments.targeting_db import ensure_starting_rules

    ensure_starting_rules()


MUGS = {"origin_countries": ["CN"], "description_keywords": ["mug*"]}


def supervisor():  # type: ignore[no-untyped-def]
    return UserFactory(roles=["supervisor"])


def test_the_starting_rules_are_loaded_with_citations() -> None:
    codes = set(TargetingRule.objects.values_list("code", flat=True))
    assert {row["code"] for row in load_rule_file()} <= codes
    prohibited = TargetingRuleVersion.objects.current().get(rule__code="prohibited-origin")
    assert prohibited.outcome == "hold"
    assert "31 CFR 560.201" in prohibited.citation
    forget_snapshot()
    snapshot = current_snapshot()
    assert {rule.spec.code for rule in snapshot.rules} >= {"prohibited-origin", "undervaluation"}


def test_a_change_is_a_new_version_and_the_old_one_is_kept() -> None:
    actor = supervisor()
    first = rule_create(
        actor=actor,
        code="mugs",
        kind="conditions",
        name="Mugs",
        reason="Ceramic mugs from CN",
        weight=10,
        conditions=MUGS,
    )
    forget_snapshot()
    assert current_snapshot().rules  # compiled once
    before = current_snapshot().version
    second = rule_version_create(
        actor=actor, rule=first.rule, weight=55, change_note="Seizures of lead-glazed mugs"
    )
    assert (second.number, second.weight, second.conditions) == (2, 55, MUGS)
    first.refresh_from_db()
    assert (first.is_current, first.weight) == (False, 10)
    snapshot = current_snapshot()  # reloaded: the targeting version went up
    assert snapshot.version > before
    spec = next(rule.spec for rule in snapshot.rules if rule.spec.code == "mugs")
    assert (spec.version, spec.weight) == (2, 55)
    event = AuditEvent.objects.filter(action="targeting_rule.new_version").get()
    assert event.changes == {"weight": {"before": 10.0, "after": 55.0}}
    assert event.reason == "Seizures of lead-glazed mugs"


def test_an_invalid_rule_is_refused_with_every_problem() -> None:
    with pytest.raises(ValidationError) as error:
        rule_create(
            actor=supervisor(),
            code="bad",
            kind="conditions",
            name="Bad",
            reason="x",
            weight=0,
            conditions={"description_patterns": ["("]},
        )
    messages = error.value.messages
    assert any("not a valid regular expression" in message for message in messages)
    assert "A rule without a hard outcome needs a positive weight." in messages
    assert not TargetingRule.objects.filter(code="bad").exists()


def test_a_switched_off_version_is_not_evaluated() -> None:
    version = rule_create(
        actor=supervisor(),
        code="mugs",
        kind="conditions",
        name="Mugs",
        reason="Mugs",
        weight=10,
        conditions=MUGS,
    )
    rule_version_create(actor=supervisor(), rule=version.rule, enabled=False)
    forget_snapshot()
    assert "mugs" not in {rule.spec.code for rule in current_snapshot().rules}


def test_shadow_hits_are_counted_without_effect(django_capture_on_commit_callbacks) -> None:
    list_import(fmt="ofac", paths=[OFAC / "sdn.csv"])
    rule_create(
        actor=supervisor(),
        code="mugs",
        kind="conditions",
        name="Mugs",
        reason="Mugs",
        weight=90,
        shadow=True,
        conditions=MUGS,
    )
    client, _ = filer_client()
    mug = {
        "description": "Ceramic mug",
        "hs_code": "691200",
        "quantity": 2,
        "unit_value": 12,
        "origin_country": "CN",
    }
    (result,) = file(
        client, payload("M-1", items=[mug]), capture=django_capture_on_commit_callbacks
    )
    shipment = shipment_of(result)
    assert shipment.decision == Decision.RELEASE
    reason = next(r for r in shipment.risk_reasons if r["rule"] == "mugs")
    assert reason["shadow"] is True
    assert RuleHit.objects.filter(rule_version__rule__code="mugs", shadow=True).count() == 1


def test_watched_addresses_reach_the_snapshot(django_capture_on_commit_callbacks) -> None:
    list_import(fmt="ofac", paths=[OFAC / "sdn.csv"])
    watched_address_save(
        actor=supervisor(),
        address=WatchedAddress(
            label="Parcel Forward LLC",
            category="reshipper",
            street="1234 NE Airport Way",
            postal_code="97230",
            country="us",
        ),
    )
    consignee = party("Jane Doe", "US")
    consignee["address"].update(
        line1="1234 N.E. Airport Way", line2="Ste 88123", postal_code="97230"
    )
    client, _ = filer_client()
    (result,) = file(
        client, payload("W-1", consignee=consignee), capture=django_capture_on_commit_callbacks
    )
    reasons = shipment_of(result).risk_reasons
    reason = next(r for r in reasons if r["rule"] == "reshipper-address")
    assert "on the watch list as 'Parcel Forward LLC' (reshipper)" in reason["explanation"]
    assert AuditEvent.objects.filter(action="watched_address.save").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="medians are computed by PostgreSQL")
def test_value_statistics_and_undervaluation(django_capture_on_commit_callbacks) -> None:
    list_import(fmt="ofac", paths=[OFAC / "sdn.csv"])
    rule = TargetingRule.objects.get(code="undervaluation")
    rule_version_create(actor=supervisor(), rule=rule, conditions={"ratio": 0.25, "min_samples": 3})
    client, _ = filer_client()
    earbuds = {
        "description": "Wireless earbuds",
        "hs_code": "851830",
        "quantity": 1,
        "origin_country": "VN",
    }
    file(
        client,
        *[payload(f"E-{n}", items=[{**earbuds, "unit_value": 40 + n}]) for n in range(5)],
        capture=django_capture_on_commit_callbacks,
    )
    assert value_statistics_refresh() >= 1
    statistic = HsValueStatistic.objects.get(heading="8518")
    assert (statistic.median_unit_value_usd, statistic.samples) == (42.0, 5)
    (cheap,) = file(
        client,
        payload("E-9", items=[{**earbuds, "unit_value": 4}]),
        capture=django_capture_on_commit_callbacks,
    )
    reason = next(r for r in shipment_of(cheap).risk_reasons if r["rule"] == "undervaluation")
    assert "10% of the median USD 42.00 seen for heading 8518 (5 items)" in reason["explanation"]


def test_back_test_counts_and_lists_the_hits(django_capture_on_commit_callbacks) -> None:
    list_import(fmt="ofac", paths=[OFAC / "sdn.csv"])
    client, _ = filer_client()
    mug = {
        "description": "Ceramic mug",
        "hs_code": "691200",
        "quantity": 2,
        "unit_value": 12,
        "origin_country": "CN",
    }
    file(
        client,
        payload("B-1", items=[mug]),
        payload("B-2"),
        payload("B-3", items=[mug]),
        capture=django_capture_on_commit_callbacks,
    )
    draft = rule_create(
        actor=supervisor(),
        code="mugs",
        kind="conditions",
        name="Mugs",
        reason="Mugs",
        weight=50,
        enabled=False,
        conditions=MUGS,
    )
    result = rule_backtest(rule_version=draft, days=7)
    assert (result.evaluated, result.hits, result.holds) == (3, 2, 0)
    assert sorted(row["reference"] for row in result.sample) == ["B-1", "B-3"]
    assert "the word 'mug' in its description" in result.sample[0]["explanation"]
    later = rule_backtest(
        rule_version=draft,
        days=7,
        now=datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=8),
    )
    assert later.evaluated == 0


def test_back_test_of_the_screening_rule_uses_the_lists(django_capture_on_commit_callbacks):
    list_import(fmt="ofac", paths=[OFAC / "sdn.csv"])
    client, _ = filer_client()
    file(
        client,
        payload("G-1", seller=party("Golden Star Trading LLC", "AE")),
        payload("G-2"),
        capture=django_capture_on_commit_callbacks,
    )
    screening = TargetingRuleVersion.objects.current().get(rule__code="party-screening")
    result = rule_backtest(rule_version=screening, days=1)
    assert (result.evaluated, result.hits, result.holds) == (2, 1, 1)
    assert result.recorded_hits == 1


def _admin_client() -> Client:
    user = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    return client


def test_admin_add_change_and_back_test_pages(django_capture_on_commit_callbacks) -> None:
    client = _admin_client()
    form = {
        "code": "mugs",
        "kind": "conditions",
        "name": "Mugs",
        "reason": "Ceramic mugs",
        "weight": "30",
        "outcome": "",
        "enabled": "on",
        "conditions": '{"origin_countries": ["CN"], "description_keywords": ["mug*"]}',
        "citation": "",
        "change_note": "first",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/shipments/targetingrule/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    rule = TargetingRule.objects.get(code="mugs")
    assert rule.versions.get().weight == 30
    page = client.get(f"/admin/shipments/targetingrule/{rule.pk}/change/")
    assert page.status_code == 200
    assert "Back-test a version" in page.content.decode()
    response = client.post(
        f"/admin/shipments/targetingrule/{rule.pk}/change/",
        {
            **form,
            "weight": "45",
            "shadow": "on",
            "change_note": "shadow first",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(rule.versions.order_by("number").values_list("weight", "shadow")) == [
        (30.0, False),
        (45.0, True),
    ]
    bad = client.post(
        f"/admin/shipments/targetingrule/{rule.pk}/change/",
        {
            **form,
            "conditions": '{"colour": 1}',
        },
        follow=True,
    )
    assert "Unknown condition &#x27;colour&#x27;" in bad.content.decode()
    assert rule.versions.count() == 2
    listing = client.get("/admin/shipments/targetingrule/")
    assert listing.status_code == 200
    list_import(fmt="ofac", paths=[OFAC / "sdn.csv"])
    filer, _ = filer_client()
    mug = {
        "description": "Ceramic mug",
        "hs_code": "691200",
        "quantity": 2,
        "unit_value": 12,
        "origin_country": "CN",
    }
    file(filer, payload("A-1", items=[mug]), capture=django_capture_on_commit_callbacks)
    backtest = client.get(f"/admin/shipments/targetingrule/{rule.pk}/backtest/?days=7&version=1")
    body = backtest.content.decode()
    assert backtest.status_code == 200
    assert "A-1" in body
    assert "Would have hit" in body


def test_back_test_page_refused_to_a_shipper() -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)
    rule = TargetingRule.objects.get(code="prohibited-origin")
    response = client.get(f"/admin/shipments/targetingrule/{rule.pk}/backtest/")
    assert response.status_code == 302
    assert "/login" in response["Location"] or "/accounts/" in response["Location"]


def _staff(role: str) -> Client:
    user = UserFactory(roles=[role])
    TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    return client


def test_supervisors_write_rules_and_officers_read_them() -> None:
    supervisor_client = _staff("supervisor")
    assert supervisor_client.get("/admin/shipments/targetingrule/add/").status_code == 200
    assert supervisor_client.get("/admin/shipments/watchedaddress/add/").status_code == 200
    officer_client = _staff("officer")
    assert officer_client.get("/admin/shipments/targetingrule/").status_code == 200
    assert officer_client.get("/admin/shipments/targetingrule/add/").status_code == 403
    assert officer_client.get("/admin/shipments/watchedaddress/add/").status_code == 403
