"""Certificate numbers cannot be walked, carry a check character, and old ones still work."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client

from shippers import certificate_numbers
from shippers.models import Certificate

pytestmark = pytest.mark.django_db


def test_new_numbers_are_random_with_a_check_character() -> None:
    numbers = {certificate_numbers.new_number("US") for _ in range(2000)}
    assert len(numbers) == 2000  # no sequence, no repeats
    for number in itertools.islice(numbers, 50):
        assert certificate_numbers.NEW_FORM.match(number)
        assert certificate_numbers.problem(number) is None
    # The random part avoids letters read as digits (the check character is MOD 37-36's).
    assert not any(ch in number[6:15] for number in numbers for ch in "ILOU")


def test_a_mistyped_number_is_told_apart_from_an_unknown_one() -> None:
    number = certificate_numbers.new_number("US")
    last = number[-1]
    typo = number[:-1] + ("0" if last != "0" else "1")
    assert "typing mistake" in (certificate_numbers.problem(typo) or "")
    swapped = number[:6] + number[7] + number[6] + number[8:]
    if swapped != number:
        assert certificate_numbers.problem(swapped) is not None
    assert certificate_numbers.problem("KS-US-000123") is None  # issued before: still valid
    assert "looks like" in (certificate_numbers.problem("KS-US-12") or "")


def test_the_verify_page_names_a_typing_mistake_and_finds_a_number_typed_loosely(
    client: Client,
) -> None:
    from tests.accounts.factories import UserFactory
    from tests.enforcement.factories import approved_respondent

    _user, _organisation, application = approved_respondent(UserFactory(roles=["officer"]))
    certificate: Certificate = application.certificate
    typed = " " + certificate.number.lower().replace("-", "- ", 1) + " "
    found = client.get("/verify/", {"number": typed})
    assert found.status_code == 200
    assert certificate.organisation.legal_name in found.content.decode()
    wrong = certificate.number[:-1] + ("0" if certificate.number[-1] != "0" else "1")
    mistyped = client.get("/verify/", {"number": wrong})
    assert "typing mistake" in mistyped.content.decode()
