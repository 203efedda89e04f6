"""Read guidance, search it and pass a training quiz in a real browser on a phone-sized
screen, with the keyboard where it matters."""

from __future__ import annotations

import re
from typing import Any

import pytest

from education.loader import load_content
from education.models import Completion, Module
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_read_search_and_pass_a_quiz(page: Any) -> None:
    load_content()
    user = UserFactory()

    # Read an article from the guidance home.
    page.goto("/guidance/")
    assert page.title().startswith("Guidance |")
    page.locator("#topic-reasonable-care").scroll_into_view_if_needed()
    page.get_by_role("link", name="Reasonable care", exact=True).last.click()
    page.wait_for_url(re.compile(r"/guidance/articles/reasonable-care/$"))
    assert page.locator("h1").inner_text() == "Reasonable care"
    page.locator(".usa-sidenav a", has_text="What reasonable care means").click()
    assert page.url.endswith("#what-reasonable-care-means")
    assert page.locator("#references").is_visible()

    # Search with the keyboard.
    page.goto("/guidance/")
    search = page.locator("#guidance-search-field")
    search.fill("royalty assist")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/guidance/search/\?q=royalty"))
    first = page.locator(".usa-collection__item").first
    assert first.locator("mark").count() >= 1
    assert "Customs value" in first.inner_text()
    first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/guidance/articles/customs-value/$"))

    # Sign in and take the quiz.
    module = Module.objects.get(slug="importer-basics")
    page.goto(f"/training/{module.slug}/")
    page.get_by_role("link", name="Sign in to take the quiz").click()
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r"/training/importer-basics/quiz/$"))
    for question in module.questions.prefetch_related("choices"):
        index = next(i for i, c in enumerate(question.choices.all()) if c.is_correct)
        page.locator(f"label[for='id_question_{question.pk}_{index}']").click()
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r"/training/importer-basics/results/\d+/$"))
    assert "You passed" in page.locator(".usa-alert__heading").inner_text()
    assert page.locator("[data-score]").inner_text() == "100%"

    page.get_by_role("link", name="View your certificate").click()
    completion = Completion.objects.get(user=user, module=module)
    assert completion.certificate_number in page.locator("main").inner_text()
