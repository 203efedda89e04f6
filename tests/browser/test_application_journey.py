"""The shipper's main journey in a real browser: sign up, register the organisation,
fill in every step of the application and submit it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from shippers.models import Application
from shippers.reference_data import load_document_requirements
from tests.shippers.factories import PDF_BYTES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a-strong-passphrase-2026"


def add(page: Any, collection: str, fields: dict[str, str]) -> None:
    details = page.locator("details", has=page.locator(f"button[value='add:{collection}']"))
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    for name, value in fields.items():
        field = page.locator(f"#id_{collection}-{name}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        elif field.get_attribute("type") == "checkbox":
            # USWDS hides the native box; people click its label.
            page.locator(f"label[for='id_{collection}-{name}']").click()
        else:
            field.fill(value)
    page.locator(f"button[value='add:{collection}']").click()
    page.wait_for_load_state()
    assert page.locator(".usa-alert--success").count() == 1, page.content()


def test_sign_up_register_apply_and_submit(page: Any, tmp_path: Path) -> None:
    page.goto("/accounts/signup/")
    page.locator("#id_email").fill("founder@harbourline.example")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", mail.outbox[-1].body)
    assert link is not None
    page.goto(link.group(1))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/portal/")
    page.get_by_role("link", name="Register an organisation").click()
    page.locator("#id_legal_name").fill("Harbourline Parcels Ltd")
    page.locator("#id_country").fill("GB")
    page.locator("#id_business_type").select_option("online_seller")
    page.get_by_role("button", name="Register").click()
    page.get_by_role("button", name="Apply to the known-shipper program").click()
    page.wait_for_url(re.compile(r"/steps/company/$"))

    # Company profile.
    page.locator("#id_ownership").select_option("private")
    page.locator("#id_year_founded").fill("2015")
    page.locator("#id_employees").fill("12")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_load_state()
    # Saving as draft with missing required fields is still validated on the server.
    page.locator("#id_ownership").select_option("private")
    page.locator("#id_year_founded").fill("2015")
    page.locator("#id_employees").fill("12")
    page.get_by_role("button", name="Save and continue").first.click()
    page.wait_for_url(re.compile(r"/steps/people/$"))
    page.goto(page.url.replace("/people/", "/company/"))
    add(page, "identifier", {"kind": "gb_vat", "value": "GB 980 7806 84"})
    add(
        page,
        "address",
        {
            "kind": "registered",
            "line1": "1 Dock Road",
            "city": "Felixstowe",
            "postal_code": "IP11 3SY",
            "country": "GB",
        },
    )

    page.goto(page.url.replace("/company/", "/people/"))
    add(page, "principal", {"full_name": "Amelia Hart", "role": "director", "nationality": "GB"})
    add(
        page,
        "contact",
        {
            "full_name": "Amelia Hart",
            "job_title": "Director",
            "email": "amelia@harbourline.example",
            "phone": "+44 1394 000000",
            "is_company_officer": "on",
        },
    )
    add(
        page,
        "contact",
        {
            "full_name": "Ben Cole",
            "job_title": "Logistics lead",
            "email": "ben@harbourline.example",
            "phone": "+44 1394 000001",
        },
    )

    page.goto(page.url.replace("/people/", "/facilities/"))
    add(
        page,
        "facility",
        {"label": "Warehouse", "line1": "Unit 4, Port Park", "city": "Felixstowe", "country": "GB"},
    )
    add(page, "partner", {"name": "Ningbo Homewares Co", "role": "manufacturer", "country": "CN"})

    page.goto(page.url.replace("/facilities/", "/security/"))
    for radio in page.locator("input[type=radio][value=yes]").all():
        page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/steps/trade/$"))

    page.locator("#id_annual_shipments").fill("24000")
    page.locator("#id_origin_countries").fill("CN, VN")
    page.locator("#id_hs_chapters").select_option(["39", "94"])
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/steps/documents/$"))

    for document in load_document_requirements().for_business_type("online_seller").required:
        path = tmp_path / f"{document.code}.pdf"
        path.write_bytes(PDF_BYTES)
        page.locator("#id_doc_type").select_option(document.code)
        page.locator("#id_file").set_input_files(str(path))
        page.get_by_role("button", name="Upload").click()
        page.wait_for_load_state()
    page.get_by_role("link", name="Continue").click()

    page.locator("#id_signer_name").fill("Amelia Hart")
    page.locator("#id_signer_title").fill("Director")
    page.locator("label[for='id_confirm']").click()
    page.get_by_role("button", name="Sign and continue").click()
    page.wait_for_url(re.compile(r"/steps/review/$"))
    assert page.locator("text=Before you can submit").count() == 0, page.content()
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_url(re.compile(r"/portal/applications/\d+/$"))
    assert "is submitted" in page.locator(".usa-alert--success").inner_text()
    application = Application.objects.get(organisation__legal_name="Harbourline Parcels Ltd")
    assert application.status == Application.Status.UNDER_REVIEW
    assert application.attestation.ip_address == "127.0.0.1"
