"""Statutory figures and mitigation guidelines are immutable versions: a change is a new row
from its effective date, audited with the old value; the old row stays and still applies
before that date. No edit can rewrite history."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from core.models import AuditEvent
from enforcement import selectors, services
from enforcement.calculator import MissingFigureError, underpayment_interest
from enforcement.models import MitigationGuideline, StatutoryFigure
from tests.enforcement.factories import officer, supervisor
from tests.enforcement.test_admin import staff_client

pytestmark = pytest.mark.django_db
KEY = "1592.negligence.loss_multiple"
FIGURES = "/admin/enforcement/statutoryfigure/"
GUIDELINES = "/admin/enforcement/mitigationguideline/"


def current_figure() -> StatutoryFigure:
    return StatutoryFigure.objects.filter(key=KEY).order_by("-effective_from").first()  # type: ignore[return-value]


def test_a_new_version_applies_from_its_date_and_the_old_one_before_it() -> None:
    boss = supervisor()
    old = current_figure()
    change_day = date(2030, 1, 1)
    new = services.statutory_figure_add_version(
        actor=boss,
        key=KEY,
        value=Decimal("3"),
        effective_from=change_day,
        citation="19 USC 1592(c)(3)(A), as amended",
        reason="Amendment in force 1 January 2030.",
    )
    assert new.pk != old.pk
    assert (new.unit, new.description) == (old.unit, old.description)
    old.refresh_from_db()
    assert old.value == Decimal("2")  # history kept
    before = selectors.statutory_figure_value(key=KEY, day=change_day - timedelta(days=1))
    after = selectors.statutory_figure_value(key=KEY, day=change_day)
    assert (before, after) == (Decimal("2"), Decimal("3"))
    event = AuditEvent.objects.for_target(new).get()
    assert event.action == "statutory_figure.add_version"
    assert event.actor == boss
    assert event.changes["value"] == {"before": "2.0000", "after": "3.0000"}
    assert event.detail["replaces"] == old.pk
    assert event.reason == "Amendment in force 1 January 2030."


def test_a_version_cannot_be_slipped_in_before_the_latest_one_nor_edited_nor_deleted() -> None:
    boss = supervisor()
    old = current_figure()
    with pytest.raises(ValidationError) as error:
        services.statutory_figure_add_version(
            actor=boss,
            key=KEY,
            value=Decimal("9"),
            effective_from=old.effective_from,
            citation="Rewritten",
        )
    assert "effective_from" in error.value.message_dict
    old.value = Decimal("9")
    with pytest.raises(ValueError, match="never changed"):
        old.save()
    with pytest.raises(ValueError, match="never deleted"):
        old.delete()
    assert current_figure().value == Decimal("2")
    assert not AuditEvent.objects.filter(action="statutory_figure.add_version").exists()


def test_only_supervisors_record_versions() -> None:
    with pytest.raises(PermissionDenied):
        services.statutory_figure_add_version(
            actor=officer(),
            key=KEY,
            value=Decimal("3"),
            effective_from=date(2030, 1, 1),
            citation="x",
        )


def test_the_admin_refuses_an_edit_and_adds_a_new_version_through_the_service(
    client: Client,
) -> None:
    boss = staff_client(client, supervisor())
    old = current_figure()
    change_url = f"{FIGURES}{old.pk}/change/"
    page = client.get(change_url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    response = client.post(change_url, {"key": KEY, "value": "9", "unit": old.unit})
    assert response.status_code == 403
    assert client.post(f"{FIGURES}{old.pk}/delete/", {"post": "yes"}).status_code == 403
    old.refresh_from_db()
    assert old.value == Decimal("2")

    listing = client.get(FIGURES)
    assert "Add a new version" in listing.content.decode()
    form = {
        "key": KEY,
        "value": "3",
        "unit": old.unit,
        "description": old.description,
        "citation": "Amended",
        "effective_from": "2030-01-01",
        "notes": "",
        "reason": "Amendment.",
    }
    refused = client.post(f"{FIGURES}add/", {**form, "effective_from": "1990-01-01"})
    assert refused.status_code == 200
    assert "effective_from" in refused.context["adminform"].form.errors
    response = client.post(f"{FIGURES}add/", form)
    assert response.status_code == 302
    assert StatutoryFigure.objects.filter(key=KEY).count() == 2
    event = AuditEvent.objects.get(action="statutory_figure.add_version")
    assert (event.actor, event.changes["value"]["before"]) == (boss, "2.0000")


def test_a_guideline_version_changes_the_range_from_its_date_and_is_audited() -> None:
    boss = supervisor()
    old = MitigationGuideline.objects.get(culpability="negligence", situation="loss")
    tomorrow = timezone.localdate() + timedelta(days=1)
    new = services.mitigation_guideline_add_version(
        actor=boss,
        violation_type="1592",
        culpability="negligence",
        situation="loss",
        basis="loss",
        low_share=Decimal("0.75"),
        high_share=Decimal("2"),
        citation=old.citation,
        effective_from=tomorrow,
        reason="New guidelines.",
    )
    old.refresh_from_db()
    assert (old.low_share, new.recorded_by) == (Decimal("0.5000"), boss)
    today_rows = selectors.mitigation_guidelines_on(day=timezone.localdate())
    tomorrow_rows = selectors.mitigation_guidelines_on(day=tomorrow)
    negligence = [g for g in today_rows if (g.culpability, g.situation) == ("negligence", "loss")]
    assert [g.low_share for g in negligence] == [Decimal("0.5000")]
    later = [g for g in tomorrow_rows if (g.culpability, g.situation) == ("negligence", "loss")]
    assert sorted(g.low_share for g in later) == [Decimal("0.5000"), Decimal("0.7500")]
    event = AuditEvent.objects.for_target(new).get()
    assert event.changes == {"low_share": {"before": "0.5000", "after": "0.7500"}}
    with pytest.raises(ValueError, match="never changed"):
        old.save()


def test_the_guideline_admin_refuses_an_edit(client: Client) -> None:
    staff_client(client, supervisor())
    old = MitigationGuideline.objects.get(culpability="negligence", situation="loss")
    response = client.post(f"{GUIDELINES}{old.pk}/change/", {"low_share": "0.1"})
    assert response.status_code == 403
    old.refresh_from_db()
    assert old.low_share == Decimal("0.5000")


def test_26_usc_6621_b_a_new_rate_covers_its_quarter_only() -> None:
    boss = supervisor()
    with pytest.raises(ValidationError, match="calendar quarter"):
        services.statutory_figure_add_version(
            actor=boss,
            key="6621.underpayment_rate",
            value=Decimal("0.06"),
            effective_from=date(2026, 4, 15),
            citation="26 USC 6621(a)(2)",
        )
    row = services.statutory_figure_add_version(
        actor=boss,
        key="6621.underpayment_rate",
        value=Decimal("0.06"),
        effective_from=date(2026, 4, 1),
        citation="26 USC 6621(a)(2); IRS rate for 2026-Q2",
    )
    assert row.effective_to == date(2026, 6, 30)
    periods = [p for p in selectors.underpayment_rates() if p.start.year == 2026]
    assert [(p.start, p.end, p.rate) for p in periods] == [
        (date(2026, 1, 1), date(2026, 3, 31), Decimal("0.0700")),
        (date(2026, 4, 1), date(2026, 6, 30), Decimal("0.0600")),
    ]
    # 2026-Q3 is not announced here: a calculation reaching it is refused, not guessed.
    with pytest.raises(MissingFigureError, match="2026-Q3"):
        underpayment_interest(
            Decimal("1000"), date(2026, 1, 1), date(2026, 7, 2), selectors.underpayment_rates()
        )
    interest, parts, _ = underpayment_interest(
        Decimal("1000"), date(2026, 3, 31), date(2026, 4, 2), selectors.underpayment_rates()
    )
    assert parts == [
        "2026-01-01 to 2026-03-31: 1 days at 7%",
        "2026-04-01 to 2026-06-30: 1 days at 6%",
    ]
    assert interest == Decimal("0.36")
