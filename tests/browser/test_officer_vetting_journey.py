"""The officer's journey in a real browser: sign in with a second factor, find the
application in the queue, read the vetting results and the screening match explained,
clear the match as a false positive and run vetting again, then request information."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from demo.accounts import current_totp_code
from screening.models import FalsePositive
from screening.services import list_import
from shippers import services
from shippers.models import Application
from tests.accounts.factories import PASSWORD, UserFactory
from tests.shippers.factories import complete_application, owner_with_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
OFAC = Path(__file__).resolve().parent.parent / "screening" / "fixtures" / "ofac"


def test_officer_reviews_vetting_clears_a_false_positive_and_reruns(page: Any) -> None:
    list_import(fmt="ofac", paths=[OFAC / "sdn.csv"])
    owner, organisation = owner_with_organisation(legal_name="Golden Star Trading LLC")
    application = complete_application(owner, organisation)
    services.application_submit(actor=owner, application=application)  # vetting runs now
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    assert application.risk_level == Application.Risk.HIGH

    officer = UserFactory(roles=["officer"], email="officer@customs.example")
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)

    # The admin sends officers through the portal's sign-in and the second factor.
    page.goto("/admin/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.locator("#id_login").fill(officer.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("#id_code").fill(current_totp_code(secret))
    page.locator("#id_code").press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))

    # The queue, then the application.
    page.goto("/admin/shippers/application/?status__exact=under_review")
    page.get_by_role("link", name=application.reference).first.click()
    page.wait_for_url(re.compile(rf"/admin/shippers/application/{application.pk}/change/"))
    vetting = page.locator("#vetting")
    assert "High risk" in vetting.inner_text()
    screening_row = vetting.locator("tr.vetting-kind-screening").first
    assert "Failed" in screening_row.inner_text()
    matches = vetting.locator("table.screening-matches").first
    assert "SDN 7010: GOLDEN STAR TRADING LLC" in matches.inner_text()
    assert "query words matched" in matches.inner_text()

    # Clear the match with a note, by keyboard.
    note = matches.locator("textarea[name='note']").first
    note.fill("UK company registered in 2015; the listed party is a UAE registration.")
    note.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#vetting$"))
    assert "recorded as not a match" in page.locator(".messagelist").inner_text()
    assert FalsePositive.objects.filter(organisation_id=organisation.pk, source_id="7010").exists()

    # Run vetting again: with the match cleared, screening passes.
    page.get_by_role("button", name="Run vetting again").click()
    page.wait_for_url(re.compile(r"#vetting$"))
    page.reload()
    latest = page.locator("details.vetting-run").first
    assert "Requested by an officer" in latest.inner_text()
    assert "Cleared earlier as a false positive" in latest.inner_text()
    rerun = application.vetting_runs.order_by("-pk").first()
    assert rerun is not None
    assert rerun.checks.get(kind="screening").status == "passed"
