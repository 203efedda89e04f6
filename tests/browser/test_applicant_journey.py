"""From an anonymous visitor to a verified certificate, in a real browser on a desktop and on
a 390 px phone: sign up, confirm the e-mail from its link, register the organisation (and
become a shipper), fill every step with a mistake corrected on each, take the required
training from the application's link, submit, an officer approves (signing in with a
second factor) and the certificate is verified on /verify/. axe-core runs on every page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail

from accounts.models import User
from core.models import AuditEvent
from demo.accounts import current_totp_code
from education.loader import load_content
from education.models import Module, RequiredModule
from shippers.models import Application
from shippers.reference_data import load_document_requirements
from tests.accounts.factories import PASSWORD as STAFF_PASSWORD
from tests.accounts.factories import UserFactory
from tests.browser.axe import assert_no_serious_axe_violations
from tests.shippers.factories import PDF_BYTES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a-strong-passphrase-2026"


# The elements that stick out to the right of the screen (to name them when a page does).
TOO_WIDE = """() => Array.from(document.querySelectorAll("main *"))
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 8).map(e => e.tagName + "." + e.className + "#" + e.id).join(", ")"""


def checked(page: Any) -> None:
    page.wait_for_load_state()
    assert_no_serious_axe_violations(page)
    if "/portal/" in page.url or "/accounts/" in page.url:
        # Nothing wider than the screen (the wizard's "Add" buttons overflowed on phones).
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{page.url} is {width} px: " + str(
            page.evaluate(TOO_WIDE)
        )


def error_shown(page: Any, text: str) -> None:
    assert text in page.locator("main").inner_text(), page.locator("main").inner_text()[:2000]
    checked(page)


def open_add(page: Any, collection: str) -> None:
    details = page.locator("details", has=page.locator(f"button[value='add:{collection}']"))
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def press_add(page: Any, collection: str) -> None:
    page.locator(f"button[value='add:{collection}']").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_anonymous_visitor_to_verified_certificate(
    page: Any, tmp_path: Path, viewport: tuple[int, int]
) -> None:
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    load_content()
    importer_basics = Module.objects.get(slug="importer-basics")
    RequiredModule.objects.filter(business_type="online_seller").exclude(
        module=importer_basics
    ).delete()

    # Sign up and confirm the address from the e-mail.
    page.goto("/")
    checked(page)
    page.get_by_role("link", name="Create an account to apply").click()
    checked(page)
    page.locator("#id_email").fill("founder@harbourline.example")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill("a-different-passphrase")
    page.get_by_role("button", name="Sign Up").click()
    error_shown(page, "You must type the same password each time")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    checked(page)
    message = mail.outbox[-1]
    assert "127.0.0.1" not in message.subject
    assert "Known" in message.body or "program" in message.body.lower()
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", message.body)
    assert link is not None, message.body
    page.goto(link.group(1))
    checked(page)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/portal/$"))  # the dashboard, leading on to registering
    checked(page)

    # The account pages are the site's own, with the account menu.
    page.goto("/")
    page.get_by_role("link", name="Go to your account").click()
    page.wait_for_url(re.compile(r"/accounts/$"))
    for path in (
        "/accounts/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
    ):
        page.goto(path)
        checked(page)
        if "/reauthenticate/" in page.url:  # setting up a second factor asks the password
            page.locator("#id_password").fill(PASSWORD)
            page.locator("#id_password").press("Enter")
            page.wait_for_url(re.compile(re.escape(path) + "$"))
            checked(page)
        assert page.locator("nav[aria-label='Account menu']").count() == 1, path
        assert page.locator("header.usa-header").count() == 1, path
    page.goto("/accounts/")
    page.get_by_role("link", name="Go to your organisations").click()
    page.wait_for_url(re.compile(r"/portal/$"))

    # Register the organisation: a mistake (no country), then corrected.
    page.get_by_role("link", name="Register an organisation").click()
    page.locator("#id_legal_name").fill("Harbourline Parcels Ltd")
    page.locator("#id_business_type").select_option("online_seller")
    page.get_by_role("button", name="Register").click()
    error_shown(page, "This field is required")
    page.locator("#id_country").select_option("GB")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r"/portal/organisations/\d+/$"))
    checked(page)
    user = User.objects.get(email="founder@harbourline.example")
    assert user.has_role("shipper")
    assert AuditEvent.objects.filter(action="user.change_roles", target_id=str(user.pk)).exists()
    if viewport[0] >= 1024:  # the navigation shows the shipper's pages
        navigation = page.get_by_role("navigation", name="Primary navigation")
        assert navigation.get_by_role("link", name="My organisation", exact=True).count() == 1
    page.get_by_role("button", name="Apply to the known-shipper program").click()
    page.wait_for_url(re.compile(r"/steps/company/$"))
    company_url = page.url
    checked(page)

    # Company: fill the profile, then "Add" an identifier with a wrong number: the profile
    # typed above is kept (the data loss), the number corrected and added.
    page.locator("#id_ownership").select_option("private")
    page.locator("#id_year_founded").fill("2015")
    page.locator("#id_employees").fill("12")
    page.locator("#id_website").fill("https://harbourline.example")
    page.locator("#id_trade_names").fill("Harbourline")
    open_add(page, "identifier")
    page.locator("#id_identifier-kind").select_option("gb_vat")
    page.locator("#id_identifier-value").fill("GB 980 7806 85")
    press_add(page, "identifier")
    assert page.locator("#id_website").input_value() == "https://harbourline.example"
    assert page.locator("#id_employees").input_value() == "12"
    checked(page)
    page.locator("#id_identifier-value").fill("GB 980 7806 84")
    press_add(page, "identifier")
    assert "980 7806 84" in page.locator("#identifier-heading + ul").inner_text()
    open_add(page, "address")
    page.locator("#id_address-kind").select_option("registered")
    page.locator("#id_address-line1").fill("1 Dock Road")
    page.locator("#id_address-city").fill("Felixstowe")
    page.locator("#id_address-postal_code").fill("IP11 3SY")
    page.locator("#id_address-country").select_option("GB")
    page.get_by_role("button", name="Save and continue").last.click()  # adds the address too
    page.wait_for_url(re.compile(r"/steps/people/$"))
    checked(page)

    # People: a phone number that is not one, corrected.
    open_add(page, "principal")
    page.locator("#id_principal-full_name").fill("Amelia Hart")
    page.locator("#id_principal-role").select_option("director")
    page.locator("#id_principal-nationality").select_option("GB")
    press_add(page, "principal")
    for name, title, email, phone, officer in (
        ("Amelia Hart", "Director", "amelia@harbourline.example", "call me", True),
        ("Ben Cole", "Logistics lead", "ben@harbourline.example", "+44 1394 000001", False),
    ):
        open_add(page, "contact")
        page.locator("#id_contact-full_name").fill(name)
        page.locator("#id_contact-job_title").fill(title)
        page.locator("#id_contact-email").fill(email)
        page.locator("#id_contact-phone").fill(phone)
        if officer:
            page.locator("label[for='id_contact-is_company_officer']").click()
        press_add(page, "contact")
        if phone == "call me":
            error_shown(page, "Enter a phone number with its country code")
            page.locator("#id_contact-phone").fill("+44 1394 000000")
            press_add(page, "contact")
    page.get_by_role("button", name="Save and continue").last.click()
    page.wait_for_url(re.compile(r"/steps/facilities/$"))
    checked(page)

    # Facilities: the city forgotten, then given.
    open_add(page, "facility")
    page.locator("#id_facility-label").fill("Warehouse")
    page.locator("#id_facility-line1").fill("Unit 4, Port Park")
    page.locator("#id_facility-country").select_option("GB")
    press_add(page, "facility")
    error_shown(page, "This field is required")
    page.locator("#id_facility-city").fill("Felixstowe")
    press_add(page, "facility")
    open_add(page, "partner")
    page.locator("#id_partner-name").fill("Ningbo Homewares Co")
    page.locator("#id_partner-role").select_option("manufacturer")
    page.locator("#id_partner-country").select_option("CN")
    page.get_by_role("button", name="Save and continue").last.click()
    page.wait_for_url(re.compile(r"/steps/security/$"))
    checked(page)

    # Security, one area per page: a "no" without its explanation, then explained.
    first = True
    while "/steps/security/" in page.url:
        for radio in page.locator("input[type=radio][value=yes]").all():
            page.locator(f"label[for='{radio.get_attribute('id')}']").click()
        if first:
            radio = page.locator("input[type=radio][value=no]").first
            page.locator(f"label[for='{radio.get_attribute('id')}']").click()
            page.get_by_role("button", name=re.compile("^Save and")).click()
            error_shown(page, "Explain why the answer is no.")
            page.locator("textarea").first.fill("We use a sealed courier bag instead.")
            first = False
        page.get_by_role("button", name=re.compile("^Save and")).click()
        page.wait_for_load_state()
        checked(page)
    assert page.url.endswith("/steps/trade/")

    # Trade: no origin country ticked, named in the error, then countries found by typing
    # in the list's search box (only ticked countries show while it is empty).
    page.locator("#id_annual_shipments").fill("24000")
    chapters = page.get_by_label(re.compile("^Search the list: product categories"))
    chapters.fill("furniture")
    page.locator("label", has_text="94: Furniture").click()
    chapters.fill("")
    page.locator("label", has_text="39: Plastics").click()
    assert not page.locator("label", has_text="China (CN)").is_visible()
    page.get_by_role("button", name="Save and continue").click()
    error_shown(page, "Choose at least one country your goods come from.")
    countries = page.get_by_label(re.compile("^Search the list: origin countries"))
    countries.fill("china")
    page.locator("label", has_text="China (CN)").click()
    countries.fill("vn")
    countries.press("Enter")  # does not submit the form
    page.locator("label", has_text="Vietnam (VN)").click()
    countries.fill("")
    assert page.locator("label", has_text="China (CN)").is_visible()
    assert not page.locator("label", has_text="France (FR)").is_visible()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/steps/documents/$"))
    checked(page)

    # Documents: a text file refused (its content is checked), then the real ones.
    accept = page.locator("#id_file").get_attribute("accept")
    assert accept
    assert ".pdf" in accept
    wrong = tmp_path / "registration.pdf"
    wrong.write_bytes(b"just some text, not a PDF")
    required = load_document_requirements().for_business_type("online_seller").required
    page.locator("#id_doc_type").select_option(required[0].code)
    page.locator("#id_file").set_input_files(str(wrong))
    page.get_by_role("button", name="Upload").click()
    error_shown(page, "not a PDF, PNG, JPEG, DOCX or XLSX file")
    for document in required:
        path = tmp_path / f"{document.code}.pdf"
        path.write_bytes(PDF_BYTES)
        page.locator("#id_doc_type").select_option(document.code)
        page.locator("#id_file").set_input_files(str(path))
        page.get_by_role("button", name="Upload").click()
        page.wait_for_load_state()
    checked(page)
    page.get_by_role("link", name="Continue").click()

    # Attestation: not confirmed, then confirmed.
    page.locator("#id_signer_name").fill("Amelia Hart")
    page.locator("#id_signer_title").fill("Director")
    page.get_by_role("button", name="Sign and continue").click()
    error_shown(page, "This field is required")
    page.locator("label[for='id_confirm']").click()
    page.get_by_role("button", name="Sign and continue").click()
    page.wait_for_url(re.compile(r"/steps/review/$"))
    checked(page)

    # Check your answers: every section, in words, with a way back; the training asked.
    main = page.locator("main").inner_text()
    for section in ("Company profile", "Principals and contacts", "Facilities and partners"):
        assert section in main
    assert "980 7806 84" in main
    assert "Ningbo Homewares Co" in main
    assert "Unit 4, Port Park" in main
    assert "Required training: 0 of 1 completed" in main
    page.get_by_role("link", name="Change company profile").click()
    page.wait_for_url(company_url)
    assert page.locator("#id_website").input_value() == "https://harbourline.example"
    page.goto(company_url.replace("/company/", "/review/"))
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_url(re.compile(r"/portal/applications/\d+/$"))
    checked(page)
    application = Application.objects.get(organisation__legal_name="Harbourline Parcels Ltd")
    assert application.status == Application.Status.UNDER_REVIEW
    assert application.attestation.ip_address == "127.0.0.1"

    # The training, taken from the application's link.
    page.get_by_role("link", name="Take “Importer basics”").click()
    page.wait_for_url(re.compile(r"/training/importer-basics/$"))
    checked(page)
    page.get_by_role("link", name="Take the quiz").click()
    for question in importer_basics.questions.prefetch_related("choices"):
        index = next(i for i, c in enumerate(question.choices.all()) if c.is_correct)
        page.locator(f"label[for='id_question_{question.pk}_{index}']").click()
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r"/results/\d+/$"))
    checked(page)
    # The result page leads back to the application.
    page.get_by_role("link", name="Back to the application for Harbourline Parcels Ltd").click()
    page.wait_for_url(re.compile(rf"/portal/applications/{application.pk}/$"))
    assert "Required training: 1 of 1 completed" in page.locator("main").inner_text()
    page.context.clear_cookies()

    # The officer signs in with a second factor and approves.
    officer = UserFactory(roles=["supervisor"], email="supervisor@customs.example")
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    page.goto("/admin/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    checked(page)
    page.locator("#id_login").fill(officer.email)
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    checked(page)
    page.locator("#id_code").fill(current_totp_code(secret))
    page.locator("#id_code").press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"/admin/shippers/application/{application.pk}/decide/approve/")
    page.wait_for_load_state()
    reason = page.locator("#id_override_reason")
    if reason.count():  # a check failed or could not run: the reason is asked and recorded
        page.locator("input[type=submit], button[type=submit]").last.click()
        page.wait_for_load_state()
        assert "Say why you approve all the same" in page.content()
        page.locator("#id_override_reason").fill("Screening list not loaded in this test set-up.")
    page.locator("input[type=submit], button[type=submit]").last.click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED, page.content()[:3000]
    number = application.certificate.number

    # Anyone verifies the certificate.
    page.context.clear_cookies()
    page.goto("/verify/")
    checked(page)
    page.locator("#id_number").fill(number.lower())
    page.locator("#id_number").press("Enter")
    page.wait_for_load_state()
    checked(page)
    assert "Harbourline Parcels Ltd" in page.locator("main").inner_text()
