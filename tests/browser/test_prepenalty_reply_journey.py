"""A respondent answers a pre-penalty notice in a real browser (desktop and a 390 px phone):
signs in, reads the notice, replies with text and a document; the officer sees the reply on
the admin case page and records the determination (19 USC 1592(b)(2); 19 CFR 162.78(a),
162.79). axe-core runs on every page visited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from demo.accounts import current_totp_code
from enforcement.models import Case, PrepenaltyReply
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.axe import assert_no_serious_axe_violations
from tests.enforcement.factories import case_at
from tests.shippers.factories import PDF_BYTES, owner_with_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_respondent_answers_the_prepenalty_notice_and_the_officer_determines(
    page: Any, viewport: tuple[int, int]
) -> None:
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    officer = UserFactory(roles=["officer"])
    owner, organisation = owner_with_organisation(legal_name="Harbourline Parcels Ltd")
    case = case_at("prepenalty", actor=officer, organisation=organisation)

    page.goto("/accounts/login/")
    assert_no_serious_axe_violations(page)
    page.locator("#id_login").fill(owner.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    page.goto(f"/portal/cases/{case.pk}/")
    assert_no_serious_axe_violations(page)
    main = page.locator("main").inner_text()
    assert "Reply to the pre-penalty notice: due by" in main
    assert "USD 15,000.00" in main

    page.get_by_role("link", name=re.compile(r"^Pre-penalty notice")).click()
    page.wait_for_url(re.compile(rf"/portal/cases/{case.pk}/notices/\d+/$"))
    assert_no_serious_axe_violations(page)
    assert "Your right to answer" in page.locator("main").inner_text()
    page.go_back()

    page.get_by_role("link", name="Reply to the pre-penalty notice").click()
    page.wait_for_url(re.compile(rf"/portal/cases/{case.pk}/reply/$"))
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Send the reply").click()  # empty: refused, explained
    assert page.locator("[data-error-summary]").count() == 1
    assert_no_serious_axe_violations(page)
    page.get_by_label("Your reply").fill(
        "The values on the 40 entries were the prices paid; the supplier's credit notes "
        "attached show the discounts were granted before shipment."
    )
    page.locator("input[name=documents]").set_input_files(
        {"name": "credit-notes.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Send the reply").click()
    page.wait_for_url(re.compile(rf"/portal/cases/{case.pk}/$"))
    assert_no_serious_axe_violations(page)
    assert "Your reply was sent" in page.content()
    assert "credit-notes.pdf" in page.locator("main").inner_text()
    reply = PrepenaltyReply.objects.get(case=case)
    assert reply.documents.get().original_name == "credit-notes.pdf"

    # The officer, in the admin (signed in with the second factor).
    page.context.clear_cookies()
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    page.goto("/admin/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.locator("#id_login").fill(officer.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("#id_code").fill(current_totp_code(secret))
    page.locator("#id_code").press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"/admin/enforcement/case/{case.pk}/change/")
    assert_no_serious_axe_violations(page)
    content = page.locator("#content-main").inner_text()
    assert "supplier's credit notes" in content
    assert "credit-notes.pdf" in content
    assert page.get_by_role("link", name="Issue the penalty notice").count() == 0

    page.get_by_role("link", name="Record the determination on the reply").first.click()
    page.wait_for_url(re.compile(r"/act/reply_determination/$"))
    assert_no_serious_axe_violations(page)
    page.get_by_label("A violation occurred: a penalty notice follows").check()
    page.get_by_label(re.compile(r"^What the reply said")).fill(
        "The credit notes post-date the entries; the declared values were not the prices paid."
    )
    page.get_by_role("button", name="Record the determination on the reply").click()
    page.wait_for_url(re.compile(rf"/admin/enforcement/case/{case.pk}/change/$"))
    assert_no_serious_axe_violations(page)
    assert "The determination is recorded." in page.content()
    case.refresh_from_db()
    assert case.reply_outcome == "penalty_warranted"
    assert case.status == Case.Status.PREPENALTY_NOTICE
    page.get_by_role("link", name="Issue the penalty notice").click()
    assert page.get_by_label("Amount (USD)").input_value() == "15000.00"
    assert_no_serious_axe_violations(page)
