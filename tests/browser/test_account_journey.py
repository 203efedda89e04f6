"""Sign-up, e-mail verification and sign-in in a real browser, on a phone-sized screen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from accounts.models import User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sign_up_verify_and_sign_in(page: Any) -> None:
    page.goto("/")
    assert page.title().startswith("Home |")
    # Keyboard users reach the skip link first.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"

    page.goto("/accounts/signup/")
    page.locator("#id_email").fill("browser.seller@example.org")
    page.locator("#id_password1").fill("short")
    page.locator("#id_password2").fill("short")
    page.get_by_role("button", name="Sign Up").click()
    summary = page.locator("[data-error-summary]")
    assert "There is a problem" in summary.inner_text()
    # The error summary takes focus so screen-reader users hear it.
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert not User.objects.filter(email="browser.seller@example.org").exists()

    page.locator("#id_password1").fill("a-strong-passphrase-2026")
    page.locator("#id_password2").fill("a-strong-passphrase-2026")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    assert "Verify Your Email Address" in page.content()

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", mail.outbox[-1].body)
    assert link is not None
    page.goto(link.group(1))
    page.get_by_role("button", name="Confirm").click()
    # Confirming signs the new user in and lands on the portal's dashboard, which leads on
    # to registering an organisation.
    page.wait_for_url(re.compile(r"/portal/$"))
    page.get_by_role("button", name="Menu").click()
    assert page.get_by_role("button", name="Sign out").is_visible()
