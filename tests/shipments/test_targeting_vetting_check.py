"""The compliance-rate vetting check, on the rate the officer side computes."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

import shipments.selectors
from shipments import vetting_checks
from shippers.models import VettingCheck


@dataclass
class Rate:
    examined: int
    without_discrepancy: int

    @property
    def rate(self) -> float | None:
        return self.without_discrepancy / self.examined if self.examined else None


@pytest.mark.parametrize(
    ("examined", "clean", "status"),
    [
        (0, 0, VettingCheck.Status.PASSED),
        (4, 1, VettingCheck.Status.PASSED),  # too few examinations to judge
        (10, 9, VettingCheck.Status.PASSED),
        (10, 7, VettingCheck.Status.FLAGGED),
        (10, 3, VettingCheck.Status.FAILED),
    ],
)
def test_compliance_rate_check(monkeypatch, examined: int, clean: int, status: str) -> None:
    seen: list[int] = []

    def fake_rate(organisation_id: int, *, days: int, **kwargs: object) -> Rate:
        seen.append(organisation_id)
        assert days == 365
        return Rate(examined, clean)

    monkeypatch.setattr(shipments.selectors, "filer_compliance_rate", fake_rate, raising=False)
    outcome = vetting_checks.compliance_rate_check(SimpleNamespace(organisation_id=42))
    assert outcome.status == status
    assert seen == [42]
    assert outcome.evidence["examined"] == examined
    if examined >= 5:
        assert outcome.summary.startswith(f"Compliance rate {clean / examined:.0%}")


def test_registration_needs_the_registry() -> None:
    try:
        from shippers.vetting.registry import registered_checks  # type: ignore[import-not-found]
    except ImportError:
        assert vetting_checks.register() is False
        return
    assert vetting_checks.register() is True
    assert "compliance_rate" in [spec.kind for spec in registered_checks()]
