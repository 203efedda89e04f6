"""Re-screening after a list update skips a BIS denial order past its expiry date (15 CFR
764.3(a)(2)): it raises no alert, while an order in force does."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.services import list_import
from shippers import services
from shippers.models import VettingRun
from tests.shippers.vetting_support import ofac_list, officer, submit

pytestmark = pytest.mark.django_db
__all__ = ["ofac_list", "submit"]  # fixtures

HEADER = (
    "Name\tStreet_Address\tCity\tState\tCountry\tPostal_Code\tEffective_Date\t"
    "Expiration_Date\tStandard_Order\tLast_Update\tAction\tFR_Citation"
)


def _dpl(folder: Path, expiry: str) -> Path:
    path = folder / "dpl.txt"
    path.write_text(
        HEADER + "\n"
        '"VOLKOV TRADING HOUSE LTD"\t"1 Main St"\t"London"\t""\t"GB"\t"E1 6AN"\t"01/05/2015"\t'
        f'"{expiry}"\t"Y"\t"2015-01-10"\t"FR NOTICE ADDED"\t"80 F.R. 1234 1/9/15"\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(("expiry", "alerts"), [("01/05/2020", 0), ("01/05/2099", 1)])
def test_15_cfr_764_3_a_2_an_expired_denial_order_raises_no_alert(  # type: ignore[no-untyped-def]
    ofac_list, submit, django_capture_on_commit_callbacks, tmp_path: Path, expiry: str, alerts: int
) -> None:
    application = submit(legal_name="Volkov Trading House Ltd", country="GB")
    services.application_approve(actor=officer(), application=application, tier=1)

    with django_capture_on_commit_callbacks(execute=True):
        list_import(fmt="dpl", paths=[_dpl(tmp_path, expiry)])

    raised = application.vetting_runs.filter(
        reason=VettingRun.Reason.LIST_UPDATE, needs_attention=True
    )
    assert raised.count() == alerts
